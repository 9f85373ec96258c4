/* source.c - loading analysed files safely and mapping offsets to lines. */
#include "core/core.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void sha256_bytes(const void *data, size_t len, unsigned char out[32])
{
    SHA256(data, len, out);
}

void sha256_hex(const unsigned char digest[32], char out[65])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[64] = '\0';
}

const unsigned char *source_sha256(const source_file *src)
{
    source_file *m = (source_file *)src; /* a cache, not a change of the file */
    if (!m->have_sha256) {
        sha256_bytes(m->data, m->len, m->sha256);
        m->have_sha256 = true;
    }
    return m->sha256;
}

static bool utf8_valid(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        if (c < 0x80) { i++; continue; }
        else if ((c & 0xe0) == 0xc0 && c >= 0xc2) n = 2;
        else if ((c & 0xf0) == 0xe0) n = 3;
        else if ((c & 0xf8) == 0xf0 && c <= 0xf4) n = 4;
        else return false;
        if (i + n > len)
            return false;
        for (size_t k = 1; k < n; k++)
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
        i += n;
    }
    return true;
}

static void source_index(source_file *src)
{
    size_t cap = 64, n = 0;
    size_t *starts = xmalloc(cap * sizeof(size_t));
    starts[n++] = 0;
    for (size_t i = 0; i < src->len; i++) {
        char c = src->data[i];
        if (c == '\0')
            src->binary = true;
        if (c == '\n') {
            if (i > 0 && src->data[i - 1] == '\r')
                src->crlf_lines++;
            if (i + 1 < src->len) {
                if (n == cap) {
                    cap *= 2;
                    starts = xrealloc(starts, cap * sizeof(size_t));
                }
                starts[n++] = i + 1;
            }
        }
    }
    src->line_starts = starts;
    src->nlines = src->len ? n : 0;
    src->final_newline = src->len == 0 || src->data[src->len - 1] == '\n';
    src->valid_utf8 = utf8_valid((const unsigned char *)src->data, src->len);
}

source_file *source_from_memory(const char *display_path, const char *data, size_t len)
{
    source_file *src = xcalloc(1, sizeof(*src));
    src->path = xstrdup(display_path);
    src->host_path = xstrdup(display_path);
    src->data = xmalloc(len + 1);
    if (len)
        memcpy(src->data, data, len);
    src->data[len] = '\0';
    src->len = len;
    source_index(src);
    return src;
}

int open_regular(const char *host_path, struct stat *st)
{
    struct stat own;
    if (!st)
        st = &own;
    st->st_mode = 0;
    /* stat first: a device, FIFO or socket is never opened; the type is
     * checked again on the open file, in case it changed meanwhile.
     * O_NONBLOCK so a FIFO put there since cannot block the open. */
    int fd = -1;
    if (stat(host_path, st) != 0 || S_ISREG(st->st_mode)) {
        fd = open(host_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
            return -1;
        if (fstat(fd, st) == 0 && S_ISREG(st->st_mode))
            return fd;
        close(fd);
    }
    errno = S_ISDIR(st->st_mode) ? EISDIR : EINVAL;
    return -1;
}

FILE *fopen_regular(const char *host_path, struct stat *st)
{
    int fd = open_regular(host_path, st);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "r");
    if (!f)
        close(fd);
    return f;
}

static const char *special_kind(mode_t mode)
{
    return S_ISFIFO(mode) ? "a FIFO" : S_ISCHR(mode) ? "a character device"
         : S_ISBLK(mode) ? "a block device" : S_ISSOCK(mode) ? "a socket" : "special";
}

source_file *source_load(const char *host_path, const char *display_path,
                         source_error *err, char *why, size_t whylen)
{
    *err = SOURCE_OK;
    struct stat st;
    int fd = open_regular(host_path, &st);
    if (fd < 0) {
        int e = errno;
        if (e == EISDIR) {
            snprintf(why, whylen, "is a directory");
            *err = SOURCE_EISDIR;
        } else if (e == EINVAL) {
            snprintf(why, whylen, "not a regular file (%s); not read", special_kind(st.st_mode));
            *err = SOURCE_ENOTREG;
        } else {
            *err = e == ENOENT || e == ENOTDIR || e == ELOOP ? SOURCE_ENOENT
                 : e == EACCES || e == EPERM ? SOURCE_EACCES : SOURCE_EIO;
            snprintf(why, whylen, "%s", e == ELOOP ? "too many levels of symbolic links" : strerror(e));
        }
        return NULL;
    }
    if ((uintmax_t)st.st_size > SOURCE_MAX_BYTES) {
        snprintf(why, whylen, "file is %jd bytes, larger than the %u-byte limit; not read",
                 (intmax_t)st.st_size, SOURCE_MAX_BYTES);
        *err = SOURCE_ETOOBIG;
        close(fd);
        return NULL;
    }
    size_t cap = (size_t)st.st_size + 1, len = 0;
    char *buf = xmalloc(cap + 1);
    for (;;) {
        if (len == cap) {
            if (cap > SOURCE_MAX_BYTES) {
                snprintf(why, whylen, "file grew past the %u-byte limit; not read", SOURCE_MAX_BYTES);
                *err = SOURCE_ETOOBIG;
                free(buf);
                close(fd);
                return NULL;
            }
            cap *= 2;
            buf = xrealloc(buf, cap + 1);
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            snprintf(why, whylen, "%s", strerror(errno));
            *err = errno == EISDIR ? SOURCE_EISDIR : SOURCE_EIO;
            free(buf);
            close(fd);
            return NULL;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    buf[len] = '\0';
    source_file *src = xcalloc(1, sizeof(*src));
    src->path = xstrdup(display_path ? display_path : host_path);
    src->host_path = xstrdup(host_path);
    src->data = buf;
    src->len = len;
    source_index(src);
    return src;
}

void source_free(source_file *src)
{
    if (!src)
        return;
    free(src->path);
    free(src->host_path);
    free(src->data);
    free(src->line_starts);
    free(src);
}

static size_t line_index_of(const source_file *src, size_t offset)
{
    if (src->nlines == 0)
        return 0;
    size_t lo = 0, hi = src->nlines - 1;
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        if (src->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

void source_position(const source_file *src, size_t offset, int *line, int *column)
{
    if (offset > src->len)
        offset = src->len;
    size_t li = line_index_of(src, offset);
    size_t start = src->nlines ? src->line_starts[li] : 0;
    int col = 1;
    for (size_t i = start; i < offset; i++) {
        unsigned char c = (unsigned char)src->data[i];
        if (c == '\r' && i + 1 < src->len && src->data[i + 1] == '\n')
            continue;
        if ((c & 0xc0) != 0x80)
            col++;
    }
    *line = (int)li + 1;
    *column = col;
}

size_t source_offset(const source_file *src, int line, int column)
{
    if (line < 1 || src->nlines == 0)
        return 0;
    if ((size_t)line > src->nlines)
        return src->len;
    size_t o = src->line_starts[line - 1];
    int col = 1;
    while (o < src->len && col < column && src->data[o] != '\n') {
        o++;
        while (o < src->len && ((unsigned char)src->data[o] & 0xc0) == 0x80)
            o++;
        col++;
    }
    return o;
}

const char *source_line(const source_file *src, int line, size_t *len)
{
    if (line < 1 || (size_t)line > src->nlines) {
        *len = 0;
        return "";
    }
    size_t start = src->line_starts[line - 1];
    size_t end = start;
    while (end < src->len && src->data[end] != '\n')
        end++;
    if (end > start && src->data[end - 1] == '\r')
        end--;
    *len = end - start;
    return src->data + start;
}

void source_set_add(source_set *set, source_file *src)
{
    if (set->n == set->cap) {
        set->cap = set->cap ? set->cap * 2 : 16;
        set->items = xrealloc(set->items, set->cap * sizeof(source_file *));
    }
    set->items[set->n++] = src;
}

source_file *source_set_find(const source_set *set, const char *display_path)
{
    for (size_t i = set->n; i-- > 0;)
        if (strcmp(set->items[i]->path, display_path) == 0)
            return set->items[i];
    return NULL;
}

void source_set_release(source_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        source_free(set->items[i]);
    free(set->items);
    set->items = NULL;
    set->n = set->cap = 0;
}

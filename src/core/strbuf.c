/* strbuf.c - growable NUL-terminated byte buffers. */
#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void strbuf_reserve(strbuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    sb->data = xrealloc(sb->data, cap);
    sb->cap = cap;
}

void strbuf_add(strbuf *sb, const void *data, size_t len)
{
    strbuf_reserve(sb, len);
    if (len)
        memcpy(sb->data + sb->len, data, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
}

void strbuf_adds(strbuf *sb, const char *s)
{
    strbuf_add(sb, s, strlen(s));
}

void strbuf_addc(strbuf *sb, char c)
{
    strbuf_add(sb, &c, 1);
}

void strbuf_vaddf(strbuf *sb, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n <= 0) {
        strbuf_reserve(sb, 0);
        return;
    }
    strbuf_reserve(sb, (size_t)n);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void strbuf_addf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(sb, fmt, ap);
    va_end(ap);
}

/* Length of the UTF-8 sequence starting s[0] (a byte >= 0x80), 0 if invalid. */
static size_t utf8_seq_len(const char *s, size_t len)
{
    unsigned char c = (unsigned char)s[0];
    size_t n = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
    if (n > len)
        return 0;
    for (size_t k = 1; k < n; k++)
        if (((unsigned char)s[k] & 0xc0) != 0x80)
            return 0;
    return n;
}

void strbuf_add_json_escaped(strbuf *sb, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        /* plain printable ASCII in one copy (byte by byte was 6% of `env --format json`) */
        size_t run = i;
        while (run < len && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7f &&
               s[run] != '"' && s[run] != '\\')
            run++;
        if (run > i) {
            strbuf_add(sb, s + i, run - i);
            i = run - 1;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': strbuf_add(sb, "\\\"", 2); break;
        case '\\': strbuf_add(sb, "\\\\", 2); break;
        case '\n': strbuf_add(sb, "\\n", 2); break;
        case '\r': strbuf_add(sb, "\\r", 2); break;
        case '\t': strbuf_add(sb, "\\t", 2); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                strbuf_add(sb, u, 6);
            } else if (c >= 0x80) {
                /* keep valid UTF-8, replace invalid bytes with U+FFFD */
                size_t n = utf8_seq_len(s + i, len - i);
                if (n == 2 && c == 0xc2 && (unsigned char)s[i + 1] < 0xa0) {
                    /* C1 control: same string, but a terminal showing the JSON will not act on it */
                    char u[6] = {'\\', 'u', '0', '0', hex[(unsigned char)s[i + 1] >> 4], hex[s[i + 1] & 15]};
                    strbuf_add(sb, u, 6);
                    i++;
                } else if (n) {
                    strbuf_add(sb, s + i, n);
                    i += n - 1;
                } else {
                    strbuf_adds(sb, "\xef\xbf\xbd");
                }
            } else {
                strbuf_addc(sb, (char)c);
            }
        }
    }
}

size_t visible_char(const char *s, size_t len, char out[4], size_t *outlen, size_t *cells)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char c = (unsigned char)s[0];
    size_t n = c < 0x80 ? 1 : utf8_seq_len(s, len);
    unsigned code = c; /* the byte or, for C1, the code point shown as \xNN */
    if (n == 2 && c == 0xc2 && (unsigned char)s[1] < 0xa0)
        code = (unsigned char)s[1];
    else if (n > 1 || (c >= 0x20 && c != 0x7f && c < 0x80) || c == '\t') {
        memcpy(out, s, n);
        *outlen = n;
        *cells = 1;
        return n;
    }
    if (c == 0x1b) {
        out[0] = '\\', out[1] = 'e', *outlen = 2;
    } else if (c < 0x20 || c == 0x7f) {
        out[0] = '^', out[1] = (char)(c ^ 0x40), *outlen = 2;
    } else {
        out[0] = '\\', out[1] = 'x', out[2] = hex[code >> 4], out[3] = hex[code & 15], *outlen = 4;
    }
    *cells = *outlen;
    return n ? n : 1;
}

void strbuf_add_visible(strbuf *sb, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t run = i;
        while (run < len && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7f)
            run++;
        if (run > i) {
            strbuf_add(sb, s + i, run - i);
            i = run;
            continue;
        }
        char out[4];
        size_t outlen, cells;
        i += visible_char(s + i, len - i, out, &outlen, &cells);
        strbuf_add(sb, out, outlen);
    }
}

const char *visible(strbuf *tmp, const char *s)
{
    strbuf_reset(tmp);
    if (s)
        strbuf_add_visible(tmp, s, strlen(s));
    else
        strbuf_add(tmp, "", 0);
    return tmp->data;
}

void strbuf_reset(strbuf *sb)
{
    sb->len = 0;
    if (sb->data)
        sb->data[0] = '\0';
}

char *strbuf_detach(strbuf *sb)
{
    char *p = sb->data ? sb->data : xstrdup("");
    sb->data = NULL;
    sb->len = sb->cap = 0;
    return p;
}

void strbuf_release(strbuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}

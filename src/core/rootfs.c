/* rootfs.c - file-system facts under the root (lstat, stat, readlink), kept
 * in one process-wide cache, and the one resolver of a machine path's
 * symlinks inside the root that every stage uses: under a confining root
 * (--root DIR, a dotfiles machine) every read, stat, readlink, glob and write
 * path goes through it, so an image's links cannot lead out of the image.
 *
 * An analysis asks the same questions many times (every PATH entry of every
 * context resolves /home, /home/u, ...): each fact is read once per host path
 * and kept until root_cache_forget(), which the fix engine calls whenever it
 * changes files. Open addressing (FNV-1a, linear probing) behind one mutex;
 * the system calls themselves run outside the lock. */
#include "core/core.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { HAVE_LSTAT = 1, HAVE_STAT = 2, HAVE_LINK = 4 };

typedef struct fact {
    uint64_t hash;
    unsigned have;
    int lstat_err, stat_err, link_err; /* 0 or the errno of the call */
    struct stat lst, st;
    char *link;                        /* readlink target (heap), when HAVE_LINK and no error */
    size_t link_len;
    char key[];                        /* host path */
} fact;

static struct {
    pthread_mutex_t mu;
    fact **slots;
    size_t cap;   /* power of two, or 0 */
    size_t n;
    size_t bytes; /* keys and link targets */
    uint64_t gen; /* bumped by root_cache_forget: answers read before it are dropped */
    root_cache_stats stats;
} cache = {.mu = PTHREAD_MUTEX_INITIALIZER};

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

/* Paths whose facts change while we run (/proc/N/exe, /sys, /dev) are never kept. */
static bool volatile_path(const char *machine_path)
{
    while (*machine_path == '/')
        machine_path++;
    static const char *const dirs[] = {"proc", "sys", "dev"};
    for (size_t i = 0; i < GE_ARRAY_LEN(dirs); i++) {
        size_t n = strlen(dirs[i]);
        if (strncmp(machine_path, dirs[i], n) == 0 && (machine_path[n] == '/' || !machine_path[n]))
            return true;
    }
    return false;
}

/* Slot of key: its entry, or the empty slot where it would go. Lock held, cap > 0. */
static fact **slot_of(const char *key, uint64_t h)
{
    size_t mask = cache.cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        fact *f = cache.slots[i];
        if (!f || (f->hash == h && strcmp(f->key, key) == 0))
            return &cache.slots[i];
    }
}

static void table_grow(void)
{
    size_t ncap = cache.cap ? cache.cap * 2 : 256;
    fact **old = cache.slots;
    size_t ocap = cache.cap;
    cache.slots = xcalloc(ncap, sizeof(*cache.slots));
    cache.cap = ncap;
    for (size_t i = 0; i < ocap; i++)
        if (old[i])
            *slot_of(old[i]->key, old[i]->hash) = old[i];
    free(old);
}

/* Copy the answer to a question of kind `what` out of f, deriving it from the
 * lstat result where that settles it (not a link: stat is lstat and readlink
 * fails with EINVAL; lstat failed: so do both). Returns false if f cannot tell. */
static bool fact_answer(const fact *f, unsigned what, struct stat *st, char *buf, size_t len,
                        ssize_t *ret)
{
    bool lstat_settles = (f->have & HAVE_LSTAT) && (f->lstat_err || !S_ISLNK(f->lst.st_mode));
    int err;
    if (what == HAVE_LSTAT && (f->have & HAVE_LSTAT)) {
        err = f->lstat_err;
        if (!err)
            *st = f->lst;
    } else if (what == HAVE_STAT && (f->have & HAVE_STAT)) {
        err = f->stat_err;
        if (!err)
            *st = f->st;
    } else if (what == HAVE_STAT && lstat_settles) {
        err = f->lstat_err;
        if (!err)
            *st = f->lst;
    } else if (what == HAVE_LINK && (f->have & HAVE_LINK)) {
        err = f->link_err;
        if (!err) {
            size_t n = f->link_len < len - 1 ? f->link_len : len - 1;
            memcpy(buf, f->link, n);
            buf[n] = '\0';
            *ret = (ssize_t)n;
            return true;
        }
    } else if (what == HAVE_LINK && lstat_settles) {
        err = f->lstat_err ? f->lstat_err : EINVAL;
    } else {
        return false;
    }
    *ret = err ? -1 : 0;
    if (err)
        errno = err;
    return true;
}

static bool cache_lookup(const char *key, uint64_t h, unsigned what, struct stat *st, char *buf,
                         size_t len, ssize_t *ret, uint64_t *gen)
{
    pthread_mutex_lock(&cache.mu);
    bool hit = false;
    if (cache.cap) {
        fact *f = *slot_of(key, h);
        hit = f && fact_answer(f, what, st, buf, len, ret);
    }
    if (hit)
        cache.stats.hits++;
    else
        cache.stats.misses++;
    *gen = cache.gen;
    pthread_mutex_unlock(&cache.mu);
    return hit;
}

/* Keep what a system call said, unless the cache was forgotten since it was
 * asked (gen) or is full. */
static void cache_store(const char *key, uint64_t h, unsigned what, int err, const struct stat *st,
                        const char *link, size_t link_len, uint64_t gen)
{
    size_t klen = strlen(key);
    pthread_mutex_lock(&cache.mu);
    if (gen != cache.gen)
        goto out;
    fact **slot = cache.cap ? slot_of(key, h) : NULL;
    fact *f = slot ? *slot : NULL;
    if (!f) {
        if (cache.n + 1 > ROOT_CACHE_MAX_ENTRIES || cache.bytes + klen > ROOT_CACHE_MAX_BYTES)
            goto out; /* full: the answer is given but not kept */
        if (cache.n + 1 > cache.cap / 2) {
            table_grow();
            slot = slot_of(key, h);
        }
        f = xcalloc(1, sizeof(*f) + klen + 1);
        f->hash = h;
        memcpy(f->key, key, klen + 1);
        *slot = f;
        cache.n++;
        cache.bytes += klen;
        cache.stats.entries = cache.n;
    }
    if (f->have & what)
        goto out; /* another thread was first */
    if (what == HAVE_LSTAT) {
        f->lstat_err = err;
        if (!err)
            f->lst = *st;
    } else if (what == HAVE_STAT) {
        f->stat_err = err;
        if (!err)
            f->st = *st;
    } else {
        f->link_err = err;
        if (!err) {
            if (cache.bytes + link_len > ROOT_CACHE_MAX_BYTES)
                goto out;
            f->link = xstrndup(link, link_len);
            f->link_len = link_len;
            cache.bytes += link_len;
        }
    }
    f->have |= what;
out:
    pthread_mutex_unlock(&cache.mu);
}

/* ---- host paths ------------------------------------------------------------ */

bool root_confined(const root *r)
{
    return r && ((r->dir && *r->dir) || r->nmounts);
}

/* The mount whose `at` is the longest component-wise prefix of machine_path. */
static const root_mount *mount_of(const root *r, const char *machine_path, size_t *at_len)
{
    const root_mount *best = NULL;
    size_t bl = 0;
    for (size_t i = 0; r && i < r->nmounts; i++) {
        size_t n = strlen(r->mounts[i].at);
        if (n > bl && strncmp(machine_path, r->mounts[i].at, n) == 0 &&
            (machine_path[n] == '/' || machine_path[n] == '\0'))
            best = &r->mounts[i], bl = n;
    }
    *at_len = bl;
    return best;
}

char *root_join(const root *r, const char *machine_path)
{
    size_t skip = 0;
    const root_mount *m = mount_of(r, machine_path, &skip);
    const char *dir = m ? m->host : r && r->dir ? r->dir : "";
    const char *rest = machine_path + skip;
    if (!*dir)
        return xstrdup(*rest || m ? rest : machine_path);
    size_t ld = strlen(dir), lp = strlen(rest);
    char *p = xmalloc(ld + lp + 2);
    memcpy(p, dir, ld);
    size_t o = ld;
    if (*rest && rest[0] != '/')
        p[o++] = '/';
    memcpy(p + o, rest, lp + 1);
    return p;
}

/* A path no system call accepts (one component longer than NAME_MAX): what
 * root_path gives for a path that cannot be resolved inside the root. */
static char *unreachable_path(const root *r)
{
    char *base = root_join(r, "/");
    size_t lb = strlen(base);
    char *p = xmalloc(lb + NAME_MAX + 3);
    memcpy(p, base, lb);
    p[lb] = '/';
    memset(p + lb + 1, '#', NAME_MAX + 1);
    p[lb + NAME_MAX + 2] = '\0';
    free(base);
    return p;
}

/* One question about a machine path whose every component but the last is
 * known not to be a link (or the live root): lstat or stat into st, or
 * readlink into buf. */
static ssize_t raw_ask(const root *r, const char *machine_path, unsigned what, struct stat *st,
                       char *buf, size_t len)
{
    if (what == HAVE_LINK && len == 0) {
        errno = EINVAL;
        return -1;
    }
    char *host = root_join(r, machine_path);
    bool keep = !volatile_path(machine_path);
    uint64_t h = fnv1a(host), gen = 0;
    ssize_t ret;
    if (keep && cache_lookup(host, h, what, st, buf, len, &ret, &gen)) {
        free(host);
        return ret;
    }
    struct stat got;
    char target[ROOT_PATH_MAX];
    ssize_t tn = 0;
    int rc;
    unsigned asked = what;
    if (what == HAVE_LINK) {
        tn = readlink(host, target, sizeof(target) - 1);
        rc = tn < 0 ? -1 : 0;
    } else {
        /* stat: lstat first, which answers both unless the path is a symlink */
        rc = lstat(host, &got);
        asked = HAVE_LSTAT;
    }
    int err = rc ? errno : 0;
    if (keep)
        cache_store(host, h, asked, err, &got, target, tn > 0 ? (size_t)tn : 0, gen);
    if (what == HAVE_STAT && !err && S_ISLNK(got.st_mode)) {
        rc = stat(host, &got);
        err = rc ? errno : 0;
        if (keep)
            cache_store(host, h, HAVE_STAT, err, &got, NULL, 0, gen);
    }
    free(host);
    if (err) {
        errno = err;
        return -1;
    }
    if (what != HAVE_LINK) {
        *st = got;
        return 0;
    }
    size_t n = (size_t)tn < len - 1 ? (size_t)tn : len - 1;
    memcpy(buf, target, n);
    buf[n] = '\0';
    return (ssize_t)n;
}

/* Links followed while resolving one path under a confining root: the
 * kernel's own bound (40), so a path the kernel opens resolves here too. */
#define ROOT_MAX_HOPS 40

/* Resolve what must be resolved before asking: all of machine_path (stat),
 * or its directory (lstat, readlink: the last component is asked about
 * itself). res gets the path to ask; false with errno set if there is none. */
static bool confined_target(const root *r, const char *machine_path, bool whole, char *res,
                            size_t reslen)
{
    const char *slash = strrchr(machine_path, '/');
    const char *base = slash ? slash + 1 : machine_path;
    bool dotty = !*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0;
    char dir[ROOT_PATH_MAX];
    const char *ask = machine_path;
    if (!whole && !dotty) {
        size_t dl = slash ? (size_t)(slash - machine_path) : 0;
        if (dl >= sizeof(dir)) {
            errno = ENAMETOOLONG;
            return false;
        }
        memcpy(dir, machine_path, dl);
        dir[dl] = '\0';
        ask = dir;
    }
    root_resolution info;
    root_resolve_status s = root_resolve(r, *ask ? ask : "/", 0, ROOT_MAX_HOPS, res, reslen, &info);
    if (s != ROOT_RESOLVED) {
        errno = s == ROOT_LOOP ? ELOOP : s == ROOT_TOOLONG ? ENAMETOOLONG
              : info.err ? info.err : ENOENT;
        return false;
    }
    if (whole || dotty)
        return true;
    size_t rl = strlen(res), bl = strlen(base);
    if (rl + bl + 2 > reslen) {
        errno = ENAMETOOLONG;
        return false;
    }
    if (rl == 1)
        rl = 0; /* "/" + base */
    res[rl] = '/';
    memcpy(res + rl + 1, base, bl + 1);
    return true;
}

static ssize_t root_ask(const root *r, const char *machine_path, unsigned what, struct stat *st,
                        char *buf, size_t len)
{
    if (!root_confined(r))
        return raw_ask(r, machine_path, what, st, buf, len);
    char res[ROOT_PATH_MAX];
    if (!confined_target(r, machine_path, what == HAVE_STAT, res, sizeof(res)))
        return -1;
    /* stat of a resolved path: no link is left to follow (lstat, so that one
     * put there meanwhile is not followed out of the root) */
    return raw_ask(r, res, what == HAVE_STAT ? HAVE_LSTAT : what, st, buf, len);
}

int root_lstat(const root *r, const char *machine_path, struct stat *st)
{
    return (int)root_ask(r, machine_path, HAVE_LSTAT, st, NULL, 0);
}

int root_stat(const root *r, const char *machine_path, struct stat *st)
{
    return (int)root_ask(r, machine_path, HAVE_STAT, st, NULL, 0);
}

ssize_t root_readlink(const root *r, const char *machine_path, char *buf, size_t len)
{
    return root_ask(r, machine_path, HAVE_LINK, NULL, buf, len);
}

char *root_path(const root *r, const char *machine_path)
{
    if (!root_confined(r))
        return xstrdup(machine_path);
    char res[ROOT_PATH_MAX];
    root_resolution info;
    root_resolve_status s = root_resolve(r, machine_path, 0, ROOT_MAX_HOPS, res, sizeof(res), &info);
    if (s == ROOT_RESOLVED)
        return root_join(r, res);
    if (s == ROOT_MISSING) {
        /* the part after the missing component is not resolved: without
         * "..", it cannot climb out (and does not exist) */
        const char *rest = res + info.stop;
        bool climbs = false;
        for (const char *c = rest; *c && !climbs; c += strcspn(c, "/")) {
            while (*c == '/')
                c++;
            climbs = strncmp(c, "..", 2) == 0 && (c[2] == '/' || c[2] == '\0');
        }
        if (!climbs)
            return root_join(r, res);
    }
    return unreachable_path(r);
}

void root_cache_forget(void)
{
    pthread_mutex_lock(&cache.mu);
    for (size_t i = 0; i < cache.cap; i++) {
        if (cache.slots[i]) {
            free(cache.slots[i]->link);
            free(cache.slots[i]);
            cache.slots[i] = NULL;
        }
    }
    cache.n = 0;
    cache.bytes = 0;
    cache.gen++;
    cache.stats.entries = 0;
    pthread_mutex_unlock(&cache.mu);
}

void root_cache_free(void)
{
    root_cache_forget();
    pthread_mutex_lock(&cache.mu);
    free(cache.slots);
    cache.slots = NULL;
    cache.cap = 0;
    pthread_mutex_unlock(&cache.mu);
}

root_cache_stats root_cache_get_stats(void)
{
    pthread_mutex_lock(&cache.mu);
    root_cache_stats s = cache.stats;
    pthread_mutex_unlock(&cache.mu);
    return s;
}

bool root_exists(const root *r, const char *machine_path)
{
    struct stat st;
    return root_stat(r, machine_path, &st) == 0;
}

bool root_is_dir(const root *r, const char *machine_path)
{
    struct stat st;
    return root_stat(r, machine_path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool root_is_file(const root *r, const char *machine_path)
{
    struct stat st;
    return root_stat(r, machine_path, &st) == 0 && S_ISREG(st.st_mode);
}

bool root_is_executable(const root *r, const char *machine_path)
{
    struct stat st;
    return root_stat(r, machine_path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

/* ---- the resolver ---------------------------------------------------------- */

/* Length of the parent of path[0..n) ("/a/b" -> "/a", "/a" -> ""): what ".." leaves. */
static size_t parent_len(const char *path, size_t n)
{
    while (n > 0 && path[n - 1] != '/')
        n--;
    return n > 0 ? n - 1 : 0;
}

/* Lexically clean path into out: "/" then its components, without "." and
 * with ".." dropping the one before (never above /). False if it does not fit. */
static bool clean_into(char *out, size_t outlen, const char *path)
{
    size_t o = 0;
    for (const char *s = path; *s;) {
        while (*s == '/')
            s++;
        size_t n = strcspn(s, "/");
        if (n == 0)
            break;
        if (n == 2 && s[0] == '.' && s[1] == '.') {
            o = parent_len(out, o);
        } else if (!(n == 1 && s[0] == '.')) {
            if (o + n + 2 > outlen)
                return false;
            out[o++] = '/';
            memcpy(out + o, s, n);
            o += n;
        }
        s += n;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = '\0';
    return true;
}

static root_resolve_status resolve_end(root_resolve_status s, char *out, size_t outlen,
                                       root_resolution *info, int hops, size_t stop, int err,
                                       const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la + lb >= outlen && s == ROOT_RESOLVED)
        s = ROOT_TOOLONG;
    size_t n = la < outlen - 1 ? la : outlen - 1;
    memcpy(out, a, n);
    size_t m = lb < outlen - 1 - n ? lb : outlen - 1 - n;
    memcpy(out + n, b, m);
    out[n + m] = '\0';
    if (info) {
        info->hops = hops;
        info->stop = stop < n + m ? stop : n + m;
        info->err = err;
    }
    return s;
}

root_resolve_status root_resolve(const root *r, const char *machine_path, unsigned flags,
                                 int max_hops, char *out, size_t outlen, root_resolution *info)
{
    char done[ROOT_PATH_MAX] = "", rest[ROOT_PATH_MAX], cand[ROOT_PATH_MAX];
    char target[ROOT_PATH_MAX], next[ROOT_PATH_MAX * 2];
    size_t nd = 0;
    int hops = 0;
    if (outlen == 0)
        return ROOT_TOOLONG;
    size_t np = strlen(machine_path);
    bool fits = np < sizeof(rest);
    if (fits && (flags & ROOT_RESOLVE_LEXICAL))
        fits = clean_into(rest, sizeof(rest), machine_path);
    else if (fits)
        memcpy(rest, machine_path, np + 1);
    if (!fits)
        return resolve_end(ROOT_TOOLONG, out, outlen, info, 0, 0, ENAMETOOLONG, machine_path, "");
    const char *p = rest;
    while (*p) {
        while (*p == '/')
            p++;
        size_t len = strcspn(p, "/");
        if (len == 0)
            break;
        const char *comp = p;
        p += len;
        if (len == 1 && comp[0] == '.')
            continue;
        if (len == 2 && comp[0] == '.' && comp[1] == '.') {
            nd = parent_len(done, nd);
            done[nd] = '\0';
            continue;
        }
        if (len > 255 || nd + 1 + len >= sizeof(cand))
            return resolve_end(ROOT_TOOLONG, out, outlen, info, hops, 0, ENAMETOOLONG,
                               machine_path, "");
        memcpy(cand, done, nd);
        cand[nd] = '/';
        memcpy(cand + nd + 1, comp, len);
        size_t nc = nd + 1 + len;
        cand[nc] = '\0';
        struct stat st;
        if (raw_ask(r, cand, HAVE_LSTAT, &st, NULL, 0) != 0)
            return resolve_end(ROOT_MISSING, out, outlen, info, hops, nc, errno, cand, p);
        if (!S_ISLNK(st.st_mode)) {
            memcpy(done, cand, nc + 1);
            nd = nc;
            continue;
        }
        if (hops >= max_hops)
            return resolve_end(ROOT_LOOP, out, outlen, info, hops, nc, ELOOP, cand, p);
        ssize_t tn = raw_ask(r, cand, HAVE_LINK, NULL, target, sizeof(target));
        if (tn <= 0)
            return resolve_end(ROOT_MISSING, out, outlen, info, hops, nc, tn < 0 ? errno : ENOENT,
                               cand, p);
        hops++;
        bool lexical = flags & ROOT_RESOLVE_LEXICAL;
        if (target[0] == '/' && !lexical)
            nd = 0, done[0] = '\0';
        /* the link's directory (done) stays resolved; the rest is its target, then what followed */
        int k = lexical && target[0] != '/'
                    ? snprintf(next, sizeof(next), "%s/%s%s", done, target, p)
                    : snprintf(next, sizeof(next), "%s%s", target, p);
        if (k < 0 || (size_t)k >= sizeof(rest))
            return resolve_end(ROOT_TOOLONG, out, outlen, info, hops, nc, ENAMETOOLONG, cand, p);
        if (!lexical) {
            memcpy(rest, next, (size_t)k + 1);
            p = rest;
            continue;
        }
        /* lexical: clean the whole new path; the components it shares with done
         * are resolved already */
        if (!clean_into(rest, sizeof(rest), next))
            return resolve_end(ROOT_TOOLONG, out, outlen, info, hops, 0, ENAMETOOLONG,
                               machine_path, "");
        size_t m = 0;
        while (m < nd && done[m] == rest[m])
            m++;
        if (!((m == nd || done[m] == '/') && (rest[m] == '/' || rest[m] == '\0')))
            do
                m--;
            while (done[m] != '/');
        nd = m;
        done[nd] = '\0';
        p = rest + nd;
    }
    return resolve_end(ROOT_RESOLVED, out, outlen, info, hops, 0, 0, nd ? done : "/", "");
}

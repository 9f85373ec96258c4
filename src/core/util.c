/* util.c - allocation wrappers, string helpers, severities, root paths. */
#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
    fputs("golint-env: out of memory\n", stderr);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        oom();
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void str_copy(char *dst, size_t dlen, const char *src)
{
    if (!dlen)
        return;
    size_t n = strnlen(src, dlen - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

bool str_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

size_t str_edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return cap + 1;
    size_t prev[65], cur[65];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        size_t best = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t v = prev[j - 1] + cost;
            if (prev[j] + 1 < v) v = prev[j] + 1;
            if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
            cur[j] = v;
            if (v < best) best = v;
        }
        if (best > cap)
            return cap + 1;
        memcpy(prev, cur, sizeof(size_t) * (lb + 1));
    }
    return prev[lb] > cap ? cap + 1 : prev[lb];
}

static const char *const severity_names[] = {"error", "warning", "info", "style", "none"};

const char *severity_name(severity s)
{
    return (unsigned)s < GE_ARRAY_LEN(severity_names) ? severity_names[s] : "unknown";
}

bool severity_parse(const char *name, severity *out)
{
    for (size_t i = 0; i < GE_ARRAY_LEN(severity_names); i++) {
        if (strcmp(name, severity_names[i]) == 0) {
            *out = (severity)i;
            return true;
        }
    }
    return false;
}

const char *fix_applicability_name(fix_applicability a)
{
    switch (a) {
    case FIX_SAFE: return "safe";
    case FIX_UNSAFE: return "unsafe";
    default: return "display";
    }
}

char *root_unpath(const root *r, const char *host_path)
{
    const char *dir = r && r->dir ? r->dir : "";
    size_t ld = strlen(dir);
    if (ld && strncmp(host_path, dir, ld) == 0 && (host_path[ld] == '/' || host_path[ld] == '\0'))
        return xstrdup(host_path[ld] ? host_path + ld : "/");
    return xstrdup(host_path);
}

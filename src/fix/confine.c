/* confine.c - where a fix may write. Under a confining root (--root DIR) the
 * file actually written, links followed, must be inside the root; a file of
 * the analysed user's home that is reached through a link is written only if
 * the file it leads to belongs to the owner of that home (root running
 * `--user alice --fix` must not rewrite a root-owned file alice linked to). */
#include "fix/fix.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* path is dir or below it (both canonical host paths). */
static bool path_inside(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/')
        return true;
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The host file a write of host_path lands on: realpath of it, or for a file
 * to create, realpath of its directory and its name. Heap; NULL with errno. */
static char *write_target(const char *host_path, bool created)
{
    if (!created)
        return realpath(host_path, NULL);
    const char *slash = strrchr(host_path, '/');
    char *dir = slash ? xstrndup(host_path, slash == host_path ? 1 : (size_t)(slash - host_path))
                      : xstrdup(".");
    char *real = realpath(dir, NULL);
    free(dir);
    if (!real)
        return NULL;
    const char *base = slash ? slash + 1 : host_path;
    size_t n = strlen(real) + strlen(base) + 2;
    char *t = xmalloc(n);
    snprintf(t, n, "%s/%s", strcmp(real, "/") ? real : "", base);
    free(real);
    return t;
}

bool fix_target_allowed(const fix_options *o, const char *display, const char *host_path,
                        bool created, char *why, size_t whylen)
{
    const root *r = o->root;
    bool confined = root_confined(r);
    if (!confined && !o->home)
        return true;
    char *target = write_target(host_path, created);
    if (!target) {
        snprintf(why, whylen, "cannot tell where %s leads: %s; not written", display,
                 strerror(errno));
        return false;
    }
    bool ok = true;
    if (confined && r->dir && *r->dir) {
        char *rd = realpath(r->dir, NULL);
        if (!rd || !path_inside(target, rd)) {
            snprintf(why, whylen, "%s leads outside the root %s (to %s); not written", display,
                     r->dir, target);
            ok = false;
        }
        free(rd);
    }
    size_t hl = o->home ? strlen(o->home) : 0;
    bool in_home = hl > 1 && strncmp(display, o->home, hl) == 0 &&
                   (display[hl] == '/' || display[hl] == '\0');
    if (ok && in_home) {
        char *as_named = root_join(r, display);
        char *named_real = created ? write_target(as_named, true) : NULL;
        bool through_link = strcmp(named_real ? named_real : as_named, target) != 0;
        free(named_real);
        free(as_named);
        /* a file to create is owned by whoever owns where it goes */
        char *owned = created ? xstrndup(target, (size_t)(strrchr(target, '/') - target))
                              : xstrdup(target);
        struct stat home_st, target_st;
        char *home_host = root_path(r, o->home);
        bool have = stat(home_host, &home_st) == 0 && stat(*owned ? owned : "/", &target_st) == 0;
        free(home_host);
        free(owned);
        if (through_link && (!have || target_st.st_uid != home_st.st_uid)) {
            if (have)
                snprintf(why, whylen,
                         "%s is a link to %s, owned by uid %ju, not by the owner of %s (uid %ju); "
                         "not written",
                         display, target, (uintmax_t)target_st.st_uid, o->home,
                         (uintmax_t)home_st.st_uid);
            else
                snprintf(why, whylen, "%s is a link to %s, whose owner cannot be checked (%s); "
                         "not written", display, target, strerror(errno));
            ok = false;
        }
    }
    free(target);
    return ok;
}

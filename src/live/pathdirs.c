/*
 * pathdirs.c - the directories on each context's PATH as the machine has
 * them: writable by group or others, or owned by another user (GE6040: a
 * planted `go` would run first), or missing (GE6041).
 */
#include "live/live_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct seen_dir {
    char dir[512];
    finding *f;
} seen_dir;

static void check_dir(live_run *lr, const live_context *c, const char *dir, const char *file,
                      int line, seen_dir *seen, size_t *nseen, size_t max)
{
    for (size_t i = 0; i < *nseen; i++)
        if (strcmp(seen[i].dir, dir) == 0) {
            if (seen[i].f)
                finding_add_context(lr->out, seen[i].f, c->name);
            return;
        }
    if (*nseen >= max || strlen(dir) >= sizeof(seen[0].dir))
        return;
    seen_dir *s = &seen[(*nseen)++];
    snprintf(s->dir, sizeof(s->dir), "%s", dir);
    s->f = NULL;
    char res[4096];
    bool loop;
    if (!live_resolve(lr->o->root, dir, res, sizeof(res), &loop) || !root_is_dir(lr->o->root, res)) {
        if (!file)
            return; /* a built-in default (like /usr/games): no line to change */
        s->f = live_finding(lr, "GE6041", SEV_INFO, file, line,
                            "PATH directory %s does not exist on this machine%s", dir,
                            loop ? " (symlink loop)" : "");
        finding_add_context(lr->out, s->f, c->name);
        return;
    }
    struct stat st;
    if (root_stat(lr->o->root, res, &st) != 0)
        return;
    const char *why = NULL;
    char buf[96];
    if (st.st_mode & S_IWOTH) {
        snprintf(buf, sizeof(buf), "is writable by every user (mode %04o)", (unsigned)(st.st_mode & 07777));
        why = buf;
    } else if (st.st_mode & S_IWGRP) {
        snprintf(buf, sizeof(buf), "is writable by its group %lu (mode %04o)", (unsigned long)st.st_gid,
                 (unsigned)(st.st_mode & 07777));
        why = buf;
    } else if (lr->uid >= 0 && st.st_uid != 0 && (long)st.st_uid != lr->uid) {
        snprintf(buf, sizeof(buf), "is owned by another user (uid %lu)", (unsigned long)st.st_uid);
        why = buf;
    }
    if (!why)
        return;
    s->f = live_finding(lr, "GE6040", SEV_WARNING, file ? file : dir, line,
                        "PATH directory %s%s%s %s: whoever can write there can plant a `go` (or "
                        "any command) that runs instead of the real one",
                        dir, strcmp(res, dir) ? " -> " : "", strcmp(res, dir) ? res : "", why);
    finding_add_context(lr->out, s->f, c->name);
}

void live_pathdirs_check(live_run *lr)
{
    seen_dir *seen = arena_alloc(lr->a, 128 * sizeof(*seen));
    size_t nseen = 0;
    for (size_t i = 0; i < lr->nctx; i++) {
        const live_context *c = &lr->ctx[i];
        if ((c->name && strncmp(c->name, "systemd:", 8) == 0) || c->pid)
            continue;
        if (c->path) {
            for (size_t k = 0; k < c->npath; k++)
                if (c->path[k].dir && c->path[k].dir[0] == '/')
                    check_dir(lr, c, c->path[k].dir, c->path[k].file, c->path[k].line, seen, &nseen, 128);
            continue;
        }
        for (const char *p = c->v[LV_PATH].value; p && *p;) {
            size_t len = strcspn(p, ":");
            if (len && p[0] == '/' && len < 500) {
                char dir[512];
                snprintf(dir, sizeof(dir), "%.*s", (int)len, p);
                check_dir(lr, c, dir, c->v[LV_PATH].file, c->v[LV_PATH].line, seen, &nseen, 128);
            }
            p += len;
            if (*p == ':')
                p++;
        }
    }
}

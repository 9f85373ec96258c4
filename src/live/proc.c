/*
 * proc.c - a running process against its limits: the current process
 * (getrlimit in live mode), --pid N or --unit NAME (found through the cgroup
 * paths in /proc/N/cgroup, never D-Bus). Descriptors near the soft limit
 * (GE6011, the leak pattern), threads near NPROC (GE6012), a unit whose
 * configured LimitNOFILE is not what its process runs with (GE6013), a unit
 * that is not running (GE6014), and the figures (GE6010).
 */
#include "live/live_int.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "sysconf/sysconf.h"

static bool limit_value(const char *s, uint64_t *out, const char **end)
{
    while (*s == ' ')
        s++;
    if (strncmp(s, "unlimited", 9) == 0) {
        *out = LIVE_RLIM_INF;
        *end = s + 9;
        return true;
    }
    return live_parse_u64(s, out, end);
}

void live_limits_parse(const char *text, live_rlimit *nofile, live_rlimit *nproc)
{
    static const struct { const char *name; int which; } rows[] = {
        {"Max open files", 0},
        {"Max processes", 1},
    };
    memset(nofile, 0, sizeof(*nofile));
    memset(nproc, 0, sizeof(*nproc));
    int line = 1;
    for (const char *p = text; p && *p; line++) {
        for (size_t i = 0; i < GE_ARRAY_LEN(rows); i++) {
            size_t n = strlen(rows[i].name);
            if (strncmp(p, rows[i].name, n) != 0 || (p[n] != ' ' && p[n] != '\t'))
                continue;
            live_rlimit *rl = rows[i].which ? nproc : nofile;
            const char *q = p + n;
            if (limit_value(q, &rl->soft, &q) && limit_value(q, &rl->hard, &q)) {
                rl->found = true;
                rl->line = line;
            }
        }
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
}

static long count_dir(const root *r, const char *machine_path)
{
    char *host = root_path(r, machine_path);
    DIR *d = opendir(host);
    free(host);
    if (!d)
        return -1;
    long n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

/* Value of "Key:\tvalue" in a status file; line receives its line. */
static bool status_field(const char *text, const char *key, char *out, size_t n, int *line)
{
    char pre[64];
    snprintf(pre, sizeof(pre), "%s:", key);
    int l = live_line_of(text, pre);
    if (!l)
        return false;
    const char *p = text;
    for (int i = 1; i < l; i++)
        p = strchr(p, '\n') + 1;
    p += strlen(pre);
    while (*p == ' ' || *p == '\t')
        p++;
    size_t len = strcspn(p, "\n");
    if (len >= n)
        len = n - 1;
    memcpy(out, p, len);
    out[len] = '\0';
    if (line)
        *line = l;
    return true;
}

bool live_proc_read(const root *r, int pid, live_proc *p)
{
    memset(p, 0, sizeof(*p));
    p->pid = pid;
    p->nfds = -1;
    p->threads = -1;
    if (pid > 0)
        snprintf(p->proc_dir, sizeof(p->proc_dir), "/proc/%d", pid);
    else
        snprintf(p->proc_dir, sizeof(p->proc_dir), "/proc/self");
    char path[96];
    snprintf(path, sizeof(path), "%s/limits", p->proc_dir);
    char *lim = live_read(r, path, NULL);
    snprintf(path, sizeof(path), "%s/status", p->proc_dir);
    char *st = live_read(r, path, NULL);
    if (!lim && !st)
        return false;
    if (lim)
        live_limits_parse(lim, &p->nofile, &p->nproc);
    char v[64];
    if (st && status_field(st, "Threads", v, sizeof(v), &p->threads_line))
        p->threads = strtol(v, NULL, 10);
    if (st && status_field(st, "Name", v, sizeof(v), NULL))
        snprintf(p->comm, sizeof(p->comm), "%s", v);
    snprintf(path, sizeof(path), "%s/fd", p->proc_dir);
    p->nfds = count_dir(r, path);
    free(lim);
    free(st);
    return true;
}

static bool cgroup_has_unit(const char *text, const char *unit)
{
    size_t ul = strlen(unit);
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        const char *c = memchr(p, ':', len);
        if (c)
            c = memchr(c + 1, ':', len - (size_t)(c + 1 - p));
        if (c) {
            const char *path = c + 1;
            size_t pl = len - (size_t)(path - p);
            for (size_t i = 0; i + ul + 1 <= pl; i++)
                if (path[i] == '/' && memcmp(path + i + 1, unit, ul) == 0 &&
                    (i + 1 + ul == pl || path[i + 1 + ul] == '/'))
                    return true;
        }
        p = nl ? nl + 1 : NULL;
    }
    return false;
}

int live_unit_pid(const root *r, const char *unit)
{
    char *host = root_path(r, "/proc");
    DIR *d = opendir(host);
    free(host);
    if (!d || !unit || !*unit) {
        if (d)
            closedir(d);
        return 0;
    }
    int pids[256], ppids[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < GE_ARRAY_LEN(pids)) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        char path[300];
        snprintf(path, sizeof(path), "/proc/%s/cgroup", e->d_name);
        char *cg = live_read(r, path, NULL);
        bool hit = cg && cgroup_has_unit(cg, unit);
        free(cg);
        if (!hit)
            continue;
        snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
        char *st = live_read(r, path, NULL);
        char v[32] = "0";
        if (st)
            status_field(st, "PPid", v, sizeof(v), NULL);
        free(st);
        pids[n] = atoi(e->d_name);
        ppids[n] = atoi(v);
        n++;
    }
    closedir(d);
    int best = 0;
    for (size_t i = 0; i < n; i++) {
        bool inner = false;
        for (size_t k = 0; k < n; k++)
            if (pids[k] == ppids[i])
                inner = true;
        if (!inner && (best == 0 || pids[i] < best))
            best = pids[i];
    }
    return best;
}

static void fmt_limit(uint64_t v, char *out, size_t n)
{
    if (v == LIVE_RLIM_INF)
        snprintf(out, n, "unlimited");
    else
        snprintf(out, n, "%llu", (unsigned long long)v);
}

static const unit_setting *unit_key(const unit_view *u, const char *key)
{
    const unit_setting *s = NULL;
    for (size_t k = 0; u && k < u->nsettings; k++)
        if (u->settings[k] && u->settings[k]->key && strcmp(u->settings[k]->key, key) == 0)
            s = u->settings[k];
    return s;
}

static const unit_view *find_unit(const struct sysconf *sc, const char *name)
{
    for (size_t i = 0; sc && name && i < sc->nunits; i++)
        if (sc->units[i] && sc->units[i]->name && strcmp(sc->units[i]->name, name) == 0)
            return sc->units[i];
    return NULL;
}

void live_proc_check(live_run *lr)
{
    const live_options *o = lr->o;
    int pid = lr->pid;
    const unit_view *uv = NULL;
    const char *unit = lr->unit ? lr->unit : "";
    if (lr->unit) {
        uv = find_unit(o->sc, unit);
        if (lr->unit_missing) {
            live_finding(lr, "GE6014", SEV_INFO, uv && uv->fragment ? uv->fragment : "/proc", 1,
                         "unit %s has no running process (no /proc/N/cgroup path ends in /%s): "
                         "its live limits cannot be checked", unit, unit);
            return;
        }
    }
    live_proc p;
    if (!live_proc_read(o->root, pid, &p)) {
        if (pid)
            live_finding(lr, "GE6014", SEV_INFO, p.proc_dir, 1,
                         "process %d is not running (no %s): its live limits cannot be checked",
                         pid, p.proc_dir);
        else if (!lr->live)
            return;
    }
    char lpath[64];
    snprintf(lpath, sizeof(lpath), "%s/limits", p.proc_dir);
    if (lr->live && pid == 0) {
        /* This process: ask the kernel, the same numbers `ulimit -n` shows. */
        struct rlimit rl;
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
            p.nofile.soft = rl.rlim_cur == RLIM_INFINITY ? LIVE_RLIM_INF : (uint64_t)rl.rlim_cur;
            p.nofile.hard = rl.rlim_max == RLIM_INFINITY ? LIVE_RLIM_INF : (uint64_t)rl.rlim_max;
            p.nofile.found = true;
        }
        if (getrlimit(RLIMIT_NPROC, &rl) == 0) {
            p.nproc.soft = rl.rlim_cur == RLIM_INFINITY ? LIVE_RLIM_INF : (uint64_t)rl.rlim_cur;
            p.nproc.hard = rl.rlim_max == RLIM_INFINITY ? LIVE_RLIM_INF : (uint64_t)rl.rlim_max;
            p.nproc.found = true;
        }
    }
    char who[96];
    if (pid)
        snprintf(who, sizeof(who), "process %d%s%s%s", pid, p.comm[0] ? " (" : "", p.comm,
                 p.comm[0] ? ")" : "");
    else
        snprintf(who, sizeof(who), "this process");
    char ws[24], wh[24], ps[24], ph[24];
    fmt_limit(p.nofile.soft, ws, sizeof(ws));
    fmt_limit(p.nofile.hard, wh, sizeof(wh));
    fmt_limit(p.nproc.soft, ps, sizeof(ps));
    fmt_limit(p.nproc.hard, ph, sizeof(ph));
    if (p.nofile.found || p.nproc.found) {
        live_finding(lr, "GE6010", SEV_INFO, lpath, p.nofile.line,
                     "%s: open files soft %s hard %s (ulimit -n / -Hn), %ld open; "
                     "processes soft %s hard %s; %ld threads",
                     who, ws, wh, p.nfds, ps, ph, p.threads);
    }
    if (p.nofile.found && p.nofile.soft != LIVE_RLIM_INF && p.nofile.soft > 0 && p.nfds >= 0 &&
        (uint64_t)p.nfds * 10 >= p.nofile.soft * 9)
        live_finding(lr, "GE6011", SEV_WARNING, lpath, p.nofile.line,
                     "%s has %ld descriptors open (%s/fd) against a soft limit of %s: "
                     "at 90%% or more, the next accept or open fails with EMFILE; "
                     "look for a descriptor leak (lsof -p PID) before raising the limit",
                     who, p.nfds, p.proc_dir, ws);
    if (p.nproc.found && p.nproc.soft != LIVE_RLIM_INF && p.nproc.soft > 0 && p.threads >= 0 &&
        (uint64_t)p.threads * 10 >= p.nproc.soft * 9) {
        char spath[64];
        snprintf(spath, sizeof(spath), "%s/status", p.proc_dir);
        live_finding(lr, "GE6012", SEV_WARNING, spath, p.threads_line,
                     "%s runs %ld threads against a process limit (NPROC) of %s: "
                     "Go cannot start more OS threads (runtime: failed to create new OS thread)",
                     who, p.threads, ps);
    }
    /* A unit's configured LimitNOFILE against what its process runs with. */
    const unit_setting *s = unit_key(uv, "LimitNOFILE");
    if (s && s->value && p.nofile.found) {
        unit_rlimit rl;
        char why[128];
        if (unit_rlimit_parse("LimitNOFILE", s->value, &rl, why, sizeof(why)) &&
            rl.hard != RLIMIT_VALUE_INFINITY && rl.hard != p.nofile.hard)
            live_finding(lr, "GE6013", SEV_WARNING, s->src ? s->src->path : uv->fragment, s->line,
                         "LimitNOFILE=%s is configured but %s runs with a hard limit of %s "
                         "(%s): run systemctl daemon-reload and restart %s",
                         s->value, unit, wh, lpath, unit);
    }
}

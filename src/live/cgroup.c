/*
 * cgroup.c - the CPU a process may use and what GOMAXPROCS makes of it:
 * cgroup v1, v2 or hybrid from mountinfo, the process's cgroup from
 * /proc/N/cgroup, cpu.max (v2) or cpu.cfs_quota_us/cpu.cfs_period_us (v1)
 * up the hierarchy, and the affinity mask. The limit is the minimum of all.
 * GOMAXPROCS set above it (GE6021), a Go that ignores it (GE6022), figures
 * (GE6020).
 */
#include "live/live_int.h"

#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *live_cg_mode_name(live_cg_mode m)
{
    static const char *const n[] = {"none", "v1", "v2", "hybrid"};
    return m <= LIVE_CG_HYBRID ? n[m] : "?";
}

/* One mountinfo line split into what we need. */
typedef struct mi_line {
    char root[256], point[256], fstype[32], super[256];
} mi_line;

static bool mi_parse(const char *line, size_t len, mi_line *m)
{
    char buf[1200];
    if (len >= sizeof(buf))
        return false;
    memcpy(buf, line, len);
    buf[len] = '\0';
    char *sep = strstr(buf, " - ");
    if (!sep)
        return false;
    *sep = '\0';
    char *f[6] = {0};
    char *save = NULL, *t = strtok_r(buf, " ", &save);
    for (int i = 0; t && i < 6; i++, t = strtok_r(NULL, " ", &save))
        f[i] = t;
    if (!f[4])
        return false;
    snprintf(m->root, sizeof(m->root), "%s", f[3]);
    snprintf(m->point, sizeof(m->point), "%s", f[4]);
    char *rest = sep + 3;
    save = NULL;
    char *fs = strtok_r(rest, " ", &save);
    char *src = fs ? strtok_r(NULL, " ", &save) : NULL;
    char *super = src ? strtok_r(NULL, " ", &save) : NULL;
    snprintf(m->fstype, sizeof(m->fstype), "%s", fs ? fs : "");
    snprintf(m->super, sizeof(m->super), "%s", super ? super : "");
    return true;
}

static bool list_has(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, item, n) == 0)
            return true;
        p += len;
        if (*p == ',')
            p++;
    }
    return false;
}

live_cg_mode live_cg_mode_parse(const char *mountinfo)
{
    bool v1 = false, v2 = false;
    for (const char *p = mountinfo; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        mi_line m;
        if (mi_parse(p, len, &m)) {
            if (strcmp(m.fstype, "cgroup2") == 0)
                v2 = true;
            else if (strcmp(m.fstype, "cgroup") == 0)
                v1 = true;
        }
        p = nl ? nl + 1 : NULL;
    }
    return v1 && v2 ? LIVE_CG_HYBRID : v2 ? LIVE_CG_V2 : v1 ? LIVE_CG_V1 : LIVE_CG_NONE;
}

int live_cpulist_count(const char *list)
{
    int n = 0;
    const char *p = list;
    while (p && *p) {
        while (*p == ' ' || *p == ',')
            p++;
        char *e;
        long a = strtol(p, &e, 10);
        if (e == p)
            break;
        long b = a;
        p = e;
        if (*p == '-') {
            b = strtol(p + 1, &e, 10);
            if (e == p + 1)
                break;
            p = e;
        }
        if (b >= a && b - a < 65536)
            n += (int)(b - a + 1);
        while (*p && *p != ',')
            p++;
    }
    return n;
}

/* Walk from dir up to the mount point, keeping the tightest quota. */
static void quota_walk(const root *r, const char *point, const char *dir, bool v2, live_cpu_limit *out)
{
    char d[512];
    snprintf(d, sizeof(d), "%s", dir);
    size_t pl = strlen(point);
    bool first = true;
    for (int guard = 0; guard < 64; guard++) {
        char f1[600], f2[600];
        double lim = 0;
        char text[64] = "";
        if (v2) {
            snprintf(f1, sizeof(f1), "%s/cpu.max", d);
            char *t = live_read(r, f1, NULL);
            if (t) {
                t[strcspn(t, "\n")] = '\0';
                snprintf(text, sizeof(text), "%s", t);
                uint64_t q, per;
                const char *e;
                if (live_parse_u64(t, &q, &e) && live_parse_u64(e, &per, NULL) && per > 0)
                    lim = (double)q / (double)per;
                free(t);
            }
        } else {
            snprintf(f1, sizeof(f1), "%s/cpu.cfs_quota_us", d);
            snprintf(f2, sizeof(f2), "%s/cpu.cfs_period_us", d);
            char *tq = live_read(r, f1, NULL), *tp = live_read(r, f2, NULL);
            if (tq) {
                uint64_t q, per;
                tq[strcspn(tq, "\n")] = '\0';
                if (tp)
                    tp[strcspn(tp, "\n")] = '\0';
                snprintf(text, sizeof(text), "%s %s", tq, tp ? tp : "?");
                if (live_parse_u64(tq, &q, NULL) && tp && live_parse_u64(tp, &per, NULL) && per > 0)
                    lim = (double)q / (double)per;
            }
            free(tq);
            free(tp);
        }
        if (text[0] && (first || (lim > 0 && (out->quota == 0 || lim < out->quota)))) {
            if (lim > 0 && (out->quota == 0 || lim < out->quota))
                out->quota = lim;
            if (first || lim > 0) {
                snprintf(out->quota_file, sizeof(out->quota_file), "%s", f1);
                snprintf(out->quota_text, sizeof(out->quota_text), "%s", text);
            }
            first = false;
        }
        size_t dl = strlen(d);
        if (dl <= pl || strcmp(d, point) == 0)
            break;
        char *slash = strrchr(d, '/');
        if (!slash || (size_t)(slash - d) < pl)
            break;
        *slash = '\0';
    }
}

/* Machine dir of cgroup path cg in a hierarchy mounted at point from root mroot. */
static void cg_dir(const char *point, const char *mroot, const char *cg, char *out, size_t n)
{
    size_t rl = strlen(mroot);
    if (strcmp(mroot, "/") != 0 && strncmp(cg, mroot, rl) == 0)
        cg += rl;
    if (strcmp(cg, "/") == 0)
        cg = "";
    snprintf(out, n, "%.200s%.300s", point, cg);
}

/* The hierarchy holding the cpu controller: mount point, mount root, v2? */
typedef struct cpu_hier {
    bool found, v2;
    char point[256], mroot[256];
} cpu_hier;

static cpu_hier find_cpu_hier(const char *mountinfo)
{
    cpu_hier h = {0};
    cpu_hier v2 = {0};
    for (const char *p = mountinfo; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        mi_line m;
        if (mi_parse(p, len, &m)) {
            if (strcmp(m.fstype, "cgroup") == 0 && list_has(m.super, "cpu") && !h.found) {
                h.found = true;
                snprintf(h.point, sizeof(h.point), "%s", m.point);
                snprintf(h.mroot, sizeof(h.mroot), "%s", m.root);
            } else if (strcmp(m.fstype, "cgroup2") == 0 && !v2.found) {
                v2.found = v2.v2 = true;
                snprintf(v2.point, sizeof(v2.point), "%s", m.point);
                snprintf(v2.mroot, sizeof(v2.mroot), "%s", m.root);
            }
        }
        p = nl ? nl + 1 : NULL;
    }
    return h.found ? h : v2;
}

/* The cgroup path of the hierarchy from /proc/N/cgroup text. */
static bool cg_path(const char *text, bool v2, char *out, size_t n)
{
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char line[700];
        if (len < sizeof(line)) {
            memcpy(line, p, len);
            line[len] = '\0';
            char *c1 = strchr(line, ':');
            char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
            if (c2) {
                *c1 = '\0';
                *c2 = '\0';
                const char *ctl = c1 + 1;
                if ((v2 && strcmp(line, "0") == 0 && !*ctl) || (!v2 && list_has(ctl, "cpu"))) {
                    snprintf(out, n, "%s", c2 + 1);
                    return true;
                }
            }
        }
        p = nl ? nl + 1 : NULL;
    }
    return false;
}

void live_cpu_limit_read(const root *r, int pid, bool live, live_cpu_limit *out)
{
    memset(out, 0, sizeof(*out));
    char pd[32], path[64];
    if (pid > 0)
        snprintf(pd, sizeof(pd), "/proc/%d", pid);
    else
        snprintf(pd, sizeof(pd), "/proc/self");
    snprintf(path, sizeof(path), "%s/mountinfo", pd);
    char *mi = live_read(r, path, NULL);
    if (!mi)
        mi = live_read(r, "/proc/self/mountinfo", NULL);
    snprintf(path, sizeof(path), "%s/cgroup", pd);
    char *cg = live_read(r, path, NULL);
    if (mi) {
        out->mode = live_cg_mode_parse(mi);
        cpu_hier h = find_cpu_hier(mi);
        if (h.found && cg && cg_path(cg, h.v2, out->cgroup, sizeof(out->cgroup))) {
            out->cpu_v2 = h.v2;
            cg_dir(h.point, h.mroot, out->cgroup, out->dir, sizeof(out->dir));
            quota_walk(r, h.point, out->dir, h.v2, out);
        }
    }
    free(mi);
    free(cg);
    /* affinity */
    if (live) {
        cpu_set_t set;
        CPU_ZERO(&set);
        if (sched_getaffinity(pid > 0 ? pid : 0, sizeof(set), &set) == 0) {
            out->ncpus = CPU_COUNT(&set);
            snprintf(out->cpus_from, sizeof(out->cpus_from), "sched_getaffinity");
        }
    }
    if (!out->ncpus) {
        snprintf(path, sizeof(path), "%s/status", pd);
        char *st = live_read(r, path, NULL);
        int line = live_line_of(st, "Cpus_allowed_list:");
        if (line) {
            const char *p = strstr(st, "Cpus_allowed_list:") + strlen("Cpus_allowed_list:");
            char list[256];
            size_t len = strcspn(p, "\n");
            if (len >= sizeof(list))
                len = sizeof(list) - 1;
            memcpy(list, p, len);
            list[len] = '\0';
            out->ncpus = live_cpulist_count(list);
            snprintf(out->cpus_from, sizeof(out->cpus_from), "%s", path);
            out->cpus_line = line;
        }
        free(st);
    }
}

/* ---- Go's view ---------------------------------------------------------------- */

bool live_go_version_parse(const char *v, int *major, int *minor, int *patch)
{
    if (!v || strncmp(v, "go", 2) != 0)
        return false;
    char *e;
    long a = strtol(v + 2, &e, 10);
    if (e == v + 2 || *e != '.')
        return false;
    const char *q = e + 1;
    long b = strtol(q, &e, 10);
    if (e == q)
        return false;
    long c = 0;
    if (*e == '.') {
        q = e + 1;
        c = strtol(q, &e, 10);
    }
    *major = (int)a;
    *minor = (int)b;
    *patch = (int)c;
    return true;
}

int live_godebug_get(const char *godebug, const char *name)
{
    int v = -1;
    size_t n = strlen(name);
    for (const char *p = godebug; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len > n && strncmp(p, name, n) == 0 && p[n] == '=')
            v = atoi(p + n + 1) ? 1 : 0;
        p += len;
        if (*p == ',')
            p++;
    }
    return v;
}

int live_gomaxprocs_default(int go_minor, bool containermaxprocs, int ncpus, double quota)
{
    int procs = ncpus;
    if (procs <= 1 || go_minor < 25 || !containermaxprocs || quota <= 0)
        return procs;
    int lim = (int)ceil(quota);
    if (lim < 2)
        lim = 2;
    return lim < procs ? lim : procs;
}

static bool is_unit_ctx(const live_context *c)
{
    return c->name && strncmp(c->name, "systemd:", 8) == 0;
}

/* The limit of a unit's own cgroup, when the unit runs (its folder exists). */
static bool unit_limit(const live_run *lr, const live_cpu_limit *self, const char *unit,
                       live_cpu_limit *out)
{
    char *mi = live_read(lr->o->root, "/proc/self/mountinfo", NULL);
    if (!mi)
        return false;
    cpu_hier h = find_cpu_hier(mi);
    free(mi);
    if (!h.found)
        return false;
    char dir[512];
    if (snprintf(dir, sizeof(dir), "%.200s/system.slice/%.250s", h.point, unit) >= (int)sizeof(dir))
        return false;
    if (!root_is_dir(lr->o->root, dir))
        return false;
    *out = *self;
    out->quota = 0;
    out->quota_file[0] = out->quota_text[0] = '\0';
    snprintf(out->dir, sizeof(out->dir), "%s", dir);
    snprintf(out->cgroup, sizeof(out->cgroup), "/system.slice/%s", unit);
    quota_walk(lr->o->root, h.point, dir, h.v2, out);
    return true;
}

static void fmt_cpus(double q, char *out, size_t n)
{
    if (q == floor(q))
        snprintf(out, n, "%.0f", q);
    else
        snprintf(out, n, "%.2g", q);
}

static void check_context(live_run *lr, size_t i, const live_cpu_limit *lim)
{
    const live_context *c = &lr->ctx[i];
    if (!lim->ncpus)
        return;
    int cap = lim->ncpus;
    if (lim->quota > 0 && (int)ceil(lim->quota) < cap)
        cap = (int)ceil(lim->quota);
    char q[32];
    fmt_cpus(lim->quota, q, sizeof(q));
    const live_value *gmp = &c->v[LV_GOMAXPROCS];
    if (gmp->value && *gmp->value) {
        char *e;
        long n = strtol(gmp->value, &e, 10);
        if (*e || n <= 0)
            return; /* an invalid value is a GE3xxx matter */
        if (n > cap) {
            char why[800];
            if (lim->quota > 0 && cap < lim->ncpus)
                snprintf(why, sizeof(why), "%s: %s = %s CPU%s", lim->quota_file, lim->quota_text, q,
                         lim->quota == 1 ? "" : "s");
            else
                snprintf(why, sizeof(why), "affinity from %s", lim->cpus_from);
            finding *f = live_finding(
                lr, "GE6021", SEV_WARNING, gmp->file ? gmp->file : lim->quota_file, gmp->line,
                "GOMAXPROCS=%ld but the process may use only %d CPU%s (%s): the extra threads "
                "compete for the quota and the process is throttled; set GOMAXPROCS=%d, or leave "
                "it unset with Go 1.25+",
                n, cap, cap == 1 ? "" : "s", why, cap);
            finding_add_context(lr->out, f, c->name);
        }
        return;
    }
    if (lim->quota <= 0 || cap >= lim->ncpus)
        return;
    int maj, minor, patch;
    const char *ver = lr->go_version[i];
    if (!live_go_version_parse(ver, &maj, &minor, &patch))
        return;
    int cmp = live_godebug_get(c->v[LV_GODEBUG].value, "containermaxprocs");
    bool runs_exec = is_unit_ctx(c) || c->pid;
    const char *where = runs_exec && c->exec_file ? c->exec_file : lim->quota_file;
    int line = runs_exec && c->exec_file ? c->exec_line : 1;
    const char *bin = runs_exec && c->exec ? c->exec : lr->go_path[i] ? lr->go_path[i] : "go";
    finding *f = NULL;
    if (maj == 1 && minor < 25)
        f = live_finding(lr, "GE6022", SEV_WARNING, where, line,
                         "%s is %s %s, which ignores the cgroup CPU limit: GOMAXPROCS "
                         "defaults to %d (the CPUs it may run on) while %s allows %s CPUs (%s); "
                         "set GOMAXPROCS=%d or rebuild with Go 1.25+",
                         bin, runs_exec ? "built with" : "a toolchain whose programs use", ver, lim->ncpus, lim->quota_file, q, lim->quota_text,
                         live_gomaxprocs_default(25, true, lim->ncpus, lim->quota));
    else if (cmp == 0 && c->v[LV_GODEBUG].file)
        f = live_finding(lr, "GE6022", SEV_WARNING, c->v[LV_GODEBUG].file, c->v[LV_GODEBUG].line,
                         "GODEBUG containermaxprocs=0 turns off Go %d.%d's cgroup-aware default: "
                         "GOMAXPROCS becomes %d while %s allows %s CPUs (%s)",
                         maj, minor, lim->ncpus, lim->quota_file, q, lim->quota_text);
    if (f)
        finding_add_context(lr->out, f, c->name);
}

void live_cgroup_check(live_run *lr)
{
    live_cpu_limit lim, self;
    live_cpu_limit_read(lr->o->root, lr->pid, lr->live, &lim);
    live_cpu_limit_read(lr->o->root, 0, lr->live, &self);
    if (!lim.ncpus && !lim.quota_file[0])
        return;
    char q[32];
    fmt_cpus(lim.quota, q, sizeof(q));
    int d25 = live_gomaxprocs_default(25, true, lim.ncpus, lim.quota);
    const char *where = lim.quota_file[0] ? lim.quota_file : lim.cpus_from[0] ? lim.cpus_from : "/proc/self/mountinfo";
    live_finding(lr, "GE6020", SEV_INFO, where, lim.quota_file[0] ? 1 : lim.cpus_line,
                 "cgroup %s (cpu controller on %s), cgroup %s: %s %s%s%s; %d CPU%s allowed (%s); "
                 "default GOMAXPROCS %d with Go 1.25+, %d before",
                 live_cg_mode_name(lim.mode), lim.cpu_v2 ? "v2" : "v1",
                 lim.cgroup[0] ? lim.cgroup : "(not found)",
                 !lim.quota_file[0] ? "no quota file" : lim.cpu_v2 ? "cpu.max" : "cpu.cfs_quota_us cpu.cfs_period_us",
                 lim.quota_text, lim.quota > 0 ? " = limit " : " = no limit", lim.quota > 0 ? q : "",
                 lim.ncpus, lim.ncpus == 1 ? "" : "s", lim.cpus_from[0] ? lim.cpus_from : "unknown",
                 d25, lim.ncpus);
    for (size_t i = 0; i < lr->nctx; i++) {
        const live_context *c = &lr->ctx[i];
        if (is_unit_ctx(c)) {
            live_cpu_limit ul;
            const char *unit = c->name + 8;
            if (lr->unit && strcmp(unit, lr->unit) == 0 && lr->pid)
                check_context(lr, i, &lim);
            else if (unit_limit(lr, &self, unit, &ul))
                check_context(lr, i, &ul);
        } else if (c->pid) {
            check_context(lr, i, &lim);
        } else {
            check_context(lr, i, &self);
        }
    }
}

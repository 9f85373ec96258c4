/*
 * kernel.c - kernel values from <root>/proc/sys against what is configured:
 * sysctl.d lines not applied yet (GE6001), LimitNOFILE= and limits.conf
 * nofile above fs.nr_open (GE6002), system-wide file handles nearly used up
 * (GE6003), a small listen backlog (GE6004), limits above a system-wide
 * ceiling (GE6006), and the figures (GE6005).
 */
#include "live/live_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysconf/sysconf.h"

/* The keys the summary reports, in the order shown. */
static const char *const kernel_keys[] = {
    "fs.file-max", "fs.nr_open", "fs.file-nr", "net.core.somaxconn", "kernel.pid_max",
    "kernel.threads-max",
};

static void key_path(const char *key, char *path, size_t n)
{
    size_t o = (size_t)snprintf(path, n, "/proc/sys/");
    for (const char *k = key; *k && o + 1 < n; k++)
        path[o++] = *k == '.' ? '/' : *k;
    path[o < n ? o : n - 1] = '\0';
}

/* Collapse blanks so "32768\t60999" equals "32768 60999". */
static void norm(const char *s, char *out, size_t n)
{
    size_t o = 0;
    bool blank = false;
    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++;
    for (; *s && o + 1 < n; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            blank = true;
            continue;
        }
        if (blank && o)
            out[o++] = ' ';
        blank = false;
        if (o + 1 < n)
            out[o++] = *s;
    }
    out[o] = '\0';
}

static bool values_equal(const char *a, const char *b)
{
    uint64_t x, y;
    const char *ea, *eb;
    if (live_parse_u64(a, &x, &ea) && live_parse_u64(b, &y, &eb) && !*ea && !*eb)
        return x == y;
    return strcmp(a, b) == 0;
}

/* sysctl --system cannot change most kernel values from inside a container. */
static bool in_container(const live_run *lr)
{
    const root *r = lr->o->root;
    if (root_exists(r, "/.dockerenv") || root_exists(r, "/run/.containerenv"))
        return true;
    char *env = live_read(r, "/proc/1/environ", NULL);
    bool box = env && strstr(env, "container=") != NULL;
    free(env);
    return box;
}

static void not_applied(live_run *lr)
{
    const struct sysconf *sc = lr->o->sc;
    for (size_t i = 0; sc && i < sc->nsysctls; i++) {
        const sysctl_setting *s = &sc->sysctls[i];
        if (!s->key || !s->value || strpbrk(s->key, "*?[") || !s->where.file)
            continue;
        char path[256];
        key_path(s->key, path, sizeof(path));
        char *live = live_read(lr->o->root, path, NULL);
        if (!live)
            continue;
        char want[256], have[256];
        norm(s->value, want, sizeof(want));
        norm(live, have, sizeof(have));
        free(live);
        if (values_equal(want, have))
            continue;
        bool box = in_container(lr);
        severity sev = box ? SEV_INFO : SEV_WARNING;
        const char *tail = box ? "this looks like a container, where the host's kernel settings apply"
                               : "configured but not applied, run sysctl --system";
        finding *f;
        const sysctl_entry *e = s->where.entry;
        if (e && e->src)
            f = finding_add(lr->out, "GE6001", sev, e->src, e->start, e->end,
                            "%s is configured as %s here but the running kernel has %s (%s): %s",
                            s->key, want, have, path, tail);
        else
            f = live_finding(lr, "GE6001", sev, s->where.file, s->where.line,
                             "%s is configured as %s here but the running kernel has %s (%s): %s",
                             s->key, want, have, path, tail);
        if (strcmp(s->key, "fs.nr_open") == 0)
            lr->nr_open_not_applied = f;
    }
}

/* A configured limit against the kernel's ceilings: nofile above fs.nr_open
 * cannot be set at all (GE6002); nofile above fs.file-max or nproc above
 * kernel.threads-max can be set but the system-wide ceiling binds first
 * (GE6006). */
typedef struct kernel_ceilings {
    uint64_t file_max, threads_max;
    bool have_file_max, have_threads_max;
} kernel_ceilings;

static void limit_vs_kernel(live_run *lr, const kernel_ceilings *k, const char *file, int line,
                            const char *what, bool nofile, uint64_t value)
{
    if (value == UINT64_MAX || !file)
        return;
    if (nofile && lr->have_nr_open && value > lr->nr_open) {
        /* sysctl.d configures the same nr_open the kernel runs with: the
         * configuration rules (GE4012/GE4033) already report this line */
        uint64_t configured;
        sysconf_origin where;
        if (lr->o->sc && sysconf_sysctl_u64(lr->o->sc, "fs.nr_open", &configured, &where) &&
            where.line > 0 && configured == lr->nr_open)
            return;
        finding *f = live_finding(lr, "GE6002", SEV_ERROR, file, line,
                                  "%s %llu is above fs.nr_open %llu of the running kernel "
                                  "(/proc/sys/fs/nr_open): setting the limit fails with EPERM",
                                  what, (unsigned long long)value, (unsigned long long)lr->nr_open);
        if (lr->nr_open_not_applied)
            finding_link(lr->out, lr->nr_open_not_applied, f);
        return;
    }
    if (nofile && k->have_file_max && value > k->file_max)
        live_finding(lr, "GE6006", SEV_INFO, file, line,
                     "%s %llu is above fs.file-max %llu (/proc/sys/fs/file-max): one process may "
                     "use up the handles of the whole system before its own limit",
                     what, (unsigned long long)value, (unsigned long long)k->file_max);
    if (!nofile && k->have_threads_max && value > k->threads_max)
        live_finding(lr, "GE6006", SEV_INFO, file, line,
                     "%s %llu is above kernel.threads-max %llu (/proc/sys/kernel/threads-max): "
                     "the kernel's ceiling binds first, the limit never does",
                     what, (unsigned long long)value, (unsigned long long)k->threads_max);
}

/* The rlimit keys compared, in units and system.conf. */
static const struct { const char *key; bool nofile; } unit_limit_keys[] = {
    {"LimitNOFILE", true}, {"LimitNPROC", false},
    {"DefaultLimitNOFILE", true}, {"DefaultLimitNPROC", false},
};

static void unit_file_limits(live_run *lr, const kernel_ceilings *k, const char *path,
                             const unit_setting *s)
{
    for (size_t i = 0; i < GE_ARRAY_LEN(unit_limit_keys); i++) {
        if (!s->key || !s->value || strcmp(s->key, unit_limit_keys[i].key) != 0)
            continue;
        unit_rlimit rl;
        char why[128];
        if (!unit_rlimit_parse(s->key, s->value, &rl, why, sizeof(why)))
            continue;
        /* infinity: systemd uses fs.nr_open itself */
        uint64_t v = rl.hard != RLIMIT_VALUE_INFINITY ? rl.hard : rl.soft;
        limit_vs_kernel(lr, k, s->src ? s->src->path : path, s->line, s->key,
                        unit_limit_keys[i].nofile, v);
    }
}

static void limits_vs_kernel(live_run *lr)
{
    const struct sysconf *sc = lr->o->sc;
    if (!sc)
        return;
    kernel_ceilings k = {0};
    k.have_file_max = live_sysctl_u64(lr->o->root, "fs.file-max", &k.file_max);
    k.have_threads_max = live_sysctl_u64(lr->o->root, "kernel.threads-max", &k.threads_max);
    for (size_t i = 0; i < sc->nunits; i++) {
        const unit_view *u = sc->units[i];
        if (!u || u->masked)
            continue;
        /* the effective (last) assignment of each key only */
        for (size_t n = 0; n < GE_ARRAY_LEN(unit_limit_keys); n++) {
            const unit_setting *last = NULL;
            for (size_t j = 0; j < u->nsettings; j++)
                if (u->settings[j] && u->settings[j]->key &&
                    strcmp(u->settings[j]->key, unit_limit_keys[n].key) == 0)
                    last = u->settings[j];
            if (last)
                unit_file_limits(lr, &k, u->fragment, last);
        }
    }
    for (size_t i = 0; sc->system_conf && i < sc->nsystem_conf; i++) {
        const unit_file *uf = sc->system_conf[i];
        for (size_t j = 0; uf && j < uf->nsettings; j++)
            unit_file_limits(lr, &k, uf->src ? uf->src->path : "/etc/systemd/system.conf",
                             &uf->settings[j]);
    }
    for (size_t i = 0; i < sc->nlimits; i++) {
        const limits_file *lf = sc->limits[i];
        for (size_t j = 0; lf && j < lf->nentries; j++) {
            const limits_entry *e = &lf->entries[j];
            if (!e->item.text || !e->numeric || e->number < 0)
                continue;
            bool nofile = strcmp(e->item.text, "nofile") == 0;
            if (!nofile && strcmp(e->item.text, "nproc") != 0)
                continue;
            limit_vs_kernel(lr, &k, lf->src ? lf->src->path : "/etc/security/limits.conf", e->line,
                            e->item.text, nofile, (uint64_t)e->number);
        }
    }
}

void live_kernel_check(live_run *lr)
{
    const root *r = lr->o->root;
    lr->have_nr_open = live_sysctl_u64(r, "fs.nr_open", &lr->nr_open);
    not_applied(lr);
    limits_vs_kernel(lr);

    /* file handles: "allocated unused max" */
    char *nr = live_read(r, "/proc/sys/fs/file-nr", NULL);
    uint64_t alloc = 0, unused = 0, max = 0;
    const char *p = nr;
    if (nr && live_parse_u64(p, &alloc, &p) && live_parse_u64(p, &unused, &p) &&
        live_parse_u64(p, &max, &p) && max > 0 && max != UINT64_MAX) {
        uint64_t used = alloc > unused ? alloc - unused : 0;
        if (used * 10 >= max * 9)
            live_finding(lr, "GE6003", SEV_WARNING, "/proc/sys/fs/file-nr", 1,
                         "%llu of %llu system-wide file handles are in use (fs.file-nr): "
                         "new opens fail with ENFILE; raise fs.file-max or find the leak",
                         (unsigned long long)used, (unsigned long long)max);
    }
    free(nr);

    uint64_t somax;
    if (live_sysctl_u64(r, "net.core.somaxconn", &somax) && somax < 1024)
        live_finding(lr, "GE6004", SEV_INFO, "/proc/sys/net/core/somaxconn", 1,
                     "net.core.somaxconn is %llu: Go servers get a listen backlog of %llu and "
                     "drop connections under bursts (4096 is the default since Linux 5.4)",
                     (unsigned long long)somax, (unsigned long long)somax);

    /* The figures, one line, so a person can compare with sysctl -a. */
    strbuf sb = STRBUF_INIT;
    bool any = false;
    for (size_t i = 0; i < GE_ARRAY_LEN(kernel_keys); i++) {
        char path[128];
        key_path(kernel_keys[i], path, sizeof(path));
        char *t = live_read(r, path, NULL);
        if (!t)
            continue;
        char v[128];
        norm(t, v, sizeof(v));
        free(t);
        strbuf_addf(&sb, "%s%s=%s", any ? ", " : "", kernel_keys[i], v);
        any = true;
    }
    if (any)
        live_finding(lr, "GE6005", SEV_INFO, "/proc/sys/fs/nr_open", 1, "kernel: %s", sb.data);
    strbuf_release(&sb);
}

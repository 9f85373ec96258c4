/*
 * kernel.c - kernel values from <root>/proc/sys against what is configured:
 * sysctl.d lines not applied yet (GE6001), LimitNOFILE= and limits.conf
 * nofile above fs.nr_open (GE6002), system-wide file handles nearly used up
 * (GE6003), a small listen backlog (GE6004), and the figures (GE6005).
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

static void nofile_vs_nr_open(live_run *lr, const char *file, int line, const char *what,
                              uint64_t value)
{
    if (!lr->have_nr_open || value == UINT64_MAX || value <= lr->nr_open)
        return;
    finding *f = live_finding(lr, "GE6002", SEV_ERROR, file, line,
                              "%s %llu is above fs.nr_open %llu of the running kernel "
                              "(/proc/sys/fs/nr_open): setting the limit fails with EPERM",
                              what, (unsigned long long)value, (unsigned long long)lr->nr_open);
    if (lr->nr_open_not_applied)
        finding_link(lr->out, lr->nr_open_not_applied, f);
}

static void limits_vs_kernel(live_run *lr)
{
    const struct sysconf *sc = lr->o->sc;
    if (!sc)
        return;
    for (size_t i = 0; i < sc->nunits; i++) {
        const unit_view *u = sc->units[i];
        if (!u || u->masked)
            continue;
        const unit_setting *s = NULL;
        for (size_t k = 0; k < u->nsettings; k++)
            if (u->settings[k] && u->settings[k]->key && strcmp(u->settings[k]->key, "LimitNOFILE") == 0)
                s = u->settings[k];
        if (!s || !s->value)
            continue;
        unit_rlimit rl;
        char why[128];
        if (!unit_rlimit_parse("LimitNOFILE", s->value, &rl, why, sizeof(why)))
            continue;
        /* infinity: systemd uses fs.nr_open itself */
        uint64_t v = rl.hard != RLIMIT_VALUE_INFINITY ? rl.hard : rl.soft;
        nofile_vs_nr_open(lr, s->src ? s->src->path : u->fragment, s->line,
                          "LimitNOFILE", v);
    }
    for (size_t i = 0; sc->system_conf && i < sc->nsystem_conf; i++) {
        const unit_file *uf = sc->system_conf[i];
        for (size_t k = 0; uf && k < uf->nsettings; k++) {
            const unit_setting *s = &uf->settings[k];
            if (!s->key || strcmp(s->key, "DefaultLimitNOFILE") != 0 || !s->value)
                continue;
            unit_rlimit rl;
            char why[128];
            if (unit_rlimit_parse("DefaultLimitNOFILE", s->value, &rl, why, sizeof(why)))
                nofile_vs_nr_open(lr, uf->src ? uf->src->path : "/etc/systemd/system.conf", s->line,
                                  "DefaultLimitNOFILE", rl.hard);
        }
    }
    for (size_t i = 0; i < sc->nlimits; i++) {
        const limits_file *lf = sc->limits[i];
        for (size_t k = 0; lf && k < lf->nentries; k++) {
            const limits_entry *e = &lf->entries[k];
            if (!e->item.text || strcmp(e->item.text, "nofile") != 0 || !e->numeric || e->number < 0)
                continue;
            nofile_vs_nr_open(lr, lf->src ? lf->src->path : "/etc/security/limits.conf", e->line,
                              "nofile", (uint64_t)e->number);
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

/*
 * check.c - the live checks of issue 7: gathers the contexts (simulator
 * shells, systemd units), reads the host architecture, and runs kernel.c,
 * proc.c, gobin.c, cgroup.c, pathdirs.c and goenv.c in that order.
 */
#include "live/live_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sim/sim.h"
#include "sysconf/sysconf.h"

static const char *const live_var_names[LV_COUNT] = {
    "PATH", "GOROOT", "GOPATH", "GOBIN", "GOMAXPROCS", "GODEBUG", "GOPROXY", "GOENV", "HOME",
};

const char *live_var_name(live_var v)
{
    return v < LV_COUNT ? live_var_names[v] : "?";
}

#define LIVE_READ_MAX (1u << 20)

char *live_read(const root *r, const char *machine_path, size_t *len)
{
    char *host = root_path(r, machine_path);
    int fd = open_regular(host, NULL);
    free(host);
    if (fd < 0)
        return NULL;
    strbuf sb = STRBUF_INIT;
    char buf[4096];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (sb.len + (size_t)n > LIVE_READ_MAX)
            break;
        strbuf_add(&sb, buf, (size_t)n);
    }
    close(fd);
    if (len)
        *len = sb.len;
    return strbuf_detach(&sb);
}

bool live_parse_u64(const char *s, uint64_t *out, const char **end)
{
    if (!s)
        return false;
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s < '0' || *s > '9')
        return false;
    uint64_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            v = UINT64_MAX;
        else
            v = v * 10 + d;
    }
    *out = v;
    if (end)
        *end = s;
    return true;
}

bool live_sysctl_u64(const root *r, const char *key, uint64_t *out)
{
    char path[256] = "/proc/sys/";
    size_t o = strlen(path);
    for (const char *k = key; *k && o + 1 < sizeof(path); k++)
        path[o++] = *k == '.' ? '/' : *k;
    path[o] = '\0';
    char *t = live_read(r, path, NULL);
    bool ok = live_parse_u64(t, out, NULL);
    free(t);
    return ok;
}

int live_line_of(const char *text, const char *prefix)
{
    if (!text)
        return 0;
    size_t pl = strlen(prefix);
    int line = 1;
    for (const char *p = text; *p; line++) {
        if (strncmp(p, prefix, pl) == 0)
            return line;
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
    return 0;
}

finding *live_finding(live_run *lr, const char *rule, severity sev, const char *file, int line,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = arena_vprintf(lr->a, fmt, ap);
    va_end(ap);
    if (line < 1)
        line = 1;
    if (!file)
        file = "/proc";
    /* The same finding for several contexts is one finding listing them. */
    for (size_t i = lr->first; i < lr->out->n; i++) {
        finding *f = lr->out->items[i];
        if (f->line == line && strcmp(f->rule, rule) == 0 && strcmp(f->file, file) == 0 &&
            strcmp(f->message, msg) == 0)
            return f;
    }
    return finding_add_at(lr->out, rule, sev, file, line, 1, line, 1, "%s", msg);
}

/* ---- contexts --------------------------------------------------------------- */

static const env_var *ctx_var(const sim_context *c, const char *name)
{
    for (size_t i = 0; i < c->nvars; i++)
        if (c->vars[i].name && strcmp(c->vars[i].name, name) == 0)
            return &c->vars[i];
    return NULL;
}

static void from_sim(arena *a, const sim_context *c, live_context *lc)
{
    lc->name = arena_strdup(a, c->name ? c->name : "?");
    for (int v = 0; v < LV_COUNT; v++) {
        const env_var *ev = ctx_var(c, live_var_names[v]);
        if (!ev || !ev->value)
            continue;
        lc->v[v].value = arena_strdup(a, ev->value);
        lc->v[v].file = ev->at.file ? arena_strdup(a, ev->at.file) : NULL;
        lc->v[v].line = ev->at.line;
        if (v == LV_PATH && ev->nentries) {
            live_path_dir *d = arena_alloc(a, ev->nentries * sizeof(*d));
            for (size_t i = 0; i < ev->nentries; i++) {
                d[i].dir = arena_strdup(a, ev->entries[i].value ? ev->entries[i].value : "");
                d[i].file = ev->entries[i].at.file ? arena_strdup(a, ev->entries[i].at.file) : NULL;
                d[i].line = ev->entries[i].at.line;
            }
            lc->path = d;
            lc->npath = ev->nentries;
        }
    }
}

/* First word of ExecStart= without systemd's prefixes (-@:+!). */
static char *exec_binary(arena *a, const char *value)
{
    while (*value == ' ' || *value == '\t')
        value++;
    while (*value && strchr("-@:+!", *value))
        value++;
    size_t n = strcspn(value, " \t");
    if (n == 0 || value[0] != '/')
        return NULL;
    return arena_strndup(a, value, n);
}

static bool from_unit(arena *a, const unit_view *u, live_context *lc)
{
    bool any = false;
    lc->name = arena_printf(a, "systemd:%s", u->name ? u->name : "?");
    lc->v[LV_PATH].value = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin";
    for (size_t i = 0; i < u->nsettings; i++) {
        const unit_setting *s = u->settings[i];
        if (!s || !s->key || !s->value)
            continue;
        const char *file = s->src ? s->src->path : u->fragment;
        if (strcmp(s->key, "ExecStart") == 0 && !lc->exec) {
            lc->exec = exec_binary(a, s->value);
            lc->exec_file = file;
            lc->exec_line = s->line;
            any = lc->exec != NULL;
        } else if (strcmp(s->key, "Environment") == 0) {
            unit_env_assign w[64];
            bool bad = false;
            size_t n = unit_env_split(a, s->value, w, GE_ARRAY_LEN(w), &bad);
            if (n > GE_ARRAY_LEN(w))
                n = GE_ARRAY_LEN(w);
            for (size_t k = 0; k < n; k++) {
                if (!w[k].name)
                    continue;
                for (int v = 0; v < LV_COUNT; v++)
                    if (strcmp(w[k].name, live_var_names[v]) == 0) {
                        lc->v[v].value = w[k].value;
                        lc->v[v].file = file;
                        lc->v[v].line = s->line;
                        any = true;
                    }
            }
        }
    }
    return any;
}

size_t live_contexts_collect(arena *a, const struct sim_result *sim, const struct sysconf *sc,
                             live_context **out)
{
    size_t n = 0, cap = (sim ? sim->ncontexts : 0) + (sc ? sc->nunits : 0);
    live_context *v = cap ? arena_alloc(a, cap * sizeof(*v)) : NULL;
    for (size_t i = 0; sim && i < sim->ncontexts; i++)
        from_sim(a, &sim->contexts[i], &v[n++]);
    for (size_t i = 0; sc && i < sc->nunits; i++)
        if (sc->units[i] && !sc->units[i]->masked && from_unit(a, sc->units[i], &v[n]))
            n++;
    *out = v;
    return n;
}

/* ---- the run ------------------------------------------------------------------ */

static void host_arch(live_run *lr)
{
    const live_options *o = lr->o;
    if (o->arch) {
        lr->arch = o->arch;
        lr->arch_file = "/proc/sys/kernel/arch";
    } else {
        char *t = live_read(o->root, "/proc/sys/kernel/arch", NULL);
        if (t && *t) {
            t[strcspn(t, " \t\r\n")] = '\0';
            lr->arch = arena_strdup(lr->a, t);
            lr->arch_file = "/proc/sys/kernel/arch";
        } else if (lr->live) {
            struct utsname u;
            if (uname(&u) == 0) {
                lr->arch = arena_strdup(lr->a, u.machine);
                lr->arch_file = "/proc/sys/kernel/osrelease";
            }
        }
        free(t);
    }
    lr->arch_machine = lr->arch ? live_arch_machine(lr->arch) : 0;
}

static live_context *process_context(arena *a)
{
    live_context *c = arena_alloc(a, sizeof(*c));
    c->name = "process";
    for (int v = 0; v < LV_COUNT; v++) {
        const char *val = getenv(live_var_names[v]);
        if (val)
            c->v[v].value = arena_strdup(a, val);
    }
    return c;
}

/* /proc/N/environ (NUL-separated) and /proc/N/exe of a running process. */
static live_context *process_of(live_run *lr, int pid)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/environ", pid);
    size_t len = 0;
    char *env = live_read(lr->o->root, path, &len);
    char exe[64];
    snprintf(exe, sizeof(exe), "/proc/%d/exe", pid);
    char target[4096]; /* never cached: the cache keeps nothing under /proc */
    ssize_t tn = root_readlink(lr->o->root, exe, target, sizeof(target));
    if (!env && tn <= 0)
        return NULL;
    live_context *c = arena_alloc(lr->a, sizeof(*c));
    c->name = arena_printf(lr->a, "process:%d", pid);
    c->pid = pid;
    if (tn > 0 && target[0] == '/') {
        c->exec = arena_strdup(lr->a, target);
        c->exec_file = arena_strdup(lr->a, exe);
        c->exec_line = 1;
    }
    for (size_t o = 0; env && o < len;) {
        const char *rec = env + o;
        size_t rl = strnlen(rec, len - o);
        const char *eq = memchr(rec, '=', rl);
        for (int v = 0; eq && v < LV_COUNT; v++)
            if ((size_t)(eq - rec) == strlen(live_var_names[v]) &&
                memcmp(rec, live_var_names[v], (size_t)(eq - rec)) == 0) {
                c->v[v].value = arena_strndup(lr->a, eq + 1, rl - (size_t)(eq + 1 - rec));
                c->v[v].file = arena_strdup(lr->a, path);
                c->v[v].line = 1;
            }
        o += rl + 1;
    }
    free(env);
    return c;
}

void live_check_run(const live_options *opt, finding_list *out)
{
    root self = {.dir = ""};
    live_options o = *opt;
    if (!o.root)
        o.root = &self;
    live_run lr = {.o = &o, .out = out, .a = arena_new(), .first = out->n};
    lr.live = !o.root->dir || !o.root->dir[0];
    lr.uid = o.uid;
    if (lr.uid < 0 && o.sim && o.sim->uid >= 0)
        lr.uid = o.sim->uid;
    if (lr.uid < 0 && lr.live)
        lr.uid = (long)getuid();
    host_arch(&lr);
    lr.pid = o.pid;
    if (o.unit && *o.unit) {
        lr.unit = strchr(o.unit, '.') ? arena_strdup(lr.a, o.unit)
                                      : arena_printf(lr.a, "%s.service", o.unit);
        if (!lr.pid)
            lr.pid = live_unit_pid(o.root, lr.unit);
        lr.unit_missing = lr.pid == 0;
    }

    live_context *got = NULL;
    size_t ngot = live_contexts_collect(lr.a, o.sim, o.sc, &got);
    size_t n = ngot + o.ncontexts;
    live_context *all = NULL;
    if (n == 0 && lr.live) {
        all = process_context(lr.a);
        n = 1;
    } else if (n) {
        all = arena_alloc(lr.a, n * sizeof(*all));
        if (ngot)
            memcpy(all, got, ngot * sizeof(*all));
        if (o.ncontexts)
            memcpy(all + ngot, o.contexts, o.ncontexts * sizeof(*all));
    }
    /* The process checked (--pid/--unit): its real environment and binary. */
    if (lr.pid > 0) {
        live_context *pc = process_of(&lr, lr.pid);
        if (pc) {
            live_context *more = arena_alloc(lr.a, (n + 1) * sizeof(*more));
            if (n)
                memcpy(more, all, n * sizeof(*more));
            more[n++] = *pc;
            all = more;
        }
    }
    lr.ctx = all;
    lr.nctx = n;
    lr.go_version = arena_alloc(lr.a, (n + 1) * sizeof(char *));
    lr.go_path = arena_alloc(lr.a, (n + 1) * sizeof(char *));
    for (size_t i = 0; i < n; i++)
        lr.go_version[i] = "";

    live_kernel_check(&lr);
    live_proc_check(&lr);
    live_gobin_check(&lr);
    live_cgroup_check(&lr);
    live_pathdirs_check(&lr);
    live_goenv_check(&lr);
    arena_free(lr.a);
}

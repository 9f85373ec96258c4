/*
 * cmd_doctor.c - `golint-env doctor`, the default command: simulate every
 * startup context of the user, run the per-file shell rules over every file
 * the chains read, the simulator's chain rules, the Go toolchain rules, the
 * system-config rules under the root, the live checks and (unless
 * --offline) the network probes; print a one-line-per-area summary (like
 * flutter doctor) and then the findings.
 */
#include "cli/cli.h"
#include "live/live.h"
#include "rules/go.h"
#include "sim/sim.h"
#include "sysconf/sysconf.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* <unistd.h> cannot be included next to sysconf.h (its sysconf() clashes
 * with the sysconf type), so the one function needed is declared here. */
extern int isatty(int fd);

#if !GE_ASAN
static sim_result *volatile kept_until_exit; /* see the end of cmd_doctor; volatile: the store stays */
#endif

/* ---- the summary areas ----------------------------------------------------- */

typedef enum doctor_area {
    AREA_SHELL = 0, AREA_GO, AREA_MODULES, AREA_LIMITS, AREA_CGROUPS, AREA_NETWORK, AREA_COUNT
} doctor_area;

static const char *const area_names[AREA_COUNT] = {
    "shell startup", "Go toolchain", "GOPROXY and modules", "limits", "cgroups", "network"};

/* Which summary line a rule belongs to: one table, by ID prefix (longest first). */
static const struct { const char *prefix; doctor_area area; } area_of_rule[] = {
    {"GE3110", AREA_MODULES}, {"GE3111", AREA_MODULES}, {"GE3112", AREA_MODULES},
    {"GE3113", AREA_MODULES}, {"GE3114", AREA_MODULES}, {"GE3116", AREA_MODULES},
    {"GE3117", AREA_MODULES}, {"GE3118", AREA_MODULES},
    {"GE1", AREA_SHELL}, {"GE2", AREA_SHELL}, {"GE3", AREA_GO},
    {"GE4", AREA_LIMITS}, {"GE5", AREA_CGROUPS}, {"GE6", AREA_LIMITS}, {"GE7", AREA_NETWORK},
};

static doctor_area rule_area(const char *rule)
{
    for (size_t i = 0; i < GE_ARRAY_LEN(area_of_rule); i++)
        if (str_starts_with(rule, area_of_rule[i].prefix))
            return area_of_rule[i].area;
    return AREA_SHELL;
}

typedef struct doctor_run {
    golint_options *o;
    sim_options so;             /* how sr was simulated (again after each fix pass) */
    sim_result *sr;
    sysconf *sc;
    finding_list all;
    char detail[AREA_COUNT][2048];
    bool skipped[AREA_COUNT];
} doctor_run;

static bool locale_is_utf8(void)
{
    const char *names[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    for (size_t i = 0; i < GE_ARRAY_LEN(names); i++) {
        const char *v = getenv(names[i]);
        if (v && *v)
            return strcasestr(v, "utf-8") || strcasestr(v, "utf8");
    }
    return false;
}

static void print_summary(doctor_run *d)
{
    size_t counts[AREA_COUNT][4];
    memset(counts, 0, sizeof(counts));
    for (size_t i = 0; i < d->all.n; i++) {
        const finding *f = d->all.items[i];
        if (f->sev <= SEV_STYLE)
            counts[rule_area(f->rule)][f->sev]++;
    }
    bool utf8 = locale_is_utf8();
    bool color = d->o->color;
    const char *who = d->sr->user ? d->sr->user : "?";
    strbuf vu = STRBUF_INIT, vh = STRBUF_INIT; /* both may come from the machine's passwd */
    printf("Doctor summary for %s (%s, home %s):\n", visible(&vu, who), shell_dialect_name(d->sr->shell),
           visible(&vh, d->sr->home ? d->sr->home : "?"));
    strbuf_release(&vu);
    strbuf_release(&vh);
    for (int a = 0; a < AREA_COUNT; a++) {
        const char *mark, *col;
        if (counts[a][SEV_ERROR]) {
            mark = utf8 ? "✗" : "x";
            col = "\033[31m";
        } else if (counts[a][SEV_WARNING]) {
            mark = "!";
            col = "\033[33m";
        } else if (d->skipped[a]) {
            mark = "-";
            col = "\033[2m";
        } else {
            mark = utf8 ? "✓" : "+";
            col = "\033[32m";
        }
        printf("[%s%s%s] %s", color ? col : "", mark, color ? "\033[0m" : "", area_names[a]);
        if (d->detail[a][0]) {
            strbuf vis = STRBUF_INIT; /* GOPROXY values, paths: the machine's text */
            printf(": %s", visible(&vis, d->detail[a]));
            strbuf_release(&vis);
        }
        if (counts[a][SEV_ERROR] || counts[a][SEV_WARNING] || counts[a][SEV_INFO]) {
            printf(" (");
            const char *sep = "";
            static const char *const sing[] = {"error", "warning", "info"};
            for (int s = 0; s < 3; s++)
                if (counts[a][s]) {
                    printf("%s%zu %s%s", sep, counts[a][s], sing[s],
                           counts[a][s] > 1 && s < 2 ? "s" : "");
                    sep = ", ";
                }
            printf(")");
        }
        putchar('\n');
    }
    putchar('\n');
}

/* ---- the areas' one-line details ----------------------------------------- */

static const sim_context *main_context(const sim_result *sr)
{
    static const sim_context_kind pref[] = {SIM_LOGIN, SIM_TERMINAL, SIM_DESKTOP};
    for (size_t p = 0; p < GE_ARRAY_LEN(pref); p++)
        for (size_t i = 0; i < sr->ncontexts; i++)
            if (sr->contexts[i].kind == pref[p])
                return &sr->contexts[i];
    return sr->ncontexts ? &sr->contexts[0] : NULL;
}

static void details(doctor_run *d)
{
    const sim_result *sr = d->sr;
    /* shell: distinct files read */
    size_t nfiles = 0;
    for (size_t i = 0; i < sr->sources.n; i++)
        nfiles++;
    snprintf(d->detail[AREA_SHELL], sizeof(d->detail[0]), "%zu files read in %zu contexts",
             nfiles, sr->ncontexts);

    const sim_context *mc = main_context(sr);
    go_install gi;
    const env_var *path = mc ? sim_lookup(mc, "PATH") : NULL;
    if (mc && path && go_on_path(&d->o->root, path->value, &gi)) {
        snprintf(d->detail[AREA_GO], sizeof(d->detail[0]), "%s at %s (%s)",
                 gi.version[0] ? gi.version : "go", gi.bin, mc->name);
    } else {
        go_install inst[4];
        size_t n = go_installs_find(&d->o->root, sr->home, inst, GE_ARRAY_LEN(inst));
        if (n)
            snprintf(d->detail[AREA_GO], sizeof(d->detail[0]), "%s at %s, not on PATH%s%s",
                     inst[0].version[0] ? inst[0].version : "go", inst[0].bin,
                     mc ? " in " : "", mc ? mc->name : "");
        else
            snprintf(d->detail[AREA_GO], sizeof(d->detail[0]), "no Go installation found");
    }

    const env_var *gp = mc ? sim_lookup(mc, "GOPROXY") : NULL;
    if (gp && gp->value && gp->at.file)
        snprintf(d->detail[AREA_MODULES], sizeof(d->detail[0]), "GOPROXY=%s (%s:%d)", gp->value,
                 gp->at.file, gp->at.line);
    else if (gp && gp->value)
        snprintf(d->detail[AREA_MODULES], sizeof(d->detail[0]), "GOPROXY=%s", gp->value);
    else
        snprintf(d->detail[AREA_MODULES], sizeof(d->detail[0]),
                 "GOPROXY unset: Go's default https://proxy.golang.org,direct");

    if (d->sc) {
        snprintf(d->detail[AREA_LIMITS], sizeof(d->detail[0]),
                 "%zu limits files, %zu sysctl settings, %zu units", d->sc->nlimits,
                 d->sc->nsysctls, d->sc->nunits);
        snprintf(d->detail[AREA_CGROUPS], sizeof(d->detail[0]), "%zu cgconfig files%s",
                 d->sc->ncgconfig, d->sc->cgrules ? ", cgrules.conf" : "");
    }
    if (d->o->offline) {
        snprintf(d->detail[AREA_NETWORK], sizeof(d->detail[0]),
                 "configuration only (--offline: no probes)");
        d->skipped[AREA_NETWORK] = true;
    }
}

/* ---- network: the GOPROXY/DNS/proxy variables of each user context -------- */

static const env_var *net_lookup(const sim_context *c, const char *name)
{
    const env_var *v = sim_lookup(c, name);
    if (v && v->value && (v->exported || (v->nhistory && v->history[0].op == ENV_OP_SOURCE)))
        return v;
    return NULL;
}

static size_t net_contexts_build(arena *a, const sim_result *sr, net_context **out)
{
    net_context *nc = arena_alloc(a, (sr->ncontexts ? sr->ncontexts : 1) * sizeof(*nc));
    size_t n = 0;
    for (size_t i = 0; i < sr->ncontexts; i++) {
        const sim_context *c = &sr->contexts[i];
        if (c->kind >= SIM_CONTEXT_COUNT)
            continue;
        net_context *x = &nc[n++];
        x->name = c->name;
        x->binary_has_cgo = false;
        for (int v = 0; v < NETV_COUNT; v++) {
            const char *name = net_var_name((net_var)v);
            const env_var *ev = net_lookup(c, name);
            if (!ev && (v == NETV_HTTPS_PROXY || v == NETV_HTTP_PROXY || v == NETV_NO_PROXY)) {
                char lower[32];
                size_t k = 0;
                for (; name[k] && k + 1 < sizeof(lower); k++)
                    lower[k] = (char)tolower((unsigned char)name[k]);
                lower[k] = '\0';
                ev = net_lookup(c, lower);
            }
            if (ev) {
                x->v[v].value = ev->value;
                x->v[v].file = ev->at.file;
                x->v[v].line = ev->at.line;
            }
        }
    }
    *out = nc;
    return n;
}

static void net_progress(void *arg, const char *line)
{
    (void)arg;
    fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
}

/* ---- whose startup files ------------------------------------------------- */

/* Under --root without --home/--user: the first ordinary account of the
 * machine's passwd (uid 1000-59999, a login shell, a home under the root).
 * Heap strings in *home and *user; false if there is none. */
static bool passwd_pick_user(const root *r, char **home, char **user)
{
    char *p = root_path(r, "/etc/passwd");
    source_error se;
    char why[256];
    source_file *src = source_load(p, "/etc/passwd", &se, why, sizeof(why));
    free(p);
    if (!src)
        return false;
    bool found = false;
    for (size_t l = 1; l <= src->nlines && !found; l++) {
        size_t len;
        const char *line = source_line(src, (int)l, &len);
        char buf[1024];
        if (len >= sizeof(buf))
            continue;
        memcpy(buf, line, len);
        buf[len] = '\0';
        char *f[7];
        size_t nf = 0;
        char *s = buf;
        while (nf < 7) {
            f[nf++] = s;
            char *c = strchr(s, ':');
            if (!c)
                break;
            *c = '\0';
            s = c + 1;
        }
        if (nf < 7)
            continue;
        long uid = strtol(f[2], NULL, 10);
        if (uid < 1000 || uid >= 60000 || f[5][0] != '/' || strstr(f[6], "nologin") ||
            strstr(f[6], "false") || !root_is_dir(r, f[5]))
            continue;
        *home = xstrdup(f[5]);
        *user = xstrdup(f[0]);
        found = true;
    }
    source_free(src);
    return found;
}

/* ---- the run ---------------------------------------------------------------- */

/* Directives (# golint-env disable=...) of every shell file the chains read,
 * applied to the findings from index from on (the per-file rules apply their
 * own). */
static void apply_directives(doctor_run *d, size_t from)
{
    const sim_result *sr = d->sr;
    size_t cap = 0;
    for (size_t i = 0; i < sr->ncontexts; i++)
        cap += sr->contexts[i].nfiles;
    directive_set *sets = xcalloc(cap ? cap : 1, sizeof(*sets));
    size_t n = 0;
    finding_list scratch; /* GE1003 for unknown IDs: already reported per file */
    findings_init(&scratch);
    for (size_t i = 0; i < sr->ncontexts; i++)
        for (size_t k = 0; k < sr->contexts[i].nfiles; k++) {
            const sim_file_read *fr = &sr->contexts[i].files[k];
            if (!fr->tree || !fr->src)
                continue;
            bool seen = false;
            for (size_t j = 0; j < n && !seen; j++)
                seen = strcmp(sets[j].file, fr->src->path) == 0;
            if (seen)
                continue;
            directives_collect(&sets[n], fr->tree, &scratch, d->o->reg);
            if (sets[n].file)
                n++;
            else
                directives_release(&sets[n]);
        }
    findings_filter_range(&d->all, from, sets, n, &d->o->cfg);
    for (size_t j = 0; j < n; j++)
        directives_release(&sets[j]);
    free(sets);
    findings_release(&scratch);
}

/* ---- the per-file rules, while the simulation goes on ------------------------- */

/* Each file the simulator reads is handed over as soon as it is parsed
 * (sim_options.on_load) and checked by the per-file rules when a parse
 * worker has nothing to parse (sim_options.on_idle), while the interpreter
 * goes on with the chains; the syntax trees are only read. What is left
 * when the simulation ends is shared by this thread and one more. One
 * findings list per file, joined in load order (the order of
 * sim_result.sources), so the result is the one a single thread gives. */
typedef struct check_item {
    const source_file *src;
    const shell_tree *tree;
    finding_list fl;
} check_item;

typedef struct file_checker {
    check_options copt;
    pthread_mutex_t mu;
    check_item **items;         /* in load order */
    size_t n, cap, next;
    bool threaded;
} file_checker;

static bool want_threads(const golint_options *o)
{
    return o->jobs != 1 && (o->jobs > 1 || cli_cpu_count() > 1);
}

static void checker_init(file_checker *fc, golint_options *o)
{
    memset(fc, 0, sizeof(*fc));
    fc->copt = (check_options){.kind = KIND_UNKNOWN, .dialect = SHELL_UNKNOWN, .cfg = &o->cfg};
    fc->threaded = want_threads(o);
    pthread_mutex_init(&fc->mu, NULL);
}

/* Check the next item; false when none is waiting. Any thread. */
static bool checker_one(void *ud)
{
    file_checker *fc = ud;
    pthread_mutex_lock(&fc->mu);
    check_item *it = fc->next < fc->n ? fc->items[fc->next++] : NULL;
    pthread_mutex_unlock(&fc->mu);
    if (!it)
        return false;
    if (file_kind_detect(it->src->path, it->src) == KIND_SHELL) {
        check_options copt = fc->copt;
        copt.tree = it->tree; /* the simulator's parse of the file */
        check_source(it->src, &copt, &it->fl);
    }
    return true;
}

static void *checker_drain(void *ud)
{
    while (checker_one(ud))
        ;
    return NULL;
}

/* sim_options.on_load, on the simulating thread */
static void checker_loaded(void *ud, const source_file *src, const shell_tree *tree)
{
    file_checker *fc = ud;
    check_item *it = xcalloc(1, sizeof(*it));
    it->src = src;
    it->tree = tree;
    findings_init(&it->fl);
    pthread_mutex_lock(&fc->mu);
    if (fc->n == fc->cap) {
        fc->cap = fc->cap ? 2 * fc->cap : 64;
        fc->items = xrealloc(fc->items, fc->cap * sizeof(*fc->items));
    }
    fc->items[fc->n++] = it;
    pthread_mutex_unlock(&fc->mu);
}

/* After the simulation (its workers are gone): the rest checked on this
 * thread and one more, then every file's findings appended to out in load
 * order (out NULL: dropped). */
static void checker_finish(file_checker *fc, finding_list *out)
{
    pthread_t helper;
    bool helped = fc->threaded && fc->n - fc->next > 1 &&
                  pthread_create(&helper, NULL, checker_drain, fc) == 0;
    checker_drain(fc);
    if (helped)
        pthread_join(helper, NULL);
    for (size_t i = 0; i < fc->n; i++) {
        if (out)
            findings_append_copy(out, &fc->items[i]->fl);
        findings_release(&fc->items[i]->fl);
        free(fc->items[i]);
    }
    free(fc->items);
    pthread_mutex_destroy(&fc->mu);
}

static void analyse(doctor_run *d, file_checker *fc)
{
    golint_options *o = d->o;
    finding_list chain, sys;
    findings_init(&chain);
    findings_init(&sys);
    /* the simulator's rules (they apply directives themselves) */
    chain_check(d->sr, &o->cfg, &chain);
    /* system configs under the root */
    d->sc = sysconf_load(&o->root, NULL);
    sysconf_check(d->sc, &o->cfg, &sys);
    checker_finish(fc, &d->all);
    findings_append_copy(&d->all, &chain);
    findings_append_copy(&d->all, &sys);
    findings_release(&chain);
    findings_release(&sys);
    /* the Go rules, after the rest so symptoms link to their causes */
    size_t from = d->all.n;
    go_rules_run(d->sr, &o->root, &d->all);
    apply_directives(d, from);

    /* live kernel/cgroup/binary checks (read through the root; `go env` only
     * on this machine and not --offline) */
    live_options lo = {
        .root = &o->root, .offline = o->offline, .no_exec = o->no_exec,
        .timeout = o->timeout, .pid = o->pid, .unit = o->unit,
        .sim = d->sr, .sc = d->sc, .uid = -1,
    };
    live_check_run(&lo, &d->all);

    /* network: configuration findings always, probes unless --offline */
    arena *a = arena_new();
    net_context *nc = NULL;
    size_t nnc = net_contexts_build(a, d->sr, &nc);
    /* Under --root the resolver and proxy settings belong to an image, not
     * this host: probing its nameservers from here would send packets to
     * addresses nobody asked us to contact. Configuration checks only. */
    bool net_offline = o->offline || (o->root.dir && *o->root.dir);
    net_probe_options no = {
        .root = &o->root, .timeout = o->timeout, .offline = net_offline,
        .contexts = nc, .ncontexts = nnc,
        .progress = !net_offline && isatty(fileno(stderr)) && o->format == FORMAT_TEXT ? net_progress
                                                                                     : NULL,
    };
    net_probe_report rep = {0};
    net_probe_run(&no, &d->all, &rep);
    if (no.progress)
        fputs("\r\033[K", stderr);
    if (!o->offline && net_offline) {
        snprintf(d->detail[AREA_NETWORK], sizeof(d->detail[0]),
                 "configuration only (--root: probes run only on the live machine)");
        d->skipped[AREA_NETWORK] = true;
    } else if (!o->offline) {
        size_t failed = 0;
        for (size_t i = 0; i < rep.nep; i++)
            failed += rep.ep[i].failed_layer != NET_LAYER_NONE;
        snprintf(d->detail[AREA_NETWORK], sizeof(d->detail[0]),
                 "%zu endpoints probed in %ld ms, %zu failing", rep.nep, rep.wall_ms, failed);
    }
    net_probe_report_release(&rep);
    arena_free(a);
}

/* --fix: after each pass, the whole analysis again from disk (the fixes of
 * one file change what other files' contexts see), so the loop converges.
 * Files the new run reads for the first time join sources for the report
 * and the next pass. */
static bool doctor_reanalyse(void *ud, source_set *sources, const char *const *changed,
                             size_t nchanged, finding_list *out, char *why, size_t whylen)
{
    (void)changed;
    (void)nchanged;
    const doctor_run *d = ud;
    doctor_run fresh;
    memset(&fresh, 0, sizeof(fresh));
    fresh.o = d->o;
    fresh.so = d->so;
    file_checker fc;
    checker_init(&fc, d->o);
    fresh.so.on_load_ud = &fc;
    fresh.so.on_idle_ud = &fc;
    fresh.sr = sim_run(&fresh.so, d->o->context);
    if (!fresh.sr) {
        checker_finish(&fc, NULL);
        snprintf(why, whylen, "doctor: the startup chains could not be simulated again");
        return false;
    }
    findings_init(&fresh.all);
    analyse(&fresh, &fc);
    findings_append_copy(out, &fresh.all);
    findings_release(&fresh.all);
    if (fresh.sc) {
        sysconf_take_sources(fresh.sc, &fresh.sr->sources);
        sysconf_free(fresh.sc);
    }
    for (size_t i = 0; i < fresh.sr->sources.n; i++) {
        const source_file *src = fresh.sr->sources.items[i];
        if (!src->host_path || source_set_find(sources, src->path))
            continue;
        source_error se;
        char reason[256];
        source_file *copy = source_load(src->host_path, src->path, &se, reason, sizeof(reason));
        if (copy)
            source_set_add(sources, copy);
    }
    sim_result_free(fresh.sr);
    return true;
}

int cmd_doctor(golint_options *o)
{
    if (o->nargs > 0) {
        cli_error("doctor: unexpected operand '%s' (doctor reads the machine; to lint files "
                  "use: golint-env check PATH...)", o->args[0]);
        return EXIT_TROUBLE;
    }
    doctor_run d;
    memset(&d, 0, sizeof(d));
    d.o = o;
    sim_options so = {.root = &o->root, .home = o->home, .user = o->user, .shell = o->shell,
                      .jobs = (unsigned)o->jobs};
    /* on this machine without --home/--user: the real user's home */
    char *pick_home = NULL, *pick_user = NULL;
    if (!o->home && !o->user) {
        if (!o->root.dir[0] && getenv("HOME") && getenv("HOME")[0] == '/')
            so.home = getenv("HOME");
        else if (o->root.dir[0] && passwd_pick_user(&o->root, &pick_home, &pick_user)) {
            so.home = pick_home;
            so.user = pick_user;
        }
    }
    if (o->home && !root_is_dir(&o->root, o->home)) {
        cli_error("--home %s: no such directory%s%s", o->home, o->root.dir[0] ? " under " : "",
                  o->root.dir);
        return EXIT_TROUBLE;
    }
    file_checker fc;
    checker_init(&fc, o);
    so.on_load = checker_loaded;
    so.on_load_ud = &fc;
    so.on_idle = checker_one;
    so.on_idle_ud = &fc;
    d.so = so;
    d.sr = sim_run(&so, o->context);
    if (!d.sr) {
        checker_finish(&fc, NULL);
        free(pick_home);
        free(pick_user);
        cli_error("--context %s: not a context (terminal, login, ssh-command, script, cron, "
                  "desktop)", o->context ? o->context : "");
        return EXIT_TROUBLE;
    }
    findings_init(&d.all);
    analyse(&d, &fc);
    findings_sort(&d.all);
    if (d.sc)
        sysconf_take_sources(d.sc, &d.sr->sources);

    int rc;
    if (o->fix || o->diff) {
        /* --diff computes in memory and the chain reads from disk: one pass */
        bool dry = o->diff || o->format == FORMAT_DIFF;
        o->analysed_home = d.sr->home;
        rc = cli_fix_findings(o, &d.all, &d.sr->sources, dry ? NULL : doctor_reanalyse, &d,
                              !dry);
    } else {
        if (o->format == FORMAT_TEXT && !o->quiet) {
            details(&d);
            print_summary(&d);
        }
        int rrc = cli_report(o, &d.all, &d.sr->sources);
        rc = rrc != EXIT_CLEAN ? rrc : cli_exit_status(o, &d.all);
    }
    findings_release(&d.all);
    if (d.sc)
        sysconf_free(d.sc);
#if GE_ASAN
    sim_result_free(d.sr);
#else
    /* The process ends when doctor returns, and freeing every syntax tree of
     * a large home costs ~2 ms: the result stays reachable from here (no
     * leak for valgrind) and exit() hands the memory back. Sanitizer builds
     * free it, so the teardown stays checked. */
    kept_until_exit = d.sr;
#endif
    free(pick_home);
    free(pick_user);
    return rc;
}

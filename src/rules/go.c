/*
 * go.c - the Go toolchain rules (GE3101-GE3199): one function per rule, each
 * run over every context of the simulator's effective environment. A
 * finding points at the line that set the variable (its env_var history) and
 * names the contexts it affects; the same problem at the same line in
 * several contexts is one finding. Symptoms link to the GE2xxx/GE3001
 * finding at the line that causes them.
 *
 * Only sim.h types are used here, no simulator functions: the rules can be
 * tested over a sim_result built by hand.
 */
#include "rules/go.h"
#include "rules/rules.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#define GO_MAX_INSTALLS 16
#define GO_MAX_ENVFILE 64
#define GO_PATH_MAX 512

/* ---- the go env -w file --------------------------------------------------- */

typedef struct goenv_entry {
    char name[64];
    char value[512];
    int line;
} goenv_entry;

typedef struct goenv_file {
    char path[GO_PATH_MAX];     /* machine path */
    goenv_entry e[GO_MAX_ENVFILE];
    size_t n;
} goenv_file;

/* ---- the run -------------------------------------------------------------- */

typedef struct go_val {
    const char *value;          /* what go sees; NULL: unset */
    const env_var *v;           /* the variable, when the environment supplies it */
    bool from_env;              /* exported by the environment (beats go env -w) */
    sim_loc at;                 /* where the value came from */
} go_val;

typedef struct goctx {
    const sim_result *sr;
    const root *r;
    finding_list *out;
    size_t first;               /* findings before this index are not ours */
    arena *a;                   /* scratch */
    go_install inst[GO_MAX_INSTALLS];
    size_t ninst;
    char host_os[16], host_arch[16];
    const sim_context *c;       /* context being checked */
    goenv_file env;             /* go env -w file of c */
} goctx;

/* ---- small helpers -------------------------------------------------------- */

static const env_var *var_get(const sim_context *c, const char *name)
{
    for (size_t i = 0; i < c->nvars; i++)
        if (c->vars[i].name && strcmp(c->vars[i].name, name) == 0)
            return &c->vars[i];
    return NULL;
}

static const char *var_value(const sim_context *c, const char *name)
{
    const env_var *v = var_get(c, name);
    return v && v->value && !v->opaque ? v->value : NULL;
}

static bool is_goenv_loc(const goctx *g, const sim_loc *at)
{
    return at->file && g->env.path[0] && strcmp(at->file, g->env.path) == 0;
}

static const goenv_entry *goenv_get(const goctx *g, const char *name)
{
    for (size_t i = 0; i < g->env.n; i++)
        if (strcmp(g->env.e[i].name, name) == 0)
            return &g->env.e[i];
    return NULL;
}

/* The value go sees for name in the current context: an exported variable
 * of the environment, else the go env -w file. */
static go_val go_get(goctx *g, const char *name)
{
    go_val r = {0};
    const env_var *v = var_get(g->c, name);
    if (v && v->value && v->exported && !is_goenv_loc(g, &v->at)) {
        r.value = v->opaque ? NULL : v->value;
        r.v = v;
        r.from_env = true;
        r.at = v->at;
        return r;
    }
    const goenv_entry *e = goenv_get(g, name);
    if (e) {
        r.value = e->value;
        r.at.file = g->env.path;
        r.at.line = e->line;
    }
    return r;
}


static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    size_t k = 0;
    while (s[k] && isspace((unsigned char)s[k]))
        k++;
    if (k)
        memmove(s, s + k, n - k + 1);
}

/* Read a small file under the root into buf (NUL-terminated); false if absent. */
static bool root_read_small(const root *r, const char *machine_path, char *buf, size_t len)
{
    char *p = root_path(r, machine_path);
    int fd = open_regular(p, NULL);
    free(p);
    if (fd < 0)
        return false;
    size_t got = 0;
    while (got + 1 < len) {
        ssize_t k = read(fd, buf + got, len - 1 - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    buf[got] = '\0';
    return true;
}

/* realpath inside the root (core's resolver): ".." cleaned lexically first, as
 * go's filepath.Clean does; after 32 links, the path reached so far. */
static void root_realpath(const root *r, const char *machine_path, char *out, size_t outlen)
{
    char res[ROOT_PATH_MAX];
    root_resolve(r, machine_path, ROOT_RESOLVE_LEXICAL, 32, res, sizeof(res), NULL);
    str_copy(out, outlen, res);
}

static void install_fill(const root *r, const char *bin, go_install *gi)
{
    memset(gi, 0, sizeof(*gi));
    str_copy(gi->bin, sizeof(gi->bin), bin);
    char real[GO_PATH_MAX];
    root_realpath(r, bin, real, sizeof(real));
    size_t n = strlen(real);
    if (n > 7 && strcmp(real + n - 7, "/bin/go") == 0)
        snprintf(gi->goroot, sizeof(gi->goroot), "%.*s", (int)(n - 7), real);
    else if (str_starts_with(bin, "/snap/bin/"))
        root_realpath(r, "/snap/go/current", gi->goroot, sizeof(gi->goroot));
    else
        str_copy(gi->goroot, sizeof(gi->goroot), real);
    char path[GO_PATH_MAX + 16];
    snprintf(path, sizeof(path), "%s/VERSION", gi->goroot);
    char buf[256];
    if (root_read_small(r, path, buf, sizeof(buf))) {
        buf[strcspn(buf, "\r\n")] = '\0';
        trim(buf);
        if (str_starts_with(buf, "go"))
            str_copy(gi->version, sizeof(gi->version), buf);
    }
}

static bool go_file_at(const root *r, const char *dir, char *bin, size_t binlen)
{
    snprintf(bin, binlen, "%s%sgo", dir, str_ends_with(dir, "/") ? "" : "/");
    char real[GO_PATH_MAX];
    root_realpath(r, bin, real, sizeof(real));
    return root_is_file(r, real);
}

bool go_on_path(const root *r, const char *path, go_install *out)
{
    if (!path)
        return false;
    const char *s = path;
    while (true) {
        const char *e = strchr(s, ':');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n > 0 && s[0] == '/' && n < GO_PATH_MAX - 4) {
            char dir[GO_PATH_MAX], bin[GO_PATH_MAX + 8];
            snprintf(dir, sizeof(dir), "%.*s", (int)n, s);
            if (go_file_at(r, dir, bin, sizeof(bin))) {
                if (out)
                    install_fill(r, bin, out);
                return true;
            }
        }
        if (!e)
            break;
        s = e + 1;
    }
    return false;
}

static void add_install(const root *r, const char *dir, go_install *out, size_t *n, size_t max)
{
    char bin[GO_PATH_MAX + 8];
    if (*n >= max || !go_file_at(r, dir, bin, sizeof(bin)))
        return;
    go_install gi;
    install_fill(r, bin, &gi);
    for (size_t i = 0; i < *n; i++)
        if (strcmp(out[i].goroot, gi.goroot) == 0)
            return;
    out[(*n)++] = gi;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* dir/prefix*<suffix> under the root, in name order. */
static void add_glob(const root *r, const char *dir, const char *prefix, const char *suffix,
                     go_install *out, size_t *n, size_t max)
{
    char *host = root_path(r, dir);
    DIR *d = opendir(host);
    free(host);
    if (!d)
        return;
    char *names[64];
    size_t nn = 0;
    struct dirent *de;
    while ((de = readdir(d)) && nn < GE_ARRAY_LEN(names))
        if (str_starts_with(de->d_name, prefix) && de->d_name[0] != '.')
            names[nn++] = xstrdup(de->d_name);
    closedir(d);
    qsort(names, nn, sizeof(names[0]), name_cmp);
    for (size_t i = 0; i < nn; i++) {
        char p[GO_PATH_MAX];
        snprintf(p, sizeof(p), "%s/%s%s", dir, names[i], suffix);
        add_install(r, p, out, n, max);
        free(names[i]);
    }
}

size_t go_installs_find(const root *r, const char *home, go_install *out, size_t max)
{
    size_t n = 0;
    char p[GO_PATH_MAX];
    add_install(r, "/usr/local/go/bin", out, &n, max);
    add_glob(r, "/usr/local", "go", "/bin", out, &n, max);
    add_glob(r, "/usr/lib", "go-", "/bin", out, &n, max);
    add_install(r, "/usr/lib/go/bin", out, &n, max);
    add_install(r, "/usr/bin", out, &n, max);
    add_install(r, "/snap/bin", out, &n, max);
    add_glob(r, "/opt", "go", "/bin", out, &n, max);
    if (home && *home) {
        snprintf(p, sizeof(p), "%s/go/bin", home);
        add_install(r, p, out, &n, max);
        snprintf(p, sizeof(p), "%s/.local/go/bin", home);
        add_install(r, p, out, &n, max);
        snprintf(p, sizeof(p), "%s/sdk", home);
        add_glob(r, p, "go", "/bin", out, &n, max);
    }
    return n;
}

/* GOOS/GOARCH of the analysed machine: from the ELF header of its go command,
 * else this host's uname. */
static void host_platform(goctx *g)
{
    snprintf(g->host_os, sizeof(g->host_os), "linux");
    snprintf(g->host_arch, sizeof(g->host_arch), "amd64");
    unsigned char h[20];
    bool have = false;
    if (g->ninst) {
        char real[GO_PATH_MAX];
        root_realpath(g->r, g->inst[0].bin, real, sizeof(real));
        char *host = root_path(g->r, real);
        int fd = open_regular(host, NULL);
        free(host);
        if (fd >= 0) {
            have = read(fd, h, sizeof(h)) == (ssize_t)sizeof(h) && memcmp(h, "\177ELF", 4) == 0;
            close(fd);
        }
    }
    static const struct { unsigned machine; const char *arch; } elf[] = {
        {62, "amd64"}, {183, "arm64"}, {3, "386"}, {40, "arm"}, {243, "riscv64"},
        {21, "ppc64le"}, {22, "s390x"}, {258, "loong64"}, {8, "mips64le"}};
    if (have) {
        unsigned m = h[5] == 2 ? (unsigned)(h[18] << 8 | h[19]) : (unsigned)(h[18] | h[19] << 8);
        for (size_t i = 0; i < GE_ARRAY_LEN(elf); i++)
            if (elf[i].machine == m)
                str_copy(g->host_arch, sizeof(g->host_arch), elf[i].arch);
        return;
    }
    static const struct { const char *uname, *arch; } un[] = {
        {"x86_64", "amd64"}, {"aarch64", "arm64"}, {"i686", "386"}, {"i386", "386"},
        {"armv7l", "arm"}, {"armv6l", "arm"}, {"riscv64", "riscv64"}, {"ppc64le", "ppc64le"},
        {"s390x", "s390x"}, {"loongarch64", "loong64"}};
    struct utsname u;
    if (uname(&u) == 0)
        for (size_t i = 0; i < GE_ARRAY_LEN(un); i++)
            if (strcmp(u.machine, un[i].uname) == 0)
                str_copy(g->host_arch, sizeof(g->host_arch), un[i].arch);
}

/* The go env -w file of the current context: $GOENV, $XDG_CONFIG_HOME/go/env,
 * ~/.config/go/env (cmd/go's os.UserConfigDir). */
static void goenv_load(goctx *g)
{
    memset(&g->env, 0, sizeof(g->env));
    const char *genv = var_value(g->c, "GOENV");
    const char *xdg = var_value(g->c, "XDG_CONFIG_HOME");
    const char *home = var_value(g->c, "HOME");
    if (!home)
        home = g->sr->home;
    if (genv && strcmp(genv, "off") == 0)
        return;
    if (genv && genv[0] == '/')
        str_copy(g->env.path, sizeof(g->env.path), genv);
    else if (xdg && xdg[0] == '/')
        snprintf(g->env.path, sizeof(g->env.path), "%s/go/env", xdg);
    else if (home && home[0] == '/')
        snprintf(g->env.path, sizeof(g->env.path), "%s/.config/go/env", home);
    else
        return;
    char *buf = arena_alloc(g->a, 65536);
    if (!root_read_small(g->r, g->env.path, buf, 65536))
        return;
    int line = 0;
    for (char *s = buf; *s && g->env.n < GO_MAX_ENVFILE;) {
        char *nl = strchr(s, '\n');
        if (nl)
            *nl = '\0';
        line++;
        char *eq = strchr(s, '=');
        if (eq && eq > s && (size_t)(eq - s) < sizeof(g->env.e[0].name)) {
            goenv_entry *e = &g->env.e[g->env.n++];
            snprintf(e->name, sizeof(e->name), "%.*s", (int)(eq - s), s);
            str_copy(e->value, sizeof(e->value), eq + 1);
            e->value[strcspn(e->value, "\r")] = '\0';
            e->line = line;
        }
        if (!nl)
            break;
        s = nl + 1;
    }
}

/* ---- emitting: one finding per (rule, line, message), contexts added ------ */

static const char *loc_file(const sim_loc *at)
{
    return at && at->src ? at->src->path : at ? at->file : NULL;
}

static finding *emit_v(goctx *g, const char *rule, severity sev, const sim_loc *at,
                       const char *fallback, const char *fmt, va_list ap)
{
    char *msg = arena_vprintf(g->a, fmt, ap);
    const char *file = loc_file(at);
    int line = at && file ? at->line : 1;
    if (!file) {
        file = fallback;
        line = 1;
    }
    if (!file)
        return NULL;
    finding_list *out = g->out;
    for (size_t i = g->first; i < out->n; i++) {
        finding *f = out->items[i];
        if (strcmp(f->rule, rule) == 0 && strcmp(f->file, file) == 0 &&
            f->line == (line > 0 ? line : 1) && strcmp(f->message, msg) == 0) {
            if (sev < f->sev)
                f->sev = sev;
            finding_add_context(out, f, g->c->name);
            return f;
        }
    }
    finding *f;
    if (at && at->src && at->end > at->start && at->end <= at->src->len)
        f = finding_add(out, rule, sev, at->src, at->start, at->end, "%s", msg);
    else
        f = finding_add_at(out, rule, sev, file, line, 1, line, 1, "%s", msg);
    finding_add_context(out, f, g->c->name);
    return f;
}

static finding *emit(goctx *g, const char *rule, severity sev, const sim_loc *at,
                     const char *fallback, const char *fmt, ...) GE_PRINTF(6, 7);
static finding *emit(goctx *g, const char *rule, severity sev, const sim_loc *at,
                     const char *fallback, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    finding *f = emit_v(g, rule, sev, at, fallback, fmt, ap);
    va_end(ap);
    return f;
}

/* Link symptom to the finding of the shell or simulator rules at file:line
 * (line 0: any line of the file), preferring the simulator's GE21xx. */
/* Link symptom to the finding of the shell or simulator rules at file:line
 * (line 0: any line of the file) whose rule starts with one of the prefixes
 * in want, earlier prefixes preferred. */
static void link_cause(goctx *g, finding *symptom, const char *file, int line,
                       const char *const *want, size_t nwant)
{
    if (!symptom || !file || symptom->caused_by)
        return;
    finding *best = NULL;
    size_t best_rank = nwant;
    for (size_t i = 0; i < g->first; i++) {
        finding *f = g->out->items[i];
        if (strcmp(f->file, file) != 0 || (line > 0 && f->line != line))
            continue;
        for (size_t k = 0; k < best_rank; k++)
            if (str_starts_with(f->rule, want[k])) {
                best = f;
                best_rank = k;
                break;
            }
    }
    if (best && best != symptom)
        finding_link(g->out, best, symptom);
}

static const char *const path_causes[] = {"GE21", "GE2"};

static const char *display(const goctx *g, const char *machine_path)
{
    const char *home = g->sr->home;
    size_t n = home ? strlen(home) : 0;
    if (n > 1 && strncmp(machine_path, home, n) == 0 && machine_path[n] == '/')
        return arena_printf(g->a, "~%s", machine_path + n);
    return machine_path;
}

static const char *where(const goctx *g, const sim_loc *at)
{
    const char *f = loc_file(at);
    if (!f)
        return "the built-in default";
    return arena_printf(g->a, "%s:%d", display(g, f), at->line);
}

/* A user startup file to point at when nothing else is responsible. */
static const char *fallback_file(goctx *g)
{
    static const char *const names[] = {".profile", ".bash_profile", ".bashrc", ".zshrc",
                                        ".zprofile", ".zshenv"};
    const char *home = g->sr->home;
    for (size_t i = 0; home && i < GE_ARRAY_LEN(names); i++) {
        char *p = arena_printf(g->a, "%s/%s", home, names[i]);
        if (root_is_file(g->r, p))
            return p;
    }
    for (size_t i = 0; i < g->c->nfiles; i++)
        if (g->c->files[i].src)
            return g->c->files[i].file;
    return "/etc/profile";
}

static bool user_context(const sim_context *c)
{
    return c->kind < SIM_CONTEXT_COUNT;
}


/* ---- fixes ------------------------------------------------------------------ */

/* The first startup file of the user's own that context c reads itself. */
static const sim_file_read *user_file(const goctx *g, const sim_context *c)
{
    const char *home = g->sr->home;
    size_t n = home ? strlen(home) : 0;
    if (n < 2)
        return NULL;
    for (size_t k = 0; k < c->nfiles; k++) {
        const sim_file_read *fr = &c->files[k];
        if (fr->src && fr->tree && fr->shell && fr->depth == 0 && !fr->src->binary &&
            strncmp(fr->file, home, n) == 0 && fr->file[n] == '/')
            return fr;
    }
    return NULL;
}

/* Unsafe fix of a "directory not on PATH" finding: in the file the current
 * context reads, before its early return if it has one (so ssh host cmd gets
 * it too), else at its end, add dir only when PATH lacks it. One edit per
 * file; a context that reads a file already edited is covered. */
static void fix_add_path(goctx *g, finding *f, const char *dir)
{
    const sim_context *c = g->c;
    if (!f || (f->fix && f->fix->applicability != FIX_UNSAFE) || !user_context(c) ||
        c->kind == SIM_CRON || c->kind == SIM_SCRIPT || strpbrk(dir, "\"'`\\$*?[ "))
        return;
    const sim_file_read *fr = user_file(g, c);
    const char *home = g->sr->home;
    if (!fr && (!home || strlen(home) < 2 || !root_is_dir(g->r, home)))
        return;
    /* no startup file of the user's own: create the one this context reads */
    const char *create = NULL;
    if (!fr)
        create = arena_printf(g->a, "%s/%s", home,
                              c->shell == SHELL_ZSH ? ".zshenv"
                              : c->kind == SIM_TERMINAL || c->kind == SIM_SSH_COMMAND ? ".bashrc"
                                                                                     : ".profile");
    for (size_t i = 0; f->fix && i < f->fix->nedits; i++) {
        if (create && strcmp(create, f->fix->edits[i].file) == 0)
            return;
        for (size_t k = 0; k < c->nfiles; k++)
            if (strcmp(c->files[k].file, f->fix->edits[i].file) == 0)
                return;
    }
    if (create && root_exists(g->r, create))
        return; /* there, but not read here: not ours to guess why */
    size_t hn = strlen(home);
    const char *shown = strncmp(dir, home, hn) == 0 && dir[hn] == '/'
                            ? arena_printf(g->a, "$HOME%s", dir + hn) : dir;
    const char *text = arena_printf(g->a, "case \":$PATH:\" in *:\"%s\":*) ;; *) export "
                                          "PATH=\"$PATH:%s\";; esac\n", shown, shown);
    fix *fx = f->fix ? f->fix
                     : finding_set_fix(g->out, f, FIX_UNSAFE,
                                       "add %s to PATH in the startup files these contexts read",
                                       shown);
    if (create) {
        source_file *nf = source_from_memory(create, "", 0);
        free(nf->host_path);
        nf->host_path = root_path(g->r, create);
        fix_add_edit(g->out, fx, nf, 0, 0, text);
        source_free(nf);
        return;
    }
    for (size_t i = 0; i < g->sr->ncontexts; i++) {
        const sim_context *o = &g->sr->contexts[i];
        for (size_t k = 0; k < o->nevents; k++) {
            size_t gs, ge;
            if (o->events[k].kind == SIM_EV_EARLY_RETURN && o->events[k].at.src == fr->src &&
                shell_toplevel_range(fr->tree, o->events[k].at.start, &gs, &ge)) {
                fix_edit_insert_line(g->out, fx, fr->src, gs, text);
                return;
            }
        }
    }
    fix_edit_append_lines(g->out, fx, fr->src, text);
}

/* Remove the line at `at` when it only sets name: safe for GO111MODULE,
 * display for a go env -w override. */
static void fix_remove_setting(goctx *g, finding *f, const sim_loc *at, const char *name,
                               fix_applicability app)
{
    if (!f || f->fix || !at->src || !shell_assign_only(at->src, at->start, at->end, name))
        return;
    fix *fx = finding_set_fix(g->out, f, app, "remove the %s line", name);
    fix_edit_delete_line(g->out, fx, at->src, at->start);
}

/* A misspelt keyword ("drect") or the entry itself. */
static const char *proxy_keyword(const char *ent, size_t n)
{
    char buf[64];
    if (n == 0 || n >= sizeof(buf) || memchr(ent, '.', n) || memchr(ent, ':', n) ||
        memchr(ent, '/', n))
        return NULL;
    memcpy(buf, ent, n);
    buf[n] = '\0';
    if (n >= 4 && str_edit_distance(buf, "direct", 3) <= 2)
        return "direct";
    if (n >= 2 && str_edit_distance(buf, "off", 2) <= 1)
        return "off";
    return NULL;
}

/* GE3110: entries separated by ';', blanks or doubled separators get ',' (a
 * single '|' stays), misspelt direct/off are spelt right. Safe: only a value
 * go accepts is written, and it names the same proxies. */
static void fix_goproxy(goctx *g, finding *f, const sim_loc *at)
{
    size_t vs, ve;
    if (!f || f->fix || !at->src ||
        !shell_assign_value(at->src, at->start, at->end, "GOPROXY", &vs, &ve) || ve <= vs)
        return;
    const char *d = at->src->data;
    size_t a = vs, b = ve;
    char q = 0;
    if (b - a >= 2 && (d[a] == '"' || d[a] == '\'') && d[b - 1] == d[a]) {
        q = d[a];
        a++;
        b--;
    }
    for (size_t i = a; i < b; i++)
        if (strchr("\"'$`\\", d[i]))
            return;
    strbuf nv = STRBUF_INIT;
    for (size_t i = a; i < b;) {
        size_t k = i;
        while (k < b && strchr(",;| \t", d[k]))
            k++;
        if (k > i && nv.len && k < b)
            strbuf_adds(&nv, k - i == 1 && d[i] == '|' ? "|" : ",");
        i = k;
        while (k < b && !strchr(",;| \t", d[k]))
            k++;
        if (k > i) {
            const char *kw = proxy_keyword(d + i, k - i);
            if (kw)
                strbuf_adds(&nv, kw);
            else
                strbuf_addf(&nv, "%.*s", (int)(k - i), d + i);
        }
        i = k;
    }
    char why[512];
    if (nv.len && go_proxy_valid(nv.data, why, sizeof(why)) &&
        (nv.len != b - a || memcmp(nv.data, d + a, nv.len) != 0)) {
        if (!q && strchr(nv.data, '|'))
            q = '"';
        const char *repl = q ? arena_printf(g->a, "%c%s%c", q, nv.data, q) : nv.data;
        fix *fx = finding_set_fix(g->out, f, FIX_SAFE, "GOPROXY=%s", nv.data);
        fix_add_edit(g->out, fx, at->src, vs, ve, repl);
    }
    strbuf_release(&nv);
}

/* ---- GE3101: go not on a context's PATH ----------------------------------- */

static bool path_has_dir(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    for (const char *s = path; s && *s;) {
        const char *e = strchr(s, ':');
        size_t k = e ? (size_t)(e - s) : strlen(s);
        if (k == n && strncmp(s, dir, n) == 0)
            return true;
        if (k == n + 1 && strncmp(s, dir, n) == 0 && s[n] == '/')
            return true;
        s = e ? e + 1 : NULL;
    }
    return false;
}

static const char *context_path(const sim_context *c)
{
    const env_var *v = var_get(c, "PATH");
    if (!v)
        return "/usr/local/bin:/usr/bin:/bin"; /* bash's built-in default */
    return v->value;
}

/* Does the context find go? An interactive non-login terminal also inherits
 * the desktop session's PATH unless its own chain assigns PATH outright. */
static bool context_has_go(goctx *g, const sim_context *c, go_install *gi)
{
    if (go_on_path(g->r, context_path(c), gi))
        return true;
    if (c->kind != SIM_TERMINAL)
        return false;
    const env_var *pv = var_get(c, "PATH");
    if (pv && pv->nhistory && pv->history[pv->nhistory - 1].op == ENV_OP_ASSIGN &&
        pv->history[pv->nhistory - 1].at.src)
        return false;
    for (size_t i = 0; i < g->sr->ncontexts; i++) {
        const sim_context *d = &g->sr->contexts[i];
        if (d->kind == SIM_DESKTOP && go_on_path(g->r, context_path(d), gi))
            return true;
    }
    return false;
}

/* Where a directory entered PATH in any context (the line that adds it),
 * only in file when file is not NULL. */
static const path_entry *dir_added_in(goctx *g, const char *dir, const char *file)
{
    for (size_t i = 0; i < g->sr->ncontexts; i++) {
        const env_var *pv = var_get(&g->sr->contexts[i], "PATH");
        for (size_t k = 0; pv && k < pv->nentries; k++) {
            const char *f = loc_file(&pv->entries[k].at);
            if (pv->entries[k].value && strcmp(pv->entries[k].value, dir) == 0 && f &&
                (!file || strcmp(f, file) == 0))
                return &pv->entries[k];
        }
    }
    return NULL;
}

static bool line_mentions_go(const sim_loc *at)
{
    if (!at->src || at->end <= at->start || at->end > at->src->len)
        return false;
    const char *s = at->src->data + at->start;
    size_t n = at->end - at->start;
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == 'g' && s[i + 1] == 'o' && (i == 0 || !isalnum((unsigned char)s[i - 1])))
            return true;
    return false;
}

static void rule_GE3101(goctx *g)
{
    const sim_context *c = g->c;
    if (!user_context(c) || !g->ninst)
        return;
    const env_var *pv = var_get(c, "PATH");
    if (pv && (pv->opaque || !pv->certain))
        return;
    if (context_has_go(g, c, NULL))
        return;

    /* the installation to talk about: the one other contexts use, else the first */
    const go_install *gi = &g->inst[0];
    go_install found;
    for (size_t i = 0; i < g->sr->ncontexts; i++)
        if (user_context(&g->sr->contexts[i]) &&
            go_on_path(g->r, context_path(&g->sr->contexts[i]), &found)) {
            gi = &found;
            break;
        }
    char dir[GO_PATH_MAX];
    str_copy(dir, sizeof(dir), gi->bin);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    const char *ver = gi->version[0] ? gi->version : "version unknown";
    bool info_only = c->kind == SIM_CRON || c->kind == SIM_SCRIPT;
    severity strong = info_only ? SEV_INFO : SEV_WARNING;
    severity weak = c->kind == SIM_TERMINAL || c->kind == SIM_LOGIN ? SEV_WARNING : SEV_INFO;
    finding *f;

    /* a) PATH overwritten in this chain after go's directory was on it */
    if (pv && pv->nhistory) {
        const env_op *last = &pv->history[pv->nhistory - 1];
        const sim_loc *lost_at = NULL;
        for (size_t h = 0; h + 1 < pv->nhistory && !lost_at; h++)
            for (size_t k = 0; k < pv->history[h].nentries; k++)
                if (pv->history[h].entries[k].value &&
                    strcmp(pv->history[h].entries[k].value, dir) == 0)
                    lost_at = &pv->history[h].entries[k].at;
        if (last->op == ENV_OP_ASSIGN && last->at.src && lost_at) {
            f = emit(g, "GE3101", strong, &last->at, NULL,
                     "go is not found on PATH: this line sets PATH without %s (added at %s), "
                     "so 'go' is 'command not found' though it is installed at %s (%s)",
                     dir, where(g, lost_at), gi->bin, ver);
            link_cause(g, f, loc_file(&last->at), last->at.line, path_causes, 2);
            fix_add_path(g, f, dir);
            return;
        }
    }
    /* b) a PATH change skipped behind an early return */
    for (size_t i = 0; i < c->nevents; i++) {
        const sim_event *ev = &c->events[i];
        if (ev->kind == SIM_EV_SKIPPED_SET && ev->name && strcmp(ev->name, "PATH") == 0 &&
            line_mentions_go(&ev->at)) {
            f = emit(g, "GE3101", strong, &ev->at, NULL,
                     "go is not found on PATH: this PATH change is never reached, the file "
                     "returns early at %s; go is installed at %s (%s)",
                     where(g, &ev->other), gi->bin, ver);
            link_cause(g, f, loc_file(&ev->other), ev->other.line, path_causes, 2);
            if (f && !f->caused_by)
                link_cause(g, f, loc_file(&ev->at), 0, path_causes, 2);
            fix_add_path(g, f, dir);
            return;
        }
    }
    /* c) a file that adds it is shadowed in this context */
    for (size_t i = 0; i < c->nevents; i++) {
        const sim_event *ev = &c->events[i];
        const path_entry *in = ev->kind == SIM_EV_SHADOWED && ev->file ? dir_added_in(g, dir, ev->file)
                                                                        : NULL;
        if (!in)
            continue;
        f = emit(g, "GE3101", strong, &in->at, NULL,
                 "go is not found on PATH: %s is added here, in a file these contexts never "
                 "read (%s); go is installed at %s (%s)",
                 dir, ev->detail ? ev->detail : "shadowed", gi->bin, ver);
        link_cause(g, f, ev->file, 0, path_causes, 2);
        fix_add_path(g, f, dir);
        return;
    }
    const path_entry *added = dir_added_in(g, dir, NULL);
    /* d) added in a file this context does not read */
    if (added) {
        f = emit(g, "GE3101", weak, &added->at, NULL,
                 "go is not found on PATH in these contexts: %s is added to PATH only here, "
                 "in a file they do not read; go is installed at %s (%s)",
                 dir, gi->bin, ver);
        fix_add_path(g, f, dir);
        return;
    }
    /* e) no startup file puts it on PATH */
    const sim_loc *at = pv && pv->at.src ? &pv->at : NULL;
    f = emit(g, "GE3101", weak, at, fallback_file(g),
             "go is installed at %s (%s) but no startup file puts %s on PATH", gi->bin, ver, dir);
    fix_add_path(g, f, dir);
}

/* ---- GE3102-GE3104: GOROOT ------------------------------------------------- */

static void rule_GOROOT(goctx *g)
{
    const env_var *v = var_get(g->c, "GOROOT");
    if (!v || !v->value || !v->exported || v->opaque || is_goenv_loc(g, &v->at))
        return;
    const char *val = v->value;
    if (!*val)
        return;
    char bin[GO_PATH_MAX + 16];
    snprintf(bin, sizeof(bin), "%s/bin/go", val);
    char real[GO_PATH_MAX];
    if (val[0] != '/') {
        emit(g, "GE3102", SEV_ERROR, &v->at, NULL,
             "GOROOT=%s is not an absolute path; go fails with 'cannot find GOROOT directory: %s'",
             val, val);
        return;
    }
    root_realpath(g->r, val, real, sizeof(real));
    if (!root_is_dir(g->r, real)) {
        emit(g, "GE3102", SEV_ERROR, &v->at, NULL,
             "GOROOT=%s does not exist; go fails with 'cannot find GOROOT directory: %s'", val, val);
        return;
    }
    char binreal[GO_PATH_MAX];
    root_realpath(g->r, bin, binreal, sizeof(binreal));
    if (!root_is_file(g->r, binreal)) {
        emit(g, "GE3102", SEV_ERROR, &v->at, NULL,
             "GOROOT=%s holds no bin/go: it is not a Go installation, so the standard "
             "library and compiler are not found", val);
        return;
    }
    go_install onpath;
    if (!go_on_path(g->r, context_path(g->c), &onpath))
        return;
    go_install named;
    install_fill(g->r, bin, &named);
    if (strcmp(named.goroot, onpath.goroot) == 0) {
        emit(g, "GE3104", SEV_INFO, &v->at, NULL,
             "GOROOT=%s is the installation the go on PATH finds by itself; setting it only "
             "goes stale at the next upgrade, remove it", val);
        return;
    }
    if (named.version[0] && onpath.version[0] && strcmp(named.version, onpath.version) == 0) {
        emit(g, "GE3104", SEV_INFO, &v->at, NULL,
             "GOROOT=%s is another copy of %s, the version of the go on PATH (%s); "
             "unnecessary, remove it", val, onpath.version, onpath.bin);
        return;
    }
    if (named.version[0] && onpath.version[0]) {
        emit(g, "GE3103", SEV_ERROR, &v->at, NULL,
             "GOROOT=%s is %s but the go on PATH is %s (%s): builds fail with "
             "'compile: version \"%s\" does not match go tool version \"%s\"'",
             val, named.version, onpath.bin, onpath.version, named.version, onpath.version);
    } else {
        emit(g, "GE3103", SEV_WARNING, &v->at, NULL,
             "GOROOT=%s is not the installation of the go on PATH (%s, GOROOT %s); if their "
             "versions differ builds fail with 'compile: version ... does not match go tool version'",
             val, onpath.bin, onpath.goroot);
    }
}

/* ---- GE3105-GE3108: GOPATH ------------------------------------------------- */

/* GOROOT as go sees it in the context: set, or that of the go on PATH. */
static bool effective_goroot(goctx *g, char *out, size_t len)
{
    go_val r = go_get(g, "GOROOT");
    if (r.value && r.value[0] == '/') {
        root_realpath(g->r, r.value, out, len);
        return true;
    }
    go_install gi;
    if (go_on_path(g->r, context_path(g->c), &gi)) {
        str_copy(out, len, gi.goroot);
        return true;
    }
    return false;
}

/* Returns true when GOPATH is usable (so GOBIN checks make sense). */
static bool rule_GOPATH(goctx *g)
{
    go_val gp = go_get(g, "GOPATH");
    if (!gp.value || !*gp.value)
        return true;
    const sim_loc *at = &gp.at;
    char goroot[GO_PATH_MAX];
    bool have_root = effective_goroot(g, goroot, sizeof(goroot));
    size_t entries = 0;
    bool ok = true;
    for (const char *s = gp.value; s;) {
        const char *e = strchr(s, ':');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        char ent[GO_PATH_MAX];
        snprintf(ent, sizeof(ent), "%.*s", (int)(n < GO_PATH_MAX ? n : GO_PATH_MAX - 1), s);
        s = e ? e + 1 : NULL;
        if (!ent[0])
            continue;
        entries++;
        if (ent[0] == '~') {
            finding *f = emit(g, "GE3105", SEV_ERROR, at, NULL,
                 "GOPATH holds a literal %s: the shell does not expand ~ inside quotes or after "
                 "':', and go fails with 'GOPATH entry cannot start with shell metacharacter "
                 "'~': \"%s\"'; use $HOME", ent, ent);
            static const char *const tilde[] = {"GE1001"};
            link_cause(g, f, loc_file(at), at->line, tilde, 1);
            ok = false;
        } else if (ent[0] != '/') {
            emit(g, "GE3105", SEV_ERROR, at, NULL,
                 "GOPATH entry %s is relative; go fails with 'GOPATH entry is relative; must be "
                 "absolute path: \"%s\"'", ent, ent);
            ok = false;
        } else if (have_root) {
            char real[GO_PATH_MAX];
            root_realpath(g->r, ent, real, sizeof(real));
            if (strcmp(real, goroot) == 0) {
                emit(g, "GE3106", SEV_WARNING, at, NULL,
                     "GOPATH %s is the Go installation itself (GOROOT); go warns 'GOPATH set to "
                     "GOROOT (%s) has no effect' and modules and tools land in the wrong place",
                     ent, ent);
                ok = false;
            }
        }
    }
    if (entries > 1 && !go_get(g, "GOBIN").value) {
        emit(g, "GE3108", SEV_INFO, at, NULL,
             "GOPATH has %zu entries and GOBIN is unset: go install puts binaries only in the "
             "first entry's bin directory; set GOBIN or add that directory to PATH", entries);
    }
    return ok;
}

/* GE3107: a Go variable set in the shell but not exported in this context. */
static void rule_GE3107(goctx *g)
{
    static const char *const names[] = {
        "CGO_ENABLED", "GO111MODULE", "GOARCH", "GOBIN", "GOCACHE", "GODEBUG", "GOENV",
        "GOFLAGS", "GOMODCACHE", "GONOPROXY", "GONOSUMDB", "GOOS", "GOPATH", "GOPRIVATE",
        "GOPROXY", "GOROOT", "GOSUMDB", "GOTOOLCHAIN"};
    for (size_t i = 0; i < GE_ARRAY_LEN(names); i++) {
        const env_var *v = var_get(g->c, names[i]);
        if (!v || !v->value || v->exported || !v->at.src || is_goenv_loc(g, &v->at))
            continue;
        const goenv_entry *ge = goenv_get(g, names[i]);
        /* an export the simulator could not follow may exist */
        severity sev = sim_value_unsure(g->c, v) || g->c->env_approx ? SEV_INFO : SEV_WARNING;
        finding *f;
        if (ge)
            f = emit(g, "GE3107", sev, &v->at, NULL,
                     "%s is set here but not exported: go does not see it and uses %s from "
                     "%s:%d (go env -w) instead", names[i], ge->value, display(g, g->env.path),
                     ge->line);
        else
            f = emit(g, "GE3107", sev, &v->at, NULL,
                     "%s is set here but not exported: go runs as a child process and never "
                     "sees it ('go env %s' shows the default)", names[i], names[i]);
        static const char *const unexported[] = {"GE3001"};
        link_cause(g, f, loc_file(&v->at), v->at.line, unexported, 1);
    }
}

/* ---- GE3109: GOBIN not on PATH --------------------------------------------- */

static void rule_GE3109(goctx *g, bool gopath_ok)
{
    const sim_context *c = g->c;
    if (!c->interactive || !user_context(c) || !gopath_ok || !g->ninst)
        return;
    if (!context_has_go(g, c, NULL))
        return; /* GE3101 says so; tools come second */
    go_val gobin = go_get(g, "GOBIN");
    go_val gp = go_get(g, "GOPATH");
    char dir[GO_PATH_MAX];
    const sim_loc *at = NULL;
    const char *how;
    if (gobin.value && gobin.value[0] == '/') {
        str_copy(dir, sizeof(dir), gobin.value);
        at = &gobin.at;
        how = "GOBIN";
    } else if (gp.value && gp.value[0] == '/') {
        snprintf(dir, sizeof(dir), "%.*s/bin", (int)strcspn(gp.value, ":"), gp.value);
        at = &gp.at;
        how = "$GOPATH/bin";
    } else if (g->sr->home && g->sr->home[0] == '/') {
        snprintf(dir, sizeof(dir), "%s/go/bin", g->sr->home);
        how = "the default ~/go/bin";
    } else {
        return;
    }
    const char *path = context_path(c);
    if (path && path_has_dir(path, dir))
        return;
    if (c->kind == SIM_TERMINAL) {
        const env_var *pv = var_get(c, "PATH");
        bool assigned = pv && pv->nhistory && pv->history[pv->nhistory - 1].op == ENV_OP_ASSIGN &&
                        pv->history[pv->nhistory - 1].at.src;
        for (size_t i = 0; !assigned && i < g->sr->ncontexts; i++)
            if (g->sr->contexts[i].kind == SIM_DESKTOP &&
                path_has_dir(context_path(&g->sr->contexts[i]), dir))
                return;
    }
    char real[GO_PATH_MAX];
    root_realpath(g->r, dir, real, sizeof(real));
    bool exists = root_is_dir(g->r, real);
    /* PATH, GOBIN or GOPATH may hold what the simulator could not follow */
    bool unsure = sim_value_unsure(c, var_get(c, "PATH")) ||
                  sim_value_unsure(c, var_get(c, "GOBIN")) ||
                  sim_value_unsure(c, var_get(c, "GOPATH"));
    const sim_loc *loc = at && loc_file(at) && !is_goenv_loc(g, at) ? at : NULL;
    finding *f = emit(g, "GE3109", exists && !unsure ? SEV_WARNING : SEV_INFO, loc, fallback_file(g),
                      "%s (%s) is not on PATH: tools from 'go install' (gopls, dlv, staticcheck "
                      "...) are 'command not found'%s%s", display(g, dir), how,
                      exists ? "" : " once installed", unsure ? sim_approx_note(g->sr, c) : "");
    if (exists) /* an entry for a directory that does not exist is GE6041 */
        fix_add_path(g, f, dir);
}

/* ---- GE3110-GE3113: GOPROXY and private patterns -------------------------- */

static bool has_space_or_semicolon(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (isspace((unsigned char)s[i]) || s[i] == ';')
            return true;
    return false;
}

bool go_proxy_valid(const char *value, char *why, size_t whylen)
{
    if (!value || !*value)
        return true;
    for (const char *s = value; s;) {
        size_t n = strcspn(s, ",|");
        const char *next = s[n] ? s + n + 1 : NULL;
        char ent[512];
        snprintf(ent, sizeof(ent), "%.*s", (int)(n < sizeof(ent) ? n : sizeof(ent) - 1), s);
        trim(ent);
        s = next;
        if (!ent[0])
            continue;
        if (strcmp(ent, "direct") == 0 || strcmp(ent, "off") == 0)
            continue;
        if (has_space_or_semicolon(ent, strlen(ent))) {
            snprintf(why, whylen, "entry \"%s\" holds a space or ';': entries are separated by "
                     "',' or '|' only", ent);
            return false;
        }
        const char *colon = strstr(ent, "://");
        if (colon) {
            size_t sl = (size_t)(colon - ent);
            if (!((sl == 5 && strncmp(ent, "https", 5) == 0) || (sl == 4 && strncmp(ent, "http", 4) == 0) ||
                  (sl == 4 && strncmp(ent, "file", 4) == 0))) {
                snprintf(why, whylen, "entry \"%s\": invalid proxy URL scheme (must be https, http, "
                         "file)", ent);
                return false;
            }
            if (sl != 4 || strncmp(ent, "file", 4) != 0) {
                const char *host = colon + 3;
                if (!*host || *host == '/') {
                    snprintf(why, whylen, "entry \"%s\" has no host", ent);
                    return false;
                }
            }
            continue;
        }
        if (strchr(ent, ':') && !strchr(ent, '.')) {
            snprintf(why, whylen, "entry \"%s\": invalid proxy URL", ent);
            return false;
        }
        if (!strchr(ent, '.') && !strchr(ent, ':') && !strchr(ent, '/')) {
            const char *hint = str_edit_distance(ent, "direct", 3) <= 3 ? " (did you mean direct?)"
                             : str_edit_distance(ent, "off", 1) <= 1 ? " (did you mean off?)" : "";
            snprintf(why, whylen, "entry \"%s\" is neither direct, off nor a URL: go fails with "
                     "'invalid proxy URL missing scheme: %s'%s", ent, ent, hint);
            return false;
        }
    }
    return true;
}

/* Is this GOPROXY entry the public proxy? */
static bool public_proxy(const char *ent)
{
    return strstr(ent, "proxy.golang.org") != NULL;
}

static void rule_GOPROXY(goctx *g)
{
    go_val p = go_get(g, "GOPROXY");
    if (!p.value || !*p.value)
        return;
    char why[512];
    if (!go_proxy_valid(p.value, why, sizeof(why))) {
        finding *f = emit(g, "GE3110", SEV_ERROR, &p.at, NULL, "GOPROXY=%s: %s", p.value, why);
        fix_goproxy(g, f, &p.at);
        return;
    }
    char first[512];
    snprintf(first, sizeof(first), "%.*s", (int)strcspn(p.value, ",|"), p.value);
    trim(first);
    if (strcmp(first, "off") == 0) {
        if (user_context(g->c) && g->c->kind != SIM_CRON)
            emit(g, "GE3111", SEV_WARNING, &p.at, NULL,
                 "GOPROXY=off: every module download fails with 'module lookup disabled by "
                 "GOPROXY=off' (fine on an air-gapped CI runner, not in a user's shell)");
        return;
    }
    bool direct = false, private_url = false;
    char priv[512] = "";
    for (const char *s = p.value; s;) {
        size_t n = strcspn(s, ",|");
        char ent[512];
        snprintf(ent, sizeof(ent), "%.*s", (int)(n < sizeof(ent) ? n : sizeof(ent) - 1), s);
        trim(ent);
        s = s[n] ? s + n + 1 : NULL;
        if (strcmp(ent, "direct") == 0)
            direct = true;
        else if (strcmp(ent, "off") == 0)
            break;
        else if (ent[0] && !public_proxy(ent) && !private_url) {
            private_url = true;
            str_copy(priv, sizeof(priv), ent);
        }
    }
    if (private_url && !direct)
        emit(g, "GE3112", SEV_INFO, &p.at, NULL,
             "GOPROXY=%s has no direct fallback: a module %s does not serve fails with "
             "404/410 instead of being fetched from its origin; end the list with ,direct",
             p.value, priv);
}

bool go_patterns_valid(const char *value, char *why, size_t whylen)
{
    if (!value)
        return true;
    for (const char *s = value; s;) {
        size_t n = strcspn(s, ",");
        char pat[512];
        snprintf(pat, sizeof(pat), "%.*s", (int)(n < sizeof(pat) ? n : sizeof(pat) - 1), s);
        s = s[n] ? s + n + 1 : NULL;
        if (!pat[0])
            continue;
        if (has_space_or_semicolon(pat, strlen(pat))) {
            snprintf(why, whylen, "pattern \"%s\" holds a space or ';': patterns are separated "
                     "by ',' only", pat);
            return false;
        }
        if (strstr(pat, "://")) {
            snprintf(why, whylen, "pattern \"%s\" has a URL scheme: module paths have none, "
                     "so it never matches (write %s)", pat, strstr(pat, "://") + 3);
            return false;
        }
        const char *slash = strchr(pat, '/');
        size_t hl = slash ? (size_t)(slash - pat) : strlen(pat);
        const char *colon = memchr(pat, ':', hl);
        if (colon) {
            snprintf(why, whylen, "pattern \"%s\" has a port: module paths have none, so it "
                     "never matches", pat);
            return false;
        }
        /* path.Match syntax: a '[' needs its ']', a trailing '\' escapes nothing */
        for (const char *q = pat; *q; q++) {
            if (*q == '\\') {
                if (!q[1]) {
                    snprintf(why, whylen, "pattern \"%s\" ends in '\\': a malformed pattern "
                             "never matches", pat);
                    return false;
                }
                q++;
            } else if (*q == '[') {
                const char *close = strchr(q + 1, ']');
                if (!close || close == q + 1 || (close == q + 2 && q[1] == '^')) {
                    snprintf(why, whylen, "pattern \"%s\" has an unclosed or empty '[': a "
                             "malformed pattern never matches", pat);
                    return false;
                }
                q = close;
            }
        }
    }
    return true;
}

static void rule_GE3113(goctx *g)
{
    static const char *const names[] = {"GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOINSECURE"};
    for (size_t i = 0; i < GE_ARRAY_LEN(names); i++) {
        go_val v = go_get(g, names[i]);
        char why[512];
        if (v.value && !go_patterns_valid(v.value, why, sizeof(why)))
            emit(g, "GE3113", SEV_ERROR, &v.at, NULL,
                 "%s=%s: %s; private modules then go to the public proxy and checksum "
                 "database and fail with 404/410", names[i], v.value, why);
    }
}

/* ---- GE3114: GO111MODULE -------------------------------------------------- */

static void rule_GE3114(goctx *g)
{
    go_val v = go_get(g, "GO111MODULE");
    if (!v.value)
        return;
    finding *f;
    if (strcmp(v.value, "off") == 0)
        f = emit(g, "GE3114", SEV_ERROR, &v.at, NULL,
             "GO111MODULE=off: go ignores go.mod and builds in GOPATH mode, so every module "
             "build fails ('cannot find package', 'go: modules disabled by GO111MODULE=off')");
    else if (strcmp(v.value, "on") == 0 || strcmp(v.value, "auto") == 0 || !*v.value)
        f = emit(g, "GE3114", SEV_WARNING, &v.at, NULL,
             "GO111MODULE=%s is set: modules are the only mode since Go 1.16 and the variable "
             "only matters for old GOPATH projects; remove it", v.value);
    else
        f = emit(g, "GE3114", SEV_ERROR, &v.at, NULL,
             "GO111MODULE=%s: go fails with 'unknown environment setting GO111MODULE=%s' "
             "(on, off or auto)", v.value, v.value);
    fix_remove_setting(g, f, &v.at, "GO111MODULE", FIX_SAFE);
}

/* ---- GE3115: cross-compile variables in an interactive shell -------------- */

static void rule_GE3115(goctx *g)
{
    if (!g->c->interactive)
        return;
    go_val os = go_get(g, "GOOS"), arch = go_get(g, "GOARCH");
    const char *tos = os.value && *os.value ? os.value : g->host_os;
    const char *tarch = arch.value && *arch.value ? arch.value : g->host_arch;
    bool foreign = strcmp(tos, g->host_os) != 0 || strcmp(tarch, g->host_arch) != 0;
    const char *gopath = go_get(g, "GOPATH").value;
    const char *bindir = gopath && gopath[0] == '/' ? "$GOPATH/bin" : "~/go/bin";
    const go_val *which[2] = {&os, &arch};
    const char *wname[2] = {"GOOS", "GOARCH"};
    for (int i = 0; i < 2; i++) {
        const go_val *v = which[i];
        if (!v->value || !v->from_env)
            continue;
        if (foreign)
            emit(g, "GE3115", SEV_WARNING, &v->at, NULL,
                 "%s=%s is exported in every interactive shell: go build, go install and go test "
                 "make %s/%s binaries, which fail here (%s/%s) with 'exec format error'; go install "
                 "puts them in %s/%s_%s; set it per command (%s=%s go build)",
                 wname[i], v->value, tos, tarch, g->host_os, g->host_arch, bindir, tos, tarch,
                 wname[i], v->value);
        else
            emit(g, "GE3115", SEV_INFO, &v->at, NULL,
                 "%s=%s is exported in every interactive shell; it matches this machine but "
                 "follows you to others via shared dotfiles; set it per command", wname[i],
                 v->value);
    }
    go_val cgo = go_get(g, "CGO_ENABLED");
    if (cgo.value && cgo.from_env) {
        if (strcmp(cgo.value, "0") == 0)
            emit(g, "GE3115", SEV_WARNING, &cgo.at, NULL,
                 "CGO_ENABLED=0 is exported in every interactive shell: every build drops cgo "
                 "(net and os/user switch to pure Go, go test -race fails with '-race requires "
                 "cgo'); set it per command");
        else if (strcmp(cgo.value, "1") != 0)
            emit(g, "GE3115", SEV_ERROR, &cgo.at, NULL,
                 "CGO_ENABLED=%s: go accepts only 0 or 1", cgo.value);
    }
    go_val amd = go_get(g, "GOAMD64");
    if (amd.value && amd.from_env) {
        if (!(strlen(amd.value) == 2 && amd.value[0] == 'v' && amd.value[1] >= '1' &&
              amd.value[1] <= '4'))
            emit(g, "GE3115", SEV_ERROR, &amd.at, NULL,
                 "GOAMD64=%s: go fails with 'invalid GOAMD64: must be v1, v2, v3, v4'", amd.value);
        else if (amd.value[1] > '1')
            emit(g, "GE3115", SEV_WARNING, &amd.at, NULL,
                 "GOAMD64=%s is exported in every interactive shell: the binaries it builds stop "
                 "on older CPUs with 'This program can only be run on processors supporting "
                 "x86-64-%s'; set it per command", amd.value, amd.value);
    }
    go_val arm = go_get(g, "GOARM");
    if (arm.value && arm.from_env)
        emit(g, "GE3115", strcmp(tarch, "arm") == 0 && foreign ? SEV_WARNING : SEV_INFO, &arm.at,
             NULL, "GOARM=%s is exported in every interactive shell%s", arm.value,
             strcmp(tarch, "arm") == 0 ? ": builds target 32-bit ARM"
                                        : " and does nothing unless GOARCH=arm; remove it");
}

/* ---- GE3116: GOFLAGS ------------------------------------------------------- */

bool go_flags_valid(const char *value, char *why, size_t whylen)
{
    static const char *const known[] = {
        "a", "asan", "asmflags", "bench", "benchmem", "benchtime", "buildmode", "buildvcs",
        "compiler", "count", "cover", "covermode", "coverpkg", "cpu", "e", "failfast", "gccgoflags",
        "gcflags", "insecure", "installsuffix", "json", "ldflags", "linkshared", "m", "mod",
        "modcacherw", "modfile", "msan", "n", "overlay", "p", "parallel", "pgo", "pkgdir", "race",
        "run", "short", "shuffle", "t", "tags", "timeout", "toolexec", "trimpath", "u", "v", "vet",
        "work", "x"};
    if (!value)
        return true;
    for (const char *s = value; *s;) {
        while (*s && isspace((unsigned char)*s))
            s++;
        if (!*s)
            break;
        size_t n = 0;
        while (s[n] && !isspace((unsigned char)s[n]))
            n++;
        char f[256];
        snprintf(f, sizeof(f), "%.*s", (int)(n < sizeof(f) ? n : sizeof(f) - 1), s);
        s += n;
        if (f[0] != '-') {
            snprintf(why, whylen, "\"%s\" is not a flag: go fails with 'parsing $GOFLAGS: "
                     "non-flag \"%s\"' (write -flag=value, one field per flag)", f, f);
            return false;
        }
        const char *name = f[1] == '-' ? f + 2 : f + 1;
        size_t nl = strcspn(name, "=");
        bool found = false;
        for (size_t i = 0; i < GE_ARRAY_LEN(known); i++)
            if (strlen(known[i]) == nl && strncmp(known[i], name, nl) == 0)
                found = true;
        if (!found) {
            snprintf(why, whylen, "%.*s is not a flag of any go command: go fails with 'unknown "
                     "flag'", (int)(nl + (size_t)(name - f)), f);
            return false;
        }
        if (nl == 3 && strncmp(name, "mod", 3) == 0) {
            const char *val = name[3] == '=' ? name + 4 : NULL;
            if (!val) {
                snprintf(why, whylen, "-mod needs its value in the same field (-mod=mod): a "
                         "separate value is a non-flag and go fails with 'parsing $GOFLAGS: "
                         "non-flag'");
                return false;
            }
            if (!(strcmp(val, "mod") == 0 || strcmp(val, "readonly") == 0 ||
                  strcmp(val, "vendor") == 0)) {
                snprintf(why, whylen, "%s: -mod takes =mod, =readonly or =vendor", f);
                return false;
            }
        }
    }
    return true;
}

static void rule_GE3116(goctx *g)
{
    go_val v = go_get(g, "GOFLAGS");
    char why[512];
    if (v.value && !go_flags_valid(v.value, why, sizeof(why)))
        emit(g, "GE3116", SEV_ERROR, &v.at, NULL, "GOFLAGS=%s: %s", v.value, why);
}

/* ---- GE3117: GOTOOLCHAIN --------------------------------------------------- */

static bool go_version_name(const char *s, size_t n)
{
    if (n < 5 || strncmp(s, "go1.", 4) != 0)
        return false;
    size_t i = 4, parts = 1, digits = 0;
    for (; i < n; i++) {
        if (isdigit((unsigned char)s[i])) {
            digits++;
        } else if (s[i] == '.' && digits && parts < 3) {
            parts++;
            digits = 0;
        } else {
            break;
        }
    }
    if (!digits)
        return false;
    if (i == n)
        return true;
    /* pre-releases: go1.22rc1, go1.21beta2 */
    const char *rest = s + i;
    size_t rl = n - i;
    size_t pl = rl >= 2 && strncmp(rest, "rc", 2) == 0 ? 2 : rl >= 4 && strncmp(rest, "beta", 4) == 0 ? 4 : 0;
    if (!pl || pl == rl)
        return false;
    for (size_t k = pl; k < rl; k++)
        if (!isdigit((unsigned char)rest[k]))
            return false;
    return true;
}

bool go_toolchain_valid(const char *value, char *why, size_t whylen)
{
    if (!value || !*value)
        return true;
    if (strcmp(value, "local") == 0 || strcmp(value, "auto") == 0 || strcmp(value, "path") == 0)
        return true;
    const char *plus = strchr(value, '+');
    size_t n = plus ? (size_t)(plus - value) : strlen(value);
    if (plus && strcmp(plus, "+auto") != 0 && strcmp(plus, "+path") != 0) {
        snprintf(why, whylen, "suffix \"%s\" is neither +auto nor +path", plus);
        return false;
    }
    if ((n == 5 && strncmp(value, "local", 5) == 0) || go_version_name(value, n))
        return true;
    if (n && isdigit((unsigned char)value[0]))
        snprintf(why, whylen, "\"%.*s\" lacks the go prefix (write go%.*s)", (int)n, value, (int)n, value);
    else
        snprintf(why, whylen, "\"%.*s\" is not local, auto, path or a toolchain name goX.Y[.Z] "
                 "(with an optional +auto or +path)", (int)n, value);
    return false;
}

static void rule_GE3117(goctx *g)
{
    go_val v = go_get(g, "GOTOOLCHAIN");
    char why[512];
    if (v.value && !go_toolchain_valid(v.value, why, sizeof(why)))
        emit(g, "GE3117", SEV_ERROR, &v.at, NULL,
             "GOTOOLCHAIN=%s: %s; go fails with 'invalid GOTOOLCHAIN'", v.value, why);
}

/* ---- GE3118: go env -w value overridden by the environment ---------------- */

static void rule_GE3118(goctx *g)
{
    for (size_t i = 0; i < g->env.n; i++) {
        const goenv_entry *e = &g->env.e[i];
        const env_var *v = var_get(g->c, e->name);
        if (!v || !v->value || !v->exported || v->opaque || is_goenv_loc(g, &v->at) ||
            !loc_file(&v->at))
            continue;
        if (strcmp(v->value, e->value) == 0)
            continue;
        finding *f = emit(g, "GE3118", SEV_WARNING, &v->at, NULL,
             "%s=%s exported here overrides %s=%s that 'go env -w' wrote to %s:%d; go env -w %s "
             "prints 'does not override conflicting OS environment variable'", e->name, v->value,
             e->name, e->value, display(g, g->env.path), e->line, e->name);
        fix_remove_setting(g, f, &v->at, e->name, FIX_DISPLAY);
    }
}

/* ---- GE3119: GODEBUG netdns ----------------------------------------------- */

bool go_netdns_valid(const char *godebug, char *why, size_t whylen)
{
    if (!godebug)
        return true;
    for (const char *s = godebug; s;) {
        size_t n = strcspn(s, ",");
        char kv[256];
        snprintf(kv, sizeof(kv), "%.*s", (int)(n < sizeof(kv) ? n : sizeof(kv) - 1), s);
        s = s[n] ? s + n + 1 : NULL;
        trim(kv);
        if (strncmp(kv, "netdns", 6) != 0 || (kv[6] != '=' && kv[6] != '\0'))
            continue;
        if (kv[6] != '=') {
            snprintf(why, whylen, "\"netdns\" without a value is ignored (netdns=go, cgo, 1, 2, "
                     "go+1 ...)");
            return false;
        }
        const char *val = kv + 7;
        char parts[2][64];
        const char *plus = strchr(val, '+');
        snprintf(parts[0], sizeof(parts[0]), "%.*s", (int)(plus ? plus - val : (long)strlen(val)), val);
        str_copy(parts[1], sizeof(parts[1]), plus ? plus + 1 : "");
        if (plus && strchr(plus + 1, '+')) {
            snprintf(why, whylen, "netdns=%s has more than one '+'", val);
            return false;
        }
        for (int k = 0; k < (plus ? 2 : 1); k++) {
            const char *p = parts[k];
            bool ok = strcmp(p, "go") == 0 || strcmp(p, "cgo") == 0 || strcmp(p, "1") == 0 ||
                      strcmp(p, "2") == 0;
            if (!ok) {
                snprintf(why, whylen, "netdns=%s: \"%s\" is not go, cgo, 1 or 2; Go ignores it "
                         "silently and keeps its default resolver choice", val, p);
                return false;
            }
        }
    }
    return true;
}

static void rule_GE3119(goctx *g)
{
    go_val v = go_get(g, "GODEBUG");
    char why[512];
    if (v.value && !go_netdns_valid(v.value, why, sizeof(why)))
        emit(g, "GE3119", SEV_WARNING, &v.at, NULL, "GODEBUG=%s: %s", v.value, why);
}

/* ---- the run -------------------------------------------------------------- */

void go_rules_run(const sim_result *sr, const root *r, finding_list *out)
{
    if (!sr || !out)
        return;
    goctx *g = xcalloc(1, sizeof(*g));
    g->sr = sr;
    g->r = r;
    g->out = out;
    g->first = out->n;
    g->a = arena_new();
    g->ninst = go_installs_find(r, sr->home, g->inst, GO_MAX_INSTALLS);
    host_platform(g);
    for (size_t i = 0; i < sr->ncontexts; i++) {
        g->c = &sr->contexts[i];
        goenv_load(g);
        rule_GE3101(g);
        rule_GOROOT(g);
        bool gopath_ok = rule_GOPATH(g);
        rule_GE3107(g);
        rule_GE3109(g, gopath_ok);
        rule_GOPROXY(g);
        rule_GE3113(g);
        rule_GE3114(g);
        rule_GE3115(g);
        rule_GE3116(g);
        rule_GE3117(g);
        rule_GE3118(g);
        rule_GE3119(g);
    }
    arena_free(g->a);
    free(g);
}

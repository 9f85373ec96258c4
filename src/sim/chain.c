/*
 * chain.c - which startup files each context reads, in which order and why
 * (bash, sh, zsh with Debian's /etc/zsh, ZDOTDIR, RCS/GLOBAL_RCS), the
 * environment before the first file (/etc/environment, login.defs, passwd,
 * or --inherit), the go env -w layer, and the result every caller sees.
 */
#include "sim/internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static const char *const context_names[SIM_CONTEXT_COUNT] = {
    "terminal", "login", "ssh-command", "script", "cron", "desktop",
};

const char *sim_context_name(sim_context_kind k)
{
    return (unsigned)k < SIM_CONTEXT_COUNT ? context_names[k] : "other";
}

bool sim_context_parse(const char *name, sim_context_kind *out)
{
    for (size_t i = 0; i < SIM_CONTEXT_COUNT; i++) {
        if (strcmp(name, context_names[i]) == 0) {
            *out = (sim_context_kind)i;
            return true;
        }
    }
    return false;
}

const char *env_op_name(env_op_kind k)
{
    static const char *const names[] = {"assign", "append", "prepend", "export", "unset", "source"};
    return (unsigned)k < GE_ARRAY_LEN(names) ? names[k] : "assign";
}

bool sim_loc_line_range(const sim_loc *loc, size_t *start, size_t *end)
{
    if (!loc || !loc->src || loc->line < 1 || (size_t)loc->line > loc->src->nlines)
        return false;
    size_t len;
    const char *s = source_line(loc->src, loc->line, &len);
    *start = (size_t)(s - loc->src->data);
    *end = *start + len;
    return true;
}

/* ---- passwd, login.defs, /etc/environment --------------------------------- */

typedef struct pw_entry {
    const char *name, *home, *shell;
    long uid;
    int line;
} pw_entry;

/* Find the passwd line for user (or, if user is NULL, for home; if both are
 * NULL, the first regular user: uid 1000-59999 with a login shell). */
static bool passwd_find(sim_runner *run, const char *user, const char *home, pw_entry *out)
{
    const sfile *f = sim_load_text(run, "/etc/passwd");
    if (!f->src) return false;
    for (size_t ln = 1; ln <= f->src->nlines; ln++) {
        size_t len;
        const char *s = source_line(f->src, (int)ln, &len);
        char *line = arena_strndup(run->a, s, len);
        char *fields[7];
        int nf = 0;
        char *p = line;
        while (nf < 7) {
            fields[nf++] = p;
            char *c = strchr(p, ':');
            if (!c) break;
            *c = '\0';
            p = c + 1;
        }
        if (nf < 7 || line[0] == '#') continue;
        long uid = strtol(fields[2], NULL, 10);
        bool match = user ? strcmp(fields[0], user) == 0
                   : home ? strcmp(fields[5], home) == 0
                          : uid >= 1000 && uid < 60000 && !strstr(fields[6], "nologin") &&
                                !strstr(fields[6], "/false");
        if (!match) continue;
        out->name = fields[0];
        out->uid = strtol(fields[2], NULL, 10);
        out->home = fields[5];
        out->shell = fields[6];
        out->line = (int)ln;
        return true;
    }
    return false;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t l = strlen(s);
    while (l && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\r')) s[--l] = '\0';
    return s;
}

static char *unquote(char *v)
{
    size_t l = strlen(v);
    if (l >= 2 && ((v[0] == '"' && v[l - 1] == '"') || (v[0] == '\'' && v[l - 1] == '\''))) {
        v[l - 1] = '\0';
        return v + 1;
    }
    return v;
}

/* pam_env's /etc/environment: KEY=VALUE per line, optional quotes, no expansion. */
static void file_layer_note(interp *I, const sfile *f, const char *reason);

static void layer_environment(interp *I)
{
    const sfile *f = sim_load_text(I->run, "/etc/environment");
    if (!f->src) return;
    bool any = false;
    for (size_t ln = 1; ln <= f->src->nlines; ln++) {
        size_t len;
        const char *s = source_line(f->src, (int)ln, &len);
        char *line = trim(arena_strndup(I->a, s, len));
        if (!*line || line[0] == '#') continue;
        if (str_starts_with(line, "export ")) line = trim(line + 7);
        char *eq = strchr(line, '=');
        if (!eq || eq == line) continue;
        *eq = '\0';
        char *name = trim(line);
        char *val = unquote(trim(eq + 1));
        sim_loc at = loc_of_line(f, (int)ln);
        state_layer_set(I, name, val, &at);
        any = true;
    }
    (void)any;
    file_layer_note(I, f, "pam_env: the system environment");
}

static void file_layer_note(interp *I, const sfile *f, const char *reason)
{
    sim_builder *b = I->out;
    sim_file_read *r = ARENA_PUSH(I->a, b->files, b->nfiles, b->capfiles);
    r->file = f->path;
    r->reason = reason;
    r->src = f->src;
}

/* login.defs ENV_PATH / ENV_SUPATH ("PATH=/usr/bin:/bin" or a bare list). */
static bool login_defs_path(interp *I, bool super, sim_loc *at, const char **value)
{
    const sfile *f = sim_load_text(I->run, "/etc/login.defs");
    if (!f->src) return false;
    const char *key = super ? "ENV_SUPATH" : "ENV_PATH";
    for (size_t ln = 1; ln <= f->src->nlines; ln++) {
        size_t len;
        const char *s = source_line(f->src, (int)ln, &len);
        char *line = trim(arena_strndup(I->a, s, len));
        size_t kl = strlen(key);
        if (strncmp(line, key, kl) != 0 || (line[kl] != ' ' && line[kl] != '\t')) continue;
        char *v = trim(line + kl);
        if (str_starts_with(v, "PATH=")) v += 5;
        *value = v;
        *at = loc_of_line(f, (int)ln);
        file_layer_note(I, f, "login(1): ENV_PATH");
        return true;
    }
    return false;
}

static void layer_passwd(interp *I)
{
    sim_runner *run = I->run;
    const sfile *f = sim_load_text(run, "/etc/passwd");
    pw_entry pw;
    sim_loc at;
    memset(&at, 0, sizeof(at));
    bool found = passwd_find(run, run->user, NULL, &pw);
    if (found) {
        at = loc_of_line(f, pw.line);
        file_layer_note(I, f, "login: HOME, USER, LOGNAME and SHELL of the user");
    }
    state_layer_set(I, "HOME", run->home, &at);
    state_layer_set(I, "USER", run->user, &at);
    state_layer_set(I, "LOGNAME", run->user, &at);
    const char *sh = found && *pw.shell ? pw.shell : NULL;
    if (!sh) {
        static const char *const paths[] = {"", "/bin/sh", "/bin/bash", "/bin/zsh"};
        sh = paths[run->res->shell < 4 ? run->res->shell : 0];
        if (!*sh) sh = "/bin/sh";
    }
    state_layer_set(I, "SHELL", sh, &at);
}

static const char *default_path(bool root_user)
{
    return root_user ? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
                     : "/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games";
}

static void layer_inherit(interp *I)
{
    char *const *env = I->run->opt->environ ? I->run->opt->environ : environ;
    sim_loc at;
    memset(&at, 0, sizeof(at));
    at.file = "(inherited environment)";
    for (size_t i = 0; env && env[i]; i++) {
        const char *eq = strchr(env[i], '=');
        if (!eq || eq == env[i]) continue;
        char *name = arena_strndup(I->a, env[i], (size_t)(eq - env[i]));
        state_layer_set(I, name, eq + 1, &at);
    }
}

/* The environment a context starts from. */
static void layers(interp *I)
{
    sim_runner *run = I->run;
    sim_loc none;
    memset(&none, 0, sizeof(none));
    if (I->kind == SIM_CRON) {
        state_layer_set(I, "PATH", "/usr/bin:/bin", &none);
        state_layer_set(I, "SHELL", "/bin/sh", &none);
        state_layer_set(I, "HOME", run->home, &none);
        state_layer_set(I, "LOGNAME", run->user, &none);
        return;
    }
    if (run->opt->inherit) {
        layer_inherit(I);
        return;
    }
    if (I->kind == SIM_SSH_COMMAND) {
        state_layer_set(I, "PATH", "/usr/local/bin:/usr/bin:/bin:/usr/games", &none);
    } else {
        sim_loc at;
        const char *v;
        if (login_defs_path(I, run->uid == 0, &at, &v))
            state_layer_set(I, "PATH", v, &at);
        else
            state_layer_set(I, "PATH", default_path(run->uid == 0), &none);
    }
    layer_environment(I);
    layer_passwd(I);
}

/* Variables a shell sets itself before reading anything. */
static void shell_builtins(interp *I)
{
    sim_loc none;
    memset(&none, 0, sizeof(none));
    if (I->dialect == SHELL_BASH || (I->dialect == SHELL_SH && I->run->sh_is_bash)) {
        state_set_plain(I, "BASH_VERSION", "5.2", false, ENV_OP_ASSIGN, &none, true);
        state_set_plain(I, "BASH", I->dialect == SHELL_SH ? "/bin/sh" : "/bin/bash", false,
                        ENV_OP_ASSIGN, &none, true);
        if (I->run->uid >= 0) {
            char buf[32];
            snprintf(buf, sizeof(buf), "%ld", I->run->uid);
            state_set_plain(I, "UID", buf, false, ENV_OP_ASSIGN, &none, true);
            state_set_plain(I, "EUID", buf, false, ENV_OP_ASSIGN, &none, true);
        }
    }
    if (I->dialect == SHELL_ZSH)
        state_set_plain(I, "ZSH_VERSION", "5.9", false, ENV_OP_ASSIGN, &none, true);
    if (I->interactive) {
        const char *ps1 = I->dialect == SHELL_ZSH ? "%m%# " : I->dialect == SHELL_BASH ? "\\s-\\v\\$ " : "$ ";
        state_set_plain(I, "PS1", ps1, false, ENV_OP_ASSIGN, &none, true);
    }
}

/* ---- reading startup files ------------------------------------------------ */

static bool readable(sim_runner *run, const char *path)
{
    return root_is_file(run->root, path);
}

static void read_startup(interp *I, const char *path, const char *reason)
{
    const sfile *f = sim_load(I->run, path, I->dialect);
    if (!f->src) {
        if (f->err != SOURCE_ENOENT) {
            sim_loc at;
            memset(&at, 0, sizeof(at));
            at.file = f->path;
            sim_event_add(I, SIM_EV_UNREADABLE, &at, NULL, f->path, NULL, f->why);
        }
        return;
    }
    I->depth = 0;
    interp_file(I, f, reason, NULL, NULL, 0);
    if (I->st->flow == FLOW_EXIT)
        I->st->flow = FLOW_NEXT; /* `exit` in a startup file ends the shell; keep what we have */
}

static const char *var_value(interp *I, const char *name)
{
    const sval *v = state_get(I->st, name);
    return v && v->value ? v->value : NULL;
}

static const char *user_path(interp *I, const char *name)
{
    const char *home = var_value(I, "HOME");
    if (!home) home = I->run->home;
    return arena_printf(I->a, "%s/%s", strcmp(home, "/") == 0 ? "" : home, name);
}

/* First meaningful line of a file (not blank, not a comment). */
static sim_loc first_line(interp *I, const char *path)
{
    const sfile *f = sim_load(I->run, path, I->dialect);
    for (size_t ln = 1; f->src && ln <= f->src->nlines; ln++) {
        size_t len;
        const char *s = source_line(f->src, (int)ln, &len);
        size_t i = 0;
        while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
        if (i < len && s[i] != '#')
            return loc_of_line(f, (int)ln);
    }
    return loc_of_line(f, 1);
}

static void note_shadow(interp *I, const char *shadowed, const sim_loc *by, const char *why)
{
    if (!readable(I->run, shadowed)) return;
    sim_loc at = first_line(I, shadowed);
    sim_event_add(I, SIM_EV_SHADOWED, &at, by, shadowed, NULL, why);
}

static void chain_bash(interp *I)
{
    sim_runner *run = I->run;
    if (I->login) {
        read_startup(I, "/etc/profile", I->dialect == SHELL_SH ? "sh login shell: the system profile"
                                                              : "bash login shell: the system profile");
        if (I->dialect == SHELL_SH) {
            read_startup(I, user_path(I, ".profile"), "sh login shell: the user's profile");
        } else {
            static const char *const names[] = {".bash_profile", ".bash_login", ".profile"};
            const char *chosen = NULL;
            for (size_t i = 0; i < GE_ARRAY_LEN(names); i++) {
                const char *p = user_path(I, names[i]);
                if (!chosen && readable(run, p)) {
                    chosen = p;
                    read_startup(I, p, arena_printf(I->a, "bash login shell: the first of ~/.bash_profile, ~/.bash_login, ~/.profile (%s)", names[i]));
                } else if (chosen) {
                    sim_loc by = first_line(I, chosen);
                    by.line = 0;
                    by.start = by.end = 0;
                    note_shadow(I, p, &by, arena_printf(I->a, "bash login shells read only %s", chosen));
                }
            }
        }
        if (I->interactive && I->dialect == SHELL_SH) {
            const char *env = var_value(I, "ENV");
            if (env) read_startup(I, env, "interactive sh: $ENV");
        }
        return;
    }
    if (I->interactive) {
        if (I->dialect == SHELL_SH) {
            const char *env = var_value(I, "ENV");
            if (env) read_startup(I, env, "interactive sh: $ENV");
            return;
        }
        if (readable(run, "/etc/bash.bashrc"))
            read_startup(I, "/etc/bash.bashrc", "bash interactive non-login shell: the system bashrc (Debian build)");
        read_startup(I, user_path(I, ".bashrc"), "bash interactive non-login shell: ~/.bashrc");
        return;
    }
    if (I->kind == SIM_SSH_COMMAND && I->dialect == SHELL_BASH) {
        if (readable(run, "/etc/bash.bashrc"))
            read_startup(I, "/etc/bash.bashrc", "bash run by sshd: the system bashrc (Debian build)");
        read_startup(I, user_path(I, ".bashrc"), "bash run by sshd: ~/.bashrc");
        return;
    }
    if (I->kind == SIM_SCRIPT && I->dialect == SHELL_BASH) {
        const char *be = var_value(I, "BASH_ENV");
        if (be) read_startup(I, be, "non-interactive bash: $BASH_ENV");
    }
}

static const char *zdotdir(interp *I)
{
    const char *z = var_value(I, "ZDOTDIR");
    if (z && *z) return z;
    const char *home = var_value(I, "HOME");
    return home ? home : I->run->home;
}

static void read_zsh_user(interp *I, const char *name, const char *why)
{
    if (I->st->no_rcs) return;
    const char *dir = zdotdir(I);
    const char *path = arena_printf(I->a, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, name);
    const char *home_file = user_path(I, name);
    if (strcmp(path, home_file) != 0) {
        const sval *z = state_get(I->st, "ZDOTDIR");
        sim_loc by = z ? z->at : loc_of_line(sim_load(I->run, path, I->dialect), 0);
        note_shadow(I, home_file, &by, arena_printf(I->a, "ZDOTDIR is %s, so zsh reads %s instead", dir, path));
    }
    read_startup(I, path, arena_printf(I->a, "zsh %s: $ZDOTDIR/%s", why, name));
}

static void read_zsh_global(interp *I, const char *name, const char *why)
{
    if (I->st->no_rcs || I->st->no_global_rcs) return;
    const char *path = arena_printf(I->a, I->run->debian_zsh ? "/etc/zsh/%s" : "/etc/%s", name);
    read_startup(I, path, arena_printf(I->a, "zsh %s: %s", why, path));
}

static void chain_zsh(interp *I)
{
    /* /etc/zshenv is always read, even with NO_RCS */
    const char *env = I->run->debian_zsh ? "/etc/zsh/zshenv" : "/etc/zshenv";
    read_startup(I, env, arena_printf(I->a, "zsh, every shell: %s", env));
    read_zsh_user(I, ".zshenv", "every shell");
    if (I->login) {
        read_zsh_global(I, "zprofile", "login shell");
        read_zsh_user(I, ".zprofile", "login shell");
    }
    if (I->interactive) {
        read_zsh_global(I, "zshrc", "interactive shell");
        read_zsh_user(I, ".zshrc", "interactive shell");
    }
    if (I->login) {
        read_zsh_global(I, "zlogin", "login shell");
        read_zsh_user(I, ".zlogin", "login shell");
    }
}

/* ---- results ---------------------------------------------------------------- */

static int cmp_env_var(const void *x, const void *y)
{
    return strcmp(((const env_var *)x)->name, ((const env_var *)y)->name);
}

static void materialize(sim_runner *run, sim_context *c, const sstate *st)
{
    arena *a = run->a;
    env_var *vars = arena_alloc(a, (st->nvars ? st->nvars : 1) * sizeof(*vars));
    size_t n = 0;
    for (size_t i = 0; i < st->nvars; i++) {
        const sval *v = st->vars[i];
        env_var *e = &vars[n++];
        e->name = v->name;
        e->value = v->value;
        e->exported = v->exported;
        e->certain = v->certain;
        e->opaque = v->opaque;
        e->path_like = sim_is_path_like(v->name);
        if (e->path_like) {
            e->entries = v->entries;
            e->nentries = v->entries ? v->nentries : 0;
        }
        env_op *h = arena_alloc(a, (v->nhist ? v->nhist : 1) * sizeof(*h));
        size_t k = v->nhist;
        for (const hist *p = v->hist; p && k > 0; p = p->prev)
            h[--k] = p->op;
        e->history = h + k;
        e->nhistory = v->nhist - k;
        e->at = v->at;
    }
    qsort(vars, n, sizeof(*vars), cmp_env_var);
    c->vars = vars;
    c->nvars = n;
}

static void approx_summary(sim_context *c, const sim_builder *b)
{
    c->napprox = 0;
    for (size_t i = 0; i < c->nvars; i++)
        if (!c->vars[i].certain && (c->vars[i].value || c->vars[i].nhistory))
            c->napprox++;
    if (!c->napprox && !c->env_approx) return;
    if (b->have_approx) {
        c->approx_at = b->approx_at;
        c->approx_why = b->approx_why;
    } else if (b->have_undecided) {
        c->approx_at = b->undecided_at;
        c->approx_why = "a test that cannot be decided";
    } else {
        /* only values taken from $(...) or other opaque text */
        for (size_t i = 0; i < c->nvars; i++)
            if (!c->vars[i].certain && c->vars[i].at.file) {
                c->approx_at = c->vars[i].at;
                c->approx_why = c->vars[i].opaque ? "output of a command" : "an uncertain value";
                break;
            }
    }
}

/* go env -w: lowest layer for Go variables; an environment variable wins. */
static void layer_goenv(interp *I, sim_context *c)
{
    const char *path = NULL;
    const sval *g = state_get(I->st, "GOENV");
    if (g && g->value && g->exported) {
        if (strcmp(g->value, "off") == 0) return;
        path = g->value;
    } else {
        const sval *x = state_get(I->st, "XDG_CONFIG_HOME");
        if (x && x->value && x->exported && x->value[0] == '/')
            path = arena_printf(I->a, "%s/go/env", x->value);
        else
            path = user_path(I, ".config/go/env");
    }
    if (!readable(I->run, path)) return;
    const sfile *f = sim_load(I->run, path, I->dialect);
    if (!f->src) return;
    file_layer_note(I, f, "go env -w: defaults the go command uses when the variable is not set");
    (void)c;
    for (size_t ln = 1; ln <= f->src->nlines; ln++) {
        size_t len;
        const char *s = source_line(f->src, (int)ln, &len);
        char *line = trim(arena_strndup(I->a, s, len));
        char *eq = strchr(line, '=');
        if (!*line || line[0] == '#' || !eq || eq == line) continue;
        *eq = '\0';
        const char *name = line;
        const char *val = eq + 1;
        sim_loc at = loc_of_line(f, (int)ln);
        const sval *old = state_get(I->st, name);
        /* prepend the op: it is the lowest layer */
        sval *v = arena_alloc(I->a, sizeof(*v));
        hist *h = arena_alloc(I->a, sizeof(*h));
        h->op.op = ENV_OP_SOURCE;
        h->op.at = at;
        h->op.value = arena_strdup(I->a, val);
        h->op.certain = true;
        if (old && old->value && old->exported) {
            /* the environment wins: rebuild the history with the go env op first */
            *v = *old;
            size_t n = old->nhist;
            const hist **chain = arena_alloc(I->a, (n ? n : 1) * sizeof(*chain));
            size_t k = 0;
            for (const hist *p = old->hist; p && k < n; p = p->prev) chain[k++] = p;
            const hist *prev = h;
            for (size_t i = k; i > 0; i--) {
                hist *cp = arena_alloc(I->a, sizeof(*cp));
                *cp = *chain[i - 1];
                cp->prev = prev;
                prev = cp;
            }
            v->hist = prev;
            v->nhist = n + 1;
        } else {
            memset(v, 0, sizeof(*v));
            v->name = arena_strdup(I->a, name);
            v->value = h->op.value;
            v->certain = true;
            v->exported = false; /* not in the environment: only the go command sees it */
            v->at = at;
            if (old) {
                h->prev = old->hist;
                v->nhist = old->nhist + 1;
            } else {
                v->nhist = 1;
            }
            v->hist = h;
            if (sim_is_path_like(name)) {
                size_t ne;
                v->entries = entries_split(I->a, v->value, &at, &ne);
                v->nentries = ne;
            }
        }
        state_put(I->a, I->st, v);
    }
}

static bool file_was_read(const sim_builder *b, const char *path)
{
    for (size_t i = 0; i < b->nfiles; i++)
        if (strcmp(b->files[i].file, path) == 0)
            return true;
    return false;
}

static void simulate(sim_runner *run, sim_context_kind kind)
{
    sim_result *r = run->res;
    sim_builder b;
    memset(&b, 0, sizeof(b));
    interp I;
    memset(&I, 0, sizeof(I));
    I.run = run;
    I.a = run->a;
    I.out = &b;
    I.st = state_new(run->a);
    I.kind = kind;
    I.dialect = r->shell;
    switch (kind) {
    case SIM_TERMINAL: I.interactive = true; break;
    case SIM_LOGIN: I.interactive = true; I.login = true; break;
    case SIM_DESKTOP: I.login = true; I.dialect = SHELL_SH; break;
    default: break;
    }
    layers(&I);
    if (kind != SIM_CRON) {
        shell_builtins(&I);
        if (I.dialect == SHELL_ZSH)
            chain_zsh(&I);
        else
            chain_bash(&I);
    }
    layer_goenv(&I, NULL);

    sim_context *c = sim_context_add(r, sim_context_name(kind), kind);
    c->shell = I.dialect;
    c->login = I.login;
    c->interactive = I.interactive;
    /* shadowed files that something else did read after all are not dead */
    size_t k = 0;
    for (size_t i = 0; i < b.nevents; i++) {
        if (b.events[i].kind == SIM_EV_SHADOWED && file_was_read(&b, b.events[i].file))
            continue;
        b.events[k++] = b.events[i];
    }
    b.nevents = k;
    c->files = b.files;
    c->nfiles = b.nfiles;
    c->events = b.events;
    c->nevents = b.nevents;
    materialize(run, c, I.st);
    c->env_approx = I.st->approx;
    approx_summary(c, &b);
}

static bool is_bash_link(sim_runner *run)
{
    char buf[256];
    ssize_t n = root_readlink(run->root, "/bin/sh", buf, sizeof(buf) - 1);
    if (n <= 0) return false;
    buf[n] = '\0';
    return strstr(buf, "bash") != NULL;
}

static const char *getenv_from(const sim_options *opt, const char *name)
{
    char *const *env = opt->environ ? opt->environ : environ;
    size_t l = strlen(name);
    for (size_t i = 0; env && env[i]; i++)
        if (strncmp(env[i], name, l) == 0 && env[i][l] == '=')
            return env[i] + l + 1;
    return NULL;
}

sim_result *sim_run(const sim_options *opt, const char *only_context)
{
    sim_context_kind only = SIM_CONTEXT_COUNT;
    if (only_context && !sim_context_parse(only_context, &only))
        return NULL;
    sim_result *r = xcalloc(1, sizeof(*r));
    r->a = arena_new();
    sim_runner run;
    memset(&run, 0, sizeof(run));
    run.opt = opt;
    static const root slash = {.dir = (char *)""};
    run.root = opt->root ? opt->root : &slash;
    run.res = r;
    run.a = r->a;
    run.uid = -1;

    /* who: --user, the passwd owner of --home, $USER */
    pw_entry pw;
    bool have_pw = false;
    const char *user = opt->user;
    if (user)
        have_pw = passwd_find(&run, user, NULL, &pw);
    else if (opt->home)
        have_pw = passwd_find(&run, NULL, opt->home, &pw);
    if (!user && !have_pw && !opt->home && run.root->dir && *run.root->dir)
        have_pw = passwd_find(&run, NULL, NULL, &pw); /* a fake machine: its regular user */
    if (!user && !have_pw) {
        user = getenv_from(opt, "USER");
        if (user) have_pw = passwd_find(&run, user, NULL, &pw);
    }
    if (have_pw) {
        user = pw.name;
        run.uid = pw.uid;
    }
    if (!user) user = "user";
    const char *home = opt->home;
    if (!home) home = have_pw ? pw.home : run.uid == 0 ? "/root" : arena_printf(r->a, "/home/%s", user);
    size_t hl = strlen(home);
    char *h = arena_strdup(r->a, home);
    while (hl > 1 && h[hl - 1] == '/') h[--hl] = '\0';
    run.home = h;
    run.user = arena_strdup(r->a, user);
    r->home = run.home;
    r->user = run.user;
    r->uid = run.uid;

    shell_dialect sh = opt->shell;
    if (sh == SHELL_UNKNOWN && have_pw && *pw.shell) {
        const char *b = strrchr(pw.shell, '/') ? strrchr(pw.shell, '/') + 1 : pw.shell;
        if (!shell_dialect_parse(b, &sh)) sh = SHELL_UNKNOWN;
    }
    if (sh == SHELL_UNKNOWN) {
        const char *es = getenv_from(opt, "SHELL");
        if (es) {
            const char *b = strrchr(es, '/') ? strrchr(es, '/') + 1 : es;
            if (!shell_dialect_parse(b, &sh)) sh = SHELL_UNKNOWN;
        }
    }
    if (sh == SHELL_UNKNOWN) sh = SHELL_BASH;
    r->shell = sh;
    run.debian_zsh = root_is_dir(run.root, "/etc/zsh");
    run.sh_is_bash = is_bash_link(&run);

    run.pf = prefetch_new(run.root, opt->jobs, opt->on_idle, opt->on_idle_ud);
    for (int k = 0; k < SIM_CONTEXT_COUNT; k++)
        if (only == SIM_CONTEXT_COUNT || only == (sim_context_kind)k)
            simulate(&run, (sim_context_kind)k);
    prefetch_free(run.pf);
    free(run.kids);

    /* trees stay alive with the result (sim_file_read.tree) */
    r->trees = xcalloc(run.ncache ? 3 * run.ncache : 1, sizeof(*r->trees));
    for (size_t i = 0; i < run.ncache; i++) {
        if (run.cache[i]->tree)
            r->trees[r->ntrees++] = run.cache[i]->tree;
        if (run.cache[i]->other && run.cache[i]->other->tree)
            r->trees[r->ntrees++] = run.cache[i]->other->tree;
        if (run.cache[i]->bash_twin)
            r->trees[r->ntrees++] = run.cache[i]->bash_twin;
    }
    return r;
}

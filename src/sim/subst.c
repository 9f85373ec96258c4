/*
 * subst.c - command substitutions whose output is known without running
 * anything: `go env NAME` (from the simulated environment, the go env file
 * and Go's own defaults), `command -v`/`which` on the simulated PATH,
 * dirname, basename, readlink -f/realpath (resolved inside the root),
 * getconf PATH, uname, id -u/-un and whoami. Everything else stays opaque.
 */
#include "sim/internal.h"

#include <string.h>

/* ---- PATH lookups ---------------------------------------------------------- */

const char *path_lookup(interp *I, const char *name, bool *certain)
{
    *certain = true;
    if (!*name) return NULL;
    if (strchr(name, '/')) {
        const char *p = name[0] == '/' ? name : NULL;
        if (!p) {
            *certain = false; /* relative to a working directory we do not track */
            return NULL;
        }
        return root_is_executable(I->run->root, p) ? p : NULL;
    }
    const sval *path = state_get(I->st, "PATH");
    if (!path || !path->value) {
        *certain = !I->st->approx && (!path || path->certain);
        return NULL;
    }
    if (!path->certain || path->opaque) *certain = false;
    for (size_t i = 0; i < path->nentries; i++) {
        const char *dir = path->entries[i].value;
        if (dir[0] != '/') {
            *certain = false; /* empty or relative entry: the working directory */
            continue;
        }
        char *c = arena_printf(I->a, "%s/%s", dir, name);
        if (root_is_executable(I->run->root, c)) return c;
    }
    return NULL;
}

/* ---- go env ------------------------------------------------------------------ */

/* A variable of the process environment go would see: exported and set. */
static const char *env_value(interp *I, const char *name, bool *certain)
{
    const sval *v = state_get(I->st, name);
    if ((v && !v->certain) || (!v && I->st->approx)) *certain = false;
    if (v && v->opaque) *certain = false;
    return v && v->value && v->exported ? v->value : NULL;
}

static const char *goenv_file(interp *I, bool *certain)
{
    const char *g = env_value(I, "GOENV", certain);
    if (g && *g) return strcmp(g, "off") == 0 ? NULL : g;
    const char *x = env_value(I, "XDG_CONFIG_HOME", certain);
    if (x && x[0] == '/') return arena_printf(I->a, "%s/go/env", x);
    const char *h = env_value(I, "HOME", certain);
    return h && *h ? arena_printf(I->a, "%s/.config/go/env", h) : NULL;
}

/* NAME from the go env file (written by go env -w), or NULL. */
static const char *goenv_file_value(interp *I, const char *name, bool *certain)
{
    const char *path = goenv_file(I, certain);
    if (!path) return NULL;
    const sfile *f = sim_load_text(I->run, path);
    if (!f->src) {
        if (f->err != SOURCE_ENOENT) *certain = false;
        return NULL;
    }
    size_t nl = strlen(name);
    const char *found = NULL;
    for (size_t ln = 1; ln <= f->src->nlines; ln++) {
        size_t len;
        const char *s = source_line(f->src, (int)ln, &len);
        while (len && (*s == ' ' || *s == '\t')) { s++; len--; }
        if (len > nl && strncmp(s, name, nl) == 0 && s[nl] == '=') {
            size_t vl = len - nl - 1;
            while (vl && (s[nl + vl] == '\r' || s[nl + vl] == ' ')) vl--;
            found = arena_strndup(I->a, s + nl + 1, vl);
        }
    }
    return found;
}

/* GOROOT as the go command works it out: two levels above the resolved
 * executable. */
static const char *goroot_of(interp *I, const char *gobin, bool *certain)
{
    char res[ROOT_PATH_MAX];
    root_resolution info;
    if (root_resolve(I->run->root, gobin, 0, 40, res, sizeof(res), &info) != ROOT_RESOLVED) {
        *certain = false;
        return NULL;
    }
    char *d = arena_strdup(I->a, res);
    for (int up = 0; up < 2; up++) {
        char *sl = strrchr(d, '/');
        if (!sl || sl == d) {
            *certain = false;
            return NULL;
        }
        *sl = '\0';
    }
    return d;
}

/* The value `go env NAME` prints, or NULL when golint-env cannot tell. */
static const char *go_env_one(interp *I, const char *name, const char *gobin, bool *certain)
{
    const char *v = env_value(I, name, certain);
    if (v && *v) return v;
    if (strcmp(name, "GOENV") == 0) {
        const char *p = goenv_file(I, certain);
        return p ? p : "off";
    }
    const char *f = goenv_file_value(I, name, certain);
    if (f) return f;
    if (strcmp(name, "GOROOT") == 0) return goroot_of(I, gobin, certain);
    if (strcmp(name, "GOPATH") == 0 || strcmp(name, "GOMODCACHE") == 0) {
        const char *gp = strcmp(name, "GOPATH") == 0 ? NULL : go_env_one(I, "GOPATH", gobin, certain);
        if (gp) {
            const char *colon = strchr(gp, ':');
            size_t l = colon ? (size_t)(colon - gp) : strlen(gp);
            return l ? arena_printf(I->a, "%.*s/pkg/mod", (int)l, gp) : "";
        }
        const char *h = env_value(I, "HOME", certain);
        return h && *h ? arena_printf(I->a, "%s/go", h) : "";
    }
    if (strcmp(name, "GOCACHE") == 0) {
        const char *x = env_value(I, "XDG_CACHE_HOME", certain);
        if (x && x[0] == '/') return arena_printf(I->a, "%s/go-build", x);
        const char *h = env_value(I, "HOME", certain);
        return h && *h ? arena_printf(I->a, "%s/.cache/go-build", h) : NULL;
    }
    if (strcmp(name, "GONOPROXY") == 0 || strcmp(name, "GONOSUMDB") == 0)
        return go_env_one(I, "GOPRIVATE", gobin, certain);
    static const char *const defaults[][2] = {
        {"GOPROXY", "https://proxy.golang.org,direct"}, {"GOSUMDB", "sum.golang.org"},
        {"GOBIN", ""}, {"GOPRIVATE", ""}, {"GOFLAGS", ""}, {"GO111MODULE", ""},
        {"GOINSECURE", ""}, {"GOOS", "linux"}, {"GOHOSTOS", "linux"}, {"GOEXE", ""},
    };
    for (size_t i = 0; i < GE_ARRAY_LEN(defaults); i++)
        if (strcmp(name, defaults[i][0]) == 0) return defaults[i][1];
    return NULL; /* GOARCH, CGO_ENABLED, GOTOOLCHAIN...: depend on the binary */
}

static bool go_env(interp *I, char **argv, size_t argc, const char **out, bool *certain)
{
    if (argc < 3) return false;
    for (size_t i = 2; i < argc; i++)
        if (argv[i][0] == '-' || !argv[i][0]) return false; /* -json, -w, -u */
    bool found = true;
    const char *gobin = path_lookup(I, argv[0], &found);
    if (!gobin) {
        if (!found) return false;
        *out = ""; /* command not found: nothing on stdout */
        return true;
    }
    strbuf sb = STRBUF_INIT;
    bool ok = true;
    for (size_t i = 2; i < argc && ok; i++) {
        const char *v = go_env_one(I, argv[i], gobin, certain);
        if (!v) ok = false;
        else {
            if (i > 2) strbuf_addc(&sb, '\n');
            strbuf_adds(&sb, v);
        }
    }
    if (ok) *out = arena_strdup(I->a, sb.data ? sb.data : "");
    strbuf_release(&sb);
    return ok;
}

/* ---- paths --------------------------------------------------------------------- */

static const char *path_dirname(interp *I, const char *p)
{
    char *d = arena_strdup(I->a, p);
    size_t l = strlen(d);
    while (l > 1 && d[l - 1] == '/') d[--l] = '\0';
    char *sl = strrchr(d, '/');
    if (!sl) return ".";
    while (sl > d && sl[-1] == '/') sl--;
    if (sl == d) return "/";
    *sl = '\0';
    return d;
}

static const char *path_basename(interp *I, const char *p, const char *suffix)
{
    char *d = arena_strdup(I->a, p);
    size_t l = strlen(d);
    while (l > 1 && d[l - 1] == '/') d[--l] = '\0';
    char *sl = strrchr(d, '/');
    char *b = sl && sl[1] ? sl + 1 : d;
    size_t bl = strlen(b), sl2 = suffix ? strlen(suffix) : 0;
    if (sl2 && bl > sl2 && strcmp(b + bl - sl2, suffix) == 0) b[bl - sl2] = '\0';
    return b;
}

static const char *shell_builtin_names[] = {
    "cd", "echo", "export", "source", ".", "test", "[", "printf", "read", "set", "unset",
    "alias", "type", "command", "builtin", "eval", "exec", "true", "false", ":", "return",
    "exit", "shift", "local", "declare", "typeset", "hash", "pwd", "umask", "ulimit",
};

static bool command_v(interp *I, char **argv, size_t argc, bool which, const char **out,
                      bool *certain)
{
    size_t i = 1;
    if (!which) {
        if (argc < 3 || strcmp(argv[1], "-v") != 0) return false;
        i = 2;
    }
    if (i + 1 != argc || argv[i][0] == '-') return false;
    const char *name = argv[i];
    if (!which) {
        if (sim_func_defined(I, name)) {
            *out = name;
            return true;
        }
        for (size_t k = 0; k < GE_ARRAY_LEN(shell_builtin_names); k++)
            if (strcmp(name, shell_builtin_names[k]) == 0) {
                *out = name;
                return true;
            }
    }
    bool sure = true;
    const char *p = path_lookup(I, name, &sure);
    if (!p && !sure) return false;
    if (!sure) *certain = false;
    *out = p ? p : "";
    return true;
}

/* ---- the table ----------------------------------------------------------------- */

bool subst_answer(interp *I, char **argv, size_t argc, const char **out, bool *certain)
{
    if (argc == 0) return false;
    const char *cmd = argv[0];
    const char *base = strrchr(cmd, '/') ? strrchr(cmd, '/') + 1 : cmd;
    *certain = true;
    if (strcmp(base, "go") == 0 && argc >= 2 && strcmp(argv[1], "env") == 0)
        return go_env(I, argv, argc, out, certain);
    if (strcmp(cmd, "command") == 0) return command_v(I, argv, argc, false, out, certain);
    if (strcmp(base, "which") == 0) return command_v(I, argv, argc, true, out, certain);
    if (strcmp(base, "dirname") == 0 && argc == 2 && argv[1][0] != '-') {
        *out = path_dirname(I, argv[1]);
        return true;
    }
    if (strcmp(base, "basename") == 0 && (argc == 2 || argc == 3) && argv[1][0] != '-') {
        *out = path_basename(I, argv[1], argc == 3 ? argv[2] : NULL);
        return true;
    }
    if ((strcmp(base, "realpath") == 0 && argc == 2) ||
        (strcmp(base, "readlink") == 0 && argc == 3 && strcmp(argv[1], "-f") == 0)) {
        const char *p = argv[argc - 1];
        if (p[0] != '/') return false;
        char res[ROOT_PATH_MAX];
        root_resolution info;
        if (root_resolve(I->run->root, p, 0, 40, res, sizeof(res), &info) != ROOT_RESOLVED)
            return false;
        *out = arena_strdup(I->a, res);
        return true;
    }
    if (strcmp(base, "getconf") == 0 && argc == 2 && strcmp(argv[1], "PATH") == 0) {
        *out = "/bin:/usr/bin"; /* glibc's _CS_PATH */
        return true;
    }
    if (strcmp(base, "uname") == 0 && (argc == 1 || (argc == 2 && strcmp(argv[1], "-s") == 0))) {
        *out = "Linux"; /* golint-env analyses Linux machines only */
        return true;
    }
    if (strcmp(base, "id") == 0 && argc == 2) {
        const char *o = argv[1];
        if ((strcmp(o, "-u") == 0 || strcmp(o, "-ru") == 0 || strcmp(o, "-ur") == 0) &&
            I->run->uid >= 0) {
            *out = arena_printf(I->a, "%ld", I->run->uid);
            return true;
        }
        if (strcmp(o, "-un") == 0 || strcmp(o, "-nu") == 0) {
            *out = I->run->user;
            return true;
        }
        return false;
    }
    if (strcmp(base, "whoami") == 0 && argc == 1) {
        *out = I->run->user;
        return true;
    }
    return false;
}

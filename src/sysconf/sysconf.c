/*
 * sysconf.c - reads the system configuration of a root the way systemd,
 * systemd-sysctl/procps and pam_limits find it: search paths with their
 * precedence, drop-ins merged by file name, masking by /dev/null links,
 * symlinks resolved inside the root. Builds unit views, the sysctl table
 * with provenance, and runs the system rules (sysconf_check).
 */
#define GOLINT_SYSCONF_NO_SHORT_NAME 1
#include "sysconf/sysconf.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the table of cross-file rules --------------------------------------- */

const sysconf_rule sysconf_rules[] = {
    {"GE4012", sysrule_GE4012}, /* also GE4052 */
    {"GE4021", sysrule_GE4021},
    {"GE4033", sysrule_GE4033},
    {"GE4053", sysrule_GE4053},
    {"GE4054", sysrule_GE4054},
    {"GE4055", sysrule_GE4055},
    {"GE5002", sysrule_GE5002},
    {"GE5003", sysrule_GE5003},
    {"GE5010", sysrule_GE5010}, /* GE5010-GE5012 on merged views */
};
const size_t sysconf_rules_count = GE_ARRAY_LEN(sysconf_rules);

/* Where systemd looks for system units, highest precedence first. */
static const char *const unit_dirs[] = {
    "/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system",
    "/usr/lib/systemd/system", "/lib/systemd/system",
};
static const char *const sysctl_dirs[] = {
    "/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d",
};
static const char *const system_conf_dirs[] = {
    "/etc/systemd/system.conf.d", "/run/systemd/system.conf.d", "/usr/local/lib/systemd/system.conf.d",
    "/usr/lib/systemd/system.conf.d", "/lib/systemd/system.conf.d",
};

static const char *const unit_suffixes[] = {
    ".service", ".socket", ".timer", ".target", ".mount", ".automount", ".path",
    ".slice", ".scope", ".swap", ".device",
};

#define SC_MAX_UNITS 4096
#define SC_MAX_DIR_ENTRIES 4096
#define SC_MAX_LINKS 7 /* links followed; one more is a loop */

typedef struct sc_priv {
    const char *unit_dirs[GE_ARRAY_LEN(unit_dirs)];
    size_t nunit_dirs;
    size_t cap_units;
    size_t cap_sources;
} sc_priv;

/* ---- paths inside the root ----------------------------------------------- */

typedef enum link_state { LINK_NONE, LINK_OK, LINK_MASKED, LINK_DANGLING } link_state;

/* Follow symlinks of a machine path inside the root. *out is the final path
 * (the path itself when no link is on the way). A link to /dev/null masks. */
static link_state sc_resolve(system_config *sc, const char *machine, const char **out)
{
    char res[ROOT_PATH_MAX];
    root_resolution info;
    root_resolve_status st =
        root_resolve(&sc->r, machine, ROOT_RESOLVE_LEXICAL, SC_MAX_LINKS, res, sizeof(res), &info);
    *out = machine;
    if (info.hops == 0)
        return LINK_NONE;
    *out = arena_strdup(sc->a, res);
    if (strcmp(res, "/dev/null") == 0)
        return LINK_MASKED;
    return st == ROOT_RESOLVED ? LINK_OK : LINK_DANGLING;
}

/* The path with its links resolved (see sc_resolve), NULL if they lead nowhere. */
static const char *sc_real(system_config *sc, const char *machine)
{
    const char *real;
    link_state ls = sc_resolve(sc, machine, &real);
    return ls == LINK_NONE || ls == LINK_OK ? real : NULL;
}

static void sc_problem(system_config *sc, const char *file, const char *reason)
{
    sysconf_file_problem *p = arena_grow(sc->a, sc->problems, sc->nproblems, sc->nproblems + 1,
                                         sizeof(*p));
    p[sc->nproblems].file = arena_strdup(sc->a, file);
    p[sc->nproblems].reason = arena_strdup(sc->a, reason);
    sc->problems = p;
    sc->nproblems++;
}

static source_file *sc_find_source(system_config *sc, const char *machine)
{
    return source_set_find(&sc->sources, machine);
}

/* Load a file once (display path = machine path as the user wrote it). */
static source_file *sc_load(system_config *sc, const char *machine, file_kind kind)
{
    source_file *src = sc_find_source(sc, machine);
    if (src)
        return src;
    const char *real;
    link_state ls = sc_resolve(sc, machine, &real);
    if (ls == LINK_MASKED || ls == LINK_DANGLING)
        return NULL;
    char *host = root_path(&sc->r, real);
    source_error se;
    char why[400];
    src = source_load(host, machine, &se, why, sizeof(why));
    free(host);
    if (!src) {
        if (se != SOURCE_ENOENT)
            sc_problem(sc, machine, why);
        return NULL;
    }
    sc_priv *pv = sc->priv;
    source_set_add(&sc->sources, src);
    if (sc->nsource_kinds == pv->cap_sources) {
        pv->cap_sources = pv->cap_sources ? pv->cap_sources * 2 : 32;
        sc->source_kinds = arena_grow(sc->a, sc->source_kinds, sc->nsource_kinds, pv->cap_sources,
                                      sizeof(file_kind));
    }
    sc->source_kinds[sc->nsource_kinds++] = kind;
    return src;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Names in a machine directory (sorted), with an optional suffix filter. */
static size_t sc_list_dir(system_config *sc, const char *machine_dir, const char *suffix, char ***out)
{
    *out = NULL;
    const char *real;
    sc_resolve(sc, machine_dir, &real);
    char *host = root_path(&sc->r, real);
    DIR *d = opendir(host);
    free(host);
    if (!d)
        return 0;
    size_t n = 0, cap = 0;
    char **names = NULL;
    struct dirent *de;
    while ((de = readdir(d)) && n < SC_MAX_DIR_ENTRIES) {
        if (de->d_name[0] == '.')
            continue;
        if (suffix && !str_ends_with(de->d_name, suffix))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = arena_grow(sc->a, names, n, cap, sizeof(char *));
        }
        names[n++] = arena_strdup(sc->a, de->d_name);
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof(char *), str_cmp);
    *out = names;
    return n;
}

/* conf.d semantics: basenames from several dirs, the first dir wins, sorted
 * by basename. Returns machine paths (masked entries dropped). */
static size_t sc_conf_files(system_config *sc, const char *const *dirs, size_t ndirs, const char *suffix,
                            const char ***out)
{
    const char **paths = NULL, **bases = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < ndirs; i++) {
        char **names;
        size_t k = sc_list_dir(sc, dirs[i], suffix, &names);
        for (size_t j = 0; j < k; j++) {
            bool seen = false;
            for (size_t m = 0; m < n && !seen; m++)
                seen = strcmp(bases[m], names[j]) == 0;
            if (seen)
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                paths = arena_grow(sc->a, paths, n, cap, sizeof(char *));
                bases = arena_grow(sc->a, bases, n, cap, sizeof(char *));
            }
            bases[n] = names[j];
            paths[n] = arena_printf(sc->a, "%s/%s", dirs[i], names[j]);
            n++;
        }
    }
    /* sort by basename, keeping the winning path */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(bases[j - 1], bases[j]) > 0; j--) {
            const char *t = bases[j];
            bases[j] = bases[j - 1];
            bases[j - 1] = t;
            t = paths[j];
            paths[j] = paths[j - 1];
            paths[j - 1] = t;
        }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        const char *real;
        if (sc_resolve(sc, paths[i], &real) == LINK_MASKED)
            continue;
        paths[o++] = paths[i];
    }
    *out = paths;
    return o;
}

/* Unit search dirs that are distinct on this root (/lib may be /usr/lib). */
static void sc_unit_dirs(system_config *sc)
{
    sc_priv *pv = sc->priv;
    const char *reals[GE_ARRAY_LEN(unit_dirs)];
    for (size_t i = 0; i < GE_ARRAY_LEN(unit_dirs); i++) {
        reals[i] = sc_real(sc, unit_dirs[i]);
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++)
            dup = reals[i] && reals[j] && strcmp(reals[i], reals[j]) == 0;
        if (!dup)
            pv->unit_dirs[pv->nunit_dirs++] = unit_dirs[i];
    }
}

/* ---- unit views ---------------------------------------------------------- */

static bool same_setting(const unit_setting *a, const unit_setting *b)
{
    return strcmp(a->key, b->key) == 0 && strcmp(a->section, b->section) == 0;
}

unit_view *unit_view_build(arena *a, const char *name, const unit_file *const *files, size_t n)
{
    unit_view *u = arena_alloc(a, sizeof(*u));
    u->name = arena_strdup(a, name);
    if (n > 0) {
        u->fragment_file = files[0];
        u->fragment = files[0] ? files[0]->src->path : NULL;
    }
    if (n > 1) {
        const unit_file **d = arena_alloc(a, (n - 1) * sizeof(*d));
        for (size_t i = 1; i < n; i++)
            d[i - 1] = files[i];
        u->dropins = d;
        u->ndropins = n - 1;
    }
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        if (files[i])
            total += files[i]->nsettings;
    const unit_setting **eff = arena_alloc(a, (total ? total : 1) * sizeof(*eff));
    size_t ne = 0;
    for (size_t i = 0; i < n; i++) {
        if (!files[i])
            continue;
        for (size_t j = 0; j < files[i]->nsettings; j++) {
            const unit_setting *s = &files[i]->settings[j];
            const unit_key_info *k = unit_key_lookup(s->section, s->key);
            bool list = k && k->list;
            bool reset = s->value[0] == '\0';
            if (!list || reset) {
                size_t o = 0;
                for (size_t m = 0; m < ne; m++)
                    if (!same_setting(eff[m], s))
                        eff[o++] = eff[m];
                ne = o;
            }
            if (list && reset)
                continue;
            eff[ne++] = s;
        }
    }
    u->settings = eff;
    u->nsettings = ne;
    return u;
}

const unit_setting *unit_view_get(const unit_view *u, const char *section, const char *key)
{
    for (size_t i = u->nsettings; i-- > 0;)
        if (strcmp(u->settings[i]->key, key) == 0 && strcmp(u->settings[i]->section, section) == 0)
            return u->settings[i];
    return NULL;
}

/* ---- environments -------------------------------------------------------- */

typedef struct env_acc {
    unit_env_var *v;
    size_t n, cap;
} env_acc;

static void env_set(arena *a, env_acc *acc, const unit_env_var *var)
{
    for (size_t i = 0; i < acc->n; i++)
        if (strcmp(acc->v[i].name, var->name) == 0) {
            /* later wins; keep the order of first appearance */
            acc->v[i] = *var;
            return;
        }
    if (acc->n == acc->cap) {
        acc->cap = acc->cap ? acc->cap * 2 : 16;
        acc->v = arena_grow(a, acc->v, acc->n, acc->cap, sizeof(*acc->v));
    }
    acc->v[acc->n++] = *var;
}

#define ENV_WORDS_MAX 256

static void env_from_setting(arena *a, env_acc *acc, const unit_setting *s)
{
    unit_env_assign *w = arena_alloc(a, ENV_WORDS_MAX * sizeof(*w));
    bool bad;
    size_t n = unit_env_split(a, s->value, w, ENV_WORDS_MAX, &bad);
    if (n > ENV_WORDS_MAX)
        n = ENV_WORDS_MAX;
    for (size_t i = 0; i < n; i++) {
        if (!w[i].name || (bad && i == n - 1))
            continue;
        unit_env_var v = {
            .name = w[i].name, .value = w[i].value, .file = s->src->path, .line = s->line,
            .setting = s, .src = s->src,
            .start = s->continued ? s->value_start : s->value_start + w[i].start,
            .end = s->continued ? s->value_end : s->value_start + w[i].end,
        };
        env_set(a, acc, &v);
    }
}

size_t unit_view_env(arena *a, const unit_view *u, const unit_env_var **out)
{
    env_acc acc = {0};
    for (size_t i = 0; i < u->nsettings; i++) {
        const unit_key_info *k = unit_key_lookup(u->settings[i]->section, u->settings[i]->key);
        if (k && k->type == UV_ENV)
            env_from_setting(a, &acc, u->settings[i]);
    }
    *out = acc.v;
    return acc.n;
}

size_t envfile_vars(arena *a, const source_file *src, const unit_env_var **out)
{
    env_acc acc = {0};
    const char *d = src->data;
    size_t pos = 0;
    int line = 0;
    while (pos < src->len) {
        size_t s = pos, e = pos;
        while (e < src->len && d[e] != '\n')
            e++;
        pos = e < src->len ? e + 1 : e;
        line++;
        while (s < e && (d[s] == ' ' || d[s] == '\t'))
            s++;
        size_t te = e;
        while (te > s && (d[te - 1] == ' ' || d[te - 1] == '\t' || d[te - 1] == '\r'))
            te--;
        if (s == te || d[s] == '#' || d[s] == ';')
            continue;
        if (te - s > 7 && memcmp(d + s, "export ", 7) == 0)
            s += 7;
        const char *eq = memchr(d + s, '=', te - s);
        if (!eq)
            continue;
        size_t ke = (size_t)(eq - d);
        while (ke > s && (d[ke - 1] == ' ' || d[ke - 1] == '\t'))
            ke--;
        size_t vs = (size_t)(eq - d) + 1;
        while (vs < te && (d[vs] == ' ' || d[vs] == '\t'))
            vs++;
        size_t ve = te;
        if (ve - vs >= 2 && (d[vs] == '"' || d[vs] == '\'') && d[ve - 1] == d[vs]) {
            vs++;
            ve--;
        }
        unit_env_var v = {
            .name = arena_strndup(a, d + s, ke - s), .value = arena_strndup(a, d + vs, ve - vs),
            .file = src->path, .line = line, .from_envfile = true, .src = src, .start = s, .end = te,
        };
        env_set(a, &acc, &v);
    }
    *out = acc.v;
    return acc.n;
}

size_t sysconf_unit_env(system_config *sc, const unit_view *u, const unit_env_var **out)
{
    env_acc acc = {0};
    /* DefaultEnvironment= of system.conf, then Environment=, then EnvironmentFile= */
    for (size_t f = 0; f < sc->nsystem_conf; f++) {
        const unit_file *uf = sc->system_conf[f];
        for (size_t i = 0; i < uf->nsettings; i++)
            if (strcmp(uf->settings[i].key, "DefaultEnvironment") == 0 &&
                strcmp(uf->settings[i].section, "Manager") == 0)
                env_from_setting(sc->a, &acc, &uf->settings[i]);
    }
    for (size_t i = 0; i < u->nsettings; i++) {
        const unit_key_info *k = unit_key_lookup(u->settings[i]->section, u->settings[i]->key);
        if (k && k->type == UV_ENV)
            env_from_setting(sc->a, &acc, u->settings[i]);
    }
    for (size_t i = 0; i < u->nsettings; i++) {
        const unit_key_info *k = unit_key_lookup(u->settings[i]->section, u->settings[i]->key);
        if (!k || k->type != UV_ENVFILE)
            continue;
        const char *p = u->settings[i]->value;
        if (*p == '-')
            p++;
        if (*p != '/' || strchr(p, '%'))
            continue;
        source_file *src = sc_load(sc, p, KIND_UNKNOWN);
        if (!src)
            continue;
        const unit_env_var *fv;
        size_t n = envfile_vars(sc->a, src, &fv);
        for (size_t j = 0; j < n; j++) {
            unit_env_var v = fv[j];
            v.setting = u->settings[i];
            env_set(sc->a, &acc, &v);
        }
    }
    *out = acc.v;
    return acc.n;
}

/* ---- loading units ------------------------------------------------------- */

static const char *unit_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot ? dot + 1 : "";
}

static bool unit_name_ok(const char *name)
{
    for (size_t i = 0; i < GE_ARRAY_LEN(unit_suffixes); i++)
        if (str_ends_with(name, unit_suffixes[i]) && strlen(name) > strlen(unit_suffixes[i]))
            return true;
    return false;
}

static const unit_file *sc_parse_unit(system_config *sc, const char *machine, file_kind kind)
{
    source_file *src = sc_load(sc, machine, kind);
    if (!src)
        return NULL;
    return unit_parse(sc->a, src);
}

/* The drop-in folder names for a unit, most specific first. */
static size_t dropin_dir_names(system_config *sc, const char *name, const char **out, size_t max)
{
    size_t n = 0;
    out[n++] = arena_printf(sc->a, "%s.d", name);
    const char *at = strchr(name, '@');
    const char *type = unit_type(name);
    if (at && at[1] != '.' && n < max)
        out[n++] = arena_printf(sc->a, "%.*s@.%s.d", (int)(at - name), name, type);
    /* foo-bar-baz.service: foo-bar-.service.d, foo-.service.d */
    size_t stem = strlen(name) - strlen(type) - 1;
    for (size_t i = stem; i-- > 0 && n < max - 1;)
        if (name[i] == '-' && i > 0)
            out[n++] = arena_printf(sc->a, "%.*s-.%s.d", (int)i, name, type);
    if (n < max)
        out[n++] = arena_printf(sc->a, "%s.d", type);
    return n;
}

const unit_view *sysconf_unit(const system_config *sc, const char *name)
{
    for (size_t i = 0; i < sc->nunits; i++)
        if (strcmp(sc->units[i]->name, name) == 0)
            return sc->units[i];
    return NULL;
}

const unit_view *sysconf_unit_load(system_config *sc, const char *name)
{
    const unit_view *have = sysconf_unit(sc, name);
    if (have)
        return have;
    if (!unit_name_ok(name) || strchr(name, '/') || sc->nunits >= SC_MAX_UNITS)
        return NULL;
    sc_priv *pv = sc->priv;
    const unit_file *files[64];
    size_t nf = 0;
    bool masked = false;
    const char *fragment = NULL;
    /* the fragment: the name, else its template */
    const char *at = strchr(name, '@');
    const char *cands[2] = {name, NULL};
    if (at && at[1] != '.')
        cands[1] = arena_printf(sc->a, "%.*s@.%s", (int)(at - name), name, unit_type(name));
    for (size_t c = 0; c < 2 && cands[c] && !fragment && !masked; c++) {
        for (size_t i = 0; i < pv->nunit_dirs; i++) {
            const char *p = arena_printf(sc->a, "%s/%s", pv->unit_dirs[i], cands[c]);
            const char *real;
            link_state ls = sc_resolve(sc, p, &real);
            if (ls == LINK_MASKED) {
                masked = true;
                fragment = p;
                break;
            }
            if (ls == LINK_DANGLING || !root_is_file(&sc->r, real))
                continue;
            fragment = p;
            break;
        }
    }
    files[nf++] = fragment && !masked ? sc_parse_unit(sc, fragment, KIND_UNIT) : NULL;
    if (files[0] && files[0]->src->len == 0)
        masked = true;
    /* drop-ins: by basename across every dir and drop-in folder name */
    const char *dnames[16];
    size_t nd = dropin_dir_names(sc, name, dnames, GE_ARRAY_LEN(dnames));
    const char **dirs = arena_alloc(sc->a, nd * pv->nunit_dirs * sizeof(char *));
    size_t ndirs = 0;
    for (size_t k = 0; k < nd; k++)
        for (size_t i = 0; i < pv->nunit_dirs; i++)
            dirs[ndirs++] = arena_printf(sc->a, "%s/%s", pv->unit_dirs[i], dnames[k]);
    const char **paths;
    size_t np = sc_conf_files(sc, dirs, ndirs, ".conf", &paths);
    /* type-wide drop-ins (service.d) alone do not make a unit exist */
    const char *typewide = dnames[nd - 1];
    bool own_dropin = false;
    for (size_t i = 0; i < np && nf < GE_ARRAY_LEN(files); i++) {
        const unit_file *uf = sc_parse_unit(sc, paths[i], KIND_UNIT);
        if (!uf)
            continue;
        files[nf++] = uf;
        const char *slash = strrchr(paths[i], '/');
        size_t tl = strlen(typewide);
        if (!((size_t)(slash - paths[i]) > tl && strncmp(slash - tl, typewide, tl) == 0 && slash[-tl - 1] == '/'))
            own_dropin = true;
    }
    if (!fragment && !own_dropin)
        return NULL;
    unit_view *u = unit_view_build(sc->a, name, files, nf);
    u->fragment = fragment;
    u->masked = masked;
    if (sc->nunits == pv->cap_units) {
        pv->cap_units = pv->cap_units ? pv->cap_units * 2 : 32;
        sc->units = arena_grow(sc->a, sc->units, sc->nunits, pv->cap_units, sizeof(unit_view *));
    }
    /* keep sorted by name */
    size_t pos = sc->nunits;
    while (pos > 0 && strcmp(sc->units[pos - 1]->name, name) > 0)
        pos--;
    memmove(sc->units + pos + 1, sc->units + pos, (sc->nunits - pos) * sizeof(unit_view *));
    sc->units[pos] = u;
    sc->nunits++;
    return u;
}

/* Units named in /etc/systemd/system: files, drop-in folders, *.wants links. */
static void sc_load_etc_units(system_config *sc)
{
    char **names;
    size_t n = sc_list_dir(sc, "/etc/systemd/system", NULL, &names);
    for (size_t i = 0; i < n; i++) {
        const char *nm = names[i];
        if (unit_name_ok(nm)) {
            sysconf_unit_load(sc, nm);
            continue;
        }
        size_t l = strlen(nm);
        if (l > 2 && str_ends_with(nm, ".d")) {
            char *base = arena_strndup(sc->a, nm, l - 2);
            if (unit_name_ok(base))
                sysconf_unit_load(sc, base);
            continue;
        }
        if (str_ends_with(nm, ".wants") || str_ends_with(nm, ".requires")) {
            char **sub;
            size_t k = sc_list_dir(sc, arena_printf(sc->a, "/etc/systemd/system/%s", nm), NULL, &sub);
            for (size_t j = 0; j < k; j++)
                if (unit_name_ok(sub[j]))
                    sysconf_unit_load(sc, sub[j]);
        }
    }
}

/* ---- sysctl -------------------------------------------------------------- */

static void sysctl_apply(system_config *sc, const sysctl_file *sf, size_t *cap)
{
    for (size_t i = 0; i < sf->nentries; i++) {
        const sysctl_entry *e = &sf->entries[i];
        if (!e->value)
            continue; /* "-key": excludes the key from globs, sets nothing */
        sysconf_origin here = {.file = sf->src->path, .line = e->line, .entry = e};
        sysctl_setting *s = NULL;
        for (size_t k = 0; k < sc->nsysctls; k++)
            if (strcmp(sc->sysctls[k].key, e->key) == 0)
                s = &sc->sysctls[k];
        if (s) {
            s->overridden = arena_grow(sc->a, s->overridden, s->noverridden, s->noverridden + 1,
                                       sizeof(sysconf_origin));
            s->overridden[s->noverridden++] = s->where;
        } else {
            if (sc->nsysctls == *cap) {
                *cap = *cap ? *cap * 2 : 64;
                sc->sysctls = arena_grow(sc->a, sc->sysctls, sc->nsysctls, *cap, sizeof(sysctl_setting));
            }
            s = &sc->sysctls[sc->nsysctls++];
            memset(s, 0, sizeof(*s));
            s->key = e->key;
        }
        s->value = e->value;
        s->ignore_failure = e->ignore_failure;
        s->where = here;
    }
}

static int sysctl_setting_cmp(const void *a, const void *b)
{
    return strcmp(((const sysctl_setting *)a)->key, ((const sysctl_setting *)b)->key);
}

static void sc_load_sysctl(system_config *sc)
{
    const char **paths;
    size_t n = sc_conf_files(sc, sysctl_dirs, GE_ARRAY_LEN(sysctl_dirs), ".conf", &paths);
    const sysctl_file **files = arena_alloc(sc->a, (n + 1) * sizeof(*files));
    size_t nf = 0, cap = 0;
    bool read_sysctl_conf = false;
    const char *etc_real = sc_real(sc, "/etc/sysctl.conf");
    for (size_t i = 0; i < n; i++) {
        source_file *src = sc_load(sc, paths[i], KIND_SYSCTL);
        if (!src)
            continue;
        const char *real = sc_real(sc, paths[i]);
        if (real && etc_real && strcmp(real, etc_real) == 0)
            read_sysctl_conf = true; /* Debian: 99-sysctl.conf -> ../sysctl.conf */
        files[nf++] = sysctl_parse(sc->a, src);
    }
    /* procps' sysctl --system reads /etc/sysctl.conf last */
    if (!read_sysctl_conf) {
        source_file *src = sc_load(sc, "/etc/sysctl.conf", KIND_SYSCTL);
        if (src)
            files[nf++] = sysctl_parse(sc->a, src);
    }
    for (size_t i = 0; i < nf; i++)
        sysctl_apply(sc, files[i], &cap);
    if (sc->nsysctls > 1)
        qsort(sc->sysctls, sc->nsysctls, sizeof(sysctl_setting), sysctl_setting_cmp);
    sc->sysctl_files = files;
    sc->nsysctl_files = nf;
}

const sysctl_setting *sysconf_sysctl(const system_config *sc, const char *key)
{
    size_t lo = 0, hi = sc->nsysctls;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(sc->sysctls[mid].key, key);
        if (c == 0)
            return &sc->sysctls[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static bool parse_u64_text(const char *s, uint64_t *out)
{
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s < '0' || *s > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    while (*end == ' ' || *end == '\t' || *end == '\n')
        end++;
    if (*end || errno)
        return false;
    *out = v;
    return true;
}

bool sysconf_sysctl_u64(const system_config *sc, const char *key, uint64_t *out, sysconf_origin *where)
{
    const sysctl_setting *s = sysconf_sysctl(sc, key);
    if (s && parse_u64_text(s->value, out)) {
        if (where)
            *where = s->where;
        return true;
    }
    char path[256] = "/proc/sys/";
    size_t o = strlen(path);
    for (const char *k = key; *k && o + 1 < sizeof(path); k++)
        path[o++] = *k == '.' ? '/' : *k;
    path[o] = '\0';
    char *host = root_path(&sc->r, path);
    FILE *f = fopen_regular(host, NULL);
    free(host);
    if (!f)
        return false;
    char buf[64] = "";
    bool ok = fgets(buf, sizeof(buf), f) && parse_u64_text(buf, out);
    fclose(f);
    if (ok && where) {
        where->file = arena_strdup(sc->a, path);
        where->line = 0;
        where->entry = NULL;
    }
    return ok;
}

/* ---- the rest ------------------------------------------------------------ */

static void sc_load_system_conf(system_config *sc)
{
    const unit_file **files = NULL;
    size_t n = 0;
    const char *main_conf = NULL;
    static const char *const mains[] = {"/etc/systemd/system.conf", "/usr/lib/systemd/system.conf",
                                        "/lib/systemd/system.conf"};
    for (size_t i = 0; i < GE_ARRAY_LEN(mains) && !main_conf; i++)
        if (root_is_file(&sc->r, mains[i]))
            main_conf = mains[i];
    const char **paths;
    size_t np = sc_conf_files(sc, system_conf_dirs, GE_ARRAY_LEN(system_conf_dirs), ".conf", &paths);
    files = arena_alloc(sc->a, (np + 1) * sizeof(*files));
    if (main_conf) {
        const unit_file *uf = sc_parse_unit(sc, main_conf, KIND_SYSTEMD_CONF);
        if (uf)
            files[n++] = uf;
    }
    for (size_t i = 0; i < np; i++) {
        const unit_file *uf = sc_parse_unit(sc, paths[i], KIND_SYSTEMD_CONF);
        if (uf)
            files[n++] = uf;
    }
    sc->system_conf = files;
    sc->nsystem_conf = n;
}

static void sc_load_limits(system_config *sc)
{
    char **names;
    size_t n = sc_list_dir(sc, "/etc/security/limits.d", ".conf", &names);
    const limits_file **files = arena_alloc(sc->a, (n + 1) * sizeof(*files));
    size_t nf = 0;
    source_file *src = sc_load(sc, "/etc/security/limits.conf", KIND_LIMITS);
    if (src)
        files[nf++] = limits_parse(sc->a, src);
    for (size_t i = 0; i < n; i++) {
        src = sc_load(sc, arena_printf(sc->a, "/etc/security/limits.d/%s", names[i]), KIND_LIMITS);
        if (src)
            files[nf++] = limits_parse(sc->a, src);
    }
    sc->limits = files;
    sc->nlimits = nf;
}

static void sc_load_cgroups(system_config *sc)
{
    char **names;
    size_t n = sc_list_dir(sc, "/etc/cgconfig.d", ".conf", &names);
    const cgconfig_file **files = arena_alloc(sc->a, (n + 1) * sizeof(*files));
    size_t nf = 0;
    source_file *src = sc_load(sc, "/etc/cgconfig.conf", KIND_CGCONFIG);
    if (src)
        files[nf++] = cgconfig_parse(sc->a, src);
    for (size_t i = 0; i < n; i++) {
        src = sc_load(sc, arena_printf(sc->a, "/etc/cgconfig.d/%s", names[i]), KIND_CGCONFIG);
        if (src)
            files[nf++] = cgconfig_parse(sc->a, src);
    }
    sc->cgconfig = files;
    sc->ncgconfig = nf;
    src = sc_load(sc, "/etc/cgrules.conf", KIND_CGCONFIG);
    sc->cgrules = src ? cgrules_parse(sc->a, src) : NULL;
}

system_config *sysconf_load(const root *r, const sysconf_options *opt)
{
    arena *a = arena_new();
    system_config *sc = arena_alloc(a, sizeof(*sc));
    sc->a = a;
    sc->r = *r;
    sc->priv = arena_alloc(a, sizeof(sc_priv));
    sc_unit_dirs(sc);
    sc_load_system_conf(sc);
    sc_load_etc_units(sc);
    if (opt && opt->extra_units)
        for (const char *const *u = opt->extra_units; *u; u++)
            sysconf_unit_load(sc, *u);
    sc_load_limits(sc);
    sc_load_sysctl(sc);
    sc_load_cgroups(sc);
    source_file *env = sc_load(sc, "/etc/environment", KIND_UNKNOWN);
    if (env) {
        sc->environment = env;
        const unit_env_var *v;
        sc->nenvironment_vars = envfile_vars(a, env, &v);
        sc->environment_vars = v;
    }
    return sc;
}

void sysconf_free(system_config *sc)
{
    if (!sc)
        return;
    source_set_release(&sc->sources);
    arena_free(sc->a);
}

void sysconf_take_sources(system_config *sc, source_set *dst)
{
    for (size_t i = 0; i < sc->sources.n; i++)
        source_set_add(dst, sc->sources.items[i]);
    free(sc->sources.items);
    memset(&sc->sources, 0, sizeof(sc->sources));
}

void sysconf_check(system_config *sc, const golint_config *cfg, finding_list *out)
{
    size_t nsrc = sc->sources.n;
    /* per-file rules, as `check` would run them */
    for (size_t i = 0; i < nsrc && i < sc->nsource_kinds; i++) {
        if (sc->source_kinds[i] == KIND_UNKNOWN)
            continue;
        check_options o = {.kind = sc->source_kinds[i], .cfg = cfg};
        check_source(sc->sources.items[i], &o, out);
    }
    /* cross-file rules, filtered by the directives of every file */
    finding_list local, scratch;
    findings_init(&local);
    findings_init(&scratch);
    sysconf_rule_ctx ctx = {.sc = sc, .out = &local};
    for (size_t i = 0; i < sysconf_rules_count; i++)
        sysconf_rules[i].run(&ctx);
    nsrc = sc->sources.n; /* rules may have read environment files */
    directive_set *sets = xcalloc(nsrc ? nsrc : 1, sizeof(*sets));
    for (size_t i = 0; i < nsrc; i++)
        directives_collect_lines(&sets[i], sc->sources.items[i], &scratch, registry_global());
    findings_filter(&local, sets, nsrc, cfg);
    for (size_t i = 0; i < nsrc; i++)
        directives_release(&sets[i]);
    free(sets);
    findings_append_copy(out, &local);
    findings_release(&local);
    findings_release(&scratch);
}

/* ---- explain ------------------------------------------------------------- */

int sysconf_explain_unit(const root *r, const char *name, FILE *out, char *why, size_t whylen)
{
    sysconf_options opt = {0};
    const char *extra[] = {name, NULL};
    opt.extra_units = extra;
    system_config *sc = sysconf_load(r, &opt);
    const unit_view *u = sysconf_unit(sc, name);
    if (!u) {
        snprintf(why, whylen, "unit %s: no unit file or drop-in under %s", name,
                 r->dir && *r->dir ? r->dir : "/");
        sysconf_free(sc);
        return 2;
    }
    if (u->masked)
        fprintf(out, "# %s is masked (%s -> /dev/null)\n\n", u->name, u->fragment);
    const unit_file *files[65];
    size_t nf = 0;
    if (u->fragment_file)
        files[nf++] = u->fragment_file;
    for (size_t i = 0; i < u->ndropins && nf < GE_ARRAY_LEN(files); i++)
        files[nf++] = u->dropins[i];
    for (size_t i = 0; i < nf; i++) {
        const source_file *src = files[i]->src;
        fprintf(out, "%s# %s\n", i ? "\n" : "", src->path);
        fwrite(src->data, 1, src->len, out);
        if (src->len && src->data[src->len - 1] != '\n')
            fputc('\n', out);
    }
    fprintf(out, "\n# effective settings of %s (last assignment wins; lists accumulate)\n", u->name);
    const char *section = NULL;
    for (size_t i = 0; i < u->nsettings; i++) {
        const unit_setting *s = u->settings[i];
        if (!section || strcmp(section, s->section) != 0) {
            /* group by section in first-seen order */
            bool printed = false;
            for (size_t k = 0; k < i && !printed; k++)
                printed = strcmp(u->settings[k]->section, s->section) == 0;
            if (printed)
                continue;
            section = s->section;
            fprintf(out, "[%s]\n", section);
            for (size_t k = i; k < u->nsettings; k++) {
                const unit_setting *t = u->settings[k];
                if (strcmp(t->section, section) == 0)
                    fprintf(out, "%s=%s    # %s:%d\n", t->key, t->value, t->src->path, t->line);
            }
        }
    }
    const unit_env_var *env;
    size_t ne = sysconf_unit_env(sc, u, &env);
    if (ne) {
        fprintf(out, "\n# environment of the service\n");
        for (size_t i = 0; i < ne; i++)
            fprintf(out, "%s=%s    # %s:%d\n", env[i].name, env[i].value, env[i].file, env[i].line);
    }
    sysconf_free(sc);
    return 0;
}

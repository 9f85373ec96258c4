/*
 * cmd_diff_env.c - `golint-env diff-env A B`: compare two environment
 * snapshots (env -0, env, or golint-env JSON; "-" is stdin) and say which
 * variables were added, removed or changed, and, for PATH-like lists, which
 * entries were added, removed or moved. Exit 1 when they differ.
 */
#include "cli/cli.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ':'-separated lists compared entry by entry. */
static const char *const path_lists[] = {
    "CDPATH", "FPATH", "GOPATH", "INFOPATH", "LD_LIBRARY_PATH", "MANPATH", "PATH",
    "PKG_CONFIG_PATH", "PYTHONPATH", "XDG_CONFIG_DIRS", "XDG_DATA_DIRS",
};

/* Set by the shell or the terminal itself, not by startup files: a real
 * `env -0` always differs from a simulated one there. */
static const char *const shell_owned[] = {
    "OLDPWD", "PWD", "SHLVL", "_", "COLUMNS", "LINES", "TERM",
};

static bool in_table(const char *const *t, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i], name) == 0)
            return true;
    return false;
}

/* Whole input, also from pipes (`diff-env <(env -0) snap`), bounded. */
static char *read_input(const char *path, size_t *len, char *why, size_t whylen)
{
    int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, whylen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(why, whylen, "%s: is a directory", path);
        close(fd);
        return NULL;
    }
    strbuf sb = STRBUF_INIT;
    char buf[65536];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(why, whylen, "%s: %s", path, strerror(errno));
            close(fd);
            strbuf_release(&sb);
            return NULL;
        }
        if (n == 0)
            break;
        if (sb.len + (size_t)n > SOURCE_MAX_BYTES) {
            snprintf(why, whylen, "%s: larger than %u MiB, not an environment snapshot", path,
                     SOURCE_MAX_BYTES / (1024u * 1024u));
            close(fd);
            strbuf_release(&sb);
            return NULL;
        }
        strbuf_add(&sb, buf, (size_t)n);
    }
    close(fd);
    *len = sb.len;
    return strbuf_detach(&sb);
}

/* ---- PATH-like lists: entries keyed by (text, occurrence) ---------------- */

typedef struct list_entry {
    const char *text;
    size_t occ;     /* 0 for the first time the text appears in its list */
    size_t pos;     /* 1-based position in its list */
    long other;     /* index of the same entry in the other list, -1 if none */
} list_entry;

typedef struct entry_list {
    list_entry *e;
    size_t n;
} entry_list;

static entry_list split_list(arena *a, const char *value)
{
    entry_list l = {0};
    size_t cap = 1;
    for (const char *p = value; *p; p++)
        cap += *p == ':';
    l.e = arena_alloc(a, cap * sizeof(list_entry));
    const char *p = value;
    for (;;) {
        const char *c = strchr(p, ':');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        list_entry *e = &l.e[l.n];
        e->text = arena_strndup(a, p, n);
        e->pos = l.n + 1;
        e->other = -1;
        for (size_t k = 0; k < l.n; k++)
            if (strcmp(l.e[k].text, e->text) == 0)
                e->occ++;
        l.n++;
        if (!c)
            break;
        p = c + 1;
    }
    return l;
}

typedef struct list_diff {
    const char *name;
    entry_list a, b;
    bool *moved_b;     /* per entry of b: common with a but out of order */
    size_t added, removed, moved;
} list_diff;

/* Entries common to both lists keep their relative order along a longest
 * common subsequence; the others among them are the ones that moved. */
static void list_compare(arena *a, list_diff *d)
{
    for (size_t i = 0; i < d->a.n; i++)
        for (size_t k = 0; k < d->b.n; k++)
            if (d->b.e[k].other < 0 && d->a.e[i].occ == d->b.e[k].occ &&
                strcmp(d->a.e[i].text, d->b.e[k].text) == 0) {
                d->a.e[i].other = (long)k;
                d->b.e[k].other = (long)i;
                break;
            }
    /* common entries as index sequences */
    size_t n = 0;
    size_t *ca = arena_alloc(a, (d->a.n + 1) * sizeof(size_t)); /* b-index, in a order */
    for (size_t i = 0; i < d->a.n; i++)
        if (d->a.e[i].other >= 0)
            ca[n++] = (size_t)d->a.e[i].other;
    d->moved_b = arena_alloc(a, (d->b.n + 1) * sizeof(bool));
    /* LCS of ca against the increasing sequence = longest increasing subsequence
     * of ca (patience sorting, O(n log n)) */
    size_t *tails = xcalloc(n + 1, sizeof(size_t)); /* index into ca */
    size_t *prev = xcalloc(n + 1, sizeof(size_t));
    bool *keep = xcalloc(n + 1, sizeof(bool));
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        size_t lo = 0, hi = len;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (ca[tails[mid]] < ca[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        prev[i] = lo > 0 ? tails[lo - 1] : (size_t)-1;
        tails[lo] = i;
        if (lo == len)
            len++;
    }
    for (size_t i = len ? tails[len - 1] : (size_t)-1; i != (size_t)-1; i = prev[i])
        keep[i] = true;
    for (size_t i = 0; i < n; i++)
        if (!keep[i]) {
            d->moved_b[ca[i]] = true;
            d->moved++;
        }
    free(tails);
    free(prev);
    free(keep);
    for (size_t i = 0; i < d->a.n; i++)
        d->removed += d->a.e[i].other < 0;
    for (size_t k = 0; k < d->b.n; k++)
        d->added += d->b.e[k].other < 0;
}

/* ---- the comparison ------------------------------------------------------ */

typedef struct env_diff {
    const env_snapshot *a, *b;
    const env_snapshot_var **added, **removed;   /* added: from b; removed: from a */
    size_t nadded, nremoved;
    const env_snapshot_var **changed_a, **changed_b;
    list_diff **changed_list;                    /* per changed var, NULL if not a list */
    size_t nchanged;
} env_diff;

static void env_compare(arena *a, env_diff *d)
{
    size_t cap = d->a->n + d->b->n + 1;
    d->added = arena_alloc(a, cap * sizeof(void *));
    d->removed = arena_alloc(a, cap * sizeof(void *));
    d->changed_a = arena_alloc(a, cap * sizeof(void *));
    d->changed_b = arena_alloc(a, cap * sizeof(void *));
    d->changed_list = arena_alloc(a, cap * sizeof(void *));
    size_t i = 0, k = 0;
    while (i < d->a->n || k < d->b->n) {
        int c = i == d->a->n ? 1 : k == d->b->n ? -1
              : strcmp(d->a->vars[i].name, d->b->vars[k].name);
        if (c < 0) {
            d->removed[d->nremoved++] = &d->a->vars[i++];
        } else if (c > 0) {
            d->added[d->nadded++] = &d->b->vars[k++];
        } else {
            const env_snapshot_var *va = &d->a->vars[i++], *vb = &d->b->vars[k++];
            if (strcmp(va->value, vb->value) == 0)
                continue;
            list_diff *ld = NULL;
            if (in_table(path_lists, GE_ARRAY_LEN(path_lists), va->name)) {
                ld = arena_alloc(a, sizeof(list_diff));
                ld->name = va->name;
                ld->a = split_list(a, va->value);
                ld->b = split_list(a, vb->value);
                list_compare(a, ld);
            }
            d->changed_a[d->nchanged] = va;
            d->changed_b[d->nchanged] = vb;
            d->changed_list[d->nchanged++] = ld;
        }
    }
}

/* ---- output --------------------------------------------------------------- */

/* Values shown on one line: control characters escaped. */
static void put_value(strbuf *sb, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n')
            strbuf_adds(sb, "\\n");
        else if (c == '\t')
            strbuf_adds(sb, "\\t");
        else if (c == '\\')
            strbuf_adds(sb, "\\\\");
        else if (c < 0x20 || c == 0x7f)
            strbuf_addf(sb, "\\x%02x", c);
        else
            strbuf_addc(sb, (char)c);
    }
}

static const char *color(const golint_options *o, const char *code)
{
    return o->color ? code : "";
}

static void text_var(strbuf *sb, const golint_options *o, char sign, const char *col,
                     const env_snapshot_var *v)
{
    strbuf_addf(sb, "%s%c %s=", color(o, col), sign, v->name);
    put_value(sb, v->value);
    strbuf_addf(sb, "%s%s\n", color(o, "\033[0m"),
                in_table(shell_owned, GE_ARRAY_LEN(shell_owned), v->name)
                    ? "   (set by the shell or terminal)" : "");
}

static void text_report(strbuf *sb, const golint_options *o, const env_diff *d,
                        const char *na, const char *nb)
{
    strbuf_addf(sb, "--- %s (%s, %zu variables)\n+++ %s (%s, %zu variables)\n", na,
                env_snapshot_format_name(d->a->format), d->a->n, nb,
                env_snapshot_format_name(d->b->format), d->b->n);
    if (d->nremoved) {
        strbuf_adds(sb, "removed:\n");
        for (size_t i = 0; i < d->nremoved; i++)
            text_var(sb, o, '-', "\033[31m", d->removed[i]);
    }
    if (d->nadded) {
        strbuf_adds(sb, "added:\n");
        for (size_t i = 0; i < d->nadded; i++)
            text_var(sb, o, '+', "\033[32m", d->added[i]);
    }
    if (d->nchanged) {
        strbuf_adds(sb, "changed:\n");
        for (size_t i = 0; i < d->nchanged; i++) {
            const list_diff *ld = d->changed_list[i];
            strbuf_addf(sb, "~ %s%s\n", d->changed_a[i]->name,
                        in_table(shell_owned, GE_ARRAY_LEN(shell_owned), d->changed_a[i]->name)
                            ? "   (set by the shell or terminal)" : "");
            if (!ld) {
                strbuf_addf(sb, "%s    - ", color(o, "\033[31m"));
                put_value(sb, d->changed_a[i]->value);
                strbuf_addf(sb, "%s\n%s    + ", color(o, "\033[0m"), color(o, "\033[32m"));
                put_value(sb, d->changed_b[i]->value);
                strbuf_addf(sb, "%s\n", color(o, "\033[0m"));
                continue;
            }
            for (size_t k = 0; k < ld->a.n; k++)
                if (ld->a.e[k].other < 0) {
                    strbuf_addf(sb, "%s    - ", color(o, "\033[31m"));
                    put_value(sb, ld->a.e[k].text[0] ? ld->a.e[k].text : "(empty: the current directory)");
                    strbuf_addf(sb, "%s   (was #%zu)\n", color(o, "\033[0m"), ld->a.e[k].pos);
                }
            for (size_t k = 0; k < ld->b.n; k++)
                if (ld->b.e[k].other < 0) {
                    strbuf_addf(sb, "%s    + ", color(o, "\033[32m"));
                    put_value(sb, ld->b.e[k].text[0] ? ld->b.e[k].text : "(empty: the current directory)");
                    strbuf_addf(sb, "%s   (now #%zu)\n", color(o, "\033[0m"), ld->b.e[k].pos);
                }
            for (size_t k = 0; k < ld->b.n; k++)
                if (ld->moved_b[k]) {
                    strbuf_addf(sb, "%s    ~ ", color(o, "\033[33m"));
                    put_value(sb, ld->b.e[k].text[0] ? ld->b.e[k].text : "(empty: the current directory)");
                    strbuf_addf(sb, "%s   (moved #%zu -> #%zu)\n", color(o, "\033[0m"),
                                ld->a.e[ld->b.e[k].other].pos, ld->b.e[k].pos);
                }
        }
    }
    if (!d->nadded && !d->nremoved && !d->nchanged)
        strbuf_addf(sb, "identical: %zu variables\n", d->a->n);
    else if (!o->quiet)
        strbuf_addf(sb, "%zu removed, %zu added, %zu changed\n", d->nremoved, d->nadded,
                    d->nchanged);
}

/* JSON must be UTF-8; environment values need not be. */
static void add_clean(cJSON *o, const char *key, const char *value)
{
    char *clean = report_utf8_clean(value);
    cJSON_AddStringToObject(o, key, clean);
    free(clean);
}

static cJSON *json_vars(const env_snapshot_var *const *v, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        add_clean(o, "name", v[i]->name);
        add_clean(o, "value", v[i]->value);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static cJSON *json_side(const char *path, const env_snapshot *s)
{
    cJSON *o = cJSON_CreateObject();
    add_clean(o, "file", path);
    cJSON_AddStringToObject(o, "format", env_snapshot_format_name(s->format));
    if (s->context)
        cJSON_AddStringToObject(o, "context", s->context);
    else
        cJSON_AddNullToObject(o, "context");
    cJSON_AddNumberToObject(o, "variables", (double)s->n);
    return o;
}

static void json_report(strbuf *sb, const env_diff *d, const char *na, const char *nb)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "version", 1);
    cJSON_AddItemToObject(doc, "a", json_side(na, d->a));
    cJSON_AddItemToObject(doc, "b", json_side(nb, d->b));
    cJSON_AddBoolToObject(doc, "equal", !d->nadded && !d->nremoved && !d->nchanged);
    cJSON_AddItemToObject(doc, "added", json_vars(d->added, d->nadded));
    cJSON_AddItemToObject(doc, "removed", json_vars(d->removed, d->nremoved));
    cJSON *changed = cJSON_AddArrayToObject(doc, "changed");
    for (size_t i = 0; i < d->nchanged; i++) {
        cJSON *c = cJSON_CreateObject();
        add_clean(c, "name", d->changed_a[i]->name);
        add_clean(c, "a", d->changed_a[i]->value);
        add_clean(c, "b", d->changed_b[i]->value);
        const list_diff *ld = d->changed_list[i];
        if (ld) {
            cJSON *entries = cJSON_AddObjectToObject(c, "entries");
            cJSON *add = cJSON_AddArrayToObject(entries, "added");
            cJSON *rem = cJSON_AddArrayToObject(entries, "removed");
            cJSON *mov = cJSON_AddArrayToObject(entries, "reordered");
            for (size_t k = 0; k < ld->b.n; k++) {
                if (ld->b.e[k].other >= 0 && !ld->moved_b[k])
                    continue;
                cJSON *e = cJSON_CreateObject();
                add_clean(e, "entry", ld->b.e[k].text);
                if (ld->b.e[k].other < 0) {
                    cJSON_AddNumberToObject(e, "position", (double)ld->b.e[k].pos);
                    cJSON_AddItemToArray(add, e);
                } else {
                    cJSON_AddNumberToObject(e, "a_position", (double)ld->a.e[ld->b.e[k].other].pos);
                    cJSON_AddNumberToObject(e, "b_position", (double)ld->b.e[k].pos);
                    cJSON_AddItemToArray(mov, e);
                }
            }
            for (size_t k = 0; k < ld->a.n; k++)
                if (ld->a.e[k].other < 0) {
                    cJSON *e = cJSON_CreateObject();
                    add_clean(e, "entry", ld->a.e[k].text);
                    cJSON_AddNumberToObject(e, "position", (double)ld->a.e[k].pos);
                    cJSON_AddItemToArray(rem, e);
                }
        }
        cJSON_AddItemToArray(changed, c);
    }
    char *text = cJSON_Print(doc);
    strbuf_adds(sb, text);
    strbuf_addc(sb, '\n');
    cJSON_free(text);
    cJSON_Delete(doc);
}

int cmd_diff_env(golint_options *o)
{
    if (o->nargs != 2) {
        cli_error("diff-env: needs two snapshots: diff-env A B (env -0, env, or JSON; - for stdin)");
        return EXIT_TROUBLE;
    }
    if (o->format != FORMAT_TEXT && o->format != FORMAT_JSON) {
        cli_error("diff-env: --format %s is not supported here (text, json)",
                  report_format_name(o->format));
        return EXIT_TROUBLE;
    }
    if (strcmp(o->args[0], "-") == 0 && strcmp(o->args[1], "-") == 0) {
        cli_error("diff-env: only one of the snapshots can be standard input");
        return EXIT_TROUBLE;
    }
    arena *a = arena_new();
    env_snapshot snaps[2];
    int rc = EXIT_CLEAN;
    for (int i = 0; i < 2 && rc == EXIT_CLEAN; i++) {
        char why[600];
        size_t len = 0;
        char *data = read_input(o->args[i], &len, why, sizeof(why));
        if (!data) {
            cli_error("%s", why);
            rc = EXIT_TROUBLE;
            break;
        }
        if (!env_snapshot_parse(a, data, len, o->context, &snaps[i], why, sizeof(why))) {
            cli_error("%s: %s", o->args[i], why);
            rc = EXIT_TROUBLE;
        } else if (snaps[i].duplicates && o->verbose) {
            cli_warn("%s: %zu variables appear more than once; the first is kept",
                     o->args[i], snaps[i].duplicates);
        }
        free(data);
    }
    if (rc == EXIT_CLEAN) {
        env_diff d = {.a = &snaps[0], .b = &snaps[1]};
        env_compare(a, &d);
        strbuf sb = STRBUF_INIT;
        if (o->format == FORMAT_JSON)
            json_report(&sb, &d, o->args[0], o->args[1]);
        else
            text_report(&sb, o, &d, o->args[0], o->args[1]);
        fwrite(sb.data, 1, sb.len, stdout);
        fflush(stdout);
        strbuf_release(&sb);
        rc = d.nadded || d.nremoved || d.nchanged ? EXIT_FINDINGS : EXIT_CLEAN;
    }
    arena_free(a);
    return rc;
}

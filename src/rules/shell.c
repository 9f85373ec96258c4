/* shell.c - per-file shell rules: GE1xxx hygiene, and the single-file PATH
 * (GE2001, GE2002) and Go variable (GE3001) checks. One function per rule. */
#include "rules/rules.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Go variables whose assignment in a startup file is meant for the go command. */
static const char *const go_variables[] = {
    "CGO_ENABLED", "GO111MODULE", "GOAMD64", "GOARCH", "GOARM", "GOAUTH", "GOBIN",
    "GOCACHE", "GODEBUG", "GOENV", "GOEXPERIMENT", "GOFLAGS", "GOGC", "GOINSECURE",
    "GOMAXPROCS", "GOMEMLIMIT", "GOMODCACHE", "GONOPROXY", "GONOSUMDB", "GOOS", "GOPATH",
    "GOPRIVATE", "GOPROXY", "GOROOT", "GOSUMDB", "GOTMPDIR", "GOTOOLCHAIN", "GOVCS", "GOWORK",
};

/* Index in go_variables, -1 if not one. */
static int go_variable_index(const char *name)
{
    if (name[0] != 'G' && name[0] != 'C')
        return -1;
    for (size_t i = 0; i < GE_ARRAY_LEN(go_variables); i++)
        if (strcmp(name, go_variables[i]) == 0)
            return (int)i;
    return -1;
}

/* ---- helpers over the tree --------------------------------------------- */

typedef struct assignment {
    TSNode node;        /* variable_assignment */
    TSNode value;       /* may be null */
    char *name;
    bool append;        /* += */
    bool prefix;        /* FOO=1 cmd: only for that command */
    bool local;         /* local/declare without -g inside a function */
    bool exported;      /* export X=, declare -x X= */
    TSNode decl;        /* enclosing declaration_command, or null */
    TSNode parent;
    TSNode func;        /* innermost enclosing function_definition, or null */
    /* tree-sitter-bash 0.23 splits `export P=$A:$B` into the assignment and
     * an adjacent word: those siblings are part of the value */
    TSNode *tail;       /* ASSIGNMENT_MAX_TAIL, in the arena once there is one: most have none */
    size_t ntail;
    uint32_t value_end;
} assignment;

static char *decl_keyword(arena *a, const shell_tree *t, TSNode decl)
{
    TSNode k = ts_node_child(decl, 0);
    return shell_node_text(a, t, k);
}

/* Does a declaration_command carry -x (declare -x, typeset -gx ...)? */
static bool decl_has_flag(arena *a, const shell_tree *t, TSNode decl, char flag)
{
    uint32_t n = ts_node_named_child_count(decl);
    for (uint32_t i = 0; i < n; i++) {
        TSNode c = ts_node_named_child(decl, i);
        if (!shell_node_is(c, "word"))
            continue;
        char *w = shell_node_text(a, t, c);
        if (w[0] == '-' && strchr(w + 1, flag))
            return true;
    }
    return false;
}

/* Does the function around the assignment declare PATH (or zsh's path) local? */
static bool function_localises_path(file_check *c, const assignment *as)
{
    if (ts_node_is_null(as->func))
        return false;
    const char *d = c->src->data;
    uint32_t s = ts_node_start_byte(as->func), e = ts_node_start_byte(as->node);
    static const char *const decl[] = {"local ", "typeset ", "declare "};
    for (uint32_t i = s; i < e; i++) {
        for (size_t k = 0; k < GE_ARRAY_LEN(decl); k++) {
            size_t l = strlen(decl[k]);
            if (i + l > e || memcmp(d + i, decl[k], l) != 0)
                continue;
            /* the names on this declaration line, after any -flags */
            uint32_t j = i + (uint32_t)l;
            while (j < e && d[j] != '\n' && d[j] != ';') {
                while (j < e && (d[j] == ' ' || d[j] == '\t'))
                    j++;
                uint32_t w = j;
                while (j < e && !strchr(" \t\n;=", d[j]))
                    j++;
                if ((j - w == 4 && (memcmp(d + w, "PATH", 4) == 0 || memcmp(d + w, "path", 4) == 0)))
                    return true;
                while (j < e && d[j] != ' ' && d[j] != '\t' && d[j] != '\n' && d[j] != ';')
                    j++; /* skip =value */
            }
        }
    }
    return false;
}

/* parent, function and (later, see shell_index_get) the tail come from the
 * walk: ts_node_parent and ts_node_next_sibling re-descend from the root in
 * tree-sitter 0.20, so asking them per node is quadratic in nesting depth. */
static void assignment_describe(file_check *c, TSNode n, TSNode parent, TSNode func, assignment *as)
{
    memset(as, 0, sizeof(*as));
    as->node = n;
    as->parent = parent;
    as->func = func;
    TSNode name = ts_node_child_by_field_name(n, "name", 4);
    as->name = shell_node_text(c->a, c->tree, name);
    as->value = ts_node_child_by_field_name(n, "value", 5);
    uint32_t cnt = ts_node_child_count(n);
    for (uint32_t i = 0; i < cnt; i++) {
        TSNode k = ts_node_child(n, i);
        if (!ts_node_is_named(k) && strcmp(ts_node_type(k), "+=") == 0)
            as->append = true;
    }
    as->value_end = ts_node_end_byte(n);
    as->decl = (TSNode){0};
    if (shell_node_is(parent, "command")) {
        as->prefix = true;
    } else if (shell_node_is(parent, "declaration_command")) {
        as->decl = parent;
        char *kw = decl_keyword(c->a, c->tree, parent);
        if (strcmp(kw, "export") == 0)
            as->exported = true;
        else if (decl_has_flag(c->a, c->tree, parent, 'x'))
            as->exported = true;
        if (strcmp(kw, "local") == 0 ||
            ((strcmp(kw, "declare") == 0 || strcmp(kw, "typeset") == 0) && !ts_node_is_null(func) &&
             !decl_has_flag(c->a, c->tree, parent, 'g')))
            as->local = true;
    }
}

/* The value as "shape": literal bytes kept, every expansion or substitution
 * replaced by \001, quotes removed, zsh array elements joined with ':'.
 * Lexed from the text: tree-sitter-bash 0.23 splits some values oddly
 * (`export P=$A:$B` ends the assignment after "$A:$"). */
static void shape_text(const char *d, size_t s, size_t e, strbuf *out)
{
    bool dq = false, array = false;
    if (s < e && d[s] == '(' && d[e - 1] == ')') {
        array = true;
        s++;
        e--;
        while (s < e && (d[s] == ' ' || d[s] == '\t' || d[s] == '\n'))
            s++;
    }
    for (size_t i = s; i < e; i++) {
        char ch = d[i];
        if (ch == '\\' && i + 1 < e) {
            if (d[i + 1] != '\n')
                strbuf_addc(out, d[i + 1]);
            i++;
        } else if (ch == '\'' && !dq) {
            i++;
            while (i < e && d[i] != '\'')
                strbuf_addc(out, d[i++]);
        } else if (ch == '"') {
            dq = !dq;
        } else if (ch == '`') {
            i++;
            while (i < e && d[i] != '`')
                i += d[i] == '\\' ? 2 : 1;
            strbuf_addc(out, '\001');
        } else if (ch == '$' && i + 1 < e && (d[i + 1] == '{' || d[i + 1] == '(')) {
            char open = d[i + 1], close = open == '{' ? '}' : ')';
            int depth = 0;
            for (i++; i < e; i++) {
                if (d[i] == '\\') { i++; continue; }
                if (d[i] == open) depth++;
                else if (d[i] == close && --depth == 0) break;
            }
            strbuf_addc(out, '\001');
        } else if (ch == '$' && i + 1 < e &&
                   (d[i + 1] == '_' || (d[i + 1] >= 'A' && d[i + 1] <= 'Z') ||
                    (d[i + 1] >= 'a' && d[i + 1] <= 'z'))) {
            i++;
            while (i + 1 < e && (d[i + 1] == '_' || (d[i + 1] >= 'A' && d[i + 1] <= 'Z') ||
                                 (d[i + 1] >= 'a' && d[i + 1] <= 'z') || (d[i + 1] >= '0' && d[i + 1] <= '9')))
                i++;
            strbuf_addc(out, '\001');
        } else if (ch == '$' && i + 1 < e && strchr("0123456789@*#?-$!", d[i + 1])) {
            i++;
            strbuf_addc(out, '\001');
        } else if (array && !dq && (ch == ' ' || ch == '\t' || ch == '\n')) {
            while (i + 1 < e && (d[i + 1] == ' ' || d[i + 1] == '\t' || d[i + 1] == '\n'))
                i++;
            if (i + 1 < e)
                strbuf_addc(out, ':');
        } else {
            strbuf_addc(out, ch);
        }
    }
}

static void assignment_shape(const shell_tree *t, const assignment *as, strbuf *out)
{
    shape_text(t->src->data, ts_node_start_byte(as->value), as->value_end, out);
}

/* Does the value read the variable's previous value ($PATH, ${PATH...}, $path)? */
static bool value_reads(const shell_tree *t, const assignment *as, const char *name, const char *alt)
{
    bool found = false;
    uint32_t s = ts_node_start_byte(as->value), e = as->value_end;
    const char *d = t->src->data;
    size_t ln = strlen(name), la = alt ? strlen(alt) : 0;
    for (uint32_t i = s; i < e && !found; i++) {
        if (d[i] != '$')
            continue;
        uint32_t j = i + 1;
        bool brace = j < e && d[j] == '{';
        if (brace)
            j++;
        /* zsh forms: $^path, $=path, ${~path}, ${(j.:.)path}, ${#path} */
        while (j < e && strchr("^=~#+", d[j]))
            j++;
        if (brace && j < e && d[j] == '(') {
            while (j < e && d[j] != ')')
                j++;
            j++;
        }
        if (j + ln <= e && memcmp(d + j, name, ln) == 0 &&
            (j + ln == e || !(d[j + ln] == '_' || (d[j + ln] >= 'A' && d[j + ln] <= 'Z') ||
                              (d[j + ln] >= 'a' && d[j + ln] <= 'z') || (d[j + ln] >= '0' && d[j + ln] <= '9'))))
            found = true;
        if (alt && j + la <= e && memcmp(d + j, alt, la) == 0 &&
            (j + la == e || !(d[j + la] == '_' || (d[j + la] >= 'a' && d[j + la] <= 'z') ||
                              (d[j + la] >= 'A' && d[j + la] <= 'Z') || (d[j + la] >= '0' && d[j + la] <= '9'))))
            found = true;
    }
    return found;
}

typedef void (*assignment_fn)(file_check *c, assignment *as);

/* Everything the per-file shell rules need, gathered in one walk of the tree
 * (walking is most of the cost of a check) and cached in file_check. */
typedef struct shell_index {
    assignment *all;
    size_t n, cap;
    char **exported; /* names given to export / declare -x */
    size_t nexported, capexported;
    bool allexport;  /* set -a / set -o allexport */
} shell_index;

static void index_declaration(file_check *c, shell_index *x, TSNode n)
{
    char *kw = decl_keyword(c->a, c->tree, n);
    if (strcmp(kw, "export") != 0 && !decl_has_flag(c->a, c->tree, n, 'x'))
        return;
    uint32_t cnt = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < cnt; i++) {
        TSNode ch = ts_node_named_child(n, i);
        TSNode name = ch;
        if (shell_node_is(ch, "variable_assignment"))
            name = ts_node_child_by_field_name(ch, "name", 4);
        else if (!shell_node_is(ch, "variable_name"))
            continue;
        if (x->nexported == x->capexported) {
            x->capexported = x->capexported ? 2 * x->capexported : 16;
            x->exported = arena_grow(c->a, x->exported, x->nexported, x->capexported, sizeof(char *));
        }
        x->exported[x->nexported++] = shell_node_text(c->a, c->tree, name);
    }
}

/* What the index walk does with a node, by grammar symbol (aliases share a
 * name, not a symbol): a table built once. Leaves and words hold no
 * statements worth a per-file rule (SK_OPAQUE); after a command's name come
 * its arguments, which hold none either. Assignments inside $(...) and <(...)
 * run in a subshell and change nothing here; indexing them also made values
 * nest (`P=$(P=$(...))`), and every rule that reads a value's text quadratic. */
enum symbol_kind { SK_OTHER, SK_OPAQUE, SK_ASSIGNMENT, SK_DECLARATION, SK_COMMAND, SK_COMMAND_NAME, SK_FUNCTION };
static unsigned char symbol_kind[2][4096]; /* [zsh tree][symbol]: the grammars number symbols differently */
static pthread_once_t symbol_once = PTHREAD_ONCE_INIT;

static void symbol_kind_init(void)
{
    static const struct { const char *name; enum symbol_kind kind; } table[] = {
        {"ERROR", SK_OPAQUE}, {"comment", SK_OPAQUE}, {"word", SK_OPAQUE},
        {"raw_string", SK_OPAQUE}, {"string", SK_OPAQUE}, {"heredoc_body", SK_OPAQUE},
        {"number", SK_OPAQUE}, {"simple_expansion", SK_OPAQUE}, {"expansion", SK_OPAQUE},
        {"arithmetic_expansion", SK_OPAQUE}, {"regex", SK_OPAQUE}, {"file_redirect", SK_OPAQUE},
        {"heredoc_redirect", SK_OPAQUE}, {"test_command", SK_OPAQUE},
        {"command_substitution", SK_OPAQUE}, {"process_substitution", SK_OPAQUE},
        {"variable_assignment", SK_ASSIGNMENT}, {"declaration_command", SK_DECLARATION},
        {"command", SK_COMMAND}, {"command_name", SK_COMMAND_NAME},
        {"function_definition", SK_FUNCTION},
    };
    for (int g = 0; g < 2; g++) {
        const TSLanguage *lang = shell_language_for(g ? SHELL_ZSH : SHELL_BASH);
        uint32_t n = ts_language_symbol_count(lang);
        for (uint32_t sym = 0; sym < n && sym < GE_ARRAY_LEN(symbol_kind[g]); sym++) {
            const char *name = ts_language_symbol_name(lang, (TSSymbol)sym);
            for (size_t i = 0; name && i < GE_ARRAY_LEN(table); i++)
                if (strcmp(name, table[i].name) == 0)
                    symbol_kind[g][sym] = (unsigned char)table[i].kind;
        }
    }
}

static enum symbol_kind node_kind(TSNode n)
{
    TSSymbol sym = ts_node_symbol(n);
    if (sym == (TSSymbol)-1) /* ts_builtin_sym_error: ERROR nodes */
        return SK_OPAQUE;
    if (sym < GE_ARRAY_LEN(symbol_kind[0]))
        return (enum symbol_kind)symbol_kind[shell_tree_dialect_of(n) == SHELL_ZSH][sym];
    return strcmp(ts_node_type(n), "ERROR") == 0 ? SK_OPAQUE : SK_OTHER;
}

/* Where the index walk is: the ancestors of the current node, for each the
 * innermost function around it, and per depth the assignment whose value
 * the next siblings may continue (see assignment.tail; SIZE_MAX: none). */
typedef struct index_walk {
    TSNode *parents; /* parents[d]: the node at depth d */
    TSNode *funcs;   /* funcs[d]: innermost function_definition among parents[0..d] */
    size_t *open;
    size_t depth, cap;
} index_walk;

/* The siblings right after an assignment that continue its value, taken as
 * the walk reaches them: looking ahead from the assignment copied the
 * cursor, whose stack is as deep as the node (quadratic in nesting). */
#define ASSIGNMENT_MAX_TAIL 8

static void index_tail(file_check *c, shell_index *x, index_walk *w, TSNode n)
{
    size_t *open = &w->open[w->depth];
    if (*open == SIZE_MAX)
        return;
    assignment *as = &x->all[*open];
    if (ts_node_is_named(n) && ts_node_start_byte(n) == as->value_end && as->ntail < ASSIGNMENT_MAX_TAIL) {
        if (!as->tail)
            as->tail = arena_alloc(c->a, ASSIGNMENT_MAX_TAIL * sizeof(TSNode));
        as->tail[as->ntail++] = n;
        as->value_end = ts_node_end_byte(n);
    } else {
        *open = SIZE_MAX;
    }
}

/* Index node n; true to walk into its children. */
static bool index_visit(file_check *c, shell_index *x, index_walk *w, TSNode n, enum symbol_kind kind)
{
    TSNode parent = w->depth ? w->parents[w->depth - 1] : (TSNode){0};
    index_tail(c, x, w, n);
    switch (kind) {
    case SK_OPAQUE:
        return false;
    case SK_ASSIGNMENT: {
        if (x->n == x->cap) {
            x->cap = x->cap ? 2 * x->cap : 32;
            x->all = arena_grow(c->a, x->all, x->n, x->cap, sizeof(assignment));
        }
        assignment *as = &x->all[x->n];
        assignment_describe(c, n, parent, w->depth ? w->funcs[w->depth - 1] : (TSNode){0}, as);
        if (!ts_node_is_null(as->value))
            w->open[w->depth] = x->n;
        x->n++;
        return true;
    }
    case SK_DECLARATION:
        index_declaration(c, x, n);
        return true;
    case SK_COMMAND_NAME:
        /* set -a / set -o allexport */
        if (ts_node_end_byte(n) - ts_node_start_byte(n) == 3 &&
            memcmp(c->src->data + ts_node_start_byte(n), "set", 3) == 0) {
            char *all = shell_node_text(c->a, c->tree, parent);
            if (strstr(all, "allexport") || strstr(all, " -a"))
                x->allexport = true;
        }
        return false;
    default:
        return ts_node_is_named(n);
    }
}

static void index_walk_grow(file_check *c, index_walk *w)
{
    size_t cap = w->cap ? 2 * w->cap : 64;
    w->parents = arena_grow(c->a, w->parents, w->cap, cap, sizeof(TSNode));
    w->funcs = arena_grow(c->a, w->funcs, w->cap, cap, sizeof(TSNode));
    w->open = arena_grow(c->a, w->open, w->cap, cap, sizeof(size_t));
    w->cap = cap;
}

/* Enter the children of n (the node at w->depth). */
static void index_push(file_check *c, index_walk *w, TSNode n, enum symbol_kind kind)
{
    if (w->depth + 1 >= w->cap)
        index_walk_grow(c, w);
    w->parents[w->depth] = n;
    w->funcs[w->depth] = kind == SK_FUNCTION ? n : w->depth ? w->funcs[w->depth - 1] : (TSNode){0};
    w->open[++w->depth] = SIZE_MAX;
}

/* One pre-order walk (iterative: deep files cannot overflow the stack) that
 * keeps each node's ancestors at hand; O(1) work per node whatever the depth. */
static shell_index *shell_index_get(file_check *c)
{
    if (c->cache)
        return c->cache;
    shell_index *x = arena_alloc(c->a, sizeof(*x));
    pthread_once(&symbol_once, symbol_kind_init);
    TSTreeCursor cur = ts_tree_cursor_new(ts_tree_root_node(c->tree->tree));
    index_walk w = {0};
    index_walk_grow(c, &w);
    w.open[0] = SIZE_MAX;
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&cur);
        enum symbol_kind kind = node_kind(n);
        if (index_visit(c, x, &w, n, kind) && ts_tree_cursor_goto_first_child(&cur)) {
            index_push(c, &w, n, kind);
            continue;
        }
        if (kind == SK_COMMAND_NAME && w.depth && node_kind(w.parents[w.depth - 1]) == SK_COMMAND) {
            /* the arguments: on to the command's next sibling */
            ts_tree_cursor_goto_parent(&cur);
            w.depth--;
        }
        while (w.depth && !ts_tree_cursor_goto_next_sibling(&cur)) {
            ts_tree_cursor_goto_parent(&cur);
            w.depth--;
        }
        if (!w.depth)
            break;
    }
    ts_tree_cursor_delete(&cur);
    c->cache = x;
    return x;
}

static void assignments_each(file_check *c, assignment_fn fn)
{
    shell_index *x = shell_index_get(c);
    for (size_t i = 0; i < x->n; i++)
        fn(c, &x->all[i]);
}

/* ---- GE1000: syntax tree-sitter-bash cannot parse ------------------------ */

void rule_GE1000(file_check *c)
{
    const shell_tree *t = c->tree;
    if (t->over == SHELL_BUDGET_PARSER) {
        finding_add(c->out, "GE1000", SEV_INFO, c->src, 0, 0,
                    "tree-sitter could not parse this file; shell rules and the startup simulation skip it");
        return;
    }
    if (t->over) {
        const char *unit;
        size_t limit = shell_budget_limit(t->over, &unit);
        if (t->over == SHELL_BUDGET_BYTES)
            finding_add(c->out, "GE1000", SEV_INFO, c->src, 0, 0,
                        "file is %zu bytes, over the per-file budget of %zu %s: not parsed; shell "
                        "rules and the startup simulation skip it", t->measured, limit, unit);
        else
            finding_add(c->out, "GE1000", SEV_INFO, c->src, 0, 0,
                        "%s the per-file budget of %zu %s; shell rules and the startup simulation skip it",
                        t->over == SHELL_BUDGET_PARSE ? "parsing stopped at" : "syntax tree over", limit, unit);
        return;
    }
    /* zsh syntax is outside tree-sitter-bash's grammar: not the user's error. */
    if (c->dialect == SHELL_ZSH)
        return;
    size_t shown = 0;
    for (size_t i = 0; i < t->nerrors; i++) {
        const shell_parse_error *e = &t->errors[i];
        if (++shown > 20) {
            finding_add(c->out, "GE1000", SEV_INFO, c->src, e->start, e->start,
                        "%zu more regions tree-sitter-bash cannot parse; not shown", t->nerrors - 20);
            break;
        }
        size_t end = e->end;
        /* keep the span on its first line */
        for (size_t k = e->start; k < end; k++)
            if (c->src->data[k] == '\n') {
                end = k;
                break;
            }
        finding_add(c->out, "GE1000", SEV_INFO, c->src, e->start, end,
                    e->missing ? "tree-sitter-bash expected more here (%s); rules skip this region"
                               : "tree-sitter-bash cannot parse this %s syntax; rules skip this region",
                    shell_dialect_name(c->dialect));
    }
}

/* ---- GE1001: a tilde inside quotes is never expanded -------------------- */

static const char *const tilde_variables[] = {"PATH", "GOPATH", "GOROOT", "GOBIN", "GOMODCACHE",
                                              "GOCACHE", "GOENV", "CDPATH", "MANPATH"};

static void quoted_tilde_check(file_check *c, assignment *as)
{
    bool watched = false;
    for (size_t i = 0; i < GE_ARRAY_LEN(tilde_variables); i++)
        if (strcmp(as->name, tilde_variables[i]) == 0)
            watched = true;
    if (!watched || ts_node_is_null(as->value))
        return;
    /* find string / raw_string nodes in the value holding ~ at an entry start */
    TSNode stack[64];
    size_t sp = 0;
    for (size_t i = as->ntail; i-- > 0;)
        stack[sp++] = as->tail[i];
    stack[sp++] = as->value;
    while (sp) {
        TSNode n = stack[--sp];
        bool raw = shell_node_is(n, "raw_string");
        if (raw || shell_node_is(n, "string")) {
            uint32_t s = ts_node_start_byte(n) + 1, e = ts_node_end_byte(n) - 1;
            const char *d = c->src->data;
            for (uint32_t i = s; i < e; i++) {
                if (d[i] != '~' || !(i == s || d[i - 1] == ':'))
                    continue;
                if (i + 1 < e && d[i + 1] != '/' && d[i + 1] != ':')
                    continue; /* ~user: rare in these variables; leave it */
                finding *f = finding_add(c->out, "GE1001", SEV_WARNING, c->src, i, i + 1,
                    "'~' inside %s quotes is not expanded: %s gets a literal '~' directory",
                    raw ? "single" : "double", as->name);
                if (!raw) {
                    fix *fx = finding_set_fix(c->out, f, FIX_SAFE, "use $HOME instead of ~");
                    fix_add_edit(c->out, fx, c->src, i, i + 1, "$HOME");
                } else {
                    /* '...~/go...' -> "...$HOME/go..." when nothing inside needs single quotes */
                    bool plain = true;
                    for (uint32_t k = s; k < e; k++)
                        if (strchr("$`\"\\!", d[k]))
                            plain = false;
                    if (plain) {
                        strbuf sb = STRBUF_INIT;
                        strbuf_addc(&sb, '"');
                        for (uint32_t k = s; k < e; k++) {
                            if (d[k] == '~' && (k == s || d[k - 1] == ':') &&
                                (k + 1 == e || d[k + 1] == '/' || d[k + 1] == ':'))
                                strbuf_adds(&sb, "$HOME");
                            else
                                strbuf_addc(&sb, d[k]);
                        }
                        strbuf_addc(&sb, '"');
                        fix *fx = finding_set_fix(c->out, f, FIX_SAFE,
                                                  "use double quotes and $HOME instead of ~");
                        fix_add_edit(c->out, fx, c->src, s - 1, e + 1, sb.data);
                        strbuf_release(&sb);
                    }
                }
                break; /* one finding per quoted string */
            }
            continue;
        }
        uint32_t nc = ts_node_named_child_count(n);
        for (uint32_t i = 0; i < nc && sp < GE_ARRAY_LEN(stack); i++)
            stack[sp++] = ts_node_named_child(n, nc - 1 - i);
    }
}

void rule_GE1001(file_check *c)
{
    assignments_each(c, quoted_tilde_check);
}

/* ---- GE1002: CRLF line endings ------------------------------------------ */

void rule_GE1002(file_check *c)
{
    const source_file *src = c->src;
    if (!src->crlf_lines)
        return;
    size_t first = 0;
    for (size_t i = 1; i < src->len; i++)
        if (src->data[i] == '\n' && src->data[i - 1] == '\r') {
            first = i - 1;
            break;
        }
    finding *f = finding_add(c->out, "GE1002", SEV_ERROR, src, first, first + 1,
        "%zu line%s end%s in CRLF: the shell keeps the \\r, so every value set here gets a "
        "trailing carriage return ('go\\r: command not found')",
        src->crlf_lines, src->crlf_lines == 1 ? "" : "s", src->crlf_lines == 1 ? "s" : "");
    fix *fx = finding_set_fix(c->out, f, FIX_SAFE, "convert CRLF line endings to LF");
    for (size_t i = 1; i < src->len; i++)
        if (src->data[i] == '\n' && src->data[i - 1] == '\r')
            fix_add_edit(c->out, fx, src, i - 1, i, "");
}

/* ---- GE1004: binary content --------------------------------------------- */

void rule_GE1004(file_check *c)
{
    if (!c->src->binary)
        return;
    size_t nul = 0;
    while (nul < c->src->len && c->src->data[nul] != '\0')
        nul++;
    finding_add(c->out, "GE1004", SEV_WARNING, c->src, nul, nul + 1,
                "file holds NUL bytes: not a text file, not analysed");
}

/* ---- GE2001: PATH assigned without its previous value ------------------- */

/* Files that start the chain and set the base PATH (also inside a fake root
 * or a repository checked out elsewhere). */
static bool system_base_file(const char *path)
{
    static const char *const base[] = {"etc/profile", "etc/environment", "etc/login.defs",
                                       "etc/zsh/zshenv", "etc/zshenv", "etc/zprofile",
                                       "etc/zsh/zprofile", "etc/csh.login"};
    for (size_t i = 0; i < GE_ARRAY_LEN(base); i++) {
        size_t lp = strlen(path), lb = strlen(base[i]);
        if (lp >= lb && strcmp(path + lp - lb, base[i]) == 0 && (lp == lb || path[lp - lb - 1] == '/'))
            return true;
    }
    return false;
}

static void path_overwrite_check(file_check *c, assignment *as)
{
    bool zpath = strcmp(as->name, "path") == 0 && c->dialect == SHELL_ZSH;
    if ((strcmp(as->name, "PATH") != 0 && !zpath) || as->append || as->prefix || as->local)
        return;
    if (ts_node_is_null(as->value))
        return;
    if (value_reads(c->tree, as, "PATH", zpath || c->dialect == SHELL_ZSH ? "path" : NULL))
        return;
    if (function_localises_path(c, as))
        return; /* `local PATH` earlier in the function: the caller's PATH is untouched */
    if (system_base_file(c->src->path))
        return; /* the start of the chain sets the base PATH */
    strbuf sh = STRBUF_INIT;
    assignment_shape(c->tree, as, &sh);
    /* PATH=$NEWPATH or PATH=$(getconf PATH): one opaque value, judged by the simulator */
    bool opaque = sh.len == 1 && sh.data[0] == '\001';
    bool full = sh.len && (strstr(sh.data, "/usr/bin") != NULL) && (strstr(sh.data, ":/bin") || strstr(sh.data, "/sbin"));
    strbuf_release(&sh);
    if (opaque && !full)
        return; /* built from other variables: the simulator judges it */
    uint32_t s = ts_node_start_byte(as->node), e = as->value_end;
    uint32_t vs0 = ts_node_start_byte(as->value);
    char *val = arena_strndup(c->a, c->src->data + vs0, e - vs0);
    finding *f;
    if (full) {
        f = finding_add(c->out, "GE2001", SEV_WARNING, c->src, s, e,
            "PATH is reset to a fixed list here: every entry added before this line "
            "(/etc/profile.d, /usr/local/go/bin ...) is lost");
    } else {
        f = finding_add(c->out, "GE2001", SEV_ERROR, c->src, s, e,
            "PATH is overwritten with %s: /usr/bin, /bin and everything set before are lost, "
            "so 'go' and basic commands become 'command not found'", val);
    }
    if (zpath)
        return;
    /* PATH=X -> PATH="X:$PATH" (keeps the quoting style of the value): the
     * line's entries keep coming first, so every command they supplied still
     * resolves to the same file; what was lost is only added after them */
    uint32_t vs = ts_node_start_byte(as->value), ve = as->value_end;
    const char *d = c->src->data;
    char *repl;
    if (as->ntail && d[vs] != '"' && d[vs] != '\'')
        ; /* a split unquoted value: wrapped whole below */
    else if (as->ntail)
        return; /* mixed quoting across a split value: no obvious rewrite */
    if (d[vs] == '"' && ve - vs >= 2)
        repl = arena_printf(c->a, "\"%.*s:$PATH\"", (int)(ve - vs - 2), d + vs + 1);
    else if (d[vs] == '\'' && ve - vs >= 2)
        repl = arena_printf(c->a, "'%.*s':\"$PATH\"", (int)(ve - vs - 2), d + vs + 1);
    else
        repl = arena_printf(c->a, "%.*s:\"$PATH\"", (int)(ve - vs), d + vs);
    fix *fx = finding_set_fix(c->out, f, full ? FIX_UNSAFE : FIX_SAFE,
                              "keep the previous PATH after this line's entries");
    fix_add_edit(c->out, fx, c->src, vs, ve, repl);
}

void rule_GE2001(file_check *c)
{
    assignments_each(c, path_overwrite_check);
}

/* ---- GE2002: empty or relative PATH entry ------------------------------- */

static void path_entry_check(file_check *c, assignment *as)
{
    bool zpath = strcmp(as->name, "path") == 0 && c->dialect == SHELL_ZSH;
    if ((strcmp(as->name, "PATH") != 0 && !zpath) || ts_node_is_null(as->value))
        return;
    strbuf sh = STRBUF_INIT;
    assignment_shape(c->tree, as, &sh);
    const char *v = sh.data ? sh.data : "";
    uint32_t s = ts_node_start_byte(as->value), e = as->value_end;
    /* an append "PATH+=:dir" starts with ':' deliberately */
    size_t i = 0;
    if (as->append && v[0] == ':')
        i = 1;
    size_t start = i;
    bool reported = false;
    for (;; i++) {
        if (v[i] == ':' || v[i] == '\0') {
            size_t len = i - start;
            const char *entry = v + start;
            if (!reported && len == 0 && !(zpath)) {
                finding_add(c->out, "GE2002", SEV_WARNING, c->src, s, e,
                    "PATH gets an empty entry (%s): an empty entry means the current directory, "
                    "so commands are looked up wherever the shell happens to be",
                    start == 0 ? "a leading ':'" : v[i] == '\0' ? "a trailing ':'" : "'::'");
                reported = true;
            } else if (!reported && len > 0 && entry[0] != '/' && entry[0] != '~' && entry[0] != '\001') {
                /* relative: bin, ./bin, . */
                finding_add(c->out, "GE2002", SEV_WARNING, c->src, s, e,
                    "PATH gets the relative entry '%.*s': it is resolved against the current "
                    "directory, not your home", (int)len, entry);
                reported = true;
            }
            if (v[i] == '\0')
                break;
            start = i + 1;
        }
    }
    strbuf_release(&sh);
}

void rule_GE2002(file_check *c)
{
    assignments_each(c, path_entry_check);
}

/* ---- GE3001: a Go variable assigned but never exported ------------------ */

void rule_GE3001(file_check *c)
{
    shell_index *x = shell_index_get(c);
    if (x->allexport)
        return;
    /* per Go variable, not per pair of assignments: a file may hold 100,000 */
    bool exported[GE_ARRAY_LEN(go_variables)] = {0}, seen[GE_ARRAY_LEN(go_variables)] = {0};
    for (size_t k = 0; k < x->nexported; k++) {
        int v = go_variable_index(x->exported[k]);
        if (v >= 0)
            exported[v] = true;
    }
    for (size_t i = 0; i < x->n; i++) {
        assignment *as = &x->all[i];
        int v = go_variable_index(as->name);
        if (v < 0 || as->prefix || as->local)
            continue;
        bool first = !seen[v];
        seen[v] = true;
        if (as->exported || exported[v] || !first)
            continue;
        uint32_t s = ts_node_start_byte(as->node), e = ts_node_end_byte(as->node);
        finding *f = finding_add(c->out, "GE3001", SEV_WARNING, c->src, s, e,
            "%s is set but never exported in this file: the go command, run as a child "
            "process, does not see it", as->name);
        /* a plain top-level statement can simply gain "export " */
        TSNode parent = as->parent;
        if (shell_node_is(parent, "program") || shell_node_is(parent, "compound_statement") ||
            shell_node_is(parent, "if_statement") || shell_node_is(parent, "else_clause") ||
            shell_node_is(parent, "elif_clause") || shell_node_is(parent, "do_group")) {
            fix *fx = finding_set_fix(c->out, f, FIX_SAFE, "export %s where it is set", as->name);
            fix_add_edit(c->out, fx, c->src, s, s, "export ");
        }
    }
}

/* shell.c - shell files through tree-sitter: the grammar per dialect (zsh
 * files through tree-sitter-zsh, the rest through tree-sitter-bash), dialect
 * detection, parsing, walking. */
#include "parse/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const TSLanguage *tree_sitter_bash(void);
const TSLanguage *tree_sitter_zsh(void);

const TSLanguage *shell_language(void)
{
    return tree_sitter_bash();
}

const TSLanguage *shell_language_for(shell_dialect d)
{
    return d == SHELL_ZSH ? tree_sitter_zsh() : tree_sitter_bash();
}

shell_dialect shell_tree_dialect_of(TSNode n)
{
    return ts_node_language(n) == tree_sitter_zsh() ? SHELL_ZSH : SHELL_BASH;
}

static const char *const dialect_names[] = {"unknown", "sh", "bash", "zsh"};

const char *shell_dialect_name(shell_dialect d)
{
    return (unsigned)d < GE_ARRAY_LEN(dialect_names) ? dialect_names[d] : "unknown";
}

bool shell_dialect_parse(const char *name, shell_dialect *out)
{
    static const struct { const char *name; shell_dialect d; } table[] = {
        {"sh", SHELL_SH}, {"dash", SHELL_SH}, {"ash", SHELL_SH}, {"posix", SHELL_SH},
        {"ksh", SHELL_BASH}, {"bash", SHELL_BASH}, {"zsh", SHELL_ZSH},
    };
    for (size_t i = 0; i < GE_ARRAY_LEN(table); i++) {
        if (strcmp(name, table[i].name) == 0) {
            *out = table[i].d;
            return true;
        }
    }
    return false;
}

/* Value of "key=" in a comment like "# shellcheck shell=bash". */
static bool directive_shell(const char *line, size_t len, const char *tool, shell_dialect *out)
{
    char buf[256];
    if (len >= sizeof(buf))
        return false;
    memcpy(buf, line, len);
    buf[len] = '\0';
    char *p = buf;
    while (*p == ' ' || *p == '\t') p++;
    if (*p != '#') return false;
    p++;
    while (*p == ' ' || *p == '\t') p++;
    size_t tl = strlen(tool);
    if (strncmp(p, tool, tl) != 0 || (p[tl] != ' ' && p[tl] != '\t')) return false;
    char *s = strstr(p + tl, "shell=");
    if (!s) return false;
    s += 6;
    char *e = s;
    while (*e && *e != ' ' && *e != '\t' && *e != ',' && *e != '\r') e++;
    *e = '\0';
    return shell_dialect_parse(s, out);
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

shell_dialect shell_dialect_detect(const source_file *src, const char *path)
{
    shell_dialect d;
    /* 1. directives in the leading comment block */
    for (int line = 1; src && (size_t)line <= src->nlines && line <= 30; line++) {
        size_t len;
        const char *s = source_line(src, line, &len);
        size_t i = 0;
        while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
        if (i == len) continue;
        if (s[i] != '#') break;
        if (directive_shell(s, len, "golint-env", &d) || directive_shell(s, len, "shellcheck", &d))
            return d;
    }
    /* 2. shebang */
    if (src && src->len > 2 && src->data[0] == '#' && src->data[1] == '!') {
        size_t len;
        const char *s = source_line(src, 1, &len);
        char buf[256];
        if (len < sizeof(buf)) {
            memcpy(buf, s, len);
            buf[len] = '\0';
            char *tok = strtok(buf + 2, " \t");
            while (tok) {
                const char *b = base_name(tok);
                if (strcmp(b, "env") != 0 && b[0] != '-') {
                    if (shell_dialect_parse(b, &d))
                        return d;
                    break;
                }
                tok = strtok(NULL, " \t");
            }
        }
    }
    /* 3. the file name */
    const char *b = base_name(path);
    while (*b == '.' || *b == '_') b++; /* .zshrc, dot files from repos (zshrc) */
    if (str_starts_with(b, "dot_")) b += 4;
    static const char *const zsh_names[] = {"zshrc", "zshenv", "zprofile", "zlogin", "zlogout", "zpreztorc", "zimrc"};
    for (size_t i = 0; i < GE_ARRAY_LEN(zsh_names); i++)
        if (str_ends_with(b, zsh_names[i]) || (str_starts_with(b, zsh_names[i]) && b[strlen(zsh_names[i])] == '.'))
            return SHELL_ZSH; /* .zshrc, zshrc.local, zshrc.d.sh */
    if (str_ends_with(path, ".zsh") || str_ends_with(path, ".zsh-theme") || strstr(path, "/zsh/"))
        return SHELL_ZSH;
    static const char *const bash_names[] = {"bashrc", "bash_profile", "bash_login", "bash_logout", "bash_aliases", "bash.bashrc"};
    for (size_t i = 0; i < GE_ARRAY_LEN(bash_names); i++)
        if (str_ends_with(b, bash_names[i]))
            return SHELL_BASH;
    if (str_ends_with(path, ".bash") || strstr(path, "bash-completion") || strstr(path, "bash_completion"))
        return SHELL_BASH;
    if (str_ends_with(b, "profile") || strcmp(b, "environment.sh") == 0 || strstr(path, "profile.d/") || str_ends_with(path, ".sh"))
        return SHELL_SH;
    return SHELL_UNKNOWN;
}

static void errors_collect(shell_tree *t)
{
    TSNode top = ts_tree_root_node(t->tree);
    if (!ts_node_has_error(top))
        return;
    size_t cap = 0;
    TSTreeCursor cur = ts_tree_cursor_new(top);
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&cur);
        bool descend = true;
        if (ts_node_is_missing(n) || strcmp(ts_node_type(n), "ERROR") == 0) {
            if (t->nerrors == cap) {
                cap = cap ? cap * 2 : 8;
                t->errors = xrealloc(t->errors, cap * sizeof(shell_parse_error));
            }
            shell_parse_error *e = &t->errors[t->nerrors++];
            e->start = ts_node_start_byte(n);
            e->end = ts_node_end_byte(n);
            e->missing = ts_node_is_missing(n);
            descend = false;
        } else if (!ts_node_has_error(n)) {
            descend = false;
        }
        if (descend && ts_tree_cursor_goto_first_child(&cur))
            continue;
        while (!ts_tree_cursor_goto_next_sibling(&cur)) {
            if (!ts_tree_cursor_goto_parent(&cur)) {
                ts_tree_cursor_delete(&cur);
                return;
            }
        }
    }
}

/* Nodes and depth of the tree. The node count is kept by tree-sitter (O(1));
 * a tree can be no deeper than it has nodes, so only a tree with more nodes
 * than the depth budget is walked (one cursor pass, counting stops at the
 * budget): an ordinary file costs nothing here. */
static shell_budget tree_measure(TSNode top, size_t *measured)
{
    size_t total = ts_node_descendant_count(top);
    if (total > SHELL_MAX_NODES) {
        *measured = total;
        return SHELL_BUDGET_NODES;
    }
    if (total <= SHELL_MAX_DEPTH)
        return SHELL_BUDGET_OK;
    TSTreeCursor cur = ts_tree_cursor_new(top);
    size_t nodes = 1, depth = 0;
    shell_budget over = SHELL_BUDGET_OK;
    for (;;) {
        if (ts_tree_cursor_goto_first_child(&cur)) {
            nodes++;
            if (++depth > SHELL_MAX_DEPTH) {
                over = SHELL_BUDGET_DEPTH, *measured = depth;
                break;
            }
        } else {
            while (depth && !ts_tree_cursor_goto_next_sibling(&cur)) {
                ts_tree_cursor_goto_parent(&cur);
                depth--;
            }
            if (!depth)
                break;
            nodes++;
        }
        if (nodes > SHELL_MAX_NODES) {
            over = SHELL_BUDGET_NODES, *measured = nodes;
            break;
        }
    }
    ts_tree_cursor_delete(&cur);
    return over;
}

size_t shell_budget_limit(shell_budget b, const char **unit)
{
    switch (b) {
    case SHELL_BUDGET_BYTES: *unit = "bytes"; return SHELL_MAX_BYTES;
    case SHELL_BUDGET_PARSE: *unit = "bytes allocated by the parser"; return SHELL_MAX_PARSE_ALLOC;
    case SHELL_BUDGET_NODES: *unit = "nodes"; return SHELL_MAX_NODES;
    case SHELL_BUDGET_DEPTH: *unit = "levels of nesting"; return SHELL_MAX_DEPTH;
    default: *unit = ""; return 0;
    }
}

/* The parse budget: every allocation tree-sitter makes goes through these,
 * and while a parse runs on this thread its bytes are added up; past the
 * budget the parse's cancellation flag is raised, which the parser reads
 * every 100 actions. Bytes requested, not a clock: the same file stops at
 * the same point on every machine. Blocks carry no header, so memory from
 * any allocator tree-sitter used before is freed alike. */
typedef struct parse_meter {
    size_t allocated;
    size_t cancel; /* the parser's cancellation flag */
} parse_meter;

static _Thread_local parse_meter *meter;

static void meter_add(size_t n)
{
    parse_meter *m = meter;
    if (m && (m->allocated += n) > SHELL_MAX_PARSE_ALLOC)
        m->cancel = 1;
}

static void *meter_malloc(size_t n)
{
    meter_add(n);
    return xmalloc(n);
}

static void *meter_calloc(size_t n, size_t size)
{
    meter_add(n * size);
    return xcalloc(n, size);
}

static void *meter_realloc(void *p, size_t n)
{
    meter_add(n);
    return xrealloc(p, n);
}

/* Before main, so no tree-sitter object predates it. */
__attribute__((constructor)) static void meter_install(void)
{
    ts_set_allocator(meter_malloc, meter_calloc, meter_realloc, free);
}

shell_tree *shell_parse(const source_file *src, shell_dialect dialect)
{
    shell_tree *t = xcalloc(1, sizeof(*t));
    t->src = src;
    t->dialect = dialect;
    if (src->len > SHELL_MAX_BYTES) {
        t->over = SHELL_BUDGET_BYTES;
        t->measured = src->len;
        return t;
    }
    TSParser *p = ts_parser_new();
    if (!ts_parser_set_language(p, shell_language_for(dialect))) {
        ts_parser_delete(p);
        t->over = SHELL_BUDGET_PARSER;
        return t;
    }
    parse_meter m = {0};
    ts_parser_set_cancellation_flag(p, &m.cancel);
    meter = &m;
    t->tree = ts_parser_parse_string(p, NULL, src->data, (uint32_t)src->len);
    meter = NULL;
    ts_parser_delete(p);
    if (!t->tree) {
        t->over = m.cancel ? SHELL_BUDGET_PARSE : SHELL_BUDGET_PARSER;
        t->measured = m.allocated;
    } else if ((t->over = tree_measure(ts_tree_root_node(t->tree), &t->measured)) != SHELL_BUDGET_OK) {
        ts_tree_delete(t->tree);
        t->tree = NULL;
    } else {
        errors_collect(t);
    }
    return t;
}

void shell_tree_free(shell_tree *t)
{
    if (!t)
        return;
    if (t->tree)
        ts_tree_delete(t->tree);
    free(t->errors);
    free(t);
}

char *shell_node_text(arena *a, const shell_tree *t, TSNode n)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (e > t->src->len) e = (uint32_t)t->src->len;
    if (s > e) s = e;
    return a ? arena_strndup(a, t->src->data + s, e - s) : xstrndup(t->src->data + s, e - s);
}

bool shell_node_is(TSNode n, const char *type)
{
    return !ts_node_is_null(n) && strcmp(ts_node_type(n), type) == 0;
}

void shell_walk(TSNode top, shell_visit_fn fn, void *ud)
{
    TSTreeCursor cur = ts_tree_cursor_new(top);
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&cur);
        bool descend = fn(n, ud);
        if (descend && ts_tree_cursor_goto_first_child(&cur))
            continue;
        for (;;) {
            if (ts_node_eq(ts_tree_cursor_current_node(&cur), top)) {
                ts_tree_cursor_delete(&cur);
                return;
            }
            if (ts_tree_cursor_goto_next_sibling(&cur))
                break;
            if (!ts_tree_cursor_goto_parent(&cur)) {
                ts_tree_cursor_delete(&cur);
                return;
            }
        }
    }
}

/*
 * cgconfig.c - libcgroup's cgconfig.conf / cgconfig.d (blocks: mount,
 * group NAME, template NAME, default, namespace; controller blocks hold
 * "key = value;") and cgrules.conf ("user[:process] controllers destination").
 * The block parser keeps an explicit stack, so nesting depth is bounded and
 * never recursive. cgconfigparser refuses a whole file on the first syntax
 * error, so parsing stops there too.
 */
#include "parse/parse.h"

#include <string.h>

#include "parse/lines.h"

#define CG_MAX_DEPTH 4

typedef enum cg_tok_kind { CT_EOF, CT_WORD, CT_STRING, CT_LBRACE, CT_RBRACE, CT_EQ, CT_SEMI } cg_tok_kind;

typedef struct cg_tok {
    cg_tok_kind kind;
    size_t start, end;   /* bytes in the file (quotes included) */
    const char *text;    /* WORD / STRING content */
} cg_tok;

typedef struct cg_lexer {
    arena *a;
    const char *d;
    size_t len, pos;
    bool bad;             /* an unterminated string was met */
    size_t bad_start, bad_end;
} cg_lexer;

static cg_tok cg_next(cg_lexer *lx)
{
    cg_tok t = {CT_EOF, lx->len, lx->len, NULL};
    const char *d = lx->d;
    for (;;) {
        while (lx->pos < lx->len && (lines_blank(d[lx->pos]) || d[lx->pos] == '\n'))
            lx->pos++;
        if (lx->pos < lx->len && d[lx->pos] == '#') {
            while (lx->pos < lx->len && d[lx->pos] != '\n')
                lx->pos++;
            continue;
        }
        break;
    }
    if (lx->pos >= lx->len)
        return t;
    size_t s = lx->pos;
    t.start = s;
    char ch = d[s];
    if (ch == '{' || ch == '}' || ch == '=' || ch == ';') {
        lx->pos++;
        t.end = lx->pos;
        t.kind = ch == '{' ? CT_LBRACE : ch == '}' ? CT_RBRACE : ch == '=' ? CT_EQ : CT_SEMI;
        return t;
    }
    if (ch == '"') {
        size_t i = s + 1;
        while (i < lx->len && d[i] != '"' && d[i] != '\n')
            i++;
        if (i >= lx->len || d[i] != '"') {
            /* unterminated: reported by the parser in place of what it expected */
            lx->bad = true;
            lx->bad_start = s;
            lx->bad_end = i;
            lx->pos = lx->len;
            t.start = t.end = lx->len;
            return t;
        }
        t.kind = CT_STRING;
        t.text = arena_strndup(lx->a, d + s + 1, i - s - 1);
        lx->pos = i + 1;
        t.end = lx->pos;
        return t;
    }
    size_t i = s;
    while (i < lx->len && !lines_blank(d[i]) && d[i] != '\n' && !strchr("{}=;\"#", d[i]))
        i++;
    t.kind = CT_WORD;
    t.text = arena_strndup(lx->a, d + s, i - s);
    lx->pos = i;
    t.end = i;
    return t;
}

static const char *tok_name(cg_tok_kind k)
{
    static const char *const n[] = {"end of file", "word", "string", "'{'", "'}'", "'='", "';'"};
    return n[k];
}

static int line_of(const source_file *src, size_t off)
{
    int line, col;
    source_position(src, off, &line, &col);
    return line;
}

/* A syntax error; an unterminated string met on the way explains it better. */
static void cg_error(arena *a, problem_list *pl, const cg_lexer *lx, size_t start, size_t end,
                     const char *msg)
{
    if (lx->bad)
        lines_problem(a, pl, lx->bad_start, lx->bad_end, "unterminated string");
    else
        lines_problem(a, pl, start, end, "%s", msg);
}

cgconfig_file *cgconfig_parse(arena *a, const source_file *src)
{
    cgconfig_file *cf = arena_alloc(a, sizeof(*cf));
    cf->src = src;
    problem_list pl = {0};
    size_t cap_groups = 0, cap_mounts = 0, cap_params = 0;
    cg_lexer lx = {.a = a, .d = src->data, .len = src->len};
    /* block stack: [0] statement (group/template/mount/...), [1] controller or perm, [2] task/admin */
    const char *stack[CG_MAX_DEPTH];
    int depth = 0;
    cg_group *group = NULL;
    for (;;) {
        cg_tok t = cg_next(&lx);
        if (t.kind == CT_EOF) {
            if (lx.bad) {
                cg_error(a, &pl, &lx, t.start, t.end, "unterminated string");
            } else if (depth > 0) {
                cg_error(a, &pl, &lx, src->len, src->len, arena_printf(a, "the file ends inside a '%s' block: a '}' is missing",
                              stack[0]));
            }
            break;
        }
        if (t.kind == CT_RBRACE) {
            if (depth == 0) {
                cg_error(a, &pl, &lx, t.start, t.end, arena_printf(a, "'}' without a matching '{'"));
                break;
            }
            if (--depth == 0)
                group = NULL;
            continue;
        }
        if (t.kind != CT_WORD && t.kind != CT_STRING) {
            cg_error(a, &pl, &lx, t.start, t.end, arena_printf(a, "unexpected %s", tok_name(t.kind)));
            break;
        }
        cg_tok t2 = cg_next(&lx);
        if (t2.kind == CT_EQ) {
            /* key = value ; */
            cg_tok v = cg_next(&lx);
            if (v.kind != CT_WORD && v.kind != CT_STRING) {
                cg_error(a, &pl, &lx, t.start, v.end, arena_printf(a, "'%s =' needs a value", t.text));
                break;
            }
            /* values may be several words: "cpu.max = 50000 100000;" is not allowed unquoted,
             * libcgroup wants quotes; accept one token */
            cg_tok semi = cg_next(&lx);
            if (semi.kind != CT_SEMI) {
                cg_error(a, &pl, &lx, v.start, semi.end, arena_printf(a, "missing ';' after '%s = %s'", t.text, v.text));
                break;
            }
            if (depth == 0) {
                cg_error(a, &pl, &lx, t.start, semi.end, arena_printf(a, "assignment '%s' outside of any block", t.text));
                break;
            }
            if (strcmp(stack[0], "mount") == 0 || strcmp(stack[0], "namespace") == 0) {
                cg_param *m = LINES_PUSH(a, cf->mounts, cf->nmounts, cap_mounts);
                m->controller = t.text;
                m->key = t.text;
                m->value = v.text;
                m->start = t.start;
                m->end = semi.end;
                m->value_start = v.start;
                m->value_end = v.end;
                m->line = line_of(src, t.start);
            } else if (group && depth == 2 && strcmp(stack[1], "perm") != 0) {
                if (group->nparams == 0)
                    cap_params = 0;
                cg_param *p = LINES_PUSH(a, group->params, group->nparams, cap_params);
                p->controller = stack[1];
                p->key = t.text;
                p->value = v.text;
                p->start = t.start;
                p->end = semi.end;
                p->value_start = v.start;
                p->value_end = v.end;
                p->line = line_of(src, t.start);
            }
            continue;
        }
        /* a block: KEYWORD [NAME] { */
        const char *kw = t.text, *name = NULL;
        size_t name_end = t.end;
        if (t2.kind == CT_WORD || t2.kind == CT_STRING) {
            name = t2.text;
            name_end = t2.end;
            t2 = cg_next(&lx);
        }
        if (t2.kind != CT_LBRACE) {
            cg_error(a, &pl, &lx, t.start, t2.end > t.start ? t2.end : name_end, arena_printf(a, "expected '{' or '=' after '%s', found %s", kw, tok_name(t2.kind)));
            break;
        }
        if (depth >= CG_MAX_DEPTH) {
            cg_error(a, &pl, &lx, t.start, t2.end, arena_printf(a, "blocks nested too deep"));
            break;
        }
        if (depth == 0) {
            bool named = strcmp(kw, "group") == 0 || strcmp(kw, "template") == 0;
            bool bare = strcmp(kw, "mount") == 0 || strcmp(kw, "default") == 0 ||
                        strcmp(kw, "namespace") == 0;
            if (!named && !bare) {
                cg_error(a, &pl, &lx, t.start, t.end, arena_printf(a, "unknown block '%s' (group, template, mount, default or namespace)", kw));
                break;
            }
            if (named && !name) {
                cg_error(a, &pl, &lx, t.start, t2.end, arena_printf(a, "'%s' needs a name: %s NAME { ... }", kw, kw));
                break;
            }
            if (named) {
                group = LINES_PUSH(a, cf->groups, cf->ngroups, cap_groups);
                group->name = name;
                group->is_template = kw[0] == 't';
                group->start = t.start;
                group->end = name_end;
                group->line = line_of(src, t.start);
            }
        } else if (name) {
            cg_error(a, &pl, &lx, t.start, name_end, arena_printf(a, "unexpected name after '%s' inside a block", kw));
            break;
        }
        stack[depth++] = kw;
    }
    cf->problems = pl.items;
    cf->nproblems = pl.n;
    return cf;
}

bool cgconfig_is_rules_file(const source_file *src)
{
    const char *b = strrchr(src->path, '/');
    b = b ? b + 1 : src->path;
    if (strcmp(b, "cgrules.conf") == 0 || str_ends_with(src->path, "cgrules.d/") ||
        strstr(src->path, "cgrules.d/"))
        return true;
    if (strcmp(b, "cgconfig.conf") == 0 || strstr(src->path, "cgconfig.d/"))
        return false;
    return memchr(src->data, '{', src->len) == NULL;
}

cgrules_file *cgrules_parse(arena *a, const source_file *src)
{
    cgrules_file *rf = arena_alloc(a, sizeof(*rf));
    rf->src = src;
    problem_list pl = {0};
    size_t cap = 0;
    line_cursor c = {.data = src->data, .len = src->len};
    const char *d = src->data;
    size_t s, e;
    while (lines_next(&c, &s, &e)) {
        const char *hash = memchr(d + s, '#', e - s);
        size_t le = hash ? (size_t)(hash - d) : e;
        size_t fs[5], fe[5], nf = 0, i = s;
        while (i < le) {
            while (i < le && lines_blank(d[i]))
                i++;
            if (i >= le)
                break;
            size_t st = i;
            while (i < le && !lines_blank(d[i]))
                i++;
            if (nf < 5) {
                fs[nf] = st;
                fe[nf] = i;
            }
            nf++;
        }
        if (nf == 0)
            continue;
        if (nf < 3) {
            lines_problem(a, &pl, fs[0], fe[nf - 1],
                          "needs three fields (user[:process] controllers destination), found %zu", nf);
            continue;
        }
        cgrule *r = LINES_PUSH(a, rf->rules, rf->nrules, cap);
        const char *colon = memchr(d + fs[0], ':', fe[0] - fs[0]);
        if (colon) {
            r->user = arena_strndup(a, d + fs[0], (size_t)(colon - d) - fs[0]);
            r->process = arena_strndup(a, colon + 1, fe[0] - (size_t)(colon - d) - 1);
        } else {
            r->user = arena_strndup(a, d + fs[0], fe[0] - fs[0]);
            r->process = NULL;
        }
        r->controllers = arena_strndup(a, d + fs[1], fe[1] - fs[1]);
        r->destination = arena_strndup(a, d + fs[2], fe[2] - fs[2]);
        r->dest_start = fs[2];
        r->dest_end = fe[2];
        r->start = fs[0];
        r->end = fe[nf < 5 ? nf - 1 : 4];
        r->line = c.line;
        if (nf > 4)
            lines_problem(a, &pl, fs[4], r->end, "more than four fields: the rest is ignored");
        else if (nf == 4 && strcmp(arena_strndup(a, d + fs[3], fe[3] - fs[3]), "ignore") != 0)
            lines_problem(a, &pl, fs[3], fe[3], "unknown option (only 'ignore' is understood)");
    }
    rf->problems = pl.items;
    rf->nproblems = pl.n;
    return rf;
}

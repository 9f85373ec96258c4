/*
 * chain.c - the startup-chain rules (GE2101-GE2199): findings only a
 * simulation of every context can see. Each rule is one function over a
 * sim_result, listed in chain_rules[]; a finding seen in several contexts
 * is reported once and carries all of them.
 */
#include "rules/rules.h"
#include "sim/sim.h"

#include <stdlib.h>
#include <string.h>

typedef struct chain_check_ctx {
    const sim_result *r;
    finding_list *out;
    arena *a; /* scratch for the run */
    /* findings already made, by key, to add contexts instead of repeating */
    struct seen { const char *key; finding *f; } *seen;
    size_t nseen, capseen;
} chain_check_ctx;

static severity rule_sev(const char *id, severity fallback)
{
    const rule_registry *reg = registry_global();
    const rule_info *ri = reg ? registry_find(reg, id) : NULL;
    return ri ? ri->sev : fallback;
}

static finding *seen_get(chain_check_ctx *c, const char *key)
{
    for (size_t i = 0; i < c->nseen; i++)
        if (strcmp(c->seen[i].key, key) == 0)
            return c->seen[i].f;
    return NULL;
}

static void seen_put(chain_check_ctx *c, const char *key, finding *f)
{
    if (c->nseen == c->capseen) {
        size_t nc = c->capseen ? c->capseen * 2 : 32;
        c->seen = arena_grow(c->a, c->seen, c->capseen, nc, sizeof(*c->seen));
        c->capseen = nc;
    }
    c->seen[c->nseen].key = arena_strdup(c->a, key);
    c->seen[c->nseen].f = f;
    c->nseen++;
}

/* A finding at loc, or NULL when loc names no line a person can open. */
static finding *add_at(chain_check_ctx *c, const char *rule, severity fallback, const sim_loc *at,
                       const char *msg)
{
    severity sev = rule_sev(rule, fallback);
    if (at->src && at->end >= at->start && at->end <= at->src->len && (at->end > at->start || at->line > 0)) {
        size_t s = at->start, e = at->end;
        if (e == s) {
            size_t ls, le;
            if (sim_loc_line_range(at, &ls, &le)) { s = ls; e = le; }
        }
        /* one line is enough: the statement may span several */
        const char *nl = memchr(at->src->data + s, '\n', e - s);
        if (nl) e = (size_t)(nl - at->src->data);
        return finding_add(c->out, rule, sev, at->src, s, e, "%s", msg);
    }
    if (at->file && at->line > 0)
        return finding_add_at(c->out, rule, sev, at->file, at->line, 1, at->line, 1, "%s", msg);
    return NULL;
}

/* Report once per key; later contexts are added to the same finding. */
static finding *report(chain_check_ctx *c, const char *key, const char *rule, severity fallback,
                       const sim_loc *at, const sim_context *ctx, const char *msg)
{
    finding *f = seen_get(c, key);
    if (!f) {
        f = add_at(c, rule, fallback, at, msg);
        if (!f) return NULL;
        seen_put(c, key, f);
    }
    finding_add_context(c->out, f, ctx->name);
    return f;
}

/* report() for evidence that may be wrong in ctx (a value the simulator
 * could not follow): info only, until a context where it is certain. */
static finding *report_soft(chain_check_ctx *c, const char *key, const char *rule,
                            severity fallback, const sim_loc *at, const sim_context *ctx,
                            const char *msg, bool unsure)
{
    bool is_new = !seen_get(c, key);
    finding *f = report(c, key, rule, fallback, at, ctx, msg);
    if (f && unsure && is_new)
        f->sev = SEV_INFO;
    else if (f && !unsure && f->sev == SEV_INFO)
        f->sev = rule_sev(rule, fallback);
    return f;
}

static const char *loc_str(chain_check_ctx *c, const sim_loc *at)
{
    if (!at->file) return "a built-in default";
    if (at->line > 0) return arena_printf(c->a, "%s:%d", at->file, at->line);
    return at->file;
}

static bool has_entry(const path_entry *e, size_t n, const char *value)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(e[i].value, value) == 0)
            return true;
    return false;
}


/* ---- fixes ------------------------------------------------------------------ */

static const shell_tree *tree_of(const sim_result *r, const source_file *src)
{
    for (size_t i = 0; src && i < r->ntrees; i++)
        if (r->trees[i]->src == src)
            return r->trees[i];
    return NULL;
}

/* Does [s, e) hold a '"', '\'' or '`'? */
static bool has_quote(const char *d, size_t s, size_t e)
{
    for (size_t i = s; i < e; i++)
        if (d[i] == '"' || d[i] == '\'' || d[i] == '`')
            return true;
    return false;
}

/* GE2101: PATH=X -> PATH="$PATH:X", safe unless X is a whole base list
 * (unsafe) or the file is a system one under /etc, whose reset may be the
 * chain's base (shown only). */
static void fix_path_overwrite(chain_check_ctx *c, finding *f, const sim_loc *at)
{
    size_t vs, ve;
    if (!f || f->fix || !at->src || !shell_assign_value(at->src, at->start, at->end, "PATH", &vs, &ve) ||
        ve <= vs)
        return;
    const char *d = at->src->data;
    const char *repl;
    if (ve - vs >= 2 && d[vs] == '"' && d[ve - 1] == '"' && !has_quote(d, vs + 1, ve - 1))
        repl = arena_printf(c->a, "\"$PATH:%.*s\"", (int)(ve - vs - 2), d + vs + 1);
    else if (ve - vs >= 2 && d[vs] == '\'' && d[ve - 1] == '\'' && !has_quote(d, vs + 1, ve - 1))
        repl = arena_printf(c->a, "\"$PATH\":'%.*s'", (int)(ve - vs - 2), d + vs + 1);
    else if (!has_quote(d, vs, ve))
        repl = arena_printf(c->a, "\"$PATH:%.*s\"", (int)(ve - vs), d + vs);
    else
        return;
    char *val = arena_strndup(c->a, d + vs, ve - vs);
    bool full = strstr(val, "/usr/bin") && (strstr(val, ":/bin") || strstr(val, "/sbin"));
    bool system = str_starts_with(at->src->path, "/etc/");
    fix *fx = finding_set_fix(c->out, f, system ? FIX_DISPLAY : full ? FIX_UNSAFE : FIX_SAFE,
                              "keep the entries set before: build on $PATH instead of replacing it");
    fix_add_edit(c->out, fx, at->src, vs, ve, repl);
}

static const env_op *op_at(const env_var *v, const sim_loc *at)
{
    for (size_t h = 0; h < v->nhistory; h++)
        if (v->history[h].at.src == at->src && v->history[h].at.start == at->start)
            return &v->history[h];
    return NULL;
}

/* GE2102: an append of one directory already on PATH. An exact repeat of an
 * earlier top-level line of the same file goes; otherwise the append is
 * guarded so it adds the directory only once. Both are safe: an append of a
 * directory that is already on PATH changes no lookup. */
static void fix_dup_entry(chain_check_ctx *c, finding *f, const env_var *v, const path_entry *first,
                          const path_entry *e)
{
    const sim_loc *at = &e->at;
    const env_op *op = op_at(v, at);
    size_t vs, ve;
    if (!f || f->fix || !op || op->op != ENV_OP_APPEND || !at->src ||
        !src_line_only(at->src, at->start, at->end) ||
        !shell_assign_value(at->src, at->start, at->end, "PATH", &vs, &ve))
        return;
    const char *d = at->src->data;
    size_t a = vs, b = ve;
    if (b - a >= 2 && d[a] == '"' && d[b - 1] == '"') {
        a++;
        b--;
    }
    if (has_quote(d, a, b))
        return;
    static const char *const pre[] = {"$PATH:", "${PATH}:"};
    size_t xs = 0;
    for (size_t i = 0; i < GE_ARRAY_LEN(pre) && !xs; i++)
        if (b - a > strlen(pre[i]) && strncmp(d + a, pre[i], strlen(pre[i])) == 0)
            xs = a + strlen(pre[i]);
    if (!xs || memchr(d + xs, ':', b - xs) || memchr(d + xs, '*', b - xs) ||
        memchr(d + xs, '?', b - xs) || memchr(d + xs, '[', b - xs))
        return; /* more than one directory, or glob characters in the pattern */
    const sim_loc *fa = &first->at;
    const shell_tree *t = tree_of(c->r, at->src);
    size_t ts, te, ls1, le1, ls2, le2;
    if (fa->src == at->src && fa->start < at->start && fa->line != at->line && t &&
        shell_toplevel_range(t, fa->start, &ts, &te) && src_line_only(at->src, ts, te) &&
        shell_toplevel_range(t, at->start, &ts, &te) && src_line_only(at->src, ts, te)) {
        src_line_span(at->src, fa->start, &ls1, &le1);
        src_line_span(at->src, at->start, &ls2, &le2);
        size_t n1 = le1 - ls1, n2 = le2 - ls2;
        while (n1 && (d[ls1 + n1 - 1] == '\n' || d[ls1 + n1 - 1] == '\r')) n1--;
        while (n2 && (d[ls2 + n2 - 1] == '\n' || d[ls2 + n2 - 1] == '\r')) n2--;
        if (n1 == n2 && memcmp(d + ls1, d + ls2, n1) == 0) {
            fix *fx = finding_set_fix(c->out, f, FIX_SAFE, "remove the repeated line (line %d adds %s already)",
                                      fa->line, e->value);
            fix_edit_delete_line(c->out, fx, at->src, at->start);
            return;
        }
    }
    const char *repl = arena_printf(c->a, "case \":$PATH:\" in *:\"%.*s\":*) ;; *) %.*s;; esac",
                                    (int)(b - xs), d + xs, (int)(at->end - at->start), d + at->start);
    fix *fx = finding_set_fix(c->out, f, FIX_SAFE, "add %s only when PATH lacks it", e->value);
    fix_add_edit(c->out, fx, at->src, at->start, at->end, repl);
}

/* GE2103: ~/.profile shadowed by ~/.bash_profile or ~/.bash_login: source it
 * from there, first, so that file's own lines still win. Unsafe: ~/.profile
 * then runs in login shells, with whatever else it does. */
static void fix_shadowed_profile(chain_check_ctx *c, finding *f, const sim_event *e)
{
    if (!f || f->fix || !e->file || !str_ends_with(e->file, "/.profile"))
        return;
    const source_file *by = e->other.src;
    if (!by && e->other.file)
        by = source_set_find(&c->r->sources, e->other.file);
    if (!by || by->binary || !(str_ends_with(by->path, "/.bash_profile") || str_ends_with(by->path, "/.bash_login")))
        return;
    const char *name = strrchr(by->path, '/') + 1;
    fix *fx = finding_set_fix(c->out, f, FIX_UNSAFE, "read ~/.profile from ~/%s", name);
    fix_add_edit(c->out, fx, by, 0, 0, "[ -f \"$HOME/.profile\" ] && . \"$HOME/.profile\"\n");
}

/* Does the line use variables other than HOME, PATH, USER and name itself? */
static bool uses_other_vars(const char *s, size_t n, const char *name)
{
    static const char *const ok[] = {"HOME", "PATH", "USER"};
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '$')
            continue;
        size_t k = i + 1;
        if (k < n && s[k] == '{')
            k++;
        size_t ws = k;
        while (k < n && (s[k] == '_' || (s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= 'a' && s[k] <= 'z') ||
                         (k > ws && s[k] >= '0' && s[k] <= '9')))
            k++;
        size_t wl = k - ws;
        bool known = wl == strlen(name) && strncmp(s + ws, name, wl) == 0;
        for (size_t j = 0; j < GE_ARRAY_LEN(ok) && !known; j++)
            known = wl == strlen(ok[j]) && strncmp(s + ws, ok[j], wl) == 0;
        if (!known)
            return true;
    }
    return false;
}

/* GE2104: move the line above the guard. Unsafe when the line is a top-level
 * one-line assignment built from $HOME/$PATH/literals only; otherwise the
 * same edits are only displayed (what lies between may matter). */
static void fix_move_above_guard(chain_check_ctx *c, finding *f, const sim_event *e)
{
    const source_file *src = e->at.src;
    if (!f || f->fix || !src || e->other.src != src)
        return;
    const shell_tree *t = tree_of(c->r, src);
    size_t ts, te, gs, ge;
    if (!t || !shell_toplevel_range(t, e->at.start, &ts, &te) || !src_line_only(src, ts, te) ||
        !shell_toplevel_range(t, e->other.start, &gs, &ge) || gs >= ts)
        return;
    size_t ls, le;
    src_line_span(src, ts, &ls, &le);
    const char *line = src->data + ls;
    size_t n = le - ls;
    const char *text = n && line[n - 1] == '\n' ? arena_strndup(c->a, line, n)
                                                : arena_printf(c->a, "%.*s\n", (int)n, line);
    bool plain = shell_assign_only(src, ts, te, e->name) && !uses_other_vars(line, n, e->name);
    fix *fx = finding_set_fix(c->out, f, plain ? FIX_UNSAFE : FIX_DISPLAY,
                              "move the line above the early return at line %d", e->other.line);
    fix_edit_insert_line(c->out, fx, src, gs, text);
    fix_edit_delete_line(c->out, fx, src, ts);
}

/* GE2101: PATH overwritten later in the chain, losing entries set earlier. */
static void rule_GE2101(chain_check_ctx *c)
{
    for (size_t k = 0; k < c->r->ncontexts; k++) {
        const sim_context *ctx = &c->r->contexts[k];
        const env_var *v = sim_lookup(ctx, "PATH");
        if (!v) continue;
        for (size_t i = 1; i < v->nhistory; i++) {
            const env_op *op = &v->history[i];
            if (op->op != ENV_OP_ASSIGN || !op->certain || !op->at.src || !op->value)
                continue;
            const env_op *prev = NULL;
            for (size_t j = i; j > 0 && !prev; j--)
                if (v->history[j - 1].entries) prev = &v->history[j - 1];
            if (!prev) continue;
            strbuf lost = STRBUF_INIT;
            size_t nlost = 0;
            for (size_t e = 0; e < prev->nentries; e++) {
                const path_entry *pe = &prev->entries[e];
                if (!*pe->value || pe->at.line <= 0 || has_entry(op->entries, op->nentries, pe->value))
                    continue;
                bool dup = false;
                for (size_t q = 0; q < e && !dup; q++)
                    dup = strcmp(prev->entries[q].value, pe->value) == 0;
                if (dup) continue;
                if (nlost < 4)
                    strbuf_addf(&lost, "%s%s (%s)", nlost ? ", " : "", pe->value, loc_str(c, &pe->at));
                nlost++;
            }
            if (nlost) {
                if (nlost > 4) strbuf_addf(&lost, " and %zu more", nlost - 4);
                const char *msg = arena_printf(c->a, "PATH is overwritten here, losing %s", lost.data);
                const char *key = arena_printf(c->a, "GE2101 %s %zu %s", op->at.file, op->at.start, msg);
                finding *f = report(c, key, "GE2101", SEV_WARNING, &op->at, ctx, msg);
                fix_path_overwrite(c, f, &op->at);
            }
            strbuf_release(&lost);
        }
    }
}

/* GE2102: a PATH entry the chain adds twice. */
static void rule_GE2102(chain_check_ctx *c)
{
    for (size_t k = 0; k < c->r->ncontexts; k++) {
        const sim_context *ctx = &c->r->contexts[k];
        const env_var *v = sim_lookup(ctx, "PATH");
        if (!v || !v->value) continue;
        for (size_t j = 1; j < v->nentries; j++) {
            const path_entry *e = &v->entries[j];
            if (!*e->value || e->at.line <= 0) continue;
            const path_entry *first = NULL;
            for (size_t i = 0; i < j && !first; i++)
                if (strcmp(v->entries[i].value, e->value) == 0) first = &v->entries[i];
            if (!first) continue;
            const char *msg;
            if (first->at.file && e->at.file && strcmp(first->at.file, e->at.file) == 0 &&
                first->at.line == e->at.line)
                msg = arena_printf(c->a, "PATH entry %s is added a second time by this line (its file is read twice)", e->value);
            else
                msg = arena_printf(c->a, "PATH entry %s is added again here; it is already in PATH from %s",
                                   e->value, loc_str(c, &first->at));
            const char *key = arena_printf(c->a, "GE2102 %s %zu %s", e->at.file, e->at.start, e->value);
            finding *f = report(c, key, "GE2102", SEV_INFO, &e->at, ctx, msg);
            fix_dup_entry(c, f, v, first, e);
        }
    }
}

/* GE2103: a startup file meant to be read that a context never reads. */
static void rule_GE2103(chain_check_ctx *c)
{
    for (size_t k = 0; k < c->r->ncontexts; k++) {
        const sim_context *ctx = &c->r->contexts[k];
        for (size_t i = 0; i < ctx->nevents; i++) {
            const sim_event *e = &ctx->events[i];
            if (e->kind != SIM_EV_SHADOWED) continue;
            const char *msg = arena_printf(c->a, "%s is never read by this shell in these contexts: %s",
                                           e->file, e->detail ? e->detail : "another file shadows it");
            const char *key = arena_printf(c->a, "GE2103 %s", e->file);
            finding *f = report(c, key, "GE2103", SEV_WARNING, &e->at, ctx, msg);
            fix_shadowed_profile(c, f, e);
        }
    }
}

/* GE2104: variables set after an early-return guard never reach the
 * contexts where the guard returns. */
static void rule_GE2104(chain_check_ctx *c)
{
    const sim_result *r = c->r;
    for (size_t k = 0; k < r->ncontexts; k++) {
        const sim_context *ctx = &r->contexts[k];
        for (size_t i = 0; i < ctx->nevents; i++) {
            const sim_event *e = &ctx->events[i];
            if (e->kind != SIM_EV_SKIPPED_SET || !e->name) continue;
            const env_var *here = sim_lookup(ctx, e->name);
            /* a context where the line did run and the value reached the environment */
            const env_var *there = NULL;
            for (size_t o = 0; o < r->ncontexts && !there; o++) {
                if (o == k) continue;
                const env_var *ov = sim_lookup(&r->contexts[o], e->name);
                if (!ov || !ov->exported || !ov->value) continue;
                for (size_t h = 0; h < ov->nhistory; h++) {
                    const env_op *op = &ov->history[h];
                    if (op->at.file && e->at.file && strcmp(op->at.file, e->at.file) == 0 &&
                        op->at.line == e->at.line)
                        there = ov;
                }
            }
            bool missing;
            if (there)
                missing = !here || !here->value || !here->exported || strcmp(here->value, there->value) != 0;
            else
                missing = (!here || !here->value) && e->detail && strcmp(e->detail, "exported") == 0;
            if (!missing) continue;
            bool unsure = sim_value_unsure(ctx, here);
            const char *key = arena_printf(c->a, "GE2104 %s %zu %s", e->at.file, e->at.start, e->name);
            const char *msg = arena_printf(c->a, "%s is set after the early return at %s, so contexts where that return is taken never get it%s",
                                           e->name, loc_str(c, &e->other),
                                           unsure ? sim_approx_note(r, ctx) : "");
            finding *f = report_soft(c, key, "GE2104", SEV_WARNING, &e->at, ctx, msg, unsure);
            fix_move_above_guard(c, f, e);
        }
    }
}

static bool is_go_var(const char *name)
{
    return (str_starts_with(name, "GO") && name[2] >= 'A' && name[2] <= 'Z') ||
           str_starts_with(name, "CGO_") || strcmp(name, "GO111MODULE") == 0;
}

/* GE2105: an exported Go variable whose value differs between contexts. */
static void rule_GE2105(chain_check_ctx *c)
{
    const sim_result *r = c->r;
    /* every Go variable name seen in any context */
    for (size_t k = 0; k < r->ncontexts; k++) {
        const sim_context *ctx = &r->contexts[k];
        for (size_t i = 0; i < ctx->nvars; i++) {
            const env_var *v = &ctx->vars[i];
            if (!is_go_var(v->name) || !v->exported || !v->value) continue;
            /* handle each name once: at its first context */
            bool earlier = false;
            for (size_t p = 0; p < k && !earlier; p++) {
                const env_var *pv = sim_lookup(&r->contexts[p], v->name);
                earlier = pv && pv->exported && pv->value;
            }
            if (earlier) continue;
            /* distinct values, with their contexts */
            const char *vals[16];
            const sim_loc *where[16];
            strbuf ctxs[16];
            size_t nv = 0;
            bool unsure = false; /* a value the simulator could not follow: not a real difference */
            for (size_t o = k; o < r->ncontexts; o++) {
                const env_var *ov = sim_lookup(&r->contexts[o], v->name);
                if (!ov || !ov->exported || !ov->value) continue;
                unsure = unsure || sim_value_unsure(&r->contexts[o], ov);
                size_t q = 0;
                while (q < nv && strcmp(vals[q], ov->value) != 0) q++;
                if (q == nv) {
                    if (nv == GE_ARRAY_LEN(vals)) continue;
                    vals[nv] = ov->value;
                    where[nv] = &ov->at;
                    ctxs[nv] = (strbuf)STRBUF_INIT;
                    nv++;
                }
                strbuf_addf(&ctxs[q], "%s%s", ctxs[q].len ? ", " : "", r->contexts[o].name);
            }
            if (nv > 1) {
                for (size_t q = 0; q < nv; q++) {
                    strbuf others = STRBUF_INIT;
                    for (size_t z = 0; z < nv; z++) {
                        if (z == q) continue;
                        strbuf_addf(&others, "%s%s in %s (%s)", others.len ? "; " : "", vals[z],
                                    ctxs[z].data, loc_str(c, where[z]));
                    }
                    const char *msg = arena_printf(c->a, "%s is %s here (%s) but %s", v->name, vals[q],
                                                   ctxs[q].data, others.data);
                    const char *key = arena_printf(c->a, "GE2105 %s %s", v->name, vals[q]);
                    for (size_t o = k; o < r->ncontexts; o++) {
                        const env_var *ov = sim_lookup(&r->contexts[o], v->name);
                        if (ov && ov->exported && ov->value && strcmp(ov->value, vals[q]) == 0)
                            report_soft(c, key, "GE2105", SEV_WARNING, where[q], &r->contexts[o],
                                        msg, unsure);
                    }
                    strbuf_release(&others);
                }
            }
            for (size_t q = 0; q < nv; q++)
                strbuf_release(&ctxs[q]);
        }
    }
}

/* GE2106 and GE2107: source of a missing file; a sourcing cycle. */
static void rule_source_events(chain_check_ctx *c, sim_event_kind kind, const char *rule, severity sev)
{
    for (size_t k = 0; k < c->r->ncontexts; k++) {
        const sim_context *ctx = &c->r->contexts[k];
        for (size_t i = 0; i < ctx->nevents; i++) {
            const sim_event *e = &ctx->events[i];
            if (e->kind != kind) continue;
            const char *msg = kind == SIM_EV_SOURCE_MISSING
                ? arena_printf(c->a, "sources %s, which does not exist", e->file)
                : arena_printf(c->a, "sourcing cycle %s: followed once, then stopped", e->detail);
            if (e->uncertain)
                msg = arena_printf(c->a, "%s, if this line runs (it is on a path golint-env could not decide)", msg);
            const char *key = arena_printf(c->a, "%s %s %zu%s", rule, e->at.file, e->at.start,
                                           e->uncertain ? " unsure" : "");
            report_soft(c, key, rule, sev, &e->at, ctx, msg, e->uncertain);
        }
    }
}

static void rule_GE2106(chain_check_ctx *c)
{
    rule_source_events(c, SIM_EV_SOURCE_MISSING, "GE2106", SEV_ERROR);
}

static void rule_GE2107(chain_check_ctx *c)
{
    rule_source_events(c, SIM_EV_SOURCE_CYCLE, "GE2107", SEV_WARNING);
}

/* GE2108: the simulator stopped following the chain at a bound (source
 * nesting, statements, memory, glob size): what comes after is approximate. */
static void rule_GE2108(chain_check_ctx *c)
{
    for (size_t k = 0; k < c->r->ncontexts; k++) {
        const sim_context *ctx = &c->r->contexts[k];
        for (size_t i = 0; i < ctx->nevents; i++) {
            const sim_event *e = &ctx->events[i];
            if (e->kind != SIM_EV_SOURCE_DEPTH && e->kind != SIM_EV_STEP_LIMIT)
                continue;
            const char *msg = e->kind == SIM_EV_SOURCE_DEPTH
                ? arena_printf(c->a, "source nesting is too deep here (%s): the simulation does "
                               "not follow it further, so values after this point are approximate",
                               e->detail ? e->detail : e->file ? e->file : "?")
                : arena_printf(c->a, "the simulation stopped at a bound here (%s): values after "
                               "this point are approximate",
                               e->detail ? e->detail : "statement limit");
            const char *key = arena_printf(c->a, "GE2108 %s %zu %d", e->at.file ? e->at.file : "",
                                           e->at.start, (int)e->kind);
            report(c, key, "GE2108", SEV_INFO, &e->at, ctx, msg);
        }
    }
}

/* GE2109: a startup file exists but cannot be read. */
static void rule_GE2109(chain_check_ctx *c)
{
    for (size_t k = 0; k < c->r->ncontexts; k++) {
        const sim_context *ctx = &c->r->contexts[k];
        for (size_t i = 0; i < ctx->nevents; i++) {
            const sim_event *e = &ctx->events[i];
            if (e->kind != SIM_EV_UNREADABLE)
                continue;
            const char *msg = arena_printf(c->a, "%s cannot be read (%s): the shell skips it "
                                           "silently, and nothing it sets is there",
                                           e->file ? e->file : "startup file",
                                           e->detail ? e->detail : "unreadable");
            const char *key = arena_printf(c->a, "GE2109 %s", e->file ? e->file : "");
            /* read by the shell itself: no source line, point at the file */
            sim_loc at = e->at;
            if (!at.src && !(at.file && at.line > 0) && e->file) {
                at.file = e->file;
                at.line = 1;
            }
            report(c, key, "GE2109", SEV_WARNING, &at, ctx, msg);
        }
    }
}

static const struct chain_rule {
    const char *id;
    void (*run)(chain_check_ctx *c);
} chain_rules[] = {
    {"GE2101", rule_GE2101},
    {"GE2102", rule_GE2102},
    {"GE2103", rule_GE2103},
    {"GE2104", rule_GE2104},
    {"GE2105", rule_GE2105},
    {"GE2106", rule_GE2106},
    {"GE2107", rule_GE2107},
    {"GE2108", rule_GE2108},
    {"GE2109", rule_GE2109},
};

void chain_check(const sim_result *r, const golint_config *cfg, finding_list *out)
{
    chain_check_ctx c;
    memset(&c, 0, sizeof(c));
    c.r = r;
    c.a = arena_new();
    c.out = out;
    size_t from = out->n;
    for (size_t i = 0; i < GE_ARRAY_LEN(chain_rules); i++)
        chain_rules[i].run(&c);

    /* inline directives of every file read, then the configuration */
    directive_set *sets = xcalloc(r->ntrees ? r->ntrees : 1, sizeof(*sets));
    finding_list scratch; /* unknown IDs in directives are reported by `check` */
    findings_init(&scratch);
    for (size_t i = 0; i < r->ntrees; i++)
        directives_collect(&sets[i], r->trees[i], &scratch, registry_global());
    findings_filter_range(out, from, sets, r->ntrees, cfg);
    for (size_t i = 0; i < r->ntrees; i++)
        directives_release(&sets[i]);
    free(sets);
    findings_release(&scratch);
    arena_free(c.a);
}

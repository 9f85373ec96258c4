/*
 * result.c - what callers do with a simulation: look up contexts and
 * variables, add contexts from other stages (systemd units), free it, and
 * write the effective-environment JSON document of `env --format json`.
 */
#include "sim/internal.h"

#include <stdlib.h>
#include <string.h>

void sim_result_free(sim_result *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->ntrees; i++)
        shell_tree_free(r->trees[i]);
    free(r->trees);
    source_set_release(&r->sources);
    arena_free(r->a);
    free(r);
}

const sim_context *sim_find_context(const sim_result *r, const char *name)
{
    for (size_t i = 0; r && i < r->ncontexts; i++)
        if (strcmp(r->contexts[i].name, name) == 0)
            return &r->contexts[i];
    return NULL;
}

const env_var *sim_lookup(const sim_context *c, const char *name)
{
    size_t lo = 0, hi = c ? c->nvars : 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int k = strcmp(c->vars[mid].name, name);
        if (k == 0) return &c->vars[mid];
        if (k < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

bool sim_value_unsure(const sim_context *c, const env_var *v)
{
    if (v) return !v->certain || v->opaque;
    return c->env_approx;
}

const char *sim_approx_note(const sim_result *r, const sim_context *c)
{
    if (!c->approx_why || !c->approx_at.file) return "";
    if (c->approx_at.line > 0)
        return arena_printf(r->a, " (golint-env could not follow %s at %s:%d)", c->approx_why,
                            c->approx_at.file, c->approx_at.line);
    return arena_printf(r->a, " (golint-env could not follow %s in %s)", c->approx_why,
                        c->approx_at.file);
}

sim_context *sim_context_add(sim_result *r, const char *name, sim_context_kind kind)
{
    sim_context *c = ARENA_PUSH(r->a, r->contexts, r->ncontexts, r->capcontexts);
    c->name = arena_strdup(r->a, name);
    c->kind = kind;
    c->shell = SHELL_UNKNOWN;
    return c;
}

static sim_loc loc_copy(arena *a, const sim_loc *at)
{
    sim_loc l;
    memset(&l, 0, sizeof(l));
    if (!at) return l;
    l = *at;
    if (at->file) l.file = arena_strdup(a, at->file);
    return l;
}

void sim_context_set(sim_result *r, sim_context *c, const char *name, const char *value,
                     bool exported, env_op_kind op, const sim_loc *at)
{
    arena *a = r->a;
    const env_var *old = sim_lookup(c, name);
    env_var v;
    memset(&v, 0, sizeof(v));
    if (old) v = *old;
    v.name = arena_strdup(a, name);
    v.value = value ? arena_strdup(a, value) : NULL;
    v.exported = exported;
    v.certain = true;
    v.at = loc_copy(a, at);
    v.path_like = sim_is_path_like(name);
    if (v.path_like && v.value) {
        size_t n;
        v.entries = entries_split(a, v.value, &v.at, &n);
        v.nentries = n;
    } else {
        v.entries = NULL;
        v.nentries = 0;
    }
    env_op *h = arena_alloc(a, (v.nhistory + 1) * sizeof(*h));
    if (v.nhistory) memcpy(h, v.history, v.nhistory * sizeof(*h));
    h[v.nhistory].op = op;
    h[v.nhistory].at = v.at;
    h[v.nhistory].value = v.value;
    h[v.nhistory].certain = true;
    h[v.nhistory].entries = v.entries;
    h[v.nhistory].nentries = v.nentries;
    v.history = h;
    v.nhistory++;
    /* insert keeping the order by name */
    env_var *vars = arena_alloc(a, (c->nvars + 1) * sizeof(*vars));
    size_t k = 0;
    bool placed = false;
    for (size_t i = 0; i < c->nvars; i++) {
        int cmp = strcmp(c->vars[i].name, name);
        if (cmp == 0) { vars[k++] = v; placed = true; continue; }
        if (cmp > 0 && !placed) { vars[k++] = v; placed = true; }
        vars[k++] = c->vars[i];
    }
    if (!placed) vars[k++] = v;
    c->vars = vars;
    c->nvars = k;
}

void sim_context_add_file(sim_result *r, sim_context *c, const char *file, const char *reason,
                          const source_file *src)
{
    sim_file_read *f = arena_alloc(r->a, (c->nfiles + 1) * sizeof(*f));
    if (c->nfiles) memcpy(f, c->files, c->nfiles * sizeof(*f));
    memset(&f[c->nfiles], 0, sizeof(*f));
    f[c->nfiles].file = arena_strdup(r->a, file);
    f[c->nfiles].reason = arena_strdup(r->a, reason ? reason : "");
    f[c->nfiles].src = src;
    c->files = f;
    c->nfiles++;
}

/* ---- JSON ------------------------------------------------------------------ */

static void json_str(strbuf *sb, const char *s)
{
    if (!s) {
        strbuf_adds(sb, "null");
        return;
    }
    strbuf_addc(sb, '"');
    strbuf_add_json_escaped(sb, s, strlen(s));
    strbuf_addc(sb, '"');
}

static void json_loc(strbuf *sb, const sim_loc *at)
{
    strbuf_adds(sb, "\"file\": ");
    json_str(sb, at->file);
    if (at->file && at->line > 0)
        strbuf_addf(sb, ", \"line\": %d", at->line);
    else
        strbuf_adds(sb, ", \"line\": null");
}

void sim_to_json(const sim_result *r, strbuf *sb)
{
    strbuf_adds(sb, "{\"contexts\": [");
    for (size_t i = 0; i < r->ncontexts; i++) {
        const sim_context *c = &r->contexts[i];
        strbuf_adds(sb, i ? ",\n  {" : "\n  {");
        strbuf_adds(sb, "\"name\": ");
        json_str(sb, c->name);
        strbuf_adds(sb, ", \"shell\": ");
        json_str(sb, c->shell == SHELL_UNKNOWN ? NULL : shell_dialect_name(c->shell));
        strbuf_addf(sb, ", \"login\": %s, \"interactive\": %s,",
                    c->login ? "true" : "false", c->interactive ? "true" : "false");
        if (c->napprox || c->env_approx) {
            /* only when something is approximate: other documents stay as they were */
            strbuf_addf(sb, "\n   \"approximate\": {\"values\": %zu, \"any_name\": %s, \"why\": ",
                        c->napprox, c->env_approx ? "true" : "false");
            json_str(sb, c->approx_why);
            strbuf_adds(sb, ", ");
            json_loc(sb, &c->approx_at);
            strbuf_addc(sb, '}');
            strbuf_addc(sb, ',');
        }
        strbuf_adds(sb, "\n   \"files\": [");
        for (size_t k = 0; k < c->nfiles; k++) {
            strbuf_adds(sb, k ? ",\n     {" : "\n     {");
            strbuf_adds(sb, "\"file\": ");
            json_str(sb, c->files[k].file);
            strbuf_adds(sb, ", \"reason\": ");
            json_str(sb, c->files[k].reason);
            strbuf_addc(sb, '}');
        }
        strbuf_adds(sb, "],\n   \"variables\": {");
        for (size_t k = 0; k < c->nvars; k++) {
            const env_var *v = &c->vars[k];
            strbuf_adds(sb, k ? ",\n     " : "\n     ");
            json_str(sb, v->name);
            strbuf_adds(sb, ": {\"value\": ");
            json_str(sb, v->value);
            strbuf_addf(sb, ", \"exported\": %s, \"certain\": %s",
                        v->exported ? "true" : "false", v->certain ? "true" : "false");
            if (v->path_like && v->value) {
                strbuf_adds(sb, ", \"entries\": [");
                for (size_t e = 0; e < v->nentries; e++) {
                    strbuf_adds(sb, e ? ", {" : "{");
                    strbuf_adds(sb, "\"value\": ");
                    json_str(sb, v->entries[e].value);
                    strbuf_adds(sb, ", ");
                    json_loc(sb, &v->entries[e].at);
                    strbuf_addc(sb, '}');
                }
                strbuf_addc(sb, ']');
            }
            strbuf_adds(sb, ", \"history\": [");
            for (size_t e = 0; e < v->nhistory; e++) {
                const env_op *op = &v->history[e];
                strbuf_adds(sb, e ? ", {" : "{");
                strbuf_adds(sb, "\"op\": ");
                json_str(sb, env_op_name(op->op));
                strbuf_adds(sb, ", ");
                json_loc(sb, &op->at);
                strbuf_adds(sb, ", \"value\": ");
                json_str(sb, op->value);
                strbuf_addc(sb, '}');
            }
            strbuf_adds(sb, "]}");
        }
        strbuf_adds(sb, "}}");
    }
    strbuf_adds(sb, "\n]}\n");
}

/*
 * envsnap.c - environment snapshots as people take them: `env -0` (exact),
 * plain `env` (ambiguous for multi-line values, parsed the way a reader
 * would), and golint-env's own JSON. Accepted JSON shapes:
 *   {"variables": {"NAME": "value", ...}}                 (snapshot --format json)
 *   {"variables": [{"name": N, "value": V, "exported": B}, ...]}
 *   {"contexts": [{"name": "terminal", "variables": ...}, ...]}  (env --format json)
 *   {"contexts": {"terminal": {"variables": ...}}}
 *   {"NAME": "value", ...}                                (a flat object)
 * Variables marked "exported": false, or without a string value, are left out:
 * a real `env` shows neither.
 */
#include "parse/parse.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *env_snapshot_format_name(env_snapshot_format f)
{
    switch (f) {
    case ENVSNAP_NUL: return "env -0";
    case ENVSNAP_LINES: return "env";
    case ENVSNAP_JSON: return "json";
    }
    return "?";
}

typedef struct var_vec {
    env_snapshot_var *v;
    size_t n, cap;
} var_vec;

static void vec_push(arena *a, var_vec *vv, const char *name, size_t nlen,
                     const char *value, size_t vlen)
{
    if (vv->n == vv->cap) {
        size_t cap = vv->cap ? vv->cap * 2 : 64;
        vv->v = arena_grow(a, vv->v, vv->n, cap, sizeof(env_snapshot_var));
        vv->cap = cap;
    }
    vv->v[vv->n].name = arena_strndup(a, name, nlen);
    vv->v[vv->n].value = arena_strndup(a, value, vlen);
    vv->n++;
}

typedef struct var_order {
    env_snapshot_var v;
    size_t order; /* position in the input: qsort is not stable */
} var_order;

static int var_order_cmp(const void *pa, const void *pb)
{
    const var_order *a = pa, *b = pb;
    int c = strcmp(a->v.name, b->v.name);
    if (c)
        return c;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* Sort by name; the first record of a name wins, as getenv() finds it. */
static void snapshot_finish(env_snapshot *out, var_vec *vv)
{
    var_order *tmp = xcalloc(vv->n + 1, sizeof(var_order));
    for (size_t i = 0; i < vv->n; i++) {
        tmp[i].v = vv->v[i];
        tmp[i].order = i;
    }
    qsort(tmp, vv->n, sizeof(var_order), var_order_cmp);
    size_t w = 0;
    for (size_t r = 0; r < vv->n; r++) {
        if (w > 0 && strcmp(vv->v[w - 1].name, tmp[r].v.name) == 0) {
            out->duplicates++;
            continue;
        }
        vv->v[w++] = tmp[r].v;
    }
    free(tmp);
    out->vars = vv->v;
    out->n = w;
}

/* A name as env(1) shows it: a shell name, or an exported bash function
 * (BASH_FUNC_name%%). Used to tell new records from continuation lines. */
static bool record_name_ok(const char *s, size_t n)
{
    if (n == 0 || !(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
        return false;
    if (n > 12 && strncmp(s, "BASH_FUNC_", 10) == 0 && s[n - 1] == '%' && s[n - 2] == '%')
        return true;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

static void parse_nul(arena *a, const char *data, size_t len, env_snapshot *out, var_vec *vv)
{
    size_t i = 0;
    while (i < len) {
        const char *rec = data + i;
        const char *nul = memchr(rec, '\0', len - i);
        size_t rlen = nul ? (size_t)(nul - rec) : len - i;
        i += rlen + 1;
        if (rlen == 0)
            continue;
        const char *eq = memchr(rec, '=', rlen);
        if (!eq || eq == rec) {
            out->skipped++;
            continue;
        }
        vec_push(a, vv, rec, (size_t)(eq - rec), eq + 1, rlen - (size_t)(eq - rec) - 1);
    }
}

static void parse_lines(arena *a, const char *data, size_t len, env_snapshot *out, var_vec *vv)
{
    strbuf value = STRBUF_INIT;
    const char *name = NULL;
    size_t nlen = 0;
    size_t i = 0;
    while (i < len) {
        const char *line = data + i;
        const char *nl = memchr(line, '\n', len - i);
        size_t llen = nl ? (size_t)(nl - line) : len - i;
        i += llen + (nl ? 1 : 0);
        const char *eq = memchr(line, '=', llen);
        if (eq && record_name_ok(line, (size_t)(eq - line))) {
            if (name)
                vec_push(a, vv, name, nlen, value.data ? value.data : "", value.len);
            name = line;
            nlen = (size_t)(eq - line);
            strbuf_reset(&value);
            strbuf_add(&value, eq + 1, llen - nlen - 1);
        } else if (name) {
            strbuf_addc(&value, '\n');
            strbuf_add(&value, line, llen);
        } else if (llen > 0) {
            out->skipped++;
        }
    }
    if (name)
        vec_push(a, vv, name, nlen, value.data ? value.data : "", value.len);
    strbuf_release(&value);
}

static void json_var(arena *a, var_vec *vv, const char *name, const cJSON *v)
{
    if (!name || !*name)
        return;
    if (cJSON_IsString(v)) {
        vec_push(a, vv, name, strlen(name), v->valuestring, strlen(v->valuestring));
        return;
    }
    if (!cJSON_IsObject(v))
        return;
    const cJSON *exported = cJSON_GetObjectItemCaseSensitive(v, "exported");
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(v, "value");
    if (cJSON_IsFalse(exported) || !cJSON_IsString(value))
        return;
    vec_push(a, vv, name, strlen(name), value->valuestring, strlen(value->valuestring));
}

static bool json_vars(arena *a, var_vec *vv, const cJSON *vars)
{
    const cJSON *it;
    if (cJSON_IsObject(vars)) {
        cJSON_ArrayForEach(it, vars) json_var(a, vv, it->string, it);
        return true;
    }
    if (cJSON_IsArray(vars)) {
        cJSON_ArrayForEach(it, vars) {
            const cJSON *n = cJSON_GetObjectItemCaseSensitive(it, "name");
            if (cJSON_IsString(n))
                json_var(a, vv, n->valuestring, it);
        }
        return true;
    }
    return false;
}

static const cJSON *context_vars(const cJSON *ctx)
{
    const char *keys[] = {"variables", "environment", "env", "vars"};
    for (size_t i = 0; i < GE_ARRAY_LEN(keys); i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(ctx, keys[i]);
        if (cJSON_IsObject(v) || cJSON_IsArray(v))
            return v;
    }
    return NULL;
}

static const char *context_name(const cJSON *ctx)
{
    if (ctx->string)
        return ctx->string;
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(ctx, "name");
    if (!cJSON_IsString(n))
        n = cJSON_GetObjectItemCaseSensitive(ctx, "context");
    return cJSON_IsString(n) ? n->valuestring : NULL;
}

static bool parse_json(arena *a, const char *data, size_t len, const char *context,
                       env_snapshot *out, var_vec *vv, char *why, size_t whylen)
{
    cJSON *j = cJSON_ParseWithLength(data, len);
    if (!j || !cJSON_IsObject(j)) {
        snprintf(why, whylen, "not valid JSON");
        cJSON_Delete(j);
        return false;
    }
    bool ok = true;
    const cJSON *ctxs = cJSON_GetObjectItemCaseSensitive(j, "contexts");
    const cJSON *vars = context_vars(j);
    const cJSON *top_ctx = cJSON_GetObjectItemCaseSensitive(j, "context");
    if (vars) {
        if (context && cJSON_IsString(top_ctx) && strcmp(top_ctx->valuestring, context) != 0) {
            snprintf(why, whylen, "the snapshot is of context '%s', not '%s'",
                     top_ctx->valuestring, context);
            ok = false;
        } else {
            if (cJSON_IsString(top_ctx))
                out->context = arena_strdup(a, top_ctx->valuestring);
            json_vars(a, vv, vars);
        }
    } else if (cJSON_IsArray(ctxs) || cJSON_IsObject(ctxs)) {
        const cJSON *pick = NULL, *it;
        size_t count = 0;
        const char *want = context;
        cJSON_ArrayForEach(it, ctxs) count++;
        if (!want && count > 1)
            want = "terminal";
        strbuf names = STRBUF_INIT;
        cJSON_ArrayForEach(it, ctxs) {
            const char *name = context_name(it);
            if (name)
                strbuf_addf(&names, "%s%s", names.len ? ", " : "", name);
            if (!pick && (!want || (name && strcmp(name, want) == 0)))
                pick = it;
        }
        if (!pick || !context_vars(pick)) {
            snprintf(why, whylen, "no context '%s' with variables in the snapshot (it has: %s)",
                     want ? want : "?", names.len ? names.data : "none");
            ok = false;
        } else {
            const char *name = context_name(pick);
            out->context = name ? arena_strdup(a, name) : NULL;
            json_vars(a, vv, context_vars(pick));
        }
        strbuf_release(&names);
    } else {
        /* a flat {"NAME": "value"} object; anything else is not a snapshot */
        const cJSON *it;
        cJSON_ArrayForEach(it, j) {
            if (!cJSON_IsString(it)) {
                snprintf(why, whylen, "JSON without \"variables\" or \"contexts\", and '%s' "
                         "is not a string", it->string ? it->string : "?");
                ok = false;
                break;
            }
        }
        if (ok)
            json_vars(a, vv, j);
    }
    cJSON_Delete(j);
    return ok;
}

bool env_snapshot_parse(arena *a, const char *data, size_t len, const char *context,
                        env_snapshot *out, char *why, size_t whylen)
{
    memset(out, 0, sizeof(*out));
    var_vec vv = {0};
    size_t k = 0;
    while (k < len && (data[k] == ' ' || data[k] == '\t' || data[k] == '\n' || data[k] == '\r'))
        k++;
    if (memchr(data, '\0', len)) {
        out->format = ENVSNAP_NUL;
        parse_nul(a, data, len, out, &vv);
    } else if (k < len && data[k] == '{') {
        out->format = ENVSNAP_JSON;
        if (!parse_json(a, data, len, context, out, &vv, why, whylen))
            return false;
    } else {
        out->format = ENVSNAP_LINES;
        parse_lines(a, data, len, out, &vv);
    }
    snapshot_finish(out, &vv);
    return true;
}

const env_snapshot_var *env_snapshot_get(const env_snapshot *s, const char *name)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->vars[mid].name, name);
        if (c == 0)
            return &s->vars[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

void env_snapshot_write_nul(const env_snapshot *s, strbuf *out)
{
    for (size_t i = 0; i < s->n; i++) {
        strbuf_adds(out, s->vars[i].name);
        strbuf_addc(out, '=');
        strbuf_adds(out, s->vars[i].value);
        strbuf_addc(out, '\0');
    }
}

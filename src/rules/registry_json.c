/* registry_json.c - the JSON loader of the registry: rules/ID.json files read
 * at run time ($GOLINT_ENV_RULES_DIR) or at build time by tools/gen_rules.c,
 * which links this file with core and cJSON only. */
#include "rules/registry.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *json_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) && v->valuestring ? xstrdup(v->valuestring) : NULL;
}

/* Appends the example objects of list to ex (n of them, growing). */
static rule_example *examples_load(rule_example *ex, size_t *n, const cJSON *list, bool bad)
{
    const cJSON *j;
    cJSON_ArrayForEach(j, list) {
        if (!cJSON_IsObject(j))
            continue;
        ex = xrealloc(ex, (*n + 1) * sizeof(rule_example));
        rule_example *e = &ex[(*n)++];
        memset(e, 0, sizeof(*e));
        e->bad = bad;
        e->kind = json_str(j, "kind");
        e->name = json_str(j, "name");
        e->code = json_str(j, "code");
        e->json = cJSON_PrintUnformatted(j);
        if (!e->kind)
            e->kind = xstrdup("shell");
    }
    return ex;
}

static bool rule_load(rule_info *r, const char *path, const char *id, char *why, size_t whylen)
{
    char err[256];
    source_error se;
    memset(r, 0, sizeof(*r)); /* the caller releases r on failure too */
    source_file *src = source_load(path, path, &se, err, sizeof(err));
    if (!src) {
        snprintf(why, whylen, "%s: %s", path, err);
        return false;
    }
    cJSON *j = cJSON_ParseWithLength(src->data, src->len);
    source_free(src);
    if (!j || !cJSON_IsObject(j)) {
        snprintf(why, whylen, "%s: not valid JSON", path);
        cJSON_Delete(j);
        return false;
    }
    r->id = json_str(j, "id");
    r->name = json_str(j, "name");
    r->family = json_str(j, "family");
    r->summary = json_str(j, "summary");
    r->description = json_str(j, "description");
    r->fix = json_str(j, "fix");
    char *sev = json_str(j, "severity");
    bool ok = r->id && r->name && r->family && r->summary && r->description && sev &&
              severity_parse(sev, &r->sev) && r->sev != SEV_NONE;
    free(sev);
    if (!ok)
        snprintf(why, whylen, "%s: needs id, name, family, severity, summary and description", path);
    else if (strcmp(r->id, id) != 0) {
        snprintf(why, whylen, "%s: id %s does not match the file name", path, r->id);
        ok = false;
    }
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(j, "examples");
    if (ok && cJSON_IsObject(ex)) {
        rule_example *list = NULL;
        size_t n = 0;
        list = examples_load(list, &n, cJSON_GetObjectItemCaseSensitive(ex, "bad"), true);
        list = examples_load(list, &n, cJSON_GetObjectItemCaseSensitive(ex, "good"), false);
        r->examples = list;
        r->nexamples = n;
    }
    cJSON_Delete(j);
    return ok;
}

/* Everything of a loaded rule is malloc'ed here (json by cJSON): the const
 * of the fields is for the compiled-in table. */
static void rule_release(const rule_info *r)
{
    free((char *)r->id);
    free((char *)r->name);
    free((char *)r->family);
    free((char *)r->summary);
    free((char *)r->description);
    free((char *)r->fix);
    for (size_t i = 0; i < r->nexamples; i++) {
        free((char *)r->examples[i].kind);
        free((char *)r->examples[i].name);
        free((char *)r->examples[i].code);
        cJSON_free((char *)r->examples[i].json);
    }
    free((rule_example *)r->examples);
}

static int rule_cmp(const void *a, const void *b)
{
    return strcmp(((const rule_info *)a)->id, ((const rule_info *)b)->id);
}

bool registry_load_dir(rule_registry *reg, const char *dir, char *why, size_t whylen)
{
    memset(reg, 0, sizeof(*reg));
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(why, whylen, "rules directory %s: cannot open (set GOLINT_ENV_RULES_DIR)", dir);
        return false;
    }
    reg->dir = xstrdup(dir);
    rule_info *rules = NULL;
    size_t cap = 0;
    struct dirent *de;
    bool ok = true;
    while ((de = readdir(d))) {
        const char *n = de->d_name;
        if (!str_starts_with(n, "GE") || !str_ends_with(n, ".json"))
            continue;
        char id[32];
        size_t idlen = strlen(n) - 5;
        if (idlen >= sizeof(id))
            continue;
        memcpy(id, n, idlen);
        id[idlen] = '\0';
        if (reg->n == cap) {
            cap = cap ? cap * 2 : 64;
            rules = xrealloc(rules, cap * sizeof(rule_info));
            reg->rules = rules;
        }
        char *path = xmalloc(strlen(dir) + strlen(n) + 2);
        sprintf(path, "%s/%s", dir, n);
        if (rule_load(&rules[reg->n], path, id, why, whylen)) {
            reg->n++;
        } else {
            rule_release(&rules[reg->n]);
            ok = false;
        }
        free(path);
        if (!ok)
            break;
    }
    closedir(d);
    if (!ok) {
        registry_release(reg);
        return false;
    }
    if (reg->n > 1)
        qsort(rules, reg->n, sizeof(rule_info), rule_cmp);
    return true;
}

void registry_release(rule_registry *reg)
{
    if (!reg->embedded) {
        for (size_t i = 0; i < reg->n; i++)
            rule_release(&reg->rules[i]);
        free((rule_info *)reg->rules);
        free(reg->dir);
    }
    memset(reg, 0, sizeof(*reg));
}

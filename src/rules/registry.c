/* registry.c - rules/ID.json metadata, and the table of per-file rules. */
#include "rules/rules.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Every per-file rule: id, the kind of file it reads, its function. */
const file_rule file_rules[] = {
    {"GE1000", KIND_SHELL, rule_GE1000},
    {"GE1001", KIND_SHELL, rule_GE1001},
    {"GE1002", KIND_SHELL, rule_GE1002},
    {"GE1004", KIND_UNKNOWN, rule_GE1004},
    {"GE2001", KIND_SHELL, rule_GE2001},
    {"GE2002", KIND_SHELL, rule_GE2002},
    {"GE3001", KIND_SHELL, rule_GE3001},
    /* system configs (system.c, cgroup.c); cross-file rules: src/sysconf */
    {"GE4001", KIND_UNIT, rule_GE4001},
    {"GE4001", KIND_SYSTEMD_CONF, rule_GE4001},
    {"GE4002", KIND_UNIT, rule_GE4002},
    {"GE4002", KIND_SYSTEMD_CONF, rule_GE4002},
    {"GE4003", KIND_UNIT, rule_GE4003},
    {"GE4003", KIND_SYSTEMD_CONF, rule_GE4003},
    {"GE4010", KIND_UNIT, rule_GE4010},
    {"GE4010", KIND_SYSTEMD_CONF, rule_GE4010},
    {"GE4011", KIND_UNIT, rule_GE4011},
    {"GE4011", KIND_SYSTEMD_CONF, rule_GE4011},
    {"GE4013", KIND_UNIT, rule_GE4013},
    {"GE4013", KIND_SYSTEMD_CONF, rule_GE4013},
    {"GE4014", KIND_UNIT, rule_GE4014},
    {"GE4014", KIND_SYSTEMD_CONF, rule_GE4014},
    {"GE4015", KIND_UNIT, rule_GE4015},
    {"GE4020", KIND_UNIT, rule_GE4020},
    {"GE4020", KIND_SYSTEMD_CONF, rule_GE4020},
    {"GE4022", KIND_UNIT, rule_GE4022},
    {"GE4022", KIND_SYSTEMD_CONF, rule_GE4022},
    {"GE4030", KIND_LIMITS, rule_GE4030},
    {"GE4031", KIND_LIMITS, rule_GE4031},
    {"GE4032", KIND_LIMITS, rule_GE4032},
    {"GE4034", KIND_LIMITS, rule_GE4034},
    {"GE4050", KIND_SYSCTL, rule_GE4050},
    {"GE4051", KIND_SYSCTL, rule_GE4051},
    {"GE5001", KIND_CGCONFIG, rule_GE5001},
    {"GE5004", KIND_CGCONFIG, rule_GE5004},
    {"GE5010", KIND_UNIT, rule_GE5010},
    {"GE5011", KIND_UNIT, rule_GE5011},
    {"GE5012", KIND_UNIT, rule_GE5012},
};
const size_t file_rules_count = GE_ARRAY_LEN(file_rules);

static const rule_registry *global_registry;

const rule_registry *registry_global(void)
{
    return global_registry;
}

void registry_set_global(const rule_registry *reg)
{
    global_registry = reg;
}

const char *registry_default_dir(const char *argv0)
{
    static char buf[PATH_MAX + 64];
    const char *env = getenv("GOLINT_ENV_RULES_DIR");
    if (env && *env)
        return env;
    /* installed: <prefix>/bin/golint-env -> <prefix>/share/golint-env/rules */
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(buf, sizeof(buf), "%s/../share/golint-env/rules", exe);
            if (access(buf, R_OK) == 0)
                return buf;
        }
    }
    (void)argv0;
    if (access(GOLINT_ENV_SOURCE_RULES_DIR, R_OK) == 0)
        return GOLINT_ENV_SOURCE_RULES_DIR;
    return GOLINT_ENV_INSTALL_RULES_DIR;
}

static char *json_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) && v->valuestring ? xstrdup(v->valuestring) : NULL;
}

static void examples_load(rule_info *r, const cJSON *list, bool bad)
{
    const cJSON *ex;
    cJSON_ArrayForEach(ex, list) {
        if (!cJSON_IsObject(ex))
            continue;
        r->examples = xrealloc(r->examples, (r->nexamples + 1) * sizeof(rule_example));
        rule_example *e = &r->examples[r->nexamples++];
        memset(e, 0, sizeof(*e));
        e->bad = bad;
        e->kind = json_str(ex, "kind");
        e->name = json_str(ex, "name");
        e->code = json_str(ex, "code");
        e->json = cJSON_PrintUnformatted(ex);
        if (!e->kind)
            e->kind = xstrdup("shell");
    }
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
        examples_load(r, cJSON_GetObjectItemCaseSensitive(ex, "bad"), true);
        examples_load(r, cJSON_GetObjectItemCaseSensitive(ex, "good"), false);
    }
    cJSON_Delete(j);
    return ok;
}

static void rule_release(rule_info *r)
{
    free(r->id);
    free(r->name);
    free(r->family);
    free(r->summary);
    free(r->description);
    free(r->fix);
    for (size_t i = 0; i < r->nexamples; i++) {
        free(r->examples[i].kind);
        free(r->examples[i].name);
        free(r->examples[i].code);
        cJSON_free(r->examples[i].json);
    }
    free(r->examples);
}

static int rule_cmp(const void *a, const void *b)
{
    return strcmp(((const rule_info *)a)->id, ((const rule_info *)b)->id);
}

bool registry_load(rule_registry *reg, const char *dir, char *why, size_t whylen)
{
    memset(reg, 0, sizeof(*reg));
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(why, whylen, "rules directory %s: cannot open (set GOLINT_ENV_RULES_DIR)", dir);
        return false;
    }
    reg->dir = xstrdup(dir);
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
            reg->rules = xrealloc(reg->rules, cap * sizeof(rule_info));
        }
        char *path = xmalloc(strlen(dir) + strlen(n) + 2);
        sprintf(path, "%s/%s", dir, n);
        if (rule_load(&reg->rules[reg->n], path, id, why, whylen)) {
            reg->n++;
        } else {
            rule_release(&reg->rules[reg->n]);
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
        qsort(reg->rules, reg->n, sizeof(rule_info), rule_cmp);
    return true;
}

void registry_release(rule_registry *reg)
{
    for (size_t i = 0; i < reg->n; i++)
        rule_release(&reg->rules[i]);
    free(reg->rules);
    free(reg->dir);
    memset(reg, 0, sizeof(*reg));
}

const rule_info *registry_find(const rule_registry *reg, const char *id)
{
    if (!reg || !id)
        return NULL;
    size_t lo = 0, hi = reg->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(reg->rules[mid].id, id);
        if (c == 0)
            return &reg->rules[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

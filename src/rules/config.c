/* config.c - .golint-env.json: disable/enable rules, override severities.
 *   {"disable": ["GE1001"], "enable": ["GE2002"], "severity": {"GE2002": "error"}}
 * "enable" wins over "disable" for the same id (a child directory can turn a
 * rule back on). */
#include "rules/rules.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *config_find(const char *start)
{
    char dir[PATH_MAX];
    char *real = realpath(start, NULL);
    if (real) {
        struct stat st;
        snprintf(dir, sizeof(dir), "%s", real);
        free(real);
        if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
            char *slash = strrchr(dir, '/');
            if (slash && slash != dir)
                *slash = '\0';
            else
                snprintf(dir, sizeof(dir), "/");
        }
        for (;;) {
            char path[PATH_MAX + 32];
            snprintf(path, sizeof(path), "%s/.golint-env.json", strcmp(dir, "/") ? dir : "");
            if (access(path, F_OK) == 0)
                return xstrdup(path);
            char *slash = strrchr(dir, '/');
            if (!slash || slash == dir)
                break;
            *slash = '\0';
        }
        if (access("/.golint-env.json", F_OK) == 0)
            return xstrdup("/.golint-env.json");
    }
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    char path[PATH_MAX];
    if (xdg && *xdg)
        snprintf(path, sizeof(path), "%s/golint-env/config.json", xdg);
    else if (home && *home)
        snprintf(path, sizeof(path), "%s/.config/golint-env/config.json", home);
    else
        return NULL;
    return access(path, F_OK) == 0 ? xstrdup(path) : NULL;
}

static rule_override *override_get(golint_config *cfg, const char *id)
{
    for (size_t i = 0; i < cfg->n; i++)
        if (strcmp(cfg->overrides[i].id, id) == 0)
            return &cfg->overrides[i];
    cfg->overrides = xrealloc(cfg->overrides, (cfg->n + 1) * sizeof(rule_override));
    rule_override *o = &cfg->overrides[cfg->n++];
    memset(o, 0, sizeof(*o));
    o->id = xstrdup(id);
    return o;
}

static bool id_list(golint_config *cfg, const cJSON *list, bool disabled, const char *key,
                    char *why, size_t whylen)
{
    if (!list)
        return true;
    if (!cJSON_IsArray(list)) {
        snprintf(why, whylen, "%s: \"%s\" must be a list of rule ids", cfg->path, key);
        return false;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, list) {
        if (!cJSON_IsString(it)) {
            snprintf(why, whylen, "%s: \"%s\" must be a list of rule ids", cfg->path, key);
            return false;
        }
        /* "enable" is read after "disable", so it wins for the same id */
        override_get(cfg, it->valuestring)->disabled = disabled;
    }
    return true;
}

bool config_load(golint_config *cfg, const char *path, char *why, size_t whylen)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->path = xstrdup(path);
    char err[256];
    source_error se;
    source_file *src = source_load(path, path, &se, err, sizeof(err));
    if (!src) {
        snprintf(why, whylen, "config %s: %s", path, err);
        return false;
    }
    cJSON *j = cJSON_ParseWithLength(src->data, src->len);
    source_free(src);
    if (!cJSON_IsObject(j)) {
        snprintf(why, whylen, "config %s: not a JSON object", path);
        cJSON_Delete(j);
        return false;
    }
    bool ok = id_list(cfg, cJSON_GetObjectItemCaseSensitive(j, "disable"), true, "disable", why, whylen) &&
              id_list(cfg, cJSON_GetObjectItemCaseSensitive(j, "enable"), false, "enable", why, whylen);
    const cJSON *sev = cJSON_GetObjectItemCaseSensitive(j, "severity");
    if (ok && sev) {
        if (!cJSON_IsObject(sev)) {
            snprintf(why, whylen, "config %s: \"severity\" must map rule ids to severities", path);
            ok = false;
        }
        const cJSON *it;
        cJSON_ArrayForEach(it, sev) {
            severity s;
            if (!ok)
                break;
            if (!cJSON_IsString(it) || !severity_parse(it->valuestring, &s) || s == SEV_NONE) {
                snprintf(why, whylen, "config %s: severity of %s must be error, warning, info or style",
                         path, it->string);
                ok = false;
                break;
            }
            rule_override *o = override_get(cfg, it->string);
            o->has_severity = true;
            o->sev = s;
        }
    }
    cJSON_Delete(j);
    return ok;
}

void config_release(golint_config *cfg)
{
    for (size_t i = 0; i < cfg->n; i++)
        free(cfg->overrides[i].id);
    free(cfg->overrides);
    free(cfg->path);
    memset(cfg, 0, sizeof(*cfg));
}

bool config_rule_enabled(const golint_config *cfg, const char *id, severity *sev)
{
    if (!cfg)
        return true;
    for (size_t i = 0; i < cfg->n; i++) {
        if (strcmp(cfg->overrides[i].id, id) == 0) {
            if (cfg->overrides[i].disabled)
                return false;
            if (cfg->overrides[i].has_severity && sev)
                *sev = cfg->overrides[i].sev;
        }
    }
    return true;
}

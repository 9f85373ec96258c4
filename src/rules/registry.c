/* registry.c - the table of per-file rules, and the registry: compiled in
 * (generated/rules_table.c) unless $GOLINT_ENV_RULES_DIR names a directory
 * for the JSON loader (registry_json.c). */
#include "rules/rules.h"

#include <stdlib.h>
#include <string.h>

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

bool registry_load(rule_registry *reg, const char *dir, char *why, size_t whylen)
{
    if (!dir) {
        const char *env = getenv("GOLINT_ENV_RULES_DIR");
        dir = env && *env ? env : NULL;
    }
    if (dir)
        return registry_load_dir(reg, dir, why, whylen);
    memset(reg, 0, sizeof(*reg));
    reg->rules = registry_embedded_rules;
    reg->n = registry_embedded_count;
    reg->embedded = true;
    return true;
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

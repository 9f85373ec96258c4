/*
 * registry.h - the rule registry: each rule's metadata, documentation and
 * examples from rules/ID.json. Part of rules.h's public face; a header of its
 * own because it needs only core, so the build-time generator (tools/gen_rules.c)
 * can load rules/ with the JSON loader (registry_json.c) without the rules.
 *
 * The registry is compiled into the binary (a table generated from rules/ at
 * build time); $GOLINT_ENV_RULES_DIR replaces it with a directory read at run time.
 */
#ifndef GOLINT_RULES_REGISTRY_H
#define GOLINT_RULES_REGISTRY_H

#include "core/core.h"

typedef struct rule_example {
    bool bad;            /* bad examples must trigger the rule, good ones nothing */
    const char *kind;    /* "shell", "unit", "limits", "sysctl", "cgconfig", "machine" */
    const char *name;    /* file name the example is written to (".bashrc") */
    const char *code;    /* file content for single-file kinds */
    const char *json;    /* the whole example object as JSON text (cJSON, unformatted) */
} rule_example;

typedef struct rule_info {
    const char *id;          /* "GE2001" */
    const char *name;        /* "path-overwritten" */
    const char *family;      /* "shell", "path", "go", "systemd", "cgroup", "live", "network" */
    severity sev;            /* default severity */
    const char *summary;
    const char *description;
    const char *fix;         /* fix description, or NULL */
    const rule_example *examples;  /* the bad ones first, each list in file order */
    size_t nexamples;
} rule_info;

typedef struct rule_registry {
    char *dir;               /* the directory it was read from; NULL when compiled in */
    const rule_info *rules;  /* sorted by id */
    size_t n;
    bool embedded;           /* rules is the compiled-in table: nothing to free */
} rule_registry;

/* dir NULL: the directory $GOLINT_ENV_RULES_DIR when it is set and not empty,
 * else the compiled-in table (no file is read). Otherwise the rules/ID.json
 * files of dir. Returns false with a one-line reason in why on an unreadable
 * directory or an invalid file; a rule file that is valid JSON but incomplete
 * is an error too. */
bool registry_load(rule_registry *reg, const char *dir, char *why, size_t whylen);
/* registry_load of a directory: the JSON loader (registry_json.c). */
bool registry_load_dir(rule_registry *reg, const char *dir, char *why, size_t whylen);
/* Safe on a registry of either origin, and on a zeroed or released one. */
void registry_release(rule_registry *reg);
const rule_info *registry_find(const rule_registry *reg, const char *id);
/* The process-wide registry, loaded once by the CLI (NULL before). */
const rule_registry *registry_global(void);
void registry_set_global(const rule_registry *reg);

/* The compiled-in table, sorted by id: generated at build time from rules/
 * by tools/gen_rules.c (build tree: generated/rules_table.c). */
extern const rule_info registry_embedded_rules[];
extern const size_t registry_embedded_count;

#endif

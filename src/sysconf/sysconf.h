/*
 * sysconf.h - the system configuration of a root as systemd, PAM and the
 * kernel will apply it, read without running anything: units merged with
 * their drop-ins and the system.conf defaults, limits.conf + limits.d,
 * sysctl.d in effect order with provenance, libcgroup cgconfig/cgrules.
 * The cross-file rules (GE4xxx, GE5xxx) run over this model.
 *
 * Typical use (doctor):
 *
 *     system_config *sc = sysconf_load(&o->root, NULL);
 *     sysconf_check(sc, &o->cfg, &findings);   // per-file + cross-file rules
 *     sysconf_take_sources(sc, &sources);      // for reporters and --fix
 *     sysconf_free(sc);
 *
 * Everything returned points into the system_config and lives until sysconf_free.
 */
#ifndef GOLINT_SYSCONF_H
#define GOLINT_SYSCONF_H

#include <stdio.h>

#include "core/core.h"
#include "parse/parse.h"
#include "rules/rules.h"

/* Where a value was set. line 0: not from a config line (live /proc value). */
typedef struct sysconf_origin {
    const char *file;       /* machine path: "/etc/sysctl.d/99-x.conf", "/proc/sys/fs/nr_open" */
    int line;
    const sysctl_entry *entry; /* the parsed line, NULL for live values */
} sysconf_origin;

/* ---- sysctl: the configured value of each key, in sysctl.d(5) order ------ */

typedef struct sysctl_setting {
    const char *key;        /* "fs.nr_open" (glob keys are kept as written: "net.ipv4.conf.*.rp_filter") */
    const char *value;
    bool ignore_failure;    /* '-' prefix on the winning line */
    sysconf_origin where;   /* the line that wins */
    sysconf_origin *overridden; /* earlier lines for the same key, first to last */
    size_t noverridden;
} sysctl_setting;

/* ---- units: one unit with everything that applies to it ------------------ */

typedef struct unit_view {
    const char *name;           /* "foo.service", "foo@bar.service" */
    const char *fragment;       /* machine path of the unit file, NULL if none */
    bool masked;                /* fragment is a symlink to /dev/null (or empty) */
    const unit_file *fragment_file;
    const unit_file **dropins;  /* applied order (by file name), type-wide service.d included */
    size_t ndropins;
    /* Effective settings: single-value keys keep their last assignment, list
     * keys all assignments since the last empty one (which resets). */
    const unit_setting **settings;
    size_t nsettings;
} unit_view;

/* The last assignment of a key in section, or NULL if unset. */
const unit_setting *unit_view_get(const unit_view *u, const char *section, const char *key);

/* One variable of a unit's environment, in systemd's order: system.conf
 * DefaultEnvironment=, Environment=, then EnvironmentFile= (which wins). */
typedef struct unit_env_var {
    const char *name, *value;
    const char *file;           /* where it was set */
    int line;
    const unit_setting *setting;/* Environment=/EnvironmentFile= line in the unit, or DefaultEnvironment= */
    bool from_envfile;
    const source_file *src;     /* file holding the assignment */
    size_t start, end;          /* bytes of NAME=VALUE in src (the whole setting if continued) */
} unit_env_var;

/* ---- the whole model ----------------------------------------------------- */

typedef struct sysconf_file_problem {
    const char *file;           /* machine path */
    const char *reason;         /* unreadable, too big ... */
} sysconf_file_problem;

typedef struct sysconf {
    arena *a;
    root r;                     /* copy of the root (dir borrowed) */
    source_set sources;         /* every file read */

    unit_view **units;          /* sorted by name */
    size_t nunits;
    const unit_file **system_conf; /* system.conf then system.conf.d/ in order */
    size_t nsystem_conf;

    const limits_file **limits; /* limits.conf then limits.d/ (pam_limits order) */
    size_t nlimits;

    const sysctl_file **sysctl_files; /* in application order */
    size_t nsysctl_files;
    sysctl_setting *sysctls;    /* sorted by key */
    size_t nsysctls;

    const cgconfig_file **cgconfig; /* cgconfig.conf then cgconfig.d/ */
    size_t ncgconfig;
    const cgrules_file *cgrules;/* NULL if absent */

    const source_file *environment; /* /etc/environment, NULL if absent */
    const unit_env_var *environment_vars; /* its assignments */
    size_t nenvironment_vars;

    file_kind *source_kinds;    /* kind of each of sources.items; KIND_UNKNOWN: read, not linted */
    size_t nsource_kinds;
    void *priv;                 /* loader state (search dirs, unit cache) */

    sysconf_file_problem *problems; /* files that could not be read */
    size_t nproblems;
} system_config;

/* `sysconf` is also the POSIX function of <unistd.h>: use `system_config` (or
 * `struct sysconf`). The old short name stays for files without <unistd.h>. */
#if !defined(_UNISTD_H) && !defined(GOLINT_SYSCONF_NO_SHORT_NAME)
typedef struct sysconf sysconf;
#endif

typedef struct sysconf_options {
    /* Units to load besides those in /etc/systemd/system (files, drop-in
     * folders and enabled links there): NULL-terminated names, or NULL. */
    const char *const *extra_units;
} sysconf_options;

/* Read everything under r. Never NULL; unreadable files are recorded in
 * problems and the load goes on. opt may be NULL. */
system_config *sysconf_load(const root *r, const sysconf_options *opt);
void sysconf_free(system_config *sc);

/* Run every system-config rule: the per-file rules on each file read, then
 * the cross-file rules; directives and cfg (may be NULL) are applied. */
void sysconf_check(system_config *sc, const golint_config *cfg, finding_list *out);

/* Move the files read into dst (for reporters and --fix). The model keeps
 * pointers into them: use sc only while dst still holds them. */
void sysconf_take_sources(system_config *sc, source_set *dst);

/* Configured value of a sysctl key, NULL if no file sets it. */
const sysctl_setting *sysconf_sysctl(const system_config *sc, const char *key);
/* Numeric value in force at boot: the configured value, else /proc/sys/KEY
 * under the root (where->line is 0 then). False when neither is a number. */
bool sysconf_sysctl_u64(const system_config *sc, const char *key, uint64_t *out, sysconf_origin *where);

const unit_view *sysconf_unit(const system_config *sc, const char *name);
/* Load one more unit by name through the search path (cached). NULL if no file. */
const unit_view *sysconf_unit_load(system_config *sc, const char *name);
/* The unit's environment (arena-owned array), last assignment of a name wins. */
size_t sysconf_unit_env(system_config *sc, const unit_view *u, const unit_env_var **out);

/* Merge already parsed files (fragment first, then drop-ins in order) into a
 * view, as systemd does; used for one file by `check` and by the loader. */
unit_view *unit_view_build(arena *a, const char *name, const unit_file *const *files, size_t n);
/* Environment= assignments of a view alone (no files read). */
size_t unit_view_env(arena *a, const unit_view *u, const unit_env_var **out);
/* Parse an environment file (KEY=VALUE lines, quotes, comments). */
size_t envfile_vars(arena *a, const source_file *src, const unit_env_var **out);

/* `check --explain-unit NAME`: the files of NAME in the order systemd reads
 * them (like systemctl cat), then the effective settings with file:line.
 * Returns 0, or 2 with a one-line reason in why when the unit has no file. */
int sysconf_explain_unit(const root *r, const char *name, FILE *out, char *why, size_t whylen);

/* ---- Go runtime variables (shared with GE3xxx users) --------------------- */

/* Validate a value of GOMAXPROCS, GOMEMLIMIT, GOGC or GODEBUG. Returns true
 * for other names or a valid value; false with a reason in why. */
bool go_env_value_valid(const char *name, const char *value, char *why, size_t whylen);

/* ---- cross-file rules (system.c, cgroup.c) ------------------------------- */

typedef struct sysconf_rule_ctx {
    system_config *sc;
    finding_list *out;
} sysconf_rule_ctx;

typedef void (*sysconf_rule_fn)(sysconf_rule_ctx *c);
typedef struct sysconf_rule {
    const char *id;
    sysconf_rule_fn run;
} sysconf_rule;

extern const sysconf_rule sysconf_rules[];
extern const size_t sysconf_rules_count;

/* Rules that read a unit view: run per file by `check` (view of one file)
 * and by sysconf_check on merged views (cgroup.c). */
void unit_view_cpu_rules(finding_list *out, arena *a, const unit_view *u, const unit_env_var *env,
                         size_t nenv, const char *only_rule);

/* Machine rules (system.c, cgroup.c). GE4052 (the sysctl side of GE4012 and
 * GE4033) is raised and linked by those two. */
void sysrule_GE4012(sysconf_rule_ctx *c);
void sysrule_GE4021(sysconf_rule_ctx *c);
void sysrule_GE4033(sysconf_rule_ctx *c);
void sysrule_GE4053(sysconf_rule_ctx *c);
void sysrule_GE4054(sysconf_rule_ctx *c);
void sysrule_GE4055(sysconf_rule_ctx *c);
void sysrule_GE5002(sysconf_rule_ctx *c);
void sysrule_GE5003(sysconf_rule_ctx *c);
void sysrule_GE5010(sysconf_rule_ctx *c);

#endif

/*
 * rules.h - the rule registry (rules/ID.json), per-file rule runs, inline
 * directives and configuration. A rule is one C function in its family's
 * file (shell.c for GE1xxx, ...) listed in the table of registry.c, plus
 * rules/ID.json with its documentation and good/bad examples.
 */
#ifndef GOLINT_RULES_H
#define GOLINT_RULES_H

#include "core/core.h"
#include "parse/parse.h"
#include "rules/registry.h" /* the registry: rules/ID.json, compiled in */

/* ---- configuration: .golint-env.json ------------------------------------- */

typedef struct rule_override {
    char *id;
    bool disabled;
    bool has_severity;
    severity sev;
} rule_override;

typedef struct golint_config {
    char *path;                 /* file it came from, or NULL */
    rule_override *overrides;
    size_t n;
} golint_config;

/* Find .golint-env.json upward from start_dir, then ~/.config/golint-env/config.json. */
char *config_find(const char *start_dir);
bool config_load(golint_config *cfg, const char *path, char *why, size_t whylen);
void config_release(golint_config *cfg);
/* Severity to report for a rule, false if disabled. */
bool config_rule_enabled(const golint_config *cfg, const char *id, severity *sev);

/* ---- directives: "# golint-env disable=GE2001,GE1003" -------------------- */

typedef struct directive_range {
    size_t start_line, end_line; /* 1-based, inclusive; 0..SIZE_MAX for the whole file */
    char **ids;
    size_t nids;
} directive_range;

typedef struct directive_set {
    char *file;                  /* display path */
    directive_range *ranges;
    size_t n;
} directive_set;

/* Collect directives of one parsed shell file; unknown IDs produce GE1003. */
void directives_collect(directive_set *ds, const shell_tree *t, finding_list *out,
                        const rule_registry *reg);
/* Line-based collection for the other kinds (units, limits ...): a directive
 * comment applies to the next non-comment line, or to the file before the first. */
void directives_collect_lines(directive_set *ds, const source_file *src, finding_list *out,
                              const rule_registry *reg);
bool directives_suppress(const directive_set *ds, const char *rule, size_t line);
void directives_release(directive_set *ds);

/* Drop findings disabled by directives (matched by file) or config, and
 * apply severity overrides. */
void findings_filter(finding_list *fl, const directive_set *sets, size_t nsets,
                     const golint_config *cfg);
/* The same for the findings from index from on (those one file added). */
void findings_filter_range(finding_list *fl, size_t from, const directive_set *sets,
                           size_t nsets, const golint_config *cfg);

/* ---- per-file checks ----------------------------------------------------- */

typedef struct file_check {
    const source_file *src;
    const shell_tree *tree;  /* KIND_SHELL only */
    shell_dialect dialect;
    file_kind kind;
    finding_list *out;
    arena *a;                /* scratch, freed after the file */
    void *cache;             /* per-family data gathered once per file (in a) */
} file_check;

typedef void (*file_rule_fn)(file_check *c);

typedef struct file_rule {
    const char *id;
    file_kind kind;
    file_rule_fn run;
} file_rule;

/* All per-file rules (registry.c). */
extern const file_rule file_rules[];
extern const size_t file_rules_count;

/* Shell rules of the GE1xxx/GE2xxx/GE3xxx single-file kind (shell.c). */
void rule_GE1000(file_check *c);
void rule_GE1001(file_check *c);
void rule_GE1002(file_check *c);
void rule_GE1004(file_check *c);
void rule_GE2001(file_check *c);
void rule_GE2002(file_check *c);
void rule_GE3001(file_check *c);

/* ---- startup-chain rules (GE2101-GE2199, chain.c) ---------------------- */

struct sim_result;
/* Run the simulator rules over a simulation (see sim/sim.h). Findings seen in
 * several contexts are reported once with all of them; directives in the
 * files read and cfg (may be NULL) apply. */
void chain_check(const struct sim_result *r, const golint_config *cfg, finding_list *out);

/* ---- edits for the fixes of the chain and Go rules (fixedit.c) -------- */

/* [*ls, *le) of the line holding off; *le is past its newline, if any. */
void src_line_span(const source_file *src, size_t off, size_t *ls, size_t *le);
/* Is [start, end) alone on its line (blanks, one ';' and a comment allowed)? */
bool src_line_only(const source_file *src, size_t start, size_t end);
/* Remove the whole line holding off, its newline included. */
void fix_edit_delete_line(finding_list *fl, fix *fx, const source_file *src, size_t off);
/* Insert text (whole lines, each ending in \n) before the line holding off. */
void fix_edit_insert_line(finding_list *fl, fix *fx, const source_file *src, size_t off,
                          const char *text);
/* Append whole lines at the end of src (a newline first if it lacks one). */
void fix_edit_append_lines(finding_list *fl, fix *fx, const source_file *src, const char *text);
/* The value word of NAME=value inside [start, end) (quotes included); false
 * when there is none or it holds a substitution or backslash. */
bool shell_assign_value(const source_file *src, size_t start, size_t end, const char *name,
                        size_t *vs, size_t *ve);
/* Is [start, end) a line of its own that only sets name ([export] NAME=word)? */
bool shell_assign_only(const source_file *src, size_t start, size_t end, const char *name);
/* [*s, *e) of the top-level statement of t that holds byte off. */
bool shell_toplevel_range(const shell_tree *t, size_t off, size_t *s, size_t *e);

/* System-config rules (system.c: GE4xxx units, limits, sysctl; cgroup.c:
 * GE5xxx cgroups and CPU). Cross-file ones are in src/sysconf/sysconf.h. */
void rule_GE4001(file_check *c);
void rule_GE4002(file_check *c);
void rule_GE4003(file_check *c);
void rule_GE4010(file_check *c);
void rule_GE4011(file_check *c);
void rule_GE4013(file_check *c);
void rule_GE4014(file_check *c);
void rule_GE4015(file_check *c);
void rule_GE4020(file_check *c);
void rule_GE4022(file_check *c);
void rule_GE4030(file_check *c);
void rule_GE4031(file_check *c);
void rule_GE4032(file_check *c);
void rule_GE4034(file_check *c);
void rule_GE4050(file_check *c);
void rule_GE4051(file_check *c);
void rule_GE5001(file_check *c);
void rule_GE5004(file_check *c);
void rule_GE5010(file_check *c);
void rule_GE5011(file_check *c);
void rule_GE5012(file_check *c);

typedef struct check_options {
    file_kind kind;           /* KIND_UNKNOWN: detect */
    shell_dialect dialect;    /* SHELL_UNKNOWN: detect */
    const golint_config *cfg; /* may be NULL */
    const shell_tree *tree;   /* an existing parse of src to reuse (doctor), or NULL */
} check_options;

/* Lint one loaded file: detect kind and dialect, parse, run every per-file
 * rule, apply directives and config. Findings go to out. Returns the kind used. */
file_kind check_source(const source_file *src, const check_options *opt, finding_list *out);

#endif

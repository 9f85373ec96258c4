/*
 * parse.h - turning analysed files into trees and records with positions.
 * Shell goes through tree-sitter (tree-sitter-zsh for zsh files,
 * tree-sitter-bash for the rest); system configs (units, limits,
 * sysctl, cgconfig) through small table-driven parsers. Parsers never print:
 * problems come back as values with positions.
 */
#ifndef GOLINT_PARSE_H
#define GOLINT_PARSE_H

#include <tree_sitter/api.h>

#include "core/core.h"

/* ---- file kinds ---------------------------------------------------------- */

typedef enum file_kind {
    KIND_UNKNOWN = 0,
    KIND_SHELL,
    KIND_UNIT,     /* systemd unit or drop-in */
    KIND_SYSTEMD_CONF, /* system.conf, user.conf and their .d */
    KIND_LIMITS,   /* limits.conf, limits.d/NAME.conf */
    KIND_SYSCTL,   /* sysctl.conf, sysctl.d/NAME.conf */
    KIND_CGCONFIG, /* cgconfig.conf, cgconfig.d, cgrules.conf */
    KIND_ENVFILE   /* /etc/environment, EnvironmentFile=, go env -w file */
} file_kind;

const char *file_kind_name(file_kind k);
bool file_kind_parse(const char *name, file_kind *out); /* "unit", "shell", ... */
/* Guess from the path (name, folder) and, failing that, the content. */
file_kind file_kind_detect(const char *path, const source_file *src);

/* ---- shell --------------------------------------------------------------- */

typedef enum shell_dialect {
    SHELL_UNKNOWN = 0,
    SHELL_SH,
    SHELL_BASH,
    SHELL_ZSH
} shell_dialect;

const char *shell_dialect_name(shell_dialect d);
bool shell_dialect_parse(const char *name, shell_dialect *out); /* sh, bash, zsh, dash, ksh */
/* From a `# golint-env shell=` / `# shellcheck shell=` directive, the shebang,
 * then the file name (.zshrc, *.zsh, .bashrc, profile.d/x.sh ...). */
shell_dialect shell_dialect_detect(const source_file *src, const char *path);

typedef struct shell_parse_error {
    size_t start, end; /* byte range of an ERROR or MISSING region */
    bool missing;
} shell_parse_error;

typedef enum shell_budget {
    SHELL_BUDGET_OK = 0,
    SHELL_BUDGET_BYTES,  /* file larger than SHELL_MAX_BYTES: not parsed */
    SHELL_BUDGET_PARSE,  /* parser allocated more than SHELL_MAX_PARSE_ALLOC: stopped */
    SHELL_BUDGET_NODES,  /* tree of more than SHELL_MAX_NODES nodes */
    SHELL_BUDGET_DEPTH,  /* tree deeper than SHELL_MAX_DEPTH */
    SHELL_BUDGET_PARSER, /* the runtime refused the grammar or the parse */
} shell_budget;

typedef struct shell_tree {
    TSTree *tree;
    const source_file *src;
    shell_dialect dialect;       /* as asked; SHELL_ZSH means the tree is tree-sitter-zsh's */
    shell_budget over;           /* SHELL_BUDGET_OK, or the budget the file exceeds (tree is NULL) */
    size_t measured;             /* for a budget exceeded: the file's bytes, or the count reached */
    shell_parse_error *errors;   /* outermost error regions, in order */
    size_t nerrors;
} shell_tree;

/* Which per-file work budget shell_parse found exceeded. The budgets are
 * counts of work, not time, so every machine gives the same answer: a file
 * over SHELL_MAX_BYTES is not parsed; a parse is stopped once the parser has
 * allocated SHELL_MAX_PARSE_ALLOC bytes (its time and memory follow what it
 * allocates: real rc files take 10-40 bytes per byte of text, hostile ones
 * 750, e.g. 40,000 `a | ` ); a tree with more than SHELL_MAX_NODES nodes, or
 * deeper than SHELL_MAX_DEPTH, is dropped, so neither the rules nor the
 * simulator walk it. docs/limits.md has the numbers behind each. */
#define SHELL_MAX_BYTES (1u << 20)
#define SHELL_MAX_PARSE_ALLOC (64u << 20)
#define SHELL_MAX_NODES 400000u
#define SHELL_MAX_DEPTH 100000u

/* Never NULL. SHELL_ZSH parses with tree-sitter-zsh, any other dialect with
 * tree-sitter-bash. A file over budget (or a grammar the runtime refuses) has
 * a NULL tree->tree and tree->over set. Deterministic: no clock is read. */
shell_tree *shell_parse(const source_file *src, shell_dialect dialect);
/* The limit of a budget (bytes, nodes, levels) and its unit, for messages. */
size_t shell_budget_limit(shell_budget b, const char **unit);
void shell_tree_free(shell_tree *t);
/* tree-sitter-bash (node types and fields of bash trees) */
const TSLanguage *shell_language(void);
/* The grammar a dialect is parsed with; field ids differ between them. */
const TSLanguage *shell_language_for(shell_dialect d);
/* SHELL_ZSH for a node of a tree-sitter-zsh tree, else SHELL_BASH. */
shell_dialect shell_tree_dialect_of(TSNode n);
/* Bytes of a node, as a heap or arena string. */
char *shell_node_text(arena *a, const shell_tree *t, TSNode n);
bool shell_node_is(TSNode n, const char *type);

/* Pre-order walk without recursion (deep files cannot overflow the stack).
 * The callback returns false to skip the node's children. */
typedef bool (*shell_visit_fn)(TSNode n, void *ud);
void shell_walk(TSNode root, shell_visit_fn fn, void *ud);

/* ---- system configs: shared ----------------------------------------------- */

/* A problem found while parsing, as a value: byte range and message. */
typedef struct parse_problem {
    size_t start, end;
    const char *message;
} parse_problem;

/* ---- systemd unit syntax (systemd.syntax(7)): units, drop-ins, system.conf --
 * Sections, `#`/`;` comments, `\` continuations (joined with a space, comment
 * lines inside are skipped), values kept as written: quotes and specifiers
 * (%h, %i) untouched. All memory in the arena. */

typedef struct unit_setting {
    const char *section;            /* "Service"; "" before the first header */
    const char *key;
    const char *value;              /* continuations joined, blanks trimmed */
    size_t start, end;              /* the whole assignment, continuation lines included */
    size_t key_start, key_end;
    size_t value_start, value_end;  /* raw bytes of the value in the file */
    bool continued;                 /* spans more than one line */
    int line;                       /* 1-based line of the key */
    const source_file *src;
} unit_setting;

typedef struct unit_section {
    const char *name;
    size_t start, end;              /* the "[Name]" header */
    int line;
} unit_section;

typedef struct unit_file {
    const source_file *src;
    unit_setting *settings;
    size_t nsettings;
    unit_section *sections;
    size_t nsections;
    parse_problem *problems;        /* lines that are neither header, comment nor assignment ... */
    size_t nproblems;
} unit_file;

/* Never NULL. Fuzz entry: any bytes through source_from_memory. */
unit_file *unit_parse(arena *a, const source_file *src);

/* What a key takes: the table of unit.c, one line per Section.Key. */
typedef enum unit_value_type {
    UV_STRING = 0, UV_BOOL, UV_INT, UV_TIME, UV_BYTES, UV_PATH, UV_EXEC,
    UV_RLIMIT,       /* Limit*= and system.conf DefaultLimit*= */
    UV_ENV,          /* Environment=, DefaultEnvironment= */
    UV_ENVFILE,      /* EnvironmentFile= */
    UV_CPUQUOTA,     /* CPUQuota= */
    UV_CPUSET,       /* AllowedCPUs=, CPUAffinity= */
    UV_TASKS         /* TasksMax= */
} unit_value_type;

typedef struct unit_key_info {
    const char *section;    /* "Unit", "Service", "Install", "Manager", or "Exec" for the
                             * exec/kill/cgroup keys shared by Service, Socket, Mount, Swap,
                             * (Slice, Scope for cgroup keys) */
    const char *key;
    unit_value_type type;
    bool list;              /* repeated assignments accumulate; an empty one resets */
} unit_key_info;

/* Lookup in the table; section is the section as written ("Service"). */
const unit_key_info *unit_key_lookup(const char *section, const char *key);
/* Whether unknown keys in this section are reported (Unit, Service, Install, Manager). */
bool unit_section_checked(const char *section);
/* Closest known key of the section (edit distance <= 3), or NULL. */
const char *unit_key_suggest(const char *section, const char *key);

/* A Limit*= value: "N", "soft:hard", "infinity", units where the key takes them. */
typedef struct unit_rlimit {
    uint64_t soft, hard;    /* UINT64_MAX is infinity */
    bool split;             /* written as soft:hard */
} unit_rlimit;
#define RLIMIT_VALUE_INFINITY UINT64_MAX

/* key is the setting name ("LimitNOFILE", "DefaultLimitCORE"); false with a reason in why. */
bool unit_rlimit_parse(const char *key, const char *value, unit_rlimit *out, char *why, size_t whylen);

/* Environment= words (systemd extract_first_word with quotes and C escapes). */
typedef struct unit_env_assign {
    const char *name;       /* NULL when the word is not NAME=VALUE */
    const char *value;
    const char *word;       /* the word after unquoting */
    size_t start, end;      /* offsets in the value string as written */
} unit_env_assign;

/* Splits value into words; returns the count (at most max stored). An
 * unterminated quote sets *bad_quote and stops. */
size_t unit_env_split(arena *a, const char *value, unit_env_assign *out, size_t max, bool *bad_quote);

/* ---- limits.conf (pam_limits): domain type item value ------------------- */

typedef enum limits_type { LIMITS_SOFT = 0, LIMITS_HARD, LIMITS_BOTH, LIMITS_BADTYPE } limits_type;

typedef struct limits_field {
    const char *text;
    size_t start, end;
} limits_field;

typedef struct limits_entry {
    limits_field domain, type, item, value; /* fields as written */
    limits_type ltype;
    bool known_item;        /* item in the table */
    bool unlimited;         /* unlimited / infinity / -1 */
    bool numeric;           /* value parsed into number */
    long long number;
    size_t start, end;      /* the line */
    int line;
    const source_file *src;
} limits_entry;

typedef struct limits_file {
    const source_file *src;
    limits_entry *entries;  /* well-formed lines (four fields) */
    size_t nentries;
    parse_problem *problems;
    size_t nproblems;
} limits_file;

limits_file *limits_parse(arena *a, const source_file *src);
/* Whether item is a pam_limits item; closest item name for "did you mean". */
bool limits_item_known(const char *item);
const char *limits_item_suggest(const char *item);

/* ---- sysctl.conf / sysctl.d (sysctl.d(5)) -------------------------------- */

typedef struct sysctl_entry {
    const char *key;        /* normalised: dots, "kernel/x" -> "kernel.x" */
    const char *value;      /* trimmed; NULL for a "-key" exclusion line */
    bool ignore_failure;    /* leading '-' */
    bool glob;              /* key holds * ? [ */
    size_t start, end;      /* the line */
    size_t key_start, key_end, value_start, value_end;
    int line;
    const source_file *src;
} sysctl_entry;

typedef struct sysctl_file {
    const source_file *src;
    sysctl_entry *entries;
    size_t nentries;
    parse_problem *problems;
    size_t nproblems;
} sysctl_file;

sysctl_file *sysctl_parse(arena *a, const source_file *src);
/* Keys golint-env vets for spelling: fs., net.core., kernel. */
bool sysctl_key_checked(const char *key);
bool sysctl_key_known(const char *key);
const char *sysctl_key_suggest(const char *key);

/* ---- libcgroup: cgconfig.conf, cgconfig.d, cgrules.conf ------------------ */

typedef struct cg_param {
    const char *controller; /* "cpu" */
    const char *key;        /* "cpu.cfs_quota_us" */
    const char *value;      /* unquoted */
    size_t start, end;      /* key ... ';' */
    size_t value_start, value_end;
    int line;
} cg_param;

typedef struct cg_group {
    const char *name;       /* "daemons/www"; "." for the root group */
    bool is_template;
    cg_param *params;
    size_t nparams;
    size_t start, end;      /* "group NAME" */
    int line;
} cg_group;

typedef struct cgconfig_file {
    const source_file *src;
    cg_group *groups;
    size_t ngroups;
    cg_param *mounts;       /* mount { cpu = /sys/fs/cgroup/cpu; }: controller in key */
    size_t nmounts;
    parse_problem *problems;
    size_t nproblems;
} cgconfig_file;

cgconfig_file *cgconfig_parse(arena *a, const source_file *src);

typedef struct cgrule {
    const char *user;       /* "@group", "*", "%" (continuation of the rule above) */
    const char *process;    /* after "user:", NULL if none */
    const char *controllers;
    const char *destination;
    size_t start, end;
    size_t dest_start, dest_end;
    int line;
} cgrule;

typedef struct cgrules_file {
    const source_file *src;
    cgrule *rules;
    size_t nrules;
    parse_problem *problems;
    size_t nproblems;
} cgrules_file;

cgrules_file *cgrules_parse(arena *a, const source_file *src);
/* cgrules.conf by name, else by content (no '{'). */
bool cgconfig_is_rules_file(const source_file *src);

/* ---- environment snapshots: `env -0`, plain `env`, golint-env JSON ------ */

typedef enum env_snapshot_format {
    ENVSNAP_NUL = 0, /* env -0: NAME=VALUE records ended by NUL */
    ENVSNAP_LINES,   /* env: one NAME=VALUE a line; lines not starting a name
                        continue the value above (multi-line values, exported
                        bash functions) */
    ENVSNAP_JSON     /* golint-env snapshot/env JSON (see envsnap.c for shapes) */
} env_snapshot_format;

const char *env_snapshot_format_name(env_snapshot_format f); /* "env -0", "env", "json" */

typedef struct env_snapshot_var {
    const char *name;
    const char *value;
} env_snapshot_var;

typedef struct env_snapshot {
    env_snapshot_format format;
    const char *context;     /* JSON: the context read; NULL otherwise */
    env_snapshot_var *vars;  /* sorted by name, unique: the first wins, as getenv() */
    size_t n;
    size_t duplicates;       /* later records of a name already seen (dropped) */
    size_t skipped;          /* records without NAME= (dropped) */
} env_snapshot;

/* Parse a snapshot, guessing the format: a NUL byte means env -0, a leading
 * '{' JSON, anything else env lines. For JSON with several contexts, context
 * picks one (NULL: the only one, else "terminal"). Only exported variables
 * with a value are kept. Memory in a. False with a reason in why. */
bool env_snapshot_parse(arena *a, const char *data, size_t len, const char *context,
                        env_snapshot *out, char *why, size_t whylen);
const env_snapshot_var *env_snapshot_get(const env_snapshot *s, const char *name);
/* Append s as env -0 records, in name order. */
void env_snapshot_write_nul(const env_snapshot *s, strbuf *out);

#endif

/*
 * sim.h - the startup-chain simulator: for each context (a terminal tab, a
 * login shell, `ssh host cmd`, a script, cron, a desktop session) it works
 * out which startup files the shell reads, in which order and why, and the
 * environment that results, with the provenance of every value and of every
 * PATH entry. Shell is interpreted abstractly over the tree-sitter tree;
 * nothing analysed is ever executed. Every read goes through the root.
 *
 * Memory: a sim_result owns one arena and the loaded sources; everything it
 * points at lives until sim_result_free.
 */
#ifndef GOLINT_SIM_H
#define GOLINT_SIM_H

#include "core/core.h"
#include "parse/parse.h"

/* ---- where something happened -------------------------------------------- */

typedef struct sim_loc {
    const char *file;          /* machine path ("/home/u/.bashrc"); NULL: built-in default */
    const source_file *src;    /* the file as read (NULL for built-in defaults) */
    int line;                  /* 1-based; 0 when not tied to a line */
    size_t start, end;         /* byte range of the statement (or file line) in src */
} sim_loc;

/* Byte range [*start, *end) of the whole line (without its newline) holding
 * loc, for fixes that replace or comment out a line. False without a source. */
bool sim_loc_line_range(const sim_loc *loc, size_t *start, size_t *end);

/* ---- variables with provenance ------------------------------------------- */

typedef enum env_op_kind {
    ENV_OP_ASSIGN = 0,  /* NAME=value (a value not built from the previous one) */
    ENV_OP_APPEND,      /* NAME="$NAME:x", NAME+=x, path+=(x) */
    ENV_OP_PREPEND,     /* NAME="x:$NAME" */
    ENV_OP_EXPORT,      /* export/declare -x without a value change */
    ENV_OP_UNSET,
    ENV_OP_SOURCE       /* taken from a non-shell layer: /etc/environment, passwd,
                           login.defs, the go env -w file, cron or systemd defaults,
                           or the inherited process environment */
} env_op_kind;

const char *env_op_name(env_op_kind k); /* "assign", "append", ... */

typedef struct path_entry {
    const char *value;  /* one element of a PATH-like variable */
    sim_loc at;         /* where it was added */
} path_entry;

typedef struct env_op {
    env_op_kind op;
    sim_loc at;
    const char *value;            /* value after the op; NULL after unset */
    bool certain;                 /* false: on an undecidable branch, or opaque */
    const path_entry *entries;    /* PATH-like: the entries after the op */
    size_t nentries;
} env_op;

typedef struct env_var {
    const char *name;
    const char *value;       /* NULL: unset at the end (kept for its history) */
    bool exported;
    bool certain;            /* false: depends on an undecided test or on opaque text */
    bool opaque;             /* value holds text from $(...), `...`, eval: shown as is */
    bool path_like;          /* PATH, MANPATH, INFOPATH, FPATH, GOPATH... */
    const path_entry *entries; /* path_like: the entries, in order */
    size_t nentries;
    const env_op *history;   /* oldest first */
    size_t nhistory;
    sim_loc at;              /* the op that produced the final value */
} env_var;

/* ---- contexts -------------------------------------------------------------- */

typedef enum sim_context_kind {
    SIM_TERMINAL = 0,   /* interactive, non-login */
    SIM_LOGIN,          /* interactive login */
    SIM_SSH_COMMAND,    /* `ssh host cmd`: non-interactive (bash: ~/.bashrc via sshd) */
    SIM_SCRIPT,         /* non-interactive: $BASH_ENV, or .zshenv */
    SIM_CRON,           /* no startup files */
    SIM_DESKTOP,        /* display manager: /bin/sh reading ~/.profile */
    SIM_CONTEXT_COUNT,
    SIM_OTHER = SIM_CONTEXT_COUNT /* added by other stages (systemd units) */
} sim_context_kind;

const char *sim_context_name(sim_context_kind k);
/* False if name is not one of the simulated contexts. */
bool sim_context_parse(const char *name, sim_context_kind *out);

/* One file of the chain, in the order it was read. */
typedef struct sim_file_read {
    const char *file;           /* machine path */
    const char *reason;         /* "bash login shell: the system profile", "sourced by ..." */
    const source_file *src;     /* NULL if it could not be read */
    const shell_tree *tree;     /* NULL for non-shell layers and unreadable files */
    int depth;                  /* 0: read by the shell itself; n: n levels of source */
    sim_loc from;               /* the source/. statement (depth > 0) */
    bool shell;                 /* false for /etc/environment, the go env file ... */
} sim_file_read;

/* Things the simulator saw that rules report on. */
typedef enum sim_event_kind {
    SIM_EV_SOURCE_MISSING = 0, /* source/. of a file that does not exist; detail: path */
    SIM_EV_SOURCE_CYCLE,       /* a file sourcing itself or a loop; detail: the cycle */
    SIM_EV_SOURCE_DEPTH,       /* nesting bound reached; detail: path */
    SIM_EV_SHADOWED,           /* startup file never read: file=it, detail: what shadows it */
    SIM_EV_EARLY_RETURN,       /* top-level return in file at loc (e.g. non-interactive guard) */
    SIM_EV_SKIPPED_SET,        /* name set after an early return that was taken: loc = the
                                  assignment, other = the return */
    SIM_EV_OPAQUE,             /* eval / source <(...) / unknown value: loc, detail: text */
    SIM_EV_STEP_LIMIT,         /* statement, memory or glob bound reached (huge or looping
                                  input); detail: which, and what was not read */
    SIM_EV_UNREADABLE          /* a startup file exists but cannot be read; detail: why */
} sim_event_kind;

typedef struct sim_event {
    sim_event_kind kind;
    sim_loc at;          /* the responsible line */
    sim_loc other;       /* a second place (the guard, the shadowing file) */
    const char *file;    /* the file concerned (shadowed, missing, cyclic) */
    const char *name;    /* variable, for SIM_EV_SKIPPED_SET */
    const char *detail;
    bool uncertain;      /* seen on an undecided path, in an unparsed region or with
                            a path built from uncertain values: it may not happen */
} sim_event;

typedef struct sim_context {
    const char *name;           /* "terminal", "login", ... */
    sim_context_kind kind;
    shell_dialect shell;        /* shell interpreting the chain (desktop: sh) */
    bool login, interactive;
    const sim_file_read *files; /* in the order read */
    size_t nfiles;
    const env_var *vars;        /* sorted by name, set and unset ones */
    size_t nvars;
    const sim_event *events;    /* in the order seen */
    size_t nevents;
    /* Honesty about the result: how many variables are not certain, and the
     * first construct responsible (something not followed: an unparsed
     * region, eval, a computed source, a bound; else the first undecided
     * test). approx_at.line is 0 when nothing is approximate. */
    size_t napprox;
    sim_loc approx_at;
    const char *approx_why;
    bool env_approx;            /* something not followed could have set any name: a
                                   variable missing here is not known to be unset */
} sim_context;

typedef struct sim_result {
    arena *a;
    const char *user, *home;    /* as resolved */
    shell_dialect shell;        /* the user's shell */
    long uid;                   /* from passwd, -1 if unknown */
    sim_context *contexts;      /* in sim_context_kind order (those simulated) */
    size_t ncontexts, capcontexts;
    source_set sources;         /* every file read; reporters and fixes use it */
    shell_tree **trees;         /* parsed files, owned */
    size_t ntrees;
} sim_result;

typedef struct sim_options {
    const root *root;           /* every read goes through it */
    const char *home;           /* machine path; NULL: from passwd, else /root for uid 0 */
    const char *user;           /* NULL: passwd owner of home, else $USER */
    shell_dialect shell;        /* SHELL_UNKNOWN: passwd, then $SHELL, then bash */
    bool inherit;               /* start from the process environment (env --inherit) */
    char *const *environ;       /* environment for --inherit and $SHELL/$USER; NULL: environ */
    unsigned max_source_depth;  /* 0: default (SIM_MAX_SOURCE_DEPTH) */
    unsigned long max_steps;    /* 0: default (SIM_MAX_STEPS) statements per context */
    unsigned jobs;              /* threads parsing files, the interpreter's included: 0 one per CPU */
    /* Called on the simulating thread for each file read and parsed, in load
     * order (the order of sim_result.sources), so a caller can start work on
     * it while the simulation goes on; src and tree stay valid and unchanged
     * until the result is freed. tree is NULL for a file not parsed. */
    void (*on_load)(void *ud, const source_file *src, const shell_tree *tree);
    void *on_load_ud;
    /* Called on a parse worker (see jobs) that has no file to parse: one
     * small piece of the caller's own work, concurrently with the
     * interpreter; false when there is none. The worker asks again after
     * each file loaded. Idle time is spent this way instead of a third
     * thread competing with the two busy ones. */
    bool (*on_idle)(void *ud);
    void *on_idle_ud;
} sim_options;

#define SIM_MAX_SOURCE_DEPTH 32u
#define SIM_MAX_STEPS 2000000ul
/* Simulation data per run (values keep their history); past it, as past
 * max_steps, the rest is not followed and SIM_EV_STEP_LIMIT says where. */
#define SIM_MAX_ARENA_BYTES (160ul << 20)
/* Syntactic nesting past this is not followed (values become uncertain). */
#define SIM_MAX_NESTING 200u

/* Simulate the contexts (all, or only_context by name). NULL when
 * only_context is not a context name. Never prints, never executes. */
sim_result *sim_run(const sim_options *opt, const char *only_context);
void sim_result_free(sim_result *r);

const sim_context *sim_find_context(const sim_result *r, const char *name);
/* The variable, set or unset, or NULL if never seen. */
const env_var *sim_lookup(const sim_context *c, const char *name);
/* Whether what a context says about v (NULL: the name is not set there) may
 * be wrong: v is uncertain, or the context is approximate and v is missing.
 * Rules soften "lost" and "missing" findings on such evidence. */
bool sim_value_unsure(const sim_context *c, const env_var *v);
/* " (not followed: WHY at FILE:LINE)" for messages, or "" when nothing
 * in the context is approximate; an arena string of r. */
const char *sim_approx_note(const sim_result *r, const sim_context *c);
/* True for names whose values are ':'-separated lists with entry provenance. */
bool sim_is_path_like(const char *name);

/* For other stages (systemd units, ...): add a context and set variables in
 * it. Values and locations are copied into the result's arena. */
sim_context *sim_context_add(sim_result *r, const char *name, sim_context_kind kind);
void sim_context_set(sim_result *r, sim_context *c, const char *name, const char *value,
                     bool exported, env_op_kind op, const sim_loc *at);
void sim_context_add_file(sim_result *r, sim_context *c, const char *file,
                          const char *reason, const source_file *src);

/* The effective-environment document of `env --format json` (issue 3). */
void sim_to_json(const sim_result *r, strbuf *out);

#endif

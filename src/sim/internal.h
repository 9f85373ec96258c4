/*
 * internal.h - private to src/sim: the interpreter state shared by chain.c
 * (which files each context reads) and interp.c (what a file does).
 * Variables are immutable records so that forking a state for an undecided
 * branch copies only an array of pointers.
 */
#ifndef GOLINT_SIM_INTERNAL_H
#define GOLINT_SIM_INTERNAL_H

#include "sim/sim.h"

typedef struct hist {
    const struct hist *prev; /* older op, NULL at the start */
    env_op op;
} hist;

typedef struct sval {
    const char *name;
    const char *value;             /* NULL: unset */
    const path_entry *entries;     /* path-like entries or array elements */
    size_t nentries;
    const hist *hist;
    size_t nhist;
    sim_loc at;
    bool exported, certain, opaque, readonly, array, unique;
} sval;

typedef struct sfile {
    const char *path;           /* machine path */
    source_file *src;           /* NULL if unreadable */
    shell_tree *tree;           /* NULL if not parsed */
    source_error err;
    const char *why;
    bool hinted;                /* scanned for files to prefetch */
    uint32_t *hinted_loops;     /* start bytes of the for loops whose items were */
    size_t nhinted_loops, caphinted_loops;
} sfile;

typedef struct sfunc {
    const char *name;
    TSNode body;
    const sfile *file;
} sfunc;

/* Open-addressing index from names to positions in an array kept beside it:
 * a slot holds position + 1 (0: empty); cap is a power of two, at most half
 * full. Lookups are O(1) where a linear scan made 15,000 functions quadratic. */
typedef struct name_index {
    uint32_t *slot;
    size_t cap;
} name_index;

typedef enum sflow { FLOW_NEXT = 0, FLOW_RETURN, FLOW_BREAK, FLOW_CONTINUE, FLOW_EXIT } sflow;

typedef struct sstate {
    const sval **vars;          /* sorted by name */
    size_t nvars, capvars;
    const sfunc **funcs;        /* in the order defined */
    size_t nfuncs, capfuncs;
    name_index fidx;            /* funcs by name */
    const char **pos;           /* $1... */
    size_t npos;
    bool uncertain;             /* on an undecided path: sets are uncertain */
    bool approx;                /* something not followed may have set any name: a
                                   variable read unset is not known to be unset */
    bool escaped;               /* a merged path left the file/function/loop early */
    sflow flow;
    bool no_rcs, no_global_rcs; /* zsh options */
} sstate;

/* Growing lists built while a context runs. */
typedef struct sim_builder {
    sim_file_read *files;
    size_t nfiles, capfiles;
    sim_event *events;
    size_t nevents, capevents;
    /* the first construct that made values approximate (not followed), and
     * the first undecided test: what `env` names as the cause */
    sim_loc approx_at, undecided_at;
    const char *approx_why;
    bool have_approx, have_undecided;
} sim_builder;

/* A file read and parsed (by sim_load, or ahead of need by prefetch.c). */
typedef struct sim_loaded {
    source_file *src;           /* NULL if unreadable */
    shell_tree *tree;           /* NULL if src is NULL */
    source_error err;
    char why[512];
} sim_loaded;

/* Read a file of the machine, and parse it as shell if parse. */
void sim_read_file(const root *r, const char *path, sim_loaded *out, bool parse);
shell_tree *sim_parse_source(const source_file *src, const char *path);

/* prefetch.c: parse the files about to be sourced on another core. Requests
 * past PREFETCH_MAX_JOBS per run are ignored (the file is parsed when needed). */
#define PREFETCH_MAX_JOBS 4096u
#define PREFETCH_MAX_WORKERS 4u
typedef struct prefetch prefetch;
/* NULL (every call a no-op) with jobs 1, or jobs 0 on a single CPU. */
prefetch *prefetch_new(const root *r, unsigned jobs, bool (*on_idle)(void *), void *ud);
/* Wake an idle worker (new work for on_idle). */
void prefetch_poke(prefetch *p);
void prefetch_request(prefetch *p, const char *path);
/* The parse of a requested path (waiting for it, or doing it): false if the
 * path was never requested. */
bool prefetch_take(prefetch *p, const char *path, sim_loaded *out);
/* Stops the worker and frees the parses nobody took. */
void prefetch_free(prefetch *p);

typedef struct kids_entry {
    const void *id;             /* the node's subtree; NULL: empty slot */
    uint32_t start, n;
    TSNode *v;
} kids_entry;

typedef struct sim_runner {
    const sim_options *opt;
    const root *root;
    sim_result *res;
    arena *a;
    sfile **cache;              /* every file loaded, in load order */
    size_t ncache, capcache;
    name_index cidx;            /* cache by path */
    const char *home, *user;
    long uid;
    bool debian_zsh;            /* /etc/zsh/ layout */
    bool sh_is_bash;            /* /bin/sh is bash (RHEL) */
    prefetch *pf;               /* NULL: every file parsed when needed */
    kids_entry *kids;           /* memoised children of nodes (interp.c kids_of) */
    size_t nkids, capkids;
} sim_runner;

typedef struct interp {
    sim_runner *run;
    arena *a;
    sim_builder *out;
    sstate *st;
    const sfile *file;          /* file being interpreted */
    sim_context_kind kind;
    shell_dialect dialect;
    bool login, interactive;
    unsigned nesting;
    unsigned long steps;
    bool step_limit_hit;
    unsigned fn_depth;          /* function calls active in the current file */
    unsigned call_depth;        /* all function calls active */
    const sfile *stack[SIM_MAX_SOURCE_DEPTH + 2];
    unsigned depth;             /* files on the stack */
    bool have_call_site;
    sim_loc call_site;          /* outermost function call of the current file */
    TSNode stmt;                /* statement being run (for locations) */
    TSNode glue_tail;           /* word split off by the grammar after a trailing '$' */
    bool args_opaque;           /* the words run_words got hold text from $(...) or eval */
    unsigned unsure_depth;      /* > 0: in an unparsed region or a source of an uncertain path */
} interp;

/* interp.c */
sstate *state_new(arena *a);
const sval *state_get(const sstate *st, const char *name);
void state_put(arena *a, sstate *st, const sval *v);
/* Set from a non-shell layer (op SOURCE), exported. */
void state_layer_set(interp *I, const char *name, const char *value, const sim_loc *at);
void state_set_plain(interp *I, const char *name, const char *value, bool exported,
                     env_op_kind op, const sim_loc *at, bool certain);
const sfile *sim_load(sim_runner *run, const char *path);
/* A file read as text (passwd, environment, login.defs): not parsed unless
 * sim_load asks for it later. */
const sfile *sim_load_text(sim_runner *run, const char *path);
/* Interpret a whole file read by the shell itself (depth 0) or sourced. */
void interp_file(interp *I, const sfile *f, const char *reason, const sim_loc *from,
                 const char **args, size_t nargs);
void sim_event_add(interp *I, sim_event_kind kind, const sim_loc *at, const sim_loc *other,
                   const char *file, const char *name, const char *detail);
sim_loc loc_of_node(const interp *I, TSNode n);
sim_loc loc_of_line(const sfile *f, int line);
path_entry *entries_split(arena *a, const char *value, const sim_loc *at, size_t *n);
/* From here on, anything may have been set: every value becomes uncertain,
 * an unset variable is no longer known to be unset; at/why are kept as the
 * context's first cause. */
void state_approx(interp *I, const sim_loc *at, const char *why);

/* subst.c: the output of a command substitution that needs nothing run
 * (go env, command -v, which, dirname, basename, getconf PATH, uname, id).
 * argv holds the expanded words. True with *out set (arena string, trailing
 * newlines removed) and *certain; false: opaque. */
bool subst_answer(interp *I, char **argv, size_t argc, const char **out, bool *certain);
/* The first executable `name` on the simulated PATH: machine path, or NULL
 * (then *certain says whether it is surely absent). */
const char *path_lookup(interp *I, const char *name, bool *certain);
/* A shell function of that name is defined in the current state. */
bool sim_func_defined(const interp *I, const char *name);

#endif

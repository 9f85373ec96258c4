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
    struct sfile *other;        /* the same file parsed with the other grammar, for a file
                                 * whose dialect comes from the chains sourcing it (a bash
                                 * and a zsh chain): same src, own tree */
    shell_tree *bash_twin;      /* a zsh file read with tree-sitter-bash too, made at the
                                   first zsh statement the zsh grammar could not parse */
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
    unsigned char ret;          /* status given to `return` on a decided path: 0 unknown,
                                   1 zero, 2 non-zero (a function's status in `f || g`) */
    bool no_rcs, no_global_rcs; /* zsh options */
    bool extended_glob, null_glob;
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

/* The dialect a file is parsed as: its own directive, shebang or name, else
 * the dialect of the shell sourcing it (bash when that is unknown too). */
shell_dialect sim_file_dialect(const source_file *src, const char *path, shell_dialect by);
/* Whether tree is in the grammar sim_file_dialect picks for this source. */
bool sim_tree_fits(const shell_tree *tree, const char *path, shell_dialect by);
/* Read a file of the machine, and parse it as shell if parse; by as above. */
void sim_read_file(const root *r, const char *path, sim_loaded *out, bool parse, shell_dialect by);
shell_tree *sim_parse_source(const source_file *src, const char *path, shell_dialect by);

/* prefetch.c: parse the files about to be sourced on another core. Requests
 * past PREFETCH_MAX_JOBS per run are ignored (the file is parsed when needed). */
#define PREFETCH_MAX_JOBS 4096u
#define PREFETCH_MAX_WORKERS 4u
typedef struct prefetch prefetch;
/* NULL (every call a no-op) with jobs 1, or jobs 0 on a single CPU. */
prefetch *prefetch_new(const root *r, unsigned jobs, bool (*on_idle)(void *), void *ud);
/* Wake an idle worker (new work for on_idle). */
void prefetch_poke(prefetch *p);
void prefetch_request(prefetch *p, const char *path, shell_dialect by);
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
    struct sim_local *locals;   /* local names of the functions running, innermost last */
    size_t nlocals, caplocals, locals_from; /* locals[locals_from..]: the innermost call's */
    bool args_opaque;           /* the words run_words got hold text from $(...) or eval */
    unsigned unsure_depth;      /* > 0: in an unparsed region or a source of an uncertain path */
} interp;

/* A name made local by a function, and its value before (NULL: was not set). */
typedef struct sim_local {
    const char *name;
    const sval *saved;
} sim_local;

/* interp.c */
sstate *state_new(arena *a);
const sval *state_get(const sstate *st, const char *name);
void state_put(arena *a, sstate *st, const sval *v);
void state_drop(sstate *st, const char *name);
/* ${x#pat} ${x##pat} ${x%pat} ${x%%pat}: op is "#", "##", "%" or "%%" */
const char *sim_strip_pattern(arena *a, const char *s, const char *op, const char *pat);
/* zsh.c: function locals. begin returns what end takes back when the call ends. */
size_t sim_locals_begin(interp *I);
void sim_local_declare(interp *I, const char *name);
void sim_locals_end(interp *I, size_t mark);
/* Set from a non-shell layer (op SOURCE), exported. */
void state_layer_set(interp *I, const char *name, const char *value, const sim_loc *at);
void state_set_plain(interp *I, const char *name, const char *value, bool exported,
                     env_op_kind op, const sim_loc *at, bool certain);
/* A shell file read and parsed; by: the dialect of the shell sourcing it. */
const sfile *sim_load(sim_runner *run, const char *path, shell_dialect by);
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

/* interp.c, for zsh.c: word lists being expanded and the steps that make them */
typedef struct xlist xlist;
enum { SIM_X_FIELDS = 1, SIM_X_QUOTED = 2 }; /* split into fields; inside quotes */
xlist *sim_x_new(interp *I);
size_t sim_x_count(const xlist *l);
const char *sim_x_word(const xlist *l, size_t i);
bool sim_x_uncertain(const xlist *l);
bool sim_x_is_opaque(const xlist *l);
void sim_x_mark(xlist *l, bool uncertain, bool opaque);
void sim_x_node(interp *I, TSNode n, xlist *out, int mode);
void sim_x_var(interp *I, xlist *out, const char *name, bool all, int mode);
void sim_x_text(interp *I, xlist *out, const char *s, bool new_word); /* as is */
void sim_x_literal(interp *I, xlist *out, const char *s, int mode);  /* ~, escapes, globs */
void sim_x_opaque(interp *I, xlist *out, TSNode n);
void sim_x_glob(interp *I, xlist *out);     /* the words are patterns (${~var}) */
bool sim_x_glob_seen(const xlist *l);
bool sim_x_is_set(interp *I, const char *name, bool *certain);
const char *sim_x_node_text(interp *I, TSNode n);
void sim_x_assign(interp *I, const char *name, const char *value, bool certain, bool opaque);
/* n was not parsed: an event, and the rest of the file is uncertain */
void sim_x_unparsed(interp *I, TSNode n);
void sim_x_stmt(interp *I, TSNode n);
int sim_x_for(interp *I, TSNode n);         /* results: 0 false, 1 true, 2 unknown */
int sim_x_call_body(interp *I, TSNode body);

/* zsh.c: nodes of tree-sitter-zsh trees, tried before the shared handling;
 * false: not a zsh-specific node, handle it the bash way */
bool zsh_expand(interp *I, TSNode n, const char *type, xlist *out, int mode);
bool zsh_exec_stmt(interp *I, TSNode n, const char *type, int *result);
TSNode zsh_loop_body(TSNode n);
/* A glob word: its zsh qualifier "(N-.)" and, under extended_glob, its "~x"
 * exclusion, taken off the pattern (the qualifier is taken off in every
 * dialect, as before the zsh grammar). */
typedef struct zsh_glob {
    const char *exclude;        /* pattern after '~'; NULL: none */
    char type;                  /* '.' file, '/' directory, '@' link, '*' executable; 0 any */
    bool negate, follow;        /* ^ before the type; - (follow links) */
    bool unknown;               /* a qualifier not modelled (order by time, [n] ...) */
} zsh_glob;
char *zsh_glob_prepare(interp *I, char *pattern, zsh_glob *g);
/* Whether a match (machine path; word: as the word will read) is kept. */
bool zsh_glob_keep(interp *I, const zsh_glob *g, const char *path, const char *word);
void zsh_setopt(interp *I, const char *normalised_name, bool on);
/* [[ -o NAME ]]: 0 false, 1 true, 2 unknown */
int sim_test_option(interp *I, const char *name);

#endif

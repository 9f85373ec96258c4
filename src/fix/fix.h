/*
 * fix.h - applying fixes: choosing non-overlapping edits, the apply loop
 * (apply, analyse again, repeat), safe in-place writes, backups with a JSON
 * journal, and undo. Nothing here prints or exits; outcomes come back in a
 * fix_report for src/cli to show.
 *
 * The fix model itself (fix, fix_edit, applicability) lives in core.h so
 * that every rule can attach fixes without depending on this stage.
 */
#ifndef GOLINT_FIX_H
#define GOLINT_FIX_H

#include "core/core.h"

/* Upper bound on apply-and-reanalyse rounds (documented in docs/fixing.md). */
#define FIX_MAX_PASSES 10

/* ---- the apply loop ------------------------------------------------------ */

/* Analyse again after a pass. `sources` already holds the new contents of the
 * `changed` files (display paths). Fill `out` with findings: with
 * fix_options.reanalyse_all false, only those of the changed files (the
 * engine keeps the others); with it true, every finding of the run.
 * Return false with a one-line reason in why to stop the loop. */
typedef bool (*fix_reanalyse_fn)(void *ud, source_set *sources,
                                 const char *const *changed, size_t nchanged,
                                 finding_list *out, char *why, size_t whylen);

/* Counts the syntax-error regions of a file the way its parser sees them;
 * -1 when the file kind has no such notion. The default (NULL) detects the
 * kind from the path and counts tree-sitter-bash error regions for shell. */
typedef int (*fix_parse_errors_fn)(void *ud, const source_file *src);

typedef struct fix_options {
    bool unsafe_fixes;       /* apply FIX_UNSAFE too */
    bool dry_run;            /* --diff: compute everything in memory, write nothing */
    bool no_backup;          /* --no-backup */
    bool reanalyse_all;      /* see fix_reanalyse_fn */
    int max_passes;          /* 0: FIX_MAX_PASSES */
    const char *state_dir;   /* NULL: $XDG_STATE_HOME/golint-env (default ~/.local/state) */
    const char *run_id;      /* NULL: generated (UTC timestamp + pid, sortable) */
    fix_parse_errors_fn parse_errors; /* NULL: default shell counter */
    void *parse_ud;
    const root *root;        /* the analysed machine: a write must stay inside it when
                                it confines (NULL: files as given, e.g. `check FILE`) */
    const char *home;        /* machine path of the analysed user's home, or NULL: a home
                                file reached through a link is written only if the file
                                it leads to has the home directory's owner */
} fix_options;

typedef enum fix_outcome {
    FIX_OUT_APPLIED = 0,
    FIX_OUT_FAILED,          /* made the file parse worse, or its edits are inconsistent */
    FIX_OUT_REFUSED,         /* file changed since read, not regular, cannot keep owner ... */
    FIX_OUT_UNSAFE_SKIPPED,  /* unsafe and --unsafe-fixes not given */
    FIX_OUT_DISPLAY_ONLY,    /* never applied */
    FIX_OUT_CONFLICT         /* still overlapping another fix when the passes ran out */
} fix_outcome;

const char *fix_outcome_name(fix_outcome o);

typedef struct fix_result {
    fix_outcome outcome;
    const char *rule;
    char *file;              /* display path of the finding */
    int line, column;
    char *description;
    char *why;               /* reason for failed/refused, else NULL */
    int pass;                /* 1-based pass it was decided in */
} fix_result;

/* One file the run changed (or would change, in a dry run). */
typedef struct fix_file {
    char *path;              /* display path */
    char *host_path;         /* as opened */
    char *target;            /* symlinks resolved: the file actually written */
    char *before;            /* original bytes (NUL-terminated) */
    size_t before_len;
    char *after;             /* final bytes */
    size_t after_len;
    bool created;            /* did not exist before */
    bool written;            /* on disk now (false in a dry run or after a refusal) */
    char *backup;            /* backup copy, or NULL */
} fix_file;

typedef struct fix_report {
    arena *a;
    fix_result *results;     /* in the order decided; sorted by file, line, rule at the end */
    size_t nresults;
    fix_file *files;         /* sorted by display path */
    size_t nfiles;
    int passes;              /* passes that applied something */
    bool converged;          /* false: FIX_MAX_PASSES reached with fixes still applying */
    char run_id[64];
    char *backup_dir;        /* NULL without backups or in a dry run */
    size_t counts[6];        /* per fix_outcome */
} fix_report;

void fix_report_init(fix_report *r);
void fix_report_release(fix_report *r);

/* Apply every applicable fix of fl, pass after pass. Sources of the edited
 * files are taken from `sources` (loaded from their host path if absent) and
 * replaced there by the new contents; `fl` is replaced by the findings that
 * remain. reanalyse may be NULL: one pass only. Returns 0, or -1 with a
 * one-line reason in why when the run could not start (backup directory ...);
 * per-file problems are results, not errors. */
int fix_apply_all(const fix_options *opt, finding_list *fl, source_set *sources,
                  fix_reanalyse_fn reanalyse, void *ud, fix_report *out,
                  char *why, size_t whylen);

/* ---- single steps (exposed for tests and for other commands) ------------- */

/* Apply edits (any order, same file, non-overlapping) to data; heap result.
 * Returns NULL with a reason if edits overlap or run past len. */
char *fix_edits_apply(const char *data, size_t len, const fix_edit *const *edits,
                      size_t nedits, size_t *outlen, char *why, size_t whylen);

/* Do two edits of one file conflict (overlap, or insert at the same place)? */
bool fix_edits_conflict(const fix_edit *a, const fix_edit *b);

/* Test hook: when the environment variable GOLINT_ENV_FIX_FAULT is
 *   "before-rename"  the write fails after the temp file is written and synced;
 *   "kill-before-rename"  the process SIGKILLs itself at that point;
 *   "kill-after-rename"   the process SIGKILLs itself right after the rename. */
#define FIX_FAULT_ENV "GOLINT_ENV_FIX_FAULT"

/* Whether a fix may write the file shown as `display` (host_path as it
 * would be opened; created: it does not exist yet) under o->root and o->home
 * (see fix_options). False with a one-line reason naming the link. */
bool fix_target_allowed(const fix_options *o, const char *display, const char *host_path,
                        bool created, char *why, size_t whylen);

/* Replace the file at host_path with data, atomically: write a temporary file
 * in the directory of the real target (symlinks followed), fsync it, give it
 * the target's mode and owner, rename it into place, fsync the directory.
 * With expect_sha non-NULL, refuse if the target's bytes no longer hash to it.
 * Non-regular targets and files with several hard links are refused.
 * create: the file may be absent (then expect_sha must be NULL and it is
 * created 0644). On success *target_out (heap, may be NULL) is the real path. */
bool fix_write_file(const char *host_path, const char *data, size_t len,
                    const unsigned char *expect_sha, bool create,
                    char **target_out, char *why, size_t whylen);

/* ---- backups and undo ---------------------------------------------------- */

/* $XDG_STATE_HOME/golint-env/backups, default ~/.local/state/...; heap. */
char *fix_backup_root(const char *state_dir);

typedef struct fix_undo_result {
    char *path;              /* file restored, refused or skipped */
    bool restored;
    char *why;               /* reason when not restored */
} fix_undo_result;

typedef struct fix_undo_report {
    char run_id[64];
    fix_undo_result *items;
    size_t n;
    size_t restored, refused, skipped;
} fix_undo_report;

/* Restore the files of backup run `run_id` (NULL: the newest run not yet
 * undone). A file whose current bytes differ from what the fix wrote is
 * refused; one already back to its original is skipped. Returns 0, or -1
 * with a reason (no such run, unreadable journal). */
int fix_undo(const char *state_dir, const char *run_id, fix_undo_report *out,
             char *why, size_t whylen);
void fix_undo_report_release(fix_undo_report *r);

/* Runs under the backup root, newest first (heap array of heap strings). */
char **fix_backup_runs(const char *state_dir, size_t *n);
void fix_backup_runs_free(char **runs, size_t n);

#endif

/*
 * live_int.h - private to the live checks of issue 7 (kernel.c proc.c
 * cgroup.c gobin.c pathdirs.c goenv.c check.c): the state of one run.
 * The network files (net_*.c) do not use it.
 */
#ifndef GOLINT_LIVE_INT_H
#define GOLINT_LIVE_INT_H

#include "live/live.h"

typedef struct live_run {
    const live_options *o;
    finding_list *out;
    arena *a;
    size_t first;               /* out->items[first..] were added by this run */
    bool live;                  /* the root is this machine */
    long uid;
    int arch_machine;           /* host e_machine (0 unknown) */
    const char *arch;           /* host machine name */
    const char *arch_file;      /* where it came from */
    int pid;                    /* process checked: --pid, the --unit's main pid, 0 = self */
    const char *unit;           /* --unit with ".service" added, NULL if none */
    bool unit_missing;          /* --unit given but no process found */
    live_context *ctx;
    size_t nctx;
    /* kernel values read once */
    uint64_t nr_open;
    bool have_nr_open;
    finding *nr_open_not_applied; /* GE6001 on fs.nr_open, for links */
    /* per context, the go binary found (filled by gobin.c, used by cgroup.c) */
    char **go_version;          /* nctx entries, "" when unknown */
    char **go_path;             /* machine path of the go binary, NULL if none */
} live_run;

void live_kernel_check(live_run *lr);
void live_proc_check(live_run *lr);
void live_gobin_check(live_run *lr);
void live_cgroup_check(live_run *lr);
void live_pathdirs_check(live_run *lr);
void live_goenv_check(live_run *lr);

/* Entry number idx of the context's PATH with the line that added it. */
live_path_dir live_path_entry_at(const live_context *c, size_t idx);

/* A finding at a machine path and line (line 0 -> 1). */
finding *live_finding(live_run *lr, const char *rule, severity sev, const char *file, int line,
                      const char *fmt, ...) GE_PRINTF(6, 7);
/* 1-based line of the first line of text starting with prefix; 0 if none. */
int live_line_of(const char *text, const char *prefix);
/* Parse an unsigned decimal (leading blanks allowed); false if none. */
bool live_parse_u64(const char *s, uint64_t *out, const char **end);

#endif

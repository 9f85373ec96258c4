/*
 * cli.h - the command line: global options and one function per subcommand
 * (cmd_NAME.c). Only src/cli talks to the terminal and picks exit codes:
 * 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or I/O error.
 */
#ifndef GOLINT_CLI_H
#define GOLINT_CLI_H

#include <stdio.h>

#include "core/core.h"
#include "parse/parse.h"
#include "rules/rules.h"
#include "report/report.h"
#include "fix/fix.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_TROUBLE = 2 };

typedef struct golint_options {
    const char *argv0;
    const char *command;        /* "doctor", "check", ... */
    char **args;                /* operands after the subcommand */
    int nargs;

    const char *root_dir;       /* --root (NULL: "/") */
    const char *home;           /* --home: machine path of the home directory */
    const char *analysed_home;  /* the home an analysis chose (machine path): fixes to its
                                   files through links are checked against its owner */
    const char *user;           /* --user */
    shell_dialect shell;        /* --shell (SHELL_UNKNOWN: detect) */
    const char *context;        /* --context NAME */
    report_format format;       /* --format */
    bool format_given;
    severity fail_on;           /* --fail-on (default: warning... see main.c) */
    bool offline;               /* --offline */
    double timeout;             /* --timeout seconds (default 3) */
    bool fix;                   /* --fix */
    bool unsafe_fixes;          /* --unsafe-fixes */
    bool diff;                  /* --diff */
    bool no_backup;             /* --no-backup */
    bool undo;                  /* fix --undo [RUN] */
    const char *config_path;    /* --config FILE */
    int color;                  /* 1 on, 0 off (resolved from --color and NO_COLOR) */
    file_kind kind;             /* --kind */
    bool inherit;               /* env --inherit */
    const char *explain;        /* env --explain VAR */
    const char *explain_unit;   /* check --explain-unit NAME */
    const char *graph;          /* env --graph mermaid|dot */
    const char *dotfiles;       /* check --dotfiles DIR */
    int pid;                    /* --pid N (0: none) */
    const char *unit;           /* --unit NAME */
    bool no_exec;               /* --no-exec: never run `go env` */
    int jobs;                   /* --jobs N (0: one per core) */
    bool verbose;               /* -v */
    bool quiet;                 /* -q: findings only, no summary */

    root root;                  /* resolved --root */
    golint_config cfg;          /* loaded configuration (may be empty) */
    const rule_registry *reg;   /* loaded rules */
} golint_options;

/* Print "golint-env: MESSAGE" on stderr. */
void cli_error(const char *fmt, ...) GE_PRINTF(1, 2);
void cli_warn(const char *fmt, ...) GE_PRINTF(1, 2);
/* Exit status for a finished run. */
int cli_exit_status(const golint_options *o, const finding_list *fl);
/* Online CPUs (at least 1): the default number of threads of check and doctor. */
long cli_cpu_count(void);
/* Write findings in o->format to stdout (text/gcc/json/sarif/...). */
int cli_report(const golint_options *o, finding_list *fl, const source_set *sources);

/* The --fix / --diff tail of an analysing command (cmd_fix.c): applies the
 * fixes of fl (or prints them as a diff), analysing again with reanalyse
 * (see fix.h), reports what remains and returns the exit status. */
int cli_fix_findings(golint_options *o, finding_list *fl, source_set *sources,
                     fix_reanalyse_fn reanalyse, void *ud, bool reanalyse_all);
/* Reanalysis for `check`: check_source on each changed file; ud is the
 * command's const check_options *. */
bool cli_check_reanalyse(void *ud, source_set *sources, const char *const *changed,
                         size_t nchanged, finding_list *out, char *why, size_t whylen);

int cmd_doctor(golint_options *o);
int cmd_check(golint_options *o);
int cmd_env(golint_options *o);
int cmd_fix(golint_options *o);
int cmd_diff_env(golint_options *o);
int cmd_rules(golint_options *o);
int cmd_snapshot(golint_options *o);
int cmd_live(golint_options *o);

/* check --dotfiles DIR (dotfiles.c): the repository simulated as a home, every
 * shell, chain and Go rule, findings at the repository's paths. */
int cli_check_dotfiles(golint_options *o);

#endif

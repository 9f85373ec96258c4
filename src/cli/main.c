/* main.c - option parsing and subcommand dispatch. */
#include "cli/cli.h"

#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct command {
    const char *name;
    int (*run)(golint_options *o);
    const char *synopsis;
} commands[] = {
    {"doctor", cmd_doctor, "simulate every context, run all rules and live checks (default)"},
    {"check", cmd_check, "lint the files given (pre-commit); kind from name, shebang or --kind"},
    {"env", cmd_env, "print the effective environment of each context with provenance"},
    {"fix", cmd_fix, "apply safe fixes (same as --fix); fix --undo [RUN] restores"},
    {"diff-env", cmd_diff_env, "compare two environment snapshots (env -0, env, or JSON)"},
    {"snapshot", cmd_snapshot, "write a context's simulated environment as env -0"},
    {"rules", cmd_rules, "list the rules, or explain one: rules ID"},
    {"live", cmd_live, "only the live checks: kernel limits, a process (--pid/--unit), cgroups, go binaries"},
};

enum {
    OPT_ROOT = 256, OPT_HOME, OPT_USER, OPT_SHELL, OPT_CONTEXT, OPT_FORMAT, OPT_FAIL_ON,
    OPT_OFFLINE, OPT_TIMEOUT, OPT_FIX, OPT_UNSAFE_FIXES, OPT_DIFF, OPT_NO_BACKUP, OPT_UNDO,
    OPT_CONFIG, OPT_COLOR, OPT_KIND, OPT_INHERIT, OPT_EXPLAIN, OPT_EXPLAIN_UNIT, OPT_GRAPH,
    OPT_DOTFILES, OPT_PID, OPT_UNIT, OPT_NO_EXEC, OPT_JOBS, OPT_VERSION, OPT_HELP,
};

static const struct option long_options[] = {
    {"root", required_argument, NULL, OPT_ROOT},
    {"home", required_argument, NULL, OPT_HOME},
    {"user", required_argument, NULL, OPT_USER},
    {"shell", required_argument, NULL, OPT_SHELL},
    {"context", required_argument, NULL, OPT_CONTEXT},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
    {"offline", no_argument, NULL, OPT_OFFLINE},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"fix", no_argument, NULL, OPT_FIX},
    {"unsafe-fixes", no_argument, NULL, OPT_UNSAFE_FIXES},
    {"diff", no_argument, NULL, OPT_DIFF},
    {"no-backup", no_argument, NULL, OPT_NO_BACKUP},
    {"undo", no_argument, NULL, OPT_UNDO},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"color", required_argument, NULL, OPT_COLOR},
    {"colour", required_argument, NULL, OPT_COLOR},
    {"kind", required_argument, NULL, OPT_KIND},
    {"inherit", no_argument, NULL, OPT_INHERIT},
    {"explain", required_argument, NULL, OPT_EXPLAIN},
    {"explain-unit", required_argument, NULL, OPT_EXPLAIN_UNIT},
    {"graph", required_argument, NULL, OPT_GRAPH},
    {"dotfiles", required_argument, NULL, OPT_DOTFILES},
    {"pid", required_argument, NULL, OPT_PID},
    {"unit", required_argument, NULL, OPT_UNIT},
    {"no-exec", no_argument, NULL, OPT_NO_EXEC},
    {"jobs", required_argument, NULL, OPT_JOBS},
    {"verbose", no_argument, NULL, 'v'},
    {"quiet", no_argument, NULL, 'q'},
    {"version", no_argument, NULL, OPT_VERSION},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

static void usage(FILE *out)
{
    fputs("usage: golint-env [COMMAND] [OPTIONS] [ARGS]\n\n"
          "Tells whether the Go toolchain and Go services see the environment and limits\n"
          "you expect in every context they run in, and which line of which file is to blame.\n\n"
          "Commands:\n", out);
    for (size_t i = 0; i < GE_ARRAY_LEN(commands); i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].synopsis);
    fputs("\nOptions:\n"
          "  --root DIR          analyse the machine whose / is DIR (default /)\n"
          "  --home DIR          home directory, as the machine sees it\n"
          "  --user NAME         user whose startup files are simulated\n"
          "  --shell bash|zsh|sh shell to simulate (default: from passwd, then $SHELL)\n"
          "  --context NAME      terminal, login, ssh-command, script, cron, desktop, systemd\n"
          "  --format FMT        text, json, gcc, sarif, checkstyle, diff\n"
          "  --fail-on SEV       exit 1 on findings at or above SEV (error, warning, info,\n"
          "                      style, none; default warning)\n"
          "  --kind KIND         check: shell, unit, systemd-conf, limits, sysctl, cgconfig, envfile\n"
          "  --offline           no network probes and no `go env`\n"
          "  --no-exec           run no program (live mode otherwise runs `go env -json`\n"
          "                      with the first context's go, for your own environment)\n"
          "  --timeout S         deadline for live probes in seconds (default 3)\n"
          "  --fix               apply safe fixes; --unsafe-fixes applies unsafe ones too\n"
          "  --diff              print fixes as a unified diff instead of applying them\n"
          "  --no-backup         fix without keeping backups\n"
          "  --config FILE       configuration (default: .golint-env.json upward)\n"
          "  --color WHEN        auto, always, never (NO_COLOR is honoured)\n"
          "  --explain VAR       env: the timeline of VAR through the startup chain\n"
          "  --inherit           env: start from this process's environment\n"
          "  --graph FMT         env: draw the startup chain (mermaid, dot)\n"
          "  --pid N, --unit U   live checks of a running process or unit\n"
          "  --jobs N            threads (default: one per core): check's workers, doctor's\n"
          "                      and env's parsers; --jobs 1: one thread, same output\n"
          "  -q, --quiet         findings only;  -v, --verbose  say more\n"
          "  --version, --help\n\n"
          "Exit status: 0 nothing at or above --fail-on, 1 findings at or above it,\n"
          "2 usage or I/O error.\n", out);
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("golint-env: ", stderr);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    fprintf(stderr, fmt, arg);
#pragma GCC diagnostic pop
    fputs(" (see golint-env --help)\n", stderr);
    return EXIT_TROUBLE;
}

/* Returns -1 when parsing may go on, else the exit status. */
static int options_parse(golint_options *o, int argc, char **argv, const char *optstring,
                         const char **colorp)
{
    int c;
    const char *color = *colorp;
    while ((c = getopt_long(argc, argv, optstring, long_options, NULL)) != -1) {
        switch (c) {
        case OPT_ROOT: o->root_dir = optarg; break;
        case OPT_HOME: o->home = optarg; break;
        case OPT_USER: o->user = optarg; break;
        case OPT_SHELL:
            if (!shell_dialect_parse(optarg, &o->shell))
                return usage_error("--shell: unknown shell '%s' (bash, zsh, sh)", optarg);
            break;
        case OPT_CONTEXT: o->context = optarg; break;
        case OPT_FORMAT:
            if (!report_format_parse(optarg, &o->format))
                return usage_error("--format: unknown format '%s' (text, json, gcc, sarif, checkstyle, diff)", optarg);
            o->format_given = true;
            break;
        case OPT_FAIL_ON:
            if (!severity_parse(optarg, &o->fail_on))
                return usage_error("--fail-on: unknown severity '%s' (error, warning, info, style, none)", optarg);
            break;
        case OPT_OFFLINE: o->offline = true; break;
        case OPT_TIMEOUT: {
            char *end;
            o->timeout = strtod(optarg, &end);
            if (*end || !(o->timeout > 0) || o->timeout > 3600)
                return usage_error("--timeout: '%s' is not a number of seconds between 0 and 3600", optarg);
            break;
        }
        case OPT_FIX: o->fix = true; break;
        case OPT_UNSAFE_FIXES: o->unsafe_fixes = true; break;
        case OPT_DIFF: o->diff = true; break;
        case OPT_NO_BACKUP: o->no_backup = true; break;
        case OPT_UNDO: o->undo = true; break;
        case OPT_CONFIG: o->config_path = optarg; break;
        case OPT_COLOR:
            if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
                return usage_error("--color: '%s' is not auto, always or never", optarg);
            color = optarg;
            break;
        case OPT_KIND:
            if (!file_kind_parse(optarg, &o->kind))
                return usage_error("--kind: unknown kind '%s' (shell, unit, systemd-conf, limits, sysctl, cgconfig, envfile)", optarg);
            break;
        case OPT_INHERIT: o->inherit = true; break;
        case OPT_EXPLAIN: o->explain = optarg; break;
        case OPT_EXPLAIN_UNIT: o->explain_unit = optarg; break;
        case OPT_GRAPH:
            if (strcmp(optarg, "mermaid") && strcmp(optarg, "dot"))
                return usage_error("--graph: '%s' is not mermaid or dot", optarg);
            o->graph = optarg;
            break;
        case OPT_DOTFILES: o->dotfiles = optarg; break;
        case OPT_PID: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v <= 0 || v > 4194304)
                return usage_error("--pid: '%s' is not a process id", optarg);
            o->pid = (int)v;
            break;
        }
        case OPT_UNIT: o->unit = optarg; break;
        case OPT_NO_EXEC: o->no_exec = true; break;
        case OPT_JOBS: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 0 || v > 256)
                return usage_error("--jobs: '%s' is not a number of workers (0-256)", optarg);
            o->jobs = (int)v;
            break;
        }
        case 'v': o->verbose = true; break;
        case 'q': o->quiet = true; break;
        case OPT_VERSION:
            printf("golint-env %s (%s)\n", GOLINT_ENV_SEMVER, GOLINT_ENV_VERSION);
            return EXIT_CLEAN;
        case 'h':
        case OPT_HELP:
            usage(stdout);
            return EXIT_CLEAN;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
        }
    *colorp = color;
    return -1;
}

int main(int argc, char **argv)
{
    /* A run allocates a few tens of MB in small pieces (syntax trees,
     * arenas), on two threads: grow each heap 4 MB at a time instead of a
     * page or so, which saves hundreds of brk/mprotect calls (~3 ms on a
     * large home). */
    mallopt(M_TOP_PAD, 4 << 20);
    golint_options o;
    memset(&o, 0, sizeof(o));
    o.argv0 = argv[0];
    o.fail_on = SEV_WARNING;
    o.timeout = 3.0;
    const char *color = "auto";

    opterr = 0;
    optind = 1;
    int rc = options_parse(&o, argc, argv, "+:vqh", &color);
    if (rc >= 0)
        return rc;
    int first = optind;
    if (first < argc) {
        for (size_t i = 0; i < GE_ARRAY_LEN(commands); i++)
            if (strcmp(argv[first], commands[i].name) == 0)
                o.command = commands[i].name;
        if (!o.command)
            return usage_error("unknown command '%s'", argv[first]);
        /* the subcommand's own options and operands, in any order */
        optind = 0;
        rc = options_parse(&o, argc - first, argv + first, ":vqh", &color);
        if (rc >= 0)
            return rc;
        o.args = argv + first + optind;
        o.nargs = argc - first - optind;
    }
    if (!o.command)
        o.command = "doctor";

    if (strcmp(color, "always") == 0)
        o.color = 1;
    else if (strcmp(color, "never") == 0)
        o.color = 0;
    else
        o.color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR") && getenv("TERM") &&
                  strcmp(getenv("TERM"), "dumb") != 0;
    if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
        o.color = 0;
    if (o.diff && !o.format_given)
        o.format = FORMAT_DIFF;
    if (o.format == FORMAT_DIFF)
        o.diff = true;

    if (o.root_dir) {
        char *real = realpath(o.root_dir, NULL);
        if (!real) {
            cli_error("--root %s: no such directory", o.root_dir);
            return EXIT_TROUBLE;
        }
        o.root.dir = strcmp(real, "/") == 0 ? xstrdup("") : real;
        if (!*o.root.dir)
            free(real);
    } else {
        o.root.dir = xstrdup("");
    }

    rule_registry reg;
    char why[512];
    /* compiled in; $GOLINT_ENV_RULES_DIR reads a directory instead */
    if (!registry_load(&reg, NULL, why, sizeof(why))) {
        cli_error("%s", why);
        free(o.root.dir);
        return EXIT_TROUBLE;
    }
    registry_set_global(&reg);
    o.reg = &reg;

    rc = EXIT_CLEAN;
    const char *cfg = o.config_path;
    char *found = NULL;
    if (!cfg) {
        char cwd[4096];
        const char *start = o.nargs > 0 && strcmp(o.command, "check") == 0 ? o.args[0]
                          : getcwd(cwd, sizeof(cwd)) ? cwd : ".";
        cfg = found = config_find(start);
    }
    if (cfg && !config_load(&o.cfg, cfg, why, sizeof(why))) {
        cli_error("%s", why);
        rc = EXIT_TROUBLE;
    }
    free(found);

    if (rc == EXIT_CLEAN) {
        for (size_t i = 0; i < GE_ARRAY_LEN(commands); i++)
            if (strcmp(o.command, commands[i].name) == 0)
                rc = commands[i].run(&o);
    }
    config_release(&o.cfg);
    registry_set_global(NULL);
    registry_release(&reg);
    free(o.root.dir);
    return rc;
}

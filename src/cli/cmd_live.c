/*
 * cmd_live.c - `golint-env live`: only the live cross-checks of issue 7
 * (kernel values, a process's limits, cgroups and GOMAXPROCS, go binaries,
 * PATH directories, `go env`), over the simulated contexts and the system
 * configs. doctor runs the same checks among everything else; this command
 * keeps their output on its own (fixtures, rule examples, quick looks).
 */
#include "cli/cli.h"
#include "live/live.h"
#include "sim/sim.h"
#include "sysconf/sysconf.h"

#include <stdlib.h>

int cmd_live(golint_options *o)
{
    if (o->nargs > 0) {
        cli_error("live: unexpected operand '%s' (live reads the machine; see --pid, --unit)",
                  o->args[0]);
        return EXIT_TROUBLE;
    }
    sim_options so = {.root = &o->root, .home = o->home, .user = o->user, .shell = o->shell};
    if (!o->root.dir[0] && !o->home && !o->user && getenv("HOME") && getenv("HOME")[0] == '/')
        so.home = getenv("HOME");
    sim_result *sr = sim_run(&so, o->context);
    if (!sr) {
        cli_error("--context %s: not a context (terminal, login, ssh-command, script, cron, "
                  "desktop)", o->context ? o->context : "");
        return EXIT_TROUBLE;
    }
    const char *extra[] = {o->unit, NULL};
    sysconf_options sco = {.extra_units = o->unit ? extra : NULL};
    struct sysconf *sc = sysconf_load(&o->root, &sco);
    finding_list fl;
    findings_init(&fl);
    live_options lo = {
        .root = &o->root, .offline = o->offline, .no_exec = o->no_exec, .timeout = o->timeout,
        .pid = o->pid, .unit = o->unit, .sim = sr, .sc = sc, .uid = -1,
    };
    live_check_run(&lo, &fl);
    findings_sort(&fl);
    sysconf_take_sources(sc, &sr->sources);
    int rc = cli_report(o, &fl, &sr->sources);
    if (rc == EXIT_CLEAN)
        rc = cli_exit_status(o, &fl);
    findings_release(&fl);
    sysconf_free(sc);
    sim_result_free(sr);
    return rc;
}

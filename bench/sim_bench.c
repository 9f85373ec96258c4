/* sim_bench.c - CPU time of sim_run alone (no process start, registry,
 * rules or output), best of N runs, for all contexts and for terminal only.
 *   sim_bench ROOT HOME USER SHELL [RUNS]
 * bench/doctor_home.sh generates suitable homes. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sim/sim.h"

static double cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static double best_of(const sim_options *o, const char *context, int runs)
{
    double best = 1e18;
    for (int i = 0; i < runs; i++) {
        double a = cpu_ms();
        sim_result *s = sim_run(o, context);
        double b = cpu_ms();
        if (b - a < best)
            best = b - a;
        sim_result_free(s);
    }
    return best;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: sim_bench ROOT HOME USER SHELL [RUNS]\n");
        return 2;
    }
    root r = {.dir = argv[1]};
    sim_options o = {.root = &r, .home = argv[2], .user = argv[3]};
    if (!shell_dialect_parse(argv[4], &o.shell)) {
        fprintf(stderr, "sim_bench: unknown shell %s\n", argv[4]);
        return 2;
    }
    int runs = argc > 5 ? atoi(argv[5]) : 10;
    if (runs < 1)
        runs = 1;
    printf("sim_run, all contexts: %.1f ms CPU (best of %d)\n", best_of(&o, NULL, runs), runs);
    printf("sim_run, terminal:     %.1f ms CPU (best of %d)\n", best_of(&o, "terminal", runs), runs);
    return 0;
}

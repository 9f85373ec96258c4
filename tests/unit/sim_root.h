/* sim_root.h - a fake machine in a temp folder for the simulator's unit tests
 * (test_sim.c, test_sim_zsh.c): files written by path inside it. */
#ifndef GOLINT_TEST_SIM_ROOT_H
#define GOLINT_TEST_SIM_ROOT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "sim/sim.h"

static char tmpl[64];

static void put(const char *path, const char *text)
{
    root_cache_forget(); /* the files change between runs of one process */
    char full[512];
    snprintf(full, sizeof(full), "%s%s", tmpl, path);
    for (char *p = full + strlen(tmpl) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(full, 0755);
            *p = '/';
        }
    }
    FILE *f = fopen(full, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A new root named after the test program, with this /etc/passwd and a
 * login.defs whose PATH is /usr/bin:/bin. */
static void sim_root_make(const char *name, const char *passwd)
{
    snprintf(tmpl, sizeof(tmpl), "/tmp/%s.XXXXXX", name);
    assert_non_null(mkdtemp(tmpl));
    put("/etc/passwd", passwd);
    put("/etc/login.defs", "ENV_PATH PATH=/usr/bin:/bin\n");
}

/* Simulate one context of the user whose home is /home/u. */
static sim_result *sim_root_run(shell_dialect sh, const char *ctx)
{
    static root r;
    r.dir = tmpl;
    sim_options o;
    memset(&o, 0, sizeof(o));
    o.root = &r;
    o.home = "/home/u";
    o.shell = sh;
    sim_result *res = sim_run(&o, ctx);
    assert_non_null(res);
    return res;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpl);
    return system(cmd) == 0 ? 0 : -1;
}

#endif

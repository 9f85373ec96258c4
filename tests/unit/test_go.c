/* The Go toolchain rules: value checkers, install discovery under a root,
 * and go_rules_run over a sim_result built by hand (no simulator needed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules/go.h"

static char tmpdir[256];

static void put(const char *machine_path, const char *text)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s%s", tmpdir, machine_path);
    for (char *p = path + strlen(tmpdir) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/golint-env-go-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    put("/usr/local/go/bin/go", "");
    put("/usr/local/go/VERSION", "go1.22.5\ntime x\n");
    put("/usr/local/go1.20/bin/go", "");
    put("/usr/local/go1.20/VERSION", "go1.20.3");
    put("/home/u/.config/go/env", "GOPROXY=https://proxy.golang.org,direct\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_proxy(void **state)
{
    (void)state;
    char why[512];
    assert_true(go_proxy_valid("https://proxy.golang.org,direct", why, sizeof(why)));
    assert_true(go_proxy_valid("https://a.example|https://b.example,off", why, sizeof(why)));
    assert_true(go_proxy_valid("goproxy.cn,direct", why, sizeof(why))); /* bare host: https:// */
    assert_false(go_proxy_valid("https://goproxy.cn;direct", why, sizeof(why)));
    assert_non_null(strstr(why, "separated"));
    assert_false(go_proxy_valid("https://goproxy.cn drect", why, sizeof(why)));
    assert_false(go_proxy_valid("https://goproxy.cn,drect", why, sizeof(why)));
    assert_non_null(strstr(why, "did you mean direct"));
    assert_false(go_proxy_valid("ftp://mirror.example", why, sizeof(why)));
}

static void test_patterns(void **state)
{
    (void)state;
    char why[512];
    assert_true(go_patterns_valid("git.corp.example,*.internal.example/x", why, sizeof(why)));
    assert_false(go_patterns_valid("https://git.corp.example", why, sizeof(why)));
    assert_false(go_patterns_valid("git.corp.example gitlab.corp", why, sizeof(why)));
    assert_false(go_patterns_valid("git.corp.example:8443/team", why, sizeof(why)));
    assert_false(go_patterns_valid("git.[corp.example", why, sizeof(why)));
}

static void test_toolchain_flags_netdns(void **state)
{
    (void)state;
    char why[512];
    const char *good[] = {"local", "auto", "path", "go1.22.5", "go1.21", "go1.22rc1",
                          "go1.22.5+auto", "local+path"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        assert_true(go_toolchain_valid(good[i], why, sizeof(why)));
    const char *bad[] = {"1.22.0", "go1.22.5+always", "auto+auto", "go", "go1.x", "latest"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(go_toolchain_valid(bad[i], why, sizeof(why)));
    assert_false(go_toolchain_valid("1.22.0", why, sizeof(why)));
    assert_non_null(strstr(why, "go1.22.0"));

    assert_true(go_flags_valid("-mod=mod -trimpath -tags=netgo", why, sizeof(why)));
    assert_false(go_flags_valid("-mod mod", why, sizeof(why)));
    assert_non_null(strstr(why, "non-flag"));
    assert_false(go_flags_valid("-mod=vendr", why, sizeof(why)));
    assert_false(go_flags_valid("-frobnicate", why, sizeof(why)));

    assert_true(go_netdns_valid("netdns=go", why, sizeof(why)));
    assert_true(go_netdns_valid("http2client=0,netdns=cgo+2", why, sizeof(why)));
    assert_true(go_netdns_valid("netdns=1", why, sizeof(why)));
    assert_true(go_netdns_valid("gctrace=1", why, sizeof(why)));
    assert_false(go_netdns_valid("netdns=dns", why, sizeof(why)));
    assert_false(go_netdns_valid("netdns=go+3", why, sizeof(why)));
}

static void test_installs(void **state)
{
    (void)state;
    root r = {.dir = tmpdir};
    go_install gi[8];
    size_t n = go_installs_find(&r, "/home/u", gi, 8);
    assert_int_equal(n, 2);
    assert_string_equal(gi[0].bin, "/usr/local/go/bin/go");
    assert_string_equal(gi[0].version, "go1.22.5");
    assert_string_equal(gi[1].goroot, "/usr/local/go1.20");
    assert_string_equal(gi[1].version, "go1.20.3");
    go_install on;
    assert_true(go_on_path(&r, "/usr/bin:/usr/local/go/bin", &on));
    assert_string_equal(on.goroot, "/usr/local/go");
    assert_false(go_on_path(&r, "/usr/bin:/bin", NULL));
}

/* ---- go_rules_run over a hand-made simulation --------------------------- */

static env_var var(const char *name, const char *value, bool exported, const char *file, int line)
{
    env_var v;
    memset(&v, 0, sizeof(v));
    v.name = name;
    v.value = value;
    v.exported = exported;
    v.certain = true;
    v.at.file = file;
    v.at.line = line;
    return v;
}

static const finding *find(const finding_list *fl, const char *rule)
{
    for (size_t i = 0; i < fl->n; i++)
        if (strcmp(fl->items[i]->rule, rule) == 0)
            return fl->items[i];
    return NULL;
}

static void test_rules_run(void **state)
{
    (void)state;
    root r = {.dir = tmpdir};
    /* sorted by name, as the simulator keeps them */
    env_var vars[] = {
        var("GOOS", "windows", true, "/home/u/.bashrc", 3),
        var("GOPROXY", "https://goproxy.cn,direct", true, "/home/u/.bashrc", 4),
        var("GOROOT", "/usr/local/go1.20", true, "/home/u/.profile", 2),
        var("HOME", "/home/u", true, "/etc/passwd", 1),
        var("PATH", "/usr/bin:/bin:/usr/local/go/bin", true, "/home/u/.profile", 1),
    };
    env_var cron_vars[] = {
        var("HOME", "/home/u", true, NULL, 0),
        var("PATH", "/usr/bin:/bin", true, NULL, 0),
    };
    sim_context ctx[2];
    memset(ctx, 0, sizeof(ctx));
    ctx[0].name = "login";
    ctx[0].kind = SIM_LOGIN;
    ctx[0].login = ctx[0].interactive = true;
    ctx[0].vars = vars;
    ctx[0].nvars = sizeof(vars) / sizeof(vars[0]);
    ctx[1].name = "cron";
    ctx[1].kind = SIM_CRON;
    ctx[1].vars = cron_vars;
    ctx[1].nvars = 2;
    sim_result sr;
    memset(&sr, 0, sizeof(sr));
    sr.user = "u";
    sr.home = "/home/u";
    sr.contexts = ctx;
    sr.ncontexts = 2;

    finding_list fl;
    findings_init(&fl);
    go_rules_run(&sr, &r, &fl);

    const finding *f = find(&fl, "GE3103");
    assert_non_null(f);
    assert_string_equal(f->file, "/home/u/.profile");
    assert_int_equal(f->line, 2);
    assert_int_equal(f->sev, SEV_ERROR);
    assert_non_null(strstr(f->message, "version \"go1.20.3\" does not match go tool version \"go1.22.5\""));
    assert_int_equal(f->ncontexts, 1);
    assert_string_equal(f->contexts[0], "login");

    f = find(&fl, "GE3115");
    assert_non_null(f);
    assert_int_equal(f->line, 3);
    assert_non_null(strstr(f->message, "exec format error"));

    f = find(&fl, "GE3118");
    assert_non_null(f);
    assert_int_equal(f->line, 4);
    assert_non_null(strstr(f->message, "https://proxy.golang.org,direct"));

    /* cron never reads startup files: go missing there is info, and points
     * at the line that adds go's directory elsewhere (none: the profile) */
    f = find(&fl, "GE3101");
    assert_non_null(f);
    assert_int_equal(f->sev, SEV_INFO);
    assert_string_equal(f->contexts[0], "cron");
    findings_release(&fl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_proxy),
        cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_toolchain_flags_netdns),
        cmocka_unit_test(test_installs),
        cmocka_unit_test(test_rules_run),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

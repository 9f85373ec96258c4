/* The system-config model of a fixture root: search paths, drop-ins in
 * order (type-wide service.d included), masking, sysctl provenance, the
 * merged environment, and the cross-file findings with their links. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysconf/sysconf.h"

static root fixture_root(const char *name)
{
    const char *top = getenv("GOLINT_ENV_SOURCE_DIR");
    static char dir[4096];
    snprintf(dir, sizeof(dir), "%s/fixtures/roots/%s", top ? top : ".", name);
    root r = {.dir = dir};
    return r;
}

static const finding *find(const finding_list *fl, const char *rule, const char *file, int line)
{
    for (size_t i = 0; i < fl->n; i++)
        if (strcmp(fl->items[i]->rule, rule) == 0 && strcmp(fl->items[i]->file, file) == 0 &&
            (line == 0 || fl->items[i]->line == line))
            return fl->items[i];
    fprintf(stderr, "no %s at %s:%d among:\n", rule, file, line);
    for (size_t i = 0; i < fl->n; i++)
        fprintf(stderr, "  %s %s:%d %s\n", fl->items[i]->rule, fl->items[i]->file, fl->items[i]->line,
                fl->items[i]->message);
    return NULL;
}

static void units_and_dropins(void **state)
{
    (void)state;
    root r = fixture_root("units-nofile");
    system_config *sc = sysconf_load(&r, NULL);
    const unit_view *api = sysconf_unit(sc, "api.service");
    assert_non_null(api);
    assert_string_equal(api->fragment, "/etc/systemd/system/api.service");
    assert_int_equal(api->ndropins, 3);
    /* sorted by file name across folders: 10-limits, 10-timeout (service.d), 20-cpu */
    assert_string_equal(api->dropins[0]->src->path, "/etc/systemd/system/api.service.d/10-limits.conf");
    assert_string_equal(api->dropins[1]->src->path, "/usr/lib/systemd/system/service.d/10-timeout.conf");
    assert_string_equal(api->dropins[2]->src->path, "/etc/systemd/system/api.service.d/20-cpu.conf");
    const unit_setting *s = unit_view_get(api, "Service", "LimitNOFILE");
    assert_non_null(s);
    assert_string_equal(s->value, "2097152");
    assert_string_equal(unit_view_get(api, "Service", "CPUQuota")->value, "200%");
    assert_string_equal(unit_view_get(api, "Service", "TimeoutStopSec")->value, "30s");
    /* enabled through a *.wants link to /usr/lib */
    const unit_view *worker = sysconf_unit(sc, "worker.service");
    assert_non_null(worker);
    assert_string_equal(worker->fragment, "/usr/lib/systemd/system/worker.service");
    assert_int_equal(worker->ndropins, 2);
    const unit_view *legacy = sysconf_unit(sc, "legacy.service");
    assert_non_null(legacy);
    assert_true(legacy->masked);
    /* environment: Environment= then EnvironmentFile= (missing ones skipped) */
    const unit_env_var *env;
    size_t n = sysconf_unit_env(sc, api, &env);
    assert_int_equal(n, 3);
    assert_string_equal(env[0].name, "GOMAXPROCS");
    assert_string_equal(env[0].value, "8");
    assert_int_equal(env[0].line, 11);
    assert_string_equal(env[2].name, "GOFLAGS");
    assert_string_equal(env[2].value, "-mod=vendor");
    sysconf_free(sc);
}

static void sysctl_provenance(void **state)
{
    (void)state;
    root r = fixture_root("sysctl-order");
    system_config *sc = sysconf_load(&r, NULL);
    const sysctl_setting *s = sysconf_sysctl(sc, "net.core.somaxconn");
    assert_non_null(s);
    assert_string_equal(s->value, "1024");
    assert_string_equal(s->where.file, "/etc/sysctl.d/99-sysctl.conf");
    assert_int_equal(s->noverridden, 1);
    assert_string_equal(s->overridden[0].file, "/usr/lib/sysctl.d/50-net.conf");
    /* /etc/sysctl.d/50-default.conf -> /dev/null masks /usr/lib's file of that name */
    assert_null(sysconf_sysctl(sc, "kernel.sysrq"));
    /* sysctl.conf is read once, through the 99-sysctl.conf link */
    for (size_t i = 0; i < sc->nsysctl_files; i++)
        assert_string_not_equal(sc->sysctl_files[i]->src->path, "/etc/sysctl.conf");
    uint64_t v;
    sysconf_origin w;
    assert_true(sysconf_sysctl_u64(sc, "fs.nr_open", &v, &w));
    assert_int_equal(v, 2097152);
    assert_int_equal(w.line, 2);
    /* not configured: the live value under the root */
    assert_true(sysconf_sysctl_u64(sc, "kernel.threads-max", &v, &w));
    assert_int_equal(v, 63000);
    assert_string_equal(w.file, "/proc/sys/kernel/threads-max");
    assert_int_equal(w.line, 0);
    assert_false(sysconf_sysctl_u64(sc, "kernel.nonexistent", &v, &w));
    sysconf_free(sc);
}

static void cross_file_findings(void **state)
{
    (void)state;
    root r = fixture_root("units-nofile");
    system_config *sc = sysconf_load(&r, NULL);
    finding_list fl;
    findings_init(&fl);
    sysconf_check(sc, NULL, &fl);
    const finding *sym = find(&fl, "GE4012", "/etc/systemd/system/api.service.d/10-limits.conf", 2);
    const finding *cause = find(&fl, "GE4052", "/etc/sysctl.d/90-fd.conf", 2);
    assert_non_null(sym);
    assert_non_null(cause);
    assert_int_equal(sym->caused_by, cause->uid);
    assert_non_null(sym->fix);
    assert_string_equal(sym->fix->edits[0].text, "1048576");
    assert_non_null(find(&fl, "GE4021", "/etc/systemd/system/api.service", 9));
    assert_null(strstr(find(&fl, "GE4021", "/etc/systemd/system/api.service", 9)->message, "api-local"));
    /* GOMAXPROCS in the unit, CPUQuota in a drop-in: only the merged view sees it */
    assert_non_null(find(&fl, "GE5010", "/etc/systemd/system/api.service", 11));
    assert_non_null(find(&fl, "GE5011", "/usr/lib/systemd/system/worker.service.d/50-cpu.conf", 2));
    assert_non_null(find(&fl, "GE4011", "/etc/systemd/system.conf", 4));
    /* per-file rules ran on every file read */
    assert_non_null(find(&fl, "GE4002", "/etc/systemd/system/api.service", 16));
    assert_non_null(find(&fl, "GE4013", "/usr/lib/systemd/system/worker.service", 7));
    findings_release(&fl);
    sysconf_free(sc);
}

static void explain(void **state)
{
    (void)state;
    root r = fixture_root("units-nofile");
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    char why[256];
    assert_int_equal(sysconf_explain_unit(&r, "api.service", out, why, sizeof(why)), 0);
    fclose(out);
    assert_non_null(strstr(buf, "# /etc/systemd/system/api.service\n"));
    assert_non_null(strstr(buf, "# /usr/lib/systemd/system/service.d/10-timeout.conf\n"));
    assert_non_null(strstr(buf, "LimitNOFILE=2097152    # /etc/systemd/system/api.service.d/10-limits.conf:2\n"));
    free(buf);
    out = open_memstream(&buf, &len);
    assert_int_equal(sysconf_explain_unit(&r, "missing.service", out, why, sizeof(why)), 2);
    fclose(out);
    assert_non_null(strstr(why, "missing.service"));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(units_and_dropins),
        cmocka_unit_test(sysctl_provenance),
        cmocka_unit_test(cross_file_findings),
        cmocka_unit_test(explain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Live checks (issue 7): /proc/N/limits, mountinfo modes, cpu lists, Go's
 * GOMAXPROCS default, build info, ELF identity, symlinks inside a root,
 * PATH lookups, `go env` under a deadline, and whole runs over temporary
 * roots and the fixture machines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "live/live.h"

/* ---- helpers ------------------------------------------------------------- */

static char *tmp_root(void)
{
    char tmpl[] = "/tmp/golint-live-XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

static void mkdirs(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0755);
            *p = '/';
        }
}

static void put(const char *rootdir, const char *path, const void *data, size_t len, mode_t mode)
{
    char full[4096];
    snprintf(full, sizeof(full), "%s%s", rootdir, path);
    mkdirs(full);
    FILE *f = fopen(full, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    chmod(full, mode);
}

static void puts_(const char *rootdir, const char *path, const char *text)
{
    put(rootdir, path, text, strlen(text), 0644);
}

static void rm_rf(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* A 64-bit little-endian ELF: header, .shstrtab and (if version) .go.buildinfo. */
static size_t make_elf(unsigned char *out, size_t cap, int machine, const char *version)
{
    memset(out, 0, cap);
    static const char shstr[] = "\0.shstrtab\0.go.buildinfo";
    size_t shstr_off = 64, shstr_len = sizeof(shstr);
    size_t bi_off = 128, bi_len = 0;
    memcpy(out + shstr_off, shstr, shstr_len);
    if (version) {
        memcpy(out + bi_off, "\xff Go buildinf:", 14);
        out[bi_off + 14] = 8;
        out[bi_off + 15] = 2;
        out[bi_off + 32] = (unsigned char)strlen(version);
        memcpy(out + bi_off + 33, version, strlen(version));
        bi_len = 33 + strlen(version) + 1;
    }
    size_t sh_off = 256, nsec = version ? 3 : 2;
    memcpy(out, "\x7f" "ELF", 4);
    out[4] = 2; /* 64-bit */
    out[5] = 1; /* little endian */
    out[6] = 1;
    out[16] = 2; /* ET_EXEC */
    out[18] = (unsigned char)(machine & 0xff);
    out[19] = (unsigned char)(machine >> 8);
    out[40] = (unsigned char)sh_off;
    out[41] = (unsigned char)(sh_off >> 8);
    out[58] = 64;  /* e_shentsize */
    out[60] = (unsigned char)nsec;
    out[62] = 1;   /* e_shstrndx */
    unsigned char *sh = out + sh_off + 64; /* section 1: .shstrtab */
    sh[0] = 1;
    sh[4] = 3;
    sh[24] = (unsigned char)shstr_off;
    sh[32] = (unsigned char)shstr_len;
    if (version) {
        sh += 64; /* section 2: .go.buildinfo */
        sh[0] = 11;
        sh[4] = 1;
        sh[24] = (unsigned char)bi_off;
        sh[32] = (unsigned char)bi_len;
    }
    size_t total = sh_off + 64 * nsec;
    assert_true(total <= cap);
    return total;
}

static const finding *find_rule(const finding_list *fl, const char *rule)
{
    for (size_t i = 0; i < fl->n; i++)
        if (strcmp(fl->items[i]->rule, rule) == 0)
            return fl->items[i];
    return NULL;
}

static size_t count_rule(const finding_list *fl, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < fl->n; i++)
        n += strcmp(fl->items[i]->rule, rule) == 0;
    return n;
}

/* ---- parsers ------------------------------------------------------------- */

static void test_limits_parse(void **state)
{
    (void)state;
    const char *text =
        "Limit                     Soft Limit           Hard Limit           Units     \n"
        "Max cpu time              unlimited            unlimited            seconds   \n"
        "Max processes             63704                63704                processes \n"
        "Max open files            1024                 524288               files     \n";
    live_rlimit nofile, nproc;
    live_limits_parse(text, &nofile, &nproc);
    assert_true(nofile.found);
    assert_int_equal(nofile.soft, 1024);
    assert_int_equal(nofile.hard, 524288);
    assert_int_equal(nofile.line, 4);
    assert_true(nproc.found);
    assert_int_equal(nproc.soft, 63704);
    live_limits_parse("Max open files            unlimited            unlimited            files\n",
                      &nofile, &nproc);
    assert_true(nofile.soft == LIVE_RLIM_INF && nofile.hard == LIVE_RLIM_INF);
    assert_false(nproc.found);
    live_limits_parse("garbage\nMax open filesX 1 2\n", &nofile, &nproc);
    assert_false(nofile.found);
}

static void test_cg_mode(void **state)
{
    (void)state;
    const char *v2 = "29 24 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n";
    const char *v1 = "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n";
    const char *hy = "26 25 0:23 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n"
                     "28 25 0:25 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n";
    assert_int_equal(live_cg_mode_parse(v2), LIVE_CG_V2);
    assert_int_equal(live_cg_mode_parse(v1), LIVE_CG_V1);
    assert_int_equal(live_cg_mode_parse(hy), LIVE_CG_HYBRID);
    assert_int_equal(live_cg_mode_parse("24 1 259:1 / / rw - ext4 /dev/root rw\n"), LIVE_CG_NONE);
    assert_int_equal(live_cg_mode_parse(""), LIVE_CG_NONE);
    assert_string_equal(live_cg_mode_name(LIVE_CG_HYBRID), "hybrid");
}

static void test_cpulist(void **state)
{
    (void)state;
    assert_int_equal(live_cpulist_count("0-3,8,10-11"), 7);
    assert_int_equal(live_cpulist_count("\t0-1\n"), 2);
    assert_int_equal(live_cpulist_count("5"), 1);
    assert_int_equal(live_cpulist_count(""), 0);
    assert_int_equal(live_cpulist_count("3-1"), 0);
}

static void test_gomaxprocs_default(void **state)
{
    (void)state;
    int ma, mi, pa;
    assert_true(live_go_version_parse("go1.25.1", &ma, &mi, &pa));
    assert_int_equal(mi, 25);
    assert_true(live_go_version_parse("go1.22", &ma, &mi, &pa));
    assert_int_equal(pa, 0);
    assert_false(live_go_version_parse("devel +abc", &ma, &mi, &pa));
    /* Go 1.25: min(ncpu, max(2, ceil(quota))) */
    assert_int_equal(live_gomaxprocs_default(25, true, 8, 0.5), 2);
    assert_int_equal(live_gomaxprocs_default(25, true, 8, 3.2), 4);
    assert_int_equal(live_gomaxprocs_default(25, true, 2, 16), 2);
    assert_int_equal(live_gomaxprocs_default(25, true, 1, 0.5), 1);
    assert_int_equal(live_gomaxprocs_default(25, true, 8, 0), 8);
    /* before 1.25, or containermaxprocs=0: the CPU count */
    assert_int_equal(live_gomaxprocs_default(24, true, 8, 0.5), 8);
    assert_int_equal(live_gomaxprocs_default(25, false, 8, 0.5), 8);
    assert_int_equal(live_godebug_get("http2client=0,containermaxprocs=0", "containermaxprocs"), 0);
    assert_int_equal(live_godebug_get("containermaxprocs=0,containermaxprocs=1", "containermaxprocs"), 1);
    assert_int_equal(live_godebug_get("updatemaxprocs=0", "containermaxprocs"), -1);
    assert_int_equal(live_godebug_get(NULL, "containermaxprocs"), -1);
}

static void test_buildinfo(void **state)
{
    (void)state;
    unsigned char blob[64] = "\xff Go buildinf:";
    blob[14] = 8;
    blob[15] = 2;
    blob[32] = 8;
    memcpy(blob + 33, "go1.24.3", 8);
    char v[32];
    assert_true(live_buildinfo_parse(blob, sizeof(blob), v, sizeof(v)));
    assert_string_equal(v, "go1.24.3");
    blob[15] = 0; /* pre-1.18 layout: pointers, not parsed */
    assert_false(live_buildinfo_parse(blob, sizeof(blob), v, sizeof(v)));
    blob[15] = 2;
    blob[32] = 200; /* length past the buffer */
    assert_false(live_buildinfo_parse(blob, sizeof(blob), v, sizeof(v)));
    blob[0] = 'x';
    assert_false(live_buildinfo_parse(blob, sizeof(blob), v, sizeof(v)));
}

static void test_bin_read(void **state)
{
    (void)state;
    char *r = tmp_root();
    unsigned char elf[512];
    size_t n = make_elf(elf, sizeof(elf), 183, "go1.22.1");
    put(r, "/arm", elf, n, 0755);
    n = make_elf(elf, sizeof(elf), 62, NULL);
    put(r, "/amd", elf, n, 0755);
    puts_(r, "/shim", "#!/usr/bin/env bash\nexec \"$HOME/.asdf/bin/asdf\" exec go \"$@\"\n");
    puts_(r, "/text", "hello\n");
    char p[4200];
    live_bin b;
    snprintf(p, sizeof(p), "%s/arm", r);
    live_bin_read(p, &b);
    assert_int_equal(b.kind, LIVE_BIN_ELF);
    assert_int_equal(b.elf_class, 64);
    assert_int_equal(b.elf_machine, 183);
    assert_string_equal(b.go_version, "go1.22.1");
    snprintf(p, sizeof(p), "%s/amd", r);
    live_bin_read(p, &b);
    assert_int_equal(b.elf_machine, 62);
    assert_string_equal(b.go_version, "");
    snprintf(p, sizeof(p), "%s/shim", r);
    live_bin_read(p, &b);
    assert_int_equal(b.kind, LIVE_BIN_SCRIPT);
    assert_string_equal(b.shim, "asdf");
    snprintf(p, sizeof(p), "%s/text", r);
    live_bin_read(p, &b);
    assert_int_equal(b.kind, LIVE_BIN_OTHER);
    snprintf(p, sizeof(p), "%s/none", r);
    live_bin_read(p, &b);
    assert_int_equal(b.kind, LIVE_BIN_MISSING);
    assert_int_equal(live_arch_machine("x86_64"), 62);
    assert_int_equal(live_arch_machine("aarch64"), 183);
    assert_int_equal(live_arch_machine("pdp11"), 0);
    rm_rf(r);
    free(r);
}

/* Hostile headers: random section tables, sizes and offsets never crash or
 * read past what was read (ASan build), and mangled files are not Go. */
static void test_bin_hostile(void **state)
{
    (void)state;
    char *r = tmp_root();
    unsigned char elf[512];
    unsigned seed = 12345;
    char p[4200];
    snprintf(p, sizeof(p), "%s/x", r);
    for (int round = 0; round < 300; round++) {
        size_t n = make_elf(elf, sizeof(elf), 62, "go1.22.1");
        for (int k = 0; k < 6; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % (round < 150 ? 64 : n);
            elf[at] = (unsigned char)(seed >> 20);
        }
        memcpy(elf, "\x7f" "ELF", 4);
        put(r, "/x", elf, (round % 7 == 0) ? 40 : n, 0755);
        live_bin b;
        live_bin_read(p, &b);
        assert_true(b.kind == LIVE_BIN_ELF || b.kind == LIVE_BIN_OTHER);
        assert_true(strlen(b.go_version) < sizeof(b.go_version));
    }
    rm_rf(r);
    free(r);
}

static void test_resolve(void **state)
{
    (void)state;
    char *r = tmp_root();
    root rt = {.dir = r};
    unsigned char elf[512];
    size_t n = make_elf(elf, sizeof(elf), 62, "go1.25.0");
    put(r, "/usr/lib/go-1.25/bin/go", elf, n, 0755);
    char p[4200], t[4200];
    snprintf(p, sizeof(p), "%s/usr/local", r);
    mkdir(p, 0755);
    snprintf(p, sizeof(p), "%s/usr/local/go", r);
    assert_int_equal(symlink("/usr/lib/go-1.25", p), 0); /* absolute: inside the root */
    snprintf(p, sizeof(p), "%s/usr/bin", r);
    mkdir(p, 0755);
    snprintf(p, sizeof(p), "%s/usr/bin/go", r);
    assert_int_equal(symlink("../local/go/bin/go", p), 0);
    snprintf(p, sizeof(p), "%s/usr/bin/a", r);
    snprintf(t, sizeof(t), "%s/usr/bin/b", r);
    assert_int_equal(symlink("b", p), 0);
    assert_int_equal(symlink("/usr/bin/a", t), 0);
    char out[4096];
    bool loop;
    assert_true(live_resolve(&rt, "/usr/bin/go", out, sizeof(out), &loop));
    assert_string_equal(out, "/usr/lib/go-1.25/bin/go");
    assert_false(live_resolve(&rt, "/usr/bin/a", out, sizeof(out), &loop));
    assert_true(loop);
    assert_false(live_resolve(&rt, "/usr/bin/nothing", out, sizeof(out), &loop));
    assert_false(loop);
    /* PATH lookup: relative and empty entries skipped, first executable wins */
    size_t idx = 99;
    assert_true(live_path_lookup(&rt, "bin::/opt/none:/usr/bin:/usr/local/go/bin", "go", out, sizeof(out), &idx));
    assert_string_equal(out, "/usr/bin/go");
    assert_int_equal(idx, 3);
    puts_(r, "/opt/x/go", "not executable\n");
    assert_true(live_path_lookup(&rt, "/opt/x:/usr/local/go/bin", "go", out, sizeof(out), &idx));
    assert_string_equal(out, "/usr/local/go/bin/go");
    assert_false(live_path_lookup(&rt, "/opt/x", "go", out, sizeof(out), &idx));
    rm_rf(r);
    free(r);
}

static void test_exec_capture(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    char why[128];
    char *echo[] = {"/bin/echo", "{\"GOROOT\":\"/usr/local/go\"}", NULL};
    assert_int_equal(live_exec_capture(echo, 2, &sb, why, sizeof(why)), 0);
    char *v = live_goenv_get(sb.data, "GOROOT");
    assert_string_equal(v, "/usr/local/go");
    free(v);
    assert_null(live_goenv_get(sb.data, "GOPATH"));
    assert_null(live_goenv_get("not json", "GOROOT"));
    strbuf_reset(&sb);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    char *sleep_[] = {"/bin/sleep", "5", NULL};
    assert_int_equal(live_exec_capture(sleep_, 0.2, &sb, why, sizeof(why)), -1);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double took = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    assert_true(took < 1.5);
    assert_non_null(strstr(why, "no answer"));
    char *missing[] = {"/nonexistent/go", "env", NULL};
    assert_int_not_equal(live_exec_capture(missing, 1, &sb, why, sizeof(why)), 0);
    strbuf_release(&sb);
}

/* ---- whole runs ------------------------------------------------------------- */

static void test_run_contexts(void **state)
{
    (void)state;
    char *r = tmp_root();
    root rt = {.dir = r};
    puts_(r, "/proc/self/status", "Name:\tx\nThreads:\t1\nCpus_allowed_list:\t0-3\n");
    puts_(r, "/proc/self/mountinfo", "29 24 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
    puts_(r, "/proc/self/cgroup", "0::/a/b\n");
    puts_(r, "/sys/fs/cgroup/a/cpu.max", "50000 100000\n"); /* the ancestor binds */
    puts_(r, "/sys/fs/cgroup/a/b/cpu.max", "max 100000\n");
    unsigned char elf[512];
    size_t n = make_elf(elf, sizeof(elf), 62, "go1.21.0");
    put(r, "/opt/go/bin/go", elf, n, 0755);
    n = make_elf(elf, sizeof(elf), 183, "go1.21.0");
    put(r, "/home/u/go/bin/tool", elf, n, 0755);
    puts_(r, "/opt/open/.keep", "");
    char d[4200];
    snprintf(d, sizeof(d), "%s/opt/open", r);
    chmod(d, 0777);

    live_context c[2];
    memset(c, 0, sizeof(c));
    c[0].name = "terminal";
    c[0].v[LV_PATH] = (live_value){"/opt/open:/opt/go/bin:/nowhere", "/home/u/.bashrc", 3};
    c[0].v[LV_GOMAXPROCS] = (live_value){"4", "/home/u/.bashrc", 7};
    c[0].v[LV_GOPATH] = (live_value){"/home/u/go", "/home/u/.bashrc", 2};
    c[1].name = "cron";
    c[1].v[LV_PATH] = (live_value){"/opt/go/bin", NULL, 0};
    live_options o = {.root = &rt, .offline = true, .contexts = c, .ncontexts = 2, .uid = 1000,
                      .arch = "x86_64"};
    finding_list fl;
    findings_init(&fl);
    live_check_run(&o, &fl);

    const finding *f = find_rule(&fl, "GE6021"); /* GOMAXPROCS=4 under 0.5 CPU */
    assert_non_null(f);
    assert_string_equal(f->file, "/home/u/.bashrc");
    assert_int_equal(f->line, 7);
    assert_non_null(strstr(f->message, "/sys/fs/cgroup/a/cpu.max"));
    f = find_rule(&fl, "GE6022"); /* cron: go1.21 ignores the quota */
    assert_non_null(f);
    assert_int_equal(f->ncontexts, 1);
    assert_string_equal(f->contexts[0], "cron");
    f = find_rule(&fl, "GE6034");
    assert_non_null(f);
    assert_int_equal(f->line, 2);
    f = find_rule(&fl, "GE6040");
    assert_non_null(f);
    assert_non_null(strstr(f->message, "/opt/open"));
    f = find_rule(&fl, "GE6041");
    assert_non_null(f);
    assert_non_null(strstr(f->message, "/nowhere"));
    /* one GE6035 for both contexts, which run the same go */
    assert_int_equal(count_rule(&fl, "GE6035"), 2); /* different lines: .bashrc:3 and the binary */
    f = find_rule(&fl, "GE6020");
    assert_non_null(f);
    assert_non_null(strstr(f->message, "limit 0.5"));
    assert_null(find_rule(&fl, "GE6050")); /* never under a root */
    findings_release(&fl);

    /* GOMAXPROCS within the limit, Go 1.25: nothing about CPUs */
    n = make_elf(elf, sizeof(elf), 62, "go1.25.2");
    put(r, "/opt/go/bin/go", elf, n, 0755);
    c[0].v[LV_GOMAXPROCS] = (live_value){"1", "/home/u/.bashrc", 7};
    findings_init(&fl);
    live_check_run(&o, &fl);
    assert_null(find_rule(&fl, "GE6021"));
    assert_null(find_rule(&fl, "GE6022"));
    findings_release(&fl);
    rm_rf(r);
    free(r);
}

static void test_run_process(void **state)
{
    (void)state;
    char *r = tmp_root();
    root rt = {.dir = r};
    puts_(r, "/proc/77/limits",
          "Max processes             100                  100                  processes \n"
          "Max open files            20                   4096                 files     \n");
    puts_(r, "/proc/77/status", "Name:\tsrv\nPPid:\t1\nThreads:\t95\n");
    puts_(r, "/proc/77/cgroup", "0::/system.slice/srv.service\n");
    for (int i = 0; i < 18; i++) {
        char p[64];
        snprintf(p, sizeof(p), "/proc/77/fd/%d", i);
        puts_(r, p, "");
    }
    puts_(r, "/proc/78/status", "Name:\tchild\nPPid:\t77\nThreads:\t1\n");
    puts_(r, "/proc/78/cgroup", "0::/system.slice/srv.service\n");
    live_options o = {.root = &rt, .offline = true, .unit = "srv", .uid = -1, .arch = "x86_64"};
    finding_list fl;
    findings_init(&fl);
    live_check_run(&o, &fl);
    const finding *f = find_rule(&fl, "GE6011");
    assert_non_null(f);
    assert_string_equal(f->file, "/proc/77/limits");
    assert_int_equal(f->line, 2);
    f = find_rule(&fl, "GE6012");
    assert_non_null(f);
    assert_string_equal(f->file, "/proc/77/status");
    assert_int_equal(f->line, 3);
    assert_null(find_rule(&fl, "GE6014"));
    findings_release(&fl);
    assert_int_equal(live_unit_pid(&rt, "srv.service"), 77);
    assert_int_equal(live_unit_pid(&rt, "srv"), 0);
    assert_int_equal(live_unit_pid(&rt, "other.service"), 0);
    /* below 90%: no warning */
    for (int i = 10; i < 18; i++) {
        char p[128];
        snprintf(p, sizeof(p), "%s/proc/77/fd/%d", r, i);
        unlink(p);
    }
    findings_init(&fl);
    live_check_run(&o, &fl);
    assert_null(find_rule(&fl, "GE6011"));
    assert_non_null(find_rule(&fl, "GE6010"));
    findings_release(&fl);
    rm_rf(r);
    free(r);
}

/* The fixture machines: cgroup v1, v2 and hybrid limits found at the right file. */
static void test_fixture_limits(void **state)
{
    (void)state;
    const char *src = getenv("GOLINT_ENV_SOURCE_DIR");
    if (!src)
        skip();
    static const struct {
        const char *name;
        int pid;
        live_cg_mode mode;
        double quota;
        int ncpus;
        const char *file;
    } cases[] = {
        {"live-v2", 0, LIVE_CG_V2, 2.0, 4, "/sys/fs/cgroup/user.slice/user-1000.slice/cpu.max"},
        {"live-v2", 4242, LIVE_CG_V2, 1.5, 4, "/sys/fs/cgroup/system.slice/api.service/cpu.max"},
        {"live-v1", 0, LIVE_CG_V1, 0.5, 8, "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us"},
        {"live-hybrid", 0, LIVE_CG_HYBRID, 1.0, 4, "/sys/fs/cgroup/cpu,cpuacct/user.slice/cpu.cfs_quota_us"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char dir[4096];
        snprintf(dir, sizeof(dir), "%s/fixtures/roots/%s", src, cases[i].name);
        root rt = {.dir = dir};
        live_cpu_limit lim;
        live_cpu_limit_read(&rt, cases[i].pid, false, &lim);
        assert_int_equal(lim.mode, cases[i].mode);
        assert_true(lim.quota > cases[i].quota - 0.001 && lim.quota < cases[i].quota + 0.001);
        assert_int_equal(lim.ncpus, cases[i].ncpus);
        assert_string_equal(lim.quota_file, cases[i].file);
    }
}

/* On this machine: this process's limits as getrlimit and /proc say. */
static void test_live_self(void **state)
{
    (void)state;
    root self = {.dir = ""};
    live_options o = {.root = &self, .offline = true, .no_exec = true, .uid = -1};
    finding_list fl;
    findings_init(&fl);
    live_check_run(&o, &fl);
    const finding *f = find_rule(&fl, "GE6010");
    assert_non_null(f);
    assert_string_equal(f->file, "/proc/self/limits");
    char want[64];
    long soft = sysconf(_SC_OPEN_MAX);
    snprintf(want, sizeof(want), "open files soft %ld ", soft);
    assert_non_null(strstr(f->message, want));
    findings_release(&fl);
}

/* Live mode: the go found on PATH answers `go env -json`; its values are
 * compared with the simulated ones, and a go that fails is reported. */
static void test_go_env(void **state)
{
    (void)state;
    char *r = tmp_root();
    char bin[4200], path[4300];
    snprintf(bin, sizeof(bin), "%s/bin", r);
    const char *script = "#!/bin/sh\n[ \"$1 $2\" = \"env -json\" ] || exit 3\n"
                         "echo '{\"GOROOT\": \"/real/goroot\", \"GOPATH\": \"/home/u/go\"}'\n";
    put(r, "/bin/go", script, strlen(script), 0755);
    snprintf(path, sizeof(path), "%s:/usr/bin:/bin", bin);
    root self = {.dir = ""};
    live_context c;
    memset(&c, 0, sizeof(c));
    c.name = "terminal";
    c.v[LV_PATH] = (live_value){path, "/home/u/.bashrc", 2};
    c.v[LV_GOROOT] = (live_value){"/sim/goroot", "/home/u/.bashrc", 5};
    c.v[LV_GOPATH] = (live_value){"/home/u/go", "/home/u/.bashrc", 6};
    live_options o = {.root = &self, .timeout = 3, .contexts = &c, .ncontexts = 1, .uid = -1};
    finding_list fl;
    findings_init(&fl);
    live_check_run(&o, &fl);
    const finding *f = find_rule(&fl, "GE6050");
    assert_non_null(f);
    assert_int_equal(f->line, 5); /* GOROOT differs; GOPATH agrees */
    assert_int_equal(count_rule(&fl, "GE6050"), 1);
    assert_non_null(strstr(f->message, "/real/goroot"));
    assert_non_null(strstr(f->message, bin)); /* says which binary ran */
    findings_release(&fl);
    /* --no-exec and --offline never run it */
    o.no_exec = true;
    findings_init(&fl);
    live_check_run(&o, &fl);
    assert_null(find_rule(&fl, "GE6050"));
    findings_release(&fl);
    /* a go that fails */
    o.no_exec = false;
    const char *bad = "#!/bin/sh\nexit 2\n";
    put(r, "/bin/go", bad, strlen(bad), 0755);
    findings_init(&fl);
    live_check_run(&o, &fl);
    f = find_rule(&fl, "GE6051");
    assert_non_null(f);
    assert_non_null(strstr(f->message, "exit status 2"));
    findings_release(&fl);
    rm_rf(r);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limits_parse),
        cmocka_unit_test(test_cg_mode),
        cmocka_unit_test(test_cpulist),
        cmocka_unit_test(test_gomaxprocs_default),
        cmocka_unit_test(test_buildinfo),
        cmocka_unit_test(test_bin_read),
        cmocka_unit_test(test_bin_hostile),
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_exec_capture),
        cmocka_unit_test(test_run_contexts),
        cmocka_unit_test(test_run_process),
        cmocka_unit_test(test_fixture_limits),
        cmocka_unit_test(test_live_self),
        cmocka_unit_test(test_go_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

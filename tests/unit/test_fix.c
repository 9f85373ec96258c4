/* test_fix.c - the fix engine: edits, overlap resolution, applicability,
 * the parse check, safe writes (symlink, mode, stale, non-regular, hard
 * link, injected fault), the pass loop, backups and undo. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fix/fix.h"

static char tmpdir[256];
static char statedir[300];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/golint-fix-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    snprintf(statedir, sizeof(statedir), "%s/state", tmpdir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *path_in(const char *name)
{
    char *p = xmalloc(512);
    snprintf(p, 512, "%s/%s", tmpdir, name);
    return p;
}

static void write_file(const char *path, const char *data)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(data, 1, strlen(data), f);
    fclose(f);
}

static char *read_file(const char *path)
{
    source_error err;
    char why[256];
    source_file *s = source_load(path, path, &err, why, sizeof(why));
    if (!s)
        return NULL;
    char *d = xstrndup(s->data, s->len);
    source_free(s);
    return d;
}

/* Load a file into sources and add a finding with a one-edit fix on it. */
static source_file *load(source_set *set, const char *path)
{
    source_error err;
    char why[256];
    source_file *s = source_load(path, path, &err, why, sizeof(why));
    assert_non_null(s);
    source_set_add(set, s);
    return s;
}

static finding *add_fix(finding_list *fl, const source_file *src, const char *rule,
                        fix_applicability app, size_t start, size_t end, const char *text)
{
    finding *f = finding_add(fl, rule, SEV_WARNING, src, start, end, "test finding %s", rule);
    fix *fx = finding_set_fix(fl, f, app, "replace with %s", text);
    fix_add_edit(fl, fx, src, start, end, text);
    return f;
}

static size_t count_outcome(const fix_report *r, fix_outcome o)
{
    return r->counts[o];
}

/* ---- edits --------------------------------------------------------------- */

static void test_edits_apply_sorted(void **state)
{
    (void)state;
    fix_edit e1 = {.file = "f", .start = 6, .end = 11, .text = "there"};
    fix_edit e2 = {.file = "f", .start = 0, .end = 5, .text = "HELLO"};
    fix_edit e3 = {.file = "f", .start = 11, .end = 11, .text = "!"};
    const fix_edit *v[] = {&e1, &e2, &e3};
    size_t len;
    char why[128];
    char *out = fix_edits_apply("hello world", 11, v, 3, &len, why, sizeof(why));
    assert_non_null(out);
    assert_string_equal(out, "HELLO there!");
    assert_int_equal(len, 12);
    free(out);
}

static void test_edits_overlap_rejected(void **state)
{
    (void)state;
    fix_edit e1 = {.file = "f", .start = 0, .end = 5, .text = "a"};
    fix_edit e2 = {.file = "f", .start = 3, .end = 8, .text = "b"};
    const fix_edit *v[] = {&e1, &e2};
    size_t len;
    char why[128];
    assert_null(fix_edits_apply("hello world", 11, v, 2, &len, why, sizeof(why)));
    fix_edit e3 = {.file = "f", .start = 3, .end = 30, .text = "b"};
    const fix_edit *w[] = {&e3};
    assert_null(fix_edits_apply("hello world", 11, w, 1, &len, why, sizeof(why)));
}

static void test_edits_conflict(void **state)
{
    (void)state;
    fix_edit a = {.file = "f", .start = 0, .end = 5};
    fix_edit b = {.file = "f", .start = 5, .end = 9};
    fix_edit c = {.file = "f", .start = 4, .end = 6};
    fix_edit i1 = {.file = "f", .start = 5, .end = 5};
    fix_edit i2 = {.file = "f", .start = 5, .end = 5};
    fix_edit i3 = {.file = "f", .start = 2, .end = 2};
    fix_edit other = {.file = "g", .start = 0, .end = 5};
    assert_false(fix_edits_conflict(&a, &b)); /* adjacent */
    assert_true(fix_edits_conflict(&a, &c));
    assert_true(fix_edits_conflict(&b, &c));
    assert_true(fix_edits_conflict(&i1, &i2)); /* two inserts at one place */
    assert_false(fix_edits_conflict(&i1, &a)); /* insert at the end of a range */
    assert_true(fix_edits_conflict(&i3, &a));  /* insert inside a range */
    assert_false(fix_edits_conflict(&a, &other));
}

/* ---- the apply loop ------------------------------------------------------ */

static fix_options opts(void)
{
    fix_options o = {.state_dir = statedir};
    return o;
}

static void test_overlap_first_position_then_rule_wins(void **state)
{
    (void)state;
    char *p = path_in("overlap.sh");
    write_file(p, "export A=1\nexport B=2\n");
    finding_list fl;
    findings_init(&fl);
    source_set set = {0};
    source_file *s = load(&set, p);
    /* GE9002 and GE9001 at the same place: the lower rule id wins; GE9003
     * starts later but overlaps: deferred, and without reanalysis a conflict */
    add_fix(&fl, s, "GE9002", FIX_SAFE, 7, 10, "X=2");
    add_fix(&fl, s, "GE9001", FIX_SAFE, 7, 10, "X=1");
    add_fix(&fl, s, "GE9003", FIX_SAFE, 8, 12, "oops");
    add_fix(&fl, s, "GE9004", FIX_SAFE, 18, 21, "C=3");
    fix_options o = opts();
    o.no_backup = true;
    fix_report r;
    fix_report_init(&r);
    char why[256];
    assert_int_equal(fix_apply_all(&o, &fl, &set, NULL, NULL, &r, why, sizeof(why)), 0);
    char *now = read_file(p);
    assert_string_equal(now, "export X=1\nexport C=3\n");
    assert_int_equal(count_outcome(&r, FIX_OUT_APPLIED), 2);
    assert_int_equal(count_outcome(&r, FIX_OUT_CONFLICT), 2);
    free(now);
    fix_report_release(&r);
    findings_release(&fl);
    source_set_release(&set);
    free(p);
}

static void test_applicability(void **state)
{
    (void)state;
    char *p = path_in("app.sh");
    write_file(p, "aaa bbb ccc\n");
    for (int unsafe = 0; unsafe <= 1; unsafe++) {
        write_file(p, "aaa bbb ccc\n");
        finding_list fl;
        findings_init(&fl);
        source_set set = {0};
        source_file *s = load(&set, p);
        add_fix(&fl, s, "GE9001", FIX_SAFE, 0, 3, "AAA");
        add_fix(&fl, s, "GE9002", FIX_UNSAFE, 4, 7, "BBB");
        add_fix(&fl, s, "GE9003", FIX_DISPLAY, 8, 11, "CCC");
        fix_options o = opts();
        o.no_backup = true;
        o.unsafe_fixes = unsafe;
        fix_report r;
        fix_report_init(&r);
        char why[256];
        assert_int_equal(fix_apply_all(&o, &fl, &set, NULL, NULL, &r, why, sizeof(why)), 0);
        char *now = read_file(p);
        assert_string_equal(now, unsafe ? "AAA BBB ccc\n" : "AAA bbb ccc\n");
        assert_int_equal(count_outcome(&r, FIX_OUT_DISPLAY_ONLY), 1);
        assert_int_equal(count_outcome(&r, FIX_OUT_UNSAFE_SKIPPED), unsafe ? 0 : 1);
        free(now);
        fix_report_release(&r);
        findings_release(&fl);
        source_set_release(&set);
    }
    free(p);
}

static void test_parse_worse_left_alone(void **state)
{
    (void)state;
    char *p = path_in(".bashrc");
    const char *orig = "if true; then\n  export A=1\nfi\nexport B=2\n";
    write_file(p, orig);
    finding_list fl;
    findings_init(&fl);
    source_set set = {0};
    source_file *s = load(&set, p);
    add_fix(&fl, s, "GE9001", FIX_SAFE, 27, 30, "");          /* drops "fi\n": broken */
    add_fix(&fl, s, "GE9002", FIX_SAFE, 37, 40, "B=3");       /* fine */
    fix_options o = opts();
    o.no_backup = true;
    fix_report r;
    fix_report_init(&r);
    char why[256];
    assert_int_equal(fix_apply_all(&o, &fl, &set, NULL, NULL, &r, why, sizeof(why)), 0);
    char *now = read_file(p);
    assert_string_equal(now, "if true; then\n  export A=1\nfi\nexport B=3\n");
    assert_int_equal(count_outcome(&r, FIX_OUT_FAILED), 1);
    assert_int_equal(count_outcome(&r, FIX_OUT_APPLIED), 1);
    bool seen = false;
    for (size_t i = 0; i < r.nresults; i++)
        if (r.results[i].outcome == FIX_OUT_FAILED) {
            assert_string_equal(r.results[i].rule, "GE9001");
            seen = true;
        }
    assert_true(seen);
    free(now);
    fix_report_release(&r);
    findings_release(&fl);
    source_set_release(&set);
    free(p);
}

static void test_stale_file_refused(void **state)
{
    (void)state;
    char *p = path_in("stale.sh");
    write_file(p, "export A=1\n");
    finding_list fl;
    findings_init(&fl);
    source_set set = {0};
    source_file *s = load(&set, p);
    add_fix(&fl, s, "GE9001", FIX_SAFE, 7, 10, "A=2");
    write_file(p, "export A=9\n"); /* someone edits it after we read it */
    fix_options o = opts();
    fix_report r;
    fix_report_init(&r);
    char why[256];
    assert_int_equal(fix_apply_all(&o, &fl, &set, NULL, NULL, &r, why, sizeof(why)), 0);
    char *now = read_file(p);
    assert_string_equal(now, "export A=9\n");
    assert_int_equal(count_outcome(&r, FIX_OUT_REFUSED), 1);
    assert_non_null(strstr(r.results[0].why, "changed since it was read"));
    free(now);
    fix_report_release(&r);
    findings_release(&fl);
    source_set_release(&set);
    free(p);
}

static void test_symlink_mode_written_through(void **state)
{
    (void)state;
    char *dir = path_in("dotfiles");
    mkdir(dir, 0755);
    char *target = path_in("dotfiles/bashrc");
    char *link = path_in(".bashrc-link");
    write_file(target, "export A=1\n");
    chmod(target, 0640);
    assert_int_equal(symlink(target, link), 0);
    finding_list fl;
    findings_init(&fl);
    source_set set = {0};
    source_file *s = load(&set, link);
    add_fix(&fl, s, "GE9001", FIX_SAFE, 7, 10, "A=2");
    fix_options o = opts();
    fix_report r;
    fix_report_init(&r);
    char why[256];
    assert_int_equal(fix_apply_all(&o, &fl, &set, NULL, NULL, &r, why, sizeof(why)), 0);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode)); /* still a link */
    assert_int_equal(stat(target, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    char *now = read_file(target);
    assert_string_equal(now, "export A=2\n");
    assert_int_equal(r.nfiles, 1);
    assert_true(r.files[0].written);
    char *real = realpath(target, NULL);
    assert_string_equal(r.files[0].target, real);
    free(real);
    free(now);
    fix_report_release(&r);
    findings_release(&fl);
    source_set_release(&set);
    free(dir);
    free(target);
    free(link);
}

static void test_write_refuses_special_files(void **state)
{
    (void)state;
    char why[256];
    char *fifo = path_in("fifo");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_false(fix_write_file(fifo, "x", 1, NULL, false, NULL, why, sizeof(why)));
    assert_non_null(strstr(why, "not a regular file"));
    char *a = path_in("hard-a"), *b = path_in("hard-b");
    write_file(a, "one\n");
    assert_int_equal(link(a, b), 0);
    assert_false(fix_write_file(a, "two\n", 4, NULL, false, NULL, why, sizeof(why)));
    assert_non_null(strstr(why, "hard links"));
    char *now = read_file(b);
    assert_string_equal(now, "one\n");
    char *dangling = path_in("dangling");
    assert_int_equal(symlink("/nonexistent/golint-env", dangling), 0);
    assert_false(fix_write_file(dangling, "x", 1, NULL, false, NULL, why, sizeof(why)));
    free(now);
    free(fifo);
    free(a);
    free(b);
    free(dangling);
}

static void test_fault_before_rename_keeps_old(void **state)
{
    (void)state;
    char *p = path_in("fault.sh");
    write_file(p, "export A=1\n");
    unsigned char sha[32];
    sha256_bytes("export A=1\n", 11, sha);
    setenv(FIX_FAULT_ENV, "before-rename", 1);
    char why[256];
    bool ok = fix_write_file(p, "export A=2\n", 11, sha, false, NULL, why, sizeof(why));
    unsetenv(FIX_FAULT_ENV);
    assert_false(ok);
    char *now = read_file(p);
    assert_string_equal(now, "export A=1\n");
    /* no temporary file left behind */
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "ls -a '%s' | grep -q golint-env-", tmpdir);
    assert_int_not_equal(system(cmd), 0);
    free(now);
    free(p);
}

/* A reanalysis that finds "A" while the file holds fewer than 3 A's and
 * offers to append one: converges in three passes. */
static bool reanalyse_more_a(void *ud, source_set *sources, const char *const *changed,
                             size_t nchanged, finding_list *out, char *why, size_t whylen)
{
    int *calls = ud;
    (*calls)++;
    for (size_t i = 0; i < nchanged; i++) {
        source_file *s = source_set_find(sources, changed[i]);
        assert_non_null(s);
        size_t n = 0;
        for (size_t k = 0; k < s->len; k++)
            n += s->data[k] == 'A';
        if (n < 3)
            add_fix(out, s, "GE9001", FIX_SAFE, s->len, s->len, "A");
    }
    return true;
}

static void test_passes_until_nothing_applies(void **state)
{
    (void)state;
    char *p = path_in("passes.txt");
    write_file(p, "");
    finding_list fl;
    findings_init(&fl);
    source_set set = {0};
    source_file *s = load(&set, p);
    add_fix(&fl, s, "GE9001", FIX_SAFE, 0, 0, "A");
    fix_options o = opts();
    o.no_backup = true;
    fix_report r;
    fix_report_init(&r);
    char why[256];
    int calls = 0;
    assert_int_equal(fix_apply_all(&o, &fl, &set, reanalyse_more_a, &calls, &r, why, sizeof(why)), 0);
    char *now = read_file(p);
    assert_string_equal(now, "AAA");
    assert_int_equal(r.passes, 3);
    assert_true(r.converged);
    assert_int_equal(fl.n, 0);
    free(now);
    fix_report_release(&r);
    findings_release(&fl);
    source_set_release(&set);
    free(p);
}

static bool reanalyse_forever(void *ud, source_set *sources, const char *const *changed,
                              size_t nchanged, finding_list *out, char *why, size_t whylen)
{
    for (size_t i = 0; i < nchanged; i++) {
        source_file *s = source_set_find(sources, changed[i]);
        add_fix(out, s, "GE9001", FIX_SAFE, s->len, s->len, "B");
    }
    return true;
}

static void test_passes_are_bounded(void **state)
{
    (void)state;
    char *p = path_in("forever.txt");
    write_file(p, "");
    finding_list fl;
    findings_init(&fl);
    source_set set = {0};
    source_file *s = load(&set, p);
    add_fix(&fl, s, "GE9001", FIX_SAFE, 0, 0, "B");
    fix_options o = opts();
    o.no_backup = true;
    o.max_passes = 4;
    fix_report r;
    fix_report_init(&r);
    char why[256];
    assert_int_equal(fix_apply_all(&o, &fl, &set, reanalyse_forever, NULL, &r, why, sizeof(why)), 0);
    char *now = read_file(p);
    assert_string_equal(now, "BBBB");
    assert_int_equal(r.passes, 4);
    assert_false(r.converged);
    free(now);
    fix_report_release(&r);
    findings_release(&fl);
    source_set_release(&set);
    free(p);
}

static void test_dry_run_writes_nothing(void **state)
{
    (void)state;
    char *p = path_in("dry.sh");
    write_file(p, "export A=1\n");
    finding_list fl;
    findings_init(&fl);
    source_set set = {0};
    source_file *s = load(&set, p);
    add_fix(&fl, s, "GE9001", FIX_SAFE, 7, 10, "A=2");
    fix_options o = opts();
    o.dry_run = true;
    fix_report r;
    fix_report_init(&r);
    char why[256];
    assert_int_equal(fix_apply_all(&o, &fl, &set, NULL, NULL, &r, why, sizeof(why)), 0);
    char *now = read_file(p);
    assert_string_equal(now, "export A=1\n");
    assert_int_equal(r.nfiles, 1);
    assert_false(r.files[0].written);
    assert_string_equal(r.files[0].after, "export A=2\n");
    assert_null(r.backup_dir);
    free(now);
    fix_report_release(&r);
    findings_release(&fl);
    source_set_release(&set);
    free(p);
}

static void test_backup_and_undo_round_trip(void **state)
{
    (void)state;
    char *p = path_in("undo.sh");
    /* CRLF, no final newline, a NUL-free but odd byte: restored byte for byte */
    const char *orig = "export A=1\r\nexport B=\xc3\xa9\r\n# end";
    write_file(p, orig);
    chmod(p, 0604);
    finding_list fl;
    findings_init(&fl);
    source_set set = {0};
    source_file *s = load(&set, p);
    add_fix(&fl, s, "GE9001", FIX_SAFE, 10, 11, "");
    add_fix(&fl, s, "GE9002", FIX_SAFE, 23, 24, "");
    fix_options o = opts();
    o.run_id = "20250101T000000.000001Z-1";
    fix_report r;
    fix_report_init(&r);
    char why[256];
    assert_int_equal(fix_apply_all(&o, &fl, &set, NULL, NULL, &r, why, sizeof(why)), 0);
    assert_non_null(r.backup_dir);
    char *now = read_file(p);
    assert_string_equal(now, "export A=1\nexport B=\xc3\xa9\n# end");
    free(now);
    /* the journal names the file, both hashes and the rules */
    char jp[700];
    snprintf(jp, sizeof(jp), "%s/journal.json", r.backup_dir);
    char *journal = read_file(jp);
    assert_non_null(journal);
    assert_non_null(strstr(journal, "\"sha256_before\""));
    assert_non_null(strstr(journal, "\"sha256_after\""));
    assert_non_null(strstr(journal, "GE9002"));
    free(journal);

    fix_undo_report u;
    assert_int_equal(fix_undo(statedir, NULL, &u, why, sizeof(why)), 0);
    assert_string_equal(u.run_id, "20250101T000000.000001Z-1");
    assert_int_equal(u.restored, 1);
    assert_int_equal(u.refused, 0);
    fix_undo_report_release(&u);
    now = read_file(p);
    assert_memory_equal(now, orig, strlen(orig) + 1);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0604);
    free(now);
    /* the run is marked undone: nothing left to undo */
    assert_int_equal(fix_undo(statedir, NULL, &u, why, sizeof(why)), -1);
    fix_report_release(&r);
    findings_release(&fl);
    source_set_release(&set);
    free(p);
}

static void test_undo_refuses_changed_file(void **state)
{
    (void)state;
    char *p = path_in("undo2.sh");
    write_file(p, "export A=1\n");
    finding_list fl;
    findings_init(&fl);
    source_set set = {0};
    source_file *s = load(&set, p);
    add_fix(&fl, s, "GE9001", FIX_SAFE, 7, 10, "A=2");
    fix_options o = opts();
    o.run_id = "20250102T000000.000001Z-1";
    fix_report r;
    fix_report_init(&r);
    char why[256];
    assert_int_equal(fix_apply_all(&o, &fl, &set, NULL, NULL, &r, why, sizeof(why)), 0);
    write_file(p, "export A=2\necho edited by hand\n");
    fix_undo_report u;
    assert_int_equal(fix_undo(statedir, "20250102T000000.000001Z-1", &u, why, sizeof(why)), 0);
    assert_int_equal(u.refused, 1);
    assert_int_equal(u.restored, 0);
    assert_non_null(strstr(u.items[0].why, "changed after the fix"));
    fix_undo_report_release(&u);
    char *now = read_file(p);
    assert_string_equal(now, "export A=2\necho edited by hand\n");
    free(now);
    /* a run id cannot climb out of the backup directory */
    assert_int_equal(fix_undo(statedir, "../x", &u, why, sizeof(why)), -1);
    fix_report_release(&r);
    findings_release(&fl);
    source_set_release(&set);
    free(p);
}

static void test_no_backup(void **state)
{
    (void)state;
    char *p = path_in("nobackup.sh");
    write_file(p, "export A=1\n");
    char sd[400];
    snprintf(sd, sizeof(sd), "%s/state-nobackup", tmpdir);
    finding_list fl;
    findings_init(&fl);
    source_set set = {0};
    source_file *s = load(&set, p);
    add_fix(&fl, s, "GE9001", FIX_SAFE, 7, 10, "A=2");
    fix_options o = {.state_dir = sd, .no_backup = true};
    fix_report r;
    fix_report_init(&r);
    char why[256];
    assert_int_equal(fix_apply_all(&o, &fl, &set, NULL, NULL, &r, why, sizeof(why)), 0);
    struct stat st;
    assert_int_not_equal(stat(sd, &st), 0);
    assert_null(r.backup_dir);
    fix_report_release(&r);
    findings_release(&fl);
    source_set_release(&set);
    free(p);
}

static void test_backup_root_follows_xdg(void **state)
{
    (void)state;
    setenv("XDG_STATE_HOME", "/x/state", 1);
    char *r = fix_backup_root(NULL);
    assert_string_equal(r, "/x/state/golint-env/backups");
    free(r);
    setenv("XDG_STATE_HOME", "relative", 1); /* ignored, as the spec says */
    setenv("HOME", "/home/u", 1);
    r = fix_backup_root(NULL);
    assert_string_equal(r, "/home/u/.local/state/golint-env/backups");
    free(r);
    unsetenv("XDG_STATE_HOME");
}

static void test_creates_missing_file(void **state)
{
    (void)state;
    char *p = path_in("new-profile");
    unlink(p);
    finding_list fl;
    findings_init(&fl);
    source_set set = {0};
    source_file *empty = source_from_memory(p, "", 0);
    finding *f = finding_add_at(&fl, "GE9001", SEV_WARNING, "/elsewhere", 1, 1, 1, 1, "x");
    fix *fx = finding_set_fix(&fl, f, FIX_UNSAFE, "create it");
    fix_add_edit(&fl, fx, empty, 0, 0, "export PATH=\"$PATH:$HOME/go/bin\"\n");
    source_free(empty);
    fix_options o = opts();
    o.unsafe_fixes = true;
    o.run_id = "20250103T000000.000001Z-1";
    fix_report r;
    fix_report_init(&r);
    char why[256];
    assert_int_equal(fix_apply_all(&o, &fl, &set, NULL, NULL, &r, why, sizeof(why)), 0);
    char *now = read_file(p);
    assert_non_null(now);
    assert_string_equal(now, "export PATH=\"$PATH:$HOME/go/bin\"\n");
    assert_true(r.files[0].created);
    free(now);
    fix_undo_report u;
    assert_int_equal(fix_undo(statedir, "20250103T000000.000001Z-1", &u, why, sizeof(why)), 0);
    assert_int_equal(u.restored, 1);
    fix_undo_report_release(&u);
    assert_int_not_equal(access(p, F_OK), 0);
    fix_report_release(&r);
    findings_release(&fl);
    source_set_release(&set);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edits_apply_sorted),
        cmocka_unit_test(test_edits_overlap_rejected),
        cmocka_unit_test(test_edits_conflict),
        cmocka_unit_test_setup_teardown(test_overlap_first_position_then_rule_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_applicability, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_worse_left_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_file_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlink_mode_written_through, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_refuses_special_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_before_rename_keeps_old, setup, teardown),
        cmocka_unit_test_setup_teardown(test_passes_until_nothing_applies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_passes_are_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dry_run_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_and_undo_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_undo_refuses_changed_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_backup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_root_follows_xdg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_creates_missing_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_fix_diff.c - the unified diff: exact output for the edge cases (empty
 * sides, missing final newline, hunk merging at 2x context) and, for random
 * edits, a strict hunk applier in this file that must rebuild the new text
 * from the old one using only the diff (header counts checked line by line). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

static char *udiff(const char *a, const char *b)
{
    strbuf sb = STRBUF_INIT;
    diff_unified(&sb, "a/f", "b/f", a, strlen(a), b, strlen(b));
    return strbuf_detach(&sb);
}

static void expect(const char *a, const char *b, const char *want)
{
    char *got = udiff(a, b);
    if (strcmp(got, want) != 0)
        print_error("old:\n%s\nnew:\n%s\nwant:\n%s\ngot:\n%s\n", a, b, want, got);
    assert_string_equal(got, want);
    free(got);
}

static void test_equal_is_empty(void **state)
{
    (void)state;
    expect("a\nb\n", "a\nb\n", "");
    expect("", "", "");
}

static void test_empty_sides(void **state)
{
    (void)state;
    expect("", "x\n", "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+x\n");
    expect("x\ny\n", "", "--- a/f\n+++ b/f\n@@ -1,2 +0,0 @@\n-x\n-y\n");
}

static void test_no_final_newline(void **state)
{
    (void)state;
    expect("a", "a\n", "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n");
    expect("a\n", "a", "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n");
    expect("x\nz", "y\nz", "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-x\n+y\n z\n\\ No newline at end of file\n");
}

static void test_hunks_merge_within_twice_context(void **state)
{
    (void)state;
    /* changes on lines 1 and 8: six equal lines between -> one hunk */
    expect("1\n2\n3\n4\n5\n6\n7\n8\n", "one\n2\n3\n4\n5\n6\n7\neight\n",
           "--- a/f\n+++ b/f\n@@ -1,8 +1,8 @@\n-1\n+one\n 2\n 3\n 4\n 5\n 6\n 7\n-8\n+eight\n");
    /* changes on lines 1 and 9: seven equal lines between -> two hunks */
    expect("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "one\n2\n3\n4\n5\n6\n7\n8\nnine\n",
           "--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n"
           "@@ -6,4 +6,4 @@\n 6\n 7\n 8\n-9\n+nine\n");
    /* pure insertion in the middle: the empty old range names the line before */
    expect("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nnew\n5\n6\n7\n8\n",
           "--- a/f\n+++ b/f\n@@ -2,6 +2,7 @@\n 2\n 3\n 4\n+new\n 5\n 6\n 7\n");
}

/* ---- a strict applier ---------------------------------------------------- */

typedef struct lines {
    char **v;
    size_t n;
} lines;

static lines split(const char *s)
{
    lines l = {NULL, 0};
    const char *p = s;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
        l.v = realloc(l.v, (l.n + 1) * sizeof(char *));
        l.v[l.n++] = xstrndup(p, len);
        p += len;
    }
    return l;
}

static void lines_free(lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* Apply diff to old; the counts in each header must match its body and every
 * context/removed line must match the old text. Returns heap text or NULL. */
static char *apply_strict(const char *old, const char *diff)
{
    lines o = split(old);
    strbuf out = STRBUF_INIT;
    size_t oi = 0; /* next old line to copy */
    const char *p = diff;
    if (!*p) {
        for (size_t i = 0; i < o.n; i++)
            strbuf_adds(&out, o.v[i]);
        lines_free(&o);
        return strbuf_detach(&out);
    }
    if (strncmp(p, "--- a/f\n+++ b/f\n", 16) != 0)
        goto bad;
    p += 16;
    while (*p) {
        unsigned long os, oc = 1, ns, nc = 1;
        /* the header line alone: a "\n" in a scanf format would eat the
         * leading space of the next context line */
        const char *eol = strchr(p, '\n');
        if (!eol || (size_t)(eol - p) >= 128)
            goto bad;
        char hdr[128];
        memcpy(hdr, p, (size_t)(eol - p));
        hdr[eol - p] = '\0';
        char tail[8];
        if (sscanf(hdr, "@@ -%lu,%lu +%lu,%lu @@%7s", &os, &oc, &ns, &nc, tail) == 4) {
        } else if (oc = 1, nc = 1, sscanf(hdr, "@@ -%lu +%lu,%lu @@%7s", &os, &ns, &nc, tail) == 3) {
        } else if (oc = 1, nc = 1, sscanf(hdr, "@@ -%lu,%lu +%lu @@%7s", &os, &oc, &ns, tail) == 3) {
        } else if (oc = 1, nc = 1, sscanf(hdr, "@@ -%lu +%lu @@%7s", &os, &ns, tail) == 2) {
        } else {
            goto bad;
        }
        (void)ns;
        p = eol + 1;
        size_t start = oc ? os - 1 : os; /* empty range names the line before */
        if (start < oi || start > o.n)
            goto bad;
        while (oi < start)
            strbuf_adds(&out, o.v[oi++]);
        unsigned long seen_o = 0, seen_n = 0;
        while (*p && *p != '@') {
            char mark = *p++;
            const char *nl = strchr(p, '\n');
            if (!nl)
                goto bad;
            strbuf body = STRBUF_INIT;
            strbuf_add(&body, p, (size_t)(nl - p + 1));
            p = nl + 1;
            if (strncmp(p, "\\ No newline at end of file\n", 28) == 0) {
                body.data[--body.len] = '\0';
                p += 28;
            }
            if (mark == ' ' || mark == '-') {
                if (oi >= o.n || strcmp(o.v[oi], body.data) != 0) {
                    strbuf_release(&body);
                    goto bad;
                }
                oi++;
                seen_o++;
            }
            if (mark == ' ' || mark == '+') {
                strbuf_adds(&out, body.data);
                seen_n++;
            }
            if (mark != ' ' && mark != '-' && mark != '+') {
                strbuf_release(&body);
                goto bad;
            }
            strbuf_release(&body);
        }
        if (seen_o != oc || seen_n != nc)
            goto bad;
    }
    while (oi < o.n)
        strbuf_adds(&out, o.v[oi++]);
    lines_free(&o);
    return strbuf_detach(&out);
bad:
    lines_free(&o);
    strbuf_release(&out);
    return NULL;
}

static void test_random_edits_round_trip(void **state)
{
    (void)state;
    srand(42);
    for (int round = 0; round < 400; round++) {
        int n = rand() % 30;
        strbuf a = STRBUF_INIT, b = STRBUF_INIT;
        for (int i = 0; i < n; i++) {
            int r = rand() % 10;
            char line[32];
            snprintf(line, sizeof(line), "line %d", rand() % 8); /* repeats on purpose */
            strbuf_adds(&a, line);
            if (r == 0) {
                /* dropped in b */
            } else if (r == 1) {
                strbuf_adds(&b, "changed\n");
            } else if (r == 2) {
                strbuf_adds(&b, line);
                strbuf_adds(&b, "\ninserted\n");
            } else {
                strbuf_adds(&b, line);
                strbuf_addc(&b, '\n');
            }
            strbuf_addc(&a, '\n');
        }
        if (rand() % 3 == 0 && a.len)
            a.data[--a.len] = '\0'; /* no final newline */
        if (rand() % 3 == 0 && b.len)
            b.data[--b.len] = '\0';
        if (rand() % 5 == 0)
            strbuf_adds(&b, "tail\r\n");
        const char *as = a.data ? a.data : "", *bs = b.data ? b.data : "";
        char *d = udiff(as, bs);
        char *got = apply_strict(as, d);
        if (!got || strcmp(got, bs) != 0)
            print_error("round %d\nold:\n%s\nnew:\n%s\ndiff:\n%s\n", round, as, bs, d);
        assert_non_null(got);
        assert_string_equal(got, bs);
        free(got);
        free(d);
        strbuf_release(&a);
        strbuf_release(&b);
    }
}

static void test_diff_paths(void **state)
{
    (void)state;
    char *p = diff_path("/etc/profile", "/tmp/root");
    assert_string_equal(p, "etc/profile");
    free(p);
    p = diff_path("./dot/.bashrc", "");
    assert_string_equal(p, "dot/.bashrc");
    free(p);
    p = diff_path(".bashrc", NULL);
    assert_string_equal(p, ".bashrc");
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equal_is_empty),
        cmocka_unit_test(test_empty_sides),
        cmocka_unit_test(test_no_final_newline),
        cmocka_unit_test(test_hunks_merge_within_twice_context),
        cmocka_unit_test(test_random_edits_round_trip),
        cmocka_unit_test(test_diff_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Core: source positions (CRLF, UTF-8), findings sorting and links, arena,
 * strbuf JSON escaping, root paths, severities. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/core.h"

static void positions_crlf_and_utf8(void **state)
{
    (void)state;
    const char text[] = "ab\r\n\xc3\xa9x=1\r\nlast";
    source_file *src = source_from_memory("f", text, sizeof(text) - 1);
    assert_int_equal(src->nlines, 3);
    assert_int_equal(src->crlf_lines, 2);
    assert_false(src->final_newline);
    int line, col;
    source_position(src, 2, &line, &col); /* the \r */
    assert_int_equal(line, 1);
    assert_int_equal(col, 3);
    source_position(src, 3, &line, &col); /* the \n: \r not counted */
    assert_int_equal(col, 3);
    source_position(src, 6, &line, &col); /* 'x' after a two-byte é */
    assert_int_equal(line, 2);
    assert_int_equal(col, 2);
    assert_int_equal(source_offset(src, 2, 2), 6);
    size_t len;
    const char *l = source_line(src, 2, &len);
    assert_int_equal(len, 5);
    assert_memory_equal(l, "\xc3\xa9x=1", 5);
    l = source_line(src, 3, &len);
    assert_int_equal(len, 4);
    source_position(src, 1000, &line, &col); /* clamps */
    assert_int_equal(line, 3);
    source_free(src);
}

static void binary_and_utf8_flags(void **state)
{
    (void)state;
    source_file *a = source_from_memory("a", "x\0y", 3);
    assert_true(a->binary);
    source_file *b = source_from_memory("b", "\xff\xfe", 2);
    assert_false(b->binary);
    assert_false(b->valid_utf8);
    source_file *c = source_from_memory("c", "", 0);
    assert_int_equal(c->nlines, 0);
    assert_true(c->final_newline);
    source_free(a);
    source_free(b);
    source_free(c);
}

static void findings_sorted_and_linked(void **state)
{
    (void)state;
    finding_list fl;
    findings_init(&fl);
    source_file *src = source_from_memory("/home/u/.bashrc", "a=1\nb=2\nc=3\n", 12);
    finding *late = finding_add(&fl, "GE3001", SEV_WARNING, src, 8, 11, "late");
    finding *cause = finding_add(&fl, "GE2001", SEV_ERROR, src, 0, 3, "cause");
    finding *other = finding_add_at(&fl, "GE1001", SEV_INFO, "/etc/profile", 3, 1, 3, 4, "x");
    finding_add_at(&fl, "GE1001", SEV_INFO, "/etc/profile", 3, 1, 3, 4, "x"); /* duplicate */
    finding_link(&fl, cause, late);
    finding_add_context(&fl, late, "terminal");
    finding_add_context(&fl, late, "login");
    finding_add_context(&fl, late, "terminal");
    findings_sort(&fl);
    assert_int_equal(fl.n, 3);
    assert_ptr_equal(fl.items[0], other); /* /etc/profile sorts first */
    assert_string_equal(fl.items[1]->rule, "GE2001");
    assert_string_equal(fl.items[1]->id, "F2");
    assert_int_equal(late->line, 3);
    assert_int_equal(late->ncontexts, 2);
    assert_string_equal(late->contexts[0], "login");
    assert_int_equal(late->caused_by, cause->uid);
    assert_int_equal(cause->ncauses, 1);
    size_t counts[4];
    findings_count(&fl, counts);
    assert_int_equal(counts[SEV_ERROR], 1);
    assert_int_equal(counts[SEV_INFO], 1);

    /* copying keeps links and fixes */
    fix *fx = finding_set_fix(&fl, cause, FIX_SAFE, "append");
    fix_add_edit(&fl, fx, src, 2, 3, "\"$PATH:1\"");
    finding_list copy;
    findings_init(&copy);
    finding_add_at(&copy, "GE9999", SEV_STYLE, "z", 1, 1, 1, 1, "already here");
    findings_append_copy(&copy, &fl);
    findings_sort(&copy);
    finding *c2 = NULL, *l2 = NULL;
    for (size_t i = 0; i < copy.n; i++) {
        if (strcmp(copy.items[i]->message, "cause") == 0) c2 = copy.items[i];
        if (strcmp(copy.items[i]->message, "late") == 0) l2 = copy.items[i];
    }
    assert_non_null(c2);
    assert_non_null(l2);
    assert_int_equal(l2->caused_by, c2->uid);
    assert_non_null(c2->fix);
    assert_int_equal(c2->fix->edits[0].column, 3);
    assert_string_equal(c2->fix->edits[0].text, "\"$PATH:1\"");
    findings_release(&copy);
    findings_release(&fl);
    source_free(src);
}

/* An arena past 2 MB gets mapped blocks (huge pages where the kernel offers
 * them): every byte handed out stays distinct, zeroed and intact, big single
 * allocations included, and arena_free releases both kinds. */
static void arena_grows_past_mapped_blocks(void **state)
{
    (void)state;
    arena *a = arena_new();
    enum { N = 12000, SZ = 1000 };
    unsigned char **p = malloc(N * sizeof(*p));
    assert_non_null(p);
    for (size_t i = 0; i < N; i++) {
        p[i] = arena_alloc(a, SZ);
        for (size_t k = 0; k < SZ; k++)
            assert_int_equal(p[i][k], 0);
        memset(p[i], (int)(i & 0xff), SZ);
    }
    unsigned char *huge = arena_alloc(a, 5u << 20);
    assert_int_equal(huge[0], 0);
    assert_int_equal(huge[(5u << 20) - 1], 0);
    memset(huge, 0xab, 5u << 20);
    char *s = arena_strdup(a, "after the big block");
    for (size_t i = 0; i < N; i++)
        for (size_t k = 0; k < SZ; k += 97)
            assert_int_equal(p[i][k], (unsigned char)(i & 0xff));
    assert_int_equal(huge[12345], 0xab);
    assert_string_equal(s, "after the big block");
    assert_true(arena_used(a) >= (size_t)N * SZ + (5u << 20));
    free(p);
    arena_free(a);
}

static void arena_and_strbuf(void **state)
{
    (void)state;
    arena *a = arena_new();
    char *big = arena_alloc(a, 1 << 20);
    big[(1 << 20) - 1] = 'x';
    char *s = arena_printf(a, "%s-%d", "go", 122);
    assert_string_equal(s, "go-122");
    int *arr = arena_grow(a, NULL, 0, 4, sizeof(int));
    arr[3] = 7;
    arr = arena_grow(a, arr, 4, 8, sizeof(int));
    assert_int_equal(arr[3], 7);
    arena_free(a);

    strbuf sb = STRBUF_INIT;
    strbuf_add_json_escaped(&sb, "a\"b\\\n\x01\xc3\xa9\xff", 9);
    assert_string_equal(sb.data, "a\\\"b\\\\\\n\\u0001\xc3\xa9\xef\xbf\xbd");
    strbuf_release(&sb);
}

static void root_paths(void **state)
{
    (void)state;
    root r = {.dir = "/srv/img"};
    char *p = root_path(&r, "/etc/profile");
    assert_string_equal(p, "/srv/img/etc/profile");
    char *u = root_unpath(&r, p);
    assert_string_equal(u, "/etc/profile");
    free(p);
    free(u);
    u = root_unpath(&r, "/srv/imgx/etc");
    assert_string_equal(u, "/srv/imgx/etc");
    free(u);
    root slash = {.dir = ""};
    p = root_path(&slash, "/etc/profile");
    assert_string_equal(p, "/etc/profile");
    free(p);
}

static void severities_and_distance(void **state)
{
    (void)state;
    severity s;
    assert_true(severity_parse("warning", &s));
    assert_int_equal(s, SEV_WARNING);
    assert_false(severity_parse("fatal", &s));
    assert_string_equal(severity_name(SEV_STYLE), "style");
    assert_int_equal(str_edit_distance("LimitNOFILE", "LimitNOFLIE", 3), 2);
    assert_int_equal(str_edit_distance("abc", "xyzxyz", 2), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(positions_crlf_and_utf8),
        cmocka_unit_test(binary_and_utf8_flags),
        cmocka_unit_test(findings_sorted_and_linked),
        cmocka_unit_test(arena_and_strbuf),
        cmocka_unit_test(arena_grows_past_mapped_blocks),
        cmocka_unit_test(root_paths),
        cmocka_unit_test(severities_and_distance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

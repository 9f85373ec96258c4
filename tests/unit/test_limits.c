/* limits.conf: fields with positions, types, items, values, problems. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "parse/parse.h"

static void entries_and_problems(void **state)
{
    (void)state;
    const char *text = "# comment\n"
                       "*      soft  nofile  65536   # trailing comment\n"
                       "@dev   -     nproc   unlimited\n"
                       "root   hard  nofile  -1\n"
                       "app    both  nofile  10\n"
                       "app    soft  nofiles 10\n"
                       "app    soft  nice    -25\n"
                       "app    soft  core\n"
                       "app    soft  core    0   extra\n";
    source_file *src = source_from_memory("limits.conf", text, strlen(text));
    arena *a = arena_new();
    limits_file *l = limits_parse(a, src);
    assert_int_equal(l->nentries, 7);
    const limits_entry *e = &l->entries[0];
    assert_string_equal(e->domain.text, "*");
    assert_int_equal(e->ltype, LIMITS_SOFT);
    assert_true(e->numeric);
    assert_int_equal(e->number, 65536);
    assert_int_equal(e->line, 2);
    assert_memory_equal(src->data + e->value.start, "65536", 5);
    assert_int_equal(l->entries[1].ltype, LIMITS_BOTH);
    assert_true(l->entries[1].unlimited);
    assert_true(l->entries[2].unlimited);
    assert_int_equal(l->entries[3].ltype, LIMITS_BADTYPE);
    assert_false(l->entries[4].known_item);
    /* problems: bad type, nice out of range, three fields, extra field */
    assert_int_equal(l->nproblems, 4);
    assert_non_null(strstr(l->problems[0].message, "unknown limit type 'both'"));
    assert_non_null(strstr(l->problems[1].message, "-20..19"));
    assert_non_null(strstr(l->problems[2].message, "found 3"));
    assert_non_null(strstr(l->problems[3].message, "more than four"));
    assert_true(limits_item_known("nofile"));
    assert_false(limits_item_known("NOFILE"));
    assert_string_equal(limits_item_suggest("nofiles"), "nofile");
    assert_string_equal(limits_item_suggest("open_files"), "nofile");
    assert_string_equal(limits_item_suggest("NPROC"), "nproc");
    source_free(src);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(entries_and_problems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* libcgroup: cgconfig blocks, params with positions, syntax errors stop the
 * file; cgrules lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "parse/parse.h"

static void groups_and_params(void **state)
{
    (void)state;
    const char *text = "# sample\n"
                       "mount {\n    cpu = /sys/fs/cgroup/cpu;\n}\n"
                       "group daemons/www {\n"
                       "    perm {\n        task { uid = root; gid = webmaster; }\n"
                       "        admin { uid = root; gid = root; }\n    }\n"
                       "    cpu {\n        cpu.cfs_quota_us = 50000;\n        cpu.max = \"50000 100000\";\n    }\n"
                       "}\n"
                       "template users/%u {\n    cpu { cpu.shares = \"1000\"; }\n}\n";
    source_file *src = source_from_memory("cgconfig.conf", text, strlen(text));
    arena *a = arena_new();
    cgconfig_file *f = cgconfig_parse(a, src);
    assert_int_equal(f->nproblems, 0);
    assert_int_equal(f->nmounts, 1);
    assert_string_equal(f->mounts[0].key, "cpu");
    assert_int_equal(f->ngroups, 2);
    const cg_group *g = &f->groups[0];
    assert_string_equal(g->name, "daemons/www");
    assert_false(g->is_template);
    assert_int_equal(g->nparams, 2); /* perm blocks are not parameters */
    assert_string_equal(g->params[0].controller, "cpu");
    assert_string_equal(g->params[0].key, "cpu.cfs_quota_us");
    assert_string_equal(g->params[0].value, "50000");
    assert_int_equal(g->params[0].line, 11);
    assert_string_equal(g->params[1].value, "50000 100000");
    assert_memory_equal(src->data + g->params[1].value_start, "\"50000 100000\"", 14);
    assert_true(f->groups[1].is_template);
    assert_string_equal(f->groups[1].params[0].value, "1000");
    assert_false(cgconfig_is_rules_file(src));
    source_free(src);
    arena_free(a);
}

static void syntax_errors(void **state)
{
    (void)state;
    static const struct { const char *text, *msg; } cases[] = {
        {"group a {\n cpu {\n cpu.shares = 100\n }\n}\n", "missing ';'"},
        {"group a {\n cpu {\n cpu.shares = 100;\n }\n", "'}' is missing"},
        {"groups a { }\n", "unknown block"},
        {"group { }\n", "needs a name"},
        {"}\n", "without a matching"},
        {"group a { cpu { x = \"unterminated; } }\n", "unterminated"},
        {"group a { b { c { d { e { } } } } }\n", "too deep"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        source_file *src = source_from_memory("cgconfig.conf", cases[i].text, strlen(cases[i].text));
        arena *a = arena_new();
        cgconfig_file *f = cgconfig_parse(a, src);
        assert_int_equal(f->nproblems, 1);
        if (!strstr(f->problems[0].message, cases[i].msg))
            fail_msg("case %zu: '%s' lacks '%s'", i, f->problems[0].message, cases[i].msg);
        source_free(src);
        arena_free(a);
    }
}

static void rules_lines(void **state)
{
    (void)state;
    const char *text = "# user[:process] controllers destination\n"
                       "*:api           cpu,memory   api/\n"
                       "@dev            *            dev   # comment\n"
                       "%               memory       dev2\n"
                       "peter           cpu\n";
    source_file *src = source_from_memory("cgrules.conf", text, strlen(text));
    arena *a = arena_new();
    assert_true(cgconfig_is_rules_file(src));
    cgrules_file *r = cgrules_parse(a, src);
    assert_int_equal(r->nrules, 3);
    assert_string_equal(r->rules[0].user, "*");
    assert_string_equal(r->rules[0].process, "api");
    assert_string_equal(r->rules[0].destination, "api/");
    assert_null(r->rules[1].process);
    assert_string_equal(r->rules[2].user, "%");
    assert_int_equal(r->nproblems, 1);
    assert_int_equal(r->rules[1].line, 3);
    source_free(src);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(groups_and_params),
        cmocka_unit_test(syntax_errors),
        cmocka_unit_test(rules_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* systemd unit syntax: sections, comments, continuations, positions,
 * problems; the key table; Limit*= values; Environment= words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "parse/parse.h"

static unit_file *parse(arena *a, source_file **src, const char *text)
{
    *src = source_from_memory("t.service", text, strlen(text));
    return unit_parse(a, *src);
}

static void sections_comments_continuations(void **state)
{
    (void)state;
    arena *a = arena_new();
    source_file *src;
    unit_file *u = parse(a, &src,
                         "\xEF\xBB\xBF# comment\n"
                         "[Unit]\n"
                         "Description = demo  \n"
                         "; another comment\n"
                         "[Service]\n"
                         "ExecStart=/bin/app \\\n"
                         "# skipped inside the continuation\n"
                         "   --flag \\\n"
                         "   last\n"
                         "Environment=\"A=1 2\" B=%h\r\n"
                         "Empty=\n");
    assert_int_equal(u->nsections, 2);
    assert_string_equal(u->sections[1].name, "Service");
    assert_int_equal(u->sections[1].line, 5);
    assert_int_equal(u->nsettings, 4);
    assert_string_equal(u->settings[0].section, "Unit");
    assert_string_equal(u->settings[0].key, "Description");
    assert_string_equal(u->settings[0].value, "demo");
    const unit_setting *ex = &u->settings[1];
    assert_true(ex->continued);
    assert_int_equal(ex->line, 6);
    assert_string_equal(ex->value, "/bin/app     --flag     last");
    assert_int_equal(ex->end, strstr(src->data, "last") + 4 - src->data);
    const unit_setting *env = &u->settings[2];
    assert_string_equal(env->value, "\"A=1 2\" B=%h"); /* quotes and specifiers kept */
    assert_memory_equal(src->data + env->value_start, "\"A=1 2\" B=%h", 12);
    assert_string_equal(u->settings[3].value, "");
    assert_int_equal(u->nproblems, 0);
    source_free(src);
    arena_free(a);
}

static void problems_as_values(void **state)
{
    (void)state;
    arena *a = arena_new();
    source_file *src;
    unit_file *u = parse(a, &src, "Orphan=1\n[Service\nLimitNOFILE 5\n[Service]\nExecStart=/x \\\n");
    assert_int_equal(u->nproblems, 4);
    assert_non_null(strstr(u->problems[0].message, "outside of any [section]"));
    assert_non_null(strstr(u->problems[1].message, "invalid section header"));
    assert_non_null(strstr(u->problems[2].message, "neither"));
    assert_non_null(strstr(u->problems[3].message, "ends inside"));
    /* the continued assignment at the end still counts, as in systemd */
    assert_int_equal(u->nsettings, 1);
    assert_string_equal(u->settings[0].key, "ExecStart");
    source_free(src);
    arena_free(a);
}

static void key_table(void **state)
{
    (void)state;
    const unit_key_info *k = unit_key_lookup("Service", "LimitNOFILE");
    assert_non_null(k);
    assert_int_equal(k->type, UV_RLIMIT);
    assert_false(k->list);
    k = unit_key_lookup("Service", "Environment");
    assert_non_null(k);
    assert_true(k->list);
    assert_non_null(unit_key_lookup("Socket", "LimitNOFILE")); /* shared exec keys */
    assert_non_null(unit_key_lookup("Manager", "DefaultLimitNOFILE"));
    assert_null(unit_key_lookup("Unit", "LimitNOFILE"));
    assert_null(unit_key_lookup("Service", "LimtNOFILE"));
    assert_string_equal(unit_key_suggest("Service", "LimtNOFILE"), "LimitNOFILE");
    assert_string_equal(unit_key_suggest("Service", "limitnofile"), "LimitNOFILE");
    assert_string_equal(unit_key_suggest("Service", "Enviroment"), "Environment");
    assert_null(unit_key_suggest("Service", "CompletelyDifferentThing"));
    assert_true(unit_section_checked("Install"));
    assert_false(unit_section_checked("X-Custom"));
}

static void rlimits(void **state)
{
    (void)state;
    unit_rlimit r;
    char why[256];
    assert_true(unit_rlimit_parse("LimitNOFILE", "65536", &r, why, sizeof(why)));
    assert_int_equal(r.soft, 65536);
    assert_int_equal(r.hard, 65536);
    assert_false(r.split);
    assert_true(unit_rlimit_parse("LimitNOFILE", "1024:infinity", &r, why, sizeof(why)));
    assert_true(r.split);
    assert_true(r.hard == RLIMIT_VALUE_INFINITY);
    assert_true(unit_rlimit_parse("LimitCORE", "1G", &r, why, sizeof(why)));
    assert_true(r.soft == 1024ull * 1024 * 1024);
    assert_true(unit_rlimit_parse("LimitCPU", "1h 30min", &r, why, sizeof(why)));
    assert_int_equal(r.soft, 5400);
    assert_true(unit_rlimit_parse("LimitNICE", "-5", &r, why, sizeof(why)));
    assert_int_equal(r.soft, 25);
    assert_true(unit_rlimit_parse("DefaultLimitNOFILE", "1024:524288", &r, why, sizeof(why)));
    assert_false(unit_rlimit_parse("LimitNOFILE", "64k", &r, why, sizeof(why)));
    assert_non_null(strstr(why, "64k"));
    assert_false(unit_rlimit_parse("LimitNOFILE", "unlimited", &r, why, sizeof(why)));
    assert_false(unit_rlimit_parse("LimitNOFILE", "1:x", &r, why, sizeof(why)));
    assert_non_null(strstr(why, "hard"));
    assert_false(unit_rlimit_parse("LimitNOFILE", "99999999999999999999999", &r, why, sizeof(why)));
    assert_false(unit_rlimit_parse("LimitCORE", "1GB", &r, why, sizeof(why)));
    assert_false(unit_rlimit_parse("LimitNICE", "40", &r, why, sizeof(why)));
}

static void environment_words(void **state)
{
    (void)state;
    arena *a = arena_new();
    unit_env_assign w[8];
    bool bad;
    size_t n = unit_env_split(a, "A=1 \"B=x y\" C=\"q r\" bad 1X=2 D=a\\ b", w, 8, &bad);
    assert_false(bad);
    assert_int_equal(n, 6);
    assert_string_equal(w[0].name, "A");
    assert_string_equal(w[1].name, "B");
    assert_string_equal(w[1].value, "x y");
    assert_string_equal(w[2].value, "q r");
    assert_null(w[3].name);
    assert_string_equal(w[3].word, "bad");
    assert_null(w[4].name);
    assert_string_equal(w[5].value, "a b");
    assert_int_equal(w[1].start, 4);
    assert_int_equal(w[1].end, 11);
    n = unit_env_split(a, "A=1 \"B=2", w, 8, &bad);
    assert_true(bad);
    assert_int_equal(n, 2);
    arena_free(a);
}

static void fuzz_like_inputs(void **state)
{
    (void)state;
    static const char *const inputs[] = {
        "", "\\", "[", "[]", "=", "a=\\\n", "\n\n\\\n\\\n", "[S]\n=\n", "[S]\nk=\\\n#\n;\n",
        "\0\0[Service]\0k=v", "[S]\nk=v\\\\\n", "[S]\n\xff\xfe=\x80",
    };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        arena *a = arena_new();
        source_file *src = source_from_memory("f", inputs[i], i == 9 ? 15 : strlen(inputs[i]));
        unit_file *u = unit_parse(a, src);
        for (size_t k = 0; k < u->nsettings; k++) {
            assert_true(u->settings[k].start <= u->settings[k].end);
            assert_true(u->settings[k].end <= src->len);
            assert_true(u->settings[k].value_start <= u->settings[k].value_end + 1);
        }
        source_free(src);
        arena_free(a);
    }
}

static void kind_from_content(void **state)
{
    (void)state;
    static const struct { const char *text; file_kind kind; } cases[] = {
        {"# no telling name\n[Socket]\nListenStream=80\n", KIND_UNIT},
        {"[Manager]\nDefaultLimitNOFILE=1024:524288\n", KIND_SYSTEMD_CONF},
        {"; tuning\nnet.core.somaxconn = 4096\n-kernel/pid_max=10\n", KIND_SYSCTL},
        {"#<domain> <type> <item> <value>\n*  soft  nofile  65536\n", KIND_LIMITS},
        {"group api {\n  cpu { cpu.shares = 100; }\n}\n", KIND_CGCONFIG},
        {"hello world\n", KIND_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        source_file *src = source_from_memory("tuning", cases[i].text, strlen(cases[i].text));
        if (file_kind_detect("tuning", src) != cases[i].kind)
            fail_msg("case %zu: %s", i, file_kind_name(file_kind_detect("tuning", src)));
        source_free(src);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sections_comments_continuations),
        cmocka_unit_test(problems_as_values),
        cmocka_unit_test(key_table),
        cmocka_unit_test(rlimits),
        cmocka_unit_test(environment_words),
        cmocka_unit_test(fuzz_like_inputs),
        cmocka_unit_test(kind_from_content),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Environment snapshots: env -0, plain env with multi-line values, the JSON
 * shapes golint-env writes, duplicates, and what is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "parse/parse.h"

static env_snapshot parse_ok(arena *a, const char *data, size_t len, const char *context)
{
    env_snapshot s;
    char why[256] = "";
    bool ok = env_snapshot_parse(a, data, len, context, &s, why, sizeof(why));
    if (!ok)
        print_error("unexpected failure: %s\n", why);
    assert_true(ok);
    return s;
}

static void test_nul(void **state)
{
    (void)state;
    arena *a = arena_new();
    static const char data[] = "PATH=/usr/bin:/bin\0HOME=/home/u\0MULTI=a\nb=c\0noequals\0"
                               "HOME=/second\0EMPTY=\0";
    env_snapshot s = parse_ok(a, data, sizeof(data) - 1, NULL);
    assert_int_equal(s.format, ENVSNAP_NUL);
    assert_int_equal(s.n, 4);
    assert_string_equal(s.vars[0].name, "EMPTY"); /* sorted */
    assert_string_equal(s.vars[0].value, "");
    assert_string_equal(env_snapshot_get(&s, "HOME")->value, "/home/u"); /* first wins */
    assert_string_equal(env_snapshot_get(&s, "MULTI")->value, "a\nb=c");
    assert_null(env_snapshot_get(&s, "noequals"));
    assert_int_equal(s.duplicates, 1);
    assert_int_equal(s.skipped, 1);

    strbuf sb = STRBUF_INIT;
    env_snapshot_write_nul(&s, &sb);
    static const char want[] = "EMPTY=\0HOME=/home/u\0MULTI=a\nb=c\0PATH=/usr/bin:/bin\0";
    assert_int_equal(sb.len, sizeof(want) - 1);
    assert_memory_equal(sb.data, want, sb.len);
    strbuf_release(&sb);
    arena_free(a);
}

static void test_lines(void **state)
{
    (void)state;
    arena *a = arena_new();
    const char *data = "GOPATH=/home/u/go\n"
                       "BASH_FUNC_greet%%=() {  echo hi;\n"
                       " x=1\n"
                       "}\n"
                       "MSG=line one\n"
                       "line two has = in it\n"
                       "PATH=/usr/bin\n";
    env_snapshot s = parse_ok(a, data, strlen(data), NULL);
    assert_int_equal(s.format, ENVSNAP_LINES);
    assert_int_equal(s.n, 4);
    assert_string_equal(env_snapshot_get(&s, "BASH_FUNC_greet%%")->value, "() {  echo hi;\n x=1\n}");
    assert_string_equal(env_snapshot_get(&s, "MSG")->value, "line one\nline two has = in it");
    assert_string_equal(env_snapshot_get(&s, "PATH")->value, "/usr/bin");
    arena_free(a);
}

static void test_json_shapes(void **state)
{
    (void)state;
    arena *a = arena_new();
    const char *flat = "{\"B\": \"2\", \"A\": \"1\"}";
    env_snapshot s = parse_ok(a, flat, strlen(flat), NULL);
    assert_int_equal(s.format, ENVSNAP_JSON);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.vars[0].name, "A");

    const char *snap = "{\"version\": 1, \"context\": \"login\", \"variables\": {\"GOROOT\": \"/usr/local/go\"}}";
    s = parse_ok(a, snap, strlen(snap), NULL);
    assert_string_equal(s.context, "login");
    assert_string_equal(env_snapshot_get(&s, "GOROOT")->value, "/usr/local/go");

    const char *ctxs =
        "{\"contexts\": ["
        "{\"name\": \"login\", \"variables\": [{\"name\": \"X\", \"value\": \"l\", \"exported\": true}]},"
        "{\"name\": \"terminal\", \"variables\": [{\"name\": \"X\", \"value\": \"t\", \"exported\": true},"
        " {\"name\": \"LOCAL\", \"value\": \"v\", \"exported\": false},"
        " {\"name\": \"GONE\", \"value\": null, \"exported\": true}]}]}";
    s = parse_ok(a, ctxs, strlen(ctxs), NULL); /* several contexts: terminal by default */
    assert_string_equal(s.context, "terminal");
    assert_int_equal(s.n, 1); /* not exported and unset ones are not in a real env */
    assert_string_equal(env_snapshot_get(&s, "X")->value, "t");
    s = parse_ok(a, ctxs, strlen(ctxs), "login");
    assert_string_equal(env_snapshot_get(&s, "X")->value, "l");

    char why[256];
    assert_false(env_snapshot_parse(a, ctxs, strlen(ctxs), "cron", &s, why, sizeof(why)));
    assert_non_null(strstr(why, "login, terminal"));
    assert_false(env_snapshot_parse(a, "{\"a\": [1]}", 10, NULL, &s, why, sizeof(why)));
    assert_false(env_snapshot_parse(a, "{not json", 9, NULL, &s, why, sizeof(why)));
    assert_false(env_snapshot_parse(a, snap, strlen(snap), "cron", &s, why, sizeof(why)));
    arena_free(a);
}

static void test_empty(void **state)
{
    (void)state;
    arena *a = arena_new();
    env_snapshot s = parse_ok(a, "", 0, NULL);
    assert_int_equal(s.n, 0);
    assert_null(env_snapshot_get(&s, "PATH"));
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nul),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_json_shapes),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

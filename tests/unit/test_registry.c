/* The rule registry: the table compiled into the binary (tools/gen_rules.c)
 * holds exactly what the JSON loader reads from rules/, every field and
 * example; the generator escapes any string; $GOLINT_ENV_RULES_DIR replaces
 * the compiled-in table with a directory, errors and all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules/rules.h"

/* gen_rules tests/unit/data/registry ... registry_test (CMakeLists.txt) */
extern const rule_info registry_test_rules[];
extern const size_t registry_test_count;

static const char *srcdir(void)
{
    const char *s = getenv("GOLINT_ENV_SOURCE_DIR");
    assert_non_null(s);
    return s;
}

static void same_str(const char *id, const char *what, const char *a, const char *b)
{
    if (!a != !b || (a && strcmp(a, b) != 0))
        fail_msg("%s: %s differs:\n  %s\n  %s", id, what, a ? a : "(null)", b ? b : "(null)");
}

/* Field by field, example by example: what a generator could drop or mangle. */
static void same_rules(const rule_info *a, size_t na, const rule_info *b, size_t nb)
{
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        const rule_info *x = &a[i], *y = &b[i];
        same_str(y->id, "id", x->id, y->id);
        same_str(x->id, "name", x->name, y->name);
        same_str(x->id, "family", x->family, y->family);
        same_str(x->id, "summary", x->summary, y->summary);
        same_str(x->id, "description", x->description, y->description);
        same_str(x->id, "fix", x->fix, y->fix);
        assert_int_equal(x->sev, y->sev);
        if (x->nexamples != y->nexamples)
            fail_msg("%s: %zu examples, want %zu", x->id, x->nexamples, y->nexamples);
        for (size_t k = 0; k < x->nexamples; k++) {
            const rule_example *e = &x->examples[k], *f = &y->examples[k];
            char what[64];
            snprintf(what, sizeof(what), "example %zu", k);
            if (e->bad != f->bad)
                fail_msg("%s: %s is %s, want %s", x->id, what, e->bad ? "bad" : "good",
                         f->bad ? "bad" : "good");
            same_str(x->id, "example kind", e->kind, f->kind);
            same_str(x->id, "example name", e->name, f->name);
            same_str(x->id, "example code", e->code, f->code);
            same_str(x->id, "example json", e->json, f->json);
        }
        if (i > 0)
            assert_true(strcmp(a[i - 1].id, x->id) < 0); /* sorted, for registry_find */
    }
}

static size_t count_rule_files(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        n += strncmp(de->d_name, "GE", 2) == 0 && strlen(de->d_name) > 5 &&
             strcmp(de->d_name + strlen(de->d_name) - 5, ".json") == 0;
    closedir(d);
    return n;
}

static void embedded_is_rules_dir(void **state)
{
    (void)state;
    unsetenv("GOLINT_ENV_RULES_DIR");
    rule_registry emb, src;
    char dir[4096], why[512];
    assert_true(registry_load(&emb, NULL, why, sizeof(why)));
    assert_true(emb.embedded);
    assert_null(emb.dir);
    snprintf(dir, sizeof(dir), "%s/rules", srcdir());
    if (!registry_load(&src, dir, why, sizeof(why)))
        fail_msg("%s", why);
    assert_false(src.embedded);
    assert_int_equal(emb.n, count_rule_files(dir));
    same_rules(emb.rules, emb.n, src.rules, src.n);

    const rule_info *r = registry_find(&emb, "GE2001");
    assert_non_null(r);
    assert_string_equal(r->name, "path-overwritten");
    assert_null(registry_find(&emb, "GE0000"));
    for (size_t i = 0; i < file_rules_count; i++)
        assert_non_null(registry_find(&emb, file_rules[i].id));
    registry_release(&src);
    registry_release(&emb);
}

/* The generator's escaping, on strings rules/ does not have (yet). */
static void generated_strings(void **state)
{
    (void)state;
    rule_registry src;
    char dir[4096], why[512];
    snprintf(dir, sizeof(dir), "%s/tests/unit/data/registry", srcdir());
    if (!registry_load_dir(&src, dir, why, sizeof(why)))
        fail_msg("%s", why);
    same_rules(registry_test_rules, registry_test_count, src.rules, src.n);
    registry_release(&src);

    /* and against C literals, not only against the loader */
    assert_int_equal(registry_test_count, 2);
    const rule_info *m = &registry_test_rules[0], *t = &registry_test_rules[1];
    assert_string_equal(m->id, "GE9000");
    assert_string_equal(m->summary, "");
    assert_null(m->fix);
    assert_null(m->examples);
    assert_int_equal(m->nexamples, 0);
    assert_int_equal(m->sev, SEV_ERROR);

    assert_string_equal(t->id, "GE9001");
    assert_int_equal(t->sev, SEV_STYLE);
    assert_string_equal(t->summary, "trigraphs ?\?= ?\?/ ?\?' ?\?( ?\?) ?\?! ?\?< ?\?> ?\?- and a last ?");
    assert_string_equal(t->fix, "octal before a digit \001" "2, tab\there, CR\r, DEL\177, UTF-8 "
                                "\303\251 \342\200\224 \342\234\223 \360\237\230\200, quote \" and "
                                "backslash \\");
    assert_int_equal(strlen(t->description), 80 * 70 + 12 * 28 + 23);
    assert_non_null(strstr(t->description, "line 79 of a long description that the generator "
                                           "splits into literals\none line without"));
    assert_int_equal(t->nexamples, 4); /* the two non-objects are skipped */
    const rule_example *e = t->examples;
    assert_true(e[0].bad && e[1].bad && !e[2].bad && !e[3].bad);
    assert_string_equal(e[0].kind, "shell"); /* the default */
    assert_null(e[0].name);
    assert_string_equal(e[0].code, "x=1 # /* not a comment */ \"q\" */\n");
    assert_string_equal(e[1].kind, "machine");
    assert_null(e[1].code);
    assert_string_equal(e[1].json,
                        "{\"kind\":\"machine\",\"command\":\"env\",\"home\":\"/home/u\",\"files\":"
                        "{\"/etc/passwd\":\"u:x:1000:1000::/home/u:/bin/bash\\n\",\"/home/u/.bashrc\":"
                        "\"export A=\\\"\\\\\\\\\\\" B='?\?='\\n\"},\"n\":1.5,\"t\":true,\"z\":null,"
                        "\"a\":[1,\"two\",{}]}");
    assert_string_equal(e[2].code, "[Service]\nEnvironment=\"A=?\?/\"\n");
    assert_string_equal(e[3].name, "");
    assert_string_equal(e[3].code, "");
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void rules_dir_overrides(void **state)
{
    (void)state;
    char dir[] = "/tmp/golint-registry-XXXXXX", one[128], two[128], why[512];
    assert_non_null(mkdtemp(dir));
    snprintf(one, sizeof(one), "%s/GE0001.json", dir);
    snprintf(two, sizeof(two), "%s/GE0002.json", dir);
    write_text(one, "{\"id\": \"GE0001\", \"name\": \"only-rule\", \"family\": \"go\", "
                    "\"severity\": \"info\", \"summary\": \"s\", \"description\": \"d\"}");
    rule_registry reg;

    setenv("GOLINT_ENV_RULES_DIR", dir, 1);
    if (!registry_load(&reg, NULL, why, sizeof(why)))
        fail_msg("%s", why);
    assert_false(reg.embedded);
    assert_string_equal(reg.dir, dir);
    assert_int_equal(reg.n, 1);
    assert_string_equal(reg.rules[0].name, "only-rule");
    assert_null(registry_find(&reg, "GE2001"));
    registry_release(&reg);

    /* a broken file is an error naming it, as before */
    write_text(two, "{\"id\": \"GE0002\",");
    assert_false(registry_load(&reg, NULL, why, sizeof(why)));
    assert_non_null(strstr(why, two));
    assert_non_null(strstr(why, "not valid JSON"));
    assert_int_equal(reg.n, 0);
    registry_release(&reg);
    write_text(two, "{\"id\": \"GE0003\", \"name\": \"x\", \"family\": \"go\", "
                    "\"severity\": \"info\", \"summary\": \"s\", \"description\": \"d\"}");
    assert_false(registry_load(&reg, NULL, why, sizeof(why)));
    assert_non_null(strstr(why, "id GE0003 does not match the file name"));

    setenv("GOLINT_ENV_RULES_DIR", "/nonexistent/rules", 1);
    assert_false(registry_load(&reg, NULL, why, sizeof(why)));
    assert_string_equal(why, "rules directory /nonexistent/rules: cannot open (set GOLINT_ENV_RULES_DIR)");

    /* set but empty: the compiled-in table */
    setenv("GOLINT_ENV_RULES_DIR", "", 1);
    assert_true(registry_load(&reg, NULL, why, sizeof(why)));
    assert_true(reg.embedded);
    assert_non_null(registry_find(&reg, "GE2001"));
    registry_release(&reg);
    unsetenv("GOLINT_ENV_RULES_DIR");

    unlink(one);
    unlink(two);
    rmdir(dir);
}

/* registry_release frees a loaded registry, never the compiled-in table. */
static void release_either(void **state)
{
    (void)state;
    unsetenv("GOLINT_ENV_RULES_DIR");
    rule_registry reg, again;
    char why[512];
    assert_true(registry_load(&reg, NULL, why, sizeof(why)));
    const rule_info *table = reg.rules;
    registry_release(&reg);
    assert_null(reg.rules);
    assert_int_equal(reg.n, 0);
    registry_release(&reg); /* released twice: nothing left to free */
    assert_true(registry_load(&again, NULL, why, sizeof(why)));
    assert_ptr_equal(again.rules, table);
    assert_string_equal(again.rules[0].id, registry_embedded_rules[0].id);
    registry_release(&again);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(embedded_is_rules_dir),
        cmocka_unit_test(generated_strings),
        cmocka_unit_test(rules_dir_overrides),
        cmocka_unit_test(release_either),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

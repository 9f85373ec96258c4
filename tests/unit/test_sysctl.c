/* sysctl.d syntax: keys normalised, '-' prefix, exclusions, globs; the key table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "parse/parse.h"

static void entries(void **state)
{
    (void)state;
    const char *text = "# comment\n; comment\n"
                       "fs.nr_open = 1048576\n"
                       "kernel/domainname = example.com\n"
                       "net/ipv4/conf/eth0.100/rp_filter=2\n"
                       "-net.core.somaxconn=  4096  \n"
                       "-net.ipv4.conf.all.rp_filter\n"
                       "net.ipv4.conf.*.rp_filter = 2\n"
                       "not an assignment\n"
                       "kernel.x =\n";
    source_file *src = source_from_memory("99.conf", text, strlen(text));
    arena *a = arena_new();
    sysctl_file *s = sysctl_parse(a, src);
    assert_int_equal(s->nentries, 7);
    assert_string_equal(s->entries[0].key, "fs.nr_open");
    assert_string_equal(s->entries[0].value, "1048576");
    assert_int_equal(s->entries[0].line, 3);
    assert_memory_equal(src->data + s->entries[0].key_start, "fs.nr_open", 10);
    assert_string_equal(s->entries[1].key, "kernel.domainname");
    assert_string_equal(s->entries[2].key, "net.ipv4.conf.eth0/100.rp_filter");
    assert_true(s->entries[3].ignore_failure);
    assert_string_equal(s->entries[3].key, "net.core.somaxconn");
    assert_string_equal(s->entries[3].value, "4096");
    assert_null(s->entries[4].value); /* exclusion from the glob */
    assert_true(s->entries[5].glob);
    assert_string_equal(s->entries[6].value, "");
    assert_int_equal(s->nproblems, 1);
    assert_int_equal(s->problems[0].start, (size_t)(strstr(text, "not an") - text));
    source_free(src);
    arena_free(a);
}

static void key_table(void **state)
{
    (void)state;
    assert_true(sysctl_key_known("fs.nr_open"));
    assert_true(sysctl_key_known("net.core.somaxconn"));
    assert_true(sysctl_key_known("kernel.pid_max"));
    assert_false(sysctl_key_known("fs.nropen"));
    assert_true(sysctl_key_checked("kernel.pid_max"));
    assert_false(sysctl_key_checked("net.ipv4.tcp_syncookies")); /* not vetted */
    assert_false(sysctl_key_checked("fs.binfmt_misc.python3"));  /* dynamic */
    assert_false(sysctl_key_checked("kernel.*"));
    assert_string_equal(sysctl_key_suggest("fs.nropen"), "fs.nr_open");
    assert_string_equal(sysctl_key_suggest("net.core.somaxcon"), "net.core.somaxconn");
    assert_string_equal(sysctl_key_suggest("fs.file_max"), "fs.file-max");
    assert_null(sysctl_key_suggest("kernel.totally_new_knob_2030"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(entries),
        cmocka_unit_test(key_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

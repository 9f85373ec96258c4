/* Rules engine: dialect and kind detection, directives, config, registry,
 * the per-file rules through check_source, and the json/text reporters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/report.h"
#include "rules/rules.h"

static rule_registry reg;

static int setup(void **state)
{
    (void)state;
    char dir[4096], why[256];
    snprintf(dir, sizeof(dir), "%s/rules", getenv("GOLINT_ENV_SOURCE_DIR"));
    if (!registry_load(&reg, dir, why, sizeof(why))) {
        fprintf(stderr, "%s\n", why);
        return -1;
    }
    registry_set_global(&reg);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    registry_set_global(NULL);
    registry_release(&reg);
    return 0;
}

static finding_list run(const char *path, const char *text, const golint_config *cfg)
{
    source_file *src = source_from_memory(path, text, strlen(text));
    finding_list fl;
    findings_init(&fl);
    check_options o = {.cfg = cfg};
    check_source(src, &o, &fl);
    findings_sort(&fl);
    source_free(src);
    return fl;
}

static size_t count_rule(const finding_list *fl, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < fl->n; i++)
        n += strcmp(fl->items[i]->rule, rule) == 0;
    return n;
}

/* The kind of a file with this name and content. */
static file_kind kind_of(const char *path, const char *text)
{
    source_file *s = source_from_memory(path, text, strlen(text));
    file_kind k = file_kind_detect(path, s);
    source_free(s);
    return k;
}

static void dialects(void **state)
{
    (void)state;
    source_file *s = source_from_memory("x", "#!/usr/bin/env zsh\necho\n", 24);
    assert_int_equal(shell_dialect_detect(s, "x"), SHELL_ZSH);
    source_free(s);
    s = source_from_memory("x", "# shellcheck shell=bash\n", 24);
    assert_int_equal(shell_dialect_detect(s, ".zshrc"), SHELL_BASH);
    source_free(s);
    assert_int_equal(shell_dialect_detect(NULL, "/home/u/.zshenv"), SHELL_ZSH);
    assert_int_equal(shell_dialect_detect(NULL, "dotfiles/dot_bashrc"), SHELL_BASH);
    assert_int_equal(shell_dialect_detect(NULL, "/etc/profile.d/go.sh"), SHELL_SH);
    assert_int_equal(shell_dialect_detect(NULL, "README"), SHELL_UNKNOWN);
    assert_int_equal(file_kind_detect("/etc/systemd/system/api.service", NULL), KIND_UNIT);
    assert_int_equal(file_kind_detect("/etc/systemd/system/api.service.d/limits.conf", NULL), KIND_UNIT);
    assert_int_equal(file_kind_detect("/etc/security/limits.d/90-go.conf", NULL), KIND_LIMITS);
    assert_int_equal(file_kind_detect("/usr/lib/sysctl.d/50-default.conf", NULL), KIND_SYSCTL);
    /* a dotfile named .path is a PATH list, not a path unit; a unit opens with [Section] */
    assert_int_equal(kind_of("dotfiles/.path", "export PATH=\"$HOME/bin:$PATH\"\n"), KIND_SHELL);
    assert_int_equal(kind_of("dotfiles/go.path", "export PATH=\"$HOME/bin:$PATH\"\n"), KIND_SHELL);
    assert_int_equal(kind_of("/etc/systemd/system/w.path", "# watch\n[Path]\nPathChanged=/x\n"),
                     KIND_UNIT);
    /* shell by content: aliases, functions, assignments */
    assert_int_equal(kind_of("dotfiles/aliases", "alias ll='ls -l'\nmkcd() { mkdir -p \"$1\"; }\n"),
                     KIND_SHELL);
    assert_int_equal(kind_of("README", "hello world\nthis is text\n"), KIND_UNKNOWN);
}

static void directive_scopes(void **state)
{
    (void)state;
    /* before a command: that command only */
    finding_list fl = run("a.bashrc",
                          "echo start\n"
                          "# golint-env disable=GE2001\n"
                          "export PATH=/opt/go/bin\n"
                          "export PATH=/usr/local/go/bin\n", NULL);
    assert_int_equal(count_rule(&fl, "GE2001"), 1);
    assert_int_equal(fl.items[0]->line, 4);
    findings_release(&fl);
    /* before the first command: the whole file */
    fl = run("b.bashrc",
             "#!/bin/bash\n"
             "# golint-env disable=GE2001,GE3001\n"
             "export PATH=/opt/go/bin\n"
             "GOPROXY=off\n", NULL);
    assert_int_equal(fl.n, 0);
    findings_release(&fl);
    /* after a command on its line: that line only, never the next command */
    fl = run("d.bashrc",
             "echo start\n"
             "export GOPATH=\"~/a\"  # golint-env disable=GE1001\n"
             "export GOPATH=\"~/b\"\n", NULL);
    assert_int_equal(count_rule(&fl, "GE1001"), 1);
    assert_int_equal(fl.items[0]->line, 3);
    findings_release(&fl);
    /* ... and the whole command when it spans lines */
    fl = run("e.bashrc",
             "echo start\n"
             "export GOPATH=\"~/a\" \\\n"
             "  GOBIN=/x # golint-env disable=GE1001\n"
             "export GOPATH=\"~/b\"\n", NULL);
    assert_int_equal(count_rule(&fl, "GE1001"), 1);
    assert_int_equal(fl.items[0]->line, 4);
    findings_release(&fl);
    /* a trailing directive on the first command does not cover the file */
    fl = run("f.bashrc",
             "export GOPATH=\"~/a\" # golint-env disable=GE1001\n"
             "export GOPATH=\"~/b\"\n", NULL);
    assert_int_equal(count_rule(&fl, "GE1001"), 1);
    findings_release(&fl);
    /* unknown ids are reported */
    fl = run("c.bashrc", "export A=1\n# golint-env disable=GE9999,GE2001\nexport PATH=/x\n", NULL);
    assert_int_equal(count_rule(&fl, "GE1003"), 1);
    assert_int_equal(count_rule(&fl, "GE2001"), 0);
    findings_release(&fl);
}

static void config_overrides(void **state)
{
    (void)state;
    char path[] = "/tmp/golint-env-config-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *json = "{\"disable\": [\"GE3001\"], \"severity\": {\"GE2001\": \"info\"}}";
    assert_int_equal(write(fd, json, strlen(json)), (ssize_t)strlen(json));
    close(fd);
    golint_config cfg;
    char why[256];
    assert_true(config_load(&cfg, path, why, sizeof(why)));
    finding_list fl = run("d.bashrc", "export PATH=/x\nGOPROXY=off\n", &cfg);
    assert_int_equal(fl.n, 1);
    assert_string_equal(fl.items[0]->rule, "GE2001");
    assert_int_equal(fl.items[0]->sev, SEV_INFO);
    findings_release(&fl);
    config_release(&cfg);
    /* invalid severity is an error with the file named */
    FILE *f = fopen(path, "w");
    fputs("{\"severity\": {\"GE2001\": \"fatal\"}}", f);
    fclose(f);
    assert_false(config_load(&cfg, path, why, sizeof(why)));
    assert_non_null(strstr(why, path));
    config_release(&cfg);
    unlink(path);
}

static void registry_contents(void **state)
{
    (void)state;
    const rule_info *r = registry_find(&reg, "GE2001");
    assert_non_null(r);
    assert_string_equal(r->name, "path-overwritten");
    assert_int_equal(r->sev, SEV_ERROR);
    assert_true(r->nexamples >= 2);
    assert_null(registry_find(&reg, "GE0000"));
    /* every per-file rule has its documentation */
    for (size_t i = 0; i < file_rules_count; i++)
        assert_non_null(registry_find(&reg, file_rules[i].id));
}

static void shell_rules_edge_cases(void **state)
{
    (void)state;
    /* split value (tree-sitter-bash quirk) is still one value */
    finding_list fl = run("e.bashrc", "export PATH=$PATH:$GOPATH/bin\n", NULL);
    assert_int_equal(fl.n, 0);
    findings_release(&fl);
    /* prefix assignment, zsh array with $path, += append: no overwrite */
    fl = run("f.zshrc", "PATH=/x make\npath=(/usr/local/go/bin $path)\nPATH+=:/opt/go/bin\n", NULL);
    assert_int_equal(count_rule(&fl, "GE2001"), 0);
    findings_release(&fl);
    /* zsh overwrite is reported */
    fl = run("g.zshrc", "path=(/usr/local/go/bin)\n", NULL);
    assert_int_equal(count_rule(&fl, "GE2001"), 1);
    findings_release(&fl);
    /* quoted tilde in single quotes gets a rewrite to double quotes */
    fl = run("h.bashrc", "export GOBIN='~/go/bin'\n", NULL);
    assert_int_equal(count_rule(&fl, "GE1001"), 1);
    assert_non_null(fl.items[0]->fix);
    assert_string_equal(fl.items[0]->fix->edits[0].text, "\"$HOME/go/bin\"");
    findings_release(&fl);
    /* parse errors: info in bash, silent in zsh */
    fl = run("i.bashrc", "if then fi (\n", NULL);
    assert_true(count_rule(&fl, "GE1000") >= 1);
    assert_int_equal(fl.items[0]->sev, SEV_INFO);
    findings_release(&fl);
    fl = run("j.zshrc", "print -l ${(s.:.)PATH}\nfor f (*.zsh(N)) source $f\n", NULL);
    assert_int_equal(count_rule(&fl, "GE1000"), 0);
    findings_release(&fl);
}

static void json_report_shape(void **state)
{
    (void)state;
    finding_list fl = run("k.bashrc", "GOPROXY=direct\n", NULL);
    strbuf sb = STRBUF_INIT;
    report_options ro = {0};
    report_json(&sb, &fl, &ro);
    assert_non_null(strstr(sb.data, "{\"version\": 1, \"tool\": {\"name\": \"golint-env\""));
    assert_non_null(strstr(sb.data, "\"id\": \"F1\", \"rule\": \"GE3001\", \"severity\": \"warning\""));
    assert_non_null(strstr(sb.data, "\"line\": 1, \"column\": 1, \"end_line\": 1, \"end_column\": 15"));
    assert_non_null(strstr(sb.data, "\"caused_by\": null, \"causes\": []"));
    assert_non_null(strstr(sb.data, "\"applicability\": \"safe\""));
    assert_non_null(strstr(sb.data, "\"summary\": {\"error\": 0, \"warning\": 1, \"info\": 0, \"style\": 0}"));
    strbuf_release(&sb);

    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    report_text(mem, &fl, &ro);
    fclose(mem);
    assert_non_null(strstr(buf, "k.bashrc:1:1: warning: GOPROXY is set but never exported"));
    assert_non_null(strstr(buf, "[GE3001]"));
    free(buf);
    findings_release(&fl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dialects),
        cmocka_unit_test(directive_scopes),
        cmocka_unit_test(config_overrides),
        cmocka_unit_test(registry_contents),
        cmocka_unit_test(shell_rules_edge_cases),
        cmocka_unit_test(json_report_shape),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

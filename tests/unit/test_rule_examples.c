/* Every rule's good and bad examples from rules/ID.json, run through the
 * golint-env binary: a bad example reports the rule (and no other rule at
 * warning or above); a good one reports neither the rule nor anything at
 * warning or above. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/core.h"

static const char *bin;
static const char *srcdir;

static void mkdirs_for(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0755);
            *p = '/';
        }
    }
}

static void write_file(const char *path, const char *text, size_t len)
{
    mkdirs_for(path);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(text, 1, len, f);
    fclose(f);
}

/* cJSON strings stop at NUL: binary examples use "code_base64". */
static size_t example_code(const cJSON *ex, const cJSON *code, char **out)
{
    const cJSON *b64 = cJSON_GetObjectItem(ex, "code_base64");
    if (cJSON_IsString(b64)) {
        size_t len = strlen(b64->valuestring);
        unsigned char *buf = malloc(len + 4);
        int n = EVP_DecodeBlock(buf, (const unsigned char *)b64->valuestring, (int)len);
        assert_true(n >= 0);
        while (len > 0 && b64->valuestring[len - 1] == '=') {
            n--;
            len--;
        }
        *out = (char *)buf;
        return (size_t)n;
    }
    *out = strdup(code->valuestring);
    return strlen(code->valuestring);
}

static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    strbuf sb = STRBUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
        strbuf_add(&sb, buf, n);
    pclose(p);
    return strbuf_detach(&sb);
}

static void shell_quote(strbuf *sb, const char *s)
{
    strbuf_addc(sb, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            strbuf_adds(sb, "'\\''");
        else
            strbuf_addc(sb, *s);
    }
    strbuf_addc(sb, '\'');
}

static int check_example(const char *id, const cJSON *ex, bool bad, int index)
{
    char tmpl[] = "/tmp/golint-env-example-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(ex, "kind"));
    if (!kind)
        kind = "shell";
    strbuf cmd = STRBUF_INIT;
    strbuf_addf(&cmd, "cd %s && ", dir);
    shell_quote(&cmd, bin);
    if (strcmp(kind, "machine") == 0) {
        const cJSON *files = cJSON_GetObjectItem(ex, "files");
        const cJSON *f;
        cJSON_ArrayForEach(f, files) {
            char path[4096];
            snprintf(path, sizeof(path), "%s/root%s%s", dir, f->string[0] == '/' ? "" : "/", f->string);
            /* a file is "text", or {"code"|"code_base64": ..., "mode": "0755"},
             * {"symlink": "target"} or {"dir": true, "mode": "0777"} */
            const char *link = cJSON_GetStringValue(cJSON_GetObjectItem(f, "symlink"));
            const char *mode = cJSON_GetStringValue(cJSON_GetObjectItem(f, "mode"));
            if (link) {
                mkdirs_for(path);
                assert_int_equal(symlink(link, path), 0);
                continue;
            }
            if (cJSON_IsTrue(cJSON_GetObjectItem(f, "dir"))) {
                mkdirs_for(path);
                mkdir(path, 0755);
            } else {
                const cJSON *code_item = cJSON_IsObject(f) ? cJSON_GetObjectItem(f, "code") : f;
                char *code;
                size_t len = example_code(f, code_item ? code_item : f, &code);
                write_file(path, code, len);
                free(code);
            }
            if (mode)
                chmod(path, (mode_t)strtol(mode, NULL, 8));
        }
        char rootdir[4200];
        snprintf(rootdir, sizeof(rootdir), "%s/root", dir);
        mkdir(rootdir, 0755);
        const char *command = cJSON_GetStringValue(cJSON_GetObjectItem(ex, "command"));
        strbuf_addf(&cmd, " %s --root %s --offline --format json --fail-on none",
                    command ? command : "doctor", rootdir);
        const char *opt[] = {"home", "user", "shell", "context"};
        for (size_t i = 0; i < 4; i++) {
            const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(ex, opt[i]));
            if (v) {
                strbuf_addf(&cmd, " --%s ", opt[i]);
                shell_quote(&cmd, v);
            }
        }
        const cJSON *args = cJSON_GetObjectItem(ex, "args");
        const cJSON *a;
        cJSON_ArrayForEach(a, args) {
            strbuf_addc(&cmd, ' ');
            shell_quote(&cmd, a->valuestring);
        }
    } else {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(ex, "name"));
        const cJSON *code = cJSON_GetObjectItem(ex, "code");
        assert_non_null(name);
        assert_true(code || cJSON_GetObjectItem(ex, "code_base64"));
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        char *text;
        size_t len = example_code(ex, code, &text);
        write_file(path, text, len);
        free(text);
        strbuf_addf(&cmd, " check --kind %s --format json --fail-on none ", kind);
        shell_quote(&cmd, name);
    }
    strbuf_adds(&cmd, " 2>&1");
    char *out = run(cmd.data);
    cJSON *doc = cJSON_Parse(out);
    int failures = 0;
    if (!doc) {
        print_error("%s %s example %d: output is not JSON:\n%s\n", id, bad ? "bad" : "good", index, out);
        failures++;
    } else {
        bool seen = false;
        const cJSON *f;
        strbuf others = STRBUF_INIT;
        /* ids of this rule's findings: a finding linked to one of them (its
         * cause or its symptom) is the same problem, not another rule firing */
        strbuf mine = STRBUF_INIT;
        cJSON_ArrayForEach(f, cJSON_GetObjectItem(doc, "findings")) {
            const char *rule = cJSON_GetStringValue(cJSON_GetObjectItem(f, "rule"));
            if (rule && strcmp(rule, id) == 0)
                strbuf_addf(&mine, " %s ", cJSON_GetStringValue(cJSON_GetObjectItem(f, "id")));
        }
        cJSON_ArrayForEach(f, cJSON_GetObjectItem(doc, "findings")) {
            const char *rule = cJSON_GetStringValue(cJSON_GetObjectItem(f, "rule"));
            const char *sev = cJSON_GetStringValue(cJSON_GetObjectItem(f, "severity"));
            bool linked = false;
            char key[64];
            const char *cause = cJSON_GetStringValue(cJSON_GetObjectItem(f, "caused_by"));
            if (cause && mine.data) {
                snprintf(key, sizeof(key), " %s ", cause);
                linked = strstr(mine.data, key) != NULL;
            }
            const cJSON *c;
            cJSON_ArrayForEach(c, cJSON_GetObjectItem(f, "causes")) {
                snprintf(key, sizeof(key), " %s ", cJSON_GetStringValue(c));
                if (mine.data && strstr(mine.data, key))
                    linked = true;
            }
            if (rule && strcmp(rule, id) == 0)
                seen = true;
            else if (!linked && sev && (strcmp(sev, "error") == 0 || strcmp(sev, "warning") == 0))
                strbuf_addf(&others, " %s", rule ? rule : "?");
        }
        strbuf_release(&mine);
        if (bad && !seen) {
            print_error("%s bad example %d does not trigger %s:\n%s\n", id, index, id, out);
            failures++;
        }
        if (!bad && seen) {
            print_error("%s good example %d triggers %s:\n%s\n", id, index, id, out);
            failures++;
        }
        if (others.len) {
            print_error("%s %s example %d also triggers%s:\n%s\n", id, bad ? "bad" : "good", index,
                        others.data, out);
            failures++;
        }
        strbuf_release(&others);
        cJSON_Delete(doc);
    }
    free(out);
    strbuf_release(&cmd);
    char rm[4200];
    snprintf(rm, sizeof(rm), "rm -rf %s", dir);
    if (system(rm) != 0)
        print_error("could not remove %s\n", dir);
    return failures;
}

static void rule_examples(void **state)
{
    const char *path = *state;
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    strbuf sb = STRBUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
        strbuf_add(&sb, buf, n);
    fclose(fp);
    cJSON *j = cJSON_Parse(sb.data);
    strbuf_release(&sb);
    assert_non_null(j);
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(j, "id"));
    assert_non_null(id);
    /* rules that only fire on this machine (never under --root) have no examples */
    if (cJSON_IsTrue(cJSON_GetObjectItem(j, "live_only"))) {
        cJSON_Delete(j);
        skip();
    }
    const cJSON *examples = cJSON_GetObjectItem(j, "examples");
    const cJSON *badl = cJSON_GetObjectItem(examples, "bad");
    const cJSON *goodl = cJSON_GetObjectItem(examples, "good");
    if (cJSON_GetArraySize(badl) < 1) {
        print_error("%s has no bad example\n", id);
        fail();
    }
    int failures = 0, i = 0;
    const cJSON *ex;
    cJSON_ArrayForEach(ex, badl) failures += check_example(id, ex, true, ++i);
    i = 0;
    cJSON_ArrayForEach(ex, goodl) failures += check_example(id, ex, false, ++i);
    cJSON_Delete(j);
    assert_int_equal(failures, 0);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

int main(void)
{
    bin = getenv("GOLINT_ENV_BIN");
    srcdir = getenv("GOLINT_ENV_SOURCE_DIR");
    if (!bin || !srcdir) {
        fprintf(stderr, "GOLINT_ENV_BIN and GOLINT_ENV_SOURCE_DIR must be set (ctest sets them)\n");
        return 1;
    }
    char rules[4096];
    snprintf(rules, sizeof(rules), "%s/rules", srcdir);
    struct dirent **names;
    int n = scandir(rules, &names, NULL, by_name);
    if (n < 0) {
        fprintf(stderr, "%s: %s\n", rules, strerror(errno));
        return 1;
    }
    struct CMUnitTest *tests = calloc((size_t)n, sizeof(*tests));
    size_t count = 0;
    for (int i = 0; i < n; i++) {
        const char *d = names[i]->d_name;
        if (strncmp(d, "GE", 2) == 0 && strlen(d) > 5 && strcmp(d + strlen(d) - 5, ".json") == 0) {
            char *path = malloc(strlen(rules) + strlen(d) + 2);
            sprintf(path, "%s/%s", rules, d);
            tests[count].name = strdup(d);
            tests[count].test_func = rule_examples;
            tests[count].initial_state = path;
            count++;
        }
        free(names[i]);
    }
    free(names);
    if (count == 0) {
        fprintf(stderr, "no rules found in %s\n", rules);
        return 1;
    }
    int rc = _cmocka_run_group_tests("rule_examples", tests, count, NULL, NULL);
    for (size_t i = 0; i < count; i++) {
        free((void *)tests[i].name);
        free(tests[i].initial_state);
    }
    free(tests);
    return rc;
}

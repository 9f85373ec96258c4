/*
 * bare_parse.c - the benchmark's floor: read each file and parse it with its
 * grammar (tree-sitter-zsh for zsh files by name or shebang, as golint-env
 * picks it; tree-sitter-bash for the rest), single-threaded, one parser per
 * grammar reused, nothing else. What `golint-env check` costs beyond this is
 * ours. Used by bench/run.sh.
 *
 *   bare_parse [OPTIONS] FILE...        or   bare_parse [OPTIONS] - < list-of-paths
 * Prints "files N bytes N seconds S" on stdout, and with --errors the number
 * of files whose tree holds an ERROR or MISSING node.
 *   --grammar bash|zsh   parse every file with this grammar
 *   --zsh-only           skip the files not taken for zsh
 *   --errors             count the files with parse errors (bench/grammar_errors.sh) 
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_bash(void);
const TSLanguage *tree_sitter_zsh(void);

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static TSParser *parser, *zparser;
static size_t files, bytes, failed, with_errors;
static const char *force; /* --grammar */
static bool zsh_only, count_errors;

/* The common cases of shell_dialect_detect (src/parse/shell.c): a zsh
 * shebang, *.zsh, *.zsh-theme, and the zsh startup file names. */
static bool is_zsh(const char *path, const char *data, size_t len)
{
    if (len > 2 && data[0] == '#' && data[1] == '!') {
        const char *nl = memchr(data, '\n', len);
        size_t l = nl ? (size_t)(nl - data) : len;
        for (size_t i = 0; i + 3 <= l; i++)
            if (memcmp(data + i, "zsh", 3) == 0)
                return true;
        return false;
    }
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(path);
    if ((n > 4 && strcmp(path + n - 4, ".zsh") == 0) || strstr(b, ".zsh-theme"))
        return true;
    static const char *const names[] = {"zshrc", "zshenv", "zprofile", "zlogin", "zlogout"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strstr(b, names[i]))
            return true;
    return false;
}

static void parse_one(const char *path)
{
    size_t len;
    char *data = slurp(path, &len);
    if (!data) {
        fprintf(stderr, "bare_parse: cannot read %s\n", path);
        failed++;
        return;
    }
    bool zsh = is_zsh(path, data, len);
    if (zsh_only && !zsh) {
        free(data);
        return;
    }
    if (force)
        zsh = strcmp(force, "zsh") == 0;
    TSTree *t = ts_parser_parse_string(zsh ? zparser : parser, NULL, data, (uint32_t)len);
    if (t && count_errors && ts_node_has_error(ts_tree_root_node(t)))
        with_errors++;
    if (t)
        ts_tree_delete(t);
    free(data);
    files++;
    bytes += len;
}

int main(int argc, char **argv)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    parser = ts_parser_new();
    zparser = ts_parser_new();
    if (!ts_parser_set_language(parser, tree_sitter_bash()) ||
        !ts_parser_set_language(zparser, tree_sitter_zsh())) {
        fprintf(stderr, "bare_parse: grammar ABI mismatch\n");
        return 2;
    }
    int a = 1;
    for (; a < argc && strncmp(argv[a], "--", 2) == 0; a++) {
        if (strcmp(argv[a], "--grammar") == 0 && a + 1 < argc)
            force = argv[++a];
        else if (strcmp(argv[a], "--zsh-only") == 0)
            zsh_only = true;
        else if (strcmp(argv[a], "--errors") == 0)
            count_errors = true;
        else {
            fprintf(stderr, "bare_parse: unknown option %s\n", argv[a]);
            return 2;
        }
    }
    if (argc - a == 1 && strcmp(argv[a], "-") == 0) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        while ((n = getline(&line, &cap, stdin)) > 0) {
            if (line[n - 1] == '\n')
                line[n - 1] = '\0';
            if (*line)
                parse_one(line);
        }
        free(line);
    } else {
        for (int i = a; i < argc; i++)
            parse_one(argv[i]);
    }
    ts_parser_delete(parser);
    ts_parser_delete(zparser);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("files %zu bytes %zu seconds %.6f", files, bytes, s);
    if (count_errors)
        printf(" errors %zu", with_errors);
    printf("\n");
    return failed ? 1 : 0;
}

/*
 * bare_parse.c - the benchmark's floor: read each file and parse it with
 * tree-sitter-bash, single-threaded, one parser reused, nothing else. What
 * `golint-env check` costs beyond this is ours. Used by bench/run.sh.
 *
 *   bare_parse FILE...        or   bare_parse - < list-of-paths
 * Prints "files N bytes N seconds S" on stdout.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_bash(void);

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

static TSParser *parser;
static size_t files, bytes, failed;

static void parse_one(const char *path)
{
    size_t len;
    char *data = slurp(path, &len);
    if (!data) {
        fprintf(stderr, "bare_parse: cannot read %s\n", path);
        failed++;
        return;
    }
    TSTree *t = ts_parser_parse_string(parser, NULL, data, (uint32_t)len);
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
    if (!ts_parser_set_language(parser, tree_sitter_bash())) {
        fprintf(stderr, "bare_parse: grammar ABI mismatch\n");
        return 2;
    }
    if (argc == 2 && strcmp(argv[1], "-") == 0) {
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
        for (int i = 1; i < argc; i++)
            parse_one(argv[i]);
    }
    ts_parser_delete(parser);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("files %zu bytes %zu seconds %.6f\n", files, bytes, s);
    return failed ? 1 : 0;
}

/*
 * fuzz.h - helpers shared by the libFuzzer targets (fuzz_*.c): the rule
 * registry loaded once, and a reader that carves small values off the input.
 * Each target feeds arbitrary bytes to one public entry point and checks
 * what its header promises; libFuzzer, ASan and UBSan catch the rest.
 */
#ifndef GOLINT_FUZZ_H
#define GOLINT_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "rules/rules.h"

/* Abort loudly (libFuzzer saves the input) when a documented property fails. */
#define FUZZ_ASSERT(cond)                                                              \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                   \
        }                                                                              \
    } while (0)

/* The real rules/ directory, so directives see known and unknown ids. */
static inline void fuzz_registry_init(void)
{
    static rule_registry reg;
    static bool done;
    char why[512];
    if (done)
        return;
    done = true;
    if (registry_load(&reg, GOLINT_ENV_SOURCE_RULES_DIR, why, sizeof(why)))
        registry_set_global(&reg);
    else
        fprintf(stderr, "fuzz: rules not loaded: %s\n", why);
}

/* Run every per-file rule of kind on the bytes, as `check --kind` does, and
 * check the findings' positions stay inside the file. */
static inline void fuzz_check_bytes(const uint8_t *data, size_t size, const char *name,
                                    file_kind kind, shell_dialect dialect)
{
    source_file *src = source_from_memory(name, (const char *)data, size);
    finding_list fl;
    findings_init(&fl);
    check_options opt = {.kind = kind, .dialect = dialect, .cfg = NULL};
    check_source(src, &opt, &fl);
    findings_sort(&fl);
    for (size_t i = 0; i < fl.n; i++) {
        const finding *f = fl.items[i];
        FUZZ_ASSERT(f->line >= 1 && f->column >= 1);
        FUZZ_ASSERT(f->end_line > f->line || (f->end_line == f->line && f->end_column >= f->column));
        FUZZ_ASSERT((size_t)f->line <= src->nlines + 1);
    }
    findings_release(&fl);
    source_free(src);
}

/* Overwrite path with the input, for APIs that read files. */
static inline void fuzz_write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
}

/* Carves values off the fuzz input, front to back. */
typedef struct fuzz_reader {
    const uint8_t *p;
    size_t n;
} fuzz_reader;

static inline unsigned fuzz_byte(fuzz_reader *r)
{
    if (!r->n)
        return 0;
    r->n--;
    return *r->p++;
}

static inline size_t fuzz_size(fuzz_reader *r, size_t max)
{
    size_t v = fuzz_byte(r) | (size_t)fuzz_byte(r) << 8;
    return max ? v % (max + 1) : 0;
}

/* A NUL-terminated string of at most max bytes, ended early by a 0xff byte. */
static inline char *fuzz_str(fuzz_reader *r, size_t max)
{
    size_t len = 0;
    while (len < max && len < r->n && r->p[len] != 0xff)
        len++;
    char *s = xstrndup((const char *)r->p, len);
    r->p += len;
    r->n -= len;
    if (r->n) {
        r->p++;
        r->n--;
    }
    return s;
}

#endif

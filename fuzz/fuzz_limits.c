/* fuzz_limits.c - limits.conf lines: limits_parse, the item table and its
 * suggestions, and the limits rules (check --kind limits). */
#include "fuzz.h"
#include "parse/parse.h"

static void field_ok(const limits_field *f, const source_file *src)
{
    FUZZ_ASSERT(f->text != NULL);
    FUZZ_ASSERT(f->start <= f->end && f->end <= src->len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_registry_init();
    source_file *src = source_from_memory("limits.conf", (const char *)data, size);
    arena *a = arena_new();
    limits_file *l = limits_parse(a, src);
    FUZZ_ASSERT(l != NULL);
    for (size_t i = 0; i < l->nentries; i++) {
        const limits_entry *e = &l->entries[i];
        field_ok(&e->domain, src);
        field_ok(&e->type, src);
        field_ok(&e->item, src);
        field_ok(&e->value, src);
        FUZZ_ASSERT(e->start <= e->end && e->end <= src->len && e->line >= 1);
        FUZZ_ASSERT(e->known_item == limits_item_known(e->item.text));
        if (!e->known_item && i < 4)
            (void)limits_item_suggest(e->item.text);
    }
    for (size_t i = 0; i < l->nproblems; i++)
        FUZZ_ASSERT(l->problems[i].start <= l->problems[i].end && l->problems[i].end <= src->len);
    arena_free(a);
    source_free(src);
    fuzz_check_bytes(data, size, "limits.conf", KIND_LIMITS, SHELL_UNKNOWN);
    return 0;
}

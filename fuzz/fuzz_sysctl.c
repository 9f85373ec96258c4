/* fuzz_sysctl.c - sysctl.conf / sysctl.d lines: sysctl_parse, key
 * normalisation and the known-key table, and the sysctl rules. */
#include "fuzz.h"
#include "parse/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_registry_init();
    source_file *src = source_from_memory("sysctl.d/99-fuzz.conf", (const char *)data, size);
    arena *a = arena_new();
    sysctl_file *s = sysctl_parse(a, src);
    FUZZ_ASSERT(s != NULL);
    for (size_t i = 0; i < s->nentries; i++) {
        const sysctl_entry *e = &s->entries[i];
        FUZZ_ASSERT(e->key != NULL && e->line >= 1);
        FUZZ_ASSERT(e->start <= e->end && e->end <= src->len);
        FUZZ_ASSERT(e->key_start <= e->key_end && e->key_end <= src->len);
        if (e->value)
            FUZZ_ASSERT(e->value_start <= e->value_end && e->value_end <= src->len);
        /* normalised as sysctl.d(5) says: the first separator is a dot */
        const char *sep = strpbrk(e->key, "./");
        FUZZ_ASSERT(!sep || *sep == '.');
        if (sysctl_key_checked(e->key) && !sysctl_key_known(e->key) && i < 4)
            (void)sysctl_key_suggest(e->key);
    }
    for (size_t i = 0; i < s->nproblems; i++)
        FUZZ_ASSERT(s->problems[i].start <= s->problems[i].end && s->problems[i].end <= src->len);
    arena_free(a);
    source_free(src);
    fuzz_check_bytes(data, size, "sysctl.d/99-fuzz.conf", KIND_SYSCTL, SHELL_UNKNOWN);
    return 0;
}

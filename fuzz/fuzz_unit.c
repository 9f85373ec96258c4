/* fuzz_unit.c - systemd unit syntax: unit_parse, the key table, Limit*=
 * values, Environment= word splitting, and the unit rules (check --kind unit). */
#include "fuzz.h"
#include "parse/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_registry_init();
    source_file *src = source_from_memory("fuzz.service", (const char *)data, size);
    arena *a = arena_new();
    unit_file *u = unit_parse(a, src);
    FUZZ_ASSERT(u != NULL);
    unsigned suggested = 0; /* the table is long: a few per input is enough */
    for (size_t i = 0; i < u->nsettings; i++) {
        const unit_setting *s = &u->settings[i];
        FUZZ_ASSERT(s->section && s->key && s->value);
        FUZZ_ASSERT(s->start <= s->end && s->end <= src->len);
        FUZZ_ASSERT(s->key_start <= s->key_end && s->key_end <= src->len);
        FUZZ_ASSERT(s->value_start <= s->value_end && s->value_end <= src->len);
        FUZZ_ASSERT(s->line >= 1);
        const unit_key_info *ki = unit_key_lookup(s->section, s->key);
        if (!ki) {
            if (unit_section_checked(s->section) && suggested++ < 2)
                (void)unit_key_suggest(s->section, s->key);
            continue;
        }
        char why[256];
        unit_rlimit rl;
        if (ki->type == UV_RLIMIT && unit_rlimit_parse(s->key, s->value, &rl, why, sizeof(why)))
            FUZZ_ASSERT(!rl.split || rl.soft <= rl.hard || rl.hard != RLIMIT_VALUE_INFINITY);
        if (ki->type == UV_ENV) {
            unit_env_assign words[32];
            bool bad = false;
            size_t n = unit_env_split(a, s->value, words, GE_ARRAY_LEN(words), &bad);
            size_t vlen = strlen(s->value);
            for (size_t k = 0; k < n && k < GE_ARRAY_LEN(words); k++)
                FUZZ_ASSERT(words[k].start <= words[k].end && words[k].end <= vlen);
        }
    }
    for (size_t i = 0; i < u->nproblems; i++)
        FUZZ_ASSERT(u->problems[i].start <= u->problems[i].end && u->problems[i].end <= src->len);
    arena_free(a);
    source_free(src);
    fuzz_check_bytes(data, size, "fuzz.service", KIND_UNIT, SHELL_UNKNOWN);
    return 0;
}

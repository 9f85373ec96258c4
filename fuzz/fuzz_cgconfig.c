/* fuzz_cgconfig.c - libcgroup files: cgconfig_parse (groups, controllers,
 * mounts, templates), cgrules_parse, and the cgconfig rules. */
#include "fuzz.h"
#include "parse/parse.h"

static void range_ok(size_t s, size_t e, const source_file *src)
{
    FUZZ_ASSERT(s <= e && e <= src->len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_registry_init();
    source_file *src = source_from_memory("cgconfig.conf", (const char *)data, size);
    arena *a = arena_new();
    cgconfig_file *c = cgconfig_parse(a, src);
    FUZZ_ASSERT(c != NULL);
    for (size_t i = 0; i < c->ngroups; i++) {
        const cg_group *g = &c->groups[i];
        FUZZ_ASSERT(g->name != NULL);
        range_ok(g->start, g->end, src);
        for (size_t k = 0; k < g->nparams; k++) {
            const cg_param *p = &g->params[k];
            FUZZ_ASSERT(p->key && p->value);
            range_ok(p->start, p->end, src);
            range_ok(p->value_start, p->value_end, src);
        }
    }
    for (size_t i = 0; i < c->nmounts; i++)
        range_ok(c->mounts[i].start, c->mounts[i].end, src);
    for (size_t i = 0; i < c->nproblems; i++)
        range_ok(c->problems[i].start, c->problems[i].end, src);

    cgrules_file *r = cgrules_parse(a, src);
    FUZZ_ASSERT(r != NULL);
    for (size_t i = 0; i < r->nrules; i++) {
        FUZZ_ASSERT(r->rules[i].user != NULL);
        range_ok(r->rules[i].start, r->rules[i].end, src);
        range_ok(r->rules[i].dest_start, r->rules[i].dest_end, src);
    }
    for (size_t i = 0; i < r->nproblems; i++)
        range_ok(r->problems[i].start, r->problems[i].end, src);
    (void)cgconfig_is_rules_file(src);
    arena_free(a);
    source_free(src);
    fuzz_check_bytes(data, size, size & 1 ? "cgrules.conf" : "cgconfig.conf", KIND_CGCONFIG,
                     SHELL_UNKNOWN);
    return 0;
}

/* fuzz_envsnap.c - environment snapshots (env -0, env, golint-env JSON):
 * env_snapshot_parse, lookups, and the env -0 writer read back. */
#include "fuzz.h"
#include "parse/parse.h"

static void snapshot_ok(const env_snapshot *s)
{
    for (size_t i = 0; i < s->n; i++) {
        FUZZ_ASSERT(s->vars[i].name && s->vars[i].value);
        /* sorted by name, unique (parse.h) */
        if (i)
            FUZZ_ASSERT(strcmp(s->vars[i - 1].name, s->vars[i].name) < 0);
        FUZZ_ASSERT(env_snapshot_get(s, s->vars[i].name) == &s->vars[i]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const contexts[] = {NULL, "terminal", "login", "no-such-context"};
    arena *a = arena_new();
    env_snapshot s;
    char why[512];
    if (env_snapshot_parse(a, (const char *)data, size, contexts[size % 4], &s, why, sizeof(why))) {
        snapshot_ok(&s);
        /* What the writer emits reads back as the same variables. */
        strbuf nul = STRBUF_INIT;
        env_snapshot_write_nul(&s, &nul);
        env_snapshot back;
        if (nul.len) {
            FUZZ_ASSERT(env_snapshot_parse(a, nul.data, nul.len, NULL, &back, why, sizeof(why)));
            snapshot_ok(&back);
            FUZZ_ASSERT(back.format == ENVSNAP_NUL);
        }
        strbuf_release(&nul);
    }
    arena_free(a);
    return 0;
}

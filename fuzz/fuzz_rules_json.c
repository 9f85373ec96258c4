/* fuzz_rules_json.c - one rules/ID.json as registry_load reads it: any
 * bytes load or fail with a reason, never crash; a loaded rule is complete. */
#include "fuzz.h"

#include <unistd.h>

static char dir[64], file[96];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    snprintf(dir, sizeof(dir), "/tmp/golint-fuzz-rules-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    snprintf(file, sizeof(file), "%s/GE9999.json", dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_write_file(file, data, size);
    rule_registry reg;
    memset(&reg, 0, sizeof(reg));
    char why[512];
    why[0] = '\0';
    if (registry_load(&reg, dir, why, sizeof(why))) {
        for (size_t i = 0; i < reg.n; i++) {
            const rule_info *r = &reg.rules[i];
            FUZZ_ASSERT(r->id && r->name && r->family && r->summary);
            FUZZ_ASSERT(registry_find(&reg, r->id) == r);
            FUZZ_ASSERT((unsigned)r->sev <= SEV_STYLE);
        }
    } else {
        FUZZ_ASSERT(why[0] != '\0');
    }
    registry_release(&reg);
    return 0;
}

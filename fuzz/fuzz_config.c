/* fuzz_config.c - .golint-env.json as config_load reads it, then the
 * overrides it produced as config_rule_enabled answers them. */
#include "fuzz.h"

#include <unistd.h>

static char file[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    snprintf(file, sizeof(file), "/tmp/golint-fuzz-config-XXXXXX");
    int fd = mkstemp(file);
    if (fd < 0)
        abort();
    close(fd);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_write_file(file, data, size);
    golint_config cfg;
    char why[512];
    why[0] = '\0';
    if (config_load(&cfg, file, why, sizeof(why))) {
        for (size_t i = 0; i < cfg.n; i++) {
            severity s = SEV_WARNING;
            FUZZ_ASSERT(cfg.overrides[i].id != NULL);
            if (config_rule_enabled(&cfg, cfg.overrides[i].id, &s))
                FUZZ_ASSERT((unsigned)s <= SEV_NONE);
        }
        severity s;
        (void)config_rule_enabled(&cfg, "GE2001", &s);
    } else {
        FUZZ_ASSERT(why[0] != '\0');
    }
    config_release(&cfg);
    return 0;
}

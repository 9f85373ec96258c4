/* fuzz_shell.c - shell text through tree-sitter-bash, the walker, directives
 * and every per-file shell rule (check --kind shell), in each dialect. */
#include "fuzz.h"
#include "parse/parse.h"

static bool count_node(TSNode n, void *ud)
{
    (*(size_t *)ud)++;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_registry_init();
    source_file *src = source_from_memory(".bashrc", (const char *)data, size);
    shell_dialect d = shell_dialect_detect(src, src->path);
    shell_tree *t = shell_parse(src, d == SHELL_UNKNOWN ? SHELL_SH : d);
    if (t->tree) {
        size_t nodes = 0;
        shell_walk(ts_tree_root_node(t->tree), count_node, &nodes);
        FUZZ_ASSERT(nodes >= 1);
        for (size_t i = 0; i < t->nerrors; i++) {
            FUZZ_ASSERT(t->errors[i].start <= t->errors[i].end);
            FUZZ_ASSERT(t->errors[i].end <= src->len);
            if (i)
                FUZZ_ASSERT(t->errors[i - 1].start <= t->errors[i].start);
        }
    }
    shell_tree_free(t);
    source_free(src);

    /* The same bytes as each dialect sees them, through every rule. */
    static const shell_dialect dialects[] = {SHELL_SH, SHELL_BASH, SHELL_ZSH};
    shell_dialect dd = dialects[size % 3];
    fuzz_check_bytes(data, size, dd == SHELL_ZSH ? ".zshrc" : ".bashrc", KIND_SHELL, dd);
    return 0;
}

/* engine.c - one file through its parser and every per-file rule. */
#include "rules/rules.h"

#include <string.h>

file_kind check_source(const source_file *src, const check_options *opt, finding_list *out)
{
    file_kind kind = opt && opt->kind != KIND_UNKNOWN ? opt->kind : file_kind_detect(src->path, src);
    size_t first = out->n;
    file_check c = {
        .src = src,
        .kind = kind,
        .out = out,
        .a = arena_new(),
    };
    directive_set ds;
    memset(&ds, 0, sizeof(ds));
    const rule_registry *reg = registry_global();

    if (src->binary) {
        rule_GE1004(&c);
    } else {
        shell_tree *tree = NULL;
        if (kind == KIND_SHELL) {
            c.dialect = opt && opt->dialect != SHELL_UNKNOWN ? opt->dialect
                                                             : shell_dialect_detect(src, src->path);
            if (c.dialect == SHELL_UNKNOWN)
                c.dialect = SHELL_SH;
            if (opt && opt->tree && opt->tree->src == src) {
                c.tree = opt->tree; /* parsed already: reuse it */
            } else {
                tree = shell_parse(src, c.dialect);
                c.tree = tree;
            }
            directives_collect(&ds, c.tree, out, reg);
        } else {
            directives_collect_lines(&ds, src, out, reg);
        }
        for (size_t i = 0; i < file_rules_count; i++) {
            const file_rule *r = &file_rules[i];
            if (r->kind != KIND_UNKNOWN && r->kind != kind)
                continue;
            if (r->kind == KIND_SHELL && (!c.tree || !c.tree->tree) && strcmp(r->id, "GE1000") != 0 &&
                strcmp(r->id, "GE1002") != 0)
                continue;
            r->run(&c);
        }
        shell_tree_free(tree);
    }
    findings_filter_range(out, first, &ds, 1, opt ? opt->cfg : NULL);
    directives_release(&ds);

    arena_free(c.a);
    return kind;
}

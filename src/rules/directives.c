/* directives.c - "# golint-env disable=ID[,ID]" as ShellCheck users expect:
 * on a line of its own before a command it covers that command, before the
 * first command the whole file; after a command on the same line, that
 * command only. Unknown ids are reported (GE1003). */
#include "rules/rules.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Parse the ids of a directive comment; returns false if it is not one. */
static bool directive_parse(const char *text, size_t len, char ***ids, size_t *nids,
                            size_t *ids_off)
{
    static const char key[] = "golint-env";
    size_t i = 0;
    while (i < len && (text[i] == '#' || text[i] == ' ' || text[i] == '\t'))
        i++;
    if (len - i < sizeof(key) - 1 || strncmp(text + i, key, sizeof(key) - 1) != 0)
        return false;
    i += sizeof(key) - 1;
    if (i < len && text[i] == ':')
        i++;
    while (i < len && (text[i] == ' ' || text[i] == '\t'))
        i++;
    static const char dis[] = "disable=";
    if (len - i < sizeof(dis) - 1 || strncmp(text + i, dis, sizeof(dis) - 1) != 0)
        return false;
    i += sizeof(dis) - 1;
    *ids_off = i;
    *ids = NULL;
    *nids = 0;
    while (i < len && text[i] != ' ' && text[i] != '\t' && text[i] != '\r') {
        size_t s = i;
        while (i < len && text[i] != ',' && text[i] != ' ' && text[i] != '\t' && text[i] != '\r')
            i++;
        if (i > s) {
            *ids = xrealloc(*ids, (*nids + 1) * sizeof(char *));
            (*ids)[(*nids)++] = xstrndup(text + s, i - s);
        }
        if (i < len && text[i] == ',')
            i++;
    }
    return true;
}

static void range_add(directive_set *ds, size_t start_line, size_t end_line, char **ids, size_t nids)
{
    ds->ranges = xrealloc(ds->ranges, (ds->n + 1) * sizeof(directive_range));
    directive_range *r = &ds->ranges[ds->n++];
    r->start_line = start_line;
    r->end_line = end_line;
    r->ids = ids;
    r->nids = nids;
}

static void unknown_ids(const source_file *src, size_t off, size_t ids_off, char **ids, size_t nids,
                        finding_list *out, const rule_registry *reg)
{
    if (!reg || !out)
        return;
    size_t p = off + ids_off;
    for (size_t k = 0; k < nids; k++) {
        const char *at = strstr(src->data + p, ids[k]);
        size_t s = at ? (size_t)(at - src->data) : off;
        if (strcmp(ids[k], "all") != 0 && !registry_find(reg, ids[k]))
            finding_add(out, "GE1003", SEV_WARNING, src, s, s + strlen(ids[k]),
                        "unknown rule id '%s' in golint-env directive", ids[k]);
    }
}

struct dwalk {
    directive_set *ds;
    const shell_tree *t;
    finding_list *out;
    const rule_registry *reg;
    size_t first_command_byte;
};

static bool dir_visit(TSNode n, void *ud)
{
    struct dwalk *w = ud;
    if (!shell_node_is(n, "comment"))
        return true;
    const source_file *src = w->t->src;
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    char **ids;
    size_t nids, ids_off;
    if (!directive_parse(src->data + s, e - s, &ids, &nids, &ids_off))
        return false;
    unknown_ids(src, s, ids_off, ids, nids, w->out, w->reg);
    /* after a command on its line: that command only (its first line to this one) */
    size_t ls = s;
    while (ls > 0 && src->data[ls - 1] != '\n')
        ls--;
    bool trailing = false;
    for (size_t k = ls; k < s && !trailing; k++)
        trailing = src->data[k] != ' ' && src->data[k] != '\t';
    if (trailing) {
        size_t row = ts_node_start_point(n).row + 1, from = row;
        TSNode prev = ts_node_prev_named_sibling(n);
        if (!ts_node_is_null(prev) && ts_node_end_point(prev).row + 1 == row)
            from = ts_node_start_point(prev).row + 1;
        range_add(w->ds, from, row, ids, nids);
        return false;
    }
    if (s < w->first_command_byte) {
        range_add(w->ds, 0, SIZE_MAX, ids, nids);
        return false;
    }
    TSNode next = ts_node_next_named_sibling(n);
    while (!ts_node_is_null(next) && shell_node_is(next, "comment"))
        next = ts_node_next_named_sibling(next);
    if (ts_node_is_null(next)) {
        /* nothing follows in this block: cover the rest of the line */
        size_t l = ts_node_start_point(n).row + 1;
        range_add(w->ds, l, l, ids, nids);
    } else {
        range_add(w->ds, ts_node_start_point(n).row + 1, ts_node_end_point(next).row + 1, ids, nids);
    }
    return false;
}

void directives_collect(directive_set *ds, const shell_tree *t, finding_list *out,
                        const rule_registry *reg)
{
    memset(ds, 0, sizeof(*ds));
    ds->file = xstrdup(t->src->path);
    if (!t->tree) {
        directives_collect_lines(ds, t->src, out, reg);
        return;
    }
    /* most files have no directive: skip the walk (it costs as much as a rule) */
    if (!memmem(t->src->data, t->src->len, "golint-env", 10))
        return;
    TSNode top = ts_tree_root_node(t->tree);
    struct dwalk w = {ds, t, out, reg, t->src->len + 1};
    uint32_t nc = ts_node_named_child_count(top);
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = ts_node_named_child(top, i);
        if (!shell_node_is(c, "comment")) {
            w.first_command_byte = ts_node_start_byte(c);
            break;
        }
    }
    shell_walk(top, dir_visit, &w);
}

void directives_collect_lines(directive_set *ds, const source_file *src, finding_list *out,
                              const rule_registry *reg)
{
    if (!ds->file) {
        memset(ds, 0, sizeof(*ds));
        ds->file = xstrdup(src->path);
    }
    bool seen_content = false;
    for (size_t line = 1; line <= src->nlines; line++) {
        size_t len;
        const char *s = source_line(src, (int)line, &len);
        size_t i = 0;
        while (i < len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i == len)
            continue;
        if (s[i] != '#' && s[i] != ';') {
            seen_content = true;
            continue;
        }
        char **ids;
        size_t nids, ids_off;
        if (!directive_parse(s + i + 1, len - i - 1, &ids, &nids, &ids_off))
            continue;
        size_t off = (size_t)(s - src->data) + i + 1;
        unknown_ids(src, off, ids_off, ids, nids, out, reg);
        if (!seen_content) {
            range_add(ds, 0, SIZE_MAX, ids, nids);
            continue;
        }
        size_t next = line + 1;
        while (next <= src->nlines) {
            size_t l2;
            const char *s2 = source_line(src, (int)next, &l2);
            size_t k = 0;
            while (k < l2 && (s2[k] == ' ' || s2[k] == '\t'))
                k++;
            if (k < l2 && s2[k] != '#' && s2[k] != ';')
                break;
            next++;
        }
        range_add(ds, line, next, ids, nids);
    }
}

bool directives_suppress(const directive_set *ds, const char *rule, size_t line)
{
    for (size_t i = 0; i < ds->n; i++) {
        const directive_range *r = &ds->ranges[i];
        if (line < r->start_line || line > r->end_line)
            continue;
        for (size_t k = 0; k < r->nids; k++)
            if (strcmp(r->ids[k], rule) == 0 || strcmp(r->ids[k], "all") == 0)
                return true;
    }
    return false;
}

void directives_release(directive_set *ds)
{
    for (size_t i = 0; i < ds->n; i++) {
        for (size_t k = 0; k < ds->ranges[i].nids; k++)
            free(ds->ranges[i].ids[k]);
        free(ds->ranges[i].ids);
    }
    free(ds->ranges);
    free(ds->file);
    memset(ds, 0, sizeof(*ds));
}

void findings_filter(finding_list *fl, const directive_set *sets, size_t nsets,
                     const golint_config *cfg)
{
    findings_filter_range(fl, 0, sets, nsets, cfg);
}

void findings_filter_range(finding_list *fl, size_t from, const directive_set *sets, size_t nsets,
                           const golint_config *cfg)
{
    size_t w = from;
    for (size_t r = from; r < fl->n; r++) {
        finding *f = fl->items[r];
        bool drop = !config_rule_enabled(cfg, f->rule, &f->sev);
        for (size_t i = 0; !drop && i < nsets; i++)
            if (sets[i].file && strcmp(sets[i].file, f->file) == 0 &&
                directives_suppress(&sets[i], f->rule, (size_t)f->line))
                drop = true;
        if (!drop)
            fl->items[w++] = f;
    }
    fl->n = w;
}

/* finding.c - the finding list: adding, linking causes, fixes, sorting. */
#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void findings_init(finding_list *fl)
{
    memset(fl, 0, sizeof(*fl));
    fl->a = arena_new();
    fl->next_uid = 1;
}

void findings_release(finding_list *fl)
{
    free(fl->items);
    arena_free(fl->a);
    memset(fl, 0, sizeof(*fl));
}

static finding *finding_new(finding_list *fl)
{
    if (fl->n == fl->cap) {
        fl->cap = fl->cap ? fl->cap * 2 : 32;
        fl->items = xrealloc(fl->items, fl->cap * sizeof(finding *));
    }
    finding *f = arena_alloc(fl->a, sizeof(finding));
    fl->items[fl->n++] = f;
    f->uid = fl->next_uid++;
    return f;
}

finding *finding_add(finding_list *fl, const char *rule, severity sev,
                     const source_file *src, size_t start, size_t end,
                     const char *fmt, ...)
{
    finding *f = finding_new(fl);
    f->rule = arena_strdup(fl->a, rule);
    f->sev = sev;
    f->file = arena_strdup(fl->a, src->path);
    if (end < start)
        end = start;
    source_position(src, start, &f->line, &f->column);
    source_position(src, end, &f->end_line, &f->end_column);
    va_list ap;
    va_start(ap, fmt);
    f->message = arena_vprintf(fl->a, fmt, ap);
    va_end(ap);
    return f;
}

finding *finding_add_at(finding_list *fl, const char *rule, severity sev,
                        const char *file, int line, int column, int end_line,
                        int end_column, const char *fmt, ...)
{
    finding *f = finding_new(fl);
    f->rule = arena_strdup(fl->a, rule);
    f->sev = sev;
    f->file = arena_strdup(fl->a, file);
    f->line = line > 0 ? line : 1;
    f->column = column > 0 ? column : 1;
    f->end_line = end_line >= f->line ? end_line : f->line;
    f->end_column = end_column > 0 ? end_column : f->column;
    va_list ap;
    va_start(ap, fmt);
    f->message = arena_vprintf(fl->a, fmt, ap);
    va_end(ap);
    return f;
}

void finding_add_context(finding_list *fl, finding *f, const char *context)
{
    size_t i = 0;
    while (i < f->ncontexts && strcmp(f->contexts[i], context) < 0)
        i++;
    if (i < f->ncontexts && strcmp(f->contexts[i], context) == 0)
        return;
    char **c = arena_grow(fl->a, f->contexts, f->ncontexts, f->ncontexts + 1, sizeof(char *));
    memmove(c + i + 1, c + i, (f->ncontexts - i) * sizeof(char *));
    c[i] = arena_strdup(fl->a, context);
    f->contexts = c;
    f->ncontexts++;
}

finding *finding_by_uid(const finding_list *fl, uint32_t uid)
{
    for (size_t i = 0; i < fl->n; i++)
        if (fl->items[i]->uid == uid)
            return fl->items[i];
    return NULL;
}

void finding_link(finding_list *fl, finding *cause, finding *symptom)
{
    if (!cause || !symptom || cause == symptom)
        return;
    symptom->caused_by = cause->uid;
    for (size_t i = 0; i < cause->ncauses; i++)
        if (cause->causes[i] == symptom->uid)
            return;
    uint32_t *c = arena_grow(fl->a, cause->causes, cause->ncauses, cause->ncauses + 1, sizeof(uint32_t));
    c[cause->ncauses++] = symptom->uid;
    cause->causes = c;
}

fix *finding_set_fix(finding_list *fl, finding *f, fix_applicability app, const char *fmt, ...)
{
    fix *fx = arena_alloc(fl->a, sizeof(fix));
    fx->applicability = app;
    va_list ap;
    va_start(ap, fmt);
    fx->description = arena_vprintf(fl->a, fmt, ap);
    va_end(ap);
    f->fix = fx;
    return fx;
}

void fix_add_edit(finding_list *fl, fix *fx, const source_file *src,
                  size_t start, size_t end, const char *text)
{
    if (fx->nedits >= fx->capedits) {
        fx->capedits = fx->nedits ? 2 * fx->nedits : 4;
        fx->edits = arena_grow(fl->a, fx->edits, fx->nedits, fx->capedits, sizeof(fix_edit));
    }
    fix_edit *e = &fx->edits[fx->nedits++];
    if (end > src->len) end = src->len;
    if (start > end) start = end;
    e->file = arena_strdup(fl->a, src->path);
    e->host_path = arena_strdup(fl->a, src->host_path);
    e->start = start;
    e->end = end;
    source_position(src, start, &e->line, &e->column);
    source_position(src, end, &e->end_line, &e->end_column);
    e->text = arena_strdup(fl->a, text);
}

static int finding_cmp(const finding *a, const finding *b)
{
    int c = strcmp(a->file, b->file);
    if (c) return c;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    if (a->column != b->column) return a->column < b->column ? -1 : 1;
    c = strcmp(a->rule, b->rule);
    if (c) return c;
    if (a->end_line != b->end_line) return a->end_line < b->end_line ? -1 : 1;
    if (a->end_column != b->end_column) return a->end_column < b->end_column ? -1 : 1;
    c = strcmp(a->message, b->message);
    if (c) return c;
    if (a->ncontexts != b->ncontexts) return a->ncontexts < b->ncontexts ? -1 : 1;
    for (size_t i = 0; i < a->ncontexts; i++)
        if ((c = strcmp(a->contexts[i], b->contexts[i])))
            return c;
    return 0;
}

static int finding_ptr_cmp(const void *pa, const void *pb)
{
    return finding_cmp(*(finding *const *)pa, *(finding *const *)pb);
}

void findings_sort(finding_list *fl)
{
    if (fl->n > 1)
        qsort(fl->items, fl->n, sizeof(finding *), finding_ptr_cmp);
    /* drop exact duplicates (same place, rule, message and contexts) */
    size_t w = 0;
    for (size_t r = 0; r < fl->n; r++) {
        if (w > 0 && finding_cmp(fl->items[w - 1], fl->items[r]) == 0 &&
            !fl->items[r]->ncauses && !fl->items[r]->caused_by) {
            continue;
        }
        if (w != r)
            fl->items[w] = fl->items[r];
        w++;
    }
    fl->n = w;
    for (size_t i = 0; i < fl->n; i++)
        snprintf(fl->items[i]->id, sizeof(fl->items[i]->id), "F%zu", i + 1);
}

void findings_count(const finding_list *fl, size_t counts[4])
{
    counts[0] = counts[1] = counts[2] = counts[3] = 0;
    for (size_t i = 0; i < fl->n; i++)
        if ((unsigned)fl->items[i]->sev < 4)
            counts[fl->items[i]->sev]++;
}

void findings_append_copy(finding_list *to, const finding_list *from)
{
    uint32_t base = to->next_uid - 1;
    uint32_t max_uid = 0;
    for (size_t i = 0; i < from->n; i++) {
        const finding *f = from->items[i];
        finding *g = finding_new(to);
        g->uid = base + f->uid;
        if (f->uid > max_uid)
            max_uid = f->uid;
        g->rule = arena_strdup(to->a, f->rule);
        g->sev = f->sev;
        g->file = arena_strdup(to->a, f->file);
        g->line = f->line;
        g->column = f->column;
        g->end_line = f->end_line;
        g->end_column = f->end_column;
        g->message = arena_strdup(to->a, f->message);
        for (size_t k = 0; k < f->ncontexts; k++)
            finding_add_context(to, g, f->contexts[k]);
        g->caused_by = f->caused_by ? base + f->caused_by : 0;
        if (f->ncauses) {
            g->causes = arena_alloc(to->a, f->ncauses * sizeof(uint32_t));
            for (size_t k = 0; k < f->ncauses; k++)
                g->causes[k] = base + f->causes[k];
            g->ncauses = f->ncauses;
        }
        if (f->fix) {
            fix *fx = arena_alloc(to->a, sizeof(fix));
            fx->applicability = f->fix->applicability;
            fx->description = arena_strdup(to->a, f->fix->description);
            fx->nedits = fx->capedits = f->fix->nedits;
            fx->edits = arena_alloc(to->a, fx->nedits * sizeof(fix_edit));
            for (size_t k = 0; k < fx->nedits; k++) {
                fix_edit *e = &fx->edits[k];
                *e = f->fix->edits[k];
                e->file = arena_strdup(to->a, e->file);
                e->host_path = arena_strdup(to->a, e->host_path);
                e->text = arena_strdup(to->a, e->text);
            }
            g->fix = fx;
        }
    }
    /* finding_new advanced next_uid once per finding; make room for every uid */
    if (base + max_uid + 1 > to->next_uid)
        to->next_uid = base + max_uid + 1;
}

/*
 * limits.c - pam_limits' limits.conf and limits.d/NAME.conf: one rule per
 * line, "domain type item value", '#' starts a comment anywhere. The table
 * holds the items pam_limits knows and how their values are written.
 */
#include "parse/parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/lines.h"

typedef enum limits_value_kind { LV_COUNT, LV_SIGNED, LV_BOOL, LV_PATH } limits_value_kind;

static const struct {
    const char *item;
    limits_value_kind kind;
    long long min, max; /* LV_SIGNED range */
} limits_items[] = {
    {"as", LV_COUNT, 0, 0},         {"chroot", LV_PATH, 0, 0},      {"core", LV_COUNT, 0, 0},
    {"cpu", LV_COUNT, 0, 0},        {"data", LV_COUNT, 0, 0},       {"fsize", LV_COUNT, 0, 0},
    {"locks", LV_COUNT, 0, 0},      {"maxlogins", LV_COUNT, 0, 0},  {"maxsyslogins", LV_COUNT, 0, 0},
    {"memlock", LV_COUNT, 0, 0},    {"msgqueue", LV_COUNT, 0, 0},   {"nice", LV_SIGNED, -20, 19},
    {"nofile", LV_COUNT, 0, 0},     {"nonewprivs", LV_BOOL, 0, 1},  {"nproc", LV_COUNT, 0, 0},
    {"priority", LV_SIGNED, -20, 19}, {"rss", LV_COUNT, 0, 0},      {"rtprio", LV_COUNT, 0, 0},
    {"sigpending", LV_COUNT, 0, 0}, {"stack", LV_COUNT, 0, 0},
};

static int item_index(const char *item)
{
    for (size_t i = 0; i < GE_ARRAY_LEN(limits_items); i++)
        if (strcmp(limits_items[i].item, item) == 0)
            return (int)i;
    return -1;
}

bool limits_item_known(const char *item)
{
    return item_index(item) >= 0;
}

const char *limits_item_suggest(const char *item)
{
    char low[64];
    lines_lower(low, sizeof(low), item);
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < GE_ARRAY_LEN(limits_items); i++) {
        size_t d = str_edit_distance(low, limits_items[i].item, 2);
        if (d < best_d) {
            best_d = d;
            best = limits_items[i].item;
        }
    }
    /* "file" for nofile, "noproc" for nproc, "open_files" ... */
    if (!best && strstr(low, "file"))
        best = "nofile";
    if (!best && strstr(low, "proc"))
        best = "nproc";
    return best;
}

static bool parse_ll(const char *s, long long *out)
{
    if (!*s)
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno)
        return false;
    *out = v;
    return true;
}

limits_file *limits_parse(arena *a, const source_file *src)
{
    limits_file *lf = arena_alloc(a, sizeof(*lf));
    lf->src = src;
    size_t cap = 0;
    problem_list pl = {0};
    line_cursor c = {.data = src->data, .len = src->len};
    size_t s, e;
    const char *d = src->data;
    while (lines_next(&c, &s, &e)) {
        const char *hash = memchr(d + s, '#', e - s);
        size_t le = hash ? (size_t)(hash - d) : e;
        limits_field f[5];
        size_t nf = 0, i = s;
        while (i < le) {
            while (i < le && (lines_blank(d[i]) || d[i] == '\0'))
                i++;
            if (i >= le)
                break;
            size_t fs = i;
            while (i < le && !lines_blank(d[i]) && d[i] != '\0')
                i++;
            if (nf < GE_ARRAY_LEN(f)) {
                f[nf].start = fs;
                f[nf].end = i;
                f[nf].text = arena_strndup(a, d + fs, i - fs);
            }
            nf++;
        }
        if (nf == 0)
            continue;
        size_t ls = f[0].start, lend = f[nf < 5 ? nf - 1 : 4].end;
        if (nf < 4) {
            lines_problem(a, &pl, ls, lend,
                          "needs four fields (domain type item value), found %zu: pam_limits skips this line", nf);
            continue;
        }
        if (nf > 4)
            lines_problem(a, &pl, f[4].start, lend,
                          "more than four fields: pam_limits ignores everything after '%s'", f[3].text);
        limits_entry *le_ = LINES_PUSH(a, lf->entries, lf->nentries, cap);
        le_->domain = f[0];
        le_->type = f[1];
        le_->item = f[2];
        le_->value = f[3];
        le_->start = ls;
        le_->end = f[3].end;
        le_->line = c.line;
        le_->src = src;
        const char *t = f[1].text;
        le_->ltype = strcmp(t, "soft") == 0 ? LIMITS_SOFT
                     : strcmp(t, "hard") == 0 ? LIMITS_HARD
                     : strcmp(t, "-") == 0   ? LIMITS_BOTH
                                             : LIMITS_BADTYPE;
        if (le_->ltype == LIMITS_BADTYPE)
            lines_problem(a, &pl, f[1].start, f[1].end,
                          "unknown limit type '%s' (soft, hard or -): pam_limits skips this line", t);
        int ix = item_index(f[2].text);
        le_->known_item = ix >= 0;
        if (ix < 0)
            continue; /* reported by the unknown-item rule, with a suggestion */
        const char *v = f[3].text;
        long long num;
        switch (limits_items[ix].kind) {
        case LV_COUNT:
            if (strcmp(v, "unlimited") == 0 || strcmp(v, "infinity") == 0 || strcmp(v, "-1") == 0) {
                le_->unlimited = true;
            } else if (parse_ll(v, &num) && num >= 0) {
                le_->numeric = true;
                le_->number = num;
            } else {
                lines_problem(a, &pl, f[3].start, f[3].end,
                              "'%s' is not a value for %s (a number, unlimited or infinity)", v, f[2].text);
            }
            break;
        case LV_SIGNED:
            if (parse_ll(v, &num) && num >= limits_items[ix].min && num <= limits_items[ix].max) {
                le_->numeric = true;
                le_->number = num;
            } else {
                lines_problem(a, &pl, f[3].start, f[3].end, "'%s' is not a value for %s (%lld..%lld)",
                              v, f[2].text, limits_items[ix].min, limits_items[ix].max);
            }
            break;
        case LV_BOOL:
            if (strcmp(v, "0") == 0 || strcmp(v, "1") == 0) {
                le_->numeric = true;
                le_->number = v[0] - '0';
            } else {
                lines_problem(a, &pl, f[3].start, f[3].end, "'%s' is not a value for %s (0 or 1)", v,
                              f[2].text);
            }
            break;
        case LV_PATH:
            break;
        }
    }
    lf->problems = pl.items;
    lf->nproblems = pl.n;
    return lf;
}

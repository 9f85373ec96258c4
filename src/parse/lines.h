/*
 * lines.h - private helpers of the line-based system-config parsers (unit.c,
 * limits.c, sysctl.c, cgconfig.c): growable arena arrays, a line cursor and
 * problem lists. Not part of parse.h; nothing outside src/parse includes it.
 */
#ifndef GOLINT_PARSE_LINES_H
#define GOLINT_PARSE_LINES_H

#include <stdarg.h>
#include <string.h>

#include "parse/parse.h"

#define LINES_PUSH ARENA_PUSH /* core.h */

static inline bool lines_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* One physical line: [start, end) without the newline (a \r before it is kept
 * out too); next is where the following line starts. */
typedef struct line_cursor {
    const char *data;
    size_t len, pos;
    int line;
} line_cursor;

static inline bool lines_next(line_cursor *c, size_t *start, size_t *end)
{
    if (c->pos >= c->len)
        return false;
    size_t s = c->pos, e = s;
    while (e < c->len && c->data[e] != '\n')
        e++;
    c->pos = e < c->len ? e + 1 : e;
    c->line++;
    *start = s;
    if (e > s && c->data[e - 1] == '\r')
        e--;
    *end = e;
    return true;
}

/* Trim blanks on both sides of [*s, *e). */
static inline void lines_trim(const char *d, size_t *s, size_t *e)
{
    while (*s < *e && lines_blank(d[*s]))
        (*s)++;
    while (*e > *s && lines_blank(d[*e - 1]))
        (*e)--;
}

typedef struct problem_list {
    parse_problem *items;
    size_t n, cap;
} problem_list;

static inline void lines_problem(arena *a, problem_list *pl, size_t start, size_t end,
                                 const char *fmt, ...) GE_PRINTF(5, 6);
static inline void lines_problem(arena *a, problem_list *pl, size_t start, size_t end,
                                 const char *fmt, ...)
{
    if (pl->n >= 10000) /* a binary or generated file: enough said */
        return;
    parse_problem *p = LINES_PUSH(a, pl->items, pl->n, pl->cap);
    p->start = start;
    p->end = end;
    va_list ap;
    va_start(ap, fmt);
    p->message = arena_vprintf(a, fmt, ap);
    va_end(ap);
}

/* Lower-case copy bounded by cap (for case-insensitive suggestions). */
static inline void lines_lower(char *dst, size_t cap, const char *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++)
        dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] + 32 : src[i]);
    dst[i] = '\0';
}

#endif

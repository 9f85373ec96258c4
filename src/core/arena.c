/* arena.c - bump allocator: one per run or per file, freed at once. */
#include "core/core.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Blocks start at 64 KB and double up to 2 MB: small arenas (a file's
 * check, a findings list) stay small, and a simulation's arena, which grows
 * to several MB, gets 2 MB blocks mapped on their own and offered to the
 * kernel as transparent huge pages: one page fault instead of 512 on the
 * interpreter's path (where THP is "never" this changes nothing). */
#define ARENA_BLOCK (64u * 1024u)
#define ARENA_BLOCK_MAX (2u * 1024u * 1024u)

struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    size_t mapped;      /* bytes mmap'ed for this block (then munmap), 0 for malloc */
    max_align_t data[]; /* aligned payload */
};

struct arena {
    struct arena_block *head;
    size_t total;
    size_t block;       /* payload size of the next ordinary block */
};

arena *arena_new(void)
{
    arena *a = xcalloc(1, sizeof(arena));
    a->block = ARENA_BLOCK;
    return a;
}

static void block_release(struct arena_block *b)
{
    if (b->mapped)
        munmap(b, b->mapped);
    else
        free(b);
}

void arena_free(arena *a)
{
    if (!a)
        return;
    struct arena_block *b = a->head;
    while (b) {
        struct arena_block *next = b->next;
        block_release(b);
        b = next;
    }
    free(a);
}

/* A block with cap bytes of payload: 2 MB-aligned mappings for the big ones,
 * malloc for the rest (and when mmap fails). */
static struct arena_block *block_new(size_t cap)
{
    size_t want = sizeof(struct arena_block) + cap;
    struct arena_block *b = NULL;
    /* AddressSanitizer watches malloc'ed blocks only: keep them all there */
    if (want >= ARENA_BLOCK_MAX && !GE_ASAN) {
        size_t len = (want + ARENA_BLOCK_MAX - 1) & ~(size_t)(ARENA_BLOCK_MAX - 1);
        char *m = mmap(NULL, len + ARENA_BLOCK_MAX, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m != MAP_FAILED) {
            /* keep the 2 MB-aligned len bytes, unmap the rest */
            uintptr_t start = ((uintptr_t)m + ARENA_BLOCK_MAX - 1) & ~(uintptr_t)(ARENA_BLOCK_MAX - 1);
            size_t head = start - (uintptr_t)m;
            if (head)
                munmap(m, head);
            if (ARENA_BLOCK_MAX - head)
                munmap((char *)start + len, ARENA_BLOCK_MAX - head);
#ifdef MADV_HUGEPAGE
            madvise((void *)start, len, MADV_HUGEPAGE);
#endif
            b = (struct arena_block *)start;
            b->mapped = len;
            cap = len - sizeof(struct arena_block);
        }
    }
    if (!b) {
        b = xmalloc(want);
        b->mapped = 0;
    }
    b->used = 0;
    b->cap = cap;
    return b;
}

/* Memory for callers that write every byte at once. */
static void *arena_alloc_raw(arena *a, size_t size, bool *fresh)
{
    size = (size + 15u) & ~(size_t)15u;
    if (size == 0)
        size = 16;
    struct arena_block *b = a->head;
    if (!b || b->cap - b->used < size) {
        bool big = size > a->block / 4;
        b = block_new(big ? size : a->block - sizeof(*b));
        if (!big && a->block < ARENA_BLOCK_MAX)
            a->block *= 2;
        if (big && a->head) {
            /* big allocation: keep the current block for small ones */
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    a->total += size;
    *fresh = b->mapped != 0;
    return p;
}

/* Zeroed. A mapped block comes zeroed from the kernel and an arena never
 * hands out a byte twice: no memset there (nor its page faults up front). */
void *arena_alloc(arena *a, size_t size)
{
    bool fresh;
    void *p = arena_alloc_raw(a, size, &fresh);
    if (!fresh)
        memset(p, 0, size);
    return p;
}

void *arena_grow(arena *a, void *old, size_t old_count, size_t new_count, size_t elem)
{
    bool fresh;
    char *p = arena_alloc_raw(a, new_count * elem, &fresh);
    size_t keep = old ? old_count * elem : 0;
    if (keep)
        memcpy(p, old, keep);
    if (!fresh)
        memset(p + keep, 0, new_count * elem - keep);
    return p;
}

void *arena_reserve(arena *a, void *arr, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap)
        return arr;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = arena_grow(a, arr, n, ncap, elem);
    *cap = ncap;
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    bool fresh;
    char *p = arena_alloc_raw(a, n + 1, &fresh);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return arena_strdup(a, "");
    bool fresh;
    char *p = arena_alloc_raw(a, (size_t)n + 1, &fresh);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

size_t arena_used(const arena *a)
{
    return a->total;
}

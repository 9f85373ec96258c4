/*
 * interp.c - abstract interpretation of shell startup files over the
 * tree-sitter tree. Owns variable records, forking and merging states for
 * undecided tests, word expansion with provenance of PATH entries, tests
 * answered from the root and the context, source/. and functions.
 * Nothing is executed: $(...), eval and unknown commands are opaque.
 */
#include "sim/internal.h"

#include <dirent.h>
#include <fnmatch.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- small helpers ------------------------------------------------------- */

/* strcmp(t, lit) == 0 for a string literal, the first byte compared inline:
 * a node's type is compared with dozens of literals on each statement. */
#define TYPE_IS(t, lit) ((t)[0] == (lit)[0] && strcmp((t), (lit)) == 0)

static inline bool node_is(TSNode n, const char *type)
{
    return !ts_node_is_null(n) && TYPE_IS(ts_node_type(n), type);
}

/* Fields by id, looked up once per thread: ts_node_child_by_field_name
 * compares the name with every field name of the grammar on each call. */
enum sim_field { FLD_NAME, FLD_VALUE, FLD_INDEX, FLD_BODY, FLD_LEFT, FLD_RIGHT, FLD_OPERATOR,
                 FLD_VARIABLE, FLD_COUNT };

static TSNode field(TSNode n, enum sim_field f)
{
    static const char *const names[FLD_COUNT] = {"name", "value", "index", "body", "left",
                                                 "right", "operator", "variable"};
    /* one table per grammar: bash and zsh number their fields differently */
    static _Thread_local TSFieldId ids[2][FLD_COUNT];
    static _Thread_local bool ready;
    if (!ready) {
        for (int g = 0; g < 2; g++)
            for (size_t i = 0; i < FLD_COUNT; i++)
                ids[g][i] = ts_language_field_id_for_name(
                    shell_language_for(g ? SHELL_ZSH : SHELL_BASH), names[i],
                    (uint32_t)strlen(names[i]));
        ready = true;
    }
    return ts_node_child_by_field_id(n, ids[shell_tree_dialect_of(n) == SHELL_ZSH][f]);
}

static const char *node_src(const interp *I, TSNode n, size_t *len)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    const source_file *src = I->file->src;
    if (e > src->len) e = (uint32_t)src->len;
    if (s > e) s = e;
    *len = e - s;
    return src->data + s;
}

/* Children of a node, memoised per run: ts_node_child(n, i) walks from the
 * first child again on each call (0.20.7), and every context interprets the
 * same files again; one cursor pass per node instead. Keyed by the node's
 * subtree and start byte. */
static const TSNode *kids_of(interp *I, TSNode n, uint32_t *count)
{
    sim_runner *run = I->run;
    if (2 * (run->nkids + 1) > run->capkids) {
        size_t nc = run->capkids ? 2 * run->capkids : 4096;
        kids_entry *t = xcalloc(nc, sizeof(*t));
        for (size_t i = 0; i < run->capkids; i++) {
            kids_entry *e = &run->kids[i];
            if (!e->id) continue;
            size_t h = (((uintptr_t)e->id >> 4) ^ e->start * 2654435761u) & (nc - 1);
            while (t[h].id) h = (h + 1) & (nc - 1);
            t[h] = *e;
        }
        free(run->kids);
        run->kids = t;
        run->capkids = nc;
    }
    uint32_t start = ts_node_start_byte(n);
    size_t mask = run->capkids - 1;
    size_t h = (((uintptr_t)n.id >> 4) ^ start * 2654435761u) & mask;
    for (; run->kids[h].id; h = (h + 1) & mask)
        if (run->kids[h].id == n.id && run->kids[h].start == start) {
            *count = run->kids[h].n;
            return run->kids[h].v;
        }
    uint32_t cnt = ts_node_child_count(n);
    TSNode *v = cnt ? arena_alloc(run->a, cnt * sizeof(*v)) : NULL;
    uint32_t k = 0;
    if (cnt) {
        TSTreeCursor cur = ts_tree_cursor_new(n);
        for (bool more = ts_tree_cursor_goto_first_child(&cur); more && k < cnt;
             more = ts_tree_cursor_goto_next_sibling(&cur))
            v[k++] = ts_tree_cursor_current_node(&cur);
        ts_tree_cursor_delete(&cur);
    }
    run->kids[h] = (kids_entry){n.id, start, k, v};
    run->nkids++;
    *count = k;
    return v;
}

static TSNode kid(interp *I, TSNode n, uint32_t i)
{
    uint32_t cnt;
    const TSNode *v = kids_of(I, n, &cnt);
    return i < cnt ? v[i] : (TSNode){0};
}

typedef struct strvec {
    char **v;
    size_t n, cap;
} strvec;

static void sv_push(arena *a, strvec *sv, char *s)
{
    if (sv->n == sv->cap) {
        size_t nc = sv->cap ? sv->cap * 2 : 16;
        sv->v = arena_grow(a, sv->v, sv->cap, nc, sizeof(char *));
        sv->cap = nc;
    }
    sv->v[sv->n++] = s;
}

static char *node_text(const interp *I, TSNode n)
{
    size_t len;
    const char *s = node_src(I, n, &len);
    return arena_strndup(I->a, s, len);
}

sim_loc loc_of_node(const interp *I, TSNode n)
{
    sim_loc l;
    memset(&l, 0, sizeof(l));
    l.file = I->file->path;
    l.src = I->file->src;
    l.start = ts_node_start_byte(n);
    l.end = ts_node_end_byte(n);
    l.line = (int)ts_node_start_point(n).row + 1;
    return l;
}

sim_loc loc_of_line(const sfile *f, int line)
{
    sim_loc l;
    memset(&l, 0, sizeof(l));
    l.file = f->path;
    l.src = f->src;
    l.line = line;
    if (f->src && line >= 1 && (size_t)line <= f->src->nlines) {
        size_t len;
        const char *s = source_line(f->src, line, &len);
        l.start = (size_t)(s - f->src->data);
        l.end = l.start + len;
    }
    return l;
}

/* Where a set made by the current statement is attributed: the statement,
 * or the outermost call of a function of this file (RHEL's pathmunge). */
static sim_loc here(const interp *I)
{
    if (I->have_call_site)
        return I->call_site;
    return loc_of_node(I, I->stmt);
}

void sim_event_add(interp *I, sim_event_kind kind, const sim_loc *at, const sim_loc *other,
                   const char *file, const char *name, const char *detail)
{
    sim_builder *b = I->out;
    for (size_t i = 0; i < b->nevents; i++) {
        sim_event *e = &b->events[i];
        if (e->kind == kind && at && e->at.file && at->file && strcmp(e->at.file, at->file) == 0 &&
            e->at.start == at->start && ((!name && !e->name) || (name && e->name && strcmp(name, e->name) == 0)))
            return; /* same event seen again (loop, both branches) */
    }
    if (b->nevents == b->capevents) {
        size_t nc = b->capevents ? b->capevents * 2 : 16;
        b->events = arena_grow(I->a, b->events, b->capevents, nc, sizeof(sim_event));
        b->capevents = nc;
    }
    sim_event *e = &b->events[b->nevents++];
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    if (at) e->at = *at;
    if (other) e->other = *other;
    e->file = file ? arena_strdup(I->a, file) : NULL;
    e->name = name ? arena_strdup(I->a, name) : NULL;
    e->detail = detail ? arena_strdup(I->a, detail) : NULL;
    e->uncertain = I->st->uncertain || I->unsure_depth > 0;
}

/* ---- states -------------------------------------------------------------- */

sstate *state_new(arena *a)
{
    sstate *st = arena_alloc(a, sizeof(*st));
    return st;
}

static size_t state_find(const sstate *st, const char *name, bool *found)
{
    size_t lo = 0, hi = st->nvars;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(st->vars[mid]->name, name);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    *found = false;
    return lo;
}

const sval *state_get(const sstate *st, const char *name)
{
    bool found;
    size_t i = state_find(st, name, &found);
    return found ? st->vars[i] : NULL;
}

void state_put(arena *a, sstate *st, const sval *v)
{
    bool found;
    size_t i = state_find(st, v->name, &found);
    if (found) {
        st->vars[i] = v;
        return;
    }
    if (st->nvars == st->capvars) {
        size_t nc = st->capvars ? st->capvars * 2 : 64;
        st->vars = arena_grow(a, st->vars, st->capvars, nc, sizeof(*st->vars));
        st->capvars = nc;
    }
    memmove(st->vars + i + 1, st->vars + i, (st->nvars - i) * sizeof(*st->vars));
    st->vars[i] = v;
    st->nvars++;
}

void state_drop(sstate *st, const char *name)
{
    bool found;
    size_t i = state_find(st, name, &found);
    if (!found) return;
    memmove(st->vars + i, st->vars + i + 1, (st->nvars - i - 1) * sizeof(*st->vars));
    st->nvars--;
}

/* ---- name indexes (functions, loaded files) ------------------------------ */

typedef const char *(*name_at_fn)(const void *arr, size_t i);

static uint32_t name_hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

/* The slot holding name, or the empty slot where it would go. */
static size_t nidx_slot(const name_index *ix, const char *name, name_at_fn at, const void *arr)
{
    size_t mask = ix->cap - 1;
    for (size_t s = name_hash(name) & mask;; s = (s + 1) & mask) {
        uint32_t v = ix->slot[s];
        if (!v || strcmp(at(arr, v - 1), name) == 0)
            return s;
    }
}

/* Position of name in the array, or -1. */
static long nidx_find(const name_index *ix, const char *name, name_at_fn at, const void *arr)
{
    if (!ix->cap)
        return -1;
    uint32_t v = ix->slot[nidx_slot(ix, name, at, arr)];
    return v ? (long)v - 1 : -1;
}

/* Index the first n names of arr afresh, with room for at least `room`. */
static void nidx_rebuild(arena *a, name_index *ix, size_t n, size_t room, name_at_fn at,
                         const void *arr)
{
    size_t cap = 16;
    while (cap < 2 * room)
        cap *= 2;
    ix->slot = arena_alloc(a, cap * sizeof(*ix->slot));
    ix->cap = cap;
    for (size_t i = 0; i < n; i++)
        ix->slot[nidx_slot(ix, at(arr, i), at, arr)] = (uint32_t)i + 1;
}

/* Record that arr[i] (just appended) holds name. */
static void nidx_add(arena *a, name_index *ix, size_t i, name_at_fn at, const void *arr)
{
    if (2 * (i + 1) > ix->cap) {
        nidx_rebuild(a, ix, i + 1, i + 1, at, arr);
        return;
    }
    ix->slot[nidx_slot(ix, at(arr, i), at, arr)] = (uint32_t)i + 1;
}

static name_index nidx_copy(arena *a, const name_index *ix)
{
    name_index c = {NULL, ix->cap};
    if (ix->cap) {
        c.slot = arena_alloc(a, ix->cap * sizeof(*c.slot));
        memcpy(c.slot, ix->slot, ix->cap * sizeof(*c.slot));
    }
    return c;
}

static const char *func_name_at(const void *arr, size_t i)
{
    return ((const sfunc *const *)arr)[i]->name;
}

static const sfunc *func_get(const sstate *st, const char *name)
{
    long i = nidx_find(&st->fidx, name, func_name_at, st->funcs);
    return i < 0 ? NULL : st->funcs[i];
}

static void func_put(arena *a, sstate *st, const sfunc *f)
{
    long i = nidx_find(&st->fidx, f->name, func_name_at, st->funcs);
    if (i >= 0) {
        st->funcs[i] = f;
        return;
    }
    if (st->nfuncs == st->capfuncs) {
        size_t nc = st->capfuncs ? st->capfuncs * 2 : 16;
        st->funcs = arena_grow(a, st->funcs, st->capfuncs, nc, sizeof(*st->funcs));
        st->capfuncs = nc;
    }
    st->funcs[st->nfuncs++] = f;
    nidx_add(a, &st->fidx, st->nfuncs - 1, func_name_at, st->funcs);
}

static void func_del(arena *a, sstate *st, const char *name)
{
    long i = nidx_find(&st->fidx, name, func_name_at, st->funcs);
    if (i < 0)
        return;
    memmove(st->funcs + i, st->funcs + i + 1, (st->nfuncs - (size_t)i - 1) * sizeof(*st->funcs));
    st->nfuncs--;
    nidx_rebuild(a, &st->fidx, st->nfuncs, st->nfuncs, func_name_at, st->funcs);
}

static sstate *state_fork(arena *a, const sstate *st)
{
    sstate *n = arena_alloc(a, sizeof(*n));
    *n = *st;
    n->capvars = st->nvars + 8;
    n->vars = arena_alloc(a, n->capvars * sizeof(*n->vars));
    if (st->nvars)
        memcpy(n->vars, st->vars, st->nvars * sizeof(*n->vars));
    n->capfuncs = st->nfuncs + 4;
    n->funcs = arena_alloc(a, n->capfuncs * sizeof(*n->funcs));
    if (st->nfuncs)
        memcpy(n->funcs, st->funcs, st->nfuncs * sizeof(*n->funcs));
    n->fidx = nidx_copy(a, &st->fidx);
    return n;
}

static const sval *sval_uncertain(arena *a, const sval *v)
{
    if (!v->certain)
        return v;
    sval *c = arena_alloc(a, sizeof(*c));
    *c = *v;
    c->certain = false;
    return c;
}

static bool sval_same(const sval *x, const sval *y)
{
    if (x == y) return true;
    if (!x || !y) return false;
    if (x->exported != y->exported) return false;
    if (!x->value || !y->value) return x->value == y->value;
    return strcmp(x->value, y->value) == 0;
}

/* Join two outcomes of an undecided branch into dst (which is a). Values that
 * differ keep the branch that changed them and become uncertain. */
static void state_merge(arena *a, const sstate *base, sstate *dst, const sstate *b)
{
    for (size_t i = 0; i < b->nvars; i++) {
        const sval *vb = b->vars[i];
        const sval *va = state_get(dst, vb->name);
        if (va == vb)
            continue;
        const sval *v0 = state_get(base, vb->name);
        if (sval_same(va, vb)) {
            if (va && (!va->certain || !vb->certain))
                state_put(a, dst, sval_uncertain(a, va));
            continue;
        }
        const sval *pick = (va && va != v0) ? va : vb;
        state_put(a, dst, sval_uncertain(a, pick));
    }
    for (size_t i = 0; i < dst->nvars; i++) {
        const sval *va = dst->vars[i];
        if (!state_get(b, va->name)) /* set only in a */
            dst->vars[i] = sval_uncertain(a, va);
    }
    for (size_t i = 0; i < b->nfuncs; i++)
        if (!func_get(dst, b->funcs[i]->name))
            func_put(a, dst, b->funcs[i]);
    dst->approx = dst->approx || b->approx;
    dst->no_rcs = dst->no_rcs || b->no_rcs;
    dst->no_global_rcs = dst->no_global_rcs || b->no_global_rcs;
    if (dst->ret != b->ret)
        dst->ret = 0; /* the paths returned different statuses */
    if (dst->flow != b->flow) {
        /* one path left the file or loop, the other did not: go on, unsure */
        dst->flow = FLOW_NEXT;
        dst->escaped = true;
    }
    dst->escaped = dst->escaped || b->escaped;
    dst->uncertain = base->uncertain || dst->escaped;
}

/* ---- variables ----------------------------------------------------------- */

static const char *const path_like_names[] = {
    "PATH", "MANPATH", "INFOPATH", "FPATH", "CDPATH", "LD_LIBRARY_PATH", "PKG_CONFIG_PATH",
    "GOPATH", "XDG_DATA_DIRS", "XDG_CONFIG_DIRS", "PYTHONPATH", "CLASSPATH",
};

bool sim_is_path_like(const char *name)
{
    for (size_t i = 0; i < GE_ARRAY_LEN(path_like_names); i++)
        if (strcmp(name, path_like_names[i]) == 0)
            return true;
    return false;
}

/* zsh arrays tied to colon lists (in bash, `path` is an ordinary name). */
static const char *tied_scalar(const interp *I, const char *name)
{
    if (I->dialect != SHELL_ZSH)
        return NULL;
    static const char *const pairs[][2] = {
        {"path", "PATH"}, {"fpath", "FPATH"}, {"manpath", "MANPATH"}, {"cdpath", "CDPATH"},
        {"infopath", "INFOPATH"},
    };
    for (size_t i = 0; i < GE_ARRAY_LEN(pairs); i++)
        if (strcmp(name, pairs[i][0]) == 0)
            return pairs[i][1];
    return NULL;
}

path_entry *entries_split(arena *a, const char *value, const sim_loc *at, size_t *n)
{
    size_t cnt = 1;
    for (const char *p = value; *p; p++)
        if (*p == ':') cnt++;
    path_entry *e = arena_alloc(a, cnt * sizeof(*e));
    size_t k = 0;
    const char *s = value;
    for (;;) {
        const char *c = strchr(s, ':');
        size_t len = c ? (size_t)(c - s) : strlen(s);
        e[k].value = arena_strndup(a, s, len);
        if (at) e[k].at = *at;
        k++;
        if (!c) break;
        s = c + 1;
    }
    *n = k;
    return e;
}

static char *entries_join(arena *a, const path_entry *e, size_t n, char sep)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += strlen(e[i].value) + 1;
    char *s = arena_alloc(a, len + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i) s[o++] = sep;
        size_t l = strlen(e[i].value);
        memcpy(s + o, e[i].value, l);
        o += l;
    }
    s[o] = '\0';
    return s;
}

static path_entry *entries_unique(arena *a, const path_entry *e, size_t n, size_t *out)
{
    path_entry *r = arena_alloc(a, (n ? n : 1) * sizeof(*r));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        bool dup = false;
        for (size_t j = 0; j < k && !dup; j++)
            dup = strcmp(r[j].value, e[i].value) == 0;
        if (!dup)
            r[k++] = e[i];
    }
    *out = k;
    return r;
}

static env_op_kind classify(const char *old, const char *nv)
{
    if (!old || !*old || !nv)
        return ENV_OP_ASSIGN;
    size_t lo = strlen(old), ln = strlen(nv);
    if (ln > lo && strncmp(nv, old, lo) == 0)
        return ENV_OP_APPEND;
    if (ln > lo && strcmp(nv + ln - lo, old) == 0)
        return ENV_OP_PREPEND;
    return ENV_OP_ASSIGN;
}

/* Record a new value. entries may be NULL (split from value for path-like). */
static void var_commit(interp *I, const char *name, const char *value, const path_entry *entries,
                       size_t nentries, bool array, int export_mode, env_op_kind op,
                       const sim_loc *at, bool certain, bool opaque)
{
    const char *tied = tied_scalar(I, name);
    const char *sname = tied ? tied : name;
    const sval *old = state_get(I->st, sname);
    if (old && old->readonly && value)
        return; /* the shell refuses it */
    sval *v = arena_alloc(I->a, sizeof(*v));
    if (old)
        *v = *old;
    v->name = old ? old->name : arena_strdup(I->a, sname);
    v->value = value ? arena_strdup(I->a, value) : NULL;
    v->certain = certain && !I->st->uncertain;
    v->opaque = opaque;
    v->at = *at;
    v->array = array && !tied;
    if (export_mode > 0) v->exported = true;
    if (export_mode < 0) v->exported = false;
    bool pl = sim_is_path_like(sname) || tied;
    if (!value) {
        v->entries = NULL;
        v->nentries = 0;
    } else if (entries) {
        v->entries = entries;
        v->nentries = nentries;
    } else if (pl) {
        size_t n;
        v->entries = entries_split(I->a, v->value, at, &n);
        v->nentries = n;
    } else {
        v->entries = NULL;
        v->nentries = 0;
    }
    if (v->unique && v->entries) {
        size_t n;
        v->entries = entries_unique(I->a, v->entries, v->nentries, &n);
        v->nentries = n;
        v->value = entries_join(I->a, v->entries, n, ':');
    }
    if (op == ENV_OP_ASSIGN && old)
        op = classify(old->value, v->value);
    hist *h = arena_alloc(I->a, sizeof(*h));
    h->prev = old ? old->hist : NULL;
    h->op.op = op;
    h->op.at = *at;
    h->op.value = v->value;
    h->op.certain = v->certain;
    h->op.entries = pl ? v->entries : NULL;
    h->op.nentries = pl ? v->nentries : 0;
    v->hist = h;
    v->nhist = old ? old->nhist + 1 : 1;
    state_put(I->a, I->st, v);
}

void state_set_plain(interp *I, const char *name, const char *value, bool exported,
                     env_op_kind op, const sim_loc *at, bool certain)
{
    var_commit(I, name, value, NULL, 0, false, exported ? 1 : 0, op, at, certain, false);
}

void state_layer_set(interp *I, const char *name, const char *value, const sim_loc *at)
{
    var_commit(I, name, value, NULL, 0, false, 1, ENV_OP_SOURCE, at, true, false);
}

static void var_export(interp *I, const char *name, const sim_loc *at)
{
    const char *tied = tied_scalar(I, name);
    const sval *old = state_get(I->st, tied ? tied : name);
    if (old && old->exported)
        return;
    if (!old) {
        /* `export X` of an unset variable marks it; it has no value yet */
        sval *v = arena_alloc(I->a, sizeof(*v));
        v->name = arena_strdup(I->a, tied ? tied : name);
        v->exported = true;
        v->certain = !I->st->uncertain;
        v->at = *at;
        hist *h = arena_alloc(I->a, sizeof(*h));
        h->op.op = ENV_OP_EXPORT;
        h->op.at = *at;
        h->op.certain = v->certain;
        v->hist = h;
        v->nhist = 1;
        state_put(I->a, I->st, v);
        return;
    }
    sval *v = arena_alloc(I->a, sizeof(*v));
    *v = *old;
    v->exported = true;
    hist *h = arena_alloc(I->a, sizeof(*h));
    h->prev = old->hist;
    h->op.op = ENV_OP_EXPORT;
    h->op.at = *at;
    h->op.value = old->value;
    h->op.certain = !I->st->uncertain && old->certain;
    h->op.entries = old->entries;
    h->op.nentries = old->entries ? old->nentries : 0;
    v->hist = h;
    v->nhist = old->nhist + 1;
    state_put(I->a, I->st, v);
}

static void var_flag(interp *I, const char *name, bool unique, bool readonly)
{
    const char *tied = tied_scalar(I, name);
    const sval *old = state_get(I->st, tied ? tied : name);
    if (!old)
        return;
    sval *v = arena_alloc(I->a, sizeof(*v));
    *v = *old;
    if (readonly) v->readonly = true;
    if (unique) {
        v->unique = true;
        if (v->entries) {
            size_t n;
            v->entries = entries_unique(I->a, v->entries, v->nentries, &n);
            v->nentries = n;
            if (v->value)
                v->value = entries_join(I->a, v->entries, n, ':');
        }
    }
    state_put(I->a, I->st, v);
}

static void var_unset(interp *I, const char *name, const sim_loc *at)
{
    const char *tied = tied_scalar(I, name);
    const sval *old = state_get(I->st, tied ? tied : name);
    if (!old || (!old->value && !old->exported) || old->readonly)
        return;
    sval *v = arena_alloc(I->a, sizeof(*v));
    *v = *old;
    v->value = NULL;
    v->entries = NULL;
    v->nentries = 0;
    v->exported = false;
    v->at = *at;
    v->certain = !I->st->uncertain;
    hist *h = arena_alloc(I->a, sizeof(*h));
    h->prev = old->hist;
    h->op.op = ENV_OP_UNSET;
    h->op.at = *at;
    h->op.certain = v->certain;
    v->hist = h;
    v->nhist = old->nhist + 1;
    state_put(I->a, I->st, v);
}

void state_approx(interp *I, const sim_loc *at, const char *why)
{
    sim_builder *b = I->out;
    if (!b->have_approx && at) {
        b->have_approx = true;
        b->approx_at = *at;
        b->approx_why = arena_strdup(I->a, why);
    }
    for (size_t i = 0; i < I->st->nvars; i++)
        I->st->vars[i] = sval_uncertain(I->a, I->st->vars[i]);
    I->st->approx = true;
}

/* Something not followed may have set name: its value (or its absence)
 * becomes uncertain, the history is kept. */
static void var_touch(interp *I, const char *name, const sim_loc *at)
{
    const char *tied = tied_scalar(I, name);
    const char *sname = tied ? tied : name;
    const sval *old = state_get(I->st, sname);
    if (old) {
        state_put(I->a, I->st, sval_uncertain(I->a, old));
        return;
    }
    sval *v = arena_alloc(I->a, sizeof(*v));
    v->name = arena_strdup(I->a, sname);
    v->at = *at;
    state_put(I->a, I->st, v);
}

/* The first undecided test of a context, named when no construct was
 * skipped outright. */
static void note_undecided(interp *I, TSNode where)
{
    sim_builder *b = I->out;
    if (!b->have_undecided && !ts_node_is_null(where) && I->file) {
        b->have_undecided = true;
        b->undecided_at = loc_of_node(I, where);
    }
}

/* ---- expansion ----------------------------------------------------------- */

typedef struct xspan {
    size_t start, end;
    const sval *var;
    long index; /* >= 0: the span is entry `index` of var; -1: the whole value */
} xspan;

typedef struct xword {
    char *s;
    size_t len, cap;
    xspan *spans;
    size_t nspans, capspans;
    bool opaque, uncertain, glob, quoted;
    bool vanish; /* "$@" with no parameters: no word at all when empty */
} xword;

typedef struct xlist {
    xword *w;
    size_t n, cap;
    bool opaque, uncertain;
} xlist;

/* X_ASSIGN: an assignment's value, where bash also expands ~ after ':' */
enum { X_FIELDS = 1, X_QUOTED = 2, X_ASSIGN = 4 };

static xword *xl_cur(interp *I, xlist *l)
{
    if (l->n == 0) {
        l->cap = 4;
        l->w = arena_alloc(I->a, l->cap * sizeof(xword));
        l->n = 1;
    }
    return &l->w[l->n - 1];
}

static xword *xl_new(interp *I, xlist *l)
{
    xl_cur(I, l);
    if (l->n == l->cap) {
        l->w = arena_grow(I->a, l->w, l->cap, l->cap * 2, sizeof(xword));
        l->cap *= 2;
    }
    return &l->w[l->n++];
}

static void xw_add(interp *I, xword *w, const char *s, size_t len)
{
    if (w->len + len + 1 > w->cap) {
        size_t nc = w->cap ? w->cap : 32;
        while (nc < w->len + len + 1) nc *= 2;
        w->s = arena_grow(I->a, w->s, w->cap, nc, 1);
        w->cap = nc;
    }
    memcpy(w->s + w->len, s, len);
    w->len += len;
    w->s[w->len] = '\0';
}

static void xw_span(interp *I, xword *w, size_t start, const sval *var, long index)
{
    if (w->nspans == w->capspans) {
        size_t nc = w->capspans ? w->capspans * 2 : 4;
        w->spans = arena_grow(I->a, w->spans, w->capspans, nc, sizeof(xspan));
        w->capspans = nc;
    }
    xspan *sp = &w->spans[w->nspans++];
    sp->start = start;
    sp->end = w->len;
    sp->var = var;
    sp->index = index;
}

static const char *xw_str(const xword *w)
{
    return w->s ? w->s : "";
}

static void expand_node(interp *I, TSNode n, xlist *out, int mode);

static const char *home_dir(const interp *I)
{
    const sval *h = state_get(I->st, "HOME");
    return h && h->value ? h->value : I->run->home;
}

/* Literal text with backslash escapes removed, ~ expanded at the start. */
static void add_literal(interp *I, xlist *out, const char *s, size_t len, bool at_start, int mode)
{
    xword *w = xl_cur(I, out);
    size_t i = 0;
    if (at_start && w->len == 0 && len > 0 && s[0] == '~') {
        size_t j = 1;
        while (j < len && s[j] != '/') j++;
        if (j == 1) {
            xw_add(I, w, home_dir(I), strlen(home_dir(I)));
            i = 1;
        } else if (j - 1 == strlen(I->run->user) && strncmp(s + 1, I->run->user, j - 1) == 0) {
            xw_add(I, w, I->run->home, strlen(I->run->home));
            i = j;
        }
    }
    for (; i < len; i++) {
        char c = s[i];
        if (c == '~' && (mode & X_ASSIGN) && (i > 0 ? s[i - 1] == ':' : w->len && w->s[w->len - 1] == ':') &&
            (i + 1 == len || s[i + 1] == '/' || s[i + 1] == ':')) {
            xw_add(I, w, home_dir(I), strlen(home_dir(I)));
            continue;
        }
        if (c == '\\' && i + 1 < len) {
            if (s[i + 1] == '\n') { i++; continue; }
            i++;
            c = s[i];
        } else if (!(mode & X_QUOTED) &&
                   (c == '*' || c == '?' || c == '[' ||
                    (c == '(' && I->dialect == SHELL_ZSH))) { /* a qualifier: ~/bin(N) */
            w->glob = true;
        }
        xw_add(I, w, &c, 1);
    }
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Append code point cp as UTF-8. */
static void xw_add_utf8(interp *I, xword *w, unsigned long cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) { b[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { b[0] = (char)(0xC0 | (cp >> 6)); b[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
    else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12)); b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
    } else if (cp < 0x110000) {
        b[0] = (char)(0xF0 | (cp >> 18)); b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); b[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
    } else {
        return;
    }
    xw_add(I, w, b, n);
}

/* The body of $'...' with its escapes decoded as bash does (\E is ESC). */
static void add_ansi_c(interp *I, xword *w, const char *s, size_t len)
{
    static const char simple[] = "a\ab\be\033E\033f\fn\nr\rt\tv\v\\\\''\"\"??";
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c != '\\' || i + 1 >= len) {
            xw_add(I, w, &c, 1);
            continue;
        }
        char e = s[++i];
        const char *m = NULL;
        for (size_t k = 0; k + 1 < sizeof(simple); k += 2)
            if (simple[k] == e) { m = &simple[k + 1]; break; }
        if (m) {
            xw_add(I, w, m, 1);
        } else if (e >= '0' && e <= '7') {
            unsigned v = 0;
            size_t k = 0;
            for (; k < 3 && i < len && s[i] >= '0' && s[i] <= '7'; k++, i++)
                v = v * 8 + (unsigned)(s[i] - '0');
            i--;
            char b = (char)(v & 0xFF);
            xw_add(I, w, &b, 1);
        } else if (e == 'x' || e == 'u' || e == 'U') {
            size_t maxd = e == 'x' ? 2 : e == 'u' ? 4 : 8, k = 0;
            unsigned long v = 0;
            for (; k < maxd && i + 1 < len && hex_digit(s[i + 1]) >= 0; k++, i++)
                v = v * 16 + (unsigned long)hex_digit(s[i + 1]);
            if (k == 0) {
                xw_add(I, w, s + i - 1, 2); /* not an escape: kept as written */
            } else if (e == 'x') {
                char b = (char)v;
                xw_add(I, w, &b, 1);
            } else {
                xw_add_utf8(I, w, v);
            }
        } else if (e == 'c' && i + 1 < len) {
            char b = (char)(s[++i] & 0x1F);
            xw_add(I, w, &b, 1);
        } else {
            xw_add(I, w, s + i - 1, 2);
        }
    }
}

static void add_opaque(interp *I, xlist *out, TSNode n)
{
    size_t len;
    const char *s = node_src(I, n, &len);
    xword *w = xl_cur(I, out);
    xw_add(I, w, s, len);
    w->opaque = true;
    out->opaque = true;
    out->uncertain = true;
}

static const char *special_value(interp *I, const char *name, char *buf, size_t buflen)
{
    if (strcmp(name, "-") == 0) {
        if (I->dialect == SHELL_ZSH)
            return I->interactive ? "569XZims" : "569X";
        return I->interactive ? "himBHs" : "hB";
    }
    if (strcmp(name, "0") == 0) {
        const char *sh = shell_dialect_name(I->dialect);
        snprintf(buf, buflen, "%s%s", I->login ? "-" : "", sh);
        return buf;
    }
    if (strcmp(name, "#") == 0) {
        snprintf(buf, buflen, "%zu", I->st->npos);
        return buf;
    }
    if (strcmp(name, "BASH_SOURCE") == 0 && I->dialect == SHELL_BASH && I->file)
        return I->file->path; /* the file being read: ${BASH_SOURCE[0]} */
    if (name[0] >= '1' && name[0] <= '9' && name[1] == '\0') {
        size_t k = (size_t)(name[0] - '1');
        return k < I->st->npos ? I->st->pos[k] : "";
    }
    if (strcmp(name, "@") == 0 || strcmp(name, "*") == 0) {
        size_t o = 0;
        buf[0] = '\0';
        for (size_t k = 0; k < I->st->npos && o + 1 < buflen; k++) {
            int m = snprintf(buf + o, buflen - o, "%s%s", k ? " " : "", I->st->pos[k]);
            if (m < 0) break;
            o += (size_t)m;
        }
        return buf;
    }
    return NULL;
}

static bool split_words(const interp *I, int mode)
{
    return (mode & X_FIELDS) && !(mode & X_QUOTED) && I->dialect != SHELL_ZSH;
}

const char *sim_strip_pattern(arena *a, const char *s, const char *op, const char *pat)
{
    size_t len = strlen(s);
    bool longest = op[1] != '\0';
    if (op[0] == '#') {
        char *tmp = arena_alloc(a, len + 1);
        for (size_t k = 0; k <= len; k++) {
            size_t cut = longest ? len - k : k;
            memcpy(tmp, s, cut);
            tmp[cut] = '\0';
            if (fnmatch(pat, tmp, 0) == 0) return s + cut;
        }
        return s;
    }
    for (size_t k = 0; k <= len; k++) {
        size_t from = longest ? k : len - k;
        if (fnmatch(pat, s + from, 0) == 0) return arena_strndup(a, s, from);
    }
    return s;
}

/* ${v/pat/rep} (op "/"), ${v//pat/rep} (all), ${v/#pat/rep} (prefix) and
 * ${v/%pat/rep} (suffix), as bash replaces: longest match at the leftmost
 * place. NULL for a value too long to try every place (kept opaque). */
static char *pattern_replace(arena *a, const char *s, const char *op, const char *pat,
                             const char *rep)
{
    size_t len = strlen(s);
    if (len > 4096)
        return NULL;
    char *tmp = arena_alloc(a, len + 1);
    strbuf sb = STRBUF_INIT;
    if (strcmp(op, "/#") == 0 || strcmp(op, "/%") == 0) {
        bool prefix = op[1] == '#';
        size_t cut = SIZE_MAX;
        for (size_t k = 0; k <= len && cut == SIZE_MAX; k++) {
            size_t end = prefix ? len - k : len, from = prefix ? 0 : k;
            memcpy(tmp, s + from, end - from);
            tmp[end - from] = '\0';
            if (fnmatch(pat, tmp, 0) == 0)
                cut = prefix ? end : from;
        }
        if (cut == SIZE_MAX)
            return arena_strdup(a, s);
        if (prefix)
            strbuf_addf(&sb, "%s%s", rep, s + cut);
        else
            strbuf_addf(&sb, "%.*s%s", (int)cut, s, rep);
    } else {
        bool all = strcmp(op, "//") == 0, done = false;
        size_t i = 0;
        while (i < len) {
            size_t found = 0;
            for (size_t end = len; !done && end > i && !found; end--) {
                memcpy(tmp, s + i, end - i);
                tmp[end - i] = '\0';
                if (fnmatch(pat, tmp, 0) == 0)
                    found = end - i;
            }
            if (found) {
                strbuf_adds(&sb, rep);
                i += found;
                done = !all;
            } else {
                strbuf_addc(&sb, s[i++]);
            }
        }
    }
    char *r = arena_strdup(a, sb.data ? sb.data : "");
    strbuf_release(&sb);
    return r;
}

static bool var_is_set(interp *I, const char *name, bool *certain);

/* The pattern of ${v/pat/rep}, which tree-sitter-bash leaves as raw text:
 * $NAME and ${NAME} are expanded (their glob characters stay active, as in
 * bash); anything else a word can hold (quotes, $(...)) gives NULL. */
static const char *pattern_text(interp *I, TSNode n, bool *uncertain)
{
    size_t len;
    const char *s = node_src(I, n, &len);
    strbuf sb = STRBUF_INIT;
    const char *res = NULL;
    for (size_t i = 0; i < len;) {
        char c = s[i];
        if (c == '\'' || c == '"' || c == '`') goto out;
        if (c == '\\' && i + 1 < len) {
            strbuf_add(&sb, s + i, 2);
            i += 2;
            continue;
        }
        if (c != '$') {
            strbuf_addc(&sb, c);
            i++;
            continue;
        }
        size_t j = i + 1;
        bool brace = j < len && s[j] == '{';
        if (brace) j++;
        size_t from = j;
        bool digits = j < len && s[j] >= '0' && s[j] <= '9';
        while (j < len && (s[j] == '_' || (s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') ||
                           ((j > from || digits) && s[j] >= '0' && s[j] <= '9')) &&
               !(digits && !brace && j > from))
            j++;
        if (j == from || (brace && (j >= len || s[j] != '}'))) goto out;
        char *name = arena_strndup(I->a, s + from, j - from);
        if (digits) { /* $1, ${10}: the positional parameters */
            char buf[256];
            const char *sp = special_value(I, name, buf, sizeof(buf));
            if (I->args_opaque) *uncertain = true;
            strbuf_adds(&sb, sp ? sp : "");
            i = brace ? j + 1 : j;
            continue;
        }
        bool certain;
        var_is_set(I, name, &certain);
        if (!certain) *uncertain = true;
        const sval *v = state_get(I->st, tied_scalar(I, name) ? tied_scalar(I, name) : name);
        if (v && v->opaque) goto out;
        if (v && !v->certain) *uncertain = true;
        strbuf_adds(&sb, v && v->value ? v->value : "");
        i = brace ? j + 1 : j;
    }
    res = arena_strdup(I->a, sb.data ? sb.data : "");
out:
    strbuf_release(&sb);
    return res;
}

/* Append the value of a variable to the output; arrays and splitting by mode. */
static void add_var(interp *I, xlist *out, const char *name, bool all_elems, int mode)
{
    char buf[1024];
    const char *sp = special_value(I, name, buf, sizeof(buf));
    if (sp) {
        if ((strcmp(name, "@") == 0 || (strcmp(name, "*") == 0 && !(mode & X_QUOTED))) &&
            (mode & X_FIELDS)) {
            if (I->st->npos == 0)
                xl_cur(I, out)->vanish = true;
            for (size_t k = 0; k < I->st->npos; k++) {
                xword *w = k ? xl_new(I, out) : xl_cur(I, out);
                xw_add(I, w, I->st->pos[k], strlen(I->st->pos[k]));
            }
            return;
        }
        xw_add(I, xl_cur(I, out), sp, strlen(sp));
        return;
    }
    const char *tied = tied_scalar(I, name);
    const sval *v = state_get(I->st, tied ? tied : name);
    if ((v && !v->certain) || (!v && I->st->approx)) out->uncertain = true;
    if (!v || !v->value)
        return;
    if (v->opaque) {
        out->opaque = true;
        xl_cur(I, out)->opaque = true;
    }
    bool as_array = (tied || v->array) && v->entries &&
                    (all_elems || I->dialect == SHELL_ZSH) && (mode & X_FIELDS);
    if (as_array) {
        for (size_t k = 0; k < v->nentries; k++) {
            xword *w = k ? xl_new(I, out) : xl_cur(I, out);
            size_t st = w->len;
            xw_add(I, w, v->entries[k].value, strlen(v->entries[k].value));
            xw_span(I, w, st, v, (long)k);
        }
        return;
    }
    if (split_words(I, mode) && strpbrk(v->value, " \t\n")) {
        const char *s = v->value;
        bool first = true;
        while (*s) {
            while (*s == ' ' || *s == '\t' || *s == '\n') s++;
            if (!*s) break;
            const char *e = s;
            while (*e && *e != ' ' && *e != '\t' && *e != '\n') e++;
            xword *w = first ? xl_cur(I, out) : xl_new(I, out);
            xw_add(I, w, s, (size_t)(e - s));
            first = false;
            s = e;
        }
        return;
    }
    xword *w = xl_cur(I, out);
    size_t st = w->len;
    xw_add(I, w, v->value, strlen(v->value));
    if (v->entries && !v->array)
        xw_span(I, w, st, v, -1);
}

static bool var_is_set(interp *I, const char *name, bool *certain)
{
    char buf[64];
    *certain = true;
    const char *sp = special_value(I, name, buf, sizeof(buf));
    if (sp) return true;
    const char *tied = tied_scalar(I, name);
    const sval *v = state_get(I->st, tied ? tied : name);
    if ((v && !v->certain) || (!v && I->st->approx)) *certain = false;
    return v && v->value;
}

static bool parse_index(const char *s, long *v)
{
    char *e;
    if (!*s || *s < '0' || *s > '9') return false;
    *v = strtol(s, &e, 10);
    return *e == '\0' && *v >= 0 && *v < 1000000;
}

/* ${!arr[@]} (the indices), ${#arr[@]} (the count), ${arr[N]} (one
 * element; zsh counts from 1) and ${!name} (indirection). False: not
 * answerable here. */
static bool add_array_part(interp *I, xlist *out, const char *name, bool indirect, bool all,
                           long index, bool count, int mode)
{
    char sbuf[64];
    const char *sp = index == 0 && !indirect && !count ? special_value(I, name, sbuf, sizeof(sbuf)) : NULL;
    if (sp && strcmp(name, "BASH_SOURCE") == 0) {
        xw_add(I, xl_cur(I, out), sp, strlen(sp));
        return true;
    }
    const char *tied = tied_scalar(I, name);
    const sval *v = state_get(I->st, tied ? tied : name);
    if ((v && !v->certain) || (!v && I->st->approx)) out->uncertain = true;
    if (v && v->opaque) return false;
    bool arr = v && v->value && (v->array || tied) && v->entries;
    size_t n = !v || !v->value ? 0 : arr ? v->nentries : 1;
    char buf[32];
    if (count) {
        snprintf(buf, sizeof(buf), "%zu", n);
        xw_add(I, xl_cur(I, out), buf, strlen(buf));
        return true;
    }
    if (indirect && !all) {
        /* ${!name}: the variable named by name's value */
        if (index >= 0 || !v || !v->value || arr) return false;
        const char *p = v->value;
        if (!*p || !(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))) return false;
        for (; *p; p++)
            if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
                return false;
        add_var(I, out, v->value, false, mode);
        return true;
    }
    if (indirect) {
        for (size_t k = 0; k < n; k++) {
            xword *w = k && (mode & X_FIELDS) ? xl_new(I, out) : xl_cur(I, out);
            snprintf(buf, sizeof(buf), "%s%zu", k && !(mode & X_FIELDS) ? " " : "",
                     k + (I->dialect == SHELL_ZSH));
            xw_add(I, w, buf, strlen(buf));
        }
        return true;
    }
    size_t k = (size_t)index;
    if (I->dialect == SHELL_ZSH) {
        if (k == 0) return false;
        k--;
    }
    const char *e = !v || !v->value ? "" : arr ? (k < n ? v->entries[k].value : "")
                                          : (k == 0 ? v->value : "");
    xw_add(I, xl_cur(I, out), e, strlen(e));
    return true;
}

/* ${NAME}, ${NAME:-word}, ${NAME%pat}, ${#NAME}, ${NAME[@]} ... */
static void expand_braced(interp *I, TSNode n, xlist *out, int mode)
{
    uint32_t nc = ts_node_child_count(n);
    const char *name = NULL;
    const char *op = NULL;
    bool length = false, all = false, indirect = false;
    long index = -1;
    TSNode rest[8];
    size_t nrest = 0;
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = kid(I, n, i);
        const char *t = ts_node_type(c);
        if (!ts_node_is_named(c)) {
            size_t len;
            const char *s = node_src(I, c, &len);
            if (TYPE_IS(t, "${") || TYPE_IS(t, "}")) continue;
            if (!name && len == 1 && s[0] == '#') { length = true; continue; }
            if (!name && len == 1 && s[0] == '!') { indirect = true; continue; }
            if (name && !op) op = arena_strndup(I->a, s, len);
            continue;
        }
        if (!name && (TYPE_IS(t, "variable_name") || TYPE_IS(t, "special_variable_name"))) {
            name = node_text(I, c);
        } else if (!name && TYPE_IS(t, "subscript")) {
            TSNode vn = field(c, FLD_NAME);
            TSNode ix = field(c, FLD_INDEX);
            name = ts_node_is_null(vn) ? "" : node_text(I, vn);
            if (!ts_node_is_null(ix)) {
                char *it = node_text(I, ix);
                all = strcmp(it, "@") == 0 || strcmp(it, "*") == 0;
                if (!all && !parse_index(it, &index)) { add_opaque(I, out, n); return; }
            }
        } else if (nrest < GE_ARRAY_LEN(rest)) {
            rest[nrest++] = c;
        }
    }
    if (!name) {
        add_opaque(I, out, n);
        return;
    }
    if (indirect || index >= 0 || (length && all)) {
        if (!op && nrest == 0 && add_array_part(I, out, name, indirect, all, index, length, mode))
            return;
        add_opaque(I, out, n);
        return;
    }
    if (length) {
        xlist tmp = {0};
        add_var(I, &tmp, name, false, X_QUOTED);
        char buf[32];
        snprintf(buf, sizeof(buf), "%zu", tmp.n ? tmp.w[0].len : (size_t)0);
        xw_add(I, xl_cur(I, out), buf, strlen(buf));
        out->uncertain |= tmp.uncertain;
        return;
    }
    if (!op) {
        add_var(I, out, name, all, mode);
        return;
    }
    bool certain;
    bool set = var_is_set(I, name, &certain);
    if (!certain) out->uncertain = true;
    const char *tied = tied_scalar(I, name);
    const sval *v = state_get(I->st, tied ? tied : name);
    bool nonempty = set && (!v || !v->value || v->value[0] != '\0');
    if (!v && set) {
        char buf[256];
        const char *sp = special_value(I, name, buf, sizeof(buf));
        nonempty = sp && *sp;
    }
    bool colon = op[0] == ':';
    const char *o = colon ? op + 1 : op;
    bool use_var = colon ? nonempty : set;
    if (strcmp(o, "-") == 0 || strcmp(o, "=") == 0) {
        if (use_var) {
            add_var(I, out, name, all, mode);
        } else {
            for (size_t i = 0; i < nrest; i++)
                expand_node(I, rest[i], out, mode);
            if (o[0] == '=') {
                xlist tmp = {0};
                for (size_t i = 0; i < nrest; i++)
                    expand_node(I, rest[i], &tmp, X_QUOTED);
                sim_loc at = here(I);
                var_commit(I, name, tmp.n ? xw_str(&tmp.w[0]) : "", NULL, 0, false, 0,
                           ENV_OP_ASSIGN, &at, !tmp.uncertain, tmp.opaque);
            }
        }
        return;
    }
    if (strcmp(o, "+") == 0) {
        if (use_var)
            for (size_t i = 0; i < nrest; i++)
                expand_node(I, rest[i], out, mode);
        return;
    }
    if (strcmp(o, "?") == 0) {
        add_var(I, out, name, all, mode);
        return;
    }
    if (strcmp(op, "#") == 0 || strcmp(op, "##") == 0 || strcmp(op, "%") == 0 || strcmp(op, "%%") == 0) {
        xlist val = {0}, pat = {0};
        add_var(I, &val, name, false, X_QUOTED);
        for (size_t i = 0; i < nrest; i++)
            expand_node(I, rest[i], &pat, X_QUOTED);
        const char *s = val.n ? xw_str(&val.w[0]) : "";
        const char *p = pat.n ? xw_str(&pat.w[0]) : "";
        const char *kept = sim_strip_pattern(I->a, s, op, p);
        xw_add(I, xl_cur(I, out), kept, strlen(kept));
        out->uncertain |= val.uncertain || pat.uncertain;
        out->opaque |= val.opaque || pat.opaque;
        return;
    }
    if (op[0] == '/' && (!op[1] || ((op[1] == '/' || op[1] == '#' || op[1] == '%') && !op[2])) &&
        nrest >= 1 && node_is(rest[0], "regex") && I->dialect != SHELL_ZSH) {
        xlist val = {0}, rep = {0};
        add_var(I, &val, name, false, X_QUOTED);
        bool unc = val.uncertain;
        const char *p = pattern_text(I, rest[0], &unc);
        for (size_t i = 1; p && i < nrest; i++)
            expand_node(I, rest[i], &rep, X_QUOTED);
        const char *r = rep.n ? xw_str(&rep.w[0]) : "";
        char *res = p && !val.opaque ? pattern_replace(I->a, val.n ? xw_str(&val.w[0]) : "", op, p, r)
                                     : NULL;
        if (res) {
            xw_add(I, xl_cur(I, out), res, strlen(res));
            out->uncertain |= unc || rep.uncertain;
            out->opaque |= rep.opaque;
            return;
        }
    }
    add_opaque(I, out, n);
}

bool sim_func_defined(const interp *I, const char *name)
{
    return func_get(I->st, name) != NULL;
}

static void expand_args(interp *I, const TSNode *nodes, size_t nn, strvec *out, bool *opaque,
                        bool *uncertain);

/* The words of a $(...) that is one simple command (stderr may be
 * redirected); false for pipelines, lists and anything else. */
static bool subst_words(interp *I, TSNode n, strvec *argv, bool *opq, bool *unc)
{
    TSNode cmd = {0};
    uint32_t cnt;
    const TSNode *k = kids_of(I, n, &cnt);
    for (uint32_t i = 0; i < cnt; i++) {
        if (!ts_node_is_named(k[i]) || node_is(k[i], "comment")) continue;
        if (!ts_node_is_null(cmd)) return false;
        cmd = k[i];
    }
    if (!node_is(cmd, "command")) return false;
    TSNode name = field(cmd, FLD_NAME);
    if (ts_node_is_null(name)) return false;
    TSNode nodes[32];
    size_t nn = 0;
    nodes[nn++] = ts_node_named_child_count(name) ? ts_node_named_child(name, 0) : name;
    uint32_t cc;
    const TSNode *ck = kids_of(I, cmd, &cc);
    bool after = false;
    for (uint32_t i = 0; i < cc; i++) {
        TSNode c = ck[i];
        if (ts_node_eq(c, name)) { after = true; continue; }
        if (!ts_node_is_named(c)) continue;
        if (!after) return false; /* VAR=x cmd */
        if (node_is(c, "file_redirect")) {
            TSNode d = ts_node_child(c, 0);
            if (!node_is(d, "file_descriptor") || strcmp(node_text(I, d), "2") != 0) return false;
            continue;
        }
        if (nn == GE_ARRAY_LEN(nodes)) return false;
        nodes[nn++] = c;
    }
    expand_args(I, nodes, nn, argv, opq, unc);
    return true;
}

/* $(...) is opaque, except what is known without running it (subst.c). */
static void expand_command_subst(interp *I, TSNode n, xlist *out)
{
    strvec argv = {0};
    bool opq = false, unc = false;
    const char *v;
    bool certain;
    if (subst_words(I, n, &argv, &opq, &unc) && !opq &&
        subst_answer(I, argv.v, argv.n, &v, &certain)) {
        size_t l = strlen(v);
        while (l && v[l - 1] == '\n') l--;
        xw_add(I, xl_cur(I, out), v, l);
        if (!certain || unc) out->uncertain = true;
        return;
    }
    add_opaque(I, out, n);
}

static void expand_children_with_gaps(interp *I, TSNode n, xlist *out, int mode, size_t skip_open,
                                      size_t skip_close)
{
    uint32_t s = ts_node_start_byte(n) + (uint32_t)skip_open;
    uint32_t e = ts_node_end_byte(n);
    if (e >= skip_close) e -= (uint32_t)skip_close;
    uint32_t pos = s;
    uint32_t nc = ts_node_named_child_count(n);
    const char *data = I->file->src->data;
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = ts_node_named_child(n, i);
        uint32_t cs = ts_node_start_byte(c), ce = ts_node_end_byte(c);
        const char *t = ts_node_type(c);
        if (TYPE_IS(t, "string_content"))
            continue; /* literal: copied as a gap */
        /* the grammar starts `$` of "$A $B" at the blank before it */
        while (cs < ce && (data[cs] == ' ' || data[cs] == '\t' || data[cs] == '\n'))
            cs++;
        if (cs > pos)
            add_literal(I, out, data + pos, cs - pos, false, mode);
        expand_node(I, c, out, mode);
        if (I->dialect == SHELL_ZSH && TYPE_IS(t, "simple_expansion") && ce < e && data[ce] == '[')
            out->uncertain = true; /* zsh's "$name[...]" subscript: not modelled here */
        pos = ce;
    }
    if (e > pos)
        add_literal(I, out, data + pos, e - pos, false, mode);
}

/* tree-sitter-bash 0.23 splits `$A:$B/x` after the second '$': the rest
 * comes as the next word. Expand "$" + that word from its text. */
static void expand_raw(interp *I, const char *s, size_t len, xlist *out, int mode)
{
    size_t i = 0;
    while (i < len) {
        if (s[i] == '$' && i + 1 < len && (s[i + 1] == '_' || (s[i + 1] >= 'A' && s[i + 1] <= 'Z') ||
                                           (s[i + 1] >= 'a' && s[i + 1] <= 'z'))) {
            size_t j = i + 1;
            while (j < len && (s[j] == '_' || (s[j] >= 'A' && s[j] <= 'Z') || (s[j] >= 'a' && s[j] <= 'z') ||
                               (s[j] >= '0' && s[j] <= '9')))
                j++;
            add_var(I, out, arena_strndup(I->a, s + i + 1, j - i - 1), false, mode);
            i = j;
            continue;
        }
        if (s[i] == '$' && i + 1 < len && strchr("0123456789@*#-", s[i + 1])) {
            add_var(I, out, arena_strndup(I->a, s + i + 1, 1), false, mode);
            i += 2;
            continue;
        }
        if (s[i] == '$' && i + 1 < len && s[i + 1] == '{') {
            const char *close = memchr(s + i, '}', len - i);
            size_t nl = close ? (size_t)(close - (s + i + 2)) : 0;
            bool simple = close && nl > 0;
            for (size_t k = 0; simple && k < nl; k++) {
                char c = s[i + 2 + k];
                simple = c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            }
            if (simple) {
                add_var(I, out, arena_strndup(I->a, s + i + 2, nl), false, mode);
                i = (size_t)(close - s) + 1;
                continue;
            }
        }
        if (s[i] == '$' && i + 1 < len && (s[i + 1] == '(' || s[i + 1] == '{')) {
            xword *w = xl_cur(I, out);
            xw_add(I, w, s + i, len - i);
            w->opaque = true;
            out->opaque = out->uncertain = true;
            return;
        }
        size_t j = i + 1;
        while (j < len && s[j] != '$') j++;
        add_literal(I, out, s + i, j - i, false, mode);
        i = j;
    }
}

static void expand_node(interp *I, TSNode n, xlist *out, int mode)
{
    if (++I->nesting > SIM_MAX_NESTING) {
        I->nesting--;
        add_opaque(I, out, n);
        return;
    }
    const char *t = ts_node_type(n);
    size_t len;
    const char *s;
    if (shell_tree_dialect_of(n) == SHELL_ZSH && zsh_expand(I, n, t, out, mode)) {
        I->nesting--;
        return;
    }
    if (TYPE_IS(t, "word") || TYPE_IS(t, "number") || TYPE_IS(t, "variable_name") ||
        TYPE_IS(t, "extglob_pattern") || TYPE_IS(t, "regex") || TYPE_IS(t, "brace_expression")) {
        if (ts_node_named_child_count(n) > 0 && TYPE_IS(t, "number")) {
            add_opaque(I, out, n);
        } else {
            s = node_src(I, n, &len);
            add_literal(I, out, s, len, xl_cur(I, out)->len == 0, mode);
        }
    } else if (TYPE_IS(t, "raw_string")) {
        s = node_src(I, n, &len);
        xword *w = xl_cur(I, out);
        if (len >= 2) xw_add(I, w, s + 1, len - 2);
        w->quoted = true;
    } else if (TYPE_IS(t, "ansi_c_string")) {
        s = node_src(I, n, &len);
        xword *w = xl_cur(I, out);
        if (len >= 3) add_ansi_c(I, w, s + 2, len - 3);
        w->quoted = true;
    } else if (TYPE_IS(t, "string")) {
        xl_cur(I, out)->quoted = true;
        expand_children_with_gaps(I, n, out, (mode | X_QUOTED) & ~X_ASSIGN, 1, 1);
    } else if (TYPE_IS(t, "translated_string")) {
        if (ts_node_named_child_count(n))
            expand_node(I, ts_node_named_child(n, 0), out, mode);
    } else if (TYPE_IS(t, "simple_expansion")) {
        TSNode c = ts_node_named_child(n, 0);
        if (ts_node_is_null(c)) {
            add_opaque(I, out, n);
        } else {
            char *name = node_text(I, c);
            if (strcmp(name, "$") == 0 || strcmp(name, "!") == 0 || strcmp(name, "?") == 0)
                add_opaque(I, out, n);
            else
                add_var(I, out, name, false, mode);
        }
    } else if (TYPE_IS(t, "expansion")) {
        expand_braced(I, n, out, mode);
    } else if (TYPE_IS(t, "command_substitution")) {
        expand_command_subst(I, n, out);
    } else if (TYPE_IS(t, "unary_expression") && ts_node_child_count(n) > 0 &&
               strcmp(ts_node_type(kid(I, n, 0)), "~") == 0) {
        /* the grammar's view of ~/x inside [ ] */
        s = node_src(I, n, &len);
        add_literal(I, out, s, len, xl_cur(I, out)->len == 0, mode);
    } else if (TYPE_IS(t, "concatenation")) {
        uint32_t nc = ts_node_child_count(n);
        for (uint32_t i = 0; i < nc; i++) {
            TSNode c = kid(I, n, i);
            if (I->dialect == SHELL_ZSH && node_is(c, "simple_expansion") && i + 1 < nc) {
                /* zsh's $name[...] subscript: not modelled here */
                TSNode nx = kid(I, n, i + 1);
                size_t nl;
                const char *ns = node_src(I, nx, &nl);
                if (nl && ns[0] == '[' && ts_node_start_byte(nx) == ts_node_end_byte(c))
                    out->uncertain = true;
            }
            if (ts_node_is_named(c)) {
                expand_node(I, c, out, mode);
            } else if (i + 1 == nc && strcmp(ts_node_type(c), "$") == 0 &&
                       !ts_node_is_null(I->glue_tail) &&
                       ts_node_start_byte(I->glue_tail) == ts_node_end_byte(n)) {
                size_t tl;
                const char *ts = node_src(I, I->glue_tail, &tl);
                char *raw = arena_printf(I->a, "$%.*s", (int)tl, ts);
                I->glue_tail = (TSNode){0};
                expand_raw(I, raw, tl + 1, out, mode);
            } else {
                s = node_src(I, c, &len);
                add_literal(I, out, s, len, false, mode);
            }
        }
    } else {
        /* arithmetic, process substitution, brace expressions, errors */
        add_opaque(I, out, n);
    }
    I->nesting--;
}

/* Does a (an assignment or a word) end in the grammar's stray '$' with b glued to it? */
static bool dollar_glued(TSNode a, TSNode b)
{
    if (ts_node_is_null(a) || ts_node_is_null(b) || ts_node_start_byte(b) != ts_node_end_byte(a))
        return false;
    TSNode v = a;
    if (node_is(a, "variable_assignment"))
        v = field(a, FLD_VALUE);
    if (!node_is(v, "concatenation"))
        return false;
    uint32_t nc = ts_node_child_count(v);
    TSNode last = ts_node_child(v, nc - 1);
    return nc > 0 && !ts_node_is_named(last) && strcmp(ts_node_type(last), "$") == 0;
}

/* ---- globbing on the root ------------------------------------------------- */

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static bool has_glob_chars(const char *s)
{
    return strpbrk(s, "*?[") != NULL;
}

/* A word that pathname expansion sees: glob characters, or in zsh a
 * trailing glob qualifier alone (`~/bin(N)` expands to nothing when there
 * is no ~/bin). */
static bool glob_word_p(const interp *I, const char *s)
{
    if (has_glob_chars(s))
        return true;
    size_t n = strlen(s);
    if (I->dialect != SHELL_ZSH || n < 4 || s[n - 1] != ')')
        return false;
    const char *open = strrchr(s, '(');
    if (!open || open == s || open[-1] == '/')
        return false;
    for (const char *c = open + 1; c < s + n - 1; c++)
        if (!strchr("N./@*-^=p%rwxRWXAIEsStUGomnLdfc", *c))
            return false;
    return open + 1 < s + n - 1;
}

#define GLOB_MAX_RESULTS 4096u
#define GLOB_MAX_SCAN 65536u /* directory entries looked at per component */

/* Expand an absolute glob pattern against the root, sorted. */
static void root_glob(interp *I, const char *pattern, strvec *outv)
{
    strvec cur = {0};
    sv_push(I->a, &cur, arena_strdup(I->a, ""));
    const char *p = pattern;
    if (*p == '/') p++;
    while (*p && cur.n) {
        const char *e = strchr(p, '/');
        size_t clen = e ? (size_t)(e - p) : strlen(p);
        char *comp = arena_strndup(I->a, p, clen);
        strvec next = {0};
        for (size_t i = 0; i < cur.n && next.n < GLOB_MAX_RESULTS; i++) {
            if (!has_glob_chars(comp)) {
                sv_push(I->a, &next, arena_printf(I->a, "%s/%s", cur.v[i], comp));
                continue;
            }
            char *host = root_path(I->run->root, *cur.v[i] ? cur.v[i] : "/");
            DIR *d = opendir(host);
            free(host);
            if (!d) continue;
            strvec found = {0};
            struct dirent *de;
            while ((de = readdir(d)) != NULL && found.n < GLOB_MAX_SCAN) {
                if (de->d_name[0] == '.' && comp[0] != '.') continue;
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
                if (fnmatch(comp, de->d_name, FNM_PERIOD) == 0)
                    sv_push(I->a, &found, arena_printf(I->a, "%s/%s", cur.v[i], de->d_name));
            }
            closedir(d);
            if (found.n)
                qsort(found.v, found.n, sizeof(char *), cmp_str);
            /* past the bound, keep the first names in the shell's order (not
             * whichever readdir returned first) and say so */
            size_t k = 0;
            for (; k < found.n && next.n < GLOB_MAX_RESULTS; k++)
                sv_push(I->a, &next, found.v[k]);
            if (k < found.n) {
                sim_loc at = loc_of_node(I, I->stmt);
                sim_event_add(I, SIM_EV_STEP_LIMIT, &at, NULL, I->file->path, NULL,
                              arena_printf(I->a, "glob limit: %s matches more than %u files; "
                                           "files after %s not read", pattern,
                                           GLOB_MAX_RESULTS, found.v[k - 1]));
            }
        }
        cur = next;
        p = e ? e + 1 : p + clen;
    }
    for (size_t i = 0; i < cur.n; i++)
        if (root_exists(I->run->root, cur.v[i]))
            sv_push(I->a, outv, cur.v[i]);
}

/* ---- brace expansion ------------------------------------------------------ */

static bool parse_long(const char *s, long *v);

/* Words one brace expansion may produce; past it the rest is dropped and the
 * loop or command that uses them is marked uncertain. */
#define BRACE_MAX_WORDS 4096u

typedef struct brace_word {
    TSNode *parts;      /* the parts brace expansion does not look into */
    size_t nparts;
    bool truncated;     /* BRACE_MAX_WORDS reached */
} brace_word;

/* A word with unquoted braces: the grammar's word pieces of a concatenation
 * (`~/.`, `{`, `a,b`, `}`) or a brace_expression ({1..3}). */
/* tree-sitter-zsh reads `{s,r}mkx`, `~/.{a,b}` and `{,s}bin(N)` as a
 * glob_pattern: literal text, with at most its qualifier as a child. */
static bool literal_glob(TSNode n)
{
    if (!node_is(n, "glob_pattern"))
        return false;
    uint32_t nc = ts_node_named_child_count(n);
    return nc == 0 || (nc == 1 && node_is(ts_node_named_child(n, 0), "zsh_glob_qualifier"));
}

static bool brace_candidate(interp *I, TSNode n)
{
    bool zglob = literal_glob(n);
    if (!node_is(n, "concatenation") && !node_is(n, "brace_expression") && !node_is(n, "word") &&
        !zglob)
        return false;
    size_t len;
    const char *s = node_src(I, n, &len);
    return memchr(s, '{', len) && memchr(s, '}', len);
}

/* The word as text: literal pieces as written, every other part as
 * \001INDEX\002 (quotes and expansions are not brace-expanded). */
static char *brace_flatten(interp *I, const TSNode *nodes, size_t nn, brace_word *bw)
{
    strbuf sb = STRBUF_INIT;
    size_t total = 0;
    for (size_t w = 0; w < nn; w++) {
        uint32_t cnt = 1;
        if (node_is(nodes[w], "concatenation"))
            (void)kids_of(I, nodes[w], &cnt);
        total += cnt;
    }
    bw->parts = arena_alloc(I->a, (total ? total : 1) * sizeof(TSNode));
    bw->nparts = 0;
    for (size_t w = 0; w < nn; w++) {
        uint32_t cnt = 1;
        const TSNode *kids = &nodes[w];
        if (node_is(nodes[w], "concatenation"))
            kids = kids_of(I, nodes[w], &cnt);
        for (uint32_t i = 0; i < cnt; i++) {
            TSNode c = kids[i];
            size_t len;
            const char *t = node_src(I, c, &len);
            if (!ts_node_is_named(c) || node_is(c, "word") || node_is(c, "brace_expression") ||
                node_is(c, "number") || literal_glob(c)) {
                strbuf_add(&sb, t, len);
            } else {
                strbuf_addf(&sb, "\001%zu\002", bw->nparts);
                bw->parts[bw->nparts++] = c;
            }
        }
    }
    char *r = arena_strdup(I->a, sb.data ? sb.data : "");
    strbuf_release(&sb);
    return r;
}

/* Skip a placeholder or an escaped character at s[i]; the index after it. */
static size_t brace_skip(const char *s, size_t i)
{
    if (s[i] == '\\' && s[i + 1]) return i + 2;
    if (s[i] == '\001') {
        while (s[i] && s[i] != '\002') i++;
        return s[i] ? i + 1 : i;
    }
    return i + 1;
}

/* {a..b[..step]} of integers (zero-padded when written so) or of letters. */
static bool brace_sequence(interp *I, const char *inner, size_t len, strvec *alts)
{
    char *t = arena_strndup(I->a, inner, len);
    char *dots = strstr(t, "..");
    if (!dots) return false;
    *dots = '\0';
    char *b = dots + 2, *stepp = strstr(b, "..");
    long step = 1;
    if (stepp) {
        *stepp = '\0';
        if (!parse_long(stepp + 2, &step)) return false;
        if (step < 0) step = -step;
        if (step == 0) step = 1;
    }
    long x, y;
    if (parse_long(t, &x) && parse_long(b, &y)) {
        int width = 0;
        if ((t[0] == '0' && t[1]) || (t[0] == '-' && t[1] == '0') || (b[0] == '0' && b[1]))
            width = (int)(strlen(t) > strlen(b) ? strlen(t) : strlen(b));
        for (long v = x; x <= y ? v <= y : v >= y; v += x <= y ? step : -step) {
            if (alts->n >= BRACE_MAX_WORDS) break;
            sv_push(I->a, alts, arena_printf(I->a, "%0*ld", width, v));
        }
        return true;
    }
    if (strlen(t) == 1 && strlen(b) == 1 && t[0] != '\001' && b[0] != '\001') {
        int a0 = (unsigned char)t[0], b0 = (unsigned char)b[0];
        for (int v = a0; a0 <= b0 ? v <= b0 : v >= b0; v += a0 <= b0 ? (int)step : -(int)step)
            sv_push(I->a, alts, arena_printf(I->a, "%c", v));
        return true;
    }
    return false;
}

/* Bash's brace expansion of s, left to right, into out. */
static void brace_expand(interp *I, const char *s, strvec *out, brace_word *bw)
{
    if (out->n >= BRACE_MAX_WORDS) {
        bw->truncated = true;
        return;
    }
    for (size_t i = 0; s[i]; i = brace_skip(s, i)) {
        if (s[i] != '{' || (i > 0 && s[i - 1] == '$')) continue;
        strvec alts = {0};
        size_t depth = 0, j = i, from = i + 1;
        bool comma = false;
        for (; s[j]; j = brace_skip(s, j)) {
            if (s[j] == '{') {
                depth++;
            } else if (s[j] == '}') {
                if (--depth == 0) break;
            } else if (s[j] == ',' && depth == 1) {
                sv_push(I->a, &alts, arena_strndup(I->a, s + from, j - from));
                from = j + 1;
                comma = true;
            }
        }
        if (!s[j]) continue; /* unbalanced: literal */
        if (comma) {
            sv_push(I->a, &alts, arena_strndup(I->a, s + from, j - from));
        } else if (!brace_sequence(I, s + i + 1, j - i - 1, &alts)) {
            continue; /* {x} stays as written */
        }
        for (size_t k = 0; k < alts.n; k++) {
            char *w = arena_printf(I->a, "%.*s%s%s", (int)i, s, alts.v[k], s + j + 1);
            brace_expand(I, w, out, bw);
        }
        return;
    }
    sv_push(I->a, out, (char *)s);
}

/* One alternative back into an expanded word list. */
static void brace_word_expand(interp *I, const char *s, const brace_word *bw, xlist *l)
{
    size_t i = 0;
    while (s[i]) {
        if (s[i] == '\001') {
            size_t k = (size_t)strtoul(s + i + 1, NULL, 10);
            if (k < bw->nparts) expand_node(I, bw->parts[k], l, X_FIELDS);
            while (s[i] && s[i] != '\002') i++;
            if (s[i]) i++;
            continue;
        }
        size_t j = i;
        while (s[j] && s[j] != '\001') j++;
        add_literal(I, l, s + i, j - i, i == 0, X_FIELDS);
        i = j;
    }
}

typedef void (*xl_sink)(interp *I, xlist *l, void *ud);

/* Expand one word into its alternatives (brace expansion first, then the
 * rest), each handed to sink. False when a bound cut the list short. */
static bool expand_run_alts(interp *I, const TSNode *nodes, size_t nn, xl_sink sink, void *ud);

static bool expand_word_alts(interp *I, TSNode n, xl_sink sink, void *ud)
{
    if (!brace_candidate(I, n)) {
        xlist l = {0};
        expand_node(I, n, &l, X_FIELDS);
        sink(I, &l, ud);
        return true;
    }
    return expand_run_alts(I, &n, 1, sink, ud);
}

/* tree-sitter-zsh splits some words in two (`/opt/{a,b}/{,s}bin(N)` in an
 * array gives two glob_patterns with nothing between them): how many of
 * nodes[0..n) form one word, touching each other. */
static size_t glued_run(const TSNode *nodes, size_t n)
{
    size_t k = 1;
    while (k < n && shell_tree_dialect_of(nodes[k]) == SHELL_ZSH &&
           ts_node_end_byte(nodes[k - 1]) == ts_node_start_byte(nodes[k]))
        k++;
    return k;
}

/* Expand the word made of nodes[0..nn) into its alternatives. */
static bool expand_run_alts(interp *I, const TSNode *nodes, size_t nn, xl_sink sink, void *ud)
{
    TSNode n = nodes[0];
    brace_word bw = {0};
    char *flat = brace_flatten(I, nodes, nn, &bw);
    strvec alts = {0};
    brace_expand(I, flat, &alts, &bw);
    for (size_t k = 0; k < alts.n; k++) {
        xlist l = {0};
        brace_word_expand(I, alts.v[k], &bw, &l);
        if (bw.truncated) l.uncertain = true;
        sink(I, &l, ud);
    }
    if (bw.truncated) {
        sim_loc at = loc_of_node(I, n);
        sim_event_add(I, SIM_EV_STEP_LIMIT, &at, NULL, I->file->path, NULL,
                      arena_printf(I->a, "brace limit: more than %u words; the rest not followed",
                                   BRACE_MAX_WORDS));
    }
    return !bw.truncated;
}

typedef struct fields_acc {
    strvec *out;
    bool opaque, uncertain;
    bool first_opaque;  /* the first field holds text from $(...) */
} fields_acc;

/* Fields of one expanded word: globs matched on the root, empty unquoted
 * expansions dropped. */
/* Pathname expansion of a glob word on the root (zsh qualifiers and
 * exclusions applied): true with its matches in *m, or with none where the
 * word disappears (zsh: (N), or an error that stops the command); false:
 * no match in bash, where the word stays as written. */
static bool word_glob(interp *I, const char *s, strvec *m, bool *uncertain)
{
    zsh_glob zg;
    char *pat = zsh_glob_prepare(I, arena_strdup(I->a, s), &zg); /* (N), ~x */
    if (zg.unknown) *uncertain = true;
    const char *abs = pat;
    if (pat[0] != '/')
        abs = arena_printf(I->a, "%s/%s", home_dir(I), pat);
    strvec all = {0};
    root_glob(I, abs, &all);
    for (size_t j = 0; j < all.n; j++) {
        const char *r = all.v[j];
        if (pat[0] != '/') r += strlen(home_dir(I)) + 1;
        if (zsh_glob_keep(I, &zg, all.v[j], r))
            sv_push(I->a, m, arena_strdup(I->a, r));
    }
    return all.n || I->dialect == SHELL_ZSH;
}

static void fields_push(interp *I, xlist *l, void *ud)
{
    fields_acc *acc = ud;
    strvec *out = acc->out;
    if (l->opaque) acc->opaque = true;
    if (l->uncertain) acc->uncertain = true;
    for (size_t k = 0; k < l->n; k++) {
        xword *w = &l->w[k];
        const char *s = xw_str(w);
        if (out->n == 0 && w->opaque) acc->first_opaque = true;
        if (w->glob && !w->opaque && glob_word_p(I, s)) {
            strvec m = {0};
            if (word_glob(I, s, &m, &acc->uncertain)) {
                for (size_t j = 0; j < m.n; j++)
                    sv_push(I->a, out, m.v[j]);
                continue;
            }
        }
        if (w->len == 0 && (w->vanish || (!w->quoted && l->n == 1 && !(l->w[0].quoted))))
            continue; /* an unquoted empty expansion, or "$@" of nothing, disappears */
        sv_push(I->a, out, arena_strdup(I->a, s));
    }
}

/* Expand argument nodes into fields: braces, splitting, globs on the root. */
static void expand_args_acc(interp *I, const TSNode *nodes, size_t nn, fields_acc *acc)
{
    for (size_t i = 0; i < nn; i++) {
        if (i + 1 < nn && dollar_glued(nodes[i], nodes[i + 1])) {
            xlist l = {0};
            I->glue_tail = nodes[i + 1];
            expand_node(I, nodes[i], &l, X_FIELDS);
            I->glue_tail = (TSNode){0};
            i++;
            fields_push(I, &l, acc);
        } else if (!expand_word_alts(I, nodes[i], fields_push, acc)) {
            acc->uncertain = true;
        }
    }
}

static void expand_args(interp *I, const TSNode *nodes, size_t nn, strvec *out, bool *opaque,
                        bool *uncertain)
{
    fields_acc acc = {out, false, false, false};
    expand_args_acc(I, nodes, nn, &acc);
    if (acc.opaque) *opaque = true;
    if (acc.uncertain) *uncertain = true;
}

static const char *expand_string_mode(interp *I, TSNode n, bool *opaque, bool *uncertain,
                                      xlist *keep, int mode)
{
    xlist l = {0};
    if (!ts_node_is_null(n))
        expand_node(I, n, &l, mode);
    *opaque = l.opaque;
    *uncertain = l.uncertain;
    if (keep) *keep = l;
    return l.n ? xw_str(&l.w[0]) : "";
}

static const char *expand_string(interp *I, TSNode n, bool *opaque, bool *uncertain,
                                 xlist *keep)
{
    return expand_string_mode(I, n, opaque, uncertain, keep, X_QUOTED);
}

/* ---- tests ----------------------------------------------------------------- */

typedef enum tri { T_FALSE = 0, T_TRUE = 1, T_UNKNOWN = 2 } tri;

static tri tri_not(tri t) { return t == T_UNKNOWN ? T_UNKNOWN : (t == T_TRUE ? T_FALSE : T_TRUE); }
static tri tri_of(bool b) { return b ? T_TRUE : T_FALSE; }

static const char *abs_path(interp *I, const char *p)
{
    if (p[0] == '/') return p;
    return arena_printf(I->a, "%s/%s", home_dir(I), p);
}

static tri test_unary(interp *I, const char *op, const char *arg)
{
    if (strcmp(op, "-o") == 0) return (tri)sim_test_option(I, arg);
    if (strcmp(op, "-n") == 0) return tri_of(*arg != '\0');
    if (strcmp(op, "-z") == 0) return tri_of(*arg == '\0');
    if (!*arg && op[1] != 't') return T_FALSE;
    const char *p = abs_path(I, arg);
    const root *r = I->run->root;
    switch (op[1]) {
    case 'd': return tri_of(root_is_dir(r, p));
    case 'f': return tri_of(root_is_file(r, p));
    case 'e': case 'a': return tri_of(root_exists(r, p));
    case 'r': case 'w': case 's': case 'O': case 'G': return tri_of(root_exists(r, p));
    case 'x': return tri_of(root_is_executable(r, p) || root_is_dir(r, p));
    case 'L': case 'h': case 'S': case 'p': case 'b': case 'c': case 't': case 'o': case 'v':
    default: return T_UNKNOWN;
    }
}

static bool parse_long(const char *s, long *v)
{
    char *e;
    if (!*s) return false;
    *v = strtol(s, &e, 10);
    return *e == '\0';
}

static tri test_binary(const char *l, const char *op, const char *r, bool pattern)
{
    if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0)
        return tri_of(pattern ? fnmatch(r, l, 0) == 0 : strcmp(l, r) == 0);
    if (strcmp(op, "!=") == 0)
        return tri_of(pattern ? fnmatch(r, l, 0) != 0 : strcmp(l, r) != 0);
    long a, b;
    if (op[0] == '-' && parse_long(l, &a) && parse_long(r, &b)) {
        if (strcmp(op, "-eq") == 0) return tri_of(a == b);
        if (strcmp(op, "-ne") == 0) return tri_of(a != b);
        if (strcmp(op, "-lt") == 0) return tri_of(a < b);
        if (strcmp(op, "-le") == 0) return tri_of(a <= b);
        if (strcmp(op, "-gt") == 0) return tri_of(a > b);
        if (strcmp(op, "-ge") == 0) return tri_of(a >= b);
    }
    return T_UNKNOWN;
}

/* Recursion the input drives (nested `( )` in [[ ]], `! ! !`, `-a` chains,
 * `command command ...`) is bounded like statements and words: past
 * SIM_MAX_NESTING levels the answer is unknown, not a stack overflow. */
static tri nested_leave(interp *I, tri r)
{
    I->nesting--;
    return r;
}
#define NESTED(I, call) ((I)->nesting >= SIM_MAX_NESTING ? T_UNKNOWN : nested_leave((I), ((I)->nesting++, (call))))

/* `test`/`[` given as words. */
static tri test_args(interp *I, char **a, size_t n)
{
    if (n == 0) return T_FALSE;
    if (strcmp(a[0], "!") == 0) return tri_not(NESTED(I, test_args(I, a + 1, n - 1)));
    for (size_t i = 1; i + 1 < n; i++) {
        if (strcmp(a[i], "-a") == 0 || strcmp(a[i], "-o") == 0) {
            tri x = test_args(I, a, i), y = NESTED(I, test_args(I, a + i + 1, n - i - 1));
            if (a[i][1] == 'a') {
                if (x == T_FALSE || y == T_FALSE) return T_FALSE;
                return x == T_TRUE && y == T_TRUE ? T_TRUE : T_UNKNOWN;
            }
            if (x == T_TRUE || y == T_TRUE) return T_TRUE;
            return x == T_FALSE && y == T_FALSE ? T_FALSE : T_UNKNOWN;
        }
    }
    if (n == 1) return tri_of(*a[0] != '\0');
    if (n == 2 && a[0][0] == '-') return test_unary(I, a[0], a[1]);
    if (n == 3) return test_binary(a[0], a[1], a[2], false);
    return T_UNKNOWN;
}

static tri test_expr(interp *I, TSNode n, bool dbl);

static const char *test_operand(interp *I, TSNode n, bool *unsure)
{
    bool opaque, unc;
    const char *s = expand_string(I, n, &opaque, &unc, NULL);
    if (opaque || unc) *unsure = true;
    return s;
}

static tri test_expr(interp *I, TSNode n, bool dbl)
{
    const char *t = ts_node_type(n);
    if (TYPE_IS(t, "parenthesized_expression") && ts_node_named_child_count(n) == 1)
        return NESTED(I, test_expr(I, ts_node_named_child(n, 0), dbl));
    if (TYPE_IS(t, "unary_expression")) {
        TSNode op = field(n, FLD_OPERATOR);
        TSNode arg = ts_node_named_child(n, ts_node_named_child_count(n) - 1);
        if (ts_node_is_null(op) || ts_node_is_null(arg)) return T_UNKNOWN;
        char *ops = node_text(I, op);
        if (strcmp(ops, "~") == 0) {
            bool unsure = false;
            const char *v = test_operand(I, n, &unsure);
            return unsure ? T_UNKNOWN : tri_of(*v != '\0');
        }
        if (strcmp(ops, "!") == 0) return tri_not(NESTED(I, test_expr(I, arg, dbl)));
        if (ts_node_eq(op, arg)) return T_UNKNOWN;
        bool unsure = false;
        const char *v = test_operand(I, arg, &unsure);
        if (unsure) return T_UNKNOWN;
        return test_unary(I, ops, v);
    }
    if (TYPE_IS(t, "binary_expression")) {
        TSNode l = field(n, FLD_LEFT);
        TSNode r = field(n, FLD_RIGHT);
        TSNode op = field(n, FLD_OPERATOR);
        if (ts_node_is_null(l) || ts_node_is_null(r) || ts_node_is_null(op)) return T_UNKNOWN;
        char *ops = node_text(I, op);
        if (strcmp(ops, "&&") == 0 || strcmp(ops, "-a") == 0) {
            tri x = NESTED(I, test_expr(I, l, dbl));
            if (x == T_FALSE) return T_FALSE;
            tri y = NESTED(I, test_expr(I, r, dbl));
            if (y == T_FALSE) return T_FALSE;
            return x == T_TRUE && y == T_TRUE ? T_TRUE : T_UNKNOWN;
        }
        if (strcmp(ops, "||") == 0 || strcmp(ops, "-o") == 0) {
            tri x = NESTED(I, test_expr(I, l, dbl));
            if (x == T_TRUE) return T_TRUE;
            tri y = NESTED(I, test_expr(I, r, dbl));
            if (y == T_TRUE) return T_TRUE;
            return x == T_FALSE && y == T_FALSE ? T_FALSE : T_UNKNOWN;
        }
        bool unsure = false;
        const char *lv = test_operand(I, l, &unsure);
        const char *rv = test_operand(I, r, &unsure);
        if (unsure) return T_UNKNOWN;
        if (strcmp(ops, "=~") == 0) {
            /* a quoted right side matches literally; otherwise an ERE */
            if (node_is(r, "string") || node_is(r, "raw_string"))
                return tri_of(strstr(lv, rv) != NULL);
            regex_t re;
            if (regcomp(&re, rv, REG_EXTENDED | REG_NOSUB) != 0) return T_UNKNOWN;
            bool m = regexec(&re, lv, 0, NULL, 0) == 0;
            regfree(&re);
            return tri_of(m);
        }
        bool pattern = dbl && !node_is(r, "string") && !node_is(r, "raw_string");
        return test_binary(lv, ops, rv, pattern);
    }
    /* a lone word: [ "$X" ] */
    bool unsure = false;
    const char *v = test_operand(I, n, &unsure);
    if (unsure) return T_UNKNOWN;
    return tri_of(*v != '\0');
}

static tri run_test_command(interp *I, TSNode n)
{
    size_t len;
    const char *s = node_src(I, n, &len);
    bool dbl = len >= 2 && s[0] == '[' && s[1] == '[';
    uint32_t nc = ts_node_named_child_count(n);
    if (nc != 1) return T_UNKNOWN;
    return test_expr(I, ts_node_named_child(n, 0), dbl);
}

/* ---- commands -------------------------------------------------------------- */

static tri exec_stmt(interp *I, TSNode n);
static tri exec_block(interp *I, TSNode parent, uint32_t from, uint32_t to);

/* Is NAME a command: function, builtin we know, or an executable on PATH? */
static tri command_exists(interp *I, const char *name)
{
    if (func_get(I->st, name)) return T_TRUE;
    if (strchr(name, '/'))
        return tri_of(root_is_executable(I->run->root, abs_path(I, name)));
    static const char *const builtins[] = {"cd", "echo", "export", "source", ".", "test", "[",
        "printf", "read", "set", "unset", "alias", "type", "command", "builtin", "eval", "exec",
        "true", "false", ":", "return", "exit", "shift", "local", "declare", "typeset", "hash"};
    for (size_t i = 0; i < GE_ARRAY_LEN(builtins); i++)
        if (strcmp(name, builtins[i]) == 0) return T_TRUE;
    const sval *p = state_get(I->st, "PATH");
    if (!p || !p->value) return T_FALSE;
    bool unsure = !p->certain || p->opaque;
    for (size_t i = 0; i < p->nentries; i++) {
        const char *dir = p->entries[i].value;
        if (!*dir || dir[0] != '/') { unsure = true; continue; }
        char *path = arena_printf(I->a, "%s/%s", dir, name);
        if (root_is_executable(I->run->root, path)) return T_TRUE;
    }
    return unsure ? T_UNKNOWN : T_FALSE;
}

static const sfile *resolve_source(interp *I, const char *arg, const char **resolved)
{
    *resolved = arg;
    if (arg[0] == '/') {
        *resolved = arg;
        return sim_load(I->run, arg, I->dialect);
    }
    const char *p = abs_path(I, arg);
    if (root_is_file(I->run->root, p) || strchr(arg, '/')) {
        *resolved = p;
        return sim_load(I->run, p, I->dialect);
    }
    const sval *path = state_get(I->st, "PATH");
    for (size_t i = 0; path && i < path->nentries; i++) {
        if (path->entries[i].value[0] != '/') continue;
        char *c = arena_printf(I->a, "%s/%s", path->entries[i].value, arg);
        if (root_is_file(I->run->root, c)) {
            *resolved = c;
            return sim_load(I->run, c, I->dialect);
        }
    }
    *resolved = p;
    return sim_load(I->run, p, I->dialect);
}

static tri do_source(interp *I, char **argv, size_t argc, bool opaque)
{
    sim_loc at = loc_of_node(I, I->stmt);
    if (argc < 2) return T_FALSE;
    if (opaque && (I->args_opaque || !*argv[1])) {
        sim_event_add(I, SIM_EV_OPAQUE, &at, NULL, NULL, NULL, "source of a computed path");
        state_approx(I, &at, "source of a computed path");
        return T_UNKNOWN;
    }
    if (opaque) {
        /* a path known from uncertain values: followed, and what it sets is uncertain */
        bool saved = I->st->uncertain;
        I->st->uncertain = true;
        I->unsure_depth++;
        char *sv[3] = {argv[0], argv[1], NULL};
        tri r = do_source(I, sv, 2, false);
        I->unsure_depth--;
        I->st->uncertain = saved || I->st->escaped;
        return r == T_FALSE ? T_UNKNOWN : r;
    }
    const char *path;
    const sfile *f = resolve_source(I, argv[1], &path);
    if (!f || (!f->src && f->err == SOURCE_ENOENT)) {
        sim_event_add(I, SIM_EV_SOURCE_MISSING, &at, NULL, path, NULL, path);
        return T_FALSE;
    }
    if (!f->src) {
        sim_event_add(I, SIM_EV_UNREADABLE, &at, NULL, path, NULL, f->why);
        state_approx(I, &at, "a sourced file that cannot be read");
        return T_FALSE;
    }
    for (unsigned i = 0; i < I->depth; i++) {
        if (I->stack[i] == f) {
            char *cyc = arena_strdup(I->a, "");
            for (unsigned k = i; k < I->depth; k++)
                cyc = arena_printf(I->a, "%s%s -> ", cyc, I->stack[k]->path);
            cyc = arena_printf(I->a, "%s%s", cyc, f->path);
            sim_event_add(I, SIM_EV_SOURCE_CYCLE, &at, NULL, f->path, NULL, cyc);
            return T_FALSE;
        }
    }
    unsigned maxd = I->run->opt->max_source_depth ? I->run->opt->max_source_depth : SIM_MAX_SOURCE_DEPTH;
    if (maxd > SIM_MAX_SOURCE_DEPTH) maxd = SIM_MAX_SOURCE_DEPTH;
    if (I->depth >= maxd) {
        sim_event_add(I, SIM_EV_SOURCE_DEPTH, &at, NULL, f->path, NULL, f->path);
        state_approx(I, &at, "source nesting bound");
        return T_FALSE;
    }
    char *reason = arena_printf(I->a, "sourced by %s:%d", at.file, at.line);
    interp_file(I, f, reason, &at, (const char **)argv + 2, argc > 2 ? argc - 2 : 0);
    return T_TRUE;
}

static bool opt_name_is(const char *arg, const char *opt)
{
    /* zsh option names ignore case and underscores */
    char a[64];
    size_t k = 0;
    for (const char *p = arg; *p && k + 1 < sizeof(a); p++)
        if (*p != '_') a[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    a[k] = '\0';
    return strcmp(a, opt) == 0;
}

static void do_setopt(interp *I, char **argv, size_t argc, bool set)
{
    for (size_t i = 1; i < argc; i++) {
        bool on = set;
        const char *o = argv[i];
        char low[64];
        size_t k = 0;
        for (const char *p = o; *p && k + 1 < sizeof(low); p++)
            if (*p != '_') low[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        low[k] = '\0';
        const char *name = low;
        if (strncmp(low, "no", 2) == 0 && strcmp(low, "notify") != 0) {
            name = low + 2;
            on = !on;
        }
        zsh_setopt(I, name, on);
        if (opt_name_is(name, "rcs")) I->st->no_rcs = !on;
        if (opt_name_is(name, "globalrcs")) I->st->no_global_rcs = !on;
    }
}

/* NAME=VALUE words of a declaration given as plain words (builtin export ...). */
static void declare_words(interp *I, const char *cmd, char **argv, size_t argc)
{
    bool export = strcmp(cmd, "export") == 0;
    bool unique = false, readonly = strcmp(cmd, "readonly") == 0;
    sim_loc at = here(I);
    for (size_t i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' || a[0] == '+') {
            if (strchr(a, 'x')) export = a[0] == '-';
            if (strchr(a, 'U')) unique = true;
            if (strchr(a, 'r')) readonly = true;
            continue;
        }
        const char *eq = strchr(a, '=');
        if (eq) {
            char *name = arena_strndup(I->a, a, (size_t)(eq - a));
            var_commit(I, name, eq + 1, NULL, 0, false, export ? 1 : 0, ENV_OP_ASSIGN, &at, true, false);
        } else if (export) {
            var_export(I, a, &at);
        }
        if (unique || readonly)
            var_flag(I, eq ? arena_strndup(I->a, a, (size_t)(eq - a)) : a, unique, readonly);
    }
}

static tri call_function(interp *I, const sfunc *fn, char **argv, size_t argc)
{
    if (I->call_depth >= 64) {
        sim_loc at = loc_of_node(I, I->stmt);
        state_approx(I, &at, "function calls nested too deep");
        return T_UNKNOWN;
    }
    const char **saved = I->st->pos;
    size_t savedn = I->st->npos;
    I->st->pos = (const char **)argv + 1;
    I->st->npos = argc - 1;
    bool had = I->have_call_site;
    sim_loc saved_site = I->call_site;
    if (!had) {
        I->have_call_site = true;
        I->call_site = loc_of_node(I, I->stmt);
    }
    const sfile *saved_file = I->file;
    TSNode saved_stmt = I->stmt;
    I->file = fn->file;
    I->call_depth++;
    I->fn_depth++;
    size_t locals = sim_locals_begin(I);
    tri r = exec_stmt(I, fn->body);
    sim_locals_end(I, locals);
    I->fn_depth--;
    I->call_depth--;
    I->file = saved_file;
    I->stmt = saved_stmt;
    I->have_call_site = had;
    I->call_site = saved_site;
    if (I->st->flow == FLOW_RETURN) {
        I->st->flow = FLOW_NEXT;
        r = I->st->ret == 1 ? T_TRUE : I->st->ret == 2 ? T_FALSE : T_UNKNOWN;
        I->st->ret = 0;
    }
    I->st->pos = saved;
    I->st->npos = savedn;
    return r;
}

typedef enum builtin_id {
    B_NOOP = 0, B_TRUE, B_FALSE, B_SOURCE, B_RETURN, B_EXIT, B_BREAK, B_CONTINUE, B_TEST,
    B_COMMAND, B_TYPE, B_SETOPT, B_UNSETOPT, B_SET, B_SHIFT, B_EVAL, B_DECLARE, B_UNSET,
    B_EMULATE, B_BUILTIN, B_SHOPT, B_READ
} builtin_id;

/* Shell built-ins the simulator understands (everything else: function or external). */
static const struct builtin {
    const char *name;
    builtin_id id;
} builtins[] = {
    {".", B_SOURCE}, {"source", B_SOURCE}, {"return", B_RETURN}, {"exit", B_EXIT},
    {"logout", B_EXIT}, {"break", B_BREAK}, {"continue", B_CONTINUE}, {"true", B_TRUE},
    {":", B_TRUE}, {"false", B_FALSE}, {"test", B_TEST}, {"[", B_TEST}, {"command", B_COMMAND},
    {"type", B_TYPE}, {"hash", B_TYPE}, {"which", B_TYPE}, {"whence", B_TYPE},
    {"setopt", B_SETOPT}, {"unsetopt", B_UNSETOPT}, {"set", B_SET}, {"shift", B_SHIFT},
    {"eval", B_EVAL}, {"export", B_DECLARE}, {"declare", B_DECLARE}, {"typeset", B_DECLARE},
    {"local", B_DECLARE}, {"readonly", B_DECLARE}, {"integer", B_DECLARE}, {"unset", B_UNSET},
    {"emulate", B_EMULATE}, {"builtin", B_BUILTIN},
    {"alias", B_NOOP}, {"unalias", B_NOOP}, {"shopt", B_SHOPT}, {"umask", B_NOOP},
    {"ulimit", B_NOOP}, {"bind", B_NOOP}, {"complete", B_NOOP}, {"compdef", B_NOOP},
    {"compinit", B_NOOP}, {"autoload", B_NOOP}, {"zstyle", B_NOOP}, {"bindkey", B_NOOP},
    {"echo", B_NOOP}, {"printf", B_NOOP}, {"cd", B_NOOP}, {"pushd", B_NOOP}, {"popd", B_NOOP},
    {"trap", B_NOOP}, {"add-zsh-hook", B_NOOP}, {"zmodload", B_NOOP}, {"stty", B_NOOP},
    {"mesg", B_NOOP}, {"history", B_NOOP}, {"fc", B_NOOP}, {"read", B_READ}, {"wait", B_NOOP},
};

static tri run_words(interp *I, char **argv, size_t argc, bool opaque);
static bool is_reserved_word(const char *w);

static void do_assignment(interp *I, TSNode n, int export_mode, bool local);

static tri exec_command(interp *I, TSNode n)
{
    TSNode name = field(n, FLD_NAME);
    uint32_t nc = ts_node_child_count(n);
    TSNode nodes[256];
    size_t nn = 0;
    if (!ts_node_is_null(name)) {
        /* PATH=$PATH:$GOPATH/bin: the grammar makes GOPATH/bin the command name */
        TSNode prev = {0};
        for (uint32_t i = 0; i < nc; i++) {
            TSNode c = kid(I, n, i);
            if (ts_node_eq(c, name)) break;
            if (node_is(c, "variable_assignment")) prev = c;
        }
        if (dollar_glued(prev, name)) {
            bool args = false;
            for (uint32_t i = 0; i < nc; i++) {
                const char *f = ts_node_field_name_for_child(n, i);
                if (f && strcmp(f, "argument") == 0) args = true;
            }
            if (!args) {
                for (uint32_t i = 0; i < nc; i++) {
                    TSNode c = kid(I, n, i);
                    if (!node_is(c, "variable_assignment")) continue;
                    if (ts_node_eq(c, prev)) I->glue_tail = name;
                    do_assignment(I, c, 0, false);
                    I->glue_tail = (TSNode){0};
                }
                return T_TRUE;
            }
            name = (TSNode){0};
            for (uint32_t i = 0; i < nc && nn < GE_ARRAY_LEN(nodes); i++) {
                const char *f = ts_node_field_name_for_child(n, i);
                if (f && strcmp(f, "argument") == 0)
                    nodes[nn++] = kid(I, n, i);
            }
            goto expand; /* a temporary assignment for the command in the arguments */
        }
    }
    if (ts_node_is_null(name)) {
        /* only assignments: FOO=1 BAR=2 with no command */
        uint32_t cnt = ts_node_named_child_count(n);
        for (uint32_t i = 0; i < cnt; i++) {
            TSNode c = ts_node_named_child(n, i);
            if (node_is(c, "variable_assignment"))
                exec_stmt(I, c);
        }
        return T_TRUE;
    }
    nodes[nn++] = ts_node_named_child_count(name) ? ts_node_named_child(name, 0) : name;
    /* arguments: named children after the name (the grammar does not always
     * tag a word it split off as an argument) */
    bool after = false;
    for (uint32_t i = 0; i < nc && nn < GE_ARRAY_LEN(nodes); i++) {
        TSNode c = kid(I, n, i);
        if (ts_node_eq(c, name)) { after = true; continue; }
        if (!after || !ts_node_is_named(c)) continue;
        const char *ct = ts_node_type(c);
        if (strstr(ct, "redirect") || TYPE_IS(ct, "comment")) continue;
        nodes[nn++] = c;
    }
expand:;
    strvec argv = {0};
    fields_acc acc = {&argv, false, false, false};
    expand_args_acc(I, nodes, nn, &acc);
    if (nn && node_is(nodes[0], "arithmetic_expansion"))
        acc.first_opaque = false; /* (( ... )): a test, not a command to find */
    if (argv.n == 0) {
        if (acc.first_opaque) {
            sim_loc at = loc_of_node(I, I->stmt);
            state_approx(I, &at, "command computed by $(...)");
        }
        return T_TRUE;
    }
    if (acc.first_opaque) {
        /* a command name only known at run time: it could be anything */
        sim_loc at = loc_of_node(I, I->stmt);
        sim_event_add(I, SIM_EV_OPAQUE, &at, NULL, NULL, NULL, "computed command name");
        state_approx(I, &at, "computed command name");
        return T_UNKNOWN;
    }
    sv_push(I->a, &argv, NULL);
    I->args_opaque = acc.opaque;
    tri r = run_words(I, argv.v, argv.n - 1, acc.opaque || acc.uncertain);
    I->args_opaque = false;
    return r;
}

/* What `eval "$(tool ...)"` of a few well-known tools sets; anything else
 * evaluated could set any name. */
static void eval_skipped(interp *I, char **argv, size_t argc, const sim_loc *at)
{
    static const struct {
        const char *tool;
        const char *names[3];
    } known[] = {
        {"dircolors", {"LS_COLORS"}},
        {"lesspipe", {"LESSOPEN", "LESSCLOSE"}},
        {"ssh-agent", {"SSH_AUTH_SOCK", "SSH_AGENT_PID"}},
        {"keychain", {"SSH_AUTH_SOCK", "SSH_AGENT_PID", "GPG_AGENT_INFO"}},
        {"gpg-agent", {"GPG_AGENT_INFO", "SSH_AUTH_SOCK"}},
        {"starship init", {"STARSHIP_SHELL", "STARSHIP_SESSION_KEY", "PROMPT_COMMAND"}},
        {"zoxide init", {"PROMPT_COMMAND"}},
        {"direnv hook", {"PROMPT_COMMAND"}},
        {"thefuck --alias", {"TF_ALIAS"}},
    };
    strbuf sb = STRBUF_INIT;
    for (size_t i = 1; i < argc; i++) {
        if (i > 1) strbuf_addc(&sb, ' ');
        strbuf_adds(&sb, argv[i]);
    }
    const char *text = sb.data ? sb.data : "";
    const char *inner = strstr(text, "$(");
    inner = inner ? inner + 2 : (text[0] == '`' ? text + 1 : NULL);
    bool done = false;
    for (size_t k = 0; inner && k < GE_ARRAY_LEN(known) && !done; k++) {
        const char *p = inner;
        while (*p == ' ') p++;
        const char *slash = NULL;
        for (const char *q = p; *q && *q != ' '; q++)
            if (*q == '/') slash = q;
        if (slash) p = slash + 1; /* /usr/bin/dircolors */
        size_t tl = strlen(known[k].tool);
        if (strncmp(p, known[k].tool, tl) != 0 || (p[tl] && !strchr(" )`", p[tl])) ||
            strpbrk(p, ";&|"))
            continue;
        for (size_t j = 0; j < GE_ARRAY_LEN(known[k].names) && known[k].names[j]; j++)
            var_touch(I, known[k].names[j], at);
        done = true;
    }
    strbuf_release(&sb);
    if (!done)
        state_approx(I, at, "eval");
}

static tri run_words(interp *I, char **argv, size_t argc, bool opaque)
{
    const char *cmd = argv[0];
    const sfunc *fn = func_get(I->st, cmd);
    if (fn)
        return call_function(I, fn, argv, argc);
    const struct builtin *b = NULL;
    for (size_t i = 0; i < GE_ARRAY_LEN(builtins); i++)
        if (builtins[i].name[0] == cmd[0] && strcmp(builtins[i].name, cmd) == 0) {
            b = &builtins[i];
            break;
        }
    if (!b && is_reserved_word(cmd)) {
        /* `do source $f` as a command: the grammar lost the loop around it */
        sim_loc at = loc_of_node(I, I->stmt);
        sim_event_add(I, SIM_EV_OPAQUE, &at, NULL, NULL, NULL, "unparsed region");
        state_approx(I, &at, "unparsed region");
        return T_UNKNOWN;
    }
    if (!b) {
        const char *base = strrchr(cmd, '/') ? strrchr(cmd, '/') + 1 : cmd;
        if (strcmp(base, "test") == 0 || strcmp(base, "[") == 0)
            return test_args(I, argv + 1, argc - 1);
        tri e = command_exists(I, cmd);
        return e == T_FALSE ? T_FALSE : T_UNKNOWN; /* externals run, we do not */
    }
    sim_loc at = loc_of_node(I, I->stmt);
    switch (b->id) {
    case B_NOOP: case B_TRUE: return T_TRUE;
    case B_FALSE: return T_FALSE;
    case B_SOURCE: return do_source(I, argv, argc, opaque);
    case B_RETURN:
        I->st->flow = FLOW_RETURN;
        I->st->ret = 0;
        if (argc == 2 && !opaque && !I->st->uncertain && argv[1][0] &&
            strspn(argv[1], "0123456789") == strlen(argv[1]))
            I->st->ret = strtol(argv[1], NULL, 10) % 256 == 0 ? 1 : 2;
        if (I->fn_depth == 0 && !I->st->uncertain)
            sim_event_add(I, SIM_EV_EARLY_RETURN, &at, NULL, I->file->path, NULL, NULL);
        return T_TRUE;
    case B_EXIT: I->st->flow = FLOW_EXIT; return T_TRUE;
    case B_BREAK: I->st->flow = FLOW_BREAK; return T_TRUE;
    case B_CONTINUE: I->st->flow = FLOW_CONTINUE; return T_TRUE;
    case B_TEST: {
        size_t n = argc - 1;
        if (strcmp(cmd, "[") == 0 && n > 0 && strcmp(argv[argc - 1], "]") == 0) n--;
        if (opaque) return T_UNKNOWN;
        return test_args(I, argv + 1, n);
    }
    case B_COMMAND: case B_TYPE: {
        size_t i = 1;
        bool query = b->id == B_TYPE;
        while (i < argc && argv[i][0] == '-') {
            if (strchr(argv[i], 'v') || strchr(argv[i], 'V')) query = true;
            i++;
        }
        if (i >= argc) return T_TRUE;
        if (query) {
            tri t = command_exists(I, argv[i]);
            return opaque && t == T_FALSE ? T_UNKNOWN : t;
        }
        return NESTED(I, run_words(I, argv + i, argc - i, opaque));
    }
    case B_SHOPT: {
        /* shopt -q login_shell: answered from the context */
        bool query = false, o_opt = false;
        for (size_t i = 1; i < argc; i++) {
            if (argv[i][0] == '-') {
                query |= strchr(argv[i], 'q') != NULL;
                o_opt |= strchr(argv[i], 'o') != NULL;
                continue;
            }
            if (!query) return T_TRUE;
            if (strcmp(argv[i], "login_shell") == 0) return tri_of(I->login);
            if (o_opt && strcmp(argv[i], "posix") == 0) return T_FALSE;
            if (strcmp(argv[i], "progcomp") == 0) return T_TRUE;
            return T_UNKNOWN;
        }
        return T_TRUE;
    }
    case B_BUILTIN:
        return argc > 1 ? NESTED(I, run_words(I, argv + 1, argc - 1, opaque)) : T_TRUE;
    case B_SETOPT: do_setopt(I, argv, argc, true); return T_TRUE;
    case B_UNSETOPT: do_setopt(I, argv, argc, false); return T_TRUE;
    case B_SET:
        for (size_t i = 1; i < argc; i++) {
            if (strcmp(argv[i], "--") == 0) {
                I->st->pos = (const char **)argv + i + 1;
                I->st->npos = argc - i - 1;
                break;
            }
            if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "+o") == 0) {
                if (i + 1 < argc) {
                    char *sv[3] = {NULL, argv[i + 1], NULL};
                    do_setopt(I, sv, 2, argv[i][0] == '-');
                }
                i++;
            }
        }
        return T_TRUE;
    case B_SHIFT: {
        long k = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
        if (k < 0) k = 0;
        if ((size_t)k > I->st->npos) return T_FALSE;
        I->st->pos += k;
        I->st->npos -= (size_t)k;
        return T_TRUE;
    }
    case B_EVAL:
        sim_event_add(I, SIM_EV_OPAQUE, &at, NULL, NULL, NULL, "eval");
        eval_skipped(I, argv, argc, &at);
        return T_UNKNOWN;
    case B_READ:
        /* read from a terminal or a pipe: the names get unknown values */
        for (size_t i = 1; i < argc; i++)
            if (argv[i][0] != '-' && (i == 1 || strcmp(argv[i - 1], "-d") != 0))
                var_touch(I, argv[i], &at);
        if (argc == 1) var_touch(I, "REPLY", &at);
        return T_UNKNOWN;
    case B_DECLARE: declare_words(I, cmd, argv, argc); return T_TRUE;
    case B_UNSET: {
        bool funcs = false;
        for (size_t i = 1; i < argc; i++) {
            if (argv[i][0] == '-') { funcs = strchr(argv[i], 'f') != NULL; continue; }
            if (funcs) func_del(I->a, I->st, argv[i]);
            else var_unset(I, argv[i], &at);
        }
        return T_TRUE;
    }
    case B_EMULATE:
        /* emulate sh -c 'source /etc/profile' (Arch's /etc/zsh/zprofile) */
        for (size_t i = 1; i + 1 < argc; i++) {
            if (strcmp(argv[i], "-c") == 0) {
                const char *code = argv[i + 1];
                while (*code == ' ') code++;
                const char *arg = NULL;
                if (strncmp(code, "source ", 7) == 0) arg = code + 7;
                else if (strncmp(code, ". ", 2) == 0) arg = code + 2;
                if (arg && !strpbrk(arg, ";&|$`")) {
                    while (*arg == ' ') arg++;
                    char *sv[3] = {(char *)".", arena_strdup(I->a, arg), NULL};
                    char *end = sv[1] + strlen(sv[1]);
                    while (end > sv[1] && end[-1] == ' ') *--end = '\0';
                    shell_dialect d = I->dialect;
                    I->dialect = SHELL_SH;
                    tri r = do_source(I, sv, 2, false);
                    I->dialect = d;
                    return r;
                }
                sim_event_add(I, SIM_EV_OPAQUE, &at, NULL, NULL, NULL, "emulate -c");
                return T_UNKNOWN;
            }
        }
        return T_TRUE;
    }
    return T_UNKNOWN;
}

/* ---- assignments and declarations ------------------------------------------ */

/* Entries of a new PATH-like value, keeping the provenance of entries that
 * came whole from an expansion of a path-like variable. */
static path_entry *entries_from_word(interp *I, const xword *w, const sim_loc *at, size_t *n)
{
    const char *s = xw_str(w);
    size_t cnt = 1;
    for (const char *p = s; *p; p++)
        if (*p == ':') cnt++;
    path_entry *e = arena_alloc(I->a, cnt * sizeof(*e));
    /* ':' before each span, counted once per span: counting them again for
     * every entry made 10,000 PATH appends cubic */
    size_t *before = w->nspans ? arena_alloc(I->a, w->nspans * sizeof(*before)) : NULL;
    for (size_t j = 0; j < w->nspans; j++)
        before[j] = SIZE_MAX;
    size_t k = 0, start = 0, len = w->len;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != ':') continue;
        path_entry *pe = &e[k];
        pe->value = NULL;
        pe->at = *at;
        for (size_t j = 0; j < w->nspans; j++) {
            const xspan *sp = &w->spans[j];
            if (sp->start > start || sp->end < i || !sp->var->entries) continue;
            if (before[j] == SIZE_MAX) {
                before[j] = 0;
                for (size_t q = 0; q < sp->start; q++)
                    if (s[q] == ':') before[j]++;
            }
            size_t idx = k - before[j];
            if (sp->index >= 0) idx = (size_t)sp->index;
            if (idx < sp->var->nentries) {
                const path_entry *old = &sp->var->entries[idx];
                if (strncmp(old->value, s + start, i - start) == 0 && old->value[i - start] == '\0') {
                    pe->value = old->value; /* shared: entries are immutable */
                    pe->at = old->at;
                }
            }
            break;
        }
        if (!pe->value)
            pe->value = arena_strndup(I->a, s + start, i - start);
        k++;
        start = i + 1;
    }
    *n = k;
    return e;
}

typedef struct array_acc {
    path_entry *e;
    size_t n, cap;
    sim_loc at;
    bool opq, unc;
} array_acc;

/* Elements of an array assignment, keeping the provenance of elements that
 * came whole from another array ($path). */
static void array_push(interp *I, xlist *l, void *ud)
{
    array_acc *acc = ud;
    acc->opq |= l->opaque;
    acc->unc |= l->uncertain;
    for (size_t k = 0; k < l->n; k++) {
        const xword *w = &l->w[k];
        if (w->len == 0 && (!w->quoted || w->vanish)) continue;
        const char *gs = xw_str(w);
        strvec m = {0};
        if (w->glob && !w->opaque && glob_word_p(I, gs) && word_glob(I, gs, &m, &acc->unc)) {
            /* arr=(*.zsh) and path=(~/bin(N) $path) glob as arguments do */
            for (size_t j = 0; j < m.n; j++) {
                if (acc->n == acc->cap) {
                    acc->e = arena_grow(I->a, acc->e, acc->cap, acc->cap * 2, sizeof(*acc->e));
                    acc->cap *= 2;
                }
                acc->e[acc->n].value = m.v[j];
                acc->e[acc->n++].at = acc->at;
            }
            continue;
        }
        if (acc->n == acc->cap) {
            acc->e = arena_grow(I->a, acc->e, acc->cap, acc->cap * 2, sizeof(*acc->e));
            acc->cap *= 2;
        }
        path_entry *pe = &acc->e[acc->n++];
        pe->value = arena_strdup(I->a, xw_str(w));
        pe->at = acc->at;
        if (w->nspans == 1 && w->spans[0].index >= 0 && w->spans[0].start == 0 &&
            w->spans[0].end == w->len) {
            const xspan *sp = &w->spans[0];
            if ((size_t)sp->index < sp->var->nentries)
                pe->at = sp->var->entries[sp->index].at;
        }
    }
}

static void do_assignment(interp *I, TSNode n, int export_mode, bool local)
{
    TSNode name = field(n, FLD_NAME);
    TSNode value = field(n, FLD_VALUE);
    if (ts_node_is_null(name)) return;
    if (node_is(name, "subscript")) {
        TSNode vn = field(name, FLD_NAME);
        if (ts_node_is_null(vn)) return;
        name = vn; /* arr[i]=x: the array is changed, approximately */
    }
    char *nm = node_text(I, name);
    bool append = false;
    {
        uint32_t ne = ts_node_end_byte(name);
        const char *d = I->file->src->data;
        if (ne + 1 < I->file->src->len && d[ne] == '+' && d[ne + 1] == '=')
            append = true;
    }
    sim_loc at = here(I);
    const char *tied = tied_scalar(I, nm);
    const char *sname = tied ? tied : nm;
    const sval *old = state_get(I->st, sname);
    (void)local;

    if (!ts_node_is_null(value) && node_is(value, "array")) {
        /* zsh/bash array: path=(a b $path), path+=(x) */
        size_t ne = 0, cap = 8;
        path_entry *e = arena_alloc(I->a, cap * sizeof(*e));
        bool opq = false, unc = false;
        if (append && old && old->entries) {
            while (cap < old->nentries + 8) cap *= 2;
            e = arena_alloc(I->a, cap * sizeof(*e));
            memcpy(e, old->entries, old->nentries * sizeof(*e));
            ne = old->nentries;
        }
        array_acc acc = {e, ne, cap, at, false, false};
        uint32_t nc = ts_node_named_child_count(value);
        TSNode *elems = arena_alloc(I->a, (nc ? nc : 1) * sizeof(TSNode));
        for (uint32_t i = 0; i < nc; i++)
            elems[i] = ts_node_named_child(value, i);
        for (uint32_t i = 0; i < nc;) {
            size_t run = glued_run(elems + i, nc - i);
            bool whole = run == 1 ? expand_word_alts(I, elems[i], array_push, &acc)
                                  : expand_run_alts(I, elems + i, run, array_push, &acc);
            if (!whole)
                acc.unc = true;
            i += (uint32_t)run;
        }
        e = acc.e;
        ne = acc.n;
        opq = acc.opq;
        unc = acc.unc;
        if (!tied && I->dialect == SHELL_ZSH && export_mode > 0)
            export_mode = 0; /* zsh puts no array in the environment */
        char *joined = entries_join(I->a, e, ne, tied ? ':' : ' ');
        var_commit(I, nm, joined, e, ne, true, export_mode,
                   append ? ENV_OP_APPEND : ENV_OP_ASSIGN, &at, !unc, opq);
        return;
    }
    xlist l = {0};
    bool opq = false, unc = false;
    const char *v = "";
    if (!ts_node_is_null(value))
        v = expand_string_mode(I, value, &opq, &unc, &l,
                               X_QUOTED | (I->dialect == SHELL_ZSH ? 0 : X_ASSIGN));
    bool pl = sim_is_path_like(sname) || tied;
    if (append) {
        if (tied) {
            /* path+=x in zsh appends an element */
            size_t ne = old && old->entries ? old->nentries : 0;
            path_entry *e = arena_alloc(I->a, (ne + 1) * sizeof(*e));
            if (ne) memcpy(e, old->entries, ne * sizeof(*e));
            e[ne].value = arena_strdup(I->a, v);
            e[ne].at = at;
            var_commit(I, nm, entries_join(I->a, e, ne + 1, ':'), e, ne + 1, true, export_mode,
                       ENV_OP_APPEND, &at, !unc, opq);
            return;
        }
        const char *ov = old && old->value ? old->value : "";
        char *nv = arena_printf(I->a, "%s%s", ov, v);
        path_entry *e = NULL;
        size_t ne = 0;
        if (pl && old && old->entries) {
            size_t nn;
            path_entry *add = entries_split(I->a, v, &at, &nn);
            /* "x" appended to "a:b" extends the last entry; ":x" adds one */
            ne = old->nentries + nn - 1;
            e = arena_alloc(I->a, (ne + 1) * sizeof(*e));
            memcpy(e, old->entries, old->nentries * sizeof(*e));
            e[old->nentries - 1].value = arena_printf(I->a, "%s%s", old->entries[old->nentries - 1].value, add[0].value);
            if (add[0].value[0]) e[old->nentries - 1].at = at;
            memcpy(e + old->nentries, add + 1, (nn - 1) * sizeof(*e));
        }
        var_commit(I, nm, nv, e, ne, false, export_mode, ENV_OP_APPEND, &at,
                   !unc && (!old || old->certain), opq || (old && old->opaque));
        return;
    }
    path_entry *e = NULL;
    size_t ne = 0;
    if (pl && l.n)
        e = entries_from_word(I, &l.w[0], &at, &ne);
    var_commit(I, nm, v, e, ne, false, export_mode, ENV_OP_ASSIGN, &at, !unc, opq);
}

/* Is n preceded by a backslash-newline (a word continued on the next line)? */
static bool continued_line(const interp *I, TSNode n)
{
    uint32_t s = ts_node_start_byte(n);
    const char *d = I->file->src->data;
    return s >= 2 && d[s - 1] == '\n' && d[s - 2] == '\\';
}

static void exec_declaration(interp *I, TSNode n)
{
    uint32_t nc = ts_node_child_count(n);
    const char *kw = NULL;
    int export_mode = 0;
    bool unique = false, readonly = false, local = false, funcs = false;
    const char *last_assigned = NULL;
    sim_loc at = here(I);
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = kid(I, n, i);
        const char *t = ts_node_type(c);
        if (!ts_node_is_named(c)) {
            if (!kw) {
                kw = node_text(I, c);
                if (strcmp(kw, "export") == 0) export_mode = 1;
                if (strcmp(kw, "readonly") == 0) readonly = true;
                if (strcmp(kw, "local") == 0) local = true;
                /* typeset and declare inside a function make locals too (unless -g) */
                if (I->call_depth && strcmp(kw, "export") != 0 && strcmp(kw, "readonly") != 0)
                    local = true;
            }
            continue;
        }
        if (TYPE_IS(t, "variable_assignment")) {
            TSNode nm = field(c, FLD_NAME);
            if (local && !ts_node_is_null(nm)) sim_local_declare(I, node_text(I, nm));
            TSNode next = i + 1 < nc ? kid(I, n, i + 1) : (TSNode){0};
            bool glued = dollar_glued(c, next);
            if (glued) I->glue_tail = next;
            do_assignment(I, c, export_mode, local);
            I->glue_tail = (TSNode){0};
            if (glued) i++;
            if (!ts_node_is_null(nm)) last_assigned = node_text(I, nm);
            if ((unique || readonly) && !ts_node_is_null(nm))
                var_flag(I, node_text(I, nm), unique, readonly);
            continue;
        }
        if (last_assigned && continued_line(I, c)) {
            /* `export X=a:\` + newline + `b`: the grammar splits the word */
            var_touch(I, last_assigned, &at);
            continue;
        }
        char *w = node_text(I, c);
        if (TYPE_IS(t, "word") && (w[0] == '-' || w[0] == '+')) {
            if (strchr(w, 'x')) export_mode = w[0] == '-' ? 1 : -1;
            if (strchr(w, 'U') && w[0] == '-') unique = true;
            if (strchr(w, 'r') && w[0] == '-') readonly = true;
            if (strchr(w, 'f') && w[0] == '-') funcs = true;
            if (strchr(w, 'g') && w[0] == '-') local = false;
            continue;
        }
        if (funcs) continue;
        if (TYPE_IS(t, "variable_name") || TYPE_IS(t, "word")) {
            if (local) sim_local_declare(I, w);
            if (export_mode > 0) var_export(I, w, &at);
            else if (!state_get(I->st, tied_scalar(I, w) ? tied_scalar(I, w) : w) && !unique)
                var_commit(I, w, "", NULL, 0, false, 0, ENV_OP_ASSIGN, &at, true, false);
            if (unique || readonly) var_flag(I, w, unique, readonly);
        } else {
            /* computed names: export "$x" */
            sim_event_add(I, SIM_EV_OPAQUE, &at, NULL, NULL, NULL, "computed variable name");
            state_approx(I, &at, "computed variable name");
        }
    }
}

static void exec_unset(interp *I, TSNode n)
{
    uint32_t nc = ts_node_named_child_count(n);
    sim_loc at = here(I);
    bool funcs = false;
    for (uint32_t i = 0; i < nc; i++) {
        char *w = node_text(I, ts_node_named_child(n, i));
        if (w[0] == '-') { funcs = strchr(w, 'f') != NULL; continue; }
        if (funcs) func_del(I->a, I->st, w);
        else var_unset(I, w, &at);
    }
}

/* ---- control flow ------------------------------------------------------------ */

/* Run `body(I, ud)` on a fork of the state and merge it with the state
 * that skipped it (an undecided test). */
typedef tri (*branch_fn)(interp *I, void *ud);

static tri stmt_fn(interp *I, void *ud);

static void run_maybe(interp *I, branch_fn fn, void *ud)
{
    note_undecided(I, fn == stmt_fn ? *(TSNode *)ud : I->stmt);
    sstate *base = I->st;
    sstate *fork = state_fork(I->a, base);
    fork->uncertain = true;
    I->st = fork;
    fn(I, ud);
    sstate *dst = state_fork(I->a, base);
    state_merge(I->a, base, dst, I->st);
    I->st = dst;
}

static tri stmt_fn(interp *I, void *ud)
{
    return exec_stmt(I, *(TSNode *)ud);
}

/* Children [from, to) of parent as statements. */
static tri exec_block(interp *I, TSNode parent, uint32_t from, uint32_t to)
{
    tri last = T_TRUE;
    uint32_t cnt;
    const TSNode *v = kids_of(I, parent, &cnt);
    for (uint32_t i = from; i < to && i < cnt; i++) {
        TSNode c = v[i];
        if (!ts_node_is_named(c) || node_is(c, "comment"))
            continue;
        last = exec_stmt(I, c);
        if (I->st->flow != FLOW_NEXT || I->step_limit_hit)
            break;
    }
    return last;
}

/* A clause: children before "then"/"do"/")" are the condition. */
static uint32_t find_token(TSNode n, const char *tok, uint32_t from)
{
    uint32_t nc = ts_node_child_count(n);
    for (uint32_t i = from; i < nc; i++) {
        TSNode c = ts_node_child(n, i);
        if (!ts_node_is_named(c) && strcmp(ts_node_type(c), tok) == 0)
            return i;
    }
    return nc;
}

/* An undecided branch of if/case: run statements [from, to) of node on a
 * fork of *cur, fold the outcome into *acc, and go on along an uncertain
 * copy of *cur (the branch not taken). */
static void branch_undecided(interp *I, sstate *base, sstate **cur, sstate **acc, TSNode node,
                             uint32_t from, uint32_t to)
{
    note_undecided(I, node);
    sstate *fork = state_fork(I->a, *cur);
    fork->uncertain = true;
    I->st = fork;
    exec_block(I, node, from, to);
    if (!*acc)
        *acc = I->st;
    else
        state_merge(I->a, base, *acc, I->st);
    *cur = state_fork(I->a, *cur);
    (*cur)->uncertain = true;
}

/* After the branches: merge the undecided outcomes into the state that
 * goes on; any undecided branch makes the whole statement undecided. */
static tri branches_join(interp *I, sstate *base, sstate *cur, sstate *acc, tri result)
{
    if (acc) {
        state_merge(I->a, base, cur, acc);
        result = T_UNKNOWN;
    }
    I->st = cur;
    return result;
}

static tri exec_if(interp *I, TSNode n)
{
    /* arms: if, elif..., else; each with condition range and body range */
    typedef struct arm { TSNode node; uint32_t cfrom, cto, bfrom, bto; bool is_else; } arm;
    arm arms[64];
    size_t narms = 0;
    uint32_t nc = ts_node_child_count(n);
    uint32_t then = find_token(n, "then", 0);
    uint32_t body_end = then;
    while (body_end < nc) {
        TSNode c = kid(I, n, body_end);
        if (node_is(c, "elif_clause") || node_is(c, "else_clause") || (!ts_node_is_named(c) && strcmp(ts_node_type(c), "fi") == 0))
            break;
        body_end++;
    }
    arms[narms++] = (arm){n, 1, then, then + 1, body_end, false};
    for (uint32_t i = body_end; i < nc && narms < GE_ARRAY_LEN(arms); i++) {
        TSNode c = kid(I, n, i);
        if (node_is(c, "elif_clause")) {
            uint32_t t = find_token(c, "then", 0);
            arms[narms++] = (arm){c, 1, t, t + 1, ts_node_child_count(c), false};
        } else if (node_is(c, "else_clause")) {
            arms[narms++] = (arm){c, 1, 1, 1, ts_node_child_count(c), true};
        }
    }
    /* Walk arms: decided ones run or are skipped; undecided ones fork. */
    sstate *base = I->st, *cur = base, *acc = NULL;
    tri result = T_TRUE;
    for (size_t k = 0; k < narms; k++) {
        arm *a = &arms[k];
        I->st = cur;
        tri c = a->is_else ? T_TRUE : exec_block(I, a->node, a->cfrom, a->cto);
        cur = I->st;
        if (cur->flow != FLOW_NEXT) break;
        if (c == T_FALSE) continue;
        if (c == T_TRUE) {
            result = exec_block(I, a->node, a->bfrom, a->bto);
            cur = I->st;
            break;
        }
        /* undecided: run the body on a fork, go on along the other path */
        branch_undecided(I, base, &cur, &acc, a->node, a->bfrom, a->bto);
    }
    return branches_join(I, base, cur, acc, result);
}

static tri exec_case(interp *I, TSNode n)
{
    TSNode value = field(n, FLD_VALUE);
    bool opq = false, unc = false;
    const char *v = ts_node_is_null(value) ? "" : expand_string(I, value, &opq, &unc, NULL);
    bool unknown = opq || unc;
    uint32_t nc = ts_node_named_child_count(n);
    sstate *base = I->st, *cur = base, *acc = NULL;
    tri result = T_TRUE;
    for (uint32_t i = 0; i < nc; i++) {
        TSNode item = ts_node_named_child(n, i);
        if (!node_is(item, "case_item")) continue;
        tri match = T_FALSE;
        uint32_t ic = ts_node_child_count(item);
        uint32_t body_from = ic;
        /* One alternative may come as several adjacent value nodes: the
         * grammar splits *":/usr/bin:"* into *, the string and *. Join them,
         * quoted parts with their glob characters escaped. */
        strbuf pat = STRBUF_INIT;
        bool have = false, popq = false;
        uint32_t last_end = 0;
        for (uint32_t k = 0; k <= ic; k++) {
            TSNode c = k < ic ? kid(I, item, k) : (TSNode){0};
            bool close = k == ic || (!ts_node_is_named(c) && strcmp(ts_node_type(c), ")") == 0);
            /* every named node before ")" is a pattern piece: the runtime
             * labels only some of them "value" (`''|\#*)` lost `\#*`) */
            bool is_value = !close && ts_node_is_named(c) && !node_is(c, "comment");
            bool adjacent = is_value && have && ts_node_start_byte(c) == last_end;
            if (have && !adjacent) {
                /* an alternative is complete: match it */
                const char *pt = pat.data ? pat.data : "";
                if (!popq && strcmp(pt, "*") == 0)
                    match = T_TRUE;
                else if (popq || unknown) {
                    if (match == T_FALSE) match = T_UNKNOWN;
                } else if (fnmatch(pt, v, 0) == 0) {
                    match = T_TRUE;
                }
                strbuf_reset(&pat);
                have = popq = false;
            }
            if (close) {
                body_from = k < ic ? k + 1 : ic;
                break;
            }
            if (!is_value) continue;
            xlist pl = {0};
            expand_node(I, c, &pl, 0);
            const char *part = pl.n ? xw_str(&pl.w[0]) : "";
            popq = popq || pl.opaque || pl.uncertain;
            if (node_is(c, "string") || node_is(c, "raw_string")) {
                for (const char *q = part; *q; q++) {
                    if (strchr("*?[]\\", *q))
                        strbuf_addc(&pat, '\\');
                    strbuf_addc(&pat, *q);
                }
            } else {
                strbuf_adds(&pat, part);
            }
            have = true;
            last_end = ts_node_end_byte(c);
        }
        strbuf_release(&pat);
        if (match == T_FALSE) continue;
        I->st = cur;
        if (match == T_TRUE) {
            exec_block(I, item, body_from, ic);
            cur = I->st;
            break;
        }
        branch_undecided(I, base, &cur, &acc, item, body_from, ic);
    }
    return branches_join(I, base, cur, acc, result);
}

/* ---- prefetch hints -------------------------------------------------------- */

static const char *sfile_path_at(const void *arr, size_t i);

/* Files larger than this are not scanned for hints (they are still read). */
#define HINT_MAX_SCAN (1u << 20)

static bool hint_name_char(char c, bool first)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
}

/* A source command's word expanded the cheap way: quotes, a leading ~, $NAME
 * and ${NAME} from the current state, bind=bval on top (a for loop's
 * variable). False for anything else ($(...), globs, ${x:-y}, escapes): a
 * hint is a guess, the interpreter expands the word itself when it runs. */
static bool hint_expand(interp *I, const char *w, size_t len, const char *bind, const char *bval,
                        char *out, size_t outlen)
{
    size_t o = 0, i = 0;
    char quote = 0;
#define HINT_PUT(str, n)                                                  \
    do {                                                                  \
        if (o + (n) >= outlen) return false;                              \
        memcpy(out + o, (str), (n));                                      \
        o += (n);                                                         \
    } while (0)
    if (len && w[0] == '~' && (len == 1 || w[1] == '/')) {
        const char *h = home_dir(I);
        HINT_PUT(h, strlen(h));
        i = 1;
    }
    while (i < len) {
        char c = w[i];
        if (quote == '\'') {
            if (c == '\'') quote = 0;
            else HINT_PUT(&c, 1);
            i++;
        } else if (c == '\'' && !quote) {
            quote = c;
            i++;
        } else if (c == '"') {
            quote = quote ? 0 : '"';
            i++;
        } else if (c == '$') {
            bool brace = i + 1 < len && w[i + 1] == '{';
            size_t k = i + 1 + brace, st = k;
            while (k < len && hint_name_char(w[k], k == st)) k++;
            if (k == st || (brace && (k >= len || w[k] != '}'))) return false;
            char name[128];
            if (k - st >= sizeof(name)) return false;
            memcpy(name, w + st, k - st);
            name[k - st] = '\0';
            const char *v = NULL;
            if (bind && strcmp(name, bind) == 0) {
                v = bval;
            } else {
                const sval *sv = state_get(I->st, name);
                if (sv && sv->value && !sv->opaque && !sv->array) v = sv->value;
            }
            if (!v) return false;
            HINT_PUT(v, strlen(v));
            i = k + brace;
        } else if (strchr("\\`*?[", c)) {
            return false;
        } else {
            HINT_PUT(&c, 1);
            i++;
        }
    }
#undef HINT_PUT
    if (quote || o == 0) return false;
    out[o] = '\0';
    return true;
}

/* Ask the prefetcher for the files the text [s, s+len) will source: every
 * `. WORD` and `source WORD` at the start of a command (comment lines
 * skipped), WORD expanded by hint_expand. */
static void hint_scan(interp *I, const char *s, size_t len, const char *bind, const char *bval)
{
    sim_runner *run = I->run;
    if (!run->pf || len > HINT_MAX_SCAN) return;
    size_t i = 0;
    while (i < len) {
        size_t eol = i;
        while (eol < len && s[eol] != '\n') eol++;
        size_t k = i;
        while (k < eol && (s[k] == ' ' || s[k] == '\t')) k++;
        bool comment = k < eol && s[k] == '#';
        for (; !comment && k < eol; k++) {
            if ((s[k] != '.' && s[k] != 's') ||
                (k > i && s[k - 1] != ' ' && s[k - 1] != '\t' && s[k - 1] != ';' && s[k - 1] != '&' &&
                 s[k - 1] != '|' && s[k - 1] != '(' && s[k - 1] != '{'))
                continue;
            size_t kw = 0;
            if (s[k] == '.') kw = 1;
            else if (eol - k > 6 && memcmp(s + k, "source", 6) == 0) kw = 6;
            if (!kw || k + kw >= eol || (s[k + kw] != ' ' && s[k + kw] != '\t')) continue;
            size_t ws = k + kw;
            while (ws < eol && (s[ws] == ' ' || s[ws] == '\t')) ws++;
            size_t we = ws;
            char q = 0;
            for (; we < eol; we++) {
                char c = s[we];
                if (q) { if (c == q) q = 0; continue; }
                if (c == '\'' || c == '"') q = c;
                else if (strchr(" \t;&|)<>", c)) break;
            }
            char path[4096];
            if (we > ws && hint_expand(I, s + ws, we - ws, bind, bval, path, sizeof(path)) &&
                path[0] == '/' && nidx_find(&run->cidx, path, sfile_path_at, run->cache) < 0)
                prefetch_request(run->pf, path, I->dialect);
            k = we;
        }
        i = eol + 1;
    }
}

/* True the first time the loop at n runs in this simulation: its items are
 * hinted once (a later context finds the files loaded anyway). */
static bool loop_first_run(interp *I, TSNode n)
{
    sfile *f = (sfile *)I->file;
    uint32_t at = ts_node_start_byte(n);
    for (size_t i = 0; i < f->nhinted_loops; i++)
        if (f->hinted_loops[i] == at) return false;
    uint32_t *slot = ARENA_PUSH(I->run->a, f->hinted_loops, f->nhinted_loops, f->caphinted_loops);
    *slot = at;
    return true;
}

/* Statements one loop may run; past it the remaining items are not followed
 * and what the body could set becomes uncertain (a bound by work: items
 * times the statements of the body, never by time). */
#define LOOP_MAX_STEPS 100000ul

static bool is_reserved_word(const char *w)
{
    static const char *const words[] = {"do", "done", "then", "fi", "elif", "else", "esac",
                                        "in", "{", "}", "for", "while", "until", "if", "case"};
    for (size_t i = 0; i < GE_ARRAY_LEN(words); i++)
        if (strcmp(w, words[i]) == 0) return true;
    return false;
}

/* Could the command node n change variables other than those it names?
 * False: it only runs an external or a harmless built-in (names it reads
 * into are pushed). */
static bool command_may_set_any(interp *I, TSNode n, strvec *names)
{
    TSNode name = field(n, FLD_NAME);
    if (ts_node_is_null(name)) return false; /* assignments only: seen as such */
    TSNode w = ts_node_named_child_count(name) ? ts_node_named_child(name, 0) : name;
    if (!node_is(w, "word")) return true;
    char *cmd = node_text(I, w);
    if (is_reserved_word(cmd) || func_get(I->st, cmd)) return true;
    static const char *const risky[] = {"source", ".", "eval", "emulate", "builtin", "command",
                                        "export", "declare", "typeset", "local", "readonly",
                                        "set", "unset", "exec", "trap", "let", "printf", "mapfile",
                                        "readarray", "getopts", "shift"};
    for (size_t i = 0; i < GE_ARRAY_LEN(risky); i++)
        if (strcmp(cmd, risky[i]) == 0) return true;
    if (strcmp(cmd, "read") == 0) {
        uint32_t nc = ts_node_named_child_count(n);
        for (uint32_t i = 0; i < nc; i++) {
            TSNode c = ts_node_named_child(n, i);
            if (ts_node_eq(c, name) || !node_is(c, "word")) continue;
            char *a = node_text(I, c);
            if (a[0] != '-') sv_push(I->a, names, a);
        }
        sv_push(I->a, names, (char *)"REPLY");
    }
    return false;
}

/* The names the statements under n could set, into names; false when that
 * cannot be told (a source, eval, a function call, a computed command name,
 * broken structure). */
static bool region_names(interp *I, TSNode n, strvec *names)
{
    bool ok = true;
    TSTreeCursor cur = ts_tree_cursor_new(n);
    for (;;) {
        TSNode c = ts_tree_cursor_current_node(&cur);
        const char *t = ts_node_type(c);
        bool descend = true;
        if (!ts_node_is_named(c)) {
            /* keywords loose in an unparsed region: a loop or branch whose
             * body the grammar put elsewhere */
            if (node_is(ts_node_parent(c), "ERROR") && is_reserved_word(t)) ok = false;
        } else if (TYPE_IS(t, "variable_assignment")) {
            TSNode nm = field(c, FLD_NAME);
            if (node_is(nm, "subscript")) nm = field(nm, FLD_NAME);
            if (!ts_node_is_null(nm)) sv_push(I->a, names, node_text(I, nm));
        } else if (TYPE_IS(t, "for_statement")) {
            TSNode v = field(c, FLD_VARIABLE);
            if (!ts_node_is_null(v)) sv_push(I->a, names, node_text(I, v));
        } else if (TYPE_IS(t, "declaration_command") || TYPE_IS(t, "unset_command")) {
            uint32_t k = ts_node_named_child_count(c);
            for (uint32_t i = 0; i < k; i++) {
                TSNode a = ts_node_named_child(c, i);
                if (node_is(a, "variable_name") || node_is(a, "word")) {
                    char *w = node_text(I, a);
                    if (w[0] != '-' && w[0] != '+') sv_push(I->a, names, w);
                } else if (!node_is(a, "variable_assignment")) {
                    ok = false; /* export "$name" */
                }
            }
        } else if (TYPE_IS(t, "command")) {
            if (command_may_set_any(I, c, names)) ok = false;
        } else if (TYPE_IS(t, "function_definition") || TYPE_IS(t, "subshell") ||
                   TYPE_IS(t, "command_substitution") || TYPE_IS(t, "process_substitution") ||
                   TYPE_IS(t, "pipeline")) {
            descend = false; /* defines, or runs in a child: sets nothing here */
        }
        if (!ok) break;
        if (descend && ts_tree_cursor_goto_first_child(&cur)) continue;
        bool done = false;
        while (!ts_tree_cursor_goto_next_sibling(&cur)) {
            if (!ts_tree_cursor_goto_parent(&cur) ||
                ts_node_eq(ts_tree_cursor_current_node(&cur), n)) {
                done = true;
                break;
            }
        }
        if (done) break;
    }
    ts_tree_cursor_delete(&cur);
    return ok;
}

/* n was not followed: what it could have set becomes uncertain, or, when
 * that cannot be told, the whole environment. */
static void region_skipped(interp *I, TSNode n, const sim_loc *at, const char *why)
{
    strvec names = {0};
    if (!region_names(I, n, &names)) {
        state_approx(I, at, why);
        return;
    }
    sim_builder *b = I->out;
    if (names.n && !b->have_approx) {
        b->have_approx = true;
        b->approx_at = *at;
        b->approx_why = arena_strdup(I->a, why);
    }
    for (size_t i = 0; i < names.n; i++)
        var_touch(I, names.v[i], at);
}

/* A for loop's parts, found by position: the runtime's field names are not
 * reliable on repeated fields (`for x in 1 2 3` gave `3` as the body). */
static void for_parts(interp *I, TSNode n, TSNode *var, TSNode *body, TSNode *vals, size_t maxv,
                      size_t *nv, bool *has_in)
{
    uint32_t cnt;
    const TSNode *k = kids_of(I, n, &cnt);
    *var = *body = (TSNode){0};
    *nv = 0;
    *has_in = false;
    for (uint32_t i = 0; i < cnt; i++) {
        TSNode c = k[i];
        if (!ts_node_is_named(c)) {
            if (TYPE_IS(ts_node_type(c), "in")) *has_in = true;
            continue;
        }
        if (node_is(c, "comment")) continue;
        /* fields first (zsh's terse `for x (list) cmd` has no `in` and a
         * bare command as body), then by position */
        const char *f = ts_node_field_name_for_child(n, i);
        if (f && TYPE_IS(f, "variable") && ts_node_is_null(*var)) {
            *var = c;
        } else if (f && TYPE_IS(f, "body")) {
            *body = c;
        } else if (f && TYPE_IS(f, "value") && *nv < maxv) {
            vals[(*nv)++] = c;
        } else if (ts_node_is_null(*var) &&
                   (node_is(c, "variable_name") || node_is(c, "simple_variable_name"))) {
            *var = c;
        } else if (node_is(c, "do_group") || node_is(c, "compound_statement")) {
            *body = c;
        } else if (*has_in && ts_node_is_null(*body) && *nv < maxv) {
            vals[(*nv)++] = c;
        }
    }
}

/* Sets the loop's variables for item k before the body runs. */
typedef void (*loop_bind)(interp *I, size_t k, const sim_loc *at, bool certain, void *ud);

typedef struct for_bind {
    const char *var;
    char **items;
} for_bind;

static void for_bind_item(interp *I, size_t k, const sim_loc *at, bool certain, void *ud)
{
    const for_bind *fb = ud;
    var_commit(I, fb->var, fb->items[k], NULL, 0, false, 0, ENV_OP_ASSIGN, at, certain, false);
}

/* Run body once per item (n of them), bound by work. */
static void loop_items(interp *I, TSNode loop, TSNode body, size_t n, loop_bind bind, void *ud,
                       bool unsure)
{
    sim_loc at = here(I);
    unsigned long start = I->steps;
    bool saved_unc = I->st->uncertain;
    if (unsure) I->st->uncertain = true;
    for (size_t k = 0; k < n; k++) {
        if (I->steps - start > LOOP_MAX_STEPS) {
            sim_loc lat = loc_of_node(I, loop);
            sim_event_add(I, SIM_EV_STEP_LIMIT, &lat, NULL, I->file->path, NULL,
                          arena_printf(I->a, "loop limit: %zu of %zu items followed", k, n));
            region_skipped(I, body, &lat, "loop limit");
            break;
        }
        bind(I, k, &at, !unsure, ud);
        exec_stmt(I, body);
        if (I->st->flow == FLOW_CONTINUE) I->st->flow = FLOW_NEXT;
        if (I->st->flow == FLOW_BREAK) { I->st->flow = FLOW_NEXT; break; }
        if (I->st->flow != FLOW_NEXT || I->step_limit_hit) break;
    }
    I->st->uncertain = saved_unc || I->st->escaped;
}

static tri exec_for(interp *I, TSNode n)
{
    TSNode var, body, vals[256];
    size_t nv;
    bool has_in;
    for_parts(I, n, &var, &body, vals, GE_ARRAY_LEN(vals), &nv, &has_in);
    if (!ts_node_is_null(body) && !ts_node_is_named(body)) body = zsh_loop_body(n);
    if (ts_node_is_null(var) || ts_node_is_null(body)) return T_UNKNOWN;
    strvec items = {0};
    bool opq = false, unc = nv == GE_ARRAY_LEN(vals);
    if (has_in || nv) {
        expand_args(I, vals, nv, &items, &opq, &unc);
    } else {
        for (size_t k = 0; k < I->st->npos; k++)
            sv_push(I->a, &items, (char *)I->st->pos[k]);
    }
    char *vn = node_text(I, var);
    sim_loc at = here(I);
    if (opq) {
        /* iterate once over an unknown item */
        TSNode b = body;
        var_commit(I, vn, "", NULL, 0, false, 0, ENV_OP_ASSIGN, &at, false, true);
        run_maybe(I, stmt_fn, &b);
        if (I->st->flow == FLOW_BREAK || I->st->flow == FLOW_CONTINUE) I->st->flow = FLOW_NEXT;
        return T_UNKNOWN;
    }
    if (I->run->pf && loop_first_run(I, n)) {
        size_t blen;
        const char *btext = node_src(I, body, &blen);
        for (size_t k = 0; k < items.n && k < PREFETCH_MAX_JOBS; k++)
            hint_scan(I, btext, blen, vn, items.v[k]);
    }
    for_bind fb = {vn, items.v};
    loop_items(I, n, body, items.n, for_bind_item, &fb, unc);
    return T_TRUE;
}

/* ---- while read ... done < FILE ---------------------------------------------- */

typedef struct read_loop {
    char **names;       /* read's variables (REPLY when none) */
    size_t nnames;
    bool raw;           /* -r */
    const char *ifs;    /* separators */
    char **records;     /* one per line read */
    size_t nrecords;
} read_loop;

static bool ifs_has(const char *ifs, char c)
{
    return c && strchr(ifs, c) != NULL;
}

static bool ifs_white(const char *ifs, char c)
{
    return (c == ' ' || c == '\t' || c == '\n') && ifs_has(ifs, c);
}

/* read's field splitting of one record into the loop's names. */
static void read_bind(interp *I, size_t k, const sim_loc *at, bool certain, void *ud)
{
    const read_loop *rl = ud;
    const char *p = rl->records[k];
    for (size_t i = 0; i < rl->nnames; i++) {
        while (ifs_white(rl->ifs, *p)) p++;
        const char *e = p;
        if (i + 1 < rl->nnames) {
            while (*e && !ifs_has(rl->ifs, *e)) e++;
        } else {
            e = p + strlen(p);
            while (e > p && ifs_white(rl->ifs, e[-1])) e--;
        }
        var_commit(I, rl->names[i], arena_strndup(I->a, p, (size_t)(e - p)), NULL, 0, false, 0,
                   ENV_OP_ASSIGN, at, certain, false);
        p = e;
        if (*p && ifs_has(rl->ifs, *p)) {
            p++;
            while (ifs_white(rl->ifs, *p)) p++;
        }
    }
}

/* The records read gets from data: lines, with backslash escapes and
 * continuations removed unless raw; a last line without a newline makes
 * read fail, so the body does not run for it. */
static void read_records(interp *I, const char *data, size_t len, bool raw, bool reverse,
                         read_loop *rl)
{
    strvec recs = {0};
    size_t i = 0;
    while (i < len) {
        strbuf sb = STRBUF_INIT;
        bool ended = false;
        for (; i < len; i++) {
            char c = data[i];
            if (c == '\n') { ended = true; i++; break; }
            if (c == '\\' && !raw && i + 1 < len) {
                i++;
                if (data[i] != '\n') strbuf_addc(&sb, data[i]);
                continue;
            }
            strbuf_addc(&sb, c);
        }
        if (ended)
            sv_push(I->a, &recs, arena_strdup(I->a, sb.data ? sb.data : ""));
        strbuf_release(&sb);
    }
    if (reverse)
        for (size_t a = 0, b = recs.n; a + 1 < b; a++, b--) {
            char *t = recs.v[a];
            recs.v[a] = recs.v[b - 1];
            recs.v[b - 1] = t;
        }
    rl->records = recs.v;
    rl->nrecords = recs.n;
}

/* The file a loop reads: `< FILE`, `< <(cat FILE)`, `< <(tac FILE)`. NULL
 * for anything else; *reverse for tac. */
static const char *read_loop_source(interp *I, TSNode stmt, bool *reverse)
{
    uint32_t cnt;
    const TSNode *k = kids_of(I, stmt, &cnt);
    TSNode dest = {0};
    for (uint32_t i = 0; i < cnt; i++) {
        if (!node_is(k[i], "file_redirect")) continue;
        if (!ts_node_is_null(dest)) return NULL; /* several redirections */
        TSNode op = kid(I, k[i], 0);
        if (ts_node_is_named(op) || strcmp(ts_node_type(op), "<") != 0) return NULL;
        dest = ts_node_named_child(k[i], ts_node_named_child_count(k[i]) - 1);
    }
    if (ts_node_is_null(dest)) return NULL;
    *reverse = false;
    if (node_is(dest, "process_substitution")) {
        if (ts_node_named_child_count(dest) != 1) return NULL;
        TSNode cmd = ts_node_named_child(dest, 0);
        if (!node_is(cmd, "command") || ts_node_named_child_count(cmd) != 2) return NULL;
        char *name = node_text(I, field(cmd, FLD_NAME));
        if (strcmp(name, "tac") == 0) *reverse = true;
        else if (strcmp(name, "cat") != 0) return NULL;
        dest = ts_node_named_child(cmd, 1);
    }
    strvec w = {0};
    bool opq = false, unc = false;
    expand_args(I, &dest, 1, &w, &opq, &unc);
    if (opq || unc || w.n != 1) return NULL;
    return abs_path(I, w.v[0]);
}

/* while read [-r] NAME...; do ...; done < FILE over a file of the root, one
 * pass of the body per line. False: not that shape (the caller approximates). */
static bool exec_while_read(interp *I, TSNode stmt, TSNode loop)
{
    uint32_t cnt;
    const TSNode *k = kids_of(I, loop, &cnt);
    TSNode cond = {0}, body = {0};
    for (uint32_t i = 0; i < cnt; i++) {
        if (!ts_node_is_named(k[i]) || node_is(k[i], "comment")) continue;
        if (node_is(k[i], "do_group")) body = k[i];
        else if (ts_node_is_null(cond)) cond = k[i];
        else return false;
    }
    if (!node_is(cond, "command") || ts_node_is_null(body) ||
        !TYPE_IS(ts_node_type(kid(I, loop, 0)), "while"))
        return false;
    read_loop rl = {0};
    rl.ifs = " \t\n";
    const sval *ifsv = state_get(I->st, "IFS");
    if (ifsv && ifsv->value) {
        if (!ifsv->certain) return false;
        rl.ifs = ifsv->value;
    }
    TSNode name = field(cond, FLD_NAME);
    if (ts_node_is_null(name) || strcmp(node_text(I, name), "read") != 0) return false;
    strvec names = {0};
    uint32_t cc;
    const TSNode *ck = kids_of(I, cond, &cc);
    bool after = false;
    for (uint32_t i = 0; i < cc; i++) {
        TSNode c = ck[i];
        if (ts_node_eq(c, name)) { after = true; continue; }
        if (!ts_node_is_named(c)) continue;
        if (!after) {
            /* IFS= read: a temporary assignment, nothing else */
            if (!node_is(c, "variable_assignment")) return false;
            if (strcmp(node_text(I, field(c, FLD_NAME)), "IFS") != 0) return false;
            bool o = false, u = false;
            rl.ifs = expand_string(I, field(c, FLD_VALUE), &o, &u, NULL);
            if (o || u) return false;
            continue;
        }
        if (!node_is(c, "word")) return false;
        char *a = node_text(I, c);
        if (a[0] == '-') {
            if (strspn(a + 1, "rse") != strlen(a + 1)) return false; /* -d, -a, -u ... */
            if (strchr(a, 'r')) rl.raw = true;
            continue;
        }
        sv_push(I->a, &names, a);
    }
    if (!names.n) sv_push(I->a, &names, (char *)"REPLY");
    rl.names = names.v;
    rl.nnames = names.n;
    bool reverse;
    const char *path = read_loop_source(I, stmt, &reverse);
    if (!path) return false;
    const sfile *f = sim_load_text(I->run, path);
    if (!f->src)
        return f->err == SOURCE_ENOENT; /* no file: the loop never runs */
    read_records(I, f->src->data, f->src->len, rl.raw, reverse, &rl);
    I->stmt = cond; /* the values come from the read command */
    loop_items(I, loop, body, rl.nrecords, read_bind, &rl, false);
    return true;
}

static tri exec_list(interp *I, TSNode n)
{
    /* left op right; the left may itself be a list */
    uint32_t nc = ts_node_child_count(n);
    TSNode left = {0}, right = {0};
    const char *op = NULL;
    bool got_left = false;
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = kid(I, n, i);
        if (ts_node_is_named(c)) {
            if (node_is(c, "comment")) continue;
            if (!got_left) { left = c; got_left = true; }
            else right = c;
        } else if (!op) {
            op = ts_node_type(c);
        }
    }
    if (!got_left) return T_TRUE;
    tri l = exec_stmt(I, left);
    if (ts_node_is_null(right) || !op || I->st->flow != FLOW_NEXT) return l;
    bool and = strcmp(op, "&&") == 0;
    bool or = strcmp(op, "||") == 0;
    if (!and && !or) return exec_stmt(I, right); /* ; or & */
    if ((and && l == T_FALSE) || (or && l == T_TRUE)) return l;
    if (l != T_UNKNOWN) return exec_stmt(I, right);
    run_maybe(I, stmt_fn, &right);
    return T_UNKNOWN;
}

static void exec_function_def(interp *I, TSNode n)
{
    TSNode name = field(n, FLD_NAME);
    TSNode body = field(n, FLD_BODY);
    if (ts_node_is_null(name) || ts_node_is_null(body)) return;
    sfunc *f = arena_alloc(I->a, sizeof(*f));
    f->name = node_text(I, name);
    f->body = body;
    f->file = I->file;
    func_put(I->a, I->st, f);
}

/* A region the grammar could not parse: what it could set becomes uncertain
 * (or everything, when that cannot be told), and the statements it holds
 * that did parse are followed, their effects uncertain. */
static tri exec_unparsed(interp *I, TSNode n)
{
    sim_loc at = loc_of_node(I, n);
    sim_event_add(I, SIM_EV_OPAQUE, &at, NULL, NULL, NULL, "unparsed region");
    region_skipped(I, n, &at, "unparsed region");
    bool saved = I->st->uncertain;
    I->st->uncertain = true;
    I->unsure_depth++;
    uint32_t cnt;
    const TSNode *k = kids_of(I, n, &cnt);
    for (uint32_t i = 0; i < cnt && I->st->flow == FLOW_NEXT && !I->step_limit_hit; i++) {
        TSNode c = k[i];
        const char *t = ts_node_type(c);
        if (!ts_node_is_named(c) || TYPE_IS(t, "comment") || TYPE_IS(t, "word") ||
            TYPE_IS(t, "variable_name") || TYPE_IS(t, "ERROR") || TYPE_IS(t, "string") ||
            TYPE_IS(t, "concatenation") || TYPE_IS(t, "number"))
            continue;
        exec_stmt(I, c);
    }
    I->unsure_depth--;
    I->st->uncertain = saved || I->st->escaped;
    return T_UNKNOWN;
}

/* Only blanks, ';' and comments in src[from, to). */
static bool only_glue(const char *src, uint32_t from, uint32_t to)
{
    for (uint32_t i = from; i < to; i++) {
        char c = src[i];
        if (c == '#') {
            while (i < to && src[i] != '\n') i++;
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ';' && c != '\\') {
            return false;
        }
    }
    return true;
}

/* tree-sitter-zsh fails on some ordinary lines (`PATH=/usr/local/sbin:$PATH`
 * is an ERROR in 0.63.1) that mean the same in bash: when the file's bash
 * tree has whole, error-free statements covering exactly the bytes of a zsh
 * statement with an error, run those instead. False: no such cover. */
static bool exec_bash_twin(interp *I, TSNode n, tri *r)
{
    sfile *f = (sfile *)I->file;
    if (!f || !f->src || !f->tree)
        return false;
    if (!f->bash_twin) /* owned by the run's sfile: freed with the result's trees */
        f->bash_twin = shell_parse(f->src, SHELL_BASH);
    if (!f->bash_twin->tree)
        return false;
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    TSNode d = ts_node_descendant_for_byte_range(ts_tree_root_node(f->bash_twin->tree), s, e);
    if (ts_node_is_null(d))
        return false;
    TSNode one[1] = {d};
    const TSNode *stmts = one;
    uint32_t ns = 1;
    if (ts_node_start_byte(d) != s || ts_node_end_byte(d) != e || !ts_node_is_named(d)) {
        /* several statements of a block */
        uint32_t nc = ts_node_named_child_count(d);
        TSNode *v = arena_alloc(I->a, (nc ? nc : 1) * sizeof(TSNode));
        ns = 0;
        uint32_t at = s;
        for (uint32_t i = 0; i < nc; i++) {
            TSNode c = ts_node_named_child(d, i);
            uint32_t cs = ts_node_start_byte(c), ce = ts_node_end_byte(c);
            if (ce <= s || cs >= e || node_is(c, "comment"))
                continue;
            if (cs < s || ce > e || !only_glue(f->src->data, at, cs))
                return false;
            v[ns++] = c;
            at = ce;
        }
        if (!ns || !only_glue(f->src->data, at, e))
            return false;
        stmts = v;
    }
    for (uint32_t i = 0; i < ns; i++)
        if (ts_node_has_error(stmts[i]) || node_is(stmts[i], "program"))
            return false;
    *r = T_TRUE;
    for (uint32_t i = 0; i < ns && I->st->flow == FLOW_NEXT; i++)
        *r = exec_stmt(I, stmts[i]);
    return true;
}

static tri exec_stmt(interp *I, TSNode n)
{
    unsigned long max_steps = I->run->opt->max_steps ? I->run->opt->max_steps : SIM_MAX_STEPS;
    if (I->step_limit_hit) return T_UNKNOWN;
    bool steps_out = ++I->steps > max_steps;
    if (steps_out || arena_used(I->a) > SIM_MAX_ARENA_BYTES) {
        /* the memory bound: every op keeps its value for the history, so
         * 10,000 PATH appends would need gigabytes */
        I->step_limit_hit = true;
        sim_loc at = loc_of_node(I, n);
        sim_event_add(I, SIM_EV_STEP_LIMIT, &at, NULL, I->file->path, NULL,
                      steps_out ? "statement limit" : "memory limit");
        state_approx(I, &at, steps_out ? "statement limit" : "memory limit");
        return T_UNKNOWN;
    }
    if (I->nesting >= SIM_MAX_NESTING) {
        /* too deep to follow: whatever it does is unknown */
        sim_loc at = loc_of_node(I, n);
        region_skipped(I, n, &at, "nesting too deep");
        return T_UNKNOWN;
    }
    I->nesting++;
    const char *t = ts_node_type(n);
    TSNode saved_stmt = I->stmt;
    bool is_stmt = TYPE_IS(t, "variable_assignment") || TYPE_IS(t, "declaration_command") ||
                   TYPE_IS(t, "command") || TYPE_IS(t, "unset_command") ||
                   TYPE_IS(t, "for_statement") || TYPE_IS(t, "test_command") ||
                   TYPE_IS(t, "variable_assignments") || TYPE_IS(t, "terse_for_statement");
    if (is_stmt)
        I->stmt = n;
    tri r = T_TRUE;
    int zr;
    bool zsh_tree = shell_tree_dialect_of(n) == SHELL_ZSH;
    bool zsh_broken = zsh_tree && ts_node_has_error(n) && !TYPE_IS(t, "program");
    if (zsh_broken && exec_bash_twin(I, n, &r)) {
        /* run as the bash grammar reads it */
    } else if (zsh_broken && is_stmt && !TYPE_IS(t, "for_statement") &&
               !TYPE_IS(t, "terse_for_statement")) {
        r = exec_unparsed(I, n); /* a simple statement with an error: never its garbled words */
    } else if (zsh_tree && zsh_exec_stmt(I, n, t, &zr)) {
        r = (tri)zr;
    } else if (TYPE_IS(t, "variable_assignment")) {
        do_assignment(I, n, 0, false);
    } else if (TYPE_IS(t, "variable_assignments")) {
        uint32_t nc = ts_node_named_child_count(n);
        for (uint32_t i = 0; i < nc; i++)
            do_assignment(I, ts_node_named_child(n, i), 0, false);
    } else if (TYPE_IS(t, "declaration_command")) {
        exec_declaration(I, n);
    } else if (TYPE_IS(t, "unset_command")) {
        exec_unset(I, n);
    } else if (TYPE_IS(t, "command")) {
        r = exec_command(I, n);
    } else if (TYPE_IS(t, "test_command")) {
        r = run_test_command(I, n);
    } else if (TYPE_IS(t, "list")) {
        r = exec_list(I, n);
    } else if (TYPE_IS(t, "if_statement")) {
        r = exec_if(I, n);
    } else if (TYPE_IS(t, "case_statement")) {
        r = exec_case(I, n);
    } else if (TYPE_IS(t, "for_statement")) {
        r = exec_for(I, n);
    } else if (TYPE_IS(t, "compound_statement") || TYPE_IS(t, "do_group") ||
               TYPE_IS(t, "program")) {
        r = exec_block(I, n, 0, ts_node_child_count(n));
    } else if (TYPE_IS(t, "redirected_statement")) {
        TSNode body = field(n, FLD_BODY);
        if (node_is(body, "while_statement") && exec_while_read(I, n, body))
            r = T_TRUE;
        else if (!ts_node_is_null(body))
            r = exec_stmt(I, body);
    } else if (TYPE_IS(t, "negated_command")) {
        if (ts_node_named_child_count(n))
            r = tri_not(exec_stmt(I, ts_node_named_child(n, 0)));
    } else if (TYPE_IS(t, "function_definition")) {
        exec_function_def(I, n);
    } else if (TYPE_IS(t, "subshell") || TYPE_IS(t, "pipeline")) {
        /* runs in a child: effects are lost; still follow it for events */
        sstate *saved = I->st;
        I->st = state_fork(I->a, saved);
        if (TYPE_IS(t, "subshell"))
            r = exec_block(I, n, 0, ts_node_child_count(n));
        else
            r = T_UNKNOWN;
        I->st = saved;
    } else if (TYPE_IS(t, "while_statement") || TYPE_IS(t, "c_style_for_statement")) {
        TSNode body = field(n, FLD_BODY);
        if (!ts_node_is_null(body)) {
            run_maybe(I, stmt_fn, &body);
            if (I->st->flow == FLOW_BREAK || I->st->flow == FLOW_CONTINUE) I->st->flow = FLOW_NEXT;
        }
        r = T_UNKNOWN;
    } else if (TYPE_IS(t, "comment")) {
        r = T_TRUE;
    } else if (TYPE_IS(t, "ERROR")) {
        r = exec_unparsed(I, n);
    } else {
        /* constructs we do not model */
        r = T_UNKNOWN;
    }
    I->stmt = saved_stmt;
    I->nesting--;
    return r;
}

/* ---- files ------------------------------------------------------------------- */

static const char *sfile_path_at(const void *arr, size_t i)
{
    return ((sfile *const *)arr)[i]->path;
}

/* f read with the other grammar (see sfile.other), made once. */
static const sfile *load_other_grammar(sim_runner *run, sfile *f, shell_dialect by)
{
    if (!f->other) {
        sfile *o = arena_alloc(run->a, sizeof(*o));
        *o = *f;
        o->tree = sim_parse_source(f->src, f->path, by);
        o->hinted = false;
        o->hinted_loops = NULL;
        o->nhinted_loops = o->caphinted_loops = 0;
        o->other = f;
        f->other = o;
    }
    return f->other;
}

static const sfile *load(sim_runner *run, const char *path, bool parse, shell_dialect by)
{
    long hit = nidx_find(&run->cidx, path, sfile_path_at, run->cache);
    if (hit >= 0) {
        sfile *f = run->cache[hit];
        if (parse && f->src && !f->tree)
            f->tree = sim_parse_source(f->src, path, by); /* read as text first */
        else if (parse && f->tree && !sim_tree_fits(f->tree, path, by))
            return load_other_grammar(run, f, by);
        return f;
    }
    sfile *f = arena_alloc(run->a, sizeof(*f));
    f->path = arena_strdup(run->a, path);
    sim_loaded l;
    if (!prefetch_take(run->pf, path, &l))
        sim_read_file(run->root, path, &l, parse, by);
    else if (l.tree && !sim_tree_fits(l.tree, path, by)) {
        /* hinted from a chain of the other shell */
        shell_tree_free(l.tree);
        l.tree = sim_parse_source(l.src, path, by);
    }
    f->src = l.src;
    f->tree = l.tree;
    f->err = l.err;
    f->why = arena_strdup(run->a, l.why);
    if (f->src) {
        source_set_add(&run->res->sources, f->src);
        if (run->opt->on_load) {
            run->opt->on_load(run->opt->on_load_ud, f->src, f->tree);
            prefetch_poke(run->pf);
        }
    }
    if (run->ncache == run->capcache) {
        size_t nc = run->capcache ? run->capcache * 2 : 32;
        run->cache = arena_grow(run->a, run->cache, run->capcache, nc, sizeof(*run->cache));
        run->capcache = nc;
    }
    run->cache[run->ncache++] = f;
    nidx_add(run->a, &run->cidx, run->ncache - 1, sfile_path_at, run->cache);
    return f;
}

const sfile *sim_load(sim_runner *run, const char *path, shell_dialect by)
{
    return load(run, path, true, by);
}

const sfile *sim_load_text(sim_runner *run, const char *path)
{
    return load(run, path, false, SHELL_UNKNOWN);
}

static void file_read_add(interp *I, const sfile *f, const char *reason, const sim_loc *from)
{
    sim_builder *b = I->out;
    sim_file_read *r = ARENA_PUSH(I->a, b->files, b->nfiles, b->capfiles);
    r->file = f->path;
    r->reason = arena_strdup(I->a, reason);
    r->src = f->src;
    r->tree = f->tree;
    r->depth = (int)I->depth;
    if (from) r->from = *from;
    r->shell = true;
}

/* After a top-level return was taken: the assignments that never ran. */
static void note_skipped(interp *I, TSNode program, const sim_loc *ret)
{
    uint32_t nc = ts_node_named_child_count(program);
    for (uint32_t i = 0; i < nc; i++) {
        TSNode top = ts_node_named_child(program, i);
        if (ts_node_end_byte(top) <= ret->end) continue;
        if (ts_node_start_byte(top) <= ret->start) continue;
        /* walk without recursion; skip function bodies */
        TSTreeCursor cur = ts_tree_cursor_new(top);
        for (;;) {
            TSNode c = ts_tree_cursor_current_node(&cur);
            bool descend = !node_is(c, "function_definition");
            if (node_is(c, "variable_assignment")) {
                TSNode nm = field(c, FLD_NAME);
                if (!ts_node_is_null(nm) && node_is(nm, "variable_name")) {
                    TSNode stmt = c;
                    TSNode p = ts_node_parent(c);
                    if (node_is(p, "declaration_command")) stmt = p;
                    sim_loc at = loc_of_node(I, stmt);
                    char *name = node_text(I, nm);
                    const char *tied = tied_scalar(I, name);
                    bool exp = node_is(p, "declaration_command") &&
                               str_starts_with(node_text(I, p), "export");
                    sim_event_add(I, SIM_EV_SKIPPED_SET, &at, ret, I->file->path,
                                  tied ? tied : name, exp ? "exported" : NULL);
                }
                descend = false;
            }
            if (descend && ts_tree_cursor_goto_first_child(&cur)) continue;
            bool done = false;
            while (!ts_tree_cursor_goto_next_sibling(&cur)) {
                if (!ts_tree_cursor_goto_parent(&cur)) { done = true; break; }
            }
            if (done) break;
        }
        ts_tree_cursor_delete(&cur);
    }
}

void interp_file(interp *I, const sfile *f, const char *reason, const sim_loc *from,
                 const char **args, size_t nargs)
{
    file_read_add(I, f, reason, from);
    if (f->src && f->tree && !f->tree->tree && f->tree->over != SHELL_BUDGET_OK) {
        /* read but over a work budget (docs/limits.md): not followed, so
         * anything it sets is unknown from here on */
        sim_loc at = loc_of_line(f, 1);
        sim_event_add(I, SIM_EV_OPAQUE, &at, NULL, f->path, NULL, "file over a work budget");
        state_approx(I, &at, "file over a work budget (not followed)");
        return;
    }
    if (!f->tree || !f->tree->tree)
        return;
    const sfile *saved_file = I->file;
    TSNode saved_stmt = I->stmt;
    bool had_site = I->have_call_site;
    sim_loc saved_site = I->call_site;
    unsigned saved_fn = I->fn_depth;
    const char **saved_pos = I->st->pos;
    size_t saved_npos = I->st->npos;
    bool saved_unc = I->st->uncertain;
    size_t events_before = I->out->nevents;
    if (args && nargs) {
        I->st->pos = args;
        I->st->npos = nargs;
    }
    I->file = f;
    I->have_call_site = false;
    I->fn_depth = 0;
    I->stack[I->depth++] = f;
    if (!f->hinted) {
        ((sfile *)f)->hinted = true; /* once per run: the first context's values are a good guess */
        hint_scan(I, f->src->data, f->src->len, NULL, NULL);
    }
    TSNode prog = ts_tree_root_node(f->tree->tree);
    I->stmt = prog;
    exec_block(I, prog, 0, ts_node_child_count(prog));
    if (I->st->flow == FLOW_RETURN) {
        I->st->flow = FLOW_NEXT;
        for (size_t i = events_before; i < I->out->nevents; i++) {
            sim_event *e = &I->out->events[i];
            if (e->kind == SIM_EV_EARLY_RETURN && e->at.src == f->src) {
                note_skipped(I, prog, &e->at);
                break;
            }
        }
    }
    I->depth--;
    I->file = saved_file;
    I->stmt = saved_stmt;
    I->have_call_site = had_site;
    I->call_site = saved_site;
    I->fn_depth = saved_fn;
    if (args && nargs) {
        I->st->pos = saved_pos;
        I->st->npos = saved_npos;
    }
    I->st->uncertain = saved_unc;
}

/* ---- the interpreter's parts zsh.c uses -------------------------------------- */

_Static_assert((int)SIM_X_FIELDS == (int)X_FIELDS && (int)SIM_X_QUOTED == (int)X_QUOTED,
               "expansion modes");

xlist *sim_x_new(interp *I)
{
    xlist *l = arena_alloc(I->a, sizeof(*l));
    memset(l, 0, sizeof(*l));
    return l;
}
size_t sim_x_count(const xlist *l) { return l->n; }
const char *sim_x_word(const xlist *l, size_t i) { return xw_str(&l->w[i]); }
bool sim_x_uncertain(const xlist *l) { return l->uncertain; }
bool sim_x_is_opaque(const xlist *l) { return l->opaque; }
void sim_x_mark(xlist *l, bool uncertain, bool opaque)
{
    l->uncertain |= uncertain;
    l->opaque |= opaque;
}
void sim_x_node(interp *I, TSNode n, xlist *out, int mode) { expand_node(I, n, out, mode); }
void sim_x_var(interp *I, xlist *out, const char *name, bool all, int mode)
{
    add_var(I, out, name, all, mode);
}
void sim_x_text(interp *I, xlist *out, const char *s, bool new_word)
{
    xword *w = new_word ? xl_new(I, out) : xl_cur(I, out);
    xw_add(I, w, s, strlen(s));
}
void sim_x_literal(interp *I, xlist *out, const char *s, int mode)
{
    add_literal(I, out, s, strlen(s), xl_cur(I, out)->len == 0, mode);
}
void sim_x_opaque(interp *I, xlist *out, TSNode n) { add_opaque(I, out, n); }
void sim_x_glob(interp *I, xlist *out)
{
    for (size_t i = 0; i < out->n; i++)
        out->w[i].glob = true;
}
bool sim_x_glob_seen(const xlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->w[i].glob) return true;
    return false;
}
bool sim_x_is_set(interp *I, const char *name, bool *certain) { return var_is_set(I, name, certain); }
const char *sim_x_node_text(interp *I, TSNode n) { return node_text(I, n); }
void sim_x_assign(interp *I, const char *name, const char *value, bool certain, bool opaque)
{
    sim_loc at = here(I);
    var_commit(I, name, value, NULL, 0, false, 0, ENV_OP_ASSIGN, &at, certain, opaque);
}
void sim_x_unparsed(interp *I, TSNode n)
{
    sim_loc at = loc_of_node(I, n);
    sim_event_add(I, SIM_EV_OPAQUE, &at, NULL, NULL, NULL, "syntax the grammar cannot parse");
    I->st->uncertain = true;
}
void sim_x_stmt(interp *I, TSNode n) { exec_stmt(I, n); }
int sim_x_for(interp *I, TSNode n) { return (int)exec_for(I, n); }
int sim_x_call_body(interp *I, TSNode body)
{
    sfunc *f = arena_alloc(I->a, sizeof(*f));
    f->name = "(anon)";
    f->body = body;
    f->file = I->file;
    char *argv[2] = {(char *)f->name, NULL};
    return (int)call_function(I, f, argv, 1);
}

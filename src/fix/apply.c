/* apply.c - the apply loop: pick the applicable fixes, resolve overlaps
 * (first by position, then rule, wins; the rest wait for the next pass),
 * check that no file parses worse, write, analyse again, repeat. */
#include "fix/journal.h"
#include "parse/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fix_outcome_name(fix_outcome o)
{
    switch (o) {
    case FIX_OUT_APPLIED: return "applied";
    case FIX_OUT_FAILED: return "failed";
    case FIX_OUT_REFUSED: return "refused";
    case FIX_OUT_UNSAFE_SKIPPED: return "unsafe";
    case FIX_OUT_DISPLAY_ONLY: return "display";
    case FIX_OUT_CONFLICT: return "conflict";
    }
    return "?";
}

void fix_report_init(fix_report *r)
{
    memset(r, 0, sizeof(*r));
    r->a = arena_new();
    r->converged = true;
}

void fix_report_release(fix_report *r)
{
    for (size_t i = 0; i < r->nfiles; i++) {
        free(r->files[i].before);
        free(r->files[i].after);
    }
    free(r->files);
    free(r->results);
    arena_free(r->a);
    memset(r, 0, sizeof(*r));
}

/* ---- edits --------------------------------------------------------------- */

bool fix_edits_conflict(const fix_edit *a, const fix_edit *b)
{
    if (strcmp(a->file, b->file) != 0)
        return false;
    if (a->start == a->end && b->start == b->end)
        return a->start == b->start; /* two inserts at one place: order unclear */
    return a->start < b->end && b->start < a->end;
}

static int edit_ptr_cmp(const void *pa, const void *pb)
{
    const fix_edit *a = *(const fix_edit *const *)pa, *b = *(const fix_edit *const *)pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    return 0;
}

char *fix_edits_apply(const char *data, size_t len, const fix_edit *const *edits,
                      size_t nedits, size_t *outlen, char *why, size_t whylen)
{
    const fix_edit **sorted = xmalloc((nedits ? nedits : 1) * sizeof(*sorted));
    memcpy(sorted, edits, nedits * sizeof(*sorted));
    qsort(sorted, nedits, sizeof(*sorted), edit_ptr_cmp);
    strbuf sb = STRBUF_INIT;
    size_t pos = 0;
    for (size_t i = 0; i < nedits; i++) {
        const fix_edit *e = sorted[i];
        if (e->end > len || e->start > e->end) {
            snprintf(why, whylen, "edit at bytes %zu-%zu runs past the file (%zu bytes)",
                     e->start, e->end, len);
            goto fail;
        }
        if (i > 0 && fix_edits_conflict(sorted[i - 1], e)) {
            snprintf(why, whylen, "edits overlap at bytes %zu-%zu", e->start, e->end);
            goto fail;
        }
        if (e->start < pos) {
            snprintf(why, whylen, "edits overlap at byte %zu", e->start);
            goto fail;
        }
        strbuf_add(&sb, data + pos, e->start - pos);
        strbuf_adds(&sb, e->text ? e->text : "");
        pos = e->end;
    }
    strbuf_add(&sb, data + pos, len - pos);
    free(sorted);
    *outlen = sb.len;
    return strbuf_detach(&sb);
fail:
    free(sorted);
    strbuf_release(&sb);
    return NULL;
}

/* ---- parse check --------------------------------------------------------- */

static int default_parse_errors(void *ud, const source_file *src)
{
    (void)ud;
    if (src->binary || file_kind_detect(src->path, src) != KIND_SHELL)
        return -1;
    shell_dialect d = shell_dialect_detect(src, src->path);
    shell_tree *t = shell_parse(src, d == SHELL_UNKNOWN ? SHELL_SH : d);
    int n = t->over ? -1 : (int)t->nerrors;
    shell_tree_free(t);
    return n;
}

/* ---- run state ----------------------------------------------------------- */

typedef struct candidate {
    finding *f;
    const char *file;   /* display path of the first edit */
    size_t start;       /* smallest start of the first edit's file */
    char *key;          /* identity across passes: rule, file, edits */
} candidate;

typedef struct run_state {
    const fix_options *opt;
    fix_report *rep;
    fix_journal *journal;
    char **failed_keys;
    size_t nfailed;
    char **refused_files;
    size_t nrefused;
    char **history;     /* "path\0sha" of every content written, for cycle detection */
    size_t nhistory;
} run_state;

static bool in_list(char **list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

static void list_add(arena *a, char ***list, size_t *n, const char *s)
{
    if (in_list(*list, *n, s))
        return;
    *list = arena_grow(a, *list, *n, *n + 1, sizeof(char *));
    (*list)[(*n)++] = arena_strdup(a, s);
}

static void result_add(run_state *st, const finding *f, fix_outcome o, const char *why, int pass)
{
    fix_report *r = st->rep;
    if ((r->nresults & (r->nresults - 1)) == 0) /* grow at powers of two */
        r->results = xrealloc(r->results, (r->nresults ? 2 * r->nresults : 1) * sizeof(fix_result));
    fix_result *x = &r->results[r->nresults++];
    x->outcome = o;
    x->rule = arena_strdup(r->a, f->rule);
    x->file = arena_strdup(r->a, f->file);
    x->line = f->line;
    x->column = f->column;
    x->description = arena_strdup(r->a, f->fix && f->fix->description ? f->fix->description : "");
    x->why = why ? arena_strdup(r->a, why) : NULL;
    x->pass = pass;
    r->counts[o]++;
}

/* Identity of a fix across passes: positions shift when other fixes land,
 * so they are left out (a collision only leaves a fix unapplied). */
static char *fix_key(arena *a, const finding *f)
{
    strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "%s\n%s\n%s", f->rule, f->file, f->fix->description ? f->fix->description : "");
    for (size_t i = 0; i < f->fix->nedits; i++) {
        const fix_edit *e = &f->fix->edits[i];
        strbuf_addf(&sb, "\n%s=", e->file);
        strbuf_adds(&sb, e->text ? e->text : "");
    }
    char *k = arena_strndup(a, sb.data, sb.len);
    strbuf_release(&sb);
    return k;
}

static fix_file *file_state(fix_report *r, const source_file *src, bool created)
{
    for (size_t i = 0; i < r->nfiles; i++)
        if (strcmp(r->files[i].path, src->path) == 0)
            return &r->files[i];
    r->files = xrealloc(r->files, (r->nfiles + 1) * sizeof(fix_file));
    fix_file *ff = &r->files[r->nfiles++];
    memset(ff, 0, sizeof(*ff));
    ff->path = arena_strdup(r->a, src->path);
    ff->host_path = arena_strdup(r->a, src->host_path);
    ff->before = xstrndup(src->data, src->len);
    ff->before_len = src->len;
    ff->created = created;
    return ff;
}

/* The loaded source of an edit's file: from the set, else read from disk;
 * an absent file whose edits only insert at 0 is treated as a new empty file. */
static source_file *edit_source(source_set *set, const fix_edit *e, bool *created,
                                char *why, size_t whylen)
{
    *created = false;
    source_file *src = source_set_find(set, e->file);
    if (src)
        return src;
    source_error err;
    src = source_load(e->host_path ? e->host_path : e->file, e->file, &err, why, whylen);
    if (!src && err == SOURCE_ENOENT && e->start == 0 && e->end == 0) {
        src = source_from_memory(e->file, "", 0);
        free(src->host_path);
        src->host_path = xstrdup(e->host_path ? e->host_path : e->file);
        *created = true;
    }
    if (src)
        source_set_add(set, src);
    return src;
}

static void source_replace(source_set *set, source_file *old, const char *data, size_t len)
{
    source_file *n = source_from_memory(old->path, data, len);
    free(n->host_path);
    n->host_path = xstrdup(old->host_path);
    for (size_t i = 0; i < set->n; i++)
        if (set->items[i] == old) {
            set->items[i] = n;
            source_free(old);
            return;
        }
    source_set_add(set, n);
}

static int candidate_cmp(const void *pa, const void *pb)
{
    const candidate *a = pa, *b = pb;
    int c = strcmp(a->file, b->file);
    if (c)
        return c;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if ((c = strcmp(a->f->rule, b->f->rule)))
        return c;
    return strcmp(a->key, b->key);
}

/* ---- finding list surgery ------------------------------------------------ */

static void finding_copy(finding_list *dst, const finding *f, bool keep_fix)
{
    finding *g = finding_add_at(dst, f->rule, f->sev, f->file, f->line, f->column,
                                f->end_line, f->end_column, "%s", f->message);
    for (size_t k = 0; k < f->ncontexts; k++)
        finding_add_context(dst, g, f->contexts[k]);
    if (!f->fix || !keep_fix)
        return;
    fix *fx = finding_set_fix(dst, g, f->fix->applicability, "%s", f->fix->description);
    fx->edits = arena_alloc(dst->a, (f->fix->nedits ? f->fix->nedits : 1) * sizeof(fix_edit));
    for (size_t k = 0; k < f->fix->nedits; k++) {
        fix_edit *e = &fx->edits[k];
        *e = f->fix->edits[k];
        e->file = arena_strdup(dst->a, e->file);
        e->host_path = e->host_path ? arena_strdup(dst->a, e->host_path) : NULL;
        e->text = arena_strdup(dst->a, e->text ? e->text : "");
    }
    fx->nedits = f->fix->nedits;
}

static bool fix_touches(const finding *f, char **files, size_t n)
{
    if (!f->fix)
        return false;
    for (size_t k = 0; k < f->fix->nedits; k++)
        if (in_list(files, n, f->fix->edits[k].file))
            return true;
    return false;
}

static bool fix_allowed(const run_state *st, const finding *f);

static int ptr_cmp(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (finding *const *)a, y = (uintptr_t) * (finding *const *)b;
    return x < y ? -1 : x > y;
}

/* list sorted with ptr_cmp */
static bool ptr_in(finding **list, size_t n, const finding *f)
{
    return n && bsearch(&f, list, n, sizeof(*list), ptr_cmp) != NULL;
}

/* Without reanalysis: keep what was not applied; fixes into changed files
 * have stale offsets: they are reported as conflicts and dropped. */
static void findings_after_blind_pass(run_state *st, finding_list *fl, char **changed,
                                      size_t nchanged, finding **applied, size_t napplied,
                                      int pass)
{
    finding_list n;
    findings_init(&n);
    if (napplied > 1)
        qsort(applied, napplied, sizeof(*applied), ptr_cmp);
    for (size_t i = 0; i < fl->n; i++) {
        const finding *f = fl->items[i];
        if (ptr_in(applied, napplied, f))
            continue;
        bool stale = fix_touches(f, changed, nchanged);
        if (stale && f->fix->applicability == FIX_DISPLAY)
            result_add(st, f, FIX_OUT_DISPLAY_ONLY, NULL, 0);
        else if (stale && !fix_allowed(st, f))
            result_add(st, f, FIX_OUT_UNSAFE_SKIPPED, "needs --unsafe-fixes", 0);
        else if (stale && !in_list(st->failed_keys, st->nfailed, fix_key(st->rep->a, f)) &&
                 !fix_touches(f, st->refused_files, st->nrefused))
            result_add(st, f, FIX_OUT_CONFLICT, "overlaps another fix; run again", pass);
        finding_copy(&n, f, !stale);
    }
    findings_release(fl);
    *fl = n;
}

/* ---- one pass ------------------------------------------------------------ */

typedef struct file_group {
    source_file *src;
    bool created;
    candidate **fixes;
    size_t n;
} file_group;

/* Apply a subset of fixes (mask) of one file; heap result or NULL. */
static char *group_apply(const file_group *g, const bool *use, size_t *outlen, char *why, size_t whylen)
{
    size_t ne = 0;
    for (size_t i = 0; i < g->n; i++)
        if (use[i])
            ne += g->fixes[i]->f->fix->nedits;
    const fix_edit **edits = xmalloc((ne ? ne : 1) * sizeof(*edits));
    size_t k = 0;
    for (size_t i = 0; i < g->n; i++) {
        if (!use[i])
            continue;
        const fix *fx = g->fixes[i]->f->fix;
        for (size_t j = 0; j < fx->nedits; j++)
            if (strcmp(fx->edits[j].file, g->src->path) == 0)
                edits[k++] = &fx->edits[j];
    }
    char *out = fix_edits_apply(g->src->data, g->src->len, edits, k, outlen, why, whylen);
    free(edits);
    return out;
}

static int count_errors(const run_state *st, const char *path, const char *data, size_t len)
{
    source_file *s = source_from_memory(path, data, len);
    int n = st->opt->parse_errors ? st->opt->parse_errors(st->opt->parse_ud, s)
                                  : default_parse_errors(NULL, s);
    source_free(s);
    return n;
}

static bool history_seen(run_state *st, const char *path, const char *data, size_t len)
{
    unsigned char d[32];
    char hex[65];
    sha256_bytes(data, len, d);
    sha256_hex(d, hex);
    char *k = arena_printf(st->rep->a, "%s\n%s", path, hex);
    if (in_list(st->history, st->nhistory, k))
        return true;
    list_add(st->rep->a, &st->history, &st->nhistory, k);
    return false;
}

/* Decide and write one file's fixes. Returns true if the file changed. */
static bool group_commit(run_state *st, file_group *g, source_set *sources, int pass,
                         finding ***applied, size_t *napplied)
{
    char why[512];
    bool *use = xcalloc(g->n ? g->n : 1, sizeof(bool));
    for (size_t i = 0; i < g->n; i++)
        use[i] = true;
    size_t newlen = 0;
    char *newdata = group_apply(g, use, &newlen, why, sizeof(why));
    int before = -1;
    if (newdata) {
        before = count_errors(st, g->src->path, g->src->data, g->src->len);
        int after = before >= 0 ? count_errors(st, g->src->path, newdata, newlen) : -1;
        if (before >= 0 && after > before) {
            /* find the culprits one by one, keep the rest */
            free(newdata);
            newdata = NULL;
            for (size_t i = 0; i < g->n; i++) {
                bool *one = xcalloc(g->n, sizeof(bool));
                one[i] = true;
                size_t l1;
                char *d1 = group_apply(g, one, &l1, why, sizeof(why));
                if (!d1 || count_errors(st, g->src->path, d1, l1) > before) {
                    use[i] = false;
                    result_add(st, g->fixes[i]->f, FIX_OUT_FAILED,
                               d1 ? "the file would parse worse (more syntax errors); left as it was"
                                  : why, pass);
                    list_add(st->rep->a, &st->failed_keys, &st->nfailed, g->fixes[i]->key);
                }
                free(d1);
                free(one);
            }
            newdata = group_apply(g, use, &newlen, why, sizeof(why));
            if (newdata && count_errors(st, g->src->path, newdata, newlen) > before) {
                free(newdata);
                newdata = NULL;
                snprintf(why, sizeof(why), "together these fixes make the file parse worse; left as it was");
            }
        }
    }
    if (!newdata) {
        for (size_t i = 0; i < g->n; i++)
            if (use[i]) {
                result_add(st, g->fixes[i]->f, FIX_OUT_FAILED, why, pass);
                list_add(st->rep->a, &st->failed_keys, &st->nfailed, g->fixes[i]->key);
            }
        free(use);
        return false;
    }
    bool any = false;
    for (size_t i = 0; i < g->n; i++)
        any = any || use[i];
    if (!any || (newlen == g->src->len && memcmp(newdata, g->src->data, newlen) == 0)) {
        for (size_t i = 0; i < g->n; i++)
            if (use[i]) {
                result_add(st, g->fixes[i]->f, FIX_OUT_FAILED, "the fix changes nothing", pass);
                list_add(st->rep->a, &st->failed_keys, &st->nfailed, g->fixes[i]->key);
            }
        free(newdata);
        free(use);
        return false;
    }
    if (history_seen(st, g->src->path, newdata, newlen)) {
        /* a fix undoing an earlier one: stop this file here */
        for (size_t i = 0; i < g->n; i++)
            if (use[i]) {
                result_add(st, g->fixes[i]->f, FIX_OUT_FAILED,
                           "the fix brings back an earlier content of the file (fixes disagree)", pass);
                list_add(st->rep->a, &st->failed_keys, &st->nfailed, g->fixes[i]->key);
            }
        st->rep->converged = false;
        free(newdata);
        free(use);
        return false;
    }

    fix_file *ff = file_state(st->rep, g->src, g->created);
    if (!st->opt->dry_run) {
        const char *rules[64];
        size_t nr = 0;
        for (size_t i = 0; i < g->n && nr < GE_ARRAY_LEN(rules); i++)
            if (use[i])
                rules[nr++] = g->fixes[i]->f->rule;
        char *target = NULL;
        bool ok = fix_target_allowed(st->opt, g->src->path, g->src->host_path, g->created, why,
                                     sizeof(why));
        if (ok && st->journal) {
            char *real = realpath(g->src->host_path, NULL);
            const char *bk = NULL;
            ok = journal_record(st->journal, g->src->path, real ? real : g->src->host_path,
                                g->src->data, g->src->len, g->created, newdata, newlen,
                                rules, nr, &bk, why, sizeof(why));
            if (ok && bk && !ff->backup)
                ff->backup = arena_strdup(st->rep->a, bk);
            free(real);
        }
        if (ok) {
            ok = fix_write_file(g->src->host_path, newdata, newlen,
                                g->created ? NULL : source_sha256(g->src), g->created, &target,
                                why, sizeof(why));
            if (!ok && st->journal)
                journal_revert_last(st->journal);
            else if (st->journal)
                journal_written(st->journal);
        }
        if (!ok) {
            for (size_t i = 0; i < g->n; i++)
                if (use[i])
                    result_add(st, g->fixes[i]->f, FIX_OUT_REFUSED, why, pass);
            list_add(st->rep->a, &st->refused_files, &st->nrefused, g->src->path);
            free(newdata);
            free(use);
            return false;
        }
        ff->written = true;
        if (target && !ff->target)
            ff->target = arena_strdup(st->rep->a, target);
        free(target);
    }
    for (size_t i = 0; i < g->n; i++)
        if (use[i]) {
            result_add(st, g->fixes[i]->f, FIX_OUT_APPLIED, NULL, pass);
            if ((*napplied & (*napplied - 1)) == 0)
                *applied = xrealloc(*applied, (*napplied ? 2 * *napplied : 1) * sizeof(finding *));
            (*applied)[(*napplied)++] = g->fixes[i]->f;
        }
    free(ff->after);
    ff->after = xstrndup(newdata, newlen);
    ff->after_len = newlen;
    source_replace(sources, g->src, newdata, newlen);
    free(newdata);
    free(use);
    return true;
}

static bool fix_allowed(const run_state *st, const finding *f)
{
    if (!f->fix || f->fix->nedits == 0)
        return false;
    if (f->fix->applicability == FIX_DISPLAY)
        return false;
    if (f->fix->applicability == FIX_UNSAFE && !st->opt->unsafe_fixes)
        return false;
    return true;
}

/* Chosen edits sorted by file, start, end. */
typedef struct edit_index {
    const fix_edit **v;
    size_t n, cap;
} edit_index;

static int edit_key_cmp(const fix_edit *a, const fix_edit *b)
{
    int c = strcmp(a->file, b->file);
    if (c)
        return c;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    return 0;
}

static size_t edit_index_lower(const edit_index *ix, const fix_edit *e)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (edit_key_cmp(ix->v[mid], e) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool edit_index_clashes(const edit_index *ix, const fix_edit *e)
{
    size_t at = edit_index_lower(ix, e);
    size_t from = at >= 2 ? at - 2 : 0, to = at + 2 < ix->n ? at + 2 : ix->n;
    for (size_t k = from; k < to; k++)
        if (fix_edits_conflict(ix->v[k], e))
            return true;
    return false;
}

static void edit_index_add(edit_index *ix, const fix_edit *e)
{
    if (ix->n == ix->cap) {
        ix->cap = ix->cap ? ix->cap * 2 : 64;
        ix->v = xrealloc(ix->v, ix->cap * sizeof(*ix->v));
    }
    size_t at = edit_index_lower(ix, e);
    memmove(ix->v + at + 1, ix->v + at, (ix->n - at) * sizeof(*ix->v));
    ix->v[at] = e;
    ix->n++;
}

/* One pass: returns the number of files changed; their paths in *changed. */
static size_t pass_run(run_state *st, finding_list *fl, source_set *sources, int pass,
                       char ***changed, size_t *nchanged, finding ***applied, size_t *napplied,
                       size_t *npending)
{
    arena *a = st->rep->a;
    candidate *cands = xmalloc((fl->n ? fl->n : 1) * sizeof(candidate));
    size_t nc = 0;
    for (size_t i = 0; i < fl->n; i++) {
        finding *f = fl->items[i];
        if (!fix_allowed(st, f))
            continue;
        char *key = fix_key(a, f);
        if (in_list(st->failed_keys, st->nfailed, key) || fix_touches(f, st->refused_files, st->nrefused))
            continue;
        candidate *c = &cands[nc++];
        c->f = f;
        c->key = key;
        c->file = f->fix->edits[0].file;
        c->start = (size_t)-1;
        for (size_t k = 0; k < f->fix->nedits; k++)
            if (strcmp(f->fix->edits[k].file, c->file) == 0 && f->fix->edits[k].start < c->start)
                c->start = f->fix->edits[k].start;
    }
    *npending = nc;
    if (nc == 0) {
        free(cands);
        return 0;
    }
    qsort(cands, nc, sizeof(candidate), candidate_cmp);

    /* greedy: a fix whose edits overlap an already chosen one waits. Chosen
     * edits are kept sorted; being disjoint, only neighbours can clash. */
    candidate **chosen = xmalloc(nc * sizeof(candidate *));
    size_t nchosen = 0;
    edit_index ix = {0};
    for (size_t i = 0; i < nc; i++) {
        const fix *fx = cands[i].f->fix;
        bool clash = false;
        for (size_t x = 0; x < fx->nedits && !clash; x++)
            clash = edit_index_clashes(&ix, &fx->edits[x]);
        if (clash)
            continue;
        for (size_t x = 0; x < fx->nedits; x++)
            edit_index_add(&ix, &fx->edits[x]);
        chosen[nchosen++] = &cands[i];
    }
    free(ix.v);

    /* group the chosen fixes by file; a fix spanning files joins every group
     * (each file commits on its own: a refusal in one is not undone in another) */
    file_group *groups = NULL;
    size_t ng = 0;
    for (size_t i = 0; i < nchosen; i++) {
        const fix *fx = chosen[i]->f->fix;
        for (size_t k = 0; k < fx->nedits; k++) {
            const fix_edit *e = &fx->edits[k];
            size_t gi = 0;
            while (gi < ng && strcmp(groups[gi].src->path, e->file) != 0)
                gi++;
            if (gi == ng) {
                char why[512];
                bool created;
                source_file *src = edit_source(sources, e, &created, why, sizeof(why));
                if (!src) {
                    result_add(st, chosen[i]->f, FIX_OUT_REFUSED, why, pass);
                    list_add(a, &st->refused_files, &st->nrefused, e->file);
                    continue;
                }
                groups = xrealloc(groups, (ng + 1) * sizeof(file_group));
                groups[ng] = (file_group){.src = src, .created = created};
                ng++;
            }
            file_group *g = &groups[gi];
            if (g->n == 0 || g->fixes[g->n - 1] != chosen[i]) {
                g->fixes = xrealloc(g->fixes, (g->n + 1) * sizeof(candidate *));
                g->fixes[g->n++] = chosen[i];
            }
        }
    }
    size_t nch = 0;
    for (size_t gi = 0; gi < ng; gi++) {
        /* drop fixes refused in another file of this pass */
        size_t w = 0;
        for (size_t i = 0; i < groups[gi].n; i++)
            if (!fix_touches(groups[gi].fixes[i]->f, st->refused_files, st->nrefused))
                groups[gi].fixes[w++] = groups[gi].fixes[i];
        groups[gi].n = w;
        char *path = arena_strdup(a, groups[gi].src->path); /* commit frees the source */
        if (w && group_commit(st, &groups[gi], sources, pass, applied, napplied)) {
            list_add(a, changed, nchanged, path);
            nch++;
        }
        free(groups[gi].fixes);
    }
    free(groups);
    free(chosen);
    free(cands);
    return nch;
}

/* Replace fl by old findings outside the changed files plus the new ones. */
static void findings_merge(finding_list *fl, finding_list *fresh, char **changed, size_t nchanged,
                           bool all)
{
    finding_list n;
    findings_init(&n);
    if (!all)
        for (size_t i = 0; i < fl->n; i++) {
            const finding *f = fl->items[i];
            if (in_list(changed, nchanged, f->file))
                continue;
            finding_copy(&n, f, !fix_touches(f, changed, nchanged));
        }
    findings_append_copy(&n, fresh);
    findings_release(fl);
    *fl = n;
}

static int result_cmp(const void *pa, const void *pb)
{
    const fix_result *a = pa, *b = pb;
    int c = strcmp(a->file, b->file);
    if (c) return c;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    if (a->column != b->column) return a->column < b->column ? -1 : 1;
    if ((c = strcmp(a->rule, b->rule))) return c;
    return a->pass - b->pass;
}

static int file_cmp(const void *pa, const void *pb)
{
    return strcmp(((const fix_file *)pa)->path, ((const fix_file *)pb)->path);
}

int fix_apply_all(const fix_options *opt, finding_list *fl, source_set *sources,
                  fix_reanalyse_fn reanalyse, void *ud, fix_report *out,
                  char *why, size_t whylen)
{
    if (!out->a)
        fix_report_init(out);
    run_state st = {.opt = opt, .rep = out};
    if (opt->run_id)
        snprintf(out->run_id, sizeof(out->run_id), "%s", opt->run_id);
    else
        fix_run_id(out->run_id, sizeof(out->run_id));
    int max = opt->max_passes > 0 ? opt->max_passes : FIX_MAX_PASSES;

    /* backups only when something will be written */
    bool want_journal = !opt->dry_run && !opt->no_backup;
    if (want_journal) {
        bool any = false;
        for (size_t i = 0; i < fl->n && !any; i++)
            any = fix_allowed(&st, fl->items[i]);
        if (any) {
            st.journal = journal_open(opt->state_dir, out->run_id, why, whylen);
            if (!st.journal)
                return -1;
            out->backup_dir = arena_strdup(out->a, journal_dir(st.journal));
            /* undo restores only inside the machine this run fixed */
            const root *r = opt->root;
            char *host_root = root_confined(r) && r->dir && *r->dir ? realpath(r->dir, NULL) : NULL;
            journal_set_root(st.journal, host_root ? host_root : "/");
            free(host_root);
        }
    }

    int pass;
    size_t pending = 0;
    for (pass = 1; pass <= max; pass++) {
        char **changed = NULL;
        finding **applied = NULL;
        size_t nchanged = 0, napplied = 0;
        size_t nch = pass_run(&st, fl, sources, pass, &changed, &nchanged, &applied, &napplied,
                              &pending);
        if (nch == 0) {
            free(applied);
            break;
        }
        out->passes = pass;
        if (!reanalyse) {
            findings_after_blind_pass(&st, fl, changed, nchanged, applied, napplied, pass);
            free(applied);
            break;
        }
        finding_list fresh;
        findings_init(&fresh);
        char rwhy[512] = "";
        root_cache_forget(); /* files were written: no fact read before holds */
        bool ok = reanalyse(ud, sources, (const char *const *)changed, nchanged, &fresh, rwhy,
                            sizeof(rwhy));
        if (!ok) {
            findings_release(&fresh);
            findings_after_blind_pass(&st, fl, changed, nchanged, applied, napplied, pass);
            free(applied);
            snprintf(why, whylen, "analysis after fixing failed: %s", rwhy);
            break;
        }
        free(applied);
        findings_merge(fl, &fresh, changed, nchanged, opt->reanalyse_all);
        findings_release(&fresh);
        if (pass == max) {
            /* anything still applicable means we stopped early */
            for (size_t i = 0; i < fl->n; i++) {
                finding *f = fl->items[i];
                if (fix_allowed(&st, f) && !in_list(st.failed_keys, st.nfailed, fix_key(out->a, f)) &&
                    !fix_touches(f, st.refused_files, st.nrefused))
                    out->converged = false;
            }
        }
    }

    /* what remains: say why each left-over fix was not applied */
    for (size_t i = 0; i < fl->n; i++) {
        finding *f = fl->items[i];
        if (!f->fix || f->fix->nedits == 0)
            continue;
        if (f->fix->applicability == FIX_DISPLAY)
            result_add(&st, f, FIX_OUT_DISPLAY_ONLY, NULL, 0);
        else if (f->fix->applicability == FIX_UNSAFE && !opt->unsafe_fixes)
            result_add(&st, f, FIX_OUT_UNSAFE_SKIPPED, "needs --unsafe-fixes", 0);
        else if (in_list(st.failed_keys, st.nfailed, fix_key(out->a, f)) ||
                 fix_touches(f, st.refused_files, st.nrefused))
            continue; /* reported when it failed */
        else
            result_add(&st, f, FIX_OUT_CONFLICT,
                       reanalyse ? "still overlapping another fix when the passes ran out"
                                 : "overlaps another fix; run again", 0);
    }
    journal_close(st.journal);
    if (out->nresults > 1)
        qsort(out->results, out->nresults, sizeof(fix_result), result_cmp);
    if (out->nfiles > 1)
        qsort(out->files, out->nfiles, sizeof(fix_file), file_cmp);
    findings_sort(fl);
    return 0;
}

/* diff.c - fixes as one unified diff (--diff, --format diff) that `git apply`
 * and `patch -p1` accept: a/ and b/ prefixes, three lines of context, hunk
 * headers GNU-style, "\ No newline at end of file" where a line lacks one. */
#include "report/report.h"
#include "fix/fix.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DIFF_CONTEXT 3
/* Past this many cells the middle of a file is shown as replaced wholesale
 * (still a correct patch, only larger); bounds memory to ~16 MiB. */
#define DIFF_MAX_CELLS (4u * 1024u * 1024u)

typedef struct dline {
    const char *p;
    size_t len; /* including the \n, if any */
} dline;

static dline *split_lines(const char *s, size_t len, size_t *n)
{
    size_t cap = 16, k = 0;
    dline *v = xmalloc(cap * sizeof(dline));
    size_t start = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n') {
            if (k == cap)
                v = xrealloc(v, (cap *= 2) * sizeof(dline));
            v[k++] = (dline){s + start, i + 1 - start};
            start = i + 1;
        }
    if (start < len) {
        if (k == cap)
            v = xrealloc(v, (cap + 1) * sizeof(dline));
        v[k++] = (dline){s + start, len - start};
    }
    *n = k;
    return v;
}

static bool line_eq(dline a, dline b)
{
    return a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
}

enum { OP_EQ = 0, OP_DEL = 1, OP_INS = 2 };

typedef struct dop {
    unsigned char kind;
    size_t a, b; /* old / new line index the op refers to */
} dop;

/* Edit script between a[0..n) and b[0..m): common prefix and suffix, then
 * an LCS table over the middle while it stays small. */
static dop *diff_ops(const dline *a, size_t n, const dline *b, size_t m, size_t *nops)
{
    dop *ops = xmalloc((n + m + 1) * sizeof(dop));
    size_t k = 0;
    size_t pre = 0;
    while (pre < n && pre < m && line_eq(a[pre], b[pre]))
        pre++;
    size_t suf = 0;
    while (suf < n - pre && suf < m - pre && line_eq(a[n - 1 - suf], b[m - 1 - suf]))
        suf++;
    for (size_t i = 0; i < pre; i++)
        ops[k++] = (dop){OP_EQ, i, i};
    size_t an = n - pre - suf, bm = m - pre - suf;
    const dline *ma = a + pre, *mb = b + pre;
    if (an && bm && (an + 1) <= DIFF_MAX_CELLS / (bm + 1)) {
        uint32_t *t = xcalloc((an + 1) * (bm + 1), sizeof(uint32_t));
#define T(i, j) t[(i) * (bm + 1) + (j)]
        for (size_t i = an; i-- > 0;)
            for (size_t j = bm; j-- > 0;)
                T(i, j) = line_eq(ma[i], mb[j]) ? T(i + 1, j + 1) + 1
                        : T(i + 1, j) >= T(i, j + 1) ? T(i + 1, j) : T(i, j + 1);
        size_t i = 0, j = 0;
        while (i < an || j < bm) {
            if (i < an && j < bm && line_eq(ma[i], mb[j])) {
                ops[k++] = (dop){OP_EQ, pre + i, pre + j};
                i++, j++;
            } else if (j >= bm || (i < an && T(i + 1, j) >= T(i, j + 1))) {
                ops[k++] = (dop){OP_DEL, pre + i, pre + j};
                i++;
            } else {
                ops[k++] = (dop){OP_INS, pre + i, pre + j};
                j++;
            }
        }
#undef T
        free(t);
    } else {
        for (size_t i = 0; i < an; i++)
            ops[k++] = (dop){OP_DEL, pre + i, pre};
        for (size_t j = 0; j < bm; j++)
            ops[k++] = (dop){OP_INS, pre + an, pre + j};
    }
    for (size_t i = 0; i < suf; i++)
        ops[k++] = (dop){OP_EQ, n - suf + i, m - suf + i};

    /* within each run of changes: deletions first, then insertions */
    for (size_t s = 0; s < k;) {
        if (ops[s].kind == OP_EQ) {
            s++;
            continue;
        }
        size_t e = s;
        while (e < k && ops[e].kind != OP_EQ)
            e++;
        dop *tmp = xmalloc((e - s) * sizeof(dop));
        size_t w = 0;
        for (size_t x = s; x < e; x++)
            if (ops[x].kind == OP_DEL)
                tmp[w++] = ops[x];
        for (size_t x = s; x < e; x++)
            if (ops[x].kind == OP_INS)
                tmp[w++] = ops[x];
        memcpy(ops + s, tmp, (e - s) * sizeof(dop));
        free(tmp);
        s = e;
    }
    *nops = k;
    return ops;
}

static void range_add(strbuf *sb, size_t start, size_t count)
{
    /* GNU style: an empty range names the line before it */
    if (count == 0)
        strbuf_addf(sb, "%zu,0", start);
    else if (count == 1)
        strbuf_addf(sb, "%zu", start + 1);
    else
        strbuf_addf(sb, "%zu,%zu", start + 1, count);
}

static void line_add(strbuf *sb, char mark, dline l)
{
    strbuf_addc(sb, mark);
    strbuf_add(sb, l.p, l.len);
    if (!l.len || l.p[l.len - 1] != '\n')
        strbuf_adds(sb, "\n\\ No newline at end of file\n");
}

void diff_unified(strbuf *sb, const char *old_label, const char *new_label,
                  const char *old, size_t oldlen, const char *new, size_t newlen)
{
    size_t n, m, nops;
    dline *a = split_lines(old, oldlen, &n);
    dline *b = split_lines(new, newlen, &m);
    dop *ops = diff_ops(a, n, b, m, &nops);
    bool header = false;
    size_t i = 0;
    while (i < nops) {
        while (i < nops && ops[i].kind == OP_EQ)
            i++;
        if (i == nops)
            break;
        /* hunk from up to DIFF_CONTEXT equal lines before the change ... */
        size_t hs = i;
        for (size_t c = 0; c < DIFF_CONTEXT && hs > 0 && ops[hs - 1].kind == OP_EQ; c++)
            hs--;
        /* ... to the last change followed by fewer than 2*context equal lines */
        size_t he = i;
        for (;;) {
            while (he < nops && ops[he].kind != OP_EQ)
                he++;
            size_t eq = 0;
            while (he + eq < nops && ops[he + eq].kind == OP_EQ)
                eq++;
            if (he + eq < nops && eq <= 2 * DIFF_CONTEXT) {
                he += eq;
                continue;
            }
            he += eq < DIFF_CONTEXT ? eq : DIFF_CONTEXT;
            break;
        }
        size_t ostart = ops[hs].a, nstart = ops[hs].b, ocount = 0, ncount = 0;
        for (size_t x = hs; x < he; x++) {
            if (ops[x].kind != OP_INS) ocount++;
            if (ops[x].kind != OP_DEL) ncount++;
        }
        if (!header) {
            strbuf_addf(sb, "--- %s\n+++ %s\n", old_label, new_label);
            header = true;
        }
        strbuf_adds(sb, "@@ -");
        range_add(sb, ostart, ocount);
        strbuf_adds(sb, " +");
        range_add(sb, nstart, ncount);
        strbuf_adds(sb, " @@\n");
        for (size_t x = hs; x < he; x++) {
            if (ops[x].kind == OP_EQ)
                line_add(sb, ' ', a[ops[x].a]);
            else if (ops[x].kind == OP_DEL)
                line_add(sb, '-', a[ops[x].a]);
            else
                line_add(sb, '+', b[ops[x].b]);
        }
        i = he;
    }
    free(ops);
    free(a);
    free(b);
}

char *diff_path(const char *display_path, const char *root_dir)
{
    const char *p = display_path;
    if (root_dir && *root_dir) {
        while (*p == '/')
            p++;
        return xstrdup(p);
    }
    if (p[0] != '/') {
        while (p[0] == '.' && p[1] == '/')
            for (p += 2; *p == '/';)
                p++;
        return xstrdup(p);
    }
    char cwd[4096];
    if (getcwd(cwd, sizeof(cwd))) {
        size_t l = strlen(cwd);
        if (l > 1 && strncmp(p, cwd, l) == 0 && p[l] == '/')
            return xstrdup(p + l + 1);
        if (l == 1)
            return xstrdup(p + 1);
    }
    /* outside the current directory: keep it absolute minus the slash, so
     * `patch -p1` / `git apply` run from / find it */
    while (*p == '/')
        p++;
    return xstrdup(p);
}

/* "a/PATH" as git writes a name: in double quotes with C escapes (octal for
 * control and non-ASCII bytes) when it holds any, which `git apply` and GNU
 * patch read back; so a name from the analysed machine cannot drive the
 * terminal. The hunks stay the files' bytes, as a patch needs them. */
static void diff_label(strbuf *sb, const char *prefix, const char *path)
{
    bool quote = false;
    for (const unsigned char *q = (const unsigned char *)path; *q && !quote; q++)
        quote = *q < 0x20 || *q >= 0x7f || *q == '"' || *q == '\\';
    if (!quote) {
        strbuf_addf(sb, "%s%s", prefix, path);
        return;
    }
    strbuf_addf(sb, "\"%s", prefix);
    for (const unsigned char *q = (const unsigned char *)path; *q; q++) {
        if (*q == '"' || *q == '\\')
            strbuf_addf(sb, "\\%c", *q);
        else if (*q == '\t')
            strbuf_adds(sb, "\\t");
        else if (*q == '\n')
            strbuf_adds(sb, "\\n");
        else if (*q < 0x20 || *q >= 0x7f)
            strbuf_addf(sb, "\\%03o", *q);
        else
            strbuf_addc(sb, (char)*q);
    }
    strbuf_addc(sb, '"');
}

void report_fix_diff(strbuf *sb, const fix_report *fr, const char *root_dir)
{
    for (size_t i = 0; i < fr->nfiles; i++) {
        const fix_file *f = &fr->files[i];
        if (!f->after)
            continue;
        char *p = diff_path(f->path, root_dir);
        char *ol = f->created ? xstrdup("/dev/null") : NULL;
        strbuf a = STRBUF_INIT, b = STRBUF_INIT;
        if (!ol)
            diff_label(&a, "a/", p);
        diff_label(&b, "b/", p);
        diff_unified(sb, ol ? ol : a.data, b.data, f->before, f->before_len, f->after, f->after_len);
        strbuf_release(&a);
        strbuf_release(&b);
        free(ol);
        free(p);
    }
}

void report_diff(FILE *out, const finding_list *fl, const report_options *ro)
{
    finding_list copy;
    findings_init(&copy);
    findings_append_copy(&copy, fl);
    source_set sources = {0};
    fix_options opt = {.unsafe_fixes = ro->unsafe_fixes, .dry_run = true, .no_backup = true};
    fix_report fr;
    fix_report_init(&fr);
    char why[512];
    strbuf sb = STRBUF_INIT;
    if (fix_apply_all(&opt, &copy, &sources, NULL, NULL, &fr, why, sizeof(why)) == 0)
        report_fix_diff(&sb, &fr, ro->root_dir);
    if (sb.len)
        fwrite(sb.data, 1, sb.len, out);
    strbuf_release(&sb);
    fix_report_release(&fr);
    source_set_release(&sources);
    findings_release(&copy);
}

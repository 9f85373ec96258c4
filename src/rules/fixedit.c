/*
 * fixedit.c - text edits that the startup-chain and Go rules attach as
 * fixes: whole-line removals and insertions, appends at the end of a file,
 * and the value word of a NAME=value assignment. Byte offsets are those of
 * the file as read (see fix_add_edit in core.h).
 */
#include "rules/rules.h"

#include <ctype.h>
#include <string.h>

void src_line_span(const source_file *src, size_t off, size_t *ls, size_t *le)
{
    if (off > src->len)
        off = src->len;
    size_t s = off;
    while (s > 0 && src->data[s - 1] != '\n')
        s--;
    const char *nl = memchr(src->data + off, '\n', src->len - off);
    *ls = s;
    *le = nl ? (size_t)(nl - src->data) + 1 : src->len;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

bool src_line_only(const source_file *src, size_t start, size_t end)
{
    if (!src || start > end || end > src->len || src->binary)
        return false;
    size_t ls, le;
    src_line_span(src, start, &ls, &le);
    if (memchr(src->data + start, '\n', end - start))
        return false; /* the statement spans several lines */
    for (size_t i = ls; i < start; i++)
        if (!blank(src->data[i]))
            return false;
    size_t i = end;
    while (i < le && blank(src->data[i]))
        i++;
    if (i < le && src->data[i] == ';')
        i++;
    while (i < le && blank(src->data[i]))
        i++;
    return i >= le || src->data[i] == '\n' || src->data[i] == '#';
}

void fix_edit_delete_line(finding_list *fl, fix *fx, const source_file *src, size_t off)
{
    size_t ls, le;
    src_line_span(src, off, &ls, &le);
    if (le == src->len && ls > 0 && (le == ls || src->data[le - 1] != '\n'))
        ls--; /* last line without a newline: take the one before it instead */
    fix_add_edit(fl, fx, src, ls, le, "");
}

void fix_edit_insert_line(finding_list *fl, fix *fx, const source_file *src, size_t off,
                          const char *text)
{
    size_t ls, le;
    src_line_span(src, off, &ls, &le);
    fix_add_edit(fl, fx, src, ls, ls, text);
}

void fix_edit_append_lines(finding_list *fl, fix *fx, const source_file *src, const char *text)
{
    if (src->len && src->data[src->len - 1] != '\n') {
        strbuf sb = STRBUF_INIT;
        strbuf_addf(&sb, "\n%s", text);
        fix_add_edit(fl, fx, src, src->len, src->len, sb.data);
        strbuf_release(&sb);
    } else {
        fix_add_edit(fl, fx, src, src->len, src->len, text);
    }
}

bool shell_assign_value(const source_file *src, size_t start, size_t end, const char *name,
                        size_t *vs, size_t *ve)
{
    if (!src || start >= end || end > src->len)
        return false;
    const char *d = src->data;
    size_t n = strlen(name);
    for (size_t i = start; i + n < end; i++) {
        if (strncmp(d + i, name, n) != 0 || d[i + n] != '=')
            continue;
        if (i > start && !blank(d[i - 1]) && d[i - 1] != ';')
            continue;
        size_t j = i + n + 1, k = j;
        /* one word: quoted parts and unquoted characters up to a blank */
        while (k < end && !blank(d[k]) && d[k] != ';' && d[k] != '&' && d[k] != '|' &&
               d[k] != '\n' && d[k] != ')') {
            if (d[k] == '"' || d[k] == '\'') {
                char q = d[k];
                const char *close = memchr(d + k + 1, q, end - k - 1);
                if (!close)
                    return false;
                k = (size_t)(close - d) + 1;
            } else if (d[k] == '\\' || d[k] == '`' || d[k] == '(') {
                return false;
            } else {
                k++;
            }
        }
        *vs = j;
        *ve = k;
        return true;
    }
    return false;
}

bool shell_assign_only(const source_file *src, size_t start, size_t end, const char *name)
{
    size_t vs, ve;
    if (!src_line_only(src, start, end) || !shell_assign_value(src, start, end, name, &vs, &ve))
        return false;
    const char *d = src->data;
    size_t e = end;
    while (e > ve && (blank(d[e - 1]) || d[e - 1] == ';'))
        e--;
    if (e != ve)
        return false;
    /* before the name: nothing, or export / declare -x / typeset -x */
    size_t ns = vs - strlen(name) - 1, s = start;
    while (s < ns && blank(d[s]))
        s++;
    if (s == ns)
        return true;
    static const char *const prefixes[] = {"export", "declare -x", "typeset -x"};
    for (size_t p = 0; p < GE_ARRAY_LEN(prefixes); p++) {
        size_t k = strlen(prefixes[p]);
        if (ns - s > k && strncmp(d + s, prefixes[p], k) == 0) {
            size_t q = s + k;
            while (q < ns && blank(d[q]))
                q++;
            if (q == ns && q > s + k)
                return true;
        }
    }
    return false;
}

bool shell_toplevel_range(const shell_tree *t, size_t off, size_t *s, size_t *e)
{
    if (!t || !t->tree)
        return false;
    TSNode top = ts_tree_root_node(t->tree);
    uint32_t n = ts_node_named_child_count(top);
    for (uint32_t i = 0; i < n; i++) {
        TSNode c = ts_node_named_child(top, i);
        uint32_t cs = ts_node_start_byte(c), ce = ts_node_end_byte(c);
        if (cs <= off && off < ce) {
            *s = cs;
            *e = ce;
            return true;
        }
    }
    return false;
}

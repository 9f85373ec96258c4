/*
 * zsh.c - what the interpreter does with the trees of tree-sitter-zsh: its
 * parameter expansions (variable_ref, expansion with flags, styles and
 * modifiers), the short for forms, anonymous functions, and the regions the
 * grammar could not parse. interp.c hands a node here first when it comes
 * from a zsh tree; what is not handled here goes the bash way (most node
 * types are shared). Whatever cannot be followed is kept opaque or marks the
 * state uncertain, and interpretation goes on after it.
 */
#include "sim/internal.h"

#include <fnmatch.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#define IS(t, lit) (strcmp((t), (lit)) == 0)

static bool is_named(TSNode n, const char *type)
{
    return !ts_node_is_null(n) && ts_node_is_named(n) && IS(ts_node_type(n), type);
}

static TSNode child_by_field(TSNode n, const char *f)
{
    return ts_node_child_by_field_name(n, f, (uint32_t)strlen(f));
}

/* Text between two byte offsets of the current file. */
static const char *span_text(interp *I, uint32_t s, uint32_t e)
{
    const source_file *src = I->file->src;
    if (e > src->len) e = (uint32_t)src->len;
    if (s > e) s = e;
    return arena_strndup(I->a, src->data + s, e - s);
}

/* ---- values as word lists --------------------------------------------------- */

typedef struct zwords {
    const char **v;
    size_t n, cap;
    bool uncertain, opaque;
} zwords;

static void zw_push(interp *I, zwords *w, const char *s)
{
    if (w->n == w->cap) {
        size_t nc = w->cap ? 2 * w->cap : 8;
        w->v = arena_grow(I->a, w->v, w->cap, nc, sizeof(*w->v));
        w->cap = nc;
    }
    w->v[w->n++] = s;
}

static void zw_from(interp *I, zwords *w, const xlist *l)
{
    for (size_t i = 0; i < sim_x_count(l); i++)
        zw_push(I, w, sim_x_word(l, i));
    w->uncertain |= sim_x_uncertain(l);
    w->opaque |= sim_x_is_opaque(l);
}

static const char *zw_join(interp *I, const zwords *w, const char *sep)
{
    size_t sl = strlen(sep), len = 0;
    for (size_t i = 0; i < w->n; i++)
        len += strlen(w->v[i]) + (i ? sl : 0);
    char *r = arena_alloc(I->a, len + 1), *p = r;
    for (size_t i = 0; i < w->n; i++) {
        if (i) { memcpy(p, sep, sl); p += sl; }
        size_t l = strlen(w->v[i]);
        memcpy(p, w->v[i], l);
        p += l;
    }
    *p = '\0';
    return r;
}

/* The value of a parameter: array elements as words, a scalar as one word
 * (empty list when unset). */
static void param_words(interp *I, const char *name, zwords *out, bool *set)
{
    bool certain = true;
    *set = sim_x_is_set(I, name, &certain);
    if (!certain) out->uncertain = true;
    xlist *l = sim_x_new(I);
    sim_x_var(I, l, name, true, SIM_X_FIELDS);
    if (*set || sim_x_count(l))
        zw_from(I, out, l);
}

/* ---- modifiers (:h :t :r :e :a :A :l :u) ---------------------------------- */

static const char *apply_modifier(interp *I, const char *v, char m, bool *ok)
{
    const char *slash = strrchr(v, '/');
    const char *dot = strrchr(slash ? slash : v, '.');
    switch (m) {
    case 'h':
        if (!slash) return ".";
        if (slash == v) return "/";
        return arena_strndup(I->a, v, (size_t)(slash - v));
    case 't':
        return slash ? slash + 1 : v;
    case 'r':
        return dot ? arena_strndup(I->a, v, (size_t)(dot - v)) : v;
    case 'e':
        return dot ? dot + 1 : "";
    case 'a':
    case 'A':
        if (v[0] == '/') return v; /* symlinks (A) are not resolved: approximate */
        *ok = false;
        return v;
    case 'l':
    case 'u': {
        char *s = arena_strdup(I->a, v);
        for (char *p = s; *p; p++)
            *p = (char)(m == 'u' ? (*p >= 'a' && *p <= 'z' ? *p - 32 : *p)
                                 : (*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
        return s;
    }
    default:
        *ok = false;
        return v;
    }
}

/* ":h:t" applied to every word; false if one is not understood. */
static bool apply_modifiers(interp *I, zwords *w, const char *mods)
{
    for (const char *p = mods; *p; p++) {
        if (*p == ':') continue;
        if (strchr("hA", *p) && p[1] >= '0' && p[1] <= '9') return false; /* :h2 */
        bool ok = true;
        for (size_t i = 0; i < w->n; i++)
            w->v[i] = apply_modifier(I, w->v[i], *p, &ok);
        if (!ok) return false;
    }
    return true;
}

/* ---- flags: (s.:.) (j.:.) (M) (U) (L) (@) (k) (v) (f) (F) ------------------- */

typedef struct zflags {
    const char *split, *join;
    bool match, upper, lower, at, keys, values, ok;
} zflags;

/* "s.:." -> ":" with any delimiter; (s::) uses ':' itself. */
static const char *flag_arg(interp *I, const char **p)
{
    char open = **p, close = open;
    if (!open) return NULL;
    if (open == '(') close = ')';
    else if (open == '[') close = ']';
    else if (open == '{') close = '}';
    else if (open == '<') close = '>';
    const char *s = *p + 1;
    const char *e = strchr(s, close);
    if (!e) return NULL;
    *p = e + 1;
    return arena_strndup(I->a, s, (size_t)(e - s));
}

static zflags parse_flags(interp *I, const char *text)
{
    zflags f = {.ok = true};
    size_t len = strlen(text);
    if (len < 2 || text[0] != '(' || text[len - 1] != ')') {
        f.ok = false;
        return f;
    }
    const char *end = text + len - 1;
    for (const char *p = text + 1; p < end && f.ok;) {
        char c = *p++;
        switch (c) {
        case 's': f.split = flag_arg(I, &p); f.ok = f.split != NULL; break;
        case 'j': f.join = flag_arg(I, &p); f.ok = f.join != NULL; break;
        case 'f': f.split = "\n"; break;
        case 'F': f.join = "\n"; break;
        case 'M': f.match = true; break;
        case 'U': f.upper = true; break;
        case 'L': f.lower = true; break;
        case '@': f.at = true; break;
        case 'k': f.keys = true; break;
        case 'v': f.values = true; break;
        case 'u': case 'o': case 'O': case 'q': case 'Q': case 'P': case 'e': case '%':
        case 'z': case '0': case 'p': case 'r': case 'l': case 'i': case 'n': case 'a':
        case 'c': case 'w': case 'W': case 't': case 'S': case 'B': case 'E': case 'N':
        case 'A': case 'C': case 'D': case 'V': case 'X': case 'g': case 'm': case '#':
        case '~': case '*': case 'b': case '-':
        default:
            f.ok = false; /* understood by zsh, not modelled here */
            break;
        }
    }
    if (f.keys) f.ok = false; /* associative arrays are not modelled */
    return f;
}

static void split_on(interp *I, zwords *w, const char *sep)
{
    zwords out = {.uncertain = w->uncertain, .opaque = w->opaque};
    size_t sl = strlen(sep);
    for (size_t i = 0; i < w->n; i++) {
        const char *s = w->v[i];
        while (sl) {
            const char *e = strstr(s, sep);
            if (!e) break;
            if (e > s) zw_push(I, &out, arena_strndup(I->a, s, (size_t)(e - s)));
            s = e + sl;
        }
        if (*s) zw_push(I, &out, s);
    }
    *w = out;
}

static void change_case(interp *I, zwords *w, char m)
{
    bool ok = true;
    for (size_t i = 0; i < w->n; i++)
        w->v[i] = apply_modifier(I, w->v[i], m, &ok);
}

/* ---- pattern operators: # ## % %% :# and the M flag ------------------------ */

static bool match_pattern(const char *pat, const char *s)
{
    return fnmatch(pat, s, 0) == 0;
}

/* Apply op with pattern to every word; false if the operator is not modelled. */
static bool apply_pattern(interp *I, zwords *w, const char *op, const char *pat, bool match_flag)
{
    if (IS(op, ":#")) {
        zwords out = {.uncertain = w->uncertain, .opaque = w->opaque};
        for (size_t i = 0; i < w->n; i++)
            if (match_pattern(pat, w->v[i]) == match_flag)
                zw_push(I, &out, w->v[i]);
        *w = out;
        return true;
    }
    if (match_flag) return false; /* (M) with # or %: the matched part, not modelled */
    if (IS(op, "#") || IS(op, "##") || IS(op, "%") || IS(op, "%%")) {
        for (size_t i = 0; i < w->n; i++)
            w->v[i] = sim_strip_pattern(I->a, w->v[i], op, pat);
        return true;
    }
    return false;
}

/* ---- ${...} -------------------------------------------------------------- */

/* Expand n into one string (quoted context). */
static const char *expand_scalar(interp *I, TSNode n, zwords *flags_out)
{
    xlist *l = sim_x_new(I);
    sim_x_node(I, n, l, SIM_X_QUOTED);
    flags_out->uncertain |= sim_x_uncertain(l);
    flags_out->opaque |= sim_x_is_opaque(l);
    return sim_x_count(l) ? sim_x_word(l, 0) : "";
}

/* The parameter a ${...} (or one of its expansion_* parts) names, as words.
 * False when it cannot be followed (the caller keeps the text opaque). */
static bool name_words(interp *I, TSNode holder, zwords *w, bool *set)
{
    TSNode name = child_by_field(holder, "name");
    *set = false;
    if (ts_node_is_null(name)) return false;
    const char *t = ts_node_type(name);
    if (IS(t, "simple_variable_name") || IS(t, "special_variable_name") || IS(t, "variable_name")) {
        const char *nm = sim_x_node_text(I, name);
        if (IS(nm, "$") || IS(nm, "!") || IS(nm, "?")) return false;
        param_words(I, nm, w, set);
    } else if (IS(t, "expansion") || IS(t, "variable_ref") || IS(t, "string") ||
               IS(t, "command_substitution")) {
        xlist *l = sim_x_new(I);
        sim_x_node(I, name, l, SIM_X_FIELDS);
        zw_from(I, w, l);
        *set = true;
    } else {
        return false;
    }
    TSNode index = child_by_field(holder, "index");
    if (!ts_node_is_null(index)) {
        const char *it = ts_node_type(index);
        if (IS(it, "array_at") || IS(it, "array_star"))
            return true;
        if (IS(it, "number")) {
            long k = strtol(sim_x_node_text(I, index), NULL, 10);
            const char *e = k >= 1 && (size_t)k <= w->n ? w->v[k - 1]
                            : k < 0 && (size_t)-k <= w->n ? w->v[w->n + (size_t)k] : NULL;
            w->n = 0;
            if (e) zw_push(I, w, e);
            return true;
        }
        return false;
    }
    return true;
}

/* The operator of an expansion_default/expansion_pattern: the text between
 * the name (and index) and the next named part. */
static const char *op_between(interp *I, TSNode part, TSNode next)
{
    uint32_t s = 0;
    uint32_t nc = ts_node_child_count(part);
    for (uint32_t i = 0; i < nc; i++) {
        const char *f = ts_node_field_name_for_child(part, i);
        if (f && (IS(f, "name") || IS(f, "index") || IS(f, "flags")))
            s = ts_node_end_byte(ts_node_child(part, i));
    }
    uint32_t e = ts_node_is_null(next) ? ts_node_end_byte(part) : ts_node_start_byte(next);
    return span_text(I, s, e);
}

static void put_words(interp *I, xlist *out, const zwords *w, int mode, bool join_quoted)
{
    if (w->uncertain || w->opaque) sim_x_mark(out, w->uncertain, w->opaque);
    if (((mode & SIM_X_QUOTED) && join_quoted) || !(mode & SIM_X_FIELDS)) {
        sim_x_text(I, out, zw_join(I, w, " "), false);
        return;
    }
    for (size_t i = 0; i < w->n; i++)
        sim_x_text(I, out, w->v[i], i > 0 && (mode & SIM_X_FIELDS));
}

static bool expand_braced(interp *I, TSNode n, xlist *out, int mode)
{
    TSNode flagsn = child_by_field(n, "flags");
    TSNode style = child_by_field(n, "style");
    zflags fl = {.ok = true};
    if (!ts_node_is_null(flagsn)) {
        if (!is_named(flagsn, "expansion_flags")) return false;
        fl = parse_flags(I, sim_x_node_text(I, flagsn));
        if (!fl.ok) return false;
    }
    const char *st = ts_node_is_null(style) ? "" : sim_x_node_text(I, style);
    zwords w = {0};
    bool set = false;
    TSNode part = {0};
    uint32_t nc = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = ts_node_named_child(n, i);
        const char *t = ts_node_type(c);
        if (strncmp(t, "expansion_", 10) == 0 && !IS(t, "expansion_flags") && !IS(t, "expansion_style"))
            part = c;
    }
    TSNode holder = ts_node_is_null(part) ? n : part;
    if (!name_words(I, holder, &w, &set)) return false;
    bool quoted_join = !fl.at;
    if (!ts_node_is_null(part)) {
        const char *pt = ts_node_type(part);
        if (IS(pt, "expansion_default")) {
            TSNode def = child_by_field(part, "default");
            const char *op = op_between(I, part, def);
            size_t ol = strlen(op);
            while (ol && op[ol - 1] == '}') ol--;
            op = arena_strndup(I->a, op, ol);
            bool colon = op[0] == ':';
            const char *o = colon ? op + 1 : op;
            bool nonempty = w.n > 0 && !(w.n == 1 && w.v[0][0] == '\0');
            bool use = colon ? nonempty : set;
            zwords d = {0};
            if (!ts_node_is_null(def)) {
                xlist *l = sim_x_new(I);
                uint32_t dn = ts_node_named_child_count(def);
                for (uint32_t k = 0; k < dn; k++) {
                    if (k) sim_x_text(I, l, " ", false);
                    sim_x_node(I, ts_node_named_child(def, k), l, SIM_X_QUOTED);
                }
                zw_from(I, &d, l);
                if (d.n == 0) zw_push(I, &d, "");
            } else {
                zw_push(I, &d, "");
            }
            if (IS(o, "-") || IS(o, "=")) {
                if (!use) {
                    if (IS(o, "=")) {
                        TSNode nm = child_by_field(part, "name");
                        sim_x_assign(I, sim_x_node_text(I, nm), d.v[0], !d.uncertain, d.opaque);
                    }
                    w = d;
                }
            } else if (IS(o, "+")) {
                w = use ? d : (zwords){0};
            } else if (IS(o, "?")) {
                /* the value, or an error: the shell stops, not modelled */
                w.uncertain = true;
            } else {
                return false;
            }
        } else if (IS(pt, "expansion_pattern")) {
            TSNode pat = child_by_field(part, "pattern");
            TSNode rep = child_by_field(part, "replacement");
            if (ts_node_is_null(pat) || !ts_node_is_null(rep)) return false;
            const char *op = op_between(I, part, pat);
            zwords pw = {0};
            const char *p = sim_x_node_text(I, pat);
            if (!is_named(pat, "regex") && !is_named(pat, "word"))
                p = expand_scalar(I, pat, &pw);
            if (pw.opaque || !apply_pattern(I, &w, op, p, fl.match)) return false;
            w.uncertain |= pw.uncertain;
        } else if (IS(pt, "expansion_with_modifier")) {
            TSNode mod = child_by_field(part, "modifier");
            if (ts_node_is_null(mod) || !apply_modifiers(I, &w, sim_x_node_text(I, mod))) return false;
        } else {
            return false; /* substrings, array slices */
        }
    } else if (fl.match) {
        return false;
    }
    if (IS(st, "#")) {
        char buf[32];
        size_t len = w.n == 1 ? strlen(w.v[0]) : w.n;
        snprintf(buf, sizeof(buf), "%zu", len);
        w.n = 0;
        zw_push(I, &w, arena_strdup(I->a, buf));
    } else if (IS(st, "+")) {
        bool certain = true;
        TSNode nm = child_by_field(holder, "name");
        bool is = !ts_node_is_null(nm) && sim_x_is_set(I, sim_x_node_text(I, nm), &certain);
        w.n = 0;
        zw_push(I, &w, is ? "1" : "0");
        w.uncertain |= !certain;
    } else if (IS(st, "=")) {
        split_on(I, &w, " ");
    } else if (!IS(st, "") && !IS(st, "~") && !IS(st, "^")) {
        return false;
    }
    if (fl.upper) change_case(I, &w, 'u');
    if (fl.lower) change_case(I, &w, 'l');
    if (fl.join) {
        const char *j = zw_join(I, &w, fl.join);
        w.n = 0;
        zw_push(I, &w, j);
    }
    if (fl.split) {
        split_on(I, &w, fl.split);
        quoted_join = !fl.at && !(mode & SIM_X_QUOTED);
    }
    put_words(I, out, &w, mode, quoted_join);
    if (IS(st, "~")) sim_x_glob(I, out);
    return true;
}

/* $name, $name:h, $^name, $~name */
static bool expand_ref(interp *I, TSNode n, xlist *out, int mode)
{
    TSNode name = {0}, style = {0};
    uint32_t nc = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = ts_node_named_child(n, i);
        const char *t = ts_node_type(c);
        if (IS(t, "simple_variable_name") || IS(t, "special_variable_name")) name = c;
        else if (IS(t, "expansion_style")) style = c;
    }
    if (ts_node_is_null(name)) return false;
    const char *nm = sim_x_node_text(I, name);
    if (IS(nm, "$") || IS(nm, "!") || IS(nm, "?")) return false;
    TSNode mod = child_by_field(n, "modifier");
    const char *mods = ts_node_is_null(mod) ? "" : sim_x_node_text(I, mod);
    const char *st = ts_node_is_null(style) ? "" : sim_x_node_text(I, style);
    if (!IS(st, "") && !IS(st, "~") && !IS(st, "^")) return false;
    TSNode index = child_by_field(n, "index");
    if (!ts_node_is_null(index)) {
        /* $arr[2], $assoc[key]: an element; keys of an associative array
         * are not modelled, only "not set at all" is known */
        zwords w = {0};
        bool set;
        param_words(I, nm, &w, &set);
        if (is_named(index, "array_at") || is_named(index, "array_star")) {
            /* $arr[@], "$path[@]": every element, one word each in quotes
             * for @, joined for * */
            if (!apply_modifiers(I, &w, mods)) return false;
            put_words(I, out, &w, mode, is_named(index, "array_star"));
            return true;
        }
        if (is_named(index, "number")) {
            long k = strtol(sim_x_node_text(I, index), NULL, 10);
            const char *e = k >= 1 && (size_t)k <= w.n ? w.v[k - 1] : NULL;
            w.n = 0;
            if (e) zw_push(I, &w, e);
        } else if (set || w.uncertain) {
            return false;
        }
        if (!apply_modifiers(I, &w, mods)) return false;
        put_words(I, out, &w, mode, true);
        return true;
    }
    if (IS(mods, "") || IS(mods, ":")) {
        /* "$PATH:$X": a lone ':' is text, not a modifier */
        sim_x_var(I, out, nm, false, mode);
        if (mods[0]) sim_x_text(I, out, ":", false);
    } else {
        zwords w = {0};
        bool set;
        param_words(I, nm, &w, &set);
        if (!apply_modifiers(I, &w, mods)) return false;
        put_words(I, out, &w, mode, true);
    }
    if (IS(st, "~")) sim_x_glob(I, out);
    return true;
}

/* $^arr glued to text: each element with the text around it. */
static bool expand_concat_rc(interp *I, TSNode n, xlist *out, int mode)
{
    uint32_t nc = ts_node_named_child_count(n);
    long at = -1;
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (!is_named(c, "variable_ref") && !is_named(c, "expansion")) continue;
        TSNode st = ts_node_named_child(c, 0);
        if (is_named(st, "expansion_style") && IS(sim_x_node_text(I, st), "^")) {
            if (at >= 0) return false; /* two of them: a product, not modelled */
            at = i;
        }
    }
    if (at < 0) return false;
    zwords pre = {0}, post = {0}, mid = {0};
    xlist *a = sim_x_new(I), *b = sim_x_new(I), *m = sim_x_new(I);
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = ts_node_named_child(n, i);
        if ((long)i < at) sim_x_node(I, c, a, SIM_X_QUOTED);
        else if ((long)i > at) sim_x_node(I, c, b, SIM_X_QUOTED);
        else sim_x_node(I, c, m, SIM_X_FIELDS);
    }
    zw_from(I, &pre, a);
    zw_from(I, &post, b);
    zw_from(I, &mid, m);
    const char *p = pre.n ? pre.v[0] : "", *q = post.n ? post.v[0] : "";
    zwords w = {.uncertain = pre.uncertain || post.uncertain || mid.uncertain,
                .opaque = pre.opaque || post.opaque || mid.opaque};
    for (size_t k = 0; k < mid.n; k++)
        zw_push(I, &w, arena_printf(I->a, "%s%s%s", p, mid.v[k], q));
    put_words(I, out, &w, mode, true);
    if (sim_x_glob_seen(b)) sim_x_glob(I, out);
    return true;
}

/* The grammar reads `$HOME:h` as $HOME with an empty modifier ':' and a word
 * "h": the length of the modifiers ("h", "h:t") at the start of that word. */
static size_t split_modifier(interp *I, TSNode ref, TSNode next)
{
    TSNode mod = child_by_field(ref, "modifier");
    if (ts_node_is_null(mod) || !IS(sim_x_node_text(I, mod), ":") || !is_named(next, "word") ||
        ts_node_start_byte(next) != ts_node_end_byte(ref))
        return 0;
    const char *w = sim_x_node_text(I, next);
    size_t k = 0;
    while (w[k] && strchr("htrealu", w[k])) {
        k++;
        if (w[k] != ':' || !w[k + 1] || !strchr("htrealu", w[k + 1])) break;
        k++;
    }
    return k;
}

/* A concatenation holding $HOME:h (see split_modifier). */
static bool expand_concat_modifier(interp *I, TSNode n, xlist *out, int mode)
{
    uint32_t nc = ts_node_child_count(n);
    bool any = false;
    for (uint32_t i = 0; i + 1 < nc && !any; i++)
        any = is_named(ts_node_child(n, i), "variable_ref") &&
              split_modifier(I, ts_node_child(n, i), ts_node_child(n, i + 1)) > 0;
    if (!any) return false;
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = ts_node_child(n, i);
        size_t k = i + 1 < nc && is_named(c, "variable_ref") ? split_modifier(I, c, ts_node_child(n, i + 1)) : 0;
        if (k) {
            TSNode name = ts_node_named_child(c, 0);
            const char *w = sim_x_node_text(I, ts_node_child(n, i + 1));
            zwords v = {0};
            bool set;
            if (!is_named(name, "simple_variable_name") && !is_named(name, "special_variable_name"))
                return false;
            param_words(I, sim_x_node_text(I, name), &v, &set);
            if (!apply_modifiers(I, &v, arena_strndup(I->a, w, k))) return false;
            put_words(I, out, &v, mode, true);
            if (w[k]) sim_x_literal(I, out, w + k, mode);
            i++;
        } else if (ts_node_is_named(c)) {
            sim_x_node(I, c, out, mode);
        } else {
            sim_x_literal(I, out, sim_x_node_text(I, c), mode);
        }
    }
    return true;
}

bool zsh_expand(interp *I, TSNode n, const char *type, xlist *out, int mode)
{
    if (IS(type, "variable_ref")) {
        if (!expand_ref(I, n, out, mode)) sim_x_opaque(I, out, n);
        return true;
    }
    if (IS(type, "expansion")) {
        if (!expand_braced(I, n, out, mode)) sim_x_opaque(I, out, n);
        return true;
    }
    if (IS(type, "concatenation"))
        return expand_concat_rc(I, n, out, mode) || expand_concat_modifier(I, n, out, mode);
    if (IS(type, "glob_pattern")) {
        /* text as written, qualifier included: expand_args strips (N) and
         * a no-match drops the word as zsh does with null_glob */
        sim_x_literal(I, out, sim_x_node_text(I, n), mode);
        return true;
    }
    if (IS(type, "simple_variable_name")) {
        sim_x_literal(I, out, sim_x_node_text(I, n), mode);
        return true;
    }
    return false;
}

/* ---- statements ---------------------------------------------------------------- */

/* The body of a for loop: the short forms tag the ';' before it as body too. */
TSNode zsh_loop_body(TSNode n)
{
    TSNode body = {0};
    uint32_t nc = ts_node_child_count(n);
    for (uint32_t i = 0; i < nc; i++) {
        const char *f = ts_node_field_name_for_child(n, i);
        TSNode c = ts_node_child(n, i);
        if (f && IS(f, "body") && ts_node_is_named(c)) body = c;
    }
    return body;
}

/* A region the grammar could not parse: run the statements it still holds,
 * everything after it uncertain (what the region did is unknown). */
static void exec_error(interp *I, TSNode n)
{
    sim_x_unparsed(I, n);
    uint32_t nc = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = ts_node_named_child(n, i);
        const char *t = ts_node_type(c);
        if (IS(t, "word") || IS(t, "ERROR") || IS(t, "comment") || strstr(t, "variable_name") ||
            IS(t, "variable_ref") || IS(t, "expansion") || IS(t, "string") || IS(t, "raw_string") ||
            IS(t, "number") || IS(t, "concatenation") || IS(t, "glob_pattern"))
            continue;
        sim_x_stmt(I, c);
    }
}

bool zsh_exec_stmt(interp *I, TSNode n, const char *type, int *result)
{
    uint32_t start = ts_node_start_byte(n);
    if (start < I->file->src->len && I->file->src->data[start] == '#' && !IS(type, "comment")) {
        /* tree-sitter-zsh 0.63.1 reads `#NAME=value` as an assignment to
         * "#NAME"; zsh reads a comment */
        *result = 1;
        return true;
    }
    if (IS(type, "terse_for_statement")) {
        *result = sim_x_for(I, n);
        return true;
    }
    if (IS(type, "function_definition") && ts_node_is_null(child_by_field(n, "name"))) {
        /* () { ... } runs at once, as a function without arguments */
        TSNode body = child_by_field(n, "body");
        *result = ts_node_is_null(body) ? 1 : sim_x_call_body(I, body);
        return true;
    }
    if (IS(type, "ERROR")) {
        exec_error(I, n);
        *result = 2;
        return true;
    }
    return false;
}

/* ---- function locals ------------------------------------------------------------ */

size_t sim_locals_begin(interp *I)
{
    size_t mark = I->locals_from;
    I->locals_from = I->nlocals;
    return mark;
}

void sim_local_declare(interp *I, const char *name)
{
    if (!I->call_depth) return;
    for (size_t i = I->locals_from; i < I->nlocals; i++)
        if (IS(I->locals[i].name, name)) return;
    sim_local *l = ARENA_PUSH(I->a, I->locals, I->nlocals, I->caplocals);
    l->name = arena_strdup(I->a, name);
    l->saved = state_get(I->st, name);
}

/* The values from before the call come back, innermost first. */
void sim_locals_end(interp *I, size_t mark)
{
    while (I->nlocals > I->locals_from) {
        const sim_local *l = &I->locals[--I->nlocals];
        if (l->saved) state_put(I->a, I->st, l->saved);
        else state_drop(I->st, l->name);
    }
    I->locals_from = mark;
}

/* ---- globs: qualifiers, exclusions, options ----------------------------------- */

char *zsh_glob_prepare(interp *I, char *pat, zsh_glob *g)
{
    memset(g, 0, sizeof(*g));
    size_t pl = strlen(pat);
    char *open = strrchr(pat, '(');
    if (pl > 3 && pat[pl - 1] == ')' && open && !strchr(open, '|')) {
        bool negate = false;
        for (const char *q = open + 1; q < pat + pl - 1; q++) {
            switch (*q) {
            case 'N': break;
            case '^': negate = !negate; break;
            case '-': g->follow = true; break;
            case '.': case '/': case '@': case '*':
                g->type = *q;
                g->negate = negate;
                break;
            case 'o': case 'O':
                /* on: by name, the default; anything else orders by time or size */
                if (!(q[0] == 'o' && q[1] == 'n')) g->unknown = true;
                if (q[1]) q++;
                break;
            default:
                g->unknown = true;
                break;
            }
        }
        *open = '\0';
    }
    if (I->dialect == SHELL_ZSH && I->st->extended_glob) {
        char *tilde = strchr(pat, '~');
        if (tilde && tilde > pat) {
            *tilde = '\0';
            g->exclude = tilde + 1;
        }
    }
    return pat;
}

bool zsh_glob_keep(interp *I, const zsh_glob *g, const char *path, const char *word)
{
    if (g->exclude && fnmatch(g->exclude, word, 0) == 0)
        return false;
    if (!g->type)
        return true;
    struct stat st;
    const root *r = I->run->root;
    if ((g->follow ? root_stat(r, path, &st) : root_lstat(r, path, &st)) != 0)
        return g->negate;
    bool is;
    switch (g->type) {
    case '.': is = S_ISREG(st.st_mode); break;
    case '/': is = S_ISDIR(st.st_mode); break;
    case '@': is = S_ISLNK(st.st_mode); break;
    default: is = S_ISREG(st.st_mode) && (st.st_mode & 0111); break;
    }
    return is != g->negate;
}

void zsh_setopt(interp *I, const char *name, bool on)
{
    if (IS(name, "extendedglob")) I->st->extended_glob = on;
    else if (IS(name, "nullglob")) I->st->null_glob = on;
}

int sim_test_option(interp *I, const char *name)
{
    char n[64];
    size_t k = 0;
    for (const char *p = name; *p && k + 1 < sizeof(n); p++)
        if (*p != '_') n[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    n[k] = '\0';
    if (IS(n, "interactive")) return I->interactive;
    if (IS(n, "login") || IS(n, "loginshell")) return I->login;
    if (IS(n, "extendedglob")) return I->st->extended_glob;
    if (IS(n, "nullglob")) return I->st->null_glob;
    if (IS(n, "rcs")) return !I->st->no_rcs;
    if (IS(n, "globalrcs")) return !I->st->no_global_rcs;
    return 2;
}

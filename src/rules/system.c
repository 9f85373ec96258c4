/*
 * system.c - per-file GE4xxx rules: systemd units and system.conf (syntax,
 * unknown and duplicated keys, Limit*= values, Environment=), limits.conf
 * and sysctl.d. One function per rule; the cross-file ones (nr_open,
 * missing EnvironmentFile, overrides) live in src/sysconf/checks.c.
 */
#define GOLINT_SYSCONF_NO_SHORT_NAME 1
#include "rules/rules.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysconf/sysconf.h"

/* ---- units --------------------------------------------------------------- */

static unit_file *unit_of(file_check *c)
{
    return unit_parse(c->a, c->src);
}

static const char *limit_name(const unit_setting *s)
{
    return s->key;
}

static bool is_rlimit_key(const unit_setting *s)
{
    const unit_key_info *k = unit_key_lookup(s->section, s->key);
    return k && k->type == UV_RLIMIT;
}

static bool is_nofile_key(const char *key)
{
    return strcmp(key, "LimitNOFILE") == 0 || strcmp(key, "DefaultLimitNOFILE") == 0;
}

/* The Limit*= value of s parsed, when it parses (GE4010 reports the rest). */
static bool setting_rlimit(const unit_setting *s, unit_rlimit *rl)
{
    char why[256];
    return unit_rlimit_parse(s->key, s->value, rl, why, sizeof(why));
}

/* GE4001: lines systemd cannot read. */
void rule_GE4001(file_check *c)
{
    unit_file *u = unit_of(c);
    for (size_t i = 0; i < u->nproblems; i++)
        finding_add(c->out, "GE4001", SEV_WARNING, c->src, u->problems[i].start, u->problems[i].end,
                    "%s", u->problems[i].message);
}

/* GE4002: an unknown key in [Unit], [Service], [Install] or [Manager]. */
void rule_GE4002(file_check *c)
{
    unit_file *u = unit_of(c);
    for (size_t i = 0; i < u->nsettings; i++) {
        const unit_setting *s = &u->settings[i];
        if (!unit_section_checked(s->section) || str_starts_with(s->key, "X-"))
            continue;
        if (unit_key_lookup(s->section, s->key))
            continue;
        const char *hint = unit_key_suggest(s->section, s->key);
        finding *f;
        if (hint) {
            f = finding_add(c->out, "GE4002", SEV_WARNING, c->src, s->key_start, s->key_end,
                            "unknown key %s in [%s]: systemd ignores it; did you mean %s?", s->key,
                            s->section, hint);
            fix *fx = finding_set_fix(c->out, f, FIX_UNSAFE, "rename %s to %s", s->key, hint);
            fix_add_edit(c->out, fx, c->src, s->key_start, s->key_end, hint);
        } else {
            finding_add(c->out, "GE4002", SEV_WARNING, c->src, s->key_start, s->key_end,
                        "unknown key %s in [%s]: systemd ignores it", s->key, s->section);
        }
    }
}

/* GE4003: a single-value key assigned twice in one section of one file. */
void rule_GE4003(file_check *c)
{
    unit_file *u = unit_of(c);
    for (size_t i = 0; i < u->nsettings; i++) {
        const unit_setting *s = &u->settings[i];
        const unit_key_info *k = unit_key_lookup(s->section, s->key);
        if (!k || k->list || s->value[0] == '\0')
            continue;
        /* the later of a pair is reported, once, naming the earlier */
        for (size_t j = i + 1; j < u->nsettings; j++) {
            const unit_setting *t = &u->settings[j];
            if (strcmp(t->key, s->key) != 0 || strcmp(t->section, s->section) != 0)
                continue;
            if (t->value[0] == '\0')
                break; /* reset: a deliberate re-assignment */
            bool reported = false;
            for (size_t m = i + 1; m < j; m++)
                if (strcmp(u->settings[m].key, s->key) == 0 && strcmp(u->settings[m].section, s->section) == 0)
                    reported = true;
            if (reported)
                break;
            if (strcmp(t->value, s->value) == 0) {
                finding_add(c->out, "GE4003", SEV_STYLE, c->src, t->key_start, t->end,
                            "%s=%s is set again in [%s] with the same value (first on line %d)",
                            t->key, t->value, t->section, s->line);
            } else {
                /* a comment right above the later line documents a deliberate override */
                size_t llen;
                const char *prev = t->line > 1 ? source_line(c->src, t->line - 1, &llen) : NULL;
                while (prev && llen && (*prev == ' ' || *prev == '\t'))
                    prev++, llen--;
                bool documented = prev && llen && (*prev == '#' || *prev == ';');
                finding_add(c->out, "GE4003", documented ? SEV_INFO : SEV_WARNING, c->src, t->key_start,
                            t->end,
                            "%s is set again in [%s] (first on line %d, to %s): only the last value, "
                            "%s, takes effect",
                            t->key, t->section, s->line, s->value, t->value);
            }
            break;
        }
    }
}

/* GE4010: a Limit*= value systemd cannot parse (it ignores the setting). */
void rule_GE4010(file_check *c)
{
    unit_file *u = unit_of(c);
    for (size_t i = 0; i < u->nsettings; i++) {
        const unit_setting *s = &u->settings[i];
        if (!is_rlimit_key(s) || s->value[0] == '\0' || strchr(s->value, '%'))
            continue;
        unit_rlimit rl;
        char why[256];
        if (!unit_rlimit_parse(s->key, s->value, &rl, why, sizeof(why)))
            finding_add(c->out, "GE4010", SEV_ERROR, c->src, s->value_start, s->value_end,
                        "%s=%s: %s; systemd ignores the setting and keeps the default", limit_name(s),
                        s->value, why);
    }
}

static void u64_text(uint64_t v, char *buf, size_t len)
{
    if (v == RLIMIT_VALUE_INFINITY)
        snprintf(buf, len, "infinity");
    else
        snprintf(buf, len, "%llu", (unsigned long long)v);
}

/* GE4011: soft limit above the hard one. */
void rule_GE4011(file_check *c)
{
    unit_file *u = unit_of(c);
    for (size_t i = 0; i < u->nsettings; i++) {
        const unit_setting *s = &u->settings[i];
        if (!is_rlimit_key(s))
            continue;
        unit_rlimit rl;
        if (!setting_rlimit(s, &rl) || !rl.split || rl.soft <= rl.hard)
            continue;
        finding *f = finding_add(c->out, "GE4011", SEV_ERROR, c->src, s->value_start, s->value_end,
                                 "%s=%s: the soft limit is above the hard limit; systemd rejects the "
                                 "setting and the service runs with the default",
                                 s->key, s->value);
        if (!s->continued) {
            const char *colon = strchr(s->value, ':');
            char *text = arena_printf(c->a, "%s:%.*s", colon + 1, (int)(colon - s->value), s->value);
            fix *fx = finding_set_fix(c->out, f, FIX_SAFE, "swap the soft and hard limits");
            fix_add_edit(c->out, fx, c->src, s->value_start, s->value_end, text);
        }
    }
}

/* GE4013: LimitNOFILE=infinity is fs.nr_open, not "no limit". */
void rule_GE4013(file_check *c)
{
    unit_file *u = unit_of(c);
    for (size_t i = 0; i < u->nsettings; i++) {
        const unit_setting *s = &u->settings[i];
        unit_rlimit rl;
        if (!is_nofile_key(s->key) || !setting_rlimit(s, &rl))
            continue;
        if (rl.soft == RLIMIT_VALUE_INFINITY || rl.hard == RLIMIT_VALUE_INFINITY)
            finding_add(c->out, "GE4013", SEV_WARNING, c->src, s->value_start, s->value_end,
                        "%s=%s means fs.nr_open (1048576 unless raised), not unlimited; programs "
                        "that size tables by it or close every descriptor at start slow down; "
                        "give a number such as 65536 or 524288",
                        s->key, s->value);
    }
}

/* GE4014: a soft NOFILE limit above 1024 breaks programs that use select(). */
void rule_GE4014(file_check *c)
{
    unit_file *u = unit_of(c);
    for (size_t i = 0; i < u->nsettings; i++) {
        const unit_setting *s = &u->settings[i];
        unit_rlimit rl;
        if (!is_nofile_key(s->key) || !setting_rlimit(s, &rl))
            continue;
        if (rl.soft > 1024 && rl.soft != RLIMIT_VALUE_INFINITY && rl.soft <= rl.hard)
            finding_add(c->out, "GE4014", SEV_INFO, c->src, s->value_start, s->value_end,
                        "soft limit %llu above 1024: fine for Go programs, but a program using "
                        "select() fails on descriptors above 1023 (systemd.exec(5) suggests "
                        "%s=1024:%s and raising the soft limit in the program)",
                        (unsigned long long)rl.soft, s->key,
                        rl.hard == RLIMIT_VALUE_INFINITY ? "infinity"
                                                         : arena_printf(c->a, "%llu", (unsigned long long)rl.hard));
    }
}

/* GE4015: LimitNPROC counts every process of the user, not the service. */
void rule_GE4015(file_check *c)
{
    unit_file *u = unit_of(c);
    for (size_t i = 0; i < u->nsettings; i++) {
        const unit_setting *s = &u->settings[i];
        if (strcmp(s->key, "LimitNPROC") != 0 || s->value[0] == '\0')
            continue;
        char v[32];
        unit_rlimit rl;
        if (!setting_rlimit(s, &rl))
            continue;
        u64_text(rl.soft, v, sizeof(v));
        finding_add(c->out, "GE4015", SEV_INFO, c->src, s->key_start, s->value_end,
                    "LimitNPROC=%s counts every process and thread of the user, not of this "
                    "service (Go threads count too); TasksMax=%s limits the service itself",
                    s->value, v);
    }
}

/* ---- Environment= -------------------------------------------------------- */

#define ENV_WORDS_MAX 256

/* GE4020: Environment= words systemd rejects; EnvironmentFile= not absolute. */
void rule_GE4020(file_check *c)
{
    unit_file *u = unit_of(c);
    unit_env_assign *w = arena_alloc(c->a, ENV_WORDS_MAX * sizeof(*w));
    for (size_t i = 0; i < u->nsettings; i++) {
        const unit_setting *s = &u->settings[i];
        const unit_key_info *k = unit_key_lookup(s->section, s->key);
        if (!k)
            continue;
        if (k->type == UV_ENVFILE && s->value[0]) {
            const char *p = s->value[0] == '-' ? s->value + 1 : s->value;
            if (p[0] != '/' && p[0] != '%')
                finding_add(c->out, "GE4020", SEV_WARNING, c->src, s->value_start, s->value_end,
                            "EnvironmentFile=%s is not an absolute path: systemd ignores it", s->value);
            continue;
        }
        if (k->type != UV_ENV)
            continue;
        bool bad_quote;
        size_t n = unit_env_split(c->a, s->value, w, ENV_WORDS_MAX, &bad_quote);
        if (n > ENV_WORDS_MAX)
            n = ENV_WORDS_MAX;
        for (size_t j = 0; j < n; j++) {
            size_t ws = s->continued ? s->value_start : s->value_start + w[j].start;
            size_t we = s->continued ? s->value_end : s->value_start + w[j].end;
            if (bad_quote && j == n - 1) {
                finding_add(c->out, "GE4020", SEV_WARNING, c->src, ws, we,
                            "%s=: unterminated quote; systemd ignores the rest of the line", s->key);
            } else if (!w[j].name) {
                const char *eq = strchr(w[j].word, '=');
                if (!eq)
                    finding_add(c->out, "GE4020", SEV_WARNING, c->src, ws, we,
                                "%s=: '%s' is not NAME=VALUE (words are separated by spaces; quote "
                                "a value that holds spaces: \"NAME=a b\"); systemd ignores it",
                                s->key, w[j].word);
                else
                    finding_add(c->out, "GE4020", SEV_WARNING, c->src, ws, we,
                                "%s=: '%.*s' is not a valid variable name; systemd ignores '%s'",
                                s->key, (int)(eq - w[j].word), w[j].word, w[j].word);
            }
        }
    }
}

/* GE4022: GOMAXPROCS, GOMEMLIMIT, GOGC, GODEBUG values the Go runtime rejects. */
void rule_GE4022(file_check *c)
{
    unit_file *u = unit_of(c);
    unit_env_assign *w = arena_alloc(c->a, ENV_WORDS_MAX * sizeof(*w));
    for (size_t i = 0; i < u->nsettings; i++) {
        const unit_setting *s = &u->settings[i];
        const unit_key_info *k = unit_key_lookup(s->section, s->key);
        if (!k || k->type != UV_ENV)
            continue;
        bool bad_quote;
        size_t n = unit_env_split(c->a, s->value, w, ENV_WORDS_MAX, &bad_quote);
        if (n > ENV_WORDS_MAX)
            n = ENV_WORDS_MAX;
        for (size_t j = 0; j < n; j++) {
            if (!w[j].name || strchr(w[j].value, '%') || strchr(w[j].value, '$'))
                continue;
            char why[256];
            if (go_env_value_valid(w[j].name, w[j].value, why, sizeof(why)))
                continue;
            size_t ws = s->continued ? s->value_start : s->value_start + w[j].start;
            size_t we = s->continued ? s->value_end : s->value_start + w[j].end;
            finding_add(c->out, "GE4022", strcmp(w[j].name, "GOMEMLIMIT") == 0 ? SEV_ERROR : SEV_WARNING,
                        c->src, ws, we, "%s=%s: %s", w[j].name, w[j].value, why);
        }
    }
}

/* ---- limits.conf --------------------------------------------------------- */

/* GE4030: limits.conf lines pam_limits skips. */
void rule_GE4030(file_check *c)
{
    limits_file *l = limits_parse(c->a, c->src);
    for (size_t i = 0; i < l->nproblems; i++)
        finding_add(c->out, "GE4030", SEV_ERROR, c->src, l->problems[i].start, l->problems[i].end, "%s",
                    l->problems[i].message);
}

/* GE4031: an item pam_limits does not know. */
void rule_GE4031(file_check *c)
{
    limits_file *l = limits_parse(c->a, c->src);
    for (size_t i = 0; i < l->nentries; i++) {
        const limits_entry *e = &l->entries[i];
        if (e->known_item)
            continue;
        const char *hint = limits_item_suggest(e->item.text);
        finding *f;
        if (hint) {
            f = finding_add(c->out, "GE4031", SEV_WARNING, c->src, e->item.start, e->item.end,
                            "unknown limit item '%s': pam_limits skips the line; did you mean %s?",
                            e->item.text, hint);
            fix *fx = finding_set_fix(c->out, f, FIX_UNSAFE, "rename %s to %s", e->item.text, hint);
            fix_add_edit(c->out, fx, c->src, e->item.start, e->item.end, hint);
        } else {
            finding_add(c->out, "GE4031", SEV_WARNING, c->src, e->item.start, e->item.end,
                        "unknown limit item '%s': pam_limits skips the line", e->item.text);
        }
    }
}

static bool same_limit(const limits_entry *a, const limits_entry *b)
{
    return strcmp(a->domain.text, b->domain.text) == 0 && strcmp(a->item.text, b->item.text) == 0;
}

/* GE4032: soft above hard for the same domain and item. */
void rule_GE4032(file_check *c)
{
    limits_file *l = limits_parse(c->a, c->src);
    for (size_t i = 0; i < l->nentries; i++) {
        const limits_entry *soft = &l->entries[i];
        if (soft->ltype != LIMITS_SOFT || !soft->known_item || !(soft->numeric || soft->unlimited))
            continue;
        if (strcmp(soft->item.text, "nice") == 0 || strcmp(soft->item.text, "priority") == 0)
            continue;
        /* the hard limit in force for the same domain: the last one in the file */
        const limits_entry *hard = NULL;
        for (size_t j = 0; j < l->nentries; j++) {
            const limits_entry *h = &l->entries[j];
            if ((h->ltype == LIMITS_HARD || h->ltype == LIMITS_BOTH) && same_limit(soft, h) &&
                (h->numeric || h->unlimited))
                hard = h;
        }
        if (!hard || hard->unlimited || (!soft->unlimited && soft->number <= hard->number))
            continue;
        finding *f = finding_add(c->out, "GE4032", SEV_ERROR, c->src, soft->value.start, soft->value.end,
                                 "soft %s %s for %s is above its hard limit %s (line %d): setrlimit "
                                 "fails and pam_limits %s",
                                 soft->item.text, soft->value.text, soft->domain.text, hard->value.text,
                                 hard->line, "may refuse the login");
        if (hard->ltype == LIMITS_HARD && hard->src == soft->src) {
            fix *fx = finding_set_fix(c->out, f, FIX_SAFE, "swap the soft and hard values");
            fix_add_edit(c->out, fx, c->src, soft->value.start, soft->value.end, hard->value.text);
            fix_add_edit(c->out, fx, c->src, hard->value.start, hard->value.end, soft->value.text);
        }
    }
}

/* GE4034: '*' does not apply to root. */
void rule_GE4034(file_check *c)
{
    limits_file *l = limits_parse(c->a, c->src);
    bool root_set = false;
    for (size_t i = 0; i < l->nentries; i++)
        if (strcmp(l->entries[i].domain.text, "root") == 0)
            root_set = true;
    if (root_set)
        return;
    for (size_t i = 0; i < l->nentries; i++) {
        const limits_entry *e = &l->entries[i];
        if (strcmp(e->domain.text, "*") != 0 || strcmp(e->item.text, "nofile") != 0 || !e->known_item)
            continue;
        finding_add(c->out, "GE4034", SEV_INFO, c->src, e->domain.start, e->domain.end,
                    "'*' does not match root: pam_limits leaves root's %s at the default; add a "
                    "'root %s %s %s' line if root needs it too",
                    e->item.text, e->type.text, e->item.text, e->value.text);
    }
}

/* ---- sysctl -------------------------------------------------------------- */

/* GE4050: lines systemd-sysctl and sysctl --system cannot read. */
void rule_GE4050(file_check *c)
{
    sysctl_file *s = sysctl_parse(c->a, c->src);
    for (size_t i = 0; i < s->nproblems; i++)
        finding_add(c->out, "GE4050", SEV_WARNING, c->src, s->problems[i].start, s->problems[i].end, "%s",
                    s->problems[i].message);
}

static const char *proc_path(arena *a, const char *key)
{
    char *p = arena_strdup(a, key);
    for (char *q = p; *q; q++)
        if (*q == '.')
            *q = '/';
    return p;
}

/* GE4051: unknown or misspelt keys under fs., net.core., kernel. */
void rule_GE4051(file_check *c)
{
    sysctl_file *s = sysctl_parse(c->a, c->src);
    for (size_t i = 0; i < s->nentries; i++) {
        const sysctl_entry *e = &s->entries[i];
        if (!sysctl_key_checked(e->key) || sysctl_key_known(e->key))
            continue;
        const char *hint = sysctl_key_suggest(e->key);
        if (hint) {
            finding *f = finding_add(c->out, "GE4051", SEV_WARNING, c->src, e->key_start, e->key_end,
                                     "unknown sysctl key %s: the value is never applied%s; did you "
                                     "mean %s?",
                                     e->key, e->ignore_failure ? " (the '-' prefix hides the error)" : "",
                                     hint);
            fix *fx = finding_set_fix(c->out, f, FIX_UNSAFE, "rename %s to %s", e->key, hint);
            fix_add_edit(c->out, fx, c->src, e->key_start, e->key_end, hint);
        } else {
            finding_add(c->out, "GE4051", SEV_INFO, c->src, e->key_start, e->key_end,
                        "sysctl key %s is not one golint-env knows: check that the target kernel "
                        "has it (/proc/sys/%s)",
                        e->key, proc_path(c->a, e->key));
        }
    }
}

/* ---- cross-file rules over the whole root -------------------------------- */

#define KERNEL_NR_OPEN_DEFAULT 1048576ull

/* fs.nr_open in force: configured, else /proc/sys under the root, else the
 * kernel default. where->file is NULL for the default. */
static uint64_t nr_open_in_force(system_config *sc, sysconf_origin *where)
{
    uint64_t v;
    memset(where, 0, sizeof(*where));
    if (sysconf_sysctl_u64(sc, "fs.nr_open", &v, where))
        return v;
    memset(where, 0, sizeof(*where));
    return KERNEL_NR_OPEN_DEFAULT;
}

static const char *origin_text(arena *a, const sysconf_origin *w)
{
    if (!w->file)
        return "the kernel default";
    if (w->line == 0)
        return arena_printf(a, "%s", w->file);
    return arena_printf(a, "%s:%d", w->file, w->line);
}

/* GE4052: the sysctl line that sets fs.nr_open below a limit asked for
 * elsewhere; raised once per line and linked to each symptom. */
static finding *nr_open_cause(sysconf_rule_ctx *c, const sysconf_origin *w, uint64_t nr_open,
                              uint64_t wanted, const char *who)
{
    if (!w->entry)
        return NULL;
    for (size_t i = 0; i < c->out->n; i++) {
        finding *f = c->out->items[i];
        int line, col;
        source_position(w->entry->src, w->entry->start, &line, &col);
        if (strcmp(f->rule, "GE4052") == 0 && strcmp(f->file, w->file) == 0 && f->line == line)
            return f;
    }
    return finding_add(c->out, "GE4052", SEV_ERROR, w->entry->src, w->entry->start, w->entry->end,
                       "fs.nr_open = %llu is below the %llu open files %s asks for",
                       (unsigned long long)nr_open, (unsigned long long)wanted, who);
}

static void nofile_above_nr_open(sysconf_rule_ctx *c, const unit_setting *s, const char *who)
{
    unit_rlimit rl;
    char why[256];
    if (!unit_rlimit_parse(s->key, s->value, &rl, why, sizeof(why)))
        return;
    sysconf_origin w;
    uint64_t nr = nr_open_in_force(c->sc, &w);
    uint64_t hard = rl.hard, soft = rl.soft;
    bool hard_over = hard != RLIMIT_VALUE_INFINITY && hard > nr;
    bool soft_over = soft != RLIMIT_VALUE_INFINITY && soft > nr;
    if (!hard_over && !soft_over)
        return;
    uint64_t wanted = hard_over ? hard : soft;
    finding *f = finding_add(c->out, "GE4012", SEV_ERROR, s->src, s->value_start, s->value_end,
                             "%s=%s is above fs.nr_open = %llu (%s): the kernel refuses it, and "
                             "systemd silently clamps the limit to the hard limit of PID 1 (at most "
                             "%llu; systemd before v240 fails the unit with status=205/LIMITS)",
                             s->key, s->value, (unsigned long long)nr, origin_text(c->sc->a, &w),
                             (unsigned long long)nr);
    if (!s->continued) {
        char *text = soft_over ? arena_printf(c->out->a, "%llu", (unsigned long long)nr)
                               : arena_printf(c->out->a, "%llu:%llu", (unsigned long long)soft,
                                              (unsigned long long)nr);
        fix *fx = finding_set_fix(c->out, f, FIX_SAFE, "clamp %s to fs.nr_open (%llu)", s->key,
                                  (unsigned long long)nr);
        fix_add_edit(c->out, fx, s->src, s->value_start, s->value_end, text);
    }
    finding *cause = nr_open_cause(c, &w, nr, wanted, who);
    if (cause)
        finding_link(c->out, cause, f);
}

/* GE4012 (and GE4052): LimitNOFILE / DefaultLimitNOFILE above fs.nr_open. */
void sysrule_GE4012(sysconf_rule_ctx *c)
{
    system_config *sc = c->sc;
    for (size_t i = 0; i < sc->nunits; i++) {
        const unit_setting *s = unit_view_get(sc->units[i], "Service", "LimitNOFILE");
        if (s)
            nofile_above_nr_open(c, s, sc->units[i]->name);
    }
    for (size_t f = 0; f < sc->nsystem_conf; f++)
        for (size_t i = 0; i < sc->system_conf[f]->nsettings; i++) {
            const unit_setting *s = &sc->system_conf[f]->settings[i];
            if (strcmp(s->key, "DefaultLimitNOFILE") == 0 && strcmp(s->section, "Manager") == 0)
                nofile_above_nr_open(c, s, "DefaultLimitNOFILE");
        }
}

/* GE4021: EnvironmentFile= that does not exist, without the '-' prefix. */
void sysrule_GE4021(sysconf_rule_ctx *c)
{
    system_config *sc = c->sc;
    for (size_t i = 0; i < sc->nunits; i++) {
        const unit_view *u = sc->units[i];
        if (u->masked)
            continue;
        for (size_t j = 0; j < u->nsettings; j++) {
            const unit_setting *s = u->settings[j];
            const unit_key_info *k = unit_key_lookup(s->section, s->key);
            if (!k || k->type != UV_ENVFILE || s->value[0] != '/' || strchr(s->value, '%'))
                continue;
            if (root_exists(&sc->r, s->value))
                continue;
            finding *f = finding_add(c->out, "GE4021", SEV_ERROR, s->src, s->value_start, s->value_end,
                                     "EnvironmentFile=%s does not exist: %s fails to start (\"Failed "
                                     "to load environment files\"); create it or write "
                                     "EnvironmentFile=-%s to make it optional",
                                     s->value, u->name, s->value);
            if (!s->continued) {
                fix *fx = finding_set_fix(c->out, f, FIX_UNSAFE, "make the file optional with '-'");
                fix_add_edit(c->out, fx, s->src, s->value_start, s->value_start, "-");
            }
        }
    }
}

/* GE4033: limits.conf nofile above fs.nr_open, or unlimited. */
void sysrule_GE4033(sysconf_rule_ctx *c)
{
    system_config *sc = c->sc;
    sysconf_origin w;
    uint64_t nr = nr_open_in_force(sc, &w);
    for (size_t f = 0; f < sc->nlimits; f++) {
        const limits_file *l = sc->limits[f];
        for (size_t i = 0; i < l->nentries; i++) {
            const limits_entry *e = &l->entries[i];
            if (strcmp(e->item.text, "nofile") != 0 || e->ltype == LIMITS_BADTYPE)
                continue;
            if (e->unlimited) {
                finding_add(c->out, "GE4033", SEV_ERROR, l->src, e->value.start, e->value.end,
                            "nofile cannot be unlimited: setrlimit fails and pam_limits may refuse "
                            "the login of %s; use a number up to fs.nr_open (%llu, %s)",
                            e->domain.text, (unsigned long long)nr, origin_text(sc->a, &w));
                continue;
            }
            if (!e->numeric || (uint64_t)e->number <= nr)
                continue;
            finding *fd = finding_add(c->out, "GE4033", SEV_ERROR, l->src, e->value.start, e->value.end,
                                      "nofile %lld for %s is above fs.nr_open = %llu (%s): setrlimit "
                                      "fails and pam_limits may refuse the login",
                                      e->number, e->domain.text, (unsigned long long)nr,
                                      origin_text(sc->a, &w));
            fix *fx = finding_set_fix(c->out, fd, FIX_SAFE, "clamp to fs.nr_open (%llu)", (unsigned long long)nr);
            fix_add_edit(c->out, fx, l->src, e->value.start, e->value.end,
                         arena_printf(c->out->a, "%llu", (unsigned long long)nr));
            finding *cause = nr_open_cause(c, &w, nr, (uint64_t)e->number,
                                           arena_printf(sc->a, "limits.conf (%s)", e->domain.text));
            if (cause)
                finding_link(c->out, cause, fd);
        }
    }
}

/* GE4053: fs.file-max below fs.nr_open. */
void sysrule_GE4053(sysconf_rule_ctx *c)
{
    system_config *sc = c->sc;
    const sysctl_setting *fm = sysconf_sysctl(sc, "fs.file-max");
    const sysctl_setting *no = sysconf_sysctl(sc, "fs.nr_open");
    if (!fm && !no)
        return;
    uint64_t filemax, nropen;
    sysconf_origin wf, wn;
    if (!sysconf_sysctl_u64(sc, "fs.file-max", &filemax, &wf) ||
        !sysconf_sysctl_u64(sc, "fs.nr_open", &nropen, &wn) || filemax >= nropen)
        return;
    const sysconf_origin *at = fm ? &wf : &wn;
    if (!at->entry)
        return;
    finding_add(c->out, "GE4053", SEV_WARNING, at->entry->src, at->entry->start, at->entry->end,
                "fs.file-max = %llu (%s) is below fs.nr_open = %llu (%s): one process may then "
                "hold every file handle of the system, and the others get ENFILE",
                (unsigned long long)filemax, origin_text(sc->a, &wf), (unsigned long long)nropen,
                origin_text(sc->a, &wn));
}

/* GE4054: a low net.core.somaxconn on a host that runs services. */
void sysrule_GE4054(sysconf_rule_ctx *c)
{
    system_config *sc = c->sc;
    const sysctl_setting *s = sysconf_sysctl(sc, "net.core.somaxconn");
    uint64_t v;
    if (!s || !s->where.entry || !sysconf_sysctl_u64(sc, "net.core.somaxconn", &v, NULL) || v >= 4096)
        return;
    const char *server = NULL;
    for (size_t i = 0; i < sc->nunits && !server; i++)
        if (str_ends_with(sc->units[i]->name, ".service") || str_ends_with(sc->units[i]->name, ".socket"))
            server = sc->units[i]->name;
    if (!server)
        return;
    finding_add(c->out, "GE4054", SEV_INFO, s->where.entry->src, s->where.entry->start,
                s->where.entry->end,
                "net.core.somaxconn = %llu caps every listen() backlog (Go's net package asks for "
                "this value); the kernel default is 4096 since Linux 5.4, and servers such as %s "
                "drop connections under bursts with less",
                (unsigned long long)v, server);
}

/* GE4055: a later file overrides an earlier value (both locations). */
void sysrule_GE4055(sysconf_rule_ctx *c)
{
    system_config *sc = c->sc;
    for (size_t i = 0; i < sc->nsysctls; i++) {
        const sysctl_setting *s = &sc->sysctls[i];
        if (!s->noverridden || !s->where.entry)
            continue;
        const sysconf_origin *prev = &s->overridden[s->noverridden - 1];
        if (!prev->entry || !prev->entry->value || strcmp(prev->entry->value, s->value) == 0)
            continue;
        finding_add(c->out, "GE4055", SEV_INFO, s->where.entry->src, s->where.entry->start,
                    s->where.entry->end, "%s = %s overrides %s = %s set in %s:%d (files apply in "
                    "name order; the last one wins)",
                    s->key, s->value, s->key, prev->entry->value, prev->file, prev->line);
    }
}

/*
 * cgroup.c - GE5xxx: CPU limits against GOMAXPROCS. libcgroup's cgconfig
 * and cgrules (syntax, values, quota vs the GOMAXPROCS of the processes put
 * in the group) and a unit's CPUQuota=/AllowedCPUs=/CPUAffinity= against
 * the GOMAXPROCS in its environment.
 */
#define GOLINT_SYSCONF_NO_SHORT_NAME 1
#include "rules/rules.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysconf/sysconf.h"

/* ---- cgconfig / cgrules, per file --------------------------------------- */

/* GE5001: syntax cgconfigparser or cgrulesengd rejects. */
void rule_GE5001(file_check *c)
{
    const parse_problem *p;
    size_t n;
    if (cgconfig_is_rules_file(c->src)) {
        cgrules_file *r = cgrules_parse(c->a, c->src);
        p = r->problems;
        n = r->nproblems;
    } else {
        cgconfig_file *f = cgconfig_parse(c->a, c->src);
        p = f->problems;
        n = f->nproblems;
    }
    for (size_t i = 0; i < n; i++)
        finding_add(c->out, "GE5001", SEV_ERROR, c->src, p[i].start, p[i].end, "%s%s", p[i].message,
                    cgconfig_is_rules_file(c->src) ? "" : " (cgconfigparser rejects the whole file)");
}

static bool parse_i64(const char *s, long long *out)
{
    if (!*s)
        return false;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end)
        return false;
    *out = v;
    return true;
}

/* A group's CPU quota as (quota, period) in microseconds; false if none. */
static bool group_quota(const cg_group *g, long long *quota, long long *period, const cg_param **at)
{
    long long q = -1, p = 100000;
    const cg_param *qa = NULL;
    for (size_t i = 0; i < g->nparams; i++) {
        const cg_param *pr = &g->params[i];
        long long v;
        if (strcmp(pr->key, "cpu.cfs_quota_us") == 0 && parse_i64(pr->value, &v)) {
            q = v;
            qa = pr;
        } else if (strcmp(pr->key, "cpu.cfs_period_us") == 0 && parse_i64(pr->value, &v)) {
            p = v;
        } else if (strcmp(pr->key, "cpu.max") == 0) {
            char qs[32] = "", ps[32] = "";
            if (sscanf(pr->value, "%31s %31s", qs, ps) >= 1 && parse_i64(qs, &v)) {
                q = v;
                qa = pr;
                long long pv;
                if (ps[0] && parse_i64(ps, &pv))
                    p = pv;
            }
        }
    }
    if (q <= 0 || p <= 0 || !qa)
        return false;
    *quota = q;
    *period = p;
    *at = qa;
    return true;
}

/* GE5004: CPU quota and period values the kernel rejects. */
void rule_GE5004(file_check *c)
{
    if (cgconfig_is_rules_file(c->src))
        return;
    cgconfig_file *f = cgconfig_parse(c->a, c->src);
    for (size_t g = 0; g < f->ngroups; g++) {
        for (size_t i = 0; i < f->groups[g].nparams; i++) {
            const cg_param *p = &f->groups[g].params[i];
            long long v;
            const char *bad = NULL;
            if (strcmp(p->key, "cpu.cfs_quota_us") == 0) {
                if (!parse_i64(p->value, &v) || (v != -1 && v < 1000))
                    bad = "-1 (no limit) or at least 1000 microseconds";
            } else if (strcmp(p->key, "cpu.cfs_period_us") == 0) {
                if (!parse_i64(p->value, &v) || v < 1000 || v > 1000000)
                    bad = "between 1000 and 1000000 microseconds";
            } else if (strcmp(p->key, "cpu.max") == 0) {
                char qs[32] = "", ps[32] = "", extra[8] = "";
                int n = sscanf(p->value, "%31s %31s %7s", qs, ps, extra);
                long long pv;
                if (n < 1 || n > 2 || (strcmp(qs, "max") != 0 && (!parse_i64(qs, &v) || v < 1000)) ||
                    (n == 2 && (!parse_i64(ps, &pv) || pv < 1000 || pv > 1000000)))
                    bad = "\"max\" or \"QUOTA PERIOD\" in microseconds (quota at least 1000, period "
                          "1000..1000000)";
            } else if (strcmp(p->key, "cpu.shares") == 0) {
                if (!parse_i64(p->value, &v) || v < 2 || v > 262144)
                    bad = "between 2 and 262144";
            }
            if (bad)
                finding_add(c->out, "GE5004", SEV_ERROR, c->src, p->value_start, p->value_end,
                            "%s = %s in group %s: the value must be %s; cgconfigparser fails to "
                            "set it",
                            p->key, p->value, f->groups[g].name, bad);
        }
    }
}

/* ---- units: CPUQuota=, AllowedCPUs=, CPUAffinity= against GOMAXPROCS ---- */

/* "150%" -> 1.5; false if not a percentage. */
static bool cpu_quota_parse(const char *v, double *cpus)
{
    char *end;
    double p = strtod(v, &end);
    if (end == v || strcmp(end, "%") != 0 || !(p > 0))
        return false;
    *cpus = p / 100.0;
    return true;
}

/* Number of CPUs in "0-3 8,9"; false if unreadable. */
static bool cpu_set_count(const char *v, long *count)
{
    long n = 0;
    const char *p = v;
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (!*p)
            break;
        char *end;
        long a = strtol(p, &end, 10);
        if (end == p || a < 0 || a > 65535)
            return false;
        long b = a;
        p = end;
        if (*p == '-') {
            b = strtol(p + 1, &end, 10);
            if (end == p + 1 || b < a || b > 65535)
                return false;
            p = end;
        }
        n += b - a + 1;
        if (*p && *p != ' ' && *p != ',' && *p != '\t')
            return false;
    }
    if (n == 0)
        return false;
    *count = n;
    return true;
}

static const unit_env_var *env_find(const unit_env_var *env, size_t n, const char *name)
{
    for (size_t i = n; i-- > 0;)
        if (strcmp(env[i].name, name) == 0)
            return &env[i];
    return NULL;
}

static bool looks_like_go(const unit_env_var *env, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (str_starts_with(env[i].name, "GO"))
            return true;
    return false;
}

static bool only(const char *only_rule, const char *id)
{
    return !only_rule || strcmp(only_rule, id) == 0;
}

static finding *env_finding(finding_list *out, const char *rule, severity sev, const unit_env_var *v,
                            const char *msg)
{
    if (v->src)
        return finding_add(out, rule, sev, v->src, v->start, v->end, "%s", msg);
    return finding_add_at(out, rule, sev, v->file, v->line, 1, v->line, 1, "%s", msg);
}

void unit_view_cpu_rules(finding_list *out, arena *a, const unit_view *u, const unit_env_var *env,
                         size_t nenv, const char *only_rule)
{
    const unit_env_var *gmp = env_find(env, nenv, "GOMAXPROCS");
    long procs = 0;
    if (gmp) {
        char *end;
        procs = strtol(gmp->value, &end, 10);
        if (*end || procs <= 0)
            gmp = NULL;
    }
    const unit_setting *quota = unit_view_get(u, "Service", "CPUQuota");
    double cpus;
    if (quota && cpu_quota_parse(quota->value, &cpus)) {
        long ceil_cpus = (long)ceil(cpus - 1e-9);
        if (ceil_cpus < 1)
            ceil_cpus = 1;
        if (gmp && procs > ceil_cpus && only(only_rule, "GE5010")) {
            char *msg = arena_printf(
                a,
                "GOMAXPROCS=%ld but CPUQuota=%s (%s:%d) gives %s %g CPU%s of time: %ld Ps run in "
                "parallel, use up the quota early in each period and the service is throttled; set "
                "GOMAXPROCS=%ld, or drop it (Go 1.25+ follows the quota unless GOMAXPROCS is set)",
                procs, quota->value, quota->src->path, quota->line, u->name, cpus, cpus > 1 ? "s" : "",
                procs, ceil_cpus);
            finding *f = env_finding(out, "GE5010", SEV_WARNING, gmp, msg);
            if (gmp->src && !gmp->from_envfile && gmp->setting && !gmp->setting->continued) {
                fix *fx = finding_set_fix(out, f, FIX_UNSAFE, "set GOMAXPROCS to the quota (%ld)", ceil_cpus);
                fix_add_edit(out, fx, gmp->src, gmp->start, gmp->end,
                             arena_printf(out->a, "GOMAXPROCS=%ld", ceil_cpus));
            }
        } else if (!gmp && looks_like_go(env, nenv) && only(only_rule, "GE5011")) {
            const unit_env_var *dbg = env_find(env, nenv, "GODEBUG");
            bool off = dbg && (strstr(dbg->value, "cgroupgomaxprocs=0") || strstr(dbg->value, "updatemaxprocs=0"));
            finding_add(out, "GE5011", SEV_INFO, quota->src, quota->value_start, quota->value_end,
                        "%s runs Go (GO* variables set) under CPUQuota=%s without GOMAXPROCS: %s; "
                        "set GOMAXPROCS=%ld in Environment= to be sure",
                        u->name, quota->value,
                        off ? "GODEBUG turns off Go 1.25's quota-aware default, so the runtime "
                              "starts one P per host CPU"
                            : "Go before 1.25 (or a main module whose go line is below 1.25) "
                              "starts one P per host CPU and is throttled",
                        ceil_cpus);
        }
    }
    if (gmp && only(only_rule, "GE5012")) {
        static const char *const keys[] = {"AllowedCPUs", "CPUAffinity"};
        for (size_t k = 0; k < GE_ARRAY_LEN(keys); k++) {
            const unit_setting *s = unit_view_get(u, "Service", keys[k]);
            long count;
            if (!s || !cpu_set_count(s->value, &count) || procs <= count)
                continue;
            char *msg = arena_printf(a,
                                     "GOMAXPROCS=%ld but %s=%s (%s:%d) leaves %ld CPU%s: the extra Ps "
                                     "only add contention; set GOMAXPROCS=%ld or leave it unset (Go "
                                     "counts the CPUs it may run on)",
                                     procs, keys[k], s->value, s->src->path, s->line, count,
                                     count > 1 ? "s" : "", count);
            env_finding(out, "GE5012", SEV_WARNING, gmp, msg);
            break;
        }
    }
}

static void unit_file_cpu_rule(file_check *c, const char *id)
{
    unit_file *uf = unit_parse(c->a, c->src);
    const unit_file *files[1] = {uf};
    const char *b = strrchr(c->src->path, '/');
    unit_view *u = unit_view_build(c->a, b ? b + 1 : c->src->path, files, 1);
    const unit_env_var *env;
    size_t n = unit_view_env(c->a, u, &env);
    unit_view_cpu_rules(c->out, c->a, u, env, n, id);
}

/* GE5010: GOMAXPROCS above CPUQuota= in the same unit. */
void rule_GE5010(file_check *c)
{
    unit_file_cpu_rule(c, "GE5010");
}

/* GE5011: CPUQuota= on a Go service without GOMAXPROCS. */
void rule_GE5011(file_check *c)
{
    unit_file_cpu_rule(c, "GE5011");
}

/* GE5012: GOMAXPROCS above AllowedCPUs=/CPUAffinity=. */
void rule_GE5012(file_check *c)
{
    unit_file_cpu_rule(c, "GE5012");
}

/* ---- cross-file --------------------------------------------------------- */

/* GE5010-GE5012 on merged views: only units whose settings or environment
 * come from more than one file (single files were checked per file). */
void sysrule_GE5010(sysconf_rule_ctx *c)
{
    system_config *sc = c->sc;
    for (size_t i = 0; i < sc->nunits; i++) {
        const unit_view *u = sc->units[i];
        if (u->masked)
            continue;
        const unit_env_var *env;
        size_t n = sysconf_unit_env(sc, u, &env);
        bool multi = u->ndropins > 0;
        for (size_t k = 0; k < n && !multi; k++)
            multi = !u->fragment_file || env[k].src != u->fragment_file->src;
        if (multi)
            unit_view_cpu_rules(c->out, sc->a, u, env, n, NULL);
    }
}

static const cg_group *group_find(system_config *sc, const char *name, const cgconfig_file **in)
{
    for (size_t f = 0; f < sc->ncgconfig; f++)
        for (size_t g = 0; g < sc->cgconfig[f]->ngroups; g++) {
            const cg_group *gr = &sc->cgconfig[f]->groups[g];
            size_t l = strlen(gr->name);
            if (strncmp(gr->name, name, l) == 0 && (name[l] == '\0' || (name[l] == '/' && name[l + 1] == '\0'))) {
                *in = sc->cgconfig[f];
                return gr;
            }
        }
    return NULL;
}

/* GE5002: a cgconfig CPU quota below the GOMAXPROCS of processes put there. */
void sysrule_GE5002(sysconf_rule_ctx *c)
{
    system_config *sc = c->sc;
    if (!sc->cgrules)
        return;
    const unit_env_var *sys_gmp = NULL;
    for (size_t i = 0; i < sc->nenvironment_vars; i++)
        if (strcmp(sc->environment_vars[i].name, "GOMAXPROCS") == 0)
            sys_gmp = &sc->environment_vars[i];
    for (size_t r = 0; r < sc->cgrules->nrules; r++) {
        const cgrule *rule = &sc->cgrules->rules[r];
        if (!strstr(rule->controllers, "cpu") && strcmp(rule->controllers, "*") != 0)
            continue;
        const cgconfig_file *cf;
        const cg_group *g = group_find(sc, rule->destination, &cf);
        long long q, p;
        const cg_param *qa;
        if (!g || !group_quota(g, &q, &p, &qa))
            continue;
        long cpus = (long)((q + p - 1) / p);
        /* whose GOMAXPROCS: a unit running that process, else /etc/environment */
        const unit_env_var *gmp = NULL;
        const char *who = NULL;
        if (rule->process) {
            const char *pb = strrchr(rule->process, '/');
            pb = pb ? pb + 1 : rule->process;
            for (size_t i = 0; i < sc->nunits && !gmp; i++) {
                const unit_setting *ex = unit_view_get(sc->units[i], "Service", "ExecStart");
                if (!ex)
                    continue;
                const char *cmd = ex->value;
                while (*cmd == '-' || *cmd == '@' || *cmd == '+' || *cmd == '!' || *cmd == ':')
                    cmd++;
                size_t cl = strcspn(cmd, " \t");
                const char *slash = NULL;
                for (const char *q2 = cmd; q2 < cmd + cl; q2++)
                    if (*q2 == '/')
                        slash = q2;
                const char *base = slash ? slash + 1 : cmd;
                if (strlen(pb) != (size_t)(cmd + cl - base) || strncmp(base, pb, strlen(pb)) != 0)
                    continue;
                const unit_env_var *env;
                size_t n = sysconf_unit_env(sc, sc->units[i], &env);
                for (size_t k = n; k-- > 0;)
                    if (strcmp(env[k].name, "GOMAXPROCS") == 0) {
                        gmp = &env[k];
                        who = sc->units[i]->name;
                        break;
                    }
            }
        }
        if (!gmp && sys_gmp) {
            gmp = sys_gmp;
            who = "/etc/environment";
        }
        if (!gmp)
            continue;
        char *end;
        long procs = strtol(gmp->value, &end, 10);
        if (*end || procs <= cpus)
            continue;
        const char *subject = rule->process
                                  ? arena_printf(sc->a, "%s (cgrules.conf line %d)", rule->process, rule->line)
                                  : arena_printf(sc->a, "user %s (cgrules.conf line %d)", rule->user, rule->line);
        finding_add(c->out, "GE5002", SEV_WARNING, cf->src, qa->start, qa->end,
                    "group %s allows %lld of every %lld us of CPU (%g CPU%s) but %s gets "
                    "GOMAXPROCS=%ld from %s (%s:%d): %ld Ps run in parallel and are throttled; "
                    "lower GOMAXPROCS to %ld or raise the quota",
                    g->name, q, p, (double)q / (double)p, q > p ? "s" : "", subject, procs, who, gmp->file,
                    gmp->line, procs, cpus);
    }
}

/* GE5003: cgrules.conf sends processes to a group no cgconfig file defines. */
void sysrule_GE5003(sysconf_rule_ctx *c)
{
    system_config *sc = c->sc;
    if (!sc->cgrules || sc->ncgconfig == 0)
        return;
    for (size_t r = 0; r < sc->cgrules->nrules; r++) {
        const cgrule *rule = &sc->cgrules->rules[r];
        const cgconfig_file *cf;
        if (strchr(rule->destination, '%') || strcmp(rule->destination, "/") == 0 ||
            strcmp(rule->destination, ".") == 0 || group_find(sc, rule->destination, &cf))
            continue;
        finding_add(c->out, "GE5003", SEV_WARNING, sc->cgrules->src, rule->dest_start, rule->dest_end,
                    "cgrules.conf moves %s into group %s, which no cgconfig file defines: cgrulesengd "
                    "cannot place the process and its limits do not apply",
                    rule->process ? rule->process : rule->user, rule->destination);
    }
}

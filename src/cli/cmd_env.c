/* cmd_env.c - `golint-env env`: the effective environment of each context,
 * with the files read and the provenance of every value and PATH entry;
 * --explain VAR for one variable's timeline, --graph for the chain, and the
 * startup-chain findings (GE21xx) after it. */
#include "cli/cli.h"
#include "sim/sim.h"

#include <stdlib.h>
#include <string.h>

/* Every string printed here came from the analysed files: paths, values,
 * even names; each goes through visible() so it cannot drive the terminal. */
static const char *where(const sim_loc *at, strbuf *buf)
{
    if (!at->file)
        return "(built-in default)";
    visible(buf, at->file);
    if (at->line > 0)
        strbuf_addf(buf, ":%d", at->line);
    return buf->data;
}

/* Shell-internal variables that say nothing about the environment. */
static bool shown(const env_var *v)
{
    static const char *const internal[] = {"BASH", "BASH_VERSION", "ZSH_VERSION", "PS1", "UID", "EUID"};
    if (!v->value) return false;
    for (size_t i = 0; i < GE_ARRAY_LEN(internal); i++)
        if (strcmp(v->name, internal[i]) == 0) return false;
    if (v->exported) return true;
    for (const char *p = v->name; *p; p++)
        if (*p >= 'a' && *p <= 'z') return false; /* loop variables and locals */
    return v->at.file != NULL;
}

static bool from_goenv_only(const env_var *v)
{
    return !v->exported && v->nhistory > 0 && v->history[v->nhistory - 1].op == ENV_OP_SOURCE &&
           v->at.file && strstr(v->at.file, "go/env");
}

static void print_context(FILE *out, const sim_context *c)
{
    strbuf buf = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
    fprintf(out, "%s: %s, %s, %s\n", c->name,
            c->shell == SHELL_UNKNOWN ? "no shell" : shell_dialect_name(c->shell),
            c->interactive ? "interactive" : "non-interactive", c->login ? "login" : "non-login");
    fputs("  files read:\n", out);
    if (!c->nfiles)
        fputs("    (none)\n", out);
    for (size_t i = 0; i < c->nfiles; i++) {
        const sim_file_read *f = &c->files[i];
        int indent = 4 + 2 * f->depth;
        fprintf(out, "%*s%-*s  %s\n", indent, "", 36 - 2 * (f->depth < 8 ? f->depth : 8), visible(&a, f->file), visible(&b, f->reason));
    }
    for (size_t i = 0; i < c->nevents; i++) {
        const sim_event *e = &c->events[i];
        if (e->kind == SIM_EV_STEP_LIMIT)
            fprintf(out, "    simulation stopped (%s) at %s\n", e->detail ? visible(&a, e->detail) : "limit",
                    where(&e->at, &buf));
    }
    if (c->napprox || c->env_approx)
        fprintf(out, "  approximate: %zu value%s%s, first because of %s at %s\n", c->napprox,
                c->napprox == 1 ? "" : "s", c->env_approx ? " (and any name may be set)" : "",
                visible(&a, c->approx_why ? c->approx_why : "an undecided test"),
                where(&c->approx_at, &buf));
    fputs("  environment:\n", out);
    for (size_t i = 0; i < c->nvars; i++) {
        const env_var *v = &c->vars[i];
        if (!shown(v)) continue;
        const char *note = v->exported ? "" : from_goenv_only(v) ? "  (go env -w only)" : "  (not exported)";
        const char *unsure = v->certain ? "" : "  (uncertain)";
        if (v->path_like && v->nentries > 1) {
            fprintf(out, "    %s%s%s\n", visible(&a, v->name), note, unsure);
            for (size_t k = 0; k < v->nentries; k++)
                fprintf(out, "      %-34s  %s\n",
                        *v->entries[k].value ? visible(&a, v->entries[k].value) : "(empty: current directory)",
                        where(&v->entries[k].at, &buf));
        } else {
            fprintf(out, "    %s=", visible(&a, v->name));
            fprintf(out, "%s%s%s\n      from %s\n", visible(&a, v->value), note, unsure, where(&v->at, &buf));
        }
    }
    strbuf_release(&buf);
    strbuf_release(&a);
    strbuf_release(&b);
}

static void print_explain(FILE *out, const sim_context *c, const char *name)
{
    strbuf buf = STRBUF_INIT, a = STRBUF_INIT;
    const env_var *v = sim_lookup(c, name);
    fprintf(out, "%s: %s\n", c->name, visible(&a, name));
    if (!v) {
        fputs("  never set\n", out);
        strbuf_release(&a);
        return;
    }
    for (size_t i = 0; i < v->nhistory; i++) {
        const env_op *op = &v->history[i];
        fprintf(out, "  %2zu. %-7s  %-40s  %s%s\n", i + 1, env_op_name(op->op), where(&op->at, &buf),
                op->value ? visible(&a, op->value) : "(unset)", op->certain ? "" : "  (uncertain)");
    }
    if (!v->value)
        fputs("  => unset\n", out);
    else
        fprintf(out, "  => %s (%s%s)\n", visible(&a, v->value),
                v->exported ? "exported" : from_goenv_only(v) ? "go env -w only" : "not exported",
                v->certain ? "" : ", uncertain");
    strbuf_release(&buf);
    strbuf_release(&a);
}

static void graph_id(strbuf *sb, const char *ctx, size_t i)
{
    for (const char *p = ctx; *p; p++)
        strbuf_addc(sb, *p == '-' ? '_' : *p);
    strbuf_addf(sb, "_%zu", i);
}

/* The chain as a graph: files in the order read, edges from the file that sourced them. */
static void print_graph(FILE *out, const sim_result *r, bool dot)
{
    strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, dot ? "digraph startup_chain {\n  rankdir=TB;\n  node [shape=box];\n" : "flowchart TD\n");
    for (size_t k = 0; k < r->ncontexts; k++) {
        const sim_context *c = &r->contexts[k];
        if (dot) {
            strbuf_adds(&sb, "  subgraph cluster_");
            graph_id(&sb, c->name, 0);
            strbuf_addf(&sb, " {\n    label=\"%s\";\n", c->name);
        } else {
            strbuf_addf(&sb, "  subgraph %s\n", c->name);
        }
        size_t prev_top = (size_t)-1;
        for (size_t i = 0; i < c->nfiles; i++) {
            const sim_file_read *f = &c->files[i];
            strbuf_adds(&sb, "    ");
            graph_id(&sb, c->name, i);
            strbuf_adds(&sb, dot ? " [label=\"" : "[\"");
            strbuf_add_visible(&sb, f->file, strlen(f->file));
            strbuf_adds(&sb, dot ? "\"];\n" : "\"]\n");
            size_t parent = (size_t)-1;
            if (f->depth == 0) {
                parent = prev_top;
                prev_top = i;
            } else {
                for (size_t j = i; j > 0 && parent == (size_t)-1; j--)
                    if (c->files[j - 1].depth == f->depth - 1) parent = j - 1;
            }
            if (parent != (size_t)-1) {
                strbuf_adds(&sb, "    ");
                graph_id(&sb, c->name, parent);
                if (f->depth > 0)
                    strbuf_addf(&sb, dot ? " -> " : " -->|line %d| ", f->from.line);
                else
                    strbuf_adds(&sb, dot ? " -> " : " --> ");
                graph_id(&sb, c->name, i);
                if (dot && f->depth > 0)
                    strbuf_addf(&sb, " [label=\"line %d\"]", f->from.line);
                strbuf_adds(&sb, dot ? ";\n" : "\n");
            }
        }
        strbuf_adds(&sb, dot ? "  }\n" : "  end\n");
    }
    if (dot) strbuf_adds(&sb, "}\n");
    fwrite(sb.data, 1, sb.len, out);
    strbuf_release(&sb);
}

int cmd_env(golint_options *o)
{
    if (o->nargs > 0) {
        cli_error("env: unexpected argument '%s' (use --context NAME, --explain VAR)", o->args[0]);
        return EXIT_TROUBLE;
    }
    sim_context_kind k;
    if (o->context && !sim_context_parse(o->context, &k)) {
        cli_error("--context: unknown context '%s' (terminal, login, ssh-command, script, cron, desktop)",
                  o->context);
        return EXIT_TROUBLE;
    }
    if (o->home && o->home[0] != '/') {
        cli_error("--home %s: not an absolute path as the machine sees it", o->home);
        return EXIT_TROUBLE;
    }
    sim_options so;
    memset(&so, 0, sizeof(so));
    so.root = &o->root;
    so.home = o->home;
    so.user = o->user;
    so.shell = o->shell;
    so.inherit = o->inherit;
    so.jobs = (unsigned)o->jobs;
    sim_result *r = sim_run(&so, o->context);
    if (!r) {
        cli_error("env: simulation failed");
        return EXIT_TROUBLE;
    }
    finding_list fl;
    findings_init(&fl);
    chain_check(r, &o->cfg, &fl);
    findings_sort(&fl);

    int rc = EXIT_CLEAN;
    if (o->graph) {
        print_graph(stdout, r, strcmp(o->graph, "dot") == 0);
    } else if (o->format == FORMAT_JSON) {
        strbuf env = STRBUF_INIT, rep = STRBUF_INIT;
        sim_to_json(r, &env);
        report_options ro;
        memset(&ro, 0, sizeof(ro));
        ro.sources = &r->sources;
        ro.root_dir = o->root.dir;
        report_json(&rep, &fl, &ro);
        /* one document: the contexts, then the findings document's members */
        while (env.len && (env.data[env.len - 1] == '\n' || env.data[env.len - 1] == '}'))
            env.len--;
        const char *members = rep.data && rep.data[0] == '{' ? rep.data + 1 : "}\n";
        fwrite(env.data, 1, env.len, stdout);
        fputs(",\n ", stdout);
        fputs(members, stdout);
        strbuf_release(&env);
        strbuf_release(&rep);
    } else if (o->format == FORMAT_TEXT) {
        for (size_t i = 0; i < r->ncontexts; i++) {
            if (i) fputc('\n', stdout);
            if (o->explain)
                print_explain(stdout, &r->contexts[i], o->explain);
            else
                print_context(stdout, &r->contexts[i]);
        }
        if (fl.n && !o->explain) {
            fputc('\n', stdout);
            rc = cli_report(o, &fl, &r->sources);
        }
    } else {
        rc = cli_report(o, &fl, &r->sources);
    }
    fflush(stdout);
    if (rc == EXIT_CLEAN)
        rc = cli_exit_status(o, &fl);
    findings_release(&fl);
    sim_result_free(r);
    return rc;
}

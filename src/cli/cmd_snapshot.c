/*
 * cmd_snapshot.c - `golint-env snapshot [--context NAME]`: the simulated
 * environment of one context written as `env -0` writes it (exported
 * variables with a value, NAME=VALUE and a NUL each, sorted), so that
 * `diff-env real.env0 sim.env0` shows what the simulator approximates.
 * --format json writes {"version", "context", "variables", "uncertain"},
 * which diff-env reads too.
 */
#include "cli/cli.h"
#include "sim/sim.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_snapshot(golint_options *o)
{
    if (o->nargs > 0) {
        cli_error("snapshot: takes no operands (the context is --context NAME)");
        return EXIT_TROUBLE;
    }
    if (o->format != FORMAT_TEXT && o->format != FORMAT_JSON) {
        cli_error("snapshot: --format %s is not supported here (text is env -0, json)",
                  report_format_name(o->format));
        return EXIT_TROUBLE;
    }
    const char *name = o->context ? o->context : "terminal";
    sim_context_kind kind;
    if (!sim_context_parse(name, &kind)) {
        strbuf names = STRBUF_INIT;
        for (int k = 0; k < SIM_CONTEXT_COUNT; k++)
            strbuf_addf(&names, "%s%s", k ? ", " : "", sim_context_name((sim_context_kind)k));
        cli_error("snapshot: --context %s: not a simulated context (%s)", name, names.data);
        strbuf_release(&names);
        return EXIT_TROUBLE;
    }
    sim_options so = {
        .root = &o->root,
        .home = o->home,
        .user = o->user,
        .shell = o->shell,
        .inherit = o->inherit,
    };
    sim_result *r = sim_run(&so, name);
    const sim_context *c = r ? sim_find_context(r, name) : NULL;
    if (!c) {
        cli_error("snapshot: context %s was not simulated", name);
        sim_result_free(r);
        return EXIT_TROUBLE;
    }
    strbuf out = STRBUF_INIT;
    size_t uncertain = 0;
    if (o->format == FORMAT_JSON) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddNumberToObject(doc, "version", 1);
        cJSON_AddStringToObject(doc, "context", c->name);
        cJSON *vars = cJSON_AddObjectToObject(doc, "variables");
        cJSON *unsure = cJSON_AddArrayToObject(doc, "uncertain");
        for (size_t i = 0; i < c->nvars; i++) {
            const env_var *v = &c->vars[i];
            if (!v->exported || !v->value)
                continue;
            char *clean = report_utf8_clean(v->value);
            cJSON_AddStringToObject(vars, v->name, clean);
            free(clean);
            if (!v->certain || v->opaque) {
                cJSON_AddItemToArray(unsure, cJSON_CreateString(v->name));
                uncertain++;
            }
        }
        char *text = cJSON_Print(doc);
        strbuf_adds(&out, text);
        strbuf_addc(&out, '\n');
        cJSON_free(text);
        cJSON_Delete(doc);
    } else {
        for (size_t i = 0; i < c->nvars; i++) {
            const env_var *v = &c->vars[i];
            if (!v->exported || !v->value)
                continue;
            strbuf_addf(&out, "%s=%s", v->name, v->value);
            strbuf_addc(&out, '\0');
            uncertain += !v->certain || v->opaque;
        }
    }
    fwrite(out.data ? out.data : "", 1, out.len, stdout);
    fflush(stdout);
    strbuf_release(&out);
    if (uncertain && o->verbose)
        cli_warn("snapshot: %zu values in context %s are uncertain (undecided tests or $(...)): "
                 "`golint-env env --context %s` shows which", uncertain, name, name);
    sim_result_free(r);
    return EXIT_CLEAN;
}

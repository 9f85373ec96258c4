/* cmd_rules.c - `golint-env rules [ID]`: list the rules or explain one. */
#include "cli/cli.h"

#include <cjson/cJSON.h>
#include <string.h>

static void print_indented(const char *p)
{
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        printf("  %.*s\n", (int)len, p);
        p += len + (nl ? 1 : 0);
    }
}

static void rule_explain(const rule_info *r)
{
    printf("%s  %s  (%s, %s)\n\n%s\n\n%s\n", r->id, r->name, r->family, severity_name(r->sev),
           r->summary, r->description);
    if (r->fix)
        printf("\nFix: %s\n", r->fix);
    for (int bad = 1; bad >= 0; bad--) {
        bool header = false;
        for (size_t i = 0; i < r->nexamples; i++) {
            const rule_example *e = &r->examples[i];
            if (e->bad != (bad == 1))
                continue;
            cJSON *j = NULL;
            if (!e->code) {
                j = e->json ? cJSON_Parse(e->json) : NULL;
                if (!cJSON_IsObject(cJSON_GetObjectItem(j, "files"))) {
                    cJSON_Delete(j);
                    continue;
                }
            }
            if (!header) {
                printf("\n%s example%s:\n", bad ? "Bad" : "Good", "");
                header = true;
            }
            if (e->code) {
                printf("\n  # %s (%s)\n", e->name ? e->name : "file", e->kind);
                print_indented(e->code);
                continue;
            }
            /* a whole machine: each file with its path */
            const char *cmd = cJSON_GetStringValue(cJSON_GetObjectItem(j, "command"));
            printf("\n  # a machine, checked with golint-env %s\n", cmd ? cmd : "doctor");
            const cJSON *f;
            cJSON_ArrayForEach(f, cJSON_GetObjectItem(j, "files")) {
                if (!cJSON_IsString(f) || strcmp(f->string, "/etc/passwd") == 0)
                    continue;
                printf("  ## %s\n", f->string);
                print_indented(f->valuestring);
            }
            cJSON_Delete(j);
        }
    }
}

int cmd_rules(golint_options *o)
{
    const rule_registry *reg = o->reg;
    if (o->nargs > 0) {
        int rc = EXIT_CLEAN;
        for (int i = 0; i < o->nargs; i++) {
            const rule_info *r = registry_find(reg, o->args[i]);
            if (!r) {
                for (size_t k = 0; k < reg->n && !r; k++)
                    if (strcmp(reg->rules[k].name, o->args[i]) == 0)
                        r = &reg->rules[k];
            }
            if (!r) {
                cli_error("rules: no rule '%s' (golint-env rules lists them)", o->args[i]);
                rc = EXIT_TROUBLE;
                continue;
            }
            if (i)
                printf("\n");
            rule_explain(r);
        }
        return rc;
    }
    if (o->format == FORMAT_JSON) {
        strbuf sb = STRBUF_INIT;
        strbuf_adds(&sb, "{\"rules\": [");
        for (size_t i = 0; i < reg->n; i++) {
            const rule_info *r = &reg->rules[i];
            strbuf_adds(&sb, i ? ",\n  " : "\n  ");
            strbuf_adds(&sb, "{\"id\": \"");
            strbuf_add_json_escaped(&sb, r->id, strlen(r->id));
            strbuf_adds(&sb, "\", \"name\": \"");
            strbuf_add_json_escaped(&sb, r->name, strlen(r->name));
            strbuf_adds(&sb, "\", \"family\": \"");
            strbuf_add_json_escaped(&sb, r->family, strlen(r->family));
            strbuf_addf(&sb, "\", \"severity\": \"%s\", \"fixable\": %s, \"summary\": \"",
                        severity_name(r->sev), r->fix ? "true" : "false");
            strbuf_add_json_escaped(&sb, r->summary, strlen(r->summary));
            strbuf_adds(&sb, "\"}");
        }
        strbuf_adds(&sb, "\n]}\n");
        fwrite(sb.data, 1, sb.len, stdout);
        strbuf_release(&sb);
        return EXIT_CLEAN;
    }
    for (size_t i = 0; i < reg->n; i++) {
        const rule_info *r = &reg->rules[i];
        printf("%-7s %-8s %-30s %s\n", r->id, severity_name(r->sev), r->name, r->summary);
    }
    return EXIT_CLEAN;
}

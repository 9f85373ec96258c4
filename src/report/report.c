/* report.c - text, gcc and json reporters. */
#include "report/report.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const char *const format_names[] = {
    [FORMAT_TEXT] = "text", [FORMAT_JSON] = "json", [FORMAT_GCC] = "gcc",
    [FORMAT_SARIF] = "sarif", [FORMAT_CHECKSTYLE] = "checkstyle", [FORMAT_DIFF] = "diff",
};

const char *report_format_name(report_format f)
{
    return (unsigned)f < GE_ARRAY_LEN(format_names) ? format_names[f] : "unknown";
}

bool report_format_parse(const char *name, report_format *out)
{
    for (size_t i = 0; i < GE_ARRAY_LEN(format_names); i++) {
        if (strcmp(name, format_names[i]) == 0) {
            *out = (report_format)i;
            return true;
        }
    }
    return false;
}

/* The source line of a finding: from the loaded set, else read through the
 * root. The last file read is kept in *cache: findings come sorted by file,
 * so each file is read once. */
static const source_file *report_source(const report_options *ro, const char *file,
                                        source_file **cache)
{
    if (ro->sources) {
        const source_file *s = source_set_find(ro->sources, file);
        if (s)
            return s;
    }
    if (*cache && strcmp((*cache)->path, file) == 0)
        return *cache;
    bool rooted = ro->root_dir && *ro->root_dir;
    if (file[0] != '/' && rooted)
        return NULL;
    root r = {.dir = rooted ? (char *)ro->root_dir : ""};
    char *host = root_path(&r, file);
    source_error se;
    char why[128];
    source_free(*cache);
    *cache = source_load(host, file, &se, why, sizeof(why));
    free(host);
    return *cache;
}

static const char *sev_color(severity s)
{
    switch (s) {
    case SEV_ERROR: return "\033[1;31m";
    case SEV_WARNING: return "\033[1;33m";
    case SEV_INFO: return "\033[1;36m";
    default: return "\033[1;32m";
    }
}

/* The finding's line with controls made visible (strbuf_add_visible), and
 * under it a caret span; one column per character, as finding columns
 * count, each as wide as its visible form. */
static void print_caret(FILE *out, const source_file *src, const finding *f, const report_options *ro)
{
    size_t len;
    const char *line = source_line(src, f->line, &len);
    if (len > 400)
        len = 400;
    strbuf text = STRBUF_INIT, marks = STRBUF_INIT;
    int end = f->end_line == f->line ? f->end_column : INT_MAX;
    if (end <= f->column)
        end = f->column + 1;
    int col = 1;
    for (size_t i = 0; i < len; col++) {
        char vis[4];
        size_t vlen, cells;
        bool tab = line[i] == '\t';
        i += visible_char(line + i, len - i, vis, &vlen, &cells);
        strbuf_add(&text, vis, vlen);
        for (size_t k = 0; k < cells && col < end; k++)
            strbuf_addc(&marks, col < f->column ? (tab ? '\t' : ' ') : '^');
    }
    if (col == f->column)
        strbuf_addc(&marks, '^');
    fprintf(out, "  %s\n  %s%s%s\n", text.data ? text.data : "", ro->color ? sev_color(f->sev) : "",
            marks.data ? marks.data : "", ro->color ? "\033[0m" : "");
    strbuf_release(&text);
    strbuf_release(&marks);
}

static void text_one(FILE *out, const finding *f, const report_options *ro, int indent,
                     source_file **cache)
{
    const char *pad = indent ? "    " : "";
    strbuf file = STRBUF_INIT, msg = STRBUF_INIT;
    visible(&file, f->file);
    visible(&msg, f->message);
    if (ro->color)
        fprintf(out, "%s\033[1m%s:%d:%d:\033[0m %s%s\033[0m: %s [%s]", pad, file.data, f->line,
                f->column, sev_color(f->sev), severity_name(f->sev), msg.data, f->rule);
    else
        fprintf(out, "%s%s:%d:%d: %s: %s [%s]", pad, file.data, f->line, f->column,
                severity_name(f->sev), msg.data, f->rule);
    if (f->ncontexts) {
        fputs(" (", out);
        for (size_t k = 0; k < f->ncontexts; k++)
            fprintf(out, "%s%s", k ? ", " : "", f->contexts[k]);
        fputc(')', out);
    }
    fputc('\n', out);
    if (ro->show_source && !indent) {
        const source_file *src = report_source(ro, f->file, cache);
        if (src && f->line >= 1 && (size_t)f->line <= src->nlines && !src->binary)
            print_caret(out, src, f, ro);
    }
    if (f->fix && !indent)
        fprintf(out, "  fix (%s): %s\n", fix_applicability_name(f->fix->applicability),
                visible(&msg, f->fix->description));
    strbuf_release(&file);
    strbuf_release(&msg);
}

void report_text(FILE *out, const finding_list *fl, const report_options *ro)
{
    source_file *cache = NULL;
    for (size_t i = 0; i < fl->n; i++) {
        const finding *f = fl->items[i];
        /* a symptom is shown under its cause, once */
        if (f->caused_by && finding_by_uid(fl, f->caused_by))
            continue;
        text_one(out, f, ro, 0, &cache);
        for (size_t k = 0; k < f->ncauses; k++) {
            const finding *s = finding_by_uid(fl, f->causes[k]);
            if (!s)
                continue;
            fputs("  which causes:\n", out);
            text_one(out, s, ro, 1, &cache);
        }
    }
    source_free(cache);
    if (ro->show_summary) {
        size_t counts[4];
        findings_count(fl, counts);
        if (fl->n == 0)
            fputs("no findings\n", out);
        else
            fprintf(out, "%zu finding%s: %zu error, %zu warning, %zu info, %zu style\n", fl->n,
                    fl->n == 1 ? "" : "s", counts[0], counts[1], counts[2], counts[3]);
    }
}

void report_gcc(FILE *out, const finding_list *fl, const report_options *ro)
{
    (void)ro;
    strbuf file = STRBUF_INIT;
    for (size_t i = 0; i < fl->n; i++) {
        const finding *f = fl->items[i];
        const char *sev = f->sev == SEV_ERROR ? "error" : f->sev == SEV_WARNING ? "warning" : "note";
        fprintf(out, "%s:%d:%d: %s: ", visible(&file, f->file), f->line, f->column, sev);
        fprintf(out, "%s [%s]\n", visible(&file, f->message), f->rule);
    }
    strbuf_release(&file);
}

static void json_str(strbuf *sb, const char *s)
{
    strbuf_addc(sb, '"');
    strbuf_add_json_escaped(sb, s, strlen(s));
    strbuf_addc(sb, '"');
}

static void json_finding(strbuf *sb, const finding_list *fl, const finding *f)
{
    strbuf_adds(sb, "{\"id\": ");
    json_str(sb, f->id);
    strbuf_adds(sb, ", \"rule\": ");
    json_str(sb, f->rule);
    strbuf_adds(sb, ", \"severity\": ");
    json_str(sb, severity_name(f->sev));
    strbuf_adds(sb, ",\n   \"file\": ");
    json_str(sb, f->file);
    strbuf_addf(sb, ", \"line\": %d, \"column\": %d, \"end_line\": %d, \"end_column\": %d,\n   \"message\": ",
                f->line, f->column, f->end_line, f->end_column);
    json_str(sb, f->message);
    strbuf_adds(sb, ", \"context\": [");
    for (size_t k = 0; k < f->ncontexts; k++) {
        if (k)
            strbuf_adds(sb, ", ");
        json_str(sb, f->contexts[k]);
    }
    strbuf_adds(sb, "],\n   \"caused_by\": ");
    const finding *cause = f->caused_by ? finding_by_uid(fl, f->caused_by) : NULL;
    if (cause)
        json_str(sb, cause->id);
    else
        strbuf_adds(sb, "null");
    strbuf_adds(sb, ", \"causes\": [");
    size_t shown = 0;
    for (size_t k = 0; k < f->ncauses; k++) {
        const finding *s = finding_by_uid(fl, f->causes[k]);
        if (!s)
            continue;
        if (shown++)
            strbuf_adds(sb, ", ");
        json_str(sb, s->id);
    }
    strbuf_adds(sb, "],\n   \"fix\": ");
    if (!f->fix) {
        strbuf_adds(sb, "null}");
        return;
    }
    strbuf_adds(sb, "{\"applicability\": ");
    json_str(sb, fix_applicability_name(f->fix->applicability));
    strbuf_adds(sb, ", \"description\": ");
    json_str(sb, f->fix->description);
    strbuf_adds(sb, ",\n           \"edits\": [");
    for (size_t k = 0; k < f->fix->nedits; k++) {
        const fix_edit *e = &f->fix->edits[k];
        if (k)
            strbuf_adds(sb, ",\n                     ");
        strbuf_adds(sb, "{\"file\": ");
        json_str(sb, e->file);
        strbuf_addf(sb, ", \"line\": %d, \"column\": %d, \"end_line\": %d, \"end_column\": %d, \"text\": ",
                    e->line, e->column, e->end_line, e->end_column);
        json_str(sb, e->text);
        strbuf_addc(sb, '}');
    }
    strbuf_adds(sb, "]}}");
}

void report_json(strbuf *sb, const finding_list *fl, const report_options *ro)
{
    (void)ro;
    strbuf_adds(sb, "{\"version\": 1, \"tool\": {\"name\": \"golint-env\", \"version\": ");
    json_str(sb, GOLINT_ENV_SEMVER);
    strbuf_adds(sb, "},\n \"findings\": [");
    for (size_t i = 0; i < fl->n; i++) {
        strbuf_adds(sb, i ? ",\n  " : "\n  ");
        json_finding(sb, fl, fl->items[i]);
    }
    size_t counts[4];
    findings_count(fl, counts);
    strbuf_addf(sb, "%s],\n \"summary\": {\"error\": %zu, \"warning\": %zu, \"info\": %zu, \"style\": %zu}}\n",
                fl->n ? "\n " : "", counts[0], counts[1], counts[2], counts[3]);
}

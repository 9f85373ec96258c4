/* cli.c - messages, exit status and report dispatch shared by the commands. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* A message names files and values of the analysed machine: shown with
 * their control characters made visible (strbuf_add_visible). */
static void cli_message(const char *prefix, const char *fmt, va_list ap)
{
    strbuf msg = STRBUF_INIT, out = STRBUF_INIT;
    strbuf_vaddf(&msg, fmt, ap);
    strbuf_adds(&out, prefix);
    strbuf_add_visible(&out, msg.data ? msg.data : "", msg.len);
    strbuf_addc(&out, '\n');
    fwrite(out.data, 1, out.len, stderr);
    strbuf_release(&msg);
    strbuf_release(&out);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_message("golint-env: ", fmt, ap);
    va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_message("golint-env: warning: ", fmt, ap);
    va_end(ap);
}

int cli_exit_status(const golint_options *o, const finding_list *fl)
{
    if (o->fail_on == SEV_NONE)
        return EXIT_CLEAN;
    for (size_t i = 0; i < fl->n; i++)
        if (fl->items[i]->sev <= o->fail_on)
            return EXIT_FINDINGS;
    return EXIT_CLEAN;
}

int cli_report(const golint_options *o, finding_list *fl, const source_set *sources)
{
    report_options ro = {
        .color = o->color,
        .show_source = true,
        .show_summary = !o->quiet,
        .sources = sources,
        .registry = o->reg,
        .root_dir = o->root.dir,
        .unsafe_fixes = o->unsafe_fixes,
    };
    switch (o->format) {
    case FORMAT_TEXT:
        report_text(stdout, fl, &ro);
        break;
    case FORMAT_GCC:
        report_gcc(stdout, fl, &ro);
        break;
    case FORMAT_JSON: {
        strbuf sb = STRBUF_INIT;
        report_json(&sb, fl, &ro);
        fwrite(sb.data, 1, sb.len, stdout);
        strbuf_release(&sb);
        break;
    }
    case FORMAT_SARIF: {
        strbuf sb = STRBUF_INIT;
        char *repo = report_repo_root(".");
        ro.repo_root = repo;
        report_sarif(&sb, fl, &ro);
        fwrite(sb.data, 1, sb.len, stdout);
        strbuf_release(&sb);
        free(repo);
        break;
    }
    case FORMAT_CHECKSTYLE: {
        strbuf sb = STRBUF_INIT;
        report_checkstyle(&sb, fl, &ro);
        fwrite(sb.data, 1, sb.len, stdout);
        strbuf_release(&sb);
        break;
    }
    case FORMAT_DIFF:
        report_diff(stdout, fl, &ro);
        break;
    default:
        cli_error("--format %s: not implemented yet", report_format_name(o->format));
        return EXIT_TROUBLE;
    }
    fflush(stdout);
    return EXIT_CLEAN;
}

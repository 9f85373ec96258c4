/* cmd_fix.c - `golint-env fix [PATH...]` (check --fix on the paths, or doctor
 * --fix without), `fix --undo [RUN]`, and the --fix / --diff tail that the
 * analysing commands share (cli_fix_findings). */
#include "cli/cli.h"
#include "fix/fix.h"

#include <stdlib.h>
#include <string.h>

bool cli_check_reanalyse(void *ud, source_set *sources, const char *const *changed,
                         size_t nchanged, finding_list *out, char *why, size_t whylen)
{
    const check_options *copt = ud;
    (void)why;
    (void)whylen;
    for (size_t i = 0; i < nchanged; i++) {
        const source_file *src = source_set_find(sources, changed[i]);
        if (src)
            check_source(src, copt, out);
    }
    return true;
}

static int cli_parse_errors(void *ud, const source_file *src)
{
    const golint_options *o = ud;
    if (src->binary)
        return -1;
    file_kind k = o->kind != KIND_UNKNOWN ? o->kind : file_kind_detect(src->path, src);
    if (k != KIND_SHELL)
        return -1;
    shell_dialect d = o->shell != SHELL_UNKNOWN ? o->shell : shell_dialect_detect(src, src->path);
    shell_tree *t = shell_parse(src, d == SHELL_UNKNOWN ? SHELL_SH : d);
    int n = t->over ? -1 : (int)t->nerrors;
    shell_tree_free(t);
    return n;
}

static void fix_summary(const golint_options *o, const fix_report *fr)
{
    for (size_t i = 0; i < fr->nresults; i++) {
        const fix_result *r = &fr->results[i];
        if (r->outcome == FIX_OUT_FAILED || r->outcome == FIX_OUT_REFUSED)
            cli_warn("%s:%d:%d: %s fix %s: %s", r->file, r->line, r->column, r->rule,
                     fix_outcome_name(r->outcome), r->why ? r->why : "");
        else if (o->verbose && r->outcome == FIX_OUT_APPLIED) {
            strbuf a = STRBUF_INIT, b = STRBUF_INIT;
            fprintf(stderr, "golint-env: %s:%d:%d: %s fixed (pass %d): %s\n", visible(&a, r->file),
                    r->line, r->column, r->rule, r->pass, visible(&b, r->description));
            strbuf_release(&a);
            strbuf_release(&b);
        }
    }
    if (o->quiet)
        return;
    size_t written = 0;
    for (size_t i = 0; i < fr->nfiles; i++)
        written += fr->files[i].written;
    size_t n = fr->counts[FIX_OUT_APPLIED];
    if (n || written)
        fprintf(stderr, "golint-env: fixed %zu finding%s in %zu file%s (%d pass%s)\n", n,
                n == 1 ? "" : "s", written, written == 1 ? "" : "s", fr->passes,
                fr->passes == 1 ? "" : "es");
    if (fr->backup_dir && written)
        fprintf(stderr, "golint-env: backups in %s; undo with: golint-env fix --undo %s\n",
                fr->backup_dir, fr->run_id);
    if (fr->counts[FIX_OUT_UNSAFE_SKIPPED])
        fprintf(stderr, "golint-env: %zu more fix%s available with --unsafe-fixes\n",
                fr->counts[FIX_OUT_UNSAFE_SKIPPED],
                fr->counts[FIX_OUT_UNSAFE_SKIPPED] == 1 ? "" : "es");
    if (fr->counts[FIX_OUT_CONFLICT])
        fprintf(stderr, "golint-env: %zu fix%s overlap others and were not applied; run again\n",
                fr->counts[FIX_OUT_CONFLICT], fr->counts[FIX_OUT_CONFLICT] == 1 ? "" : "es");
    if (!fr->converged)
        cli_warn("fixes still changing files after %d passes; stopped", fr->passes);
}

int cli_fix_findings(golint_options *o, finding_list *fl, source_set *sources,
                     fix_reanalyse_fn reanalyse, void *ud, bool reanalyse_all)
{
    fix_options fo = {
        .unsafe_fixes = o->unsafe_fixes,
        .dry_run = o->diff || o->format == FORMAT_DIFF,
        .no_backup = o->no_backup,
        .reanalyse_all = reanalyse_all,
        .parse_errors = cli_parse_errors,
        .parse_ud = o,
        /* --dotfiles writes the repository's own files, named by the user */
        .root = o->dotfiles ? NULL : &o->root,
        .home = o->dotfiles ? NULL : o->analysed_home ? o->analysed_home : o->home,
    };
    fix_report fr;
    fix_report_init(&fr);
    char why[512] = "";
    size_t before_counts[4];
    findings_count(fl, before_counts);
    int before_status = cli_exit_status(o, fl);
    if (fix_apply_all(&fo, fl, sources, reanalyse, ud, &fr, why, sizeof(why)) != 0) {
        cli_error("%s", why);
        fix_report_release(&fr);
        return EXIT_TROUBLE;
    }
    if (why[0])
        cli_warn("%s", why);
    int rc;
    if (fo.dry_run) {
        strbuf sb = STRBUF_INIT;
        report_fix_diff(&sb, &fr, o->root.dir);
        fwrite(sb.data ? sb.data : "", 1, sb.len, stdout);
        fflush(stdout);
        strbuf_release(&sb);
        for (size_t i = 0; i < fr.nresults; i++) {
            const fix_result *r = &fr.results[i];
            if (r->outcome == FIX_OUT_FAILED)
                cli_warn("%s:%d:%d: %s fix left out of the diff: %s", r->file, r->line,
                         r->column, r->rule, r->why ? r->why : "");
        }
        /* nothing was written: the status is that of the findings as read */
        rc = before_status;
    } else {
        fix_summary(o, &fr);
        int rrc = cli_report(o, fl, sources);
        rc = rrc != EXIT_CLEAN ? rrc : cli_exit_status(o, fl);
        if (fr.counts[FIX_OUT_REFUSED]) /* a file we could not write is an I/O error */
            rc = EXIT_TROUBLE;
    }
    fix_report_release(&fr);
    return rc;
}

static int fix_undo_cmd(golint_options *o)
{
    if (o->nargs > 1) {
        cli_error("fix --undo: give at most one run id");
        return EXIT_TROUBLE;
    }
    fix_undo_report ur;
    char why[512];
    if (fix_undo(NULL, o->nargs ? o->args[0] : NULL, &ur, why, sizeof(why)) != 0) {
        cli_error("%s", why);
        return EXIT_TROUBLE;
    }
    strbuf path = STRBUF_INIT;
    for (size_t i = 0; i < ur.n; i++) {
        const fix_undo_result *u = &ur.items[i];
        if (u->restored)
            printf("restored %s\n", visible(&path, u->path));
        else if (ur.items[i].why && strcmp(u->why, "already as before the fix") == 0)
            printf("unchanged %s (%s)\n", visible(&path, u->path), u->why);
        else
            cli_error("%s: %s", u->path, u->why ? u->why : "not restored");
    }
    if (!o->quiet)
        fprintf(stderr, "golint-env: run %s: %zu restored, %zu unchanged, %zu refused\n",
                ur.run_id, ur.restored, ur.skipped, ur.refused);
    int rc = ur.refused ? EXIT_TROUBLE : EXIT_CLEAN;
    strbuf_release(&path);
    fix_undo_report_release(&ur);
    return rc;
}

int cmd_fix(golint_options *o)
{
    if (o->undo)
        return fix_undo_cmd(o);
    if (!o->diff)
        o->fix = true;
    return o->nargs > 0 ? cmd_check(o) : cmd_doctor(o);
}

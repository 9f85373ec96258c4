/* cmd_check.c - `golint-env check PATH...`: lint files as given, in parallel
 * (one worker per core over a shared queue), output in a fixed order. */
#include "cli/cli.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysconf/sysconf.h" /* after <unistd.h>: see the note there */

typedef struct check_job {
    const char *path;
    finding_list findings;
    source_file *src;       /* kept when it has findings (for source lines and fixes) */
    char why[512];          /* I/O problem, if any */
    bool failed;
    bool unknown_kind;
} check_job;

typedef struct check_queue {
    check_job *jobs;
    size_t n;
    atomic_size_t next;
    const check_options *copt;
} check_queue;

static void check_one(check_job *j, const check_options *copt)
{
    source_error se;
    char why[400];
    findings_init(&j->findings);
    source_file *src = source_load(j->path, j->path, &se, why, sizeof(why));
    if (!src) {
        snprintf(j->why, sizeof(j->why), "%s: %s", j->path, why);
        j->failed = true;
        return;
    }
    file_kind kind = copt->kind != KIND_UNKNOWN ? copt->kind : file_kind_detect(src->path, src);
    if (kind == KIND_UNKNOWN) {
        snprintf(j->why, sizeof(j->why),
                 "%s: cannot tell what kind of file this is; skipped (use --kind)", j->path);
        j->unknown_kind = true;
        source_free(src);
        return;
    }
    check_options o = *copt;
    o.kind = kind;
    check_source(src, &o, &j->findings);
    if (j->findings.n)
        j->src = src;
    else
        source_free(src);
}

static void *check_worker(void *arg)
{
    check_queue *q = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&q->next, 1);
        if (i >= q->n)
            break;
        check_one(&q->jobs[i], q->copt);
    }
    return NULL;
}

long cli_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? n : 1;
}

static int worker_count(const golint_options *o, size_t files)
{
    long n = o->jobs > 0 ? o->jobs : cli_cpu_count();
    if (n < 1)
        n = 1;
    if ((size_t)n > files)
        n = (long)files;
    return (int)n;
}

int cmd_check(golint_options *o)
{
    if (o->explain_unit) {
        /* systemctl cat-like view of a unit under --root (src/sysconf) */
        char why[512];
        if (sysconf_explain_unit(&o->root, o->explain_unit, stdout, why, sizeof(why)) != 0) {
            cli_error("%s", why);
            return EXIT_TROUBLE;
        }
        return EXIT_CLEAN;
    }
    if (o->dotfiles)
        return cli_check_dotfiles(o);
    if (o->nargs == 0 && !o->explain_unit && !o->dotfiles) {
        cli_error("check: no files given (usage: golint-env check PATH...)");
        return EXIT_TROUBLE;
    }
    check_options copt = {.kind = o->kind, .dialect = o->shell, .cfg = &o->cfg};
    check_queue q = {.n = (size_t)o->nargs, .copt = &copt};
    q.jobs = xcalloc(q.n ? q.n : 1, sizeof(check_job));
    for (size_t i = 0; i < q.n; i++)
        q.jobs[i].path = o->args[i];
    atomic_init(&q.next, 0);

    int nworkers = worker_count(o, q.n);
    if (nworkers <= 1) {
        check_worker(&q);
    } else {
        pthread_t *t = xcalloc((size_t)nworkers, sizeof(pthread_t));
        int started = 0;
        for (int i = 0; i < nworkers; i++)
            if (pthread_create(&t[i], NULL, check_worker, &q) == 0)
                started++;
        if (started == 0)
            check_worker(&q);
        for (int i = 0; i < started; i++)
            pthread_join(t[i], NULL);
        free(t);
    }

    int rc = EXIT_CLEAN;
    finding_list all;
    findings_init(&all);
    source_set sources = {0};
    for (size_t i = 0; i < q.n; i++) {
        check_job *j = &q.jobs[i];
        if (j->failed) {
            cli_error("%s", j->why);
            rc = EXIT_TROUBLE;
        } else if (j->unknown_kind) {
            cli_warn("%s", j->why);
        }
        findings_append_copy(&all, &j->findings);
        findings_release(&j->findings);
        if (j->src)
            source_set_add(&sources, j->src);
    }
    free(q.jobs);
    findings_sort(&all);
    int rrc = o->fix || o->diff
                  ? cli_fix_findings(o, &all, &sources, cli_check_reanalyse, &copt, false)
                  : cli_report(o, &all, &sources);
    if (rc == EXIT_CLEAN)
        rc = rrc != EXIT_CLEAN ? rrc : cli_exit_status(o, &all);
    findings_release(&all);
    source_set_release(&sources);
    return rc;
}

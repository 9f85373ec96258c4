/*
 * prefetch.c - read and parse, on another core, the files a chain is about
 * to source, while the interpreter is still busy with the file that sources
 * them.
 *
 * Parsing with tree-sitter is most of a simulation's cost, and it is the
 * same work whichever thread does it: the interpreter asks for files in the
 * order it sources them, and the hints (prefetch_request) come in the same
 * order, from a scan of the file being interpreted and from the items of a
 * for loop whose body sources them. Worker threads (jobs - 1 of them) take
 * requests in order; the interpreter, when it needs a file a worker is still
 * parsing, parses the next requested file itself instead of waiting idle. So
 * the cores share the parsing, and the result is the same as parsing in order:
 * a file is used only when its exact path is loaded, unused results are
 * freed, nothing else is shared.
 */
#include "sim/internal.h"

#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

shell_dialect sim_file_dialect(const source_file *src, const char *path, shell_dialect by)
{
    shell_dialect d = shell_dialect_detect(src, path);
    if (d == SHELL_UNKNOWN)
        d = by;
    return d == SHELL_UNKNOWN ? SHELL_BASH : d;
}

bool sim_tree_fits(const shell_tree *tree, const char *path, shell_dialect by)
{
    bool zsh = sim_file_dialect(tree->src, path, by) == SHELL_ZSH;
    return zsh == (tree->dialect == SHELL_ZSH);
}

shell_tree *sim_parse_source(const source_file *src, const char *path, shell_dialect by)
{
    return shell_parse(src, sim_file_dialect(src, path, by));
}

void sim_read_file(const root *r, const char *path, sim_loaded *out, bool parse, shell_dialect by)
{
    char *host = root_path(r, path);
    out->why[0] = '\0';
    out->tree = NULL;
    out->src = source_load(host, path, &out->err, out->why, sizeof(out->why));
    free(host);
    if (out->src && parse)
        out->tree = sim_parse_source(out->src, path, by);
}

typedef enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_DONE, JOB_TAKEN } job_state;

typedef struct job {
    char *path;
    shell_dialect by;
    job_state state;
    sim_loaded res;
} job;

struct prefetch {
    const root *r;
    pthread_mutex_t mu;
    pthread_cond_t work;       /* a job was queued, or stop */
    pthread_cond_t done;       /* a job finished */
    bool (*on_idle)(void *);   /* sim_options.on_idle */
    void *idle_ud;
    bool idle_none;            /* on_idle had nothing: sleep until poked */
    pthread_t workers[PREFETCH_MAX_WORKERS];
    unsigned nworkers, started;
    bool stop;
    job **jobs;                /* in request order; allocated at the first request */
    size_t n, next;            /* jobs[next..n): the first queued one is at or after next */
    uint32_t *slot;            /* open addressing by path: index + 1, 0 empty */
    size_t nslots;
};

static uint32_t path_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The slot of path: its job, or the empty slot where it would go. */
static size_t slot_of(const prefetch *p, const char *path)
{
    size_t mask = p->nslots - 1, i = path_hash(path) & mask;
    while (p->slot[i] && strcmp(p->jobs[p->slot[i] - 1]->path, path) != 0)
        i = (i + 1) & mask;
    return i;
}

prefetch *prefetch_new(const root *r, unsigned jobs, bool (*on_idle)(void *), void *ud)
{
    /* jobs threads parse: the interpreter's and jobs - 1 workers */
    if (jobs == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = cpus > 1 ? (unsigned)cpus : 1;
    }
    if (jobs < 2)
        return NULL;
    prefetch *p = xcalloc(1, sizeof(*p));
    p->nworkers = jobs - 1 > PREFETCH_MAX_WORKERS ? PREFETCH_MAX_WORKERS : jobs - 1;
    p->r = r;
    p->on_idle = on_idle;
    p->idle_ud = ud;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    return p;
}

/* With the lock held: the first queued job, marked running, or NULL. */
static job *claim_next(prefetch *p)
{
    while (p->next < p->n && p->jobs[p->next]->state != JOB_QUEUED)
        p->next++;
    if (p->next == p->n)
        return NULL;
    job *j = p->jobs[p->next++];
    j->state = JOB_RUNNING;
    return j;
}

/* With the lock held on entry and on return: parse j without it. */
static void run_job(prefetch *p, job *j)
{
    pthread_mutex_unlock(&p->mu);
    sim_read_file(p->r, j->path, &j->res, true, j->by);
    pthread_mutex_lock(&p->mu);
    j->state = JOB_DONE;
    pthread_cond_broadcast(&p->done);
}

/* A worker's syntax trees are malloc'ed in its own glibc arena, one mapping
 * aligned to its maximum size (64 MB on 64-bit): offer it to transparent
 * huge pages, as glibc's tunable glibc.malloc.hugetlb=1 would, so parsing
 * takes a few faults instead of one per 4 KB page. Only a hint: a wrong
 * guess of the mapping is ignored by the kernel or harmless. */
static void heap_offer_huge_pages(void)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t heap_max = (uintptr_t)64 << 20;
    void *probe = malloc(1);
    if (probe)
        madvise((void *)((uintptr_t)probe & ~(heap_max - 1)), heap_max, MADV_HUGEPAGE);
    free(probe);
#endif
}

static void *worker_main(void *arg)
{
    prefetch *p = arg;
    heap_offer_huge_pages();
    pthread_mutex_lock(&p->mu);
    while (!p->stop) {
        job *j = claim_next(p);
        if (j) {
            run_job(p, j);
        } else if (p->on_idle && !p->idle_none) {
            pthread_mutex_unlock(&p->mu);
            bool did = p->on_idle(p->idle_ud);
            pthread_mutex_lock(&p->mu);
            if (!did)
                p->idle_none = true;
        } else {
            pthread_cond_wait(&p->work, &p->mu);
        }
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

void prefetch_request(prefetch *p, const char *path, shell_dialect by)
{
    if (!p || path[0] != '/')
        return;
    pthread_mutex_lock(&p->mu);
    if (!p->jobs) {
        p->jobs = xcalloc(PREFETCH_MAX_JOBS, sizeof(*p->jobs));
        p->nslots = 2 * PREFETCH_MAX_JOBS;
        p->slot = xcalloc(p->nslots, sizeof(*p->slot));
    }
    size_t s = slot_of(p, path);
    if (!p->slot[s] && p->n < PREFETCH_MAX_JOBS) {
        job *j = p->jobs[p->n] = xcalloc(1, sizeof(*j));
        j->path = xstrdup(path);
        j->by = by;
        j->state = JOB_QUEUED;
        p->slot[s] = (uint32_t)++p->n;
        /* one more worker per request, up to nworkers */
        if (p->started < p->nworkers &&
            pthread_create(&p->workers[p->started], NULL, worker_main, p) == 0)
            p->started++;
        pthread_cond_signal(&p->work);
    }
    pthread_mutex_unlock(&p->mu);
}

void prefetch_poke(prefetch *p)
{
    if (!p || !p->on_idle)
        return;
    pthread_mutex_lock(&p->mu);
    p->idle_none = false;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
}

bool prefetch_take(prefetch *p, const char *path, sim_loaded *out)
{
    if (!p)
        return false;
    pthread_mutex_lock(&p->mu);
    size_t s = p->jobs ? slot_of(p, path) : 0;
    job *j = p->jobs && p->slot[s] ? p->jobs[p->slot[s] - 1] : NULL;
    if (!j || j->state == JOB_TAKEN) {
        pthread_mutex_unlock(&p->mu);
        return false;
    }
    if (j->state == JOB_QUEUED) {
        j->state = JOB_RUNNING;
        run_job(p, j);
    }
    while (j->state == JOB_RUNNING) {
        /* the worker has it: parse what comes next meanwhile */
        job *k = claim_next(p);
        if (k)
            run_job(p, k);
        else
            pthread_cond_wait(&p->done, &p->mu);
    }
    *out = j->res;
    j->state = JOB_TAKEN;
    pthread_mutex_unlock(&p->mu);
    return true;
}

void prefetch_free(prefetch *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < p->started; i++)
        pthread_join(p->workers[i], NULL);
    for (size_t i = 0; i < p->n; i++) {
        job *j = p->jobs[i];
        if (j->state == JOB_DONE) {
            shell_tree_free(j->res.tree);
            source_free(j->res.src);
        }
        free(j->path);
        free(j);
    }
    free(p->jobs);
    free(p->slot);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

/*
 * goenv.c - live mode only: run the go binary the first shell context finds
 * (`go env -json`, no shell, under a deadline) and compare what the real
 * toolchain reports with the simulation (GE6050), or say why it could not
 * run (GE6051). Never under --root, --offline or --no-exec.
 */
#include "live/live_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#define LIVE_EXEC_MAX (1u << 20)

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int live_exec_capture(char *const argv[], double timeout, strbuf *out, char *why, size_t whylen)
{
    if (timeout <= 0)
        timeout = 3;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        snprintf(why, whylen, "pipe: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(why, whylen, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        int dn = open("/dev/null", O_RDWR);
        if (dn >= 0) {
            dup2(dn, 0);
            dup2(dn, 2);
        }
        dup2(fds[1], 1);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    int64_t deadline = mono_ms() + (int64_t)(timeout * 1000);
    bool timed_out = false;
    for (;;) {
        int64_t left = deadline - mono_ms();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
        int rc = poll(&pfd, 1, (int)left);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc <= 0) {
            timed_out = rc == 0;
            break;
        }
        char buf[4096];
        ssize_t n = read(fds[0], buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (out->len + (size_t)n <= LIVE_EXEC_MAX)
            strbuf_add(out, buf, (size_t)n);
    }
    close(fds[0]);
    if (timed_out)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (timed_out) {
        snprintf(why, whylen, "no answer within %.1f s", timeout);
        return -1;
    }
    if (WIFEXITED(status)) {
        if (WEXITSTATUS(status) == 127)
            snprintf(why, whylen, "could not be executed");
        else
            snprintf(why, whylen, "exit status %d", WEXITSTATUS(status));
        return WEXITSTATUS(status);
    }
    snprintf(why, whylen, "killed by signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return -1;
}

char *live_goenv_get(const char *json, const char *name)
{
    cJSON *doc = cJSON_Parse(json);
    if (!doc)
        return NULL;
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, name));
    char *r = v ? xstrdup(v) : NULL;
    cJSON_Delete(doc);
    return r;
}

void live_goenv_check(live_run *lr)
{
    const live_options *o = lr->o;
    if (!lr->live || o->offline || o->no_exec)
        return;
    size_t ci = lr->nctx;
    for (size_t i = 0; i < lr->nctx; i++)
        if (lr->go_path[i]) {
            ci = i;
            break;
        }
    if (ci == lr->nctx)
        return;
    const live_context *c = &lr->ctx[ci];
    char res[4096];
    bool loop;
    if (!live_resolve(o->root, lr->go_path[ci], res, sizeof(res), &loop))
        return;
    char *argv[] = {res, "env", "-json", NULL};
    strbuf sb = STRBUF_INIT;
    char why[128] = "";
    int rc = live_exec_capture(argv, o->timeout, &sb, why, sizeof(why));
    cJSON *doc = rc == 0 && sb.data ? cJSON_Parse(sb.data) : NULL;
    if (!doc) {
        finding *f = live_finding(lr, "GE6051", SEV_INFO, c->v[LV_PATH].file ? c->v[LV_PATH].file : lr->go_path[ci],
                                  c->v[LV_PATH].line, "`%s env -json` did not give an answer (%s)",
                                  res, rc == 0 ? "output is not JSON" : why);
        finding_add_context(lr->out, f, c->name);
        strbuf_release(&sb);
        return;
    }
    static const live_var vars[] = {LV_GOROOT, LV_GOPATH, LV_GOPROXY, LV_GOENV};
    for (size_t k = 0; k < GE_ARRAY_LEN(vars); k++) {
        const live_value *v = &c->v[vars[k]];
        const char *got = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, live_var_name(vars[k])));
        if (!v->value || !v->file || !got || strcmp(v->value, got) == 0)
            continue;
        finding *f = live_finding(lr, "GE6050", SEV_WARNING, v->file, v->line,
                                  "%s is set to %s here but the real toolchain (%s env -json) "
                                  "reports %s: another file, the go env -w file or the inherited "
                                  "environment wins",
                                  live_var_name(vars[k]), v->value, res, got);
        finding_add_context(lr->out, f, c->name);
    }
    cJSON_Delete(doc);
    strbuf_release(&sb);
}

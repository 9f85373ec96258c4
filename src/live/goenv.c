/*
 * goenv.c - live mode only: run the go binary the first shell context finds
 * (`go env -json`, no shell, under a deadline) and compare what the real
 * toolchain reports with the simulation (GE6050), or say why it could not
 * run or was not run (GE6051). Never under --root, --offline or --no-exec.
 *
 * Running a program is the one thing here that can be turned against whoever
 * runs golint-env, so it is fenced: only for the caller's own environment
 * (never another user's PATH), only a binary that nobody but root (and, when
 * not root, the caller) can replace, checked component by component without
 * following links, and with an environment built from the simulated context
 * alone (its Go variables, PATH, HOME), never the caller's own.
 */
#include "live/live_int.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "sim/sim.h"

#define LIVE_EXEC_MAX (1u << 20)

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int live_exec_capture(char *const argv[], double timeout, strbuf *out, char *why, size_t whylen)
{
    char *const empty[] = {NULL};
    return live_exec_capture_env(argv, empty, timeout, out, why, whylen);
}

int live_exec_capture_env(char *const argv[], char *const envp[], double timeout, strbuf *out,
                          char *why, size_t whylen)
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
        /* nothing of ours leaks into it: no descriptor, no working directory
         * with a go.mod that could pick another toolchain */
        if (close_range(3, ~0u, 0) != 0)
            for (int fd = 3; fd < 1024; fd++)
                close(fd);
        if (chdir("/") != 0)
            _exit(127);
        execve(argv[0], argv, envp);
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

/* ---- may this binary run? ------------------------------------------------ */

/* A group-writable path is the caller's own only when its group is the
 * caller's private group (Debian's umask 002 for user groups): the caller's
 * primary group with nobody else listed in it. Never for root. */
static bool group_is_private(gid_t gid, uid_t me)
{
    if (me == 0)
        return false;
    struct passwd *pw = getpwuid(me);
    if (!pw || pw->pw_gid != gid)
        return false;
    char name[256];
    snprintf(name, sizeof(name), "%s", pw->pw_name);
    struct group *gr = getgrgid(gid);
    if (!gr)
        return false;
    for (char **m = gr->gr_mem; *m; m++)
        if (strcmp(*m, name) != 0)
            return false;
    return true;
}

static void owner_name(uid_t uid, char *out, size_t n)
{
    struct passwd *pw = getpwuid(uid);
    if (pw && pw->pw_name)
        snprintf(out, n, "%s (uid %ld)", pw->pw_name, (long)uid);
    else
        snprintf(out, n, "uid %ld", (long)uid);
}

/* Who besides root (and the caller, when not root) could change what is at
 * this path? false with "PATH is writable by ..." in why. A sticky directory
 * of a trusted owner (/tmp) is fine: others cannot rename what it holds. */
static bool stat_trusted(int fd, const struct stat *st, const char *path, uid_t me, char *why,
                         size_t whylen)
{
    char who[300];
    if (st->st_uid != 0 && st->st_uid != me) {
        owner_name(st->st_uid, who, sizeof(who));
        snprintf(why, whylen, "%s is owned by %s", path, who);
        return false;
    }
    bool sticky_dir = S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX);
    if (!sticky_dir && (st->st_mode & S_IWOTH)) {
        snprintf(why, whylen, "%s is writable by everyone (mode %04o)", path,
                 (unsigned)(st->st_mode & 07777));
        return false;
    }
    if (!sticky_dir && (st->st_mode & S_IWGRP) && !group_is_private(st->st_gid, me)) {
        struct group *gr = getgrgid(st->st_gid);
        snprintf(why, whylen, "%s is writable by group %s (gid %ld, mode %04o)", path,
                 gr && gr->gr_name ? gr->gr_name : "?", (long)st->st_gid,
                 (unsigned)(st->st_mode & 07777));
        return false;
    }
    /* an access ACL can grant write to others whatever the mode says */
    char proc[64];
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
    if (getxattr(proc, "system.posix_acl_access", NULL, 0) > 0) {
        snprintf(why, whylen, "%s has an access ACL (not judged: others may write to it)", path);
        return false;
    }
    return true;
}

/* Walk the resolved binary from / without following links: every directory
 * on the way and the file itself must pass stat_trusted. */
static bool exec_path_trusted(const char *path, uid_t me, char *why, size_t whylen)
{
    if (path[0] != '/') {
        snprintf(why, whylen, "%s is not an absolute path", path);
        return false;
    }
    int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(why, whylen, "/: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    bool ok = stat_trusted(fd, &st, "/", me, why, whylen);
    char sofar[4096] = "";
    size_t len = 0;
    for (const char *p = path; ok && *p;) {
        while (*p == '/')
            p++;
        size_t n = strcspn(p, "/");
        if (n == 0)
            break;
        if (len + 1 + n >= sizeof(sofar) || (n == 1 && p[0] == '.') ||
            (n == 2 && p[0] == '.' && p[1] == '.')) {
            snprintf(why, whylen, "%s is not a plain absolute path", path);
            ok = false;
            break;
        }
        sofar[len++] = '/';
        memcpy(sofar + len, p, n);
        sofar[len += n] = '\0';
        p += n;
        bool last = *p == '\0' || p[strspn(p, "/")] == '\0';
        int next = openat(fd, sofar + len - n, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        close(fd);
        fd = next;
        if (fd < 0 || fstat(fd, &st) != 0) {
            snprintf(why, whylen, "%s: %s", sofar, strerror(errno));
            ok = false;
        } else if (S_ISLNK(st.st_mode)) {
            snprintf(why, whylen, "%s became a symbolic link", sofar);
            ok = false;
        } else if (last ? !S_ISREG(st.st_mode) : !S_ISDIR(st.st_mode)) {
            snprintf(why, whylen, "%s is not a %s", sofar, last ? "regular file" : "directory");
            ok = false;
        } else {
            ok = stat_trusted(fd, &st, sofar, me, why, whylen);
        }
    }
    if (fd >= 0)
        close(fd);
    return ok;
}

/* The caller's own environment? false with the reason in why: golint-env
 * never runs another user's go (their PATH, their files). */
static bool own_environment(const live_run *lr, char *why, size_t whylen)
{
    uid_t me = geteuid();
    const sim_result *sim = lr->o->sim;
    if (lr->uid >= 0 && (uid_t)lr->uid != me) {
        struct passwd *pw = getpwuid((uid_t)lr->uid);
        const char *name = sim && sim->user ? sim->user : pw ? pw->pw_name : "another user";
        snprintf(why, whylen, "the environment is %s's (uid %ld), not yours (uid %ld)", name,
                 lr->uid, (long)me);
        return false;
    }
    if (!sim || !sim->home)
        return true;
    struct passwd *pw = getpwuid(me);
    const char *mine[2] = {pw ? pw->pw_dir : NULL, getenv("HOME")};
    char *want = realpath(sim->home, NULL);
    bool same = false;
    for (size_t i = 0; i < 2 && !same; i++) {
        if (!mine[i] || mine[i][0] != '/')
            continue;
        char *h = realpath(mine[i], NULL);
        same = strcmp(h ? h : mine[i], want ? want : sim->home) == 0;
        free(h);
    }
    free(want);
    if (!same)
        snprintf(why, whylen, "home %s is not yours (%s)", sim->home,
                 pw && pw->pw_dir ? pw->pw_dir : getenv("HOME") ? getenv("HOME") : "unknown");
    return same;
}

/* ---- the environment it runs with ---------------------------------------- */

static bool is_go_name(const char *name)
{
    return strncmp(name, "GO", 2) == 0 || strncmp(name, "CGO_", 4) == 0;
}

/* NAME=VALUE strings for the child: the context's exported Go variables,
 * PATH and HOME as simulated; nothing of this process. */
static char **child_env(live_run *lr, size_t ci)
{
    const live_context *c = &lr->ctx[ci];
    const sim_result *sim = lr->o->sim;
    size_t cap = 8 + LV_COUNT, n = 0;
    const sim_context *sc = sim && ci < sim->ncontexts ? &sim->contexts[ci] : NULL;
    if (sc)
        cap += sc->nvars;
    char **env = arena_alloc(lr->a, cap * sizeof(char *));
    if (sc) {
        for (size_t i = 0; i < sc->nvars; i++) {
            const env_var *v = &sc->vars[i];
            if (v->name && v->value && v->exported && !v->opaque && is_go_name(v->name))
                env[n++] = arena_printf(lr->a, "%s=%s", v->name, v->value);
        }
    } else {
        for (int v = 0; v < LV_COUNT; v++)
            if (c->v[v].value && is_go_name(live_var_name((live_var)v)))
                env[n++] = arena_printf(lr->a, "%s=%s", live_var_name((live_var)v), c->v[v].value);
    }
    if (c->v[LV_PATH].value)
        env[n++] = arena_printf(lr->a, "PATH=%s", c->v[LV_PATH].value);
    const char *home = c->v[LV_HOME].value ? c->v[LV_HOME].value : sim ? sim->home : NULL;
    if (home)
        env[n++] = arena_printf(lr->a, "HOME=%s", home);
    env[n] = NULL;
    return env;
}

static const char not_compared[] =
    "the real toolchain's GOROOT, GOPATH, GOPROXY and GOENV were not compared";

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
    size_t idx = 0;
    char found[4096];
    live_path_dir d = {NULL, c->v[LV_PATH].file, c->v[LV_PATH].line};
    if (live_path_lookup(o->root, c->v[LV_PATH].value, "go", found, sizeof(found), &idx))
        d = live_path_entry_at(c, idx);
    const char *at = d.file ? d.file : lr->go_path[ci];
    char refused[8192];
    uid_t me = geteuid();
    if (!own_environment(lr, refused, sizeof(refused)) ||
        !exec_path_trusted(res, me, refused, sizeof(refused))) {
        finding *f = live_finding(lr, "GE6051", SEV_INFO, at, d.line,
                                  "`%s env -json` not run: %s; %s",
                                  res, refused, not_compared);
        finding_add_context(lr->out, f, c->name);
        return;
    }
    char *argv[] = {res, "env", "-json", NULL};
    strbuf sb = STRBUF_INIT;
    char why[128] = "";
    int rc = live_exec_capture_env(argv, child_env(lr, ci), o->timeout, &sb, why, sizeof(why));
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

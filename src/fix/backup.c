/* backup.c - backups of fixed files under $XDG_STATE_HOME/golint-env/backups/
 * RUN/, a JSON journal (path, sha256 before and after, device and inode
 * written, rules, time, the run's sequence number and root) and `fix --undo`,
 * which restores byte-identically what the journal allows.
 *
 * Undo writes over files, possibly as root, on the journal's word, so the
 * journal is believed only where nobody else could have written it: the
 * state directory, backups/, each run directory and the files in them must
 * be the invoking user's and not writable by group or others, opened
 * without following links (openat, O_NOFOLLOW, fstat). Even then a file is
 * restored only if it is the very file the run wrote (device, inode, sha256). */
#include "fix/journal.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define JOURNAL_NAME "journal.json"
/* 2: entries carry the device and inode written, the journal its sequence
 * number and root; older journals are not trusted for undo. */
#define JOURNAL_VERSION 2
#define JOURNAL_MAX (16u << 20)
#define TARGET_MAX (256u << 20)

struct fix_journal {
    char *dir;          /* the run directory, for messages */
    int dirfd;          /* the run directory, opened once and checked */
    int filesfd;        /* its files/ */
    char run_id[64];
    cJSON *doc;
    cJSON *prev;        /* the document before the last record, for revert */
    char *last_backup;
    char *pending;      /* target recorded last: its identity is taken on the next call */
};

void fix_run_id(char *out, size_t len)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    time_t t = tv.tv_sec;
    gmtime_r(&t, &tm);
    char stamp[32];
    strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
    snprintf(out, len, "%s.%06ldZ-%ld", stamp, (long)tv.tv_usec, (long)getpid());
}

static void time_now(char *out, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static char *path_join(const char *a, const char *b)
{
    strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, a);
    if (!sb.len || sb.data[sb.len - 1] != '/')
        strbuf_addc(&sb, '/');
    strbuf_adds(&sb, b);
    return strbuf_detach(&sb);
}

/* $XDG_STATE_HOME/golint-env, default ~/.local/state/golint-env. */
static char *state_path(const char *state_dir)
{
    if (state_dir && *state_dir)
        return xstrdup(state_dir);
    const char *xdg = getenv("XDG_STATE_HOME");
    if (xdg && xdg[0] == '/') /* the spec ignores relative values */
        return path_join(xdg, "golint-env");
    const char *home = getenv("HOME");
    if (!home || !*home) {
        struct passwd *pw = getpwuid(getuid());
        home = pw && pw->pw_dir ? pw->pw_dir : "/";
    }
    return path_join(home, ".local/state/golint-env");
}

char *fix_backup_root(const char *state_dir)
{
    char *s = state_path(state_dir);
    char *r = path_join(s, "backups");
    free(s);
    return r;
}

static bool mkdir_p(const char *path, mode_t mode, char *why, size_t whylen)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, mode) != 0 && errno != EEXIST) {
            snprintf(why, whylen, "cannot create %s: %s", p, strerror(errno));
            free(p);
            return false;
        }
        *s = '/';
    }
    free(p);
    return true;
}

/* ---- the state tree is the invoking user's alone ---------------------------- */

/* Journals and backups are trusted only in directories nobody else could
 * have written: owned by the invoking user, not writable by group or others. */
static bool stat_ours(const struct stat *st, const char *shown, char *why, size_t whylen)
{
    uid_t me = geteuid();
    if (st->st_uid != me) {
        snprintf(why, whylen, "%s is owned by uid %ld, not by you (uid %ld)", shown,
                 (long)st->st_uid, (long)me);
        return false;
    }
    if (st->st_mode & (S_IWGRP | S_IWOTH)) {
        snprintf(why, whylen, "%s is writable by %s (mode %04o)", shown,
                 st->st_mode & S_IWOTH ? "everyone" : "its group", (unsigned)(st->st_mode & 07777));
        return false;
    }
    return true;
}

/* A directory of the state tree at `name` relative to `at`, opened without
 * following a link (created 0700 first when asked) and checked with fstat.
 * -1 with why; *absent set when it does not exist. */
static int dir_open_ours(int at, const char *name, const char *shown, bool create, bool *absent,
                         char *why, size_t whylen)
{
    if (absent)
        *absent = false;
    if (create && mkdirat(at, name, 0700) != 0 && errno != EEXIST) {
        snprintf(why, whylen, "cannot create %s: %s", shown, strerror(errno));
        return -1;
    }
    int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (absent)
            *absent = errno == ENOENT;
        snprintf(why, whylen, "%s: %s", shown,
                 errno == ELOOP || errno == ENOTDIR ? "a symbolic link or not a directory"
                                                    : strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !stat_ours(&st, shown, why, whylen)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* The state directory's backups/, checked (and created when asked) with the
 * state directory itself. *shown (heap) is its path for messages. */
static int backups_open(const char *state_dir, bool create, bool *absent, char **shown,
                        char *why, size_t whylen)
{
    char *sp = state_path(state_dir);
    *shown = path_join(sp, "backups");
    int bfd = -1;
    if (!create || mkdir_p(sp, 0700, why, whylen)) {
        int sfd = dir_open_ours(AT_FDCWD, sp, sp, create, absent, why, whylen);
        if (sfd >= 0) {
            bfd = dir_open_ours(sfd, "backups", *shown, create, absent, why, whylen);
            close(sfd);
        }
    }
    free(sp);
    return bfd;
}

/* Everything left in fd, at most max bytes: NULL, or what went wrong. */
static const char *fd_read_all(int fd, size_t max, strbuf *sb)
{
    char buf[65536];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n == 0)
            return NULL;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return strerror(errno);
        if (sb->len + (size_t)n > max)
            return "larger than the bound";
        strbuf_add(sb, buf, (size_t)n);
    }
}

/* Read a whole file of the state tree (no link followed, ours, bounded). */
static char *file_read_ours(int at, const char *name, const char *shown, size_t *len, char *why,
                            size_t whylen)
{
    int fd = openat(at, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(why, whylen, "%s: %s", shown, errno == ELOOP ? "a symbolic link" : strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode) || st.st_size > (off_t)JOURNAL_MAX) {
        snprintf(why, whylen, "%s: not a regular file of at most %u bytes", shown, JOURNAL_MAX);
        close(fd);
        return NULL;
    }
    if (!stat_ours(&st, shown, why, whylen)) {
        close(fd);
        return NULL;
    }
    strbuf sb = STRBUF_INIT;
    const char *err = fd_read_all(fd, JOURNAL_MAX, &sb);
    close(fd);
    if (err) {
        snprintf(why, whylen, "%s: %s", shown, err);
        strbuf_release(&sb);
        return NULL;
    }
    *len = sb.len;
    return strbuf_detach(&sb);
}

/* Write a file of the state tree relative to its directory: a new one
 * (O_EXCL) or, with replace, a temporary file renamed over the old one. */
static bool file_write_at(int dirfd, const char *name, const char *shown, const char *data,
                          size_t len, bool replace, char *why, size_t whylen)
{
    char tmp[128];
    snprintf(tmp, sizeof(tmp), ".%.64s.tmp-%ld", name, (long)getpid());
    const char *at = replace ? tmp : name;
    int fd = openat(dirfd, at, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    bool ok = fd >= 0;
    size_t off = 0;
    while (ok && off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            ok = false;
        else
            off += (size_t)w;
    }
    if (ok && fsync(fd) != 0)
        ok = false;
    if (fd >= 0)
        close(fd);
    if (ok && replace && renameat(dirfd, tmp, dirfd, name) != 0)
        ok = false;
    if (ok)
        (void)fsync(dirfd);
    if (!ok) {
        snprintf(why, whylen, "cannot write %s: %s", shown, strerror(errno));
        if (fd >= 0)
            unlinkat(dirfd, at, 0);
    }
    root_cache_forget(); /* the state dir may lie under an analysed root (dirs made too) */
    return ok;
}

static bool journal_save(fix_journal *j, char *why, size_t whylen)
{
    char *text = cJSON_Print(j->doc);
    char *path = path_join(j->dir, JOURNAL_NAME);
    strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, text);
    strbuf_addc(&sb, '\n');
    bool ok = file_write_at(j->dirfd, JOURNAL_NAME, path, sb.data, sb.len, true, why, whylen);
    strbuf_release(&sb);
    free(path);
    cJSON_free(text);
    return ok;
}

/* ---- runs, ordered by their own sequence number --------------------------- */

typedef struct run_info {
    char *id;
    cJSON *doc;
    double seq;
} run_info;

static void runs_free(run_info *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(r[i].id);
        cJSON_Delete(r[i].doc);
    }
    free(r);
}

/* The journal of run directory rfd, if one this version wrote for that run. */
static cJSON *journal_load(int rfd, const char *id, const char *rshown, char *why, size_t whylen)
{
    char *path = path_join(rshown, JOURNAL_NAME);
    size_t len = 0;
    char *text = file_read_ours(rfd, JOURNAL_NAME, path, &len, why, whylen);
    cJSON *doc = text ? cJSON_ParseWithLength(text, len) : NULL;
    free(text);
    if (text && (!doc || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "files")))) {
        snprintf(why, whylen, "%s: not a golint-env journal", path);
        cJSON_Delete(doc);
        doc = NULL;
    } else if (doc) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, "version");
        const char *run = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "run"));
        if (!cJSON_IsNumber(v) || v->valuedouble != JOURNAL_VERSION ||
            !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(doc, "seq"))) {
            snprintf(why, whylen, "%s: written by an older golint-env (no file identities): "
                     "restore by hand from its files/", path);
            cJSON_Delete(doc);
            doc = NULL;
        } else if (!run || strcmp(run, id) != 0) {
            snprintf(why, whylen, "%s: names run %s, not %s", path, run ? run : "?", id);
            cJSON_Delete(doc);
            doc = NULL;
        }
    }
    free(path);
    return doc;
}

/* Every run under backups/ with a journal of this version, in no order.
 * strict: a run directory or journal that is not ours fails the scan (why);
 * otherwise it is left out like an unreadable one. */
static bool runs_scan(int bfd, const char *bshown, bool strict, run_info **out, size_t *n,
                      char *why, size_t whylen)
{
    *out = NULL;
    *n = 0;
    int dfd = dup(bfd);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        if (dfd >= 0)
            close(dfd);
        snprintf(why, whylen, "%s: %s", bshown, strerror(errno));
        return false;
    }
    rewinddir(d);
    size_t cap = 0;
    bool ok = true;
    struct dirent *de;
    while (ok && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        struct stat st;
        if (fstatat(bfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || S_ISREG(st.st_mode))
            continue;
        char *rshown = path_join(bshown, de->d_name);
        char rwhy[1024];
        int rfd = dir_open_ours(bfd, de->d_name, rshown, false, NULL, rwhy, sizeof(rwhy));
        cJSON *doc = NULL;
        if (rfd < 0) {
            if (strict) {
                snprintf(why, whylen, "%s", rwhy);
                ok = false;
            }
        } else {
            /* a journal not ours is refused; one absent or older is left out */
            struct stat js;
            bool foreign = fstatat(rfd, JOURNAL_NAME, &js, AT_SYMLINK_NOFOLLOW) == 0 &&
                           (!S_ISREG(js.st_mode) || !stat_ours(&js, JOURNAL_NAME, rwhy, sizeof(rwhy)));
            if (foreign && strict) {
                snprintf(why, whylen, "%s/%s", rshown, rwhy);
                ok = false;
            } else if (!foreign) {
                doc = journal_load(rfd, de->d_name, rshown, rwhy, sizeof(rwhy));
            }
            close(rfd);
        }
        if (doc) {
            if (*n == cap) {
                cap = cap ? 2 * cap : 16;
                *out = xrealloc(*out, cap * sizeof(**out));
            }
            (*out)[*n] = (run_info){xstrdup(de->d_name), doc,
                                    cJSON_GetObjectItemCaseSensitive(doc, "seq")->valuedouble};
            (*n)++;
        }
        free(rshown);
    }
    closedir(d);
    if (!ok) {
        runs_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return ok;
}

/* Newest first: higher sequence number, then run id for equal numbers
 * (two runs started at once). */
static int run_cmp_desc(const void *pa, const void *pb)
{
    const run_info *a = pa, *b = pb;
    if (a->seq != b->seq)
        return a->seq < b->seq ? 1 : -1;
    return strcmp(b->id, a->id);
}

char **fix_backup_runs(const char *state_dir, size_t *n)
{
    *n = 0;
    char why[1024], *shown;
    bool absent;
    int bfd = backups_open(state_dir, false, &absent, &shown, why, sizeof(why));
    free(shown);
    if (bfd < 0)
        return NULL;
    run_info *r;
    size_t nr;
    char **ids = NULL;
    if (runs_scan(bfd, "backups", false, &r, &nr, why, sizeof(why)) && nr) {
        qsort(r, nr, sizeof(*r), run_cmp_desc);
        ids = xmalloc(nr * sizeof(char *));
        for (size_t i = 0; i < nr; i++)
            ids[i] = xstrdup(r[i].id);
        *n = nr;
        runs_free(r, nr);
    }
    close(bfd);
    return ids;
}

void fix_backup_runs_free(char **runs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(runs[i]);
    free(runs);
}

static bool valid_run_id(const char *id)
{
    if (!*id || strcmp(id, ".") == 0 || strcmp(id, "..") == 0 || id[0] == '.' || strlen(id) >= 64)
        return false;
    for (const char *p = id; *p; p++)
        if (*p == '/')
            return false;
    return true;
}

/* ---- writing a run ---------------------------------------------------------- */

fix_journal *journal_open(const char *state_dir, const char *run_id, char *why, size_t whylen)
{
    if (!valid_run_id(run_id)) {
        snprintf(why, whylen, "backups: '%s' is not a run id", run_id);
        return NULL;
    }
    char *bshown;
    char bwhy[1024];
    int bfd = backups_open(state_dir, true, NULL, &bshown, bwhy, sizeof(bwhy));
    if (bfd < 0) {
        snprintf(why, whylen, "backups: %s; refusing to keep backups there (set XDG_STATE_HOME "
                 "to a directory of yours, or use --no-backup)", bwhy);
        free(bshown);
        return NULL;
    }
    /* the sequence number is taken and the run created under one lock */
    while (flock(bfd, LOCK_EX) != 0 && errno == EINTR)
        ;
    run_info *runs;
    size_t nruns;
    double seq = 0;
    if (runs_scan(bfd, bshown, false, &runs, &nruns, why, whylen)) {
        for (size_t i = 0; i < nruns; i++)
            if (runs[i].seq > seq)
                seq = runs[i].seq;
        runs_free(runs, nruns);
    }
    fix_journal *j = xcalloc(1, sizeof(*j));
    j->dirfd = j->filesfd = -1;
    j->dir = path_join(bshown, run_id);
    char *files = path_join(j->dir, "files");
    snprintf(j->run_id, sizeof(j->run_id), "%s", run_id);
    if (mkdirat(bfd, run_id, 0700) != 0) {
        snprintf(why, whylen, "cannot create %s: %s", j->dir, strerror(errno));
    } else if ((j->dirfd = dir_open_ours(bfd, run_id, j->dir, false, NULL, why, whylen)) >= 0) {
        j->filesfd = dir_open_ours(j->dirfd, "files", files, true, NULL, why, whylen);
    }
    free(files);
    free(bshown);
    if (j->filesfd < 0) {
        close(bfd);
        journal_close(j);
        return NULL;
    }
    j->doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(j->doc, "version", JOURNAL_VERSION);
    cJSON_AddNumberToObject(j->doc, "seq", seq + 1);
    cJSON_AddStringToObject(j->doc, "run", run_id);
    char now[32];
    time_now(now, sizeof(now));
    cJSON_AddStringToObject(j->doc, "time", now);
    char cwd[4096];
    cJSON_AddStringToObject(j->doc, "cwd", getcwd(cwd, sizeof(cwd)) ? cwd : "");
    cJSON_AddStringToObject(j->doc, "root", "/");
    cJSON_AddArrayToObject(j->doc, "files");
    bool ok = journal_save(j, why, whylen);
    close(bfd); /* and the lock with it */
    if (!ok) {
        journal_close(j);
        return NULL;
    }
    return j;
}

const char *journal_dir(const fix_journal *j)
{
    return j->dir;
}

static cJSON *entry_for(cJSON *files, const char *target)
{
    cJSON *e;
    cJSON_ArrayForEach(e, files) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(e, "target");
        if (cJSON_IsString(t) && strcmp(t->valuestring, target) == 0)
            return e;
    }
    return NULL;
}

/* A file as it is now, its final link not followed: bytes hashed, identity.
 * 1 absent, 0 read, -1 with why. */
static int target_now(const char *target, char hex[65], struct stat *st, char *why, size_t whylen)
{
    int fd = open(target, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 1;
        snprintf(why, whylen, "%s", errno == ELOOP ? "is now a symbolic link" : strerror(errno));
        return -1;
    }
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) || st->st_size > (off_t)TARGET_MAX) {
        snprintf(why, whylen, "is no longer a regular file of at most %u bytes", TARGET_MAX);
        close(fd);
        return -1;
    }
    strbuf sb = STRBUF_INIT;
    const char *err = fd_read_all(fd, TARGET_MAX, &sb);
    close(fd);
    if (err) {
        snprintf(why, whylen, "%s", err);
        strbuf_release(&sb);
        return -1;
    }
    unsigned char digest[32];
    sha256_bytes(sb.data ? sb.data : "", sb.len, digest);
    sha256_hex(digest, hex);
    strbuf_release(&sb);
    return 0;
}

/* The file recorded last has been written (or its write failed and was
 * reverted): keep the device and inode it has now, if its bytes are the
 * ones the fix wrote. Undo restores only a file with that identity. */
static void journal_stamp(fix_journal *j)
{
    if (!j->pending)
        return;
    cJSON *e = entry_for(cJSON_GetObjectItemCaseSensitive(j->doc, "files"), j->pending);
    const char *after = e ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "sha256_after")) : NULL;
    char hex[65], why[256];
    struct stat st;
    if (after && target_now(j->pending, hex, &st, why, sizeof(why)) == 0 && strcmp(hex, after) == 0) {
        char num[32];
        snprintf(num, sizeof(num), "%ju", (uintmax_t)st.st_dev);
        cJSON_AddStringToObject(e, "dev", num);
        snprintf(num, sizeof(num), "%ju", (uintmax_t)st.st_ino);
        cJSON_AddStringToObject(e, "ino", num);
        (void)journal_save(j, why, sizeof(why));
    }
    free(j->pending);
    j->pending = NULL;
}

void journal_written(fix_journal *j)
{
    journal_stamp(j);
}

void journal_set_root(fix_journal *j, const char *host_root)
{
    journal_stamp(j);
    cJSON_ReplaceItemInObjectCaseSensitive(j->doc, "root",
                                           cJSON_CreateString(host_root && *host_root ? host_root : "/"));
    char why[256];
    (void)journal_save(j, why, sizeof(why));
}

/* The target as undo will check it: links resolved, for a file not yet
 * created through its directory. */
static char *target_canonical(const char *target)
{
    char *real = realpath(target, NULL);
    if (real)
        return real;
    const char *slash = strrchr(target, '/');
    if (!slash || slash == target || !slash[1])
        return xstrdup(target);
    char *dir = xstrndup(target, (size_t)(slash - target));
    char *rdir = realpath(dir, NULL);
    char *r = rdir ? path_join(rdir, slash + 1) : xstrdup(target);
    free(rdir);
    free(dir);
    return r;
}

bool journal_record(fix_journal *j, const char *display, const char *target_as_given,
                    const char *before, size_t before_len, bool created,
                    const char *after, size_t after_len,
                    const char *const *rules, size_t nrules,
                    const char **backup_out, char *why, size_t whylen)
{
    journal_stamp(j);
    char *target = target_canonical(target_as_given);
    cJSON_Delete(j->prev);
    j->prev = cJSON_Duplicate(j->doc, 1);
    cJSON *files = cJSON_GetObjectItemCaseSensitive(j->doc, "files");
    cJSON *e = entry_for(files, target);
    unsigned char digest[32];
    char hex[65];
    char now[32];
    time_now(now, sizeof(now));
    if (!e) {
        int idx = cJSON_GetArraySize(files) + 1;
        char name[32];
        snprintf(name, sizeof(name), "files/%d", idx);
        e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "path", display);
        cJSON_AddStringToObject(e, "target", target);
        cJSON_AddBoolToObject(e, "created", created);
        if (created) {
            cJSON_AddNullToObject(e, "backup");
            cJSON_AddNullToObject(e, "sha256_before");
        } else {
            char *bpath = path_join(j->dir, name);
            bool ok = file_write_at(j->filesfd, name + 6, bpath, before, before_len, false, why,
                                    whylen);
            free(bpath);
            if (!ok) {
                cJSON_Delete(e);
                free(target);
                return false;
            }
            cJSON_AddStringToObject(e, "backup", name);
            sha256_bytes(before, before_len, digest);
            sha256_hex(digest, hex);
            cJSON_AddStringToObject(e, "sha256_before", hex);
        }
        cJSON_AddStringToObject(e, "sha256_after", "");
        cJSON_AddArrayToObject(e, "rules");
        cJSON_AddStringToObject(e, "time", now);
        cJSON_AddItemToArray(files, e);
    }
    /* written again: its identity changes with the new file */
    cJSON_DeleteItemFromObjectCaseSensitive(e, "dev");
    cJSON_DeleteItemFromObjectCaseSensitive(e, "ino");
    sha256_bytes(after, after_len, digest);
    sha256_hex(digest, hex);
    cJSON_ReplaceItemInObjectCaseSensitive(e, "sha256_after", cJSON_CreateString(hex));
    cJSON_ReplaceItemInObjectCaseSensitive(e, "time", cJSON_CreateString(now));
    cJSON *rl = cJSON_GetObjectItemCaseSensitive(e, "rules");
    for (size_t i = 0; i < nrules; i++) {
        bool have = false;
        cJSON *r;
        cJSON_ArrayForEach(r, rl)
            if (cJSON_IsString(r) && strcmp(r->valuestring, rules[i]) == 0)
                have = true;
        if (!have)
            cJSON_AddItemToArray(rl, cJSON_CreateString(rules[i]));
    }
    if (!journal_save(j, why, whylen)) {
        journal_revert_last(j);
        free(target);
        return false;
    }
    j->pending = target;
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(e, "backup");
    free(j->last_backup);
    j->last_backup = cJSON_IsString(b) ? path_join(j->dir, b->valuestring) : NULL;
    if (backup_out)
        *backup_out = j->last_backup;
    return true;
}

void journal_revert_last(fix_journal *j)
{
    free(j->pending);
    j->pending = NULL;
    if (!j->prev)
        return;
    cJSON_Delete(j->doc);
    j->doc = j->prev;
    j->prev = NULL;
    char why[256];
    (void)journal_save(j, why, sizeof(why));
}

void journal_close(fix_journal *j)
{
    if (!j)
        return;
    if (j->doc)
        journal_stamp(j);
    cJSON_Delete(j->doc);
    cJSON_Delete(j->prev);
    if (j->filesfd >= 0)
        close(j->filesfd);
    if (j->dirfd >= 0)
        close(j->dirfd);
    free(j->pending);
    free(j->last_backup);
    free(j->dir);
    free(j);
}

/* ---- undo ------------------------------------------------------------------- */

static void undo_add(fix_undo_report *r, const char *path, bool restored, const char *why)
{
    r->items = xrealloc(r->items, (r->n + 1) * sizeof(*r->items));
    fix_undo_result *u = &r->items[r->n++];
    u->path = xstrdup(path);
    u->restored = restored;
    u->why = why ? xstrdup(why) : NULL;
}

/* Absolute, no empty, "." or ".." component, no trailing slash. */
static bool path_canonical(const char *p)
{
    if (p[0] != '/')
        return false;
    if (!p[1])
        return true;
    for (const char *s = p + 1;;) {
        size_t n = strcspn(s, "/");
        if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
            return false;
        if (!s[n])
            return true;
        s += n + 1;
    }
}

static bool path_inside(const char *p, const char *dir)
{
    size_t n = strlen(dir);
    return strcmp(dir, "/") == 0 || (strncmp(p, dir, n) == 0 && p[n] == '/');
}

/* Does an entry before e name the same target? */
static bool named_before(const cJSON *files, const cJSON *e, const char *target)
{
    const cJSON *o;
    cJSON_ArrayForEach(o, files) {
        if (o == e)
            return false;
        const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "target"));
        if (t && strcmp(t, target) == 0)
            return true;
    }
    return false;
}

static bool is_hex64(const char *s)
{
    if (!s || strlen(s) != 64)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return false;
    return true;
}

static bool is_decimal(const char *s)
{
    if (!s || !*s || strlen(s) > 20)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

typedef struct undo_entry {
    const char *target, *after, *before, *backup;
    bool created;
    uintmax_t dev, ino;
} undo_entry;

/* Everything undo will act on, checked before anything is opened: NULL, or
 * why the entry is not one this run could have written. */
static const char *entry_check(const cJSON *e, const char *fixed_root, undo_entry *u)
{
    u->target = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "target"));
    u->after = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "sha256_after"));
    u->before = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "sha256_before"));
    u->backup = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "backup"));
    u->created = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "created"));
    const char *dev = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "dev"));
    const char *ino = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "ino"));
    if (!u->target || !path_canonical(u->target))
        return "the journal's target is not a plain absolute path";
    if (!path_inside(u->target, fixed_root))
        return "the journal's target lies outside the root the run fixed";
    if (!is_hex64(u->after))
        return "incomplete journal entry (no hash of what the fix wrote)";
    if (!u->created) {
        const char *b = u->backup;
        if (!is_hex64(u->before) || !b || strncmp(b, "files/", 6) != 0 || !is_decimal(b + 6))
            return "incomplete journal entry (no backup of its own)";
    }
    if (!is_decimal(dev) || !is_decimal(ino))
        return "the journal does not record which file the fix wrote (interrupted run?)";
    u->dev = strtoumax(dev, NULL, 10);
    u->ino = strtoumax(ino, NULL, 10);
    return NULL;
}

/* Undo one entry: refused unless the file at the target is the very file
 * the run wrote (same device and inode, same bytes, no link on the way). */
static void undo_entry_run(const undo_entry *u, int rfd, const char *dir, fix_undo_report *out)
{
    char cur[65], reason[1024];
    struct stat st;
    int now = target_now(u->target, cur, &st, reason, sizeof(reason));
    if (now < 0 || (now == 1 && !u->created)) {
        undo_add(out, u->target, false, now == 1 ? "file no longer exists" : reason);
        out->refused++;
        return;
    }
    if (now == 1 || (!u->created && strcmp(cur, u->before) == 0)) {
        undo_add(out, u->target, false, "already as before the fix");
        out->skipped++;
        return;
    }
    char *real = realpath(u->target, NULL);
    bool moved = !real || strcmp(real, u->target) != 0;
    free(real);
    const char *refuse = NULL;
    if ((uintmax_t)st.st_dev != u->dev || (uintmax_t)st.st_ino != u->ino)
        refuse = "not the file the fix wrote (device/inode differ); not restored";
    else if (moved)
        refuse = "a directory on its path is now a symbolic link; not restored";
    else if (strcmp(cur, u->after) != 0)
        refuse = "changed after the fix; not restored";
    if (refuse) {
        undo_add(out, u->target, false, refuse);
        out->refused++;
        return;
    }
    unsigned char expect[32];
    for (int i = 0; i < 32; i++) {
        unsigned v;
        sscanf(u->after + 2 * i, "%2x", &v);
        expect[i] = (unsigned char)v;
    }
    if (u->created) {
        /* the fix created it: undo removes it, still what we wrote */
        int err = unlink(u->target) == 0 ? 0 : errno;
        root_cache_forget();
        undo_add(out, u->target, err == 0, err ? strerror(err) : NULL);
        if (err)
            out->refused++;
        else
            out->restored++;
        return;
    }
    char *bshown = path_join(dir, u->backup);
    size_t blen = 0;
    char *b = file_read_ours(rfd, u->backup, bshown, &blen, reason, sizeof(reason));
    free(bshown);
    char bhex[65];
    if (b) {
        unsigned char digest[32];
        sha256_bytes(b, blen, digest);
        sha256_hex(digest, bhex);
    }
    if (!b || strcmp(bhex, u->before) != 0) {
        undo_add(out, u->target, false, b ? "backup copy is damaged (hash mismatch)" : reason);
        out->refused++;
    } else if (fix_write_file(u->target, b, blen, expect, false, NULL, reason, sizeof(reason))) {
        undo_add(out, u->target, true, NULL);
        out->restored++;
    } else {
        undo_add(out, u->target, false, reason);
        out->refused++;
    }
    free(b);
}

/* The run to undo: run_id, or the not yet undone run with the highest
 * sequence number. Its directory (checked) in *rfd. */
static cJSON *undo_pick(int bfd, const char *bshown, const char *run_id, char **chosen, int *rfd,
                        char *why, size_t whylen)
{
    char rwhy[1024];
    if (!run_id) {
        run_info *runs;
        size_t n;
        if (!runs_scan(bfd, bshown, true, &runs, &n, rwhy, sizeof(rwhy))) {
            snprintf(why, whylen, "fix --undo: %s: refusing to trust the journals under %s",
                     rwhy, bshown);
            return NULL;
        }
        qsort(runs, n, sizeof(*runs), run_cmp_desc);
        for (size_t i = 0; i < n && !run_id; i++)
            if (!cJSON_GetObjectItemCaseSensitive(runs[i].doc, "undone") &&
                cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(runs[i].doc, "files")) > 0)
                run_id = *chosen = xstrdup(runs[i].id);
        runs_free(runs, n);
        if (!run_id) {
            snprintf(why, whylen, "fix --undo: no fix run to undo under %s", bshown);
            return NULL;
        }
    } else if (!valid_run_id(run_id)) {
        snprintf(why, whylen, "fix --undo: '%s' is not a run id", run_id);
        return NULL;
    } else {
        *chosen = xstrdup(run_id);
    }
    char *rshown = path_join(bshown, run_id);
    bool absent;
    cJSON *doc = NULL;
    *rfd = dir_open_ours(bfd, run_id, rshown, false, &absent, rwhy, sizeof(rwhy));
    if (*rfd >= 0 && !(doc = journal_load(*rfd, run_id, rshown, rwhy, sizeof(rwhy)))) {
        close(*rfd);
        *rfd = -1;
    }
    if (!doc)
        snprintf(why, whylen, "fix --undo: %s%s", rwhy,
                 absent ? "" : "; refusing to act on this journal");
    free(rshown);
    return doc;
}

int fix_undo(const char *state_dir, const char *run_id, fix_undo_report *out,
             char *why, size_t whylen)
{
    memset(out, 0, sizeof(*out));
    char *bshown;
    bool absent;
    char bwhy[1024];
    int bfd = backups_open(state_dir, false, &absent, &bshown, bwhy, sizeof(bwhy));
    if (bfd < 0) {
        if (absent)
            snprintf(why, whylen, "fix --undo: no fix run to undo under %s", bshown);
        else
            snprintf(why, whylen, "fix --undo: %s: refusing to trust the journals there", bwhy);
        free(bshown);
        return -1;
    }
    while (flock(bfd, LOCK_EX) != 0 && errno == EINTR)
        ;
    char *chosen = NULL;
    int rfd = -1;
    cJSON *doc = undo_pick(bfd, bshown, run_id, &chosen, &rfd, why, whylen);
    if (!doc) {
        free(chosen);
        free(bshown);
        close(bfd);
        return -1;
    }
    snprintf(out->run_id, sizeof(out->run_id), "%s", chosen);
    char *dir = path_join(bshown, chosen);
    free(chosen);
    free(bshown);

    const char *fixed_root = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "root"));
    if (fixed_root && !path_canonical(fixed_root))
        fixed_root = NULL;
    cJSON *files = cJSON_GetObjectItemCaseSensitive(doc, "files");
    cJSON *e;
    cJSON_ArrayForEach(e, files) {
        undo_entry u = {0};
        const char *bad = fixed_root ? entry_check(e, fixed_root, &u) : "the journal names no root";
        if (!bad && named_before(files, e, u.target))
            bad = "the journal names this file twice";
        if (bad) {
            const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "target"));
            undo_add(out, t ? t : "?", false, bad);
            out->refused++;
            continue;
        }
        undo_entry_run(&u, rfd, dir, out);
    }
    if (out->refused == 0) {
        char now[32];
        time_now(now, sizeof(now));
        cJSON_AddStringToObject(doc, "undone", now);
        fix_journal j = {.dir = dir, .dirfd = rfd, .doc = doc};
        (void)journal_save(&j, why, whylen);
    }
    cJSON_Delete(doc);
    close(rfd);
    close(bfd);
    free(dir);
    return 0;
}

void fix_undo_report_release(fix_undo_report *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->items[i].path);
        free(r->items[i].why);
    }
    free(r->items);
    memset(r, 0, sizeof(*r));
}

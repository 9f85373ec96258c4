/* backup.c - backups of fixed files under $XDG_STATE_HOME/golint-env/backups/
 * RUN/, a JSON journal (path, sha256 before and after, rules, time) and
 * `fix --undo`, which restores byte-identically what the journal allows. */
#include "fix/journal.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define JOURNAL_NAME "journal.json"

struct fix_journal {
    char *dir;
    char run_id[64];
    cJSON *doc;
    cJSON *prev; /* the document before the last record, for revert */
    char *last_backup;
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

char *fix_backup_root(const char *state_dir)
{
    if (state_dir && *state_dir)
        return path_join(state_dir, "backups");
    const char *xdg = getenv("XDG_STATE_HOME");
    if (xdg && xdg[0] == '/') /* the spec ignores relative values */
        return path_join(xdg, "golint-env/backups");
    const char *home = getenv("HOME");
    if (!home || !*home) {
        struct passwd *pw = getpwuid(getuid());
        home = pw && pw->pw_dir ? pw->pw_dir : "/";
    }
    return path_join(home, ".local/state/golint-env/backups");
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
    if (mkdir(p, mode) != 0 && errno != EEXIST) {
        snprintf(why, whylen, "cannot create %s: %s", p, strerror(errno));
        free(p);
        return false;
    }
    free(p);
    return true;
}

/* Small atomic writer for the state directory (no fault injection here). */
static bool state_write(const char *path, const char *data, size_t len, char *why, size_t whylen)
{
    strbuf t = STRBUF_INIT;
    strbuf_addf(&t, "%s.tmp-%ld", path, (long)getpid());
    int fd = open(t.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
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
    if (ok && rename(t.data, path) != 0)
        ok = false;
    if (!ok) {
        snprintf(why, whylen, "cannot write %s: %s", path, strerror(errno));
        unlink(t.data);
    }
    strbuf_release(&t);
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
    bool ok = state_write(path, sb.data, sb.len, why, whylen);
    strbuf_release(&sb);
    free(path);
    cJSON_free(text);
    return ok;
}

fix_journal *journal_open(const char *state_dir, const char *run_id, char *why, size_t whylen)
{
    char *rootdir = fix_backup_root(state_dir);
    char *dir = path_join(rootdir, run_id);
    free(rootdir);
    if (!mkdir_p(dir, 0700, why, whylen)) {
        free(dir);
        return NULL;
    }
    char *files = path_join(dir, "files");
    if (mkdir(files, 0700) != 0 && errno != EEXIST) {
        snprintf(why, whylen, "cannot create %s: %s", files, strerror(errno));
        free(files);
        free(dir);
        return NULL;
    }
    free(files);
    fix_journal *j = xcalloc(1, sizeof(*j));
    j->dir = dir;
    snprintf(j->run_id, sizeof(j->run_id), "%s", run_id);
    j->doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(j->doc, "version", 1);
    cJSON_AddStringToObject(j->doc, "run", run_id);
    char now[32];
    time_now(now, sizeof(now));
    cJSON_AddStringToObject(j->doc, "time", now);
    char cwd[4096];
    cJSON_AddStringToObject(j->doc, "cwd", getcwd(cwd, sizeof(cwd)) ? cwd : "");
    cJSON_AddArrayToObject(j->doc, "files");
    if (!journal_save(j, why, whylen)) {
        journal_close(j);
        return NULL;
    }
    return j;
}

const char *journal_dir(const fix_journal *j)
{
    return j->dir;
}

static bool backup_write(const char *path, const char *data, size_t len, char *why, size_t whylen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        snprintf(why, whylen, "cannot create backup %s: %s", path, strerror(errno));
        return false;
    }
    size_t off = 0;
    bool ok = true;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            ok = false;
            break;
        }
        off += (size_t)w;
    }
    if (ok && fsync(fd) != 0)
        ok = false;
    if (!ok) {
        snprintf(why, whylen, "cannot write backup %s: %s", path, strerror(errno));
        unlink(path);
    }
    close(fd);
    root_cache_forget();
    return ok;
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

bool journal_record(fix_journal *j, const char *display, const char *target,
                    const char *before, size_t before_len, bool created,
                    const char *after, size_t after_len,
                    const char *const *rules, size_t nrules,
                    const char **backup_out, char *why, size_t whylen)
{
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
            bool ok = backup_write(bpath, before, before_len, why, whylen);
            free(bpath);
            if (!ok) {
                cJSON_Delete(e);
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
        return false;
    }
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(e, "backup");
    free(j->last_backup);
    j->last_backup = cJSON_IsString(b) ? path_join(j->dir, b->valuestring) : NULL;
    if (backup_out)
        *backup_out = j->last_backup;
    return true;
}

void journal_revert_last(fix_journal *j)
{
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
    cJSON_Delete(j->doc);
    cJSON_Delete(j->prev);
    free(j->last_backup);
    free(j->dir);
    free(j);
}

/* ---- runs and undo ------------------------------------------------------- */

static int run_cmp_desc(const void *a, const void *b)
{
    return strcmp(*(char *const *)b, *(char *const *)a);
}

char **fix_backup_runs(const char *state_dir, size_t *n)
{
    *n = 0;
    char *rootdir = fix_backup_root(state_dir);
    DIR *d = opendir(rootdir);
    char **runs = NULL;
    size_t cap = 0;
    if (d) {
        struct dirent *de;
        while ((de = readdir(d))) {
            if (de->d_name[0] == '.')
                continue;
            strbuf p = STRBUF_INIT;
            strbuf_addf(&p, "%s/%s/%s", rootdir, de->d_name, JOURNAL_NAME);
            bool has = access(p.data, R_OK) == 0;
            strbuf_release(&p);
            if (!has)
                continue;
            if (*n == cap) {
                cap = cap ? cap * 2 : 16;
                runs = xrealloc(runs, cap * sizeof(char *));
            }
            runs[(*n)++] = xstrdup(de->d_name);
        }
        closedir(d);
    }
    free(rootdir);
    if (*n > 1)
        qsort(runs, *n, sizeof(char *), run_cmp_desc);
    return runs;
}

void fix_backup_runs_free(char **runs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(runs[i]);
    free(runs);
}

static cJSON *journal_read(const char *dir, char *why, size_t whylen)
{
    char *path = path_join(dir, JOURNAL_NAME);
    source_error err;
    source_file *src = source_load(path, path, &err, why, whylen);
    cJSON *doc = NULL;
    if (src) {
        doc = cJSON_ParseWithLength(src->data, src->len);
        if (!doc || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "files"))) {
            snprintf(why, whylen, "%s: not a golint-env journal", path);
            cJSON_Delete(doc);
            doc = NULL;
        }
        source_free(src);
    } else {
        char reason[256];
        snprintf(reason, sizeof(reason), "%s", why);
        snprintf(why, whylen, "%s: %s", path, reason);
    }
    free(path);
    return doc;
}

static bool valid_run_id(const char *id)
{
    if (!*id || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
        return false;
    for (const char *p = id; *p; p++)
        if (*p == '/')
            return false;
    return true;
}

static void undo_add(fix_undo_report *r, const char *path, bool restored, const char *why)
{
    r->items = xrealloc(r->items, (r->n + 1) * sizeof(*r->items));
    fix_undo_result *u = &r->items[r->n++];
    u->path = xstrdup(path);
    u->restored = restored;
    u->why = why ? xstrdup(why) : NULL;
}

/* Hash the current bytes of target; false if absent (*absent set) or unreadable. */
static bool current_sha(const char *target, char hex[65], bool *absent, char *why, size_t whylen)
{
    *absent = false;
    source_error err;
    source_file *src = source_load(target, target, &err, why, whylen);
    if (!src) {
        *absent = err == SOURCE_ENOENT;
        return false;
    }
    sha256_hex(source_sha256(src), hex);
    source_free(src);
    return true;
}

int fix_undo(const char *state_dir, const char *run_id, fix_undo_report *out,
             char *why, size_t whylen)
{
    memset(out, 0, sizeof(*out));
    char *rootdir = fix_backup_root(state_dir);
    char *chosen = NULL;
    cJSON *doc = NULL;
    char *dir = NULL;
    if (run_id) {
        if (!valid_run_id(run_id)) {
            snprintf(why, whylen, "fix --undo: '%s' is not a run id", run_id);
            free(rootdir);
            return -1;
        }
        dir = path_join(rootdir, run_id);
        doc = journal_read(dir, why, whylen);
        if (!doc) {
            free(dir);
            free(rootdir);
            return -1;
        }
        chosen = xstrdup(run_id);
    } else {
        size_t n;
        char **runs = fix_backup_runs(state_dir, &n);
        for (size_t i = 0; i < n && !chosen; i++) {
            char *d = path_join(rootdir, runs[i]);
            cJSON *jd = journal_read(d, why, whylen);
            if (jd && !cJSON_GetObjectItemCaseSensitive(jd, "undone") &&
                cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(jd, "files")) > 0) {
                chosen = xstrdup(runs[i]);
                doc = jd;
                dir = d;
            } else {
                cJSON_Delete(jd);
                free(d);
            }
        }
        fix_backup_runs_free(runs, n);
        if (!chosen) {
            snprintf(why, whylen, "fix --undo: no fix run to undo under %s", rootdir);
            free(rootdir);
            return -1;
        }
    }
    free(rootdir);
    snprintf(out->run_id, sizeof(out->run_id), "%s", chosen);
    free(chosen);

    cJSON *files = cJSON_GetObjectItemCaseSensitive(doc, "files");
    cJSON *e;
    cJSON_ArrayForEach(e, files) {
        const char *target = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "target"));
        const char *after = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "sha256_after"));
        const char *before = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "sha256_before"));
        const char *backup = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "backup"));
        bool created = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "created"));
        if (!target || !after || (!created && (!before || !backup))) {
            undo_add(out, target ? target : "?", false, "incomplete journal entry");
            out->refused++;
            continue;
        }
        char cur[65], reason[512];
        bool absent;
        bool have = current_sha(target, cur, &absent, reason, sizeof(reason));
        if (!have && !(absent && created)) {
            undo_add(out, target, false, absent ? "file no longer exists" : reason);
            out->refused++;
            continue;
        }
        if ((created && absent) || (!created && strcmp(cur, before) == 0)) {
            undo_add(out, target, false, "already as before the fix");
            out->skipped++;
            continue;
        }
        if (strcmp(cur, after) != 0) {
            undo_add(out, target, false, "changed after the fix; not restored");
            out->refused++;
            continue;
        }
        unsigned char expect[32];
        for (int i = 0; i < 32; i++) {
            unsigned v;
            sscanf(after + 2 * i, "%2x", &v);
            expect[i] = (unsigned char)v;
        }
        if (created) {
            /* the fix created it: undo removes it, if still what we wrote */
            int err = unlink(target) == 0 ? 0 : errno;
            root_cache_forget();
            if (err) {
                undo_add(out, target, false, strerror(err));
                out->refused++;
            } else {
                undo_add(out, target, true, NULL);
                out->restored++;
            }
            continue;
        }
        char *bpath = path_join(dir, backup);
        source_error err;
        source_file *b = source_load(bpath, bpath, &err, reason, sizeof(reason));
        free(bpath);
        char bhex[65];
        if (b)
            sha256_hex(source_sha256(b), bhex);
        if (!b || strcmp(bhex, before) != 0) {
            undo_add(out, target, false, b ? "backup copy is damaged (hash mismatch)" : reason);
            out->refused++;
            source_free(b);
            continue;
        }
        if (fix_write_file(target, b->data, b->len, expect, false, NULL, reason, sizeof(reason))) {
            undo_add(out, target, true, NULL);
            out->restored++;
        } else {
            undo_add(out, target, false, reason);
            out->refused++;
        }
        source_free(b);
    }
    if (out->refused == 0) {
        char now[32];
        time_now(now, sizeof(now));
        cJSON_AddStringToObject(doc, "undone", now);
        fix_journal j = {.dir = dir, .doc = doc};
        (void)journal_save(&j, why, whylen);
    }
    cJSON_Delete(doc);
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

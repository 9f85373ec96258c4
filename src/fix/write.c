/* write.c - replacing a file without ever leaving half of it: temp file in
 * the target's directory, fsync, mode and owner kept, rename, fsync of the
 * directory. Symlinks are written through to their target (stow, rcm).
 * The read-check-write-rename sequence holds an exclusive flock(2) on the
 * target, and size, mtime, inode and sha256 are checked again just before
 * the rename (docs/fixing.md says what a writer that takes no lock can
 * still do). */
#include "fix/fix.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *fault_point(void)
{
    const char *f = getenv(FIX_FAULT_ENV);
    return f && *f ? f : NULL;
}

static bool write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t w = write(fd, data, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += w;
        len -= (size_t)w;
    }
    return true;
}

/* Hash the bytes behind an open descriptor from the start. */
static bool fd_sha256(int fd, unsigned char out[32], size_t *len_out)
{
    if (lseek(fd, 0, SEEK_SET) < 0)
        return false;
    strbuf sb = STRBUF_INIT;
    char buf[65536];
    for (;;) {
        ssize_t r = read(fd, buf, sizeof(buf));
        if (r < 0) {
            if (errno == EINTR)
                continue;
            strbuf_release(&sb);
            return false;
        }
        if (r == 0)
            break;
        strbuf_add(&sb, buf, (size_t)r);
        if (sb.len > SOURCE_MAX_BYTES) {
            strbuf_release(&sb);
            return false;
        }
    }
    sha256_bytes(sb.data ? sb.data : "", sb.len, out);
    if (len_out)
        *len_out = sb.len;
    strbuf_release(&sb);
    return true;
}

static void fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

bool fix_write_file(const char *host_path, const char *data, size_t len,
                    const unsigned char *expect_sha, bool create,
                    char **target_out, char *why, size_t whylen)
{
    if (target_out)
        *target_out = NULL;
    struct stat lst;
    bool exists = lstat(host_path, &lst) == 0;
    if (!exists && errno != ENOENT) {
        snprintf(why, whylen, "%s", strerror(errno));
        return false;
    }
    if (!exists && !create) {
        snprintf(why, whylen, "file disappeared since it was read");
        return false;
    }
    char *target = NULL;
    if (exists) {
        target = realpath(host_path, NULL);
        if (!target) {
            snprintf(why, whylen, "%s", errno == ENOENT ? "dangling symbolic link" : strerror(errno));
            return false;
        }
    } else {
        target = xstrdup(host_path);
    }

    char *dir = dir_of(target);
    int tfd = -1, fd = -1;
    struct stat st;
    memset(&st, 0, sizeof(st));
    bool ok = false;
    char tmp[PATH_MAX];
    tmp[0] = '\0';

    if (exists) {
        fd = open(target, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
            snprintf(why, whylen, "%s", strerror(errno));
            goto out;
        }
        if (fstat(fd, &st) != 0) {
            snprintf(why, whylen, "%s", strerror(errno));
            goto out;
        }
        if (!S_ISREG(st.st_mode)) {
            snprintf(why, whylen, "not a regular file; not written");
            goto out;
        }
        if (st.st_nlink > 1) {
            snprintf(why, whylen, "has %ju hard links; replacing it would split them (not written)",
                     (uintmax_t)st.st_nlink);
            goto out;
        }
        /* another golint-env, or an editor that locks, is writing it: do not wait */
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            snprintf(why, whylen, errno == EWOULDBLOCK
                                      ? "locked by another process (flock); not written"
                                      : "cannot lock it: %s; not written", strerror(errno));
            goto out;
        }
    } else if (expect_sha) {
        snprintf(why, whylen, "file disappeared since it was read");
        goto out;
    }

    int n = snprintf(tmp, sizeof(tmp), "%s/.%s.golint-env-XXXXXX", strcmp(dir, "/") ? dir : "",
                     base_of(target));
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        snprintf(why, whylen, "path too long");
        tmp[0] = '\0';
        goto out;
    }
    tfd = mkostemp(tmp, O_CLOEXEC);
    if (tfd < 0) {
        snprintf(why, whylen, "cannot create a temporary file in %s: %s", dir, strerror(errno));
        tmp[0] = '\0';
        goto out;
    }
    if (!write_all(tfd, data, len) || fsync(tfd) != 0) {
        snprintf(why, whylen, "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    if (exists) {
        /* owner first: chown clears set-id bits that chmod then restores */
        if ((st.st_uid != geteuid() || st.st_gid != getegid()) &&
            fchown(tfd, st.st_uid, st.st_gid) != 0) {
            snprintf(why, whylen, "cannot keep owner %ju:%ju (%s); not written",
                     (uintmax_t)st.st_uid, (uintmax_t)st.st_gid, strerror(errno));
            goto out;
        }
        if (fchmod(tfd, st.st_mode & 07777) != 0) {
            snprintf(why, whylen, "cannot keep mode %04o: %s", (unsigned)(st.st_mode & 07777),
                     strerror(errno));
            goto out;
        }
    } else {
        mode_t mask = umask(022);
        umask(mask);
        (void)fchmod(tfd, 0666 & ~mask);
    }
    if (fsync(tfd) != 0) {
        snprintf(why, whylen, "cannot sync %s: %s", tmp, strerror(errno));
        goto out;
    }

    const char *fault = fault_point();
    if (fault && strcmp(fault, "before-rename") == 0) {
        snprintf(why, whylen, "injected fault before rename (%s)", FIX_FAULT_ENV);
        goto out;
    }
    if (fault && strcmp(fault, "kill-before-rename") == 0)
        raise(SIGKILL);

    /* last look just before the rename: refuse a file edited meanwhile */
    if (exists && expect_sha) {
        unsigned char now[32];
        if (!fd_sha256(fd, now, NULL)) {
            snprintf(why, whylen, "cannot read it again: %s", strerror(errno));
            goto out;
        }
        struct stat st2, st3;
        if (memcmp(now, expect_sha, 32) != 0 || lstat(target, &st2) != 0 ||
            st2.st_ino != st.st_ino || st2.st_dev != st.st_dev || fstat(fd, &st3) != 0 ||
            st3.st_size != st.st_size || st3.st_mtim.tv_sec != st.st_mtim.tv_sec ||
            st3.st_mtim.tv_nsec != st.st_mtim.tv_nsec) {
            snprintf(why, whylen, "file changed since it was read; not written");
            goto out;
        }
    }
    if (!exists) {
        /* never replace a file that appeared meanwhile */
        if (link(tmp, target) != 0) {
            snprintf(why, whylen, "cannot create it: %s", strerror(errno));
            goto out;
        }
        unlink(tmp);
    } else if (rename(tmp, target) != 0) {
        snprintf(why, whylen, "cannot rename into place: %s", strerror(errno));
        goto out;
    }
    tmp[0] = '\0';
    fsync_dir(dir);
    if (fault && strcmp(fault, "kill-after-rename") == 0)
        raise(SIGKILL);
    ok = true;

out:
    if (tfd >= 0)
        close(tfd);
    if (fd >= 0)
        close(fd);
    if (tmp[0])
        unlink(tmp);
    root_cache_forget(); /* the next analysis reads the files as they are now */
    free(dir);
    if (ok && target_out)
        *target_out = target;
    else
        free(target);
    return ok;
}

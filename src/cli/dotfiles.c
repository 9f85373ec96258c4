/*
 * dotfiles.c - `golint-env check --dotfiles DIR`: a dotfiles repository
 * simulated as a home. The repository's naming convention (stow, rcm,
 * chezmoi, or plain `.bashrc` files) gives a map from home paths to repo
 * files; a temporary machine is built with those files linked under
 * /home/USER, the startup chain is simulated there, every shell, chain and
 * Go rule runs over it, and the findings (and fix edits) are mapped back to
 * the repository's own paths. Findings in files the repository does not
 * hold (/etc/profile ...) are left out: the repository cannot fix them.
 *
 * The machine around the home: without --root, a minimal Debian 12 (passwd,
 * /etc/profile, /etc/bash.bashrc, login.defs, empty zsh system files), so
 * the result is the same on every machine that commits; with --root DIR
 * (--root / for this machine), DIR's system directories. Go is installed
 * where the repository's files say (a GOROOT, or a go*\/bin on PATH).
 */
#include "cli/cli.h"
#include "rules/go.h"
#include "sim/sim.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DOT_MAX_FILES 20000u
#define DOT_MAX_DEPTH 16
#define DOT_PATH_MAX 4096

typedef enum dot_layout { LAYOUT_PLAIN = 0, LAYOUT_STOW, LAYOUT_RCM, LAYOUT_CHEZMOI } dot_layout;

static const char *const layout_names[] = {"plain", "stow", "rcm", "chezmoi"};

/* One repo file and the home path it stands for. */
typedef struct dot_map {
    char *home_rel;  /* ".bashrc", ".config/go/env" */
    char *display;   /* as reported: DIR/repo path, relative as DIR was given */
    char *abs;       /* absolute host path of the repo file */
    char *machine;   /* "/home/u/.bashrc" in the simulated machine */
    char *tilde;     /* "~/.bashrc", as rules name home files */
} dot_map;

typedef struct dot_repo {
    const char *given;   /* DIR as given */
    char *prefix;        /* display prefix: "" for ".", else DIR + "/" */
    char *abs;           /* realpath of DIR (or of its .chezmoiroot subdir) */
    dot_layout layout;
    dot_map *maps;
    size_t n, cap;
    size_t templates;    /* chezmoi templates skipped */
    size_t conflicts;
    bool truncated;
    bool quiet;          /* -q: no notes */
} dot_repo;

/* ---- names ------------------------------------------------------------------ */

/* Startup files by their home name: per-file rules run on these even when the
 * simulated shell does not read them (a .zshrc in a bash user's repo). */
static const char *const startup_names[] = {
    ".profile", ".bash_profile", ".bash_login", ".bashrc", ".bash_logout", ".bash_aliases",
    ".zshenv", ".zprofile", ".zshrc", ".zlogin", ".zlogout", ".kshrc", ".mkshrc",
};

static bool is_startup_name(const char *home_rel)
{
    const char *base = strrchr(home_rel, '/');
    base = base ? base + 1 : home_rel;
    for (size_t i = 0; i < GE_ARRAY_LEN(startup_names); i++)
        if (strcmp(base, startup_names[i]) == 0)
            return true;
    return str_starts_with(home_rel, ".profile.d/") || str_starts_with(home_rel, ".bashrc.d/") ||
           str_starts_with(home_rel, ".zshrc.d/");
}

/* Repository plumbing that is never part of a home. */
static bool is_repo_plumbing(const char *name)
{
    static const char *const names[] = {
        ".git", ".hg", ".svn", ".github", ".gitignore", ".gitmodules", ".gitattributes",
        ".pre-commit-config.yaml", ".golint-env.json", ".stow-local-ignore", ".DS_Store",
    };
    for (size_t i = 0; i < GE_ARRAY_LEN(names); i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

/* rcm: top-level names that are startup files without their dot. */
static bool is_bare_startup_name(const char *name)
{
    for (size_t i = 0; i < GE_ARRAY_LEN(startup_names); i++)
        if (strcmp(name, startup_names[i] + 1) == 0)
            return true;
    return false;
}

/* chezmoi source-state attributes, in the order chezmoi reads them. */
static const char *const chezmoi_file_prefixes[] = {
    "create_", "private_", "readonly_", "empty_", "executable_",
};
static const char *const chezmoi_dir_prefixes[] = {
    "remove_", "external_", "exact_", "private_", "readonly_",
};
/* Entries that are not files of the home: scripts, encrypted files, symlink
 * targets, modify scripts. */
static const char *const chezmoi_not_files[] = {
    "run_", "modify_", "encrypted_", "symlink_", "remove_",
};

typedef enum name_result { NAME_OK = 0, NAME_SKIP, NAME_TEMPLATE } name_result;

/* A chezmoi source name to its target name (one path component). */
static name_result chezmoi_name(const char *name, bool is_dir, char *out, size_t outlen)
{
    const char *s = name;
    if (s[0] == '.') /* .chezmoiignore, .chezmoidata, .keep ...: not targets */
        return NAME_SKIP;
    if (!is_dir) {
        for (size_t i = 0; i < GE_ARRAY_LEN(chezmoi_not_files); i++)
            if (str_starts_with(s, chezmoi_not_files[i]))
                return NAME_SKIP;
        if (str_ends_with(s, ".tmpl"))
            return NAME_TEMPLATE;
    }
    const char *const *pre = is_dir ? chezmoi_dir_prefixes : chezmoi_file_prefixes;
    size_t npre = is_dir ? GE_ARRAY_LEN(chezmoi_dir_prefixes) : GE_ARRAY_LEN(chezmoi_file_prefixes);
    bool literal = false, again = true;
    while (again && !literal) {
        again = false;
        if (str_starts_with(s, "literal_")) { /* the rest is taken as is */
            s += strlen("literal_");
            literal = true;
        }
        for (size_t i = 0; i < npre && !literal; i++)
            if (str_starts_with(s, pre[i])) {
                s += strlen(pre[i]);
                again = true;
            }
    }
    size_t len = strlen(s);
    if (!is_dir && str_ends_with(s, ".literal"))
        len -= strlen(".literal");
    bool dot = !literal && str_starts_with(s, "dot_");
    if (dot)
        s += 4, len -= 4;
    if (len == 0 || len + 2 > outlen)
        return NAME_SKIP;
    snprintf(out, outlen, "%s%.*s", dot ? "." : "", (int)len, s);
    return NAME_OK;
}

/* ---- the map ------------------------------------------------------------------- */

static void map_add(dot_repo *r, const char *home_rel, const char *repo_rel)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->maps[i].home_rel, home_rel) == 0) {
            r->conflicts++; /* the first one wins (host- over tag- over plain in rcm) */
            return;
        }
    if (r->n >= DOT_MAX_FILES) {
        r->truncated = true;
        return;
    }
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 32;
        r->maps = xrealloc(r->maps, r->cap * sizeof(*r->maps));
    }
    dot_map *m = &r->maps[r->n++];
    memset(m, 0, sizeof(*m));
    m->home_rel = xstrdup(home_rel);
    size_t lp = strlen(r->prefix), lr = strlen(repo_rel), la = strlen(r->abs);
    m->display = xmalloc(lp + lr + 1);
    memcpy(m->display, r->prefix, lp);
    memcpy(m->display + lp, repo_rel, lr + 1);
    m->abs = xmalloc(la + lr + 2);
    snprintf(m->abs, la + lr + 2, "%s/%s", r->abs, repo_rel);
}

static bool join(char *out, size_t outlen, const char *a, const char *b)
{
    int n = snprintf(out, outlen, "%s%s%s", a, *a ? "/" : "", b);
    return n > 0 && (size_t)n < outlen;
}

/* Entries of a directory, sorted (deterministic maps whatever readdir says). */
static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **dir_list(const char *host_dir, size_t *n)
{
    *n = 0;
    DIR *d = opendir(host_dir);
    if (!d)
        return NULL;
    size_t cap = 16;
    char **names = xmalloc(cap * sizeof(char *));
    struct dirent *de;
    while ((de = readdir(d)) && *n < DOT_MAX_FILES) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (*n == cap)
            names = xrealloc(names, (cap *= 2) * sizeof(char *));
        names[(*n)++] = xstrdup(de->d_name);
    }
    closedir(d);
    qsort(names, *n, sizeof(char *), name_cmp);
    return names;
}

static void names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* lstat of a repo path: 1 directory (not followed through links), 0 other, -1 absent. */
static int repo_kind(const dot_repo *r, const char *repo_rel)
{
    char p[DOT_PATH_MAX];
    struct stat st;
    if (!join(p, sizeof(p), r->abs, repo_rel) || lstat(p, &st) != 0)
        return -1;
    return S_ISDIR(st.st_mode) ? 1 : 0;
}

/* Map repo_dir (relative to the repo) onto home_dir (relative to the home).
 * top: the entries are at the top of a stow package, an rcm tree or the repo. */
static void walk(dot_repo *r, const char *repo_dir, const char *home_dir, bool top, int depth)
{
    if (depth > DOT_MAX_DEPTH || r->truncated)
        return;
    char host[DOT_PATH_MAX];
    if (!join(host, sizeof(host), r->abs, repo_dir))
        return;
    size_t n;
    char **names = dir_list(host, &n);
    for (size_t i = 0; i < n; i++) {
        const char *name = names[i];
        char repo_rel[DOT_PATH_MAX], target[NAME_MAX + 2], home_rel[DOT_PATH_MAX];
        if (is_repo_plumbing(name) || !join(repo_rel, sizeof(repo_rel), repo_dir, name))
            continue;
        int kind = repo_kind(r, repo_rel);
        if (kind < 0)
            continue;
        bool is_dir = kind == 1;
        switch (r->layout) {
        case LAYOUT_CHEZMOI: {
            name_result nr = chezmoi_name(name, is_dir, target, sizeof(target));
            if (nr == NAME_TEMPLATE) {
                r->templates++;
                if (!r->quiet)
                    fprintf(stderr, "golint-env: note: %s%s: chezmoi template, not simulated\n",
                            r->prefix, repo_rel);
            }
            if (nr != NAME_OK)
                continue;
            break;
        }
        case LAYOUT_RCM:
            /* rcm adds the dot to the top-level names only */
            snprintf(target, sizeof(target), "%s%s", top && name[0] != '.' ? "." : "", name);
            break;
        case LAYOUT_STOW:
            /* stow --dotfiles: dot-bashrc is .bashrc */
            if (str_starts_with(name, "dot-") && name[4])
                snprintf(target, sizeof(target), ".%s", name + 4);
            else
                snprintf(target, sizeof(target), "%s", name);
            break;
        case LAYOUT_PLAIN:
        default:
            snprintf(target, sizeof(target), "%s", name);
            break;
        }
        if (!join(home_rel, sizeof(home_rel), home_dir, target))
            continue;
        if (is_dir)
            walk(r, repo_rel, home_rel, false, depth + 1);
        else
            map_add(r, home_rel, repo_rel);
    }
    names_free(names, n);
}

static bool is_chezmoi_name(const char *name)
{
    static const char *const pre[] = {"dot_", "private_", "executable_", "readonly_", "exact_",
                                      "encrypted_", "symlink_", "run_", "create_", "empty_",
                                      "modify_", ".chezmoi"};
    for (size_t i = 0; i < GE_ARRAY_LEN(pre); i++)
        if (str_starts_with(name, pre[i]))
            return true;
    return false;
}

/* A stow package: a top-level directory holding a dotfile (or stow's dot-NAME). */
static bool is_stow_package(const dot_repo *r, const char *name)
{
    if (name[0] == '.' || repo_kind(r, name) != 1)
        return false;
    char host[DOT_PATH_MAX];
    if (!join(host, sizeof(host), r->abs, name))
        return false;
    size_t n;
    char **names = dir_list(host, &n);
    bool yes = false;
    for (size_t i = 0; i < n && !yes; i++)
        yes = (names[i][0] == '.' && !is_repo_plumbing(names[i])) ||
              (str_starts_with(names[i], "dot-") && names[i][4]);
    names_free(names, n);
    return yes;
}

static dot_layout layout_detect(const dot_repo *r, char **top, size_t ntop)
{
    bool rcm = false, stow = false;
    for (size_t i = 0; i < ntop; i++) {
        const char *name = top[i];
        if (is_chezmoi_name(name))
            return LAYOUT_CHEZMOI;
        int kind = repo_kind(r, name);
        if (strcmp(name, "rcrc") == 0 ||
            (kind == 1 && (str_starts_with(name, "tag-") || str_starts_with(name, "host-"))) ||
            (kind == 0 && is_bare_startup_name(name)))
            rcm = true;
        else if (kind == 1 && is_stow_package(r, name))
            stow = true;
    }
    return rcm ? LAYOUT_RCM : stow ? LAYOUT_STOW : LAYOUT_PLAIN;
}

static void repo_map(dot_repo *r)
{
    size_t ntop;
    char **top = dir_list(r->abs, &ntop);
    r->layout = layout_detect(r, top, ntop);
    switch (r->layout) {
    case LAYOUT_STOW:
        /* every package is stowed into the home; the first one (sorted) wins */
        for (size_t i = 0; i < ntop; i++)
            if (is_stow_package(r, top[i]))
                walk(r, top[i], "", true, 1);
        break;
    case LAYOUT_RCM: {
        /* host-HOSTNAME, then tag-* (all tags: the hook cannot know the committer's),
         * then the plain files: rcm gives host files precedence over tags over the rest */
        char host[256] = "";
        if (gethostname(host, sizeof(host) - 1) != 0)
            host[0] = '\0';
        host[sizeof(host) - 1] = '\0';
        char hdir[300];
        snprintf(hdir, sizeof(hdir), "host-%s", host);
        if (host[0] && repo_kind(r, hdir) == 1)
            walk(r, hdir, "", true, 1);
        for (size_t i = 0; i < ntop; i++)
            if (str_starts_with(top[i], "tag-") && repo_kind(r, top[i]) == 1)
                walk(r, top[i], "", true, 1);
        /* the untagged files: every top-level entry but tag-, host- and rcrc itself */
        for (size_t i = 0; i < ntop; i++) {
            const char *name = top[i];
            if (str_starts_with(name, "tag-") || str_starts_with(name, "host-") ||
                is_repo_plumbing(name) || name[0] == '.')
                continue;
            int kind = repo_kind(r, name);
            char target[NAME_MAX + 2];
            snprintf(target, sizeof(target), ".%s", name);
            if (kind == 1)
                walk(r, name, target, false, 1);
            else if (kind == 0)
                map_add(r, target, name);
        }
        break;
    }
    case LAYOUT_CHEZMOI:
    case LAYOUT_PLAIN:
    default:
        walk(r, "", "", true, 0);
        break;
    }
    names_free(top, ntop);
}

static void repo_release(dot_repo *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->maps[i].home_rel);
        free(r->maps[i].display);
        free(r->maps[i].abs);
        free(r->maps[i].machine);
        free(r->maps[i].tilde);
    }
    free(r->maps);
    free(r->prefix);
    free(r->abs);
}

/* DIR as given, made the repo: prefix for display, realpath, .chezmoiroot. */
static bool repo_open(dot_repo *r, const char *dir, char *why, size_t whylen)
{
    memset(r, 0, sizeof(*r));
    r->given = dir;
    r->abs = realpath(dir, NULL);
    struct stat st;
    if (!r->abs || stat(r->abs, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(why, whylen, "--dotfiles %s: %s", dir, r->abs ? "not a directory" : strerror(errno));
        return false;
    }
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    if ((len == 1 && dir[0] == '.') || (len == 2 && dir[0] == '.' && dir[1] == '/'))
        r->prefix = xstrdup("");
    else {
        r->prefix = xmalloc(len + 2);
        snprintf(r->prefix, len + 2, "%.*s%s", (int)len, dir, dir[len - 1] == '/' ? "" : "/");
    }
    /* chezmoi: .chezmoiroot names the subdirectory holding the source state */
    char p[DOT_PATH_MAX];
    snprintf(p, sizeof(p), "%s/.chezmoiroot", r->abs);
    FILE *f = fopen_regular(p, NULL);
    if (f) {
        char sub[256] = "";
        if (fgets(sub, sizeof(sub), f)) {
            sub[strcspn(sub, "\r\n")] = '\0';
            if (sub[0] && sub[0] != '/' && !strstr(sub, "..")) {
                char *nabs = xmalloc(strlen(r->abs) + strlen(sub) + 2);
                sprintf(nabs, "%s/%s", r->abs, sub); /* sized above */
                char *np = xmalloc(strlen(r->prefix) + strlen(sub) + 2);
                sprintf(np, "%s%s/", r->prefix, sub);
                free(r->abs);
                free(r->prefix);
                r->abs = nabs;
                r->prefix = np;
            }
        }
        fclose(f);
    }
    return true;
}

/* ---- the temporary machine ----------------------------------------------------- */

#define DOT_MAX_MOUNTS 128

/* The temporary machine: its own directory as "/", with the repository and
 * (--root) the system directories mounted in it. They are mounts, not links
 * out of it, so that every path is still resolved inside the machine: a link
 * in the repository to /etc/shadow reads the simulated /etc, never the host's. */
typedef struct dot_machine {
    char *dir;          /* the temporary root */
    char *home;         /* machine path: /home/USER */
    char *user;
    shell_dialect shell;
    root_mount mounts[DOT_MAX_MOUNTS];
    size_t nmounts;
    root r;             /* dir and mounts */
} dot_machine;

static bool make_dirs(const char *dir, const char *rel);

/* Show host path `host` at machine path `at` (both copied); the directories
 * above `at` are made in the machine, as a mount point needs them. */
static bool machine_mount(dot_machine *m, const char *at, const char *host)
{
    if (m->nmounts == DOT_MAX_MOUNTS || at[0] != '/' || !at[1]) {
        errno = ENOSPC;
        return false;
    }
    const char *slash = strrchr(at, '/');
    if (slash > at) {
        char parent[DOT_PATH_MAX];
        snprintf(parent, sizeof(parent), "%.*s", (int)(slash - at - 1), at + 1);
        if (!make_dirs(m->dir, parent))
            return false;
    }
    m->mounts[m->nmounts].at = xstrdup(at);
    m->mounts[m->nmounts].host = xstrdup(host);
    m->nmounts++;
    m->r = (root){.dir = m->dir, .mounts = m->mounts, .nmounts = m->nmounts};
    return true;
}

/* Debian 12's /etc/profile and the part of /etc/bash.bashrc that matters. */
static const char debian_profile[] =
    "# /etc/profile: system-wide .profile file for the Bourne shell (sh(1))\n"
    "# and Bourne compatible shells (bash(1), ksh(1), ash(1), ...).\n"
    "# (golint-env --dotfiles: Debian 12's default)\n\n"
    "if [ \"$(id -u)\" -eq 0 ]; then\n"
    "  PATH=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\n"
    "else\n"
    "  PATH=\"/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games\"\n"
    "fi\n"
    "export PATH\n\n"
    "if [ \"${PS1-}\" ]; then\n"
    "  if [ \"${BASH-}\" ] && [ \"$BASH\" != \"/bin/sh\" ]; then\n"
    "    if [ -f /etc/bash.bashrc ]; then\n"
    "      . /etc/bash.bashrc\n"
    "    fi\n"
    "  else\n"
    "    if [ \"$(id -u)\" -eq 0 ]; then\n"
    "      PS1='# '\n"
    "    else\n"
    "      PS1='$ '\n"
    "    fi\n"
    "  fi\n"
    "fi\n\n"
    "if [ -d /etc/profile.d ]; then\n"
    "  for i in /etc/profile.d/*.sh; do\n"
    "    if [ -r $i ]; then\n"
    "      . $i\n"
    "    fi\n"
    "  done\n"
    "  unset i\n"
    "fi\n";

static const char debian_bash_bashrc[] =
    "# System-wide .bashrc file for interactive bash(1) shells.\n"
    "# (golint-env --dotfiles: Debian 12's default, abridged)\n\n"
    "# If not running interactively, don't do anything\n"
    "[ -z \"$PS1\" ] && return\n\n"
    "shopt -s checkwinsize\n\n"
    "if ! [ -n \"${SUDO_USER}\" -a -n \"${SUDO_PS1}\" ]; then\n"
    "  PS1='${debian_chroot:+($debian_chroot)}\\u@\\h:\\w\\$ '\n"
    "fi\n";

static const char debian_login_defs[] =
    "# /etc/login.defs (excerpt; golint-env --dotfiles: Debian 12's default)\n"
    "ENV_SUPATH\tPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
    "ENV_PATH\tPATH=/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games\n";

static const char zsh_comment[] = "# (golint-env --dotfiles: Debian's zsh default, comments only)\n";

static bool write_bytes(const char *dir, const char *rel, const char *data, size_t len,
                        mode_t mode)
{
    char p[DOT_PATH_MAX];
    if (!join(p, sizeof(p), dir, rel))
        return false;
    int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0)
        return false;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w <= 0) {
            close(fd);
            return false;
        }
        off += (size_t)w;
    }
    return close(fd) == 0;
}

static bool write_file(const char *dir, const char *rel, const char *data, mode_t mode)
{
    return write_bytes(dir, rel, data, strlen(data), mode);
}

/* mkdir -p of rel under dir (each component created if absent). */
static bool make_dirs(const char *dir, const char *rel)
{
    char p[DOT_PATH_MAX];
    if (!join(p, sizeof(p), dir, rel))
        return false;
    for (char *s = p + strlen(dir) + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST)
            return false;
        *s = '/';
    }
    return mkdir(p, 0755) == 0 || errno == EEXIST;
}

static bool machine_default_etc(const dot_machine *m)
{
    char passwd[1024];
    snprintf(passwd, sizeof(passwd),
             "root:x:0:0:root:/root:/bin/bash\n%s:x:1000:1000::%s:/bin/%s\n", m->user, m->home,
             m->shell == SHELL_ZSH ? "zsh" : m->shell == SHELL_SH ? "sh" : "bash");
    bool ok = make_dirs(m->dir, "etc/profile.d") && make_dirs(m->dir, "etc/zsh") &&
              make_dirs(m->dir, "usr/bin") && make_dirs(m->dir, "usr/sbin") &&
              make_dirs(m->dir, "usr/local/bin") && make_dirs(m->dir, "usr/local/sbin") &&
              make_dirs(m->dir, "root");
    ok = ok && write_file(m->dir, "etc/passwd", passwd, 0644) &&
         write_file(m->dir, "etc/profile", debian_profile, 0644) &&
         write_file(m->dir, "etc/bash.bashrc", debian_bash_bashrc, 0644) &&
         write_file(m->dir, "etc/login.defs", debian_login_defs, 0644) &&
         write_file(m->dir, "etc/environment", "", 0644) &&
         write_file(m->dir, "etc/debian_version", "12.0\n", 0644) &&
         write_file(m->dir, "etc/zsh/zshenv", zsh_comment, 0644) &&
         write_file(m->dir, "etc/zsh/zprofile", zsh_comment, 0644);
    static const char *const shells[] = {"usr/bin/bash", "usr/bin/zsh", "usr/bin/sh"};
    for (size_t i = 0; ok && i < GE_ARRAY_LEN(shells); i++)
        ok = write_file(m->dir, shells[i], "", 0755);
    /* Debian 12 is merged-/usr */
    char p[DOT_PATH_MAX];
    ok = ok && join(p, sizeof(p), m->dir, "bin") && symlink("usr/bin", p) == 0;
    ok = ok && join(p, sizeof(p), m->dir, "sbin") && symlink("usr/sbin", p) == 0;
    return ok;
}

/* --root DIR: its system directories, mounted (the home's top directory is ours). */
static bool machine_link_root(dot_machine *m, const char *root_dir)
{
    static const char *const skip[] = {"proc", "sys", "dev", "run", "tmp"};
    const char *src = *root_dir ? root_dir : "";
    char top[NAME_MAX + 1];
    const char *h = m->home + 1;
    size_t tl = strcspn(h, "/");
    snprintf(top, sizeof(top), "%.*s", (int)tl, h);
    size_t n;
    char **names = dir_list(*src ? src : "/", &n);
    if (!names)
        return false;
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        bool skipped = strcmp(names[i], top) == 0;
        for (size_t k = 0; k < GE_ARRAY_LEN(skip) && !skipped; k++)
            skipped = strcmp(names[i], skip[k]) == 0;
        if (skipped)
            continue;
        char from[DOT_PATH_MAX], at[NAME_MAX + 2];
        snprintf(at, sizeof(at), "/%s", names[i]);
        ok = snprintf(from, sizeof(from), "%s/%s", src, names[i]) < (int)sizeof(from) &&
             machine_mount(m, at, from);
    }
    names_free(names, n);
    return ok;
}

/* The home's files are links to the repository's, which is mounted where it
 * is on this host (so its own links resolve as they would there). */
static bool machine_link_home(dot_machine *m, dot_repo *r)
{
    if (!machine_mount(m, r->abs, r->abs))
        return false;
    char home_rel[DOT_PATH_MAX];
    snprintf(home_rel, sizeof(home_rel), "%s", m->home + 1);
    if (!make_dirs(m->dir, home_rel))
        return false;
    for (size_t i = 0; i < r->n; i++) {
        dot_map *mp = &r->maps[i];
        size_t ml = strlen(m->home) + strlen(mp->home_rel) + 2;
        mp->machine = xmalloc(ml);
        snprintf(mp->machine, ml, "%s/%s", m->home, mp->home_rel);
        mp->tilde = xmalloc(strlen(mp->home_rel) + 3);
        sprintf(mp->tilde, "~/%s", mp->home_rel); /* sized above */
        char rel[DOT_PATH_MAX], link[DOT_PATH_MAX];
        if (!join(rel, sizeof(rel), home_rel, mp->home_rel) || !join(link, sizeof(link), m->dir, rel))
            continue;
        char *slash = strrchr(rel, '/');
        if (slash) {
            *slash = '\0';
            if (!make_dirs(m->dir, rel))
                continue;
        }
        if (symlink(mp->abs, link) != 0 && errno != EEXIST)
            return false;
    }
    return true;
}

/* Remove the temporary machine: links and the files and directories made here
 * (links are unlinked, never followed). */
static void remove_tree(const char *path, int depth)
{
    struct stat st;
    if (depth > 64 || lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        size_t n;
        char **names = dir_list(path, &n);
        for (size_t i = 0; i < n; i++) {
            char p[DOT_PATH_MAX];
            if (join(p, sizeof(p), path, names[i]))
                remove_tree(p, depth + 1);
        }
        names_free(names, n);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* Go installations the repository's files point at: GOROOT values, and
 * go*\/bin directories on PATH that are not a GOPATH's bin. */
static void go_dirs_collect(const sim_result *sr, char ***dirs, size_t *n)
{
    for (size_t i = 0; i < sr->ncontexts; i++) {
        const sim_context *c = &sr->contexts[i];
        const env_var *gr = sim_lookup(c, "GOROOT");
        const env_var *gp = sim_lookup(c, "GOPATH");
        const env_var *pv = sim_lookup(c, "PATH");
        char cand[16][DOT_PATH_MAX / 4];
        size_t nc = 0;
        if (gr && gr->value && gr->value[0] == '/' && !gr->opaque &&
            strlen(gr->value) < sizeof(cand[0]))
            snprintf(cand[nc++], sizeof(cand[0]), "%s", gr->value);
        for (size_t k = 0; pv && k < pv->nentries && nc < GE_ARRAY_LEN(cand); k++) {
            const char *e = pv->entries[k].value;
            size_t el = e ? strlen(e) : 0;
            if (!e || e[0] != '/' || el < 8 || el >= sizeof(cand[0]) || !str_ends_with(e, "/bin"))
                continue;
            char d[DOT_PATH_MAX / 4];
            snprintf(d, sizeof(d), "%.*s", (int)(el - 4), e);
            const char *base = strrchr(d, '/');
            base = base ? base + 1 : d;
            bool gopath = gp && gp->value && strstr(gp->value, d);
            char homego[DOT_PATH_MAX / 4];
            snprintf(homego, sizeof(homego), "%s/go", sr->home ? sr->home : "");
            if (str_starts_with(base, "go") && !gopath && strcmp(d, homego) != 0)
                snprintf(cand[nc++], sizeof(cand[0]), "%s", d);
        }
        for (size_t k = 0; k < nc; k++) {
            bool seen = false;
            for (size_t j = 0; j < *n && !seen; j++)
                seen = strcmp((*dirs)[j], cand[k]) == 0;
            if (!seen && *n < 16) {
                *dirs = xrealloc(*dirs, (*n + 1) * sizeof(char *));
                (*dirs)[(*n)++] = xstrdup(cand[k]);
            }
        }
    }
}

/* No existing component of rel under dir is a symbolic link. */
static bool no_links_under(const char *dir, const char *rel)
{
    char p[DOT_PATH_MAX];
    if (!join(p, sizeof(p), dir, rel))
        return false;
    for (char *s = p + strlen(dir) + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        struct stat st;
        bool link = lstat(p, &st) == 0 && S_ISLNK(st.st_mode);
        *s = c;
        if (link)
            return false;
        if (!c)
            return true;
    }
}

/* A stand-in go command (empty, never run) in each such directory. */
static size_t go_stubs_make(const dot_machine *m, char **dirs, size_t n)
{
    size_t made = 0;
    for (size_t i = 0; i < n; i++) {
        char rel[DOT_PATH_MAX];
        if (!join(rel, sizeof(rel), dirs[i] + 1, "bin") || strstr(rel, ".."))
            continue;
        char host[DOT_PATH_MAX];
        struct stat st;
        if (!join(host, sizeof(host), m->dir, rel))
            continue;
        /* only inside the temporary machine: never through a link (to --root
         * or anywhere else) */
        if (lstat(host, &st) == 0 || !no_links_under(m->dir, rel) || !make_dirs(m->dir, rel))
            continue;
        char go[DOT_PATH_MAX];
        if (join(go, sizeof(go), rel, "go") && write_file(m->dir, go, "", 0755))
            made++;
    }
    return made;
}

/* ---- back to the repository -------------------------------------------------- */

static const dot_map *map_by_machine(const dot_repo *r, const char *machine_path)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->maps[i].machine && strcmp(r->maps[i].machine, machine_path) == 0)
            return &r->maps[i];
    return NULL;
}

static bool path_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-' || c == '/';
}

/* The message with the machine paths (and ~/ names) of repo files replaced
 * by their repo paths; NULL when nothing changes. */
static char *message_remap(const dot_repo *r, const char *msg)
{
    strbuf sb = STRBUF_INIT;
    bool changed = false;
    const char *s = msg;
    while (*s) {
        const dot_map *best = NULL;
        size_t bestlen = 0;
        bool at_start = s == msg || !path_char(s[-1]);
        for (size_t i = 0; at_start && (*s == '/' || *s == '~') && i < r->n; i++) {
            const char *cands[2] = {r->maps[i].machine, r->maps[i].tilde};
            for (int k = 0; k < 2; k++) {
                size_t len = cands[k] ? strlen(cands[k]) : 0;
                if (len > bestlen && strncmp(s, cands[k], len) == 0 &&
                    (!path_char(s[len]) || (s[len] == '.' && !path_char(s[len + 1])))) {
                    best = &r->maps[i];
                    bestlen = len;
                }
            }
        }
        if (best) {
            strbuf_adds(&sb, best->display);
            s += bestlen;
            changed = true;
        } else {
            strbuf_addc(&sb, *s++);
        }
    }
    if (!changed) {
        strbuf_release(&sb);
        return NULL;
    }
    return strbuf_detach(&sb);
}

/* Findings at repo paths; those in other files (the machine's) dropped. */
static void findings_remap(const dot_repo *r, finding_list *fl)
{
    size_t w = 0;
    for (size_t i = 0; i < fl->n; i++) {
        finding *f = fl->items[i];
        const dot_map *m = f->file ? map_by_machine(r, f->file) : NULL;
        if (!m)
            continue;
        f->file = arena_strdup(fl->a, m->display);
        char *msg = message_remap(r, f->message);
        if (msg) {
            f->message = arena_strdup(fl->a, msg);
            free(msg);
        }
        if (f->fix) {
            char *desc = f->fix->description ? message_remap(r, f->fix->description) : NULL;
            if (desc) {
                f->fix->description = arena_strdup(fl->a, desc);
                free(desc);
            }
            bool outside = false;
            for (size_t k = 0; k < f->fix->nedits; k++) {
                fix_edit *e = &f->fix->edits[k];
                const dot_map *em = e->file ? map_by_machine(r, e->file) : NULL;
                if (!em) {
                    outside = true; /* an edit of the machine's files: never applied */
                    continue;
                }
                e->file = arena_strdup(fl->a, em->display);
                e->host_path = arena_strdup(fl->a, em->display);
            }
            if (outside)
                f->fix = NULL;
        }
        fl->items[w++] = f;
    }
    fl->n = w;
    /* links to dropped findings go too */
    for (size_t i = 0; i < fl->n; i++) {
        finding *f = fl->items[i];
        if (f->caused_by && !finding_by_uid(fl, f->caused_by))
            f->caused_by = 0;
        size_t c = 0;
        for (size_t k = 0; k < f->ncauses; k++)
            if (finding_by_uid(fl, f->causes[k]))
                f->causes[c++] = f->causes[k];
        f->ncauses = c;
    }
}

/* Sources shown and fixed at their repo paths; the machine's are dropped. */
static void sources_remap(const dot_repo *r, const source_set *from, source_set *to)
{
    for (size_t i = 0; i < from->n; i++) {
        source_file *src = from->items[i];
        const dot_map *m = map_by_machine(r, src->path);
        if (!m)
            continue;
        if (source_set_find(to, m->display))
            continue;
        source_error se;
        char why[256];
        source_file *copy = source_load(m->display, m->display, &se, why, sizeof(why));
        if (copy)
            source_set_add(to, copy);
    }
}

/* ---- the analysis (as doctor's, without the system configs and live checks) -- */

static void directives_apply(const sim_result *sr, finding_list *fl, size_t from,
                             const golint_options *o)
{
    directive_set *sets = xcalloc(sr->ntrees ? sr->ntrees : 1, sizeof(*sets));
    size_t n = 0;
    finding_list scratch; /* GE1003 for unknown IDs: reported per file already */
    findings_init(&scratch);
    for (size_t t = 0; t < sr->ntrees; t++) {
        directives_collect(&sets[n], sr->trees[t], &scratch, o->reg);
        if (sets[n].file)
            n++;
        else
            directives_release(&sets[n]);
    }
    findings_filter_range(fl, from, sets, n, &o->cfg);
    for (size_t j = 0; j < n; j++)
        directives_release(&sets[j]);
    free(sets);
    findings_release(&scratch);
}

static void analyse(const golint_options *o, const dot_repo *r, const dot_machine *m,
                    sim_result *sr, finding_list *all)
{
    check_options copt = {.kind = KIND_UNKNOWN, .dialect = SHELL_UNKNOWN, .cfg = &o->cfg};
    /* per-file rules over every file the chains read ... */
    for (size_t i = 0; i < sr->sources.n; i++) {
        const source_file *src = sr->sources.items[i];
        if (!map_by_machine(r, src->path) || file_kind_detect(src->path, src) != KIND_SHELL)
            continue;
        copt.tree = NULL;
        for (size_t t = 0; t < sr->ntrees && !copt.tree; t++)
            if (sr->trees[t]->src == src)
                copt.tree = sr->trees[t];
        check_source(src, &copt, all);
    }
    /* ... and over the startup files this shell does not read (a .zshrc for bash) */
    copt.tree = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const dot_map *mp = &r->maps[i];
        if (!mp->machine || !is_startup_name(mp->home_rel) || source_set_find(&sr->sources, mp->machine))
            continue;
        char *host = root_path(&m->r, mp->machine);
        source_error se;
        char why[256];
        source_file *src = source_load(host, mp->machine, &se, why, sizeof(why));
        free(host);
        if (!src)
            continue;
        check_options one = copt;
        one.kind = KIND_SHELL;
        check_source(src, &one, all);
        source_set_add(&sr->sources, src);
    }
    chain_check(sr, &o->cfg, all);
    size_t from = all->n;
    go_rules_run(sr, &m->r, all);
    directives_apply(sr, all, from, o);
}

/* ---- the command -------------------------------------------------------------- */

static shell_dialect shell_choose(const golint_options *o, const dot_repo *r)
{
    if (o->shell != SHELL_UNKNOWN)
        return o->shell;
    bool zsh = false, bashrc = false;
    for (size_t i = 0; i < r->n; i++) {
        zsh |= strcmp(r->maps[i].home_rel, ".zshrc") == 0 || strcmp(r->maps[i].home_rel, ".zshenv") == 0;
        bashrc |= strcmp(r->maps[i].home_rel, ".bashrc") == 0;
    }
    return zsh && !bashrc ? SHELL_ZSH : SHELL_BASH;
}

static bool user_name_ok(const char *u)
{
    if (!u || !*u || strlen(u) > 32)
        return false;
    for (const char *s = u; *s; s++)
        if (!path_char(*s) || *s == '/' || (s == u && *s == '.'))
            return false;
    return true;
}

/* One run: the repository, the temporary machine around it, the options. */
typedef struct dot_run {
    golint_options *o;
    dot_repo r;
    dot_machine m;
} dot_run;

/* Simulate, analyse, map back. With sources non-NULL, the repo files shown
 * or fixed are added to it. False if the simulation could not run. */
static bool dot_analyse(dot_run *d, finding_list *out, source_set *sources)
{
    sim_options so = {.root = &d->m.r, .home = d->m.home, .user = d->m.user, .shell = d->m.shell};
    sim_result *sr = sim_run(&so, d->o->context);
    /* where the repository says Go lives: stand-ins there, and simulate again
     * (the files' own tests of those directories now see them) */
    char **godirs = NULL;
    size_t ngo = 0;
    if (sr && !d->o->root_dir) /* --root: that machine says where Go is */
        go_dirs_collect(sr, &godirs, &ngo);
    if (sr && go_stubs_make(&d->m, godirs, ngo)) {
        sim_result_free(sr);
        sr = sim_run(&so, d->o->context);
    }
    for (size_t i = 0; i < ngo; i++)
        free(godirs[i]);
    free(godirs);
    if (!sr)
        return false;
    finding_list fl;
    findings_init(&fl);
    analyse(d->o, &d->r, &d->m, sr, &fl);
    findings_remap(&d->r, &fl);
    findings_append_copy(out, &fl);
    findings_release(&fl);
    if (sources)
        sources_remap(&d->r, &sr->sources, sources);
    sim_result_free(sr);
    return true;
}

/* Reanalysis for --fix/--diff: the changed files' new contents replace their
 * links in the temporary home (the repo is written by the fix engine, or not
 * at all with --diff), and the whole chain is simulated again. */
static bool dot_reanalyse(void *ud, source_set *sources, const char *const *changed,
                          size_t nchanged, finding_list *out, char *why, size_t whylen)
{
    dot_run *d = ud;
    for (size_t i = 0; i < nchanged; i++) {
        const source_file *src = source_set_find(sources, changed[i]);
        const dot_map *mp = NULL;
        for (size_t k = 0; k < d->r.n && !mp; k++)
            if (strcmp(d->r.maps[k].display, changed[i]) == 0)
                mp = &d->r.maps[k];
        if (!src || !mp || !mp->machine)
            continue;
        char *host = root_join(&d->m.r, mp->machine); /* the link itself, not the repo file */
        struct stat st;
        mode_t mode = stat(host, &st) == 0 ? (st.st_mode & 0777) : 0644;
        unlink(host); /* the link (or an earlier copy) inside the temporary home */
        free(host);
        if (!write_bytes(d->m.dir, mp->machine + 1, src->data, src->len, mode)) {
            snprintf(why, whylen, "--dotfiles: cannot update the simulated %s: %s",
                     mp->tilde, strerror(errno));
            return false;
        }
    }
    root_cache_forget(); /* links became files in the temporary home */
    if (!dot_analyse(d, out, NULL)) {
        snprintf(why, whylen, "--dotfiles: the simulation could not run again");
        return false;
    }
    return true;
}

int cli_check_dotfiles(golint_options *o)
{
    if (o->nargs > 0) {
        cli_error("check --dotfiles %s: give no PATH operands (the whole repository is checked)",
                  o->dotfiles);
        return EXIT_TROUBLE;
    }
    if (o->context) {
        sim_context_kind k;
        if (!sim_context_parse(o->context, &k)) {
            cli_error("--context %s: not a context (terminal, login, ssh-command, script, cron, "
                      "desktop)", o->context);
            return EXIT_TROUBLE;
        }
    }
    char why[600];
    dot_run d;
    memset(&d, 0, sizeof(d));
    d.o = o;
    dot_repo *r = &d.r;
    dot_machine *m = &d.m;
    if (!repo_open(r, o->dotfiles, why, sizeof(why))) {
        cli_error("%s", why);
        repo_release(r);
        return EXIT_TROUBLE;
    }
    r->quiet = o->quiet;
    repo_map(r);
    if (r->truncated)
        cli_warn("--dotfiles %s: more than %u files; the rest were not mapped", o->dotfiles,
                 DOT_MAX_FILES);

    const char *user = o->user ? o->user : getenv("USER");
    m->user = xstrdup(user_name_ok(user) ? user : "user");
    if (o->home && o->home[0] == '/' && !strstr(o->home, "..") && strlen(o->home) > 1) {
        m->home = xstrdup(o->home);
    } else {
        m->home = xmalloc(strlen(m->user) + 8);
        sprintf(m->home, "/home/%s", m->user); /* sized above */
    }
    m->shell = shell_choose(o, r);
    const char *tmp = getenv("TMPDIR");
    char tmpl[DOT_PATH_MAX];
    snprintf(tmpl, sizeof(tmpl), "%s/golint-env-dotfiles.XXXXXX",
             tmp && tmp[0] == '/' && strlen(tmp) < 1024 ? tmp : "/tmp");
    m->dir = mkdtemp(tmpl) ? xstrdup(tmpl) : NULL;
    m->r = (root){.dir = m->dir};
    int rc = EXIT_CLEAN;
    if (!m->dir) {
        cli_error("--dotfiles: cannot create a temporary directory in %s: %s",
                  tmp ? tmp : "/tmp", strerror(errno));
        rc = EXIT_TROUBLE;
        goto out;
    }
    bool ok = o->root_dir ? machine_link_root(m, o->root.dir) : machine_default_etc(m);
    ok = ok && machine_link_home(m, r);
    if (!ok) {
        cli_error("--dotfiles: cannot build the simulated home in %s: %s", m->dir, strerror(errno));
        rc = EXIT_TROUBLE;
        goto out;
    }
    if (o->verbose)
        fprintf(stderr, "golint-env: %s: %s layout, %zu files mapped into %s (%s)\n",
                o->dotfiles, layout_names[r->layout], r->n, m->home, shell_dialect_name(m->shell));
    if (r->conflicts && o->verbose)
        fprintf(stderr, "golint-env: %s: %zu files name a home file already mapped; the first "
                "one is used\n", o->dotfiles, r->conflicts);

    finding_list all;
    findings_init(&all);
    source_set sources = {0};
    if (!dot_analyse(&d, &all, &sources)) {
        cli_error("--dotfiles: the simulation could not run");
        rc = EXIT_TROUBLE;
    } else {
        findings_sort(&all);
        if (o->fix || o->diff) {
            rc = cli_fix_findings(o, &all, &sources, dot_reanalyse, &d, true);
        } else {
            int rrc = cli_report(o, &all, &sources);
            rc = rrc != EXIT_CLEAN ? rrc : cli_exit_status(o, &all);
        }
    }
    findings_release(&all);
    source_set_release(&sources);
out:
    if (m->dir) {
        remove_tree(m->dir, 0);
        root_cache_forget();
        free(m->dir);
    }
    for (size_t i = 0; i < m->nmounts; i++) {
        free((char *)m->mounts[i].at);
        free((char *)m->mounts[i].host);
    }
    free(m->home);
    free(m->user);
    repo_release(r);
    return rc;
}

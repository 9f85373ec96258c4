/* rootfs: the cached lstat/stat/readlink under a root and the one symlink
 * resolver (relative and absolute links, loops, dangling links, links that
 * try to leave the root), cache invalidation, the bound, and threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "fix/fix.h"

typedef struct tree {
    char dir[256];
    root r;
} tree;

static void at(const tree *t, const char *machine, char *out, size_t n)
{
    snprintf(out, n, "%s%s", t->dir, machine);
}

static void mkdirs(const tree *t, const char *machine)
{
    char p[512];
    at(t, machine, p, sizeof(p));
    for (char *s = p + strlen(t->dir) + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0755);
            *s = '/';
        }
    mkdir(p, 0755);
}

static void file(const tree *t, const char *machine, mode_t mode)
{
    char p[512];
    at(t, machine, p, sizeof(p));
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("x\n", f);
    fclose(f);
    chmod(p, mode);
}

static void link_to(const tree *t, const char *machine, const char *target)
{
    char p[512];
    at(t, machine, p, sizeof(p));
    assert_int_equal(symlink(target, p), 0);
}

/* The machine:
 *   /usr/lib/go-1.22/bin/go          an executable
 *   /usr/local/go -> /usr/lib/go-1.22 absolute
 *   /usr/bin/go -> ../local/go/bin/go relative, through the absolute one
 *   /loop/a -> b, /loop/b -> a       a loop
 *   /dangle -> /nowhere/go           dangling
 *   /esc/up -> ../../../../../etc    climbs above the root
 *   /esc/abs -> /etc                 absolute: the root's /etc, not the host's
 *   /esc/host -> /bin/sh             exists on the host, not in the root
 *   /etc/only-here                   only in the root */
static int setup(void **state)
{
    tree *t = calloc(1, sizeof(*t));
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(t->dir, sizeof(t->dir), "%s/golint-rootfs-XXXXXX", tmp);
    assert_non_null(mkdtemp(t->dir));
    t->r.dir = t->dir;
    mkdirs(t, "/usr/lib/go-1.22/bin");
    mkdirs(t, "/usr/local");
    mkdirs(t, "/usr/bin");
    mkdirs(t, "/loop");
    mkdirs(t, "/esc");
    mkdirs(t, "/etc");
    file(t, "/usr/lib/go-1.22/bin/go", 0755);
    file(t, "/etc/only-here", 0644);
    link_to(t, "/usr/local/go", "/usr/lib/go-1.22");
    link_to(t, "/usr/bin/go", "../local/go/bin/go");
    link_to(t, "/loop/a", "b");
    link_to(t, "/loop/b", "a");
    link_to(t, "/dangle", "/nowhere/go");
    link_to(t, "/esc/up", "../../../../../etc");
    link_to(t, "/esc/abs", "/etc");
    link_to(t, "/esc/host", "/bin/sh");
    root_cache_forget();
    *state = t;
    return 0;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static int teardown(void **state)
{
    tree *t = *state;
    nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(t);
    root_cache_free();
    return 0;
}

/* root_resolve into out[ROOT_PATH_MAX] */
static root_resolve_status resolve(const tree *t, const char *path, unsigned flags, int max_hops,
                                   char *out, root_resolution *info)
{
    return root_resolve(&t->r, path, flags, max_hops, out, ROOT_PATH_MAX, info);
}

static void resolves_relative_and_absolute_links(void **state)
{
    tree *t = *state;
    char out[ROOT_PATH_MAX];
    root_resolution info;
    for (unsigned flags = 0; flags <= ROOT_RESOLVE_LEXICAL; flags++) {
        assert_int_equal(resolve(t, "/usr/bin/go", flags, 40, out, &info), ROOT_RESOLVED);
        assert_string_equal(out, "/usr/lib/go-1.22/bin/go");
        assert_int_equal(info.hops, 2);
        assert_int_equal(resolve(t, "//usr/./local/go/bin/", flags, 40, out, &info), ROOT_RESOLVED);
        assert_string_equal(out, "/usr/lib/go-1.22/bin");
        assert_int_equal(resolve(t, "/", flags, 40, out, NULL), ROOT_RESOLVED);
        assert_string_equal(out, "/");
    }
    assert_true(root_is_executable(&t->r, "/usr/lib/go-1.22/bin/go"));
    assert_true(root_is_dir(&t->r, "/usr/lib/go-1.22"));
}

static void lexical_and_physical_dotdot(void **state)
{
    tree *t = *state;
    char out[ROOT_PATH_MAX];
    /* the kernel's way: .. after a link is taken in the link's target */
    assert_int_equal(resolve(t, "/usr/local/go/bin/..", 0, 40, out, NULL), ROOT_RESOLVED);
    assert_string_equal(out, "/usr/lib/go-1.22");
    assert_int_equal(resolve(t, "/usr/local/go/..", 0, 40, out, NULL), ROOT_RESOLVED);
    assert_string_equal(out, "/usr/lib");
    /* Go's way: cleaned first, so go/.. is gone before go is looked at */
    assert_int_equal(resolve(t, "/usr/local/go/..", ROOT_RESOLVE_LEXICAL, 40, out, NULL),
                     ROOT_RESOLVED);
    assert_string_equal(out, "/usr/local");
}

/* Where resolution stops: the path as far as it got, then the rest. */
static const struct {
    const char *path;
    unsigned flags;
    int max_hops;
    root_resolve_status status;
    const char *out;
    int hops, err;
    const char *stop; /* out's leading part naming the failing component */
} stops[] = {
    {"/loop/a/x", 0, 40, ROOT_LOOP, "/loop/a/x", 40, ELOOP, "/loop/a"}, /* 40 hops: back at a */
    {"/loop/a", ROOT_RESOLVE_LEXICAL, 3, ROOT_LOOP, "/loop/b", 3, ELOOP, "/loop/b"},
    {"/dangle", 0, 40, ROOT_MISSING, "/nowhere/go", 1, ENOENT, "/nowhere"},
    {"/usr/bin/gone/x", 0, 40, ROOT_MISSING, "/usr/bin/gone/x", 0, ENOENT, "/usr/bin/gone"},
    {"/usr/lib/go-1.22/bin/go/x", 0, 40, ROOT_MISSING, "/usr/lib/go-1.22/bin/go/x", 0, ENOTDIR,
     "/usr/lib/go-1.22/bin/go/x"},
};

static void reports_loops_and_dangling_links(void **state)
{
    tree *t = *state;
    for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
        char out[ROOT_PATH_MAX];
        root_resolution info;
        assert_int_equal(resolve(t, stops[i].path, stops[i].flags, stops[i].max_hops, out, &info),
                         stops[i].status);
        assert_string_equal(out, stops[i].out);
        assert_int_equal(info.hops, stops[i].hops);
        assert_int_equal(info.err, stops[i].err);
        assert_int_equal(info.stop, strlen(stops[i].stop));
    }
    assert_false(root_exists(&t->r, "/loop/a"));
    struct stat st;
    assert_int_equal(root_lstat(&t->r, "/dangle", &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(root_stat(&t->r, "/dangle", &st), -1);
    assert_int_equal(errno, ENOENT);
}

static void links_stay_inside_the_root(void **state)
{
    tree *t = *state;
    char out[ROOT_PATH_MAX];
    for (unsigned flags = 0; flags <= ROOT_RESOLVE_LEXICAL; flags++) {
        assert_int_equal(resolve(t, "/esc/up/only-here", flags, 40, out, NULL), ROOT_RESOLVED);
        assert_string_equal(out, "/etc/only-here");
        assert_int_equal(resolve(t, "/esc/abs/only-here", flags, 40, out, NULL), ROOT_RESOLVED);
        assert_string_equal(out, "/etc/only-here");
        assert_int_equal(resolve(t, "/../../../etc/only-here", flags, 40, out, NULL),
                         ROOT_RESOLVED);
        assert_string_equal(out, "/etc/only-here");
        /* /bin/sh exists on the host, not in this root */
        assert_int_equal(resolve(t, "/esc/host", flags, 40, out, NULL), ROOT_MISSING);
        assert_string_equal(out, "/bin/sh");
    }
}


/* Every stat, readlink and host path of a confining root goes through the
 * resolver: nothing the host has (the host's /bin/sh, a file the link names
 * on the host) is seen, and the host path to open holds no link. */
static void reads_stay_inside_the_root(void **state)
{
    tree *t = *state;
    struct stat st;
    assert_false(root_exists(&t->r, "/esc/host"));           /* host's /bin/sh */
    assert_int_equal(root_lstat(&t->r, "/esc/host", &st), 0); /* the link itself */
    assert_true(S_ISLNK(st.st_mode));
    assert_true(root_is_file(&t->r, "/esc/up/only-here"));
    assert_true(root_is_file(&t->r, "/esc/abs/only-here"));
    assert_false(root_is_file(&t->r, "/esc/abs/passwd")); /* the host's /etc/passwd is not there */
    char want[512];
    at(t, "/etc/only-here", want, sizeof(want));
    char *p = root_path(&t->r, "/esc/up/only-here");
    assert_string_equal(p, want);
    free(p);
    /* a missing file: where it would be, inside the root */
    at(t, "/etc/new-file", want, sizeof(want));
    p = root_path(&t->r, "/esc/abs/new-file");
    assert_string_equal(p, want);
    free(p);
    /* a loop, and ".." after a missing component: nothing can open the result */
    const char *unopenable[] = {"/loop/a", "/nowhere/../../../../bin/sh", "/dangle/../../../../bin/sh"};
    for (size_t i = 0; i < sizeof(unopenable) / sizeof(*unopenable); i++) {
        p = root_path(&t->r, unopenable[i]);
        assert_int_not_equal(stat(p, &st), 0);
        assert_true(strncmp(p, t->dir, strlen(t->dir)) == 0);
        free(p);
    }
    /* readlink of a link behind a link: its directory resolved inside the root */
    char buf[64];
    assert_int_equal(root_readlink(&t->r, "/esc/abs/../usr/bin/go", buf, sizeof(buf)), 18);
    /* the live root is the kernel's view */
    root live = {.dir = ""};
    p = root_path(&live, "/esc/host");
    assert_string_equal(p, "/esc/host");
    free(p);
}

/* A mount shows a host directory at a machine path; its absolute links
 * still start again at the root. */
static void mounts_show_host_directories(void **state)
{
    tree *t = *state;
    char repo[300];
    snprintf(repo, sizeof(repo), "%s.repo", t->dir);
    mkdir(repo, 0755);
    char f[400], l[400];
    snprintf(f, sizeof(f), "%s/bashrc", repo);
    FILE *fp = fopen(f, "w");
    assert_non_null(fp);
    fputs("x\n", fp);
    fclose(fp);
    snprintf(l, sizeof(l), "%s/abs", repo);
    assert_int_equal(symlink("/etc/only-here", l), 0);
    snprintf(l, sizeof(l), "%s/rel", repo);
    assert_int_equal(symlink("bashrc", l), 0);
    mkdirs(t, "/src"); /* a mount point's directory exists, as for mount(8) */
    root_mount m[] = {{.at = "/src/dots", .host = repo}};
    root r = {.dir = t->dir, .mounts = m, .nmounts = 1};
    root_cache_forget();
    assert_true(root_is_file(&r, "/src/dots/bashrc"));
    assert_true(root_is_file(&r, "/src/dots/rel"));
    assert_true(root_is_file(&r, "/src/dots/abs")); /* the root's /etc/only-here */
    char *p = root_path(&r, "/src/dots/abs");
    char want[512];
    at(t, "/etc/only-here", want, sizeof(want));
    assert_string_equal(p, want);
    free(p);
    p = root_path(&r, "/src/dots/rel");
    assert_string_equal(p, f);
    free(p);
    assert_false(root_exists(&r, "/src/other"));
    unlink(f);
    snprintf(l, sizeof(l), "%s/abs", repo);
    unlink(l);
    snprintf(l, sizeof(l), "%s/rel", repo);
    unlink(l);
    rmdir(repo);
}

static void readlink_answers(void **state)
{
    tree *t = *state;
    char buf[64];
    assert_int_equal(root_readlink(&t->r, "/usr/bin/go", buf, sizeof(buf)), 18);
    assert_string_equal(buf, "../local/go/bin/go");
    assert_int_equal(root_readlink(&t->r, "/usr/bin/go", buf, 6), 5); /* truncated, terminated */
    assert_string_equal(buf, "../lo");
    assert_int_equal(root_readlink(&t->r, "/etc/only-here", buf, sizeof(buf)), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(root_readlink(&t->r, "/not/there", buf, sizeof(buf)), -1);
    assert_int_equal(errno, ENOENT);
}

static void cached_until_forgotten(void **state)
{
    tree *t = *state;
    assert_false(root_is_file(&t->r, "/etc/new"));
    root_cache_stats before = root_cache_get_stats();
    assert_false(root_is_file(&t->r, "/etc/new"));
    root_cache_stats after = root_cache_get_stats();
    assert_true(after.hits > before.hits); /* /etc, then /etc/new */
    assert_int_equal(after.misses, before.misses);

    file(t, "/etc/new", 0644);
    assert_false(root_is_file(&t->r, "/etc/new")); /* the stale negative answer */
    root_cache_forget();
    assert_int_equal(root_cache_get_stats().entries, 0);
    assert_true(root_is_file(&t->r, "/etc/new"));

    /* a link replaced by a file, as --dotfiles re-analysis does */
    char p[512];
    at(t, "/usr/bin/go", p, sizeof(p));
    char out[ROOT_PATH_MAX];
    assert_int_equal(resolve(t, "/usr/bin/go", 0, 40, out, NULL), ROOT_RESOLVED);
    assert_string_equal(out, "/usr/lib/go-1.22/bin/go");
    unlink(p);
    file(t, "/usr/bin/go", 0755);
    root_cache_forget();
    assert_int_equal(resolve(t, "/usr/bin/go", 0, 40, out, NULL), ROOT_RESOLVED);
    assert_string_equal(out, "/usr/bin/go");
}

static void fix_writes_forget_the_cache(void **state)
{
    tree *t = *state;
    struct stat st;
    assert_false(root_is_file(&t->r, "/etc/created"));
    assert_int_equal(root_stat(&t->r, "/etc/only-here", &st), 0);
    assert_int_equal(st.st_size, 2);
    char p[512], why[256];
    at(t, "/etc/created", p, sizeof(p));
    assert_true(fix_write_file(p, "new\n", 4, NULL, true, NULL, why, sizeof(why)));
    assert_true(root_is_file(&t->r, "/etc/created"));
    at(t, "/etc/only-here", p, sizeof(p));
    assert_true(fix_write_file(p, "longer\n", 7, NULL, false, NULL, why, sizeof(why)));
    assert_int_equal(root_stat(&t->r, "/etc/only-here", &st), 0);
    assert_int_equal(st.st_size, 7);
}

static void proc_sys_dev_are_never_cached(void **state)
{
    tree *t = *state;
    mkdirs(t, "/proc/42");
    char buf[128];
    assert_int_equal(root_readlink(&t->r, "/proc/42/exe", buf, sizeof(buf)), -1);
    assert_false(root_exists(&t->r, "/proc/42/environ"));
    link_to(t, "/proc/42/exe", "/usr/lib/go-1.22/bin/go");
    file(t, "/proc/42/environ", 0644);
    /* seen at once, without root_cache_forget */
    assert_int_equal(root_readlink(&t->r, "/proc/42/exe", buf, sizeof(buf)),
                     (ssize_t)strlen("/usr/lib/go-1.22/bin/go"));
    assert_true(root_exists(&t->r, "/proc/42/environ"));
}

static void the_cache_is_bounded(void **state)
{
    tree *t = *state;
    root_cache_forget();
    char p[64];
    for (unsigned i = 0; i < ROOT_CACHE_MAX_ENTRIES + 500; i++) {
        snprintf(p, sizeof(p), "/etc/none%u", i);
        assert_false(root_exists(&t->r, p));
    }
    root_cache_stats s = root_cache_get_stats();
    assert_int_equal(s.entries, ROOT_CACHE_MAX_ENTRIES);
    /* answers past the bound are still right */
    file(t, "/etc/late", 0644);
    assert_true(root_is_file(&t->r, "/etc/late"));
    root_cache_forget();
}

typedef struct worker {
    tree *t;
    int id;
    int bad;
} worker;

static void *hammer(void *arg)
{
    worker *w = arg;
    char out[ROOT_PATH_MAX], p[64];
    for (int i = 0; i < 3000; i++) {
        if (resolve(w->t, "/usr/local/go/bin/go", 0, 40, out, NULL) != ROOT_RESOLVED ||
            strcmp(out, "/usr/lib/go-1.22/bin/go") != 0)
            w->bad++;
        if (resolve(w->t, "/loop/a", 0, 40, out, NULL) != ROOT_LOOP)
            w->bad++;
        if (!root_is_dir(&w->t->r, "/usr/lib") || root_is_dir(&w->t->r, "/etc/only-here"))
            w->bad++;
        snprintf(p, sizeof(p), "/none/%d/%d", w->id, i % 97);
        if (root_exists(&w->t->r, p))
            w->bad++;
        if (w->id == 0 && i % 500 == 0)
            root_cache_forget();
    }
    return NULL;
}

static void threads_share_the_cache(void **state)
{
    tree *t = *state;
    root_cache_forget();
    enum { N = 4 };
    pthread_t th[N];
    worker w[N];
    for (int i = 0; i < N; i++) {
        w[i] = (worker){t, i, 0};
        assert_int_equal(pthread_create(&th[i], NULL, hammer, &w[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].bad, 0);
    }
    root_cache_stats s = root_cache_get_stats();
    assert_true(s.hits > s.misses);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(resolves_relative_and_absolute_links, setup, teardown),
        cmocka_unit_test_setup_teardown(lexical_and_physical_dotdot, setup, teardown),
        cmocka_unit_test_setup_teardown(reports_loops_and_dangling_links, setup, teardown),
        cmocka_unit_test_setup_teardown(links_stay_inside_the_root, setup, teardown),
        cmocka_unit_test_setup_teardown(readlink_answers, setup, teardown),
        cmocka_unit_test_setup_teardown(reads_stay_inside_the_root, setup, teardown),
        cmocka_unit_test_setup_teardown(mounts_show_host_directories, setup, teardown),
        cmocka_unit_test_setup_teardown(cached_until_forgotten, setup, teardown),
        cmocka_unit_test_setup_teardown(fix_writes_forget_the_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(proc_sys_dev_are_never_cached, setup, teardown),
        cmocka_unit_test_setup_teardown(the_cache_is_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(threads_share_the_cache, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

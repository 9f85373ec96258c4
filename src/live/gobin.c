/*
 * gobin.c - the go binary each context runs, read and never executed: `go`
 * on the context's PATH with symlinks followed inside the root, its ELF
 * class and machine against the host's (GE6030 "exec format error"), shims
 * and scripts (GE6031), broken links (GE6032), the Go version from the
 * build info or $GOROOT/VERSION (GE6035, GE6033 when contexts disagree), and
 * every tool in GOBIN and $GOPATH/bin (GE6034).
 */
#include "live/live_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct { const char *uname; int machine; } arch_table[] = {
    {"x86_64", 62}, {"amd64", 62}, {"aarch64", 183}, {"arm64", 183}, {"i386", 3},
    {"i486", 3}, {"i586", 3}, {"i686", 3}, {"armv6l", 40}, {"armv7l", 40}, {"armv8l", 40},
    {"riscv64", 243}, {"ppc64le", 21}, {"ppc64", 21}, {"s390x", 22}, {"loongarch64", 258},
    {"mips64", 8}, {"mips", 8},
};

static const struct { int machine; const char *name; } machine_names[] = {
    {62, "x86-64 (amd64)"}, {183, "AArch64 (arm64)"}, {3, "Intel 80386 (386)"},
    {40, "ARM (arm)"}, {243, "RISC-V (riscv64)"}, {21, "PowerPC64 (ppc64)"},
    {22, "IBM S/390 (s390x)"}, {258, "LoongArch (loong64)"}, {8, "MIPS (mips)"},
};

int live_arch_machine(const char *m)
{
    for (size_t i = 0; m && i < GE_ARRAY_LEN(arch_table); i++)
        if (strcmp(arch_table[i].uname, m) == 0)
            return arch_table[i].machine;
    return 0;
}

const char *live_machine_name(int e_machine)
{
    for (size_t i = 0; i < GE_ARRAY_LEN(machine_names); i++)
        if (machine_names[i].machine == e_machine)
            return machine_names[i].name;
    return "unknown machine";
}

/* ---- build info --------------------------------------------------------------- */

static const char buildinfo_magic[] = "\xff Go buildinf:";

bool live_buildinfo_parse(const unsigned char *p, size_t n, char *version, size_t vlen)
{
    if (n < 33 || memcmp(p, buildinfo_magic, 14) != 0)
        return false;
    unsigned flags = p[15];
    if (!(flags & 2))
        return false; /* before Go 1.18: pointers into the data segment */
    size_t off = 32;
    uint64_t len = 0;
    int shift = 0;
    while (off < n && shift < 64) {
        unsigned char b = p[off++];
        len |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
        shift += 7;
    }
    if (len == 0 || len > n - off || len >= vlen)
        return false;
    memcpy(version, p + off, (size_t)len);
    version[len] = '\0';
    return strncmp(version, "go", 2) == 0;
}

static uint64_t rd(const unsigned char *p, int size, bool be)
{
    uint64_t v = 0;
    for (int i = 0; i < size; i++)
        v |= (uint64_t)p[be ? size - 1 - i : i] << (8 * i);
    return v;
}

static bool pread_all(int fd, void *buf, size_t n, uint64_t off)
{
    if (off > (uint64_t)INT64_MAX)
        return false;
    ssize_t r = pread(fd, buf, n, (off_t)off);
    return r == (ssize_t)n;
}

/* Find .go.buildinfo through the section headers and parse it: one read for
 * the header table, one for the section names, one for the section. */
static void elf_buildinfo(int fd, const unsigned char *h, live_bin *b)
{
    bool is64 = b->elf_class == 64, be = b->big_endian;
    uint64_t shoff = is64 ? rd(h + 40, 8, be) : rd(h + 32, 4, be);
    unsigned shentsize = (unsigned)rd(h + (is64 ? 58 : 46), 2, be);
    unsigned shnum = (unsigned)rd(h + (is64 ? 60 : 48), 2, be);
    unsigned shstrndx = (unsigned)rd(h + (is64 ? 62 : 50), 2, be);
    if (!shoff || shnum == 0 || shnum > 1024 || shstrndx >= shnum || shentsize < (is64 ? 64u : 40u) ||
        shentsize > 128)
        return;
    size_t tlen = (size_t)shnum * shentsize;
    unsigned char *tab = xmalloc(tlen);
    char *names = NULL;
    if (!pread_all(fd, tab, tlen, shoff))
        goto out;
    const unsigned char *ss = tab + (size_t)shstrndx * shentsize;
    uint64_t stroff = is64 ? rd(ss + 24, 8, be) : rd(ss + 16, 4, be);
    uint64_t strsize = is64 ? rd(ss + 32, 8, be) : rd(ss + 20, 4, be);
    if (strsize == 0 || strsize > 65536)
        goto out;
    names = xmalloc((size_t)strsize + 1);
    if (!pread_all(fd, names, (size_t)strsize, stroff))
        goto out;
    names[strsize] = '\0';
    for (unsigned i = 0; i < shnum; i++) {
        const unsigned char *sh = tab + (size_t)i * shentsize;
        uint64_t name = rd(sh, 4, be);
        if (name >= strsize || strcmp(names + name, ".go.buildinfo") != 0)
            continue;
        uint64_t off = is64 ? rd(sh + 24, 8, be) : rd(sh + 16, 4, be);
        uint64_t size = is64 ? rd(sh + 32, 8, be) : rd(sh + 20, 4, be);
        unsigned char buf[512];
        size_t want = size < sizeof(buf) ? (size_t)size : sizeof(buf);
        ssize_t got = off <= (uint64_t)INT64_MAX ? pread(fd, buf, want, (off_t)off) : -1;
        if (got > 0 && !live_buildinfo_parse(buf, (size_t)got, b->go_version, sizeof(b->go_version)) &&
            (size_t)got >= 16 && memcmp(buf, buildinfo_magic, 14) == 0)
            snprintf(b->go_version, sizeof(b->go_version), "go1.17-or-older");
        break;
    }
out:
    free(names);
    free(tab);
}

void live_bin_read(const char *host_path, live_bin *b)
{
    memset(b, 0, sizeof(*b));
    int fd = open_regular(host_path, NULL);
    if (fd < 0) {
        b->kind = errno == ENOENT || errno == ENOTDIR ? LIVE_BIN_MISSING : LIVE_BIN_UNREADABLE;
        return;
    }
    unsigned char h[4096];
    ssize_t n = pread(fd, h, sizeof(h) - 1, 0);
    if (n < 0)
        n = 0;
    h[n] = 0;
    if (n >= 52 && memcmp(h, "\x7f" "ELF", 4) == 0) {
        b->kind = LIVE_BIN_ELF;
        b->elf_class = h[4] == 2 ? 64 : 32;
        b->big_endian = h[5] == 2;
        b->elf_machine = (int)rd(h + 18, 2, b->big_endian);
        if (n >= 64 || b->elf_class == 32)
            elf_buildinfo(fd, h, b);
    } else if (n >= 2 && h[0] == '#' && h[1] == '!') {
        b->kind = LIVE_BIN_SCRIPT;
        size_t len = strcspn((const char *)h, "\n");
        snprintf(b->interp, sizeof(b->interp), "%.*s", (int)(len < 127 ? len : 127), (const char *)h);
        static const char *const shims[] = {"asdf", "goenv", "mise", "gvm", "rtx"};
        for (size_t i = 0; i < GE_ARRAY_LEN(shims); i++)
            if (strstr((const char *)h, shims[i])) {
                snprintf(b->shim, sizeof(b->shim), "%s", shims[i]);
                break;
            }
    } else {
        b->kind = LIVE_BIN_OTHER;
    }
    close(fd);
}

/* ---- symlinks and PATH lookups inside the root --------------------------------- */

#define LIVE_MAX_HOPS 40

bool live_resolve(const root *r, const char *machine_path, char *out, size_t outlen, bool *loop)
{
    char res[ROOT_PATH_MAX];
    root_resolution info;
    root_resolve_status st =
        root_resolve(r, machine_path, 0, LIVE_MAX_HOPS, res, sizeof(res), &info);
    *loop = st == ROOT_LOOP;
    if (*loop)
        res[info.stop] = '\0'; /* the link one hop too many */
    snprintf(out, outlen, "%s", res);
    return st == ROOT_RESOLVED;
}

bool live_path_lookup(const root *r, const char *path, const char *name, char *out, size_t outlen,
                      size_t *index)
{
    size_t i = 0;
    for (const char *p = path; p && *p; i++) {
        size_t len = strcspn(p, ":");
        if (len && p[0] == '/' && len < 2048) {
            char cand[4096], res[4096];
            bool loop;
            snprintf(cand, sizeof(cand), "%.*s/%s", (int)len, p, name);
            if (live_resolve(r, cand, res, sizeof(res), &loop) && root_is_executable(r, res)) {
                snprintf(out, outlen, "%s", cand);
                if (index)
                    *index = i;
                return true;
            }
        }
        p += len;
        if (*p == ':')
            p++;
    }
    return false;
}

/* ---- the checks ------------------------------------------------------------------ */

static bool is_unit_ctx(const live_context *c)
{
    return c->name && strncmp(c->name, "systemd:", 8) == 0;
}

live_path_dir live_path_entry_at(const live_context *c, size_t idx)
{
    live_path_dir d = {NULL, c->v[LV_PATH].file, c->v[LV_PATH].line};
    if (c->path && idx < c->npath && c->path[idx].file)
        d = c->path[idx];
    return d;
}

static void describe(const live_bin *b, char *out, size_t n)
{
    switch (b->kind) {
    case LIVE_BIN_ELF:
        snprintf(out, n, "ELF %d-bit %s", b->elf_class, live_machine_name(b->elf_machine));
        break;
    case LIVE_BIN_SCRIPT:
        snprintf(out, n, "script %s", b->interp);
        break;
    default:
        snprintf(out, n, "not an ELF file");
        break;
    }
}

static bool arch_mismatch(const live_run *lr, const live_bin *b)
{
    if (b->kind != LIVE_BIN_ELF || !lr->arch_machine)
        return false;
    if (b->elf_machine == lr->arch_machine)
        return false;
    /* 32-bit x86 runs on x86-64 (with ia32 emulation), arm on most arm64 */
    if (lr->arch_machine == 62 && b->elf_machine == 3)
        return false;
    return true;
}

static void version_from_goroot(const root *r, const char *resolved, char *out, size_t n)
{
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s", resolved);
    for (int up = 0; up < 2; up++) {
        char *s = strrchr(dir, '/');
        if (!s)
            return;
        *s = '\0';
    }
    char vf[4200];
    snprintf(vf, sizeof(vf), "%s/VERSION", dir[0] ? dir : "");
    char *t = live_read(r, vf, NULL);
    if (t && strncmp(t, "go", 2) == 0) {
        t[strcspn(t, " \t\r\n")] = '\0';
        snprintf(out, n, "%s", t);
    }
    free(t);
}

static void check_go(live_run *lr, size_t ci)
{
    const live_context *c = &lr->ctx[ci];
    const char *path = c->v[LV_PATH].value;
    if (!path)
        return;
    /* broken links to go before the first working one */
    size_t i = 0;
    for (const char *p = path; *p; i++) {
        size_t len = strcspn(p, ":");
        if (len && p[0] == '/' && len < 2048) {
            char cand[4096], res[4096];
            bool loop;
            snprintf(cand, sizeof(cand), "%.*s/go", (int)len, p);
            bool ok = live_resolve(lr->o->root, cand, res, sizeof(res), &loop);
            struct stat st;
            bool is_link = root_lstat(lr->o->root, cand, &st) == 0 && S_ISLNK(st.st_mode);
            if (!ok && is_link) {
                live_path_dir d = live_path_entry_at(c, i);
                finding *f = live_finding(lr, "GE6032", SEV_WARNING, d.file ? d.file : cand, d.line,
                                          "%s on PATH is a %s symlink (%s): the shell skips it "
                                          "and runs the next go, or none",
                                          cand, loop ? "looping" : "dangling", res);
                finding_add_context(lr->out, f, c->name);
            }
            if (ok && root_is_executable(lr->o->root, res))
                break;
        }
        p += len;
        if (*p == ':')
            p++;
    }
    char found[4096], res[4096];
    size_t idx = 0;
    bool loop;
    if (!live_path_lookup(lr->o->root, path, "go", found, sizeof(found), &idx) ||
        !live_resolve(lr->o->root, found, res, sizeof(res), &loop))
        return;
    lr->go_path[ci] = arena_strdup(lr->a, found);
    live_path_dir d = live_path_entry_at(c, idx);
    const char *file = d.file ? d.file : found;
    char *host = root_path(lr->o->root, res);
    live_bin b;
    live_bin_read(host, &b);
    free(host);
    char what[256], via[4200] = "";
    describe(&b, what, sizeof(what));
    if (strcmp(found, res) != 0)
        snprintf(via, sizeof(via), " -> %s", res);
    if (!b.go_version[0])
        version_from_goroot(lr->o->root, res, b.go_version, sizeof(b.go_version));
    lr->go_version[ci] = arena_strdup(lr->a, b.go_version);
    finding *f;
    if (arch_mismatch(lr, &b)) {
        f = live_finding(lr, "GE6030", SEV_ERROR, file, d.line,
                         "go is %s%s, an %s binary, but this machine is %s (%s): running it "
                         "fails with \"exec format error\"",
                         found, via, what, lr->arch, lr->arch_file);
        finding_add_context(lr->out, f, c->name);
    } else if (b.kind == LIVE_BIN_SCRIPT || b.kind == LIVE_BIN_OTHER) {
        f = live_finding(lr, "GE6031", SEV_INFO, file, d.line,
                         "go is %s%s, %s%s%s: the Go version is picked when it runs%s",
                         found, via, b.shim[0] ? "a shim of " : "", b.shim[0] ? b.shim : what,
                         b.shim[0] ? "" : "",
                         b.shim[0] ? " (.tool-versions / GOENV_VERSION / the shim's global setting)" : "");
        finding_add_context(lr->out, f, c->name);
    }
    f = live_finding(lr, "GE6035", SEV_INFO, file, d.line, "go is %s%s (%s, %s)",
                     found, via, b.go_version[0] ? b.go_version : "version unknown", what);
    finding_add_context(lr->out, f, c->name);
}

/* Tools in GOBIN or each $GOPATH/bin: binaries for another machine. */
static void check_tools(live_run *lr, size_t ci, char seen[][512], size_t *nseen, size_t maxseen)
{
    const live_context *c = &lr->ctx[ci];
    char dirs[8][512];
    size_t nd = 0;
    const live_value *src[8];
    if (c->v[LV_GOBIN].value && c->v[LV_GOBIN].value[0] == '/') {
        snprintf(dirs[nd], sizeof(dirs[nd]), "%s", c->v[LV_GOBIN].value);
        src[nd++] = &c->v[LV_GOBIN];
    } else if (c->v[LV_GOPATH].value) {
        for (const char *p = c->v[LV_GOPATH].value; *p && nd < 8;) {
            size_t len = strcspn(p, ":");
            if (len && p[0] == '/' && len < 500) {
                snprintf(dirs[nd], sizeof(dirs[nd]), "%.*s/bin", (int)len, p);
                src[nd++] = &c->v[LV_GOPATH];
            }
            p += len;
            if (*p == ':')
                p++;
        }
    } else if (c->v[LV_HOME].value && c->v[LV_HOME].value[0] == '/' && strlen(c->v[LV_HOME].value) < 500) {
        snprintf(dirs[nd], sizeof(dirs[nd]), "%s/go/bin", c->v[LV_HOME].value);
        src[nd++] = &c->v[LV_HOME];
    }
    for (size_t k = 0; k < nd; k++) {
        bool dup = false;
        for (size_t s = 0; s < *nseen; s++)
            if (strcmp(seen[s], dirs[k]) == 0)
                dup = true;
        if (dup || *nseen >= maxseen)
            continue;
        snprintf(seen[(*nseen)++], 512, "%s", dirs[k]);
        char *host = root_path(lr->o->root, dirs[k]);
        DIR *d = opendir(host);
        if (!d) {
            free(host);
            continue;
        }
        struct dirent *e;
        int count = 0;
        while ((e = readdir(d)) != NULL && count < 512) {
            if (e->d_name[0] == '.')
                continue;
            count++;
            char hp[4600];
            snprintf(hp, sizeof(hp), "%s/%s", host, e->d_name);
            live_bin b;
            live_bin_read(hp, &b);
            if (!arch_mismatch(lr, &b))
                continue;
            const live_value *v = src[k];
            finding *f = live_finding(
                lr, "GE6034", SEV_WARNING, v->file ? v->file : dirs[k], v->line,
                "%s/%s is an ELF %d-bit %s binary but this machine is %s: it fails with \"exec "
                "format error\" (installed while GOARCH pointed elsewhere? keep GOARCH out of "
                "startup files and run go install again)",
                dirs[k], e->d_name, b.elf_class, live_machine_name(b.elf_machine), lr->arch);
            finding_add_context(lr->out, f, c->name);
        }
        closedir(d);
        free(host);
    }
}

static void check_exec(live_run *lr, size_t ci)
{
    const live_context *c = &lr->ctx[ci];
    if (!c->exec)
        return;
    char res[4096];
    bool loop;
    if (!live_resolve(lr->o->root, c->exec, res, sizeof(res), &loop))
        return;
    char *host = root_path(lr->o->root, res);
    live_bin b;
    live_bin_read(host, &b);
    free(host);
    lr->go_version[ci] = arena_strdup(lr->a, b.go_version);
    if (arch_mismatch(lr, &b)) {
        char what[256];
        describe(&b, what, sizeof(what));
        finding *f = live_finding(lr, "GE6030", SEV_ERROR, c->exec_file ? c->exec_file : c->exec,
                                  c->exec_line,
                                  "%s runs %s, an %s binary, but this machine is %s (%s): it "
                                  "fails with \"exec format error\" (status 203/EXEC for a service)",
                                  c->name, c->exec, what, lr->arch, lr->arch_file);
        finding_add_context(lr->out, f, c->name);
    }
}

void live_gobin_check(live_run *lr)
{
    char seen[16][512];
    size_t nseen = 0;
    for (size_t i = 0; i < lr->nctx; i++) {
        if (is_unit_ctx(&lr->ctx[i]) || lr->ctx[i].pid) {
            check_exec(lr, i);
            continue;
        }
        check_go(lr, i);
        check_tools(lr, i, seen, &nseen, GE_ARRAY_LEN(seen));
    }
    /* contexts that run another Go than the first one that has one */
    size_t first = lr->nctx;
    for (size_t i = 0; i < lr->nctx; i++)
        if (!is_unit_ctx(&lr->ctx[i]) && !lr->ctx[i].pid && lr->go_version[i][0]) {
            first = i;
            break;
        }
    for (size_t i = first + 1; i < lr->nctx; i++) {
        const live_context *c = &lr->ctx[i];
        if (is_unit_ctx(c) || c->pid || !lr->go_version[i][0] ||
            strcmp(lr->go_version[i], lr->go_version[first]) == 0)
            continue;
        char found[4096];
        size_t idx = 0;
        if (!live_path_lookup(lr->o->root, c->v[LV_PATH].value, "go", found, sizeof(found), &idx))
            continue;
        live_path_dir d = live_path_entry_at(c, idx);
        finding *f = live_finding(lr, "GE6033", SEV_WARNING, d.file ? d.file : found, d.line,
                                  "this runs %s (%s) but %s runs %s (%s): builds and go.mod "
                                  "toolchain checks differ between them",
                                  lr->go_version[i], lr->go_path[i], lr->ctx[first].name,
                                  lr->go_version[first], lr->go_path[first]);
        finding_add_context(lr->out, f, c->name);
    }
}

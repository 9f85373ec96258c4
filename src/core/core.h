/*
 * core.h - the shared vocabulary of golint-env: arenas, string buffers,
 * source files with line indexes, findings with fixes, the root every read
 * goes through, and small utilities. Nothing here prints or exits.
 */
#ifndef GOLINT_CORE_H
#define GOLINT_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define GE_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* 1 in an AddressSanitizer build (gcc and clang spell it differently). */
#if defined(__SANITIZE_ADDRESS__)
#define GE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GE_ASAN 1
#endif
#endif
#ifndef GE_ASAN
#define GE_ASAN 0
#endif

#if defined(__GNUC__)
#define GE_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define GE_PRINTF(f, a)
#endif

/* ---- arena: bump allocator, freed all at once ---------------------------- */

typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena *a);
/* Zeroed memory, 16-byte aligned. Aborts only if the system is out of memory. */
void *arena_alloc(arena *a, size_t size);
/* Grow an array kept in the arena: returns a copy with room for new_count. */
void *arena_grow(arena *a, void *old, size_t old_count, size_t new_count, size_t elem);
/* Room for one more element of an arena array whose capacity doubles:
 * returns the (possibly moved) array; *cap is updated. */
void *arena_reserve(arena *a, void *arr, size_t n, size_t *cap, size_t elem);
/* Append a zeroed element to arr (n elements, cap capacity); yields its address. */
#define ARENA_PUSH(a, arr, n, cap) \
    ((arr) = arena_reserve((a), (arr), (n), &(cap), sizeof(*(arr))), &(arr)[(n)++])
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) GE_PRINTF(2, 3);
char *arena_vprintf(arena *a, const char *fmt, va_list ap);
/* Bytes handed out so far (for benchmarks and bounds). */
size_t arena_used(const arena *a);

/* ---- strbuf: growable, always NUL-terminated byte buffer (heap) ---------- */

typedef struct strbuf {
    char *data;
    size_t len;
    size_t cap;
} strbuf;

#define STRBUF_INIT {NULL, 0, 0}

void strbuf_add(strbuf *sb, const void *data, size_t len);
void strbuf_adds(strbuf *sb, const char *s);
void strbuf_addc(strbuf *sb, char c);
void strbuf_addf(strbuf *sb, const char *fmt, ...) GE_PRINTF(2, 3);
void strbuf_vaddf(strbuf *sb, const char *fmt, va_list ap);
/* JSON string body escaping (no surrounding quotes). */
void strbuf_add_json_escaped(strbuf *sb, const char *s, size_t len);
/* Text for a terminal from bytes an analysed file supplied: control
 * characters a terminal would act on are made visible, so a path or value
 * cannot retitle the window, write the clipboard (OSC 52) or move the
 * cursor. ESC is "\e"; other C0 controls and DEL are caret notation ("^G",
 * "^J", "^?"); C1 controls (U+0080..U+009F) and bytes that are not UTF-8 are
 * "\xNN". Tab and valid UTF-8 are kept. Not reversible ('\' is kept). */
void strbuf_add_visible(strbuf *sb, const char *s, size_t len);
/* One character of s[0..len) (len > 0) in that form: writes at most 4 bytes
 * to out and their count to *outlen, sets *cells to the columns it takes
 * (1 for a kept character), and returns the bytes of s it stands for. */
size_t visible_char(const char *s, size_t len, char out[4], size_t *outlen, size_t *cells);
/* A NUL-terminated string in that form, in tmp (reset first); returns tmp's
 * data, "" for NULL. For printf-style output of one field. */
const char *visible(strbuf *tmp, const char *s);
void strbuf_reset(strbuf *sb);
/* Return the buffer (never NULL) and leave sb empty; caller frees. */
char *strbuf_detach(strbuf *sb);
void strbuf_release(strbuf *sb);

/* ---- severities ---------------------------------------------------------- */

typedef enum severity {
    SEV_ERROR = 0,
    SEV_WARNING = 1,
    SEV_INFO = 2,
    SEV_STYLE = 3,
    SEV_NONE = 4 /* "--fail-on none": never fail */
} severity;

const char *severity_name(severity s);
/* Returns false if name is not a severity. */
bool severity_parse(const char *name, severity *out);

/* ---- root: every read of the analysed machine goes through it ------------ */

/* A host directory or file seen at a machine path, as a bind mount would show
 * it (`check --dotfiles` puts a repository and a machine's system directories
 * around a temporary home this way). Links inside it are still resolved in
 * the machine's name space: an absolute target starts again at the root.
 * As for mount(8), the directory above `at` must exist in the root. */
typedef struct root_mount {
    const char *at;   /* machine path, absolute, no trailing slash, not "/" */
    const char *host; /* host path shown there */
} root_mount;

typedef struct root {
    char *dir; /* host directory standing for "/", without trailing slash; "" for / */
    const root_mount *mounts; /* longest `at` that prefixes a path wins; may be NULL */
    size_t nmounts;
} root;

/* A root confines (dir not "" or mounts given): every path is resolved
 * inside it. The live machine (dir "", no mounts) is used as the kernel sees it. */
bool root_confined(const root *r);

/* Host path to open for a machine path ("/etc/profile"). Under a confining
 * root, every symlink is resolved inside the root first (root_resolve), so the
 * result holds no link that could lead out of it: open, opendir and stat of it
 * stay inside. A path that cannot be resolved (a loop, too long, or ".." after
 * a missing component) gives a host path that no system call can open
 * (ENAMETOOLONG); a missing file gives the path where it would be (ENOENT
 * then, or where a fix creates it). Live root: machine_path itself. Heap string. */
char *root_path(const root *r, const char *machine_path);
/* The host path of a machine path with nothing resolved (mounts applied):
 * for messages and cache keys, never to open under a confining root. */
char *root_join(const root *r, const char *machine_path);
/* The machine path of a host path under the root, or a copy of host_path. */
char *root_unpath(const root *r, const char *host_path);

/* File-system facts under the root (rootfs.c). lstat, stat and readlink of a
 * machine path are answered from a process-wide, thread-safe cache keyed by
 * host path, so each is asked of the kernel once per run. Paths under /proc,
 * /sys and /dev are never cached (their facts change). The cache is bounded:
 * past ROOT_CACHE_MAX_ENTRIES entries or ROOT_CACHE_MAX_BYTES of paths and
 * link targets, answers are given but not kept. */
#define ROOT_PATH_MAX 4096
#define ROOT_CACHE_MAX_ENTRIES 16384u
#define ROOT_CACHE_MAX_BYTES (8u * 1024u * 1024u)

struct stat;
/* Like lstat(2) and stat(2) of the machine path; under a confining root every
 * link on the way (all but the last for lstat and readlink) is resolved inside
 * it. 0, or -1 with errno set. */
int root_lstat(const root *r, const char *machine_path, struct stat *st);
int root_stat(const root *r, const char *machine_path, struct stat *st);
/* A symlink's target into buf[len], NUL-terminated (truncated to len-1 bytes);
 * returns its length, or -1 with errno set (EINVAL: not a symlink). */
ssize_t root_readlink(const root *r, const char *machine_path, char *buf, size_t len);
/* stat-based, through the cache: */
bool root_exists(const root *r, const char *machine_path);
bool root_is_dir(const root *r, const char *machine_path);
bool root_is_file(const root *r, const char *machine_path);
bool root_is_executable(const root *r, const char *machine_path); /* regular, some x bit */
/* Drop every cached fact. Whoever writes, renames or removes files under an
 * analysed root calls it before analysing again (the fix engine does). */
void root_cache_forget(void);
/* Forget and release the table itself (tests; the cache stays usable). */
void root_cache_free(void);
typedef struct root_cache_stats {
    size_t entries;       /* host paths kept now */
    size_t hits, misses;  /* questions answered from the cache / asked of the kernel */
} root_cache_stats;
root_cache_stats root_cache_get_stats(void);

/* Resolve a machine path's symlinks inside the root, component by component:
 * absolute targets start again at the root, ".." never climbs above it, at
 * most max_hops links are followed. out receives the resolved path; when
 * resolution stops early, the path as far as it got followed by the part not
 * yet resolved (info->stop is the length of the first part, which names the
 * missing component or the link one hop too many). */
typedef enum root_resolve_status {
    ROOT_RESOLVED = 0, /* every component exists; out holds no symlink */
    ROOT_MISSING,      /* a component is absent (a dangling link, or a plain missing file) */
    ROOT_LOOP,         /* more than max_hops links: a loop, in practice */
    ROOT_TOOLONG       /* over ROOT_PATH_MAX or a 255-byte name: out is the path as given */
} root_resolve_status;

/* Clean ".." and "." lexically before following links, as Go's filepath.Clean
 * would (a/link/.. is a, whatever link points to), instead of the kernel's way. */
#define ROOT_RESOLVE_LEXICAL 1u

typedef struct root_resolution {
    int hops;    /* links followed */
    size_t stop; /* see above; 0 when resolved */
    int err;     /* errno of the failed step, 0 when resolved */
} root_resolution;

root_resolve_status root_resolve(const root *r, const char *machine_path, unsigned flags,
                                 int max_hops, char *out, size_t outlen, root_resolution *info);

/* ---- source files -------------------------------------------------------- */

/* Files larger than this are refused with a clear message (documented bound). */
#define SOURCE_MAX_BYTES (16u * 1024u * 1024u)

typedef struct source_file {
    char *path;      /* as shown to users: machine path under --root, or as given */
    char *host_path; /* as opened on this host */
    char *data;      /* the bytes, NUL-terminated (embedded NULs possible) */
    size_t len;
    size_t *line_starts; /* byte offset of each line start */
    size_t nlines;
    size_t crlf_lines;   /* lines ending in \r\n */
    bool binary;         /* holds NUL bytes */
    bool valid_utf8;
    bool final_newline;
    bool have_sha256;     /* sha256 computed (lazily: only fixes need it) */
    unsigned char sha256[32]; /* read it through source_sha256() */
} source_file;

typedef enum source_error {
    SOURCE_OK = 0,
    SOURCE_ENOENT,
    SOURCE_EACCES,
    SOURCE_EISDIR,
    SOURCE_ENOTREG, /* FIFO, device, socket: never read (it could block) */
    SOURCE_ETOOBIG,
    SOURCE_EIO
} source_error;

struct stat;
/* Open a regular file of the analysed machine for reading: a device, FIFO or
 * socket is refused without being opened (opening one can act: a watchdog
 * armed, a tape rewound, a FIFO's writer released, or a block), checked
 * again on the open descriptor. -1 with errno set (EINVAL: not a regular
 * file, EISDIR: a directory). st (may be NULL) gets the file's status: on
 * success, and the type on EINVAL/EISDIR (st_mode 0 if unknown). */
int open_regular(const char *host_path, struct stat *st);
/* The same as a stdio stream ("r"), or NULL. */
FILE *fopen_regular(const char *host_path, struct stat *st);

/* Read a regular file without blocking on FIFOs or devices. On failure returns
 * NULL, sets *err and writes a one-line reason into why. */
source_file *source_load(const char *host_path, const char *display_path,
                         source_error *err, char *why, size_t whylen);
source_file *source_from_memory(const char *display_path, const char *data, size_t len);
void source_free(source_file *src);

/* 1-based line and column of a byte offset. Columns count UTF-8 characters;
 * a \r before \n is not part of the line. */
void source_position(const source_file *src, size_t offset, int *line, int *column);
/* Byte offset of a 1-based line and column. */
size_t source_offset(const source_file *src, int line, int column);
/* Text of a 1-based line without its \r\n; *len receives its length. */
const char *source_line(const source_file *src, int line, size_t *len);

/* A set of loaded sources, owned by the set, looked up by display path.
 * Reporters use it to show source lines; the fix engine to apply edits. */
typedef struct source_set {
    source_file **items;
    size_t n, cap;
} source_set;

void source_set_add(source_set *set, source_file *src); /* takes ownership */
source_file *source_set_find(const source_set *set, const char *display_path);
void source_set_release(source_set *set);

/* SHA-256 of the bytes as read, computed on first use. */
const unsigned char *source_sha256(const source_file *src);

void sha256_bytes(const void *data, size_t len, unsigned char out[32]);
void sha256_hex(const unsigned char digest[32], char out[65]);

/* ---- fixes --------------------------------------------------------------- */

typedef enum fix_applicability {
    FIX_SAFE = 0,    /* applied by --fix */
    FIX_UNSAFE = 1,  /* applied only with --unsafe-fixes */
    FIX_DISPLAY = 2  /* shown, never applied */
} fix_applicability;

const char *fix_applicability_name(fix_applicability a);

typedef struct fix_edit {
    char *file;       /* display path, same convention as finding.file */
    char *host_path;  /* where to write it */
    size_t start;     /* byte range replaced in the file as read */
    size_t end;
    int line, column, end_line, end_column; /* 1-based, for reporters */
    char *text;       /* replacement */
} fix_edit;

typedef struct fix {
    fix_applicability applicability;
    char *description;
    fix_edit *edits;
    size_t nedits;
    size_t capedits;  /* room in edits (grown geometrically) */
} fix;

/* ---- findings ------------------------------------------------------------ */

typedef struct finding {
    uint32_t uid;        /* stable within a run; links use it */
    char id[24];         /* "F1"... assigned by findings_sort */
    const char *rule;    /* "GE2001" */
    severity sev;
    char *file;          /* display path */
    int line, column, end_line, end_column;
    char *message;
    char **contexts;     /* sorted, unique */
    size_t ncontexts;
    uint32_t caused_by;  /* uid of the cause, 0 if none */
    uint32_t *causes;    /* uids of findings this one causes */
    size_t ncauses;
    fix *fix;            /* NULL if none */
} finding;

/* Findings live in the list's arena: a finding pointer stays valid until
 * findings_release. */
typedef struct finding_list {
    arena *a;
    finding **items;
    size_t n, cap;
    uint32_t next_uid;
} finding_list;

void findings_init(finding_list *fl);
void findings_release(finding_list *fl);

/* Add a finding located in src at the byte range [start, end). */
finding *finding_add(finding_list *fl, const char *rule, severity sev,
                     const source_file *src, size_t start, size_t end,
                     const char *fmt, ...) GE_PRINTF(7, 8);
/* Add a finding at explicit 1-based positions (files not loaded as sources). */
finding *finding_add_at(finding_list *fl, const char *rule, severity sev,
                        const char *file, int line, int column, int end_line,
                        int end_column, const char *fmt, ...) GE_PRINTF(9, 10);
void finding_add_context(finding_list *fl, finding *f, const char *context);
/* Record that cause explains symptom (both ends kept). */
void finding_link(finding_list *fl, finding *cause, finding *symptom);
finding *finding_by_uid(const finding_list *fl, uint32_t uid);

/* Attach a fix; edits are added with fix_add_edit. */
fix *finding_set_fix(finding_list *fl, finding *f, fix_applicability app,
                     const char *fmt, ...) GE_PRINTF(4, 5);
void fix_add_edit(finding_list *fl, fix *fx, const source_file *src,
                  size_t start, size_t end, const char *text);

/* Copy every finding of from (with contexts, fixes and links) into to. */
void findings_append_copy(finding_list *to, const finding_list *from);

/* Sort by file, line, column, rule, message; drop exact duplicates; assign
 * "F1".. ids. Deterministic whatever the insertion order. */
void findings_sort(finding_list *fl);
/* Count per severity (array of 4, indexed by severity). */
void findings_count(const finding_list *fl, size_t counts[4]);

/* ---- small utilities ----------------------------------------------------- */

/* Bounded copy into dst[dlen] (dlen > 0), always NUL-terminated, truncating. */
void str_copy(char *dst, size_t dlen, const char *src);
bool str_starts_with(const char *s, const char *prefix);
bool str_ends_with(const char *s, const char *suffix);
/* Heap helpers that abort on OOM. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Levenshtein distance, capped at cap+1 (for "did you mean"). */
size_t str_edit_distance(const char *a, const char *b, size_t cap);

#endif

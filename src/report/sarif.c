/*
 * sarif.c - SARIF 2.1.0 output for GitHub code scanning and SARIF viewers:
 * the rule registry as tool.driver.rules, one result per finding with a
 * physical location relative to the git repository root, a line-hash
 * fingerprint that survives edits elsewhere in the file, and fixes as
 * artifact replacements.
 */
#include "report/report.h"
#include "rules/rules.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

#ifndef GOLINT_ENV_SEMVER
#define GOLINT_ENV_SEMVER "0.0.0"
#endif
#ifndef GOLINT_ENV_DOCS_URL
#define GOLINT_ENV_DOCS_URL "file:///usr/local/share/doc/golint-env/rules"
#endif

/* JSON and XML must be UTF-8: invalid bytes become U+FFFD. */
char *report_utf8_clean(const char *s)
{
    strbuf sb = STRBUF_INIT;
    size_t len = strlen(s);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            strbuf_addc(&sb, (char)c);
            continue;
        }
        size_t n = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
        bool ok = n && i + n <= len;
        for (size_t k = 1; ok && k < n; k++)
            ok = ((unsigned char)s[i + k] & 0xc0) == 0x80;
        if (ok) {
            strbuf_add(&sb, s + i, n);
            i += n - 1;
        } else {
            strbuf_adds(&sb, "\xef\xbf\xbd");
        }
    }
    return strbuf_detach(&sb);
}

static void add_str(cJSON *obj, const char *key, const char *value)
{
    char *clean = report_utf8_clean(value ? value : "");
    cJSON_AddStringToObject(obj, key, clean);
    free(clean);
}

static void add_text(cJSON *obj, const char *key, const char *text)
{
    cJSON *m = cJSON_AddObjectToObject(obj, key);
    add_str(m, "text", text);
}

static const char *sarif_level(severity s)
{
    switch (s) {
    case SEV_ERROR: return "error";
    case SEV_WARNING: return "warning";
    default: return "note";
    }
}

char *report_repo_root(const char *start_dir)
{
    char cur[PATH_MAX];
    if (!start_dir || !realpath(start_dir, cur))
        return NULL;
    for (;;) {
        char probe[PATH_MAX + 8];
        struct stat st;
        snprintf(probe, sizeof(probe), "%s/.git", strcmp(cur, "/") ? cur : "");
        if (lstat(probe, &st) == 0)
            return xstrdup(cur);
        char *slash = strrchr(cur, '/');
        if (!slash || slash == cur)
            return NULL;
        *slash = '\0';
    }
}

/* Host path of a finding's file: under --root for machine paths, else as given
 * (relative to the working directory), with symlinks resolved when it exists. */
static char *host_path_of(const report_options *ro, const char *file)
{
    strbuf sb = STRBUF_INIT;
    if (file[0] == '/' && ro->root_dir && *ro->root_dir) /* its links resolved inside the root */
        return root_path(&(root){.dir = (char *)ro->root_dir}, file);
    if (file[0] == '/') {
        strbuf_adds(&sb, file);
    } else {
        char cwd[PATH_MAX];
        if (getcwd(cwd, sizeof(cwd)))
            strbuf_adds(&sb, cwd);
        strbuf_addc(&sb, '/');
        strbuf_adds(&sb, file);
    }
    char *path = strbuf_detach(&sb);
    char *real = realpath(path, NULL);
    if (real) {
        free(path);
        return real;
    }
    return path;
}

static void uri_escape(strbuf *sb, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~/!$&'()*+,;=:@", c)) {
            strbuf_addc(sb, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            strbuf_add(sb, e, 3);
        }
    }
}

/* The artifact URI: relative to the repository root when inside it
 * (uriBaseId SRCROOT), otherwise an absolute file: URI. */
static void add_artifact_location(cJSON *obj, const report_options *ro, const char *file)
{
    cJSON *loc = cJSON_AddObjectToObject(obj, "artifactLocation");
    char *host = host_path_of(ro, file);
    strbuf uri = STRBUF_INIT;
    size_t rl = ro->repo_root ? strlen(ro->repo_root) : 0;
    bool inside = rl > 0 && strncmp(host, ro->repo_root, rl) == 0 &&
                  (host[rl] == '/' || (rl == 1 && ro->repo_root[0] == '/'));
    if (inside) {
        uri_escape(&uri, host + rl + (host[rl] == '/'));
        cJSON_AddStringToObject(loc, "uri", uri.data ? uri.data : "");
        cJSON_AddStringToObject(loc, "uriBaseId", "SRCROOT");
    } else {
        strbuf_adds(&uri, "file://");
        uri_escape(&uri, host);
        cJSON_AddStringToObject(loc, "uri", uri.data);
    }
    strbuf_release(&uri);
    free(host);
}

static cJSON *region_new(int line, int column, int end_line, int end_column)
{
    cJSON *r = cJSON_CreateObject();
    if (line < 1) line = 1;
    if (column < 1) column = 1;
    if (end_line < line) end_line = line;
    if (end_column < 1 || (end_line == line && end_column < column)) end_column = column;
    cJSON_AddNumberToObject(r, "startLine", line);
    cJSON_AddNumberToObject(r, "startColumn", column);
    cJSON_AddNumberToObject(r, "endLine", end_line);
    cJSON_AddNumberToObject(r, "endColumn", end_column);
    return r;
}

/* One loaded file at a time: findings arrive sorted by file. */
typedef struct line_cache {
    char *file;
    source_file *own;        /* loaded here, freed here */
    const source_file *src;  /* own or from ro->sources */
} line_cache;

static const source_file *line_cache_get(line_cache *lc, const report_options *ro, const char *file)
{
    if (lc->file && strcmp(lc->file, file) == 0)
        return lc->src;
    free(lc->file);
    source_free(lc->own);
    lc->own = NULL;
    lc->src = NULL;
    lc->file = xstrdup(file);
    if (ro->sources)
        lc->src = source_set_find(ro->sources, file);
    if (!lc->src) {
        char *host = host_path_of(ro, file);
        source_error err;
        char why[256];
        lc->own = source_load(host, file, &err, why, sizeof(why));
        lc->src = lc->own;
        free(host);
    }
    return lc->src;
}

static void line_cache_release(line_cache *lc)
{
    free(lc->file);
    source_free(lc->own);
    memset(lc, 0, sizeof(*lc));
}

/* Hash of the finding's line with all whitespace removed, so re-indenting or
 * moving the line keeps the alert; ":N" numbers repeats of the same
 * (file, rule, hash) in order, as GitHub's own fingerprints do. */
typedef struct hash_seen {
    const char *file;
    const char *rule;
    char hash[17];
    unsigned count;
} hash_seen;

static void line_hash(const finding *f, const source_file *src, char out[17])
{
    strbuf sb = STRBUF_INIT;
    size_t len = 0;
    const char *text = src ? source_line(src, f->line, &len) : NULL;
    if (text) {
        for (size_t i = 0; i < len; i++)
            if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r' && text[i] != '\n')
                strbuf_addc(&sb, text[i]);
    } else {
        strbuf_adds(&sb, f->message); /* file gone: fall back on the message */
    }
    unsigned char d[32];
    char hex[65];
    sha256_bytes(sb.data ? sb.data : "", sb.len, d);
    sha256_hex(d, hex);
    memcpy(out, hex, 16);
    out[16] = '\0';
    strbuf_release(&sb);
}

static cJSON *rule_descriptor(const rule_info *r)
{
    cJSON *d = cJSON_CreateObject();
    add_str(d, "id", r->id);
    add_str(d, "name", r->name);
    add_text(d, "shortDescription", r->summary);
    add_text(d, "fullDescription", r->description);
    strbuf uri = STRBUF_INIT;
    strbuf_addf(&uri, "%s/%s.md", GOLINT_ENV_DOCS_URL, r->id);
    add_str(d, "helpUri", uri.data);
    strbuf_release(&uri);
    cJSON *help = cJSON_AddObjectToObject(d, "help");
    strbuf t = STRBUF_INIT, md = STRBUF_INIT;
    strbuf_addf(&t, "%s\n\n%s", r->summary, r->description);
    strbuf_addf(&md, "**%s** (%s): %s\n\n%s", r->id, r->name, r->summary, r->description);
    if (r->fix) {
        strbuf_addf(&t, "\n\nFix: %s", r->fix);
        strbuf_addf(&md, "\n\n**Fix:** %s", r->fix);
    }
    add_str(help, "text", t.data);
    add_str(help, "markdown", md.data);
    strbuf_release(&t);
    strbuf_release(&md);
    cJSON *conf = cJSON_AddObjectToObject(d, "defaultConfiguration");
    cJSON_AddStringToObject(conf, "level", sarif_level(r->sev));
    cJSON *props = cJSON_AddObjectToObject(d, "properties");
    cJSON *tags = cJSON_AddArrayToObject(props, "tags");
    cJSON_AddItemToArray(tags, cJSON_CreateString(r->family));
    cJSON_AddStringToObject(props, "severity", severity_name(r->sev));
    return d;
}

static cJSON *fix_object(const fix *fx, const report_options *ro)
{
    cJSON *o = cJSON_CreateObject();
    add_text(o, "description", fx->description);
    cJSON *changes = cJSON_AddArrayToObject(o, "artifactChanges");
    /* one artifactChange per file, in the order files first appear */
    for (size_t i = 0; i < fx->nedits; i++) {
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(fx->edits[k].file, fx->edits[i].file) == 0;
        if (seen)
            continue;
        cJSON *ch = cJSON_CreateObject();
        add_artifact_location(ch, ro, fx->edits[i].file);
        cJSON *reps = cJSON_AddArrayToObject(ch, "replacements");
        for (size_t k = i; k < fx->nedits; k++) {
            const fix_edit *e = &fx->edits[k];
            if (strcmp(e->file, fx->edits[i].file) != 0)
                continue;
            cJSON *rep = cJSON_CreateObject();
            cJSON *del = region_new(e->line, e->column, e->end_line, e->end_column);
            /* bytes too: a lone \r (CRLF fix) has no width in line/column terms */
            cJSON_AddNumberToObject(del, "byteOffset", (double)e->start);
            cJSON_AddNumberToObject(del, "byteLength", (double)(e->end - e->start));
            cJSON_AddItemToObject(rep, "deletedRegion", del);
            add_text(rep, "insertedContent", e->text);
            cJSON_AddItemToArray(reps, rep);
        }
        cJSON_AddItemToArray(changes, ch);
    }
    cJSON *props = cJSON_AddObjectToObject(o, "properties");
    cJSON_AddStringToObject(props, "applicability", fix_applicability_name(fx->applicability));
    return o;
}


static cJSON *location_of(const finding *f, const report_options *ro)
{
    cJSON *loc = cJSON_CreateObject();
    cJSON *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
    add_artifact_location(phys, ro, f->file);
    cJSON_AddItemToObject(phys, "region", region_new(f->line, f->column, f->end_line, f->end_column));
    return loc;
}

void report_sarif(strbuf *sb, const finding_list *fl, const report_options *ro)
{
    const rule_registry *reg = ro->registry;
    cJSON *log = cJSON_CreateObject();
    cJSON_AddStringToObject(log, "$schema", SARIF_SCHEMA);
    cJSON_AddStringToObject(log, "version", "2.1.0");
    cJSON *runs = cJSON_AddArrayToObject(log, "runs");
    cJSON *run = cJSON_CreateObject();
    cJSON_AddItemToArray(runs, run);

    cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
    cJSON_AddStringToObject(driver, "name", "golint-env");
    /* the release, not the git description: output stays the same across commits */
    cJSON_AddStringToObject(driver, "version", GOLINT_ENV_SEMVER);
    cJSON_AddStringToObject(driver, "semanticVersion", GOLINT_ENV_SEMVER);
    cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
    size_t nrules = 0;
    const char **rule_ids = NULL; /* index -> id, for ruleIndex */
    if (reg) {
        rule_ids = xcalloc(reg->n + fl->n + 1, sizeof(char *));
        for (size_t i = 0; i < reg->n; i++) {
            cJSON_AddItemToArray(rules, rule_descriptor(&reg->rules[i]));
            rule_ids[nrules++] = reg->rules[i].id;
        }
    } else {
        rule_ids = xcalloc(fl->n + 1, sizeof(char *));
    }
    /* rules a finding names but the registry lacks still get a descriptor */
    for (size_t i = 0; i < fl->n; i++) {
        size_t k = 0;
        while (k < nrules && strcmp(rule_ids[k], fl->items[i]->rule) != 0)
            k++;
        if (k == nrules) {
            cJSON *d = cJSON_CreateObject();
            add_str(d, "id", fl->items[i]->rule);
            cJSON_AddItemToArray(rules, d);
            rule_ids[nrules++] = fl->items[i]->rule;
        }
    }

    cJSON *bases = cJSON_AddObjectToObject(run, "originalUriBaseIds");
    add_text(cJSON_AddObjectToObject(bases, "SRCROOT"), "description",
             "the root of the git repository golint-env ran in");
    cJSON_AddStringToObject(run, "columnKind", "unicodeCodePoints");

    cJSON *results = cJSON_AddArrayToObject(run, "results");
    line_cache lc = {0};
    hash_seen *seen = xcalloc(fl->n + 1, sizeof(hash_seen));
    size_t nseen = 0;
    for (size_t i = 0; i < fl->n; i++) {
        const finding *f = fl->items[i];
        cJSON *r = cJSON_CreateObject();
        add_str(r, "ruleId", f->rule);
        for (size_t k = 0; k < nrules; k++)
            if (strcmp(rule_ids[k], f->rule) == 0) {
                cJSON_AddNumberToObject(r, "ruleIndex", (double)k);
                break;
            }
        cJSON_AddStringToObject(r, "level", sarif_level(f->sev));
        add_text(r, "message", f->message);
        cJSON *locs = cJSON_AddArrayToObject(r, "locations");
        cJSON_AddItemToArray(locs, location_of(f, ro));

        char hash[17];
        line_hash(f, line_cache_get(&lc, ro, f->file), hash);
        size_t k = 0;
        while (k < nseen && !(strcmp(seen[k].file, f->file) == 0 &&
                              strcmp(seen[k].rule, f->rule) == 0 &&
                              strcmp(seen[k].hash, hash) == 0))
            k++;
        if (k == nseen) {
            seen[nseen].file = f->file;
            seen[nseen].rule = f->rule;
            memcpy(seen[nseen].hash, hash, sizeof(hash));
            nseen++;
        }
        seen[k].count++;
        char fp[40];
        snprintf(fp, sizeof(fp), "%s:%u", hash, seen[k].count);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "partialFingerprints"),
                                "primaryLocationLineHash", fp);

        const finding *cause = f->caused_by ? finding_by_uid(fl, f->caused_by) : NULL;
        if (cause) {
            cJSON *rel = cJSON_AddArrayToObject(r, "relatedLocations");
            cJSON *loc = location_of(cause, ro);
            cJSON_AddNumberToObject(loc, "id", 0);
            strbuf msg = STRBUF_INIT;
            strbuf_addf(&msg, "caused by %s (%s): %s", cause->id, cause->rule, cause->message);
            add_text(loc, "message", msg.data);
            strbuf_release(&msg);
            cJSON_AddItemToArray(rel, loc);
        }
        if (f->fix && f->fix->nedits > 0) {
            cJSON *fixes = cJSON_AddArrayToObject(r, "fixes");
            cJSON_AddItemToArray(fixes, fix_object(f->fix, ro));
        }
        cJSON *props = cJSON_AddObjectToObject(r, "properties");
        add_str(props, "id", f->id);
        cJSON_AddStringToObject(props, "severity", severity_name(f->sev));
        if (f->ncontexts) {
            cJSON *ctx = cJSON_AddArrayToObject(props, "contexts");
            for (size_t c = 0; c < f->ncontexts; c++)
                cJSON_AddItemToArray(ctx, cJSON_CreateString(f->contexts[c]));
        }
        cJSON_AddItemToArray(results, r);
    }
    line_cache_release(&lc);
    free(seen);
    free(rule_ids);

    char *text = cJSON_Print(log);
    /* cJSON escapes C0 controls but prints C1 ones raw; as \u00NN they are
     * the same string and a terminal showing the log will not act on them.
     * Outside strings a JSON document has no byte above 0x7f. */
    for (const char *p = text; *p; p++) {
        if ((unsigned char)p[0] == 0xc2 && (unsigned char)p[1] >= 0x80 && (unsigned char)p[1] < 0xa0)
            strbuf_addf(sb, "\\u%04x", (unsigned char)*++p);
        else
            strbuf_addc(sb, *p);
    }
    strbuf_addc(sb, '\n');
    cJSON_free(text);
    cJSON_Delete(log);
}

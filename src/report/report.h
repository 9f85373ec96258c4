/*
 * report.h - findings out: text (with source line and caret), gcc, json,
 * and further formats (sarif, checkstyle, diff) as they land.
 */
#ifndef GOLINT_REPORT_H
#define GOLINT_REPORT_H

#include <stdio.h>

#include "core/core.h"
#include "fix/fix.h"

typedef enum report_format {
    FORMAT_TEXT = 0,
    FORMAT_JSON,
    FORMAT_GCC,
    FORMAT_SARIF,
    FORMAT_CHECKSTYLE,
    FORMAT_DIFF
} report_format;

const char *report_format_name(report_format f);
bool report_format_parse(const char *name, report_format *out);

typedef struct report_options {
    bool color;
    bool show_source;          /* text: source line and caret span */
    bool show_summary;         /* text: closing count line */
    const source_set *sources; /* for source lines; may be NULL */
    const void *registry;      /* const rule_registry *, for sarif rule metadata */
    const char *repo_root;     /* sarif: make URIs relative to it */
    const char *root_dir;      /* host dir of --root, to read files not in sources */
    bool unsafe_fixes;         /* diff: include unsafe fixes */
} report_options;

void report_text(FILE *out, const finding_list *fl, const report_options *ro);
void report_gcc(FILE *out, const finding_list *fl, const report_options *ro);
/* The DESIGN.md findings document; appends to sb. */
void report_json(strbuf *sb, const finding_list *fl, const report_options *ro);

/* SARIF 2.1.0 (tool.driver.rules from ro->registry, URIs relative to
 * ro->repo_root when inside it); appends to sb. */
void report_sarif(strbuf *sb, const finding_list *fl, const report_options *ro);
/* Checkstyle 4.5 XML as ShellCheck writes it; appends to sb. */
void report_checkstyle(strbuf *sb, const finding_list *fl, const report_options *ro);
/* Heap copy of s with invalid UTF-8 bytes replaced by U+FFFD. */
char *report_utf8_clean(const char *s);
/* Top of the git work tree holding start_dir (realpath, heap), or NULL. */
char *report_repo_root(const char *start_dir);

/* ---- diff (diff.c): fixes as one unified diff for `git apply` / `patch -p1` */

/* Unified diff of one file, old -> new, three lines of context; appends to sb
 * (nothing when equal). Labels are printed as given ("a/etc/profile", "/dev/null"). */
void diff_unified(strbuf *sb, const char *old_label, const char *new_label,
                  const char *old, size_t oldlen, const char *new, size_t newlen);
/* How a diff names a file: under --root (root_dir non-empty) the machine path
 * without its leading slash; otherwise relative to the current directory
 * (absolute paths elsewhere lose their leading slash). Heap string. */
char *diff_path(const char *display_path, const char *root_dir);
/* Every file a fix run changed (or would change) as one diff. */
void report_fix_diff(strbuf *sb, const fix_report *fr, const char *root_dir);
/* --format diff for commands without a reanalysis loop: one pass of every
 * fix --fix would apply, computed in memory. */
void report_diff(FILE *out, const finding_list *fl, const report_options *ro);

#endif

/*
 * parse.h - turning analysed files into trees and records with positions.
 * Shell goes through tree-sitter-bash; system configs (units, limits,
 * sysctl, cgconfig) through small table-driven parsers. Parsers never print:
 * problems come back as values with positions.
 */
#ifndef GOLINT_PARSE_H
#define GOLINT_PARSE_H

#include <tree_sitter/api.h>

#include "core/core.h"

/* ---- file kinds ---------------------------------------------------------- */

typedef enum file_kind {
    KIND_UNKNOWN = 0,
    KIND_SHELL,
    KIND_UNIT,     /* systemd unit or drop-in */
    KIND_SYSTEMD_CONF, /* system.conf, user.conf and their .d */
    KIND_LIMITS,   /* limits.conf, limits.d/NAME.conf */
    KIND_SYSCTL,   /* sysctl.conf, sysctl.d/NAME.conf */
    KIND_CGCONFIG, /* cgconfig.conf, cgconfig.d, cgrules.conf */
    KIND_ENVFILE   /* /etc/environment, EnvironmentFile=, go env -w file */
} file_kind;

const char *file_kind_name(file_kind k);
bool file_kind_parse(const char *name, file_kind *out); /* "unit", "shell", ... */
/* Guess from the path (name, folder) and, failing that, the content. */
file_kind file_kind_detect(const char *path, const source_file *src);

/* ---- shell --------------------------------------------------------------- */

typedef enum shell_dialect {
    SHELL_UNKNOWN = 0,
    SHELL_SH,
    SHELL_BASH,
    SHELL_ZSH
} shell_dialect;

const char *shell_dialect_name(shell_dialect d);
bool shell_dialect_parse(const char *name, shell_dialect *out); /* sh, bash, zsh, dash, ksh */
/* From a `# golint-env shell=` / `# shellcheck shell=` directive, the shebang,
 * then the file name (.zshrc, *.zsh, .bashrc, profile.d/x.sh ...). */
shell_dialect shell_dialect_detect(const source_file *src, const char *path);

typedef struct shell_parse_error {
    size_t start, end; /* byte range of an ERROR or MISSING region */
    bool missing;
} shell_parse_error;

typedef struct shell_tree {
    TSTree *tree;
    const source_file *src;
    shell_dialect dialect;
    bool timed_out;              /* parser gave up (see SHELL_PARSE_TIMEOUT_US) */
    shell_parse_error *errors;   /* outermost error regions, in order */
    size_t nerrors;
} shell_tree;

/* Parsing a file is bounded in time; past it the file is reported as too complex. */
#define SHELL_PARSE_TIMEOUT_US (5u * 1000u * 1000u)

/* Never NULL. On timeout tree->tree is NULL and timed_out is set. */
shell_tree *shell_parse(const source_file *src, shell_dialect dialect);
void shell_tree_free(shell_tree *t);
const TSLanguage *shell_language(void);
/* Bytes of a node, as a heap or arena string. */
char *shell_node_text(arena *a, const shell_tree *t, TSNode n);
bool shell_node_is(TSNode n, const char *type);

/* Pre-order walk without recursion (deep files cannot overflow the stack).
 * The callback returns false to skip the node's children. */
typedef bool (*shell_visit_fn)(TSNode n, void *ud);
void shell_walk(TSNode root, shell_visit_fn fn, void *ud);

#endif

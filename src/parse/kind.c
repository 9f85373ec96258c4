/* kind.c - which parser a file goes to: by name, folder, then content. */
#include "parse/parse.h"

#include <string.h>

static const char *const kind_names[] = {
    [KIND_UNKNOWN] = "unknown", [KIND_SHELL] = "shell", [KIND_UNIT] = "unit",
    [KIND_SYSTEMD_CONF] = "systemd-conf", [KIND_LIMITS] = "limits",
    [KIND_SYSCTL] = "sysctl", [KIND_CGCONFIG] = "cgconfig", [KIND_ENVFILE] = "envfile",
};

const char *file_kind_name(file_kind k)
{
    return (unsigned)k < GE_ARRAY_LEN(kind_names) ? kind_names[k] : "unknown";
}

bool file_kind_parse(const char *name, file_kind *out)
{
    for (size_t i = 1; i < GE_ARRAY_LEN(kind_names); i++) {
        if (strcmp(name, kind_names[i]) == 0) {
            *out = (file_kind)i;
            return true;
        }
    }
    return false;
}

static const char *const unit_suffixes[] = {
    ".service", ".socket", ".timer", ".target", ".mount", ".automount", ".path",
    ".slice", ".scope", ".swap", ".device",
};

/* The first meaningful lines of a file without a telling name: a [Section]
 * header of a unit or system.conf, "group NAME {" of cgconfig, "key = value"
 * with a sysctl namespace, or "domain type item value" of limits.conf. */
static const char *const unit_sections[] = {
    "[Unit]", "[Service]", "[Install]", "[Socket]", "[Timer]", "[Mount]", "[Path]",
    "[Automount]", "[Swap]", "[Slice]", "[Scope]",
};
static const char *const sysctl_namespaces[] = {
    "kernel.", "fs.", "net.", "vm.", "dev.", "user.", "abi.", "debug.", "sunrpc.",
    "kernel/", "fs/", "net/", "vm/",
};

static bool word_in(const char *s, size_t len, const char *w)
{
    size_t l = strlen(w);
    return len == l && memcmp(s, w, l) == 0;
}

/* A line only shell starts this way: a builtin that sets or reads the
 * environment (export, alias, source, ., unset, typeset ...), a test
 * (`[ `, `[[ `, if/for/while/case), a function (`name() {`) or an assignment
 * (`NAME=` with no blank before the '='). dotfiles repositories name such
 * files aliases, .exports, .functions, .path, zshrc.zsh-template ... */
static bool shell_line(const char *s, size_t len)
{
    static const char *const starts[] = {
        "export ", "alias ", "source ", ". ", "unset ", "typeset ", "declare ", "local ",
        "readonly ", "setopt ", "unsetopt ", "autoload ", "function ", "if ", "for ", "while ",
        "case ", "[ ", "[[ ", "test ", "eval ", "fpath=", "path=(", "zstyle ", "bindkey ",
        "shopt ", "umask ", "ulimit ", "complete ", "compdef ",
    };
    for (size_t i = 0; i < GE_ARRAY_LEN(starts); i++)
        if (len >= strlen(starts[i]) && memcmp(s, starts[i], strlen(starts[i])) == 0)
            return true;
    size_t i = 0;
    while (i < len && (s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
                       (i && s[i] >= '0' && s[i] <= '9')))
        i++;
    if (i == 0)
        return false;
    if (i < len && (s[i] == '=' || (s[i] == '+' && i + 1 < len && s[i + 1] == '=')))
        return true; /* NAME=value, NAME+=value */
    while (i < len && s[i] == ' ')
        i++;
    return len - i >= 2 && s[i] == '(' && s[i + 1] == ')'; /* name() { */
}

/* Line `line` without its indentation, or NULL when blank or a comment. */
static const char *meaningful_line(const source_file *src, int line, size_t *len)
{
    const char *s = source_line(src, line, len);
    while (*len && (*s == ' ' || *s == '\t'))
        s++, (*len)--;
    return !*len || *s == '#' || *s == ';' ? NULL : s;
}

static file_kind content_kind(const source_file *src)
{
    int votes_limits = 0, votes_sysctl = 0, votes_shell = 0, votes_other = 0;
    for (int line = 1; (size_t)line <= src->nlines && line <= 80; line++) {
        size_t len;
        const char *s = meaningful_line(src, line, &len);
        if (!s)
            continue;
        if (shell_line(s, len))
            votes_shell++;
        else
            votes_other++;
        for (size_t i = 0; i < GE_ARRAY_LEN(unit_sections); i++)
            if (len >= strlen(unit_sections[i]) && memcmp(s, unit_sections[i], strlen(unit_sections[i])) == 0)
                return KIND_UNIT;
        if (len >= 9 && memcmp(s, "[Manager]", 9) == 0)
            return KIND_SYSTEMD_CONF;
        if ((len > 6 && memcmp(s, "group ", 6) == 0 && memchr(s, '{', len)) ||
            (len > 9 && memcmp(s, "template ", 9) == 0 && memchr(s, '{', len)) ||
            (len >= 7 && memcmp(s, "mount {", 7) == 0))
            return KIND_CGCONFIG;
        const char *p = s[0] == '-' ? s + 1 : s;
        for (size_t i = 0; i < GE_ARRAY_LEN(sysctl_namespaces); i++)
            if (str_starts_with(p, sysctl_namespaces[i]) && memchr(s, '=', len))
                votes_sysctl++;
        /* domain type item value */
        const char *f[4];
        size_t fl[4], nf = 0, i = 0;
        while (i < len && nf < 4) {
            while (i < len && (s[i] == ' ' || s[i] == '\t'))
                i++;
            if (i >= len || s[i] == '#')
                break;
            f[nf] = s + i;
            while (i < len && s[i] != ' ' && s[i] != '\t')
                i++;
            fl[nf] = (size_t)(s + i - f[nf]);
            nf++;
        }
        if (nf == 4 && (word_in(f[1], fl[1], "soft") || word_in(f[1], fl[1], "hard") ||
                        word_in(f[1], fl[1], "-")) &&
            fl[2] < 32) {
            char item[32];
            memcpy(item, f[2], fl[2]);
            item[fl[2]] = '\0';
            if (limits_item_known(item))
                votes_limits++;
        }
    }
    if (votes_limits && votes_limits >= votes_sysctl)
        return KIND_LIMITS;
    if (votes_sysctl)
        return KIND_SYSCTL;
    return votes_shell && votes_shell >= (votes_other + 1) / 2 ? KIND_SHELL : KIND_UNKNOWN;
}

/* Whether the first meaningful line is a [Section] header, as every unit's
 * is; true without content to look at. */
static bool starts_with_section(const source_file *src)
{
    for (int line = 1; src && (size_t)line <= src->nlines; line++) {
        size_t len;
        const char *s = meaningful_line(src, line, &len);
        if (s)
            return *s == '[';
    }
    return true;
}

file_kind file_kind_detect(const char *path, const source_file *src)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    /* a unit has a name before its suffix and opens with a [Section]: a
     * dotfile named .path (a PATH list in many dotfiles repositories) is not
     * a path unit */
    for (size_t i = 0; i < GE_ARRAY_LEN(unit_suffixes); i++)
        if (str_ends_with(b, unit_suffixes[i]) && b[0] != '.' &&
            strlen(b) > strlen(unit_suffixes[i]) && starts_with_section(src))
            return KIND_UNIT;
    if (str_ends_with(b, ".conf") && b - path >= 3 && strncmp(b - 3, ".d/", 3) == 0) {
        /* drop-ins: foo.service.d/override.conf, type-wide service.d/x.conf */
        const char *dir = b - 3;
        const char *start = dir;
        while (start > path && start[-1] != '/')
            start--;
        size_t dlen = (size_t)(dir - start);
        for (size_t i = 0; i < GE_ARRAY_LEN(unit_suffixes); i++) {
            const char *suf = unit_suffixes[i];
            size_t l = strlen(suf);
            if ((dlen >= l && strncmp(dir - l, suf, l) == 0) ||
                (dlen == l - 1 && strncmp(start, suf + 1, l - 1) == 0))
                return KIND_UNIT;
        }
    }
    if (str_ends_with(b, ".conf")) {
        if (strstr(path, "limits.d/") || strcmp(b, "limits.conf") == 0)
            return KIND_LIMITS;
        if (strstr(path, "sysctl.d/") || strcmp(b, "sysctl.conf") == 0)
            return KIND_SYSCTL;
        if (strstr(path, "cgconfig.d/") || strcmp(b, "cgconfig.conf") == 0 || strcmp(b, "cgrules.conf") == 0)
            return KIND_CGCONFIG;
        if (strcmp(b, "system.conf") == 0 || strcmp(b, "user.conf") == 0 ||
            strstr(path, "system.conf.d/") || strstr(path, "user.conf.d/"))
            return KIND_SYSTEMD_CONF;
    }
    if (strcmp(b, "environment") == 0 || (strcmp(b, "env") == 0 && strstr(path, "go/env")))
        return KIND_ENVFILE;
    if (shell_dialect_detect(src, path) != SHELL_UNKNOWN)
        return KIND_SHELL;
    /* content: a unit section header, else treat as shell if it has a shebang */
    if (src && src->len) {
        if (src->data[0] == '#' && src->len > 1 && src->data[1] == '!')
            return KIND_SHELL;
        for (int line = 1; (size_t)line <= src->nlines && line <= 50; line++) {
            size_t len;
            const char *s = source_line(src, line, &len);
            if (len >= 6 && (strncmp(s, "[Unit]", 6) == 0 || strncmp(s, "[Service]", 9 <= len ? 9 : len) == 0))
                return KIND_UNIT;
        }
        return content_kind(src);
    }
    return KIND_UNKNOWN;
}

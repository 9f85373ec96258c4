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

file_kind file_kind_detect(const char *path, const source_file *src)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    for (size_t i = 0; i < GE_ARRAY_LEN(unit_suffixes); i++)
        if (str_ends_with(b, unit_suffixes[i]))
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
    }
    return KIND_UNKNOWN;
}

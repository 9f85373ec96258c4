/* goenv.c - what the Go runtime accepts in GOMAXPROCS, GOMEMLIMIT, GOGC and
 * GODEBUG (runtime/proc.go, runtime/mgcpacer.go, runtime/runtime1.go). */
#define GOLINT_SYSCONF_NO_SHORT_NAME 1
#include "sysconf/sysconf.h"

#include <stdio.h>
#include <string.h>

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

bool go_env_value_valid(const char *name, const char *value, char *why, size_t whylen)
{
    if (strcmp(name, "GOMAXPROCS") == 0) {
        if (all_digits(value) && strlen(value) <= 9 && strspn(value, "0") != strlen(value))
            return true;
        snprintf(why, whylen, "GOMAXPROCS must be a positive integer; the runtime ignores '%s' "
                              "and uses the number of CPUs", value);
        return false;
    }
    if (strcmp(name, "GOGC") == 0) {
        const char *v = value[0] == '-' ? value + 1 : value;
        if (strcmp(value, "off") == 0 || all_digits(v))
            return true;
        snprintf(why, whylen, "GOGC must be a percentage or 'off'; the runtime ignores '%s' and "
                              "uses 100", value);
        return false;
    }
    if (strcmp(name, "GOMEMLIMIT") == 0) {
        if (strcmp(value, "off") == 0)
            return true;
        size_t n = strspn(value, "0123456789");
        const char *unit = value + n;
        static const char *const units[] = {"", "B", "KiB", "MiB", "GiB", "TiB"};
        bool ok = n > 0;
        bool unit_ok = false;
        for (size_t i = 0; i < GE_ARRAY_LEN(units); i++)
            if (strcmp(unit, units[i]) == 0)
                unit_ok = true;
        if (ok && unit_ok)
            return true;
        const char *hint = "";
        if (n > 0 && (strcmp(unit, "MB") == 0 || strcmp(unit, "M") == 0 || strcmp(unit, "m") == 0 ||
                      strcmp(unit, "mb") == 0))
            hint = " (write MiB)";
        else if (n > 0 && (strcmp(unit, "GB") == 0 || strcmp(unit, "G") == 0 || strcmp(unit, "g") == 0 ||
                           strcmp(unit, "gb") == 0))
            hint = " (write GiB)";
        else if (n > 0 && (strcmp(unit, "KB") == 0 || strcmp(unit, "K") == 0 || strcmp(unit, "k") == 0))
            hint = " (write KiB)";
        snprintf(why, whylen, "GOMEMLIMIT takes bytes with an optional B, KiB, MiB, GiB or TiB "
                              "suffix, or 'off'%s; a Go program refuses to start with a malformed "
                              "value",
                 hint);
        return false;
    }
    if (strcmp(name, "GODEBUG") == 0) {
        const char *p = value;
        while (*p) {
            const char *e = strchr(p, ',');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            if (l > 0) {
                const char *eq = memchr(p, '=', l);
                if (!eq || eq == p || memchr(p, ' ', l)) {
                    snprintf(why, whylen, "GODEBUG entries are comma-separated name=value pairs; "
                                          "'%.*s' is not one and is ignored",
                             (int)(l > 60 ? 60 : l), p);
                    return false;
                }
            }
            if (!e)
                break;
            p = e + 1;
        }
        return true;
    }
    return true;
}

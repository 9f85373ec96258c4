/*
 * net_resolv.c - the resolver configuration a Go program sees: resolv.conf
 * (servers, search, options), the hosts line of nsswitch.conf, /etc/hosts,
 * GODEBUG netdns and which resolver Go picks (net/conf.go on Linux).
 * Pure parsing; reads go through the root, nothing touches the network.
 */
#include "live/live.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


/* Next line of text: [*pos, end). Returns false at the end. */
static bool next_line(const char *text, size_t len, size_t *pos, const char **line,
                      size_t *llen)
{
    if (*pos >= len)
        return false;
    const char *s = text + *pos;
    const char *nl = memchr(s, '\n', len - *pos);
    size_t n = nl ? (size_t)(nl - s) : len - *pos;
    *line = s;
    *llen = n;
    *pos += n + (nl ? 1 : 0);
    return true;
}

/* Split a line into at most max whitespace-separated fields copied into
 * bounded buffers; a field from '#' on is a comment when comment is set. */
#define FIELD_MAX 256
static size_t split_fields(const char *line, size_t len, char fields[][FIELD_MAX], size_t max,
                           bool comment)
{
    size_t n = 0, i = 0;
    while (i < len && n < max) {
        while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
            i++;
        if (i >= len || (comment && line[i] == '#'))
            break;
        size_t s = i;
        while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
            i++;
        size_t fl = i - s < FIELD_MAX - 1 ? i - s : FIELD_MAX - 1;
        memcpy(fields[n], line + s, fl);
        fields[n][fl] = '\0';
        n++;
    }
    return n;
}

static bool is_ip_literal(const char *s)
{
    unsigned char buf[16];
    char tmp[64];
    str_copy(tmp, sizeof tmp, s);
    char *pct = strchr(tmp, '%'); /* fe80::1%eth0 */
    if (pct)
        *pct = '\0';
    return inet_pton(AF_INET, tmp, buf) == 1 || inet_pton(AF_INET6, tmp, buf) == 1;
}

static int parse_small_int(const char *s)
{
    long v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        v = v * 10 + (*s - '0');
        if (v > 1000000)
            v = 1000000;
    }
    return (int)v;
}

static char *read_root_file(const root *r, const char *machine_path, size_t *len)
{
    char *host = root_path(r, machine_path);
    source_error err;
    char why[256];
    source_file *src = source_load(host, machine_path, &err, why, sizeof why);
    free(host);
    if (!src)
        return NULL;
    char *data = xmalloc(src->len + 1);
    memcpy(data, src->data, src->len);
    data[src->len] = '\0';
    *len = src->len;
    source_free(src);
    return data;
}

/* ---- resolv.conf --------------------------------------------------------- */

void resolv_conf_parse(resolv_conf *rc, const char *text, size_t len)
{
    rc->timeout = 5;
    rc->attempts = 2;
    rc->ndots = 1;
    size_t pos = 0, llen;
    const char *line;
    int lineno = 0;
    char f[16][FIELD_MAX];
    while (next_line(text, len, &pos, &line, &llen)) {
        lineno++;
        if (llen > 0 && (line[0] == '#' || line[0] == ';'))
            continue;
        size_t nf = split_fields(line, llen, f, GE_ARRAY_LEN(f), false);
        if (nf == 0)
            continue;
        if (strcmp(f[0], "nameserver") == 0) {
            if (nf < 2 || !is_ip_literal(f[1]))
                continue; /* both Go and glibc skip non-IP servers */
            if (rc->nns < NET_MAX_NAMESERVERS) {
                str_copy(rc->ns[rc->nns].addr, sizeof rc->ns[rc->nns].addr, f[1]);
                rc->ns[rc->nns].line = lineno;
                rc->nns++;
            } else {
                if (!rc->ignored_ns++)
                    rc->ignored_ns_line = lineno;
            }
        } else if (strcmp(f[0], "domain") == 0 || strcmp(f[0], "search") == 0) {
            rc->nsearch = 0;
            size_t lim = strcmp(f[0], "domain") == 0 ? 2 : nf;
            for (size_t i = 1; i < lim && rc->nsearch < NET_MAX_SEARCH; i++)
                str_copy(rc->search[rc->nsearch++], sizeof rc->search[0], f[i]);
        } else if (strcmp(f[0], "options") == 0) {
            rc->options_line = lineno;
            for (size_t i = 1; i < nf; i++) {
                const char *o = f[i];
                if (str_starts_with(o, "ndots:")) {
                    rc->ndots = parse_small_int(o + 6);
                    if (rc->ndots > 15)
                        rc->ndots = 15;
                } else if (str_starts_with(o, "timeout:")) {
                    rc->timeout = parse_small_int(o + 8);
                    if (rc->timeout < 1)
                        rc->timeout = 1;
                } else if (str_starts_with(o, "attempts:")) {
                    rc->attempts = parse_small_int(o + 9);
                    if (rc->attempts < 1)
                        rc->attempts = 1;
                } else if (strcmp(o, "rotate") == 0) {
                    rc->rotate = true;
                } else if (strcmp(o, "single-request") == 0 ||
                           strcmp(o, "single-request-reopen") == 0) {
                    rc->single_request = true;
                } else if (strcmp(o, "use-vc") == 0 || strcmp(o, "usevc") == 0 ||
                           strcmp(o, "tcp") == 0) {
                    rc->use_vc = true;
                } else if (strcmp(o, "edns0") == 0 || strcmp(o, "trust-ad") == 0 ||
                           strcmp(o, "no-reload") == 0) {
                    /* known to Go, no effect on timing */
                } else if (!rc->unknown_opt[0]) {
                    str_copy(rc->unknown_opt, sizeof rc->unknown_opt, o);
                    rc->unknown_opt_line = lineno;
                }
            }
        } else if (strcmp(f[0], "sortlist") == 0 || strcmp(f[0], "lookup") == 0) {
            /* glibc sortlist, OpenBSD lookup: no effect on Linux Go lookups */
        } else if (!rc->unknown_opt[0]) {
            str_copy(rc->unknown_opt, sizeof rc->unknown_opt, f[0]);
            rc->unknown_opt_line = lineno;
        }
    }
}

void resolv_conf_load(resolv_conf *rc, const root *r)
{
    memset(rc, 0, sizeof *rc);
    rc->path = xstrdup("/etc/resolv.conf");
    size_t len = 0;
    char *data = read_root_file(r, rc->path, &len);
    rc->found = data != NULL;
    resolv_conf_parse(rc, data ? data : "", data ? len : 0);
    free(data);
}

void resolv_conf_release(resolv_conf *rc)
{
    free(rc->path);
    rc->path = NULL;
}

long resolv_worst_delay_ms(const resolv_conf *rc, size_t dead_before_live, bool all_dead)
{
    long t = (long)(rc->timeout > 0 ? rc->timeout : 5) * 1000L;
    long a = rc->attempts > 0 ? rc->attempts : 2;
    size_t n = rc->nns ? rc->nns : 2; /* no nameserver: 127.0.0.1 and ::1 */
    if (all_dead)
        return t * a * (long)n;
    return t * (long)dead_before_live;
}

/* ---- nsswitch.conf ------------------------------------------------------- */

void nsswitch_hosts_parse(nsswitch_hosts *ns, const char *text, size_t len)
{
    memset(ns, 0, sizeof *ns);
    size_t pos = 0, llen;
    const char *line;
    int lineno = 0;
    while (next_line(text, len, &pos, &line, &llen)) {
        lineno++;
        size_t i = 0;
        while (i < llen && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (llen - i < 6 || strncmp(line + i, "hosts", 5) != 0)
            continue;
        size_t j = i + 5;
        while (j < llen && (line[j] == ' ' || line[j] == '\t'))
            j++;
        if (j >= llen || line[j] != ':')
            continue;
        j++;
        ns->found = true;
        ns->line = lineno;
        ns->nsrc = 0;
        char f[32][FIELD_MAX];
        size_t nf = split_fields(line + j, llen - j, f, GE_ARRAY_LEN(f), true);
        for (size_t k = 0; k < nf; k++) {
            if (f[k][0] == '[') {
                if (ns->nsrc == 0)
                    continue;
                nss_source *s = &ns->src[ns->nsrc - 1];
                /* criteria may be split over fields: "[NOTFOUND=return" "]" */
                size_t have = strlen(s->criteria);
                snprintf(s->criteria + have, sizeof s->criteria - have, "%s%s",
                         have ? " " : "", f[k]);
                while (!strchr(f[k], ']') && k + 1 < nf) {
                    k++;
                    have = strlen(s->criteria);
                    snprintf(s->criteria + have, sizeof s->criteria - have, " %s", f[k]);
                }
                continue;
            }
            if (ns->nsrc >= GE_ARRAY_LEN(ns->src))
                break;
            str_copy(ns->src[ns->nsrc].name, sizeof ns->src[0].name, f[k]);
            ns->src[ns->nsrc].criteria[0] = '\0';
            ns->nsrc++;
        }
    }
}

void nsswitch_hosts_load(nsswitch_hosts *ns, const root *r)
{
    size_t len = 0;
    char *data = read_root_file(r, "/etc/nsswitch.conf", &len);
    nsswitch_hosts_parse(ns, data ? data : "", data ? len : 0);
    free(data);
}

static bool is_go_source(const char *name)
{
    return strcmp(name, "files") == 0 || strcmp(name, "dns") == 0 ||
           strcmp(name, "myhostname") == 0;
}

size_t nsswitch_go_skipped(const nsswitch_hosts *ns, char *out, size_t outlen)
{
    size_t n = 0, o = 0;
    if (outlen)
        out[0] = '\0';
    for (size_t i = 0; i < ns->nsrc; i++) {
        if (is_go_source(ns->src[i].name))
            continue;
        if (o < outlen) {
            int w = snprintf(out + o, outlen - o, "%s%s", n ? " " : "", ns->src[i].name);
            if (w > 0)
                o += (size_t)w;
        }
        n++;
    }
    return n;
}

/* Go's standardCriteria: only the defaults success=return and
 * notfound/unavail/tryagain=continue. */
static bool standard_criteria(const char *crit)
{
    char buf[64];
    str_copy(buf, sizeof buf, crit);
    char *save = NULL;
    for (char *tok = strtok_r(buf, "[] \t", &save); tok; tok = strtok_r(NULL, "[] \t", &save)) {
        if (tok[0] == '!')
            return false;
        char *eq = strchr(tok, '=');
        if (!eq)
            return false;
        *eq = '\0';
        const char *st = tok, *act = eq + 1;
        if (strcasecmp(st, "success") == 0) {
            if (strcasecmp(act, "return") != 0)
                return false;
        } else if (strcasecmp(st, "notfound") == 0 || strcasecmp(st, "unavail") == 0 ||
                   strcasecmp(st, "tryagain") == 0) {
            if (strcasecmp(act, "continue") != 0)
                return false;
        } else {
            return false;
        }
    }
    return true;
}

/* ---- GODEBUG netdns ------------------------------------------------------ */

netdns_mode netdns_parse(const char *godebug)
{
    netdns_mode m = {false, false, 0};
    if (!godebug)
        return m;
    const char *p = godebug;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n > 7 && strncmp(p, "netdns=", 7) == 0) {
            char val[64];
            size_t vl = n - 7 < sizeof val - 1 ? n - 7 : sizeof val - 1;
            memcpy(val, p + 7, vl);
            val[vl] = '\0';
            m.forced_go = m.forced_cgo = false;
            m.debug = 0;
            char *save = NULL;
            for (char *part = strtok_r(val, "+", &save); part; part = strtok_r(NULL, "+", &save)) {
                if (isdigit((unsigned char)part[0]))
                    m.debug = parse_small_int(part);
                else if (strcmp(part, "go") == 0)
                    m.forced_go = true;
                else if (strcmp(part, "cgo") == 0)
                    m.forced_cgo = true;
            }
        }
        if (!end)
            break;
        p = end + 1;
    }
    return m;
}

net_go_resolver netdns_pick(netdns_mode m, bool binary_has_cgo, const nsswitch_hosts *ns,
                            const resolv_conf *rc, char *why, size_t whylen)
{
    if (m.forced_go) {
        snprintf(why, whylen, "GODEBUG netdns=go forces Go's resolver");
        return GO_RESOLVER_GO;
    }
    if (!binary_has_cgo) {
        snprintf(why, whylen, "the binary is built without cgo, so only Go's resolver exists");
        return GO_RESOLVER_GO;
    }
    if (m.forced_cgo) {
        snprintf(why, whylen, "GODEBUG netdns=cgo forces getaddrinfo");
        return GO_RESOLVER_CGO;
    }
    if (rc && rc->unknown_opt[0]) {
        snprintf(why, whylen, "resolv.conf has \"%s\", which Go does not understand",
                 rc->unknown_opt);
        return GO_RESOLVER_CGO;
    }
    if (ns && ns->found) {
        for (size_t i = 0; i < ns->nsrc; i++) {
            const nss_source *s = &ns->src[i];
            if (strcmp(s->name, "myhostname") == 0)
                continue;
            if (!is_go_source(s->name)) {
                snprintf(why, whylen, "nsswitch.conf lists %s, which Go's resolver does not "
                         "implement", s->name);
                return GO_RESOLVER_CGO;
            }
            if (s->criteria[0] && !standard_criteria(s->criteria)) {
                snprintf(why, whylen, "nsswitch.conf has %s %s, a non-default action",
                         s->name, s->criteria);
                return GO_RESOLVER_CGO;
            }
        }
    }
    snprintf(why, whylen, "nsswitch.conf and resolv.conf hold nothing Go cannot do itself");
    return GO_RESOLVER_GO;
}

/* ---- /etc/hosts ---------------------------------------------------------- */

size_t hosts_lookup(const root *r, const char *name, char addrs[][64], size_t max)
{
    size_t len = 0, n = 0;
    char *data = read_root_file(r, "/etc/hosts", &len);
    if (!data)
        return 0;
    size_t pos = 0, llen;
    const char *line;
    char f[16][FIELD_MAX];
    while (n < max && next_line(data, len, &pos, &line, &llen)) {
        size_t nf = split_fields(line, llen, f, GE_ARRAY_LEN(f), true);
        if (nf < 2 || !is_ip_literal(f[0]))
            continue;
        for (size_t i = 1; i < nf; i++) {
            size_t nl = strlen(f[i]);
            bool dot = nl && f[i][nl - 1] == '.';
            if (strcasecmp(f[i], name) == 0 ||
                (dot && strlen(name) == nl - 1 && strncasecmp(f[i], name, nl - 1) == 0)) {
                str_copy(addrs[n++], 64, f[0]);
                break;
            }
        }
    }
    free(data);
    return n;
}

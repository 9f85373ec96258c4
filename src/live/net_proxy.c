/*
 * net_proxy.c - what Go makes of GOPROXY, GOSUMDB, GOPRIVATE and the proxy
 * variables: cmd/go's proxy list (modfetch/proxy.go), the sumdb URL, and
 * net/http's proxy choice (golang.org/x/net/http/httpproxy). Pure functions.
 */
#include "live/live.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


static const char *const net_var_names[NETV_COUNT] = {
    [NETV_GOPROXY] = "GOPROXY",         [NETV_GOSUMDB] = "GOSUMDB",
    [NETV_GOPRIVATE] = "GOPRIVATE",     [NETV_GONOPROXY] = "GONOPROXY",
    [NETV_GONOSUMDB] = "GONOSUMDB",     [NETV_HTTPS_PROXY] = "HTTPS_PROXY",
    [NETV_HTTP_PROXY] = "HTTP_PROXY",   [NETV_NO_PROXY] = "NO_PROXY",
    [NETV_REQUEST_METHOD] = "REQUEST_METHOD",
    [NETV_SSL_CERT_FILE] = "SSL_CERT_FILE", [NETV_SSL_CERT_DIR] = "SSL_CERT_DIR",
    [NETV_GODEBUG] = "GODEBUG",
};

const char *net_var_name(net_var v)
{
    return (unsigned)v < NETV_COUNT ? net_var_names[v] : "?";
}

const char *net_layer_name(net_layer l)
{
    static const char *const names[] = {"none", "DNS", "TCP", "TLS", "HTTP", "proxy"};
    return (unsigned)l < GE_ARRAY_LEN(names) ? names[l] : "?";
}

static void copy_trim(char *dst, size_t dlen, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n >= dlen)
        n = dlen - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

size_t goproxy_parse(const char *value, goproxy_entry *out, size_t max)
{
    if (!value || !*value)
        value = "https://proxy.golang.org,direct";
    size_t n = 0;
    const char *p = value;
    while (*p && n < max) {
        size_t len = strcspn(p, ",|");
        char sep = p[len];
        char word[512];
        copy_trim(word, sizeof word, p, len);
        p += len + (sep ? 1 : 0);
        if (!word[0])
            continue;
        goproxy_entry *e = &out[n];
        memset(e, 0, sizeof *e);
        e->fall_back_on_error = sep == '|';
        if (strcmp(word, "off") == 0 || strcmp(word, "direct") == 0) {
            /* cmd/go ignores whatever follows either */
            e->kind = word[0] == 'o' ? GOPROXY_OFF : GOPROXY_DIRECT;
            str_copy(e->url, sizeof e->url, word);
            n++;
            break;
        }
        if (strpbrk(word, ".:/") && !strstr(word, ":/") && word[0] != '/')
            snprintf(e->url, sizeof e->url, "https://%.500s", word);
        else
            str_copy(e->url, sizeof e->url, word);
        e->kind = str_starts_with(e->url, "file://") ? GOPROXY_FILE : GOPROXY_URL;
        n++;
    }
    if (n)
        out[n - 1].last = true;
    return n;
}

bool gosumdb_url(const char *value, char *url, size_t urllen)
{
    if (!value || !*value)
        value = "sum.golang.org";
    char name[256] = "", u[512] = "";
    if (sscanf(value, "%255s %511s", name, u) < 1)
        return false;
    if (strcmp(name, "off") == 0)
        return false;
    if (u[0]) {
        snprintf(url, urllen, "%s%s", strstr(u, "://") ? "" : "https://", u);
        return true;
    }
    char *plus = strchr(name, '+');
    if (plus)
        *plus = '\0';
    if (strcmp(name, "sum.golang.google.cn") == 0)
        snprintf(url, urllen, "https://sum.golang.google.cn");
    else
        snprintf(url, urllen, "https://%s", name);
    return true;
}

size_t goprivate_hosts(const char *value, char hosts[][256], size_t max)
{
    size_t n = 0;
    if (!value)
        return 0;
    const char *p = value;
    while (*p && n < max) {
        size_t len = strcspn(p, ",");
        char pat[256];
        copy_trim(pat, sizeof pat, p, len);
        p += len + (p[len] ? 1 : 0);
        char *slash = strchr(pat, '/');
        if (slash)
            *slash = '\0';
        if (!pat[0] || strpbrk(pat, "*?[\\") || !strchr(pat, '.'))
            continue;
        bool dup = false;
        for (size_t i = 0; i < n; i++)
            dup = dup || strcasecmp(hosts[i], pat) == 0;
        if (!dup)
            str_copy(hosts[n++], 256, pat);
    }
    return n;
}

bool url_split(const char *url, char *scheme, size_t slen, char *host, size_t hlen, int *port,
               char *path, size_t plen)
{
    const char *sep = strstr(url, "://");
    if (!sep || sep == url)
        return false;
    snprintf(scheme, slen, "%.*s", (int)(sep - url), url);
    for (char *c = scheme; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    const char *a = sep + 3;
    size_t alen = strcspn(a, "/?#");
    const char *rest = a + alen;
    /* drop userinfo */
    const char *at = NULL;
    for (size_t i = 0; i < alen; i++)
        if (a[i] == '@')
            at = a + i;
    if (at) {
        alen -= (size_t)(at + 1 - a);
        a = at + 1;
    }
    *port = 0;
    const char *hs = a;
    size_t hl = alen;
    if (alen && a[0] == '[') {
        const char *rb = memchr(a, ']', alen);
        if (!rb)
            return false;
        hs = a + 1;
        hl = (size_t)(rb - a - 1);
        if (rb + 1 < a + alen && rb[1] == ':')
            *port = atoi(rb + 2);
    } else {
        const char *colon = memchr(a, ':', alen);
        if (colon) {
            hl = (size_t)(colon - a);
            *port = atoi(colon + 1);
        }
    }
    if (hl == 0 || hl >= hlen)
        return false;
    memcpy(host, hs, hl);
    host[hl] = '\0';
    for (char *c = host; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    if (*port <= 0 || *port > 65535)
        *port = strcmp(scheme, "https") == 0 ? 443 : strcmp(scheme, "http") == 0 ? 80
              : str_starts_with(scheme, "socks5") ? 1080 : 0;
    if (path)
        str_copy(path, plen, *rest ? rest : "/");
    return true;
}

/* ---- NO_PROXY, as httpproxy's matchers ----------------------------------- */

static bool parse_ip(const char *s, unsigned char out[16], int *family)
{
    if (inet_pton(AF_INET, s, out) == 1) {
        *family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, s, out) == 1) {
        *family = AF_INET6;
        return true;
    }
    return false;
}

static bool cidr_contains(const char *cidr, const unsigned char ip[16], int fam)
{
    char buf[128];
    str_copy(buf, sizeof buf, cidr);
    char *slash = strchr(buf, '/');
    if (!slash)
        return false;
    *slash = '\0';
    unsigned char net[16];
    int nf;
    if (!parse_ip(buf, net, &nf) || nf != fam)
        return false;
    int bits = atoi(slash + 1), max = fam == AF_INET ? 32 : 128;
    if (bits < 0 || bits > max)
        return false;
    for (int i = 0; i < bits; i++) {
        int byte = i / 8, bit = 7 - i % 8;
        if (((net[byte] >> bit) & 1) != ((ip[byte] >> bit) & 1))
            return false;
    }
    return true;
}

bool no_proxy_match(const char *no_proxy, const char *host, int port)
{
    if (!no_proxy || !*no_proxy)
        return false;
    char h[256];
    copy_trim(h, sizeof h, host, strlen(host));
    for (char *c = h; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    unsigned char ip[16];
    int fam = 0;
    bool is_ip = parse_ip(h, ip, &fam);
    const char *p = no_proxy;
    while (*p) {
        size_t len = strcspn(p, ",");
        char e[256];
        copy_trim(e, sizeof e, p, len);
        p += len + (p[len] ? 1 : 0);
        for (char *c = e; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        if (!e[0])
            continue;
        if (strcmp(e, "*") == 0)
            return true;
        if (strchr(e, '/')) { /* CIDR */
            if (is_ip && cidr_contains(e, ip, fam))
                return true;
            continue;
        }
        /* optional :port; IPv6 must be bracketed to carry one */
        char eh[256];
        int eport = 0;
        str_copy(eh, sizeof eh, e);
        if (eh[0] == '[') {
            char *rb = strchr(eh, ']');
            if (rb) {
                if (rb[1] == ':')
                    eport = atoi(rb + 2);
                *rb = '\0';
                memmove(eh, eh + 1, strlen(eh));
            }
        } else {
            char *colon = strchr(eh, ':');
            if (colon && !strchr(colon + 1, ':')) {
                eport = atoi(colon + 1);
                *colon = '\0';
            }
        }
        unsigned char eip[16];
        int efam;
        if (parse_ip(eh, eip, &efam)) {
            if (is_ip && efam == fam && memcmp(eip, ip, fam == AF_INET ? 4 : 16) == 0 &&
                (eport == 0 || eport == port))
                return true;
            continue;
        }
        if (!eh[0])
            continue;
        const char *d = eh;
        if (str_starts_with(d, "*."))
            d++;
        bool match_host = d[0] != '.';
        char dom[260];
        snprintf(dom, sizeof dom, "%s%s", match_host ? "." : "", d);
        size_t hl = strlen(h), dl = strlen(dom);
        bool m = (hl >= dl && strcmp(h + hl - dl, dom) == 0) ||
                 (match_host && strcmp(h, dom + 1) == 0);
        if (m && (eport == 0 || eport == port))
            return true;
    }
    return false;
}

bool proxy_for_url(const proxy_env *pe, const char *target_url, char *out, size_t outlen,
                   char *why, size_t whylen)
{
    out[0] = '\0';
    if (why && whylen)
        why[0] = '\0';
    char scheme[16], host[256];
    int port;
    if (!url_split(target_url, scheme, sizeof scheme, host, sizeof host, &port, NULL, 0))
        return true;
    const char *proxy = strcmp(scheme, "https") == 0 ? pe->https_proxy
                        : strcmp(scheme, "http") == 0 ? pe->http_proxy : NULL;
    if (!proxy || !*proxy)
        return true;
    if (strcmp(host, "localhost") == 0)
        return true;
    unsigned char ip[16];
    int fam;
    if (parse_ip(host, ip, &fam)) {
        bool loop = fam == AF_INET ? ip[0] == 127
                                   : (memcmp(ip, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16) == 0);
        if (loop)
            return true;
    }
    if (no_proxy_match(pe->no_proxy, host, port))
        return true;
    char pu[512];
    copy_trim(pu, sizeof pu, proxy, strlen(proxy));
    char full[560];
    snprintf(full, sizeof full, "%s%s", strstr(pu, "://") ? "" : "http://", pu);
    char ps[16], ph[256];
    int pp;
    if (!url_split(full, ps, sizeof ps, ph, sizeof ph, &pp, NULL, 0)) {
        snprintf(why, whylen, "invalid proxy address \"%s\"", pu);
        return false;
    }
    if (strcmp(ps, "http") != 0 && strcmp(ps, "https") != 0 && strcmp(ps, "socks5") != 0 &&
        strcmp(ps, "socks5h") != 0) {
        snprintf(why, whylen, "proxy scheme \"%s\" is not supported by Go's net/http", ps);
        return false;
    }
    str_copy(out, outlen, full);
    return true;
}

/*
 * net_probe.c - the network stage of doctor: resolver configuration
 * findings, then DNS probes (net_dns.c) and libcurl multi probes of every
 * GOPROXY entry, GOSUMDB and GOPRIVATE host, all driven by one poll loop
 * under one deadline. Each failure is named at its layer (DNS, TCP, TLS,
 * HTTP, proxy) in Go's own words and pinned to the line that caused it.
 */
#include "live/live.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "live/net_curl.h"


#define MAX_ENDPOINTS 64
#define MAX_USES 256
#define MAX_NAMES 32
#define CA_MAX_BYTES (16u * 1024u * 1024u)
#define CA_FILE_MAX (2u * 1024u * 1024u)

typedef enum ep_role { ROLE_GOPROXY, ROLE_GOSUMDB, ROLE_GOPRIVATE } ep_role;
typedef enum ep_state { EP_WAIT_DNS, EP_RUNNING, EP_DONE } ep_state;

typedef struct ep_use {
    size_t ctx;
    ep_role role;
    goproxy_entry entry;        /* ROLE_GOPROXY */
    char next[512];             /* the entry after it, "" if last */
} ep_use;

typedef struct endpoint {
    ep_role role;
    char url[512];              /* what is fetched */
    char host[256];             /* host of url */
    int port;
    bool https;
    char proxy[512];            /* "" direct */
    char proxy_host[256];
    int proxy_port;
    net_var proxy_var;          /* which variable set it */
    char ca_file[512], ca_dir[1024]; /* SSL_CERT_FILE / SSL_CERT_DIR of the context */
    size_t first_ctx;
    int tls_max;                /* 12 or 13 */
    /* resolution of the host we connect to (target or proxy) */
    const char *dial_host;
    int dial_port;
    int name_idx;               /* index in names[], -1: IP literal or /etc/hosts */
    char addrs[8][64];
    size_t naddrs;
    bool from_hosts;
    bool dns_timeout;           /* no nameserver answered before the deadline */
    ep_state state;
    int64_t dns_done_ms;
    /* outcome */
    net_layer layer;
    int klass;                  /* the rule it maps to, 0 if fine */
    char error[384];
    long status;
    long dns_ms, connect_ms, tls_ms, first_byte_ms, total_ms;
#ifdef GOLINT_ENV_HAVE_CURL
    CURL *easy;
    char errbuf[CURL_ERROR_SIZE];
    struct curl_slist *resolve;
    size_t body;
    bool no_roots;              /* no CA certificate at all: verify after the handshake */
#endif
} endpoint;

typedef struct probe_run {
    const net_probe_options *opt;
    finding_list *out;
    size_t first_finding;       /* findings before ours are not merged with */
    resolv_conf rc;
    nsswitch_hosts nss;
    net_context default_ctx;
    const net_context *ctx;
    size_t nctx;
    endpoint ep[MAX_ENDPOINTS];
    size_t nep;
    ep_use uses[MAX_USES];
    size_t nuses;
    size_t use_ep[MAX_USES];
    char names[MAX_NAMES][256];
    size_t nnames;
    const char *servers[NET_MAX_NAMESERVERS + 2];
    int server_line[NET_MAX_NAMESERVERS + 2];
    size_t nservers;
    int64_t start, deadline;
    int dns_port;
    dns_probe *dns;
    finding *dns_cause;         /* GE7002 when every nameserver is silent */
} probe_run;

/* ---- findings: one per rule/place/message, contexts merged ---------------- */

static finding *emit(probe_run *pr, const char *ctx, const char *rule, severity sev,
                     const char *file, int line, const char *fmt, ...) GE_PRINTF(7, 8);

static finding *emit(probe_run *pr, const char *ctx, const char *rule, severity sev,
                     const char *file, int line, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    finding_list *fl = pr->out;
    for (size_t i = pr->first_finding; i < fl->n; i++) {
        finding *f = fl->items[i];
        if (strcmp(f->rule, rule) == 0 && f->line == (line > 0 ? line : 1) &&
            strcmp(f->file, file) == 0 && strcmp(f->message, msg) == 0) {
            if (ctx)
                finding_add_context(fl, f, ctx);
            return f;
        }
    }
    finding *f = finding_add_at(fl, rule, sev, file, line, 1, line, 1, "%s", msg);
    if (ctx)
        finding_add_context(fl, f, ctx);
    return f;
}

/* Where a variable of a context was set (see live.h for the default). */
static void var_loc(const probe_run *pr, size_t ctx, net_var v, const char **file, int *line)
{
    const net_value *nv = &pr->ctx[ctx].v[v];
    if (nv->value && nv->file) {
        *file = nv->file;
        *line = nv->line > 0 ? nv->line : 1;
    } else if (pr->opt->default_file) {
        *file = pr->opt->default_file;
        *line = pr->opt->default_line > 0 ? pr->opt->default_line : 1;
    } else {
        *file = "$GOROOT/go.env";
        *line = 1;
    }
}

static const char *ctx_name(const probe_run *pr, size_t ctx)
{
    return pr->ctx[ctx].name ? pr->ctx[ctx].name : "default";
}

static const char *val(const probe_run *pr, size_t ctx, net_var v)
{
    return pr->ctx[ctx].v[v].value;
}

static void progress(probe_run *pr, const char *fmt, ...) GE_PRINTF(2, 3);
static void progress(probe_run *pr, const char *fmt, ...)
{
    if (!pr->opt->progress)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    pr->opt->progress(pr->opt->progress_arg, line);
}

/* ---- configuration findings (no traffic) ---------------------------------- */

static void config_findings(probe_run *pr)
{
    const resolv_conf *rc = &pr->rc;
    if (rc->nns == 0) {
        emit(pr, NULL, "GE7005", SEV_WARNING, rc->path, 1,
             "%s has no usable nameserver line: Go's resolver falls back to 127.0.0.1:53 and "
             "[::1]:53 (DNS)", rc->found ? rc->path : "/etc/resolv.conf (missing)");
    }
    if (rc->ignored_ns) {
        emit(pr, NULL, "GE7006", SEV_WARNING, rc->path, rc->ignored_ns_line,
             "nameserver line ignored: glibc and Go use only the first %d nameservers "
             "(%zu more listed) (DNS)", NET_MAX_NAMESERVERS, rc->ignored_ns);
    }
    if (rc->unknown_opt[0]) {
        emit(pr, NULL, "GE7008", SEV_INFO, rc->path, rc->unknown_opt_line,
             "resolv.conf has \"%s\", which Go's resolver does not understand: programs "
             "built with cgo hand every lookup to getaddrinfo instead (DNS)",
             rc->unknown_opt);
    }
    char skipped[256];
    if (pr->nss.found && nsswitch_go_skipped(&pr->nss, skipped, sizeof skipped) > 0) {
        for (size_t c = 0; c < pr->nctx; c++) {
            netdns_mode m = netdns_parse(val(pr, c, NETV_GODEBUG));
            char why[256];
            net_go_resolver r = netdns_pick(m, pr->ctx[c].binary_has_cgo, &pr->nss, rc, why,
                                            sizeof why);
            if (r == GO_RESOLVER_GO)
                emit(pr, ctx_name(pr, c), "GE7007", m.forced_go ? SEV_WARNING : SEV_INFO,
                     "/etc/nsswitch.conf", pr->nss.line,
                     "Go's own resolver skips %s on the hosts line (%s): only /etc/hosts and "
                     "the nameservers in resolv.conf are asked, so names served only by "
                     "those modules (mDNS .local names, systemd-resolved per-link DNS) "
                     "give \"no such host\" (DNS)", skipped, why);
            else
                emit(pr, ctx_name(pr, c), "GE7007", SEV_INFO, "/etc/nsswitch.conf",
                     pr->nss.line,
                     "hosts line lists %s, which Go's own resolver does not implement: "
                     "cgo programs use getaddrinfo (%s), but the go command of go.dev releases (no cgo) and "
                     "CGO_ENABLED=0 or GODEBUG=netdns=go programs skip %s (DNS)",
                     skipped, why, skipped);
        }
    }
    for (size_t c = 0; c < pr->nctx; c++) {
        const char *cn = ctx_name(pr, c);
        const char *hp = val(pr, c, NETV_HTTP_PROXY), *sp = val(pr, c, NETV_HTTPS_PROXY);
        if (hp && *hp && (!sp || !*sp)) {
            const char *f;
            int l;
            var_loc(pr, c, NETV_HTTP_PROXY, &f, &l);
            emit(pr, cn, "GE7023", SEV_INFO, f, l,
                 "HTTP_PROXY is set but HTTPS_PROXY is not: Go uses HTTP_PROXY only for "
                 "http:// URLs, so https:// GOPROXY and GOSUMDB requests go direct (proxy)");
        }
        const char *cf = val(pr, c, NETV_SSL_CERT_FILE);
        if (cf && *cf && !root_is_file(pr->opt->root, cf)) {
            const char *f;
            int l;
            var_loc(pr, c, NETV_SSL_CERT_FILE, &f, &l);
            emit(pr, cn, "GE7024", SEV_WARNING, f, l,
                 "SSL_CERT_FILE=%s does not exist: Go then trusts only the certificates in "
                 "SSL_CERT_DIR or the system directories, and may fail with \"x509: "
                 "certificate signed by unknown authority\" (TLS)", cf);
        }
        const char *cd = val(pr, c, NETV_SSL_CERT_DIR);
        if (cd && *cd) {
            char dirs[1024];
            str_copy(dirs, sizeof dirs, cd);
            char *save = NULL;
            for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
                if (root_is_dir(pr->opt->root, d))
                    continue;
                const char *f;
                int l;
                var_loc(pr, c, NETV_SSL_CERT_DIR, &f, &l);
                emit(pr, cn, "GE7024", SEV_WARNING, f, l,
                     "SSL_CERT_DIR entry %s is not a directory: Go finds no certificates "
                     "there (TLS)", d);
            }
        }
    }
}

/* ---- endpoints ----------------------------------------------------------- */

static size_t name_index(probe_run *pr, const char *host)
{
    for (size_t i = 0; i < pr->nnames; i++)
        if (strcasecmp(pr->names[i], host) == 0)
            return i;
    if (pr->nnames >= MAX_NAMES)
        return (size_t)-1;
    str_copy(pr->names[pr->nnames], sizeof pr->names[0], host);
    return pr->nnames++;
}

static bool is_ip(const char *h)
{
    unsigned char b[16];
    return inet_pton(AF_INET, h, b) == 1 || inet_pton(AF_INET6, h, b) == 1;
}

static void add_use(probe_run *pr, size_t ctx, ep_role role, const char *url,
                    const goproxy_entry *entry, const char *next)
{
    char scheme[16], host[256];
    int port;
    if (!url_split(url, scheme, sizeof scheme, host, sizeof host, &port, NULL, 0))
        return;
    if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
        return;
    proxy_env pe = {val(pr, ctx, NETV_HTTPS_PROXY), val(pr, ctx, NETV_HTTP_PROXY),
                    val(pr, ctx, NETV_NO_PROXY)};
    char proxy[512], why[256];
    if (!proxy_for_url(&pe, url, proxy, sizeof proxy, why, sizeof why)) {
        net_var pv = strcmp(scheme, "https") == 0 ? NETV_HTTPS_PROXY : NETV_HTTP_PROXY;
        const char *f;
        int l;
        var_loc(pr, ctx, pv, &f, &l);
        emit(pr, ctx_name(pr, ctx), "GE7022", SEV_ERROR, f, l,
             "%s: Go's net/http fails every request to %s with it (proxy)", why, url);
        return;
    }
    if (strcmp(scheme, "http") == 0 && proxy[0] && val(pr, ctx, NETV_REQUEST_METHOD)) {
        /* httpproxy refuses HTTP_PROXY under CGI (golang.org/s/cgihttpproxy) */
        proxy[0] = '\0';
    }
    const char *cf = val(pr, ctx, NETV_SSL_CERT_FILE), *cd = val(pr, ctx, NETV_SSL_CERT_DIR);
    size_t e;
    for (e = 0; e < pr->nep; e++) {
        endpoint *p = &pr->ep[e];
        if (p->role == role && strcmp(p->url, url) == 0 && strcmp(p->proxy, proxy) == 0 &&
            strcmp(p->ca_file, cf ? cf : "") == 0 && strcmp(p->ca_dir, cd ? cd : "") == 0)
            break;
    }
    if (e == pr->nep) {
        if (pr->nep >= MAX_ENDPOINTS)
            return;
        endpoint *p = &pr->ep[pr->nep++];
        memset(p, 0, sizeof *p);
        p->role = role;
        str_copy(p->url, sizeof p->url, url);
        str_copy(p->host, sizeof p->host, host);
        p->port = port;
        p->https = strcmp(scheme, "https") == 0;
        str_copy(p->proxy, sizeof p->proxy, proxy);
        p->proxy_var = p->https ? NETV_HTTPS_PROXY : NETV_HTTP_PROXY;
        str_copy(p->ca_file, sizeof p->ca_file, cf ? cf : "");
        str_copy(p->ca_dir, sizeof p->ca_dir, cd ? cd : "");
        p->first_ctx = ctx;
        p->tls_max = pr->opt->tls_max == 12 ? 12 : 13;
        p->dns_ms = p->connect_ms = p->tls_ms = p->first_byte_ms = p->total_ms = -1;
        p->name_idx = -1;
        if (proxy[0]) {
            char ps[16];
            url_split(proxy, ps, sizeof ps, p->proxy_host, sizeof p->proxy_host,
                      &p->proxy_port, NULL, 0);
            p->dial_host = p->proxy_host;
            p->dial_port = p->proxy_port;
        } else {
            p->dial_host = p->host;
            p->dial_port = p->port;
        }
        if (is_ip(p->dial_host)) {
            str_copy(p->addrs[0], 64, p->dial_host);
            p->naddrs = 1;
        } else {
            p->naddrs = hosts_lookup(pr->opt->root, p->dial_host, p->addrs, 8);
            p->from_hosts = p->naddrs > 0;
            if (!p->naddrs) {
                size_t ni = name_index(pr, p->dial_host);
                p->name_idx = ni == (size_t)-1 ? -1 : (int)ni;
            }
        }
    }
    if (pr->nuses >= MAX_USES)
        return;
    ep_use *u = &pr->uses[pr->nuses];
    memset(u, 0, sizeof *u);
    u->ctx = ctx;
    u->role = role;
    if (entry)
        u->entry = *entry;
    str_copy(u->next, sizeof u->next, next ? next : "");
    pr->use_ep[pr->nuses++] = e;
}

static void collect_endpoints(probe_run *pr)
{
    const char *module = pr->opt->module ? pr->opt->module : "golang.org/x/text";
    for (size_t c = 0; c < pr->nctx; c++) {
        goproxy_entry ents[16];
        size_t n = goproxy_parse(val(pr, c, NETV_GOPROXY), ents, GE_ARRAY_LEN(ents));
        for (size_t i = 0; i < n; i++) {
            if (ents[i].kind != GOPROXY_URL)
                continue;
            char url[700];
            size_t ul = strlen(ents[i].url);
            snprintf(url, sizeof url, "%.*s/%s/@v/list", (int)(ul && ents[i].url[ul - 1] == '/'
                     ? ul - 1 : ul), ents[i].url, module);
            add_use(pr, c, ROLE_GOPROXY, url, &ents[i], i + 1 < n ? ents[i + 1].url : "");
        }
        char sum[512];
        if (gosumdb_url(val(pr, c, NETV_GOSUMDB), sum, sizeof sum)) {
            char url[600];
            size_t sl = strlen(sum);
            snprintf(url, sizeof url, "%.*s/latest", (int)(sl && sum[sl - 1] == '/' ? sl - 1 : sl),
                     sum);
            add_use(pr, c, ROLE_GOSUMDB, url, NULL, NULL);
        }
        char hosts[16][256];
        size_t nh = goprivate_hosts(val(pr, c, NETV_GOPRIVATE), hosts, 16);
        for (size_t i = 0; i < nh; i++) {
            char url[300];
            int pport = pr->opt->goprivate_port > 0 ? pr->opt->goprivate_port : 443;
            snprintf(url, sizeof url, "http://%s:%d/", hosts[i], pport);
            add_use(pr, c, ROLE_GOPRIVATE, url, NULL, NULL);
        }
    }
    /* the baseline: every nameserver is asked for sum.golang.org too */
    name_index(pr, "sum.golang.org");
}

/* ---- CA bundle as Go builds it (crypto/x509 root_unix.go) ------------------ */

static const char *const go_cert_files[] = {
    "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem", "/etc/pki/tls/cacert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", "/etc/ssl/cert.pem",
};
static const char *const go_cert_dirs[] = {"/etc/ssl/certs", "/etc/pki/tls/certs"};

static bool append_file(strbuf *sb, const char *host_path)
{
    struct stat st;
    FILE *f = fopen_regular(host_path, &st);
    if (!f)
        return false;
    if ((size_t)st.st_size > CA_FILE_MAX || sb->len + (size_t)st.st_size > CA_MAX_BYTES) {
        fclose(f);
        return false;
    }
    char buf[8192];
    size_t r;
    while ((r = fread(buf, 1, sizeof buf, f)) > 0)
        strbuf_add(sb, buf, r);
    strbuf_addc(sb, '\n');
    fclose(f);
    return true;
}

static void ca_bundle(const root *r, const char *cert_file, const char *cert_dir, strbuf *sb)
{
    if (cert_file && *cert_file) {
        char *h = root_path(r, cert_file);
        append_file(sb, h);
        free(h);
    } else {
        for (size_t i = 0; i < GE_ARRAY_LEN(go_cert_files); i++) {
            char *h = root_path(r, go_cert_files[i]);
            bool ok = append_file(sb, h);
            free(h);
            if (ok)
                break;
        }
    }
    char dirs[1024];
    if (cert_dir && *cert_dir)
        str_copy(dirs, sizeof dirs, cert_dir);
    else
        snprintf(dirs, sizeof dirs, "%s:%s", go_cert_dirs[0], go_cert_dirs[1]);
    char *save = NULL;
    for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        char *hd = root_path(r, d);
        DIR *dir = opendir(hd);
        if (dir) {
            struct dirent *de;
            for (int guard = 0; guard < 4096 && (de = readdir(dir)); guard++) {
                if (de->d_name[0] == '.')
                    continue;
                char p[2048];
                snprintf(p, sizeof p, "%s/%s", hd, de->d_name);
                append_file(sb, p);
            }
            closedir(dir);
        }
        free(hd);
    }
}

/* ---- probes with libcurl -------------------------------------------------- */

enum {
    K_OK = 0, K_NXDOMAIN, K_REFUSED, K_TIMEOUT, K_TLSVER, K_AUTHORITY, K_HOSTNAME, K_EXPIRED,
    K_NOTFOUND, K_5XX, K_407, K_OTHER, K_PROXY_DOWN, K_DNS_FAIL
};

static void ep_fail(endpoint *p, int klass, net_layer layer, const char *fmt, ...)
    GE_PRINTF(4, 5);
static void ep_fail(endpoint *p, int klass, net_layer layer, const char *fmt, ...)
{
    p->klass = klass;
    p->layer = layer;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->error, sizeof p->error, fmt, ap);
    va_end(ap);
    p->state = EP_DONE;
}

#ifdef GOLINT_ENV_HAVE_CURL

static size_t discard_body(char *ptr, size_t size, size_t nmemb, void *arg)
{
    (void)ptr;
    endpoint *p = arg;
    p->body += size * nmemb;
    return p->body > (1u << 20) ? 0 : size * nmemb; /* never read more than 1 MiB */
}

static curl_off_t us_of(CURL *e, CURLINFO what)
{
    curl_off_t v = 0;
    if (curl_easy_getinfo(e, what, &v) != CURLE_OK)
        return 0;
    return v;
}

/* Step durations from libcurl's cumulative microsecond clocks; -1 for a
 * step not reached. */
static void ep_times(endpoint *p)
{
    curl_off_t nl = us_of(p->easy, CURLINFO_NAMELOOKUP_TIME_T);
    curl_off_t co = us_of(p->easy, CURLINFO_CONNECT_TIME_T);
    curl_off_t ap = us_of(p->easy, CURLINFO_APPCONNECT_TIME_T);
    curl_off_t st = us_of(p->easy, CURLINFO_STARTTRANSFER_TIME_T);
    curl_off_t to = us_of(p->easy, CURLINFO_TOTAL_TIME_T);
    p->connect_ms = co > 0 ? (long)((co - nl) / 1000) : -1;
    p->tls_ms = (p->https && ap > 0) ? (long)((ap - co) / 1000) : -1;
    p->first_byte_ms = st > 0 ? (long)((st - (ap > 0 ? ap : co)) / 1000) : -1;
    p->total_ms = (long)(to / 1000);
}

static bool ep_start(probe_run *pr, CURLM *multi, endpoint *p, const char *ca, size_t calen)
{
    CURL *e = curl_easy_init();
    if (!e)
        return false;
    p->easy = e;
    int64_t left = pr->deadline - net_now_ms();
    if (left < 1)
        left = 1;
    curl_easy_setopt(e, CURLOPT_URL, p->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, p);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, p->errbuf);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075700
    curl_easy_setopt(e, CURLOPT_QUICK_EXIT, 1L);
#endif
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)left);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)left);
    curl_easy_setopt(e, CURLOPT_PROXY, p->proxy); /* "" disables curl's own env lookup */
    curl_easy_setopt(e, CURLOPT_NOPROXY, "");
    curl_easy_setopt(e, CURLOPT_USERAGENT, "Go-http-client/1.1");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, p);
    long ver = CURL_SSLVERSION_TLSv1_2 |
               (pr->opt->tls_max == 12 ? CURL_SSLVERSION_MAX_TLSv1_2 : CURL_SSLVERSION_MAX_TLSv1_3);
    curl_easy_setopt(e, CURLOPT_SSLVERSION, ver);
    curl_easy_setopt(e, CURLOPT_PROXY_SSLVERSION, ver);
    struct curl_blob blob = {(void *)ca, calen, CURL_BLOB_COPY};
    curl_easy_setopt(e, CURLOPT_CAINFO, NULL);
    curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
    curl_easy_setopt(e, CURLOPT_PROXY_CAINFO, NULL);
    curl_easy_setopt(e, CURLOPT_PROXY_CAPATH, NULL);
    p->no_roots = calen == 0 || !memmem(ca, calen, "-----BEGIN CERTIFICATE-----", 27);
    if (p->no_roots) {
        /* Go still shakes hands and then rejects the chain: do the same, and
         * judge the chain afterwards (ep_classify) */
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
        curl_easy_setopt(e, CURLOPT_PROXY_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(e, CURLOPT_PROXY_SSL_VERIFYHOST, 0L);
    } else {
        curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &blob);
        curl_easy_setopt(e, CURLOPT_PROXY_CAINFO_BLOB, &blob);
    }
    if (p->role == ROLE_GOPRIVATE) {
        curl_easy_setopt(e, CURLOPT_CONNECT_ONLY, 1L);
        if (p->proxy[0])
            curl_easy_setopt(e, CURLOPT_HTTPPROXYTUNNEL, 1L);
    }
    if (p->naddrs) {
        char line[700];
        int o = snprintf(line, sizeof line, "%s:%d:", p->dial_host, p->dial_port);
        for (size_t i = 0; i < p->naddrs && o > 0 && (size_t)o < sizeof line; i++) {
            bool v6 = strchr(p->addrs[i], ':') != NULL;
            o += snprintf(line + o, sizeof line - (size_t)o, "%s%s%s%s", i ? "," : "",
                          v6 ? "[" : "", p->addrs[i], v6 ? "]" : "");
        }
        p->resolve = curl_slist_append(NULL, line);
        curl_easy_setopt(e, CURLOPT_RESOLVE, p->resolve);
    }
    if (curl_multi_add_handle(multi, e) != CURLM_OK)
        return false;
    p->state = EP_RUNNING;
    return true;
}

/* Go's words for what curl saw, by layer. */
static void ep_classify(endpoint *p, CURLcode rc)
{
    long code = 0, connect_code = 0, verify = 0, oserr = 0;
    curl_easy_getinfo(p->easy, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_getinfo(p->easy, CURLINFO_HTTP_CONNECTCODE, &connect_code);
    curl_easy_getinfo(p->easy, CURLINFO_SSL_VERIFYRESULT, &verify);
    curl_easy_getinfo(p->easy, CURLINFO_OS_ERRNO, &oserr);
    ep_times(p);
    p->status = code;
    p->state = EP_DONE;
    const char *eb = p->errbuf[0] ? p->errbuf : curl_easy_strerror(rc);
    bool via = p->proxy[0] != '\0';
    if (via && connect_code == 407)
        return ep_fail(p, K_407, NET_LAYER_PROXY, "proxy %s answered 407 Proxy Authentication "
                       "Required to CONNECT %s:%d", p->proxy_host, p->host, p->port);
    if (via && connect_code >= 300)
        return ep_fail(p, K_OTHER, NET_LAYER_PROXY, "proxy %s answered %ld to CONNECT %s:%d",
                       p->proxy_host, connect_code, p->host, p->port);
    if (p->no_roots && p->https && rc == CURLE_OK)
        return ep_fail(p, K_AUTHORITY, NET_LAYER_TLS, "x509: certificate signed by unknown "
                       "authority (no trusted root certificates found: SSL_CERT_FILE, "
                       "SSL_CERT_DIR and the system bundle are empty or missing)");
    switch (rc) {
    case CURLE_OK:
        if (p->role == ROLE_GOPRIVATE || (code >= 200 && code < 300))
            return;
        if (code == 404 || code == 410)
            return ep_fail(p, K_NOTFOUND, NET_LAYER_HTTP, "%ld %s", code,
                           code == 404 ? "Not Found" : "Gone");
        if (code == 407)
            return ep_fail(p, K_407, NET_LAYER_PROXY, "407 Proxy Authentication Required "
                           "from proxy %s", p->proxy_host);
        if (code >= 500)
            return ep_fail(p, K_5XX, NET_LAYER_HTTP, "%ld server error", code);
        return ep_fail(p, K_OTHER, NET_LAYER_HTTP, "unexpected HTTP status %ld", code);
    case CURLE_COULDNT_CONNECT:
        if (via)
            return ep_fail(p, K_PROXY_DOWN, NET_LAYER_PROXY, "proxyconnect tcp: dial tcp "
                           "%s:%d: connect: %s", p->proxy_host, p->proxy_port,
                           oserr ? strerror((int)oserr) : "failed");
        if (oserr == ECONNREFUSED || strstr(eb, "refused"))
            return ep_fail(p, K_REFUSED, NET_LAYER_TCP, "dial tcp %s:%d: connect: connection "
                           "refused", p->naddrs ? p->addrs[0] : p->host, p->port);
        return ep_fail(p, K_REFUSED, NET_LAYER_TCP, "dial tcp %s:%d: connect: %s",
                       p->naddrs ? p->addrs[0] : p->host, p->port,
                       oserr ? strerror((int)oserr) : eb);
    case CURLE_OPERATION_TIMEDOUT: {
        curl_off_t co = 0, ap = 0;
        long lport = 0;
        curl_easy_getinfo(p->easy, CURLINFO_CONNECT_TIME_T, &co);
        curl_easy_getinfo(p->easy, CURLINFO_APPCONNECT_TIME_T, &ap);
        /* libcurl stamps the connect time only once TLS is done too; a local
         * port says the TCP connection itself was made */
        curl_easy_getinfo(p->easy, CURLINFO_LOCAL_PORT, &lport);
        if (co <= 0 && lport <= 0)
            return ep_fail(p, K_TIMEOUT, via ? NET_LAYER_PROXY : NET_LAYER_TCP,
                           "dial tcp %s:%d: i/o timeout (no TCP connection)",
                           via ? p->proxy_host : (p->naddrs ? p->addrs[0] : p->host),
                           via ? p->proxy_port : p->port);
        if (via && connect_code == 0 && p->https)
            return ep_fail(p, K_TIMEOUT, NET_LAYER_PROXY, "proxy %s accepted the connection "
                           "but did not answer CONNECT %s:%d", p->proxy_host, p->host, p->port);
        if (p->https && ap <= 0)
            return ep_fail(p, K_TIMEOUT, NET_LAYER_TLS, "net/http: TLS handshake timeout");
        return ep_fail(p, K_TIMEOUT, NET_LAYER_HTTP, "net/http: timeout awaiting response "
                       "headers");
    }
    case CURLE_PEER_FAILED_VERIFICATION:
        if (verify == 10 || verify == 9)
            return ep_fail(p, K_EXPIRED, NET_LAYER_TLS, "x509: certificate has expired or is "
                           "not yet valid (%s)", eb);
        if (verify == 0 || strstr(eb, "subject name") || strstr(eb, "host name"))
            return ep_fail(p, K_HOSTNAME, NET_LAYER_TLS, "x509: certificate is not valid for "
                           "%s (%s)", p->host, eb);
        return ep_fail(p, K_AUTHORITY, NET_LAYER_TLS, "x509: certificate signed by unknown "
                       "authority (%s)", eb);
    case CURLE_SSL_CONNECT_ERROR:
        if (strstr(eb, "version") || strstr(eb, "no protocols"))
            return ep_fail(p, K_TLSVER, NET_LAYER_TLS, "tls: protocol version not supported: "
                           "client offers TLS 1.2%s, the server none of them (%s)",
                           p->tls_max == 12 ? " only" : "-1.3", eb);
        if (strstr(eb, "expired"))
            return ep_fail(p, K_EXPIRED, NET_LAYER_TLS, "x509: certificate has expired or is "
                           "not yet valid (%s)", eb);
        return ep_fail(p, K_OTHER, NET_LAYER_TLS, "TLS handshake failed: %s", eb);
    case CURLE_SSL_CACERT_BADFILE:
        return ep_fail(p, K_AUTHORITY, NET_LAYER_TLS, "x509: certificate signed by unknown "
                       "authority (no trusted root certificates found: SSL_CERT_FILE, "
                       "SSL_CERT_DIR and the system bundle are empty or missing)");
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
        return ep_fail(p, K_NXDOMAIN, NET_LAYER_DNS, "lookup %s: no such host", p->dial_host);
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
        return ep_fail(p, K_OTHER, via && connect_code == 0 ? NET_LAYER_PROXY : NET_LAYER_HTTP,
                       "%s", eb);
    default:
        return ep_fail(p, K_OTHER, NET_LAYER_HTTP, "%s", eb);
    }
}

#endif /* GOLINT_ENV_HAVE_CURL */

/* ---- DNS outcome per endpoint --------------------------------------------- */

static void ep_dns_ready(probe_run *pr, endpoint *p, const dns_answer *a, size_t server,
                         int64_t now)
{
    p->dns_ms = (long)(now - pr->start);
    p->dns_done_ms = now;
    if (a->rcode == ns_r_nxdomain || (a->rcode == 0 && a->naddrs == 0)) {
        ep_fail(p, p->proxy[0] ? K_PROXY_DOWN : K_NXDOMAIN, NET_LAYER_DNS,
                "%sdial tcp: lookup %s on %s%s%s:%d: no such host (%s)",
                p->proxy[0] ? "proxyconnect tcp: " : "", p->dial_host,
                strchr(pr->servers[server], ':') ? "[" : "", pr->servers[server],
                strchr(pr->servers[server], ':') ? "]" : "", pr->dns_port, a->rcode == ns_r_nxdomain ? "NXDOMAIN" : "no A/AAAA records");
        return;
    }
    for (size_t i = 0; i < a->naddrs && i < 8; i++)
        memcpy(p->addrs[i], a->addrs[i], 64);
    p->naddrs = a->naddrs < 8 ? a->naddrs : 8;
}

/* Every server settled without a usable answer (refused, SERVFAIL). */
static bool dns_all_failed(probe_run *pr, size_t name)
{
    for (size_t s = 0; s < pr->nservers; s++) {
        const dns_answer *a = dns_probe_answer(pr->dns, s, name);
        if (!a || (!a->refused && a->rcode < 0))
            return false;
        if (!a->refused && a->rcode != ns_r_servfail && a->rcode != ns_r_refused)
            return false;
    }
    return pr->nservers > 0;
}

/* ---- the loop ------------------------------------------------------------- */

static void run_probes(probe_run *pr)
{
    int port = pr->opt->dns_port;
    if (port <= 0) {
        const char *e = getenv("GOLINT_ENV_DNS_PORT");
        port = e && atoi(e) > 0 && atoi(e) < 65536 ? atoi(e) : 53;
    }
    if (pr->rc.nns) {
        for (size_t i = 0; i < pr->rc.nns; i++) {
            pr->servers[i] = pr->rc.ns[i].addr;
            pr->server_line[i] = pr->rc.ns[i].line;
        }
        pr->nservers = pr->rc.nns;
    } else {
        pr->servers[0] = "127.0.0.1";
        pr->servers[1] = "::1";
        pr->server_line[0] = pr->server_line[1] = 1;
        pr->nservers = 2;
    }
    const char *names[MAX_NAMES];
    for (size_t i = 0; i < pr->nnames; i++)
        names[i] = pr->names[i];
    pr->dns_port = port;
    pr->dns = dns_probe_start(pr->servers, pr->nservers, port, names, pr->nnames, pr->deadline);
    progress(pr, "probing %zu nameserver%s and %zu endpoint%s (deadline %.1f s)", pr->nservers,
             pr->nservers == 1 ? "" : "s", pr->nep, pr->nep == 1 ? "" : "s",
             (double)(pr->deadline - pr->start) / 1000.0);

    /* CA bundles, one per distinct SSL_CERT_FILE/SSL_CERT_DIR pair */
    strbuf ca[MAX_ENDPOINTS];
    int ca_of[MAX_ENDPOINTS];
    size_t nca = 0;
    for (size_t e = 0; e < pr->nep; e++) {
        ca_of[e] = -1;
        for (size_t k = 0; k < e; k++)
            if (strcmp(pr->ep[k].ca_file, pr->ep[e].ca_file) == 0 &&
                strcmp(pr->ep[k].ca_dir, pr->ep[e].ca_dir) == 0)
                ca_of[e] = ca_of[k];
        if (ca_of[e] < 0) {
            ca[nca] = (strbuf)STRBUF_INIT;
            ca_bundle(pr->opt->root, pr->ep[e].ca_file, pr->ep[e].ca_dir, &ca[nca]);
            ca_of[e] = (int)nca++;
        }
    }

#ifdef GOLINT_ENV_HAVE_CURL
    CURLM *multi = curl_multi_init();
#endif
    size_t done_reported = 0;
    for (int guard = 0; guard < 100000; guard++) {
        int64_t now = net_now_ms();
        bool dns_done = dns_probe_step(pr->dns, now);
        bool pending = false;
        for (size_t e = 0; e < pr->nep; e++) {
            endpoint *p = &pr->ep[e];
            if (p->state != EP_WAIT_DNS)
                continue;
            if (p->name_idx >= 0 && !p->naddrs) {
                size_t server = 0;
                const dns_answer *a = dns_probe_first(pr->dns, (size_t)p->name_idx, &server);
                if (a)
                    ep_dns_ready(pr, p, a, server, now);
                else if (dns_all_failed(pr, (size_t)p->name_idx)) {
                    ep_fail(p, p->proxy[0] ? K_PROXY_DOWN : K_DNS_FAIL, NET_LAYER_DNS,
                            "%slookup %s: every nameserver refused or failed (server "
                            "misbehaving)", p->proxy[0] ? "proxyconnect tcp: " : "",
                            p->dial_host);
                    p->dns_ms = (long)(now - pr->start);
                } else {
                    pending = true;
                    continue;
                }
                if (p->state == EP_DONE)
                    continue;
            } else if (p->dns_ms < 0) {
                p->dns_ms = 0;
            }
#ifdef GOLINT_ENV_HAVE_CURL
            if (!ep_start(pr, multi, p, ca[ca_of[e]].data ? ca[ca_of[e]].data : "",
                          ca[ca_of[e]].len))
                ep_fail(p, K_OTHER, NET_LAYER_NONE, "could not start the probe");
#else
            ep_fail(p, K_OTHER, NET_LAYER_NONE, "built without libcurl: not probed");
#endif
        }
#ifdef GOLINT_ENV_HAVE_CURL
        int running = 0;
        curl_multi_perform(multi, &running);
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(multi, &left))) {
            if (m->msg != CURLMSG_DONE)
                continue;
            endpoint *p = NULL;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&p);
            if (p && p->state == EP_RUNNING)
                ep_classify(p, m->data.result);
        }
        for (size_t e = 0; e < pr->nep; e++)
            pending = pending || pr->ep[e].state != EP_DONE;
#else
        for (size_t e = 0; e < pr->nep; e++)
            pending = pending || pr->ep[e].state != EP_DONE;
#endif
        size_t ndone = 0;
        for (size_t e = 0; e < pr->nep; e++)
            ndone += pr->ep[e].state == EP_DONE;
        if (ndone != done_reported) {
            done_reported = ndone;
            progress(pr, "%zu/%zu endpoints done", ndone, pr->nep);
        }
        now = net_now_ms();
        if ((!pending && dns_done) || now >= pr->deadline)
            break;
        int64_t wake = dns_probe_next_ms(pr->dns);
        if (wake > pr->deadline)
            wake = pr->deadline;
        int wait = (int)(wake - now);
        if (wait < 1)
            wait = 1;
        if (wait > 200)
            wait = 200; /* re-check the deadline at least five times a second */
        struct pollfd fds[NET_MAX_NAMESERVERS + 2];
        size_t nfds = dns_probe_pollfds(pr->dns, fds, GE_ARRAY_LEN(fds));
#ifdef GOLINT_ENV_HAVE_CURL
        struct curl_waitfd wfds[NET_MAX_NAMESERVERS + 2];
        for (size_t i = 0; i < nfds; i++) {
            wfds[i].fd = fds[i].fd;
            wfds[i].events = CURL_WAIT_POLLIN;
            wfds[i].revents = 0;
        }
        curl_multi_poll(multi, wfds, (unsigned)nfds, wait, NULL);
#else
        poll(fds, nfds, wait);
#endif
    }

    /* whatever is still pending at the deadline timed out, at the layer it reached */
    int64_t now = net_now_ms();
    for (size_t e = 0; e < pr->nep; e++) {
        endpoint *p = &pr->ep[e];
        if (p->state == EP_WAIT_DNS) {
            p->dns_ms = (long)(now - pr->start);
            p->dns_timeout = true;
            ep_fail(p, p->proxy[0] ? K_PROXY_DOWN : K_TIMEOUT, NET_LAYER_DNS,
                    "%sdial tcp: lookup %s: i/o timeout (no nameserver answered within %.1f s)",
                    p->proxy[0] ? "proxyconnect tcp: " : "", p->dial_host,
                    (double)(pr->deadline - pr->start) / 1000.0);
        }
#ifdef GOLINT_ENV_HAVE_CURL
        if (p->state == EP_RUNNING)
            ep_classify(p, CURLE_OPERATION_TIMEDOUT);
        if (p->easy) {
            curl_multi_remove_handle(multi, p->easy);
            curl_easy_cleanup(p->easy);
            p->easy = NULL;
        }
        curl_slist_free_all(p->resolve);
        p->resolve = NULL;
#endif
    }
#ifdef GOLINT_ENV_HAVE_CURL
    curl_multi_cleanup(multi);
#endif
    for (size_t i = 0; i < nca; i++)
        strbuf_release(&ca[i]);
}

/* ---- findings from the probes --------------------------------------------- */

static void dns_findings(probe_run *pr, net_probe_report *rep)
{
    size_t live_first = (size_t)-1, ndead = 0;
    bool dead[NET_MAX_NAMESERVERS + 2] = {false};
    for (size_t s = 0; s < pr->nservers; s++) {
        bool answered = false, refused = false;
        long rtt = -1;
        int rcode = -1;
        for (size_t n = 0; n < pr->nnames; n++) {
            const dns_answer *a = dns_probe_answer(pr->dns, s, n);
            if (!a)
                continue;
            refused = refused || a->refused;
            if (a->rcode >= 0) {
                answered = true;
                rcode = a->rcode;
                if (a->rtt_ms > rtt)
                    rtt = a->rtt_ms;
            }
        }
        if (rep && rep->nns < GE_ARRAY_LEN(rep->ns)) {
            net_ns_result *r = &rep->ns[rep->nns++];
            str_copy(r->addr, sizeof r->addr, pr->servers[s]);
            r->line = pr->server_line[s];
            r->answered = answered;
            r->refused = refused;
            r->rtt_ms = rtt;
            r->rcode = rcode;
        }
        const char *file = pr->rc.path;
        int line = pr->server_line[s];
        if (refused && !answered) {
            emit(pr, NULL, "GE7004", SEV_WARNING, file, line,
                 "nameserver %s refused DNS queries (nothing listening on its DNS port, or "
                 "REFUSED): Go skips it at once, but it serves no lookups (DNS)",
                 pr->servers[s]);
        } else if (!answered && pr->nnames) {
            dead[s] = true;
            ndead++;
        } else if (answered && (rcode == ns_r_servfail || rcode == ns_r_refused) &&
                   live_first == (size_t)-1) {
            emit(pr, NULL, "GE7004", SEV_WARNING, file, line,
                 "nameserver %s answers %s: Go treats it as \"server misbehaving\" and moves "
                 "on (DNS)", pr->servers[s], rcode == ns_r_servfail ? "SERVFAIL" : "REFUSED");
        } else if (answered) {
            if (live_first == (size_t)-1)
                live_first = s;
            long slow = pr->opt->slow_ms > 0 ? pr->opt->slow_ms : 1000;
            if (rtt > slow)
                emit(pr, NULL, "GE7003", SEV_WARNING, file, line,
                     "nameserver %s is slow: its answer took %ld ms (over %ld ms); every "
                     "module download waits for it (DNS)", pr->servers[s], rtt, slow);
        }
    }
    double secs = (double)(pr->deadline - pr->start) / 1000.0;
    bool none_live = live_first == (size_t)-1 && pr->nnames;
    if (none_live) {
        char how[256];
        if (ndead)
            snprintf(how, sizeof how, "with \"i/o timeout\" after timeout %d s x attempts %d x "
                     "%zu silent server%s = %ld s", pr->rc.timeout, pr->rc.attempts, ndead,
                     ndead == 1 ? "" : "s", (long)pr->rc.timeout * pr->rc.attempts * (long)ndead);
        else
            snprintf(how, sizeof how, "at once with \"server misbehaving\"");
        pr->dns_cause = emit(pr, NULL, "GE7002", SEV_ERROR, pr->rc.path, pr->server_line[0],
                             "no nameserver gave a usable answer within %.1f s (%zu silent, %zu "
                             "refusing or failing): every lookup (proxy.golang.org, "
                             "sum.golang.org ...) fails %s (DNS)", secs, ndead,
                             pr->nservers - ndead, how);
    }
    for (size_t s = 0; s < pr->nservers; s++) {
        if (!dead[s] || none_live)
            continue;
        char tail[320] = "";
        if (live_first != (size_t)-1 && s < live_first) {
            size_t silent = 0;
            for (size_t k = 0; k < live_first; k++)
                silent += dead[k];
            long worst = resolv_worst_delay_ms(&pr->rc, silent, false);
            snprintf(tail, sizeof tail, ": Go waits timeout %d s for it on every lookup before "
                     "asking %s (%ld s added to each lookup by the %zu silent server%s listed "
                     "first)%s", pr->rc.timeout, pr->servers[live_first], worst / 1000, silent,
                     silent == 1 ? "" : "s", pr->rc.rotate ? "; with rotate, the lookups that "
                     "start at it pay this" : "");
        } else {
            snprintf(tail, sizeof tail, ": it is listed after a live server, so it costs time "
                     "only when the servers before it fail%s",
                     pr->rc.rotate ? " (with rotate, lookups that start at it wait "
                     "timeout first)" : "");
        }
        emit(pr, NULL, "GE7001", SEV_WARNING, pr->rc.path, pr->server_line[s],
             "nameserver %s did not answer DNS queries within %.1f s%s (DNS)",
             pr->servers[s], secs, tail);
    }
}

static const char *use_var_name(ep_role r)
{
    return r == ROLE_GOPROXY ? "GOPROXY" : r == ROLE_GOSUMDB ? "GOSUMDB" : "GOPRIVATE";
}

static void timings(const endpoint *p, char *out, size_t len)
{
    char tls[48] = "";
    if (p->https)
        snprintf(tls, sizeof tls, ", tls %ld ms", p->tls_ms < 0 ? 0 : p->tls_ms);
    snprintf(out, len, "dns %ld ms, connect %ld ms%s, first byte %ld ms",
             p->dns_done_ms ? p->dns_ms : 0L, p->connect_ms < 0 ? 0 : p->connect_ms, tls,
             p->first_byte_ms < 0 ? 0 : p->first_byte_ms);
}

static void endpoint_findings(probe_run *pr)
{
    static const char *const rule_of[] = {
        [K_NXDOMAIN] = "GE7010", [K_REFUSED] = "GE7011", [K_TIMEOUT] = "GE7012",
        [K_TLSVER] = "GE7013",   [K_AUTHORITY] = "GE7014", [K_HOSTNAME] = "GE7015",
        [K_EXPIRED] = "GE7016",  [K_NOTFOUND] = "GE7017", [K_5XX] = "GE7018",
        [K_407] = "GE7019",      [K_OTHER] = "GE7020",    [K_PROXY_DOWN] = "GE7021",
        [K_DNS_FAIL] = "GE7010",
    };
    long slow = pr->opt->slow_ms > 0 ? pr->opt->slow_ms : 1000;
    for (size_t u = 0; u < pr->nuses; u++) {
        const ep_use *use = &pr->uses[u];
        const endpoint *p = &pr->ep[pr->use_ep[u]];
        const char *cn = ctx_name(pr, use->ctx);
        net_var var = use->role == ROLE_GOPROXY ? NETV_GOPROXY
                      : use->role == ROLE_GOSUMDB ? NETV_GOSUMDB : NETV_GOPRIVATE;
        const char *file;
        int line;
        var_loc(pr, use->ctx, var, &file, &line);
        char t[160];
        timings(p, t, sizeof t);
        if (p->klass == K_OK) {
            if (p->role == ROLE_GOPRIVATE) {
                emit(pr, cn, "GE7030", SEV_INFO, file, line, "GOPRIVATE host %s:%d is "
                     "reachable over TCP%s%s (connect %ld ms)", p->host, p->port,
                     p->proxy[0] ? " through " : "", p->proxy[0] ? p->proxy_host : "",
                     p->connect_ms < 0 ? 0 : p->connect_ms);
                continue;
            }
            emit(pr, cn, "GE7030", SEV_INFO, file, line, "%s %s answered HTTP %ld%s%s (%s)",
                 use_var_name(use->role), p->url, p->status, p->proxy[0] ? " through proxy " : "",
                 p->proxy[0] ? p->proxy_host : "", t);
            long worst = p->connect_ms;
            const char *step = "connect";
            if (p->tls_ms > worst) {
                worst = p->tls_ms;
                step = "TLS handshake";
            }
            if (p->first_byte_ms > worst) {
                worst = p->first_byte_ms;
                step = "first byte";
            }
            if (p->dns_done_ms && p->dns_ms > worst) {
                worst = p->dns_ms;
                step = "name lookup";
            }
            if (worst > slow)
                emit(pr, cn, "GE7031", SEV_WARNING, file, line, "%s %s is slow: %s took %ld ms "
                     "(over %ld ms) (%s)", use_var_name(use->role), p->url, step, worst, slow,
                     strcmp(step, "name lookup") == 0 ? "DNS"
                     : strcmp(step, "connect") == 0 ? "TCP"
                     : strcmp(step, "TLS handshake") == 0 ? "TLS" : "HTTP");
            continue;
        }
        const char *rule = rule_of[p->klass] ? rule_of[p->klass] : "GE7020";
        const char *layer = net_layer_name(p->layer);
        if (p->layer == NET_LAYER_PROXY || p->klass == K_407 || p->klass == K_PROXY_DOWN) {
            var_loc(pr, use->ctx, p->proxy_var, &file, &line);
        }
        finding *f = NULL;
        if (use->role == ROLE_GOPROXY) {
            bool nf = p->klass == K_NOTFOUND;
            bool goes_on = !use->entry.last && (nf || use->entry.fall_back_on_error);
            severity sev = nf ? (goes_on ? SEV_INFO : SEV_ERROR)
                              : (goes_on ? SEV_WARNING : SEV_ERROR);
            const char *then;
            char buf[700];
            if (goes_on)
                snprintf(buf, sizeof buf, "Go goes on to the next entry %s", use->next);
            else if (use->entry.last)
                snprintf(buf, sizeof buf, "it is the last GOPROXY entry, so go mod download "
                         "fails");
            else
                snprintf(buf, sizeof buf, "Go stops here: after ',' it falls through only on "
                         "404/410 (use '|' to fall through on any error)");
            then = buf;
            if (p->klass == K_407 || p->klass == K_PROXY_DOWN)
                f = emit(pr, cn, rule, sev, file, line, "GOPROXY entry %s via %s=%s: %s; %s "
                         "(%s)", use->entry.url, net_var_name(p->proxy_var), p->proxy,
                         p->error, then, layer);
            else
                f = emit(pr, cn, rule, sev, file, line, "GOPROXY entry %s: %s%s%s; %s (%s)",
                         use->entry.url, p->error, p->proxy[0] ? " via proxy " : "",
                         p->proxy[0] ? p->proxy_host : "", then, layer);
        } else if (use->role == ROLE_GOSUMDB) {
            f = emit(pr, cn, "GE7025", SEV_WARNING, file, line, "GOSUMDB %s: %s%s%s; go mod "
                     "download fails with \"verifying module\" unless a GOPROXY proxy serves "
                     "the checksum database (%s)", p->url, p->error,
                     p->proxy[0] ? " via proxy " : "", p->proxy[0] ? p->proxy_host : "", layer);
        } else {
            f = emit(pr, cn, "GE7026", SEV_WARNING, file, line, "GOPRIVATE host %s is not "
                     "reachable on port %d: %s; go get of its modules (direct, through git) "
                     "fails (%s)", p->host, p->port, p->error, layer);
        }
        if (f && pr->dns_cause && p->dns_timeout && !f->caused_by)
            finding_link(pr->out, pr->dns_cause, f);
    }
}

static void fill_report(probe_run *pr, net_probe_report *rep)
{
    if (!rep)
        return;
    rep->ep = xcalloc(pr->nep ? pr->nep : 1, sizeof *rep->ep);
    rep->nep = pr->nep;
    for (size_t e = 0; e < pr->nep; e++) {
        const endpoint *p = &pr->ep[e];
        net_endpoint_result *r = &rep->ep[e];
        str_copy(r->what, sizeof r->what, p->role == ROLE_GOPROXY ? "goproxy"
                 : p->role == ROLE_GOSUMDB ? "gosumdb" : "goprivate");
        str_copy(r->url, sizeof r->url, p->url);
        str_copy(r->proxy, sizeof r->proxy, p->proxy);
        str_copy(r->context, sizeof r->context, ctx_name(pr, p->first_ctx));
        r->dns_ms = p->dns_ms;
        r->connect_ms = p->connect_ms;
        r->tls_ms = p->tls_ms;
        r->first_byte_ms = p->first_byte_ms;
        r->total_ms = p->total_ms;
        r->http_status = p->status;
        r->failed_layer = p->klass ? p->layer : NET_LAYER_NONE;
        if (p->klass)
            str_copy(r->error, sizeof r->error, p->error);
    }
}

void net_probe_run(const net_probe_options *opt, finding_list *out, net_probe_report *rep)
{
    probe_run *pr = xcalloc(1, sizeof *pr);
    pr->opt = opt;
    pr->out = out;
    pr->first_finding = out->n;
    pr->start = net_now_ms();
    double timeout = opt->timeout > 0 ? opt->timeout : 3.0;
    if (timeout > 3600)
        timeout = 3600;
    pr->deadline = pr->start + (int64_t)(timeout * 1000.0);
    if (rep) {
        memset(rep, 0, sizeof *rep);
        rep->offline = opt->offline;
    }
    if (opt->ncontexts) {
        pr->ctx = opt->contexts;
        pr->nctx = opt->ncontexts;
    } else {
        pr->default_ctx.name = "default";
        pr->ctx = &pr->default_ctx;
        pr->nctx = 1;
    }
    resolv_conf_load(&pr->rc, opt->root);
    nsswitch_hosts_load(&pr->nss, opt->root);
    config_findings(pr);
    bool probe = !opt->offline;
#ifdef GOLINT_ENV_HAVE_CURL
    if (probe) {
        static bool curl_ready;
        char why[256];
        if (!curl_ready && net_curl_load(why, sizeof(why))) {
            curl_global_init(CURL_GLOBAL_DEFAULT);
            curl_ready = true;
        }
        probe = curl_ready; /* without libcurl: configuration checks only */
    }
#endif
    if (probe) {
        collect_endpoints(pr);
        run_probes(pr);
        dns_findings(pr, rep);
        endpoint_findings(pr);
        fill_report(pr, rep);
        dns_probe_free(pr->dns);
    }
    if (rep)
        rep->wall_ms = (long)(net_now_ms() - pr->start);
    resolv_conf_release(&pr->rc);
    free(pr);
}

void net_probe_report_release(net_probe_report *rep)
{
    if (!rep)
        return;
    free(rep->ep);
    rep->ep = NULL;
    rep->nep = 0;
}

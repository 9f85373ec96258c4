/*
 * netsrv.c - loopback test servers for the network probe tests. Every
 * server binds 127.0.0.1 on a free port, writes the port to --port-file and
 * exits by itself after --lifetime seconds (default 60). Nothing here talks
 * to anything but loopback: --addr (default 127.0.0.1) must be in 127/8;
 * --port P binds a given port (so several fake nameservers can share the
 * one DNS port the probe uses).
 *
 *   netsrv dns --port-file F [--delay MS] [--map NAME=ADDR]...
 *        UDP DNS: A/AAAA for mapped names (ADDR v4 or v6), NXDOMAIN otherwise
 *   netsrv dns-blackhole --port-file F       reads queries, never answers
 *   netsrv http --port-file F [--status N] [--delay MS] [--hang]
 *               [--tls --cert C --key K [--tls13-only]]
 *        answers every request with status N (default 200); --hang accepts
 *        and never says a word (for handshake and header timeouts)
 *   netsrv tcp-blackhole --port-file F       SYNs are dropped: connect hangs
 *   netsrv proxy --port-file F [--auth USER:PASS | --deny]
 *        HTTP proxy: CONNECT host:port and absolute-URI requests go to
 *        127.0.0.1:port whatever the host; 407 without the right
 *        Proxy-Authorization (or always with --deny)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_MAP 32

static struct {
    const char *mode, *port_file, *cert, *key, *auth, *addr;
    int lifetime, status, delay_ms, port;
    bool tls, tls13_only, hang, deny;
    char map_name[MAX_MAP][256];
    char map_addr[MAX_MAP][64];
    int nmap;
} o = {.lifetime = 60, .status = 200, .addr = "127.0.0.1"};

static void die(const char *what)
{
    fprintf(stderr, "netsrv: %s: %s\n", what, strerror(errno));
    exit(2);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int bind_local(int type, int backlog, int *port)
{
    int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
    if (fd < 0)
        die("socket");
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o.port)};
    /* loopback only: 127.0.0.0/8 */
    if (inet_pton(AF_INET, o.addr, &a.sin_addr) != 1 || (ntohl(a.sin_addr.s_addr) >> 24) != 127) {
        fprintf(stderr, "netsrv: --addr must be a 127.x.y.z address\n");
        exit(2);
    }
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0)
        die("bind");
    if (type == SOCK_STREAM && listen(fd, backlog) < 0)
        die("listen");
    socklen_t sl = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &sl);
    *port = ntohs(a.sin_port);
    return fd;
}

static void write_port(int port)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", o.port_file);
    FILE *f = fopen(tmp, "w");
    if (!f)
        die(tmp);
    fprintf(f, "%d\n", port);
    fclose(f);
    if (rename(tmp, o.port_file) < 0)
        die("rename");
}

/* ---- DNS ------------------------------------------------------------------ */

typedef struct pending {
    int64_t due;
    struct sockaddr_storage to;
    socklen_t tolen;
    unsigned char pkt[512];
    size_t len;
} pending;

/* Parse the question name into dotted text; returns the offset after QCLASS or 0. */
static size_t question(const unsigned char *q, size_t len, char *name, size_t nlen, int *qtype)
{
    size_t i = 12, o2 = 0;
    while (i < len && q[i]) {
        size_t l = q[i++];
        if (l > 63 || i + l > len || o2 + l + 2 > nlen)
            return 0;
        if (o2)
            name[o2++] = '.';
        memcpy(name + o2, q + i, l);
        o2 += l;
        i += l;
    }
    name[o2] = '\0';
    if (i + 5 > len)
        return 0;
    *qtype = q[i + 1] << 8 | q[i + 2];
    return i + 5;
}

static size_t dns_reply(const unsigned char *q, size_t qlen, unsigned char *r, size_t rmax)
{
    char name[256];
    int qtype = 0;
    size_t qend = question(q, qlen, name, sizeof name, &qtype);
    if (!qend || qend > rmax)
        return 0;
    memcpy(r, q, qend);
    r[2] = 0x80 | (q[2] & 0x01); /* QR, RD copied */
    r[3] = 0x80;                 /* RA, rcode 0 */
    r[6] = r[7] = r[8] = r[9] = r[10] = r[11] = 0;
    bool known = false;
    int an = 0;
    size_t o2 = qend;
    for (int i = 0; i < o.nmap; i++) {
        if (strcasecmp(o.map_name[i], name) != 0)
            continue;
        known = true;
        unsigned char addr[16];
        int fam = strchr(o.map_addr[i], ':') ? AF_INET6 : AF_INET;
        if (inet_pton(fam, o.map_addr[i], addr) != 1)
            continue;
        int want = fam == AF_INET ? 1 : 28;
        if (qtype != want)
            continue;
        size_t rdlen = fam == AF_INET ? 4 : 16;
        if (o2 + 12 + rdlen > rmax)
            break;
        unsigned char rr[12] = {0xc0, 0x0c, 0, (unsigned char)want, 0, 1, 0, 0, 0, 60, 0,
                                (unsigned char)rdlen};
        memcpy(r + o2, rr, 12);
        memcpy(r + o2 + 12, addr, rdlen);
        o2 += 12 + rdlen;
        an++;
    }
    if (!known)
        r[3] |= 3; /* NXDOMAIN */
    r[7] = (unsigned char)an;
    return o2;
}

static int run_dns(bool blackhole)
{
    int port;
    int fd = bind_local(SOCK_DGRAM, 0, &port);
    write_port(port);
    pending q[64];
    size_t nq = 0;
    int64_t end = now_ms() + o.lifetime * 1000LL;
    while (now_ms() < end) {
        int64_t wait = 200;
        for (size_t i = 0; i < nq; i++)
            if (q[i].due - now_ms() < wait)
                wait = q[i].due - now_ms();
        struct pollfd p = {fd, POLLIN, 0};
        poll(&p, 1, wait < 0 ? 0 : (int)wait);
        if (p.revents & POLLIN) {
            unsigned char buf[512];
            struct sockaddr_storage from;
            socklen_t fl = sizeof from;
            ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
            if (n > 12 && !blackhole && nq < 64) {
                pending *pq = &q[nq];
                pq->len = dns_reply(buf, (size_t)n, pq->pkt, sizeof pq->pkt);
                pq->to = from;
                pq->tolen = fl;
                pq->due = now_ms() + o.delay_ms;
                if (pq->len)
                    nq++;
            }
        }
        for (size_t i = 0; i < nq;) {
            if (q[i].due <= now_ms()) {
                sendto(fd, q[i].pkt, q[i].len, 0, (struct sockaddr *)&q[i].to, q[i].tolen);
                q[i] = q[--nq];
            } else {
                i++;
            }
        }
    }
    return 0;
}

/* ---- TCP servers ---------------------------------------------------------- */

static void set_timeouts(int fd, int secs)
{
    struct timeval tv = {secs, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

typedef struct conn {
    int fd;
    SSL *ssl;
} conn;

static ssize_t c_read(conn *c, void *buf, size_t n)
{
    return c->ssl ? SSL_read(c->ssl, buf, (int)n) : read(c->fd, buf, n);
}

static ssize_t c_write(conn *c, const void *buf, size_t n)
{
    return c->ssl ? SSL_write(c->ssl, buf, (int)n) : write(c->fd, buf, n);
}

/* Read until the end of the request head; returns its length or -1. */
static ssize_t read_head(conn *c, char *buf, size_t max)
{
    size_t have = 0;
    while (have + 1 < max) {
        ssize_t r = c_read(c, buf + have, max - 1 - have);
        if (r <= 0)
            return -1;
        have += (size_t)r;
        buf[have] = '\0';
        if (strstr(buf, "\r\n\r\n"))
            return (ssize_t)have;
    }
    return -1;
}

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 404: return "Not Found";
    case 407: return "Proxy Authentication Required";
    case 410: return "Gone";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

static void serve_http(int fd, SSL_CTX *ctx)
{
    conn c = {fd, NULL};
    set_timeouts(fd, 5);
    if (ctx) {
        c.ssl = SSL_new(ctx);
        SSL_set_fd(c.ssl, fd);
        if (SSL_accept(c.ssl) <= 0)
            return;
    }
    char head[8192];
    if (read_head(&c, head, sizeof head) < 0)
        return;
    if (o.delay_ms)
        usleep((useconds_t)o.delay_ms * 1000);
    const char *body = o.status == 200 ? "v0.3.0\nv0.14.0\n" : "not here\n";
    char resp[512];
    int n = snprintf(resp, sizeof resp, "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", o.status,
                     reason(o.status), strlen(body), body);
    c_write(&c, resp, (size_t)n);
    if (c.ssl) {
        SSL_shutdown(c.ssl);
        SSL_free(c.ssl);
    }
}

static int connect_local(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, o.addr, &a.sin_addr);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void relay(int a, int b)
{
    struct pollfd p[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
    char buf[16384];
    int64_t end = now_ms() + 10000;
    while (now_ms() < end) {
        if (poll(p, 2, 500) < 0)
            return;
        for (int i = 0; i < 2; i++) {
            if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t r = read(p[i].fd, buf, sizeof buf);
            if (r <= 0)
                return;
            if (write(p[1 - i].fd, buf, (size_t)r) != r)
                return;
        }
    }
}

static void serve_proxy(int fd)
{
    conn c = {fd, NULL};
    set_timeouts(fd, 5);
    char head[8192];
    ssize_t hl = read_head(&c, head, sizeof head);
    if (hl < 0)
        return;
    bool ok = !o.deny;
    if (ok && o.auth) {
        unsigned char enc[512];
        EVP_EncodeBlock(enc, (const unsigned char *)o.auth, (int)strlen(o.auth));
        char want[600];
        snprintf(want, sizeof want, "Proxy-Authorization: Basic %s\r\n", enc);
        ok = strcasestr(head, want) != NULL;
    }
    if (!ok) {
        const char *r = "HTTP/1.1 407 Proxy Authentication Required\r\n"
                        "Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n"
                        "Connection: close\r\n\r\n";
        c_write(&c, r, strlen(r));
        return;
    }
    char method[16], target[1024];
    if (sscanf(head, "%15s %1023s", method, target) != 2)
        return;
    int port = 0;
    if (strcmp(method, "CONNECT") == 0) {
        char *colon = strrchr(target, ':');
        port = colon ? atoi(colon + 1) : 443;
    } else {
        /* absolute URI: http://host:port/path */
        char *h = strstr(target, "://");
        if (!h)
            return;
        h += 3;
        char *slash = strchr(h, '/');
        if (slash)
            *slash = '\0';
        char *colon = strrchr(h, ':');
        port = colon ? atoi(colon + 1) : 80;
    }
    int up = connect_local(port);
    if (up < 0) {
        const char *r = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n";
        c_write(&c, r, strlen(r));
        return;
    }
    if (strcmp(method, "CONNECT") == 0) {
        const char *r = "HTTP/1.1 200 Connection established\r\n\r\n";
        c_write(&c, r, strlen(r));
    } else if (write(up, head, (size_t)hl) != hl) {
        close(up);
        return;
    }
    relay(fd, up);
    close(up);
}

static SSL_CTX *tls_ctx(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx || SSL_CTX_use_certificate_chain_file(ctx, o.cert) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, o.key, SSL_FILETYPE_PEM) != 1) {
        ERR_print_errors_fp(stderr);
        exit(2);
    }
    if (o.tls13_only)
        SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
    return ctx;
}

static int run_tcp(void)
{
    bool blackhole = strcmp(o.mode, "tcp-blackhole") == 0;
    int port;
    int lfd = bind_local(SOCK_STREAM, blackhole ? 0 : 64, &port);
    int filler = -1;
    if (blackhole) {
        /* fill the accept queue (backlog 0 holds one) so later SYNs are dropped */
        filler = connect_local(port);
        (void)filler;
    }
    SSL_CTX *ctx = o.tls ? tls_ctx() : NULL;
    write_port(port);
    signal(SIGCHLD, SIG_IGN);
    int held[64];
    int nheld = 0;
    int64_t end = now_ms() + o.lifetime * 1000LL;
    while (now_ms() < end) {
        struct pollfd p = {lfd, POLLIN, 0};
        if (blackhole) {
            poll(NULL, 0, 200);
            continue;
        }
        if (poll(&p, 1, 200) <= 0)
            continue;
        int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        if (o.hang) {
            if (nheld < 64)
                held[nheld++] = fd;
            else
                close(fd);
            continue;
        }
        pid_t pid = fork();
        if (pid == 0) {
            close(lfd);
            alarm(15);
            if (strcmp(o.mode, "proxy") == 0)
                serve_proxy(fd);
            else
                serve_http(fd, ctx);
            close(fd);
            _exit(0);
        }
        close(fd);
    }
    for (int i = 0; i < nheld; i++)
        close(held[i]);
    if (ctx)
        SSL_CTX_free(ctx);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: netsrv dns|dns-blackhole|http|tcp-blackhole|proxy "
                        "--port-file F [options]\n");
        return 2;
    }
    o.mode = argv[1];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--port-file") == 0 && v) o.port_file = argv[++i];
        else if (strcmp(a, "--lifetime") == 0 && v) o.lifetime = atoi(argv[++i]);
        else if (strcmp(a, "--status") == 0 && v) o.status = atoi(argv[++i]);
        else if (strcmp(a, "--addr") == 0 && v) o.addr = argv[++i];
        else if (strcmp(a, "--port") == 0 && v) o.port = atoi(argv[++i]);
        else if (strcmp(a, "--delay") == 0 && v) o.delay_ms = atoi(argv[++i]);
        else if (strcmp(a, "--cert") == 0 && v) o.cert = argv[++i];
        else if (strcmp(a, "--key") == 0 && v) o.key = argv[++i];
        else if (strcmp(a, "--auth") == 0 && v) o.auth = argv[++i];
        else if (strcmp(a, "--tls") == 0) o.tls = true;
        else if (strcmp(a, "--tls13-only") == 0) o.tls13_only = true;
        else if (strcmp(a, "--hang") == 0) o.hang = true;
        else if (strcmp(a, "--deny") == 0) o.deny = true;
        else if (strcmp(a, "--map") == 0 && v && o.nmap < MAX_MAP) {
            const char *eq = strchr(argv[++i], '=');
            if (!eq)
                return 2;
            snprintf(o.map_name[o.nmap], sizeof o.map_name[0], "%.*s",
                     (int)(eq - argv[i]), argv[i]);
            snprintf(o.map_addr[o.nmap], sizeof o.map_addr[0], "%s", eq + 1);
            o.nmap++;
        } else {
            fprintf(stderr, "netsrv: unknown option %s\n", a);
            return 2;
        }
    }
    if (!o.port_file || o.lifetime <= 0 || o.lifetime > 600)
        return 2;
    alarm((unsigned)o.lifetime + 5); /* hard stop whatever happens */
    if (strcmp(o.mode, "dns") == 0)
        return run_dns(false);
    if (strcmp(o.mode, "dns-blackhole") == 0)
        return run_dns(true);
    if (strcmp(o.mode, "http") == 0 || strcmp(o.mode, "proxy") == 0 ||
        strcmp(o.mode, "tcp-blackhole") == 0) {
        if (o.tls && (!o.cert || !o.key))
            return 2;
        return run_tcp();
    }
    fprintf(stderr, "netsrv: unknown mode %s\n", o.mode);
    return 2;
}

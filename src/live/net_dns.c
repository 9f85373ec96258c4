/*
 * net_dns.c - DNS probes: hand-built UDP queries (res_mkquery) sent to every
 * nameserver separately, A and AAAA for each name, driven by the caller's
 * poll loop so one deadline bounds everything. A server that never answers
 * is "dead", one whose port is closed is "refused" (ICMP via a connected
 * socket). Retransmits once a second, like a patient stub resolver.
 */
#include "live/live.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define DNS_RETRANSMIT_MS 1000
#define DNS_MAX_PACKET 1232

int64_t net_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef struct dns_query {
    size_t server, name;
    int qtype;
    uint16_t id;
    unsigned char pkt[512];
    int pktlen;
    int64_t first_sent, last_sent;
    bool done;
    dns_answer ans;
} dns_query;

typedef struct dns_server {
    int fd;
    bool refused;
} dns_server;

struct dns_probe {
    dns_server *servers;
    size_t nservers, nnames;
    dns_query *q;           /* nservers * nnames * 2, index (s * nnames + n) * 2 + t */
    size_t nq;
    dns_answer *merged;     /* nservers * nnames */
    int64_t deadline;
};

static uint16_t random_id(void)
{
    uint16_t v = 0;
    if (getrandom(&v, sizeof v, GRND_NONBLOCK) != (ssize_t)sizeof v)
        v = (uint16_t)(net_now_ms() * 2654435761u >> 7);
    return v;
}

static int open_server(const char *addr, int port)
{
    char host[64];
    snprintf(host, sizeof host, "%s", addr);
    char *pct = strchr(host, '%');
    unsigned scope = 0;
    if (pct) {
        *pct = '\0';
        scope = (unsigned)atoi(pct + 1); /* interface names are not resolved here */
    }
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t sl;
    int fam;
    struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)port);
        sl = sizeof *s4;
        fam = AF_INET;
    } else if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        s6->sin6_scope_id = scope;
        sl = sizeof *s6;
        fam = AF_INET6;
    } else {
        return -1;
    }
    int fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    /* connected: replies only from the server, and ICMP unreachable surfaces */
    if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    return fd;
}

static void query_send(dns_probe *p, dns_query *q, int64_t now)
{
    dns_server *s = &p->servers[q->server];
    if (s->fd < 0 || q->done)
        return;
    ssize_t w = send(s->fd, q->pkt, (size_t)q->pktlen, MSG_NOSIGNAL);
    if (w < 0 && errno == ECONNREFUSED) {
        s->refused = true;
    }
    if (!q->first_sent)
        q->first_sent = now;
    q->last_sent = now;
}

dns_probe *dns_probe_start(const char *const *servers, size_t nservers, int port,
                           const char *const *names, size_t nnames, int64_t deadline_ms)
{
    dns_probe *p = xcalloc(1, sizeof *p);
    p->nservers = nservers;
    p->nnames = nnames;
    p->deadline = deadline_ms;
    p->servers = xcalloc(nservers ? nservers : 1, sizeof *p->servers);
    p->nq = nservers * nnames * 2;
    p->q = xcalloc(p->nq ? p->nq : 1, sizeof *p->q);
    p->merged = xcalloc(nservers * nnames > 0 ? nservers * nnames : 1, sizeof *p->merged);
    for (size_t i = 0; i < nservers * nnames; i++) {
        p->merged[i].rcode = -1;
        p->merged[i].rtt_ms = -1;
    }
    int64_t now = net_now_ms();
    for (size_t s = 0; s < nservers; s++)
        p->servers[s].fd = open_server(servers[s], port > 0 ? port : 53);
    for (size_t s = 0; s < nservers; s++) {
        for (size_t n = 0; n < nnames; n++) {
            for (int t = 0; t < 2; t++) {
                dns_query *q = &p->q[(s * nnames + n) * 2 + (size_t)t];
                q->server = s;
                q->name = n;
                q->qtype = t == 0 ? ns_t_a : ns_t_aaaa;
                q->ans.rcode = -1;
                q->ans.rtt_ms = -1;
                q->pktlen = res_mkquery(ns_o_query, names[n], ns_c_in, q->qtype, NULL, 0,
                                        NULL, q->pkt, sizeof q->pkt);
                if (q->pktlen < 12 || p->servers[s].fd < 0) {
                    q->done = true; /* unencodable name or unusable server */
                    continue;
                }
                /* unique ids per server socket */
                bool clash;
                do {
                    q->id = random_id();
                    clash = false;
                    for (size_t k = (s * nnames) * 2; k < (size_t)(q - p->q); k++)
                        clash = clash || p->q[k].id == q->id;
                } while (clash);
                q->pkt[0] = (unsigned char)(q->id >> 8);
                q->pkt[1] = (unsigned char)(q->id & 0xff);
                query_send(p, q, now);
            }
        }
    }
    return p;
}

size_t dns_probe_pollfds(dns_probe *p, struct pollfd *fds, size_t max)
{
    size_t n = 0;
    for (size_t s = 0; s < p->nservers && n < max; s++) {
        if (p->servers[s].fd < 0)
            continue;
        fds[n].fd = p->servers[s].fd;
        fds[n].events = POLLIN;
        fds[n].revents = 0;
        n++;
    }
    return n;
}

static void parse_reply(dns_probe *p, size_t s, const unsigned char *buf, int len, int64_t now)
{
    if (len < 12)
        return;
    uint16_t id = (uint16_t)(buf[0] << 8 | buf[1]);
    dns_query *q = NULL;
    for (size_t n = 0; n < p->nnames && !q; n++)
        for (int t = 0; t < 2 && !q; t++) {
            dns_query *c = &p->q[(s * p->nnames + n) * 2 + (size_t)t];
            if (!c->done && c->id == id && c->pktlen > 0)
                q = c;
        }
    if (!q)
        return;
    /* the question must match what we asked (same bytes after the header) */
    if (len < q->pktlen || memcmp(buf + 12, q->pkt + 12, (size_t)q->pktlen - 12) != 0)
        return;
    ns_msg msg;
    if (ns_initparse(buf, len, &msg) < 0)
        return;
    q->done = true;
    q->ans.rcode = (int)ns_msg_getflag(msg, ns_f_rcode);
    q->ans.rtt_ms = (long)(now - q->first_sent);
    int an = ns_msg_count(msg, ns_s_an);
    for (int i = 0; i < an && q->ans.naddrs < GE_ARRAY_LEN(q->ans.addrs); i++) {
        ns_rr rr;
        if (ns_parserr(&msg, ns_s_an, i, &rr) < 0)
            break;
        int type = ns_rr_type(rr);
        if (type == ns_t_a && ns_rr_rdlen(rr) == 4)
            inet_ntop(AF_INET, ns_rr_rdata(rr), q->ans.addrs[q->ans.naddrs++], 64);
        else if (type == ns_t_aaaa && ns_rr_rdlen(rr) == 16)
            inet_ntop(AF_INET6, ns_rr_rdata(rr), q->ans.addrs[q->ans.naddrs++], 64);
    }
}

static void merge(dns_probe *p)
{
    for (size_t s = 0; s < p->nservers; s++) {
        for (size_t n = 0; n < p->nnames; n++) {
            dns_answer *m = &p->merged[s * p->nnames + n];
            const dns_query *a = &p->q[(s * p->nnames + n) * 2];
            const dns_query *b = a + 1;
            memset(m, 0, sizeof *m);
            m->rcode = -1;
            m->rtt_ms = -1;
            m->refused = p->servers[s].refused;
            for (int t = 0; t < 2; t++) {
                const dns_query *q = t ? b : a;
                if (q->ans.rcode < 0)
                    continue;
                /* A decides the rcode; AAAA fills in when A has none */
                if (m->rcode < 0 || (t == 0))
                    m->rcode = q->ans.rcode;
                if (q->ans.rtt_ms > m->rtt_ms)
                    m->rtt_ms = q->ans.rtt_ms;
                for (size_t i = 0; i < q->ans.naddrs && m->naddrs < GE_ARRAY_LEN(m->addrs); i++)
                    memcpy(m->addrs[m->naddrs++], q->ans.addrs[i], 64);
            }
            if (m->rcode == ns_r_refused)
                m->refused = true;
        }
    }
}

bool dns_probe_step(dns_probe *p, int64_t now_ms)
{
    unsigned char buf[DNS_MAX_PACKET];
    for (size_t s = 0; s < p->nservers; s++) {
        dns_server *sv = &p->servers[s];
        if (sv->fd < 0)
            continue;
        for (int guard = 0; guard < 256; guard++) {
            ssize_t r = recv(sv->fd, buf, sizeof buf, 0);
            if (r < 0) {
                if (errno == ECONNREFUSED) {
                    sv->refused = true;
                    continue;
                }
                break;
            }
            parse_reply(p, s, buf, (int)r, now_ms);
        }
        if (sv->refused) {
            for (size_t i = s * p->nnames * 2; i < (s + 1) * p->nnames * 2; i++)
                p->q[i].done = true;
        }
    }
    bool all = true;
    for (size_t i = 0; i < p->nq; i++) {
        dns_query *q = &p->q[i];
        if (q->done)
            continue;
        all = false;
        if (now_ms - q->last_sent >= DNS_RETRANSMIT_MS && now_ms < p->deadline)
            query_send(p, q, now_ms);
    }
    merge(p);
    return all;
}

int64_t dns_probe_next_ms(const dns_probe *p)
{
    int64_t next = p->deadline;
    for (size_t i = 0; i < p->nq; i++) {
        const dns_query *q = &p->q[i];
        if (!q->done && q->last_sent + DNS_RETRANSMIT_MS < next)
            next = q->last_sent + DNS_RETRANSMIT_MS;
    }
    return next;
}

const dns_answer *dns_probe_answer(const dns_probe *p, size_t server, size_t name)
{
    if (server >= p->nservers || name >= p->nnames)
        return NULL;
    return &p->merged[server * p->nnames + name];
}

static bool settled(const dns_probe *p, size_t s, size_t n)
{
    const dns_query *a = &p->q[(s * p->nnames + n) * 2];
    return a[0].done && a[1].done;
}

const dns_answer *dns_probe_first(const dns_probe *p, size_t name, size_t *server)
{
    for (size_t s = 0; s < p->nservers; s++) {
        const dns_answer *m = &p->merged[s * p->nnames + name];
        bool usable = settled(p, s, name) && !m->refused && m->rcode >= 0 &&
                      m->rcode != ns_r_servfail;
        if (usable) {
            if (server)
                *server = s;
            return m;
        }
    }
    return NULL;
}

void dns_probe_free(dns_probe *p)
{
    if (!p)
        return;
    for (size_t s = 0; s < p->nservers; s++)
        if (p->servers[s].fd >= 0)
            close(p->servers[s].fd);
    free(p->servers);
    free(p->q);
    free(p->merged);
    free(p);
}

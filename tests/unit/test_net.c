/* test_net.c - the network stage's pure parts: resolv.conf, nsswitch.conf,
 * GODEBUG netdns, GOPROXY/GOSUMDB/GOPRIVATE lists, Go's proxy choice and
 * NO_PROXY matching, /etc/hosts; and the DNS engine against an in-process
 * loopback responder (answering, refusing, silent under a deadline). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "live/live.h"

static void resolv_parse_text(resolv_conf *rc, const char *text)
{
    memset(rc, 0, sizeof *rc);
    resolv_conf_parse(rc, text, strlen(text));
}

static void test_resolv_conf(void **state)
{
    (void)state;
    resolv_conf rc;
    resolv_parse_text(&rc, "# comment\n; other comment\nnameserver 192.0.2.1\n"
                           "nameserver dns.example\nnameserver ::1\n"
                           "search a.example b.example\ndomain c.example\n"
                           "nameserver 192.0.2.3\nnameserver 192.0.2.4\n"
                           "options timeout:2 attempts:0 ndots:30 rotate edns0 bogus\n");
    assert_int_equal(rc.nns, 3);
    assert_string_equal(rc.ns[0].addr, "192.0.2.1");
    assert_int_equal(rc.ns[0].line, 3);
    assert_string_equal(rc.ns[1].addr, "::1"); /* a host name is skipped */
    assert_string_equal(rc.ns[2].addr, "192.0.2.3");
    assert_int_equal(rc.ignored_ns, 1);
    assert_int_equal(rc.ignored_ns_line, 9);
    assert_int_equal(rc.nsearch, 1); /* the last of search/domain wins */
    assert_string_equal(rc.search[0], "c.example");
    assert_int_equal(rc.timeout, 2);
    assert_int_equal(rc.attempts, 1);
    assert_int_equal(rc.ndots, 15);
    assert_true(rc.rotate);
    assert_string_equal(rc.unknown_opt, "bogus");
    assert_int_equal(rc.unknown_opt_line, 10);

    resolv_parse_text(&rc, "");
    assert_int_equal(rc.nns, 0);
    assert_int_equal(rc.timeout, 5);
    assert_int_equal(rc.attempts, 2);
    /* no nameserver: Go asks 127.0.0.1 and ::1, each timeout x attempts */
    assert_int_equal(resolv_worst_delay_ms(&rc, 0, true), 5000 * 2 * 2);
}

static void test_worst_delay(void **state)
{
    (void)state;
    resolv_conf rc;
    resolv_parse_text(&rc, "nameserver 192.0.2.1\nnameserver 192.0.2.2\nnameserver 192.0.2.3\n"
                           "options timeout:3 attempts:4\n");
    assert_int_equal(resolv_worst_delay_ms(&rc, 0, false), 0);
    assert_int_equal(resolv_worst_delay_ms(&rc, 2, false), 6000);
    assert_int_equal(resolv_worst_delay_ms(&rc, 3, true), 3000 * 4 * 3);
}

static void test_nsswitch_and_netdns(void **state)
{
    (void)state;
    nsswitch_hosts ns;
    const char *t = "passwd: files\n# hosts: dns\nhosts:  files mdns4_minimal [NOTFOUND=return] "
                    "dns myhostname # trailing\n";
    nsswitch_hosts_parse(&ns, t, strlen(t));
    assert_true(ns.found);
    assert_int_equal(ns.line, 3);
    assert_int_equal(ns.nsrc, 4);
    assert_string_equal(ns.src[1].name, "mdns4_minimal");
    assert_string_equal(ns.src[1].criteria, "[NOTFOUND=return]");
    char skipped[128];
    assert_int_equal(nsswitch_go_skipped(&ns, skipped, sizeof skipped), 1);
    assert_string_equal(skipped, "mdns4_minimal");

    char why[256];
    netdns_mode none = netdns_parse(NULL);
    assert_int_equal(netdns_pick(none, true, &ns, NULL, why, sizeof why), GO_RESOLVER_CGO);
    assert_non_null(strstr(why, "mdns4_minimal"));
    assert_int_equal(netdns_pick(none, false, &ns, NULL, why, sizeof why), GO_RESOLVER_GO);
    netdns_mode go = netdns_parse("http2debug=1,netdns=go+1");
    assert_true(go.forced_go);
    assert_int_equal(go.debug, 1);
    assert_int_equal(netdns_pick(go, true, &ns, NULL, why, sizeof why), GO_RESOLVER_GO);
    netdns_mode last = netdns_parse("netdns=go,netdns=2+cgo");
    assert_false(last.forced_go);
    assert_true(last.forced_cgo);
    assert_int_equal(last.debug, 2);

    t = "hosts: files dns\n";
    nsswitch_hosts_parse(&ns, t, strlen(t));
    assert_int_equal(netdns_pick(none, true, &ns, NULL, why, sizeof why), GO_RESOLVER_GO);
    t = "hosts: files dns [NOTFOUND=return]\n";
    nsswitch_hosts_parse(&ns, t, strlen(t));
    assert_int_equal(netdns_pick(none, true, &ns, NULL, why, sizeof why), GO_RESOLVER_CGO);
    t = "hosts: files [SUCCESS=return notfound=continue] dns\n";
    nsswitch_hosts_parse(&ns, t, strlen(t));
    assert_int_equal(netdns_pick(none, true, &ns, NULL, why, sizeof why), GO_RESOLVER_GO);
    resolv_conf rc;
    resolv_parse_text(&rc, "nameserver 192.0.2.1\noptions inet6\n");
    assert_int_equal(netdns_pick(none, true, &ns, &rc, why, sizeof why), GO_RESOLVER_CGO);
}

static void test_goproxy_parse(void **state)
{
    (void)state;
    goproxy_entry e[8];
    size_t n = goproxy_parse(NULL, e, 8);
    assert_int_equal(n, 2);
    assert_string_equal(e[0].url, "https://proxy.golang.org");
    assert_int_equal(e[1].kind, GOPROXY_DIRECT);
    assert_true(e[1].last);

    n = goproxy_parse(" corp.example/go | https://goproxy.io , direct,https://ignored", e, 8);
    assert_int_equal(n, 3);
    assert_string_equal(e[0].url, "https://corp.example/go");
    assert_true(e[0].fall_back_on_error);
    assert_false(e[1].fall_back_on_error);
    assert_int_equal(e[2].kind, GOPROXY_DIRECT); /* direct ends the list */

    n = goproxy_parse("off", e, 8);
    assert_int_equal(n, 1);
    assert_int_equal(e[0].kind, GOPROXY_OFF);
    n = goproxy_parse("file:///srv/mods,,http://10.0.0.1:3000", e, 8);
    assert_int_equal(n, 2);
    assert_int_equal(e[0].kind, GOPROXY_FILE);
    assert_string_equal(e[1].url, "http://10.0.0.1:3000");
    assert_true(e[1].last);
}

static void test_gosumdb_goprivate(void **state)
{
    (void)state;
    char url[256];
    assert_true(gosumdb_url(NULL, url, sizeof url));
    assert_string_equal(url, "https://sum.golang.org");
    assert_false(gosumdb_url("off", url, sizeof url));
    assert_true(gosumdb_url("sum.golang.google.cn", url, sizeof url));
    assert_string_equal(url, "https://sum.golang.google.cn");
    assert_true(gosumdb_url("sum.example+abc123 https://sumdb.corp:8443/x", url, sizeof url));
    assert_string_equal(url, "https://sumdb.corp:8443/x");
    assert_true(gosumdb_url("sum.example+abc123", url, sizeof url));
    assert_string_equal(url, "https://sum.example");

    char hosts[8][256];
    size_t n = goprivate_hosts("*.corp.example, git.corp.example/team,git.corp.example/other,"
                               "localmod,github.com/org", hosts, 8);
    assert_int_equal(n, 2);
    assert_string_equal(hosts[0], "git.corp.example");
    assert_string_equal(hosts[1], "github.com");
}

static void test_url_split(void **state)
{
    (void)state;
    char s[16], h[256], p[256];
    int port;
    assert_true(url_split("https://user:pw@[::1]:8443/a/b", s, sizeof s, h, sizeof h, &port, p,
                          sizeof p));
    assert_string_equal(s, "https");
    assert_string_equal(h, "::1");
    assert_int_equal(port, 8443);
    assert_string_equal(p, "/a/b");
    assert_true(url_split("HTTP://Proxy.Example", s, sizeof s, h, sizeof h, &port, p, sizeof p));
    assert_string_equal(s, "http");
    assert_string_equal(h, "proxy.example");
    assert_int_equal(port, 80);
    assert_string_equal(p, "/");
    assert_false(url_split("proxy.example:3128", s, sizeof s, h, sizeof h, &port, NULL, 0));
}

static void test_proxy_for_url(void **state)
{
    (void)state;
    char out[512], why[256];
    proxy_env pe = {"proxy.corp:3128", "http://web.corp:80", NULL};
    assert_true(proxy_for_url(&pe, "https://proxy.golang.org/x", out, sizeof out, why, sizeof why));
    assert_string_equal(out, "http://proxy.corp:3128"); /* bare host:port gets http:// */
    assert_true(proxy_for_url(&pe, "http://mirror.example/x", out, sizeof out, why, sizeof why));
    assert_string_equal(out, "http://web.corp:80");
    /* never a proxy for localhost and loopback */
    assert_true(proxy_for_url(&pe, "https://localhost:8443/", out, sizeof out, why, sizeof why));
    assert_string_equal(out, "");
    assert_true(proxy_for_url(&pe, "https://127.0.0.2/", out, sizeof out, why, sizeof why));
    assert_string_equal(out, "");
    assert_true(proxy_for_url(&pe, "https://[::1]/", out, sizeof out, why, sizeof why));
    assert_string_equal(out, "");
    /* no fallback from HTTPS to HTTP_PROXY */
    proxy_env only_http = {NULL, "http://web.corp:80", NULL};
    assert_true(proxy_for_url(&only_http, "https://proxy.golang.org/", out, sizeof out, why,
                              sizeof why));
    assert_string_equal(out, "");
    proxy_env bad = {"ftp://proxy.corp", NULL, NULL};
    assert_false(proxy_for_url(&bad, "https://proxy.golang.org/", out, sizeof out, why,
                               sizeof why));
    assert_non_null(strstr(why, "ftp"));
    proxy_env np = {"http://p:1", NULL, "corp.example, .internal,10.0.0.0/8"};
    assert_true(proxy_for_url(&np, "https://goproxy.corp.example/", out, sizeof out, why,
                              sizeof why));
    assert_string_equal(out, "");
    assert_true(proxy_for_url(&np, "https://proxy.golang.org/", out, sizeof out, why, sizeof why));
    assert_string_equal(out, "http://p:1");
}

static void test_no_proxy(void **state)
{
    (void)state;
    assert_true(no_proxy_match("*", "anything.example", 443));
    assert_true(no_proxy_match("example.com", "example.com", 443));
    assert_true(no_proxy_match("example.com", "a.b.example.com", 443));
    assert_false(no_proxy_match("example.com", "badexample.com", 443));
    assert_false(no_proxy_match(".example.com", "example.com", 443)); /* subdomains only */
    assert_true(no_proxy_match(".example.com", "a.example.com", 443));
    assert_true(no_proxy_match("*.example.com", "a.example.com", 443));
    assert_false(no_proxy_match("*.example.com", "example.com", 443));
    assert_true(no_proxy_match("example.com:8443", "example.com", 8443));
    assert_false(no_proxy_match("example.com:8443", "example.com", 443));
    assert_true(no_proxy_match(" 10.0.0.0/8 ", "10.1.2.3", 443));
    assert_false(no_proxy_match("10.0.0.0/8", "11.1.2.3", 443));
    assert_true(no_proxy_match("192.0.2.7", "192.0.2.7", 80));
    assert_true(no_proxy_match("[2001:db8::1]:443", "2001:db8::1", 443));
    assert_true(no_proxy_match("fd00::/8", "fd12::1", 443));
    assert_true(no_proxy_match("EXAMPLE.com", "Example.COM", 443));
    assert_false(no_proxy_match("", "example.com", 443));
    assert_false(no_proxy_match(NULL, "example.com", 443));
}

static void test_hosts_lookup(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_net_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/etc", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/etc/hosts", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("127.0.0.1 localhost\n# 10.0.0.1 proxy.corp\n10.0.0.2 goproxy.corp goproxy # c\n"
          "::1 goproxy.corp.\nnot-an-ip goproxy.corp\n", f);
    fclose(f);
    root r = {.dir = dir};
    char addrs[4][64];
    size_t n = hosts_lookup(&r, "GOPROXY.corp", addrs, 4);
    assert_int_equal(n, 2);
    assert_string_equal(addrs[0], "10.0.0.2");
    assert_string_equal(addrs[1], "::1");
    assert_int_equal(hosts_lookup(&r, "proxy.corp", addrs, 4), 0);
    unlink(path);
    snprintf(path, sizeof path, "%s/etc", dir);
    rmdir(path);
    rmdir(dir);
}

/* ---- DNS engine against an in-process responder -------------------------- */

static int udp_server(int *port)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t sl = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &sl);
    *port = ntohs(a.sin_port);
    return fd;
}

/* Answer every pending query: NXDOMAIN, no records. */
static void answer_all(int fd)
{
    unsigned char buf[512];
    struct sockaddr_storage from;
    for (int i = 0; i < 16; i++) {
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
        if (n < 12)
            return;
        buf[2] = 0x81;
        buf[3] = 0x83;
        sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
    }
}

static void test_dns_engine(void **state)
{
    (void)state;
    int port;
    int srv = udp_server(&port);
    /* a second address on the same port with nothing bound: refused */
    const char *servers[] = {"127.0.0.1", "127.0.0.7"};
    const char *names[] = {"nosuch.test"};
    int64_t start = net_now_ms();
    dns_probe *p = dns_probe_start(servers, 2, port, names, 1, start + 1500);
    assert_non_null(p);
    bool done = false;
    for (int i = 0; i < 100 && !done && net_now_ms() < start + 1500; i++) {
        answer_all(srv);
        struct pollfd fds[4];
        size_t nf = dns_probe_pollfds(p, fds, 4);
        poll(fds, nf, 20);
        done = dns_probe_step(p, net_now_ms());
    }
    assert_true(done);
    const dns_answer *a = dns_probe_answer(p, 0, 0);
    assert_int_equal(a->rcode, 3);
    assert_int_equal(a->naddrs, 0);
    assert_true(dns_probe_answer(p, 1, 0)->refused);
    size_t which = 9;
    assert_non_null(dns_probe_first(p, 0, &which));
    assert_int_equal(which, 0);
    dns_probe_free(p);

    /* a silent server: nothing answered, the caller's deadline ends it */
    start = net_now_ms();
    p = dns_probe_start(servers, 1, port, names, 1, start + 300);
    while (net_now_ms() < start + 300) {
        struct pollfd fds[2];
        size_t nf = dns_probe_pollfds(p, fds, 2);
        poll(fds, nf, 20);
        assert_false(dns_probe_step(p, net_now_ms()));
    }
    assert_null(dns_probe_first(p, 0, NULL));
    assert_int_equal(dns_probe_answer(p, 0, 0)->rcode, -1);
    dns_probe_free(p);
    close(srv);
}

static void test_offline_run(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_net_XXXXXX";
    assert_non_null(mkdtemp(dir));
    root r = {.dir = dir};
    net_probe_options opt = {.root = &r, .offline = true};
    finding_list fl;
    findings_init(&fl);
    net_probe_report rep;
    net_probe_run(&opt, &fl, &rep);
    /* no resolv.conf: GE7005 only, and no probe at all */
    assert_int_equal(fl.n, 1);
    assert_string_equal(fl.items[0]->rule, "GE7005");
    assert_int_equal(rep.nep, 0);
    assert_int_equal(rep.nns, 0);
    assert_true(rep.wall_ms < 100);
    net_probe_report_release(&rep);
    findings_release(&fl);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolv_conf),        cmocka_unit_test(test_worst_delay),
        cmocka_unit_test(test_nsswitch_and_netdns), cmocka_unit_test(test_goproxy_parse),
        cmocka_unit_test(test_gosumdb_goprivate),  cmocka_unit_test(test_url_split),
        cmocka_unit_test(test_proxy_for_url),      cmocka_unit_test(test_no_proxy),
        cmocka_unit_test(test_hosts_lookup),       cmocka_unit_test(test_dns_engine),
        cmocka_unit_test(test_offline_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

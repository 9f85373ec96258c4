/*
 * live.h - live checks against the running machine: procfs, cgroups, ELF
 * binaries and network probes. Everything read from disk goes through a
 * root; everything sent on the network is bounded by one deadline and
 * skipped when offline. Nothing here prints or exits: results are findings
 * (and, for the network, a plain result table the reporters may show).
 *
 * Sections, one per owner: network (net_*.c) below; kernel/cgroup/ELF
 * sections are added after it.
 */
#ifndef GOLINT_LIVE_H
#define GOLINT_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <poll.h>
#include <stdint.h>

#include "core/core.h"

/* ======================================================================== */
/* ==== network: resolver config, DNS, GOPROXY / GOSUMDB / GOPRIVATE ====== */
/* ======================================================================== */

/*
 * Rules GE7001-GE7099 (rules/GE70nn.json). Each finding names the layer
 * where a failure happens (DNS, TCP, TLS, HTTP, proxy) and points at a line
 * a person can open:
 *   - a dead, refusing or slow nameserver: its `nameserver` line in
 *     /etc/resolv.conf;
 *   - nsswitch modules Go's resolver skips: the `hosts:` line of
 *     /etc/nsswitch.conf;
 *   - a GOPROXY / GOSUMDB / GOPRIVATE problem: the file and line that set
 *     the variable (net_value.file/line, passed in by the caller). When the
 *     variable is unset (Go's default applies) the finding goes to
 *     net_probe_options.default_file:default_line, or, if that is NULL, to
 *     the pseudo-location "$GOROOT/go.env" line 1 (where Go 1.21+ keeps the
 *     defaults GOPROXY=https://proxy.golang.org,direct and GOSUMDB=sum.golang.org);
 *   - a proxy problem (407, proxy refused): the line that set HTTPS_PROXY /
 *     HTTP_PROXY.
 */

/* ---- resolver configuration (net_resolv.c) ------------------------------- */

#define NET_MAX_NAMESERVERS 3   /* glibc MAXNS; Go reads the same three */
#define NET_MAX_SEARCH 6

typedef struct net_nameserver {
    char addr[64];          /* numeric address as written ("192.0.2.1", "::1") */
    int line;               /* line in resolv.conf */
} net_nameserver;

typedef struct resolv_conf {
    char *path;             /* machine path ("/etc/resolv.conf") */
    bool found;             /* the file existed and was read */
    net_nameserver ns[NET_MAX_NAMESERVERS];
    size_t nns;
    size_t ignored_ns;      /* nameserver lines past the third */
    int ignored_ns_line;    /* first of them */
    char search[NET_MAX_SEARCH][256];
    size_t nsearch;
    int timeout;            /* seconds per try (default 5; glibc caps at 30) */
    int attempts;           /* rounds over all servers (default 2; glibc caps at 5) */
    int ndots;              /* default 1 */
    bool rotate;
    bool single_request;
    bool use_vc;            /* use-vc / tcp */
    int options_line;       /* last "options" line, 0 if none */
    char unknown_opt[64];   /* first option Go does not know ("" if none) */
    int unknown_opt_line;
} resolv_conf;

/* Parse resolv.conf text (Go's and glibc's rules: last `search`/`domain`
 * wins, options accumulate, at most three nameservers, '#' and ';' comments).
 * No nameserver means Go tries 127.0.0.1:53 and [::1]:53. */
void resolv_conf_parse(resolv_conf *rc, const char *text, size_t len);
/* Read <root>/etc/resolv.conf; a missing file leaves found=false and defaults. */
void resolv_conf_load(resolv_conf *rc, const root *r);
void resolv_conf_release(resolv_conf *rc);

/* One source of the nsswitch.conf `hosts:` line, with its [criteria]. */
typedef struct nss_source {
    char name[32];          /* "files", "dns", "mdns4_minimal", "resolve", "myhostname" */
    char criteria[64];      /* "[NOTFOUND=return]" or "" */
} nss_source;

typedef struct nsswitch_hosts {
    bool found;             /* a hosts line was seen */
    int line;
    nss_source src[16];
    size_t nsrc;
} nsswitch_hosts;

void nsswitch_hosts_parse(nsswitch_hosts *ns, const char *text, size_t len);
void nsswitch_hosts_load(nsswitch_hosts *ns, const root *r);

/* Which resolver a Go program uses (GODEBUG netdns and how it was built). */
typedef enum net_go_resolver {
    GO_RESOLVER_GO = 0,     /* pure Go: reads resolv.conf, /etc/hosts; only files+dns */
    GO_RESOLVER_CGO = 1     /* getaddrinfo: every nsswitch module, glibc timeouts */
} net_go_resolver;

typedef struct netdns_mode {
    bool forced_go;         /* GODEBUG netdns=go (or netdns=go+N) */
    bool forced_cgo;        /* GODEBUG netdns=cgo */
    int debug;              /* the +1 / +2 debug level, 0 if none */
} netdns_mode;

/* Parse the netdns setting of a GODEBUG value (last one wins, like Go). */
netdns_mode netdns_parse(const char *godebug);
/* The resolver Go picks on Linux for an ordinary host name, following
 * net/conf.go: netdns forces; without cgo in the binary it is always Go;
 * otherwise Go hands off to getaddrinfo when nsswitch lists a module it
 * does not implement, or resolv.conf has an option it does not know.
 * why receives the reason in a few words. */
net_go_resolver netdns_pick(netdns_mode m, bool binary_has_cgo, const nsswitch_hosts *ns,
                            const resolv_conf *rc, char *why, size_t whylen);

/* Nsswitch sources Go's own resolver does not implement (anything but
 * files, dns and myhostname), joined with spaces into out; returns the count. */
size_t nsswitch_go_skipped(const nsswitch_hosts *ns, char *out, size_t outlen);

/* Worst-case delay (ms) a Go program waits for one lookup when the first
 * `dead_before_live` servers in resolv.conf order never answer: Go tries each
 * server once per attempt (net/dnsclient_unix.go tryOneName), so a dead
 * server before a live one costs `timeout` per lookup; when every server is
 * dead the lookup fails after timeout x attempts x servers. */
long resolv_worst_delay_ms(const resolv_conf *rc, size_t dead_before_live, bool all_dead);

/* Look a name up in <root>/etc/hosts. Returns the number of addresses
 * written (numeric strings) into addrs. */
size_t hosts_lookup(const root *r, const char *name, char addrs[][64], size_t max);

/* ---- GOPROXY / GOSUMDB / GOPRIVATE lists (net_proxy.c) ------------------- */

typedef enum goproxy_kind { GOPROXY_URL, GOPROXY_DIRECT, GOPROXY_OFF, GOPROXY_FILE } goproxy_kind;

typedef struct goproxy_entry {
    goproxy_kind kind;
    char url[512];          /* for GOPROXY_URL: with https:// added as cmd/go does */
    bool fall_back_on_error; /* separator after it is '|': any error goes on */
    bool last;              /* no entry after it */
} goproxy_entry;

/* Split a GOPROXY value as cmd/go does (modfetch/proxy.go): entries separated
 * by ',' (fall through only on 404/410) or '|' (fall through on any error);
 * a bare host gets "https://". Empty value means Go's default. Returns count. */
size_t goproxy_parse(const char *value, goproxy_entry *out, size_t max);

/* GOSUMDB: "off", "sum.golang.org", "name+key", "name+key URL". Fills the URL
 * to probe ("https://sum.golang.org"); false for "off". */
bool gosumdb_url(const char *value, char *url, size_t urllen);

/* GOPRIVATE/GONOPROXY patterns: the literal host of each pattern (its first
 * path element) when it has no wildcard. Returns count. */
size_t goprivate_hosts(const char *value, char hosts[][256], size_t max);

/* Proxy environment as Go's net/http (golang.org/x/net/http/httpproxy) reads it. */
typedef struct proxy_env {
    const char *https_proxy;  /* HTTPS_PROXY or https_proxy */
    const char *http_proxy;   /* HTTP_PROXY or http_proxy (ignored under CGI) */
    const char *no_proxy;     /* NO_PROXY or no_proxy */
} proxy_env;

/* The proxy URL Go would use for target_url, in out ("" for a direct
 * connection). Follows httpproxy: scheme-specific variable only (no
 * fallback from HTTPS to HTTP_PROXY), "host:port" gets "http://", requests to
 * "localhost" and loopback IPs never use a proxy, NO_PROXY entries match
 * IPs, CIDRs, "host" (and its subdomains), ".host"/"*.host" (subdomains
 * only), optional ":port", and "*" matches everything. Returns false if the
 * proxy value cannot be parsed (why says so). */
bool proxy_for_url(const proxy_env *pe, const char *target_url, char *out, size_t outlen,
                   char *why, size_t whylen);
/* NO_PROXY decision alone: true if host:port must go direct. */
bool no_proxy_match(const char *no_proxy, const char *host, int port);

/* Split "scheme://[user@]host[:port]/path" (bracketed IPv6 allowed). */
bool url_split(const char *url, char *scheme, size_t slen, char *host, size_t hlen,
               int *port, char *path, size_t plen);

/* ---- probes (net_probe.c, net_dns.c, net_http.c) ------------------------- */

/* A value as the simulator found it, with the line that set it. */
typedef struct net_value {
    const char *value;      /* NULL: unset */
    const char *file;       /* machine path of the file that set it, NULL if unknown */
    int line;               /* 1-based, 0 if unknown */
} net_value;

typedef enum net_var {
    NETV_GOPROXY, NETV_GOSUMDB, NETV_GOPRIVATE, NETV_GONOPROXY, NETV_GONOSUMDB,
    NETV_HTTPS_PROXY, NETV_HTTP_PROXY, NETV_NO_PROXY, NETV_REQUEST_METHOD,
    NETV_SSL_CERT_FILE, NETV_SSL_CERT_DIR, NETV_GODEBUG,
    NETV_COUNT
} net_var;

/* Name of a variable ("GOPROXY"); lower-case spellings of the proxy
 * variables belong in the same slot (the caller picks the one Go reads:
 * upper case first). */
const char *net_var_name(net_var v);

typedef struct net_context {
    const char *name;       /* "interactive", "login", "systemd:app.service" ... */
    net_value v[NETV_COUNT];
    bool binary_has_cgo;    /* the go binary / service uses cgo (false: pure Go) */
} net_context;

typedef void (*net_progress_fn)(void *arg, const char *line);

typedef struct net_probe_options {
    const root *root;           /* resolv.conf, nsswitch.conf, hosts, CA files */
    double timeout;             /* the one deadline, seconds (<= 0: 3) */
    bool offline;               /* skip all network traffic (config findings only) */
    const net_context *contexts;
    size_t ncontexts;           /* 0: one context "default" with Go's defaults */
    const char *default_file;   /* provenance for unset variables (see top) */
    int default_line;
    /* DNS port of every nameserver. 0: $GOLINT_ENV_DNS_PORT if set (tests
     * only: point resolv.conf at a loopback fake server), else 53. */
    int dns_port;
    int tls_max;                /* 12 or 13 (0: 13, like Go); tests use 12 */
    long slow_ms;               /* a step slower than this is reported (0: 1000) */
    const char *module;         /* module of the list request (default golang.org/x/text) */
    int goprivate_port;         /* port of the GOPRIVATE TCP check (0: 443; tests only) */
    net_progress_fn progress;   /* called with one-line progress; NULL: silent.
                                 * The CLI passes one only when stderr is a tty. */
    void *progress_arg;
} net_probe_options;

/* Layers, for messages and the result table. */
typedef enum net_layer {
    NET_LAYER_NONE = 0, NET_LAYER_DNS, NET_LAYER_TCP, NET_LAYER_TLS,
    NET_LAYER_HTTP, NET_LAYER_PROXY
} net_layer;
const char *net_layer_name(net_layer l);

/* One probed endpoint, for reporters and tests. Times in ms, -1 if the step
 * was not reached. */
typedef struct net_endpoint_result {
    char what[16];          /* "goproxy", "gosumdb", "goprivate" */
    char url[512];
    char proxy[512];        /* proxy used, "" if direct */
    char context[64];       /* first context that uses it */
    long dns_ms, connect_ms, tls_ms, first_byte_ms, total_ms;
    long http_status;       /* 0 if none */
    net_layer failed_layer; /* NET_LAYER_NONE: fine */
    char error[256];        /* the failure in Go's words ("" if fine) */
} net_endpoint_result;

typedef struct net_ns_result {
    char addr[64];
    int line;
    bool answered;          /* some reply arrived */
    bool refused;           /* ICMP port unreachable or REFUSED */
    long rtt_ms;            /* slowest reply, -1 if none */
    int rcode;              /* last rcode seen, -1 if none */
} net_ns_result;

typedef struct net_probe_report {
    net_endpoint_result *ep;
    size_t nep;
    net_ns_result ns[NET_MAX_NAMESERVERS + 2];
    size_t nns;
    long wall_ms;           /* the whole run, for the deadline check */
    bool offline;
} net_probe_report;

/* Run every network check: configuration findings always, live probes
 * unless opt->offline. All probes run in parallel under one deadline; the
 * call returns within opt->timeout + 100 ms. Findings go to out; the
 * result table to rep if not NULL (release with net_probe_report_release). */
void net_probe_run(const net_probe_options *opt, finding_list *out, net_probe_report *rep);
void net_probe_report_release(net_probe_report *rep);

/* ---- DNS engine (net_dns.c), exposed for the probe loop and tests -------- */

typedef struct dns_probe dns_probe;

typedef struct dns_answer {
    int rcode;              /* 0 NOERROR, 3 NXDOMAIN, 2 SERVFAIL, 5 REFUSED; -1 none */
    bool refused;           /* ICMP unreachable */
    long rtt_ms;
    char addrs[8][64];
    size_t naddrs;
} dns_answer;

/* Query every server for every name (A and AAAA) at once; retransmit each
 * second; all bounded by deadline_ms (CLOCK_MONOTONIC milliseconds). */
dns_probe *dns_probe_start(const char *const *servers, size_t nservers, int port,
                           const char *const *names, size_t nnames, int64_t deadline_ms);
/* Fill pollfds (at most max); returns the number filled. */
size_t dns_probe_pollfds(dns_probe *p, struct pollfd *fds, size_t max);
/* Read replies and retransmit; now_ms monotonic. Returns true when every
 * query is answered (or refused). */
bool dns_probe_step(dns_probe *p, int64_t now_ms);
/* Next time dns_probe_step wants to run (retransmit), monotonic ms. */
int64_t dns_probe_next_ms(const dns_probe *p);
/* The combined answer for (server, name): A and AAAA merged. */
const dns_answer *dns_probe_answer(const dns_probe *p, size_t server, size_t name);
/* The answer used to go on probing a name: the first server in resolv.conf
 * order that has answered usably (refusing and SERVFAIL servers skipped, as
 * Go does); NULL if none has yet. The delay a silent server adds is reported
 * separately (resolv_worst_delay_ms), so probes do not wait for it. */
const dns_answer *dns_probe_first(const dns_probe *p, size_t name, size_t *server);
void dns_probe_free(dns_probe *p);

/* Monotonic clock in milliseconds. */
int64_t net_now_ms(void);

/* ======================================================================== */
/* ==== kernel, processes, cgroups, go binaries, PATH (issue 7) =========== */
/* ==== kernel.c proc.c cgroup.c gobin.c pathdirs.c goenv.c check.c ======= */
/* ======================================================================== */

/*
 * Rules GE6001-GE6099 (rules/GE60nn.json). Live values are read through the
 * root (<root>/proc, <root>/sys/fs/cgroup), so a fixture folder fakes a whole
 * kernel. Only in live mode (root "/", i.e. no --root) does this code also
 * ask the kernel directly (getrlimit, sched_getaffinity) and, unless offline
 * or no_exec, run `go env -json` under a deadline: only for the caller's own
 * environment, only a binary nobody else can replace, with the context's Go
 * variables, PATH and HOME as its whole environment (goenv.c). Every finding names a file
 * and line a person can open: the sysctl.d line, the unit line, the rc-file
 * line that set a variable, or the /proc or /sys path that was read.
 */

struct sim_result;
struct sysconf;

/* One value of a context, with the line that set it (file NULL: default). */
typedef struct live_value {
    const char *value;      /* NULL: unset */
    const char *file;       /* machine path */
    int line;               /* 1-based, 0 if unknown */
} live_value;

typedef enum live_var {
    LV_PATH = 0, LV_GOROOT, LV_GOPATH, LV_GOBIN, LV_GOMAXPROCS, LV_GODEBUG,
    LV_GOPROXY, LV_GOENV, LV_HOME, LV_COUNT
} live_var;

const char *live_var_name(live_var v); /* "PATH", ... */

/* A PATH entry with the line that added it. */
typedef struct live_path_dir {
    const char *dir;
    const char *file;
    int line;
} live_path_dir;

/* What the live checks need of one context: a shell context of the
 * simulator, or a unit ("systemd:api.service"). */
typedef struct live_context {
    const char *name;
    live_value v[LV_COUNT];
    const live_path_dir *path;  /* PATH split, with provenance; NULL: split v[LV_PATH] */
    size_t npath;
    const char *exec;           /* units: the ExecStart= binary (machine path), else NULL */
    const char *exec_file;      /* and its line */
    int exec_line;
    int pid;                    /* a running process (--pid/--unit): its cgroup applies */
} live_context;

typedef struct live_options {
    const root *root;           /* every read; dir "" means this machine */
    bool offline;               /* --offline: no `go env` */
    bool no_exec;               /* --no-exec: no `go env` */
    double timeout;             /* seconds for `go env` (<= 0: 3) */
    int pid;                    /* --pid N (0: none) */
    const char *unit;           /* --unit NAME (resolved through /proc/ST/cgroup) */
    const struct sim_result *sim;   /* contexts from the simulator (may be NULL) */
    const struct sysconf *sc;       /* configured sysctl, units, limits (may be NULL) */
    const live_context *contexts;   /* more contexts (tests, callers without sim) */
    size_t ncontexts;
    long uid;                   /* user owning the PATH; -1: sim->uid, else getuid() in live mode */
    const char *arch;           /* host machine ("x86_64"); NULL: <root>/proc/sys/kernel/arch, uname */
} live_options;

/* Run every live check; findings go to out. Fast: no scan of /proc unless
 * opt->unit is given; `go env` only in live mode. */
void live_check_run(const live_options *opt, finding_list *out);

/* Contexts of a simulation and of the units of a sysconf (those with an
 * ExecStart or Environment=), in the arena. Returns the count. */
size_t live_contexts_collect(arena *a, const struct sim_result *sim, const struct sysconf *sc,
                             live_context **out);

/* ---- building blocks, exposed for tests ---------------------------------- */

/* Read a whole small file under the root (bounded, 1 MiB): heap string or NULL. */
char *live_read(const root *r, const char *machine_path, size_t *len);
/* Numeric /proc/sys value (first field); false if absent or not a number. */
bool live_sysctl_u64(const root *r, const char *key, uint64_t *out);

/* Resource limits of a process, from /proc/N/limits (or getrlimit). */
#define LIVE_RLIM_INF UINT64_MAX
typedef struct live_rlimit {
    uint64_t soft, hard;        /* LIVE_RLIM_INF: unlimited */
    int line;                   /* line in the limits file, 0 if not from a file */
    bool found;
} live_rlimit;

typedef struct live_proc {
    int pid;                    /* 0: the process itself (/proc/self) */
    char proc_dir[32];          /* "/proc/self", "/proc/42" */
    live_rlimit nofile, nproc;
    long nfds;                  /* open descriptors, -1 if unknown */
    long threads;               /* Threads: from status, -1 if unknown */
    int threads_line;
    char comm[64];
} live_proc;

/* Parse /proc/N/limits text into nofile/nproc. */
void live_limits_parse(const char *text, live_rlimit *nofile, live_rlimit *nproc);
/* Read a process (pid 0: self) under the root. False if /proc/N is absent. */
bool live_proc_read(const root *r, int pid, live_proc *p);
/* The main process of a unit: the pid in a cgroup ending in /NAME whose
 * parent is outside it (lowest pid on ties). 0 if none. Scans <root>/proc. */
int live_unit_pid(const root *r, const char *unit);

/* cgroups */
typedef enum live_cg_mode { LIVE_CG_NONE = 0, LIVE_CG_V1, LIVE_CG_V2, LIVE_CG_HYBRID } live_cg_mode;
const char *live_cg_mode_name(live_cg_mode m); /* "none", "v1", "v2", "hybrid" */

typedef struct live_cpu_limit {
    live_cg_mode mode;
    bool cpu_v2;                /* the cpu controller is on the v2 hierarchy */
    char cgroup[512];           /* the process's cgroup path as /proc/N/cgroup says */
    char dir[512];              /* machine path of its directory ("/sys/fs/cgroup/x") */
    double quota;               /* effective limit in CPUs (min over ancestors); 0: none */
    char quota_file[600];       /* machine path of the file holding the binding limit */
    char quota_text[64];        /* its content ("150000 100000", "-1") */
    int ncpus;                  /* affinity count, 0 if unknown */
    char cpus_from[64];         /* "sched_getaffinity" or "/proc/N/status" */
    int cpus_line;
} live_cpu_limit;

/* Cgroup mode from mountinfo text. */
live_cg_mode live_cg_mode_parse(const char *mountinfo);
/* The CPU limit of /proc/<pid> (0: self) under the root. */
void live_cpu_limit_read(const root *r, int pid, bool live, live_cpu_limit *out);
/* Count CPUs in a list like "0-3,8,10-11". */
int live_cpulist_count(const char *list);

/* Go versions: "go1.25.1" -> 1, 25, 1. False if not a release. */
bool live_go_version_parse(const char *v, int *major, int *minor, int *patch);
/* GOMAXPROCS the Go runtime picks by default (not set in the environment):
 * from Go 1.25 (containermaxprocs on) min(ncpus, max(2, ceil(quota))). */
int live_gomaxprocs_default(int go_minor, bool containermaxprocs, int ncpus, double quota);
/* A GODEBUG setting ("containermaxprocs"): 1/0, or -1 if not there. Last wins. */
int live_godebug_get(const char *godebug, const char *name);

/* ELF identity of a file. */
typedef enum live_bin_kind {
    LIVE_BIN_MISSING = 0, LIVE_BIN_ELF, LIVE_BIN_SCRIPT, LIVE_BIN_OTHER, LIVE_BIN_UNREADABLE
} live_bin_kind;

typedef struct live_bin {
    live_bin_kind kind;
    int elf_class;              /* 32 or 64 */
    int elf_machine;            /* e_machine */
    bool big_endian;
    char interp[128];           /* scripts: the #! line */
    char go_version[32];        /* from build info ("go1.22.1"), "" if none */
    char shim[16];              /* "asdf", "goenv", "mise", "gvm" or "" */
} live_bin;

/* Identify the file at a host path (reads the header and .go.buildinfo). */
void live_bin_read(const char *host_path, live_bin *b);
/* Parse a Go build-info blob (starting at "\xff Go buildinf:"). */
bool live_buildinfo_parse(const unsigned char *p, size_t n, char *version, size_t vlen);
/* e_machine of a uname machine name; 0 if unknown. Name of an e_machine. */
int live_arch_machine(const char *uname_machine);
const char *live_machine_name(int e_machine);

/* Resolve symlinks of a machine path inside the root (absolute targets are
 * taken inside the root), at most 40 hops. Returns false on a loop or when
 * something is missing; out receives the machine path reached so far. */
bool live_resolve(const root *r, const char *machine_path, char *out, size_t outlen, bool *loop);
/* Look `name` up on a PATH (':'-separated) under the root; out gets the
 * machine path of the first executable; index receives its PATH position. */
bool live_path_lookup(const root *r, const char *path, const char *name, char *out, size_t outlen,
                      size_t *index);

/* Parse `go env -json` output and return a value (heap) or NULL. */
char *live_goenv_get(const char *json, const char *name);
/* Run argv (no shell, working directory /, no descriptor but the three
 * standard ones) with a deadline and exactly the environment envp (NULL-
 * terminated NAME=VALUE strings); stdout into out (bounded 1 MiB). Returns
 * the exit status, -1 on failure/timeout (why says which). The caller's own
 * environment is never passed on. live_exec_capture: an empty environment. */
int live_exec_capture_env(char *const argv[], char *const envp[], double timeout, strbuf *out,
                          char *why, size_t whylen);
int live_exec_capture(char *const argv[], double timeout, strbuf *out, char *why, size_t whylen);

#endif

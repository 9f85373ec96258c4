/*
 * netprobe_main.c - test driver for the network stage until `doctor` calls
 * net_probe_run itself. Builds net_probe_options from the command line,
 * prints findings one per line and the result table:
 *
 *   netprobe --root DIR [--timeout S] [--offline] [--tls-max 12|13]
 *            [--slow-ms N] [--dns-port P] [--default-file F] [--goprivate-port P]
 *            [--context NAME [--cgo]] [--set VAR=VALUE[@FILE:LINE]]...
 *
 * --set applies to the last --context (a context "default" is made if none).
 * Output lines:
 *   finding RULE SEVERITY FILE:LINE [ctx,..] MESSAGE
 *   endpoint WHAT URL layer=L status=N dns=MS connect=MS tls=MS first_byte=MS error=...
 *   nameserver ADDR line=N answered=0|1 refused=0|1 rtt=MS
 *   wall_ms N
 */
#include "live/live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_CTX 8

static void on_progress(void *arg, const char *line)
{
    (void)arg;
    fprintf(stderr, "\r\033[K%s", line);
}

static int var_of(const char *name)
{
    for (int v = 0; v < NETV_COUNT; v++)
        if (strcmp(net_var_name((net_var)v), name) == 0)
            return v;
    return -1;
}

int main(int argc, char **argv)
{
    static net_context ctx[MAX_CTX];
    size_t nctx = 0;
    net_probe_options opt = {0};
    root r = {.dir = ""};
    opt.root = &r;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--root") == 0 && v) {
            r.dir = argv[++i];
        } else if (strcmp(a, "--timeout") == 0 && v) {
            opt.timeout = atof(argv[++i]);
        } else if (strcmp(a, "--offline") == 0) {
            opt.offline = true;
        } else if (strcmp(a, "--tls-max") == 0 && v) {
            opt.tls_max = atoi(argv[++i]);
        } else if (strcmp(a, "--slow-ms") == 0 && v) {
            opt.slow_ms = atol(argv[++i]);
        } else if (strcmp(a, "--dns-port") == 0 && v) {
            opt.dns_port = atoi(argv[++i]);
        } else if (strcmp(a, "--goprivate-port") == 0 && v) {
            opt.goprivate_port = atoi(argv[++i]);
        } else if (strcmp(a, "--module") == 0 && v) {
            opt.module = argv[++i];
        } else if (strcmp(a, "--default-file") == 0 && v) {
            opt.default_file = argv[++i];
        } else if (strcmp(a, "--context") == 0 && v && nctx < MAX_CTX) {
            ctx[nctx++].name = argv[++i];
        } else if (strcmp(a, "--cgo") == 0 && nctx) {
            ctx[nctx - 1].binary_has_cgo = true;
        } else if (strcmp(a, "--set") == 0 && v) {
            if (!nctx)
                ctx[nctx++].name = "default";
            char *s = argv[++i];
            char *eq = strchr(s, '=');
            if (!eq) {
                fprintf(stderr, "netprobe: --set VAR=VALUE[@FILE:LINE]\n");
                return 2;
            }
            *eq = '\0';
            int var = var_of(s);
            if (var < 0) {
                fprintf(stderr, "netprobe: unknown variable %s\n", s);
                return 2;
            }
            net_value *nv = &ctx[nctx - 1].v[var];
            nv->value = eq + 1;
            char *at = strrchr(eq + 1, '@');
            if (at && at[1] == '/') {
                *at = '\0';
                char *colon = strrchr(at + 1, ':');
                if (colon) {
                    *colon = '\0';
                    nv->line = atoi(colon + 1);
                }
                nv->file = at + 1;
            }
        } else {
            fprintf(stderr, "netprobe: unknown option %s\n", a);
            return 2;
        }
    }
    opt.contexts = ctx;
    opt.ncontexts = nctx;
    if (isatty(2)) {
        opt.progress = on_progress;
    }
    finding_list fl;
    findings_init(&fl);
    net_probe_report rep;
    net_probe_run(&opt, &fl, &rep);
    if (opt.progress)
        fprintf(stderr, "\r\033[K");
    findings_sort(&fl);
    for (size_t i = 0; i < fl.n; i++) {
        const finding *f = fl.items[i];
        printf("finding %s %s %s:%d [", f->rule, severity_name(f->sev), f->file, f->line);
        for (size_t c = 0; c < f->ncontexts; c++)
            printf("%s%s", c ? "," : "", f->contexts[c]);
        printf("] %s%s\n", f->message, f->caused_by ? " (caused_by)" : "");
    }
    for (size_t i = 0; i < rep.nep; i++) {
        const net_endpoint_result *e = &rep.ep[i];
        printf("endpoint %s %s layer=%s status=%ld dns=%ld connect=%ld tls=%ld first_byte=%ld "
               "proxy=%s error=%s\n", e->what, e->url, net_layer_name(e->failed_layer),
               e->http_status, e->dns_ms, e->connect_ms, e->tls_ms, e->first_byte_ms,
               e->proxy[0] ? e->proxy : "-", e->error[0] ? e->error : "-");
    }
    for (size_t i = 0; i < rep.nns; i++)
        printf("nameserver %s line=%d answered=%d refused=%d rtt=%ld\n", rep.ns[i].addr,
               rep.ns[i].line, rep.ns[i].answered, rep.ns[i].refused, rep.ns[i].rtt_ms);
    printf("wall_ms %ld\n", rep.wall_ms);
    net_probe_report_release(&rep);
    findings_release(&fl);
    return 0;
}

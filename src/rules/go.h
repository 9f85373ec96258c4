/*
 * go.h - the Go toolchain rules (GE3101-GE3199), run over the simulator's
 * effective environment of every context, and the small value checkers they
 * are built from (exposed for tests). Part of src/rules; used by doctor.
 */
#ifndef GOLINT_RULES_GO_H
#define GOLINT_RULES_GO_H

#include "core/core.h"
#include "sim/sim.h"

/* Run every GE31xx rule over each context of sr. Call it after the per-file
 * and simulator findings are in out: a symptom ("go not found in
 * ssh-command") is linked to the GE2xxx/GE3001 finding at the line that
 * causes it instead of repeating it. Reads (install places, VERSION files,
 * the go env file) go through r. Never prints. */
void go_rules_run(const sim_result *sr, const root *r, finding_list *out);

/* One Go installation found under the root. */
typedef struct go_install {
    char bin[512];      /* machine path of the go command ("/usr/local/go/bin/go") */
    char goroot[512];   /* its GOROOT, symlinks followed ("/usr/local/go") */
    char version[64];   /* first line of GOROOT/VERSION ("go1.22.5"), "" if unknown */
} go_install;

/* The usual install places under r (/usr/local/go/bin, /usr/lib/go-x/bin,
 * /snap/bin, ~/go/bin, ~/sdk/go*, /opt/go*, ~/.local/go/bin, /usr/bin);
 * home may be NULL. Returns the number written (at most max), sorted. */
size_t go_installs_find(const root *r, const char *home, go_install *out, size_t max);
/* The go command on a ':'-separated PATH under r; false if none. */
bool go_on_path(const root *r, const char *path, go_install *out);

/* Value checkers: true if valid, else false with the reason in why. */
bool go_proxy_valid(const char *value, char *why, size_t whylen);
bool go_patterns_valid(const char *value, char *why, size_t whylen);
bool go_toolchain_valid(const char *value, char *why, size_t whylen);
bool go_flags_valid(const char *value, char *why, size_t whylen);
/* The netdns setting of a GODEBUG value: go, cgo, 1, 2, go+1, cgo+2 ... */
bool go_netdns_valid(const char *godebug, char *why, size_t whylen);

#endif

/* test_sim.c - the startup-chain simulator on small machines written to a temp root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "sim/sim.h"
#include "sim_root.h"

static void chmod_machine(const char *path)
{
    char full[512];
    snprintf(full, sizeof(full), "%s%s", tmpl, path);
    assert_int_equal(chmod(full, 0755), 0);
}

static int setup(void **state)
{
    (void)state;
    sim_root_make("test_sim", "root:x:0:0:root:/root:/bin/bash\nu:x:1000:1000::/home/u:/bin/bash\n");
    return 0;
}

static sim_result *run(shell_dialect sh, const char *ctx)
{
    return sim_root_run(sh, ctx);
}

static const char *value(const sim_result *r, const char *ctx, const char *name)
{
    const env_var *v = sim_lookup(sim_find_context(r, ctx), name);
    return v && v->value ? v->value : NULL;
}

static const env_var *var(const sim_result *r, const char *ctx, const char *name)
{
    return sim_lookup(sim_find_context(r, ctx), name);
}

static bool has_event(const sim_context *c, sim_event_kind kind, const char *detail_part)
{
    for (size_t i = 0; i < c->nevents; i++)
        if (c->events[i].kind == kind &&
            (!detail_part || (c->events[i].detail && strstr(c->events[i].detail, detail_part))))
            return true;
    return false;
}

static void test_pathmunge_and_provenance(void **state)
{
    (void)state;
    put("/etc/profile", "pathmunge () {\n  case \":${PATH}:\" in\n    *:\"$1\":*) ;;\n"
                        "    *) if [ \"$2\" = \"after\" ]; then PATH=$PATH:$1; else PATH=$1:$PATH; fi\n  esac\n}\n"
                        "pathmunge /opt/go/bin after\npathmunge /usr/bin\nexport PATH\n");
    sim_result *r = run(SHELL_BASH, "login");
    assert_string_equal(value(r, "login", "PATH"), "/usr/bin:/bin:/opt/go/bin");
    const env_var *p = sim_lookup(sim_find_context(r, "login"), "PATH");
    assert_int_equal(p->nentries, 3);
    /* the entry is attributed to the call, not to the function body */
    assert_string_equal(p->entries[2].at.file, "/etc/profile");
    assert_int_equal(p->entries[2].at.line, 7);
    assert_int_equal(p->entries[0].at.line, 1); /* login.defs */
    sim_result_free(r);
}

static void test_guard_and_undecided(void **state)
{
    (void)state;
    put("/home/u/.bashrc", "export A=1\ncase $- in *i*) ;; *) return;; esac\nexport GOPATH=$HOME/go\n"
                           "if [ \"$(hostname)\" = box ]; then export B=x; fi\n. ~/missing.sh\n");
    sim_result *r = run(SHELL_BASH, NULL);
    assert_string_equal(value(r, "terminal", "GOPATH"), "/home/u/go");
    assert_null(value(r, "ssh-command", "GOPATH"));
    assert_string_equal(value(r, "ssh-command", "A"), "1");
    const env_var *b = sim_lookup(sim_find_context(r, "terminal"), "B");
    assert_non_null(b);
    assert_false(b->certain);
    /* events: the early return in ssh-command, the missing source in terminal */
    const sim_context *ssh = sim_find_context(r, "ssh-command");
    bool skipped = false;
    for (size_t i = 0; i < ssh->nevents; i++)
        if (ssh->events[i].kind == SIM_EV_SKIPPED_SET && strcmp(ssh->events[i].name, "GOPATH") == 0)
            skipped = true;
    assert_true(skipped);
    const sim_context *term = sim_find_context(r, "terminal");
    bool missing = false;
    for (size_t i = 0; i < term->nevents; i++)
        if (term->events[i].kind == SIM_EV_SOURCE_MISSING) missing = true;
    assert_true(missing);
    sim_result_free(r);
}

static void test_zsh_path_unique_and_zdotdir(void **state)
{
    (void)state;
    put("/home/u/.zshenv", "export ZDOTDIR=$HOME/.zsh\n");
    put("/home/u/.zshrc", "export DEAD=1\n");
    put("/home/u/.zsh/.zshrc", "typeset -U path\npath=(/go/bin $path /go/bin)\npath+=(/usr/bin)\n");
    sim_result *r = run(SHELL_ZSH, "terminal");
    assert_string_equal(value(r, "terminal", "PATH"), "/go/bin:/usr/bin:/bin");
    assert_null(value(r, "terminal", "DEAD"));
    const sim_context *c = sim_find_context(r, "terminal");
    bool shadowed = false;
    for (size_t i = 0; i < c->nevents; i++)
        if (c->events[i].kind == SIM_EV_SHADOWED && strstr(c->events[i].file, "/home/u/.zshrc"))
            shadowed = true;
    assert_true(shadowed);
    sim_result_free(r);
}

static void test_cycle_is_bounded(void **state)
{
    (void)state;
    put("/home/u/.bashrc", ". ~/.bashrc\nexport X=1\n");
    sim_result *r = run(SHELL_BASH, "terminal");
    assert_string_equal(value(r, "terminal", "X"), "1");
    assert_true(has_event(sim_find_context(r, "terminal"), SIM_EV_SOURCE_CYCLE, NULL));
    sim_result_free(r);
    assert_null(sim_run(&(sim_options){0}, "no-such-context"));
}

/* What real bash says NAME is after sourcing the machine file path (HOME set
 * to the fake home), or NULL when bash cannot be run here. The snippets are
 * the test's own, not analysed files. */
static char *bash_says(const char *path, const char *name)
{
    if (access("/bin/bash", X_OK) != 0) return NULL;
    char cmd[1024];
    snprintf(cmd, sizeof(cmd),
             "cd %s/home/u && env -i HOME=%s/home/u PATH=/usr/bin:/bin LC_ALL=C.UTF-8 NAME_=%s "
             "/bin/bash --norc --noprofile -c '. \"$1\" >/dev/null 2>&1; printf %%s \"${!NAME_}\"' _ %s%s",
             tmpl, tmpl, name, tmpl, path);
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    static char out[4096];
    size_t n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = '\0';
    pclose(p);
    return out;
}

/* The simulated value agrees with bash on the same snippet. */
static void assert_as_bash(const sim_result *r, const char *file, const char *name)
{
    const env_var *v = var(r, "terminal", name);
    assert_non_null(v);
    assert_true(v->certain);
    char *b = bash_says(file, name);
    if (b) assert_string_equal(v->value, b);
}

/* Every item of a for loop, in order: word lists, braces, sequences, "$@",
 * arrays and their keys; ~/.{a,b} sources every file that exists. */
static void test_for_every_item(void **state)
{
    (void)state;
    put("/home/u/.path", "export SEEN_PATH=1\n");
    put("/home/u/.exports", "export SEEN_EXPORTS=1\n");
    put("/home/u/.bashrc",
        "for f in ~/.{path,bash_prompt,exports}; do [ -r \"$f\" ] && source \"$f\"; done\n"
        "for x in 1 2 3; do G=${G:+$G:}/g$x; done\n"
        "for i in {1..3} {a..c} {08..10} x{y,z{1,2}}; do S=\"$S $i\"; done\n"
        "arr=(a \"b c\" d)\n"
        "for k in \"${!arr[@]}\"; do K=\"$K $k\"; done\n"
        "for v in \"${arr[@]}\"; do V=\"$V|$v\"; done\n"
        "N=${#arr[@]}\n"
        "E=${arr[1]}\n"
        "set -- p 'q r'\n"
        "for p in \"$@\"; do P=\"$P|$p\"; done\n"
        "for p; do Q=\"$Q|$p\"; done\n"
        "set --\n"
        "for p in \"$@\"; do Z=bad; done\n"
        "for w in a b\n"
        "do\n"
        "  W=\"$W$w\"\n"
        "done\n");
    sim_result *r = run(SHELL_BASH, "terminal");
    assert_string_equal(value(r, "terminal", "SEEN_PATH"), "1");
    assert_string_equal(value(r, "terminal", "SEEN_EXPORTS"), "1");
    assert_string_equal(value(r, "terminal", "G"), "/g1:/g2:/g3");
    assert_string_equal(value(r, "terminal", "S"), " 1 2 3 a b c 08 09 10 xy xz1 xz2");
    const char *same[] = {"G", "S", "K", "V", "N", "E", "P", "Q", "W"};
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
        assert_as_bash(r, "/home/u/.bashrc", same[i]);
    assert_null(value(r, "terminal", "Z"));
    sim_result_free(r);
}

/* while read loops over a file of the root, directly and through cat/tac. */
static void test_while_read_file(void **state)
{
    (void)state;
    put("/home/u/.paths", "/opt/a\n# comment\n\n/opt/b\n/opt/last-without-newline");
    put("/home/u/.kv", "k1:v1\nk2: v2 x \n");
    put("/home/u/.bashrc",
        "while read -r line; do\n"
        "  case \"$line\" in ''|\\#*) continue ;; esac\n"
        "  L=\"${L:+$L:}$line\"\n"
        "done < ~/.paths\n"
        "while IFS=: read -r a b; do X=\"$X,$a=$b\"; done < <(tac ~/.kv)\n"
        "while read -r y; do Y=$y; done < <(cat ~/.kv)\n"
        "while read -r n; do NOPE=$n; done < ~/.no-such-file\n");
    sim_result *r = run(SHELL_BASH, "terminal");
    assert_string_equal(value(r, "terminal", "L"), "/opt/a:/opt/b");
    assert_as_bash(r, "/home/u/.bashrc", "L");
    assert_as_bash(r, "/home/u/.bashrc", "X");
    assert_as_bash(r, "/home/u/.bashrc", "Y");
    assert_null(value(r, "terminal", "NOPE"));
    sim_result_free(r);
}

/* $(...) answered without running anything; the rest stays opaque. */
static void test_command_substitutions(void **state)
{
    (void)state;
    put("/usr/local/go/bin/go", "#!/bin/sh\n");
    chmod_machine("/usr/local/go/bin/go");
    put("/home/u/.config/go/env", "GOPROXY=https://goproxy.io,direct\n");
    put("/home/u/.bashrc",
        "export PATH=/usr/local/go/bin:/usr/bin:/bin\n"
        "export GOPATH=$(go env GOPATH)\n"
        "export GOROOT=\"$(go env GOROOT)\"\n"
        "export GOPROXY=`go env GOPROXY`\n"
        "export GOBIN=$(go env GOBIN)\n"
        "export D=$(dirname $(dirname /a/b/c)) B=$(basename /x/y.sh .sh)\n"
        "export GP=$(command -v go) W=$(which nope) U=$(uname -s) GC=$(getconf PATH)\n"
        "export O=$(some-tool --flag)\n"
        "export HERE=$(dirname \"${BASH_SOURCE[0]}\")\n");
    sim_result *r = run(SHELL_BASH, "terminal");
    assert_string_equal(value(r, "terminal", "GOPATH"), "/home/u/go");
    assert_string_equal(value(r, "terminal", "GOROOT"), "/usr/local/go");
    assert_string_equal(value(r, "terminal", "GOPROXY"), "https://goproxy.io,direct");
    assert_string_equal(value(r, "terminal", "GOBIN"), "");
    assert_string_equal(value(r, "terminal", "D"), "/a");
    assert_string_equal(value(r, "terminal", "B"), "y");
    assert_string_equal(value(r, "terminal", "GP"), "/usr/local/go/bin/go");
    assert_string_equal(value(r, "terminal", "W"), "");
    assert_string_equal(value(r, "terminal", "U"), "Linux");
    assert_string_equal(value(r, "terminal", "GC"), "/bin:/usr/bin");
    assert_true(var(r, "terminal", "GOPATH")->certain);
    assert_false(var(r, "terminal", "O")->certain);
    assert_string_equal(value(r, "terminal", "HERE"), "/home/u");
    sim_result_free(r);
}

/* $'...' keeps its escapes; a bash file's lowercase path is not PATH. */
static void test_ansi_c_and_bash_path(void **state)
{
    (void)state;
    put("/home/u/.bashrc", "C=$'\\E[01;31m\\x41\\u00e9\\t'\npath=/nope\nexport C\n");
    sim_result *r = run(SHELL_BASH, "terminal");
    assert_string_equal(value(r, "terminal", "C"), "\033[01;31mA\xc3\xa9\t");
    assert_as_bash(r, "/home/u/.bashrc", "C");
    assert_null(strstr(value(r, "terminal", "PATH"), "nope"));
    assert_string_equal(value(r, "terminal", "path"), "/nope");
    sim_result_free(r);
}

/* What is not followed makes values uncertain; interpretation goes on. */
static void test_unfollowed_is_uncertain(void **state)
{
    (void)state;
    put("/home/u/.bashrc",
        "export A=1\n"
        "eval \"$(dircolors -b)\"\n"
        "export KEEP=1\n"
        "for config_file (a b); do source $config_file; done\n"
        "export AFTER=2\n"
        "export GOBIN=$GOPATH/bin\n");
    sim_result *r = run(SHELL_BASH, "terminal");
    const sim_context *c = sim_find_context(r, "terminal");
    /* dircolors only touches LS_COLORS; the unparsed loop could set anything */
    assert_false(var(r, "terminal", "A")->certain);
    assert_string_equal(value(r, "terminal", "AFTER"), "2");
    assert_true(var(r, "terminal", "AFTER")->certain);
    assert_false(var(r, "terminal", "GOBIN")->certain);
    assert_true(c->env_approx);
    assert_true(c->napprox > 0);
    assert_string_equal(c->approx_why, "unparsed region");
    assert_int_equal(c->approx_at.line, 4);
    assert_true(has_event(c, SIM_EV_OPAQUE, "unparsed region"));

    put("/home/u/.bashrc", "export A=1\neval \"$(dircolors -b)\"\n");
    sim_result_free(r);
    r = run(SHELL_BASH, "terminal");
    c = sim_find_context(r, "terminal");
    assert_true(var(r, "terminal", "A")->certain);
    assert_false(c->env_approx);
    assert_false(var(r, "terminal", "LS_COLORS")->certain);

    put("/home/u/.bashrc", "export A=1\neval \"$(pyenv init -)\"\nsource <(gh completion -s bash)\n");
    sim_result_free(r);
    r = run(SHELL_BASH, "terminal");
    c = sim_find_context(r, "terminal");
    assert_false(var(r, "terminal", "A")->certain);
    assert_true(c->env_approx);
    assert_string_equal(c->approx_why, "eval");
    sim_result_free(r);
}

/* A loop is bounded by work, not time; past it what the body sets is uncertain. */
static void test_loop_bound(void **state)
{
    (void)state;
    put("/home/u/.bashrc",
        "for i in {1..400}; do for j in {1..400}; do X=$j; Y=$i; done; done\nexport X\n");
    sim_result *r = run(SHELL_BASH, "terminal");
    const sim_context *c = sim_find_context(r, "terminal");
    assert_true(has_event(c, SIM_EV_STEP_LIMIT, "loop limit"));
    assert_false(var(r, "terminal", "X")->certain);
    assert_false(var(r, "terminal", "Y")->certain);
    assert_false(c->env_approx); /* the body only sets X and Y */
    sim_result_free(r);
}

/* A sourced file over a work budget is not followed: everything after it is
 * approximate, never certain. */
static void test_file_over_budget(void **state)
{
    (void)state;
    size_t n = SHELL_MAX_BYTES + 16;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, ';', n);
    memcpy(big, "export GOPATH=/x\n", 17);
    big[n] = '\0';
    put("/home/u/.bashrc", "export A=1\n. ~/.big\n");
    put("/home/u/.big", big);
    free(big);
    sim_result *r = run(SHELL_BASH, "terminal");
    const sim_context *c = sim_find_context(r, "terminal");
    assert_true(has_event(c, SIM_EV_OPAQUE, "work budget"));
    assert_true(c->env_approx);
    assert_false(var(r, "terminal", "A")->certain);
    sim_result_free(r);
}

/* A function's status comes from the `return N` it reached on a decided
 * path: `try /a || try /b` runs only what the real shell runs (wookayin's
 * _try_conda_base chain added every candidate before). */
static void test_function_return_status(void **state)
{
    (void)state;
    put("/b/condabin/conda", "");
    put("/home/u/.bashrc",
        "try() { [ -d \"$1/condabin\" ] || return 1; PATH=\"$1/condabin:$PATH\"; return 0; }\n"
        "try /a || try /b || try /c || true\nexport PATH\n"
        "g() { if [ -n \"$(date)\" ]; then return 0; fi; return 1; }\ng && export G=1\n");
    sim_result *r = run(SHELL_BASH, "terminal");
    assert_string_equal(value(r, "terminal", "PATH"), "/b/condabin:/usr/bin:/bin");
    assert_true(var(r, "terminal", "PATH")->certain);
    assert_false(var(r, "terminal", "G")->certain);
    sim_result_free(r);
}

/* ${v/pat/rep} and its //, /# and /% forms, as bash gives them (checked
 * with bash 5.2: aBcabc aBcaBc Zbcabc abcabZ bb abcabc); rwxrob's
 * pathprepend removes an entry this way before adding it first. */
static void test_pattern_substitution(void **state)
{
    (void)state;
    put("/home/u/.bashrc",
        "X=abcabc\nexport A=${X/b/B} B=${X//b/B} C=${X/#a/Z} D=${X/%c/Z} E=${X//[ac]/} F=${X/x/y}\n"
        "pre() { PATH=${PATH//:$1:/:}; PATH=${PATH/#$1:/}; PATH=${PATH/%:$1/}; PATH=\"$1:$PATH\"; }\n"
        "pre /bin\nexport PATH\n");
    sim_result *r = run(SHELL_BASH, "terminal");
    const char *want[][2] = {{"A", "aBcabc"}, {"B", "aBcaBc"}, {"C", "Zbcabc"},
                             {"D", "abcabZ"}, {"E", "bb"},     {"F", "abcabc"},
                             {"PATH", "/bin:/usr/bin"}};
    for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
        assert_string_equal(value(r, "terminal", want[i][0]), want[i][1]);
        assert_true(var(r, "terminal", want[i][0])->certain);
    }
    sim_result_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pathmunge_and_provenance),
        cmocka_unit_test(test_guard_and_undecided),
        cmocka_unit_test(test_zsh_path_unique_and_zdotdir),
        cmocka_unit_test(test_cycle_is_bounded),
        cmocka_unit_test(test_for_every_item),
        cmocka_unit_test(test_while_read_file),
        cmocka_unit_test(test_command_substitutions),
        cmocka_unit_test(test_ansi_c_and_bash_path),
        cmocka_unit_test(test_unfollowed_is_uncertain),
        cmocka_unit_test(test_loop_bound),
        cmocka_unit_test(test_file_over_budget),
        cmocka_unit_test(test_function_return_status),
        cmocka_unit_test(test_pattern_substitution),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

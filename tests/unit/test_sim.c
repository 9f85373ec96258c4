/* test_sim.c - the startup-chain simulator on small machines written to a temp root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "sim/sim.h"
#include "sim_root.h"

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
                           "if [ \"$(uname)\" = Linux ]; then export B=x; fi\n. ~/missing.sh\n");
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
    const sim_context *c = sim_find_context(r, "terminal");
    bool cycle = false;
    for (size_t i = 0; i < c->nevents; i++)
        if (c->events[i].kind == SIM_EV_SOURCE_CYCLE) cycle = true;
    assert_true(cycle);
    sim_result_free(r);
    assert_null(sim_run(&(sim_options){0}, "no-such-context"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pathmunge_and_provenance),
        cmocka_unit_test(test_guard_and_undecided),
        cmocka_unit_test(test_zsh_path_unique_and_zdotdir),
        cmocka_unit_test(test_cycle_is_bounded),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

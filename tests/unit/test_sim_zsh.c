/* test_sim_zsh.c - zsh files through tree-sitter-zsh and the interpreter's
 * zsh side (src/sim/zsh.c), on small machines written to a temp root. The
 * expected values are what zsh 5.9 prints for the same lines. */
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
    sim_root_make("test_sim_zsh", "u:x:1000:1000::/home/u:/bin/zsh\n");
    return 0;
}

/* The terminal context of user u with this ~/.zshrc. */
static sim_result *zshrc(const char *text)
{
    put("/home/u/.zshrc", text);
    return sim_root_run(SHELL_ZSH, "terminal");
}

static const env_var *var(const sim_result *r, const char *name)
{
    return sim_lookup(sim_find_context(r, "terminal"), name);
}

static const char *value(const sim_result *r, const char *name)
{
    const env_var *v = var(r, name);
    return v && v->value ? v->value : NULL;
}

static void test_dollar_colon_is_text(void **state)
{
    (void)state;
    sim_result *r = zshrc("export GOPATH=$HOME/go\nexport PATH=$PATH:$GOPATH/bin\nD=$HOME:h\n"
                          "#PATH=/commented/out\n#SPROMPT='x'\n");
    assert_string_equal(value(r, "PATH"), "/usr/bin:/bin:/home/u/go/bin");
    assert_true(var(r, "PATH")->certain);
    assert_string_equal(value(r, "D"), "/home");
    assert_null(var(r, "#SPROMPT"));
    sim_result_free(r);
}

static void test_terse_for_over_glob_with_qualifier(void **state)
{
    (void)state;
    put("/home/u/.oh-my-zsh/lib/a.zsh", "A=1\n");
    put("/home/u/.oh-my-zsh/lib/b.zsh", "B=2\n");
    sim_result *r = zshrc("ZSH=$HOME/.oh-my-zsh\n"
                          "for config_file (\"$ZSH\"/lib/*.zsh(N)); do\n  source $config_file\ndone\n"
                          "for f (\"$ZSH\"/none/*.zsh(N)) NONE=1\n");
    assert_string_equal(value(r, "A"), "1");
    assert_string_equal(value(r, "B"), "2");
    assert_null(value(r, "NONE"));
    sim_result_free(r);
}

/* tree-sitter-zsh reads unquoted braces as a glob_pattern: still brace
 * expansion, in loops and arrays, as zsh does it */
static void test_brace_expansion(void **state)
{
    (void)state;
    put("/home/u/.b", "B=1\n");
    sim_result *r = zshrc("for i in {s,r}mkx; do L=\"$L $i\"; done\n"
                          "for f in ~/.{a,b}; do [ -r $f ] && source $f; done\n"
                          "arr=(x{1,2} y)\nexport N=${#arr}\n");
    assert_string_equal(value(r, "L"), " smkx rmkx");
    assert_true(var(r, "L")->certain);
    assert_string_equal(value(r, "B"), "1");
    assert_string_equal(value(r, "N"), "3");
    sim_result_free(r);
}

/* prezto's path=( $HOME/{,s}bin(N) /opt/{homebrew,local}/{,s}bin(N) $path ):
 * braces, then the qualifier alone makes a glob that drops what is absent
 * (tree-sitter-zsh splits the second word in two: one word again) */
static void test_path_array_braces_and_qualifiers(void **state)
{
    (void)state;
    put("/home/u/bin/x", "");
    put("/opt/local/sbin/y", "");
    sim_result *r = zshrc("path=($HOME/{,s}bin(N) /opt/{homebrew,local}/{,s}bin(N) $path)\n"
                          "files=(/home/u/bin/*)\nexport F=\"$files\"\n");
    assert_string_equal(value(r, "PATH"), "/home/u/bin:/opt/local/sbin:/usr/bin:/bin");
    assert_true(var(r, "PATH")->certain);
    assert_string_equal(value(r, "F"), "/home/u/bin/x");
    sim_result_free(r);
}

/* "$path[@]" and "$path[*]": every element (brodierobertson's .zshenv) */
static void test_array_at_and_star(void **state)
{
    (void)state;
    sim_result *r = zshrc("path=(\"$HOME/x\" \"$path[@]\")\nexport J=\"$path[*]\"\n");
    assert_string_equal(value(r, "PATH"), "/home/u/x:/usr/bin:/bin");
    assert_true(var(r, "PATH")->certain);
    assert_string_equal(value(r, "J"), "/home/u/x /usr/bin /bin");
    sim_result_free(r);
}

/* tree-sitter-zsh 0.63.1 reads `PATH=/usr/local/sbin:$PATH` as an error
 * (and can swallow the lines after it): those lines mean the same in bash,
 * so they run as tree-sitter-bash reads them, never as garbled words */
static void test_lines_the_zsh_grammar_cannot_parse(void **state)
{
    (void)state;
    sim_result *r = zshrc("# Brew\nPATH=/usr/local/sbin:$PATH\n\nPATH=$HOME/.cabal/bin:$PATH\n"
                          "export DEV=$HOME/devel\nPATH=$HOME/bin:$PATH\nexport PATH\n");
    assert_string_equal(value(r, "PATH"),
                        "/home/u/bin:/home/u/.cabal/bin:/usr/local/sbin:/usr/bin:/bin");
    assert_true(var(r, "PATH")->certain);
    assert_string_equal(value(r, "DEV"), "/home/u/devel");
    sim_result_free(r);
}

static void test_parameter_flags(void **state)
{
    (void)state;
    sim_result *r = zshrc("p=(/usr/bin /bin)\nx=${(j.:.)p}\nparts=(${(s.:.)x})\nn=${#parts}\n"
                          "files=(/a/path.zsh /b/env.zsh)\nm=(${(M)files:#*/path.zsh})\n"
                          "k=(${files:#*/path.zsh})\nu=${(U)x}\nd=${nope:-d}\ns=${+nope}\n"
                          "t=${x#*:}\n");
    assert_string_equal(value(r, "x"), "/usr/bin:/bin");
    assert_string_equal(value(r, "n"), "2");
    assert_string_equal(value(r, "m"), "/a/path.zsh");
    assert_string_equal(value(r, "k"), "/b/env.zsh");
    assert_string_equal(value(r, "u"), "/USR/BIN:/BIN");
    assert_string_equal(value(r, "d"), "d");
    assert_string_equal(value(r, "s"), "0");
    assert_string_equal(value(r, "t"), "/bin");
    assert_true(var(r, "m")->certain);
    sim_result_free(r);
}

static void test_rc_expand_and_path_array(void **state)
{
    (void)state;
    sim_result *r = zshrc("typeset -U path\narr=(/a /b)\npath=($^arr/bin $path /a/bin)\n");
    assert_string_equal(value(r, "PATH"),
                        "/a/bin:/b/bin:/usr/bin:/bin");
    sim_result_free(r);
}

static void test_anonymous_function_and_locals(void **state)
{
    (void)state;
    sim_result *r = zshrc("() {\n  local tmp=/x\n  export ANON=$tmp/y\n}\n"
                          "f() { local i=1; typeset j=2; typeset -g G=3; }\nf\n"
                          "autoload -Uz compinit\nzstyle ':completion:*' menu select\nemulate -L zsh\n");
    assert_string_equal(value(r, "ANON"), "/x/y");
    assert_null(var(r, "tmp"));
    assert_null(var(r, "i"));
    assert_null(var(r, "j"));
    assert_string_equal(value(r, "G"), "3");
    sim_result_free(r);
}

static void test_unparsed_region_goes_on_uncertain(void **state)
{
    (void)state;
    /* `for x in ...; { }` is valid zsh that tree-sitter-zsh 0.63.1 cannot parse */
    sim_result *r = zshrc("BEFORE=1\nfor x in a b; { echo $x }\nexport AFTER=2\n");
    assert_string_equal(value(r, "BEFORE"), "1");
    assert_true(var(r, "BEFORE")->certain);
    const env_var *a = var(r, "AFTER");
    if (a) { /* followed past the region, but not certain */
        assert_false(a->certain);
    }
    sim_result_free(r);
}

static void test_sourced_file_takes_the_chain_dialect(void **state)
{
    (void)state;
    /* no telling name: parsed as zsh because zsh sources it */
    put("/home/u/.shell/paths", "arr=(/opt/a /opt/b)\nexport JOINED=${(j.:.)arr}\n");
    sim_result *r = zshrc("source ~/.shell/paths\n");
    assert_string_equal(value(r, "JOINED"), "/opt/a:/opt/b");
    sim_result_free(r);
}

static void test_glob_qualifiers_and_options(void **state)
{
    (void)state;
    put("/home/u/.zsh/a.zsh", "A=1\n");
    put("/home/u/.zsh/b.zsh", "B=1\n");
    put("/home/u/.zsh/b.zsh.zwc", "");
    put("/home/u/.zsh/d.zsh/x", "");
    sim_result *r = zshrc("setopt extended_glob\n"
                          "for f (~/.zsh/*.zsh(N.)) n+=($f:t)\n"
                          "for f (~/.zsh/*(N/)) dirs+=($f:t)\n"
                          "for f (~/.zsh/*~*.zwc(N^/)) kept+=($f:t)\n"
                          "[[ -o interactive ]] && I=yes\n[[ -o login ]] || L=no\n"
                          "[[ -o extendedglob ]] && E=yes\n"
                          "export ARR=(a b)\nexport S=x\n");
    assert_string_equal(value(r, "n"), "a.zsh b.zsh");
    assert_string_equal(value(r, "dirs"), "d.zsh");
    assert_string_equal(value(r, "kept"), "a.zsh b.zsh");
    assert_string_equal(value(r, "I"), "yes");
    assert_string_equal(value(r, "L"), "no");
    assert_string_equal(value(r, "E"), "yes");
    assert_false(var(r, "ARR")->exported); /* zsh puts no array in the environment */
    assert_true(var(r, "S")->exported);
    sim_result_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dollar_colon_is_text),
        cmocka_unit_test(test_terse_for_over_glob_with_qualifier),
        cmocka_unit_test(test_brace_expansion),
        cmocka_unit_test(test_path_array_braces_and_qualifiers),
        cmocka_unit_test(test_array_at_and_star),
        cmocka_unit_test(test_lines_the_zsh_grammar_cannot_parse),
        cmocka_unit_test(test_parameter_flags),
        cmocka_unit_test(test_rc_expand_and_path_array),
        cmocka_unit_test(test_anonymous_function_and_locals),
        cmocka_unit_test(test_unparsed_region_goes_on_uncertain),
        cmocka_unit_test(test_sourced_file_takes_the_chain_dialect),
        cmocka_unit_test(test_glob_qualifiers_and_options),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

#!/bin/bash
# Golden tests: run golint-env over whole fake machines and compare with the
# expected output. For each tests/golden/NAME/commands, line N is one argument
# list (@ROOT@ = fixtures/roots/NAME, @SRC@ = the source tree); its expected
# stdout and exit status are in tests/golden/NAME/N.out.
#   bash tests/fixtures.sh path/to/golint-env            compare
#   UPDATE_GOLDEN=1 bash tests/fixtures.sh path/to/...    rewrite the goldens
set -u
bin=$(realpath "${1:?usage: fixtures.sh GOLINT_ENV_BINARY}")
src=$(cd "$(dirname "$0")/.." && pwd)
export NO_COLOR=1 LC_ALL=C
unset GOLINT_ENV_RULES_DIR
pass=0 fail=0
for cmds in "$src"/tests/golden/*/commands; do
    [ -f "$cmds" ] || continue
    dir=$(dirname "$cmds")
    name=$(basename "$dir")
    root="fixtures/roots/$name"
    n=0
    while IFS= read -r line || [ -n "$line" ]; do
        n=$((n + 1))
        case $line in ''|'#'*) continue ;; esac
        line=${line//@ROOT@/$root}
        line=${line//@SRC@/$src}
        # shellcheck disable=SC2086
        actual=$(cd "$src" && eval "\"\$bin\" $line" 2>&1; echo "exit: $?")
        actual=${actual//$src/@SRC@}
        expected_file="$dir/$n.out"
        if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
            printf '%s\n' "$actual" > "$expected_file"
            pass=$((pass + 1))
            continue
        fi
        if [ -f "$expected_file" ] && [ "$(cat "$expected_file")" = "$actual" ]; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1))
            echo "FAIL $name line $n: golint-env $line"
            diff -u "$expected_file" <(printf '%s\n' "$actual") | head -60
        fi
    done < "$cmds"
done
echo "fixtures: $pass passed, $fail failed"
[ "$fail" = 0 ]

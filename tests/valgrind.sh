#!/bin/bash
# Leak and memory-error check: `check` over the fixture machines and the
# rule examples' files under valgrind (memcheck). Any leak "definitely" or
# "indirectly" lost, or any invalid read/write, fails the test.
# Skipped (77) without valgrind, or when the binary is an ASan build
# (ASan and valgrind cannot run together; LeakSanitizer covers that build).
set -u
bin=$(realpath "${1:?usage: valgrind.sh GOLINT_ENV_BINARY}")
src=${GOLINT_ENV_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
command -v valgrind >/dev/null || { echo "valgrind not installed: skipped"; exit 77; }
if nm -D "$bin" 2>/dev/null | grep -q '__asan_init' || nm "$bin" 2>/dev/null | grep -q '__asan_init' \
   || ldd "$bin" 2>/dev/null | grep -q libasan; then
    echo "ASan build: skipped (LeakSanitizer checks it)"; exit 77
fi
export NO_COLOR=1
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

# Files: every regular file of the fixture machines (check decides the kind;
# unknown kinds are skipped with a warning), plus one file per rule example.
mapfile -t files < <(find "$src/fixtures" -type f ! -name README ! -path '*/proc/*' | sort)
n=0
for r in "$src"/rules/*.json; do
    while IFS= read -r b; do
        n=$((n + 1))
        kind=$(printf '%s' "$b" | base64 -d | jq -r .kind)
        name=$(printf '%s' "$b" | base64 -d | jq -r '.name // "example"')
        mkdir -p "$t/ex/$n/$kind"
        printf '%s' "$b" | base64 -d | jq -j .code > "$t/ex/$n/$kind/$(basename "$name")"
    done < <(jq -r '(.examples.bad // []) + (.examples.good // []) | .[] | select(.code != null) | @base64' "$r")
done
[ -d "$t/ex" ] && mapfile -t -O "${#files[@]}" files < <(find "$t/ex" -type f | sort)
echo "valgrind: check over ${#files[@]} files"

fail=0
run() { # NAME ARGS...
    local name=$1 rc
    shift
    timeout 600 valgrind -q --error-exitcode=99 --leak-check=full \
        --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
        --log-file="$t/vg.log" "$bin" "$@" > "$t/out" 2>&1
    rc=$?
    if [ $rc = 99 ] || [ $rc = 124 ] || [ $rc -ge 128 ] || [ -s "$t/vg.log" ]; then
        echo "FAIL $name: exit $rc"; head -60 "$t/vg.log"; tail -5 "$t/out"
        fail=1
    else
        echo "ok   $name (exit $rc)"
    fi
}
run check-text check "${files[@]}"
run check-sarif check --jobs 1 --format sarif "${files[@]}"
run check-diff check --format diff "${files[@]}"
# one run per kind with --kind, as rule_examples.sh does
for k in shell unit limits sysctl cgconfig systemd-conf envfile; do
    [ -d "$t/ex" ] || break
    mapfile -t kf < <(find "$t/ex" -type f -path "*/$k/*" | sort)
    [ ${#kf[@]} -gt 0 ] && run "check-kind-$k" check --kind "$k" "${kf[@]}"
done
exit $fail

#!/usr/bin/env bash
# fix_machines.sh - issue 6's "done means" over the fixture machines, each on
# a copy (fixtures/ is never written): `doctor --diff` applies with git apply
# from inside the root; after `doctor --fix` no finding with a safe fix is
# left; after `--fix --unsafe-fixes` too, and where ssh-command could not find
# go, its simulated PATH now holds go's directory; a second --fix changes
# nothing.
# Usage: bash tests/fix_machines.sh path/to/golint-env
set -u
BIN=$(realpath "$1")
SRC=$(realpath "${GOLINT_ENV_SOURCE_DIR:-$(dirname "$0")/..}")
command -v node >/dev/null || { echo "SKIP: node not installed"; exit 77; }
command -v git >/dev/null || { echo "SKIP: git not installed"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export XDG_STATE_HOME=$TMP/state
fail=0
machines=0
go_checked=""

safe_left() { # JSON: findings that still carry a safe fix, one per line
    node -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));
             for (const f of d.findings) if (f.fix && f.fix.applicability==="safe" && (f.fix.edits||[]).length)
               console.log(`${f.file}:${f.line}: ${f.rule} ${f.message}`)' "$1"
}
go_dir_ssh() { # JSON: the go directory GE3101 names for ssh-command, if any
    node -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));
             for (const f of d.findings) {
               if (f.rule!=="GE3101" || !(f.context||[]).includes("ssh-command")) continue;
               const m=/installed at (\/\S+)\/go[ ,]/.exec(f.message); if (m) { console.log(m[1]); break; } }' "$1"
}
path_has() { # ENV-JSON DIR: does the context's PATH hold DIR?
    node -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));
             const c=d.contexts[0], v=Array.isArray(c.variables)?c.variables.find(x=>x.name==="PATH"):c.variables.PATH;
             process.exit(v && v.value && v.value.split(":").includes(process.argv[2])?0:1)' "$1" "$2"
}
tree_sum() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }

for m in "$SRC"/fixtures/roots/*/; do
    name=$(basename "$m")
    case "$name" in live-*) continue ;; esac # live machines: procfs and ELF checks, not rc files
    w="$TMP/$name"
    mkdir -p "$w"
    for d in diff safe unsafe; do cp -a "$m" "$w/$d"; done
    "$BIN" doctor --root "$w/safe" --offline --format json > "$w/before.json" 2>/dev/null

    # the diff applies from inside the root
    (cd "$w/diff" && "$BIN" doctor --root . --offline --diff > "$w/patch" 2> "$w/diff.err")
    if [ -s "$w/patch" ]; then
        (cd "$w/diff" && git apply --check "$w/patch" && git apply "$w/patch") ||
            { echo "FAIL: $name: git apply refused the --diff output:"; cat "$w/patch"; fail=1; }
    fi

    for mode in safe unsafe; do
        extra=(); [ "$mode" = unsafe ] && extra=(--unsafe-fixes)
        "$BIN" doctor --root "$w/$mode" --offline --fix --no-backup -q "${extra[@]}" > "$w/$mode.out" 2> "$w/$mode.err"
        [ $? -le 1 ] || { echo "FAIL: $name: doctor --fix ${extra[*]} failed:"; cat "$w/$mode.err"; fail=1; }
        grep -q "did not converge\|still changing" "$w/$mode.err" &&
            { echo "FAIL: $name: --fix ${extra[*]} did not converge"; fail=1; }
        "$BIN" doctor --root "$w/$mode" --offline --format json > "$w/$mode.json" 2>/dev/null
        left=$(safe_left "$w/$mode.json")
        [ -z "$left" ] || { echo "FAIL: $name: after --fix ${extra[*]} findings with a safe fix remain:"; echo "$left"; fail=1; }
        sum=$(tree_sum "$w/$mode")
        "$BIN" doctor --root "$w/$mode" --offline --fix --no-backup -q "${extra[@]}" > /dev/null 2>&1
        [ "$sum" = "$(tree_sum "$w/$mode")" ] || { echo "FAIL: $name: a second --fix ${extra[*]} changed files"; fail=1; }
    done
    # go missing for ssh host cmd: unsafe fixes put its directory on that PATH
    gd=$(go_dir_ssh "$w/before.json")
    if [ -n "$gd" ]; then
        "$BIN" env --root "$w/unsafe" --context ssh-command --format json > "$w/ssh.json" 2>/dev/null
        path_has "$w/ssh.json" "$gd" ||
            { echo "FAIL: $name: ssh-command PATH lacks $gd after --fix --unsafe-fixes"; fail=1; }
        go_checked="$go_checked $name"
        path_has <("$BIN" env --root "$w/safe" --context ssh-command --format json 2>/dev/null) "$gd" &&
            echo "note: $name: safe fixes alone already put $gd on the ssh-command PATH"
    fi
    machines=$((machines + 1))
done

# the test can fail: a machine with a safe fix left undone is caught
mkdir -p "$TMP/probe/home/u" "$TMP/probe/etc"
printf 'u:x:1000:1000:U:/home/u:/bin/bash\n' > "$TMP/probe/etc/passwd"
printf 'export GO111MODULE=on\n' > "$TMP/probe/home/u/.profile"
"$BIN" doctor --root "$TMP/probe" --offline --format json > "$TMP/probe.json" 2>/dev/null
[ -n "$(safe_left "$TMP/probe.json")" ] || { echo "FAIL: probe: a GO111MODULE line carries no safe fix"; fail=1; }

[ -n "$go_checked" ] || { echo "FAIL: no machine lacks go for ssh-command: the PATH check ran nowhere"; fail=1; }
[ "$machines" -gt 5 ] || { echo "FAIL: only $machines fixture machines found under $SRC/fixtures/roots"; fail=1; }
[ "$fail" = 0 ] && echo "ok: $machines machines: --diff applies, no safe fix left after --fix, unsafe fixes put go on the ssh-command PATH ($go_checked ), second --fix is a no-op"
exit "$fail"

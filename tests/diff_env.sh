#!/usr/bin/env bash
# diff_env.sh - `golint-env diff-env A B` on real `env -0` and `env` output
# of this shell, on a pipe, on JSON, and the exact text and JSON it prints
# for a known difference. Exit status: 0 same, 1 different, 2 trouble.
# Usage: bash tests/diff_env.sh path/to/golint-env
set -u
BIN=$1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0
check_rc() { # want got what
    [ "$1" = "$2" ] || { echo "FAIL: $3: exit $2, want $1"; fail=1; }
}

# the same environment three ways: env -0, env, a pipe
env -i HOME=/home/u PATH=/usr/bin:/bin LANG=C.UTF-8 MULTI=$'two\nlines' env -0 > "$TMP/a.env0"
env -i HOME=/home/u PATH=/usr/bin:/bin LANG=C.UTF-8 MULTI=$'two\nlines' env > "$TMP/a.env"
out=$("$BIN" diff-env "$TMP/a.env0" "$TMP/a.env"); rc=$?
check_rc 0 $rc "env -0 vs env of the same environment"
[ "$out" = "--- $TMP/a.env0 (env -0, 4 variables)
+++ $TMP/a.env (env, 4 variables)
identical: 4 variables" ] || { echo "FAIL: same environment:"; echo "$out"; fail=1; }
env -i HOME=/home/u PATH=/usr/bin:/bin LANG=C.UTF-8 MULTI=$'two\nlines' env -0 |
    "$BIN" diff-env - "$TMP/a.env" >/dev/null
check_rc 0 $? "stdin"
"$BIN" diff-env <(cat "$TMP/a.env0") "$TMP/a.env0" >/dev/null
check_rc 0 $? "process substitution (a pipe)"

# a known difference: added, removed, changed, PATH entries added/removed/moved
env -i HOME=/home/u LANG=C GOPATH=/home/u/go OLD=1 \
    PATH=/usr/local/bin:/usr/bin:/bin:/snap/bin env -0 > "$TMP/b.env0"
env -i HOME=/home/u LANG=C.UTF-8 GOPATH=/home/u/go NEW=$'x\ty' \
    PATH=/usr/local/go/bin:/usr/bin:/usr/local/bin:/bin env -0 > "$TMP/c.env0"
"$BIN" diff-env --color never "$TMP/b.env0" "$TMP/c.env0" > "$TMP/out.txt"
check_rc 1 $? "different environments"
cat > "$TMP/want.txt" <<EOF
--- $TMP/b.env0 (env -0, 5 variables)
+++ $TMP/c.env0 (env -0, 5 variables)
removed:
- OLD=1
added:
+ NEW=x\\ty
changed:
~ LANG
    - C
    + C.UTF-8
~ PATH
    - /snap/bin   (was #4)
    + /usr/local/go/bin   (now #1)
    ~ /usr/local/bin   (moved #1 -> #3)
1 removed, 1 added, 2 changed
EOF
# /usr/local/bin and /usr/bin swapped: the longest kept order moves exactly one
diff -u "$TMP/want.txt" "$TMP/out.txt" || fail=1

"$BIN" diff-env --format json "$TMP/b.env0" "$TMP/c.env0" > "$TMP/out.json"
check_rc 1 $? "json"
if command -v node >/dev/null; then
    node -e '
const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const want = (c, m) => { if (!c) { console.log("FAIL: json: " + m); process.exitCode = 1; } };
want(d.version === 1 && d.equal === false, "version/equal");
want(d.a.format === "env -0" && d.a.variables === 5, "side a");
want(JSON.stringify(d.added) === JSON.stringify([{name: "NEW", value: "x\ty"}]), "added " + JSON.stringify(d.added));
want(JSON.stringify(d.removed) === JSON.stringify([{name: "OLD", value: "1"}]), "removed");
const p = d.changed.find(c => c.name === "PATH");
want(p && p.entries, "PATH entries");
want(JSON.stringify(p.entries.added) === JSON.stringify([{entry: "/usr/local/go/bin", position: 1}]), "PATH added " + JSON.stringify(p.entries.added));
want(JSON.stringify(p.entries.removed) === JSON.stringify([{entry: "/snap/bin", position: 4}]), "PATH removed");
want(p.entries.reordered.length === 1 && p.entries.reordered[0].entry === "/usr/local/bin" && p.entries.reordered[0].a_position === 1 && p.entries.reordered[0].b_position === 3, "PATH reordered " + JSON.stringify(p.entries.reordered));
want(!d.changed.find(c => c.name === "LANG").entries, "LANG is not a list");
' "$TMP/out.json" || fail=1
fi

# JSON snapshots, by context
cat > "$TMP/s.json" <<'EOF'
{"contexts": [
  {"name": "login", "variables": [{"name": "PATH", "value": "/usr/bin:/bin", "exported": true}]},
  {"name": "terminal", "variables": [{"name": "PATH", "value": "/bin:/usr/bin", "exported": true},
                                     {"name": "PS1", "value": "$ ", "exported": false}]}]}
EOF
env -i PATH=/usr/bin:/bin env -0 > "$TMP/p.env0"
"$BIN" diff-env --context login "$TMP/p.env0" "$TMP/s.json" >/dev/null
check_rc 0 $? "JSON context login"
"$BIN" diff-env "$TMP/p.env0" "$TMP/s.json" > "$TMP/t.txt"
check_rc 1 $? "JSON default context (terminal)"
grep -q 'moved' "$TMP/t.txt" || { echo "FAIL: terminal PATH is reordered"; cat "$TMP/t.txt"; fail=1; }

# trouble: exit 2 and one line on stderr naming the file
"$BIN" diff-env "$TMP/missing" "$TMP/a.env0" 2> "$TMP/err" >/dev/null
check_rc 2 $? "missing file"
grep -q "$TMP/missing: No such file" "$TMP/err" || { echo "FAIL: message: $(cat "$TMP/err")"; fail=1; }
"$BIN" diff-env "$TMP/a.env0" >/dev/null 2>&1
check_rc 2 $? "one operand"
"$BIN" diff-env --context cron "$TMP/p.env0" "$TMP/s.json" >/dev/null 2>&1
check_rc 2 $? "absent context"
"$BIN" diff-env --format sarif "$TMP/a.env0" "$TMP/a.env0" >/dev/null 2>&1
check_rc 2 $? "unsupported format"

[ $fail = 0 ] && echo "diff-env: ok"
exit $fail

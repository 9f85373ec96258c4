#!/bin/bash
# Control characters from analysed files (a sourced path with an OSC title
# sequence, a value with an OSC 52 clipboard write, a C1 CSI) never reach the
# output raw, in any format: text forms show them as \e, ^G, \xNN; JSON,
# SARIF and Checkstyle escape them by their own rules; diff quotes the file
# name as git does (docs/limits.md, "Control characters in what is shown").
set -u
bin=$(realpath "${1:?usage: hostile_escapes.sh GOLINT_ENV_BINARY}")
export NO_COLOR=1 LC_ALL=C
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; [ -f "$t/out" ] && head -c 1500 "$t/out" | cat -v; echo; }

# machine DIR: a fake root with user u (bash)
machine() {
    mkdir -p "$1/etc" "$1/home/u"
    printf 'u:x:1000:1000::/home/u:/bin/bash\n' > "$1/etc/passwd"
}

esc=$(printf '\033') bel=$(printf '\007')
r=$t/esc
machine "$r"
sourced="/x$esc]0;TITLE$bel.sh"
printf '. "/x\033]0;TITLE\007.sh"\n. "/missing\033]0;T2\007"\nexport GOPROXY="\033]52;c;ZXZpbA==\007"\n' \
    > "$r/home/u/.bashrc"
# the sourced file: a C1 CSI (U+009B) in a value, and a fixable GE1001 four
# lines away from any control byte, so the diff's hunk holds none
printf 'export GOFLAGS="-mod=\033]52;c;eA==\007"\nexport GOPATH=" /go\302\233x"\n\n\n\n\nexport GOBIN="~/bin"\n' \
    > "$r$sourced"
run=(--root "$r" --home /home/u --user u --offline)

# no_raw NAME: the output file has no ESC, BEL or C1 control
no_raw() {
    if grep -qP '\x1b|\x07|\xc2[\x80-\x9f]' "$t/out"; then
        bad "$1" "raw control character in the output"
    else
        ok "$1"
    fi
}
# shows NAME FIXED-STRING: the output holds the visible form too
shows() {
    if grep -qF -- "$2" "$t/out"; then ok "$1 shows $2"; else bad "$1" "'$2' not in the output"; fi
}

for f in text gcc json sarif checkstyle diff; do
    "$bin" doctor "${run[@]}" --format "$f" > "$t/out" 2>&1
    no_raw "doctor --format $f"
done
"$bin" doctor "${run[@]}" --format text > "$t/out" 2>&1
shows "doctor text" 'sources /missing\e]0;T2^G, which'
shows "doctor text" 'GOFLAGS=-mod=\e]52;c;eA==^G'
shows "doctor text" '/go\x9bx'
shows "doctor text" '  export GOPROXY="\e]52;c;ZXZpbA==^G"'
"$bin" doctor "${run[@]}" --format json > "$t/out" 2>&1
shows "doctor json" '\u001b]52;c;ZXZpbA==\u0007'
shows "doctor json" '/go\u009bx'
"$bin" doctor "${run[@]}" --format sarif > "$t/out" 2>&1
shows "doctor sarif" '/go\u009bx'
"$bin" doctor "${run[@]}" --format diff > "$t/out" 2>&1
shows "doctor diff" '--- "a/x\033]0;TITLE\007.sh"'
shows "doctor diff" '+export GOBIN="$HOME/bin"'
if command -v git > /dev/null; then
    mkdir "$t/apply" && cp -r "$r/." "$t/apply/"
    if (cd "$t/apply" && git apply -p1 "$t/out" 2> "$t/apply.err") &&
        grep -q 'GOBIN="$HOME/bin"' "$t/apply$sourced"; then
        ok "the diff with a quoted name applies with git apply"
    else
        bad "git apply" "$(cat "$t/apply.err")"
    fi
fi

for args in "" "--explain GOFLAGS" "--graph dot" "--graph mermaid" "--format json"; do
    # shellcheck disable=SC2086
    "$bin" env "${run[@]}" $args > "$t/out" 2>&1
    no_raw "env $args"
done
"$bin" env "${run[@]}" > "$t/out" 2>&1
shows "env" 'GOFLAGS=-mod=\e]52;c;eA==^G'
shows "env" 'from /x\e]0;TITLE^G.sh:1'
"$bin" env "${run[@]}" --format json > "$t/out" 2>&1
shows "env json" '\u001b]0;TITLE\u0007'

for f in text gcc json sarif checkstyle; do
    "$bin" check --format "$f" "$r/home/u/.bashrc" "$r$sourced" > "$t/out" 2>&1
    no_raw "check --format $f"
done
# an error message naming such a file
"$bin" check "$t/nope$esc]0;T$bel" > "$t/out" 2>&1
no_raw "check: error message on stderr"
shows "check stderr" 'nope\e]0;T^G: No such file'

echo "hostile_escapes: $pass passed, $fail failed"
[ "$fail" = 0 ]

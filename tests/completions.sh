#!/usr/bin/env bash
# completions.sh - completions/golint-env.bash loads in bash (with and without
# the bash-completion package) and completes commands, option values and rule
# IDs; completions/_golint-env does the same in a real interactive zsh driven
# through zpty (skipped, exit 77, when zsh is absent). Both must know every
# command and long option the program has.
# Usage: bash tests/completions.sh path/to/golint-env
set -u
BIN=$(realpath "$1")
SRC=${GOLINT_ENV_SOURCE_DIR:-$(dirname "$0")/..}
SRC=$(realpath "$SRC")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/bin"
ln -s "$BIN" "$TMP/bin/golint-env"
fail=0

# --- both files know every command and every long option ---
commands=$("$BIN" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF {print $1}')
options=$( { "$BIN" --help | grep -oE -- '--[a-z][a-z-]+';
             grep -oE '^ *\{"[a-z][a-z-]+", (no|required|optional)_argument' "$SRC/src/cli/main.c" |
             sed -E 's/^ *\{"([^"]+)".*/--\1/'; } | sort -u)
for f in golint-env.bash _golint-env; do
    for w in $commands $options; do
        grep -qE -- "(^|[^a-z-])$w([^a-z-]|\$)" "$SRC/completions/$f" ||
            { echo "FAIL: completions/$f does not know $w"; fail=1; }
    done
done

# --- bash: call the completion function as readline would ---
cat > "$TMP/bash-driver.sh" <<'EOF2'
# usage: bash bash-driver.sh COMPLETION_FILE WITH_BASH_COMPLETION; reads cases on stdin
if [ "$2" = 1 ]; then source /usr/share/bash-completion/bash_completion || exit 3; fi
source "$1" || exit 3
[ "$(complete -p golint-env)" = "complete -F _golint_env golint-env" ] || { echo "not registered: $(complete -p golint-env)"; exit 3; }
while IFS='|' read -r line want; do
    [ -n "$line" ] || continue
    # split as readline does with the default COMP_WORDBREAKS: '=' is a word of its own
    read -ra COMP_WORDS <<<"${line//=/ = }"
    [[ $line == *' ' || $line == *'=' ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    COMPREPLY=()
    _golint_env golint-env "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//')
    if [ "$got" != "$want" ]; then
        echo "FAIL: bash '$line': got '$got', want '$want'"
        bad=1
    fi
done
exit ${bad:-0}
EOF2
cat > "$TMP/bash-cases" <<EOF2
golint-env |check diff-env doctor env fix live rules snapshot
golint-env --format |checkstyle diff gcc json sarif text
golint-env --format=s|sarif
golint-env check --fail-on w|warning
golint-env --root / check --kind s|shell sysctl systemd-conf
golint-env --context=ssh|ssh-command
golint-env env --graph |dot mermaid
golint-env check --no-|--no-backup --no-exec
golint-env rules GE200|GE2001 GE2002
golint-env --offline rules GE10|GE1000 GE1001 GE1002 GE1003 GE1004
golint-env check $TMP/bi|$TMP/bin
golint-env diff-env $TMP/bin/golint|$TMP/bin/golint-env
golint-env --root $TMP/b|$TMP/bin
EOF2
# the rule IDs the program has (the GE100x/GE200x cases above assume these exist)
for id in GE1000 GE1004 GE2001 GE2002; do
    "$BIN" rules | grep -q "^$id " || { echo "FAIL: rules does not list $id (fix the case list)"; fail=1; }
done
PATH="$TMP/bin:$PATH" bash --norc --noprofile "$TMP/bash-driver.sh" "$SRC/completions/golint-env.bash" 0 < "$TMP/bash-cases" || fail=1
if [ -r /usr/share/bash-completion/bash_completion ]; then
    PATH="$TMP/bin:$PATH" bash --norc --noprofile "$TMP/bash-driver.sh" "$SRC/completions/golint-env.bash" 1 < "$TMP/bash-cases" ||
        { echo "FAIL: (with the bash-completion package loaded)"; fail=1; }
fi

# --- zsh: a real interactive shell in a pseudo-terminal ---
if ! command -v zsh >/dev/null; then
    [ $fail = 0 ] && { echo "SKIP: zsh not installed (bash completions: ok)"; exit 77; }
    exit $fail
fi
cat > "$TMP/zsh-driver.zsh" <<'EOF2'
# usage: zsh -f zsh-driver.zsh COMPLETIONS_DIR BIN_DIR; prints what a TAB shows for each case
zmodload zsh/zpty || exit 3
zpty z 'TERM=vt100 zsh -f -i'
zpty -w z "PS1='> '; fpath=($1 \$fpath); PATH=$2:\$PATH; autoload -Uz compinit; compinit -u -D; LISTMAX=10000; print -r -- \"comp=\$_comps[golint-env]\"; echo READY"
out=""
SECONDS=0
until [[ $out == *READY*'> '* ]] || (( SECONDS > 15 )); do
    zpty -r -t z chunk && out+=$chunk || sleep 0.1
done
[[ $out == *"comp=_golint-env"* ]] || { print "NOT-REGISTERED: $out"; exit 3; }
for line in "golint-env " "golint-env --format=" "golint-env rules GE100" "golint-env --cont" "golint-env env --graph "; do
    zpty -w -n z "$line"$'\t'
    sleep 1
    out=""
    while zpty -r -t z chunk; do out+=$chunk; done
    print -r -- "=== $line"
    print -r -- "${out//$'\0'/}"
    zpty -w -n z $'\C-u'   # clear the line
    sleep 0.3
    while zpty -r -t z chunk; do :; done
done
zpty -d z
EOF2
timeout 120 zsh -f "$TMP/zsh-driver.zsh" "$SRC/completions" "$TMP/bin" > "$TMP/zsh.out" 2>&1
zrc=$?
[ $zrc = 0 ] || { echo "FAIL: zsh driver exited $zrc"; cat "$TMP/zsh.out"; fail=1; }
zcase() { # case, words that must all show up after its TAB
    local text
    text=$(awk -v c="=== $1" '$0 == c {on = 1; next} /^=== / {on = 0} on' "$TMP/zsh.out")
    shift
    for w in "$@"; do
        grep -qF -- "$w" <<<"$text" || { echo "FAIL: zsh: no '$w' in the completion of that line"; fail=1; }
    done
}
zcase "golint-env " doctor check diff-env snapshot rules "compare two environment snapshots"
zcase "golint-env --format=" checkstyle sarif json gcc text
zcase "golint-env rules GE100" GE1000 GE1001 GE1004 "a tilde inside quotes"
zcase "golint-env --cont" "golint-env --context"
zcase "golint-env env --graph " mermaid dot
[ $fail = 0 ] || { echo "--- zsh output:"; cat -v "$TMP/zsh.out" | tr -s '@' | head -60; }
[ $fail = 0 ] && echo "completions: ok (bash and zsh)"
exit $fail

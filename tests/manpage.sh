#!/usr/bin/env bash
# manpage.sh - docs/golint-env.1 renders without warnings (`man -l`, groff
# -ww) and documents every command of `golint-env --help` and every long
# option of the program's option table (src/cli/main.c).
# Usage: bash tests/manpage.sh path/to/golint-env
set -u
BIN=$1
SRC=${GOLINT_ENV_SOURCE_DIR:-$(dirname "$0")/..}
PAGE=$SRC/docs/golint-env.1
command -v groff >/dev/null || { echo "SKIP: groff not installed"; exit 77; }
fail=0
warn=$(groff -man -Tutf8 -ww -z "$PAGE" 2>&1)
[ -z "$warn" ] || { echo "FAIL: groff warnings:"; echo "$warn"; fail=1; }
if command -v man >/dev/null; then
    text=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$PAGE" 2>&1)
else
    text=$(groff -man -Tutf8 "$PAGE" 2>&1 | sed 's/.\x08//g')
fi
for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "EXIT STATUS" EXAMPLES "SEE ALSO"; do
    grep -q "^$section\$" <<<"$text" || { echo "FAIL: no $section section"; fail=1; }
done
commands=$("$BIN" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF {print $1}')
[ -n "$commands" ] || { echo "FAIL: no commands in --help"; fail=1; }
for c in $commands; do
    # a tagged paragraph in COMMANDS starts with the command's name
    sed -n '/^COMMANDS$/,/^OPTIONS$/p' <<<"$text" | grep -qE "^       $c( |\$)" ||
        { echo "FAIL: command '$c' is not described in COMMANDS"; fail=1; }
done
options=$( { "$BIN" --help | grep -oE -- '--[a-z][a-z-]+';
             grep -oE '^ *\{"[a-z][a-z-]+", (no|required|optional)_argument' "$SRC/src/cli/main.c" |
             sed -E 's/^ *\{"([^"]+)".*/--\1/'; } | sort -u)
[ "$(wc -l <<<"$options")" -gt 10 ] || { echo "FAIL: could not read the option table"; fail=1; }
for opt in $options; do
    grep -qE -- "^ +$opt( |,|\$)|, $opt( |\$)" <<<"$text" ||
        { echo "FAIL: option $opt is not documented in OPTIONS"; fail=1; }
done
[ $fail = 0 ] && echo "manpage: ok ($(wc -w <<<"$commands") commands, $(wc -l <<<"$options") options)"
exit $fail

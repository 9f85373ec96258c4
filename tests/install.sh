#!/usr/bin/env bash
# install.sh - `cmake --install` into a temporary prefix puts the binary, the
# rules, the man page, the rule pages and both completions in place, and the
# installed binary carries its rules (no source tree or rule file needed),
# reads the installed ones with GOLINT_ENV_RULES_DIR, and reports the git
# description with --version.
# Usage: bash tests/install.sh path/to/golint-env   (in its build tree)
set -u
BIN=$(realpath "$1")
BUILD=$(dirname "$BIN")
SRC=${GOLINT_ENV_SOURCE_DIR:-$(dirname "$0")/..}
[ -f "$BUILD/cmake_install.cmake" ] || { echo "SKIP: $BUILD is not a CMake build tree"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
P=$TMP/prefix
fail=0
cmake --install "$BUILD" --prefix "$P" > "$TMP/log" 2>&1 || { echo "FAIL: cmake --install"; cat "$TMP/log"; exit 1; }
for f in bin/golint-env share/man/man1/golint-env.1 share/bash-completion/completions/golint-env \
         share/zsh/site-functions/_golint-env share/doc/golint-env/rules/README.md; do
    [ -f "$P/$f" ] || { echo "FAIL: not installed: $f"; fail=1; }
done
for r in "$SRC"/rules/*.json; do
    id=$(basename "$r" .json)
    [ -f "$P/share/golint-env/rules/$id.json" ] || { echo "FAIL: rule $id.json not installed"; fail=1; }
    [ -f "$P/share/doc/golint-env/rules/$id.md" ] || { echo "FAIL: page $id.md not installed"; fail=1; }
done
# the installed binary has every rule compiled in: no rule file is read
n_src=$(ls "$SRC"/rules/*.json | wc -l)
n_dir=$(GOLINT_ENV_RULES_DIR="$P/share/golint-env/rules" "$P/bin/golint-env" rules | grep -c '^GE[0-9]')
[ "$n_src" = "$n_dir" ] || { echo "FAIL: GOLINT_ENV_RULES_DIR=installed rules lists $n_dir rules, want $n_src"; fail=1; }
mv "$P/share/golint-env/rules" "$TMP/rules-moved"
n_inst=$(env -u GOLINT_ENV_RULES_DIR GOLINT_ENV_SOURCE_DIR=/nonexistent "$P/bin/golint-env" rules | grep -c '^GE[0-9]')
[ "$n_src" = "$n_inst" ] || { echo "FAIL: installed binary lists $n_inst rules, want $n_src"; fail=1; }
if command -v man >/dev/null; then
    LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$P/share/man/man1/golint-env.1" 2>/dev/null | grep -q '^NAME' ||
        { echo "FAIL: man -l cannot render the installed page"; fail=1; }
fi
bash --norc -c "source '$P/share/bash-completion/completions/golint-env' && complete -p golint-env" >/dev/null ||
    { echo "FAIL: the installed bash completion does not load"; fail=1; }
# --version: the release and the git description the build was made from
v=$("$P/bin/golint-env" --version)
if git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
    commit=$(git -C "$SRC" rev-parse --short=7 HEAD)
    case $v in
        *"$commit"* | *"$(git -C "$SRC" describe --always --tags 2>/dev/null)"*) ;;
        *) # a build configured at an earlier commit still names a commit
           grep -qE '\(([^ ]*-g)?[0-9a-f]{7,}(-dirty)?\)' <<<"$v" ||
               { echo "FAIL: --version has no git description: $v"; fail=1; } ;;
    esac
fi
[ $fail = 0 ] && echo "install: ok ($v)"
exit $fail

#!/usr/bin/env bash
# fix_safety.sh - `check --fix` never loses data: symlinked dotfiles (stow
# layout) are written through, mode and owner kept, hard-linked files refused,
# a fault or a SIGKILL around the rename leaves the old file or the new one
# (never a mix), backups and `fix --undo` restore byte for byte and refuse a
# file edited after the fix, --no-backup keeps no copy.
# Usage: bash tests/fix_safety.sh path/to/golint-env
set -u
BIN=$(realpath "$1")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export XDG_STATE_HOME=$TMP/state
fail=0
say() { echo "FAIL: $*"; fail=1; }

BAD=$'export GOPATH="~/go"\r\nexport GOBIN="~/go/bin"\r\n# no final newline'
GOOD=$'export GOPATH="$HOME/go"\nexport GOBIN="$HOME/go/bin"\n# no final newline'
printf '%s' "$GOOD" > "$TMP/good"

# stow layout: ~/.bashrc -> ../dotfiles/bash/.bashrc
mkdir -p "$TMP/dotfiles/bash" "$TMP/home"
printf '%s' "$BAD" > "$TMP/dotfiles/bash/.bashrc"
chmod 0640 "$TMP/dotfiles/bash/.bashrc"
ln -s ../dotfiles/bash/.bashrc "$TMP/home/.bashrc"
(cd "$TMP/home" && "$BIN" check --kind shell --fix -q .bashrc >/dev/null 2>"$TMP/err")
[ -L "$TMP/home/.bashrc" ] || say "symlink replaced by a regular file"
cmp -s "$TMP/dotfiles/bash/.bashrc" "$TMP/good" || { say "symlink target not fixed"; cat "$TMP/err"; }
[ "$(stat -c %a "$TMP/dotfiles/bash/.bashrc")" = 640 ] || say "mode not kept: $(stat -c %a "$TMP/dotfiles/bash/.bashrc")"

# undo: byte-identical, through the symlink, mode kept
(cd "$TMP/home" && "$BIN" fix --undo >"$TMP/undo.out" 2>&1) || { say "fix --undo failed"; cat "$TMP/undo.out"; }
[ "$(cat "$TMP/dotfiles/bash/.bashrc")" = "$BAD" ] && cmp -s <(printf '%s' "$BAD") "$TMP/dotfiles/bash/.bashrc" ||
    say "undo is not byte-identical"
[ -L "$TMP/home/.bashrc" ] || say "undo replaced the symlink"
[ "$(stat -c %a "$TMP/dotfiles/bash/.bashrc")" = 640 ] || say "undo did not keep the mode"
"$BIN" fix --undo >/dev/null 2>&1 && say "a second fix --undo found something to undo"

# undo refuses a file edited after the fix
printf '%s' "$BAD" > "$TMP/e.sh"
"$BIN" check --kind shell --fix -q "$TMP/e.sh" >/dev/null 2>&1
echo "# edited by hand" >> "$TMP/e.sh"
cp "$TMP/e.sh" "$TMP/e.expected"
"$BIN" fix --undo >"$TMP/undo2.out" 2>&1 && say "undo of an edited file succeeded"
grep -q "changed after the fix" "$TMP/undo2.out" || { say "undo did not say why it refused"; cat "$TMP/undo2.out"; }
cmp -s "$TMP/e.sh" "$TMP/e.expected" || say "undo touched a file edited after the fix"

# owner kept (needs root to hand the file to someone else)
if [ "$(id -u)" = 0 ]; then
    printf '%s' "$BAD" > "$TMP/owned.sh"; chown 65534:65534 "$TMP/owned.sh"
    "$BIN" check --kind shell --fix --no-backup -q "$TMP/owned.sh" >/dev/null 2>&1
    [ "$(stat -c %u:%g "$TMP/owned.sh")" = 65534:65534 ] || say "owner not kept: $(stat -c %u:%g "$TMP/owned.sh")"
    cmp -s "$TMP/owned.sh" "$TMP/good" || say "owned file not fixed"
else
    echo "note: not root, owner case skipped"
fi

# hard links: refused, both names untouched, exit 2
printf '%s' "$BAD" > "$TMP/h1.sh"; ln "$TMP/h1.sh" "$TMP/h2.sh"
"$BIN" check --kind shell --fix --no-backup -q "$TMP/h1.sh" >/dev/null 2>"$TMP/h.err"; rc=$?
[ "$rc" = 2 ] || say "hard-linked file: exit $rc, want 2"
grep -q "hard links" "$TMP/h.err" || { say "hard-linked file: no reason given"; cat "$TMP/h.err"; }
[ "$(cat "$TMP/h2.sh")" = "$BAD" ] || say "hard-linked file was changed"

# --no-backup keeps no copy
rm -rf "$TMP/state"
printf '%s' "$BAD" > "$TMP/nb.sh"
"$BIN" check --kind shell --fix --no-backup -q "$TMP/nb.sh" >/dev/null 2>&1
[ -e "$TMP/state" ] && say "--no-backup created $TMP/state"
cmp -s "$TMP/nb.sh" "$TMP/good" || say "--no-backup did not fix"

# fault injection around the rename
mkdir -p "$TMP/f"
for fault in before-rename kill-before-rename kill-after-rename; do
    printf '%s' "$BAD" > "$TMP/f/x.sh"
    GOLINT_ENV_FIX_FAULT=$fault "$BIN" check --kind shell --fix --no-backup -q "$TMP/f/x.sh" >/dev/null 2>"$TMP/f.err"
    rc=$?
    case $fault in
    before-rename)
        [ "$rc" = 2 ] || say "$fault: exit $rc, want 2"
        cmp -s "$TMP/f/x.sh" <(printf '%s' "$BAD") || say "$fault: file changed"
        [ -z "$(ls -A "$TMP/f" | grep golint-env-)" ] || say "$fault: temporary file left behind" ;;
    kill-before-rename)
        [ "$rc" = 137 ] || say "$fault: exit $rc, want 137 (SIGKILL)"
        cmp -s "$TMP/f/x.sh" <(printf '%s' "$BAD") || say "$fault: file is not the old one" ;;
    kill-after-rename)
        [ "$rc" = 137 ] || say "$fault: exit $rc, want 137 (SIGKILL)"
        cmp -s "$TMP/f/x.sh" "$TMP/good" || say "$fault: file is not the new one" ;;
    esac
    rm -f "$TMP"/f/.x.sh.golint-env-*
done

# SIGKILL from outside at random moments on a large file: old or new, never a mix
mkdir -p "$TMP/k"
for _ in $(seq 4000); do printf 'export GOPATH="~/go"\r\n'; done > "$TMP/k/orig"
cp "$TMP/k/orig" "$TMP/k/big.sh"
t0=$(date +%s%N)
"$BIN" check --kind shell --fix --no-backup -q "$TMP/k/big.sh" >/dev/null 2>&1
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
cp "$TMP/k/big.sh" "$TMP/k/fixed"
old=$(sha256sum < "$TMP/k/orig"); new=$(sha256sum < "$TMP/k/fixed")
[ "$old" != "$new" ] || say "kill test: the fix changed nothing"
mixed=0; sawnew=0
for i in $(seq 20); do
    cp "$TMP/k/orig" "$TMP/k/big.sh"
    "$BIN" check --kind shell --fix --no-backup -q "$TMP/k/big.sh" >/dev/null 2>&1 &
    pid=$!
    # kill points spread over 0 .. 1.4 times one run
    d=$(( ms * i / 14 + RANDOM % 5 ))
    sleep "$((d / 1000)).$(printf '%03d' $((d % 1000)))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    now=$(sha256sum < "$TMP/k/big.sh")
    [ "$now" = "$new" ] && sawnew=$((sawnew + 1))
    [ "$now" = "$old" ] || [ "$now" = "$new" ] || mixed=$((mixed + 1))
    rm -f "$TMP"/k/.big.sh.golint-env-*
done
[ "$mixed" = 0 ] || say "kill -9 during apply left $mixed mixed files"

[ "$fail" = 0 ] && echo "ok: symlink, mode, owner, hard link, undo, no-backup, faults, 20 random kills ($sawnew finished)"
exit "$fail"

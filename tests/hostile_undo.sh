#!/bin/bash
# hostile_undo.sh - `fix --undo` trusts nothing it did not write: a journal in
# a state directory (or run directory, or journal file) owned by someone else,
# writable by a group or by everyone, or reached through a symbolic link is
# refused with exit 2 and the file it names stays as it is; so is a journal
# whose target is not the file the run wrote (device/inode, sha256), whose
# backup or target path is not one of its own; runs are ordered by the
# journal's sequence number, not by the directory name. The cases needing
# another uid run as root only (a note says when they are skipped).
# Usage: bash tests/hostile_undo.sh path/to/golint-env
set -u
bin=$(realpath "${1:?usage: hostile_undo.sh GOLINT_ENV_BINARY}")
root=false; [ "$(id -u)" = 0 ] && root=true
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0 checks=0
say() { echo "FAIL: $*"; fail=1; }
RUN=29990101T000000.000000Z-1

printf 'precious\n' > "$t/victim"
victim_sum=$(sha256sum < "$t/victim")
sha() { sha256sum < "$1" | cut -d' ' -f1; }

# forge STATE: a journal dated 2999 with the highest sequence number, whose
# only target is the victim, complete with its real device, inode and hash:
# only where it lies can give it away
forge() {
    local run=$1/golint-env/backups/$RUN
    mkdir -p "$run/files"
    printf 'attacker bytes\n' > "$run/files/1"
    cat > "$run/journal.json" <<EOF
{"version": 2, "seq": 999999, "run": "$RUN", "time": "2999-01-01T00:00:00Z", "cwd": "/", "root": "/",
 "files": [{"path": "$t/victim", "target": "$t/victim", "created": false, "backup": "files/1",
   "sha256_before": "$(sha "$run/files/1")", "sha256_after": "$(sha "$t/victim")",
   "dev": "$(stat -c %d "$t/victim")", "ino": "$(stat -c %i "$t/victim")", "rules": ["GE1001"],
   "time": "2999-01-01T00:00:00Z"}]}
EOF
}

# refused NAME PATTERN STATE [RUN]: undo exits 2, says why, the victim is intact
refused() {
    local name=$1 pattern=$2 state=$3
    shift 3
    checks=$((checks + 1))
    local out rc
    out=$(cd "$t" && XDG_STATE_HOME=$state timeout 60 "$bin" fix --undo "$@" 2>&1)
    rc=$?
    [ "$rc" = 2 ] || say "$name: exit $rc, want 2"
    grep -Eq -- "$pattern" <<<"$out" || say "$name: message does not match /$pattern/: $out"
    [ "$(sha256sum < "$t/victim")" = "$victim_sum" ] || { say "$name: the victim was overwritten"; printf 'precious\n' > "$t/victim"; }
}

# ---- forged journals where someone else could have put them --------------------
if $root; then
    forge "$t/A"; chown -R 4242:4242 "$t/A/golint-env"
    refused other-owner "golint-env is owned by uid 4242, not by you \(uid 0\)" "$t/A"
    refused other-owner-by-id "owned by uid 4242" "$t/A" "$RUN"
    forge "$t/C"; chmod 0700 "$t/C/golint-env" "$t/C/golint-env/backups"
    chown -R 4242 "$t/C/golint-env/backups/$RUN"
    refused run-dir-other "$RUN is owned by uid 4242" "$t/C"
    forge "$t/D"; chmod -R go-w "$t/D"; chown 4242 "$t/D/golint-env/backups/$RUN/journal.json"
    refused journal-other "journal.json is owned by uid 4242" "$t/D"
    refused journal-other-by-id "journal.json is owned by uid 4242" "$t/D" "$RUN"
    # a fix run as root never keeps its backups in someone else's directory
    mkdir -p "$t/H/golint-env"; chown 4242 "$t/H/golint-env"
    printf 'export GOPATH="~/go"\n' > "$t/h.sh"; cp "$t/h.sh" "$t/h.orig"
    checks=$((checks + 1))
    out=$(XDG_STATE_HOME=$t/H "$bin" check --kind shell --fix -q "$t/h.sh" 2>&1); rc=$?
    [ "$rc" = 2 ] || say "fix into another user's state dir: exit $rc, want 2"
    grep -q "owned by uid 4242.*refusing to keep backups" <<<"$out" || say "fix into another user's state dir: $out"
    cmp -s "$t/h.sh" "$t/h.orig" || say "fix went on without its backup"
    [ -z "$(ls -A "$t/H/golint-env")" ] || say "root wrote into another user's state dir"
else
    echo "note: not root: the cases with state owned by another user are skipped"
fi
forge "$t/B"; chmod 0770 "$t/B/golint-env"
refused group-writable "golint-env is writable by its group" "$t/B"
forge "$t/B2"; chmod -R go-w "$t/B2"; chmod 0777 "$t/B2/golint-env/backups/$RUN"
refused world-writable-run "$RUN is writable by everyone" "$t/B2"
forge "$t/B3"; chmod -R go-w "$t/B3"; chmod 0666 "$t/B3/golint-env/backups/$RUN/journal.json"
refused journal-writable "journal.json is writable by everyone" "$t/B3"
forge "$t/elsewhere"; chmod -R go-w "$t/elsewhere"
mkdir -p "$t/E"; ln -s "$t/elsewhere/golint-env" "$t/E/golint-env"
refused symlinked-state "a symbolic link" "$t/E"

# ---- our own state, but the journal does not match what the run wrote ---------
S=$t/S
BAD='export GOPATH="~/go"'
# fixrun NAME: a real fix of $t/NAME.sh; prints the run id
fixrun() {
    printf '%s\n' "$BAD" > "$t/$1.sh"
    XDG_STATE_HOME=$S "$bin" check --kind shell --fix -q "$t/$1.sh" >/dev/null 2>&1
    ls -t "$S/golint-env/backups" | head -1
}
# edit RUN PYTHON: change the journal of RUN (j is the document)
edit() {
    python3 - "$S/golint-env/backups/$1/journal.json" "$2" <<'EOF'
import json, sys
p, code = sys.argv[1], sys.argv[2]
j = json.load(open(p))
exec(code)
json.dump(j, open(p, "w"))
EOF
}
# tamper NAME PYTHON PATTERN: a real fix of NAME.sh, its journal edited, undo refused
tamper() {
    local r
    r=$(fixrun "$1")
    edit "$r" "$2"
    refused "$1" "$3" "$S" "$r"
}
# same bytes, another file (new inode): not the file the fix wrote
r=$(fixrun inode); cp "$t/inode.sh" "$t/inode.new"; mv "$t/inode.new" "$t/inode.sh"; cp "$t/inode.sh" "$t/inode.keep"
refused inode "device/inode differ" "$S" "$r"
cmp -s "$t/inode.sh" "$t/inode.keep" || say "inode: a file with another inode was restored"
# target pointed at another file (identity kept from the real one)
tamper retarget "j['files'][0]['target'] = '$t/victim'" "device/inode differ"
# target pointed at another file with its hash too: the inode still differs
tamper rehash "j['files'][0]['target'] = '$t/victim'; j['files'][0]['sha256_after'] = '$(sha "$t/victim")'" "device/inode differ"
# hash after not matching the file
tamper hash "j['files'][0]['sha256_after'] = '0' * 64" "changed after the fix"
# no identity recorded
tamper noident "del j['files'][0]['ino']" "does not record which file"
# a backup outside the run, a target that is not a plain path, outside the root
tamper backup "j['files'][0]['backup'] = '../../../../victim'" "no backup of its own"
tamper dotdot "j['files'][0]['target'] = '$t/x/../victim'" "not a plain absolute path"
tamper outside "j['root'] = '$t/S'" "outside the root"
# an older journal (no sequence number, no identities)
tamper old "j['version'] = 1; del j['seq']" "older golint-env"

# ---- newest by sequence number, not by name -----------------------------------
O=$t/O
printf '%s\n' "$BAD" > "$t/first.sh"; printf '%s\n' "$BAD" > "$t/second.sh"
XDG_STATE_HOME=$O "$bin" check --kind shell --fix -q "$t/first.sh" >/dev/null 2>&1
XDG_STATE_HOME=$O "$bin" check --kind shell --fix -q "$t/second.sh" >/dev/null 2>&1
first=$(grep -l first.sh "$O"/golint-env/backups/*/journal.json | xargs dirname | xargs basename)
mv "$O/golint-env/backups/$first" "$O/golint-env/backups/$RUN"
S=$O edit "$RUN" "j['run'] = '$RUN'"
checks=$((checks + 1))
out=$(XDG_STATE_HOME=$O "$bin" fix --undo 2>&1) || say "ordering: undo failed: $out"
grep -q "restored $t/second.sh" <<<"$out" || say "ordering: the run named 2999 was taken for the newest: $out"
grep -q 'GOPATH="~/go"' "$t/second.sh" || say "ordering: second.sh not restored"
grep -q 'GOPATH="~/go"' "$t/first.sh" && say "ordering: first.sh restored before its turn"
out=$(XDG_STATE_HOME=$O "$bin" fix --undo 2>&1) || say "ordering: second undo failed: $out"
grep -q "restored $t/first.sh" <<<"$out" || say "ordering: the older run not undone next: $out"

[ "$fail" = 0 ] && echo "ok: $checks cases: foreign, writable and linked state refused; journals not matching what the run wrote refused; newest by sequence"
exit "$fail"

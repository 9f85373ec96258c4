#!/bin/bash
# hostile_exec.sh - live mode runs `go env -json` only for the caller's own
# environment, only a go that nobody but root (and the caller) can replace,
# and only with the simulated context's Go variables, PATH and HOME.
#
# A planted go touches a canary file when it runs; every refused case checks
# that its canary stays absent and that the finding says which path is
# writable by whom. Runs as root in a private mount namespace (a user alice
# in a bind-mounted /etc/passwd, /home on a tmpfs, /root replaced), so the
# machine's own files are never touched; skipped (exit 77) otherwise.
# Usage: bash tests/hostile_exec.sh path/to/golint-env
set -u
bin=$(realpath "${1:?usage: hostile_exec.sh GOLINT_ENV_BINARY}")

if [ -z "${HOSTILE_EXEC_NS:-}" ]; then
    [ "$(id -u)" = 0 ] || { echo "skip: needs root (files owned by another uid, a private mount namespace)"; exit 77; }
    unshare -m true 2>/dev/null || { echo "skip: unshare -m is not permitted here"; exit 77; }
    HOSTILE_EXEC_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi

export NO_COLOR=1
t=$(mktemp -d)
chmod 0755 "$t"
trap 'rm -rf "$t"' EXIT
fail=0 checks=0
say() { echo "FAIL: $*"; fail=1; }

# ---- a private machine: alice (uid 4242), /home, /root ----------------------
cp /etc/passwd "$t/passwd"; cp /etc/group "$t/group"
echo "alice:x:4242:4242:alice:/home/alice:/bin/bash" >> "$t/passwd"
echo "alice:x:4242:" >> "$t/group"
echo "mallory:x:4343:4343:mallory:/nonexistent:/bin/bash" >> "$t/passwd"
echo "mallory:x:4343:" >> "$t/group"
mount --bind "$t/passwd" /etc/passwd && mount --bind "$t/group" /etc/group &&
    mount -t tmpfs tmpfs /home && mkdir -p "$t/roothome" && mount --bind "$t/roothome" /root ||
    { echo "skip: cannot set up the private mount namespace"; exit 77; }
chmod 0700 /root
mkdir -p /home/alice && chown 4242:4242 /home/alice && chmod 0755 /home/alice

# plant DIR NAME: a go in DIR that touches $t/c/canary-NAME if it ever runs
# (as whichever user: $t/c is writable by all)
mkdir -m 1777 "$t/c"
plant() {
    mkdir -p "$1"
    printf '#!/bin/sh\n: > %s/c/canary-%s\necho "{}"\n' "$t" "$2" > "$1/go"
    chmod 0755 "$1/go"
}

# refused NAME PATTERN -- ARGS: golint-env runs, says why, and the go never ran
refused() {
    local name=$1 pattern=$2
    shift 3
    local out
    checks=$((checks + 1))
    out=$(cd / && timeout 60 "$@" 2>&1)
    [ -e "$t/c/canary-$name" ] && say "$name: the planted go ran"
    grep -q "GE6051" <<<"$out" && grep -q "env -json\` not run" <<<"$out" ||
        { say "$name: no finding says go env was not run"; head -c 3000 <<<"$out"; echo; }
    grep -Eq -- "$pattern" <<<"$out" ||
        { say "$name: the reason does not match /$pattern/"; grep GE6051 <<<"$out"; }
}

rootrc() { printf '%s\n' "$@" > /root/.bashrc; }
# rootcase NAME DIR PATTERN: root's own PATH starts with DIR; its go is refused
rootcase() {
    rootrc "export PATH=$2:\$PATH"
    refused "$1" "$3" -- env HOME=/root "$bin" live
}

# ---- 1. root runs `golint-env --user alice`: alice's go never runs -------------
plant /home/alice/evil alice-evil
chown -R 4242:4242 /home/alice/evil
echo 'export PATH=/home/alice/evil:$PATH' > /home/alice/.bashrc
chown 4242:4242 /home/alice/.bashrc
refused alice-evil "alice's \(uid 4242\), not yours \(uid 0\)" -- env HOME=/root "$bin" live --user alice
refused alice-evil "alice's \(uid 4242\), not yours \(uid 0\)" -- env HOME=/root "$bin" live --home /home/alice
refused alice-evil "home /home/alice is not yours" -- env HOME=/root "$bin" live --user root --home /home/alice
# even a go in a directory only root can write: it is still alice's environment
mkdir -p "$t/safe"; plant "$t/safe/alicebin" alice-safe
echo "export PATH=$t/safe/alicebin:\$PATH" > /home/alice/.bashrc
refused alice-safe "alice's.*not yours" -- env HOME=/root "$bin" live --user alice
# sudo keeping alice's HOME: still alice's environment
refused alice-safe "alice's.*not yours" -- env HOME=/home/alice USER=root "$bin" live

# ---- 2. root's own environment, a go others can replace ------------------------
w=$t/w
mkdir -p "$w"
# a directory owned by another user, the go in it owned by root
plant "$w/owned" owned; chown 4242 "$w/owned"
rootcase owned "$w/owned" "$w/owned is owned by alice \(uid 4242\)"
# group-writable and world-writable directories
plant "$w/grp" grp; chmod 0775 "$w/grp"
rootcase grp "$w/grp" "$w/grp is writable by group"
plant "$w/world" world; chmod 0777 "$w/world"
rootcase world "$w/world" "$w/world is writable by everyone"
# an ancestor writable by everyone (no sticky bit): the whole subtree can be swapped
plant "$w/anc/x/bin" anc; chmod 0777 "$w/anc"
rootcase anc "$w/anc/x/bin" "$w/anc is writable by everyone"
# the binary itself writable by others, or owned by someone else
plant "$w/wfile" wfile; chmod 0757 "$w/wfile/go"
rootcase wfile "$w/wfile" "$w/wfile/go is writable by everyone"
plant "$w/ofile" ofile; chown 4343 "$w/ofile/go"
rootcase ofile "$w/ofile" "$w/ofile/go is owned by mallory"
# a root-owned link whose target lies in another user's directory: the target counts
plant "$w/lnktarget" lnk; chown 4242 "$w/lnktarget"
mkdir -p "$w/lnk"; ln -s "$w/lnktarget/go" "$w/lnk/go"
rootcase lnk "$w/lnk" "$w/lnktarget is owned by alice"

# ---- 3. allowed: root's own go in root-owned 0755 directories ------------------
# the fake go dumps its environment; nothing of the caller's may be there
mkdir -p "$t/ok/bin"
cat > "$t/ok/bin/go" <<EOF
#!/bin/sh
env > $t/env.out
pwd > $t/pwd.out
echo '{"GOROOT": "/usr/local/go-real", "GOPATH": "/root/gopath"}'
EOF
chmod 0755 "$t/ok/bin/go"
rootrc "export PATH=$t/ok/bin:\$PATH" "export GOPATH=/root/gopath" "export GOROOT=/usr/local/go-sim" \
    "GONOTEXPORTED=1"
checks=$((checks + 1))
out=$(cd "$t" && env -i PATH=/usr/bin:/bin HOME=/root USER=root SECRET_TOKEN=hunter2 \
    AWS_SECRET_ACCESS_KEY=caller-secret GOFLAGS=-caller-flag LD_PRELOAD= \
    timeout 60 "$bin" live 2>&1)
if [ ! -s "$t/env.out" ]; then
    say "allowed: the go in a root-owned 0755 directory did not run"; head -c 3000 <<<"$out"; echo
else
    grep -Eq "^PATH=$t/ok/bin:" "$t/env.out" || say "allowed: PATH is not the simulated one: $(grep ^PATH= "$t/env.out")"
    grep -qx "HOME=/root" "$t/env.out" || say "allowed: HOME missing"
    grep -qx "GOPATH=/root/gopath" "$t/env.out" || say "allowed: the context's GOPATH missing"
    grep -qx "GOROOT=/usr/local/go-sim" "$t/env.out" || say "allowed: the context's GOROOT missing"
    for v in SECRET_TOKEN AWS_SECRET_ACCESS_KEY GOFLAGS LD_PRELOAD USER GONOTEXPORTED; do
        grep -q "^$v=" "$t/env.out" && say "allowed: $v of the caller reached go"
    done
    # the shell running the fake go adds PWD (dash) and SHLVL/_ (bash) itself
    extra=$(grep -Ev '^(PATH|HOME|GO[A-Z0-9_]*|CGO_[A-Z0-9_]*|PWD|OLDPWD|SHLVL|_)=' "$t/env.out")
    [ -z "$extra" ] || say "allowed: unexpected variables in go's environment: $extra"
    [ "$(cat "$t/pwd.out")" = / ] || say "allowed: go ran in $(cat "$t/pwd.out"), not /"
    grep -q "GE6050" <<<"$out" && grep -q "/usr/local/go-real" <<<"$out" ||
        { say "allowed: GOROOT mismatch not reported (GE6050)"; head -c 3000 <<<"$out"; echo; }
fi
rm -f "$t/env.out"
# --no-exec and --offline: nothing runs, nothing is said about it
for opt in --no-exec --offline; do
    checks=$((checks + 1))
    out=$(cd / && HOME=/root timeout 60 "$bin" live $opt 2>&1)
    [ -e "$t/env.out" ] && say "$opt: go ran"
    grep -q "GE6051" <<<"$out" && say "$opt: a GE6051 finding although running was turned off"
    rm -f "$t/env.out"
done

# ---- 4. not root: alice's own go, and one another user can replace -------------
rm -f /root/.bashrc
plant "$w/mallory" mallory; chown -R 4343:4343 "$w/mallory"
echo "export PATH=$w/mallory:\$PATH" > /home/alice/.bashrc
asalice=(setpriv --reuid 4242 --regid 4242 --clear-groups env -i PATH=/usr/bin:/bin HOME=/home/alice USER=alice)
refused mallory "$w/mallory is owned by mallory \(uid 4343\)" -- "${asalice[@]}" "$bin" live
# alice's own bin, group-writable by her private group (umask 002): allowed
mkdir -p /home/alice/bin
cat > /home/alice/bin/go <<EOF
#!/bin/sh
env > /home/alice/env.out
echo '{}'
EOF
chmod 0775 /home/alice/bin /home/alice/bin/go
chown -R 4242:4242 /home/alice/bin
echo 'export PATH=$HOME/bin:$PATH' > /home/alice/.bashrc
checks=$((checks + 1))
out=$(cd / && "${asalice[@]}" SECRET_TOKEN=x "$bin" live 2>&1)
[ -s /home/alice/env.out ] || { say "alice's own go (private group) did not run"; grep GE6051 <<<"$out"; }
grep -q SECRET_TOKEN /home/alice/env.out 2>/dev/null && say "alice: the caller's SECRET_TOKEN reached go"
# ... but not if her group has someone else in it
# (written in place: the bind mount keeps the file's inode)
sed 's/^alice:x:4242:$/alice:x:4242:mallory/' "$t/group" > "$t/group.new" && cat "$t/group.new" > "$t/group"
rm -f /home/alice/env.out
refused alice-grp "/home/alice/bin is writable by group alice" -- "${asalice[@]}" "$bin" live
[ -e /home/alice/env.out ] && say "alice: a go in a directory her group (with mallory) can write ran"

[ "$fail" = 0 ] && echo "ok: $checks cases: another user's go, writable directories, ancestors, files, links never run; the allowed go sees only the context's variables"
exit "$fail"

#!/bin/bash
# Hostile inputs given to `check`: each gets a clear message, the contract's
# exit status, and bounded time (no hang: every run is under `timeout`).
set -u
bin=$(realpath "${1:?usage: hostile.sh GOLINT_ENV_BINARY}")
export NO_COLOR=1
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0 fail=0

expect() { # expect NAME STATUS PATTERN -- ARGS...
    local name=$1 want=$2 pattern=$3
    shift 4
    local out rc
    out=$(cd "$t" && timeout 60 "$bin" "$@" 2>&1)
    rc=$?
    if [ "$rc" = "$want" ] && grep -Eq -- "$pattern" <<<"$out"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $name: exit $rc (want $want), output:"; head -c 2000 <<<"$out"; echo
    fi
}

printf 'export A=1\n' > "$t/ok.sh"
mkfifo "$t/fifo.sh"
mkdir "$t/dir.sh"
printf 'export PATH=/x\n\0\001\002' > "$t/nul.bashrc"
printf 'export GOPATH="\377\376/go"\n' > "$t/badutf8.bashrc"
head -c 10000000 /dev/zero | tr '\0' 'a' | sed 's/^/export X=/' > "$t/longline.sh"
{ for i in $(seq 50000); do echo "if true; then"; done; echo ":"; for i in $(seq 50000); do echo "fi"; done; } > "$t/nested.sh"
printf '. ./self.sh\nexport PATH=/x\n' > "$t/self.sh"
ln -s loop2.sh "$t/loop1.sh"; ln -s loop1.sh "$t/loop2.sh"
printf 'export A=1\n' > "$t/unreadable.sh"; chmod 000 "$t/unreadable.sh"

expect fifo 2 'fifo.sh: not a regular file \(a FIFO\)' -- check fifo.sh
expect fifo-with-others 2 'fifo.sh: not a regular file' -- check fifo.sh ok.sh
expect directory 2 'dir.sh: is a directory' -- check dir.sh
expect missing 2 'nope.sh: No such file or directory' -- check nope.sh
expect dev-zero 2 '/dev/zero: not a regular file \(a character device\)' -- check --kind shell /dev/zero
expect nul-bytes 1 'GE1004' -- check nul.bashrc
expect invalid-utf8 0 'no findings' -- check badutf8.bashrc
expect long-line 0 'file is 10000009 bytes, over the per-file budget of 1048576 bytes' -- check longline.sh
expect nested-ifs 0 'no findings|GE1000' -- check nested.sh
expect self-source 1 'GE2001' -- check self.sh
expect symlink-loop 2 'loop1.sh: too many levels of symbolic links' -- check loop1.sh
if [ "$(id -u)" != 0 ]; then
    expect unreadable 2 'unreadable.sh: Permission denied' -- check unreadable.sh
fi
# A FIFO is never opened, not even for a moment: a writer blocked in open()
# would be released and write its mark (the same for doctor, whose chains
# and prefetcher see a FIFO in a source line and in a glob loop).
never_opened() { # NAME ARGS...
    local name=$1 w
    shift
    rm -f "$t/mark" "$t/trap.sh"
    mkfifo "$t/trap.sh"
    (exec 3>"$t/trap.sh"; echo opened > "$t/mark") &
    w=$!
    sleep 0.2 # the writer is in open() by now
    (cd "$t" && timeout 60 "$bin" "$@" > /dev/null 2>&1)
    sleep 0.2
    kill "$w" 2>/dev/null
    # release the writer if it is still blocked, without leaving a mark
    rm -f "$t/trap.sh"
    wait "$w" 2>/dev/null
    if [ -e "$t/mark" ]; then
        fail=$((fail + 1))
        echo "FAIL $name: golint-env opened the FIFO"
    else
        pass=$((pass + 1))
    fi
}
never_opened fifo-check check trap.sh
# doctor under a root whose startup files, Go installation, sysctl keys and
# CA bundle are FIFOs, each with a writer waiting in open(): none is opened
# (and nothing blocks on one).
m=$t/m
mkdir -p "$m/etc/ssl/certs" "$m/home/u/.d" "$m/usr/local/go/bin" "$m/proc/sys/fs" "$m/proc/sys/kernel"
printf 'u:x:1000:1000::/home/u:/bin/bash\n' > "$m/etc/passwd"
printf '. ~/fifo.sh\nfor f in ~/.d/*; do . "$f"; done\nexport PATH="/usr/local/go/bin:$PATH"\n' > "$m/home/u/.bashrc"
writers=()
for f in home/u/fifo.sh home/u/.d/x.sh usr/local/go/VERSION usr/local/go/bin/go \
         proc/sys/fs/nr_open proc/sys/kernel/pid_max etc/ssl/certs/ca-certificates.crt; do
    mkfifo "$m/$f"
    (exec 3>"$m/$f"; echo "$f" >> "$t/mark") &
    writers+=($!)
done
rm -f "$t/mark"
sleep 0.2
timeout 60 "$bin" doctor --root "$m" --offline --jobs 2 > /dev/null 2>&1
rc=$?
sleep 0.2
kill "${writers[@]}" 2>/dev/null
wait "${writers[@]}" 2>/dev/null
if [ -e "$t/mark" ] || [ "$rc" -gt 2 ]; then
    fail=$((fail + 1)); echo "FAIL fifo-doctor: exit $rc; opened: $(tr '\n' ' ' < "$t/mark" 2>/dev/null)"
else
    pass=$((pass + 1))
fi

expect usage 2 'unknown option' -- check --bogus ok.sh
expect usage-format 2 "unknown format 'xml'" -- check --format xml ok.sh
expect no-files 2 'no files given' -- check
echo "hostile: $pass passed, $fail failed"
[ "$fail" = 0 ]

#!/bin/bash
# doctor and env parse the files a chain is about to source on several
# threads, and doctor runs the per-file rules on a second one (src/sim/prefetch.c,
# src/cli/cmd_doctor.c). The output must not depend on it: this compares
# --jobs 1 with --jobs 2, 3 and 4 (threads even on a one-CPU machine) over every
# fixture machine and over generated homes that stress the prefetcher:
# hundreds of sourced files, files that are missing, FIFOs, directories,
# self-sourcing, hints in comments, loops over globs, and more requests than
# the prefetcher takes (PREFETCH_MAX_JOBS).
set -u
bin=$(realpath "${1:?usage: threads.sh GOLINT_ENV_BINARY}")
src=${GOLINT_ENV_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
export NO_COLOR=1 LC_ALL=C
unset GOLINT_ENV_RULES_DIR
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0 n=0

# same NAME ARGS...: the output and exit status with --jobs 1 and --jobs 2, 3, 4
same() {
    local name=$1 rc1 rc2 i
    shift
    "$bin" "$@" --jobs 1 > "$t/one" 2>&1
    rc1=$?
    for i in 2 3 4; do
        timeout 60 "$bin" "$@" --jobs "$i" > "$t/two" 2>&1
        rc2=$?
        n=$((n + 1))
        if [ "$rc1" != "$rc2" ] || ! cmp -s "$t/one" "$t/two"; then
            echo "FAIL $name: --jobs 1 exit $rc1, --jobs $i exit $rc2: golint-env $*"
            diff -u "$t/one" "$t/two" | head -30
            fail=$((fail + 1))
            return
        fi
    done
}

for root in "$src"/fixtures/roots/*/; do
    name=$(basename "$root")
    same "$name doctor" doctor --root "$root" --offline --format json
    same "$name env" env --root "$root" --format json
done

# a home sourcing many files, some of them traps
h=$t/many/home/u
mkdir -p "$t/many/etc/profile.d" "$h/.d" "$h/.e" "$h/dir.sh"
printf 'u:x:1000:1000::/home/u:/bin/bash\n' > "$t/many/etc/passwd"
printf 'PATH=/usr/bin:/bin\nfor i in /etc/profile.d/*.sh; do\n  if [ -r "$i" ]; then . "$i"; fi\ndone\nunset i\n' \
    > "$t/many/etc/profile"
for i in $(seq 1 150); do printf 'export PD_%d=%d\n' "$i" "$i" > "$t/many/etc/profile.d/p$i.sh"; done
mkfifo "$h/fifo.sh"
{
    echo '# . ~/.d/commented.sh is only a comment'
    for i in $(seq 1 200); do
        printf '. ~/.d/f%d.sh\n' "$i"
        [ $((i % 17)) = 0 ] && printf '[ -f ~/.d/missing%d.sh ] && . ~/.d/missing%d.sh\n' "$i" "$i"
    done
    echo '. ~/fifo.sh'
    echo 'source "$HOME/dir.sh"'
    echo '. ~/.bashrc'
    echo 'for f in ~/.e/*.sh; do source "$f"; done'
    echo 'export PATH="$PATH:$HOME/go/bin"'
} > "$h/.bashrc"
for i in $(seq 1 200); do
    printf 'alias a%d=true\nexport PATH="$PATH:$HOME/.d/b%d"\n' "$i" "$i" > "$h/.d/f$i.sh"
    [ $((i % 50)) = 0 ] && printf '. ~/.d/f%d.sh\n' $((i - 1)) >> "$h/.d/f$i.sh"
done
printf 'not shell ( at all\n' > "$h/.d/f7.sh"
for i in $(seq 1 40); do printf 'E_%d=1\n' "$i" > "$h/.e/e$i.sh"; done
printf '. ~/.bashrc\n' > "$h/.bash_profile"
same "many doctor" doctor --root "$t/many" --offline --format json
same "many env" env --root "$t/many" --format json
same "many env text" env --root "$t/many" --context terminal

# more source lines than the prefetcher takes requests for
h=$t/lots/home/u
mkdir -p "$t/lots/etc" "$h/.d"
printf 'u:x:1000:1000::/home/u:/bin/bash\n' > "$t/lots/etc/passwd"
for i in $(seq 1 5000); do printf '. ~/.d/x%d.sh\n' "$i"; done > "$h/.bashrc"
for i in $(seq 1 5000 | awk 'NR % 50 == 0'); do printf 'X_%d=1\n' "$i" > "$h/.d/x$i.sh"; done
printf '. ~/.bashrc\n' > "$h/.bash_profile"
same "lots env" env --root "$t/lots" --format json --context terminal

echo "threads: $n comparisons, $fail failed"
[ "$fail" = 0 ]

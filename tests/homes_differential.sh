#!/bin/bash
# Differential test on real dotfiles homes: each home of ../shared/corpus/homes
# is installed into a fake root as its install.tsv says (links as written,
# copies where the install copies), with a Go setup where meta.json lists
# go_lines; the real bash/zsh/sh then run chrooted in every context
# (terminal: -i, login: -l -i, ssh-command: -c with SSH_CLIENT as sshd runs
# it, script: -c, desktop: sh -l) from the starting environment golint-env
# assumes, and PATH (as an ordered list), GOPATH, GOROOT, GOBIN, GOPROXY and
# the set of exported names are compared with `golint-env env --root`.
# The work is done by tests/helpers/homes_differential.py.
#
# Figures: a context counts as marked certain when golint-env's JSON says so
# (its own per-context flag if it has one, else every exported variable,
# PATH and the Go variables included, certain). Exported-names agreement is
# |shell & golint-env| / |shell | golint-env| per context, averaged. A
# context whose shell gave no environment (timeout, exit) is listed and left
# out of the figures; golint-env failing fails the test.
#
# usage: homes_differential.sh GOLINT_ENV_BINARY [HOME...]
#   HOMES="a b"         only these homes (same as naming them after the binary)
#   DIFF_VERBOSE=1      each mismatch: shell vs golint-env, first differing entry,
#                       where golint-env took the value from, the shell's stderr
#   DIFF_JOBS=N         homes built and run at a time (default 2)
#   DIFF_KEEP=1         keep the work directory (roots, without the mounts)
#   DIFF_SHELL_TIMEOUT  seconds per shell run (default 30)
#   DIFF_RELATIVE_LINKS=1  diagnosis: make the homes' absolute links relative first
#                       (same files for the shells; shows what else a simulator
#                       that follows absolute links on the host gets wrong)
#
# Needs root (chroot, bind mounts, namespaces), bash, zsh, dash, python3 and
# util-linux's unshare; skips (77) with a message otherwise, or without the
# corpus. Everything happens in a private mount namespace, so the bind mounts
# die with the test however it ends; the trap unmounts them as well and only
# then removes the work directory, never crossing into a mount.
set -u

# The targets (printed, with BELOW TARGET where a figure does not reach them yet):
PATH_CERTAIN_MIN=95          # % of contexts golint-env marks certain with PATH exact
PATH_TERMINAL_LOGIN_MIN=90   # % of all terminal and login contexts with PATH exact
GO_CERTAIN_WRONG_MAX=0       # Go variables marked certain whose value is wrong
NAMES_MIN=85                 # % exported-names agreement (certain, and terminal+login)
# The floors: the figures reached so far, a little below to absorb the shells'
# own variation; the test fails past them (a change made the simulator worse).
# Raise them as the figures rise; all homes only (one home alone: targets only).
FLOOR_PATH_CERTAIN=${FLOOR_PATH_CERTAIN:-95}
FLOOR_PATH_TERMINAL_LOGIN=${FLOOR_PATH_TERMINAL_LOGIN:-60}
FLOOR_GO_CERTAIN_WRONG=${FLOOR_GO_CERTAIN_WRONG:-0}
FLOOR_NAMES=${FLOOR_NAMES:-90}
FLOOR_NAMES_TERMINAL_LOGIN=${FLOOR_NAMES_TERMINAL_LOGIN:-82}

bin=$(realpath "${1:?usage: homes_differential.sh GOLINT_ENV_BINARY [HOME...]}")
shift
src=$(cd "$(dirname "$0")/.." && pwd)
corpus=$src/../shared/corpus
export LC_ALL=C NO_COLOR=1 PYTHONDONTWRITEBYTECODE=1

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root to build chroots and bind mounts (run in CI as root)"
for s in bash zsh dash python3 chroot mount umount unshare timeout dpkg-query; do
    command -v "$s" >/dev/null 2>&1 || skip "$s is not installed"
done
[ -d "$corpus/homes" ] || skip "no corpus of homes at $corpus/homes"
[ -x "$bin" ] || { echo "not executable: $bin" >&2; exit 2; }

# Enter private mount and UTS namespaces once (hostname of the homes' host).
if [ -z "${HOMES_DIFFERENTIAL_NS:-}" ]; then
    unshare --mount --uts --pid --fork --net true 2>/dev/null || skip "cannot create namespaces here"
    HOMES_DIFFERENTIAL_NS=1 exec unshare --mount --uts --propagation private \
        bash "$0" "$bin" "$@"
fi
# igloo's links were resolved for its Linux host, polarbear; the shells see it
hostname polarbear 2>/dev/null || true

work=$(mktemp -d "${TMPDIR:-/tmp}/homes_differential.XXXXXX")
cleanup() {
    # unmount everything under the work directory, deepest first
    local m left
    for _ in 1 2 3; do
        left=0
        while read -r m; do
            umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || left=1
        done < <(awk -v w="$work/" 'index($5, w) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
        [ "$left" = 0 ] && break
    done
    if awk -v w="$work/" 'index($5, w) == 1 { f = 1 } END { exit !f }' /proc/self/mountinfo; then
        echo "homes_differential: mounts left under $work; not removing it" >&2
    elif [ -n "${DIFF_KEEP:-}" ]; then
        echo "homes_differential: kept $work"
    else
        rm -rf --one-file-system "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# one home: first arguments after the binary, or HOMES
homes=("$@")
[ ${#homes[@]} = 0 ] && [ -n "${HOMES:-}" ] && read -r -a homes <<< "${HOMES//,/ }"

if [ ${#homes[@]} -gt 0 ]; then # the floors are for all homes together
    FLOOR_PATH_CERTAIN=0 FLOOR_PATH_TERMINAL_LOGIN=0 FLOOR_GO_CERTAIN_WRONG=999999
    FLOOR_NAMES=0 FLOOR_NAMES_TERMINAL_LOGIN=0
fi
verbose=()
[ -n "${DIFF_VERBOSE:-}" ] && [ "${DIFF_VERBOSE}" != 0 ] && verbose=(--verbose)
python3 "$src/tests/helpers/homes_differential.py" --binary "$bin" --corpus "$corpus" \
    --work "$work" --jobs "${DIFF_JOBS:-2}" "${verbose[@]}" \
    --path-certain-min "$PATH_CERTAIN_MIN" --path-terminal-login-min "$PATH_TERMINAL_LOGIN_MIN" \
    --go-wrong-max "$GO_CERTAIN_WRONG_MAX" --names-min "$NAMES_MIN" \
    --floor-path-certain "$FLOOR_PATH_CERTAIN" --floor-path-terminal-login "$FLOOR_PATH_TERMINAL_LOGIN" \
    --floor-go-wrong "$FLOOR_GO_CERTAIN_WRONG" --floor-names "$FLOOR_NAMES" \
    --floor-names-terminal-login "$FLOOR_NAMES_TERMINAL_LOGIN" \
    "${homes[@]}"

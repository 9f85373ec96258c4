#!/bin/bash
# Compare golint-env binaries on one command, runs interleaved: on a shared or
# throttled machine the speed drifts over minutes, and alternating the
# binaries run by run puts the same drift on each. Figures only.
#
#   bench/compare.sh [-n RUNS] BIN... -- ARGS...
#
# e.g. the bash home of bench/doctor_home.sh (BENCH_KEEP=/tmp/bh keeps it), an
# older build, one thread and the default:
#   bench/compare.sh old/golint-env 'build/golint-env --jobs 1' build/golint-env -- \
#       doctor --root /tmp/bh/bash --home /home/gopher --user gopher --offline --format json
# A BIN may carry options: 'build/golint-env --jobs 1' (quoted, split on spaces).
# Prints per binary the median, first quartile and minimum of the elapsed time,
# and the median and minimum of the CPU time (user+sys, all threads), in ms.
set -u
runs=30
if [ "${1:-}" = -n ]; then runs=$2; shift 2; fi
bins=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do bins+=("$1"); shift; done
if [ "${1:-}" != -- ] || [ ${#bins[@]} -eq 0 ]; then
    echo "usage: compare.sh [-n RUNS] BIN... -- ARGS..." >&2
    exit 2
fi
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
TIMEFORMAT='%3R %3U %3S'
for ((i = 0; i < runs; i++)); do
    for k in "${!bins[@]}"; do
        # shellcheck disable=SC2086 # a BIN may carry options
        { time ${bins[$k]} "$@" > /dev/null 2>&1; } 2>> "$work/$k"
    done
done
# pick FILE N: the N-th smallest value (1-based)
pick() { sort -n "$1" | sed -n "${2}p"; }
printf '%-40s %8s %8s %8s %9s %8s\n' binary "wall med" "wall p25" "wall min" "CPU med" "CPU min"
for k in "${!bins[@]}"; do
    awk '{printf "%.1f\n", $1 * 1000}' "$work/$k" > "$work/w"
    awk '{printf "%.1f\n", ($2 + $3) * 1000}' "$work/$k" > "$work/c"
    printf '%-40s %8s %8s %8s %9s %8s\n' "${bins[$k]}" "$(pick "$work/w" $(((runs + 1) / 2)))" \
        "$(pick "$work/w" $(((runs + 3) / 4)))" "$(pick "$work/w" 1)" \
        "$(pick "$work/c" $(((runs + 1) / 2)))" "$(pick "$work/c" 1)"
done
echo "($runs runs each, interleaved; ms)"

#!/bin/sh
# Replay every saved input of one fuzz target (fuzz/regressions/TARGET/*):
# each one crashed or hung once and must now run clean.
#   sh fuzz/replay.sh BUILD/fuzz_TARGET fuzz/regressions/fuzz_TARGET
set -u
bin=${1:?usage: replay.sh FUZZ_BINARY DIR}
dir=${2:?usage: replay.sh FUZZ_BINARY DIR}
set -- "$dir"/*
if [ ! -e "$1" ]; then
    echo "no regression inputs in $dir"
    exit 0
fi
echo "replaying $# inputs from $dir"
# -runs=1 per file; a crash, sanitizer report or >10 s per input fails the test
exec "$bin" -timeout=10 -rss_limit_mb=2048 "$@"

#!/bin/sh
# Run the libFuzzer targets, each for SECONDS, with seed corpora built from
# fixtures/ and the examples in rules/*.json.
#
#   sh fuzz/run.sh SECONDS [fuzz_TARGET...]     (default: every target built)
#
# Builds build-fuzz/ with clang first when it is missing ($FUZZ_BUILD to use
# another tree). The growing corpus stays in $FUZZ_BUILD/corpus/TARGET. A crash,
# leak, sanitizer report or timeout fails the run; its input is copied to
# fuzz/regressions/TARGET/ so that, once fixed, fuzz/replay.sh keeps it fixed.
set -u
cd "$(dirname "$0")/.."
src=$(pwd)
secs=${1:?usage: fuzz/run.sh SECONDS [fuzz_TARGET...]}
shift
build=${FUZZ_BUILD:-$src/build-fuzz}

if [ ! -x "$build/fuzz_shell" ]; then
    cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DGOLINT_ENV_FUZZ=ON >/dev/null || exit 2
    cmake --build "$build" -j"$(nproc)" || exit 2
fi
if [ $# -eq 0 ]; then
    for f in "$build"/fuzz_*; do
        [ -x "$f" ] && [ -f "$f" ] && set -- "$@" "$(basename "$f")"
    done
fi

# seed FILE_OR_TEXT NAME: add one seed to the current corpus directory
seed_file() { [ -f "$1" ] && cp "$1" "$corpus/seed-$(printf '%s' "$1" | cksum | cut -d' ' -f1)"; }
seed_text() { printf '%s' "$2" > "$corpus/seed-$1"; }
# rules/*.json examples of a kind (and machine-example files matching a path pattern)
seed_examples() { # KIND PATH_REGEX
    for r in rules/*.json; do
        jq -r --arg k "$1" --arg re "$2" '
          (.examples.bad // []) + (.examples.good // []) | .[]
          | if .kind == $k then .code
            elif .kind == "machine" and $re != "" then
              (.files // {}) | to_entries[] | select(.key | test($re)) | .value
            else empty end
          | select(. != null) | @base64' "$r" 2>/dev/null
    done | while read -r b; do
        printf '%s' "$b" | base64 -d > "$corpus/seed-ex-$(printf '%s' "$b" | cksum | cut -d' ' -f1)"
    done
}
seed_fixtures() { # FIND_NAME_ARGS...
    find fixtures tests/golden -type f \( "$@" \) 2>/dev/null | while read -r f; do seed_file "$f"; done
}

seeds() { # TARGET: fill $corpus
    case $1 in
    fuzz_shell|fuzz_sim)
        seed_fixtures -name '.*rc' -o -name '.*profile' -o -name 'profile' -o -name '*.sh' \
            -o -name '.zsh*' -o -name 'bash.bashrc' -o -name '.bash_*'
        seed_examples shell '(rc|profile|\.sh|zshenv|zprofile|zlogin|bash_login)$'
        for f in /etc/skel/.bashrc /etc/skel/.profile /etc/profile /etc/bash.bashrc; do seed_file "$f"; done
        seed_text zsh 'typeset -U path; path=(~/go/bin $path); export GOPATH=~/go'
        seed_text case 'case $- in *i*) ;; *) return;; esac; [ -d "$HOME/bin" ] && PATH="$HOME/bin:$PATH"'
        seed_text heredoc "$(printf 'cat <<EOF\n$GOPATH\nEOF\nfor p in /a /b; do PATH=$p:$PATH; done\n')" ;;
    fuzz_unit)
        seed_fixtures -name '*.service' -o -name '*.socket' -o -name '*.timer' -o -name 'system.conf' \
            -o -path '*.service.d/*.conf'
        seed_examples unit '\.(service|socket|mount|timer)$|\.d/.*\.conf$'
        seed_examples systemd-conf 'systemd/(system|user)\.conf$'
        seed_text unit "$(printf '[Service]\nEnvironment="GOPATH=/srv/go" GOMAXPROCS=4\nLimitNOFILE=1024:524288\nExecStart=/usr/bin/app \\\n  --flag\nCPUQuota=150%%\n')" ;;
    fuzz_limits)
        seed_fixtures -name 'limits.conf' -o -path '*limits.d/*'
        seed_examples limits 'limits(\.conf|\.d/.*)$'
        seed_text limits "$(printf '*  soft  nofile  65535\n@go hard nproc unlimited\ngopher - nice -5\n')" ;;
    fuzz_sysctl)
        seed_fixtures -name 'sysctl.conf' -o -path '*sysctl.d/*'
        seed_examples sysctl 'sysctl(\.conf|\.d/.*)$'
        seed_text sysctl "$(printf 'fs.file-max = 2097152\nnet/core/somaxconn=4096\n-kernel.x = 1\nnet.ipv4.conf.*.rp_filter=1\n')" ;;
    fuzz_cgconfig)
        seed_fixtures -name 'cgconfig.conf' -o -name 'cgrules.conf' -o -path '*cgconfig.d/*'
        seed_examples cgconfig 'cg(config|rules)'
        seed_text cgconfig "$(printf 'mount { cpu = /sys/fs/cgroup/cpu; }\ngroup go/app { cpu { cpu.cfs_quota_us = "150000"; } }\n')" ;;
    fuzz_envsnap)
        seed_fixtures -name '*.env0' -o -name '*.envsnap' -o -name 'snapshot*.json'
        seed_text nul "$(printf 'PATH=/usr/bin:/bin\001HOME=/home/u\001GOPATH=/home/u/go\001' | tr '\001' '\000')"
        printf 'PATH=/usr/bin:/bin\000HOME=/home/u\000X=a\nb\000' > "$corpus/seed-nul"
        seed_text lines "$(printf 'PATH=/usr/local/go/bin:/usr/bin\nBASH_FUNC_f%%%%=() {  echo\n}\nGOFLAGS=-mod=mod\n')"
        seed_text json '{"version":1,"contexts":[{"name":"terminal","variables":{"PATH":{"value":"/usr/bin","exported":true}}}]}'
        seed_text json2 '{"context":"login","variables":[{"name":"GOPATH","value":"/go","exported":true}]}' ;;
    fuzz_rules_json)
        for r in rules/*.json; do seed_file "$r"; done ;;
    fuzz_config)
        seed_fixtures -name '.golint-env.json' -o -name 'config.json'
        seed_text cfg '{"disable":["GE1001"],"enable":["GE2002"],"severity":{"GE2001":"warning"}}' ;;
    fuzz_report)
        seed_text r1 "$(printf 'export PATH=/x\n\377\001\000\010GE\377msg\377\044')"
        seed_text r2 "$(printf 'a\r\nb\t\xc3\xa9\n\377\003\001\000\002\000m\377\377\005\000\001\000\002\000\x80\001\004\377')" ;;
    esac
    for f in fuzz/regressions/"$1"/*; do [ -f "$f" ] && seed_file "$f"; done
    [ -n "$(ls -A "$corpus")" ] || seed_text empty ''
}

status=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for t in "$@"; do
    bin=$build/$t
    if [ ! -x "$bin" ]; then
        echo "fuzz: $t not built in $build" >&2
        status=1
        continue
    fi
    corpus=$build/corpus/$t
    art=$build/artifacts/$t
    mkdir -p "$corpus" "$art"
    seeds "$t"
    dict=
    [ -f "fuzz/${t#fuzz_}.dict" ] && dict=-dict=fuzz/${t#fuzz_}.dict
    echo "fuzz: $t for ${secs}s ($(ls "$corpus" | wc -l) inputs in corpus)"
    # shellcheck disable=SC2086
    "$bin" $dict -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$art/" "$corpus" > "$build/$t.log" 2>&1
    rc=$?
    grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$build/$t.log" | tail -2
    if [ $rc -ne 0 ]; then
        status=1
        echo "fuzz: $t FAILED (exit $rc); log: $build/$t.log" >&2
        grep -E 'ERROR: |runtime error|property failed|SUMMARY' "$build/$t.log" | head -5 >&2
        mkdir -p "fuzz/regressions/$t"
        for a in "$art"/*; do
            [ -f "$a" ] || continue
            cp "$a" "fuzz/regressions/$t/$(basename "$a")"
            echo "fuzz: reproducer kept as fuzz/regressions/$t/$(basename "$a")" >&2
        done
    fi
done
exit $status

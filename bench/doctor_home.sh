#!/bin/bash
# Benchmark the simulator (`env`) and `doctor --offline` on large fake homes.
#
#   bench/doctor_home.sh [path/to/golint-env]
#
# The figures: CPU time (user+sys of all threads, best of $BENCH_RUNS runs,
# getrusage), wall time (median of the same runs: doctor and env parse and
# check on two threads, so this is what a user waits; it is noise on a loaded
# machine, read it on an idle one), instructions (valgrind --tool=callgrind,
# "I refs", all threads; skipped without valgrind or with BENCH_INSTR=0) and
# peak RSS. No assertions: figures only. Extra options for every run:
# BENCH_ARGS (e.g. "--jobs 1"); BENCH_KEEP=DIR generates the homes in DIR and
# keeps them (DIR/bash, DIR/omz, ...: see bench/compare.sh).
#
# Homes generated (BENCH_HOMES selects some, space-separated):
#   omz       oh-my-zsh style ~/.zshrc with 100 plugins of 30 aliases, 5 functions
#             and 2 exports each (issue 3: under 50 ms)
#   bash      the demo machine plus 100 files sourced from ~/.bash_aliases, same
#             plugin shape, ~3,800 lines (issue 4: doctor --offline under 50 ms)
#   funcs     a ~/.bashrc defining 15,000 functions (must not be quadratic)
#   profiled  /etc/profile looping over 10,000 files in /etc/profile.d
#   selfsrc   a ~/.bashrc that sources itself (bounded by max_source_depth)
# Without an argument a Release tree is configured in $BENCH_BUILD
# (default build-bench) and golint-env is built there.
set -u
cd "$(dirname "$0")/.." || exit 2
src=$(pwd)
runs=${BENCH_RUNS:-5}
homes=${BENCH_HOMES:-omz bash funcs profiled selfsrc}
if [ $# -ge 1 ]; then
    bin=$(realpath "$1")
else
    build=${BENCH_BUILD:-$src/build-bench}
    if [ ! -f "$build/CMakeCache.txt" ]; then
        cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DGOLINT_ENV_TESTS=OFF >/dev/null || exit 2
    fi
    cmake --build "$build" -j"$(nproc)" --target golint-env >/dev/null || exit 2
    bin=$build/golint-env
fi
if [ -n "${BENCH_KEEP:-}" ]; then
    work=$BENCH_KEEP # the homes stay there (for bench/compare.sh)
    mkdir -p "$work"
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi

# plugin NAME: 30 aliases, 5 functions, 2 exports (37 definitions, ~38 lines)
plugin() {
    local n=$1 i
    printf '# %s plugin\n' "$n"
    for ((i = 0; i < 30; i++)); do printf "alias %s-a%d='%s --opt%d'\n" "$n" "$i" "$n" "$i"; done
    for ((i = 0; i < 5; i++)); do printf '%s_f%d() { local x=$1; echo "%s $x"; }\n' "$n" "$i" "$n"; done
    printf 'export %s_HOME="$HOME/.%s"\n' "${n^^}" "$n"
    printf 'export PATH="$PATH:$HOME/.%s/bin"\n' "$n"
}

gen_omz() { # ROOT
    local r=$1 z=$1/home/omz/.oh-my-zsh i
    mkdir -p "$r/etc" "$z/lib" "$z/themes" "$r/usr/local/go/bin" "$r/usr/bin"
    cp -r "$src/fixtures/roots/ohmyzsh/etc/." "$r/etc/"
    cp "$src/fixtures/roots/ohmyzsh/home/omz/.oh-my-zsh/oh-my-zsh.sh" "$z/"
    cp "$src/fixtures/roots/ohmyzsh/home/omz/.oh-my-zsh/lib/"*.zsh "$z/lib/"
    cp "$src/fixtures/roots/ohmyzsh/home/omz/.oh-my-zsh/themes/"* "$z/themes/"
    : > "$r/usr/local/go/bin/go"; : > "$r/usr/bin/git"; chmod +x "$r/usr/local/go/bin/go" "$r/usr/bin/git"
    {
        printf 'export ZSH="$HOME/.oh-my-zsh"\nZSH_THEME="robbyrussell"\nplugins=(\n'
        for ((i = 0; i < 100; i++)); do printf '  p%02d\n' "$i"; done
        printf ')\nsource $ZSH/oh-my-zsh.sh\nexport PATH="/usr/local/go/bin:$PATH"\nexport GOPATH="$HOME/go"\n'
    } > "$r/home/omz/.zshrc"
    for ((i = 0; i < 100; i++)); do
        mkdir -p "$z/plugins/p$(printf %02d $i)"
        plugin "p$(printf %02d $i)" > "$z/plugins/p$(printf %02d $i)/p$(printf %02d $i).plugin.zsh"
    done
    echo "--root $r --home /home/omz --user omz --shell zsh"
}

gen_bash() { # ROOT
    local r=$1 h=$1/home/gopher i
    cp -r "$src/fixtures/roots/demo/." "$r/"
    mkdir -p "$h/.bashrc.d"
    for ((i = 0; i < 100; i++)); do
        plugin "p$(printf %02d $i)" > "$h/.bashrc.d/p$(printf %02d $i).sh"
        printf '. ~/.bashrc.d/p%02d.sh\n' "$i" >> "$h/.bash_aliases"
    done
    echo "--root $r --home /home/gopher --user gopher"
}

gen_funcs() { # ROOT
    local r=$1 i
    mkdir -p "$r/etc" "$r/home/u"
    printf 'u:x:1000:1000::/home/u:/bin/bash\n' > "$r/etc/passwd"
    for ((i = 0; i < 15000; i++)); do printf 'fn_%05d() { echo %d; }\n' "$i" "$i"; done > "$r/home/u/.bashrc"
    printf 'export PATH="$PATH:$HOME/go/bin"\nfn_00042\n' >> "$r/home/u/.bashrc"
    printf '. ~/.bashrc\n' > "$r/home/u/.bash_profile"
    echo "--root $r --home /home/u --user u --shell bash"
}

gen_profiled() { # ROOT
    local r=$1 i
    mkdir -p "$r/etc/profile.d" "$r/home/u"
    printf 'u:x:1000:1000::/home/u:/bin/bash\n' > "$r/etc/passwd"
    printf 'PATH=/usr/bin:/bin\nfor i in /etc/profile.d/*.sh; do\n  if [ -r "$i" ]; then . "$i"; fi\ndone\nunset i\n' > "$r/etc/profile"
    for ((i = 0; i < 10000; i++)); do
        printf 'export PD_%d=%d\n' "$i" "$i" > "$r/etc/profile.d/t$i.sh"
    done
    printf 'export PATH="$PATH:/opt/x/bin"\n' > "$r/etc/profile.d/t0.sh"
    echo "--root $r --home /home/u --user u --shell bash"
}

gen_selfsrc() { # ROOT
    local r=$1
    mkdir -p "$r/etc" "$r/home/u"
    printf 'u:x:1000:1000::/home/u:/bin/bash\n' > "$r/etc/passwd"
    printf 'export PATH="$PATH:$HOME/bin"\n. ~/.bashrc\nsource ~/.bashrc\n' > "$r/home/u/.bashrc"
    printf '. ~/.bashrc\n' > "$r/home/u/.bash_profile"
    echo "--root $r --home /home/u --user u --shell bash"
}

# measure ARGS...: prints "cpu_ms wall_ms rss_mb": CPU = best user+sys of
# $runs runs, wall = median elapsed of the same runs (bash's `time`, ms
# resolution); RSS from /usr/bin/time
measure() {
    local i best="" r u s m ms TIMEFORMAT='%3R %3U %3S' walls=()
    for ((i = 0; i < runs; i++)); do
        { time "$bin" "$@" > /dev/null 2> /dev/null; } 2> "$work/cpu"
        read -r r u s < "$work/cpu"
        ms=$(echo "($u + $s) * 1000" | bc -l)
        walls+=("$(echo "$r * 1000" | bc -l)")
        if [ -z "$best" ] || [ "$(echo "$ms < $best" | bc)" = 1 ]; then best=$ms; fi
    done
    local median
    median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
    /usr/bin/time -f '%M' -o "$work/time" "$bin" "$@" > /dev/null 2> /dev/null
    m=$(tail -1 "$work/time")
    printf '%.0f %.0f %.1f' "$best" "$median" "$(echo "$m / 1024" | bc -l)"
}
# instructions ARGS...: callgrind's I refs. The parse budget counts work, not
# time, so valgrind sees the same files; the count is still marked '*' when the
# output differs from a native run's.
instructions() {
    if [ "${BENCH_INSTR:-1}" = 0 ] || ! command -v valgrind >/dev/null; then echo -; return; fi
    local n
    "$bin" "$@" > "$work/native.out" 2>/dev/null
    n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$@" 2>"$work/vg.err" >"$work/vg.out"
        sed -n 's/.*I *refs: *//p' "$work/vg.err" | tr -d ,)
    cmp -s "$work/native.out" "$work/vg.out" || n="$n*"
    echo "$n"
}

printf '%s\n' "golint-env: $bin ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-9s %-8s %8s %8s %14s %8s %6s\n' home command "CPU ms" "wall ms" instructions "RSS MB" lines
for h in $homes; do
    rm -rf "${work:?}/$h" && mkdir -p "$work/$h"
    args=$(gen_"$h" "$work/$h") || exit 2
    lines=$(find "$work/$h/etc" "$work/$h/home" -type f -print0 | xargs -0 cat | wc -l)
    for cmd in env doctor; do
        # shellcheck disable=SC2086 # args are space-free paths and options
        set -- $cmd $args --format json ${BENCH_ARGS:-}
        [ "$cmd" = doctor ] && set -- "$@" --offline
        read -r cpu wall rss < <(measure "$@")
        printf '%-9s %-8s %8s %8s %14s %8s %6s\n' "$h" "$cmd" "$cpu" "$wall" "$(instructions "$@")" "$rss" "$lines"
    done
done
echo
echo "CPU ms: best user+sys of $runs runs (all threads); wall ms: median elapsed of the same runs;"
echo "instructions: callgrind I refs (all threads); RSS: peak, one run"
echo "(*: output under valgrind differed, e.g. a parse timed out there: the count is not comparable)"

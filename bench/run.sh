#!/bin/bash
# Benchmark `golint-env check` against ShellCheck and a bare tree-sitter parse.
#
#   bench/run.sh [CORPUS_DIR]
#
# Without CORPUS_DIR a realistic corpus is generated (bench/gen_corpus.sh)
# and Debian's bash-completion files are added when installed. Every regular
# text file under the corpus is a shell file. Prints, side by side: wall time
# (best of $BENCH_RUNS, default 3), files/s, MB/s and peak RSS (/usr/bin/time),
# then the ratios issue 10 asks about. Also times `doctor` on a large fake home
# when doctor is implemented.
# The machine should be otherwise idle: wall times are the best of several
# runs, and the CPU column (user+sys) shows what load cannot hide.
# Environment: BENCH_BUILD (default build-bench, a Release tree it configures),
# BENCH_RUNS, SHELLCHECK (default shellcheck; empty to skip).
set -u
cd "$(dirname "$0")/.."
src=$(pwd)
build=${BENCH_BUILD:-$src/build-bench}
runs=${BENCH_RUNS:-3}
shellcheck=${SHELLCHECK-shellcheck}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DGOLINT_ENV_TESTS=OFF > "$work/build.log" 2>&1 ||
        { tail -20 "$work/build.log"; exit 2; }
fi
cmake --build "$build" -j"$(nproc)" --target golint-env bare_parse > "$work/build.log" 2>&1 ||
    { tail -20 "$work/build.log"; exit 2; }
bin=$build/golint-env
bare=$build/bare_parse

if [ $# -ge 1 ]; then
    corpus=$(realpath "$1")
    find "$corpus" -type f -size -16M | sort > "$work/list"
    label=$corpus
else
    bash bench/gen_corpus.sh "$work/corpus"
    find "$work/corpus" -type f | sort > "$work/list"
    if [ -d /usr/share/bash-completion/completions ]; then
        find /usr/share/bash-completion/completions -type f | sort >> "$work/list"
    fi
    label="generated rc corpus + Debian bash-completion"
fi
# text files only (no NUL byte in the first 8 KB)
while IFS= read -r f; do
    head -c 8192 "$f" | tr -d '\n' | grep -qaP '\x00' || printf '%s\n' "$f"
done < "$work/list" > "$work/files"
mapfile -t files < "$work/files"
nfiles=${#files[@]}
bytes=$(cat "${files[@]}" | wc -c)
[ "$nfiles" -gt 0 ] || { echo "bench: no files in $label" >&2; exit 2; }
printf 'corpus: %s\n%d files, %.2f MB, %d cores\n\n' "$label" "$nfiles" "$(echo "$bytes/1048576" | bc -l)" "$(nproc)"

# measure NAME CMD...: best wall time of $runs runs (clock around the run),
# peak RSS from /usr/bin/time -f %M of that run
declare -A wall rss cpu
measure() {
    local name=$1 best="" bestrss=0 bestcpu=0 i w r c t0 t1
    shift
    for ((i = 0; i < ${RUNS_OVERRIDE:-$runs}; i++)); do
        t0=$EPOCHREALTIME
        /usr/bin/time -f '%M %U %S' -o "$work/time" "$@" > /dev/null 2> "$work/err"
        t1=$EPOCHREALTIME
        w=$(echo "$t1 - $t0" | bc -l)
        read -r r u sy < <(tail -1 "$work/time")
        c=$(echo "$u + $sy" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$w < $best" | bc)" = 1 ]; then best=$w bestrss=$r bestcpu=$c; fi
    done
    wall[$name]=$best
    rss[$name]=$bestrss
    cpu[$name]=$bestcpu
}
row() { # NAME
    local w=${wall[$1]} r=${rss[$1]}
    printf '%-28s %9.3f %9.2f %10.0f %8.2f %9.1f\n' "$1" "${wall[$1]}" "${cpu[$1]}" \
        "$(echo "$nfiles/$w" | bc -l)" "$(echo "$bytes/1048576/$w" | bc -l)" "$(echo "$r/1024" | bc -l)"
}

# golint-env reads every file as shell (completions have no extension).
measure check "$bin" check --kind shell --format json --fail-on none "${files[@]}"
measure check-jobs1 "$bin" check --jobs 1 --kind shell --format json --fail-on none "${files[@]}"
measure bare-parse "$bare" "${files[@]}"
have_sc=0
if [ -n "$shellcheck" ] && command -v "$shellcheck" >/dev/null; then
    have_sc=1
    scver=$("$shellcheck" --version | sed -n 's/^version: //p')
    RUNS_OVERRIDE=1 measure "shellcheck $scver" "$shellcheck" -s bash -f gcc "${files[@]}"
fi

printf '%-28s %9s %9s %10s %8s %9s\n' tool "wall s" "CPU s" "files/s" "MB/s" "RSS MB"
row check
row check-jobs1
row bare-parse
[ $have_sc = 1 ] && row "shellcheck $scver"
echo
ratio() { echo "scale=2; $1 / $2" | bc -l; }
printf 'check (%d workers) vs 1-thread bare parse: %sx the time  (issue 10: <= 1.00)\n' "$(nproc)" "$(ratio "${wall[check]}" "${wall[bare-parse]}")"
printf 'check --jobs 1 vs bare parse:              %sx the time  (issue 2: <= 1.50)\n' "$(ratio "${wall[check-jobs1]}" "${wall[bare-parse]}")"
[ $have_sc = 1 ] && printf 'check vs shellcheck:                       %sx faster     (issue 10: >= 60)\n' \
    "$(ratio "${wall[shellcheck $scver]}" "${wall[check]}")"
printf 'CPU time, check --jobs 1 vs bare parse:    %sx\n' "$(ratio "${cpu[check-jobs1]}" "${cpu[bare-parse]}")"
printf 'check peak RSS:                            %.1f MB      (issue 10: <= 32)\n' "$(echo "${rss[check]}/1024" | bc -l)"

# doctor on a large fake home, once doctor exists
if "$bin" doctor --root "$work" --offline >/dev/null 2>&1 || [ $? -lt 2 ]; then
    r=$work/root
    mkdir -p "$r/etc/profile.d" "$r/home/u/.config/go" "$r/home/u/.bashrc.d"
    printf 'u:x:1000:1000::/home/u:/bin/bash\n' > "$r/etc/passwd"
    cp "$work/corpus/home1/.profile" "$r/etc/profile" 2>/dev/null || printf 'PATH=/usr/bin:/bin\n' > "$r/etc/profile"
    printf 'for f in /etc/profile.d/*.sh; do [ -r "$f" ] && . "$f"; done\n' >> "$r/etc/profile"
    for ((i = 0; i < 500; i++)); do printf 'export PATH="$PATH:/opt/t%d/bin"\n' "$i" > "$r/etc/profile.d/t$i.sh"; done
    { cat "${files[0]}"; printf 'for f in ~/.bashrc.d/*; do . "$f"; done\n'; } > "$r/home/u/.bashrc"
    for ((i = 0; i < 300; i++)); do cp "${files[$((i % nfiles))]}" "$r/home/u/.bashrc.d/f$i"; done
    printf '[ -f ~/.bashrc ] && . ~/.bashrc\nexport GOPATH=$HOME/go\n' > "$r/home/u/.bash_profile"
    printf 'GOPROXY=https://proxy.golang.org,direct\n' > "$r/home/u/.config/go/env"
    RUNS_OVERRIDE=1 measure doctor "$bin" doctor --root "$r" --home /home/u --user u --offline --format json
    echo
    printf 'doctor, fake home (800 startup files):  %.3f s, peak RSS %.1f MB\n' "${wall[doctor]}" "$(echo "${rss[doctor]}/1024" | bc -l)"
else
    echo; echo "doctor: not implemented in this build; skipped"
fi

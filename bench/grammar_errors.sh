#!/bin/bash
# How many real zsh files each grammar leaves with error regions.
#
#   bench/grammar_errors.sh [DIR...]     (default: ../shared/corpus/rc and homes)
#
# Files are taken for zsh as bare_parse takes them (a zsh shebang, *.zsh,
# *.zsh-theme, the zsh startup file names); each is parsed with
# tree-sitter-bash and with tree-sitter-zsh, and the files whose tree holds an
# ERROR or MISSING node are counted. Figures only. BENCH_BUILD: a build tree
# (default build) where bare_parse is built.
set -u
cd "$(dirname "$0")/.." || exit 2
build=${BENCH_BUILD:-build}
[ -f "$build/CMakeCache.txt" ] || { echo "grammar_errors: no build tree $build (set BENCH_BUILD)" >&2; exit 2; }
cmake --build "$build" --target bare_parse >/dev/null || exit 2
[ $# -gt 0 ] || set -- ../shared/corpus/rc ../shared/corpus/homes
list=$(mktemp)
trap 'rm -f "$list"' EXIT
find "$@" -type f -size -1000k ! -name '*.md' ! -name '*.json' ! -name '*.tsv' | sort > "$list"
for g in bash zsh; do
    read -r _ files _ bytes _ secs _ errors < <("$build/bare_parse" --zsh-only --errors --grammar "$g" - < "$list")
    printf 'tree-sitter-%-4s %4d zsh files (%d KB), %4d with error regions (%d%%), %.2f s\n' \
        "$g" "$files" $((bytes / 1024)) "$errors" $((files ? 100 * errors / files : 0)) "$secs"
done

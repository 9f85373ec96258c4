#!/usr/bin/env bash
# docs_uptodate.sh - docs/rules/ID.md must be what scripts/gen-rule-docs makes
# of rules/*.json (run it and commit when this fails); the check itself must
# notice an edited rule, a missing page and a page without a rule.
# Usage: bash tests/docs_uptodate.sh path/to/golint-env
set -u
SRC=${GOLINT_ENV_SOURCE_DIR:-$(dirname "$0")/..}
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
GEN="python3 $SRC/scripts/gen-rule-docs"
fail=0
$GEN --check || { echo "FAIL: docs/rules is out of date: run scripts/gen-rule-docs"; fail=1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cp -r "$SRC/rules" "$TMP/rules"
$GEN --rules "$TMP/rules" --out "$TMP/docs" || { echo "FAIL: generating into a new folder"; fail=1; }
n_rules=$(ls "$TMP/rules"/*.json | wc -l)
n_pages=$(ls "$TMP/docs"/GE*.md | wc -l)
[ "$n_rules" = "$n_pages" ] || { echo "FAIL: $n_rules rules but $n_pages pages"; fail=1; }
$GEN --check --rules "$TMP/rules" --out "$TMP/docs" >/dev/null || { echo "FAIL: fresh pages reported stale"; fail=1; }
first=$(ls "$TMP/rules"/*.json | head -n1)
id=$(basename "$first" .json)
grep -q "^# $id " "$TMP/docs/$id.md" || { echo "FAIL: $id.md has no '# $id' title"; fail=1; }
sed -i 's/"summary": "/"summary": "edited /' "$first"
$GEN --check --rules "$TMP/rules" --out "$TMP/docs" >/dev/null && { echo "FAIL: an edited rule went unnoticed"; fail=1; }
$GEN --rules "$TMP/rules" --out "$TMP/docs"
grep -q "^Edited " "$TMP/docs/$id.md" || { echo "FAIL: regenerated $id.md lacks the edit"; fail=1; }
touch "$TMP/docs/GE9999.md"
$GEN --check --rules "$TMP/rules" --out "$TMP/docs" >/dev/null && { echo "FAIL: a page without a rule went unnoticed"; fail=1; }
rm "$TMP/docs/GE9999.md" "$TMP/docs/$id.md"
$GEN --check --rules "$TMP/rules" --out "$TMP/docs" >/dev/null && { echo "FAIL: a missing page went unnoticed"; fail=1; }
[ $fail = 0 ] && echo "docs: ok ($n_rules rule pages)"
exit $fail

#!/usr/bin/env bash
# checkstyle.sh - `check --format checkstyle`: ShellCheck's layout, well-formed
# XML (xmllint when installed), XML metacharacters and control characters
# escaped, files grouped, an empty document for a clean file.
# Usage: bash tests/checkstyle.sh path/to/golint-env
set -u
BIN=$1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0

printf 'export GOPATH="~/go"\nexport PATH="/opt/a&b<c>\x27d\x27"\n' > "$TMP/a&b.sh"
printf 'export PATH=/opt/go/bin\n' > "$TMP/second.sh"
"$BIN" check --kind shell --format checkstyle "$TMP/a&b.sh" "$TMP/second.sh" > "$TMP/out.xml"
rc=$?
[ "$rc" = 1 ] || { echo "FAIL: exit $rc, want 1"; fail=1; }

expect() { # fixed-string line that must be present
    grep -qF -- "$1" "$TMP/out.xml" || { echo "FAIL: missing: $1"; fail=1; }
}
expect '<?xml version="1.0" encoding="UTF-8"?>'
expect '<checkstyle version="4.5">'
expect "<file name=\"$TMP/a&amp;b.sh\">"
expect "<file name=\"$TMP/second.sh\">"
expect '<error line="1" column="16" severity="warning" message="&apos;~&apos; inside double quotes'
expect 'source="GE1001"/>'
expect '/opt/a&amp;b&lt;c&gt;&apos;d&apos;'
expect 'source="GE2001"/>'
[ "$(grep -c '<file ' "$TMP/out.xml")" = 2 ] || { echo "FAIL: want 2 <file> elements"; fail=1; }
[ "$(grep -c '</file>' "$TMP/out.xml")" = 2 ] || { echo "FAIL: want 2 </file>"; fail=1; }
tail -n1 "$TMP/out.xml" | grep -qx '</checkstyle>' || { echo "FAIL: document does not end with </checkstyle>"; fail=1; }
if command -v xmllint >/dev/null; then
    xmllint --noout "$TMP/out.xml" || { echo "FAIL: not well-formed XML"; fail=1; }
    n=$(xmllint --xpath 'count(//error)' "$TMP/out.xml")
    [ "$n" -ge 3 ] || { echo "FAIL: want at least 3 <error>, got $n"; fail=1; }
    v=$(xmllint --xpath 'string(//error[@source="GE2001"][1]/@message)' "$TMP/out.xml")
    case $v in *"/opt/a&b<c>'d'"*) ;; *) echo "FAIL: message did not round-trip: $v"; fail=1 ;; esac
fi

printf 'export PATH="$PATH:/opt/go/bin"\n' > "$TMP/ok.sh"
"$BIN" check --kind shell --format checkstyle "$TMP/ok.sh" > "$TMP/ok.xml" || { echo "FAIL: clean file exited non-zero"; fail=1; }
printf '<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.5">\n</checkstyle>\n' | diff -u - "$TMP/ok.xml" || fail=1

[ $fail = 0 ] && echo "checkstyle: ok"
[ $fail = 0 ] || { echo "--- output:"; cat "$TMP/out.xml"; }
exit $fail

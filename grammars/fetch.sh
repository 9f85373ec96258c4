#!/bin/sh
# Fetch the pinned tree-sitter-bash grammar from the npm registry into DEST,
# verify it against the integrity recorded in grammars/tree-sitter-bash.json,
# and unpack it. A verified tarball is cached in $GOLINT_ENV_CACHE (default
# ~/.cache/golint-env) so several build trees fetch it once.
#   usage: grammars/fetch.sh DEST
set -eu
dest=${1:?usage: fetch.sh DEST}
here=$(cd "$(dirname "$0")" && pwd)
meta="$here/tree-sitter-bash.json"
field() { sed -n "s/.*\"$1\": *\"\\([^\"]*\\)\".*/\\1/p" "$meta"; }
name=$(field name); version=$(field version); integrity=$(field integrity)
cache=${GOLINT_ENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/golint-env}
tgz="$cache/$name-$version.tgz"

verify() {
    got="sha512-$(openssl dgst -sha512 -binary "$1" | base64 | tr -d '\n')"
    [ "$got" = "$integrity" ]
}

mkdir -p "$cache" "$dest"
if [ ! -f "$tgz" ] || ! verify "$tgz"; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null)
    if ! verify "$tmp/$name-$version.tgz"; then
        echo "fetch.sh: $name@$version does not match the pinned integrity $integrity" >&2
        exit 1
    fi
    mv "$tmp/$name-$version.tgz" "$tgz"
fi
rm -rf "$dest/package"
tar -xzf "$tgz" -C "$dest"
for f in src/parser.c src/scanner.c src/tree_sitter/parser.h; do
    [ -f "$dest/package/$f" ] || { echo "fetch.sh: $f missing from $name@$version" >&2; exit 1; }
done
echo "$name@$version verified ($integrity)"

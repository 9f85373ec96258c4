#!/bin/sh
# Fetch a pinned npm package (the tree-sitter runtime or a grammar) into DEST,
# verify it against the integrity recorded in grammars/NAME.json, and unpack
# it into DEST/package. A verified tarball is cached in $GOLINT_ENV_CACHE
# (default ~/.cache/golint-env) so several build trees fetch it once.
#   usage: grammars/fetch.sh NAME DEST      (e.g. fetch.sh tree-sitter-zsh build/grammars/tree-sitter-zsh)
set -eu
pkg=${1:?usage: fetch.sh NAME DEST}
dest=${2:?usage: fetch.sh NAME DEST}
here=$(cd "$(dirname "$0")" && pwd)
meta="$here/$pkg.json"
[ -f "$meta" ] || { echo "fetch.sh: no pin $meta" >&2; exit 1; }
field() { sed -n "s/.*\"$1\": *\"\\([^\"]*\\)\".*/\\1/p" "$meta"; }
# the files the build needs: the "sources" array, one JSON string each
files() { sed -n '/"sources"/,/]/p' "$meta" | grep -o '"[^"]*"' | tr -d '"' | grep -v '^sources$'; }
name=$(field name); version=$(field version); integrity=$(field integrity)
[ "$name" = "$pkg" ] || { echo "fetch.sh: $meta pins $name, not $pkg" >&2; exit 1; }
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
for f in $(files); do
    [ -f "$dest/package/$f" ] || { echo "fetch.sh: $f missing from $name@$version" >&2; exit 1; }
done
printf '%s\n' "$integrity" > "$dest/integrity"
echo "$name@$version verified ($integrity)"

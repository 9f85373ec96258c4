#!/usr/bin/env bash
# precommit.sh - Debian's pre-commit runs this repository's hooks
# (.pre-commit-hooks.yaml, via `pre-commit try-repo`) on a temporary dotfiles
# repository: the hooks pick the right files (stow, rcm and chezmoi names;
# units, limits, sysctl), fail on a broken PATH and pass once it is fixed.
# Skipped (77) when pre-commit is not installed (scripts/install-deps --test).
# Usage: bash tests/precommit.sh path/to/golint-env
set -u
BIN=$(realpath "$1")
SRC=$(realpath "${GOLINT_ENV_SOURCE_DIR:-$(dirname "$0")/..}")
command -v pre-commit >/dev/null || { echo "SKIP: pre-commit not installed"; exit 77; }
command -v git >/dev/null || { echo "SKIP: git not installed"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/bin"
ln -s "$BIN" "$TMP/bin/golint-env"
export PATH="$TMP/bin:$PATH" PRE_COMMIT_HOME="$TMP/cache" NO_COLOR=1
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid
# try-repo clones the hooks repository: hand it one whose HEAD has the hooks file as it is now
HOOKS=$TMP/hooks
mkdir -p "$HOOKS"
cp "$SRC/.pre-commit-hooks.yaml" "$HOOKS/"
git -C "$HOOKS" init -q && git -C "$HOOKS" add . && git -C "$HOOKS" -c user.name=test -c user.email=test@example.invalid commit -qm hooks
fail=0

R=$TMP/dotfiles
mkdir -p "$R/stow/bash" "$R/rcm" "$R/chezmoi" "$R/etc/systemd/system/api.service.d" "$R/etc/security/limits.d" "$R/etc/sysctl.d"
git -C "$R" init -q
printf 'export PATH=/usr/local/go/bin\n' > "$R/stow/bash/.bashrc"          # GE2001
printf 'export GOPATH="~/go"\n' > "$R/rcm/zshrc"                          # GE1001, rcm name
printf 'export PATH=$HOME/go/bin\n' > "$R/chezmoi/private_dot_zshenv"      # GE2001, chezmoi name
printf 'export PATH={{ .path }}\n' > "$R/chezmoi/dot_bashrc.tmpl"          # a template: not checked
printf 'export PATH=/nowhere\n' > "$R/README.md"                          # not a startup file
printf '[Service]\nExecStart=/usr/local/bin/api\n' > "$R/etc/systemd/system/api.service"
printf '[Service]\nEnvironment=GOMAXPROCS=4\n' > "$R/etc/systemd/system/api.service.d/override.conf"
printf 'gopher soft nofile 65536\n' > "$R/etc/security/limits.d/go.conf"
printf 'net.core.somaxconn = 4096\n' > "$R/etc/sysctl.d/99-go.conf"
git -C "$R" add -A && git -C "$R" -c user.name=test -c user.email=test@example.invalid commit -qm dotfiles

cd "$R"
pre-commit try-repo "$HOOKS" golint-env-shell --all-files --verbose > "$TMP/shell.out" 2>&1
rc=$?
[ $rc = 1 ] || { echo "FAIL: shell hook on broken dotfiles exited $rc, want 1"; fail=1; }
for want in "stow/bash/.bashrc:1" "GE2001" "rcm/zshrc:1" "GE1001" "chezmoi/private_dot_zshenv:1"; do
    grep -q -- "$want" "$TMP/shell.out" || { echo "FAIL: shell hook output lacks '$want'"; fail=1; }
done
for never in README.md dot_bashrc.tmpl limits.d; do
    grep -q -- "$never" "$TMP/shell.out" && { echo "FAIL: shell hook ran on $never"; fail=1; }
done

pre-commit try-repo "$HOOKS" golint-env-system --all-files --verbose > "$TMP/system.out" 2>&1
rc=$?
[ $rc -le 1 ] || { echo "FAIL: system hook exited $rc"; fail=1; }
grep -q "golint-env (units and system configs)" "$TMP/system.out" || { echo "FAIL: system hook did not run"; fail=1; }
grep -qi "cannot tell what kind" "$TMP/system.out" && { echo "FAIL: system hook handed golint-env a file it cannot classify"; fail=1; }
grep -q "no files to check" "$TMP/system.out" && { echo "FAIL: system hook matched no files"; fail=1; }
grep -q -- "README.md\|\.bashrc" "$TMP/system.out" && { echo "FAIL: system hook ran on shell files"; fail=1; }

# fixed: both hooks pass, as on a commit
printf 'export PATH="$PATH:/usr/local/go/bin"\n' > "$R/stow/bash/.bashrc"
printf 'export GOPATH="$HOME/go"\n' > "$R/rcm/zshrc"
printf 'export PATH="$HOME/go/bin:$PATH"\n' > "$R/chezmoi/private_dot_zshenv"
git add -A
pre-commit try-repo "$HOOKS" golint-env-shell --all-files > "$TMP/fixed.out" 2>&1 ||
    { echo "FAIL: shell hook on fixed dotfiles:"; cat "$TMP/fixed.out"; fail=1; }

[ $fail = 0 ] || { echo "--- shell hook:"; cat "$TMP/shell.out"; echo "--- system hook:"; cat "$TMP/system.out"; }
[ "${VERBOSE:-}" ] && cat "$TMP/shell.out" "$TMP/system.out"
[ $fail = 0 ] && echo "pre-commit: ok"
exit $fail

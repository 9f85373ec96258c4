#!/usr/bin/env bash
# dotfiles.sh - `check --dotfiles DIR`: a dotfiles repository in stow, rcm,
# chezmoi or plain layout is simulated as a home. Each repo below has one
# known startup-chain problem that only the simulation sees (no per-file rule
# can); the finding must come at the repo's own path and line, with the exit
# status of the contract, in well-formed JSON; a clean repo reports nothing at
# warning or above; --diff/--fix edit the repo files (and nothing else); the
# temporary machine is removed.
# Usage: bash tests/dotfiles.sh path/to/golint-env
set -u
BIN=$(realpath "$1")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export XDG_STATE_HOME=$TMP/state TMPDIR=$TMP/tmp
mkdir -p "$TMPDIR"
fail=0
say() { echo "FAIL: $*"; fail=1; }
cd "$TMP" || exit 2

# run NAME ARGS...: stdout to NAME.out, stderr to NAME.err, status to $rc
run() { local n=$1; shift; "$BIN" check --user dev "$@" >"$n.out" 2>"$n.err"; rc=$?; }

# expect NAME RULE FILE LINE: the JSON of NAME holds RULE at FILE:LINE
expect() {
    python3 - "$1.out" "$2" "$3" "$4" <<'EOF' || { say "$1: no $2 at $3:$4"; cat "$1.out" "$1.err"; }
import json, sys
doc = json.load(open(sys.argv[1]))
rule, file, line = sys.argv[2], sys.argv[3], int(sys.argv[4])
assert any(f["rule"] == rule and f["file"] == file and f["line"] == line for f in doc["findings"])
EOF
}

# inside NAME PREFIX: every finding (and fix edit) is in the repo
inside() {
    python3 - "$1.out" "$2" <<'EOF' || { say "$1: a finding outside $2"; cat "$1.out"; }
import json, sys
doc = json.load(open(sys.argv[1]))
for f in doc["findings"]:
    assert f["file"].startswith(sys.argv[2]), f["file"]
    for e in (f.get("fix") or {}).get("edits", []):
        assert e["file"].startswith(sys.argv[2]), e["file"]
EOF
}

# ---- stow: packages bash/ and zsh/; ~/.bash_profile makes ~/.profile dead ----
mkdir -p stow/bash stow/zsh
printf '# login\n[ -f ~/.bashrc ] && . ~/.bashrc\n' > stow/bash/.bash_profile
printf 'export GOPATH="$HOME/go"\nexport PATH="$PATH:/usr/local/go/bin:$GOPATH/bin"\n' > stow/bash/.profile
printf 'case $- in *i*) ;; *) return;; esac\nalias ll="ls -l"\n' > stow/bash/.bashrc
printf 'bindkey -e\n' > stow/zsh/.zshrc
run stow --dotfiles stow --format json
[ $rc = 1 ] || say "stow: exit $rc, want 1"
expect stow GE2103 stow/bash/.profile 1
expect stow GE3101 stow/bash/.profile 2
inside stow stow/

# ---- rcm: bashrc is ~/.bashrc, tag-*/ dirs; GOPATH after the interactive guard ----
mkdir -p rcm/tag-go rcm/config/go
printf '[ -f ~/.bashrc ] && . ~/.bashrc\n' > rcm/profile
printf 'export PATH="$PATH:/usr/local/go/bin"\n' > rcm/bash_login
printf '# ~/.bashrc\n[ -z "$PS1" ] && return\nexport GOPATH="$HOME/go"\n' > rcm/tag-go/bashrc
printf 'GOPROXY=https://proxy.golang.org,direct\n' > rcm/config/go/env
run rcm --dotfiles rcm/ --format json
[ $rc = 1 ] || say "rcm: exit $rc, want 1"
expect rcm GE2104 rcm/tag-go/bashrc 3
inside rcm rcm/

# ---- chezmoi: dot_, private_, executable_, templates skipped; PATH overwritten ----
mkdir -p cz/dot_config/go
printf 'export PATH="$PATH:/usr/local/go/bin"\n. ~/.bashrc\n' > cz/private_dot_profile
printf '[ -f ~/.profile ] && . ~/.profile\n' > cz/executable_dot_bash_profile
printf 'export PATH=/usr/local/bin:/usr/bin:/bin\n' > cz/dot_bashrc
printf 'export GOPATH={{ .gopath }}\n' > cz/dot_zshrc.tmpl
printf 'echo install\n' > cz/run_once_install.sh
printf 'README.md\n' > cz/.chezmoiignore
printf 'GOFLAGS=-mod=mod\n' > cz/dot_config/go/env
run cz --dotfiles cz --format json
[ $rc = 1 ] || say "chezmoi: exit $rc, want 1"
expect cz GE2101 cz/dot_bashrc 1
inside cz cz/
grep -q 'cz/dot_zshrc.tmpl: chezmoi template, not simulated' cz.err || say "chezmoi: no note for the template"
grep -q 'run_once' cz.out && say "chezmoi: a run_ script was analysed"

# ---- plain: files already named .bashrc; the repo in the current directory ----
mkdir -p plain
printf 'export PATH="$PATH:/usr/local/go/bin"\n' > plain/.profile
printf '# no ~/.profile here\nexport EDITOR=vi\n' > plain/.bash_profile
printf '# interactive\n' > plain/.bashrc
(cd plain && "$BIN" check --user dev --dotfiles . --format json >../plain.out 2>../plain.err); rc=$?
[ $rc = 1 ] || say "plain: exit $rc, want 1"
expect plain GE2103 .profile 1
inside plain .

# text and gcc formats name the same place
run plaingcc --dotfiles plain --format gcc
grep -q '^plain/\.profile:1:1: warning: .*\[GE2103\]' plaingcc.out || { say "gcc format"; cat plaingcc.out; }

# ---- zsh is chosen for a repo with .zshenv and no .bashrc ----
mkdir -p zsh
printf 'export GOPATH="$HOME/go"\nexport PATH="$PATH:/usr/local/go/bin:$GOPATH/bin"\n' > zsh/.zshenv
printf 'export PATH=/usr/bin:/bin\n' > zsh/.zshrc
run zsh --dotfiles zsh --format json -v
[ $rc = 1 ] || say "zsh: exit $rc, want 1"
grep -q '(zsh)' zsh.err || say "zsh: shell not chosen as zsh: $(cat zsh.err)"
expect zsh GE2101 zsh/.zshrc 1

# ---- a clean repo: nothing at warning or above, exit 0 ----
mkdir -p clean/bash
printf '[ -f ~/.profile ] && . ~/.profile\n[ -f ~/.bashrc ] && . ~/.bashrc\n' > clean/bash/.bash_profile
printf 'export GOPATH="$HOME/go"\nexport PATH="$PATH:/usr/local/go/bin:$GOPATH/bin"\n' > clean/bash/.profile
printf '# interactive only\nalias ll="ls -l"\n' > clean/bash/.bashrc
run clean --dotfiles clean --format json
[ $rc = 0 ] || { say "clean: exit $rc, want 0"; cat clean.out; }
python3 -c 'import json,sys; d=json.load(open("clean.out")); bad=[f for f in d["findings"] if f["severity"] in ("error","warning")]; sys.exit(1 if bad else 0)' ||
    { say "clean: findings at warning or above"; cat clean.out; }

# ---- --root DIR: that machine's system files around the repo's home ----
FIX=$HERE/../fixtures/roots/debian
if [ -d "$FIX/etc" ]; then
    list() { (cd "$FIX" && find . | sort | xargs -d '\n' stat -c '%n %s %Y'); }
    before=$(list)
    run rooted --dotfiles stow --root "$FIX" --home /home/dev --format json
    [ $rc = 1 ] || say "--root: exit $rc, want 1"
    expect rooted GE2102 stow/bash/.profile 2 # /usr/local/go/bin already from /etc/profile.d/golang.sh
    inside rooted stow/
    [ "$before" = "$(list)" ] || say "--root: the fixture machine was changed"
fi

# ---- usage and I/O errors: 2 with one line naming the problem ----
run nodir --dotfiles "$TMP/absent"
[ $rc = 2 ] || say "missing DIR: exit $rc, want 2"
grep -q 'absent' nodir.err || say "missing DIR: message does not name it"
run operand --dotfiles clean clean/bash/.bashrc
[ $rc = 2 ] || say "operands with --dotfiles: exit $rc, want 2"
run badctx --dotfiles clean --context nowhere
[ $rc = 2 ] || say "bad --context: exit $rc, want 2"
run failon --dotfiles stow --fail-on error
[ $rc = 0 ] || say "--fail-on error on warnings only: exit $rc, want 0"

# ---- --diff shows edits of repo files; --fix writes them and nothing else ----
cp -r cz cz2
before=$(cd cz2 && find . -type f | sort | xargs sha256sum)
run czdiff --dotfiles cz2 --diff --unsafe-fixes
grep -q '^+++ b/cz2/dot_bashrc' czdiff.out || { say "--diff: no edit of cz2/dot_bashrc"; cat czdiff.out czdiff.err; }
[ "$before" = "$(cd cz2 && find . -type f | sort | xargs sha256sum)" ] || say "--diff wrote files"
run czfix --dotfiles cz2 --fix --unsafe-fixes
grep -q 'export PATH=.*\$PATH' cz2/dot_bashrc || { say "--fix did not fix cz2/dot_bashrc"; cat cz2/dot_bashrc czfix.err; }
grep -q 'GE2101' czfix.out && say "--fix: GE2101 still reported after the fix"
cmp -s cz/private_dot_profile cz2/private_dot_profile || say "--fix changed a file it had no fix for"

# ---- nothing left behind in TMPDIR ----
[ -z "$(ls -A "$TMPDIR")" ] || say "temporary machine left behind: $(ls -A "$TMPDIR")"

[ $fail = 0 ] && echo "dotfiles: ok"
exit $fail

#!/usr/bin/env bash
# snapshot.sh - `golint-env snapshot` against the real shells: for bash and
# zsh, in a terminal tab (interactive) and a login shell, the simulated
# environment of a home with Go settings must equal what the shell itself
# exports (`env -0`), except what the shell or terminal sets (PWD, SHLVL, _,
# TERM) and what the simulator marks uncertain. Both shells read this
# machine's /etc files, as the simulation (--root /) does.
# Usage: bash tests/snapshot.sh path/to/golint-env
set -u
BIN=$1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
command -v node >/dev/null || { echo "SKIP: node not installed"; exit 77; }
fail=0
H=$TMP/home
mkdir -p "$H"
cat > "$H/.bash_profile" <<'EOF2'
export GOPATH="$HOME/go"
export PATH="$PATH:/usr/local/go/bin:$GOPATH/bin"
[ -f ~/.bashrc ] && . ~/.bashrc
EOF2
cat > "$H/.bashrc" <<'EOF2'
export EDITOR=vim
case $- in *i*) export GOFLAGS=-mod=mod ;; esac
alias ll='ls -l'
EOF2
cat > "$H/.zshenv" <<'EOF2'
export GOBIN="$HOME/bin"
path=($GOBIN $path)
EOF2
printf 'export GOPROXY=https://proxy.golang.org,direct\n' > "$H/.zprofile"
printf 'export GOTOOLCHAIN=local\n' > "$H/.zshrc"

me=$(id -un)
pw_shell=$(getent passwd "$me" | cut -d: -f7)
# the PATH login(1) hands over (login.defs: ENV_SUPATH for root, ENV_PATH for others)
if [ "$(id -u)" = 0 ]; then
    P=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
else
    P=/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games
fi

shells="bash"
command -v zsh >/dev/null && shells="bash zsh"
cases=0
for sh in $shells; do
    for ctx in terminal login; do
        case $ctx in login) flags=-li ;; *) flags=-i ;; esac
        (cd "$TMP" && env -i HOME="$H" USER="$me" LOGNAME="$me" SHELL="$pw_shell" PATH="$P" TERM=dumb \
            "$sh" $flags -c 'env -0' > "$TMP/real.env0" 2>/dev/null </dev/null)
        "$BIN" snapshot --context $ctx --home "$H" --user "$me" --shell "$sh" > "$TMP/sim.env0" ||
            { echo "FAIL: snapshot $sh $ctx exited $?"; fail=1; continue; }
        "$BIN" snapshot --context $ctx --home "$H" --user "$me" --shell "$sh" --format json > "$TMP/sim.json"
        "$BIN" diff-env --format json "$TMP/real.env0" "$TMP/sim.env0" > "$TMP/diff.json"
        node -e '
const fs = require("fs");
const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
const s = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const allowed = new Set(["PWD", "OLDPWD", "SHLVL", "_", "TERM", "COLUMNS", "LINES", ...s.uncertain]);
const names = [...d.added, ...d.removed, ...d.changed].map(v => v.name);
const off = names.filter(n => !allowed.has(n));
if (off.length) { console.log(`FAIL: ${process.argv[3]}: simulation differs from the real shell in ${off.join(", ")}`); process.exit(1); }
if (Object.keys(s.variables).length < 5) { console.log(`FAIL: ${process.argv[3]}: suspiciously few variables`); process.exit(1); }
' "$TMP/diff.json" "$TMP/sim.json" "$sh $ctx" || { fail=1; "$BIN" diff-env "$TMP/real.env0" "$TMP/sim.env0"; }
        # the Go settings of this context really are in both
        case $sh-$ctx in
            bash-login) want="GOPATH=$H/go GOFLAGS=-mod=mod" ;;
            bash-terminal) want="EDITOR=vim GOFLAGS=-mod=mod" ;;
            zsh-login) want="GOBIN=$H/bin GOPROXY=https://proxy.golang.org,direct GOTOOLCHAIN=local" ;;
            zsh-terminal) want="GOBIN=$H/bin GOTOOLCHAIN=local" ;;
        esac
        for w in $want; do
            tr '\0' '\n' < "$TMP/sim.env0" | grep -qxF "$w" || { echo "FAIL: $sh $ctx: snapshot lacks $w"; fail=1; }
            tr '\0' '\n' < "$TMP/real.env0" | grep -qxF "$w" || { echo "FAIL: $sh $ctx: the real shell lacks $w (test setup)"; fail=1; }
        done
        cases=$((cases + 1))
    done
done

# format: NUL-terminated NAME=VALUE records in name order
[ "$(tail -c1 "$TMP/sim.env0" | od -An -c | tr -d ' ')" = '\0' ] || { echo "FAIL: last record not NUL-terminated"; fail=1; }
tr '\0' '\n' < "$TMP/sim.env0" | cut -d= -f1 | LC_ALL=C sort -c || { echo "FAIL: not sorted by name"; fail=1; }
"$BIN" snapshot --context nowhere >/dev/null 2>"$TMP/err"
[ $? = 2 ] && grep -q "terminal" "$TMP/err" || { echo "FAIL: an unknown context must exit 2 and list the contexts"; fail=1; }
[ $fail = 0 ] && echo "snapshot: ok ($cases shell/context pairs match the real shells)"
exit $fail

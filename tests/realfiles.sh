#!/bin/bash
# `check` over real shell files Debian ships (written by others, not for us):
# bash-completion's completions, /etc/skel, /etc/profile, /etc/bash.bashrc,
# /etc/zsh/*, and zsh-common's functions. Fails on a crash, a sanitizer
# report, a timeout or exit 2; lists every warning-or-above for a person to
# judge, with counts per rule. Skipped (77) when none of the files exist.
set -u
bin=$(realpath "${1:?usage: realfiles.sh GOLINT_ENV_BINARY}")
export NO_COLOR=1
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

bash_files=() zsh_files=() named=()
for f in /usr/share/bash-completion/completions/* /usr/share/bash-completion/bash_completion; do
    [ -f "$f" ] && [ ! -L "$f" ] && bash_files+=("$f")
done
for f in /etc/skel/.bashrc /etc/skel/.profile /etc/profile /etc/bash.bashrc /etc/profile.d/*.sh \
         /etc/zsh/zshenv /etc/zsh/zprofile /etc/zsh/zshrc /etc/zsh/zlogin /etc/zsh/zlogout \
         /etc/zsh/newuser.zshrc.recommended; do
    [ -f "$f" ] && named+=("$f")
done
if [ -d /usr/share/zsh/functions ]; then
    mapfile -t zsh_files < <(find /usr/share/zsh/functions -type f ! -name '*.zwc' | sort)
fi
total=$((${#bash_files[@]} + ${#zsh_files[@]} + ${#named[@]}))
if [ "$total" = 0 ]; then
    echo "no Debian shell files here (install bash-completion, zsh-common): skipped"
    exit 77
fi
echo "realfiles: ${#bash_files[@]} bash completions, ${#zsh_files[@]} zsh functions, ${#named[@]} startup files"

fail=0
run() { # NAME ARGS... ; output in $t/NAME.out
    local name=$1 rc
    shift
    [ $# -gt 0 ] || return 0
    timeout 300 "$bin" check --format gcc --fail-on error "$@" > "$t/$name.out" 2> "$t/$name.err"
    rc=$?
    if [ $rc = 124 ]; then
        echo "FAIL $name: timed out after 300 s"; fail=1
    elif [ $rc -ge 2 ]; then
        echo "FAIL $name: exit $rc"; head -40 "$t/$name.err"; fail=1
    fi
    if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer' "$t/$name.err"; then
        echo "FAIL $name: sanitizer report"; grep -E -A20 'Sanitizer|runtime error' "$t/$name.err" | head -60
        fail=1
    fi
}
run named "${named[@]}"                       # kind and dialect detected as for users
[ ${#bash_files[@]} -gt 0 ] && run bash --kind shell --shell bash "${bash_files[@]}"
[ ${#zsh_files[@]} -gt 0 ] && run zsh --kind shell --shell zsh "${zsh_files[@]}"

cat "$t"/*.out | grep -E ': (error|warning): ' > "$t/warn" || true
echo "--- every warning or error (judge each: true positive or noise?)"
cat "$t/warn"
echo "--- per rule and severity"
grep -oE ': (error|warning): .*\[GE[0-9]+\]$' "$t/warn" | sed -E 's/^: ([a-z]+): .*\[(GE[0-9]+)\]$/\2 \1/' \
    | sort | uniq -c | sort -rn
echo "--- info findings per rule (parse regions tree-sitter-bash cannot read, ...)"
cat "$t"/*.out | grep -oE ': info: .*\[GE[0-9]+\]$' | grep -oE 'GE[0-9]+' | sort | uniq -c
echo "realfiles: $total files, $(wc -l < "$t/warn") warnings or errors"
exit $fail

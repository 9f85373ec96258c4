#!/bin/bash
# --root confines every read and write: an image whose links point out of it
# (absolute targets, relative ones climbing past its top, a home directory
# that is a link, /etc/passwd linked to a host file, `. /../../x` in an rc
# file) makes golint-env read and write only files of the image. Also: a fix
# reached through a link in a user's home is written only if that file has
# the home's owner, and a file another process holds an flock on is not
# written. Host files outside the image are canaries that must stay as they
# are (content and mtime) and whose secret must never be printed.
set -u
bin=$(realpath "${1:?usage: hostile_root.sh GOLINT_ENV_BINARY}")
export NO_COLOR=1
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

host="$t/host"           # stands for the host: outside every image
mkdir -p "$host/dir"
secret='TOPSECRET-3f9a'
printf 'export GOPATH="~/go"\n# %s\n' "$secret" > "$host/file"
printf 'GOPATH=%s\n' "$secret" > "$host/envsecret"
printf 'root:x:0:0:%s:/root:/bin/bash\nu:x:1000:1000::/home/u:/bin/bash\n' "$secret" > "$host/passwd"
chmod 600 "$host/file" "$host/envsecret"
snapshot() { (cd "$host" && find . -printf '%p %s %T@ %m\n' | sort; cat file); }
before=$(snapshot)

image() { # NAME: a minimal machine with user u
    local r="$t/$1"
    mkdir -p "$r/etc" "$r/home/u" "$r/usr/bin" "$r/tmp"
    printf 'root:x:0:0:root:/root:/bin/bash\nu:x:1000:1000::/home/u:/bin/bash\n' > "$r/etc/passwd"
    printf 'export PATH=/usr/local/bin:/usr/bin:/bin\n' > "$r/etc/profile"
    echo "$r"
}
run() { # NAME ARGS... (output in $t/NAME.out, status in $rc)
    local name=$1
    shift
    (cd "$t" && timeout 60 "$bin" "$@" >"$t/$name.out" 2>&1)
    rc=$?
}
no_secret() { # NAME
    if grep -q "$secret" "$t/$1.out"; then bad "$1: printed a host file's content"; sed 's/^/  /' "$t/$1.out" | head -20; else ok; fi
}
home=(--user u --home /home/u --offline)

# 1. ~/.bashrc -> an absolute host path: read as the image's own path (absent there)
r=$(image abs)
ln -s "$host/file" "$r/home/u/.bashrc"
run abs-doctor doctor --root "$r" "${home[@]}" --fix --unsafe-fixes
no_secret abs-doctor
run abs-env env --root "$r" "${home[@]}" --context terminal --format json
no_secret abs-env
# ... and the same path inside the image is the one read and fixed
mkdir -p "$r$host"
printf 'export GOPATH="~/go"\n' > "$r$host/file"
run abs-inside doctor --root "$r" "${home[@]}" --fix
grep -q 'GOPATH="~/go"' "$r$host/file" && bad "abs-inside: the image's own link target was not fixed" || ok

# 2. a relative link climbing past the image's top, and `. /../../..` in an rc file
r=$(image rel)
depth=$(echo "$r" | tr -cd / | wc -c)
up=$(printf '../%.0s' $(seq "$depth"))
ln -s "../../${up}${host#/}/file" "$r/home/u/.bashrc"
printf '. /../../../../../../../../..%s/envsecret\nsource %s%s/envsecret\n' "$host" "$up" "${host#/}" > "$r/home/u/.profile"
run rel-env env --root "$r" "${home[@]}" --format json
no_secret rel-env
run rel-doctor doctor --root "$r" "${home[@]}" --fix --unsafe-fixes
no_secret rel-doctor

# 3. the home directory itself is a link to a host directory: nothing created there
# (a Go the zsh chain finds only in .zshrc: the unsafe fixes create ~/.zshenv and ~/.profile)
printf 'export PATH=$PATH:/usr/local/go/bin\n' > "$host/dir/.zshrc"
before=$(snapshot)
r=$(image homelink)
mkdir -p "$r/usr/local/go/bin"
printf '#!/bin/sh\n' > "$r/usr/local/go/bin/go"
chmod +x "$r/usr/local/go/bin/go"
echo go1.22.5 > "$r/usr/local/go/VERSION"
rmdir "$r/home/u"
ln -s "$host/dir" "$r/home/u"
run homelink doctor --root "$r" "${home[@]}" --fix --unsafe-fixes --shell zsh
[ "$(ls -A "$host/dir")" = .zshrc ] && ok || bad "homelink: files created in the host directory: $(ls -A "$host/dir")"
# the image's own directory at that path is the home, and is where they go
mkdir -p "$r$host/dir"
cp "$host/dir/.zshrc" "$r$host/dir/"
run homelink-inside doctor --root "$r" "${home[@]}" --fix --unsafe-fixes --shell zsh
[ -f "$r$host/dir/.zshenv" ] && ok || { bad "homelink-inside: no fix created a file in the image's home"; cat "$t/homelink-inside.out"; }

# 4. /etc/passwd linked to a host file
r=$(image passwd)
rm "$r/etc/passwd"
ln -s "$host/passwd" "$r/etc/passwd"
run passwd-env env --root "$r" --format json
no_secret passwd-env
run passwd-doctor doctor --root "$r" --offline
no_secret passwd-doctor

# 5. sarif and text excerpts of a finding in a linked file come from the image
r=$(image excerpt)
ln -s "$host/file" "$r/home/u/.profile"
mkdir -p "$r$host"
printf 'export GOPATH="~/go"\n' > "$r$host/file"
for f in sarif text json gcc; do
    run "excerpt-$f" doctor --root "$r" "${home[@]}" --format "$f"
    no_secret "excerpt-$f"
done

# 6. a home file linked to a file of another owner (root's) is not fixed
r=$(image owner)
chown 1000:1000 "$r/home/u"
printf 'export GOPATH="~/go"\n' > "$r/etc/rootfile"
ln -s /etc/rootfile "$r/home/u/.bashrc"
run owner doctor --root "$r" "${home[@]}" --fix
if grep -q 'GOPATH="~/go"' "$r/etc/rootfile" && grep -q 'owned by uid 0, not by the owner of /home/u' "$t/owner.out"; then ok; else
    bad "owner: a root-owned file reached through the user's link was written (or no reason given)"; cat "$t/owner.out"; fi
# the same link to a file the user owns is written through
chown 1000:1000 "$r/etc/rootfile"
run owner-ok doctor --root "$r" "${home[@]}" --fix
grep -q 'GOPATH="~/go"' "$r/etc/rootfile" && { bad "owner-ok: the user's own link target was not fixed"; cat "$t/owner-ok.out"; } || ok

# 7. a file under an flock held by another process is not written
if command -v flock >/dev/null; then
    r=$(image locked)
    printf 'export GOPATH="~/go"\n' > "$r/home/u/.bashrc"
    (exec 9<"$r/home/u/.bashrc"; flock 9; exec sleep 30) &
    holder=$! # the sleep itself holds the lock: killing it releases it
    for _ in $(seq 50); do flock -n "$r/home/u/.bashrc" true 2>/dev/null || break; sleep 0.1; done
    run locked doctor --root "$r" "${home[@]}" --fix
    kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
    if grep -q 'GOPATH="~/go"' "$r/home/u/.bashrc" && grep -q 'locked by another process' "$t/locked.out" && [ "$rc" = 2 ]; then ok; else
        bad "locked: a file under another process's flock was written (exit $rc)"; cat "$t/locked.out"; fi
    run unlocked doctor --root "$r" "${home[@]}" --fix
    grep -q 'GOPATH="~/go"' "$r/home/u/.bashrc" && bad "unlocked: not fixed once the lock was released" || ok
else
    echo "note: flock(1) not installed; the lock case is not run"
fi

# the host side is untouched
[ "$before" = "$(snapshot)" ] && ok || { bad "a host file outside the images changed"; diff <(echo "$before") <(snapshot); }

echo "hostile_root: $pass passed, $fail failed"
[ "$fail" = 0 ]

#!/bin/bash
# `check` over real system-config files Debian ships (written by others):
# every unit and drop-in of systemd and other packages under /lib and
# /usr/lib/systemd/{system,user}, system.conf, sysctl.d from procps and
# systemd, limits.conf from libpam-modules, cgroup-tools' examples. Fails on a
# crash, a sanitizer report, a timeout, exit 2, or any warning-or-above from
# the GE4xxx/GE5xxx rules (each one was judged a false positive when this
# test was written: a real one needs an entry below with the reason).
# Skipped (77) when none of the files exist.
set -u
bin=$(realpath "${1:?usage: realfiles_sysconf.sh GOLINT_ENV_BINARY}")
export NO_COLOR=1
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

files=()
add() { for f in "$@"; do [ -f "$f" ] && [ -r "$f" ] && files+=("$f"); done; }
for d in /lib/systemd/system /usr/lib/systemd/system /usr/lib/systemd/user /etc/systemd/system; do
    [ -d "$d" ] || continue
    while IFS= read -r f; do add "$f"; done < <(find "$d" -maxdepth 2 -type f \( -name '*.service' \
        -o -name '*.socket' -o -name '*.timer' -o -name '*.mount' -o -name '*.path' -o -name '*.target' \
        -o -name '*.slice' -o -name '*.swap' -o -name '*.automount' -o -path '*.d/*.conf' \) | sort)
done
add /etc/systemd/system.conf /etc/systemd/user.conf /etc/systemd/system.conf.d/*.conf \
    /usr/lib/sysctl.d/*.conf /lib/sysctl.d/*.conf /etc/sysctl.d/*.conf /etc/sysctl.conf \
    /etc/security/limits.conf /etc/security/limits.d/*.conf \
    /usr/share/doc/cgroup-tools/examples/cgconfig.conf /usr/share/doc/cgroup-tools/examples/cgrules.conf \
    /etc/cgconfig.conf /etc/cgrules.conf
# the same file under /lib and /usr/lib (usrmerge) once
mapfile -t files < <(for f in "${files[@]}"; do printf '%s\t%s\n' "$(realpath "$f")" "$f"; done |
                     sort -u -t $'\t' -k1,1 | cut -f2 | sort)
if [ "${#files[@]}" = 0 ]; then
    echo "no systemd, sysctl, limits or cgroup files here (install systemd, procps, libpam-modules, cgroup-tools): skipped"
    exit 77
fi
units=$(printf '%s\n' "${files[@]}" | grep -c '/systemd/')
echo "realfiles_sysconf: ${#files[@]} files ($units systemd units, drop-ins and confs)"

timeout 300 "$bin" check --format gcc --fail-on none "${files[@]}" > "$t/out" 2> "$t/err"
rc=$?
fail=0
if [ $rc = 124 ]; then
    echo "FAIL: timed out after 300 s"; fail=1
elif [ $rc -ge 2 ]; then
    echo "FAIL: exit $rc"; cat "$t/err"; fail=1
fi
if grep -qE 'runtime error|AddressSanitizer|LeakSanitizer' "$t/err" "$t/out"; then
    echo "FAIL: sanitizer report"; grep -E -A5 'runtime error|Sanitizer' "$t/err" | head -40; fail=1
fi
# Known, agreed findings: FILE-SUFFIX:RULE, with why (none so far).
allowed='^$'
grep -E ': (error|warning): .*\[GE[45][0-9]{3}\]$' "$t/out" | grep -Ev "$allowed" > "$t/bad" || true
if [ -s "$t/bad" ]; then
    echo "FAIL: warnings or errors on real files (false positives, or real ones to allow above):"
    cat "$t/bad"
    fail=1
fi
echo "findings per rule (info included):"
grep -oE '\[GE[45][0-9]{3}\]$' "$t/out" | sort | uniq -c | sort -rn
exit $fail

#!/bin/bash
# Differential test of the startup-chain simulator against the real shells.
# For each fixture machine, build a chroot (the fixture copied, the host's
# /usr/bin, /usr/lib, /usr/share bind-mounted read-only), run the real shell
# in each context (bash -i -c, bash -l -i -c, bash -c as if run by sshd,
# zsh -i -c, zsh -l -i -c, zsh -c, sh -l -c for the desktop) from the same
# starting environment the simulator assumes, and compare the exported PATH,
# GOPATH and GOROOT with `golint-env env --format json`.
#
# Deliberately approximate (not compared): values the simulator marks
# uncertain (opaque $(...), eval, undecidable tests) are reported as
# "approximate" and skipped.
#
# Needs root (chroot, bind mounts), bash, zsh, dash and python3; otherwise
# skips with exit 77.
set -u
bin=$(realpath "${1:?usage: sim_differential.sh GOLINT_ENV_BINARY}")
src=$(cd "$(dirname "$0")/.." && pwd)
export LC_ALL=C NO_COLOR=1

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root to build chroots (run in CI as root)"
for s in bash zsh dash python3 chroot mount; do
    command -v "$s" >/dev/null 2>&1 || skip "$s is not installed"
done

work=$(mktemp -d)
mounts=()
cleanup() {
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount "${mounts[$i]}" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT

bind_ro() { # host_dir chroot_dir
    mkdir -p "$2"
    mount --bind "$1" "$2" || return 1
    mounts+=("$2")
    mount -o remount,ro,bind "$2" 2>/dev/null || true
}

fail=0 compared=0 approx=0
for name in debian rhel zsh-zdotdir ohmyzsh; do
    fix="$src/fixtures/roots/$name"
    [ -d "$fix" ] || continue
    root="$work/$name"
    cp -a "$fix" "$root"
    rm -rf "$root/bin" "$root/lib" "$root/lib64" "$root/usr/bin" "$root/usr/lib" "$root/usr/share"
    ln -s usr/bin "$root/bin"
    ln -s usr/lib "$root/lib"
    [ -d /usr/lib64 ] && { ln -s usr/lib64 "$root/lib64"; bind_ro /usr/lib64 "$root/usr/lib64" || skip "bind mounts are not allowed here"; }
    bind_ro /usr/bin "$root/usr/bin" || skip "bind mounts are not allowed here"
    bind_ro /usr/lib "$root/usr/lib" || skip "bind mounts are not allowed here"
    bind_ro /usr/share "$root/usr/share" || skip "bind mounts are not allowed here"
    [ -d /usr/sbin ] && ! [ -L /usr/sbin ] && bind_ro /usr/sbin "$root/usr/sbin"
    mkdir -p "$root/dev" "$root/tmp"
    touch "$root/dev/null"
    mount --bind /dev/null "$root/dev/null" && mounts+=("$root/dev/null")

    "$bin" env --root "$fix" --format json --fail-on none > "$work/$name.json" 2>"$work/$name.err" || {
        echo "FAIL $name: golint-env env failed: $(cat "$work/$name.err")"; fail=$((fail + 1)); continue; }

    python3 - "$work/$name.json" "$root" "$name" <<'EOF' || fail=$((fail + 1))
import json, subprocess, sys
doc = json.load(open(sys.argv[1])); root = sys.argv[2]; name = sys.argv[3]
show = 'for v in PATH GOPATH GOROOT; do eval "x=\\${$v-@unset@}"; if env | grep -q "^$v="; then printf "%s=%s\\n" "$v" "$x"; else printf "%s=@unset@\\n" "$v"; fi; done'
bad = 0
for ctx in doc['contexts']:
    cname, shell = ctx['name'], ctx['shell']
    if cname == 'cron':
        continue
    # the starting environment: the values of the non-shell layers
    base = {}
    for var, v in ctx['variables'].items():
        for op in v['history']:
            if op['op'] != 'source' or (op['file'] or '').endswith('/go/env'):
                break
            base[var] = op['value']
    base.setdefault('TERM', 'dumb')
    if shell == 'zsh':
        argv = {'terminal': ['zsh', '-i', '-c'], 'login': ['zsh', '-l', '-i', '-c'],
                'ssh-command': ['zsh', '-c'], 'script': ['zsh', '-c']}.get(cname)
    elif shell == 'bash':
        argv = {'terminal': ['bash', '-i', '-c'], 'login': ['bash', '-l', '-i', '-c'],
                'ssh-command': ['bash', '-c'], 'script': ['bash', '-c']}.get(cname)
        if cname == 'ssh-command':
            base['SSH_CLIENT'] = '192.0.2.1 50000 22'  # bash reads ~/.bashrc when run by sshd
    else:
        argv = {'desktop': ['sh', '-l', '-c']}.get(cname)
    if cname == 'desktop':
        argv = ['sh', '-l', '-c']
    if not argv:
        continue
    home = base.get('HOME', '/')
    uid = gid = '0'
    for line in open(root + '/etc/passwd'):
        f = line.rstrip('\n').split(':')
        if len(f) >= 7 and f[5] == home:
            uid, gid = f[2], f[3]
    env = ['env', '-i'] + ['%s=%s' % kv for kv in sorted(base.items())]
    cmd = ['chroot', '--userspec=%s:%s' % (uid, gid), root] + env + ['sh', '-c', 'cd "$HOME" 2>/dev/null; exec "$@"', 'sh'] + argv + [show]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    real = dict(line.split('=', 1) for line in p.stdout.splitlines() if '=' in line)
    for var in ('PATH', 'GOPATH', 'GOROOT'):
        v = ctx['variables'].get(var)
        sim = v['value'] if v and v['exported'] and v['value'] is not None else '@unset@'
        if v and not v['certain']:
            print('approximate %s %s %s: simulator unsure (%s), shell says %s' % (name, cname, var, sim, real.get(var)))
            continue
        if real.get(var) != sim:
            bad += 1
            print('FAIL %s %s %s:\n  simulator: %s\n  %s:  %s' % (name, cname, var, sim, ' '.join(argv), real.get(var)))
            if p.stderr.strip():
                print('  shell stderr: ' + p.stderr.strip().replace('\n', '\n    ')[:600])
        else:
            print('ok %s %s %s' % (name, cname, var))
sys.exit(1 if bad else 0)
EOF
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount "${mounts[$i]}" 2>/dev/null; done
    mounts=()
done
echo "sim_differential: $fail fixture(s) with differences"
[ "$fail" = 0 ]

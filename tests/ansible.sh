#!/usr/bin/env bash
# ansible.sh - contrib/ansible/golint-env-fleet.yml against two inventory
# hosts that are this machine (connection local): each runs golint-env, one
# report is gathered, findings and a failing host are told apart, and
# golint_env_strict fails the run. Skipped (77) without ansible-playbook.
# Usage: bash tests/ansible.sh path/to/golint-env
set -u
BIN=$(realpath "$1")
SRC=$(realpath "${GOLINT_ENV_SOURCE_DIR:-$(dirname "$0")/..}")
command -v ansible-playbook >/dev/null || { echo "SKIP: ansible-playbook not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export ANSIBLE_LOCAL_TEMP=$TMP/ansible-local ANSIBLE_REMOTE_TEMP=$TMP/ansible-remote \
       ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_HOST_KEY_CHECKING=0 \
       ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
# an empty config: ignore any ansible.cfg of the machine or the working directory
touch "$TMP/ansible.cfg"; export ANSIBLE_CONFIG=$TMP/ansible.cfg
fail=0

# two "hosts": a machine with a broken PATH (fixture root) and a clean one
ROOT=$SRC/fixtures/roots/demo
if "$BIN" doctor --root "$ROOT" --offline --format json >/dev/null 2>&1 ||
   [ $? = 1 ]; then
    cmd=doctor
    bad_args="['--root', '$ROOT', '--offline']"
    mkdir -p "$TMP/clean/etc" "$TMP/clean/home/u"
    printf 'root:x:0:0::/root:/bin/bash\nu:x:1000:1000::/home/u:/bin/bash\n' > "$TMP/clean/etc/passwd"
    printf 'export PATH="$PATH:/usr/local/go/bin"\n' > "$TMP/clean/home/u/.profile"
    good_args="['--root', '$TMP/clean', '--home', '/home/u', '--offline', '--fail-on', 'error']"
else
    # doctor not in this build yet: the same gathering, over `check`
    cmd=check
    printf 'export PATH=/usr/local/go/bin\n' > "$TMP/bad.bashrc"
    printf 'export PATH="$PATH:/usr/local/go/bin"\n' > "$TMP/good.bashrc"
    bad_args="['--kind', 'shell', '$TMP/bad.bashrc']"
    good_args="['--kind', 'shell', '$TMP/good.bashrc']"
fi
cat > "$TMP/inventory.yml" <<EOF2
all:
  vars:
    ansible_connection: local
    golint_env_bin: $BIN
    golint_env_command: $cmd
  hosts:
    broken.example:
      golint_env_args: $bad_args
    clean.example:
      golint_env_args: $good_args
    missing.example:
      golint_env_bin: $TMP/no-such-golint-env
EOF2

ansible-playbook -i "$TMP/inventory.yml" "$SRC/contrib/ansible/golint-env-fleet.yml" \
    -e "golint_env_report=$TMP/fleet.json" > "$TMP/run.log" 2>&1
rc=$?
[ $rc = 0 ] || { echo "FAIL: ansible-playbook exited $rc"; cat "$TMP/run.log"; fail=1; }
python3 - "$TMP/fleet.json" <<'EOF2' || fail=1
import json, sys
r = json.load(open(sys.argv[1]))
bad = []
def want(c, m):
    if not c: bad.append(m)
want(r["version"] == 1, "version")
h = r["hosts"]
want(sorted(h) == ["broken.example", "clean.example", "missing.example"], f"hosts {sorted(h)}")
want(h["broken.example"]["rc"] == 1, f"broken rc {h['broken.example'].get('rc')}")
want(any(f["rule"] == "GE2001" for f in h["broken.example"].get("findings", [])), "broken host: no GE2001")
want(h["clean.example"]["rc"] == 0, f"clean rc {h['clean.example'].get('rc')}: {h['clean.example']}")
want(h["missing.example"]["rc"] == 2 and h["missing.example"].get("error"), f"missing host: {h['missing.example']}")
s = r["summary"]
want(int(s["hosts"]) == 3 and int(s["clean"]) == 1 and int(s["with_findings"]) == 1 and int(s["failed"]) == 1, f"summary {s}")
want(int(s["error"]) >= 1, f"summary errors {s}")
for m in bad: print("FAIL: fleet report:", m)
sys.exit(1 if bad else 0)
EOF2
# strict: the same run fails
ansible-playbook -i "$TMP/inventory.yml" "$SRC/contrib/ansible/golint-env-fleet.yml" \
    -e "golint_env_report=$TMP/fleet2.json" -e golint_env_strict=true > "$TMP/run2.log" 2>&1 &&
    { echo "FAIL: golint_env_strict=true did not fail the run"; fail=1; }
[ -f "$TMP/fleet2.json" ] || { echo "FAIL: strict run wrote no report"; fail=1; }
[ $fail = 0 ] && echo "ansible: ok (golint-env $cmd on 3 local hosts)"
exit $fail

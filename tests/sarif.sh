#!/usr/bin/env bash
# sarif.sh - `check --format sarif` inside a git repository: validated against
# the SARIF 2.1.0 JSON schema (ajv + the schema Microsoft ships in
# @microsoft/jest-sarif, fetched from npm once into ~/.cache/golint-env), and
# always against a structural check of what GitHub code scanning reads:
# relative URIs, regions, fingerprints that survive an inserted line, fixes.
# Usage: bash tests/sarif.sh path/to/golint-env
set -u
BIN=$(realpath "$1")
command -v node >/dev/null || { echo "SKIP: node not installed"; exit 77; }
command -v git >/dev/null || { echo "SKIP: git not installed"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0

repo=$TMP/dotfiles
mkdir -p "$repo/shell"
git -C "$repo" init -q
cat > "$repo/shell/bashrc.sh" <<'EOF'
# a dotfile with two findings, both with fixes
export GOPATH="~/go"
export PATH=/opt/go/bin
EOF
(cd "$repo" && "$BIN" check --kind shell --format sarif shell/bashrc.sh) > "$TMP/a.sarif"
rc=$?
[ "$rc" = 1 ] || { echo "FAIL: check --format sarif exited $rc, want 1"; fail=1; }
# the same file with a line inserted on top: fingerprints must not change
{ echo "# a new first line"; cat "$repo/shell/bashrc.sh"; } > "$TMP/x" && mv "$TMP/x" "$repo/shell/bashrc.sh"
(cd "$repo/shell" && "$BIN" check --kind shell --format sarif bashrc.sh) > "$TMP/b.sarif"

cat > "$TMP/structure.js" <<'EOF'
// Structural check of a golint-env SARIF log; prints problems, exits 1 on any.
const fs = require('fs');
const [a, b] = process.argv.slice(2).map(f => JSON.parse(fs.readFileSync(f, 'utf8')));
const problems = [];
const want = (cond, what) => { if (!cond) problems.push(what); };
const levels = new Set(['none', 'note', 'warning', 'error']);
const region = (r, where) => {
  want(r && [r.startLine, r.startColumn, r.endLine, r.endColumn].every(Number.isInteger), `${where}: region needs start/end line/column`);
  if (r) want(r.endLine > r.startLine || (r.endLine === r.startLine && r.endColumn >= r.startColumn), `${where}: region ends before it starts`);
};
want(a.version === '2.1.0', 'version is not 2.1.0');
want(typeof a.$schema === 'string', '$schema missing');
want(Array.isArray(a.runs) && a.runs.length === 1, 'want exactly one run');
const run = a.runs[0];
const driver = run.tool.driver;
want(driver.name === 'golint-env', 'tool.driver.name');
want(Array.isArray(driver.rules) && driver.rules.length > 0, 'tool.driver.rules empty');
const ruleIndex = new Map();
driver.rules.forEach((r, i) => {
  ruleIndex.set(r.id, i);
  want(/^GE\d{4}$/.test(r.id), `rule ${i}: id ${r.id}`);
  want(typeof r.name === 'string' && r.name.length, `${r.id}: name`);
  for (const k of ['shortDescription', 'fullDescription', 'help'])
    want(r[k] && typeof r[k].text === 'string' && r[k].text.length, `${r.id}: ${k}.text`);
  want(/^[a-z]+:\/\/.*\/rules\/GE\d{4}\.md$/.test(r.helpUri || '') && r.helpUri.endsWith(r.id + '.md'), `${r.id}: helpUri ${r.helpUri}`);
  want(r.defaultConfiguration && levels.has(r.defaultConfiguration.level), `${r.id}: defaultConfiguration.level`);
});
want(run.results.length === 2, `want 2 results, got ${run.results.length}`);
let fixes = 0;
for (const [i, r] of run.results.entries()) {
  const w = `result ${i} (${r.ruleId})`;
  want(ruleIndex.has(r.ruleId), `${w}: ruleId not in tool.driver.rules`);
  want(r.ruleIndex === ruleIndex.get(r.ruleId), `${w}: ruleIndex`);
  want(levels.has(r.level), `${w}: level ${r.level}`);
  want(r.message && r.message.text && r.message.text.length, `${w}: message.text`);
  const pl = r.locations && r.locations[0] && r.locations[0].physicalLocation;
  want(pl, `${w}: physicalLocation`);
  if (!pl) continue;
  want(pl.artifactLocation.uri === 'shell/bashrc.sh', `${w}: uri ${pl.artifactLocation.uri}, want shell/bashrc.sh (relative to the repo root)`);
  want(pl.artifactLocation.uriBaseId === 'SRCROOT', `${w}: uriBaseId`);
  region(pl.region, w);
  want(/^[0-9a-f]{16}:\d+$/.test(r.partialFingerprints.primaryLocationLineHash), `${w}: primaryLocationLineHash`);
  for (const f of r.fixes || []) {
    fixes++;
    want(f.description && f.description.text, `${w}: fix description`);
    for (const ch of f.artifactChanges) {
      want(ch.artifactLocation.uri === 'shell/bashrc.sh', `${w}: fix uri`);
      for (const rep of ch.replacements) {
        region(rep.deletedRegion, `${w} fix`);
        want(rep.insertedContent && typeof rep.insertedContent.text === 'string', `${w}: insertedContent`);
      }
    }
  }
}
want(fixes >= 2, `want at least 2 fixes, got ${fixes}`);
const fp = log => log.runs[0].results.map(r => r.ruleId + ' ' + r.partialFingerprints.primaryLocationLineHash).sort().join('\n');
const lines = log => log.runs[0].results.map(r => r.locations[0].physicalLocation.region.startLine).join(',');
want(fp(a) === fp(b), `fingerprints changed when a line was inserted:\n${fp(a)}\n---\n${fp(b)}`);
want(lines(a) !== lines(b), 'the inserted line did not move the results (test is not testing)');
if (problems.length) { console.log(problems.map(p => 'FAIL: ' + p).join('\n')); process.exit(1); }
EOF
node "$TMP/structure.js" "$TMP/a.sarif" "$TMP/b.sarif" || fail=1

# --- the JSON schema, when npm can fetch the validator ---
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/golint-env/sarif-validator
SCHEMA=$CACHE/package/lib/schemas/sarif-2.1.0-rtm.5.json
if [ ! -f "$SCHEMA" ] || [ ! -d "$CACHE/node_modules/ajv-draft-04" ]; then
    mkdir -p "$CACHE"
    (cd "$CACHE" &&
        timeout 300 npm install --no-save --no-audit --no-fund --loglevel=error \
            ajv@8.17.1 ajv-draft-04@1.0.0 ajv-formats@3.0.1 >/dev/null 2>&1 &&
        timeout 120 npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null 2>&1 &&
        tar xzf microsoft-jest-sarif-1.0.0-beta.0.tgz package/lib/schemas) ||
        echo "note: could not fetch the SARIF schema validator from npm"
fi
if [ -f "$SCHEMA" ] && [ -d "$CACHE/node_modules/ajv-draft-04" ]; then
    cat > "$TMP/validate.js" <<'EOF'
const [cache, schemaFile, ...files] = process.argv.slice(2);
const Ajv = require(cache + '/node_modules/ajv-draft-04');
const addFormats = require(cache + '/node_modules/ajv-formats');
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(require(schemaFile));
let bad = 0;
for (const f of files) {
  if (!validate(JSON.parse(require('fs').readFileSync(f, 'utf8')))) {
    bad++;
    console.log(`${f}: not valid SARIF 2.1.0:\n` + JSON.stringify(validate.errors.slice(0, 5), null, 1));
  }
}
process.exit(bad ? 1 : 0);
EOF
    node "$TMP/validate.js" "$CACHE" "$SCHEMA" "$TMP/a.sarif" "$TMP/b.sarif" || { echo "FAIL: schema validation"; fail=1; }
    # the validator must be able to say no
    node -e 'const l=JSON.parse(require("fs").readFileSync(process.argv[1]));l.runs[0].results[0].level="fatal";delete l.runs[0].tool.driver.name;require("fs").writeFileSync(process.argv[2],JSON.stringify(l))' "$TMP/a.sarif" "$TMP/broken.sarif"
    if ! node "$TMP/validate.js" "$CACHE" "$SCHEMA" "$TMP/broken.sarif" 2>&1 | grep -q 'not valid SARIF'; then
        echo "FAIL: the schema validator accepted a broken log"; fail=1
    fi
    echo "schema: checked against SARIF 2.1.0-rtm.5"
else
    echo "schema: validator unavailable, structural check only"
fi

# no findings: still a valid log with an empty results array
printf 'export PATH="$PATH:/opt/go/bin"\n' > "$repo/ok.sh"
(cd "$repo" && "$BIN" check --kind shell --format sarif ok.sh) > "$TMP/c.sarif" || { echo "FAIL: clean file exited non-zero"; fail=1; }
node -e 'const l=JSON.parse(require("fs").readFileSync(process.argv[1]));if(!Array.isArray(l.runs[0].results)||l.runs[0].results.length)process.exit(1)' "$TMP/c.sarif" ||
    { echo "FAIL: clean file: want an empty results array"; fail=1; }

[ $fail = 0 ] && echo "sarif: ok"
exit $fail

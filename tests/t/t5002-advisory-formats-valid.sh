#!/bin/sh
# t5002 — every published form of an advisory is valid: CVE JSON 5.1 records, the CSAF 2.0 document
# and the provider metadata against the official schemas (python3-jsonschema), the CSAF document
# also by an independent validator (@secvisogram/csaf-validator-lib: schema + every mandatory test
# 6.1.x), OSV against its schema, the JVNRSS item against the official XSD (xmllint). The stable
# URLs serve the same bytes as `keikai export-advisory`; the preview is exactly the published page.
. "$(dirname "$0")/lib.sh"
KEIKAI_SHARED=${KEIKAI_SHARED:-$ROOT/../shared}
export KEIKAI_SHARED
ORACLE=$ROOT/tests/oracle
PY=python3
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null && PY=/usr/bin/python3
$PY -c 'import jsonschema' 2>/dev/null || { echo "not ok - python3-jsonschema is missing (scripts/bootstrap installs it)"; exit 1; }
need_oracle
. "$(dirname "$0")/myjvn-xsd.sh"
validate() { xmllint --noout --schema "$XSD/$2" "$1" 2>&1 | grep -v ' validates$'; return "${PIPESTATUS:-0}"; }

T=2026-03-02T01:00:00Z
export KEIKAI_TEST_NOW=$T KEIKAI_BASE_URL=https://jvn.example
keikai init >/dev/null 2>&1 || { echo "init failed"; exit 1; }
DOC=$ROOT/tests/data/advisory/y_full.json
ID=$(keikai advisory create --kind JVNVU --json "$DOC")
SLUG=$(printf '%s' "$ID" | tr '#' '_')
keikai cve-pool add CVE-2026-50001 CVE-2026-50002 >/dev/null 2>&1

# the preview (working copy) in every form, before publication
for f in csaf osv; do
	keikai export-advisory "$ID" --format $f --preview >"$TMP/preview.$f.json"
	assert_eq 0 $? "preview export $f"
done
keikai export-advisory "$ID" --format html --preview >"$TMP/preview.html"
keikai advisory publish "$ID" >/dev/null 2>&1
assert_eq 0 $? "publish"

# --- every format from the CLI, validated
for f in cve5 csaf osv; do
	keikai export-advisory "$ID" --format $f >"$TMP/out.$f.json"
	assert_eq 0 $? "export-advisory --format $f"
	$PY "$ORACLE/validate-schema.py" $f "$TMP/out.$f.json" >"$TMP/v.$f" 2>&1
	assert_eq 0 $? "$f is valid against the official schema: $(grep -v ': valid' "$TMP/v.$f" | head -5)"
done
assert_eq 2 "$(grep -c ': valid cve5' "$TMP/v.cve5")" "one CVE record per vulnerability, both valid"
(cd "$ORACLE" && node csaf-validate.mjs "$TMP/out.csaf.json") >"$TMP/oracle" 2>&1
assert_eq 0 $? "the independent CSAF validator accepts it (schema + mandatory tests): $(head -5 "$TMP/oracle")"
assert_contains "$(cat "$TMP/oracle")" "valid (" "the oracle ran its tests"
$PY "$ORACLE/validate-schema.py" osv "$TMP/preview.osv.json" >/dev/null 2>&1
assert_eq 0 $? "the preview's OSV record is valid too"
(cd "$ORACLE" && node csaf-validate.mjs "$TMP/preview.csaf.json") >/dev/null 2>&1
assert_eq 0 $? "the preview's CSAF document passes the oracle too"
for l in ja en; do
	keikai export-advisory "$ID" --format jvnrss --lang $l >"$TMP/out.$l.rdf"
	validate "$TMP/out.$l.rdf" jvnrss_3.2.xsd >"$TMP/xsd.$l"
	assert_eq "" "$(cat "$TMP/xsd.$l")" "the JVNRSS item ($l) validates against jvnrss_3.2.xsd"
done
assert_contains "$(cat "$TMP/out.csaf.json")" '"id":"'"$ID"'"' "CSAF tracking id"
assert_contains "$(cat "$TMP/out.cve5.json")" '"cveId":"CVE-2026-50001"' "CVE record of the first vulnerability"
assert_contains "$(cat "$TMP/out.cve5.json")" '"baseScore":5.4' "with its computed CVSS 3.1 score"
assert_contains "$(cat "$TMP/out.cve5.json")" '"cvssV4_0"' "and its CVSS 4.0 metrics"
assert_contains "$(cat "$TMP/out.osv.json")" '"purl":"pkg:npm/acme-webui"' "OSV carries the npm package"
assert_contains "$(cat "$TMP/out.osv.json")" '"fixed":"2.3.1"' "with its fixed version"

# a broken document must fail the same checks (the checks can fail)
sed 's/"csaf_version":"2.0"/"csaf_version":"9.9"/' "$TMP/out.csaf.json" >"$TMP/broken.csaf.json"
$PY "$ORACLE/validate-schema.py" csaf "$TMP/broken.csaf.json" >/dev/null 2>&1
assert_eq 1 $? "a wrong csaf_version fails the schema"
sed 's/"number":"1"/"number":"7"/' "$TMP/out.csaf.json" >"$TMP/broken2.csaf.json"
(cd "$ORACLE" && node csaf-validate.mjs "$TMP/broken2.csaf.json") >/dev/null 2>&1
assert_eq 1 $? "a revision history that does not match the version fails the mandatory tests"
sed 's/"dataVersion":"5.1"/"dataVersion":"4.0"/' "$TMP/out.cve5.json" >"$TMP/broken.cve5.json"
$PY "$ORACLE/validate-schema.py" cve5 "$TMP/broken.cve5.json" >/dev/null 2>&1
assert_eq 1 $? "a wrong dataVersion fails the CVE schema"

# --- the stable URLs serve the same bytes
start_server_only --no-scheduler
for pair in "csaf|/jvn/$SLUG/csaf" "osv|/jvn/$SLUG/osv"; do
	f=${pair%%|*} u=${pair#*|}
	curl -s "$BASE$u" >"$TMP/url.$f"
	cmp -s "$TMP/url.$f" "$TMP/out.$f.json"
	assert_eq 0 $? "GET $u is the export"
done
curl -s "$BASE/jvn/$SLUG/cve/CVE-2026-50002" >"$TMP/url.cve5"
assert_eq "$(sed -n 2p "$TMP/out.cve5.json")" "$(cat "$TMP/url.cve5")" "GET /jvn/$SLUG/cve/CVE-2026-50002 is that record"
curl -s "$BASE/jvn/$SLUG/jvnrss?lang=en" >"$TMP/url.rdf"
cmp -s "$TMP/url.rdf" "$TMP/out.en.rdf"
assert_eq 0 $? "GET /jvn/$SLUG/jvnrss?lang=en is the export"
YEAR=2026
FILE=$(printf '%s' "$SLUG" | tr 'A-Z' 'a-z').json
curl -s "$BASE/.well-known/csaf/white/$YEAR/$FILE" >"$TMP/dir.csaf"
cmp -s "$TMP/dir.csaf" "$TMP/out.csaf.json"
assert_eq 0 $? "the CSAF directory serves the same document at $YEAR/$FILE"
api GET /.well-known/csaf/white/index.txt
assert_eq "$YEAR/$FILE" "$BODY" "index.txt lists it"
curl -s "$BASE/.well-known/csaf/provider-metadata.json" >"$TMP/pm.json"
$PY "$ORACLE/validate-schema.py" csaf-provider "$TMP/pm.json" >"$TMP/v.pm" 2>&1
assert_eq 0 $? "provider-metadata.json is valid: $(head -3 "$TMP/v.pm")"
assert_contains "$(cat "$TMP/pm.json")" '"directory_url":"https://jvn.example/.well-known/csaf/white/"' "it points at the directory"
api GET /jvn/$SLUG/cve/CVE-2026-99999
assert_eq 404 "$STATUS" "a CVE id not in the advisory"

# --- the preview is exactly the public page
printf '%s\n' "$ADMIN_PASSWORD" | keikai user add --email c@example.org --name Coord --role coordinator >/dev/null 2>&1
JAR=$TMP/jar
api_json POST /api/v1/session "{\"email\":\"c@example.org\",\"password\":\"$ADMIN_PASSWORD\"}" -c "$JAR" -b "$JAR"
for l in "" "/en"; do
	q=; [ "$l" = /en ] && q="?lang=en"
	curl -s -b "$JAR" "$BASE/advisories/$SLUG/preview$q" >"$TMP/prev$q.html"
	curl -s "$BASE/jvn/$SLUG$l" >"$TMP/pub.html"
	sed -n '/<article/,/<\/article>/p' "$TMP/prev$q.html" >"$TMP/a1"
	sed -n '/<article/,/<\/article>/p' "$TMP/pub.html" >"$TMP/a2"
	[ -s "$TMP/a1" ] && cmp -s "$TMP/a1" "$TMP/a2"
	assert_eq 0 $? "preview$q shows exactly the published article"
done
done_testing

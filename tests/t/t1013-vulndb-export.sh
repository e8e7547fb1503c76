#!/bin/sh
# t1013 — `keikai export --format cve5|osv|jsonl`: every matching record
# (all pages), CVE 5 records valid against ../shared/data/cve5-schema, OSV
# against ../shared/data/osv (python3 jsonschema), filters as in search.
. "$(dirname "$0")/lib.sh"
SHARED=${KEIKAI_SHARED:-$ROOT/../shared}
python3 -c 'import jsonschema' 2>/dev/null || { fail "python3 jsonschema is missing (scripts/bootstrap installs python3-jsonschema)"; done_testing; }
keikai init >/dev/null 2>&1
sql() { sqlite3 "$DB" "$1"; }
mkdir "$TMP/in"
cp tests/data/import/y_*.json tests/data/import/y_*.jsonl tests/data/import/y_*.xml "$TMP/in/"
keikai import "$TMP/in" >/dev/null 2>&1
n=$(sql "SELECT count(*) FROM vuln")
ncve=$(sql "SELECT count(DISTINCT vuln_id) FROM vuln_alias WHERE alias LIKE 'CVE-%'")
cat >"$TMP/validate.py" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
cls = jsonschema.validators.validator_for(schema)
v = cls(schema)
n = bad = 0
for line in open(sys.argv[2]):
    n += 1
    errs = list(v.iter_errors(json.loads(line)))
    if errs:
        bad += 1
        e = errs[0]
        print("record %d: %s: %s" % (n, "/".join(map(str, e.absolute_path)), e.message[:200]))
print("%d %d" % (n, bad))
PY
keikai export --format jsonl -o "$TMP/live.jsonl" 2>"$TMP/e"
assert_eq "$(sql "SELECT count(*) FROM vuln WHERE withdrawn = 0")" "$(wc -l <"$TMP/live.jsonl" | tr -d ' ')" "jsonl: rejected and withdrawn records are left out by default"
# every record from here on, the rejected ones too (CVE 5 REJECTED, OSV withdrawn must validate)
keikai export --format jsonl --withdrawn include -o "$TMP/all.jsonl" 2>"$TMP/e"
assert_eq "$n" "$(wc -l <"$TMP/all.jsonl" | tr -d ' ')" "jsonl: every record ($n)"
assert_eq "$(sql "SELECT group_concat(jvndb, ' ') FROM (SELECT jvndb FROM vuln ORDER BY jvndb)")" "$(jq -r .id "$TMP/all.jsonl" | sort | tr '\n' ' ' | sed 's/ $//')" "jsonl: the records' ids"
api_one=$(grep '"CVE-2021-44228"' "$TMP/all.jsonl" | jq -c .cvss)
assert_contains "$api_one" '"vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"' "jsonl: the API's record form"
keikai export --format cve5 --withdrawn include >"$TMP/cve5.jsonl" 2>"$TMP/e"
assert_eq "$ncve" "$(wc -l <"$TMP/cve5.jsonl" | tr -d ' ')" "cve5: every record with a CVE id ($ncve)"
if [ "$n" -gt "$ncve" ]; then
	assert_contains "$(cat "$TMP/e")" "$((n - ncve)) without a CVE id left out" "cve5: says how many have no CVE id"
else
	assert_not_contains "$(cat "$TMP/e")" "without a CVE id" "cve5: every record has a CVE id"
fi
out=$(python3 "$TMP/validate.py" "$SHARED/data/cve5-schema/schemas/CVE_JSON_bundled_5.1.1.json" "$TMP/cve5.jsonl")
assert_eq "$ncve 0" "$(printf '%s' "$out" | tail -n 1)" "cve5: valid against CVE_JSON_bundled_5.1.1.json ($(printf '%s' "$out" | head -n 1))"
assert_eq "CVE-2021-44228 2.13.0 2.15.0" "$(grep '"CVE-2021-44228"' "$TMP/cve5.jsonl" | jq -r '.cveMetadata.cveId + " " + ([.containers.cna.affected[] | select(.product == "log4j") | .versions[] | select(.version == "2.13.0")][0] | "\(.version) \(.lessThan)")')" "cve5: Log4Shell's range"
keikai export --format osv --withdrawn include -o "$TMP/osv.jsonl" 2>/dev/null
assert_eq "$n" "$(wc -l <"$TMP/osv.jsonl" | tr -d ' ')" "osv: every record"
out=$(python3 "$TMP/validate.py" "$SHARED/data/osv/validation/schema.json" "$TMP/osv.jsonl")
assert_eq "$n 0" "$(printf '%s' "$out" | tail -n 1)" "osv: valid against the OSV schema ($(printf '%s' "$out" | head -n 1))"
assert_eq "1.6.0" "$(grep '"GO-2020-0001"' "$TMP/osv.jsonl" | jq -r '.affected[0].ranges[0].events[] | select(.fixed) | .fixed')" "osv: gin fixed in 1.6.0"
# filters: the same as search
keikai export --format jsonl --cpe cpe:2.3:a:apache:log4j:2.14.1 -o "$TMP/one.jsonl" 2>/dev/null
assert_eq "CVE-2021-44228" "$(jq -r '.aliases[]' "$TMP/one.jsonl" | grep CVE-)" "export --cpe: only Log4Shell"
keikai export --format osv --source osv >"$TMP/src.jsonl" 2>/dev/null
assert_eq "$(sql "SELECT count(DISTINCT vuln_id) FROM vuln_source WHERE source = 'osv'")" "$(wc -l <"$TMP/src.jsonl" | tr -d ' ')" "export --source osv"
# one product named by several CPE rows with the same range (Windows 10 1703 and 1709, x86 and x64, all
# "10.0.0 < publication"): one version entry, as the schema's uniqueItems wants
DB=$TMP/ms.db keikai init >/dev/null 2>&1
DB=$TMP/ms.db keikai import tests/data/export/cve5_versions_repeated.jsonl >/dev/null 2>&1
DB=$TMP/ms.db keikai export --format cve5 >"$TMP/ms.jsonl" 2>/dev/null
out=$(python3 "$TMP/validate.py" "$SHARED/data/cve5-schema/schemas/CVE_JSON_bundled_5.1.1.json" "$TMP/ms.jsonl")
assert_eq "4 0" "$(printf '%s' "$out" | tail -n 1)" "cve5: repeated ranges and versions written once ($(printf '%s' "$out" | head -n 1))"
assert_eq 1 "$(grep '"CVE-2019-0714"' "$TMP/ms.jsonl" | jq '[.containers.cna.affected[] | select(.product == "windows_10") | .versions[]] | length')" "cve5: windows_10 of CVE-2019-0714 has one range (two before)"
keikai export --format csv >/dev/null 2>&1; rc=$?
assert_eq 2 "$rc" "unknown --format: usage error"
keikai export --format cve5 --org-id not-a-uuid >/dev/null 2>"$TMP/e"; rc=$?
assert_eq 2 "$rc" "bad --org-id: usage error"
assert_contains "$(cat "$TMP/e")" "version 4 UUID" "bad --org-id says what is wanted"
done_testing

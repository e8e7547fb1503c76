#!/bin/sh
# t1301 — upstream faults during `keikai sync` (the fixture injects them): 429 with
# Retry-After and 503 are retried and the run ends current; a truncated body is fetched
# again; a page that stays invalid JSON is named (source, URL, record, field) and the
# other records go on; an OSV record listed but missing is named and skipped; after the
# retries run out the run fails, keeps its cursor, and the next run finishes the job.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sync-lib.sh"
start_fixture
keikai init >/dev/null 2>&1
point_sources "$DB"
export KEIKAI_TEST_NOW=2026-01-01T00:00:00Z

fx_fault /sites/default/files/feeds/known_exploited_vulnerabilities.json 429 1 1
fx_fault /sites/default/files/feeds/known_exploited_vulnerabilities.json 503 1
fx_fault /sites/default/files/feeds/known_exploited_vulnerabilities.json truncate 1
keikai sync kev >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 0 "$rc" "kev after 429, 503 and a truncated body: exit 0"
assert_contains "$(cat "$TMP/o")" "sync kev: 4 fetches (0 not modified), 1404 added" "four requests, the catalog stored"
assert_contains "$(cat "$TMP/e")" "HTTP 429 (rate limited); try 2 of 5 in 1000 ms" "Retry-After: 1 is honoured (1000 ms)"

# an NVD page that stays invalid JSON: named, passed over, the run goes on (2 pages of 1000)
keikai sync --set nvd --since 2000-01-01 >/dev/null
fx_fault /rest/json/cves/2.0 badjson 3
keikai sync nvd >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 3 "$rc" "a malformed page: exit 3 (finished, something skipped)"
assert_contains "$(cat "$TMP/e")" "sync nvd: $FX/rest/json/cves/2.0?lastModStartDate=2000-01-01T00:00:00.000%2B00:00" "the page's URL is named"
assert_contains "$(cat "$TMP/e")" "(page): " "... as a page"
assert_contains "$(cat "$TMP/e")" "not valid JSON" "... and what is wrong"
assert_contains "$(keikai sync --status --json | jq -r '.[] | select(.name == "nvd") | .last_error')" "not valid JSON" "the last error is kept for --status"

# a record that is malformed inside a good page: named with its id and field, the others stored
rm -f "$DB"*
keikai init >/dev/null 2>&1
point_sources "$DB"
cve=$(curl -s "$FX/rest/json/cves/2.0?resultsPerPage=1&startIndex=5" | jq -r '.vulnerabilities[0].cve.id')
curl -s -o /dev/null "$FX/_control/touch?source=nvd&id=$cve&time=2026-02-01T00:00:00Z&break=published"
export KEIKAI_TEST_NOW=2026-03-01T00:00:00Z
keikai sync nvd >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 3 "$rc" "a malformed record: exit 3"
assert_contains "$(cat "$TMP/e")" "$cve: /cve/published:" "the record and the field are named"
n=$(curl -s "$FX/rest/json/cves/2.0?resultsPerPage=1" | jq .totalResults)
assert_eq "$((n - 1))" "$(sqlite3 "$DB" "SELECT count(*) FROM vuln_source WHERE source = 'nvd'")" "every other record is stored"

# retries run out: the run fails, the cursor stays, the next run is complete
keikai sync --set kev --reset >/dev/null
fx_fault /sites/default/files/feeds/known_exploited_vulnerabilities.json 503 5
keikai sync kev >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 1 "$rc" "503 five times: exit 1"
assert_contains "$(cat "$TMP/e")" "known_exploited_vulnerabilities.json: HTTP 503" "the error names the URL and the status"
assert_eq "" "$(sqlite3 "$DB" "SELECT etag FROM sync_source WHERE name = 'kev'")" "the ETag was not advanced"
keikai sync kev >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 0 "$rc" "the next run succeeds"
assert_eq "ok failed" "$(sqlite3 "$DB" "SELECT status FROM sync_run r JOIN sync_source s ON s.id = r.source_id WHERE s.name = 'kev' ORDER BY r.id DESC LIMIT 2" | tr '\n' ' ' | sed 's/ $//')" "the run log says failed, then ok"

# OSV: a listed record that is gone (404) is named; the others go on
keikai sync osv >/dev/null 2>&1
fx_touch osv GO-2022-0229 2027-01-01T00:00:00Z
fx_touch osv GO-2022-0230 2027-01-01T00:00:01Z
fx_fault /Go/GO-2022-0229.json 503 5
keikai sync osv >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 1 "$rc" "osv: a record that cannot be fetched fails the run"
keikai sync osv >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 0 "$rc" "... and the next run fetches it"
assert_contains "$(cat "$TMP/o")" "2 updated" "both changed records are stored"
done_testing

#!/bin/sh
# t1300 — `keikai sync` against the loopback fixture of NVD API 2.0, CISA KEV and OSV
# (tests/fixture/upstream.py serving ../shared/data): the first run brings everything in, a
# second run with nothing new fetches nothing but the change indexes (counted at the fixture),
# a changed record upstream is the only one fetched and stored, the NVD window and paging, the
# User-Agent, the apiKey header, --status and its JSON.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sync-lib.sh"
start_fixture
keikai init >/dev/null 2>&1
point_sources "$DB"
export KEIKAI_TEST_NOW=2026-01-01T00:00:00Z
keikai sync nvd kev osv >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 0 "$rc" "first sync: exit 0 ($(cat "$TMP/e" | head -3))"
n_nvd=$(curl -s "$FX/rest/json/cves/2.0?resultsPerPage=1" | jq .totalResults)
assert_eq "$n_nvd" "$(sqlite3 "$DB" "SELECT count(*) FROM vuln_source WHERE source = 'nvd'")" "every NVD record of the fixture is stored ($n_nvd)"
assert_eq "$(jq '.vulnerabilities | length' "$SHARED/data/cisa-kev/known_exploited_vulnerabilities.json")" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM vuln_kev")" "every KEV entry is stored"
n_osv=$(sqlite3 "$DB" "SELECT count(*) FROM vuln_source WHERE source = 'osv'")
[ "$n_osv" -gt 5000 ] && pass "OSV Go and crates.io archives stored ($n_osv)" || fail "OSV stored only $n_osv"
assert_eq 1 "$(fx_count '^/Go/all.zip')" "the first OSV run reads all.zip once"
assert_eq 0 "$(fx_count '^/Go/modified_id.csv')" "... and not the change index"
assert_contains "$(fx_log | jq -r '.[0].ua')" "keikai/" "User-Agent names keikai and its version"
assert_contains "$(sqlite3 "$DB" "SELECT cursor FROM sync_source WHERE name = 'nvd'")" '"since":1767225600' "the NVD cursor is the run's time"

# a second run with nothing new: only the change indexes (NVD one window page, KEV 304, OSV csv)
before=$(fx_log | jq length)
export KEIKAI_TEST_NOW=2026-01-01T06:00:00Z
keikai sync nvd kev osv >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 0 "$rc" "second sync: exit 0"
fx_log | jq -r ".[$before:][] | \"\(.status) \(.path)\"" | sed 's/?.*//' | sort >"$TMP/second"
assert_eq "200 /Go/modified_id.csv
200 /crates.io/modified_id.csv
200 /rest/json/cves/2.0
304 /sites/default/files/feeds/known_exploited_vulnerabilities.json" "$(cat "$TMP/second")" "nothing new: the change indexes only"
assert_contains "$(cat "$TMP/o")" "sync nvd: 1 fetches (0 not modified), 0 added, 0 updated" "nvd: nothing added"
assert_contains "$(fx_log | jq -r ".[$before:][].path" | grep cves)" "lastModStartDate=2026-01-01T00:00:00.000%2B00:00&lastModEndDate=2026-01-01T06:00:00.000%2B00:00" "the NVD window starts at the cursor"
# a third: the OSV lists now come with If-None-Match and answer 304
before=$(fx_log | jq length)
keikai sync osv >"$TMP/o" 2>&1
assert_eq "304 304" "$(fx_log | jq -r "[.[$before:][].status] | map(tostring) | join(\" \")")" "osv: the unchanged lists answer 304"

# records change upstream: exactly they are fetched and stored
cve=$(sqlite3 "$DB" "SELECT source_id FROM vuln_source WHERE source = 'nvd' ORDER BY source_id LIMIT 1 OFFSET 10")
fx_touch nvd "$cve" 2026-01-01T07:00:00Z
fx_touch osv GO-2022-0229 2027-01-01T07:00:00Z
fx_touch osv RUSTSEC-2016-0001 2027-01-01T07:30:00Z
fx_touch kev CVE-2021-44228 2026-03-01T00:00:00Z
before=$(fx_log | jq length)
export KEIKAI_TEST_NOW=2026-01-01T08:00:00Z
keikai sync nvd kev osv >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 0 "$rc" "third sync: exit 0 ($(head -3 "$TMP/e"))"
assert_contains "$(cat "$TMP/o")" "sync nvd: 1 fetches (0 not modified), 0 added, 1 updated" "nvd: the changed record updated"
assert_contains "$(cat "$TMP/o")" "sync kev: 1 fetches (0 not modified), 0 added, 1 updated" "kev: a new ETag, one entry updated"
assert_contains "$(cat "$TMP/o")" "sync osv: 4 fetches (0 not modified), 0 added, 2 updated" "osv: two lists and the two changed records"
assert_eq "/GO-2022-0229.json /RUSTSEC-2016-0001.json" "$(fx_log | jq -r ".[$before:][].path" | grep -o '/[A-Z][A-Z0-9-]*\.json' | sort | tr '\n' ' ' | sed 's/ $//')" "only the changed OSV records are fetched"
assert_eq "2026-03-01" "$(sqlite3 "$DB" "SELECT due_date FROM vuln_kev WHERE cve = 'CVE-2021-44228'")" "the KEV change is stored"
api_ok=$(sqlite3 "$DB" "SELECT count(*) FROM vuln_text t JOIN vuln_source s ON s.id = t.src WHERE s.source_id = '$cve' AND t.text LIKE 'changed at%'" 2>/dev/null || echo x)
assert_eq 1 "$api_ok" "the changed NVD description is stored"

# the NVD first run pages: resultsPerPage 2000 and startIndex; windows of at most 120 days; apiKey
rm -f "$DB"*
keikai init >/dev/null 2>&1
point_sources "$DB"
keikai sync --set nvd --since 2025-01-01 >/dev/null
before=$(fx_log | jq length)
KEIKAI_NVD_API_KEY=k-123 keikai sync nvd >"$TMP/o" 2>&1
paths=$(fx_log | jq -r ".[$before:][].path")
assert_eq 4 "$(printf '%s\n' "$paths" | grep -c 'resultsPerPage=2000')" "2025-01-01 .. 2026-01-01T08: four windows of at most 120 days"
assert_contains "$paths" "lastModStartDate=2025-01-01T00:00:00.000%2B00:00&lastModEndDate=2025-05-01T00:00:00.000%2B00:00" "the first window is 120 days"
assert_eq "k-123" "$(fx_log | jq -r ".[$before].apikey")" "the apiKey header when a key is configured"

keikai sync --status --json >"$TMP/s.json"
assert_eq "true" "$(jq '.[] | select(.name == "nvd") | .last_success_at != null' "$TMP/s.json")" "--status --json: last success"
assert_eq "$FX" "$(jq -r '.[] | select(.name == "kev") | .url' "$TMP/s.json")" "--status --json: the URL setting"
keikai sync --status >"$TMP/s.txt"
assert_contains "$(cat "$TMP/s.txt")" "cursor     {\"since\":" "--status shows the cursor"
keikai sync nope >/dev/null 2>"$TMP/e"; rc=$?
assert_eq 2 "$rc" "an unknown source is a usage error"
keikai sync --set kev --url ftp://x >/dev/null 2>"$TMP/e"; rc=$?
assert_eq 2 "$rc" "a base URL must be http(s)"
done_testing

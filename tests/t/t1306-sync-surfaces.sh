#!/bin/sh
# t1306 — what people see of the sync: GET /api/v1/admin/sync and the admin page /admin/sync
# (Japanese and English) show per source the last success, the cursor, the counts added, updated
# and withdrawn, the last error and the next run; /metrics counts fetches, records and errors per
# source (read from the database, so a `keikai sync` of another process counts too), a killed
# run's fetches included once its lease is taken over; a page the NVD sends that is JSON but not a
# page (no totalResults) is named with its field; a broken NVD cursor is an error naming the fix.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sync-lib.sh"
start_fixture
export KEIKAI_TEST_NOW=2026-01-01T00:00:00Z
start_server --tick 3600
point_sources "$DB"
fx_fault /sites/default/files/feeds/known_exploited_vulnerabilities.json badjson 1
keikai sync kev >/dev/null 2>&1
keikai sync kev osv >"$TMP/o" 2>"$TMP/e" || true
keikai sync kev >/dev/null 2>&1
keikai sync --set kev --enable --interval 45 >/dev/null
login "$ADMIN_EMAIL" "$ADMIN_PASSWORD" "$TMP/jar"

api GET /api/v1/admin/sync -b "$TMP/jar"
assert_eq 200 "$STATUS" "the admin reads /api/v1/admin/sync"
kev() { printf '%s' "$BODY" | jq -r ".sources[] | select(.name == \"kev\") | $1"; }
osv() { printf '%s' "$BODY" | jq -r ".sources[] | select(.name == \"osv\") | $1"; }
assert_eq "2026-01-01T00:00:00Z" "$(kev .last_success_at)" "kev: the last success"
assert_contains "$(kev .cursor)" '"count":' "kev: the cursor"
assert_eq "true" "$(kev .enabled)" "kev: enabled"
assert_eq "2026-01-01T00:00:00Z" "$(kev .next_run_at)" "kev: the next run (due now after enabling)"
assert_eq "0" "$(kev .last_run.added)" "kev: the last run added nothing (the first had it all)"
assert_eq "$(jq '.vulnerabilities | length' "$SHARED/data/cisa-kev/known_exploited_vulnerabilities.json")" "$(kev .last_24h.added)" "kev: the last 24 hours added the catalog"
assert_contains "$(kev .last_error)" "not valid JSON" "kev: the last error, kept after a run that succeeded"
assert_eq "2026-01-01T00:00:00Z" "$(kev .last_error_at)" "kev: when the last error came"
assert_eq "2" "$(kev .totals.errors)" "kev: the malformed catalog counted as skipped and as a failed run"
n_osv=$(sqlite3 "$DB" "SELECT count(*) FROM vuln_source WHERE source = 'osv'")
assert_eq "$n_osv" "$(osv .last_run.added)" "osv: the records added"
[ "$(osv .last_run.withdrawn)" -gt 0 ] && pass "osv: withdrawn records counted ($(osv .last_run.withdrawn))" || fail "osv: no withdrawn records counted"
assert_eq "null" "$(osv .next_run_at)" "osv (not enabled): no next run"
assert_contains "$(osv .cursor)" '"Go":{"m":' "osv: the cursor per ecosystem"

for lang in en ja; do
	api GET /admin/sync -b "$TMP/jar" -H "Accept-Language: $lang"
	assert_eq 200 "$STATUS" "/admin/sync ($lang)"
	assert_contains "$BODY" 'id="sync-kev"' "/admin/sync ($lang): a row per source"
	assert_contains "$BODY" "not valid JSON" "/admin/sync ($lang): the last error"
	assert_contains "$BODY" '&quot;count&quot;:' "/admin/sync ($lang): the cursor, escaped"
done
assert_contains "$BODY" "データベースの同期" "/admin/sync in Japanese"
assert_contains "$BODY" "追加 0 件" "the counts in Japanese"
api GET / -b "$TMP/jar"
assert_contains "$BODY" 'href="/admin/sync"' "the admin's menu links the sync page"

api GET /metrics -b "$TMP/jar"
kev_fetches=$(fx_log | jq '[.[] | select(.path | startswith("/sites/"))] | length')
assert_contains "$BODY" "keikai_sync_fetches_total{source=\"kev\"} $kev_fetches" "/metrics: kev's fetches as the fixture counted them"
assert_contains "$BODY" "keikai_sync_records_total{source=\"osv\"} $n_osv" "/metrics: osv's records"
assert_contains "$BODY" "keikai_sync_errors_total{source=\"kev\"} 2" "/metrics: kev's errors"
assert_contains "$BODY" "keikai_sync_running{source=\"nvd\"} 0" "/metrics: nothing running"
assert_contains "$BODY" "# TYPE keikai_sync_fetches_total counter" "/metrics: typed as a counter"

# a run killed mid-way (in the second window's request, after the first page committed): the
# fetches its run row recorded count once the next run takes its lease over
before=$(printf '%s' "$BODY" | sed -n 's/^keikai_sync_fetches_total{source="nvd"} //p')
keikai sync --set nvd --since 2025-01-01 >/dev/null
fx_fault "/rest/json/cves/2.0?lastModStartDate=2025-05-01" slow 1
"$KEIKAI" --db "$DB" sync nvd >/dev/null 2>&1 &
pid=$!
i=0
while [ $i -lt 200 ] && [ "$(fx_count 'lastModStartDate=2025-05-01')" -lt 1 ]; do sleep 0.05; i=$((i + 1)); done
kill -9 "$pid"; wait "$pid" 2>/dev/null
assert_eq "running" "$(sqlite3 "$DB" "SELECT status FROM sync_run WHERE id = (SELECT max(id) FROM sync_run)")" "the killed run is left running"
keikai sync nvd >/dev/null 2>&1
api GET /metrics -b "$TMP/jar"
after=$(printf '%s' "$BODY" | sed -n 's/^keikai_sync_fetches_total{source="nvd"} //p')
answered=$(fx_log | jq '[.[] | select((.path | startswith("/rest/")) and .status == 200 and .fault == null)] | length')
assert_eq "$answered" "$((after - before))" "/metrics: the killed run's recorded fetch counts too ($answered answered)"

# an NVD answer that is JSON but not a page: named with its field, passed over after three tries
curl -s -o /dev/null "$FX/_control/fault?prefix=/rest/json/cves/2.0&kind=notpage&count=3"
export KEIKAI_TEST_NOW=2026-01-02T00:00:00Z
keikai sync nvd >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 3 "$rc" "a page without totalResults: exit 3"
assert_contains "$(cat "$TMP/e")" "(page): /totalResults: not a non-negative integer (skipped)" "... named with its field"

# a broken cursor: an error naming the fix, not a silent download of the whole catalog
sqlite3 "$DB" "UPDATE sync_source SET cursor = '{\"since\":\"yesterday\"}' WHERE name = 'nvd'"
before=$(fx_log | jq length)
keikai sync nvd >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 1 "$rc" "a broken NVD cursor: exit 1"
assert_contains "$(cat "$TMP/e")" "/since is not a non-negative integer" "... naming the field"
assert_contains "$(cat "$TMP/e")" "keikai sync --set nvd --since DATE" "... and the fix"
assert_eq "$before" "$(fx_log | jq length)" "... and nothing fetched"
done_testing

#!/bin/sh
# t1304 — the server runs enabled sources as scheduler jobs: enabling kev schedules a
# sync.source job due now; `serve` runs it on its sync thread (the API answers meanwhile),
# schedules the next run after the interval, and a disabled source's job ends.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sync-lib.sh"
start_fixture
keikai init >/dev/null 2>&1
point_sources "$DB"
keikai sync --set kev --enable --interval 30 >/dev/null
assert_contains "$(keikai tick --list)" "sync.source" "enabling schedules the source's job"
start_server --tick 1
i=0
while [ $i -lt 300 ]; do
	ok=$(keikai sync --status --json | jq -r '.[] | select(.name == "kev") | .last_success_at')
	[ "$ok" != null ] && break
	sleep 0.1
	i=$((i + 1))
done
assert_eq "$(jq '.vulnerabilities | length' "$SHARED/data/cisa-kev/known_exploited_vulnerabilities.json")" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM vuln_kev")" "the server synced kev"
api GET /healthz
assert_eq 200 "$STATUS" "the server answers"
next=$(keikai sync --status --json | jq -r '.[] | select(.name == "kev") | .next_run_at')
last=$(keikai sync --status --json | jq -r '.[] | select(.name == "kev") | .last_run_at')
gap=$(( $(date -u -d "$next" +%s) - $(date -u -d "$last" +%s) ))
[ "$gap" -gt 1700 ] && [ "$gap" -le 1800 ] && pass "the next run is the interval after this one" || fail "next run $next, last run $last"
assert_eq 0 "$(fx_count '^/rest/json')" "nvd (not enabled) was not fetched"
keikai sync --set kev --disable >/dev/null
assert_not_contains "$(keikai tick --list)" "sync.source" "disabling cancels the job"
done_testing

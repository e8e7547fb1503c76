#!/bin/sh
# t1303 — two syncs of one source never run at once, also across processes: while one
# holds the source's lease (its fetch made slow by the fixture) a second `keikai sync` of
# the same source is refused (exit 4, named), another source runs meanwhile, and after the
# first ends the source can be synced again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sync-lib.sh"
start_fixture
keikai init >/dev/null 2>&1
point_sources "$DB"
fx_fault /sites/default/files/feeds/known_exploited_vulnerabilities.json slow 2
fx_fault /sites/default/files/feeds/known_exploited_vulnerabilities.json 503 1
keikai sync kev >"$TMP/first.out" 2>&1 &
first=$!
i=0
while [ "$(fx_count '^/sites/default/files/feeds/known_exploited')" -lt 1 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
keikai sync kev >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 4 "$rc" "a second sync of kev while one runs: exit 4"
assert_contains "$(cat "$TMP/e")" "sync kev: another sync of this source is running" "named"
assert_eq 1 "$(fx_count '^/sites/default/files/feeds/known_exploited')" "the second sync fetched nothing"
keikai sync --status --json >"$TMP/s.json"
assert_eq true "$(jq '.[] | select(.name == "kev") | .running' "$TMP/s.json")" "--status: kev is running"
wait "$first"; rc=$?
assert_eq 0 "$rc" "the first sync ends well ($(cat "$TMP/first.out" | tail -1))"
keikai sync kev >"$TMP/o" 2>&1; rc=$?
assert_eq 0 "$rc" "afterwards kev syncs again"
assert_contains "$(cat "$TMP/o")" "1 not modified" "... conditionally (304)"
done_testing

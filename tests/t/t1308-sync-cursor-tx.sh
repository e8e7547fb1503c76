#!/bin/sh
# t1308 — a unit's records and the cursor saying it is done commit in one transaction.
# KEIKAI_TEST_SYNC_KILL (read only for tests, sync.c) kills `keikai sync nvd` with SIGKILL
# inside the transaction of its Nth page, after the page's records and before (or after)
# the cursor is written, or right after that transaction committed. Every time the database
# afterwards holds exactly the pages the cursor says are in. Had the cursor a transaction of
# its own after the records' (checked: this test then fails at after-commit), the kill
# between them would leave a page the cursor does not cover, fetched and imported again; a
# cursor written first would, killed before the records, cover a page that is not there (lost). The rerun then ends with the
# same database as an uninterrupted sync.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sync-lib.sh"
start_fixture --nvd nvdcve-1.1-2003.json.gz nvdcve-1.1-2004.json.gz
export KEIKAI_TEST_NOW=2026-01-01T00:00:00Z
total=$(curl -s "$FX/rest/json/cves/2.0?resultsPerPage=1" | jq .totalResults)
[ "$total" -gt 4000 ] && pass "the fixture has three pages ($total records)" || fail "only $total records"
REF=$TMP/ref.db
"$KEIKAI" --db "$REF" init >/dev/null 2>&1
point_sources "$REF"
"$KEIKAI" --db "$REF" sync nvd >/dev/null 2>&1 || fail "the reference sync failed"
want=$(db_digest "$REF")
nvd_rows() { sqlite3 "$DB" "SELECT count(*) FROM vuln_source WHERE source = 'nvd'"; }
index() { sqlite3 "$DB" "SELECT CASE WHEN cursor = '' THEN 0 ELSE coalesce(json_extract(cursor, '\$.index'), 0) END FROM sync_source WHERE name = 'nvd'"; }

for point in before-cursor:1 before-cursor:2 after-cursor:2 after-commit:2 after-cursor:3; do
	rm -f "$DB" "$DB"-*
	keikai init >/dev/null 2>&1
	point_sources "$DB"
	KEIKAI_TEST_SYNC_KILL=$point keikai sync nvd >/dev/null 2>&1; rc=$?
	assert_eq 137 "$rc" "$point: killed (SIGKILL)"
	n=${point#*:}
	case $point in after-commit:*) ;; *) n=$((n - 1)) ;; esac
	assert_eq "$((n * 2000))" "$(index)" "$point: the cursor covers the pages committed"
	assert_eq "$(index)" "$(nvd_rows)" "$point: the records are exactly those the cursor covers"
	assert_eq 1 "$(sqlite3 "$DB" "SELECT count(*) FROM sync_run WHERE status = 'running'")" "$point: the killed run is left running"
	keikai sync nvd >"$TMP/o" 2>&1; rc=$?
	assert_eq 0 "$rc" "$point: the rerun ends current"
	assert_contains "$(cat "$TMP/o")" " 0 updated" "$point: the rerun updates nothing (nothing imported twice)"
	assert_eq "$want" "$(db_digest "$DB")" "$point: the same database as the uninterrupted sync"
done
done_testing

#!/bin/sh
# t1302 — `keikai sync` killed with kill -9 at random moments, then run again, ends with
# the same database as an uninterrupted sync (every source record, its content hash and its
# JVNDB id; every KEV entry): the cursor is written in the transaction of the records it
# covers, and the dead process's lease is taken over (its run marked interrupted).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sync-lib.sh"
start_fixture --nvd nvdcve-1.1-recent.json.gz nvdcve-1.1-modified.json.gz
export KEIKAI_TEST_NOW=2026-01-01T00:00:00Z
REF=$TMP/ref.db
"$KEIKAI" --db "$REF" init >/dev/null 2>&1
point_sources "$REF"
"$KEIKAI" --db "$REF" sync --set nvd --since 2019-01-01 >/dev/null
"$KEIKAI" --db "$REF" sync nvd kev osv >"$TMP/ref.out" 2>&1 || { cat "$TMP/ref.out"; fail "the reference sync failed"; }
want=$(db_digest "$REF")

keikai init >/dev/null 2>&1
point_sources "$DB"
keikai sync --set nvd --since 2019-01-01 >/dev/null
kills=0
for round in 1 2 3 4 5 6 7 8; do
	exec_sync() { exec "$KEIKAI" --db "$DB" sync nvd kev osv; }
	exec_sync >/dev/null 2>&1 &
	pid=$!
	# a random moment: 0.1 .. 6 s (the first run of the three sources takes longer)
	ms=$(( $(od -An -N2 -tu2 /dev/urandom) % 5900 + 100 ))
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
	wait "$pid" 2>/dev/null
done
keikai sync nvd kev osv >"$TMP/o" 2>&1; rc=$?
assert_eq 0 "$rc" "the sync after $kills kills ends current"
assert_eq "$want" "$(db_digest "$DB")" "same records, hashes, JVNDB ids and KEV entries as the uninterrupted sync"
keikai sync nvd kev osv >"$TMP/o" 2>&1
# the two change indexes are fetched again (answered 200 or 304, as the stored validators allow); nothing changes
assert_contains "$(grep '^sync osv: ' "$TMP/o")" "sync osv: 2 fetches (" "a further run fetches only OSV's change indexes"
assert_contains "$(grep '^sync osv: ' "$TMP/o")" "), 0 added, 0 updated" "a further run changes nothing"
[ "$kills" -eq 0 ] || assert_eq "0" "$(sqlite3 "$DB" "SELECT count(*) FROM sync_run WHERE status = 'running'")" "no run is left marked running"
[ "$kills" -eq 0 ] || assert_contains "$(sqlite3 "$DB" "SELECT group_concat(DISTINCT status) FROM sync_run")" "interrupted" "killed runs are marked interrupted"
done_testing

#!/bin/sh
# keikai import killed with SIGKILL mid-way leaves a consistent database;
# running it again finishes the job with the same result as a clean import
# (the same minted ids too: a batch's id allocations roll back with it).
. "$(dirname "$0")/lib.sh"
FEED=${KEIKAI_SHARED:-$ROOT/../shared}/data/nvd-json-1.1-feeds/nvdcve-1.1-2010.json.gz
[ -f "$FEED" ] || { echo "missing $FEED"; exit 1; }
keikai init >"$TMP/init.out" 2>&1 || { cat "$TMP/init.out"; exit 1; }
CLEAN=$TMP/clean.db
"$KEIKAI" --db "$CLEAN" init >/dev/null 2>&1
"$KEIKAI" --db "$CLEAN" import --batch 200 "$FEED" >"$TMP/clean.out" 2>&1 || { cat "$TMP/clean.out"; exit 1; }

"$KEIKAI" --db "$DB" import --batch 200 "$FEED" >"$TMP/o1" 2>&1 & # the binary itself, so $! is its pid
pid=$!
n=0 i=0
while [ "$i" -lt 600 ]; do
	n=$(sqlite3 "$DB" "SELECT count(*) FROM vuln_source" 2>/dev/null || echo 0)
	[ "${n:-0}" -ge 1000 ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1; i=$((i + 1))
done
kill -9 "$pid" 2>/dev/null; killed=$?
wait "$pid" 2>/dev/null
assert_eq 0 "$killed" "the import was still running when killed (at $n records)"
assert_eq ok "$(sqlite3 "$DB" "PRAGMA integrity_check")" "integrity_check after SIGKILL"
partial=$(sqlite3 "$DB" "SELECT count(*) FROM vuln_source")
total=$(sqlite3 "$CLEAN" "SELECT count(*) FROM vuln_source")
assert_eq 1 "$([ "$partial" -lt "$total" ] && [ $((partial % 200)) -eq 0 ] && echo 1)" "whole batches only ($partial of $total)"
assert_eq 0 "$(sqlite3 "$DB" "SELECT count(*) FROM vuln v WHERE NOT EXISTS (SELECT 1 FROM vuln_source s WHERE s.vuln_id = v.id)")" "no vulnerability without its source"

keikai import --batch 200 "$FEED" >"$TMP/o2" 2>&1; rc=$?
assert_eq 0 "$rc" "the re-run finishes"
assert_contains "$(cat "$TMP/o2")" "$partial unchanged" "what was committed comes back unchanged"
for t in vuln vuln_source vuln_alias vuln_text vuln_cvss vuln_cwe vuln_cpe vuln_ref vuln_history; do
	assert_eq "$(sqlite3 "$CLEAN" "SELECT count(*) FROM $t")" "$(sqlite3 "$DB" "SELECT count(*) FROM $t")" "$t rows equal a clean import"
done
q="SELECT v.jvndb || ' ' || s.source_id FROM vuln v JOIN vuln_source s ON s.vuln_id = v.id ORDER BY 1"
assert_eq "$(sqlite3 "$CLEAN" "$q" | cksum)" "$(sqlite3 "$DB" "$q" | cksum)" "the same ids as a clean import"
done_testing

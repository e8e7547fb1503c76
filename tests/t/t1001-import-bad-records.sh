#!/bin/sh
# keikai import: a bad record is named (file, record id, JSON pointer,
# reason), skipped, and the rest is imported. Exit status 3 = finished with
# skips; 1 = no database; 2 = usage. An unreadable file does not stop a
# directory import.
. "$(dirname "$0")/lib.sh"
keikai import tests/data/import/y_osv_go.jsonl >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 1 "$rc" "no database: exit 1"
assert_contains "$(cat "$TMP/e")" "run 'keikai init' first" "no database: says how to fix"
keikai init >"$TMP/init.out" 2>&1 || { cat "$TMP/init.out"; exit 1; }
keikai import >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 2 "$rc" "no path: usage error"

# two good OSV records around a bad one (modified is not a date)
f=$TMP/mixed.jsonl
head -n 1 tests/data/import/y_osv_go.jsonl >"$f"
sed 's/"GO-2020-0001"/"GO-TEST-BAD"/' tests/data/import/n_osv_bad_date.json | tr -d '\n' >>"$f"
echo >>"$f"
tail -n 1 tests/data/import/y_osv_go.jsonl >>"$f"
keikai import "$f" >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 3 "$rc" "finished with a skipped record: exit 3"
assert_contains "$(cat "$TMP/e")" "$f: GO-TEST-BAD: /modified: 'yesterday' is not an ISO 8601 date" "names file, id, pointer, reason"
assert_contains "$(cat "$TMP/o")" "2 added" "the two good records are imported"
assert_contains "$(cat "$TMP/o")" "1 skipped" "one skipped"
assert_contains "$(cat "$TMP/o")" "skipped 1 x osv /modified: '..' is not an ISO 8601 date" "reasons grouped in the summary"
assert_eq 2 "$(sqlite3 "$DB" "SELECT count(*) FROM vuln_source")" "two records in the database"
assert_eq 0 "$(sqlite3 "$DB" "SELECT count(*) FROM vuln_alias WHERE alias = 'GO-TEST-BAD'")" "the bad one is not"

# --check validates without a database: same reports, same exit status, nothing written
"$KEIKAI" --db "$TMP/none.db" import --check "$f" >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 3 "$rc" "--check with a bad record: exit 3"
assert_contains "$(cat "$TMP/e")" "GO-TEST-BAD: /modified:" "--check names the bad record"
assert_contains "$(cat "$TMP/o")" "2 valid records" "--check counts the good ones"
assert_eq no "$([ -e "$TMP/none.db" ] && echo yes || echo no)" "--check opens no database"

# a directory with a broken file and a good one: the good one still goes in
mkdir "$TMP/d"
cp tests/data/import/n_json_truncated.json tests/data/import/n_nvd11_bad_vector.json tests/data/import/y_nvd11_feed_2018.json "$TMP/d/"
keikai import "$TMP/d" >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 3 "$rc" "directory with bad files: exit 3"
assert_contains "$(cat "$TMP/e")" "n_json_truncated.json: not JSON records: unexpected end of input" "truncated file named"
assert_contains "$(cat "$TMP/e")" "n_nvd11_bad_vector.json: CVE-2018-0015: /impact/baseMetricV3/cvssV3/vectorString:" "bad vector named by pointer"
assert_contains "$(cat "$TMP/o")" "3 added" "the good feed's three records imported"
assert_contains "$(cat "$TMP/o")" "1 unreadable" "the broken file counted"
assert_eq ok "$(sqlite3 "$DB" "PRAGMA integrity_check")" "integrity_check"
done_testing

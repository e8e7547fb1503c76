#!/bin/sh
# keikai import: the accepted corpus (CVE 5, NVD 1.1 feed, NVD API 2.0, OSV;
# plain, gzip, xz; .json and .jsonl) goes in; a second run changes nothing;
# any external id finds the record; counts checked with the sqlite3 CLI.
. "$(dirname "$0")/lib.sh"
keikai init >"$TMP/init.out" 2>&1 || { cat "$TMP/init.out"; exit 1; }
mkdir "$TMP/in"
cp tests/data/import/y_*.json* "$TMP/in/" # the JSON corpus (XML: t1003)
rm -f "$TMP/in"/y_jvn-products* "$TMP/in"/y_kev* # not records: dictionary lines and KEV entries (t1010, t1012)
sql() { sqlite3 "$DB" "$1"; }

keikai import "$TMP/in" >"$TMP/out1" 2>"$TMP/err1"; rc=$?
assert_eq 0 "$rc" "first import exits 0"
assert_eq "" "$(cat "$TMP/err1")" "no record was reported"
n=$(sql "SELECT count(*) FROM vuln_source")
read1=$(sed -n 's/^import: \([0-9]*\) records.*/\1/p' "$TMP/out1")
# the corpus has two records files twice (plain and compressed): their copies come back unchanged
assert_contains "$(cat "$TMP/out1")" ", 10 unchanged," "the compressed copies are recognised as the same records"
assert_eq "$read1" "$((n + 10))" "summary counts every record read"
assert_contains "$(cat "$TMP/out1")" " 0 skipped; 12 files" "every file read, nothing skipped"
# texts by the primary language subtag of their RFC 5646 tag: en-US and eng are en (RFC 5646 4.1)
assert_eq "de en es" "$(sql "SELECT group_concat(lang, ' ') FROM (SELECT DISTINCT lang FROM vuln_text ORDER BY lang)")" "text languages as stored"
assert_eq 1 "$([ "$n" -ge 20 ] && echo 1)" "at least 20 source records ($n)"
vulns=$(sql "SELECT count(*) FROM vuln")
cpes=$(sql "SELECT count(*) FROM vuln_cpe")
hist=$(sql "SELECT count(*) FROM vuln_history")

keikai import "$TMP/in" >"$TMP/out2" 2>"$TMP/err2"; rc=$?
assert_eq 0 "$rc" "second import exits 0"
assert_contains "$(cat "$TMP/out2")" ": 0 added, 0 merged into existing records, 0 updated, $read1 unchanged," "second run: all unchanged"
assert_eq "$vulns" "$(sql "SELECT count(*) FROM vuln")" "no new vulnerabilities"
assert_eq "$cpes" "$(sql "SELECT count(*) FROM vuln_cpe")" "no new CPE rows"
assert_eq "$hist" "$(sql "SELECT count(*) FROM vuln_history")" "no new history"

# ids: minted KKDB-YYYY-NNNNNN (never in JVN iPedia's JVNDB space), and the external ids find the same record
assert_eq 0 "$(sql "SELECT count(*) FROM vuln WHERE jvndb NOT GLOB 'KKDB-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]'")" "every id is KKDB-YYYY-NNNNNN"
go=$(sql "SELECT v.jvndb FROM vuln v JOIN vuln_alias a ON a.vuln_id = v.id WHERE a.alias = 'GO-2020-0001'")
assert_eq "$go" "$(sql "SELECT v.jvndb FROM vuln v JOIN vuln_alias a ON a.vuln_id = v.id WHERE a.alias = 'GHSA-6vm3-jj99-7229'")" "GHSA alias finds the GO record"
assert_eq "$go" "$(sql "SELECT v.jvndb FROM vuln v JOIN vuln_alias a ON a.vuln_id = v.id WHERE a.alias = 'CVE-2020-36567'")" "CVE alias finds it too (the Go CNA CVE 5 record merged into it)"
assert_eq 2 "$(sql "SELECT count(*) FROM vuln_source s JOIN vuln_alias a ON a.vuln_id = s.vuln_id WHERE a.alias = 'CVE-2020-36567'")" "two sources: OSV and CVE 5"

# a known record's fields: Log4Shell from the NVD API 2.0 response
assert_eq "3.1|CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H|10.0|4" \
	"$(sql "SELECT c.version, c.vector, c.score, c.severity FROM vuln_cvss c JOIN vuln_alias a ON a.vuln_id = c.vuln_id WHERE a.alias = 'CVE-2021-44228' AND c.scorer = 'nvd@nist.gov' AND c.version = '3.1'")" "Log4Shell CVSS 3.1"
assert_eq "10.0|4" "$(sql "SELECT v.score, v.severity FROM vuln v JOIN vuln_alias a ON a.vuln_id = v.id WHERE a.alias = 'CVE-2021-44228'")" "record score and severity"
assert_eq "2.0.1|2.3.1" "$(sql "SELECT start_incl, end_excl FROM vuln_cpe c JOIN vuln_alias a ON a.vuln_id = c.vuln_id WHERE a.alias = 'CVE-2021-44228' AND vendor = 'apache' AND product = 'log4j' AND start_incl = '2.0.1'")" "Log4j range"

# standard input, format named
keikai import --format osv - <tests/data/import/y_osv_rustsec_cvss.json >"$TMP/out3" 2>&1; rc=$?
assert_eq 0 "$rc" "stdin import exits 0"
assert_contains "$(cat "$TMP/out3")" "1 unchanged" "stdin: the same record is unchanged"
keikai import --format bogus x >"$TMP/out4" 2>&1; rc=$?
assert_eq 2 "$rc" "unknown format is a usage error"
assert_eq ok "$(sql "PRAGMA integrity_check")" "integrity_check"
done_testing

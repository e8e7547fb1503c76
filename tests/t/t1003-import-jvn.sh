#!/bin/sh
# keikai import of MyJVN XML: the real VULDEF 3.2 (getVulnDetailInfo, detail
# feeds) and JVNRSS 3.2 (getVulnOverviewList, JVNDB RSS feeds) examples go in
# with their own JVNDB ids; a second run changes nothing; the Japanese title
# is found by a two-character word, and the JVNDB id and the CVE id find the
# record through `keikai search` and the detail API. The published RSS feed
# example that is not well-formed is reported with its line:col.
. "$(dirname "$0")/lib.sh"
start_server
sql() { sqlite3 "$DB" "$1"; }
H=$KEIKAI_SHARED/data/jvn-myjvn-api/examples/hnd
V=$KEIKAI_SHARED/data/vuls-fixtures/jvn/feed
mkdir "$TMP/in"
cp "$H"/getVulnDetailInfo_hnd_*.xml "$H"/getVulnOverviewList_hnd.xml "$H"/dataFeed_jvndb_detail_hnd.xml "$TMP/in/"
for f in "$V"/rss/testdata/fixtures/*.rdf; do cp "$f" "$TMP/in/rss-$(basename "$f" .rdf).xml"; done
for f in "$V"/detail/testdata/fixtures/*.rdf; do cp "$f" "$TMP/in/detail-$(basename "$f" .rdf).xml"; done
xz -k "$TMP/in/rss-jvndb_2007.xml" && mv "$TMP/in/rss-jvndb_2007.xml.xz" "$TMP/in/copy-2007.xml.xz"

keikai import "$TMP/in" >"$TMP/out1" 2>"$TMP/err1"; rc=$?
assert_eq 0 "$rc" "first import exits 0"
assert_eq "" "$(cat "$TMP/err1")" "no record was reported"
assert_contains "$(cat "$TMP/out1")" " 0 skipped; 17 files" "every file read, nothing skipped"
read1=$(sed -n 's/^import: \([0-9]*\) records.*/\1/p' "$TMP/out1")
assert_eq 1 "$([ "$read1" -ge 25 ] && echo 1)" "at least 25 records read ($read1)"
assert_eq 0 "$(sql "SELECT count(*) FROM vuln WHERE jvndb NOT IN (SELECT source_id FROM vuln_source)")" "every record keeps the JVNDB id JVN gave it"
assert_eq 1 "$(sql "SELECT count(*) FROM vuln WHERE jvndb = 'JVNDB-2017-009608'")" "JVNDB-2017-009608 is a record id"
assert_eq 0 "$(sql "SELECT count(*) FROM vuln_id_serial")" "no id was minted (t1014 tests minting beside JVN ids)"
assert_eq "ja" "$(sql "SELECT DISTINCT lang FROM vuln_text")" "the Japanese examples give Japanese texts"
vulns=$(sql "SELECT count(*) FROM vuln")
cpes=$(sql "SELECT count(*) FROM vuln_cpe")
hist=$(sql "SELECT count(*) FROM vuln_history")

keikai import "$TMP/in" >"$TMP/out2" 2>"$TMP/err2"; rc=$?
assert_eq 0 "$rc" "second import exits 0"
# the feeds hold some records twice, in two versions: the older copy stays "older than stored"
older=$(sed -n 's/.* \([0-9]*\) older than stored.*/\1/p' "$TMP/out2")
assert_contains "$(cat "$TMP/out2")" ": 0 added, 0 merged into existing records, 0 updated, $((read1 - older)) unchanged," "second run: all unchanged"
assert_eq "$vulns" "$(sql "SELECT count(*) FROM vuln")" "no new vulnerabilities"
assert_eq "$cpes" "$(sql "SELECT count(*) FROM vuln_cpe")" "no new CPE rows"
assert_eq "$hist" "$(sql "SELECT count(*) FROM vuln_history")" "no new history"

# fields of a real record, as stored
assert_eq "3.0|CVSS:3.0/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N|4.7|2" \
	"$(sql "SELECT c.version, c.vector, c.score, c.severity FROM vuln_cvss c JOIN vuln v ON v.id = c.vuln_id JOIN vuln_source s ON s.id = c.src WHERE v.jvndb = 'JVNDB-2017-009608' AND s.source = 'jvn' AND c.version = '3.0'")" "CVSS 3.0 of JVNDB-2017-009608"
assert_eq "327" "$(sql "SELECT DISTINCT cwe FROM vuln_cwe c JOIN vuln v ON v.id = c.vuln_id WHERE v.jvndb = 'JVNDB-2017-009608'")" "its CWE"
assert_eq "cpe:2.3:h:pcu:pcu:*:*:*:*:*:*:*:*" "$(sql "SELECT DISTINCT cpe23 FROM vuln_cpe c JOIN vuln v ON v.id = c.vuln_id WHERE v.jvndb = 'JVNDB-2017-009608'")" "its CPE 2.2 URI as CPE 2.3"

# search: a two-character Japanese word of its title, its JVNDB id, its CVE id
keikai search --json 暗号 >"$TMP/s1" 2>&1
assert_eq "JVNDB-2017-009608" "$(jq -r '[.items[].id] | join(" ")' "$TMP/s1")" "暗号 finds the airbag record"
keikai search --json JVNDB-2017-009608 >"$TMP/s2" 2>&1
assert_eq "JVNDB-2017-009608" "$(jq -r '[.items[].id] | join(" ")' "$TMP/s2")" "its JVNDB id finds it"
keikai search --json CVE-2017-14937 >"$TMP/s3" 2>&1
assert_eq "JVNDB-2017-009608" "$(jq -r '[.items[].id] | join(" ")' "$TMP/s3")" "its CVE id finds it"
api GET /api/v1/vulns/CVE-2017-14937
assert_eq 200 "$STATUS" "detail by CVE id answers 200"
assert_contains "$BODY" "JVNDB-2017-009608" "detail by CVE id is the JVN record"
assert_contains "$BODY" "エアバッグコントロールユニット" "with its Japanese title"
api GET "/api/v1/vulns?q=%E8%AA%8D%E8%A8%BC"
assert_eq 200 "$STATUS" "search API answers 200"
want=$(sql "SELECT count(DISTINCT vuln_id) FROM vuln_text WHERE text LIKE '%認証%'")
assert_eq 1 "$([ "$want" -ge 1 ] && echo 1)" "some record speaks of 認証 ($want)"
assert_eq "$want" "$(printf '%s' "$BODY" | jq .total)" "認証 (two characters) finds every record whose text has it"

# the published RSS example that is not well-formed: good items in, the break named by line:col
keikai import "$H/dataFeed_jvndb_rss_hnd.xml" >"$TMP/out3" 2>"$TMP/err3"; rc=$?
assert_eq 3 "$rc" "a malformed document finishes with skips: exit 3"
assert_contains "$(cat "$TMP/err3")" "dataFeed_jvndb_rss_hnd.xml: #doc: 116:10: XML not well-formed" "names file and line:col"
# --format that does not match the document
keikai import --format jvnrss "$H/getVulnDetailInfo_hnd_JVNDB-2017-009608.xml" >"$TMP/out4" 2>"$TMP/err4"; rc=$?
assert_eq 3 "$rc" "a VULDEF document read as jvnrss is skipped"
assert_contains "$(cat "$TMP/err4")" "root element <VULDEF-Document> is not jvnrss" "says what the document is not"
keikai import --format jvn-vuldef tests/data/import/y_osv_rustsec_cvss.json >"$TMP/out5" 2>"$TMP/err5"; rc=$?
assert_eq 3 "$rc" "a JSON record read as jvn-vuldef is skipped"
assert_contains "$(cat "$TMP/err5")" "jvn-vuldef is an XML format but this record is JSON" "says why"
assert_eq ok "$(sql "PRAGMA integrity_check")" "integrity_check"
done_testing

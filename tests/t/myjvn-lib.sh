# tests/t/myjvn-lib.sh — sourced by t1200-*/t1210-* after lib.sh: the MyJVN XSDs (myjvn-xsd.sh) and
. "$(dirname "$0")/myjvn-xsd.sh"
# myjvn_import — the MyJVN examples (JVN iPedia records, Japanese) and the JSON record corpus
# (NVD, CVE 5, OSV; not the dictionary or KEV files) into $DB; H is the examples' directory.
# xp XPATH FILE — xmllint's answer, errors silenced.
H=$KEIKAI_SHARED/data/jvn-myjvn-api/examples/hnd
myjvn_import() {
	mkdir "$TMP/in"
	cp "$H"/getVulnDetailInfo_hnd_*.xml "$H"/getVulnOverviewList_hnd.xml "$H"/dataFeed_jvndb_detail_hnd.xml "$TMP/in/"
	cp tests/data/import/y_cve5_* tests/data/import/y_nvd* tests/data/import/y_osv_* "$TMP/in/"
	keikai import "$TMP/in" >"$TMP/import.out" 2>&1
	assert_contains "$(cat "$TMP/import.out")" " 0 skipped;" "the records import"
}
sql() { sqlite3 "$DB" "$1"; }
xp() { xmllint --xpath "$1" "$2" 2>/dev/null; }

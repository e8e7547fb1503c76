#!/bin/sh
# t1014 — every product question reads every row kind (issue 14): over the
# real NVD 2005 and 2017 records of 24 products (cut from ../shared/data with
# jq: ~860 records, ~1,650 products), vendor=V&product=P answers the same
# record set as cpe=cpe:2.3:*:V:P for 30 products (apache:struts,
# huawei:ar3200_firmware, oracle:solaris, oracle:jre and 26 others) through
# the API, and the /vulns page, the product feed, `keikai export` and MyJVN
# cpeName / vendorId agree. Exact versions compare by the version rules
# (safari 2.0.0 = 2.0, solaris 10 = 10.0, jre 1.6.0 = 1.6); CVE-2021-47186's
# ranges bounded by git commits hold no version (linux_kernel 3.0.10) but
# answer a commit query; Go's release tags (go1.20) name stdlib versions;
# サーバー and サーバ are one word. Schema 0024 brings an older database there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/myjvn-lib.sh"
start_server
sql() { sqlite3 "$DB" "$1"; }
DATA=${KEIKAI_SHARED:-$ROOT/../shared}/data
FEEDS=$DATA/nvd-json-1.1-feeds
mkdir "$TMP/in"
RE='apache:struts|huawei:ar3200_firmware|oracle:solaris|oracle:jre|apple:safari|oracle:jdk|php:php|openssl:openssl'
RE="$RE|apache:http_server|isc:bind|wordpress:wordpress|cisco:ios|adobe:flash_player|oracle:mysql|sun:solaris"
RE="$RE|huawei:s5700_firmware|drupal:drupal|mit:kerberos_5|samba:samba|postgresql:postgresql|apache:tomcat"
RE="$RE|ibm:websphere_application_server|wireshark:wireshark|sun:jre"
zcat "$FEEDS/nvdcve-1.1-2005.json.gz" "$FEEDS/nvdcve-1.1-2017.json.gz" |
	jq -c --arg re ":($RE):" '.CVE_Items[] | select([.. | .cpe23Uri? // empty | test($re)] | any)' >"$TMP/in/nvd.jsonl"
xz -dc "$DATA/cve5-vulnrichment/vulnrichment_cve5_records.jsonl.xz" | grep -F '"CVE-2021-47186"' >"$TMP/in/cve5.jsonl"
xz -dc "$DATA/osv-golang-vulndb/go_vulndb_osv.jsonl.xz" | grep -F '"name":"stdlib"' >"$TMP/in/go.jsonl"
keikai import "$TMP/in" >"$TMP/import.out" 2>&1
assert_contains "$(cat "$TMP/import.out")" "0 skipped" "the sample imports whole"
jvndb() { sql "SELECT v.jvndb FROM vuln v JOIN vuln_alias a ON a.vuln_id = v.id WHERE a.alias = '$1'"; }
ids() { printf '%s' "$BODY" | jq -r '[.items[].id] | sort | join(" ")'; }
q() { api GET "/api/v1/vulns?limit=1000&$1"; }
cpe_ids() { q "cpe=$1"; ids; }

# ---- vendor=/product= = cpe= for 30 products ----
# the four of the issue, and 26 others of the sample with plain names and exact-version rows, evenly spaced
sql "SELECT p.cpe_vendor || ':' || p.cpe_product FROM vuln_product p WHERE p.cpe_vendor IS NOT NULL AND
	p.cpe_vendor || p.cpe_product NOT GLOB '*[^a-z0-9_.-]*' AND EXISTS (SELECT 1 FROM vuln_affect_exact e
	WHERE e.product_id = p.id) AND (p.cpe_vendor || ':' || p.cpe_product) NOT IN ('apache:struts',
	'huawei:ar3200_firmware', 'oracle:solaris', 'oracle:jre') ORDER BY p.cpe_vendor, p.cpe_product" |
	awk '{ l[NR] = $0 } END { for (i = 0; i < 26; i++) print l[1 + int(i * NR / 26)] }' >"$TMP/products"
printf '%s\n' apache:struts huawei:ar3200_firmware oracle:solaris oracle:jre >>"$TMP/products"
assert_eq 30 "$(wc -l <"$TMP/products" | tr -d ' ')" "a sample of 30 products"
same=0 diffs=
while read -r vp; do
	ven=${vp%%:*} prod=${vp#*:} # (api() sets $p)
	q "vendor=$ven&product=$prod"
	a=$(ids)
	q "cpe=cpe:2.3:*:$ven:$prod"
	b=$(ids)
	if [ -n "$b" ] && [ "$a" = "$b" ]; then same=$((same + 1)); else diffs="$diffs $vp($(echo $a | wc -w)/$(echo $b | wc -w))"; fi
done <"$TMP/products"
assert_eq "30 " "$same $diffs" "vendor=&product= returns what cpe= returns, for every product of the sample"

STRUTS=$(cpe_ids "cpe:2.3:a:apache:struts")
assert_eq 10 "$(echo $STRUTS | wc -w | tr -d ' ')" "apache:struts: 10 records in the 2005 and 2017 feeds"
assert_eq 34 "$(cpe_ids "cpe:2.3:o:huawei:ar3200_firmware" | wc -w | tr -d ' ')" "huawei:ar3200_firmware: 34 records"
q "vendor=huawei&product=ar3200_firmware"
assert_eq 34 "$(printf '%s' "$BODY" | jq .total)" "huawei:ar3200_firmware by vendor= and product= (was 0)"
q "vendor=Apache&product=Struts"
assert_eq "$STRUTS" "$(ids)" "names in any case: Apache / Struts"
# the page, the product feed and the export
api GET "/vulns?vendor=apache&product=struts&limit=100"
assert_eq "$STRUTS" "$(printf '%s' "$BODY" | grep -oE '(JVNDB|KKDB)-[0-9]+-[0-9]+' | sort -u | tr '\n' ' ' | sed 's/ $//')" "/vulns?vendor=&product= lists the same records"
api GET "/feeds/product/apache/struts/new.atom?limit=500"
assert_eq "$STRUTS" "$(printf '%s' "$BODY" | grep -oE '(JVNDB|KKDB)-[0-9]+-[0-9]+' | sort -u | tr '\n' ' ' | sed 's/ $//')" "the product feed lists the same records"
api GET "/feeds/vendor/huawei/new.atom?limit=500"
q "vendor=huawei"
assert_eq "$(ids)" "$(printf '%s' "$BODY" | grep -oE '(JVNDB|KKDB)-[0-9]+-[0-9]+' | sort -u | tr '\n' ' ' | sed 's/ $//')" "the vendor feed lists what vendor= finds"
keikai export --format jsonl --vendor apache --product struts >"$TMP/export.jsonl" 2>/dev/null
assert_eq "$STRUTS" "$(jq -r .id "$TMP/export.jsonl" | sort | tr '\n' ' ' | sed 's/ $//')" "keikai export --vendor --product exports the same records"
ALL="rangeDatePublic=n&rangeDatePublished=n&rangeDateFirstPublished=n"
api GET "/myjvn?method=getVulnOverviewList&feed=hnd&$ALL&cpeName=cpe:/o:huawei:ar3200_firmware"
printf '%s' "$BODY" >"$TMP/a.xml"
assert_eq 34 "$(xp "string(//*[local-name()='Status']/@totalRes)" "$TMP/a.xml")" "MyJVN cpeName: every record of the product"

# ---- exact versions by the version rules ----
SAFARI=$(jvndb CVE-2005-2272)
assert_contains " $(cpe_ids "cpe:2.3:a:apple:safari:2.0.0") " " $SAFARI " "safari 2.0.0 finds CVE-2005-2272 (its row says 2.0)"
assert_eq "$(cpe_ids "cpe:2.3:a:apple:safari:2.0")" "$(cpe_ids "cpe:2.3:a:apple:safari:2.0.0")" "safari 2.0 = 2.0.0"
S10=$(cpe_ids "cpe:2.3:o:oracle:solaris:10")
assert_eq "$S10" "$(cpe_ids "cpe:2.3:o:oracle:solaris:10.0")" "solaris 10 = 10.0"
assert_contains "$S10" "KKDB" "solaris 10 has records"
J16=$(cpe_ids "cpe:2.3:a:oracle:jre:1.6.0")
assert_eq "$J16" "$(cpe_ids "cpe:2.3:a:oracle:jre:1.6")" "jre 1.6.0 = 1.6"
assert_eq "$J16" "$(cpe_ids "cpe:/a:oracle:jre:1.6.0.0")" "jre 1.6.0.0 (a 2.2 URI) = 1.6"
assert_eq "$(cpe_ids "cpe:2.3:a:oracle:jre:1.6.0:update_1")" "$(cpe_ids "cpe:2.3:a:oracle:jre:1.6:update_1")" "jre 1.6.0 update_1 = 1.6 update_1"

# ---- commits are not versions ----
K=$(jvndb CVE-2021-47186)
assert_not_contains " $(cpe_ids "cpe:2.3:o:linux:linux_kernel:3.0.10") " " $K " "linux_kernel 3.0.10 is not in 1da177e4c3f4 <= v < a7d91625863d"
assert_eq "$K" "$(cpe_ids "cpe:2.3:o:linux:linux_kernel:1da177e4c3f4")" "a commit query finds the ranges it introduces"
assert_eq "$K" "$(cpe_ids "cpe:2.3:o:linux:linux_kernel")" "without a version the record is the product's"
assert_eq "" "$(cpe_ids "cpe:2.3:o:linux:linux_kernel:a7d91625863d")" "the fixing commit is not affected"
# the NVD API's virtualMatchString ranges go by the same rules (affected.h kk_affect_range_meets)
nvd_ids() { api GET "/rest/json/cves/2.0?virtualMatchString=$1"; printf '%s' "$BODY" | jq -r '[.vulnerabilities[].cve.id] | sort | join(" ")'; }
assert_eq "" "$(nvd_ids "cpe:2.3:o:linux:linux_kernel&versionStart=3.0.10&versionStartType=including&versionEnd=3.0.10&versionEndType=including")" "NVD API: linux_kernel 3.0.10..3.0.10 meets no commit range"
assert_eq "" "$(nvd_ids "cpe:2.3:o:linux:linux_kernel&versionStart=1.0&versionStartType=including")" "NVD API: no commit range from 1.0 on"
assert_eq "" "$(nvd_ids "cpe:2.3:o:linux:linux_kernel&versionEnd=9.9&versionEndType=including")" "NVD API: nor up to 9.9"
assert_eq "CVE-2021-47186" "$(nvd_ids "cpe:2.3:o:linux:linux_kernel")" "NVD API: without a range the record is the product's"
assert_contains "$(nvd_ids "cpe:2.3:a:apple:safari&versionStart=2.0.0&versionStartType=including&versionEnd=2.0.0&versionEndType=including")" "CVE-2005-2272" "NVD API: safari 2.0.0..2.0.0 meets the row 2.0"

# ---- Go release tags ----
q "purl=pkg:golang/stdlib@v1.20.0"
G120=$(ids)
assert_contains "$G120" "KKDB" "stdlib v1.20.0 has records"
q "purl=pkg:golang/stdlib@go1.20"
assert_eq "200 $G120" "$STATUS $(ids)" "go1.20 = v1.20.0"
q "purl=pkg:golang/stdlib@v1.20.3"
G1203=$(ids)
q "purl=pkg:golang/stdlib@go1.20.3"
assert_eq "$G1203" "$(ids)" "go1.20.3 = v1.20.3"
q "purl=pkg:golang/stdlib@v1.21.0-rc.1"
R=$(ids)
q "purl=pkg:golang/stdlib@go1.21rc1"
assert_eq "$R" "$(ids)" "go1.21rc1 = v1.21.0-rc.1"
q "purl=pkg:golang/stdlib@go1.x"
assert_eq "400 purl" "$STATUS $(printf '%s' "$BODY" | jq -r .error.field)" "a bad Go tag is an error naming purl"
assert_contains "$(printf '%s' "$BODY" | jq -r .error.message)" "go1.21rc1" "the error shows the tag forms"

# ---- サーバー = サーバ ----
a=$(sql "SELECT vuln_id FROM vuln_alias WHERE alias = 'CVE-2017-5638'")
b=$(sql "SELECT vuln_id FROM vuln_alias WHERE alias = 'CVE-2017-9805'")
sql "INSERT INTO vuln_text (vuln_id, src, lang, kind, text) VALUES ($a, 0, 'ja', 'title', 'Apache Struts のサーバーにおける任意のコード実行の脆弱性')"
sql "INSERT INTO vuln_text (vuln_id, src, lang, kind, text) VALUES ($b, 0, 'ja', 'title', 'Web サーバ管理画面の脆弱性')"
keikai search --reindex >/dev/null 2>&1
BOTH=$(printf '%s\n' "$(jvndb CVE-2017-5638)" "$(jvndb CVE-2017-9805)" | sort | tr '\n' ' ' | sed 's/ $//')
q "q=%E3%82%B5%E3%83%BC%E3%83%90"
assert_eq "$BOTH" "$(ids)" "サーバ finds サーバー and サーバ"
q "q=%E3%82%B5%E3%83%BC%E3%83%90%E3%83%BC"
assert_eq "$BOTH" "$(ids)" "サーバー finds サーバー and サーバ"
q "q=%E3%82%B5%E3%83%BC%E3%83%90%E3%83%BC%E7%AE%A1%E7%90%86"
assert_eq "$(jvndb CVE-2017-9805)" "$(ids)" "サーバー管理 finds サーバ管理"
q "q=%E3%82%B5%E3%83%BC%E3%83%90%E3%81%AB%E3%81%8A%E3%81%91%E3%82%8B"
assert_eq "$(jvndb CVE-2017-5638)" "$(ids)" "サーバにおける finds サーバーにおける"

# ---- schema 0024 repairs a database written before it ----
# put back what the old code stored: a raw exact version, a commit range as a version range
sid=$(sql "SELECT id FROM vuln WHERE jvndb = '$SAFARI'")
sql "UPDATE vuln_affect_exact SET version = '2.0' WHERE vuln_id = $sid AND version = '2'"
sql "UPDATE vuln_affect SET kind = 0 WHERE kind = 3 AND lo = '1da177e4c3f4'"
sql "DELETE FROM schema_migrations WHERE version = 24"
kcli() { keikai search --json --limit 1000 "$@" 2>/dev/null | jq -r '[.items[].id] | sort | join(" ")'; }
assert_not_contains " $(kcli --cpe cpe:2.3:a:apple:safari:2.0.0) " " $SAFARI " "(the old state: 2.0.0 misses the raw 2.0 row)"
keikai init >"$TMP/init.out" 2>&1
assert_contains "$(cat "$TMP/init.out")" "applied migration 0024-version-keys" "keikai init applies 0024"
assert_contains "$(cat "$TMP/init.out")" "records indexed again" "and writes every search row again"
assert_contains " $(kcli --cpe cpe:2.3:a:apple:safari:2.0.0) " " $SAFARI " "after 0024: safari 2.0.0 finds the 2.0 row"
assert_not_contains " $(kcli --cpe cpe:2.3:o:linux:linux_kernel:3.0.10) " " $K " "after 0024: the commit range holds no version"
sql "SELECT rowid, ids, title, body, products FROM vuln_fts ORDER BY rowid" >"$TMP/fts-migrated.txt"
keikai search --reindex >/dev/null 2>&1
sql "SELECT rowid, ids, title, body, products FROM vuln_fts ORDER BY rowid" >"$TMP/fts-rebuilt.txt"
assert_eq "same" "$(cmp -s "$TMP/fts-migrated.txt" "$TMP/fts-rebuilt.txt" && echo same || echo differ)" "the migrated index = a rebuilt one"
done_testing

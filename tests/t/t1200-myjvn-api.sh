#!/bin/sh
# t1200 — the MyJVN-compatible API (GET/POST /myjvn, feed=hnd) over real
# data: the MyJVN examples (JVN iPedia records) and the NVD / CVE 5 / OSV
# corpus imported first. Every XML answer is validated with xmllint against
# the official XSDs of ../shared/data/jvn-myjvn-api/schemas/hnd (see
# myjvn-xsd.sh), its structure compared with the official examples, its
# numbers with the database (sqlite3); errors answer retCd=1 with keikai's
# errCd. The clock is pinned so that "the past week" (MyJVN's default range)
# is the first week of April 2025.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/myjvn-lib.sh"
export KEIKAI_TEST_NOW=2025-04-08T00:00:00Z
start_server
myjvn_import
ALL="rangeDatePublic=n&rangeDatePublished=n&rangeDateFirstPublished=n"
# my GET QUERY — the answer in $TMP/a.xml (STATUS, BODY as api sets them)
my() { api GET "/myjvn?$1"; printf '%s' "$BODY" >"$TMP/a.xml"; }
st() { xp "string(//*[local-name()='Status']/@$1)" "$TMP/a.xml"; }

# the prepared schemas accept the official examples and refuse a broken copy
for f in getVulnOverviewList_hnd; do validate "$H/$f.xml" jvnrss_3.2.xsd; assert_eq 0 $? "official $f validates"; done
for f in "$H"/getVulnDetailInfo_hnd_*.xml; do validate "$f" vuldef.xsd; assert_eq 0 $? "official $(basename "$f") validates"; done
for f in getStatistics_hnd_sumAll getStatistics_hnd_sumCvss getStatistics_hnd_sumCwe getStatistics_hnd_sumJvnDb getVendorList_hnd; do
	validate "$H/$f.xml" results.xsd; assert_eq 0 $? "official $f validates"
done
sed 's/retCd="0"//' "$H/getVulnOverviewList_hnd.xml" >"$TMP/broken.xml"
validate "$TMP/broken.xml" jvnrss_3.2.xsd >/dev/null; assert_eq 1 $? "a status without retCd does not validate"

# --- getVulnOverviewList ---
total=$(sql "SELECT count(*) FROM vuln WHERE withdrawn = 0") # rejected and withdrawn records are left out (t1017)
my "method=getVulnOverviewList&feed=hnd&$ALL&maxCountItem=1000"
assert_eq 200 "$STATUS" "overview answers 200"
assert_contains "$(header Content-Type)" "application/xml" "as XML"
validate "$TMP/a.xml" jvnrss_3.2.xsd; assert_eq 0 $? "overview validates against jvnrss_3.2.xsd"
assert_eq "0|$total|$total|1|1000|getVulnOverviewList|hnd" "$(st retCd)|$(st totalRes)|$(st totalResRet)|$(st firstRes)|$(st retMax)|$(st method)|$(st feed)" "status: every record, from 1"
n=$(xp "count(//*[local-name()='item'])" "$TMP/a.xml")
assert_eq "$total" "$n" "one item per record"
assert_eq "$n" "$(xp "count(//*[local-name()='channel']/*[local-name()='items']/*[local-name()='Seq']/*[local-name()='li'])" "$TMP/a.xml")" "the channel lists every item (rdf:Seq)"
# the structure of the official example: the same element names in the same order
shape() { xmllint --format "$1" | sed -n 's/^ *<\([a-zA-Z_:]*\).*/\1/p' | awk '!seen[$0]++' | tr '\n' ' '; }
assert_contains "$(shape "$TMP/a.xml")" "rdf:RDF channel title link description dc:date dcterms:issued dcterms:modified sec:handling marking:Marking marking:Marking_Structure items rdf:Seq rdf:li item dc:creator sec:identifier sec:references" "element order of the official answer"
assert_eq "$(shape "$H/getVulnOverviewList_hnd.xml")" "$(shape "$TMP/a.xml")" "same elements as the official example (dc:creator too)"
# JVNDB-2025-002953 as the official example states it
it="//*[local-name()='item'][*[local-name()='identifier']='JVNDB-2025-002953']"
for f in title description; do
	assert_eq "$(xp "string($it/*[local-name()='$f'])" "$H/getVulnOverviewList_hnd.xml")" "$(xp "string($it/*[local-name()='$f'])" "$TMP/a.xml")" "item $f as in the official example"
done
for a in score severity vector version type; do
	assert_eq "$(xp "string($it/*[local-name()='cvss']/@$a)" "$H/getVulnOverviewList_hnd.xml")" "$(xp "string($it/*[local-name()='cvss']/@$a)" "$TMP/a.xml")" "sec:cvss/@$a as in the official example"
done
assert_eq "cpe:/a:sunshinephotocart:sunshine_photo_cart" "$(xp "normalize-space($it/*[local-name()='cpe'])" "$TMP/a.xml")" "sec:cpe as a CPE 2.2 name"
assert_eq "2025-04-04T14:45:58+09:00|2025-04-04T14:45:58+09:00" "$(xp "string($it/*[local-name()='issued'])" "$TMP/a.xml")|$(xp "string($it/*[local-name()='modified'])" "$TMP/a.xml")" "dates in JST as JVN writes them"
assert_contains "$(xp "string($it/*[local-name()='references'][@source='CVE']/@id)" "$TMP/a.xml")" "CVE-2025-31084" "the CVE reference"
ids_all=$(xp "//*[local-name()='item']/*[local-name()='identifier']/text()" "$TMP/a.xml" | tr '\n' ' ')

# paging: startItem/maxCountItem give a window of the same order
my "method=getVulnOverviewList&feed=hnd&$ALL&startItem=3&maxCountItem=4"
assert_eq "4|3|$total" "$(st totalResRet)|$(st firstRes)|$(st totalRes)" "page 3..6"
assert_eq "$(echo "$ids_all" | cut -d' ' -f3-6)" "$(xp "//*[local-name()='item']/*[local-name()='identifier']/text()" "$TMP/a.xml" | tr '\n' ' ' | sed 's/ $//')" "the same records as items 3..6 of the whole list"
my "method=getVulnOverviewList&feed=hnd&$ALL&startItem=$((total + 1))"
validate "$TMP/a.xml" results.xsd; assert_eq 0 $? "past the end: a Result with the status only, valid"
assert_eq "0|0|$total" "$(st retCd)|$(st totalResRet)|$(st totalRes)" "past the end: no items"

# filters
my "method=getVulnOverviewList&feed=hnd&$ALL&keyword=%E6%9A%97%E5%8F%B7"
assert_eq "JVNDB-2017-009608|1" "$(xp "string(//*[local-name()='item']/*[local-name()='identifier'])" "$TMP/a.xml")|$(st totalRes)" "keyword 暗号 finds the airbag record"
crit=$(sql "SELECT count(*) FROM vuln WHERE severity = 4")
my "method=getVulnOverviewList&feed=hnd&$ALL&severity=c&maxCountItem=1000"
assert_eq "$crit" "$(st totalRes)" "severity=c: the $crit critical records"
LOG4J=$(sql "SELECT v.jvndb FROM vuln v JOIN vuln_alias a ON a.vuln_id = v.id WHERE a.alias = 'CVE-2021-44228'")
my "method=getVulnOverviewList&feed=hnd&$ALL&cpeName=cpe:/a:apache:log4j"
assert_contains "$(xp "//*[local-name()='identifier']/text()" "$TMP/a.xml")" "$LOG4J" "cpeName=cpe:/a:apache:log4j finds Log4Shell"
assert_eq "$(sql "SELECT count(DISTINCT vuln_id) FROM vuln_cpe WHERE vendor = 'apache' AND product = 'log4j'")" "$(st totalRes)" "cpeName: every record naming apache:log4j"
my "method=getVulnOverviewList&feed=hnd&$ALL&vector=CVSS:3.0/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N"
assert_contains "$(xp "//*[local-name()='identifier']/text()" "$TMP/a.xml")" "JVNDB-2017-009608" "vector finds the record with that vector"
my "method=getVulnOverviewList&feed=hnd&$ALL&lang=en&keyword=CVE-2021-44228"
assert_eq "en|CVE-2021-44228" "$(xp "string(/*/@*[local-name()='lang'])" "$TMP/a.xml")|$(xp "string(//*[local-name()='item']/*[local-name()='title'])" "$TMP/a.xml")" "lang=en: an English document; NVD's record has no title, its CVE id stands in"

# dates: Y/M/D parameters, the single ISO dates beside them, and MyJVN's default range
y2025=$(sql "SELECT count(*) FROM vuln WHERE public_date >= strftime('%s','2025-01-01') - 32400 AND public_date < strftime('%s','2026-01-01') - 32400")
my "method=getVulnOverviewList&feed=hnd&datePublicStartY=2025&datePublicEndY=2025&rangeDatePublished=n&rangeDateFirstPublished=n"
assert_eq "$y2025" "$(st totalRes)" "datePublicStartY/EndY=2025: the $y2025 records public in 2025 (JST)"
my "method=getVulnOverviewList&feed=hnd&datePublicStart=2025&datePublicEnd=2025-12-31&rangeDatePublished=n&rangeDateFirstPublished=n"
assert_eq "$y2025" "$(st totalRes)" "the same with ISO dates"
my "method=getVulnOverviewList&feed=hnd&datePublicStartY=2025&datePublicStartM=4&datePublicStartD=4&rangeDatePublished=n&rangeDateFirstPublished=n"
assert_eq "1|JVNDB-2025-002953" "$(st totalRes)|$(xp "string(//*[local-name()='identifier'])" "$TMP/a.xml")" "from 2025-04-04 (JST): one record"
my "method=getVulnOverviewList&feed=hnd"
assert_eq "2|JVNDB-2025-002953 JVNDB-2025-002884" "$(st totalRes)|$(xp "//*[local-name()='item']/*[local-name()='identifier']/text()" "$TMP/a.xml" | tr '\n' ' ' | sed 's/ $//')" "no range given: the past week (MyJVN's default)"

# POST with the parameters in the body; ft=json
api POST /myjvn --data "method=getVulnOverviewList&feed=hnd&$ALL&maxCountItem=2&ft=json"
assert_eq 200 "$STATUS" "POST answers 200"
assert_eq "2|0|$total|application/json" "$(printf '%s' "$BODY" | jq -r '"\(.feed.entry | length)|\(.status.retCd)|\(.status.totalRes)"')|$(header Content-Type)" "ft=json: entries and status"
assert_eq "$(echo "$ids_all" | cut -d' ' -f1-2)" "$(printf '%s' "$BODY" | jq -r '[.feed.entry[].id] | join(" ")')" "the JSON entries are the first two records"

# --- getVulnDetailInfo ---
my "method=getVulnDetailInfo&feed=hnd&vulnId=JVNDB-2017-009608"
assert_eq 200 "$STATUS" "detail answers 200"
validate "$TMP/a.xml" vuldef.xsd; assert_eq 0 $? "detail validates against vuldef_3.2 + mod_sec + status"
O=$H/getVulnDetailInfo_hnd_JVNDB-2017-009608.xml
for p in VulinfoID Title Overview DateFirstPublished DatePublic; do
	assert_eq "$(xp "normalize-space(//*[local-name()='$p'])" "$O")" "$(xp "normalize-space(//*[local-name()='$p'])" "$TMP/a.xml")" "$p as in the official example"
done
assert_eq "$(xp "normalize-space(//*[local-name()='Cvss'][@version='3.0']/*[local-name()='Vector'])" "$O")|$(xp "normalize-space(//*[local-name()='Cvss'][@version='3.0']/*[local-name()='Base'])" "$O")" \
	"$(xp "normalize-space(//*[local-name()='Cvss'][@version='3.0']/*[local-name()='Vector'])" "$TMP/a.xml")|$(xp "normalize-space(//*[local-name()='Cvss'][@version='3.0']/*[local-name()='Base'])" "$TMP/a.xml")" "CVSS 3.0 as in the official example"
assert_eq "$(xp "normalize-space(//*[local-name()='Cpe'])" "$O")" "$(xp "normalize-space(//*[local-name()='Cpe'])" "$TMP/a.xml")" "Cpe as in the official example"
assert_eq "0|1|1|10|JVNDB-2017-009608" "$(st retCd)|$(st totalRes)|$(st totalResRet)|$(st retMax)|$(st vulnId)" "detail status"
etag=$(header ETag)
assert_eq 1 "$([ -n "$etag" ] && [ -n "$(header Last-Modified)" ] && echo 1)" "detail has ETag and Last-Modified"
: >"$BODYF"
api GET "/myjvn?method=getVulnDetailInfo&feed=hnd&vulnId=JVNDB-2017-009608" -H "If-None-Match: $etag"
assert_eq "304|" "$STATUS|$BODY" "If-None-Match: 304 without a body"
api GET "/myjvn?method=getVulnDetailInfo&feed=hnd&vulnId=JVNDB-2017-009608" -H "If-Modified-Since: $(header Last-Modified)"
assert_eq 304 "$STATUS" "If-Modified-Since: 304"
my "method=getVulnDetailInfo&feed=hnd&vulnId=JVNDB-2017-009608+CVE-2021-44228+JVNDB-2099-999999&lang=en"
validate "$TMP/a.xml" vuldef.xsd; assert_eq 0 $? "two records (by JVNDB id and CVE id) validate"
assert_eq "2|2|2" "$(st totalRes)|$(st totalResRet)|$(xp "count(//*[local-name()='Vulinfo'])" "$TMP/a.xml")" "an unknown id is left out"
assert_eq "2.0 beta9" "$(xp "string(//*[local-name()='VersionNumber'][.='2.0 beta9'])" "$TMP/a.xml")" "exact versions with their update (cpe:...:log4j:2.0:beta9)"
my "method=getVulnDetailInfo&feed=hnd&vulnId=JVNDB-2099-999999"
validate "$TMP/a.xml" results.xsd; assert_eq 0 $? "nothing found: a valid Result with the status only"
assert_eq "0|0" "$(st retCd)|$(st totalRes)" "nothing found is not an error"
api GET "/myjvn?method=getVulnDetailInfo&feed=hnd&vulnId=JVNDB-2017-009608&ft=json"
assert_eq "JVNDB-2017-009608|CVE-2017-14937" "$(printf '%s' "$BODY" | jq -r '"\(.vulinfo[0].id)|\(.vulinfo[0].aliases | map(select(startswith("CVE"))) | .[0])"')" "detail as JSON"

# --- getStatistics ---
dated="(CASE WHEN public_date > 0 THEN public_date ELSE published END)"
my "method=getStatistics&feed=hnd&theme=sumJvnDb&type=y"
validate "$TMP/a.xml" results.xsd; assert_eq 0 $? "sumJvnDb validates"
sum=$(xp "//*[local-name()='resData']/@cntAll" "$TMP/a.xml" | tr -dc '0-9 \n' | tr ' ' '\n' | awk 'NF{s+=$1} END{print s}')
assert_eq "$(sql "SELECT count(*) FROM vuln WHERE withdrawn = 0 AND $dated > 0")" "$sum" "sumJvnDb counts every dated record once"
assert_eq "$(sql "SELECT count(*) FROM vuln WHERE withdrawn = 0 AND ($dated + 32400) >= CAST(strftime('%s','2021-01-01') AS INTEGER) AND ($dated + 32400) < CAST(strftime('%s','2022-01-01') AS INTEGER)")" \
	"$(xp "string(//*[local-name()='resData'][@date='2021']/@cntAll)" "$TMP/a.xml")" "2021's count (JST years)"
assert_eq "$(sql "SELECT count(*) FROM vuln WHERE withdrawn = 0")" "$(xp "string(//*[local-name()='resDataTotal']/@vulinfo)" "$TMP/a.xml")" "resDataTotal vulinfo"
assert_eq "Statistics Vulnerability Count" "$(xp "string(//*[local-name()='title'][@xml:lang='en-US'])" "$TMP/a.xml")" "titles as in the official example"
my "method=getStatistics&feed=hnd&theme=sumCvss&type=q&datePublicStartY=2025&datePublicEndY=2025"
validate "$TMP/a.xml" results.xsd; assert_eq 0 $? "sumCvss by quarter validates"
assert_eq "2025-1Q 2025-2Q 2025-3Q 2025-4Q" "$(xp "//*[local-name()='resData']/@date" "$TMP/a.xml" | tr '\n' ' ' | sed 's/ *date="\([^"]*\)"/\1 /g' | sed 's/ *$//')" "quarters as yyyy-nQ"
assert_eq "$(sql "SELECT count(*) FROM vuln WHERE withdrawn = 0 AND severity = 4 AND ($dated + 32400) >= CAST(strftime('%s','2025-01-01') AS INTEGER) AND ($dated + 32400) < CAST(strftime('%s','2025-04-01') AS INTEGER)")" \
	"$(xp "string(//*[local-name()='resData'][@date='2025-1Q']/@cntC)" "$TMP/a.xml")" "critical records of 2025 Q1"
my "method=getStatistics&feed=hnd&theme=sumCwe&cweId=CWE-502&type=m&datePublicStartY=2025&datePublicStartM=3&datePublicEndY=2025&datePublicEndM=4"
validate "$TMP/a.xml" results.xsd; assert_eq 0 $? "sumCwe by month validates"
assert_eq "CWE-502|2025-03 2025-04|2" "$(xp "string(//*[local-name()='sumCwe']/@cweId)" "$TMP/a.xml")|$(xp "//*[local-name()='resData']/@date" "$TMP/a.xml" | tr '\n' ' ' | sed 's/ *date="\([^"]*\)"/\1 /g' | sed 's/ *$//')|$(xp "string(//*[local-name()='resData'][@date='2025-04']/@cntAll)" "$TMP/a.xml")" "CWE-502 in April 2025: the two records"
my "method=getStatistics&feed=hnd&theme=sumAll&cweId=CWE-79&datePublicStartY=2020"
validate "$TMP/a.xml" results.xsd; assert_eq 0 $? "sumAll validates"
assert_eq 3 "$(xp "count(/*/*[starts-with(local-name(), 'sum')])" "$TMP/a.xml")" "sumAll: the three themes"
api GET "/myjvn?method=getStatistics&feed=hnd&theme=sumJvnDb&ft=json"
assert_eq "$sum" "$(printf '%s' "$BODY" | jq '[.sumJvnDb.resData[].cntAll] | add')" "statistics as JSON"

# --- getVendorList, getProductList: the MyJVN product dictionary's entries of two vendors of the
# official examples (東芝 170, 三菱電機 4499), from the real dictionary, plus the vendors of the records ---
zcat "$KEIKAI_SHARED/data/jvn-product-dictionary/jvn_product_dictionary.jsonl.gz" | grep -E '"vid":"(170|4499)"' >"$TMP/dict.jsonl"
keikai import --format jvn-products "$TMP/dict.jsonl" >"$TMP/dict.out" 2>&1
assert_contains "$(cat "$TMP/dict.out")" " 0 skipped;" "the dictionary entries import"
n4499=$(grep -c '"vid":"4499"' "$TMP/dict.jsonl")
my "method=getVendorList&feed=hnd&keyword=%E4%B8%89%E8%8F%B1%E9%9B%BB%E6%A9%9F"
validate "$TMP/a.xml" results.xsd; assert_eq 0 $? "getVendorList validates"
V="//*[local-name()='Vendor']"
assert_eq "4499|三菱電機|cpe:/:mitsubishielectric|1" "$(xp "string($V/@vid)" "$TMP/a.xml")|$(xp "string($V/@vname)" "$TMP/a.xml")|$(xp "string($V/@cpe)" "$TMP/a.xml")|$(st totalRes)" "三菱電機 as the official example names it (vid, vname, cpe)"
assert_eq "$(xp "string(//*[local-name()='VendorInfo']/@*[local-name()='lang'])" "$H/getVendorList_hnd.xml")" "$(xp "string(//*[local-name()='VendorInfo']/@*[local-name()='lang'])" "$TMP/a.xml")" "VendorInfo xml:lang"
my "method=getVendorList&feed=hnd&cpeName=cpe:/:toshiba"
assert_eq "170" "$(xp "string($V[@vname='東芝']/@vid)" "$TMP/a.xml")" "cpeName=cpe:/:toshiba lists 東芝 (vid 170)"
my "method=getVendorList&feed=hnd&cpeName=cpe:/:apache"
apache_vid=$(xp "string($V/@vid)" "$TMP/a.xml")
assert_eq 1 "$([ "${apache_vid:-0}" -gt 10000000000 ] && echo 1)" "a vendor known from the records only has keikai's id above 10^10 ($apache_vid)"
my "method=getProductList&feed=hnd&vendorId=4499"
validate "$TMP/a.xml" results.xsd; assert_eq 0 $? "getProductList validates"
assert_eq "$n4499|$n4499|1" "$(st totalRes)|$(st totalResRet)|$(xp "count($V)" "$TMP/a.xml")" "vendorId=4499: its $n4499 products under one Vendor"
same=0
for pid in $(xmllint --xpath "$V[@vid='4499']/*[local-name()='Product']/@pid" "$H/getProductList_hnd.xml" | tr -dc '0-9 ' ); do
	P="*[local-name()='Product'][@pid='$pid']"
	mine=$(xp "string(//$P/@pname)|string(//$P/@cpe)" "$TMP/a.xml")
	[ -z "$(xp "string(//$P/@cpe)" "$TMP/a.xml")" ] && continue # not in the 2025-02 dictionary snapshot
	assert_eq "$(xp "string(//$P/@pname)" "$H/getProductList_hnd.xml")|$(xp "string(//$P/@cpe)" "$H/getProductList_hnd.xml")" \
		"$(xp "string(//$P/@pname)" "$TMP/a.xml")|$(xp "string(//$P/@cpe)" "$TMP/a.xml")" "product $pid as in the official example"
	same=$((same + 1))
done
assert_eq 1 "$([ "$same" -ge 20 ] && echo 1)" "at least 20 products of the official example compared ($same)"
my "method=getProductList&feed=hnd&vendorId=4499&startItem=11&maxCountItem=5"
assert_eq "5|11|$n4499" "$(st totalResRet)|$(st firstRes)|$(st totalRes)" "getProductList paging"
my "method=getProductList&feed=hnd&productId=43039"
assert_eq "MELIPC シリーズ MI5000|cpe:/a:mitsubishielectric:melipc_series_mi5000|1" "$(xp "string(//*[local-name()='Product']/@pname)" "$TMP/a.xml")|$(xp "string(//*[local-name()='Product']/@cpe)" "$TMP/a.xml")|$(st totalRes)" "productId=43039"
my "method=getProductList&feed=hnd&cpeName=cpe:/a:mitsubishielectric:melipc_series_mi5000"
assert_eq "43039" "$(xp "string(//*[local-name()='Product']/@pid)" "$TMP/a.xml")" "cpeName of a product"
api GET "/myjvn?method=getProductList&feed=hnd&vendorId=4499&maxCountItem=2&ft=json"
assert_eq "4499|2|$n4499" "$(printf '%s' "$BODY" | jq -r '"\(.vendorInfo.vendor[0].vid)|\(.vendorInfo.vendor[0].products | length)|\(.status.totalRes)"')" "getProductList as JSON"
# the dictionary's ids as overview filters
my "method=getVulnOverviewList&feed=hnd&$ALL&cpeName=cpe:/a:apache"
by_cpe=$(st totalRes)
my "method=getVulnOverviewList&feed=hnd&$ALL&vendorId=$apache_vid"
assert_eq "$by_cpe" "$(st totalRes)" "vendorId of apache = cpeName=cpe:/a:apache ($by_cpe records)"
my "method=getVendorList&feed=hnd&keyword=no-such-vendor-anywhere"
validate "$TMP/a.xml" results.xsd; assert_eq 0 $? "no vendor found: a valid Result with the status only"
assert_eq "0|0" "$(st retCd)|$(st totalRes)" "no vendor found is not an error"

# --- errors: retCd=1, errCd, a message naming the parameter; valid XML ---
err() { # err QUERY ERRCD WORD DESCRIPTION
	my "$1"
	assert_eq "200|1|$2" "$STATUS|$(st retCd)|$(st errCd)" "$4: HTTP 200 (as MyJVN) retCd=1 errCd=$2"
	assert_contains "$(st errMsg)" "$3" "$4: the message names $3"
}
err "feed=hnd" E_METHOD method "no method"
err "method=getVulnList&feed=hnd" E_METHOD getVulnList "unknown method"
err "method=getvulnoverviewlist&feed=hnd" E_METHOD case-sensitive "method names are case-sensitive"
err "method=getVulnOverviewList" E_FEED feed "no feed"
err "method=getVulnOverviewList&feed=oka" E_FEED hnd "feed=oka"
err "method=getVulnOverviewList&feed=hnd&maxCountItem=1001" E_PARAM_INVALID maxCountItem "maxCountItem over 1,000"
err "method=getVulnOverviewList&feed=hnd&startItem=0" E_PARAM_INVALID startItem "startItem 0"
err "method=getVulnOverviewList&feed=hnd&severity=x" E_PARAM_INVALID severity "bad severity"
err "method=getVulnOverviewList&feed=hnd&rangeDatePublic=y" E_PARAM_INVALID rangeDatePublic "bad range"
err "method=getVulnOverviewList&feed=hnd&datePublicStartY=2025&datePublicStartM=13" E_PARAM_INVALID month "month 13"
err "method=getVulnOverviewList&feed=hnd&datePublicStartY=2025&datePublicStartM=2&datePublicStartD=30" E_PARAM_INVALID "no day 30" "February 30"
err "method=getVulnOverviewList&feed=hnd&datePublicStartM=2" E_PARAM_MISSING datePublicStartY "month without year"
err "method=getVulnOverviewList&feed=hnd&datePublicStart=2025-13" E_PARAM_INVALID datePublicStart "bad ISO date"
err "method=getVulnOverviewList&feed=hnd&cpeName=apache" E_PARAM_INVALID cpeName "cpeName not a CPE"
err "method=getVulnOverviewList&feed=hnd&lang=fr" E_PARAM_INVALID lang "lang=fr"
err "method=getVulnDetailInfo&feed=hnd" E_PARAM_MISSING vulnId "detail without vulnId"
err "method=getStatistics&feed=hnd" E_PARAM_MISSING theme "statistics without theme"
err "method=getStatistics&feed=hnd&theme=sumCwe" E_PARAM_MISSING cweId "sumCwe without cweId"
err "method=getStatistics&feed=hnd&theme=sumJvnDb&type=w" E_PARAM_INVALID type "type=w"
err "method=getProductList&feed=hnd&cpeName=cpe:/a" E_PARAM_INVALID cpeName "getProductList: a cpeName without a vendor"
err "method=getProductList&feed=hnd&vendorId=x" E_PARAM_INVALID vendorId "vendorId not a number"
err "method=getVendorList&feed=hnd&maxCountItem=10001" E_PARAM_INVALID maxCountItem "getVendorList: maxCountItem over 10,000"
err "method=getVulnOverviewList&feed=hnd&vendorId=999999999" E_PARAM_INVALID vendorId "a vendorId not in the dictionary"
my "method=getVulnOverviewList&feed=hnd&severity=x"
validate "$TMP/a.xml" results.xsd; assert_eq 0 $? "an error answer validates (Result + status:Status)"
api GET "/myjvn?method=getVulnOverviewList&feed=hnd&severity=x&ft=json"
assert_eq "1|E_PARAM_INVALID" "$(printf '%s' "$BODY" | jq -r '"\(.status.retCd)|\(.status.errCd)"')" "errors in JSON too"
done_testing

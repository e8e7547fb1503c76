#!/bin/sh
# t1202 — MyJVN as its documentation (../shared/data/jvn-myjvn-api/docs): several cpeName joined by
# '+', '*' wildcards, vendorId/productId lists and unknown ids as errors; totals equal to what
# paging returns, no row twice; every error answer valid against status_3.3.xsd (a bad value is
# not echoed into a typed attribute) with HTTP 200 as MyJVN; getAlertList answered from its table;
# dc:creator on overview items; statistics with product filters.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/myjvn-lib.sh"
export KEIKAI_TEST_NOW=2025-04-08T00:00:00Z
start_server
myjvn_import
ALL="rangeDatePublic=n&rangeDatePublished=n&rangeDateFirstPublished=n"
my() { api GET "/myjvn?$1"; printf '%s' "$BODY" >"$TMP/a.xml"; }
st() { xp "string(//*[local-name()='Status']/@$1)" "$TMP/a.xml"; }
ids() { xp "//*[local-name()='item']/*[local-name()='identifier']/text()" "$TMP/a.xml" | sort; }

# --- cpeName: several joined by '+' (as the URL's '+' and as %2B), wildcards ---
my "method=getVulnOverviewList&feed=hnd&$ALL&maxCountItem=1000&cpeName=cpe:/a:cisco"
ids >"$TMP/cisco"; ncisco=$(st totalRes)
my "method=getVulnOverviewList&feed=hnd&$ALL&maxCountItem=1000&cpeName=cpe:/o:siemens"
ids >"$TMP/siemens"
assert_eq 1 "$([ "$ncisco" -gt 0 ] && [ -s "$TMP/siemens" ] && echo 1)" "cisco ($ncisco) and siemens records exist"
union=$(sort -u "$TMP/cisco" "$TMP/siemens" | grep -c .)
my "method=getVulnOverviewList&feed=hnd&$ALL&maxCountItem=1000&cpeName=cpe:/a:cisco+cpe:/o:siemens"
assert_eq "0|$union" "$(st retCd)|$(st totalRes)" "two cpeName joined by '+': the union ($union records)"
assert_eq "$(sort -u "$TMP/cisco" "$TMP/siemens")" "$(ids)" "the same records"
my "method=getVulnOverviewList&feed=hnd&$ALL&maxCountItem=1000&cpeName=cpe:/a:cisco%2Bcpe:/o:siemens"
assert_eq "$union" "$(st totalRes)" "'+' encoded as %2B"
my "method=getVulnOverviewList&feed=hnd&$ALL&maxCountItem=1000&cpeName=cpe:/a:cisco:*"
assert_eq "$ncisco" "$(st totalRes)" "cpe:/a:cisco:* (documented wildcard) = cpe:/a:cisco"
my "method=getVulnOverviewList&feed=hnd&$ALL&maxCountItem=1000&cpeName=cpe:/*:CISCO"
assert_eq "$ncisco" "$(st totalRes)" "part '*' and upper case"
my "method=getVulnOverviewList&feed=hnd&$ALL&maxCountItem=1000&cpeName=cpe:/:cis*"
assert_eq 1 "$([ "$(st totalRes)" -ge "$ncisco" ] && echo 1)" "cpe:/:cis* finds at least cisco's ($(st totalRes))"
prod=$(sql "SELECT cpe_product FROM vuln_product WHERE cpe_vendor = 'cisco' AND part = 'a' ORDER BY cpe_product LIMIT 1")
my "method=getVulnOverviewList&feed=hnd&$ALL&maxCountItem=1000&cpeName=cpe:/a:cisco:$prod"
one=$(st totalRes)
pre=$(printf '%s' "$prod" | cut -c1-4)
my "method=getVulnOverviewList&feed=hnd&$ALL&maxCountItem=1000&cpeName=cpe:/a:cisco:$pre*"
assert_eq 1 "$([ "$one" -gt 0 ] && [ "$(st totalRes)" -ge "$one" ] && echo 1)" "a product wildcard cisco:$pre* covers cisco:$prod ($one)"
my "method=getVulnOverviewList&feed=hnd&$ALL&cpeName=cpe:/a:no-such-vendor-x*"
assert_eq "0|0" "$(st retCd)|$(st totalRes)" "a wildcard matching nothing: no records, no error"
my "method=getStatistics&feed=hnd&theme=sumJvnDb&cpeName=cpe:/a:cisco+cpe:/o:siemens"
sum=$(xp "//*[local-name()='resData']/@cntAll" "$TMP/a.xml" | tr -dc '0-9 \n' | tr ' ' '\n' | awk 'NF{s+=$1} END{print s+0}')
assert_eq "$union" "$sum" "getStatistics with two cpeName counts the same records"

# --- vendorId / productId ---
vid=$(sql "SELECT id + 10000000000 FROM vuln_vendor WHERE cpe_vendor = 'cisco' AND jvn_vid IS NULL LIMIT 1")
my "method=getVulnOverviewList&feed=hnd&$ALL&vendorId=$vid"
assert_eq "$ncisco" "$(st totalRes)" "vendorId of cisco = cpeName cpe:/a:cisco"
my "method=getProductList&feed=hnd&vendorId=999999999"
validate "$TMP/a.xml" results.xsd; assert_eq 0 $? "unknown vendorId: a valid error answer"
assert_eq "200|1|E_PARAM_INVALID" "$STATUS|$(st retCd)|$(st errCd)" "unknown vendorId is an error, not an empty list"
assert_contains "$(st errMsg)" "vendorId=999999999" "the message names it"
my "method=getProductList&feed=hnd&productId=999999999"
assert_eq "1|E_PARAM_INVALID" "$(st retCd)|$(st errCd)" "unknown productId is an error"
my "method=getProductList&feed=hnd&vendorId=$vid&cpeName=cpe:/a:cisco"
assert_eq "1|E_PARAM_INVALID" "$(st retCd)|$(st errCd)" "cpeName and vendorId together: one of them only, as documented"
vid2=$(sql "SELECT id + 10000000000 FROM vuln_vendor WHERE cpe_vendor = 'siemens' AND jvn_vid IS NULL LIMIT 1")
my "method=getProductList&feed=hnd&vendorId=$vid+$vid2"
np=$(sql "SELECT count(*) FROM vuln_product WHERE cpe_vendor IN ('cisco', 'siemens') AND cpe_product IS NOT NULL")
assert_eq "$np|2" "$(st totalRes)|$(xp "count(//*[local-name()='Vendor'])" "$TMP/a.xml")" "two vendorId joined by '+': both vendors' $np products"

# --- getVendorList / getProductList: totals equal what paging returns, no row twice ---
my "method=getVendorList&feed=hnd&cpeName=cpe:/:cisco+cpe:/:siemens"
assert_eq "2|cisco siemens" "$(st totalRes)|$(xp "//*[local-name()='Vendor']/@cpe" "$TMP/a.xml" | sed 's/.*cpe:\/://; s/"//g' | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')" "getVendorList with two cpeName (the documented example's form)"
walk() { # walk METHOD ELEMENT ATTR: every page of 7, startItem advanced by totalResRet
	: >"$TMP/rows"; start=1; total=-1; pages=0
	while :; do
		my "method=$1&feed=hnd&maxCountItem=7&startItem=$start"
		[ "$total" -lt 0 ] && total=$(st totalRes)
		got=$(st totalResRet); [ -z "$got" ] || [ "$got" -eq 0 ] && break
		xp "//*[local-name()='$2']/@$3" "$TMP/a.xml" | tr ' ' '\n' | grep . >>"$TMP/rows"
		start=$((start + got)); pages=$((pages + 1))
		[ "$pages" -gt 500 ] && break
	done
}
walk getVendorList Vendor vid
assert_eq "$total|$total" "$(grep -c . "$TMP/rows")|$(sort -u "$TMP/rows" | grep -c .)" "getVendorList: $total vendors, as many rows walked, none twice"
assert_eq "$(sql "SELECT count(*) FROM vuln_vendor WHERE cpe_vendor IS NOT NULL")" "$total" "totalRes counts only vendors it lists (package-only vendors have no CPE name)"
walk getProductList Product pid
assert_eq "$total|$total" "$(grep -c . "$TMP/rows")|$(sort -u "$TMP/rows" | grep -c .)" "getProductList: $total products, as many rows walked, none twice"
my "method=getProductList&feed=hnd&maxCountItem=1000"
assert_eq "$(xp "count(//*[local-name()='Vendor'])" "$TMP/a.xml")" "$(xp "//*[local-name()='Vendor']/@vid" "$TMP/a.xml" | tr ' ' '\n' | grep . | sort -u | grep -c .)" "each vendor once per page (products nested vendor by vendor)"

# --- errors: valid against status_3.3.xsd, HTTP 200 as MyJVN ---
for q in "method=getVulnList&feed=hnd" "method=getvulnoverviewlist&feed=hnd" "method=getVulnOverviewList&feed=oka" \
	"method=getStatistics&feed=hnd&theme=sumBad" "method=getVulnOverviewList&feed=hnd&ft=csv" \
	"method=getProductList&feed=hnd&vendorId=x" "method=getStatistics&feed=hnd&theme=sumJvnDb&pid=abc" \
	"method=getAlertList&feed=hnd&datePublished=abcd" "method=getProductList&feed=hnd&productId=1+x"; do
	my "$q"
	validate "$TMP/a.xml" results.xsd; assert_eq 0 $? "error answer of $q validates"
	assert_eq "200|1" "$STATUS|$(st retCd)" "$q: HTTP 200, retCd=1"
	assert_eq "|||" "$(st retMax)|$(st totalRes)|$(st totalResRet)|$(st firstRes)" "$q: counts empty on error"
done
my "method=getVulnList&feed=hnd"
assert_contains "$(st errMsg)" "getVulnList" "the unknown method is named in errMsg"

# --- getAlertList: an Atom feed from myjvn_alert; none yet, then one ---
my "method=getAlertList&feed=hnd"
validate "$TMP/a.xml" alert.xsd; assert_eq 0 $? "getAlertList validates against atom.xsd + mod_sec + status"
assert_eq "0|0|getAlertList|50" "$(st retCd)|$(st totalRes)|$(st method)|$(st retMax)" "no alerts: an empty list"
assert_eq "該当する脆弱性対策情報はありません。" "$(xp "string(//*[local-name()='entry']/*[local-name()='title'])" "$TMP/a.xml")" "MyJVN's 'nothing matched' entry"
sql "INSERT INTO myjvn_alert (alert_id, title, summary, link, category, published, updated) VALUES ('MYJVN-ALT-2025-0011', 'WordPress に関するソフトウェア更新情報', 'sum', 'https://wordpress.org/news/', 'Info', 1739325482, 1739325482)"
sql "INSERT INTO myjvn_alert_item (alert, item_id, title, link, cpe, cpe_vendor, cpe_product, published, updated) VALUES (1, 'MYJVN-ALT-2025-0011-0001', 'Download WordPress (6.7.2)', 'https://wordpress.org/download/', 'cpe:/a:wordpress:wordpress', 'wordpress', 'wordpress', 1739286000, 1739325482)"
my "method=getAlertList&feed=hnd&datePublished=2025"
validate "$TMP/a.xml" alert.xsd; assert_eq 0 $? "an alert validates"
assert_eq "1|MYJVN-ALT-2025-0011|MYJVN-ALT-2025-0011-0001|cpe:/a:wordpress:wordpress" "$(st totalRes)|$(xp "string(//*[local-name()='entry']/*[local-name()='id'])" "$TMP/a.xml")|$(xp "string(//*[local-name()='identifier'])" "$TMP/a.xml")|$(xp "string(//*[local-name()='item']/*[local-name()='cpe'])" "$TMP/a.xml")" "the alert and its item"
my "method=getAlertList&feed=hnd&cpeName=cpe:/a:wordpress:*"
assert_eq 1 "$(st totalRes)" "cpeName with a wildcard finds it"
my "method=getAlertList&feed=hnd&cpeName=cpe:/a:apache:*+cpe:/a:drupal:drupal"
assert_eq 0 "$(st totalRes)" "other products do not"
my "method=getAlertList&feed=hnd&datePublished=2024"
assert_eq 0 "$(st totalRes)" "datePublished=2024: not updated then"
api GET "/myjvn?method=getAlertList&feed=hnd&ft=json"
assert_eq "MYJVN-ALT-2025-0011|Info|0|json" "$(printf '%s' "$BODY" | jq -r '"\(.feed.entry[0].id)|\(.feed.entry[0].category.term)|\(.status.retCd)|\(.status.ft)"')" "getAlertList as JSON"

# --- overview items carry dc:creator, as the official example ---
my "method=getVulnOverviewList&feed=hnd&$ALL&maxCountItem=5"
assert_eq "5" "$(xp "count(//*[local-name()='item']/*[local-name()='creator'])" "$TMP/a.xml")" "every item has dc:creator"
done_testing

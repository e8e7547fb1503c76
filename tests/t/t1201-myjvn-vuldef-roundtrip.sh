#!/bin/sh
# t1201 — JVN record fidelity: a real VULDEF document imported and asked back with getVulnDetailInfo
# gives every value it had (tests/t/vuldef-diff.py compares element paths and values, whitespace,
# number and date forms canonicalized; the MyJVN envelope is not compared): the four official
# getVulnDetailInfo examples and the data feed of seven records — History, ImpactItem texts, the
# vendor and product display names (トレンドマイクロ, not trendmicro), free-text VersionNumber lines,
# the related items' names and ids, JVN's DatePublic. And dates come from the sources: no record's
# first publication is its import time or later than its last update.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/myjvn-lib.sh"
export KEIKAI_TEST_NOW=2025-04-08T00:00:00Z
start_server
myjvn_import
my() { api GET "/myjvn?$1"; printf '%s' "$BODY" >"$TMP/a.xml"; }

for f in "$H"/getVulnDetailInfo_hnd_*.xml; do
	id=$(basename "$f" .xml | sed 's/.*_hnd_//')
	my "method=getVulnDetailInfo&feed=hnd&vulnId=$id"
	validate "$TMP/a.xml" vuldef.xsd; assert_eq 0 $? "$id validates"
	out=$(python3 tests/t/vuldef-diff.py "$f" "$TMP/a.xml" "$id")
	assert_eq 0 $? "$id: every value of the official document comes back"
	printf '%s\n' "$out" | sed 's/^/# /' | tail -5
done
ids=$(xp "//*[local-name()='Vulinfo']/*[local-name()='VulinfoID']/text()" "$H/dataFeed_jvndb_detail_hnd.xml" | tr '\n' '+' | sed 's/+$//')
my "method=getVulnDetailInfo&feed=hnd&vulnId=$ids"
validate "$TMP/a.xml" vuldef.xsd; assert_eq 0 $? "the data feed's records validate"
out=$(python3 tests/t/vuldef-diff.py "$H/dataFeed_jvndb_detail_hnd.xml" "$TMP/a.xml")
assert_eq 0 $? "dataFeed_jvndb_detail_hnd: every value comes back ($(printf '%s' "$out" | tail -1))"

# the values the issue names, one by one
my "method=getVulnDetailInfo&feed=hnd&vulnId=JVNDB-2018-009328"
assert_eq "2018-11-14T00:00:00+09:00" "$(xp "string(//*[local-name()='DatePublic'])" "$TMP/a.xml")" "DatePublic is JVN's, not the first publication"
assert_eq "2" "$(xp "count(//*[local-name()='HistoryItem'])" "$TMP/a.xml")" "JVN's two history items"
assert_eq "想定される影響については、ベンダ情報をご確認ください。" "$(xp "string(//*[local-name()='ImpactItem']/*[local-name()='Description'])" "$TMP/a.xml")" "the impact text"
assert_eq "ベリタス|日立" "$(xp "string(//*[local-name()='AffectedItem'][1]/*[local-name()='Name'])" "$TMP/a.xml")|$(xp "string(//*[local-name()='AffectedItem'][2]/*[local-name()='Name'])" "$TMP/a.xml")" "vendor display names"
assert_eq "Hitachi Software Vulnerability Information|hitachi-sec-2018-133" "$(xp "string(//*[local-name()='RelatedItem'][*[local-name()='URL']='http://www.hitachi.co.jp/Prod/comp/soft1/global/security/info/vuls/hitachi-sec-2018-133/index.html']/*[local-name()='Name'])" "$TMP/a.xml")|$(xp "string(//*[local-name()='RelatedItem'][*[local-name()='URL']='http://www.hitachi.co.jp/Prod/comp/soft1/global/security/info/vuls/hitachi-sec-2018-133/index.html']/*[local-name()='VulinfoID'])" "$TMP/a.xml")" "related item name and id"
my "method=getVulnDetailInfo&feed=hnd&vulnId=JVNDB-2021-002774"
assert_contains "$(xp "//*[local-name()='VersionNumber']/text()" "$TMP/a.xml")" "for Windows 5.8 (Build 1575) 未満" "free-text version numbers"

# dates from the source: an NVD record's first publication is NVD's published date, never the import time
assert_eq 0 "$(sql "SELECT count(*) FROM vuln WHERE modified > 0 AND first_published > modified")" "no record first published after its last update"
assert_eq 0 "$(sql "SELECT count(*) FROM vuln WHERE first_published >= strftime('%s', '2025-04-08')")" "no record first published at the (pinned) import time"
CVE=$(sql "SELECT s.source_id FROM vuln_source s WHERE s.source = 'nvd' AND s.published > 0 ORDER BY s.source_id LIMIT 1")
pub=$(sql "SELECT published FROM vuln_source WHERE source = 'nvd' AND source_id = '$CVE'")
my "method=getVulnDetailInfo&feed=hnd&vulnId=$CVE"
first=$(xp "string(//*[local-name()='DateFirstPublished'])" "$TMP/a.xml")
assert_eq "$(TZ=Asia/Tokyo date -d "@$pub" +%Y-%m-%dT%H:%M:%S+09:00)" "$first" "$CVE: DateFirstPublished is NVD's published date"
done_testing

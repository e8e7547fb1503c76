#!/bin/sh
# t1210 — feeds of new and of updated records (RSS 1.0 JVNRSS 3.2 and Atom
# 1.0), overall and per vendor, product and CWE, in Japanese and English,
# over the MyJVN examples and the NVD/CVE 5/OSV corpus. Every RSS feed
# validates against jvnrss_3.2.xsd, every Atom feed against the Atom schema
# shipped with the MyJVN schemas; items are checked against the database;
# ETag / If-None-Match and Last-Modified / If-Modified-Since give 304 on the
# feeds and on the detail answers (/vulns/{id}, /api/v1/vulns/{id}); the
# /vulns pages link the feeds.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/myjvn-lib.sh"
start_server
myjvn_import
feed() { api GET "$1"; printf '%s' "$BODY" >"$TMP/f.xml"; }
rss_ids() { xp "//*[local-name()='item']/*[local-name()='identifier']/text()" "$TMP/f.xml" | tr '\n' ' ' | sed 's/ $//'; }
atom_ids() { xp "//*[local-name()='entry']/*[local-name()='id']/text()" "$TMP/f.xml" | sed 's/^urn:jvndb://' | tr '\n' ' ' | sed 's/ $//'; }
total=$(sql "SELECT count(*) FROM vuln WHERE withdrawn = 0") # feeds leave out rejected and withdrawn records (t1017)
newest=$(sql "SELECT group_concat(jvndb, ' ') FROM (SELECT jvndb FROM vuln WHERE withdrawn = 0 ORDER BY published DESC, id DESC LIMIT 5)")
updated=$(sql "SELECT group_concat(jvndb, ' ') FROM (SELECT jvndb FROM vuln WHERE withdrawn = 0 ORDER BY modified DESC, id DESC LIMIT 5)")

feed "/feeds/new.rdf?limit=5"
assert_eq 200 "$STATUS" "new.rdf answers 200"
assert_contains "$(header Content-Type)" "application/rdf+xml" "as RDF"
validate "$TMP/f.xml" jvnrss_3.2.xsd; assert_eq 0 $? "new.rdf validates against jvnrss_3.2.xsd"
assert_eq "$newest" "$(rss_ids)" "new.rdf: the five newest records, newest first"
assert_eq 5 "$(xp "count(//*[local-name()='Seq']/*[local-name()='li'])" "$TMP/f.xml")" "the channel lists the five items"
assert_eq "ja" "$(xp "string(/*/@*[local-name()='lang'])" "$TMP/f.xml")" "Japanese by default"
assert_eq "keikai: 新着の脆弱性対策情報" "$(xp "string(//*[local-name()='channel']/*[local-name()='title'])" "$TMP/f.xml")" "Japanese title"
assert_eq 0 "$(xp "count(//*[local-name()='Status'])" "$TMP/f.xml")" "a feed carries no MyJVN status"
feed "/feeds/new.rdf"
assert_eq "$([ "$total" -lt 50 ] && echo "$total" || echo 50)" "$(xp "count(//*[local-name()='item'])" "$TMP/f.xml")" "50 items by default (or every record)"

feed "/feeds/updated.rdf?lang=en&limit=5"
validate "$TMP/f.xml" jvnrss_3.2.xsd; assert_eq 0 $? "updated.rdf (en) validates"
assert_eq "$updated" "$(rss_ids)" "updated.rdf: the five last modified, newest first"
assert_eq "en|keikai: Updated vulnerabilities" "$(xp "string(/*/@*[local-name()='lang'])" "$TMP/f.xml")|$(xp "string(//*[local-name()='channel']/*[local-name()='title'])" "$TMP/f.xml")" "English document and title"
first=$(echo "$updated" | cut -d' ' -f1)
assert_eq "$(sql "SELECT strftime('%Y-%m-%dT%H:%M:%S+09:00', modified + 32400, 'unixepoch') FROM vuln WHERE jvndb = '$first'")" \
	"$(xp "string(//*[local-name()='channel']/*[local-name()='date'])" "$TMP/f.xml")" "the channel's date is the newest modification (JST)"

feed "/feeds/new.atom?limit=5"
assert_contains "$(header Content-Type)" "application/atom+xml" "Atom content type"
validate "$TMP/f.xml" atomw.xsd; assert_eq 0 $? "new.atom validates against the Atom schema"
assert_eq "$newest" "$(atom_ids)" "new.atom: the same five records"
for e in id title updated author link; do
	assert_eq 1 "$(xp "count(/*[local-name()='feed']/*[local-name()='$e'][1])" "$TMP/f.xml")" "atom:feed has $e"
done
assert_eq 5 "$(xp "count(//*[local-name()='entry'][*[local-name()='id'] and *[local-name()='title'] and *[local-name()='updated'] and *[local-name()='link'][@rel='alternate']])" "$TMP/f.xml")" "every entry has id, title, updated and an alternate link"
feed "/feeds/updated.atom?lang=en&limit=5"
validate "$TMP/f.xml" atomw.xsd; assert_eq 0 $? "updated.atom validates"
assert_eq "$updated" "$(atom_ids)" "updated.atom: the same order as updated.rdf"

# per vendor, product and CWE
LOG4J=$(sql "SELECT v.jvndb FROM vuln v JOIN vuln_alias a ON a.vuln_id = v.id WHERE a.alias = 'CVE-2021-44228'")
napache=$(sql "SELECT count(DISTINCT vuln_id) FROM vuln_cpe WHERE vendor = 'apache'")
feed "/feeds/vendor/apache/new.rdf?limit=500"
validate "$TMP/f.xml" jvnrss_3.2.xsd; assert_eq 0 $? "vendor feed validates"
assert_eq "$napache" "$(xp "count(//*[local-name()='item'])" "$TMP/f.xml")" "vendor apache: its $napache records"
assert_contains "$(rss_ids)" "$LOG4J" "with Log4Shell"
assert_contains "$(xp "string(//*[local-name()='channel']/*[local-name()='title'])" "$TMP/f.xml")" "apache" "the title names the vendor"
feed "/feeds/product/apache/log4j/updated.atom"
validate "$TMP/f.xml" atomw.xsd; assert_eq 0 $? "product feed validates"
assert_eq "$(sql "SELECT count(DISTINCT vuln_id) FROM vuln_cpe WHERE vendor = 'apache' AND product = 'log4j'")" "$(xp "count(//*[local-name()='entry'])" "$TMP/f.xml")" "product apache:log4j: its records"
feed "/feeds/vendor/no-such-vendor/new.rdf"
validate "$TMP/f.xml" jvnrss_3.2.xsd; assert_eq 0 $? "an empty feed is valid"
assert_eq "200|0" "$STATUS|$(xp "count(//*[local-name()='item'])" "$TMP/f.xml")" "a vendor without records: an empty feed"
n502=$(sql "SELECT count(DISTINCT vuln_id) FROM vuln_cwe WHERE cwe = 502")
feed "/feeds/cwe/CWE-502/new.rdf?lang=en"
validate "$TMP/f.xml" jvnrss_3.2.xsd; assert_eq 0 $? "CWE feed validates"
assert_eq "$n502" "$(xp "count(//*[local-name()='item'])" "$TMP/f.xml")" "CWE-502: its $n502 records"
feed "/feeds/cwe/502/new.rdf?lang=en"
assert_eq "$n502" "$(xp "count(//*[local-name()='item'])" "$TMP/f.xml")" "/feeds/cwe/502 is the same feed"

# caching: ETag / If-None-Match, Last-Modified / If-Modified-Since
feed "/feeds/new.rdf?limit=5"
etag=$(header ETag); lm=$(header Last-Modified)
assert_eq 1 "$([ -n "$etag" ] && [ -n "$lm" ] && echo 1)" "feed has ETag and Last-Modified"
assert_eq "public, max-age=300" "$(header Cache-Control)" "cacheable"
feed "/feeds/new.rdf?limit=5"
assert_eq "$etag" "$(header ETag)" "the same feed, the same ETag"
: >"$BODYF"
api GET "/feeds/new.rdf?limit=5" -H "If-None-Match: $etag"
assert_eq "304|" "$STATUS|$BODY" "If-None-Match: 304 without a body"
api GET "/feeds/new.rdf?limit=5" -H "If-Modified-Since: $lm"
assert_eq 304 "$STATUS" "If-Modified-Since the feed's date: 304"
api GET "/feeds/new.rdf?limit=5" -H "If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT"
assert_eq 200 "$STATUS" "If-Modified-Since an older date: 200"
api GET "/feeds/new.rdf?limit=5" -H 'If-None-Match: "0000000000000000"'
assert_eq 200 "$STATUS" "another ETag: 200"
api GET "/feeds/new.rdf?limit=5&lang=en" -H "If-None-Match: $etag"
assert_eq 200 "$STATUS" "the English feed is another document"
# a record changes: the feed of updated records changes its ETag
feed "/feeds/updated.rdf"
etag_u=$(header ETag)
sed -e 's/2017-11-16T15:06:40+09:00<\/DateLastUpdated>/2026-11-02T10:00:00+09:00<\/DateLastUpdated>/' \
	"$H/getVulnDetailInfo_hnd_JVNDB-2017-009608.xml" >"$TMP/upd.xml"
grep -q '2026-11-02T10:00:00' "$TMP/upd.xml" || fail "the test's update did not apply to the example"
keikai import "$TMP/upd.xml" >"$TMP/import2.out" 2>&1
assert_contains "$(cat "$TMP/import2.out")" "1 updated" "the changed record imports as an update"
feed "/feeds/updated.rdf"
assert_eq 1 "$([ "$etag_u" != "$(header ETag)" ] && echo 1)" "after the update the ETag changes"
assert_eq "JVNDB-2017-009608" "$(rss_ids | cut -d' ' -f1)" "the updated record comes first"
assert_eq "Mon, 02 Nov 2026 01:00:00 GMT" "$(header Last-Modified)" "Last-Modified is its new modification time"

# detail answers
api GET /api/v1/vulns/JVNDB-2017-009608
etag_d=$(header ETag)
assert_eq "Mon, 02 Nov 2026 01:00:00 GMT" "$(header Last-Modified)" "/api/v1/vulns/{id} has Last-Modified"
api GET /api/v1/vulns/JVNDB-2017-009608 -H "If-None-Match: $etag_d"
assert_eq 304 "$STATUS" "/api/v1/vulns/{id}: If-None-Match gives 304"
api GET /api/v1/vulns/JVNDB-2017-009608 -H "If-Modified-Since: Mon, 02 Nov 2026 01:00:00 GMT"
assert_eq 304 "$STATUS" "/api/v1/vulns/{id}: If-Modified-Since gives 304"
api GET /api/v1/vulns/JVNDB-2017-009608 -H "If-Modified-Since: Sun, 01 Nov 2026 01:00:00 GMT"
assert_eq 200 "$STATUS" "/api/v1/vulns/{id}: changed since: 200"
api GET /vulns/JVNDB-2017-009608
etag_p=$(header ETag)
assert_eq "200|Mon, 02 Nov 2026 01:00:00 GMT" "$STATUS|$(header Last-Modified)" "/vulns/{id} has Last-Modified"
api GET /vulns/JVNDB-2017-009608 -H "If-None-Match: $etag_p"
assert_eq 304 "$STATUS" "/vulns/{id}: If-None-Match gives 304"
api GET /vulns/JVNDB-2017-009608 -H "If-Modified-Since: Mon, 02 Nov 2026 01:00:00 GMT"
assert_eq 304 "$STATUS" "/vulns/{id}: If-Modified-Since gives 304"

# the pages link the feeds
api GET "/vulns?lang=en"
assert_contains "$BODY" '<link rel="alternate" type="application/rss+xml"' "the search page links the RSS feed"
assert_contains "$BODY" 'href="/feeds/updated.atom?lang=en"' "and the Atom feed of updates in its language"

# errors
api GET /feeds/old.rdf
assert_eq 404 "$STATUS" "an unknown feed file: 404"
api GET "/feeds/new.rdf?lang=fr"
assert_eq 400 "$STATUS" "lang=fr: 400"
api GET "/feeds/new.rdf?limit=501"
assert_eq 400 "$STATUS" "limit over 500: 400"
api GET /feeds/cwe/abc/new.rdf
assert_eq 400 "$STATUS" "a CWE that is not a number: 400"
done_testing

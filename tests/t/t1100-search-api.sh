#!/bin/sh
# t1100 — search over real imported records (tests/data/import/y_*: NVD,
# CVE 5, OSV) through GET /api/v1/vulns, /api/v1/vulns/{id}, the /vulns pages
# and `keikai search`. The importers carry no Japanese text yet, so a
# Japanese title is written into vuln_text with the sqlite3 CLI and the index
# rebuilt with `keikai search --reindex`.
. "$(dirname "$0")/lib.sh"
start_server
sql() { sqlite3 "$DB" "$1"; }
mkdir "$TMP/in"
cp tests/data/import/y_*.json* "$TMP/in/" # the JSON corpus (XML: t1003)
keikai import "$TMP/in" >"$TMP/import.out" 2>&1
n=$(sql "SELECT count(*) FROM vuln")
live=$(sql "SELECT count(*) FROM vuln WHERE withdrawn = 0") # lists leave out rejected and withdrawn records (t1017)
# new records are indexed in their own transaction, records that joined or changed after it
assert_contains "$(cat "$TMP/import.out")" "records indexed" "import reports the indexing"
assert_eq "$n $n" "$(sql "SELECT count(*) FROM vuln_fts") $(sql "SELECT count(*) FROM vuln_search_state s JOIN vuln v ON v.id = s.vuln_id")" \
	"import indexes every record it added"
# what the import wrote from the parsed records is what a rebuild writes from the stored rows
sql "SELECT rowid, ids, title, body, products FROM vuln_fts ORDER BY rowid" >"$TMP/fts-import.txt"
keikai search --reindex >/dev/null 2>&1
sql "SELECT rowid, ids, title, body, products FROM vuln_fts ORDER BY rowid" >"$TMP/fts-rebuilt.txt"
assert_eq "same" "$(cmp -s "$TMP/fts-import.txt" "$TMP/fts-rebuilt.txt" && echo same || diff "$TMP/fts-import.txt" "$TMP/fts-rebuilt.txt" | head -5)" \
	"index rows of the import = index rows rebuilt from the database"
keikai import "$TMP/in" >"$TMP/import2.out" 2>&1
assert_not_contains "$(cat "$TMP/import2.out")" "records indexed" "a second import of the same data indexes nothing"
jvndb() { sql "SELECT v.jvndb FROM vuln v JOIN vuln_alias a ON a.vuln_id = v.id WHERE a.alias = '$1'"; }
LOG4J=$(jvndb CVE-2021-44228)
EDGE1=$(jvndb CVE-2023-36014)
EDGE2=$(jvndb CVE-2023-36024)
ids() { printf '%s' "$BODY" | jq -r '[.items[].id] | sort | join(" ")'; }

api GET "/api/v1/vulns?q=apache"
assert_eq 200 "$STATUS" "search answers 200"
assert_eq "$LOG4J" "$(ids)" "apache finds Log4Shell"
assert_eq "1 CVE-2021-44228 10 critical" "$(printf '%s' "$BODY" | jq -r '"\(.total) \(.items[0].aliases[0]) \(.items[0].score) \(.items[0].severity)"')" "item fields"
api GET "/api/v1/vulns?q=microsoft+edge"
assert_eq "$(printf '%s\n' "$EDGE1" "$EDGE2" | sort | tr '\n' ' ' | sed 's/ $//')" "$(ids)" "two words: both Edge records"
api GET "/api/v1/vulns?q=%EF%BC%AD%EF%BD%89%EF%BD%83%EF%BD%92%EF%BD%8F%EF%BD%93%EF%BD%8F%EF%BD%86%EF%BD%94+edge+-elevation"
assert_eq "$EDGE1" "$(ids)" "full-width Ｍｉｃｒｏｓｏｆｔ, and -elevation excludes one"
api GET "/api/v1/vulns?q=%22edge+microsoft%22"
assert_eq "0" "$(printf '%s' "$BODY" | jq .total)" "a phrase in the wrong order finds nothing"
api GET "/api/v1/vulns?q=CVE-2020-36567"
assert_eq "$(jvndb GO-2020-0001)" "$(ids)" "an alias is a search term"

# filters and facets against the database
crit=$(sql "SELECT count(*) FROM vuln WHERE severity = 4")
api GET "/api/v1/vulns?severity=critical&limit=1000"
assert_eq "$crit" "$(printf '%s' "$BODY" | jq '.total, (.items | length)' | sort -u)" "severity=critical: $crit records"
assert_eq "$crit" "$(printf '%s' "$BODY" | jq '.facets.severity.critical')" "severity facet"
api GET "/api/v1/vulns?limit=1"
assert_eq "$live" "$(printf '%s' "$BODY" | jq '[.facets.severity[]] | add')" "severity facets add up to all live records"
assert_eq "$(sql "SELECT count(*) FROM vuln WHERE published >= 1672531200 AND published < 1704067200")" \
	"$(printf '%s' "$BODY" | jq '.facets.year["2023"]')" "year facet 2023"
assert_eq "$(sql "SELECT group_concat(y || '=' || n, ' ') FROM (SELECT CASE WHEN published > 0 THEN strftime('%Y', published, 'unixepoch') ELSE 'unknown' END AS y, count(*) AS n FROM vuln WHERE withdrawn = 0 GROUP BY 1 ORDER BY 1)")" \
	"$(printf '%s' "$BODY" | jq -r '.facets.year | to_entries | map("\(.key)=\(.value)") | sort | join(" ")')" "every year facet"
api GET "/api/v1/vulns?published_from=2023-01-01&published_to=2023-12-31&score_min=9"
assert_eq "$(sql "SELECT group_concat(jvndb, ' ') FROM (SELECT jvndb FROM vuln WHERE published >= 1672531200 AND published < 1704067200 AND score >= 9 ORDER BY jvndb)")" "$(ids)" "dates and score_min"
api GET "/api/v1/vulns?cwe=502"
assert_eq "$(sql "SELECT group_concat(jvndb, ' ') FROM (SELECT DISTINCT v.jvndb FROM vuln v JOIN vuln_cwe c ON c.vuln_id = v.id WHERE c.cwe = 502 ORDER BY 1)")" "$(ids)" "cwe=502"
api GET "/api/v1/vulns?vendor=apache&product=log4j"
assert_eq "$LOG4J" "$(ids)" "vendor and product"
api GET "/api/v1/vulns?source=osv&cvss=3.1"
assert_eq "$(sql "SELECT group_concat(jvndb, ' ') FROM (SELECT DISTINCT v.jvndb FROM vuln v JOIN vuln_source s ON s.vuln_id = v.id JOIN vuln_cvss c ON c.vuln_id = v.id WHERE s.source = 'osv' AND c.version = '3.1' ORDER BY 1)")" "$(ids)" "source and cvss version"

api GET "/api/v1/vulns?vector=AV:N/PR:N&limit=1000"
assert_eq "$(sql "SELECT count(DISTINCT vuln_id) FROM vuln_cvss WHERE '/' || vector || '/' LIKE '%/AV:N/%' AND '/' || vector || '/' LIKE '%/PR:N/%'")" "$(printf '%s' "$BODY" | jq .total)" "vector=AV:N/PR:N"
api GET "/api/v1/vulns?vector=AV:N%25"
assert_eq "400 vector" "$STATUS $(printf '%s' "$BODY" | jq -r .error.field)" "a vector with a wildcard is refused"
api GET "/api/v1/vulns?public_from=2023-11-10&public_to=2023-11-10"
assert_eq "$(sql "SELECT count(*) FROM vuln WHERE public_date >= 1699574400 AND public_date < 1699660800")" "$(printf '%s' "$BODY" | jq .total)" "public_from/public_to (one day)"

# cursor paging: every record once, in score order
cursor= seen= pages=0
while :; do
	api GET "/api/v1/vulns?sort=score&limit=3${cursor:+&cursor=$cursor}"
	[ "$STATUS" = 200 ] || { fail "page $pages: $STATUS $BODY"; break; }
	seen="$seen $(printf '%s' "$BODY" | jq -r '.items[].id' | tr '\n' ' ')"
	cursor=$(printf '%s' "$BODY" | jq -r '.next_cursor // empty')
	pages=$((pages + 1))
	[ -n "$cursor" ] && [ $pages -lt 50 ] || break
done
assert_eq "$live" "$(printf '%s\n' $seen | sort -u | wc -l | tr -d ' ')" "paging visits every live record"
assert_eq "$live" "$(printf '%s\n' $seen | wc -l | tr -d ' ')" "... exactly once"
assert_eq "$LOG4J" "$(printf '%s\n' $seen | head -1)" "highest score first"

# bad parameters
api GET "/api/v1/vulns?severity=bogus"
assert_eq "400 severity" "$STATUS $(printf '%s' "$BODY" | jq -r .error.field)" "bad severity"
api GET "/api/v1/vulns?limit=1001"
assert_eq "400 limit" "$STATUS $(printf '%s' "$BODY" | jq -r .error.field)" "limit over 1000"
api GET "/api/v1/vulns?cursor=00ff"
assert_eq "400 cursor" "$STATUS $(printf '%s' "$BODY" | jq -r .error.field)" "forged cursor"

# one record: by CVE id, by JVNDB id, 304, 404
api GET /api/v1/vulns/CVE-2021-44228
assert_eq 200 "$STATUS" "detail by CVE id"
by_cve=$BODY
etag=$(header ETag)
assert_eq "$LOG4J CVE-2021-44228 true true" "$(printf '%s' "$BODY" | jq -r '"\(.id) \(.aliases[0]) \(.cwes | index(502) != null) \((.cvss | length) > 0)"')" "detail fields"
assert_contains "$(printf '%s' "$BODY" | jq -r '.cpe[].cpe23' | head -50)" "cpe:2.3:a:apache:log4j:" "CPE configurations"
assert_contains "$(printf '%s' "$BODY" | jq -r '.references[].url')" "https://" "references"
assert_eq "nvd" "$(printf '%s' "$BODY" | jq -r '.sources[0].source')" "sources"
assert_eq "created" "$(printf '%s' "$BODY" | jq -r '.history[0].what' | cut -c1-7 | tr 'A-Z' 'a-z')" "history"
assert_contains "$(header Last-Modified)" " GMT" "Last-Modified"
api GET "/api/v1/vulns/$LOG4J"
assert_eq "$by_cve" "$BODY" "detail by JVNDB id is the same record"
api GET "/api/v1/vulns/$LOG4J" -H "If-None-Match: $etag"
assert_eq "304" "$STATUS" "If-None-Match: 304"
assert_eq "0" "$(curl -s -o /dev/null -w '%{size_download}' -H "If-None-Match: $etag" "$BASE/api/v1/vulns/CVE-2021-44228")" "304 has no body"
api GET "/api/v1/vulns/$LOG4J" -H 'If-None-Match: "0000000000000000"'
assert_eq "200" "$STATUS" "another ETag: 200"
api GET /api/v1/vulns/GHSA-6vm3-jj99-7229
assert_eq "200 $(jvndb GO-2020-0001)" "$STATUS $(printf '%s' "$BODY" | jq -r .id)" "detail by a GHSA alias"
api GET /api/v1/vulns/CVE-1900-0001
assert_eq "404 not_found id" "$STATUS $(printf '%s' "$BODY" | jq -r '"\(.error.code) \(.error.field)"')" "unknown id: 404 JSON"

# Japanese: a title written with SQL, then the index rebuilt
vid=$(sql "SELECT id FROM vuln WHERE jvndb = '$LOG4J'")
sql "INSERT INTO vuln_text (vuln_id, src, lang, kind, text) VALUES ($vid, 0, 'ja', 'title', 'Apache Log4j における任意のコード実行の脆弱性')"
keikai search --reindex >"$TMP/reindex.out" 2>&1
assert_eq "search: $n records indexed" "$(sed 's/ in .*//' "$TMP/reindex.out")" "search --reindex"
api GET "/api/v1/vulns?q=%E4%BB%BB%E6%84%8F&lang=ja"
assert_eq "$LOG4J" "$(ids)" "two-character word 任意"
assert_eq "Apache Log4j における任意のコード実行の脆弱性" "$(printf '%s' "$BODY" | jq -r '.items[0].title')" "lang=ja title"
api GET "/api/v1/vulns?q=%EF%BD%BA%EF%BD%B0%EF%BE%84%EF%BE%9E" -H "Accept-Language: en"
assert_eq "$LOG4J" "$(ids)" "half-width ｺｰﾄﾞ finds コード"
assert_contains "$(printf '%s' "$BODY" | jq -r '.items[0].title')" "Apache Log4j2 2.0-beta9" "English title for Accept-Language: en"
api GET "/api/v1/vulns?q=%E5%AE%9F%E8%A1%8C+-apache"
assert_eq "0" "$(printf '%s' "$BODY" | jq .total)" "実行 -apache excludes it"

# pages
api GET "/vulns?q=microsoft+edge&lang=en"
assert_eq 200 "$STATUS" "/vulns"
assert_contains "$BODY" "href=\"/vulns/$EDGE1\"" "/vulns links the records"
assert_contains "$BODY" "Vulnerabilities found: 2" "/vulns total"
api GET "/vulns?lang=ja&limit=5"
assert_contains "$BODY" "脆弱性対策情報データベース" "Japanese page title"
assert_contains "$BODY" "rel=\"next\"" "paging link"
next=$(printf '%s' "$BODY" | grep -o 'rel="next" id="next" href="[^"]*"' | sed 's/.*href="//; s/"$//; s/&amp;/\&/g')
api GET "$next"
assert_eq 200 "$STATUS" "the next page opens"
api GET "/vulns/CVE-2021-44228?lang=ja"
assert_contains "$BODY" "Apache Log4j における任意のコード実行の脆弱性" "detail page in Japanese"
assert_contains "$BODY" "cpe:2.3:a:apache:log4j" "detail page products"
api GET "/vulns/CVE-1900-0001"
assert_eq 404 "$STATUS" "detail page 404"

# CLI
out=$(keikai search --json microsoft edge)
assert_eq "$(printf '%s\n' "$EDGE1" "$EDGE2" | sort | tr '\n' ' ' | sed 's/ $//')" "$(printf '%s' "$out" | jq -r '[.items[].id] | sort | join(" ")')" "search --json"
out=$(keikai search --severity critical --sort score --limit 1 "" 2>/dev/null)
assert_contains "$out" "$LOG4J" "search --severity --sort score"
out=$(keikai search --cwe 502 --json "" | jq -r '.total')
assert_eq "$(sql "SELECT count(DISTINCT vuln_id) FROM vuln_cwe WHERE cwe = 502")" "$out" "search --cwe"
keikai search --sort sideways x >/dev/null 2>"$TMP/err"; rc=$?
assert_eq 2 "$rc" "bad --sort is a usage error"
done_testing

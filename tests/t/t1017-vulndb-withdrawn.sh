#!/bin/sh
# t1017 — rejected and withdrawn records (issue 14) over real records of
# ../shared/data: NVD 1.1 rejections in both of NVD's forms ("Rejected
# reason:", "** REJECT **"; CVE-2014-0346 is the rejected reservation
# duplicate of Heartbleed, CVE-2014-0160), a DISPUTED one that stays, a
# CVE 5 REJECTED record, a CVE whose newer NVD rejection overrides its CVE 5
# record (CVE-2024-40982, with products), withdrawn OSV entries (RustSec's
# spin, Go's k8s.io/kubernetes beside the 44 live Go entries for it). Each
# source's status, date and reason; left out of every list kind by default
# (keyword, purl=, cpe=, vendor=, other filters, /vulns, feeds, MyJVN,
# export, CLI) with totals and facets that agree; withdrawn=include shows
# them flagged; their pages keep a banner in ja and en, dates in JST.
. "$(dirname "$0")/lib.sh"
SHARED=${KEIKAI_SHARED:-$ROOT/../shared}
D=$SHARED/data
start_server
mkdir "$TMP/in"
# real records, picked out of the shared data
zcat "$D/nvd-json-1.1-feeds/nvdcve-1.1-2014.json.gz" | jq -c '.CVE_Items |= map(select(.cve.CVE_data_meta.ID |
	IN("CVE-2014-0160", "CVE-2014-0346", "CVE-2014-0024", "CVE-2014-4959")))' >"$TMP/in/nvd-2014.json"
zcat "$D/nvd-json-1.1-feeds/nvdcve-1.1-modified.json.gz" | jq -c '.CVE_Items |= map(select(.cve.CVE_data_meta.ID |
	IN("CVE-2024-40982", "CVE-2024-13636")))' >"$TMP/in/nvd-modified.json"
cp tests/data/withdrawn/nvd11-rejected.json "$TMP/in/" # copies of real 2018 items: "** REJECT **", "** DISPUTED **"
xzcat "$D/cve5-vulnrichment/vulnrichment_cve5_records.jsonl.xz" | grep -E '"(CVE-2024-40982|CVE-2019-25161)"' \
	>"$TMP/in/cve5.jsonl"
xzcat "$D/osv-rustsec/rustsec_osv.jsonl.xz" | grep -E '"id":"(RUSTSEC-2019-0031|RUSTSEC-2020-0053|RUSTSEC-2016-0001)"' \
	>"$TMP/in/rustsec.jsonl"
xzcat "$D/osv-golang-vulndb/go_vulndb_osv.jsonl.xz" | grep '"name":"k8s.io/kubernetes"' >"$TMP/in/go-k8s.jsonl"
assert_eq 4 "$(jq '.CVE_Items | length' "$TMP/in/nvd-2014.json")" "the 2014 items were found"
assert_eq 2 "$(wc -l <"$TMP/in/cve5.jsonl" | tr -d ' ')" "the CVE 5 records were found"
assert_eq 45 "$(wc -l <"$TMP/in/go-k8s.jsonl" | tr -d ' ')" "the Go entries for k8s.io/kubernetes"
keikai import "$TMP/in" >"$TMP/import.out" 2>&1
assert_eq 0 $? "the import succeeds"

sql() { sqlite3 "$DB" "$1"; }
jvndb() { sql "SELECT v.jvndb FROM vuln v JOIN vuln_alias a ON a.vuln_id = v.id WHERE a.alias = '$1'"; }
ids() { printf '%s' "$BODY" | jq -r '[.items[].id] | sort | join(" ")'; }
REJ_0346=$(jvndb CVE-2014-0346)   # NVD "Rejected reason:"
REJ_0024=$(jvndb CVE-2014-0024)   # NVD "Rejected reason:"
REJ_0143=$(jvndb CVE-2018-0143)   # NVD "** REJECT **"
REJ_13636=$(jvndb CVE-2024-13636) # NVD "Rejected reason: ** REJECT **"
REJ_25161=$(jvndb CVE-2019-25161) # CVE 5 REJECTED
REJ_40982=$(jvndb CVE-2024-40982) # NVD's newer rejection over a published CVE 5 record with products
WD_SPIN=$(jvndb RUSTSEC-2019-0031)
WD_DIRS=$(jvndb RUSTSEC-2020-0053)
WD_K8S=$(jvndb GO-2022-0617)
HEART=$(jvndb CVE-2014-0160)
DISPUTED=$(jvndb CVE-2014-4959)
OPENSSL=$(jvndb RUSTSEC-2016-0001)
GONE="$REJ_0346 $REJ_0024 $REJ_0143 $REJ_13636 $REJ_25161 $REJ_40982 $WD_SPIN $WD_DIRS $WD_K8S"
NGONE=$(echo $GONE | wc -w)
ALL=$(sql "SELECT count(*) FROM vuln")

# --- the status each source gives: kind, date, reason ---
# detail ID -> "withdrawn status withdrawn_at reason-prefix"
detail() {
	api GET "/api/v1/vulns/$1"
	printf '%s' "$BODY" | jq -r '"\(.withdrawn) \(.status) \(.withdrawn_at) \(.withdrawn_reason // "null" | .[0:33])"'
}
assert_eq "true rejected 2023-11-07T02:18:00Z DO NOT USE THIS CANDIDATE NUMBER." "$(detail CVE-2014-0346)" \
	"NVD 1.1 'Rejected reason:': rejected at lastModified, the reason after the marker"
assert_eq "true rejected 2019-03-21T15:28:00Z DO NOT USE THIS CANDIDATE NUMBER." "$(detail CVE-2018-0143)" \
	"NVD 1.1 '** REJECT **'"
assert_eq "true rejected 2025-02-24T22:15:00Z DO NOT USE THIS CANDIDATE NUMBER." "$(detail CVE-2024-13636)" \
	"NVD 1.1 'Rejected reason: ** REJECT **'"
assert_eq "true rejected 2024-02-27T09:57:13Z This CVE ID has been rejected or " "$(detail CVE-2019-25161)" \
	"CVE 5 state REJECTED: dateRejected, rejectedReasons"
assert_eq "true rejected 2025-02-24T13:15:00Z " "$(detail CVE-2024-40982 | cut -c1-35)" \
	"NVD's rejection newer than the CVE 5 record decides"
assert_eq "true withdrawn 2020-10-08T12:00:00Z null" "$(detail RUSTSEC-2019-0031)" "OSV withdrawn, at its time"
assert_eq "true withdrawn 2024-08-21T16:25:56Z null" "$(detail GO-2022-0617)" "Go OSV withdrawn"
assert_eq "false published null null" "$(detail CVE-2014-4959)" "'**DISPUTED**' is not a rejection"
assert_eq "false published null null" "$(detail CVE-2018-1000204)" "'** DISPUTED **' is not a rejection"
assert_eq "false published null null" "$(detail CVE-2014-0160)" "Heartbleed is live"
api GET "/api/v1/vulns/CVE-2024-40982"
assert_eq "cve5:false nvd:true" "$(printf '%s' "$BODY" | jq -r '[.sources[] | "\(.source):\(.withdrawn)"] | sort | join(" ")')" \
	"each source keeps its own word"
assert_eq "$NGONE" "$(sql "SELECT count(*) FROM vuln WHERE withdrawn = 1 AND status <> 'published'")" \
	"$NGONE records rejected or withdrawn"

# --- left out of every list by default, shown and flagged with withdrawn=include ---
# q QUERY: STATUS/BODY of the API list; check that totals, facets and items agree
q() { api GET "/api/v1/vulns?limit=1000&$1"; }
agree() {
	printf '%s' "$BODY" | jq -r '[.total == (.items | length), .total == ([.facets.severity[]] | add // 0),
		.total == ([.facets.year[]] | add // 0)] | all'
}
flags() { printf '%s' "$BODY" | jq -r '[.items[] | select(.withdrawn) | "\(.id):\(.status)"] | sort | join(" ")'; }
gone_in() { # LIST WHAT — none of GONE is in LIST
	for g in $GONE; do
		case " $1 " in *" $g "*) fail "$2: $g is listed"; return ;; esac
	done
	pass "$2"
}
for query in "" "q=CVE-2014-0160" "q=DO%20NOT%20USE" "purl=pkg:cargo/spin" "purl=pkg:golang/k8s.io/kubernetes" \
	"purl=pkg:cargo/dirs" "cpe=cpe:2.3:a:linux:linux" "vendor=linux" "source=nvd" "source=osv" "source=cve5" \
	"severity=none" "sort=modified" "published_from=2019-01-01" "q=kubernetes&purl=pkg:golang/k8s.io/kubernetes"; do
	q "$query"
	assert_eq 200 "$STATUS" "GET /api/v1/vulns?$query"
	gone_in "$(ids)" "?$query leaves them out"
	assert_eq "true" "$(agree)" "?$query: total, facets and items agree"
	assert_eq "" "$(flags)" "?$query: no item is flagged"
	n=$(printf '%s' "$BODY" | jq .total)
	q "$query&withdrawn=include"
	assert_eq "true" "$(agree)" "?$query&withdrawn=include: total, facets and items agree"
	inc=$(printf '%s' "$BODY" | jq .total)
	nflag=$(printf '%s' "$BODY" | jq '[.items[] | select(.withdrawn)] | length')
	assert_eq "$inc" "$((n + nflag))" "?$query&withdrawn=include adds just the flagged ones"
	q "$query&withdrawn=only"
	assert_eq "$nflag" "$(printf '%s' "$BODY" | jq '[.items[] | select(.withdrawn)] | length')" "?$query&withdrawn=only"
	assert_eq "$nflag" "$(printf '%s' "$BODY" | jq .total)" "?$query&withdrawn=only: only them"
done
q "q=CVE-2014-0160"
assert_eq "$HEART" "$(ids)" "Heartbleed alone, not its rejected duplicate"
q "q=CVE-2014-0160&withdrawn=include"
assert_eq "$REJ_0346:rejected" "$(flags)" "withdrawn=include: the rejected duplicate, flagged"
assert_eq "2023-11-07T02:18:00Z" "$(printf '%s' "$BODY" | jq -r ".items[] | select(.id == \"$REJ_0346\") | .withdrawn_at")" \
	"the list item says when"
q "purl=pkg:cargo/spin"
assert_eq "0" "$(printf '%s' "$BODY" | jq .total)" "purl=pkg:cargo/spin: its only entry was withdrawn"
q "purl=pkg:cargo/spin&withdrawn=include"
assert_eq "$WD_SPIN:withdrawn" "$(flags)" "purl with withdrawn=include: flagged"
q "purl=pkg:golang/k8s.io/kubernetes"
assert_eq "44" "$(printf '%s' "$BODY" | jq .total)" "purl: the 44 live Go entries of k8s.io/kubernetes"
q "purl=pkg:golang/k8s.io/kubernetes@v1.20.0&withdrawn=include"
assert_contains "$(flags)" "$WD_K8S:withdrawn" "purl@version with withdrawn=include: the withdrawn entry, flagged"
q "cpe=cpe:2.3:a:linux:linux&withdrawn=include"
assert_eq "$REJ_40982:rejected" "$(flags)" "cpe= with withdrawn=include: the rejected record, flagged"
q "vendor=linux&withdrawn=include"
assert_eq "$REJ_40982:rejected" "$(flags)" "vendor= with withdrawn=include"
q "withdrawn=include"
assert_eq "$ALL" "$(printf '%s' "$BODY" | jq .total)" "withdrawn=include: every record"
q "withdrawn=yes"
assert_eq "400 withdrawn" "$STATUS $(printf '%s' "$BODY" | jq -r .error.field)" "a bad withdrawn= answers 400 naming it"

# the /vulns page: left out; with withdrawn=include a visible label
for l in ja en; do
	api GET "/vulns?lang=$l&limit=1000"
	gone_in "$(printf '%s' "$BODY" | grep -o 'href="/vulns/JVNDB-[0-9-]*"' | sed 's|href="/vulns/||; s|"||' | tr '\n' ' ')" \
		"/vulns ($l) leaves them out"
	assert_contains "$BODY" 'name="withdrawn" value="include"' "/vulns ($l): the form can include them"
done
api GET "/vulns?lang=ja&q=CVE-2014-0160&withdrawn=include"
assert_contains "$BODY" "href=\"/vulns/$REJ_0346\"" "/vulns?withdrawn=include lists the rejected record"
assert_contains "$BODY" '取り下げ（REJECTED）' "the ja list labels it"
api GET "/vulns?lang=en&purl=pkg%3Acargo%2Fspin&withdrawn=include"
assert_contains "$BODY" '>Withdrawn</span>' "the en list labels a withdrawn record"
api GET "/vulns?lang=en&withdrawn=include&limit=2"
assert_contains "$(printf '%s' "$BODY" | grep -o 'rel="next"[^>]*')" "withdrawn=include" "the next page keeps withdrawn="

# feeds: overall, per vendor (the rejected Linux record), per CWE; RSS and Atom, ja and en
for f in /feeds/new.rdf /feeds/updated.atom "/feeds/new.atom?lang=en" /feeds/vendor/linux/new.rdf \
	/feeds/product/linux/linux/updated.atom; do
	sep='?'
	case "$f" in *'?'*) sep='&' ;; esac
	api GET "$f${sep}limit=500"
	assert_eq 200 "$STATUS" "$f answers"
	gone_in "$(printf '%s' "$BODY" | grep -o 'JVNDB-[0-9]*-[0-9]*' | sort -u | tr '\n' ' ')" "$f leaves them out"
done
api GET "/feeds/new.rdf?limit=500"
assert_contains "$BODY" "$HEART" "the feed still lists live records"

# MyJVN getVulnOverviewList: totals and items without them
RANGE="rangeDatePublic=n&rangeDatePublished=n&rangeDateFirstPublished=n"
api GET "/myjvn?method=getVulnOverviewList&feed=hnd&$RANGE&maxCountItem=500"
gone_in "$(printf '%s' "$BODY" | grep -o 'JVNDB-[0-9]*-[0-9]*' | sort -u | tr '\n' ' ')" "MyJVN overview leaves them out"
assert_contains "$BODY" "totalRes=\"$((ALL - NGONE))\"" "MyJVN totalRes counts the live records"
api GET "/myjvn?method=getVulnOverviewList&feed=hnd&$RANGE&keyword=CVE-2014-0160"
assert_contains "$BODY" 'totalRes="1"' "MyJVN keyword: Heartbleed alone"
# the detail stays reachable by id
api GET "/myjvn?method=getVulnDetailInfo&feed=hnd&vulnId=$REJ_0346"
assert_contains "$BODY" "CVE-2014-0346" "MyJVN getVulnDetailInfo still opens a rejected record"

# export and the CLI
keikai export --format jsonl -o "$TMP/all.jsonl" >/dev/null 2>&1
gone_in "$(jq -r .id "$TMP/all.jsonl" | tr '\n' ' ')" "keikai export leaves them out by default"
assert_eq "$((ALL - NGONE))" "$(wc -l <"$TMP/all.jsonl" | tr -d ' ')" "keikai export writes every live record"
keikai export --format cve5 --withdrawn include -o "$TMP/cve5.jsonl" "CVE-2014-0346" >/dev/null 2>&1
assert_eq "REJECTED 2023-11-07T02:18:00Z DO NOT USE THIS CANDIDATE NUMBER." \
	"$(jq -r 'select(.cveMetadata.cveId == "CVE-2014-0346") | "\(.cveMetadata.state) \(.cveMetadata.dateRejected) \(.containers.cna.rejectedReasons[0].value[0:33])"' "$TMP/cve5.jsonl")" \
	"export --withdrawn include: CVE 5 REJECTED with the date and reason"
keikai export --format osv --withdrawn only -o "$TMP/osv.jsonl" "spin" >/dev/null 2>&1
assert_eq "x_$WD_SPIN 2020-10-08T12:00:00Z" "$(jq -r '"\(.id) \(.withdrawn)"' "$TMP/osv.jsonl")" \
	"export --withdrawn only: OSV with its withdrawn time"
out=$(keikai search --limit 1000 CVE-2014-0160 2>/dev/null)
assert_not_contains "$out" "CVE-2014-0346" "keikai search leaves them out"
out=$(keikai search --limit 1000 --withdrawn include CVE-2014-0160 2>/dev/null)
assert_contains "$out" "[REJECTED]" "keikai search --withdrawn include marks them"
out=$(keikai search --json --withdrawn include --purl pkg:cargo/spin "")
assert_eq "true withdrawn" "$(printf '%s' "$out" | jq -r '.items[0] | "\(.withdrawn) \(.status)"')" "keikai search --json flags"
keikai search --withdrawn maybe x >/dev/null 2>"$TMP/err"
assert_eq 2 $? "keikai search --withdrawn maybe is a usage error"
assert_contains "$(cat "$TMP/err")" "--withdrawn" "the usage error names the option"

# --- detail pages stay, with a banner (ja and en, JST) ---
api GET "/vulns/CVE-2014-0346?lang=ja"
assert_eq 200 "$STATUS" "the rejected record's page is reachable"
assert_contains "$BODY" 'この脆弱性情報は 2023-11-07 11:18 JST に取り下げられました（REJECTED）。理由: DO NOT USE' "ja banner: date in JST, reason"
api GET "/vulns/CVE-2014-0346?lang=en"
assert_contains "$BODY" 'This record was rejected on 2023-11-07 11:18 JST: DO NOT USE THIS CANDIDATE NUMBER.' "en banner"
api GET "/vulns/RUSTSEC-2019-0031?lang=en"
assert_contains "$BODY" 'This record was withdrawn on 2020-10-08 21:00 JST.' "en banner of a withdrawn OSV record"
api GET "/vulns/RUSTSEC-2019-0031?lang=ja"
assert_contains "$BODY" 'この脆弱性情報は 2020-10-08 21:00 JST に取り下げられました（WITHDRAWN）。' "ja banner of a withdrawn OSV record"
api GET "/vulns/CVE-2014-0160?lang=en"
assert_not_contains "$BODY" 'id="withdrawn"' "no banner on a live record"
api GET "/api/v1/vulns/$OPENSSL"
assert_eq "false published" "$(printf '%s' "$BODY" | jq -r '"\(.withdrawn) \(.status)"')" "a live OSV record"

done_testing

#!/bin/sh
# t5006 — the public statistics from a known history written with the clock pinned: reports of both
# kinds received, accepted, rejected and published across the JST quarter boundary (a report at
# 2027-01-01 00:30 JST is in 2027Q1, one at 2026-12-31 23:59:59 JST in 2026Q4), advisories of the three
# kinds, vendors registered and one listed unreachable, a website case fixed. The page (ja/en), the
# CSV and the JSON give the same numbers; a scheduled JVNTA changes no figure one second before its
# instant and counts from the instant on.
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail"
DOC=$ROOT/tests/data/advisory/y_full.json
at() { # TIME COMMAND... — keikai with the clock pinned at TIME
	t=$1
	shift
	KEIKAI_TEST_NOW=$t "$KEIKAI" --db "$DB" "$@"
}
submit() { # TIME KIND — a report; prints its tracking number
	if [ "$2" = product ]; then what='"product":{"name":"Stat Router","vendor":"Stat Vendor One"}'
	else what='"website":{"url":"https://shop.stats.example/"}'; fi
	printf '{"kind":"%s","finder":{"name":"Stat Finder","email":"stat@finder.example"},%s,"vulnerability":{"cwe":"CWE-79","description":"stored XSS"},"policy_ack":true}' "$2" "$what" |
		at "$1" report submit --json - >"$TMP/sub" || { echo "report submit failed"; exit 1; }
	sed -n 's/^tracking number: //p' "$TMP/sub"
}
keikai init >/dev/null 2>&1 || { echo "init failed"; exit 1; }
KEIKAI_CVE_POOL_LOW=2 && export KEIKAI_CVE_POOL_LOW
keikai cve-pool add CVE-2027-30001 CVE-2027-30002 CVE-2027-30003 CVE-2027-30004 CVE-2027-30005 CVE-2027-30006 >/dev/null 2>&1

# --- vendors: two registered in 2026Q4, one in 2027Q1, which is listed unreachable in 2027Q1
at 2026-11-01T00:00:00Z vendor add "Stat Vendor One" >/dev/null || { echo "vendor add failed"; exit 1; }
at 2026-11-02T00:00:00Z vendor add "Stat Vendor Two" >/dev/null
at 2027-01-03T00:00:00Z vendor add "Stat Vendor Silent" >/dev/null
at 2027-01-15T00:00:00Z vendor unreachable set "Stat Vendor Silent" >/dev/null || { echo "unreachable set failed"; exit 1; }

# --- reports
R1=$(submit 2026-11-10T00:00:00Z product)     # 2026Q4; accepted in Q4, published 2027-01-20 (Q1)
at 2026-11-12T00:00:00Z report accept "$R1" >/dev/null || { echo "accept R1 failed"; exit 1; }
R2=$(submit 2026-12-31T14:59:59Z product)     # 2026-12-31 23:59:59 JST: 2026Q4; not accepted in Q1
at 2027-01-05T00:00:00Z report reject "$R2" --reason "not reproducible" >/dev/null || { echo "reject failed"; exit 1; }
R3=$(submit 2026-12-31T15:30:00Z website)     # 2027-01-01 00:30 JST: 2027Q1; accepted and fixed in Q1
at 2027-01-06T00:00:00Z report accept "$R3" >/dev/null || { echo "accept R3 failed"; exit 1; }
R4=$(submit 2027-01-10T00:00:00Z product)     # 2027Q1, only received
[ -n "$R1$R2$R3$R4" ] || { echo "no tracking numbers"; exit 1; }

# the website case of R3: stages 1-3, acknowledged, completed 2027-01-21 (20 days after its report)
H=$(at 2027-01-06T00:00:00Z website list | awk 'NR==2 {print $1}')
at 2027-01-07T00:00:00Z website contact "$H" info@shop.stats.example >/dev/null || { echo "website contact failed"; exit 1; }
at 2027-01-08T00:00:00Z website stage "$H" 2 --contact sec@shop.stats.example >/dev/null || { echo "stage 2 failed"; exit 1; }
at 2027-01-09T00:00:00Z website stage "$H" 3 --portal >/dev/null || { echo "stage 3 failed"; exit 1; }
at 2027-01-10T00:00:00Z website ack "$H" >/dev/null || { echo "ack failed"; exit 1; }
at 2027-01-21T00:00:00Z website complete "$H" "escaped the comment field" >/dev/null || { echo "complete failed"; exit 1; }
at 2027-01-22T00:00:00Z website close "$H" --outcome fixed >/dev/null || { echo "close failed"; exit 1; }

# --- advisories: JVNVU# in 2026Q4, the JVN# of R1's case in 2027Q1 (71 days after R1), JVNTA scheduled
REF=$(keikai case list --json | grep -o '"ref":"KKC-[0-9-]*"' | head -1 | cut -d'"' -f4)
[ -n "$REF" ] || { echo "accepting R1 opened no case"; exit 1; }
VU=$(at 2026-11-20T00:00:00Z advisory create --kind JVNVU --json "$DOC")
at 2026-12-01T00:00:00Z advisory publish "$VU" >/dev/null || { echo "publish $VU failed"; exit 1; }
JVN=$(at 2027-01-19T00:00:00Z advisory create --kind JVN --json "$DOC")
at 2027-01-19T00:00:00Z advisory from-case "$JVN" "$REF" >/dev/null || { echo "from-case failed"; exit 1; }
at 2027-01-20T00:00:00Z advisory publish "$JVN" >/dev/null || { echo "publish $JVN failed"; exit 1; }
TA=$(at 2027-01-25T00:00:00Z advisory create --kind JVNTA --json "$DOC")
at 2027-01-25T00:00:00Z advisory schedule "$TA" --at 2027-02-01T10:00+09:00 >/dev/null || { echo "schedule failed"; exit 1; }

# --- one second before the JVNTA's instant
BEFORE=2027-02-01T00:59:59Z
KEIKAI_TEST_NOW=$BEFORE keikai tick --at $BEFORE >/dev/null 2>&1
KEIKAI_TEST_NOW=$BEFORE start_server_only --no-scheduler
api GET /api/v1/stats
assert_eq 200 "$STATUS" "the statistics as JSON"
assert_eq application/json "$(header Content-Type | cut -d';' -f1)" "served as JSON"
JSON_BEFORE=$BODY
api GET /stats.csv
assert_eq 200 "$STATUS" "the statistics as CSV"
assert_contains "$(header Content-Type)" "text/csv" "served as CSV"
CSV_BEFORE=$(printf '%s' "$BODY" | tr -d '\r')
api GET "/stats?lang=ja"
assert_eq 200 "$STATUS" "the statistics page"
PAGE_BEFORE=$BODY

# the JSON: totals and the two quarters
assert_contains "$JSON_BEFORE" '"advisories":{"JVN":1,"JVNVU":1,"JVNTA":0}' "totals: one JVN#, one JVNVU#, no JVNTA yet"
assert_contains "$JSON_BEFORE" '"vendors_registered":3,"vendors_unreachable":1,"vendors_unreachable_ever":1' "three vendors, one unreachable"
assert_contains "$JSON_BEFORE" '"median_days_to_publication":71.0,"publications_measured":1' "71 days from R1 to its advisory"
assert_contains "$JSON_BEFORE" '"median_days_to_website_fix":20.0,"website_fixes_measured":1' "20 days from R3 to the site's fix"
q4=$(printf '%s' "$JSON_BEFORE" | grep -o '{"quarter":"2026Q4"[^]]*}}*' | sed 's/},{"quarter".*//')
q1=$(printf '%s' "$JSON_BEFORE" | grep -o '{"quarter":"2027Q1".*' | sed 's/},{"quarter".*//')
assert_contains "$q4" '"first_day":"2026-10-01","last_day":"2026-12-31"' "2026Q4 is October to December"
assert_contains "$q4" '"software":{"received":2,"accepted":1,"closed":0,"published":0}' "2026Q4: R1 and R2 (23:59:59 JST) received, R1 accepted"
assert_contains "$q4" '"website":{"received":0,"accepted":0,"closed":0,"fixed":0}' "2026Q4: no website report (R3 is 00:30 JST on 1 January)"
assert_contains "$q4" '"advisories":{"JVN":0,"JVNVU":1,"JVNTA":0},"advisories_total":{"JVN":0,"JVNVU":1,"JVNTA":0}' "2026Q4: the JVNVU#"
assert_contains "$q4" '"vendors_registered":2,"vendors_unreachable":0' "2026Q4: two vendors, none unreachable"
assert_contains "$q1" '"software":{"received":1,"accepted":0,"closed":2,"published":1}' "2027Q1: R4 received; R2 rejected and R1 published close"
assert_contains "$q1" '"website":{"received":1,"accepted":1,"closed":1,"fixed":1}' "2027Q1: R3 received, accepted, fixed, closed"
assert_contains "$q1" '"advisories":{"JVN":1,"JVNVU":0,"JVNTA":0},"advisories_total":{"JVN":1,"JVNVU":1,"JVNTA":0}' "2027Q1: the JVN#, running totals"
assert_contains "$q1" '"vendors_registered":3,"vendors_unreachable":1' "2027Q1: three vendors, one unreachable"

# the CSV says the same
assert_eq "quarter,first_day,last_day,software_received,software_accepted,software_closed,software_published,website_received,website_accepted,website_closed,website_fixed,jvn,jvnvu,jvnta,jvn_total,jvnvu_total,jvnta_total,vendors_registered,vendors_unreachable" \
	"$(printf '%s\n' "$CSV_BEFORE" | head -1)" "the CSV header"
assert_contains "$CSV_BEFORE" "2026Q4,2026-10-01,2026-12-31,2,1,0,0,0,0,0,0,0,1,0,0,1,0,2,0" "CSV 2026Q4 = JSON"
assert_contains "$CSV_BEFORE" "2027Q1,2027-01-01,2027-03-31,1,0,2,1,1,1,1,1,1,0,0,1,1,0,3,1" "CSV 2027Q1 = JSON"
assert_eq 3 "$(printf '%s\n' "$CSV_BEFORE" | grep -c .)" "the header and the two quarters with figures"

# the page says the same (ids and classes carry the figures)
row() { printf '%s' "$PAGE_BEFORE" | tr '\n' ' ' | grep -o "<tr id=\"q-$1\">[^\$]*" | sed 's|</tr>.*||' | head -1; }
cell() { printf '%s' "$1" | grep -o "<td class=\"$2\">[0-9]*</td>" | head -1 | sed 's/<[^>]*>//g'; }
R=$(row 2027Q1)
for c in software_received:1 software_accepted:0 software_closed:2 software_published:1 website_received:1 \
	website_accepted:1 website_closed:1 website_fixed:1; do
	assert_eq "${c#*:}" "$(cell "$R" "${c%%:*}")" "page 2027Q1 ${c%%:*}"
done
R=$(printf '%s' "$PAGE_BEFORE" | tr '\n' ' ' | sed 's|.*id="advisories-table"||' | grep -o '<tr id="q-2027Q1">.*' | sed 's|</tr>.*||')
for c in jvn:1 jvnvu:0 jvnta:0 jvn_total:1 jvnvu_total:1 jvnta_total:0 vendors_registered:3 vendors_unreachable:1; do
	assert_eq "${c#*:}" "$(cell "$R" "${c%%:*}")" "page 2027Q1 advisories table ${c%%:*}"
done
assert_contains "$PAGE_BEFORE" '<dd id="total-JVNTA">0</dd>' "page: no JVNTA yet"
assert_contains "$PAGE_BEFORE" '<dd id="total-JVN">1</dd>' "page: one JVN#"
assert_contains "$PAGE_BEFORE" '<dd id="vendors-registered">3</dd>' "page: three vendors"
assert_contains "$PAGE_BEFORE" '<dd id="median-publication">71.0 日' "page: median days to publication (ja)"
assert_contains "$PAGE_BEFORE" '<dd id="median-fix">20.0 日' "page: median days to a website fix (ja)"
assert_contains "$PAGE_BEFORE" '日本標準時' "the page states the quarters are JST (ja)"
assert_contains "$PAGE_BEFORE" '<svg xmlns="http://www.w3.org/2000/svg" role="img"' "charts drawn as SVG"
assert_contains "$PAGE_BEFORE" '<rect class="bar s1" x="' "with bars"
assert_contains "$PAGE_BEFORE" '2027Q1 JVN#: 1</title>' "each bar titled with its figure"
assert_not_contains "$(printf '%s' "$PAGE_BEFORE" | tr '\n' ' ' | sed 's|.*<main>||')" '<script' "the charts need no script"
assert_not_contains "$PAGE_BEFORE$JSON_BEFORE$CSV_BEFORE" "$TA" "nothing names the scheduled advisory"
assert_not_contains "$PAGE_BEFORE$JSON_BEFORE" "Stat Finder" "nor any finder"
api GET "/stats?lang=en"
assert_contains "$BODY" '<html lang="en">' "the page in English"
assert_contains "$BODY" 'calendar quarters in Japan Standard Time' "states the quarters (en)"
assert_contains "$BODY" '<dd id="median-publication">71.0 days' "median in English"
stop_server

# --- at the instant the scheduler publishes the JVNTA: it counts
AT=2027-02-01T01:00:00Z
KEIKAI_TEST_NOW=$AT keikai tick --at $AT >"$TMP/tick" 2>&1
assert_contains "$(cat "$TMP/tick")" "ran, 0 to retry, 0 failed" "the scheduler ran"
KEIKAI_TEST_NOW=$AT start_server_only --no-scheduler
api GET /api/v1/stats
assert_contains "$BODY" '"advisories":{"JVN":1,"JVNVU":1,"JVNTA":1}' "the JVNTA counts from its instant"
assert_contains "$BODY" '"advisories":{"JVN":1,"JVNVU":0,"JVNTA":1},"advisories_total":{"JVN":1,"JVNVU":1,"JVNTA":1}' "in 2027Q1"
api GET /stats.csv
assert_contains "$(printf '%s' "$BODY" | tr -d '\r')" "2027Q1,2027-01-01,2027-03-31,1,0,2,1,1,1,1,1,1,0,1,1,1,1,3,1" "and in the CSV"
api GET /stats
assert_contains "$BODY" '<dd id="total-JVNTA">1</dd>' "and on the page"

done_testing

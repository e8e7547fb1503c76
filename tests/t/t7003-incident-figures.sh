#!/bin/sh
# t7003 — the quarterly figures (issue 22, part 3; 004 §1.1, §1.3) and the leak test (part 4):
# reports, incidents (several reports of one incident count once) and coordinations per JST
# quarter with the previous quarter, per category, per JST month, coordination scope, phishing by
# brand origin; JSON, CSV and the public page. A report received 2026-03-31 23:30 JST counts in
# 2026Q1, not Q2. TLP:RED items are left out of the public figures (staff count them with all=1);
# no figure carries a report's text, URL or reporter; a reporter's link shows only their report.
. "$(dirname "$0")/lib.sh"
keikai init >/dev/null 2>&1 || { echo "init failed"; exit 1; }
rep() {
	printf '%s' "$1" >"$TMP/r.json"
	keikai incident report --json "$TMP/r.json" >"$TMP/r.out" || { cat "$TMP/r.out"; exit 1; }
	head -1 "$TMP/r.out"
}
# Q1 (JST): one scan report at 2026-03-31 23:30 JST (UTC still March 31 14:30)
Q1=$(rep '{"category":"scan","summary":"late March scan","reporter":{"email":"q1@example.jp"},"ips":["203.0.113.1"],"received_at":"2026-03-31T23:30"}')
# Q2: two reports of one phishing site (one incident), a defacement, and a TLP:RED targeted attack
P1=$(rep '{"category":"phishing","summary":"phish one","reporter":{"email":"p1@example.jp"},"urls":["http://phish.example/"],"received_at":"2026-04-02"}')
P2=$(rep '{"category":"phishing","summary":"phish two","reporter":{"email":"p2@example.jp"},"domains":["phish.example"],"received_at":"2026-05-10"}')
P3=$(rep '{"category":"phishing","summary":"phish foreign","reporter":{"email":"p3@example.jp"},"urls":["http://other-phish.example/"],"received_at":"2026-05-11"}')
DF=$(rep '{"category":"defacement","summary":"altered site","reporter":{"email":"df@example.jp"},"urls":["http://shop.example/"],"received_at":"2026-06-30T23:59"}')
RED=$(rep '{"category":"targeted","tlp":"red","summary":"SECRET-APT-CAMPAIGN","reporter":{"email":"red@example.jp"},"urls":["http://secret-c2.example/"],"received_at":"2026-04-20"}')
I1=$(keikai incident open "$P1" | tr -d '"')
keikai incident link "$I1" "$P2" >/dev/null
I2=$(keikai incident open "$P3" | tr -d '"')
I3=$(keikai incident open "$DF" | tr -d '"')
I4=$(keikai incident open "$RED" | tr -d '"')
I0=$(keikai incident open "$Q1" | tr -d '"')
keikai incident brand "$I1" "Example Bank" --origin domestic >/dev/null
keikai incident brand "$I2" "Global Pay" --origin foreign >/dev/null
keikai incident coordinate "$I1" --party "Hosting JP" --scope domestic --asked "stop it" --at 2026-04-03 >/dev/null
keikai incident coordinate "$I2" --party "US CSIRT" --scope csirt --asked "please help" --at 2026-05-12 >/dev/null
keikai incident coordinate "$I4" --party "Secret ISP" --scope overseas --asked "secret" --at 2026-04-21 >/dev/null
keikai incident coordinate "$I0" --party "ISP" --scope domestic --asked "scan" --at 2026-03-31T12:00 >/dev/null
start_server_only

api GET "/api/v1/incidents/figures?quarter=2026Q2"
assert_eq 200 "$STATUS" "public figures"
assert_contains "$BODY" '"reports":4,"incidents":3,"coordinations":2' "Q2: 4 reports, 3 incidents (two reports of one site count once), 2 coordinations; TLP:RED left out"
assert_contains "$BODY" '"previous":{"reports":1,"incidents":1,"coordinations":1}' "Q1 (2026-03-31 23:30 JST belongs there)"
assert_contains "$BODY" '{"category":"phishing","reports":3,"incidents":2}' "phishing per category"
assert_contains "$BODY" '{"category":"defacement","reports":1,"incidents":1}' "defacement"
assert_contains "$BODY" '{"category":"targeted","reports":0,"incidents":0}' "the TLP:RED targeted attack is not counted publicly"
assert_contains "$BODY" '{"month":"2026-04","reports":1,"incidents":1,"coordinations":1}' "April (JST)"
assert_contains "$BODY" '{"month":"2026-06","reports":1,"incidents":1,"coordinations":0}' "June 30 23:59 JST is June"
assert_contains "$BODY" '"coordination_scope":{"csirt":1,"domestic":1}' "coordination targets"
assert_contains "$BODY" '{"month":"2026-04","domestic":1,"foreign":0,"unknown":0}' "phishing by brand: domestic in April"
assert_contains "$BODY" '{"month":"2026-05","domestic":0,"foreign":1,"unknown":0}' "phishing by brand: foreign in May"
for s in SECRET secret-c2 phish.example p1@example.jp "Example Bank" "Hosting JP" "$P1"; do
	assert_not_contains "$BODY" "$s" "no item in the figures ($s)"
done
api GET "/api/v1/incidents/figures?quarter=2026Q2&all=1"
assert_contains "$BODY" '"reports":4,"incidents":3' "all=1 means nothing to the public"
api GET "/api/v1/incidents/figures?quarter=2026Q5"
assert_eq 422 "$STATUS" "a bad quarter: 422"
assert_eq quarter "$(json_str field)" "naming quarter"
api GET "/api/v1/incidents/figures?from=2026-04-01&to=2026-07-01"
assert_eq 403 "$STATUS" "any date range is for staff"

printf 'pw-coordinator-1234\n' | keikai user add --email coord@example.org --name C --role coordinator >/dev/null
make_token coord@example.org pw-coordinator-1234
api GET "/api/v1/incidents/figures?from=2026-04-01&to=2026-07-01&all=1" -H "Authorization: Bearer $TOKEN"
assert_eq 200 "$STATUS" "staff: any range"
assert_contains "$BODY" '"reports":5,"incidents":4,"coordinations":3' "staff count TLP:RED with all=1"

api GET "/api/v1/incidents/figures?quarter=2026Q2&format=csv"
assert_contains "$(header Content-Type)" "text/csv" "CSV"
assert_contains "$BODY" "total,period,4,3,2" "CSV totals"
assert_contains "$BODY" "phishing_by_brand,2026-05,0,1,0" "CSV phishing by brand"
assert_not_contains "$BODY" "SECRET" "no TLP:RED item in the CSV"

api GET "/incident/figures?quarter=2026Q2&lang=ja"
assert_eq 200 "$STATUS" "the public page"
assert_contains "$BODY" "インシデント対応の統計" "in Japanese"
assert_contains "$BODY" 'id="phishing-by-brand"' "phishing by brand table"
assert_not_contains "$BODY" "SECRET" "no TLP:RED item on the page"
assert_not_contains "$BODY" "@example.jp" "no reporter on the page"

# --- leak: a reporter's link shows only their own report
printf '{"category":"other","summary":"mine","reporter":{"email":"me@example.jp"}}' >"$TMP/mine.json"
out=$(keikai incident report --json "$TMP/mine.json")
T=$(printf '%s\n' "$out" | head -1)
K=$(printf '%s\n' "$out" | sed -n 's/^key: //p')
api GET "/api/v1/incidents/reports/$T?key=$K"
assert_eq 200 "$STATUS" "own report through the link"
api GET "/api/v1/incidents/reports/$P1?key=$K"
assert_eq 404 "$STATUS" "another report with my key: 404"
api GET "/incident/r/$P1?key=$K"
assert_eq 404 "$STATUS" "another report's page with my key: 404"
api GET "/api/v1/incidents/$I1?key=$K"
assert_eq 401 "$STATUS" "incidents are not the reporter's"
for p in /incident "/incident/r/$T?key=$K" "/incident/figures" /; do
	api GET "$p"
	assert_not_contains "$BODY" "red@example.jp" "no reporter contact on $p"
	assert_not_contains "$BODY" "SECRET-APT" "no TLP:RED item on $p"
done
done_testing

#!/bin/sh
# t3014 — the case pages with a signed-in browser session (cookie + CSRF):
# the coordinator's board and case page (per-vendor table, timeline), a
# vendor answering through the forms, the date always with its zone, the
# stalled board, the infrastructure portal; forms without the CSRF token fail.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/case-lib.sh"

keikai case add-vendor "$REF" "Alpha Soft" "Beta Systems" >/dev/null
keikai case notify "$REF" "Alpha Soft" >/dev/null
CJ=$TMP/coord.jar AJ=$TMP/alpha.jar
login coord@cc.example "$PW" "$CJ"; CSRF_C=$CSRF
login psirt@alpha.example "$PW" "$AJ"; CSRF_A=$CSRF

api GET /cases -b "$CJ"
assert_eq 200 "$STATUS" "the coordinator's board"
assert_contains "$BODY" "$REF" "lists the case"
assert_contains "$BODY" "2027-03-01 11:00 JST" "the date with its zone"
assert_contains "$BODY" 'id="nav-cases"' "the navigation links the cases"
api GET "/cases/$REF" -b "$CJ"
assert_contains "$BODY" 'id="vendor-table"' "the per-vendor table"
assert_contains "$BODY" "Beta Systems" "with every vendor"
assert_contains "$BODY" 'id="timeline"' "and the timeline"
assert_contains "$BODY" "case.vendor.notify" "which shows the notice"
api GET "/cases/$REF?vstate=added" -b "$CJ"
assert_not_contains "$BODY" "<td>Alpha Soft</td>" "the table filters by state"

post() { # JAR CSRF FORM... — POST /cases/$REF
	jar=$1 tok=$2
	shift 2
	api POST "/cases/$REF" -b "$jar" --data-urlencode "csrf=$tok" "$@"
}
post "$AJ" "" --data-urlencode verb=acknowledge
assert_eq 403 "$STATUS" "a form without the CSRF token is refused"
post "$AJ" "$CSRF_A" --data-urlencode verb=acknowledge
assert_eq 303 "$STATUS" "Alpha acknowledges through the form"
post "$AJ" "$CSRF_A" --data-urlencode verb=request_details
assert_eq 422 "$STATUS" "asking for details without the terms is refused"
post "$AJ" "$CSRF_A" --data-urlencode verb=request_details --data-urlencode accept_terms=1
assert_eq 303 "$STATUS" "Alpha asks for the details"
api GET "/cases/$REF" -b "$AJ"
assert_contains "$BODY" "詳細情報はご依頼の後にお送りします。" "no details until sent (the page in Japanese)"
assert_not_contains "$BODY" "Beta Systems" "Alpha never sees Beta's name"
post "$CJ" "$CSRF_C" --data-urlencode verb=send_details --data-urlencode "vendor_id=$ORG_A"
assert_eq 303 "$STATUS" "the coordinator sends the details from the table"
api GET "/cases/$REF" -b "$AJ"
assert_contains "$BODY" "SECRET-STEPS" "Alpha reads the details"
post "$AJ" "$CSRF_A" --data-urlencode verb=request_date --data-urlencode publish_at=2027-03-20T11:00 --data-urlencode "reason=fix on 3/18"
assert_eq 303 "$STATUS" "Alpha asks to move the date (Japan time)"
api GET "/cases/$REF" -b "$CJ"
assert_contains "$BODY" '2027-03-20 11:00 JST' "the request shows the asked date in JST"
REQ=$(keikai case show "$REF" | grep -o '"id":[0-9]*,"state":"requested"' | cut -d: -f2 | cut -d, -f1)
post "$CJ" "$CSRF_C" --data-urlencode verb=accept_date --data-urlencode "request=$REQ"
assert_eq 303 "$STATUS" "the coordinator accepts from the page"
api GET "/cases/$REF" -b "$AJ"
assert_contains "$BODY" '<dd id="publish-at"><time datetime="2027-03-20T02:00:00Z" title="2027-03-20T02:00:00Z">2027-03-20 11:00 JST</time>' "the moved date, in JST with UTC beside"
post "$AJ" "$CSRF_A" --data-urlencode verb=message --data-urlencode "body=question from Alpha"
assert_eq 303 "$STATUS" "Alpha writes to the coordinator"
post "$CJ" "$CSRF_C" --data-urlencode verb=message --data-urlencode thread=vendor --data-urlencode "vendor=Alpha Soft" --data-urlencode "body=answer to Alpha"
api GET "/cases/$REF" -b "$AJ"
assert_contains "$BODY" "answer to Alpha" "the thread on Alpha's page"
post "$AJ" "$CSRF_A" --data-urlencode verb=statement --data-urlencode vuln=1 --data-urlencode status=affected --data-urlencode "text_ja=影響あり"
assert_eq 303 "$STATUS" "Alpha posts a statement"
api GET "/cases/stalled?days=0" -b "$CJ"
assert_contains "$BODY" "$REF" "the stalled board lists open cases"
assert_contains "$BODY" "Beta Systems (added)" "with who is waited for"
api GET "/cases/stalled" -b "$AJ"
assert_eq 403 "$STATUS" "vendors have no stalled board"

# --- the infrastructure portal page
keikai org add --kind infrastructure "Grid Power" >/dev/null
mkuser ops@grid.example infrastructure "Grid Power"
keikai case infra-org "Grid Power" --sector power >/dev/null
cas POST "/api/v1/cases/$REF/statements" '{"vuln":1,"status":"fixed","text_en":"fixed in 3.3"}' "$TOK_A"
keikai case consulted "$REF" --note "Alpha agreed" >/dev/null
keikai case finder-told "$REF" --note "receiver told the finder" >/dev/null
keikai case infra-share "$REF" --org "Grid Power" --draft "DRAFT-FOR-GRID" --fix "update to 3.3" >/dev/null || fail "share"
GJ=$TMP/grid.jar
login ops@grid.example "$PW" "$GJ"
api GET /infra -b "$GJ"
assert_eq 200 "$STATUS" "the portal page"
assert_contains "$BODY" "DRAFT-FOR-GRID" "shows the draft"
assert_contains "$BODY" 'id="nav-infra"' "linked from the navigation"
api GET "/cases/$REF" -b "$GJ"
assert_eq 403 "$STATUS" "the case page itself stays closed to infrastructure"
done_testing

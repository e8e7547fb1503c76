#!/bin/sh
# t3013 — coordinators' operations: suggestions, merging two cases, a case
# with 120+ vendors paged and filtered server-side, the date set alone with a
# reason, the long-stalled board, cancelling publication when every vendor is
# not affected (the receiving organization is told, and the finder through
# intake's relay), and critical-infrastructure pre-notification behind its two
# records, readable only on the organization's own portal.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/case-lib.sh"

# --- suggestions: the report names "Alpha Soft"
out=$(keikai case suggest "$REF")
assert_contains "$out" "Alpha Soft" "the vendor named in the report is suggested"
cas GET "/api/v1/cases/$REF/suggestions" "$TOK_COORD"
assert_contains "$BODY" "\"vendor_id\":$ORG_A" "the API suggests it with its id"

# --- a second report opens a second case; merging moves its report and vulnerability
printf '%s' '{"kind":"product","finder":{"name":"Jiro","email":"jiro@finder.example"},"product":{"name":"RouterOS","version":"3.1"},"vulnerability":{"cwe":"CWE-79","description":"XSS in the status page"},"policy_ack":true}' |
	keikai report submit --json - >"$TMP/s2"
T2=$(sed -n 's/^tracking number: //p' "$TMP/s2")
keikai report accept "$T2" >/dev/null
out=$(keikai case open --report "$T2" 2>&1)
assert_contains "$out" "already in case KKC-2027-0002" "a report opens one case only"
keikai case merge "$REF" KKC-2027-0002 >/dev/null || fail "merge"
out=$(keikai case show "$REF")
assert_contains "$out" "\"reports\":[\"$TRACKING\",\"$T2\"]" "the merged case has both reports"
assert_contains "$out" '"seq":2' "and two vulnerabilities"
assert_contains "$(keikai case list --json)" '"state":"merged"' "the other case is merged"
cas POST /api/v1/cases "{\"reports\":[\"$T2\"]}" "$TOK_COORD"
assert_eq 409 "$STATUS" "the API refuses a report already in a case"

# --- 120+ vendors stay usable: the table is paged and filtered in SQL
# 120 vendors enter the directory by CSV, each with an e-mail contact
i=0
names=
echo "vendor,record,email" >"$TMP/bulk.csv"
while [ $i -lt 120 ]; do
	i=$((i + 1))
	n=$(printf 'Bulk Vendor %03d' $i)
	printf '%s,vendor,\n%s,contact,psirt%03d@bulk.example\n' "$n" "$n" $i >>"$TMP/bulk.csv"
	names="$names|$n"
done
keikai vendor import "$TMP/bulk.csv" >/dev/null || fail "vendor import"
IFS='|'
set -- $names
shift
keikai case add-vendor "$REF" "Alpha Soft" "Beta Systems" "Gamma Silent" "$@" >/dev/null || fail "add 123 vendors"
unset IFS
cas GET "/api/v1/cases/$REF/vendors?limit=50" "$TOK_COORD"
assert_contains "$BODY" '"total":123' "123 vendors in the case"
assert_eq 50 "$(printf '%s' "$BODY" | grep -o '"org_id"' | wc -l | tr -d ' ')" "one page of 50 rows"
cas GET "/api/v1/cases/$REF/vendors?limit=50&offset=100" "$TOK_COORD"
assert_eq 23 "$(printf '%s' "$BODY" | grep -o '"org_id"' | wc -l | tr -d ' ')" "the last page has 23"
cas GET "/api/v1/cases/$REF/vendors?q=Vendor%2011" "$TOK_COORD"
assert_contains "$BODY" '"total":10' "filtered by name (110-119)"
cas GET "/api/v1/cases/$REF/vendors?limit=501" "$TOK_COORD"
assert_eq 400 "$STATUS" "a page has at most 500 rows"
keikai case notify "$REF" --all >"$TMP/notify.out" || fail "notify all"
assert_eq 123 "$(wc -l <"$TMP/notify.out" | tr -d ' ')" "every vendor notified"
cas GET "/api/v1/cases/$REF/vendors?state=notified&limit=1" "$TOK_COORD"
assert_contains "$BODY" '"total":123' "filtered by state"
assert_contains "$(keikai mail list --json)" '"to":"psirt120@bulk.example"' "the directory's contact was written to"

# --- the coordinator sets the date alone, with a reason
out=$(keikai case date "$REF" --set 2027-02-20T11:00:00+09:00 2>&1)
assert_contains "$out" "reason" "a move needs a reason"
out=$(keikai case date "$REF" --set 2026-01-01T00:00:00Z --reason "x" 2>&1)
assert_contains "$out" "in the future" "a past date is refused"
out=$(keikai case date "$REF" --set 2027-02-20T11:00:00+09:00 --reason "no vendor answered; high risk")
assert_contains "$out" "2027-02-20 11:00 JST (2027-02-20T02:00:00Z)" "the date moved; shown with its zone"

# --- the long-stalled board
out=$(KEIKAI_TEST_NOW=2027-02-10T00:00:00Z keikai case stalled --days 30)
assert_eq "" "$out" "nothing idle for 30 days yet"
out=$(KEIKAI_TEST_NOW=2027-04-20T00:00:00Z keikai case stalled --days 30)
assert_contains "$out" "$REF" "the case is long-stalled after 94 days"
assert_contains "$out" "age   94 d" "with its age"
assert_contains "$out" "Alpha Soft (notified)" "and who is being waited for"
cas GET /api/v1/cases/stalled?days=0 "$TOK_COORD"
assert_contains "$BODY" '"waiting_for":"' "the API board says who is waited for"

# --- cancelling publication: every vendor not affected
printf '%s' '{"kind":"product","finder":{"name":"Saburo","email":"saburo@finder.example"},"product":{"name":"Widget"},"vulnerability":{"description":"a flaw"},"policy_ack":true}' |
	keikai report submit --json - >"$TMP/s3"
T3=$(sed -n 's/^tracking number: //p' "$TMP/s3")
keikai report accept "$T3" >/dev/null
C3=KKC-2027-0003
keikai case add-vendor "$C3" "Alpha Soft" "Beta Systems" >/dev/null
keikai case notify "$C3" --all >/dev/null
out=$(keikai case cancel "$C3" --reason all_not_affected 2>&1)
assert_contains "$out" "every vendor not_affected" "cancel needs every vendor's answer"
cas POST "/api/v1/cases/$C3/steps" '{"step":"no_affected_product"}' "$TOK_A"
cas POST "/api/v1/cases/$C3/steps" '{"step":"no_affected_product"}' "$TOK_B"
cas POST "/api/v1/cases/$C3/cancel" '{"reason":"all_already_known"}' "$TOK_COORD"
assert_eq 409 "$STATUS" "the reason must be the vendors' answer"
cas POST "/api/v1/cases/$C3/cancel" '{"reason":"all_not_affected","note":"no product affected"}' "$TOK_COORD"
assert_eq 200 "$STATUS" "the coordinator cancels publication"
assert_contains "$BODY" '"cancel_reason":"all_not_affected"' "the case records why"
out=$(keikai mail list --json)
assert_contains "$out" '"to":"rcv@recv.example","sealed":false,"encrypted":false,"subject":"['"$C3"'] 公表の取りやめ' "the receiving organization is told"
assert_contains "$(keikai audit --json --limit 50)" "the receiving organization and 1 finder told" "the audit row says who was told"
assert_contains "$(keikai report show "$T3")" "公表を取りやめます" "the coordinator tells the finder through intake's relay"
assert_contains "$(keikai mail list --json)" '"to":"finder of '"$T3"'"' "by sealed mail"
# from the CLI too
printf '%s' '{"kind":"product","finder":{"name":"Shiro","email":"shiro@finder.example"},"product":{"name":"Gadget"},"vulnerability":{"description":"known flaw"},"policy_ack":true}' |
	keikai report submit --json - >"$TMP/s4"
T4=$(sed -n 's/^tracking number: //p' "$TMP/s4")
keikai report accept "$T4" >/dev/null
keikai case add-vendor KKC-2027-0004 "Alpha Soft" >/dev/null
keikai case notify KKC-2027-0004 "Alpha Soft" >/dev/null
keikai case step KKC-2027-0004 request_details --accept-terms --as psirt@alpha.example >/dev/null
keikai case step KKC-2027-0004 send_details --vendor "Alpha Soft" >/dev/null
keikai case step KKC-2027-0004 verify --verification already_known --as psirt@alpha.example >/dev/null
keikai case cancel KKC-2027-0004 --reason all_already_known >/dev/null || fail "cancel from the CLI"
out=$(keikai report show "$T4")
assert_contains "$out" "Reason: every vendor reported the issue as already known" "the finder is told why through intake's thread"
assert_contains "$(keikai mail list --json)" '"to":"finder of '"$T4"'"' "by sealed mail (the address never unsealed here)"

# --- critical-infrastructure pre-notification
keikai org add --kind infrastructure "Grid Power" >/dev/null
keikai org add --kind infrastructure "Water Works" >/dev/null
mkuser ops@grid.example infrastructure "Grid Power"
mkuser ops@water.example infrastructure "Water Works"
make_token ops@grid.example "$PW"; TOK_GRID=$TOKEN
make_token ops@water.example "$PW"; TOK_WATER=$TOKEN
GRID=$(org_id "Grid Power")
out=$(keikai case infra-org "Grid Power" --sector nuclear 2>&1)
assert_contains "$out" "telecoms|finance|aviation|rail|power|gas|medical|water|logistics|government" "sectors are a closed list"
cas PUT "/api/v1/infra/orgs/$GRID" '{"sector":"power"}' "$TOK_COORD"
assert_eq 200 "$STATUS" "Grid Power registered in the power sector"
keikai case infra-org "Water Works" --sector water >/dev/null
share="{\"org_id\":$GRID,\"draft\":\"DRAFT-ADVISORY\",\"fix\":\"PATCH-3.3\"}"
cas POST "/api/v1/cases/$REF/infra-shares" "$share" "$TOK_COORD"
assert_eq 409 "$STATUS" "no sharing before a vendor has a fix or workaround (V.2 (6))"
assert_contains "$BODY" '"field":"fix"' "the refusal names the missing fix"
cas POST "/api/v1/cases/$REF/statements" '{"vuln":1,"status":"fixed","text_en":"fixed in 3.3"}' "$TOK_A"
assert_eq 200 "$STATUS" "Alpha states the vulnerability fixed"
cas POST "/api/v1/cases/$REF/infra-shares" "$share" "$TOK_COORD"
assert_eq 409 "$STATUS" "no sharing before the vendor consultation"
assert_contains "$BODY" '"field":"consultation"' "the refusal names the missing record"
cas POST "/api/v1/cases/$REF/prenotify" '{"record":"consulted","note":"Alpha agreed on 2027-01-16"}' "$TOK_COORD"
assert_eq 200 "$STATUS" "consultation recorded"
cas POST "/api/v1/cases/$REF/infra-shares" "$share" "$TOK_COORD"
assert_contains "$BODY" '"field":"finder_told"' "nor before the finder was told"
cas POST "/api/v1/cases/$REF/prenotify" '{"record":"finder_told","note":"told by the receiver on 2027-01-16"}' "$TOK_COORD"
cas POST "/api/v1/cases/$REF/infra-shares" "$share" "$TOK_COORD"
assert_eq 201 "$STATUS" "shared with Grid Power"
cas GET /api/v1/infra/shares "$TOK_GRID"
assert_contains "$BODY" "DRAFT-ADVISORY" "Grid Power reads the draft on its portal"
assert_contains "$BODY" '"sector":"power"' "with its sector"
cas GET /api/v1/infra/shares "$TOK_WATER"
assert_not_contains "$BODY" "DRAFT-ADVISORY" "Water Works (not shared) reads nothing"
cas GET "/api/v1/cases/$REF" "$TOK_GRID"
assert_eq 403 "$STATUS" "infrastructure reaches it only through its portal, not the case"
a=$(keikai audit --json --limit 100)
assert_contains "$a" '"action":"case.infra_share"' "the sharing is audited"
assert_contains "$a" '"action":"infra.portal_read"' "each portal read is audited"
# --- a hand-off recorded before coordination existed (an old database: the report accepted, the
# hand-off pending, no case) gets its case from `keikai case open --pending` or from the scheduler
printf '%s' '{"kind":"product","finder":{"name":"Old Finder","email":"old@finder.example"},"product":{"name":"LegacyOS","vendor":"Beta Systems"},"vulnerability":{"description":"old bug"},"policy_ack":true}' |
	keikai report submit --json - >"$TMP/old1.out" || fail "old report 1"
OLD1=$(sed -n 's/^tracking number: //p' "$TMP/old1.out")
printf '%s' '{"kind":"product","finder":{"name":"Old Finder","email":"old@finder.example"},"product":{"name":"LegacyOS 2","vendor":"Beta Systems"},"vulnerability":{"description":"old bug 2"},"policy_ack":true}' |
	keikai report submit --json - >"$TMP/old2.out" || fail "old report 2"
OLD2=$(sed -n 's/^tracking number: //p' "$TMP/old2.out")
for t in "$OLD1" "$OLD2"; do
	sqlite3 "$DB" "UPDATE report SET status = 'accepted' WHERE tracking = '$t';
		INSERT INTO case_handoff (report_id, kind, state, created_at) SELECT id, 'product', 'pending', 0 FROM report WHERE tracking = '$t';"
done
out=$(keikai case open --pending --as sec@beta.example 2>&1)
assert_contains "$out" "may not coordinate" "a vendor cannot open pending hand-offs"
out=$(keikai case open --pending)
assert_contains "$out" " $OLD1" "keikai case open --pending opens a case for the first old report"
assert_contains "$out" " $OLD2" "and for the second"
assert_contains "$out" "2 pending hand-offs opened" "and says how many"
assert_eq 0 "$(sqlite3 "$DB" "SELECT count(*) FROM case_handoff WHERE state = 'pending'")" "no hand-off is left pending"
printf '%s' '{"kind":"product","finder":{"name":"Old Finder","email":"old@finder.example"},"product":{"name":"LegacyOS 3"},"vulnerability":{"description":"old bug 3"},"policy_ack":true}' |
	keikai report submit --json - >"$TMP/old3.out" || fail "old report 3"
OLD3=$(sed -n 's/^tracking number: //p' "$TMP/old3.out")
sqlite3 "$DB" "UPDATE report SET status = 'accepted' WHERE tracking = '$OLD3';
	INSERT INTO case_handoff (report_id, kind, state, created_at) SELECT id, 'product', 'pending', 0 FROM report WHERE tracking = '$OLD3';"
out=$(keikai tick)
assert_contains "$out" "1 case(s) opened from pending hand-offs" "the scheduler opens pending hand-offs by itself"
assert_contains "$(sqlite3 "$DB" "SELECT case_ref FROM case_handoff h JOIN report r ON r.id = h.report_id WHERE r.tracking = '$OLD3'")" "KKC-" "the hand-off records its case"
assert_eq "" "$(keikai tick | grep -o 'opened from pending')" "and nothing twice"
done_testing

#!/bin/sh
# t3012 — what one vendor can never read of another: vendor B, on every case
# route (API, and the pages when present), never sees vendor A's statements,
# private thread, fix, date request, name or the details; no vendor sees the
# details before asking; a vendor added but not notified sees nothing at all;
# and B cannot act for A.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/case-lib.sh"

keikai case add-vendor "$REF" "Alpha Soft" "Beta Systems" "Gamma Silent" >/dev/null || fail "add vendors"
keikai case notify "$REF" "Alpha Soft" "Beta Systems" >/dev/null || fail "notify A and B"
keikai case add-vuln "$REF" --title "second issue" --cwe 79 >/dev/null || fail "add a second vulnerability"
# the report carries an attachment: part of the details
printf 'PCAP-SECRET-CONTENT\n' >"$TMP/hanako-trace.txt"
keikai report attach "$TRACKING" "$TMP/hanako-trace.txt" >/dev/null || fail "attach a file to the report"
SHA=$(sha256sum "$TMP/hanako-trace.txt" | cut -d' ' -f1)
cas GET "/api/v1/cases/$REF/files/$SHA" "$TOK_A"
assert_eq 404 "$STATUS" "A cannot download the details' file before asking"
# A goes all the way and leaves private traces everywhere
cas POST "/api/v1/cases/$REF/steps" '{"step":"request_details","accept_terms":true}' "$TOK_A"
keikai case step "$REF" send_details --vendor "Alpha Soft" >/dev/null || fail "details to A"
cas POST "/api/v1/cases/$REF/steps" '{"step":"verify","verification":"affected"}' "$TOK_A"
cas POST "/api/v1/cases/$REF/steps" '{"step":"report_fix","text":"ALPHA-FIX-TEXT"}' "$TOK_A"
assert_eq 200 "$STATUS" "A reports its fix"
cas POST "/api/v1/cases/$REF/statements" '{"vuln":1,"status":"fixed","text_ja":"ALPHA-STATEMENT-JA","text_en":"ALPHA-STATEMENT-EN"}' "$TOK_A"
assert_eq 200 "$STATUS" "A's statement"
cas POST "/api/v1/cases/$REF/date-requests" '{"publish_at":"2027-04-01T11:00:00+09:00","reason":"ALPHA-DATE-REASON"}' "$TOK_A"
assert_eq 201 "$STATUS" "A's date request"
cas POST "/api/v1/cases/$REF/messages" '{"body":"ALPHA-TO-COORD"}' "$TOK_A"
assert_eq 201 "$STATUS" "A writes in its own thread"
cas POST "/api/v1/cases/$REF/messages" "{\"thread\":\"vendor\",\"vendor_id\":$ORG_A,\"body\":\"COORD-TO-ALPHA\"}" "$TOK_COORD"
assert_eq 201 "$STATUS" "the coordinator answers A"
cas POST "/api/v1/cases/$REF/messages" '{"thread":"coordinators","body":"COORD-INTERNAL"}' "$TOK_COORD"
assert_eq 201 "$STATUS" "a coordinators-only note"
cas POST "/api/v1/cases/$REF/messages" '{"thread":"all","body":"TO-ALL-VENDORS"}' "$TOK_COORD"
assert_eq 201 "$STATUS" "a message to all vendors"
# the finder's traces: a coordinator's message to the finder and the finder's answer (secret link)
cas POST "/api/v1/cases/$REF/finder-messages" '{"body":"COORD-TO-FINDER"}' "$TOK_COORD"
assert_eq 201 "$STATUS" "the coordinator writes to the finder"
cas POST "/api/v1/cases/$REF/finder-messages" '{"body":"VENDOR-TO-FINDER"}' "$TOK_A"
assert_eq 403 "$STATUS" "a vendor cannot write to the finder"
FKEY=$(sed -n 's/^secret link: .*?key=//p' "$TMP/submit.out")
api_json POST "/api/v1/reports/$TRACKING/messages" "{\"key\":\"$FKEY\",\"body\":\"FINDER-TO-COORD\"}"
assert_eq 201 "$STATUS" "the finder answers through the secret link"
# B's own traces
cas POST "/api/v1/cases/$REF/statements" '{"vuln":1,"status":"investigating","text_en":"BETA-STATEMENT"}' "$TOK_B"
assert_eq 200 "$STATUS" "B's statement"

SECRETS="PCAP-SECRET-CONTENT hanako-trace ALPHA-FIX-TEXT ALPHA-STATEMENT-JA ALPHA-STATEMENT-EN ALPHA-DATE-REASON ALPHA-TO-COORD COORD-TO-ALPHA COORD-INTERNAL Alpha Gamma SECRET-STEPS psirt@alpha COORD-TO-FINDER FINDER-TO-COORD Hanako hanako@finder $TRACKING"
check_b() { # PATH — B's answer holds none of A's secrets
	cas GET "$1" "$TOK_B"
	for s in $SECRETS; do
		case "$BODY" in
		*"$s"*) fail "B reads '$s' at GET $1 (HTTP $STATUS)" ;;
		*) CHECKS=$((CHECKS + 1)) ;;
		esac
	done
}
for p in /api/v1/cases "/api/v1/cases?state=open" "/api/v1/cases/$REF" "/api/v1/cases/$REF/vendors" \
	"/api/v1/cases/$REF/vendors?q=Alpha" "/api/v1/cases/$REF/vendors?state=fix_reported" "/api/v1/cases/$REF/statements" \
	"/api/v1/cases/$REF/messages" "/api/v1/cases/$REF/messages?thread=vendor" \
	"/api/v1/cases/$REF/messages?thread=coordinators" "/api/v1/cases/$REF/messages?thread=finder" \
	"/api/v1/cases/$REF/messages?vendor_id=$ORG_A" \
	"/api/v1/cases/$REF/timeline" "/api/v1/cases/$REF/suggestions" /api/v1/cases/stalled /api/v1/infra/shares \
	"/cases" "/cases/$REF" "/cases/$REF/vendors" "/cases/stalled" "/api/v1/cases/$REF/files/$SHA"; do
	check_b "$p"
done
pass "B read none of A's traces on $CHECKS checks"
for p in "/api/v1/cases/$REF" "/api/v1/cases/$REF/messages" "/api/v1/cases/$REF/messages?thread=coordinators" "/cases/$REF"; do
	cas GET "$p" "$TOK_A"
	for s in COORD-TO-FINDER FINDER-TO-COORD Hanako hanako@finder; do
		assert_not_contains "$BODY" "$s" "no vendor reads the finder's messages or identity: A at $p ($s)"
	done
done
cas GET "/api/v1/cases/$REF/messages?thread=finder" "$TOK_A"
assert_eq 404 "$STATUS" "the finder's thread does not exist for a vendor"
cas GET "/cases/$REF" "$TOK_B"
assert_eq 200 "$STATUS" "B's case page is served (so the checks above read real pages)"
assert_contains "$BODY" "BETA-STATEMENT" "B's page shows its own statement"
assert_contains "$BODY" "TO-ALL-VENDORS" "and the all-vendors thread"
cas GET "/cases/$REF" "$TOK_A"
assert_contains "$BODY" "SECRET-STEPS" "A's page shows the details it was sent"
assert_not_contains "$BODY" "BETA-STATEMENT" "but not B's statement"

cas GET "/api/v1/cases/$REF" "$TOK_B"
assert_contains "$BODY" "BETA-STATEMENT" "B reads its own statement"
assert_contains "$BODY" '"details_visible":false' "B never asked: no details"
cas GET "/api/v1/cases/$REF/messages" "$TOK_B"
assert_contains "$BODY" "TO-ALL-VENDORS" "B reads the all-vendors thread"
cas GET "/api/v1/cases/$REF/vendors" "$TOK_B"
assert_contains "$BODY" '"total":1' "B's vendor table is its own row"
cas GET "/api/v1/cases/$REF" "$TOK_A"
assert_contains "$BODY" "SECRET-STEPS" "A (asked, sent) reads the details"
assert_contains "$BODY" "\"name\":\"attachment-$(printf '%.12s' "$SHA").txt\"" "with the attachment under a neutral name"
assert_not_contains "$BODY" "hanako" "the finder's file name never reaches the vendor"
cas GET "/api/v1/cases/$REF/files/$SHA" "$TOK_A"
assert_eq 200 "$STATUS" "A downloads the attachment"
assert_contains "$BODY" "PCAP-SECRET-CONTENT" "its content"
assert_contains "$(header Content-Disposition)" "attachment; filename=\"attachment-" "always as a download"
cas GET "/api/v1/cases/$REF/files/$SHA" "$TOK_B"
assert_eq 404 "$STATUS" "B (never asked) cannot download it"
cas GET "/api/v1/cases/$REF/files/$SHA" "$TOK_C"
assert_eq 404 "$STATUS" "nor Gamma"
assert_not_contains "$BODY" "BETA-STATEMENT" "A does not read B's statement"
assert_not_contains "$BODY" "Beta" "nor B's name"

# --- B cannot act for A, and learns nothing from trying
for j in "{\"step\":\"ready\",\"vendor_id\":$ORG_A}" "{\"step\":\"acknowledge\",\"vendor_id\":$ORG_A}"; do
	cas POST "/api/v1/cases/$REF/steps" "$j" "$TOK_B"
	assert_eq 403 "$STATUS" "B cannot step for A: $j"
done
cas POST "/api/v1/cases/$REF/statements" "{\"vuln\":1,\"status\":\"fixed\",\"text_en\":\"x\",\"vendor_id\":$ORG_A}" "$TOK_B"
assert_eq 403 "$STATUS" "B cannot write A's statement"
cas POST "/api/v1/cases/$REF/messages" "{\"vendor_id\":$ORG_A,\"body\":\"hello\"}" "$TOK_B"
assert_eq 403 "$STATUS" "B cannot write in A's thread"
cas POST "/api/v1/cases/$REF/messages" '{"thread":"all","body":"hello all"}' "$TOK_B"
assert_eq 403 "$STATUS" "B cannot write to all vendors (identities would leak)"

# --- the coordinator shares Alpha with the others: its name, state and statements only
cas POST "/api/v1/cases/$REF/vendors/$ORG_A/share" '{"shared":true}' "$TOK_B"
assert_eq 403 "$STATUS" "a vendor cannot share another"
cas POST "/api/v1/cases/$REF/vendors/$ORG_A/share" '{"shared":true}' "$TOK_COORD"
assert_eq 200 "$STATUS" "the coordinator shares Alpha"
cas GET "/api/v1/cases/$REF" "$TOK_B"
assert_contains "$BODY" '"shared_vendors":[{"vendor":"Alpha Soft","state":"fix_reported","verification":"affected"}]' \
	"B now sees Alpha's name and state"
assert_contains "$BODY" "ALPHA-STATEMENT-EN" "and Alpha's statement"
for s in ALPHA-FIX-TEXT ALPHA-DATE-REASON ALPHA-TO-COORD COORD-TO-ALPHA SECRET-STEPS psirt@alpha PCAP-SECRET-CONTENT; do
	for p in "/api/v1/cases/$REF" "/api/v1/cases/$REF/messages" "/api/v1/cases/$REF/vendors" "/cases/$REF"; do
		cas GET "$p" "$TOK_B"
		assert_not_contains "$BODY" "$s" "shared or not, B never reads $s at $p"
	done
done
cas GET "/cases/$REF" "$TOK_B"
assert_contains "$BODY" 'id="shared-vendors"' "B's page lists the shared vendors"
keikai case share "$REF" "Alpha Soft" --off >/dev/null || fail "unshare"
cas GET "/api/v1/cases/$REF" "$TOK_B"
assert_not_contains "$BODY" "Alpha" "hidden again: B sees no trace of Alpha"

# --- Gamma was added but never notified: the case does not exist for it
for p in "/api/v1/cases/$REF" "/api/v1/cases/$REF/vendors" "/api/v1/cases/$REF/statements" "/api/v1/cases/$REF/messages"; do
	cas GET "$p" "$TOK_C"
	assert_eq 404 "$STATUS" "Gamma (not notified): 404 at $p"
done
cas GET /api/v1/cases "$TOK_C"
assert_not_contains "$BODY" "$REF" "Gamma's case list is empty"
# another case B is not in: 404, the same as no case at all
keikai report submit --json - >"$TMP/s2" <<'J'
{"kind":"product","finder":{"name":"F2","email":"f2@finder.example"},"product":{"name":"Other"},"vulnerability":{"description":"other bug"},"policy_ack":true}
J
keikai report accept "$(sed -n 's/^tracking number: //p' "$TMP/s2")" >/dev/null
cas GET /api/v1/cases/KKC-2027-0002 "$TOK_B"
assert_eq 404 "$STATUS" "a case B is not in answers 404"
b1=$BODY
cas GET /api/v1/cases/KKC-2027-0999 "$TOK_B"
assert_eq 404 "$STATUS" "no such case answers 404"
assert_eq "$(printf '%s' "$b1" | sed 's/KKC-2027-0002/X/')" "$(printf '%s' "$BODY" | sed 's/KKC-2027-0999/X/')" "both 404s say the same"
done_testing

#!/bin/sh
# t3023 — a vendor names another vendor that may be affected (003 appendix B
# V.4 (3); issue 15 item 6): a structured answer (name, product, contact,
# reason) through the API, the page and the CLI; the coordinators are mailed
# and see it as a suggestion to add that vendor (matched to the directory),
# add it or set it aside; no other vendor ever sees who was named or by whom.
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail"
. "$(dirname "$0")/case-lib.sh"

mailtext() { # decoded text of every mail whose To: is $1
	for f in "$KEIKAI_MAILDIR"/new/*; do
		[ -f "$f" ] || continue
		grep -qi "^To: .*$1" "$f" || continue
		grep -i '^Subject:' "$f" | sed 's/.*=?UTF-8?B?\([^?]*\)?=.*/\1/' | base64 -d 2>/dev/null
		sed '1,/^\r*$/d' "$f" | tr -d '\r' | base64 -d 2>/dev/null || sed '1,/^\r*$/d' "$f"
	done
}
keikai case add-vendor "$REF" "Alpha Soft" "Beta Systems" >/dev/null || fail "add vendors"
keikai case notify "$REF" --all >/dev/null || fail "notify"

cas POST "/api/v1/cases/$REF/named-vendors" '{"name":"Gamma Silent","product":"RouterOS OEM","contact":"info@gamma.example","reason":"ALPHA-OEM-REASON ships our firmware"}' "$TOK_A"
assert_eq 201 "$STATUS" "Alpha names Gamma as possibly affected"
SID=$(json_int suggestion)
[ -n "$SID" ] || fail "a suggestion id"
cas POST "/api/v1/cases/$REF/named-vendors" '{"product":"x"}' "$TOK_A"
assert_eq 422 "$STATUS" "a name is required"
assert_contains "$BODY" '"field":"name"' "naming the field"
cas POST "/api/v1/cases/$REF/named-vendors" '{"name":"Alpha Soft"}' "$TOK_A"
assert_eq 422 "$STATUS" "a vendor does not name itself"
cas POST "/api/v1/cases/$REF/named-vendors" '{"name":"Delta Unknown","reason":"same library"}' "$TOK_C"
assert_eq 404 "$STATUS" "a vendor outside the case cannot name anyone in it"

# the coordinator sees it as a suggestion, matched to the directory, with who named it
cas GET "/api/v1/cases/$REF/suggestions" "$TOK_COORD"
assert_contains "$BODY" '"source":"vendor"' "a vendor's suggestion"
assert_contains "$BODY" "\"vendor_id\":$ORG_C,\"name\":\"Gamma Silent\"" "matched to the directory's Gamma Silent"
assert_contains "$BODY" "named by vendor Alpha Soft" "saying who named it"
assert_contains "$BODY" "ALPHA-OEM-REASON" "and why"
assert_contains "$BODY" "\"suggestion\":$SID" "with its id"
keikai mail flush >/dev/null 2>&1
assert_contains "$(mailtext coord@cc.example)" "names Gamma Silent as possibly affected" "the coordinators are mailed"
assert_contains "$(keikai case suggest "$REF")" "Gamma Silent" "the CLI's suggestions list it"
CJ=$TMP/coord.jar
login coord@cc.example "$PW" "$CJ"
api GET "/cases/$REF" -b "$CJ"
assert_contains "$BODY" 'id="named-vendors"' "the coordinator's case page lists what vendors named"
assert_contains "$BODY" "ALPHA-OEM-REASON" "with the reason"

# no other vendor sees it
for u in "/api/v1/cases/$REF" "/api/v1/cases/$REF/messages" "/cases/$REF"; do
	cas GET "$u" "$TOK_B"
	assert_not_contains "$BODY" "Gamma Silent" "Beta ($u) does not see who was named"
	assert_not_contains "$BODY" "ALPHA-OEM-REASON" "nor why"
done
cas GET "/api/v1/cases/$REF/suggestions" "$TOK_B"
assert_eq 403 "$STATUS" "the suggestions are the coordinators'"
assert_not_contains "$(mailtext sec@beta.example)" "Gamma" "Beta's mail names no one"

# the coordinator adds the named vendor; a second suggestion is set aside
cas POST "/api/v1/cases/$REF/vendors" "{\"vendor_id\":$ORG_C}" "$TOK_COORD"
assert_eq 201 "$STATUS" "the coordinator adds Gamma"
cas GET "/api/v1/cases/$REF/suggestions" "$TOK_COORD"
assert_contains "$BODY" "\"name\":\"Gamma Silent\",\"why\":\"named by vendor Alpha Soft" "the suggestion stays"
assert_contains "$BODY" '"in_case":true' "now marked as in the case"
out=$(keikai case name-vendor "$REF" "Epsilon Labs" --reason "BETA-FORK" --as sec@beta.example)
assert_contains "$out" "suggested to the coordinators" "Beta names a vendor from the CLI"
SID2=$(keikai case suggest "$REF" | grep -c "Epsilon Labs")
assert_eq 1 "$SID2" "listed once"
cas GET "/api/v1/cases/$REF/suggestions" "$TOK_COORD"
ID2=$(printf '%s' "$BODY" | tr '{' '\n' | grep '"Epsilon Labs"' | grep -o '"suggestion":[0-9]*' | cut -d: -f2)
cas POST "/api/v1/cases/$REF/named-vendors/$ID2/dismiss" '{}' "$TOK_COORD"
assert_eq 200 "$STATUS" "the coordinator sets it aside"
cas GET "/api/v1/cases/$REF/suggestions" "$TOK_COORD"
assert_not_contains "$BODY" "Epsilon Labs" "it leaves the suggestions"
cas POST "/api/v1/cases/$REF/named-vendors/$ID2/dismiss" '{}' "$TOK_COORD"
assert_eq 404 "$STATUS" "only once"
cas POST "/api/v1/cases/$REF/named-vendors/$SID/dismiss" '{}' "$TOK_A"
assert_eq 403 "$STATUS" "a vendor cannot set suggestions aside"

# from the vendor's page
AJ=$TMP/alpha.jar
login psirt@alpha.example "$PW" "$AJ"
api GET "/cases/$REF" -b "$AJ"
assert_contains "$BODY" 'value="name_vendor"' "Alpha's page has the form"
api POST "/cases/$REF" -b "$AJ" --data-urlencode "csrf=$CSRF" --data-urlencode verb=name_vendor \
	--data-urlencode "name=Zeta Devices" --data-urlencode "reason=same SDK"
assert_eq 303 "$STATUS" "Alpha names a vendor from its page"
assert_contains "$(keikai case suggest "$REF")" "Zeta Devices" "it reaches the coordinators"
assert_contains "$(keikai audit --json --limit 30)" '"action":"case.vendor.named"' "audited"
done_testing

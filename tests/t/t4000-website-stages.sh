#!/bin/sh
# t4000 — one website case through all three stages over the API: accepting a
# website report opens the case with a random handling number; stage 1 mails only
# the URL and a link; the operator gives a contact point through the link (the link
# is then replaced), agrees on protection (portal only), reads the details, acknowledges,
# ticks the checklist, gives an estimate, reports completion; the finder is told and
# confirms; the receiver closes the case as fixed; board and figures count it.
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail" KEIKAI_TEST_NOW=2026-03-02T09:00:00Z KEIKAI_BASE_URL=https://kk.example
start_server

# decoded mails (one block per file: headers, blank line, body) for grepping
mails() {
	for f in "$KEIKAI_MAILDIR"/new/*; do
		[ -f "$f" ] || continue
		tr -d '\r' <"$f" | sed '/^$/q'
		body=$(tr -d '\r' <"$f" | sed '1,/^$/d')
		if tr -d '\r' <"$f" | grep -qi '^Content-Transfer-Encoding: base64'; then
			printf '%s\n' "$body" | base64 -d 2>/dev/null
		else
			printf '%s\n' "$body"
		fi
		echo
	done
}
# the mail files sent to address $1, decoded
mail_to() {
	for f in "$KEIKAI_MAILDIR"/new/*; do
		tr -d '\r' <"$f" | grep -qi "^To: $1\$" || continue
		tr -d '\r' <"$f" | sed '/^$/q'
		if tr -d '\r' <"$f" | grep -qi '^Content-Transfer-Encoding: base64'; then
			tr -d '\r' <"$f" | sed '1,/^$/d' | base64 -d 2>/dev/null
		else
			tr -d '\r' <"$f" | sed '1,/^$/d'
		fi
	done
}
OPSEEN=$TMP/operator-saw # everything the operator gets, for the leak check at the end
: >"$OPSEEN"

printf '%s\n' "receiver-password-1" | keikai user add --email rcv@example.org --name Receiver --role receiver >/dev/null
R='{"kind":"website","lang":"ja","finder":{"name":"Hanako Finder","email":"hanako.finder@example.jp"},"website":{"name":"Shop","url":"https://shop.example.com/cart"},"vulnerability":{"cwe":"CWE-89","description":"SQL injection in the cart","steps":"add a quote to id","impact":"every order can be read"},"policy_ack":true}'
api_json POST /api/v1/reports "$R"
T=$(json_str tracking)
FK=$(json_str key)
out=$(keikai report accept "$T" 2>&1)
assert_eq 0 "$?" "the website report is accepted"
H=$(keikai website list --json | grep -o '"handling":"[^"]*"' | head -1 | sed 's/.*:"//; s/"$//')
case "$H" in
IPA#[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]) pass "handling number $H" ;;
*) fail "handling number: got '$H'" ;;
esac
N=${H#IPA#}
assert_contains "$(keikai audit --limit 5)" "(website case $H opened)" "the acceptance names the case"

login rcv@example.org receiver-password-1 "$TMP/rcv"
RC="-b $TMP/rcv -H X-CSRF-Token:$CSRF"
api GET "/api/v1/website/cases/$N" -b "$TMP/rcv"
assert_eq 200 "$STATUS" "the receiver reads the case"
assert_eq opened "$(json_str stage)" "stage opened"
assert_contains "$BODY" '"flaw_type":"CWE-89"' "details copied from the report"

# --- stage 1: only the URL and the link
api_json POST "/api/v1/website/cases/$N" '{"action":"notify","addresses":"info@shop.example.com, bad"}' $RC
assert_eq 422 "$STATUS" "a bad address is refused"
assert_eq addresses "$(json_str field)" "naming the field"
api_json POST "/api/v1/website/cases/$N" '{"action":"notify","addresses":"info@shop.example.com"}' $RC
assert_eq 200 "$STATUS" "stage 1 notice sent"
assert_eq stage1 "$(json_str stage)" "stage 1"
L1=$(json_str link)
K1=${L1#*key=}
assert_eq 43 "${#K1}" "the link holds 32 random bytes"
keikai mail flush >/dev/null
M1=$(mail_to info@shop.example.com)
printf '%s\n' "$M1" >>"$OPSEEN"
assert_contains "$M1" "https://shop.example.com/cart" "the notice has the URL"
assert_contains "$M1" "$L1" "and the link"
assert_not_contains "$M1" "$H" "stage 1 has no handling number"
assert_not_contains "$M1" "SQL injection" "nor the details"
assert_eq 0 "$(cat "$DB" "$DB-wal" 2>/dev/null | grep -c "$K1")" "the link is nowhere in the database in plain"

# --- the operator through the link
api GET "/api/v1/website/portal?key=$K1"
printf '%s\n' "$BODY" >>"$OPSEEN"
assert_eq 200 "$STATUS" "the link opens the case"
assert_contains "$BODY" '"handling":null' "the operator does not see the handling number yet"
assert_not_contains "$BODY" "details" "nor the details"
assert_not_contains "$BODY" "$T" "nor the report's tracking number"
api GET "/api/v1/website/portal?key=x$K1"
assert_eq 404 "$STATUS" "a wrong key: 404"
printf '%s\n' "$BODY" >>"$OPSEEN"
api_json POST /api/v1/website/portal "{\"key\":\"$K1\",\"action\":\"contact\",\"email\":\"sec@shop.example.com\",\"name\":\"Security Team\"}"
assert_eq 200 "$STATUS" "the contact point given"
printf '%s\n' "$BODY" >>"$OPSEEN"
assert_eq stage2 "$(json_str stage)" "stage 2"
api GET "/api/v1/website/portal?key=$K1"
assert_eq 404 "$STATUS" "the first link no longer works"
keikai mail flush >/dev/null
M2=$(mail_to sec@shop.example.com)
printf '%s\n' "$M2" >>"$OPSEEN"
K2=$(printf '%s\n' "$M2" | grep -o 'portal?key=[A-Za-z0-9_-]*' | head -1 | sed 's/.*key=//')
assert_eq 43 "${#K2}" "the contact point got a new link"
assert_contains "$M2" "PGP" "asking how to protect the details"

# --- stage 2 -> 3: a bad key is refused, then portal only
api_json POST /api/v1/website/portal "{\"key\":\"$K2\",\"action\":\"protect\",\"pgp_key\":\"not a key\"}"
assert_eq 422 "$STATUS" "a bad PGP key is refused"
assert_eq pgp_key "$(json_str field)" "naming pgp_key"
printf '%s\n' "$BODY" >>"$OPSEEN"
api_json POST /api/v1/website/portal "{\"key\":\"$K2\",\"action\":\"protect\",\"portal\":true}"
assert_eq 200 "$STATUS" "portal only chosen"
printf '%s\n' "$BODY" >>"$OPSEEN"
assert_eq stage3 "$(json_str stage)" "stage 3"
assert_eq "$H" "$(json_str handling)" "the handling number is shown from stage 3"
assert_contains "$BODY" '"reproduce":"add a quote to id"' "the details on the portal"
assert_contains "$BODY" '"target_at":"2026-06-02T09:00:00Z"' "target three months after stage 3"
keikai mail flush >/dev/null
M3=$(mail_to sec@shop.example.com)
printf '%s\n' "$M3" >>"$OPSEEN"
subj=$(printf '%s\n' "$M3" | sed -n 's/^Subject: =?UTF-8?B?\([^?]*\)?=.*/\1/p' | while read -r w; do printf '%s' "$w" | base64 -d 2>/dev/null; echo; done)
assert_contains "$subj" "[$H]" "the stage 3 subject starts with the handling number"
assert_contains "$M3" "Handling number: $H" "and so does its text"

# --- the operator's checklist, notes, estimate, completion
api_json POST /api/v1/website/portal "{\"key\":\"$K2\",\"action\":\"ack\"}"
assert_eq 200 "$STATUS" "acknowledged"
assert_contains "$BODY" '{"item":"receipt","done":true' "receipt ticked"
api_json POST /api/v1/website/portal "{\"key\":\"$K2\",\"action\":\"check\",\"item\":\"investigation\"}"
assert_contains "$BODY" '{"item":"investigation","done":true' "investigation ticked"
api_json POST /api/v1/website/portal "{\"key\":\"$K2\",\"action\":\"note\",\"text\":\"we found the query\"}"
assert_contains "$BODY" "we found the query" "progress note kept"
api_json POST /api/v1/website/portal "{\"key\":\"$K2\",\"action\":\"estimate\",\"date\":\"2026-05-01\"}"
assert_eq 422 "$STATUS" "an estimate before the target is refused"
assert_eq estimate "$(json_str field)" "naming estimate"
api_json POST /api/v1/website/portal "{\"key\":\"$K2\",\"action\":\"estimate\",\"date\":\"2026-07-15\",\"text\":\"a new shop system\"}"
assert_eq 200 "$STATUS" "an estimate after the target"
printf '%s\n' "$BODY" >>"$OPSEEN"
api_json POST /api/v1/website/portal "{\"key\":\"$K2\",\"action\":\"complete\",\"text\":\"Parameterised every cart query.\"}"
assert_eq 200 "$STATUS" "completion reported"
printf '%s\n' "$BODY" >>"$OPSEEN"
assert_eq completed "$(json_str stage)" "stage completed"
assert_contains "$BODY" '{"item":"completion","done":true' "the checklist is complete"

# --- the finder is told and confirms
keikai mail flush >/dev/null
MF=$(mail_to hanako.finder@example.jp)
assert_contains "$MF" "Parameterised every cart query." "the finder is told what was done"
assert_contains "$MF" "$H" "with the handling number"
assert_contains "$MF" "/website/finder/$T" "and where to confirm"
api GET "/api/v1/website/finder/$T?key=$FK"
assert_eq 200 "$STATUS" "the finder's view"
assert_eq completed "$(json_str stage)" "completed for the finder"
assert_not_contains "$BODY" "sec@shop.example.com" "the finder does not get the operator's contact"
api_json POST "/api/v1/website/finder/$T" "{\"key\":\"x$FK\",\"action\":\"confirm\"}"
assert_eq 404 "$STATUS" "a wrong key cannot confirm"
api_json POST "/api/v1/website/finder/$T" "{\"key\":\"$FK\",\"action\":\"confirm\",\"text\":\"fixed indeed\"}"
assert_eq 200 "$STATUS" "the finder confirms"
assert_contains "$BODY" '"finder_confirmed_at":"2026-03-02T09:00:00Z"' "confirmation recorded"

# --- closing, board, figures
api_json POST "/api/v1/website/cases/$N" '{"action":"close","outcome":"operator_unreachable"}' $RC
assert_eq 409 "$STATUS" "not unreachable: refused"
api_json POST "/api/v1/website/cases/$N" '{"action":"close","outcome":"fixed"}' $RC
assert_eq 200 "$STATUS" "closed"
assert_eq fixed "$(json_str outcome)" "outcome fixed"
api GET /api/v1/website/board -b "$TMP/rcv"
assert_contains "$BODY" '"closed":1' "the board counts the closed case"
api GET /api/v1/website/figures -b "$TMP/rcv"
assert_contains "$BODY" '"cases":1' "figures: one case"
assert_contains "$BODY" '"fixed":1' "figures: fixed"
assert_contains "$BODY" '"fix":0.0' "figures: days to the fix"
api GET "/api/v1/website/portal?key=$K2"
printf '%s\n' "$BODY" >>"$OPSEEN"
assert_eq closed "$(json_str stage)" "the operator sees it closed"

# --- the operator never saw the finder
assert_not_contains "$(cat "$OPSEEN")" "Hanako" "no finder name in anything the operator got"
assert_not_contains "$(cat "$OPSEEN")" "hanako.finder" "no finder e-mail in anything the operator got"
assert_not_contains "$(cat "$OPSEEN")" "$T" "no report tracking number either"
done_testing

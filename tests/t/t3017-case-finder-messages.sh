#!/bin/sh
# t3017 — the finder talks with the coordinator, never with vendors, and stays
# unnamed: the coordinator writes through intake (the report's thread on the
# finder's status page, mail to the sealed address); the finder's answers
# through the secret link come back to the case's coordinators-only thread and
# are mailed to the coordinators. Vendors can neither write nor read these.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/case-lib.sh"

KEY=$(sed -n 's/^secret link: .*?key=//p' "$TMP/submit.out")
[ -n "$KEY" ] || fail "the receipt holds the secret link"
keikai case add-vendor "$REF" "Alpha Soft" >/dev/null
keikai case notify "$REF" "Alpha Soft" >/dev/null

# --- coordinator -> finder (API)
cas POST "/api/v1/cases/$REF/finder-messages" '{"body":"COORD-TO-FINDER: can you test 3.3?"}' "$TOK_A"
assert_eq 403 "$STATUS" "a vendor cannot write to the finder"
cas POST "/api/v1/cases/$REF/finder-messages" '{"body":"x","report":"KK-2099-999999"}' "$TOK_COORD"
assert_eq 404 "$STATUS" "a report not in the case is refused"
assert_contains "$BODY" '"field":"report"' "naming the field"
cas POST "/api/v1/cases/$REF/finder-messages" '{"body":""}' "$TOK_COORD"
assert_eq 422 "$STATUS" "an empty message is refused"
cas POST "/api/v1/cases/$REF/finder-messages" '{"body":"COORD-TO-FINDER: can you test 3.3?"}' "$TOK_COORD"
assert_eq 201 "$STATUS" "the coordinator writes to the finder of the case's report"
assert_contains "$BODY" '"thread":"finder"' "the answer names the thread"
api GET "/api/v1/reports/$TRACKING?key=$KEY"
assert_contains "$BODY" "COORD-TO-FINDER" "the finder reads it through the secret link"
assert_contains "$BODY" "$REF" "with the case number"
api GET "/r/$TRACKING?key=$KEY"
assert_contains "$BODY" "COORD-TO-FINDER" "and on the status page"
out=$(keikai mail list --json)
assert_contains "$out" "\"to\":\"finder of $TRACKING\"" "mailed to the sealed address (only a label in the outbox)"
assert_not_contains "$out" "hanako@finder.example" "the outbox never shows the finder's address"

# --- finder -> coordinator (the secret link)
api_json POST "/api/v1/reports/$TRACKING/messages" "{\"key\":\"$KEY\",\"body\":\"FINDER-REPLY: 3.3 fixes it\"}"
assert_eq 201 "$STATUS" "the finder answers through the secret link"
cas GET "/api/v1/cases/$REF/messages?thread=finder" "$TOK_COORD"
assert_eq 200 "$STATUS" "the coordinator reads the finder's thread"
assert_contains "$BODY" "FINDER-REPLY: 3.3 fixes it" "the answer reached the case"
assert_contains "$BODY" "\"finder\":\"$TRACKING\",\"from_finder\":true" "marked as from the finder of the report"
assert_contains "$BODY" "\"finder\":\"$TRACKING\",\"from_finder\":false" "beside the coordinator's message"
assert_not_contains "$BODY" "Hanako" "never the finder's name"
cas GET "/api/v1/cases/$REF/messages?thread=coordinators" "$TOK_COORD"
assert_contains "$BODY" '"thread":"coordinators"' "they live in the coordinators-only thread"
assert_contains "$BODY" "FINDER-REPLY" "shown there too"
out=$(keikai mail list --json | tr '}' '\n' | grep '"to":"coord@cc.example"')
assert_contains "$out" "[$REF] 発見者からのメッセージ / Message from the finder of $TRACKING" "the coordinators are mailed, the case number in the subject"
api GET "/cases/$REF" -b /dev/null -H "Authorization: Bearer $TOK_COORD"
assert_contains "$BODY" 'id="finder"' "the coordinator's case page has the finder's form"
assert_contains "$BODY" "FINDER-REPLY" "and shows the finder's answer"
assert_not_contains "$BODY" "hanako@finder.example" "without the finder's address"

# --- vendors never see any of it
for p in "/api/v1/cases/$REF/messages" "/api/v1/cases/$REF/messages?thread=coordinators" "/api/v1/cases/$REF" "/cases/$REF"; do
	cas GET "$p" "$TOK_A"
	assert_not_contains "$BODY" "FINDER-REPLY" "Alpha does not read the finder's answer at $p"
	assert_not_contains "$BODY" "COORD-TO-FINDER" "nor the coordinator's message to the finder at $p"
done
cas GET "/api/v1/cases/$REF/messages?thread=finder" "$TOK_A"
assert_eq 404 "$STATUS" "the finder's thread does not exist for a vendor"

# --- the page form and the CLI
CJ=$TMP/coord.jar
login coord@cc.example "$PW" "$CJ"
api POST "/cases/$REF" -b "$CJ" --data-urlencode "csrf=$CSRF" --data-urlencode verb=finder_message \
	--data-urlencode "report=$TRACKING" --data-urlencode "body=PAGE-TO-FINDER"
assert_eq 303 "$STATUS" "the coordinator writes to the finder from the case page"
out=$(keikai case finder-message "$REF" "CLI-TO-FINDER" --report "$TRACKING")
assert_contains "$out" "message to the finder of $TRACKING sent" "and from the command line"
api GET "/api/v1/reports/$TRACKING?key=$KEY"
assert_contains "$BODY" "PAGE-TO-FINDER" "the finder reads the page's message"
assert_contains "$BODY" "CLI-TO-FINDER" "and the command line's"
out=$(keikai case messages "$REF" --thread finder)
assert_contains "$out" "CLI-TO-FINDER" "keikai case messages --thread finder"
out=$(keikai case messages "$REF" --thread finder --as psirt@alpha.example 2>&1)
assert_not_contains "$out" "FINDER-REPLY" "not for a vendor on the command line either"
a=$(keikai audit --json --limit 200)
assert_contains "$a" '"action":"case.finder.message"' "writing to the finder is audited"
assert_contains "$a" '"action":"case.finder.reply"' "so is the finder's answer"
done_testing

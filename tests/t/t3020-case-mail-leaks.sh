#!/bin/sh
# t3020 — no party learns another's identity or confidential text (issue 15
# item 3). A three-vendor case goes through its whole coordination — details,
# fix, statements, a vendor's date request accepted, date moves, messages to
# all, critical-infrastructure pre-notification — and then every mail each
# vendor and the infrastructure recipient received is decoded, and their
# pages and API answers read: none holds another vendor's name (until the
# coordinator shares it), the finder's data, or another vendor's statement,
# fix or reason before publication.
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail"
. "$(dirname "$0")/case-lib.sh"

mailtext() { # decoded text (and decoded subject) of every mail in the maildir whose To: is $1
	for f in "$KEIKAI_MAILDIR"/new/*; do
		grep -qi "^To: .*$1" "$f" || continue
		grep -i '^Subject:' "$f" | sed 's/.*=?UTF-8?B?\([^?]*\)?=.*/\1/' | base64 -d 2>/dev/null
		grep -i '^Subject:' "$f"
		sed '1,/^\r*$/d' "$f" | tr -d '\r' | base64 -d 2>/dev/null || sed '1,/^\r*$/d' "$f"
	done
}
keikai org add --kind infrastructure "Power Grid" >/dev/null
mkuser ops@grid.example infrastructure "Power Grid"
make_token ops@grid.example "$PW"; TOK_I=$TOKEN
keikai case infra-org "Power Grid" --sector power >/dev/null || fail "infra org"

keikai case add-vendor "$REF" "Alpha Soft" "Beta Systems" "Gamma Silent" >/dev/null || fail "add vendors"
keikai case notify "$REF" --all >/dev/null || fail "notify"
cas POST "/api/v1/cases/$REF/steps" '{"step":"acknowledge"}' "$TOK_A"
cas POST "/api/v1/cases/$REF/steps" '{"step":"request_details","accept_terms":true}' "$TOK_A"
cas POST "/api/v1/cases/$REF/steps" "{\"step\":\"send_details\",\"vendor_id\":$ORG_A}" "$TOK_COORD"
cas POST "/api/v1/cases/$REF/steps" '{"step":"verify","verification":"affected"}' "$TOK_A"
cas POST "/api/v1/cases/$REF/steps" '{"step":"report_fix","text":"ALPHA-FIX-TEXT in 3.3"}' "$TOK_A"
assert_eq 200 "$STATUS" "Alpha reports its fix"
cas POST "/api/v1/cases/$REF/statements" '{"vuln":1,"status":"fixed","text_en":"ALPHA-STATEMENT fixed in 3.3"}' "$TOK_A"
cas POST "/api/v1/cases/$REF/date-requests" '{"publish_at":"2027-03-10","reason":"ALPHA-REASON-TEXT Alpha QA"}' "$TOK_A"
assert_eq 201 "$STATUS" "Alpha asks to move the date"
RID=$(json_int request)
cas POST "/api/v1/cases/$REF/date-requests/$RID" '{"accept":true}' "$TOK_COORD"
assert_eq 200 "$STATUS" "the coordinator accepts Alpha's request"
cas POST "/api/v1/cases/$REF/steps" '{"step":"acknowledge"}' "$TOK_B"
cas POST "/api/v1/cases/$REF/steps" '{"step":"no_affected_product"}' "$TOK_B"
cas POST "/api/v1/cases/$REF/statements" '{"vuln":1,"status":"not_affected","text_en":"BETA-STATEMENT not used"}' "$TOK_B"
cas POST "/api/v1/cases/$REF/messages" '{"thread":"all","body":"To every vendor: status check"}' "$TOK_COORD"
cas POST "/api/v1/cases/$REF/messages" "{\"thread\":\"vendor\",\"vendor_id\":$ORG_A,\"body\":\"ALPHA-PRIVATE-THREAD\"}" "$TOK_COORD"
cas POST "/api/v1/cases/$REF/date" '{"publish_at":"2027-03-12","reason":"aligning the release"}' "$TOK_COORD"
assert_eq 200 "$STATUS" "the coordinator moves the date"
keikai case consulted "$REF" --note "Alpha agrees" >/dev/null || fail "consulted"
keikai case finder-told "$REF" --note "told" >/dev/null || fail "finder told"
keikai case infra-share "$REF" --org "Power Grid" --draft "advisory draft for RouterOS" --fix "update to 3.3" >/dev/null ||
	fail "pre-notification"
keikai mail flush >/dev/null 2>&1

FINDER="Hanako Finder|hanako@finder.example|$TRACKING"
check() { # WHO TEXT FORBIDDEN-REGEX WHAT
	if printf '%s' "$2" | grep -Eq "$3"; then
		fail "$1 $4: found $(printf '%s' "$2" | grep -Eo "$3" | head -1)"
	else
		pass "$1 $4"
	fi
}
MA=$(mailtext psirt@alpha.example) MB=$(mailtext sec@beta.example) MC=$(mailtext info@gamma.example)
MI=$(mailtext ops@grid.example)
[ -n "$MB" ] && [ -n "$MC" ] && [ -n "$MI" ] || fail "every party received mail"
assert_contains "$MB" "2027-03-10 11:00 JST" "Beta is told of the accepted move"
check "Beta's mail" "$MB" "Alpha Soft|alpha\\.example|Gamma Silent|gamma\\.example|ALPHA-" "names no other vendor, no Alpha text"
check "Beta's mail" "$MB" "$FINDER" "holds no finder data"
check "Gamma's mail" "$MC" "Alpha Soft|alpha\\.example|Beta Systems|beta\\.example|ALPHA-|BETA-" "names no other vendor"
check "Gamma's mail" "$MC" "$FINDER|SECRET-STEPS" "holds no finder data and no details it did not ask for"
check "Alpha's mail" "$MA" "Beta Systems|beta\\.example|Gamma Silent|gamma\\.example|BETA-" "names no other vendor"
check "Alpha's mail" "$MA" "$FINDER" "holds no finder data"
check "the infrastructure mail" "$MI" "Alpha Soft|Beta Systems|Gamma Silent|ALPHA-|BETA-" "names no vendor"
check "the infrastructure mail" "$MI" "$FINDER" "holds no finder data"

# pages and API answers of each party
for who in B C I; do
	eval tok=\$TOK_$who
	for u in "/api/v1/cases/$REF" "/api/v1/cases" "/api/v1/cases/$REF/messages" "/api/v1/infra/shares" "/cases/$REF" "/cases" "/infra"; do
		cas GET "$u" "$tok"
		[ "$STATUS" = 200 ] || continue
		check "$who: GET $u" "$BODY" "Alpha Soft|ALPHA-|$FINDER" "shows no other vendor, Alpha text or finder data"
	done
done
cas GET "/api/v1/cases/$REF" "$TOK_B"
assert_contains "$BODY" '"requested_by":null' "Beta's view of the date history names nobody"

# shared on purpose: then Beta may see Alpha's name and statement
keikai case share "$REF" "Alpha Soft" >/dev/null || fail "share Alpha"
cas GET "/api/v1/cases/$REF" "$TOK_B"
assert_contains "$BODY" "Alpha Soft" "once shared, Beta sees Alpha's name"
assert_contains "$BODY" "ALPHA-STATEMENT" "and its statement"
assert_not_contains "$BODY" "ALPHA-FIX-TEXT" "never its fix text"
assert_not_contains "$BODY" "ALPHA-PRIVATE-THREAD" "nor its thread"
done_testing

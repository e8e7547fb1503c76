#!/bin/sh
# t3018 — cancelling publication tells each finder of the case directly: the
# coordinator's relay through intake (issue 6, item 4) puts the reason on the
# finder's status page (/r/TRACKING) and in mail to the sealed address, in the
# report's language first, in the cancellation's transaction; a copy stays in
# the coordinators-only thread. No vendor sees a finder, their report or the
# message to them.
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail"
. "$(dirname "$0")/case-lib.sh"

KEY=$(sed -n 's/^secret link: .*?key=//p' "$TMP/submit.out")
[ -n "$KEY" ] || fail "the receipt holds the secret link"
mailtext() { # decoded text of every mail in the maildir whose To: is $1
	for f in "$KEIKAI_MAILDIR"/new/*; do
		grep -qi "^To: .*$1" "$f" || continue
		sed '1,/^\r*$/d' "$f" | tr -d '\r' | base64 -d 2>/dev/null || sed '1,/^\r*$/d' "$f"
	done
}
first() { # TEXT A B — prints whichever of A and B comes first in TEXT
	printf '%s' "$1" | tr '\n' ' ' | grep -o -e "$2" -e "$3" | head -1
}

# a second finder, who wrote in English; her report's case is merged into $REF
printf '%s' '{"kind":"product","lang":"en","finder":{"name":"Jane Reporter","email":"jane@finder.example"},"product":{"name":"RouterOS","version":"3.2"},"vulnerability":{"description":"the same flaw, seen elsewhere"},"policy_ack":true}' |
	keikai report submit --json - >"$TMP/s2" || fail "second report"
T2=$(sed -n 's/^tracking number: //p' "$TMP/s2")
KEY2=$(sed -n 's/^secret link: .*?key=//p' "$TMP/s2")
keikai report accept "$T2" >/dev/null || fail "accept the second report"
keikai case merge "$REF" KKC-2027-0002 >/dev/null || fail "merge"

# two vendors, neither affected
keikai case add-vendor "$REF" "Alpha Soft" "Beta Systems" >/dev/null
keikai case notify "$REF" --all >/dev/null
cas POST "/api/v1/cases/$REF/steps" '{"step":"no_affected_product"}' "$TOK_A"
cas POST "/api/v1/cases/$REF/steps" '{"step":"no_affected_product"}' "$TOK_B"
keikai mail flush >/dev/null 2>&1
ls "$KEIKAI_MAILDIR/new" | sort >"$TMP/before"

# --- the cancellation, by the coordinator through the API
cas POST "/api/v1/cases/$REF/cancel" '{"reason":"all_not_affected","note":"NOTE-FOR-VENDORS"}' "$TOK_COORD"
assert_eq 200 "$STATUS" "the coordinator cancels publication"
assert_contains "$(keikai audit --json --limit 20)" "the receiving organization and 2 finders told" "both finders are told, in the same change"

# the Japanese finder's status page: the reason, Japanese first
api GET "/r/$TRACKING?key=$KEY"
assert_eq 200 "$STATUS" "Hanako's status page"
assert_contains "$BODY" "届出 $TRACKING の脆弱性情報の公表を取りやめます" "tells her publication is cancelled"
assert_contains "$BODY" "理由: すべての製品開発者が該当製品なしと回答" "with the reason in Japanese"
assert_eq "公表を取りやめます" "$(first "$BODY" "公表を取りやめます" "is cancelled")" "Japanese before English"
assert_not_contains "$BODY" "NOTE-FOR-VENDORS" "the note to the vendors is not the finder's"
assert_not_contains "$BODY" "$T2" "nor the other finder's report"
# the English finder's status page: English first
api GET "/r/$T2?key=$KEY2"
assert_eq 200 "$STATUS" "Jane's status page"
assert_contains "$BODY" "publication of the vulnerability you reported in $T2 is cancelled" "tells her in English"
assert_contains "$BODY" "Reason: every vendor reported no affected product." "with the reason"
assert_eq "is cancelled" "$(first "$BODY" "公表を取りやめます" "is cancelled")" "English before Japanese"
api GET "/api/v1/reports/$T2?key=$KEY2"
assert_contains "$BODY" "every vendor reported no affected product" "the finder's API view has it too"

# the mail: sealed in the outbox, delivered from the sealed contact
q=$(keikai mail list --json)
assert_contains "$q" "\"to\":\"finder of $TRACKING\"" "the outbox names Hanako's mail by label"
assert_contains "$q" "\"to\":\"finder of $T2\"" "and Jane's"
assert_not_contains "$q" "jane@finder.example" "never by address"
keikai mail flush >"$TMP/flush" 2>&1 || fail "mail flush: $(head -2 "$TMP/flush")"
M1=$(mailtext hanako@finder.example)
assert_contains "$M1" "理由: すべての製品開発者が該当製品なしと回答" "Hanako's mail gives the reason in Japanese"
assert_contains "$M1" "$REF" "and the case number"
M2=$(mailtext jane@finder.example)
assert_contains "$M2" "Reason: every vendor reported no affected product." "Jane's mail gives the reason"
assert_contains "$M2" "$T2" "and her tracking number"
assert_contains "$(mailtext rcv@recv.example)" "NOTE-FOR-VENDORS" "the receiving organization gets the note"

# the coordinators keep a copy
cas GET "/api/v1/cases/$REF/messages?thread=finder" "$TOK_COORD"
assert_contains "$BODY" "\"finder\":\"$T2\",\"from_finder\":false" "a copy of Jane's message in the finder thread"
assert_contains "$BODY" "\"finder\":\"$TRACKING\",\"from_finder\":false" "and of Hanako's"

# --- no vendor sees a finder or what they were told
for p in "/api/v1/cases/$REF" "/api/v1/cases/$REF/messages" "/cases/$REF"; do
	cas GET "$p" "$TOK_A"
	assert_eq 200 "$STATUS" "Alpha reads $p"
	for s in Hanako hanako@finder.example Jane jane@finder.example "$TRACKING" "$T2" "you reported"; do
		assert_not_contains "$BODY" "$s" "$p does not show '$s' to Alpha"
	done
done
cas GET "/api/v1/cases/$REF/messages?thread=finder" "$TOK_A"
assert_eq 404 "$STATUS" "the finder thread does not exist for a vendor"
V=$(for m in $(ls "$KEIKAI_MAILDIR/new" | sort | comm -13 "$TMP/before" -); do
	grep -qi '^To: .*\(alpha\|beta\)\.example' "$KEIKAI_MAILDIR/new/$m" && echo "$m"
done)
[ -n "$V" ] || fail "the vendors were mailed of the cancellation"
for m in $V; do
	t=$(sed '1,/^\r*$/d' "$KEIKAI_MAILDIR/new/$m" | tr -d '\r' | base64 -d 2>/dev/null || cat "$KEIKAI_MAILDIR/new/$m")
	assert_contains "$t" "NOTE-FOR-VENDORS" "vendor mail $m carries the note"
	for s in Hanako Jane "$TRACKING" "$T2" "you reported"; do
		assert_not_contains "$t" "$s" "vendor mail $m does not hold '$s'"
	done
done
done_testing

#!/bin/sh
# t5008 — one date, one embargo (5.1.3 (2), issue 15 item 1). An advisory of a
# case goes out at the case's agreed date and nowhere else:
#  (b) "publish now" two months before the date is refused (API, CLI), unless
#      the coordinator records an exception (already public / exploited) with
#      a reason, which tells the finder first, then every vendor, re-dates the
#      case and is audited; the publication closes the case: its date requests,
#      pre-notices and date moves are refused afterwards;
#  (a) a case date moved after its advisory was scheduled moves the advisory
#      in the same change: nothing is public on the old date.
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail"
. "$(dirname "$0")/case-lib.sh"

mailtext() { # decoded text of every mail in the maildir whose To: is $1
	for f in "$KEIKAI_MAILDIR"/new/*; do
		grep -qi "^To: .*$1" "$f" || continue
		sed '1,/^\r*$/d' "$f" | tr -d '\r' | base64 -d 2>/dev/null || sed '1,/^\r*$/d' "$f"
	done
}
for n in 1 2 3 4; do keikai cve-pool add "CVE-2027-5000$n" >/dev/null 2>&1; done
cat >"$TMP/doc.json" <<'J'
{"product":{"ja":"RouterOS","en":"RouterOS"},"vulnerability":{"ja":"OS コマンドインジェクション","en":"OS command injection"},
 "overview":{"ja":"RouterOS に脆弱性があります。","en":"RouterOS contains a vulnerability."},
 "version_check":{"ja":"管理画面で確認できます。","en":"See the web console."},
 "description":{"ja":"ping ページに問題があります。","en":"The ping page is vulnerable."},
 "threat":{"ja":"任意のコマンドが実行される可能性があります。","en":"Arbitrary commands may run."},
 "fix":{"ja":"3.3 にアップデートしてください。","en":"Update to 3.3."},
 "contact":{"ja":"JPCERT/CC","en":"JPCERT/CC"},
 "products":[{"vendor":"Alpha Soft","product":"RouterOS","scheme":"semver","introduced":"3.0.0","fixed":"3.3.0"}]}
J

# ---- (b) a second case, its own finder, vendors Alpha and Beta; date 2027-03-01 11:00 JST
printf '%s' '{"kind":"product","finder":{"name":"Taro Early","email":"taro@finder.example"},"product":{"name":"CamView","version":"1.0"},"vulnerability":{"description":"authentication bypass in the camera","impact":"view any camera"},"policy_ack":true}' |
	keikai report submit --json - >"$TMP/s2" || fail "second report"
T2=$(sed -n 's/^tracking number: //p' "$TMP/s2")
KEY2=$(sed -n 's/^secret link: .*?key=//p' "$TMP/s2")
keikai report accept "$T2" >/dev/null || fail "accept the second report"
REF2=KKC-2027-0002
keikai case add-vendor "$REF2" "Alpha Soft" "Beta Systems" >/dev/null || fail "add vendors"
keikai case notify "$REF2" --all >/dev/null || fail "notify"
cas POST "/api/v1/cases/$REF2/date-requests" '{"publish_at":"2027-04-01","reason":"ALPHA-NEEDS-TIME"}' "$TOK_A"
assert_eq 201 "$STATUS" "Alpha asks for a later date (pending)"
keikai org add --kind infrastructure "Power Grid" >/dev/null
keikai case infra-org "Power Grid" --sector power >/dev/null || fail "infra org"
keikai case consulted "$REF2" --note "vendors agree to pre-notify" >/dev/null || fail "consulted"
ID2=$(keikai advisory create --kind JVN --json "$TMP/doc.json")
SLUG2=$(printf '%s' "$ID2" | tr '#' '_')
keikai advisory from-case "$ID2" "$REF2" >/dev/null || fail "advisory from case 2"

FMAILS=$(keikai mail list --json | grep -o '"to":"finder of '"$T2"'"' | wc -l | tr -d ' ')
cas POST "/api/v1/advisories/$SLUG2/publish" '{}' "$TOK_COORD"
assert_eq 409 "$STATUS" "publishing now, before the agreed date, is refused"
assert_contains "$BODY" '"field":"publish_at"' "naming the date"
assert_contains "$BODY" "2027-03-01 11:00 JST" "and the agreed date in JST"
assert_contains "$BODY" "exception" "saying an exception is the way"
api POST "/api/v1/advisories/$SLUG2/publish" -H "Authorization: Bearer $TOK_COORD"
assert_eq 409 "$STATUS" "also without a body"
keikai advisory publish "$ID2" >"$TMP/out" 2>&1
assert_eq 1 $? "the CLI refuses it too"
assert_contains "$(cat "$TMP/out")" "2027-03-01 11:00 JST" "naming the agreed date"
keikai advisory schedule "$ID2" --at 2027-02-01T11:00+09:00 >"$TMP/out" 2>&1
assert_eq 1 $? "scheduling it before the case's date is refused"
cas POST "/api/v1/advisories/$SLUG2/publish" '{"at":"2027-03-08T02:00:00Z"}' "$TOK_COORD"
assert_eq 409 "$STATUS" "and after it (one date for everyone)"
cas GET "/api/v1/advisories/$SLUG2" "$TOK_COORD"
assert_eq 404 "$STATUS" "nothing is public"
cas POST "/api/v1/advisories/$SLUG2/publish" '{"exception":{"ground":"rumour","reason":"x"}}' "$TOK_COORD"
assert_eq 400 "$STATUS" "an exception needs one of the standard's grounds"
assert_contains "$BODY" '"field":"ground"' "naming the ground"
cas POST "/api/v1/advisories/$SLUG2/publish" '{"exception":{"ground":"already_public"}}' "$TOK_COORD"
assert_eq 400 "$STATUS" "and a reason"
assert_contains "$BODY" '"field":"reason"' "naming the reason"
assert_eq "$FMAILS" "$(keikai mail list --json | grep -o '"to":"finder of '"$T2"'"' | wc -l | tr -d ' ')" "nothing reached the finder yet"

keikai mail flush >/dev/null 2>&1
rm -f "$KEIKAI_MAILDIR"/new/*
cas POST "/api/v1/advisories/$SLUG2/publish" '{"exception":{"ground":"already_public","reason":"PoC-POSTED-ON-A-BLOG"}}' "$TOK_COORD"
assert_eq 200 "$STATUS" "with an exception the advisory is published now"
assert_contains "$BODY" '"state":"published"' "published"
AUD=$(keikai audit --json --limit 40)
assert_contains "$AUD" '"action":"case.date.exception"' "the exception is audited"
assert_contains "$AUD" "already_public" "with its ground"
SHOW=$(keikai case show "$REF2")
assert_contains "$SHOW" '"state":"published"' "the case is published, not left open"
assert_contains "$SHOW" '"jst":"2027-01-15 17:00 JST"' "its date is the real publication date"
assert_contains "$SHOW" '"exception":"already_public"' "the date history shows the exception"
assert_contains "$SHOW" '"decision_note":"公表済み / already published"' "the pending date request is closed"
# who was told, and in which order: the finder first
OUTBOX=$(keikai mail list --json | tr '{' '\n')
FID=$(printf '%s\n' "$OUTBOX" | grep "\"to\":\"finder of $T2\"" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
VID=$(printf '%s\n' "$OUTBOX" | grep '"to":"psirt@alpha.example"' | grep -o '"id":[0-9]*' | sort -t: -k2 -n | head -1 | cut -d: -f2)
[ -n "$FID" ] && [ -n "$VID" ] && [ "$FID" -lt "$VID" ] && pass "the finder is told before the vendors" ||
	fail "the finder is told before the vendors (finder mail $FID, vendor mail $VID)"
api GET "/r/$T2?key=$KEY2"
assert_contains "$BODY" "予定より早く" "the finder's status page says publication comes early"
assert_contains "$BODY" "already public" "and why"
keikai mail flush >/dev/null 2>&1
MA=$(mailtext psirt@alpha.example)
MB=$(mailtext sec@beta.example)
assert_contains "$MA" "exception: the vulnerability is already public" "Alpha is told of the exception"
assert_contains "$MA" "2027-01-15 17:00 JST" "with the new date in JST"
assert_contains "$MB" "PoC-POSTED-ON-A-BLOG" "Beta is told the reason too"
assert_contains "$(mailtext taro@finder.example)" "予定より早く" "the finder's mail says so"
assert_contains "$(mailtext rcv@recv.example)" "2027-01-15 17:00 JST" "the receiving organization is told"

# publication closed the pre-publication actions
cas POST "/api/v1/cases/$REF2/date-requests" '{"publish_at":"2027-04-02","reason":"late"}' "$TOK_B"
assert_eq 409 "$STATUS" "a date request after publication is refused"
cas POST "/api/v1/cases/$REF2/date" '{"publish_at":"2027-04-02","reason":"late"}' "$TOK_COORD"
assert_eq 409 "$STATUS" "moving the date after publication is refused"
keikai case infra-share "$REF2" --org "Power Grid" --draft "draft" --fix "fix" >"$TMP/out" 2>&1
assert_eq 1 $? "a pre-notice after publication is refused"
assert_contains "$(cat "$TMP/out")" "published" "saying the case is published"

# ---- (a) the first case: the advisory is scheduled at the case's date, then the date moves
ID=$(keikai advisory create --kind JVN --json "$TMP/doc.json")
SLUG=$(printf '%s' "$ID" | tr '#' '_')
keikai case add-vendor "$REF" "Alpha Soft" >/dev/null
keikai case notify "$REF" "Alpha Soft" >/dev/null
keikai advisory from-case "$ID" "$REF" >/dev/null || fail "advisory from case 1"
keikai advisory schedule "$ID" --at 2027-03-01T11:00+09:00 >/dev/null
assert_eq 0 $? "scheduled at the case's date"
cas POST "/api/v1/cases/$REF/date" '{"publish_at":"2027-03-15","reason":"the fix slipped"}' "$TOK_COORD"
assert_eq 200 "$STATUS" "the coordinator moves the case's date two weeks"
assert_contains "$(keikai advisory show "$ID")" '"publish_at":"2027-03-15T02:00:00Z"' "the scheduled advisory moved with it"
assert_contains "$(keikai audit --json --limit 10)" "2027-03-15 11:00 JST (the date of case $REF)" "the move is audited on the advisory"
stop_server
KEIKAI_TEST_NOW=2027-03-01T02:00:00Z keikai tick --at 2027-03-01T02:00:00Z >"$TMP/tick" 2>&1
assert_contains "$(KEIKAI_TEST_NOW=2027-03-01T02:00:00Z keikai advisory show "$ID")" '"state":"scheduled"' "on the old date it stays scheduled"
KEIKAI_TEST_NOW=2027-03-01T02:00:00Z start_server_only --no-scheduler
api GET "/api/v1/advisories/$SLUG"
assert_eq 404 "$STATUS" "and is not public on the old date"
stop_server
KEIKAI_TEST_NOW=2027-03-15T02:00:00Z keikai tick --at 2027-03-15T02:00:00Z >"$TMP/tick" 2>&1
assert_contains "$(KEIKAI_TEST_NOW=2027-03-15T02:00:00Z keikai advisory show "$ID")" '"state":"published"' "it is published on the new date"
assert_contains "$(KEIKAI_TEST_NOW=2027-03-15T02:00:00Z keikai case show "$REF")" '"state":"published"' "and its case is published"
done_testing

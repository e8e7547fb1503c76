#!/bin/sh
# t3019 — stopping a report stops its case (003 appendix B V.2 (2); issue 15
# item 2). The report is accepted (case opened), two vendors take part, one
# scheduled advisory waits; the receiver stops the report with reason ⑤
# (possibly obtained illegally) and a confidential note. The case becomes
# "stopped"; every notified vendor is told the handling ended, without the
# reason or the note; nothing more can be added, notified, answered or sent;
# vendors no longer read the case; its advisory is unscheduled.
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail"
. "$(dirname "$0")/case-lib.sh"

mailtext() { # decoded text of every mail in the maildir whose To: is $1
	for f in "$KEIKAI_MAILDIR"/new/*; do
		grep -qi "^To: .*$1" "$f" || continue
		sed '1,/^\r*$/d' "$f" | tr -d '\r' | base64 -d 2>/dev/null || sed '1,/^\r*$/d' "$f"
	done
}
keikai case add-vendor "$REF" "Alpha Soft" "Beta Systems" >/dev/null || fail "add vendors"
keikai case notify "$REF" "Alpha Soft" >/dev/null || fail "notify Alpha"
cas POST "/api/v1/cases/$REF/steps" '{"step":"acknowledge"}' "$TOK_A"
assert_eq 200 "$STATUS" "Alpha acknowledges"
cat >"$TMP/doc.json" <<'J'
{"product":{"ja":"RouterOS","en":"RouterOS"},"vulnerability":{"ja":"OS コマンドインジェクション","en":"OS command injection"},
 "overview":{"ja":"概要","en":"Overview"},"version_check":{"ja":"確認","en":"Check"},"description":{"ja":"詳細","en":"Details"},
 "threat":{"ja":"脅威","en":"Threat"},"fix":{"ja":"更新","en":"Update"},"contact":{"ja":"JPCERT/CC","en":"JPCERT/CC"},
 "products":[{"vendor":"Alpha Soft","product":"RouterOS","scheme":"generic"}]}
J
keikai cve-pool add CVE-2027-60001 >/dev/null 2>&1
ID=$(keikai advisory create --kind JVN --json "$TMP/doc.json")
keikai advisory from-case "$ID" "$REF" >/dev/null || fail "advisory from the case"
keikai advisory schedule "$ID" --at 2027-03-01T11:00+09:00 >/dev/null || fail "advisory scheduled"
keikai mail flush >/dev/null 2>&1
rm -f "$KEIKAI_MAILDIR"/new/*

keikai report stop "$TRACKING" --reason possibly_illegal --note "SECRET-STOP-NOTE obtained by intrusion" >/dev/null
assert_eq 0 $? "the receiver stops the report"
cas GET "/api/v1/cases/$REF" "$TOK_COORD"
assert_contains "$BODY" '"state":"stopped"' "its case is stopped, not left open"
assert_contains "$(keikai audit --json --limit 20)" '"action":"case.stop"' "the stop is audited on the case"
assert_contains "$(keikai advisory show "$ID")" '"state":"draft"' "its scheduled advisory is unscheduled"
cas GET "/api/v1/cases?state=stopped" "$TOK_COORD"
assert_contains "$BODY" "$REF" "the board filters stopped cases"

# nothing further
cas POST "/api/v1/cases/$REF/vendors" "{\"vendor_id\":$ORG_C}" "$TOK_COORD"
assert_eq 409 "$STATUS" "no vendor can be added"
cas POST "/api/v1/cases/$REF/steps" "{\"step\":\"notify\",\"vendor_id\":$ORG_B}" "$TOK_COORD"
assert_eq 409 "$STATUS" "no vendor can be notified"
cas POST "/api/v1/cases/$REF/messages" '{"thread":"all","body":"one more thing"}' "$TOK_COORD"
assert_eq 409 "$STATUS" "nothing more is sent to the vendors"
cas POST "/api/v1/cases/$REF/messages" '{"thread":"coordinators","body":"internal note"}' "$TOK_COORD"
assert_eq 201 "$STATUS" "coordinators may still note things among themselves"
cas POST "/api/v1/cases/$REF/date" '{"publish_at":"2027-04-01","reason":"x"}' "$TOK_COORD"
assert_eq 409 "$STATUS" "the date no longer moves"
keikai advisory publish "$ID" >"$TMP/out" 2>&1
assert_eq 1 $? "nothing of a stopped case is published"
# the vendors
cas GET "/api/v1/cases/$REF" "$TOK_A"
assert_eq 404 "$STATUS" "Alpha no longer reads the case"
cas GET "/api/v1/cases" "$TOK_A"
assert_not_contains "$BODY" "$REF" "nor lists it"
cas POST "/api/v1/cases/$REF/steps" '{"step":"request_details","accept_terms":true}' "$TOK_A"
assert_eq 404 "$STATUS" "nor answers in it"
cas POST "/api/v1/cases/$REF/messages" '{"thread":"vendor","body":"hello?"}' "$TOK_A"
assert_eq 404 "$STATUS" "nor writes in it"
keikai mail flush >/dev/null 2>&1
MA=$(mailtext psirt@alpha.example)
assert_contains "$MA" "の取扱いを終了しました" "Alpha is told the handling ended"
assert_contains "$MA" "The handling of case $REF has ended" "in both languages, naming the case"
assert_not_contains "$MA" "SECRET-STOP-NOTE" "without the receiver's note"
assert_not_contains "$MA" "possibly_illegal" "without the reason"
assert_not_contains "$MA" "不正" "in either language"
assert_eq "" "$(mailtext sec@beta.example)" "Beta, never notified, hears nothing"
assert_contains "$(mailtext coord@cc.example)" "possibly_illegal" "the coordinators are told the reason"
done_testing

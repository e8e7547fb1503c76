#!/bin/sh
# Reports through the CLI: one walked to acceptance, one to rejection, one through
# info_requested to acceptance; mail to the finder in the maildir; the finder's
# identity never in the database file in plain; errors name the field.
. "$(dirname "$0")/lib.sh"

export KEIKAI_MAILDIR="$TMP/mail" KEIKAI_TEST_NOW=2026-03-01T09:00:00Z
run() {
	printf '%s' "${IN:-}" | "$KEIKAI" --db "$DB" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}
report() { # kind finder-name finder-email product/url
	if [ "$1" = product ]; then what="\"product\":{\"name\":\"$4\",\"vendor\":\"Acme\",\"version\":\"2.1\"}"
	else what="\"website\":{\"name\":\"Shop\",\"url\":\"$4\"}"; fi
	printf '{"kind":"%s","finder":{"name":"%s","email":"%s","disclose":"none"},%s,"vulnerability":{"cwe":"CWE-79","description":"stored XSS in the comment form"},"policy_ack":true}' \
		"$1" "$2" "$3" "$what"
}
mails() { ls "$KEIKAI_MAILDIR/new" 2>/dev/null | wc -l | tr -d ' '; }
# decoded text of every mail in the maildir (base64 bodies decoded)
mailtext() {
	for f in "$KEIKAI_MAILDIR"/new/*; do
		sed '1,/^$/d' "$f" | base64 -d 2>/dev/null || sed '1,/^$/d' "$f"
	done
}

keikai init >/dev/null || { echo "init failed"; exit 1; }

# --- validation names the field
IN='{"kind":"product","finder":{"name":"A","email":"not-an-address"},"product":{"name":"X"},"vulnerability":{"description":"d"},"policy_ack":true}' run report submit --json -
assert_eq 1 "$RC" "bad e-mail refused"
assert_contains "$ERR" "finder.email" "the error names finder.email"
IN='{"kind":"website","finder":{"name":"A","email":"a@example.org"},"website":{"name":"S"},"vulnerability":{"description":"d"},"policy_ack":true}' run report submit --json -
assert_contains "$ERR" "website.url" "missing URL named"
IN='{"kind":"product","finder":{"name":"A","email":"a@example.org"},"product":{"name":"X"},"vulnerability":{"description":"d"}}' run report submit --json -
assert_contains "$ERR" "policy_ack" "policy acknowledgement required"
IN='{"kind":"product","finder":{"name":"A","email":"a@example.org"},"product":{"name":"X"},"vulnerability":{"description":"d"},"policy_ack":true,"extra":1}' run report submit --json -
assert_contains "$ERR" "unknown field 'extra'" "unknown fields refused by name"
assert_eq 0 "$(mails)" "no mail for refused reports"

# --- 1: submitted, accepted
IN=$(report product '山田花子' 'hanako@example.jp' 'Foo Router') run report submit --json -
assert_eq 0 "$RC" "report 1 submitted"
T1=$(printf '%s\n' "$OUT" | sed -n 's/^tracking number: //p')
assert_eq KK-2026-000001 "$T1" "tracking number of the year"
assert_contains "$OUT" "secret link: http://127.0.0.1:8080/r/$T1?key=" "secret link shown"
run report accept "$T1"
assert_eq 0 "$RC" "report 1 accepted"
run report show "$T1"
assert_contains "$OUT" '"status":"accepted"' "status accepted"
assert_not_contains "$OUT" "hanako" "show without --reveal has no finder"
run report accept "$T1"
assert_eq 1 "$RC" "accepting twice refused"
assert_contains "$ERR" "is accepted; it cannot be accept" "the error names both states"

# --- 2: submitted, rejected
IN=$(report website 'Suzuki Ichiro' 'ichiro@example.net' 'https://shop.example.com/cart') run report submit --json -
T2=$(printf '%s\n' "$OUT" | sed -n 's/^tracking number: //p')
run report reject "$T2"
assert_eq 1 "$RC" "reject without a reason is refused"
assert_contains "$ERR" "reason" "and says so"
run report reject "$T2" --reason "対象はウェブサイトではありません / out of scope"
assert_eq 0 "$RC" "report 2 rejected"
run report stop "$T2" --reason already_known
assert_eq 1 "$RC" "a rejected report cannot be stopped"

# --- 3: info requested, answered by the finder, accepted
IN=$(report product 'Sato Jiro' 'jiro@example.org' 'Bar Camera') run report submit --json -
T3=$(printf '%s\n' "$OUT" | sed -n 's/^tracking number: //p')
TOKEN=$(printf '%s\n' "$OUT" | sed -n 's/^secret link: .*key=//p')
run report request-info "$T3" --question "Which firmware version did you test?"
assert_eq 0 "$RC" "info requested"
run report list --status info_requested
assert_contains "$OUT" "$T3" "queue filter by status"
run report list --kind website --json
assert_contains "$OUT" "\"tracking\":\"$T2\"" "filter by kind: the website report"
assert_not_contains "$OUT" "$T1" "and not the product reports"
KEIKAI_TEST_NOW=2026-03-09T09:00:00Z run report list --older-than 7
assert_contains "$OUT" "$T1" "older than 7 days on the 9th: all three"
KEIKAI_TEST_NOW=2026-03-05T09:00:00Z run report list --older-than 7
assert_not_contains "$OUT" "$T1" "older than 7 days on the 5th: none"
assert_contains "$ERR" "no reports" "and says so"
run report followup "$T3" --key wrong-token "v3.0.1"
assert_eq 1 "$RC" "a wrong secret link is refused"
run report followup "$T3" --key "$TOKEN" "Firmware v3.0.1"
assert_eq 0 "$RC" "the finder answers through the link"
run report show "$T3"
assert_contains "$OUT" '"status":"received"' "answered report is received again"
assert_contains "$OUT" "Firmware v3.0.1" "answer in the thread"
assert_not_contains "$OUT" "\"id\":\"$T1\"" "another product of the same vendor is not a duplicate suggestion"
run report status "$T3" --key "$TOKEN"
assert_contains "$OUT" '"status":"received"' "the finder sees the status through the link"
assert_contains "$OUT" '"from":"finder","kind":"answer","body":"Firmware v3.0.1"' "and the thread"
assert_not_contains "$OUT" "assignee" "no staff-only fields"
run report status "$T1" --key "$TOKEN"
assert_eq 1 "$RC" "one report's key does not open another"
run report accept "$T3"
assert_eq 0 "$RC" "report 3 accepted"
run report stop "$T3" --reason not_a_vulnerability --note "works as designed"
assert_eq 0 "$RC" "accepted report stopped with a standard reason"

# --- an e-mail report lacking items: entered incomplete, completed with amend, accepted
IN='{"kind":"product","finder":{"email":"mailer@example.org"},"product":{"name":"Baz NAS"}}' run report submit --json -
assert_eq 1 "$RC" "incomplete report refused without --incomplete"
assert_contains "$ERR" "finder.name" "and the missing item named"
IN='{"kind":"product","finder":{"email":"mailer@example.org"},"product":{"name":"Baz NAS"}}' run report submit --incomplete --json -
assert_eq 0 "$RC" "entered with --incomplete"
T5=$(printf '%s\n' "$OUT" | sed -n 's/^tracking number: //p')
run report accept "$T5"
assert_eq 1 "$RC" "an incomplete report cannot be accepted"
assert_contains "$ERR" "cannot accept until finder.name is given" "accept names the missing item"
IN='{"finder":{"name":"Mail Reporter"},"vulnerability":{"description":"path traversal"},"policy_ack":true}' run report amend "$T5" --json -
assert_eq 0 "$RC" "amended"
run report accept "$T5"
assert_eq 0 "$RC" "accepted once complete"
run audit --json
assert_contains "$OUT" "amended: finder.name,vulnerability.description,policy_ack" "amend audited by item names"
assert_not_contains "$OUT" "Mail Reporter" "never by value"

# --- assignment: only to receivers and admins
IN='a receiver password' run user add --email rcv@example.org --name R --role receiver
IN='a vendor password!' run org add --kind vendor Acme
IN='a vendor password!' run user add --email v@acme.example --name V --role vendor --org Acme
run report assign "$T3" --to v@acme.example
assert_eq 1 "$RC" "a vendor cannot be assigned"
assert_contains "$ERR" "assignee" "the error names the assignee"
run report assign "$T3" --to rcv@example.org
assert_eq 0 "$RC" "assigned to a receiver"
run report list --assignee rcv@example.org
assert_contains "$OUT" "$T3" "queue filter by assignee"
assert_not_contains "$OUT" "$T1" "only the assigned report"

# --- attachments: by content hash, type by content
printf 'GET /admin?q=<script>alert(1)</script> HTTP/1.1\r\nHost: x\r\n\r\n' >"$TMP/poc.txt"
run report attach "$T3" "$TMP/poc.txt"
assert_eq 0 "$RC" "a text PoC is attached"
sha=$(sha256sum "$TMP/poc.txt" | cut -c1-64)
assert_contains "$OUT" "sha256 $sha" "named by its SHA-256"
[ -f "$DB.files/$(printf %s "$sha" | cut -c1-2)/$sha" ] && pass "stored beside the database under its hash" || fail "no file $DB.files/.../$sha"
printf '<!DOCTYPE html><script>x</script>' >"$TMP/page.html"
run report attach "$T3" "$TMP/page.html"
assert_eq 1 "$RC" "HTML is refused"
assert_contains "$ERR" "not an allowed type" "and says why"
run report show "$T3"
assert_contains "$OUT" "\"attachments\":[{\"sha256\":\"$sha\",\"filename\":\"poc.txt\"" "report show lists it"
run report status "$T3" --key "$TOKEN"
assert_contains "$OUT" "\"filename\":\"poc.txt\"" "the finder sees it too"

# --- reveal is explicit and audited
run report show "$T1" --reveal
assert_contains "$OUT" '"email":"hanako@example.jp"' "reveal shows the finder"
run audit --json
assert_contains "$OUT" '"action":"report.reveal"' "reveal audited"

# --- mail: 4 receipts + accept + reject + question + accept + stop + accept = 10
run mail list --state queued
assert_eq 0 "$RC" "mail list"
assert_contains "$OUT" "finder of $T1" "sealed recipients shown by label"
assert_not_contains "$OUT" "hanako@" "no address in the outbox listing"
run mail flush
assert_eq 0 "$RC" "flush delivers"
assert_contains "$OUT" "10 sent, 0 to retry, 0 failed" "ten mails"
assert_eq 10 "$(mails)" "ten files in maildir/new"
all=$(cat "$KEIKAI_MAILDIR"/new/*)
assert_contains "$all" "To: hanako@example.jp" "mail to finder 1"
assert_contains "$all" "To: ichiro@example.net" "mail to finder 2"
assert_contains "$all" "Subject: =?UTF-8?B?" "Japanese subjects are encoded words"
text=$(mailtext)
assert_contains "$text" "out of scope" "rejection reason mailed"
assert_contains "$text" "Which firmware version" "question mailed"
assert_contains "$text" "it is not a vulnerability" "stop reason mailed"
assert_contains "$text" "/r/$T3?key=$TOKEN" "receipt carries the secret link"
run mail flush
assert_contains "$OUT" "0 sent" "nothing left to send"

# --- duplicate suggestion and marking
IN=$(report product 'Other Finder' 'other@example.org' 'foo router') run report submit --json -
T4=$(printf '%s\n' "$OUT" | sed -n 's/^tracking number: //p')
run report show "$T4"
assert_contains "$OUT" "{\"source\":\"report\",\"id\":\"$T1\",\"why\":\"same product and vendor\"}" "same product suggested"
run report duplicate "$T4" --of "$T4"
assert_eq 1 "$RC" "not a duplicate of itself"
run report duplicate "$T4" --of "$T1"
assert_eq 0 "$RC" "marked duplicate"
run report show "$T4"
assert_contains "$OUT" "\"duplicate_of\":\"$T1\"" "duplicate_of recorded"

# --- the finder identity is never in the database files in plain
for f in "$DB" "$DB-wal"; do
	[ -f "$f" ] || continue
	if grep -a -q -e 'hanako@example.jp' -e 'ichiro@example.net' -e '山田花子' -e 'Suzuki Ichiro' -e "$TOKEN" "$f"; then
		fail "finder identity or link token in plain in $(basename "$f")"
	else
		pass "no finder identity in $(basename "$f")"
	fi
done
done_testing

#!/bin/sh
# t4008 — stopping a website report stops its website case (issue 15 item 2,
# 003 appendix B V.2 (2) / VI): the report is accepted (case opened), the
# operator reached and the details sent; the receiver stops the report with
# reason ⑤ (possibly obtained illegally) and a confidential note. The case
# closes as "stopped"; the operator is told the handling ended — in its
# decoded mail, without the reason or the note; no reminder follows; nothing
# more can be done in the case. A case whose operator was never contacted
# stops without mail to anyone but the finder.
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail" KEIKAI_TEST_NOW=2026-06-01T03:00:00Z
keikai init >/dev/null || { echo "init failed"; exit 1; }
start_server --no-scheduler
printf '%s\n' "receiver-password-1" | keikai user add --email rcv@example.org --name Receiver --role receiver >/dev/null
login rcv@example.org receiver-password-1 "$TMP/rcv"

mail_to() { # decoded bodies of the mails to $1
	for f in "$KEIKAI_MAILDIR"/new/*; do
		[ -f "$f" ] || continue
		tr -d '\r' <"$f" | grep -qi "^To: $1\$" || continue
		tr -d '\r' <"$f" | sed '1,/^$/d' | base64 -d 2>/dev/null || tr -d '\r' <"$f" | sed '1,/^$/d'
	done
}
submit() { # HOST -> T (tracking), FK (finder key), H (handling), N
	printf '%s' "{\"kind\":\"website\",\"finder\":{\"name\":\"Shiro Finder\",\"email\":\"shiro@finder.example\"},\"website\":{\"url\":\"https://$1/\"},\"vulnerability\":{\"description\":\"directory listing\"},\"policy_ack\":true}" |
		keikai report submit --json - >"$TMP/sub"
	T=$(sed -n 's/^tracking number: //p' "$TMP/sub")
	FK=$(sed -n 's/^secret link: .*key=//p' "$TMP/sub")
	keikai report accept "$T" >/dev/null || fail "accept $T"
	H=$(keikai website list | grep -F "$1" | awk '{print $1}')
	N=${H#IPA#}
}
submit shop.example.org
keikai website contact "$H" info@shop.example.org >"$TMP/out" || fail "stage 1"
K1=$(sed -n 's/^operator link: .*key=//p' "$TMP/out")
keikai website stage - 2 --contact sec@shop.example.org --key "$K1" >"$TMP/out" || fail "stage 2"
keikai website stage "$H" 3 --portal >"$TMP/out" || fail "stage 3"
keikai mail flush >/dev/null 2>&1
K3=$(mail_to sec@shop.example.org | grep -o 'portal?key=[A-Za-z0-9_-]*' | tail -1 | sed 's/.*key=//')
[ -n "$K3" ] || fail "the operator's link from its mail"
keikai website show - --key "$K3" >/dev/null || fail "the operator's link opens the case before the stop"
rm -f "$KEIKAI_MAILDIR"/new/*

keikai report stop "$T" --reason possibly_illegal --note "SECRET-STOP-NOTE obtained by intrusion" >/dev/null
assert_eq 0 $? "the receiver stops the website report"
SHOW=$(keikai website show "$H")
assert_contains "$SHOW" '"stage":"closed"' "its website case is closed, not left open"
assert_contains "$SHOW" '"outcome":"stopped"' "as stopped"
assert_contains "$(keikai audit --json --limit 10)" '"action":"website.stop"' "the stop is audited on the case"
api GET "/api/v1/website/cases/$N" -b "$TMP/rcv"
assert_contains "$BODY" '"outcome":"stopped"' "the receivers' API says so"
keikai mail flush >/dev/null 2>&1
M=$(mail_to sec@shop.example.org)
assert_contains "$M" "The handling of our message about a vulnerability in https://shop.example.org/ has ended" "the operator is told it ended"
assert_contains "$M" "取扱いを終了しました" "in Japanese too"
assert_not_contains "$M" "SECRET-STOP-NOTE" "without the receiver's note"
assert_not_contains "$M" "possibly_illegal" "without the reason"
assert_not_contains "$M" "不正" "in either language"
assert_not_contains "$M" "Shiro" "nor the finder"
api GET "/r/$T?key=$FK"
assert_contains "$BODY" "handling_stopped" "the finder's page shows the report stopped"

# nothing more happens in it
keikai website ack - --key "$K3" >"$TMP/out" 2>&1
assert_eq 1 $? "the operator can no longer acknowledge"
keikai website close "$H" --outcome site_closed >"$TMP/out" 2>&1
assert_eq 1 $? "nor can the receiver close it again"
rm -f "$KEIKAI_MAILDIR"/new/*
keikai tick --at 2026-12-01T03:00:00Z >/dev/null 2>&1
keikai mail flush >/dev/null 2>&1
assert_eq "" "$(mail_to sec@shop.example.org)" "no reminder or overdue notice reaches the operator afterwards"

# a case not yet sent to any operator stops quietly
submit quiet.example.org
rm -f "$KEIKAI_MAILDIR"/new/*
keikai report stop "$T" --reason not_a_vulnerability >/dev/null || fail "stop the second report"
assert_contains "$(keikai website show "$H")" '"outcome":"stopped"' "a case still opened stops too"
keikai mail flush >/dev/null 2>&1
assert_eq "" "$(mail_to info@quiet.example.org)" "no operator was ever written to"
done_testing

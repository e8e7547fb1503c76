#!/bin/sh
# t4007 — the website track's three-month target is counted on the calendar in
# Japan and every mail says its date in JST (issue 15 item 5): details sent at
# 00:00-08:59 JST (the previous day in UTC) are due three months after the
# Japanese day, month ends clamp (11-30 + 3 -> 02-28, 01-31 + 3 -> 04-30), the
# operator's (decoded) mail names the same day as the pages, with its zone, and
# a report made in the first hours of a Japanese new year is numbered in it.
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail" KEIKAI_TEST_NOW=2026-05-31T16:30:00Z
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
# open NOW HOST: a website report at NOW (UTC) taken to stage 3 (details sent) at NOW; H, N, T set
open_at() {
	export KEIKAI_TEST_NOW=$1
	printf '%s' "{\"kind\":\"website\",\"finder\":{\"name\":\"Shiro Finder\",\"email\":\"shiro@finder.example\"},\"website\":{\"url\":\"https://$2/\"},\"vulnerability\":{\"description\":\"directory listing\"},\"policy_ack\":true}" |
		keikai report submit --json - >"$TMP/sub"
	T=$(sed -n 's/^tracking number: //p' "$TMP/sub")
	keikai report accept "$T" >/dev/null || fail "accept $T"
	H=$(keikai website list | grep -F "$2" | awk '{print $1}')
	N=${H#IPA#}
	keikai website contact "$H" "info@$2" >"$TMP/out" || fail "stage 1 for $2"
	K1=$(sed -n 's/^operator link: .*key=//p' "$TMP/out")
	keikai website stage - 2 --contact "sec@$2" --key "$K1" >/dev/null || fail "stage 2 for $2"
	keikai website stage "$H" 3 --portal >/dev/null || fail "stage 3 for $2"
	keikai mail flush >/dev/null 2>&1
}
target_of() { keikai website show "$1" | grep -o '"target_at":"[^"]*"' | cut -d'"' -f4; }

# 2026-06-01 01:30 JST (05-31 in UTC): due 2026-09-01 in Japan, not 08-31
open_at 2026-05-31T16:30:00Z early.example.org
assert_eq "2026-08-31T16:30:00Z" "$(target_of "$H")" "details sent 06-01 01:30 JST are due 09-01 01:30 JST"
M=$(mail_to sec@early.example.org)
assert_contains "$M" "Please fix it by 2026-09-01 (JST)" "the operator's mail names the Japanese day, with its zone"
assert_contains "$M" "2026-09-01 (JST) までの修正をお願いします" "in Japanese too"
assert_not_contains "$M" "2026-08-31" "never the UTC day before"
api GET "/website/case/$N" -b "$TMP/rcv"
assert_contains "$BODY" "2026-09-01 01:30 JST" "the receiver's page shows the same day"

# 2026-11-30 05:00 JST (11-29 20:00 UTC) + 3 months: 2027-02-28 (month end), not 03-01
open_at 2026-11-29T20:00:00Z monthend.example.org
assert_eq "2027-02-27T20:00:00Z" "$(target_of "$H")" "11-30 + 3 months is 02-28 in Japan"
assert_contains "$(mail_to sec@monthend.example.org)" "Please fix it by 2027-02-28 (JST)" "and the mail says so"
api GET "/website/case/$N" -b "$TMP/rcv"
assert_contains "$BODY" "2027-02-28 05:00 JST" "the page agrees"

# 2027-01-31 01:00 JST (01-30 16:00 UTC) + 3 months: 2027-04-30, not 05-01; and the year is Japan's
open_at 2027-01-30T16:00:00Z jan31.example.org
assert_eq "2027-04-29T16:00:00Z" "$(target_of "$H")" "01-31 + 3 months is 04-30 in Japan"
assert_contains "$(mail_to sec@jan31.example.org)" "Please fix it by 2027-04-30 (JST)" "named in the mail"

# the estimate and the reminders name JST days too
export KEIKAI_TEST_NOW=2027-04-20T16:00:00Z
keikai tick --at 2027-04-20T16:00:00Z >/dev/null 2>&1
keikai mail flush >/dev/null 2>&1
R=$(mail_to sec@jan31.example.org)
assert_contains "$R" "The target date 2027-04-30 (JST) for the fix of case $H" "the reminder before the target names the JST day"

# a report made at 2027-01-01 00:30 JST is numbered in 2027
export KEIKAI_TEST_NOW=2026-12-31T15:30:00Z
printf '%s' '{"kind":"website","finder":{"name":"Shiro Finder","email":"shiro@finder.example"},"website":{"url":"https://newyear.example.org/"},"vulnerability":{"description":"x"},"policy_ack":true}' |
	keikai report submit --json - >"$TMP/sub"
assert_contains "$(cat "$TMP/sub")" "tracking number: KK-2027-" "the tracking number carries the year in Japan"
done_testing

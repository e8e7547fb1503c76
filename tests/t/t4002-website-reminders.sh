#!/bin/sh
# t4002 — the fix target and its reminders with the clock pinned: details sent
# 2026-01-31 give the target 2026-04-30 (three calendar months, the 31st becoming the
# month's end); a reminder 14 days before, "overdue" at the target and every 14 days
# after; an unacknowledged stage 3 is sent again; an estimate moves the reminders;
# completion stops them. KEIKAI_WEBSITE_TARGET_MONTHS changes the target.
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail" KEIKAI_TEST_NOW=2026-01-31T10:00:00Z
keikai init >/dev/null || { echo "init failed"; exit 1; }
n_to() { grep -l -i "^To: $1" "$KEIKAI_MAILDIR"/new/* 2>/dev/null | wc -l | tr -d ' '; }
subjects() { # decoded subjects of mail to $1, one a line
	for f in $(grep -l -i "^To: $1" "$KEIKAI_MAILDIR"/new/* 2>/dev/null); do
		tr -d '\r' <"$f" | sed -n '/^Subject:/,/^[A-Z][A-Za-z-]*: /p' | sed '$d' |
			grep -o '=?UTF-8?B?[^?]*?=' | sed 's/=?UTF-8?B?//; s/?=$//' | while read -r w; do
			printf '%s' "$w" | base64 -d 2>/dev/null
		done
		echo
	done
}
new_case() { # url -> prints the handling number of a case in stage 3 (portal only)
	printf '{"kind":"website","finder":{"name":"Saburo Finder","email":"saburo@finder.example"},"website":{"url":"%s"},"vulnerability":{"description":"open redirect"},"policy_ack":true}' "$1" |
		keikai report submit --json - >"$TMP/out"
	t=$(sed -n 's/^tracking number: //p' "$TMP/out")
	keikai report accept "$t" >/dev/null
	h=$(keikai website list --json | grep -o "\"handling\":\"[^\"]*\",\"tracking\":\"$t\"" | sed 's/"handling":"//; s/".*//')
	keikai website contact "$h" info@"$2" >/dev/null
	keikai website stage "$h" 2 --contact sec@"$2" >/dev/null
	keikai website stage "$h" 3 --portal >/dev/null
	printf '%s' "$h"
}

H=$(new_case https://late.example.net/ late.example.net)
S=$(keikai website show "$H")
assert_contains "$S" '"stage":"stage3"' "stage 3 through the CLI"
assert_contains "$S" '"target_at":"2026-04-30T10:00:00Z"' "target: three months, the 31st becomes April 30"
keikai tick --at 2026-01-31T10:00:00Z >/dev/null
base=$(n_to sec@late.example.net)
assert_eq 2 "$base" "stage 2 and stage 3 mail to the contact"

# not acknowledged: stage 3 sent again after 14 days
keikai tick --at 2026-02-14T10:00:00Z >/dev/null
assert_eq 3 "$(n_to sec@late.example.net)" "unacknowledged details: reminder"
keikai website ack "$H" >/dev/null
keikai tick --at 2026-02-28T10:00:00Z >/dev/null
assert_eq 3 "$(n_to sec@late.example.net)" "no reminder after the acknowledgement"

# 14 days before the target
keikai tick --at 2026-04-16T09:59:00Z >/dev/null
assert_eq 3 "$(n_to sec@late.example.net)" "nothing a minute early"
keikai tick --at 2026-04-16T10:00:00Z >/dev/null
assert_eq 4 "$(n_to sec@late.example.net)" "reminder 14 days before the target"
assert_contains "$(subjects sec@late.example.net)" "[$H] The target date is near" "the reminder names the case"

# overdue at the target, again 14 days later
keikai tick --at 2026-04-30T10:00:00Z >/dev/null
assert_eq 5 "$(n_to sec@late.example.net)" "overdue at the target"
assert_contains "$(KEIKAI_TEST_NOW=2026-04-30T10:00:00Z keikai website list)" "[overdue]" "the list flags it"
assert_contains "$(keikai website show "$H")" '"overdue":true' "and the case"
keikai tick --at 2026-05-14T10:00:00Z >/dev/null
assert_eq 6 "$(n_to sec@late.example.net)" "overdue reminder 14 days later"
assert_contains "$(subjects sec@late.example.net)" "[$H] The target date has passed" "overdue subject"

# an estimate moves the reminders
out=$(keikai website estimate "$H" 2026-04-01 2>&1)
assert_eq 1 "$?" "an estimate before the target is refused"
assert_contains "$out" "after the target 2026-04-30" "saying why"
KEIKAI_TEST_NOW=2026-05-14T10:00:00Z keikai website estimate "$H" 2026-07-31 --why "a new shop system" >/dev/null
assert_eq 0 "$?" "estimate 2026-07-31"
assert_contains "$(KEIKAI_TEST_NOW=2026-05-14T11:00:00Z keikai website show "$H")" '"overdue":false' "no longer overdue"
keikai tick --at 2026-05-28T10:00:00Z >/dev/null
assert_eq 6 "$(n_to sec@late.example.net)" "the old overdue reminder is gone"
keikai tick --at 2026-07-17T00:00:00Z >/dev/null
assert_eq 7 "$(n_to sec@late.example.net)" "reminder 14 days before the estimate"
keikai website complete "$H" "upgraded the shop" >/dev/null
keikai tick --at 2026-08-01T00:00:00Z >/dev/null
assert_eq 7 "$(n_to sec@late.example.net)" "completion stops the reminders"
assert_eq 0 "$(keikai tick --list | grep -c 'website\.')" "no website job left"

# a configured target
export KEIKAI_WEBSITE_TARGET_MONTHS=6
H2=$(new_case https://slow.example.net/ slow.example.net)
assert_contains "$(keikai website show "$H2")" '"target_at":"2026-07-31T10:00:00Z"' "six months when configured"
done_testing

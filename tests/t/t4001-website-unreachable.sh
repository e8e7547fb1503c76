#!/bin/sh
# t4001 — a website case whose operator never answers: the stage 1 notice is sent
# again every 14 days by the scheduler (`keikai tick --at`, clock pinned), the case
# is marked unreachable after the third unanswered notice, the board shows it, and
# only then may a receiver close it as operator_unreachable.
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail" KEIKAI_TEST_NOW=2026-04-01T00:00:00Z
keikai init >/dev/null || { echo "init failed"; exit 1; }
mails_to() { grep -l -i "^To: $1" "$KEIKAI_MAILDIR"/new/* 2>/dev/null | wc -l | tr -d ' '; }

printf '%s' '{"kind":"website","finder":{"name":"Jiro Finder","email":"jiro@finder.example"},"website":{"url":"https://quiet.example.org/login"},"vulnerability":{"cwe":"CWE-79","description":"reflected XSS in the login form"},"policy_ack":true}' |
	keikai report submit --json - >"$TMP/out"
T=$(sed -n 's/^tracking number: //p' "$TMP/out")
keikai report accept "$T" >/dev/null
H=$(keikai website list | awk 'NR==2 {print $1}')
assert_contains "$H" "IPA#" "the case is open"

out=$(keikai website close "$H" --outcome operator_unreachable 2>&1)
assert_eq 1 "$?" "unreachable refused before any notice"
assert_contains "$out" "not marked unreachable" "the error says why"

keikai website contact "$H" webmaster@quiet.example.org info@quiet.example.org >"$TMP/out"
assert_eq 0 "$?" "stage 1 notice to two addresses"
keikai tick --at 2026-04-01T00:00:00Z >/dev/null
assert_eq 1 "$(mails_to webmaster@quiet.example.org)" "first notice delivered"
assert_eq 1 "$(keikai tick --list | grep -c website.nudge)" "a reminder is scheduled"

keikai tick --at 2026-04-14T23:00:00Z >/dev/null
assert_eq 1 "$(mails_to webmaster@quiet.example.org)" "nothing before 14 days"
keikai tick --at 2026-04-15T00:00:00Z >/dev/null
assert_eq 2 "$(mails_to webmaster@quiet.example.org)" "second notice after 14 days"
assert_eq 2 "$(mails_to info@quiet.example.org)" "to every address found"
keikai tick --at 2026-04-29T00:00:00Z >/dev/null
assert_eq 3 "$(mails_to webmaster@quiet.example.org)" "third notice after 28 days"
assert_not_contains "$(keikai website list)" "[unreachable]" "not yet unreachable"
keikai tick --at 2026-05-13T00:00:00Z >/dev/null
assert_eq 3 "$(mails_to webmaster@quiet.example.org)" "no fourth notice"
assert_contains "$(keikai website list)" "[unreachable]" "marked unreachable after three notices"
assert_eq 0 "$(keikai tick --list | grep -c website.nudge)" "no more reminders"
B=$(KEIKAI_TEST_NOW=2026-05-13T00:00:00Z keikai website board)
assert_contains "$B" '"unreachable":true' "the board shows it"
assert_contains "$B" '"stage1":1' "in stage 1"
assert_contains "$B" '"age_days":42' "42 days old"

out=$(keikai website close "$H" --outcome fixed 2>&1)
assert_eq 1 "$?" "fixed refused without a completion report"
keikai website close "$H" --outcome operator_unreachable --note "no answer to three notices" >/dev/null
assert_eq 0 "$?" "closed as operator_unreachable"
assert_contains "$(keikai website show "$H")" '"outcome":"operator_unreachable"' "the outcome is kept"
F=$(keikai website figures)
assert_contains "$F" '"operator_unreachable":1' "figures count it"
assert_contains "$F" '"stage1":0.0' "days to stage 1"
assert_contains "$F" '"fix":null' "never fixed"
assert_contains "$(keikai audit --limit 20)" "website.unreachable" "audited"
done_testing

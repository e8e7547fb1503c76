#!/bin/sh
# t3011 — reminders and escalation with the clock pinned (`keikai tick --at`,
# vendors answering through `keikai case ... --as` at pinned times): no
# acknowledgement in 5 days, no verification in 14, the date approaching with
# statements missing; after 3 reminders over every channel a vendor is
# unreachable (連絡不能) and publicly listed; when it answers it resumes and
# leaves the list; a vendor waiting for the details reminds the coordinator.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/case-lib.sh"

# mails TO PATTERN — queued mails to TO whose subject holds PATTERN
mails() { keikai mail list --json | tr '}' '\n' | grep "\"to\":\"$1\"" | grep -c "$2"; }
at() { KEIKAI_TEST_NOW=$1 keikai "$@"; }
as() { # TIME EMAIL case ARGS... — a vendor answering at a pinned time
	t=$1 u=$2
	shift 2
	KEIKAI_TEST_NOW=$t keikai "$@" --as "$u" >/dev/null 2>"$TMP/as.err" || { cat "$TMP/as.err"; return 1; }
}
tick() { keikai tick --at "$1" >/dev/null || fail "tick at $1"; }
attempts() { cas GET "/api/v1/cases/$REF/vendors?q=$1" "$TOK_COORD"; json_int attempts; }

keikai case add-vendor "$REF" "Alpha Soft" "Beta Systems" "Gamma Silent" >/dev/null || fail "add vendors"
keikai case notify "$REF" --all >/dev/null || fail "notify all"
out=$(keikai tick --list)
assert_contains "$out" "coord.ack_reminder" "acknowledgement reminders are scheduled in the database"
assert_contains "$out" "coord.date_reminder" "the date reminder is scheduled"

# --- no acknowledgement within 5 days (notified 2027-01-15T08:00Z)
tick 2027-01-20T07:59:00Z
assert_eq 0 "$(mails info@gamma.example '督促')" "no reminder a minute before the 5 days"
tick 2027-01-20T08:00:00Z
assert_eq 1 "$(mails info@gamma.example '督促 (1/3)')" "the first reminder at 5 days"
assert_eq 1 "$(mails psirt@alpha.example '督促 (1/3)')" "every silent vendor is reminded"
assert_eq 1 "$(attempts Gamma)" "one attempt counted"

# Alpha acknowledges on the 21st; Beta asks for the details
as 2027-01-21T01:00:00Z psirt@alpha.example case step "$REF" acknowledge || fail "Alpha acknowledges"
as 2027-01-21T01:00:00Z sec@beta.example case step "$REF" request_details --accept-terms || fail "Beta asks for details"
assert_eq 0 "$(attempts Alpha)" "answering resets the count"
tick 2027-01-23T08:00:00Z
assert_eq 1 "$(mails psirt@alpha.example '督促')" "no more acknowledgement reminders after acknowledging"
assert_eq 1 "$(mails info@gamma.example '督促 (2/3)')" "Gamma: second reminder 3 days later"
tick 2027-01-26T08:00:00Z
assert_eq 1 "$(mails info@gamma.example '督促 (3/3)')" "Gamma: third reminder"
cas GET "/api/v1/cases/$REF/vendors?state=unreachable" "$TOK_COORD"
assert_contains "$BODY" '"total":0' "not unreachable yet"

# --- escalation: after 3 unanswered reminders
tick 2027-01-29T08:00:00Z
cas GET "/api/v1/cases/$REF/vendors?state=unreachable" "$TOK_COORD"
assert_contains "$BODY" '"vendor":"Gamma Silent"' "Gamma is unreachable (連絡不能)"
assert_contains "$BODY" '"unreachable":"2027-01-29T08:00:00Z"' "stamped at the escalation"
api GET /api/v1/unreachable
assert_contains "$BODY" "Gamma Silent" "and on the public list"
assert_eq 1 "$(mails coord@cc.example 'unreachable')" "the coordinators are told"
keikai audit --json --limit 500 >"$TMP/audit"
assert_contains "$(cat "$TMP/audit")" '"action":"case.vendor.unreachable"' "the escalation is audited"
tick 2027-02-01T08:00:00Z
assert_eq 0 "$(mails info@gamma.example '督促 (4')" "an unreachable vendor gets no more reminders"

# --- Gamma answers: it resumes and leaves the public list
as 2027-02-02T00:00:00Z info@gamma.example case step "$REF" acknowledge || fail "Gamma acknowledges"
cas GET "/api/v1/cases/$REF/vendors?state=unreachable" "$TOK_COORD"
assert_contains "$BODY" '"total":0' "Gamma is reachable again"
api GET /api/v1/unreachable
assert_not_contains "$BODY" "Gamma Silent" "Gamma left the public list"
assert_contains "$(keikai audit --json --limit 500)" '"action":"case.vendor.resume"' "the resumption is audited"

# --- no verification within 14 days of acknowledging (Alpha: 2027-01-21T01:00Z)
tick 2027-02-04T00:59:00Z
assert_eq 0 "$(mails psirt@alpha.example 'verification')" "no verification reminder before 14 days"
tick 2027-02-04T01:00:00Z
assert_eq 1 "$(mails psirt@alpha.example 'please report your verification')" "verification reminder at 14 days"
# Beta asked for the details and waits: the coordinator is reminded, Beta is not counted
assert_eq 1 "$(mails coord@cc.example 'waits for the details')" "the coordinator is reminded to send the details"
assert_eq 0 "$(attempts Beta)" "waiting for the coordinator is no silence"

# --- the date approaches (2027-03-01T02:00Z, 7 days before) with statements missing
as 2027-02-05T00:00:00Z psirt@alpha.example case step "$REF" no_affected_product >/dev/null 2>&1
as 2027-02-05T00:00:00Z psirt@alpha.example case statement "$REF" --status not_affected --en "no product of ours" ||
	fail "Alpha's statement"
tick 2027-02-22T01:59:00Z
assert_eq 0 "$(mails sec@beta.example '公表日が近づいています')" "no date reminder before 7 days ahead"
tick 2027-02-22T02:00:00Z
assert_eq 1 "$(mails sec@beta.example '公表日が近づいています')" "Beta (no statement) is reminded of the date"
assert_eq 0 "$(mails psirt@alpha.example '公表日が近づいています')" "Alpha (statement given) is not"
keikai audit --json --limit 500 >"$TMP/audit"
assert_contains "$(cat "$TMP/audit")" '"action":"case.date.remind"' "the date reminder is audited"
# a restart loses nothing: the jobs are rows (the next reminder is pending in the database)
out=$(keikai tick --list)
assert_contains "$out" "coord.date_reminder" "the next date reminder is pending in the database"
done_testing

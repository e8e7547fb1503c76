#!/bin/sh
# The scheduler's tick: `keikai tick` runs due jobs and delivers due mail once
# (at a pinned time with --at), `--list` shows jobs, bad options exit 2; the
# server's background thread delivers queued mail without `mail flush`, and
# stops cleanly with the server.
. "$(dirname "$0")/lib.sh"

export KEIKAI_MAILDIR="$TMP/mail"
mails() { ls "$KEIKAI_MAILDIR/new" 2>/dev/null | wc -l | tr -d ' '; }
submit() {
	printf '{"kind":"product","finder":{"name":"Tick Finder","email":"tick@example.org","disclose":"none"},"product":{"name":"P","vendor":"V","version":"1"},"vulnerability":{"cwe":"CWE-79","description":"xss"},"policy_ack":true}' |
		keikai report submit --json - >/dev/null 2>"$TMP/submit.err"
}

keikai init >/dev/null || { echo "init failed"; exit 1; }

# --- bad options
keikai tick --at yesterday >/dev/null 2>"$TMP/err"
assert_eq 2 "$?" "--at that is not a time exits 2"
assert_contains "$(cat "$TMP/err")" "2026-03-01T09:00:00Z" "the error shows the form"
keikai tick --all >/dev/null 2>"$TMP/err"
assert_eq 2 "$?" "--all without --list exits 2"
keikai tick --limit 0 >/dev/null 2>&1
assert_eq 2 "$?" "--limit 0 exits 2"

# --- a tick with nothing to do
out=$(keikai tick --at 2026-03-01T09:00:00Z)
assert_eq 0 "$?" "tick exits 0"
assert_contains "$out" "tick at 2026-03-01T09:00:00Z: 0 job(s) ran" "tick reports the pinned time"
out=$(keikai tick --list)
assert_contains "$out" "KIND" "--list prints a table"

# --- a tick delivers the mail a report queued
submit || { cat "$TMP/submit.err"; fail "report submit"; }
assert_eq 0 "$(mails)" "nothing delivered yet"
out=$(keikai tick)
assert_contains "$out" "mail: 1 sent" "tick delivers due mail"
assert_eq 1 "$(mails)" "the receipt is in the maildir"
out=$(KEIKAI_MAILDIR= keikai tick)
assert_contains "$out" "no transport configured" "without a transport the tick says so"

# --- the server's scheduler thread delivers on its own
printf '%s\n' "$ADMIN_PASSWORD" | keikai user add --email "$ADMIN_EMAIL" --name Admin --role admin >/dev/null
start_server_only --tick 1
submit || fail "second report"
i=0
while [ "$(mails)" -lt 2 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
assert_eq 2 "$(mails)" "the server delivered the second receipt without mail flush"
# a server without the scheduler leaves mail queued
stop_server
start_server_only --no-scheduler
submit || fail "third report"
sleep 1.5
assert_eq 2 "$(mails)" "--no-scheduler: the mail stays queued"
out=$(keikai mail list)
assert_contains "$out" "queued" "the outbox shows it queued"
stop_server
assert_not_contains "$(cat "$SERVER_LOG")" "tick@example.org" "the finder's address is not logged"

done_testing

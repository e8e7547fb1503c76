#!/bin/sh
# t6233 — sign-in limits that cannot be turned against the account's owner
# (issue 23, fault 3): failures count per (account, address) and per
# address; after 10 from one address that address waits (429 with a
# Retry-After that is the real wait), the wait doubles with each further
# failure; the owner signs in from another address meanwhile; the owner
# gets one notice mail; a success from the address starts afresh.
. "$(dirname "$0")/lib.sh"
start_server
ra() { header Retry-After; }
n=0
while [ $n -lt 10 ]; do
	api_json POST /api/v1/session "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"guess-number-$n\"}"
	assert_eq 401 "$STATUS" "failure $n answers 401"
	n=$((n + 1))
done
api_json POST /api/v1/session "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}"
assert_eq 429 "$STATUS" "from the attacking address even the right password waits"
w=$(ra)
[ "$w" -ge 1 ] && [ "$w" -le 30 ] && pass "Retry-After $w is the wait (at most 30 s)" || fail "Retry-After '$w'"

# the owner at another address is not locked out
api_json POST /api/v1/session "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" --interface 127.0.0.2
assert_eq 201 "$STATUS" "the owner signs in from another address"

# one notice to the owner
mails=$(keikai mail list)
assert_contains "$mails" "$ADMIN_EMAIL" "the owner is told"
assert_eq 1 "$(keikai mail list | grep -c "$ADMIN_EMAIL")" "once"

# the wait passes (moved into the past here): one more try, then the wait doubles
sqlite3 "$DB" "UPDATE login_attempts SET at = at - 31"
api_json POST /api/v1/session "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"guess-again\"}"
assert_eq 401 "$STATUS" "after the wait one more try is heard"
api_json POST /api/v1/session "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}"
assert_eq 429 "$STATUS" "then the address waits again"
w=$(ra)
[ "$w" -gt 30 ] && [ "$w" -le 60 ] && pass "the wait doubled: Retry-After $w" || fail "Retry-After '$w' (want 31..60)"
assert_eq 1 "$(keikai mail list | grep -c "$ADMIN_EMAIL")" "no second notice for the same run"

# the form says the same
api GET /login -c "$TMP/fj"
fcsrf=$(printf '%s' "$BODY" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
api POST /login -b "$TMP/fj" --data-urlencode "email=$ADMIN_EMAIL" --data-urlencode "password=$ADMIN_PASSWORD" \
	--data-urlencode "csrf=$fcsrf"
assert_eq 429 "$STATUS" "the form is limited too"
w=$(ra)
[ "$w" -gt 0 ] && [ "$w" -le 60 ] && pass "the form's Retry-After $w" || fail "form Retry-After '$w'"
assert_eq 1 "$(header_all Retry-After | wc -l | tr -d ' ')" "one Retry-After header"

# per address: many accounts from one address
printf '%s\n' "coordinator-pass-1" | keikai user add --email coord@example.org --name Coord --role coordinator >/dev/null
i=0
while [ $i -lt 30 ]; do
	api_json POST /api/v1/session "{\"email\":\"spray$i@example.org\",\"password\":\"spray-password\"}" --interface 127.0.0.3
	i=$((i + 1))
done
api_json POST /api/v1/session '{"email":"coord@example.org","password":"coordinator-pass-1"}' --interface 127.0.0.3
assert_eq 429 "$STATUS" "an address spraying many accounts waits"
api_json POST /api/v1/session '{"email":"coord@example.org","password":"coordinator-pass-1"}'
assert_eq 201 "$STATUS" "the account itself is not locked"
log=$(cat "$SERVER_LOG")
assert_not_contains "$log" "guess-number" "failed passwords never logged"
assert_not_contains "$log" "spray1@" "e-mails that are no account never logged"
done_testing

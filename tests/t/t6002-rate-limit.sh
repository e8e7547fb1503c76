#!/bin/sh
# t6002 — failed sign-ins are rate limited per account (429 with
# Retry-After), the right password is refused too while limited, and the
# log records the failures without the password.
. "$(dirname "$0")/lib.sh"
start_server
n=0 got429=0
while [ $n -lt 15 ]; do
	api_json POST /api/v1/session "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"guess-number-$n\"}"
	if [ "$STATUS" = 429 ]; then got429=1; break; fi
	assert_eq 401 "$STATUS" "failed sign-in $n"
	n=$((n + 1))
done
assert_eq 1 "$got429" "sign-ins limited after $n failures"
assert_contains "$BODY" '"code":"rate_limited"' "429 error code"
[ -n "$(header Retry-After)" ] && pass "429 has Retry-After" || fail "429 without Retry-After"
api_json POST /api/v1/session "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}"
assert_eq 429 "$STATUS" "the right password is refused while limited"
# the form says so too
api GET /login -c "$TMP/fj"
fcsrf=$(printf '%s' "$BODY" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
api POST /login -b "$TMP/fj" --data-urlencode "email=$ADMIN_EMAIL" --data-urlencode "password=$ADMIN_PASSWORD" \
	--data-urlencode "csrf=$fcsrf"
assert_eq 429 "$STATUS" "form sign-in limited"
log=$(cat "$SERVER_LOG")
assert_not_contains "$log" "guess-number" "failed passwords never logged"
assert_not_contains "$log" "$ADMIN_PASSWORD" "password never logged"
done_testing

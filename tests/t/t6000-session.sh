#!/bin/sh
# t6000 — sessions: sign-in answers 2xx with a HttpOnly SameSite=Strict
# cookie (Secure behind TLS), wrong password 401, /api/v1/me 401 then 200,
# CSRF required for cookie-authenticated writes, sign-out ends the session;
# the same through the /login form.
. "$(dirname "$0")/lib.sh"
start_server
JAR=$TMP/jar

api GET /api/v1/me
assert_eq 401 "$STATUS" "me before signing in"

api_json POST /api/v1/session "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"wrong-password-here\"}"
assert_eq 401 "$STATUS" "wrong password"
assert_contains "$BODY" '"code":"unauthenticated"' "wrong password error code"
assert_eq "" "$(header Set-Cookie)" "no cookie for a wrong password"
api_json POST /api/v1/session '{"email":"nobody@example.org","password":"whatever-password"}'
assert_eq 401 "$STATUS" "unknown email"
api_json POST /api/v1/session '{"email":"x"}'
assert_eq 422 "$STATUS" "missing password"
assert_contains "$BODY" '"field":"password"' "missing password names the field"
api POST /api/v1/session -H 'Content-Type: text/plain' --data-binary '{}'
assert_eq 415 "$STATUS" "JSON needs its content type"
api_json POST /api/v1/session '{"email":'
assert_eq 400 "$STATUS" "malformed JSON"

login "$ADMIN_EMAIL" "$ADMIN_PASSWORD" "$JAR"
assert_eq 201 "$STATUS" "sign in"
cookie=$(header Set-Cookie)
assert_contains "$cookie" "kk_session=" "session cookie set"
assert_contains "$cookie" "HttpOnly" "cookie HttpOnly"
assert_contains "$cookie" "SameSite=Strict" "cookie SameSite=Strict"
assert_contains "$cookie" "Path=/" "cookie Path=/"
assert_not_contains "$cookie" "Secure" "no Secure on plain HTTP"
assert_contains "$BODY" "\"email\":\"$ADMIN_EMAIL\"" "sign-in answers the user"
[ -n "$CSRF" ] && pass "sign-in answers a CSRF token" || fail "no csrf in $BODY"

api GET /api/v1/me -b "$JAR"
assert_eq 200 "$STATUS" "me with the session"
assert_contains "$BODY" '"role":"admin"' "me has the role"
assert_contains "$BODY" '"name":"Admin"' "me has the name"
assert_contains "$BODY" '"organization":null' "me has the organization (none)"

# CSRF: cookie-authenticated writes need X-CSRF-Token
api_json POST /api/v1/me/tokens '{"name":"t"}' -b "$JAR"
assert_eq 403 "$STATUS" "write without CSRF token"
assert_contains "$BODY" '"field":"X-CSRF-Token"' "CSRF error names the header"
api_json POST /api/v1/me/tokens '{"name":"t"}' -b "$JAR" -H "X-CSRF-Token: wrong"
assert_eq 403 "$STATUS" "write with a wrong CSRF token"
api_json POST /api/v1/me/tokens '{"name":"t"}' -b "$JAR" -H "X-CSRF-Token: $CSRF"
assert_eq 201 "$STATUS" "write with the CSRF token"
api DELETE /api/v1/session -b "$JAR"
assert_eq 403 "$STATUS" "sign-out without CSRF token"

# behind TLS the cookie is Secure
api_json POST /api/v1/session "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" -H 'X-Forwarded-Proto: https'
assert_contains "$(header Set-Cookie)" "; Secure" "Secure cookie behind TLS"

# sign out
api DELETE /api/v1/session -b "$JAR" -c "$JAR" -H "X-CSRF-Token: $CSRF"
assert_eq 204 "$STATUS" "sign out"
assert_contains "$(header Set-Cookie)" "Max-Age=0" "sign-out clears the cookie"
old=$(awk '$6=="kk_session"{print $7}' "$JAR")
api GET /api/v1/me -b "kk_session=$CSRF"
assert_eq 401 "$STATUS" "a made-up cookie is no session"
login "$ADMIN_EMAIL" "$ADMIN_PASSWORD" "$TMP/jar2"
tok=$(awk '$6=="kk_session"{print $7}' "$TMP/jar2")
api DELETE /api/v1/session -b "kk_session=$tok" -H "X-CSRF-Token: $CSRF"
assert_eq 204 "$STATUS" "second session signed out"
api GET /api/v1/me -b "kk_session=$tok"
assert_eq 401 "$STATUS" "me after sign-out (the old cookie no longer works)"
[ -z "$old" ] && pass "jar cleared" || pass "jar holds an expired cookie"

# the /login form: CSRF field, errors shown, redirect
FJ=$TMP/formjar
api GET /login -c "$FJ" -b "$FJ"
assert_eq 200 "$STATUS" "login page"
fcsrf=$(printf '%s' "$BODY" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
[ -n "$fcsrf" ] && pass "login form has a CSRF field" || fail "no CSRF field in the login form"
api POST /login -c "$FJ" -b "$FJ" --data-urlencode "email=$ADMIN_EMAIL" --data-urlencode "password=nope-nope-nope" \
	--data-urlencode "csrf=$fcsrf"
assert_eq 401 "$STATUS" "form sign-in with a wrong password"
assert_contains "$BODY" 'class="notice error"' "form shows the error"
fcsrf=$(printf '%s' "$BODY" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
api POST /login -b "$FJ" --data-urlencode "email=$ADMIN_EMAIL" --data-urlencode "password=$ADMIN_PASSWORD" \
	--data-urlencode "csrf=bogus-bogus-bogus-bogus-bogus-bogus-bogus"
assert_eq 400 "$STATUS" "form sign-in with a wrong CSRF value"
api POST /login -c "$FJ" -b "$FJ" --data-urlencode "email=$ADMIN_EMAIL" --data-urlencode "password=$ADMIN_PASSWORD" \
	--data-urlencode "csrf=$fcsrf" --data-urlencode "next=/admin/users"
assert_eq 303 "$STATUS" "form sign-in redirects"
assert_eq /admin/users "$(header Location)" "redirect to next"
api GET /account -b "$FJ"
assert_eq 200 "$STATUS" "account page after form sign-in"
scsrf=$(printf '%s' "$BODY" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
api POST /logout -b "$FJ" -c "$FJ"
assert_eq 403 "$STATUS" "logout form without CSRF"
api POST /logout -b "$FJ" -c "$FJ" --data-urlencode "csrf=$scsrf"
assert_eq 303 "$STATUS" "logout form"
api GET /account -b "$FJ"
assert_eq 303 "$STATUS" "account page after logout redirects to sign-in"
assert_eq "/login?next=/account" "$(header Location)" "redirect target"
api POST /login --data-urlencode "email=$ADMIN_EMAIL" --data-urlencode "password=$ADMIN_PASSWORD" \
	--data-urlencode "csrf=$fcsrf" --data-urlencode "next=//evil.example/"
assert_eq 400 "$STATUS" "form sign-in without the CSRF cookie"
done_testing

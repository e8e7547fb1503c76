#!/bin/sh
# t6232 — sign-in and session hardening (issue 23, faults 1 and 8): after
# signing in, ?next= never leaves the site however a browser would read it
# (TAB, CR/LF, backslash, //); one Referrer-Policy header on /r/{tracking};
# CSRF tokens stored hashed; API tokens do not survive disable/re-enable; the
# log never records a sign-in e-mail that is no account; staff with a token
# read a website case through GET /api/v1/website/portal?case=N; an attachment
# name with a bidi override (U+202E: "<RLO>txt.js" shows as "sj.txt") is refused.
. "$(dirname "$0")/lib.sh"
export KEIKAI_BASE_URL=https://kk.example
start_server
JAR=$TMP/jar
login "$ADMIN_EMAIL" "$ADMIN_PASSWORD" "$JAR"
assert_eq 201 "$STATUS" "sign in"

# 1. the redirect after signing in (already signed in: /login?next= redirects at once)
for n in '/%09/evil.example' '/%09%09/evil.example' '%09//evil.example' '/%5Cevil.example' '/%5C/evil.example' \
	'/%0D%0A/evil.example' '/%0A/evil.example' '//evil.example' '/%2F/evil.example' '/%7F/evil.example' \
	'https://evil.example/' '/%20/evil.example/%5C'; do
	api GET "/login?next=$n" -b "$JAR"
	assert_eq 303 "$STATUS" "next=$n redirects"
	assert_eq /account "$(header Location)" "next=$n stays on the site"
done
api GET "/login?next=/vulns%3Fq%3Dtest" -b "$JAR"
assert_eq "/vulns?q=test" "$(header Location)" "a local next is followed"
# the same through the sign-in form
api GET "/login?next=/%09/evil.example" -c "$TMP/fj"
assert_not_contains "$BODY" "evil.example" "the form never carries an unsafe next"

# 2. CSRF tokens are stored hashed, and still work
stored=$(sqlite3 "$DB" "SELECT csrf FROM sessions")
assert_not_contains "$stored" "$CSRF" "the CSRF token is not stored as it is"
api_json POST /api/v1/orgs '{"name":"Acme","kind":"vendor"}' -b "$JAR" -H "X-CSRF-Token: $CSRF"
assert_eq 201 "$STATUS" "the CSRF token works"
api_json POST /api/v1/orgs '{"name":"Acme2","kind":"vendor"}' -b "$JAR" -H "X-CSRF-Token: $stored"
assert_eq 403 "$STATUS" "the stored value is not a CSRF token"
api GET /api/v1/me -b "$JAR"
assert_eq "$CSRF" "$(json_str csrf)" "/api/v1/me answers the same token"

# 3. API tokens die with a disabled account
printf '%s\n' "coordinator-pass-1" | keikai user add --email coord@example.org --name Coord --role coordinator >/dev/null
make_token coord@example.org coordinator-pass-1
api GET /api/v1/me -H "Authorization: Bearer $TOKEN"
assert_eq 200 "$STATUS" "the token works"
keikai user disable coord@example.org >/dev/null 2>&1
keikai user enable coord@example.org >/dev/null 2>&1
api GET /api/v1/me -H "Authorization: Bearer $TOKEN"
assert_eq 401 "$STATUS" "the token is dead after disable and enable"

# 4. the log records no e-mail that is no account
api_json POST /api/v1/session '{"email":"typo-not-an-account@example.net","password":"some-password-1"}'
assert_eq 401 "$STATUS" "unknown e-mail"
api_json POST /api/v1/session '{"email":"coord@example.org","password":"wrong-password-1"}'
assert_not_contains "$(cat "$SERVER_LOG")" "typo-not-an-account" "an unknown e-mail is never logged"
assert_contains "$(cat "$SERVER_LOG")" "failed for an unknown account" "the failure itself is logged"
assert_contains "$(cat "$SERVER_LOG")" "coord@example.org" "a failure for an account names it"

# 5. a website case: staff read it through the portal API; /r/ sends one Referrer-Policy
printf '%s\n' "receiver-password-1" | keikai user add --email rcv@example.org --name Receiver --role receiver >/dev/null
R='{"kind":"website","finder":{"name":"Hanako Finder","email":"hanako.finder@example.jp"},"website":{"url":"https://shop.example.com/cart"},"vulnerability":{"cwe":"CWE-89","description":"SQL injection in the cart"},"policy_ack":true}'
api_json POST /api/v1/reports "$R"
T=$(json_str tracking)
FK=$(json_str key)
api GET "/r/$T?key=$FK"
assert_eq 200 "$STATUS" "the finder's status page"
assert_eq 1 "$(header_all Referrer-Policy | wc -l | tr -d ' ')" "one Referrer-Policy header on /r/"
assert_eq no-referrer "$(header Referrer-Policy)" "the stricter policy"
api GET "/healthz"
assert_eq same-origin "$(header Referrer-Policy)" "others keep same-origin"
keikai report accept "$T" >/dev/null 2>&1
H=$(keikai website list --json | grep -o '"handling":"[^"]*"' | head -1 | sed 's/.*:"//; s/"$//')
N=${H#IPA#}
make_token "$ADMIN_EMAIL" "$ADMIN_PASSWORD"
api GET "/api/v1/website/portal?case=$N" -H "Authorization: Bearer $TOKEN"
assert_eq 200 "$STATUS" "an admin's token reads the portal view"
assert_not_contains "$BODY" "hanako" "never the finder"
make_token rcv@example.org receiver-password-1
api GET "/api/v1/website/portal?case=$N" -H "Authorization: Bearer $TOKEN"
assert_eq 200 "$STATUS" "a receiver's token reads the portal view"
api GET "/api/v1/website/portal?case=99999999" -H "Authorization: Bearer $TOKEN"
assert_eq 404 "$STATUS" "no such case: 404"
api GET "/api/v1/website/portal?case=$N"
assert_eq 401 "$STATUS" "the public without a key: 401"

# 6. an attachment name with a right-to-left override is refused, named, nothing stored
printf 'alert(1)\n' >"$TMP/x.txt"
RPT='{"kind":"product","lang":"en","finder":{"name":"F","email":"f@example.org"},"product":{"name":"Gizmo","vendor":"Acme"},"vulnerability":{"description":"overflow"},"policy_ack":true}'
before=$(sqlite3 "$DB" "SELECT count(*) FROM report")
api POST /api/v1/reports -F "report=$RPT" -F "file=@$TMP/x.txt;filename=$(printf '\342\200\256')txt.js"
assert_eq 422 "$STATUS" "a U+202E file name is refused"
assert_contains "$BODY" '"field":"filename"' "the error names the file name"
assert_eq "$before" "$(sqlite3 "$DB" "SELECT count(*) FROM report")" "no report stored"
api POST /api/v1/reports -F "report=$RPT" -F "file=@$TMP/x.txt;filename=$(printf '\342\201\247')a.txt"
assert_eq 422 "$STATUS" "a U+2067 file name is refused"
done_testing

#!/bin/sh
# t6001 — API tokens: created once with the secret shown only then, listed
# without it, work as Bearer everywhere, stop working when revoked.
. "$(dirname "$0")/lib.sh"
start_server
JAR=$TMP/jar
login "$ADMIN_EMAIL" "$ADMIN_PASSWORD" "$JAR"
api_json POST /api/v1/me/tokens '{"name":"ci robot"}' -b "$JAR" -H "X-CSRF-Token: $CSRF"
assert_eq 201 "$STATUS" "create token"
TOKEN=$(json_str token)
id=$(json_int id)
case "$TOKEN" in kk_?????????????????????????????????????????*) pass "token has the kk_ form";;
*) fail "token '$TOKEN' is not kk_ + 43 characters";; esac

api GET /api/v1/me/tokens -b "$JAR"
assert_eq 200 "$STATUS" "list tokens"
assert_contains "$BODY" '"name":"ci robot"' "list shows the token"
assert_not_contains "$BODY" "$TOKEN" "list never shows the secret"
prefix=$(json_str prefix)
assert_eq "$(printf '%s' "$TOKEN" | cut -c1-10)" "$prefix" "list shows the prefix"

api GET /api/v1/me -H "Authorization: Bearer $TOKEN"
assert_eq 200 "$STATUS" "Bearer token works"
assert_contains "$BODY" '"auth":"token"' "me says token auth"
api_json POST /api/v1/orgs '{"name":"Acme","kind":"vendor"}' -H "Authorization: Bearer $TOKEN"
assert_eq 201 "$STATUS" "Bearer writes need no CSRF token"
api GET /account -H "Authorization: Bearer $TOKEN"
assert_eq 200 "$STATUS" "Bearer works on pages too"
api GET /api/v1/me -H "Authorization: Bearer kk_notarealtoken"
assert_eq 401 "$STATUS" "unknown token"
api GET /healthz -H "Authorization: Bearer kk_notarealtoken"
assert_eq 401 "$STATUS" "a bad token is refused even on public routes"
api GET /api/v1/me -H "Authorization: Basic YWRtaW46YWRtaW4="
assert_eq 401 "$STATUS" "other schemes refused"

api DELETE "/api/v1/me/tokens/999999" -H "Authorization: Bearer $TOKEN"
assert_eq 404 "$STATUS" "revoke unknown token"
api DELETE "/api/v1/me/tokens/abc" -H "Authorization: Bearer $TOKEN"
assert_eq 404 "$STATUS" "revoke non-numeric id"
api DELETE "/api/v1/me/tokens/$id" -b "$JAR" -H "X-CSRF-Token: $CSRF"
assert_eq 204 "$STATUS" "revoke token"
api GET /api/v1/me -H "Authorization: Bearer $TOKEN"
assert_eq 401 "$STATUS" "revoked token no longer works"
api DELETE "/api/v1/me/tokens/$id" -b "$JAR" -H "X-CSRF-Token: $CSRF"
assert_eq 404 "$STATUS" "revoking twice"

# another user cannot revoke my token
api_json POST /api/v1/me/tokens '{"name":"second"}' -b "$JAR" -H "X-CSRF-Token: $CSRF"
id2=$(json_int id)
T2=$(json_str token)
api_json POST /api/v1/users '{"email":"rcv@example.org","name":"R","role":"receiver","password":"receiver-password-1"}' -H "Authorization: Bearer $T2"
assert_eq 201 "$STATUS" "create a receiver"
make_token rcv@example.org receiver-password-1
api DELETE "/api/v1/me/tokens/$id2" -H "Authorization: Bearer $TOKEN"
assert_eq 404 "$STATUS" "someone else's token is not mine to revoke"
api GET /api/v1/me -H "Authorization: Bearer $T2"
assert_eq 200 "$STATUS" "the admin's token still works"

# the account page: create shows the secret once, revoke by form
api GET /account -b "$JAR"
scsrf=$(printf '%s' "$BODY" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
api POST /account/tokens -b "$JAR" --data-urlencode "name=from the page" --data-urlencode "csrf=$scsrf"
assert_eq 201 "$STATUS" "create token by form"
secret=$(printf '%s' "$BODY" | sed -n 's/.*<code class="secret">\([^<]*\)<.*/\1/p')
[ -n "$secret" ] && pass "form shows the new secret" || fail "no secret on the page"
api GET /account -b "$JAR"
assert_not_contains "$BODY" "$secret" "the secret is shown only once"
api GET /api/v1/me -H "Authorization: Bearer $secret"
assert_eq 200 "$STATUS" "the form's token works"
done_testing

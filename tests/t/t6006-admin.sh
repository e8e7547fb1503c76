#!/bin/sh
# t6006 — administration over the API and the pages: users (create with
# field errors, duplicates, get, disable/enable, password reset),
# organizations, the audit log with its since/limit filters, and password
# changes of one's own account (API and form).
. "$(dirname "$0")/lib.sh"
start_server
make_token "$ADMIN_EMAIL" "$ADMIN_PASSWORD"
A="Authorization: Bearer $TOKEN"

api_json POST /api/v1/orgs '{"name":"Acme","kind":"vendor"}' -H "$A"
assert_eq 201 "$STATUS" "create organization"
ORG=$(json_int id)
api_json POST /api/v1/orgs '{"name":"Acme","kind":"vendor"}' -H "$A"
assert_eq 409 "$STATUS" "duplicate organization"
assert_contains "$BODY" '"code":"already_exists"' "duplicate organization code"
api_json POST /api/v1/orgs '{"name":"Other","kind":"bakery"}' -H "$A"
assert_eq 422 "$STATUS" "unknown organization kind"
assert_contains "$BODY" '"field":"kind"' "kind error names the field"

api_json POST /api/v1/users '{"email":"v@example.org","name":"Vera","role":"vendor"}' -H "$A"
assert_eq 422 "$STATUS" "vendor without an organization"
api_json POST /api/v1/users '{"email":"v@example.org","name":"Vera","role":"wizard"}' -H "$A"
assert_eq 422 "$STATUS" "unknown role"
assert_contains "$BODY" '"field":"role"' "role error names the field"
api_json POST /api/v1/users '{"email":"v@example.org","name":"Vera","role":"vendor","org_id":999}' -H "$A"
assert_eq 422 "$STATUS" "unknown organization"
api_json POST /api/v1/users '{"email":"v@example.org","name":"Vera","role":"vendor","password":"short"}' -H "$A"
assert_eq 422 "$STATUS" "short password"
assert_contains "$BODY" '"field":"password"' "password error names the field"
api_json POST /api/v1/users "{\"email\":\"v@example.org\",\"name\":\"Vera\",\"role\":\"vendor\",\"org_id\":$ORG,\"password\":\"vendor-password-1\"}" -H "$A"
assert_eq 201 "$STATUS" "create vendor user"
assert_contains "$BODY" '"organization":{"id":' "user has the organization"
VID=$(json_int id)
api_json POST /api/v1/users "{\"email\":\"V@example.org\",\"name\":\"Vera\",\"role\":\"vendor\",\"org_id\":$ORG}" -H "$A"
assert_eq 409 "$STATUS" "duplicate email (case-insensitive)"
api GET "/api/v1/users/$VID" -H "$A"
assert_eq 200 "$STATUS" "get user"
assert_contains "$BODY" '"email":"v@example.org"' "get user answers the email"
api GET /api/v1/users/424242 -H "$A"
assert_eq 404 "$STATUS" "unknown user"

make_token v@example.org vendor-password-1
VT=$TOKEN
api GET "/api/v1/users/$VID" -H "Authorization: Bearer $VT"
assert_eq 200 "$STATUS" "a vendor reads their own record"
api_json PATCH "/api/v1/users/$VID" '{"role":"admin"}' -H "$A"
assert_eq 422 "$STATUS" "role cannot be patched"
api_json PATCH "/api/v1/users/$VID" '{"disabled":"yes"}' -H "$A"
assert_eq 422 "$STATUS" "disabled must be a boolean"
api_json PATCH "/api/v1/users/$VID" '{"disabled":true}' -H "$A"
assert_eq 200 "$STATUS" "disable user"
assert_contains "$BODY" '"disabled":true' "user disabled"
api GET /api/v1/me -H "Authorization: Bearer $VT"
assert_eq 401 "$STATUS" "a disabled user's token stops working"
api_json PATCH "/api/v1/users/$VID" '{"disabled":false,"password":"a-brand-new-password"}' -H "$A"
assert_eq 200 "$STATUS" "enable user and reset the password"
api GET /api/v1/me -H "Authorization: Bearer $VT"
assert_eq 200 "$STATUS" "re-enabled user's token works again"
login v@example.org a-brand-new-password "$TMP/vjar"
assert_eq 201 "$STATUS" "sign in with the reset password"

# my own password
login v@example.org a-brand-new-password "$TMP/vjar"
api_json PUT /api/v1/me/password '{"current":"wrong-current-pw","new":"another-good-password"}' -b "$TMP/vjar" -H "X-CSRF-Token: $CSRF"
assert_eq 422 "$STATUS" "password change with a wrong current password"
assert_contains "$BODY" '"field":"current"' "names the current field"
api_json PUT /api/v1/me/password '{"current":"a-brand-new-password","new":"short"}' -b "$TMP/vjar" -H "X-CSRF-Token: $CSRF"
assert_eq 422 "$STATUS" "password change to a short password"
assert_contains "$BODY" '"field":"new"' "names the new field"
api_json PUT /api/v1/me/password '{"current":"a-brand-new-password","new":"another-good-password"}' -b "$TMP/vjar" -H "X-CSRF-Token: $CSRF"
assert_eq 204 "$STATUS" "password changed"
api GET /api/v1/me -b "$TMP/vjar"
assert_eq 200 "$STATUS" "the session that changed the password stays signed in"
api_json POST /api/v1/session '{"email":"v@example.org","password":"a-brand-new-password"}'
assert_eq 401 "$STATUS" "the old password no longer works"
login v@example.org another-good-password "$TMP/vjar2"
assert_eq 201 "$STATUS" "the new password works"

# the same by form
api GET /account -b "$TMP/vjar2"
scsrf=$(printf '%s' "$BODY" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
api POST /account/password -b "$TMP/vjar2" --data-urlencode "csrf=$scsrf" --data-urlencode "current=nope-nope-nope" --data-urlencode "new=yet-another-password"
assert_eq 422 "$STATUS" "form: wrong current password"
assert_contains "$BODY" 'class="notice error"' "form shows the error"
api POST /account/password -b "$TMP/vjar2" --data-urlencode "csrf=$scsrf" --data-urlencode "current=another-good-password" --data-urlencode "new=yet-another-password"
assert_eq 303 "$STATUS" "form: password changed"
assert_eq "/account?done=password" "$(header Location)" "form redirects to the account page"

# admin pages: create by form
login "$ADMIN_EMAIL" "$ADMIN_PASSWORD" "$TMP/ajar"
api GET /admin/orgs -b "$TMP/ajar"
acsrf=$(printf '%s' "$BODY" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
api POST /admin/orgs -b "$TMP/ajar" --data-urlencode "csrf=$acsrf" --data-urlencode "name=Webshop" --data-urlencode "kind=operator"
assert_eq 303 "$STATUS" "form: create organization"
api GET /admin/orgs -b "$TMP/ajar"
assert_contains "$BODY" "<td>Webshop</td>" "organization listed"
api POST /admin/orgs -b "$TMP/ajar" --data-urlencode "csrf=$acsrf" --data-urlencode "name=Webshop" --data-urlencode "kind=operator"
assert_eq 409 "$STATUS" "form: duplicate organization"
api POST /admin/users -b "$TMP/ajar" --data-urlencode "csrf=$acsrf" --data-urlencode "email=op@example.org" \
	--data-urlencode "name=Otto" --data-urlencode "role=operator" --data-urlencode "org=Webshop" --data-urlencode "password=operator-password"
assert_eq 303 "$STATUS" "form: create user"
api GET /admin/users -b "$TMP/ajar"
assert_contains "$BODY" "op@example.org" "user listed"
api POST /admin/users -b "$TMP/ajar" --data-urlencode "email=x@example.org" --data-urlencode "name=X" --data-urlencode "role=admin"
assert_eq 403 "$STATUS" "form without CSRF"

# audit log
api GET '/api/v1/audit?limit=2' -H "$A"
assert_eq 200 "$STATUS" "audit list"
assert_eq 2 "$(printf '%s' "$BODY" | grep -o '"action":' | wc -l | tr -d ' ')" "limit=2 gives 2 entries"
api GET '/api/v1/audit?limit=1000' -H "$A"
assert_contains "$BODY" '"action":"user.create"' "user.create audited"
assert_contains "$BODY" '"action":"user.disable"' "user.disable audited"
assert_not_contains "$BODY" "another-good-password" "no password in the audit log"
api GET '/api/v1/audit?since=2999-01-01' -H "$A"
assert_eq '{"entries":[]}' "$BODY" "since in the future: nothing"
api GET '/api/v1/audit?since=yesterday' -H "$A"
assert_eq 400 "$STATUS" "bad since"
assert_contains "$BODY" '"field":"since"' "bad since names the field"
api GET '/api/v1/audit?limit=0' -H "$A"
assert_eq 400 "$STATUS" "bad limit"
done_testing

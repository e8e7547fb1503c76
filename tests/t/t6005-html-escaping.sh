#!/bin/sh
# t6005 — a user named <script>alert(1)</script> (and an organization with
# markup in its name) appear escaped on the admin pages.
. "$(dirname "$0")/lib.sh"
start_server
make_token "$ADMIN_EMAIL" "$ADMIN_PASSWORD"
A="Authorization: Bearer $TOKEN"
api_json POST /api/v1/orgs '{"name":"Evil \"><img src=x onerror=alert(2)>","kind":"vendor"}' -H "$A"
assert_eq 201 "$STATUS" "organization with markup in its name"
api_json POST /api/v1/users '{"email":"xss@example.org","name":"<script>alert(1)</script>","role":"reporter"}' -H "$A"
assert_eq 201 "$STATUS" "user with markup in the name"
assert_contains "$BODY" '\u003cscript\u003e' "JSON escapes < and > too"
api GET /admin/users -H "$A"
assert_eq 200 "$STATUS" "users page"
assert_contains "$BODY" "&lt;script&gt;alert(1)&lt;/script&gt;" "user name escaped"
assert_not_contains "$BODY" "<script>alert(1)" "no raw script tag"
assert_contains "$BODY" "Evil &quot;&gt;&lt;img src=x onerror=alert(2)&gt;" "organization name escaped in the select"
assert_not_contains "$BODY" "<img src=x" "no raw img tag"
api GET /admin/orgs -H "$A"
assert_not_contains "$BODY" "<img src=x" "no raw img tag on the organizations page"
api GET /admin/audit -H "$A"
assert_eq 200 "$STATUS" "audit page"
assert_not_contains "$BODY" "<script>alert(1)" "no raw script on the audit page"
api GET '/admin/audit?since=%22%3E%3Cscript%3E' -H "$A"
assert_eq 400 "$STATUS" "bad since is refused"
api GET '/admin/audit?since=2020-01-01' -H "$A"
assert_contains "$BODY" 'value="2020-01-01"' "since filter kept in the form"
assert_contains "$BODY" "user.create" "audit rows listed"
done_testing

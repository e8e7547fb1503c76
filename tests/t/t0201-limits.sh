#!/bin/sh
# t0201 — limits answer clearly: body over --max-body → 413 (JSON error),
# headers over --max-header-size → 431, more than --max-connections open
# connections → 503 for the excess, idle connections closed after --timeout.
. "$(dirname "$0")/lib.sh"
start_server --max-body 4096 --max-header-size 2048 --max-connections 3 --timeout 2

head -c 5000 /dev/zero | tr '\0' 'a' >"$TMP/big"
api POST /api/v1/session -H 'Content-Type: application/json' --data-binary @"$TMP/big"
assert_eq 413 "$STATUS" "body over the limit (Content-Length)"
assert_contains "$BODY" '"code":"too_large"' "413 JSON error code"
assert_contains "$BODY" '4096-byte limit' "413 names the limit"
assert_eq nosniff "$(header X-Content-Type-Options)" "413 carries the security headers"
api POST /api/v1/session -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @"$TMP/big"
assert_eq 413 "$STATUS" "chunked body over the limit"
head -c 3000 /dev/zero | tr '\0' 'a' >"$TMP/ok"
api POST /api/v1/session -H 'Content-Type: application/json' --data-binary @"$TMP/ok"
assert_eq 400 "$STATUS" "body under the limit reaches the handler"

long=$(head -c 3000 /dev/zero | tr '\0' 'h')
api GET /healthz -H "X-Long: $long"
assert_eq 431 "$STATUS" "headers over the limit"
assert_contains "$BODY" '"code":"headers_too_large"' "431 error code"
assert_eq nosniff "$(header X-Content-Type-Options)" "431 carries the security headers"
api GET /healthz -H "X-Short: abc"
assert_eq 200 "$STATUS" "normal headers pass"

# hostile inputs get clear 4xx answers (and no sanitizer report: lib.sh checks the log)
make_token "$ADMIN_EMAIL" "$ADMIN_PASSWORD"
A="Authorization: Bearer $TOKEN"
api GET '/api/v1/users/%00'  -H "$A"
assert_eq 400 "$STATUS" "NUL in an id (never decoded: issue 23)"
api GET '/api/v1/users/99999999999999999999999' -H "$A"
assert_eq 404 "$STATUS" "overlong id"
api GET '/api/v1/users/-1' -H "$A"
assert_eq 404 "$STATUS" "negative id"
api BREW /healthz
assert_eq 405 "$STATUS" "unknown method"
api_json POST /api/v1/orgs "$(printf '{"name":"\377\376","kind":"vendor"}')" -H "$A"
assert_eq 400 "$STATUS" "invalid UTF-8 in JSON"
deep=$(head -c 3000 /dev/zero | tr '\0' '[')
api_json POST /api/v1/orgs "$deep" -H "$A"
assert_eq 400 "$STATUS" "deeply nested JSON"
api_json POST /api/v1/orgs '["name"]' -H "$A"
assert_eq 400 "$STATUS" "JSON that is not an object"
api_json POST /api/v1/orgs '{"name":{"x":1},"kind":"vendor"}' -H "$A"
assert_eq 422 "$STATUS" "a field of the wrong type"
assert_contains "$BODY" '"field":"name"' "wrong type names the field"
api_json POST /api/v1/orgs '{"name":"a","name":"b","kind":"vendor"}' -H "$A"
assert_eq 400 "$STATUS" "duplicate JSON keys"
api GET /account -b 'kk_session=%00%ff;;;=;kk_session=' 
assert_eq 303 "$STATUS" "garbage cookies are no session"
api GET "/$(head -c 1500 /dev/zero | tr '\0' 'a')"
assert_eq 404 "$STATUS" "long unknown path"
api GET '/login?next=%0d%0aSet-Cookie:%20x=y' 
assert_not_contains "$(cat "$HDRS")" "x=y" "no header injection through next"

# hold 3 connections open with slow uploads, then a 4th gets 503
head -c 4000 /dev/zero | tr '\0' 'x' >"$TMP/slow"
pids=
for i in 1 2 3; do
	curl -s -o /dev/null --limit-rate 1k -H 'Content-Type: application/json' --data-binary @"$TMP/slow" \
		"$BASE/api/v1/session" &
	pids="$pids $!"
done
sleep 0.6
api GET /healthz
assert_eq 503 "$STATUS" "connection over --max-connections"
assert_contains "$BODY" '"code":"overloaded"' "503 says overloaded"
assert_eq close "$(header Connection)" "503 closes the connection"
assert_eq 1 "$(header Retry-After)" "503 has Retry-After"
kill $pids 2>/dev/null
wait $pids 2>/dev/null
sleep 0.3
api GET /healthz
assert_eq 200 "$STATUS" "served again once connections closed"

# an idle connection is closed after --timeout seconds (curl sees the server hang up)
start=$(date +%s)
curl -s -o /dev/null --max-time 10 -X POST -H 'Content-Type: application/json' -H 'Content-Length: 100' \
	--data-binary '{' "$BASE/api/v1/session"
took=$(($(date +%s) - start))
[ "$took" -le 6 ] && pass "idle connection closed by the server within the timeout ($took s)" \
	|| fail "idle connection kept open $took s with --timeout 2"
done_testing

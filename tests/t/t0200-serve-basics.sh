#!/bin/sh
# t0200 — serve basics: /healthz (ok and database unreachable), /metrics in
# Prometheus format, security headers on every kind of answer, static files
# with cache + ETag, an access log without secrets, a database needing
# migration refused at start, docs/api.md in step with
# `keikai routes --markdown`, and SIGTERM finishing a request in flight.
. "$(dirname "$0")/lib.sh"
start_server

api GET /healthz
assert_eq 200 "$STATUS" "healthz status"
assert_eq '{"status":"ok","db":"ok"}' "$BODY" "healthz body"
assert_contains "$(header Content-Type)" "application/json" "healthz content type"

# security headers on every kind of answer
check_headers() {
	assert_eq "default-src 'self'; frame-ancestors 'none'" "$(header Content-Security-Policy)" "CSP on $1"
	assert_eq nosniff "$(header X-Content-Type-Options)" "nosniff on $1"
	assert_eq same-origin "$(header Referrer-Policy)" "Referrer-Policy on $1"
}
check_headers healthz
api GET /api/v1/nope
assert_eq 404 "$STATUS" "unknown API path"
assert_contains "$BODY" '"code":"not_found"' "unknown API path answers JSON"
check_headers "API 404"
api GET /no/such/page
assert_eq 404 "$STATUS" "unknown page"
assert_contains "$(header Content-Type)" "text/html" "unknown page answers HTML"
check_headers "HTML 404"
api PUT /healthz
assert_eq 405 "$STATUS" "wrong method"
assert_eq "GET, HEAD" "$(header Allow)" "405 names the allowed methods"
check_headers 405
api GET /api/v1/me
assert_eq 401 "$STATUS" "me without a session"
assert_contains "$BODY" '{"error":{"code":"unauthenticated","message":' "401 error shape"
check_headers 401
api GET /
assert_eq 200 "$STATUS" "home page"
check_headers "home page"
assert_eq no-store "$(header Cache-Control)" "pages are not cached"

# static files: long cache, ETag, 304
api GET /static/style.css
assert_eq 200 "$STATUS" "static css"
check_headers "static file"
assert_contains "$(header Content-Type)" "text/css" "css content type"
assert_contains "$(header Cache-Control)" "max-age=31536000" "static long cache"
etag=$(header ETag)
assert_contains "$etag" '"' "static ETag"
api GET /static/style.css -H "If-None-Match: $etag"
assert_eq 304 "$STATUS" "If-None-Match answers 304"
api GET /static/nothing.css
assert_eq 404 "$STATUS" "missing static file"

# metrics: admin only, Prometheus text format
api GET /metrics
assert_eq 401 "$STATUS" "metrics need a sign-in"
make_token "$ADMIN_EMAIL" "$ADMIN_PASSWORD"
api GET /metrics -H "Authorization: Bearer $TOKEN"
assert_eq 200 "$STATUS" "metrics for admin"
assert_contains "$(header Content-Type)" "text/plain; version=0.0.4" "metrics content type"
assert_contains "$BODY" "# TYPE keikai_http_requests_total counter" "metrics counter type"
assert_contains "$BODY" 'keikai_http_requests_total{method="GET",route="/healthz",status="200"}' "requests by route and status"
assert_contains "$BODY" 'keikai_http_requests_total{method="",route="unmatched",status="404"}' "unmatched counted"
assert_contains "$BODY" '# TYPE keikai_http_request_duration_seconds histogram' "latency histogram"
assert_contains "$BODY" 'keikai_http_request_duration_seconds_bucket{le="+Inf"}' "histogram +Inf bucket"
assert_contains "$BODY" 'keikai_db_size_bytes ' "database size"
assert_contains "$BODY" 'keikai_uptime_seconds ' "uptime"
bad=$(printf '%s\n' "$BODY" | grep -v '^#' | grep -Ev '^[a-z_]+(\{.*\})? [0-9.e+-]+$' | head -3)
assert_eq "" "$bad" "every sample line is 'name{labels} value'"

# access log: the route pattern, never the query string, the cookie or the token
api GET '/api/v1/me/tokens/987654321?secret=hunter2-query' -b 'kk_session=cookie-secret-value'
api GET '/api/v1/me?password=pw-in-query' -H "Authorization: Bearer $TOKEN"
assert_eq 200 "$STATUS" "me with a token"
sleep 0.2
log=$(cat "$SERVER_LOG")
assert_contains "$log" "http GET /api/v1/me 200" "access log line with the route"
assert_contains "$log" "http GET /healthz 200" "access log for healthz"
assert_not_contains "$log" "hunter2-query" "no query string in the log"
assert_not_contains "$log" "pw-in-query" "no query password in the log"
assert_not_contains "$log" "cookie-secret-value" "no cookie in the log"
assert_not_contains "$log" "$TOKEN" "no token in the log"
assert_not_contains "$log" "987654321" "no raw path ids in the log"

# docs/api.md carries the generated route table
"$KEIKAI" routes --markdown >"$TMP/routes.md"
sed -n '/<!-- routes:begin/,/<!-- routes:end/p' "$ROOT/docs/api.md" | sed '1d;$d' >"$TMP/doc-routes.md"
if cmp -s "$TMP/routes.md" "$TMP/doc-routes.md"; then pass "docs/api.md matches keikai routes --markdown"
else fail "docs/api.md is out of date: regenerate its table with 'keikai routes --markdown'"; diff "$TMP/routes.md" "$TMP/doc-routes.md" | head; fi

# SIGTERM: a request in flight (a slow upload) still gets its answer; exit 0
head -c 120000 /dev/zero | tr '\0' 'x' >"$TMP/slow.json"
curl -s -o "$TMP/slow.out" -w '%{http_code}' --limit-rate 60k -H 'Content-Type: application/json' \
	--data-binary @"$TMP/slow.json" "$BASE/api/v1/session" >"$TMP/slow.status" &
CURL_PID=$!
sleep 0.7
kill -TERM "$SERVER_PID"
wait "$CURL_PID"
assert_eq 400 "$(cat "$TMP/slow.status")" "in-flight request finished after SIGTERM"
assert_contains "$(cat "$TMP/slow.out")" '"code":"parse_error"' "in-flight request got its full answer"
wait "$SERVER_PID"
assert_eq 0 "$?" "server exits 0 after SIGTERM"
SERVER_PID=
assert_contains "$(cat "$SERVER_LOG")" "SIGTERM received" "shutdown logged"
curl -s -o /dev/null "$BASE/healthz" && fail "still answering after shutdown" || pass "no longer listening"

# database unreachable: /healthz answers 503
DB=$TMP/no/such/dir/keikai.db
start_server_only
api GET /healthz
assert_eq 503 "$STATUS" "healthz with the database unreachable"
assert_eq '{"status":"error","db":"error"}' "$BODY" "healthz says the database is the problem"
check_headers "503"

# a database that needs migrating is refused at start, with the fix
: >"$TMP/empty.db"
"$KEIKAI" --db "$TMP/empty.db" serve --listen 127.0.0.1:0 >"$TMP/refused.out" 2>&1
assert_eq 1 "$?" "serve refuses an unmigrated database"
assert_contains "$(cat "$TMP/refused.out")" "init' first" "the refusal names the fix"
done_testing

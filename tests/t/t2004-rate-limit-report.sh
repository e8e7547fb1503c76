#!/bin/sh
# t2004 — report submissions and secret-link follow-ups are limited per client address, counted
# in the database: the API and the form share one count, worker threads agree under concurrent
# requests, a restart remembers, the window moves on; 429 with Retry-After and a message naming
# the limit; limits come from KEIKAI_REPORT_RATE / KEIKAI_FOLLOWUP_RATE (bad values refused).
. "$(dirname "$0")/lib.sh"

export KEIKAI_TEST_NOW=2026-03-01T09:00:00Z KEIKAI_REPORT_RATE=3/3600 KEIKAI_FOLLOWUP_RATE=2/600
start_server
REPORT='{"kind":"product","finder":{"name":"Rate Finder","email":"rate@example.org"},"product":{"name":"Gizmo"},"vulnerability":{"description":"d"},"policy_ack":true}'
submit() { api_json POST /api/v1/reports "$REPORT" -H "Accept-Language: en" "$@"; }

submit
assert_eq 201 "$STATUS" "report 1"
TRK=$(json_str tracking) KEY=$(json_str key)
api_json POST /api/v1/reports '{"kind":"product"}'
assert_eq 422 "$STATUS" "an incomplete report is refused"
submit
assert_eq 201 "$STATUS" "report 2 (the refused one did not count)"
submit
assert_eq 201 "$STATUS" "report 3"
submit
assert_eq 429 "$STATUS" "report 4 is over 3 per hour"
assert_contains "$BODY" '"code":"rate_limited"' "the error code"
assert_contains "$BODY" "at most 3 in 60 minutes" "the message names the limit"
assert_eq 3600 "$(header Retry-After)" "Retry-After: until the oldest report leaves the window"
# the form shares the count
FJAR=$TMP/f.jar
api GET "/report?lang=en" -c "$FJAR" -b "$FJAR"
FCSRF=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$BODYF" | head -n 1)
assert_contains "$BODY" "each at most 10240 KiB, together at most 10240 KiB" "file limits as they hold (capped by --max-body)"
api POST "/report?lang=en" -c "$FJAR" -b "$FJAR" --data-urlencode "csrf=$FCSRF" -d kind=product \
	-d "finder.name=F" -d "finder.email=f@example.org" -d "product.name=G" -d "vulnerability.description=d" -d policy_ack=1
assert_eq 429 "$STATUS" "the form is limited too"
assert_contains "$BODY" "Too many reports from your address" "the page says so"
[ -n "$(header Retry-After)" ] && pass "the page has Retry-After" || fail "no Retry-After on the page"
api POST "/report?lang=ja" -c "$FJAR" -b "$FJAR" --data-urlencode "csrf=$FCSRF" -d kind=product \
	-d "finder.name=F" -d "finder.email=f@example.org" -d "product.name=G" -d "vulnerability.description=d" -d policy_ack=1
assert_eq 429 "$STATUS" "limited in Japanese"
assert_contains "$BODY" "届出" "the Japanese page explains in Japanese"
assert_eq 3 "$(keikai report list 2>/dev/null | grep -c KK-)" "exactly three reports stored"

# --- follow-ups: 2 per 10 minutes; concurrent requests on two worker threads agree
i=0 pids=
while [ $i -lt 8 ]; do
	curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' \
		--data-binary "{\"key\":\"$KEY\",\"body\":\"follow-up $i\"}" "$BASE/api/v1/reports/$TRK/messages" >"$TMP/par.$i" &
	pids="$pids $!"
	i=$((i + 1))
done
for p in $pids; do wait "$p"; done
assert_eq 2 "$(cat "$TMP"/par.* | grep -c 201)" "two of eight concurrent follow-ups pass"
assert_eq 6 "$(cat "$TMP"/par.* | grep -c 429)" "six are limited"
api POST "/r/$TRK?lang=en" --data-urlencode "key=$KEY" --data-urlencode "body=one more"
assert_eq 429 "$STATUS" "the status page form is limited too"
assert_contains "$BODY" "Too many messages from your address" "the page says so"
api_json POST "/api/v1/reports/$TRK/messages" '{"key":"wrong","body":"x"}'
assert_eq 404 "$STATUS" "a wrong key is a 404, not a count"

# --- a restart remembers; a later time forgets
stop_server
start_server_only
submit
assert_eq 429 "$STATUS" "still limited after a restart"
stop_server
KEIKAI_TEST_NOW=2026-03-01T10:00:01Z start_server_only
submit
assert_eq 201 "$STATUS" "an hour later a report passes again"
api_json POST "/api/v1/reports/$TRK/messages" "{\"key\":\"$KEY\",\"body\":\"later\"}"
assert_eq 201 "$STATUS" "and a follow-up"
stop_server

# --- configuration: off, and a bad value refused with the variable named
KEIKAI_REPORT_RATE=0/1 start_server_only
for n in 1 2 3 4 5; do submit; done
assert_eq 201 "$STATUS" "0/1 turns the limit off"
stop_server
KEIKAI_REPORT_RATE=ten start_server_only
submit
assert_eq 500 "$STATUS" "a bad limit setting refuses reports"
assert_not_contains "$BODY" "KEIKAI_REPORT_RATE" "the public does not see the setting"
assert_contains "$(cat "$SERVER_LOG")" "KEIKAI_REPORT_RATE='ten' is not valid" "the log names the variable and the fix"
api GET /report
assert_eq 500 "$STATUS" "and the form"
done_testing

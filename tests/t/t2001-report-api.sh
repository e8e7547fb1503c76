#!/bin/sh
# The report API: a public POST /api/v1/reports answers the tracking number and the
# secret link once; errors name the field; GET /api/v1/reports/{tracking}?key= shows the
# finder the status; a wrong key and a wrong number get the same 404; no answer carries
# the finder's identity; the receipt is in the outbox; `serve --key-file` chooses the key file.
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail"
start_server

api_json POST /api/v1/reports '{"kind":"product",'
assert_eq 400 "$STATUS" "malformed JSON: 400"
api POST /api/v1/reports -H 'Content-Type: text/plain' --data-binary '{}'
assert_eq 415 "$STATUS" "not JSON: 415"
api_json POST /api/v1/reports '{"kind":"product","finder":{"name":"Ada","email":"ada@"},"product":{"name":"P"},"vulnerability":{"description":"d"},"policy_ack":true}'
assert_eq 422 "$STATUS" "bad e-mail: 422"
assert_eq finder.email "$(json_str field)" "the error names finder.email"
api_json POST /api/v1/reports '{"kind":"website","finder":{"name":"Ada","email":"ada@example.org"},"website":{"url":"https://shop.example/"},"vulnerability":{"description":"d"}}'
assert_eq 422 "$STATUS" "policy not acknowledged: 422"
assert_eq policy_ack "$(json_str field)" "the error names policy_ack"

R='{"kind":"website","lang":"en","finder":{"name":"Ada Lovelace","email":"ada@example.org"},"website":{"name":"Shop","url":"https://shop.example/cart"},"vulnerability":{"cwe":"CWE-89","description":"SQL injection <b>in</b> search"},"policy_ack":true}'
api_json POST /api/v1/reports "$R"
assert_eq 201 "$STATUS" "report accepted for handling: 201"
T=$(json_str tracking)
K=$(json_str key)
assert_contains "$T" "KK-" "tracking number"
assert_eq 43 "${#K}" "the key is 32 random bytes (base64url)"
assert_contains "$(json_str link)" "/r/$T?key=$K" "the secret link"
assert_contains "$(header Cache-Control)" "no-store" "not cached"
assert_not_contains "$BODY" "ada@example.org" "the answer does not echo the finder"

api GET "/api/v1/reports/$T?key=$K"
assert_eq 200 "$STATUS" "the finder's view"
assert_eq received "$(json_str status)" "status received"
assert_not_contains "$BODY" "Ada" "no identity in the finder's view"
api GET "/api/v1/reports/$T?key=x$K"
assert_eq 404 "$STATUS" "a wrong key: 404"
wrong_key=$BODY
api GET "/api/v1/reports/KK-1999-000001?key=$K"
assert_eq 404 "$STATUS" "a wrong number: 404"
assert_eq "$wrong_key" "$BODY" "the same answer for both"
api GET "/api/v1/reports/$T"
assert_eq 404 "$STATUS" "no key: 404"

keikai report request-info "$T" --question "Which parameter?" >/dev/null
api GET "/api/v1/reports/$T?key=$K"
assert_eq info_requested "$(json_str status)" "the finder sees the question's status"
assert_contains "$BODY" '"body":"Which parameter?"' "and the question"

out=$(keikai mail flush)
assert_contains "$out" "2 sent" "receipt and question delivered"
assert_contains "$(cat "$KEIKAI_MAILDIR"/new/*)" "To: ada@example.org" "to the finder"

# --- the key file kept elsewhere: `serve --key-file` finds it, a server without it cannot seal
stop_server
mkdir -p "$TMP/keys"
mv "$DB.key" "$TMP/keys/keikai.key"
start_server_only
api_json POST /api/v1/reports "$R"
assert_eq 500 "$STATUS" "no key file where the server looks: nothing is stored"
assert_not_contains "$BODY" "Ada" "and the answer holds nothing of the report"
stop_server
start_server_only --key-file "$TMP/keys/keikai.key"
api_json POST /api/v1/reports "$R"
assert_eq 201 "$STATUS" "serve --key-file: the report is sealed with the key kept elsewhere"
T2=$(json_str tracking)
out=$(KEIKAI_KEY_FILE="$TMP/keys/keikai.key" keikai report show "$T2" --reveal 2>&1)
assert_contains "$out" "Ada Lovelace" "the same key unseals it"
done_testing

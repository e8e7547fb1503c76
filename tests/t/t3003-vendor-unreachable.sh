#!/bin/sh
# t3003 — the public list of unreachable vendors (連絡不能開発者, 004 2.2) with the clock pinned:
# listed with its date (no products yet), the products appear only once `keikai tick` runs after
# three months (configurable), the vendor leaves the list when it answers, the history keeps every
# listing; the page in Japanese and English, the public JSON.
. "$(dirname "$0")/lib.sh"
export KEIKAI_TEST_NOW=2026-01-10T01:00:00Z
start_server
make_token "$ADMIN_EMAIL" "$ADMIN_PASSWORD"
ADM="Authorization: Bearer $TOKEN"

keikai vendor add "Silent Devices" --ja "サイレント機器" --en "Silent Devices Inc." >/dev/null
keikai vendor add "Quiet Soft" >/dev/null
keikai vendor unreachable config --contact vendors@coordinator.example >/dev/null
api GET /api/v1/unreachable
assert_eq 200 "$STATUS" "the public JSON without a session"
assert_contains "$BODY" '"unreachable":[]' "nobody listed yet"

# --- listed (by the API as a coordinator would, with the case's product)
api GET "/api/v1/vendors?q=Silent" -H "$ADM"
SID=$(json_int id)
api_json PUT /api/v1/vendors/$SID/unreachable '{"unreachable":true,"product":"SD Camera","version":"3.1"}' -H "$ADM"
assert_eq 200 "$STATUS" "list the vendor"
assert_contains "$BODY" '"unreachable":true' "the vendor is unreachable"
api GET /api/v1/unreachable
assert_contains "$BODY" '"vendor":"Silent Devices"' "listed publicly"
assert_contains "$BODY" '"listed_at":"2026-01-10T01:00:00Z"' "with the date listed"
assert_contains "$BODY" '"listed_at_jst":"2026-01-10 10:00 JST"' "and the date in JST"
assert_contains "$BODY" '"products":[]' "no product yet"
assert_not_contains "$BODY" "SD Camera" "the product stays hidden for three months"
assert_contains "$BODY" '"contact":"vendors@coordinator.example"' "whom to tell"
api GET /unreachable?lang=ja
assert_eq 200 "$STATUS" "public page"
assert_contains "$BODY" "サイレント機器" "Japanese page shows the Japanese name"
assert_contains "$BODY" "連絡先をご存じの方は" "Japanese page asks for contact"
assert_contains "$BODY" 'href="mailto:vendors@coordinator.example"' "with the contact link"
assert_not_contains "$BODY" "SD Camera" "no product on the page yet"
api GET /unreachable?lang=en
assert_contains "$BODY" "Silent Devices Inc." "English page shows the English name"
assert_contains "$BODY" "please get in touch" "English request"
assert_contains "$BODY" "3 months" "the delay is stated"

# --- the scheduler: nothing before three months, the products after
keikai tick --at 2026-04-10T00:59:00Z >"$TMP/tick" 2>&1
assert_contains "$(cat "$TMP/tick")" "0 job(s) ran" "nothing due a minute early"
api GET /api/v1/unreachable
assert_not_contains "$BODY" "SD Camera" "a minute before three months: still hidden"
keikai tick --at 2026-04-10T01:00:00Z >"$TMP/tick" 2>&1
assert_contains "$(cat "$TMP/tick")" "1 job(s) ran" "tick ran the job"
api GET /api/v1/unreachable
assert_contains "$BODY" '"products":[{"name":"SD Camera","version":"3.1"}]' "three months later: product and version shown"
api GET /unreachable?lang=en
assert_contains "$BODY" "SD Camera 3.1" "and on the page"

# --- a second listing with another delay, then the vendor answers
keikai vendor unreachable config --months 1 >/dev/null
keikai vendor unreachable set "Quiet Soft" --product "QS Server" --version 2 >/dev/null
keikai vendor unreachable list >"$TMP/list"
assert_contains "$(cat "$TMP/list")" "Quiet Soft" "CLI list"
assert_contains "$(cat "$TMP/list")" "2026-02-10" "products due one month later (configured)"

stop_server
export KEIKAI_TEST_NOW=2026-05-01T00:00:00Z
start_server_only
api_json PUT /api/v1/vendors/$SID/unreachable '{"unreachable":false}' -H "$ADM"
assert_eq 200 "$STATUS" "the vendor answered"
api_json PUT /api/v1/vendors/$SID/unreachable '{"unreachable":false}' -H "$ADM"
assert_eq 404 "$STATUS" "not listed any more"
api GET /api/v1/unreachable
assert_not_contains "$BODY" "Silent Devices" "it left the public list"
assert_contains "$BODY" "Quiet Soft" "the other vendor stays"
api GET "/api/v1/unreachable/history?vendor_id=$SID" -H "$ADM"
assert_contains "$BODY" '"listed_at":"2026-01-10T01:00:00Z"' "history: listed"
assert_contains "$BODY" '"products_shown_at":"2026-04-10T01:00:00Z"' "history: products shown"
assert_contains "$BODY" '"delisted_at":"2026-05-01T00:00:00Z"' "history: delisted"
assert_contains "$BODY" "SD Camera" "history keeps the product"
api GET /api/v1/unreachable/history
assert_eq 401 "$STATUS" "history is not public"
api GET /vendors/$SID -H "$ADM"
assert_contains "$BODY" 'id="unreachable-history"' "vendor page shows the history"
assert_contains "$BODY" "SD Camera" "with the product"
api GET "/api/v1/audit?limit=50" -H "$ADM"
assert_contains "$BODY" '"action":"vendor.unreachable.products"' "the scheduler's change is audited"
assert_contains "$BODY" '"action":"vendor.reachable"' "delisting is audited"
done_testing

#!/bin/sh
# t3016 — dates given for a case without a zone are Japan time, everywhere
# they are taken (API, pages, CLI, vendor directory): a date alone is that
# day at the publication hour (11:00) JST, a time without a zone is JST, a
# zone is taken as given; the date is stored in UTC and shown in both.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/case-lib.sh"

keikai case add-vendor "$REF" "Alpha Soft" >/dev/null
keikai case notify "$REF" "Alpha Soft" >/dev/null

# --- API: a date alone, a time without a zone, a time with a zone
cas POST "/api/v1/cases/$REF/date" '{"publish_at":"2027-03-20","reason":"date only"}' "$TOK_COORD"
assert_eq 200 "$STATUS" "the coordinator moves the date to a date alone"
assert_contains "$BODY" '"jst":"2027-03-20 11:00 JST"' "a date alone is that day at 11:00 JST"
assert_contains "$BODY" '"utc":"2027-03-20T02:00:00Z"' "stored in UTC"
cas POST "/api/v1/cases/$REF/date" '{"publish_at":"2027-03-21T15:30","reason":"no zone"}' "$TOK_COORD"
assert_contains "$BODY" '"jst":"2027-03-21 15:30 JST"' "a time without a zone is JST"
cas POST "/api/v1/cases/$REF/date" '{"publish_at":"2027-03-22T01:00:00Z","reason":"UTC"}' "$TOK_COORD"
assert_contains "$BODY" '"jst":"2027-03-22 10:00 JST"' "a zone is taken as given"
cas POST "/api/v1/cases/$REF/date" '{"publish_at":"2027-03-22 soon","reason":"bad"}' "$TOK_COORD"
assert_eq 422 "$STATUS" "a bad date is refused"
assert_contains "$BODY" '"field":"publish_at"' "naming the field"
assert_contains "$BODY" "2026-03-01 (Japan, at 11:00)" "and saying how a date alone is read"
cas POST "/api/v1/cases/$REF/date-requests" '{"publish_at":"2027-03-25","reason":"vendor asks for a day"}' "$TOK_A"
assert_eq 201 "$STATUS" "a vendor asks for a date alone"
cas GET "/api/v1/cases/$REF" "$TOK_A"
assert_contains "$BODY" '"to":{"utc":"2027-03-25T02:00:00Z","jst":"2027-03-25 11:00 JST"' "the request is that day at 11:00 JST"

# --- CLI
out=$(keikai case date "$REF" --set 2027-03-26 --reason "from the command line")
keikai case show "$REF" >"$TMP/show"
assert_contains "$(cat "$TMP/show")" '"jst":"2027-03-26 11:00 JST"' "keikai case date --set DATE: 11:00 JST"
keikai case date "$REF" --set 2027-03-27T09:00 --reason "cli, no zone" >/dev/null
assert_contains "$(keikai case show "$REF")" '"utc":"2027-03-27T00:00:00Z"' "keikai case date --set without a zone: JST"
out=$(keikai case date "$REF" --set 27/03/2027 --reason bad 2>&1)
assert_contains "$out" "Japan, at 11:00" "a bad CLI date says how dates are read"

# --- pages: the date field of the form
CJ=$TMP/coord.jar
login coord@cc.example "$PW" "$CJ"
api POST "/cases/$REF" -b "$CJ" --data-urlencode "csrf=$CSRF" --data-urlencode verb=set_date \
	--data-urlencode publish_at=2027-03-28 --data-urlencode "reason=from the page"
assert_eq 303 "$STATUS" "the page takes a date alone"
api GET "/cases/$REF" -b "$CJ"
assert_contains "$BODY" '<time datetime="2027-03-28T02:00:00Z" title="2027-03-28T02:00:00Z">2027-03-28 11:00 JST</time>' "shown as 11:00 JST, UTC beside"

# --- the vendor directory: the registration-terms date is a day in Japan
keikai vendor add "Delta Dates" --terms 2026-12-24 >/dev/null || fail "vendor add --terms"
assert_contains "$(keikai vendor show "Delta Dates" --json)" '"terms_agreed_at":"2026-12-23T15:00:00Z"' "--terms DATE: midnight in Japan"
printf 'vendor,record,terms_agreed_at\nEpsilon CSV,vendor,2026-12-24\n' >"$TMP/v.csv"
keikai vendor import "$TMP/v.csv" >/dev/null || fail "vendor import"
assert_contains "$(keikai vendor show "Epsilon CSV" --json)" '"terms_agreed_at":"2026-12-23T15:00:00Z"' "CSV terms date: midnight in Japan"
done_testing

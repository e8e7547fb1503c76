#!/bin/sh
# t3010 — a case with three vendors run through the API to "ready for
# publication": Alpha is affected and ships a fix, Beta has no affected
# product, Gamma stays silent and becomes unreachable (連絡不能) and appears
# on the public list; the date moves once, at Alpha's request. Every step
# is timestamped and audited; the date is shown with its zone.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/case-lib.sh"

assert_eq "KKC-2027-0001" "$REF" "accepting the report opened case KKC-2027-0001"
cas GET "/api/v1/cases/$REF" "$TOK_COORD"
assert_eq 200 "$STATUS" "the coordinator reads the case"
# 2027-01-15 08:00Z + 45 days, at 11:00 JST
assert_contains "$BODY" '"jst":"2027-03-01 11:00 JST"' "publication date: start + 45 days at 11:00 JST"
assert_contains "$BODY" '"utc":"2027-03-01T02:00:00Z"' "and the same date in UTC"
assert_contains "$BODY" "\"reports\":[\"$TRACKING\"]" "the case knows its report"

# --- vendors: the coordinator adds and notifies (a vendor cannot)
cas POST "/api/v1/cases/$REF/vendors" "{\"vendor_id\":$ORG_A}" "$TOK_A"
assert_eq 403 "$STATUS" "a vendor cannot add vendors"
for o in $ORG_A $ORG_B $ORG_C; do
	cas POST "/api/v1/cases/$REF/vendors" "{\"vendor_id\":$o}" "$TOK_COORD"
	assert_eq 201 "$STATUS" "vendor $o added"
done
cas GET "/api/v1/cases/$REF" "$TOK_A"
assert_eq 404 "$STATUS" "a vendor not yet notified does not see the case"
for o in $ORG_A $ORG_B $ORG_C; do
	cas POST "/api/v1/cases/$REF/steps" "{\"step\":\"notify\",\"vendor_id\":$o}" "$TOK_COORD"
	assert_eq 200 "$STATUS" "vendor $o notified"
done
out=$(keikai mail list --json)
assert_contains "$out" "[$REF] 脆弱性概要情報" "the overview notice went out with the case number in the subject"
assert_contains "$out" '"to":"info@gamma.example"' "each vendor's contact was written to"

# --- Alpha: overview, then details only after asking and being sent them
cas GET "/api/v1/cases/$REF" "$TOK_A"
assert_eq 200 "$STATUS" "Alpha reads its case"
assert_contains "$BODY" '"details_visible":false' "no details before asking"
assert_not_contains "$BODY" "SECRET-STEPS" "the details are not in the overview"
cas POST "/api/v1/cases/$REF/steps" '{"step":"acknowledge"}' "$TOK_A"
assert_eq 200 "$STATUS" "Alpha acknowledges"
cas POST "/api/v1/cases/$REF/steps" '{"step":"request_details"}' "$TOK_A"
assert_eq 422 "$STATUS" "asking for details needs the confidentiality terms"
assert_contains "$BODY" '"field":"accept_terms"' "the error names accept_terms"
cas POST "/api/v1/cases/$REF/steps" '{"step":"request_details","accept_terms":true}' "$TOK_A"
assert_eq 200 "$STATUS" "Alpha asks for the details"
cas POST "/api/v1/cases/$REF/steps" "{\"step\":\"send_details\",\"vendor_id\":$ORG_A}" "$TOK_A"
assert_eq 403 "$STATUS" "a vendor cannot send itself the details"
cas POST "/api/v1/cases/$REF/steps" "{\"step\":\"send_details\",\"vendor_id\":$ORG_A}" "$TOK_COORD"
assert_eq 200 "$STATUS" "the coordinator sends the details"
cas GET "/api/v1/cases/$REF" "$TOK_A"
assert_contains "$BODY" "SECRET-STEPS" "Alpha now reads the details"
cas POST "/api/v1/cases/$REF/steps" '{"step":"verify","verification":"affected"}' "$TOK_A"
assert_eq 200 "$STATUS" "Alpha: affected"
cas POST "/api/v1/cases/$REF/steps" '{"step":"report_fix","text":"RouterOS 3.3 fixes it; workaround: disable the ping page"}' "$TOK_A"
assert_eq 200 "$STATUS" "Alpha reports the fix"
cas POST "/api/v1/cases/$REF/steps" '{"step":"ready"}' "$TOK_A"
assert_eq 409 "$STATUS" "ready needs a statement on every vulnerability"
assert_contains "$BODY" "no statement" "the conflict says why"
cas POST "/api/v1/cases/$REF/statements" '{"vuln":1,"status":"fixed","text_ja":"3.3 で修正しました ALPHA-STATEMENT","text_en":"Fixed in 3.3"}' "$TOK_A"
assert_eq 200 "$STATUS" "Alpha's statement in Japanese and English"

# --- the date moves once, at Alpha's request
cas POST "/api/v1/cases/$REF/date-requests" '{"publish_at":"2027-03-15T11:00:00+09:00","reason":"the fix ships on March 10"}' "$TOK_A"
assert_eq 201 "$STATUS" "Alpha asks to move the date"
REQ=$(json_int request)
before=$(keikai mail list --json | grep -o '公表日の変更' | wc -l)
cas POST "/api/v1/cases/$REF/date-requests/$REQ" '{"accept":true}' "$TOK_B"
assert_eq 403 "$STATUS" "another vendor cannot decide"
cas POST "/api/v1/cases/$REF/date-requests/$REQ" '{"accept":true}' "$TOK_COORD"
assert_eq 200 "$STATUS" "the coordinator accepts"
assert_contains "$BODY" '"jst":"2027-03-15 11:00 JST"' "the one date of the case moved"
after=$(keikai mail list --json | grep -o '公表日の変更' | wc -l)
# three notified vendors and the receiving organization
assert_eq 4 "$((after - before))" "every vendor and the receiving organization are told of the move"
cas POST "/api/v1/cases/$REF/steps" '{"step":"ready"}' "$TOK_A"
assert_eq 200 "$STATUS" "Alpha is ready for publication"

# --- Beta: no affected product
cas POST "/api/v1/cases/$REF/steps" '{"step":"no_affected_product"}' "$TOK_B"
assert_eq 200 "$STATUS" "Beta: no affected product"
cas GET "/api/v1/cases/$REF" "$TOK_B"
assert_contains "$BODY" '"details_visible":false' "Beta never asked: never the details"
cas POST "/api/v1/cases/$REF/statements" '{"vuln":1,"status":"not_affected","text_en":"Beta products do not use the code"}' "$TOK_B"
assert_eq 200 "$STATUS" "Beta's statement"
cas POST "/api/v1/cases/$REF/steps" '{"step":"ready"}' "$TOK_B"
assert_eq 200 "$STATUS" "Beta is ready"
cas GET "/api/v1/cases/$REF" "$TOK_COORD"
assert_contains "$BODY" '"state":"open"' "the case still waits for Gamma"

# --- Gamma is silent: reminders every 3 days after 5, then unreachable on the public list
for at in 2027-01-20T09:00:00Z 2027-01-23T09:00:00Z 2027-01-26T09:00:00Z 2027-01-29T09:00:00Z; do
	keikai tick --at "$at" >/dev/null || fail "tick at $at"
done
cas GET "/api/v1/cases/$REF/vendors?state=unreachable" "$TOK_COORD"
assert_contains "$BODY" '"vendor":"Gamma Silent"' "Gamma is unreachable after three reminders"
assert_contains "$BODY" '"attempts":3' "after three attempts"
api GET /api/v1/unreachable
assert_contains "$BODY" "Gamma Silent" "Gamma appears on the public unreachable list"
cas GET "/api/v1/cases/$REF" "$TOK_COORD"
assert_contains "$BODY" '"state":"ready"' "the case is ready for publication"
assert_contains "$BODY" '"jst":"2027-03-15 11:00 JST"' "with the moved date"

# --- every step timestamped and audited
cas GET "/api/v1/cases/$REF/timeline" "$TOK_COORD"
assert_eq 200 "$STATUS" "the coordinator reads the timeline"
for a in case.open case.vendor.notify case.vendor.acknowledge case.vendor.request_details case.vendor.send_details \
	case.vendor.verify case.vendor.report_fix case.statement case.date.request case.date.accept case.date \
	case.vendor.no_affected_product case.vendor.ready case.vendor.remind case.vendor.unreachable case.ready; do
	assert_contains "$BODY" "\"action\":\"$a\"" "audited: $a"
done
cas GET "/api/v1/cases/$REF/timeline" "$TOK_A"
assert_eq 403 "$STATUS" "a vendor cannot read the timeline"
cas GET "/api/v1/cases/$REF/vendors" "$TOK_COORD"
assert_contains "$BODY" '"total":3' "the per-vendor table has three rows"
assert_contains "$BODY" '"verified":"2027-' "steps carry their times"
done_testing

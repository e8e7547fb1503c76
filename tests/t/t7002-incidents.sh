#!/bin/sh
# t7002 — incidents apart from reports (issue 22, part 2): two reports of one phishing site are
# suggested by their shared URL / domain and, linked by staff, count as one incident (counted at
# the first report's receipt); a report belongs to one incident only; coordination (調整) with two
# parties, one answering and one silent; the imitated brand with its origin; the takedown check
# resolves the incident; the state machine refuses bad moves; every step audited.
. "$(dirname "$0")/lib.sh"
keikai init >/dev/null 2>&1 || { echo "init failed"; exit 1; }

rep() { # rep JSON — enters a mailed report, prints its tracking number
	printf '%s' "$1" >"$TMP/r.json"
	keikai incident report --json "$TMP/r.json" | head -1
}
A=$(rep '{"category":"phishing","summary":"Fake bank","reporter":{"email":"a@example.jp"},"urls":["http://fake-bank.example/login"],"received_at":"2026-04-01T09:00"}')
B=$(rep '{"category":"phishing","summary":"Same fake bank","reporter":{"email":"b@example.jp"},"domains":["FAKE-BANK.example"],"received_at":"2026-03-31T10:00"}')
C=$(rep '{"category":"scan","summary":"Scan","reporter":{"email":"c@example.jp"},"ips":["203.0.113.9"]}')

I=$(keikai incident open "$A" | tr -d '"')
assert_contains "$I" "IN-" "an incident opened from report A"
out=$(keikai incident suggest "$B")
assert_contains "$out" "\"incident\":\"$I\",\"kind\":\"domain\",\"value\":\"fake-bank.example\"" "B is suggested by the shared domain"
assert_eq "[]" "$(keikai incident suggest "$C")" "nothing suggested for an unrelated report"
keikai incident link "$I" "$B" >/dev/null
assert_eq 0 "$?" "B linked"
keikai incident link "$I" "$B" >/dev/null 2>&1
assert_eq 1 "$?" "a report belongs to one incident only"
keikai incident open "$B" >"$TMP/err" 2>&1
assert_contains "$(cat "$TMP/err")" "already belongs to an incident" "nor opens a second one"
out=$(keikai incident get "$I")
assert_contains "$out" "\"reports\":[\"$B\",\"$A\"]" "both reports, oldest first"
assert_contains "$out" '"opened_at":"2026-03-31T01:00:00Z"' "the incident counts at the first report's receipt (JST)"
assert_contains "$out" '"state":"open"' "open"
assert_contains "$(keikai incident list --json)" '"status":"linked"' "linked reports are marked"

id1=$(keikai incident coordinate "$I" --party "Hosting provider" --contact abuse@hosting.example --scope domestic --asked "Please stop the phishing site")
id2=$(keikai incident coordinate "$I" --party "Overseas CSIRT" --scope csirt --asked "Please contact the registrar" --at 2026-04-02)
assert_contains "$(keikai incident get "$I")" '"state":"coordinating"' "coordinating after the first request"
keikai incident coordinate "$I" --party X --scope galaxy --asked y >"$TMP/err" 2>&1
assert_contains "$(cat "$TMP/err")" "scope" "a bad scope names --scope"
keikai incident answer "$I" "$id1" --status resolved --answer "Site removed" >/dev/null
keikai incident answer "$I" "$id2" --status no_answer >/dev/null
keikai incident answer "$I" 9999 --status resolved >"$TMP/err" 2>&1
assert_contains "$(cat "$TMP/err")" "no coordination 9999" "an unknown coordination is named"
out=$(keikai incident get "$I")
assert_contains "$out" '"party":"Hosting provider","contact":"abuse@hosting.example","scope":"domestic","asked":"Please stop the phishing site"' "the first entry"
assert_contains "$out" '"status":"resolved","answer":"Site removed"' "answered"
assert_contains "$out" '"scope":"csirt","asked":"Please contact the registrar","asked_at":"2026-04-01T15:00:00Z","status":"no_answer"' "the silent one"

keikai incident brand "$I" "Example Bank" --origin domestic >/dev/null
keikai incident brand "$I" "Example Bank" --origin moon >"$TMP/err" 2>&1
assert_contains "$(cat "$TMP/err")" "origin" "a bad origin is named"
keikai incident takedown "$I" --at 2026-04-03 >/dev/null
out=$(keikai incident get "$I")
assert_contains "$out" '"brand":"Example Bank","brand_origin":"domestic"' "the brand and its origin"
assert_contains "$out" '"taken_down_at":"2026-04-02T15:00:00Z"' "the takedown check"
assert_contains "$out" '"state":"resolved"' "resolved by the takedown"
keikai incident state "$I" open >"$TMP/err" 2>&1
assert_contains "$(cat "$TMP/err")" "is resolved; it cannot become open" "resolved is final"
J=$(keikai incident open "$C" | tr -d '"')
keikai incident state "$J" closed >/dev/null
assert_contains "$(keikai incident get "$J")" '"state":"closed"' "closed without action"
out=$(keikai audit)
for a in incident.open incident.link incident.coordinate incident.answer incident.brand incident.takedown incident.state; do
	assert_contains "$out" "$a" "audited: $a"
done

# --- the same through the API, for a coordinator; a reporter account may not
start_server_only
printf 'pw-coordinator-1234\n' | keikai user add --email coord@example.org --name C --role coordinator >/dev/null
printf 'pw-reporter-123456\n' | keikai user add --email rep@example.org --name R --role reporter >/dev/null
make_token coord@example.org pw-coordinator-1234
CT=$TOKEN
make_token rep@example.org pw-reporter-123456
PT=$TOKEN
D=$(rep '{"category":"malware_site","summary":"Malware","reporter":{"email":"d@example.jp"},"urls":["http://mal.example/x.exe"]}')
E=$(rep '{"category":"malware_site","summary":"Malware again","reporter":{"email":"e@example.jp"},"urls":["http://MAL.example/x.exe#a"]}')
api_json POST /api/v1/incidents "{\"report\":\"$D\"}" -H "Authorization: Bearer $PT"
assert_eq 403 "$STATUS" "a reporter account may not open incidents"
api_json POST /api/v1/incidents "{\"report\":\"$D\",\"title\":\"Malware site\"}" -H "Authorization: Bearer $CT"
assert_eq 201 "$STATUS" "API: opened"
K=$(json_str ident)
api GET "/api/v1/incidents/reports/$E/suggestions" -H "Authorization: Bearer $CT"
assert_contains "$BODY" "\"incident\":\"$K\",\"kind\":\"url\",\"value\":\"http://mal.example/x.exe\"" "API: suggested by the normalised URL"
api_json POST "/api/v1/incidents/$K" "{\"action\":\"link\",\"report\":\"$E\"}" -H "Authorization: Bearer $CT"
assert_eq 200 "$STATUS" "API: linked"
api_json POST "/api/v1/incidents/$K" '{"action":"coordinate","party":"ISP","scope":"overseas","asked":"Remove the file"}' -H "Authorization: Bearer $CT"
assert_contains "$BODY" '"state":"coordinating"' "API: coordinating"
api_json POST "/api/v1/incidents/$K" '{"action":"coordinate","party":"ISP","scope":"mars","asked":"x"}' -H "Authorization: Bearer $CT"
assert_eq 422 "$STATUS" "API: a bad scope is 422"
assert_eq scope "$(json_str field)" "naming scope"
api_json POST "/api/v1/incidents/$K" '{"action":"fly"}' -H "Authorization: Bearer $CT"
assert_eq action "$(json_str field)" "an unknown action names action"
api_json POST "/api/v1/incidents/$K" '{"action":"state","state":"resolved"}' -H "Authorization: Bearer $CT"
assert_contains "$BODY" '"state":"resolved"' "API: resolved"
api GET "/api/v1/incidents/$K" -H "Authorization: Bearer $PT"
assert_eq 403 "$STATUS" "a reporter account may not read incidents"
api GET "/api/v1/incidents/IN-1999-000001" -H "Authorization: Bearer $CT"
assert_eq 404 "$STATUS" "an unknown incident: 404"
done_testing

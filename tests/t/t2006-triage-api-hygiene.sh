#!/bin/sh
# t2006 — the receivers' JSON triage API and the API's error hygiene (issue 15
# item 7): accept, reject, request information, stop and duplicate through
# POST /api/v1/reports/{tracking}/triage — the triage form's own operation, so
# both check alike — with the policy (a coordinator or vendor may not);
# errors name the field at fault, speak Japanese when the request asks for it
# (Accept-Language or ?lang=), and never point to a CLI command or a library's
# option (JSON_ALLOW_NUL).
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail" KEIKAI_TEST_NOW=2027-01-15T08:00:00Z
start_server --no-scheduler
PW=triage-test-password-1
printf '%s\n' "$PW" | keikai user add --email rcv@recv.example --name R --role receiver >/dev/null
printf '%s\n' "$PW" | keikai user add --email coord@cc.example --name C --role coordinator >/dev/null
make_token rcv@recv.example "$PW"; TOK_R=$TOKEN
make_token coord@cc.example "$PW"; TOK_C=$TOKEN
tri() { # TRACKING JSON [TOKEN] [curl args...]
	t=$1 body=$2 tok=${3:-$TOK_R}
	if [ $# -ge 3 ]; then shift 3; else shift $#; fi
	api_json POST "/api/v1/reports/$t/triage" "$body" -H "Authorization: Bearer $tok" "$@"
}
submit() { # -> T (tracking), FK (finder key)
	printf '%s' '{"kind":"product","finder":{"name":"Hanako Finder","email":"hanako@finder.example"},"product":{"name":"RouterOS","version":"3.2"},"vulnerability":{"description":"OS command injection"},"policy_ack":true}' |
		keikai report submit --json - >"$TMP/sub"
	T=$(sed -n 's/^tracking number: //p' "$TMP/sub")
	FK=$(sed -n 's/^secret link: .*key=//p' "$TMP/sub")
}

# ---- each action, as the form does it
submit
tri "$T" '{"action":"request_info","text":"Which firmware build?"}'
assert_eq 200 "$STATUS" "a receiver asks the finder a question"
assert_contains "$BODY" '"status":"info_requested"' "the answer gives the new status"
api GET "/r/$T?key=$FK"
assert_contains "$BODY" "Which firmware build?" "the question is on the finder's page"
tri "$T" '{"action":"accept"}'
assert_eq 409 "$STATUS" "not accepted while the finder's answer is awaited (as from the form)"
assert_contains "$BODY" '"field":"status"' "naming the status"
submit
T1=$T
tri "$T1" '{"action":"accept"}'
assert_eq 200 "$STATUS" "accepted"
assert_contains "$BODY" '"status":"accepted"' "status accepted"
assert_contains "$(keikai case list --json)" "KKC-2027-0001" "accepting opened the case, as from the page"
submit
T2=$T
tri "$T2" '{"action":"reject"}'
assert_eq 422 "$STATUS" "a rejection needs its reason"
assert_contains "$BODY" '"field":"text"' "naming the text"
tri "$T2" '{"action":"reject","text":"Not a vulnerability of the product."}'
assert_eq 200 "$STATUS" "rejected with a reason"
assert_contains "$BODY" '"status":"not_accepted"' "status not accepted"
submit
T3=$T
tri "$T3" '{"action":"duplicate"}'
assert_contains "$BODY" '"field":"of"' "a duplicate needs the other report"
tri "$T3" "{\"action\":\"duplicate\",\"of\":\"$T1\",\"text\":\"same as the first\"}"
assert_eq 200 "$STATUS" "marked a duplicate"
assert_contains "$BODY" "\"duplicate_of\":\"$T1\"" "of the first report"
tri "$T1" '{"action":"stop","stop_reason":"because"}'
assert_eq 422 "$STATUS" "a stop needs one of the standard's reasons"
assert_contains "$BODY" '"field":"stop_reason"' "naming stop_reason"
tri "$T1" '{"action":"stop","stop_reason":"possibly_illegal"}'
assert_eq 200 "$STATUS" "stopped"
assert_contains "$BODY" '"status":"handling_stopped"' "status handling_stopped"
assert_contains "$BODY" '"stop_reason":"possibly_illegal"' "with its reason"
assert_contains "$(keikai case list --json)" '"state":"stopped"' "its case stopped with it (the same operation)"
tri "$T2" '{"action":"accept"}'
assert_eq 409 "$STATUS" "a rejected report cannot be accepted"
tri "$T2" '{"action":"approve"}'
assert_eq 422 "$STATUS" "an unknown action"
assert_contains "$BODY" '"field":"action"' "naming action"
tri KK-2027-999999 '{"action":"accept"}'
assert_eq 404 "$STATUS" "an unknown report"
assert_not_contains "$BODY" "keikai " "the error points to no CLI command"
# the policy
submit
tri "$T" '{"action":"accept"}' "$TOK_C"
assert_eq 403 "$STATUS" "a coordinator may not triage"
api_json POST "/api/v1/reports/$T/triage" '{"action":"accept"}'
assert_eq 401 "$STATUS" "nor may the public"

# ---- error hygiene
api_json POST /api/v1/reports '{"kind":"product","x":"a\u0000b"}'
assert_eq 400 "$STATUS" "a NUL in a string is refused"
assert_not_contains "$BODY" "JSON_ALLOW_NUL" "without naming the parser's option"
assert_contains "$BODY" 'may not contain \\u0000' "saying what is wrong"
tri "$T" '{"action":"accept",' "$TOK_R"
assert_eq 400 "$STATUS" "bad JSON"
assert_contains "$BODY" '"field":"body"' "names the body as the input at fault"
tri "$T" '{"action":"reject"}' "$TOK_R" -H "Accept-Language: ja"
assert_contains "$BODY" "理由" "a Japanese request is answered in Japanese"
assert_contains "$BODY" '"field":"text"' "still naming the field"
tri "$T" '{"action":"reject"}' "$TOK_R"
assert_contains "$BODY" "Reason: write why the report is not accepted." "without one, in English (the API's default)"
api GET "/api/v1/vulns?limit=abc&lang=ja"
assert_contains "$BODY" '"field":"limit"' "?lang=ja: the field"
assert_contains "$BODY" "リクエストが正しくありません" "?lang=ja: the message in Japanese"
api GET "/api/v1/website/cases/IPA%2300000000" -H "Authorization: Bearer $TOK_R"
assert_eq 404 "$STATUS" "an unknown website case"
assert_not_contains "$BODY" "keikai " "its error points to no CLI command"
done_testing

#!/bin/sh
# t7000 — incident reports over the API and the CLI (issue 22, part 1): anyone reports with
# a category (data), TLP, URLs / domains / IP addresses (validated, normalised, defanged forms
# read back) and evidence files (by content hash, downloaded only by staff, as attachments);
# errors name the field; the reporter follows the report through the secret link (one 404 for
# a wrong key or number); the reporter's contact is sealed: in no answer but the audited reveal;
# the receipt goes through the mail outbox; staff enter a mailed report (CLI and ?source=mail).
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail"
start_server

api GET /api/v1/incidents/categories
assert_eq 200 "$STATUS" "categories are public"
for c in phishing defacement malware_site scan dos control_system targeted other; do
	assert_contains "$BODY" "\"code\":\"$c\"" "category $c"
done

api_json POST /api/v1/incidents/reports '{"category":"phishing",'
assert_eq 400 "$STATUS" "malformed JSON: 400"
api POST /api/v1/incidents/reports -H 'Content-Type: text/plain' --data-binary '{}'
assert_eq 415 "$STATUS" "not JSON: 415"
api_json POST /api/v1/incidents/reports '{"category":"spam","summary":"s","reporter":{"email":"a@example.jp"}}'
assert_eq 422 "$STATUS" "unknown category: 422"
assert_eq category "$(json_str field)" "the error names category"
api_json POST /api/v1/incidents/reports '{"category":"scan","summary":"s","reporter":{"email":"a@example.jp"},"urls":["javascript:alert(1)"]}'
assert_eq 422 "$STATUS" "a URL that is not http(s): 422"
assert_eq "urls[0]" "$(json_str field)" "the error names urls[0]"
api_json POST /api/v1/incidents/reports '{"category":"scan","summary":"s","reporter":{"email":"a@example.jp"},"ips":["192.0.2.300"]}'
assert_eq 422 "$STATUS" "a bad IP address: 422"
assert_eq "ips[0]" "$(json_str field)" "the error names ips[0]"
api_json POST /api/v1/incidents/reports '{"category":"scan","summary":"s","reporter":{"email":"a@example.jp"},"domains":["-bad-.example"]}'
assert_eq "domains[0]" "$(json_str field)" "a bad domain names domains[0]"
api_json POST /api/v1/incidents/reports '{"category":"scan","summary":"s","reporter":{"email":"a@"}}'
assert_eq reporter.email "$(json_str field)" "a bad e-mail names reporter.email"
api_json POST /api/v1/incidents/reports '{"category":"scan","summary":"s"}'
assert_eq reporter.email "$(json_str field)" "no e-mail names reporter.email"
api_json POST /api/v1/incidents/reports '{"category":"scan","summary":"s","tlp":"purple","reporter":{"email":"a@example.jp"}}'
assert_eq tlp "$(json_str field)" "a bad TLP names tlp"
api_json POST /api/v1/incidents/reports '{"category":"scan","summary":"s","reporter":{"email":"a@example.jp"},"color":"red"}'
assert_eq color "$(json_str field)" "an unknown item is refused by name"
api_json POST /api/v1/incidents/reports '{"category":"scan","summary":"s","reporter":{"email":"a@example.jp"},"received_at":"2026-01-01"}'
assert_eq received_at "$(json_str field)" "the public cannot back-date a report"
api_json 'POST' '/api/v1/incidents/reports?source=mail' '{"category":"scan","summary":"s","reporter":{"email":"a@example.jp"}}'
assert_eq 401 "$STATUS" "the public cannot enter a mailed report"

# --- a report with evidence (multipart)
printf 'Received: from mx.evil.example\nSubject: verify your account\n' >"$TMP/headers.txt"
printf '<html><script>alert(1)</script></html>' >"$TMP/page.html"
R='{"lang":"en","category":"phishing","tlp":"amber","summary":"Fake bank login page","description":"Mail asked to log in","reporter":{"name":"Hanako Reporter","email":"hanako@example.jp","org":"Example Corp","phone":"03-0000-0000"},"urls":["hxxps://Login.Bank-Example[.]com:443/signin?x=1#frag"],"domains":["EVIL.example."],"ips":["2001:DB8:0:0::1","198.51.100.7"]}'
api POST /api/v1/incidents/reports -F "report=$R" -F "file=@$TMP/page.html"
assert_eq 422 "$STATUS" "an HTML evidence file is refused (never rendered)"
api POST /api/v1/incidents/reports -F "report=$R" -F "file=@$TMP/headers.txt;filename=mail-headers.txt"
assert_eq 201 "$STATUS" "report received: 201"
T=$(json_str tracking)
K=$(json_str key)
assert_contains "$T" "IR-" "tracking number IR-"
assert_eq 43 "${#K}" "the key is 32 random bytes (base64url)"
assert_contains "$(json_str link)" "/incident/r/$T?key=$K" "the secret link"
assert_eq 1 "$(json_int files)" "one file"
assert_not_contains "$BODY" "hanako" "the answer does not echo the reporter"

api GET "/api/v1/incidents/reports/$T?key=$K"
assert_eq 200 "$STATUS" "the reporter's view"
assert_eq received "$(json_str status)" "status received"
assert_contains "$BODY" '"value":"https://login.bank-example.com/signin?x=1"' "URL normalised (refanged, host lower-cased, :443 and fragment dropped)"
assert_contains "$BODY" '"kind":"domain","value":"login.bank-example.com"' "the URL's host counts as a domain"
assert_contains "$BODY" '"kind":"domain","value":"evil.example"' "domain lower-cased, trailing dot dropped"
assert_contains "$BODY" '"kind":"ip","value":"2001:db8::1"' "IPv6 in canonical form"
assert_contains "$BODY" '"filename":"mail-headers.txt"' "the reporter sees their file"
for s in Hanako hanako@example.jp "Example Corp" 03-0000-0000; do
	assert_not_contains "$BODY" "$s" "no contact in the reporter's view ($s)"
done
api GET "/api/v1/incidents/reports/$T?key=x$K"
assert_eq 404 "$STATUS" "a wrong key: 404"
wrong=$BODY
api GET "/api/v1/incidents/reports/IR-1999-000001?key=$K"
assert_eq 404 "$STATUS" "a wrong number: 404"
assert_eq "$wrong" "$BODY" "the same answer for both"
api GET "/api/v1/incidents/reports/$T"
assert_eq 404 "$STATUS" "no key, not staff: 404"

# --- staff
printf 'pw-coordinator-1234\n' | keikai user add --email coord@example.org --name C --role coordinator >/dev/null
printf 'pw-receiver-12345\n' | keikai user add --email recv@example.org --name R --role receiver >/dev/null
printf 'pw-vendor-1234567\n' | keikai user add --email vendor@example.org --name V --role reporter >/dev/null
make_token coord@example.org pw-coordinator-1234
CT=$TOKEN
make_token recv@example.org pw-receiver-12345
RT=$TOKEN
make_token vendor@example.org pw-vendor-1234567
VT=$TOKEN
api GET /api/v1/incidents/reports -H "Authorization: Bearer $VT"
assert_eq 403 "$STATUS" "a reporter account may not list incident reports"
api GET /api/v1/incidents/reports -H "Authorization: Bearer $RT"
assert_eq 200 "$STATUS" "a receiver lists them"
assert_contains "$BODY" "\"tracking\":\"$T\"" "the report is listed"
api GET "/api/v1/incidents/reports/$T" -H "Authorization: Bearer $CT"
assert_eq 200 "$STATUS" "staff view"
assert_contains "$BODY" '"source":"api"' "source api"
for s in Hanako hanako@example.jp "Example Corp"; do
	assert_not_contains "$BODY" "$s" "no contact in the staff view ($s)"
done
SHA=$(json_str sha256)
assert_eq 64 "${#SHA}" "the file by its SHA-256"
api GET "/api/v1/incidents/reports/$T/files/$SHA" -H "Authorization: Bearer $CT"
assert_eq 200 "$STATUS" "staff download the evidence"
assert_eq application/octet-stream "$(header Content-Type)" "as octet-stream"
assert_contains "$(header Content-Disposition)" "attachment" "as an attachment"
assert_contains "$BODY" "verify your account" "the content"
api GET "/api/v1/incidents/reports/$T/files/$SHA" -H "Authorization: Bearer $VT"
assert_eq 403 "$STATUS" "a reporter account may not download evidence"
api POST "/api/v1/incidents/reports/$T/reveal" -H "Authorization: Bearer $RT"
assert_eq 403 "$STATUS" "a receiver may not reveal the reporter"
api POST "/api/v1/incidents/reports/$T/reveal" -H "Authorization: Bearer $CT"
assert_eq 200 "$STATUS" "a coordinator reveals the reporter"
assert_contains "$BODY" '"email":"hanako@example.jp"' "the contact"
assert_contains "$(keikai audit)" "incident.reveal" "the reveal is audited"

# --- a mailed report entered by staff (API and CLI), back-dated to the mail's JST date
api_json POST '/api/v1/incidents/reports?source=mail' '{"category":"defacement","summary":"Site altered","tlp":"white","reporter":{"email":"web@example.jp"},"urls":["http://shop.example.jp"],"received_at":"2026-04-01"}' -H "Authorization: Bearer $CT"
assert_eq 201 "$STATUS" "staff enter a mailed report"
M=$(json_str tracking)
api GET "/api/v1/incidents/reports/$M" -H "Authorization: Bearer $CT"
assert_contains "$BODY" '"source":"mail"' "source mail"
assert_contains "$BODY" '"tlp":"clear"' "TLP:WHITE is read as CLEAR"
assert_contains "$BODY" '"received_at":"2026-03-31T15:00:00Z"' "received 2026-04-01 JST"
assert_contains "$BODY" '"value":"http://shop.example.jp/"' "an empty path becomes /"

printf '{"category":"scan","summary":"Port scan from 203.0.113.5","reporter":{"name":"Ops","email":"ops@example.jp"},"ips":["203.0.113.5"]}' >"$TMP/scan.json"
out=$(keikai incident report --json "$TMP/scan.json")
assert_contains "$out" "IR-" "CLI: a mailed report"
C=$(printf '%s\n' "$out" | head -1)
CK=$(printf '%s\n' "$out" | sed -n 's/^key: //p')
out=$(keikai incident status "$C" --key "$CK")
assert_contains "$out" '"value":"203.0.113.5"' "CLI: the reporter's view"
assert_not_contains "$out" "ops@example.jp" "CLI: no contact in the reporter's view"
out=$(keikai incident show "$C")
assert_not_contains "$out" "ops@example.jp" "CLI: no contact without --reveal"
out=$(keikai incident show "$C" --reveal)
assert_contains "$out" "ops@example.jp" "CLI: --reveal shows it"
out=$(keikai incident list --json)
assert_contains "$out" "\"tracking\":\"$C\"" "CLI: listed"
assert_not_contains "$out" "@example.jp" "CLI: the list has no contact"
printf 'conn log line\n' >"$TMP/conn.log"
sha=$(keikai incident attach "$C" "$TMP/conn.log")
assert_eq 64 "${#sha}" "CLI: evidence attached by hash"
out=$(keikai incident status "$C" --key "$CK")
assert_not_contains "$out" "conn.log" "the reporter does not see staff's files"
keikai incident report --json "$TMP/nope.json" >/dev/null 2>&1
assert_eq 1 "$?" "CLI: a missing file fails"

# --- the receipts went through the outbox, to the sealed addresses
out=$(keikai mail list)
assert_contains "$out" "reporter of $T" "the outbox names the reporter, not the address"
assert_not_contains "$out" "hanako@example.jp" "no address in the outbox list"
out=$(keikai mail flush)
assert_contains "$out" "3 sent" "three receipts delivered"
mails=$(python3 -c '
import email, sys
for f in sys.argv[1:]:
    m = email.message_from_binary_file(open(f, "rb"))
    print("To:", m["To"])
    for p in m.walk():
        if p.get_content_maintype() == "text":
            print(p.get_payload(decode=True).decode())
' "$KEIKAI_MAILDIR"/new/*)
assert_contains "$mails" "To: hanako@example.jp" "to the reporter"
assert_contains "$mails" "/incident/r/$T?key=$K" "with the secret link"

# --- nothing of the contact in the server log
assert_not_contains "$(cat "$SERVER_LOG")" "hanako" "no contact in the server log"
done_testing

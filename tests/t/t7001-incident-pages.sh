#!/bin/sh
# t7001 — the incident pages (issue 22, part 1): the public form in Japanese and English with the
# categories from the data, a report sent through it (CSRF-checked; errors name the field and keep
# the entries; evidence files), the receipt with the secret link once, the reporter's page through
# the link (no contact, 404 for a wrong key), the staff's list and report page (contact sealed),
# the audited reveal form, evidence downloaded as an attachment.
. "$(dirname "$0")/lib.sh"
start_server
FJAR=$TMP/reporter.jar

api GET "/incident?lang=ja" -c "$FJAR" -b "$FJAR"
assert_eq 200 "$STATUS" "the form, no account needed"
assert_contains "$BODY" "インシデントの報告" "in Japanese"
assert_contains "$BODY" "フィッシングサイト" "the categories from the data, in Japanese"
api GET "/incident?lang=en" -c "$FJAR" -b "$FJAR"
assert_contains "$BODY" "Report an incident" "in English"
assert_contains "$BODY" '<option value="control_system">Control system</option>' "the categories in English"
FCSRF=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$BODYF" | head -n 1)

api POST "/incident?lang=en" -b "$FJAR" -F "csrf=wrong-token-wrong-token-wrong-token-1" -F category=phishing -F summary=x -F reporter.email=a@example.jp
assert_eq 400 "$STATUS" "a wrong CSRF token: 400"

api POST "/incident?lang=en" -c "$FJAR" -b "$FJAR" -F "csrf=$FCSRF" -F category=phishing -F "summary=Fake <b>bank</b>" \
	-F "urls=http://ok.example/
ftp://bad.example/" -F reporter.email=reporter@example.jp
assert_eq 422 "$STATUS" "a bad URL: 422"
assert_contains "$BODY" "urls[1]" "the error names urls[1]"
assert_contains "$BODY" "Fake &lt;b&gt;bank&lt;/b&gt;" "the entries are kept, escaped"

printf 'Received: from mx.evil.example\n' >"$TMP/hdr.txt"
api POST "/incident?lang=en" -c "$FJAR" -b "$FJAR" -F "csrf=$FCSRF" -F category=phishing -F tlp=green \
	-F "summary=Fake bank" -F "urls=hxxps://fake-bank[.]example/login
http://198.51.100.9/" -F "domains=fake-bank.example" -F "reporter.name=Jiro Reporter" \
	-F reporter.email=jiro@example.jp -F "reporter.phone=090-1111-2222" -F "file=@$TMP/hdr.txt"
assert_eq 201 "$STATUS" "the report is received"
LINK=$(sed -n 's/.*id="secret-link" href="\([^"]*\)".*/\1/p' "$BODYF" | head -n 1 | sed 's/&amp;/\&/g')
T=$(sed -n 's/.*<dd id="tracking">\([^<]*\)<.*/\1/p' "$BODYF")
assert_contains "$LINK" "/incident/r/$T?key=" "the receipt shows the secret link"
assert_eq no-store "$(header Cache-Control)" "the receipt is not cached"

api GET "$LINK"
assert_eq 200 "$STATUS" "the reporter's page"
assert_contains "$BODY" "https://fake-bank.example/login" "normalised URL shown"
assert_contains "$BODY" "hdr.txt" "their file"
for s in Jiro jiro@example.jp 090-1111-2222; do
	assert_not_contains "$BODY" "$s" "no contact on the reporter's page ($s)"
done
FILE=$(sed -n 's/.*<a download href="\([^"]*\)".*/\1/p' "$BODYF" | head -1 | sed 's/&amp;/\&/g')
api GET "$FILE"
assert_eq 200 "$STATUS" "the reporter downloads their file"
assert_contains "$(header Content-Disposition)" attachment "as an attachment"
api GET "$(printf '%s' "$LINK" | sed 's/key=/key=x/')"
assert_eq 404 "$STATUS" "a wrong key: 404"
api GET "/incident/r/$T"
assert_eq 404 "$STATUS" "no key: 404"

# --- staff
printf 'pw-coordinator-1234\n' | keikai user add --email coord@example.org --name C --role coordinator >/dev/null
printf 'pw-receiver-12345\n' | keikai user add --email recv@example.org --name R --role receiver >/dev/null
CJ=$TMP/c.jar
RJ=$TMP/r.jar
api_json POST /api/v1/session '{"email":"recv@example.org","password":"pw-receiver-12345"}' -c "$RJ"
api GET /incidents -b "$RJ"
assert_eq 200 "$STATUS" "a receiver sees the list"
assert_contains "$BODY" "$T" "the report is listed"
assert_not_contains "$BODY" "jiro@example.jp" "no contact in the list"
api GET "/incidents/reports/$T" -b "$RJ"
assert_eq 200 "$STATUS" "the staff's report page"
assert_not_contains "$BODY" "jiro@example.jp" "no contact on the staff's page"
assert_not_contains "$BODY" "/reveal" "a receiver gets no reveal form"
login coord@example.org pw-coordinator-1234 "$CJ"
api GET "/incidents/reports/$T" -b "$CJ"
assert_contains "$BODY" "/incidents/reports/$T/reveal" "a coordinator gets the reveal form"
SHA=$(sed -n 's|.*href="/incidents/reports/[^/]*/files/\([0-9a-f]*\)".*|\1|p' "$BODYF" | head -1)
api GET "/incidents/reports/$T/files/$SHA" -b "$CJ"
assert_eq 200 "$STATUS" "staff download the evidence"
assert_eq application/octet-stream "$(header Content-Type)" "never rendered"
api POST "/incidents/reports/$T/reveal" -b "$CJ" --data-urlencode "csrf=$CSRF"
assert_eq 200 "$STATUS" "the reveal"
assert_contains "$BODY" "jiro@example.jp" "the contact after the reveal"
assert_contains "$(keikai audit)" "incident.reveal" "audited"
api GET "/incidents" -b "$FJAR"
assert_eq 303 "$STATUS" "the public is sent to sign in"
done_testing

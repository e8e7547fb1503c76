#!/bin/sh
# Report pages: the public form (CSRF double submit, errors next to the field with every value
# kept, HTML escaped), the receipt with the secret link, the finder's status page, receiver triage
# (queue, reveal audited, request info, accept, reject), mail in the maildir, and who may see what.
. "$(dirname "$0")/lib.sh"

export KEIKAI_MAILDIR="$TMP/mail" KEIKAI_TEST_NOW=2026-03-01T09:00:00Z
start_server
FJAR=$TMP/finder.jar
mails() { keikai mail flush >/dev/null 2>&1; ls "$KEIKAI_MAILDIR/new" 2>/dev/null | wc -l | tr -d ' '; }
mailtext() {
	for f in "$KEIKAI_MAILDIR"/new/*; do
		sed '1,/^$/d' "$f" | base64 -d 2>/dev/null || sed '1,/^$/d' "$f"
	done
}
# form_csrf — fetches /report with the finder's cookie jar; FCSRF gets the form's token
form_csrf() {
	api GET "/report${1:-}" -c "$FJAR" -b "$FJAR"
	FCSRF=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$BODYF" | head -n 1)
}
# submit NAME EMAIL PRODUCT DESCRIPTION [more curl args] — posts the form
submit() {
	n=$1 e=$2 p=$3 desc=$4
	shift 4
	api POST /report -c "$FJAR" -b "$FJAR" --data-urlencode "csrf=$FCSRF" -d kind=product \
		--data-urlencode "finder.name=$n" --data-urlencode "finder.email=$e" -d finder.disclose=none \
		--data-urlencode "product.name=$p" -d product.vendor=Acme -d product.version=2.1 \
		-d vulnerability.cwe=CWE-79 --data-urlencode "vulnerability.description=$desc" \
		-d vulnerability.steps=step1 -d vulnerability.impact=cookies -d reported_to=nobody "$@"
}

# --- the form, in both languages, no account needed
form_csrf "?lang=en"
assert_eq 200 "$STATUS" "GET /report anonymously"
assert_contains "$BODY" "Report a vulnerability" "English form"
for f in finder.name finder.email finder.pgp_key finder.credit product.name product.version product.vendor \
	website.name website.url vulnerability.cwe vulnerability.description vulnerability.steps \
	vulnerability.impact reported_to publication.intent policy_ack finder.disclose; do
	assert_contains "$BODY" "name=\"$f\"" "the form has $f"
done
[ ${#FCSRF} -ge 32 ] || fail "no CSRF token in the form: $FCSRF"
api GET "/report?lang=ja"
assert_contains "$BODY" "脆弱性" "Japanese form"

# --- CSRF: without the cookie's twin the form is refused and nothing is stored
api POST /report -d kind=product -d finder.name=X -d csrf=forged-forged-forged-forged-forged-forged
assert_eq 400 "$STATUS" "form without the CSRF cookie refused"
assert_eq 0 "$(mails)" "no mail for a refused form"

# --- validation: the error names the field, every value is kept, HTML is escaped
form_csrf "?lang=en"
submit "Mallory <b>" "not-an-address" "Widget<script>alert(1)</script>" "desc <script>x</script>" -d policy_ack=1
assert_eq 422 "$STATUS" "bad e-mail refused"
assert_contains "$BODY" 'id="err-finder.email"' "the error stands next to the e-mail field"
assert_contains "$BODY" "Your e-mail address:" "the message names the field"
assert_contains "$BODY" 'value="not-an-address"' "the e-mail is kept"
assert_contains "$BODY" 'value="Widget&lt;script&gt;alert(1)&lt;/script&gt;"' "product kept, escaped"
assert_contains "$BODY" 'desc &lt;script&gt;x&lt;/script&gt;</textarea>' "description kept, escaped"
assert_not_contains "$BODY" "<script>x" "no raw script from the form"
assert_contains "$BODY" 'name="policy_ack" id="f-policy_ack" checked' "the checkbox stays checked"
submit "Mallory" "m@example.org" "Widget" "desc"
assert_eq 422 "$STATUS" "policy not acknowledged"
assert_contains "$BODY" 'id="err-policy_ack"' "the error stands next to the policy checkbox"

# every required item left empty is marked at once, with what was typed kept
api POST "/report?lang=ja" -c "$FJAR" -b "$FJAR" --data-urlencode "csrf=$FCSRF" -d kind=website \
	-d finder.email=m@example.org --data-urlencode "website.name=Shop <i>"
assert_eq 422 "$STATUS" "a report lacking four items"
for f in finder.name website.url vulnerability.description policy_ack; do
	assert_contains "$BODY" "id=\"err-$f\"" "$f is marked"
done
assert_not_contains "$BODY" 'id="err-finder.email"' "the given e-mail is not"
assert_contains "$BODY" "入力が必要です" "the marks are in the page's language"
assert_contains "$BODY" "下に示した他の項目も確認してください。" "the notice says there is more than one"
assert_contains "$BODY" 'value="Shop &lt;i&gt;"' "the website name is kept"
assert_contains "$BODY" 'name="kind" value="website" checked' "the kind is kept"
api POST "/report?lang=ja" -c "$FJAR" -b "$FJAR" --data-urlencode "csrf=$FCSRF" -d kind=website \
	-d finder.name=M -d finder.email=not-an-address --data-urlencode "website.url=https://shop.example.jp/" \
	-d vulnerability.description=d -d policy_ack=1
assert_eq 422 "$STATUS" "a bad e-mail on the Japanese form"
assert_contains "$BODY" "name@example.org の形式でメールアドレスを一つ入力してください" "the fix is said in Japanese"
assert_contains "$BODY" 'value="not-an-address"' "and the address is kept"
submit "Mallory" "m@example.org" "$(printf 'Wid\377get')" "desc" -d policy_ack=1
assert_eq 422 "$STATUS" "a field that is not UTF-8 is refused"
assert_contains "$BODY" 'id="err-product.name"' "the error stands next to that field"

# --- a good report: receipt with the tracking number and the secret link once
form_csrf "?lang=en"
submit "Hanako Finder" "hanako@example.org" "Widget<script>" "stored XSS <script>alert(1)</script> in comments" \
	-d policy_ack=1 -d publication.intent=1 -d publication.date=2026-05-01
assert_eq 201 "$STATUS" "report submitted"
TRK=$(sed -n 's/.*id="tracking">\([^<]*\)<.*/\1/p' "$BODYF" | head -n 1)
LINK=$(sed -n 's/.*id="secret-link" href="\([^"]*\)".*/\1/p' "$BODYF" | head -n 1 | sed 's/&amp;/\&/g')
case "$TRK" in KK-*) ;; *) fail "no tracking number on the receipt: $TRK" ;; esac
case "$LINK" in "/r/$TRK?key="*) ;; *) fail "no secret link on the receipt: $LINK" ;; esac
assert_contains "$BODY" "Keep this link" "the receipt warns to keep the link"
assert_eq "no-store" "$(header Cache-Control)" "the receipt is not cached"
assert_eq 1 "$(mails)" "receipt mail queued"

# --- the status page through the link; a wrong key is the same 404 as an unknown number
api GET "$LINK"
assert_eq 200 "$STATUS" "status page through the link"
assert_contains "$BODY" 'data-status="received"' "status received"
assert_contains "$BODY" "$TRK" "the tracking number is shown"
KEY=${LINK#*key=}
api GET "/r/$TRK?key=AAAA${KEY#????}"
S1=$STATUS B1=$BODY
api GET "/r/KK-2026-999999?key=$KEY"
assert_eq 404 "$S1" "wrong key: 404"
assert_eq 404 "$STATUS" "unknown tracking number: 404"
assert_eq "$B1" "$(echo "$BODY" | sed "s/KK-2026-999999/$TRK/g")" "the same answer for both"
api GET "/r/$TRK"
assert_eq 404 "$STATUS" "no key: 404"
api POST "/r/$TRK" --data-urlencode "key=AAAA${KEY#????}" -d body=hello
assert_eq 404 "$STATUS" "posting with a wrong key: 404"

# --- users: a receiver, a vendor and an operator (with organizations)
make_token "$ADMIN_EMAIL" "$ADMIN_PASSWORD"
ADMIN_TOKEN=$TOKEN
for o in "Acme vendor" "Webshop operator"; do
	set -- $o
	api_json POST /api/v1/orgs "{\"name\":\"$1\",\"kind\":\"$2\"}" -H "Authorization: Bearer $ADMIN_TOKEN"
	eval "ORG_$2=$(json_int id)"
done
for role in receiver vendor operator; do
	eval "org=\${ORG_$role:-null}"
	api_json POST /api/v1/users "{\"email\":\"$role@example.org\",\"name\":\"$role user\",\"role\":\"$role\",\"org_id\":$org,\"password\":\"password-of-$role\"}" \
		-H "Authorization: Bearer $ADMIN_TOKEN"
	assert_eq 201 "$STATUS" "create the $role user"
done
RJAR=$TMP/receiver.jar
login receiver@example.org password-of-receiver "$RJAR"
RCSRF=$CSRF
act() { # tracking verb [curl args]
	t=$1 v=$2
	shift 2
	api POST "/triage/$t/act?lang=en" -b "$RJAR" --data-urlencode "csrf=$RCSRF" -d "verb=$v" "$@"
}

# --- the queue and the report; the finder stays sealed until revealed
api GET "/triage?lang=en" -b "$RJAR"
assert_eq 200 "$STATUS" "receiver sees the queue"
assert_contains "$BODY" "$TRK" "the report is in the queue"
api GET "/triage?kind=website" -b "$RJAR"
assert_not_contains "$BODY" "$TRK" "kind filter leaves out the product report"
api GET "/triage?status=received&kind=product" -b "$RJAR"
assert_contains "$BODY" "$TRK" "status and kind filters keep it"
api GET "/triage?age=3" -b "$RJAR"
assert_not_contains "$BODY" "$TRK" "a report of today is not older than 3 days"
api GET "/triage?status=bogus" -b "$RJAR"
assert_eq 400 "$STATUS" "a bad status filter is refused"
api GET "/triage/$TRK?lang=en" -b "$RJAR"
assert_eq 200 "$STATUS" "receiver sees the report"
assert_contains "$BODY" "stored XSS &lt;script&gt;alert(1)&lt;/script&gt; in comments" "description escaped"
assert_not_contains "$BODY" "<script>alert" "no raw script on the triage page"
assert_not_contains "$BODY" "Hanako" "the finder is sealed on the report page"
assert_not_contains "$BODY" "hanako@example.org" "the finder's e-mail is sealed"
assert_contains "$BODY" 'id="reveal-form"' "a reveal button"
assert_contains "$BODY" "<dd>2026-05-01 00:00 JST</dd>" "the finder's intended publication date, a date alone read in JST"
api POST "/triage/$TRK/reveal" -b "$RJAR" -d csrf=wrong-token
assert_eq 403 "$STATUS" "reveal without the CSRF token refused"
api GET "/api/v1/audit" -H "Authorization: Bearer $ADMIN_TOKEN"
assert_not_contains "$BODY" "report.reveal" "no reveal audited yet"
api POST "/triage/$TRK/reveal?lang=en" -b "$RJAR" --data-urlencode "csrf=$RCSRF"
assert_eq 200 "$STATUS" "reveal"
assert_contains "$BODY" "Hanako Finder" "the finder's name revealed"
assert_contains "$BODY" "hanako@example.org" "the finder's e-mail revealed"
api GET "/api/v1/audit" -H "Authorization: Bearer $ADMIN_TOKEN"
assert_contains "$BODY" "report.reveal" "the reveal is audited"

# --- a question; the finder answers through the status page; accepted
act "$TRK" request_info
assert_eq 422 "$STATUS" "a question needs text"
act "$TRK" request_info --data-urlencode "text=Which version of Widget exactly?"
assert_eq 303 "$STATUS" "info requested"
api GET "$LINK"
assert_contains "$BODY" 'data-status="info_requested"' "the finder sees the question state"
assert_contains "$BODY" "Which version of Widget exactly?" "the finder sees the question"
api POST "/r/$TRK" --data-urlencode "key=$KEY" --data-urlencode "body=Version 2.1.3 <b>build 7</b>"
assert_eq 200 "$STATUS" "the finder answers"
assert_contains "$BODY" 'data-status="received"' "back to received"
assert_contains "$BODY" "Version 2.1.3 &lt;b&gt;build 7&lt;/b&gt;" "the answer is in the thread, escaped"
api GET "/triage/$TRK" -b "$RJAR"
assert_contains "$BODY" "Version 2.1.3 &lt;b&gt;build 7&lt;/b&gt;" "the receiver sees the answer"
act "$TRK" message --data-urlencode "text=Thank you, we are looking at it."
assert_eq 303 "$STATUS" "a message to the finder"
api GET "$LINK"
assert_contains "$BODY" "Thank you, we are looking at it." "the finder sees the message"
assert_contains "$BODY" 'data-status="received"' "a message leaves the status"
act "$TRK" accept
assert_eq 303 "$STATUS" "accepted"
api GET "$LINK"
assert_contains "$BODY" 'data-status="accepted"' "the finder sees accepted"
act "$TRK" accept
assert_eq 409 "$STATUS" "accepting twice is a conflict"
act "$TRK" reject --data-urlencode "text=Kept <reason> text"
assert_eq 409 "$STATUS" "rejecting an accepted report is a conflict"
assert_contains "$BODY" 'required>Kept &lt;reason&gt; text</textarea>' "the page comes back with the typed reason kept"
act "$TRK" duplicate -d of=KK-2026-999999
assert_eq 422 "$STATUS" "a duplicate of an unknown report is refused"
assert_contains "$BODY" 'value="KK-2026-999999"' "with the typed number kept"
LONG=$(head -c 70000 /dev/zero | tr '\0' x)
api POST "/r/$TRK?lang=en" --data-urlencode "key=$KEY" --data-urlencode "body=KEEPME $LONG"
assert_eq 422 "$STATUS" "an over-long follow-up is refused"
assert_contains "$BODY" "Your message:" "the error names the field"
assert_contains "$BODY" "KEEPME xxxxxxxx" "and what the finder typed comes back"

# --- a report entered incomplete (from an e-mail): the page says which item is missing
IN='{"kind":"product","finder":{"email":"mailer@example.org"},"product":{"name":"Baz NAS"}}'
TRKI=$(printf '%s' "$IN" | keikai report submit --incomplete --json - | sed -n 's/^tracking number: //p')
case "$TRKI" in KK-*) ;; *) fail "no incomplete report: $TRKI" ;; esac
act "$TRKI" accept
assert_eq 422 "$STATUS" "an incomplete report cannot be accepted from the page"
assert_contains "$BODY" "cannot accept until finder.name is given" "the page names the missing item"

# --- a second report, rejected with a reason the finder sees
form_csrf "?lang=en"
submit "Taro Second" "taro@example.org" "Gadget" "open redirect" -d policy_ack=1
assert_eq 201 "$STATUS" "second report submitted"
TRK2=$(sed -n 's/.*id="tracking">\([^<]*\)<.*/\1/p' "$BODYF" | head -n 1)
LINK2=$(sed -n 's/.*id="secret-link" href="\([^"]*\)".*/\1/p' "$BODYF" | head -n 1 | sed 's/&amp;/\&/g')
api GET "$LINK"
assert_not_contains "$BODY" "$TRK2" "the first finder's page shows nothing of the second report"
assert_not_contains "$BODY" "Taro" "nor its finder"
# --- the same product again: the report page suggests the earlier one, in the page's language
form_csrf "?lang=en"
submit "Saburo Third" "saburo@example.org" "Gadget" "open redirect again" -d policy_ack=1
assert_eq 201 "$STATUS" "a report on the same product"
TRK2B=$(sed -n 's/.*id="tracking">\([^<]*\)<.*/\1/p' "$BODYF" | head -n 1)
api GET "/triage/$TRK2B?lang=ja" -b "$RJAR"
SUG=$(printf '%s' "$BODY" | sed -n 's/.*<ul id="suggestions">\(.*\)/\1/p' | sed 's|</ul>.*||')
assert_contains "$SUG" "href=\"/triage/$TRK2\">$TRK2</a> — 同じ製品・同じ開発者" "the earlier report on the same product is suggested"
assert_not_contains "$SUG" "$TRK\"" "a report on another product is not"
act "$TRK2" reject --data-urlencode "text=This is intended behaviour of Gadget."
assert_eq 303 "$STATUS" "rejected"
api GET "$LINK2"
assert_contains "$BODY" 'data-status="not_accepted"' "the finder sees not accepted"
assert_contains "$BODY" "This is intended behaviour of Gadget." "the finder sees the reason"
act "$TRK" stop -d stop=bogus
assert_eq 422 "$STATUS" "an unknown stop reason is refused"
act "$TRK" assign -d assignee=receiver@example.org
assert_eq 303 "$STATUS" "assigned"
api GET "/triage?assignee=receiver@example.org" -b "$RJAR"
assert_contains "$BODY" "$TRK" "assignee filter"
assert_not_contains "$BODY" "$TRK2" "assignee filter leaves out the other"

# --- mail: receipts, the question, acceptance, the rejection reason
assert_eq 8 "$(mails)" "eight mails to finders (four receipts, question, message, acceptance, rejection)"
MT=$(mailtext)
assert_contains "$MT" "Which version of Widget exactly?" "the question was mailed"
assert_contains "$MT" "This is intended behaviour of Gadget." "the reason was mailed"

# --- a signed-in person uses the same form (the session's CSRF token); stop and duplicate
api GET "/report?lang=en" -b "$RJAR"
SCSRF=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$BODYF" | head -n 1)
assert_eq "$RCSRF" "$SCSRF" "a signed-in person's form carries the session's CSRF token"
api POST /report -b "$RJAR" --data-urlencode "csrf=$RCSRF" -d kind=website -d finder.name=Jiro \
	-d finder.email=jiro@example.org -d website.name=Shop --data-urlencode "website.url=https://shop.example.jp/cart" \
	--data-urlencode "vulnerability.description=XSS in the cart" -d policy_ack=1
assert_eq 201 "$STATUS" "report from the signed-in form"
TRK3=$(sed -n 's/.*id="tracking">\([^<]*\)<.*/\1/p' "$BODYF" | head -n 1)
LINK3=$(sed -n 's/.*id="secret-link" href="\([^"]*\)".*/\1/p' "$BODYF" | head -n 1 | sed 's/&amp;/\&/g')
api POST /report -b "$RJAR" -d csrf=not-the-session-token -d kind=website
assert_eq 403 "$STATUS" "a signed-in form post without the session's token is refused"
act "$TRK3" duplicate -d "of=$TRK"
assert_eq 303 "$STATUS" "marked duplicate"
api GET "$LINK3"
assert_contains "$BODY" 'data-status="duplicate"' "the finder sees duplicate"
api GET "/triage/$TRK3?lang=ja" -b "$RJAR"
assert_contains "$BODY" "$TRK" "the report names what it duplicates"
assert_contains "$BODY" "ウェブサイト運営者から既知の脆弱性である旨の通知を受けた" "a website report's stop reasons name the operator"
assert_not_contains "$BODY" "調整機関から" "and not the coordinating body"
api GET "/triage/$TRK?lang=ja" -b "$RJAR"
assert_contains "$BODY" "調整機関から脆弱性関連情報に該当しない旨の通知を受けた" "a product report's name the coordinating body"
act "$TRK" stop -d stop=already_known --data-urlencode "text=Fixed in 2.2 already."
assert_eq 303 "$STATUS" "handling stopped"
api GET "$LINK"
assert_contains "$BODY" 'data-status="handling_stopped"' "the finder sees handling stopped"
assert_contains "$BODY" 'data-reason="already_known">受付機関が既知の脆弱性関連情報であると確認した<' "the finder sees the standard reason, in Japanese"
mails >/dev/null
MT=$(mailtext)
assert_contains "$MT" "受付機関が既知の脆弱性関連情報であると確認した。" "the standard's reason is mailed in Japanese"
assert_contains "$MT" "The receiving organization confirmed that the vulnerability is already known." "and in English"

# --- vendor, operator and the public: no triage, never the finder
for role in vendor operator; do
	login "$role@example.org" "password-of-$role" "$TMP/$role.jar"
	for p in /triage "/triage/$TRK"; do
		api GET "$p" -b "$TMP/$role.jar"
		assert_eq 403 "$STATUS" "$role: GET $p is forbidden"
	done
	api POST "/triage/$TRK/reveal" -b "$TMP/$role.jar" --data-urlencode "csrf=$CSRF"
	assert_eq 403 "$STATUS" "$role: reveal is forbidden"
	api POST "/triage/$TRK/act" -b "$TMP/$role.jar" --data-urlencode "csrf=$CSRF" -d verb=accept
	assert_eq 403 "$STATUS" "$role: actions are forbidden"
	for p in / /report /vulns /account "/api/v1/reports/$TRK" /triage "/triage/$TRK" "$LINK"; do
		api GET "$p" -b "$TMP/$role.jar"
		assert_not_contains "$BODY" "Hanako" "$role: no finder name on $p"
		assert_not_contains "$BODY" "hanako@example.org" "$role: no finder e-mail on $p"
	done
done
for p in / /report /triage "/triage/$TRK" "$LINK" "/api/v1/reports/$TRK?key=$KEY"; do
	api GET "$p"
	assert_not_contains "$BODY" "Hanako" "anonymous: no finder name on $p"
	assert_not_contains "$BODY" "hanako@example.org" "anonymous: no finder e-mail on $p"
done
api GET /triage
assert_eq 303 "$STATUS" "anonymous: /triage sends to sign in"
done_testing

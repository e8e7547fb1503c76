#!/bin/sh
# t4005 — files the operator adds to a website case with a progress note or the
# completion report (API multipart and the portal form): the same type and size rules
# as report attachments, only from stage 3, stored by SHA-256, listed for the operator
# and the receivers under their own names, served only as downloads to the case's
# operator and the receivers — never to the finder, another operator or the public.
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail" KEIKAI_TEST_NOW=2026-03-02T09:00:00Z KEIKAI_BASE_URL=https://kk.example
export KEIKAI_ATTACH_MAX=4096
start_server

# the mail sent to address $1, decoded
mail_to() {
	for f in "$KEIKAI_MAILDIR"/new/*; do
		tr -d '\r' <"$f" | grep -qi "^To: $1\$" || continue
		if tr -d '\r' <"$f" | grep -qi '^Content-Transfer-Encoding: base64'; then
			tr -d '\r' <"$f" | sed '1,/^$/d' | base64 -d 2>/dev/null
		else
			tr -d '\r' <"$f" | sed '1,/^$/d'
		fi
	done
}

printf '%s\n' "receiver-password-1" | keikai user add --email rcv@example.org --name Receiver --role receiver >/dev/null
R='{"kind":"website","finder":{"name":"Hanako Finder","email":"hanako.finder@example.jp"},"website":{"url":"https://shop.example.com/cart"},"vulnerability":{"cwe":"CWE-89","description":"SQL injection in the cart"},"policy_ack":true}'
api_json POST /api/v1/reports "$R"
T=$(json_str tracking)
FK=$(json_str key)
keikai report accept "$T" >/dev/null 2>&1
H=$(keikai website list --json | grep -o '"handling":"[^"]*"' | head -1 | sed 's/.*:"//; s/"$//')
N=${H#IPA#}
login rcv@example.org receiver-password-1 "$TMP/rcv"
RJAR=$TMP/rcv RCSRF=$CSRF
api_json POST "/api/v1/website/cases/$N" '{"action":"notify","addresses":"info@shop.example.com"}' -b "$RJAR" -H "X-CSRF-Token:$RCSRF"
L1=$(json_str link)
K1=${L1#*key=}

printf 'fixed: the id parameter is bound now\n' >"$TMP/fix.txt"
printf '\211PNG\r\n\032\nafter-the-fix' >"$TMP/after.png"
printf '<html><script>alert(1)</script></html>' >"$TMP/evil.html"
printf '%%PDF-1.4 verification report\n' >"$TMP/verified.pdf"
head -c 5000 /dev/zero | tr '\0' a >"$TMP/big.txt"

# --- before stage 3 the operator cannot add files
api POST /api/v1/website/portal -F "key=$K1" -F action=note -F "text=early" -F "files=@$TMP/fix.txt"
assert_eq 409 "$STATUS" "files before stage 3: conflict"
assert_contains "$BODY" "stage3 or completed" "the error says when files may come"

# --- to stage 3 (portal only)
api_json POST /api/v1/website/portal "{\"key\":\"$K1\",\"action\":\"contact\",\"email\":\"sec@shop.example.com\"}"
keikai mail flush >/dev/null
K2=$(mail_to sec@shop.example.com | grep -o 'portal?key=[A-Za-z0-9_-]*' | head -1 | sed 's/.*key=//')
assert_eq 43 "${#K2}" "the contact point got its link"
api_json POST /api/v1/website/portal "{\"key\":\"$K2\",\"action\":\"protect\",\"portal\":true}"
assert_eq stage3 "$(json_str stage)" "stage 3"

# --- type and size rules of report attachments
api POST /api/v1/website/portal -F "key=$K2" -F action=note -F "text=look" -F "files=@$TMP/evil.html"
assert_eq 422 "$STATUS" "an HTML file is refused"
assert_eq file "$(json_str field)" "naming the file"
api POST /api/v1/website/portal -F "key=$K2" -F action=note -F "text=look" -F "files=@$TMP/big.txt"
assert_eq 413 "$STATUS" "a file over KEIKAI_ATTACH_MAX is refused"
api POST /api/v1/website/portal -F "key=$K2" -F action=ack -F "files=@$TMP/fix.txt"
assert_eq 422 "$STATUS" "files go only with a note or the completion report"
assert_eq files "$(json_str field)" "naming the field"
api GET "/api/v1/website/portal?key=$K2"
assert_contains "$BODY" '"files":[]' "nothing was stored by the refused requests"

# --- a progress note with two files over the API (multipart)
api POST /api/v1/website/portal -F "key=$K2" -F action=note -F "text=patched on staging" \
	-F "files=@$TMP/fix.txt" -F "files=@$TMP/after.png"
assert_eq 200 "$STATUS" "a note with two files"
assert_contains "$BODY" '"filename":"fix.txt"' "the first file is listed under its name"
assert_contains "$BODY" '"filename":"after.png","size":21,"mime":"image/png","from":"operator"' "the second, typed by content"
SHA=$(sha256sum "$TMP/fix.txt" | cut -d' ' -f1)
[ -f "$DB.files/$(printf %.2s "$SHA")/$SHA" ] && pass "stored on disk by its SHA-256" || fail "no $DB.files/../$SHA"
assert_contains "$BODY" '"kind":"file","body":"fix.txt"' "the history names the file"

# --- downloads: the operator and the receivers; as attachments only
api GET "/api/v1/website/portal/files/$SHA?key=$K2"
assert_eq 200 "$STATUS" "the operator downloads the file"
assert_eq "$(cat "$TMP/fix.txt")" "$BODY" "the content"
assert_contains "$(header Content-Disposition)" "attachment;" "as an attachment"
assert_contains "$(header Content-Disposition)" 'filename="fix.txt"' "under its name"
assert_eq "application/octet-stream" "$(header Content-Type)" "never rendered"
assert_eq "nosniff" "$(header X-Content-Type-Options)" "nosniff"
api GET "/website/portal/files/$SHA?case=$N" -b "$RJAR"
assert_eq 200 "$STATUS" "a receiver downloads it"
api GET "/website/case/$N?lang=en" -b "$RJAR"
assert_contains "$BODY" 'id="case-files"' "the receivers' case page lists the case's files"
assert_contains "$BODY" "href=\"/website/portal/files/$SHA?case=$N\">fix.txt</a>" "linking the download"
for who in "" "-b $TMP/none"; do
	api GET "/website/portal/files/$SHA?case=$N" $who
	[ "$STATUS" = 200 ] && fail "the public downloads the operator's file" || pass "the public cannot ($STATUS)"
done
api GET "/api/v1/website/portal/files/$SHA?key=x$K2"
assert_eq 404 "$STATUS" "a wrong link: 404"
api GET "/api/v1/website/portal/files/$SHA?key=$K1"
assert_eq 404 "$STATUS" "the replaced first link: 404"
api GET "/r/$T/files/$SHA?key=$FK"
assert_eq 404 "$STATUS" "the finder cannot download the operator's file"
api GET "/api/v1/website/finder/$T?key=$FK"
assert_not_contains "$BODY" "fix.txt" "nor sees it listed"

# --- the completion report with a file from the portal form (as a browser sends it)
api GET "/website/portal?key=$K2&lang=en"
FORM=$(printf '%s' "$BODY" | grep -o '<form[^>]*data-action="complete"[^>]*>')
assert_contains "$FORM" 'enctype="multipart/form-data"' "the completion form takes files"
assert_contains "$BODY" 'id="case-files"' "the portal lists the case's files"
assert_contains "$BODY" ">after.png</a>" "with the operator's own names"
api POST "/website/portal?lang=en" -F "key=$K2" -F action=complete -F "text=parameter binding everywhere" \
	-F "files=@$TMP/verified.pdf"
assert_eq 200 "$STATUS" "completion reported with a file"
api GET "/api/v1/website/portal?key=$K2"
assert_eq completed "$(json_str stage)" "completed"
assert_contains "$BODY" '"filename":"verified.pdf","size":29,"mime":"application/pdf"' "the completion report's file"
keikai audit --limit 20 >"$TMP/audit"
assert_contains "$(cat "$TMP/audit")" "website.attach" "each file is audited"

# --- the finder's identity is in none of it
api GET "/api/v1/website/portal?key=$K2"
assert_not_contains "$BODY" "Hanako" "the operator's view holds no finder name"
assert_not_contains "$BODY" "$T" "nor the tracking number"
done_testing

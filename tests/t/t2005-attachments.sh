#!/bin/sh
# t2005 — report attachments: several files with the API (multipart) and the form, type by
# content (HTML/SVG refused), per-file, total and count caps, stored by SHA-256 on disk, served
# only as downloads (attachment, octet-stream, nosniff) to receivers and to the finder for their
# own files through the secret link; everyone else gets the same 404 (or 401/403 on /triage).
. "$(dirname "$0")/lib.sh"

export KEIKAI_TEST_NOW=2026-03-01T09:00:00Z KEIKAI_ATTACH_MAX=4096 KEIKAI_ATTACH_TOTAL_MAX=6000 \
	KEIKAI_ATTACH_FILES=3 KEIKAI_ATTACH_DIR="$TMP/files"
start_server
FILES=$KEIKAI_ATTACH_DIR

REPORT='{"kind":"product","lang":"en","finder":{"name":"Attach Finder","email":"attach@example.org"},"product":{"name":"Gizmo","vendor":"Acme"},"vulnerability":{"description":"overflow in the parser"},"policy_ack":true}'
printf 'GET /x HTTP/1.1\r\nHost: a\r\n\r\n' >"$TMP/poc.txt"
printf '\211PNG\r\n\032\n0000IHDR-not-a-real-image' >"$TMP/shot.png"
printf '\211PNG\r\n\032\nsecond-image' >"$TMP/shot2.png"
printf '<!doctype html><script>alert(1)</script>' >"$TMP/evil.html"
printf '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>' >"$TMP/evil.svg"
head -c 5000 /dev/zero | tr '\0' 'a' >"$TMP/big.txt"
head -c 3000 /dev/zero | tr '\0' 'b' >"$TMP/b1.txt"
head -c 3500 /dev/zero | tr '\0' 'c' >"$TMP/b2.txt"
sha() { sha256sum "$1" | cut -d' ' -f1; }

# --- API: JSON in part "report", files in "file"
api POST /api/v1/reports -F "report=$REPORT" -F "file=@$TMP/poc.txt;filename=poc.txt" \
	-F "file=@$TMP/shot.png;filename=スクリーン shot.png"
assert_eq 201 "$STATUS" "multipart report with two files"
assert_eq 2 "$(json_int files)" "two files taken"
TRK=$(json_str tracking) KEY=$(json_str key)
POC=$(sha "$TMP/poc.txt") PNG=$(sha "$TMP/shot.png")
[ -f "$FILES/$(printf %.2s "$POC")/$POC" ] && pass "stored under its SHA-256" || fail "no $FILES/../$POC"
cmp -s "$TMP/poc.txt" "$FILES/$(printf %.2s "$POC")/$POC" && pass "content stored as sent" || fail "stored content differs"
assert_eq 700 "$(stat -c %a "$FILES")" "the attachment directory is private"
api GET "/api/v1/reports/$TRK?key=$KEY"
assert_contains "$BODY" "\"sha256\":\"$POC\"" "the finder's view lists the text file"
assert_contains "$BODY" '"mime":"image/png"' "the PNG is typed by its content"
assert_contains "$BODY" '"from":"finder"' "files are the finder's"

# --- refused by type, size, count, total; nothing is stored then
for f in evil.html evil.svg; do
	api POST /api/v1/reports -F "report=$REPORT" -F "file=@$TMP/$f;filename=$f;type=text/plain"
	assert_eq 422 "$STATUS" "$f refused"
	assert_contains "$BODY" '"field":"file"' "the error names the file field ($f)"
	assert_contains "$BODY" "not an allowed type" "the error says why ($f)"
done
api POST /api/v1/reports -F "report=$REPORT" -F "file=@$TMP/big.txt"
assert_eq 413 "$STATUS" "a file over KEIKAI_ATTACH_MAX refused"
assert_contains "$BODY" "at most 4096 bytes" "the message names the per-file limit"
api POST /api/v1/reports -F "report=$REPORT" -F "file=@$TMP/b1.txt" -F "file=@$TMP/b2.txt"
assert_eq 413 "$STATUS" "files over KEIKAI_ATTACH_TOTAL_MAX together refused"
assert_contains "$BODY" "at most 6000 bytes" "the message names the total limit"
api POST /api/v1/reports -F "report=$REPORT" -F "file=@$TMP/poc.txt;filename=a" -F "file=@$TMP/poc.txt;filename=b" \
	-F "file=@$TMP/poc.txt;filename=c" -F "file=@$TMP/poc.txt;filename=d"
assert_eq 413 "$STATUS" "more than KEIKAI_ATTACH_FILES files refused"
api POST /api/v1/reports -F "report=$REPORT" -F "file=@$TMP/poc.txt;filename=../../etc/passwd"
assert_eq 201 "$STATUS" "a path in the file name keeps only its last segment"
api GET "/api/v1/reports/$(json_str tracking)?key=$(json_str key)"
assert_contains "$BODY" '"filename":"passwd"' "the stored name is the last segment"
api POST /api/v1/reports -H 'Content-Type: multipart/form-data; boundary=XyZ' --data-binary 'garbage'
assert_eq 400 "$STATUS" "malformed multipart refused"
assert_eq 0 "$(find "$FILES" -type f | xargs -r grep -l 'alert(1)' | wc -l | tr -d ' ')" "refused files never stored"

# --- the form: several files with the report
FJAR=$TMP/f.jar
api GET "/report?lang=en" -c "$FJAR" -b "$FJAR"
assert_contains "$BODY" 'enctype="multipart/form-data"' "the form sends multipart"
assert_contains "$BODY" 'type="file" name="files" id="f-files" multiple' "the form takes several files"
FCSRF=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$BODYF" | head -n 1)
formpost() {
	api POST "/report?lang=en" -c "$FJAR" -b "$FJAR" -F "csrf=$FCSRF" -F kind=product -F "finder.name=Form Finder" \
		-F "finder.email=form@example.org" -F finder.disclose=none -F "product.name=Gizmo" \
		-F "vulnerability.description=form report" "$@"
}
formpost -F "files=@$TMP/evil.html" -F policy_ack=1
assert_eq 422 "$STATUS" "the form refuses an HTML file"
assert_contains "$BODY" 'id="err-files"' "the error stands next to the file input"
assert_contains "$BODY" 'value="Form Finder"' "the typed values are kept"
formpost -F "files=@$TMP/poc.txt" -F "files=@$TMP/shot.png"
assert_eq 422 "$STATUS" "a form with files but without the policy acknowledgement"
assert_contains "$BODY" 'id="files-again"' "the form asks to choose the files again"
formpost -F "files=@$TMP/poc.txt" -F "files=@$TMP/shot.png" -F "files=@/dev/null;filename=" -F policy_ack=1
assert_eq 201 "$STATUS" "the form with two files (and an empty file input)"
FTRK=$(sed -n 's/.*id="tracking">\([^<]*\)<.*/\1/p' "$BODYF" | head -n 1)
FLINK=$(sed -n 's/.*id="secret-link" href="\([^"]*\)".*/\1/p' "$BODYF" | head -n 1 | sed 's/&amp;/\&/g')
FKEY=${FLINK#*key=}
api GET "$FLINK&lang=en"
assert_contains "$BODY" "/r/$FTRK/files/$POC?key=$FKEY" "the finder's page links their file"
assert_contains "$BODY" "shot.png" "the finder's page lists the second file"

# --- downloads by the finder: only as attachments, only their own, one 404 for the rest
api GET "/r/$TRK/files/$POC?key=$KEY"
assert_eq 200 "$STATUS" "the finder downloads their file"
cmp -s "$BODYF" "$TMP/poc.txt" && pass "the download is the file" || fail "downloaded bytes differ"
assert_eq "application/octet-stream" "$(header Content-Type)" "never typed for rendering"
assert_contains "$(header Content-Disposition)" "attachment; filename=" "served as an attachment"
assert_eq "nosniff" "$(header X-Content-Type-Options)" "nosniff"
assert_eq "no-store" "$(header Cache-Control)" "not cached"
api GET "/r/$TRK/files/$PNG?key=$KEY"
assert_contains "$(header Content-Disposition)" "filename*=UTF-8''%E3%82%B9" "a Japanese file name travels as UTF-8"
api GET "/r/$TRK/files/$POC?key=${KEY}x"
assert_eq 404 "$STATUS" "a wrong key: 404"
api GET "/r/$TRK/files/$POC"
assert_eq 404 "$STATUS" "no key: 404"
api GET "/r/$FTRK/files/$POC?key=$KEY"
assert_eq 404 "$STATUS" "the key of another report: 404"
api GET "/r/$TRK/files/0000000000000000000000000000000000000000000000000000000000000000?key=$KEY"
assert_eq 404 "$STATUS" "an unknown file: 404"
api GET "/r/$TRK/files/..%2f..%2fkeikai.db?key=$KEY"
assert_eq 404 "$STATUS" "a path instead of a hash: 404"

# --- receivers download everything; other roles never
make_token "$ADMIN_EMAIL" "$ADMIN_PASSWORD"
ADMIN_TOKEN=$TOKEN
api_json POST /api/v1/orgs '{"name":"Acme","kind":"vendor"}' -H "Authorization: Bearer $ADMIN_TOKEN"
VORG=$(json_int id)
for role in receiver vendor; do
	org=null
	[ $role = vendor ] && org=$VORG
	api_json POST /api/v1/users "{\"email\":\"$role@example.org\",\"name\":\"$role user\",\"role\":\"$role\",\"org_id\":$org,\"password\":\"password-of-$role\"}" \
		-H "Authorization: Bearer $ADMIN_TOKEN"
done
RJAR=$TMP/r.jar VJAR=$TMP/v.jar
login receiver@example.org password-of-receiver "$RJAR"
login vendor@example.org password-of-vendor "$VJAR"
api GET "/triage/$TRK?lang=en" -b "$RJAR"
assert_contains "$BODY" "/triage/$TRK/files/$POC" "the triage page links the file"
assert_contains "$BODY" 'id="attachments"' "the triage page has the file list"
api GET "/triage/$TRK/files/$POC" -b "$RJAR"
assert_eq 200 "$STATUS" "the receiver downloads"
cmp -s "$BODYF" "$TMP/poc.txt" && pass "the receiver gets the file" || fail "receiver download differs"
assert_contains "$(header Content-Disposition)" "attachment" "receiver download as an attachment"
api GET "/triage/$TRK/files/$POC" -b "$VJAR"
assert_eq 403 "$STATUS" "a vendor may not download"
assert_not_contains "$BODY" "GET /x" "no content in the refusal"
api GET "/triage/$TRK/files/$POC"
assert_eq 303 "$STATUS" "anonymous is sent to sign in"
assert_contains "$(header Location)" "/login" "to the sign-in page"
assert_not_contains "$BODY" "GET /x" "no content for anonymous"
api GET "/r/$TRK/files/$POC?key=$KEY" -b "$VJAR"
assert_eq 200 "$STATUS" "the secret link still works for whoever holds it"
# a receiver's file (from the CLI) is not the finder's
printf 'internal note\n' >"$TMP/note.txt"
KEIKAI_ATTACH_DIR=$FILES keikai report attach "$TRK" "$TMP/note.txt" >/dev/null 2>&1 || fail "keikai report attach"
NOTE=$(sha "$TMP/note.txt")
api GET "/r/$TRK/files/$NOTE?key=$KEY"
assert_eq 404 "$STATUS" "the finder cannot download the receivers' file"
api GET "/triage/$TRK/files/$NOTE" -b "$RJAR"
assert_eq 200 "$STATUS" "the receiver can"

# --- follow-ups with files: the page form and the API
api POST "/r/$TRK?lang=en" -F "key=$KEY" -F "body=here is a capture" -F "files=@$TMP/b1.txt"
assert_eq 200 "$STATUS" "the finder sends a message with a file"
assert_contains "$BODY" "/r/$TRK/files/$(sha "$TMP/b1.txt")" "the new file is listed"
api POST "/r/$TRK?lang=en" -F "key=$KEY" -F "files=@$TMP/b2.txt"
assert_eq 200 "$STATUS" "files alone"
assert_contains "$BODY" "Files sent: b2.txt" "the thread says which files came"
api POST "/r/$TRK?lang=en" -F "key=$KEY" -F "files=@$TMP/evil.svg"
assert_eq 422 "$STATUS" "an SVG follow-up refused"
assert_contains "$BODY" 'id="err-files"' "next to the file input"
api POST "/r/$TRK" -F "key=wrong" -F "files=@$TMP/poc.txt;filename=x.txt"
assert_eq 404 "$STATUS" "a wrong key cannot add files"
api POST "/api/v1/reports/$TRK/messages" -F "key=$KEY" -F "body=API follow-up" -F "file=@$TMP/shot2.png;filename=again.png"
assert_eq 201 "$STATUS" "API follow-up with a file"
assert_contains "$BODY" '"filename":"again.png"' "the API answer lists the new file"
api_json POST "/api/v1/reports/$TRK/messages" "{\"key\":\"$KEY\",\"body\":\"plain JSON follow-up\"}"
assert_eq 201 "$STATUS" "API follow-up as JSON"
assert_contains "$BODY" "plain JSON follow-up" "the thread has it"
api_json POST "/api/v1/reports/$TRK/messages" "{\"key\":\"nope\",\"body\":\"x\"}"
assert_eq 404 "$STATUS" "API follow-up with a wrong key"
api GET /api/v1/audit -H "Authorization: Bearer $ADMIN_TOKEN"
assert_contains "$BODY" "report.attach" "attachments are audited"
log=$(cat "$SERVER_LOG")
assert_not_contains "$log" "$KEY" "the secret key is never logged"
done_testing

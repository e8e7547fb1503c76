#!/bin/sh
# t3001 — the vendor directory as CSV: import (CLI, API, the page's upload), export (CLI, API, the
# page's download), a round trip that changes nothing, and bad files refused whole with every bad
# row named by line and column.
. "$(dirname "$0")/lib.sh"
start_server
KEY=$ROOT/tests/data/coord/psirt-example-vendor.asc
make_token "$ADMIN_EMAIL" "$ADMIN_PASSWORD"
ADM="Authorization: Bearer $TOKEN"

# a file with a vendor, its contacts (one with a PGP key over several lines), products; a quoted comma
{
	printf 'vendor,record,name_ja,name_en,lang,cpe_vendor,terms_agreed_at,label,email,role,phone,contact_lang,pgp_key,product_ja,product_en,cpe,purl\r\n'
	printf 'Acme,vendor,アクメ,"Acme, Inc.",en,acme,2026-04-01,,,,,,,,,,\r\n'
	printf 'Acme,contact,,,,,,PSIRT,psirt@acme.example,to,,en,"'
	cat "$KEY"
	printf '",,,,\r\n'
	printf 'Acme,contact,,,,,,,cc@acme.example,cc,+81-3-0000-0000,,,,,,\r\n'
	printf 'Acme,product,,,,,,,,,,,,ルーター,"Router ""RX""",acme:rx,\r\n'
	printf 'Beta,vendor,ベータ,,,,,,,,,,,,,,\r\n'
	printf 'Beta,product,,,,,,,,,,,,,beta-lib,,pkg:pypi/beta-lib\r\n'
} >"$TMP/in.csv"
keikai vendor import "$TMP/in.csv" >"$TMP/out" 2>&1
assert_eq 0 "$?" "keikai vendor import"
assert_contains "$(cat "$TMP/out")" "6 rows; vendors 2 created, 0 updated; 2 contacts, 2 products added; 0 unchanged" "import counts"
keikai vendor show Acme --json >"$TMP/show"
assert_contains "$(cat "$TMP/show")" '"name_en":"Acme, Inc."' "quoted comma kept"
assert_contains "$(cat "$TMP/show")" '"name_en":"Router \"RX\""' "doubled quotes read as one"
assert_contains "$(cat "$TMP/show")" '"pgp_key":true' "the multi-line key arrived"

# --- export: CLI, API and the page's download give the same file; importing it changes nothing
keikai vendor export "$TMP/out1.csv"
assert_eq 0 "$?" "keikai vendor export FILE"
api GET /api/v1/vendors/export -H "$ADM"
assert_eq 200 "$STATUS" "API export"
assert_eq "text/csv; charset=utf-8" "$(header Content-Type)" "CSV content type"
printf '%s\n' "$BODY" >"$TMP/out2.csv"
assert_eq "$(cat "$TMP/out1.csv")" "$(cat "$TMP/out2.csv")" "CLI and API exports agree"
api GET /vendors/export.csv -H "$ADM"
assert_contains "$(header Content-Disposition)" 'attachment; filename="vendors.csv"' "the page downloads a file"
assert_contains "$BODY" "-----BEGIN PGP PUBLIC KEY BLOCK-----" "the key is exported"
keikai vendor import "$TMP/out1.csv" >"$TMP/out" 2>&1
assert_contains "$(cat "$TMP/out")" "vendors 0 created, 0 updated; 0 contacts, 0 products added; 6 unchanged" "re-import changes nothing"
keikai vendor export "$TMP/out3.csv"
assert_eq "$(cat "$TMP/out1.csv")" "$(cat "$TMP/out3.csv")" "export after re-import is identical"

# --- an update through the API import
printf 'vendor,record,name_ja,name_en,lang\nBeta,vendor,ベータ,Beta Ltd,en\nBeta,contact\n' >"$TMP/bad1.csv"
api POST /api/v1/vendors/import -H "$ADM" -H 'Content-Type: text/csv' --data-binary @"$TMP/bad1.csv"
assert_eq 422 "$STATUS" "a contact row without address or phone is refused"
assert_contains "$BODY" '{"line":3,"field":"email"' "the error names line 3, column email"
printf 'vendor,record,name_ja,name_en,lang\nBeta,vendor,ベータ,Beta Ltd,en\n' >"$TMP/upd.csv"
api POST /api/v1/vendors/import -H "$ADM" -H 'Content-Type: text/csv' --data-binary @"$TMP/upd.csv"
assert_eq 200 "$STATUS" "API import"
assert_contains "$BODY" '"vendors_updated":1' "vendor updated"
api POST /api/v1/vendors/import -H "$ADM" -H 'Content-Type: application/json' --data-binary '{}'
assert_eq 415 "$STATUS" "the API import wants text/csv"

# --- bad lines: every one reported, nothing written
cat >"$TMP/bad.csv" <<'CSV'
vendor,record,email,phone,product_en,cpe,purl,lang,terms_agreed_at
Gamma,vendor,,,,,,,2026-13-01
Gamma,contact,gamma@,,,,,,
Gamma,product,,,Thing,a:b:c,,,
Nobody,product,,,Thing,,,,
Gamma,product,,,Lib,,npm,,
Gamma,fax,,,,,,,
Gamma,vendor,,,,,,de,
CSV
keikai vendor import "$TMP/bad.csv" >"$TMP/out" 2>&1
assert_eq 1 "$?" "bad file: exit 1"
out=$(cat "$TMP/out")
assert_contains "$out" "bad.csv:2: terms_agreed_at:" "line 2 terms date"
assert_contains "$out" "bad.csv:3: email:" "line 3 email"
assert_contains "$out" "bad.csv:4: cpe:" "line 4 cpe"
assert_contains "$out" "bad.csv:5: vendor: vendor 'Nobody' is not in the directory" "line 5 unknown vendor"
assert_contains "$out" "bad.csv:6: purl:" "line 6 purl"
assert_contains "$out" "bad.csv:7: record: record 'fax'" "line 7 record kind"
assert_contains "$out" "bad.csv:8: lang:" "line 8 language"
assert_contains "$out" "7 of 7 rows refused; nothing was imported" "summary"
keikai vendor show Gamma >/dev/null 2>&1
assert_eq 1 "$?" "nothing was written (Gamma is not there)"
printf 'vendor,record,colour\nX,vendor,red\n' >"$TMP/cols.csv"
keikai vendor import "$TMP/cols.csv" >"$TMP/out" 2>&1
assert_contains "$(cat "$TMP/out")" "cols.csv:1: colour: unknown column 'colour'" "unknown column named"
printf 'vendor,record\nX,"vendor\n' >"$TMP/quote.csv"
keikai vendor import "$TMP/quote.csv" >"$TMP/out" 2>&1
assert_contains "$(cat "$TMP/out")" "quote.csv:2: record: a quoted field opened on this line is never closed" "unclosed quote: its line"
printf 'vendor,record\nX,vendor\n\377\376,vendor\n' >"$TMP/bin.csv"
keikai vendor import "$TMP/bin.csv" >"$TMP/out" 2>&1
assert_contains "$(cat "$TMP/out")" "bin.csv:3: record: field 1 is not UTF-8" "not UTF-8: its line"

# --- the page: upload a file (multipart), errors listed by line
api GET /vendors -H "$ADM"
assert_contains "$BODY" 'id="vendor-import"' "the directory page has the import form"
api POST /vendors/import -H "$ADM" -F "file=@$TMP/bad.csv;type=text/csv"
assert_eq 422 "$STATUS" "page import of a bad file"
assert_contains "$BODY" "<td>3</td><td>email</td>" "the page lists line 3's email"
assert_contains "$BODY" "7 行を受け付けられませんでした（全 7 行）" "the page says nothing was imported (Japanese by default)"
printf 'vendor,record,name_en,product_en\nDelta,vendor,Delta Co,\nDelta,product,,Delta Box\n' >"$TMP/ok.csv"
api POST /vendors/import -H "$ADM" -F "file=@$TMP/ok.csv;type=text/csv"
assert_eq 303 "$STATUS" "page import of a good file redirects"
assert_eq "/vendors?done=imported" "$(header Location)" "back to the directory"
api GET "/vendors?q=Delta%20Box" -H "$ADM"
assert_contains "$BODY" ">Delta</a>" "the imported vendor is found by its product"
done_testing

#!/bin/sh
# t5003 — advisories through the API and the editor pages: a coordinator creates a draft
# (POST /api/v1/advisories), replaces it (PUT), reads the working copy (?draft=1), publishes it;
# the public reads only published ones; errors name the JSON pointer; vendors and the public may not
# edit; the editor form saves every item in Japanese and English, keeps a refused submission's values,
# and publishes or schedules at a JST time; the finder's credit comes from intake's consent only.
. "$(dirname "$0")/lib.sh"
export KEIKAI_TEST_NOW=2026-03-02T01:00:00Z
start_server --no-scheduler
DOC=$(cat "$ROOT/tests/data/advisory/y_full.json")
printf '%s\n' "$ADMIN_PASSWORD" | keikai user add --email c@example.org --name Coord --role coordinator >/dev/null 2>&1
printf '%s\n' "$ADMIN_PASSWORD" | keikai user add --email r@example.org --name Recv --role receiver >/dev/null 2>&1
keikai cve-pool add CVE-2026-60001 CVE-2026-60002 CVE-2026-60003 CVE-2026-60004 >/dev/null 2>&1
make_token c@example.org "$ADMIN_PASSWORD"
C="Authorization: Bearer $TOKEN"
make_token r@example.org "$ADMIN_PASSWORD"
R="Authorization: Bearer $TOKEN"

# --- API
api_json POST /api/v1/advisories "{\"kind\":\"JVN\",\"document\":$DOC}" -H "$C"
assert_eq 201 "$STATUS" "a coordinator creates a draft"
ID=$(json_str id)
SLUG=$(printf '%s' "$ID" | tr '#' '_')
case "$ID" in JVN#[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]) pass "JVN# identifier $ID" ;; *) fail "identifier '$ID'" ;; esac
CHECKS=$((CHECKS + 1))
assert_eq "/api/v1/advisories/$SLUG" "$(header Location)" "Location of the new advisory"
api_json POST /api/v1/advisories '{"kind":"JVN","document":{"vulnerabilities":[{"cvss40":"CVSS:4.0/AV:Q"}]}}' -H "$C"
assert_eq 400 "$STATUS" "a bad vector is refused"
assert_contains "$BODY" '"field":"/vulnerabilities/0/cvss40"' "the error names the field"
api_json POST /api/v1/advisories "{\"kind\":\"JVN\",\"document\":$DOC}" -H "$R"
assert_eq 403 "$STATUS" "a receiver may not create advisories"
api_json POST /api/v1/advisories "{\"kind\":\"JVN\",\"document\":$DOC}"
assert_eq 401 "$STATUS" "nor may the public"
api GET "/api/v1/advisories/$SLUG"
assert_eq 404 "$STATUS" "the public cannot read a draft"
api GET "/api/v1/advisories/$SLUG?draft=1"
assert_eq 401 "$STATUS" "nor ask for the working copy"
api GET "/api/v1/advisories/$SLUG?draft=1" -H "$R"
assert_eq 403 "$STATUS" "a receiver may not read drafts"
api GET "/api/v1/advisories/$SLUG?draft=1" -H "$C"
assert_eq 200 "$STATUS" "the coordinator reads the working copy"
assert_contains "$BODY" '"state":"draft"' "a draft"
EDITED=$(printf '%s' "$DOC" | sed 's/RX-100/RX-300/g')
api_json PUT "/api/v1/advisories/$SLUG" "$EDITED" -H "$C"
assert_eq 200 "$STATUS" "PUT replaces the working copy"
assert_contains "$BODY" "RX-300" "with the new text"
api GET "/api/v1/advisories?all=1" -H "$C"
assert_contains "$BODY" "$ID" "the staff list shows drafts"
api GET "/api/v1/advisories"
assert_not_contains "$BODY" "$ID" "the public list does not"
api_json POST "/api/v1/advisories/$SLUG/publish" '{"at":"2026-03-01T10:00+09:00"}' -H "$C"
assert_eq 400 "$STATUS" "scheduling in the past is refused"
api_json POST "/api/v1/advisories/$SLUG/publish" '{}' -H "$R"
assert_eq 403 "$STATUS" "a receiver may not publish"
api_json POST "/api/v1/advisories/$SLUG/publish" '{}' -H "$C"
assert_eq 200 "$STATUS" "the coordinator publishes now"
assert_contains "$BODY" '"state":"published"' "published"
api GET "/api/v1/advisories/$SLUG"
assert_eq 200 "$STATUS" "now the public reads it"
assert_not_contains "$BODY" '"state"' "without the staff fields"
assert_contains "$BODY" '"cve":"CVE-2026-60001"' "with its CVE ids"
assert_contains "$BODY" "/jvn/$SLUG/csaf" "and links to every format"
api DELETE "/api/v1/advisories/$SLUG" -H "$C"
assert_eq 409 "$STATUS" "a published advisory cannot be deleted"
assert_contains "$BODY" "only a draft" "the conflict says why"
api_json POST /api/v1/advisories '{"kind":"JVNTA"}' -H "$C"
DRAFT=$(json_str id | tr '#' '_')
api DELETE "/api/v1/advisories/$DRAFT" -H "$R"
assert_eq 403 "$STATUS" "a receiver may not delete a draft"
api DELETE "/api/v1/advisories/$DRAFT" -H "$C"
assert_eq 204 "$STATUS" "the coordinator deletes a draft"
api GET "/api/v1/advisories/$DRAFT?draft=1" -H "$C"
assert_eq 404 "$STATUS" "it is gone"

# --- the editor pages
JAR=$TMP/jar
api_json POST /api/v1/session "{\"email\":\"c@example.org\",\"password\":\"$ADMIN_PASSWORD\"}" -c "$JAR" -b "$JAR"
CSRF=$(json_str csrf)
api GET /advisories -b "$JAR"
assert_eq 200 "$STATUS" "the editor list"
assert_contains "$BODY" "$ID" "lists the advisories"
assert_contains "$BODY" "2 / 2" "and the CVE pool level (free / taken)"
api POST /advisories -b "$JAR" --data-urlencode "csrf=$CSRF" -d kind=JVNTA
assert_eq 303 "$STATUS" "create a draft from the form"
LOC=$(header Location)
case "$LOC" in /advisories/JVNTA_*) pass "redirected to its editor ($LOC)" ;; *) fail "Location '$LOC'" ;; esac
CHECKS=$((CHECKS + 1))
api GET "$LOC" -b "$JAR"
assert_eq 200 "$STATUS" "the editor page"
for f in product.ja product.en overview.ja overview.en version_check.ja description.en threat.ja fix.en workaround.ja acknowledgements.en contact.ja lists case report; do
	assert_contains "$BODY" "name=\"$f\"" "the editor has $f"
done
LISTS='{"products":[{"vendor":"Acme","product":"Widget","purl":"pkg:npm/widget","scheme":"semver","fixed":"1.2.0"}],"vulnerabilities":[{"cwe":79,"cvss31":"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"}]}'
save() {
	api POST "$LOC" -b "$JAR" --data-urlencode "csrf=$CSRF" --data-urlencode "product.ja=ウィジェット" \
		-d "product.en=Widget" --data-urlencode "vulnerability.ja=クロスサイトスクリプティング" \
		-d "vulnerability.en=cross-site scripting" --data-urlencode "overview.ja=概要 <b>x</b>" -d "overview.en=Overview" \
		--data-urlencode "version_check.ja=確認" -d "version_check.en=Check" --data-urlencode "description.ja=詳細" \
		-d "description.en=Details" --data-urlencode "threat.ja=影響" -d "threat.en=Impact" \
		--data-urlencode "fix.ja=更新" -d "fix.en=Update" --data-urlencode "contact.ja=連絡" -d "contact.en=Contact" \
		--data-urlencode "lists=$1"
}
save '{"products":[{"vendor":"Acme"}]}'
assert_eq 400 "$STATUS" "a product without a name is refused"
assert_contains "$BODY" "/products/0/product" "the error names the field"
assert_contains "$BODY" "ウィジェット" "the submitted values are kept"
save "$LISTS"
assert_eq 303 "$STATUS" "the form saves"
api GET "$LOC/preview" -b "$JAR"
assert_eq 200 "$STATUS" "preview"
assert_contains "$BODY" "ウィジェットにおけるクロスサイトスクリプティング" "the preview shows the Japanese title"
assert_not_contains "$BODY" "<b>x</b>" "HTML typed into a Markdown field is not passed through"
assert_contains "$BODY" "raw HTML omitted" "cmark (safe mode) leaves it out"
TA=${LOC#/advisories/}
api GET "/jvn/$TA"
assert_eq 404 "$STATUS" "not public before publication"
api POST "$LOC/publish" -b "$JAR" --data-urlencode "csrf=$CSRF" -d verb=schedule -d "at=2026-03-05T09:30"
assert_eq 200 "$STATUS" "schedule from the form (JST)"
assert_contains "$BODY" "2026-03-05 09:30" "the page shows the scheduled time in JST"
assert_eq "2026-03-05T00:30:00Z" "$(keikai advisory show "$TA" | grep -o '"publish_at":"[^"]*"' | cut -d'"' -f4)" "stored as 00:30 UTC"
api POST "$LOC/publish" -b "$JAR" --data-urlencode "csrf=$CSRF" -d verb=now
assert_eq 200 "$STATUS" "publish now from the form"
api GET "/jvn/$TA/en"
assert_eq 200 "$STATUS" "public after publication"
assert_contains "$BODY" "Widget: cross-site scripting" "the English page"
RJAR=$TMP/rjar
api_json POST /api/v1/session "{\"email\":\"r@example.org\",\"password\":\"$ADMIN_PASSWORD\"}" -c "$RJAR" -b "$RJAR"
api GET /advisories -b "$RJAR"
assert_eq 403 "$STATUS" "a receiver has no editor"
api GET "$LOC/preview" -b "$RJAR"
assert_eq 403 "$STATUS" "nor previews"

# --- credit only as the finder consented
cat >"$TMP/report.json" <<'J'
{"kind":"product","finder":{"name":"Hanako Yamada","email":"hanako@example.jp","disclose":"name","credit":true,"credit_name":"Hanako Y."},
 "product":{"name":"Acme Router RX-100","vendor":"Acme","version":"1.2"},
 "vulnerability":{"cwe":"CWE-79","description":"XSS","steps":"step","impact":"cookies"},"reported_to":"nobody","policy_ack":true}
J
TRK=$(keikai report submit --json "$TMP/report.json" 2>/dev/null | grep -o 'KK-[0-9-]*' | head -1)
[ -n "$TRK" ] || fail "report submit gave no tracking number"
CHECKS=$((CHECKS + 1))
printf '%s' "$DOC" | sed "s/\"case\": \"VU-2026-0001\"/\"case\": \"VU-2026-0001\", \"report\": \"$TRK\"/" >"$TMP/doc2.json"
ID2=$(keikai advisory create --kind JVNVU --json "$TMP/doc2.json")
assert_contains "$(keikai advisory credit "$ID2")" "Hanako Y." "the credit name the finder gave"
assert_not_contains "$(keikai advisory show "$ID2")" "hanako@example.jp" "never the e-mail"
assert_not_contains "$(keikai advisory show "$ID2")" "Hanako Yamada" "nor the real name"
assert_contains "$(keikai audit --limit 20)" "report.disclose" "asking intake is audited"
sed 's/"credit":true/"credit":false/; s/,"credit_name":"Hanako Y."//' "$TMP/report.json" >"$TMP/report2.json"
TRK2=$(keikai report submit --json "$TMP/report2.json" 2>/dev/null | grep -o 'KK-[0-9-]*' | head -1)
printf '%s' "$DOC" | sed "s/\"case\": \"VU-2026-0001\"/\"case\": \"VU-2026-0001\", \"report\": \"$TRK2\"/" >"$TMP/doc3.json"
ID3=$(keikai advisory create --kind JVNVU --json "$TMP/doc3.json")
assert_contains "$(keikai advisory credit "$ID3")" "wants no credit" "no credit when the finder wants none"
assert_not_contains "$(keikai advisory show "$ID3")" '"credits"' "and none is stored"
printf '%s' "$EDITED" | sed 's/"case": "VU-2026-0001"/"case": "VU-2026-0001", "credits": [{"name": "Typed In"}]/' >"$TMP/typed.json"
keikai advisory edit "$ID2" --json "$TMP/doc2.json" >/dev/null
assert_contains "$(keikai advisory show "$ID2")" "Hanako Y." "an edit keeps the consented credit"
done_testing

#!/bin/sh
# t5005 — a case from the coordination tests (case-lib.sh: one accepted report, three vendors)
# published on its date: Alpha fixes, Beta has no affected product, Gamma never answers. The advisory
# takes its vendor status table, vulnerability and report from the case, is scheduled at the case's
# date (11:00 JST), is invisible one second before and public at the instant in every format (CSAF
# validated by the independent validator), and its record is found by search.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/case-lib.sh"
ORACLE=$ROOT/tests/oracle
need_oracle
for o in $ORG_A $ORG_B $ORG_C; do
	cas POST "/api/v1/cases/$REF/vendors" "{\"vendor_id\":$o}" "$TOK_COORD"
	cas POST "/api/v1/cases/$REF/steps" "{\"step\":\"notify\",\"vendor_id\":$o}" "$TOK_COORD"
	assert_eq 200 "$STATUS" "vendor $o notified"
done
cas POST "/api/v1/cases/$REF/steps" '{"step":"acknowledge"}' "$TOK_A"
cas POST "/api/v1/cases/$REF/steps" '{"step":"request_details","accept_terms":true}' "$TOK_A"
cas POST "/api/v1/cases/$REF/steps" "{\"step\":\"send_details\",\"vendor_id\":$ORG_A}" "$TOK_COORD"
cas POST "/api/v1/cases/$REF/steps" '{"step":"verify","verification":"affected"}' "$TOK_A"
cas POST "/api/v1/cases/$REF/steps" '{"step":"report_fix","text":"RouterOS 3.3 fixes it"}' "$TOK_A"
assert_eq 200 "$STATUS" "Alpha reports its fix"
cas POST "/api/v1/cases/$REF/statements" '{"vuln":1,"status":"fixed","text_ja":"3.3 で修正しました","text_en":"Fixed in 3.3"}' "$TOK_A"
assert_eq 200 "$STATUS" "Alpha's statement"
cas POST "/api/v1/cases/$REF/steps" '{"step":"acknowledge"}' "$TOK_B"
cas POST "/api/v1/cases/$REF/steps" '{"step":"no_affected_product"}' "$TOK_B"
cas POST "/api/v1/cases/$REF/statements" '{"vuln":1,"status":"not_affected","text_en":"Beta products do not use the code"}' "$TOK_B"
assert_eq 200 "$STATUS" "Beta's statement"

cat >"$TMP/doc.json" <<'J'
{"product":{"ja":"RouterOS","en":"RouterOS"},"vulnerability":{"ja":"OS コマンドインジェクション","en":"OS command injection"},
 "overview":{"ja":"RouterOS に OS コマンドインジェクションの脆弱性があります。","en":"RouterOS contains an OS command injection vulnerability."},
 "version_check":{"ja":"管理画面で確認できます。","en":"The version is shown in the web console."},
 "description":{"ja":"ping ページに OS コマンドインジェクションがあります。","en":"The ping page is vulnerable to OS command injection."},
 "threat":{"ja":"任意のコマンドが実行される可能性があります。","en":"An attacker may execute arbitrary commands."},
 "fix":{"ja":"3.3 にアップデートしてください。","en":"Update to 3.3."},
 "contact":{"ja":"JPCERT/CC","en":"JPCERT/CC"},
 "products":[{"vendor":"Alpha Soft","product":"RouterOS","scheme":"semver","introduced":"3.0.0","fixed":"3.3.0"},
             {"vendor":"Beta Systems","product":"BetaGate","scheme":"generic"}]}
J
ID=$(keikai advisory create --kind JVN --json "$TMP/doc.json")
SLUG=$(printf '%s' "$ID" | tr '#' '_')
OUT=$(keikai advisory from-case "$ID" "$REF")
assert_eq 0 $? "the advisory is filled from case $REF"
assert_contains "$OUT" "2027-03-01 11:00 JST" "the case's date is shown in JST"
SHOW=$(keikai advisory show "$ID")
assert_contains "$SHOW" '"vendor":"Alpha Soft","status":"fixed"' "Alpha: fixed"
assert_contains "$SHOW" '"en":"Fixed in 3.3"' "with its statement as the remark"
assert_contains "$SHOW" '"vendor":"Beta Systems","status":"not_affected"' "Beta: not affected"
assert_contains "$SHOW" '"vendor":"Gamma Silent","status":"no_response"' "Gamma: no response"
assert_contains "$SHOW" '"cwe":78' "the case's vulnerability (CWE-78)"
assert_contains "$SHOW" "\"report\":\"$TRACKING\"" "the case's report"
assert_contains "$SHOW" "\"case\":\"$REF\"" "the case reference"
keikai advisory from-case "$ID" KKC-2027-9999 >/dev/null 2>"$TMP/err"
assert_eq 1 $? "an unknown case is refused"
assert_contains "$(cat "$TMP/err")" "KKC-2027-9999" "naming it"

keikai cve-pool add CVE-2027-11111 >/dev/null 2>&1
keikai advisory schedule "$ID" --at 2027-03-01T11:00+09:00 >/dev/null
assert_eq 0 $? "scheduled at the case's date"
stop_server
KEIKAI_TEST_NOW=2027-03-01T01:59:59Z keikai tick --at 2027-03-01T01:59:59Z >"$TMP/tick" 2>&1
assert_contains "$(KEIKAI_TEST_NOW=2027-03-01T01:59:59Z keikai advisory show "$ID")" '"state":"scheduled"' "a second before the scheduler leaves it scheduled"
KEIKAI_TEST_NOW=2027-03-01T01:59:59Z start_server_only --no-scheduler
for u in "/jvn/$SLUG" "/jvn/$SLUG/csaf" "/api/v1/advisories/$SLUG" "/api/v1/vulns/CVE-2027-11111"; do
	api GET "$u"
	assert_eq 404 "$STATUS" "GET $u a second before"
done
api GET "/api/v1/vulns?q=RouterOS"
assert_not_contains "$BODY" "$ID" "search does not know it"
stop_server
KEIKAI_TEST_NOW=2027-03-01T02:00:00Z keikai tick --at 2027-03-01T02:00:00Z >"$TMP/tick" 2>&1
assert_contains "$(cat "$TMP/tick")" "ran, 0 to retry, 0 failed" "the scheduler ran without failures"
assert_contains "$(KEIKAI_TEST_NOW=2027-03-01T02:00:00Z keikai advisory show "$ID")" '"state":"published"' "and published it at the instant"
keikai mail list --json >"$TMP/mails" 2>/dev/null
assert_contains "$(cat "$TMP/mails")" '"to":"psirt@alpha.example"' "the case's vendors are told through the case"
assert_eq 1 "$(keikai case messages "$REF" 2>/dev/null | grep -c "$SLUG")" "one message to all vendors names the advisory"
KEIKAI_TEST_NOW=2027-03-01T02:00:00Z start_server_only --no-scheduler
api GET "/jvn/$SLUG"
assert_eq 200 "$STATUS" "public at 11:00 JST"
assert_contains "$BODY" "該当製品なし" "the vendor table: not affected (ja)"
assert_contains "$BODY" "未回答" "no response (ja)"
api GET "/jvn/$SLUG/en"
assert_contains "$BODY" "Fixed in 3.3" "Alpha's remark (en)"
curl -s "$BASE/jvn/$SLUG/csaf" >"$TMP/csaf.json"
assert_contains "$(cat "$TMP/csaf.json")" '"known_not_affected":["CSAFPID-0002"]' "CSAF: Beta's product not affected"
assert_contains "$(cat "$TMP/csaf.json")" '"fixed":["CSAFPID-0001-FIXED"]' "CSAF: Alpha's fixed version"
(cd "$ORACLE" && node csaf-validate.mjs "$TMP/csaf.json") >"$TMP/oracle" 2>&1
assert_eq 0 $? "the CSAF document passes the independent validator: $(head -3 "$TMP/oracle")"
api GET "/api/v1/vulns?q=CVE-2027-11111"
assert_contains "$BODY" '"total":1' "search finds its record"
done_testing

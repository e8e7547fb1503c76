#!/bin/sh
# t1012 — CISA KEV (../shared/data/cisa-kev): `keikai import` of the JSON
# catalog and of the CSV (detected, idempotent), the entries on the detail
# API and page, and kev=1 in the API, the form and `keikai search --kev`.
. "$(dirname "$0")/lib.sh"
SHARED=${KEIKAI_SHARED:-$ROOT/../shared}
KEV=$SHARED/data/cisa-kev
start_server
sql() { sqlite3 "$DB" "$1"; }
mkdir "$TMP/in"
cp tests/data/import/y_*.json tests/data/import/y_*.jsonl "$TMP/in/"
rm -f "$TMP/in"/y_jvn-products* "$TMP/in"/y_kev*
keikai import "$TMP/in" >/dev/null 2>&1
n=$(jq '.vulnerabilities | length' "$KEV/known_exploited_vulnerabilities.json")
keikai import "$KEV/known_exploited_vulnerabilities.json" >"$TMP/o" 2>&1
assert_contains "$(cat "$TMP/o")" "$n added" "the JSON catalog: $n entries"
assert_eq "$n" "$(sql "SELECT count(*) FROM vuln_kev")" "one row per CVE"
keikai import "$KEV/known_exploited_vulnerabilities.csv" >"$TMP/o" 2>&1
assert_contains "$(cat "$TMP/o")" "0 added, 0 merged into existing records, 0 updated, $n unchanged" "the CSV says the same: nothing changes"
keikai import --format kev "$KEV/known_exploited_vulnerabilities.json" >"$TMP/o" 2>&1
assert_contains "$(cat "$TMP/o")" "$n unchanged" "--format kev"
# a changed entry is an update
jq '(.vulnerabilities[] | select(.cveID == "CVE-2021-44228") | .dueDate) = "2021-12-31"' "$KEV/known_exploited_vulnerabilities.json" >"$TMP/kev2.json"
keikai import "$TMP/kev2.json" >"$TMP/o" 2>&1
assert_contains "$(cat "$TMP/o")" "1 updated" "a changed due date updates one entry"
keikai import "$KEV/known_exploited_vulnerabilities.json" >/dev/null 2>&1
# a broken CSV row is named by its line
{ head -n 1 "$KEV/known_exploited_vulnerabilities.csv"; echo 'CVE-2099-0001,x,y,z,not-a-date,a,b,2099-01-01,Unknown,,'; } >"$TMP/bad.csv"
keikai import "$TMP/bad.csv" >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 3 "$rc" "bad row: exit 3"
assert_contains "$(cat "$TMP/e")" "$TMP/bad.csv: CVE-2099-0001: dateAdded: dateAdded must be a date YYYY-MM-DD" "bad row: file, id, column"

api GET "/api/v1/vulns/CVE-2021-44228"
assert_eq "2021-12-10 2021-12-24 Known" "$(printf '%s' "$BODY" | jq -r '.kev[0] | "\(.date_added) \(.due_date) \(.known_ransomware_campaign_use)"')" "detail: dateAdded, dueDate, ransomware use"
api GET "/api/v1/vulns/GO-2020-0001"
assert_eq "0" "$(printf '%s' "$BODY" | jq '.kev | length')" "a record not in KEV has none"
want=$(sql "SELECT group_concat(jvndb, ' ') FROM (SELECT DISTINCT v.jvndb FROM vuln v JOIN vuln_alias a ON a.vuln_id = v.id JOIN vuln_kev k ON k.cve = a.alias ORDER BY 1)")
[ -n "$want" ] || fail "the corpus has KEV-listed records"
api GET "/api/v1/vulns?kev=1&limit=1000"
assert_eq "$want" "$(printf '%s' "$BODY" | jq -r '[.items[].id] | sort | join(" ")')" "kev=1: the records whose CVE is listed"
api GET "/api/v1/vulns?kev=maybe"
assert_eq "400 kev" "$STATUS $(printf '%s' "$BODY" | jq -r .error.field)" "kev takes 1 or 0"
api GET "/vulns/CVE-2021-44228?lang=ja"
assert_contains "$BODY" "悪用が確認された脆弱性 (CISA KEV)" "detail page: the KEV section in Japanese"
assert_contains "$BODY" "2021-12-24" "detail page: the due date"
api GET "/vulns?lang=en&kev=1"
assert_contains "$BODY" 'name="kev" value="1" checked' "the form's KEV box is ticked"
out=$(keikai search --json --kev --limit 1000 "")
assert_eq "$want" "$(printf '%s' "$out" | jq -r '[.items[].id] | sort | join(" ")')" "keikai search --kev"
done_testing

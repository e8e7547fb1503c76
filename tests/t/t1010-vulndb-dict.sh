#!/bin/sh
# t1010 — the vendor/product dictionary: `keikai import` of the real MyJVN
# product dictionary (a slice of ../shared/data/jvn-product-dictionary with
# its one bad line), names in Japanese and English merged per CPE vendor,
# idempotent re-import, GET /api/v1/vulndb/vendors[/{id}[/products]] and
# /api/v1/vulndb/products, and search's vendor=/product= answering from it.
. "$(dirname "$0")/lib.sh"
SHARED=${KEIKAI_SHARED:-$ROOT/../shared}
start_server
sql() { sqlite3 "$DB" "$1"; }
DICT=$SHARED/data/jvn-product-dictionary/jvn_product_dictionary.jsonl.gz
f=$TMP/dict.jsonl
# the first 2000 lines, the two MyJVN vendors of cpe:/:microsoft, Apache, and line 28503 (a space in its pcpe)
zcat "$DICT" | awk 'NR <= 2000 || /"vid":"(2|9953|8)",/ || NR == 28503' >"$f"
bad=$(grep -n 'emerson: roc800_firmware' "$f" | cut -d: -f1)
keikai import "$f" >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 3 "$rc" "finished with one skipped line: exit 3"
assert_contains "$(cat "$TMP/e")" "$f: #$bad: /pcpe: 'cpe:/o:emerson: roc800_firmware' is not a CPE 2.2 product" "bad line named by file, line, field"
good=$(($(wc -l <"$f") - 1))
assert_contains "$(cat "$TMP/o")" "$good records" "every good line counted"
assert_contains "$(cat "$TMP/o")" "1 skipped" "one skipped"
# one vendor per MyJVN vendor, one product per CPE vendor:product (as the lines say)
assert_eq "$(grep -v emerson "$f" | jq -r .vid | sort -u | wc -l)" "$(sql "SELECT count(*) FROM vuln_vendor")" "vendors = distinct vid"
assert_eq "$(grep -v emerson "$f" | jq -r '.pcpe | ascii_downcase | split(":") | .[2:4] | join(":")' | sort -u | wc -l)" \
	"$(sql "SELECT count(*) FROM vuln_product")" "products = distinct vendor:product"
assert_eq "$(grep -v emerson "$f" | jq -r .pid | sort -u | wc -l)" "$(sql "SELECT count(*) FROM vuln_product_jvn")" "every MyJVN product id kept"
keikai import "$f" >"$TMP/o" 2>/dev/null
assert_contains "$(cat "$TMP/o")" "0 added, 0 merged into existing records, 0 updated, $good unchanged" "re-import changes nothing"

api GET "/api/v1/vulndb/vendors?keyword=%E3%83%9E%E3%82%A4%E3%82%AF%E3%83%AD%E3%82%BD%E3%83%95%E3%83%88"
assert_eq 200 "$STATUS" "vendors answers"
assert_eq "2 マイクロソフト microsoft" "$(printf '%s' "$BODY" | jq -r '.items[] | select(.jvn_vid == 2) | "\(.jvn_vid) \(.name_ja) \(.cpe_vendor)"')" "keyword マイクロソフト finds MyJVN vendor 2"
api GET "/api/v1/vulndb/vendors?cpe=microsoft"
assert_eq "2 9953" "$(printf '%s' "$BODY" | jq -r '[.items[].jvn_vid] | sort | join(" ")')" "two MyJVN vendors share cpe:/:microsoft"
assert_eq "Outlook.com" "$(printf '%s' "$BODY" | jq -r '.items[] | select(.jvn_vid == 9953) | .name_en')" "an ASCII name is the English name"
api GET "/api/v1/vulndb/vendors?prefix=OUTLOOK"
assert_eq "9953" "$(printf '%s' "$BODY" | jq -r '[.items[].jvn_vid] | join(" ")')" "prefix, case-folded"
api GET "/api/v1/vulndb/vendors?limit=2&offset=2"
assert_eq "2 $(sql "SELECT count(*) FROM vuln_vendor")" "$(printf '%s' "$BODY" | jq -r '"\(.items | length) \(.total)"')" "paging and total"
MS=$(sql "SELECT id FROM vuln_vendor WHERE jvn_vid = 2")
api GET "/api/v1/vulndb/vendors/$MS/products?keyword=edge&limit=1000"
assert_contains "$(printf '%s' "$BODY" | jq -r '.items[] | "\(.jvn_pid) \(.cpe_vendor):\(.cpe_product) \(.name_en)"')" "24614 microsoft:edge Microsoft Edge" "products of a vendor"
assert_eq "$(grep '"vid":"2",' "$f" | grep -ci edge)" "$(printf '%s' "$BODY" | jq .total)" "every Edge product of vendor 2"
api GET "/api/v1/vulndb/vendors/$MS"
assert_eq "マイクロソフト $(grep -c '"vid":"2",' "$f")" "$(printf '%s' "$BODY" | jq -r '"\(.name_ja) \(.products)"')" "one vendor with its product count"
api GET "/api/v1/vulndb/products?cpe=cpe:/a:microsoft:edge"
assert_eq "1 24614 マイクロソフト" "$(printf '%s' "$BODY" | jq -r '"\(.total) \(.items[0].jvn_pid) \(.items[0].vendor_name_ja)"')" "product by CPE"
api GET "/api/v1/vulndb/vendors?limit=5000"
assert_eq "400 limit" "$STATUS $(printf '%s' "$BODY" | jq -r .error.field)" "limit out of range"
api GET "/api/v1/vulndb/vendors/999999"
assert_eq 404 "$STATUS" "unknown vendor"

# the same from the command line
out=$(keikai vulndb vendors --keyword マイクロソフト --json)
assert_eq "2 マイクロソフト" "$(printf '%s' "$out" | jq -r '.items[] | select(.jvn_vid == 2) | "\(.jvn_vid) \(.name_ja)"')" "keikai vulndb vendors --keyword"
out=$(keikai vulndb products --cpe microsoft:edge --json)
assert_eq "1 24614" "$(printf '%s' "$out" | jq -r '"\(.total) \(.items[0].jvn_pid)"')" "keikai vulndb products --cpe"
out=$(keikai vulndb products --vendor "$MS" --limit 1000 2>/dev/null | wc -l | tr -d ' ')
assert_eq "$(grep -c '"vid":"2",' "$f")" "$out" "keikai vulndb products --vendor: one line per product"
keikai vulndb vendors --limit 0 >/dev/null 2>&1; rc=$?
assert_eq 2 "$rc" "a bad --limit is a usage error"

# records join the dictionary: search by the vendor's English name and by its CPE value
keikai import tests/data/import/y_nvd_api2_log4shell.json >/dev/null 2>&1
LOG4J=$(sql "SELECT v.jvndb FROM vuln v JOIN vuln_alias a ON a.vuln_id = v.id WHERE a.alias = 'CVE-2021-44228'")
api GET "/api/v1/vulns?vendor=Apache%20Software%20Foundation&product=log4j"
assert_eq "$LOG4J" "$(printf '%s' "$BODY" | jq -r '[.items[].id] | join(" ")')" "vendor= by English name"
api GET "/api/v1/vulns?vendor=apache&product=Apache%20Log4j"
assert_eq "$LOG4J" "$(printf '%s' "$BODY" | jq -r '[.items[].id] | join(" ")')" "product= by the dictionary's product name"
assert_eq "$(sql "SELECT count(*) FROM vuln_product WHERE cpe_vendor = 'apache' AND cpe_product = 'log4j'")" 1 "the record's product is the dictionary's"
out=$(keikai search --json --vendor "Apache Software Foundation" "")
assert_eq "$LOG4J" "$(printf '%s' "$out" | jq -r '[.items[].id] | join(" ")')" "keikai search --vendor"
done_testing

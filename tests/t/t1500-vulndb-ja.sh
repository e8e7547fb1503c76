#!/bin/sh
# t1500 — every record in Japanese (issue 17): on real records (a third of the NVD 2017 feed), records without Japanese text
# get composed Japanese texts in the API (marked composed: true, never in the CVE 5 / OSV exports,
# gone once a real JVN text arrives), and Japanese vulnerability-type queries find at least 90 % of
# what the English phrase or the CWE filter finds (the glossary, src/vulndb/glossary.tsv).
. "$(dirname "$0")/lib.sh"
SHARED=${KEIKAI_SHARED:-$ROOT/../shared}
start_server
mkdir "$TMP/in"
# every third record of the NVD 2017 feed (and the two looked at below): real records, a test's time
python3 - "$SHARED/data/nvd-json-1.1-feeds/nvdcve-1.1-2017.json.gz" "$TMP/in/nvd-2017-third.json" <<'PY'
import gzip, json, sys
d = json.load(gzip.open(sys.argv[1]))
keep = ("CVE-2017-5638", "CVE-2017-14937")
d["CVE_Items"] = [it for i, it in enumerate(d["CVE_Items"])
                  if i % 3 == 0 or it["cve"]["CVE_data_meta"]["ID"] in keep]
d["CVE_data_numberOfCVEs"] = str(len(d["CVE_Items"]))
json.dump(d, open(sys.argv[2], "w"))
PY
keikai import "$TMP/in" >"$TMP/imp" 2>&1
assert_contains "$(cat "$TMP/imp")" "added" "a third of the NVD 2017 feed is imported"
total() { keikai search --json --limit 1 "$@" 2>/dev/null | jq -r .total; }
# recall: Japanese query >= 90 % of the English phrase and of the CWE filter; printed for the record
check() { # JA EN CWE
	ja=$(total "$1") en=$(total "\"$2\"") cw=$(total --cwe "$3")
	printf '# %s %s, "%s" %s, cwe=%s %s\n' "$1" "$ja" "$2" "$en" "$3" "$cw"
	[ "$en" -gt 0 ] || fail "$2 finds nothing"
	[ $((ja * 10)) -ge $((en * 9)) ] && pass "$1: $ja >= 90 % of \"$2\" ($en)" || fail "$1: $ja < 90 % of \"$2\" ($en)"
	[ $((ja * 10)) -ge $((cw * 9)) ] && pass "$1: $ja >= 90 % of cwe=$3 ($cw)" || fail "$1: $ja < 90 % of cwe=$3 ($cw)"
}
check クロスサイトスクリプティング "cross-site scripting" 79
check クロスサイト・スクリプティング "cross-site scripting" 79
check SQLインジェクション "sql injection" 89
check バッファ・オーバーフロー "buffer overflow" 120
check バッファオーバーフロー "buffer overflow" 120
check クロスサイトリクエストフォージェリ "cross-site request forgery" 352
check パストラバーサル "directory traversal" 22
check 解放済みメモリの使用 "use after free" 416
assert_eq "$(total xss)" "$(total クロスサイトスクリプティング)" "XSS = クロスサイトスクリプティング"
assert_eq "$(total CSRF)" "$(total クロスサイトリクエストフォージェリ)" "CSRF = クロスサイトリクエストフォージェリ"
# a Japanese query through the API, ranked: a record whose English text names XSS is among the first
api GET "/api/v1/vulns?q=%E3%82%AF%E3%83%AD%E3%82%B9%E3%82%B5%E3%82%A4%E3%83%88%E3%82%B9%E3%82%AF%E3%83%AA%E3%83%97%E3%83%86%E3%82%A3%E3%83%B3%E3%82%B0&sort=relevance&limit=5"
assert_eq "$STATUS" "200" "API search in Japanese"
assert_contains "$(printf '%s' "$BODY" | jq -r '.items[0].title' | tr 'A-Z' 'a-z')" "cross" "the first hit's own text says cross-site scripting"
# composed Japanese texts: Apache Struts CVE-2017-5638
api GET /api/v1/vulns/CVE-2017-5638
assert_eq "$STATUS" "200" "the record"
t=$(printf '%s' "$BODY" | jq -r '.texts_composed.ja.title.text')
assert_contains "$t" "における" "a composed title in JVN iPedia's form ($t)"
assert_contains "$t" "の脆弱性" "the composed title ends like iPedia's"
assert_eq "$(printf '%s' "$BODY" | jq -r '[.texts_composed.ja[] | .composed] | all')" "true" "every composed text says composed: true"
imp=$(printf '%s' "$BODY" | jq -r '.texts_composed.ja.impact.text')
assert_contains "$imp" "リモートの第三者によって" "impact: the attack vector ($imp)"
assert_contains "$imp" "情報を取得される" "impact: confidentiality"
assert_contains "$imp" "サービス運用妨害 (DoS) 状態にされる" "impact: availability"
assert_contains "$(printf '%s' "$BODY" | jq -r '.texts_composed.ja.solution.text')" "対策" "a countermeasure"
assert_eq "$(printf '%s' "$BODY" | jq -r '.texts.ja // "none"')" "none" "no composed text among the record's own texts"
# the Japanese page shows the composed texts with a note; the English page the originals
api GET "/vulns/CVE-2017-5638?lang=ja"
assert_contains "$BODY" 'id="composed"' "ja page: the note that the text is composed"
assert_contains "$BODY" "$t" "ja page: the composed title"
assert_contains "$BODY" "想定される影響" "ja page: the impact heading" 
api GET "/vulns/CVE-2017-5638?lang=en"
assert_not_contains "$BODY" "における" "en page: no composed text"
assert_contains "$BODY" "Jakarta Multipart parser" "en page: NVD's own description"
# never exported as written by a person
keikai export --format cve5 --cpe cpe:2.3:a:apache:struts -o "$TMP/c5.jsonl" >/dev/null 2>&1
assert_contains "$(cat "$TMP/c5.jsonl")" "CVE-2017-5638" "CVE 5 export: Struts records"
assert_not_contains "$(cat "$TMP/c5.jsonl")" "における" "CVE 5 export: no composed title"
keikai export --format osv --cpe cpe:2.3:a:apache:struts -o "$TMP/osv.jsonl" >/dev/null 2>&1
assert_contains "$(cat "$TMP/osv.jsonl")" "CVE-2017-5638" "OSV export: Struts records"
assert_not_contains "$(cat "$TMP/osv.jsonl")" "における" "OSV export: no composed title"
# a real Japanese text replaces the composed one
api GET /api/v1/vulns/CVE-2017-14937
assert_contains "$(printf '%s' "$BODY" | jq -r '.texts_composed.ja.title.text')" "脆弱性" "before JVN: composed"
cp tests/data/import/y_jvn-vuldef-2017-009608.xml "$TMP/jvn.xml"
keikai import "$TMP/jvn.xml" >/dev/null 2>&1
api GET /api/v1/vulns/CVE-2017-14937
assert_eq "$(printf '%s' "$BODY" | jq -r '.texts_composed // "none"')" "none" "after JVN: nothing composed"
assert_contains "$(printf '%s' "$BODY" | jq -r '.texts.ja.title[0]')" "脆弱性" "after JVN: JVN's own title"
stop_server
done_testing

#!/bin/sh
# A report's "same product" suggestions from the vulnerability database ask
# the one product rule (vulndb/affected.h kk_affect_match_names), not SQL of
# their own: a crate named by its package name (RustSec records carry no CPE)
# is found as the product filters find it, every row kind counts, and the
# newest 20 records come back, newest first (issue 14).
. "$(dirname "$0")/lib.sh"
D=${KEIKAI_SHARED:-$ROOT/../shared}/data
export KEIKAI_MAILDIR="$TMP/mail"
sql() { sqlite3 "$DB" "$1"; }
submit() { # product vendor -> tracking number
	printf '{"kind":"product","finder":{"name":"Ada","email":"ada@example.org","disclose":"none"},"product":{"name":"%s"%s},"vulnerability":{"cwe":"CWE-79","description":"stored XSS"},"policy_ack":true}' \
		"$1" "${2:+,\"vendor\":\"$2\"}" | keikai report submit --json - 2>&1 | sed -n 's/^tracking number: //p'
}
sugg() { keikai report show "$1" 2>/dev/null | jq -r '[.suggestions[] | select(.source == "vulndb") | .id] | join(" ")'; }

keikai init >/dev/null || { echo "init failed"; exit 1; }
xz -dc "$D/osv-rustsec/rustsec_osv.jsonl.xz" | head -n 40 >"$TMP/rs.jsonl"
zcat "$D/nvd-json-1.1-feeds/nvdcve-1.1-2017.json.gz" |
	jq -c '.CVE_Items[] | select([.. | .cpe23Uri? // empty | test(":wordpress:wordpress:")] | any)' >"$TMP/wp.jsonl"
keikai import "$TMP/rs.jsonl" "$TMP/wp.jsonl" >"$TMP/imp" 2>&1
assert_contains "$(cat "$TMP/imp")" " 0 skipped;" "RustSec and NVD WordPress records import"

# --- a crate by its package name: records without any CPE ---
want=$(sql "SELECT group_concat(jvndb, ' ') FROM (SELECT v.jvndb FROM vuln v JOIN vuln_pkg p ON p.vuln_id = v.id
	WHERE p.name = 'hyper' GROUP BY v.id ORDER BY v.published DESC, v.id)")
assert_eq 1 "$([ -n "$want" ] && echo 1)" "the sample has hyper records ($want)"
T=$(submit hyper)
assert_contains "$T" "KK-" "a report on the crate hyper"
got=$(sugg "$T")
assert_eq "$(printf '%s\n' $want | sort | tr '\n' ' ')" "$(printf '%s\n' $got | sort | tr '\n' ' ')" "its same-product suggestions are the hyper records"
keikai report show "$T" 2>/dev/null | jq -c '.suggestions[] | select(.source == "vulndb")' | head -n 1 >"$TMP/one"
assert_contains "$(cat "$TMP/one")" '"why":"same product"' "named as the same product"

# --- the newest 20 of a product with more, newest first, by the product rule ---
n=$(sql "SELECT count(DISTINCT vuln_id) FROM vuln_cpe WHERE vendor = 'wordpress' AND product = 'wordpress'")
assert_eq 1 "$([ "$n" -gt 20 ] && echo 1)" "WordPress has more than 20 records ($n)"
T2=$(submit WordPress WordPress)
top=$(sql "SELECT group_concat(jvndb, ' ') FROM (SELECT jvndb FROM vuln WHERE id IN (SELECT vuln_id FROM vuln_affect a
	JOIN vuln_product p ON p.id = a.product_id WHERE p.cpe_vendor = 'wordpress' AND p.cpe_product = 'wordpress'
	UNION SELECT vuln_id FROM vuln_affect_exact a JOIN vuln_product p ON p.id = a.product_id
	WHERE p.cpe_vendor = 'wordpress' AND p.cpe_product = 'wordpress') ORDER BY published DESC LIMIT 20)")
got=$(sugg "$T2")
assert_eq "$(printf '%s\n' $top | sort | tr '\n' ' ')" "$(printf '%s\n' $got | sort | tr '\n' ' ')" "the newest 20 WordPress records"
pub=$(for id in $got; do sql "SELECT published FROM vuln WHERE jvndb = '$id'"; done)
assert_eq "$(printf '%s\n' $pub | sort -rn | tr '\n' ' ')" "$(printf '%s\n' $pub | tr '\n' ' ')" "newest first"
done_testing

#!/bin/sh
# bench/65-vulndb-dict.sh [BUILD] — the vendor/product dictionary and the
# cpe= filter on real data: times `keikai import` of the whole MyJVN product
# dictionary (76,809 lines) and of NVD JSON 1.1 feeds 2015-2018 into a fresh
# database, then the 30 products with the most affected rows, each asked
# with a version taken from its own rows (b-vulndb-cpe: lookup alone and the
# whole search, 21 runs each), beside the sqlite3 CLI reading the same
# product's rows (the lower bound). BUILD needs keikai and b-vulndb-cpe.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$ROOT/build}
DATA=${KEIKAI_SHARED:-$ROOT/../shared}/data
FEEDS=$DATA/nvd-json-1.1-feeds
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
DB=${BENCH_DB:-$TMP/b.db} # BENCH_DB=FILE keeps the database (an existing one skips the imports)
K="$B/keikai --db $DB"
if [ ! -s "$DB" ]; then
$K init >/dev/null 2>&1
t0=$(date +%s.%N)
$K import "$DATA/jvn-product-dictionary/jvn_product_dictionary.jsonl.gz" >"$TMP/dict.out" 2>/dev/null || true
t1=$(date +%s.%N)
echo "dictionary: $(echo "$t1 - $t0" | bc) s; $(tail -n 2 "$TMP/dict.out" | head -n 1)"
echo "vendors $(sqlite3 "$DB" 'SELECT count(*) FROM vuln_vendor'), products $(sqlite3 "$DB" 'SELECT count(*) FROM vuln_product'), MyJVN product ids $(sqlite3 "$DB" 'SELECT count(*) FROM vuln_product_jvn')"
t0=$(date +%s.%N)
$K import "$FEEDS"/nvdcve-1.1-2015.json.gz "$FEEDS"/nvdcve-1.1-2016.json.gz "$FEEDS"/nvdcve-1.1-2017.json.gz \
	"$FEEDS"/nvdcve-1.1-2018.json.gz >"$TMP/nvd.out" 2>/dev/null || true
t1=$(date +%s.%N)
echo "NVD 2015-2018: $(echo "$t1 - $t0" | bc) s; $(head -n 1 "$TMP/nvd.out")"
fi
echo "records $(sqlite3 "$DB" 'SELECT count(*) FROM vuln'), vuln_affect rows $(sqlite3 "$DB" 'SELECT count(*) FROM vuln_affect'), products now $(sqlite3 "$DB" 'SELECT count(*) FROM vuln_product')"
# the 30 products with most rows; version: the lower bound or exact version of their newest record's row
sqlite3 -separator ' ' "$DB" "SELECT p.cpe_vendor, p.cpe_product, coalesce(p.part, 'a'), coalesce((SELECT version FROM vuln_affect_exact e WHERE e.product_id = p.id AND version NOT IN ('*', '-') ORDER BY vuln_id DESC LIMIT 1), (SELECT lo FROM vuln_affect a WHERE a.product_id = p.id AND lo IS NOT NULL ORDER BY vuln_id DESC LIMIT 1)) FROM (SELECT product_id, sum(n) AS n FROM (SELECT product_id, count(*) AS n FROM vuln_affect GROUP BY 1 UNION ALL SELECT product_id, count(*) FROM vuln_affect_exact GROUP BY 1) GROUP BY 1 ORDER BY 2 DESC LIMIT 30) t JOIN vuln_product p ON p.id = t.product_id" |
	while read -r v p part ver; do
		[ -n "$ver" ] && echo "cpe:2.3:$part:$v:$p:$ver:*:*:*:*:*:*:*"
	done >"$TMP/names"
"$B/bench/b-vulndb-cpe" "$DB" 21 <"$TMP/names"
# the lower bound: the sqlite3 CLI reading the biggest product's rows for one version (exact rows by
# index, every range row's bounds), i.e. the same rows kk_affect_match_cpe reads, without deciding them
top=$(head -n 1 "$TMP/names")
v=$(echo "$top" | cut -d: -f4) p=$(echo "$top" | cut -d: -f5) ver=$(echo "$top" | cut -d: -f6)
echo
echo "sqlite3 CLI lower bound for \`$top\` (5 runs, seconds):"
for _ in 1 2 3 4 5; do
	printf ".timer on\nSELECT (SELECT count(*) FROM vuln_affect_exact WHERE product_id = p.id AND version IN ('%s', '*')), (SELECT sum(length(coalesce(lo, '')) + length(coalesce(hi, ''))) FROM vuln_affect WHERE product_id = p.id) FROM vuln_product p WHERE cpe_vendor = '%s' AND cpe_product = '%s';\n" \
		"$ver" "$v" "$p" | sqlite3 "$DB" | grep -o 'real [0-9.]*'
done

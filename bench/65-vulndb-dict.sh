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
sqlite3 -separator ' ' "$DB" "SELECT p.cpe_vendor, p.cpe_product, coalesce(p.part, 'a'), (SELECT coalesce(a2.lo, a2.version) FROM vuln_affect a2 WHERE a2.product_id = p.id AND coalesce(a2.lo, a2.version) NOT IN ('*', '-') ORDER BY a2.vuln_id DESC LIMIT 1) FROM (SELECT product_id, count(*) AS n FROM vuln_affect GROUP BY product_id ORDER BY n DESC LIMIT 30) t JOIN vuln_product p ON p.id = t.product_id" |
	while read -r v p part ver; do
		[ -n "$ver" ] && echo "cpe:2.3:$part:$v:$p:$ver:*:*:*:*:*:*:*"
	done >"$TMP/names"
"$B/bench/b-vulndb-cpe" "$DB" 21 <"$TMP/names"
# the lower bound: sqlite3 reading the biggest product's rows
top=$(head -n 1 "$TMP/names" | cut -d: -f4,5)
echo
echo "sqlite3 CLI, rows of ${top} (vendor/product lookup + every row's columns), 5 runs:"
for _ in 1 2 3 4 5; do
	sqlite3 "$DB" ".timer on" "SELECT count(*), sum(length(coalesce(lo,'')) + length(coalesce(hi,'')) + length(coalesce(version,''))) FROM vuln_affect WHERE product_id = (SELECT id FROM vuln_product WHERE cpe_vendor = '${top%%:*}' AND cpe_product = '${top#*:}')" | grep -o 'real [0-9.]*'
done

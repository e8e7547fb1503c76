#!/bin/sh
# bench/30-import.sh — full import of the shared real data (NVD 1.1 yearly
# feeds 2002-2018 + modified + recent, CVE 5 vulnrichment, Go vulndb OSV +
# Go CNA CVE 5, RustSec OSV) into a fresh database, RUNS times; prints the
# median wall time, records/s, CPU seconds (user+sys, the figure that does
# not depend on what else runs on the machine), peak RSS, database size and
# bytes per record. In the same run it times two lower bounds over the same
# inputs: decompressing them (zcat/xzcat to /dev/null) and `keikai import
# --check` (read + parse + validate, no database), so the database's share
# shows as the difference.
# Env: BUILD (default build), RUNS (default 3), DATA (default ../shared/data).
set -eu
BUILD=${BUILD:-build}
RUNS=${RUNS:-3}
DATA=${DATA:-${KEIKAI_SHARED:-../shared}/data}
K=$BUILD/keikai
INPUTS="$DATA/nvd-json-1.1-feeds $DATA/cve5-vulnrichment/vulnrichment_cve5_records.jsonl.xz
$DATA/osv-golang-vulndb $DATA/osv-rustsec"
cmake --build "$BUILD" --target keikai >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"

# one timed command: wall s, cpu s, max RSS KB appended to $tmp/$1
timed() {
	name=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$tmp/t" "$@" >"$tmp/out" 2>"$tmp/err" || true
	awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$tmp/t" >>"$tmp/$name"
}
median() { sort -n -k"$2" "$tmp/$1" | awk -v k="$2" '{ v[NR] = $k } END { print v[int((NR + 1) / 2)] }'; }

for i in $(seq "$RUNS"); do
	timed unzip sh -c "for f in $DATA/nvd-json-1.1-feeds/*.json.gz; do zcat \$f; done >/dev/null; xzcat $DATA/cve5-vulnrichment/*.xz $DATA/osv-golang-vulndb/*.xz $DATA/osv-rustsec/*.xz >/dev/null"
	# shellcheck disable=SC2086
	timed check "$K" import --check $INPUTS
	rm -f "$tmp/b.db" "$tmp/b.db-wal" "$tmp/b.db-shm" "$tmp/b.db.key"
	"$K" --db "$tmp/b.db" init >/dev/null 2>&1
	# shellcheck disable=SC2086
	timed import "$K" --db "$tmp/b.db" import $INPUTS
	sed -n 's/^import: //p' "$tmp/out" | head -1
done
n=$(sqlite3 "$tmp/b.db" "SELECT count(*) FROM vuln_source")
v=$(sqlite3 "$tmp/b.db" "SELECT count(*) FROM vuln")
sqlite3 "$tmp/b.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
size=$(stat -c %s "$tmp/b.db")
w=$(median import 1) c=$(median import 2) m=$(median import 3)
echo "source records: $n; vulnerabilities: $v; cpe rows: $(sqlite3 "$tmp/b.db" "SELECT count(*) FROM vuln_cpe")"
echo "import (median of $RUNS): ${w} s wall, $(echo "$n $w" | awk '{ printf "%.0f", $1 / $2 }') records/s;" \
	"CPU ${c} s = $(echo "$n $c" | awk '{ printf "%.0f", $1 / $2 }') records per CPU-second; peak RSS $((m / 1024)) MB"
echo "database: $((size / 1048576)) MB, $((size / n)) bytes per source record;" \
	"300,000 records at this rate: $(echo "$size $n" | awk '{ printf "%.2f", $1 / $2 * 300000 / 1e9 }') GB"
echo "lower bounds: decompress $(median unzip 1) s wall; import --check $(median check 1) s wall," \
	"CPU $(median check 2) s; import / check wall ratio $(echo "$w $(median check 1)" | awk '{ printf "%.2f", $1 / $2 }')"
echo "300,000 records at the measured wall rate: $(echo "$n $w" | awk '{ printf "%.0f", 300000 / ($1 / $2) }') s (target <= 60 s)"

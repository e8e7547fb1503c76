#!/bin/sh
# bench/50-search.sh [KEIKAI] — search latency over real records: imports the
# NVD JSON 1.1 feeds 2015-2018 (53,085 records) into a fresh database, times a
# full `keikai search --reindex`, then serves it and times each query with
# curl (median of 9, after one warm-up), next to GET /healthz as the
# baseline of the same run. Prints a markdown table.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KEIKAI=${1:-$ROOT/build/keikai}
FEEDS=${KEIKAI_SHARED:-$ROOT/../shared}/data/nvd-json-1.1-feeds
TMP=$(mktemp -d)
trap 'kill $PID 2>/dev/null; rm -rf "$TMP"' EXIT
PID=
DB=$TMP/b.db
"$KEIKAI" --db "$DB" init >/dev/null 2>&1
"$KEIKAI" --db "$DB" import "$FEEDS"/nvdcve-1.1-2015.json.gz "$FEEDS"/nvdcve-1.1-2016.json.gz \
	"$FEEDS"/nvdcve-1.1-2017.json.gz "$FEEDS"/nvdcve-1.1-2018.json.gz >"$TMP/import.out"
n=$(sqlite3 "$DB" "SELECT count(*) FROM vuln")
reindex=$("$KEIKAI" --db "$DB" search --reindex | sed -n 's/.* in \([0-9.]*\) s$/\1/p')
fts=$(sqlite3 "$DB" "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'vuln_fts%'" 2>/dev/null || echo '?')
"$KEIKAI" --db "$DB" serve --listen 127.0.0.1:0 --threads 2 >"$TMP/out" 2>"$TMP/log" &
PID=$!
i=0
while [ $i -lt 100 ] && ! grep -q listening "$TMP/out"; do sleep 0.05; i=$((i + 1)); done
BASE=http://127.0.0.1:$(sed -n 's|.*127\.0\.0\.1:\([0-9]*\)$|\1|p' "$TMP/out")
med() {
	curl -s -o /dev/null "$BASE$1"
	for _ in 1 2 3 4 5 6 7 8 9; do curl -s -o /dev/null -w '%{time_total}\n' "$BASE$1"; done | sort -n | sed -n 5p
}
base=$(med /healthz)
echo "$n records; full reindex $reindex s; FTS tables $fts bytes"
echo
echo "| request | results | median ms | vs /healthz |"
echo "|---|---:|---:|---:|"
for u in /healthz "/api/v1/vulns?limit=50" "/api/v1/vulns?q=apache&limit=50" \
	"/api/v1/vulns?q=buffer+overflow&limit=50" "/api/v1/vulns?q=%22cross-site+scripting%22&sort=score&limit=50" \
	"/api/v1/vulns?q=remote+-windows&sort=relevance&limit=50" "/api/v1/vulns?severity=critical&sort=score&limit=100" \
	"/api/v1/vulns?cwe=79&limit=50" "/api/v1/vulns?vendor=microsoft&limit=50" "/api/v1/vulns?q=sql&limit=1000" \
	/api/v1/vulns/CVE-2017-0144 "/vulns?q=apache"; do
	t=$(med "$u")
	total=$(curl -s "$BASE$u" | jq -r '.total // "-"' 2>/dev/null || echo -)
	awk -v u="$u" -v t="$t" -v b="$base" -v n="$total" 'BEGIN { printf "| `%s` | %s | %.1f | %.0fx |\n", u, n, t * 1000, t / b }'
done

#!/bin/sh
# bench/80-sync.sh [KEIKAI] — the sync's speed (#19), against tests/fixture/upstream.py on
# loopback serving the NVD JSON 1.1 feeds 2015-2018 (53,085 records) as the NVD API 2.0:
#   1. applying an NVD delta of 2,000 changed records: the database holds the four feeds
#      (imported, then `sync --set nvd --since`), the fixture changes 2,000 records, and
#      `keikai sync nvd` is timed from start to exit (the page fetched over loopback and
#      its 2,000 records imported with the cursor); median of 5 runs, other records each run;
#   2. p99 of the detail and keyword routes while a sync runs, against idle: 400 requests
#      each, one at a time (curl's time_total), idle, then again while `keikai sync nvd`
#      applies 20,000 changed records (10 pages) in another process.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KEIKAI=${1:-$ROOT/build/keikai}
SHARED=${KEIKAI_SHARED:-$ROOT/../shared}
FEEDS=$SHARED/data/nvd-json-1.1-feeds
TMP=$(mktemp -d)
PID= FXPID=
trap 'kill $PID $FXPID 2>/dev/null; rm -rf "$TMP"' EXIT
DB=$TMP/b.db
k() { "$KEIKAI" --db "$DB" "$@"; }
python3 "$ROOT/tests/fixture/upstream.py" --port-file "$TMP/fx.port" --shared "$SHARED" --nvd \
	nvdcve-1.1-2015.json.gz nvdcve-1.1-2016.json.gz nvdcve-1.1-2017.json.gz nvdcve-1.1-2018.json.gz \
	>"$TMP/fx.log" 2>&1 &
FXPID=$!
k init >/dev/null 2>&1
k import "$FEEDS"/nvdcve-1.1-2015.json.gz "$FEEDS"/nvdcve-1.1-2016.json.gz "$FEEDS"/nvdcve-1.1-2017.json.gz \
	"$FEEDS"/nvdcve-1.1-2018.json.gz >/dev/null 2>&1 || true
while [ ! -s "$TMP/fx.port" ]; do sleep 0.2; done
FX=http://127.0.0.1:$(cat "$TMP/fx.port")
k sync --set nvd --url "$FX" >/dev/null
export KEIKAI_NVD_RATE=100/1 KEIKAI_TEST_NOW=2026-01-01T00:00:00Z
k sync --set nvd --since 2025-12-31 >/dev/null
n=$(sqlite3 "$DB" "SELECT count(*) FROM vuln")
echo "$n records; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| run | changed | sync wall s | the fixture's answer alone s | keikai's part s | sync output |"
echo "|---|---:|---:|---:|---:|---|"
since=2025-12-31T00:00:00
for r in 1 2 3 4 5; do
	curl -s -o /dev/null "$FX/_control/touch?source=nvd&n=2000&offset=$((r * 2000))&time=2026-01-0${r}T12:00:00Z"
	export KEIKAI_TEST_NOW=2026-01-0${r}T23:00:00Z
	s=$(date +%s%N)
	out=$(k sync nvd 2>&1 | tail -1)
	e=$(date +%s%N)
	# the same page again, to take the fixture's own time (Python building 2,000 items) out
	f=$(curl -s -o /dev/null -w '%{time_total}' "$FX/rest/json/cves/2.0?lastModStartDate=$since.000%2B00:00&lastModEndDate=2026-01-0${r}T23:00:00.000%2B00:00&resultsPerPage=2000&startIndex=0")
	since=2026-01-0${r}T23:00:00
	awk -v d=$((e - s)) -v f="$f" -v r=$r -v o="$out" 'BEGIN { printf "| %d | 2000 | %.2f | %.2f | %.2f | %s |\n", r, d / 1e9, f, d / 1e9 - f, o }'
done
echo

"$KEIKAI" --db "$DB" serve --listen 127.0.0.1:0 --threads 2 --no-scheduler >"$TMP/out" 2>"$TMP/log" &
PID=$!
while ! grep -q listening "$TMP/out"; do sleep 0.05; done
BASE=http://127.0.0.1:$(sed -n 's|.*127\.0\.0\.1:\([0-9]*\)$|\1|p' "$TMP/out")
p99() { # URL -> "p50 p99" in ms over 400 requests
	for _ in $(seq 400); do curl -s -o /dev/null -w '%{time_total}\n' "$BASE$1"; done | sort -n |
		awk '{ a[NR] = $1 } END { printf "%.2f %.2f", a[int(NR * 0.5)] * 1000, a[int(NR * 0.99)] * 1000 }'
}
DETAIL=/api/v1/vulns/CVE-2017-0144
KEYWORD="/api/v1/vulns?q=apache&limit=50"
curl -s -o /dev/null "$BASE$DETAIL"
curl -s -o /dev/null "$BASE$KEYWORD"
idle_d=$(p99 "$DETAIL")
idle_k=$(p99 "$KEYWORD")
curl -s -o /dev/null "$FX/_control/touch?source=nvd&n=20000&offset=20000&time=2026-01-07T12:00:00Z"
export KEIKAI_TEST_NOW=2026-01-07T23:00:00Z
"$KEIKAI" --db "$DB" sync nvd >"$TMP/sync.out" 2>&1 &
SPID=$!
sleep 1
busy_d=$(p99 "$DETAIL")
busy_k=$(p99 "$KEYWORD")
still=$(kill -0 $SPID 2>/dev/null && echo yes || echo no)
wait $SPID || true
echo "| route | idle p50 ms | idle p99 ms | during sync p50 ms | during sync p99 ms | p99 ratio |"
echo "|---|---:|---:|---:|---:|---:|"
for pair in "detail $DETAIL $idle_d $busy_d" "keyword $KEYWORD $idle_k $busy_k"; do
	set -- $pair
	awk -v r="$1 \`$2\`" -v a="$3" -v b="$4" -v c="$5" -v d="$6" 'BEGIN { printf "| %s | %s | %s | %s | %s | %.2fx |\n", r, a, b, c, d, d / b }'
done
echo
echo "the sync was still running when the measurement ended: $still; it did: $(tail -1 "$TMP/sync.out")"

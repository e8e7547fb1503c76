#!/bin/sh
# bench/60-scale.sh — the #4 targets at national scale: the real records of
# ../shared/data plus bench/scale.py's copies, 300,000 records in all.
#   1. import everything into a fresh database (wall, CPU, peak RSS; target <= 60 s)
#   2. database size after a checkpoint (target <= 3 GB)
#   3. serve it (--threads 2) and drive it with wrk on loopback, each set RUNS
#      times for DUR seconds, median of the runs (wrk --latency percentiles):
#        detail by id (random ids of the database; target >= 10,000 req/s)
#        keyword search, Japanese set and English set (bench/queries/{ja,en}.txt,
#          50 queries each, mixed with filters; target p99 <= 20 ms)
#        every other bench/queries/*.txt set present (cpe, myjvn ...)
#   4. the server's resident memory after all of it (target <= 300 MB)
# Env: BUILD (default build), RUNS (3), DUR (10), CONNS (4), SCALED (where the
# copies are kept; made once, default bench/data/scaled), TOTAL (300000).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
RUNS=${RUNS:-3}
DUR=${DUR:-10}
CONNS=${CONNS:-4}
TOTAL=${TOTAL:-300000}
DATA=${DATA:-${KEIKAI_SHARED:-$ROOT/../shared}/data}
SCALED=${SCALED:-$ROOT/bench/data/scaled}
K=$BUILD/keikai
export DATA
cmake --build "$BUILD" --target keikai >/dev/null
if [ ! -f "$SCALED/.done-$TOTAL" ]; then
	rm -rf "$SCALED"
	python3 "$ROOT/bench/scale.py" "$SCALED" "$TOTAL"
	touch "$SCALED/.done-$TOTAL"
fi
TMP=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$TMP"' EXIT
# KEEP=PATH keeps the database there for a later look (and reuses it: no import when it exists)
DB=${KEEP:-$TMP/b.db}
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem/ { print $2 }') GiB;" \
	"load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"

# --- 1, 2: import and size
if [ -n "${KEEP:-}" ] && [ -f "$DB" ]; then
	echo "import: skipped, reusing $DB"
	echo "0 0 0 0" >"$TMP/time"
else
"$K" --db "$DB" init >/dev/null 2>&1
/usr/bin/time -f "%e %U %S %M" -o "$TMP/time" "$K" --db "$DB" import \
	"$DATA/nvd-json-1.1-feeds" "$DATA/cve5-vulnrichment/vulnrichment_cve5_records.jsonl.xz" \
	"$DATA/osv-golang-vulndb" "$DATA/osv-rustsec" "$SCALED" >"$TMP/import.out" 2>"$TMP/import.err" || {
	tail -5 "$TMP/import.err"; exit 1; }
fi
read -r wall user sys rss <"$TMP/time"
n=$(sqlite3 "$DB" "SELECT count(*) FROM vuln_source")
v=$(sqlite3 "$DB" "SELECT count(*) FROM vuln")
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
size=$(stat -c %s "$DB")
[ "$wall" = 0 ] || echo "import: $n source records, $v vulnerabilities in $wall s wall" \
	"($(echo "$n $wall" | awk '{ printf "%.0f", $1 / $2 }') records/s), CPU $(echo "$user $sys" | awk '{ print $1 + $2 }') s," \
	"peak RSS $((rss / 1024)) MB (target <= 60 s)"
echo "database: $(echo "$size" | awk '{ printf "%.2f", $1 / 1e9 }') GB, $((size / n)) bytes per record (target <= 3 GB)"

# --- 3: serve and drive
: >"$TMP/serve.out"
"$K" --db "$DB" serve --listen 127.0.0.1:0 --threads 2 --no-scheduler >"$TMP/serve.out" 2>"$TMP/serve.log" &
PID=$!
i=0
while [ $i -lt 200 ] && ! grep -q listening "$TMP/serve.out"; do sleep 0.05; i=$((i + 1)); done
BASE=http://127.0.0.1:$(sed -n 's|.*127\.0\.0\.1:\([0-9]*\)$|\1|p' "$TMP/serve.out")
# detail by id: 2,000 ids spread over the database, one path per line
sqlite3 "$DB" "SELECT '/api/v1/vulns/' || jvndb FROM vuln WHERE id % (SELECT max(1, count(*) / 2000) FROM vuln) = 0 LIMIT 2000" \
	>"$TMP/detail.txt"
cat >"$TMP/paths.lua" <<'LUA'
local paths = {}
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local i = math.random(#paths)
request = function()
	i = i % #paths + 1
	return wrk.format("GET", paths[i])
end
LUA
# every path answers 200 before it is timed
check() {
	bad=0
	while read -r p; do
		c=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$p")
		[ "$c" = 200 ] || { [ $bad -lt 5 ] && echo "  $p -> $c" >&2; bad=$((bad + 1)); }
	done <"$1"
	[ $bad -eq 0 ] || echo "  ($bad paths of $(wc -l <"$1") did not answer 200)" >&2
	[ $bad -eq 0 ]
}
drive() { # name file
	check "$2" || { echo "| $1 | (some paths do not answer 200; skipped) |"; return 0; }
	: >"$TMP/runs"
	for _ in $(seq "$RUNS"); do
		PATHS=$2 wrk -t2 -c"$CONNS" -d"${DUR}s" --latency -s "$TMP/paths.lua" "$BASE" >"$TMP/wrk" 2>&1
		rps=$(sed -n 's/^Requests\/sec: *//p' "$TMP/wrk")
		p50=$(awk '$1 == "50%" { print $2 }' "$TMP/wrk")
		p99=$(awk '$1 == "99%" { print $2 }' "$TMP/wrk")
		echo "$rps $(ms "$p50") $(ms "$p99")" >>"$TMP/runs"
	done
	med=$(sort -n -k3 "$TMP/runs" | awk -v r="$RUNS" 'NR == int((r + 1) / 2)')
	set -- "$1" $med
	printf '| %s | %.0f | %.2f | %.2f |\n' "$1" "$2" "$3" "$4"
}
ms() { # wrk latency "1.23ms" / "456.00us" / "1.02s" -> milliseconds
	echo "$1" | awk '/us$/ { sub(/us/, ""); print $1 / 1000; next } /ms$/ { sub(/ms/, ""); print $1; next }
		/s$/ { sub(/s/, ""); print $1 * 1000 }'
}
echo
echo "wrk -t2 -c$CONNS -d${DUR}s --latency, median of $RUNS runs (by p99):"
echo
echo "| set | requests/s | p50 ms | p99 ms |"
echo "|---|---:|---:|---:|"
echo /healthz >"$TMP/healthz.txt"
drive "GET /healthz (baseline)" "$TMP/healthz.txt"
drive "detail by id (2,000 ids)" "$TMP/detail.txt"
for f in "$ROOT"/bench/queries/*.txt; do
	drive "$(basename "$f" .txt) ($(wc -l <"$f") queries)" "$f"
done
# --- 3b: the lower bound: the same questions in plain SQL, in the sqlite3 CLI on the same file
. "$ROOT/bench/lb.sh" # lb LABEL SQL
top50() { # top50 IDS-SQL — count and the 50 newest of a set of record ids
	echo "SELECT count(*) FROM ($1); SELECT v.jvndb, v.published, v.score FROM vuln v WHERE v.id IN ($1) ORDER BY v.published DESC, v.id DESC LIMIT 50"
}
fts() { echo "SELECT rowid FROM vuln_fts WHERE vuln_fts MATCH '$1'"; }
id=$(sqlite3 "$DB" "SELECT id FROM vuln WHERE id % 997 = 0 LIMIT 1 OFFSET 100")
prod="SELECT id FROM vuln_product WHERE cpe_vendor = 'linux' AND cpe_product = 'linux_kernel'"
echo
echo "The lower bound: each question in plain SQL in the sqlite3 CLI on the same file (median of 5 runs; the"
echo "CLI's process start is in every figure, its own line gives it):"
echo
echo "| sqlite3 CLI, same file | ms |"
echo "|---|---:|"
lb "process start + SELECT 1" "SELECT 1"
lb "detail by id: the record and its child rows" "SELECT * FROM vuln WHERE id = $id; SELECT alias FROM vuln_alias WHERE vuln_id = $id;
	SELECT lang, kind, text FROM vuln_text WHERE vuln_id = $id; SELECT * FROM vuln_cvss WHERE vuln_id = $id;
	SELECT cwe FROM vuln_cwe WHERE vuln_id = $id; SELECT * FROM vuln_cpe WHERE vuln_id = $id;
	SELECT url, type FROM vuln_ref WHERE vuln_id = $id; SELECT * FROM vuln_history WHERE vuln_id = $id"
lb "en q=apache: count + 50 newest" "$(top50 "$(fts apache)")"
lb "en q=\"cross-site scripting\": count + 50 newest" "$(top50 "$(fts '"cross site scripting"')")"
lb "ja q=クロスサイトスクリプティング (bigrams): count + 50 newest" \
	"$(top50 "$(fts '"クロ ロス スサ サイ イト トス スク クリ リプ プテ ティ ィン ング"')")"
lb "ja q=認証: count + 50 newest" "$(top50 "$(fts '"認証"')")"
lb "cpe linux_kernel 4.14.0 (exact rows + every range row, ranges not decided): count + 50 newest" \
	"$(top50 "SELECT vuln_id FROM vuln_affect_exact WHERE product_id = ($prod) AND version IN ('4.14.0', '*')
	UNION SELECT vuln_id FROM vuln_affect WHERE product_id = ($prod)")"
lb "myjvn keyword=apache: count + 50 newest with titles" "$(top50 "$(fts apache)");
	SELECT t.text FROM vuln_text t WHERE t.kind = 'title' AND t.vuln_id IN (SELECT v.id FROM vuln v WHERE v.id IN ($(fts apache))
	ORDER BY v.published DESC LIMIT 50)"

# --- 4: memory
echo
echo "server resident memory after the runs: $(($(ps -o rss= -p "$PID") / 1024)) MB (target <= 300 MB)"

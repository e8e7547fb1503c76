#!/bin/sh
# bench/55-myjvn.sh [KEIKAI] [SECONDS] — getVulnOverviewList latency over real
# records: imports the NVD JSON 1.1 feeds 2015-2018 (53,085 records) and the
# MyJVN examples (Japanese JVN iPedia records) into a fresh database, serves
# it, and drives /myjvn with wrk (2 threads, 4 connections, SECONDS each,
# default 10) over a set of 40 overview queries in Japanese and English
# (keywords, severity, CPE, vector, dates; 50 items each, MyJVN's default
# page) cycled by a Lua script; then the same with maxCountItem=1000, and
# GET /healthz as the floor of the same run. Beside them the sqlite3 CLI
# time of the search's own statements for two queries (the lower bound on
# the same file). Prints a markdown table.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KEIKAI=${1:-$ROOT/build/keikai}
SECS=${2:-10}
SHARED=${KEIKAI_SHARED:-$ROOT/../shared}
FEEDS=$SHARED/data/nvd-json-1.1-feeds
TMP=$(mktemp -d)
trap 'kill $PID 2>/dev/null; rm -rf "$TMP"' EXIT
PID=
DB=$TMP/b.db
"$KEIKAI" --db "$DB" init >/dev/null 2>&1
"$KEIKAI" --db "$DB" import "$FEEDS"/nvdcve-1.1-2015.json.gz "$FEEDS"/nvdcve-1.1-2016.json.gz \
	"$FEEDS"/nvdcve-1.1-2017.json.gz "$FEEDS"/nvdcve-1.1-2018.json.gz \
	"$SHARED"/data/jvn-myjvn-api/examples/hnd/getVulnDetailInfo_hnd_JVNDB-2017-009608.xml \
	"$SHARED"/data/jvn-myjvn-api/examples/hnd/dataFeed_jvndb_detail_hnd.xml >"$TMP/import.out" 2>&1
n=$(sqlite3 "$DB" "SELECT count(*) FROM vuln")
"$KEIKAI" --db "$DB" serve --listen 127.0.0.1:0 --threads 2 >"$TMP/out" 2>"$TMP/log" &
PID=$!
i=0
while [ $i -lt 100 ] && ! grep -q listening "$TMP/out" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
BASE=http://127.0.0.1:$(sed -n 's|.*127\.0\.0\.1:\([0-9]*\)$|\1|p' "$TMP/out")
ALL="method=getVulnOverviewList&feed=hnd&rangeDatePublic=n&rangeDatePublished=n&rangeDateFirstPublished=n"
# the query set: one request path per line
{
	for k in apache microsoft buffer+overflow %22cross-site+scripting%22 sql+injection remote+-windows \
		denial+of+service linux+kernel php wordpress oracle+java cisco+ios adobe+flash android \
		information+disclosure privilege+escalation use-after-free csrf xml+external+entity openssl; do
		echo "/myjvn?$ALL&keyword=$k"
	done
	# Japanese: 暗号 認証 脆弱性 クロスサイトスクリプティング 情報漏えい サービス運用妨害 バッファエラー 権限昇格
	for k in %E6%9A%97%E5%8F%B7 %E8%AA%8D%E8%A8%BC %E8%84%86%E5%BC%B1%E6%80%A7 \
		%E3%82%AF%E3%83%AD%E3%82%B9%E3%82%B5%E3%82%A4%E3%83%88%E3%82%B9%E3%82%AF%E3%83%AA%E3%83%97%E3%83%86%E3%82%A3%E3%83%B3%E3%82%B0 \
		%E6%83%85%E5%A0%B1%E6%BC%8F%E3%81%88%E3%81%84 %E3%82%B5%E3%83%BC%E3%83%93%E3%82%B9%E9%81%8B%E7%94%A8%E5%A6%A8%E5%AE%B3 \
		%E3%83%90%E3%83%83%E3%83%95%E3%82%A1%E3%82%A8%E3%83%A9%E3%83%BC %E6%A8%A9%E9%99%90%E6%98%87%E6%A0%BC; do
		echo "/myjvn?$ALL&keyword=$k"
	done
	echo "/myjvn?$ALL&severity=c"
	echo "/myjvn?$ALL&severity=h&lang=en"
	echo "/myjvn?$ALL&cpeName=cpe:/a:apache:struts"
	echo "/myjvn?$ALL&cpeName=cpe:/o:linux:linux_kernel"
	echo "/myjvn?$ALL&vector=CVSS:3.0/AV:N/AC:L/PR:N/UI:N"
	echo "/myjvn?$ALL&keyword=apache&severity=h"
	echo "/myjvn?method=getVulnOverviewList&feed=hnd&datePublicStartY=2017&datePublicEndY=2017&rangeDatePublished=n&rangeDateFirstPublished=n"
	echo "/myjvn?method=getVulnOverviewList&feed=hnd&datePublicStart=2018-03&datePublicEnd=2018-03-31&rangeDatePublished=n&rangeDateFirstPublished=n"
	echo "/myjvn?$ALL&keyword=google&startItem=51"
	echo "/myjvn?$ALL&lang=en&keyword=CVE-2017-0144"
} >"$TMP/paths"
nq=$(wc -l <"$TMP/paths")
mklua() { # mklua FILE SUFFIX — a wrk script cycling over the paths (+ SUFFIX)
	{
		echo "paths = {"
		sed "s|.*|  \"&$2\",|" "$TMP/paths"
		echo "}"
		cat <<'LUA'
i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA
	} >"$1"
}
mklua "$TMP/q50.lua" ""
mklua "$TMP/q1000.lua" "\&maxCountItem=1000"
run() { # run NAME ARGS... — one wrk run: requests/s, p50, p99 (ms)
	name=$1
	shift
	wrk -t2 -c4 -d"${SECS}s" --latency "$@" >"$TMP/wrk.out" 2>&1
	rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$TMP/wrk.out")
	ms() { awk -v q="$1" '$1 == q { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) sub(/ms$/, "", v); else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }' "$TMP/wrk.out"; }
	echo "| $name | $rps | $(ms 50%) | $(ms 99%) |"
}
# warm up the page cache and check the answers
ok=0
while read -r p; do
	code=$(curl -s -o "$TMP/a.xml" -w '%{http_code}' "$BASE$p")
	[ "$code" = 200 ] && grep -q 'retCd="0"' "$TMP/a.xml" && ok=$((ok + 1))
done <"$TMP/paths"
echo "$n records; $nq overview queries, $ok answered retCd=0"
echo
echo "| requests (wrk -t2 -c4, ${SECS} s) | req/s | p50 ms | p99 ms |"
echo "|---|---:|---:|---:|"
run "GET /healthz (floor)" "$BASE/healthz"
run "getVulnOverviewList, $nq queries, 50 items" -s "$TMP/q50.lua" "$BASE"
run "getVulnOverviewList, $nq queries, maxCountItem=1000" -s "$TMP/q1000.lua" "$BASE"
run "getVulnDetailInfo JVNDB-2017-009608" "$BASE/myjvn?method=getVulnDetailInfo&feed=hnd&vulnId=JVNDB-2017-009608"
run "feed /feeds/new.rdf (50 items)" "$BASE/feeds/new.rdf"
echo
# the lower bound: the search's statements for one keyword query, in the sqlite3 CLI on the same file
. "$ROOT/bench/lb.sh" # lb LABEL SQL
echo "| sqlite3 CLI, same file | median ms |"
echo "|---|---:|"
lb "process start + empty query" "SELECT 1"
lb "keyword=apache: count + top 50 by date" "SELECT count(*) FROM vuln_fts WHERE vuln_fts MATCH 'apache'; SELECT v.jvndb FROM vuln_fts f JOIN vuln v ON v.id = f.rowid WHERE vuln_fts MATCH 'apache' ORDER BY v.published DESC, v.id DESC LIMIT 50"
lb "severity=c: count + top 50 by date" "SELECT count(*) FROM vuln WHERE severity = 4; SELECT jvndb FROM vuln WHERE severity = 4 ORDER BY published DESC, id DESC LIMIT 50"

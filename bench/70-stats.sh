#!/bin/sh
# bench/70-stats.sh KEIKAI [N] — the public statistics (publish/stats.c) over N synthetic reports
# (default 200000, both kinds, every status, over ten years, each with 1 KiB of text as real
# reports carry), a hand-off for every accepted one, 2,000 vendors and 1,000 published advisories,
# written straight into a fresh database with the sqlite3 CLI. Times GET /api/v1/stats and GET /stats
# with curl (median of RUNS, default 5, after one warm-up), beside GET /healthz as the floor.
# Prints a Markdown table for bench/RESULTS.md. KEEP=1 keeps the database.
set -eu
KEIKAI=${1:?usage: bench/70-stats.sh KEIKAI [N]}
N=${2:-200000}
RUNS=${RUNS:-5}
tmp=$(mktemp -d)
PID=
cleanup() {
	[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	[ "${KEEP:-}" = 1 ] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
DB=$tmp/k.db
"$KEIKAI" --db "$DB" init >/dev/null
T0=1483228800 # 2017-01-01
sqlite3 "$DB" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO report (tracking, kind, status, token_hash, finder_sealed, disclose, description, created_at, updated_at)
SELECT printf('KK-BENCH-%08d', i), CASE WHEN i % 3 = 0 THEN 'website' ELSE 'product' END,
       CASE i % 5 WHEN 0 THEN 'received' WHEN 1 THEN 'accepted' WHEN 2 THEN 'not_accepted'
                  WHEN 3 THEN 'handling_stopped' ELSE 'duplicate' END,
       printf('h%d', i), x'00', 'none', printf('%.1024c', 'x'),
       $T0 + (i * 1579) % 315360000, $T0 + (i * 1579) % 315360000 + 86400 * (1 + i % 90)
FROM n;
INSERT INTO case_handoff (report_id, kind, state, created_at)
SELECT id, kind, 'pending', created_at + 3600 FROM report WHERE status = 'accepted';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
INSERT INTO organizations (name, kind, created_at) SELECT printf('Bench Vendor %d', i), 'vendor', $T0 FROM n;
INSERT INTO vendor (org_id, name_en, created_at, updated_at)
SELECT id, name, $T0 + (id * 86413) % 315360000, $T0 FROM organizations WHERE kind = 'vendor';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
INSERT INTO advisory (ident, kind, state, doc, published_at, public_rev, created_at, updated_at)
SELECT printf('%s#%08d', k, i), k, 'published', '{}', $T0 + i * 315000, 1, $T0, $T0
FROM (SELECT i, CASE i % 3 WHEN 0 THEN 'JVN' WHEN 1 THEN 'JVNVU' ELSE 'JVNTA' END AS k FROM n);
INSERT INTO advisory_rev (advisory_id, rev, doc, published_at) SELECT id, 1, '{}', published_at FROM advisory;
SQL
echo "database: $(du -h "$DB" | cut -f1), $N reports"
"$KEIKAI" --db "$DB" serve --listen 127.0.0.1:0 --threads 2 >"$tmp/out" 2>"$tmp/log" &
PID=$!
i=0
while [ $i -lt 100 ] && ! grep -q 'listening on' "$tmp/out"; do sleep 0.1; i=$((i + 1)); done
BASE=$(sed -n 's|^keikai: listening on \(http://[0-9.:]*\)$|\1|p' "$tmp/out")
[ -n "$BASE" ] || { cat "$tmp/log"; exit 1; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timed() { # PATH — median seconds of RUNS requests, after a warm-up
	curl -s -o /dev/null "$BASE$1"
	for _ in $(seq "$RUNS"); do curl -s -o /dev/null -w '%{time_total}\n' "$BASE$1"; done | median
}
echo
echo "| request ($N reports; median of $RUNS) | seconds |"
echo "|---|---:|"
echo "| GET /api/v1/stats | $(timed /api/v1/stats) |"
echo "| GET /stats (page with SVG charts) | $(timed /stats) |"
echo "| GET /stats.csv | $(timed /stats.csv) |"
echo "| GET /healthz (floor) | $(timed /healthz) |"

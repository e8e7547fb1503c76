#!/bin/sh
# bench/20-cvss.sh — CVSS throughput: b-cvss (parse+score per core, CVSS 3.1
# and 4.0, median of 5) and `keikai cvss -` against the npm oracle
# (tests/oracle/score.js, ae-cvss-calculator) over the same file of random
# vectors of every version, timed with hyperfine in the same run; prints the ratio.
# Env: BUILD (default build), CVSS_BENCH_N (default 1000000), NODE_RUNS (default 3),
#      KEIKAI_RUNS (default 5), CVSS_BENCH_SEED (default 1).
set -eu
BUILD=${BUILD:-build}
N=${CVSS_BENCH_N:-1000000}
NODE_RUNS=${NODE_RUNS:-3}
KEIKAI_RUNS=${KEIKAI_RUNS:-5}
SEED=${CVSS_BENCH_SEED:-1}
ORACLE=tests/oracle
cmake --build "$BUILD" --target keikai b-cvss >/dev/null
if [ ! -f "$ORACLE/node_modules/ae-cvss-calculator/package.json" ]; then
	(cd "$ORACLE" && npm ci --silent --no-audit --no-fund)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node "$ORACLE/gen-vectors.js" "$N" "$SEED" >"$tmp/vectors"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); $(date -u +%Y-%m-%dT%H:%MZ)"
echo "vectors: $N random (v2.0, v3.0, v3.1, v4.0 in turn; random threat/env/supplemental subsets), seed $SEED"
echo "== b-cvss (one core, in memory)"
"$BUILD/bench/b-cvss" "$tmp/vectors" 2>/dev/null
cut -f2 ../shared/data/cvss-vectors-realworld/cvss_realworld_vectors.tsv | grep -E '^CVSS:(3\.1|4\.0)/' >"$tmp/realworld"
echo "real-world vectors (../shared/data/cvss-vectors-realworld):"
"$BUILD/bench/b-cvss" "$tmp/realworld" 2>/dev/null
echo "== keikai cvss - vs node oracle, $N vectors"
hyperfine --style basic --runs "$KEIKAI_RUNS" --export-json "$tmp/k.json" \
	"$BUILD/keikai cvss - < $tmp/vectors > /dev/null"
hyperfine --style basic --runs "$NODE_RUNS" --export-json "$tmp/n.json" \
	"node $ORACLE/score.js < $tmp/vectors > /dev/null"
node -e '
const k = require(process.argv[1]).results[0], n = require(process.argv[2]).results[0];
console.log(`keikai median ${k.median.toFixed(3)} s (${(process.argv[3] / k.median / 1e6).toFixed(2)} M vectors/s), ` +
	`node median ${n.median.toFixed(3)} s: keikai is ${(n.median / k.median).toFixed(0)}x faster`);
' "$tmp/k.json" "$tmp/n.json" "$N"

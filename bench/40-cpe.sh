#!/bin/sh
# bench/40-cpe.sh — CPE name matching pairs per second per core (b-cpe: IR 7696
# comparison over pre-parsed names, against a parse-every-pair baseline in the
# same run). Three runs; the table in RESULTS.md gives the median run.
set -eu
BUILD=${BUILD:-build}
cmake --build "$BUILD" --target b-cpe >/dev/null
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); $(date -u +%Y-%m-%dT%H:%MZ)"
for i in 1 2 3; do
	echo "== run $i"
	"$BUILD/bench/b-cpe"
done

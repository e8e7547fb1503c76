#!/bin/sh
# t0100-cvss-differential — `keikai cvss -` against an independent
# implementation (npm ae-cvss-calculator, pinned in tests/oracle/package.json)
# on thousands of random valid vectors of every version, deterministic seed.
# Every mismatch is printed; where the oracle is wrong per the specification
# tests/oracle/compare.js says why and checks keikai against exact arithmetic.
# Env: KEIKAI (binary), CVSS_N (vectors, default 20000), CVSS_SEED (default 20240601).
set -eu
: "${KEIKAI:?set KEIKAI to the keikai binary}"
N=${CVSS_N:-20000}
SEED=${CVSS_SEED:-20240601}
ORACLE=tests/oracle
fail() { echo "t0100: $*" >&2; exit 1; }
command -v node >/dev/null 2>&1 || fail "node is not installed (needed for the oracle)"
if [ ! -f "$ORACLE/node_modules/ae-cvss-calculator/package.json" ]; then
	echo "t0100: installing the oracle (npm) into $ORACLE/node_modules"
	if [ -f "$ORACLE/package-lock.json" ]; then
		(cd "$ORACLE" && npm ci --silent --no-audit --no-fund) || fail "npm ci in $ORACLE failed"
	else
		(cd "$ORACLE" && npm install --silent --no-audit --no-fund) || fail "npm install in $ORACLE failed"
	fi
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node "$ORACLE/gen-vectors.js" "$N" "$SEED" >"$tmp/vectors" || fail "vector generator failed"
got=$(wc -l <"$tmp/vectors")
[ "$got" -eq "$N" ] || fail "generator wrote $got vectors, wanted $N"
rc=0
"$KEIKAI" cvss - <"$tmp/vectors" >"$tmp/keikai" || rc=$?
[ "$rc" -eq 0 ] || fail "keikai cvss - exited $rc on valid vectors; first errors: $(grep -m5 '"error"' "$tmp/keikai")"
node "$ORACLE/score.js" <"$tmp/vectors" >"$tmp/oracle" || fail "oracle failed"
node "$ORACLE/compare.js" "$tmp/vectors" "$tmp/keikai" "$tmp/oracle" || fail "keikai and the oracle disagree (lines above)"
echo "t0100: ok"

# tests/t/sync-lib.sh — the upstream fixture (tests/fixture/upstream.py) for the sync tests:
#   start_fixture [--nvd FEED...]   serves ../shared/data on a free loopback port: $FX
#   fx_count PATTERN                requests so far whose path matches the grep -E PATTERN
#   fx_fault PREFIX KIND [COUNT] [RETRY_AFTER]
#   fx_touch SOURCE ID TIME
#   point_sources DB                every source at the fixture (osv: Go and crates.io)
SHARED=${KEIKAI_SHARED:-$ROOT/../shared}
FX_PID=
start_fixture() {
	python3 "$ROOT/tests/fixture/upstream.py" --port-file "$TMP/fx.port" --shared "$SHARED" "$@" \
		>"$TMP/fx.log" 2>&1 &
	FX_PID=$!
	i=0
	while [ ! -s "$TMP/fx.port" ] && [ $i -lt 600 ]; do
		kill -0 "$FX_PID" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$TMP/fx.port" ] || { echo "the fixture did not start:"; cat "$TMP/fx.log"; exit 1; }
	FX=http://127.0.0.1:$(cat "$TMP/fx.port")
}
stop_fixture() {
	[ -n "$FX_PID" ] && kill "$FX_PID" 2>/dev/null && wait "$FX_PID" 2>/dev/null
	FX_PID=
}
fx_log() { curl -s "$FX/_control/log"; }
fx_count() { fx_log | jq -r '.[].path' | grep -c -E "$1"; }
fx_fault() { curl -s -o /dev/null "$FX/_control/fault?prefix=$1&kind=$2&count=${3:-1}${4:+&retry_after=$4}"; }
fx_touch() { curl -s -o /dev/null "$FX/_control/touch?source=$1&id=$2&time=$3"; }
point_sources() {
	for s in nvd kev osv; do "$KEIKAI" --db "$1" sync --set "$s" --url "$FX" >/dev/null || exit 1; done
	"$KEIKAI" --db "$1" sync --set osv --options Go,crates.io >/dev/null
}
# what a database holds, to compare two: every source record and its content hash, every KEV entry
db_digest() {
	sqlite3 "$1" "SELECT v.jvndb, s.source, s.source_id, hex(s.content_hash) FROM vuln_source s JOIN vuln v ON v.id = s.vuln_id ORDER BY 2, 3; SELECT cve, hex(hash) FROM vuln_kev ORDER BY 1; SELECT count(*) FROM vuln; SELECT count(*) FROM vuln_alias;" | md5sum
}
# no waiting in tests: retries come at once, the NVD limit is per second
export KEIKAI_SYNC_BACKOFF_MS=10 KEIKAI_NVD_RATE=100/1
trap 'rc=$?; stop_fixture; (exit $rc); cleanup' EXIT

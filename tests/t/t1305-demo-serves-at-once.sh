#!/bin/sh
# t1305 — `make run` serves at once: scripts/demo on an empty database enables the `local` sync
# source on the data directory and execs `serve`, which answers while the sample records come in
# on its sync thread. The import is held in the middle for as long as the test likes (one of the
# files is a named pipe the test writes only later), so "while" needs no timing: the server
# answers, the home page and /admin/sync show the run in progress, the records of the file before
# are already found; then the pipe is fed and the run ends with every record in, the home page's
# progress gone. A second start of the demo does not import again.
. "$(dirname "$0")/lib.sh"
SHARED=${KEIKAI_SHARED:-$ROOT/../shared}
D=$TMP/shared/data
mkdir -p "$D/nvd-json-1.1-feeds" "$D/osv-golang-vulndb" "$D/cisa-kev"
cp "$SHARED/data/nvd-json-1.1-feeds/nvdcve-1.1-2003.json.gz" "$D/nvd-json-1.1-feeds/"
cp "$SHARED/data/cisa-kev/known_exploited_vulnerabilities.json" "$D/cisa-kev/"
FIFO=$D/osv-golang-vulndb/go_vulndb_osv.jsonl.xz
mkfifo "$FIFO"
# whatever happens, the pipe gets a writer, so the sync thread (and the server's shutdown) never hangs on it
unblock() { [ -p "$FIFO" ] && { (exec 3>"$FIFO") 2>/dev/null & } ; sleep 0.2; }
trap 'unblock; cleanup' EXIT

demo() {
	: >"$TMP/server.out"
	KEIKAI=$KEIKAI KEIKAI_SHARED=$TMP/shared "$ROOT/scripts/demo" "$DB" 127.0.0.1:0 >"$TMP/server.out" 2>"$SERVER_LOG" &
	SERVER_PID=$!
	i=0
	PORT=
	while [ $i -lt 600 ]; do
		PORT=$(sed -n 's|^keikai: listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$TMP/server.out")
		[ -n "$PORT" ] && break
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.05
		i=$((i + 1))
	done
	[ -n "$PORT" ] || { echo "the demo did not start:"; cat "$TMP/server.out" "$SERVER_LOG"; exit 1; }
	BASE=http://127.0.0.1:$PORT
}
local_status() { keikai sync --status --json | jq -r ".[] | select(.name == \"local\") | $1"; }
wait_for() { # JQ-EXPRESSION EXPECTED
	i=0
	while [ $i -lt 600 ] && [ "$(local_status "$1")" != "$2" ]; do sleep 0.1; i=$((i + 1)); done
}

demo
ADMIN_PW=$(sed -n 's/^log in at .* with password //p' "$TMP/server.out")
assert_contains "$(cat "$TMP/server.out")" "come in in the background" "the demo says the records come in in the background"
assert_contains "$(cat "$TMP/server.out")" "KEIKAI_NVD_API_KEY" "the demo says how to turn real sync on"
assert_eq "true" "$(local_status .enabled)" "the demo enabled the local source"
assert_eq "$D" "$(local_status .url)" "... on the data directory"

# the first file is in, the second (the pipe) is being read: the run is in progress
wait_for '.cursor | fromjson? | .done' 1
assert_eq "running" "$(local_status .last_run.status)" "the local run is in progress"
api GET /healthz
assert_eq 200 "$STATUS" "the server answers while the import runs"
api GET /api/v1/vulns/CVE-2003-0001
assert_eq 200 "$STATUS" "a record of the file already imported is there during the run"
api GET "/api/v1/vulns?q=CVE-2003-0001"
assert_contains "$BODY" "CVE-2003-0001" "... and found by search at once"
api GET /v1/vulns/GO-2020-0001
assert_eq 404 "$STATUS" "the file still in the pipe is not in yet"
api GET / -H 'Accept-Language: en'
assert_contains "$BODY" 'id="sync-progress-local"' "the home page shows the local source's progress"
assert_contains "$BODY" "<progress" "... as a progress bar"
assert_contains "$BODY" "records so far" "... with the records so far"
api GET / -H 'Accept-Language: ja'
assert_contains "$BODY" "脆弱性データベースを更新しています" "... in Japanese too"
login "$ADMIN_EMAIL" "$ADMIN_PW" "$TMP/jar"
api GET /api/v1/admin/sync -b "$TMP/jar"
assert_eq 200 "$STATUS" "the admin reads the sync status"
assert_eq "true" "$(printf '%s' "$BODY" | jq '.sources[] | select(.name == "local") | .running')" "the API: local is running"
assert_eq "1" "$(printf '%s' "$BODY" | jq -r '.sources[] | select(.name == "local") | .cursor | fromjson | .done')" "the API: the cursor counts the file done"
api GET /admin/sync -b "$TMP/jar" -H 'Accept-Language: en'
assert_contains "$BODY" 'id="sync-local"' "the admin page has the local source"
assert_contains "$BODY" "running" "... running"
assert_contains "$BODY" "<progress" "... with its progress"
assert_contains "$BODY" 'id="sync-nvd"' "the admin page lists the other sources"
api GET /api/v1/admin/sync
assert_eq 401 "$STATUS" "the sync status is not public"

# the pipe is fed: the run ends with every record in
xz -dc "$SHARED/data/osv-golang-vulndb/go_vulndb_osv.jsonl.xz" | xz -c >"$FIFO"
wait_for .last_run.status ok
assert_eq "ok" "$(local_status .last_run.status)" "the local run ended"
api GET /v1/vulns/GO-2020-0001
assert_eq 200 "$STATUS" "the records of the last file are in"
assert_eq "$(jq '.vulnerabilities | length' "$D/cisa-kev/known_exploited_vulnerabilities.json")" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM vuln_kev")" "the KEV catalog is in"
n=$(sqlite3 "$DB" "SELECT count(*) FROM vuln_source WHERE source = 'nvd'")
[ "$n" -ge 1500 ] && pass "the NVD feed's records are in ($n)" || fail "only $n NVD records"
api GET /
assert_not_contains "$BODY" 'id="sync-progress"' "the home page's progress is gone once the run ended"
stop_server
rm -f "$FIFO"

# a second start: the source is current, nothing is imported again
before=$(sqlite3 "$DB" "SELECT count(*) FROM sync_run")
demo
api GET /healthz
assert_eq 200 "$STATUS" "the second start serves"
assert_eq "$before" "$(sqlite3 "$DB" "SELECT count(*) FROM sync_run")" "no new run: the next is due after the interval"
done_testing

# tests/t/lib.sh — shared helpers of the server tests (POSIX sh). A test does
#   . "$(dirname "$0")/lib.sh"
#   start_server                  # fresh database, admin account, free port
#   api GET /api/v1/me            # sets STATUS, BODY; headers in $HDRS
#   assert_eq 401 "$STATUS" "me without a session"
#   done_testing
# $KEIKAI is the binary (tests/run sets it; default build-test/keikai).
# Everything lives in a temporary directory removed on exit; the server is
# stopped by a trap. Failures print what was expected and what came.
set -u
ROOT=${KEIKAI_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
KEIKAI=${KEIKAI:-$ROOT/build-test/keikai}
export KEIKAI_TEST_FAST_HASH=1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/keikai-t.XXXXXX")
DB=$TMP/keikai.db
HDRS=$TMP/headers
BODYF=$TMP/body
SERVER_PID=
SERVER_LOG=$TMP/server.log
ADMIN_EMAIL=admin@example.org
ADMIN_PASSWORD=correct-horse-battery
FAILS=0
CHECKS=0

cleanup() {
	rc=$?
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -TERM "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
	fi
	# the sanitizers report into the server log (leaks at exit, UB, overflows)
	if [ -f "$SERVER_LOG" ] && grep -q -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$SERVER_LOG"; then
		echo "not ok - the server log has sanitizer reports:"
		grep -E -A20 'AddressSanitizer|LeakSanitizer|runtime error:' "$SERVER_LOG" | head -60
		rc=1
	fi
	if [ "${KEEP_TMP:-}" = 1 ]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
	FAILS=$((FAILS + 1))
	echo "not ok - $*"
}

pass() {
	echo "ok - $*"
}

# assert_eq EXPECTED ACTUAL WHAT
assert_eq() {
	CHECKS=$((CHECKS + 1))
	if [ "$1" = "$2" ]; then pass "$3"; else fail "$3: expected '$1', got '$2'"; fi
}

# assert_contains HAYSTACK NEEDLE WHAT
assert_contains() {
	CHECKS=$((CHECKS + 1))
	case "$1" in
	*"$2"*) pass "$3" ;;
	*) fail "$3: expected to contain '$2' in: $(printf '%s' "$1" | head -c 600)" ;;
	esac
}

assert_not_contains() {
	CHECKS=$((CHECKS + 1))
	case "$1" in
	*"$2"*) fail "$3: must not contain '$2' in: $(printf '%s' "$1" | head -c 600)" ;;
	*) pass "$3" ;;
	esac
}

# header NAME — value of a response header of the last api call (case-insensitive name)
header() {
	tr -d '\r' <"$HDRS" | awk -v n="$1" 'BEGIN{n=tolower(n)} { i=index($0, ":"); if (i && tolower(substr($0,1,i-1))==n) { v=substr($0,i+1); sub(/^ /,"",v); print v } }' | tail -1
}

# header_all NAME — every value of a repeated header (Set-Cookie), one a line
header_all() {
	tr -d '\r' <"$HDRS" | awk -v n="$1" 'BEGIN{n=tolower(n)} { i=index($0, ":"); if (i && tolower(substr($0,1,i-1))==n) { v=substr($0,i+1); sub(/^ /,"",v); print v } }'
}

# json_str KEY [TEXT] — the first "KEY":"value" string in TEXT (default $BODY); our JSON is compact
json_str() {
	printf '%s' "${2:-$BODY}" | grep -o "\"$1\":\"[^\"]*\"" | head -1 | sed "s/^\"$1\":\"//; s/\"\$//"
}
# json_int KEY [TEXT] — the first "KEY":number
json_int() {
	printf '%s' "${2:-$BODY}" | grep -o "\"$1\":[0-9][0-9]*" | head -1 | sed "s/^\"$1\"://"
}

keikai() {
	"$KEIKAI" --db "$DB" "$@"
}

# start_server [serve options...] — init a fresh db, add the admin, serve on a free port
start_server() {
	keikai init >"$TMP/init.out" 2>&1 || { cat "$TMP/init.out"; echo "keikai init failed"; exit 1; }
	printf '%s\n' "$ADMIN_PASSWORD" | keikai user add --email "$ADMIN_EMAIL" --name "Admin" --role admin \
		>"$TMP/useradd.out" 2>&1 || { cat "$TMP/useradd.out"; echo "keikai user add failed"; exit 1; }
	start_server_only "$@"
}

# start_server_only [serve options...] — serve the existing $DB
start_server_only() {
	: >"$TMP/server.out"
	"$KEIKAI" --db "$DB" serve --listen 127.0.0.1:0 --threads 2 "$@" >"$TMP/server.out" 2>"$SERVER_LOG" &
	SERVER_PID=$!
	i=0
	PORT=
	while [ $i -lt 200 ]; do
		PORT=$(sed -n 's|^keikai: listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$TMP/server.out")
		[ -n "$PORT" ] && break
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.05
		i=$((i + 1))
	done
	if [ -z "$PORT" ]; then
		echo "server did not start:"; cat "$TMP/server.out" "$SERVER_LOG"; exit 1
	fi
	BASE=http://127.0.0.1:$PORT
	i=0
	while [ $i -lt 100 ]; do
		curl -s -o /dev/null "$BASE/healthz" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	echo "server does not answer /healthz"; cat "$SERVER_LOG"; exit 1
}

# stop_server — SIGTERM, wait; SERVER_RC gets the exit status
stop_server() {
	kill -TERM "$SERVER_PID"
	wait "$SERVER_PID"
	SERVER_RC=$?
	SERVER_PID=
}

# api METHOD PATH [curl args...] — STATUS and BODY of the answer; headers in $HDRS
api() {
	m=$1 p=$2
	shift 2
	STATUS=$(curl -s -X "$m" -o "$BODYF" -D "$HDRS" -w '%{http_code}' "$@" "$BASE$p")
	BODY=$(cat "$BODYF")
}

# api_json METHOD PATH JSON [curl args...]
api_json() {
	m=$1 p=$2 d=$3
	shift 3
	api "$m" "$p" -H 'Content-Type: application/json' --data-binary "$d" "$@"
}

# login EMAIL PASSWORD JAR — signs in through the API; CSRF gets the session's CSRF token
login() {
	api_json POST /api/v1/session "{\"email\":\"$1\",\"password\":\"$2\"}" -c "$3" -b "$3"
	CSRF=$(json_str csrf)
}

# make_token EMAIL PASSWORD — an API token for the user (via a session)
make_token() {
	login "$1" "$2" "$TMP/tokjar.$$"
	api_json POST /api/v1/me/tokens '{"name":"test"}' -b "$TMP/tokjar.$$" -H "X-CSRF-Token: $CSRF"
	TOKEN=$(json_str token)
	rm -f "$TMP/tokjar.$$"
}

# done_testing — summary line and exit status
done_testing() {
	echo "# $CHECKS checks, $FAILS failed"
	[ "$FAILS" -eq 0 ] && [ "$CHECKS" -gt 0 ]
	exit $?
}

# need_oracle — the independent validators' npm packages (tests/oracle/package-lock.json), installed
# once by whichever test needs them first, so each test also runs alone
need_oracle() {
	[ -f "$ROOT/tests/oracle/node_modules/@secvisogram/csaf-validator-lib/package.json" ] &&
		[ -f "$ROOT/tests/oracle/node_modules/bcp47/package.json" ] && return 0
	(cd "$ROOT/tests/oracle" && npm ci --silent --no-audit --no-fund) ||
		{ echo "not ok - npm ci in $ROOT/tests/oracle failed"; exit 1; }
}

#!/bin/sh
# bench/10-http.sh — HTTP throughput on loopback under wrk (2 threads, 50
# connections, 10 s, --latency for p99): keikai's GET /healthz (one SQLite
# "SELECT 1") and an authenticated GET /api/v1/me (Bearer token: hash +
# lookup), beside nginx (Debian nginx-light) serving a small static file,
# started here on a free loopback port with a temporary config and stopped
# afterwards. RUNS runs each (default 3), interleaved; prints the medians of
# requests/s and p99, and with --write replaces the "## HTTP" section of
# bench/RESULTS.md. keikai runs with --threads 2 and its access log on (to a
# file), nginx with worker_processes 2 and its access log on (to a file).
# Env: BUILD (default build: the Release `make` build), RUNS, DURATION (10s).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
WRITE=0
[ "${1:-}" = "--write" ] && WRITE=1
for t in wrk nginx curl; do
	command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] || { echo "bench: $t is missing (scripts/bootstrap installs it)"; exit 1; }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ "$BUILD" = build ] && ! make build >/dev/null 2>"${TMPDIR:-/tmp}/kk-bench-make.log"; then
	[ -x build/keikai ] || { cat "${TMPDIR:-/tmp}/kk-bench-make.log"; exit 1; }
	echo "bench: 'make' failed; measuring the existing build/keikai" >&2
fi
KEIKAI=$BUILD/keikai
tmp=$(mktemp -d)
KPID= NPID=
cleanup() {
	[ -n "$KPID" ] && kill -TERM "$KPID" 2>/dev/null && wait "$KPID" 2>/dev/null
	[ -n "$NPID" ] && kill -QUIT "$NPID" 2>/dev/null
	sleep 0.2
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- keikai on a free port, fresh database, an admin and an API token
export KEIKAI_TEST_FAST_HASH=1
"$KEIKAI" --db "$tmp/k.db" init >/dev/null
printf 'bench-password-123\n' | "$KEIKAI" --db "$tmp/k.db" user add --email bench@example.org --name Bench --role admin >/dev/null
"$KEIKAI" --db "$tmp/k.db" serve --listen 127.0.0.1:0 --threads 2 >"$tmp/k.out" 2>"$tmp/k.log" &
KPID=$!
i=0
while ! grep -q listening "$tmp/k.out" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
KBASE=$(sed -n 's/^keikai: listening on //p' "$tmp/k.out")
[ -n "$KBASE" ] || { cat "$tmp/k.log"; echo "bench: keikai did not start"; exit 1; }
curl -s -c "$tmp/jar" -H 'Content-Type: application/json' \
	-d '{"email":"bench@example.org","password":"bench-password-123"}' "$KBASE/api/v1/session" >"$tmp/s.json"
CSRF=$(sed -n 's/.*"csrf":"\([^"]*\)".*/\1/p' "$tmp/s.json")
TOKEN=$(curl -s -b "$tmp/jar" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' -d '{"name":"bench"}' \
	"$KBASE/api/v1/me/tokens" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || { echo "bench: could not create an API token"; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$KBASE/api/v1/me")" = 200 ] ||
	{ echo "bench: the token does not work"; exit 1; }

# --- nginx on a free loopback port (the first one that refuses a connection)
port=$((20000 + $$ % 20000))
while curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; do port=$((port + 1)); done
mkdir -p "$tmp/www" "$tmp/ngx"
printf '{"status":"ok","db":"ok"}\n' >"$tmp/www/healthz.json"
cat >"$tmp/nginx.conf" <<NGX
daemon off;
user root;
worker_processes 2;
pid $tmp/ngx/nginx.pid;
error_log $tmp/ngx/error.log warn;
events { worker_connections 1024; }
http {
	access_log $tmp/ngx/access.log;
	client_body_temp_path $tmp/ngx/body;
	proxy_temp_path $tmp/ngx/proxy;
	fastcgi_temp_path $tmp/ngx/fastcgi;
	uwsgi_temp_path $tmp/ngx/uwsgi;
	scgi_temp_path $tmp/ngx/scgi;
	server {
		listen 127.0.0.1:$port;
		root $tmp/www;
		location / { default_type application/json; }
	}
}
NGX
"$NGINX" -c "$tmp/nginx.conf" -p "$tmp/ngx" -e "$tmp/ngx/error.log" &
NPID=$!
i=0
until curl -s -o /dev/null "http://127.0.0.1:$port/healthz.json" || [ $i -ge 100 ]; do sleep 0.05; i=$((i + 1)); done
NBASE=http://127.0.0.1:$port

# run NAME URL [header] — one wrk run; appends "rps p99ms" to $tmp/NAME
run() {
	name=$1 url=$2
	shift 2
	wrk -t2 -c50 -d"$DURATION" --latency "$@" "$url" >"$tmp/wrk.out" 2>&1
	rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$tmp/wrk.out")
	p99=$(awk '$1=="99%" { v=$2; u=v; sub(/[a-z]+$/,"",v); sub(/^[0-9.]+/,"",u);
		if (u=="us") v/=1000; else if (u=="s") v*=1000; printf "%.2f", v }' "$tmp/wrk.out")
	errs=$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$tmp/wrk.out")
	[ -n "$errs" ] && echo "bench: $name: $errs non-2xx answers" >&2
	echo "$rps $p99" >>"$tmp/$name"
	echo "  $name run: $rps req/s, p99 $p99 ms"
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); $(date -u +%Y-%m-%dT%H:%MZ)"
echo "wrk -t2 -c50 -d$DURATION --latency on loopback; $RUNS runs each, interleaved"
r=0
while [ $r -lt "$RUNS" ]; do
	run nginx "$NBASE/healthz.json"
	run healthz "$KBASE/healthz"
	run me "$KBASE/api/v1/me" -H "Authorization: Bearer $TOKEN"
	r=$((r + 1))
done

median() { sort -n | awk '{ a[NR]=$1 } END { print a[int((NR + 1) / 2)] }'; }
for n in nginx healthz me; do
	eval "${n}_rps=\$(cut -d' ' -f1 \"$tmp/$n\" | median)"
	eval "${n}_p99=\$(cut -d' ' -f2 \"$tmp/$n\" | median)"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
{
	echo "## HTTP"
	echo
	echo "\`sh bench/10-http.sh --write\` — $(date -u +%Y-%m-%d), $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')),"
	echo "Release build (\`make\`), wrk -t2 -c50 -d$DURATION --latency on loopback, median of $RUNS interleaved runs."
	echo "keikai: \`serve --threads 2\`, access log on (to a file), SQLite WAL. nginx (Debian nginx-light):"
	echo "worker_processes 2, access log on, a 26-byte static file. wrk, the server and the other helpers'"
	echo "work share the same cores, so figures move by ±20 % between runs."
	echo
	echo "| what | requests/s (median) | p99 ms (median) | vs nginx |"
	echo "|---|---:|---:|---:|"
	echo "| nginx static file | $nginx_rps | $nginx_p99 | 1.00 |"
	echo "| keikai GET /healthz | $healthz_rps | $healthz_p99 | $(ratio "$healthz_rps" "$nginx_rps") |"
	echo "| keikai GET /api/v1/me (Bearer) | $me_rps | $me_p99 | $(ratio "$me_rps" "$nginx_rps") |"
	echo
	echo "Target: at least half of nginx's requests/s (ratio >= 0.50)."
} >"$tmp/section.md"
cat "$tmp/section.md"
if [ "$WRITE" = 1 ]; then
	[ -f bench/RESULTS.md ] || printf '# Benchmark results\n\n' >bench/RESULTS.md
	awk -v sec="$tmp/section.md" '
		/^## HTTP[ \t]*$/ { while ((getline l < sec) > 0) print l; skip=1; done=1; next }
		skip && /^## / { skip=0; print ""; }
		!skip { print }
		END { if (!done) { print ""; while ((getline l < sec) > 0) print l } }' bench/RESULTS.md >"$tmp/results.md"
	cp "$tmp/results.md" bench/RESULTS.md
	echo "bench: wrote the HTTP section of bench/RESULTS.md"
fi

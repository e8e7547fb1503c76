#!/bin/sh
# t1402 — watchlists (the filtered collection): a record matching an
# inventory's items that arrives by an import is told once, by the
# scheduler's tick, through mail at once (Japanese) or a daily digest
# (English), a private Atom feed (secret token) and a webhook POST signed
# with HMAC-SHA256 to a loopback receiver this test starts, retried with
# backoff after a failure, every delivery listed; conditions (minimum
# severity, keywords, KEV) filter; changed records wait durably in the
# database until a tick; no organization sees another's watchlists.
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail"
start_server --no-scheduler
mkdir "$TMP/base"
cp tests/data/import/y_kev_catalog_sample.json tests/data/import/y_jvn-products_sample.jsonl "$TMP/base/"
keikai import "$TMP/base" >/dev/null 2>&1
keikai org add --kind vendor "Org A" >/dev/null
keikai org add --kind vendor "Org B" >/dev/null
for u in a b; do
	U=$(printf '%s' "$u" | tr a-z A-Z)
	printf '%s\n' "$ADMIN_PASSWORD" | keikai user add --email "$u@example.org" --name "User $U" --role vendor --org "Org $U" >/dev/null
done
make_token a@example.org "$ADMIN_PASSWORD"; TA=$TOKEN
make_token b@example.org "$ADMIN_PASSWORD"; TB=$TOKEN
apia() { m=$1 p=$2; shift 2; api "$m" "$p" -H "Authorization: Bearer $TA" "$@"; }
apib() { m=$1 p=$2; shift 2; api "$m" "$p" -H "Authorization: Bearer $TB" "$@"; }
mails() { ls "$KEIKAI_MAILDIR/new" 2>/dev/null | wc -l | tr -d ' '; }

# the webhook receiver: /ok answers 200; /flaky 500 the first time, then 200. Each request is logged.
cat >"$TMP/recv.py" <<'PY'
import http.server, json, sys, os
log = sys.argv[1]
seen = {}
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        n = seen.get(self.path, 0) + 1
        seen[self.path] = n
        code = 500 if self.path == '/flaky' and n == 1 else 200
        with open(log, 'a') as f:
            f.write(json.dumps({'path': self.path, 'code': code, 'sig': self.headers.get('X-Keikai-Signature'),
                                'body': body.decode()}) + '\n')
        self.send_response(code)
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(('127.0.0.1', 0), H)
open(log + '.port', 'w').write(str(s.server_port))
s.serve_forever()
PY
python3 "$TMP/recv.py" "$TMP/hooks" &
RECV=$!
trap 'r=$?; kill $RECV 2>/dev/null; (exit $r); cleanup' EXIT
i=0; while [ ! -s "$TMP/hooks.port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
HOOK=http://127.0.0.1:$(cat "$TMP/hooks.port")

# inventories with log4j-core 2.14.1, before the record is in the database
apia POST /api/v1/inventories -H 'Content-Type: application/json' --data-binary '{"name":"A servers"}'
IA=$(printf '%s' "$BODY" | jq .id)
apia POST "/api/v1/inventories/$IA/import" --data-binary @tests/data/watch/log4j-core-2.14.1.cdx.json >/dev/null
apib POST /api/v1/inventories -H 'Content-Type: application/json' --data-binary '{"name":"B servers"}'
IB=$(printf '%s' "$BODY" | jq .id)
apib POST "/api/v1/inventories/$IB/import" --data-binary @tests/data/watch/log4j-core-2.14.1.cdx.json >/dev/null

# watchlists
apia POST /api/v1/watchlists -H 'Content-Type: application/json' --data-binary "$(jq -nc --argjson i "$IA" --arg h "$HOOK/ok" \
	'{inventory:$i, name:"A 重要以上", min_severity:"high", mail:"now", lang:"ja", webhook_url:$h, feed:true}')"
assert_eq "201" "$STATUS" "A creates a watchlist on its inventory"
WA=$(printf '%s' "$BODY" | jq .watchlist.id)
FEED=$(printf '%s' "$BODY" | jq -r .feed_url)
SECRET=$(printf '%s' "$BODY" | jq -r .webhook_secret)
assert_eq "64" "${#SECRET}" "the webhook secret is shown once"
assert_contains "$FEED" "/feeds/watch/" "the feed's secret URL is shown once"
apia GET /api/v1/watchlists/$WA
assert_eq "null null" "$(printf '%s' "$BODY" | jq -r '"\(.watchlist.webhook_secret) \(.feed_url)"')" "neither is shown again"
TOKEN_HEX=${FEED##*/}
assert_eq "0" "$(sqlite3 "$DB" "SELECT count(*) FROM watchlist WHERE webhook_secret LIKE '%$TOKEN_HEX%' OR hex(feed_hash) = upper('$TOKEN_HEX')")" "the feed token is not stored in plain"
apia POST /api/v1/watchlists -H 'Content-Type: application/json' --data-binary "$(jq -nc --argjson i "$IA" '{inventory:$i, name:"A keywords", keywords:"sendmail openssl", mail:"now", email:"kw@example.org"}')"
WK=$(printf '%s' "$BODY" | jq .watchlist.id)
apia POST /api/v1/watchlists -H 'Content-Type: application/json' --data-binary "$(jq -nc --argjson i "$IA" --arg h "$HOOK/flaky" '{inventory:$i, name:"A flaky hook", webhook_url:$h, kev_only:true}')"
WF=$(printf '%s' "$BODY" | jq .watchlist.id)
apib POST /api/v1/watchlists -H 'Content-Type: application/json' --data-binary "$(jq -nc --argjson i "$IB" '{inventory:$i, name:"B daily", mail:"daily", lang:"en"}')"
WB=$(printf '%s' "$BODY" | jq .watchlist.id)
assert_eq "201" "$STATUS" "B creates its own"

# bad input names the field
apia POST /api/v1/watchlists -H 'Content-Type: application/json' --data-binary "$(jq -nc --argjson i "$IA" '{inventory:$i, name:"x", webhook_url:"ftp://x"}')"
assert_eq "400 webhook_url" "$STATUS $(printf '%s' "$BODY" | jq -r .error.field)" "a webhook that is not http(s) names the field"
apia POST /api/v1/watchlists -H 'Content-Type: application/json' --data-binary "$(jq -nc --argjson i "$IA" '{inventory:$i, name:"x", min_severity:"huge"}')"
assert_eq "400 min_severity" "$STATUS $(printf '%s' "$BODY" | jq -r .error.field)" "an unknown severity names the field"
apia POST /api/v1/watchlists -H 'Content-Type: application/json' --data-binary "$(jq -nc --argjson i "$IA" '{inventory:$i, name:"x", cwe:"XSS"}')"
assert_eq "400 cwe" "$STATUS $(printf '%s' "$BODY" | jq -r .error.field)" "a bad CWE names the field"

# organizations never see each other's watchlists
apib GET /api/v1/watchlists
assert_eq "$WB" "$(printf '%s' "$BODY" | jq -c '[.items[].id] | join(",")' -r)" "B lists only its own watchlist"
for p in "GET /api/v1/watchlists/$WA" "GET /api/v1/watchlists/$WA/deliveries" "DELETE /api/v1/watchlists/$WA" "POST /api/v1/watchlists/$WA/seen"; do
	apib $p
	assert_eq "404" "$STATUS" "B: $p is 404"
done
apib POST /api/v1/watchlists -H 'Content-Type: application/json' --data-binary "$(jq -nc --argjson i "$IA" '{inventory:$i, name:"spy"}')"
assert_eq "404" "$STATUS" "B cannot watch A's inventory"
apia GET /api/v1/watchlists
assert_eq "$WA,$WK,$WF" "$(printf '%s' "$BODY" | jq -r '[.items[].id] | join(",")')" "A lists its three"

# the record arrives by an import: it waits in the database until a tick
mkdir "$TMP/new"
cp tests/data/import/y_nvd_api2_log4shell.json "$TMP/new/"
keikai import "$TMP/new" >/dev/null 2>&1
assert_eq "0" "$(mails)" "nothing told before the tick"
PENDING=$(sqlite3 "$DB" "SELECT count(*) FROM watch_pending")
[ "$PENDING" -gt 0 ] && pass "the changed records are kept in the database for the next tick ($PENDING)" || fail "no pending records after the import"
CHECKS=$((CHECKS + 1))
out=$(keikai tick)
assert_contains "$out" "watchlists:" "the tick evaluates the watchlists"
assert_eq "0" "$(sqlite3 "$DB" "SELECT count(*) FROM watch_pending")" "the tick empties what it evaluated"

apia GET /api/v1/watchlists/$WA
assert_eq "CVE-2021-44228 critical true log4j-core 2.14.1 true" "$(printf '%s' "$BODY" | jq -r '.records[] | select(.cve == "CVE-2021-44228") | "\(.cve) \(.severity) \(.kev) \(.item) \(.new)"')" "A's watchlist told of Log4Shell for log4j-core 2.14.1, new since the last visit"
assert_eq "1" "$(printf '%s' "$BODY" | jq -r .watchlist.new_since_last_visit)" "one new since the last visit"
apia POST /api/v1/watchlists/$WA/seen
assert_eq "204" "$STATUS" "the visit is marked"
apia GET /api/v1/watchlists/$WA
assert_eq "0 false" "$(printf '%s' "$BODY" | jq -r '"\(.watchlist.new_since_last_visit) \(.records[0].new)"')" "after the visit nothing is new"
apia GET /api/v1/watchlists/$WK
assert_eq "0" "$(printf '%s' "$BODY" | jq '.records | length')" "keywords that are not in the record: nothing told"

# mail: at once in Japanese to A's user; B's daily digest in English
cat >"$TMP/mails.py" <<'PY'
import email, email.policy, glob, sys
for f in sorted(glob.glob(sys.argv[1] + '/new/*')):
    m = email.message_from_binary_file(open(f, 'rb'), policy=email.policy.default)
    print(m['To'], '|', m['Subject'], '|', m.get_body(('plain',)).get_content().replace('\n', ' '))
PY
M=$(python3 "$TMP/mails.py" "$KEIKAI_MAILDIR")
assert_eq "2" "$(mails)" "two mails: A's at once, B's digest"
assert_contains "$M" "a@example.org | [keikai] ウォッチリスト「A 重要以上」: 脆弱性情報 1 件" "A's mail in Japanese to the watchlist's owner"
assert_contains "$M" "CVE-2021-44228 [緊急, KEV]" "with the record, its severity in Japanese and KEV"
assert_contains "$M" "b@example.org | [keikai] watchlist \"B daily\" daily digest: 1 vulnerability record" "B's daily digest in English"

# webhook: POSTed, signed with HMAC-SHA256 of the body under the secret
sleep 0.2
OKLINE=$(grep '"path": "/ok"' "$TMP/hooks" | head -1)
assert_eq "CVE-2021-44228" "$(printf '%s' "$OKLINE" | jq -r '.body | fromjson | .records[0].cve')" "the webhook carried the record"
EXP=$(printf '%s' "$OKLINE" | python3 -c 'import sys,json,hmac,hashlib; d=json.load(sys.stdin); print("sha256="+hmac.new(sys.argv[1].encode(), d["body"].encode(), hashlib.sha256).hexdigest())' "$SECRET")
assert_eq "$EXP" "$(printf '%s' "$OKLINE" | jq -r .sig)" "the signature is HMAC-SHA256 of the body under the secret"
apia GET /api/v1/watchlists/$WA/deliveries
assert_eq "sent 200 1 1" "$(printf '%s' "$BODY" | jq -r '.items[0] | "\(.state) \(.status) \(.attempts) \(.records)"')" "the delivery is listed as sent"

# the flaky hook failed once: retried after the backoff, then sent
apia GET /api/v1/watchlists/$WF/deliveries
assert_eq "pending 500 1" "$(printf '%s' "$BODY" | jq -r '.items[0] | "\(.state) \(.status) \(.attempts)"')" "a 500 leaves the delivery pending for a retry"
keikai tick >/dev/null
assert_eq "1" "$(grep -c '"path": "/flaky"' "$TMP/hooks")" "not retried before the backoff"
keikai tick --at "$(date -u -d '+10 minutes' +%Y-%m-%dT%H:%M:%SZ)" >/dev/null
apia GET /api/v1/watchlists/$WF/deliveries
assert_eq "sent 200 2" "$(printf '%s' "$BODY" | jq -r '.items[0] | "\(.state) \(.status) \(.attempts)"')" "retried after the backoff: sent on the second attempt"

# told once: the same import again changes nothing and tells nothing
keikai import "$TMP/new" >/dev/null 2>&1
keikai tick >/dev/null
apia GET /api/v1/watchlists/$WA
assert_eq "1" "$(printf '%s' "$BODY" | jq '[.records[] | select(.cve == "CVE-2021-44228")] | length')" "a record is told once"
assert_eq "2" "$(mails)" "no second mail"
# an updated record is told again
sqlite3 "$DB" "UPDATE vuln SET modified = modified + 86400 WHERE id = (SELECT vuln_id FROM vuln_alias WHERE alias = 'CVE-2021-44228')"
keikai tick >/dev/null
apia GET /api/v1/watchlists/$WA
assert_eq "true" "$(printf '%s' "$BODY" | jq -r '[.records[] | select(.cve == "CVE-2021-44228")][0].updated')" "an updated record is told again, as updated"
assert_eq "3" "$(mails)" "with a mail"

# the private feed
api GET "${FEED#$BASE}"
assert_eq "200" "$STATUS" "the feed answers its token"
assert_contains "$BODY" "CVE-2021-44228" "the feed lists the record"
assert_contains "$(header Content-Type)" "application/atom+xml" "as Atom"
api GET "/feeds/watch/$(printf '%064d' 0)"
assert_eq "404" "$STATUS" "another token: 404"

# the pages: the updated record is new since the last visit; opening the page is the visit
apia GET /watchlists -H 'Accept-Language: ja'
assert_eq "200" "$STATUS" "the watchlists page"
assert_contains "$BODY" "前回の閲覧以降の新着" "in Japanese"
assert_contains "$BODY" "A 重要以上" "listing A's watchlist"
assert_not_contains "$BODY" "B daily" "and not B's"
apia GET /watchlists/$WA -H 'Accept-Language: ja'
assert_contains "$BODY" "前回の閲覧以降の新着: 1 件" "the watchlist's page counts what is new since the last visit"
assert_contains "$BODY" "<strong class=\"badge\">新着</strong>" "and marks the new record"
assert_contains "$BODY" "CVE-2021-44228" "listing the record"
apia GET /watchlists/$WA -H 'Accept-Language: en'
assert_contains "$BODY" "0 new since your last visit" "the next visit (in English): nothing new"
apib GET /watchlists/$WA
assert_eq "404" "$STATUS" "B: A's watchlist page is 404"

# the CLI
out=$(keikai watch list)
assert_contains "$out" "B daily" "keikai watch list shows every watchlist to the system"
out=$(keikai watch show "$WA")
assert_contains "$out" "CVE-2021-44228" "keikai watch show lists the records told"
out=$(keikai watch deliveries "$WF")
assert_contains "$out" "sent" "keikai watch deliveries"
keikai watch create "$IA" "cli list" --min-severity huge >/dev/null 2>&1
assert_eq "2" "$?" "a bad severity on the CLI exits 2"
apia DELETE /api/v1/watchlists/$WK
assert_eq "204" "$STATUS" "A deletes its watchlist"

# the management sheet (000 7.1): page and CSV, with owner, due date and VEX state
apia POST /api/v1/inventories/$IA/items -H 'Content-Type: application/json' --data-binary '{"product":"Sun Cobalt RaQ2","version":"1.0","owner":"佐藤","due":"2026-04-01"}'
apia POST /api/v1/inventories/$IA/vex -H 'Content-Type: application/json' --data-binary '{"vuln":"CVE-2021-44228","state":"under_investigation"}'
apia GET "/api/v1/inventories/$IA/sheet?lang=ja"
assert_eq "200" "$STATUS" "the sheet as CSV"
assert_contains "$(header Content-Type)" "text/csv" "typed text/csv"
CSV=$(printf '%s' "$BODY" | python3 -c 'import csv,sys; [print("|".join(r)) for r in csv.reader(sys.stdin.read().lstrip("\ufeff").splitlines())]')
assert_contains "$CSV" "製品名|バージョン|担当者|対策期限|脆弱性対策情報|CVE|" "Japanese headers"
assert_contains "$CSV" "Sun Cobalt RaQ2|1.0|佐藤|2026-04-01||" "an item without records: one row with its owner and due date"
L4=$(printf '%s\n' "$CSV" | grep '^log4j-core|2.14.1|' | grep 'CVE-2021-44228')
assert_contains "$L4" "|critical|KEV|under_investigation|2.15.0" "log4j-core's row: severity, KEV, VEX state, fixed version"
apia GET /inventories/$IA -H 'Accept-Language: ja'
assert_contains "$BODY" "ソフトウェア脆弱性情報管理シート" "the sheet's page in Japanese"
assert_contains "$BODY" "under_investigation" "with the VEX state"
assert_contains "$BODY" "佐藤" "and the owner"
apia GET /inventories -H 'Accept-Language: en'
assert_contains "$BODY" "A servers" "the inventories page lists A's"
assert_not_contains "$BODY" "B servers" "and not B's"
apib GET "/api/v1/inventories/$IA/sheet"
assert_eq "404" "$STATUS" "B: A's sheet is 404"
apib GET /inventories/$IA
assert_eq "404" "$STATUS" "B: A's sheet page is 404"
done_testing

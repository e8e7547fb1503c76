#!/bin/sh
# t5001 — scheduled publication at a pinned date: one second before the instant nothing of the
# advisory is reachable from any public URL (pages, every format, CSAF directory, API, search, vulndb
# record, feeds, lists); at the instant the scheduler publishes it in one transaction and all of it
# answers 200, the vulnerability database record is found by search, and the parties are mailed.
. "$(dirname "$0")/lib.sh"

DOC=$ROOT/tests/data/advisory/y_full.json
T=2026-03-02T01:00:00Z # 10:00 JST
BEFORE=2026-03-02T00:59:59Z
export KEIKAI_MAILDIR="$TMP/mail"
keikai init >/dev/null 2>&1 || { echo "init failed"; exit 1; }
printf '%s\n' "$ADMIN_PASSWORD" | keikai user add --email "$ADMIN_EMAIL" --name Admin --role admin >/dev/null 2>&1
ID=$(keikai advisory create --kind JVNVU --json "$DOC")
SLUG=$(printf '%s' "$ID" | tr '#' '_')
FILE=$(printf '%s' "$SLUG" | tr 'A-Z' 'a-z').json
keikai cve-pool add CVE-2026-40001 CVE-2026-40002 >/dev/null 2>&1
keikai advisory party "$ID" add psirt@acme.example --label "Acme PSIRT" >/dev/null
OUT=$(KEIKAI_TEST_NOW=2026-03-01T00:00:00Z keikai advisory schedule "$ID" --at 2026-03-02T10:00+09:00)
assert_contains "$OUT" "2026-03-02 10:00 JST" "the schedule is shown in JST"
assert_contains "$OUT" "$T" "and in UTC"
KEIKAI_TEST_NOW=2026-03-03T00:00:00Z keikai advisory schedule "$ID" --at 2026-03-02T10:00+09:00 >/dev/null 2>"$TMP/err"
assert_eq 1 $? "a time in the past is refused"

public_urls() {
	echo "/jvn/$SLUG /jvn/$SLUG/en /jvn/$SLUG/csaf /jvn/$SLUG/osv /jvn/$SLUG/jvnrss /jvn/$SLUG/cve/CVE-2026-40001"
	echo "/api/v1/advisories/$SLUG /.well-known/csaf/white/2026/$FILE /api/v1/vulns/CVE-2026-40001"
	echo "/api/v1/vulns/CVE-2026-40002 /vulns/CVE-2026-40001"
}

# --- one second before
KEIKAI_TEST_NOW=$BEFORE keikai tick --at $BEFORE >"$TMP/tick" 2>&1
assert_contains "$(cat "$TMP/tick")" "0 job(s) ran" "nothing is due a second before"
KEIKAI_TEST_NOW=$BEFORE start_server_only --no-scheduler
for u in $(public_urls); do
	api GET "$u"
	assert_eq 404 "$STATUS" "GET $u one second before"
	assert_not_contains "$BODY" "Acme Router" "GET $u tells nothing of the advisory"
done
for u in "/jvn" "/jvn?kind=JVNVU" "/api/v1/advisories" "/.well-known/csaf/white/index.txt" \
	"/.well-known/csaf/white/changes.csv" "/api/v1/vulns?q=Acme" "/api/v1/vulns?q=RX-100" \
	"/vulns?q=Acme" "/feeds/new.rdf" "/feeds/updated.atom" "/.well-known/csaf/provider-metadata.json"; do
	api GET "$u"
	case "$STATUS" in 200 | 304) pass "GET $u answers" ;; *) fail "GET $u: $STATUS" ;; esac
	CHECKS=$((CHECKS + 1))
	assert_not_contains "$BODY" "$ID" "GET $u does not list the advisory"
	assert_not_contains "$BODY" "$SLUG" "GET $u does not link the advisory"
	assert_not_contains "$BODY" "Acme Router" "GET $u holds none of its text"
done
stop_server

# --- the instant: the scheduler publishes
KEIKAI_TEST_NOW=$T keikai tick --at $T >"$TMP/tick" 2>&1
assert_contains "$(cat "$TMP/tick")" "1 job(s) ran" "the scheduler published at $T"
assert_eq 1 "$(ls "$KEIKAI_MAILDIR/new" 2>/dev/null | wc -l | tr -d ' ')" "the party got one mail"
KEIKAI_TEST_NOW=$T start_server_only --no-scheduler
for u in $(public_urls); do
	api GET "$u"
	assert_eq 200 "$STATUS" "GET $u at the instant"
done
api GET "/jvn/$SLUG"
assert_contains "$BODY" "$ID" "the Japanese page names the advisory"
assert_contains "$BODY" "Acme Router RX-100における複数の脆弱性" "with its Japanese title"
assert_contains "$BODY" "2026-03-02 10:00 JST" "and its publication time in JST"
assert_not_contains "$BODY" "<script>alert(1)</script>" "raw HTML in Markdown is not passed through"
assert_not_contains "$BODY" 'href="javascript:' "javascript: links are dropped"
api GET "/jvn/$SLUG/en"
assert_contains "$BODY" "Acme Router RX-100: multiple vulnerabilities" "the English page"
api GET "/api/v1/vulns?q=CVE-2026-40001"
assert_contains "$BODY" '"total":1' "search finds the published record by CVE id"
JVNDB=$(json_str id)
case "$JVNDB" in KKDB-2026-[0-9][0-9][0-9][0-9][0-9][0-9]) pass "its database id $JVNDB" ;; *) fail "database id '$JVNDB'" ;; esac
CHECKS=$((CHECKS + 1))
api GET "/api/v1/vulns?q=$ID"
assert_contains "$BODY" "\"$JVNDB\"" "and by the advisory identifier"
api GET "/api/v1/advisories/$SLUG"
assert_contains "$BODY" "\"jvndb\":\"$JVNDB\"" "the advisory names its database record"
for u in "/jvn" "/jvn?kind=JVNVU" "/api/v1/advisories" "/.well-known/csaf/white/index.txt" "/feeds/new.rdf"; do
	api GET "$u"
	case "$BODY" in *"$ID"* | *"$SLUG"* | *"$FILE"* | *"$JVNDB"*) pass "GET $u lists it" ;; *) fail "GET $u does not list it: $(printf '%s' "$BODY" | head -c 300)" ;; esac
	CHECKS=$((CHECKS + 1))
done
api GET "/jvn?kind=JVNTA"
assert_not_contains "$BODY" "$ID" "the JVNTA list does not"
api GET "/.well-known/csaf/white/changes.csv"
assert_contains "$BODY" "\"2026/$FILE\",\"$T\"" "changes.csv has its path and time"
done_testing

#!/bin/sh
# t5007 — the portal's home page and the finder at publication. The case of the coordination tests
# (case-lib.sh: one accepted report, its finder Hanako) is published as JVN# through the API: in the
# same transaction the finder's secret-link page turns 'published' with the advisory's link and a mail
# from her sealed contact is queued (delivered into the maildir); no vendor, page or vendor mail names
# her. The home page lists the latest advisories in the three lists (JVN#, JVNVU#, JVNTA), in Japanese
# and English, with the ways in (report form, search, unreachable list, feeds, statistics) and never a
# scheduled advisory before its instant.
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail"
. "$(dirname "$0")/case-lib.sh"
DOC=$ROOT/tests/data/advisory/y_full.json
LINK=$(sed -n 's/^secret link: //p' "$TMP/submit.out")
KEY=${LINK##*key=}
[ -n "$KEY" ] || { echo "no secret link in the submission's output"; exit 1; }
mailtext() { # decoded text of every mail in the maildir whose To: is $1
	for f in "$KEIKAI_MAILDIR"/new/*; do
		grep -qi "^To: .*$1" "$f" || continue
		sed '1,/^\r*$/d' "$f" | tr -d '\r' | base64 -d 2>/dev/null || sed '1,/^\r*$/d' "$f"
	done
}

# Alpha takes part in the case, so the publication message to all vendors reaches someone
cas POST "/api/v1/cases/$REF/vendors" "{\"vendor_id\":$ORG_A}" "$TOK_COORD"
cas POST "/api/v1/cases/$REF/steps" "{\"step\":\"notify\",\"vendor_id\":$ORG_A}" "$TOK_COORD"
cas POST "/api/v1/cases/$REF/steps" '{"step":"acknowledge"}' "$TOK_A"
assert_eq 200 "$STATUS" "Alpha acknowledges the case"
export KEIKAI_CVE_POOL_LOW=2
keikai cve-pool add CVE-2027-20001 CVE-2027-20002 CVE-2027-20003 CVE-2027-20004 CVE-2027-20005 \
	CVE-2027-20006 CVE-2027-20007 CVE-2027-20008 CVE-2027-20009 CVE-2027-20010 >/dev/null 2>&1

# --- before publication the finder's page says accepted
api GET "/r/$TRACKING?key=$KEY"
assert_eq 200 "$STATUS" "the finder's status page opens with the secret link"
assert_contains "$BODY" 'data-status="accepted"' "the report is accepted"
assert_not_contains "$BODY" 'id="advisories"' "no advisory yet"
api GET "/api/v1/reports/$TRACKING?key=$KEY"
assert_contains "$BODY" '"advisories":[]' "the finder's API view lists no advisory yet"

# --- the JVN# advisory of the case, published through the API by the coordinator
sed 's/Acme Router RX-100/RouterOS/g' "$DOC" >"$TMP/jvn.json"
JVN=$(keikai advisory create --kind JVN --json "$TMP/jvn.json")
JVN_SLUG=$(printf '%s' "$JVN" | tr '#' '_')
keikai advisory from-case "$JVN" "$REF" >/dev/null || { echo "from-case failed"; exit 1; }
ls "$KEIKAI_MAILDIR/new" 2>/dev/null | wc -l >"$TMP/before"
# the case's agreed date is weeks away: publishing now takes an exception (t5008 tests the embargo itself)
cas POST "/api/v1/advisories/$JVN_SLUG/publish" '{"exception":{"ground":"already_public","reason":"posted publicly"}}' "$TOK_COORD"
assert_eq 200 "$STATUS" "the coordinator publishes $JVN through the API"

# the finder's page: published, with the advisory's link; the thread tells it too
api GET "/r/$TRACKING?key=$KEY"
assert_contains "$BODY" 'data-status="published"' "the finder's page shows 'published'"
assert_contains "$BODY" "href=\"/jvn/$JVN_SLUG\"" "with the advisory's link"
assert_contains "$BODY" "$JVN を公表しました" "the thread tells the finder (ja)"
assert_contains "$BODY" "https://kk.example/jvn/$JVN_SLUG/en" "with the English page's address"
api GET "/api/v1/reports/$TRACKING?key=$KEY"
assert_contains "$BODY" "\"advisories\":[{\"id\":\"$JVN\",\"url_ja\":\"https://kk.example/jvn/$JVN_SLUG\"" "the finder's API view lists it"
api GET "/r/$TRACKING?key=$KEY&lang=en"
assert_contains "$BODY" "href=\"/jvn/$JVN_SLUG/en\"" "the English page links the English advisory"
api GET "/r/$TRACKING?key=wrong-key-000000000000000000000000000000000"
assert_eq 404 "$STATUS" "a wrong key still opens nothing"
assert_not_contains "$BODY" "$JVN" "and names no advisory"

# the mail: queued sealed in the same transaction, delivered from the sealed contact
keikai mail list --json >"$TMP/queue" 2>/dev/null
assert_contains "$(cat "$TMP/queue")" "\"to\":\"finder of $TRACKING\"" "the outbox lists the finder's mail by label only"
assert_not_contains "$(cat "$TMP/queue")" "hanako@finder.example" "never by address"
keikai mail flush >"$TMP/flush" 2>&1
assert_eq 0 $? "mail flush delivers: $(head -2 "$TMP/flush")"
FINDER_MAIL=$(mailtext hanako@finder.example)
assert_contains "$FINDER_MAIL" "$JVN を公表しました" "the finder's mail names the advisory (ja)"
assert_contains "$FINDER_MAIL" "https://kk.example/jvn/$JVN_SLUG" "with its address"
assert_contains "$FINDER_MAIL" "$TRACKING" "and her tracking number"
assert_contains "$(grep -l "hanako@finder.example" "$KEIKAI_MAILDIR"/new/* | xargs grep -h '^Subject:')" "=?UTF-8?" "the subject is encoded (ja/en)"

# no vendor sees the finder: not in the vendor's views, not in the vendor's mail, not on the public page
for u in "/api/v1/cases/$REF" "/api/v1/cases/$REF/messages" "/api/v1/cases/$REF/vendors"; do
	cas GET "$u" "$TOK_A"
	assert_eq 200 "$STATUS" "Alpha reads $u"
	assert_not_contains "$BODY" "Hanako" "$u does not name the finder"
	assert_not_contains "$BODY" "hanako@finder.example" "$u does not hold her address"
done
cas GET "/api/v1/cases/$REF/messages" "$TOK_A"
assert_contains "$BODY" "$JVN" "Alpha is told of the publication through the case"
VENDOR_MAIL=$(mailtext psirt@alpha.example)
assert_contains "$VENDOR_MAIL" "$JVN" "Alpha's mail names the advisory"
assert_not_contains "$VENDOR_MAIL" "Hanako" "Alpha's mail does not name the finder"
assert_not_contains "$VENDOR_MAIL" "$TRACKING" "nor her report's tracking number"
for u in "/jvn/$JVN_SLUG" "/jvn/$JVN_SLUG/en" "/jvn/$JVN_SLUG/csaf"; do
	api GET "$u"
	assert_not_contains "$BODY" "Hanako" "$u does not name the finder (she asked for no credit)"
	assert_not_contains "$BODY" "$TRACKING" "$u holds no tracking number"
done
assert_eq 0 "$(grep -c "hanako@finder.example" "$DB" "$DB-wal" 2>/dev/null | awk -F: '{s+=$2} END {print s+0}')" \
	"her address is nowhere in the database files in plain"

# --- the three lists on the home page, and a scheduled advisory that is not there yet
sed 's/Acme Router RX-100/Vu Gateway/g' "$DOC" >"$TMP/vu.json"
VU=$(keikai advisory create --kind JVNVU --json "$TMP/vu.json")
keikai advisory publish "$VU" >/dev/null || { echo "publish $VU failed"; exit 1; }
sed 's/Acme Router RX-100/Ta Alert Product/g' "$DOC" >"$TMP/ta.json"
TA=$(keikai advisory create --kind JVNTA --json "$TMP/ta.json")
keikai advisory publish "$TA" >/dev/null || { echo "publish $TA failed"; exit 1; }
sed 's/Acme Router RX-100/Embargoed Widget/g' "$DOC" >"$TMP/emb.json"
EMB=$(keikai advisory create --kind JVNVU --json "$TMP/emb.json")
keikai advisory schedule "$EMB" --at 2027-02-01T10:00+09:00 >/dev/null || { echo "schedule failed"; exit 1; }
section() { # KIND — the home page's section of one list
	printf '%s' "$BODY" | tr '\n' ' ' | sed "s|.*<section class=\"latest\" id=\"latest-$1\">||; s|</section>.*||"
}
api GET "/?lang=ja"
assert_eq 200 "$STATUS" "the home page"
assert_contains "$BODY" '<html lang="ja">' "in Japanese"
assert_contains "$(section JVN)" "$JVN" "the JVN# list has $JVN"
assert_contains "$(section JVN)" "RouterOS" "with its title"
assert_not_contains "$(section JVN)" "$VU" "and not the JVNVU# advisory"
assert_contains "$(section JVNVU)" "$VU" "the JVNVU# list has $VU"
assert_contains "$(section JVNTA)" "$TA" "the JVNTA list has $TA"
assert_contains "$(section JVNTA)" "href=\"/jvn/$(printf '%s' "$TA" | tr '#' '_')\"" "linked to its page"
assert_not_contains "$BODY" "$EMB" "the scheduled advisory is not listed before its instant"
assert_not_contains "$BODY" "Embargoed Widget" "nor its title"
for want in 'href="/report"' 'href="/unreachable"' 'href="/stats"' 'href="/feeds/new.rdf"' 'href="/feeds/new.atom"' \
	'action="/vulns"' 'href="/jvn?kind=JVNTA"' '最新の脆弱性情報'; do
	assert_contains "$BODY" "$want" "the home page has $want"
done
api GET "/?lang=en"
assert_contains "$BODY" '<html lang="en">' "in English"
assert_contains "$BODY" "Latest advisories" "the English heading"
assert_contains "$(section JVN)" "href=\"/jvn/$JVN_SLUG/en\"" "English links go to the English pages"
assert_contains "$BODY" 'href="/feeds/new.rdf?lang=en"' "and the English feed"
for p in /report /unreachable /stats /feeds/new.rdf /feeds/new.atom "/vulns?q=RouterOS"; do
	api GET "$p"
	assert_eq 200 "$STATUS" "the home page's link $p answers"
done

# at its instant the scheduled advisory joins its list
stop_server
KEIKAI_TEST_NOW=2027-02-01T01:00:00Z keikai tick --at 2027-02-01T01:00:00Z >"$TMP/tick" 2>&1
KEIKAI_TEST_NOW=2027-02-01T01:00:00Z start_server_only --no-scheduler
api GET "/"
assert_contains "$(section JVNVU)" "$EMB" "the scheduled advisory is listed from its instant"
done_testing

#!/bin/sh
# t3021 — critical-infrastructure pre-notification as V.2 (6) says (issue 15
# item 4): only once a vendor has a fix or workaround; the finder is told
# through the sealed thread before the share — a real message on the finder's
# status page and in the finder's (decoded) mail; the receiving organization
# may do it as well as the coordinator, a vendor or the infrastructure user
# may not; refused after publication; the old field name org_id still works.
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail"
. "$(dirname "$0")/case-lib.sh"

mailtext() { # decoded text of every mail in the maildir whose To: is $1
	for f in "$KEIKAI_MAILDIR"/new/*; do
		[ -f "$f" ] || continue
		grep -qi "^To: .*$1" "$f" || continue
		sed '1,/^\r*$/d' "$f" | tr -d '\r' | base64 -d 2>/dev/null || sed '1,/^\r*$/d' "$f"
	done
}
FK=$(sed -n 's/^secret link: .*key=//p' "$TMP/submit.out")
[ -n "$FK" ] || fail "the finder's secret link"
make_token rcv@recv.example "$PW"; TOK_R=$TOKEN
keikai org add --kind infrastructure "Power Grid" >/dev/null
mkuser ops@grid.example infrastructure "Power Grid"
make_token ops@grid.example "$PW"; TOK_I=$TOKEN
GRID=$(org_id "Power Grid")

# the receiving organization registers the sector (V.2 (6) is the receiver's too)
cas PUT "/api/v1/infra/orgs/$GRID" '{"sector":"power"}' "$TOK_R"
assert_eq 200 "$STATUS" "a receiver registers an infrastructure organization"
keikai case add-vendor "$REF" "Alpha Soft" >/dev/null || fail "add Alpha"
keikai case notify "$REF" "Alpha Soft" >/dev/null || fail "notify Alpha"
cas POST "/api/v1/cases/$REF/steps" '{"step":"acknowledge"}' "$TOK_A"

# ---- before any fix: refused, whoever asks
cas POST "/api/v1/cases/$REF/prenotify" '{"record":"consulted","note":"Alpha agrees to pre-notify"}' "$TOK_R"
assert_eq 200 "$STATUS" "the receiver records the vendor consultation"
cas POST "/api/v1/cases/$REF/prenotify" '{"record":"finder_told","note":"n"}' "$TOK_R"
assert_eq 409 "$STATUS" "the finder is not told of a pre-notification before a fix exists"
assert_contains "$BODY" '"field":"fix"' "the refusal names the missing fix"
share="{\"vendor_id\":$GRID,\"draft\":\"DRAFT-FOR-GRID\",\"fix\":\"update to 3.3\"}"
cas POST "/api/v1/cases/$REF/infra-shares" "$share" "$TOK_COORD"
assert_eq 409 "$STATUS" "no share before a vendor has a fix or workaround"
assert_contains "$BODY" '"field":"fix"' "naming the fix"
out=$(keikai case infra-share "$REF" --org "Power Grid" --draft d --fix f 2>&1)
assert_contains "$out" "fix or workaround" "the CLI refuses it the same way"
api GET "/r/$TRACKING?key=$FK"
assert_not_contains "$BODY" "critical-infrastructure" "the finder has heard nothing yet"

# ---- a fix exists (Alpha's statement says fixed)
cas POST "/api/v1/cases/$REF/statements" '{"vuln":1,"status":"fixed","text_en":"fixed in 3.3"}' "$TOK_A"
assert_eq 200 "$STATUS" "Alpha states the vulnerability fixed"
cas POST "/api/v1/cases/$REF/infra-shares" "$share" "$TOK_R"
assert_eq 409 "$STATUS" "still no share before the finder is told"
assert_contains "$BODY" '"field":"finder_told"' "naming the finder"
assert_not_contains "$BODY" "keikai " "without pointing to a CLI command"
cas POST "/api/v1/cases/$REF/prenotify" '{"record":"finder_told","note":"n"}' "$TOK_A"
assert_eq 403 "$STATUS" "a vendor may not pre-notify"
cas POST "/api/v1/cases/$REF/infra-shares" "$share" "$TOK_I"
assert_eq 403 "$STATUS" "nor may the infrastructure organization"
rm -f "$KEIKAI_MAILDIR"/new/*
cas POST "/api/v1/cases/$REF/prenotify" '{"record":"finder_told","note":"INTERNAL-NOTE-ONLY","message":"Thank you for your patience."}' "$TOK_R"
assert_eq 200 "$STATUS" "the receiver tells the finder"
api GET "/r/$TRACKING?key=$FK"
assert_contains "$BODY" "重要インフラ事業者等に秘密として事前提供します" "the finder's status page has the message (ja)"
assert_contains "$BODY" "will be shared in confidence with critical-infrastructure operators" "and in English"
assert_contains "$BODY" "Thank you for your patience." "with the receiver's words"
assert_not_contains "$BODY" "INTERNAL-NOTE-ONLY" "the note stays internal"
keikai mail flush >/dev/null 2>&1
FM=$(mailtext hanako@finder.example)
assert_contains "$FM" "critical-infrastructure operators" "the finder is mailed it (decoded)"
assert_contains "$FM" "2027-03-01 11:00 JST" "naming the publication date in JST"
assert_not_contains "$FM" "Alpha Soft" "naming no vendor"
assert_eq "" "$(mailtext ops@grid.example)" "nothing reached the infrastructure organization yet"
cas GET "/api/v1/cases/$REF/messages?thread=finder" "$TOK_COORD"
assert_contains "$BODY" "critical-infrastructure operators" "a copy in the coordinators' finder thread"

# ---- now the share, by the receiver; the old name org_id is read too
cas POST "/api/v1/cases/$REF/infra-shares" "$share" "$TOK_R"
assert_eq 201 "$STATUS" "the receiver shares the draft and fix"
cas POST "/api/v1/cases/$REF/infra-shares" "{\"org_id\":$GRID,\"draft\":\"SECOND-DRAFT\",\"fix\":\"f\"}" "$TOK_COORD"
assert_eq 201 "$STATUS" "the coordinator shares too (org_id, the old name, accepted)"
cas POST "/api/v1/cases/$REF/infra-shares" '{"draft":"x","fix":"f"}' "$TOK_COORD"
assert_eq 422 "$STATUS" "no organization: refused"
assert_contains "$BODY" '"field":"vendor_id"' "naming vendor_id"
cas GET /api/v1/infra/shares "$TOK_I"
assert_contains "$BODY" "DRAFT-FOR-GRID" "the infrastructure portal shows the share"
AUD=$(keikai audit --json --limit 60)
TOLD=$(printf '%s' "$AUD" | tr '{' '\n' | grep -n '"action":"case.infra.finder_told"' | cut -d: -f1 | head -1)
SHARED=$(printf '%s' "$AUD" | tr '{' '\n' | grep -n '"action":"case.infra_share"' | tail -1 | cut -d: -f1)
[ -n "$TOLD" ] && [ -n "$SHARED" ] && [ "$SHARED" -lt "$TOLD" ] && pass "the finder was told before the share (audit, newest first)" ||
	fail "the finder was told before the share (told at $TOLD, shared at $SHARED)"

# ---- the page: the receiver sees the form and uses it
RJ=$TMP/rcv.jar
login rcv@recv.example "$PW" "$RJ"
api GET "/cases/$REF" -b "$RJ"
assert_contains "$BODY" 'id="prenotify"' "the case page offers pre-notification to the receiver"
api POST "/cases/$REF/prenotify" -b "$RJ" --data-urlencode "csrf=$CSRF" --data-urlencode verb=share \
	--data-urlencode "org=Power Grid" --data-urlencode "draft=PAGE-DRAFT" --data-urlencode "fix=f"
assert_eq 303 "$STATUS" "the receiver shares from the page"

# ---- after publication: refused
keikai cve-pool add CVE-2027-60021 >/dev/null 2>&1
cat >"$TMP/doc.json" <<'J'
{"product":{"ja":"RouterOS","en":"RouterOS"},"vulnerability":{"ja":"OS コマンドインジェクション","en":"OS command injection"},
 "overview":{"ja":"概要","en":"Overview"},"version_check":{"ja":"確認","en":"Check"},"description":{"ja":"詳細","en":"Details"},
 "threat":{"ja":"脅威","en":"Threat"},"fix":{"ja":"更新","en":"Update"},"contact":{"ja":"JPCERT/CC","en":"JPCERT/CC"},
 "products":[{"vendor":"Alpha Soft","product":"RouterOS","scheme":"generic"}]}
J
ID=$(keikai advisory create --kind JVN --json "$TMP/doc.json")
keikai advisory from-case "$ID" "$REF" >/dev/null || fail "advisory from the case"
keikai advisory publish "$ID" --exception already_public --reason "posted upstream" >/dev/null || fail "published"
cas GET "/api/v1/cases/$REF" "$TOK_COORD"
assert_contains "$BODY" '"state":"published"' "the case is published"
cas POST "/api/v1/cases/$REF/infra-shares" "$share" "$TOK_R"
assert_eq 409 "$STATUS" "no pre-notification after publication"
assert_contains "$BODY" '"field":"state"' "naming the state"
cas POST "/api/v1/cases/$REF/prenotify" '{"record":"finder_told","note":"n"}' "$TOK_COORD"
assert_eq 409 "$STATUS" "nor telling the finder of one"
done_testing

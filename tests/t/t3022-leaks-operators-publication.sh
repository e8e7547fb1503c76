#!/bin/sh
# t3022 — no party learns another's identity or confidential text, across
# the tracks and up to publication (issue 15 item 3; t3020 walks the vendors'
# side of coordination): a finder reports a product flaw (a three-vendor
# case, one vendor shared on purpose, critical-infrastructure
# pre-notification) and a website flaw (an operator with an account). Every
# decoded mail and every page and API answer of each vendor, the operator and
# the infrastructure recipient is read before publication and holds no other
# vendor's name (but the shared one), no finder data and no other vendor's
# statement; at publication the statements become public in the advisory —
# the texts the walk looked for were really there to be found.
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail"
. "$(dirname "$0")/case-lib.sh"

mailtext() { # decoded subjects and bodies of every mail whose To: is $1
	for f in "$KEIKAI_MAILDIR"/new/*; do
		[ -f "$f" ] || continue
		grep -qi "^To: .*$1" "$f" || continue
		grep -i '^Subject:' "$f" | sed 's/.*=?UTF-8?B?\([^?]*\)?=.*/\1/' | base64 -d 2>/dev/null
		grep -i '^Subject:' "$f"
		sed '1,/^\r*$/d' "$f" | tr -d '\r' | base64 -d 2>/dev/null || sed '1,/^\r*$/d' "$f"
	done
}
check() { # WHO TEXT FORBIDDEN-REGEX WHAT
	if printf '%s' "$2" | grep -Eq "$3"; then
		fail "$1 $4: found $(printf '%s' "$2" | grep -Eo "$3" | head -1)"
	else
		pass "$1 $4"
	fi
}
FINDER="Hanako Finder|hanako@finder\\.example|$TRACKING"

# ---- the product case: Alpha fixes, Beta is not affected, Gamma stays silent; Alpha is shared with the others
keikai org add --kind infrastructure "Power Grid" >/dev/null
mkuser ops@grid.example infrastructure "Power Grid"
make_token ops@grid.example "$PW"; TOK_I=$TOKEN
keikai case infra-org "Power Grid" --sector power >/dev/null || fail "infra org"
keikai case add-vendor "$REF" "Alpha Soft" "Beta Systems" "Gamma Silent" >/dev/null || fail "add vendors"
keikai case notify "$REF" --all >/dev/null || fail "notify"
cas POST "/api/v1/cases/$REF/steps" '{"step":"acknowledge"}' "$TOK_A"
cas POST "/api/v1/cases/$REF/steps" '{"step":"request_details","accept_terms":true}' "$TOK_A"
cas POST "/api/v1/cases/$REF/steps" "{\"step\":\"send_details\",\"vendor_id\":$ORG_A}" "$TOK_COORD"
cas POST "/api/v1/cases/$REF/steps" '{"step":"verify","verification":"affected"}' "$TOK_A"
cas POST "/api/v1/cases/$REF/steps" '{"step":"report_fix","text":"ALPHA-FIX-TEXT in 3.3"}' "$TOK_A"
cas POST "/api/v1/cases/$REF/statements" '{"vuln":1,"status":"fixed","text_en":"ALPHA-STATEMENT fixed in 3.3","text_ja":"ALPHA-STATEMENT-JA"}' "$TOK_A"
assert_eq 200 "$STATUS" "Alpha states its fix"
cas POST "/api/v1/cases/$REF/steps" '{"step":"acknowledge"}' "$TOK_B"
cas POST "/api/v1/cases/$REF/steps" '{"step":"no_affected_product"}' "$TOK_B"
cas POST "/api/v1/cases/$REF/statements" '{"vuln":1,"status":"not_affected","text_en":"BETA-STATEMENT not used"}' "$TOK_B"
assert_eq 200 "$STATUS" "Beta states it is not affected"
cas POST "/api/v1/cases/$REF/messages" '{"thread":"all","body":"To every vendor: status check"}' "$TOK_COORD"
keikai case share "$REF" "Alpha Soft" >/dev/null || fail "Alpha shared with the others"
cas POST "/api/v1/cases/$REF/prenotify" '{"record":"consulted","note":"vendors agree"}' "$TOK_COORD"
cas POST "/api/v1/cases/$REF/prenotify" '{"record":"finder_told","note":"n"}' "$TOK_COORD"
assert_eq 200 "$STATUS" "the finder is told of the pre-notification"
cas POST "/api/v1/cases/$REF/infra-shares" "{\"vendor_id\":$(org_id "Power Grid"),\"draft\":\"advisory draft for RouterOS\",\"fix\":\"update to 3.3\"}" "$TOK_COORD"
assert_eq 201 "$STATUS" "pre-notified"

# ---- the website case of the same finder, with an operator account
keikai org add --kind operator "Shop Operator" >/dev/null
mkuser web@shop.example operator "Shop Operator"
make_token web@shop.example "$PW"; TOK_O=$TOKEN
printf '%s' '{"kind":"website","finder":{"name":"Hanako Finder","email":"hanako@finder.example"},"website":{"url":"https://shop.example/"},"vulnerability":{"description":"SQL injection in the cart","steps":"WEB-STEPS quote"},"policy_ack":true}' |
	keikai report submit --json - >"$TMP/w.out" || fail "website report"
TW=$(sed -n 's/^tracking number: //p' "$TMP/w.out")
keikai report accept "$TW" >/dev/null || fail "accept the website report"
H=$(keikai website list | grep -F shop.example | awk '{print $1}')
keikai website org "$H" "Shop Operator" >/dev/null || fail "link the operator"
keikai website contact "$H" info@shop.example >"$TMP/out" || fail "stage 1"
K1=$(sed -n 's/^operator link: .*key=//p' "$TMP/out")
keikai website stage - 2 --contact web@shop.example --key "$K1" >/dev/null || fail "stage 2"
keikai website stage "$H" 3 --portal >"$TMP/out" || fail "stage 3"
keikai mail flush >/dev/null 2>&1
K3=$(mailtext web@shop.example | grep -o 'portal?key=[A-Za-z0-9_-]*' | tail -1 | sed 's/.*key=//')
[ -n "$K3" ] || fail "the operator's link from its mail"
keikai website ack - --key "$K3" >/dev/null || fail "the operator acknowledges"
keikai mail flush >/dev/null 2>&1

# ---- before publication: every party's mail
FWEB="Hanako Finder|hanako@finder\\.example|$TRACKING|$TW"
MB=$(mailtext sec@beta.example) MC=$(mailtext info@gamma.example) MI=$(mailtext ops@grid.example)
MO=$(mailtext web@shop.example; mailtext info@shop.example)
[ -n "$MB" ] && [ -n "$MC" ] && [ -n "$MI" ] && [ -n "$MO" ] || fail "every party received mail"
check "Beta's mail" "$MB" "Gamma Silent|gamma\\.example|ALPHA-STATEMENT|ALPHA-FIX|$FINDER" "names no other vendor, no statement, no finder"
check "Gamma's mail" "$MC" "Beta Systems|beta\\.example|ALPHA-|BETA-|$FINDER" "names no other vendor, no statement, no finder"
check "the infrastructure mail" "$MI" "Alpha Soft|Beta Systems|Gamma Silent|ALPHA-|BETA-|$FINDER" "names no vendor, no finder"
check "the operator's mail" "$MO" "$FWEB|Alpha Soft|Beta Systems|Gamma Silent|ALPHA-|BETA-|$REF" "holds no finder data and nothing of the product case"

# ---- before publication: every party's pages and API answers
walk() { # WHO TOKEN FORBIDDEN URL...
	who=$1 tok=$2 bad=$3
	shift 3
	for u in "$@"; do
		cas GET "$u" "$tok"
		[ "$STATUS" = 200 ] || continue
		check "$who: GET $u" "$BODY" "$bad" "shows nothing it may not"
	done
}
CASE_URLS="/api/v1/cases/$REF /api/v1/cases /api/v1/cases/$REF/messages /api/v1/cases/$REF/statements /api/v1/cases/$REF/vendors /cases/$REF /cases"
# shared on purpose: Beta and Gamma may see Alpha's name and statement, never its fix text, never each other
walk Beta "$TOK_B" "Gamma Silent|gamma\\.example|ALPHA-FIX|$FINDER" $CASE_URLS /infra /api/v1/infra/shares
walk Gamma "$TOK_C" "Beta Systems|BETA-STATEMENT|ALPHA-FIX|$FINDER" $CASE_URLS /infra /api/v1/infra/shares
walk Alpha "$TOK_A" "Beta Systems|BETA-STATEMENT|Gamma Silent|$FINDER" $CASE_URLS
walk "the infrastructure user" "$TOK_I" "Alpha Soft|Beta Systems|Gamma Silent|ALPHA-|BETA-|$FINDER" \
	/infra /api/v1/infra/shares $CASE_URLS
N=${H#IPA#}
walk "the operator" "$TOK_O" "$FWEB|WEB-STEPS-NOT-SENT|Alpha Soft|Beta Systems|ALPHA-|BETA-|$REF" \
	"/website/portal?case=$N" "/api/v1/website/portal?case=$N" /api/v1/website/portal/cases /website/portal \
	"/website/portal?key=$K3" "/api/v1/website/portal?key=$K3" $CASE_URLS /infra
cas GET "/api/v1/website/portal?case=$N" "$TOK_O"
assert_eq 200 "$STATUS" "the operator reads its case"
cas GET "/api/v1/cases/$REF" "$TOK_O"
assert_eq 403 "$STATUS" "the operator has no way into product cases"
cas GET "/api/v1/cases/$REF" "$TOK_B"
assert_contains "$BODY" "Alpha Soft" "shared on purpose, Beta sees Alpha's name"
assert_contains "$BODY" "ALPHA-STATEMENT" "and its statement"

# ---- publication: the statements become public in the advisory
keikai cve-pool add CVE-2027-60022 >/dev/null 2>&1
cat >"$TMP/doc.json" <<'J'
{"product":{"ja":"RouterOS","en":"RouterOS"},"vulnerability":{"ja":"OS コマンドインジェクション","en":"OS command injection"},
 "overview":{"ja":"概要","en":"Overview"},"version_check":{"ja":"確認","en":"Check"},"description":{"ja":"詳細","en":"Details"},
 "threat":{"ja":"脅威","en":"Threat"},"fix":{"ja":"更新","en":"Update"},"contact":{"ja":"JPCERT/CC","en":"JPCERT/CC"},
 "products":[{"vendor":"Alpha Soft","product":"RouterOS","scheme":"generic"}]}
J
ID=$(keikai advisory create --kind JVN --json "$TMP/doc.json")
keikai advisory from-case "$ID" "$REF" >/dev/null || fail "advisory from the case"
keikai advisory publish "$ID" --exception already_public --reason "posted upstream" >/dev/null || fail "published"
SLUG=$(printf '%s' "$ID" | tr '#' '_')
api GET "/jvn/$SLUG/en"
assert_eq 200 "$STATUS" "the advisory is public"
assert_contains "$BODY" "ALPHA-STATEMENT" "Alpha's statement is public now"
assert_contains "$BODY" "BETA-STATEMENT" "and Beta's"
check "the public advisory" "$BODY" "ALPHA-FIX-TEXT|$FINDER" "carries no fix text nor finder data"
api GET "/api/v1/advisories/$SLUG"
check "the public advisory API" "$BODY" "$REF|$TRACKING|$FINDER" "carries no internal reference nor finder data"
done_testing

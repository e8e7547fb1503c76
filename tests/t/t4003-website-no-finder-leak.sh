#!/bin/sh
# t4003 — the operator never learns who the finder is. One case is taken through
# the receivers' pages, the operator's portal pages and API (by the secret link and by
# an operator account), stage 3 by PGP-encrypted mail, an attachment whose file name
# holds the finder's name, a direct exchange both ways, errors and completion; every
# page, API answer, header, error and mail (decrypted) the operator can reach is kept
# and searched for the finder's name, e-mail and the report's tracking number.
. "$(dirname "$0")/lib.sh"
command -v gpg >/dev/null || { echo "gpg missing (apt-get install gnupg)"; exit 1; }
command -v python3 >/dev/null || { echo "python3 missing"; exit 1; }
export KEIKAI_MAILDIR="$TMP/mail" KEIKAI_TEST_NOW=2026-03-10T01:00:00Z KEIKAI_BASE_URL=https://kk.example
start_server
SAW=$TMP/operator-saw
: >"$SAW"
keep() { printf '%s\n' "$BODY" >>"$SAW"; cat "$HDRS" >>"$SAW"; }
G="$TMP/gnupg"
mkdir -m 700 "$G"
gpg --homedir "$G" --batch --passphrase '' --quick-gen-key 'Shop Security <sec@leaky.example>' default default never \
	>/dev/null 2>&1 || { echo "cannot make a test key"; exit 1; }
KEY=$(gpg --homedir "$G" --armor --export sec@leaky.example)

# the text inside a PGP/MIME message (the decrypted entity's body, decoded)
decrypt() {
	gpg --homedir "$G" --batch --quiet --decrypt "$1" 2>/dev/null | tr -d '\r' >"$TMP/inner"
	if grep -qi '^Content-Transfer-Encoding: base64' "$TMP/inner"; then
		sed '1,/^$/d' "$TMP/inner" | base64 -d 2>/dev/null
	else
		sed '1,/^$/d' "$TMP/inner"
	fi
}
# every mail to the operator's addresses, decoded or decrypted, into $SAW
operator_mail() {
	for f in "$KEIKAI_MAILDIR"/new/*; do
		tr -d '\r' <"$f" | grep -qi '^To: .*@leaky\.example$' || continue
		tr -d '\r' <"$f" | sed '/^$/q' >>"$SAW"
		if grep -q 'BEGIN PGP MESSAGE' "$f"; then
			sed -n '/-----BEGIN PGP MESSAGE-----/,/-----END PGP MESSAGE-----/p' "$f" >"$TMP/enc.asc"
			decrypt "$TMP/enc.asc" >>"$SAW"
		elif tr -d '\r' <"$f" | grep -qi '^Content-Transfer-Encoding: base64'; then
			tr -d '\r' <"$f" | sed '1,/^$/d' | base64 -d >>"$SAW" 2>/dev/null
		else
			tr -d '\r' <"$f" | sed '1,/^$/d' >>"$SAW"
		fi
	done
}

printf '%s\n' "receiver-password-1" | keikai user add --email rcv@example.org --name Receiver --role receiver >/dev/null
keikai org add --kind operator "Leaky Shop" >/dev/null
printf '%s\n' "operator-password-1" | keikai user add --email op@leaky.example --name "Shop Operator" --role operator --org "Leaky Shop" >/dev/null
R='{"kind":"website","finder":{"name":"Kazuko Himitsu","email":"kazuko.himitsu@finder.example","disclose":"name_contact","credit":true,"credit_name":"Kazuko H."},"website":{"name":"Leaky","url":"https://www.leaky.example/search"},"vulnerability":{"cwe":"CWE-79","description":"stored XSS in the search history","steps":"search for <script>","impact":"session theft"},"policy_ack":true}'
api_json POST /api/v1/reports "$R"
T=$(json_str tracking)
FK=$(json_str key)
printf 'proof of concept\n' >"$TMP/poc.txt"
keikai report attach "$T" "$TMP/poc.txt" --name "kazuko-himitsu-poc.txt" >/dev/null
keikai report accept "$T" >/dev/null
H=$(keikai website list --json | grep -o '"handling":"[^"]*"' | sed 's/.*:"//; s/"$//')
N=${H#IPA#}

# --- the receiver's pages: board, case, stage 1 by form, link the organization
login rcv@example.org receiver-password-1 "$TMP/rcv"
RCSRF=$CSRF
api GET /website -b "$TMP/rcv"
assert_eq 200 "$STATUS" "the receivers' board"
assert_contains "$BODY" "$H" "lists the case"
api GET "/website/case/$N" -b "$TMP/rcv"
assert_eq 200 "$STATUS" "the case page"
assert_contains "$BODY" 'id="checklist"' "with the operator's checklist"
api POST "/website/case/$N" -b "$TMP/rcv" --data-urlencode "csrf=$RCSRF" --data-urlencode action=notify \
	--data-urlencode "addresses=info@leaky.example"
assert_eq 200 "$STATUS" "stage 1 by the form"
L1=$(printf '%s' "$BODY" | grep -o 'https://kk.example/website/portal?key=[A-Za-z0-9_-]*' | head -1)
K1=${L1#*key=}
assert_eq 43 "${#K1}" "the page shows the new link once"
api POST "/website/case/$N" -b "$TMP/rcv" --data-urlencode "csrf=$RCSRF" --data-urlencode action=org \
	--data-urlencode "org=Leaky Shop"
assert_eq 303 "$STATUS" "the organization linked"
api POST "/website/case/$N" -b "$TMP/rcv" --data-urlencode action=note --data-urlencode text=x
assert_eq 403 "$STATUS" "a form without the CSRF token is refused"

# --- the operator's portal page by the link: stage 1 and 2
api GET "/website/portal?key=$K1"
keep
assert_eq 200 "$STATUS" "the portal by the link"
assert_contains "$BODY" "https://www.leaky.example/search" "shows the URL"
assert_not_contains "$BODY" "$H" "no handling number before stage 3"
assert_not_contains "$BODY" "stored XSS" "no details before stage 3"
api POST /website/portal --data-urlencode "key=$K1" --data-urlencode action=contact --data-urlencode email=bad
keep
assert_eq 422 "$STATUS" "a bad contact address is refused on the page"
api POST /website/portal --data-urlencode "key=$K1" --data-urlencode action=contact \
	--data-urlencode email=sec@leaky.example --data-urlencode "name=Shop Security"
keep
assert_eq 200 "$STATUS" "the contact point given on the page"
api GET "/website/portal?key=$K1"
keep
assert_eq 404 "$STATUS" "the old link is refused"
keikai mail flush >/dev/null
K2=$(for f in "$KEIKAI_MAILDIR"/new/*; do tr -d '\r' <"$f" | grep -qi '^To: sec@leaky.example' && tr -d '\r' <"$f" | sed '1,/^$/d' | base64 -d 2>/dev/null; done | grep -o 'portal?key=[A-Za-z0-9_-]*' | head -1 | sed 's/.*key=//')
assert_eq 43 "${#K2}" "the contact point's link came by mail"

# --- stage 3 with the operator's PGP key through the API
BODYJ=$(python3 -c 'import json,sys; print(json.dumps({"key":sys.argv[1],"action":"protect","pgp_key":sys.argv[2]}))' "$K2" "$KEY")
api_json POST /api/v1/website/portal "$BODYJ"
keep
assert_eq 200 "$STATUS" "the key accepted"
assert_contains "$BODY" '"protection":"pgp"' "details go encrypted"
assert_contains "$BODY" '"filename":"attachment-' "the attachment under a neutral name"
keikai mail flush >/dev/null
enc=$(grep -l 'BEGIN PGP MESSAGE' "$KEIKAI_MAILDIR"/new/* | xargs -r grep -li '^To: sec@leaky.example' | head -1)
assert_contains "$(cat "$enc")" 'multipart/encrypted' "stage 3 mail is PGP/MIME"
assert_not_contains "$(cat "$enc")" "stored XSS" "no details in plain"
sed -n '/-----BEGIN PGP MESSAGE-----/,/-----END PGP MESSAGE-----/p' "$enc" >"$TMP/enc.asc"
inner=$(decrypt "$TMP/enc.asc")
assert_contains "$inner" "stored XSS in the search history" "the details inside"
assert_contains "$inner" "Handling number: $H" "with the handling number"
assert_contains "$inner" "session theft" "and the assumed risk"

# --- the operator's account: pages, API, files, errors
login op@leaky.example operator-password-1 "$TMP/op"
OCSRF=$CSRF
api GET /website/portal -b "$TMP/op"
keep
assert_contains "$BODY" "$H" "the organization's cases on the portal"
api GET "/website/portal?case=$N" -b "$TMP/op"
keep
assert_eq 200 "$STATUS" "the case page for the operator account"
assert_contains "$BODY" 'id="checklist"' "the checklist is shown to the operator"
SHA=$(printf '%s' "$BODY" | grep -o 'files/[0-9a-f]\{64\}' | head -1 | sed 's|files/||')
api GET /api/v1/website/portal/cases -b "$TMP/op"
keep
assert_contains "$BODY" "$H" "the operator account lists its case"
api GET "/api/v1/website/portal?case=$N" -b "$TMP/op"
keep
assert_eq 200 "$STATUS" "the API for the operator account"
SHA=${SHA:-$(json_str sha256)}
api GET "/api/v1/website/portal/files/$SHA?case=$N" -b "$TMP/op"
keep
assert_eq 200 "$STATUS" "the attachment downloads"
assert_contains "$(header Content-Disposition)" "attachment-" "under a neutral name"
api GET "/website/portal/files/$SHA?key=$K2"
keep
assert_eq 200 "$STATUS" "and through the link"
api GET "/api/v1/website/cases/$N" -b "$TMP/op"
keep
assert_eq 403 "$STATUS" "the receivers' API is closed to the operator"
api GET "/website/case/$N" -b "$TMP/op"
keep
assert_eq 403 "$STATUS" "so is the receivers' page"
api GET "/api/v1/website/portal?case=99999999" -b "$TMP/op"
keep
assert_eq 404 "$STATUS" "an unknown case: 404"
api GET "/api/v1/reports/$T?key=$K2"
keep
assert_eq 404 "$STATUS" "the operator's key does not open the report"
api GET "/api/v1/website/finder/$T?key=$K2"
keep
assert_eq 404 "$STATUS" "nor the finder's page"

# --- the operator works through the pages (account, CSRF)
api POST /website/portal -b "$TMP/op" --data-urlencode "csrf=$OCSRF" --data-urlencode "case=$H" --data-urlencode action=ack
keep
assert_eq 303 "$STATUS" "acknowledged on the page"
api POST /website/portal -b "$TMP/op" --data-urlencode "csrf=$OCSRF" --data-urlencode "case=$H" \
	--data-urlencode action=check --data-urlencode item=impact_plan
keep
api POST /website/portal -b "$TMP/op" --data-urlencode "csrf=$OCSRF" --data-urlencode "case=$H" \
	--data-urlencode action=direct_agree
keep
assert_eq 303 "$STATUS" "the operator agrees to a direct exchange"
api_json POST /api/v1/website/portal "{\"case\":\"$H\",\"action\":\"direct\",\"text\":\"Can you retest?\"}" -b "$TMP/op" -H "X-CSRF-Token: $OCSRF"
keep
assert_eq 409 "$STATUS" "not before the finder agrees"
api POST "/website/finder/$T" --data-urlencode "key=$FK" --data-urlencode action=direct_agree
assert_eq 200 "$STATUS" "the finder agrees on their page"
api_json POST /api/v1/website/portal "{\"case\":\"$H\",\"action\":\"direct\",\"text\":\"Can you retest?\"}" -b "$TMP/op" -H "X-CSRF-Token: $OCSRF"
keep
assert_eq 200 "$STATUS" "the operator writes to the finder"
api_json POST "/api/v1/website/finder/$T" "{\"key\":\"$FK\",\"action\":\"direct\",\"text\":\"Retested: the quote no longer breaks out.\"}"
assert_eq 200 "$STATUS" "the finder answers"
assert_contains "$BODY" "Can you retest?" "the finder sees the operator's message"
api GET "/website/portal?case=$N" -b "$TMP/op"
keep
assert_contains "$BODY" "Retested: the quote no longer breaks out." "the operator sees the finder's message"
api POST /website/portal -b "$TMP/op" --data-urlencode "csrf=$OCSRF" --data-urlencode "case=$H" \
	--data-urlencode action=complete --data-urlencode "text=Escaped the search history output."
keep
assert_eq 303 "$STATUS" "completion reported on the page"
api GET "/website/finder/$T?key=$FK"
assert_contains "$BODY" "Escaped the search history output." "the finder's page shows the completion report"
api GET "/api/v1/website/cases/$N" -b "$TMP/rcv"
assert_contains "$BODY" "Can you retest?" "the receivers keep a copy of the exchange"
assert_contains "$BODY" "Retested: the quote" "both ways"

keikai mail flush >/dev/null
operator_mail
assert_contains "$(cat "$SAW")" "Retested: the quote no longer breaks out." "the finder's message reached the operator by mail"
for needle in Kazuko Himitsu kazuko.himitsu@finder.example "Kazuko H." "$T"; do
	assert_not_contains "$(cat "$SAW")" "$needle" "the operator never got '$needle'"
done
lines=$(wc -l <"$SAW")
assert_eq yes "$([ "$lines" -gt 300 ] && echo yes || echo "no: $lines")" "the search covered everything collected"
done_testing

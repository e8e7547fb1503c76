#!/bin/sh
# t3000 — vendor directory through the API and the CLI: add, read, change, contacts (to/cc, phone,
# PGP key checked by encrypting to it), products (CPE, purl), search, matching, and errors that name
# the field; receivers read, only coordinators/admin change.
. "$(dirname "$0")/lib.sh"
start_server
KEY=$ROOT/tests/data/coord/psirt-example-vendor.asc

make_token "$ADMIN_EMAIL" "$ADMIN_PASSWORD"
ADM="Authorization: Bearer $TOKEN"
for role in coordinator receiver; do
	printf 'password-of-%s\n' "$role" | keikai user add --email "$role@example.org" --name "$role" --role "$role" >/dev/null
	make_token "$role@example.org" "password-of-$role"
	eval "tok_$role=\$TOKEN"
done
CRD="Authorization: Bearer $tok_coordinator"
RCV="Authorization: Bearer $tok_receiver"

# --- create
api_json POST /api/v1/vendors '{"name":"Acme","name_ja":"アクメ株式会社","name_en":"Acme Corp","lang":"en","cpe_vendor":"Acme","terms_agreed":true}' -H "$CRD"
assert_eq 201 "$STATUS" "coordinator adds a vendor"
ACME=$(json_int id)
assert_contains "$BODY" '"cpe_vendor":"acme"' "CPE vendor stored lower case"
assert_contains "$BODY" '"terms_agreed":true' "terms agreed"
assert_contains "$BODY" '"terms_agreed_at":"20' "with a date"
api_json POST /api/v1/vendors '{"name":"Acme"}' -H "$CRD"
assert_eq 409 "$STATUS" "the same vendor twice"
api_json POST /api/v1/vendors '{"name":"Bad","lang":"fr"}' -H "$CRD"
assert_eq 422 "$STATUS" "unknown language"
assert_contains "$BODY" '"field":"lang"' "the error names the field"
api_json POST /api/v1/vendors '{"name":"Nope"}' -H "$RCV"
assert_eq 403 "$STATUS" "receivers do not add vendors"
api_json POST /api/v1/vendors '{"name":"Nope"}'
assert_eq 401 "$STATUS" "the public does not add vendors"

# --- contacts
api_json POST /api/v1/vendors/$ACME/contacts '{"email":"psirt@acme.example","label":"PSIRT"}' -H "$CRD"
assert_eq 201 "$STATUS" "add a to contact"
api_json POST /api/v1/vendors/$ACME/contacts '{"email":"cc@acme.example","role":"cc"}' -H "$CRD"
assert_eq 201 "$STATUS" "add a cc contact"
api_json POST /api/v1/vendors/$ACME/contacts '{"phone":"+81-3-1234-5678","label":"desk"}' -H "$CRD"
assert_eq 201 "$STATUS" "add a phone contact"
api_json POST /api/v1/vendors/$ACME/contacts '{"email":"not an address"}' -H "$CRD"
assert_eq 422 "$STATUS" "bad e-mail refused"
assert_contains "$BODY" '"field":"email"' "bad e-mail: field named"
api_json POST /api/v1/vendors/$ACME/contacts '{"email":"k@acme.example","pgp_key":"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n"}' -H "$CRD"
assert_eq 422 "$STATUS" "a key gpg cannot use is refused"
assert_contains "$BODY" '"field":"pgp_key"' "bad key: field named"
KEYJSON=$(awk '{printf "%s\\n", $0}' "$KEY")
api_json POST /api/v1/vendors/$ACME/contacts "{\"email\":\"secure@acme.example\",\"pgp_key\":\"$KEYJSON\",\"lang\":\"ja\"}" -H "$CRD"
assert_eq 201 "$STATUS" "a real key is accepted"
assert_contains "$BODY" "BEGIN PGP PUBLIC KEY BLOCK" "the key comes back"

# --- products
api_json POST /api/v1/vendors/$ACME/products '{"name_en":"Acme Router RX-100","name_ja":"アクメルーター RX-100","cpe":"rx-100"}' -H "$CRD"
assert_eq 201 "$STATUS" "product by CPE product (vendor from cpe_vendor)"
assert_contains "$BODY" '"cpe_product":"rx-100"' "CPE product stored"
api_json POST /api/v1/vendors/$ACME/products '{"name_en":"acme-lib","purl":"pkg:npm/%40acme/acme-lib@1.0"}' -H "$CRD"
assert_eq 201 "$STATUS" "product by purl"
assert_contains "$BODY" '"purl_namespace":"@acme"' "purl namespace decoded"
api_json POST /api/v1/vendors/$ACME/products '{"name_en":"Other","cpe":"acme:rx-100"}' -H "$CRD"
assert_eq 409 "$STATUS" "same CPE twice"
api_json POST /api/v1/vendors/$ACME/products '{"name_en":"X","cpe":"cpe:2.3:a:acme"}' -H "$CRD"
assert_eq 422 "$STATUS" "malformed CPE"
assert_contains "$BODY" '"field":"cpe"' "malformed CPE: field named"

# --- read, search, match
api GET /api/v1/vendors/$ACME -H "$RCV"
assert_eq 200 "$STATUS" "receivers read a vendor"
assert_contains "$BODY" '"role":"cc"' "contacts listed"
api GET "/api/v1/vendors?q=RX-100" -H "$RCV"
assert_contains "$BODY" '"total":1' "search by product name"
api GET "/api/v1/vendors?q=%E3%82%A2%E3%82%AF%E3%83%A1" -H "$CRD"
assert_contains "$BODY" '"name":"Acme"' "search by Japanese name"
api GET "/api/v1/vendors?cpe=acme:rx-100" -H "$CRD"
assert_contains "$BODY" '"total":1' "search by CPE vendor:product"
api GET "/api/v1/vendors?cpe=nobody" -H "$CRD"
assert_contains "$BODY" '"total":0' "no vendor for another CPE vendor"
api GET "/api/v1/vendors/match?cpe=cpe:2.3:a:acme:rx-100:2.0:*:*:*:*:*:*:*" -H "$CRD"
assert_contains "$BODY" '"how":"cpe_product","score":100' "match by CPE name"
api GET "/api/v1/vendors/match?purl=pkg:npm/%2540acme/acme-lib@2.0.0" -H "$CRD"
assert_contains "$BODY" '"how":"purl"' "match by purl"
api GET "/api/v1/vendors/match?product=Acme%20Router%20RX-100%20firmware" -H "$CRD"
assert_contains "$BODY" '"how":"product_name"' "match by product name in free text"
api GET "/api/v1/vendors/match" -H "$CRD"
assert_eq 422 "$STATUS" "match needs something"

# --- change
api_json PATCH /api/v1/vendors/$ACME '{"name_en":"Acme Corporation","terms_agreed":false}' -H "$CRD"
assert_eq 200 "$STATUS" "coordinator changes the vendor"
assert_contains "$BODY" '"name_en":"Acme Corporation"' "name changed"
assert_contains "$BODY" '"terms_agreed":false' "terms withdrawn"
api_json PATCH /api/v1/vendors/$ACME '{"name_en":"x"}' -H "$RCV"
assert_eq 403 "$STATUS" "receivers do not change vendors"
CID=$(printf '%s' "$BODY" | tr '{' '\n' | grep -o '"id":[0-9]*,"label":"desk"' | grep -o '[0-9]*' | head -1)
api GET /api/v1/vendors/$ACME -H "$CRD"
CID=$(printf '%s' "$BODY" | grep -o '"id":[0-9]*,"label":"desk"' | grep -o '[0-9][0-9]*' | head -1)
api DELETE /api/v1/vendors/$ACME/contacts/$CID -H "$CRD"
assert_eq 200 "$STATUS" "remove a contact"
assert_not_contains "$BODY" '"label":"desk"' "the contact is gone"
api DELETE /api/v1/vendors/$ACME/contacts/$CID -H "$CRD"
assert_eq 404 "$STATUS" "removing it again: 404"

# --- the CLI sees the same directory
keikai vendor add "Example Networks" --ja "エグザンプル" --cpe-vendor example --terms 2026-04-01 >"$TMP/out" 2>&1
assert_contains "$(cat "$TMP/out")" "added vendor Example Networks" "keikai vendor add"
keikai vendor contact add "Example Networks" --email psirt@example.jp --pgp-key "$KEY" >"$TMP/out" 2>&1
assert_contains "$(cat "$TMP/out")" "added contact" "keikai vendor contact add with a key file"
keikai vendor product add "Example Networks" --en "Example Switch" --cpe switch >"$TMP/out" 2>&1
assert_contains "$(cat "$TMP/out")" "added product" "keikai vendor product add"
keikai vendor contact add "Example Networks" --email broken >"$TMP/out" 2>&1
assert_eq 1 "$?" "bad contact: exit 1"
assert_contains "$(cat "$TMP/out")" "email: email 'broken' is not an e-mail address" "CLI error names the field"
keikai vendor list --json >"$TMP/out"
assert_contains "$(cat "$TMP/out")" '"name":"Example Networks"' "keikai vendor list --json"
assert_contains "$(cat "$TMP/out")" '"terms_agreed_at":"2026-03-31T15:00:00Z"' "terms date is midnight in Japan"
keikai vendor show "エグザンプル" >"$TMP/out"
assert_contains "$(cat "$TMP/out")" "[PGP]" "keikai vendor show by Japanese name: contact with key"
assert_contains "$(cat "$TMP/out")" "cpe example:switch" "product with CPE"
keikai vendor match --cpe example:switch >"$TMP/out"
assert_contains "$(cat "$TMP/out")" "cpe_product" "keikai vendor match"
api GET "/api/v1/audit?limit=100" -H "$ADM"
assert_contains "$BODY" '"action":"vendor.contact.add"' "changes are audited"
done_testing

#!/bin/sh
# t3002 — vendor users keep their own directory entry up to date (contacts, PGP key, products) through
# /vendor/profile and the API, and can neither read nor change another vendor's (403); they never see
# the directory or the coordinators' note.
. "$(dirname "$0")/lib.sh"
start_server
KEY=$ROOT/tests/data/coord/psirt-example-vendor.asc
JAR_A=$TMP/a.jar
make_token "$ADMIN_EMAIL" "$ADMIN_PASSWORD"
ADM="Authorization: Bearer $TOKEN"

keikai vendor add "Alpha Soft" --ja "アルファソフト" --note "slow to answer" >/dev/null
keikai vendor add "Bravo Labs" >/dev/null
keikai vendor contact add "Bravo Labs" --email secret-psirt@bravo.example >/dev/null
A=$(keikai vendor list --json | grep -o '"id":[0-9]*,"name":"Alpha Soft"' | grep -o '[0-9][0-9]*' | head -1)
B=$(keikai vendor list --json | grep -o '"id":[0-9]*,"name":"Bravo Labs"' | grep -o '[0-9][0-9]*' | head -1)
# an organization an administrator made without a directory entry
keikai org add --kind vendor "Charlie Systems" >/dev/null
for u in "alice Alpha Soft" "bob Bravo Labs" "carol Charlie Systems"; do
	set -- $u
	who=$1; shift
	printf 'password-of-%s\n' "$who" | keikai user add --email "$who@example.org" --name "$who" --role vendor --org "$*" >/dev/null ||
		fail "cannot add vendor user $who"
done
make_token alice@example.org password-of-alice
ALICE="Authorization: Bearer $TOKEN"
make_token carol@example.org password-of-carol
CAROL="Authorization: Bearer $TOKEN"

# --- API: one's own entry
api GET /api/v1/vendor/profile -H "$ALICE"
assert_eq 200 "$STATUS" "alice reads her organization's entry"
assert_contains "$BODY" '"name":"Alpha Soft"' "it is Alpha Soft"
assert_not_contains "$BODY" "slow to answer" "the coordinators' note is not shown to the vendor"
api_json POST /api/v1/vendors/$A/contacts '{"email":"psirt@alpha.example","label":"PSIRT","lang":"en"}' -H "$ALICE"
assert_eq 201 "$STATUS" "alice adds a contact to her own entry"
KEYJSON=$(awk '{printf "%s\\n", $0}' "$KEY")
api_json POST /api/v1/vendors/$A/contacts "{\"email\":\"pgp@alpha.example\",\"pgp_key\":\"$KEYJSON\"}" -H "$ALICE"
assert_eq 201 "$STATUS" "alice adds a contact with a PGP key"
api_json POST /api/v1/vendors/$A/products '{"name_en":"Alpha Office","cpe":"alpha:office"}' -H "$ALICE"
assert_eq 201 "$STATUS" "alice adds a product"
api GET /api/v1/vendors/$A -H "$ALICE"
assert_eq 200 "$STATUS" "alice reads her entry by id"
ACID=$(printf '%s' "$BODY" | grep -o '"id":[0-9]*,"label":"PSIRT"' | grep -o '[0-9][0-9]*' | head -1)
api_json PUT /api/v1/vendors/$A/contacts/$ACID '{"email":"psirt-new@alpha.example","label":"PSIRT","role":"to","lang":"ja"}' -H "$ALICE"
assert_eq 200 "$STATUS" "alice replaces her contact"
assert_contains "$BODY" '"email":"psirt-new@alpha.example"' "the new address"
assert_not_contains "$BODY" '"email":"psirt@alpha.example"' "the old one is gone"
APID=$(printf '%s' "$BODY" | grep -o '"id":[0-9]*,"name_ja":"","name_en":"Alpha Office"' | grep -o '[0-9][0-9]*' | head -1)
api_json PUT /api/v1/vendors/$A/products/$APID '{"name_en":"Alpha Office 365","cpe":"alpha:office"}' -H "$ALICE"
assert_eq 200 "$STATUS" "alice renames her product"
assert_contains "$BODY" '"name_en":"Alpha Office 365"' "renamed"
api_json PUT /api/v1/vendors/$A/products/999999 '{"name_en":"X"}' -H "$ALICE"
assert_eq 404 "$STATUS" "no such product of hers"

# --- another vendor's entry: 403 for every verb
api GET /api/v1/vendors/$B -H "$ALICE"
assert_eq 403 "$STATUS" "alice cannot read Bravo's entry"
assert_not_contains "$BODY" "secret-psirt" "nothing of Bravo leaks"
api_json POST /api/v1/vendors/$B/contacts '{"email":"evil@alpha.example"}' -H "$ALICE"
assert_eq 403 "$STATUS" "alice cannot add a contact to Bravo"
api_json POST /api/v1/vendors/$B/products '{"name_en":"Fake"}' -H "$ALICE"
assert_eq 403 "$STATUS" "alice cannot add a product to Bravo"
api DELETE /api/v1/vendors/$B/contacts/1 -H "$ALICE"
assert_eq 403 "$STATUS" "alice cannot remove Bravo's contacts"
api_json PUT /api/v1/vendors/$B/contacts/1 '{"email":"evil@alpha.example"}' -H "$ALICE"
assert_eq 403 "$STATUS" "alice cannot replace Bravo's contacts"
api_json PATCH /api/v1/vendors/$A '{"name_en":"x"}' -H "$ALICE"
assert_eq 403 "$STATUS" "vendors do not change their names or terms (coordinators do)"
api_json PUT /api/v1/vendors/$A/unreachable '{"unreachable":false}' -H "$ALICE"
assert_eq 403 "$STATUS" "vendors do not take themselves off the unreachable list"
api GET /api/v1/vendors -H "$ALICE"
assert_eq 403 "$STATUS" "vendors do not search the directory"
api GET /api/v1/vendors/match?cpe=alpha -H "$ALICE"
assert_eq 403 "$STATUS" "vendors do not use matching"

# --- the page: /vendor/profile with its forms; posting to another vendor is 403
login alice@example.org password-of-alice "$JAR_A"
api GET "/vendor/profile?lang=en" -b "$JAR_A"
assert_eq 200 "$STATUS" "alice's profile page"
assert_contains "$BODY" "psirt-new@alpha.example" "her contacts"
assert_contains "$BODY" "Alpha Office 365" "her products"
assert_contains "$BODY" 'id="contact-add"' "the add-contact form"
assert_contains "$BODY" 'id="nav-vendor-profile"' "the navigation links to the profile"
assert_not_contains "$BODY" 'id="vendor-edit"' "no coordinator edit form"
assert_not_contains "$BODY" "slow to answer" "no note on the page"
CSRFA=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$BODYF" | head -n 1)
api POST /vendors/$A/products -b "$JAR_A" --data-urlencode "csrf=$CSRFA" -d verb=add -d back=profile \
	--data-urlencode "name_ja=アルファ会計" -d "name_en=Alpha Books" -d cpe=alpha:books
assert_eq 303 "$STATUS" "product added from the page"
assert_eq "/vendor/profile?done=saved" "$(header Location)" "back to the profile"
api POST /vendors/$A/contacts -b "$JAR_A" --data-urlencode "csrf=$CSRFA" -d verb=add -d back=profile \
	-d email=broken -d "lang=ja"
assert_eq 422 "$STATUS" "a bad address is refused on the page"
assert_contains "$BODY" "email: email" "the error names the field"
assert_contains "$BODY" 'id="contact-add"' "the profile page comes back with its forms"
api POST /vendors/$A/contacts -b "$JAR_A" -d verb=add -d email=nocsrf@alpha.example
assert_eq 403 "$STATUS" "a form post without the CSRF token is refused"
api POST /vendors/$B/contacts -b "$JAR_A" --data-urlencode "csrf=$CSRFA" -d verb=add -d email=x@alpha.example
assert_eq 403 "$STATUS" "alice cannot post a contact to Bravo's entry"
api POST /vendors/$B/products -b "$JAR_A" --data-urlencode "csrf=$CSRFA" -d verb=remove -d item=1
assert_eq 403 "$STATUS" "alice cannot remove Bravo's products"
api GET /vendors/$B -b "$JAR_A"
assert_eq 403 "$STATUS" "alice cannot open Bravo's page"
api GET /vendors -b "$JAR_A"
assert_eq 403 "$STATUS" "alice cannot open the directory"
keikai vendor show "Bravo Labs" --json >"$TMP/b"
assert_contains "$(cat "$TMP/b")" '"contacts":[{"id"' "Bravo still has its contact"
assert_not_contains "$(cat "$TMP/b")" "alpha.example" "and nothing of alice's"
keikai vendor show "Alpha Soft" --json >"$TMP/a"
assert_contains "$(cat "$TMP/a")" '"name_en":"Alpha Books"' "alice's product is in the directory"

# --- a vendor organization without a directory entry gets one on first use
api GET /api/v1/vendor/profile -H "$CAROL"
assert_eq 200 "$STATUS" "carol's organization gets its entry"
assert_contains "$BODY" '"name":"Charlie Systems"' "named after the organization"
C=$(json_int id)
api_json POST /api/v1/vendors/$C/contacts '{"email":"psirt@charlie.example"}' -H "$CAROL"
assert_eq 201 "$STATUS" "carol adds a contact"
api GET "/api/v1/audit?limit=100" -H "$ADM"
assert_contains "$BODY" '"actor":"user:alice@example.org","actor_user_id":2,"action":"vendor.product.add"' "vendor changes are audited as the vendor user"
done_testing

#!/bin/sh
# t3004 — the coordinators' directory pages: search (name ja/en, product, CPE), paging, the add form
# with errors next to the field (values escaped), a vendor's page with contacts, products, the edit
# form, listing and delisting as unreachable; receivers read but get no forms.
. "$(dirname "$0")/lib.sh"
start_server
JAR=$TMP/c.jar
printf 'password-of-coordinator\n' | keikai user add --email coord@example.org --name Coord --role coordinator >/dev/null
printf 'password-of-receiver\n' | keikai user add --email recv@example.org --name Recv --role receiver >/dev/null
login coord@example.org password-of-coordinator "$JAR"
api GET "/vendors?lang=en" -b "$JAR"
assert_eq 200 "$STATUS" "directory page"
assert_contains "$BODY" 'id="vendor-search"' "search form"
assert_contains "$BODY" 'id="vendor-add"' "add form for coordinators"
assert_contains "$BODY" 'id="nav-vendors"' "navigation link"
CS=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$BODYF" | head -n 1)

# --- add: errors next to the field, then success
api POST "/vendors?lang=en" -b "$JAR" --data-urlencode "csrf=$CS" --data-urlencode 'name=<b>Evil</b>' -d cpe_vendor='bad vendor'
assert_eq 422 "$STATUS" "bad CPE vendor refused"
assert_contains "$BODY" "cpe_vendor: cpe_vendor" "the error names the field"
assert_not_contains "$BODY" "<b>Evil</b>" "nothing is echoed unescaped"
api POST /vendors -b "$JAR" --data-urlencode "csrf=$CS" -d name=Acme --data-urlencode "name_ja=アクメ" -d name_en=Acme%20Corp -d cpe_vendor=acme -d lang=en
assert_eq 303 "$STATUS" "vendor added"
LOC=$(header Location)
ID=$(echo "$LOC" | sed 's|/vendors/\([0-9]*\).*|\1|')
api GET "$LOC&lang=en" -b "$JAR"
assert_contains "$BODY" "The vendor was added." "confirmation"
assert_contains "$BODY" 'id="vendor-edit"' "edit form"
assert_contains "$BODY" 'id="vendor-unreachable-form"' "unreachable form"
api POST /vendors -b "$JAR" --data-urlencode "csrf=$CS" -d name=Acme
assert_eq 409 "$STATUS" "the same name twice"

# --- contacts and products from the vendor page
api POST /vendors/$ID/contacts -b "$JAR" --data-urlencode "csrf=$CS" -d verb=add -d email=psirt@acme.example -d role=to -d lang=en
assert_eq 303 "$STATUS" "contact added"
api POST /vendors/$ID/products -b "$JAR" --data-urlencode "csrf=$CS" -d verb=add -d name_en=Widget -d cpe=widget
assert_eq 303 "$STATUS" "product added (CPE product of the vendor's CPE vendor)"
api POST /vendors/$ID -b "$JAR" --data-urlencode "csrf=$CS" -d verb=update -d name_en=Acme%20Corporation -d lang=en -d terms=1 -d cpe_vendor=acme
assert_eq 303 "$STATUS" "vendor changed"
api GET "/vendors/$ID?lang=en" -b "$JAR"
assert_contains "$BODY" "psirt@acme.example" "contact shown"
assert_contains "$BODY" "acme:widget" "product with its CPE"
assert_contains "$BODY" "Acme Corporation" "new English name"
assert_not_contains "$BODY" "<dd>not yet</dd>" "terms agreed"

# --- search
for i in 1 2 3; do keikai vendor add "Filler $i" >/dev/null; done
api GET "/vendors?q=%E3%82%A2%E3%82%AF%E3%83%A1" -b "$JAR"
assert_contains "$BODY" ">Acme</a>" "search by the Japanese name"
assert_not_contains "$BODY" "Filler" "only the match"
api GET "/vendors?q=widget" -b "$JAR"
assert_contains "$BODY" ">Acme</a>" "search by product"
api GET "/vendors?cpe=acme:widget" -b "$JAR"
assert_contains "$BODY" ">Acme</a>" "search by CPE vendor:product"
api GET "/vendors?cpe=bad%20cpe" -b "$JAR"
assert_eq 422 "$STATUS" "a malformed CPE filter is refused"

# --- paging: 50 a page, the next link keeps the query
{ echo "vendor,record"; i=0; while [ $i -lt 60 ]; do echo "Bulk $i,vendor"; i=$((i + 1)); done; } >"$TMP/bulk.csv"
keikai vendor import "$TMP/bulk.csv" >/dev/null
api GET "/vendors?q=Bulk&lang=en" -b "$JAR"
assert_contains "$BODY" "60 vendors; showing 50 from 1." "first page of 50"
assert_contains "$BODY" 'href="/vendors?offset=50&amp;q=Bulk&amp;cpe="' "next page link with the query"
api GET "/vendors?offset=50&q=Bulk&lang=en" -b "$JAR"
assert_contains "$BODY" "60 vendors; showing 10 from 51." "second page"

# --- unreachable from the page
api POST /vendors/$ID -b "$JAR" --data-urlencode "csrf=$CS" -d verb=unreachable -d product=Widget -d version=1.0
assert_eq 303 "$STATUS" "listed as unreachable"
api GET "/vendors?unreachable=1&lang=en" -b "$JAR"
assert_contains "$BODY" ">Acme</a>" "the unreachable filter"
assert_contains "$BODY" "<td>unreachable</td>" "state column"
api GET /unreachable
assert_contains "$BODY" "アクメ" "on the public page"
api POST /vendors/$ID -b "$JAR" --data-urlencode "csrf=$CS" -d verb=reachable
assert_eq 303 "$STATUS" "delisted"
api GET /unreachable
assert_not_contains "$BODY" "アクメ" "off the public page"

# --- receivers read, no forms
JR=$TMP/r.jar
login recv@example.org password-of-receiver "$JR"
api GET "/vendors/$ID" -b "$JR"
assert_eq 200 "$STATUS" "receivers read a vendor"
assert_not_contains "$BODY" 'id="vendor-edit"' "no edit form for receivers"
assert_not_contains "$BODY" 'id="contact-add"' "no contact form for receivers"
RC=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$BODYF" | head -n 1)
api POST /vendors/$ID/contacts -b "$JR" --data-urlencode "csrf=$RC" -d verb=add -d email=r@example.org
assert_eq 403 "$STATUS" "receivers cannot add contacts"
done_testing

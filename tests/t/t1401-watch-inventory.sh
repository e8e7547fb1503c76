#!/bin/sh
# t1401 — inventories: per organization and personal; items picked from the
# dictionary by Japanese and English names, typed as CPE / purl, imported
# from SBOMs; a re-import shows what was added, removed and upgraded;
# dismissing a match for one item; VEX statements made and imported;
# the check of an inventory; and no organization ever sees another's
# inventory (list, get, check, import, items, VEX, dismissals: 404).
. "$(dirname "$0")/lib.sh"
start_server
mkdir "$TMP/in"
cp tests/data/import/y_nvd_api2_log4shell.json tests/data/import/y_osv_go.jsonl tests/data/import/y_kev_catalog_sample.json \
	tests/data/import/y_jvn-products_sample.jsonl "$TMP/in/"
keikai import "$TMP/in" >/dev/null 2>&1
keikai org add --kind vendor "Org A" >/dev/null
keikai org add --kind vendor "Org B" >/dev/null
for u in a b; do
	U=$(printf '%s' "$u" | tr a-z A-Z)
	printf '%s\n' "$ADMIN_PASSWORD" | keikai user add --email "$u@example.org" --name "User $U" --role vendor --org "Org $U" >/dev/null
done
printf '%s\n' "$ADMIN_PASSWORD" | keikai user add --email r@example.org --name Rep --role reporter >/dev/null
make_token a@example.org "$ADMIN_PASSWORD"; TA=$TOKEN
make_token b@example.org "$ADMIN_PASSWORD"; TB=$TOKEN
make_token r@example.org "$ADMIN_PASSWORD"; TR=$TOKEN
apia() { m=$1 p=$2; shift 2; api "$m" "$p" -H "Authorization: Bearer $TA" "$@"; }
apib() { m=$1 p=$2; shift 2; api "$m" "$p" -H "Authorization: Bearer $TB" "$@"; }

apia POST /api/v1/inventories -H 'Content-Type: application/json' --data-binary '{"name":"A servers"}'
assert_eq "201 false Org A" "$STATUS $(printf '%s' "$BODY" | jq -r '"\(.personal) \(.organization)"')" "A creates its organization's inventory"
IA=$(printf '%s' "$BODY" | jq .id)
apib POST /api/v1/inventories -H 'Content-Type: application/json' --data-binary '{"name":"B secret stack"}'
IB=$(printf '%s' "$BODY" | jq .id)
api POST /api/v1/inventories -H "Authorization: Bearer $TR" -H 'Content-Type: application/json' --data-binary '{"name":"mine"}'
assert_eq "201 true" "$STATUS $(printf '%s' "$BODY" | jq -r .personal)" "a user without an organization gets a personal inventory"
IR=$(printf '%s' "$BODY" | jq .id)

# items: from the dictionary by Japanese and English names, by CPE, by SBOM
JA='Android 版 Outlook.com'
apia POST /api/v1/inventories/$IA/items -H 'Content-Type: application/json' --data-binary "$(jq -nc --arg p "$JA" '{product:$p, version:"4.0", owner:"佐藤", due:"2026-04-01"}')"
assert_eq "201" "$STATUS" "an item picked by its Japanese dictionary name"
apia POST /api/v1/inventories/$IA/items -H 'Content-Type: application/json' --data-binary '{"product":"Sun Cobalt RaQ2","version":"1.0"}'
assert_eq "201" "$STATUS" "an item picked by its English dictionary name"
apia GET /api/v1/inventories/$IA
assert_eq 'cpe:2.3:a:microsoft:outlook.com:4.0:*:*:*:*:*:*:* 佐藤 2026-04-01' "$(printf '%s' "$BODY" | jq -r '.items[] | select(.name == "Android 版 Outlook.com") | "\(.cpe) \(.owner) \(.due)"')" "the picked item carries the dictionary's CPE with the version, owner and due date"
assert_eq 'cpe:2.3:a:sun:sun_cobalt_raq_2:1.0:*:*:*:*:*:*:*' "$(printf '%s' "$BODY" | jq -r '.items[] | select(.name == "Sun Cobalt RaQ2") | .cpe')" "English name"
apia POST /api/v1/inventories/$IA/items -H 'Content-Type: application/json' --data-binary '{"product":"no such product at all"}'
assert_eq "404 product" "$STATUS $(printf '%s' "$BODY" | jq -r .error.field)" "an unknown product name: 404 naming the field"
apia POST /api/v1/inventories/$IA/items -H 'Content-Type: application/json' --data-binary '{"name":"x","due":"tomorrow"}'
assert_eq "400 due" "$STATUS $(printf '%s' "$BODY" | jq -r .error.field)" "a bad due date names the field"

# import (adding), then a new SBOM version: added, removed, upgraded
apia POST "/api/v1/inventories/$IA/import?add=1" --data-binary @tests/data/watch/log4j-core-2.14.1.cdx.json
assert_eq "200 3 0" "$STATUS $(printf '%s' "$BODY" | jq -r '"\(.added) \(.removed)"')" "import with add=1: three components added, nothing removed"
apia GET /api/v1/inventories/$IA/check
L4=$(printf '%s' "$BODY" | jq -c '.items[] | select(.name == "log4j-core")')
assert_eq 'CVE-2021-44228 2.15.0' "$(printf '%s' "$L4" | jq -r '.matches[0] | "\(.cve) \(.fixed)"')" "the inventory's check finds Log4Shell"
ITEM=$(jq -r '.items[] | select(.name == "log4j-core") | .id' "$BODYF" 2>/dev/null)
apia GET /api/v1/inventories/$IA
ITEM=$(printf '%s' "$BODY" | jq '.items[] | select(.name == "log4j-core") | .id')

# dismiss the match for the item, then restore it
apia POST /api/v1/inventories/$IA/dismissals -H 'Content-Type: application/json' --data-binary "{\"item\":$ITEM,\"vuln\":\"CVE-2021-44228\",\"reason\":\"shaded copy, JndiLookup removed\"}"
assert_eq 200 "$STATUS" "dismiss a match"
apia GET /api/v1/inventories/$IA/check
assert_eq '0 1' "$(printf '%s' "$BODY" | jq -r '"\(.summary.by_severity.critical) \(.summary.suppressed)"')" "a dismissed match is suppressed"
apia GET "/api/v1/inventories/$IA/check?all=1"
assert_eq 'true' "$(printf '%s' "$BODY" | jq -r '.items[] | select(.name == "log4j-core") | .matches[0].dismissed')" "and visible on request"
apia POST /api/v1/inventories/$IA/dismissals -H 'Content-Type: application/json' --data-binary "{\"item\":$ITEM,\"vuln\":\"CVE-2021-44228\",\"restore\":true}"
apia GET /api/v1/inventories/$IA/check
assert_eq '1' "$(printf '%s' "$BODY" | jq -r .summary.by_severity.critical)" "restored"

# VEX made in keikai: not_affected with a justification; export as CycloneDX VEX
apia POST /api/v1/inventories/$IA/vex -H 'Content-Type: application/json' --data-binary "{\"item\":$ITEM,\"vuln\":\"CVE-2021-44228\",\"state\":\"not_affected\",\"justification\":\"bogus\"}"
assert_eq "400 justification" "$STATUS $(printf '%s' "$BODY" | jq -r .error.field)" "an unknown justification names the field"
apia POST /api/v1/inventories/$IA/vex -H 'Content-Type: application/json' --data-binary "{\"item\":$ITEM,\"vuln\":\"CVE-2021-44228\",\"state\":\"not_affected\",\"justification\":\"code_not_reachable\"}"
assert_eq 200 "$STATUS" "state not_affected"
apia GET /api/v1/inventories/$IA/check
assert_eq '0' "$(printf '%s' "$BODY" | jq -r .summary.by_severity.critical)" "VEX not_affected: no alert"
apia GET "/api/v1/inventories/$IA/check?format=cyclonedx-vex"
assert_eq 'not_affected code_not_reachable' "$(printf '%s' "$BODY" | jq -r '.vulnerabilities[] | select(.id == "CVE-2021-44228") | "\(.analysis.state) \(.analysis.justification)"')" "the organization's VEX exported as CycloneDX"
out=$(keikai inventory check "$IA" --fail-on critical); rc=$?
assert_eq 0 "$rc" "keikai inventory check --fail-on critical: the VEX statement holds"

# a new SBOM version: log4j-core upgraded, gin removed, jackson added
jq '.components |= (map(select(.name != "gin")) | map(if .name == "log4j-core" then .version = "2.17.1" | .purl = "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1" else . end) + [{"type":"library","name":"jackson-databind","group":"com.fasterxml.jackson.core","version":"2.15.0","purl":"pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.15.0"}])' \
	tests/data/watch/log4j-core-2.14.1.cdx.json >"$TMP/v2.json"
out=$(keikai inventory import "$IA" "$TMP/v2.json" --json)
assert_eq '1 3 1' "$(printf '%s' "$out" | jq -r '"\(.added) \(.removed) \(.upgraded)"')" "re-import: 1 added, 3 removed (gin and the two picked items), 1 upgraded"
assert_eq 'upgraded 2.14.1 2.17.1' "$(printf '%s' "$out" | jq -r '.changes[] | select(.name == "log4j-core") | "\(.change) \(.from) \(.to)"')" "log4j-core 2.14.1 -> 2.17.1"
assert_contains "$(printf '%s' "$out" | jq -r '.changes[] | select(.change == "removed") | .name')" "gin" "gin removed"
apia GET /api/v1/inventories/$IA
assert_eq "$ITEM" "$(printf '%s' "$BODY" | jq '.items[] | select(.name == "log4j-core") | .id')" "an upgraded item keeps its id (and its statements)"

# leaks: B never sees A's inventory, by any route
apib GET /api/v1/inventories
assert_not_contains "$BODY" "A servers" "B's list holds no A inventory"
assert_contains "$BODY" "B secret stack" "B's list holds B's"
apia GET /api/v1/inventories
assert_not_contains "$BODY" "B secret stack" "A's list holds no B inventory"
assert_not_contains "$BODY" "\"mine\"" "A's list holds no user's personal inventory"
for p in "GET /api/v1/inventories/$IA" "GET /api/v1/inventories/$IA/check" "GET /api/v1/inventories/$IA/check?format=cyclonedx-vex"; do
	apib ${p% *} "${p#* }"
	assert_eq 404 "$STATUS" "B: $p is 404"
	assert_not_contains "$BODY" "log4j" "B: $p says nothing of A's items"
done
apib POST /api/v1/inventories/$IA/import --data-binary @tests/data/watch/log4j-core-2.14.1.cdx.json
assert_eq 404 "$STATUS" "B cannot import into A's inventory"
apib POST /api/v1/inventories/$IA/items -H 'Content-Type: application/json' --data-binary '{"name":"evil"}'
assert_eq 404 "$STATUS" "B cannot add items to A's inventory"
apib POST /api/v1/inventories/$IA/dismissals -H 'Content-Type: application/json' --data-binary "{\"item\":$ITEM,\"vuln\":\"CVE-2021-44228\",\"reason\":\"x\"}"
assert_eq 404 "$STATUS" "B cannot dismiss in A's inventory"
apib POST /api/v1/inventories/$IA/vex -H 'Content-Type: application/json' --data-binary '{"vuln":"CVE-2021-44228","state":"affected"}'
assert_eq 404 "$STATUS" "B cannot state VEX in A's inventory"
api GET /api/v1/inventories/$IR -H "Authorization: Bearer $TA"
assert_eq 404 "$STATUS" "A cannot read a user's personal inventory"
api GET /api/v1/inventories/$IA
assert_eq 401 "$STATUS" "the public: 401"
keikai inventory list --json >"$TMP/list.json"
assert_eq 3 "$(jq length "$TMP/list.json")" "the CLI (system) lists every inventory"
done_testing

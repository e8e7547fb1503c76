#!/bin/sh
# t1011 — cpe= and purl= over real records (tests/data/import/y_*: NVD
# Log4Shell with its CPE ranges, Go and RustSec OSV records): a version
# returns only the records whose ranges hold it, no version the product;
# through GET /api/v1/vulns, the /vulns form and `keikai search`.
. "$(dirname "$0")/lib.sh"
start_server
sql() { sqlite3 "$DB" "$1"; }
mkdir "$TMP/in"
cp tests/data/import/y_nvd_api2_log4shell.json tests/data/import/y_osv_go.jsonl tests/data/import/y_osv_rustsec_cvss.json \
	tests/data/import/y_nvd11_feed_2018.json "$TMP/in/"
keikai import "$TMP/in" >/dev/null 2>&1
jvndb() { sql "SELECT v.jvndb FROM vuln v JOIN vuln_alias a ON a.vuln_id = v.id WHERE a.alias = '$1'"; }
LOG4J=$(jvndb CVE-2021-44228)
GIN=$(jvndb GO-2020-0001)
SSL=$(jvndb RUSTSEC-2016-0001)
ids() { printf '%s' "$BODY" | jq -r '[.items[].id] | sort | join(" ")'; }
q() { api GET "/api/v1/vulns?limit=1000&$1"; }

# Log4Shell's NVD ranges: [2.0.1, 2.3.1) [2.4.0, 2.12.2) [2.13.0, 2.15.0), and 2.0 with beta9/rc1/rc2/-
q "cpe=cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"
assert_eq "200 $LOG4J" "$STATUS $(ids)" "2.14.1 is in [2.13.0, 2.15.0)"
q "cpe=cpe:2.3:a:apache:log4j:2.15.0:*:*:*:*:*:*:*"
assert_eq "0" "$(printf '%s' "$BODY" | jq .total)" "2.15.0 is the excluded end"
q "cpe=cpe:2.3:a:apache:log4j:2.12.2"
assert_eq "0" "$(printf '%s' "$BODY" | jq .total)" "2.12.2 (a fixed release between ranges)"
q "cpe=cpe:2.3:a:apache:log4j:2.3.0"
assert_eq "$LOG4J" "$(ids)" "2.3.0 in [2.0.1, 2.3.1) (short 2.3 name)"
q "cpe=cpe:/a:apache:log4j:2.0:rc1"
assert_eq "$LOG4J" "$(ids)" "2.2 URI with an update: 2.0 rc1"
q "cpe=cpe:/a:apache:log4j:2.0:rc3"
assert_eq "0" "$(printf '%s' "$BODY" | jq .total)" "2.0 rc3 is not listed"
q "cpe=cpe:2.3:a:apache:log4j:1.2.17:*:*:*:*:*:*:*"
assert_eq "0" "$(printf '%s' "$BODY" | jq .total)" "1.x is not affected"
q "cpe=cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*"
assert_eq "$LOG4J" "$(ids)" "without a version: the product"
q "cpe=cpe:2.3:h:apache:log4j:2.14.1:*:*:*:*:*:*:*"
assert_eq "0" "$(printf '%s' "$BODY" | jq .total)" "part h is not the application"
q "cpe=log4j"
assert_eq "400 cpe" "$STATUS $(printf '%s' "$BODY" | jq -r .error.field)" "not a CPE name: 400 naming the field"
# every record an exact-version NVD row names is found by that CPE (the 2018 feed: one row each)
row=$(sql "SELECT c.cpe23 || ' ' || v.jvndb FROM vuln_cpe c JOIN vuln v ON v.id = c.vuln_id WHERE c.vulnerable = 1 AND c.version NOT IN ('*', '-') AND c.start_incl IS NULL AND c.start_excl IS NULL AND c.end_incl IS NULL AND c.end_excl IS NULL ORDER BY c.id LIMIT 1")
q "cpe=$(printf '%s' "${row% *}" | jq -sRr @uri)"
assert_contains "$(ids)" "${row#* }" "exact NVD version ${row% *}"

# purl: Go (gin < 1.6.0, SEMVER), RustSec openssl
q "purl=pkg:golang/github.com/gin-gonic/gin@v1.5.0"
assert_eq "$GIN" "$(ids)" "gin v1.5.0 < fixed 1.6.0"
q "purl=pkg:golang/github.com/gin-gonic/gin@v1.6.0"
assert_eq "0" "$(printf '%s' "$BODY" | jq .total)" "gin v1.6.0 is fixed"
q "purl=pkg:golang/github.com/gin-gonic/gin"
assert_eq "$GIN" "$(ids)" "gin without a version"
fixed=$(jq -r '[.affected[0].ranges[0].events[] | select(.fixed)][0].fixed' tests/data/import/y_osv_rustsec_cvss.json)
q "purl=pkg:cargo/openssl@0.0.1"
assert_eq "$SSL" "$(ids)" "openssl 0.0.1 < fixed $fixed"
q "purl=$(printf 'pkg:cargo/openssl@%s' "$fixed" | jq -sRr @uri)"
assert_eq "0" "$(printf '%s' "$BODY" | jq .total)" "openssl $fixed is fixed"
q "purl=cargo/openssl"
assert_eq "400 purl" "$STATUS $(printf '%s' "$BODY" | jq -r .error.field)" "not a purl: 400"
q "cpe=cpe:/a:apache:log4j&purl=pkg:golang/github.com/gin-gonic/gin"
assert_eq "0" "$(printf '%s' "$BODY" | jq .total)" "both: records holding both"

# the form and the CLI
api GET "/vulns?lang=en&cpe=cpe%3A%2Fa%3Aapache%3Alog4j%3A2.14.1"
assert_contains "$BODY" "href=\"/vulns/$LOG4J\"" "/vulns?cpe= lists Log4Shell"
assert_contains "$BODY" 'name="cpe"' "the form has a CPE field"
assert_contains "$BODY" 'name="purl"' "the form has a purl field"
out=$(keikai search --json --cpe cpe:2.3:a:apache:log4j:2.14.1 "")
assert_eq "$LOG4J" "$(printf '%s' "$out" | jq -r '[.items[].id] | join(" ")')" "keikai search --cpe"
out=$(keikai search --json --purl pkg:golang/github.com/gin-gonic/gin@v1.5.0 "")
assert_eq "$GIN" "$(printf '%s' "$out" | jq -r '[.items[].id] | join(" ")')" "keikai search --purl"
# the server keeps a product's matches between queries; a record imported since is found next time
q "cpe=cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"
mkdir "$TMP/in2"
sed 's/CVE-2021-44228/CVE-2099-44228/g' tests/data/import/y_nvd_api2_log4shell.json >"$TMP/in2/copy.json"
keikai import "$TMP/in2" >/dev/null 2>&1
COPY=$(jvndb CVE-2099-44228)
q "cpe=cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"
assert_eq "$(printf '%s\n' "$LOG4J" "$COPY" | sort | tr '\n' ' ' | sed 's/ $//')" "$(ids)" "a cached product match sees a record imported after it"
keikai search --cpe nonsense x >/dev/null 2>"$TMP/err"; rc=$?
assert_eq 2 "$rc" "a bad --cpe is a usage error"
done_testing

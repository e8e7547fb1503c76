#!/bin/sh
# t3005 — `keikai vendor seed-from-vulndb`: the vulnerability database's vendor dictionary (filled by
# imports: CPEs of NVD records, packages of OSV records) becomes directory vendors with their products;
# a vendor already in the directory (same CPE vendor) is left alone; a second run adds nothing; the
# seeded vendors are matched by CPE and purl.
. "$(dirname "$0")/lib.sh"
D=$ROOT/tests/data/import
keikai init >/dev/null 2>&1
keikai import "$D/y_nvd_api2_log4shell.json" >/dev/null 2>&1 || fail "import NVD record"
keikai import "$D/y_osv_go.jsonl" >/dev/null 2>&1 || fail "import OSV records"
keikai vendor add "Apache Software Foundation" --cpe-vendor apache >/dev/null
keikai vendor seed-from-vulndb >"$TMP/out" 2>&1
assert_eq 0 "$?" "seed runs"
out=$(cat "$TMP/out")
n=$(echo "$out" | sed -n 's/.*: \([0-9]*\) vendors and \([0-9]*\) products added/\1/p')
p=$(echo "$out" | sed -n 's/.*: \([0-9]*\) vendors and \([0-9]*\) products added/\2/p')
[ "${n:-0}" -gt 5 ] && pass "vendors added ($n)" || fail "too few vendors added: $out"
[ "${p:-0}" -gt "${n:-0}" ] && pass "products added ($p)" || fail "too few products added: $out"
keikai vendor list --json >"$TMP/list"
assert_contains "$(cat "$TMP/list")" '"name":"cisco"' "a CPE vendor of the NVD record"
assert_not_contains "$(cat "$TMP/list")" '"name":"apache"' "apache was already there (by CPE vendor): not added again"
assert_contains "$(cat "$TMP/list")" '"name":"golang/github.com/gin-gonic"' "a package namespace of the OSV records"
keikai vendor seed-from-vulndb >"$TMP/out2" 2>&1
assert_contains "$(cat "$TMP/out2")" ": 0 vendors and 0 products added" "a second run adds nothing"
keikai vendor list --json >"$TMP/list2"
assert_eq "$(cat "$TMP/list")" "$(cat "$TMP/list2")" "the directory is unchanged by the second run"
keikai vendor match --cpe "cpe:2.3:h:cisco:*:*:*:*:*:*:*:*:*" >"$TMP/m" 2>&1
assert_contains "$(cat "$TMP/m")" "cisco" "seeded vendors are matched by CPE vendor"
keikai vendor match --purl "pkg:golang/github.com/gin-gonic/gin@1.6.0" >"$TMP/m" 2>&1
assert_contains "$(cat "$TMP/m")" "golang/github.com/gin-gonic" "and by purl"
keikai vendor show "Apache Software Foundation" >"$TMP/a"
assert_not_contains "$(cat "$TMP/a")" "log4j" "an existing vendor's products are not touched"
keikai audit --limit 5 --json >"$TMP/audit"
assert_contains "$(cat "$TMP/audit")" "vendor.product.add" "seeding is audited"
done_testing

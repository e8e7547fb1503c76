#!/bin/sh
# t1400 — the version checker (`keikai check`, POST /api/v1/check) over real
# records (NVD Log4Shell with its CPE ranges, Go OSV, the KEV sample): a
# CycloneDX SBOM with log4j-core 2.14.1 reports CVE-2021-44228 (critical,
# KEV) with why (the inferred CPE and the range that holds 2.14.1) and its
# fixed versions; log4j-api is not taken for log4j; a VEX not_affected
# statement suppresses it; --fail-on gates; every input format is read.
. "$(dirname "$0")/lib.sh"
start_server
mkdir "$TMP/in"
cp tests/data/import/y_nvd_api2_log4shell.json tests/data/import/y_osv_go.jsonl tests/data/import/y_kev_catalog_sample.json "$TMP/in/"
keikai import "$TMP/in" >/dev/null 2>&1
SBOM=tests/data/watch/log4j-core-2.14.1.cdx.json

out=$(keikai check "$SBOM" --format json)
assert_eq 0 $? "check without --fail-on exits 0"
l4j=$(printf '%s' "$out" | jq -c '.items[] | select(.name == "log4j-core") | .matches[0]')
assert_eq '"CVE-2021-44228" "critical" true' "$(printf '%s' "$l4j" | jq -r '[.cve, .severity, .kev] | map(tojson) | join(" ")')" "log4j-core 2.14.1: CVE-2021-44228, critical, KEV"
assert_eq '2.15.0' "$(printf '%s' "$l4j" | jq -r .fixed)" "upgrade to the end of the range holding 2.14.1"
assert_eq '2.3.1 2.12.2 2.15.0' "$(printf '%s' "$l4j" | jq -r '.fixed_versions | join(" ")')" "every fixed release of the record"
assert_eq 'inferred cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*' "$(printf '%s' "$l4j" | jq -r '.via + " " + .query')" "why: the CPE inferred from the Maven group and name"
assert_eq '2.14.1 in [2.13.0, 2.15.0)' "$(printf '%s' "$l4j" | jq -r '.why[0]')" "why: the range that holds the version"
assert_eq 0 "$(printf '%s' "$out" | jq '[.items[] | select(.name == "log4j-api") | .matches[]] | length')" "log4j-api is not log4j-core (no guessed -api suffix)"
assert_eq 'v1.5.0 < 1.6.0 (semver)' "$(printf '%s' "$out" | jq -r '.items[] | select(.name == "gin") | .matches[0].why[0]')" "gin through its purl's OSV range"
assert_eq 'purl 1.6.0 true' "$(printf '%s' "$out" | jq -r '.items[] | select(.name == "gin") | "\(.matches[0].via) \(.matches[0].fixed) \(.newer_known)"')" "gin: via purl, fixed 1.6.0, a newer version known"
assert_eq '2 1 1' "$(printf '%s' "$out" | jq -r '"\(.summary.affected) \(.summary.by_severity.critical) \(.summary.kev)"')" "summary"

# the CI gate
keikai check "$SBOM" --fail-on critical >/dev/null 2>&1
assert_eq 1 $? "--fail-on critical: exit 1 (Log4Shell is critical)"
keikai check "$SBOM" --fail-on high >/dev/null 2>&1
assert_eq 1 $? "--fail-on high: exit 1"
keikai check "$SBOM" --fail-on bogus >/dev/null 2>&1
assert_eq 2 $? "--fail-on bogus: usage"

# VEX: not_affected suppresses, stays visible with --all
keikai check "$SBOM" --vex tests/data/watch/log4j-not-affected.vex.json --fail-on critical >"$TMP/vex.out" 2>&1
assert_eq 0 $? "a VEX not_affected statement: no alert at critical"
out=$(keikai check "$SBOM" --vex tests/data/watch/log4j-not-affected.vex.json --format json --all)
assert_eq 'not_affected code_not_reachable true' "$(printf '%s' "$out" | jq -r '.items[] | select(.name == "log4j-core") | .matches[0] | "\(.vex) \(.justification) \(.suppressed)"')" "--all shows the suppressed match with its state"
assert_eq '0 1' "$(printf '%s' "$out" | jq -r '"\(.summary.by_severity.critical) \(.summary.suppressed)"')" "suppressed matches are counted apart"
# the whole product stated not affected (CISA use case 1: affects the metadata component)
keikai check "$SBOM" --vex ../shared/data/cyclonedx-bom-examples/VEX/CISA-Use-Cases/Case-1/vex-not_affected.json --fail-on critical >/dev/null 2>&1
assert_eq 0 $? "a not_affected statement on the product as a whole"
keikai check "$SBOM" --vex ../shared/data/cyclonedx-bom-examples/VEX/CISA-Use-Cases/Case-1/vex-affected.json --fail-on critical >/dev/null 2>&1
assert_eq 1 $? "an affected statement does not suppress"

# SARIF and CycloneDX VEX
out=$(keikai check "$SBOM" --format sarif)
assert_eq '2.1.0 CVE-2021-44228 error' "$(printf '%s' "$out" | jq -r '"\(.version) \(.runs[0].results[0].ruleId) \(.runs[0].results[0].level)"')" "SARIF result"
assert_eq 1 "$(printf '%s' "$out" | jq '[.runs[0].tool.driver.rules[] | select(.id == "CVE-2021-44228")] | length')" "SARIF rule once"
out=$(keikai check "$SBOM" --format cyclonedx-vex)
assert_eq 'CycloneDX 1.5 l4j in_triage' "$(printf '%s' "$out" | jq -r '.bomFormat + " " + .specVersion + " " + (.vulnerabilities[] | select(.id == "CVE-2021-44228") | .affects[0].ref + " " + .analysis.state)')" "CycloneDX VEX: the finding affects the component by bom-ref"
printf '%s' "$out" | jq -e '[.vulnerabilities[].affects[].ref] - [.components[]."bom-ref"] | length == 0' >/dev/null
assert_eq 0 $? "every affects ref names a component of the document"

# the other formats
printf 'name,version,vendor,cpe\nLog4j,2.14.1,Apache,\n' >"$TMP/sheet.csv"
out=$(keikai check "$TMP/sheet.csv" --format json)
assert_eq 'CVE-2021-44228' "$(printf '%s' "$out" | jq -r '.items[0].matches[0].cve')" "CSV sheet: name + vendor"
printf '製品名,バージョン,ベンダ名\nlog4j,2.12.2,apache\n' >"$TMP/sheet-ja.csv"
out=$(keikai check "$TMP/sheet-ja.csv" --format json)
assert_eq '0 2.15.0' "$(printf '%s' "$out" | jq -r '"\(.items[0].matches | length) \(.items[0].newest_known)"')" "Japanese headers; 2.12.2 is a fixed release, 2.15.0 is newer"
printf 'golang-github-gin-gonic-gin\t1.5.0-1\n' >"$TMP/dpkg.txt"
out=$(keikai check "$TMP/dpkg.txt" --format json)
assert_eq 'dpkg pkg:deb/debian/golang-github-gin-gonic-gin@1.5.0-1' "$(printf '%s' "$out" | jq -r '"dpkg " + .items[0].purl')" "dpkg-query -W lines"
printf 'log4j-2.14.1-1.el8.noarch\n' >"$TMP/rpm.txt"
out=$(keikai check "$TMP/rpm.txt" --format json)
assert_eq 'log4j 2.14.1-1.el8 CVE-2021-44228' "$(printf '%s' "$out" | jq -r '.items[0] | "\(.name) \(.version) \(.matches[0].cve)"')" "rpm -qa lines: upstream version for the CPE"
keikai check ../shared/data/spdx/spdx-examples/software/example8/spdx2.3/examplemaven-0.0.1.spdx.json --format json >"$TMP/spdx.json"
assert_eq 0 $? "SPDX 2.3 example reads"
assert_contains "$(jq -r '[.items[].name] | join(" ")' "$TMP/spdx.json")" "Apache Log4j Core" "SPDX packages listed"
keikai check ../shared/data/cyclonedx-bom-examples/SBOM/keycloak-10.0.2/bom.json --format json >"$TMP/kc.json"
assert_eq '903' "$(jq .summary.components "$TMP/kc.json")" "keycloak's 903 components (CycloneDX 1.2)"
assert_eq 0 "$(jq '[.items[] | select(.name == "log4j-api") | .matches[]] | length' "$TMP/kc.json")" "keycloak's log4j-api 2.10.0 is not reported as log4j-core"

# bad input names the field
printf '{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"version":"1"}]}' >"$TMP/bad.json"
keikai check "$TMP/bad.json" >"$TMP/bad.out" 2>&1
assert_eq 1 $? "a component without a name: exit 1"
assert_contains "$(cat "$TMP/bad.out")" "/components/0/name" "the error names the JSON pointer"
printf '{"spdxVersion":"SPDX-3.0"}' >"$TMP/spdx3.json"
keikai check "$TMP/spdx3.json" >"$TMP/bad.out" 2>&1
assert_contains "$(cat "$TMP/bad.out")" "SPDX 2.3" "SPDX 3 refused with the fix"

# the API
api POST /api/v1/check --data-binary @"$SBOM" -H 'Content-Type: application/json'
assert_eq 200 "$STATUS" "POST /api/v1/check"
assert_eq 'CVE-2021-44228 2.15.0' "$(printf '%s' "$BODY" | jq -r '.items[] | select(.name == "log4j-core") | .matches[0] | "\(.cve) \(.fixed)"')" "the API answers as the CLI"
api POST /api/v1/check -F "sbom=@$SBOM" -F "vex=@tests/data/watch/log4j-not-affected.vex.json"
assert_eq '200 0 1' "$STATUS $(printf '%s' "$BODY" | jq -r '"\(.summary.by_severity.critical) \(.summary.suppressed)"')" "multipart sbom + vex"
api POST '/api/v1/check?format=sarif' --data-binary @"$SBOM"
assert_eq '200 2.1.0' "$STATUS $(printf '%s' "$BODY" | jq -r .version)" "?format=sarif"
api POST /api/v1/check --data-binary @"$TMP/bad.json"
assert_eq '400 sbom: /components/0/name' "$STATUS $(printf '%s' "$BODY" | jq -r .error.field)" "400 names the document and field"
api POST /api/v1/check
assert_eq '400 sbom' "$STATUS $(printf '%s' "$BODY" | jq -r .error.field)" "no body: 400"
done_testing

#!/bin/sh
# t1021 — the NVD CVE API 2.0 refuses what NVD refuses, as NVD does: HTTP 404,
# the reason in a `message` header, an empty body (clients such as
# DependencyCheck read that header); the limits' edges are accepted.
. "$(dirname "$0")/lib.sh"
start_server
refused() { # refused QUERY WORD WHAT — 404, a message header naming WORD, no body
	api GET "/rest/json/cves/2.0?$1"
	msg=$(grep -i '^message:' "$HDRS" | tr -d '\r')
	assert_eq "404 0" "$STATUS $(printf '%s' "$BODY" | wc -c | tr -d ' ')" "$3: 404, empty body"
	assert_contains "$msg" "$2" "$3: the message header says why"
}
accepted() {
	api GET "/rest/json/cves/2.0?$1"
	assert_eq "200 NVD_CVE" "$STATUS $(json_str format)" "$2"
}
refused "foo=1" "foo" "an unknown parameter"
refused "CVEID=CVE-2021-44228" "CVEID" "parameter names are case-sensitive"
refused "pubStartDate=2021-01-01T00:00:00.000" "pubEndDate" "pubStartDate without pubEndDate"
refused "lastModEndDate=2021-01-01T00:00:00.000" "lastModStartDate" "lastModEndDate without lastModStartDate"
refused "pubStartDate=2021-01-01&pubEndDate=2021-02-01" "ISO 8601" "a date without a time"
refused "pubStartDate=2021-01-01T00:00:00-05&pubEndDate=2021-02-01T00:00:00-05" "ISO 8601" "an offset without minutes"
refused "pubStartDate=2021-13-01T00:00:00&pubEndDate=2021-12-02T00:00:00" "ISO 8601" "month 13"
refused "pubStartDate=2021-01-01T00:00:00.000&pubEndDate=2021-05-02T00:00:00.001" "120" "a range over 120 days"
refused "lastModStartDate=2021-01-01T00:00:00&lastModEndDate=2021-06-01T00:00:00" "120" "a lastMod range over 120 days"
refused "pubStartDate=2021-02-01T00:00:00&pubEndDate=2021-01-01T00:00:00" "before" "an end before the start"
refused "resultsPerPage=2001" "resultsPerPage" "resultsPerPage over 2000"
refused "resultsPerPage=-1" "resultsPerPage" "a negative resultsPerPage"
refused "resultsPerPage=ten" "resultsPerPage" "resultsPerPage not a number"
refused "startIndex=-5" "startIndex" "a negative startIndex"
refused "cveId=CVE-21-1" "cveId" "a malformed cveId"
refused "cvssV3Severity=SEVERE" "cvssV3Severity" "an unknown severity"
refused "cvssV2Severity=CRITICAL" "cvssV2Severity" "v2 has no CRITICAL"
refused "cvssV2Severity=HIGH&cvssV3Severity=HIGH" "cannot be combined" "two severity versions"
refused "keywordExactMatch" "keywordSearch" "keywordExactMatch without keywordSearch"
refused "isVulnerable" "cpeName" "isVulnerable without cpeName"
refused "versionStart=2.0&virtualMatchString=cpe:2.3:a:apache:log4j" "versionStart" "versionStart without its type"
refused "versionStart=2.0&versionStartType=including" "virtualMatchString" "versionStart without virtualMatchString"
refused "versionEnd=2.0&versionEndType=below&virtualMatchString=cpe:2.3:a:apache:log4j" "versionEndType" "an unknown version type"
refused "cpeName=apache:log4j" "cpeName" "a cpeName that is not a CPE 2.3 name"
refused "cpeName=cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*&virtualMatchString=cpe:2.3:a:apache" "virtualMatchString" "cpeName with virtualMatchString"
refused "virtualMatchString=cpe:2.3:a:*:log4j" "vendor" "virtualMatchString without a vendor"
refused "cweId=79" "cweId" "a cweId without CWE-"
refused "hasOval" "hasOval" "a parameter keikai has no data for"
accepted "pubStartDate=2021-01-01T00:00:00.000&pubEndDate=2021-05-01T00:00:00.000" "exactly 120 days is allowed"
accepted "pubStartDate=2021-01-01T00:00:00%2B09:00&pubEndDate=2021-01-02T00:00:00Z" "offsets and Z"
accepted "resultsPerPage=2000&startIndex=0" "resultsPerPage=2000 is allowed"
accepted "cveId=CVE-2021-44228&noRejected" "a flag without a value"
accepted "cweId=NVD-CWE-Other" "NVD's own CWE ids"
done_testing

#!/bin/sh
# t5000 — the advisory editor from the command line: create from the editor document, read it back
# unchanged (round trip), errors that name the field by JSON pointer, edit, identifiers (JVN#,
# JVNVU#, JVNTA#: 8 digits, unique), and the CVE pool (add, level, warning when low, duplicates and
# malformed ids refused).
. "$(dirname "$0")/lib.sh"

DOC=$ROOT/tests/data/advisory/y_full.json
keikai init >/dev/null 2>&1 || { echo "init failed"; exit 1; }

# --- create, show, round trip
ID=$(keikai advisory create --kind JVNVU --json "$DOC")
case "$ID" in JVNVU#[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]) pass "identifier $ID" ;; *) fail "identifier: '$ID'" ;; esac
CHECKS=$((CHECKS + 1))
keikai advisory show "$ID" >"$TMP/show.json"
assert_eq 0 $? "advisory show"
python3 - "$DOC" "$TMP/show.json" <<'PY' && pass "the document reads back as written (canonical CVSS vectors, CWE as a number)" || fail "round trip"
import json, sys
want = json.load(open(sys.argv[1]))
got = json.load(open(sys.argv[2]))["document"]
want["vulnerabilities"][1]["cwe"] = 78  # "CWE-78" is kept as the number
assert got == want, (got, want)
PY
CHECKS=$((CHECKS + 1))
assert_contains "$(cat "$TMP/show.json")" '"state":"draft"' "a new advisory is a draft"
SLUG=$(printf '%s' "$ID" | tr '#' '_')
keikai advisory show "$SLUG" >/dev/null
assert_eq 0 $? "found by its slug $SLUG too"

# --- errors name the field and the fix
for case in \
	'{"products":[{"vendor":"A","product":"B","purl":"pkg:npm/x@1.0"}]}|/products/0/purl' \
	'{"vulnerabilities":[{"cvss31":"CVSS:3.1/AV:N"}]}|/vulnerabilities/0/cvss31' \
	'{"vendors":[{"vendor":"A","status":"perhaps"}]}|/vendors/0/status' \
	'{"overview":"plain"}|/overview' \
	'{"references":[{"url":"javascript:alert(1)"}]}|/references/0/url'; do
	json=${case%|*} where=${case#*|}
	printf '%s' "$json" >"$TMP/bad.json"
	keikai advisory edit "$ID" --json "$TMP/bad.json" >/dev/null 2>"$TMP/err"
	assert_eq 1 $? "refused: $json"
	assert_contains "$(cat "$TMP/err")" "$where" "the error names $where"
done
keikai advisory show "$ID" >"$TMP/show2.json"
assert_eq "$(cat "$TMP/show.json")" "$(cat "$TMP/show2.json")" "a refused edit changes nothing"

# --- edit replaces the working copy
sed 's/Acme Router RX-100/Acme Router RX-200/g' "$DOC" >"$TMP/edit.json"
keikai advisory edit "$ID" --json "$TMP/edit.json" >/dev/null
assert_eq 0 $? "edit"
assert_contains "$(keikai advisory show "$ID")" "RX-200" "the working copy changed"
assert_contains "$(keikai advisory list)" "RX-200" "the list shows the new title"
keikai advisory publish "$ID" >/dev/null 2>"$TMP/err"
assert_eq 1 $? "publishing without CVE ids and an empty pool is refused"
assert_contains "$(cat "$TMP/err")" "cve-pool add" "the error says how to fill the pool"
assert_contains "$(keikai advisory show "$ID")" '"state":"draft"' "still a draft"

# --- identifiers: unique and of their kind
: >"$TMP/ids"
for k in JVN JVNVU JVNTA JVN JVNVU JVNTA JVN JVNVU JVNTA JVN JVNVU JVNTA; do
	keikai advisory create --kind $k >>"$TMP/ids"
done
assert_eq 12 "$(sort -u "$TMP/ids" | wc -l | tr -d ' ')" "12 advisories, 12 different identifiers"
assert_eq 12 "$(grep -c -E '^(JVN|JVNVU|JVNTA)#[0-9]{8}$' "$TMP/ids")" "every identifier is KIND# + 8 digits"
assert_eq 4 "$(grep -c '^JVNTA#' "$TMP/ids")" "JVNTA identifiers"
keikai advisory create --kind JVNXX >/dev/null 2>"$TMP/err"
assert_eq 2 $? "an unknown kind is a usage error"

# --- the CVE pool
keikai cve-pool add CVE-2026-30001 CVE-2026-30002 CVE-2026-30003 >"$TMP/out" 2>"$TMP/err"
assert_eq 0 $? "cve-pool add"
assert_contains "$(cat "$TMP/out")" "CVE pool: 3 free, 0 taken" "the level is shown"
assert_contains "$(cat "$TMP/err")" "the CVE pool is low" "and a warning when it is low"
KEIKAI_CVE_POOL_LOW=2 keikai cve-pool add CVE-2026-30004 >"$TMP/out" 2>"$TMP/err"
assert_eq "" "$(cat "$TMP/err")" "no warning above the threshold"
keikai cve-pool add CVE-2026-30001 >/dev/null 2>"$TMP/err"
assert_eq 1 $? "an id already in the pool is refused"
assert_contains "$(cat "$TMP/err")" "already in the pool" "and says so"
keikai cve-pool add CVE-26-1 >/dev/null 2>"$TMP/err"
assert_eq 2 $? "a malformed id is refused"
assert_eq 4 "$(keikai cve-pool list --json 2>/dev/null | grep -o '"cve"' | wc -l | tr -d ' ')" "four free ids listed"
keikai advisory publish "$ID" >"$TMP/out" 2>&1
assert_eq 0 $? "publish takes its two CVE ids from the pool"
assert_contains "$(keikai cve-pool list --all 2>/dev/null)" "$ID" "the pool shows which advisory took them"
assert_contains "$(keikai cve-pool list 2>&1)" "CVE pool: 2 free, 2 taken" "level after publication"
assert_contains "$(keikai advisory show "$ID" --public)" '"cve":"CVE-2026-30001"' "the published document carries the CVE id"
done_testing

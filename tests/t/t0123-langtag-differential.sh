#!/bin/sh
# t0123-langtag-differential — `keikai langtag -` against an independent RFC
# 5646 parser (npm bcp47, pinned in tests/oracle/package.json) on thousands of
# generated tags, half well-formed, half mutated (deterministic seed): the two
# must agree on every tag's well-formedness, kind and parts. Then the
# command's contract: canonical case, the stored text language, exit codes.
# Env: KEIKAI (binary), LANGTAG_N (tags, default 20000), LANGTAG_SEED (default 5646).
. "$(dirname "$0")/lib.sh"
command -v node >/dev/null 2>&1 || { echo "not ok - node is not installed (needed for the oracle)"; exit 1; }
need_oracle
N=${LANGTAG_N:-20000}
SEED=${LANGTAG_SEED:-5646}
node tests/oracle/gen-langtags.js "$N" "$SEED" >"$TMP/tags"
assert_eq "$N" "$(wc -l <"$TMP/tags" | tr -d ' ')" "the generator wrote $N tags"
"$KEIKAI" langtag - <"$TMP/tags" >"$TMP/keikai"; rc=$?
assert_eq 1 "$rc" "malformed tags among them: exit 1"
wf=$(grep -c '"canonical"' "$TMP/keikai")
assert_eq 1 "$([ "$wf" -ge $((N / 3)) ] && [ "$wf" -le $((2 * N / 3)) ] && echo 1)" "between a third and two thirds well-formed ($wf)"
out=$(node tests/oracle/compare-langtags.js "$TMP/tags" "$TMP/keikai"); rc=$?
echo "$out" | tail -20
assert_eq 0 "$rc" "keikai and bcp47 agree on every tag"

# the contract, on tags the sources really write
out=$("$KEIKAI" langtag EN-us eng zh-hant-tw i-klingon); rc=$?
assert_eq 0 "$rc" "well-formed tags: exit 0"
assert_eq 'en-US en|eng en|zh-Hant-TW zh|i-klingon und' \
	"$(printf '%s\n' "$out" | jq -rs 'map("\(.canonical) \(.textLanguage)") | join("|")')" "canonical case and the language texts are stored under"
out=$("$KEIKAI" langtag EN_us 2>&1); rc=$?
assert_eq 1 "$rc" "a malformed tag: exit 1"
assert_contains "$out" "use '-' (en-US, not en_US)" "the error says the fix"
"$KEIKAI" langtag >/dev/null 2>&1; assert_eq 2 "$?" "no tag is a usage error"
done_testing

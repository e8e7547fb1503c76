#!/bin/sh
# t4004 — `keikai website ...` for operators of keikai: errors name the field and
# the fix, details edited before stage 3 (and not after), the operator's link used
# from the CLI (--key, CASE "-"), linking an operator organization, the finder's side
# (view, consent, confirm), and the handling number prefix from the environment.
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail" KEIKAI_TEST_NOW=2026-06-01T03:00:00Z KEIKAI_WEBSITE_PREFIX=KKW#
keikai init >/dev/null || { echo "init failed"; exit 1; }
run() {
	"$KEIKAI" --db "$DB" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}
printf '%s' '{"kind":"website","finder":{"name":"Shiro Finder","email":"shiro@finder.example"},"website":{"url":"https://cli.example.org/"},"vulnerability":{"description":"directory listing"},"policy_ack":true}' |
	keikai report submit --json - >"$TMP/sub"
T=$(sed -n 's/^tracking number: //p' "$TMP/sub")
FK=$(sed -n 's/^secret link: .*key=//p' "$TMP/sub")
keikai report accept "$T" >/dev/null
run website list
H=$(printf '%s\n' "$OUT" | awk 'NR==2 {print $1}')
case "$H" in
KKW#[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]) pass "the configured prefix: $H" ;;
*) fail "handling number with prefix KKW#: got '$H'" ;;
esac

run website show IPA#00000000
assert_eq 1 "$RC" "an unknown case"
assert_contains "$ERR" "no website case IPA#00000000; see 'keikai website list'" "the error says where to look"
run website stage "$H" 2 --contact sec@cli.example.org
assert_eq 1 "$RC" "stage 2 before stage 1 is refused"
assert_contains "$ERR" "the case is in opened; 'give_contact' needs stage1" "naming both stages"
run website stage "$H" 3
assert_eq 2 "$RC" "stage 3 needs --pgp-key or --portal"
run website contact "$H" "not an address"
assert_eq 1 "$RC" "a bad address"
assert_contains "$ERR" "addresses" "the error names the field"
run website details "$H" --flaw "Directory listing (CWE-548)" --risk "configuration files readable"
assert_eq 0 "$RC" "details edited before stage 3"
run website contact "$H" info@cli.example.org
assert_eq 0 "$RC" "stage 1"
K1=$(printf '%s\n' "$OUT" | sed -n 's/^operator link: .*key=//p')
assert_eq 43 "${#K1}" "the CLI prints the link once"

# the operator's link from the CLI
run website show - --key "$K1"
assert_eq 0 "$RC" "the case through the link"
assert_contains "$OUT" '"handling":null' "no handling number before stage 3"
run website show - --key "x$K1"
assert_eq 1 "$RC" "a wrong key"
assert_contains "$ERR" "this link does not open a website case" "one answer for any mismatch"
run website stage - 2 --contact sec@cli.example.org --name "CLI Sec" --key "$K1"
assert_eq 0 "$RC" "the contact point through the link"
assert_not_contains "$OUT" "operator link:" "not given to whoever used the old link"
run website show - --key "$K1"
assert_eq 1 "$RC" "the old link ended"
keikai org add --kind vendor "Not An Operator" >/dev/null
run website org "$H" "Not An Operator"
assert_eq 1 "$RC" "a vendor organization cannot be linked"
assert_contains "$ERR" "link an operator organization" "saying which kind"
keikai org add --kind operator "CLI Operator" >/dev/null
run website org "$H" "CLI Operator"
assert_eq 0 "$RC" "the operator organization linked"
run website stage "$H" 3 --portal
assert_eq 0 "$RC" "stage 3"
run website details "$H" --risk "changed"
assert_eq 1 "$RC" "details are fixed once sent"
run website show "$H" --operator
assert_contains "$OUT" '"flaw_type":"Directory listing (CWE-548)"' "the edited details"
assert_contains "$OUT" '"organization":"CLI Operator"' "the organization"
assert_not_contains "$OUT" "$T" "the operator's view has no tracking number"
run website check "$H" completion
assert_eq 1 "$RC" "completion is not ticked by hand"
run website check "$H" nonsense
assert_eq 2 "$RC" "an unknown item"
run website check "$H" execution
run website check "$H" execution --undo
assert_contains "$(keikai website show "$H")" '{"item":"execution","done":false' "ticked and unticked"

# the finder
run website finder "$T" --key "$FK"
assert_eq 0 "$RC" "the finder's view"
assert_contains "$OUT" '"operator_told":true' "the finder sees the operator was told"
assert_not_contains "$OUT" "sec@cli.example.org" "but not whom"
run website finder "$T" --key "$FK" --confirm
assert_eq 1 "$RC" "no confirmation before completion"
run website finder "$T" --key "$FK" --agree-direct
assert_eq 0 "$RC" "the finder consents to a direct exchange"
run website finder "$T" --key "$FK" --text "hello operator"
assert_eq 1 "$RC" "not until the operator agrees too"
assert_contains "$ERR" "finder: yes, operator: not yet" "saying who has not agreed"
run website complete "$H" "turned the listing off"
run website finder "$T" --key "$FK" --confirm --text "no more listing"
assert_eq 0 "$RC" "the finder confirms"
run website close "$H" --outcome fixed --note "confirmed by the finder"
assert_eq 0 "$RC" "closed"
run website list --stage closed --json
assert_contains "$OUT" '"outcome":"fixed"' "listed as closed and fixed"
run website list --stage nonsense
assert_eq 2 "$RC" "an unknown stage"
done_testing

#!/bin/sh
# t0101-cvss-cli — the contract of `keikai cvss`: one JSON object per line with
# the documented keys, null for groups not given, an error line for an invalid
# vector while the others go on (exit 1), usage errors exit 2, stdin mode.
. "$(dirname "$0")/lib.sh"

V31='CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'
V31T='CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F/RL:O/RC:C'
V2='AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:H/IR:H/AR:H'
V4='CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U'

# One vector: exact line, keys in the documented order.
out=$("$KEIKAI" cvss "$V31"); rc=$?
assert_eq 0 "$rc" "valid vector exits 0"
assert_eq "{\"vector\":\"$V31\",\"version\":\"3.1\",\"baseScore\":9.8,\"baseSeverity\":\"CRITICAL\",\"temporalScore\":null,\"environmentalScore\":null,\"score\":9.8,\"severity\":\"CRITICAL\"}" "$out" "3.1 base-only line"

# Several vectors: one line each, in order; scores of the most specific group.
out=$("$KEIKAI" cvss "$V31T" "$V2" "$V4"); rc=$?
assert_eq 0 "$rc" "three valid vectors exit 0"
assert_eq 3 "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "three lines"
l1=$(printf '%s\n' "$out" | sed -n 1p)
assert_eq "9.8 9.1 null 9.1 CRITICAL" "$(printf '%s' "$l1" | jq -r '"\(.baseScore) \(.temporalScore) \(.environmentalScore) \(.score) \(.severity)"')" "3.1 temporal is the score"
l2=$(printf '%s\n' "$out" | sed -n 2p)
assert_eq "2.0 10 8.3 9.2 9.2 HIGH HIGH" "$(printf '%s' "$l2" | jq -r '"\(.version) \(.baseScore) \(.temporalScore) \(.environmentalScore) \(.score) \(.baseSeverity) \(.severity)"')" "2.0 environmental is the score"
l3=$(printf '%s\n' "$out" | sed -n 3p)
assert_eq "4.0 8.1 null null 8.1 HIGH" "$(printf '%s' "$l3" | jq -r '"\(.version) \(.baseScore) \(.temporalScore) \(.environmentalScore) \(.score) \(.severity)"')" "4.0: one score, temporal/env null"
assert_eq '["vector","version","baseScore","baseSeverity","temporalScore","environmentalScore","score","severity"]' \
	"$(printf '%s' "$l3" | jq -c 'keys_unsorted')" "keys and their order"

# An invalid vector: error line, the others go on, exit 1.
out=$("$KEIKAI" cvss "$V31" 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' "$V4"); rc=$?
assert_eq 1 "$rc" "an invalid vector makes the exit code 1"
assert_eq 3 "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "every vector still has its line"
l2=$(printf '%s\n' "$out" | sed -n 2p)
assert_eq '["vector","error"]' "$(printf '%s' "$l2" | jq -c 'keys_unsorted')" "error line keys"
assert_eq "metric AV has no value 'Q' (allowed: N, A, L, P)" "$(printf '%s' "$l2" | jq -r .error)" "error names the metric and the allowed values"
assert_eq 8.1 "$(printf '%s\n' "$out" | sed -n 3p | jq -r .score)" "the vector after the error is scored"

# Hostile bytes in an invalid vector are escaped: the line stays valid JSON.
out=$("$KEIKAI" cvss "$(printf 'AV:N/"<x>\\\001')"); rc=$?
assert_eq 1 "$rc" "garbage exits 1"
assert_eq "$(printf 'AV:N/"<x>\\\001')" "$(printf '%s' "$out" | jq -r .vector)" "garbage echoed exactly through JSON escaping"
assert_not_contains "$out" "<x>" "angle brackets escaped"

# stdin mode: CRLF, blank lines and surrounding blanks are tolerated.
out=$(printf '%s\r\n\n  %s  \n%s' "$V31" "$V4" "$V2" | "$KEIKAI" cvss -); rc=$?
assert_eq 0 "$rc" "stdin exits 0"
assert_eq "$V31|$V4|$V2" "$(printf '%s\n' "$out" | jq -r .vector | paste -sd'|' -)" "stdin: one line per vector, last line without newline"
out=$(printf '%s\nCVSS:4.0/AV:N\n%s\n' "$V31" "$V31" | "$KEIKAI" cvss -); rc=$?
assert_eq 1 "$rc" "stdin with an invalid vector exits 1"
assert_eq "9.8|CVSS 4.0 vector lacks mandatory metric AC|9.8" "$(printf '%s\n' "$out" | jq -r '.score // .error' | paste -sd'|' -)" "stdin goes on after an error"
big=$(head -c 6000 /dev/zero | tr '\0' 'A')
out=$(printf '%s\n%s\n' "$big" "$V31" | "$KEIKAI" cvss -); rc=$?
assert_eq 1 "$rc" "overlong line exits 1"
assert_eq "line longer than 4096 bytes: not a CVSS vector|9.8" "$(printf '%s\n' "$out" | jq -r '.score // .error' | paste -sd'|' -)" "overlong line reported once, then scoring goes on"
out=$({ head -c 3000000 /dev/zero | tr '\0' 'A'; printf '\n%s\n' "$V31"; } | "$KEIKAI" cvss -); rc=$?
assert_eq "1:line longer than 4096 bytes: not a CVSS vector|9.8" "$rc:$(printf '%s\n' "$out" | jq -r '.score // .error' | paste -sd'|' -)" "a line larger than the input buffer is reported once"
out=$(printf '' | "$KEIKAI" cvss -); rc=$?
assert_eq "0:" "$rc:$out" "empty stdin: no output, exit 0"

# Usage errors exit 2 and say how to call.
err=$("$KEIKAI" cvss 2>&1 >/dev/null); rc=$?
assert_eq 2 "$rc" "no argument is a usage error"
assert_contains "$err" "usage: keikai cvss" "usage shown"
"$KEIKAI" cvss --bogus "$V31" >/dev/null 2>&1; rc=$?
assert_eq 2 "$rc" "unknown option is a usage error"
done_testing

#!/bin/sh
# t0120-cpe-cli — the contract of `keikai cpe parse` and `keikai cpe match`:
# JSON of the attributes and both bindings; one relation word; exit codes 0/1/2.
. "$(dirname "$0")/lib.sh"

out=$("$KEIKAI" cpe parse 'cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~'); rc=$?
assert_eq 0 "$rc" "parse exits 0"
assert_eq '["input","attributes","wfn","formatted","uri"]' "$(printf '%s' "$out" | jq -c keys_unsorted)" "keys in order"
assert_eq 'cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*' "$(printf '%s' "$out" | jq -r .formatted)" "URI to formatted string"
assert_eq 'cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~' "$(printf '%s' "$out" | jq -r .uri)" "URI round trip"
assert_eq '7\.4\.0\.1570|NA|ANY|online' "$(printf '%s' "$out" | jq -r '.attributes | "\(.version)|\(.update)|\(.edition)|\(.sw_edition)"')" "attributes in WFN form, NA and ANY"

out=$("$KEIKAI" cpe parse 'cpe:2.3:a:Microsoft:Internet_Explorer:8.*:sp?:*:*:*:*:*:*'); rc=$?
assert_eq 'cpe:/a:microsoft:internet_explorer:8.%02:sp%01' "$(printf '%s' "$out" | jq -r .uri)" "wildcards bind to %02 and %01"

out=$("$KEIKAI" cpe parse 'cpe:2.3:a:hp:insight_diagnostics:7.4.*.1570:*:*:*:*:*:*:*' 2>&1); rc=$?
assert_eq 1 "$rc" "invalid name exits 1"
assert_contains "$out" "wildcard" "error says what is wrong"
assert_contains "$out" "(version)" "error names the attribute"
"$KEIKAI" cpe parse >/dev/null 2>&1; assert_eq 2 "$?" "missing name is a usage error"
"$KEIKAI" cpe parse a b >/dev/null 2>&1; assert_eq 2 "$?" "two names is a usage error"

m() { "$KEIKAI" cpe match "$1" "$2"; }
A='cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*'
B='cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*'
assert_eq superset "$(m "$A" "$B")" "ANY version is a superset"
assert_eq subset "$(m "$B" "$A")" "reverse is a subset"
assert_eq equal "$(m "$B" 'cpe:/a:apache:http_server:2.4.49')" "URI and formatted string of one name are equal"
assert_eq disjoint "$(m "$B" 'cpe:2.3:a:apache:http_server:2.4.50:*:*:*:*:*:*:*')" "other version is disjoint"
assert_eq superset "$(m 'cpe:2.3:a:apache:http_server:2.4.*:*:*:*:*:*:*:*' "$B")" "wildcard source"
assert_eq undefined "$(m "$B" 'cpe:2.3:a:apache:http_server:2.4.*:*:*:*:*:*:*:*')" "wildcard target is undefined"
assert_eq undefined "$(m "$B" 'cpe:2.3:a:apache:*:*:sp1:*:*:*:*:*:*')" "mixed superset/subset is undefined"
"$KEIKAI" cpe match "$A" 'cpe:2.3:a:x' >/dev/null 2>&1; assert_eq 1 "$?" "invalid target exits 1"
"$KEIKAI" cpe match "$A" >/dev/null 2>&1; assert_eq 2 "$?" "one name is a usage error"

done_testing

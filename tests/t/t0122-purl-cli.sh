#!/bin/sh
# t0122-purl-cli — the contract of `keikai purl parse`: components, decoded
# qualifiers, null for absent parts, canonical form; exit codes 0/1/2.
. "$(dirname "$0")/lib.sh"

out=$("$KEIKAI" purl parse 'pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?repositorY_url=repo.spring.io%2Frelease&classifier=sources'); rc=$?
assert_eq 0 "$rc" "parse exits 0"
assert_eq '["type","namespace","name","version","qualifiers","subpath","canonical"]' "$(printf '%s' "$out" | jq -c keys_unsorted)" "keys in order"
assert_eq 'maven|org.apache.xmlgraphics|batik-anim|1.9.1|null' "$(printf '%s' "$out" | jq -r '"\(.type)|\(.namespace)|\(.name)|\(.version)|\(.subpath)"')" "components"
assert_eq '{"classifier":"sources","repository_url":"repo.spring.io/release"}' "$(printf '%s' "$out" | jq -c .qualifiers)" "qualifiers decoded, keys lowercased and sorted"
assert_eq 'pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=sources&repository_url=repo.spring.io%2Frelease' "$(printf '%s' "$out" | jq -r .canonical)" "canonical form"

out=$("$KEIKAI" purl parse 'pkg:PYPI/Django_package@1.11.1.dev1')
assert_eq 'pkg:pypi/django-package@1.11.1.dev1|null|null' "$(printf '%s' "$out" | jq -r '"\(.canonical)|\(.namespace)|\(.qualifiers)"')" "pypi name normalised, absent parts null"
out=$("$KEIKAI" purl parse 'pkg:GOLANG/google.golang.org/genproto#/googleapis/api/annotations/')
assert_eq 'googleapis/api/annotations' "$(printf '%s' "$out" | jq -r .subpath)" "subpath trimmed"
out=$("$KEIKAI" purl parse 'pkg:npm/%40angular/animation@12.3.1')
assert_eq '@angular' "$(printf '%s' "$out" | jq -r .namespace)" "namespace decoded"
assert_eq 'pkg:npm/%40angular/animation@12.3.1' "$(printf '%s' "$out" | jq -r .canonical)" "namespace re-encoded"

out=$("$KEIKAI" purl parse 'pkg:swift/Alamofire@5.4.3' 2>&1); rc=$?
assert_eq 1 "$rc" "invalid purl exits 1"
assert_contains "$out" "swift purl requires a namespace" "error says why"
out=$("$KEIKAI" purl parse 'EnterpriseLibrary.Common@6.0.1304' 2>&1); rc=$?
assert_eq 1 "$rc" "missing scheme exits 1"
assert_contains "$out" "starts with pkg:" "error names the fix"
"$KEIKAI" purl parse >/dev/null 2>&1; assert_eq 2 "$?" "missing purl is a usage error"

done_testing

#!/bin/sh
# t0121-version-cli — `keikai version compare` and `keikai version in`: output,
# schemes, strict-scheme errors (exit 1) and usage errors (exit 2).
. "$(dirname "$0")/lib.sh"

c() { "$KEIKAI" version compare "$@"; }
assert_eq '<' "$(c 1.0~rc1 1.0 --scheme deb)" "deb: ~ sorts first"
assert_eq '>' "$(c 1:0.1 2.0 --scheme deb)" "deb: epoch wins"
assert_eq '<' "$(c 1.0^git1 1.01 --scheme rpm)" "rpm: caret"
assert_eq '<' "$(c 1.0.0-alpha.1 1.0.0-alpha.beta --scheme semver)" "semver pre-release precedence"
assert_eq '=' "$(c 1.0.0+build.1 1.0.0 --scheme semver)" "semver ignores build metadata"
assert_eq '<' "$(c 1.0.dev456 1.0a1 --scheme pypi)" "pypi dev before pre"
assert_eq '=' "$(c 1.0-1 1.0.post1 --scheme=pypi)" "pypi normalisation, --scheme=S form"
assert_eq '<' "$(c 1.0-SNAPSHOT 1.0 --scheme maven)" "maven snapshot"
assert_eq '=' "$(c 1.0.0.Final 1 --scheme maven)" "maven final = release"
assert_eq '<' "$(c 1.0rc1 1.0)" "generic is the default scheme"
assert_eq '>' "$(c --scheme Debian 2:1 1:9)" "OSV ecosystem name as scheme, options first"

out=$(c 1.2 1.2.3 --scheme semver 2>&1); rc=$?
assert_eq 1 "$rc" "invalid semver exits 1"
assert_contains "$out" "'1.2' is not a Semantic Versioning 2.0 version" "error names the version"
assert_contains "$out" "MAJOR.MINOR.PATCH" "error says why"
out=$(c 1.0 1.0.x --scheme pypi 2>&1); rc=$?
assert_eq 1 "$rc" "invalid PEP 440 exits 1"
assert_contains "$out" "'1.0.x' is not a PEP 440 version" "error names the version"
c 1.0 --scheme deb >/dev/null 2>&1; assert_eq 2 "$?" "one version is a usage error"
c 1.0 2.0 --scheme cobol >/dev/null 2>&1; assert_eq 2 "$?" "unknown scheme is a usage error"
c 1.0 2.0 --scheme >/dev/null 2>&1; assert_eq 2 "$?" "--scheme without value is a usage error"

i() { "$KEIKAI" version in "$@"; }
assert_eq affected "$(i 2.4.49 --scheme semver --start-including 2.4.0 --end-excluding 2.4.50)" "inside the range"
assert_eq not-affected "$(i 2.4.50 --scheme semver --start-including 2.4.0 --end-excluding 2.4.50)" "end excluded"
assert_eq affected "$(i 2.4.50 --scheme semver --end-including 2.4.50)" "end included"
assert_eq not-affected "$(i 2.4.0 --scheme semver --start-excluding 2.4.0)" "start excluded"
assert_eq affected "$(i 1:2.0-1 --scheme deb --start-including 1:1.0)" "deb range"
assert_eq not-affected "$(i 1.0.1 --exact 1.0.0)" "exact version"
assert_eq affected "$(i 7.0)" "no bound: every version"
out=$(i 2.4 --scheme semver --end-excluding 2.4.50 2>&1); rc=$?
assert_eq 1 "$rc" "invalid version for the scheme exits 1"
out=$(i 2.4.0 --scheme semver --end-excluding 2.x 2>&1); rc=$?
assert_eq 1 "$rc" "invalid bound exits 1"
assert_contains "$out" "versionEndExcluding" "error names the bound"
# OSV events, in the order given (OSV sorts them)
assert_eq affected "$(i 1.0.4 --scheme semver --introduced 0 --fixed 1.0.5 --introduced 2.0.0 --fixed 2.1.3)" "OSV: before the first fix"
assert_eq not-affected "$(i 1.5.0 --scheme semver --introduced 0 --fixed 1.0.5 --introduced 2.0.0 --fixed 2.1.3)" "OSV: between ranges"
assert_eq affected "$(i 2.1.0 --scheme semver --fixed 2.1.3 --introduced 2.0.0)" "OSV: events out of order"
assert_eq affected "$(i 1.4.0 --scheme semver --introduced 1.2.0 --last-affected 1.4.0)" "OSV: last_affected is included"
assert_eq not-affected "$(i 1.4.1 --scheme semver --introduced 1.2.0 --last-affected 1.4.0)" "OSV: after last_affected"
assert_eq not-affected "$(i 3.0.0 --scheme semver --introduced 0 --limit 3.0.0)" "OSV: limit"
assert_eq affected "$(i 1.0rc1 --scheme PyPI --introduced 0 --fixed 1.0)" "OSV ECOSYSTEM range with PyPI versions"
i 1.0 --introduced 0 --end-excluding 2.0 >/dev/null 2>&1; assert_eq 2 "$?" "NVD bounds and OSV events together are a usage error"
i --scheme semver >/dev/null 2>&1; assert_eq 2 "$?" "missing version is a usage error"
i 1.0 --end-excluding >/dev/null 2>&1; assert_eq 2 "$?" "bound without value is a usage error"

done_testing

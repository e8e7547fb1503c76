#!/bin/sh
# t5004 — a change after publication is a new revision: invisible until published, refused without
# a history note, then in every format with its history (HTML, CSAF revision history and version,
# CVE dateUpdated, OSV modified, the database record updated in place, not a second one); a scheduled
# revision keeps the note it was scheduled with.
. "$(dirname "$0")/lib.sh"
ORACLE=$ROOT/tests/oracle
need_oracle
PY=python3
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null && PY=/usr/bin/python3
DOC=$ROOT/tests/data/advisory/y_full.json
keikai init >/dev/null 2>&1 || { echo "init failed"; exit 1; }
keikai cve-pool add CVE-2026-70001 CVE-2026-70002 >/dev/null 2>&1
export KEIKAI_TEST_NOW=2026-03-02T01:00:00Z
ID=$(keikai advisory create --kind JVNVU --json "$DOC")
SLUG=$(printf '%s' "$ID" | tr '#' '_')
keikai advisory publish "$ID" >/dev/null 2>&1
assert_eq 0 $? "first publication"
JVNDB=$(keikai advisory show "$ID" | grep -o '"jvndb":"[^"]*"' | cut -d'"' -f4)
keikai export-advisory "$ID" --format html --lang en >"$TMP/v1.html"

# --- edit after publication: the public still sees revision 1
export KEIKAI_TEST_NOW=2026-03-10T03:00:00Z
sed 's/"fixed": "1.4.2"/"fixed": "1.4.3"/; s/prior to 1.4.2/prior to 1.4.3/' "$DOC" >"$TMP/v2.json"
keikai advisory edit "$ID" --json "$TMP/v2.json" >/dev/null
keikai export-advisory "$ID" --format html --lang en >"$TMP/still1.html"
cmp -s "$TMP/v1.html" "$TMP/still1.html"
assert_eq 0 $? "an edit after publication is invisible until published"
assert_contains "$(keikai export-advisory "$ID" --format html --lang en --preview)" "prior to 1.4.3" "the preview shows it"
keikai advisory publish "$ID" >/dev/null 2>"$TMP/err"
assert_eq 1 $? "a new revision without a history note is refused"
assert_contains "$(cat "$TMP/err")" "history note" "and the error says what is missing"
keikai advisory publish "$ID" --note-ja "修正バージョンを更新しました" --note-en "Updated the fixed version" >"$TMP/out" 2>&1
assert_eq 0 $? "revision 2 published"
assert_contains "$(cat "$TMP/out")" "revision 2" "the command says so"

# --- every format carries revision 2 and its history
keikai export-advisory "$ID" --format html --lang en >"$TMP/v2.html"
assert_contains "$(cat "$TMP/v2.html")" "prior to 1.4.3" "HTML: the new text"
assert_contains "$(cat "$TMP/v2.html")" "Updated the fixed version" "HTML: the English history note"
assert_contains "$(cat "$TMP/v2.html")" "2026-03-02 10:00 JST" "HTML: the first publication stays"
assert_contains "$(keikai export-advisory "$ID" --format html)" "修正バージョンを更新しました" "HTML: the Japanese history note"
keikai export-advisory "$ID" --format csaf >"$TMP/v2.csaf.json"
assert_contains "$(cat "$TMP/v2.csaf.json")" '"version":"2"' "CSAF: version 2"
assert_contains "$(cat "$TMP/v2.csaf.json")" '"summary":"Updated the fixed version"' "CSAF: revision history"
assert_contains "$(cat "$TMP/v2.csaf.json")" '"initial_release_date":"2026-03-02T01:00:00Z"' "CSAF: initial release kept"
assert_contains "$(cat "$TMP/v2.csaf.json")" '"current_release_date":"2026-03-10T03:00:00Z"' "CSAF: current release"
(cd "$ORACLE" && node csaf-validate.mjs "$TMP/v2.csaf.json") >"$TMP/oracle" 2>&1
assert_eq 0 $? "CSAF revision 2 passes the independent validator: $(head -3 "$TMP/oracle")"
keikai export-advisory "$ID" --format cve5 >"$TMP/v2.cve5.json"
assert_contains "$(head -1 "$TMP/v2.cve5.json")" '"datePublished":"2026-03-02T01:00:00Z"' "CVE: published date kept"
assert_contains "$(head -1 "$TMP/v2.cve5.json")" '"dateUpdated":"2026-03-10T03:00:00Z"' "CVE: updated date"
assert_contains "$(head -1 "$TMP/v2.cve5.json")" '"lessThan":"1.4.3"' "CVE: the new range"
$PY "$ORACLE/validate-schema.py" cve5 "$TMP/v2.cve5.json" >/dev/null 2>&1
assert_eq 0 $? "CVE records of revision 2 are valid"
assert_contains "$(keikai export-advisory "$ID" --format osv)" '"modified":"2026-03-10T03:00:00Z"' "OSV: modified"
assert_contains "$(keikai export-advisory "$ID" --format jvnrss)" "2026-03-10T12:00:00+09:00" "JVNRSS: modified (JST)"
assert_contains "$(keikai advisory show "$ID" --public)" '"jvndb":"'"$JVNDB"'"' "the same database record"
keikai search CVE-2026-70001 --json >"$TMP/s.json" 2>/dev/null || keikai search --q CVE-2026-70001 --json >"$TMP/s.json" 2>/dev/null
assert_contains "$(cat "$TMP/s.json")" "$JVNDB" "search finds the record"
assert_eq 1 "$(grep -o '"KKDB-[0-9-]*"' "$TMP/s.json" | sort -u | wc -l | tr -d ' ')" "one record, not two"

# --- a scheduled revision keeps its note
export KEIKAI_TEST_NOW=2026-03-11T00:00:00Z
sed 's/"fixed": "1.4.2"/"fixed": "1.4.4"/' "$DOC" >"$TMP/v3.json"
keikai advisory edit "$ID" --json "$TMP/v3.json" >/dev/null
keikai advisory schedule "$ID" --at 2026-03-12T09:00+09:00 >/dev/null 2>"$TMP/err"
assert_eq 1 $? "scheduling a revision needs a note too"
keikai advisory schedule "$ID" --at 2026-03-12T09:00+09:00 --note-en "Third revision" --note-ja "第3版" >/dev/null
assert_eq 0 $? "scheduled with its note"
KEIKAI_TEST_NOW=2026-03-11T23:59:59Z keikai export-advisory "$ID" --format csaf >"$TMP/before.json"
assert_contains "$(cat "$TMP/before.json")" '"version":"2"' "a second before: still revision 2"
KEIKAI_TEST_NOW=2026-03-12T00:00:00Z keikai tick --at 2026-03-12T00:00:00Z >/dev/null 2>&1
KEIKAI_TEST_NOW=2026-03-12T00:00:00Z keikai export-advisory "$ID" --format csaf >"$TMP/v3.csaf.json"
assert_contains "$(cat "$TMP/v3.csaf.json")" '"version":"3"' "at the instant: revision 3"
assert_contains "$(cat "$TMP/v3.csaf.json")" '"summary":"Third revision"' "with the note it was scheduled with"
done_testing

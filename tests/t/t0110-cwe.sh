#!/bin/sh
# t0110-cwe — `keikai init` loads the CWE catalog (idempotently); `keikai cwe show`
# and `keikai cwe search` read it; errors and usage.
. "$(dirname "$0")/lib.sh"

run() {
	"$KEIKAI" --db "$DB" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}
CWE_DIR=${KEIKAI_SHARED:-$ROOT/../shared}/data/cwe

run init --cwe "$CWE_DIR"
assert_eq 0 "$RC" "init with --cwe exits 0"
assert_contains "$OUT" "loaded the CWE catalog from $CWE_DIR" "init says it loaded the catalog"
assert_eq 1427 "$(sqlite3 "$DB" 'SELECT count(*) FROM cwe')" "every catalog entry is loaded"
assert_eq 1149 "$(sqlite3 "$DB" 'SELECT count(*) FROM (SELECT DISTINCT child, parent FROM cwe_parent)')" "every ChildOf relation of cwe-hierarchy.json is loaded"
assert_eq 1308 "$(sqlite3 "$DB" 'SELECT count(*) FROM cwe_parent')" "one row per view stating a relation (cwec_v4.15.xml.xz)"
assert_eq 0 "$(sqlite3 "$DB" 'SELECT count(*) FROM cwe_parent WHERE view = 0')" "the XML names a view for every relation"

run init --cwe "$CWE_DIR"
assert_eq 0 "$RC" "second init exits 0"
assert_contains "$OUT" "nothing changed" "re-loading the same catalog changes nothing"

# an entry changed or a relation removed by hand is restored by the next init
sqlite3 "$DB" "UPDATE cwe SET name = 'tampered' WHERE id = 79; DELETE FROM cwe_parent WHERE child = 79; INSERT INTO cwe_parent(child, parent) VALUES (79, 20)"
run init --cwe "$CWE_DIR"
assert_contains "$OUT" "(4 rows added or changed)" "init repairs the changed name, the two lost rows and the stale relation"
assert_eq "74:1000 74:1003" "$(sqlite3 "$DB" "SELECT parent || ':' || view FROM cwe_parent WHERE child = 79 ORDER BY view" | tr '\n' ' ' | sed 's/ $//')" "CWE-79's parent is CWE-74 again, in views 1000 and 1003"

run cwe show 79
assert_eq 0 "$RC" "cwe show 79 exits 0"
assert_contains "$OUT" "CWE-79: Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')" "cwe show names CWE-79"
assert_contains "$OUT" "parents:  CWE-74 Improper Neutralization of Special Elements in Output Used by a Downstream Component ('Injection') (views 1000, 1003)" "cwe show lists the parent and its views"
assert_contains "$OUT" "children: CWE-80 Improper Neutralization of Script-Related HTML Tags in a Web Page (Basic XSS) (view 1000)" "cwe show lists children"

run cwe show CWE-787 --json
assert_eq 0 "$RC" "cwe show --json exits 0"
assert_eq "Out-of-bounds Write|weakness|Base|Draft" "$(printf '%s' "$OUT" | jq -r '"\(.name)|\(.kind)|\(.abstraction)|\(.status)"')" "JSON fields"
assert_eq "119:1000,1003,1305,1340" "$(printf '%s' "$OUT" | jq -r '[.parents[] | "\(.id):\(.views | map(tostring) | join(","))"] | join(" ")')" "JSON parents with their views"

run cwe show 99999
assert_eq 1 "$RC" "unknown CWE exits 1"
assert_contains "$ERR" "no CWE-99999 in the catalog" "unknown CWE is named"
run cwe show CWE-x
assert_eq 2 "$RC" "malformed id is a usage error"
assert_contains "$ERR" "is not a CWE id" "malformed id says why"

run cwe search "cross-site"
assert_eq 0 "$RC" "search exits 0"
assert_contains "$OUT" "$(printf 'CWE-352\tCross-Site Request Forgery (CSRF)')" "search is case-insensitive"
assert_eq "CWE-79" "$(printf '%s\n' "$OUT" | head -1 | cut -f1)" "search results are in id order"
run cwe search "100%_literal"
assert_eq "" "$OUT" "% and _ in the search text are literal"
run cwe search sql --limit 2 --json
assert_eq 2 "$(printf '%s' "$OUT" | jq length)" "--limit and --json"
run cwe search
assert_eq 2 "$RC" "search without text is a usage error"

# without the XML the relations come from cwe-hierarchy.json alone, with view 0
mkdir "$TMP/noxml"
cp "$CWE_DIR/cwe_v4.15_ids.csv" "$CWE_DIR/cwe-hierarchy.json" "$TMP/noxml/"
DB=$TMP/noxml.db
run init --cwe "$TMP/noxml"
assert_eq 0 "$RC" "init with CSV and JSON only exits 0"
assert_eq "1149 1149" "$(sqlite3 "$DB" 'SELECT count(*), sum(view = 0) FROM cwe_parent' | tr '|' ' ')" "view 0 without the XML"
run cwe show 79
assert_contains "$OUT" "parents:  CWE-74 Improper Neutralization of Special Elements in Output Used by a Downstream Component ('Injection')
" "no views printed when none are known"
# switching to the full catalog replaces the view-0 rows
run init --cwe "$CWE_DIR"
assert_eq "1308 0" "$(sqlite3 "$DB" 'SELECT count(*), sum(view = 0) FROM cwe_parent' | tr '|' ' ')" "re-loading with the XML replaces view 0 rows"

# a database initialised without a catalog says how to load it
DB=$TMP/empty.db
mkdir "$TMP/nocwe"
run init --cwe "$TMP/nocwe"
assert_eq 1 "$RC" "init with a directory lacking the catalog fails"
assert_contains "$ERR" "no cwe_v<VERSION>_ids.csv in $TMP/nocwe" "the missing file is named"

done_testing

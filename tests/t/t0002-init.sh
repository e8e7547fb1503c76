#!/bin/sh
# keikai init: creates, migrates, is idempotent, refuses a newer schema, creates the key file (0600).
. "$(dirname "$0")/lib.sh"

# run ARGS... — OUT, ERR and RC of `keikai --db $DB ARGS`
run() {
	"$KEIKAI" --db "$DB" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}
mode() { stat -c %a "$1"; }

run user list
assert_eq 1 "$RC" "user list before init fails"
assert_contains "$ERR" "no database at $DB; run 'keikai init' first" "missing database names the fix"

DB=$TMP/sub/dir/keikai.db
run init
assert_eq 0 "$RC" "init exits 0"
assert_contains "$OUT" "created database $DB" "init says it created the database"
assert_contains "$OUT" "applied migration 0001-foundation" "init lists the migrations it applied"
assert_contains "$OUT" "created key file $DB.key" "init says it created the key file"
assert_eq 600 "$(mode "$DB.key")" "key file mode 0600"
assert_eq 32 "$(stat -c %s "$DB.key")" "key file holds 32 bytes"
assert_eq 600 "$(mode "$DB")" "database file mode 0600"
assert_eq 700 "$(mode "$TMP/sub/dir")" "created directory mode 0700"
key1=$(od -An -tx1 "$DB.key" | tr -d ' \n')

run init
assert_eq 0 "$RC" "second init exits 0"
assert_contains "$OUT" "nothing changed" "second init says nothing changed"
assert_not_contains "$OUT" "applied" "second init applies nothing"
assert_eq "$key1" "$(od -An -tx1 "$DB.key" | tr -d ' \n')" "second init keeps the key"
n=$(sqlite3 "$DB" 'SELECT count(*) FROM schema_migrations')
files=$(ls "$ROOT"/src/store/schema/[0-9][0-9][0-9][0-9]-*.sql | wc -l)
assert_eq "$files" "$n" "one schema_migrations row per schema file"
# the key is not in the database
assert_eq 0 "$(sqlite3 "$DB" "SELECT count(*) FROM meta WHERE value LIKE '%$key1%'")" "key not stored in the database"

run user list
assert_eq 0 "$RC" "user list after init works"

# a key file others can read is refused
chmod 644 "$DB.key"
run init
assert_eq 1 "$RC" "init with a readable key file fails"
assert_contains "$ERR" "chmod 600 $DB.key" "readable key file names the fix"
chmod 600 "$DB.key"

# --key-file and $KEIKAI_KEY_FILE
run init --key-file "$TMP/elsewhere.key"
assert_eq 0 "$RC" "init --key-file exits 0"
assert_contains "$OUT" "created key file $TMP/elsewhere.key" "--key-file chooses the path"
KEIKAI_KEY_FILE=$TMP/env.key run init
assert_contains "$OUT" "created key file $TMP/env.key" "\$KEIKAI_KEY_FILE chooses the path"
assert_eq 600 "$(mode "$TMP/env.key")" "env key file mode 0600"
run init --key-file
assert_eq 2 "$RC" "--key-file without a path exits 2"
run init --bogus
assert_eq 2 "$RC" "unknown init option exits 2"

# a database written by a newer keikai is refused, and left alone
sqlite3 "$DB" "INSERT INTO schema_migrations VALUES (9999, '9999-future', 0)"
run init
assert_eq 1 "$RC" "init on a newer database exits 1"
assert_contains "$ERR" "database $DB was written by a newer keikai (schema 9999, this keikai knows up to" "newer schema message"
assert_contains "$ERR" "upgrade keikai" "newer schema names the fix"
run user list
assert_eq 1 "$RC" "user list on a newer database exits 1"
assert_contains "$ERR" "newer keikai" "user list refuses a newer database"
assert_eq 1 "$(sqlite3 "$DB" 'SELECT count(*) FROM schema_migrations WHERE version = 9999')" "newer database untouched"

# an older database (only 0001 applied, made by hand) is refused by other commands and migrated by init
OLD=$TMP/old.db
sqlite3 "$OLD" <"$ROOT/src/store/schema/0001-foundation.sql"
sqlite3 "$OLD" "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
INSERT INTO schema_migrations VALUES (1, '0001-foundation', 0);"
if [ "$files" -gt 1 ]; then
	DB=$OLD run user list
	assert_eq 1 "$RC" "user list on an older database exits 1"
	assert_contains "$ERR" "run 'keikai init' to migrate it" "older database names the fix"
	DB=$OLD run init
	assert_eq 0 "$RC" "init migrates an older database"
	assert_not_contains "$OUT" "0001-foundation" "init does not re-apply 0001"
	assert_contains "$OUT" "applied migration" "init applies the later migrations"
fi
DB=$OLD run user list
assert_eq 0 "$RC" "user list works after migrating"

# not a database
printf 'hello, this is not a database at all, just text long enough.............................................................' >"$TMP/junk.db"
DB=$TMP/junk.db run init
assert_eq 1 "$RC" "init on a file that is not a database exits 1"

done_testing

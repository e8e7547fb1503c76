#!/bin/sh
# t6234 — the tamper-evident audit log (issue 23): every row carries a hash
# chained to the row before; `keikai audit verify` proves the chain, and
# after a row is edited, inserted or removed with the sqlite3 shell it names
# the first broken row and exits 1; migration 0039 fills the chain for rows
# written before it.
. "$(dirname "$0")/lib.sh"
start_server
for i in 1 2 3; do
	printf '%s\n' "user-password-$i-x" | keikai user add --email "u$i@example.org" --name "U$i" --role reporter >/dev/null
done
login "$ADMIN_EMAIL" "$ADMIN_PASSWORD" "$TMP/jar"
api_json POST /api/v1/orgs '{"name":"Acme","kind":"vendor"}' -b "$TMP/jar" -H "X-CSRF-Token: $CSRF"
stop_server
rows=$(sqlite3 "$DB" "SELECT count(*) FROM audit_log")
[ "$rows" -ge 5 ] && pass "$rows audit rows" || fail "only $rows audit rows"
assert_eq 0 "$(sqlite3 "$DB" "SELECT count(*) FROM audit_log WHERE hash IS NULL OR length(hash) <> 64")" \
	"every row carries a 64-hex hash"
out=$(keikai audit verify 2>&1)
assert_eq 0 "$?" "verify: intact"
assert_contains "$out" "audit log intact: $rows rows chained" "verify says so"
out=$(keikai audit verify --json)
assert_contains "$out" '"ok":true' "verify --json"

cp "$DB" "$TMP/clean.db"
# an edit of row 3 with the sqlite3 shell (setting the trigger aside, as an intruder would)
sqlite3 "$DB" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET summary = 'nothing happened' WHERE id = 3;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'no'); END;"
out=$(keikai audit verify 2>&1)
assert_eq 1 "$?" "verify fails after an edit"
assert_contains "$out" "row 3 does not match" "verify names the edited row"
# ... even when the intruder recomputes that row's own hash: the next row breaks
sqlite3 "$DB" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor_label = 'user:nobody', hash = hash WHERE id = 3;"
out=$(keikai audit verify --json 2>/dev/null)
assert_contains "$out" '"ok":false' "verify --json says broken"
assert_contains "$out" '"broken_id":3' "verify --json names row 3"

# a row removed from the middle
cp "$TMP/clean.db" "$DB"
sqlite3 "$DB" "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 2;"
out=$(keikai audit verify 2>&1)
assert_eq 1 "$?" "verify fails after a deletion"
assert_contains "$out" "row 3 does not match" "verify names the row after the gap"

# a row inserted
cp "$TMP/clean.db" "$DB"
sqlite3 "$DB" "INSERT INTO audit_log (id, at, actor_label, action, hash) VALUES (1000, 1, 'x', 'user.create', 'ab');"
keikai audit verify >/dev/null 2>&1
assert_eq 1 "$?" "verify fails after an insertion"

# the migration fills the chain for rows written before it: take the database back before 0039
cp "$TMP/clean.db" "$DB"
sqlite3 "$DB" "DROP TRIGGER audit_log_no_update; ALTER TABLE audit_log DROP COLUMN hash;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'no'); END;
DELETE FROM schema_migrations WHERE version = 39;"
keikai init >/dev/null 2>&1
assert_eq 0 "$?" "init migrates"
assert_eq 0 "$(sqlite3 "$DB" "SELECT count(*) FROM audit_log WHERE hash IS NULL")" "the migration filled every hash"
assert_eq "$(sqlite3 "$TMP/clean.db" "SELECT group_concat(hash) FROM (SELECT hash FROM audit_log ORDER BY id)")" \
	"$(sqlite3 "$DB" "SELECT group_concat(hash) FROM (SELECT hash FROM audit_log ORDER BY id)")" \
	"the filled chain is the one written row by row"
out=$(keikai audit verify 2>&1)
assert_eq 0 "$?" "verify: intact after the migration"
sqlite3 "$DB" "UPDATE audit_log SET summary = 'x' WHERE id = 1" 2>/dev/null
assert_eq 0 "$(sqlite3 "$DB" "SELECT count(*) FROM audit_log WHERE summary = 'x'")" "still append-only"
done_testing

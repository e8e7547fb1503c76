#!/bin/sh
# keikai audit: every CLI change leaves one row, by cli:<unix user>; filters; JSON; no secrets; append-only.
. "$(dirname "$0")/lib.sh"

run() {
	printf '%s' "${IN:-}" | "$KEIKAI" --db "$DB" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}

keikai init >/dev/null || { echo "init failed"; exit 1; }
run audit
assert_eq 0 "$RC" "audit on an empty log exits 0"
assert_contains "$ERR" "no audit entries" "empty log says so"

KEIKAI_TEST_NOW=2026-01-10T09:00:00Z run org add --kind vendor Acme
KEIKAI_TEST_NOW=2026-01-11T09:00:00Z IN='correct horse battery staple' run user add --email v@acme.example --name V --role vendor --org Acme
KEIKAI_TEST_NOW=2026-01-12T09:00:00Z IN='another fine passphrase' run user passwd v@acme.example
KEIKAI_TEST_NOW=2026-01-13T09:00:00Z run user disable v@acme.example
KEIKAI_TEST_NOW=2026-01-13T09:00:00Z run org add --kind vendor Acme   # fails: no row
assert_eq 1 "$RC" "a failed change exits 1"

me=$(id -un)
run audit
assert_eq 0 "$RC" "audit exits 0"
assert_eq 4 "$(printf '%s\n' "$OUT" | wc -l)" "one row per change, none for the failed one"
first=$(printf '%s\n' "$OUT" | head -1)
assert_contains "$first" "2026-01-13T09:00:00Z  cli:$me" "newest first, actor cli:<unix user>"
assert_contains "$first" "user.disable" "newest is the disable"
assert_contains "$OUT" "org.create       organization/1  created organization Acme (vendor)" "org.create row"
assert_contains "$OUT" "user.password" "password change is audited"
assert_not_contains "$OUT" "battery" "no password in the audit log"

run audit --limit 2
assert_eq 2 "$(printf '%s\n' "$OUT" | wc -l)" "--limit 2 gives two rows"
run audit --since 2026-01-12
assert_eq 2 "$(printf '%s\n' "$OUT" | wc -l)" "--since a date"
run audit --since 2026-01-11T12:00:00Z
assert_eq 2 "$(printf '%s\n' "$OUT" | wc -l)" "--since a time"
run audit --since 2030-01-01
assert_eq "" "$OUT" "--since the future: nothing"
run audit --since yesterday
assert_eq 2 "$RC" "a bad --since exits 2"
assert_contains "$ERR" "use YYYY-MM-DD" "bad --since names the format"
run audit --limit 0
assert_eq 2 "$RC" "--limit 0 exits 2"
run audit --bogus
assert_eq 2 "$RC" "unknown option exits 2"

run audit --json
assert_eq 4 "$(printf '%s\n' "$OUT" | wc -l)" "--json: one object per line"
assert_eq ok "$(printf '%s\n' "$OUT" | node -e '
const rows = require("fs").readFileSync(0, "utf8").trim().split("\n").map(l => JSON.parse(l));
const d = rows[0];
const keys = "id,at,actor_user_id,actor,action,object_type,object_id,summary,before,after";
let ok = d.action === "user.disable" && d.before.disabled === false && d.after.disabled === true;
ok = ok && d.actor_user_id === null && d.actor.startsWith("cli:") && d.object_type === "user";
ok = ok && rows.every(r => Object.keys(r).join(",") === keys);
ok = ok && !rows.some(r => JSON.stringify(r).includes("argon2") || JSON.stringify(r).includes("password_hash"));
console.log(ok ? "ok" : JSON.stringify(rows))')" "--json rows carry before/after and no secrets"

# append-only, even for someone with the database file
if sqlite3 "$DB" "DELETE FROM audit_log" 2>"$TMP/sqlerr"; then fail "DELETE on audit_log succeeded"; else pass "DELETE on audit_log refused"; fi
CHECKS=$((CHECKS + 1))
assert_contains "$(cat "$TMP/sqlerr")" "append-only" "the refusal says append-only"
if sqlite3 "$DB" "UPDATE audit_log SET summary = 'x'" 2>/dev/null; then fail "UPDATE on audit_log succeeded"; else pass "UPDATE on audit_log refused"; fi
CHECKS=$((CHECKS + 1))
assert_eq 4 "$(sqlite3 "$DB" 'SELECT count(*) FROM audit_log')" "all rows still there"

done_testing

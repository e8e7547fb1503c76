#!/bin/sh
# keikai org add/list and user add/list/passwd/disable: stdin passwords, generated ones, and the errors.
. "$(dirname "$0")/lib.sh"

# run ARGS... — OUT, ERR and RC of `keikai --db $DB ARGS`; stdin from $IN (default empty)
run() {
	printf '%s' "${IN:-}" | "$KEIKAI" --db "$DB" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}

keikai init >/dev/null || { echo "init failed"; exit 1; }

# ---- organizations
run org add --kind vendor "Acme Corp"
assert_eq 0 "$RC" "org add exits 0"
assert_contains "$OUT" "created organization Acme Corp (vendor" "org add reports the organization"
run org add --kind=receiver IPA
assert_eq 0 "$RC" "org add --kind=VALUE works"
run org add --kind operator "Acme Corp"
assert_eq 1 "$RC" "duplicate organization exits 1"
assert_contains "$ERR" "an organization named 'Acme Corp' already exists" "duplicate organization is named"
run org add --kind bank Foo
assert_eq 2 "$RC" "unknown kind exits 2"
assert_contains "$ERR" "unknown kind 'bank'; use one of vendor|operator|receiver|coordinator|infrastructure" "unknown kind lists the kinds"
run org add Foo
assert_eq 2 "$RC" "org add without --kind exits 2"
run org add --kind vendor
assert_eq 2 "$RC" "org add without NAME exits 2"
run org add --kind vendor A B
assert_eq 2 "$RC" "org add with two names exits 2"
run org list
assert_eq 0 "$RC" "org list exits 0"
assert_contains "$OUT" "Acme Corp" "org list shows Acme Corp"
assert_contains "$OUT" "receiver" "org list shows kinds"
run org list --json
assert_contains "$OUT" '{"id":1,"name":"Acme Corp","kind":"vendor","created_at":"' "org list --json"
assert_eq 1 "$(printf '%s' "$OUT" | node -e 'const d = JSON.parse(require("fs").readFileSync(0, "utf8"));
console.log(+(d.length === 2 && d[1].kind === "receiver"))')" "org list --json parses"

# ---- users: password from stdin
IN='correct horse battery staple
' run user add --email Ann@Example.org --name "Ann Admin" --role admin
assert_eq 0 "$RC" "user add with a stdin password exits 0"
assert_contains "$OUT" "created user Ann@Example.org (admin" "user add reports the user"
assert_not_contains "$OUT$ERR" "battery" "the password is not echoed"
IN='short
' run user add --email b@example.org --name B --role reporter
assert_eq 1 "$RC" "short password exits 1"
assert_contains "$ERR" "the password has 5 characters; use at least 12" "short password says why"
run user add --email b@example.org --name B --role reporter
assert_eq 1 "$RC" "no password on stdin exits 1"
assert_contains "$ERR" "use --generate-password" "missing password names the alternative"
IN='correct horse battery staple' run user add --email ann@example.org --name Again --role receiver --org IPA
assert_eq 1 "$RC" "duplicate email (other case) exits 1"
assert_contains "$ERR" "a user with email ann@example.org already exists" "duplicate email is named"

# ---- generated password
run user add --email v@acme.example --name "Vera Vendor" --role vendor --org "Acme Corp" --generate-password
assert_eq 0 "$RC" "user add --generate-password exits 0"
PW=$(printf '%s\n' "$OUT" | sed -n 's/^password: //p')
assert_eq 20 "${#PW}" "a 20-character password is printed"
run user add --email w@acme.example --name W --role vendor --org "Acme Corp" --generate-password
PW2=$(printf '%s\n' "$OUT" | sed -n 's/^password: //p')
[ "$PW" != "$PW2" ] && pass "generated passwords differ" || fail "generated passwords repeat"
CHECKS=$((CHECKS + 1))

# ---- errors name the fix
run user add --email x@example.org --name X --role vendor --org Nope --generate-password
assert_eq 1 "$RC" "unknown organization exits 1"
assert_contains "$ERR" "no organization named 'Nope'; create it with 'keikai org add --kind vendor \"Nope\"'" "unknown organization names the fix"
run user add --email x@example.org --name X --role vendor --generate-password
assert_eq 1 "$RC" "vendor without organization exits 1"
assert_contains "$ERR" "a vendor user must belong to a vendor organization" "vendor without organization says why"
run user add --email x@example.org --name X --role vendor --org IPA --generate-password
assert_eq 1 "$RC" "vendor in a receiver organization exits 1"
assert_contains "$ERR" "'IPA' is a receiver organization" "wrong organization kind is named"
run user add --email not-an-email --name X --role reporter --generate-password
assert_eq 1 "$RC" "bad email exits 1"
assert_contains "$ERR" "'not-an-email' is not an email address" "bad email is named"
run user add --email x@example.org --name X --role root --generate-password
assert_eq 2 "$RC" "unknown role exits 2"
assert_contains "$ERR" "unknown role 'root'; use one of admin|receiver|coordinator|vendor|operator|reporter|infrastructure" "unknown role lists the roles"
run user add --email x@example.org --role admin
assert_eq 2 "$RC" "missing --name exits 2"
run user add --email
assert_eq 2 "$RC" "--email without a value exits 2"
run user add --email x@example.org --name X --role admin --bogus
assert_eq 2 "$RC" "unknown option exits 2"

# ---- list
run user list
assert_eq 0 "$RC" "user list exits 0"
assert_contains "$OUT" "ann@example.org" "user list shows the stored (lower-case) email"
assert_contains "$OUT" "Acme Corp" "user list shows organizations"
run user list --json
assert_eq 1 "$(printf '%s' "$OUT" | node -e '
const d = JSON.parse(require("fs").readFileSync(0, "utf8"));
const v = d.find(u => u.email === "v@acme.example");
console.log(+(d.length === 3 && v.role === "vendor" && v.organization === "Acme Corp" && v.disabled === false &&
	d.every(u => Object.keys(u).every(k => !k.includes("password") && !k.includes("hash")))))')" "user list --json has the fields and no secrets"
assert_not_contains "$OUT" "argon2" "user list --json shows no hash"

# ---- passwd / disable / enable
old=$(sqlite3 "$DB" "SELECT password_hash FROM users WHERE email = 'v@acme.example'")
IN='a completely new passphrase
' run user passwd v@acme.example
assert_eq 0 "$RC" "user passwd exits 0"
new=$(sqlite3 "$DB" "SELECT password_hash FROM users WHERE email = 'v@acme.example'")
[ "$old" != "$new" ] && case "$new" in '$argon2id$'*) true ;; *) false ;; esac && pass "the hash changed (argon2id)" || fail "hash not changed: $new"
CHECKS=$((CHECKS + 1))
IN='too short' run user passwd v@acme.example
assert_eq 1 "$RC" "user passwd with a short password exits 1"
IN='a completely new passphrase' run user passwd nobody@example.org
assert_eq 1 "$RC" "user passwd for an unknown user exits 1"
assert_contains "$ERR" "no user with email nobody@example.org" "unknown user is named"
run user passwd
assert_eq 2 "$RC" "user passwd without EMAIL exits 2"
run user disable v@acme.example
assert_eq 0 "$RC" "user disable exits 0"
assert_eq 1 "$(sqlite3 "$DB" "SELECT disabled FROM users WHERE email = 'v@acme.example'")" "the user is disabled"
run user list --json
assert_contains "$OUT" '"email":"v@acme.example","name":"Vera Vendor","role":"vendor","organization":"Acme Corp","disabled":true' "user list shows disabled"
run user enable v@acme.example
assert_eq 0 "$RC" "user enable exits 0"
assert_eq 0 "$(sqlite3 "$DB" "SELECT disabled FROM users WHERE email = 'v@acme.example'")" "the user is enabled again"
run user disable nobody@example.org
assert_eq 1 "$RC" "disabling an unknown user exits 1"
run user disable a b
assert_eq 2 "$RC" "user disable with two arguments exits 2"

# role changes
run user role v@acme.example coordinator
assert_eq 0 "$RC" "user role: vendor -> coordinator exits 0"
assert_eq "coordinator|" "$(sqlite3 "$DB" "SELECT role, coalesce(org_id, '') FROM users WHERE email = 'v@acme.example'")" "role changed, organization cleared"
run user role v@acme.example vendor
assert_eq 1 "$RC" "a vendor without --org exits 1"
assert_contains "$ERR" "with --org NAME" "the error says how to fix it"
run user role v@acme.example vendor --org "No Such Org"
assert_eq 1 "$RC" "an unknown organization exits 1"
assert_contains "$ERR" "no organization named 'No Such Org'" "the unknown organization is named"
run user role v@acme.example vendor --org "Acme Corp"
assert_eq 0 "$RC" "back to vendor of Acme Corp"
run user role v@acme.example wizard
assert_eq 2 "$RC" "an unknown role exits 2"
run user role v@acme.example
assert_eq 2 "$RC" "a missing role exits 2"
assert_eq 2 "$(sqlite3 "$DB" "SELECT count(*) FROM audit_log WHERE action = 'user.role'")" "both role changes audited, the refused ones not"

# passwords are stored only as argon2id hashes
assert_eq 0 "$(sqlite3 "$DB" "SELECT count(*) FROM users WHERE password_hash NOT LIKE '\$argon2id\$%'")" "every stored password is an argon2id hash"
if grep -a -q "correct horse battery staple" "$DB" "$DB-wal" 2>/dev/null; then fail "a password appears in the database files"; else pass "no clear password in the database files"; fi
CHECKS=$((CHECKS + 1))

done_testing

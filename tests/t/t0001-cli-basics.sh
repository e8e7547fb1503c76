#!/bin/sh
# CLI basics without a database: help, --version, exit codes, help COMMAND.
. "$(dirname "$0")/lib.sh"

# run ARGS... — OUT, ERR and RC of `keikai ARGS` (no --db added)
run() {
	"$KEIKAI" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}

run --help
assert_eq 0 "$RC" "--help exits 0"
assert_contains "$OUT" "usage: keikai [--db PATH] COMMAND" "--help shows usage"
for c in init "user add" "user list" "user passwd" "user disable" "org add" "org list" audit; do
	assert_contains "$OUT" "  $c " "--help lists '$c'"
done
assert_contains "$OUT" "Exit codes: 0 success, 1 runtime error, 2 usage error" "--help states exit codes"

run --version
assert_eq 0 "$RC" "--version exits 0"
case "$OUT" in
keikai\ [0-9]*.[0-9]*.[0-9]*) pass "--version prints 'keikai X.Y.Z'" ;;
*) fail "--version printed '$OUT'" ;;
esac

run
assert_eq 2 "$RC" "no command exits 2"

run frobnicate
assert_eq 2 "$RC" "unknown command exits 2"
assert_contains "$ERR" "unknown command 'frobnicate'" "unknown command is named"
assert_contains "$ERR" "keikai --help" "unknown command points at --help"
assert_eq "" "$OUT" "unknown command prints nothing on stdout"

run --frobnicate
assert_eq 2 "$RC" "unknown option exits 2"

run user
assert_eq 2 "$RC" "a group without sub-command exits 2"
assert_contains "$ERR" "needs a sub-command" "group without sub-command says so"

run help "user add"
assert_eq 0 "$RC" "help 'user add' exits 0"
assert_contains "$OUT" "usage: keikai user add --email E --name N --role ROLE" "help user add shows the synopsis"
assert_contains "$OUT" "--generate-password" "help user add lists its options"

run help user add
assert_eq 0 "$RC" "help user add (two words) exits 0"
assert_contains "$OUT" "standard input" "help user add explains stdin"

run help user
assert_eq 0 "$RC" "help user lists the group"
assert_contains "$OUT" "keikai user list" "help user shows user list"

run help init
assert_contains "$OUT" "--key-file PATH" "help init documents --key-file"

run help nosuch
assert_eq 2 "$RC" "help for an unknown command exits 2"
assert_contains "$ERR" "no command 'nosuch'" "help names the unknown command"

run org add --help
assert_eq 0 "$RC" "COMMAND --help exits 0"
assert_contains "$OUT" "usage: keikai org add --kind KIND NAME" "COMMAND --help shows the synopsis"

run --db
assert_eq 2 "$RC" "--db without a path exits 2"

done_testing

#!/bin/sh
# The manual page is generated from cli/commands.def; the committed copy
# must be the current one (regenerate: build/keikai help --man > docs/man/keikai.1).
set -eu
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$KEIKAI" help --man >"$tmp"
if ! diff -u docs/man/keikai.1 "$tmp"; then
	echo "docs/man/keikai.1 is stale: run 'build/keikai help --man > docs/man/keikai.1'"
	exit 1
fi
grep -q '^\.SH COMMANDS' docs/man/keikai.1

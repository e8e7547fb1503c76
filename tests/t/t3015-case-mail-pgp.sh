#!/bin/sh
# t3015 — case mail: notices and messages go to every contact channel of a
# vendor, PGP/MIME-encrypted where the directory keeps a key (then the
# overview itself is inside), plain otherwise (then only a link); the case
# number is in every subject and a link to the case in every body.
. "$(dirname "$0")/lib.sh"
command -v gpg >/dev/null || { echo "gpg missing (apt-get install gnupg)"; exit 1; }
export KEIKAI_MAILDIR="$TMP/mail"
. "$(dirname "$0")/case-lib.sh"

G="$TMP/gnupg"
mkdir -m 700 "$G"
gpg --homedir "$G" --batch --passphrase '' --quick-gen-key 'Alpha PSIRT <pgp@alpha.example>' default default never \
	>/dev/null 2>&1 || { echo "cannot make a test key"; exit 1; }
gpg --homedir "$G" --armor --export pgp@alpha.example >"$TMP/alpha.asc"

keikai case add-vendor "$REF" "Alpha Soft" "Beta Systems" >/dev/null || fail "add vendors"
keikai vendor contact add "Alpha Soft" --email pgp@alpha.example --pgp-key "$TMP/alpha.asc" >/dev/null ||
	fail "Alpha's PGP contact"
keikai case notify "$REF" --all >/dev/null || fail "notify"
keikai case message "$REF" "MESSAGE-FOR-ALPHA" --vendor "Alpha Soft" >/dev/null || fail "message to Alpha"
keikai case message "$REF" "MESSAGE-FOR-ALL" --thread all >/dev/null || fail "message to all"
list=$(keikai mail list --json | tr '}' '\n')
a=$(printf '%s\n' "$list" | grep '"to":"pgp@alpha.example"')
b=$(printf '%s\n' "$list" | grep '"to":"sec@beta.example"')
assert_eq 3 "$(printf '%s\n' "$a" | grep -c '"encrypted":true')" "Alpha's notice and both messages go out encrypted"
assert_eq 0 "$(printf '%s\n' "$b" | grep -c '"encrypted":true')" "Beta has no key: plain mail"
assert_eq 2 "$(printf '%s\n' "$b" | grep -c "\[$REF\]")" "the case number is in every subject (notice, message to all)"
assert_eq 0 "$(printf '%s\n' "$list" | grep '"to":"psirt@alpha.example"' | wc -l | tr -d ' ')" \
	"with a directory contact, the directory is the channel"

out=$(keikai tick --at 2027-01-15T08:00:00Z)
assert_contains "$out" "sent" "the tick delivers the mail"
# Beta's plain notice: a link, never the overview
# body_of FILE — the decoded text of a plain (base64) mail
body_of() {
	if grep -q '^Content-Transfer-Encoding: base64' "$1"; then
		tr -d '\r' <"$1" | sed '1,/^$/d' | base64 -d 2>/dev/null
	else
		tr -d '\r' <"$1" | sed '1,/^$/d'
	fi
}
beta=
for f in $(grep -l "To: sec@beta.example" "$KEIKAI_MAILDIR"/new/*); do beta="$beta$(body_of "$f")"; done
assert_contains "$beta" "https://kk.example/cases/$REF" "a plain notice carries the link"
assert_contains "$beta" "MESSAGE-FOR-ALL" "the message to all vendors reaches Beta"
assert_not_contains "$beta" "RouterOS" "but never the overview"
assert_not_contains "$beta" "MESSAGE-FOR-ALPHA" "nor Alpha's message"
# Alpha's notice: the overview inside the encryption
for f in $(grep -l "To: pgp@alpha.example" "$KEIKAI_MAILDIR"/new/*); do
	sed -n '/-----BEGIN PGP MESSAGE-----/,/-----END PGP MESSAGE-----/p' "$f" >"$TMP/enc.asc"
	gpg --homedir "$G" --batch --quiet --decrypt "$TMP/enc.asc" >>"$TMP/alpha.txt" 2>/dev/null || fail "decrypt $f"
done
plain=$(cat "$TMP/alpha.txt")
assert_contains "$plain" "RouterOS" "the encrypted notice holds the overview"
assert_contains "$plain" "MESSAGE-FOR-ALPHA" "the encrypted message holds its text"
assert_contains "$plain" "https://kk.example/cases/$REF" "and the link"
gpgconf --homedir "$G" --kill all 2>/dev/null
done_testing

#!/bin/sh
# PGP mail: a finder who gives a public key gets PGP/MIME (RFC 3156) mail; a throwaway
# GnuPG key decrypts it and the body is the receipt. Server-less.
. "$(dirname "$0")/lib.sh"

command -v gpg >/dev/null || { echo "gpg missing (apt-get install gnupg)"; exit 1; }
export KEIKAI_MAILDIR="$TMP/mail"
G="$TMP/gnupg"
mkdir -m 700 "$G"
gpg --homedir "$G" --batch --passphrase '' --quick-gen-key 'Finder Test <finder@example.org>' default default never \
	>/dev/null 2>&1 || { echo "cannot make a test key"; exit 1; }
KEY=$(gpg --homedir "$G" --armor --export finder@example.org)
assert_contains "$KEY" "BEGIN PGP PUBLIC KEY BLOCK" "test key made"

keikai init >/dev/null || { echo "init failed"; exit 1; }
# a key block that is not a usable key is refused at submission, naming the field
printf '{"kind":"website","finder":{"name":"F","email":"f@example.org","pgp_key":"-----BEGIN PGP PUBLIC KEY BLOCK-----\\n\\nbm90IGEga2V5\\n-----END PGP PUBLIC KEY BLOCK-----"},"website":{"url":"https://s.example/"},"vulnerability":{"description":"d"},"policy_ack":true}' >"$TMP/bad.json"
err=$("$KEIKAI" --db "$DB" report submit --json "$TMP/bad.json" 2>&1)
assert_eq 1 "$?" "an unusable key is refused"
assert_contains "$err" "finder.pgp_key: this key cannot be used to encrypt mail" "naming finder.pgp_key"

python3 -c 'import json,sys; print(json.dumps({"kind":"website","lang":"en","finder":{"name":"Finder Test","email":"finder@example.org","pgp_key":sys.argv[1]},"website":{"name":"Shop","url":"https://shop.example.com/"},"vulnerability":{"description":"SQL injection in search"},"policy_ack":True}))' "$KEY" >"$TMP/r.json"
out=$("$KEIKAI" --db "$DB" report submit --json "$TMP/r.json")
assert_contains "$out" "tracking number: KK-" "report with a key submitted"
T=$(printf '%s\n' "$out" | sed -n 's/^tracking number: //p')
list=$("$KEIKAI" --db "$DB" mail list --json)
assert_contains "$list" '"encrypted":true' "outbox marks it encrypted"
out=$("$KEIKAI" --db "$DB" mail flush)
assert_contains "$out" "1 sent" "flushed"
f=$(ls "$KEIKAI_MAILDIR"/new/* | head -1)
msg=$(cat "$f")
assert_contains "$msg" 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted";' "PGP/MIME envelope"
assert_contains "$msg" "Version: 1" "version part"
assert_not_contains "$msg" "SQL injection" "no plain text in the mail"
assert_not_contains "$msg" "key=" "no secret link in plain"
sed -n '/-----BEGIN PGP MESSAGE-----/,/-----END PGP MESSAGE-----/p' "$f" >"$TMP/enc.asc"
plain=$(gpg --homedir "$G" --batch --quiet --decrypt "$TMP/enc.asc" 2>"$TMP/gpg.err")
assert_eq 0 "$?" "the test key decrypts it"
assert_contains "$plain" "Content-Type: text/plain; charset=UTF-8" "inner MIME entity"
assert_contains "$plain" "Tracking number: $T" "receipt inside"
assert_contains "$plain" "/r/$T?key=" "secret link inside"
left=$(ls "${TMPDIR:-/tmp}" | grep -c '^kk-gnupg-' || true)
assert_eq 0 "$left" "no temporary GNUPGHOME left behind"
gpgconf --homedir "$G" --kill all 2>/dev/null
done_testing

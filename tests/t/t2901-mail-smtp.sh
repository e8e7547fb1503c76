#!/bin/sh
# SMTP delivery through libcurl to a tiny loopback sink (python3 smtpd, 3.11): the envelope,
# the message, AUTH-less plain SMTP (STARTTLS off); a dead server means retry with backoff.
. "$(dirname "$0")/lib.sh"

python3 -W ignore -c 'import smtpd' 2>/dev/null || { echo "python3 without smtpd (3.12+): skipped"; done_testing; exit 0; }
cat >"$TMP/sink.py" <<'PY'
import asyncore, smtpd, sys, warnings
warnings.simplefilter("ignore")
out = sys.argv[1]
class Sink(smtpd.SMTPServer):
    def process_message(self, peer, mailfrom, rcpttos, data, **kw):
        with open(out, "ab") as f:
            f.write(("MAIL FROM %s RCPT TO %s\n" % (mailfrom, ",".join(rcpttos))).encode())
            f.write(data if isinstance(data, bytes) else data.encode())
            f.write(b"\n.\n")
s = Sink(("127.0.0.1", 0), None, decode_data=False)
with open(out + ".port", "w") as f:
    f.write(str(s.socket.getsockname()[1]))
asyncore.loop(timeout=0.2)
PY
python3 -W ignore "$TMP/sink.py" "$TMP/received" &
SINK=$!
trap 'r=$?; kill $SINK 2>/dev/null; (exit $r); cleanup' EXIT
i=0
while [ ! -s "$TMP/received.port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat "$TMP/received.port")

keikai init >/dev/null || { echo "init failed"; exit 1; }
printf '{"kind":"product","lang":"en","finder":{"name":"N","email":"finder@example.org"},"product":{"name":"P"},"vulnerability":{"description":"d"},"policy_ack":true}' |
	"$KEIKAI" --db "$DB" report submit --json - >/dev/null
export KEIKAI_MAIL_FROM=ipa@example.jp KEIKAI_SMTP_STARTTLS=off
out=$(KEIKAI_SMTP_URL="smtp://127.0.0.1:$PORT" "$KEIKAI" --db "$DB" mail flush)
assert_eq 0 "$?" "flush over SMTP exits 0"
assert_contains "$out" "1 sent" "one mail sent"
i=0
while ! grep -q '^\.$' "$TMP/received" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
got=$(cat "$TMP/received")
assert_contains "$got" "MAIL FROM ipa@example.jp RCPT TO finder@example.org" "envelope from config and sealed recipient"
assert_contains "$got" "Subject: =?UTF-8?B?" "encoded subject"
assert_contains "$got" "Message-ID: <kk." "message id"

# a server that is gone: the mail waits with backoff
printf '{"kind":"product","finder":{"name":"N","email":"f2@example.org"},"product":{"name":"P"},"vulnerability":{"description":"d"},"policy_ack":true}' |
	KEIKAI_TEST_NOW=2026-04-01T00:00:00Z "$KEIKAI" --db "$DB" report submit --json - >/dev/null
kill $SINK 2>/dev/null; wait $SINK 2>/dev/null
out=$(KEIKAI_TEST_NOW=2026-04-01T00:00:00Z KEIKAI_SMTP_URL="smtp://127.0.0.1:$PORT" "$KEIKAI" --db "$DB" mail flush)
assert_eq 3 "$?" "exit 3 when mail is left to retry"
assert_contains "$out" "0 sent, 1 to retry" "retry counted"
list=$("$KEIKAI" --db "$DB" mail list --state queued --json)
assert_contains "$list" '"attempts":1' "one attempt recorded"
assert_contains "$list" '"next_attempt_at":"2026-04-01T00:01:00Z"' "next attempt one minute later"
assert_contains "$list" "SMTP delivery through smtp://127.0.0.1:$PORT failed" "the error names the server"
done_testing

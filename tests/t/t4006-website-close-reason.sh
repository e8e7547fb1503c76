#!/bin/sh
# t4006 — a website case closed without a fix tells the finder why (003
# appendix B VI.2 (2); issue 15 item 2): site closed, not reproducible or
# operator unreachable each reach the finder's status page and mail, in both
# languages, through intake; the receiver's note stays internal. A case closed
# as fixed tells nothing more (the completion report already did).
. "$(dirname "$0")/lib.sh"
export KEIKAI_MAILDIR="$TMP/mail" KEIKAI_TEST_NOW=2026-06-01T03:00:00Z
keikai init >/dev/null || { echo "init failed"; exit 1; }
start_server --no-scheduler
submit() { # URL -> tracking in T, key in FK, handling number in H
	printf '%s' "{\"kind\":\"website\",\"finder\":{\"name\":\"Shiro Finder\",\"email\":\"shiro@finder.example\"},\"website\":{\"url\":\"$1\"},\"vulnerability\":{\"description\":\"directory listing\"},\"policy_ack\":true}" |
		keikai report submit --json - >"$TMP/sub"
	T=$(sed -n 's/^tracking number: //p' "$TMP/sub")
	FK=$(sed -n 's/^secret link: .*key=//p' "$TMP/sub")
	keikai report accept "$T" >/dev/null
	H=$(keikai website list | grep -F "$1" | awk '{print $1}')
}
submit https://closed.example.org/
H1=$H T1=$T K1=$FK
keikai website close "$H1" --outcome site_closed --note "INTERNAL-NOTE operator said so by phone" >/dev/null
assert_eq 0 $? "the receiver closes the case: the site was closed"
api GET "/r/$T1?key=$K1"
assert_contains "$BODY" "ウェブサイトが閉鎖されました" "the finder's page gives the reason in Japanese"
assert_contains "$BODY" "Reason: the website has been closed." "and in English"
assert_contains "$BODY" "$H1" "naming the handling number"
assert_not_contains "$BODY" "INTERNAL-NOTE" "the receiver's note stays internal"
keikai mail flush >/dev/null 2>&1
assert_contains "$(keikai mail list --json)" "\"to\":\"finder of $T1\"" "the finder is mailed (sealed)"

submit https://flaky.example.org/
api GET "/r/$T?key=$FK"
assert_not_contains "$BODY" "could not be reproduced" "nothing said before the close"
keikai website close "$H" --outcome not_reproducible >/dev/null
assert_eq 0 $? "closed: not reproducible"
api GET "/r/$T?key=$FK"
assert_contains "$BODY" "the reported behaviour could not be reproduced on the site" "the finder is told why"
done_testing

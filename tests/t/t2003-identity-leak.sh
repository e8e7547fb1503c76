#!/bin/sh
# t2003 — the finder's identity never leaks: a report with a distinctive finder name and e-mail
# goes through a question, the finder's answer and acceptance; then every route of
# `keikai routes` (with the real tracking number, attachment hash and case reference) is asked
# by every role and the public — pages, API, downloads, error answers, with and without the
# secret link's key — and no answer's headers or body may hold the name or the e-mail. Receivers
# and admins do not see them either until the audited reveal, which shows them; after the reveal
# the other roles still see nothing. The server log never holds them.
. "$(dirname "$0")/lib.sh"

export KEIKAI_TEST_NOW=2026-03-01T09:00:00Z KEIKAI_MAILDIR="$TMP/mail"
start_server
LEAK='zyxwvu|qortamel|zq\.sealed|leakcheck\.example'
NAME="Zyxwvu Qortamel"
EMAIL="zq.sealed@leakcheck.example"

# --- users, one per role, with API tokens (no cookies: the walk may post anywhere)
make_token "$ADMIN_EMAIL" "$ADMIN_PASSWORD"
tok_admin=$TOKEN
for o in "Acme vendor" "Webshop operator" "Grid infrastructure"; do
	set -- $o
	api_json POST /api/v1/orgs "{\"name\":\"$1\",\"kind\":\"$2\"}" -H "Authorization: Bearer $tok_admin"
	eval "ORG_$2=$(json_int id)"
done
for role in receiver coordinator vendor operator reporter infrastructure; do
	org=null
	eval "o=\${ORG_$role:-}"
	[ -n "$o" ] && org=$o
	api_json POST /api/v1/users "{\"email\":\"$role@example.org\",\"name\":\"$role user\",\"role\":\"$role\",\"org_id\":$org,\"password\":\"password-of-$role\"}" \
		-H "Authorization: Bearer $tok_admin"
	make_token "$role@example.org" "password-of-$role"
	[ -n "$TOKEN" ] || fail "no token for $role"
	eval "tok_$role=\$TOKEN"
done

# --- the report: finder named, consents to nothing, wants credit; one file
printf 'PoC request\n' >"$TMP/poc.txt"
REPORT="{\"kind\":\"product\",\"lang\":\"en\",\"finder\":{\"name\":\"$NAME\",\"email\":\"$EMAIL\",\"disclose\":\"none\",\"credit\":true,\"credit_name\":\"$NAME\"},\"product\":{\"name\":\"Gizmo\",\"vendor\":\"Acme\",\"version\":\"1.0\"},\"vulnerability\":{\"cwe\":\"CWE-79\",\"description\":\"stored XSS in the comment box\"},\"policy_ack\":true}"
api POST /api/v1/reports -F "report=$REPORT" -F "file=@$TMP/poc.txt;filename=poc.txt"
assert_eq 201 "$STATUS" "report submitted"
TRK=$(json_str tracking) KEY=$(json_str key)
SHA=$(sha256sum "$TMP/poc.txt" | cut -d' ' -f1)
act() { api POST "/triage/$TRK/act" -H "Authorization: Bearer $tok_receiver" "$@"; }
act -d verb=request_info --data-urlencode "text=Which build?"
assert_eq 303 "$STATUS" "a question to the finder"
api_json POST "/api/v1/reports/$TRK/messages" "{\"key\":\"$KEY\",\"body\":\"build 7\"}"
assert_eq 201 "$STATUS" "the finder answers"
act -d verb=accept
assert_eq 303 "$STATUS" "accepted"
api GET /api/v1/cases -H "Authorization: Bearer $tok_admin"
CASE=$(json_str ref)
[ -n "$CASE" ] || CASE=none
keikai mail flush >/dev/null 2>&1

# --- the walk
"$KEIKAI" routes >"$TMP/routes"
path_for() {
	printf '%s' "$1" | sed -e "s/{tracking}/$TRK/g" -e "s/{sha256}/$SHA/g" -e "s/{ref}/$CASE/g" \
		-e 's/{file}/style.css/g' -e 's/{id}/999999/g' -e 's/{[a-z]*}/x/g'
}
# walk ROLE... — every route for every role, one curl per role (a config of all requests);
# a fail names the route and the role; one check per role
walk() {
	for role in "$@"; do
		eval "tok=\${tok_$role:-}"
		out=$TMP/walk-$role
		rm -rf "$out"
		mkdir -p "$out"
		: >"$out/cfg"
		n=0
		while read -r method pattern perm summary; do
			p=$(path_for "$pattern")
			# the reveal is the one way to see the finder; it is checked on its own below
			case "$pattern" in */reveal) continue ;; esac
			# the finder's routes also with a wrong and an empty key; pages in both languages
			qs="?lang=en"
			case "$pattern" in *{tracking}*) qs="?lang=en ?key=$KEY-wrong ?key=&lang=ja" ;; esac
			case "$p" in /api/*) ;; *) [ "$method" = GET ] && qs="$qs ?lang=ja" ;; esac
			for q in $qs; do
				n=$((n + 1))
				{
					[ $n -gt 1 ] && echo next
					echo "url = \"$BASE$p$q\""
					echo "request = \"$method\""
					echo "output = \"$out/$n.body\""
					echo "dump-header = \"$out/$n.hdr\""
					echo "max-time = 10"
					[ -n "$tok" ] && echo "header = \"Authorization: Bearer $tok\""
					case "$method" in
					GET) ;;
					*) case "$p" in
						/api/*) echo 'header = "Content-Type: application/json"'; echo 'data-binary = "{}"' ;;
						*) echo 'data = "x=1"' ;;
						esac ;;
					esac
				} >>"$out/cfg"
				echo "$n $method $p$q" >>"$out/index"
			done
		done <"$TMP/routes"
		curl -s -K "$out/cfg" >/dev/null 2>&1
		got=$(ls "$out" | grep -c '\.hdr$')
		assert_eq "$n" "$got" "$role: all $n requests answered"
		leaks=0
		for f in $(grep -l -i -E "$LEAK" "$out"/*.body "$out"/*.hdr 2>/dev/null); do
			k=$(basename "$f" | cut -d. -f1)
			leaks=$((leaks + 1))
			fail "$role: $(sed -n "s/^$k //p" "$out/index") shows the finder: $(grep -i -o -E ".{0,60}($LEAK).{0,20}" "$f" | head -2)"
		done
		assert_eq 0 "$leaks" "$role: none of $n answers holds the finder's name or e-mail"
	done
}
walk public vendor operator coordinator reporter infrastructure receiver admin

# --- the finder's own link shows their report, not their identity either
api GET "/r/$TRK?key=$KEY"
assert_eq 200 "$STATUS" "the finder's page"
assert_not_contains "$(cat "$HDRS" "$BODYF")" "$EMAIL" "not even the finder's page repeats the e-mail"

# --- reveal: refused to the others, shown to the receiver, audited
for role in vendor operator coordinator reporter infrastructure; do
	eval "tok=\$tok_$role"
	api POST "/triage/$TRK/reveal" -H "Authorization: Bearer $tok"
	assert_eq 403 "$STATUS" "$role may not reveal"
	if cat "$HDRS" "$BODYF" | grep -q -i -E "$LEAK"; then fail "$role: the refused reveal shows the finder"; fi
done
api POST "/triage/$TRK/reveal"
if cat "$HDRS" "$BODYF" | grep -q -i -E "$LEAK"; then fail "public: the refused reveal shows the finder"; else pass "public: the refused reveal shows nothing"; fi
api POST "/triage/$TRK/reveal?lang=en" -H "Authorization: Bearer $tok_receiver"
assert_eq 200 "$STATUS" "the receiver reveals"
assert_contains "$BODY" "$NAME" "the reveal shows the name"
assert_contains "$BODY" "$EMAIL" "the reveal shows the e-mail"
api GET "/api/v1/audit" -H "Authorization: Bearer $tok_admin"
assert_contains "$BODY" "report.reveal" "the reveal is audited"
if printf '%s' "$BODY" | grep -q -i -E "$LEAK"; then fail "the audit log holds the finder"; else pass "the audit log names the reveal, not the finder"; fi

# --- after the reveal nothing changed for anyone else (the receiver's next page is sealed again)
walk public vendor operator coordinator receiver

log=$(cat "$SERVER_LOG")
if printf '%s' "$log" | grep -q -i -E "$LEAK"; then fail "the server log holds the finder: $(printf '%s' "$log" | grep -i -E "$LEAK" | head -2)"; else pass "the server log never holds the finder"; fi
CHECKS=$((CHECKS + 1))
done_testing

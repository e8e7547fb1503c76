# tests/t/case-lib.sh — the coordination tests' common start (sourced after lib.sh):
# a server with the clock pinned (KEIKAI_TEST_NOW) and no scheduler thread (the
# tests run `keikai tick --at`), a coordinator, a receiver, three vendor
# organizations with one user each (API tokens in TOK_COORD, TOK_A, TOK_B,
# TOK_C), and one accepted product report, which opened case $REF.
# cas METHOD PATH [JSON] TOKEN — an API call with a bearer token.
PW=case-test-password-1
export KEIKAI_TEST_NOW=2027-01-15T08:00:00Z
export KEIKAI_BASE_URL=https://kk.example
start_server --no-scheduler

mkuser() { # EMAIL ROLE ORG
	printf '%s\n' "$PW" | keikai user add --email "$1" --name "$1" --role "$2" ${3:+--org "$3"} >/dev/null ||
		{ echo "user add $1 failed"; exit 1; }
}
keikai org add --kind coordinator "Coordination Center" >/dev/null
keikai org add --kind receiver "Receiving Office" >/dev/null
keikai org add --kind vendor "Alpha Soft" >/dev/null
keikai org add --kind vendor "Beta Systems" >/dev/null
keikai org add --kind vendor "Gamma Silent" >/dev/null
mkuser coord@cc.example coordinator "Coordination Center"
mkuser rcv@recv.example receiver "Receiving Office"
mkuser psirt@alpha.example vendor "Alpha Soft"
mkuser sec@beta.example vendor "Beta Systems"
mkuser info@gamma.example vendor "Gamma Silent"
make_token coord@cc.example "$PW"; TOK_COORD=$TOKEN
make_token psirt@alpha.example "$PW"; TOK_A=$TOKEN
make_token sec@beta.example "$PW"; TOK_B=$TOKEN
make_token info@gamma.example "$PW"; TOK_C=$TOKEN
org_id() { keikai org list --json | tr '{' '\n' | grep "\"name\":\"$1\"" | grep -o '"id":[0-9]*' | cut -d: -f2; }
ORG_A=$(org_id "Alpha Soft")
ORG_B=$(org_id "Beta Systems")
ORG_C=$(org_id "Gamma Silent")

cas() { # METHOD PATH [JSON] TOKEN
	if [ $# -eq 4 ]; then
		api_json "$1" "$2" "$3" -H "Authorization: Bearer $4"
	else
		api "$1" "$2" -H "Authorization: Bearer $3"
	fi
}

printf '%s' '{"kind":"product","finder":{"name":"Hanako Finder","email":"hanako@finder.example"},"product":{"name":"RouterOS","version":"3.2","vendor":"Alpha Soft"},"vulnerability":{"cwe":"CWE-78","description":"OS command injection in the ping page","steps":"SECRET-STEPS host=;id","impact":"remote code execution"},"policy_ack":true}' |
	keikai report submit --json - >"$TMP/submit.out" || { echo "report submit failed"; exit 1; }
TRACKING=$(sed -n 's/^tracking number: //p' "$TMP/submit.out")
keikai report accept "$TRACKING" >/dev/null || { echo "report accept failed"; exit 1; }
REF=$(keikai case list --json | grep -o '"ref":"KKC-[0-9-]*"' | head -1 | cut -d'"' -f4)
[ -n "$REF" ] || { echo "accepting the report opened no case"; exit 1; }

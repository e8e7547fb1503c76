#!/bin/sh
# t6003 — every route of `keikai routes` × every role (one user per role
# plus the anonymous public) against the matrix below, written by hand
# independently of src/auth/policy.c and src/web/routes.def:
#   ok    allowed: any answer but 401/403 and not a redirect to /login
#   auth  the public must sign in: 401 (API, form posts) or 303 to /login (pages)
#   deny  403 for a signed-in user of the wrong role
# A route missing from the matrix fails the test, so new routes get a row.
. "$(dirname "$0")/lib.sh"
start_server

cat >"$TMP/matrix" <<'M'
# method pattern                     public admin receiver coordinator vendor operator reporter infrastructure
GET    /healthz                      ok   ok ok   ok   ok   ok   ok   ok
GET    /metrics                      auth ok deny deny deny deny deny deny
GET    /static/{file}                ok   ok ok   ok   ok   ok   ok   ok
POST   /api/v1/session               ok   ok ok   ok   ok   ok   ok   ok
DELETE /api/v1/session               auth ok ok   ok   ok   ok   ok   ok
GET    /api/v1/me                    auth ok ok   ok   ok   ok   ok   ok
PUT    /api/v1/me/password           auth ok ok   ok   ok   ok   ok   ok
GET    /api/v1/me/tokens             auth ok ok   ok   ok   ok   ok   ok
POST   /api/v1/me/tokens             auth ok ok   ok   ok   ok   ok   ok
DELETE /api/v1/me/tokens/{id}        auth ok ok   ok   ok   ok   ok   ok
GET    /api/v1/users                 auth ok ok   ok   ok   ok   ok   ok
POST   /api/v1/users                 auth ok deny deny deny deny deny deny
GET    /api/v1/users/{id}            auth ok ok   ok   deny deny deny deny
PATCH  /api/v1/users/{id}            auth ok deny deny deny deny deny deny
GET    /api/v1/orgs                  auth ok ok   ok   ok   ok   ok   ok
POST   /api/v1/orgs                  auth ok deny deny deny deny deny deny
GET    /api/v1/audit                 auth ok deny deny deny deny deny deny
GET    /api/v1/vulns                 ok   ok ok   ok   ok   ok   ok   ok
GET    /api/v1/vulns/{id}            ok   ok ok   ok   ok   ok   ok   ok
GET    /api/v1/vulndb/vendors        ok   ok ok   ok   ok   ok   ok   ok
GET    /api/v1/vulndb/vendors/{id}   ok   ok ok   ok   ok   ok   ok   ok
GET    /api/v1/vulndb/vendors/{id}/products ok ok ok ok  ok   ok   ok   ok
GET    /api/v1/vulndb/products       ok   ok ok   ok   ok   ok   ok   ok
GET    /vulns                        ok   ok ok   ok   ok   ok   ok   ok
GET    /vulns/{id}                   ok   ok ok   ok   ok   ok   ok   ok
GET    /myjvn                        ok   ok ok   ok   ok   ok   ok   ok
POST   /myjvn                        ok   ok ok   ok   ok   ok   ok   ok
POST   /api/v1/check                 ok   ok ok   ok   ok   ok   ok   ok
GET    /api/v1/inventories           auth ok ok   ok   ok   ok   ok   ok
POST   /api/v1/inventories           auth ok ok   ok   ok   ok   ok   ok
GET    /api/v1/inventories/{id}      auth ok ok   ok   ok   ok   ok   ok
POST   /api/v1/inventories/{id}/import auth ok ok ok   ok   ok   ok   ok
POST   /api/v1/inventories/{id}/items auth ok ok  ok   ok   ok   ok   ok
GET    /api/v1/inventories/{id}/check auth ok ok  ok   ok   ok   ok   ok
POST   /api/v1/inventories/{id}/dismissals auth ok ok ok ok ok  ok   ok
POST   /api/v1/inventories/{id}/vex  auth ok ok   ok   ok   ok   ok   ok
GET    /api/v1/watchlists            auth ok ok   ok   ok   ok   ok   ok
POST   /api/v1/watchlists            auth ok ok   ok   ok   ok   ok   ok
GET    /api/v1/watchlists/{id}       auth ok ok   ok   ok   ok   ok   ok
DELETE /api/v1/watchlists/{id}       auth ok ok   ok   ok   ok   ok   ok
POST   /api/v1/watchlists/{id}/seen  auth ok ok   ok   ok   ok   ok   ok
GET    /api/v1/watchlists/{id}/deliveries auth ok ok ok ok   ok   ok   ok
GET    /feeds/watch/{token}          ok   ok ok   ok   ok   ok   ok   ok
GET    /watchlists                   auth ok ok   ok   ok   ok   ok   ok
GET    /watchlists/{id}              auth ok ok   ok   ok   ok   ok   ok
GET    /api/v1/inventories/{id}/sheet auth ok ok  ok   ok   ok   ok   ok
GET    /inventories                  auth ok ok   ok   ok   ok   ok   ok
GET    /inventories/{id}             auth ok ok   ok   ok   ok   ok   ok
GET    /feeds/{file}                 ok   ok ok   ok   ok   ok   ok   ok
GET    /feeds/vendor/{vendor}/{file} ok   ok ok   ok   ok   ok   ok   ok
GET    /feeds/product/{vendor}/{product}/{file} ok ok ok ok ok ok ok ok
GET    /feeds/cwe/{cwe}/{file}       ok   ok ok   ok   ok   ok   ok   ok
GET    /rest/json/cves/2.0           ok   ok ok   ok   ok   ok   ok   ok
POST   /v1/query                     ok   ok ok   ok   ok   ok   ok   ok
POST   /v1/querybatch                ok   ok ok   ok   ok   ok   ok   ok
GET    /v1/vulns/{id}                ok   ok ok   ok   ok   ok   ok   ok
GET    /                             ok   ok ok   ok   ok   ok   ok   ok
GET    /login                        ok   ok ok   ok   ok   ok   ok   ok
POST   /login                        ok   ok ok   ok   ok   ok   ok   ok
POST   /logout                       auth ok ok   ok   ok   ok   ok   ok
GET    /account                      auth ok ok   ok   ok   ok   ok   ok
POST   /account/password             auth ok ok   ok   ok   ok   ok   ok
POST   /account/tokens               auth ok ok   ok   ok   ok   ok   ok
POST   /account/tokens/{id}/revoke   auth ok ok   ok   ok   ok   ok   ok
GET    /admin/users                  auth ok deny deny deny deny deny deny
POST   /admin/users                  auth ok deny deny deny deny deny deny
GET    /admin/orgs                   auth ok deny deny deny deny deny deny
POST   /admin/orgs                   auth ok deny deny deny deny deny deny
GET    /admin/audit                  auth ok deny deny deny deny deny deny
POST   /api/v1/reports               ok   ok ok   ok   ok   ok   ok   ok
GET    /api/v1/reports/{tracking}    ok   ok ok   ok   ok   ok   ok   ok
GET    /report                       ok   ok ok   ok   ok   ok   ok   ok
POST   /report                       ok   ok ok   ok   ok   ok   ok   ok
GET    /r/{tracking}                 ok   ok ok   ok   ok   ok   ok   ok
POST   /r/{tracking}                 ok   ok ok   ok   ok   ok   ok   ok
GET    /triage                       auth ok ok   deny deny deny deny deny
GET    /triage/{tracking}            auth ok ok   deny deny deny deny deny
POST   /triage/{tracking}/reveal     auth ok ok   deny deny deny deny deny
POST   /triage/{tracking}/act        auth ok ok   deny deny deny deny deny
POST   /api/v1/reports/{tracking}/messages ok ok ok ok ok ok ok ok
POST   /api/v1/reports/{tracking}/triage auth ok ok deny deny deny deny deny
GET    /r/{tracking}/files/{sha256}  ok   ok ok   ok   ok   ok   ok   ok
GET    /triage/{tracking}/files/{sha256} auth ok ok deny deny deny deny deny
GET    /api/v1/website/cases         auth ok ok   deny deny deny deny deny
GET    /api/v1/website/board         auth ok ok   deny deny deny deny deny
GET    /api/v1/website/figures       auth ok ok   deny deny deny deny deny
GET    /api/v1/website/cases/{case}  auth ok ok   deny deny deny deny deny
POST   /api/v1/website/cases/{case}  auth ok ok   deny deny deny deny deny
GET    /api/v1/website/portal        ok   ok ok   ok   ok   ok   ok   ok
POST   /api/v1/website/portal        ok   ok ok   ok   ok   ok   ok   ok
GET    /api/v1/website/portal/cases  auth ok deny deny deny ok deny deny
GET    /api/v1/website/portal/files/{sha256} ok ok ok ok ok ok ok ok
GET    /api/v1/website/finder/{tracking} ok ok ok ok ok ok ok ok
POST   /api/v1/website/finder/{tracking} ok ok ok ok ok ok ok ok
GET    /website                      auth ok ok   deny deny deny deny deny
GET    /website/case/{case}          auth ok ok   deny deny deny deny deny
POST   /website/case/{case}          auth ok ok   deny deny deny deny deny
GET    /website/portal               ok   ok ok   ok   ok   ok   ok   ok
POST   /website/portal               ok   ok ok   ok   ok   ok   ok   ok
GET    /website/portal/files/{sha256} ok ok ok   ok   ok   ok   ok   ok
GET    /website/finder/{tracking}    ok   ok ok   ok   ok   ok   ok   ok
POST   /website/finder/{tracking}    ok   ok ok   ok   ok   ok   ok   ok
GET    /api/v1/cases                 auth ok ok   ok   ok   deny deny deny
POST   /api/v1/cases                 auth ok deny ok   deny deny deny deny
GET    /api/v1/cases/stalled         auth ok deny ok   deny deny deny deny
GET    /api/v1/cases/{ref}           auth ok ok   ok   ok   deny deny deny
PATCH  /api/v1/cases/{ref}           auth ok deny ok   deny deny deny deny
GET    /api/v1/cases/{ref}/vendors   auth ok ok   ok   ok   deny deny deny
POST   /api/v1/cases/{ref}/vendors   auth ok deny ok   deny deny deny deny
POST   /api/v1/cases/{ref}/vendors/{id}/share auth ok deny ok deny deny deny deny
POST   /api/v1/cases/{ref}/vulns     auth ok deny ok   deny deny deny deny
POST   /api/v1/cases/{ref}/steps     auth ok deny ok   ok   deny deny deny
GET    /api/v1/cases/{ref}/files/{sha256} auth ok ok ok ok deny deny deny
GET    /api/v1/cases/{ref}/statements auth ok ok  ok   ok   deny deny deny
POST   /api/v1/cases/{ref}/statements auth ok deny ok  ok   deny deny deny
POST   /api/v1/cases/{ref}/date      auth ok deny ok   deny deny deny deny
POST   /api/v1/cases/{ref}/date-requests auth ok deny ok ok deny deny deny
POST   /api/v1/cases/{ref}/date-requests/{id} auth ok deny ok deny deny deny deny
POST   /api/v1/cases/{ref}/date-exception auth ok deny ok deny deny deny deny
POST   /api/v1/cases/{ref}/cancel    auth ok deny ok   deny deny deny deny
GET    /api/v1/cases/{ref}/messages  auth ok ok   ok   ok   deny deny deny
POST   /api/v1/cases/{ref}/messages  auth ok deny ok   ok   deny deny deny
POST   /api/v1/cases/{ref}/finder-messages auth ok deny ok deny deny deny deny
GET    /api/v1/cases/{ref}/timeline  auth ok deny ok   deny deny deny deny
GET    /api/v1/cases/{ref}/suggestions auth ok deny ok deny deny deny deny
POST   /api/v1/cases/{ref}/named-vendors auth ok deny ok ok deny deny deny
POST   /api/v1/cases/{ref}/named-vendors/{id}/dismiss auth ok deny ok deny deny deny deny
POST   /api/v1/cases/{ref}/prenotify auth ok ok   ok   deny deny deny deny
POST   /api/v1/cases/{ref}/infra-shares auth ok ok ok  deny deny deny deny
PUT    /api/v1/infra/orgs/{id}       auth ok ok   ok   deny deny deny deny
GET    /api/v1/infra/shares          auth ok deny deny deny deny deny ok
GET    /api/v1/advisories            ok   ok ok   ok   ok   ok   ok   ok
POST   /api/v1/advisories            auth ok deny ok   deny deny deny deny
GET    /api/v1/advisories/{id}       ok   ok ok   ok   ok   ok   ok   ok
PUT    /api/v1/advisories/{id}       auth ok deny ok   deny deny deny deny
DELETE /api/v1/advisories/{id}       auth ok deny ok   deny deny deny deny
POST   /api/v1/advisories/{id}/publish auth ok deny ok deny deny deny deny
GET    /jvn                          ok   ok ok   ok   ok   ok   ok   ok
GET    /jvn/{id}                     ok   ok ok   ok   ok   ok   ok   ok
GET    /jvn/{id}/en                  ok   ok ok   ok   ok   ok   ok   ok
GET    /jvn/{id}/csaf                ok   ok ok   ok   ok   ok   ok   ok
GET    /jvn/{id}/osv                 ok   ok ok   ok   ok   ok   ok   ok
GET    /jvn/{id}/jvnrss              ok   ok ok   ok   ok   ok   ok   ok
GET    /jvn/{id}/cve/{cve}           ok   ok ok   ok   ok   ok   ok   ok
GET    /.well-known/csaf/provider-metadata.json ok ok ok ok ok ok ok ok
GET    /.well-known/csaf/white/index.txt ok ok ok ok ok ok ok ok
GET    /.well-known/csaf/white/changes.csv ok ok ok ok ok ok ok ok
GET    /.well-known/csaf/white/{year}/{file} ok ok ok ok ok ok ok ok
GET    /advisories                   auth ok deny ok   deny deny deny deny
POST   /advisories                   auth ok deny ok   deny deny deny deny
GET    /advisories/{id}              auth ok deny ok   deny deny deny deny
POST   /advisories/{id}              auth ok deny ok   deny deny deny deny
GET    /advisories/{id}/preview      auth ok deny ok   deny deny deny deny
POST   /advisories/{id}/publish      auth ok deny ok   deny deny deny deny
GET    /cases                        auth ok ok   ok   ok   deny deny deny
GET    /cases/stalled                auth ok deny ok   deny deny deny deny
GET    /cases/{ref}                  auth ok ok   ok   ok   deny deny deny
POST   /cases/{ref}                  auth ok deny ok   ok   deny deny deny
POST   /cases/{ref}/prenotify        auth ok ok   ok   deny deny deny deny
GET    /infra                        auth ok deny deny deny deny deny ok
GET    /api/v1/vendors               auth ok ok   ok   deny deny deny deny
POST   /api/v1/vendors               auth ok deny ok   deny deny deny deny
GET    /api/v1/vendors/match         auth ok ok   ok   deny deny deny deny
GET    /api/v1/vendors/export        auth ok deny ok   deny deny deny deny
POST   /api/v1/vendors/import        auth ok deny ok   deny deny deny deny
GET    /api/v1/vendors/{id}          auth ok ok   ok   deny deny deny deny
PATCH  /api/v1/vendors/{id}          auth ok deny ok   deny deny deny deny
POST   /api/v1/vendors/{id}/contacts auth ok deny ok   deny deny deny deny
DELETE /api/v1/vendors/{id}/contacts/{item} auth ok deny ok deny deny deny deny
PUT    /api/v1/vendors/{id}/contacts/{item} auth ok deny ok deny deny deny deny
POST   /api/v1/vendors/{id}/products auth ok deny ok   deny deny deny deny
DELETE /api/v1/vendors/{id}/products/{item} auth ok deny ok deny deny deny deny
PUT    /api/v1/vendors/{id}/products/{item} auth ok deny ok deny deny deny deny
PUT    /api/v1/vendors/{id}/unreachable auth ok deny ok deny deny deny deny
GET    /api/v1/vendor/profile        auth ok deny ok   ok   deny deny deny
GET    /api/v1/unreachable           ok   ok ok   ok   ok   ok   ok   ok
GET    /api/v1/unreachable/history   auth ok ok   ok   deny deny deny deny
GET    /vendors                      auth ok ok   ok   deny deny deny deny
POST   /vendors                      auth ok deny ok   deny deny deny deny
GET    /vendors/export.csv           auth ok deny ok   deny deny deny deny
POST   /vendors/import               auth ok deny ok   deny deny deny deny
GET    /vendors/{id}                 auth ok ok   ok   deny deny deny deny
POST   /vendors/{id}                 auth ok deny ok   deny deny deny deny
POST   /vendors/{id}/contacts        auth ok deny ok   deny deny deny deny
POST   /vendors/{id}/products        auth ok deny ok   deny deny deny deny
GET    /vendor/profile               auth ok deny ok   ok   deny deny deny
GET    /unreachable                  ok   ok ok   ok   ok   ok   ok   ok
GET    /stats                        ok   ok ok   ok   ok   ok   ok   ok
GET    /stats.csv                    ok   ok ok   ok   ok   ok   ok   ok
GET    /api/v1/stats                 ok   ok ok   ok   ok   ok   ok   ok
GET    /api/v1/incidents/categories  ok   ok ok   ok   ok   ok   ok   ok
GET    /api/v1/incidents/figures     ok   ok ok   ok   ok   ok   ok   ok
POST   /api/v1/incidents/reports     ok   ok ok   ok   ok   ok   ok   ok
GET    /api/v1/incidents/reports     auth ok ok   ok   deny deny deny deny
GET    /api/v1/incidents/reports/{tracking} ok ok ok ok ok   ok   ok   ok
POST   /api/v1/incidents/reports/{tracking}/reveal auth ok deny ok deny deny deny deny
GET    /api/v1/incidents/reports/{tracking}/files/{sha256} auth ok ok ok deny deny deny deny
GET    /incident                     ok   ok ok   ok   ok   ok   ok   ok
POST   /incident                     ok   ok ok   ok   ok   ok   ok   ok
GET    /incident/figures             ok   ok ok   ok   ok   ok   ok   ok
GET    /incident/r/{tracking}        ok   ok ok   ok   ok   ok   ok   ok
GET    /incident/r/{tracking}/files/{sha256} ok ok ok ok ok   ok   ok   ok
GET    /incidents                    auth ok ok   ok   deny deny deny deny
GET    /incidents/reports/{tracking} auth ok ok   ok   deny deny deny deny
POST   /incidents/reports/{tracking}/reveal auth ok deny ok deny deny deny deny
GET    /incidents/reports/{tracking}/files/{sha256} auth ok ok ok deny deny deny deny
GET    /api/v1/incidents/reports/{tracking}/suggestions auth ok ok ok deny deny deny deny
POST   /api/v1/incidents             auth ok ok   ok   deny deny deny deny
GET    /api/v1/incidents/{ident}     auth ok ok   ok   deny deny deny deny
POST   /api/v1/incidents/{ident}     auth ok ok   ok   deny deny deny deny
GET    /api/v1/admin/sync            auth ok deny deny deny deny deny deny
GET    /admin/sync                   auth ok deny deny deny deny deny deny
M
ROLES="public admin receiver coordinator vendor operator reporter infrastructure"

# one user (and token) per role; vendor/operator/infrastructure belong to an organization
make_token "$ADMIN_EMAIL" "$ADMIN_PASSWORD"
ADMIN_TOKEN=$TOKEN
api GET /api/v1/me -H "Authorization: Bearer $ADMIN_TOKEN"
ADMIN_ID=$(json_int id)
for o in "Acme vendor" "Webshop operator" "Grid infrastructure"; do
	set -- $o
	api_json POST /api/v1/orgs "{\"name\":\"$1\",\"kind\":\"$2\"}" -H "Authorization: Bearer $ADMIN_TOKEN"
	assert_eq 201 "$STATUS" "create organization $1"
	eval "ORG_$2=$(json_int id)"
done
tok_admin=$ADMIN_TOKEN
tok_public=
for role in receiver coordinator vendor operator reporter infrastructure; do
	org=null
	eval "o=\${ORG_$role:-}"
	[ -n "$o" ] && org=$o
	api_json POST /api/v1/users "{\"email\":\"$role@example.org\",\"name\":\"$role user\",\"role\":\"$role\",\"org_id\":$org,\"password\":\"password-of-$role\"}" \
		-H "Authorization: Bearer $ADMIN_TOKEN"
	assert_eq 201 "$STATUS" "create the $role user"
	make_token "$role@example.org" "password-of-$role"
	[ -n "$TOKEN" ] || fail "no token for $role: $BODY"
	eval "tok_$role=\$TOKEN"
done

path_for() {
	case "$1" in
	/static/{file}) echo /static/style.css ;;
	/api/v1/users/{id}) echo "/api/v1/users/$ADMIN_ID" ;;
	*) echo "$1" | sed 's/{id}/999999/g' ;;
	esac
}

"$KEIKAI" routes >"$TMP/routes"
nroutes=0
while read -r method pattern perm summary; do
	nroutes=$((nroutes + 1))
	row=$(awk -v m="$method" -v p="$pattern" '$1==m && $2==p {print; exit}' "$TMP/matrix")
	if [ -z "$row" ]; then
		fail "route $method $pattern ($perm) has no row in this test's matrix: add one"
		continue
	fi
	set -- $row
	shift 2
	path=$(path_for "$pattern")
	for role in $ROLES; do
		want=$1
		shift
		eval "tok=\${tok_$role:-}"
		auth=
		[ -n "$tok" ] && auth="Authorization: Bearer $tok"
		case "$method:$path" in
		GET:* ) body= ;;
		*:/api/*) body=json ;;
		*) body=form ;;
		esac
		case "$body" in
		json) STATUS=$(curl -s -o "$BODYF" -D "$HDRS" -w '%{http_code}' -X "$method" ${auth:+-H "$auth"} \
			-H 'Content-Type: application/json' --data-binary '{}' "$BASE$path") ;;
		form) STATUS=$(curl -s -o "$BODYF" -D "$HDRS" -w '%{http_code}' -X "$method" ${auth:+-H "$auth"} \
			--data-binary '' "$BASE$path") ;;
		*) STATUS=$(curl -s -o "$BODYF" -D "$HDRS" -w '%{http_code}' -X "$method" ${auth:+-H "$auth"} "$BASE$path") ;;
		esac
		loc=$(header Location)
		got=ok
		case "$STATUS" in
		401) got=auth ;;
		403) got=deny ;;
		303) case "$loc" in /login*) got=auth ;; esac ;;
		000|5*) got="error $STATUS" ;;
		esac
		CHECKS=$((CHECKS + 1))
		if [ "$got" = "$want" ]; then :; else
			fail "$method $path as $role: expected $want, got $got (HTTP $STATUS $(head -c 200 "$BODYF"))"
		fi
	done
done <"$TMP/routes"
assert_eq "$(grep -c '^[A-Z]' "$TMP/matrix")" "$nroutes" "every route in the matrix is served (and vice versa)"
echo "# walked $nroutes routes x 8 roles"

# lists are filtered object by object
api GET /api/v1/users -H "Authorization: Bearer $tok_vendor"
assert_contains "$BODY" "vendor@example.org" "vendor sees themself"
assert_not_contains "$BODY" "$ADMIN_EMAIL" "vendor does not see other organizations' users"
api GET /api/v1/orgs -H "Authorization: Bearer $tok_vendor"
assert_contains "$BODY" '"name":"Acme"' "vendor sees their organization"
assert_not_contains "$BODY" "Webshop" "vendor does not see other organizations"
api GET /api/v1/users -H "Authorization: Bearer $tok_receiver"
assert_contains "$BODY" "$ADMIN_EMAIL" "receiver (staff) sees all users"
done_testing

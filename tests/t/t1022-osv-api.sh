#!/bin/sh
# t1022 — the OSV API: GET /v1/vulns/{id} gives back the Go vulndb's record as
# keikai imported it (same id, aliases, summary, details, affected packages
# and ranges, references, dates; schema-valid), POST /v1/query by package and
# version returns exactly the records whose ranges include the version (a
# python SEMVER oracle over the same file decides), POST /v1/querybatch the
# same ids per query, and errors are OSV's {"code","message"}.
. "$(dirname "$0")/lib.sh"
SHARED=${KEIKAI_SHARED:-$ROOT/../shared}
python3 -c 'import jsonschema' 2>/dev/null || { fail "python3 jsonschema is missing"; done_testing; }
keikai init >/dev/null 2>&1
xz -dc "$SHARED/data/osv-golang-vulndb/go_vulndb_osv.jsonl.xz" | head -n 600 >"$TMP/go.jsonl"
keikai import "$TMP/go.jsonl" >/dev/null 2>&1
start_server_only

# --- one record, as the file has it ---
cat >"$TMP/same.py" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
recs = {}
for line in open(sys.argv[2]):
    r = json.loads(line)
    recs[r["id"]] = r
v = jsonschema.Draft7Validator(schema) if "draft-07" in schema.get("$schema", "") else jsonschema.validators.validator_for(schema)(schema)
bad = diff = n = 0
for line in open(sys.argv[3]):
    mine = json.loads(line)
    n += 1
    for e in list(v.iter_errors(mine))[:1]:
        bad += 1
        print("INVALID %s: %s: %s" % (mine.get("id"), "/".join(map(str, e.absolute_path)), e.message[:160]))
    f = recs[mine["id"]]
    # a range of several introduced events is kept (and written) as one range per interval (docs/api.md)
    def intervals(r):
        out, cur = [], None
        for e in r["events"]:
            k, val = list(e.items())[0]
            if k == "introduced":
                if cur: out.append(cur)
                cur = [{"introduced": val}]
            elif k == "limit":
                continue
            elif cur is not None:
                cur.append({k: val}); out.append(cur); cur = None
        if cur: out.append(cur)
        return [json.dumps({"type": r["type"], "events": i}, sort_keys=True) for i in out]
    def pk(x):
        return sorted(json.dumps({"package": {"ecosystem": a["package"]["ecosystem"], "name": a["package"]["name"]},
                                  "ranges": sorted(i for r in a.get("ranges", []) if r["type"] != "GIT" for i in intervals(r)),
                                  "versions": a.get("versions", [])}, sort_keys=True) for a in x.get("affected", []))
    checks = [("aliases", sorted(mine.get("aliases", [])), sorted(f.get("aliases", []))),
              ("summary", mine.get("summary"), f.get("summary")),
              ("details", mine.get("details"), f.get("details")),
              ("published", mine.get("published"), f.get("published")),
              ("modified", mine.get("modified"), f.get("modified")),
              ("withdrawn", mine.get("withdrawn"), f.get("withdrawn")),
              ("affected", pk(mine), pk(f)),
              ("references", sorted((r["type"], r["url"]) for r in mine.get("references", [])),
                             sorted(set((r["type"], r["url"]) for r in f.get("references", []))))]
    for what, a, b in checks:
        if a != b:
            diff += 1
            print("DIFF %s %s:\n  keikai %r\n  file   %r" % (mine["id"], what, a, b))
print("%d %d %d" % (n, bad, diff))
PY
: >"$TMP/got.jsonl"
for id in $(jq -r .id "$TMP/go.jsonl" | awk 'NR % 12 == 1'); do
	api GET "/v1/vulns/$id"
	[ "$STATUS" = 200 ] || fail "GET /v1/vulns/$id: $STATUS $BODY"
	printf '%s\n' "$BODY" >>"$TMP/got.jsonl"
done
out=$(python3 "$TMP/same.py" "$SHARED/data/osv/validation/schema.json" "$TMP/go.jsonl" "$TMP/got.jsonl" 2>&1)
assert_eq "50 0 0" "$(printf '%s' "$out" | tail -n 1)" "50 records: schema-valid and equal to the file's ($(printf '%s' "$out" | head -n 4))"
api GET /v1/vulns/GO-2020-0001
assert_eq "200 GO-2020-0001" "$STATUS $(printf '%s' "$BODY" | jq -r .id)" "by its OSV id, under that id"
api GET /v1/vulns/CVE-2020-36567
assert_eq "200 CVE-2020-36567" "$STATUS $(printf '%s' "$BODY" | jq -r .id)" "by an alias: under the id asked for"
assert_contains "$(printf '%s' "$BODY" | jq -r '.aliases | join(" ")')" "GO-2020-0001" "by an alias: the OSV id among the aliases"
api GET /v1/vulns/GO-1999-9999
assert_eq "404 5" "$STATUS $(printf '%s' "$BODY" | jq -r .code)" "an unknown id: 404 {code: 5}"

# --- queries against a SEMVER oracle ---
cat >"$TMP/oracle.py" <<'PY'
import json, sys, re
def parse(v):
    v = v.split("+")[0]
    m = re.match(r"^v?(\d+)\.(\d+)\.(\d+)(?:-(.+))?$", v)
    if not m:
        raise ValueError(v)
    pre = m.group(4)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))), (pre.split(".") if pre else None)
def cmp(a, b):
    (na, pa), (nb, pb) = parse(a), parse(b)
    if na != nb: return -1 if na < nb else 1
    if pa is None or pb is None: return (pa is None) - (pb is None) and (1 if pa is None else -1)
    for x, y in zip(pa, pb):
        if x == y: continue
        xd, yd = x.isdigit(), y.isdigit()
        if xd and yd: return -1 if int(x) < int(y) else 1
        if xd != yd: return -1 if xd else 1
        return -1 if x < y else 1
    return (len(pa) > len(pb)) - (len(pa) < len(pb))
def affected(events, v):
    state = False
    evs = sorted(events, key=lambda e: (0, "") if list(e.values())[0] == "0" else (1, list(e.values())[0]))
    import functools
    def key(e):
        return list(e.values())[0]
    evs = sorted(events, key=functools.cmp_to_key(lambda x, y: -1 if key(x) == "0" else 1 if key(y) == "0" else cmp(key(x), key(y))))
    for e in evs:
        k, ev = list(e.items())[0]
        if k == "introduced" and (ev == "0" or cmp(v, ev) >= 0): state = True
        elif k == "fixed" and cmp(v, ev) >= 0: state = False
        elif k == "last_affected" and cmp(v, ev) > 0: state = False
    return state
recs = [json.loads(l) for l in open(sys.argv[1])]
for q in open(sys.argv[2]):
    name, ver = q.split()
    hits = set()
    for r in recs:
        for a in r.get("affected", []):
            if a["package"]["ecosystem"] != "Go" or a["package"]["name"] != name: continue
            if ver in a.get("versions", []): hits.add(r["id"])
            for rg in a.get("ranges", []):
                if rg["type"] == "SEMVER" and affected(rg["events"], ver): hits.add(r["id"])
    print(name, ver, " ".join(sorted(hits)))
PY
# questions: for a sample of packages, every event's version and a version below all
jq -r 'select(.affected) | .affected[] | select(.package.ecosystem == "Go") | .package.name as $n |
       (.ranges // [])[] | select(.type == "SEMVER") | .events[] | to_entries[] | select(.value != "0") | "\($n) \(.value)"' \
	"$TMP/go.jsonl" | awk 'NR % 7 == 1' | head -n 60 >"$TMP/q"
jq -r 'select(.affected) | .affected[0].package.name' "$TMP/go.jsonl" | awk 'NR % 40 == 1 { print $0 " 0.0.1" }' >>"$TMP/q"
python3 "$TMP/oracle.py" "$TMP/go.jsonl" "$TMP/q" >"$TMP/want"
nq=$(wc -l <"$TMP/q" | tr -d ' ')
ok=0 batch='{"queries":['
sep=
: >"$TMP/gotq"
while read -r name ver; do
	body=$(jq -nc --arg n "$name" --arg v "$ver" '{package: {ecosystem: "Go", name: $n}, version: $v}')
	api POST /v1/query -d "$body"
	ids=$(printf '%s' "$BODY" | jq -r '[(.vulns // [])[].id] | sort | join(" ")')
	printf '%s %s %s\n' "$name" "$ver" "$ids" | sed 's/ *$//' >>"$TMP/gotq"
	batch="$batch$sep$body"
	sep=,
done <"$TMP/q"
sed 's/ *$//' "$TMP/want" >"$TMP/want2"
if cmp -s "$TMP/want2" "$TMP/gotq"; then pass "$nq package+version queries: exactly the records whose SEMVER ranges hold the version"
else fail "package+version queries differ from the oracle:"; diff "$TMP/want2" "$TMP/gotq" | head -10; fi
api POST /v1/querybatch -d "$batch]}"
assert_eq 200 "$STATUS" "querybatch answers"
printf '%s' "$BODY" | jq -r '.results[] | [(.vulns // [])[].id] | sort | join(" ")' >"$TMP/batchids"
cut -d' ' -f3- "$TMP/gotq" | sed 's/^[^ ]*\.[^ ]* *$//' >/dev/null
awk '{ $1 = ""; $2 = ""; sub(/^  */, ""); print }' "$TMP/gotq" >"$TMP/queryids"
if cmp -s "$TMP/queryids" "$TMP/batchids"; then pass "querybatch: the same ids per query, in order"
else fail "querybatch differs from /v1/query:"; diff "$TMP/queryids" "$TMP/batchids" | head -6; fi
assert_eq "id modified" "$(printf '%s' "$BODY" | jq -r '[.results[] | (.vulns // [])[] | keys] | add | unique | join(" ")')" "querybatch: ids and modified only"
api POST /v1/query -d '{"package":{"purl":"pkg:golang/github.com/gin-gonic/gin"},"version":"1.5.0"}'
assert_contains "$(printf '%s' "$BODY" | jq -r '[.vulns[].id] | join(" ")')" "GO-2020-0001" "by purl and version (gin 1.5.0 < 1.6.0)"
api POST /v1/query -d '{"package":{"purl":"pkg:golang/github.com/gin-gonic/gin@1.6.0"}}'
assert_not_contains "$(printf '%s' "$BODY" | jq -r '[(.vulns // [])[].id] | join(" ")')" "GO-2020-0001" "purl with its version: 1.6.0 is fixed"
api POST /v1/query -d '{"package":{"ecosystem":"Go","name":"example.com/none"},"version":"1.0.0"}'
assert_eq "200 {}" "$STATUS $BODY" "nothing matches: {} as OSV answers"

# --- errors ---
osv_err() {
	api POST /v1/query -d "$1"
	assert_eq "400 3" "$STATUS $(printf '%s' "$BODY" | jq -r .code 2>/dev/null)" "$2: 400 {code: 3}"
}
osv_err '{"package":' "not JSON"
osv_err '{"package":{"name":"x","ecosystem":"Go"},"version":"1","commit":"abc"}' "version and commit"
osv_err '{"package":{"name":"x"},"version":"1"}' "a package without its ecosystem"
osv_err '{"version":"1.0.0"}' "a version without a package"
osv_err '{"package":{"purl":"pkg:golang/x@1.0.0"},"version":"1.0.0"}' "two versions"
osv_err '{"package":{"name":"x","ecosystem":"Go"},"versoin":"1"}' "an unknown member"
osv_err '{"package":{"name":"x","ecosystem":"Go"},"page_token":"nonsense"}' "a page token not given out"
api POST /v1/querybatch -d '{"queries":[{"package":{"name":"x","ecosystem":"Go"}},{"commit":1}]}'
assert_eq "400 3" "$STATUS $(printf '%s' "$BODY" | jq -r .code)" "querybatch: one bad query refuses the batch"
assert_contains "$BODY" "/queries/1" "querybatch: the message names the query"
done_testing

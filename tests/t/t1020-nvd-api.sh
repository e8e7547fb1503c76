#!/bin/sh
# t1020 — the NVD CVE API 2.0 (GET /rest/json/cves/2.0) answers as NVD does:
# the record of CVE-2021-44228 imported from NVD's own API answer
# (../shared/data/vuls-fixtures) comes back with the same descriptions,
# metrics, weaknesses, configurations and references, in NVD's shape (checked
# against the NVD 2.0 schema's rules); cpeName / virtualMatchString with
# version ranges, keywords, CWE, severity, KEV, date windows, noRejected and
# startIndex paging give what the records say (a python oracle over the same
# files decides).
. "$(dirname "$0")/lib.sh"
SHARED=${KEIKAI_SHARED:-$ROOT/../shared}
FX=$SHARED/data/vuls-fixtures/nvd/api/cve/testdata/fixtures
python3 -c 'import jsonschema' 2>/dev/null || { fail "python3 jsonschema is missing"; done_testing; }
keikai init >/dev/null 2>&1
mkdir "$TMP/in"
cp "$FX/ssvc_affected/0-1.json" "$TMP/in/log4shell.json"
cp "$FX/moddate/0-1.json" "$TMP/in/moddate.json"
# one record of the moddate answer rejected, as NVD marks them
jq '.vulnerabilities[0].cve.id = "CVE-2023-99999" | .vulnerabilities[0].cve.vulnStatus = "Rejected" |
    .vulnerabilities = [.vulnerabilities[0]]' "$FX/moddate/0-1.json" >"$TMP/in/rejected.json"
keikai import "$TMP/in" >/dev/null 2>&1
keikai import "$SHARED/data/cisa-kev/known_exploited_vulnerabilities.json" >/dev/null 2>&1
start_server_only
nvd() { api GET "/rest/json/cves/2.0?$1"; }

# --- one record: the same as NVD's ---
nvd "cveId=CVE-2021-44228"
assert_eq 200 "$STATUS" "cveId answers"
printf '%s' "$BODY" >"$TMP/one.json"
cat >"$TMP/same.py" <<'PY'
import json, sys
mine = json.load(open(sys.argv[1]))
nvd = json.load(open(sys.argv[2]))
kev = {v["cveID"]: v for v in json.load(open(sys.argv[3]))["vulnerabilities"]}
out = []
def check(what, a, b):
    out.append("%s %s" % ("ok" if a == b else "DIFF", what))
    if a != b:
        out.append("  keikai: %r\n  nvd:    %r" % (a, b) if len(repr(a)) < 3000 else "  (long)")
for k in ("resultsPerPage", "startIndex", "totalResults", "format", "version"):
    check(k, mine[k], {"resultsPerPage": 1, "startIndex": 0, "totalResults": 1, "format": "NVD_CVE", "version": "2.0"}[k])
m, n = mine["vulnerabilities"][0]["cve"], nvd["vulnerabilities"][0]["cve"]
check("id", m["id"], n["id"])
check("published (to the second)", m["published"][:19], n["published"][:19])
check("lastModified (to the second)", m["lastModified"][:19], n["lastModified"][:19])
check("descriptions", m["descriptions"], n["descriptions"])
def metrics(x):
    r = {}
    for key, arr in x.get("metrics", {}).items():
        if not key.startswith("cvssMetric"):
            continue
        r[key] = sorted(json.dumps({"source": e["source"], "type": e["type"], "cvssData": e["cvssData"],
                                    "baseSeverity": e.get("baseSeverity")}, sort_keys=True) for e in arr)
    return r
check("metrics (cvssMetricV2/V31: source, type, cvssData, v2 severity)", metrics(m), metrics(n))
cwes = lambda x: sorted({d["value"] for w in x.get("weaknesses", []) for d in w["description"] if d["value"].startswith("CWE-")})
check("weaknesses (CWE ids)", cwes(m), cwes(n))
def configs(x):
    r = []
    for c in x.get("configurations", []):
        nodes = []
        for nd in c["nodes"]:
            nodes.append((nd["operator"], nd.get("negate", False),
                          [(cm["vulnerable"], cm["criteria"], cm.get("versionStartIncluding"), cm.get("versionStartExcluding"),
                            cm.get("versionEndIncluding"), cm.get("versionEndExcluding")) for cm in nd["cpeMatch"]]))
        r.append((c.get("operator", "OR") if len(c["nodes"]) > 1 else "-", nodes))
    return r
check("configurations (operators, negate, criteria, bounds, in order)", configs(m), configs(n))
check("references (url, tags, in order)", [(r["url"], r.get("tags", [])) for r in m["references"]],
      [(r["url"], r.get("tags", [])) for r in n["references"]])
k = kev["CVE-2021-44228"]
check("cisaExploitAdd/ActionDue from CISA KEV", (m.get("cisaExploitAdd"), m.get("cisaActionDue")), (k["dateAdded"], k["dueDate"]))
ids = [cm["matchCriteriaId"] for c in m["configurations"] for nd in c["nodes"] for cm in nd["cpeMatch"]]
check("matchCriteriaId: a UUID each", all(len(i) == 36 and i.count("-") == 4 for i in ids), True)
print("\n".join(out))
PY
python3 "$TMP/same.py" "$TMP/one.json" "$FX/ssvc_affected/0-1.json" "$SHARED/data/cisa-kev/known_exploited_vulnerabilities.json" >"$TMP/same.out" 2>&1
while IFS= read -r line; do
	case $line in
	ok*) pass "CVE-2021-44228 as NVD has it: ${line#ok }" ;;
	DIFF*) fail "CVE-2021-44228 differs from NVD's record: ${line#DIFF }" ;;
	*) echo "$line" ;;
	esac
done <"$TMP/same.out"
grep -q '^ok' "$TMP/same.out" || fail "the comparison did not run: $(head -c 400 "$TMP/same.out")"

# --- the NVD 2.0 schema's rules (csrc.nist.gov/schema/nvd/api/2.0/cve_api_json_2.0.schema, v2.2) ---
cat >"$TMP/schema.py" <<'PY'
import json, sys, jsonschema
ls = {"type": "object", "properties": {"lang": {"type": "string"}, "value": {"type": "string", "maxLength": 4096}},
      "required": ["lang", "value"], "additionalProperties": False}
cvss = lambda req: {"type": "object", "required": req}
metric = lambda extra, req: {"type": "object", "properties": dict({"source": {"type": "string"}, "type": {"enum": ["Primary", "Secondary"]},
        "cvssData": cvss(req), "exploitabilityScore": {"type": "number"}, "impactScore": {"type": "number"}}, **extra),
        "required": ["source", "type", "cvssData"], "additionalProperties": False}
v2extra = {k: {"type": "boolean"} for k in ("acInsufInfo", "obtainAllPrivilege", "obtainUserPrivilege", "obtainOtherPrivilege", "userInteractionRequired")}
v2extra["baseSeverity"] = {"type": "string"}
cpe = {"type": "object", "properties": {"vulnerable": {"type": "boolean"}, "criteria": {"type": "string"},
       "matchCriteriaId": {"type": "string", "format": "uuid"}, "versionStartExcluding": {"type": "string"},
       "versionStartIncluding": {"type": "string"}, "versionEndExcluding": {"type": "string"}, "versionEndIncluding": {"type": "string"}},
       "required": ["vulnerable", "criteria", "matchCriteriaId"], "additionalProperties": False}
node = {"type": "object", "properties": {"operator": {"enum": ["AND", "OR"]}, "negate": {"type": "boolean"},
        "cpeMatch": {"type": "array", "items": cpe}}, "required": ["operator", "cpeMatch"], "additionalProperties": False}
cve = {"type": "object", "properties": {
    "id": {"type": "string", "pattern": "^CVE-[0-9]{4}-[0-9]{4,}$"}, "sourceIdentifier": {"type": "string"},
    "vulnStatus": {"type": "string"}, "published": {"type": "string"}, "lastModified": {"type": "string"},
    "evaluatorComment": {"type": "string"}, "evaluatorSolution": {"type": "string"}, "evaluatorImpact": {"type": "string"},
    "cisaExploitAdd": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    "cisaActionDue": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    "cisaRequiredAction": {"type": "string"}, "cisaVulnerabilityName": {"type": "string"}, "cveTags": {"type": "array"},
    "descriptions": {"type": "array", "minItems": 1, "items": ls},
    "references": {"type": "array", "items": {"type": "object", "properties": {"url": {"type": "string", "maxLength": 2048, "minLength": 1},
                   "source": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}}}, "required": ["url"], "additionalProperties": False}},
    "metrics": {"type": "object", "properties": {
        "cvssMetricV40": {"type": "array", "items": metric({}, ["version", "vectorString", "baseScore", "baseSeverity"])},
        "cvssMetricV31": {"type": "array", "items": metric({}, ["version", "vectorString", "baseScore", "baseSeverity"])},
        "cvssMetricV30": {"type": "array", "items": metric({}, ["version", "vectorString", "baseScore", "baseSeverity"])},
        "cvssMetricV2": {"type": "array", "items": metric(v2extra, ["version", "vectorString", "baseScore"])}},
        "additionalProperties": False},
    "weaknesses": {"type": "array", "items": {"type": "object", "properties": {"source": {"type": "string"}, "type": {"type": "string"},
                   "description": {"type": "array", "items": ls}}, "required": ["source", "type", "description"], "additionalProperties": False}},
    "configurations": {"type": "array", "items": {"type": "object", "properties": {"operator": {"enum": ["AND", "OR"]},
                       "negate": {"type": "boolean"}, "nodes": {"type": "array", "items": node}}, "required": ["nodes"], "additionalProperties": False}},
    "vendorComments": {"type": "array"}},
    "required": ["id", "published", "lastModified", "references", "descriptions"], "additionalProperties": False}
schema = {"type": "object", "properties": {"resultsPerPage": {"type": "integer"}, "startIndex": {"type": "integer"},
          "totalResults": {"type": "integer"}, "format": {"const": "NVD_CVE"}, "version": {"const": "2.0"},
          "timestamp": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}$"},
          "vulnerabilities": {"type": "array", "items": {"type": "object", "properties": {"cve": cve}, "required": ["cve"], "additionalProperties": False}}},
          "required": ["resultsPerPage", "startIndex", "totalResults", "format", "version", "timestamp", "vulnerabilities"],
          "additionalProperties": False}
d = json.load(open(sys.argv[1]))
errs = list(jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).iter_errors(d))
for e in errs[:3]:
    print("/".join(map(str, e.absolute_path)), e.message[:200])
print(len(errs))
PY
out=$(python3 "$TMP/schema.py" "$TMP/one.json")
assert_eq 0 "$(printf '%s' "$out" | tail -n 1)" "cveId answer follows the NVD 2.0 schema ($(printf '%s' "$out" | head -n 1))"

# --- every record, paged oldest first: startIndex / resultsPerPage ---
nvd "resultsPerPage=2000"
printf '%s' "$BODY" >"$TMP/all.json"
total=$(jq .totalResults "$TMP/all.json")
assert_eq 10 "$total" "all records: the 9 of the files and the rejected one"
out=$(python3 "$TMP/schema.py" "$TMP/all.json")
assert_eq 0 "$(printf '%s' "$out" | tail -n 1)" "every record follows the NVD 2.0 schema ($(printf '%s' "$out" | head -n 1))"
assert_eq "$(jq -r '[.vulnerabilities[].cve.published] | sort | join(" ")' "$TMP/all.json")" \
	"$(jq -r '[.vulnerabilities[].cve.published] | join(" ")' "$TMP/all.json")" "oldest published first, as NVD orders"
: >"$TMP/paged"
for s in 0 3 6 9; do
	nvd "resultsPerPage=3&startIndex=$s"
	assert_eq "$s" "$(printf '%s' "$BODY" | jq .startIndex)" "startIndex=$s echoed"
	printf '%s' "$BODY" | jq -r '.vulnerabilities[].cve.id' >>"$TMP/paged"
done
assert_eq "$(jq -r '.vulnerabilities[].cve.id' "$TMP/all.json" | tr '\n' ' ')" "$(tr '\n' ' ' <"$TMP/paged")" \
	"pages of 3 walk every record once, in order"
nvd "resultsPerPage=3&startIndex=9"
assert_eq "1 10" "$(printf '%s' "$BODY" | jq -r '"\(.resultsPerPage) \(.totalResults)"')" "last page: resultsPerPage counts what came"
nvd "resultsPerPage=0"
assert_eq "0 10 0" "$(printf '%s' "$BODY" | jq -r '"\(.resultsPerPage) \(.totalResults) \(.vulnerabilities | length)"')" "resultsPerPage=0: the count only"

# --- filters against an oracle over the imported files ---
cat >"$TMP/oracle.py" <<'PY'
import json, sys, re, datetime
recs = []
for f in sys.argv[2:]:
    recs += [v["cve"] for v in json.load(open(f))["vulnerabilities"]]
def ver(v):
    return [int(p) if p.isdigit() else p for p in re.split(r"[.\-]", v)]
def cmp(a, b):
    a, b = ver(a), ver(b)
    for x, y in zip(a, b):
        if x == y: continue
        if type(x) == type(y): return -1 if x < y else 1
        return -1 if isinstance(x, str) else 1
    return (len(a) > len(b)) - (len(a) < len(b))
def t(s):
    return datetime.datetime.fromisoformat(s[:19]).replace(tzinfo=datetime.timezone.utc).timestamp()
q = sys.argv[1]
hits = []
for c in recs:
    ok = False
    if q.startswith("cpe="):
        vendor, product, v = q[4:].split(":")
        for cf in c.get("configurations", []):
            for nd in cf["nodes"]:
                for cm in nd["cpeMatch"]:
                    p = cm["criteria"].split(":")
                    if not cm["vulnerable"] or p[3] != vendor or p[4] != product: continue
                    si, se = cm.get("versionStartIncluding"), cm.get("versionStartExcluding")
                    ei, ee = cm.get("versionEndIncluding"), cm.get("versionEndExcluding")
                    if p[5] not in ("*", "-") and not (si or se or ei or ee):
                        ok |= cmp(p[5], v) == 0
                    elif p[5] == "*":
                        ok |= (not si or cmp(v, si) >= 0) and (not se or cmp(v, se) > 0) and \
                              (not ei or cmp(v, ei) <= 0) and (not ee or cmp(v, ee) < 0)
    elif q.startswith("pub="):
        a, b = q[4:].split(",")
        ok = t(a) <= t(c["published"]) <= t(b)
    elif q.startswith("mod="):
        a, b = q[4:].split(",")
        ok = t(a) <= t(c["lastModified"]) <= t(b)
    elif q.startswith("cwe="):
        ok = any(d["value"] == q[4:] for w in c.get("weaknesses", []) for d in w["description"])
    elif q.startswith("v3sev="):
        ok = any(m["cvssData"]["baseSeverity"] == q[6:] for k in ("cvssMetricV30", "cvssMetricV31") for m in c.get("metrics", {}).get(k, []))
    elif q.startswith("word="):
        ok = any(q[5:].lower() in d["value"].lower() for d in c["descriptions"] if d["lang"] == "en")
    if ok:
        hits.append(c["id"])
print(" ".join(sorted(set(hits))))
PY
files="$FX/ssvc_affected/0-1.json $FX/moddate/0-1.json $TMP/in/rejected.json"
check() { # check PARAMS ORACLE-QUESTION WHAT
	nvd "$1"
	got=$(printf '%s' "$BODY" | jq -r '[.vulnerabilities[].cve.id] | sort | join(" ")' 2>/dev/null)
	# shellcheck disable=SC2086
	want=$(python3 "$TMP/oracle.py" "$2" $files)
	assert_eq "$want" "$got" "$3 (status $STATUS)"
}
check "cpeName=cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*" "cpe=apache:log4j:2.14.1" "cpeName inside a range (2.13.0 <= v < 2.15.0)"
check "cpeName=cpe:2.3:a:apache:log4j:2.15.0:*:*:*:*:*:*:*" "cpe=apache:log4j:2.15.0" "cpeName at an excluded end (2.15.0)"
check "cpeName=cpe:2.3:a:siemens:operation_scheduler:1.1.3:*:*:*:*:*:*:*" "cpe=siemens:operation_scheduler:1.1.3" "cpeName at an included end"
check "pubStartDate=2021-12-01T00:00:00.000&pubEndDate=2021-12-31T23:59:59.999" "pub=2021-12-01T00:00:00,2021-12-31T23:59:59" "pubStartDate/pubEndDate"
check "pubStartDate=2023-11-01T00:00:00.000Z&pubEndDate=2023-11-30T00:00:00.000Z" "pub=2023-11-01T00:00:00,2023-11-30T00:00:00" "pubStartDate/pubEndDate with Z"
check "lastModStartDate=2023-11-09T00:00:00.000%2B01:00&lastModEndDate=2023-12-01T00:00:00.000%2B01:00" "mod=2023-11-08T23:00:00,2023-11-30T23:00:00" "lastModStartDate/EndDate with an offset"
check "cweId=CWE-917" "cwe=CWE-917" "cweId"
check "cvssV3Severity=CRITICAL" "v3sev=CRITICAL" "cvssV3Severity=CRITICAL"
check "cvssV3Severity=MEDIUM" "v3sev=MEDIUM" "cvssV3Severity=MEDIUM"
check "keywordSearch=JNDI" "word=JNDI" "keywordSearch"
nvd "keywordSearch=log%20messages&keywordExactMatch"
assert_eq "CVE-2021-44228" "$(printf '%s' "$BODY" | jq -r '[.vulnerabilities[].cve.id] | join(" ")')" "keywordSearch + keywordExactMatch: the phrase"
nvd "keywordSearch=messages%20log&keywordExactMatch"
assert_eq "0" "$(printf '%s' "$BODY" | jq -r .totalResults)" "keywordExactMatch: the words in another order are not the phrase"
nvd "hasKev"
assert_contains "$(printf '%s' "$BODY" | jq -r '[.vulnerabilities[].cve.id] | join(" ")')" "CVE-2021-44228" "hasKev: Log4Shell is in CISA KEV"
assert_eq "$(jq -r '[.vulnerabilities[] | select(.cveID == "CVE-2023-36014" or .cveID == "CVE-2021-44228" or .cveID == "CVE-2023-36024" or .cveID == "CVE-2023-46729" or .cveID == "CVE-2023-6069" or .cveID == "CVE-2023-45167" or .cveID == "CVE-2023-39796" or .cveID == "CVE-2023-47246" or .cveID == "CVE-2023-47800") | .cveID] | sort | join(" ")' "$SHARED/data/cisa-kev/known_exploited_vulnerabilities.json")" \
	"$(printf '%s' "$BODY" | jq -r '[.vulnerabilities[].cve.id] | sort | join(" ")')" "hasKev: exactly the records KEV lists"
# virtualMatchString with version ranges: log4j's rows are 2.0.1-2.3.1, 2.4.0-2.12.2, 2.13.0-2.15.0 (excl.) and 2.0 betas/rcs
nvd "virtualMatchString=cpe:2.3:a:apache:log4j&versionStart=2.15.0&versionStartType=including"
assert_eq "0" "$(printf '%s' "$BODY" | jq -r .totalResults)" "virtualMatchString from 2.15.0: past every range"
nvd "virtualMatchString=cpe:2.3:a:apache:log4j&versionStart=2.14.0&versionStartType=including&versionEnd=2.14.9&versionEndType=excluding"
assert_eq "CVE-2021-44228" "$(printf '%s' "$BODY" | jq -r '[.vulnerabilities[].cve.id] | join(" ")')" "virtualMatchString 2.14.0..2.14.9 meets 2.13.0 <= v < 2.15.0"
nvd "virtualMatchString=cpe:2.3:a:apache:log4j&versionEnd=2.0&versionEndType=excluding"
assert_eq "0" "$(printf '%s' "$BODY" | jq -r .totalResults)" "virtualMatchString below 2.0: none"
nvd "virtualMatchString=cpe:2.3:a:apache:log4j&versionEnd=2.0&versionEndType=including"
assert_eq "CVE-2021-44228" "$(printf '%s' "$BODY" | jq -r '[.vulnerabilities[].cve.id] | join(" ")')" "virtualMatchString up to 2.0 included: the 2.0 rows"
nvd "virtualMatchString=cpe:2.3:a:siemens"
assert_eq "CVE-2021-44228" "$(printf '%s' "$BODY" | jq -r '[.vulnerabilities[].cve.id] | join(" ")')" "virtualMatchString naming a vendor only"
nvd "virtualMatchString=cpe:2.3:a:nobody:nothing"
assert_eq "200 0" "$STATUS $(printf '%s' "$BODY" | jq -r .totalResults)" "virtualMatchString of an unknown product: empty, not an error"
# rejected records: in by default (as at NVD), out with noRejected
nvd "cveId=CVE-2023-99999"
assert_eq "Rejected" "$(printf '%s' "$BODY" | jq -r '.vulnerabilities[0].cve.vulnStatus')" "a rejected record says so"
nvd "cveId=CVE-2023-99999&noRejected"
assert_eq "0" "$(printf '%s' "$BODY" | jq -r .totalResults)" "noRejected leaves it out"
nvd "noRejected"
assert_eq "9" "$(printf '%s' "$BODY" | jq -r .totalResults)" "noRejected: every other record"
nvd "cveId=CVE-1999-0001"
assert_eq "200 0 0" "$STATUS $(printf '%s' "$BODY" | jq -r '"\(.totalResults) \(.vulnerabilities | length)"')" "an unknown CVE: an empty answer"
done_testing

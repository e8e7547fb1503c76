#!/bin/sh
# t1307 — the CVE List V5 source against the fixture's cvelistV5 releases (cve5-vulnrichment
# records): the first run imports the latest release's midnight baseline (a zip holding
# cves.zip) and its delta; a run with no new release asks only /releases/latest (304); a new
# hour's release brings exactly the changed record through its delta; across midnight the
# day's end-of-day delta is read first; a cursor more than a day behind starts from the
# baseline again; REJECTED records count as withdrawn.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sync-lib.sh"
start_fixture
keikai init >/dev/null 2>&1
keikai sync --set cvelist --url "$FX" >/dev/null
clock() { curl -s -o /dev/null "$FX/_control/clock?cvelist=$1"; }
cursor() { sqlite3 "$DB" "SELECT cursor FROM sync_source WHERE name = 'cvelist'"; }
n_cve5() { sqlite3 "$DB" "SELECT count(*) FROM vuln_source WHERE source = 'cve5'"; }
clock 2024-07-15T12:00:00Z
# what the fixture's release holds, counted apart: before midnight, midnight to noon, REJECTED among them
set -- $(python3 -c "
import lzma, json
b = d = r = late = 0
for l in lzma.open('$SHARED/data/cve5-vulnrichment/vulnrichment_cve5_records.jsonl.xz', 'rt'):
    m = json.loads(l)['cveMetadata']
    t = m.get('dateUpdated') or m.get('datePublished')
    b += t < '2024-07-15'
    d += '2024-07-15' <= t < '2024-07-15T12'
    r += m['state'] == 'REJECTED' and t < '2024-07-15T12'
    late += t < '2024-07-19T03'
print(b, d, r, late)")
want=$1 wantdelta=$2 rejected=$3 late=$4
keikai sync cvelist >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 0 "$rc" "the first run: exit 0 ($(head -3 "$TMP/e"))"
assert_eq "$((want + wantdelta))" "$(n_cve5)" "the baseline's $want records and the delta's $wantdelta are in"
assert_eq "/releases/latest
/releases/download/cve_2024-07-15_1200Z/2024-07-15_all_CVEs_at_midnight.zip.zip
/releases/download/cve_2024-07-15_1200Z/2024-07-15_delta_CVEs_at_1200Z.zip" "$(fx_log | jq -r '.[].path')" "the latest release, its baseline and its delta"
assert_eq '{"day":"2024-07-15","at":"1200Z"}' "$(cursor)" "the cursor is the release"
assert_contains "$(cat "$TMP/o")" "$rejected withdrawn" "REJECTED records are counted as withdrawn ($rejected)"

before=$(fx_log | jq length)
keikai sync cvelist >"$TMP/o" 2>&1
assert_eq "304 /releases/latest" "$(fx_log | jq -r ".[$before:][] | \"\(.status) \(.path)\"")" "no new release: /releases/latest answers 304, nothing else"

cve=$(sqlite3 "$DB" "SELECT source_id FROM vuln_source WHERE source = 'cve5' ORDER BY source_id LIMIT 1 OFFSET 100")
fx_touch cvelist "$cve" 2024-07-15T12:30:00Z
clock 2024-07-15T13:00:00Z
before=$(fx_log | jq length)
keikai sync cvelist >"$TMP/o" 2>&1
assert_eq "/releases/latest /releases/download/cve_2024-07-15_1300Z/2024-07-15_delta_CVEs_at_1300Z.zip" \
	"$(fx_log | jq -r ".[$before:][].path" | tr '\n' ' ' | sed 's/ $//')" "a new hour: the latest delta only"
assert_contains "$(cat "$TMP/o")" "1 updated" "the changed record is updated"
assert_eq 1 "$(sqlite3 "$DB" "SELECT count(*) FROM vuln_text t JOIN vuln_source s ON s.id = t.src WHERE s.source_id = '$cve' AND t.text LIKE 'changed at 2024-07-15T12:30%'")" "... with its new title"

cve2=$(sqlite3 "$DB" "SELECT source_id FROM vuln_source WHERE source = 'cve5' ORDER BY source_id LIMIT 1 OFFSET 200")
fx_touch cvelist "$cve2" 2024-07-15T23:30:00Z
clock 2024-07-16T01:00:00Z
before=$(fx_log | jq length)
keikai sync cvelist >"$TMP/o" 2>&1
assert_eq "/releases/latest /releases/tags/cve_2024-07-15_at_end_of_day /releases/download/cve_2024-07-15_at_end_of_day/2024-07-15_delta_CVEs_at_end_of_day.zip /releases/download/cve_2024-07-16_0100Z/2024-07-16_delta_CVEs_at_0100Z.zip" \
	"$(fx_log | jq -r ".[$before:][].path" | tr '\n' ' ' | sed 's/ $//')" "across midnight: yesterday's end-of-day delta, then today's"
assert_eq 1 "$(sqlite3 "$DB" "SELECT count(*) FROM vuln_text t JOIN vuln_source s ON s.id = t.src WHERE s.source_id = '$cve2' AND t.text LIKE 'changed at 2024-07-15T23:30%'")" "the record changed before midnight is in"
assert_eq '{"day":"2024-07-16","at":"0100Z"}' "$(cursor)" "the cursor is today's release"

clock 2024-07-19T03:00:00Z
before=$(fx_log | jq length)
keikai sync cvelist >"$TMP/o" 2>&1
assert_contains "$(fx_log | jq -r ".[$before:][].path")" "2024-07-19_all_CVEs_at_midnight.zip.zip" "days behind: the baseline again"
assert_contains "$(cat "$TMP/o")" " 0 updated" "... nothing imported before changes"
assert_eq "$late" "$(n_cve5)" "... and every record up to the release is in ($late)"

# the GitHub token, when set, goes as a bearer token (the fixture logs no Authorization; the run works)
keikai sync --status --json | jq -e '.[] | select(.name == "cvelist") | .last_success_at != null' >/dev/null &&
	pass "--status shows cvelist" || fail "--status has no cvelist"
done_testing

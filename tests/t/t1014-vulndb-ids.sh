#!/bin/sh
# Identifiers that never collide (issue 14, vulndb/ids.h). NVD, CVE 5 and OSV
# records imported first get ids minted with the operator's prefix (KKDB by
# default, `init --id-prefix` chooses), never JVNDB ids; the real JVN iPedia
# records imported after them (the files scripts/demo imports) each keep
# their JVNDB id, and it opens that record — its title and CVEs — through the
# API, the page, MyJVN getVulnDetailInfo, search and export. A record a JVN
# record joins takes the JVN id; its minted id still finds it (API, MyJVN,
# search) and its page redirects. With --id-prefix JVNDB the minted ids do
# fall in JVN's space: the import wins and the record holding the id is
# renumbered.
. "$(dirname "$0")/lib.sh"
sql() { sqlite3 "$DB" "$1"; }
xp() { xmllint --xpath "$1" "$2" 2>/dev/null; }
D=$KEIKAI_SHARED/data
H=$D/jvn-myjvn-api/examples/hnd
JVN="$H/getVulnDetailInfo_hnd_JVNDB-2017-009608.xml $H/getVulnDetailInfo_hnd_JVNDB-2018-009328.xml
$H/getVulnDetailInfo_hnd_JVNDB-2021-002774.xml $H/getVulnDetailInfo_hnd_JVNDB-2022-000097.xml
$H/dataFeed_jvndb_detail_hnd.xml"
IDS="JVNDB-2017-009608 JVNDB-2018-009328 JVNDB-2021-002774 JVNDB-2022-000097 JVNDB-2025-000001 JVNDB-2025-000002 JVNDB-2025-000003"
FEED=$H/dataFeed_jvndb_detail_hnd.xml
# title ID — the record's title as JVN gives it; cves ID — its CVE ids, sorted, one line
title() { xp "normalize-space(//*[local-name()='Vulinfo'][*[local-name()='VulinfoID']='$1']/*[local-name()='VulinfoData']/*[local-name()='Title'])" "$FEED"; }
cves() { xp "//*[local-name()='Vulinfo'][*[local-name()='VulinfoID']='$1']//*[local-name()='VulinfoID' or local-name()='Related']" "$FEED" |
	grep -o 'CVE-[0-9]*-[0-9]*' | sort -u | tr '\n' ' '; }

# --- a prefix is checked before anything is made ---
keikai init --id-prefix kkdb >"$TMP/o" 2>"$TMP/e"; rc=$?
assert_eq 2 "$rc" "a lower-case prefix is a usage error"
assert_contains "$(cat "$TMP/e")" "give --id-prefix KKDB" "the error names the flag and the fix"
assert_eq 0 "$([ -e "$DB" ] && echo 1 || echo 0)" "no database was made"
keikai init --id-prefix CVE >"$TMP/o" 2>"$TMP/e"
assert_contains "$(cat "$TMP/e")" "--id-prefix CVE: CVE- ids are numbered by another authority" "CVE is refused"
keikai init --id-prefix 'K-DB' >"$TMP/o" 2>"$TMP/e"
assert_contains "$(cat "$TMP/e")" "give 2 to 10 capital letters or digits" "a malformed prefix is refused"

start_server
assert_contains "$(cat "$TMP/init.out")" "new vulnerability ids: KKDB-YYYY-NNNNNN" "a new database mints KKDB ids"
assert_eq KKDB "$(sql "SELECT value FROM meta WHERE key = 'vuln.id_prefix'")" "the prefix is kept in the database"

# --- NVD and OSV records first: 210 of the Go vulndb (154 numbered in 2022, 7 in 2025; before
#     issue 14 they took JVNDB-2022-000097 and JVNDB-2025-000001..3) and NVD's CVE-2025-0354
#     and CVE-2025-0356, which the NEC Aterm JVN record names ---
zcat "$D/nvd-json-1.1-feeds/nvdcve-1.1-modified.json.gz" | jq -c '{CVE_data_type, CVE_data_format, CVE_data_version,
	CVE_data_timestamp, CVE_Items: [.CVE_Items[] | select(.cve.CVE_data_meta.ID | test("^CVE-2025-035[46]$"))]}' >"$TMP/nvd.json"
{ xz -dc "$D/osv-golang-vulndb/go_vulndb_osv.jsonl.xz" | grep -m 200 '"id":"GO-2022-'
  xz -dc "$D/osv-golang-vulndb/go_vulndb_osv.jsonl.xz" | grep -m 10 '"id":"GO-2025-'; } >"$TMP/go.jsonl"
keikai import "$TMP/nvd.json" "$TMP/go.jsonl" >"$TMP/imp1" 2>&1
assert_contains "$(cat "$TMP/imp1")" " 0 skipped;" "the NVD and OSV records import"
assert_eq 0 "$(sql "SELECT count(*) FROM vuln WHERE jvndb NOT GLOB 'KKDB-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]'")" "every minted id is KKDB-YYYY-NNNNNN"
assert_eq 1 "$([ "$(sql "SELECT count(*) FROM vuln WHERE jvndb GLOB 'KKDB-2022-*'")" -ge 97 ] && echo 1)" "more than 96 ids minted in 2022 (JVNDB-2022-000097 would have been one)"
api GET /api/v1/vulns/CVE-2025-0354
old0354=$(printf '%s' "$BODY" | jq -r .id)
api GET /api/v1/vulns/CVE-2025-0356
old0356=$(printf '%s' "$BODY" | jq -r .id)
assert_contains "$old0354" "KKDB-2025-" "CVE-2025-0354 has a minted id ($old0354)"

# --- then the real JVN iPedia records, as scripts/demo imports them ---
# shellcheck disable=SC2086
keikai import $JVN >"$TMP/imp2" 2>&1
assert_contains "$(cat "$TMP/imp2")" " 0 skipped;" "the JVN records import"
for id in $IDS; do
	t=$(title "$id")
	c=$(cves "$id")
	api GET "/api/v1/vulns/$id"
	assert_eq "200|$id" "$STATUS|$(printf '%s' "$BODY" | jq -r .id)" "API $id opens the record with that id"
	assert_eq "1" "$(printf '%s' "$BODY" | jq --arg t "$t" '[.texts.ja.title[] | select(. == $t)] | length')" "API $id has its JVN title $t"
	assert_eq "1" "$(printf '%s' "$BODY" | jq --arg id "$id" '[.sources[] | select(.source == "jvn" and .id == $id)] | length')" "API $id holds the JVN record"
	for cve in $c; do
		assert_contains "$(printf '%s' "$BODY" | jq -r '.aliases | join(" ")')" "$cve" "API $id names $cve"
	done
	api GET "/vulns/$id?lang=ja"
	assert_eq 200 "$STATUS" "page $id answers 200"
	assert_contains "$BODY" "<h1>$id</h1>" "page $id is the record $id"
	assert_contains "$BODY" "$t" "page $id shows its title"
	api GET "/myjvn?method=getVulnDetailInfo&feed=hnd&vulnId=$id"
	printf '%s' "$BODY" >"$TMP/a.xml"
	assert_eq "$id|$t" "$(xp "normalize-space(//*[local-name()='Vulinfo']/*[local-name()='VulinfoID'])" "$TMP/a.xml")|$(xp "normalize-space(//*[local-name()='Vulinfo']/*[local-name()='VulinfoData']/*[local-name()='Title'])" "$TMP/a.xml")" \
		"MyJVN getVulnDetailInfo $id gives that record"
	keikai search --json "$id" >"$TMP/s" 2>&1
	assert_eq "$id" "$(jq -r '[.items[].id] | join(" ")' "$TMP/s")" "keikai search $id finds that record only"
done
assert_eq 0 "$(sql "SELECT count(*) FROM vuln_source s JOIN vuln v ON v.id = s.vuln_id WHERE s.source = 'jvn' AND v.jvndb <> s.source_id")" "every JVN record is known by its own id"
assert_eq 0 "$(sql "SELECT count(*) FROM vuln WHERE jvndb NOT GLOB 'KKDB-*' AND jvndb NOT IN (SELECT source_id FROM vuln_source WHERE source = 'jvn')")" "no other record has a JVNDB id"

# --- the record NEC Aterm's JVN record joined took its id; its minted id still finds it ---
api GET "/api/v1/vulns/$old0354"
assert_eq "200|JVNDB-2025-000002" "$STATUS|$(printf '%s' "$BODY" | jq -r .id)" "API $old0354 resolves to the record under JVNDB-2025-000002"
assert_eq "$(printf '%s\n' "$old0354" "$old0356" | sort | tr '\n' ' ')" "$(printf '%s' "$BODY" | jq -r '.former_ids | sort | join(" ")') " "its former ids are listed"
assert_eq "/api/v1/vulns/JVNDB-2025-000002" "$(header Content-Location)" "the answer says where the record lives now"
assert_contains "$(printf '%s' "$BODY" | jq -r '.history[].what')" "renumbered: now JVNDB-2025-000002" "its history says so"
api GET "/vulns/$old0354?lang=en"
assert_eq "301|/vulns/JVNDB-2025-000002?lang=en" "$STATUS|$(header Location)" "page $old0354 redirects to the record's page"
api GET "/vulns/$(printf '%s' "$old0354" | tr 'A-Z' 'a-z')"
assert_eq "301|/vulns/JVNDB-2025-000002" "$STATUS|$(header Location)" "in lower case too"
api GET "/vulns/JVNDB-2025-000002?lang=en"
assert_contains "$BODY" "$old0354" "the page names its former id"
api GET "/myjvn?method=getVulnDetailInfo&feed=hnd&vulnId=$old0354"
printf '%s' "$BODY" >"$TMP/a.xml"
assert_eq "JVNDB-2025-000002" "$(xp "normalize-space(//*[local-name()='Vulinfo']/*[local-name()='VulinfoID'])" "$TMP/a.xml")" "MyJVN by $old0354 finds the record"
keikai search --json "$old0354" >"$TMP/s" 2>&1
assert_eq "JVNDB-2025-000002" "$(jq -r '[.items[].id] | join(" ")' "$TMP/s")" "keikai search $old0354 finds it"
api GET "/api/v1/vulns?q=$old0354"
assert_eq "JVNDB-2025-000002" "$(printf '%s' "$BODY" | jq -r '[.items[].id] | join(" ")')" "the search API by $old0354 finds it"
keikai export --format jsonl JVNDB-2025-000002 >"$TMP/x" 2>"$TMP/xe"
assert_eq "JVNDB-2025-000002|$(printf '%s\n' "$old0354" "$old0356" | sort | tr '\n' ' ')" "$(jq -r '[.id, (.former_ids | sort | join(" "))] | join("|")' "$TMP/x") " "export writes it under its id, with the former ones"

# --- JVNDB-2025-000002 names three CVEs: NVD's CVE-2025-0356, a record of its own until then, joined it ---
api GET /api/v1/vulns/CVE-2025-0356
assert_eq "200|JVNDB-2025-000002" "$STATUS|$(printf '%s' "$BODY" | jq -r .id)" "CVE-2025-0356 opens the JVN record that names it"
assert_eq "1|1" "$(printf '%s' "$BODY" | jq -r '[([.sources[] | select(.source == "nvd" and .id == "CVE-2025-0356")] | length), ([.sources[] | select(.source == "nvd" and .id == "CVE-2025-0354")] | length)] | map(tostring) | join("|")')" "both NVD records are sources of that one record"
assert_contains "$(printf '%s' "$BODY" | jq -r '.history[].what')" "merged: $old0356 joined JVNDB-2025-000002" "its history says which record joined"
api GET "/api/v1/vulns/$old0356"
assert_eq "200|JVNDB-2025-000002" "$STATUS|$(printf '%s' "$BODY" | jq -r .id)" "the merged record's id $old0356 still finds it"
api GET "/vulns/$old0356?lang=ja"
assert_eq "301|/vulns/JVNDB-2025-000002?lang=ja" "$STATUS|$(header Location)" "page $old0356 redirects"
keikai search --json CVE-2025-0356 >"$TMP/s" 2>&1
assert_eq "JVNDB-2025-000002" "$(jq -r '[.items[].id] | join(" ")' "$TMP/s")" "search CVE-2025-0356 finds the one record"
keikai search --json "$old0356" >"$TMP/s" 2>&1
assert_eq "JVNDB-2025-000002" "$(jq -r '[.items[].id] | join(" ")' "$TMP/s")" "search $old0356 finds it"
assert_eq "0|0|0" "$(sql "SELECT (SELECT count(*) FROM vuln WHERE jvndb = '$old0356') || '|' || (SELECT count(*) FROM vuln_fts WHERE rowid NOT IN (SELECT id FROM vuln)) || '|' || (SELECT count(DISTINCT vuln_id) - 1 FROM vuln_alias WHERE alias IN ('CVE-2025-0354', 'CVE-2025-0356', 'JVNDB-2025-000002'))")" "no record is left behind, nor its search row"

# --- a second run changes nothing; new records go on minting KKDB ids past every one held ---
keikai import $JVN >"$TMP/imp3" 2>&1
assert_contains "$(cat "$TMP/imp3")" ": 0 added, 0 merged into existing records, 0 updated," "the JVN records again: nothing changes"
n_former=$(sql "SELECT count(*) FROM vuln_former")
go_src=$(sql "SELECT source_id FROM vuln_source WHERE source_id GLOB 'GO-2022-*' ORDER BY source_id LIMIT 1")
go_id=$(sql "SELECT v.jvndb FROM vuln v JOIN vuln_source s ON s.vuln_id = v.id WHERE s.source_id = '$go_src'")

# --- --id-prefix on the existing database: new records get it, old ones keep theirs ---
keikai init --id-prefix ACME >"$TMP/o" 2>&1
assert_contains "$(cat "$TMP/o")" "new vulnerability ids: ACME-YYYY-NNNNNN (was KKDB-)" "init --id-prefix ACME changes the prefix"
xz -dc "$D/osv-rustsec/rustsec_osv.jsonl.xz" | head -n 40 >"$TMP/rs.jsonl"
keikai import "$TMP/rs.jsonl" >"$TMP/imp4" 2>&1
added=$(sed -n 's/.*(.*): \([0-9]*\) added.*/\1/p' "$TMP/imp4")
assert_eq 1 "$([ "$added" -gt 0 ] && echo 1)" "RustSec records added ($added)"
assert_eq "$added" "$(sql "SELECT count(*) FROM vuln WHERE jvndb GLOB 'ACME-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]'")" "they get ACME ids"
assert_eq "$go_id" "$(sql "SELECT v.jvndb FROM vuln v JOIN vuln_source s ON s.vuln_id = v.id WHERE s.source_id = '$go_src'")" "ids given before stay"
assert_eq "$n_former" "$(sql "SELECT count(*) FROM vuln_former")" "nothing was renumbered"
stop_server

# --- an operator minting in JVN's space (--id-prefix JVNDB): the import wins the id ---
DB=$TMP/jvndb.db
keikai init --id-prefix JVNDB >"$TMP/o" 2>&1
assert_contains "$(cat "$TMP/o")" "new vulnerability ids: JVNDB-YYYY-NNNNNN (was KKDB-)" "init --id-prefix JVNDB"
keikai import "$TMP/go.jsonl" >"$TMP/imp5" 2>&1
holder=$(sql "SELECT s.source_id FROM vuln v JOIN vuln_source s ON s.vuln_id = v.id WHERE v.jvndb = 'JVNDB-2022-000097'")
assert_contains "$holder" "GO-" "a Go record was given JVNDB-2022-000097 ($holder)"
keikai import $JVN >"$TMP/imp6" 2>&1
start_server_only
for id in $IDS; do
	api GET "/api/v1/vulns/$id"
	assert_eq "$id|1" "$(printf '%s' "$BODY" | jq -r .id)|$(printf '%s' "$BODY" | jq --arg id "$id" '[.sources[] | select(.source == "jvn" and .id == $id)] | length')" "JVNDB prefix: $id opens the JVN record"
done
api GET "/api/v1/vulns/$holder"
now=$(printf '%s' "$BODY" | jq -r .id)
assert_eq 1 "$(case "$now" in JVNDB-2022-0*) [ "$now" != JVNDB-2022-000097 ] && echo 1 ;; esac)" "$holder was renumbered ($now)"
assert_contains "$(printf '%s' "$BODY" | jq -r '.history[].what')" "renumbered: JVNDB-2022-000097 is the id of an imported record; this record is now $now" "its history says why"
assert_eq "0" "$(sql "SELECT count(*) FROM vuln WHERE jvndb IN (SELECT alias FROM vuln_alias a WHERE a.vuln_id <> vuln.id) OR jvndb IN (SELECT former FROM vuln_former)")" "no id is held twice"

# --- the other order, and both in one import: one record for the three CVEs either way ---
for order in jvn-first one-import; do
	DB=$TMP/$order.db
	keikai init >"$TMP/o" 2>&1
	if [ "$order" = jvn-first ]; then
		# shellcheck disable=SC2086
		keikai import $JVN >"$TMP/o" 2>&1
		keikai import "$TMP/nvd.json" >"$TMP/o2" 2>&1
		assert_contains "$(cat "$TMP/o2")" ": 0 added, 2 merged into existing records" "$order: the NVD records join the JVN record"
	else
		# shellcheck disable=SC2086
		keikai import "$TMP/nvd.json" $JVN >"$TMP/o2" 2>&1
	fi
	assert_eq "JVNDB-2025-000002" "$(sql "SELECT group_concat(DISTINCT v.jvndb) FROM vuln_alias a JOIN vuln v ON v.id = a.vuln_id WHERE a.alias IN ('CVE-2025-0354', 'CVE-2025-0356', 'JVNDB-2025-000002')")" "$order: the three ids name one record"
	assert_eq "3" "$(sql "SELECT count(*) FROM vuln_source s JOIN vuln v ON v.id = s.vuln_id WHERE v.jvndb = 'JVNDB-2025-000002'")" "$order: it holds the JVN and both NVD records"
	keikai search --json CVE-2025-0356 >"$TMP/s" 2>&1
	assert_eq "JVNDB-2025-000002" "$(jq -r '[.items[].id] | join(" ")' "$TMP/s")" "$order: search CVE-2025-0356 finds it"
	assert_eq "0" "$(sql "SELECT count(*) FROM vuln_fts WHERE rowid NOT IN (SELECT id FROM vuln)")" "$order: no search row of a record that is gone"
done
done_testing

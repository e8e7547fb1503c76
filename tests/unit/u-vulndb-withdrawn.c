/*
 * u-vulndb-withdrawn.c — rejected and withdrawn records (issue 14): the
 * rejection text rule (a table), what each source's parser says (real
 * records of ../shared/data, copied to tests/data/withdrawn), the verdict
 * of a record of several sources (the view vuln_verdict, schema 0025), the
 * search leaving them out unless asked, and migration 0025 repairing a
 * database written before it.
 */
#include "base/alloc.h"
#include "base/clock.h"
#include "store/db.h"
#include "store/migrate.h"
#include "testutil.h"
#include "tsv.h"
#include "vulndb/import.h"
#include "vulndb/parse.h"
#include "vulndb/record.h"
#include "vulndb/search.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA "tests/data/withdrawn/"

/* ---- the rejection text rule ---- */

static int text_row(int line, char **f, int nf, void *arg)
{
	(void)arg;
	const char *reason = "(unset)";
	bool want = f[0][0] == '1', got = kk_vuln_rejected_text(nf > 1 ? f[1] : "", &reason);
	if (want != got) {
		printf("rejected-text-%d: expected %d got %d for \"%.60s\"\n", line, want, got, f[1]);
		return 1;
	}
	const char *want_reason = nf > 2 && f[2] ? f[2] : "";
	if (want && strcmp(reason, want_reason)) {
		printf("rejected-text-%d: expected reason \"%.60s\" got \"%.60s\"\n", line, want_reason, reason);
		return 1;
	}
	return 0;
}

static void test_rejected_text(void **state)
{
	(void)state;
	int failed = 0;
	int rows = tu_tsv_each(DATA "rejected-text.tsv", 3, text_row, NULL, &failed);
	assert_true(rows >= 20);
	assert_int_equal(failed, 0);
	assert_false(kk_vuln_rejected_text(NULL, NULL));
}

/* ---- each source's parser ---- */

static struct kk_db *fresh_db(const char *name)
{
	char path[300];
	struct kk_db *db;
	struct kk_diag d;
	snprintf(path, sizeof path, "%s/%s", tu_tmpdir(), name);
	remove(path);
	assert_int_equal(kk_db_open(path, KK_DB_CREATE, &db), 0);
	kk_diag_clear(&d);
	if (kk_migrate_run(db, path, NULL, NULL, NULL, &d) < 0)
		fail_msg("migrate: %s", d.msg);
	return db;
}

static int64_t num(struct kk_db *db, const char *sql, const char *arg)
{
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, sql, &st), 0);
	if (arg)
		kk_stmt_bind_text(st, 1, arg, -1);
	int rc = kk_stmt_step(st);
	int64_t n = rc == KK_ROW ? kk_stmt_int64(st, 0) : -1;
	kk_stmt_done(st);
	return n;
}

static char *text(struct kk_db *db, const char *sql, const char *arg)
{
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, sql, &st), 0);
	if (arg)
		kk_stmt_bind_text(st, 1, arg, -1);
	int rc = kk_stmt_step(st);
	char *s = kk_strdup(rc == KK_ROW && !kk_stmt_is_null(st, 0) ? kk_stmt_text(st, 0) : "(null)");
	kk_stmt_done(st);
	return s;
}

static void import_path(struct kk_db *db, const char *path)
{
	struct kk_import_opts o = {0};
	struct kk_import imp;
	kk_import_init(&imp, db, &o);
	assert_int_equal(kk_import_path(&imp, path), 0);
	assert_int_equal(kk_import_finish(&imp), 0);
	assert_int_equal(imp.skipped, 0);
	kk_import_release(&imp);
}

static int64_t at(const char *iso)
{
	int64_t t = 0;
	assert_int_equal(kk_time_parse(iso, &t), 0);
	return t;
}

/* The record an alias names: its status, date and reason. */
#define STATUS(db, alias)                                                                                      \
	text(db, "SELECT v.status FROM vuln v JOIN vuln_alias a ON a.vuln_id = v.id WHERE a.alias = ?", alias)
#define WHEN(db, alias)                                                                                        \
	num(db, "SELECT v.withdrawn_at FROM vuln v JOIN vuln_alias a ON a.vuln_id = v.id WHERE a.alias = ?", alias)
#define WHY(db, alias)                                                                                         \
	text(db, "SELECT v.withdrawn_reason FROM vuln v JOIN vuln_alias a ON a.vuln_id = v.id WHERE a.alias = ?", \
	     alias)

static void expect_status(struct kk_db *db, const char *alias, const char *status, int64_t when,
                          const char *why_prefix)
{
	char *s = STATUS(db, alias), *w = WHY(db, alias);
	if (strcmp(s, status))
		fail_msg("%s: status %s, expected %s", alias, s, status);
	assert_int_equal(WHEN(db, alias), when);
	if (why_prefix ? strncmp(w, why_prefix, strlen(why_prefix)) : strcmp(w, "(null)"))
		fail_msg("%s: reason \"%.80s\", expected \"%s\"", alias, w, why_prefix ? why_prefix : "(null)");
	/* vuln.withdrawn is the status, for the queries that read it */
	assert_int_equal(num(db, "SELECT v.withdrawn FROM vuln v JOIN vuln_alias a ON a.vuln_id = v.id WHERE a.alias = ?",
	                     alias),
	                 strcmp(status, "published") != 0);
	kk_free(s);
	kk_free(w);
}

static void test_sources(void **state)
{
	(void)state;
	kk_clock_pin(1767225600);
	struct kk_db *db = fresh_db("w-sources.db");
	import_path(db, DATA "nvd11-rejected.json");
	import_path(db, DATA "cve5-rejected.json");
	import_path(db, DATA "osv-withdrawn.jsonl");
	/* NVD 1.1: the three forms of a rejection; DISPUTED and UNSUPPORTED WHEN ASSIGNED are no rejections */
	expect_status(db, "CVE-2014-0024", "rejected", at("2023-11-07T02:18Z"),
	              "DO NOT USE THIS CANDIDATE NUMBER. ConsultIDs: none.");
	expect_status(db, "CVE-2018-0143", "rejected", at("2019-03-21T15:28Z"), "DO NOT USE THIS CANDIDATE NUMBER.");
	expect_status(db, "CVE-2024-13636", "rejected", at("2025-02-24T22:15Z"),
	              "DO NOT USE THIS CANDIDATE NUMBER. ConsultIDs: CVE-2024-24926.");
	expect_status(db, "CVE-2014-4959", "published", 0, NULL);
	expect_status(db, "CVE-2018-1000204", "published", 0, NULL);
	expect_status(db, "CVE-2014-125049", "published", 0, NULL);
	/* CVE 5: state REJECTED, dateRejected, rejectedReasons */
	expect_status(db, "CVE-2019-25161", "rejected", at("2024-02-27T09:57:13.593Z"),
	              "This CVE ID has been rejected or withdrawn by its CVE Numbering Authority.");
	/* OSV: withdrawn, at its time, no reason */
	expect_status(db, "RUSTSEC-2019-0031", "withdrawn", at("2020-10-08T12:00:00Z"), NULL);
	expect_status(db, "RUSTSEC-2020-0053", "withdrawn", at("2021-04-19T12:00:00Z"), NULL);
	expect_status(db, "GO-2022-0617", "withdrawn", at("2024-08-21T16:25:56Z"), NULL);
	/* each source row keeps its own word */
	assert_int_equal(num(db, "SELECT count(*) FROM vuln_source WHERE withdrawn = 1", NULL), 7);
	assert_int_equal(num(db, "SELECT count(*) FROM vuln WHERE status = 'rejected'", NULL), 4);
	assert_int_equal(num(db, "SELECT count(*) FROM vuln WHERE status = 'withdrawn'", NULL), 3);
	kk_db_close(db);
	kk_clock_pin(-1);
}

/* ---- a record of several sources ---- */

static int upsert_json(struct kk_db *db, void *arg)
{
	const char *json = arg;
	struct kk_arena a;
	struct kk_vuln_rec rec;
	struct kk_diag d;
	json_error_t err;
	json_t *obj = json_loads(json, 0, &err);
	if (!obj)
		fail_msg("json: %s: %s", err.text, json);
	kk_arena_init(&a, 0);
	kk_diag_clear(&d);
	int rc = kk_vuln_parse(KK_VF_AUTO, obj, NULL, 0, &a, &rec, &d);
	if (rc)
		fail_msg("parse: %s: %s", d.where, d.msg);
	rc = kk_vuln_upsert(db, &rec, NULL, NULL, 0);
	json_decref(obj);
	kk_arena_release(&a);
	return rc < 0 ? rc : 0;
}

static void put(struct kk_db *db, const char *json)
{
	assert_int_equal(kk_db_tx(db, upsert_json, (void *)json), 0);
}

/* An NVD API 2.0 item (the shape of the real ones) with a status and a description. */
static void nvd2(struct kk_db *db, const char *cve, const char *modified, const char *status, const char *desc)
{
	char json[2048];
	snprintf(json, sizeof json,
	         "{\"cve\":{\"id\":\"%s\",\"sourceIdentifier\":\"cve@mitre.org\",\"published\":\"2014-01-10T18:55:04.000\","
	         "\"lastModified\":\"%s\",\"vulnStatus\":\"%s\",\"descriptions\":[{\"lang\":\"en\",\"value\":\"%s\"}],"
	         "\"references\":[]}}",
	         cve, modified, status, desc);
	put(db, json);
}

/* A CVE 5 record, PUBLISHED or REJECTED. */
static void cve5(struct kk_db *db, const char *cve, const char *updated, bool rejected)
{
	char json[2048];
	if (rejected)
		snprintf(json, sizeof json,
		         "{\"dataType\":\"CVE_RECORD\",\"dataVersion\":\"5.1\",\"cveMetadata\":{\"cveId\":\"%s\","
		         "\"assignerOrgId\":\"8254265b-2729-46b6-b9e3-3dfca2d5bfca\",\"state\":\"REJECTED\","
		         "\"dateUpdated\":\"%s\",\"dateRejected\":\"%s\"},\"containers\":{\"cna\":{\"providerMetadata\":"
		         "{\"orgId\":\"8254265b-2729-46b6-b9e3-3dfca2d5bfca\"},\"rejectedReasons\":[{\"lang\":\"ja\","
		         "\"value\":\"重複\"},{\"lang\":\"en\",\"value\":\"Duplicate of another CVE.\"}]}}}",
		         cve, updated, updated);
	else
		snprintf(json, sizeof json,
		         "{\"dataType\":\"CVE_RECORD\",\"dataVersion\":\"5.1\",\"cveMetadata\":{\"cveId\":\"%s\","
		         "\"assignerOrgId\":\"8254265b-2729-46b6-b9e3-3dfca2d5bfca\",\"state\":\"PUBLISHED\","
		         "\"datePublished\":\"2014-01-10T00:00:00Z\",\"dateUpdated\":\"%s\"},\"containers\":{\"cna\":"
		         "{\"providerMetadata\":{\"orgId\":\"8254265b-2729-46b6-b9e3-3dfca2d5bfca\"},\"descriptions\":"
		         "[{\"lang\":\"en\",\"value\":\"A flaw in example.\"}],\"affected\":[{\"vendor\":\"example\","
		         "\"product\":\"widget\",\"versions\":[{\"version\":\"1.0\",\"status\":\"affected\"}]}]}}}",
		         cve, updated);
	put(db, json);
}

/* An OSV entry naming alias (may be NULL), withdrawn at `withdrawn` (NULL: live). */
static void osv(struct kk_db *db, const char *id, const char *alias, const char *withdrawn)
{
	char json[2048], w[80] = "";
	if (withdrawn)
		snprintf(w, sizeof w, "\"withdrawn\":\"%s\",", withdrawn);
	snprintf(json, sizeof json,
	         "{\"id\":\"%s\",\"modified\":\"2024-01-01T00:00:00Z\",%s\"aliases\":[%s%s%s],\"summary\":\"widget flaw\","
	         "\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"widget\"},\"ranges\":[{\"type\":"
	         "\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.2.3\"}]}]}]}",
	         id, w, alias ? "\"" : "", alias ? alias : "", alias ? "\"" : "");
	put(db, json);
}

static void test_verdict(void **state)
{
	(void)state;
	kk_clock_pin(1767225600);
	struct kk_db *db = fresh_db("w-verdict.db");
	/* NVD API 2.0: vulnStatus Rejected is a rejection even without the marker text */
	nvd2(db, "CVE-2014-9001", "2023-11-07T02:18:00.000", "Rejected", "Duplicate of CVE-2014-9002.");
	expect_status(db, "CVE-2014-9001", "rejected", at("2023-11-07T02:18:00Z"), "Duplicate of CVE-2014-9002.");
	nvd2(db, "CVE-2014-9003", "2023-11-07T02:18:00.000", "Analyzed", "A flaw. ** DISPUTED ** by the vendor.");
	expect_status(db, "CVE-2014-9003", "published", 0, NULL);

	/* the newest CVE authority decides: a CVE 5 record published later than NVD's rejection */
	nvd2(db, "CVE-2014-9010", "2023-01-01T00:00:00.000", "Rejected", "Rejected reason: issued in error.");
	expect_status(db, "CVE-2014-9010", "rejected", at("2023-01-01T00:00:00Z"), "issued in error.");
	cve5(db, "CVE-2014-9010", "2024-01-01T00:00:00Z", false);
	expect_status(db, "CVE-2014-9010", "published", 0, NULL);
	/* ... and a CVE 5 rejection newer than NVD's published record; the English reason */
	nvd2(db, "CVE-2014-9011", "2023-01-01T00:00:00.000", "Analyzed", "A flaw in example.");
	cve5(db, "CVE-2014-9011", "2024-02-01T00:00:00Z", true);
	expect_status(db, "CVE-2014-9011", "rejected", at("2024-02-01T00:00:00Z"), "Duplicate of another CVE.");

	/* OSV beside a CVE authority: the authority decides either way */
	cve5(db, "CVE-2014-9020", "2024-01-01T00:00:00Z", false);
	osv(db, "GHSA-wdrn-0001-0001", "CVE-2014-9020", "2024-03-01T00:00:00Z");
	expect_status(db, "CVE-2014-9020", "published", 0, NULL);
	osv(db, "GHSA-wdrn-0001-0002", "CVE-2014-9021", NULL);
	cve5(db, "CVE-2014-9021", "2024-01-01T00:00:00Z", true);
	expect_status(db, "GHSA-wdrn-0001-0002", "rejected", at("2024-01-01T00:00:00Z"), "Duplicate of another CVE.");

	/* OSV only: withdrawn when every source withdrew it, at the latest withdrawal */
	osv(db, "GHSA-wdrn-0001-0003", NULL, "2024-03-01T00:00:00Z");
	expect_status(db, "GHSA-wdrn-0001-0003", "withdrawn", at("2024-03-01T00:00:00Z"), NULL);
	osv(db, "GO-2024-9003", "GHSA-wdrn-0001-0003", NULL);
	expect_status(db, "GHSA-wdrn-0001-0003", "published", 0, NULL);
	osv(db, "GHSA-wdrn-0001-0004", NULL, "2024-03-01T00:00:00Z");
	osv(db, "GO-2024-9004", "GHSA-wdrn-0001-0004", "2024-04-01T00:00:00Z");
	expect_status(db, "GHSA-wdrn-0001-0004", "withdrawn", at("2024-04-01T00:00:00Z"), NULL);

	/* a source taking its record back later, and restoring it */
	osv(db, "GHSA-wdrn-0001-0005", NULL, NULL);
	expect_status(db, "GHSA-wdrn-0001-0005", "published", 0, NULL);
	char json[1024];
	snprintf(json, sizeof json,
	         "{\"id\":\"GHSA-wdrn-0001-0005\",\"modified\":\"2024-06-01T00:00:00Z\",\"withdrawn\":\"2024-06-01T00:00:00Z\","
	         "\"summary\":\"widget flaw\"}");
	put(db, json);
	expect_status(db, "GHSA-wdrn-0001-0005", "withdrawn", at("2024-06-01T00:00:00Z"), NULL);
	snprintf(json, sizeof json,
	         "{\"id\":\"GHSA-wdrn-0001-0005\",\"modified\":\"2024-07-01T00:00:00Z\",\"summary\":\"widget flaw\"}");
	put(db, json);
	expect_status(db, "GHSA-wdrn-0001-0005", "published", 0, NULL);
	kk_db_close(db);
	kk_clock_pin(-1);
}

/* ---- search ---- */

struct seen {
	int n, flagged;
	char status[8][16];
};

static int seen_hit(void *arg, const struct kk_search_hit *h)
{
	struct seen *s = arg;
	if (s->n < 8)
		snprintf(s->status[s->n], sizeof s->status[0], "%s", h->status);
	s->n++;
	s->flagged += h->withdrawn;
	assert_int_equal(h->withdrawn, strcmp(h->status, "published") != 0);
	return 0;
}

static long run(struct kk_db *db, struct kk_search_query *q, struct seen *s)
{
	struct kk_search_result res;
	struct kk_diag d = {0};
	memset(s, 0, sizeof *s);
	q->limit = 50;
	assert_int_equal(kk_search_run(db, q, seen_hit, s, &res, &d), 0);
	long sev = 0, years = 0;
	for (int i = 0; i < 5; i++)
		sev += res.severity[i];
	for (int i = 0; i < res.nyears; i++)
		years += res.years[i].count;
	assert_int_equal(sev, res.total); /* the facets count what is listed */
	assert_int_equal(years, res.total);
	assert_int_equal(s->n, res.total);
	return res.total;
}

static void test_search(void **state)
{
	(void)state;
	kk_clock_pin(1767225600);
	struct kk_db *db = fresh_db("w-search.db");
	osv(db, "GHSA-wdrn-0002-0001", NULL, NULL);
	osv(db, "GHSA-wdrn-0002-0002", NULL, "2024-03-01T00:00:00Z");
	osv(db, "GHSA-wdrn-0002-0003", "CVE-2014-9030", NULL);
	cve5(db, "CVE-2014-9030", "2024-01-01T00:00:00Z", true);
	assert_int_equal(kk_search_reindex_stale(db, NULL), 0); /* what `keikai import` does at its end */
	struct kk_search_query q = {.lang = "en"};
	struct seen s;
	/* every way in: no filter (a walk over the cards), words, purl (a bitmap) */
	const char *words[] = {NULL, "widget", NULL};
	const char *purls[] = {NULL, NULL, "pkg:npm/widget@1.0.0"};
	for (int k = 0; k < 3; k++) {
		q.q = words[k];
		q.purl = purls[k];
		q.withdrawn = KK_WITHDRAWN_EXCLUDE;
		assert_int_equal(run(db, &q, &s), 1);
		assert_int_equal(s.flagged, 0);
		q.withdrawn = KK_WITHDRAWN_INCLUDE;
		assert_int_equal(run(db, &q, &s), 3);
		assert_int_equal(s.flagged, 2);
		q.withdrawn = KK_WITHDRAWN_ONLY;
		assert_int_equal(run(db, &q, &s), 2);
		assert_int_equal(s.flagged, 2);
	}
	/* a record taken back after the cards were loaded leaves the next search */
	q = (struct kk_search_query){.lang = "en", .q = "widget"};
	osv(db, "GHSA-wdrn-0002-0001", NULL, "2024-05-01T00:00:00Z");
	assert_int_equal(kk_search_reindex_stale(db, NULL), 0);
	assert_int_equal(run(db, &q, &s), 0);
	q.withdrawn = KK_WITHDRAWN_INCLUDE;
	assert_int_equal(run(db, &q, &s), 3);
	enum kk_search_withdrawn w;
	assert_int_equal(kk_search_withdrawn_parse("include", &w), 0);
	assert_int_equal(w, KK_WITHDRAWN_INCLUDE);
	assert_int_equal(kk_search_withdrawn_parse("yes", &w), KK_EINVAL);
	kk_db_close(db);
	kk_clock_pin(-1);
}

/* ---- migration 0025 on a database written before it ---- */

static void test_migration(void **state)
{
	(void)state;
	char path[300];
	struct kk_db *db;
	struct kk_diag d;
	snprintf(path, sizeof path, "%s/w-migrate.db", tu_tmpdir());
	remove(path);
	assert_int_equal(kk_db_open(path, KK_DB_CREATE, &db), 0);
	/* every migration before 0025 */
	size_t n = 0;
	while (kk_schema_files[n].name)
		n++;
	struct kk_embedded *before = kk_calloc(n + 1, sizeof *before);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (atoi(kk_schema_files[i].name) < 25)
			before[m++] = kk_schema_files[i];
	kk_diag_clear(&d);
	assert_true(kk_migrate_run(db, path, before, NULL, NULL, &d) > 0);
	kk_free(before);
	/* what the importer wrote then: NVD's "Rejected reason:" not recognised, OSV withdrawn without its time */
	static const char *const rows[] = {
	    "INSERT INTO vuln (id, jvndb, published, modified, withdrawn, created_at) VALUES "
	    "(1, 'JVNDB-2014-000001', 1389380104, 1699323480, 0, 1), (2, 'JVNDB-2018-000001', 1, 1553182080, 1, 1), "
	    "(3, 'JVNDB-2019-000001', 1, 1602158400, 1, 1), (4, 'JVNDB-2014-000002', 1, 1732154640, 0, 1), "
	    "(5, 'JVNDB-2019-000002', 1, 1709027833, 1, 1)",
	    "INSERT INTO vuln_source (id, vuln_id, source, source_id, format, published, modified, withdrawn, "
	    "content_hash, imported_at) VALUES "
	    "(1, 1, 'nvd', 'CVE-2014-0024', 'nvd-json1.1', 1389380104, 1699323480, 0, x'01', 1), "
	    "(2, 2, 'nvd', 'CVE-2018-0143', 'nvd-json1.1', 1, 1553182080, 1, x'02', 1), "
	    "(3, 3, 'osv', 'RUSTSEC-2019-0031', 'osv', 1, 1602158400, 1, x'03', 1), "
	    "(4, 4, 'nvd', 'CVE-2014-4959', 'nvd-json1.1', 1, 1732154640, 0, x'04', 1), "
	    "(5, 5, 'cve5', 'CVE-2019-25161', 'cve5', 1, 1709027833, 1, x'05', 1)",
	    "INSERT INTO vuln_alias (alias, vuln_id) VALUES ('CVE-2014-0024', 1), ('CVE-2018-0143', 2), "
	    "('RUSTSEC-2019-0031', 3), ('CVE-2014-4959', 4), ('CVE-2019-25161', 5)",
	    "INSERT INTO vuln_text (vuln_id, src, lang, kind, text) VALUES "
	    "(1, 1, 'en', 'overview', 'Rejected reason: DO NOT USE THIS CANDIDATE NUMBER. Reason: withdrawn by its CNA.'), "
	    "(2, 2, 'en', 'overview', '** REJECT ** DO NOT USE THIS CANDIDATE NUMBER. Reason: not a security issue.'), "
	    "(3, 3, 'en', 'title', 'spin is no longer actively maintained'), "
	    "(4, 4, 'en', 'overview', '**DISPUTED** SQL injection vulnerability in SQLiteDatabase.java.'), "
	    "(5, 5, 'en', 'overview', 'This CVE ID has been rejected or withdrawn by its CVE Numbering Authority.')",
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
		assert_true(kk_db_exec(db, rows[i], "") >= 0);
	kk_diag_clear(&d);
	assert_true(kk_migrate_run(db, path, NULL, NULL, NULL, &d) > 0);
	expect_status(db, "CVE-2014-0024", "rejected", 1699323480,
	              "DO NOT USE THIS CANDIDATE NUMBER. Reason: withdrawn by its CNA.");
	expect_status(db, "CVE-2018-0143", "rejected", 1553182080, "DO NOT USE THIS CANDIDATE NUMBER. Reason: not a");
	expect_status(db, "RUSTSEC-2019-0031", "withdrawn", 1602158400, NULL);
	expect_status(db, "CVE-2014-4959", "published", 0, NULL);
	expect_status(db, "CVE-2019-25161", "rejected", 1709027833,
	              "This CVE ID has been rejected or withdrawn by its CVE Numbering Authority.");
	/* the OSV row will be rewritten by the next import of the same data (its exact withdrawn time) */
	assert_int_equal(num(db, "SELECT length(content_hash) FROM vuln_source WHERE id = 3", NULL), 1);
	assert_int_equal(num(db, "SELECT hex(content_hash) = '00' FROM vuln_source WHERE id = 3", NULL), 1);
	assert_int_equal(num(db, "SELECT hex(content_hash) FROM vuln_source WHERE id = 2", NULL), 2);
	kk_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rejected_text), cmocka_unit_test(test_sources), cmocka_unit_test(test_verdict),
	    cmocka_unit_test(test_search),        cmocka_unit_test(test_migration),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

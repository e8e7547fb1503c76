/* u-vulndb-import.c — importer corpora (y_/n_), record fields of real records, upsert rules. */
#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "store/db.h"
#include "store/migrate.h"
#include "testutil.h"
#include "vulndb/ids.h"
#include "vulndb/import.h"
#include "vulndb/search.h"
#include "vulndb/jget.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORPUS "tests/data/import/"

/* What a parse-only run saw: every report, and a check run on each record. */
struct seen {
	struct kk_buf reports;
	long records;
	long side; /* non-record entries accepted (dictionary lines, KEV entries) */
	void (*check)(const struct kk_vuln_rec *rec, void *arg);
	void *arg;
};

static void on_report(void *arg, const char *file, const char *id, const struct kk_diag *d)
{
	struct seen *s = arg;
	kk_buf_printf(&s->reports, "%s: %s: %s: %s\n", file, id, d->where, d->msg);
}

static int on_batch(void *arg, const struct kk_vuln_rec *recs, size_t n)
{
	struct seen *s = arg;
	for (size_t i = 0; i < n; i++) {
		s->records++;
		if (s->check)
			s->check(&recs[i], s->arg);
	}
	return 0;
}

/* Parses path without a database; returns the importer's counts in *imp_out. */
static void parse_file(const char *path, struct seen *s, long *skipped, long *bad_files)
{
	struct kk_import_opts o = {.report = on_report, .sink = on_batch, .arg = s, .batch = 7};
	struct kk_import imp;
	kk_import_init(&imp, NULL, &o);
	assert_int_equal(kk_import_path(&imp, path), 0);
	assert_int_equal(kk_import_finish(&imp), 0);
	*skipped = imp.skipped;
	*bad_files = imp.bad_files;
	s->side = imp.added - s->records; /* dictionary lines and KEV entries (import_side.h) */
	kk_import_release(&imp);
}

static void test_y_corpus(void **state)
{
	(void)state;
	struct dirent **list;
	int n = scandir(CORPUS, &list, NULL, alphasort), files = 0;
	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		if (!strncmp(list[i]->d_name, "y_", 2)) {
			char path[512];
			struct seen s = {.reports = KK_BUF_INIT(0)};
			long skipped, bad;
			snprintf(path, sizeof path, CORPUS "%s", list[i]->d_name);
			parse_file(path, &s, &skipped, &bad);
			if (skipped || bad || (s.records == 0 && s.side == 0))
				fail_msg("%s: must be accepted, got %ld records, %ld skipped:\n%s", path,
				         s.records, skipped, s.reports.ptr);
			kk_buf_release(&s.reports);
			files++;
		}
		free(list[i]);
	}
	free(list);
	assert_true(files >= 10);
}

static void test_n_corpus(void **state)
{
	(void)state;
	size_t len;
	char *tsv = tu_slurp(CORPUS "n_expect.tsv", &len);
	int rows = 0;
	for (char *line = strtok(tsv, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#')
			continue;
		char *tab = strchr(line, '\t');
		assert_non_null(tab);
		*tab = 0;
		char path[512];
		struct seen s = {.reports = KK_BUF_INIT(0)};
		long skipped, bad;
		snprintf(path, sizeof path, CORPUS "%s", line);
		parse_file(path, &s, &skipped, &bad);
		if (s.records || (!skipped && !bad))
			fail_msg("%s: must be rejected, but %ld records were accepted", path, s.records);
		if (!strstr(s.reports.ptr, tab + 1))
			fail_msg("%s: report lacks '%s'; it said:\n%s", path, tab + 1, s.reports.ptr);
		kk_buf_release(&s.reports);
		rows++;
	}
	kk_free(tsv);
	/* every n_ file has its row */
	struct dirent **list;
	int n = scandir(CORPUS, &list, NULL, alphasort), files = 0;
	for (int i = 0; i < n; i++) {
		const char *f = list[i]->d_name;
		files += !strncmp(f, "n_", 2) && strcmp(f, "n_expect.tsv");
		free(list[i]);
	}
	free(list);
	assert_int_equal(rows, files);
}

static const struct kk_vuln_cvss *cvss_of(const struct kk_vuln_rec *r, const char *version)
{
	for (size_t i = 0; i < r->n_cvss; i++)
		if (!strcmp(r->cvss[i].version, version))
			return &r->cvss[i];
	return NULL;
}

static int has_cwe(const struct kk_vuln_rec *r, int cwe)
{
	for (size_t i = 0; i < r->n_cwes; i++)
		if (r->cwes[i] == cwe)
			return 1;
	return 0;
}

static int has_alias(const struct kk_vuln_rec *r, const char *a)
{
	for (size_t i = 0; i < r->n_aliases; i++)
		if (!strcmp(r->aliases[i], a))
			return 1;
	return 0;
}

static int eq(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/* Checks of known records; each sets a bit in *found when its record came by. */
static void check_known(const struct kk_vuln_rec *r, void *arg)
{
	int *found = arg;
	if (!strcmp(r->source_id, "CVE-2018-0015")) {
		*found |= 1;
		const struct kk_vuln_cvss *c = cvss_of(r, "3.0");
		assert_non_null(c);
		assert_string_equal(c->vector, "CVSS:3.0/AV:N/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H");
		assert_true(c->score == 7.5);
		assert_string_equal(c->severity, "HIGH");
		assert_true(has_cwe(r, 862));
		int ranges = 0;
		for (size_t i = 0; i < r->n_cpes; i++) {
			const struct kk_vuln_cpe *p = &r->cpes[i];
			assert_string_equal(p->vendor, "juniper");
			assert_string_equal(p->product, "appformix");
			if (eq(p->start_incl, "2.11") && eq(p->end_excl, "2.11.3"))
				ranges++;
			if (p->end_incl && !strcmp(p->end_incl, "2.7.3") && !p->start_incl)
				ranges++;
		}
		assert_int_equal(ranges, 2);
	} else if (!strcmp(r->source_id, "CVE-2018-0240")) {
		*found |= 2;
		int vuln = 0, platform = 0;
		for (size_t i = 0; i < r->n_cpes; i++) {
			const struct kk_vuln_cpe *p = &r->cpes[i];
			assert_true(p->cfg_and); /* AND of two OR nodes */
			if (p->node == 0 && p->vulnerable)
				vuln++;
			if (p->node == 1 && !p->vulnerable)
				platform++;
		}
		assert_true(vuln > 0 && platform > 0);
		assert_int_equal(r->n_cwes, 0); /* NVD-CWE-noinfo is no CWE */
	} else if (!strcmp(r->source_id, "CVE-2018-0001")) {
		*found |= 4;
		assert_string_equal(cvss_of(r, "3.0")->vector,
		                    "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
		assert_true(cvss_of(r, "3.0")->score == 9.8);
		assert_string_equal(cvss_of(r, "2.0")->vector, "AV:N/AC:L/Au:N/C:P/I:P/A:P");
		assert_true(has_cwe(r, 416));
		int64_t t;
		kk_time_parse("2018-01-10T22:29:00Z", &t);
		assert_true(r->published == t);
		assert_true(r->n_cpes > 10);
		assert_string_equal(r->texts[0].lang, "en");
		assert_string_equal(r->texts[0].kind, "overview");
	} else if (!strcmp(r->source_id, "CVE-2021-44228")) {
		*found |= 8;
		assert_string_equal(r->format, "nvd-api2");
		const struct kk_vuln_cvss *c = cvss_of(r, "3.1");
		assert_string_equal(c->vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H");
		assert_true(c->score == 10.0);
		assert_string_equal(c->source, "nvd@nist.gov");
		assert_true(has_cwe(r, 917) && has_cwe(r, 502) && has_cwe(r, 20) && has_cwe(r, 400));
		int log4j = 0;
		for (size_t i = 0; i < r->n_cpes; i++)
			if (eq(r->cpes[i].vendor, "apache") && eq(r->cpes[i].product, "log4j") &&
			    eq(r->cpes[i].start_incl, "2.0.1") && eq(r->cpes[i].end_excl, "2.3.1"))
				log4j++;
		assert_int_equal(log4j, 1);
	} else if (!strcmp(r->source_id, "GO-2020-0001")) {
		*found |= 16;
		assert_true(has_alias(r, "CVE-2020-36567") && has_alias(r, "GHSA-6vm3-jj99-7229"));
		assert_int_equal(r->n_pkgs, 1);
		assert_string_equal(r->pkgs[0].ecosystem, "Go");
		assert_string_equal(r->pkgs[0].name, "github.com/gin-gonic/gin");
		assert_string_equal(r->pkgs[0].range_type, "SEMVER");
		assert_string_equal(r->pkgs[0].introduced, "0");
		assert_string_equal(r->pkgs[0].fixed, "1.6.0");
	} else if (!strcmp(r->source_id, "CVE-2023-41045")) {
		*found |= 32; /* GIT range closed on two branches */
		assert_int_equal(r->n_pkgs, 2);
		assert_string_equal(r->pkgs[0].introduced, "0");
		assert_string_equal(r->pkgs[1].introduced, "0");
		assert_string_equal(r->pkgs[1].fixed, "a101f4f12180fd3dfa7d3345188a099877a3c327");
	} else if (!strcmp(r->source_id, "RUSTSEC-2016-0001")) {
		*found |= 64; /* OSV gives only the vector: the score is computed */
		assert_true(cvss_of(r, "3.0")->score == 8.1);
		assert_string_equal(cvss_of(r, "3.0")->severity, "HIGH");
	} else if (!strcmp(r->source_id, "CVE-2019-25161")) {
		*found |= 128;
		assert_true(r->withdrawn); /* REJECTED */
	} else if (!strcmp(r->source_id, "CVE-2012-10018")) {
		*found |= 256;
		assert_string_equal(r->format, "cve5");
		assert_non_null(cvss_of(r, "3.1"));
		assert_true(r->n_cwes > 0);
		int ranged = 0;
		for (size_t i = 0; i < r->n_cpes; i++)
			ranged += r->cpes[i].end_excl != NULL || r->cpes[i].end_incl != NULL;
		assert_true(ranged > 0);
	} else if (!strcmp(r->source_id, "CVE-2024-39511")) {
		*found |= 512; /* its solution says lang "eng": stored as "en" (RFC 5646 4.1) */
		int solution = 0;
		for (size_t i = 0; i < r->n_texts; i++) {
			assert_string_equal(r->texts[i].lang, "en");
			solution += !strcmp(r->texts[i].kind, "solution");
		}
		assert_true(solution > 0);
	} else if (!strcmp(r->source_id, "CVE-2005-10003")) {
		*found |= 1024; /* English and German descriptions */
		int de = 0;
		for (size_t i = 0; i < r->n_texts; i++)
			de += !strcmp(r->texts[i].lang, "de");
		assert_int_equal(de, 1);
	} else if (!strcmp(r->source_id, "CVE-2019-1183")) {
		*found |= 2048; /* "en-US" */
		assert_string_equal(r->texts[0].lang, "en");
	}
}

static void test_known_records(void **state)
{
	(void)state;
	int found = 0;
	struct seen s = {.reports = KK_BUF_INIT(0), .check = check_known, .arg = &found};
	long skipped, bad;
	parse_file(CORPUS, &s, &skipped, &bad);
	assert_int_equal(found, 4095);
	kk_buf_release(&s.reports);
}

/* The language a text is stored under (kk_vuln_lang), through the importers' kk_jget_texts. */
static void test_text_langs(void **state)
{
	(void)state;
	static const struct {
		const char *json, *lang;
	} ok[] = {
	    {"[{\"value\": \"t\"}]", "en"}, /* absent: the CVE JSON 5 default */
	    {"[{\"lang\": null, \"value\": \"t\"}]", "en"},
	    {"[{\"lang\": \"EN-us\", \"value\": \"t\"}]", "en"},
	    {"[{\"lang\": \"EN_us\", \"value\": \"t\"}]", "en"}, /* the CVE JSON 5 pattern allows '_' */
	    {"[{\"lang\": \"ja_JP\", \"value\": \"t\"}]", "ja"},
	    {"[{\"lang\": \"ja-JP\", \"value\": \"t\"}]", "ja"},
	    {"[{\"lang\": \"eng\", \"value\": \"t\"}]", "en"},
	    {"[{\"lang\": \"JPN\", \"value\": \"t\"}]", "ja"},
	    {"[{\"lang\": \"ger\", \"value\": \"t\"}]", "de"},
	    {"[{\"lang\": \"zh-Hant-TW\", \"value\": \"t\"}]", "zh"},
	    {"[{\"lang\": \"yue\", \"value\": \"t\"}]", "yue"}, /* no two-letter code */
	    {"[{\"lang\": \"en-GB-oed\", \"value\": \"t\"}]", "en"},
	    {"[{\"lang\": \"i-klingon\", \"value\": \"t\"}]", "und"},
	    {"[{\"lang\": \"x-whatever\", \"value\": \"t\"}]", "und"},
	};
	struct kk_arena a;
	struct kk_vuln_rec rec;
	struct kk_diag d;
	json_error_t err;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		json_t *arr = json_loads(ok[i].json, 0, &err);
		kk_arena_init(&a, 0);
		kk_vuln_rec_init(&rec, &a);
		kk_diag_clear(&d);
		assert_int_equal(kk_jget_texts(arr, "/d", "overview", &rec, &d), 0);
		assert_int_equal(rec.n_texts, 1);
		assert_string_equal(rec.texts[0].lang, ok[i].lang);
		kk_arena_release(&a);
		json_decref(arr);
	}
	static const char *const bad[] = {"en--US", "en_", "", "12", "en-", "english language", "en-US-x"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *arr = json_pack("[{s:s, s:s}]", "lang", bad[i], "value", "t");
		kk_arena_init(&a, 0);
		kk_vuln_rec_init(&rec, &a);
		kk_diag_clear(&d);
		assert_int_equal(kk_jget_texts(arr, "/d", "overview", &rec, &d), KK_EPARSE);
		assert_string_equal(d.where, "/d/0/lang");
		char want[128];
		snprintf(want, sizeof want, "lang must be an RFC 5646 language tag such as en or ja-JP, got \"%s\" (", bad[i]);
		if (strncmp(d.msg, want, strlen(want)))
			fail_msg("'%s': %s", bad[i], d.msg);
		assert_int_equal(rec.n_texts, 0);
		kk_arena_release(&a);
		json_decref(arr);
	}
	/* a long tag is cut in the message at a character boundary */
	char lang[KK_VULN_LANG_MAX];
	assert_int_equal(kk_vuln_lang("表示言語 (ja:日本語、en:英語、zh:中文)", lang, "x", &d), KK_EPARSE);
	assert_non_null(strstr(d.msg, "got \"表示言語 (ja:日本語、en:英語...\" (byte 0xE8 is not allowed"));
}

/* The whole real NVD 2018 feed (gzip, streamed): every item parses. */
static void test_nvd_2018_feed(void **state)
{
	(void)state;
	int found = 0;
	struct seen s = {.reports = KK_BUF_INIT(0), .check = check_known, .arg = &found};
	long skipped, bad;
	parse_file(tu_shared("nvd-json-1.1-feeds/nvdcve-1.1-2018.json.gz"), &s, &skipped, &bad);
	if (skipped || bad)
		fail_msg("2018 feed: %ld skipped:\n%.2000s", skipped, s.reports.ptr);
	assert_int_equal(s.records, 16768);
	assert_int_equal(found & 7, 7);
	kk_buf_release(&s.reports);
}

/* ---- upsert rules against a real database ---- */

static struct kk_db *fresh_db(void)
{
	char path[300];
	struct kk_db *db;
	struct kk_diag d;
	snprintf(path, sizeof path, "%s/v.db", tu_tmpdir());
	assert_int_equal(kk_db_open(path, KK_DB_CREATE, &db), 0);
	kk_diag_clear(&d);
	if (kk_migrate_run(db, path, NULL, NULL, NULL, &d) < 0)
		fail_msg("migrate: %s", d.msg);
	return db;
}

static int64_t count(struct kk_db *db, const char *sql)
{
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, sql, &st), 0);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	int64_t n = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return n;
}

static void import_path(struct kk_db *db, const char *path, struct kk_import *out)
{
	struct kk_import_opts o = {0};
	kk_import_init(out, db, &o);
	assert_int_equal(kk_import_path(out, path), 0);
	assert_int_equal(kk_import_finish(out), 0);
	kk_import_release(out);
}

struct one {
	const char *json;
	int outcome;
	char jvndb[32];
};

static int upsert_one(struct kk_db *db, void *arg)
{
	struct one *o = arg;
	struct kk_arena a;
	struct kk_vuln_rec rec;
	struct kk_diag d;
	json_error_t err;
	json_t *obj = json_loads(o->json, 0, &err);
	assert_non_null(obj);
	kk_arena_init(&a, 0);
	kk_diag_clear(&d);
	int rc = kk_vuln_parse(KK_VF_AUTO, obj, NULL, 0, &a, &rec, &d);
	if (rc)
		fail_msg("parse: %s: %s", d.where, d.msg);
	o->outcome = kk_vuln_upsert(db, &rec, NULL, o->jvndb, sizeof o->jvndb);
	json_decref(obj);
	kk_arena_release(&a);
	return o->outcome < 0 ? o->outcome : 0;
}

static const char *osv_tmpl =
    "{\"id\":\"GHSA-test-0001\",\"modified\":\"%s\",\"aliases\":[\"CVE-2018-0001\"],"
    "\"summary\":\"%s\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"x\"},"
    "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0.0\"},{\"fixed\":\"1.2.3\"}]}]}]}";

static void test_upsert_rules(void **state)
{
	(void)state;
	kk_clock_pin(1767225600); /* 2026-01-01 */
	struct kk_db *db = fresh_db();
	struct kk_import imp;
	import_path(db, CORPUS "y_nvd11_feed_2018.json", &imp);
	assert_int_equal(imp.added, 3);
	assert_int_equal(count(db, "SELECT count(*) FROM vuln WHERE jvndb LIKE 'KKDB-2018-00000_'"), 3);
	int64_t cpes = count(db, "SELECT count(*) FROM vuln_cpe");
	assert_true(cpes > 20);
	/* a new record's dates and score (set on insert) follow the same rules as a merged one's */
	assert_int_equal(
	    count(db, "SELECT count(*) FROM vuln v WHERE modified <> (SELECT max(modified) FROM "
	              "vuln_source s WHERE s.vuln_id = v.id) OR published <> (SELECT min(published) FROM "
	              "vuln_source s WHERE s.vuln_id = v.id) OR score IS NOT (SELECT score FROM vuln_cvss c "
	              "WHERE c.vuln_id = v.id ORDER BY version DESC, score DESC LIMIT 1)"),
	    0);
	assert_int_equal(count(db, "SELECT score * 10 FROM vuln WHERE jvndb = 'KKDB-2018-000003'"), 98);
	/* the same again: nothing changes */
	import_path(db, CORPUS "y_nvd11_feed_2018.json", &imp);
	assert_int_equal(imp.unchanged, 3);
	assert_int_equal(imp.added + imp.updated + imp.merged, 0);
	assert_int_equal(count(db, "SELECT count(*) FROM vuln_cpe"), cpes);
	assert_int_equal(count(db, "SELECT count(*) FROM vuln_history"), 3);

	/* an OSV record naming CVE-2018-0001 joins that vulnerability */
	char json[1024], first[32];
	struct one o = {.json = json};
	snprintf(json, sizeof json, osv_tmpl, "2024-01-01T00:00:00Z", "first");
	assert_int_equal(kk_db_tx(db, upsert_one, &o), 0);
	assert_int_equal(o.outcome, KK_VULN_MERGED);
	assert_string_equal(o.jvndb, "KKDB-2018-000003"); /* CVE-2018-0001 came third in the feed */
	strcpy(first, o.jvndb);
	assert_int_equal(count(db, "SELECT count(*) FROM vuln_alias WHERE alias = 'GHSA-test-0001'"), 1);
	/* same content: unchanged; older: ignored; newer: updated with history */
	assert_int_equal(kk_db_tx(db, upsert_one, &o), 0);
	assert_int_equal(o.outcome, KK_VULN_UNCHANGED);
	snprintf(json, sizeof json, osv_tmpl, "2023-01-01T00:00:00Z", "older");
	assert_int_equal(kk_db_tx(db, upsert_one, &o), 0);
	assert_int_equal(o.outcome, KK_VULN_OLDER);
	snprintf(json, sizeof json, osv_tmpl, "2025-01-01T00:00:00Z", "newer");
	assert_int_equal(kk_db_tx(db, upsert_one, &o), 0);
	assert_int_equal(o.outcome, KK_VULN_UPDATED);
	assert_string_equal(o.jvndb, first); /* the id never changes */
	assert_int_equal(count(db, "SELECT count(*) FROM vuln_text WHERE text = 'newer'"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM vuln_text WHERE text = 'first'"), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM vuln_pkg"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM vuln_history h JOIN vuln v ON v.id = h.vuln_id "
	                           "WHERE v.jvndb = 'KKDB-2018-000003'"),
	                 3); /* created, merged, updated */
	/* the NVD rows of that vulnerability were not touched by the OSV update */
	assert_int_equal(count(db, "SELECT count(*) FROM vuln_cpe"), cpes);
	/* modified is the newest of its sources */
	int64_t t;
	kk_time_parse("2025-01-01T00:00:00Z", &t);
	assert_int_equal(count(db, "SELECT modified FROM vuln WHERE jvndb = 'KKDB-2018-000003'"), t);
	kk_db_close(db);
	kk_clock_pin(-1);
}

/* ---- JVN (MyJVN VULDEF 3.2, JVNRSS 3.2) ---- */

static const struct kk_vuln_text *text_of(const struct kk_vuln_rec *r, const char *kind)
{
	for (size_t i = 0; i < r->n_texts; i++)
		if (!strcmp(r->texts[i].kind, kind))
			return &r->texts[i];
	return NULL;
}

static int has_cpe(const struct kk_vuln_rec *r, const char *cpe23)
{
	for (size_t i = 0; i < r->n_cpes; i++)
		if (!strcmp(r->cpes[i].cpe23, cpe23))
			return 1;
	return 0;
}

/* Real JVN iPedia records, field by field. */
static void check_jvn(const struct kk_vuln_rec *r, void *arg)
{
	int *found = arg;
	if (!strcmp(r->source_id, "JVNDB-2017-009608")) {
		*found |= 1;
		assert_string_equal(r->source, "jvn");
		assert_string_equal(r->format, "jvn-vuldef");
		const struct kk_vuln_text *t = text_of(r, "title");
		assert_string_equal(t->lang, "ja");
		assert_string_equal(t->text, "エアバッグコントロールユニットにおける暗号アルゴリズムの使用に関する脆弱性");
		assert_non_null(strstr(text_of(r, "overview")->text, "pyrotechnical control unit"));
		assert_non_null(strstr(text_of(r, "solution")->text, "参考情報を参照"));
		const struct kk_vuln_cvss *c3 = cvss_of(r, "3.0"), *c2 = cvss_of(r, "2.0");
		assert_string_equal(c3->vector, "CVSS:3.0/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N");
		assert_true(c3->score == 4.7);
		assert_string_equal(c3->severity, "Medium");
		assert_string_equal(c2->vector, "AV:L/AC:M/Au:N/C:P/I:N/A:N");
		assert_true(c2->score == 1.9);
		assert_true(has_alias(r, "CVE-2017-14937"));
		assert_true(has_alias(r, "JVNDB-2017-009608"));
		assert_true(has_cwe(r, 327));
		assert_int_equal(r->n_cwes, 1);
		assert_true(has_cpe(r, "cpe:2.3:h:pcu:pcu:*:*:*:*:*:*:*:*"));
		assert_string_equal(r->cpes[0].vendor, "pcu");
		int64_t t1, t2, t3;
		kk_time_parse("2017-10-20T00:00:00+09:00", &t1);
		kk_time_parse("2017-11-16T15:06:40+09:00", &t2);
		kk_time_parse("2017-11-16T15:06:40+09:00", &t3);
		assert_true(r->public_date == t1 && r->first_published == t2 && r->modified == t3);
		assert_true(r->n_refs >= 3);
	} else if (!strcmp(r->source_id, "JVNDB-2021-018345") && !strcmp(r->format, "jvnrss")) {
		*found |= 2;
		assert_string_equal(r->source, "jvnrss");
		assert_string_equal(text_of(r, "title")->text, "Android における脆弱性");
		assert_string_equal(text_of(r, "title")->lang, "ja");
		assert_null(strchr(text_of(r, "overview")->text, '\r')); /* &#13; dropped */
		assert_true(has_alias(r, "CVE-2022-22292"));
		assert_int_equal(r->n_cwes, 0); /* CWE-noinfo is no CWE */
		assert_true(has_cpe(r, "cpe:2.3:o:google:android:*:*:*:*:*:*:*:*"));
		assert_true(cvss_of(r, "3.0")->score == 7.8);
		assert_string_equal(cvss_of(r, "2.0")->vector, "AV:L/AC:L/Au:N/C:P/I:P/A:P");
		int64_t t;
		kk_time_parse("2023-06-01T11:12+09:00", &t);
		assert_true(r->published == t && r->modified == t);
	}
}

static void test_jvn_records(void **state)
{
	(void)state;
	int found = 0;
	struct seen s = {.reports = KK_BUF_INIT(0), .check = check_jvn, .arg = &found};
	long skipped, bad;
	parse_file(CORPUS "y_jvn-vuldef-2017-009608.xml", &s, &skipped, &bad);
	parse_file(CORPUS "y_jvnrss-2022.xml", &s, &skipped, &bad);
	assert_int_equal(found, 3);
	assert_int_equal(s.records, 1 + 3);
	kk_buf_release(&s.reports);
}

/* A minimal VULDEF document in lang: one record with id, CVE alias and title. */
static void write_vuldef(const char *path, const char *lang, const char *id, const char *cve, const char *title)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
	        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<VULDEF-Document version=\"3.2\" xmlns=\"http://jvn.jp/vuldef/\" xml:lang=\"%s\">\n"
	        "<Vulinfo><VulinfoID>%s</VulinfoID><VulinfoData><Title>%s</Title>\n"
	        "<Related><RelatedItem type=\"advisory\"><VulinfoID>%s</VulinfoID></RelatedItem></Related>\n"
	        "<DateFirstPublished>2018-02-01T10:00:00+09:00</DateFirstPublished>\n"
	        "</VulinfoData></Vulinfo></VULDEF-Document>\n",
	        lang, id, title, cve);
	fclose(f);
}

/* Whether alias names the vulnerability whose own id is jvndb. */
static int alias_names(struct kk_db *db, const char *alias, const char *jvndb)
{
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db,
	                               "SELECT count(*) FROM vuln_alias a JOIN vuln v ON v.id = a.vuln_id "
	                               "WHERE a.alias = ? AND v.jvndb = ?",
	                               &st),
	                 0);
	kk_stmt_bind_text(st, 1, alias, -1);
	kk_stmt_bind_text(st, 2, jvndb, -1);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	int n = (int)kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return n;
}

/* The history row saying what happened to the record known by id, newest, or "". */
static void last_history(struct kk_db *db, const char *id, char *out, size_t n)
{
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db,
	                               "SELECT what FROM vuln_history h JOIN vuln v ON v.id = h.vuln_id "
	                               "WHERE v.jvndb = ? ORDER BY h.id DESC LIMIT 1",
	                               &st),
	                 0);
	kk_stmt_bind_text(st, 1, id, -1);
	int rc = kk_stmt_step(st);
	snprintf(out, n, "%s", rc == KK_ROW ? kk_stmt_text(st, 0) : "");
	kk_stmt_done(st);
}

/* Where id leads (kk_search_resolve): the id of the record, and whether id was a former one. */
static void resolves(struct kk_db *db, const char *id, const char *want, bool former)
{
	int64_t vid = 0;
	bool was = !former;
	assert_int_equal(kk_search_resolve(db, id, &vid, &was), 0);
	assert_int_equal(was, former);
	char q[96];
	snprintf(q, sizeof q, "SELECT count(*) FROM vuln WHERE id = %lld AND jvndb = '%s'", (long long)vid, want);
	if (count(db, q) != 1)
		fail_msg("%s leads to record %lld, not to %s", id, (long long)vid, want);
}

/* The operator's prefix: checked, stored, used; the id form. */
static void test_id_prefix(void **state)
{
	(void)state;
	struct kk_diag d;
	static const char *const good[] = {"KKDB", "JVNDB", "ACME", "K1", "ABCDEFGHIJ", NULL};
	static const char *const bad[] = {"", "K", "kkdb", "1KDB", "K-DB", "ABCDEFGHIJK", "KKDB ", "CVE", "GHSA",
	                                  "GO", "RUSTSEC", "JVN", NULL};
	for (int i = 0; good[i]; i++)
		assert_int_equal(kk_vuln_prefix_check(good[i], &d), 0);
	for (int i = 0; bad[i]; i++) {
		kk_diag_clear(&d);
		assert_int_equal(kk_vuln_prefix_check(bad[i], &d), KK_EINVAL);
		assert_non_null(strstr(d.msg, "--id-prefix"));
	}
	kk_diag_clear(&d);
	kk_vuln_prefix_check("kkdb", &d);
	assert_non_null(strstr(d.msg, "give --id-prefix KKDB"));
	int y = 0;
	assert_true(kk_vuln_id_form("JVNDB-2022-000097", &y) && y == 2022);
	assert_true(kk_vuln_id_form("KKDB-2025-1234567", &y) && y == 2025);
	static const char *const not_ids[] = {"CVE-2022-000097", "GO-2022-0001", "RUSTSEC-2021-0001", "JVNDB-22-000097",
	                                      "JVNDB-2022-00009", "JVNDB-2022-000097x", "jvndb-2022-000097",
	                                      "JVN#12345678", "GHSA-xxxx-yyyy-zzzz", NULL};
	for (int i = 0; not_ids[i]; i++)
		assert_false(kk_vuln_id_form(not_ids[i], NULL));

	struct kk_db *db = fresh_db();
	char p[KK_VULN_PREFIX_MAX + 1], id[24];
	assert_int_equal(kk_vuln_prefix_get(db, p), 0);
	assert_string_equal(p, KK_VULN_PREFIX_DEFAULT);
	assert_int_equal(kk_vuln_id_mint(db, 2024, id), 0);
	assert_string_equal(id, "KKDB-2024-000001");
	assert_int_equal(kk_vuln_prefix_set(db, "cve", &d), KK_EINVAL);
	assert_int_equal(kk_vuln_prefix_set(db, "ACME", &d), 0);
	assert_int_equal(kk_vuln_id_mint(db, 2024, id), 0);
	assert_string_equal(id, "ACME-2024-000001"); /* serials count per prefix */
	/* held ids are skipped: an alias, a record's id, a former id */
	assert_int_equal(kk_db_exec(db, "INSERT INTO vuln (id, jvndb, created_at) VALUES (1, 'ACME-2024-000003', 1)", ""),
	                 1);
	assert_int_equal(kk_db_exec(db, "INSERT INTO vuln_alias (alias, vuln_id) VALUES ('ACME-2024-000002', 1)", ""), 1);
	assert_int_equal(kk_db_exec(db, "INSERT INTO vuln_former (former, vuln_id) VALUES ('ACME-2024-000004', 1)", ""),
	                 1);
	assert_int_equal(kk_vuln_id_mint(db, 2024, id), 0);
	assert_string_equal(id, "ACME-2024-000005");
	assert_int_equal(kk_db_exec(db, "UPDATE vuln_id_serial SET next = 1000000", ""), 2);
	assert_int_equal(kk_vuln_id_mint(db, 2024, id), KK_ERANGE);
	kk_db_close(db);
}

/*
 * JVN records keep their JVNDB id; minted ids never take one an import holds; a record a JVN
 * record joins takes its id and its minted id still finds it; with the JVNDB prefix an import
 * wins the id it brings and the record holding it is renumbered.
 */
static void test_jvn_ids(void **state)
{
	(void)state;
	kk_clock_pin(1767225600);
	struct kk_db *db = fresh_db();
	struct kk_import imp;
	char path[300], what[200];
	import_path(db, CORPUS "y_jvn-vuldef-2022-000097.xml", &imp);
	assert_int_equal(imp.added, 1);
	assert_int_equal(count(db, "SELECT count(*) FROM vuln WHERE jvndb = 'JVNDB-2022-000097'"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM vuln_id_serial"), 0); /* nothing minted */
	import_path(db, CORPUS "y_jvn-vuldef-2022-000097.xml", &imp);
	assert_int_equal(imp.unchanged, 1);
	/* NVD first: its records get KKDB-2018-000001..3 */
	import_path(db, CORPUS "y_nvd11_feed_2018.json", &imp);
	assert_int_equal(imp.added, 3);
	assert_int_equal(count(db, "SELECT count(*) FROM vuln WHERE jvndb GLOB 'KKDB-2018-00000[123]'"), 3);
	/* a JVN record naming CVE-2018-0001 joins that vulnerability, which takes its id */
	snprintf(path, sizeof path, "%s/j1.xml", tu_tmpdir());
	write_vuldef(path, "ja", "JVNDB-2018-009999", "CVE-2018-0001", "認証の脆弱性");
	import_path(db, path, &imp);
	assert_int_equal(imp.merged, 1);
	assert_int_equal(alias_names(db, "CVE-2018-0001", "JVNDB-2018-009999"), 1);
	resolves(db, "JVNDB-2018-009999", "JVNDB-2018-009999", false);
	resolves(db, "KKDB-2018-000003", "JVNDB-2018-009999", true); /* its minted id still finds it */
	resolves(db, "kkdb-2018-000003", "JVNDB-2018-009999", true);
	last_history(db, "JVNDB-2018-009999", what, sizeof what);
	assert_string_equal(what, "merged: a further source for this vulnerability");
	assert_int_equal(count(db, "SELECT count(*) FROM vuln_history h JOIN vuln v ON v.id = h.vuln_id WHERE "
	                           "v.jvndb = 'JVNDB-2018-009999' AND h.what = 'renumbered: now JVNDB-2018-009999, the "
	                           "id of the JVN iPedia record; KKDB-2018-000003 still finds it'"),
	                 1);
	/* the English version of a JVN record is a further source of the same vulnerability */
	snprintf(path, sizeof path, "%s/j3.xml", tu_tmpdir());
	write_vuldef(path, "en-US", "JVNDB-2018-009999", "CVE-2018-0001", "Authentication bypass");
	import_path(db, path, &imp);
	assert_int_equal(imp.merged, 1);
	assert_int_equal(count(db, "SELECT count(*) FROM vuln_text t JOIN vuln v ON v.id = t.vuln_id "
	                           "JOIN vuln_source s ON s.id = t.src WHERE v.jvndb = 'JVNDB-2018-009999' AND "
	                           "t.kind = 'title' AND ((t.lang = 'ja' AND s.source = 'jvn' AND t.text = "
	                           "'認証の脆弱性') OR (t.lang = 'en' AND s.source = 'jvn-en' AND t.text = "
	                           "'Authentication bypass'))"),
	                 2);
	assert_int_equal(count(db, "SELECT count(*) FROM vuln_former"), 1);

	/* an operator minting in JVN's space: the NVD record given JVNDB-2018-000001 loses it to JVN */
	struct kk_diag d;
	assert_int_equal(kk_vuln_prefix_set(db, "JVNDB", &d), 0);
	snprintf(path, sizeof path, "%s/n.json", tu_tmpdir());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"id\":\"GHSA-test-0002\",\"modified\":\"2018-03-01T00:00:00Z\",\"published\":\"2018-03-01T00:00:00Z\","
	      "\"summary\":\"minted\"}\n",
	      f);
	fclose(f);
	import_path(db, path, &imp);
	assert_int_equal(imp.added, 1);
	assert_int_equal(alias_names(db, "GHSA-test-0002", "JVNDB-2018-000001"), 1);
	snprintf(path, sizeof path, "%s/j2.xml", tu_tmpdir());
	write_vuldef(path, "ja", "JVNDB-2018-000001", "CVE-2018-99999", "暗号の脆弱性");
	import_path(db, path, &imp);
	assert_int_equal(imp.added, 1);
	assert_int_equal(alias_names(db, "CVE-2018-99999", "JVNDB-2018-000001"), 1);
	assert_int_equal(alias_names(db, "GHSA-test-0002", "JVNDB-2018-000002"), 1); /* the next free serial */
	last_history(db, "JVNDB-2018-000002", what, sizeof what);
	assert_string_equal(what, "renumbered: JVNDB-2018-000001 is the id of an imported record; this record is now "
	                          "JVNDB-2018-000002");
	resolves(db, "JVNDB-2018-000001", "JVNDB-2018-000001", false);
	/* a minted id never takes one a record holds: 000003 is next, but a JVN record holds it as an alias */
	snprintf(path, sizeof path, "%s/j4.xml", tu_tmpdir());
	write_vuldef(path, "ja", "JVNDB-2018-000777", "JVNDB-2018-000003", "関連");
	import_path(db, path, &imp);
	assert_int_equal(imp.added, 1);
	snprintf(path, sizeof path, "%s/n2.json", tu_tmpdir());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"id\":\"GHSA-test-0003\",\"modified\":\"2018-03-01T00:00:00Z\",\"published\":\"2018-03-01T00:00:00Z\","
	      "\"summary\":\"minted\"}\n",
	      f);
	fclose(f);
	import_path(db, path, &imp);
	assert_int_equal(alias_names(db, "GHSA-test-0003", "JVNDB-2018-000004"), 1);
	/* an import bringing a former id (here as an alias): the import wins it */
	snprintf(path, sizeof path, "%s/n3.json", tu_tmpdir());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"id\":\"GHSA-test-0004\",\"modified\":\"2018-03-01T00:00:00Z\",\"aliases\":[\"KKDB-2018-000003\"],"
	      "\"published\":\"2018-03-01T00:00:00Z\",\"summary\":\"another\"}\n",
	      f);
	fclose(f);
	import_path(db, path, &imp);
	assert_int_equal(imp.added, 1);
	assert_int_equal(count(db, "SELECT count(*) FROM vuln_former"), 0);
	assert_int_equal(alias_names(db, "KKDB-2018-000003", "JVNDB-2018-000005"), 1);
	resolves(db, "KKDB-2018-000003", "JVNDB-2018-000005", false);
	kk_db_close(db);
	kk_clock_pin(-1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_y_corpus),      cmocka_unit_test(test_n_corpus),
	    cmocka_unit_test(test_known_records), cmocka_unit_test(test_nvd_2018_feed),
	    cmocka_unit_test(test_upsert_rules),  cmocka_unit_test(test_jvn_records),
	    cmocka_unit_test(test_jvn_ids),       cmocka_unit_test(test_text_langs),
	    cmocka_unit_test(test_id_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * u-publish.c — advisories: the editor document (round trip, every bad
 * field named by its JSON pointer), identifiers, the CVE pool, publishing at
 * a pinned clock (nothing public before, everything after, one
 * transaction), revisions, and the machine-readable forms.
 */
#include "testutil.h"
#include "auth/auth.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/rand.h"
#include "publish/advisory.h"
#include "publish/formats.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/sched.h"
#include "vulndb/search.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define T0 1800000000 /* 2027-01-15T08:00:00Z */

static struct kk_actor sys;

static char *full_doc(size_t *n)
{
	return tu_slurp("tests/data/advisory/y_full.json", n);
}

static struct kk_db *fresh(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", tu_tmpdir(), name);
	struct kk_db *db;
	assert_int_equal(kk_db_open(path, KK_DB_CREATE, &db), 0);
	struct kk_diag d;
	assert_true(kk_migrate_run(db, path, NULL, NULL, NULL, &d) > 0);
	kk_clock_pin(T0);
	kk_actor_system(&sys, "test");
	return db;
}

/* ---- the document ---------------------------------------------------------- */

static void test_parse_full_round_trip(void **state)
{
	(void)state;
	size_t n;
	char *s = full_doc(&n);
	struct kk_arena a;
	struct kk_adv adv, again;
	struct kk_diag d;
	kk_arena_init(&a, 0);
	assert_int_equal(kk_adv_parse_text(s, n, &a, &adv, &d), 0);
	assert_int_equal(adv.n_products, 2);
	assert_int_equal(adv.n_vulns, 2);
	assert_int_equal(adv.vulns[1].cwe, 78);
	assert_true(adv.vulns[0].score31 > 5.3 && adv.vulns[0].score31 < 5.5); /* 5.4 */
	assert_string_equal(adv.vulns[0].severity31, "MEDIUM");
	assert_true(adv.vulns[0].score40 >= 0);
	assert_int_equal(kk_adv_check_publishable(&adv, &d), 0);
	assert_string_equal(kk_adv_title(&adv, "ja", &a), "Acme Router RX-100における複数の脆弱性");
	assert_string_equal(kk_adv_title(&adv, "en", &a), "Acme Router RX-100: multiple vulnerabilities");
	/* write, parse again, write again: the same bytes */
	struct kk_buf b1 = KK_BUF_INIT(0), b2 = KK_BUF_INIT(0);
	struct kk_json j;
	kk_json_init(&j, &b1);
	kk_adv_write(&j, &adv);
	assert_int_equal(kk_json_error(&j), 0);
	assert_int_equal(kk_adv_parse_text(b1.ptr, b1.len, &a, &again, &d), 0);
	kk_json_init(&j, &b2);
	kk_adv_write(&j, &again);
	assert_string_equal(b1.ptr, b2.ptr);
	kk_buf_release(&b1);
	kk_buf_release(&b2);
	kk_arena_release(&a);
	kk_free(s);
}

static const struct {
	const char *json;
	const char *where;
} bad[] = {
    {"[]", ""},
    {"{\"colour\":1}", "/colour"},
    {"{\"overview\":\"text\"}", "/overview"},
    {"{\"overview\":{\"fr\":\"x\"}}", "/overview/fr"},
    {"{\"overview\":{\"ja\":5}}", "/overview/ja"},
    {"{\"products\":{}}", "/products"},
    {"{\"products\":[1]}", "/products/0"},
    {"{\"products\":[{\"vendor\":\"A\"}]}", "/products/0/product"},
    {"{\"products\":[{\"vendor\":\"A\",\"product\":\"B\",\"cpe\":\"cpe:2.3:x\"}]}", "/products/0/cpe"},
    {"{\"products\":[{\"vendor\":\"A\",\"product\":\"B\",\"purl\":\"npm/x\"}]}", "/products/0/purl"},
    {"{\"products\":[{\"vendor\":\"A\",\"product\":\"B\",\"purl\":\"pkg:npm/x@1.0\"}]}", "/products/0/purl"},
    {"{\"products\":[{\"vendor\":\"A\",\"product\":\"B\",\"scheme\":\"roman\"}]}", "/products/0/scheme"},
    {"{\"products\":[{\"vendor\":\"A\",\"product\":\"B\",\"scheme\":\"semver\",\"fixed\":\"1.x\"}]}",
     "/products/0/fixed"},
    {"{\"products\":[{\"vendor\":\"A\",\"product\":\"B\",\"scheme\":\"semver\",\"introduced\":\"2.0.0\","
     "\"fixed\":\"1.0.0\"}]}",
     "/products/0/introduced"},
    {"{\"products\":[{\"vendor\":\"A\",\"product\":\"B\",\"fixed\":\"2\",\"last_affected\":\"1\"}]}",
     "/products/0/last_affected"},
    {"{\"vulnerabilities\":[{\"cve\":\"CVE-26-1\"}]}", "/vulnerabilities/0/cve"},
    {"{\"vulnerabilities\":[{\"cve\":\"CVE-2026-1000\"},{\"cve\":\"CVE-2026-1000\"}]}", "/vulnerabilities/1/cve"},
    {"{\"vulnerabilities\":[{\"cwe\":\"XSS\"}]}", "/vulnerabilities/0/cwe"},
    {"{\"vulnerabilities\":[{\"cvss31\":\"CVSS:3.1/AV:X\"}]}", "/vulnerabilities/0/cvss31"},
    {"{\"vulnerabilities\":[{\"cvss31\":\"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\"}]}",
     "/vulnerabilities/0/cvss31"},
    {"{\"vulnerabilities\":[{\"severity\":\"high\"}]}", "/vulnerabilities/0/severity"},
    {"{\"vendors\":[{\"vendor\":\"A\",\"status\":\"maybe\"}]}", "/vendors/0/status"},
    {"{\"vendors\":[{\"vendor\":\"A\",\"status\":\"fixed\",\"updated\":\"20th May\"}]}", "/vendors/0/updated"},
    {"{\"references\":[{\"url\":\"javascript:alert(1)\"}]}", "/references/0/url"},
    {"{\"references\":[{\"url\":\"https://a.example/x y\"}]}", "/references/0/url"},
    {"{\"credits\":[{\"name\":\"\"}]}", "/credits/0/name"},
};

static void test_parse_errors_name_the_field(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kk_arena a;
		struct kk_adv adv;
		struct kk_diag d;
		kk_arena_init(&a, 0);
		int rc = kk_adv_parse_text(bad[i].json, strlen(bad[i].json), &a, &adv, &d);
		if (rc >= 0 || strcmp(d.where, bad[i].where))
			fail_msg("advisory-bad-%zu: %s: expected an error at '%s', got rc %d at '%s' (%s)", i, bad[i].json,
				 bad[i].where, rc, d.where, d.msg);
		assert_true(d.msg[0] != 0);
		kk_arena_release(&a);
	}
}

static void test_not_publishable_names_item(void **state)
{
	(void)state;
	struct kk_arena a;
	struct kk_adv adv;
	struct kk_diag d;
	kk_arena_init(&a, 0);
	const char *s = "{\"product\":{\"ja\":\"製品\",\"en\":\"Product\"}}";
	assert_int_equal(kk_adv_parse_text(s, strlen(s), &a, &adv, &d), 0);
	assert_int_equal(kk_adv_check_publishable(&adv, &d), KK_EUNPROCESSABLE);
	assert_non_null(strstr(d.msg, "/vulnerability/ja"));
	kk_arena_release(&a);
}

static void test_identifiers(void **state)
{
	(void)state;
	char out[KK_ADV_IDENT_MAX];
	assert_true(kk_adv_ident_valid("JVNVU#12345678"));
	assert_true(kk_adv_ident_valid("JVN#00000001"));
	assert_true(kk_adv_ident_valid("JVNTA#99999999"));
	assert_false(kk_adv_ident_valid("JVNVU#1234567"));
	assert_false(kk_adv_ident_valid("JVNXX#12345678"));
	assert_false(kk_adv_ident_valid("JVNVU_12345678"));
	kk_adv_ident_slug("JVNVU#12345678", out, sizeof(out));
	assert_string_equal(out, "JVNVU_12345678");
	assert_int_equal(kk_adv_ident_from_slug("JVNTA_00000042", out, sizeof(out)), 0);
	assert_string_equal(out, "JVNTA#00000042");
	assert_int_equal(kk_adv_ident_from_slug("JVNTA_0000042", out, sizeof(out)), KK_EINVAL);
	kk_adv_csaf_filename("JVNVU#12345678", out, sizeof(out));
	assert_string_equal(out, "jvnvu_12345678.json");
}

/* ---- the database ------------------------------------------------------------ */

struct mk {
	const char *kind, *json;
	size_t n;
	int64_t id;
	char ident[KK_ADV_IDENT_MAX];
	struct kk_diag d;
};

static int mk_tx(struct kk_db *db, void *arg)
{
	struct mk *m = arg;
	return kk_adv_create(db, &sys, m->kind, m->json, m->n, &m->id, m->ident, &m->d);
}

static void test_identifiers_unique(void **state)
{
	(void)state;
	struct kk_db *db = fresh("u-publish-ids.db");
	/* the same seed twice draws the same number: the second create must draw again */
	static const char *const kinds[] = {"JVN", "JVNVU", "JVNTA"};
	char seen[30][KK_ADV_IDENT_MAX];
	for (int i = 0; i < 30; i++) {
		struct mk m = {kinds[i % 3], NULL, 0, 0, "", {0}};
		kk_random_seed(7); /* every create starts from the same draw */
		assert_int_equal(kk_db_tx(db, mk_tx, &m), 0);
		assert_true(kk_adv_ident_valid(m.ident));
		assert_int_equal(strncmp(m.ident, kinds[i % 3], strlen(kinds[i % 3])), 0);
		for (int k = 0; k < i; k++)
			assert_string_not_equal(seen[k], m.ident);
		snprintf(seen[i], sizeof(seen[i]), "%s", m.ident);
	}
	struct mk m = {"JVNX", NULL, 0, 0, "", {0}};
	assert_int_equal(kk_db_tx(db, mk_tx, &m), KK_EINVAL);
	assert_string_equal(m.d.where, "kind");
	kk_db_close(db);
}

struct pub {
	int64_t id, at;
	const char *note;
	int rev;
	struct kk_diag d;
};

static int pub_tx(struct kk_db *db, void *arg)
{
	struct pub *p = arg;
	return kk_adv_publish(db, &sys, NULL, p->id, p->note, p->note, &p->rev, &p->d);
}

static int sched_tx(struct kk_db *db, void *arg)
{
	struct pub *p = arg;
	return kk_adv_schedule(db, &sys, p->id, p->at, NULL, NULL, &p->d);
}

static int pool_tx(struct kk_db *db, void *arg)
{
	struct kk_diag d;
	(void)arg;
	int rc = kk_cve_pool_add(db, "CVE-2027-10001", &d);
	if (!rc)
		rc = kk_cve_pool_add(db, "CVE-2027-10002", &d);
	if (!rc)
		rc = kk_cve_pool_add(db, "CVE-2027-10003", &d);
	return rc;
}

static int pool_dup_tx(struct kk_db *db, void *arg)
{
	return kk_cve_pool_add(db, "CVE-2027-10001", arg);
}

static int publish_job(struct kk_db *db, const struct kk_sched_job *j, int64_t now, struct kk_diag *d)
{
	(void)now;
	return kk_adv_job_publish(db, NULL, j, d);
}

static bool public_visible(struct kk_db *db, int64_t id)
{
	struct kk_arena a;
	struct kk_advisory adv;
	struct kk_diag d;
	kk_arena_init(&a, 0);
	int rc = kk_adv_get(db, id, true, &a, &adv, &d);
	kk_arena_release(&a);
	return rc == 0;
}

static int count_public(void *arg, const struct kk_adv_row *r)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static void test_schedule_publish_at_pinned_time(void **state)
{
	(void)state;
	struct kk_db *db = fresh("u-publish-sched.db");
	size_t n;
	char *s = full_doc(&n);
	struct mk m = {"JVNVU", s, n, 0, "", {0}};
	assert_int_equal(kk_db_tx(db, mk_tx, &m), 0);
	assert_int_equal(kk_db_tx(db, pool_tx, NULL), 0);
	struct kk_diag dd;
	assert_int_equal(kk_db_tx(db, pool_dup_tx, &dd), KK_EEXISTS);
	long free_n = 0, taken = 0;
	assert_int_equal(kk_cve_pool_level(db, &free_n, &taken), 0);
	assert_int_equal(free_n, 3);

	struct pub p = {m.id, T0 - 5, NULL, 0, {0}};
	assert_int_equal(kk_db_tx(db, sched_tx, &p), KK_EINVAL); /* in the past */
	p.at = T0 + 3600;
	assert_int_equal(kk_db_tx(db, sched_tx, &p), 0);

	static const struct kk_sched_handler h[] = {{KK_ADV_JOB, publish_job}};
	struct kk_sched_stats st;
	struct kk_diag d;
	/* one second before: nothing ran, nothing is public, no database record, no list entry */
	memset(&st, 0, sizeof(st));
	assert_int_equal(kk_sched_run(db, h, 1, T0 + 3599, 10, &st, &d), 0);
	assert_int_equal(st.ran, 0);
	kk_clock_pin(T0 + 3599);
	assert_false(public_visible(db, m.id));
	int64_t vid;
	assert_int_equal(kk_search_find(db, "CVE-2027-10001", &vid), KK_ENOTFOUND);
	int npub = 0;
	assert_int_equal(kk_adv_list(db, true, NULL, 0, count_public, &npub), 0);
	assert_int_equal(npub, 0);

	/* at the instant: published, CVEs from the pool, record in the database and search */
	kk_clock_pin(T0 + 3600);
	memset(&st, 0, sizeof(st));
	assert_int_equal(kk_sched_run(db, h, 1, T0 + 3600, 10, &st, &d), 0);
	assert_int_equal(st.ran, 1);
	assert_true(public_visible(db, m.id));
	assert_int_equal(kk_search_find(db, "CVE-2027-10001", &vid), 0);
	assert_int_equal(kk_search_find(db, "CVE-2027-10002", &vid), 0);
	assert_int_equal(kk_search_find(db, m.ident, &vid), 0);
	assert_int_equal(kk_cve_pool_level(db, &free_n, &taken), 0);
	assert_int_equal(free_n, 1);
	assert_int_equal(taken, 2);
	npub = 0;
	assert_int_equal(kk_adv_list(db, true, "JVNVU", 0, count_public, &npub), 1);

	struct kk_arena a;
	struct kk_advisory adv;
	kk_arena_init(&a, 0);
	assert_int_equal(kk_adv_get(db, m.id, true, &a, &adv, &d), 0);
	assert_int_equal(adv.rev, 1);
	assert_int_equal(adv.published_at, T0 + 3600);
	assert_non_null(adv.jvndb);
	assert_int_equal(strncmp(adv.jvndb, "KKDB-2027-", 10), 0);
	assert_string_equal(adv.doc.vulns[0].cve, "CVE-2027-10001");

	/* the forms: CVE JSON 5, CSAF and OSV parse as JSON and carry the ids */
	for (int f = 0; f < 3; f++) {
		struct kk_buf b = KK_BUF_INIT(0);
		struct kk_json j;
		kk_json_init(&j, &b);
		int rc = f == 0 ? kk_adv_cve5(&j, &adv, 1) : f == 1 ? kk_adv_csaf(&j, db, &adv) : kk_adv_osv(&j, &adv);
		assert_int_equal(rc, 0);
		json_error_t e;
		json_t *o = json_loads(b.ptr, 0, &e);
		assert_non_null(o);
		if (f == 0)
			assert_string_equal(json_string_value(json_object_get(json_object_get(o, "cveMetadata"), "cveId")),
					    "CVE-2027-10002");
		if (f == 1)
			assert_string_equal(json_string_value(json_object_get(
						json_object_get(json_object_get(o, "document"), "tracking"), "id")),
					    m.ident);
		if (f == 2)
			assert_int_equal(json_array_size(json_object_get(o, "affected")), 1); /* the npm package only */
		json_decref(o);
		kk_buf_release(&b);
	}
	kk_arena_release(&a);

	/* a change after publication: a new revision, with its note, only when published */
	kk_clock_pin(T0 + 7200);
	p.note = NULL;
	assert_int_equal(kk_db_tx(db, pub_tx, &p), KK_EINVAL); /* no history note */
	p.note = "Fixed versions updated";
	assert_int_equal(kk_db_tx(db, pub_tx, &p), 0);
	assert_int_equal(p.rev, 2);
	kk_arena_init(&a, 0);
	assert_int_equal(kk_adv_get(db, m.id, true, &a, &adv, &d), 0);
	assert_int_equal(adv.n_history, 2);
	assert_string_equal(adv.history[1].note_en, "Fixed versions updated");
	assert_int_equal(adv.published_at, T0 + 3600); /* first publication kept */
	assert_string_equal(adv.doc.vulns[0].cve, "CVE-2027-10001"); /* the same ids, not new ones */
	kk_arena_release(&a);
	assert_int_equal(kk_cve_pool_level(db, &free_n, &taken), 0);
	assert_int_equal(free_n, 1);
	kk_free(s);
	kk_db_close(db);
}

static void test_publish_refuses_incomplete_and_empty_pool(void **state)
{
	(void)state;
	struct kk_db *db = fresh("u-publish-incomplete.db");
	struct mk m = {"JVN", "{}", 2, 0, "", {0}};
	assert_int_equal(kk_db_tx(db, mk_tx, &m), 0);
	struct pub p = {m.id, 0, NULL, 0, {0}};
	assert_int_equal(kk_db_tx(db, pub_tx, &p), KK_EUNPROCESSABLE);
	assert_false(public_visible(db, m.id));
	/* complete, but no CVE id and an empty pool: refused, nothing public, nothing in the database */
	size_t n;
	char *s = full_doc(&n);
	struct mk m2 = {"JVN", s, n, 0, "", {0}};
	assert_int_equal(kk_db_tx(db, mk_tx, &m2), 0);
	p.id = m2.id;
	assert_int_equal(kk_db_tx(db, pub_tx, &p), KK_EUNPROCESSABLE);
	assert_non_null(strstr(p.d.msg, "the CVE pool is empty"));
	assert_null(strstr(p.d.msg, "keikai")); /* an API answer names no CLI command */
	assert_false(public_visible(db, m2.id));
	int64_t vid;
	assert_int_equal(kk_search_find(db, m2.ident, &vid), KK_ENOTFOUND);
	kk_free(s);
	kk_db_close(db);
}


static int party_tx(struct kk_db *db, void *arg)
{
	struct pub *p = arg;
	return kk_adv_party(db, &sys, p->id, p->note ? p->note : "psirt@acme.example", "Acme", false, &p->d);
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

/* Publication is all or nothing: fail the Nth allocation inside it, for every N, and nothing of it shows. */
static void test_publish_all_or_nothing(void **state)
{
	(void)state;
	struct kk_db *db = fresh("u-publish-atomic.db");
	size_t n;
	char *s = full_doc(&n);
	struct mk m = {"JVNVU", s, n, 0, "", {0}};
	assert_int_equal(kk_db_tx(db, mk_tx, &m), 0);
	assert_int_equal(kk_db_tx(db, pool_tx, NULL), 0);
	struct pub p = {m.id, 0, NULL, 0, {0}};
	p.note = "psirt acme@example.org";
	assert_int_equal(kk_db_tx(db, party_tx, &p), KK_EINVAL); /* not an address mail can use */
	assert_string_equal(p.d.where, "email");
	p.note = NULL;
	assert_int_equal(kk_db_tx(db, party_tx, &p), 0);
	int64_t mails0 = count(db, "SELECT count(*) FROM mail_outbox");
	int published = 0, failures = 0;
	for (long k = 0; k < 5000 && !published; k++) {
		kk_alloc_fail_after(k);
		int rc = kk_db_tx(db, pub_tx, &p);
		kk_alloc_fail_after(-1);
		if (rc == 0) {
			published = 1;
			break;
		}
		failures++;
		/* nothing of the failed attempt is left */
		assert_false(public_visible(db, m.id));
		assert_int_equal(count(db, "SELECT count(*) FROM advisory_rev"), 0);
		assert_int_equal(count(db, "SELECT count(*) FROM vuln"), 0);
		assert_int_equal(count(db, "SELECT count(*) FROM cve_pool WHERE taken_at IS NOT NULL"), 0);
		assert_int_equal(count(db, "SELECT count(*) FROM mail_outbox"), mails0);
	}
	assert_true(published);
	assert_true(failures > 10); /* the loop did reach inside the publication */
	assert_true(public_visible(db, m.id));
	assert_int_equal(count(db, "SELECT count(*) FROM vuln"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM mail_outbox"), mails0 + 1);
	kk_free(s);
	kk_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_full_round_trip),
	    cmocka_unit_test(test_parse_errors_name_the_field),
	    cmocka_unit_test(test_not_publishable_names_item),
	    cmocka_unit_test(test_identifiers),
	    cmocka_unit_test(test_identifiers_unique),
	    cmocka_unit_test(test_schedule_publish_at_pinned_time),
	    cmocka_unit_test(test_publish_refuses_incomplete_and_empty_pool),
	    cmocka_unit_test(test_publish_all_or_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * u-vulndb-dict.c — the vendor/product dictionary (MyJVN lines merged with
 * what records bring), the product index and its CPE / purl range
 * decisions, CISA KEV parsing, the CSV reader, and the search filters that
 * read them (vendor by name, cpe, purl, kev).
 */
#include "base/alloc.h"
#include "base/arena.h"
#include "base/err.h"
#include "store/db.h"
#include "store/migrate.h"
#include "testutil.h"
#include "vulndb/affected.h"
#include "vulndb/dict.h"
#include "vulndb/export.h"
#include "vulndb/import.h"
#include "vulndb/import_side.h"
#include "vulndb/record.h"
#include "vulndb/search.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct kk_db *db;
static char path[512];

/* ---- building records ---- */

struct rec {
	const char *id;
	int64_t modified;
	struct kk_vuln_cpe cpes[4];
	struct kk_vuln_pkg pkgs[4];
};

static int upsert_tx(struct kk_db *d, void *arg)
{
	const struct rec *r = arg;
	struct kk_arena a;
	struct kk_vuln_rec v;
	kk_arena_init(&a, 0);
	kk_vuln_rec_init(&v, &a);
	v.source = "test";
	v.format = "osv";
	v.source_id = r->id;
	v.modified = r->modified;
	v.published = 1700000000;
	assert_int_equal(kk_vuln_rec_alias(&v, r->id), 0);
	assert_int_equal(kk_vuln_rec_text(&v, "en", "title", r->id), 0);
	for (int i = 0; i < 4 && r->cpes[i].cpe23; i++)
		assert_int_equal(kk_vuln_rec_cpe(&v, &r->cpes[i]), 0);
	for (int i = 0; i < 4 && r->pkgs[i].ecosystem; i++)
		assert_int_equal(kk_vuln_rec_pkg(&v, &r->pkgs[i]), 0);
	memset(v.hash, 0, sizeof v.hash);
	snprintf((char *)v.hash, sizeof v.hash, "%s%lld", r->id, (long long)r->modified);
	int rc = kk_vuln_upsert(d, &v, NULL, NULL, 0);
	kk_arena_release(&a);
	return rc < 0 ? rc : 0;
}

static void upsert(const struct rec *r)
{
	assert_int_equal(kk_db_tx(db, upsert_tx, (void *)r), 0);
}

/* The source ids of the records of ids, sorted, space-separated. */
static const char *names(const struct kk_affect_ids *ids)
{
	static char out[1024];
	out[0] = 0;
	for (size_t i = 0; i < ids->n; i++) {
		struct kk_stmt *st;
		assert_int_equal(kk_db_prepare(db, "SELECT source_id FROM vuln_source WHERE vuln_id = ?", &st), 0);
		kk_stmt_bind_int64(st, 1, ids->v[i]);
		assert_int_equal(kk_stmt_step(st), KK_ROW);
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i ? " " : "", kk_stmt_text(st, 0));
		kk_stmt_done(st);
	}
	return out;
}

static const char *cpe(const char *name)
{
	struct kk_affect_ids ids = {0};
	struct kk_diag d = {0};
	int rc = kk_affect_match_cpe(db, name, &ids, &d);
	if (rc)
		fail_msg("%s: %s", name, d.msg);
	const char *s = names(&ids);
	kk_affect_ids_release(&ids);
	return s;
}

static const char *purl(const char *name)
{
	struct kk_affect_ids ids = {0};
	struct kk_diag d = {0};
	int rc = kk_affect_match_purl(db, name, &ids, &d);
	if (rc)
		fail_msg("%s: %s", name, d.msg);
	const char *s = names(&ids);
	kk_affect_ids_release(&ids);
	return s;
}

#define CPE(c, vuln) {.cpe23 = (c), .vulnerable = (vuln)}

static const struct rec R1 = {"T-1", 100,
                              {{.cpe23 = "cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*", .vulnerable = true,
                                .start_incl = "1.0", .end_excl = "2.0"},
                               CPE("cpe:2.3:a:acme:widget:3.1:*:*:*:*:*:*:*", true),
                               CPE("cpe:2.3:o:acme:os:*:*:*:*:*:*:*:*", false)},
                              {{0}}};
static const struct rec R2 = {"T-2", 100,
                              {{.cpe23 = "cpe:2.3:a:acme:widget:*:*:*:*:*:wordpress:*:*", .vulnerable = true,
                                .start_excl = "2.0", .end_incl = "2.5"}},
                              {{0}}};
static const struct rec R3 = {"T-3", 100, {CPE("cpe:2.3:a:acme:gadget:-:*:*:*:*:*:*:*", true)}, {{0}}};
static const struct rec R4 = {
    "T-4", 100, {{0}}, {{.ecosystem = "npm", .name = "@scope/pkg", .range_type = "SEMVER", .introduced = "0", .fixed = "1.2.3"}}};
static const struct rec R5 = {"T-5",
                              100,
                              {{0}},
                              {{.ecosystem = "PyPI",
                                .name = "Foo_Bar",
                                .range_type = "ECOSYSTEM",
                                .introduced = "2.0",
                                .last_affected = "2.1"}}};
static const struct rec R6 = {
    "T-6", 100, {{0}}, {{.ecosystem = "Go", .name = "golang.org/x/net", .range_type = "versions", .versions = "[\"0.1.0\",\"0.2.0\"]"}}};
static const struct rec R7 = {
    "T-7", 100, {{0}}, {{.ecosystem = "crates.io", .name = "smallvec", .range_type = "SEMVER", .introduced = "1.0.0", .limit = "1.5.0"}}};

static int setup(void **state)
{
	(void)state;
	snprintf(path, sizeof path, "%s/dict.db", tu_tmpdir());
	remove(path);
	struct kk_diag d = {0};
	assert_int_equal(kk_db_open(path, KK_DB_CREATE, &db), 0);
	assert_true(kk_migrate_run(db, path, NULL, NULL, NULL, &d) >= 0);
	const struct rec *all[] = {&R1, &R2, &R3, &R4, &R5, &R6, &R7};
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		upsert(all[i]);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kk_db_close(db);
	remove(path);
	return 0;
}

static void test_cpe_ranges(void **state)
{
	(void)state;
	assert_string_equal(cpe("cpe:2.3:a:acme:widget:1.0:*:*:*:*:*:*:*"), "T-1"); /* start including */
	assert_string_equal(cpe("cpe:2.3:a:acme:widget:1.5:*:*:*:*:*:*:*"), "T-1");
	assert_string_equal(cpe("cpe:2.3:a:acme:widget:0.9:*:*:*:*:*:*:*"), "");
	assert_string_equal(cpe("cpe:2.3:a:acme:widget:2.0:*:*:*:*:*:*:*"), ""); /* end and start excluding */
	assert_string_equal(cpe("cpe:2.3:a:acme:widget:2.2:*:*:*:*:*:*:*"), "T-2");
	assert_string_equal(cpe("cpe:2.3:a:acme:widget:2.5:*:*:*:*:*:*:*"), "T-2"); /* end including */
	assert_string_equal(cpe("cpe:2.3:a:acme:widget:2.6:*:*:*:*:*:*:*"), "");
	assert_string_equal(cpe("cpe:2.3:a:acme:widget:3.1:*:*:*:*:*:*:*"), "T-1"); /* exact version */
	assert_string_equal(cpe("cpe:2.3:a:acme:widget:3.2:*:*:*:*:*:*:*"), "");
	assert_string_equal(cpe("cpe:/a:acme:widget:1.5"), "T-1");                 /* 2.2 URI */
	assert_string_equal(cpe("cpe:2.3:a:acme:widget:1.5"), "T-1");              /* short 2.3 name */
	assert_string_equal(cpe("cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*"), "T-1 T-2"); /* the product */
	assert_string_equal(cpe("cpe:2.3:a:acme:widget:-:*:*:*:*:*:*:*"), "T-1 T-2");
	/* attributes after the version: a row for WordPress does not answer for Joomla */
	assert_string_equal(cpe("cpe:2.3:a:acme:widget:2.2:*:*:*:*:joomla:*:*"), "");
	assert_string_equal(cpe("cpe:2.3:a:acme:widget:2.2:*:*:*:*:wordpress:*:*"), "T-2");
	assert_string_equal(cpe("cpe:2.3:o:acme:widget:1.5:*:*:*:*:*:*:*"), ""); /* another part */
	assert_string_equal(cpe("cpe:2.3:o:acme:os:1.0:*:*:*:*:*:*:*"), "");     /* a platform only */
	assert_string_equal(cpe("cpe:2.3:a:acme:gadget:1.0:*:*:*:*:*:*:*"), ""); /* NA version row */
	assert_string_equal(cpe("cpe:2.3:a:acme:gadget"), "T-3");
	assert_string_equal(cpe("cpe:2.3:a:nobody:nothing:1.0"), "");
	struct kk_affect_ids ids = {0};
	struct kk_diag d = {0};
	assert_int_equal(kk_affect_match_cpe(db, "cpe:2.3:a:*:widget:1.0", &ids, &d), KK_EINVAL);
	assert_string_equal(d.where, "cpe");
	assert_int_equal(kk_affect_match_cpe(db, "not a cpe", &ids, &d), KK_EINVAL);
	assert_int_equal(kk_affect_match_cpe(db, "cpe:2.3:a:acme:widget:1.*", &ids, &d), KK_EINVAL);
	kk_affect_ids_release(&ids);
}

static void test_purl_ranges(void **state)
{
	(void)state;
	assert_string_equal(purl("pkg:npm/%40scope/pkg@1.2.2"), "T-4");
	assert_string_equal(purl("pkg:npm/%40scope/pkg@1.2.3"), ""); /* fixed */
	assert_string_equal(purl("pkg:npm/%40scope/pkg"), "T-4");
	assert_string_equal(purl("pkg:pypi/foo-bar@2.1"), "T-5"); /* PEP 503 name; last_affected included */
	assert_string_equal(purl("pkg:pypi/Foo_Bar@2.0"), "T-5");
	assert_string_equal(purl("pkg:pypi/foo-bar@2.1.1"), "");
	assert_string_equal(purl("pkg:pypi/foo-bar@1.9"), "");
	assert_string_equal(purl("pkg:golang/golang.org/x/net@v0.2.0"), "T-6"); /* listed versions */
	assert_string_equal(purl("pkg:golang/golang.org/x/net@0.3.0"), "");
	assert_string_equal(purl("pkg:cargo/smallvec@1.4.9"), "T-7");
	assert_string_equal(purl("pkg:cargo/smallvec@1.5.0"), ""); /* limit */
	assert_string_equal(purl("pkg:cargo/smallvec@0.9.0"), "");
	struct kk_affect_ids ids = {0};
	struct kk_diag d = {0};
	assert_int_equal(kk_affect_match_purl(db, "npm/lodash", &ids, &d), KK_EINVAL);
	assert_string_equal(d.where, "purl");
	kk_affect_ids_release(&ids);
}

static void test_pkg_keys(void **state)
{
	(void)state;
	static const char *const cases[][5] = {
	    {"Maven", "org.apache.logging.log4j:log4j-core", "maven", "org.apache.logging.log4j", "log4j-core"},
	    {"Debian:11", "openssl", "deb", "debian", "openssl"},
	    {"Go", "github.com/gin-gonic/gin", "golang", "github.com/gin-gonic", "gin"},
	    {"npm", "lodash", "npm", "", "lodash"},
	    {"crates.io", "smallvec", "cargo", "", "smallvec"},
	    {"PyPI", "Django_Foo", "pypi", "", "django-foo"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char buf[512];
		const char *t, *ns, *n;
		assert_int_equal(kk_affect_pkg_key(cases[i][0], cases[i][1], NULL, &t, &ns, &n, buf, sizeof buf), 0);
		assert_string_equal(t, cases[i][2]);
		assert_string_equal(ns, cases[i][3]);
		assert_string_equal(n, cases[i][4]);
	}
	char buf[512];
	const char *t, *ns, *n;
	assert_int_equal(kk_affect_pkg_key("npm", "x", "pkg:npm/%40babel/core@7.0.0", &t, &ns, &n, buf, sizeof buf), 0);
	assert_string_equal(ns, "@babel"); /* the purl wins */
	assert_string_equal(n, "core");
	assert_int_equal(kk_affect_pkg_key(NULL, NULL, NULL, &t, &ns, &n, buf, sizeof buf), KK_EINVAL);
}

static void test_replace_source(void **state)
{
	(void)state;
	struct rec r = R1;
	r.modified = 200;
	r.cpes[0].start_incl = "5.0";
	r.cpes[0].end_excl = "6.0";
	upsert(&r);
	assert_string_equal(cpe("cpe:2.3:a:acme:widget:1.5"), ""); /* the old range is gone */
	assert_string_equal(cpe("cpe:2.3:a:acme:widget:5.5"), "T-1");
	assert_string_equal(cpe("cpe:2.3:a:acme:widget:3.1"), "T-1");
}

/* ---- the dictionary ---- */

struct seen {
	char text[2048];
	int n;
};

static void on_report(void *arg, const char *file, const char *id, const struct kk_diag *d)
{
	struct seen *s = arg;
	snprintf(s->text + strlen(s->text), sizeof s->text - strlen(s->text), "%s: %s: %s: %s\n", file, id, d->where,
	         d->msg);
}

static const char dict_lines[] =
    "{\"vid\":\"2\",\"vname\":\"マイクロソフト\",\"vcpe\":\"cpe:/:microsoft\",\"pid\":\"24614\",\"pname\":\"Microsoft "
    "Edge\",\"pcpe\":\"cpe:/a:microsoft:edge\"}\n"
    "{\"vid\":\"9953\",\"vname\":\"Outlook.com\",\"vcpe\":\"cpe:/:microsoft\",\"pid\":\"9999\",\"pname\":\"Outlook."
    "com\",\"pcpe\":\"cpe:/a:microsoft:outlook.com\"}\n"
    "{\"vid\":\"8\",\"vname\":\"Apache Software Foundation\",\"vcpe\":\"cpe:/:apache\",\"pid\":\"28800\","
    "\"pname\":\"Apache Log4j\",\"pcpe\":\"cpe:/a:apache:log4j\"}\n"
    "{\"vid\":\"x\",\"vname\":\"A\",\"vcpe\":\"cpe:/:a\",\"pid\":\"4\",\"pname\":\"B\",\"pcpe\":\"cpe:/a:a:b\"}\n"
    "{\"vid\":\"3\",\"vname\":\"A\",\"vcpe\":\"cpe:/:a\",\"pid\":\"4\",\"pname\":\"B\",\"pcpe\":\"cpe:/o:emerson: "
    "roc800\"}\n"
    "{\"vid\":\"500\",\"vname\":\"アクメ\",\"vcpe\":\"cpe:/:acme\",\"pid\":\"501\",\"pname\":\"Widget\",\"pcpe\":"
    "\"cpe:/a:acme:widget\"}\n";

static void import_dict(struct kk_import *imp, struct seen *s)
{
	struct kk_import_opts o = {.report = on_report, .arg = s, .batch = 2};
	FILE *in = fmemopen((void *)dict_lines, sizeof dict_lines - 1, "r");
	assert_non_null(in);
	kk_import_init(imp, db, &o);
	assert_int_equal(kk_import_stream(imp, in, "dict.jsonl"), 0);
	assert_int_equal(kk_import_finish(imp), 0);
	fclose(in);
}

static int vendor_row(void *arg, const struct kk_dict_vendor *v)
{
	struct seen *s = arg;
	snprintf(s->text + strlen(s->text), sizeof s->text - strlen(s->text), "%s%lld:%s:%s", s->n++ ? " " : "",
	         (long long)v->jvn_vid, v->cpe_vendor ? v->cpe_vendor : "-",
	         kk_dict_display_name(v->name_ja, v->name_en, v->cpe_vendor, "ja"));
	return 0;
}

static int product_row(void *arg, const struct kk_dict_product *p)
{
	struct seen *s = arg;
	snprintf(s->text + strlen(s->text), sizeof s->text - strlen(s->text), "%s%lld:%s:%s:%s:%s", s->n++ ? " " : "",
	         (long long)p->jvn_pid, p->part ? p->part : "-", p->cpe_product ? p->cpe_product : "-",
	         p->name_en ? p->name_en : "-", p->vendor_name_ja ? p->vendor_name_ja : "-");
	return 0;
}

static const char *vendors(const struct kk_dict_query *q, long *total)
{
	static struct seen s;
	struct kk_diag d = {0};
	memset(&s, 0, sizeof s);
	int rc = kk_dict_vendors(db, q, vendor_row, &s, total, &d);
	if (rc)
		fail_msg("vendors: %s", d.msg);
	return s.text;
}

static const char *products(const struct kk_dict_query *q)
{
	static struct seen s;
	struct kk_diag d = {0};
	memset(&s, 0, sizeof s);
	int rc = kk_dict_products(db, q, product_row, &s, NULL, &d);
	if (rc)
		fail_msg("products: %s", d.msg);
	return s.text;
}

static void test_dictionary(void **state)
{
	(void)state;
	struct kk_import imp;
	struct seen s = {0};
	long before;
	assert_int_equal(kk_dict_counts(db, &before, NULL), 0);
	import_dict(&imp, &s);
	assert_int_equal(imp.added, 3);   /* edge, outlook.com, log4j */
	assert_int_equal(imp.updated, 1); /* acme:widget, made by a record, named by MyJVN */
	assert_int_equal(imp.skipped, 2);
	kk_import_release(&imp);
	assert_non_null(strstr(s.text, "dict.jsonl: #4: /vid: vid must be a MyJVN id"));
	assert_non_null(strstr(s.text, "dict.jsonl: #5: /pcpe: 'cpe:/o:emerson: roc800' is not a CPE 2.2 product"));
	/* idempotent */
	memset(&s, 0, sizeof s);
	import_dict(&imp, &s);
	assert_int_equal(imp.unchanged, 4);
	assert_int_equal(imp.added + imp.updated, 0);
	kk_import_release(&imp);
	long nv, np;
	assert_int_equal(kk_dict_counts(db, &nv, &np), 0);
	assert_int_equal(nv, before + 3); /* microsoft twice (two MyJVN vendors), apache; acme was there */

	long total;
	struct kk_dict_query q = {.keyword = "マイクロ"};
	assert_string_equal(vendors(&q, &total), "2:microsoft:マイクロソフト");
	q = (struct kk_dict_query){.keyword = "ＭＩＣＲＯＳＯＦＴ"}; /* full-width: the CPE vendor of both */
	assert_string_equal(vendors(&q, &total), "2:microsoft:マイクロソフト 9953:microsoft:Outlook.com");
	assert_int_equal(total, 2);
	q = (struct kk_dict_query){.prefix = "outlook"};
	assert_string_equal(vendors(&q, NULL), "9953:microsoft:Outlook.com");
	q = (struct kk_dict_query){.prefix = "soft"};
	assert_string_equal(vendors(&q, NULL), "");
	q = (struct kk_dict_query){.jvn_vid = 8};
	assert_string_equal(vendors(&q, NULL), "8:apache:Apache Software Foundation");
	q = (struct kk_dict_query){.cpe = "cpe:/a:acme:widget"};
	assert_string_equal(vendors(&q, NULL), "500:acme:アクメ"); /* the record's vendor, adopted */
	q = (struct kk_dict_query){.keyword = "microsoft", .limit = 1, .offset = 1};
	assert_string_equal(vendors(&q, &total), "9953:microsoft:Outlook.com");
	assert_int_equal(total, 2);
	q = (struct kk_dict_query){.limit = KK_DICT_LIMIT_MAX + 1};
	struct kk_diag d = {0};
	assert_int_equal(kk_dict_vendors(db, &q, vendor_row, &s, NULL, &d), KK_EINVAL);
	assert_string_equal(d.where, "limit");

	q = (struct kk_dict_query){.jvn_vid = 500};
	assert_string_equal(products(&q), "0:a:gadget:-:アクメ 0:o:os:-:アクメ 501:a:widget:Widget:アクメ");
	q = (struct kk_dict_query){.cpe = "microsoft:edge"};
	assert_string_equal(products(&q), "24614:a:edge:Microsoft Edge:マイクロソフト");
	q = (struct kk_dict_query){.keyword = "log4"};
	assert_string_equal(products(&q), "28800:a:log4j:Apache Log4j:-");
	memset(&s, 0, sizeof s);
	assert_int_equal(kk_dict_find_cpe(db, "cpe:2.3:a:acme:widget:1.0:*:*:*:*:*:*:*", product_row, &s, &d), 0);
	assert_string_equal(s.text, "501:a:widget:Widget:アクメ");
	assert_int_equal(kk_dict_find_cpe(db, "acme:nothing", product_row, &s, &d), KK_ENOTFOUND);
	assert_int_equal(kk_dict_find_cpe(db, "acme", product_row, &s, &d), KK_EINVAL);

	/* search's vendor= answers from the dictionary, by a Japanese name too */
	struct kk_search_query sq = {.vendor = "アクメ", .product = "Widget", .limit = 10};
	struct kk_search_result res;
	assert_int_equal(kk_search_run(db, &sq, NULL, NULL, &res, &d), 0);
	assert_int_equal(res.total, 2);
	sq = (struct kk_search_query){.cpe = "cpe:/a:acme:widget:2.2", .limit = 10};
	assert_int_equal(kk_search_run(db, &sq, NULL, NULL, &res, &d), 0);
	assert_int_equal(res.total, 1);
	sq = (struct kk_search_query){.cpe = "cpe:/a:acme:widget", .purl = "pkg:npm/%40scope/pkg", .limit = 10};
	assert_int_equal(kk_search_run(db, &sq, NULL, NULL, &res, &d), 0);
	assert_int_equal(res.total, 0); /* both filters: no record has both */
	sq = (struct kk_search_query){.purl = "pkg:npm/%40scope/pkg@1.0.0", .limit = 10};
	assert_int_equal(kk_search_run(db, &sq, NULL, NULL, &res, &d), 0);
	assert_int_equal(res.total, 1);
}

/* ---- KEV ---- */

static void test_kev(void **state)
{
	(void)state;
	struct kk_arena a;
	struct kk_kev_entry e;
	struct kk_diag d = {0};
	kk_arena_init(&a, 0);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:[s, s]}", "cveID", "CVE-2021-44228", "dateAdded", "2021-12-10",
	                      "dueDate", "2021-12-24", "knownRansomwareCampaignUse", "Known", "cwes", "CWE-20",
	                      "CWE-917");
	assert_int_equal(kk_kev_parse_json(o, &a, &e, &d), 0);
	assert_string_equal(e.cwes, "CWE-20 CWE-917");
	unsigned char h1[16];
	memcpy(h1, e.hash, 16);
	json_object_set_new(o, "dueDate", json_string("2021-12-25"));
	assert_int_equal(kk_kev_parse_json(o, &a, &e, &d), 0);
	assert_memory_not_equal(h1, e.hash, 16); /* any change is a change */
	json_object_set_new(o, "dateAdded", json_string("2021-13-01"));
	assert_int_equal(kk_kev_parse_json(o, &a, &e, &d), KK_EPARSE);
	assert_string_equal(d.where, "/dateAdded");
	json_object_set_new(o, "dateAdded", json_string("2021-12-10"));
	json_object_set_new(o, "cveID", json_string("GHSA-xxxx"));
	assert_int_equal(kk_kev_parse_json(o, &a, &e, &d), KK_EPARSE);
	assert_string_equal(d.where, "/cveID");
	json_decref(o);

	const char *names[] = {"cveID", "dateAdded", "cwes", "notes"};
	const char *vals[] = {"CVE-2023-47246", "2023-11-13", "CWE-22, CWE-23", ""};
	assert_int_equal(kk_kev_parse_csv(names, vals, 4, &a, &e, &d), 0);
	assert_string_equal(e.cwes, "CWE-22 CWE-23");
	assert_null(e.notes);
	/* stored: the kev filter finds the record through its alias */
	assert_int_equal(kk_db_exec(db, "INSERT INTO vuln_kev (cve, date_added, hash) VALUES ('T-3', '2024-01-01', x'00')",
	                            ""),
	                 1);
	struct kk_search_query sq = {.kev = true, .limit = 10};
	struct kk_search_result res;
	assert_int_equal(kk_search_run(db, &sq, NULL, NULL, &res, &d), 0);
	assert_int_equal(res.total, 1);
	kk_arena_release(&a);
}

static void test_csv(void **state)
{
	(void)state;
	static const char text[] = "a,\"b, \"\"c\"\"\",\"line\none\"\r\nx,,z\n\"open";
	FILE *f = fmemopen((void *)text, sizeof text - 1, "r");
	struct kk_arena a;
	kk_arena_init(&a, 0);
	char *fl[8];
	size_t n;
	long lines = 0;
	assert_int_equal(kk_csv_record(f, &a, fl, 8, &n, &lines), 1);
	assert_int_equal(n, 3);
	assert_string_equal(fl[1], "b, \"c\"");
	assert_string_equal(fl[2], "line\none");
	assert_int_equal(lines, 2);
	assert_int_equal(kk_csv_record(f, &a, fl, 8, &n, &lines), 1);
	assert_int_equal(n, 3);
	assert_string_equal(fl[1], "");
	assert_int_equal(kk_csv_record(f, &a, fl, 8, &n, &lines), KK_EPARSE); /* unterminated quote */
	assert_int_equal(kk_csv_record(f, &a, fl, 8, &n, &lines), 0);
	fclose(f);
	kk_arena_release(&a);
}

/* export walks every page: 7 records in pages of 2 come out once each */
static void test_export_pages(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct kk_search_query q = {.sort = KK_SORT_PUBLISHED};
	struct kk_export_opts o = {.format = KK_EXPORT_OSV, .page = 2};
	long written = 0, skipped = 0;
	struct kk_diag d = {0};
	assert_int_equal(kk_export_run(db, &q, &o, out, &written, &skipped, &d), 0);
	fclose(out);
	assert_int_equal(written, 7);
	int lines = 0;
	for (int i = 1; i <= 7; i++) {
		char want[64];
		snprintf(want, sizeof want, "\"aliases\":[\"T-%d\"]", i);
		assert_non_null(strstr(buf, want));
	}
	for (char *p = buf; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 7);
	free(buf); /* open_memstream allocates with malloc */
	o.format = KK_EXPORT_CVE5;
	out = fopen("/dev/null", "w");
	assert_int_equal(kk_export_run(db, &q, &o, out, &written, &skipped, &d), 0);
	fclose(out);
	assert_int_equal(written + skipped, 7);
	assert_int_equal(skipped, 7); /* no CVE ids */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_cpe_ranges, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_purl_ranges, setup, teardown),
	    cmocka_unit_test(test_pkg_keys),
	    cmocka_unit_test_setup_teardown(test_replace_source, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dictionary, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_kev, setup, teardown),
	    cmocka_unit_test(test_csv),
	    cmocka_unit_test_setup_teardown(test_export_pages, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

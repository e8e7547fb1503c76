/*
 * export.c — `keikai export`: walks every page of a search and writes each
 * record as JSON Lines in the API's record form, CVE JSON 5.1 or OSV.
 */
#include "vulndb/export.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "store/db.h"
#include "vulndb/jget.h"
#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int kk_export_format_parse(const char *s, enum kk_export_format *out)
{
	if (!s)
		return KK_EINVAL;
	if (!strcmp(s, "jsonl"))
		*out = KK_EXPORT_JSONL;
	else if (!strcmp(s, "cve5"))
		*out = KK_EXPORT_CVE5;
	else if (!strcmp(s, "osv"))
		*out = KK_EXPORT_OSV;
	else
		return KK_EINVAL;
	return 0;
}

/* ---- reading one record ---- */

static const char *col(struct kk_stmt *st, int c)
{
	return kk_stmt_is_null(st, c) ? NULL : kk_stmt_text(st, c);
}

static int prep(struct kk_db *db, const char *sql, int64_t id, struct kk_stmt **st)
{
	int rc = kk_db_prepare(db, sql, st);
	if (!rc)
		kk_stmt_bind_int64(*st, 1, id);
	return rc;
}

void kk_export_iso(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || tm.tm_year + 1900 < 1 || tm.tm_year + 1900 > 9999) {
		snprintf(out, n, "1970-01-01T00:00:00Z");
		return;
	}
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	         tm.tm_min, tm.tm_sec);
}

/* CVE 5 times: the schema wants years from 1970 (a source's "0001-01-01" becomes 1970-01-01). */
static void iso(int64_t t, char *out, size_t n)
{
	kk_export_iso(t > 0 ? t : 0, out, n);
}

/* The first CVE id among the record's aliases into cve; false when none. */
static int first_cve(struct kk_db *db, int64_t id, char *cve, size_t n)
{
	struct kk_stmt *st;
	KK_TRY(prep(db, "SELECT alias FROM vuln_alias WHERE vuln_id = ? AND alias LIKE 'CVE-%' ORDER BY alias", id,
	            &st));
	int rc, found = 0;
	while (!found && (rc = kk_stmt_step(st)) == KK_ROW)
		if (kk_jget_is_cve_id(kk_stmt_text(st, 0))) {
			snprintf(cve, n, "%s", kk_stmt_text(st, 0));
			found = 1;
		}
	kk_stmt_done(st);
	return found ? 1 : rc < 0 ? rc : 0;
}

struct head {
	char jvndb[32];
	int64_t published, modified;
	bool withdrawn;      /* rejected or withdrawn (schema 0025) */
	int64_t withdrawn_at; /* when; 0 when not stated */
	char reason[4096];    /* why; "" when not stated */
};

static int head(struct kk_db *db, int64_t id, struct head *h)
{
	struct kk_stmt *st;
	KK_TRY(prep(db, "SELECT jvndb, published, modified, withdrawn, withdrawn_at, withdrawn_reason FROM vuln WHERE id = ?",
	            id, &st));
	int rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		snprintf(h->jvndb, sizeof h->jvndb, "%s", kk_stmt_text(st, 0));
		h->published = kk_stmt_int64(st, 1);
		h->modified = kk_stmt_int64(st, 2);
		h->withdrawn = kk_stmt_int64(st, 3);
		h->withdrawn_at = kk_stmt_int64(st, 4);
		snprintf(h->reason, sizeof h->reason, "%s", kk_stmt_text(st, 5));
	}
	kk_stmt_done(st);
	return rc == KK_ROW ? 0 : rc < 0 ? rc : KK_ENOTFOUND;
}

/* Writes at most max bytes of s, cut on a character boundary. */
static void str_max(struct kk_json *j, const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	kk_json_strn(j, s, n);
}

/* ---- CVE 5 ---- */

/* CVE 5 collectionURL of an OSV ecosystem, or NULL. */
static const char *collection_url(const char *eco)
{
	static const char *const map[][2] = {
	    {"Go", "https://pkg.go.dev"},          {"npm", "https://www.npmjs.com"},
	    {"PyPI", "https://pypi.org"},          {"Maven", "https://repo.maven.apache.org/maven2"},
	    {"crates.io", "https://crates.io"},    {"RubyGems", "https://rubygems.org"},
	    {"NuGet", "https://www.nuget.org"},    {"Packagist", "https://packagist.org"},
	    {"Hex", "https://hex.pm"},             {"Pub", "https://pub.dev"},
	};
	size_t n = strcspn(eco, ":");
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (strlen(map[i][0]) == n && !strncmp(map[i][0], eco, n))
			return map[i][1];
	return NULL;
}

/*
 * The record's distinct CPE names by vendor:product, read beside the entries
 * (both statements sort by vendor, product): names_add writes those of one
 * entry into jc, skipping any of a vendor:product that has no entry.
 */
struct names {
	struct kk_stmt *st;
	int rc; /* of the last step: KK_ROW while a row is waiting */
};

static int names_add(struct names *nm, const char *vendor, const char *product, struct kk_json *jc)
{
	for (; nm->rc == KK_ROW; nm->rc = kk_stmt_step(nm->st)) {
		int c = strcmp(kk_stmt_text(nm->st, 0), vendor);
		if (!c)
			c = strcmp(kk_stmt_text(nm->st, 1), product);
		if (c > 0)
			break;
		if (!c)
			kk_json_str(jc, kk_stmt_text(nm->st, 2));
	}
	return nm->rc < 0 ? nm->rc : 0;
}

/*
 * CPE rows of the record as affected entries, one per vendor:product. The
 * schema wants an entry's versions and cpes unique: rows come sorted by what
 * their version entry will say, so equal ones are neighbours (Windows 10
 * 1703 and 1709, x86 and x64, all "10.0.0 < publication"), and the names
 * are read DISTINCT.
 */
#define RANGE "coalesce(start_incl, start_excl, end_excl, end_incl)" /* NULL: no range */
static int cve5_cpe(struct kk_db *db, int64_t id, struct kk_json *j, int *n)
{
	struct kk_stmt *st;
	KK_TRY(prep(db,
	            "SELECT vendor, product, version, start_incl, start_excl, end_incl, end_excl FROM vuln_cpe "
	            "WHERE vuln_id = ? AND vulnerable = 1 AND negate = 0 AND vendor IS NOT NULL AND product IS NOT "
	            "NULL ORDER BY vendor, product, " RANGE " IS NULL, CASE WHEN " RANGE " IS NULL THEN "
	            "coalesce(version, '') END, coalesce(start_incl, start_excl, '0'), coalesce(end_excl, end_incl, "
	            "'*'), end_excl IS NULL, id",
	            id, &st));
	struct names nm;
	int rc = prep(db,
	              "SELECT DISTINCT vendor, product, cpe23 FROM vuln_cpe WHERE vuln_id = ? AND vulnerable = 1 AND "
	              "negate = 0 AND vendor IS NOT NULL AND product IS NOT NULL AND cpe23 IS NOT NULL "
	              "ORDER BY vendor, product, cpe23",
	              id, &nm.st);
	if (rc) {
		kk_stmt_done(st);
		return rc;
	}
	nm.rc = kk_stmt_step(nm.st);
	char cur[512] = "";
	int nver = 0, any = 0;
	struct kk_buf cpes = KK_BUF_INIT(1 << 20), vers = KK_BUF_INIT(8 << 20);
	struct kk_json jc, jv;
	/* closes the entry being built: cpes, versions or defaultStatus */
#define CLOSE_ENTRY()                                                                                        \
	do {                                                                                                 \
		if (cur[0]) {                                                                                \
			kk_json_arr_close(&jc);                                                              \
			if (cpes.len > 2) {                                                                  \
				kk_json_key(j, "cpes");                                                      \
				kk_json_raw(j, cpes.ptr, cpes.len);                                          \
			}                                                                                    \
			if (any || !nver)                                                                    \
				kk_json_kv_str(j, "defaultStatus", any ? "affected" : "unknown");           \
			if (nver) {                                                                          \
				kk_json_arr_close(&jv);                                                      \
				kk_json_key(j, "versions");                                                  \
				kk_json_raw(j, vers.ptr, vers.len);                                          \
			}                                                                                    \
			kk_json_obj_close(j);                                                                \
		}                                                                                            \
	} while (0)
	char last_ver[1024] = "";
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		const char *v = col(st, 0), *p = col(st, 1), *ver = col(st, 2);
		const char *si = col(st, 3), *se = col(st, 4), *ei = col(st, 5), *ee = col(st, 6);
		char key[512];
		snprintf(key, sizeof key, "%s\x1f%s", v, p);
		if (strcmp(key, cur)) {
			CLOSE_ENTRY();
			snprintf(cur, sizeof cur, "%s", key);
			kk_json_obj_open(j);
			kk_json_key(j, "vendor");
			str_max(j, v, 512);
			kk_json_key(j, "product");
			str_max(j, p, 2048);
			kk_buf_reset(&cpes);
			kk_buf_reset(&vers);
			kk_json_init(&jc, &cpes);
			kk_json_init(&jv, &vers);
			kk_json_arr_open(&jc);
			kk_json_arr_open(&jv);
			nver = any = 0;
			last_ver[0] = 0;
			++*n;
			if ((rc = names_add(&nm, v, p, &jc)) < 0)
				break;
		}
		char vk[1024];
		const char *lo = si ? si : se, *hi = ee ? ee : ei;
		if (lo || hi) /* what the entry will say, as the statement sorts it */
			snprintf(vk, sizeof vk, "\x01%s|%s|%s", lo ? lo : "0", hi ? hi : "*", ee ? "<" : "<=");
		else
			snprintf(vk, sizeof vk, "%s", ver ? ver : "");
		if (!strcmp(vk, last_ver))
			continue; /* versions must be unique */
		snprintf(last_ver, sizeof last_ver, "%s", vk);
		if (lo || hi) {
			kk_json_obj_open(&jv);
			kk_json_kv_str(&jv, "version", lo ? lo : "0");
			kk_json_kv_str(&jv, ee ? "lessThan" : "lessThanOrEqual", hi ? hi : "*");
			kk_json_kv_str(&jv, "status", "affected");
			kk_json_kv_str(&jv, "versionType", "custom");
			kk_json_obj_close(&jv);
			nver++;
		} else if (ver && strcmp(ver, "*") && strcmp(ver, "-")) {
			kk_json_obj_open(&jv);
			kk_json_key(&jv, "version");
			str_max(&jv, ver, 1024);
			kk_json_kv_str(&jv, "status", "affected");
			kk_json_obj_close(&jv);
			nver++;
		} else {
			any = 1; /* every version */
		}
	}
	CLOSE_ENTRY();
#undef CLOSE_ENTRY
#undef RANGE
	kk_stmt_done(st);
	kk_stmt_done(nm.st);
	int err = kk_buf_error(&cpes) || kk_buf_error(&vers) ? KK_ETOOBIG : 0;
	kk_buf_release(&cpes);
	kk_buf_release(&vers);
	return rc < 0 ? rc : err;
}

/* Package rows as affected entries, one per row (ranges and listed versions). */
static int cve5_pkg(struct kk_db *db, int64_t id, struct kk_json *j, int *n)
{
	struct kk_stmt *st;
	KK_TRY(prep(db,
	            "SELECT ecosystem, name, range_type, introduced, fixed, last_affected, versions FROM vuln_pkg "
	            "WHERE vuln_id = ? ORDER BY id",
	            id, &st));
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		const char *eco = col(st, 0), *name = col(st, 1), *type = col(st, 2);
		const char *intro = col(st, 3), *fixed = col(st, 4), *last = col(st, 5), *list = col(st, 6);
		const char *url = collection_url(eco);
		kk_json_obj_open(j);
		if (url) {
			kk_json_kv_str(j, "collectionURL", url);
			kk_json_key(j, "packageName");
			str_max(j, name, 2048);
		} else {
			kk_json_key(j, "vendor");
			str_max(j, eco, 512);
			kk_json_key(j, "product");
			str_max(j, name, 2048);
		}
		int nv = 0;
		if (type && !strcmp(type, "versions") && list) {
			json_t *a = json_loads(list, 0, NULL);
			size_t i;
			json_t *e;
			json_array_foreach(a, i, e)
			{
				if (!json_is_string(e) || !*json_string_value(e))
					continue;
				if (!nv++) {
					kk_json_key(j, "versions");
					kk_json_arr_open(j);
				}
				kk_json_obj_open(j);
				kk_json_key(j, "version");
				str_max(j, json_string_value(e), 1024);
				kk_json_kv_str(j, "status", "affected");
				kk_json_obj_close(j);
			}
			json_decref(a);
		} else if (type && strcmp(type, "versions")) {
			kk_json_key(j, "versions");
			kk_json_arr_open(j);
			kk_json_obj_open(j);
			kk_json_kv_str(j, "version", intro && *intro ? intro : "0");
			kk_json_kv_str(j, fixed || !last ? "lessThan" : "lessThanOrEqual",
			               fixed ? fixed : last ? last : "*");
			kk_json_kv_str(j, "status", "affected");
			char vt[32];
			size_t k = 0;
			for (const char *c = strcmp(type, "ECOSYSTEM") ? type : eco; *c && *c != ':' && k + 1 < sizeof vt; c++)
				if (isalnum((unsigned char)*c))
					vt[k++] = (char)tolower((unsigned char)*c);
			vt[k] = 0;
			kk_json_kv_str(j, "versionType", k ? vt : "custom");
			kk_json_obj_close(j);
			nv = 1;
		}
		if (nv)
			kk_json_arr_close(j);
		else
			kk_json_kv_str(j, "defaultStatus", "unknown");
		kk_json_obj_close(j);
		++*n;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* A CVSS vector without the parentheses some v2 sources put round it. */
static void plain_vector(const char *in, char *out, size_t n)
{
	snprintf(out, n, "%s", in[0] == '(' ? in + 1 : in);
	if (in[0] == '(')
		out[strcspn(out, ")")] = 0;
}

static const char *sev_upper(int s)
{
	static const char *const n[] = {"NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"};
	return s >= 0 && s < 5 ? n[s] : "NONE";
}

static int cve5_metrics(struct kk_db *db, int64_t id, struct kk_json *j)
{
	struct kk_stmt *st;
	KK_TRY(prep(db,
	            "SELECT version, vector, max(score), max(severity) FROM vuln_cvss WHERE vuln_id = ? AND score IS "
	            "NOT NULL GROUP BY version, vector ORDER BY version DESC, vector",
	            id, &st));
	int rc, n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		const char *ver = kk_stmt_text(st, 0);
		const char *key = !strcmp(ver, "4.0")   ? "cvssV4_0"
		                  : !strcmp(ver, "3.1") ? "cvssV3_1"
		                  : !strcmp(ver, "3.0") ? "cvssV3_0"
		                                        : "cvssV2_0";
		char vec[256];
		plain_vector(kk_stmt_text(st, 1), vec, sizeof vec);
		if (!n++) {
			kk_json_key(j, "metrics");
			kk_json_arr_open(j);
		}
		kk_json_obj_open(j);
		kk_json_key(j, key);
		kk_json_obj_open(j);
		kk_json_kv_str(j, "version", ver);
		kk_json_kv_str(j, "vectorString", vec);
		kk_json_key(j, "baseScore");
		kk_json_fixed(j, kk_stmt_double(st, 2), 1);
		if (strcmp(ver, "2.0"))
			kk_json_kv_str(j, "baseSeverity", sev_upper((int)kk_stmt_int64(st, 3)));
		kk_json_obj_close(j);
		kk_json_obj_close(j);
	}
	kk_stmt_done(st);
	if (n)
		kk_json_arr_close(j);
	return rc < 0 ? rc : 0;
}

/* texts of kinds IN (...) as [{lang, value}], English first; *n counts them, *en the English ones. */
static int cve5_descriptions(struct kk_db *db, int64_t id, struct kk_json *j, const char *jvndb)
{
	struct kk_stmt *st;
	KK_TRY(prep(db,
	            "SELECT lang, text FROM vuln_text WHERE vuln_id = ? AND kind IN ('overview', 'description') "
	            "GROUP BY lang, text ORDER BY lang <> 'en', lang, min(id)",
	            id, &st));
	int rc, en = 0;
	kk_json_key(j, "descriptions");
	kk_json_arr_open(j);
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		const char *lang = kk_stmt_text(st, 0), *text = kk_stmt_text(st, 1);
		if (!*text || strlen(lang) > 8)
			continue;
		en += !strcmp(lang, "en");
		kk_json_obj_open(j);
		kk_json_kv_str(j, "lang", lang);
		kk_json_key(j, "value");
		str_max(j, text, 4096);
		kk_json_obj_close(j);
	}
	kk_stmt_done(st);
	if (!en) { /* CVE 5 needs an English description; say plainly there is none */
		char msg[160];
		snprintf(msg, sizeof msg, "%s: the sources give no English description of this vulnerability.", jvndb);
		kk_json_obj_open(j);
		kk_json_kv_str(j, "lang", "en");
		kk_json_kv_str(j, "value", msg);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	return rc < 0 ? rc : 0;
}

static int cve5_record(struct kk_db *db, int64_t id, const char *org, struct kk_json *j, bool *skip)
{
	struct head h;
	char cve[64], t1[40], t2[40];
	int rc = first_cve(db, id, cve, sizeof cve);
	if (rc <= 0) {
		*skip = true;
		return rc;
	}
	KK_TRY(head(db, id, &h));
	iso(h.published, t1, sizeof t1);
	iso(h.modified ? h.modified : h.published, t2, sizeof t2);
	kk_json_obj_open(j);
	kk_json_kv_str(j, "dataType", "CVE_RECORD");
	kk_json_kv_str(j, "dataVersion", "5.1");
	kk_json_key(j, "cveMetadata");
	kk_json_obj_open(j);
	kk_json_kv_str(j, "cveId", cve);
	kk_json_kv_str(j, "assignerOrgId", org);
	kk_json_kv_str(j, "state", h.withdrawn ? "REJECTED" : "PUBLISHED");
	if (h.published)
		kk_json_kv_str(j, "datePublished", t1);
	if (h.withdrawn && h.withdrawn_at) {
		kk_json_kv_str(j, "dateUpdated", t2);
		iso(h.withdrawn_at, t2, sizeof t2);
		kk_json_kv_str(j, "dateRejected", t2);
	} else if (h.withdrawn)
		kk_json_kv_str(j, "dateRejected", t2);
	else
		kk_json_kv_str(j, "dateUpdated", t2);
	kk_json_obj_close(j);
	kk_json_key(j, "containers");
	kk_json_obj_open(j);
	kk_json_key(j, "cna");
	kk_json_obj_open(j);
	kk_json_key(j, "providerMetadata");
	kk_json_obj_open(j);
	kk_json_kv_str(j, "orgId", org);
	kk_json_kv_str(j, "shortName", "keikai");
	kk_json_obj_close(j);
	if (h.withdrawn) {
		kk_json_key(j, "rejectedReasons");
		kk_json_arr_open(j);
		kk_json_obj_open(j);
		kk_json_kv_str(j, "lang", "en");
		kk_json_key(j, "value");
		str_max(j, h.reason[0] ? h.reason : "The CVE authority rejected this record.", 3990);
		kk_json_obj_close(j);
		kk_json_arr_close(j);
		kk_json_obj_close(j);
		kk_json_obj_close(j);
		kk_json_obj_close(j);
		return 0;
	}
	struct kk_stmt *st;
	KK_TRY(prep(db,
	            "SELECT text FROM vuln_text WHERE vuln_id = ? AND kind = 'title' ORDER BY lang <> 'en', id LIMIT 1",
	            id, &st));
	if ((rc = kk_stmt_step(st)) == KK_ROW && *kk_stmt_text(st, 0)) {
		kk_json_key(j, "title");
		str_max(j, kk_stmt_text(st, 0), 256);
	}
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	KK_TRY(cve5_descriptions(db, id, j, h.jvndb));
	int n = 0;
	kk_json_key(j, "affected");
	kk_json_arr_open(j);
	KK_TRY(cve5_cpe(db, id, j, &n));
	KK_TRY(cve5_pkg(db, id, j, &n));
	if (!n) { /* CVE 5 needs one entry: the sources name no product */
		kk_json_obj_open(j);
		kk_json_kv_str(j, "vendor", "n/a");
		kk_json_kv_str(j, "product", "n/a");
		kk_json_kv_str(j, "defaultStatus", "unknown");
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	/* problem types */
	KK_TRY(prep(db, "SELECT DISTINCT cwe FROM vuln_cwe WHERE vuln_id = ? AND cwe > 0 ORDER BY cwe", id, &st));
	n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		char cwe[32];
		snprintf(cwe, sizeof cwe, "CWE-%lld", (long long)kk_stmt_int64(st, 0));
		if (!n++) {
			kk_json_key(j, "problemTypes");
			kk_json_arr_open(j);
		}
		kk_json_obj_open(j);
		kk_json_key(j, "descriptions");
		kk_json_arr_open(j);
		kk_json_obj_open(j);
		kk_json_kv_str(j, "lang", "en");
		kk_json_kv_str(j, "description", cwe);
		kk_json_kv_str(j, "cweId", cwe);
		kk_json_kv_str(j, "type", "CWE");
		kk_json_obj_close(j);
		kk_json_arr_close(j);
		kk_json_obj_close(j);
	}
	kk_stmt_done(st);
	if (n)
		kk_json_arr_close(j);
	if (rc < 0)
		return rc;
	KK_TRY(cve5_metrics(db, id, j));
	/* references: unique URLs, at most 512; the CVE record itself when the sources give none */
	KK_TRY(prep(db,
	            "SELECT url FROM vuln_ref WHERE vuln_id = ? AND url LIKE '%:%' GROUP BY url ORDER BY min(id) "
	            "LIMIT 512",
	            id, &st));
	kk_json_key(j, "references");
	kk_json_arr_open(j);
	n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		const char *u = kk_stmt_text(st, 0);
		if (strlen(u) > 2048 || strchr(u, ' '))
			continue;
		kk_json_obj_open(j);
		kk_json_kv_str(j, "url", u);
		kk_json_obj_close(j);
		n++;
	}
	kk_stmt_done(st);
	if (!n) {
		char u[128];
		snprintf(u, sizeof u, "https://www.cve.org/CVERecord?id=%s", cve);
		kk_json_obj_open(j);
		kk_json_kv_str(j, "url", u);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_obj_close(j); /* cna */
	kk_json_obj_close(j); /* containers */
	kk_json_obj_close(j);
	return rc < 0 ? rc : 0;
}

/* ---- OSV ---- */

/* OSV reference type from NVD tags or an OSV type. */
static const char *osv_ref_type(const char *t)
{
	static const char *const osv[] = {"ADVISORY", "ARTICLE",    "DETECTION", "DISCUSSION", "REPORT", "FIX",
	                                  "INTRODUCED", "GIT",      "PACKAGE",   "EVIDENCE",   "WEB"};
	if (!t)
		return "WEB";
	for (size_t i = 0; i < sizeof osv / sizeof *osv; i++)
		if (!strcmp(t, osv[i]))
			return osv[i];
	if (strstr(t, "Patch"))
		return "FIX";
	if (strstr(t, "Advisory"))
		return "ADVISORY";
	if (strstr(t, "Exploit"))
		return "EVIDENCE";
	if (strstr(t, "Issue Tracking"))
		return "REPORT";
	if (strstr(t, "Mailing List"))
		return "DISCUSSION";
	return "WEB";
}

/* Writes the package entry being built (ranges and versions gathered in rb / vb). */
static void osv_flush(struct kk_json *j, struct kk_json *jr, struct kk_buf *rb, struct kk_json *jv, struct kk_buf *vb,
                      int nr, int nv)
{
	kk_json_arr_close(jr);
	kk_json_arr_close(jv);
	if (nr) {
		kk_json_key(j, "ranges");
		kk_json_raw(j, rb->ptr, rb->len);
	}
	if (nv) {
		kk_json_key(j, "versions");
		kk_json_raw(j, vb->ptr, vb->len);
	}
	kk_json_obj_close(j);
}

static void osv_event(struct kk_json *j, const char *kind, const char *v)
{
	kk_json_obj_open(j);
	kk_json_kv_str(j, kind, v);
	kk_json_obj_close(j);
}

/* prep with ?2 = src: the statement's rows of that source only, or of every source when src is 0. */
static int prep_src(struct kk_db *db, const char *sql, int64_t id, int64_t src, struct kk_stmt **st)
{
	int rc = prep(db, sql, id, st);
	if (!rc)
		kk_stmt_bind_int64(*st, 2, src);
	return rc;
}

static int osv_affected(struct kk_db *db, int64_t id, int64_t src, struct kk_json *j)
{
	struct kk_stmt *st;
	KK_TRY(prep_src(db,
	                "SELECT ecosystem, name, purl, range_type, introduced, fixed, last_affected, range_limit, "
	                "versions FROM vuln_pkg WHERE vuln_id = ?1 AND (?2 = 0 OR src = ?2) AND range_type <> 'GIT' "
	                "ORDER BY ecosystem, name, coalesce(purl, ''), id",
	                id, src, &st));
	int rc, n = 0, nr = 0, nv = 0;
	char cur[1024] = "";
	struct kk_buf rb = KK_BUF_INIT(8 << 20), vb = KK_BUF_INIT(8 << 20);
	struct kk_json jr, jv;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		const char *eco = col(st, 0), *name = col(st, 1), *purl = col(st, 2), *type = col(st, 3);
		char key[1024];
		snprintf(key, sizeof key, "%s\x1f%s\x1f%s", eco, name, purl ? purl : "");
		if (strcmp(key, cur)) {
			if (n++)
				osv_flush(j, &jr, &rb, &jv, &vb, nr, nv);
			else {
				kk_json_key(j, "affected");
				kk_json_arr_open(j);
			}
			snprintf(cur, sizeof cur, "%s", key);
			kk_json_obj_open(j);
			kk_json_key(j, "package");
			kk_json_obj_open(j);
			kk_json_kv_str(j, "ecosystem", eco);
			kk_json_kv_str(j, "name", name);
			if (purl)
				kk_json_kv_str(j, "purl", purl);
			kk_json_obj_close(j);
			kk_buf_reset(&rb);
			kk_buf_reset(&vb);
			kk_json_init(&jr, &rb);
			kk_json_init(&jv, &vb);
			kk_json_arr_open(&jr);
			kk_json_arr_open(&jv);
			nr = nv = 0;
		}
		if (!strcmp(type, "versions")) {
			json_t *a = col(st, 8) ? json_loads(col(st, 8), 0, NULL) : NULL;
			size_t i;
			json_t *e;
			json_array_foreach(a, i, e) if (json_is_string(e))
			{
				kk_json_str(&jv, json_string_value(e));
				nv++;
			}
			json_decref(a);
			continue;
		}
		const char *intro = col(st, 4), *fixed = col(st, 5), *last = col(st, 6), *lim = col(st, 7);
		kk_json_obj_open(&jr);
		kk_json_kv_str(&jr, "type", strcmp(type, "SEMVER") ? "ECOSYSTEM" : "SEMVER");
		kk_json_key(&jr, "events");
		kk_json_arr_open(&jr);
		osv_event(&jr, "introduced", intro && *intro ? intro : "0");
		if (fixed)
			osv_event(&jr, "fixed", fixed);
		else if (last)
			osv_event(&jr, "last_affected", last);
		if (lim)
			osv_event(&jr, "limit", lim);
		kk_json_arr_close(&jr);
		kk_json_obj_close(&jr);
		nr++;
	}
	if (n) {
		osv_flush(j, &jr, &rb, &jv, &vb, nr, nv);
		kk_json_arr_close(j);
	}
	kk_stmt_done(st);
	int err = kk_buf_error(&rb) || kk_buf_error(&vb) ? KK_ETOOBIG : 0;
	kk_buf_release(&rb);
	kk_buf_release(&vb);
	return rc < 0 ? rc : err;
}

int kk_export_osv_json(struct kk_db *db, int64_t id, const char *osv_id, int64_t src, struct kk_json *j)
{
	struct head h;
	char t[40], oid[128];
	struct kk_stmt *st;
	int rc;
	KK_TRY(head(db, id, &h));
	if (src) { /* the source's own dates and state */
		KK_TRY(prep_src(db, "SELECT published, modified, withdrawn FROM vuln_source WHERE vuln_id = ?1 AND id = ?2",
		                id, src, &st));
		if ((rc = kk_stmt_step(st)) == KK_ROW) {
			h.published = kk_stmt_int64(st, 0);
			h.modified = kk_stmt_int64(st, 1);
			h.withdrawn = kk_stmt_int64(st, 2) != 0;
		}
		kk_stmt_done(st);
		if (rc < 0)
			return rc;
	}
	if (osv_id)
		snprintf(oid, sizeof oid, "%s", osv_id);
	else
		snprintf(oid, sizeof oid, "x_%s", h.jvndb);
	kk_json_obj_open(j);
	kk_json_kv_str(j, "schema_version", "1.6.0");
	kk_json_kv_str(j, "id", oid);
	kk_export_iso(h.modified ? h.modified : h.published, t, sizeof t);
	kk_json_kv_str(j, "modified", t);
	if (h.published) {
		kk_export_iso(h.published, t, sizeof t);
		kk_json_kv_str(j, "published", t);
	}
	if (h.withdrawn) {
		kk_export_iso(h.withdrawn_at ? h.withdrawn_at : h.modified ? h.modified : h.published, t, sizeof t);
		kk_json_kv_str(j, "withdrawn", t);
	}
	KK_TRY(prep(db, "SELECT alias FROM vuln_alias WHERE vuln_id = ? ORDER BY alias", id, &st));
	kk_json_key(j, "aliases");
	kk_json_arr_open(j);
	while ((rc = kk_stmt_step(st)) == KK_ROW)
		if (strcmp(kk_stmt_text(st, 0), h.jvndb) && strcmp(kk_stmt_text(st, 0), oid))
			kk_json_str(j, kk_stmt_text(st, 0));
	kk_stmt_done(st);
	kk_json_arr_close(j);
	if (rc < 0)
		return rc;
	static const char *const kinds[2][2] = {{"summary", "title"}, {"details", "description"}};
	for (int k = 0; k < 2; k++) {
		KK_TRY(prep_src(db,
		                k ? "SELECT text FROM vuln_text WHERE vuln_id = ?1 AND (?2 = 0 OR src = ?2) AND kind IN "
		                    "('description', 'overview') ORDER BY lang <> 'en', kind <> 'description', id LIMIT 1"
		                  : "SELECT text FROM vuln_text WHERE vuln_id = ?1 AND (?2 = 0 OR src = ?2) AND kind = "
		                    "'title' ORDER BY lang <> 'en', id LIMIT 1",
		                id, src, &st));
		if ((rc = kk_stmt_step(st)) == KK_ROW && *kk_stmt_text(st, 0))
			kk_json_kv_str(j, kinds[k][0], kk_stmt_text(st, 0));
		kk_stmt_done(st);
		if (rc < 0)
			return rc;
	}
	KK_TRY(prep_src(db,
	                "SELECT version, vector FROM vuln_cvss WHERE vuln_id = ?1 AND (?2 = 0 OR src = ?2) GROUP BY "
	                "version, vector ORDER BY version DESC, vector",
	                id, src, &st));
	int n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		const char *ver = kk_stmt_text(st, 0);
		char vec[256];
		plain_vector(kk_stmt_text(st, 1), vec, sizeof vec);
		if (!n++) {
			kk_json_key(j, "severity");
			kk_json_arr_open(j);
		}
		kk_json_obj_open(j);
		kk_json_kv_str(j, "type", ver[0] == '4' ? "CVSS_V4" : ver[0] == '3' ? "CVSS_V3" : "CVSS_V2");
		kk_json_kv_str(j, "score", vec);
		kk_json_obj_close(j);
	}
	kk_stmt_done(st);
	if (n)
		kk_json_arr_close(j);
	if (rc < 0)
		return rc;
	KK_TRY(osv_affected(db, id, src, j));
	KK_TRY(prep_src(db,
	                "SELECT url, min(type) FROM vuln_ref WHERE vuln_id = ?1 AND (?2 = 0 OR src = ?2) GROUP BY url "
	                "ORDER BY min(id)",
	                id, src, &st));
	n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		if (!n++) {
			kk_json_key(j, "references");
			kk_json_arr_open(j);
		}
		kk_json_obj_open(j);
		kk_json_kv_str(j, "type", osv_ref_type(col(st, 1)));
		kk_json_kv_str(j, "url", kk_stmt_text(st, 0));
		kk_json_obj_close(j);
	}
	kk_stmt_done(st);
	if (n)
		kk_json_arr_close(j);
	kk_json_key(j, "database_specific");
	kk_json_obj_open(j);
	kk_json_kv_str(j, "jvndb", h.jvndb);
	kk_json_obj_close(j);
	kk_json_obj_close(j);
	return rc < 0 ? rc : 0;
}

/* ---- the walk ---- */

struct page {
	int64_t ids[KK_SEARCH_LIMIT_MAX];
	int n;
};

static int collect(void *arg, const struct kk_search_hit *h)
{
	struct page *p = arg;
	if (p->n < KK_SEARCH_LIMIT_MAX)
		p->ids[p->n++] = h->id;
	return 0;
}

/* A version 4 UUID (the form CVE 5 requires). */
static bool uuid4(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx";
	if (!s || strlen(s) != sizeof shape - 1)
		return false;
	for (size_t i = 0; shape[i]; i++) {
		char c = s[i];
		if (shape[i] == '-' || shape[i] == '4') {
			if (c != shape[i])
				return false;
		} else if (!isxdigit((unsigned char)c) || (shape[i] == 'y' && !strchr("89abAB", c))) {
			return false;
		}
	}
	return true;
}

int kk_export_run(struct kk_db *db, const struct kk_search_query *q, const struct kk_export_opts *o, FILE *out,
                  long *written, long *skipped, struct kk_diag *d)
{
	struct kk_search_query pq = *q;
	const char *org = o->org_id ? o->org_id : KK_EXPORT_ORG_ID;
	char cursor[KK_SEARCH_CURSOR_MAX] = "";
	long nw = 0, ns = 0;
	if (o->format == KK_EXPORT_CVE5 && !uuid4(org))
		return kk_diag_set(d, KK_EINVAL, "org-id",
		                   "the org id must be a version 4 UUID such as 6dda929c-bb53-4a77-a76d-48e79601a1ce");
	pq.limit = o->page > 0 && o->page < KK_SEARCH_LIMIT_MAX ? o->page : KK_SEARCH_LIMIT_MAX;
	pq.no_facets = true;
	struct page *pg = kk_malloc(sizeof *pg);
	struct kk_buf b = KK_BUF_INIT(64u << 20);
	if (!pg)
		return KK_ENOMEM;
	int rc = 0;
	for (;;) {
		struct kk_search_result res;
		pg->n = 0;
		pq.cursor = cursor[0] ? cursor : NULL;
		if ((rc = kk_search_run(db, &pq, collect, pg, &res, d)) < 0)
			break;
		for (int i = 0; i < pg->n && rc >= 0; i++) {
			struct kk_json j;
			bool skip = false;
			kk_buf_reset(&b);
			kk_json_init(&j, &b);
			if (o->format == KK_EXPORT_JSONL)
				rc = kk_search_record_json(db, pg->ids[i], &j, NULL);
			else if (o->format == KK_EXPORT_CVE5)
				rc = cve5_record(db, pg->ids[i], org, &j, &skip);
			else
				rc = kk_export_osv_json(db, pg->ids[i], NULL, 0, &j);
			if (rc < 0)
				break;
			if (skip) {
				ns++;
				continue;
			}
			if (kk_json_error(&j) || kk_buf_error(&b)) {
				rc = KK_ETOOBIG;
				break;
			}
			if (fwrite(b.ptr, 1, b.len, out) != b.len || putc('\n', out) == EOF) {
				rc = KK_EIO;
				break;
			}
			nw++;
		}
		if (rc < 0 || !res.next_cursor[0])
			break;
		snprintf(cursor, sizeof cursor, "%s", res.next_cursor);
	}
	kk_buf_release(&b);
	kk_free(pg);
	if (written)
		*written = nw;
	if (skipped)
		*skipped = ns;
	if (rc >= 0 && fflush(out))
		rc = KK_EIO;
	return rc < 0 ? rc : 0;
}

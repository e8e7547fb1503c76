/*
 * formats.c — CVE JSON 5.1, CSAF 2.0 and OSV forms of an advisory, and the
 * CSAF provider metadata and directory listings (formats.h).
 */
#include "base/clock.h"
#include "publish/formats.h"
#include "publish/internal.h"
#include "store/db.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CNA_ORG_ID "ede6fdc4-6654-4307-a26d-3331c018e2ce" /* JPCERT/CC's CVE Program organization id */
#define CNA_SHORT_NAME "jpcert"
#define PUBLISHER_NAME "JPCERT/CC"

const char *kk_adv_base_url(void)
{
	static char url[256];
	const char *s = getenv("KEIKAI_BASE_URL");
	snprintf(url, sizeof(url), "%s", s && *s ? s : "http://127.0.0.1:8080");
	size_t n = strlen(url);
	while (n && url[n - 1] == '/')
		url[--n] = 0;
	return url;
}

void kk_adv_url(const char *ident, const char *lang, char *out, size_t n)
{
	char slug[KK_ADV_IDENT_MAX];
	kk_adv_ident_slug(ident, slug, sizeof(slug));
	snprintf(out, n, "%s/jvn/%s%s", kk_adv_base_url(), slug, strcmp(lang, "en") ? "" : "/en");
}

/* OSV ecosystem of a purl type, NULL when OSV has none. */
const char *pub_osv_ecosystem(const char *purl)
{
	static const char *const map[][2] = {
	    {"npm", "npm"},	 {"pypi", "PyPI"},	{"maven", "Maven"},	  {"golang", "Go"},
	    {"cargo", "crates.io"}, {"gem", "RubyGems"}, {"nuget", "NuGet"},	  {"composer", "Packagist"},
	    {"hex", "Hex"},	 {"pub", "Pub"},	{"deb", "Debian"},	  {"apk", "Alpine"},
	    {"hackage", "Hackage"}, {"cran", "CRAN"},	{"swift", "SwiftURL"}, {"conan", "ConanCenter"},
	};
	if (!purl || strncmp(purl, "pkg:", 4))
		return NULL;
	const char *t = purl + 4, *e = strchr(t, '/');
	size_t n = e ? (size_t)(e - t) : strlen(t);
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strlen(map[i][0]) == n && !strncasecmp(t, map[i][0], n))
			return map[i][1];
	return NULL;
}

/* The package name OSV uses for a purl: namespace/name (Maven: namespace:name). */
const char *pub_osv_name(const char *purl, struct kk_arena *a)
{
	const char *t = strchr(purl + 4, '/');
	if (!t)
		return NULL;
	t++;
	size_t n = strcspn(t, "?#@");
	char *s = kk_arena_strndup(a, t, n);
	if (s && !strncasecmp(purl + 4, "maven/", 6)) {
		char *slash = strrchr(s, '/');
		if (slash)
			*slash = ':';
	}
	return s;
}

void kk_adv_csaf_filename(const char *ident, char *out, size_t n)
{
	size_t i = 0;
	for (; ident[i] && i + 6 < n; i++) {
		unsigned char c = (unsigned char)tolower((unsigned char)ident[i]);
		out[i] = (isalnum(c) || c == '+' || c == '-') ? (char)c : '_';
	}
	snprintf(out + i, n - i, ".json");
}

static void iso(int64_t t, char *out)
{
	kk_time_iso(t, out, 32);
}

static const char *scheme_of(const struct kk_adv_product *p)
{
	return p->scheme ? p->scheme : "generic";
}

/* "credits": CVE JSON 5 ({lang, value, type finder}) or OSV ({name, type FINDER}); nothing when none. */
static void credits(struct kk_json *j, const struct kk_adv *doc, bool cve5)
{
	if (!doc->n_credits)
		return;
	kk_json_key(j, "credits");
	kk_json_arr_open(j);
	for (size_t i = 0; i < doc->n_credits; i++) {
		kk_json_obj_open(j);
		if (cve5)
			kk_json_kv_str(j, "lang", "en");
		kk_json_kv_str(j, cve5 ? "value" : "name", doc->credits[i]);
		kk_json_kv_str(j, "type", cve5 ? "finder" : "FINDER");
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
}

/* ---- CVE JSON 5.1 ----------------------------------------------------------------- */

static void cvss_obj(struct kk_json *j, const char *key, const char *version, const char *vec, double score,
		     const char *sev)
{
	kk_json_obj_open(j);
	kk_json_kv_str(j, "format", "CVSS");
	kk_json_key(j, key);
	kk_json_obj_open(j);
	kk_json_kv_str(j, "version", version);
	kk_json_kv_str(j, "vectorString", vec);
	kk_json_key(j, "baseScore");
	kk_json_fixed(j, score, 1);
	kk_json_kv_str(j, "baseSeverity", sev);
	kk_json_obj_close(j);
	kk_json_obj_close(j);
}

int kk_adv_cve5(struct kk_json *j, const struct kk_advisory *adv, size_t idx)
{
	const struct kk_adv *doc = &adv->doc;
	if (idx >= doc->n_vulns || !doc->vulns[idx].cve)
		return KK_EINVAL;
	const struct kk_adv_vuln *v = &doc->vulns[idx];
	char pub[32], upd[32], url[256];
	struct kk_arena a;
	kk_arena_init(&a, 0);
	iso(adv->published_at, pub);
	iso(adv->rev_at, upd);
	kk_json_obj_open(j);
	kk_json_kv_str(j, "dataType", "CVE_RECORD");
	kk_json_kv_str(j, "dataVersion", "5.1");
	kk_json_key(j, "cveMetadata");
	kk_json_obj_open(j);
	kk_json_kv_str(j, "cveId", v->cve);
	kk_json_kv_str(j, "assignerOrgId", CNA_ORG_ID);
	kk_json_kv_str(j, "assignerShortName", CNA_SHORT_NAME);
	kk_json_kv_str(j, "state", "PUBLISHED");
	kk_json_kv_str(j, "datePublished", pub);
	kk_json_kv_str(j, "dateUpdated", upd);
	kk_json_obj_close(j);
	kk_json_key(j, "containers");
	kk_json_obj_open(j);
	kk_json_key(j, "cna");
	kk_json_obj_open(j);
	kk_json_key(j, "providerMetadata");
	kk_json_obj_open(j);
	kk_json_kv_str(j, "orgId", CNA_ORG_ID);
	kk_json_kv_str(j, "shortName", CNA_SHORT_NAME);
	kk_json_kv_str(j, "dateUpdated", upd);
	kk_json_obj_close(j);
	const char *title = v->title.en ? v->title.en : kk_adv_title(doc, "en", &a);
	if (title)
		kk_json_kv_str(j, "title", title);
	kk_json_key(j, "descriptions");
	kk_json_arr_open(j);
	static const char *const langs[] = {"en", "ja"};
	for (int l = 0; l < 2; l++) {
		const char *d = l ? doc->description.ja : doc->description.en;
		if (!d && !l)
			d = pub_text(&doc->overview, "en");
		if (!d || !*d)
			continue;
		kk_json_obj_open(j);
		kk_json_kv_str(j, "lang", langs[l]);
		kk_json_kv_str(j, "value", d);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_key(j, "affected");
	kk_json_arr_open(j);
	for (size_t i = 0; i < doc->n_products; i++) {
		const struct kk_adv_product *p = &doc->products[i];
		kk_json_obj_open(j);
		kk_json_kv_str(j, "vendor", p->vendor);
		kk_json_kv_str(j, "product", p->product);
		if (p->cpe) {
			kk_json_key(j, "cpes");
			kk_json_arr_open(j);
			kk_json_str(j, p->cpe);
			kk_json_arr_close(j);
		}
		const char *hi = p->fixed ? p->fixed : p->last_affected;
		if (p->introduced || hi) {
			kk_json_key(j, "versions");
			kk_json_arr_open(j);
			kk_json_obj_open(j);
			kk_json_kv_str(j, "version", p->introduced ? p->introduced : "0");
			kk_json_kv_str(j, "status", "affected");
			if (hi) {
				kk_json_kv_str(j, p->fixed ? "lessThan" : "lessThanOrEqual", hi);
				kk_json_kv_str(j, "versionType", !strcmp(scheme_of(p), "generic") ? "custom" : scheme_of(p));
			}
			kk_json_obj_close(j);
			kk_json_arr_close(j);
			kk_json_kv_str(j, "defaultStatus", "unaffected");
		} else {
			kk_json_kv_str(j, "defaultStatus", "affected");
		}
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	if (v->cwe) {
		kk_json_key(j, "problemTypes");
		kk_json_arr_open(j);
		kk_json_obj_open(j);
		kk_json_key(j, "descriptions");
		kk_json_arr_open(j);
		kk_json_obj_open(j);
		char cwe[24];
		snprintf(cwe, sizeof(cwe), "CWE-%d", v->cwe);
		kk_json_kv_str(j, "lang", "en");
		kk_json_kv_str(j, "description", cwe);
		kk_json_kv_str(j, "cweId", cwe);
		kk_json_kv_str(j, "type", "CWE");
		kk_json_obj_close(j);
		kk_json_arr_close(j);
		kk_json_obj_close(j);
		kk_json_arr_close(j);
	}
	if (v->cvss31 || v->cvss40) {
		kk_json_key(j, "metrics");
		kk_json_arr_open(j);
		if (v->cvss31)
			cvss_obj(j, "cvssV3_1", "3.1", v->cvss31, v->score31, v->severity31);
		if (v->cvss40)
			cvss_obj(j, "cvssV4_0", "4.0", v->cvss40, v->score40, v->severity40);
		kk_json_arr_close(j);
	}
	kk_json_key(j, "references");
	kk_json_arr_open(j);
	kk_json_obj_open(j);
	kk_adv_url(adv->ident, "en", url, sizeof(url));
	kk_json_kv_str(j, "url", url);
	kk_json_kv_str(j, "name", adv->ident);
	kk_json_key(j, "tags");
	kk_json_arr_open(j);
	kk_json_str(j, "third-party-advisory");
	kk_json_arr_close(j);
	kk_json_obj_close(j);
	for (size_t i = 0; i < doc->n_refs; i++) {
		kk_json_obj_open(j);
		kk_json_kv_str(j, "url", doc->refs[i].url);
		if (doc->refs[i].title)
			kk_json_kv_str(j, "name", doc->refs[i].title);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	credits(j, doc, true);
	kk_json_obj_close(j); /* cna */
	kk_json_obj_close(j); /* containers */
	kk_json_obj_close(j);
	kk_arena_release(&a);
	return kk_json_error(j);
}

/* ---- CSAF 2.0 ------------------------------------------------------------------------ */

static void note(struct kk_json *j, const char *category, const char *title, const char *text)
{
	if (!text || !*text)
		return;
	kk_json_obj_open(j);
	kk_json_kv_str(j, "category", category);
	kk_json_kv_str(j, "text", text);
	if (title)
		kk_json_kv_str(j, "title", title);
	kk_json_obj_close(j);
}

/* The vendor status of p's vendor, NULL when the table does not name it. */
static const char *vendor_status(const struct kk_adv *doc, const struct kk_adv_product *p)
{
	for (size_t i = 0; i < doc->n_vendors; i++)
		if (!strcmp(doc->vendors[i].vendor, p->vendor))
			return doc->vendors[i].status;
	return NULL;
}

/* vers: range of p ("vers:semver/>=1.0.0|<1.2.3"). */
static const char *vers_range(const struct kk_adv_product *p, struct kk_arena *a)
{
	const char *sch = scheme_of(p);
	bool lo = p->introduced && strcmp(p->introduced, "0");
	const char *hi = p->fixed ? p->fixed : p->last_affected;
	if (!lo && !hi)
		return kk_arena_printf(a, "vers:%s/*", sch);
	return kk_arena_printf(a, "vers:%s/%s%s%s%s%s", sch, lo ? ">=" : "", lo ? p->introduced : "", lo && hi ? "|" : "",
			       hi ? (p->fixed ? "<" : "<=") : "", hi ? hi : "");
}

static void product_branch(struct kk_json *j, const char *category, const char *name, const char *pid,
			   const char *full_name, const struct kk_adv_product *p)
{
	kk_json_obj_open(j);
	kk_json_kv_str(j, "category", category);
	kk_json_kv_str(j, "name", name);
	kk_json_key(j, "product");
	kk_json_obj_open(j);
	kk_json_kv_str(j, "name", full_name);
	kk_json_kv_str(j, "product_id", pid);
	if (p->cpe || p->purl) {
		kk_json_key(j, "product_identification_helper");
		kk_json_obj_open(j);
		if (p->cpe)
			kk_json_kv_str(j, "cpe", p->cpe);
		if (p->purl)
			kk_json_kv_str(j, "purl", p->purl);
		kk_json_obj_close(j);
	}
	kk_json_obj_close(j);
	kk_json_obj_close(j);
}

/* Product ids by status: affected (range ids), fixed (fixed-version ids), not affected, under investigation. */
static void status_ids(struct kk_json *j, const struct kk_adv *doc, const char *which)
{
	kk_json_arr_open(j);
	for (size_t i = 0; i < doc->n_products; i++) {
		const char *vs = vendor_status(doc, &doc->products[i]);
		char pid[40];
		snprintf(pid, sizeof(pid), "CSAFPID-%04zu", i + 1);
		bool not_aff = vs && !strcmp(vs, "not_affected"), inv = vs && !strcmp(vs, "under_investigation");
		if (!strcmp(which, "fixed") && doc->products[i].fixed && !not_aff) {
			snprintf(pid, sizeof(pid), "CSAFPID-%04zu-FIXED", i + 1);
			kk_json_str(j, pid);
		} else if ((!strcmp(which, "known_affected") && !not_aff && !inv) ||
			   (!strcmp(which, "known_not_affected") && not_aff) ||
			   (!strcmp(which, "under_investigation") && inv))
			kk_json_str(j, pid);
	}
	kk_json_arr_close(j);
}

static bool has_status(const struct kk_adv *doc, const char *which)
{
	for (size_t i = 0; i < doc->n_products; i++) {
		const char *vs = vendor_status(doc, &doc->products[i]);
		bool not_aff = vs && !strcmp(vs, "not_affected"), inv = vs && !strcmp(vs, "under_investigation");
		if ((!strcmp(which, "fixed") && doc->products[i].fixed && !not_aff) ||
		    (!strcmp(which, "known_affected") && !not_aff && !inv) ||
		    (!strcmp(which, "known_not_affected") && not_aff) || (!strcmp(which, "under_investigation") && inv))
			return true;
	}
	return false;
}

const char *kk_adv_cwe_name(struct kk_db *db, int cwe, struct kk_arena *a)
{
	struct kk_stmt *st;
	const char *name = NULL;
	if (!db || kk_db_prepare(db, "SELECT name FROM cwe WHERE id = ?", &st))
		return NULL;
	kk_stmt_bind_int64(st, 1, cwe);
	if (kk_stmt_step(st) == KK_ROW)
		name = kk_arena_strdup(a, kk_stmt_text(st, 0));
	kk_stmt_done(st);
	return name;
}

int kk_adv_csaf(struct kk_json *j, struct kk_db *db, const struct kk_advisory *adv)
{
	const struct kk_adv *doc = &adv->doc;
	struct kk_arena a;
	char t[32], url[256];
	kk_arena_init(&a, 0);
	kk_json_obj_open(j);
	kk_json_key(j, "document");
	kk_json_obj_open(j);
	if (doc->n_credits) {
		kk_json_key(j, "acknowledgments");
		kk_json_arr_open(j);
		kk_json_obj_open(j);
		kk_json_key(j, "names");
		kk_json_arr_open(j);
		for (size_t i = 0; i < doc->n_credits; i++)
			kk_json_str(j, doc->credits[i]);
		kk_json_arr_close(j);
		kk_json_obj_close(j);
		kk_json_arr_close(j);
	}
	kk_json_kv_str(j, "category", "csaf_security_advisory");
	kk_json_kv_str(j, "csaf_version", "2.0");
	kk_json_key(j, "distribution");
	kk_json_obj_open(j);
	kk_json_key(j, "tlp");
	kk_json_obj_open(j);
	kk_json_kv_str(j, "label", "WHITE");
	kk_json_kv_str(j, "url", "https://www.first.org/tlp/");
	kk_json_obj_close(j);
	kk_json_obj_close(j);
	kk_json_kv_str(j, "lang", "en");
	kk_json_key(j, "notes");
	kk_json_arr_open(j);
	note(j, "summary", "Overview", doc->overview.en);
	note(j, "description", "Description", doc->description.en);
	note(j, "details", "Impact", doc->threat.en);
	note(j, "general", "Checking the version in use", doc->version_check.en);
	note(j, "other", "Contact", doc->contact.en);
	kk_json_arr_close(j);
	kk_json_key(j, "publisher");
	kk_json_obj_open(j);
	kk_json_kv_str(j, "category", "coordinator");
	kk_json_kv_str(j, "name", PUBLISHER_NAME);
	kk_json_kv_str(j, "namespace", kk_adv_base_url());
	kk_json_obj_close(j);
	kk_json_key(j, "references");
	kk_json_arr_open(j);
	kk_json_obj_open(j);
	kk_json_kv_str(j, "category", "self");
	kk_json_kv_str(j, "summary", adv->ident);
	kk_adv_url(adv->ident, "en", url, sizeof(url));
	kk_json_kv_str(j, "url", url);
	kk_json_obj_close(j);
	for (size_t i = 0; i < doc->n_refs; i++) {
		kk_json_obj_open(j);
		kk_json_kv_str(j, "category", "external");
		kk_json_kv_str(j, "summary", doc->refs[i].title ? doc->refs[i].title : doc->refs[i].url);
		kk_json_kv_str(j, "url", doc->refs[i].url);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	const char *title = kk_adv_title(doc, "en", &a);
	kk_json_kv_str(j, "title", kk_arena_printf(&a, "%s: %s", adv->ident, title ? title : ""));
	kk_json_key(j, "tracking");
	kk_json_obj_open(j);
	iso(adv->rev_at, t);
	kk_json_kv_str(j, "current_release_date", t);
	kk_json_key(j, "generator");
	kk_json_obj_open(j);
	kk_json_key(j, "engine");
	kk_json_obj_open(j);
	kk_json_kv_str(j, "name", "keikai");
	kk_json_obj_close(j);
	kk_json_obj_close(j);
	kk_json_kv_str(j, "id", adv->ident);
	iso(adv->published_at ? adv->published_at : adv->rev_at, t);
	kk_json_kv_str(j, "initial_release_date", t);
	kk_json_key(j, "revision_history");
	kk_json_arr_open(j);
	bool current_listed = false;
	for (size_t i = 0; i < adv->n_history && adv->history[i].rev <= adv->rev; i++) {
		const struct kk_adv_history *h = &adv->history[i];
		kk_json_obj_open(j);
		iso(h->at, t);
		kk_json_kv_str(j, "date", t);
		kk_json_kv_str(j, "number", kk_arena_printf(&a, "%d", h->rev));
		kk_json_kv_str(j, "summary", h->note_en && *h->note_en ? h->note_en : h->rev == 1 ? "Initial release" : "Updated");
		kk_json_obj_close(j);
		current_listed |= h->rev == adv->rev;
	}
	if (!current_listed) { /* a preview: the revision as it will be published */
		kk_json_obj_open(j);
		iso(adv->rev_at, t);
		kk_json_kv_str(j, "date", t);
		kk_json_kv_str(j, "number", kk_arena_printf(&a, "%d", adv->rev));
		kk_json_kv_str(j, "summary", adv->rev == 1 ? "Initial release" : "Updated");
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_kv_str(j, "status", "final");
	kk_json_kv_str(j, "version", kk_arena_printf(&a, "%d", adv->rev));
	kk_json_obj_close(j); /* tracking */
	kk_json_obj_close(j); /* document */

	kk_json_key(j, "product_tree");
	kk_json_obj_open(j);
	kk_json_key(j, "branches");
	kk_json_arr_open(j);
	for (size_t i = 0; i < doc->n_products; i++) {
		const struct kk_adv_product *p = &doc->products[i];
		char pid[40];
		kk_json_obj_open(j);
		kk_json_kv_str(j, "category", "vendor");
		kk_json_kv_str(j, "name", p->vendor);
		kk_json_key(j, "branches");
		kk_json_arr_open(j);
		kk_json_obj_open(j);
		kk_json_kv_str(j, "category", "product_name");
		kk_json_kv_str(j, "name", p->product);
		kk_json_key(j, "branches");
		kk_json_arr_open(j);
		const char *range = vers_range(p, &a);
		snprintf(pid, sizeof(pid), "CSAFPID-%04zu", i + 1);
		product_branch(j, "product_version_range", range, pid,
			       kk_arena_printf(&a, "%s %s %s", p->vendor, p->product, range), p);
		if (p->fixed) {
			snprintf(pid, sizeof(pid), "CSAFPID-%04zu-FIXED", i + 1);
			product_branch(j, "product_version", p->fixed, pid,
				       kk_arena_printf(&a, "%s %s %s", p->vendor, p->product, p->fixed), p);
		}
		kk_json_arr_close(j);
		kk_json_obj_close(j);
		kk_json_arr_close(j);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_obj_close(j);

	kk_json_key(j, "vulnerabilities");
	kk_json_arr_open(j);
	static const char *const sts[] = {"fixed", "known_affected", "known_not_affected", "under_investigation"};
	for (size_t i = 0; i < doc->n_vulns; i++) {
		const struct kk_adv_vuln *v = &doc->vulns[i];
		kk_json_obj_open(j);
		if (v->cve)
			kk_json_kv_str(j, "cve", v->cve);
		const char *cn = v->cwe ? kk_adv_cwe_name(db, v->cwe, &a) : NULL;
		if (cn) {
			kk_json_key(j, "cwe");
			kk_json_obj_open(j);
			kk_json_kv_str(j, "id", kk_arena_printf(&a, "CWE-%d", v->cwe));
			kk_json_kv_str(j, "name", cn);
			kk_json_obj_close(j);
		}
		kk_json_key(j, "notes");
		kk_json_arr_open(j);
		note(j, "description", "Vulnerability description",
		     v->title.en ? v->title.en : pub_text(&doc->description, "en"));
		kk_json_arr_close(j);
		kk_json_key(j, "product_status");
		kk_json_obj_open(j);
		for (size_t s = 0; s < 4; s++)
			if (has_status(doc, sts[s])) {
				kk_json_key(j, sts[s]);
				status_ids(j, doc, sts[s]);
			}
		kk_json_obj_close(j);
		if (has_status(doc, "known_affected") && (doc->fix.en || doc->workaround.en)) {
			kk_json_key(j, "remediations");
			kk_json_arr_open(j);
			for (int r = 0; r < 2; r++) {
				const char *det = r ? doc->workaround.en : doc->fix.en;
				if (!det)
					continue;
				kk_json_obj_open(j);
				kk_json_kv_str(j, "category", r ? "workaround" : "vendor_fix");
				kk_json_kv_str(j, "details", det);
				kk_json_key(j, "product_ids");
				status_ids(j, doc, "known_affected");
				kk_json_obj_close(j);
			}
			kk_json_arr_close(j);
		}
		if (v->cvss31 && has_status(doc, "known_affected")) {
			kk_json_key(j, "scores");
			kk_json_arr_open(j);
			kk_json_obj_open(j);
			kk_json_key(j, "cvss_v3");
			kk_json_obj_open(j);
			kk_json_kv_str(j, "version", "3.1");
			kk_json_kv_str(j, "vectorString", v->cvss31);
			kk_json_key(j, "baseScore");
			kk_json_fixed(j, v->score31, 1);
			kk_json_kv_str(j, "baseSeverity", v->severity31);
			kk_json_obj_close(j);
			kk_json_key(j, "products");
			status_ids(j, doc, "known_affected");
			kk_json_obj_close(j);
			kk_json_arr_close(j);
		}
		const char *vt = v->title.en ? v->title.en : doc->vulnerability.en;
		if (vt)
			kk_json_kv_str(j, "title", vt);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_obj_close(j);
	kk_arena_release(&a);
	return kk_json_error(j);
}

/* ---- OSV ------------------------------------------------------------------------------- */

int kk_adv_osv(struct kk_json *j, const struct kk_advisory *adv)
{
	const struct kk_adv *doc = &adv->doc;
	struct kk_arena a;
	char t[32], url[256], slug[KK_ADV_IDENT_MAX];
	kk_arena_init(&a, 0);
	kk_adv_ident_slug(adv->ident, slug, sizeof(slug));
	char *h = strchr(slug, '_');
	if (h)
		*h = '-';
	kk_json_obj_open(j);
	kk_json_kv_str(j, "schema_version", "1.6.0");
	kk_json_kv_str(j, "id", kk_arena_printf(&a, "x_%s", slug));
	iso(adv->rev_at, t);
	kk_json_kv_str(j, "modified", t);
	iso(adv->published_at ? adv->published_at : adv->rev_at, t);
	kk_json_kv_str(j, "published", t);
	kk_json_key(j, "aliases");
	kk_json_arr_open(j);
	for (size_t i = 0; i < doc->n_vulns; i++)
		if (doc->vulns[i].cve)
			kk_json_str(j, doc->vulns[i].cve);
	kk_json_arr_close(j);
	const char *title = kk_adv_title(doc, "en", &a);
	if (title)
		kk_json_kv_str(j, "summary", title);
	if (doc->description.en || doc->overview.en)
		kk_json_kv_str(j, "details", doc->description.en ? doc->description.en : doc->overview.en);
	const struct kk_adv_vuln *top = doc->n_vulns ? &doc->vulns[0] : NULL;
	if (top && (top->cvss31 || top->cvss40)) {
		kk_json_key(j, "severity");
		kk_json_arr_open(j);
		for (int k = 0; k < 2; k++) {
			const char *vec = k ? top->cvss40 : top->cvss31;
			if (!vec)
				continue;
			kk_json_obj_open(j);
			kk_json_kv_str(j, "type", k ? "CVSS_V4" : "CVSS_V3");
			kk_json_kv_str(j, "score", vec);
			kk_json_obj_close(j);
		}
		kk_json_arr_close(j);
	}
	kk_json_key(j, "affected");
	kk_json_arr_open(j);
	for (size_t i = 0; i < doc->n_products; i++) {
		const struct kk_adv_product *p = &doc->products[i];
		const char *eco = pub_osv_ecosystem(p->purl);
		const char *name = eco ? pub_osv_name(p->purl, &a) : NULL;
		if (!eco || !name)
			continue; /* OSV describes packages of an ecosystem; the other products are in CSAF and CVE */
		kk_json_obj_open(j);
		kk_json_key(j, "package");
		kk_json_obj_open(j);
		kk_json_kv_str(j, "ecosystem", eco);
		kk_json_kv_str(j, "name", name);
		kk_json_kv_str(j, "purl", p->purl);
		kk_json_obj_close(j);
		kk_json_key(j, "ranges");
		kk_json_arr_open(j);
		kk_json_obj_open(j);
		kk_json_kv_str(j, "type", p->scheme && !strcmp(p->scheme, "semver") ? "SEMVER" : "ECOSYSTEM");
		kk_json_key(j, "events");
		kk_json_arr_open(j);
		kk_json_obj_open(j);
		kk_json_kv_str(j, "introduced", p->introduced ? p->introduced : "0");
		kk_json_obj_close(j);
		if (p->fixed || p->last_affected) {
			kk_json_obj_open(j);
			kk_json_kv_str(j, p->fixed ? "fixed" : "last_affected", p->fixed ? p->fixed : p->last_affected);
			kk_json_obj_close(j);
		}
		kk_json_arr_close(j);
		kk_json_obj_close(j);
		kk_json_arr_close(j);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_key(j, "references");
	kk_json_arr_open(j);
	kk_json_obj_open(j);
	kk_json_kv_str(j, "type", "ADVISORY");
	kk_adv_url(adv->ident, "en", url, sizeof(url));
	kk_json_kv_str(j, "url", url);
	kk_json_obj_close(j);
	for (size_t i = 0; i < doc->n_refs; i++) {
		kk_json_obj_open(j);
		kk_json_kv_str(j, "type", "WEB");
		kk_json_kv_str(j, "url", doc->refs[i].url);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	credits(j, doc, false);
	kk_json_key(j, "database_specific");
	kk_json_obj_open(j);
	kk_json_kv_str(j, "jvn_id", adv->ident);
	if (adv->jvndb)
		kk_json_kv_str(j, "jvndb_id", adv->jvndb);
	kk_json_obj_close(j);
	kk_json_obj_close(j);
	kk_arena_release(&a);
	return kk_json_error(j);
}

/* ---- CSAF distribution ------------------------------------------------------------------ */

int kk_csaf_provider_metadata(struct kk_json *j, struct kk_db *db)
{
	char t[32];
	int64_t last = 0;
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, "SELECT COALESCE(max(published_at), 0) FROM advisory_rev WHERE published_at <= ?", &st));
	kk_stmt_bind_int64(st, 1, kk_clock_now());
	if (kk_stmt_step(st) == KK_ROW)
		last = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	const char *base = kk_adv_base_url();
	char canon[320], dir[320];
	snprintf(canon, sizeof(canon), "%s/.well-known/csaf/provider-metadata.json", base);
	snprintf(dir, sizeof(dir), "%s/.well-known/csaf/white/", base);
	iso(last ? last : kk_clock_now(), t);
	kk_json_obj_open(j);
	kk_json_kv_str(j, "canonical_url", canon);
	kk_json_key(j, "distributions");
	kk_json_arr_open(j);
	kk_json_obj_open(j);
	kk_json_kv_str(j, "directory_url", dir);
	kk_json_obj_close(j);
	kk_json_arr_close(j);
	kk_json_kv_str(j, "last_updated", t);
	kk_json_kv_bool(j, "list_on_CSAF_aggregators", true);
	kk_json_kv_str(j, "metadata_version", "2.0");
	kk_json_kv_bool(j, "mirror_on_CSAF_aggregators", true);
	kk_json_key(j, "publisher");
	kk_json_obj_open(j);
	kk_json_kv_str(j, "category", "coordinator");
	kk_json_kv_str(j, "name", PUBLISHER_NAME);
	kk_json_kv_str(j, "namespace", base);
	kk_json_obj_close(j);
	kk_json_kv_str(j, "role", "csaf_publisher");
	kk_json_obj_close(j);
	return kk_json_error(j);
}

int kk_csaf_index(struct kk_buf *b, struct kk_db *db, bool changes)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db,
			      "SELECT a.ident, a.published_at, r.published_at FROM advisory a "
			      "JOIN advisory_rev r ON r.advisory_id = a.id AND r.rev = a.public_rev "
			      "WHERE a.public_rev > 0 AND a.published_at <= ? ORDER BY r.published_at DESC, a.ident",
			      &st));
	kk_stmt_bind_int64(st, 1, kk_clock_now());
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		char file[64], t[32], year[8];
		kk_adv_csaf_filename(kk_stmt_text(st, 0), file, sizeof(file));
		kk_time_iso(kk_stmt_int64(st, 1), t, sizeof(t));
		snprintf(year, sizeof(year), "%.4s", t);
		if (changes) {
			kk_time_iso(kk_stmt_int64(st, 2), t, sizeof(t));
			kk_buf_printf(b, "\"%s/%s\",\"%s\"\n", year, file, t);
		} else {
			kk_buf_printf(b, "%s/%s\n", year, file);
		}
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : kk_buf_error(b);
}

int kk_csaf_find(struct kk_db *db, const char *year, const char *file, int64_t *id)
{
	char up[KK_ADV_IDENT_MAX], ident[KK_ADV_IDENT_MAX], t[32];
	size_t n = strlen(file);
	if (n < 6 || n - 5 >= sizeof(up) || strcmp(file + n - 5, ".json") || strlen(year) != 4)
		return KK_ENOTFOUND;
	for (size_t i = 0; i < n - 5; i++)
		up[i] = (char)toupper((unsigned char)file[i]);
	up[n - 5] = 0;
	if (kk_adv_ident_from_slug(up, ident, sizeof(ident)))
		return KK_ENOTFOUND;
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, "SELECT id, published_at FROM advisory WHERE ident = ? AND public_rev > 0 AND published_at <= ?",
			      &st));
	kk_stmt_bind_text(st, 1, ident, -1);
	kk_stmt_bind_int64(st, 2, kk_clock_now());
	int rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		*id = kk_stmt_int64(st, 0);
		kk_time_iso(kk_stmt_int64(st, 1), t, sizeof(t));
		if (strncmp(t, year, 4))
			rc = KK_DONE;
	}
	kk_stmt_done(st);
	return rc == KK_ROW ? 0 : rc < 0 ? rc : KK_ENOTFOUND;
}

/*
 * model.c — the advisory's editor document: parsing with field-by-field
 * checks (JSON pointers in every error), writing it back, identifiers.
 */
#include "base/alloc.h"
#include "base/clock.h"
#include "base/str.h"
#include "publish/internal.h"
#include "std/cpe.h"
#include "std/cvss.h"
#include "std/cwe.h"
#include "std/purl.h"
#include "std/version.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const statuses[] = {KK_ADV_STATUSES};
static const char *const kinds[] = {"JVN", "JVNVU", "JVNTA"};

bool kk_adv_status_valid(const char *s)
{
	for (size_t i = 0; s && i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (!strcmp(s, statuses[i]))
			return true;
	return false;
}

int kk_adv_kind_valid(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind, kinds[i]))
			return 0;
	return KK_EINVAL;
}

static size_t ident_prefix(const char *s)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i]);
		if (!strncmp(s, kinds[i], n) && (s[n] == '#' || s[n] == '_'))
			return n;
	}
	return 0;
}

bool kk_adv_ident_valid(const char *s)
{
	size_t n = s ? ident_prefix(s) : 0;
	return n && s[n] == '#' && strlen(s + n + 1) == 8 && strspn(s + n + 1, "0123456789") == 8;
}

void kk_adv_ident_slug(const char *ident, char *out, size_t n)
{
	snprintf(out, n, "%s", ident);
	char *h = strchr(out, '#');
	if (h)
		*h = '_';
}

int kk_adv_ident_from_slug(const char *s, char *out, size_t n)
{
	size_t p = s ? ident_prefix(s) : 0;
	if (!p || strlen(s + p + 1) != 8 || strspn(s + p + 1, "0123456789") != 8 || n < KK_ADV_IDENT_MAX)
		return KK_EINVAL;
	snprintf(out, n, "%.*s#%s", (int)p, s, s + p + 1);
	return 0;
}

/* ---- parsing ---------------------------------------------------------------- */

struct pctx {
	struct kk_arena *a;
	struct kk_diag *d;
	char where[128];
};

static int fail(struct pctx *c, int code, const char *fmt, const char *arg)
{
	return kk_diag_set(c->d, code, c->where, fmt, arg ? arg : "");
}

/* Sets c->where to base + "/" + key (numbers for arrays). */
static void at(struct pctx *c, const char *base, const char *key, long idx)
{
	int w;
	if (key && idx >= 0)
		w = snprintf(c->where, sizeof(c->where), "%s/%ld/%s", base, idx, key);
	else if (key)
		w = snprintf(c->where, sizeof(c->where), "%s/%s", base, key);
	else
		w = snprintf(c->where, sizeof(c->where), "%s/%ld", base, idx);
	if (w < 0 || (size_t)w >= sizeof(c->where)) /* longer than the field: mark it cut */
		memcpy(c->where + sizeof(c->where) - 4, "...", 4);
}

/* A string member: NULL when absent or null; refuses other types, empty strings count as absent. */
static int get_str(struct pctx *c, const json_t *o, const char *base, const char *key, long idx, size_t max,
		   const char **out)
{
	*out = NULL;
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return 0;
	at(c, base, key, idx);
	if (!json_is_string(v))
		return fail(c, KK_EPARSE, "must be a string%s", NULL);
	size_t n = json_string_length(v);
	if (n > max)
		return kk_diag_set(c->d, KK_ETOOBIG, c->where, "is %zu bytes; at most %zu are allowed", n, max);
	if (memchr(json_string_value(v), 0, n))
		return fail(c, KK_EPARSE, "must not contain a NUL character%s", NULL);
	if (!n)
		return 0;
	*out = kk_arena_strndup(c->a, json_string_value(v), n);
	return *out ? 0 : KK_ENOMEM;
}

static int get_text(struct pctx *c, const json_t *o, const char *base, const char *key, long idx,
		    struct kk_adv_text *t)
{
	t->ja = t->en = NULL;
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return 0;
	char sub[128];
	at(c, base, key, idx);
	snprintf(sub, sizeof(sub), "%s", c->where);
	if (json_is_string(v))
		return fail(c, KK_EPARSE, "must be an object {\"ja\": ..., \"en\": ...}, not a string%s", NULL);
	if (!json_is_object(v))
		return fail(c, KK_EPARSE, "must be an object {\"ja\": ..., \"en\": ...}%s", NULL);
	const char *k;
	json_t *x;
	json_object_foreach(v, k, x)
	{
		if (strcmp(k, "ja") && strcmp(k, "en")) {
			at(c, sub, k, -1);
			return fail(c, KK_EPARSE, "unknown language; use \"ja\" or \"en\"%s", NULL);
		}
	}
	int rc = get_str(c, v, sub, "ja", -1, KK_ADV_TEXT_MAX, &t->ja);
	return rc ? rc : get_str(c, v, sub, "en", -1, KK_ADV_TEXT_MAX, &t->en);
}

/* Refuses members not in names (NULL-terminated). */
static int only(struct pctx *c, const json_t *o, const char *base, long idx, const char *const *names)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)o, k, v)
	{
		size_t i = 0;
		while (names[i] && strcmp(names[i], k))
			i++;
		if (!names[i]) {
			at(c, base, k, idx);
			return fail(c, KK_EPARSE, "unknown member; see the advisory document in 'keikai help advisory create'%s",
				    NULL);
		}
	}
	return 0;
}

/* An array member: *n items; each item must be an object. */
static int get_array(struct pctx *c, const json_t *o, const char *key, size_t elem, void **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return 0;
	at(c, "", key, -1);
	if (!json_is_array(v))
		return fail(c, KK_EPARSE, "must be an array%s", NULL);
	if (json_array_size(v) > KK_ADV_LIST_MAX)
		return kk_diag_set(c->d, KK_ETOOBIG, c->where, "has %zu items; at most %d are allowed",
				   json_array_size(v), KK_ADV_LIST_MAX);
	for (size_t i = 0; i < json_array_size(v); i++)
		if (!json_is_object(json_array_get(v, i))) {
			snprintf(c->where, sizeof(c->where), "/%s/%zu", key, i);
			return fail(c, KK_EPARSE, "must be an object%s", NULL);
		}
	*n = json_array_size(v);
	if (*n && !(*out = kk_arena_zalloc(c->a, elem * *n)))
		return KK_ENOMEM;
	return 0;
}

static bool http_url(const char *u)
{
	if (!kk_starts_with(u, "https://") && !kk_starts_with(u, "http://"))
		return false;
	for (const unsigned char *p = (const unsigned char *)u; *p; p++)
		if (*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == 0x7f)
			return false;
	return strlen(u) > 8;
}

static bool cve_id(const char *s)
{
	size_t n = strlen(s);
	return n >= 13 && n <= 20 && !strncmp(s, "CVE-", 4) && strspn(s + 4, "0123456789") == 4 && s[8] == '-' &&
	       strspn(s + 9, "0123456789") == n - 9;
}

bool kk_adv_cve_valid(const char *s)
{
	return s && cve_id(s);
}

/* Parses and scores a CVSS vector of the wanted version, keeping its canonical form. */
static int get_cvss(struct pctx *c, const json_t *o, long idx, const char *key, int want, const char **vec,
		    double *score, const char **sev)
{
	*score = -1;
	*sev = NULL;
	KK_TRY(get_str(c, o, "/vulnerabilities", key, idx, 512, vec));
	if (!*vec)
		return 0;
	struct kk_cvss cv;
	struct kk_cvss_scores sc;
	struct kk_diag d2;
	kk_diag_clear(&d2);
	if (kk_cvss_parse(*vec, strlen(*vec), &cv, &d2))
		return kk_diag_set(c->d, KK_EPARSE, c->where, "'%s' is not a CVSS vector: %s: %s", *vec, d2.where,
				   d2.msg);
	if (cv.version != want)
		return kk_diag_set(c->d, KK_EPARSE, c->where, "'%s' is CVSS %s; this field takes CVSS %s", *vec,
				   kk_cvss_version_name(cv.version), kk_cvss_version_name(want));
	if (kk_cvss_score(&cv, &sc))
		return kk_diag_set(c->d, KK_EPARSE, c->where, "'%s' cannot be scored (a base metric is missing)", *vec);
	char canon[256];
	kk_cvss_format(&cv, canon, sizeof(canon));
	if (!(*vec = kk_arena_strdup(c->a, canon)))
		return KK_ENOMEM;
	*score = sc.base / 10.0;
	*sev = kk_cvss_severity(want, sc.base);
	return 0;
}

static int parse_product(struct pctx *c, const json_t *o, long i, struct kk_adv_product *p)
{
	static const char *const names[] = {"vendor", "product", "cpe", "purl", "scheme", "introduced",
					    "fixed", "last_affected", "versions", NULL};
	const char *b = "/products";
	KK_TRY(only(c, o, b, i, names));
	KK_TRY(get_str(c, o, b, "vendor", i, 256, &p->vendor));
	KK_TRY(get_str(c, o, b, "product", i, 256, &p->product));
	KK_TRY(get_str(c, o, b, "cpe", i, KK_CPE_MAX_LEN, &p->cpe));
	KK_TRY(get_str(c, o, b, "purl", i, 2048, &p->purl));
	KK_TRY(get_str(c, o, b, "scheme", i, 32, &p->scheme));
	KK_TRY(get_str(c, o, b, "introduced", i, KK_VERSION_MAX, &p->introduced));
	KK_TRY(get_str(c, o, b, "fixed", i, KK_VERSION_MAX, &p->fixed));
	KK_TRY(get_str(c, o, b, "last_affected", i, KK_VERSION_MAX, &p->last_affected));
	KK_TRY(get_text(c, o, b, "versions", i, &p->versions));
	if (!p->vendor || !p->product) {
		at(c, b, p->vendor ? "product" : "vendor", i);
		return fail(c, KK_EINVAL, "is required: name the vendor and the product as users know them%s", NULL);
	}
	struct kk_diag d2;
	kk_diag_clear(&d2);
	if (p->cpe) {
		size_t n = strlen(p->cpe);
		char *store = kk_arena_alloc(c->a, KK_CPE_STORE(n));
		struct kk_cpe cpe;
		if (!store)
			return KK_ENOMEM;
		if (kk_cpe_parse(p->cpe, n, &cpe, store, KK_CPE_STORE(n), &d2)) {
			at(c, b, "cpe", i);
			return kk_diag_set(c->d, KK_EPARSE, c->where, "'%s' is not a CPE name: %s: %s", p->cpe,
					   d2.where, d2.msg);
		}
	}
	if (p->purl) {
		size_t n = strlen(p->purl);
		char *store = kk_arena_alloc(c->a, n + 1);
		struct kk_purl pu;
		if (!store)
			return KK_ENOMEM;
		if (kk_purl_parse(p->purl, n, &pu, store, n + 1, &d2)) {
			at(c, b, "purl", i);
			return kk_diag_set(c->d, KK_EPARSE, c->where, "'%s' is not a package URL: %s: %s", p->purl,
					   d2.where, d2.msg);
		}
		if (pu.version.len) {
			at(c, b, "purl", i);
			return fail(c, KK_EINVAL,
				    "must not carry a version; give the affected range with introduced/fixed/last_affected%s",
				    NULL);
		}
	}
	enum kk_version_scheme sch = KK_VERSION_GENERIC;
	if (p->scheme && kk_version_scheme_parse(p->scheme, &sch)) {
		at(c, b, "scheme", i);
		return fail(c, KK_EINVAL, "'%s' is not a version scheme (generic, semver, deb, rpm, pypi, maven)",
			    p->scheme);
	}
	const char *bounds[3] = {p->introduced, p->fixed, p->last_affected};
	static const char *const bnames[3] = {"introduced", "fixed", "last_affected"};
	for (int k = 0; k < 3; k++)
		if (bounds[k] && strcmp(bounds[k], "0") && kk_version_check(sch, bounds[k], &d2)) {
			at(c, b, bnames[k], i);
			return kk_diag_set(c->d, KK_EPARSE, c->where, "'%s' is not a %s version: %s", bounds[k],
					   kk_version_scheme_name(sch), d2.msg);
		}
	if (p->fixed && p->last_affected) {
		at(c, b, "last_affected", i);
		return fail(c, KK_EINVAL, "give either fixed or last_affected, not both%s", NULL);
	}
	int cmp = 0;
	const char *hi = p->fixed ? p->fixed : p->last_affected;
	if (p->introduced && strcmp(p->introduced, "0") && hi &&
	    !kk_version_compare(sch, p->introduced, hi, &cmp, &d2) && cmp > 0) {
		at(c, b, "introduced", i);
		return kk_diag_set(c->d, KK_EINVAL, c->where, "'%s' comes after the upper bound '%s'", p->introduced,
				   hi);
	}
	return 0;
}

static int parse_vuln(struct pctx *c, const json_t *o, long i, struct kk_adv_vuln *v)
{
	static const char *const names[] = {"cve", "title", "cwe", "cvss31", "cvss40", NULL};
	const char *b = "/vulnerabilities";
	KK_TRY(only(c, o, b, i, names));
	KK_TRY(get_str(c, o, b, "cve", i, 32, &v->cve));
	if (v->cve && !cve_id(v->cve)) {
		at(c, b, "cve", i);
		return fail(c, KK_EINVAL, "'%s' is not a CVE id (CVE-YYYY-NNNN...)", v->cve);
	}
	KK_TRY(get_text(c, o, b, "title", i, &v->title));
	json_t *w = json_object_get(o, "cwe");
	if (w && !json_is_null(w)) {
		at(c, b, "cwe", i);
		if (json_is_integer(w) && json_integer_value(w) > 0 && json_integer_value(w) < 100000)
			v->cwe = (int)json_integer_value(w);
		else if (json_is_string(w) &&
			 !kk_cwe_id_parse(json_string_value(w), json_string_length(w), &v->cwe, NULL) && v->cwe > 0)
			;
		else
			return fail(c, KK_EINVAL, "must be a CWE number (79) or id (\"CWE-79\")%s", NULL);
	}
	KK_TRY(get_cvss(c, o, i, "cvss31", KK_CVSS_V31, &v->cvss31, &v->score31, &v->severity31));
	KK_TRY(get_cvss(c, o, i, "cvss40", KK_CVSS_V40, &v->cvss40, &v->score40, &v->severity40));
	return 0;
}

static bool date_ok(const char *s)
{
	int64_t t;
	return strlen(s) == 10 && s[4] == '-' && s[7] == '-' && !kk_time_parse(s, &t);
}

static int parse_vendor(struct pctx *c, const json_t *o, long i, struct kk_adv_vendor *v)
{
	static const char *const names[] = {"vendor", "status", "updated", "note", NULL};
	const char *b = "/vendors";
	KK_TRY(only(c, o, b, i, names));
	KK_TRY(get_str(c, o, b, "vendor", i, 256, &v->vendor));
	KK_TRY(get_str(c, o, b, "status", i, 32, &v->status));
	KK_TRY(get_str(c, o, b, "updated", i, 10, &v->updated));
	KK_TRY(get_text(c, o, b, "note", i, &v->note));
	if (!v->vendor) {
		at(c, b, "vendor", i);
		return fail(c, KK_EINVAL, "is required%s", NULL);
	}
	if (!kk_adv_status_valid(v->status)) {
		at(c, b, "status", i);
		return fail(c, KK_EINVAL,
			    "'%s' is not a status: affected, not_affected, fixed, under_investigation or no_response",
			    v->status);
	}
	if (v->updated && !date_ok(v->updated)) {
		at(c, b, "updated", i);
		return fail(c, KK_EINVAL, "'%s' is not a date YYYY-MM-DD", v->updated);
	}
	return 0;
}

static int parse_ref(struct pctx *c, const json_t *o, long i, struct kk_adv_ref *r)
{
	static const char *const names[] = {"url", "title", NULL};
	KK_TRY(only(c, o, "/references", i, names));
	KK_TRY(get_str(c, o, "/references", "url", i, 2048, &r->url));
	KK_TRY(get_str(c, o, "/references", "title", i, 512, &r->title));
	if (!r->url || !http_url(r->url)) {
		at(c, "/references", "url", i);
		return fail(c, KK_EINVAL, "'%s' must be an http:// or https:// URL without spaces", r->url);
	}
	return 0;
}

int kk_adv_parse(const json_t *obj, struct kk_arena *a, struct kk_adv *adv, struct kk_diag *d)
{
	static const char *const names[] = {
	    "product",	"vulnerability",    "title",	"overview", "version_check", "description",
	    "threat",	"fix",		    "workaround", "acknowledgements", "contact",	"products",
	    "vulnerabilities", "vendors", "references", "credits",	 "case",	"report", NULL};
	struct pctx c = {a, d, ""};
	memset(adv, 0, sizeof(*adv));
	kk_diag_clear(d);
	if (!json_is_object(obj))
		return kk_diag_set(d, KK_EPARSE, "", "an advisory document must be a JSON object");
	KK_TRY(only(&c, obj, "", -1, names));
	struct {
		const char *key;
		struct kk_adv_text *t;
	} texts[] = {{"product", &adv->product},
		     {"vulnerability", &adv->vulnerability},
		     {"title", &adv->title},
		     {"overview", &adv->overview},
		     {"version_check", &adv->version_check},
		     {"description", &adv->description},
		     {"threat", &adv->threat},
		     {"fix", &adv->fix},
		     {"workaround", &adv->workaround},
		     {"acknowledgements", &adv->acknowledgements},
		     {"contact", &adv->contact}};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		KK_TRY(get_text(&c, obj, "", texts[i].key, -1, texts[i].t));
	KK_TRY(get_str(&c, obj, "", "case", -1, 64, &adv->case_ref));
	KK_TRY(get_str(&c, obj, "", "report", -1, 64, &adv->report));
	void *p;
	KK_TRY(get_array(&c, obj, "products", sizeof(*adv->products), &p, &adv->n_products));
	adv->products = p;
	for (size_t i = 0; i < adv->n_products; i++)
		KK_TRY(parse_product(&c, json_array_get(json_object_get(obj, "products"), i), (long)i,
				     &adv->products[i]));
	KK_TRY(get_array(&c, obj, "vulnerabilities", sizeof(*adv->vulns), &p, &adv->n_vulns));
	adv->vulns = p;
	for (size_t i = 0; i < adv->n_vulns; i++) {
		KK_TRY(parse_vuln(&c, json_array_get(json_object_get(obj, "vulnerabilities"), i), (long)i,
				  &adv->vulns[i]));
		for (size_t k = 0; k < i; k++)
			if (adv->vulns[i].cve && adv->vulns[k].cve && !strcmp(adv->vulns[i].cve, adv->vulns[k].cve)) {
				at(&c, "/vulnerabilities", "cve", (long)i);
				return fail(&c, KK_EINVAL, "'%s' is given twice: one CVE id per vulnerability",
					    adv->vulns[i].cve);
			}
	}
	KK_TRY(get_array(&c, obj, "vendors", sizeof(*adv->vendors), &p, &adv->n_vendors));
	adv->vendors = p;
	for (size_t i = 0; i < adv->n_vendors; i++)
		KK_TRY(parse_vendor(&c, json_array_get(json_object_get(obj, "vendors"), i), (long)i,
				    &adv->vendors[i]));
	KK_TRY(get_array(&c, obj, "references", sizeof(*adv->refs), &p, &adv->n_refs));
	adv->refs = p;
	for (size_t i = 0; i < adv->n_refs; i++)
		KK_TRY(parse_ref(&c, json_array_get(json_object_get(obj, "references"), i), (long)i, &adv->refs[i]));
	json_t *cr = json_object_get(obj, "credits");
	if (cr && !json_is_null(cr)) {
		snprintf(c.where, sizeof(c.where), "/credits");
		if (!json_is_array(cr) || json_array_size(cr) > 16)
			return fail(&c, KK_EPARSE, "must be an array of at most 16 {\"name\"} objects%s", NULL);
		adv->n_credits = json_array_size(cr);
		if (adv->n_credits && !(adv->credits = kk_arena_zalloc(a, adv->n_credits * sizeof(char *))))
			return KK_ENOMEM;
		for (size_t i = 0; i < adv->n_credits; i++) {
			json_t *o = json_array_get(cr, i);
			static const char *const cn[] = {"name", NULL};
			if (!json_is_object(o)) {
				snprintf(c.where, sizeof(c.where), "/credits/%zu", i);
				return fail(&c, KK_EPARSE, "must be an object {\"name\"}%s", NULL);
			}
			KK_TRY(only(&c, o, "/credits", (long)i, cn));
			KK_TRY(get_str(&c, o, "/credits", "name", (long)i, 256, &adv->credits[i]));
			if (!adv->credits[i]) {
				at(&c, "/credits", "name", (long)i);
				return fail(&c, KK_EINVAL, "is required%s", NULL);
			}
		}
	}
	return 0;
}

int kk_adv_parse_text(const char *s, size_t n, struct kk_arena *a, struct kk_adv *adv, struct kk_diag *d)
{
	json_error_t e;
	if (n > KK_ADV_JSON_MAX)
		return kk_diag_set(d, KK_ETOOBIG, "", "the advisory document is %zu bytes; at most %d are allowed", n,
				   KK_ADV_JSON_MAX);
	json_t *o = json_loadb(s, n, JSON_REJECT_DUPLICATES, &e);
	if (!o) {
		int rc = kk_diag_set(d, KK_EPARSE, "", "not JSON: %s (line %d, column %d)", kk_json_parse_error_text(e.text), e.line, e.column);
		if (d) {
			d->line = e.line;
			d->offset = (size_t)e.position;
		}
		return rc;
	}
	int rc = kk_adv_parse(o, a, adv, d);
	json_decref(o);
	return rc;
}

/* ---- writing ---------------------------------------------------------------- */

static void put_text(struct kk_json *j, const char *key, const struct kk_adv_text *t)
{
	if (!t->ja && !t->en)
		return;
	kk_json_key(j, key);
	kk_json_obj_open(j);
	if (t->ja)
		kk_json_kv_str(j, "ja", t->ja);
	if (t->en)
		kk_json_kv_str(j, "en", t->en);
	kk_json_obj_close(j);
}

static void put_str(struct kk_json *j, const char *key, const char *s)
{
	if (s)
		kk_json_kv_str(j, key, s);
}

static void write_doc(struct kk_json *j, const struct kk_adv *adv, bool internal);

void kk_adv_write(struct kk_json *j, const struct kk_adv *adv)
{
	write_doc(j, adv, true);
}

void kk_adv_write_public(struct kk_json *j, const struct kk_adv *adv)
{
	write_doc(j, adv, false);
}

static void write_doc(struct kk_json *j, const struct kk_adv *adv, bool internal)
{
	kk_json_obj_open(j);
	put_text(j, "product", &adv->product);
	put_text(j, "vulnerability", &adv->vulnerability);
	put_text(j, "title", &adv->title);
	put_text(j, "overview", &adv->overview);
	put_text(j, "version_check", &adv->version_check);
	put_text(j, "description", &adv->description);
	put_text(j, "threat", &adv->threat);
	put_text(j, "fix", &adv->fix);
	put_text(j, "workaround", &adv->workaround);
	put_text(j, "acknowledgements", &adv->acknowledgements);
	put_text(j, "contact", &adv->contact);
	kk_json_key(j, "products");
	kk_json_arr_open(j);
	for (size_t i = 0; i < adv->n_products; i++) {
		const struct kk_adv_product *p = &adv->products[i];
		kk_json_obj_open(j);
		put_str(j, "vendor", p->vendor);
		put_str(j, "product", p->product);
		put_str(j, "cpe", p->cpe);
		put_str(j, "purl", p->purl);
		put_str(j, "scheme", p->scheme);
		put_str(j, "introduced", p->introduced);
		put_str(j, "fixed", p->fixed);
		put_str(j, "last_affected", p->last_affected);
		put_text(j, "versions", &p->versions);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_key(j, "vulnerabilities");
	kk_json_arr_open(j);
	for (size_t i = 0; i < adv->n_vulns; i++) {
		const struct kk_adv_vuln *v = &adv->vulns[i];
		kk_json_obj_open(j);
		put_str(j, "cve", v->cve);
		put_text(j, "title", &v->title);
		if (v->cwe)
			kk_json_kv_int(j, "cwe", v->cwe);
		put_str(j, "cvss31", v->cvss31);
		put_str(j, "cvss40", v->cvss40);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_key(j, "vendors");
	kk_json_arr_open(j);
	for (size_t i = 0; i < adv->n_vendors; i++) {
		const struct kk_adv_vendor *v = &adv->vendors[i];
		kk_json_obj_open(j);
		put_str(j, "vendor", v->vendor);
		put_str(j, "status", v->status);
		put_str(j, "updated", v->updated);
		put_text(j, "note", &v->note);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_key(j, "references");
	kk_json_arr_open(j);
	for (size_t i = 0; i < adv->n_refs; i++) {
		kk_json_obj_open(j);
		put_str(j, "url", adv->refs[i].url);
		put_str(j, "title", adv->refs[i].title);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	if (adv->n_credits) {
		kk_json_key(j, "credits");
		kk_json_arr_open(j);
		for (size_t i = 0; i < adv->n_credits; i++) {
			kk_json_obj_open(j);
			kk_json_kv_str(j, "name", adv->credits[i]);
			kk_json_obj_close(j);
		}
		kk_json_arr_close(j);
	}
	if (internal) {
		put_str(j, "case", adv->case_ref);
		put_str(j, "report", adv->report);
	}
	kk_json_obj_close(j);
}

const char *kk_adv_title(const struct kk_adv *adv, const char *lang, struct kk_arena *a)
{
	bool ja = !strcmp(lang, "ja");
	const char *t = ja ? adv->title.ja : adv->title.en;
	if (t)
		return t;
	const char *p = ja ? adv->product.ja : adv->product.en;
	const char *v = ja ? adv->vulnerability.ja : adv->vulnerability.en;
	if (!p || !v)
		return p ? p : v;
	return ja ? kk_arena_printf(a, "%sにおける%s", p, v) : kk_arena_printf(a, "%s: %s", p, v);
}

int kk_adv_check_publishable(const struct kk_adv *adv, struct kk_diag *d)
{
	struct {
		const char *key;
		const struct kk_adv_text *t;
	} need[] = {{"product", &adv->product},	  {"vulnerability", &adv->vulnerability},
		    {"overview", &adv->overview},	  {"version_check", &adv->version_check},
		    {"description", &adv->description}, {"threat", &adv->threat},
		    {"contact", &adv->contact}};
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (!need[i].t->ja)
			return kk_diag_set(d, KK_EUNPROCESSABLE, "", "/%s/ja is empty: an advisory is published in Japanese and English",
					   need[i].key);
		if (!need[i].t->en)
			return kk_diag_set(d, KK_EUNPROCESSABLE, "", "/%s/en is empty: an advisory is published in Japanese and English",
					   need[i].key);
	}
	if (!adv->fix.ja && !adv->workaround.ja)
		return kk_diag_set(d, KK_EUNPROCESSABLE, "/fix/ja", "give a fix or a workaround (ja and en)");
	if (!adv->fix.en && !adv->workaround.en)
		return kk_diag_set(d, KK_EUNPROCESSABLE, "/fix/en", "give a fix or a workaround (ja and en)");
	if (!adv->n_products)
		return kk_diag_set(d, KK_EUNPROCESSABLE, "/products", "name at least one affected product");
	if (!adv->n_vulns)
		return kk_diag_set(d, KK_EUNPROCESSABLE, "/vulnerabilities", "describe at least one vulnerability");
	return 0;
}

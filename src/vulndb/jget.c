/*
 * jget.c — typed, diagnosed reads of jansson values for the importers.
 */
#include "vulndb/jget.h"
#include "base/clock.h"
#include "std/cvss.h"
#include "vulndb/record.h"
#include <stdio.h>
#include <string.h>

const char *kk_jget_path(char *buf, size_t n, const char *at, const char *key, size_t index)
{
	int r = key ? snprintf(buf, n, "%s/%s", at, key) : snprintf(buf, n, "%s/%zu", at, index);
	if (r >= (int)n && n > 4)
		memcpy(buf + n - 4, "...", 4); /* a pointer this deep is cut, visibly */
	return buf;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

/* Looks key up; 1 found (non-null), 0 absent-and-fine, <0 error. */
static int find(const json_t *o, const char *at, const char *key, int required, const json_t **v,
                struct kk_diag *d)
{
	char p[128];
	*v = json_object_get(o, key);
	if (*v && !json_is_null(*v))
		return 1;
	if (required)
		return kk_diag_set(d, KK_EPARSE, kk_jget_path(p, sizeof p, at, key, 0),
		                   "required field is missing");
	return 0;
}

static int wrong(const json_t *v, const char *at, const char *key, const char *want, struct kk_diag *d)
{
	char p[128];
	return kk_diag_set(d, KK_EPARSE, kk_jget_path(p, sizeof p, at, key, 0), "must be %s, not %s", want,
	                   type_name(v));
}

int kk_jget_str(const json_t *o, const char *at, const char *key, int required, const char **out,
                struct kk_diag *d)
{
	const json_t *v;
	int rc = find(o, at, key, required, &v, d);
	*out = NULL;
	if (rc <= 0)
		return rc;
	if (!json_is_string(v))
		return wrong(v, at, key, "a string", d);
	*out = json_string_value(v);
	return 0;
}

/* A field that must be a container of one type (json_is_array / json_is_object). */
static int container(const json_t *o, const char *at, const char *key, int required, const json_t **out,
		     int (*is)(const json_t *), const char *want, struct kk_diag *d)
{
	const json_t *v;
	int rc = find(o, at, key, required, &v, d);
	*out = NULL;
	if (rc <= 0)
		return rc;
	if (!is(v))
		return wrong(v, at, key, want, d);
	*out = v;
	return 0;
}

static int is_array(const json_t *v)
{
	return json_is_array(v);
}

static int is_object(const json_t *v)
{
	return json_is_object(v);
}

int kk_jget_arr(const json_t *o, const char *at, const char *key, int required, const json_t **out,
		struct kk_diag *d)
{
	return container(o, at, key, required, out, is_array, "an array", d);
}

int kk_jget_obj(const json_t *o, const char *at, const char *key, int required, const json_t **out,
		struct kk_diag *d)
{
	return container(o, at, key, required, out, is_object, "an object", d);
}

int kk_jget_num(const json_t *o, const char *at, const char *key, int required, double lo, double hi,
                double *out, struct kk_diag *d)
{
	const json_t *v;
	char p[128];
	int rc = find(o, at, key, required, &v, d);
	*out = -1;
	if (rc <= 0)
		return rc;
	if (!json_is_number(v))
		return wrong(v, at, key, "a number", d);
	double x = json_number_value(v);
	if (!(x >= lo && x <= hi))
		return kk_diag_set(d, KK_EPARSE, kk_jget_path(p, sizeof p, at, key, 0),
		                   "%g is outside %g..%g", x, lo, hi);
	*out = x;
	return 0;
}

int kk_jget_time(const json_t *o, const char *at, const char *key, int required, int64_t *out,
                 struct kk_diag *d)
{
	const char *s;
	char p[128];
	*out = 0;
	int rc = kk_jget_str(o, at, key, required, &s, d);
	if (rc || !s)
		return rc;
	if (kk_time_parse(s, out))
		return kk_diag_set(d, KK_EPARSE, kk_jget_path(p, sizeof p, at, key, 0),
		                   "'%.40s' is not an ISO 8601 date such as 2024-01-31T09:00:00Z", s);
	return 0;
}

int kk_jget_bool(const json_t *o, const char *at, const char *key, int dflt, int *out, struct kk_diag *d)
{
	const json_t *v;
	int rc = find(o, at, key, 0, &v, d);
	*out = dflt;
	if (rc <= 0)
		return rc;
	if (!json_is_boolean(v))
		return wrong(v, at, key, "a boolean", d);
	*out = json_is_true(v);
	return 0;
}

int kk_jget_cvss_check(struct kk_vuln_cvss *c, const char *at, const char *vkey, struct kk_diag *d)
{
	char p[128];
	struct kk_cvss cv;
	struct kk_cvss_scores sc;
	struct kk_diag cd;
	kk_jget_path(p, sizeof p, at, vkey, 0);
	if (!c->version || !c->vector)
		return kk_diag_set(d, KK_EPARSE, p, "CVSS entry without version or vector");
	const char *v = c->vector;
	size_t n = strlen(v);
	if (n > 2 && v[0] == '(' && v[n - 1] == ')') /* some v2 vectors come in parentheses */
		v++, n -= 2;
	kk_diag_clear(&cd);
	if (kk_cvss_parse(v, n, &cv, &cd) < 0)
		return kk_diag_set(d, KK_EPARSE, p, "'%.80s' is not a valid CVSS vector: %s: %s", c->vector,
		                   cd.where, cd.msg);
	const char *vname = kk_cvss_version_name(cv.version);
	if (!vname || strcmp(vname, c->version))
		return kk_diag_set(d, KK_EPARSE, p,
		                   "'%.80s' is a CVSS %s vector but the entry says version %.10s", c->vector,
		                   vname ? vname : "?", c->version);
	if (c->score < 0 && kk_cvss_score(&cv, &sc) == 0) {
		c->score = sc.base / 10.0;
		c->severity = kk_cvss_severity(cv.version, sc.base);
	}
	if (!c->severity && c->score >= 0)
		c->severity = kk_cvss_severity(cv.version, (int)(c->score * 10 + 0.5));
	return 0;
}

/* CVE-YYYY-NNNN(N...) */
int kk_jget_is_cve_id(const char *s)
{
	if (strncmp(s, "CVE-", 4))
		return 0;
	size_t y = strspn(s + 4, "0123456789");
	if (y != 4 || s[8] != '-')
		return 0;
	size_t n = strspn(s + 9, "0123456789");
	return n >= 4 && !s[9 + n];
}

int kk_jget_cve_id(const char *id, const char *at, const char *key, struct kk_vuln_rec *rec,
                   struct kk_diag *d)
{
	char p[128];
	if (!kk_jget_is_cve_id(id))
		return kk_diag_set(d, KK_EPARSE, kk_jget_path(p, sizeof p, at, key, 0),
		                   "'%.40s' is not a CVE id (CVE-YYYY-NNNN)", id);
	rec->source_id = kk_arena_strdup(rec->arena, id);
	if (!rec->source_id)
		return KK_ENOMEM;
	return kk_vuln_rec_alias(rec, id);
}

/* descriptions [{lang, value}] at `at` into texts of `kind`. */
int kk_jget_texts(const json_t *arr, const char *at, const char *kind, struct kk_vuln_rec *rec,
                  struct kk_diag *d)
{
	size_t i;
	const json_t *t;
	char p[128], lp[128];
	json_array_foreach(arr, i, t)
	{
		const char *lang, *value;
		kk_jget_path(p, sizeof p, at, NULL, i);
		if (!json_is_object(t))
			return kk_diag_set(d, KK_EPARSE, p, "description must be an object {lang, value}");
		KK_TRY(kk_jget_str(t, p, "lang", 0, &lang, d));
		KK_TRY(kk_jget_str(t, p, "value", 1, &value, d));
		kk_jget_path(lp, sizeof lp, p, "lang", 0);
		KK_TRY(kk_vuln_rec_text_tagged(rec, lang, kind, value, lp, d));
	}
	return 0;
}

/* {url, tags: [...]} (NVD and CVE 5 alike) at `at`. */
int kk_jget_ref(const json_t *e, const char *at, struct kk_vuln_rec *rec, struct kk_diag *d)
{
	const char *url;
	const json_t *t;
	char tags[256];
	if (!json_is_object(e))
		return kk_diag_set(d, KK_EPARSE, at, "reference must be an object {url, tags}");
	KK_TRY(kk_jget_str(e, at, "url", 1, &url, d));
	KK_TRY(kk_jget_arr(e, at, "tags", 0, &t, d));
	return kk_vuln_rec_ref(rec, url, kk_jget_join(t, tags, sizeof tags));
}

const char *kk_jget_join(const json_t *arr, char *buf, size_t n)
{
	size_t i, len = 0;
	const json_t *v;
	buf[0] = 0;
	json_array_foreach(arr, i, v)
	{
		if (!json_is_string(v))
			continue;
		size_t l = json_string_length(v);
		if (len + l + 2 > n)
			break;
		if (len)
			buf[len++] = ',';
		memcpy(buf + len, json_string_value(v), l);
		len += l;
		buf[len] = 0;
	}
	return len ? buf : NULL;
}

int kk_jget_cvss(const json_t *cv, const char *at, struct kk_vuln_cvss *c, struct kk_vuln_rec *rec,
                 struct kk_diag *d)
{
	const char *sev;
	KK_TRY(kk_jget_str(cv, at, "version", 1, &c->version, d));
	KK_TRY(kk_jget_str(cv, at, "vectorString", 1, &c->vector, d));
	KK_TRY(kk_jget_num(cv, at, "baseScore", 1, 0, 10, &c->score, d));
	KK_TRY(kk_jget_str(cv, at, "baseSeverity", 0, &sev, d));
	if (sev)
		c->severity = sev;
	KK_TRY(kk_jget_cvss_check(c, at, "vectorString", d));
	return kk_vuln_rec_cvss(rec, c);
}

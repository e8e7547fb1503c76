/*
 * nvdapi.c — the NVD CVE API 2.0 over the vulnerability database: its
 * parameters and their rules, the search they become, and the one writer
 * of NVD API 2.0 "cve" objects.
 */
#include "vulndb/nvdapi.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "std/cpe.h"
#include "std/cvss.h"
#include "std/version.h"
#include "store/db.h"
#include "vulndb/affected.h"
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- parameters ---- */

static int refuse(struct kk_diag *d, const char *name, const char *fmt, const char *arg)
{
	kk_diag_set(d, KK_EINVAL, name, fmt, arg);
	return KK_EINVAL;
}

/*
 * NVD's extended ISO 8601: YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM] (UTC when
 * no zone). A '+' that reached us as a space (unencoded in the URL) is read
 * as '+'. 0 and *t, or -1.
 */
static int nvd_time(const char *s, int64_t *t)
{
	char buf[40];
	size_t n = strlen(s);
	if (n < 19 || n >= sizeof buf)
		return -1;
	memcpy(buf, s, n + 1);
	for (size_t i = 0; i < 19; i++) {
		char want = "0000-00-00T00:00:00"[i];
		if (want == '0' ? !isdigit((unsigned char)buf[i]) : buf[i] != want)
			return -1;
	}
	char *p = buf + 19;
	if (*p == '.') {
		char *q = p + 1;
		while (isdigit((unsigned char)*q))
			q++;
		if (q == p + 1 || q - p > 10)
			return -1;
		p = q;
	}
	if (*p == ' ')
		*p = '+';
	if (*p == 'Z')
		p++;
	else if (*p == '+' || *p == '-') {
		if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]) || p[3] != ':' ||
		    !isdigit((unsigned char)p[4]) || !isdigit((unsigned char)p[5]))
			return -1;
		p += 6;
	}
	if (*p)
		return -1;
	int mo = (buf[5] - '0') * 10 + (buf[6] - '0'), dd = (buf[8] - '0') * 10 + (buf[9] - '0');
	int hh = (buf[11] - '0') * 10 + (buf[12] - '0'), mi = (buf[14] - '0') * 10 + (buf[15] - '0');
	int ss = (buf[17] - '0') * 10 + (buf[18] - '0');
	if (mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59 || ss > 60)
		return -1;
	return kk_time_parse(buf, t) < 0 ? -1 : 0;
}

static const char *const known[] = {
    "cveId",           "cpeName",         "isVulnerable",    "virtualMatchString", "versionStart",
    "versionStartType", "versionEnd",     "versionEndType",  "keywordSearch",      "keywordExactMatch",
    "cweId",           "cvssV2Severity",  "cvssV3Severity",  "cvssV4Severity",     "cvssV2Metrics",
    "cvssV3Metrics",   "cvssV4Metrics",   "hasKev",          "noRejected",         "pubStartDate",
    "pubEndDate",      "lastModStartDate", "lastModEndDate", "resultsPerPage",     "startIndex",
};
/* NVD parameters keikai has no data for: refused with a message saying so. */
static const char *const unsupported[] = {"sourceIdentifier", "cveTag",       "hasCertAlerts", "hasCertNotes",
                                          "hasOval",          "kevStartDate", "kevEndDate"};

struct params {
	const struct kk_nvd_arg *a;
	size_t n;
};

/* The value of parameter name (the first one), or NULL when absent. */
static const char *get(const struct params *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->a[i].name, name))
			return p->a[i].value ? p->a[i].value : "";
	return NULL;
}

static int date_pair(const struct params *p, const char *from, const char *to, int64_t *lo, int64_t *hi,
                     struct kk_diag *d)
{
	const char *a = get(p, from), *b = get(p, to);
	if (!a && !b)
		return 0;
	if (!a || !b)
		return refuse(d, a ? to : from, "%s: both ends of the date range are required together",
		              a ? "pubEndDate/lastModEndDate" : "pubStartDate/lastModStartDate");
	if (nvd_time(a, lo) < 0)
		return refuse(d, from, "Invalid ISO 8601 date/time format for %s, see documentation "
		                       "(YYYY-MM-DDTHH:MM:SS[.SSS][Z|+hh:mm])", from);
	if (nvd_time(b, hi) < 0)
		return refuse(d, to, "Invalid ISO 8601 date/time format for %s, see documentation "
		                     "(YYYY-MM-DDTHH:MM:SS[.SSS][Z|+hh:mm])", to);
	if (*hi < *lo)
		return refuse(d, to, "%s is before its start date", to);
	if (*hi - *lo > (int64_t)KK_NVD_RANGE_DAYS * 86400)
		return refuse(d, from, "The maximum allowable range when using any date range parameters is 120 "
		                       "consecutive days (%s)", from);
	return 0;
}

static int severity(const struct params *p, const char *name, bool critical, int *out, struct kk_diag *d)
{
	static const char *const names[] = {"LOW", "MEDIUM", "HIGH", "CRITICAL"};
	const char *v = get(p, name);
	if (!v)
		return 0;
	for (int i = 0; i < (critical ? 4 : 3); i++)
		if (!strcmp(v, names[i])) {
			*out = i + 1;
			return 0;
		}
	return refuse(d, name, critical ? "%s takes LOW, MEDIUM, HIGH or CRITICAL" : "%s takes LOW, MEDIUM or HIGH",
	              name);
}

static int number(const struct params *p, const char *name, long lo, long hi, long *out, struct kk_diag *d)
{
	const char *v = get(p, name);
	if (!v)
		return 0;
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < lo || n > hi) {
		char msg[120];
		snprintf(msg, sizeof msg, "%%s must be a whole number from %ld to %ld", lo, hi);
		kk_diag_set(d, KK_EINVAL, name, msg, name);
		return KK_EINVAL;
	}
	*out = n;
	return 0;
}

/* keywordSearch as search.h's query: each word a quoted term, or the whole a phrase (keywordExactMatch). */
static int keywords(const char *v, bool exact, char *out, size_t cap, struct kk_diag *d)
{
	size_t k = 0;
	bool in = false;
	for (const char *c = v; *c; c++) {
		bool space = *c == ' ' || *c == '\t';
		if (*c == '"')
			continue; /* quotes would end the term early */
		if (!exact && space) {
			if (in && k + 1 < cap)
				out[k++] = '"';
			in = false;
			continue;
		}
		if (!in) {
			if (k && k + 1 < cap)
				out[k++] = ' ';
			if (k + 1 < cap)
				out[k++] = '"';
			in = true;
		}
		if (k + 2 >= cap)
			return refuse(d, "keywordSearch", "%s is too long (at most 1000 bytes)", "keywordSearch");
		out[k++] = *c;
	}
	if (in)
		out[k++] = '"';
	out[k] = 0;
	return 0;
}

int kk_nvd_parse(const struct kk_nvd_arg *args, size_t n, struct kk_nvd_query *out, struct kk_diag *d)
{
	struct params p = {args, n};
	memset(out, 0, sizeof *out);
	struct kk_search_query *q = &out->q;
	q->sort = KK_SORT_OLDEST;
	q->cve_only = true;
	q->lang = "en";
	out->per_page = KK_NVD_PAGE_MAX;
	for (size_t i = 0; i < n; i++) {
		bool ok = false;
		for (size_t k = 0; k < sizeof known / sizeof *known && !ok; k++)
			ok = !strcmp(args[i].name, known[k]);
		for (size_t k = 0; k < sizeof unsupported / sizeof *unsupported && !ok; k++)
			if (!strcmp(args[i].name, unsupported[k]))
				return refuse(d, args[i].name,
				              "%s is not supported by this server: keikai keeps no data for it", args[i].name);
		if (!ok)
			return refuse(d, args[i].name, "Invalid parameter: %s (parameter names are case-sensitive)",
			              args[i].name);
	}
	const char *v;
	if ((v = get(&p, "cveId"))) {
		size_t k = strspn(v + (strncmp(v, "CVE-", 4) ? 0 : 4), "0123456789");
		if (strncmp(v, "CVE-", 4) || k < 4 || v[8] != '-' || strlen(v) < 13 ||
		    strspn(v + 9, "0123456789") != strlen(v + 9))
			return refuse(d, "cveId", "Invalid cveId: '%s' is not a CVE id (CVE-YYYY-NNNN)", v);
		out->cve_id = v;
	}
	if ((v = get(&p, "cpeName"))) {
		if (strncmp(v, "cpe:2.3:", 8) || strlen(v) > KK_AFFECT_CPE_MAX)
			return refuse(d, "cpeName", "Invalid cpeName: '%.200s' is not a CPE 2.3 name (cpe:2.3:part:vendor:"
			                            "product:version:...)", v);
		q->cpe = v;
	}
	if (get(&p, "isVulnerable") && !q->cpe)
		return refuse(d, "isVulnerable", "%s requires cpeName", "isVulnerable");
	if ((v = get(&p, "virtualMatchString"))) {
		if (q->cpe)
			return refuse(d, "virtualMatchString", "%s cannot be combined with cpeName", "virtualMatchString");
		if (strncmp(v, "cpe:2.3:", 8) || strlen(v) > KK_AFFECT_CPE_MAX)
			return refuse(d, "virtualMatchString",
			              "Invalid virtualMatchString: '%.200s' is not a CPE 2.3 match string", v);
		out->virtual_match = v;
	}
	static const char *const vk[2][2] = {{"versionStart", "versionStartType"}, {"versionEnd", "versionEndType"}};
	for (int e = 0; e < 2; e++) {
		const char *val = get(&p, vk[e][0]), *type = get(&p, vk[e][1]);
		if (!val && !type)
			continue;
		if (!val || !type)
			return refuse(d, val ? vk[e][1] : vk[e][0], "%s and its type are required together",
			              vk[e][0]);
		if (!out->virtual_match)
			return refuse(d, vk[e][0], "%s requires virtualMatchString", vk[e][0]);
		if (strcmp(type, "including") && strcmp(type, "excluding"))
			return refuse(d, vk[e][1], "%s takes including or excluding", vk[e][1]);
		if (!*val || strlen(val) > KK_VERSION_MAX)
			return refuse(d, vk[e][0], "%s must be a version", vk[e][0]);
		if (e == 0) {
			out->version_start = val;
			out->start_incl = !strcmp(type, "including");
		} else {
			out->version_end = val;
			out->end_incl = !strcmp(type, "including");
		}
	}
	if ((v = get(&p, "keywordSearch"))) {
		if (!*v)
			return refuse(d, "keywordSearch", "%s needs a word", "keywordSearch");
		KK_TRY(keywords(v, get(&p, "keywordExactMatch") != NULL, out->keywords, sizeof out->keywords, d));
		q->q = out->keywords;
	} else if (get(&p, "keywordExactMatch")) {
		return refuse(d, "keywordExactMatch", "%s requires keywordSearch", "keywordExactMatch");
	}
	if ((v = get(&p, "cweId"))) {
		char *end;
		long c = strncmp(v, "CWE-", 4) ? 0 : strtol(v + 4, &end, 10);
		if (!strcmp(v, "NVD-CWE-Other") || !strcmp(v, "NVD-CWE-noinfo"))
			c = -1; /* keikai keeps CWE numbers only: no record carries these */
		else if (c < 1 || *end)
			return refuse(d, "cweId", "Invalid cweId: '%.40s' (give CWE-79, NVD-CWE-Other or NVD-CWE-noinfo)", v);
		q->cwe = (int)c;
	}
	int s2 = 0, s3 = 0, s4 = 0;
	KK_TRY(severity(&p, "cvssV2Severity", false, &s2, d));
	KK_TRY(severity(&p, "cvssV3Severity", true, &s3, d));
	KK_TRY(severity(&p, "cvssV4Severity", true, &s4, d));
	if (!!s2 + !!s3 + !!s4 > 1)
		return refuse(d, s2 ? "cvssV2Severity" : "cvssV3Severity",
		              "%s: cvssV2Severity, cvssV3Severity and cvssV4Severity cannot be combined", "cvssV*Severity");
	q->sev_cvss = s2 ? 2 : s3 ? 3 : s4 ? 4 : 0;
	q->sev = s2 ? s2 : s3 ? s3 : s4;
	static const char *const mk[3] = {"cvssV2Metrics", "cvssV3Metrics", "cvssV4Metrics"};
	for (int m = 0; m < 3; m++) {
		if (!(v = get(&p, mk[m])))
			continue;
		if (q->vector)
			return refuse(d, mk[m], "%s: cvssV2Metrics, cvssV3Metrics and cvssV4Metrics cannot be combined",
			              mk[m]);
		if (!strncmp(v, "CVSS:", 5)) {
			if (!m || (m == 1 && strncmp(v, "CVSS:3.0/", 9) && strncmp(v, "CVSS:3.1/", 9)) ||
			    (m == 2 && strncmp(v, "CVSS:4.0/", 9)))
				return refuse(d, mk[m], "%s: the vector's version does not match the parameter", mk[m]);
			if (m == 1)
				q->cvss_version = v[7] == '0' ? "3.0" : "3.1";
			v += 9;
		}
		if (m != 1)
			q->cvss_version = m ? "4.0" : "2.0";
		if (!*v)
			return refuse(d, mk[m], "%s needs metrics such as AV:N/AC:L", mk[m]);
		q->vector = v;
	}
	q->kev = get(&p, "hasKev") != NULL;
	/* NVD lists rejected CVEs unless noRejected is given: the opposite of keikai's default */
	q->withdrawn = get(&p, "noRejected") ? KK_WITHDRAWN_EXCLUDE : KK_WITHDRAWN_INCLUDE;
	KK_TRY(date_pair(&p, "pubStartDate", "pubEndDate", &q->published_from, &q->published_to, d));
	KK_TRY(date_pair(&p, "lastModStartDate", "lastModEndDate", &q->updated_from, &q->updated_to, d));
	long per = out->per_page, start = 0;
	KK_TRY(number(&p, "resultsPerPage", 0, KK_NVD_PAGE_MAX, &per, d));
	KK_TRY(number(&p, "startIndex", 0, 100000000, &start, d));
	out->per_page = (int)per;
	out->start = start;
	return 0;
}

/* ---- virtualMatchString with a version range ---- */

static int id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int ids_push(struct kk_affect_ids *ids, int64_t id)
{
	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? ids->cap * 2 : 256;
		int64_t *v = kk_realloc(ids->v, cap * sizeof *v);
		if (!v)
			return KK_ENOMEM;
		ids->v = v;
		ids->cap = cap;
	}
	ids->v[ids->n++] = id;
	return 0;
}

/* Sorts and drops duplicates. */
static void ids_unique(struct kk_affect_ids *ids)
{
	if (!ids->n)
		return;
	qsort(ids->v, ids->n, sizeof *ids->v, id_cmp);
	size_t k = 1;
	for (size_t i = 1; i < ids->n; i++)
		if (ids->v[i] != ids->v[k - 1])
			ids->v[k++] = ids->v[i];
	ids->n = k;
}

/* A match string with fewer than 13 components, completed with '*'. */
static int full_match(const char *m, char *out, size_t cap)
{
	int colons = 0;
	bool esc = false;
	for (const char *c = m; *c; c++) {
		if (esc)
			esc = false;
		else if (*c == '\\')
			esc = true;
		else if (*c == ':')
			colons++;
	}
	size_t n = (size_t)snprintf(out, cap, "%s", m);
	for (; colons < 12 && n + 3 < cap; colons++)
		n += (size_t)snprintf(out + n, cap - n, ":*");
	return colons == 12 && n < cap ? 0 : KK_ETOOBIG;
}

/*
 * Records one of whose vulnerable CPE rows the match string (with
 * wildcards, any number of trailing components left out) covers or meets,
 * and whose versions meet the query's range, into ids (sorted).
 */
static int virtual_ids(struct kk_db *db, const struct kk_nvd_query *nq, struct kk_affect_ids *ids,
                       struct kk_diag *d)
{
	char m[KK_AFFECT_CPE_MAX + 32], vendor[512], product[512];
	struct kk_cpe mc, rc_;
	size_t cap = KK_CPE_STORE(sizeof m);
	char *store = kk_malloc(2 * cap);
	if (!store)
		return KK_ENOMEM;
	int rc = full_match(nq->virtual_match, m, sizeof m);
	if (!rc)
		rc = kk_cpe_parse(m, strlen(m), &mc, store, cap, NULL);
	if (rc || mc.a[KK_CPE_VENDOR].kind != KK_CPE_VALUE || mc.a[KK_CPE_VENDOR].wild) {
		kk_free(store);
		return refuse(d, "virtualMatchString",
		              "Invalid virtualMatchString: '%.200s' must be a CPE 2.3 match string naming a vendor "
		              "(cpe:2.3:a:apache:log4j)",
		              nq->virtual_match);
	}
	if ((nq->version_start || nq->version_end) && mc.a[KK_CPE_VERSION].kind != KK_CPE_ANY) {
		kk_free(store);
		return refuse(d, "virtualMatchString", "%s: leave the version out when giving versionStart/versionEnd",
		              "virtualMatchString");
	}
	kk_cpe_fs_field(m, 1, vendor, sizeof vendor);
	bool one_product = mc.a[KK_CPE_PRODUCT].kind == KK_CPE_VALUE && !mc.a[KK_CPE_PRODUCT].wild;
	if (one_product)
		kk_cpe_fs_field(m, 2, product, sizeof product);
	struct kk_stmt *st;
	rc = kk_db_prepare(db,
	                   one_product ? "SELECT vuln_id, cpe23, version, start_incl, start_excl, end_incl, end_excl "
	                                 "FROM vuln_cpe WHERE vendor = ?1 AND product = ?2 AND vulnerable = 1 AND "
	                                 "negate = 0 AND cpe23 IS NOT NULL"
	                               : "SELECT vuln_id, cpe23, version, start_incl, start_excl, end_incl, end_excl "
	                                 "FROM vuln_cpe WHERE vendor = ?1 AND vulnerable = 1 AND negate = 0 AND "
	                                 "cpe23 IS NOT NULL",
	                   &st);
	if (rc) {
		kk_free(store);
		return rc;
	}
	kk_stmt_bind_text(st, 1, vendor, -1);
	if (one_product)
		kk_stmt_bind_text(st, 2, product, -1);
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		const char *cpe = kk_stmt_text(st, 1);
		if (kk_cpe_parse(cpe, strlen(cpe), &rc_, store + cap, cap, NULL) < 0)
			continue;
		/* the query's version is ANY when a range is given; else names must meet */
		bool any_meet = true;
		for (int a = 0; a < KK_CPE_NATTR && any_meet; a++)
			any_meet = kk_cpe_attr_compare(&mc.a[a], &rc_.a[a]) != KK_CPE_DISJOINT ||
			           (a == KK_CPE_VERSION && rc_.a[a].kind == KK_CPE_ANY);
		if (!any_meet)
			continue;
		const char *col[5];
		for (int c = 0; c < 5; c++)
			col[c] = kk_stmt_is_null(st, 2 + c) ? NULL : kk_stmt_text(st, 2 + c);
		if ((nq->version_start || nq->version_end) &&
		    !kk_affect_range_meets(col[0], col[1], col[2], col[3], col[4], nq->version_start, nq->start_incl,
		                           nq->version_end, nq->end_incl))
			continue;
		if ((rc = ids_push(ids, kk_stmt_int64(st, 0))) < 0)
			break;
	}
	kk_stmt_done(st);
	kk_free(store);
	if (rc < 0)
		return rc;
	ids_unique(ids);
	return 0;
}

/* ---- the answer ---- */

struct page {
	int64_t *ids;
	int n, cap;
};

static int collect(void *arg, const struct kk_search_hit *h)
{
	struct page *p = arg;
	if (p->n < p->cap)
		p->ids[p->n++] = h->id;
	return 0;
}

/* NVD's time form: "2021-12-10T10:15:09.000" (UTC, no zone). */
static void nvd_iso(int64_t t, char *out, size_t n)
{
	char iso[32];
	kk_time_iso(t > 0 ? t : 0, iso, sizeof iso);
	iso[19] = 0;
	snprintf(out, n, "%s.000", iso);
}

int kk_nvd_run(struct kk_db *db, const struct kk_nvd_query *nq, struct kk_json *j, struct kk_diag *d)
{
	struct kk_search_query q = nq->q;
	struct kk_affect_ids ids = {0};
	int rc = 0;
	if (nq->virtual_match)
		rc = virtual_ids(db, nq, &ids, d);
	if (!rc && nq->cve_id) {
		int64_t vid = 0;
		int f = kk_search_find(db, nq->cve_id, &vid);
		bool keep = f == 0;
		if (keep && nq->virtual_match) /* both: the CVE's record only if the match found it */
			keep = bsearch(&vid, ids.v, ids.n, sizeof *ids.v, id_cmp) != NULL;
		ids.n = 0;
		if (f < 0 && f != KK_ENOTFOUND)
			rc = f;
		else if (keep)
			rc = ids_push(&ids, vid);
	}
	if (!rc && (nq->virtual_match || nq->cve_id)) {
		q.ids = ids.v ? ids.v : (const int64_t *)&ids; /* non-NULL: an empty set matches nothing */
		q.nids = ids.n;
	}
	struct page pg = {.cap = nq->per_page};
	if (!rc && pg.cap && !(pg.ids = kk_malloc((size_t)pg.cap * sizeof *pg.ids)))
		rc = KK_ENOMEM;
	long total = 0;
	/* the page, at most KK_SEARCH_LIMIT_MAX records per search */
	for (bool first = true; !rc && (first || pg.n < pg.cap); first = false) {
		struct kk_search_result res;
		int want = pg.cap - pg.n;
		q.limit = want < 1 ? 1 : want > KK_SEARCH_LIMIT_MAX ? KK_SEARCH_LIMIT_MAX : want;
		q.offset = nq->start + pg.n;
		q.no_facets = !first;
		int before = pg.n;
		if (!pg.cap) { /* resultsPerPage=0: the count only */
			struct page none = {0};
			rc = kk_search_run(db, &q, collect, &none, &res, d);
		} else {
			rc = kk_search_run(db, &q, collect, &pg, &res, d);
		}
		if (first)
			total = res.total;
		if (rc || pg.n == before || !res.next_cursor[0])
			break;
	}
	if (rc) {
		kk_free(pg.ids);
		kk_affect_ids_release(&ids);
		return rc;
	}
	char ts[40];
	nvd_iso(kk_clock_now(), ts, sizeof ts);
	kk_json_obj_open(j);
	kk_json_kv_int(j, "resultsPerPage", pg.n);
	kk_json_kv_int(j, "startIndex", nq->start);
	kk_json_kv_int(j, "totalResults", total);
	kk_json_kv_str(j, "format", "NVD_CVE");
	kk_json_kv_str(j, "version", "2.0");
	kk_json_kv_str(j, "timestamp", ts);
	kk_json_key(j, "vulnerabilities");
	kk_json_arr_open(j);
	for (int i = 0; i < pg.n && rc >= 0; i++) {
		kk_json_obj_open(j);
		kk_json_key(j, "cve");
		rc = kk_nvd_cve_json(db, pg.ids[i], nq->cve_id, j);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_obj_close(j);
	kk_free(pg.ids);
	kk_affect_ids_release(&ids);
	return rc < 0 ? rc : 0;
}

/* ---- one record as an NVD "cve" object ---- */

static const char *col(struct kk_stmt *st, int c)
{
	return kk_stmt_is_null(st, c) ? NULL : kk_stmt_text(st, c);
}

/*
 * The CVSS metrics NVD spells out in cvssData: vector metric, NVD's key,
 * and its values as "letter=WORD" pairs. Base metrics only.
 */
struct metric_name {
	const char *metric, *key, *values;
};
static const struct metric_name v2_names[] = {
    {"AV", "accessVector", "L=LOCAL,A=ADJACENT_NETWORK,N=NETWORK"},
    {"AC", "accessComplexity", "H=HIGH,M=MEDIUM,L=LOW"},
    {"Au", "authentication", "M=MULTIPLE,S=SINGLE,N=NONE"},
    {"C", "confidentialityImpact", "N=NONE,P=PARTIAL,C=COMPLETE"},
    {"I", "integrityImpact", "N=NONE,P=PARTIAL,C=COMPLETE"},
    {"A", "availabilityImpact", "N=NONE,P=PARTIAL,C=COMPLETE"},
    {NULL, NULL, NULL}};
static const struct metric_name v3_names[] = {
    {"AV", "attackVector", "N=NETWORK,A=ADJACENT_NETWORK,L=LOCAL,P=PHYSICAL"},
    {"AC", "attackComplexity", "L=LOW,H=HIGH"},
    {"PR", "privilegesRequired", "N=NONE,L=LOW,H=HIGH"},
    {"UI", "userInteraction", "N=NONE,R=REQUIRED"},
    {"S", "scope", "U=UNCHANGED,C=CHANGED"},
    {"C", "confidentialityImpact", "H=HIGH,L=LOW,N=NONE"},
    {"I", "integrityImpact", "H=HIGH,L=LOW,N=NONE"},
    {"A", "availabilityImpact", "H=HIGH,L=LOW,N=NONE"},
    {NULL, NULL, NULL}};
static const struct metric_name v4_names[] = {
    {"AV", "attackVector", "N=NETWORK,A=ADJACENT,L=LOCAL,P=PHYSICAL"},
    {"AC", "attackComplexity", "L=LOW,H=HIGH"},
    {"AT", "attackRequirements", "N=NONE,P=PRESENT"},
    {"PR", "privilegesRequired", "N=NONE,L=LOW,H=HIGH"},
    {"UI", "userInteraction", "N=NONE,P=PASSIVE,A=ACTIVE"},
    {"VC", "vulnConfidentialityImpact", "H=HIGH,L=LOW,N=NONE"},
    {"VI", "vulnIntegrityImpact", "H=HIGH,L=LOW,N=NONE"},
    {"VA", "vulnAvailabilityImpact", "H=HIGH,L=LOW,N=NONE"},
    {"SC", "subConfidentialityImpact", "H=HIGH,L=LOW,N=NONE"},
    {"SI", "subIntegrityImpact", "H=HIGH,L=LOW,N=NONE"},
    {"SA", "subAvailabilityImpact", "H=HIGH,L=LOW,N=NONE"},
    {NULL, NULL, NULL}};

/* The WORD for letter value in a "letter=WORD,..." list into out; false when absent. */
static bool word_of(const char *values, const char *value, char *out, size_t cap)
{
	size_t vn = strlen(value);
	for (const char *p = values; *p;) {
		size_t n = strcspn(p, ",");
		const char *eq = memchr(p, '=', n);
		if (eq && (size_t)(eq - p) == vn && !strncmp(p, value, vn)) {
			snprintf(out, cap, "%.*s", (int)(n - (size_t)(eq - p) - 1), eq + 1);
			return true;
		}
		p += n;
		p += *p == ',';
	}
	return false;
}

/* A CVSS vector without the parentheses some v2 sources put round it. */
static void plain_vector(const char *in, char *out, size_t n)
{
	snprintf(out, n, "%s", in[0] == '(' ? in + 1 : in);
	if (in[0] == '(')
		out[strcspn(out, ")")] = 0;
}

/* One metric of cvssMetricV*: {source, type, cvssData{...}[, baseSeverity]}. */
static void metric_json(struct kk_json *j, const char *ver, const char *vector, double score, const char *scorer,
                        const char *type)
{
	char vec[256];
	plain_vector(vector, vec, sizeof vec);
	struct kk_cvss c;
	bool parsed = kk_cvss_parse(vec, strlen(vec), &c, NULL) == 0;
	int score10 = (int)(score * 10 + 0.5);
	int cv = ver[0] == '2' ? KK_CVSS_V2 : ver[0] == '4' ? KK_CVSS_V40 : ver[2] == '0' ? KK_CVSS_V30 : KK_CVSS_V31;
	const char *sev = kk_cvss_severity(cv, score10);
	kk_json_obj_open(j);
	kk_json_kv_str(j, "source", scorer);
	kk_json_kv_str(j, "type", type && !strcmp(type, "Primary") ? "Primary" : "Secondary");
	kk_json_key(j, "cvssData");
	kk_json_obj_open(j);
	kk_json_kv_str(j, "version", ver);
	kk_json_kv_str(j, "vectorString", vec);
	kk_json_key(j, "baseScore");
	kk_json_fixed(j, score, 1);
	if (cv != KK_CVSS_V2 && sev)
		kk_json_kv_str(j, "baseSeverity", sev);
	const struct metric_name *names = cv == KK_CVSS_V2 ? v2_names : cv == KK_CVSS_V40 ? v4_names : v3_names;
	for (int i = 0; parsed && i < kk_cvss_metric_count(cv); i++) {
		const char *m = kk_cvss_metric_name(cv, i);
		if (!c.val[i] || !m)
			continue;
		for (const struct metric_name *n = names; n->metric; n++) {
			char word[40];
			if (!strcmp(n->metric, m) && word_of(n->values, kk_cvss_value_name(cv, i, c.val[i]), word, sizeof word))
				kk_json_kv_str(j, n->key, word);
		}
	}
	kk_json_obj_close(j);
	if (cv == KK_CVSS_V2 && sev)
		kk_json_kv_str(j, "baseSeverity", sev);
	kk_json_obj_close(j);
}

/* Which rows answer for the CVE: its NVD source, else its CVE 5 source, else 0 (all the record's rows). */
struct answer {
	int64_t vid, src;
	char cve[64];
	const char *source; /* the source's name ("nvd"), or NULL for all rows */
	char source_name[16];
	int64_t published, modified;
	bool withdrawn;
};

static int pick(struct kk_db *db, int64_t vid, const char *want, struct answer *a)
{
	struct kk_stmt *st;
	int rc;
	memset(a, 0, sizeof *a);
	a->vid = vid;
	/* the CVE: the one asked for if the record holds it, else its NVD source's, else its first */
	KK_TRY(kk_db_prepare(db,
	                     "SELECT alias FROM vuln_alias WHERE vuln_id = ?1 AND alias >= 'CVE-' AND alias < 'CVE.' "
	                     "ORDER BY alias = ?2 DESC, alias IN (SELECT source_id FROM vuln_source WHERE vuln_id = ?1 "
	                     "AND source = 'nvd') DESC, alias LIMIT 1",
	                     &st));
	kk_stmt_bind_int64(st, 1, vid);
	kk_stmt_bind_text(st, 2, want ? want : "", -1);
	if ((rc = kk_stmt_step(st)) == KK_ROW)
		snprintf(a->cve, sizeof a->cve, "%s", kk_stmt_text(st, 0));
	kk_stmt_done(st);
	if (rc != KK_ROW)
		return rc < 0 ? rc : 0;
	KK_TRY(kk_db_prepare(db,
	                     "SELECT id, source, published, modified, withdrawn FROM vuln_source WHERE vuln_id = ? AND "
	                     "source_id = ? AND source IN ('nvd', 'cve5') ORDER BY source = 'nvd' DESC LIMIT 1",
	                     &st));
	kk_stmt_bind_int64(st, 1, vid);
	kk_stmt_bind_text(st, 2, a->cve, -1);
	if ((rc = kk_stmt_step(st)) == KK_ROW) {
		a->src = kk_stmt_int64(st, 0);
		snprintf(a->source_name, sizeof a->source_name, "%s", kk_stmt_text(st, 1));
		a->source = a->source_name;
		a->published = kk_stmt_int64(st, 2);
		a->modified = kk_stmt_int64(st, 3);
		a->withdrawn = kk_stmt_int64(st, 4) != 0;
	}
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	if (!a->src) {
		KK_TRY(kk_db_prepare(db, "SELECT published, modified, withdrawn FROM vuln WHERE id = ?", &st));
		kk_stmt_bind_int64(st, 1, vid);
		if ((rc = kk_stmt_step(st)) == KK_ROW) {
			a->published = kk_stmt_int64(st, 0);
			a->modified = kk_stmt_int64(st, 1);
			a->withdrawn = kk_stmt_int64(st, 2) != 0;
		}
		kk_stmt_done(st);
		if (rc < 0)
			return rc;
	}
	return 1;
}

/* Prepares sql (?1 the record, ?2 the source or 0 for every source's rows). */
static int rows(struct kk_db *db, const struct answer *a, const char *sql, struct kk_stmt **st)
{
	KK_TRY(kk_db_prepare(db, sql, st));
	kk_stmt_bind_int64(*st, 1, a->vid);
	kk_stmt_bind_int64(*st, 2, a->src);
	return 0;
}

static int descriptions(struct kk_db *db, const struct answer *a, struct kk_json *j)
{
	struct kk_stmt *st;
	KK_TRY(rows(db, a,
	            "SELECT lang, text FROM vuln_text WHERE vuln_id = ?1 AND (?2 = 0 OR src = ?2) AND kind IN "
	            "('overview', 'description') GROUP BY lang, text ORDER BY lang <> 'en', min(id)",
	            &st));
	int rc, n = 0;
	kk_json_key(j, "descriptions");
	kk_json_arr_open(j);
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		const char *text = kk_stmt_text(st, 1);
		size_t len = strlen(text);
		if (!len)
			continue;
		if (len > 4096) /* the schema's limit, cut on a character boundary */
			for (len = 4096; len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80; len--)
				;
		kk_json_obj_open(j);
		kk_json_kv_str(j, "lang", kk_stmt_text(st, 0));
		kk_json_key(j, "value");
		kk_json_strn(j, text, len);
		kk_json_obj_close(j);
		n++;
	}
	kk_stmt_done(st);
	if (!n) { /* the schema wants one */
		kk_json_obj_open(j);
		kk_json_kv_str(j, "lang", "en");
		kk_json_kv_str(j, "value", "");
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	return rc < 0 ? rc : 0;
}

static int metrics(struct kk_db *db, const struct answer *a, struct kk_json *j)
{
	static const struct {
		const char *version, *key;
	} groups[] = {{"4.0", "cvssMetricV40"}, {"3.1", "cvssMetricV31"}, {"3.0", "cvssMetricV30"}, {"2.0", "cvssMetricV2"}};
	struct kk_stmt *st;
	KK_TRY(rows(db, a,
	            "SELECT c.version, c.vector, c.score, c.scorer, c.type, s.source FROM vuln_cvss c LEFT JOIN "
	            "vuln_source s ON s.id = c.src WHERE c.vuln_id = ?1 AND (?2 = 0 OR c.src = ?2) AND c.score IS "
	            "NOT NULL ORDER BY c.id",
	            &st));
	/* rows in stored order, written grouped by version: one pass per group over a small result */
	struct row {
		char version[4], vector[200], scorer[96], type[16];
		double score;
	} *r = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			struct row *nr = kk_realloc(r, nc * sizeof *nr);
			if (!nr) {
				rc = KK_ENOMEM;
				break;
			}
			r = nr;
			cap = nc;
		}
		struct row *w = &r[n];
		const char *scorer = col(st, 3) ? col(st, 3) : col(st, 5) ? col(st, 5) : "keikai";
		snprintf(w->version, sizeof w->version, "%s", kk_stmt_text(st, 0));
		snprintf(w->vector, sizeof w->vector, "%s", kk_stmt_text(st, 1));
		snprintf(w->scorer, sizeof w->scorer, "%s", scorer);
		snprintf(w->type, sizeof w->type, "%s", col(st, 4) ? col(st, 4) : "");
		w->score = kk_stmt_double(st, 2);
		/* the same score twice (two sources of the record saying it) is written once */
		bool dup = false;
		for (size_t k = 0; k < n && !dup; k++)
			dup = !strcmp(r[k].version, w->version) && !strcmp(r[k].vector, w->vector) &&
			      !strcmp(r[k].scorer, w->scorer);
		n += !dup;
	}
	kk_stmt_done(st);
	if (rc >= 0) {
		kk_json_key(j, "metrics");
		kk_json_obj_open(j);
		for (size_t g = 0; g < sizeof groups / sizeof *groups; g++) {
			int k = 0;
			for (size_t i = 0; i < n; i++) {
				if (strcmp(r[i].version, groups[g].version))
					continue;
				if (!k++) {
					kk_json_key(j, groups[g].key);
					kk_json_arr_open(j);
				}
				metric_json(j, r[i].version, r[i].vector, r[i].score, r[i].scorer, r[i].type);
			}
			if (k)
				kk_json_arr_close(j);
		}
		kk_json_obj_close(j);
	}
	kk_free(r);
	return rc < 0 ? rc : 0;
}

static int weaknesses(struct kk_db *db, const struct answer *a, struct kk_json *j)
{
	struct kk_stmt *st;
	KK_TRY(rows(db, a,
	            "SELECT DISTINCT cwe FROM vuln_cwe WHERE vuln_id = ?1 AND (?2 = 0 OR src = ?2) AND cwe > 0 ORDER "
	            "BY cwe",
	            &st));
	int rc, n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		char cwe[32];
		snprintf(cwe, sizeof cwe, "CWE-%lld", (long long)kk_stmt_int64(st, 0));
		if (!n++) {
			kk_json_key(j, "weaknesses");
			kk_json_arr_open(j);
			kk_json_obj_open(j);
			kk_json_kv_str(j, "source", a->source && !strcmp(a->source, "nvd") ? "nvd@nist.gov"
			                            : a->source                              ? a->source
			                                                                     : "keikai");
			kk_json_kv_str(j, "type", "Primary");
			kk_json_key(j, "description");
			kk_json_arr_open(j);
		}
		kk_json_obj_open(j);
		kk_json_kv_str(j, "lang", "en");
		kk_json_kv_str(j, "value", cwe);
		kk_json_obj_close(j);
	}
	kk_stmt_done(st);
	if (n) {
		kk_json_arr_close(j);
		kk_json_obj_close(j);
		kk_json_arr_close(j);
	}
	return rc < 0 ? rc : 0;
}

/* keikai's matchCriteriaId: a UUID (version 8, RFC 9562) named by the match's criteria and bounds. */
static void match_id(const char *cpe, const char *const bounds[4], char out[37])
{
	unsigned char h[16];
	crypto_generichash_state s;
	crypto_generichash_init(&s, NULL, 0, sizeof h);
	crypto_generichash_update(&s, (const unsigned char *)cpe, strlen(cpe) + 1);
	for (int i = 0; i < 4; i++)
		crypto_generichash_update(&s, (const unsigned char *)(bounds[i] ? bounds[i] : ""),
		                          bounds[i] ? strlen(bounds[i]) + 1 : 1);
	crypto_generichash_final(&s, h, sizeof h);
	h[6] = (unsigned char)((h[6] & 0x0F) | 0x80);
	h[8] = (unsigned char)((h[8] & 0x3F) | 0x80);
	static const char hex[] = "0123456789ABCDEF";
	int k = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		out[k++] = hex[h[i] >> 4];
		out[k++] = hex[h[i] & 15];
	}
	out[k] = 0;
}

static int configurations(struct kk_db *db, const struct answer *a, struct kk_json *j)
{
	struct kk_stmt *st;
	KK_TRY(rows(db, a,
	            "SELECT src, cfg, node, cfg_and, node_and, negate, vulnerable, cpe23, start_incl, start_excl, "
	            "end_incl, end_excl, (SELECT count(DISTINCT node) FROM vuln_cpe n WHERE n.vuln_id = c.vuln_id AND "
	            "n.src = c.src AND n.cfg = c.cfg) FROM vuln_cpe c WHERE vuln_id = ?1 AND (?2 = 0 OR src = ?2) AND "
	            "cpe23 IS NOT NULL ORDER BY src, cfg, node, id",
	            &st));
	int rc, ncfg = 0;
	int64_t cur_src = -1, cur_cfg = -1, cur_node = -1;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		int64_t src = kk_stmt_int64(st, 0), cfg = kk_stmt_int64(st, 1), node = kk_stmt_int64(st, 2);
		bool new_cfg = src != cur_src || cfg != cur_cfg;
		if (new_cfg || node != cur_node) {
			if (cur_node >= 0) {
				kk_json_arr_close(j); /* cpeMatch */
				kk_json_obj_close(j); /* node */
			}
			if (new_cfg) {
				if (ncfg++) {
					kk_json_arr_close(j); /* nodes */
					kk_json_obj_close(j); /* config */
				} else {
					kk_json_key(j, "configurations");
					kk_json_arr_open(j);
				}
				kk_json_obj_open(j);
				if (kk_stmt_int64(st, 12) > 1)
					kk_json_kv_str(j, "operator", kk_stmt_int64(st, 3) ? "AND" : "OR");
				kk_json_key(j, "nodes");
				kk_json_arr_open(j);
				cur_src = src;
				cur_cfg = cfg;
			}
			kk_json_obj_open(j);
			kk_json_kv_str(j, "operator", kk_stmt_int64(st, 4) ? "AND" : "OR");
			kk_json_kv_bool(j, "negate", kk_stmt_int64(st, 5) != 0);
			kk_json_key(j, "cpeMatch");
			kk_json_arr_open(j);
			cur_node = node;
		}
		const char *cpe = kk_stmt_text(st, 7);
		const char *b[4] = {col(st, 8), col(st, 9), col(st, 10), col(st, 11)};
		static const char *const bk[4] = {"versionStartIncluding", "versionStartExcluding", "versionEndIncluding",
		                                  "versionEndExcluding"};
		char id[37];
		match_id(cpe, b, id);
		kk_json_obj_open(j);
		kk_json_kv_bool(j, "vulnerable", kk_stmt_int64(st, 6) != 0);
		kk_json_kv_str(j, "criteria", cpe);
		kk_json_kv_str(j, "matchCriteriaId", id);
		for (int i = 0; i < 4; i++)
			if (b[i])
				kk_json_kv_str(j, bk[i], b[i]);
		kk_json_obj_close(j);
	}
	kk_stmt_done(st);
	if (ncfg) {
		kk_json_arr_close(j);
		kk_json_obj_close(j);
		kk_json_arr_close(j);
		kk_json_obj_close(j);
		kk_json_arr_close(j);
	}
	return rc < 0 ? rc : 0;
}

/* A URL the NVD schema accepts: (ftp|http)s?://, no white space, at most 2048 bytes. */
static bool nvd_url(const char *u)
{
	size_t n = strlen(u);
	if (n > 2048 || strpbrk(u, " \t\r\n"))
		return false;
	return !strncmp(u, "http://", 7) || !strncmp(u, "https://", 8) || !strncmp(u, "ftp://", 6) ||
	       !strncmp(u, "ftps://", 7);
}

static int references(struct kk_db *db, const struct answer *a, struct kk_json *j)
{
	struct kk_stmt *st;
	/* one source's references as it lists them (NVD names a URL once per source that gave it); else each URL once */
	KK_TRY(rows(db, a,
	            a->src ? "SELECT url, type FROM vuln_ref WHERE vuln_id = ?1 AND src = ?2 ORDER BY id"
	                   : "SELECT url, min(type) FROM vuln_ref WHERE vuln_id = ?1 AND ?2 = 0 GROUP BY url ORDER BY "
	                     "min(id)",
	            &st));
	int rc;
	kk_json_key(j, "references");
	kk_json_arr_open(j);
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		const char *u = kk_stmt_text(st, 0), *t = col(st, 1);
		if (!nvd_url(u))
			continue;
		kk_json_obj_open(j);
		kk_json_kv_str(j, "url", u);
		if (t && *t) {
			kk_json_key(j, "tags");
			kk_json_arr_open(j);
			for (const char *p = t; *p;) {
				size_t n = strcspn(p, ",");
				while (n && p[n - 1] == ' ')
					n--;
				if (n)
					kk_json_strn(j, p, n);
				p += strcspn(p, ",");
				p += *p == ',';
				while (*p == ' ')
					p++;
			}
			kk_json_arr_close(j);
		}
		kk_json_obj_close(j);
	}
	kk_stmt_done(st);
	kk_json_arr_close(j);
	return rc < 0 ? rc : 0;
}

/* cisaExploitAdd, cisaActionDue, cisaRequiredAction, cisaVulnerabilityName from CISA KEV. */
static int kev(struct kk_db *db, const struct answer *a, struct kk_json *j)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, "SELECT date_added, due_date, required_action, name FROM vuln_kev WHERE cve = ?", &st));
	kk_stmt_bind_text(st, 1, a->cve, -1);
	int rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		static const char *const keys[] = {"cisaExploitAdd", "cisaActionDue", "cisaRequiredAction",
		                                   "cisaVulnerabilityName"};
		for (int i = 0; i < 4; i++)
			if (col(st, i) && *col(st, i))
				kk_json_kv_str(j, keys[i], col(st, i));
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

int kk_nvd_cve_json(struct kk_db *db, int64_t vuln_id, const char *cve_id, struct kk_json *j)
{
	struct answer a;
	int rc = pick(db, vuln_id, cve_id, &a);
	if (rc <= 0)
		return rc;
	char t[40];
	kk_json_obj_open(j);
	kk_json_kv_str(j, "id", a.cve);
	nvd_iso(a.published, t, sizeof t);
	kk_json_kv_str(j, "published", t);
	nvd_iso(a.modified ? a.modified : a.published, t, sizeof t);
	kk_json_kv_str(j, "lastModified", t);
	/* NVD's analysis status is not kept: the CVE Program's state (docs/api.md) */
	kk_json_kv_str(j, "vulnStatus", a.withdrawn ? "Rejected" : "Published");
	if ((rc = kev(db, &a, j)) < 0 || (rc = descriptions(db, &a, j)) < 0 || (rc = metrics(db, &a, j)) < 0 ||
	    (rc = weaknesses(db, &a, j)) < 0 || (rc = configurations(db, &a, j)) < 0 ||
	    (rc = references(db, &a, j)) < 0)
		return rc;
	kk_json_obj_close(j);
	return 1;
}

/*
 * myjvn.c — the MyJVN API (myjvn.h): parameters into a keikai search or
 * statistics query, answers as JVNRSS / VULDEF / MyJVN Results XML or JSON.
 */
#include "vulndb/myjvn.h"
#include "base/alloc.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/str.h"
#include "store/db.h"
#include "vulndb/affected.h"
#include "vulndb/cards.h"
#include "vulndb/dict.h"
#include "vulndb/jvnxml.h"
#include "vulndb/xmlw.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- parameters ---- */

static int fail(struct kk_myjvn_params *p, const char *cd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct kk_myjvn_params *p, const char *cd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err_msg, sizeof p->err_msg, fmt, ap);
	va_end(ap);
	p->err_cd = cd;
	return KK_EINVAL;
}

static const char *param(kk_myjvn_param_fn get, void *arg, const char *name)
{
	const char *v = get(arg, name);
	return v && *v ? v : NULL;
}

static bool all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strspn(s, "0123456789");
	return !s[n] && n >= min && n <= max;
}

/* Status attributes of status_3.3.xsd a request may echo. */
static const char *const echo_names[] = {
    "startItem", "maxCountItem", "xsl", "feed", "cpeName", "vendorId", "productId", "keyword", "type", "severity",
    "vector", "rangeDatePublic", "rangeDatePublished", "rangeDateFirstPublished", "datePublicStartY",
    "datePublicStartM", "datePublicStartD", "datePublicEndY", "datePublicEndM", "datePublicEndD",
    "datePublishedStartY", "datePublishedStartM", "datePublishedStartD", "datePublishedEndY",
    "datePublishedEndM", "datePublishedEndD", "dateFirstPublishedStartY", "dateFirstPublishedStartM",
    "dateFirstPublishedStartD", "dateFirstPublishedEndY", "dateFirstPublishedEndM", "dateFirstPublishedEndD",
    "vulnId", "theme", "cweId", "pid", "ft", "datePublished", "dateFirstPublished"};

/*
 * Whether value may be echoed as attribute name of status:Status:
 * status_3.3.xsd types some of them (enumerations, xs:integer), and a bad
 * value echoed there would make the error answer itself invalid. Such a
 * value is named in errMsg instead.
 */
static bool echo_valid(const char *name, const char *v)
{
	static const struct {
		const char *name, *values; /* values: " a b c " of an enumeration, NULL: xs:integer */
	} typed[] = {{"feed", " hnd "},        {"theme", " sumAll sumJvnDb sumCvss sumCwe "},
	             {"ft", " xml json "},     {"vendorId", NULL},
	             {"productId", NULL},      {"pid", NULL},
	             {"datePublished", NULL},  {"dateFirstPublished", NULL}};
	for (size_t k = 0; k < sizeof typed / sizeof typed[0]; k++) {
		if (strcmp(name, typed[k].name))
			continue;
		if (!typed[k].values)
			return all_digits(v + (*v == '+' || *v == '-'), 1, 30);
		char w[40];
		return strlen(v) < 30 && !strchr(v, ' ') && (snprintf(w, sizeof w, " %s ", v), strstr(typed[k].values, w));
	}
	return true;
}

/* The method names status_3.3.xsd enumerates that keikai answers, in enum kk_myjvn_method's order. */
static const char *const method_names[] = {"", "getVendorList", "getProductList", "getVulnOverviewList",
                                           "getVulnDetailInfo", "getStatistics", "getAlertList"};
#define N_METHODS ((int)(sizeof method_names / sizeof method_names[0]))

static long days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int month_days(int y, int m)
{
	static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : n[m - 1];
}

/* Start (end: last second) of the JST day y-m-d as epoch seconds. */
static int64_t jst_day(int y, int m, int d, bool end)
{
	int64_t t = (int64_t)days_from_civil(y, m, d) * 86400 - 9 * 3600;
	return end ? t + 86399 : t;
}

/*
 * One end of a date range of kind `kind` ("datePublic"): the Y/M/D triple
 * or the single ISO date kind+"Start"/"End". 0 with *given false when
 * neither is there.
 */
static int date_end(kk_myjvn_param_fn get, void *arg, struct kk_myjvn_params *p, const char *kind, bool end,
                    int64_t *out, bool *given)
{
	char n[64];
	const char *se = end ? "End" : "Start";
	snprintf(n, sizeof n, "%s%sY", kind, se);
	const char *y = param(get, arg, n);
	snprintf(n, sizeof n, "%s%sM", kind, se);
	const char *m = param(get, arg, n);
	snprintf(n, sizeof n, "%s%sD", kind, se);
	const char *d = param(get, arg, n);
	snprintf(n, sizeof n, "%s%s", kind, se);
	const char *iso = param(get, arg, n);
	*given = false;
	if (!y && !m && !d && !iso)
		return 0;
	int yy, mm = 0, dd = 0;
	if (iso) {
		if (y || m || d)
			return fail(p, KK_MYJVN_E_INVALID, "%s and %s%sY/M/D both given: use one of them", n, kind, se);
		size_t len = strlen(iso);
		char tail;
		if (len == 4 && all_digits(iso, 4, 4))
			yy = atoi(iso);
		else if (len == 7 && sscanf(iso, "%4d-%2d%c", &yy, &mm, &tail) == 2 && iso[4] == '-')
			;
		else if (len == 10 && sscanf(iso, "%4d-%2d-%2d%c", &yy, &mm, &dd, &tail) == 3 && iso[4] == '-' &&
		         iso[7] == '-')
			;
		else if (kk_time_parse(iso, out) == 0 && len > 10) {
			*given = true;
			return 0;
		} else
			return fail(p, KK_MYJVN_E_INVALID,
			            "%s='%s' is not a date: give YYYY, YYYY-MM, YYYY-MM-DD or an ISO 8601 time", n, iso);
	} else {
		snprintf(n, sizeof n, "%s%sY", kind, se);
		if (!y)
			return fail(p, KK_MYJVN_E_MISSING, "%s is needed when the month or day of %s%s is given", n,
			            kind, se);
		if (!all_digits(y, 4, 4))
			return fail(p, KK_MYJVN_E_INVALID, "%s='%s' is not a 4-digit year", n, y);
		yy = atoi(y);
		if (m) {
			snprintf(n, sizeof n, "%s%sM", kind, se);
			if (!all_digits(m, 1, 2))
				return fail(p, KK_MYJVN_E_INVALID, "%s='%s' is not a month 1..12", n, m);
			mm = atoi(m);
		}
		if (d) {
			snprintf(n, sizeof n, "%s%sD", kind, se);
			if (!m)
				return fail(p, KK_MYJVN_E_MISSING, "%s%sM is needed when %s is given", kind, se, n);
			if (!all_digits(d, 1, 2))
				return fail(p, KK_MYJVN_E_INVALID, "%s='%s' is not a day 1..31", n, d);
			dd = atoi(d);
		}
	}
	if (yy < 1970 || yy > 9999)
		return fail(p, KK_MYJVN_E_INVALID, "%s%s: year %d is out of range (1970..9999)", kind, se, yy);
	bool has_m = iso ? strlen(iso) >= 7 : m != NULL, has_d = iso ? strlen(iso) >= 10 : d != NULL;
	if (has_m && (mm < 1 || mm > 12))
		return fail(p, KK_MYJVN_E_INVALID, "%s%s: month %d is out of range (1..12)", kind, se, mm);
	if (has_d && (dd < 1 || dd > month_days(yy, mm)))
		return fail(p, KK_MYJVN_E_INVALID, "%s%s: %04d-%02d has no day %d", kind, se, yy, mm, dd);
	if (!mm)
		mm = end ? 12 : 1;
	if (!dd)
		dd = end ? month_days(yy, mm) : 1;
	*out = jst_day(yy, mm, dd, end);
	*given = true;
	return 0;
}

/* now minus one calendar month (UTC). */
static int64_t month_before(int64_t now)
{
	long days = (long)(now / 86400), secs = (long)(now % 86400);
	/* civil_from_days */
	long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1, m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	if (--m == 0) {
		m = 12;
		y--;
	}
	if (d > month_days((int)y, (int)m))
		d = month_days((int)y, (int)m);
	return (int64_t)days_from_civil(y, m, d) * 86400 + secs;
}

/* A date kind: its range parameter and explicit dates into *from / *to. */
static int date_kind(kk_myjvn_param_fn get, void *arg, struct kk_myjvn_params *p, int64_t now, const char *kind,
                     const char *range, int64_t *from, int64_t *to)
{
	bool g1, g2;
	int rc;
	if ((rc = date_end(get, arg, p, kind, false, from, &g1)) || (rc = date_end(get, arg, p, kind, true, to, &g2)))
		return rc;
	if (g1 && g2 && *from > *to)
		return fail(p, KK_MYJVN_E_INVALID, "%s: the start date is after the end date", kind);
	const char *r = param(get, arg, range);
	if (!r)
		r = g1 || g2 ? "n" : "w"; /* MyJVN's default: the past week */
	int64_t since;
	if (!strcmp(r, "n"))
		return 0;
	if (!strcmp(r, "w"))
		since = now - 7 * 86400;
	else if (!strcmp(r, "m"))
		since = month_before(now);
	else
		return fail(p, KK_MYJVN_E_INVALID, "%s='%s': give n (no range), w (past week) or m (past month)",
		            range, r);
	if (since > *from)
		*from = since;
	return 0;
}

static int count_param(kk_myjvn_param_fn get, void *arg, struct kk_myjvn_params *p, const char *name, long max,
                       long *out)
{
	const char *v = param(get, arg, name);
	if (!v)
		return 0;
	if (!all_digits(v, 1, 9) || atol(v) < 1 || atol(v) > max)
		return fail(p, KK_MYJVN_E_INVALID, "%s='%s': give a whole number from 1 to %ld", name, v, max);
	*out = atol(v);
	return 0;
}

/* The values of a "+"-joined parameter (a URL's '+' arrives as a space): calls one(p, value, len) for each. */
static int each_value(struct kk_myjvn_params *p, const char *name, const char *v,
                      int (*one)(struct kk_myjvn_params *, const char *, const char *, size_t), int *n)
{
	for (const char *s = v; *s;) {
		size_t len = strcspn(s, "+ ");
		if (len) {
			if (*n == KK_DICT_LIST_MAX)
				return fail(p, KK_MYJVN_E_INVALID, "%s: give at most %d values joined by '+'", name,
				            KK_DICT_LIST_MAX);
			KK_TRY(one(p, name, s, len));
		}
		s += len;
		s += *s != 0;
	}
	if (!*n)
		return fail(p, KK_MYJVN_E_INVALID, "%s='%s' holds no value", name, v);
	return 0;
}

static int one_cpe(struct kk_myjvn_params *p, const char *name, const char *s, size_t len)
{
	(void)name;
	struct kk_diag d;
	kk_diag_clear(&d);
	if (kk_dict_cpe_pattern(s, len, &p->pats[p->npats], &d) < 0)
		return fail(p, KK_MYJVN_E_INVALID, "cpeName: %s", d.msg);
	p->npats++;
	return 0;
}

/* cpeName: cpe:/{part}:{vendor}[:{product}], several joined by '+', '*' as a wildcard (vulndb/dict.h). */
static int cpe_param(struct kk_myjvn_params *p, const char *v)
{
	return each_value(p, "cpeName", v, one_cpe, &p->npats);
}

static int one_id(struct kk_myjvn_params *p, const char *name, const char *s, size_t len)
{
	bool product = strcmp(name, "vendorId") != 0;
	int64_t *ids = product ? p->product_ids : p->vendor_ids;
	int *n = product ? &p->nproduct_ids : &p->nvendor_ids;
	char v[24];
	if (len > 15 || strspn(s, "0123456789") < len)
		return fail(p, KK_MYJVN_E_INVALID, "%s='%.*s' is not a vendor or product number", name,
		            (int)(len > 40 ? 40 : len), s);
	memcpy(v, s, len);
	v[len] = 0;
	if (atoll(v) < 1)
		return fail(p, KK_MYJVN_E_INVALID, "%s='%s' is not a vendor or product number", name, v);
	ids[(*n)++] = atoll(v);
	return 0;
}

/* getAlertList's datePublished / dateFirstPublished: a year 1..9999 (MyJVN's range). */
static int year_param(kk_myjvn_param_fn get, void *arg, struct kk_myjvn_params *p, const char *name, int *out)
{
	const char *v = param(get, arg, name);
	if (!v)
		return 0;
	if (!all_digits(v, 1, 4) || atoi(v) < 1)
		return fail(p, KK_MYJVN_E_INVALID, "%s='%s': give a year as digits (1..9999)", name, v);
	*out = atoi(v);
	return 0;
}

/* vendorId, productId, pid: whole numbers joined by '+'. */
static int id_param(kk_myjvn_param_fn get, void *arg, struct kk_myjvn_params *p, const char *name)
{
	const char *v = param(get, arg, name);
	if (!v)
		return 0;
	return each_value(p, name, v, one_id, !strcmp(name, "vendorId") ? &p->nvendor_ids : &p->nproduct_ids);
}

static int overview_params(kk_myjvn_param_fn get, void *arg, int64_t now, struct kk_myjvn_params *p)
{
	int rc;
	p->q.q = param(get, arg, "keyword");
	const char *v;
	if ((v = param(get, arg, "cpeName")) && (rc = cpe_param(p, v)))
		return rc;
	if ((rc = id_param(get, arg, p, "vendorId")) || (rc = id_param(get, arg, p, "productId")))
		return rc;
	if ((v = param(get, arg, "severity"))) {
		const char *s = strchr("nlmhc", v[0]);
		if (!s || v[1] || !v[0])
			return fail(p, KK_MYJVN_E_INVALID,
			            "severity='%s': give one of n (none), l (low), m (medium), h (high), c (critical)", v);
		p->q.severity_mask = 1u << (s - "nlmhc");
	}
	if ((v = param(get, arg, "vector"))) {
		const char *c = v;
		if (!strncmp(c, "CVSS:3.0/", 9) || !strncmp(c, "CVSS:3.1/", 9))
			c += 9;
		if (strlen(c) >= sizeof p->vector || !*c)
			return fail(p, KK_MYJVN_E_INVALID, "vector='%s' is not a CVSS v3 base vector", v);
		snprintf(p->vector, sizeof p->vector, "%s", c);
		p->q.vector = p->vector;
	}
	if ((rc = date_kind(get, arg, p, now, "datePublic", "rangeDatePublic", &p->q.public_from, &p->q.public_to)) ||
	    (rc = date_kind(get, arg, p, now, "datePublished", "rangeDatePublished", &p->q.updated_from,
	                    &p->q.updated_to)) ||
	    (rc = date_kind(get, arg, p, now, "dateFirstPublished", "rangeDateFirstPublished", &p->q.published_from,
	                    &p->q.published_to)))
		return rc;
	return 0;
}

static int detail_params(kk_myjvn_param_fn get, void *arg, struct kk_myjvn_params *p)
{
	const char *v = param(get, arg, "vulnId");
	if (!v)
		return fail(p, KK_MYJVN_E_MISSING, "vulnId is required: give a JVNDB id such as JVNDB-2017-009608");
	if (strlen(v) >= sizeof p->idbuf)
		return fail(p, KK_MYJVN_E_INVALID, "vulnId is too long: give at most %d ids", KK_MYJVN_IDS_MAX);
	memcpy(p->idbuf, v, strlen(v) + 1);
	for (char *s = p->idbuf; *s;) {
		size_t n = strcspn(s, "+ ");
		if (n) {
			if (p->nids == KK_MYJVN_IDS_MAX)
				return fail(p, KK_MYJVN_E_INVALID, "vulnId: give at most %d ids", KK_MYJVN_IDS_MAX);
			p->ids[p->nids++] = s;
		}
		s += n;
		if (*s)
			*s++ = 0;
	}
	if (!p->nids)
		return fail(p, KK_MYJVN_E_MISSING, "vulnId is required: give a JVNDB id such as JVNDB-2017-009608");
	return 0;
}

static int stat_month(kk_myjvn_param_fn get, void *arg, struct kk_myjvn_params *p, const char *yn,
                      const char *mn, int *y, int *m)
{
	const char *yv = param(get, arg, yn), *mv = param(get, arg, mn);
	if (mv && !yv)
		return fail(p, KK_MYJVN_E_MISSING, "%s is needed when %s is given", yn, mn);
	if (yv && (!all_digits(yv, 4, 4) || atoi(yv) < 1970))
		return fail(p, KK_MYJVN_E_INVALID, "%s='%s' is not a 4-digit year from 1970", yn, yv);
	if (mv && (!all_digits(mv, 1, 2) || atoi(mv) < 1 || atoi(mv) > 12))
		return fail(p, KK_MYJVN_E_INVALID, "%s='%s' is not a month 1..12", mn, mv);
	*y = yv ? atoi(yv) : 0;
	*m = mv ? atoi(mv) : 0;
	return 0;
}

static int stat_params(kk_myjvn_param_fn get, void *arg, struct kk_myjvn_params *p)
{
	const char *v = param(get, arg, "theme");
	if (!v)
		return fail(p, KK_MYJVN_E_MISSING, "theme is required: sumAll, sumJvnDb, sumCvss or sumCwe");
	if (!strcmp(v, "sumAll"))
		p->themes = 7;
	else if (!strcmp(v, "sumJvnDb"))
		p->themes = 1;
	else if (!strcmp(v, "sumCvss"))
		p->themes = 2;
	else if (!strcmp(v, "sumCwe"))
		p->themes = 4;
	else
		return fail(p, KK_MYJVN_E_INVALID, "theme='%s': give sumAll, sumJvnDb, sumCvss or sumCwe", v);
	v = param(get, arg, "type");
	p->type = 'y';
	if (v && (v[1] || !strchr("yqm", v[0]) || !v[0]))
		return fail(p, KK_MYJVN_E_INVALID, "type='%s': give y (years), q (quarters) or m (months)", v);
	if (v)
		p->type = v[0];
	if ((v = param(get, arg, "cweId"))) {
		int n = kk_vuln_cwe_id(v);
		if (n <= 0)
			return fail(p, KK_MYJVN_E_INVALID, "cweId='%s' is not a CWE id such as CWE-79", v);
		p->cwe = n;
	}
	if ((p->themes & 4) && !p->cwe) {
		if (p->themes == 4)
			return fail(p, KK_MYJVN_E_MISSING, "theme=sumCwe needs cweId, such as cweId=CWE-79");
		p->themes &= 3; /* sumAll without a CWE: the two other themes */
	}
	if ((v = param(get, arg, "cpeName"))) {
		int rc = cpe_param(p, v);
		if (rc)
			return rc;
	}
	int rc;
	if ((rc = id_param(get, arg, p, "pid")))
		return rc;
	if ((rc = stat_month(get, arg, p, "datePublicStartY", "datePublicStartM", &p->stat_y0, &p->stat_m0)) ||
	    (rc = stat_month(get, arg, p, "datePublicEndY", "datePublicEndM", &p->stat_y1, &p->stat_m1)))
		return rc;
	if (p->stat_y0 && p->stat_y1 && p->stat_y0 * 12 + p->stat_m0 > p->stat_y1 * 12 + (p->stat_m1 ? p->stat_m1 : 12))
		return fail(p, KK_MYJVN_E_INVALID, "datePublicStartY/M is after datePublicEndY/M");
	return 0;
}

int kk_myjvn_parse(kk_myjvn_param_fn get, void *arg, int64_t now, struct kk_myjvn_params *p)
{
	memset(p, 0, sizeof(*p));
	p->lang = "ja";
	p->start = 1;
	const char *m = param(get, arg, "method");
	/*
	 * status:Status/@method must be one of the schema's names: an unknown
	 * method's error names the method it resembles (case aside), else
	 * getVulnOverviewList; errMsg names the method given.
	 */
	p->method_name = method_names[KK_MYJVN_OVERVIEW_LIST];
	for (int k = 1; m && k < N_METHODS; k++)
		if (!strcasecmp(m, method_names[k]))
			p->method_name = method_names[k];
	for (size_t k = 0; k < sizeof echo_names / sizeof echo_names[0]; k++) {
		const char *v = param(get, arg, echo_names[k]);
		if (v && echo_valid(echo_names[k], v) && p->necho < (int)(sizeof p->echo / sizeof p->echo[0])) {
			p->echo[p->necho].name = echo_names[k];
			p->echo[p->necho++].value = v;
		}
	}
	const char *v = param(get, arg, "lang");
	if (v && strcmp(v, "ja") && strcmp(v, "en"))
		return fail(p, KK_MYJVN_E_INVALID, "lang='%s': give ja or en", v);
	if (v)
		p->lang = !strcmp(v, "en") ? "en" : "ja";
	p->q.lang = p->lang;
	if (!m)
		return fail(p, KK_MYJVN_E_METHOD,
		            "method is required: getVendorList, getProductList, getVulnOverviewList, getVulnDetailInfo, "
		            "getStatistics or getAlertList");
	for (int k = 1; k < N_METHODS; k++)
		if (!strcmp(m, method_names[k]))
			p->method = (enum kk_myjvn_method)k;
	if (!p->method)
		return fail(p, KK_MYJVN_E_METHOD,
		            "method='%s' is not a method keikai answers: getVendorList, getProductList, "
		            "getVulnOverviewList, getVulnDetailInfo, getStatistics or getAlertList (names are "
		            "case-sensitive)",
		            m);
	if ((v = param(get, arg, "ft")) && strcmp(v, "xml") && strcmp(v, "json"))
		return fail(p, KK_MYJVN_E_INVALID, "ft='%s': give xml or json", v);
	p->json = v && !strcmp(v, "json");
	if ((v = param(get, arg, "xsl")) && strcmp(v, "0") && strcmp(v, "1"))
		return fail(p, KK_MYJVN_E_INVALID, "xsl='%s': give 0 or 1", v);
	v = param(get, arg, "feed");
	if (!v)
		return fail(p, KK_MYJVN_E_FEED, "feed is required: give feed=hnd");
	if (strcmp(v, "hnd"))
		return fail(p, KK_MYJVN_E_FEED, "feed='%s': keikai answers the HND format only; give feed=hnd", v);
	int rc;
	switch (p->method) {
	case KK_MYJVN_OVERVIEW_LIST:
		p->max = 50;
		if ((rc = count_param(get, arg, p, "startItem", 1000000000L, &p->start)) ||
		    (rc = count_param(get, arg, p, "maxCountItem", KK_MYJVN_OVERVIEW_MAX, &p->max)))
			return rc;
		return overview_params(get, arg, now, p);
	case KK_MYJVN_DETAIL_INFO:
		p->max = KK_MYJVN_DETAIL_MAX;
		if ((rc = count_param(get, arg, p, "startItem", KK_MYJVN_IDS_MAX, &p->start)) ||
		    (rc = count_param(get, arg, p, "maxCountItem", KK_MYJVN_DETAIL_MAX, &p->max)))
			return rc;
		return detail_params(get, arg, p);
	case KK_MYJVN_STATISTICS:
		return stat_params(get, arg, p);
	case KK_MYJVN_VENDOR_LIST:
	case KK_MYJVN_PRODUCT_LIST:
		p->max = KK_MYJVN_LIST_MAX;
		if ((rc = count_param(get, arg, p, "startItem", 1000000000L, &p->start)) ||
		    (rc = count_param(get, arg, p, "maxCountItem", KK_MYJVN_LIST_MAX, &p->max)))
			return rc;
		p->keyword = param(get, arg, "keyword");
		if ((v = param(get, arg, "cpeName")) && (rc = cpe_param(p, v)))
			return rc;
		if (p->method == KK_MYJVN_PRODUCT_LIST &&
		    ((rc = id_param(get, arg, p, "vendorId")) || (rc = id_param(get, arg, p, "productId"))))
			return rc;
		if ((p->npats > 0) + (p->nvendor_ids > 0) + (p->nproduct_ids > 0) > 1)
			return fail(p, KK_MYJVN_E_INVALID,
			            "cpeName, vendorId and productId: give only one of them (MyJVN takes one)");
		return 0;
	case KK_MYJVN_ALERT_LIST:
		p->max = KK_MYJVN_ALERT_MAX;
		if ((rc = count_param(get, arg, p, "startItem", 1000000000L, &p->start)) ||
		    (rc = count_param(get, arg, p, "maxCountItem", KK_MYJVN_ALERT_MAX, &p->max)) ||
		    (rc = year_param(get, arg, p, "datePublished", &p->alert_year_pub)) ||
		    (rc = year_param(get, arg, p, "dateFirstPublished", &p->alert_year_first)))
			return rc;
		if ((v = param(get, arg, "cpeName")) && (rc = cpe_param(p, v)))
			return rc;
		return 0;
	case KK_MYJVN_UNKNOWN:
		break;
	}
	return fail(p, KK_MYJVN_E_METHOD, "method='%s' is not a method keikai answers", m);
}

/* ---- answers ---- */

/*
 * MyJVN answers a request it cannot serve (a missing or bad parameter)
 * with HTTP 200 and retCd=1 in the status; clients read the status, not
 * the HTTP code. Only a failure of keikai's own database is a 500.
 */
#define BAD_REQUEST_HTTP 200

struct out {
	struct kk_arena a; /* strings of the answer */
	struct kk_buf *buf;
	struct kk_xmlw w;
	struct kk_json j;
	const struct kk_myjvn_params *p;
	const char *base;
	struct kk_myjvn_status st;
};

static void status_init(struct out *o, long ret_max)
{
	const struct kk_myjvn_params *p = o->p;
	memset(&o->st, 0, sizeof o->st);
	o->st.method = p->method_name ? p->method_name : "";
	o->st.lang = p->lang;
	o->st.ret_max = ret_max;
	o->st.err_cd = "";
	o->st.err_msg = "";
	o->st.total_res = o->st.total_res_ret = o->st.first_res = -1;
	o->st.ret_max_cnt = -1;
	for (int k = 0; k < p->necho && k < KK_MYJVN_STATUS_PARAMS; k++) {
		o->st.params[k].name = p->echo[k].name;
		o->st.params[k].value = p->echo[k].value;
	}
	o->st.nparams = p->necho < KK_MYJVN_STATUS_PARAMS ? p->necho : KK_MYJVN_STATUS_PARAMS;
}

static void status_json(struct kk_json *j, const struct kk_myjvn_status *st)
{
	kk_json_key(j, "status");
	kk_json_obj_open(j);
	kk_json_kv_str(j, "version", "3.3");
	kk_json_kv_str(j, "method", st->method);
	kk_json_kv_str(j, "lang", st->lang);
	kk_json_kv_int(j, "retCd", st->ret_cd);
	if (st->ret_max >= 0)
		kk_json_kv_int(j, "retMax", st->ret_max);
	if (st->ret_max_cnt >= 0)
		kk_json_kv_int(j, "retMaxCnt", st->ret_max_cnt);
	kk_json_kv_str(j, "errCd", st->err_cd);
	kk_json_kv_str(j, "errMsg", st->err_msg);
	if (st->total_res >= 0)
		kk_json_kv_int(j, "totalRes", st->total_res);
	if (st->total_res_ret >= 0)
		kk_json_kv_int(j, "totalResRet", st->total_res_ret);
	if (st->first_res >= 0)
		kk_json_kv_int(j, "firstRes", st->first_res);
	for (int k = 0; k < st->nparams; k++)
		kk_json_kv_str(j, st->params[k].name, st->params[k].value);
	kk_json_obj_close(j);
}

static void result_open(struct out *o, bool stats)
{
	kk_xmlw_init(&o->w, o->buf);
	kk_xmlw_open(&o->w, "Result");
	kk_xmlw_attr(&o->w, "version", "3.3");
	kk_xmlw_attr(&o->w, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
	kk_xmlw_attr(&o->w, "xmlns", "http://jvndb.jvn.jp/myjvn/Results");
	kk_xmlw_attr(&o->w, "xmlns:mjres", "http://jvndb.jvn.jp/myjvn/Results");
	if (stats)
		kk_xmlw_attr(&o->w, "xmlns:mjstat", "http://jvndb.jvn.jp/myjvn/Statistics");
	kk_xmlw_attr(&o->w, "xmlns:status", "http://jvndb.jvn.jp/myjvn/Status");
	kk_xmlw_attr(&o->w, "xsi:schemaLocation",
	             "http://jvndb.jvn.jp/myjvn/Results https://jvndb.jvn.jp/schema/results_3.3.xsd");
}

/* A document holding only the status (errors, empty results). */
static int status_only(struct out *o)
{
	if (o->p->json) {
		kk_json_init(&o->j, o->buf);
		kk_json_obj_open(&o->j);
		status_json(&o->j, &o->st);
		kk_json_obj_close(&o->j);
		kk_buf_putc(o->buf, '\n');
		return kk_json_error(&o->j);
	}
	result_open(o, false);
	kk_myjvn_status_write(&o->w, &o->st);
	kk_xmlw_close(&o->w);
	return kk_xmlw_finish(&o->w);
}

static int answer_error(struct out *o, struct kk_myjvn_answer *ans, int http, const char *cd, const char *msg)
{
	kk_buf_reset(o->buf);
	status_init(o, -1);
	o->st.ret_cd = 1;
	o->st.err_cd = cd;
	o->st.err_msg = msg;
	ans->http_status = http;
	ans->modified = 0;
	return status_only(o);
}

static const char *item_url(struct kk_arena *a, const char *base, const char *jvndb, const char *lang)
{
	return kk_arena_printf(a, "%s/vulns/%s?lang=%s", base, jvndb, lang);
}

/* The search page hits of getVulnOverviewList: skip start-1, keep max. */
struct collect {
	long skip, want, seen;
	int n;
	int64_t *ids;
	char (*jvndb)[24];
};

static int collect_hit(void *arg, const struct kk_search_hit *h)
{
	struct collect *c = arg;
	c->seen++;
	if (c->skip > 0) {
		c->skip--;
		return 0;
	}
	if (c->n < c->want) {
		c->ids[c->n] = h->id;
		kk_strlcpy(c->jvndb[c->n], h->jvndb, sizeof c->jvndb[0]);
		c->n++;
	}
	return 0;
}

static void entry_json(struct kk_json *j, const struct kk_vuln_view *v, const char *url, const char *lang)
{
	const struct kk_vuln_rec *r = &v->rec;
	char t[40];
	kk_json_obj_open(j);
	kk_json_kv_str(j, "title", kk_vuln_view_title(v, lang));
	kk_json_kv_str(j, "id", v->jvndb);
	kk_json_kv_str(j, "summary", kk_vuln_view_text(v, "overview", lang));
	kk_json_kv_str(j, "link", url);
	kk_time_w3c_jst(v->modified, t, sizeof t);
	kk_json_kv_str(j, "modified", v->modified ? t : NULL);
	int64_t created = v->first_published ? v->first_published : v->published;
	kk_time_w3c_jst(created, t, sizeof t);
	kk_json_kv_str(j, "created", created ? t : NULL);
	kk_time_w3c_jst(v->public_date, t, sizeof t);
	kk_json_kv_str(j, "public", v->public_date ? t : NULL);
	kk_json_key(j, "aliases");
	kk_json_arr_open(j);
	for (size_t k = 0; k < r->n_aliases; k++)
		kk_json_str(j, r->aliases[k]);
	kk_json_arr_close(j);
	kk_json_key(j, "references");
	kk_json_arr_open(j);
	for (size_t k = 0; k < r->n_refs; k++) {
		kk_json_obj_open(j);
		kk_json_kv_str(j, "url", r->refs[k].url);
		kk_json_kv_str(j, "source", r->refs[k].type);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_key(j, "products");
	kk_json_arr_open(j);
	for (size_t k = 0; k < r->n_cpes; k++) {
		kk_json_obj_open(j);
		kk_json_kv_str(j, "vname", r->cpes[k].vendor);
		kk_json_kv_str(j, "pname", r->cpes[k].product);
		kk_json_kv_str(j, "cpe", r->cpes[k].cpe23);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_key(j, "cvss");
	kk_json_arr_open(j);
	for (size_t k = 0; k < r->n_cvss; k++) {
		if (r->cvss[k].score < 0)
			continue;
		kk_json_obj_open(j);
		kk_json_kv_str(j, "version", r->cvss[k].version);
		kk_json_key(j, "score");
		kk_json_fixed(j, r->cvss[k].score, 1);
		kk_json_kv_str(j, "severity", r->cvss[k].severity);
		kk_json_kv_str(j, "vector", r->cvss[k].vector);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_key(j, "cwes");
	kk_json_arr_open(j);
	for (size_t k = 0; k < r->n_cwes; k++) {
		kk_json_obj_open(j);
		char id[24];
		snprintf(id, sizeof id, "CWE-%d", v->cwe_names[k].id);
		kk_json_kv_str(j, "id", id);
		kk_json_kv_str(j, "name", v->cwe_names[k].name);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_obj_close(j);
}

static int answer_overview(struct kk_db *db, struct out *o, int64_t now, struct kk_myjvn_answer *ans)
{
	const struct kk_myjvn_params *p = o->p;
	struct kk_search_query q = p->q;
	struct collect c = {.skip = p->start - 1, .want = p->max};
	c.ids = kk_calloc((size_t)p->max, sizeof *c.ids);
	c.jvndb = kk_calloc((size_t)p->max, sizeof *c.jvndb);
	if (!c.ids || !c.jvndb) {
		kk_free(c.ids);
		kk_free(c.jvndb);
		return KK_ENOMEM;
	}
	struct kk_search_result res;
	struct kk_diag d;
	kk_diag_clear(&d);
	long total = -1;
	char cursor[KK_SEARCH_CURSOR_MAX];
	int rc;
	for (;;) {
		long need = c.skip + c.want - c.n;
		q.limit = (int)(need > KK_SEARCH_LIMIT_MAX ? KK_SEARCH_LIMIT_MAX : need);
		if ((rc = kk_search_run(db, &q, collect_hit, &c, &res, &d)) < 0)
			break;
		if (total < 0)
			total = res.total;
		if (c.n >= c.want || !res.next_cursor[0])
			break;
		kk_strlcpy(cursor, res.next_cursor, sizeof cursor);
		q.cursor = cursor;
		q.no_facets = true; /* the total is known from the first page */
	}
	if (rc < 0) {
		kk_free(c.ids);
		kk_free(c.jvndb);
		if (rc == KK_EINVAL)
			return answer_error(o, ans, BAD_REQUEST_HTTP, KK_MYJVN_E_INVALID, d.msg[0] ? d.msg : "keyword: not a valid query");
		return answer_error(o, ans, 500, KK_MYJVN_E_INTERNAL, "the database failed; try again");
	}
	status_init(o, KK_MYJVN_OVERVIEW_MAX);
	o->st.total_res = total;
	o->st.total_res_ret = c.n;
	o->st.first_res = p->start;
	if (!c.n) {
		kk_free(c.ids);
		kk_free(c.jvndb);
		return status_only(o);
	}
	struct kk_arena urls;
	kk_arena_init(&urls, 0);
	const char **u = kk_arena_alloc(&urls, (size_t)c.n * sizeof *u);
	for (int k = 0; u && k < c.n; k++)
		u[k] = item_url(&urls, o->base, c.jvndb[k], p->lang);
	if (!u) {
		rc = KK_ENOMEM;
		goto out;
	}
	if (p->json) {
		kk_json_init(&o->j, o->buf);
		kk_json_obj_open(&o->j);
		kk_json_key(&o->j, "feed");
		kk_json_obj_open(&o->j);
		kk_json_kv_str(&o->j, "title", !strcmp(p->lang, "ja") ? "keikai 脆弱性対策情報" : "keikai vulnerability database");
		kk_json_kv_str(&o->j, "link", kk_arena_printf(&urls, "%s/myjvn", o->base));
		kk_json_kv_str(&o->j, "lang", p->lang);
		kk_json_key(&o->j, "entry");
		kk_json_arr_open(&o->j);
	} else {
		kk_xmlw_init(&o->w, o->buf);
		struct kk_jvnrss_channel ch = {
		    .about = kk_arena_printf(&urls, "%s/myjvn", o->base),
		    .title = !strcmp(p->lang, "ja") ? "keikai 脆弱性対策情報" : "keikai vulnerability database",
		    .link = kk_arena_printf(&urls, "%s/vulns?lang=%s", o->base, p->lang),
		    .description = !strcmp(p->lang, "ja") ? "keikai 脆弱性対策情報 (MyJVN API 互換)"
		                                          : "keikai vulnerability database (MyJVN API compatible)",
		    .lang = p->lang,
		    .date = now,
		    .myjvn = true};
		kk_jvnrss_begin(&o->w, &ch, u, (size_t)c.n);
	}
	struct kk_arena a;
	kk_arena_init(&a, 0);
	struct kk_vuln_view *views = kk_arena_alloc(&a, (size_t)c.n * sizeof *views);
	rc = views ? kk_vuln_views_load(db, c.ids, (size_t)c.n, KK_VIEW_SUMMARY, &a, views) : KK_ENOMEM;
	for (int k = 0; k < c.n && !rc; k++) {
		if (!views[k].jvndb)
			continue; /* removed since the search */
		if (views[k].modified > ans->modified)
			ans->modified = views[k].modified;
		if (p->json)
			entry_json(&o->j, &views[k], u[k], p->lang);
		else
			kk_jvnrss_item(&o->w, &views[k], u[k], p->lang);
	}
	kk_arena_release(&a);
	if (rc) {
		kk_arena_release(&urls);
		kk_free(c.ids);
		kk_free(c.jvndb);
		return answer_error(o, ans, 500, KK_MYJVN_E_INTERNAL, "the database failed; try again");
	}
	if (p->json) {
		kk_json_arr_close(&o->j);
		kk_json_obj_close(&o->j);
		status_json(&o->j, &o->st);
		kk_json_obj_close(&o->j);
		kk_buf_putc(o->buf, '\n');
		rc = kk_json_error(&o->j);
	} else {
		kk_myjvn_status_write(&o->w, &o->st);
		kk_jvnrss_end(&o->w);
		rc = kk_xmlw_finish(&o->w);
	}
out:
	kk_arena_release(&urls);
	kk_free(c.ids);
	kk_free(c.jvndb);
	return rc;
}

static int answer_detail(struct kk_db *db, struct out *o, struct kk_myjvn_answer *ans)
{
	const struct kk_myjvn_params *p = o->p;
	int64_t found[KK_MYJVN_IDS_MAX];
	int nfound = 0, rc = 0;
	for (int k = 0; k < p->nids; k++) {
		int64_t id;
		rc = kk_search_find(db, p->ids[k], &id);
		if (rc == KK_ENOTFOUND)
			continue;
		if (rc < 0)
			return answer_error(o, ans, 500, KK_MYJVN_E_INTERNAL, "the database failed; try again");
		bool dup = false;
		for (int i = 0; i < nfound; i++)
			dup |= found[i] == id;
		if (!dup)
			found[nfound++] = id;
	}
	rc = 0; /* an id not found is left out, not an error */
	status_init(o, KK_MYJVN_DETAIL_MAX);
	long first = p->start - 1, n = nfound - first;
	if (n < 0)
		n = 0;
	if (n > p->max)
		n = p->max;
	o->st.total_res = nfound;
	o->st.total_res_ret = n;
	o->st.first_res = p->start;
	if (!n)
		return status_only(o);
	if (p->json) {
		kk_json_init(&o->j, o->buf);
		kk_json_obj_open(&o->j);
		kk_json_key(&o->j, "vulinfo");
		kk_json_arr_open(&o->j);
	} else {
		kk_xmlw_init(&o->w, o->buf);
		kk_vuldef_begin(&o->w, p->lang, true);
	}
	struct kk_arena a;
	kk_arena_init(&a, 0);
	struct kk_vuln_view *views = NULL;
	if (!p->json) {
		views = kk_arena_alloc(&a, (size_t)n * sizeof *views);
		rc = views ? kk_vuln_views_load(db, found + first, (size_t)n, KK_VIEW_FULL, &a, views) : KK_ENOMEM;
	}
	for (long k = 0; k < n && !rc; k++) {
		if (p->json) {
			int64_t m = 0;
			rc = kk_search_record_json(db, found[first + k], &o->j, &m);
			if (m > ans->modified)
				ans->modified = m;
		} else if (views[k].jvndb) {
			if (views[k].modified > ans->modified)
				ans->modified = views[k].modified;
			kk_vuldef_vulinfo(&o->w, &views[k], item_url(&a, o->base, views[k].jvndb, p->lang), p->lang);
		}
	}
	kk_arena_release(&a);
	if (rc < 0)
		return answer_error(o, ans, 500, KK_MYJVN_E_INTERNAL, "the database failed; try again");
	if (p->json) {
		kk_json_arr_close(&o->j);
		status_json(&o->j, &o->st);
		kk_json_obj_close(&o->j);
		kk_buf_putc(o->buf, '\n');
		return kk_json_error(&o->j);
	}
	kk_vuldef_end_records(&o->w);
	kk_myjvn_status_write(&o->w, &o->st);
	kk_vuldef_end(&o->w);
	return kk_xmlw_finish(&o->w);
}

/* ---- getStatistics ---- */

#define STAT_PERIODS 2400 /* 200 years of months */

struct stats {
	int first_key, nper;              /* period key of index 0 (year*12+month-1 style, see key_of) */
	long all[STAT_PERIODS], sev[STAT_PERIODS][5];
};

/* The period key of a JST day number: y, y*4+q, y*12+m. */
static int key_of(char type, long day)
{
	long z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	long m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	return type == 'y' ? (int)y : type == 'q' ? (int)(y * 4 + (m - 1) / 3) : (int)(y * 12 + m - 1);
}

static void key_label(char type, int key, char *out, size_t n)
{
	if (type == 'y')
		snprintf(out, n, "%d", key);
	else if (type == 'q')
		snprintf(out, n, "%d-%dQ", key / 4, key % 4 + 1);
	else
		snprintf(out, n, "%d-%02d", key / 12, key % 12 + 1);
}

static int key_ym(char type, int y, int m, bool end)
{
	if (!m)
		m = end ? 12 : 1;
	return type == 'y' ? y : type == 'q' ? y * 4 + (m - 1) / 3 : y * 12 + m - 1;
}

/*
 * The records MyJVN's statistics count: present, not withdrawn, within the
 * product filter (p->q.ids) and, for sumCwe, of the CWE. The search's
 * in-memory cards (vulndb/cards.h) carry their dates and severities, so a
 * statistic is one pass over arrays instead of a scan of the vuln table.
 */
#define ST_OUT 1u   /* withdrawn: never counted */
#define ST_CWE 2u   /* has the CWE asked for */
#define ST_ONLY 4u  /* among the product filter's records */

static int stat_mark(struct kk_db *db, const char *sql, int64_t arg, uint8_t *mark, int64_t max, uint8_t bit)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, sql, &st));
	if (arg)
		kk_stmt_bind_int64(st, 1, arg);
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		int64_t id = kk_stmt_int64(st, 0);
		if (id >= 0 && id <= max)
			mark[id] |= bit;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* The day (JST) a record counts under: when it became public, else when first published; -1 when neither. */
static long stat_day(const struct kk_cards *c, int64_t id)
{
	int64_t t = c->public_date[id] > 0 ? c->public_date[id] : c->published[id];
	return t > 0 ? (long)((t + 32400) / 86400) : -1;
}

/* Counts per period and severity of the records matching (cwe: 0 = all); *first_day the earliest day seen. */
static int stat_count(struct kk_db *db, const struct kk_myjvn_params *p, int cwe, struct stats *s, int k0, int k1,
                      long *max)
{
	const struct kk_cards *c;
	KK_TRY(kk_cards_acquire(db, &c));
	uint8_t *mark = kk_calloc((size_t)c->max_id + 1, 1);
	int rc = mark ? 0 : KK_ENOMEM;
	if (!rc)
		rc = stat_mark(db, "SELECT id FROM vuln WHERE withdrawn = 1", 0, mark, c->max_id, ST_OUT);
	if (!rc && cwe)
		rc = stat_mark(db, "SELECT vuln_id FROM vuln_cwe WHERE cwe = ?", cwe, mark, c->max_id, ST_CWE);
	for (size_t k = 0; !rc && p->q.ids && k < p->q.nids; k++)
		if (p->q.ids[k] >= 0 && p->q.ids[k] <= c->max_id)
			mark[p->q.ids[k]] |= ST_ONLY;
	memset(s->all, 0, sizeof s->all);
	memset(s->sev, 0, sizeof s->sev);
	s->first_key = k0;
	s->nper = k1 - k0 + 1;
	*max = 0;
	uint8_t need = (uint8_t)((cwe ? ST_CWE : 0) | (p->q.ids ? ST_ONLY : 0));
	for (int64_t id = 1; !rc && id <= c->max_id; id++) {
		if (!(c->flags[id] & KK_CARD_PRESENT) || (mark[id] & (ST_OUT | need)) != need)
			continue;
		long day = stat_day(c, id);
		if (day < 0)
			continue;
		int k = key_of(p->type, day) - k0;
		if (k < 0 || k >= s->nper)
			continue;
		int sev = c->severity[id];
		s->all[k]++;
		s->sev[k][sev <= 4 ? sev : 0]++;
	}
	kk_cards_release();
	kk_free(mark);
	for (int k = 0; k < s->nper; k++)
		if (s->all[k] > *max)
			*max = s->all[k];
	return rc;
}

/* The statistics' totals: records not withdrawn (*vulinfo) and the earliest counted day (-1: none). */
static int stat_totals(struct kk_db *db, int64_t *vulinfo, long *first_day)
{
	const struct kk_cards *c;
	KK_TRY(kk_cards_acquire(db, &c));
	uint8_t *mark = kk_calloc((size_t)c->max_id + 1, 1);
	int rc = mark ? stat_mark(db, "SELECT id FROM vuln WHERE withdrawn = 1", 0, mark, c->max_id, ST_OUT) : KK_ENOMEM;
	*vulinfo = 0;
	*first_day = -1;
	for (int64_t id = 1; !rc && id <= c->max_id; id++) {
		if (!(c->flags[id] & KK_CARD_PRESENT) || (mark[id] & ST_OUT))
			continue;
		++*vulinfo;
		long day = stat_day(c, id);
		if (day >= 0 && (*first_day < 0 || day < *first_day))
			*first_day = day;
	}
	kk_cards_release();
	kk_free(mark);
	return rc;
}

static int64_t scalar(struct kk_db *db, const char *sql, int *rc)
{
	struct kk_stmt *st;
	int64_t v = 0;
	if (*rc || (*rc = kk_db_prepare(db, sql, &st)))
		return 0;
	int r = kk_stmt_step(st);
	if (r == KK_ROW)
		v = kk_stmt_int64(st, 0);
	else if (r < 0)
		*rc = r;
	kk_stmt_done(st);
	return v;
}

static int answer_stats(struct kk_db *db, struct out *o, int64_t now, struct kk_myjvn_answer *ans)
{
	const struct kk_myjvn_params *p = o->p;
	int rc = 0;
	int y0 = p->stat_y0, y1 = p->stat_y1;
	int64_t vulinfo = 0;
	long first_day = -1;
	rc = stat_totals(db, &vulinfo, &first_day);
	if (!y0)
		y0 = key_of('y', first_day >= 0 ? first_day : (long)((now + 32400) / 86400));
	if (!y1)
		y1 = key_of('y', (long)((now + 32400) / 86400));
	int k0 = key_ym(p->type, y0, p->stat_y0 ? p->stat_m0 : 0, false);
	int k1 = key_ym(p->type, y1, p->stat_y1 ? p->stat_m1 : 0, true);
	if (!p->stat_y1 && p->type != 'y')
		k1 = key_of(p->type, (long)((now + 32400) / 86400));
	if (k1 < k0)
		k1 = k0;
	if (k1 - k0 + 1 > STAT_PERIODS)
		return answer_error(o, ans, BAD_REQUEST_HTTP, KK_MYJVN_E_INVALID,
		                    "datePublicStartY..datePublicEndY spans too many periods: narrow the range");
	/* the vendor/product dictionary (vulndb/dict.h): MyJVN's own entries and those of the records */
	int64_t vendors = scalar(db, "SELECT count(*) FROM vuln_vendor WHERE cpe_vendor IS NOT NULL", &rc);
	int64_t products = scalar(db, "SELECT count(*) FROM vuln_product WHERE cpe_vendor IS NOT NULL AND cpe_product IS NOT NULL", &rc);
	if (rc < 0)
		return answer_error(o, ans, 500, KK_MYJVN_E_INTERNAL, "the database failed; try again");
	struct stats *s = kk_malloc(sizeof *s);
	if (!s)
		return KK_ENOMEM;
	status_init(o, 10000);
	long max_all = 0;
	if (p->json) {
		kk_json_init(&o->j, o->buf);
		kk_json_obj_open(&o->j);
	} else {
		result_open(o, true);
	}
	static const char *const theme_el[3] = {"mjstat:sumJvnDb", "mjstat:sumCvss", "mjstat:sumCwe"};
	static const char *const theme_key[3] = {"sumJvnDb", "sumCvss", "sumCwe"};
	static const char *const title_ja[3] = {"脆弱性統計情報", "CVSSスコア", NULL};
	static const char *const title_en[3] = {"Statistics Vulnerability Count", "CVSS Score", NULL};
	char cwe_id[24], cwe_ja[320] = "", cwe_en[320] = "";
	snprintf(cwe_id, sizeof cwe_id, "CWE-%d", p->cwe);
	if (p->cwe) {
		struct kk_stmt *st;
		if (!(rc = kk_db_prepare(db, "SELECT name FROM cwe WHERE id = ?", &st))) {
			kk_stmt_bind_int64(st, 1, p->cwe);
			if (kk_stmt_step(st) == KK_ROW)
				snprintf(cwe_en, sizeof cwe_en, "%s", kk_stmt_text(st, 0));
			kk_stmt_done(st);
		}
		if (!cwe_en[0])
			snprintf(cwe_en, sizeof cwe_en, "%s", cwe_id);
		snprintf(cwe_ja, sizeof cwe_ja, "%s", cwe_en); /* keikai's CWE catalog is MITRE's, in English */
	}
	long periods = 0;
	for (int t = 0; t < 3 && !rc; t++) {
		if (!(p->themes & (1u << t)))
			continue;
		long max;
		if ((rc = stat_count(db, p, t == 2 ? p->cwe : 0, s, k0, k1, &max)))
			break;
		if (max > max_all)
			max_all = max;
		periods = s->nper;
		const char *tja = t == 2 ? cwe_ja : title_ja[t], *ten = t == 2 ? cwe_en : title_en[t];
		if (p->json) {
			kk_json_key(&o->j, theme_key[t]);
			kk_json_obj_open(&o->j);
			if (t == 2)
				kk_json_kv_str(&o->j, "cweId", cwe_id);
			kk_json_key(&o->j, "title");
			kk_json_obj_open(&o->j);
			kk_json_kv_str(&o->j, "ja", tja);
			kk_json_kv_str(&o->j, "en", ten);
			kk_json_obj_close(&o->j);
			kk_json_key(&o->j, "resDataTotal");
			kk_json_obj_open(&o->j);
			kk_json_kv_int(&o->j, "vulinfo", vulinfo);
			kk_json_kv_int(&o->j, "vendor", vendors);
			kk_json_kv_int(&o->j, "product", products);
			kk_json_obj_close(&o->j);
			kk_json_key(&o->j, "resData");
			kk_json_arr_open(&o->j);
		} else {
			kk_xmlw_open(&o->w, theme_el[t]);
			if (t == 2)
				kk_xmlw_attr(&o->w, "cweId", cwe_id);
			kk_xmlw_open(&o->w, "mjstat:title");
			kk_xmlw_attr(&o->w, "xml:lang", "ja");
			kk_xmlw_text(&o->w, tja);
			kk_xmlw_close(&o->w);
			kk_xmlw_open(&o->w, "mjstat:title");
			kk_xmlw_attr(&o->w, "xml:lang", "en-US");
			kk_xmlw_text(&o->w, ten);
			kk_xmlw_close(&o->w);
			kk_xmlw_open(&o->w, "mjstat:resDataTotal");
			kk_xmlw_attr_int(&o->w, "vulinfo", vulinfo);
			kk_xmlw_attr_int(&o->w, "vendor", vendors);
			kk_xmlw_attr_int(&o->w, "product", products);
			kk_xmlw_close(&o->w);
		}
		static const char *const sev_attr[5] = {"cntN", "cntL", "cntM", "cntH", "cntC"};
		for (int k = 0; k < s->nper; k++) {
			char label[24];
			key_label(p->type, s->first_key + k, label, sizeof label);
			if (p->json) {
				kk_json_obj_open(&o->j);
				kk_json_kv_str(&o->j, "date", label);
				kk_json_kv_int(&o->j, "cntAll", s->all[k]);
				for (int v = 4; t == 1 && v >= 0; v--)
					kk_json_kv_int(&o->j, sev_attr[v], s->sev[k][v]);
				kk_json_obj_close(&o->j);
			} else {
				kk_xmlw_open(&o->w, "mjstat:resData");
				kk_xmlw_attr(&o->w, "date", label);
				kk_xmlw_attr_int(&o->w, "cntAll", s->all[k]);
				for (int v = 4; t == 1 && v >= 0; v--)
					kk_xmlw_attr_int(&o->w, sev_attr[v], s->sev[k][v]);
				kk_xmlw_close(&o->w);
			}
		}
		if (p->json) {
			kk_json_arr_close(&o->j);
			kk_json_obj_close(&o->j);
		} else {
			kk_xmlw_close(&o->w);
		}
	}
	kk_free(s);
	if (rc < 0)
		return answer_error(o, ans, 500, KK_MYJVN_E_INTERNAL, "the database failed; try again");
	o->st.ret_max_cnt = max_all;
	o->st.total_res = o->st.total_res_ret = periods;
	if (p->json) {
		status_json(&o->j, &o->st);
		kk_json_obj_close(&o->j);
		kk_buf_putc(o->buf, '\n');
		return kk_json_error(&o->j);
	}
	kk_myjvn_status_write(&o->w, &o->st); /* firstRes "" as MyJVN writes it for statistics */
	kk_xmlw_close(&o->w);
	return kk_xmlw_finish(&o->w);
}

/* MyJVN's vendor/product ids as dictionary lists: MyJVN's own (jvn) or keikai's (own, offset). */
static void id_lists(const int64_t *given, int n, int64_t *jvn, int *njvn, int64_t *own, int *nown)
{
	*njvn = *nown = 0;
	for (int k = 0; k < n; k++)
		if (given[k] >= KK_MYJVN_OWN_ID)
			own[(*nown)++] = given[k] - KK_MYJVN_OWN_ID;
		else
			jvn[(*njvn)++] = given[k];
}

/* The dictionary query of p's product filters (cpeName patterns, vendorId, productId). */
static void dict_filters(const struct kk_myjvn_params *p, struct kk_dict_query *q, int64_t lists[4][KK_DICT_LIST_MAX])
{
	q->pats = p->pats;
	q->npats = p->npats;
	q->cpe_only = true;
	id_lists(p->vendor_ids, p->nvendor_ids, lists[0], &q->njvn_vids, lists[1], &q->nvendor_ids);
	id_lists(p->product_ids, p->nproduct_ids, lists[2], &q->njvn_pids, lists[3], &q->nproduct_ids);
	q->jvn_vids = lists[0];
	q->vendor_ids = lists[1];
	q->jvn_pids = lists[2];
	q->product_ids = lists[3];
}

/* ---- getAlertList (the alerts in myjvn_alert, schema 0026) ---- */

/* SQL GLOB's '*' and '[c]' (all kk_dict_cpe_pattern writes) over s. */
static bool glob_match(const char *p, const char *s)
{
	for (; *p; p++, s++) {
		if (*p == '*') {
			for (;; s++) {
				if (glob_match(p + 1, s))
					return true;
				if (!*s)
					return false;
			}
		}
		if (!*s)
			return false;
		if (*p == '[' && p[1] && p[2] == ']') {
			if (*s != p[1])
				return false;
			p += 2;
		} else if (*p != *s) {
			return false;
		}
	}
	return !*s;
}

/* Whether the alert (its items' CPE names) matches one of p's cpeName patterns (none given: every alert). */
static int alert_cpe_match(struct kk_db *db, const struct kk_myjvn_params *p, int64_t alert, bool *ok)
{
	*ok = !p->npats;
	if (*ok)
		return 0;
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, "SELECT cpe_vendor, coalesce(cpe_product, '') FROM myjvn_alert_item WHERE alert = ? AND cpe_vendor IS NOT NULL", &st));
	kk_stmt_bind_int64(st, 1, alert);
	int rc;
	while (!*ok && (rc = kk_stmt_step(st)) == KK_ROW)
		for (int k = 0; k < p->npats && !*ok; k++)
			*ok = glob_match(p->pats[k].vendor, kk_stmt_text(st, 0)) &&
			      (!p->pats[k].product[0] || glob_match(p->pats[k].product, kk_stmt_text(st, 1)));
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

static void alert_items(struct kk_db *db, struct out *o, int64_t alert)
{
	struct kk_stmt *st;
	if (kk_db_prepare(db, "SELECT item_id, title, summary, link, cpe, coalesce(published, 0), coalesce(updated, 0), "
	                      "cpe_vendor, cpe_product FROM myjvn_alert_item WHERE alert = ? ORDER BY id", &st))
		return;
	kk_stmt_bind_int64(st, 1, alert);
	bool open = false;
	char t[40];
	while (kk_stmt_step(st) == KK_ROW) {
		const char *f[5];
		for (int k = 0; k < 5; k++)
			f[k] = kk_stmt_is_null(st, k) ? NULL : kk_stmt_text(st, k);
		if (o->p->json) {
			if (!open)
				kk_json_key(&o->j, "sec:items"), kk_json_arr_open(&o->j);
			kk_json_obj_open(&o->j);
			kk_json_key(&o->j, "sec:item");
			kk_json_obj_open(&o->j);
			kk_json_kv_str(&o->j, "sec:title", f[1]);
			kk_json_kv_str(&o->j, "sec:identifier", f[0]);
			if (f[2])
				kk_json_kv_str(&o->j, "sec:summary", f[2]);
			if (f[3])
				kk_json_kv_str(&o->j, "sec:link", f[3]);
		} else {
			if (!open)
				kk_xmlw_open(&o->w, "sec:items");
			kk_xmlw_open(&o->w, "sec:item");
			kk_xmlw_leaf(&o->w, "sec:title", f[1]);
			kk_xmlw_leaf(&o->w, "sec:identifier", f[0]);
			kk_xmlw_leaf(&o->w, "sec:summary", f[2]);
			if (f[3]) {
				kk_xmlw_open(&o->w, "sec:link");
				kk_xmlw_attr(&o->w, "href", f[3]);
				kk_xmlw_close(&o->w);
			}
			if (f[4]) { /* mod_sec_3.0.xsd requires version and vendor on sec:cpe */
				kk_xmlw_open(&o->w, "sec:cpe");
				kk_xmlw_attr(&o->w, "version", "2.2");
				kk_xmlw_attr(&o->w, "vendor", kk_stmt_is_null(st, 7) ? "" : kk_stmt_text(st, 7));
				kk_xmlw_attr(&o->w, "product", kk_stmt_is_null(st, 8) ? NULL : kk_stmt_text(st, 8));
				kk_xmlw_text(&o->w, f[4]);
				kk_xmlw_close(&o->w);
			}
		}
		open = true;
		for (int k = 5; k < 7; k++) {
			int64_t at = kk_stmt_int64(st, k);
			if (!at)
				continue;
			kk_time_w3c_jst(at, t, sizeof t);
			if (o->p->json)
				kk_json_kv_str(&o->j, k == 5 ? "sec:published" : "sec:updated", t);
			else
				kk_xmlw_leaf(&o->w, k == 5 ? "sec:published" : "sec:updated", t);
		}
		if (o->p->json) {
			if (f[4]) {
				kk_json_key(&o->j, "sec:cpe");
				kk_json_arr_open(&o->j);
				kk_json_obj_open(&o->j);
				kk_json_kv_str(&o->j, "value", f[4]);
				kk_json_obj_close(&o->j);
				kk_json_arr_close(&o->j);
			}
			kk_json_obj_close(&o->j);
			kk_json_obj_close(&o->j);
		} else {
			kk_xmlw_close(&o->w);
		}
	}
	kk_stmt_done(st);
	if (open && o->p->json)
		kk_json_arr_close(&o->j);
	else if (open)
		kk_xmlw_close(&o->w);
}

static const char *const alert_labels[][2] = {
    {"Info", "INFO"}, {"Low", "注意"}, {"Medium", "警告"}, {"High", "重要"}, {"Critical", "緊急"}};

/*
 * getAlertList: MyJVN's Atom feed (+ sec:items) of the alerts (注意警戒情報),
 * newest first, filtered by year updated (datePublished), year published
 * (dateFirstPublished) and cpeName; JSON as getalert1.json with ft=json.
 * With no alert found the XML carries MyJVN's one "none" entry.
 */
static int answer_alerts(struct kk_db *db, struct out *o, int64_t now, struct kk_myjvn_answer *ans)
{
	const struct kk_myjvn_params *p = o->p;
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
	                       "SELECT id, alert_id, title, summary, link, category, published, updated FROM myjvn_alert "
	                       "WHERE (?1 = 0 OR CAST(strftime('%Y', updated + 32400, 'unixepoch') AS INTEGER) = ?1) "
	                       "AND (?2 = 0 OR CAST(strftime('%Y', published + 32400, 'unixepoch') AS INTEGER) = ?2) "
	                       "ORDER BY published DESC, id DESC",
	                       &st);
	if (rc)
		return answer_error(o, ans, 500, KK_MYJVN_E_INTERNAL, "the database failed; try again");
	kk_stmt_bind_int64(st, 1, p->alert_year_pub);
	kk_stmt_bind_int64(st, 2, p->alert_year_first);
	status_init(o, KK_MYJVN_ALERT_MAX);
	char t[40];
	kk_time_w3c_jst(now, t, sizeof t);
	const char *title = !strcmp(p->lang, "ja") ? "keikai 注意警戒情報" : "keikai alerts";
	char *feed_id = kk_arena_printf(&o->a, "%s/myjvn?method=getAlertList", o->base);
	if (p->json) {
		kk_json_init(&o->j, o->buf);
		kk_json_obj_open(&o->j);
		kk_json_kv_str(&o->j, "$schema", "https://jvndb.jvn.jp/schema/getalert1.json");
		kk_json_key(&o->j, "feed");
		kk_json_obj_open(&o->j);
		kk_json_kv_str(&o->j, "title", title);
		kk_json_kv_str(&o->j, "id", feed_id);
		kk_json_key(&o->j, "author");
		kk_json_obj_open(&o->j);
		kk_json_kv_str(&o->j, "name", "keikai");
		kk_json_kv_str(&o->j, "uri", o->base);
		kk_json_obj_close(&o->j);
		kk_json_kv_str(&o->j, "updated", t);
		kk_json_kv_str(&o->j, "link", kk_arena_printf(&o->a, "%s/myjvn", o->base));
		kk_json_key(&o->j, "entry");
		kk_json_arr_open(&o->j);
	} else {
		kk_xmlw_init(&o->w, o->buf);
		kk_xmlw_open(&o->w, "feed");
		kk_xmlw_attr(&o->w, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
		kk_xmlw_attr(&o->w, "xmlns", "http://www.w3.org/2005/Atom");
		kk_xmlw_attr(&o->w, "xmlns:sec", "http://jvn.jp/rss/mod_sec/3.0/");
		kk_xmlw_attr(&o->w, "xmlns:marking", "http://data-marking.mitre.org/Marking-1");
		kk_xmlw_attr(&o->w, "xmlns:tlpMarking", "http://data-marking.mitre.org/extensions/MarkingStructure#TLP-1");
		kk_xmlw_attr(&o->w, "xmlns:status", "http://jvndb.jvn.jp/myjvn/Status");
		kk_xmlw_attr(&o->w, "xml:lang", p->lang);
		kk_xmlw_open(&o->w, "title");
		kk_xmlw_attr(&o->w, "type", "text");
		kk_xmlw_text(&o->w, title);
		kk_xmlw_close(&o->w);
		kk_xmlw_leaf(&o->w, "updated", t);
		kk_xmlw_leaf(&o->w, "id", feed_id);
		kk_xmlw_open(&o->w, "link");
		kk_xmlw_attr(&o->w, "rel", "alternate");
		kk_xmlw_attr(&o->w, "type", "text/html");
		kk_xmlw_attr(&o->w, "hreflang", p->lang);
		kk_xmlw_attr(&o->w, "href", kk_arena_printf(&o->a, "%s/myjvn", o->base));
		kk_xmlw_close(&o->w);
		kk_xmlw_open(&o->w, "author");
		kk_xmlw_leaf(&o->w, "name", "keikai");
		kk_xmlw_leaf(&o->w, "uri", o->base[0] ? o->base : NULL);
		kk_xmlw_close(&o->w);
	}
	long total = 0, listed = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		int64_t id = kk_stmt_int64(st, 0);
		bool ok;
		if ((rc = alert_cpe_match(db, p, id, &ok)) < 0)
			break;
		if (!ok || ++total < p->start || listed >= p->max)
			continue;
		listed++;
		const char *f[5];
		for (int k = 0; k < 5; k++)
			f[k] = kk_stmt_is_null(st, k + 1) ? NULL : kk_stmt_text(st, k + 1);
		const char *label = "INFO";
		for (size_t k = 0; k < sizeof alert_labels / sizeof alert_labels[0]; k++)
			if (f[4] && !strcmp(f[4], alert_labels[k][0]))
				label = alert_labels[k][1];
		char pub[40], upd[40];
		kk_time_w3c_jst(kk_stmt_int64(st, 6), pub, sizeof pub);
		kk_time_w3c_jst(kk_stmt_int64(st, 7), upd, sizeof upd);
		if (p->json) {
			kk_json_obj_open(&o->j);
			kk_json_kv_str(&o->j, "title", f[1]);
			kk_json_kv_str(&o->j, "id", f[0]);
			kk_json_kv_str(&o->j, "summary", f[2]);
			kk_json_kv_str(&o->j, "link", f[3]);
			kk_json_key(&o->j, "category");
			kk_json_obj_open(&o->j);
			kk_json_kv_str(&o->j, "term", f[4]);
			kk_json_kv_str(&o->j, "label", label);
			kk_json_obj_close(&o->j);
			kk_json_kv_str(&o->j, "update", upd);
			kk_json_kv_str(&o->j, "published", pub);
		} else {
			kk_xmlw_open(&o->w, "entry");
			kk_xmlw_leaf(&o->w, "title", f[1]);
			kk_xmlw_leaf(&o->w, "id", f[0]);
			kk_xmlw_leaf(&o->w, "summary", f[2]);
			if (f[3]) {
				kk_xmlw_open(&o->w, "link");
				kk_xmlw_attr(&o->w, "href", f[3]);
				kk_xmlw_close(&o->w);
			}
			kk_xmlw_leaf(&o->w, "published", pub);
			kk_xmlw_leaf(&o->w, "updated", upd);
			kk_xmlw_open(&o->w, "category");
			kk_xmlw_attr(&o->w, "term", f[4]);
			kk_xmlw_attr(&o->w, "label", label);
			kk_xmlw_close(&o->w);
		}
		alert_items(db, o, id);
		if (p->json)
			kk_json_obj_close(&o->j);
		else
			kk_xmlw_close(&o->w);
	}
	kk_stmt_done(st);
	if (rc < 0)
		return answer_error(o, ans, 500, KK_MYJVN_E_INTERNAL, "the database failed; try again");
	o->st.total_res = total;
	o->st.total_res_ret = listed;
	o->st.first_res = p->start;
	if (p->json) {
		kk_json_arr_close(&o->j);
		kk_json_obj_close(&o->j); /* feed */
		status_json(&o->j, &o->st);
		kk_json_obj_close(&o->j);
		kk_buf_putc(o->buf, '\n');
		return kk_json_error(&o->j);
	}
	if (!listed) { /* MyJVN: one entry saying that nothing matched */
		kk_xmlw_open(&o->w, "entry");
		kk_xmlw_leaf(&o->w, "title", !strcmp(p->lang, "ja") ? "該当する脆弱性対策情報はありません。"
		                                                    : "No alerts match the request.");
		kk_xmlw_leaf(&o->w, "id", kk_arena_printf(&o->a, "%s#none", feed_id));
		kk_xmlw_leaf(&o->w, "updated", t);
		kk_xmlw_close(&o->w);
	}
	kk_myjvn_status_write(&o->w, &o->st);
	kk_xmlw_close(&o->w);
	return kk_xmlw_finish(&o->w);
}

/* ---- getVendorList, getProductList (vulndb/dict.h) ---- */

static int64_t vid_of(int64_t jvn_vid, int64_t id)
{
	return jvn_vid ? jvn_vid : id + KK_MYJVN_OWN_ID;
}

/* The dictionary query of a MyJVN id: MyJVN's (jvn) or keikai's (own, offset). */
static void id_query(int64_t given, int64_t *jvn, int64_t *own)
{
	if (given >= KK_MYJVN_OWN_ID)
		*own = given - KK_MYJVN_OWN_ID;
	else
		*jvn = given;
}

/* "cpe:/a:vendor:product" (product NULL: "cpe:/:vendor", as MyJVN writes a vendor) or NULL. */
static const char *dict_cpe(const char *part, const char *vendor, const char *product, char *out, size_t n)
{
	if (!vendor)
		return NULL;
	char fs[640];
	snprintf(fs, sizeof fs, "cpe:2.3:%s:%s:%s:*:*:*:*:*:*:*:*", part && *part ? part : "a", vendor,
	         product ? product : "*");
	if (!kk_jvnxml_cpe_uri(fs, false, out, n))
		return NULL;
	if (!product && !strncmp(out, "cpe:/a:", 7))
		memmove(out + 5, out + 6, strlen(out + 6) + 1); /* cpe:/a:vendor -> cpe:/:vendor */
	return out;
}

struct list {
	struct out *o;
	long n;
	int64_t open_vendor; /* getProductList: the Vendor element open (keikai id), 0 none */
};

static void vendor_open(struct list *l, int64_t vid, const char *name, const char *cpe)
{
	struct out *o = l->o;
	if (o->p->json) {
		kk_json_obj_open(&o->j);
		kk_json_kv_int(&o->j, "vid", vid);
		kk_json_kv_str(&o->j, "vname", name);
		kk_json_kv_str(&o->j, "cpe", cpe);
	} else {
		kk_xmlw_open(&o->w, "Vendor");
		kk_xmlw_attr_int(&o->w, "vid", vid);
		kk_xmlw_attr(&o->w, "vname", name);
		kk_xmlw_attr(&o->w, "cpe", cpe);
	}
}

static void vendor_close(struct list *l)
{
	if (l->o->p->json) {
		if (l->open_vendor)
			kk_json_arr_close(&l->o->j);
		kk_json_obj_close(&l->o->j);
	} else {
		kk_xmlw_close(&l->o->w);
	}
	l->open_vendor = 0;
}

static int vendor_row(void *arg, const struct kk_dict_vendor *v)
{
	struct list *l = arg;
	char cpe[600];
	if (!dict_cpe(NULL, v->cpe_vendor, NULL, cpe, sizeof cpe))
		return 0; /* a vendor known only by packages has no CPE name to list */
	vendor_open(l, vid_of(v->jvn_vid, v->id),
	            kk_dict_display_name(v->name_ja, v->name_en, v->cpe_vendor, l->o->p->lang), cpe);
	vendor_close(l);
	l->n++;
	return 0;
}

static int product_row(void *arg, const struct kk_dict_product *pr)
{
	struct list *l = arg;
	struct out *o = l->o;
	char cpe[600], vcpe[600];
	if (!dict_cpe(pr->part, pr->cpe_vendor, pr->cpe_product, cpe, sizeof cpe) ||
	    !dict_cpe(NULL, pr->cpe_vendor, NULL, vcpe, sizeof vcpe))
		return 0; /* a package without a CPE name */
	if (l->open_vendor != pr->vendor_id) {
		if (l->open_vendor)
			vendor_close(l);
		vendor_open(l, vid_of(pr->jvn_vid, pr->vendor_id),
		            kk_dict_display_name(pr->vendor_name_ja, pr->vendor_name_en, pr->cpe_vendor, o->p->lang),
		            vcpe);
		if (o->p->json) {
			kk_json_key(&o->j, "products");
			kk_json_arr_open(&o->j);
		}
		l->open_vendor = pr->vendor_id;
	}
	const char *name = kk_dict_display_name(pr->name_ja, pr->name_en, pr->cpe_product, o->p->lang);
	int64_t pid = pr->jvn_pid ? pr->jvn_pid : pr->id + KK_MYJVN_OWN_ID;
	if (o->p->json) {
		kk_json_obj_open(&o->j);
		kk_json_kv_int(&o->j, "pid", pid);
		kk_json_kv_str(&o->j, "pname", name);
		kk_json_kv_str(&o->j, "cpe", cpe);
		kk_json_obj_close(&o->j);
	} else {
		kk_xmlw_open(&o->w, "Product");
		kk_xmlw_attr_int(&o->w, "pid", pid);
		kk_xmlw_attr(&o->w, "pname", name);
		kk_xmlw_attr(&o->w, "cpe", cpe);
		kk_xmlw_close(&o->w);
	}
	l->n++;
	return 0;
}

static int answer_dict(struct kk_db *db, struct out *o, struct kk_myjvn_answer *ans)
{
	const struct kk_myjvn_params *p = o->p;
	bool products = p->method == KK_MYJVN_PRODUCT_LIST;
	struct kk_dict_query q = {.keyword = p->keyword, .offset = p->start - 1, .limit = (int)p->max,
	                          .by_vendor = products};
	int64_t lists[4][KK_DICT_LIST_MAX];
	dict_filters(p, &q, lists);
	status_init(o, KK_MYJVN_LIST_MAX);
	struct list l = {.o = o};
	struct kk_diag d;
	kk_diag_clear(&d);
	long total = 0;
	if (p->json) {
		kk_json_init(&o->j, o->buf);
		kk_json_obj_open(&o->j);
		kk_json_key(&o->j, "vendorInfo");
		kk_json_obj_open(&o->j);
		kk_json_kv_str(&o->j, "lang", p->lang);
		kk_json_key(&o->j, "vendor");
		kk_json_arr_open(&o->j);
	} else {
		result_open(o, false);
		kk_xmlw_open(&o->w, "VendorInfo");
		kk_xmlw_attr(&o->w, "xml:lang", p->lang);
	}
	int rc = products ? kk_dict_products(db, &q, product_row, &l, &total, &d)
	                  : kk_dict_vendors(db, &q, vendor_row, &l, &total, &d);
	if (rc == KK_EINVAL) {
		char msg[420];
		snprintf(msg, sizeof msg, "%s: %s", !strcmp(d.where, "cpe") ? "cpeName" : d.where, d.msg);
		return answer_error(o, ans, BAD_REQUEST_HTTP, KK_MYJVN_E_INVALID, msg);
	}
	if (rc < 0)
		return answer_error(o, ans, 500, KK_MYJVN_E_INTERNAL, "the database failed; try again");
	if (l.open_vendor)
		vendor_close(&l);
	o->st.total_res = total;
	o->st.total_res_ret = l.n;
	o->st.first_res = p->start;
	if (!l.n) { /* MyJVN: no results is a Result with the status only */
		kk_buf_reset(o->buf);
		return status_only(o);
	}
	if (p->json) {
		kk_json_arr_close(&o->j);
		kk_json_obj_close(&o->j);
		status_json(&o->j, &o->st);
		kk_json_obj_close(&o->j);
		kk_buf_putc(o->buf, '\n');
		return kk_json_error(&o->j);
	}
	kk_xmlw_close(&o->w); /* VendorInfo */
	kk_myjvn_status_write(&o->w, &o->st);
	kk_xmlw_close(&o->w);
	return kk_xmlw_finish(&o->w);
}

/*
 * Every vendorId / productId (pid) given names an entry of the dictionary
 * (MyJVN answers an unknown one with an error, not with an empty list).
 * 0, or KK_EINVAL with p's error set.
 */
static int ids_known(struct kk_db *db, struct kk_myjvn_params *p)
{
	for (int k = 0; k < p->nvendor_ids + p->nproduct_ids; k++) {
		bool product = k >= p->nvendor_ids;
		int64_t id = product ? p->product_ids[k - p->nvendor_ids] : p->vendor_ids[k];
		struct kk_dict_query q = {.limit = 1};
		if (product)
			id_query(id, &q.jvn_pid, &q.product_id);
		else
			id_query(id, &q.jvn_vid, &q.vendor_id);
		struct kk_diag d;
		kk_diag_clear(&d);
		long total = 0;
		int rc = product ? kk_dict_products(db, &q, NULL, NULL, &total, &d)
		                 : kk_dict_vendors(db, &q, NULL, NULL, &total, &d);
		if (rc < 0 && rc != KK_EINVAL)
			return fail(p, KK_MYJVN_E_INTERNAL, "the database failed; try again");
		if (!total)
			return fail(p, KK_MYJVN_E_INVALID, "%s=%lld names no %s in keikai's dictionary (see getVendorList / "
			            "getProductList for the ids)",
			            product ? (p->method == KK_MYJVN_STATISTICS ? "pid" : "productId") : "vendorId",
			            (long long)id, product ? "product" : "vendor");
	}
	return 0;
}

#define MATCH_PRODUCTS_MAX 20000

struct matcher {
	struct kk_db *db;
	struct kk_affect_ids *all, one;
	long products;
	int rc;
	char part; /* the pattern's part, when one pattern with a part was given */
};

/* The records affecting one product of the dictionary: the product index's rule (vulndb/affected.h). */
static int match_product(void *arg, const struct kk_dict_product *pr)
{
	struct matcher *m = arg;
	char cpe[1200];
	if (!pr->cpe_vendor || !pr->cpe_product)
		return 0;
	if (++m->products > MATCH_PRODUCTS_MAX)
		return KK_ERANGE;
	snprintf(cpe, sizeof cpe, "cpe:2.3:%c:%s:%s:*:*:*:*:*:*:*:*", m->part ? m->part : '*', pr->cpe_vendor,
	         pr->cpe_product);
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_affect_match_cpe(m->db, cpe, &m->one, &d);
	if (rc == KK_EINVAL)
		return 0; /* a dictionary value no CPE name can carry */
	if (rc < 0)
		return rc;
	for (size_t k = 0; k < m->one.n; k++) {
		if (m->all->n == m->all->cap) {
			size_t cap = m->all->cap ? 2 * m->all->cap : 256;
			int64_t *v = kk_realloc(m->all->v, cap * sizeof *v);
			if (!v)
				return KK_ENOMEM;
			m->all->v = v;
			m->all->cap = cap;
		}
		m->all->v[m->all->n++] = m->one.v[k];
	}
	return 0;
}

/*
 * cpeName / vendorId / productId of a search or statistics: the records
 * affecting a product they name, into p->q.ids (owned by *only). 0, or
 * KK_EINVAL with p's error set.
 */
static int product_filter(struct kk_db *db, struct kk_myjvn_params *p, struct kk_affect_ids *only)
{
	if (!p->npats && !p->nvendor_ids && !p->nproduct_ids)
		return 0;
	KK_TRY(ids_known(db, p));
	int64_t lists[4][KK_DICT_LIST_MAX];
	struct kk_dict_query q = {.limit = KK_DICT_LIMIT_MAX};
	dict_filters(p, &q, lists);
	struct matcher m = {.db = db, .all = only};
	for (int k = 0; k < p->npats; k++) /* one part for all patterns, else any part */
		m.part = k == 0 || m.part == p->pats[k].part ? p->pats[k].part : 0;
	int rc;
	long total = 0;
	do {
		struct kk_diag d;
		kk_diag_clear(&d);
		rc = kk_dict_products(db, &q, match_product, &m, q.offset ? NULL : &total, &d);
		q.offset += q.limit;
	} while (!rc && q.offset < total);
	kk_affect_ids_release(&m.one);
	if (rc == KK_ERANGE)
		return fail(p, KK_MYJVN_E_INVALID, "cpeName names more than %d products: narrow it (a vendor, a product)",
		            MATCH_PRODUCTS_MAX);
	if (rc < 0)
		return fail(p, KK_MYJVN_E_INTERNAL, "the database failed; try again");
	p->q.ids = only->v ? only->v : (const int64_t *)"";
	p->q.nids = only->n;
	return 0;
}

int kk_myjvn_answer(struct kk_db *db, kk_myjvn_param_fn get, void *arg, const char *base_url, int64_t now,
                    struct kk_buf *out, struct kk_myjvn_answer *ans)
{
	struct kk_myjvn_params *p = kk_malloc(sizeof *p);
	if (!p)
		return KK_ENOMEM;
	struct out o = {.buf = out, .p = p, .base = base_url ? base_url : ""};
	kk_arena_init(&o.a, 0);
	memset(ans, 0, sizeof(*ans));
	ans->http_status = 200;
	int rc = kk_myjvn_parse(get, arg, now, p);
	ans->type = p->json ? "application/json" : "application/xml; charset=utf-8";
	struct kk_affect_ids only = {0};
	if (!rc && (p->method == KK_MYJVN_OVERVIEW_LIST || p->method == KK_MYJVN_STATISTICS))
		rc = product_filter(db, p, &only);
	if (!rc && (p->method == KK_MYJVN_VENDOR_LIST || p->method == KK_MYJVN_PRODUCT_LIST))
		rc = ids_known(db, p);
	if (rc < 0)
		rc = answer_error(&o, ans, !strcmp(p->err_cd, KK_MYJVN_E_INTERNAL) ? 500 : BAD_REQUEST_HTTP, p->err_cd, p->err_msg);
	else if (p->method == KK_MYJVN_VENDOR_LIST || p->method == KK_MYJVN_PRODUCT_LIST)
		rc = answer_dict(db, &o, ans);
	else if (p->method == KK_MYJVN_OVERVIEW_LIST)
		rc = answer_overview(db, &o, now, ans);
	else if (p->method == KK_MYJVN_DETAIL_INFO)
		rc = answer_detail(db, &o, ans);
	else if (p->method == KK_MYJVN_ALERT_LIST)
		rc = answer_alerts(db, &o, now, ans);
	else
		rc = answer_stats(db, &o, now, ans);
	kk_affect_ids_release(&only);
	kk_arena_release(&o.a);
	kk_free(p);
	return rc;
}

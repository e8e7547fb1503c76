/*
 * api_vulns.c — the public vulnerability database over JSON:
 * GET /api/v1/vulns (search with filters, facets and cursor paging) and
 * GET /api/v1/vulns/{id} (one full record, with ETag / Last-Modified),
 * and the vendor/product dictionary (vulndb/dict.h): GET /api/v1/vulndb/vendors,
 * /api/v1/vulndb/vendors/{id}, /api/v1/vulndb/vendors/{id}/products and
 * /api/v1/vulndb/products.
 */
#include "base/clock.h"
#include "base/err.h"
#include "store/db.h"
#include "vulndb/dict.h"
#include "vulndb/search.h"
#include "web/api.h"
#include "web/feeds.h"
#include "web/handlers.h"
#include "web/vulns.h"
#include "web/web.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int bad(struct kk_req *r, const char *field, const char *fix)
{
	return kk_req_fail(r, KK_EINVAL, field, "%s", fix);
}

static int date_param(struct kk_req *r, const char *name, bool end_of_day, int64_t *out)
{
	const char *v = kk_req_query(r, name);
	if (!v || !*v)
		return 0;
	if (kk_time_parse(v, out) < 0)
		return bad(r, name, "give a date as YYYY-MM-DD or an ISO 8601 time");
	if (end_of_day && strlen(v) == 10)
		*out += 86399; /* a day given as the upper bound includes that whole day */
	return 0;
}

static int score_param(struct kk_req *r, const char *name, bool *has, double *out)
{
	const char *v = kk_req_query(r, name);
	if (!v || !*v)
		return 0;
	char *end;
	*out = strtod(v, &end);
	if (*end || end == v || !(*out >= 0 && *out <= 10))
		return bad(r, name, "give a score between 0 and 10, such as 7.0");
	*has = true;
	return 0;
}

static const char *opt_str(struct kk_req *r, const char *name)
{
	const char *v = kk_req_query(r, name);
	return v && *v ? v : NULL;
}

int kk_web_search_query(struct kk_req *r, struct kk_search_query *q)
{
	memset(q, 0, sizeof(*q));
	q->lang = r->lang;
	q->q = kk_req_query(r, "q");
	const char *v = kk_req_query(r, "severity");
	for (const char *p = v; p && *p;) {
		size_t n = strcspn(p, ",");
		int s = -1;
		for (int k = 0; k < 5; k++)
			if (strlen(kk_search_severity_name(k)) == n &&
			    !strncmp(p, kk_search_severity_name(k), n))
				s = k;
		if (s < 0 && n)
			return bad(r, "severity",
			           "severity takes none, low, medium, high or critical, comma-separated");
		if (s >= 0)
			q->severity_mask |= 1u << s;
		p += n;
		p += *p == ',';
	}
	int rc;
	if ((rc = score_param(r, "score_min", &q->has_score_min, &q->score_min)) ||
	    (rc = score_param(r, "score_max", &q->has_score_max, &q->score_max)))
		return rc;
	if ((v = opt_str(r, "cwe"))) {
		char *end;
		long n = strtol(!strncmp(v, "CWE-", 4) ? v + 4 : v, &end, 10);
		if (*end || n < 1 || n > 100000)
			return bad(r, "cwe", "give a CWE number such as 79 or CWE-79");
		q->cwe = (int)n;
	}
	q->vendor = opt_str(r, "vendor");
	q->product = opt_str(r, "product");
	q->source = opt_str(r, "source");
	if ((q->cvss_version = opt_str(r, "cvss")) && strcmp(q->cvss_version, "2.0") &&
	    strcmp(q->cvss_version, "3.0") && strcmp(q->cvss_version, "3.1") &&
	    strcmp(q->cvss_version, "4.0"))
		return bad(r, "cvss", "cvss takes a CVSS version: 2.0, 3.0, 3.1 or 4.0");
	q->vector = opt_str(r, "vector");
	q->cpe = opt_str(r, "cpe");
	q->purl = opt_str(r, "purl");
	if ((v = opt_str(r, "kev"))) {
		if (strcmp(v, "1") && strcmp(v, "0") && strcmp(v, "true") && strcmp(v, "false") && strcmp(v, "on"))
			return bad(r, "kev", "kev takes 1 (only records listed in CISA KEV) or 0");
		q->kev = !strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "on");
	}
	if ((rc = date_param(r, "public_from", false, &q->public_from)) ||
	    (rc = date_param(r, "public_to", true, &q->public_to)) ||
	    (rc = date_param(r, "published_from", false, &q->published_from)) ||
	    (rc = date_param(r, "published_to", true, &q->published_to)) ||
	    (rc = date_param(r, "updated_from", false, &q->updated_from)) ||
	    (rc = date_param(r, "updated_to", true, &q->updated_to)))
		return rc;
	if ((v = opt_str(r, "sort")) && kk_search_sort_parse(v, &q->sort) < 0)
		return bad(r, "sort", "sort takes published (or date), modified, score, relevance or oldest");
	if ((v = opt_str(r, "limit"))) {
		char *end;
		long n = strtol(v, &end, 10);
		if (*end || n < 1 || n > KK_SEARCH_LIMIT_MAX)
			return kk_req_fail(r, KK_EINVAL, "limit", "limit takes a number 1..%d",
			                   KK_SEARCH_LIMIT_MAX);
		q->limit = (int)n;
	}
	if ((v = opt_str(r, "withdrawn")) && kk_search_withdrawn_parse(v, &q->withdrawn) < 0)
		return bad(r, "withdrawn",
		           "withdrawn takes exclude (the default: rejected and withdrawn records left out), include "
		           "or only");
	q->cursor = opt_str(r, "cursor");
	return 0;
}

static int item(void *arg, const struct kk_search_hit *h)
{
	kk_search_hit_json(arg, h);
	return 0;
}

int api_vulns_list(struct kk_req *r)
{
	struct kk_search_query q;
	if (kk_web_search_query(r, &q) < 0)
		return KK_EINVAL;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_json_obj_open(&j);
	kk_json_key(&j, "items");
	kk_json_arr_open(&j);
	struct kk_search_result res;
	struct kk_diag d = {0};
	int rc = kk_search_run(r->db, &q, item, &j, &res, &d);
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, d.where[0] ? d.where : NULL, "%s",
		                   d.msg[0] ? d.msg : kk_err_msg(rc));
	}
	kk_json_arr_close(&j);
	kk_json_kv_int(&j, "total", res.total);
	kk_json_kv_str(&j, "next_cursor", res.next_cursor[0] ? res.next_cursor : NULL);
	kk_json_key(&j, "facets");
	kk_json_obj_open(&j);
	kk_json_key(&j, "severity");
	kk_json_obj_open(&j);
	for (int s = 4; s >= 0; s--)
		kk_json_kv_int(&j, kk_search_severity_name(s), res.severity[s]);
	kk_json_obj_close(&j);
	kk_json_key(&j, "year");
	kk_json_obj_open(&j);
	for (int i = 0; i < res.nyears; i++) {
		char y[16];
		snprintf(y, sizeof y, "%d", res.years[i].year);
		kk_json_kv_int(&j, res.years[i].year ? y : "unknown", res.years[i].count);
	}
	kk_json_obj_close(&j);
	kk_json_obj_close(&j);
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

int kk_web_vuln_load(struct kk_req *r, struct kk_buf *out, int64_t *modified, bool *former)
{
	const char *id = kk_req_param(r, "id");
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	int64_t vid = 0;
	int rc = kk_search_resolve(r->db, id, &vid, former);
	if (rc == KK_ENOTFOUND)
		return kk_req_fail(r, rc, "id",
		                   "there is no vulnerability '%s' (give a JVNDB id, a CVE id or an alias)",
		                   id);
	struct kk_json j;
	kk_json_init(&j, out);
	if (!rc)
		rc = kk_search_record_json(r->db, vid, &j, modified);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	return 0;
}

int api_vulns_get(struct kk_req *r)
{
	struct kk_buf body;
	kk_buf_init(&body, r->resp.body.max);
	int64_t modified = 0;
	bool former = false;
	if (kk_web_vuln_load(r, &body, &modified, &former) < 0) {
		kk_buf_release(&body);
		return KK_ENOTFOUND;
	}
	/* asked by an id it had before it was renumbered: the answer names where it lives now */
	json_t *v = former ? json_loadb((const char *)body.ptr, body.len, 0, NULL) : NULL;
	const char *now = json_string_value(json_object_get(v, "id"));
	if (now)
		kk_resp_header(r, "Content-Location", kk_arena_printf(&r->arena, "/api/v1/vulns/%s", now));
	json_decref(v);
	/* ETag (a hash of the answer), Last-Modified; 304 for If-None-Match / If-Modified-Since (web/feeds.h) */
	if (kk_web_not_modified(r, body.ptr, body.len, modified)) {
		kk_buf_release(&body);
		return 0;
	}
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_json_raw(&j, body.ptr, body.len);
	kk_buf_release(&body);
	return kk_api_done(r, &j);
}

/* ---- vendor / product dictionary ---- */

/* A MyJVN id, or null when the row has none (0). */
static void kv_id(struct kk_json *j, const char *key, int64_t id)
{
	if (id)
		kk_json_kv_int(j, key, id);
	else
		kk_json_kv_null(j, key);
}

static void vendor_json(struct kk_json *j, const struct kk_dict_vendor *v)
{
	kk_json_obj_open(j);
	kk_json_kv_int(j, "id", v->id);
	kv_id(j, "jvn_vid", v->jvn_vid);
	kk_json_kv_str(j, "name_ja", v->name_ja);
	kk_json_kv_str(j, "name_en", v->name_en);
	kk_json_kv_str(j, "cpe_vendor", v->cpe_vendor);
	kk_json_kv_str(j, "purl_type", v->purl_type);
	kk_json_kv_str(j, "purl_namespace", v->purl_namespace);
	kk_json_kv_int(j, "products", v->nproducts);
	kk_json_obj_close(j);
}

static int vendor_item(void *arg, const struct kk_dict_vendor *v)
{
	vendor_json(arg, v);
	return 0;
}

static int product_item(void *arg, const struct kk_dict_product *p)
{
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kk_json_kv_int(j, "id", p->id);
	kk_json_kv_int(j, "vendor_id", p->vendor_id);
	kv_id(j, "jvn_pid", p->jvn_pid);
	kk_json_kv_str(j, "name_ja", p->name_ja);
	kk_json_kv_str(j, "name_en", p->name_en);
	kk_json_kv_str(j, "part", p->part);
	kk_json_kv_str(j, "cpe_vendor", p->cpe_vendor);
	kk_json_kv_str(j, "cpe_product", p->cpe_product);
	kk_json_kv_str(j, "purl_type", p->purl_type);
	kk_json_kv_str(j, "purl_namespace", p->purl_namespace);
	kk_json_kv_str(j, "purl_name", p->purl_name);
	kk_json_kv_str(j, "vendor_name_ja", p->vendor_name_ja);
	kk_json_kv_str(j, "vendor_name_en", p->vendor_name_en);
	kk_json_obj_close(j);
	return 0;
}

/* prefix, keyword, cpe, limit, offset of a dictionary listing. */
static int dict_query(struct kk_req *r, struct kk_dict_query *q)
{
	memset(q, 0, sizeof *q);
	q->prefix = opt_str(r, "prefix");
	q->keyword = opt_str(r, "keyword");
	q->cpe = opt_str(r, "cpe");
	const char *v;
	if ((v = opt_str(r, "limit"))) {
		char *end;
		long n = strtol(v, &end, 10);
		if (*end || n < 1 || n > 1000)
			return bad(r, "limit", "limit takes a number 1..1000");
		q->limit = (int)n;
	}
	if ((v = opt_str(r, "offset"))) {
		char *end;
		long n = strtol(v, &end, 10);
		if (*end || n < 0)
			return bad(r, "offset", "offset takes a number 0 or more");
		q->offset = n;
	}
	return 0;
}

/* A {id} path parameter: a positive integer. */
static int id_param(struct kk_req *r, int64_t *id)
{
	const char *v = kk_req_param(r, "id");
	char *end;
	long long n = v ? strtoll(v, &end, 10) : 0;
	if (!v || *end || n < 1)
		return bad(r, "id", "give the vendor's numeric id (the id of GET /api/v1/vulndb/vendors)");
	*id = n;
	return 0;
}

/* {"items":[...], "total": n} from list(db, q, ...). */
static int dict_answer(struct kk_req *r, const struct kk_dict_query *q, bool products)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_json_obj_open(&j);
	kk_json_key(&j, "items");
	kk_json_arr_open(&j);
	long total = 0;
	struct kk_diag d = {0};
	int rc = products ? kk_dict_products(r->db, q, product_item, &j, &total, &d)
	                  : kk_dict_vendors(r->db, q, vendor_item, &j, &total, &d);
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, d.where[0] ? d.where : NULL, "%s", d.msg[0] ? d.msg : kk_err_msg(rc));
	}
	kk_json_arr_close(&j);
	kk_json_kv_int(&j, "total", total);
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

int api_dict_vendors(struct kk_req *r)
{
	struct kk_dict_query q;
	if (dict_query(r, &q) < 0)
		return KK_EINVAL;
	return dict_answer(r, &q, false);
}

int api_dict_vendor(struct kk_req *r)
{
	int64_t id = 0;
	if (id_param(r, &id) < 0)
		return KK_EINVAL;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	int rc = kk_dict_vendor_get(r->db, id, vendor_item, &j);
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, rc == KK_ENOTFOUND ? "id" : NULL, "%s",
		                   rc == KK_ENOTFOUND ? "there is no vendor with this id" : kk_err_msg(rc));
	}
	return kk_api_done(r, &j);
}

int api_dict_vendor_products(struct kk_req *r)
{
	struct kk_dict_query q;
	int64_t id = 0;
	if (id_param(r, &id) < 0 || dict_query(r, &q) < 0)
		return KK_EINVAL;
	q.vendor_id = id;
	return dict_answer(r, &q, true);
}

int api_dict_products(struct kk_req *r)
{
	struct kk_dict_query q;
	if (dict_query(r, &q) < 0)
		return KK_EINVAL;
	return dict_answer(r, &q, true);
}

/*
 * api_osv.c — the OSV API (vulndb/osvapi.h): POST /v1/query, POST
 * /v1/querybatch, GET /v1/vulns/{id}. Errors are OSV's: {"code", "message"}
 * with the gRPC code (3 invalid argument, 5 not found) and HTTP 400 / 404.
 * Bodies are read as JSON whatever their Content-Type (OSV's own examples
 * send `curl -d`, which says application/x-www-form-urlencoded).
 */
#include "base/err.h"
#include "vulndb/osvapi.h"
#include "web/api.h"
#include "web/feeds.h"
#include "web/handlers.h"
#include "web/web.h"
#include <stdio.h>
#include <string.h>

static int osv_fail(struct kk_req *r, int status, int code, const char *msg)
{
	struct kk_json j;
	kk_resp_json(r, status, &j);
	kk_json_obj_open(&j);
	kk_json_kv_int(&j, "code", code);
	kk_json_kv_str(&j, "message", msg);
	kk_json_obj_close(&j);
	kk_api_done(r, &j);
	return status == 404 ? KK_ENOTFOUND : KK_EINVAL;
}

/* The body as one JSON object, or NULL after answering 400. */
static json_t *osv_body(struct kk_req *r)
{
	json_error_t e;
	json_t *doc = r->body ? json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &e) : NULL;
	if (!doc || !json_is_object(doc)) {
		char msg[300];
		if (doc)
			snprintf(msg, sizeof msg, "the body must be a JSON object");
		else if (!r->body || !r->body_len)
			snprintf(msg, sizeof msg, "send the query as a JSON body");
		else
			snprintf(msg, sizeof msg, "the body is not JSON: %s (line %d, column %d)", kk_json_parse_error_text(e.text), e.line,
			         e.column);
		json_decref(doc);
		osv_fail(r, 400, 3, msg);
		return NULL;
	}
	return doc;
}

/* An error of the query run: 400 for what the asker can fix, else the server's error. */
static int run_fail(struct kk_req *r, int rc, const struct kk_diag *d)
{
	kk_buf_reset(&r->resp.body);
	if (rc == KK_EINVAL)
		return osv_fail(r, 400, 3, d->msg);
	return kk_req_fail(r, rc, NULL, NULL);
}

int api_osv_query(struct kk_req *r)
{
	json_t *doc = osv_body(r);
	if (!doc)
		return KK_EINVAL;
	struct kk_osv_query q;
	struct kk_diag d = {0};
	int rc = kk_osv_query_parse(doc, "", &q, &d);
	if (rc < 0) {
		json_decref(doc);
		return osv_fail(r, 400, 3, d.msg);
	}
	if (!kk_req_db_or_reply(r)) {
		json_decref(doc);
		return KK_EBUSY;
	}
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	rc = kk_osv_query_run(r->db, &q, true, &j, &d);
	json_decref(doc);
	if (rc < 0)
		return run_fail(r, rc, &d);
	return kk_api_done(r, &j);
}

int api_osv_querybatch(struct kk_req *r)
{
	json_t *doc = osv_body(r);
	if (!doc)
		return KK_EINVAL;
	json_t *qs = json_object_get(doc, "queries");
	struct kk_diag d = {0};
	int rc = 0;
	if (!json_is_array(qs) || json_object_size(doc) != 1) {
		json_decref(doc);
		return osv_fail(r, 400, 3, "the body must be {\"queries\": [query, ...]}");
	}
	if (json_array_size(qs) > KK_OSV_BATCH_MAX) {
		json_decref(doc);
		return osv_fail(r, 400, 3, "at most 1000 queries in one batch; send the rest in another");
	}
	size_t nq = json_array_size(qs);
	struct kk_osv_query *q = nq ? kk_arena_alloc(&r->arena, nq * sizeof *q) : NULL;
	if (nq && !q) {
		json_decref(doc);
		return kk_req_fail(r, KK_ENOMEM, NULL, NULL);
	}
	for (size_t i = 0; i < nq && !rc; i++) {
		char at[32];
		snprintf(at, sizeof at, "/queries/%zu", i);
		rc = kk_osv_query_parse(json_array_get(qs, i), at, &q[i], &d);
	}
	if (rc < 0) {
		json_decref(doc);
		return osv_fail(r, 400, 3, d.msg);
	}
	if (!kk_req_db_or_reply(r)) {
		json_decref(doc);
		return KK_EBUSY;
	}
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_json_obj_open(&j);
	kk_json_key(&j, "results");
	kk_json_arr_open(&j);
	for (size_t i = 0; i < nq && rc >= 0; i++)
		rc = kk_osv_query_run(r->db, &q[i], false, &j, &d);
	kk_json_arr_close(&j);
	kk_json_obj_close(&j);
	json_decref(doc);
	if (rc < 0)
		return run_fail(r, rc, &d);
	return kk_api_done(r, &j);
}

int api_osv_vuln(struct kk_req *r)
{
	const char *id = kk_req_param(r, "id");
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_buf body;
	kk_buf_init(&body, r->resp.body.max);
	struct kk_json j;
	kk_json_init(&j, &body);
	int64_t modified = 0;
	int rc = kk_osv_vuln_json(r->db, id, &j, &modified);
	if (rc == KK_ENOTFOUND) {
		kk_buf_release(&body);
		return osv_fail(r, 404, 5, "Bug not found.");
	}
	if (rc < 0 || kk_json_error(&j)) {
		kk_buf_release(&body);
		return kk_req_fail(r, rc < 0 ? rc : kk_json_error(&j), NULL, NULL);
	}
	if (kk_web_not_modified(r, body.ptr, body.len, modified)) {
		kk_buf_release(&body);
		return 0;
	}
	kk_resp_json(r, 200, &j);
	kk_json_raw(&j, body.ptr, body.len);
	kk_buf_release(&body);
	return kk_api_done(r, &j);
}

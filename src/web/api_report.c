/*
 * api_report.c — vulnerability reports over JSON: POST /api/v1/reports
 * (anyone; JSON, or multipart/form-data with the JSON in part "report" and
 * files; answers the tracking number and the secret link once), the
 * finder's view GET /api/v1/reports/{tracking}?key=… and the finder's
 * follow-up POST /api/v1/reports/{tracking}/messages. The pipeline is the
 * form's (page_report.h), so both check and limit alike.
 */
#include "base/str.h"
#include "base/clock.h"
#include "intake/intake.h"
#include "publish/advisory.h"
#include "publish/formats.h"
#include "store/db.h"
#include "web/api.h"
#include "web/handlers.h"
#include "web/i18n.h"
#include "web/page_report.h"
#include "web/server.h"
#include "web/web.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 422 (or 413 for a size limit) naming the field of d. */
static int fail_input(struct kk_req *r, int rc, const struct kk_diag *d)
{
	const char *where = d->where[0] ? d->where : NULL;
	if (rc == KK_ETOOBIG)
		return kk_req_fail(r, KK_ETOOBIG, where, "%s", d->msg);
	return kk_req_fail(r, rc == KK_EPARSE ? KK_EPARSE : KK_EUNPROCESSABLE, where, "%s",
	                   d->msg[0] ? d->msg : kk_err_msg(rc));
}

int api_reports_create(struct kk_req *r)
{
	struct kk_intake_limits l;
	if (kk_report_start(r, &l) < 0)
		return KK_EPARSE;
	const char *type = kk_req_header(r, "Content-Type");
	const char *json = r->body ? r->body : "";
	size_t n = r->body_len;
	struct kk_upload *u = NULL;
	int nu = 0;
	struct kk_diag d;
	kk_diag_clear(&d);
	if (kk_req_is_multipart(r)) {
		const struct kk_part *p;
		int np = kk_req_parts(r, &p, &d);
		json = NULL;
		for (int i = 0; i < np; i++)
			if (!p[i].filename && !strcmp(p[i].name, "report")) {
				json = p[i].data;
				n = p[i].len;
			}
		if (!json)
			return kk_req_fail(r, KK_EUNPROCESSABLE, "report",
			                   "put the report's JSON document in the form field 'report'");
		if ((nu = kk_report_uploads(r, &l, &u, &d)) < 0)
			return fail_input(r, nu, &d);
	} else if (!type || strncmp(type, "application/json", 16)) {
		return kk_req_fail_status(r, 415, "unsupported", "Content-Type",
		                          "send the report as application/json, or as multipart/form-data with "
		                          "the JSON in 'report' and the files in 'file'");
	}
	struct kk_report_submit s = {.actor = &r->actor};
	bool replied;
	int rc = kk_report_submit(r, json, n, &l, u, nu, &s, &replied);
	if (rc < 0)
		return replied ? rc : fail_input(r, rc, &s.d);
	char link[512];
	snprintf(link, sizeof(link), "%s/r/%s?key=%s", s.base_url && *s.base_url ? s.base_url : "http://127.0.0.1:8080",
	         s.rc.tracking, s.rc.token);
	struct kk_json j;
	kk_resp_json(r, 201, &j);
	kk_resp_header(r, "Cache-Control", "no-store");
	kk_json_obj_open(&j);
	kk_json_kv_str(&j, "tracking", s.rc.tracking);
	kk_json_kv_str(&j, "status", "received");
	kk_json_kv_str(&j, "key", s.rc.token);
	kk_json_kv_str(&j, "link", link);
	kk_json_kv_int(&j, "files", nu);
	kk_json_obj_close(&j);
	sodium_memzero(link, sizeof(link));
	sodium_memzero(&s.rc, sizeof(s.rc));
	return kk_api_done(r, &j);
}

/* Writes the finder's view of `tracking` (token checked) as the answer; one 404 for any mismatch. */
struct finder_more {
	struct kk_db *db;
	const char *tracking;
};

static int adv_item(void *arg, const struct kk_adv_row *row)
{
	struct kk_json *j = arg;
	char ja[256], en[256], at[32];
	kk_adv_url(row->ident, "ja", ja, sizeof(ja));
	kk_adv_url(row->ident, "en", en, sizeof(en));
	kk_time_iso(row->published_at, at, sizeof(at));
	kk_json_obj_open(j);
	kk_json_kv_str(j, "id", row->ident);
	kk_json_kv_str(j, "url_ja", ja);
	kk_json_kv_str(j, "url_en", en);
	kk_json_kv_str(j, "published_at", at);
	kk_json_obj_close(j);
	return 0;
}

/* "advisories": the public advisories behind the report (the finder is told of them at publication). */
static int finder_advisories(void *arg, struct kk_json *j)
{
	struct finder_more *m = arg;
	kk_json_key(j, "advisories");
	kk_json_arr_open(j);
	int rc = kk_adv_of_report(m->db, m->tracking, adv_item, j);
	kk_json_arr_close(j);
	return rc < 0 ? rc : 0;
}

static int finder_view(struct kk_req *r, int status, const char *tracking, const char *token)
{
	struct kk_json j;
	kk_resp_json(r, status, &j);
	kk_resp_header(r, "Cache-Control", "no-store");
	struct finder_more m = {r->db, tracking};
	int rc = token ? kk_intake_finder_json_more(r->db, tracking, token, &j, finder_advisories, &m) : KK_ENOTFOUND;
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		/* one answer for a wrong number and a wrong key alike */
		return kk_req_fail(r, rc == KK_ENOTFOUND ? KK_ENOTFOUND : rc, NULL,
		                   rc == KK_ENOTFOUND ? "no report matches this link; check the whole link" : NULL);
	}
	return kk_api_done(r, &j);
}

int api_reports_finder_get(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	return finder_view(r, 200, kk_req_param(r, "tracking"), kk_req_query(r, "key"));
}

int api_reports_finder_post(struct kk_req *r)
{
	struct kk_intake_limits l;
	if (kk_report_start(r, &l) < 0)
		return KK_EPARSE;
	struct kk_report_followup p = {.tracking = kk_req_param(r, "tracking")};
	struct kk_diag d;
	kk_diag_clear(&d);
	json_t *doc = NULL;
	if (kk_req_is_multipart(r)) {
		p.token = kk_req_form(r, "key");
		p.body = kk_req_form(r, "body");
		struct kk_upload *u;
		int nu = kk_report_uploads(r, &l, &u, &d);
		if (nu < 0)
			return fail_input(r, nu, &d);
		p.files = u;
		p.nfiles = nu;
	} else {
		if (!(doc = kk_req_json_or_reply(r)))
			return KK_EPARSE;
		bool bad;
		p.token = kk_req_jstr_opt(r, doc, "key", KK_REPORT_TOKEN_MAX, &bad);
		if (!bad)
			p.body = kk_req_jstr_opt(r, doc, "body", 64 * 1024, &bad);
		if (bad) {
			json_decref(doc);
			return KK_EUNPROCESSABLE;
		}
		/* the strings belong to doc: keep copies in the request */
		p.token = p.token ? kk_arena_strdup(&r->arena, p.token) : NULL;
		p.body = p.body ? kk_arena_strdup(&r->arena, p.body) : NULL;
		json_decref(doc);
	}
	bool replied;
	int rc = kk_report_followup(r, &l, &p, &replied);
	if (rc < 0)
		return replied ? rc : fail_input(r, rc == KK_ECONFLICT ? KK_EUNPROCESSABLE : rc, &p.d);
	return finder_view(r, 201, p.tracking, p.token);
}

/* ---- triage (receivers): the form's operation over JSON ----------------------------------- */

static int status_row(void *arg, const struct kk_report_row *x)
{
	struct kk_json *j = arg;
	kk_json_kv_str(j, "status", x->status);
	kk_json_kv_str(j, "kind", x->kind);
	kk_json_kv_str(j, "stop_reason", x->stop_reason && *x->stop_reason ? x->stop_reason : NULL);
	kk_json_kv_str(j, "duplicate_of", x->duplicate_of && *x->duplicate_of ? x->duplicate_of : NULL);
	kk_json_kv_str(j, "assignee", x->assignee_email && *x->assignee_email ? x->assignee_email : NULL);
	return 0;
}

/*
 * POST /api/v1/reports/{tracking}/triage {"action", "text", "stop_reason", "of", "assignee"}:
 * the triage page's operation (kk_web_triage); 200 with the report's new status.
 */
int api_reports_triage(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	bool bad = false;
	struct kk_triage_op op = {.tracking = kk_req_param(r, "tracking")};
	static const char *const keys[] = {"action", "text", "stop_reason", "of", "assignee"};
	const char *v[5] = {0};
	for (size_t i = 0; i < 5 && !bad; i++) {
		const char *s = kk_req_jstr_opt(r, doc, keys[i], i == 1 ? 16000 : 320, &bad);
		v[i] = s ? kk_arena_strdup(&r->arena, s) : NULL;
	}
	json_decref(doc);
	if (bad)
		return KK_EINVAL;
	op.verb = v[0];
	op.text = v[1];
	op.stop = v[2];
	op.of = v[3];
	op.assignee = v[4];
	if (!op.verb || !*op.verb)
		return kk_req_fail(r, KK_EUNPROCESSABLE, "action",
				   "action: one of accept, reject, request_info, stop, duplicate, assign, message");
	int rc = kk_web_triage(r, &op);
	if (rc == KK_EINTERNAL)
		return rc;
	if (rc < 0) {
		const char *field = op.d.where[0] ? (!strcmp(op.d.where, "verb")   ? "action"
						     : !strcmp(op.d.where, "stop") ? "stop_reason"
										   : op.d.where)
						  : NULL;
		int code = rc == KK_EINVAL ? KK_EUNPROCESSABLE : rc;
		if (field && !strcmp(field, "action"))
			return kk_req_fail(r, code, field, "action: one of accept, reject, request_info, stop, duplicate, "
							   "assign, message");
		return kk_req_fail(r, code, field, "%s", op.d.msg[0] ? op.d.msg : kk_err_msg(rc));
	}
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_json_obj_open(&j);
	kk_json_kv_str(&j, "tracking", op.tracking);
	kk_json_kv_str(&j, "action", op.verb);
	if (kk_intake_get(r->db, &r->actor, op.tracking, status_row, &j) < 0) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, KK_EINTERNAL, NULL, NULL);
	}
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

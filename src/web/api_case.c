/*
 * api_case.c — coordination cases over JSON (/api/v1/cases...): vendors
 * list their cases, read a case as they may, answer steps, post statements
 * and date requests, read and write messages; coordinators open cases, add
 * vendors, notify, move the date, cancel, read the per-vendor table (paged),
 * the timeline and the stalled board, and pre-notify infrastructure. Every
 * decision is the domain's (coord/case.h), which asks the policy.
 */
#include "auth/audit.h"
#include "base/log.h"
#include "base/str.h"
#include "intake/intake.h"
#include "coord/case.h"
#include "store/db.h"
#include "web/api.h"
#include "web/api_case.h"
#include "web/handlers.h"
#include "web/page_report.h"
#include "web/server.h"
#include "web/web.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- one change in one transaction ------------------------------------------- */

static int op_tx(struct kk_db *db, void *arg)
{
	struct kk_case_op *o = arg;
	kk_diag_clear(&o->d);
	switch (o->kind) {
	case KK_CASE_OP_OPEN:
		return kk_case_open(db, o->a, o->reports, o->nreports, o->out_ref, &o->d);
	case KK_CASE_OP_ADD_VENDOR:
		return kk_case_add_vendor(db, o->a, o->ref, o->org_id, &o->out_id, &o->d);
	case KK_CASE_OP_STEP:
		return kk_case_step(db, o->a, o->ref, o->org_id, &o->step, &o->d);
	case KK_CASE_OP_STATEMENT:
		return kk_case_statement(db, o->a, o->ref, o->org_id, o->seq, o->status, o->ja, o->en, &o->d);
	case KK_CASE_OP_SET_DATE:
		return kk_case_set_date(db, o->a, o->ref, o->when, o->reason, &o->d);
	case KK_CASE_OP_REQUEST_DATE:
		return kk_case_request_date(db, o->a, o->ref, o->org_id, o->when, o->reason, &o->out_id, &o->d);
	case KK_CASE_OP_DECIDE_DATE:
		return kk_case_decide_date(db, o->a, o->ref, o->id, o->accept, o->text, &o->d);
	case KK_CASE_OP_CANCEL:
		return kk_case_cancel(db, o->a, o->key, o->ref, o->reason, o->text, &o->d);
	case KK_CASE_OP_POST:
		return kk_case_post(db, o->a, o->ref, o->thread, o->org_id, o->text, &o->out_id, &o->d);
	case KK_CASE_OP_CONSULTED:
		return kk_case_record_consultation(db, o->a, o->ref, o->text, &o->d);
	case KK_CASE_OP_FINDER_TOLD:
		return kk_case_record_finder_told(db, o->a, o->key, o->ref, o->text, o->reason, &o->d);
	case KK_CASE_OP_SHARE:
		return kk_infra_share(db, o->a, o->ref, o->org_id, o->text, o->reason, &o->out_id, &o->d);
	case KK_CASE_OP_SECTOR:
		return kk_infra_set_sector(db, o->a, o->org_id, o->text, &o->d);
	case KK_CASE_OP_EDIT:
		return kk_case_edit(db, o->a, o->ref, o->title, o->overview, o->details, &o->d);
	case KK_CASE_OP_ADD_VULN:
		return kk_case_add_vuln(db, o->a, o->ref, o->title, o->cwe, o->cve, &o->seq, &o->d);
	case KK_CASE_OP_MERGE:
		return kk_case_merge(db, o->a, o->ref, o->from, &o->d);
	case KK_CASE_OP_SHARE_VENDOR:
		return kk_case_share_vendor(db, o->a, o->ref, o->org_id, o->accept, &o->d);
	case KK_CASE_OP_POST_FINDER:
		return kk_case_post_finder(db, o->a, o->key, o->ref, o->from, o->text, &o->out_id, &o->d);
	case KK_CASE_OP_DATE_EXCEPTION:
		return kk_case_date_exception(db, o->a, o->key, o->ref, o->ground, o->reason, o->when, &o->d);
	case KK_CASE_OP_NAME_VENDOR:
		return kk_case_name_vendor(db, o->a, o->ref, o->org_id, &o->named, &o->out_id, &o->d);
	case KK_CASE_OP_DISMISS_NAMED:
		return kk_case_dismiss_named(db, o->a, o->ref, o->id, &o->d);
	}
	return KK_EINVAL;
}

/* Runs o; on failure replies with the domain's field and message (404 stays a plain "no case"). */
int kk_web_case_op(struct kk_req *r, struct kk_case_op *o)
{
	o->a = &r->actor;
	return kk_db_tx(r->db, op_tx, o);
}

static int op_run(struct kk_req *r, struct kk_case_op *o)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	int rc = kk_web_case_op(r, o);
	if (rc < 0) {
		int code = rc == KK_EINVAL ? KK_EUNPROCESSABLE : rc;
		return kk_req_fail(r, code, o->d.where[0] ? o->d.where : NULL, "%s", o->d.msg[0] ? o->d.msg : kk_err_msg(rc));
	}
	return 0;
}

/* op_run with the secret key loaded for it (mail to a sealed finder), wiped after. */
static int op_run_keyed(struct kk_req *r, struct kk_case_op *o)
{
	unsigned char key[KK_KEY_BYTES];
	int rc = kk_page_report_key(r, key);
	if (rc < 0)
		return rc;
	o->key = key;
	rc = op_run(r, o);
	sodium_memzero(key, sizeof(key));
	o->key = NULL;
	return rc;
}

/* {"ok":true,...} answer after a change: the case as the actor now sees it. */
static int answer_case(struct kk_req *r, int status, const char *ref);

/* Ends a change handler: nothing more when the input was bad (already answered), else run o and answer the case. */
static int finish(struct kk_req *r, struct kk_case_op *o, bool bad, int status)
{
	if (bad || op_run(r, o) < 0)
		return KK_EINVAL;
	return answer_case(r, status, o->ref);
}

/* ---- reading helpers ---------------------------------------------------------- */

/* The case {ref} as the actor may see it; replies 404/401 when not. */
static int load_case(struct kk_req *r, struct kk_case_info *c)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_case_get(r->db, &r->actor, kk_req_param(r, "ref"), c, &d);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, "%s", d.msg[0] ? d.msg : kk_err_msg(rc));
	return 0;
}

static int answer_case(struct kk_req *r, int status, const char *ref)
{
	struct kk_case_info c;
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_case_get(r->db, &r->actor, ref, &c, &d);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, "%s", d.msg[0] ? d.msg : kk_err_msg(rc));
	struct kk_json j;
	kk_resp_json(r, status, &j);
	kk_resp_header(r, "Cache-Control", "no-store");
	rc = kk_case_json(r->db, &r->actor, &c, &j);
	kk_case_info_release(&c);
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, NULL, NULL);
	}
	return kk_api_done(r, &j);
}

static int int_query(struct kk_req *r, const char *name, int lo, int hi, int *out)
{
	const char *s = kk_req_query(r, name);
	if (!s || !*s)
		return 0;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < lo || v > hi)
		return kk_req_fail(r, KK_EINVAL, name, "%s must be a number from %d to %d", name, lo, hi);
	*out = (int)v;
	return 0;
}

/* Optional integer member; false after replying 422 when present but not an integer. */
static bool jint(struct kk_req *r, json_t *doc, const char *key, int64_t *out)
{
	json_t *v = json_object_get(doc, key);
	if (!v || json_is_null(v))
		return true;
	if (!json_is_integer(v)) {
		kk_req_fail(r, KK_EUNPROCESSABLE, key, "%s must be an integer", key);
		return false;
	}
	*out = json_integer_value(v);
	return true;
}

/* A time member: ISO 8601 (no zone: JST; a date alone: that day at the publication hour, JST), or epoch seconds. */
static bool jtime(struct kk_req *r, json_t *doc, const char *key, int64_t *out)
{
	json_t *v = json_object_get(doc, key);
	if (v && json_is_integer(v)) {
		*out = json_integer_value(v);
		return true;
	}
	if (!v || !json_is_string(v) || kk_time_parse_jst(json_string_value(v), kk_coord_config()->publish_hour, out)) {
		kk_req_fail(r, KK_EUNPROCESSABLE, key,
			    "%s: a time such as 2026-03-01T11:00:00+09:00, a date such as 2026-03-01 (Japan, at %d:00), or "
			    "epoch seconds",
			    key, kk_coord_config()->publish_hour);
		return false;
	}
	return true;
}

/* The vendor a request is about: "vendor_id" when given (coordinators), else the actor's organization. */
static bool vendor_of(struct kk_req *r, json_t *doc, int64_t *org)
{
	*org = r->actor.org_id;
	return jint(r, doc, "vendor_id", org);
}

/*
 * String member `key`, copied to the request arena (doc is freed before the
 * change runs): required with at least min bytes, or optional when min is 0
 * (NULL when absent). Reads nothing once *bad is set; on a wrong or missing
 * value replies 422 naming the key, sets *bad and returns NULL.
 */
static const char *jstr(struct kk_req *r, json_t *doc, const char *key, size_t min, size_t max, bool *bad)
{
	if (*bad)
		return NULL;
	const char *s = min ? kk_req_jstr_or_reply(r, doc, key, min, max) : kk_req_jstr_opt(r, doc, key, max, bad);
	if (min && !s)
		*bad = true;
	return *bad || !s ? NULL : kk_arena_strdup(&r->arena, s);
}

/* {"KEY":id} or, with skey, {"KEY":id,"SKEY":sval}: the answer to a change that made or named one row. */
static int answer_id(struct kk_req *r, int status, const char *key, int64_t id, const char *skey, const char *sval)
{
	struct kk_json j;
	kk_resp_json(r, status, &j);
	kk_json_obj_open(&j);
	kk_json_kv_int(&j, key, id);
	if (skey)
		kk_json_kv_str(&j, skey, sval);
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

/* Opens {"KEY":[ for a list read out of one case (never cached). */
static void case_list_open(struct kk_req *r, struct kk_json *j, const char *key)
{
	kk_resp_json(r, 200, j);
	kk_resp_header(r, "Cache-Control", "no-store");
	kk_json_obj_open(j);
	kk_json_key(j, key);
	kk_json_arr_open(j);
}

/* ---- list, open, one case ------------------------------------------------------- */

struct walk {
	struct kk_req *r;
	struct kk_json *j;
};

static int case_row(void *arg, const struct kk_case_row *c)
{
	kk_case_row_json(arg, c);
	return 0;
}

int api_cases_list(struct kk_req *r)
{
	struct kk_case_filter f = {kk_req_query(r, "state"), kk_req_query(r, "q"), 50, 0};
	if (int_query(r, "limit", 1, 500, &f.limit) < 0 || int_query(r, "offset", 0, 1000000, &f.offset) < 0)
		return KK_EINVAL;
	struct kk_json j;
	if (kk_api_list_open(r, &j, "cases") < 0)
		return KK_EBUSY;
	int64_t total = 0;
	int rc = kk_case_list(r->db, &r->actor, &f, case_row, &j, &total);
	if (rc < 0)
		return kk_api_list_close(r, &j, rc);
	kk_json_arr_close(&j);
	kk_json_kv_int(&j, "total", total);
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

int api_cases_create(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	json_t *reps = json_object_get(doc, "reports");
	const char *t[100];
	size_t n = 0;
	if (!json_is_array(reps) || !json_array_size(reps) || json_array_size(reps) > 100) {
		json_decref(doc);
		return kk_req_fail(r, KK_EUNPROCESSABLE, "reports", "reports: an array of 1 to 100 tracking numbers");
	}
	for (size_t i = 0; i < json_array_size(reps); i++) {
		json_t *v = json_array_get(reps, i);
		if (!json_is_string(v)) {
			json_decref(doc);
			return kk_req_fail(r, KK_EUNPROCESSABLE, "reports", "reports: tracking numbers as strings");
		}
		t[n++] = kk_arena_strdup(&r->arena, json_string_value(v));
	}
	json_decref(doc);
	struct kk_case_op o = {.kind = KK_CASE_OP_OPEN, .reports = t, .nreports = n};
	if (op_run(r, &o) < 0)
		return KK_EINVAL;
	return answer_case(r, 201, o.out_ref);
}

int api_cases_get(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	return answer_case(r, 200, kk_req_param(r, "ref"));
}

int api_cases_patch(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	bool bad = false;
	struct kk_case_op o = {.kind = KK_CASE_OP_EDIT, .ref = kk_req_param(r, "ref")};
	o.title = jstr(r, doc, "title", 0, 1000, &bad);
	o.overview = jstr(r, doc, "overview", 0, KK_CASE_TEXT_MAX, &bad);
	o.details = jstr(r, doc, "details", 0, KK_CASE_TEXT_MAX * 4, &bad);
	o.from = jstr(r, doc, "merge_from", 0, KK_CASE_REF_MAX, &bad);
	json_decref(doc);
	if (bad)
		return KK_EINVAL;
	if (o.from)
		o.kind = KK_CASE_OP_MERGE;
	return finish(r, &o, false, 200);
}

/* ---- the per-vendor table ----------------------------------------------------------- */

static int part_row(void *arg, const struct kk_participant *p)
{
	kk_participant_json(arg, p);
	return 0;
}

int api_case_vendors(struct kk_req *r)
{
	struct kk_case_info c;
	if (load_case(r, &c) < 0)
		return KK_ENOTFOUND;
	struct kk_participant_filter f = {kk_req_query(r, "state"), kk_req_query(r, "q"), 50, 0};
	if (int_query(r, "limit", 1, 500, &f.limit) < 0 || int_query(r, "offset", 0, 1000000, &f.offset) < 0) {
		kk_case_info_release(&c);
		return KK_EINVAL;
	}
	struct kk_json j;
	case_list_open(r, &j, "vendors");
	int64_t total = 0;
	int rc = kk_case_participants(r->db, &r->actor, &c, &f, part_row, &j, &total);
	kk_case_info_release(&c);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	kk_json_arr_close(&j);
	kk_json_kv_int(&j, "total", total);
	kk_json_kv_int(&j, "limit", f.limit);
	kk_json_kv_int(&j, "offset", f.offset);
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

int api_case_vendors_add(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_case_op o = {.kind = KK_CASE_OP_ADD_VENDOR, .ref = kk_req_param(r, "ref")};
	bool ok = jint(r, doc, "vendor_id", &o.org_id);
	json_decref(doc);
	if (!ok)
		return KK_EINVAL;
	if (!o.org_id)
		return kk_req_fail(r, KK_EUNPROCESSABLE, "vendor_id", "vendor_id: the vendor organization's id");
	return finish(r, &o, false, 201);
}

int api_case_vendor_share(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_case_op o = {.kind = KK_CASE_OP_SHARE_VENDOR, .ref = kk_req_param(r, "ref")};
	json_t *v = json_object_get(doc, "shared");
	bool ok = json_is_boolean(v);
	o.accept = json_is_true(v);
	json_decref(doc);
	if (!ok)
		return kk_req_fail(r, KK_EUNPROCESSABLE, "shared", "shared: true or false");
	if (kk_req_id_or_reply(r, "id", &o.org_id) < 0 || op_run(r, &o) < 0)
		return KK_EINVAL;
	return answer_case(r, 200, o.ref);
}

/* ---- steps, statements ------------------------------------------------------------- */

int api_case_steps(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_case_op o = {.kind = KK_CASE_OP_STEP, .ref = kk_req_param(r, "ref")};
	bool bad = false;
	const char *step = jstr(r, doc, "step", 1, 40, &bad);
	int verr = step ? kk_pverb_parse(step, &o.step.verb) : 0;
	const char *ver = jstr(r, doc, "verification", 0, 40, &bad);
	if (ver && kk_verification_parse(ver, &o.step.verification)) {
		bad = true;
		kk_req_fail(r, KK_EUNPROCESSABLE, "verification", "verification: affected, not_affected or already_known");
	}
	o.step.text = jstr(r, doc, "text", 0, KK_CASE_TEXT_MAX, &bad);
	o.step.accept_terms = json_is_true(json_object_get(doc, "accept_terms"));
	if (!bad && !vendor_of(r, doc, &o.org_id))
		bad = true;
	json_decref(doc);
	if (bad)
		return KK_EINVAL;
	if (verr)
		return kk_req_fail(r, KK_EUNPROCESSABLE, "step",
				   "step: acknowledge, request_details, no_affected_product, verify, report_fix, ready "
				   "(vendors); notify, send_details (coordinators)");
	return finish(r, &o, false, 200);
}

static int statement_row(void *arg, const struct kk_statement *s)
{
	kk_statement_json(arg, s);
	return 0;
}

int api_case_statements(struct kk_req *r)
{
	struct kk_case_info c;
	if (load_case(r, &c) < 0)
		return KK_ENOTFOUND;
	struct kk_json j;
	case_list_open(r, &j, "statements");
	int rc = kk_case_statements(r->db, &r->actor, &c, 0, statement_row, &j);
	kk_case_info_release(&c);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	kk_json_arr_close(&j);
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

int api_case_statements_post(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_case_op o = {.kind = KK_CASE_OP_STATEMENT, .ref = kk_req_param(r, "ref"), .seq = 1};
	bool bad = false;
	int64_t seq = 1;
	o.status = jstr(r, doc, "status", 1, 40, &bad);
	o.ja = jstr(r, doc, "text_ja", 0, KK_CASE_TEXT_MAX, &bad);
	o.en = jstr(r, doc, "text_en", 0, KK_CASE_TEXT_MAX, &bad);
	if (!bad && (!jint(r, doc, "vuln", &seq) || !vendor_of(r, doc, &o.org_id)))
		bad = true;
	o.seq = (int)seq;
	json_decref(doc);
	return finish(r, &o, bad, 200);
}

/* ---- the date ----------------------------------------------------------------------- */

int api_case_date(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_case_op o = {.kind = KK_CASE_OP_SET_DATE, .ref = kk_req_param(r, "ref")};
	bool bad = !jtime(r, doc, "publish_at", &o.when);
	o.reason = jstr(r, doc, "reason", 1, KK_CASE_REASON_MAX, &bad);
	json_decref(doc);
	return finish(r, &o, bad, 200);
}

int api_case_date_exception(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_case_op o = {.kind = KK_CASE_OP_DATE_EXCEPTION, .ref = kk_req_param(r, "ref")};
	bool bad = false;
	if (json_object_get(doc, "publish_at"))
		bad = !jtime(r, doc, "publish_at", &o.when);
	o.ground = jstr(r, doc, "ground", 1, 32, &bad);
	o.reason = jstr(r, doc, "reason", 1, KK_CASE_REASON_MAX, &bad);
	json_decref(doc);
	if (bad || op_run_keyed(r, &o) < 0)
		return KK_EINVAL;
	return answer_case(r, 200, o.ref);
}

int api_case_date_requests(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_case_op o = {.kind = KK_CASE_OP_REQUEST_DATE, .ref = kk_req_param(r, "ref")};
	bool bad = !jtime(r, doc, "publish_at", &o.when);
	o.reason = jstr(r, doc, "reason", 1, KK_CASE_REASON_MAX, &bad);
	if (!bad && !vendor_of(r, doc, &o.org_id))
		bad = true;
	json_decref(doc);
	if (bad || op_run(r, &o) < 0)
		return KK_EINVAL;
	return answer_id(r, 201, "request", o.out_id, "state", "requested");
}

/* A vendor names another vendor that may be affected (V.4 (3)): a suggestion for the coordinators only. */
int api_case_named_vendors(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_case_op o = {.kind = KK_CASE_OP_NAME_VENDOR, .ref = kk_req_param(r, "ref")};
	bool bad = false;
	o.named.name = jstr(r, doc, "name", 1, 400, &bad);
	o.named.product = jstr(r, doc, "product", 0, 400, &bad);
	o.named.contact = jstr(r, doc, "contact", 0, 400, &bad);
	o.named.reason = jstr(r, doc, "reason", 0, KK_CASE_REASON_MAX, &bad);
	if (!bad && !vendor_of(r, doc, &o.org_id))
		bad = true;
	json_decref(doc);
	if (bad || op_run(r, &o) < 0)
		return KK_EINVAL;
	return answer_id(r, 201, "suggestion", o.out_id, NULL, NULL);
}

/* A coordinator sets a vendor's suggestion aside. */
int api_case_named_dismiss(struct kk_req *r)
{
	struct kk_case_op o = {.kind = KK_CASE_OP_DISMISS_NAMED, .ref = kk_req_param(r, "ref")};
	if (kk_req_id_or_reply(r, "id", &o.id) < 0 || op_run(r, &o) < 0)
		return KK_EINVAL;
	return answer_id(r, 200, "suggestion", o.id, "state", "dismissed");
}

int api_case_date_decide(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_case_op o = {.kind = KK_CASE_OP_DECIDE_DATE, .ref = kk_req_param(r, "ref")};
	bool bad = false;
	json_t *acc = json_object_get(doc, "accept");
	if (!json_is_boolean(acc)) {
		bad = true;
		kk_req_fail(r, KK_EUNPROCESSABLE, "accept", "accept: true or false");
	}
	o.accept = json_is_true(acc);
	o.text = jstr(r, doc, "note", 0, KK_CASE_REASON_MAX, &bad);
	json_decref(doc);
	if (bad || kk_req_id_or_reply(r, "id", &o.id) < 0 || op_run(r, &o) < 0)
		return KK_EINVAL;
	return answer_case(r, 200, o.ref);
}

int api_case_cancel(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_case_op o = {.kind = KK_CASE_OP_CANCEL, .ref = kk_req_param(r, "ref")};
	bool bad = false;
	o.reason = jstr(r, doc, "reason", 1, 40, &bad);
	o.text = jstr(r, doc, "note", 0, KK_CASE_REASON_MAX, &bad);
	json_decref(doc);
	if (bad || op_run_keyed(r, &o) < 0)
		return KK_EINVAL;
	return answer_case(r, 200, o.ref);
}

/* ---- messages --------------------------------------------------------------------- */

static int message_row(void *arg, const struct kk_case_message *m)
{
	kk_case_message_json(arg, m);
	return 0;
}

int api_case_messages(struct kk_req *r)
{
	struct kk_case_info c;
	if (load_case(r, &c) < 0)
		return KK_ENOTFOUND;
	int vendor = 0;
	if (int_query(r, "vendor_id", 0, 2000000000, &vendor) < 0) {
		kk_case_info_release(&c);
		return KK_EINVAL;
	}
	struct kk_json j;
	case_list_open(r, &j, "messages");
	int rc = kk_case_messages(r->db, &r->actor, &c, kk_req_query(r, "thread"), vendor, message_row, &j);
	kk_case_info_release(&c);
	if (rc < 0)
		return kk_req_fail(r, rc, rc == KK_EINVAL ? "thread" : NULL,
				   rc == KK_EINVAL ? "thread: coordinators, vendor, all or finder" : NULL);
	kk_json_arr_close(&j);
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

int api_case_messages_post(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_case_op o = {.kind = KK_CASE_OP_POST, .ref = kk_req_param(r, "ref"), .thread = "vendor"};
	bool bad = false;
	o.text = jstr(r, doc, "body", 1, KK_MESSAGE_MAX, &bad);
	const char *thread = jstr(r, doc, "thread", 0, 20, &bad);
	if (thread)
		o.thread = thread;
	if (!bad && !vendor_of(r, doc, &o.org_id))
		bad = true;
	json_decref(doc);
	if (bad || op_run(r, &o) < 0)
		return KK_EINVAL;
	return answer_id(r, 201, "id", o.out_id, "thread", o.thread);
}

/* The coordinator writes to the finder of the case's reports (through intake; the finder stays unnamed). */
int api_case_finder_post(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_case_op o = {.kind = KK_CASE_OP_POST_FINDER, .ref = kk_req_param(r, "ref")};
	bool bad = false;
	o.text = jstr(r, doc, "body", 1, KK_MESSAGE_MAX, &bad);
	o.from = jstr(r, doc, "report", 0, KK_TRACKING_MAX, &bad);
	json_decref(doc);
	if (bad || op_run_keyed(r, &o) < 0)
		return KK_EINVAL;
	return answer_id(r, 201, "id", o.out_id, "thread", "finder");
}

/* ---- coordinators: timeline, suggestions, stalled, vulnerabilities ------------------------- */

static int audit_row(void *arg, const struct kk_audit_entry *e)
{
	struct kk_json *j = arg;
	char at[32];
	kk_time_iso(e->at, at, sizeof(at));
	kk_json_obj_open(j);
	kk_json_kv_str(j, "at", at);
	kk_json_kv_str(j, "actor", e->actor_label);
	kk_json_kv_str(j, "action", e->action);
	kk_json_kv_str(j, "summary", e->summary);
	kk_json_obj_close(j);
	return 0;
}

int api_case_timeline(struct kk_req *r)
{
	struct kk_case_info c;
	if (load_case(r, &c) < 0)
		return KK_ENOTFOUND;
	if (kk_req_allow_or_reply(r, KK_ACT_CASE_COORDINATE, NULL) < 0) {
		kk_case_info_release(&c);
		return KK_EPERM;
	}
	struct kk_audit_query q = {.object_type = "case", .object_id = c.ref, .oldest_first = true, .limit = 1000};
	struct kk_json j;
	int rc = kk_api_list_open(r, &j, "timeline");
	if (rc >= 0)
		rc = kk_api_list_close(r, &j, kk_audit_list(r->db, &q, audit_row, &j));
	kk_case_info_release(&c);
	return rc;
}

static int sugg_row(void *arg, const struct kk_case_suggestion *s)
{
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kk_json_kv_str(j, "source", s->source);
	if (s->org_id)
		kk_json_kv_int(j, "vendor_id", s->org_id);
	kk_json_kv_str(j, "name", s->name);
	kk_json_kv_str(j, "why", s->why);
	kk_json_kv_int(j, "score", s->score);
	kk_json_kv_bool(j, "in_case", s->in_case);
	kk_json_kv_bool(j, "unreachable", s->unreachable);
	if (s->id)
		kk_json_kv_int(j, "suggestion", s->id);
	kk_json_obj_close(j);
	return 0;
}

int api_case_suggestions(struct kk_req *r)
{
	struct kk_case_info c;
	if (load_case(r, &c) < 0)
		return KK_ENOTFOUND;
	struct kk_json j;
	int rc = kk_api_list_open(r, &j, "suggestions");
	if (rc >= 0) {
		struct kk_diag d;
		kk_diag_clear(&d);
		rc = kk_case_suggest(r->db, &r->actor, &c, sugg_row, &j, &d);
		rc = kk_api_list_close(r, &j, rc);
	}
	kk_case_info_release(&c);
	return rc;
}

int api_case_vulns_add(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_case_op o = {.kind = KK_CASE_OP_ADD_VULN, .ref = kk_req_param(r, "ref")};
	bool bad = false;
	int64_t cwe = 0;
	o.title = jstr(r, doc, "title", 1, 1000, &bad);
	o.cve = jstr(r, doc, "cve", 0, 40, &bad);
	if (!bad && !jint(r, doc, "cwe", &cwe))
		bad = true;
	o.cwe = (int)cwe;
	json_decref(doc);
	return finish(r, &o, bad, 201);
}

static int stalled_row(void *arg, const struct kk_stalled *s)
{
	kk_stalled_json(arg, s);
	return 0;
}

int api_cases_stalled(struct kk_req *r)
{
	int days = 30;
	if (int_query(r, "days", 0, 36500, &days) < 0)
		return KK_EINVAL;
	struct kk_json j;
	if (kk_api_list_open(r, &j, "cases") < 0)
		return KK_EBUSY;
	return kk_api_list_close(r, &j, kk_case_stalled(r->db, &r->actor, days, kk_clock_now(), stalled_row, &j));
}

/* ---- critical infrastructure ------------------------------------------------------------ */

int api_case_prenotify(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_case_op o = {.ref = kk_req_param(r, "ref")};
	bool bad = false;
	const char *what = jstr(r, doc, "record", 1, 20, &bad);
	o.text = jstr(r, doc, "note", 1, KK_CASE_REASON_MAX, &bad);
	o.reason = jstr(r, doc, "message", 0, KK_CASE_REASON_MAX, &bad); /* finder_told: added to the finder's message */
	json_decref(doc);
	if (bad)
		return KK_EINVAL;
	if (!strcmp(what, "consulted")) {
		o.kind = KK_CASE_OP_CONSULTED;
		return finish(r, &o, false, 200);
	}
	if (strcmp(what, "finder_told"))
		return kk_req_fail(r, KK_EUNPROCESSABLE, "record", "record: consulted or finder_told");
	o.kind = KK_CASE_OP_FINDER_TOLD; /* a real message to the finder: the key unseals the contact */
	if (op_run_keyed(r, &o) < 0)
		return KK_EINVAL;
	return answer_case(r, 200, o.ref);
}

int api_case_infra_share(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_case_op o = {.kind = KK_CASE_OP_SHARE, .ref = kk_req_param(r, "ref")};
	/* the organization is vendor_id as on every case route; org_id, its old name, is still read */
	const char *idkey = json_object_get(doc, "vendor_id") || !json_object_get(doc, "org_id") ? "vendor_id" : "org_id";
	bool bad = !jint(r, doc, idkey, &o.org_id);
	if (!bad && !o.org_id) {
		bad = true;
		kk_req_fail(r, KK_EUNPROCESSABLE, "vendor_id",
			    "vendor_id: the infrastructure organization to share with (its id)");
	}
	o.text = jstr(r, doc, "draft", 1, KK_CASE_TEXT_MAX, &bad);
	o.reason = jstr(r, doc, "fix", 1, KK_CASE_TEXT_MAX, &bad);
	json_decref(doc);
	if (bad || op_run(r, &o) < 0)
		return KK_EINVAL;
	return answer_id(r, 201, "share", o.out_id, NULL, NULL);
}

int api_infra_org(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_case_op o = {.kind = KK_CASE_OP_SECTOR};
	bool bad = false;
	o.text = jstr(r, doc, "sector", 1, 20, &bad);
	json_decref(doc);
	if (bad || kk_req_id_or_reply(r, "id", &o.org_id) < 0 || op_run(r, &o) < 0)
		return KK_EINVAL;
	return answer_id(r, 200, "org_id", o.org_id, "sector", o.text);
}

struct shares {
	struct kk_req *r;
	const char *ref;
	struct kk_json j;
	int rc;
};

static int share_row(void *arg, const struct kk_infra_share *s)
{
	kk_infra_share_json(arg, s);
	return 0;
}

static int shares_tx(struct kk_db *db, void *arg)
{
	struct shares *s = arg;
	kk_buf_reset(&s->r->resp.body);
	kk_resp_json(s->r, 200, &s->j);
	kk_json_obj_open(&s->j);
	kk_json_key(&s->j, "shares");
	kk_json_arr_open(&s->j);
	s->rc = kk_infra_shares(db, &s->r->actor, s->ref, share_row, &s->j);
	return s->rc < 0 ? s->rc : 0;
}

/* The infrastructure portal (its own organization's shares, each read audited) or, with ?case=, a case's. */
int api_infra_shares(struct kk_req *r)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	struct shares s = {.r = r, .ref = kk_req_query(r, "case")};
	int rc = kk_db_tx(db, shares_tx, &s);
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, NULL, NULL);
	}
	kk_resp_header(r, "Cache-Control", "no-store");
	kk_json_arr_close(&s.j);
	kk_json_obj_close(&s.j);
	return kk_api_done(r, &s.j);
}

/* ---- the details' attachments ------------------------------------------------------------ */

/* One attachment of the case's reports, to an actor who may read the details; always a download. */
int api_case_file(struct kk_req *r)
{
	struct kk_case_info c;
	if (load_case(r, &c) < 0)
		return KK_ENOTFOUND;
	struct kk_case_file f;
	int rc = kk_case_file_find(r->db, &c, kk_req_param(r, "sha256"), &f);
	kk_case_info_release(&c);
	if (rc < 0)
		return kk_req_fail(r, rc == KK_ENOTFOUND ? KK_ENOTFOUND : rc, NULL,
				   rc == KK_ENOTFOUND ? "no such file in the details of this case" : NULL);
	char dir[1100];
	if (kk_intake_attach_dir(kk_server_config(r->srv)->db_path, dir, sizeof(dir)))
		return kk_req_fail(r, KK_EINTERNAL, NULL, "the attachment directory path is too long");
	struct kk_diag d;
	kk_diag_clear(&d);
	kk_buf_reset(&r->resp.body);
	if (kk_intake_attachment_read(dir, f.sha256, &r->resp.body, &d) < 0) {
		kk_log(KK_LOG_ERROR, "cases: %s", d.msg);
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, KK_EIO, NULL, "the file cannot be read now; the server log says why");
	}
	r->resp.status = 200;
	r->resp.type = "application/octet-stream"; /* never rendered: a download whatever it holds */
	kk_resp_header(r, "Content-Disposition", kk_arena_printf(&r->arena, "attachment; filename=\"%s\"", f.name));
	kk_resp_header(r, "Cache-Control", "no-store");
	kk_resp_header(r, "Referrer-Policy", "no-referrer");
	return 0;
}

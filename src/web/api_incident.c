/*
 * api_incident.c — incident reports over JSON (issue 22): anyone reports
 * (JSON, or multipart/form-data with the JSON in part "report" and evidence
 * files), the reporter follows through the secret link, staff list, read,
 * reveal the sealed contact and download evidence (always as attachments).
 * The submission pipeline is shared with the form (page_incident.c).
 */
#include "base/log.h"
#include "base/clock.h"
#include "base/str.h"
#include "incident/incident.h"
#include "publish/stats.h"
#include "store/db.h"
#include "web/api.h"
#include "web/handlers.h"
#include "web/i18n.h"
#include "web/incident_web.h"
#include "web/page_report.h"
#include "web/server.h"
#include "web/web.h"
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct submit_tx {
	struct kk_incident_submit *s;
	const char *source;
	const unsigned char *key;
};

static int submit_tx(struct kk_db *db, void *arg)
{
	struct submit_tx *t = arg;
	struct kk_incident_submit *s = t->s;
	kk_diag_clear(&s->d);
	int rc = kk_incident_submit(db, s->actor, t->key, &s->in, t->source, s->base_url, &s->rc, &s->d);
	for (int i = 0; !rc && i < s->nfiles; i++)
		rc = kk_incident_attach_link(db, s->actor, true, s->rc.tracking, &s->files[i], &s->stored[i], &s->d);
	return rc;
}

int kk_incident_web_submit(struct kk_req *r, const char *json, size_t n, const struct kk_intake_limits *l,
			   const struct kk_upload *u, int nu, const char *source, struct kk_incident_submit *s,
			   bool *replied)
{
	*replied = true;
	s->base_url = getenv("KEIKAI_BASE_URL");
	kk_diag_clear(&s->d);
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	int rc = kk_incident_parse(json, n, &s->in, &s->d);
	if (!rc)
		rc = kk_incident_validate(db, &s->in, &s->d);
	if (rc) {
		kk_incident_input_release(&s->in);
		*replied = false;
		return rc == KK_EPARSE ? KK_EPARSE : KK_EINVAL;
	}
	if ((rc = kk_report_rate_or_reply(r, "incident.report", &l->submit)) < 0) {
		kk_incident_input_release(&s->in);
		return rc;
	}
	struct kk_stored_file *stored = NULL;
	if ((rc = kk_report_store(r, u, nu, l->file_max, &stored, &s->d)) < 0) {
		kk_incident_input_release(&s->in);
		kk_log(KK_LOG_ERROR, "incidents: storing evidence: %s", s->d.msg);
		return kk_req_fail(r, KK_EINTERNAL, NULL, "the server cannot store files now; try again later");
	}
	unsigned char key[KK_KEY_BYTES];
	if ((rc = kk_page_report_key(r, key)) < 0) {
		kk_incident_input_release(&s->in);
		return rc;
	}
	s->files = u;
	s->stored = stored;
	s->nfiles = nu;
	struct submit_tx t = {s, source, key};
	rc = kk_db_tx(db, submit_tx, &t);
	sodium_memzero(key, sizeof(key));
	kk_incident_input_release(&s->in);
	if (rc == KK_EINVAL || rc == KK_ETOOBIG || (rc == KK_EPERM && s->d.msg[0])) {
		*replied = false;
		return rc == KK_EPERM ? KK_EPERM : KK_EINVAL;
	}
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	*replied = false;
	return 0;
}

static int fail_input(struct kk_req *r, int rc, const struct kk_diag *d)
{
	const char *where = d->where[0] ? d->where : NULL;
	if (rc == KK_ETOOBIG || rc == KK_EPERM)
		return kk_req_fail(r, rc, where, "%s", d->msg);
	return kk_req_fail(r, rc == KK_EPARSE ? KK_EPARSE : KK_EUNPROCESSABLE, where, "%s",
			   d->msg[0] ? d->msg : kk_err_msg(rc));
}

int api_incident_reports_create(struct kk_req *r)
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
		return kk_req_fail_status(r, 415, "unsupported", NULL,
					  "send the report as application/json, or as multipart/form-data with "
					  "the JSON in 'report' and the files in 'file'");
	}
	/* staff entering a report that came by mail say so: ?source=mail (INCIDENT_HANDLE, checked below) */
	const char *source = kk_req_query(r, "source");
	if (source && strcmp(source, "mail"))
		return kk_req_fail(r, KK_EUNPROCESSABLE, "source", "source is 'mail' (staff) or left out");
	struct kk_incident_submit s = {.actor = &r->actor};
	bool replied;
	int rc = kk_incident_web_submit(r, json, n, &l, u, nu, source ? "mail" : "api", &s, &replied);
	if (rc < 0)
		return replied ? rc : fail_input(r, rc, &s.d);
	char link[512];
	snprintf(link, sizeof(link), "%s/incident/r/%s?key=%s",
		 s.base_url && *s.base_url ? s.base_url : "http://127.0.0.1:8080", s.rc.tracking, s.rc.token);
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

static int row_json(void *arg, const struct kk_incident_row *row)
{
	kk_incident_row_json(row, arg);
	return 0;
}

int api_incident_reports_list(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_INCIDENT_HANDLE, NULL) < 0)
		return KK_EPERM;
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	struct kk_incident_query q = {.category = kk_req_query(r, "category"), .status = kk_req_query(r, "status")};
	const char *limit = kk_req_query(r, "limit");
	q.limit = limit ? atoi(limit) : 100;
	if (q.limit < 1 || q.limit > 1000)
		return kk_req_fail(r, KK_EUNPROCESSABLE, "limit", "limit is 1 to 1000");
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_json_obj_open(&j);
	kk_json_key(&j, "items");
	kk_json_arr_open(&j);
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_incident_list(db, &r->actor, &q, row_json, &j, &d);
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, NULL, NULL);
	}
	kk_json_arr_close(&j);
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

int api_incident_report_get(struct kk_req *r)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	const char *tracking = kk_req_param(r, "tracking"), *token = kk_req_query(r, "key");
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_resp_header(r, "Cache-Control", "no-store");
	int rc;
	struct kk_diag d;
	kk_diag_clear(&d);
	if (token)
		rc = kk_incident_reporter_json(db, tracking, token, &j);
	else if (kk_policy_allow(&r->actor, KK_ACT_INCIDENT_HANDLE, NULL))
		rc = kk_incident_staff_json(db, &r->actor, tracking, &j, &d);
	else
		rc = KK_ENOTFOUND; /* without the link, a report does not exist for the public */
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc == KK_ENOTFOUND ? KK_ENOTFOUND : rc, NULL,
				   rc == KK_ENOTFOUND ? "no incident report matches this link; check the whole link" : NULL);
	}
	return kk_api_done(r, &j);
}

int api_incident_report_reveal(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_INCIDENT_REVEAL, NULL) < 0)
		return KK_EPERM;
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	unsigned char key[KK_KEY_BYTES];
	if (kk_page_report_key(r, key) < 0)
		return KK_EINTERNAL;
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_resp_header(r, "Cache-Control", "no-store");
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_incident_reveal(db, &r->actor, key, kk_req_param(r, "tracking"), &j, &d);
	sodium_memzero(key, sizeof(key));
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, d.where[0] ? d.where : NULL, "%s", d.msg[0] ? d.msg : kk_err_msg(rc));
	}
	return kk_api_done(r, &j);
}

int kk_incident_web_download(struct kk_req *r, const char *token)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	struct kk_attachment x;
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_incident_attachment_find(db, &r->actor, token, kk_req_param(r, "tracking"),
					     kk_req_param(r, "sha256"), &x, &d);
	if (rc == KK_ENOTFOUND)
		return kk_req_fail(r, KK_ENOTFOUND, NULL, "%s", _("No such file on this report."));
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	return kk_report_send_attachment(r, &x);
}

int api_incident_report_file(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_INCIDENT_HANDLE, NULL) < 0)
		return KK_EPERM;
	return kk_incident_web_download(r, NULL);
}

static int cat_json(void *arg, const struct kk_incident_category *c)
{
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kk_json_kv_str(j, "code", c->code);
	kk_json_kv_str(j, "name_ja", c->name_ja);
	kk_json_kv_str(j, "name_en", c->name_en);
	kk_json_obj_close(j);
	return 0;
}

int api_incident_categories(struct kk_req *r)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_json_arr_open(&j);
	int rc = kk_incident_categories(db, cat_json, &j);
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, NULL, NULL);
	}
	kk_json_arr_close(&j);
	return kk_api_done(r, &j);
}

/* ---- incidents ---------------------------------------------------------------------------- */

struct inc_tx {
	const struct kk_actor *a;
	json_t *doc;
	const char *ident, *action;
	char made[KK_INCIDENT_IDENT_MAX];
	int64_t id;
	struct kk_diag d;
};

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int inc_when(const char *s, int64_t *t, struct kk_diag *d)
{
	*t = 0;
	if (s && kk_time_parse_jst(s, 0, t))
		return kk_diag_set(d, KK_EINVAL, "at", "at is a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM, JST)");
	return 0;
}

static int inc_tx(struct kk_db *db, void *arg)
{
	struct inc_tx *x = arg;
	kk_diag_clear(&x->d);
	const char *act = x->action;
	int64_t t;
	int rc;
	if (!act)
		return kk_incident_open(db, x->a, jstr(x->doc, "report"), jstr(x->doc, "title"), x->made, &x->d);
	if (!strcmp(act, "link"))
		return kk_incident_link(db, x->a, x->ident, jstr(x->doc, "report"), &x->d);
	if (!strcmp(act, "state"))
		return kk_incident_set_state(db, x->a, x->ident, jstr(x->doc, "state"), &x->d);
	if (!strcmp(act, "coordinate")) {
		if ((rc = inc_when(jstr(x->doc, "at"), &t, &x->d)))
			return rc;
		struct kk_incident_coord c = {jstr(x->doc, "party"), jstr(x->doc, "contact"), jstr(x->doc, "scope"),
					      jstr(x->doc, "asked"), t};
		return kk_incident_coord_add(db, x->a, x->ident, &c, &x->id, &x->d);
	}
	if (!strcmp(act, "answer"))
		return kk_incident_coord_answer(db, x->a, x->ident, json_integer_value(json_object_get(x->doc, "id")),
						jstr(x->doc, "status"), jstr(x->doc, "answer"), &x->d);
	if (!strcmp(act, "brand"))
		return kk_incident_set_brand(db, x->a, x->ident, jstr(x->doc, "brand"), jstr(x->doc, "origin"), &x->d);
	if (!strcmp(act, "takedown"))
		return (rc = inc_when(jstr(x->doc, "at"), &t, &x->d)) ? rc : kk_incident_takedown(db, x->a, x->ident, t, &x->d);
	return kk_diag_set(&x->d, KK_EINVAL, "action", "action is link, state, coordinate, answer, brand or takedown");
}

static int inc_run(struct kk_req *r, struct inc_tx *x)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	int rc = kk_db_tx(db, inc_tx, x);
	if (rc < 0)
		return kk_req_fail(r, rc == KK_EINVAL ? KK_EUNPROCESSABLE : rc, x->d.where[0] ? x->d.where : NULL, "%s",
				   x->d.msg[0] ? x->d.msg : kk_err_msg(rc));
	return 0;
}

static int inc_show(struct kk_req *r, int status, const char *ident)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	struct kk_json j;
	kk_resp_json(r, status, &j);
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_incident_json(db, &r->actor, ident, &j, &d);
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, d.where[0] ? d.where : NULL, "%s", d.msg[0] ? d.msg : kk_err_msg(rc));
	}
	return kk_api_done(r, &j);
}

int api_incidents_create(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_INCIDENT_HANDLE, NULL) < 0)
		return KK_EPERM;
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct inc_tx x = {.a = &r->actor, .doc = doc};
	int rc = inc_run(r, &x);
	json_decref(doc);
	return rc < 0 ? rc : inc_show(r, 201, x.made);
}

int api_incident_get(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_INCIDENT_HANDLE, NULL) < 0)
		return KK_EPERM;
	return inc_show(r, 200, kk_req_param(r, "ident"));
}

int api_incident_act(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_INCIDENT_HANDLE, NULL) < 0)
		return KK_EPERM;
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	const char *ident = kk_req_param(r, "ident");
	struct inc_tx x = {.a = &r->actor, .doc = doc, .ident = ident, .action = jstr(doc, "action")};
	if (!x.action) {
		json_decref(doc);
		return kk_req_fail(r, KK_EUNPROCESSABLE, "action",
				   "action is link, state, coordinate, answer, brand or takedown");
	}
	int rc = inc_run(r, &x);
	json_decref(doc);
	return rc < 0 ? rc : inc_show(r, 200, ident);
}

static int sug_json(void *arg, const char *ident, const char *kind, const char *value)
{
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kk_json_kv_str(j, "incident", ident);
	kk_json_kv_str(j, "kind", kind);
	kk_json_kv_str(j, "value", value);
	kk_json_obj_close(j);
	return 0;
}

int api_incident_report_suggestions(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_INCIDENT_HANDLE, NULL) < 0)
		return KK_EPERM;
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_json_arr_open(&j);
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_incident_suggest(db, &r->actor, kk_req_param(r, "tracking"), sug_json, &j, &d);
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, NULL, "%s", d.msg[0] ? d.msg : kk_err_msg(rc));
	}
	kk_json_arr_close(&j);
	return kk_api_done(r, &j);
}

/* The period of a figures request: ?quarter= (JST), else staff's from= / to=, else the current quarter. */
int kk_incident_web_period(struct kk_req *r, int64_t *from, int64_t *to, bool *pub)
{
	const char *qs = kk_req_query(r, "quarter"), *f = kk_req_query(r, "from"), *t = kk_req_query(r, "to");
	const char *all = kk_req_query(r, "all");
	bool staff = kk_policy_allow(&r->actor, KK_ACT_INCIDENT_HANDLE, NULL);
	*pub = !(staff && all && !strcmp(all, "1"));
	int y, q;
	if (qs) {
		if (kk_stats_quarter_parse(qs, &y, &q, from, to))
			return kk_req_fail(r, KK_EUNPROCESSABLE, "quarter", "quarter is like 2026Q2 (JST calendar quarters)");
		return 0;
	}
	if (f || t) {
		if (!staff)
			return kk_req_fail(r, KK_EPERM, "from", "any date range is for incident handlers; give ?quarter=");
		if (!f || !t || kk_time_parse_jst(f, 0, from) || kk_time_parse_jst(t, 0, to) || *to <= *from)
			return kk_req_fail(r, KK_EUNPROCESSABLE, f ? "to" : "from",
					   "give from= and to= as JST dates (YYYY-MM-DD), to after from");
		return 0;
	}
	kk_stats_quarter_at(kk_clock_now(), &y, &q, from, to);
	return 0;
}

int api_incident_figures(struct kk_req *r)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	int64_t from, to;
	bool pub;
	int rc = kk_incident_web_period(r, &from, &to, &pub);
	if (rc < 0)
		return rc;
	struct kk_diag d;
	kk_diag_clear(&d);
	const char *fmt = kk_req_query(r, "format");
	if (fmt && !strcmp(fmt, "csv")) {
		r->resp.status = 200;
		r->resp.type = "text/csv; charset=utf-8";
		rc = kk_incident_figures_csv(db, from, to, &r->resp.body, &d);
		if (rc < 0) {
			kk_buf_reset(&r->resp.body);
			return kk_req_fail(r, rc, NULL, NULL);
		}
		return 0;
	}
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	rc = kk_incident_figures(db, &r->actor, from, to, pub, &j, &d);
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, d.where[0] ? d.where : NULL, "%s", d.msg[0] ? d.msg : kk_err_msg(rc));
	}
	return kk_api_done(r, &j);
}

/*
 * api_website.c — website cases over JSON: the receivers' list, board,
 * figures, one case and its actions; the operator's portal (by account or
 * the secret link ?key=); the finder's side through the report's link.
 */
#include "base/arena.h"
#include "base/str.h"
#include "intake/intake.h"
#include "store/db.h"
#include "web/api.h"
#include "web/handlers.h"
#include "web/page_website.h"
#include "web/server.h"
#include "web/web.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* The error answer for a failed action: the field and message the domain gave. */
static int fail(struct kk_req *r, int rc, const struct kk_diag *d)
{
	if (r->resp.status)
		return rc; /* already answered (the key could not be loaded) */
	if (rc == KK_EINVAL || rc == KK_EPARSE || rc == KK_EUNSUPPORTED) /* a file of a type not allowed too */
		rc = KK_EUNPROCESSABLE;
	return kk_req_fail(r, rc, d->where[0] ? d->where : NULL, "%s", d->msg[0] ? d->msg : kk_err_msg(rc));
}

/* Ends a JSON answer begun with kk_resp_json: done, or (rc < 0) the error answer instead. */
static int json_end(struct kk_req *r, struct kk_json *j, int rc, const struct kk_diag *d)
{
	if (rc >= 0)
		return kk_api_done(r, j);
	kk_buf_reset(&r->resp.body);
	r->resp.status = 0;
	return d ? fail(r, rc, d) : kk_req_fail(r, rc, NULL, NULL);
}

/* The finder's view of the case of `tracking` (the report's link token). */
static int finder_answer(struct kk_req *r, const char *tracking, const char *token)
{
	struct kk_json j;
	struct kk_diag d;
	kk_diag_clear(&d);
	kk_resp_json(r, 200, &j);
	kk_resp_header(r, "Cache-Control", "no-store");
	return json_end(r, &j, kk_website_finder_json(r->db, tracking, token, &j, &d), &d);
}

/* ---- receivers -------------------------------------------------------- */

/* One case in a list; the operator's list (portal) leaves the report's tracking number out. */
static void list_item(struct kk_json *j, const struct kk_website_case *c, bool portal)
{
	char t[32];
	kk_json_obj_open(j);
	kk_json_kv_str(j, "handling", c->handling);
	if (!portal)
		kk_json_kv_str(j, "tracking", c->tracking);
	kk_json_kv_str(j, "url", c->url);
	kk_json_kv_str(j, "stage", c->stage);
	kk_json_kv_str(j, "outcome", c->outcome[0] ? c->outcome : NULL);
	kk_json_kv_str(j, "organization", c->org_name[0] ? c->org_name : NULL);
	kk_time_iso(c->opened_at, t, sizeof(t));
	kk_json_kv_str(j, "opened_at", t);
	kk_json_kv_bool(j, "overdue", c->overdue);
	kk_json_kv_bool(j, "unreachable", c->unreachable_at != 0);
	kk_json_obj_close(j);
}

static int list_row(void *arg, const struct kk_website_case *c)
{
	list_item(arg, c, false);
	return 0;
}

static int portal_row(void *arg, const struct kk_website_case *c)
{
	list_item(arg, c, true);
	return 0;
}

int api_website_list(struct kk_req *r)
{
	struct kk_json j;
	if (kk_api_list_open(r, &j, "cases") < 0)
		return KK_EBUSY;
	struct kk_website_filter f = {.stage = kk_req_query(r, "stage")};
	int rc = kk_website_list(r->db, &r->actor, &f, list_row, &j);
	return kk_api_list_close(r, &j, rc < 0 ? rc : 0);
}

int api_website_board(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	return json_end(r, &j, kk_website_board_json(r->db, &r->actor, kk_clock_now(), &j), NULL);
}

int api_website_figures(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	int64_t from = 0, to = 0;
	const char *f = kk_req_query(r, "from"), *t = kk_req_query(r, "to");
	if ((f && kk_time_parse(f, &from)) || (t && kk_time_parse(t, &to)))
		return kk_req_fail(r, KK_EUNPROCESSABLE, f && kk_time_parse(f, &from) ? "from" : "to",
				   "give dates as YYYY-MM-DD");
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	return json_end(r, &j, kk_website_figures_json(r->db, &r->actor, from, to, &j), NULL);
}

/* The case as w sees it, with status (200 or 201). */
static int case_answer(struct kk_req *r, int status, const struct kk_website_who *w, const char *handling,
		       bool operator, const char *new_token)
{
	struct kk_json j;
	struct kk_diag d;
	kk_diag_clear(&d);
	kk_resp_json(r, status, &j);
	kk_resp_header(r, "Cache-Control", "no-store");
	if (new_token && *new_token) {
		/* the answer is {"case": ..., "link": ...}: the new link shown once */
		kk_json_obj_open(&j);
		kk_json_kv_str(&j, "link",
			       kk_arena_printf(&r->arena, "%s/website/portal?key=%s", kk_website_config()->base_url, new_token));
		kk_json_key(&j, "case");
	}
	int rc = kk_website_json(r->db, w, handling, operator, &j, &d);
	if (new_token && *new_token)
		kk_json_obj_close(&j);
	return json_end(r, &j, rc, &d);
}

int api_website_get(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_website_who w = {&r->actor, NULL};
	return case_answer(r, 200, &w, kk_web_website_handling(r, "case"), false, NULL);
}

/*
 * Reads the action's fields from a JSON body, or from multipart/form-data (a note or the
 * completion report with files), into w (arena copies). 0 or replied.
 */
static int read_fields(struct kk_req *r, struct kk_wact *w)
{
	static const char *const names[] = {"action",	"key",	  "case",     "text",	     "email",
					    "name",	"pgp_key", "item",    "date",	     "outcome",
					    "org",	"addresses", "flaw_type", "risk",     "reproduce",
					    "description"};
	const char **dst[] = {&w->action, &w->token,	&w->handling, &w->text,	  &w->email,   &w->name,
			      &w->pgp_key, &w->item,	&w->date,     &w->outcome, &w->org,	&w->addresses,
			      &w->flaw,	  &w->risk,	&w->reproduce, &w->description};
	if (kk_req_is_multipart(r)) {
		const struct kk_part *parts;
		struct kk_diag d;
		if (kk_req_parts(r, &parts, &d) < 0)
			return kk_req_fail(r, KK_EPARSE, "multipart", "the form data is malformed: %s", d.msg);
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			const char *v = kk_req_form(r, names[i]);
			*dst[i] = v && *v ? v : NULL;
		}
		const char *p = kk_req_form(r, "portal"), *u = kk_req_form(r, "undo");
		w->portal = p && (!strcmp(p, "true") || !strcmp(p, "1"));
		w->undo = u && (!strcmp(u, "true") || !strcmp(u, "1"));
		return 0;
	}
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	bool bad = false;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !bad; i++) {
		const char *v = kk_req_jstr_opt(r, doc, names[i], KK_WEBSITE_TEXT_MAX, &bad);
		if (v && !(*dst[i] = kk_arena_strdup(&r->arena, v)))
			bad = true;
	}
	json_t *p = json_object_get(doc, "portal"), *u = json_object_get(doc, "undo");
	w->portal = json_is_true(p);
	w->undo = json_is_true(u);
	json_decref(doc);
	return bad ? KK_EUNPROCESSABLE : 0;
}

/* The start of every action post: the database and the body's fields for `side`. 0 or replied. */
static int post_start(struct kk_req *r, enum kk_wside side, struct kk_wact *w)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	memset(w, 0, sizeof(*w));
	if (read_fields(r, w) < 0)
		return KK_EINVAL;
	w->side = side;
	return 0;
}

int api_website_act(struct kk_req *r)
{
	struct kk_wact w;
	int rc = post_start(r, KK_WSIDE_STAFF, &w);
	if (rc < 0)
		return rc;
	w.token = NULL;
	w.handling = kk_web_website_handling(r, "case");
	rc = kk_web_website_act(r, &w);
	if (rc < 0)
		return fail(r, rc, &w.d);
	struct kk_website_who who = {&r->actor, NULL};
	return case_answer(r, 200, &who, w.handling, false, w.new_token);
}

/* ---- the operator's portal ---------------------------------------------- */

int api_website_portal_get(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	const char *key = kk_req_query(r, "key"), *c = kk_req_query(r, "case");
	/* staff who handle website cases see the operator's view too (as the page /website/portal does) */
	struct kk_website_who w = {key ? &kk_actor_public : &r->actor, key};
	return case_answer(r, 200, &w, key ? NULL : kk_web_website_norm(r, c), true, NULL);
}

int api_website_portal_post(struct kk_req *r)
{
	struct kk_wact w;
	int rc = post_start(r, KK_WSIDE_PORTAL, &w);
	if (rc < 0)
		return rc;
	if (w.token && *w.token)
		w.handling = NULL;
	else
		w.handling = kk_web_website_norm(r, w.handling);
	rc = kk_web_website_act(r, &w);
	if (rc < 0)
		return fail(r, rc, &w.d);
	if (w.new_token[0]) {
		/* the contact point was given: the new link goes only to that contact, by mail; this link ends */
		sodium_memzero(w.new_token, sizeof(w.new_token));
		struct kk_json j;
		kk_resp_json(r, 200, &j);
		kk_json_obj_open(&j);
		kk_json_kv_str(&j, "stage", "stage2");
		kk_json_kv_str(&j, "message", "the contact point receives a message with a new link; this link no longer "
					       "works");
		kk_json_obj_close(&j);
		return kk_api_done(r, &j);
	}
	struct kk_website_who who = {w.token ? &kk_actor_public : &r->actor, w.token};
	return case_answer(r, 200, &who, w.handling, true, NULL);
}

int api_website_portal_list(struct kk_req *r)
{
	struct kk_json j;
	if (kk_api_list_open(r, &j, "cases") < 0)
		return KK_EBUSY;
	int rc = kk_website_list(r->db, &r->actor, NULL, portal_row, &j);
	return kk_api_list_close(r, &j, rc < 0 ? rc : 0);
}

/* Sends attachment sha256 of the case (operator link or account, or staff) as a download. */
int kk_web_website_file(struct kk_req *r, const struct kk_website_who *w, const char *handling)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_attachment x;
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_website_attachment(r->db, w, handling, kk_req_param(r, "sha256"), &x, &d);
	if (rc < 0)
		return fail(r, rc, &d);
	char dir[1100];
	if (kk_intake_attach_dir(kk_server_config(r->srv)->db_path, dir, sizeof(dir)))
		return kk_req_fail(r, KK_EINTERNAL, NULL, "the attachment directory path is too long");
	kk_buf_reset(&r->resp.body);
	if ((rc = kk_intake_attachment_read(dir, x.sha256, &r->resp.body, &d)) < 0) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, KK_EIO, NULL, "the file cannot be read now; the server log says why");
	}
	r->resp.status = 200;
	r->resp.type = "application/octet-stream";
	kk_resp_header(r, "Content-Disposition", kk_arena_printf(&r->arena, "attachment; filename=\"%s\"", x.filename));
	kk_resp_header(r, "Cache-Control", "no-store");
	kk_resp_header(r, "Referrer-Policy", "no-referrer");
	return 0;
}

int api_website_portal_file(struct kk_req *r)
{
	const char *key = kk_req_query(r, "key");
	struct kk_website_who w = {key ? &kk_actor_public : &r->actor, key};
	return kk_web_website_file(r, &w, key ? NULL : kk_web_website_norm(r, kk_req_query(r, "case")));
}

/* ---- the finder ---------------------------------------------------------- */

int api_website_finder_get(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	return finder_answer(r, kk_req_param(r, "tracking"), kk_req_query(r, "key"));
}

int api_website_finder_post(struct kk_req *r)
{
	struct kk_wact w;
	int rc = post_start(r, KK_WSIDE_FINDER, &w);
	if (rc < 0)
		return rc;
	w.tracking = kk_req_param(r, "tracking");
	rc = kk_web_website_act(r, &w);
	if (rc < 0)
		return fail(r, rc, &w.d);
	return finder_answer(r, w.tracking, w.token);
}

/*
 * page_report.c — the finder's pages: the public report form (GET/POST /report, no account
 * needed), the receipt with the secret link shown once, and the status page behind that link
 * (GET/POST /r/{tracking}?key=…) with the thread and a form to answer.
 */
#include "web/page_report.h"
#include "auth/keyfile.h"
#include "base/err.h"
#include "base/log.h"
#include "base/rand.h"
#include "base/str.h"
#include "intake/intake.h"
#include "store/db.h"
#include "web/api.h"
#include "web/handlers.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/server.h"
#include "web/web.h"
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kk_page_report_key(struct kk_req *r, unsigned char key[KK_KEY_BYTES])
{
	char path[1024];
	struct kk_diag d;
	kk_diag_clear(&d);
	const struct kk_server_config *c = kk_server_config(r->srv);
	if (kk_keyfile_path(c->db_path, NULL, path, sizeof(path)) || kk_keyfile_load(path, key, &d)) {
		kk_log(KK_LOG_ERROR, "reports: %s", d.msg[0] ? d.msg : "key file path too long");
		return kk_req_fail(r, KK_EINTERNAL, NULL,
		                   "the server cannot seal reports now; try again later");
	}
	return 0;
}

/* ---- the form ---------------------------------------------------------- */

/* Form fields are named by their JSON path, so the validator's d.where names the field itself. */
enum ftype { F_TEXT, F_EMAIL, F_AREA, F_CHECK, F_DATE, F_URL };
struct field {
	const char *name; /* JSON path "finder.name" */
	const char *label;
	enum ftype type;
	bool required;
	const char *group; /* fieldset: "finder", "product", "website", "vuln", "other" */
};
static const struct field FIELDS[] = {
    {"finder.name", N_("Your name"), F_TEXT, true, "finder"},
    {"finder.email", N_("Your e-mail address"), F_EMAIL, true, "finder"},
    {"finder.pgp_key", N_("Your PGP public key (optional; mail to you is then encrypted)"), F_AREA, false,
     "finder"},
    {"finder.credit", N_("I want to be credited in the advisory"), F_CHECK, false, "finder"},
    {"finder.credit_name", N_("Name for the credit"), F_TEXT, false, "finder"},
    {"finder.anonymous", N_("Stay anonymous towards the vendor or operator"), F_CHECK, false, "finder"},
    {"product.name", N_("Product name"), F_TEXT, true, "product"},
    {"product.version", N_("Product version"), F_TEXT, false, "product"},
    {"product.vendor", N_("Vendor"), F_TEXT, false, "product"},
    {"website.name", N_("Website name"), F_TEXT, false, "website"},
    {"website.url", N_("Website URL"), F_URL, true, "website"},
    {"vulnerability.cwe", N_("Kind of vulnerability (CWE id, e.g. CWE-79)"), F_TEXT, false, "vuln"},
    {"vulnerability.cve", N_("CVE id, if one is known"), F_TEXT, false, "vuln"},
    {"vulnerability.description", N_("Description of the vulnerability"), F_AREA, true, "vuln"},
    {"vulnerability.steps", N_("Steps to reproduce"), F_AREA, false, "vuln"},
    {"vulnerability.impact", N_("Impact"), F_AREA, false, "vuln"},
    {"reported_to", N_("Already reported to (vendor, operator, other bodies)"), F_TEXT, false, "other"},
    {"publication.intent", N_("I intend to publish my findings"), F_CHECK, false, "other"},
    {"publication.date", N_("Planned publication date"), F_DATE, false, "other"},
    {"policy_ack", N_("I have read and accept the handling policy for reports"), F_CHECK, true, "other"},
};
#define NFIELDS (sizeof(FIELDS) / sizeof(FIELDS[0]))

struct form {
	const char *kind, *disclose, *csrf;
	const char *v[NFIELDS];
	const char *err_field, *err_msg;
};

static void form_field(struct kk_req *r, const struct form *f, size_t i)
{
	struct kk_buf *b = &r->resp.body;
	const struct field *x = &FIELDS[i];
	const char *id = kk_arena_printf(&r->arena, "f-%s", x->name);
	bool bad = f->err_field && !strcmp(f->err_field, x->name);
	if (x->type == F_CHECK) {
		KK_HTML(b, "<label class=\"check\"><input type=\"checkbox\" value=\"1\"");
		KK_HTML_ATTR(b, "name", x->name);
		KK_HTML_ATTR(b, "id", id);
		if (f->v[i] && *f->v[i])
			KK_HTML(b, " checked");
		KK_HTML(b, "> ");
		kk_html_text(b, _(x->label));
		KK_HTML(b, "</label>");
	} else {
		KK_HTML(b, "<label");
		KK_HTML_ATTR(b, "for", id);
		KK_HTML(b, ">");
		kk_html_text(b, _(x->label));
		if (x->required)
			KK_HTML(b, " <span class=\"req\">*</span>");
		KK_HTML(b, "</label>");
		if (x->type == F_AREA) {
			KK_HTML(b, "<textarea rows=\"5\"");
			KK_HTML_ATTR(b, "name", x->name);
			KK_HTML_ATTR(b, "id", id);
			KK_HTML(b, ">");
			kk_html_text(b, f->v[i]);
			KK_HTML(b, "</textarea>");
		} else {
			if (x->type == F_EMAIL)
				KK_HTML(b, "<input type=\"email\"");
			else if (x->type == F_DATE)
				KK_HTML(b, "<input type=\"date\"");
			else if (x->type == F_URL)
				KK_HTML(b, "<input type=\"url\"");
			else
				KK_HTML(b, "<input type=\"text\"");
			KK_HTML_ATTR(b, "name", x->name);
			KK_HTML_ATTR(b, "id", id);
			KK_HTML_ATTR(b, "value", f->v[i] ? f->v[i] : "");
			KK_HTML(b, ">");
		}
	}
	if (bad) {
		KK_HTML(b, "<p class=\"field-error\" role=\"alert\"");
		KK_HTML_ATTR(b, "id", kk_arena_printf(&r->arena, "err-%s", x->name));
		KK_HTML(b, ">");
		kk_html_textf(b, "%s: %s", _(x->label), f->err_msg);
		KK_HTML(b, "</p>");
	}
}

static void form_group(struct kk_req *r, const struct form *f, const char *group, const char *legend)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<fieldset");
	KK_HTML_ATTR(b, "id", kk_arena_printf(&r->arena, "group-%s", group));
	KK_HTML_EL(b, "><legend>", legend, "</legend>");
	for (size_t i = 0; i < NFIELDS; i++)
		if (!strcmp(FIELDS[i].group, group))
			form_field(r, f, i);
	KK_HTML(b, "</fieldset>");
}

void kk_page_option(struct kk_buf *b, const char *value, const char *label, const char *cur)
{
	KK_HTML(b, "<option");
	KK_HTML_ATTR(b, "value", value);
	if (cur && !strcmp(cur, value))
		KK_HTML(b, " selected");
	KK_HTML_EL(b, ">", label, "</option>");
}

static int report_form(struct kk_req *r, int status, const struct form *f)
{
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, _("Report a vulnerability"));
	KK_HTML_EL(b, "<h1>", _("Report a vulnerability"), "</h1><div class=\"card\"><p>");
	kk_html_text(b,
	             _("No account is needed. Items marked * are required. Your name and e-mail address are "
	               "sealed and only passed on as far as you consent below."));
	KK_HTML(b, "</p>");
	if (f->err_msg) {
		const char *lab = f->err_field ? f->err_field : "";
		for (size_t i = 0; i < NFIELDS; i++)
			if (f->err_field && !strcmp(FIELDS[i].name, f->err_field))
				lab = _(FIELDS[i].label);
		kk_page_notice(r, "error",
		               kk_arena_printf(&r->arena, "%s%s%s", lab, *lab ? ": " : "", f->err_msg));
	}
	KK_HTML(b, "<form class=\"stack\" method=\"post\" action=\"/report\" id=\"report-form\">"
	           "<input type=\"hidden\" name=\"csrf\"");
	KK_HTML_ATTR(b, "value", f->csrf);
	KK_HTML_EL(b, "><fieldset id=\"group-kind\"><legend>", _("What is affected"), "</legend>");
	KK_HTML(b, "<label><input type=\"radio\" name=\"kind\" value=\"product\"");
	if (!f->kind || strcmp(f->kind, "website"))
		KK_HTML(b, " checked");
	KK_HTML_EL(b, "> ", _("A software product"), "</label>");
	KK_HTML(b, "<label><input type=\"radio\" name=\"kind\" value=\"website\"");
	if (f->kind && !strcmp(f->kind, "website"))
		KK_HTML(b, " checked");
	KK_HTML_EL(b, "> ", _("A website"), "</label>");
	if (f->err_field && !strcmp(f->err_field, "kind"))
		KK_HTML_EL(b, "<p class=\"field-error\" role=\"alert\" id=\"err-kind\">", f->err_msg, "</p>");
	KK_HTML(b, "</fieldset>");
	form_group(r, f, "finder", _("About you"));
	KK_HTML_EL(b, "<label for=\"f-finder.disclose\">",
	           _("What may be passed on to the vendor or operator"),
	           "</label><select name=\"finder.disclose\" id=\"f-finder.disclose\">");
	kk_page_option(b, "none", _("Nothing about me"), f->disclose);
	kk_page_option(b, "name", _("My name"), f->disclose);
	kk_page_option(b, "name_contact", _("My name and e-mail address"), f->disclose);
	KK_HTML(b, "</select>");
	if (f->err_field && !strcmp(f->err_field, "finder.disclose"))
		KK_HTML_EL(b, "<p class=\"field-error\" role=\"alert\" id=\"err-finder.disclose\">",
		           f->err_msg, "</p>");
	form_group(r, f, "product", _("The product (for a product report)"));
	form_group(r, f, "website", _("The website (for a website report)"));
	form_group(r, f, "vuln", _("The vulnerability"));
	form_group(r, f, "other", _("Other"));
	kk_page_submit(r, _("Send the report"));
	return kk_page_close(r, status);
}

/*
 * The pre-session CSRF token of the form (double submit, like the sign-in form); a signed-in
 * person's form carries the session's token instead, which the dispatcher checks.
 */
static const char *form_csrf(struct kk_req *r, bool fresh)
{
	if (r->via_cookie)
		return r->actor.csrf;
	char csrf[KK_CSRF_MAX];
	const char *have = kk_req_cookie(r, KK_LOGIN_CSRF_COOKIE);
	if (!fresh && have && strlen(have) >= 32 && strlen(have) < sizeof(csrf) &&
	    strspn(have, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == strlen(have))
		kk_strlcpy(csrf, have, sizeof(csrf));
	else
		kk_random_token(csrf, 32);
	const char *c = kk_arena_strdup(&r->arena, csrf);
	kk_resp_cookie(r, KK_LOGIN_CSRF_COOKIE, c, 3600, true);
	return c;
}

int page_report(struct kk_req *r)
{
	struct form f = {.csrf = form_csrf(r, false), .disclose = "none"};
	return report_form(r, 200, &f);
}

/* Sets obj[path] (path "a.b" makes obj.a.b) to v. */
static void jset(json_t *root, const char *path, json_t *v)
{
	const char *dot = strchr(path, '.');
	if (!dot) {
		json_object_set_new(root, path, v);
		return;
	}
	char head[32];
	size_t n = (size_t)(dot - path);
	if (n >= sizeof(head)) {
		json_decref(v);
		return;
	}
	memcpy(head, path, n);
	head[n] = '\0';
	json_t *o = json_object_get(root, head);
	if (!o) {
		o = json_object();
		json_object_set_new(root, head, o);
	}
	json_object_set_new(o, dot + 1, v);
}

/*
 * The form as the JSON document kk_intake_parse reads (empty fields left out), in the arena.
 * NULL when out of memory, or with *bad naming a field that is not UTF-8.
 */
static char *form_json(struct kk_req *r, const struct form *f, const char **bad)
{
	json_t *root = json_object();
	json_object_set_new(root, "kind", json_string(f->kind ? f->kind : ""));
	json_object_set_new(root, "lang", json_string(r->lang));
	jset(root, "finder.disclose", json_string(f->disclose ? f->disclose : "none"));
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct field *x = &FIELDS[i];
		const char *v = f->v[i];
		if (x->type == F_CHECK) {
			jset(root, x->name, json_boolean(v && *v));
			continue;
		}
		if (!v || !*v)
			continue;
		/* the other kind's items are not part of this report */
		if ((!strcmp(x->group, "product") && strcmp(f->kind ? f->kind : "", "product")) ||
		    (!strcmp(x->group, "website") && strcmp(f->kind ? f->kind : "", "website")))
			continue;
		json_t *s = json_string(v);
		if (!s) { /* not UTF-8 */
			*bad = x->name;
			json_decref(root);
			return NULL;
		}
		jset(root, x->name, s);
	}
	size_t n = json_dumpb(root, NULL, 0, JSON_COMPACT);
	char *out = n ? kk_arena_alloc(&r->arena, n + 1) : NULL;
	if (out && json_dumpb(root, out, n, JSON_COMPACT) == n)
		out[n] = '\0';
	else
		out = NULL;
	json_decref(root);
	return out;
}

struct submit {
	const struct kk_actor *actor;
	const unsigned char *key;
	struct kk_report_input in;
	const char *base_url;
	struct kk_report_receipt rc;
	struct kk_diag d;
};

static int submit_tx(struct kk_db *db, void *arg)
{
	struct submit *s = arg;
	kk_diag_clear(&s->d);
	return kk_intake_submit(db, s->actor, s->key, &s->in, false, s->base_url, &s->rc, &s->d);
}

static int receipt(struct kk_req *r, const struct kk_report_receipt *rc, const char *base_url)
{
	struct kk_buf *b = &r->resp.body;
	kk_resp_header(r, "Cache-Control", "no-store");
	kk_page_open(r, _("Report received"));
	KK_HTML_EL(b, "<h1>", _("Report received"),
	           "</h1><div class=\"card\" id=\"receipt\"><dl class=\"props\"><dt>");
	kk_html_text(b, _("Tracking number"));
	KK_HTML_EL(b, "</dt><dd id=\"tracking\">", rc->tracking, "</dd></dl>");
	kk_page_notice(
	    r, "error",
	    _("Keep this link. It is shown only this once and is the only way to see your report's status "
	      "and answer questions without an account."));
	const char *path = kk_arena_printf(&r->arena, "/r/%s?key=%s", rc->tracking, rc->token);
	const char *link = kk_arena_printf(&r->arena, "%s%s", base_url && *base_url ? base_url : "", path);
	KK_HTML(b, "<p><a id=\"secret-link\"");
	KK_HTML_ATTR(b, "href", path);
	KK_HTML(b, "><code class=\"secret\">");
	kk_html_text(b, link);
	KK_HTML(b, "</code></a></p></div>");
	return kk_page_close(r, 201);
}

int page_report_post(struct kk_req *r)
{
	struct form f = {.kind = kk_req_form(r, "kind"), .disclose = kk_req_form(r, "finder.disclose")};
	for (size_t i = 0; i < NFIELDS; i++)
		f.v[i] = kk_req_form(r, FIELDS[i].name);
	if (!r->via_cookie) {
		const char *sent = kk_req_form(r, "csrf"), *cookie = kk_req_cookie(r, KK_LOGIN_CSRF_COOKIE);
		if (!sent || !cookie || strlen(sent) != strlen(cookie) || strlen(sent) < 32 ||
		    !kk_ct_eq(sent, cookie, strlen(sent))) {
			f.csrf = form_csrf(r, true);
			f.err_msg = _("The form expired. Check your entries and send it again.");
			return report_form(r, 400, &f);
		}
	}
	f.csrf = form_csrf(r, false);
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	const char *bad = NULL;
	char *json = form_json(r, &f, &bad);
	if (!json && bad) {
		f.err_field = bad;
		f.err_msg = _("this text is not valid UTF-8; type it again");
		return report_form(r, 422, &f);
	}
	if (!json)
		return kk_req_fail(r, KK_ENOMEM, NULL, NULL);
	struct submit s = {.actor = &r->actor, .base_url = getenv("KEIKAI_BASE_URL")};
	kk_diag_clear(&s.d);
	int rc = kk_intake_parse(json, strlen(json), &s.in, &s.d);
	if (!rc && !(rc = kk_intake_validate(db, &s.in, true, &s.d)))
		rc = kk_intake_check_pgp_key(&s.in, &s.d);
	if (rc) {
		kk_intake_input_release(&s.in);
		f.err_field = s.d.where[0] ? kk_arena_strdup(&r->arena, s.d.where) : NULL;
		f.err_msg = kk_arena_strdup(&r->arena, s.d.msg[0] ? s.d.msg : kk_err_msg(rc));
		return report_form(r, 422, &f);
	}
	unsigned char key[KK_KEY_BYTES];
	if ((rc = kk_page_report_key(r, key)) < 0) {
		kk_intake_input_release(&s.in);
		return rc;
	}
	s.key = key;
	rc = kk_db_tx(db, submit_tx, &s);
	sodium_memzero(key, sizeof(key));
	kk_intake_input_release(&s.in);
	if (rc == KK_EINVAL || rc == KK_ETOOBIG) {
		f.err_field = s.d.where[0] ? kk_arena_strdup(&r->arena, s.d.where) : NULL;
		f.err_msg = kk_arena_strdup(&r->arena, s.d.msg);
		return report_form(r, 422, &f);
	}
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	rc = receipt(r, &s.rc, s.base_url);
	sodium_memzero(&s.rc, sizeof(s.rc));
	return rc;
}

/* ---- the finder's status page ------------------------------------------ */

const char *kk_page_stop_reason(const char *name)
{
	if (!strcmp(name, "already_known"))
		return _("The vulnerability is already publicly known");
	if (!strcmp(name, "coordinator_says_known"))
		return _("The coordinating body found the vulnerability already known");
	if (!strcmp(name, "not_a_vulnerability"))
		return _("It is not a vulnerability");
	if (!strcmp(name, "coordinator_says_not"))
		return _("The coordinating body found it is not a vulnerability");
	if (!strcmp(name, "possibly_illegal"))
		return _("The information may have been obtained unlawfully");
	return name;
}

/* A status as the finder reads it. */
static const char *status_label(const char *s)
{
	if (!strcmp(s, "received"))
		return _("Received: waiting for review");
	if (!strcmp(s, "info_requested"))
		return _("We asked you a question: please answer below");
	if (!strcmp(s, "accepted"))
		return _("Accepted: being handled");
	if (!strcmp(s, "not_accepted"))
		return _("Not accepted");
	if (!strcmp(s, "handling_stopped"))
		return _("Handling stopped");
	if (!strcmp(s, "duplicate"))
		return _("Duplicate of another report");
	return s;
}

struct view {
	struct kk_req *r;
	int64_t id;
};

static int finder_row(void *arg, const struct kk_report_row *row)
{
	struct view *v = arg;
	struct kk_buf *b = &v->r->resp.body;
	v->id = row->id;
	KK_HTML_EL(b, "<div class=\"card\"><dl class=\"props\"><dt>", _("Tracking number"),
	           "</dt><dd id=\"tracking\">");
	kk_html_text(b, row->tracking);
	KK_HTML_EL(b, "</dd><dt>", _("Status"), "</dt><dd id=\"status\"");
	KK_HTML_ATTR(b, "data-status", row->status);
	KK_HTML(b, ">");
	kk_html_text(b, status_label(row->status));
	KK_HTML(b, "</dd>");
	if (*row->reason) {
		KK_HTML_EL(b, "<dt>", _("Reason"), "</dt><dd id=\"reason\">");
		KK_HTML_EL(b, "", row->reason, "</dd>");
	}
	if (*row->stop_reason) {
		KK_HTML_EL(b, "<dt>", _("Why handling stopped"), "</dt><dd id=\"stop-reason\"");
		KK_HTML_ATTR(b, "data-reason", row->stop_reason);
		KK_HTML_EL(b, ">", kk_page_stop_reason(row->stop_reason), "</dd>");
	}
	KK_HTML_EL(b, "<dt>", _("Received"), "</dt><dd>");
	kk_html_text(b, kk_page_time(v->r, row->created_at));
	KK_HTML_EL(b, "</dd><dt>", _("Last change"), "</dt><dd>");
	kk_html_text(b, kk_page_time(v->r, row->updated_at));
	KK_HTML(b, "</dd></dl></div>");
	return 0;
}

struct thread {
	struct kk_req *r;
	const char *finder_label, *desk_label;
	int n;
};

static int thread_msg(void *arg, const struct kk_report_msg *m)
{
	struct thread *t = arg;
	struct kk_buf *b = &t->r->resp.body;
	t->n++;
	KK_HTML(b, "<li");
	KK_HTML_ATTR(b, "class", m->from_finder ? "msg finder" : "msg receiver");
	KK_HTML(b, "><p class=\"muted\">");
	kk_html_text(b, kk_page_time(t->r, m->at));
	KK_HTML(b, " — ");
	kk_html_text(b, m->from_finder ? t->finder_label : t->desk_label);
	KK_HTML(b, " (");
	kk_html_text(b, m->kind);
	KK_HTML_EL(b, ")</p><pre class=\"body\">", m->body, "</pre></li>");
	return 0;
}

int kk_page_report_thread(struct kk_req *r, int64_t report_id, const char *finder_label,
                          const char *desk_label)
{
	struct kk_buf *b = &r->resp.body;
	struct thread t = {r, finder_label, desk_label, 0};
	KK_HTML(b, "<ol class=\"thread\" id=\"thread\">");
	int rc = kk_intake_thread(r->db, report_id, thread_msg, &t);
	if (rc < 0)
		return rc;
	if (!t.n)
		KK_HTML_EL(b, "<li class=\"muted\">", _("No messages yet."), "</li>");
	KK_HTML(b, "</ol>");
	return 0;
}

/* Renders the status page; the caller has the tracking number and token. */
static int status_page(struct kk_req *r, int status, const char *tracking, const char *token,
                       const char *notice, const char *kind)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	struct kk_buf *b = &r->resp.body;
	kk_resp_header(r, "Cache-Control", "no-store");
	kk_resp_header(r, "Referrer-Policy", "no-referrer");
	kk_page_open(r, _("Your report"));
	KK_HTML_EL(b, "<h1>", _("Your report"), "</h1>");
	if (notice)
		kk_page_notice(r, kind, notice);
	struct view v = {.r = r};
	int rc = token ? kk_intake_finder_get(db, tracking, token, finder_row, &v) : KK_ENOTFOUND;
	if (rc >= 0 && !v.id)
		rc = KK_ENOTFOUND;
	if (rc < 0) {
		kk_buf_reset(b);
		r->resp.nheaders = 0;
		return kk_req_fail(r, rc == KK_ENOTFOUND ? KK_ENOTFOUND : rc, NULL,
		                   rc == KK_ENOTFOUND ? "%s" : NULL,
		                   _("no report matches this link; check the whole link"));
	}
	KK_HTML_EL(b, "<h2>", _("Messages"), "</h2>");
	if ((rc = kk_page_report_thread(r, v.id, _("you"), _("the receiving desk"))) < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML_EL(b, "<h2>", _("Answer a question or add information"),
	           "</h2><div class=\"card\"><form class=\"stack\" method=\"post\" id=\"finder-form\"");
	KK_HTML_ATTR(b, "action", kk_arena_printf(&r->arena, "/r/%s", tracking));
	/* the key is the form's secret: a page on another site cannot know it */
	KK_HTML(b, "><input type=\"hidden\" name=\"key\"");
	KK_HTML_ATTR(b, "value", token);
	KK_HTML_EL(b, "><label for=\"body\">", _("Your message"),
	           "</label><textarea id=\"body\" name=\"body\" rows=\"6\" required></textarea>");
	kk_page_submit(r, _("Send"));
	return kk_page_close(r, status);
}

int page_report_status(struct kk_req *r)
{
	return status_page(r, 200, kk_req_param(r, "tracking"), kk_req_query(r, "key"), NULL, NULL);
}

struct finder_post {
	const char *tracking, *token, *body;
	struct kk_diag d;
};

static int finder_post_tx(struct kk_db *db, void *arg)
{
	struct finder_post *p = arg;
	kk_diag_clear(&p->d);
	return kk_intake_finder_post(db, p->tracking, p->token, p->body, &p->d);
}

int page_report_status_post(struct kk_req *r)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	struct finder_post p = {.tracking = kk_req_param(r, "tracking"),
	                        .token = kk_req_form(r, "key"),
	                        .body = kk_req_form(r, "body")};
	if (!p.token || kk_intake_link_check(db, p.tracking, p.token, &p.d) < 0)
		return kk_req_fail(r, KK_ENOTFOUND, NULL, "%s",
		                   _("no report matches this link; check the whole link"));
	if (!p.body || !*p.body)
		return status_page(r, 422, p.tracking, p.token, _("Your message: write something to send."),
		                   "error");
	int rc = kk_db_tx(db, finder_post_tx, &p);
	if (rc == KK_EINVAL || rc == KK_ETOOBIG || rc == KK_ECONFLICT)
		return status_page(r, 422, p.tracking, p.token,
		                   kk_arena_printf(&r->arena, "%s: %s", _("Your message"), p.d.msg), "error");
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	return status_page(r, 200, p.tracking, p.token, _("Your message was sent."), "ok");
}

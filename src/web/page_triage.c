/*
 * page_triage.c — the receiving desk's pages (REPORT_TRIAGE): the report queue with filters,
 * one report with its thread and duplicate suggestions, the audited reveal of the finder, and
 * the triage actions (accept, reject, request info, stop, duplicate, assign) through intake.h.
 */
#include "auth/keyfile.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "intake/intake.h"
#include "store/db.h"
#include "web/handlers.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/page_report.h"
#include "web/web.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* ---- the queue ------------------------------------------------------------ */

static int queue_row(void *arg, const struct kk_report_row *x)
{
	struct kk_req *r = arg;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<tr><td><a");
	KK_HTML_ATTR(b, "href", kk_arena_printf(&r->arena, "/triage/%s", x->tracking));
	KK_HTML_EL(b, ">", x->tracking, "</a></td><td>");
	kk_html_text(b, x->kind);
	KK_HTML_EL(b, "</td><td class=\"status\">", x->status, "</td><td>");
	kk_html_text(b, !strcmp(x->kind, "website") ? x->website_url : x->product_name);
	KK_HTML_EL(b, "</td><td>", kk_page_time(r, x->created_at), "</td><td>");
	kk_html_text(b, x->assignee_email);
	KK_HTML(b, "</td></tr>");
	return 0;
}

int page_triage(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_REPORT_TRIAGE, NULL) < 0)
		return KK_EPERM;
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	const char *status = kk_req_query(r, "status"), *kind = kk_req_query(r, "kind");
	const char *assignee = kk_req_query(r, "assignee"), *age = kk_req_query(r, "age");
	struct kk_report_filter f = {0};
	enum kk_report_status st;
	if (status && *status && kk_report_status_parse(status, &st) < 0)
		return kk_req_fail(r, KK_EINVAL, "status",
		                   "status: one of received, info_requested, accepted, "
		                   "not_accepted, handling_stopped, duplicate");
	if (kind && *kind && strcmp(kind, "product") && strcmp(kind, "website"))
		return kk_req_fail(r, KK_EINVAL, "kind", "kind: product or website");
	long days = 0;
	if (age && *age) {
		char *end;
		days = strtol(age, &end, 10);
		if (*end || days < 0 || days > 3650)
			return kk_req_fail(r, KK_EINVAL, "age", "age: a whole number of days from 0 to 3650");
	}
	f.status = status && *status ? status : NULL;
	f.kind = kind && *kind ? kind : NULL;
	f.assignee_email = assignee && *assignee ? assignee : NULL;
	f.received_before = days ? kk_clock_now() - (int64_t)days * 86400 : 0;

	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, _("Report queue"));
	KK_HTML_EL(b, "<h1>", _("Report queue"),
	           "</h1><form class=\"inline\" method=\"get\" action=\"/triage\">");
	KK_HTML_EL(b, "<label>", _("Kind"), "<select name=\"kind\">");
	kk_page_option(b, "", _("any"), kind);
	kk_page_option(b, "product", _("product"), kind);
	kk_page_option(b, "website", _("website"), kind);
	KK_HTML_EL(b, "</select></label><label>", _("Status"), "<select name=\"status\">");
	kk_page_option(b, "", _("any"), status);
#define X(n, s) kk_page_option(b, s, s, status);
	KK_REPORT_STATUSES(X)
#undef X
	KK_HTML_EL(b, "</select></label><label>", _("Older than (days)"),
	           "<input type=\"number\" name=\"age\" min=\"0\"");
	KK_HTML_ATTR(b, "value", age ? age : "");
	KK_HTML_EL(b, "></label><label>", _("Assignee e-mail"), "<input type=\"text\" name=\"assignee\"");
	KK_HTML_ATTR(b, "value", assignee ? assignee : "");
	KK_HTML_EL(b, "></label><button type=\"submit\">", _("Filter"), "</button></form>");
	KK_HTML_EL(b, "<div class=\"table-wrap\"><table id=\"queue\"><thead><tr><th>", _("Tracking number"),
	           "</th><th>");
	kk_html_text(b, _("Kind"));
	KK_HTML_EL(b, "</th><th>", _("Status"), "</th><th>");
	kk_html_text(b, _("Product or website"));
	KK_HTML_EL(b, "</th><th>", _("Received"), "</th><th>");
	kk_html_text(b, _("Assignee"));
	KK_HTML(b, "</th></tr></thead><tbody>");
	int rc = kk_intake_list(db, &r->actor, &f, queue_row, r);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	if (!rc)
		KK_HTML_EL(b, "<tr><td colspan=\"6\" class=\"muted\">", _("No reports match."), "</td></tr>");
	KK_HTML(b, "</tbody></table></div>");
	return kk_page_close(r, 200);
}

/* ---- one report ----------------------------------------------------------- */

struct one {
	struct kk_req *r;
	int64_t id;
	char status[32], kind[16];
};

static void prop(struct kk_buf *b, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	KK_HTML_EL(b, "<dt>", label, "</dt><dd>");
	kk_html_text(b, value);
	KK_HTML(b, "</dd>");
}

static void prop_block(struct kk_buf *b, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	KK_HTML_EL(b, "<dt>", label, "</dt><dd><pre class=\"body\">");
	kk_html_text(b, value);
	KK_HTML(b, "</pre></dd>");
}

static int report_props(void *arg, const struct kk_report_row *x)
{
	struct one *o = arg;
	struct kk_req *r = o->r;
	struct kk_buf *b = &r->resp.body;
	o->id = x->id;
	kk_strlcpy(o->status, x->status, sizeof(o->status));
	kk_strlcpy(o->kind, x->kind, sizeof(o->kind));
	KK_HTML(b, "<div class=\"card\"><dl class=\"props\" id=\"report\">");
	prop(b, _("Tracking number"), x->tracking);
	KK_HTML_EL(b, "<dt>", _("Status"), "</dt><dd id=\"status\"");
	KK_HTML_ATTR(b, "data-status", x->status);
	KK_HTML_EL(b, ">", x->status, "</dd>");
	prop(b, _("Kind"), x->kind);
	prop(b, _("Language"), x->lang);
	prop(b, _("Received"), kk_page_time(r, x->created_at));
	prop(b, _("Assignee"), x->assignee_email);
	prop(b, _("Product name"), x->product_name);
	prop(b, _("Product version"), x->product_version);
	prop(b, _("Vendor"), x->product_vendor);
	prop(b, _("Website name"), x->website_name);
	prop(b, _("Website URL"), x->website_url);
	if (x->cwe)
		prop(b, "CWE", kk_arena_printf(&r->arena, "CWE-%d", x->cwe));
	prop(b, "CVE", x->cve);
	prop_block(b, _("Description of the vulnerability"), x->description);
	prop_block(b, _("Steps to reproduce"), x->steps);
	prop_block(b, _("Impact"), x->impact);
	prop(b, _("Already reported to"), x->reported_to);
	prop(b, _("Finder consents to pass on"), x->disclose);
	prop(b, _("Finder intends to publish"), x->publish_intent ? _("yes") : _("no"));
	prop(b, _("Planned publication date"), kk_page_time(r, x->publish_date)); /* JST, like every date */
	prop(b, _("Reason"), x->reason);
	prop(b, _("Why handling stopped"), *x->stop_reason ? kk_page_stop_reason(r, x->stop_reason, x->kind) : "");
	prop(b, _("Duplicate of"), x->duplicate_of);
	KK_HTML(b, "</dl></div>");
	return 0;
}

/* Why a record is suggested (kk_suggestion.why), in the page's language. */
static const char *why_text(const char *why)
{
	static const char *const whys[] = {N_("same product"),	    N_("same product and vendor"),
					   N_("same website host"), N_("same website host and CWE"),
					   N_("same CVE"),	    N_("same CWE and product")};
	for (size_t i = 0; i < sizeof(whys) / sizeof(whys[0]); i++)
		if (!strcmp(whys[i], why))
			return _(whys[i]);
	return why;
}

static int suggestion(void *arg, const struct kk_suggestion *s)
{
	struct kk_req *r = arg;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<li><a");
	KK_HTML_ATTR(
	    b, "href",
	    kk_arena_printf(&r->arena, "%s/%s", strcmp(s->source, "report") ? "/vulns" : "/triage", s->id));
	KK_HTML_EL(b, ">", s->id, "</a> — ");
	kk_html_text(b, why_text(s->why));
	KK_HTML(b, "</li>");
	return 0;
}

/* Opens an action form posting to /triage/TRACKING/act with verb. */
static void act_open(struct kk_req *r, const char *tracking, const char *verb, const char *id)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<div class=\"card\"><form class=\"stack\" method=\"post\"");
	KK_HTML_ATTR(b, "action", kk_arena_printf(&r->arena, "/triage/%s/act", tracking));
	KK_HTML_ATTR(b, "id", id);
	KK_HTML(b, ">");
	kk_page_csrf_field(r);
	KK_HTML(b, "<input type=\"hidden\" name=\"verb\"");
	KK_HTML_ATTR(b, "value", verb);
	KK_HTML(b, ">");
}

/* What was typed into the form of `verb` when that form comes back with an error ("" otherwise). */
static const char *typed(struct kk_req *r, const char *verb, const char *field)
{
	const char *v = kk_req_form(r, "verb"), *t = v && !strcmp(v, verb) ? kk_req_form(r, field) : NULL;
	return t ? t : "";
}

/* The required text of the action form of `verb`, keeping what was typed. */
static void textarea(struct kk_req *r, const char *label, const char *verb)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML_EL(b, "<label>", label, "<textarea rows=\"3\" name=\"text\" required>");
	kk_html_text(b, typed(r, verb, "text"));
	KK_HTML(b, "</textarea></label>");
}

/* The report page; f (may be NULL) is the finder just revealed. */
static int report_page(struct kk_req *r, int status, const char *notice, const char *kind,
                       const struct kk_finder *f)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	const char *tracking = kk_req_param(r, "tracking");
	struct kk_buf *b = &r->resp.body;
	kk_resp_header(r, "Cache-Control", "no-store");
	kk_page_open(r, tracking);
	KK_HTML_EL(b, "<p><a href=\"/triage\">", _("Report queue"), "</a></p><h1>");
	kk_html_text(b, tracking);
	KK_HTML(b, "</h1>");
	if (notice)
		kk_page_notice(r, kind, notice);
	struct one o = {.r = r};
	int rc = kk_intake_get(db, &r->actor, tracking, report_props, &o);
	if (rc < 0) {
		kk_buf_reset(b);
		r->resp.nheaders = 0;
		return kk_req_fail(r, rc, NULL, NULL);
	}
	KK_HTML_EL(b, "<h2>", _("Finder"), "</h2><div class=\"card\" id=\"finder\">");
	if (f) {
		KK_HTML(b, "<dl class=\"props\">");
		prop(b, _("Name"), f->name);
		prop(b, _("Email"), f->email);
		prop(b, _("Name for the credit"), f->credit_name);
		prop(b, _("PGP key"), f->has_pgp_key ? _("yes") : _("no"));
		KK_HTML(b, "</dl>");
	} else if (kk_policy_allow(&r->actor, KK_ACT_FINDER_REVEAL, NULL)) {
		KK_HTML(b, "<p class=\"muted\">");
		kk_html_text(b,
		             _("The finder's identity is sealed. Revealing it is written to the audit log."));
		KK_HTML(b, "</p><form method=\"post\"");
		KK_HTML_ATTR(b, "action", kk_arena_printf(&r->arena, "/triage/%s/reveal", tracking));
		KK_HTML(b, " id=\"reveal-form\">");
		kk_page_csrf_field(r);
		KK_HTML_EL(b, "<button type=\"submit\">", _("Reveal the finder"), "</button></form>");
	}
	KK_HTML(b, "</div>");

	KK_HTML_EL(b, "<h2>", _("Possible duplicates"), "</h2><ul id=\"suggestions\">");
	if ((rc = kk_intake_suggest(db, &r->actor, tracking, suggestion, r)) < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	if (!rc)
		KK_HTML_EL(b, "<li class=\"muted\">", _("None found."), "</li>");
	KK_HTML_EL(b, "</ul><h2>", _("Messages"), "</h2>");
	if ((rc = kk_page_report_thread(r, o.id, _("finder"), _("receiver"))) < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML_EL(b, "<h2>", _("Files"), "</h2>");
	if ((rc = kk_page_report_files(r, o.id, false, kk_arena_printf(&r->arena, "/triage/%s/files/", tracking),
	                               "")) < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML_EL(b, "<h2>", _("Actions"), "</h2>");

	act_open(r, tracking, "accept", "act-accept");
	kk_page_submit(r, _("Accept"));
	act_open(r, tracking, "reject", "act-reject");
	textarea(r, _("Reason (sent to the finder)"), "reject");
	kk_page_submit(r, _("Do not accept"));
	act_open(r, tracking, "request_info", "act-request-info");
	textarea(r, _("Question to the finder"), "request_info");
	kk_page_submit(r, _("Request information"));
	act_open(r, tracking, "stop", "act-stop");
	KK_HTML_EL(b, "<label>", _("Reason to stop"), "<select name=\"stop\">");
#define X(n, s) kk_page_option(b, s, kk_page_stop_reason(r, s, o.kind), typed(r, "stop", "stop"));
	KK_STOP_REASONS(X)
#undef X
	KK_HTML_EL(b, "</select></label><label>", _("Note (optional)"), "<textarea rows=\"2\" name=\"text\">");
	kk_html_text(b, typed(r, "stop", "text"));
	KK_HTML(b, "</textarea></label>");
	kk_page_submit(r, _("Stop handling"));
	act_open(r, tracking, "duplicate", "act-duplicate");
	KK_HTML_EL(b, "<label>", _("Duplicate of (tracking number)"),
	           "<input type=\"text\" name=\"of\" required pattern=\"KK-[0-9]{4}-[0-9]+\"");
	KK_HTML_ATTR(b, "value", typed(r, "duplicate", "of"));
	KK_HTML(b, "></label>");
	kk_page_submit(r, _("Mark as duplicate"));
	act_open(r, tracking, "assign", "act-assign");
	KK_HTML_EL(b, "<label>", _("Assign to (e-mail of a receiver; empty to unassign)"),
	           "<input type=\"email\" name=\"assignee\"");
	KK_HTML_ATTR(b, "value", typed(r, "assign", "assignee"));
	KK_HTML(b, "></label>");
	kk_page_submit(r, _("Assign"));
	act_open(r, tracking, "message", "act-message");
	textarea(r, _("Message to the finder (the status stays as it is)"), "message");
	kk_page_submit(r, _("Send the message"));
	return kk_page_close(r, status);
}

int page_triage_file(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_REPORT_TRIAGE, NULL) < 0)
		return KK_EPERM;
	return kk_report_download(r, NULL);
}

int page_triage_report(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_REPORT_TRIAGE, NULL) < 0)
		return KK_EPERM;
	const char *done = kk_req_query(r, "done");
	return report_page(r, 200, done ? _("Done.") : NULL, "ok", NULL);
}

struct tx {
	const struct kk_actor *a;
	const unsigned char *key;
	const char *tracking;
	struct kk_finder *f;
	struct kk_diag d;
};

static int reveal_tx(struct kk_db *db, void *arg)
{
	struct tx *t = arg;
	kk_diag_clear(&t->d);
	return kk_intake_reveal(db, t->a, t->key, t->tracking, t->f, &t->d);
}

int page_triage_reveal(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_FINDER_REVEAL, NULL) < 0)
		return KK_EPERM;
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	unsigned char key[KK_KEY_BYTES];
	if (kk_page_report_key(r, key) < 0)
		return KK_EINTERNAL;
	struct kk_finder f;
	memset(&f, 0, sizeof(f));
	struct tx t = {.a = &r->actor, .key = key, .tracking = kk_req_param(r, "tracking"), .f = &f};
	int rc = kk_db_tx(db, reveal_tx, &t);
	sodium_memzero(key, sizeof(key));
	if (rc < 0)
		return kk_req_fail(r, rc, t.d.where[0] ? t.d.where : NULL, "%s",
		                   t.d.msg[0] ? t.d.msg : kk_err_msg(rc));
	rc = report_page(r, 200, _("The finder was revealed; this was written to the audit log."), "ok", &f);
	sodium_memzero(&f, sizeof(f));
	return rc;
}

int page_triage_act(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_REPORT_TRIAGE, NULL) < 0)
		return KK_EPERM;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_triage_op op = {.tracking = kk_req_param(r, "tracking"),
				  .verb = kk_req_form(r, "verb"),
				  .text = kk_req_form(r, "text"),
				  .stop = kk_req_form(r, "stop"),
				  .of = kk_req_form(r, "of"),
				  .assignee = kk_req_form(r, "assignee")};
	int rc = kk_web_triage(r, &op);
	if (rc == KK_EINTERNAL)
		return rc; /* the key: already answered */
	if (rc == KK_EINVAL && !strcmp(op.d.where, "verb"))
		return kk_req_fail(r, KK_EINVAL, "verb", "%s", op.d.msg);
	/* the page again with the message naming the field, and what was typed kept */
	if (rc == KK_ECONFLICT || rc == KK_EINVAL || rc == KK_EUNPROCESSABLE || rc == KK_ETOOBIG)
		return report_page(r, rc == KK_ECONFLICT ? 409 : rc == KK_ETOOBIG ? 413 : 422,
		                   kk_arena_strdup(&r->arena, op.d.msg[0] ? _(op.d.msg) : kk_err_msg(rc)), "error",
		                   NULL);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	kk_resp_redirect(r, kk_arena_printf(&r->arena, "/triage/%s?done=%s", op.tracking, op.verb));
	return 0;
}

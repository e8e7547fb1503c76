/*
 * page_case.c — coordination case pages: the case board (coordinators: by
 * state; vendors: my cases), the long-stalled board, one case (vendors: the
 * overview, the details once sent, their own state, statements, the date and
 * messages; coordinators: the per-vendor table paged and filtered, the date
 * and its requests, the timeline), the form actions, and the infrastructure
 * portal. What each actor sees is decided by coord/case.h.
 */
#include "auth/audit.h"
#include "base/clock.h"
#include "base/str.h"
#include "coord/case.h"
#include "store/db.h"
#include "web/api_case.h"
#include "web/handlers.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/page_report.h"
#include "web/web.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_ROWS 50

static const char *const case_states[] = {"open", "ready", "cancelled", "merged", "published", "stopped"};

static int query_int(struct kk_req *r, const char *name, int lo, int hi, int dflt)
{
	const char *s = kk_req_query(r, name);
	if (!s || !*s)
		return dflt;
	char *end;
	long v = strtol(s, &end, 10);
	return *end || v < lo || v > hi ? dflt : (int)v;
}

/* "2027-03-01 11:00 JST" with the UTC time as a title, so no date is ever shown without its zone. */
static void date_html(struct kk_req *r, int64_t t)
{
	struct kk_buf *b = &r->resp.body;
	char iso[32];
	kk_time_iso(t, iso, sizeof(iso));
	KK_HTML(b, "<time");
	KK_HTML_ATTR(b, "datetime", iso);
	KK_HTML_ATTR(b, "title", iso);
	KK_HTML(b, ">");
	kk_html_text(b, kk_page_time(r, t));
	KK_HTML(b, "</time>");
}

/* ---- the board -------------------------------------------------------------- */

static int board_row(void *arg, const struct kk_case_row *c)
{
	struct kk_req *r = arg;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<tr><td><a");
	KK_HTML_ATTR(b, "href", kk_arena_printf(&r->arena, "/cases/%s", c->ref));
	KK_HTML_EL(b, ">", c->ref, "</a></td><td>");
	kk_html_text(b, c->title);
	KK_HTML_EL(b, "</td><td class=\"status\">", c->state, "</td><td>");
	if (*c->pstate)
		kk_html_text(b, c->pstate);
	else
		kk_html_textf(b, "%d / %d%s", c->nready, c->nvendors,
			      c->nunreachable ? kk_arena_printf(&r->arena, " (%d %s)", c->nunreachable, _("unreachable"))
					      : "");
	KK_HTML(b, "</td><td>");
	date_html(r, c->publish_at);
	KK_HTML_EL(b, "</td><td>", kk_page_time(r, c->last_activity_at), "</td></tr>");
	return 0;
}

int page_cases(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_CASE_READ, NULL) < 0)
		return KK_EPERM;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	const char *state = kk_req_query(r, "state"), *q = kk_req_query(r, "q");
	int offset = query_int(r, "offset", 0, 1000000, 0);
	struct kk_case_filter f = {state && *state ? state : NULL, q && *q ? q : NULL, PAGE_ROWS, offset};
	bool staff = kk_policy_allow(&r->actor, KK_ACT_CASE_COORDINATE, NULL);
	struct kk_buf *b = &r->resp.body;
	const char *title = staff ? _("Case board") : _("My cases");
	kk_page_open(r, title);
	KK_HTML_EL(b, "<h1>", title, "</h1>");
	if (staff)
		KK_HTML_EL(b, "<p><a href=\"/cases/stalled\" id=\"stalled-link\">", _("Long-stalled cases"), "</a></p>");
	KK_HTML(b, "<form class=\"inline\" method=\"get\" action=\"/cases\">");
	KK_HTML_EL(b, "<label>", _("State"), "<select name=\"state\">");
	kk_page_option(b, "", _("any"), state);
	for (size_t i = 0; i < sizeof(case_states) / sizeof(case_states[0]); i++)
		kk_page_option(b, case_states[i], case_states[i], state);
	KK_HTML_EL(b, "</select></label><label>", _("Search"), "<input type=\"text\" name=\"q\"");
	KK_HTML_ATTR(b, "value", q ? q : "");
	KK_HTML_EL(b, "></label><button type=\"submit\">", _("Filter"), "</button></form>");
	KK_HTML_EL(b, "<div class=\"table-wrap\"><table id=\"cases\"><thead><tr><th>", _("Case"), "</th><th>");
	kk_html_text(b, _("Title"));
	KK_HTML_EL(b, "</th><th>", _("State"), "</th><th>");
	kk_html_text(b, staff ? _("Vendors ready") : _("Our state"));
	KK_HTML_EL(b, "</th><th>", _("Publication date"), "</th><th>");
	kk_html_text(b, _("Last activity"));
	KK_HTML(b, "</th></tr></thead><tbody>");
	int64_t total = 0;
	int rc = kk_case_list(r->db, &r->actor, &f, board_row, r, &total);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	if (!rc)
		KK_HTML_EL(b, "<tr><td colspan=\"6\" class=\"muted\">", _("No cases."), "</td></tr>");
	KK_HTML(b, "</tbody></table></div><p class=\"muted\">");
	kk_html_textf(b, "%d–%d / %lld", rc ? offset + 1 : 0, offset + rc, (long long)total);
	if (offset + rc < total) {
		KK_HTML(b, " <a");
		KK_HTML_ATTR(b, "href",
			     kk_arena_printf(&r->arena, "/cases?state=%s&offset=%d", state ? state : "", offset + PAGE_ROWS));
		KK_HTML_EL(b, ">", _("Next"), "</a>");
	}
	KK_HTML(b, "</p>");
	return kk_page_close(r, 200);
}

/* ---- the long-stalled board ---------------------------------------------------- */

static int stalled_row(void *arg, const struct kk_stalled *s)
{
	struct kk_req *r = arg;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<tr><td><a");
	KK_HTML_ATTR(b, "href", kk_arena_printf(&r->arena, "/cases/%s", s->ref));
	KK_HTML_EL(b, ">", s->ref, "</a></td><td>");
	kk_html_text(b, s->title);
	KK_HTML(b, "</td><td>");
	kk_html_int(b, s->age_days);
	KK_HTML_EL(b, "</td><td>", kk_page_time(r, s->last_activity_at), "</td><td>");
	kk_html_int(b, s->idle_days);
	KK_HTML_EL(b, "</td><td>", s->waiting_for, "</td></tr>");
	return 0;
}

int page_cases_stalled(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_CASE_COORDINATE, NULL) < 0)
		return KK_EPERM;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	int days = query_int(r, "days", 0, 36500, 30);
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, _("Long-stalled cases"));
	KK_HTML_EL(b, "<h1>", _("Long-stalled cases"), "</h1><form class=\"inline\" method=\"get\">");
	KK_HTML_EL(b, "<label>", _("No activity for (days)"), "<input type=\"number\" name=\"days\" min=\"0\"");
	KK_HTML_ATTR(b, "value", kk_arena_printf(&r->arena, "%d", days));
	KK_HTML_EL(b, "></label><button type=\"submit\">", _("Filter"), "</button></form>");
	KK_HTML_EL(b, "<div class=\"table-wrap\"><table id=\"stalled\"><thead><tr><th>", _("Case"), "</th><th>");
	kk_html_text(b, _("Title"));
	KK_HTML_EL(b, "</th><th>", _("Age (days)"), "</th><th>");
	kk_html_text(b, _("Last activity"));
	KK_HTML_EL(b, "</th><th>", _("Idle (days)"), "</th><th>");
	kk_html_text(b, _("Waiting for"));
	KK_HTML(b, "</th></tr></thead><tbody>");
	int rc = kk_case_stalled(r->db, &r->actor, days, kk_clock_now(), stalled_row, r);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	if (!rc)
		KK_HTML_EL(b, "<tr><td colspan=\"6\" class=\"muted\">", _("No case has stalled that long."), "</td></tr>");
	KK_HTML(b, "</tbody></table></div>");
	return kk_page_close(r, 200);
}

/* ---- one case -------------------------------------------------------------------- */

struct view {
	struct kk_req *r;
	struct kk_case_info *c;
};

/* A form posting `verb` to the case's page (sub NULL) or to one of its action pages ("prenotify"). */
static void form_open_to(struct kk_req *r, const struct kk_case_info *c, const char *sub, const char *verb,
			 const char *cls)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<form method=\"post\"");
	KK_HTML_ATTR(b, "class", cls);
	KK_HTML_ATTR(b, "action", sub ? kk_arena_printf(&r->arena, "/cases/%s/%s", c->ref, sub)
				      : kk_arena_printf(&r->arena, "/cases/%s", c->ref));
	KK_HTML(b, ">");
	kk_page_csrf_field(r);
	KK_HTML(b, "<input type=\"hidden\" name=\"verb\"");
	KK_HTML_ATTR(b, "value", verb);
	KK_HTML(b, ">");
}

static void form_open(struct kk_req *r, const struct kk_case_info *c, const char *verb, const char *cls)
{
	form_open_to(r, c, NULL, verb, cls);
}

static void button(struct kk_req *r, const struct kk_case_info *c, const char *verb, const char *label,
		   const char *vendor_id)
{
	struct kk_buf *b = &r->resp.body;
	form_open(r, c, verb, "inline");
	if (vendor_id) {
		KK_HTML(b, "<input type=\"hidden\" name=\"vendor_id\"");
		KK_HTML_ATTR(b, "value", vendor_id);
		KK_HTML(b, ">");
	}
	KK_HTML_EL(b, "<button type=\"submit\">", label, "</button></form>");
}

static int vendor_row(void *arg, const struct kk_participant *p)
{
	struct view *v = arg;
	struct kk_req *r = v->r;
	struct kk_buf *b = &r->resp.body;
	const char *id = kk_arena_printf(&r->arena, "%lld", (long long)p->org_id);
	KK_HTML(b, "<tr><td>");
	kk_html_text(b, p->org_name);
	KK_HTML_EL(b, "</td><td class=\"status\">", p->state, "</td><td>");
	kk_html_text(b, p->verification);
	KK_HTML(b, "</td><td>");
	if (p->unreachable_at)
		KK_HTML_EL(b, "<strong>", _("unreachable"), "</strong> ");
	if (p->attempts)
		kk_html_textf(b, "%s %d", _("reminders"), p->attempts);
	KK_HTML_EL(b, "</td><td>", kk_page_time(r, p->notified_at), "</td><td>");
	kk_html_text(b, kk_page_time(r, p->verified_at));
	KK_HTML(b, "</td><td>");
	kk_html_int(b, p->nstatements);
	KK_HTML(b, "</td><td>");
	if (!strcmp(p->state, "added"))
		button(r, v->c, "notify", _("Send the overview"), id);
	else if (!strcmp(p->state, "details_requested"))
		button(r, v->c, "send_details", _("Send the details"), id);
	if (v->c->coordinator && strcmp(p->state, "added"))
		button(r, v->c, p->shared ? "unshare" : "share",
		       p->shared ? _("Hide from the other vendors") : _("Show to the other vendors"), id);
	KK_HTML(b, "</td></tr>");
	return 0;
}

static int file_item(void *arg, const struct kk_case_file *f)
{
	struct view *v = arg;
	struct kk_buf *b = &v->r->resp.body;
	KK_HTML(b, "<li><a download");
	KK_HTML_ATTR(b, "href", kk_arena_printf(&v->r->arena, "/api/v1/cases/%s/files/%s", v->c->ref, f->sha256));
	KK_HTML_EL(b, ">", f->name, "</a> <span class=\"muted\">");
	kk_html_textf(b, "(%s, %lld B)", f->mime, (long long)f->size);
	KK_HTML(b, "</span></li>");
	return 0;
}

static int statement_row(void *arg, const struct kk_statement *s)
{
	struct view *v = arg;
	struct kk_buf *b = &v->r->resp.body;
	KK_HTML(b, "<tr><td>");
	kk_html_text(b, s->org_name);
	KK_HTML(b, "</td><td>#");
	kk_html_int(b, s->seq);
	KK_HTML_EL(b, "</td><td>", s->status, "</td><td lang=\"ja\">");
	kk_html_text(b, s->text_ja);
	KK_HTML_EL(b, "</td><td lang=\"en\">", s->text_en, "</td></tr>");
	return 0;
}

static int vuln_option(void *arg, const struct kk_case_vuln *x)
{
	struct view *v = arg;
	struct kk_buf *b = &v->r->resp.body;
	KK_HTML(b, "<option");
	KK_HTML_ATTR(b, "value", kk_arena_printf(&v->r->arena, "%d", x->seq));
	KK_HTML(b, ">#");
	kk_html_int(b, x->seq);
	KK_HTML(b, " ");
	kk_html_text(b, x->title);
	KK_HTML(b, "</option>");
	return 0;
}

static int date_row(void *arg, const struct kk_date_change *ch)
{
	struct view *v = arg;
	struct kk_req *r = v->r;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<tr><td>");
	date_html(r, ch->old_at);
	KK_HTML(b, "</td><td>");
	date_html(r, ch->new_at);
	KK_HTML_EL(b, "</td><td class=\"status\">", ch->state, "</td><td>");
	kk_html_text(b, ch->org_name);
	KK_HTML_EL(b, "</td><td>", ch->reason, "</td><td>");
	if (v->c->coordinator && !strcmp(ch->state, "requested")) {
		const char *id = kk_arena_printf(&r->arena, "%lld", (long long)ch->id);
		form_open(r, v->c, "accept_date", "inline");
		KK_HTML(b, "<input type=\"hidden\" name=\"request\"");
		KK_HTML_ATTR(b, "value", id);
		KK_HTML_EL(b, "><button type=\"submit\">", _("Accept"), "</button></form>");
		form_open(r, v->c, "decline_date", "inline");
		KK_HTML(b, "<input type=\"hidden\" name=\"request\"");
		KK_HTML_ATTR(b, "value", id);
		KK_HTML(b, "><input type=\"text\" name=\"note\" required");
		KK_HTML_ATTR(b, "placeholder", _("Why not"));
		KK_HTML_EL(b, "><button type=\"submit\">", _("Decline"), "</button></form>");
	}
	KK_HTML(b, "</td></tr>");
	return 0;
}

static int message_row(void *arg, const struct kk_case_message *m)
{
	struct view *v = arg;
	struct kk_buf *b = &v->r->resp.body;
	KK_HTML(b, "<li class=\"message\"><span class=\"meta\">");
	kk_html_text(b, kk_page_time(v->r, m->at));
	KK_HTML(b, " · ");
	kk_html_text(b, m->thread);
	if (*m->vendor) {
		KK_HTML(b, " (");
		kk_html_text(b, m->vendor);
		KK_HTML(b, ")");
	}
	if (m->finder && *m->finder) /* coordinators only: a message to or from the finder of that report */
		KK_HTML_EL(b, " · ", m->from_finder ? _("from the finder") : _("to the finder"), "");
	KK_HTML_EL(b, " · ", m->author, "</span><pre>");
	kk_html_text(b, m->body);
	KK_HTML(b, "</pre></li>");
	return 0;
}

static int report_option(void *arg, const char *tracking)
{
	kk_page_option(arg, tracking, tracking, NULL);
	return 0;
}

static int timeline_row(void *arg, const struct kk_audit_entry *e)
{
	struct view *v = arg;
	struct kk_buf *b = &v->r->resp.body;
	KK_HTML_EL(b, "<tr><td>", kk_page_time(v->r, e->at), "</td><td>");
	kk_html_text(b, e->action);
	KK_HTML_EL(b, "</td><td>", e->summary, "</td><td>");
	kk_html_text(b, e->actor_label);
	KK_HTML(b, "</td></tr>");
	return 0;
}

static void submit(struct kk_buf *b, const char *label)
{
	KK_HTML_EL(b, "<button type=\"submit\">", label, "</button></form>");
}

static void textarea(struct kk_buf *b, const char *label, const char *name, bool required)
{
	KK_HTML_EL(b, "<label>", label, "<textarea");
	KK_HTML_ATTR(b, "name", name);
	if (required)
		KK_HTML(b, " required");
	KK_HTML(b, " rows=\"3\"></textarea></label>");
}

/* The vendor's own panel: its state and the steps it may take next. */
static void vendor_panel(struct kk_req *r, struct kk_case_info *c)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML_EL(b, "<section id=\"my-state\"><h2>", _("Our participation"), "</h2><p>");
	kk_html_text(b, _("State"));
	KK_HTML_EL(b, ": <strong class=\"status\">", c->pstate, "</strong></p>");
	enum kk_pstate st = KK_PS_ADDED;
	kk_pstate_parse(c->pstate, &st);
	if (st == KK_PS_NOTIFIED)
		button(r, c, "acknowledge", _("Acknowledge receipt"), NULL);
	if (st == KK_PS_NOTIFIED || st == KK_PS_ACKNOWLEDGED) {
		form_open(r, c, "request_details", "card");
		KK_HTML_EL(b, "<label><input type=\"checkbox\" name=\"accept_terms\" value=\"1\" required> ",
			   _("We accept the confidentiality terms and ask for the details (脆弱性詳細情報)."), "</label>");
		submit(b, _("Ask for the details"));
		button(r, c, "no_affected_product", _("We have no affected product"), NULL);
	}
	if (st == KK_PS_DETAILS_SENT) {
		form_open(r, c, "verify", "card");
		KK_HTML_EL(b, "<label>", _("Verification result"), "<select name=\"verification\">");
		kk_page_option(b, "affected", _("affected"), NULL);
		kk_page_option(b, "not_affected", _("not affected"), NULL);
		kk_page_option(b, "already_known", _("already known to us"), NULL);
		KK_HTML(b, "</select></label>");
		submit(b, _("Report the verification"));
	}
	if (st == KK_PS_VERIFIED || st == KK_PS_FIX_REPORTED) {
		form_open(r, c, "report_fix", "card");
		textarea(b, _("Fix and workaround"), "text", true);
		submit(b, _("Report the fix"));
	}
	if (st == KK_PS_VERIFIED || st == KK_PS_FIX_REPORTED)
		button(r, c, "ready", _("Ready for publication"), NULL);
	if (st != KK_PS_ADDED) {
		/* V.4 (3): another vendor that may be affected, for the coordinators only */
		form_open(r, c, "name_vendor", "card");
		KK_HTML_EL(b, "<h3>", _("Another vendor may be affected"), "</h3>");
		KK_HTML_EL(b, "<label>", _("Vendor"), "<input type=\"text\" name=\"name\" required></label>");
		KK_HTML_EL(b, "<label>", _("Product"), "<input type=\"text\" name=\"product\"></label>");
		KK_HTML_EL(b, "<label>", _("Contact (if known)"), "<input type=\"text\" name=\"contact\"></label>");
		textarea(b, _("Why it may be affected"), "reason", false);
		submit(b, _("Tell the coordinator"));
	}
	KK_HTML(b, "</section>");
}

/* A vendor's suggestion (V.4 (3)) on the coordinator's page: add the vendor, or set it aside. */
static int named_item(void *arg, const struct kk_case_suggestion *x)
{
	struct view *v = arg;
	struct kk_buf *b = &v->r->resp.body;
	if (strcmp(x->source, "vendor"))
		return 0;
	KK_HTML_EL(b, "<li><strong>", x->name, "</strong> — ");
	kk_html_text(b, x->why);
	if (x->in_case)
		KK_HTML_EL(b, " (", _("in the case"), ")");
	if (x->org_id && !x->in_case) {
		char id[24];
		snprintf(id, sizeof(id), "%lld", (long long)x->org_id);
		button(v->r, v->c, "add_vendor", _("Add vendor"), id);
	}
	char sid[24];
	snprintf(sid, sizeof(sid), "%lld", (long long)x->id);
	form_open(v->r, v->c, "dismiss_named", "inline");
	KK_HTML(b, "<input type=\"hidden\" name=\"suggestion\"");
	KK_HTML_ATTR(b, "value", sid);
	KK_HTML_EL(b, "><button type=\"submit\">", _("Set aside"), "</button></form></li>");
	return 0;
}

static int shared_item(void *arg, const struct kk_participant *p)
{
	struct view *v = arg;
	struct kk_buf *b = &v->r->resp.body;
	KK_HTML_EL(b, "<li>", p->org_name, ": <span class=\"status\">");
	kk_html_text(b, p->state);
	if (*p->verification) {
		KK_HTML(b, " (");
		kk_html_text(b, p->verification);
		KK_HTML(b, ")");
	}
	KK_HTML(b, "</span></li>");
	return 0;
}

int page_case(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_CASE_READ, NULL) < 0)
		return KK_EPERM;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_case_info c;
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_case_get(r->db, &r->actor, kk_req_param(r, "ref"), &c, &d);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, "%s", d.msg);
	struct view v = {r, &c};
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, c.ref);
	const char *done = kk_req_query(r, "done");
	if (done && *done)
		kk_page_notice(r, "ok", _("Done."));
	KK_HTML_EL(b, "<h1>", c.ref, " ");
	kk_html_text(b, c.title);
	KK_HTML_EL(b, "</h1><dl class=\"props\"><dt>", _("State"), "</dt><dd class=\"status\">");
	kk_html_text(b, c.state);
	if (c.cancel_reason[0]) {
		KK_HTML(b, " (");
		kk_html_text(b, c.cancel_reason);
		KK_HTML(b, ")");
	}
	KK_HTML_EL(b, "</dd><dt>", _("Publication date"), "</dt><dd id=\"publish-at\">");
	date_html(r, c.publish_at);
	KK_HTML_EL(b, "</dd><dt>", _("Coordination started"), "</dt><dd>");
	date_html(r, c.started_at);
	KK_HTML(b, "</dd>");
	if (!c.participant_id) {
		KK_HTML_EL(b, "<dt>", _("Vendors"), "</dt><dd>");
		kk_html_textf(b, "%d (%s %d, %s %d)", c.nvendors, _("ready"), c.nready, _("unreachable"), c.nunreachable);
		KK_HTML(b, "</dd>");
	}
	KK_HTML_EL(b, "</dl><section id=\"overview\"><h2>", _("Overview (脆弱性概要情報)"), "</h2><pre>");
	kk_html_text(b, c.overview);
	KK_HTML_EL(b, "</pre></section><section id=\"details\"><h2>", _("Details (脆弱性詳細情報)"), "</h2>");
	if (c.details) {
		KK_HTML_EL(b, "<pre>", c.details, "</pre><ul class=\"files\" id=\"attachments\">");
		if ((rc = kk_case_files(r->db, &c, file_item, &v)) < 0)
			goto fail;
		KK_HTML(b, "</ul>");
	} else
		KK_HTML_EL(b, "<p class=\"muted\">", _("The details are sent after you ask for them."), "</p>");
	KK_HTML(b, "</section>");

	bool active = !strcmp(c.state, "open") || !strcmp(c.state, "ready");
	if (c.participant_id && active)
		vendor_panel(r, &c);
	if (c.participant_id) {
		KK_HTML_EL(b, "<section id=\"shared-vendors\"><h2>", _("Other vendors (shared by the coordinator)"),
			   "</h2><ul>");
		if ((rc = kk_case_shared_vendors(r->db, &r->actor, &c, shared_item, &v)) < 0)
			goto fail;
		if (!rc)
			KK_HTML_EL(b, "<li class=\"muted\">", _("None shared."), "</li>");
		KK_HTML(b, "</ul></section>");
	}

	/* the per-vendor table: one page, filtered in SQL */
	const char *fstate = kk_req_query(r, "vstate"), *fq = kk_req_query(r, "vq");
	int offset = query_int(r, "voffset", 0, 1000000, 0);
	struct kk_participant_filter f = {fstate && *fstate ? fstate : NULL, fq && *fq ? fq : NULL, PAGE_ROWS, offset};
	if (!c.participant_id) {
		KK_HTML_EL(b, "<section id=\"vendors\"><h2>", _("Vendors"), "</h2>");
		KK_HTML(b, "<form class=\"inline\" method=\"get\">");
		KK_HTML_EL(b, "<label>", _("State"), "<select name=\"vstate\">");
		kk_page_option(b, "", _("any"), fstate);
		for (int s = 0; s < KK_PS__COUNT; s++)
			kk_page_option(b, kk_pstate_name((enum kk_pstate)s), kk_pstate_name((enum kk_pstate)s), fstate);
		kk_page_option(b, "unreachable", _("unreachable"), fstate);
		KK_HTML_EL(b, "</select></label><label>", _("Name"), "<input type=\"text\" name=\"vq\"");
		KK_HTML_ATTR(b, "value", fq ? fq : "");
		KK_HTML_EL(b, "></label><button type=\"submit\">", _("Filter"), "</button></form>");
	} else
		KK_HTML_EL(b, "<section id=\"vendors\"><h2>", _("Our participation in detail"), "</h2>");
	KK_HTML_EL(b, "<div class=\"table-wrap\"><table id=\"vendor-table\"><thead><tr><th>", _("Vendor"), "</th><th>");
	kk_html_text(b, _("State"));
	KK_HTML_EL(b, "</th><th>", _("Verification"), "</th><th>");
	kk_html_text(b, _("Contact"));
	KK_HTML_EL(b, "</th><th>", _("Notified"), "</th><th>");
	kk_html_text(b, _("Verified"));
	KK_HTML_EL(b, "</th><th>", _("Statements"), "</th><th></th></tr></thead><tbody>");
	int64_t total = 0;
	rc = kk_case_participants(r->db, &r->actor, &c, &f, vendor_row, &v, &total);
	if (rc < 0)
		goto fail;
	KK_HTML(b, "</tbody></table></div><p class=\"muted\">");
	kk_html_textf(b, "%d–%d / %lld", rc ? offset + 1 : 0, offset + rc, (long long)total);
	if (offset + rc < total) {
		KK_HTML(b, " <a");
		KK_HTML_ATTR(b, "href",
			     kk_arena_printf(&r->arena, "/cases/%s?vstate=%s&voffset=%d", c.ref, fstate ? fstate : "",
					     offset + PAGE_ROWS));
		KK_HTML_EL(b, ">", _("Next"), "</a>");
	}
	KK_HTML(b, "</p>");
	if (c.coordinator && active && kk_policy_allow(&r->actor, KK_ACT_CASE_COORDINATE, NULL)) {
		KK_HTML_EL(b, "<h3>", _("Vendors named by the case's vendors"), "</h3><ul id=\"named-vendors\">");
		struct kk_diag sd;
		kk_diag_clear(&sd);
		if ((rc = kk_case_suggest(r->db, &r->actor, &c, named_item, &v, &sd)) < 0)
			goto fail;
		KK_HTML(b, "</ul>");
	}
	if (c.coordinator && active) {
		form_open(r, &c, "add_vendor", "inline");
		KK_HTML_EL(b, "<label>", _("Vendor organization (name)"), "<input type=\"text\" name=\"vendor\" required>");
		KK_HTML_EL(b, "</label><button type=\"submit\">", _("Add vendor"), "</button></form>");
	}
	KK_HTML(b, "</section>");

	/* statements */
	KK_HTML_EL(b, "<section id=\"statements\"><h2>", _("Statements"), "</h2>");
	KK_HTML_EL(b, "<table><thead><tr><th>", _("Vendor"), "</th><th>");
	kk_html_text(b, _("Vulnerability"));
	KK_HTML_EL(b, "</th><th>", _("Status"), "</th><th>日本語</th><th>English</th></tr></thead><tbody>");
	if ((rc = kk_case_statements(r->db, &r->actor, &c, 0, statement_row, &v)) < 0)
		goto fail;
	KK_HTML(b, "</tbody></table>");
	if (c.participant_id && active && strcmp(c.pstate, "added")) {
		form_open(r, &c, "statement", "card");
		KK_HTML_EL(b, "<label>", _("Vulnerability"), "<select name=\"vuln\">");
		if ((rc = kk_case_vulns(r->db, &c, vuln_option, &v)) < 0)
			goto fail;
		KK_HTML_EL(b, "</select></label><label>", _("Status"), "<select name=\"status\">");
		kk_page_option(b, "affected", _("affected"), NULL);
		kk_page_option(b, "not_affected", _("not affected"), NULL);
		kk_page_option(b, "fixed", _("fixed"), NULL);
		kk_page_option(b, "investigating", _("investigating"), NULL);
		KK_HTML(b, "</select></label>");
		textarea(b, _("Statement in Japanese"), "text_ja", false);
		textarea(b, _("Statement in English"), "text_en", false);
		submit(b, _("Post the statement"));
	}
	KK_HTML(b, "</section>");

	/* the date and its history */
	KK_HTML_EL(b, "<section id=\"date\"><h2>", _("Publication date"), "</h2><p>");
	date_html(r, c.publish_at);
	KK_HTML_EL(b, "</p><table><thead><tr><th>", _("Date before"), "</th><th>");
	kk_html_text(b, _("Date after"));
	KK_HTML_EL(b, "</th><th>", _("State"), "</th><th>");
	kk_html_text(b, _("Asked by"));
	KK_HTML_EL(b, "</th><th>", _("Reason"), "</th><th></th></tr></thead><tbody>");
	if ((rc = kk_case_dates(r->db, &r->actor, &c, date_row, &v)) < 0)
		goto fail;
	KK_HTML(b, "</tbody></table>");
	if (active && (c.coordinator || (c.participant_id && strcmp(c.pstate, "added")))) {
		form_open(r, &c, c.coordinator ? "set_date" : "request_date", "card");
		KK_HTML_EL(b, "<label>", _("New date and time (JST)"),
			   "<input type=\"datetime-local\" name=\"publish_at\" required></label>");
		textarea(b, _("Reason"), "reason", true);
		submit(b, c.coordinator ? _("Move the date") : _("Ask to move the date"));
	}
	KK_HTML(b, "</section>");

	/* messages */
	KK_HTML_EL(b, "<section id=\"messages\"><h2>", _("Messages"), "</h2><ul class=\"thread\">");
	if ((rc = kk_case_messages(r->db, &r->actor, &c, NULL, 0, message_row, &v)) < 0)
		goto fail;
	KK_HTML(b, "</ul>");
	if (active && (c.coordinator || (c.participant_id && strcmp(c.pstate, "added")))) {
		form_open(r, &c, "message", "card");
		if (c.coordinator) {
			KK_HTML_EL(b, "<label>", _("To"), "<select name=\"thread\">");
			kk_page_option(b, "vendor", _("one vendor"), NULL);
			kk_page_option(b, "all", _("all vendors"), NULL);
			kk_page_option(b, "coordinators", _("coordinators only"), NULL);
			KK_HTML_EL(b, "</select></label><label>", _("Vendor (name, for one vendor)"),
				   "<input type=\"text\" name=\"vendor\"></label>");
		}
		textarea(b, _("Message"), "body", true);
		submit(b, _("Send"));
	}
	KK_HTML(b, "</section>");

	if (c.coordinator && strcmp(c.state, "merged")) {
		/* the finder talks with the coordinator through intake; vendors never see this */
		KK_HTML_EL(b, "<section id=\"finder\"><h2>", _("The finder"), "</h2><p>");
		KK_HTML_EL(b, "", _("Through the report's status page and sealed mail: the finder stays unnamed, and the "
				    "answers come back to the coordinators-only thread above."),
			   "</p>");
		form_open(r, &c, "finder_message", "card");
		KK_HTML_EL(b, "<label>", _("Report"), "<select name=\"report\">");
		kk_page_option(b, "", _("every report of the case"), NULL);
		if ((rc = kk_case_reports(r->db, &r->actor, &c, report_option, b)) < 0)
			goto fail;
		KK_HTML(b, "</select></label>");
		textarea(b, _("Message to the finder"), "body", true);
		submit(b, _("Send to the finder"));
		KK_HTML(b, "</section>");
	}
	if (active && kk_policy_allow(&r->actor, KK_ACT_CASE_PRENOTIFY, NULL)) {
		/* V.2 (6): receivers and coordinators, once a fix exists; the finder is told first */
		KK_HTML_EL(b, "<section id=\"prenotify\"><h2>", _("Critical-infrastructure pre-notification"), "</h2><p>");
		KK_HTML_EL(b, "", _("Only once a vendor reported a fix or workaround: record the consultation with the "
				    "vendor, tell the finder (a message on the report's status page), then share the draft "
				    "and fix."),
			   "</p><p>");
		KK_HTML_EL(b, "", _("Vendor consulted"), ": ");
		if (c.vendor_consulted_at)
			date_html(r, c.vendor_consulted_at);
		else
			kk_html_text(b, _("not yet"));
		KK_HTML_EL(b, "<br>", _("Finder told"), ": ");
		if (c.finder_told_at)
			date_html(r, c.finder_told_at);
		else
			kk_html_text(b, _("not yet"));
		KK_HTML(b, "</p>");
		form_open_to(r, &c, "prenotify", "consulted", "card");
		textarea(b, _("Note"), "note", true);
		submit(b, _("Record the consultation"));
		form_open_to(r, &c, "prenotify", "finder_told", "card");
		textarea(b, _("Note (internal)"), "note", true);
		textarea(b, _("Added to the message to the finder"), "message", false);
		submit(b, _("Tell the finder"));
		form_open_to(r, &c, "prenotify", "share", "card");
		KK_HTML_EL(b, "<label>", _("Infrastructure organization"),
			   "<input type=\"text\" name=\"org\" required></label>");
		textarea(b, _("Advisory draft"), "draft", true);
		textarea(b, _("Fix or workaround"), "fix", true);
		submit(b, _("Share before publication"));
		KK_HTML(b, "</section>");
	}
	if (c.coordinator) {
		if (active) {
			KK_HTML_EL(b, "<section id=\"cancel\"><h2>", _("Cancel publication"), "</h2>");
			form_open(r, &c, "cancel", "card");
			KK_HTML_EL(b, "<label>", _("Reason"), "<select name=\"reason\">");
			kk_page_option(b, "all_not_affected", _("every vendor: not affected"), NULL);
			kk_page_option(b, "all_already_known", _("every vendor: already known"), NULL);
			KK_HTML(b, "</select></label>");
			textarea(b, _("Note"), "note", false);
			submit(b, _("Cancel publication"));
			KK_HTML(b, "</section>");
			/* 5.1.3 (2): the one exception to the agreed date */
			KK_HTML_EL(b, "<section id=\"exception\"><h2>", _("Publish earlier than agreed"), "</h2><p>");
			KK_HTML_EL(b, "", _("Only when the vulnerability is already public or exploited. The finder is told "
					    "first, then every vendor; the case's advisories move to the new date."),
				   "</p>");
			form_open(r, &c, "date_exception", "card");
			KK_HTML_EL(b, "<label>", _("Ground"), "<select name=\"ground\">");
			kk_page_option(b, "already_public", _("already public"), NULL);
			kk_page_option(b, "exploited", _("exploited"), NULL);
			KK_HTML(b, "</select></label>");
			KK_HTML_EL(b, "<label>", _("New date (empty: now)"),
				   "<input type=\"text\" name=\"publish_at\" placeholder=\"2026-03-01\"></label>");
			textarea(b, _("Reason"), "reason", true);
			submit(b, _("Record the exception"));
			KK_HTML(b, "</section>");
		}
		KK_HTML_EL(b, "<section id=\"timeline\"><h2>", _("Timeline"), "</h2><table><tbody>");
		struct kk_audit_query q = {.object_type = "case", .object_id = c.ref, .oldest_first = true, .limit = 500};
		if ((rc = kk_audit_list(r->db, &q, timeline_row, &v)) < 0)
			goto fail;
		KK_HTML(b, "</tbody></table></section>");
	}
	kk_case_info_release(&c);
	return kk_page_close(r, 200);
fail:
	kk_case_info_release(&c);
	kk_buf_reset(b);
	return kk_req_fail(r, rc, NULL, NULL);
}

/* ---- form actions ------------------------------------------------------------------ */

/* The organization id a form names (vendor_id, or the vendor's name). */
static int64_t form_vendor(struct kk_req *r)
{
	const char *id = kk_req_form(r, "vendor_id"), *name = kk_req_form(r, "vendor");
	if (id && *id)
		return strtoll(id, NULL, 10);
	struct kk_org o;
	if (name && *name && !kk_org_find(r->db, name, &o))
		return o.id;
	return r->actor.org_id;
}

/* A datetime-local value ("2027-03-15T11:00") or a date is Japan time; a value with a zone is taken as given. */
static int form_time(const char *s, int64_t *t)
{
	if (!s || !*s)
		return KK_EINVAL;
	return kk_time_parse_jst(s, kk_coord_config()->publish_hour, t);
}

int page_case_post(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_CASE_RESPOND, NULL) < 0)
		return KK_EPERM;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	const char *verb = kk_req_form(r, "verb");
	struct kk_case_op o = {.ref = kk_req_param(r, "ref")};
	kk_diag_clear(&o.d);
	enum kk_pverb pv;
	unsigned char key[KK_KEY_BYTES];
	bool have_key = false;
	if (!verb)
		verb = "";
	if (!kk_pverb_parse(verb, &pv)) {
		o.kind = KK_CASE_OP_STEP;
		o.step.verb = pv;
		o.step.accept_terms = kk_req_form(r, "accept_terms") != NULL;
		o.step.text = kk_req_form(r, "text");
		const char *ver = kk_req_form(r, "verification");
		if (ver && kk_verification_parse(ver, &o.step.verification))
			return kk_req_fail(r, KK_EINVAL, "verification", "verification: affected, not_affected or already_known");
		o.org_id = form_vendor(r);
	} else if (!strcmp(verb, "statement")) {
		o.kind = KK_CASE_OP_STATEMENT;
		const char *seq = kk_req_form(r, "vuln");
		o.seq = seq ? atoi(seq) : 1;
		o.status = kk_req_form(r, "status");
		o.ja = kk_req_form(r, "text_ja");
		o.en = kk_req_form(r, "text_en");
		o.org_id = form_vendor(r);
	} else if (!strcmp(verb, "set_date") || !strcmp(verb, "request_date")) {
		o.kind = !strcmp(verb, "set_date") ? KK_CASE_OP_SET_DATE : KK_CASE_OP_REQUEST_DATE;
		if (form_time(kk_req_form(r, "publish_at"), &o.when))
			return kk_req_fail(r, KK_EINVAL, "publish_at", "publish_at: a date and time such as 2027-03-15T11:00");
		o.reason = kk_req_form(r, "reason");
		o.org_id = form_vendor(r);
	} else if (!strcmp(verb, "accept_date") || !strcmp(verb, "decline_date")) {
		o.kind = KK_CASE_OP_DECIDE_DATE;
		o.accept = !strcmp(verb, "accept_date");
		const char *id = kk_req_form(r, "request");
		o.id = id ? strtoll(id, NULL, 10) : 0;
		o.text = kk_req_form(r, "note");
	} else if (!strcmp(verb, "share") || !strcmp(verb, "unshare")) {
		o.kind = KK_CASE_OP_SHARE_VENDOR;
		o.accept = !strcmp(verb, "share");
		o.org_id = form_vendor(r);
	} else if (!strcmp(verb, "add_vendor")) {
		o.kind = KK_CASE_OP_ADD_VENDOR;
		o.org_id = form_vendor(r);
	} else if (!strcmp(verb, "name_vendor")) {
		o.kind = KK_CASE_OP_NAME_VENDOR;
		o.named = (struct kk_named_vendor_in){kk_req_form(r, "name"), kk_req_form(r, "product"),
						      kk_req_form(r, "contact"), kk_req_form(r, "reason")};
		o.org_id = form_vendor(r);
	} else if (!strcmp(verb, "dismiss_named")) {
		o.kind = KK_CASE_OP_DISMISS_NAMED;
		const char *id = kk_req_form(r, "suggestion");
		o.id = id ? strtoll(id, NULL, 10) : 0;
	} else if (!strcmp(verb, "message")) {
		o.kind = KK_CASE_OP_POST;
		o.thread = kk_req_form(r, "thread");
		if (!o.thread || !*o.thread)
			o.thread = "vendor";
		o.text = kk_req_form(r, "body");
		o.org_id = form_vendor(r);
	} else if (!strcmp(verb, "date_exception")) {
		o.kind = KK_CASE_OP_DATE_EXCEPTION;
		o.ground = kk_req_form(r, "ground");
		o.reason = kk_req_form(r, "reason");
		const char *at = kk_req_form(r, "publish_at");
		if (at && *at && kk_time_parse_jst(at, kk_coord_config()->publish_hour, &o.when))
			return kk_req_fail(r, KK_EUNPROCESSABLE, "publish_at", "%s",
					   _("publish_at: a date such as 2026-03-01 (Japan), or empty for now"));
		if (kk_page_report_key(r, key) < 0)
			return KK_EINTERNAL;
		have_key = true;
		o.key = key;
	} else if (!strcmp(verb, "cancel") || !strcmp(verb, "finder_message")) {
		bool cancel = !strcmp(verb, "cancel");
		o.kind = cancel ? KK_CASE_OP_CANCEL : KK_CASE_OP_POST_FINDER;
		o.reason = kk_req_form(r, "reason");
		o.text = kk_req_form(r, cancel ? "note" : "body");
		o.from = kk_req_form(r, "report");
		if (kk_page_report_key(r, key) < 0)
			return KK_EINTERNAL;
		have_key = true;
		o.key = key;
	} else {
		return kk_req_fail(r, KK_EINVAL, "verb", "verb: a step, statement, set_date, request_date, accept_date, "
							 "decline_date, add_vendor, name_vendor, dismiss_named, message, finder_message, "
							 "date_exception or cancel");
	}
	int rc = kk_web_case_op(r, &o);
	if (have_key)
		sodium_memzero(key, sizeof(key));
	if (rc < 0)
		return kk_req_fail(r, rc == KK_EINVAL ? KK_EUNPROCESSABLE : rc, o.d.where[0] ? o.d.where : NULL, "%s",
				   o.d.msg[0] ? o.d.msg : kk_err_msg(rc));
	kk_resp_redirect(r, kk_arena_printf(&r->arena, "/cases/%s?done=%s", o.ref, verb));
	return 0;
}

/* The pre-notification forms (CASE_PRENOTIFY: receivers and coordinators), through the API's operations. */
int page_case_prenotify(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_CASE_PRENOTIFY, NULL) < 0)
		return KK_EPERM;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	const char *verb = kk_req_form(r, "verb");
	struct kk_case_op o = {.ref = kk_req_param(r, "ref")};
	kk_diag_clear(&o.d);
	unsigned char key[KK_KEY_BYTES];
	bool have_key = false;
	if (!verb)
		verb = "";
	o.text = kk_req_form(r, "note");
	if (!strcmp(verb, "consulted")) {
		o.kind = KK_CASE_OP_CONSULTED;
	} else if (!strcmp(verb, "finder_told")) {
		o.kind = KK_CASE_OP_FINDER_TOLD;
		o.reason = kk_req_form(r, "message");
		if (kk_page_report_key(r, key) < 0)
			return KK_EINTERNAL;
		have_key = true;
		o.key = key;
	} else if (!strcmp(verb, "share")) {
		o.kind = KK_CASE_OP_SHARE;
		struct kk_org org;
		const char *name = kk_req_form(r, "org");
		if (!name || !*name || kk_org_find(r->db, name, &org))
			return kk_req_fail(r, KK_EUNPROCESSABLE, "org", "%s",
					   _("org: the name of a registered infrastructure organization"));
		o.org_id = org.id;
		o.text = kk_req_form(r, "draft");
		o.reason = kk_req_form(r, "fix");
	} else {
		return kk_req_fail(r, KK_EINVAL, "verb", "%s", _("verb: consulted, finder_told or share"));
	}
	int rc = kk_web_case_op(r, &o);
	if (have_key)
		sodium_memzero(key, sizeof(key));
	if (rc < 0)
		return kk_req_fail(r, rc == KK_EINVAL ? KK_EUNPROCESSABLE : rc, o.d.where[0] ? o.d.where : NULL, "%s",
				   o.d.msg[0] ? o.d.msg : kk_err_msg(rc));
	kk_resp_redirect(r, kk_arena_printf(&r->arena, "/cases/%s?done=%s#prenotify", o.ref, verb));
	return 0;
}

/* ---- the infrastructure portal --------------------------------------------------------- */

struct portal {
	struct kk_req *r;
	int n;
};

static int share_row(void *arg, const struct kk_infra_share *s)
{
	struct portal *p = arg;
	struct kk_req *r = p->r;
	struct kk_buf *b = &r->resp.body;
	p->n++;
	KK_HTML_EL(b, "<article class=\"card share\"><h2>", s->case_ref, " ");
	kk_html_text(b, s->case_title);
	KK_HTML_EL(b, "</h2><p>", _("Publication date"), ": ");
	date_html(r, s->publish_at);
	KK_HTML_EL(b, " · ", _("Shared"), ": ");
	kk_html_text(b, kk_page_time(r, s->shared_at));
	KK_HTML_EL(b, "</p><h3>", _("Advisory draft"), "</h3><pre>");
	kk_html_text(b, s->draft);
	KK_HTML_EL(b, "</pre><h3>", _("Fix"), "</h3><pre>");
	kk_html_text(b, s->fix);
	KK_HTML(b, "</pre></article>");
	return 0;
}

static int portal_tx(struct kk_db *db, void *arg)
{
	struct portal *p = arg;
	p->n = 0;
	kk_buf_reset(&p->r->resp.body);
	kk_page_open(p->r, _("Pre-notifications"));
	KK_HTML_EL(&p->r->resp.body, "<h1>", _("Pre-notifications"), "</h1><p class=\"muted\">");
	kk_html_text(&p->r->resp.body, _("Confidential until the publication date."));
	KK_HTML(&p->r->resp.body, "</p>");
	int rc = kk_infra_shares(db, &p->r->actor, NULL, share_row, p);
	return rc < 0 ? rc : 0;
}

int page_infra(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_INFRA_PORTAL, NULL) < 0)
		return KK_EPERM;
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	struct portal p = {r, 0};
	int rc = kk_db_tx(db, portal_tx, &p);
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, NULL, NULL);
	}
	if (!p.n)
		KK_HTML_EL(&r->resp.body, "<p class=\"muted\">", _("Nothing has been shared with your organization."), "</p>");
	return kk_page_close(r, 200);
}

/*
 * page_website.c — website-case pages: the receivers' board and case page,
 * the operator's portal (secret link or account) and the finder's page.
 * The operator's pages show nothing of the finder (website/website.h).
 */
#include "base/clock.h"
#include "base/str.h"
#include "store/db.h"
#include "web/handlers.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/page_report.h"
#include "web/page_website.h"
#include "web/web.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define DAY 86400

/* ---- pieces --------------------------------------------------------------- */

static const char *stage_label(const char *s)
{
	if (!strcmp(s, "opened"))
		return _("Opened: no notice sent yet");
	if (!strcmp(s, "stage1"))
		return _("Stage 1: contact point requested");
	if (!strcmp(s, "stage2"))
		return _("Stage 2: protection of the details being agreed");
	if (!strcmp(s, "stage3"))
		return _("Stage 3: details delivered; fix under way");
	if (!strcmp(s, "completed"))
		return _("Completed: the operator reported the fix");
	return _("Closed");
}

static const char *check_label(int k)
{
	static const char *const l[] = {N_("Receipt of the notice"), N_("Investigation of the report"),
					N_("Impact and plan"), N_("Execution of the fix"), N_("Completion report")};
	return _(l[k]);
}

static void dt_row(struct kk_buf *b, const char *label, const char *value)
{
	KK_HTML_EL(b, "<tr><th>", label, "</th><td>");
	kk_html_text(b, value && *value ? value : "—");
	KK_HTML(b, "</td></tr>");
}

static void pre_row(struct kk_buf *b, const char *label, const char *value)
{
	KK_HTML_EL(b, "<tr><th>", label, "</th><td><pre class=\"text\">");
	kk_html_text(b, value && *value ? value : "—");
	KK_HTML(b, "</pre></td></tr>");
}

/* The three stages and the target as a list of steps with dates. */
static void progress(struct kk_req *r, const struct kk_website_case *c)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML_EL(b, "<h2>", _("Stages"), "</h2><ol class=\"steps\" id=\"stages\">");
	const struct {
		const char *label;
		int64_t at;
	} s[] = {{N_("Stage 1: notice to the site"), c->stage1_at},
		 {N_("Stage 2: contact point, protection agreed"), c->stage2_at},
		 {N_("Stage 3: details delivered"), c->stage3_at},
		 {N_("Acknowledged by the operator"), c->ack_at},
		 {N_("Completion reported"), c->completed_at}};
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		KK_HTML(b, "<li");
		KK_HTML_ATTR(b, "class", s[i].at ? "done" : "todo");
		KK_HTML(b, ">");
		kk_html_text(b, _(s[i].label));
		if (s[i].at) {
			KK_HTML(b, " — ");
			kk_html_text(b, kk_page_time(r, s[i].at));
		}
		KK_HTML(b, "</li>");
	}
	KK_HTML(b, "</ol>");
}

/* The operator's checklist of 4.2.4 as a visible progress list. */
static void checklist(struct kk_req *r, const struct kk_website_case *c)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML_EL(b, "<h2>", _("Operator's checklist"), "</h2><ul class=\"checklist\" id=\"checklist\">");
	for (int k = 0; k < KK_WCHK__COUNT; k++) {
		KK_HTML(b, "<li");
		KK_HTML_ATTR(b, "data-item", kk_website_check_name((enum kk_website_check)k));
		KK_HTML_ATTR(b, "class", c->check_at[k] ? "done" : "todo");
		KK_HTML(b, ">");
		if (c->check_at[k])
			KK_HTML(b, "☑ ");
		else
			KK_HTML(b, "☐ ");
		kk_html_text(b, check_label(k));
		if (c->check_at[k]) {
			KK_HTML(b, " — ");
			kk_html_text(b, kk_page_time(r, c->check_at[k]));
		}
		KK_HTML(b, "</li>");
	}
	KK_HTML(b, "</ul>");
}

static int event_row(void *arg, const struct kk_website_event *e)
{
	struct kk_req *r = arg;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<li><span class=\"muted\">");
	kk_html_text(b, kk_page_time(r, e->at));
	KK_HTML(b, " · ");
	kk_html_text(b, e->side);
	KK_HTML(b, " · ");
	kk_html_text(b, e->kind);
	KK_HTML(b, "</span>");
	if (e->body[0]) {
		KK_HTML(b, "<pre class=\"text\">");
		kk_html_text(b, e->body);
		KK_HTML(b, "</pre>");
	}
	KK_HTML(b, "</li>");
	return 0;
}

static void events(struct kk_req *r, int64_t id, bool operator)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML_EL(b, "<h2>", _("History"), "</h2><ul class=\"thread\" id=\"events\">");
	kk_website_events(r->db, id, operator, event_row, r);
	KK_HTML(b, "</ul>");
}

/* Opens a card with a form posting to action; hidden fields identify the case and the action. */
static void form_open_x(struct kk_req *r, const char *title, const char *action_url, const char *action,
			const char *key_name, const char *key_value, bool files)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML_EL(b, "<div class=\"card\"><h3>", title, "</h3><form method=\"post\"");
	if (files)
		KK_HTML(b, " enctype=\"multipart/form-data\"");
	KK_HTML_ATTR(b, "action", action_url);
	KK_HTML_ATTR(b, "data-action", action);
	KK_HTML(b, "><input type=\"hidden\" name=\"action\"");
	KK_HTML_ATTR(b, "value", action);
	KK_HTML(b, ">");
	if (key_name && key_value) {
		KK_HTML(b, "<input type=\"hidden\"");
		KK_HTML_ATTR(b, "name", key_name);
		KK_HTML_ATTR(b, "value", key_value);
		KK_HTML(b, ">");
	}
	if (kk_actor_signed_in(&r->actor) && r->actor.session_id[0])
		kk_page_csrf_field(r);
}

static void form_open(struct kk_req *r, const char *title, const char *action_url, const char *action,
		      const char *key_name, const char *key_value)
{
	form_open_x(r, title, action_url, action, key_name, key_value, false);
}

/* The optional files of a note or the completion report, with the limits that hold. */
static void files_field(struct kk_req *r)
{
	struct kk_buf *b = &r->resp.body;
	struct kk_intake_limits l;
	if (kk_report_limits(r, &l) < 0)
		return;
	KK_HTML_EL(b, "<label>", _("Files (optional)"), " <span class=\"muted\">");
	kk_page_file_limits(r, &l);
	KK_HTML(b, "</span><input type=\"file\" name=\"files\" multiple></label>");
}

static void field(struct kk_buf *b, const char *label, const char *type, const char *name, bool required)
{
	KK_HTML_EL(b, "<label>", label, "");
	if (!strcmp(type, "textarea")) {
		KK_HTML(b, "<textarea rows=\"5\"");
		KK_HTML_ATTR(b, "name", name);
		if (required)
			KK_HTML(b, " required");
		KK_HTML(b, "></textarea>");
	} else {
		KK_HTML(b, "<input");
		KK_HTML_ATTR(b, "type", type);
		KK_HTML_ATTR(b, "name", name);
		if (required)
			KK_HTML(b, " required");
		KK_HTML(b, ">");
	}
	KK_HTML(b, "</label>");
}

static void checkbox(struct kk_buf *b, const char *label, const char *name)
{
	KK_HTML(b, "<label><input type=\"checkbox\" value=\"1\"");
	KK_HTML_ATTR(b, "name", name);
	KK_HTML(b, "> ");
	kk_html_text(b, label);
	KK_HTML(b, "</label>");
}

static void item_select(struct kk_buf *b)
{
	KK_HTML_EL(b, "<label>", _("Item"), "<select name=\"item\">");
	for (int k = 0; k < KK_WCHK_COMPLETION; k++) {
		KK_HTML(b, "<option");
		KK_HTML_ATTR(b, "value", kk_website_check_name((enum kk_website_check)k));
		KK_HTML(b, ">");
		kk_html_text(b, check_label(k));
		KK_HTML(b, "</option>");
	}
	KK_HTML(b, "</select></label>");
}

/* The forms of stage 3 that both the operator and receivers (on the operator's behalf) use. */
static void stage3_forms(struct kk_req *r, const struct kk_website_case *c, const char *url, const char *kn,
			 const char *kv)
{
	struct kk_buf *b = &r->resp.body;
	if (!c->ack_at) {
		form_open(r, _("Acknowledge receipt"), url, "ack", kn, kv);
		kk_page_submit(r, _("Acknowledge"));
	}
	form_open(r, _("Tick the checklist"), url, "check", kn, kv);
	item_select(b);
	checkbox(b, _("Not done after all (untick)"), "undo");
	kk_page_submit(r, _("Save"));
	form_open(r, _("Estimated fix date (only when the target date will not do)"), url, "estimate", kn, kv);
	field(b, _("Date"), "date", "date", true);
	field(b, _("Why"), "textarea", "text", false);
	kk_page_submit(r, _("Send the estimate"));
	form_open_x(r, _("Completion report"), url, "complete", kn, kv, true);
	field(b, _("What was done"), "textarea", "text", true);
	files_field(r);
	kk_page_submit(r, _("Report completion"));
}

/* ---- the receivers' board --------------------------------------------------- */

struct board {
	struct kk_req *r;
	int64_t now;
};

static int board_row(void *arg, const struct kk_website_case *c)
{
	struct board *x = arg;
	struct kk_buf *b = &x->r->resp.body;
	KK_HTML(b, "<tr");
	KK_HTML_ATTR(b, "data-stage", c->stage);
	KK_HTML(b, "><td><a");
	KK_HTML_ATTR(b, "href", kk_arena_printf(&x->r->arena, "/website/case/%s", c->handling + strlen(kk_website_config()->prefix)));
	KK_HTML(b, ">");
	kk_html_text(b, c->handling);
	KK_HTML(b, "</a></td><td>");
	kk_html_text(b, stage_label(c->stage));
	KK_HTML(b, "</td><td>");
	kk_html_text(b, c->url);
	KK_HTML(b, "</td><td>");
	kk_html_int(b, (x->now - c->opened_at) / DAY);
	KK_HTML(b, "</td><td>");
	int64_t due = c->estimate_at > c->target_at ? c->estimate_at : c->target_at;
	kk_html_text(b, due ? kk_page_time(x->r, due) : "—");
	KK_HTML(b, "</td><td>");
	if (c->overdue)
		KK_HTML_EL(b, "<span class=\"badge error\">", _("overdue"), "</span> ");
	if (c->unreachable_at)
		KK_HTML_EL(b, "<span class=\"badge error\">", _("unreachable"), "</span> ");
	if (c->outcome[0])
		kk_html_text(b, c->outcome);
	KK_HTML(b, "</td></tr>");
	return 0;
}

int page_website_board(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_WEBSITE_HANDLE, NULL) < 0)
		return KK_EPERM;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	const char *stage = kk_req_query(r, "stage");
	if (!stage || !*stage)
		stage = "open";
	enum kk_website_stage s;
	if (strcmp(stage, "all") && strcmp(stage, "open") && kk_website_stage_parse(stage, &s))
		return kk_req_fail(r, KK_EINVAL, "stage", "stage: all, open, opened, stage1, stage2, stage3, completed or closed");
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, _("Website cases"));
	KK_HTML_EL(b, "<h1>", _("Website cases"), "</h1><form class=\"inline\" method=\"get\" action=\"/website\">");
	KK_HTML_EL(b, "<label>", _("Stage"), "<select name=\"stage\">");
	kk_page_option(b, "open", _("open (not closed)"), stage);
	kk_page_option(b, "all", _("all"), stage);
#define X(n, v) kk_page_option(b, v, stage_label(v), stage);
	KK_WEBSITE_STAGES(X)
#undef X
	KK_HTML_EL(b, "</select></label><button type=\"submit\">", _("Filter"), "</button></form>");
	KK_HTML_EL(b, "<div class=\"table-wrap\"><table id=\"board\"><thead><tr><th>", _("Handling number"), "</th><th>");
	kk_html_text(b, _("Stage"));
	KK_HTML_EL(b, "</th><th>", _("URL"), "</th><th>");
	kk_html_text(b, _("Age (days)"));
	KK_HTML_EL(b, "</th><th>", _("Target"), "</th><th>");
	kk_html_text(b, _("Flags"));
	KK_HTML(b, "</th></tr></thead><tbody>");
	struct board x = {r, kk_clock_now()};
	struct kk_website_filter f = {.stage = strcmp(stage, "all") ? stage : NULL};
	int rc = kk_website_list(r->db, &r->actor, &f, board_row, &x);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	if (!rc)
		KK_HTML_EL(b, "<tr><td colspan=\"6\" class=\"muted\">", _("No website cases match."), "</td></tr>");
	KK_HTML(b, "</tbody></table></div>");
	return kk_page_close(r, 200);
}

/* ---- one case for receivers -------------------------------------------------- */

struct view {
	struct kk_req *r;
	const char *notice, *notice_kind, *link;
	const char *key; /* portal: the token in the forms */
};

struct files {
	struct kk_req *r;
	const char *prefix, *suffix; /* link = prefix + sha256 + suffix */
};

/* One file as a download link with its type and size; side (may be NULL): who added it, and when. */
static void file_item(struct files *f, const struct kk_attachment *x, const char *side)
{
	struct kk_buf *b = &f->r->resp.body;
	KK_HTML(b, "<li><a download");
	KK_HTML_ATTR(b, "href", kk_arena_printf(&f->r->arena, "%s%s%s", f->prefix, x->sha256, f->suffix));
	KK_HTML(b, ">");
	kk_html_text(b, x->filename);
	KK_HTML(b, "</a> <span class=\"muted\">");
	kk_html_text(b, x->mime);
	KK_HTML(b, ", ");
	kk_html_int(b, x->size);
	KK_HTML(b, " B");
	if (side) {
		KK_HTML(b, ", ");
		kk_html_text(b, !strcmp(side, "operator") ? _("operator") : _("receiver"));
		KK_HTML(b, ", ");
		kk_html_text(b, kk_page_time(f->r, x->added_at));
	}
	KK_HTML(b, "</span></li>");
}

static int file_row(void *arg, const struct kk_attachment *x)
{
	file_item(arg, x, NULL);
	return 0;
}

static int case_file_row(void *arg, const struct kk_website_file *x)
{
	file_item(arg, &x->file, x->side);
	return 0;
}

/*
 * The report's attachments (neutral names) linking to prefix + sha256 + suffix, then the files the
 * operator and the receivers added to the case, linking to case_prefix + sha256 + case_suffix.
 */
static void attachments(struct kk_req *r, int64_t case_id, const char *prefix, const char *suffix,
			const char *case_prefix, const char *case_suffix)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML_EL(b, "<h3>", _("Attachments"), "</h3><ul id=\"files\">");
	struct files f = {r, prefix, suffix};
	if (kk_website_attachment_list(r->db, case_id, file_row, &f) == 0)
		KK_HTML_EL(b, "<li class=\"muted\">", _("None."), "</li>");
	KK_HTML_EL(b, "</ul><h3>", _("Files from the operator and the receivers"), "</h3><ul id=\"case-files\">");
	struct files cf = {r, case_prefix, case_suffix};
	if (kk_website_files(r->db, case_id, case_file_row, &cf) == 0)
		KK_HTML_EL(b, "<li class=\"muted\">", _("None."), "</li>");
	KK_HTML(b, "</ul>");
}

static void details_table(struct kk_req *r, const struct kk_website_case *c)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML_EL(b, "<h2>", _("Details of the vulnerability"), "</h2><table class=\"kv\" id=\"details\">");
	dt_row(b, _("Type of flaw"), c->flaw_type);
	pre_row(b, _("Description"), c->description);
	pre_row(b, _("Assumed risk"), c->risk);
	pre_row(b, _("How to reproduce"), c->reproduce);
	KK_HTML(b, "</table>");
}

static int staff_case(void *arg, const struct kk_website_case *c)
{
	struct view *v = arg;
	struct kk_req *r = v->r;
	struct kk_buf *b = &r->resp.body;
	const char *url = kk_arena_printf(&r->arena, "/website/case/%s", c->handling + strlen(kk_website_config()->prefix));
	kk_page_open(r, c->handling);
	KK_HTML_EL(b, "<h1>", c->handling, "</h1>");
	if (v->notice)
		kk_page_notice(r, v->notice_kind, v->notice);
	if (v->link) {
		KK_HTML_EL(b, "<div class=\"notice ok\" id=\"new-link\"><p>",
			   _("The operator's new link (shown only now; it was also mailed):"), "</p><code>");
		kk_html_text(b, v->link);
		KK_HTML(b, "</code></div>");
	}
	KK_HTML(b, "<table class=\"kv\" id=\"case\">");
	dt_row(b, _("Stage"), stage_label(c->stage));
	dt_row(b, _("URL"), c->url);
	KK_HTML_EL(b, "<tr><th>", _("Report"), "</th><td><a");
	KK_HTML_ATTR(b, "href", kk_arena_printf(&r->arena, "/triage/%s", c->tracking));
	KK_HTML(b, ">");
	kk_html_text(b, c->tracking);
	KK_HTML(b, "</a></td></tr>");
	dt_row(b, _("Operator organization"), c->org_name);
	dt_row(b, _("Contact point"), c->contact_email);
	dt_row(b, _("Protection"), c->has_pgp_key ? _("PGP-encrypted mail") : c->portal_only ? _("portal only") : "");
	dt_row(b, _("Target"), c->target_at ? kk_page_time(r, c->target_at) : "");
	dt_row(b, _("Estimated fix date"), c->estimate_at ? kk_page_time(r, c->estimate_at) : "");
	dt_row(b, _("Notices of this stage"), kk_arena_printf(&r->arena, "%d", c->attempts));
	if (c->unreachable_at)
		dt_row(b, _("Unreachable since"), kk_page_time(r, c->unreachable_at));
	if (c->overdue)
		dt_row(b, _("Overdue"), _("yes"));
	dt_row(b, _("Outcome"), c->outcome);
	pre_row(b, _("Completion report"), c->completion);
	dt_row(b, _("The finder confirmed"), c->finder_confirmed_at ? kk_page_time(r, c->finder_confirmed_at) : "");
	KK_HTML(b, "</table>");
	progress(r, c);
	checklist(r, c);
	details_table(r, c);
	attachments(r, c->id, kk_arena_printf(&r->arena, "/triage/%s/files/", c->tracking), "", "/website/portal/files/",
		    kk_arena_printf(&r->arena, "?case=%s", c->handling + strlen(kk_website_config()->prefix)));
	events(r, c->id, false);

	KK_HTML_EL(b, "<h2>", _("Actions"), "</h2>");
	enum kk_website_stage s = KK_WEBSITE_OPENED;
	kk_website_stage_parse(c->stage, &s);
	if (s == KK_WEBSITE_OPENED || s == KK_WEBSITE_STAGE1) {
		form_open(r, _("Stage 1: notify the addresses found on the site"), url, "notify", NULL, NULL);
		field(b, _("Addresses (comma or line separated)"), "textarea", "addresses", true);
		kk_page_submit(r, _("Send the stage 1 notice"));
	}
	if (s == KK_WEBSITE_STAGE1) {
		form_open(r, _("Stage 2: the operator's contact point (received by mail)"), url, "contact", NULL, NULL);
		field(b, _("Contact e-mail"), "email", "email", true);
		field(b, _("Contact name"), "text", "name", false);
		kk_page_submit(r, _("Send the stage 2 message"));
	}
	if (s == KK_WEBSITE_STAGE2) {
		form_open(r, _("Stage 3: protection chosen by the operator"), url, "protect", NULL, NULL);
		field(b, _("PGP public key (ASCII-armored)"), "textarea", "pgp_key", false);
		checkbox(b, _("Portal only (no key)"), "portal");
		kk_page_submit(r, _("Send the details"));
	}
	if (s <= KK_WEBSITE_STAGE2) {
		form_open(r, _("Details to send at stage 3"), url, "details", NULL, NULL);
		field(b, _("Type of flaw"), "text", "flaw_type", false);
		field(b, _("Assumed risk"), "textarea", "risk", false);
		field(b, _("How to reproduce"), "textarea", "reproduce", false);
		field(b, _("Description"), "textarea", "description", false);
		kk_page_submit(r, _("Save the details"));
	}
	if (s == KK_WEBSITE_STAGE3)
		stage3_forms(r, c, url, NULL, NULL);
	if (s != KK_WEBSITE_CLOSED) {
		form_open(r, _("Operator organization"), url, "org", NULL, NULL);
		field(b, _("Organization name (empty: none)"), "text", "org", false);
		kk_page_submit(r, _("Link"));
		form_open_x(r, _("Note"), url, "note", NULL, NULL, c->stage3_at != 0);
		field(b, _("Text"), "textarea", "text", c->stage3_at == 0);
		if (c->stage3_at)
			files_field(r);
		kk_page_submit(r, _("Add the note"));
		form_open(r, _("Close the case"), url, "close", NULL, NULL);
		KK_HTML_EL(b, "<label>", _("Outcome"), "<select name=\"outcome\">");
#define X(n, v) kk_page_option(b, v, v, NULL);
		KK_WEBSITE_OUTCOMES(X)
#undef X
		KK_HTML(b, "</select></label>");
		field(b, _("Note"), "textarea", "text", false);
		kk_page_submit(r, _("Close"));
	}
	return 0;
}

static int case_page(struct kk_req *r, int status, struct view *v)
{
	struct kk_website_who w = {&r->actor, NULL};
	kk_buf_reset(&r->resp.body);
	int rc = kk_website_get(r->db, &w, kk_web_website_handling(r, "case"), staff_case, v);
	if (rc == KK_ENOTFOUND)
		return kk_req_fail(r, rc, NULL, "%s", _("No such website case."));
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	return kk_page_close(r, status);
}

int page_website_case(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_WEBSITE_HANDLE, NULL) < 0)
		return KK_EPERM;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct view v = {.r = r};
	if (kk_req_query(r, "done")) {
		v.notice = _("Done.");
		v.notice_kind = "ok";
	}
	return case_page(r, 200, &v);
}

/* Fills w's inputs from the posted form. */
static void form_fields(struct kk_req *r, struct kk_wact *w)
{
	w->action = kk_req_form(r, "action");
	w->text = kk_req_form(r, "text");
	w->email = kk_req_form(r, "email");
	w->name = kk_req_form(r, "name");
	w->pgp_key = kk_req_form(r, "pgp_key");
	w->item = kk_req_form(r, "item");
	w->date = kk_req_form(r, "date");
	w->outcome = kk_req_form(r, "outcome");
	w->org = kk_req_form(r, "org");
	w->addresses = kk_req_form(r, "addresses");
	w->flaw = kk_req_form(r, "flaw_type");
	w->risk = kk_req_form(r, "risk");
	w->reproduce = kk_req_form(r, "reproduce");
	w->description = kk_req_form(r, "description");
	const char *p = kk_req_form(r, "portal"), *u = kk_req_form(r, "undo");
	w->portal = p && *p;
	w->undo = u && *u;
	/* an empty optional field is "not given" */
	const char **opt[] = {&w->text, &w->name, &w->flaw, &w->risk, &w->reproduce, &w->description, &w->pgp_key};
	for (size_t i = 0; i < sizeof(opt) / sizeof(opt[0]); i++)
		if (*opt[i] && !**opt[i])
			*opt[i] = NULL;
}

/* The start of every form post: the route's permission, the database, the form's fields. 0 or replied. */
static int post_start(struct kk_req *r, enum kk_action act, enum kk_wside side, struct kk_wact *w)
{
	if (kk_req_allow_or_reply(r, act, NULL) < 0)
		return KK_EPERM;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	memset(w, 0, sizeof(*w));
	form_fields(r, w);
	w->side = side;
	return 0;
}

static const char *error_text(struct kk_req *r, int rc, const struct kk_diag *d)
{
	if (d->msg[0])
		return kk_arena_printf(&r->arena, "%s%s%s", d->where[0] ? d->where : "", d->where[0] ? ": " : "", d->msg);
	return kk_err_msg(rc);
}

static int page_status(int rc)
{
	int s = kk_err_http(rc);
	return s == 400 ? 422 : s;
}

int page_website_case_post(struct kk_req *r)
{
	struct kk_wact w;
	int rc = post_start(r, KK_ACT_WEBSITE_HANDLE, KK_WSIDE_STAFF, &w);
	if (rc < 0)
		return rc;
	w.handling = kk_web_website_handling(r, "case");
	rc = kk_web_website_act(r, &w);
	if (rc < 0 && r->resp.status)
		return rc;
	struct view v = {.r = r};
	if (rc < 0) {
		v.notice = error_text(r, rc, &w.d);
		v.notice_kind = "error";
		return case_page(r, page_status(rc), &v);
	}
	if (w.new_token[0]) {
		v.link = kk_arena_printf(&r->arena, "%s/website/portal?key=%s", kk_website_config()->base_url, w.new_token);
		sodium_memzero(w.new_token, sizeof(w.new_token));
		v.notice = _("Done.");
		v.notice_kind = "ok";
		return case_page(r, 200, &v);
	}
	kk_resp_redirect(r, kk_arena_printf(&r->arena, "/website/case/%s?done=%s",
					    w.handling + strlen(kk_website_config()->prefix), w.action));
	return 0;
}

/* ---- the operator's portal ---------------------------------------------------- */

static int portal_case(void *arg, const struct kk_website_case *c)
{
	struct view *v = arg;
	struct kk_req *r = v->r;
	struct kk_buf *b = &r->resp.body;
	enum kk_website_stage s = KK_WEBSITE_OPENED;
	kk_website_stage_parse(c->stage, &s);
	const char *kn = v->key ? "key" : "case", *kv = v->key ? v->key : c->handling;
	const char *url = "/website/portal";
	bool told = s >= KK_WEBSITE_STAGE3;
	kk_page_open(r, _("Vulnerability notice"));
	KK_HTML_EL(b, "<h1>", _("Vulnerability notice"), "</h1>");
	if (v->notice)
		kk_page_notice(r, v->notice_kind, v->notice);
	KK_HTML(b, "<table class=\"kv\" id=\"case\">");
	if (told)
		dt_row(b, _("Handling number"), c->handling);
	dt_row(b, _("URL"), c->url);
	dt_row(b, _("Stage"), stage_label(c->stage));
	if (told) {
		dt_row(b, _("Target"), c->target_at ? kk_page_time(r, c->target_at) : "");
		dt_row(b, _("Estimated fix date"), c->estimate_at ? kk_page_time(r, c->estimate_at) : "");
		pre_row(b, _("Completion report"), c->completion);
	}
	KK_HTML(b, "</table>");
	if (s == KK_WEBSITE_STAGE1) {
		KK_HTML_EL(b, "<p>", _("A vulnerability was reported in this website. Please tell us a contact point to "
				       "whom we may give the details."),
			   "</p>");
		form_open(r, _("Contact point"), url, "contact", kn, kv);
		field(b, _("Contact e-mail"), "email", "email", true);
		field(b, _("Contact name"), "text", "name", false);
		kk_page_submit(r, _("Send"));
		return 0;
	}
	if (s == KK_WEBSITE_STAGE2) {
		KK_HTML_EL(b, "<p>", _("How shall we protect the details? Upload a PGP public key to receive them by "
				       "encrypted mail, or read them on this portal only."),
			   "</p>");
		form_open(r, _("Protection of the details"), url, "protect", kn, kv);
		field(b, _("PGP public key (ASCII-armored)"), "textarea", "pgp_key", false);
		checkbox(b, _("Portal only (no key)"), "portal");
		kk_page_submit(r, _("Agree"));
		return 0;
	}
	if (!told)
		return 0;
	KK_HTML_EL(b, "<p class=\"notice\" id=\"personal-data\">",
		   _("If personal information may have leaked through this flaw, please publish the facts."), "</p>");
	progress(r, c);
	checklist(r, c);
	details_table(r, c);
	const char *suffix = v->key ? kk_arena_printf(&r->arena, "?key=%s", v->key)
				    : kk_arena_printf(&r->arena, "?case=%s", c->handling + strlen(kk_website_config()->prefix));
	attachments(r, c->id, "/website/portal/files/", suffix, "/website/portal/files/", suffix);
	events(r, c->id, true);
	if (s == KK_WEBSITE_STAGE3) {
		stage3_forms(r, c, url, kn, kv);
		form_open_x(r, _("Progress note"), url, "note", kn, kv, true);
		field(b, _("Text"), "textarea", "text", false);
		files_field(r);
		kk_page_submit(r, _("Send the note"));
	}
	if (s == KK_WEBSITE_STAGE3 || s == KK_WEBSITE_COMPLETED) {
		if (!c->operator_direct) {
			form_open(r, _("Direct exchange with the finder (only if both agree)"), url, "direct_agree", kn, kv);
			kk_page_submit(r, _("We agree to a direct exchange"));
		} else if (c->finder_direct) {
			form_open(r, _("Message to the finder (a copy stays with the receiving organization)"), url,
				  "direct", kn, kv);
			field(b, _("Text"), "textarea", "text", true);
			kk_page_submit(r, _("Send"));
		} else {
			KK_HTML_EL(b, "<p class=\"muted\">", _("You agreed to a direct exchange; the finder has not (yet)."),
				   "</p>");
		}
	}
	return 0;
}

struct oplist {
	struct kk_req *r;
};

static int oplist_row(void *arg, const struct kk_website_case *c)
{
	struct kk_req *r = arg;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<li><a");
	KK_HTML_ATTR(b, "href", kk_arena_printf(&r->arena, "/website/portal?case=%s", c->handling + strlen(kk_website_config()->prefix)));
	KK_HTML(b, ">");
	kk_html_text(b, c->handling);
	KK_HTML(b, "</a> ");
	kk_html_text(b, c->url);
	KK_HTML(b, " — ");
	kk_html_text(b, stage_label(c->stage));
	KK_HTML(b, "</li>");
	return 0;
}

static int portal_page(struct kk_req *r, int status, struct view *v, const char *handling)
{
	kk_buf_reset(&r->resp.body);
	struct kk_website_who w = {v->key ? &kk_actor_public : &r->actor, v->key};
	if (!v->key && kk_policy_allow(&r->actor, KK_ACT_WEBSITE_HANDLE, NULL))
		w.actor = &kk_actor_public; /* receivers use their own pages */
	int rc = kk_website_get(r->db, &w, v->key ? NULL : handling, portal_case, v);
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		/* one answer for every reason: nothing about whether a case exists */
		return kk_req_fail(r, KK_ENOTFOUND, NULL, "%s",
				   _("This link does not open a website case. Use the newest link you were sent."));
	}
	kk_resp_header(r, "Cache-Control", "no-store");
	kk_resp_header(r, "Referrer-Policy", "no-referrer");
	return kk_page_close(r, status);
}

int page_website_portal(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_WEBSITE_LINK, NULL) < 0)
		return KK_EPERM;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	const char *key = kk_req_query(r, "key"), *c = kk_req_query(r, "case");
	struct view v = {.r = r, .key = key && *key ? key : NULL};
	if (kk_req_query(r, "done")) {
		v.notice = _("Thank you. This was recorded.");
		v.notice_kind = "ok";
	}
	if (!v.key && (!c || !*c) && kk_policy_allow(&r->actor, KK_ACT_WEBSITE_OPERATE, NULL)) {
		struct kk_buf *b = &r->resp.body;
		kk_page_open(r, _("Website cases of your organization"));
		KK_HTML_EL(b, "<h1>", _("Website cases of your organization"), "</h1><ul id=\"cases\">");
		int rc = kk_website_list(r->db, &r->actor, NULL, oplist_row, r);
		if (rc == 0)
			KK_HTML_EL(b, "<li class=\"muted\">", _("No cases."), "</li>");
		KK_HTML(b, "</ul>");
		return kk_page_close(r, 200);
	}
	return portal_page(r, 200, &v, kk_web_website_norm(r, c));
}

int page_website_portal_post(struct kk_req *r)
{
	struct kk_wact w;
	int rc = post_start(r, KK_ACT_WEBSITE_LINK, KK_WSIDE_PORTAL, &w);
	if (rc < 0)
		return rc;
	const char *key = kk_req_form(r, "key"), *c = kk_req_form(r, "case");
	w.token = key && *key ? key : NULL;
	w.handling = w.token ? NULL : kk_web_website_norm(r, c);
	rc = kk_web_website_act(r, &w);
	if (rc < 0 && r->resp.status)
		return rc;
	struct view v = {.r = r, .key = w.token};
	if (rc < 0) {
		v.notice = error_text(r, rc, &w.d);
		v.notice_kind = "error";
		return portal_page(r, page_status(rc), &v, w.handling);
	}
	if (w.new_token[0]) {
		/* the contact point gets a new link by mail; this one has ended */
		sodium_memzero(w.new_token, sizeof(w.new_token));
		struct kk_buf *b = &r->resp.body;
		kk_buf_reset(b);
		kk_page_open(r, _("Vulnerability notice"));
		KK_HTML_EL(b, "<h1>", _("Vulnerability notice"), "</h1>");
		kk_page_notice(r, "ok", _("Thank you. The contact point will receive a message with a new link; this "
					  "link no longer works."));
		return kk_page_close(r, 200);
	}
	if (w.token) /* the form posted the key: show the page again without putting it in a redirect */
		return portal_page(r, 200, &(struct view){.r = r, .key = w.token, .notice = _("Thank you. This was recorded."), .notice_kind = "ok"}, NULL);
	kk_resp_redirect(r, kk_arena_printf(&r->arena, "/website/portal?case=%s&done=1",
					    w.handling && strlen(w.handling) > 8 ? w.handling + strlen(w.handling) - 8 : ""));
	return 0;
}

int page_website_portal_file(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_WEBSITE_LINK, NULL) < 0)
		return KK_EPERM;
	const char *key = kk_req_query(r, "key");
	struct kk_website_who w = {key ? &kk_actor_public : &r->actor, key};
	return kk_web_website_file(r, &w, key ? NULL : kk_web_website_norm(r, kk_req_query(r, "case")));
}

/* ---- the finder ---------------------------------------------------------------- */

struct fview {
	struct kk_req *r;
	const char *tracking, *key, *notice, *notice_kind;
};

int page_website_finder(struct kk_req *r);

/* Renders the finder's page from the JSON view (the one place that decides what the finder sees). */
static int finder_page(struct kk_req *r, int status, struct fview *f)
{
	struct kk_buf json = KK_BUF_INIT(1 << 20);
	struct kk_json j;
	kk_json_init(&j, &json);
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_website_finder_json(r->db, f->tracking, f->key, &j, &d);
	json_t *doc = rc ? NULL : json_loads(json.ptr, 0, NULL);
	kk_buf_release(&json);
	if (!doc)
		return kk_req_fail(r, KK_ENOTFOUND, NULL, "%s", _("No website case matches this link; check the whole link."));
	struct kk_buf *b = &r->resp.body;
	kk_buf_reset(b);
	const char *handling = json_string_value(json_object_get(doc, "handling"));
	const char *stage = json_string_value(json_object_get(doc, "stage"));
	const char *completion = json_string_value(json_object_get(doc, "completion"));
	json_t *direct = json_object_get(doc, "direct");
	bool fd = json_is_true(json_object_get(direct, "finder")), od = json_is_true(json_object_get(direct, "operator"));
	bool completed = stage && (!strcmp(stage, "completed") || !strcmp(stage, "closed"));
	kk_page_open(r, _("Your website report"));
	KK_HTML_EL(b, "<h1>", _("Your website report"), "</h1>");
	if (f->notice)
		kk_page_notice(r, f->notice_kind, f->notice);
	KK_HTML(b, "<table class=\"kv\" id=\"case\">");
	dt_row(b, _("Handling number"), handling);
	dt_row(b, _("URL"), json_string_value(json_object_get(doc, "url")));
	dt_row(b, _("Stage"), stage ? stage_label(stage) : "");
	dt_row(b, _("Outcome"), json_string_value(json_object_get(doc, "outcome")));
	pre_row(b, _("Completion report"), completion);
	dt_row(b, _("You confirmed"), json_string_value(json_object_get(doc, "finder_confirmed_at")));
	KK_HTML(b, "</table>");
	const char *url = kk_arena_printf(&r->arena, "/website/finder/%s", f->tracking);
	if (completed && !json_string_value(json_object_get(doc, "finder_confirmed_at"))) {
		form_open(r, _("Confirm the fix"), url, "confirm", "key", f->key);
		field(b, _("Comment"), "textarea", "text", false);
		kk_page_submit(r, _("I confirm the fix"));
	}
	if (stage && (!strcmp(stage, "stage3") || !strcmp(stage, "completed"))) {
		if (!fd) {
			form_open(r, _("Direct exchange with the operator (only if both agree; your name is not given)"), url,
				  "direct_agree", "key", f->key);
			kk_page_submit(r, _("I agree to a direct exchange"));
		} else if (od) {
			form_open(r, _("Message to the operator (a copy stays with the receiving organization)"), url,
				  "direct", "key", f->key);
			field(b, _("Text"), "textarea", "text", true);
			kk_page_submit(r, _("Send"));
		}
	}
	json_t *msgs = json_object_get(doc, "messages");
	if (json_array_size(msgs)) {
		KK_HTML_EL(b, "<h2>", _("Direct exchange"), "</h2><ul class=\"thread\" id=\"messages\">");
		size_t i;
		json_t *m;
		json_array_foreach(msgs, i, m)
		{
			KK_HTML(b, "<li><span class=\"muted\">");
			kk_html_text(b, json_string_value(json_object_get(m, "side")));
			KK_HTML(b, "</span><pre class=\"text\">");
			kk_html_text(b, json_string_value(json_object_get(m, "body")));
			KK_HTML(b, "</pre></li>");
		}
		KK_HTML(b, "</ul>");
	}
	json_decref(doc);
	kk_resp_header(r, "Cache-Control", "no-store");
	kk_resp_header(r, "Referrer-Policy", "no-referrer");
	return kk_page_close(r, status);
}

int page_website_finder(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_WEBSITE_LINK, NULL) < 0)
		return KK_EPERM;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct fview f = {r, kk_req_param(r, "tracking"), kk_req_query(r, "key"), NULL, NULL};
	return finder_page(r, 200, &f);
}

int page_website_finder_post(struct kk_req *r)
{
	struct kk_wact w;
	int rc = post_start(r, KK_ACT_WEBSITE_LINK, KK_WSIDE_FINDER, &w);
	if (rc < 0)
		return rc;
	w.tracking = kk_req_param(r, "tracking");
	w.token = kk_req_form(r, "key");
	rc = kk_web_website_act(r, &w);
	if (rc < 0 && r->resp.status)
		return rc;
	struct fview f = {r, w.tracking, w.token, rc < 0 ? error_text(r, rc, &w.d) : _("Thank you. This was recorded."),
			  rc < 0 ? "error" : "ok"};
	return finder_page(r, rc < 0 ? page_status(rc) : 200, &f);
}

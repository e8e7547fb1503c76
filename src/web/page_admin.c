/*
 * page_admin.c — administration pages: users and organizations (list and
 * create forms) and the audit log (newest first, with a since filter).
 */
#include "auth/audit.h"
#include "auth/auth.h"
#include "auth/policy.h"
#include "base/err.h"
#include "store/db.h"
#include "web/api.h"
#include "web/handlers.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/web.h"
#include <string.h>

static void th(struct kk_buf *b, const char *label)
{
	KK_HTML_EL(b, "<th>", label, "</th>");
}

static void td(struct kk_buf *b, const char *text)
{
	KK_HTML_EL(b, "<td>", text, "</td>");
}

/* ---- users ---- */

static int user_tr(void *arg, const struct kk_user *u)
{
	struct kk_req *r = arg;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<tr>");
	td(b, u->email);
	td(b, u->name);
	td(b, kk_role_name(u->role));
	td(b, u->org_id ? u->org_name : "");
	td(b, u->disabled ? _("disabled") : _("active"));
	td(b, kk_page_time(r, u->created_at));
	KK_HTML(b, "</tr>");
	return 0;
}

static int org_option(void *arg, const struct kk_org *o)
{
	struct kk_req *r = arg;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<option");
	KK_HTML_ATTR(b, "value", kk_arena_printf(&r->arena, "%lld", (long long)o->id));
	KK_HTML_EL(b, ">", o->name, " (");
	kk_html_text(b, kk_org_kind_name(o->kind));
	KK_HTML(b, ")</option>");
	return 0;
}

static void label(struct kk_buf *b, const char *text)
{
	KK_HTML(b, "<label>");
	kk_html_text(b, text);
}

static int users_page(struct kk_req *r, int status, const char *kind, const char *notice)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, _("Users"));
	KK_HTML_EL(b, "<h1>", _("Users"), "</h1>");
	if (notice)
		kk_page_notice(r, kind, notice);
	KK_HTML(b, "<div class=\"table-wrap\"><table id=\"users\"><thead><tr>");
	th(b, _("Email"));
	th(b, _("Name"));
	th(b, _("Role"));
	th(b, _("Organization"));
	th(b, _("State"));
	th(b, _("Created"));
	KK_HTML(b, "</tr></thead><tbody>");
	int rc = kk_user_list(r->db, user_tr, r);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML_EL(
	    b, "</tbody></table></div><h2>", _("Add a user"),
	    "</h2><div class=\"card\"><form class=\"inline\" method=\"post\" action=\"/admin/users\">");
	kk_page_csrf_field(r);
	label(b, _("Email"));
	KK_HTML(b, "<input type=\"email\" name=\"email\" required></label>");
	label(b, _("Name"));
	KK_HTML(b, "<input type=\"text\" name=\"name\" maxlength=\"200\" required></label>");
	label(b, _("Role"));
	KK_HTML(b, "<select name=\"role\">");
	for (int i = KK_ROLE_PUBLIC + 1; i < KK_ROLE__COUNT; i++) {
		KK_HTML(b, "<option");
		KK_HTML_ATTR(b, "value", kk_role_name((enum kk_role)i));
		KK_HTML_EL(b, ">", kk_role_name((enum kk_role)i), "</option>");
	}
	KK_HTML(b, "</select></label>");
	label(b, _("Organization"));
	KK_HTML(b, "<select name=\"org\"><option value=\"\">—</option>");
	if ((rc = kk_org_list(r->db, org_option, r)) < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML(b, "</select></label>");
	label(b, _("Initial password (at least 12 characters)"));
	KK_HTML(b, "<input type=\"password\" name=\"password\" autocomplete=\"new-password\"></label>");
	kk_page_submit(r, _("Add user"));
	return kk_page_close(r, status);
}

int page_admin_users(struct kk_req *r)
{
	const char *done = kk_req_query(r, "done");
	return users_page(r, 200, "ok", done && !strcmp(done, "created") ? _("The user was added.") : NULL);
}

int page_admin_users_post(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_web_user_form f = {kk_req_form(r, "email"), kk_req_form(r, "name"), kk_req_form(r, "role"),
	                             kk_req_form(r, "org"), kk_req_form(r, "password")};
	struct kk_diag d;
	kk_diag_clear(&d);
	int64_t id = 0;
	int rc = kk_web_user_create(r, &f, &id, &d);
	if (rc == KK_EUNPROCESSABLE || rc == KK_EEXISTS)
		return users_page(r, kk_err_http(rc), "error", d.msg[0] ? d.msg : kk_err_msg(rc));
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	kk_resp_redirect(r, "/admin/users?done=created");
	return 0;
}

/* ---- organizations ---- */

static int org_tr(void *arg, const struct kk_org *o)
{
	struct kk_req *r = arg;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<tr>");
	td(b, o->name);
	td(b, kk_org_kind_name(o->kind));
	td(b, kk_page_time(r, o->created_at));
	KK_HTML(b, "</tr>");
	return 0;
}

static int orgs_page(struct kk_req *r, int status, const char *kind, const char *notice)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, _("Organizations"));
	KK_HTML_EL(b, "<h1>", _("Organizations"), "</h1>");
	if (notice)
		kk_page_notice(r, kind, notice);
	KK_HTML(b, "<div class=\"table-wrap\"><table id=\"orgs\"><thead><tr>");
	th(b, _("Name"));
	th(b, _("Kind"));
	th(b, _("Created"));
	KK_HTML(b, "</tr></thead><tbody>");
	int rc = kk_org_list(r->db, org_tr, r);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML_EL(b, "</tbody></table></div><h2>", _("Add an organization"),
	           "</h2><div class=\"card\"><form class=\"inline\" method=\"post\" action=\"/admin/orgs\">");
	kk_page_csrf_field(r);
	label(b, _("Name"));
	KK_HTML(b, "<input type=\"text\" name=\"name\" maxlength=\"200\" required></label>");
	label(b, _("Kind"));
	KK_HTML(b, "<select name=\"kind\">");
	for (int i = KK_ORG_NONE + 1; i < KK_ORG__COUNT; i++) {
		KK_HTML(b, "<option");
		KK_HTML_ATTR(b, "value", kk_org_kind_name((enum kk_org_kind)i));
		KK_HTML_EL(b, ">", kk_org_kind_name((enum kk_org_kind)i), "</option>");
	}
	KK_HTML_EL(b, "</select></label><button class=\"primary\" type=\"submit\">", _("Add organization"),
	           "</button></form></div>");
	return kk_page_close(r, status);
}

int page_admin_orgs(struct kk_req *r)
{
	const char *done = kk_req_query(r, "done");
	return orgs_page(r, 200, "ok",
	                 done && !strcmp(done, "created") ? _("The organization was added.") : NULL);
}

int page_admin_orgs_post(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_diag d;
	kk_diag_clear(&d);
	int64_t id = 0;
	int rc = kk_web_org_create(r, kk_req_form(r, "name"), kk_req_form(r, "kind"), &id, &d);
	if (rc == KK_EUNPROCESSABLE || rc == KK_EEXISTS)
		return orgs_page(r, kk_err_http(rc), "error", d.msg[0] ? d.msg : kk_err_msg(rc));
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	kk_resp_redirect(r, "/admin/orgs?done=created");
	return 0;
}

/* ---- audit log ---- */

static int audit_tr(void *arg, const struct kk_audit_entry *e)
{
	struct kk_req *r = arg;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<tr>");
	td(b, kk_page_time(r, e->at));
	td(b, e->actor_label);
	td(b, e->action);
	KK_HTML(b, "<td>");
	kk_html_text(b, e->object_type);
	if (*e->object_id) {
		KK_HTML(b, " ");
		kk_html_text(b, e->object_id);
	}
	KK_HTML(b, "</td>");
	td(b, e->summary);
	KK_HTML(b, "</tr>");
	return 0;
}

int page_admin_audit(struct kk_req *r)
{
	struct kk_audit_query q;
	if (!kk_req_db_or_reply(r) || kk_web_audit_query(r, &q) < 0)
		return KK_EINVAL;
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, _("Audit log"));
	KK_HTML_EL(b, "<h1>", _("Audit log"),
	           "</h1><div class=\"card\"><form class=\"inline\" method=\"get\" action=\"/admin/audit\">");
	label(b, _("Since"));
	KK_HTML(b, "<input type=\"date\" name=\"since\"");
	KK_HTML_ATTR(b, "value", kk_req_query(r, "since"));
	KK_HTML_EL(b, "></label><button class=\"primary\" type=\"submit\">", _("Show"),
	           "</button></form></div><div class=\"table-wrap\"><table id=\"audit\"><thead><tr>");
	th(b, _("Time"));
	th(b, _("Actor"));
	th(b, _("Action"));
	th(b, _("Object"));
	th(b, _("Summary"));
	KK_HTML(b, "</tr></thead><tbody>");
	int rc = kk_audit_list(r->db, &q, audit_tr, r);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	if (rc == 0) {
		KK_HTML_EL(b, "<tr><td colspan=\"5\" class=\"muted\">", _("No entries."), "</td></tr>");
	}
	KK_HTML(b, "</tbody></table></div>");
	return kk_page_close(r, 200);
}

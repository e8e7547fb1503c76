/*
 * page_layout.c — the frame every HTML page shares: head, top bar with
 * navigation (links only to what the policy lets the actor use), language
 * switch, notices, and the CSRF field of forms.
 */
#include "auth/policy.h"
#include "base/clock.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/web.h"
#include <string.h>

/* <link rel="alternate"> elements for the feeds of the /vulns pages, in the page's language. */
static void kk_web_feed_links(struct kk_req *r)
{
	struct kk_buf *b = &r->resp.body;
	static const struct {
		const char *kind, *ext, *type;
	} links[] = {{"new", "rdf", "application/rss+xml"},
	             {"updated", "rdf", "application/rss+xml"},
	             {"new", "atom", "application/atom+xml"},
	             {"updated", "atom", "application/atom+xml"}};
	for (size_t k = 0; k < sizeof links / sizeof links[0]; k++) {
		KK_HTML(b, "<link rel=\"alternate\"");
		KK_HTML_ATTR(b, "type", links[k].type);
		KK_HTML_ATTR(b, "title",
		             kk_arena_printf(&r->arena, "%s (%s)",
		                             _(!strcmp(links[k].kind, "new") ? "New vulnerabilities"
		                                                              : "Updated vulnerabilities"),
		                             !strcmp(links[k].ext, "rdf") ? "RSS" : "Atom"));
		KK_HTML_ATTR(b, "href", kk_arena_printf(&r->arena, "/feeds/%s.%s?lang=%s", links[k].kind, links[k].ext,
		                                       r->lang));
		KK_HTML(b, ">");
	}
}

void kk_page_open(struct kk_req *r, const char *title)
{
	struct kk_buf *b = &r->resp.body;
	kk_buf_reset(b);
	kk_resp_html(r, 200);
	KK_HTML(b, "<!doctype html>\n<html");
	KK_HTML_ATTR(b, "lang", r->lang);
	KK_HTML(b, "><head><meta charset=\"utf-8\">"
	           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	           "<title>");
	kk_html_text(b, title);
	KK_HTML(b, " — keikai</title>"
	           "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
	           "<link rel=\"stylesheet\" href=\"/static/style.css\">"
	           "<script src=\"/static/app.js\" defer></script>");
	if (r->path && !strncmp(r->path, "/vulns", 6))
		kk_web_feed_links(r); /* <link rel="alternate"> to the RSS and Atom feeds */
	KK_HTML(b, "</head><body><header class=\"top\"><div class=\"bar\"><a class=\"brand\" "
	           "href=\"/\">keikai</a><nav>");
	const struct kk_actor *a = &r->actor;
	if (kk_policy_allow(a, KK_ACT_REPORT_SUBMIT, NULL))
		KK_HTML_EL(b, "<a href=\"/report\" id=\"nav-report\">", _("Report a vulnerability"), "</a>");
	if (kk_policy_allow(a, KK_ACT_REPORT_TRIAGE, NULL))
		KK_HTML_EL(b, "<a href=\"/triage\" id=\"nav-triage\">", _("Report queue"), "</a>");
	if (kk_policy_allow(a, KK_ACT_WEBSITE_HANDLE, NULL))
		KK_HTML_EL(b, "<a href=\"/website\" id=\"nav-website\">", _("Website cases"), "</a>");
	else if (kk_actor_signed_in(a) && kk_policy_allow(a, KK_ACT_WEBSITE_OPERATE, NULL))
		KK_HTML_EL(b, "<a href=\"/website/portal\" id=\"nav-website\">", _("Website cases"), "</a>");
	if (kk_actor_signed_in(a) && kk_policy_allow(a, KK_ACT_CASE_READ, NULL))
		KK_HTML_EL(b, "<a href=\"/cases\" id=\"nav-cases\">", _("Cases"), "</a>");
	if (kk_actor_signed_in(a) && a->org_id && kk_policy_allow(a, KK_ACT_INFRA_PORTAL, NULL))
		KK_HTML_EL(b, "<a href=\"/infra\" id=\"nav-infra\">", _("Pre-notifications"), "</a>");
	KK_HTML_EL(b, "<a href=\"/jvn\" id=\"nav-jvn\">", _("Vulnerability advisories"), "</a>");
	if (kk_actor_signed_in(a) && kk_policy_allow(a, KK_ACT_ADVISORY_EDIT, NULL))
		KK_HTML_EL(b, "<a href=\"/advisories\" id=\"nav-advisories\">", _("Advisories"), "</a>");
	if (kk_actor_signed_in(a)) {
		if (kk_policy_allow(a, KK_ACT_USER_ADMIN, NULL)) {
			KK_HTML_EL(b, "<a href=\"/admin/users\">", _("Users"), "</a>");
		}
		if (kk_policy_allow(a, KK_ACT_ORG_ADMIN, NULL)) {
			KK_HTML_EL(b, "<a href=\"/admin/orgs\">", _("Organizations"), "</a>");
		}
		if (kk_policy_allow(a, KK_ACT_AUDIT_READ, NULL)) {
			KK_HTML_EL(b, "<a href=\"/admin/audit\">", _("Audit log"), "</a>");
		}
		if (kk_policy_allow(a, KK_ACT_SYNC_ADMIN, NULL))
			KK_HTML_EL(b, "<a href=\"/admin/sync\" id=\"nav-sync\">", _("Database sync"), "</a>");
		if (kk_policy_allow(a, KK_ACT_VENDOR_DIR_READ, NULL))
			KK_HTML_EL(b, "<a href=\"/vendors\" id=\"nav-vendors\">", _("Vendor directory"), "</a>");
		else if (a->org_kind == KK_ORG_VENDOR && kk_policy_allow(a, KK_ACT_VENDOR_PROFILE, NULL))
			KK_HTML_EL(b, "<a href=\"/vendor/profile\" id=\"nav-vendor-profile\">", _("Our vendor profile"), "</a>");
		KK_HTML_EL(b, "<a href=\"/account\" id=\"nav-account\">", _("My account"),
		           "</a><form method=\"post\" action=\"/logout\">");
		kk_page_csrf_field(r);
		KK_HTML_EL(b, "<button type=\"submit\" id=\"logout\">", _("Sign out"), "</button></form>");
	} else {
		KK_HTML_EL(b, "<a href=\"/login\">", _("Sign in"), "</a>");
	}
	KK_HTML(b, "<span class=\"lang\">");
	if (!strcmp(r->lang, "ja"))
		KK_HTML(b, "<a href=\"?lang=en\" lang=\"en\">English</a>");
	else
		KK_HTML(b, "<a href=\"?lang=ja\" lang=\"ja\">日本語</a>");
	KK_HTML(b, "</span></nav></div></header><main>");
}

int kk_page_close(struct kk_req *r, int status)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML_EL(b, "</main><footer>", _("keikai — vulnerability handling"), "</footer></body></html>\n");
	kk_resp_html(r, status);
	return kk_buf_error(b);
}

void kk_page_notice(struct kk_req *r, const char *kind, const char *text)
{
	struct kk_buf *b = &r->resp.body;
	if (!strcmp(kind, "error"))
		KK_HTML(b, "<p class=\"notice error\" role=\"alert\">");
	else
		KK_HTML(b, "<p class=\"notice ok\" role=\"status\">");
	kk_html_text(b, text);
	KK_HTML(b, "</p>");
}

void kk_page_submit(struct kk_req *r, const char *label)
{
	KK_HTML_EL(&r->resp.body, "<button class=\"primary\" type=\"submit\">", label,
	           "</button></form></div>");
}

void kk_page_csrf_field(struct kk_req *r)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<input type=\"hidden\" name=\"csrf\"");
	KK_HTML_ATTR(b, "value", r->actor.csrf);
	KK_HTML(b, ">");
}

const char *kk_page_time(struct kk_req *r, int64_t t)
{
	if (!t)
		return "";
	char s[40];
	kk_time_jst(t, s, sizeof(s));
	return kk_arena_strdup(&r->arena, s);
}

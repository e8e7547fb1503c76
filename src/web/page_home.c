/*
 * page_home.c — the public portal's home page: the latest advisories as the
 * three JVN lists (JVN#, JVNVU#, JVNTA), a search box for the vulnerability
 * database, and the ways in: the report form, the unreachable-vendor list,
 * the feeds and the statistics; while a sync source brings records in (the
 * demo's first import), its progress (page_sync.c). Only published
 * revisions whose instant has come are listed (kk_adv_list), so nothing
 * embargoed appears here.
 */
#include "auth/auth.h"
#include "publish/advisory.h"
#include "web/handlers.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/page_advisory.h"
#include "web/page_sync.h"
#include "web/web.h"
#include <string.h>

#define HOME_LATEST 10 /* advisories per list */

/* <li><a href="href">text</a></li>; href must be a literal. */
#define LINK_ITEM(b, id, href, text) KK_HTML_EL((b), "<li id=\"" id "\"><a href=\"" href "\">", (text), "</a></li>")

int page_home(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_buf *b = &r->resp.body;
	bool en = !strcmp(r->lang, "en");
	kk_page_open(r, _("Home"));
	KK_HTML_EL(b, "<h1>", _("Vulnerability handling"), "</h1><div class=\"card\"><p>");
	kk_html_text(
	    b, _("keikai receives vulnerability reports, coordinates with vendors and website operators, "
	         "and publishes advisories."));
	KK_HTML(b, "</p>");
	if (kk_actor_signed_in(&r->actor)) {
		KK_HTML(b, "<p id=\"whoami\">");
		kk_html_textf(b, _("Signed in as %s (%s)."), r->actor.name, r->actor.email);
		KK_HTML(b, "</p>");
	} else {
		KK_HTML_EL(b, "<p><a href=\"/login\">", _("Sign in"), "</a></p>");
	}
	/* search the vulnerability database */
	KK_HTML(b, "<form class=\"search\" method=\"get\" action=\"/vulns\" id=\"home-search\" role=\"search\">"
	           "<label for=\"home-q\">");
	kk_html_text(b, _("Search vulnerabilities"));
	KK_HTML(b, "</label> <input type=\"search\" id=\"home-q\" name=\"q\"");
	KK_HTML_ATTR(b, "placeholder", _("CVE, JVNDB, product, keyword"));
	KK_HTML_EL(b, "> <button type=\"submit\">", _("Search"), "</button></form>");
	KK_HTML(b, "<ul class=\"links\" id=\"home-links\">");
	LINK_ITEM(b, "link-report", "/report", _("Report a vulnerability"));
	LINK_ITEM(b, "link-advisories", "/jvn", _("All advisories"));
	LINK_ITEM(b, "link-vulns", "/vulns", _("Vulnerability database"));
	LINK_ITEM(b, "link-unreachable", "/unreachable", _("Unreachable vendors"));
	LINK_ITEM(b, "link-stats", "/stats", _("Statistics"));
	if (en) {
		LINK_ITEM(b, "link-feed-rss", "/feeds/new.rdf?lang=en", _("New records (JVNRSS feed)"));
		LINK_ITEM(b, "link-feed-atom", "/feeds/new.atom?lang=en", _("New records (Atom feed)"));
	} else {
		LINK_ITEM(b, "link-feed-rss", "/feeds/new.rdf", _("New records (JVNRSS feed)"));
		LINK_ITEM(b, "link-feed-atom", "/feeds/new.atom", _("New records (Atom feed)"));
	}
	KK_HTML(b, "</ul></div>");
	/* a source bringing records in (the demo's first import): how far it is */
	kk_page_sync_progress(r);
	/* the latest advisories, one list per identifier kind */
	KK_HTML_EL(b, "<h2>", _("Latest advisories"), "</h2>");
	for (size_t i = 0; i < 3; i++) {
		const char *kind = kk_page_advisory_kinds[i][0];
		KK_HTML(b, "<section class=\"latest\"");
		KK_HTML_ATTR(b, "id", kk_arena_printf(&r->arena, "latest-%s", kind));
		KK_HTML_EL(b, "><h3>", _(kk_page_advisory_kinds[i][2]), "</h3>");
		kk_page_advisory_list(r, kind, false, HOME_LATEST);
		KK_HTML(b, "<p class=\"more\"><a");
		KK_HTML_ATTR(b, "href", kk_arena_printf(&r->arena, "/jvn?kind=%s", kind));
		KK_HTML_EL(b, ">", _("More"), "</a></p></section>");
	}
	return kk_page_close(r, 200);
}

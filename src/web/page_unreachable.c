/*
 * page_unreachable.c — the public list of unreachable vendors (連絡不能開発者
 * 一覧, 004 2.2) in Japanese and English: each vendor with the date it was
 * listed, its products once the delay has passed, and a request to anyone
 * who can reach it to get in touch.
 */
#include "base/buf.h"
#include "coord/directory.h"
#include "store/db.h"
#include "web/handlers.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/web.h"
#include <string.h>

static int unreachable_tr(void *arg, const struct kk_unreachable *u)
{
	struct kk_req *r = arg;
	struct kk_buf *b = &r->resp.body;
	const char *name = !strcmp(r->lang, "ja") ? u->name_ja : u->name_en;
	KK_HTML(b, "<tr>");
	KK_HTML_EL(b, "<td>", name[0] ? name : u->name, "</td>");
	KK_HTML_EL(b, "<td>", kk_page_time(r, u->listed_at), "</td><td>");
	for (int i = 0; i < u->nproducts; i++) {
		if (i)
			KK_HTML(b, "<br>");
		kk_html_text(b, u->products[i].name);
		if (u->products[i].version[0]) {
			KK_HTML(b, " ");
			kk_html_text(b, u->products[i].version);
		}
	}
	KK_HTML(b, "</td></tr>");
	return 0;
}

int page_unreachable(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, _("Unreachable vendors"));
	KK_HTML_EL(b, "<h1>", _("Unreachable vendors"), "</h1>");
	KK_HTML_EL(b, "<p id=\"unreachable-request\">",
		   _("We could not reach the vendors below about vulnerabilities in their products. If you know how to "
		     "contact one of them, please get in touch with us."),
		   "");
	char contact[320];
	kk_unreachable_contact(r->db, contact, sizeof(contact));
	if (contact[0]) {
		KK_HTML(b, " <a id=\"unreachable-contact\"");
		KK_HTML_ATTR(b, "href",
			     strncmp(contact, "https://", 8) ? kk_arena_printf(&r->arena, "mailto:%s", contact) : contact);
		KK_HTML_EL(b, ">", contact, "</a>");
	}
	KK_HTML(b, "</p>");
	KK_HTML(b, "<p class=\"muted\">");
	kk_html_textf(b, _("The product names and versions are added when a vendor has not answered for %d months after "
			   "being listed."),
		      kk_unreachable_delay_months(r->db));
	KK_HTML(b, "</p>");
	KK_HTML(b, "<div class=\"table-wrap\"><table id=\"unreachable\"><thead><tr>");
	KK_HTML_EL(b, "<th>", _("Vendor"), "</th>");
	KK_HTML_EL(b, "<th>", _("Listed"), "</th>");
	KK_HTML_EL(b, "<th>", _("Products and versions"), "</th>");
	KK_HTML(b, "</tr></thead><tbody>");
	int rc = kk_unreachable_list(r->db, unreachable_tr, r);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML(b, "</tbody></table></div>");
	KK_HTML_EL(b, "<p class=\"muted\"><a href=\"/api/v1/unreachable\">", _("This list as JSON"), "</a></p>");
	return kk_page_close(r, 200);
}

/*
 * page_watch.c — the watchlists' pages (the filtered collection,
 * watch/watchlist.h) in Japanese and English: the actor's watchlists with
 * what is new since the last visit, and one watchlist's records told,
 * the new ones marked; opening a watchlist marks the visit.
 */
#include "base/buf.h"
#include "base/clock.h"
#include "store/db.h"
#include "vulndb/search.h"
#include "watch/inventory.h"
#include "watch/sheet.h"
#include "watch/watchlist.h"
#include "web/handlers.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/web.h"
#include <string.h>

static const char *mail_label(const char *mail)
{
	if (!strcmp(mail, "now"))
		return _("at once");
	if (!strcmp(mail, "daily"))
		return _("daily digest");
	return _("off");
}

static int wl_tr(void *arg, const struct kk_watchlist *w)
{
	struct kk_req *r = arg;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<tr><td><a");
	KK_HTML_ATTR(b, "href", kk_arena_printf(&r->arena, "/watchlists/%lld", (long long)w->id));
	KK_HTML_EL(b, ">", w->name, "</a></td>");
	KK_HTML_EL(b, "<td>", w->inventory, "</td>");
	KK_HTML_EL(b, "<td>", kk_search_severity_name(w->min_severity), "</td>");
	KK_HTML_EL(b, "<td>", mail_label(w->mail), "</td><td>");
	kk_html_int(b, w->hits);
	KK_HTML(b, "</td><td class=\"watch-new\">");
	if (w->unseen)
		kk_html_int(b, w->unseen);
	KK_HTML(b, "</td></tr>");
	return 0;
}

int page_watchlists(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, _("Watchlists"));
	KK_HTML_EL(b, "<h1>", _("Watchlists"), "</h1>");
	KK_HTML_EL(b, "<p class=\"muted\">",
	           _("A watchlist tells you of new and updated vulnerability records that affect an "
	             "inventory's software, "
	             "by mail, a private feed or a webhook."),
	           "</p>");
	KK_HTML(b, "<div class=\"table-wrap\"><table id=\"watchlists\"><thead><tr>");
	KK_HTML_EL(b, "<th>", _("Name"), "</th>");
	KK_HTML_EL(b, "<th>", _("Inventory"), "</th>");
	KK_HTML_EL(b, "<th>", _("Minimum severity"), "</th>");
	KK_HTML_EL(b, "<th>", _("Mail"), "</th>");
	KK_HTML_EL(b, "<th>", _("Records told"), "</th>");
	KK_HTML_EL(b, "<th>", _("New since your last visit"), "</th>");
	KK_HTML(b, "</tr></thead><tbody>");
	int rc = kk_wl_list(r->db, &r->actor, wl_tr, r);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML(b, "</tbody></table></div>");
	KK_HTML_EL(b, "<p class=\"muted\"><a href=\"/api/v1/watchlists\">", _("This list as JSON"),
	           "</a></p>");
	return kk_page_close(r, 200);
}

static int hit_tr(void *arg, const struct kk_wl_hit *h)
{
	struct kk_req *r = arg;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<tr");
	if (h->unseen)
		KK_HTML(b, " class=\"watch-new\"");
	KK_HTML(b, "><td>");
	if (h->unseen)
		KK_HTML_EL(b, "<strong class=\"badge\">", _("New"), "</strong> ");
	KK_HTML(b, "<a");
	KK_HTML_ATTR(b, "href", kk_arena_printf(&r->arena, "/vulns/%s", h->jvndb));
	KK_HTML_EL(b, ">", h->jvndb, "</a>");
	if (h->cve[0])
		KK_HTML_EL(b, " ", h->cve, "");
	KK_HTML_EL(b, "</td><td>", h->title, "</td>");
	KK_HTML_EL(b, "<td>", kk_search_severity_name(h->severity), "");
	if (h->kev)
		KK_HTML(b, " KEV");
	KK_HTML_EL(b, "</td><td>", h->item, "</td>");
	KK_HTML_EL(b, "<td>", kk_page_time(r, h->at), "");
	if (h->updated)
		KK_HTML_EL(b, " (", _("updated"), ")");
	KK_HTML(b, "</td></tr>");
	return 0;
}

int page_watchlist(struct kk_req *r)
{
	int64_t id;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	if (kk_req_id_or_reply(r, "id", &id) < 0)
		return KK_ENOTFOUND;
	struct kk_watchlist w;
	int rc = kk_wl_get(r->db, &r->actor, id, &w);
	if (rc)
		return rc == KK_ENOTFOUND ? kk_req_fail(r, rc, NULL, "%s", _("no such watchlist"))
		                          : kk_req_fail(r, rc, NULL, NULL);
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, w.name);
	KK_HTML_EL(b, "<h1>", w.name, "</h1>");
	KK_HTML(b, "<dl class=\"facts\">");
	KK_HTML_EL(b, "<dt>", _("Inventory"), "</dt>");
	KK_HTML_EL(b, "<dd>", w.inventory, "</dd>");
	KK_HTML_EL(b, "<dt>", _("Minimum severity"), "</dt>");
	KK_HTML_EL(b, "<dd>", kk_search_severity_name(w.min_severity), "</dd>");
	if (w.keywords[0]) {
		KK_HTML_EL(b, "<dt>", _("Keywords"), "</dt>");
		KK_HTML_EL(b, "<dd>", w.keywords, "</dd>");
	}
	if (w.cwe[0]) {
		KK_HTML_EL(b, "<dt>", "CWE", "</dt>");
		KK_HTML_EL(b, "<dd>", w.cwe, "</dd>");
	}
	if (w.kev_only)
		KK_HTML_EL(b, "<dt>KEV</dt><dd>", _("only records in the KEV catalog"), "</dd>");
	KK_HTML_EL(b, "<dt>", _("Mail"), "</dt>");
	KK_HTML_EL(b, "<dd>", mail_label(w.mail), "</dd>");
	KK_HTML(b, "</dl>");
	KK_HTML(b, "<p id=\"watch-new-count\">");
	kk_html_textf(b, _("%ld new since your last visit"), w.unseen);
	KK_HTML(b, "</p>");
	KK_HTML(b, "<div class=\"table-wrap\"><table id=\"watch-records\"><thead><tr>");
	KK_HTML_EL(b, "<th>", _("Record"), "</th>");
	KK_HTML_EL(b, "<th>", _("Title"), "</th>");
	KK_HTML_EL(b, "<th>", _("Severity"), "</th>");
	KK_HTML_EL(b, "<th>", _("Item"), "</th>");
	KK_HTML_EL(b, "<th>", _("Told"), "</th>");
	KK_HTML(b, "</tr></thead><tbody>");
	if ((rc = kk_wl_hits(r->db, &r->actor, id, 500, r->lang, hit_tr, r)) < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML(b, "</tbody></table></div>");
	KK_HTML(b, "<p class=\"muted\"><a");
	KK_HTML_ATTR(b, "href", kk_arena_printf(&r->arena, "/api/v1/watchlists/%lld", (long long)id));
	KK_HTML_EL(b, ">", _("This list as JSON"), "</a></p>");
	/* this visit: what is listed now is no longer new next time */
	if ((rc = kk_wl_seen(r->db, &r->actor, id, kk_clock_now())) < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	return kk_page_close(r, 200);
}

static int inv_tr(void *arg, const struct kk_inventory *v)
{
	struct kk_req *r = arg;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<tr><td><a");
	KK_HTML_ATTR(b, "href", kk_arena_printf(&r->arena, "/inventories/%lld", (long long)v->id));
	KK_HTML_EL(b, ">", v->name, "</a></td>");
	KK_HTML_EL(b, "<td>", v->org_id ? v->org_name : _("personal"), "</td><td>");
	kk_html_int(b, v->items);
	KK_HTML(b, "</td></tr>");
	return 0;
}

int page_inventories(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, _("Inventories"));
	KK_HTML_EL(b, "<h1>", _("Inventories"), "</h1>");
	KK_HTML(b, "<div class=\"table-wrap\"><table id=\"inventories\"><thead><tr>");
	KK_HTML_EL(b, "<th>", _("Name"), "</th>");
	KK_HTML_EL(b, "<th>", _("Owner"), "</th>");
	KK_HTML_EL(b, "<th>", _("Items"), "</th>");
	KK_HTML(b, "</tr></thead><tbody>");
	int rc = kk_inv_list(r->db, &r->actor, inv_tr, r);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML(b, "</tbody></table></div>");
	KK_HTML_EL(b, "<p><a href=\"/watchlists\">", _("Watchlists"), "</a></p>");
	return kk_page_close(r, 200);
}

static int sheet_tr(void *arg, const struct kk_sheet_row *s)
{
	struct kk_req *r = arg;
	struct kk_buf *b = &r->resp.body;
	KK_HTML_EL(b, "<tr><td>", s->item, "</td>");
	KK_HTML_EL(b, "<td>", s->version, "</td>");
	KK_HTML_EL(b, "<td>", s->owner, "</td>");
	KK_HTML_EL(b, "<td>", s->due, "</td><td>");
	if (s->m) {
		KK_HTML(b, "<a");
		KK_HTML_ATTR(b, "href", kk_arena_printf(&r->arena, "/vulns/%s", s->m->rec.jvndb));
		KK_HTML_EL(b, ">", s->m->rec.jvndb, "</a>");
		if (s->m->rec.cve[0])
			KK_HTML_EL(b, " ", s->m->rec.cve, "");
	}
	KK_HTML_EL(b, "</td><td>", s->m ? s->m->rec.title : "", "</td>");
	KK_HTML_EL(b, "<td>", s->m ? kk_search_severity_name(s->m->rec.severity) : "", "");
	if (s->m && s->m->rec.kev)
		KK_HTML(b, " KEV");
	KK_HTML_EL(b, "</td><td>", s->state, "</td>");
	KK_HTML_EL(b, "<td>", s->m && s->m->fixed ? s->m->fixed : "", "</td></tr>");
	return 0;
}

int page_inventory(struct kk_req *r)
{
	int64_t id;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	if (kk_req_id_or_reply(r, "id", &id) < 0)
		return KK_ENOTFOUND;
	struct kk_inventory v;
	int rc = kk_inv_get(r->db, &r->actor, id, &v);
	if (rc)
		return rc == KK_ENOTFOUND ? kk_req_fail(r, rc, NULL, "%s", _("no such inventory"))
		                          : kk_req_fail(r, rc, NULL, NULL);
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, v.name);
	KK_HTML_EL(b, "<h1>", v.name, "</h1>");
	KK_HTML_EL(b, "<h2>", _("Software vulnerability information management sheet"), "</h2>");
	KK_HTML(b, "<div class=\"table-wrap\"><table id=\"sheet\"><thead><tr>");
	KK_HTML_EL(b, "<th>", _("Product"), "</th>");
	KK_HTML_EL(b, "<th>", _("Version"), "</th>");
	KK_HTML_EL(b, "<th>", _("Owner"), "</th>");
	KK_HTML_EL(b, "<th>", _("Due"), "</th>");
	KK_HTML_EL(b, "<th>", _("Record"), "</th>");
	KK_HTML_EL(b, "<th>", _("Title"), "</th>");
	KK_HTML_EL(b, "<th>", _("Severity"), "</th>");
	KK_HTML_EL(b, "<th>", _("State"), "</th>");
	KK_HTML_EL(b, "<th>", _("Fixed in"), "</th>");
	KK_HTML(b, "</tr></thead><tbody>");
	if ((rc = kk_sheet_rows(r->db, &r->actor, id, r->lang, &r->arena, sheet_tr, r)) < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML(b, "</tbody></table></div>");
	KK_HTML(b, "<p><a id=\"sheet-csv\"");
	KK_HTML_ATTR(
	    b, "href",
	    kk_arena_printf(&r->arena, "/api/v1/inventories/%lld/sheet?lang=%s", (long long)id, r->lang));
	KK_HTML_EL(b, ">", _("This sheet as CSV"), "</a></p>");
	return kk_page_close(r, 200);
}

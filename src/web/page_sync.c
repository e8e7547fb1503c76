/*
 * page_sync.c — how the vulnerability database keeps itself current, for
 * people (sync/sync.h): the admin page /admin/sync (every source: state,
 * last success, next run, cursor, the last run's and the last day's
 * counts, the last error, the progress of a run), and the progress box the
 * home page shows while a source is bringing records in (the demo's first
 * import through the `local` source, a long first NVD run). The box shows
 * only the source's name, its description and how far it is: nothing an
 * anonymous visitor may not see. Both read kk_sync_status_each, the one
 * reader of the status (`keikai sync --status` and /api/v1/admin/sync too).
 */
#include "sync/sync.h"
#include "web/handlers.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/page_sync.h"
#include "web/web.h"
#include <string.h>

static void th(struct kk_buf *b, const char *label)
{
	KK_HTML_EL(b, "<th>", label, "</th>");
}

static bool in_progress(const struct kk_sync_status *s)
{
	return s->running && !strcmp(s->run_status, "running");
}

/* <progress> and "N %" for a run with a known total, else what is done. */
static void bar(struct kk_req *r, const struct kk_sync_status *s)
{
	struct kk_buf *b = &r->resp.body;
	if (s->total > 0) {
		long done = s->done > s->total ? s->total : s->done;
		int pct = (int)((double)done * 100.0 / (double)s->total);
		KK_HTML(b, "<progress max=\"100\"");
		KK_HTML_ATTR(b, "value", kk_arena_printf(&r->arena, "%d", pct));
		KK_HTML(b, "></progress> <span class=\"pct\">");
		kk_html_textf(b, "%d %%", pct);
		KK_HTML(b, "</span>");
	} else {
		KK_HTML(b, "<progress></progress>");
	}
}

static void counts_text(struct kk_req *r, const struct kk_sync_counts *c)
{
	kk_html_textf(&r->resp.body, _("%ld added, %ld updated, %ld unchanged, %ld withdrawn, %ld skipped"), c->added,
	              c->updated, c->unchanged, c->withdrawn, c->skipped);
}

/* ---- the home page's box ---- */

struct home {
	struct kk_req *r;
	int shown;
};

static int home_one(void *arg, const struct kk_sync_status *s)
{
	struct home *h = arg;
	struct kk_req *r = h->r;
	struct kk_buf *b = &r->resp.body;
	if (!in_progress(s))
		return 0;
	if (!h->shown++) {
		KK_HTML_EL(b, "<section class=\"card sync-progress\" id=\"sync-progress\" aria-live=\"polite\"><h2>",
		           _("The vulnerability database is being updated"), "</h2><p>");
		kk_html_text(b, _("Records appear as they are committed; searches and feeds see them at once."));
		KK_HTML(b, "</p><ul>");
	}
	KK_HTML(b, "<li");
	KK_HTML_ATTR(b, "id", kk_arena_printf(&r->arena, "sync-progress-%s", s->name));
	KK_HTML_EL(b, "><strong>", s->name, "</strong> ");
	kk_html_text(b, s->what);
	KK_HTML(b, "<br>");
	bar(r, s);
	KK_HTML(b, " <span class=\"muted\">");
	kk_html_textf(b, _("%ld records so far"), s->last.added + s->last.updated);
	KK_HTML(b, "</span></li>");
	return 0;
}

int kk_page_sync_progress(struct kk_req *r)
{
	struct home h = {r, 0};
	int rc = kk_sync_status_each(r->db, home_one, &h);
	if (h.shown)
		KK_HTML(&r->resp.body, "</ul></section>");
	return rc < 0 ? rc : h.shown;
}

/* ---- /admin/sync ---- */

static int admin_row(void *arg, const struct kk_sync_status *s)
{
	struct kk_req *r = arg;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<tr");
	KK_HTML_ATTR(b, "id", kk_arena_printf(&r->arena, "sync-%s", s->name));
	KK_HTML_EL(b, "><th scope=\"row\">", s->name, "<br><span class=\"muted\">");
	kk_html_text(b, s->what);
	KK_HTML(b, "</span></th><td class=\"state\">");
	kk_html_text(b, s->enabled ? _("enabled") : _("disabled"));
	if (s->running)
		KK_HTML_EL(b, " <strong class=\"running\">", _("running"), "</strong>");
	KK_HTML(b, "<br><span class=\"muted\">");
	kk_html_text(b, s->base_url);
	KK_HTML(b, "<br>");
	kk_html_textf(b, _("every %d min"), s->interval_min);
	if (s->options[0]) {
		KK_HTML(b, "<br>");
		kk_html_text(b, s->options);
	}
	KK_HTML_EL(b, "</span></td><td class=\"last-success\">", kk_page_time(r, s->last_success_at),
	           "</td><td class=\"next-run\">");
	kk_html_text(b, s->enabled ? kk_page_time(r, s->next_run_at) : "-");
	KK_HTML(b, "</td><td class=\"cursor\"><code>");
	kk_html_text(b, s->cursor[0] ? s->cursor : "-");
	KK_HTML(b, "</code></td><td class=\"last-run\">");
	if (s->run_status[0]) {
		KK_HTML_EL(b, "<span class=\"run-status\">", s->run_status, "</span> ");
		kk_html_text(b, kk_page_time(r, s->last_run_at));
		KK_HTML(b, "<br>");
		kk_html_textf(b, _("%ld fetches (%ld not modified)"), s->last.fetches, s->last.not_modified);
		KK_HTML(b, "<br>");
		counts_text(r, &s->last);
		if (in_progress(s)) {
			KK_HTML(b, "<br>");
			bar(r, s);
		}
	} else {
		kk_html_text(b, _("never"));
	}
	KK_HTML(b, "</td><td class=\"last-day\">");
	counts_text(r, &s->day);
	KK_HTML(b, "</td><td class=\"totals\">");
	kk_html_textf(b, _("%ld fetches, %ld records, %ld errors"), s->fetches, s->records, s->errors);
	KK_HTML(b, "</td><td class=\"last-error\">");
	if (s->last_error[0]) {
		kk_html_text(b, kk_page_time(r, s->last_error_at));
		KK_HTML(b, "<br>");
	}
	kk_html_text(b, s->last_error[0] ? s->last_error : "-");
	KK_HTML(b, "</td></tr>");
	return 0;
}

int page_admin_sync(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, _("Database sync"));
	KK_HTML_EL(b, "<h1>", _("Database sync"), "</h1><div class=\"card\"><p>");
	kk_html_text(b, _("Each source brings in what changed upstream since its cursor; the server runs the enabled "
	                  "ones at their interval. Turn one on with: keikai sync --set nvd --enable (also kev, osv; "
	                  "KEIKAI_NVD_API_KEY for the NVD's higher rate)."));
	KK_HTML(b, "</p></div><div class=\"table-wrap\"><table id=\"sync\"><thead><tr>");
	th(b, _("Source"));
	th(b, _("State"));
	th(b, _("Last success"));
	th(b, _("Next run"));
	th(b, _("Cursor"));
	th(b, _("Last run"));
	th(b, _("Last 24 hours"));
	th(b, _("Totals"));
	th(b, _("Last error"));
	KK_HTML(b, "</tr></thead><tbody>");
	int rc = kk_sync_status_each(r->db, admin_row, r);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML(b, "</tbody></table></div>");
	return kk_page_close(r, 200);
}

/*
 * page_stats.c — the public statistics (publish/stats.h) in Japanese and
 * English: totals, bar charts per quarter drawn as inline SVG through the
 * HTML builder (no script), the per-quarter tables, and the same figures as
 * CSV (/stats.csv) and JSON (/api/v1/stats). Only aggregates of what is
 * public: an advisory counts from its publication instant on.
 */
#include "base/clock.h"
#include "publish/stats.h"
#include "web/api.h"
#include "web/handlers.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/web.h"
#include <stdio.h>
#include <string.h>

#define CHART_QUARTERS 12 /* the charts show the most recent quarters; the tables all of them */

/* Computes the figures as of now, or answers the error and returns < 0. */
static int compute(struct kk_req *r, struct kk_stats *s)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_stats_compute(db, kk_clock_now(), s, &d);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, "%s", d.msg[0] ? d.msg : kk_err_msg(rc));
	/* figures change at an advisory's instant: caches ask again each time */
	kk_resp_header(r, "Cache-Control", "no-cache");
	return 0;
}

int api_stats(struct kk_req *r)
{
	struct kk_stats s;
	int rc = compute(r, &s);
	if (rc < 0)
		return rc;
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_stats_json(&j, &s);
	kk_stats_release(&s);
	return kk_api_done(r, &j);
}

int page_stats_csv(struct kk_req *r)
{
	struct kk_stats s;
	int rc = compute(r, &s);
	if (rc < 0)
		return rc;
	rc = kk_stats_csv(&r->resp.body, &s);
	kk_stats_release(&s);
	if (rc)
		return kk_req_fail(r, rc, NULL, NULL);
	r->resp.status = 200;
	r->resp.type = "text/csv; charset=utf-8";
	kk_resp_header(r, "Content-Disposition", "attachment; filename=\"keikai-statistics.csv\"");
	return 0;
}

/* ---- charts ------------------------------------------------------------------------ */

typedef long (*series_fn)(const struct kk_stats_quarter *q, int k);

static long received(const struct kk_stats_quarter *q, int k)
{
	return q->received[k];
}

static long adv_total(const struct kk_stats_quarter *q, int k)
{
	return q->adv_total[k];
}

static long vendors(const struct kk_stats_quarter *q, int k)
{
	return k ? q->unreachable : q->vendors;
}

static const char *num(struct kk_req *r, long v)
{
	return kk_arena_printf(&r->arena, "%ld", v);
}

/*
 * A bar chart of the last CHART_QUARTERS quarters: nser bars per quarter
 * (classes s0, s1, s2), a scale of 0, half and the largest value, each bar
 * with a <title> naming its figure, and a legend.
 */
static void bar_chart(struct kk_req *r, const char *id, const char *title, const struct kk_stats *s, int nser,
		      const char *const names[], series_fn val)
{
	struct kk_buf *b = &r->resp.body;
	size_t from = s->n > CHART_QUARTERS ? s->n - CHART_QUARTERS : 0, nq = s->n - from;
	long max = 0;
	for (size_t i = from; i < s->n; i++)
		for (int k = 0; k < nser; k++)
			if (val(&s->quarters[i], k) > max)
				max = val(&s->quarters[i], k);
	long top = max < 4 ? 4 : max; /* the scale's top: at least 4, so small counts stay readable */
	const int bar = 14, gap = 16, left = 44, plot_h = 160, top_pad = 10, bottom = 40;
	int group = nser * bar + gap, width = left + (int)nq * group + 10, height = top_pad + plot_h + bottom;
	KK_HTML(b, "<figure class=\"chart\"");
	KK_HTML_ATTR(b, "id", id);
	KK_HTML(b, "><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"");
	KK_HTML_ATTR(b, "aria-label", title);
	KK_HTML_ATTR(b, "viewBox", kk_arena_printf(&r->arena, "0 0 %d %d", width, height));
	KK_HTML_ATTR(b, "width", num(r, width));
	KK_HTML_ATTR(b, "height", num(r, height));
	KK_HTML_EL(b, "><title>", title, "</title>");
	/* the scale */
	for (int t = 0; t <= 2; t++) {
		long v = top * t / 2;
		int y = top_pad + plot_h - (int)(plot_h * v / top);
		KK_HTML(b, "<line class=\"grid\"");
		KK_HTML_ATTR(b, "x1", num(r, left));
		KK_HTML_ATTR(b, "x2", num(r, width - 5));
		KK_HTML_ATTR(b, "y1", num(r, y));
		KK_HTML_ATTR(b, "y2", num(r, y));
		KK_HTML(b, "/><text class=\"scale\" text-anchor=\"end\"");
		KK_HTML_ATTR(b, "x", num(r, left - 6));
		KK_HTML_ATTR(b, "y", num(r, y + 4));
		KK_HTML_EL(b, ">", num(r, v), "</text>");
	}
	for (size_t i = 0; i < nq; i++) {
		const struct kk_stats_quarter *q = &s->quarters[from + i];
		char label[16];
		kk_stats_quarter_label(q, label, sizeof(label));
		int x0 = left + (int)i * group + gap / 2;
		for (int k = 0; k < nser; k++) {
			long v = val(q, k);
			int h = (int)(plot_h * v / top);
			KK_HTML(b, "<rect");
			KK_HTML_ATTR(b, "class", kk_arena_printf(&r->arena, "bar s%d", k));
			KK_HTML_ATTR(b, "x", num(r, x0 + k * bar));
			KK_HTML_ATTR(b, "y", num(r, top_pad + plot_h - h));
			KK_HTML_ATTR(b, "width", num(r, bar - 2));
			KK_HTML_ATTR(b, "height", num(r, h));
			KK_HTML_ATTR(b, "data-value", num(r, v));
			KK_HTML(b, "><title>");
			kk_html_textf(b, "%s %s: %ld", label, names[k], v);
			KK_HTML(b, "</title></rect>");
		}
		KK_HTML(b, "<text class=\"label\" text-anchor=\"middle\"");
		KK_HTML_ATTR(b, "x", num(r, x0 + nser * bar / 2));
		KK_HTML_ATTR(b, "y", num(r, top_pad + plot_h + 16));
		KK_HTML_EL(b, ">", label, "</text>");
	}
	KK_HTML(b, "</svg><figcaption>");
	kk_html_text(b, title);
	for (int k = 0; k < nser; k++) {
		KK_HTML(b, " <span");
		KK_HTML_ATTR(b, "class", kk_arena_printf(&r->arena, "key s%d", k));
		KK_HTML_EL(b, ">", names[k], "</span>");
	}
	KK_HTML(b, "</figcaption></figure>");
}

/* ---- the page ---------------------------------------------------------------------- */

static void dd_count(struct kk_buf *b, const char *term, const char *id, long v)
{
	KK_HTML_EL(b, "<dt>", term, "</dt><dd");
	KK_HTML_ATTR(b, "id", id);
	KK_HTML(b, ">");
	kk_html_int(b, v);
	KK_HTML(b, "</dd>");
}

static void dd_median(struct kk_req *r, const char *term, const char *id, double days, long measured)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML_EL(b, "<dt>", term, "</dt><dd");
	KK_HTML_ATTR(b, "id", id);
	KK_HTML(b, ">");
	if (days < 0)
		kk_html_text(b, _("not measured yet"));
	else
		kk_html_textf(b, _("%.1f days (%ld measured)"), days, measured);
	KK_HTML(b, "</dd>");
}

/* <td class="cls">v</td>; cls must be a literal. */
#define TD(b, cls, v)                                                                                        \
	do {                                                                                                 \
		KK_HTML((b), "<td class=\"" cls "\">");                                                       \
		kk_html_int((b), (v));                                                                       \
		KK_HTML((b), "</td>");                                                                       \
	} while (0)

static void th(struct kk_buf *b, const char *text)
{
	KK_HTML_EL(b, "<th>", text, "</th>");
}

static void quarter_th(struct kk_req *r, const struct kk_stats_quarter *q)
{
	struct kk_buf *b = &r->resp.body;
	char label[16], first[11], last[11];
	kk_stats_quarter_label(q, label, sizeof(label));
	kk_stats_quarter_days(q, first, last);
	KK_HTML(b, "<tr");
	KK_HTML_ATTR(b, "id", kk_arena_printf(&r->arena, "q-%s", label));
	KK_HTML_EL(b, "><th scope=\"row\">", label, "<br><span class=\"muted\">");
	kk_html_textf(b, "%s – %s", first, last);
	KK_HTML(b, "</span></th>");
}

static void reports_table(struct kk_req *r, const struct kk_stats *s)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<div class=\"table-wrap\"><table class=\"stats\" id=\"reports-table\"><thead><tr><th rowspan=\"2\">");
	kk_html_text(b, _("Quarter"));
	KK_HTML_EL(b, "</th><th colspan=\"4\">", _("Software products"), "</th>");
	KK_HTML_EL(b, "<th colspan=\"4\">", _("Websites"), "</th></tr><tr>");
	for (int k = 0; k < 2; k++) {
		th(b, _("Reports received"));
		th(b, _("Accepted"));
		th(b, _("Handling ended"));
		th(b, k ? _("Site fixed") : _("Advisory published"));
	}
	KK_HTML(b, "</tr></thead><tbody>");
	for (size_t i = s->n; i-- > 0;) {
		const struct kk_stats_quarter *q = &s->quarters[i];
		quarter_th(r, q);
		TD(b, "software_received", q->received[KK_STATS_SOFTWARE]);
		TD(b, "software_accepted", q->accepted[KK_STATS_SOFTWARE]);
		TD(b, "software_closed", q->closed[KK_STATS_SOFTWARE]);
		TD(b, "software_published", q->published);
		TD(b, "website_received", q->received[KK_STATS_WEBSITE]);
		TD(b, "website_accepted", q->accepted[KK_STATS_WEBSITE]);
		TD(b, "website_closed", q->closed[KK_STATS_WEBSITE]);
		TD(b, "website_fixed", q->fixed);
		KK_HTML(b, "</tr>");
	}
	KK_HTML(b, "</tbody></table></div>");
}

static void advisories_table(struct kk_req *r, const struct kk_stats *s)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<div class=\"table-wrap\"><table class=\"stats\" id=\"advisories-table\"><thead><tr><th rowspan=\"2\">");
	kk_html_text(b, _("Quarter"));
	KK_HTML_EL(b, "</th><th colspan=\"3\">", _("Published in the quarter"), "</th>");
	KK_HTML_EL(b, "<th colspan=\"3\">", _("Cumulative"), "</th>");
	KK_HTML_EL(b, "<th colspan=\"2\">", _("Vendors at the quarter's end"), "</th></tr><tr>");
	for (int pass = 0; pass < 2; pass++) {
		th(b, "JVN#");
		th(b, "JVNVU#");
		th(b, "JVNTA");
	}
	th(b, _("Registered"));
	th(b, _("Unreachable"));
	KK_HTML(b, "</tr></thead><tbody>");
	for (size_t i = s->n; i-- > 0;) {
		const struct kk_stats_quarter *q = &s->quarters[i];
		quarter_th(r, q);
		TD(b, "jvn", q->adv[KK_STATS_JVN]);
		TD(b, "jvnvu", q->adv[KK_STATS_JVNVU]);
		TD(b, "jvnta", q->adv[KK_STATS_JVNTA]);
		TD(b, "jvn_total", q->adv_total[KK_STATS_JVN]);
		TD(b, "jvnvu_total", q->adv_total[KK_STATS_JVNVU]);
		TD(b, "jvnta_total", q->adv_total[KK_STATS_JVNTA]);
		TD(b, "vendors_registered", q->vendors);
		TD(b, "vendors_unreachable", q->unreachable);
		KK_HTML(b, "</tr>");
	}
	KK_HTML(b, "</tbody></table></div>");
}

int page_stats(struct kk_req *r)
{
	struct kk_stats s;
	int rc = compute(r, &s);
	if (rc < 0)
		return rc;
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, _("Statistics"));
	KK_HTML_EL(b, "<h1>", _("Statistics"), "</h1><p class=\"muted\" id=\"stats-as-of\">");
	kk_html_textf(b, _("As of %s."), kk_page_time(r, s.as_of));
	KK_HTML(b, " ");
	kk_html_text(b, _("Quarters are calendar quarters in Japan Standard Time (UTC+9): 2024Q1 is 1 January to 31 "
			  "March. Japan's fiscal quarters have the same boundaries (fiscal 2024 Q1 is 2024Q2)."));
	KK_HTML(b, " ");
	kk_html_text(b, _("An advisory counts from the moment it is published."));
	KK_HTML(b, "</p><p id=\"stats-downloads\">");
	KK_HTML_EL(b, "<a href=\"/stats.csv\" id=\"stats-csv\">", _("Download as CSV"), "</a> · ");
	KK_HTML_EL(b, "<a href=\"/api/v1/stats\" id=\"stats-json\">", _("Download as JSON"), "</a></p>");

	KK_HTML_EL(b, "<div class=\"card\"><h2>", _("Totals"), "</h2><dl class=\"props\" id=\"stats-totals\">");
	dd_count(b, _("JVN# advisories published"), "total-JVN", s.adv_total[KK_STATS_JVN]);
	dd_count(b, _("JVNVU# advisories published"), "total-JVNVU", s.adv_total[KK_STATS_JVNVU]);
	dd_count(b, _("JVNTA advisories published"), "total-JVNTA", s.adv_total[KK_STATS_JVNTA]);
	dd_count(b, _("Registered vendors"), "vendors-registered", s.vendors);
	dd_count(b, _("Vendors on the unreachable list"), "vendors-unreachable", s.unreachable);
	dd_count(b, _("Vendors ever listed as unreachable"), "vendors-unreachable-ever", s.unreachable_ever);
	dd_median(r, _("Median days from report to publication"), "median-publication", s.median_publish_days,
		  s.publish_measured);
	dd_median(r, _("Median days from report to a website fix"), "median-fix", s.median_fix_days, s.fix_measured);
	KK_HTML(b, "</dl><p class=\"muted\"><a href=\"/unreachable\">");
	kk_html_text(b, _("Unreachable vendors"));
	KK_HTML(b, "</a></p></div>");

	const char *kinds[2] = {_("Software products"), _("Websites")};
	const char *adv[3] = {"JVN#", "JVNVU#", "JVNTA"};
	const char *vend[2] = {_("Registered"), _("Unreachable")};
	KK_HTML_EL(b, "<h2>", _("Reports"), "</h2>");
	bar_chart(r, "chart-reports", _("Reports received per quarter"), &s, 2, kinds, received);
	reports_table(r, &s);
	KK_HTML_EL(b, "<h2>", _("Advisories and vendors"), "</h2>");
	bar_chart(r, "chart-advisories", _("Advisories published, cumulative"), &s, 3, adv, adv_total);
	bar_chart(r, "chart-vendors", _("Vendors at the quarter's end"), &s, 2, vend, vendors);
	advisories_table(r, &s);
	kk_stats_release(&s);
	return kk_page_close(r, 200);
}

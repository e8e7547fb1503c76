/*
 * page_vulns.c — the public vulnerability pages: /vulns (search form,
 * filters, results, paging) and /vulns/{id} (one record), ja and en.
 */
#include "base/clock.h"
#include "base/err.h"
#include "store/db.h"
#include "vulndb/search.h"
#include "web/handlers.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/feeds.h"
#include "web/vulns.h"
#include "web/web.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Severity labels, marked for translation. */
static const char *sev_label(int s)
{
	static const char *const l[5] = {N_("None"), N_("Low"), N_("Medium"), N_("High"), N_("Critical")};
	return _(l[s >= 0 && s < 5 ? s : 0]);
}

static void option(struct kk_buf *b, const char *value, const char *label, bool selected)
{
	KK_HTML(b, "<option");
	KK_HTML_ATTR(b, "value", value);
	if (selected)
		KK_HTML(b, " selected");
	KK_HTML_EL(b, ">", label, "</option>");
}

/* A labelled text input holding the query's value. */
static void text_field(struct kk_buf *b, const char *label, const char *name, const char *value, int max)
{
	KK_HTML_EL(b, "<label>", label, "<input type=\"text\"");
	KK_HTML_ATTR(b, "name", name);
	KK_HTML_ATTR(b, "value", value ? value : "");
	char m[16];
	snprintf(m, sizeof m, "%d", max);
	KK_HTML_ATTR(b, "maxlength", m);
	KK_HTML(b, "></label>");
}

static void search_form(struct kk_req *r, const struct kk_search_query *q)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML(
	    b,
	    "<div class=\"card\"><form class=\"inline\" method=\"get\" action=\"/vulns\" role=\"search\">");
	KK_HTML_EL(b, "<label>", _("Keywords"), "<input type=\"search\" name=\"q\" maxlength=\"1000\"");
	KK_HTML_ATTR(b, "value", q->q ? q->q : "");
	KK_HTML(b, "></label>");
	KK_HTML_EL(b, "<label>", _("Severity"), "<select name=\"severity\">");
	option(b, "", _("Any"), !q->severity_mask);
	for (int s = 4; s >= 0; s--)
		option(b, kk_search_severity_name(s), sev_label(s), q->severity_mask == 1u << s);
	KK_HTML(b, "</select></label>");
	text_field(b, _("Vendor"), "vendor", q->vendor, 200);
	text_field(b, _("Product"), "product", q->product, 200);
	text_field(b, _("CPE name"), "cpe", q->cpe, 500);
	text_field(b, _("Package URL"), "purl", q->purl, 500);
	KK_HTML(b, "<label class=\"check\"><input type=\"checkbox\" name=\"kev\" value=\"1\"");
	if (q->kev)
		KK_HTML(b, " checked");
	KK_HTML_EL(b, "> ", _("Known exploited (CISA KEV)"), "</label>");
	KK_HTML(b, "<label class=\"check\"><input type=\"checkbox\" name=\"withdrawn\" value=\"include\"");
	if (q->withdrawn == KK_WITHDRAWN_INCLUDE)
		KK_HTML(b, " checked");
	KK_HTML_EL(b, "> ", _("Include rejected and withdrawn records"), "</label>");
	KK_HTML_EL(b, "<label>", _("Sort by"), "<select name=\"sort\">");
	static const char *const sorts[] = {"published", "modified", "score", "relevance"};
	const char *labels[] = {_("Date published"), _("Date updated"), _("Score"), _("Relevance")};
	for (int i = 0; i < 4; i++)
		option(b, sorts[i], labels[i], (int)q->sort == i);
	KK_HTML(b, "</select></label>");
	KK_HTML(b, "<input type=\"hidden\" name=\"lang\"");
	KK_HTML_ATTR(b, "value", r->lang);
	KK_HTML(b, ">");
	kk_page_submit(r, _("Search")); /* closes the form and the card */
}

static void th(struct kk_buf *b, const char *label)
{
	KK_HTML_EL(b, "<th>", label, "</th>");
}

/* The label of a rejected or withdrawn record (vuln.status), translated. */
static const char *status_label(const char *status)
{
	return !strcmp(status, "rejected") ? _("Rejected") : _("Withdrawn");
}

static int result_tr(void *arg, const struct kk_search_hit *h)
{
	struct kk_req *r = arg;
	struct kk_buf *b = &r->resp.body;
	if (h->withdrawn)
		KK_HTML(b, "<tr class=\"withdrawn\"><td><a");
	else
		KK_HTML(b, "<tr><td><a");
	KK_HTML_ATTR(b, "href", kk_arena_printf(&r->arena, "/vulns/%s", h->jvndb));
	KK_HTML_EL(b, ">", h->jvndb, "</a></td><td>");
	kk_html_text(b, h->aliases);
	KK_HTML(b, "</td><td>");
	if (h->withdrawn) {
		KK_HTML(b, "<span");
		KK_HTML_ATTR(b, "class", kk_arena_printf(&r->arena, "badge error status-%s", h->status));
		KK_HTML_EL(b, ">", status_label(h->status), "</span> ");
	}
	KK_HTML_EL(b, "", h->title, "</td><td>");
	if (h->has_score)
		kk_html_textf(b, "%.1f ", h->score);
	KK_HTML(b, "<span");
	KK_HTML_ATTR(b, "class",
	             kk_arena_printf(&r->arena, "sev sev-%s", kk_search_severity_name(h->severity)));
	KK_HTML_EL(b, ">", h->has_score ? sev_label(h->severity) : _("Not scored"), "</span></td><td>");
	kk_html_text(b, h->published ? kk_page_time(r, h->published) : "—");
	KK_HTML(b, "</td></tr>");
	return 0;
}

/* The link to the next page: the same query string with cursor= replaced. */
static const char *next_link(struct kk_req *r, const char *cursor)
{
	static const char *const keep[] = {"q",
	                                   "severity",
	                                   "score_min",
	                                   "score_max",
	                                   "cwe",
	                                   "vendor",
	                                   "product",
	                                   "vector",
	                                   "public_from",
	                                   "public_to",
	                                   "published_from",
	                                   "published_to",
	                                   "updated_from",
	                                   "updated_to",
	                                   "source",
	                                   "cvss",
	                                   "cpe",
	                                   "purl",
	                                   "kev",
	                                   "withdrawn",
	                                   "sort",
	                                   "limit"};
	struct kk_buf u;
	kk_buf_init(&u, 8192);
	kk_buf_puts(&u, "/vulns?lang=");
	kk_buf_puts(&u, r->lang);
	for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
		const char *v = kk_req_query(r, keep[i]);
		if (!v || !*v)
			continue;
		kk_buf_printf(&u, "&%s=", keep[i]);
		for (const unsigned char *p = (const unsigned char *)v; *p; p++)
			if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') || strchr("-_.~", *p))
				kk_buf_putc(&u, (char)*p);
			else
				kk_buf_printf(&u, "%%%02X", *p);
	}
	kk_buf_printf(&u, "&cursor=%s", cursor);
	const char *s = kk_buf_error(&u) ? "/vulns" : kk_arena_strdup(&r->arena, u.ptr);
	kk_buf_release(&u);
	return s;
}

int page_vulns(struct kk_req *r)
{
	struct kk_search_query q;
	if (kk_web_search_query(r, &q) < 0)
		return KK_EINVAL;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	if (!q.limit)
		q.limit = 50;
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, _("Vulnerability database"));
	KK_HTML_EL(b, "<h1>", _("Vulnerability database"), "</h1>");
	search_form(r, &q);
	KK_HTML(b, "<div class=\"table-wrap\"><table id=\"vulns\"><thead><tr>");
	th(b, _("ID"));
	th(b, _("Aliases"));
	th(b, _("Title"));
	th(b, _("Severity"));
	th(b, _("Published"));
	KK_HTML(b, "</tr></thead><tbody>");
	struct kk_search_result res;
	struct kk_diag d = {0};
	int rc = kk_search_run(r->db, &q, result_tr, r, &res, &d);
	if (rc < 0)
		return kk_req_fail(r, rc, d.where[0] ? d.where : NULL, "%s",
		                   d.msg[0] ? d.msg : kk_err_msg(rc));
	KK_HTML(b, "</tbody></table></div><p id=\"total\">");
	kk_html_textf(b, _("Vulnerabilities found: %ld"), res.total);
	KK_HTML(b, "</p>");
	if (res.next_cursor[0]) {
		KK_HTML(b, "<p><a rel=\"next\" id=\"next\"");
		KK_HTML_ATTR(b, "href", next_link(r, res.next_cursor));
		KK_HTML_EL(b, ">", _("Next page"), "</a></p>");
	}
	return kk_page_close(r, 200);
}

/* ---- one record ---- */

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void dt_dd(struct kk_buf *b, const char *label, const char *value)
{
	KK_HTML_EL(b, "<dt>", label, "</dt>");
	KK_HTML_EL(b, "<dd>", *value ? value : "—", "</dd>");
}

/* Texts of kind in lang, else in any language. */
static void texts(struct kk_buf *b, json_t *all, const char *lang, const char *kind, const char *heading)
{
	json_t *list = json_object_get(json_object_get(all, lang), kind);
	const char *l;
	json_t *v;
	if (!json_array_size(list))
		json_object_foreach(all, l, v) if (json_array_size(json_object_get(v, kind))) list =
		    json_object_get(v, kind);
	if (!json_array_size(list))
		return;
	KK_HTML_EL(b, "<h2>", heading, "</h2>");
	size_t i;
	json_t *t;
	json_array_foreach(list, i, t) KK_HTML_EL(b, "<p class=\"text\">", json_string_value(t), "</p>");
}

/* The list items of the record's sections. */
static void cwe_li(struct kk_buf *b, json_t *x)
{
	KK_HTML(b, "<li>");
	kk_html_textf(b, "CWE-%lld", (long long)json_integer_value(x));
	KK_HTML(b, "</li>");
}

static void cpe_li(struct kk_buf *b, json_t *x)
{
	if (*jstr(x, "cpe23"))
		KK_HTML_EL(b, "<li><code>", jstr(x, "cpe23"), "</code></li>");
}

static void pkg_li(struct kk_buf *b, json_t *x)
{
	KK_HTML_EL(b, "<li>", jstr(x, "ecosystem"), " ");
	kk_html_text(b, jstr(x, "name"));
	if (*jstr(x, "fixed"))
		kk_html_textf(b, " (%s %s)", _("fixed in"), jstr(x, "fixed"));
	KK_HTML(b, "</li>");
}

static void ref_li(struct kk_buf *b, json_t *x)
{
	const char *url = jstr(x, "url");
	KK_HTML(b, "<li>");
	if (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7)) {
		KK_HTML(b, "<a rel=\"nofollow noopener\"");
		KK_HTML_ATTR(b, "href", url);
		KK_HTML_EL(b, ">", url, "</a>");
	} else {
		kk_html_text(b, url);
	}
	KK_HTML(b, "</li>");
}

static void history_li(struct kk_buf *b, json_t *x)
{
	KK_HTML_EL(b, "<li>", jstr(x, "at"), " ");
	kk_html_text(b, jstr(x, "source"));
	KK_HTML_EL(b, ": ", jstr(x, "what"), "</li>");
}

/* A CISA KEV entry: the CVE, when it was added, the due date and ransomware use. */
static void kev_li(struct kk_buf *b, json_t *x)
{
	KK_HTML_EL(b, "<li><strong>", jstr(x, "cve"), "</strong> ");
	KK_HTML_EL(b, "", _("added"), " ");
	kk_html_text(b, jstr(x, "date_added"));
	if (*jstr(x, "due_date")) {
		KK_HTML_EL(b, ", ", _("due"), " ");
		kk_html_text(b, jstr(x, "due_date"));
	}
	KK_HTML_EL(b, ", ", _("known ransomware use"), ": ");
	kk_html_text(b, jstr(x, "known_ransomware_campaign_use"));
	if (*jstr(x, "required_action"))
		KK_HTML_EL(b, "<br>", jstr(x, "required_action"), "");
	KK_HTML(b, "</li>");
}

/* A heading and a list of the array `key` of the record, when it has items. */
static void section(struct kk_req *r, json_t *v, const char *key, const char *heading,
                    void (*li)(struct kk_buf *b, json_t *x))
{
	struct kk_buf *b = &r->resp.body;
	json_t *list = json_object_get(v, key);
	if (!json_array_size(list))
		return;
	KK_HTML_EL(b, "<h2>", heading, "</h2><ul");
	KK_HTML_ATTR(b, "id", key);
	KK_HTML(b, ">");
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x) li(b, x);
	KK_HTML(b, "</ul>");
}

/*
 * The banner of a rejected or withdrawn record: what happened, when (JST)
 * and why, as its sources say (vuln.status, withdrawn_at, withdrawn_reason;
 * schema 0025).
 */
static void withdrawn_banner(struct kk_req *r, json_t *v)
{
	struct kk_buf *b = &r->resp.body;
	bool rejected = !strcmp(jstr(v, "status"), "rejected");
	int64_t at = 0;
	const char *when = *jstr(v, "withdrawn_at") && kk_time_parse(jstr(v, "withdrawn_at"), &at) == 0
	                       ? kk_page_time(r, at)
	                       : "";
	const char *why = jstr(v, "withdrawn_reason");
	KK_HTML(b, "<div class=\"notice error\" id=\"withdrawn\" role=\"alert\"><strong>");
	if (*when && *why)
		kk_html_textf(b, rejected ? _("This record was rejected on %s: %s") : _("This record was withdrawn on %s: %s"),
		              when, why);
	else if (*when)
		kk_html_textf(b, rejected ? _("This record was rejected on %s.") : _("This record was withdrawn on %s."),
		              when);
	else if (*why)
		kk_html_textf(b, rejected ? _("This record was rejected: %s") : _("This record was withdrawn: %s"), why);
	else
		kk_html_text(b, rejected ? _("This record was rejected.") : _("This record was withdrawn."));
	KK_HTML_EL(b, "</strong> ",
	           rejected ? _("Its CVE was rejected by the CVE Program: it is kept here for reference and left out "
	                        "of searches, feeds and exports.")
	                    : _("Its source withdrew it: it is kept here for reference and left out of searches, feeds "
	                        "and exports."),
	           "</div>");
}

int page_vuln(struct kk_req *r)
{
	struct kk_buf body;
	kk_buf_init(&body, r->resp.body.max);
	int64_t modified = 0;
	bool former = false;
	if (kk_web_vuln_load(r, &body, &modified, &former) < 0) {
		kk_buf_release(&body);
		return KK_ENOTFOUND;
	}
	json_t *v = json_loadb(body.ptr, body.len, 0, NULL);
	kk_buf_release(&body);
	if (!v)
		return kk_req_fail(r, KK_EINTERNAL, NULL, NULL);
	if (former) { /* an id it had before it was renumbered: the page lives under its id now */
		bool lang = kk_req_query(r, "lang") != NULL; /* kept as the language it chose */
		kk_resp_moved(r, kk_arena_printf(&r->arena, "/vulns/%s%s%s", jstr(v, "id"), lang ? "?lang=" : "",
		                                 lang ? r->lang : ""));
		json_decref(v);
		return 0;
	}
	struct kk_buf *b = &r->resp.body;
	const char *id = jstr(v, "id");
	kk_page_open(r, id);
	json_t *all = json_object_get(v, "texts");
	json_t *titles = json_object_get(json_object_get(all, r->lang), "title");
	const char *title = json_string_value(json_array_get(titles, 0));
	/* no text in the page's language: the composed one (ja.h), said to be composed */
	json_t *comp = json_object_get(json_object_get(v, "texts_composed"), r->lang);
	if (!title && comp)
		title = json_string_value(json_object_get(json_object_get(comp, "title"), "text"));
	KK_HTML_EL(b, "<h1>", id, "</h1>");
	bool withdrawn = json_is_true(json_object_get(v, "withdrawn"));
	if (withdrawn)
		withdrawn_banner(r, v);
	if (title)
		KK_HTML_EL(b, "<p class=\"lead\">", title, "</p>");
	KK_HTML(b, "<dl class=\"facts\">");
	struct kk_buf al;
	kk_buf_init(&al, 4096);
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(v, "aliases"), i, x)
	    kk_buf_printf(&al, "%s%s", i ? ", " : "", json_string_value(x));
	dt_dd(b, _("Aliases"), al.ptr);
	kk_buf_reset(&al);
	json_array_foreach(json_object_get(v, "former_ids"), i, x) /* ids it had before it was renumbered */
	    kk_buf_printf(&al, "%s%s", i ? ", " : "", json_string_value(x));
	if (al.len)
		dt_dd(b, _("Former ids"), al.ptr);
	kk_buf_release(&al);
	json_t *score = json_object_get(v, "score");
	int sev = 0;
	for (int s = 0; s < 5; s++)
		if (!strcmp(jstr(v, "severity"), kk_search_severity_name(s)))
			sev = s;
	KK_HTML_EL(b, "<dt>", _("Severity"), "</dt><dd>");
	if (json_is_number(score))
		kk_html_textf(b, "%.1f ", json_number_value(score));
	KK_HTML_EL(b, "<span class=\"sev\">", json_is_number(score) ? sev_label(sev) : _("Not scored"), "</span></dd>");
	dt_dd(b, _("Published"), jstr(v, "published"));
	dt_dd(b, _("Updated"), jstr(v, "modified"));
	if (withdrawn)
		dt_dd(b, _("Status"), status_label(jstr(v, "status")));
	KK_HTML(b, "</dl>");
	if (comp) {
		KK_HTML_EL(b, "<p class=\"note\" id=\"composed\">",
		           _("This Japanese text was composed automatically from the record's CWE, CVSS and "
		             "affected products; no person wrote it. The English page shows the original."),
		           "</p>");
		static const char *const kinds[] = {"overview", "impact", "solution"};
		const char *heads[] = {_("Overview"), _("Possible impact"), _("Solution")};
		for (int k = 0; k < 3; k++) {
			const char *t = json_string_value(json_object_get(json_object_get(comp, kinds[k]), "text"));
			if (t) {
				KK_HTML_EL(b, "<h2>", heads[k], "</h2>");
				KK_HTML_EL(b, "<p class=\"text composed\">", t, "</p>");
			}
		}
	}
	texts(b, all, r->lang, "overview", _("Overview"));
	texts(b, all, r->lang, "description", _("Description"));
	texts(b, all, r->lang, "solution", _("Solution"));

	json_t *cvss = json_object_get(v, "cvss");
	if (json_array_size(cvss)) {
		KK_HTML_EL(b, "<h2>", _("CVSS"),
		           "</h2><div class=\"table-wrap\"><table id=\"cvss\"><thead><tr>");
		th(b, _("Version"));
		th(b, _("Score"));
		th(b, _("Vector"));
		th(b, _("Scored by"));
		KK_HTML(b, "</tr></thead><tbody>");
		json_array_foreach(cvss, i, x)
		{
			KK_HTML_EL(b, "<tr><td>", jstr(x, "version"), "</td><td>");
			if (json_is_number(json_object_get(x, "score")))
				kk_html_textf(b, "%.1f", json_number_value(json_object_get(x, "score")));
			KK_HTML_EL(b, "</td><td><code>", jstr(x, "vector"), "</code></td>");
			KK_HTML_EL(b, "<td>", jstr(x, "scorer"), "</td></tr>");
		}
		KK_HTML(b, "</tbody></table></div>");
	}
	section(r, v, "kev", _("Known exploited (CISA KEV)"), kev_li);
	section(r, v, "cwes", _("Weaknesses (CWE)"), cwe_li);
	section(r, v, "cpe", _("Affected products"), cpe_li);
	section(r, v, "packages", _("Affected packages"), pkg_li);
	section(r, v, "references", _("References"), ref_li);
	section(r, v, "history", _("History"), history_li);
	json_decref(v);
	int rc = kk_page_close(r, 200);
	if (!rc && kk_web_not_modified(r, b->ptr, b->len, modified)) /* ETag, Last-Modified, 304 */
		kk_buf_reset(b);
	return rc;
}

/*
 * page_advisory_render.c — the advisory article in Japanese or English
 * (Markdown through cmark in safe mode) and the export dispatcher shared by
 * the pages, the API and `keikai export-advisory` (page_advisory.h).
 */
#include "base/clock.h"
#include "base/json.h"
#include "publish/formats.h"
#include "vulndb/jvnxml.h"
#include "vulndb/record.h"
#include "web/html.h"
#include "web/page_advisory.h"
#include <cmark.h>
#include <stdio.h>
#include <string.h>

/* Labels in both languages: the article's language comes from its URL, not from the reader's settings. */
static const char *L(const char *lang, const char *ja, const char *en)
{
	return strcmp(lang, "en") ? ja : en;
}

static const char *T(const struct kk_adv_text *t, const char *lang)
{
	const char *a = strcmp(lang, "en") ? t->ja : t->en;
	return a ? a : strcmp(lang, "en") ? t->en : t->ja;
}

/*
 * Markdown to HTML with cmark. cmark 0.30 (Debian) is safe by default:
 * CMARK_OPT_SAFE is kept for compatibility and raw HTML is replaced by a
 * comment and unsafe link schemes dropped unless CMARK_OPT_UNSAFE is given,
 * which keikai never passes.
 */
static void markdown(struct kk_buf *b, const char *md)
{
	if (!md || !*md)
		return;
	char *h = cmark_markdown_to_html(md, strlen(md), CMARK_OPT_SAFE | CMARK_OPT_NOBREAKS);
	if (!h) {
		kk_html_text(b, md);
		return;
	}
	kk_buf_puts(b, h); /* cmark's output, safe mode: the one raw HTML source besides literals */
	cmark_get_default_mem_allocator()->free(h);
}

/* <section id="ID"><h2>HEADING</h2>: the caller writes the body and closes the section. */
static void section_open(struct kk_buf *b, const char *id, const char *heading)
{
	KK_HTML(b, "<section");
	KK_HTML_ATTR(b, "id", id);
	KK_HTML(b, "><h2>");
	kk_html_text(b, heading);
	KK_HTML(b, "</h2>");
}

/* A section of Markdown text; nothing when md is empty. */
static void section(struct kk_buf *b, const char *id, const char *heading, const char *md)
{
	if (!md || !*md)
		return;
	section_open(b, id, heading);
	markdown(b, md);
	KK_HTML(b, "</section>\n");
}

/* <table class="CLS"><thead><tr><th>…</th>…</tr></thead><tbody> with n headings, each {ja, en}, in lang. */
static void table_open(struct kk_buf *b, const char *cls, const char *lang, const char *const th[][2], size_t n)
{
	KK_HTML(b, "<table");
	KK_HTML_ATTR(b, "class", cls);
	KK_HTML(b, "><thead><tr>");
	for (size_t i = 0; i < n; i++)
		KK_HTML_EL(b, "<th>", L(lang, th[i][0], th[i][1]), "</th>");
	KK_HTML(b, "</tr></thead><tbody>");
}

static void when(struct kk_buf *b, int64_t t)
{
	char s[40];
	kk_time_jst(t, s, sizeof(s));
	kk_html_text(b, s);
}

static const char *status_label(const char *s, const char *lang)
{
	static const char *const tab[][3] = {{"affected", "該当製品あり", "Affected"},
					     {"not_affected", "該当製品なし", "Not affected"},
					     {"fixed", "修正済み", "Fixed"},
					     {"under_investigation", "調査中", "Under investigation"},
					     {"no_response", "未回答", "No response"}};
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(s, tab[i][0]))
			return strcmp(lang, "en") ? tab[i][1] : tab[i][2];
	return s;
}

static void product_range(struct kk_buf *b, const struct kk_adv_product *p, const char *lang)
{
	const char *txt = T(&p->versions, lang);
	if (txt) {
		kk_html_text(b, txt);
		return;
	}
	bool lo = p->introduced && strcmp(p->introduced, "0");
	bool ja = strcmp(lang, "en") != 0;
	if (lo)
		kk_html_textf(b, ja ? "%s 以上" : "%s and later", p->introduced);
	if (lo && (p->fixed || p->last_affected))
		kk_html_text(b, ja ? " " : ", ");
	if (p->fixed)
		kk_html_textf(b, ja ? "%s 未満" : "before %s", p->fixed);
	else if (p->last_affected)
		kk_html_textf(b, ja ? "%s 以前" : "up to and including %s", p->last_affected);
	if (!lo && !p->fixed && !p->last_affected)
		kk_html_text(b, L(lang, "全てのバージョン", "all versions"));
}

void kk_advisory_article(struct kk_buf *b, const struct kk_advisory *adv, const char *lang)
{
	const struct kk_adv *d = &adv->doc;
	struct kk_arena a;
	kk_arena_init(&a, 0);
	const char *title = kk_adv_title(d, lang, &a);
	KK_HTML(b, "\n<article class=\"advisory\"");
	kk_html__attr(b, " lang=\"", strcmp(lang, "en") ? "ja" : "en");
	KK_HTML(b, ">\n<h1><span class=\"ident\">");
	kk_html_text(b, adv->ident);
	KK_HTML(b, "</span> ");
	kk_html_text(b, title ? title : "");
	KK_HTML(b, "</h1>\n<dl class=\"meta\"><dt>");
	kk_html_text(b, L(lang, "公開日", "Published"));
	KK_HTML(b, "</dt><dd>");
	when(b, adv->published_at);
	KK_HTML(b, "</dd><dt>");
	kk_html_text(b, L(lang, "最終更新日", "Last updated"));
	KK_HTML(b, "</dt><dd>");
	when(b, adv->rev_at);
	KK_HTML(b, "</dd>");
	if (adv->jvndb) {
		KK_HTML(b, "<dt>JVNDB</dt><dd><a");
		char href[80];
		snprintf(href, sizeof(href), "/vulns/%s", adv->jvndb);
		kk_html__attr(b, " href=\"", href);
		KK_HTML(b, ">");
		kk_html_text(b, adv->jvndb);
		KK_HTML(b, "</a></dd>");
	}
	KK_HTML(b, "<dt>");
	kk_html_text(b, L(lang, "他の言語", "Other language"));
	KK_HTML(b, "</dt><dd><a");
	char slug[KK_ADV_IDENT_MAX], href[96];
	kk_adv_ident_slug(adv->ident, slug, sizeof(slug));
	snprintf(href, sizeof(href), "/jvn/%s%s", slug, strcmp(lang, "en") ? "/en" : "");
	kk_html__attr(b, " href=\"", href);
	KK_HTML(b, ">");
	kk_html_text(b, L(lang, "English", "日本語"));
	KK_HTML(b, "</a></dd></dl>\n");

	section(b, "overview", L(lang, "概要", "Overview"), T(&d->overview, lang));

	static const char *const product_th[][2] = {{"開発者", "Vendor"},
						   {"製品", "Product"},
						   {"影響を受けるバージョン", "Affected versions"},
						   {"修正バージョン", "Fixed in"},
						   {"CPE / purl", "CPE / purl"}};
	section_open(b, "products", L(lang, "影響を受けるシステム", "Affected products"));
	table_open(b, "products", lang, product_th, 5);
	for (size_t i = 0; i < d->n_products; i++) {
		const struct kk_adv_product *p = &d->products[i];
		KK_HTML_EL(b, "<tr><td>", p->vendor, "</td>");
		KK_HTML_EL(b, "<td>", p->product, "</td><td>");
		product_range(b, p, lang);
		KK_HTML_EL(b, "</td><td>", p->fixed ? p->fixed : "-", "</td><td>");
		if (p->cpe)
			KK_HTML_EL(b, "<code>", p->cpe, "</code> ");
		if (p->purl)
			KK_HTML_EL(b, "<code>", p->purl, "</code>");
		KK_HTML(b, "</td></tr>");
	}
	KK_HTML(b, "</tbody></table>");
	if (T(&d->version_check, lang)) {
		KK_HTML(b, "<h3>");
		kk_html_text(b, L(lang, "バージョンの確認方法", "How to check your version"));
		KK_HTML(b, "</h3>");
		markdown(b, T(&d->version_check, lang));
	}
	KK_HTML(b, "</section>\n");

	section(b, "description", L(lang, "詳細情報", "Description"), T(&d->description, lang));
	if (d->n_vulns) {
		static const char *const vuln_th[][2] = {{"CVE", "CVE"},
							 {"脆弱性", "Vulnerability"},
							 {"CWE", "CWE"},
							 {"CVSS v3.1", "CVSS v3.1"},
							 {"CVSS v4.0", "CVSS v4.0"}};
		table_open(b, "vulns", lang, vuln_th, 5);
		for (size_t i = 0; i < d->n_vulns; i++) {
			const struct kk_adv_vuln *v = &d->vulns[i];
			KK_HTML_EL(b, "<tr><td>", v->cve ? v->cve : L(lang, "(採番予定)", "(to be assigned)"), "</td>");
			KK_HTML_EL(b, "<td>", T(&v->title, lang) ? T(&v->title, lang) : T(&d->vulnerability, lang), "</td><td>");
			if (v->cwe)
				kk_html_textf(b, "CWE-%d", v->cwe);
			KK_HTML(b, "</td><td>");
			if (v->cvss31) {
				kk_html_textf(b, "%.1f %s", v->score31, v->severity31);
				KK_HTML_EL(b, "<br><code>", v->cvss31, "</code>");
			}
			KK_HTML(b, "</td><td>");
			if (v->cvss40) {
				kk_html_textf(b, "%.1f %s", v->score40, v->severity40);
				KK_HTML_EL(b, "<br><code>", v->cvss40, "</code>");
			}
			KK_HTML(b, "</td></tr>");
		}
		KK_HTML(b, "</tbody></table>\n");
	}
	section(b, "threat", L(lang, "想定される影響", "Impact"), T(&d->threat, lang));
	section(b, "fix", L(lang, "対策方法", "Solution"), T(&d->fix, lang));
	section(b, "workaround", L(lang, "ワークアラウンド", "Workaround"), T(&d->workaround, lang));

	if (d->n_vendors) {
		static const char *const vendor_th[][2] = {
			{"ベンダ", "Vendor"}, {"ステータス", "Status"}, {"備考", "Remarks"}, {"更新日", "Updated"}};
		section_open(b, "vendors", L(lang, "ベンダ情報", "Vendor status"));
		table_open(b, "vendors", lang, vendor_th, 4);
		for (size_t i = 0; i < d->n_vendors; i++) {
			const struct kk_adv_vendor *v = &d->vendors[i];
			KK_HTML_EL(b, "<tr><td>", v->vendor, "</td>");
			KK_HTML(b, "<td");
			kk_html__attr(b, " class=\"status-", v->status);
			KK_HTML(b, ">");
			kk_html_text(b, status_label(v->status, lang));
			KK_HTML_EL(b, "</td><td>", T(&v->note, lang), "</td>");
			KK_HTML_EL(b, "<td>", v->updated, "</td></tr>");
		}
		KK_HTML(b, "</tbody></table></section>\n");
	}
	if (d->n_refs) {
		section_open(b, "references", L(lang, "参考情報", "References"));
		KK_HTML(b, "<ol>");
		for (size_t i = 0; i < d->n_refs; i++) {
			KK_HTML(b, "<li><a rel=\"noopener\"");
			kk_html__attr(b, " href=\"", d->refs[i].url);
			KK_HTML(b, ">");
			kk_html_text(b, d->refs[i].title ? d->refs[i].title : d->refs[i].url);
			KK_HTML(b, "</a></li>");
		}
		KK_HTML(b, "</ol></section>\n");
	}
	if (T(&d->acknowledgements, lang) || d->n_credits) {
		section_open(b, "acknowledgements", L(lang, "謝辞", "Acknowledgements"));
		if (d->n_credits) {
			KK_HTML(b, "<p class=\"credit\">");
			kk_html_text(b, L(lang, "この脆弱性情報は、次の方が報告されました: ", "This vulnerability was reported by: "));
			for (size_t i = 0; i < d->n_credits; i++) {
				if (i)
					KK_HTML(b, ", ");
				kk_html_text(b, d->credits[i]);
			}
			KK_HTML(b, "</p>");
		}
		markdown(b, T(&d->acknowledgements, lang));
		KK_HTML(b, "</section>\n");
	}
	section_open(b, "history", L(lang, "更新履歴", "Update history"));
	KK_HTML(b, "<ul>");
	bool current_listed = false;
	for (size_t i = 0; i < adv->n_history; i++) {
		const struct kk_adv_history *h = &adv->history[i];
		const char *note = strcmp(lang, "en") ? h->note_ja : h->note_en;
		KK_HTML(b, "<li><time>");
		when(b, h->at);
		KK_HTML(b, "</time> ");
		kk_html_text(b, note && *note ? note : h->rev == 1 ? L(lang, "情報を公開しました", "Published") : "");
		KK_HTML(b, "</li>");
		current_listed |= h->rev == adv->rev;
	}
	if (!current_listed) {
		KK_HTML(b, "<li><time>");
		when(b, adv->rev_at);
		KK_HTML(b, "</time> ");
		kk_html_text(b, adv->rev == 1 ? L(lang, "情報を公開しました", "Published") : L(lang, "更新しました", "Updated"));
		KK_HTML(b, "</li>");
	}
	KK_HTML(b, "</ul></section>\n");
	section(b, "contact", L(lang, "連絡先", "Contact"), T(&d->contact, lang));
	KK_HTML(b, "<p class=\"formats\">");
	static const char *const fm[][2] = {{"csaf", "CSAF"}, {"osv", "OSV"}, {"jvnrss", "JVNRSS"}};
	for (size_t i = 0; i < 3; i++) {
		char f[96];
		snprintf(f, sizeof(f), "/jvn/%s/%s", slug, fm[i][0]);
		KK_HTML(b, "<a");
		kk_html__attr(b, " href=\"", f);
		KK_HTML(b, ">");
		kk_html_text(b, fm[i][1]);
		KK_HTML(b, "</a> ");
	}
	for (size_t i = 0; i < d->n_vulns; i++)
		if (d->vulns[i].cve) {
			char f[128];
			snprintf(f, sizeof(f), "/jvn/%s/cve/%s", slug, d->vulns[i].cve);
			KK_HTML(b, "<a");
			kk_html__attr(b, " href=\"", f);
			KK_HTML(b, ">");
			kk_html_textf(b, "CVE JSON %s", d->vulns[i].cve);
			KK_HTML(b, "</a> ");
		}
	KK_HTML(b, "</p>\n</article>\n");
	kk_arena_release(&a);
}

void kk_advisory_html_doc(struct kk_buf *b, const struct kk_advisory *adv, const char *lang)
{
	struct kk_arena a;
	kk_arena_init(&a, 0);
	const char *title = kk_adv_title(&adv->doc, lang, &a);
	KK_HTML(b, "<!DOCTYPE html>\n<html");
	kk_html__attr(b, " lang=\"", strcmp(lang, "en") ? "ja" : "en");
	KK_HTML(b, "><head><meta charset=\"utf-8\"><title>");
	kk_html_textf(b, "%s: %s", adv->ident, title ? title : "");
	KK_HTML(b, "</title><link rel=\"stylesheet\" href=\"/static/site.css\"></head><body>\n");
	kk_advisory_article(b, adv, lang);
	KK_HTML(b, "</body></html>\n");
	kk_arena_release(&a);
}

/* The JVNRSS document with the advisory's one item, written by vulndb's JVNRSS writer. */
static int jvnrss(struct kk_buf *b, struct kk_db *db, const struct kk_advisory *adv, const char *lang)
{
	struct kk_arena a;
	kk_arena_init(&a, 0);
	struct kk_vuln_view v;
	memset(&v, 0, sizeof(v));
	int rc = kk_adv_vuln_record(adv, &a, &v.rec);
	if (rc < 0) {
		kk_arena_release(&a);
		return rc;
	}
	v.jvndb = adv->jvndb ? adv->jvndb : "";
	v.rec.source_id = v.jvndb;
	v.published = v.first_published = v.public_date = adv->published_at;
	v.modified = adv->rev_at;
	for (size_t i = 0; i < v.rec.n_cvss; i++)
		if (!v.has_score || v.rec.cvss[i].score > v.score) {
			v.has_score = true;
			v.score = v.rec.cvss[i].score;
			v.severity = kk_vuln_severity_rank(v.rec.cvss[i].severity);
		}
	if (v.rec.n_cwes && (v.cwe_names = kk_arena_zalloc(&a, v.rec.n_cwes * sizeof(*v.cwe_names)))) {
		for (size_t i = 0; i < v.rec.n_cwes; i++) {
			v.cwe_names[i].id = v.rec.cwes[i];
			v.cwe_names[i].name = kk_adv_cwe_name(db, v.rec.cwes[i], &a);
		}
	}
	char url[256], about[320];
	kk_adv_url(adv->ident, lang, url, sizeof(url));
	snprintf(about, sizeof(about), "%s/jvnrss", url);
	const char *urls[1] = {url};
	struct kk_jvnrss_channel ch = {about, kk_adv_title(&adv->doc, lang, &a), url,
				       kk_adv_title(&adv->doc, lang, &a), strcmp(lang, "en") ? "ja" : "en",
				       adv->rev_at, false};
	struct kk_xmlw w;
	kk_xmlw_init(&w, b);
	kk_jvnrss_begin(&w, &ch, urls, 1);
	kk_jvnrss_item(&w, &v, url, lang);
	kk_jvnrss_end(&w);
	rc = kk_xmlw_finish(&w);
	kk_arena_release(&a);
	return rc ? KK_EINTERNAL : kk_buf_error(b);
}

int kk_advisory_export(struct kk_buf *b, struct kk_db *db, const struct kk_advisory *adv, const char *format,
		       const char *lang, const char *cve, const char **type, struct kk_diag *d)
{
	struct kk_json j;
	int rc;
	lang = lang && !strcmp(lang, "en") ? "en" : "ja";
	kk_json_init(&j, b);
	if (!strcmp(format, "html")) {
		*type = "text/html; charset=utf-8";
		kk_advisory_html_doc(b, adv, lang);
		return kk_buf_error(b);
	}
	if (!strcmp(format, "csaf")) {
		*type = "application/json";
		rc = kk_adv_csaf(&j, db, adv);
	} else if (!strcmp(format, "osv")) {
		*type = "application/json";
		rc = kk_adv_osv(&j, adv);
	} else if (!strcmp(format, "jvnrss")) {
		*type = "application/rdf+xml; charset=utf-8";
		rc = jvnrss(b, db, adv, lang);
	} else if (!strcmp(format, "cve5")) {
		*type = "application/json";
		rc = KK_ENOTFOUND;
		for (size_t i = 0; i < adv->doc.n_vulns; i++) {
			const char *c = adv->doc.vulns[i].cve;
			if (!c || (cve && strcmp(cve, c)))
				continue;
			if (rc == 0)
				kk_buf_putc(b, '\n');
			kk_json_init(&j, b);
			if ((rc = kk_adv_cve5(&j, adv, i)))
				break;
		}
		if (rc == KK_ENOTFOUND && cve)
			return kk_diag_set(d, rc, "cve", "%s has no vulnerability %s", adv->ident, cve);
		if (rc == KK_ENOTFOUND)
			return kk_diag_set(d, rc, "cve",
					   "%s has no CVE id yet: give one, or publish it to take one from the pool",
					   adv->ident);
	} else {
		return kk_diag_set(d, KK_EINVAL, "format", "'%s' is not a format: " KK_ADV_FORMATS, format);
	}
	if (!rc && kk_buf_error(b))
		rc = kk_buf_error(b);
	if (!rc)
		kk_buf_putc(b, '\n');
	return rc;
}

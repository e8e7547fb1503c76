/*
 * page_advisory.c — advisories on the web: the public lists and pages
 * (/jvn, /jvn/{id}, /jvn/{id}/en), every format at its stable URL, the CSAF
 * provider metadata and directory (/.well-known/csaf/...), and the
 * coordinators' editor (list, create, edit ja/en, preview, publish/schedule).
 * The public sees published revisions only: before the publication instant
 * every public URL here answers 404.
 */
#include "auth/policy.h"
#include "base/clock.h"
#include "publish/advisory.h"
#include "publish/formats.h"
#include "store/db.h"
#include "web/handlers.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/page_advisory.h"
#include "web/page_report.h"
#include "web/web.h"
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- public --------------------------------------------------------------------- */

int kk_web_advisory_load(struct kk_req *r, bool public, struct kk_advisory *a)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	int64_t id;
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_adv_find(db, kk_req_param(r, "id"), &id);
	if (!rc)
		rc = kk_adv_get(db, id, public, &r->arena, a, &d);
	if (rc == KK_ENOTFOUND)
		return kk_req_fail(r, rc, "id", "no %sadvisory %s", public ? "published " : "", kk_req_param(r, "id"));
	if (rc)
		return kk_req_fail(r, rc, d.where[0] ? d.where : NULL, "%s", d.msg[0] ? d.msg : kk_err_msg(rc));
	return 0;
}

static int load(struct kk_req *r, bool public, struct kk_advisory *a)
{
	return kk_web_advisory_load(r, public, a);
}

/* What a refused change says on the editor page: "field: why", or why. */
static const char *diag_text(struct kk_req *r, const struct kk_diag *d, int rc)
{
	if (d->where[0])
		return kk_arena_printf(&r->arena, "%s: %s", d->where, d->msg);
	return d->msg[0] ? kk_arena_strdup(&r->arena, d->msg) : kk_err_msg(rc);
}

/* 303 to the editor of ident (query: "" or "?saved=1"). */
static int to_editor(struct kk_req *r, const char *ident, const char *query)
{
	char slug[KK_ADV_IDENT_MAX];
	kk_adv_ident_slug(ident, slug, sizeof(slug));
	kk_resp_redirect(r, kk_arena_printf(&r->arena, "/advisories/%s%s", slug, query));
	return 0;
}

/* The advisory page: the site layout around the article. The preview is this same page. */
static int advisory_page(struct kk_req *r, const struct kk_advisory *a, const char *lang)
{
	struct kk_arena *ar = &r->arena;
	const char *title = kk_adv_title(&a->doc, lang, ar);
	kk_page_open(r, kk_arena_printf(ar, "%s: %s", a->ident, title ? title : ""));
	kk_advisory_article(&r->resp.body, a, lang);
	return kk_page_close(r, 200);
}

static int public_page(struct kk_req *r, const char *lang)
{
	struct kk_advisory a;
	int rc = load(r, true, &a);
	if (rc)
		return rc;
	kk_resp_header(r, "Cache-Control", "public, max-age=300");
	return advisory_page(r, &a, lang);
}

int page_jvn(struct kk_req *r)
{
	return public_page(r, "ja");
}

int page_jvn_en(struct kk_req *r)
{
	return public_page(r, "en");
}

static int format(struct kk_req *r, const char *fmt, const char *lang, const char *cve)
{
	struct kk_advisory a;
	int rc = load(r, true, &a);
	if (rc)
		return rc;
	struct kk_diag d;
	const char *type = "application/json";
	kk_diag_clear(&d);
	rc = kk_advisory_export(&r->resp.body, r->db, &a, fmt, lang, cve, &type, &d);
	if (rc) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, d.where[0] ? d.where : NULL, "%s", d.msg[0] ? d.msg : kk_err_msg(rc));
	}
	r->resp.status = 200;
	r->resp.type = type;
	kk_resp_header(r, "Cache-Control", "public, max-age=300");
	return 0;
}

int page_jvn_csaf(struct kk_req *r)
{
	return format(r, "csaf", "en", NULL);
}

int page_jvn_osv(struct kk_req *r)
{
	return format(r, "osv", "en", NULL);
}

int page_jvn_jvnrss(struct kk_req *r)
{
	const char *l = kk_req_query(r, "lang");
	return format(r, "jvnrss", l && !strcmp(l, "en") ? "en" : "ja", NULL);
}

int page_jvn_cve5(struct kk_req *r)
{
	return format(r, "cve5", "en", kk_req_param(r, "cve"));
}

const char *const kk_page_advisory_kinds[3][3] = {
    {"JVN", "JVN#", "partnership advisories (JVN#)"},
    {"JVNVU", "JVNVU#", "advisories coordinated with overseas coordinators (JVNVU#)"},
    {"JVNTA", "JVNTA", "technical alerts (JVNTA)"},
};

struct list_ctx {
	struct kk_req *r;
	bool staff;
};

static int list_tr(void *arg, const struct kk_adv_row *row)
{
	struct list_ctx *c = arg;
	struct kk_req *r = c->r;
	struct kk_buf *b = &r->resp.body;
	char slug[KK_ADV_IDENT_MAX], href[64];
	kk_adv_ident_slug(row->ident, slug, sizeof(slug));
	bool en = !strcmp(r->lang, "en");
	KK_HTML(b, "<tr><td><a");
	snprintf(href, sizeof(href), c->staff ? "/advisories/%s" : en ? "/jvn/%s/en" : "/jvn/%s", slug);
	KK_HTML_ATTR(b, "href", href);
	KK_HTML_EL(b, ">", row->ident, "</a></td><td>");
	const char *t = en ? (row->title_en ? row->title_en : row->title_ja) : (row->title_ja ? row->title_ja : row->title_en);
	kk_html_text(b, t ? t : "");
	KK_HTML_EL(b, "</td><td>", row->public_rev ? kk_page_time(r, row->published_at) : "-", "</td>");
	if (c->staff) {
		KK_HTML_EL(b, "<td>", row->state, "</td>");
		KK_HTML_EL(b, "<td>", row->publish_at ? kk_page_time(r, row->publish_at) : "-", "</td>");
	}
	KK_HTML(b, "</tr>");
	return 0;
}

void kk_page_advisory_list(struct kk_req *r, const char *kind, bool staff, int limit)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<div class=\"table-wrap\"><table class=\"advisories\"><thead><tr><th>");
	kk_html_text(b, _("Identifier"));
	KK_HTML(b, "</th><th>");
	kk_html_text(b, _("Title"));
	KK_HTML(b, "</th><th>");
	kk_html_text(b, _("Published"));
	KK_HTML(b, "</th>");
	if (staff) {
		KK_HTML_EL(b, "<th>", _("State"), "</th>");
		KK_HTML_EL(b, "<th>", _("Scheduled (JST)"), "</th>");
	}
	KK_HTML(b, "</tr></thead><tbody>");
	struct list_ctx c = {r, staff};
	if (kk_adv_list(r->db, !staff, kind, limit, list_tr, &c) == 0 && !staff)
		KK_HTML_EL(b, "<tr class=\"empty\"><td colspan=\"3\">", _("None published yet."), "</td></tr>");
	KK_HTML(b, "</tbody></table></div>");
}

int page_jvn_list(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	const char *want = kk_req_query(r, "kind");
	if (want && *want && kk_adv_kind_valid(want))
		return kk_req_fail(r, KK_EINVAL, "kind", "'%s' is not an advisory kind: JVN, JVNVU or JVNTA", want);
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, _("Vulnerability advisories"));
	KK_HTML_EL(b, "<h1>", _("Vulnerability advisories"), "</h1>");
	for (size_t i = 0; i < 3; i++) {
		if (want && *want && strcmp(want, kk_page_advisory_kinds[i][0]))
			continue;
		KK_HTML(b, "<section");
		KK_HTML_ATTR(b, "id", kk_page_advisory_kinds[i][0]);
		KK_HTML(b, "><h2>");
		kk_html_text(b, _(kk_page_advisory_kinds[i][2]));
		KK_HTML(b, "</h2>");
		kk_page_advisory_list(r, kk_page_advisory_kinds[i][0], false, 100);
		KK_HTML(b, "</section>");
	}
	return kk_page_close(r, 200);
}

/* ---- CSAF distribution ------------------------------------------------------------- */

int wk_csaf_provider(struct kk_req *r)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	int rc = kk_csaf_provider_metadata(&j, db);
	if (rc)
		return kk_req_fail(r, rc, NULL, NULL);
	kk_buf_putc(&r->resp.body, '\n');
	return 0;
}

static int csaf_listing(struct kk_req *r, bool changes)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	int rc = kk_csaf_index(&r->resp.body, db, changes);
	if (rc)
		return kk_req_fail(r, rc, NULL, NULL);
	r->resp.status = 200;
	r->resp.type = changes ? "text/csv; charset=utf-8" : "text/plain; charset=utf-8";
	return 0;
}

int wk_csaf_index(struct kk_req *r)
{
	return csaf_listing(r, false);
}

int wk_csaf_changes(struct kk_req *r)
{
	return csaf_listing(r, true);
}

int wk_csaf_file(struct kk_req *r)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	int64_t id;
	if (kk_csaf_find(db, kk_req_param(r, "year"), kk_req_param(r, "file"), &id))
		return kk_req_fail(r, KK_ENOTFOUND, NULL, NULL);
	struct kk_advisory a;
	struct kk_diag d;
	int rc = kk_adv_get(db, id, true, &r->arena, &a, &d);
	if (!rc) {
		struct kk_json j;
		kk_resp_json(r, 200, &j);
		rc = kk_adv_csaf(&j, db, &a);
	}
	if (rc) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, NULL, NULL);
	}
	kk_buf_putc(&r->resp.body, '\n');
	return 0;
}

/* ---- the editor ----------------------------------------------------------------------- */

static const char *const text_items[][3] = {
    {"product", "Product", "製品名"},
    {"vulnerability", "Vulnerability name", "脆弱性の名称"},
    {"title", "Title (empty: made from product and vulnerability name)", "タイトル"},
    {"overview", "Overview", "概要"},
    {"version_check", "How users check their version", "バージョンの確認方法"},
    {"description", "Description", "詳細情報"},
    {"threat", "Impact", "想定される影響"},
    {"fix", "Solution", "対策方法"},
    {"workaround", "Workaround", "ワークアラウンド"},
    {"acknowledgements", "Acknowledgements", "謝辞"},
    {"contact", "Contact", "連絡先"},
};
#define N_TEXT (sizeof(text_items) / sizeof(text_items[0]))

/* What the editor form shows: from the database or from a refused submission. */
struct form_vals {
	const char *text[N_TEXT][2]; /* [item][0 ja, 1 en] */
	const char *lists, *case_ref, *report;
};

static void textarea(struct kk_buf *b, const char *name, const char *label, const char *value, int rows)
{
	KK_HTML(b, "<label>");
	kk_html_text(b, label);
	KK_HTML(b, "<textarea");
	KK_HTML_ATTR(b, "name", name);
	KK_HTML_ATTR(b, "rows", rows == 2 ? "2" : rows == 4 ? "4" : "12");
	KK_HTML(b, ">");
	kk_html_text(b, value);
	KK_HTML(b, "</textarea></label>");
}

static void input(struct kk_buf *b, const char *name, const char *label, const char *value, const char *type)
{
	KK_HTML(b, "<label>");
	kk_html_text(b, label);
	KK_HTML(b, "<input");
	KK_HTML_ATTR(b, "type", type);
	KK_HTML_ATTR(b, "name", name);
	if (value)
		KK_HTML_ATTR(b, "value", value);
	KK_HTML(b, "></label>");
}

/* The lists (products, vulnerabilities, vendors, references) of doc as indented JSON. */
static const char *lists_json(struct kk_req *r, const struct kk_adv *doc)
{
	struct kk_buf b = KK_BUF_INIT(4 * KK_ADV_JSON_MAX);
	struct kk_json j;
	kk_json_init(&j, &b);
	kk_adv_write(&j, doc);
	json_t *o = json_loadb(b.ptr, b.len, 0, NULL);
	kk_buf_release(&b);
	if (!o)
		return "{}";
	json_t *keep = json_object();
	static const char *const keys[] = {"products", "vulnerabilities", "vendors", "references"};
	for (size_t i = 0; i < 4; i++)
		json_object_set(keep, keys[i], json_object_get(o, keys[i]));
	char *s = json_dumps(keep, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	const char *out = s ? kk_arena_strdup(&r->arena, s) : "{}";
	free(s);
	json_decref(keep);
	json_decref(o);
	return out;
}

static void vals_from_doc(struct kk_req *r, const struct kk_adv *d, struct form_vals *v)
{
	const struct kk_adv_text *t[N_TEXT] = {&d->product, &d->vulnerability, &d->title,  &d->overview,
					      &d->version_check, &d->description, &d->threat, &d->fix,
					      &d->workaround, &d->acknowledgements, &d->contact};
	for (size_t i = 0; i < N_TEXT; i++) {
		v->text[i][0] = t[i]->ja;
		v->text[i][1] = t[i]->en;
	}
	v->lists = lists_json(r, d);
	v->case_ref = d->case_ref;
	v->report = d->report;
}

static void vals_from_form(struct kk_req *r, struct form_vals *v)
{
	for (size_t i = 0; i < N_TEXT; i++)
		for (int l = 0; l < 2; l++)
			v->text[i][l] =
			    kk_req_form(r, kk_arena_printf(&r->arena, "%s.%s", text_items[i][0], l ? "en" : "ja"));
	v->lists = kk_req_form(r, "lists");
	v->case_ref = kk_req_form(r, "case");
	v->report = kk_req_form(r, "report");
}

static int editor_page(struct kk_req *r, int status, const struct kk_advisory *a, const struct form_vals *v,
		       const char *kind, const char *notice)
{
	struct kk_buf *b = &r->resp.body;
	char slug[KK_ADV_IDENT_MAX], action[96];
	kk_adv_ident_slug(a->ident, slug, sizeof(slug));
	kk_page_open(r, kk_arena_printf(&r->arena, "%s — %s", _("Edit advisory"), a->ident));
	KK_HTML_EL(b, "<h1>", a->ident, "</h1>");
	KK_HTML(b, "<p class=\"advisory-state\">");
	kk_html_textf(b, "%s: %s", _("State"), a->state);
	if (a->publish_at)
		kk_html_textf(b, " — %s %s", _("scheduled for"), kk_page_time(r, a->publish_at));
	if (a->public_rev)
		kk_html_textf(b, " — %s %d", _("published revision"), a->public_rev);
	KK_HTML(b, " <a");
	snprintf(action, sizeof(action), "/advisories/%s/preview", slug);
	KK_HTML_ATTR(b, "href", action);
	KK_HTML_EL(b, ">", _("Preview (Japanese)"), "</a> <a");
	snprintf(action, sizeof(action), "/advisories/%s/preview?lang=en", slug);
	KK_HTML_ATTR(b, "href", action);
	KK_HTML_EL(b, ">", _("Preview (English)"), "</a></p>");
	if (notice)
		kk_page_notice(r, kind, notice);
	KK_HTML(b, "<div class=\"card\"><form method=\"post\" class=\"advisory-editor\"");
	snprintf(action, sizeof(action), "/advisories/%s", slug);
	KK_HTML_ATTR(b, "action", action);
	KK_HTML(b, ">");
	kk_page_csrf_field(r);
	for (size_t i = 0; i < N_TEXT; i++) {
		KK_HTML(b, "<fieldset><legend>");
		kk_html_textf(b, "%s / %s", text_items[i][2], text_items[i][1]);
		KK_HTML(b, "</legend>");
		int rows = i < 3 ? 2 : i == 5 ? 12 : 4;
		textarea(b, kk_arena_printf(&r->arena, "%s.ja", text_items[i][0]), "日本語", v->text[i][0], rows);
		textarea(b, kk_arena_printf(&r->arena, "%s.en", text_items[i][0]), "English", v->text[i][1], rows);
		KK_HTML(b, "</fieldset>");
	}
	textarea(b, "lists",
		 _("Products, vulnerabilities (CVE, CWE, CVSS 3.1/4.0), vendor status and references (JSON)"),
		 v->lists, 12);
	input(b, "case", _("Coordination case"), v->case_ref, "text");
	input(b, "report", _("Report tracking number (for the finder's credit)"), v->report, "text");
	kk_page_submit(r, _("Save"));
	/* publish now or at a date and time (JST) */
	KK_HTML(b, "<div class=\"card\"><h2>");
	kk_html_text(b, _("Publication"));
	KK_HTML(b, "</h2><form method=\"post\"");
	snprintf(action, sizeof(action), "/advisories/%s/publish", slug);
	KK_HTML_ATTR(b, "action", action);
	KK_HTML(b, ">");
	kk_page_csrf_field(r);
	input(b, "at", _("Publish at (JST)"), NULL, "datetime-local");
	input(b, "note_ja", _("History note (日本語), for a new revision"), NULL, "text");
	input(b, "note_en", _("History note (English), for a new revision"), NULL, "text");
	KK_HTML(b, "<p><button name=\"verb\" value=\"schedule\">");
	kk_html_text(b, _("Schedule"));
	KK_HTML(b, "</button> <button name=\"verb\" value=\"now\">");
	kk_html_text(b, _("Publish now"));
	KK_HTML(b, "</button> <button name=\"verb\" value=\"cancel\">");
	kk_html_text(b, _("Cancel the schedule"));
	KK_HTML(b, "</button></p></form></div>");
	return kk_page_close(r, status);
}

int page_advisories(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, _("Advisories"));
	KK_HTML_EL(b, "<h1>", _("Advisories"), "</h1>");
	long free_n = 0, taken = 0;
	if (!kk_cve_pool_level(r->db, &free_n, &taken)) {
		KK_HTML(b, "<p class=\"cve-pool\">");
		kk_html_textf(b, "%s: %ld / %ld", _("CVE pool (free / taken)"), free_n, taken);
		KK_HTML(b, "</p>");
		if (free_n < kk_cve_pool_low())
			kk_page_notice(r, "error", _("The CVE pool is low: reserve more ids and add them with 'keikai cve-pool add'."));
	}
	KK_HTML(b, "<div class=\"card\"><form method=\"post\" action=\"/advisories\">");
	kk_page_csrf_field(r);
	KK_HTML(b, "<label>");
	kk_html_text(b, _("Kind"));
	KK_HTML(b, "<select name=\"kind\">");
	for (size_t i = 0; i < 3; i++) {
		KK_HTML(b, "<option");
		KK_HTML_ATTR(b, "value", kk_page_advisory_kinds[i][0]);
		KK_HTML_EL(b, ">", _(kk_page_advisory_kinds[i][2]), "</option>");
	}
	KK_HTML(b, "</select></label>");
	kk_page_submit(r, _("Create a draft"));
	kk_page_advisory_list(r, NULL, true, 500);
	return kk_page_close(r, 200);
}

struct ctx_tx {
	const struct kk_actor *actor;
	const char *param, *kind, *json, *note_ja, *note_en;
	const char *verb;
	size_t n;
	int64_t id, at;
	char made[KK_ADV_IDENT_MAX];
	const unsigned char *key; /* publishing now: unseals the finders' contact */
	struct kk_diag d;
};

static int create_tx(struct kk_db *db, void *arg)
{
	struct ctx_tx *t = arg;
	return kk_adv_create(db, t->actor, t->kind, NULL, 0, &t->id, t->made, &t->d);
}

int page_advisories_create(struct kk_req *r)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	struct ctx_tx t = {.actor = &r->actor, .kind = kk_req_form(r, "kind")};
	kk_diag_clear(&t.d);
	int rc = kk_db_tx(db, create_tx, &t);
	if (rc)
		return kk_req_fail(r, rc, "kind", "%s", t.d.msg[0] ? t.d.msg : kk_err_msg(rc));
	return to_editor(r, t.made, "");
}

int page_advisory_edit(struct kk_req *r)
{
	struct kk_advisory a;
	int rc = load(r, false, &a);
	if (rc)
		return rc;
	struct form_vals v;
	vals_from_doc(r, &a.doc, &v);
	const char *saved = kk_req_query(r, "saved");
	return editor_page(r, 200, &a, &v, "ok", saved ? _("Saved.") : NULL);
}

/* The editor document from the form: the texts, the lists (a JSON object), case and report. */
static char *form_doc(struct kk_req *r, struct kk_diag *d)
{
	json_t *doc = NULL;
	const char *lists = kk_req_form(r, "lists");
	if (lists && *lists) {
		json_error_t e;
		doc = json_loads(lists, JSON_REJECT_DUPLICATES, &e);
		if (!doc || !json_is_object(doc)) {
			json_decref(doc);
			kk_diag_set(d, KK_EPARSE, "lists", "the lists are not a JSON object: %s (line %d)",
				    doc ? "not an object" : e.text, e.line);
			return NULL;
		}
		const char *k;
		json_t *x;
		json_object_foreach(doc, k, x)
		{
			if (strcmp(k, "products") && strcmp(k, "vulnerabilities") && strcmp(k, "vendors") &&
			    strcmp(k, "references")) {
				kk_diag_set(d, KK_EPARSE, "lists", "'%s' does not belong in the lists: use products, "
								   "vulnerabilities, vendors and references",
					    k);
				json_decref(doc);
				return NULL;
			}
		}
	} else {
		doc = json_object();
	}
	for (size_t i = 0; i < N_TEXT; i++) {
		json_t *t = json_object();
		for (int l = 0; l < 2; l++) {
			const char *s = kk_req_form(r, kk_arena_printf(&r->arena, "%s.%s", text_items[i][0], l ? "en" : "ja"));
			if (s && *s)
				json_object_set_new(t, l ? "en" : "ja", json_string(s));
		}
		if (json_object_size(t))
			json_object_set_new(doc, text_items[i][0], t);
		else
			json_decref(t);
	}
	const char *c = kk_req_form(r, "case"), *rep = kk_req_form(r, "report");
	if (c && *c)
		json_object_set_new(doc, "case", json_string(c));
	if (rep && *rep)
		json_object_set_new(doc, "report", json_string(rep));
	char *s = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!s)
		kk_diag_set(d, KK_EINVAL, "", "a text is not valid UTF-8");
	return s;
}

static int save_tx(struct kk_db *db, void *arg)
{
	struct ctx_tx *t = arg;
	int rc = kk_adv_find(db, t->param, &t->id);
	return rc ? rc : kk_adv_update(db, t->actor, t->id, t->json, t->n, &t->d);
}

int page_advisory_save(struct kk_req *r)
{
	struct kk_advisory a;
	int rc = load(r, false, &a);
	if (rc)
		return rc;
	struct ctx_tx t = {.actor = &r->actor, .param = kk_req_param(r, "id")};
	kk_diag_clear(&t.d);
	char *json = form_doc(r, &t.d);
	if (json) {
		t.json = kk_arena_strdup(&r->arena, json);
		t.n = strlen(json);
		free(json);
		rc = kk_db_tx(r->db, save_tx, &t);
	} else {
		rc = t.d.code ? t.d.code : KK_EINVAL;
	}
	if (rc) {
		struct form_vals v;
		vals_from_form(r, &v);
		return editor_page(r, kk_err_http(rc), &a, &v, "error", diag_text(r, &t.d, rc));
	}
	return to_editor(r, a.ident, "?saved=1");
}

int page_advisory_preview(struct kk_req *r)
{
	struct kk_advisory a;
	int rc = load(r, false, &a);
	if (rc)
		return rc;
	const char *l = kk_req_query(r, "lang");
	kk_resp_header(r, "Cache-Control", "no-store");
	return advisory_page(r, &a, l && !strcmp(l, "en") ? "en" : "ja");
}

static int publish_tx(struct kk_db *db, void *arg)
{
	struct ctx_tx *t = arg;
	int rc = kk_adv_find(db, t->param, &t->id);
	if (rc)
		return rc;
	if (!strcmp(t->verb, "now"))
		return kk_adv_publish(db, t->actor, t->key, t->id, t->note_ja, t->note_en, NULL, &t->d);
	return kk_adv_schedule(db, t->actor, t->id, strcmp(t->verb, "cancel") ? t->at : 0, t->note_ja, t->note_en,
			       &t->d);
}

int page_advisory_publish(struct kk_req *r)
{
	struct kk_advisory a;
	int rc = load(r, false, &a);
	if (rc)
		return rc;
	struct ctx_tx t = {.actor = &r->actor, .param = kk_req_param(r, "id"), .verb = kk_req_form(r, "verb")};
	kk_diag_clear(&t.d);
	const char *at = kk_req_form(r, "at");
	t.note_ja = kk_req_form(r, "note_ja");
	t.note_en = kk_req_form(r, "note_en");
	if (!t.verb || (strcmp(t.verb, "now") && strcmp(t.verb, "schedule") && strcmp(t.verb, "cancel")))
		rc = kk_diag_set(&t.d, KK_EINVAL, "verb", "choose Schedule, Publish now or Cancel the schedule");
	else if (!strcmp(t.verb, "schedule") &&
		 (!at || !*at ||
		  kk_time_parse(strlen(at) == 16 ? kk_arena_printf(&r->arena, "%s+09:00", at) : at, &t.at)))
		rc = kk_diag_set(&t.d, KK_EINVAL, "at", "give the publication date and time (JST)");
	else {
		unsigned char key[KK_KEY_BYTES];
		if (!strcmp(t.verb, "now")) {
			if (kk_page_report_key(r, key) < 0)
				return KK_EINTERNAL;
			t.key = key;
		}
		rc = kk_db_tx(r->db, publish_tx, &t);
		sodium_memzero(key, sizeof(key));
	}
	struct form_vals v;
	vals_from_doc(r, &a.doc, &v);
	if (rc) {
		return editor_page(r, kk_err_http(rc), &a, &v, "error", diag_text(r, &t.d, rc));
	}
	struct kk_advisory now;
	struct kk_diag d;
	if (kk_adv_get(r->db, t.id, false, &r->arena, &now, &d))
		return kk_req_fail(r, KK_EINTERNAL, NULL, NULL);
	vals_from_doc(r, &now.doc, &v);
	return editor_page(r, 200, &now, &v, "ok",
			   !strcmp(t.verb, "now") ? _("Published.") : !strcmp(t.verb, "cancel") ? _("Schedule cancelled.")
											: _("Publication scheduled."));
}

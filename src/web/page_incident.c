/*
 * page_incident.c — the incident pages (issue 22): the public report form
 * in Japanese and English (/incident), its receipt with the secret link
 * shown once, the reporter's status page through the link, and the staff's
 * list and report pages (contact only through the audited reveal form).
 * Texts are chosen by the page's language (L()); everything written through
 * html.h, escaped.
 */
#include "base/str.h"
#include "incident/incident.h"
#include "store/db.h"
#include "web/handlers.h"
#include "web/html.h"
#include "web/incident_web.h"
#include "web/page_report.h"
#include "web/web.h"
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *L(const struct kk_req *r, const char *en, const char *ja)
{
	return strcmp(r->lang, "ja") ? en : ja;
}

static const char *const TLPS[] = {"amber", "green", "clear", "red"};

struct form {
	const char *csrf, *err_field, *err_msg;
	const char *v[11];
};
/* form field names, in the page's order; the JSON path each fills */
static const char *const FIELD[] = {"category", "tlp",       "summary",        "description",  "urls",          "domains",
				    "ips",      "reporter.name", "reporter.email", "reporter.org", "reporter.phone"};

struct cat_opts {
	struct kk_req *r;
	const char *cur;
};

static int cat_option(void *arg, const struct kk_incident_category *c)
{
	struct cat_opts *o = arg;
	kk_page_option(&o->r->resp.body, c->code, L(o->r, c->name_en, c->name_ja), o->cur);
	return 0;
}

static void field(struct kk_req *r, const struct form *f, int i, const char *label, bool area, const char *hint)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<p><label");
	KK_HTML_ATTR(b, "for", FIELD[i]);
	KK_HTML(b, ">");
	kk_html_text(b, label);
	KK_HTML(b, "</label>");
	if (f->err_field && !strncmp(f->err_field, FIELD[i], strlen(FIELD[i])))
		KK_HTML_EL(b, " <strong class=\"field-error\">", f->err_msg, "</strong>");
	KK_HTML(b, "<br>");
	if (area) {
		KK_HTML(b, "<textarea rows=\"4\" cols=\"70\"");
		KK_HTML_ATTR(b, "id", FIELD[i]);
		KK_HTML_ATTR(b, "name", FIELD[i]);
		KK_HTML(b, ">");
		kk_html_text(b, f->v[i] ? f->v[i] : "");
		KK_HTML(b, "</textarea>");
	} else {
		KK_HTML(b, "<input size=\"60\"");
		KK_HTML_ATTR(b, "id", FIELD[i]);
		KK_HTML_ATTR(b, "name", FIELD[i]);
		KK_HTML_ATTR(b, "value", f->v[i] ? f->v[i] : "");
		KK_HTML(b, ">");
	}
	if (hint)
		KK_HTML_EL(b, "<br><small>", hint, "</small>");
	KK_HTML(b, "</p>");
}

static int form_page(struct kk_req *r, int status, const struct form *f)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, L(r, "Report an incident", "インシデントの報告"));
	KK_HTML_EL(b, "<h1>", L(r, "Report an incident", "インシデントの報告"), "</h1>");
	KK_HTML_EL(b, "<p>",
		   L(r, "Phishing sites, altered websites, malware sites, scans, DoS attacks and other incidents. "
			"Your contact is kept sealed; only the handlers who need it can open it.",
		     "フィッシングサイト、Web サイト改ざん、マルウエアサイト、スキャン、DoS 攻撃などのインシデントをご報告ください。"
		     "ご連絡先は封印して保管し、必要な担当者だけが開きます。"),
		   "</p>");
	if (f->err_msg)
		kk_page_notice(r, "error", f->err_msg);
	KK_HTML(b, "<form method=\"post\" action=\"/incident\" enctype=\"multipart/form-data\" id=\"incident-form\">"
		   "<input type=\"hidden\" name=\"csrf\"");
	KK_HTML_ATTR(b, "value", f->csrf);
	KK_HTML(b, "><input type=\"hidden\" name=\"lang\"");
	KK_HTML_ATTR(b, "value", r->lang);
	KK_HTML(b, "><p><label for=\"category\">");
	kk_html_text(b, L(r, "Category", "種別"));
	KK_HTML(b, "</label><br><select id=\"category\" name=\"category\">");
	struct cat_opts o = {r, f->v[0]};
	int rc = kk_incident_categories(db, cat_option, &o);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML(b, "</select></p><p><label for=\"tlp\">TLP</label><br><select id=\"tlp\" name=\"tlp\">");
	for (size_t i = 0; i < 4; i++)
		kk_page_option(b, TLPS[i], kk_arena_printf(&r->arena, "TLP:%s", TLPS[i]), f->v[1]);
	KK_HTML(b, "</select></p>");
	field(r, f, 2, L(r, "What happened (one line)", "概要（1 行）"), false, NULL);
	field(r, f, 3, L(r, "Details", "詳細"), true, NULL);
	const char *one = L(r, "One per line.", "1 行に 1 つ。");
	field(r, f, 4, L(r, "URLs involved", "関係する URL"), true, one);
	field(r, f, 5, L(r, "Domains involved", "関係するドメイン"), true, one);
	field(r, f, 6, L(r, "IP addresses involved", "関係する IP アドレス"), true, one);
	KK_HTML_EL(b, "<h2>", L(r, "Your contact", "ご連絡先"), "</h2>");
	field(r, f, 7, L(r, "Name", "氏名"), false, NULL);
	field(r, f, 8, L(r, "E-mail (required)", "メールアドレス（必須）"), false, NULL);
	field(r, f, 9, L(r, "Organization", "組織名"), false, NULL);
	field(r, f, 10, L(r, "Phone", "電話番号"), false, NULL);
	KK_HTML(b, "<p><label for=\"file\">");
	kk_html_text(b, L(r, "Evidence (mail headers, logs; never opened by us)", "証跡（メールヘッダ、ログなど。開いて実行することはありません）"));
	KK_HTML(b, "</label><br><input type=\"file\" id=\"file\" name=\"file\" multiple></p>");
	kk_page_submit(r, L(r, "Send the report", "報告する"));
	KK_HTML(b, "</form>");
	return kk_page_close(r, status);
}

int page_incident_form(struct kk_req *r)
{
	struct form f = {.csrf = kk_report_form_csrf(r, false)};
	return form_page(r, 200, &f);
}

/* Appends the lines of text (one value a line) to arr. */
static void lines(json_t *arr, const char *text)
{
	while (text && *text) {
		size_t n = strcspn(text, "\r\n");
		if (n)
			json_array_append_new(arr, json_stringn(text, n));
		text += n;
		text += strspn(text, "\r\n");
	}
}

static char *form_json(struct kk_req *r, struct form *f)
{
	json_t *root = json_object(), *rep = json_object();
	json_object_set_new(root, "lang", json_string(r->lang));
	for (int i = 0; i < 11; i++) {
		const char *v = f->v[i];
		if (!v || !*v)
			continue;
		if (i >= 4 && i <= 6) {
			json_t *arr = json_array();
			lines(arr, v);
			json_object_set_new(root, FIELD[i], arr);
		} else if (i >= 7) {
			json_object_set_new(rep, FIELD[i] + 9, json_string(v));
		} else {
			json_object_set_new(root, FIELD[i], json_string(v));
		}
	}
	json_object_set_new(root, "reporter", rep);
	char *s = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	return s;
}

static int receipt(struct kk_req *r, const struct kk_incident_receipt *rc)
{
	struct kk_buf *b = &r->resp.body;
	kk_resp_header(r, "Cache-Control", "no-store");
	kk_page_open(r, L(r, "Incident report received", "インシデント報告を受け付けました"));
	KK_HTML_EL(b, "<h1>", L(r, "Incident report received", "インシデント報告を受け付けました"),
		   "</h1><div class=\"card\" id=\"receipt\"><dl class=\"props\"><dt>");
	kk_html_text(b, L(r, "Tracking number", "受付番号"));
	KK_HTML_EL(b, "</dt><dd id=\"tracking\">", rc->tracking, "</dd></dl>");
	kk_page_notice(r, "error",
		       L(r, "Keep this link. It is shown only this once and is the only way to follow your report.",
			 "このリンクを保存してください。表示はこの一度だけで、報告の状況を確認する唯一の方法です。"));
	const char *path = kk_arena_printf(&r->arena, "/incident/r/%s?key=%s", rc->tracking, rc->token);
	KK_HTML(b, "<p><a id=\"secret-link\"");
	KK_HTML_ATTR(b, "href", path);
	KK_HTML(b, "><code class=\"secret\">");
	kk_html_text(b, path);
	KK_HTML(b, "</code></a></p></div>");
	return kk_page_close(r, 201);
}

int page_incident_post(struct kk_req *r)
{
	struct kk_intake_limits l;
	int rc = kk_report_start(r, &l);
	if (rc < 0)
		return rc;
	struct form f = {0};
	for (int i = 0; i < 11; i++)
		f.v[i] = kk_req_form(r, FIELD[i]);
	if (!kk_report_form_csrf_ok(r)) {
		f.csrf = kk_report_form_csrf(r, true);
		f.err_msg = L(r, "The form expired. Check your entries and send it again.",
			      "フォームの有効期限が切れました。内容を確かめてもう一度送ってください。");
		return form_page(r, 400, &f);
	}
	f.csrf = kk_report_form_csrf(r, false);
	struct kk_diag d;
	kk_diag_clear(&d);
	struct kk_upload *u;
	int nu = kk_report_uploads(r, &l, &u, &d);
	if (nu < 0) {
		f.err_field = "file";
		f.err_msg = kk_arena_strdup(&r->arena, d.msg);
		return form_page(r, nu == KK_ETOOBIG ? 413 : 422, &f);
	}
	char *json = form_json(r, &f);
	if (!json)
		return kk_req_fail(r, KK_ENOMEM, NULL, NULL);
	struct kk_incident_submit s = {.actor = &r->actor};
	bool replied;
	rc = kk_incident_web_submit(r, json, strlen(json), &l, u, nu, "web", &s, &replied);
	free(json);
	if (rc < 0 && replied)
		return rc;
	if (rc < 0) {
		f.err_field = kk_arena_strdup(&r->arena, s.d.where);
		f.err_msg = kk_arena_printf(&r->arena, "%s: %s", s.d.where, s.d.msg);
		return form_page(r, 422, &f);
	}
	rc = receipt(r, &s.rc);
	sodium_memzero(&s.rc, sizeof(s.rc));
	return rc;
}

/* Renders the report view (incident.h JSON) as a definition list and tables. */
static void render(struct kk_req *r, json_t *o, const char *file_base, const char *key)
{
	struct kk_buf *b = &r->resp.body;
	static const char *const keys[] = {"tracking", "status", "category", "tlp", "received_at", "source", "summary",
					   "description"};
	KK_HTML(b, "<dl class=\"props\" id=\"report\">");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = json_string_value(json_object_get(o, keys[i]));
		if (!v)
			continue;
		KK_HTML_EL(b, "<dt>", keys[i], "</dt>");
		KK_HTML_EL(b, "<dd>", v, "</dd>");
	}
	KK_HTML(b, "</dl>");
	KK_HTML_EL(b, "<h2>", L(r, "URLs, domains and addresses", "URL・ドメイン・IP アドレス"),
		   "</h2><ul id=\"indicators\">");
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(o, "indicators"), i, v)
	{
		KK_HTML_EL(b, "<li>", json_string_value(json_object_get(v, "kind")), ": <code>");
		kk_html_text(b, json_string_value(json_object_get(v, "value")));
		KK_HTML(b, "</code></li>");
	}
	KK_HTML_EL(b, "</ul><h2>", L(r, "Files", "ファイル"), "</h2><ul id=\"files\">");
	json_array_foreach(json_object_get(o, "files"), i, v)
	{
		const char *sha = json_string_value(json_object_get(v, "sha256"));
		KK_HTML(b, "<li><a download");
		KK_HTML_ATTR(b, "href", key ? kk_arena_printf(&r->arena, "%s/%s?key=%s", file_base, sha, key)
					    : kk_arena_printf(&r->arena, "%s/%s", file_base, sha));
		KK_HTML(b, ">");
		kk_html_text(b, json_string_value(json_object_get(v, "filename")));
		KK_HTML(b, "</a> <small>");
		kk_html_text(b, sha);
		KK_HTML(b, "</small></li>");
	}
	KK_HTML(b, "</ul>");
}

static json_t *load(struct kk_buf *out)
{
	return json_loadb(out->ptr ? out->ptr : "", out->len, 0, NULL);
}

int page_incident_status(struct kk_req *r)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	const char *tracking = kk_req_param(r, "tracking"), *key = kk_req_query(r, "key");
	struct kk_buf out = KK_BUF_INIT(0);
	struct kk_json j;
	kk_json_init(&j, &out);
	int rc = key ? kk_incident_reporter_json(db, tracking, key, &j) : KK_ENOTFOUND;
	json_t *o = rc ? NULL : load(&out);
	kk_buf_release(&out);
	if (!o)
		return kk_req_fail(r, rc == KK_EDB ? KK_EDB : KK_ENOTFOUND, NULL, "%s",
				   L(r, "No incident report matches this link; check the whole link.",
				     "このリンクに合う報告はありません。リンク全体を確かめてください。"));
	kk_resp_header(r, "Cache-Control", "no-store");
	kk_resp_header(r, "Referrer-Policy", "no-referrer");
	kk_page_open(r, L(r, "Your incident report", "インシデント報告の状況"));
	KK_HTML_EL(&r->resp.body, "<h1>", L(r, "Your incident report", "インシデント報告の状況"), "</h1>");
	render(r, o, kk_arena_printf(&r->arena, "/incident/r/%s/files", tracking), key);
	json_decref(o);
	return kk_page_close(r, 200);
}

int page_incident_status_file(struct kk_req *r)
{
	const char *key = kk_req_query(r, "key");
	return kk_incident_web_download(r, key ? key : "");
}

static int list_row(void *arg, const struct kk_incident_row *row)
{
	struct kk_req *r = arg;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<tr><td><a");
	KK_HTML_ATTR(b, "href", kk_arena_printf(&r->arena, "/incidents/reports/%s", row->tracking));
	KK_HTML(b, ">");
	kk_html_text(b, row->tracking);
	KK_HTML_EL(b, "</a></td><td>", kk_page_time(r, row->received_at), "</td>");
	KK_HTML_EL(b, "<td>", row->category, "</td>");
	KK_HTML_EL(b, "<td>", row->tlp, "</td>");
	KK_HTML_EL(b, "<td>", row->status, "</td>");
	KK_HTML_EL(b, "<td>", row->source, "</td>");
	KK_HTML_EL(b, "<td>", row->summary, "</td></tr>");
	return 0;
}

int page_incidents(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_INCIDENT_HANDLE, NULL) < 0)
		return KK_EPERM;
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, L(r, "Incident reports", "インシデント報告"));
	KK_HTML_EL(b, "<h1>", L(r, "Incident reports", "インシデント報告"), "</h1>");
	KK_HTML(b, "<table id=\"incident-reports\"><thead><tr><th>#</th><th>received</th><th>category</th><th>TLP</th>"
		   "<th>status</th><th>source</th><th>summary</th></tr></thead><tbody>");
	struct kk_incident_query q = {.category = kk_req_query(r, "category"), .status = kk_req_query(r, "status"),
				      .limit = 500};
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_incident_list(db, &r->actor, &q, list_row, r, &d);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML(b, "</tbody></table>");
	return kk_page_close(r, 200);
}

static int staff_page(struct kk_req *r, json_t *contact)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	const char *tracking = kk_req_param(r, "tracking");
	struct kk_buf out = KK_BUF_INIT(0);
	struct kk_json j;
	kk_json_init(&j, &out);
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_incident_staff_json(db, &r->actor, tracking, &j, &d);
	json_t *o = rc ? NULL : load(&out);
	kk_buf_release(&out);
	if (!o)
		return kk_req_fail(r, rc ? rc : KK_EINTERNAL, NULL, "%s", d.msg[0] ? d.msg : kk_err_msg(rc));
	struct kk_buf *b = &r->resp.body;
	kk_resp_header(r, "Cache-Control", "no-store");
	kk_page_open(r, tracking);
	KK_HTML_EL(b, "<h1>", tracking, "</h1>");
	render(r, o, kk_arena_printf(&r->arena, "/incidents/reports/%s/files", tracking), NULL);
	json_decref(o);
	KK_HTML_EL(b, "<h2>", L(r, "Reporter", "報告者"), "</h2>");
	if (contact) {
		KK_HTML(b, "<dl class=\"props\" id=\"reporter\">");
		const char *k;
		json_t *v;
		json_object_foreach(contact, k, v)
		{
			if (!json_is_string(v))
				continue;
			KK_HTML_EL(b, "<dt>", k, "</dt>");
			KK_HTML_EL(b, "<dd>", json_string_value(v), "</dd>");
		}
		KK_HTML(b, "</dl>");
	} else if (kk_policy_allow(&r->actor, KK_ACT_INCIDENT_REVEAL, NULL)) {
		KK_HTML(b, "<form method=\"post\"");
		KK_HTML_ATTR(b, "action", kk_arena_printf(&r->arena, "/incidents/reports/%s/reveal", tracking));
		KK_HTML(b, ">");
		kk_page_csrf_field(r);
		kk_page_submit(r, L(r, "Reveal the reporter (audited)", "報告者を表示（記録されます）"));
		KK_HTML(b, "</form>");
	} else {
		KK_HTML_EL(b, "<p>", L(r, "Sealed.", "封印されています。"), "</p>");
	}
	return kk_page_close(r, 200);
}

int page_incident_report(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_INCIDENT_HANDLE, NULL) < 0)
		return KK_EPERM;
	return staff_page(r, NULL);
}

int page_incident_reveal(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_INCIDENT_REVEAL, NULL) < 0)
		return KK_EPERM;
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	unsigned char key[KK_KEY_BYTES];
	if (kk_page_report_key(r, key) < 0)
		return KK_EINTERNAL;
	struct kk_buf out = KK_BUF_INIT(0);
	struct kk_json j;
	kk_json_init(&j, &out);
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_incident_reveal(db, &r->actor, key, kk_req_param(r, "tracking"), &j, &d);
	sodium_memzero(key, sizeof(key));
	json_t *contact = rc ? NULL : load(&out);
	if (out.len)
		sodium_memzero(out.ptr, out.len);
	kk_buf_release(&out);
	if (!contact)
		return kk_req_fail(r, rc ? rc : KK_EINTERNAL, NULL, "%s", d.msg[0] ? d.msg : kk_err_msg(rc));
	rc = staff_page(r, contact);
	json_decref(contact);
	return rc;
}

int page_incident_file(struct kk_req *r)
{
	if (kk_req_allow_or_reply(r, KK_ACT_INCIDENT_HANDLE, NULL) < 0)
		return KK_EPERM;
	return kk_incident_web_download(r, NULL);
}

/* One table of an array of flat objects (the figures' JSON), its columns from the first row. */
static void table(struct kk_req *r, const char *id, json_t *arr)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<table");
	KK_HTML_ATTR(b, "id", id);
	KK_HTML(b, "><thead><tr>");
	json_t *first = json_array_get(arr, 0);
	const char *k;
	json_t *v;
	json_object_foreach(first, k, v) KK_HTML_EL(b, "<th>", k, "</th>");
	KK_HTML(b, "</tr></thead><tbody>");
	size_t i;
	json_t *row;
	json_array_foreach(arr, i, row)
	{
		KK_HTML(b, "<tr>");
		json_object_foreach(row, k, v)
		{
			if (json_is_string(v))
				KK_HTML_EL(b, "<td>", json_string_value(v), "</td>");
			else {
				KK_HTML(b, "<td class=\"num\">");
				kk_html_int(b, json_integer_value(v));
				KK_HTML(b, "</td>");
			}
		}
		KK_HTML(b, "</tr>");
	}
	KK_HTML(b, "</tbody></table>");
}

int page_incident_figures(struct kk_req *r)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	int64_t from, to;
	bool pub;
	int rc = kk_incident_web_period(r, &from, &to, &pub);
	if (rc < 0)
		return rc;
	struct kk_buf out = KK_BUF_INIT(0);
	struct kk_json j;
	kk_json_init(&j, &out);
	struct kk_diag d;
	kk_diag_clear(&d);
	rc = kk_incident_figures(db, &r->actor, from, to, pub, &j, &d);
	json_t *o = rc ? NULL : load(&out);
	kk_buf_release(&out);
	if (!o)
		return kk_req_fail(r, rc ? rc : KK_EINTERNAL, NULL, "%s", d.msg[0] ? d.msg : kk_err_msg(rc));
	struct kk_buf *b = &r->resp.body;
	const char *title = L(r, "Incident handling figures", "インシデント対応の統計");
	kk_page_open(r, title);
	KK_HTML_EL(b, "<h1>", title, "</h1><p>");
	kk_html_text(b, kk_page_time(r, from));
	KK_HTML(b, " – ");
	kk_html_text(b, kk_page_time(r, to));
	KK_HTML(b, " (JST)</p><table id=\"totals\"><thead><tr><th></th><th>");
	kk_html_text(b, L(r, "this period", "今期"));
	KK_HTML(b, "</th><th>");
	kk_html_text(b, L(r, "previous period", "前期"));
	KK_HTML(b, "</th></tr></thead><tbody>");
	static const char *const keys[] = {"reports", "incidents", "coordinations"};
	for (int i = 0; i < 3; i++) {
		KK_HTML_EL(b, "<tr><th>", keys[i], "</th><td class=\"num\">");
		kk_html_int(b, json_integer_value(json_object_get(o, keys[i])));
		KK_HTML(b, "</td><td class=\"num\">");
		kk_html_int(b, json_integer_value(json_object_get(json_object_get(o, "previous"), keys[i])));
		KK_HTML(b, "</td></tr>");
	}
	KK_HTML(b, "</tbody></table>");
	KK_HTML_EL(b, "<h2>", L(r, "By category", "種別ごと"), "</h2>");
	table(r, "by-category", json_object_get(o, "by_category"));
	KK_HTML_EL(b, "<h2>", L(r, "By month", "月ごと"), "</h2>");
	table(r, "by-month", json_object_get(o, "by_month"));
	KK_HTML_EL(b, "<h2>", L(r, "Phishing sites by the imitated brand", "フィッシングサイト（ブランド別）"), "</h2>");
	table(r, "phishing-by-brand", json_object_get(o, "phishing_by_brand"));
	json_decref(o);
	KK_HTML(b, "<p><a");
	const char *qs = kk_req_query(r, "quarter");
	KK_HTML_ATTR(b, "href", qs ? kk_arena_printf(&r->arena, "/api/v1/incidents/figures?format=csv&quarter=%s", qs)
				   : "/api/v1/incidents/figures?format=csv");
	KK_HTML(b, ">CSV</a></p>");
	return kk_page_close(r, 200);
}

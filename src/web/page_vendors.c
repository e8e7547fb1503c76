/*
 * page_vendors.c — the vendor directory's pages: /vendors (coordinators:
 * search, list, add, CSV import/export), /vendors/{id} (a vendor with its
 * contacts, products and unreachable state) and /vendor/profile (a vendor
 * user's own entry). Every form posts back and answers by redirect or by
 * the same page with the error next to its field.
 */
#include "auth/policy.h"
#include "base/buf.h"
#include "base/clock.h"
#include "coord/directory.h"
#include "store/db.h"
#include "web/handlers.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/vendors_web.h"
#include "web/web.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_SIZE 50

static void th(struct kk_buf *b, const char *label)
{
	KK_HTML_EL(b, "<th>", label, "</th>");
}

static void td(struct kk_buf *b, const char *text)
{
	KK_HTML_EL(b, "<td>", text, "</td>");
}

static void label(struct kk_buf *b, const char *text)
{
	KK_HTML_EL(b, "<label>", text, "");
}

static void text_input(struct kk_buf *b, const char *name, const char *value, int max, bool required)
{
	KK_HTML(b, "<input type=\"text\"");
	KK_HTML_ATTR(b, "name", name);
	KK_HTML_ATTR(b, "value", value ? value : "");
	kk_buf_printf(b, " maxlength=\"%d\"", max);
	if (required)
		KK_HTML(b, " required");
	KK_HTML(b, "></label>");
}

static void lang_select(struct kk_buf *b, const char *name, const char *current)
{
	KK_HTML(b, "<select");
	KK_HTML_ATTR(b, "name", name);
	KK_HTML(b, ">");
	static const char *const langs[][2] = {{"ja", "日本語"}, {"en", "English"}};
	for (int i = 0; i < 2; i++) {
		KK_HTML(b, "<option");
		KK_HTML_ATTR(b, "value", langs[i][0]);
		if (current && !strcmp(current, langs[i][0]))
			KK_HTML(b, " selected");
		KK_HTML_EL(b, ">", langs[i][1], "</option>");
	}
	KK_HTML(b, "</select></label>");
}

static const char *vendor_display(struct kk_req *r, const struct kk_vendor *v)
{
	const char *first = !strcmp(r->lang, "ja") ? v->name_ja : v->name_en;
	return first[0] ? first : v->name;
}

/* The message of a failed change, with the field it concerns. */
static const char *diag_text(struct kk_req *r, int rc, const struct kk_diag *d)
{
	if (d->where[0])
		return kk_arena_printf(&r->arena, "%s: %s", d->where, d->msg[0] ? d->msg : kk_err_msg(rc));
	return d->msg[0] ? d->msg : kk_err_msg(rc);
}

/* ---- /vendors ---- */

struct list_ctx {
	struct kk_req *r;
	int n;
};

static int vendor_tr(void *arg, const struct kk_vendor *v)
{
	struct list_ctx *c = arg;
	struct kk_req *r = c->r;
	struct kk_buf *b = &r->resp.body;
	c->n++;
	KK_HTML(b, "<tr><td><a");
	KK_HTML_ATTR(b, "href", kk_arena_printf(&r->arena, "/vendors/%lld", (long long)v->org_id));
	KK_HTML_EL(b, ">", v->name, "</a></td>");
	td(b, v->name_ja);
	td(b, v->cpe_vendor);
	KK_HTML(b, "<td>");
	kk_html_int(b, v->ncontacts);
	KK_HTML(b, "</td><td>");
	kk_html_int(b, v->nproducts);
	KK_HTML(b, "</td>");
	td(b, v->terms_agreed ? kk_page_time(r, v->terms_agreed_at) : "—");
	td(b, v->unreachable ? _("unreachable") : "");
	KK_HTML(b, "</tr>");
	return 0;
}

/* s percent-encoded for a query string (arena); "" for NULL. */
static const char *qenc(struct kk_req *r, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	char *out = kk_arena_alloc(&r->arena, 3 * n + 1), *o = out;
	if (!out)
		return "";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("-._~:", c))
			*o++ = (char)c;
		else
			o += sprintf(o, "%%%02X", c);
	}
	*o = 0;
	return out;
}

static int vendors_page(struct kk_req *r, int status, const char *kind, const char *notice)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_buf *b = &r->resp.body;
	const char *q = kk_req_query(r, "q"), *cpe = kk_req_query(r, "cpe"), *un = kk_req_query(r, "unreachable"),
		   *off = kk_req_query(r, "offset");
	struct kk_vendor_query vq = {.q = q && *q ? q : NULL, .cpe = cpe && *cpe ? cpe : NULL,
				     .unreachable = un && *un ? 1 : 0, .limit = PAGE_SIZE,
				     .offset = off ? atoi(off) : 0};
	if (vq.offset < 0)
		vq.offset = 0;
	kk_page_open(r, _("Vendor directory"));
	KK_HTML_EL(b, "<h1>", _("Vendor directory"), "</h1>");
	if (notice)
		kk_page_notice(r, kind, notice);
	KK_HTML(b, "<div class=\"card\"><form class=\"inline\" method=\"get\" action=\"/vendors\" id=\"vendor-search\">");
	label(b, _("Name or product"));
	text_input(b, "q", q, 200, false);
	label(b, _("CPE vendor[:product]"));
	text_input(b, "cpe", cpe, 260, false);
	KK_HTML(b, "<label><input type=\"checkbox\" name=\"unreachable\" value=\"1\"");
	if (vq.unreachable)
		KK_HTML(b, " checked");
	KK_HTML_EL(b, ">", _("Unreachable only"), "</label>");
	KK_HTML_EL(b, "<button class=\"primary\" type=\"submit\">", _("Search"), "</button></form></div>");

	int64_t total = 0;
	struct list_ctx c = {r, 0};
	KK_HTML(b, "<div class=\"table-wrap\"><table id=\"vendors\"><thead><tr>");
	th(b, _("Name"));
	th(b, _("Japanese name"));
	th(b, _("CPE vendor"));
	th(b, _("Contacts"));
	th(b, _("Products"));
	th(b, _("Registration terms agreed"));
	th(b, _("State"));
	KK_HTML(b, "</tr></thead><tbody>");
	int rc = kk_vendor_search(r->db, &vq, vendor_tr, &c, &total);
	if (rc == KK_EINVAL) {
		kk_buf_reset(b);
		return kk_req_fail(r, KK_EUNPROCESSABLE, "cpe",
				   "the CPE filter is vendor, vendor:product or a CPE name (cpe:2.3:a:vendor:product:...)");
	}
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML(b, "</tbody></table></div><p class=\"muted\" id=\"vendor-count\">");
	kk_html_textf(b, _("%lld vendors; showing %d from %d."), (long long)total, c.n, vq.offset + (c.n ? 1 : 0));
	if (vq.offset + c.n < total) {
		KK_HTML(b, " <a");
		KK_HTML_ATTR(b, "href",
			     kk_arena_printf(&r->arena, "/vendors?offset=%d&q=%s&cpe=%s%s", vq.offset + PAGE_SIZE,
					     qenc(r, vq.q), qenc(r, vq.cpe), vq.unreachable ? "&unreachable=1" : ""));
		KK_HTML_EL(b, ">", _("Next page"), "</a>");
	}
	KK_HTML(b, "</p>");
	if (kk_policy_allow(&r->actor, KK_ACT_VENDOR_DIR_ADMIN, NULL)) {
		KK_HTML_EL(b, "<h2>", _("Add a vendor"), "</h2>");
		KK_HTML(b, "<div class=\"card\"><form class=\"inline\" method=\"post\" action=\"/vendors\" id=\"vendor-add\">");
		kk_page_csrf_field(r);
		label(b, _("Name"));
		text_input(b, "name", NULL, KK_NAME_MAX, true);
		label(b, _("Japanese name"));
		text_input(b, "name_ja", NULL, KK_NAME_MAX, false);
		label(b, _("English name"));
		text_input(b, "name_en", NULL, KK_NAME_MAX, false);
		label(b, _("CPE vendor"));
		text_input(b, "cpe_vendor", NULL, KK_VENDOR_CPE_MAX, false);
		label(b, _("Language of notices"));
		lang_select(b, "lang", "ja");
		kk_page_submit(r, _("Add vendor"));
		KK_HTML_EL(b, "<h2>", _("CSV import and export"), "</h2><div class=\"card\">");
		KK_HTML_EL(b, "<p><a href=\"/vendors/export.csv\" id=\"vendor-export\" download>", _("Download the directory as CSV"),
			   "</a></p>");
		KK_HTML(b, "<form method=\"post\" action=\"/vendors/import\" enctype=\"multipart/form-data\" id=\"vendor-import\">");
		kk_page_csrf_field(r);
		label(b, _("CSV file (UTF-8; columns vendor, record, ...)"));
		KK_HTML(b, "<input type=\"file\" name=\"file\" accept=\".csv,text/csv\" required></label>");
		KK_HTML_EL(b, "<button class=\"primary\" type=\"submit\">", _("Import"), "</button></form></div>");
	}
	return kk_page_close(r, status);
}

int page_vendors(struct kk_req *r)
{
	const char *done = kk_req_query(r, "done");
	return vendors_page(r, 200, "ok", done && !strcmp(done, "imported") ? _("The CSV file was imported.") : NULL);
}

int page_vendors_post(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_vweb w = {.op = KK_VWEB_CREATE,
			    .v = {.name = kk_req_form(r, "name"),
				  .name_ja = kk_req_form(r, "name_ja"),
				  .name_en = kk_req_form(r, "name_en"),
				  .cpe_vendor = kk_req_form(r, "cpe_vendor"),
				  .lang = kk_req_form(r, "lang")}};
	int rc = kk_vweb_run(r, &w);
	if (rc == KK_EUNPROCESSABLE || rc == KK_EEXISTS || rc == KK_ECONFLICT)
		return vendors_page(r, kk_err_http(rc), "error", diag_text(r, rc, &w.d));
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	kk_resp_redirect(r, kk_arena_printf(&r->arena, "/vendors/%lld?done=created", (long long)w.id));
	return 0;
}

int page_vendors_export(struct kk_req *r)
{
	return api_vendors_export(r);
}

struct import_page {
	struct kk_req *r;
	int n;
};

static void import_err_row(void *arg, int line, const char *field, const char *msg)
{
	struct import_page *p = arg;
	struct kk_buf *b = &p->r->resp.body;
	if (p->n++ >= 500)
		return;
	KK_HTML(b, "<tr><td>");
	kk_html_int(b, line);
	KK_HTML(b, "</td>");
	td(b, field);
	td(b, msg);
	KK_HTML(b, "</tr>");
}

int page_vendors_import(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	const struct kk_part *parts;
	struct kk_diag d = {0};
	int n = kk_req_parts(r, &parts, &d);
	const char *csv = NULL;
	size_t len = 0;
	for (int i = 0; i < n; i++)
		if (!strcmp(parts[i].name, "file") && parts[i].filename) {
			csv = parts[i].data;
			len = parts[i].len;
		}
	if (!csv) {
		csv = kk_req_form(r, "csv");
		len = csv ? strlen(csv) : 0;
	}
	if (!csv || !len)
		return vendors_page(r, 422, "error", _("Choose a CSV file to import."));
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, _("CSV import"));
	KK_HTML_EL(b, "<h1>", _("CSV import"), "</h1>");
	size_t mark = b->len;
	KK_HTML(b, "<div class=\"table-wrap\"><table id=\"import-errors\"><thead><tr>");
	th(b, _("Line"));
	th(b, _("Column"));
	th(b, _("Problem"));
	KK_HTML(b, "</tr></thead><tbody>");
	struct import_page p = {r, 0};
	struct kk_vendor_csv_stats st;
	/* the CSV lives in the request body: copy it out so the reader gets its own NUL-free range */
	char *copy = kk_arena_strndup(&r->arena, csv, len);
	if (!copy)
		return kk_req_fail(r, KK_ENOMEM, NULL, NULL);
	int rc = kk_vendor_csv_import(r->db, &r->actor, copy, len, import_err_row, &p, &st);
	if (rc == 0) {
		kk_resp_redirect(r, "/vendors?done=imported");
		kk_buf_reset(b);
		return 0;
	}
	if (rc != KK_EINVAL)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML(b, "</tbody></table></div>");
	/* the notice goes above the table */
	struct kk_buf note = KK_BUF_INIT(4096);
	KK_HTML(&note, "<div class=\"notice error\" role=\"alert\">");
	kk_html_textf(&note, _("%d of %d rows were refused; nothing was imported. Fix them and import the file again."),
		      st.errors, st.rows);
	KK_HTML(&note, "</div>");
	if (!kk_buf_grow(b, note.len)) {
		memmove(b->ptr + mark + note.len, b->ptr + mark, b->len - mark + 1);
		memcpy(b->ptr + mark, note.ptr, note.len);
		b->len += note.len;
	}
	kk_buf_release(&note);
	KK_HTML_EL(b, "<p><a href=\"/vendors\">", _("Back to the vendor directory"), "</a></p>");
	return kk_page_close(r, 422);
}

/* ---- one vendor: /vendors/{id} (staff) and /vendor/profile (the vendor itself) ---- */

struct vp {
	struct kk_req *r;
	int64_t id;
	bool profile; /* the vendor's own page: forms come back to /vendor/profile */
	bool can_edit;
};

static void hidden_back(struct vp *p)
{
	if (p->profile)
		KK_HTML(&p->r->resp.body, "<input type=\"hidden\" name=\"back\" value=\"profile\">");
}

static void remove_form(struct vp *p, const char *what, int64_t item)
{
	struct kk_req *r = p->r;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<td><form method=\"post\"");
	KK_HTML_ATTR(b, "action", kk_arena_printf(&r->arena, "/vendors/%lld/%s", (long long)p->id, what));
	KK_HTML(b, ">");
	kk_page_csrf_field(r);
	hidden_back(p);
	KK_HTML(b, "<input type=\"hidden\" name=\"verb\" value=\"remove\"><input type=\"hidden\" name=\"item\"");
	KK_HTML_ATTR(b, "value", kk_arena_printf(&r->arena, "%lld", (long long)item));
	KK_HTML_EL(b, "><button type=\"submit\">", _("Remove"), "</button></form></td>");
}

static int contact_tr(void *arg, const struct kk_vendor_contact *c)
{
	struct vp *p = arg;
	struct kk_buf *b = &p->r->resp.body;
	KK_HTML(b, "<tr>");
	td(b, c->label);
	td(b, c->email);
	td(b, c->role);
	td(b, c->phone);
	td(b, c->lang);
	td(b, c->has_pgp_key ? _("yes") : "—");
	if (p->can_edit)
		remove_form(p, "contacts", c->id);
	KK_HTML(b, "</tr>");
	return 0;
}

static int product_tr(void *arg, const struct kk_vendor_product *pr)
{
	struct vp *p = arg;
	struct kk_req *r = p->r;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<tr>");
	td(b, pr->name_ja);
	td(b, pr->name_en);
	td(b, pr->cpe_vendor[0] ? kk_arena_printf(&r->arena, "%s:%s", pr->cpe_vendor, pr->cpe_product) : "");
	td(b, pr->purl_type[0] ? kk_arena_printf(&r->arena, "%s/%s%s%s", pr->purl_type, pr->purl_namespace,
						 pr->purl_name[0] ? "/" : "", pr->purl_name)
			       : "");
	if (p->can_edit)
		remove_form(p, "products", pr->id);
	KK_HTML(b, "</tr>");
	return 0;
}

static int history_li(void *arg, const struct kk_unreachable *u)
{
	struct kk_req *r = arg;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<li>");
	kk_html_textf(b, _("listed %s"), kk_page_time(r, u->listed_at));
	if (u->products_shown_at) {
		KK_HTML(b, "; ");
		kk_html_textf(b, _("products shown %s"), kk_page_time(r, u->products_shown_at));
	} else if (!u->delisted_at) {
		KK_HTML(b, "; ");
		kk_html_textf(b, _("products to be shown %s"), kk_page_time(r, u->products_due_at));
	}
	if (u->delisted_at) {
		KK_HTML(b, "; ");
		kk_html_textf(b, _("delisted %s"), kk_page_time(r, u->delisted_at));
	}
	for (int i = 0; i < u->nproducts; i++) {
		if (i)
			KK_HTML(b, ", ");
		else
			KK_HTML(b, " — ");
		kk_html_textf(b, "%s %s", u->products[i].name, u->products[i].version);
	}
	KK_HTML(b, "</li>");
	return 0;
}

static void form_open(struct vp *p, const char *what, const char *id)
{
	struct kk_req *r = p->r;
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<div class=\"card\"><form class=\"inline\" method=\"post\"");
	KK_HTML_ATTR(b, "action", kk_arena_printf(&r->arena, "/vendors/%lld%s", (long long)p->id, what));
	KK_HTML_ATTR(b, "id", id);
	KK_HTML(b, ">");
	kk_page_csrf_field(r);
	hidden_back(p);
}

static int vendor_page(struct kk_req *r, int64_t id, bool profile, int status, const char *kind, const char *notice)
{
	struct kk_buf *b = &r->resp.body;
	struct kk_vendor v;
	int rc = kk_vendor_get(r->db, id, &v);
	if (rc)
		return kk_req_fail(r, rc, NULL, rc == KK_ENOTFOUND ? "no vendor with this id in the directory" : NULL);
	bool admin = !profile && kk_policy_allow(&r->actor, KK_ACT_VENDOR_DIR_ADMIN, NULL);
	struct kk_policy_obj o = {.org_id = id};
	struct vp p = {r, id, profile, kk_policy_allow(&r->actor, KK_ACT_VENDOR_PROFILE, &o)};
	kk_page_open(r, vendor_display(r, &v));
	KK_HTML_EL(b, "<h1>", vendor_display(r, &v), "</h1>");
	if (notice)
		kk_page_notice(r, kind, notice);
	KK_HTML(b, "<div class=\"card\"><dl id=\"vendor-info\">");
	KK_HTML_EL(b, "<dt>", _("Name"), "</dt>");
	KK_HTML_EL(b, "<dd>", v.name, "</dd>");
	KK_HTML_EL(b, "<dt>", _("Japanese name"), "</dt>");
	KK_HTML_EL(b, "<dd>", v.name_ja, "</dd>");
	KK_HTML_EL(b, "<dt>", _("English name"), "</dt>");
	KK_HTML_EL(b, "<dd>", v.name_en, "</dd>");
	KK_HTML_EL(b, "<dt>", _("CPE vendor"), "</dt>");
	KK_HTML_EL(b, "<dd>", v.cpe_vendor, "</dd>");
	KK_HTML_EL(b, "<dt>", _("Language of notices"), "</dt>");
	KK_HTML_EL(b, "<dd>", v.lang, "</dd>");
	KK_HTML_EL(b, "<dt>", _("Registration terms agreed"), "</dt>");
	KK_HTML_EL(b, "<dd>", v.terms_agreed ? kk_page_time(r, v.terms_agreed_at) : _("not yet"), "</dd>");
	if (v.unreachable) {
		KK_HTML_EL(b, "<dt>", _("State"), "</dt><dd id=\"vendor-unreachable\">");
		kk_html_textf(b, _("on the public list of unreachable vendors since %s"), kk_page_time(r, v.unreachable_since));
		KK_HTML(b, "</dd>");
	}
	if (!profile && v.note[0]) {
		KK_HTML_EL(b, "<dt>", _("Note"), "</dt>");
		KK_HTML_EL(b, "<dd>", v.note, "</dd>");
	}
	KK_HTML(b, "</dl></div>");

	KK_HTML_EL(b, "<h2>", _("Contact points"), "</h2><div class=\"table-wrap\"><table id=\"contacts\"><thead><tr>");
	th(b, _("Label"));
	th(b, _("Email"));
	th(b, _("To/Cc"));
	th(b, _("Phone"));
	th(b, _("Language"));
	th(b, _("PGP key"));
	if (p.can_edit)
		th(b, "");
	KK_HTML(b, "</tr></thead><tbody>");
	if ((rc = kk_vendor_contacts(r->db, id, contact_tr, &p)) < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML(b, "</tbody></table></div>");
	if (p.can_edit) {
		form_open(&p, "/contacts", "contact-add");
		KK_HTML(b, "<input type=\"hidden\" name=\"verb\" value=\"add\">");
		label(b, _("Label"));
		text_input(b, "label", NULL, KK_NAME_MAX, false);
		label(b, _("Email"));
		KK_HTML(b, "<input type=\"email\" name=\"email\" maxlength=\"254\"></label>");
		label(b, _("To/Cc"));
		KK_HTML(b, "<select name=\"role\"><option value=\"to\">To</option><option value=\"cc\">Cc</option></select></label>");
		label(b, _("Phone"));
		text_input(b, "phone", NULL, KK_VENDOR_PHONE_MAX, false);
		label(b, _("Language"));
		lang_select(b, "lang", v.lang);
		label(b, _("PGP public key (ASCII-armored)"));
		KK_HTML(b, "<textarea name=\"pgp_key\" rows=\"3\" cols=\"40\"></textarea></label>");
		kk_page_submit(r, _("Add contact"));
	}

	KK_HTML_EL(b, "<h2>", _("Products"), "</h2><div class=\"table-wrap\"><table id=\"products\"><thead><tr>");
	th(b, _("Japanese name"));
	th(b, _("English name"));
	th(b, "CPE");
	th(b, "purl");
	if (p.can_edit)
		th(b, "");
	KK_HTML(b, "</tr></thead><tbody>");
	if ((rc = kk_vendor_products(r->db, id, product_tr, &p)) < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML(b, "</tbody></table></div>");
	if (p.can_edit) {
		form_open(&p, "/products", "product-add");
		KK_HTML(b, "<input type=\"hidden\" name=\"verb\" value=\"add\">");
		label(b, _("Japanese name"));
		text_input(b, "name_ja", NULL, KK_NAME_MAX, false);
		label(b, _("English name"));
		text_input(b, "name_en", NULL, KK_NAME_MAX, false);
		label(b, _("CPE (vendor:product)"));
		text_input(b, "cpe", NULL, 2048, false);
		label(b, _("Package URL (pkg:type/namespace/name)"));
		text_input(b, "purl", NULL, 4096, false);
		kk_page_submit(r, _("Add product"));
	}

	if (admin) {
		KK_HTML_EL(b, "<h2>", _("Change the vendor"), "</h2>");
		form_open(&p, "", "vendor-edit");
		KK_HTML(b, "<input type=\"hidden\" name=\"verb\" value=\"update\">");
		label(b, _("Japanese name"));
		text_input(b, "name_ja", v.name_ja, KK_NAME_MAX, false);
		label(b, _("English name"));
		text_input(b, "name_en", v.name_en, KK_NAME_MAX, false);
		label(b, _("CPE vendor"));
		text_input(b, "cpe_vendor", v.cpe_vendor, KK_VENDOR_CPE_MAX, false);
		label(b, _("Language of notices"));
		lang_select(b, "lang", v.lang);
		KK_HTML(b, "<label><input type=\"checkbox\" name=\"terms\" value=\"1\"");
		if (v.terms_agreed)
			KK_HTML(b, " checked");
		KK_HTML_EL(b, ">", _("Registration terms agreed"), "</label>");
		label(b, _("Note"));
		text_input(b, "note", v.note, KK_VENDOR_NOTE_MAX, false);
		kk_page_submit(r, _("Save"));

		KK_HTML_EL(b, "<h2>", _("Unreachable (public list)"), "</h2>");
		form_open(&p, "", "vendor-unreachable-form");
		if (v.unreachable) {
			KK_HTML(b, "<input type=\"hidden\" name=\"verb\" value=\"reachable\">");
			kk_page_submit(r, _("The vendor answered: remove it from the list"));
		} else {
			KK_HTML(b, "<input type=\"hidden\" name=\"verb\" value=\"unreachable\">");
			label(b, _("Product"));
			text_input(b, "product", NULL, KK_NAME_MAX, false);
			label(b, _("Version"));
			text_input(b, "version", NULL, KK_VENDOR_VERSION_MAX, false);
			kk_page_submit(r, _("List as unreachable"));
		}
		KK_HTML(b, "<ul id=\"unreachable-history\">");
		if ((rc = kk_unreachable_history(r->db, id, history_li, r)) < 0)
			return kk_req_fail(r, rc, NULL, NULL);
		KK_HTML(b, "</ul>");
	}
	return kk_page_close(r, status);
}

static const char *done_notice(struct kk_req *r)
{
	const char *done = kk_req_query(r, "done");
	if (!done)
		return NULL;
	if (!strcmp(done, "created"))
		return _("The vendor was added.");
	if (!strcmp(done, "saved"))
		return _("Saved.");
	return NULL;
}

int page_vendor(struct kk_req *r)
{
	int64_t id;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	if (kk_req_id_or_reply(r, "id", &id) < 0)
		return KK_ENOTFOUND;
	return vendor_page(r, id, false, 200, "ok", done_notice(r));
}

int page_vendor_profile(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	int rc = kk_vweb_own_entry(r);
	if (rc < 0)
		return rc;
	return vendor_page(r, r->actor.org_id, true, 200, "ok", done_notice(r));
}

/* After a change: back to the page the form came from, or that page with the error. */
static int answer(struct kk_req *r, int64_t id, int rc, const struct kk_diag *d)
{
	bool profile = kk_req_form(r, "back") && !strcmp(kk_req_form(r, "back"), "profile") && r->actor.org_id == id;
	if (rc == KK_EUNPROCESSABLE || rc == KK_EEXISTS || rc == KK_ECONFLICT || rc == KK_ENOTFOUND)
		return vendor_page(r, id, profile, kk_err_http(rc), "error", diag_text(r, rc, d));
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	kk_resp_redirect(r, profile ? "/vendor/profile?done=saved"
				    : kk_arena_printf(&r->arena, "/vendors/%lld?done=saved", (long long)id));
	return 0;
}

static int post_id(struct kk_req *r, enum kk_action act, int64_t *id)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	if (kk_req_id_or_reply(r, "id", id) < 0)
		return KK_ENOTFOUND;
	return kk_vweb_allow(r, act, *id);
}

int page_vendor_post(struct kk_req *r)
{
	int64_t id;
	int rc = post_id(r, KK_ACT_VENDOR_DIR_ADMIN, &id);
	if (rc < 0)
		return rc;
	const char *verb = kk_req_form(r, "verb");
	struct kk_vweb w = {.org_id = id};
	if (verb && !strcmp(verb, "update")) {
		w.op = KK_VWEB_UPDATE;
		w.v = (struct kk_vendor_in){.name_ja = kk_req_form(r, "name_ja"),
					    .name_en = kk_req_form(r, "name_en"),
					    .cpe_vendor = kk_req_form(r, "cpe_vendor"),
					    .lang = kk_req_form(r, "lang"),
					    .note = kk_req_form(r, "note"),
					    .terms_agreed = kk_req_form(r, "terms") ? 1 : 0};
	} else if (verb && !strcmp(verb, "unreachable")) {
		w.op = KK_VWEB_UNREACHABLE;
		w.product = kk_req_form(r, "product");
		w.version = kk_req_form(r, "version");
	} else if (verb && !strcmp(verb, "reachable"))
		w.op = KK_VWEB_REACHABLE;
	else
		return kk_req_fail(r, KK_EUNPROCESSABLE, "verb", "verb is update, unreachable or reachable");
	return answer(r, id, kk_vweb_run(r, &w), &w.d);
}

static int sub_post(struct kk_req *r, bool contact)
{
	int64_t id;
	int rc = post_id(r, KK_ACT_VENDOR_PROFILE, &id);
	if (rc < 0)
		return rc;
	const char *verb = kk_req_form(r, "verb");
	struct kk_vweb w = {.org_id = id};
	if (verb && !strcmp(verb, "remove")) {
		const char *item = kk_req_form(r, "item");
		w.op = contact ? KK_VWEB_CONTACT_REMOVE : KK_VWEB_PRODUCT_REMOVE;
		w.id = item ? atoll(item) : 0;
	} else if (verb && !strcmp(verb, "add") && contact) {
		w.op = KK_VWEB_CONTACT_ADD;
		w.c = (struct kk_vendor_contact_in){.label = kk_req_form(r, "label"),
						    .email = kk_req_form(r, "email"),
						    .role = kk_req_form(r, "role"),
						    .phone = kk_req_form(r, "phone"),
						    .lang = kk_req_form(r, "lang"),
						    .pgp_key = kk_req_form(r, "pgp_key")};
	} else if (verb && !strcmp(verb, "add")) {
		w.op = KK_VWEB_PRODUCT_ADD;
		w.p = (struct kk_vendor_product_in){.name_ja = kk_req_form(r, "name_ja"),
						    .name_en = kk_req_form(r, "name_en"),
						    .cpe = kk_req_form(r, "cpe"),
						    .purl = kk_req_form(r, "purl")};
	} else
		return kk_req_fail(r, KK_EUNPROCESSABLE, "verb", "verb is add or remove");
	return answer(r, id, kk_vweb_run(r, &w), &w.d);
}

int page_vendor_contacts_post(struct kk_req *r)
{
	return sub_post(r, true);
}

int page_vendor_products_post(struct kk_req *r)
{
	return sub_post(r, false);
}

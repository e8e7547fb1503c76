/*
 * page_report.c — the finder's pages: the public report form (GET/POST /report, no account
 * needed), the receipt with the secret link shown once, and the status page behind that link
 * (GET/POST /r/{tracking}?key=…) with the thread and a form to answer.
 */
#include "web/page_report.h"
#include "auth/keyfile.h"
#include "base/err.h"
#include "base/log.h"
#include "base/rand.h"
#include "base/str.h"
#include "intake/intake.h"
#include "publish/advisory.h"
#include "store/db.h"
#include "web/api.h"
#include "web/handlers.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/server.h"
#include "web/web.h"
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kk_page_report_key(struct kk_req *r, unsigned char key[KK_KEY_BYTES])
{
	char path[1024];
	struct kk_diag d;
	kk_diag_clear(&d);
	const struct kk_server_config *c = kk_server_config(r->srv);
	if (kk_keyfile_path(c->db_path, c->key_file, path, sizeof(path)) || kk_keyfile_load(path, key, &d)) {
		kk_log(KK_LOG_ERROR, "reports: %s", d.msg[0] ? d.msg : "key file path too long");
		return kk_req_fail(r, KK_EINTERNAL, NULL,
		                   "the server cannot seal reports now; try again later");
	}
	return 0;
}

int kk_report_limits(struct kk_req *r, struct kk_intake_limits *l)
{
	struct kk_diag d;
	kk_diag_clear(&d);
	if (kk_intake_limits_load(l, &d) < 0) {
		kk_log(KK_LOG_ERROR, "reports: %s", d.msg);
		return KK_EINTERNAL;
	}
	/* nothing larger than a request body can come at all: say the limits that really hold */
	size_t body = kk_server_config(r->srv)->body_max;
	if (l->total_max > body)
		l->total_max = body;
	if (l->file_max > l->total_max)
		l->file_max = l->total_max;
	return 0;
}

int kk_report_limits_or_reply(struct kk_req *r, struct kk_intake_limits *l)
{
	if (kk_report_limits(r, l) < 0)
		return kk_req_fail(r, KK_EINTERNAL, NULL, "the server's report limits are misconfigured; see its log");
	return 0;
}

int kk_report_start(struct kk_req *r, struct kk_intake_limits *l)
{
	if (kk_report_limits_or_reply(r, l) < 0)
		return KK_EINTERNAL;
	const struct kk_part *parts;
	struct kk_diag d;
	if (kk_req_parts(r, &parts, &d) < 0)
		return kk_req_fail(r, KK_EPARSE, "multipart", "the form data is malformed: %s", d.msg);
	return 0;
}

int kk_report_rate_or_reply(struct kk_req *r, const char *scope, const struct kk_rate_limit *lim)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	int64_t wait = 0;
	int rc = kk_intake_rate_take(db, scope, r->client_addr, lim, &wait);
	if (rc == KK_ERATE) {
		kk_log(KK_LOG_WARN, "reports: %s refused for %s: over %d per %lld s", scope,
		       r->client_addr ? r->client_addr : "-", lim->max, (long long)lim->window);
		kk_resp_header(r, "Retry-After", kk_arena_printf(&r->arena, "%lld", (long long)wait));
		long long minutes = (long long)(lim->window + 59) / 60;
		const char *msg =
		    !strcmp(scope, "report.submit")
		        ? kk_arena_printf(&r->arena,
		                          _("Too many reports from your address: at most %d in %lld minutes. "
		                            "Try again in %lld seconds."),
		                          lim->max, minutes, (long long)wait)
		        : kk_arena_printf(&r->arena,
		                          _("Too many messages from your address: at most %d in %lld minutes. "
		                            "Try again in %lld seconds."),
		                          lim->max, minutes, (long long)wait);
		kk_req_fail_status(r, 429, "rate_limited", NULL, msg);
		return KK_ERATE;
	}
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	return 0;
}

int kk_report_uploads(struct kk_req *r, const struct kk_intake_limits *l, struct kk_upload **u,
                      struct kk_diag *d)
{
	const struct kk_part *p;
	*u = NULL;
	int np = kk_req_parts(r, &p, d);
	if (np <= 0)
		return np;
	struct kk_upload *out = kk_arena_alloc(&r->arena, sizeof(*out) * (size_t)np);
	if (!out)
		return KK_ENOMEM;
	int n = 0;
	for (int i = 0; i < np; i++) {
		if (!p[i].filename || (strcmp(p[i].name, "file") && strcmp(p[i].name, "files")))
			continue;
		if (!*p[i].filename && !p[i].len)
			continue; /* a file input left empty */
		out[n++] = (struct kk_upload){p[i].filename, p[i].data, p[i].len};
	}
	int rc = kk_intake_uploads_check(out, n, l, d);
	if (rc)
		return rc;
	*u = out;
	return n;
}

int kk_report_store(struct kk_req *r, const struct kk_upload *u, int n, size_t file_max,
                    struct kk_stored_file **s, struct kk_diag *d)
{
	char dir[1100];
	*s = NULL;
	if (!n)
		return 0;
	if (kk_intake_attach_dir(kk_server_config(r->srv)->db_path, dir, sizeof(dir)))
		return kk_diag_set(d, KK_EINVAL, "KEIKAI_ATTACH_DIR", "the attachment directory path is too long");
	struct kk_stored_file *out = kk_arena_alloc(&r->arena, sizeof(*out) * (size_t)n);
	if (!out)
		return KK_ENOMEM;
	for (int i = 0; i < n; i++) {
		int rc = kk_intake_attach_store(dir, &u[i], file_max, &out[i], d);
		if (rc)
			return rc;
	}
	*s = out;
	return 0;
}

/* The file name for Content-Disposition: an ASCII fallback and the exact UTF-8 name (RFC 6266/8187). */
static const char *disposition(struct kk_req *r, const char *name)
{
	size_t n = strlen(name);
	char *ascii = kk_arena_alloc(&r->arena, n + 1), *pct = kk_arena_alloc(&r->arena, 3 * n + 1);
	if (!ascii || !pct)
		return "attachment";
	char *a = ascii, *q = pct;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		             strchr("!#$&+-.^_`|~", *p);
		*a++ = plain || *p == ' ' || *p == '(' || *p == ')' || *p == ',' ? (char)*p : '_';
		if (plain) {
			*q++ = (char)*p;
		} else {
			snprintf(q, 4, "%%%02X", *p);
			q += 3;
		}
	}
	*a = *q = 0;
	return kk_arena_printf(&r->arena, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, pct);
}

int kk_report_download(struct kk_req *r, const char *token)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	const char *tracking = kk_req_param(r, "tracking"), *sha = kk_req_param(r, "sha256");
	struct kk_attachment x;
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_intake_attachment_find(db, token ? NULL : &r->actor, token, tracking, sha, &x, &d);
	if (rc == KK_ENOTFOUND)
		return kk_req_fail(r, KK_ENOTFOUND, NULL, "%s", _("No such file on this report."));
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	return kk_report_send_attachment(r, &x);
}

int kk_report_send_attachment(struct kk_req *r, const struct kk_attachment *x)
{
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc;
	char dir[1100];
	if (kk_intake_attach_dir(kk_server_config(r->srv)->db_path, dir, sizeof(dir)))
		return kk_req_fail(r, KK_EINTERNAL, NULL, "the attachment directory path is too long");
	kk_buf_reset(&r->resp.body);
	if ((rc = kk_intake_attachment_read(dir, x->sha256, &r->resp.body, &d)) < 0) {
		kk_log(KK_LOG_ERROR, "reports: %s", d.msg);
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, KK_EIO, NULL, "the file cannot be read now; the server log says why");
	}
	r->resp.status = 200;
	r->resp.type = "application/octet-stream"; /* never rendered: a download whatever it holds */
	kk_resp_header(r, "Content-Disposition", disposition(r, x->filename));
	kk_resp_header(r, "Cache-Control", "no-store");
	kk_resp_header(r, "Referrer-Policy", "no-referrer");
	return 0;
}

struct files_view {
	struct kk_req *r;
	const char *prefix, *suffix;
};

static int file_item(void *arg, const struct kk_attachment *x)
{
	struct files_view *v = arg;
	struct kk_buf *b = &v->r->resp.body;
	KK_HTML(b, "<li><a download");
	KK_HTML_ATTR(b, "href", kk_arena_printf(&v->r->arena, "%s%s%s", v->prefix, x->sha256, v->suffix));
	KK_HTML_ATTR(b, "data-sha256", x->sha256);
	KK_HTML_EL(b, ">", x->filename, "</a> <span class=\"muted\">");
	kk_html_textf(b, "(%s, %lld B, %s, %s)", x->mime, (long long)x->size,
	              x->from_finder ? _("finder") : _("receiver"), kk_page_time(v->r, x->added_at));
	KK_HTML(b, "</span></li>");
	return 0;
}

int kk_page_report_files(struct kk_req *r, int64_t report_id, bool finder_only, const char *href_prefix,
                         const char *href_suffix)
{
	struct kk_buf *b = &r->resp.body;
	struct files_view v = {r, href_prefix, href_suffix};
	KK_HTML(b, "<ul class=\"files\" id=\"attachments\">");
	int rc = kk_intake_attachments(r->db, report_id, finder_only, file_item, &v);
	if (rc < 0)
		return rc;
	if (!rc)
		KK_HTML_EL(b, "<li class=\"muted\">", _("No files."), "</li>");
	KK_HTML(b, "</ul>");
	return 0;
}

/* ---- the form ---------------------------------------------------------- */

/* Form fields are named by their JSON path, so the validator's d.where names the field itself. */
enum ftype { F_TEXT, F_EMAIL, F_AREA, F_CHECK, F_DATE, F_URL };
struct field {
	const char *name; /* JSON path "finder.name" */
	const char *label;
	enum ftype type;
	bool required;
	const char *group; /* fieldset: "finder", "product", "website", "vuln", "other" */
};
static const struct field FIELDS[] = {
    {"finder.name", N_("Your name"), F_TEXT, true, "finder"},
    {"finder.email", N_("Your e-mail address"), F_EMAIL, true, "finder"},
    {"finder.pgp_key", N_("Your PGP public key (optional; mail to you is then encrypted)"), F_AREA, false,
     "finder"},
    {"finder.credit", N_("I want to be credited in the advisory"), F_CHECK, false, "finder"},
    {"finder.credit_name", N_("Name for the credit"), F_TEXT, false, "finder"},
    {"finder.anonymous", N_("Stay anonymous towards the vendor or operator"), F_CHECK, false, "finder"},
    {"product.name", N_("Product name"), F_TEXT, true, "product"},
    {"product.version", N_("Product version"), F_TEXT, false, "product"},
    {"product.vendor", N_("Vendor"), F_TEXT, false, "product"},
    {"website.name", N_("Website name"), F_TEXT, false, "website"},
    {"website.url", N_("Website URL"), F_URL, true, "website"},
    {"vulnerability.cwe", N_("Kind of vulnerability (CWE id, e.g. CWE-79)"), F_TEXT, false, "vuln"},
    {"vulnerability.cve", N_("CVE id, if one is known"), F_TEXT, false, "vuln"},
    {"vulnerability.description", N_("Description of the vulnerability"), F_AREA, true, "vuln"},
    {"vulnerability.steps", N_("Steps to reproduce"), F_AREA, false, "vuln"},
    {"vulnerability.impact", N_("Impact"), F_AREA, false, "vuln"},
    {"reported_to", N_("Already reported to (vendor, operator, other bodies)"), F_TEXT, false, "other"},
    {"publication.intent", N_("I intend to publish my findings"), F_CHECK, false, "other"},
    {"publication.date", N_("Planned publication date"), F_DATE, false, "other"},
    {"policy_ack", N_("I have read and accept the handling policy for reports"), F_CHECK, true, "other"},
};
#define NFIELDS (sizeof(FIELDS) / sizeof(FIELDS[0]))

struct form {
	const char *kind, *disclose, *csrf;
	const char *v[NFIELDS];
	const char *err_field, *err_msg;
	bool missing[NFIELDS]; /* required items left empty, each marked beside its field */
	const struct kk_intake_limits *limits;
	bool had_files; /* files came with a form that is sent back: they must be chosen again */
};

void kk_page_file_limits(struct kk_req *r, const struct kk_intake_limits *l)
{
	kk_html_textf(&r->resp.body,
	              _("Up to %d files, each at most %zu KiB, together at most %zu KiB: text, JSON, XML, "
	                "PNG, JPEG, GIF, WebP, PDF, ZIP or pcap (never HTML or SVG)."),
	              l->files_max, l->file_max / 1024, l->total_max / 1024);
}

/* The file input of a form (several files) with its limits, and the error about the files. */
static void files_input(struct kk_req *r, const struct kk_intake_limits *l, const char *err_field,
                        const char *err_msg, bool had_files)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML_EL(b, "<fieldset id=\"group-files\"><legend>", _("Files (proof of concept, screenshots, logs)"),
	           "</legend><label for=\"f-files\">");
	kk_page_file_limits(r, l);
	KK_HTML(b, "</label><input type=\"file\" name=\"files\" id=\"f-files\" multiple>");
	if (err_field && (!strcmp(err_field, "file") || !strcmp(err_field, "filename")))
		KK_HTML_EL(b, "<p class=\"field-error\" role=\"alert\" id=\"err-files\">", err_msg, "</p>");
	else if (had_files)
		KK_HTML_EL(b, "<p class=\"field-error\" id=\"files-again\">",
		           _("Choose your files again: a browser cannot keep them when the form comes back."), "</p>");
	KK_HTML(b, "</fieldset>");
}

static void form_field(struct kk_req *r, const struct form *f, size_t i)
{
	struct kk_buf *b = &r->resp.body;
	const struct field *x = &FIELDS[i];
	const char *id = kk_arena_printf(&r->arena, "f-%s", x->name);
	bool bad = f->err_field && !strcmp(f->err_field, x->name), missing = !bad && f->missing[i];
	if (x->type == F_CHECK) {
		KK_HTML(b, "<label class=\"check\"><input type=\"checkbox\" value=\"1\"");
		KK_HTML_ATTR(b, "name", x->name);
		KK_HTML_ATTR(b, "id", id);
		if (f->v[i] && *f->v[i])
			KK_HTML(b, " checked");
		KK_HTML(b, "> ");
		kk_html_text(b, _(x->label));
		KK_HTML(b, "</label>");
	} else {
		KK_HTML(b, "<label");
		KK_HTML_ATTR(b, "for", id);
		KK_HTML(b, ">");
		kk_html_text(b, _(x->label));
		if (x->required)
			KK_HTML(b, " <span class=\"req\">*</span>");
		KK_HTML(b, "</label>");
		if (x->type == F_AREA) {
			KK_HTML(b, "<textarea rows=\"5\"");
			KK_HTML_ATTR(b, "name", x->name);
			KK_HTML_ATTR(b, "id", id);
			KK_HTML(b, ">");
			kk_html_text(b, f->v[i]);
			KK_HTML(b, "</textarea>");
		} else {
			if (x->type == F_EMAIL)
				KK_HTML(b, "<input type=\"email\"");
			else if (x->type == F_DATE)
				KK_HTML(b, "<input type=\"date\"");
			else if (x->type == F_URL)
				KK_HTML(b, "<input type=\"url\"");
			else
				KK_HTML(b, "<input type=\"text\"");
			KK_HTML_ATTR(b, "name", x->name);
			KK_HTML_ATTR(b, "id", id);
			KK_HTML_ATTR(b, "value", f->v[i] ? f->v[i] : "");
			KK_HTML(b, ">");
		}
	}
	if (bad || missing) {
		KK_HTML(b, "<p class=\"field-error\" role=\"alert\"");
		KK_HTML_ATTR(b, "id", kk_arena_printf(&r->arena, "err-%s", x->name));
		KK_HTML(b, ">");
		kk_html_textf(b, "%s: %s", _(x->label), bad ? f->err_msg : _("this item is required"));
		KK_HTML(b, "</p>");
	}
}

static void form_group(struct kk_req *r, const struct form *f, const char *group, const char *legend)
{
	struct kk_buf *b = &r->resp.body;
	KK_HTML(b, "<fieldset");
	KK_HTML_ATTR(b, "id", kk_arena_printf(&r->arena, "group-%s", group));
	KK_HTML_EL(b, "><legend>", legend, "</legend>");
	for (size_t i = 0; i < NFIELDS; i++)
		if (!strcmp(FIELDS[i].group, group))
			form_field(r, f, i);
	KK_HTML(b, "</fieldset>");
}

void kk_page_option(struct kk_buf *b, const char *value, const char *label, const char *cur)
{
	KK_HTML(b, "<option");
	KK_HTML_ATTR(b, "value", value);
	if (cur && !strcmp(cur, value))
		KK_HTML(b, " selected");
	KK_HTML_EL(b, ">", label, "</option>");
}

static int report_form(struct kk_req *r, int status, const struct form *f)
{
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, _("Report a vulnerability"));
	KK_HTML_EL(b, "<h1>", _("Report a vulnerability"), "</h1><div class=\"card\"><p>");
	kk_html_text(b,
	             _("No account is needed. Items marked * are required. Your name and e-mail address are "
	               "sealed and only passed on as far as you consent below."));
	KK_HTML(b, "</p>");
	if (f->err_msg) {
		const char *lab = f->err_field ? f->err_field : "";
		for (size_t i = 0; i < NFIELDS; i++)
			if (f->err_field && !strcmp(FIELDS[i].name, f->err_field))
				lab = _(FIELDS[i].label);
		int more = 0;
		for (size_t i = 0; i < NFIELDS; i++)
			more += f->missing[i] && !(f->err_field && !strcmp(FIELDS[i].name, f->err_field));
		kk_page_notice(r, "error",
		               kk_arena_printf(&r->arena, "%s%s%s%s%s", lab, *lab ? ": " : "", f->err_msg,
		                               more ? " " : "",
		                               more ? _("Other items marked below need your attention too.") : ""));
	}
	KK_HTML(b, "<form class=\"stack\" method=\"post\" action=\"/report\" id=\"report-form\" "
	           "enctype=\"multipart/form-data\"><input type=\"hidden\" name=\"csrf\"");
	KK_HTML_ATTR(b, "value", f->csrf);
	KK_HTML_EL(b, "><fieldset id=\"group-kind\"><legend>", _("What is affected"), "</legend>");
	KK_HTML(b, "<label><input type=\"radio\" name=\"kind\" value=\"product\"");
	if (!f->kind || strcmp(f->kind, "website"))
		KK_HTML(b, " checked");
	KK_HTML_EL(b, "> ", _("A software product"), "</label>");
	KK_HTML(b, "<label><input type=\"radio\" name=\"kind\" value=\"website\"");
	if (f->kind && !strcmp(f->kind, "website"))
		KK_HTML(b, " checked");
	KK_HTML_EL(b, "> ", _("A website"), "</label>");
	if (f->err_field && !strcmp(f->err_field, "kind"))
		KK_HTML_EL(b, "<p class=\"field-error\" role=\"alert\" id=\"err-kind\">", f->err_msg, "</p>");
	KK_HTML(b, "</fieldset>");
	form_group(r, f, "finder", _("About you"));
	KK_HTML_EL(b, "<label for=\"f-finder.disclose\">",
	           _("What may be passed on to the vendor or operator"),
	           "</label><select name=\"finder.disclose\" id=\"f-finder.disclose\">");
	kk_page_option(b, "none", _("Nothing about me"), f->disclose);
	kk_page_option(b, "name", _("My name"), f->disclose);
	kk_page_option(b, "name_contact", _("My name and e-mail address"), f->disclose);
	KK_HTML(b, "</select>");
	if (f->err_field && !strcmp(f->err_field, "finder.disclose"))
		KK_HTML_EL(b, "<p class=\"field-error\" role=\"alert\" id=\"err-finder.disclose\">",
		           f->err_msg, "</p>");
	form_group(r, f, "product", _("The product (for a product report)"));
	form_group(r, f, "website", _("The website (for a website report)"));
	form_group(r, f, "vuln", _("The vulnerability"));
	files_input(r, f->limits, f->err_field, f->err_msg, f->had_files);
	form_group(r, f, "other", _("Other"));
	kk_page_submit(r, _("Send the report"));
	return kk_page_close(r, status);
}

/*
 * The pre-session CSRF token of the form (double submit, like the sign-in form); a signed-in
 * person's form carries the session's token instead, which the dispatcher checks.
 */
static const char *form_csrf(struct kk_req *r, bool fresh)
{
	if (r->via_cookie)
		return r->actor.csrf;
	char csrf[KK_CSRF_MAX];
	const char *have = kk_req_cookie(r, KK_LOGIN_CSRF_COOKIE);
	if (!fresh && have && strlen(have) >= 32 && strlen(have) < sizeof(csrf) &&
	    strspn(have, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == strlen(have))
		kk_strlcpy(csrf, have, sizeof(csrf));
	else
		kk_random_token(csrf, 32);
	const char *c = kk_arena_strdup(&r->arena, csrf);
	kk_resp_cookie(r, KK_LOGIN_CSRF_COOKIE, c, 3600, true);
	return c;
}

int page_report(struct kk_req *r)
{
	struct kk_intake_limits l;
	if (kk_report_limits_or_reply(r, &l) < 0)
		return KK_EINTERNAL;
	struct form f = {.csrf = form_csrf(r, false), .disclose = "none", .limits = &l};
	return report_form(r, 200, &f);
}

/* Sets obj[path] (path "a.b" makes obj.a.b) to v. */
static void jset(json_t *root, const char *path, json_t *v)
{
	const char *dot = strchr(path, '.');
	if (!dot) {
		json_object_set_new(root, path, v);
		return;
	}
	char head[32];
	size_t n = (size_t)(dot - path);
	if (n >= sizeof(head)) {
		json_decref(v);
		return;
	}
	memcpy(head, path, n);
	head[n] = '\0';
	json_t *o = json_object_get(root, head);
	if (!o) {
		o = json_object();
		json_object_set_new(root, head, o);
	}
	json_object_set_new(o, dot + 1, v);
}

/*
 * The form as the JSON document kk_intake_parse reads (empty fields left out), in the arena.
 * NULL when out of memory, or with *bad naming a field that is not UTF-8.
 */
static char *form_json(struct kk_req *r, const struct form *f, const char **bad)
{
	json_t *root = json_object();
	json_object_set_new(root, "kind", json_string(f->kind ? f->kind : ""));
	json_object_set_new(root, "lang", json_string(r->lang));
	jset(root, "finder.disclose", json_string(f->disclose ? f->disclose : "none"));
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct field *x = &FIELDS[i];
		const char *v = f->v[i];
		if (x->type == F_CHECK) {
			jset(root, x->name, json_boolean(v && *v));
			continue;
		}
		if (!v || !*v)
			continue;
		/* the other kind's items are not part of this report */
		if ((!strcmp(x->group, "product") && strcmp(f->kind ? f->kind : "", "product")) ||
		    (!strcmp(x->group, "website") && strcmp(f->kind ? f->kind : "", "website")))
			continue;
		json_t *s = json_string(v);
		if (!s) { /* not UTF-8 */
			*bad = x->name;
			json_decref(root);
			return NULL;
		}
		jset(root, x->name, s);
	}
	size_t n = json_dumpb(root, NULL, 0, JSON_COMPACT);
	char *out = n ? kk_arena_alloc(&r->arena, n + 1) : NULL;
	if (out && json_dumpb(root, out, n, JSON_COMPACT) == n)
		out[n] = '\0';
	else
		out = NULL;
	json_decref(root);
	return out;
}

static int submit_tx(struct kk_db *db, void *arg)
{
	struct kk_report_submit *s = arg;
	kk_diag_clear(&s->d);
	int rc = kk_intake_submit(db, s->actor, s->key, &s->in, false, s->base_url, &s->rc, &s->d);
	for (int i = 0; !rc && i < s->nfiles; i++)
		rc = kk_intake_attach_link(db, s->actor, true, s->rc.tracking, &s->files[i], &s->stored[i], &s->d);
	return rc;
}

int kk_report_submit(struct kk_req *r, const char *json, size_t n, const struct kk_intake_limits *l,
                     const struct kk_upload *u, int nu, struct kk_report_submit *s, bool *replied)
{
	*replied = true;
	s->base_url = getenv("KEIKAI_BASE_URL");
	kk_diag_clear(&s->d);
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	int rc = kk_intake_parse(json, n, &s->in, &s->d);
	if (!rc)
		rc = kk_intake_validate(db, &s->in, true, &s->d);
	if (rc) {
		kk_intake_input_release(&s->in);
		*replied = false;
		return rc == KK_EPARSE ? KK_EPARSE : KK_EINVAL;
	}
	/* counted once the report is well formed: the expensive work starts here */
	if ((rc = kk_report_rate_or_reply(r, "report.submit", &l->submit)) < 0 ||
	    (rc = kk_intake_check_pgp_key(&s->in, &s->d)) < 0) {
		kk_intake_input_release(&s->in);
		*replied = rc == KK_ERATE || rc == KK_EBUSY || s->d.code == 0;
		return *replied ? rc : KK_EINVAL;
	}
	struct kk_stored_file *stored = NULL;
	if ((rc = kk_report_store(r, u, nu, l->file_max, &stored, &s->d)) < 0) {
		kk_intake_input_release(&s->in);
		kk_log(KK_LOG_ERROR, "reports: storing an attachment: %s", s->d.msg);
		return kk_req_fail(r, KK_EINTERNAL, NULL, "the server cannot store files now; try again later");
	}
	unsigned char key[KK_KEY_BYTES];
	if ((rc = kk_page_report_key(r, key)) < 0) {
		kk_intake_input_release(&s->in);
		return rc;
	}
	s->key = key;
	s->files = u;
	s->stored = stored;
	s->nfiles = nu;
	rc = kk_db_tx(db, submit_tx, s);
	sodium_memzero(key, sizeof(key));
	s->key = NULL;
	kk_intake_input_release(&s->in);
	if (rc == KK_EINVAL || rc == KK_ETOOBIG) {
		*replied = false;
		return KK_EINVAL;
	}
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	*replied = false;
	return 0;
}

static int receipt(struct kk_req *r, const struct kk_report_receipt *rc, const char *base_url)
{
	struct kk_buf *b = &r->resp.body;
	kk_resp_header(r, "Cache-Control", "no-store");
	kk_page_open(r, _("Report received"));
	KK_HTML_EL(b, "<h1>", _("Report received"),
	           "</h1><div class=\"card\" id=\"receipt\"><dl class=\"props\"><dt>");
	kk_html_text(b, _("Tracking number"));
	KK_HTML_EL(b, "</dt><dd id=\"tracking\">", rc->tracking, "</dd></dl>");
	kk_page_notice(
	    r, "error",
	    _("Keep this link. It is shown only this once and is the only way to see your report's status "
	      "and answer questions without an account."));
	const char *path = kk_arena_printf(&r->arena, "/r/%s?key=%s", rc->tracking, rc->token);
	const char *link = kk_arena_printf(&r->arena, "%s%s", base_url && *base_url ? base_url : "", path);
	KK_HTML(b, "<p><a id=\"secret-link\"");
	KK_HTML_ATTR(b, "href", path);
	KK_HTML(b, "><code class=\"secret\">");
	kk_html_text(b, link);
	KK_HTML(b, "</code></a></p></div>");
	return kk_page_close(r, 201);
}

/*
 * The validator's message for the form: as it is on an English page (it names the value and
 * the fix); on a Japanese page the field's fix in Japanese, where there is one.
 */
static const char *form_error(struct kk_req *r, const struct form *f, const struct kk_diag *d, int rc)
{
	static const struct {
		const char *field, *fix;
	} fixes[] = {
	    {"finder.email", N_("enter one e-mail address like name@example.org")},
	    {"finder.pgp_key", N_("paste an ASCII-armored OpenPGP public key that can encrypt (gpg --armor --export "
	                          "ADDRESS)")},
	    {"finder.credit_name", N_("say under which name you want to be credited")},
	    {"finder.anonymous", N_("a fully anonymous finder cannot also allow passing on or want credit")},
	    {"website.url", N_("enter the site's address, starting with http:// or https://")},
	    {"vulnerability.cwe", N_("enter a CWE id like CWE-79 (or leave it empty)")},
	    {"vulnerability.cve", N_("enter a CVE id like CVE-2024-12345 (or leave it empty)")},
	    {"vulnerability.description", N_("this item is required")},
	    {"publication.date", N_("give the date as YYYY-MM-DD and tick that you intend to publish")},
	};
	const char *msg = d->msg[0] ? d->msg : kk_err_msg(rc);
	if (strcmp(r->lang, "ja") || d->code != KK_EINVAL)
		return kk_arena_strdup(&r->arena, msg);
	for (size_t i = 0; i < NFIELDS; i++)
		if (f->missing[i] && !strcmp(FIELDS[i].name, d->where))
			return _("this item is required");
	for (size_t i = 0; i < sizeof(fixes) / sizeof(fixes[0]); i++)
		if (!strcmp(fixes[i].field, d->where))
			return _(fixes[i].fix);
	return kk_arena_strdup(&r->arena, msg);
}

static void missing_field(void *arg, const char *field)
{
	struct form *f = arg;
	for (size_t i = 0; i < NFIELDS; i++)
		if (!strcmp(FIELDS[i].name, field))
			f->missing[i] = true;
}

/* Marks every required item the form left empty, so the finder sees them all at once. */
static void mark_missing(const char *json, struct form *f)
{
	struct kk_report_input in;
	struct kk_diag d;
	kk_diag_clear(&d);
	if (kk_intake_parse(json, strlen(json), &in, &d) < 0)
		return;
	kk_intake_missing(&in, missing_field, f);
	kk_intake_input_release(&in);
}

int page_report_post(struct kk_req *r)
{
	struct kk_intake_limits l;
	int rc = kk_report_start(r, &l);
	if (rc < 0)
		return rc;
	struct kk_diag d;
	struct form f = {.kind = kk_req_form(r, "kind"), .disclose = kk_req_form(r, "finder.disclose"), .limits = &l};
	for (size_t i = 0; i < NFIELDS; i++)
		f.v[i] = kk_req_form(r, FIELDS[i].name);
	struct kk_upload *u;
	int nu = kk_report_uploads(r, &l, &u, &d);
	f.had_files = nu > 0;
	if (!r->via_cookie) {
		if (!kk_report_form_csrf_ok(r)) {
			f.csrf = form_csrf(r, true);
			f.err_msg = _("The form expired. Check your entries and send it again.");
			return report_form(r, 400, &f);
		}
	}
	f.csrf = form_csrf(r, false);
	if (nu < 0) {
		f.err_field = d.where[0] ? kk_arena_strdup(&r->arena, d.where) : "file";
		f.err_msg = kk_arena_strdup(&r->arena, d.msg);
		return report_form(r, nu == KK_ETOOBIG ? 413 : 422, &f);
	}
	const char *bad = NULL;
	char *json = form_json(r, &f, &bad);
	if (!json && bad) {
		f.err_field = bad;
		f.err_msg = _("this text is not valid UTF-8; type it again");
		return report_form(r, 422, &f);
	}
	if (!json)
		return kk_req_fail(r, KK_ENOMEM, NULL, NULL);
	struct kk_report_submit s = {.actor = &r->actor};
	bool replied;
	rc = kk_report_submit(r, json, strlen(json), &l, u, nu, &s, &replied);
	if (rc < 0 && replied)
		return rc;
	if (rc < 0) {
		f.err_field = s.d.where[0] ? kk_arena_strdup(&r->arena, s.d.where) : NULL;
		mark_missing(json, &f);
		f.err_msg = form_error(r, &f, &s.d, rc);
		return report_form(r, 422, &f);
	}
	rc = receipt(r, &s.rc, s.base_url);
	sodium_memzero(&s.rc, sizeof(s.rc));
	return rc;
}

/* ---- the finder's status page ------------------------------------------ */

const char *kk_page_stop_reason(const struct kk_req *r, const char *name, const char *kind)
{
	enum kk_stop_reason why;
	if (kk_stop_reason_parse(name, &why) < 0)
		return name;
	return kk_stop_reason_text(why, kind && !strcmp(kind, "website"), !strcmp(r->lang, "ja"));
}

/* A status as the finder reads it. */
static const char *status_label(const char *s)
{
	if (!strcmp(s, "received"))
		return _("Received: waiting for review");
	if (!strcmp(s, "info_requested"))
		return _("We asked you a question: please answer below");
	if (!strcmp(s, "accepted"))
		return _("Accepted: being handled");
	if (!strcmp(s, "not_accepted"))
		return _("Not accepted");
	if (!strcmp(s, "handling_stopped"))
		return _("Handling stopped");
	if (!strcmp(s, "duplicate"))
		return _("Duplicate of another report");
	return s;
}

struct view {
	struct kk_req *r;
	int64_t id;
	const char *adv[8]; /* published advisories behind the report (identifiers, in the arena) */
	int nadv;
};

static int adv_row(void *arg, const struct kk_adv_row *row)
{
	struct view *v = arg;
	if (v->nadv < (int)(sizeof(v->adv) / sizeof(v->adv[0])))
		v->adv[v->nadv++] = kk_arena_strdup(&v->r->arena, row->ident);
	return 0;
}

static int finder_row(void *arg, const struct kk_report_row *row)
{
	struct view *v = arg;
	struct kk_buf *b = &v->r->resp.body;
	v->id = row->id;
	KK_HTML_EL(b, "<div class=\"card\"><dl class=\"props\"><dt>", _("Tracking number"),
	           "</dt><dd id=\"tracking\">");
	kk_html_text(b, row->tracking);
	KK_HTML_EL(b, "</dd><dt>", _("Status"), "</dt><dd id=\"status\"");
	/* an advisory on the report is public: that is the end the finder waited for */
	KK_HTML_ATTR(b, "data-status", v->nadv ? "published" : row->status);
	KK_HTML(b, ">");
	kk_html_text(b, v->nadv ? _("Published: the advisory is public") : status_label(row->status));
	KK_HTML(b, "</dd>");
	if (v->nadv) {
		KK_HTML_EL(b, "<dt>", _("Advisory"), "</dt><dd id=\"advisories\">");
		bool en = !strcmp(v->r->lang, "en");
		for (int i = 0; i < v->nadv; i++) {
			char slug[KK_ADV_IDENT_MAX];
			kk_adv_ident_slug(v->adv[i], slug, sizeof(slug));
			if (i)
				KK_HTML(b, ", ");
			KK_HTML(b, "<a");
			KK_HTML_ATTR(b, "href", kk_arena_printf(&v->r->arena, en ? "/jvn/%s/en" : "/jvn/%s", slug));
			KK_HTML_EL(b, ">", v->adv[i], "</a>");
		}
		KK_HTML(b, "</dd>");
	}
	if (*row->reason) {
		KK_HTML_EL(b, "<dt>", _("Reason"), "</dt><dd id=\"reason\">");
		KK_HTML_EL(b, "", row->reason, "</dd>");
	}
	if (*row->stop_reason) {
		KK_HTML_EL(b, "<dt>", _("Why handling stopped"), "</dt><dd id=\"stop-reason\"");
		KK_HTML_ATTR(b, "data-reason", row->stop_reason);
		KK_HTML_EL(b, ">", kk_page_stop_reason(v->r, row->stop_reason, row->kind), "</dd>");
	}
	KK_HTML_EL(b, "<dt>", _("Received"), "</dt><dd>");
	kk_html_text(b, kk_page_time(v->r, row->created_at));
	KK_HTML_EL(b, "</dd><dt>", _("Last change"), "</dt><dd>");
	kk_html_text(b, kk_page_time(v->r, row->updated_at));
	KK_HTML(b, "</dd></dl></div>");
	return 0;
}

struct thread {
	struct kk_req *r;
	const char *finder_label, *desk_label;
	int n;
};

static int thread_msg(void *arg, const struct kk_report_msg *m)
{
	struct thread *t = arg;
	struct kk_buf *b = &t->r->resp.body;
	t->n++;
	KK_HTML(b, "<li");
	KK_HTML_ATTR(b, "class", m->from_finder ? "msg finder" : "msg receiver");
	KK_HTML(b, "><p class=\"muted\">");
	kk_html_text(b, kk_page_time(t->r, m->at));
	KK_HTML(b, " — ");
	kk_html_text(b, m->from_finder ? t->finder_label : t->desk_label);
	KK_HTML(b, " (");
	kk_html_text(b, m->kind);
	KK_HTML_EL(b, ")</p><pre class=\"body\">", m->body, "</pre></li>");
	return 0;
}

int kk_page_report_thread(struct kk_req *r, int64_t report_id, const char *finder_label,
                          const char *desk_label)
{
	struct kk_buf *b = &r->resp.body;
	struct thread t = {r, finder_label, desk_label, 0};
	KK_HTML(b, "<ol class=\"thread\" id=\"thread\">");
	int rc = kk_intake_thread(r->db, report_id, thread_msg, &t);
	if (rc < 0)
		return rc;
	if (!t.n)
		KK_HTML_EL(b, "<li class=\"muted\">", _("No messages yet."), "</li>");
	KK_HTML(b, "</ol>");
	return 0;
}

/*
 * Renders the status page; the caller has the tracking number and token. err_field "file" puts the
 * notice beside the file input too; had_files asks to choose the files again.
 */
static int status_page(struct kk_req *r, int status, const char *tracking, const char *token,
                       const char *notice, const char *kind, const char *err_field, bool had_files)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	struct kk_intake_limits lim;
	const struct kk_intake_limits *l = &lim;
	if (kk_report_limits_or_reply(r, &lim) < 0)
		return KK_EINTERNAL;
	struct kk_buf *b = &r->resp.body;
	kk_resp_header(r, "Cache-Control", "no-store");
	kk_resp_header(r, "Referrer-Policy", "no-referrer");
	kk_page_open(r, _("Your report"));
	KK_HTML_EL(b, "<h1>", _("Your report"), "</h1>");
	if (notice)
		kk_page_notice(r, kind, notice);
	struct view v = {.r = r};
	int rc = token ? kk_intake_link_check(db, tracking, token, NULL) : KK_ENOTFOUND;
	if (!rc && (rc = kk_adv_of_report(db, tracking, adv_row, &v)) > 0)
		rc = 0;
	if (!rc)
		rc = kk_intake_finder_get(db, tracking, token, finder_row, &v);
	if (rc >= 0 && !v.id)
		rc = KK_ENOTFOUND;
	if (rc < 0) {
		kk_buf_reset(b);
		r->resp.nheaders = 0;
		return kk_req_fail(r, rc == KK_ENOTFOUND ? KK_ENOTFOUND : rc, NULL,
		                   rc == KK_ENOTFOUND ? "%s" : NULL,
		                   _("no report matches this link; check the whole link"));
	}
	KK_HTML_EL(b, "<h2>", _("Messages"), "</h2>");
	if ((rc = kk_page_report_thread(r, v.id, _("you"), _("the receiving desk"))) < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML_EL(b, "<h2>", _("Your files"), "</h2>");
	if ((rc = kk_page_report_files(r, v.id, true, kk_arena_printf(&r->arena, "/r/%s/files/", tracking),
	                               kk_arena_printf(&r->arena, "?key=%s", token))) < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	KK_HTML_EL(b, "<h2>", _("Answer a question or add information"),
	           "</h2><div class=\"card\"><form class=\"stack\" method=\"post\" id=\"finder-form\" "
	           "enctype=\"multipart/form-data\"");
	KK_HTML_ATTR(b, "action", kk_arena_printf(&r->arena, "/r/%s", tracking));
	/* the key is the form's secret: a page on another site cannot know it */
	KK_HTML(b, "><input type=\"hidden\" name=\"key\"");
	KK_HTML_ATTR(b, "value", token);
	KK_HTML_EL(b, "><label for=\"body\">", _("Your message"), "</label><textarea id=\"body\" name=\"body\" rows=\"6\">");
	if (status >= 400) /* what the finder typed comes back with the error */
		kk_html_text(b, kk_req_form(r, "body"));
	KK_HTML(b, "</textarea>");
	files_input(r, l, err_field, notice, had_files);
	kk_page_submit(r, _("Send"));
	return kk_page_close(r, status);
}

int page_report_status(struct kk_req *r)
{
	return status_page(r, 200, kk_req_param(r, "tracking"), kk_req_query(r, "key"), NULL, NULL, NULL, false);
}

int page_report_file(struct kk_req *r)
{
	const char *token = kk_req_query(r, "key");
	return kk_report_download(r, token ? token : "");
}

static int followup_tx(struct kk_db *db, void *arg)
{
	struct kk_report_followup *p = arg;
	kk_diag_clear(&p->d);
	struct kk_actor finder;
	kk_intake_finder_actor(p->tracking, &finder);
	int rc = kk_intake_finder_post(db, p->tracking, p->token, p->body, &p->d);
	for (int i = 0; !rc && i < p->nfiles; i++)
		rc = kk_intake_attach_link(db, &finder, true, p->tracking, &p->files[i], &p->stored[i], &p->d);
	return rc;
}

int kk_report_followup(struct kk_req *r, const struct kk_intake_limits *l, struct kk_report_followup *p,
                       bool *replied)
{
	*replied = true;
	kk_diag_clear(&p->d);
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	if (!p->token || kk_intake_link_check(db, p->tracking, p->token, &p->d) < 0)
		return kk_req_fail(r, KK_ENOTFOUND, NULL, "%s", _("no report matches this link; check the whole link"));
	int rc = kk_report_rate_or_reply(r, "report.followup", &l->followup);
	if (rc < 0)
		return rc;
	if ((!p->body || !*p->body) && !p->nfiles) {
		*replied = false;
		return kk_diag_set(&p->d, KK_EINVAL, "body", "%s", _("write something to send, or add files"));
	}
	if (!p->body || !*p->body) { /* files alone: the thread says which */
		const char *names = "";
		for (int i = 0; i < p->nfiles; i++)
			names = kk_arena_printf(&r->arena, "%s%s%s", names, i ? ", " : "", p->files[i].filename);
		p->body = kk_arena_printf(&r->arena, "%s %s", _("Files sent:"), names);
	}
	struct kk_stored_file *stored = NULL;
	if ((rc = kk_report_store(r, p->files, p->nfiles, l->file_max, &stored, &p->d)) < 0) {
		kk_log(KK_LOG_ERROR, "reports: storing an attachment: %s", p->d.msg);
		return kk_req_fail(r, KK_EINTERNAL, NULL, "the server cannot store files now; try again later");
	}
	p->stored = stored;
	rc = kk_db_tx(db, followup_tx, p);
	if (rc == KK_EINVAL || rc == KK_ETOOBIG || rc == KK_ECONFLICT) {
		*replied = false;
		return rc;
	}
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	*replied = false;
	return 0;
}

int page_report_status_post(struct kk_req *r)
{
	struct kk_intake_limits l;
	int rc = kk_report_start(r, &l);
	if (rc < 0)
		return rc;
	struct kk_diag d;
	struct kk_report_followup p = {.tracking = kk_req_param(r, "tracking"),
	                               .token = kk_req_form(r, "key"),
	                               .body = kk_req_form(r, "body")};
	struct kk_upload *u;
	int nu = kk_report_uploads(r, &l, &u, &d);
	if (nu < 0) {
		struct kk_db *db = kk_req_db_or_reply(r);
		if (!db)
			return KK_EBUSY;
		if (!p.token || kk_intake_link_check(db, p.tracking, p.token, &p.d) < 0)
			return kk_req_fail(r, KK_ENOTFOUND, NULL, "%s",
			                   _("no report matches this link; check the whole link"));
		return status_page(r, nu == KK_ETOOBIG ? 413 : 422, p.tracking, p.token,
		                   kk_arena_strdup(&r->arena, d.msg), "error", "file", false);
	}
	p.files = u;
	p.nfiles = nu;
	bool replied;
	rc = kk_report_followup(r, &l, &p, &replied);
	if (rc < 0 && replied)
		return rc;
	if (rc < 0)
		return status_page(r, 422, p.tracking, p.token,
		                   kk_arena_printf(&r->arena, "%s: %s", _("Your message"), p.d.msg), "error", NULL,
		                   nu > 0);
	return status_page(r, 200, p.tracking, p.token, _("Your message was sent."), "ok", NULL, false);
}

const char *kk_report_form_csrf(struct kk_req *r, bool fresh)
{
	return form_csrf(r, fresh);
}

bool kk_report_form_csrf_ok(struct kk_req *r)
{
	if (r->via_cookie)
		return true; /* the dispatcher checked the session's token */
	const char *sent = kk_req_form(r, "csrf"), *cookie = kk_req_cookie(r, KK_LOGIN_CSRF_COOKIE);
	return sent && cookie && strlen(sent) == strlen(cookie) && strlen(sent) >= 32 &&
	       kk_ct_eq(sent, cookie, strlen(sent));
}

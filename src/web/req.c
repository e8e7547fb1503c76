/*
 * req.c — request helpers shared by every handler: parameters, query,
 * headers and cookies, forms, JSON bodies, error answers (JSON or HTML).
 * The response helpers (headers, cookies, redirects) are in resp.c.
 */
#include "web/req.h"
#include "base/err.h"
#include "base/str.h"
#include "base/utf8.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/web.h"
#include <ctype.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *kk_req_param(struct kk_req *r, const char *name)
{
	for (int i = 0; i < r->nparams; i++)
		if (!strcmp(r->params[i].name, name))
			return r->params[i].value;
	return NULL;
}

const char *kk_req_query(struct kk_req *r, const char *name)
{
	return r->conn ? MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name) : NULL;
}

struct query_walk {
	struct kk_req_arg *out;
	size_t n, max, seen;
};

static enum MHD_Result query_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	struct query_walk *w = cls;
	if (w->n < w->max) {
		w->out[w->n].name = key;
		w->out[w->n].value = value ? value : "";
		w->n++;
	}
	w->seen++;
	return MHD_YES;
}

size_t kk_req_query_all(struct kk_req *r, struct kk_req_arg *out, size_t max, size_t *seen)
{
	struct query_walk w = {out, 0, max, 0};
	if (r->conn)
		MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, query_arg, &w);
	if (seen)
		*seen = w.seen;
	return w.n;
}

const char *kk_req_header(struct kk_req *r, const char *name)
{
	return r->conn ? MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name) : NULL;
}

const char *kk_req_cookie(struct kk_req *r, const char *name)
{
	return r->conn ? MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name) : NULL;
}

int kk_req_id_or_reply(struct kk_req *r, const char *name, int64_t *out)
{
	const char *v = kk_req_param(r, name);
	char *end = NULL;
	long long n = v && isdigit((unsigned char)*v) ? strtoll(v, &end, 10) : 0;
	if (!v || !end || *end || n <= 0 || strlen(v) > 18)
		return kk_req_fail(r, KK_ENOTFOUND, name, "'%s' is not an id (a positive number)",
		                   v ? v : "");
	*out = n;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes %XX and '+' of n bytes at s into the arena. */
static char *form_decode(struct kk_arena *a, const char *s, size_t n)
{
	char *out = kk_arena_alloc(a, n + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+')
			*o++ = ' ';
		else if (s[i] == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
		         hexval((unsigned char)s[i + 2]) >= 0) {
			*o++ = (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = 0;
	return out;
}

const char *kk_form_value(struct kk_arena *a, const char *body, size_t n, const char *name)
{
	size_t nl = strlen(name);
	const char *p = body, *end = body + n;
	while (p && p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		if (eq && (size_t)(eq - p) == nl && !memcmp(p, name, nl))
			return form_decode(a, eq + 1, (size_t)(stop - eq - 1));
		p = stop + 1;
	}
	return NULL;
}

const char *kk_req_form(struct kk_req *r, const char *name)
{
	if (!r->body)
		return NULL;
	const char *ct = kk_req_header(r, "Content-Type");
	if (ct && kk_req_is_multipart(r)) {
		const struct kk_part *p;
		int n = kk_req_parts(r, &p, NULL);
		for (int i = 0; i < n; i++)
			if (!p[i].filename && !strcmp(p[i].name, name))
				return memchr(p[i].data, 0, p[i].len) ? NULL
				                                       : kk_arena_strndup(&r->arena, p[i].data, p[i].len);
		return NULL;
	}
	if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)
		return NULL;
	return kk_form_value(&r->arena, r->body, r->body_len, name);
}

/* ---- multipart/form-data (RFC 7578 over RFC 2046) ------------------------------------------ */

static const char *skip_ws(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/*
 * The value of parameter `key` in a header value "token; k=v; k2=\"q v\"" (s..end), unquoted
 * (backslash escapes honoured) into the arena; NULL when absent. *bad is set for an unclosed quote.
 */
static char *header_param(struct kk_arena *a, const char *s, const char *end, const char *key, bool *bad)
{
	size_t kl = strlen(key);
	const char *p = memchr(s, ';', (size_t)(end - s));
	while (p && p < end) {
		p = skip_ws(p + 1, end);
		const char *eq = p;
		while (eq < end && *eq != '=' && *eq != ';')
			eq++;
		const char *kend = eq;
		while (kend > p && (kend[-1] == ' ' || kend[-1] == '\t'))
			kend--;
		bool match = (size_t)(kend - p) == kl && !strncasecmp(p, key, kl);
		if (eq >= end || *eq == ';') {
			p = eq < end ? eq : NULL;
			continue;
		}
		const char *v = skip_ws(eq + 1, end), *vend;
		char *out = NULL, *o = NULL;
		if (match && !(out = o = kk_arena_alloc(a, (size_t)(end - v) + 1)))
			return NULL;
		if (v < end && *v == '"') {
			for (vend = v + 1; vend < end && *vend != '"'; vend++) {
				if (*vend == '\\' && vend + 1 < end)
					vend++;
				if (o)
					*o++ = *vend;
			}
			if (vend >= end) {
				*bad = true;
				return NULL;
			}
			vend++;
		} else {
			for (vend = v; vend < end && *vend != ';'; vend++)
				if (o)
					*o++ = *vend;
			while (o && o > out && (o[-1] == ' ' || o[-1] == '\t'))
				o--;
		}
		if (match) {
			*o = 0;
			return out;
		}
		p = memchr(vend, ';', (size_t)(end - vend));
	}
	return NULL;
}

/* The part's headers at h..end (lines separated by CRLF) into x. */
static int part_headers(struct kk_arena *a, const char *h, const char *end, struct kk_part *x, struct kk_diag *d)
{
	bool seen = false;
	while (h < end) {
		const char *eol = memmem(h, (size_t)(end - h), "\r\n", 2);
		if (!eol)
			eol = end;
		const char *colon = memchr(h, ':', (size_t)(eol - h));
		if (!colon)
			return kk_diag_set(d, KK_EPARSE, "multipart", "a part header line has no ':'");
		const char *v = skip_ws(colon + 1, eol);
		size_t nl = (size_t)(colon - h);
		if (nl == 19 && !strncasecmp(h, "Content-Disposition", 19)) {
			bool bad = false;
			if ((size_t)(eol - v) < 9 || strncasecmp(v, "form-data", 9) ||
			    (v + 9 < eol && v[9] != ';' && v[9] != ' '))
				return kk_diag_set(d, KK_EPARSE, "multipart", "a part is not 'form-data'");
			x->name = header_param(a, v, eol, "name", &bad);
			const char *fn = header_param(a, v, eol, "filename", &bad);
			if (bad)
				return kk_diag_set(d, KK_EPARSE, "multipart", "a part header has an unclosed quote");
			if (fn) { /* a browser may send a whole path: keep its last segment */
				const char *slash = strrchr(fn, '/'), *bs = strrchr(fn, '\\');
				if (bs && (!slash || bs > slash))
					slash = bs;
				x->filename = slash ? slash + 1 : fn;
			}
			seen = true;
		} else if (nl == 12 && !strncasecmp(h, "Content-Type", 12)) {
			x->type = kk_arena_strndup(a, v, (size_t)(eol - v));
			if (!x->type)
				return KK_ENOMEM;
		}
		h = eol < end ? eol + 2 : end;
	}
	if (!seen || !x->name || !*x->name)
		return kk_diag_set(d, KK_EPARSE, "multipart", "a part has no Content-Disposition with a name");
	return 0;
}

int kk_multipart_parse(struct kk_arena *a, const char *content_type, const char *body, size_t n,
                       struct kk_part **parts, int *nparts, struct kk_diag *d)
{
	*parts = NULL;
	*nparts = 0;
	const char *ctend = content_type ? content_type + strlen(content_type) : NULL;
	bool bad = false;
	char *b = content_type && !strncasecmp(content_type, "multipart/form-data", 19)
	              ? header_param(a, content_type, ctend, "boundary", &bad)
	              : NULL;
	size_t bl = b ? strlen(b) : 0;
	if (!b || bl < 1 || bl > 70)
		return kk_diag_set(d, KK_EPARSE, "Content-Type",
		                   "send multipart/form-data with a boundary of 1 to 70 characters");
	char *delim = kk_arena_printf(a, "\r\n--%s", b); /* a boundary inside the body */
	struct kk_part *out = kk_arena_alloc(a, sizeof(*out) * KK_MULTIPART_MAX_PARTS);
	if (!delim || !out)
		return KK_ENOMEM;
	size_t dl = bl + 4;
	const char *end = body + n, *p;
	/* the first boundary: at the very start, or after a preamble and CRLF */
	if (n >= dl - 2 && !memcmp(body, delim + 2, dl - 2))
		p = body + dl - 2;
	else if ((p = memmem(body, n, delim, dl)))
		p += dl;
	else
		return kk_diag_set(d, KK_EPARSE, "multipart", "the body holds no boundary line");
	int count = 0;
	for (;;) {
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break; /* the closing boundary; an epilogue is ignored */
		p = skip_ws(p, end);
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return kk_diag_set(d, KK_EPARSE, "multipart", "a boundary line does not end with CRLF");
		p += 2;
		if (count == KK_MULTIPART_MAX_PARTS)
			return kk_diag_set(d, KK_EPARSE, "multipart", "more than %d parts", KK_MULTIPART_MAX_PARTS);
		struct kk_part *x = &out[count];
		memset(x, 0, sizeof(*x));
		const char *hend, *data;
		if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
			hend = p;
			data = p + 2;
		} else {
			size_t lim = (size_t)(end - p);
			if (lim > KK_MULTIPART_MAX_HEADER + 4)
				lim = KK_MULTIPART_MAX_HEADER + 4;
			hend = memmem(p, lim, "\r\n\r\n", 4);
			if (!hend)
				return kk_diag_set(d, KK_EPARSE, "multipart",
				                   "a part's headers do not end within %d bytes", KK_MULTIPART_MAX_HEADER);
			data = hend + 4;
		}
		int rc = part_headers(a, p, hend, x, d);
		if (rc)
			return rc;
		/* a delimiter is followed by "--" or (optional blanks and) CRLF; "--XyZx" in the data is data */
		const char *dend = data;
		while ((dend = memmem(dend, (size_t)(end - dend), delim, dl))) {
			const char *after = skip_ws(dend + dl, end);
			if ((end - (dend + dl) >= 2 && dend[dl] == '-' && dend[dl + 1] == '-') ||
			    (end - after >= 2 && after[0] == '\r' && after[1] == '\n'))
				break;
			dend++;
		}
		if (!dend)
			return kk_diag_set(d, KK_EPARSE, "multipart", "part '%.60s' is not closed by a boundary", x->name);
		x->data = data;
		x->len = (size_t)(dend - data);
		count++;
		p = dend + dl;
	}
	*parts = out;
	*nparts = count;
	return 0;
}

bool kk_req_is_multipart(struct kk_req *r)
{
	const char *ct = kk_req_header(r, "Content-Type");
	return ct && !strncasecmp(ct, "multipart/form-data", 19);
}

int kk_req_parts(struct kk_req *r, const struct kk_part **parts, struct kk_diag *d)
{
	struct kk_diag local;
	if (!d)
		d = &local;
	kk_diag_clear(d);
	*parts = NULL;
	if (!r->body || !kk_req_is_multipart(r))
		return 0;
	if (!r->parts_rc) {
		int rc = kk_multipart_parse(&r->arena, kk_req_header(r, "Content-Type"), r->body, r->body_len,
		                            &r->parts, &r->nparts, d);
		r->parts_rc = rc ? rc : 1;
		if (rc)
			kk_strlcpy(r->parts_err, d->msg, sizeof(r->parts_err));
	} else if (r->parts_rc < 0) {
		kk_diag_set(d, r->parts_rc, "multipart", "%s", r->parts_err);
	}
	*parts = r->parts;
	return r->parts_rc < 0 ? r->parts_rc : r->nparts;
}

/* A translated heading for an error page. */
static const char *status_title(int status)
{
	switch (status) {
	case 400:
		return _("The request is not valid");
	case 401:
		return _("Sign-in required");
	case 403:
		return _("Not allowed");
	case 404:
		return _("Not found");
	case 405:
		return _("Method not allowed");
	case 409:
		return _("Conflict");
	case 413:
		return _("Too large");
	case 422:
		return _("The input cannot be processed");
	case 429:
		return _("Too many requests");
	case 431:
		return _("Request headers too large");
	case 503:
		return _("Temporarily unavailable");
	default:
		return _("Error");
	}
}

/*
 * A domain message as an API client reads it. Domain messages are shared
 * with the command line, whose hints name its commands ("no report X;
 * 'keikai report list' shows them", "(keikai vendor contact add)"): an API
 * answer drops such a clause. Writes into out (n bytes).
 */
static void api_clean(const char *msg, char *out, size_t n)
{
	kk_strlcpy(out, msg, n);
	for (char *p = out; (p = strstr(p, "keikai ")) != NULL;) {
		if (p == out || !strchr("'(`\"", p[-1])) {
			p += 7;
			continue;
		}
		/* the clause: from the nearest "(", "; " or ", " before it to its ")" or the end */
		char *start = NULL;
		for (char *q = p - 1; q >= out && !start; q--)
			if (*q == '(' || ((*q == ';' || *q == ',') && q[1] == ' '))
				start = q;
		if (!start) {
			p += 7;
			continue;
		}
		char *end;
		if (*start == '(') {
			end = strchr(p, ')');
			end = end ? end + 1 : p + strlen(p);
			if (start > out && start[-1] == ' ')
				start--;
		} else {
			end = p + strcspn(p, ";)");
			if (*end == ')')
				end++;
		}
		memmove(start, end, strlen(end) + 1);
		p = start;
	}
}

/* Whether the request asked for Japanese (?lang=, the lang cookie or Accept-Language): API errors then speak it. */
static bool asked_ja(struct kk_req *r)
{
	if (strcmp(r->lang, "ja"))
		return false;
	return kk_i18n_supported(kk_req_query(r, "lang")) || kk_i18n_supported(kk_req_cookie(r, "lang")) ||
	       kk_req_header(r, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
}

static const char *status_title(int status);

int kk_req_fail_status(struct kk_req *r, int status, const char *code, const char *field, const char *msg)
{
	kk_buf_reset(&r->resp.body);
	r->resp.static_data = NULL;
	if (r->is_api) {
		char clean[600], ja[800];
		api_clean(msg ? msg : "", clean, sizeof(clean));
		msg = clean;
		if (asked_ja(r)) {
			/* the catalog's translation, or the kind of error in Japanese before the detail */
			const char *tr = kk_i18n_lookup(r->cat, clean);
			if (tr != clean)
				msg = tr;
			else {
				snprintf(ja, sizeof(ja), "%s%s%s%s: %s", status_title(status), field ? " (" : "",
					 field ? field : "", field ? ")" : "", clean);
				msg = ja;
			}
		}
		struct kk_json j;
		kk_resp_json(r, status, &j);
		kk_json_obj_open(&j);
		kk_json_key(&j, "error");
		kk_json_obj_open(&j);
		kk_json_kv_str(&j, "code", code);
		kk_json_kv_str(&j, "message", msg);
		if (field)
			kk_json_kv_str(&j, "field", field);
		kk_json_obj_close(&j);
		kk_json_obj_close(&j);
		kk_buf_putc(&r->resp.body, '\n');
		return 0;
	}
	const char *title = status_title(status);
	kk_page_open(r, title);
	struct kk_buf *b = &r->resp.body;
	KK_HTML_EL(b, "<h1>", title, " <span class=\"muted\">");
	kk_html_int(b, status);
	KK_HTML_EL(b, "</span></h1><p class=\"notice error\">", _(msg), "</p><p><a href=\"/\">");
	kk_html_text(b, _("Back to the home page"));
	KK_HTML(b, "</a></p>");
	kk_page_close(r, status);
	return 0;
}

int kk_req_fail(struct kk_req *r, int err, const char *field, const char *fmt, ...)
{
	char msg[512];
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
	} else
		snprintf(msg, sizeof(msg), "%s", kk_err_msg(err));
	bool have_retry = false; /* a handler that knows the wait sets Retry-After itself */
	for (int i = 0; i < r->resp.nheaders; i++)
		have_retry |= r->resp.headers[i].value && !strcasecmp(r->resp.headers[i].name, "Retry-After");
	if (err == KK_ERATE && !have_retry)
		kk_resp_header(r, "Retry-After", "60");
	kk_req_fail_status(r, kk_err_http(err), kk_err_code(err), field, msg);
	return err < 0 ? err : KK_EINTERNAL;
}

json_t *kk_body_json(const char *content_type, const char *body, size_t n, struct kk_diag *d)
{
	const char *ct = content_type;
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
		kk_diag_set(d, KK_EUNSUPPORTED, "Content-Type",
		            "send the body as JSON with 'Content-Type: application/json'");
		return NULL;
	}
	if (!body || !n) {
		kk_diag_set(d, KK_EPARSE, NULL, "the request needs a JSON object body");
		return NULL;
	}
	json_error_t e;
	json_t *doc = json_loadb(body, n, JSON_REJECT_DUPLICATES, &e);
	if (!doc) {
		kk_diag_set(d, KK_EPARSE, NULL, "the body is not valid JSON: %s at line %d, column %d", kk_json_parse_error_text(e.text), e.line,
		            e.column);
		return NULL;
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		kk_diag_set(d, KK_EPARSE, NULL, "the body must be a JSON object");
		return NULL;
	}
	return doc;
}

json_t *kk_req_json_or_reply(struct kk_req *r)
{
	struct kk_diag d;
	kk_diag_clear(&d);
	json_t *doc = kk_body_json(kk_req_header(r, "Content-Type"), r->body, r->body_len, &d);
	if (doc)
		return doc;
	if (d.code == KK_EUNSUPPORTED)
		kk_req_fail_status(r, 415, "unsupported_media_type", "Content-Type", d.msg);
	else
		kk_req_fail(r, KK_EPARSE, "body", "%s", d.msg);
	return NULL;
}

int kk_body_text(json_t *obj, const char *key, size_t max, const char **out, struct kk_diag *d)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return kk_diag_set(d, KK_EUNPROCESSABLE, key, "'%s' must be a string", key);
	size_t n = json_string_length(v);
	const char *s = json_string_value(v);
	if (n > max || strlen(s) != n || !kk_utf8_valid(s, n))
		return kk_diag_set(d, KK_EUNPROCESSABLE, key, "'%s' must be valid text of at most %zu bytes", key, max);
	*out = s;
	return 0;
}

const char *kk_req_jstr_opt(struct kk_req *r, json_t *obj, const char *key, size_t max, bool *bad)
{
	struct kk_diag d;
	kk_diag_clear(&d);
	const char *s;
	*bad = kk_body_text(obj, key, max, &s, &d) != 0;
	if (*bad)
		kk_req_fail(r, KK_EUNPROCESSABLE, key, "%s", d.msg);
	return s;
}

const char *kk_req_jstr_or_reply(struct kk_req *r, json_t *obj, const char *key, size_t min, size_t max)
{
	bool bad;
	const char *s = kk_req_jstr_opt(r, obj, key, max, &bad);
	if (bad)
		return NULL;
	if (!s || strlen(s) < min) {
		kk_req_fail(r, KK_EUNPROCESSABLE, key, "'%s' is required", key);
		return NULL;
	}
	return s;
}

int kk_req_allow_or_reply(struct kk_req *r, enum kk_action act, const struct kk_policy_obj *obj)
{
	int rc = kk_policy_check(&r->actor, act, obj);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL,
		                   rc == KK_EAUTH ? "sign in first" : "your role may not do this");
	return 0;
}

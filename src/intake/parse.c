/*
 * parse.c — a report's JSON into struct kk_report_input, and the checks of
 * every item the standard asks for, each error naming its field.
 */
#include "base/alloc.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/utf8.h"
#include "intake/intake.h"
#include "mail/mail.h"
#include "std/cwe.h"
#include "store/db.h"
#include <jansson.h>
#include <string.h>

void kk_intake_input_release(struct kk_report_input *in)
{
	char **s[] = {&in->kind,	   &in->lang,	       &in->finder_name,    &in->finder_email,
		      &in->finder_pgp_key, &in->disclose,      &in->credit_name,    &in->product_name,
		      &in->product_version, &in->product_vendor, &in->website_name, &in->website_url,
		      &in->cve,		   &in->description,   &in->steps,	    &in->impact,
		      &in->reported_to};
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		kk_free(*s[i]);
		*s[i] = NULL;
	}
}

/* Keys an object may have; anything else is refused by name. */
static int only_keys(json_t *o, const char *path, const char *const *keys, struct kk_diag *d)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v)
	{
		bool ok = false;
		for (const char *const *p = keys; *p && !ok; p++)
			ok = !strcmp(*p, k);
		if (!ok) {
			char where[128];
			snprintf(where, sizeof(where), "%s%s%.80s", path, *path ? "." : "", k);
			return kk_diag_set(d, KK_EINVAL, where, "unknown field '%.80s'", k);
		}
	}
	return 0;
}

static int get_obj(json_t *root, const char *key, json_t **out, struct kk_diag *d)
{
	json_t *v = json_object_get(root, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return kk_diag_set(d, KK_EINVAL, key, "must be an object");
	*out = v;
	return 0;
}

/* Copies the string at o.key (path names it) into *dst; absent or null leaves NULL; "" counts as absent. */
static int get_str(json_t *o, const char *key, const char *path, size_t max, bool multiline, char **dst,
		   struct kk_diag *d)
{
	json_t *v = o ? json_object_get(o, key) : NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return kk_diag_set(d, KK_EINVAL, path, "must be a string");
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (n > max)
		return kk_diag_set(d, KK_ETOOBIG, path, "is %zu bytes; at most %zu are allowed", n, max);
	if (strlen(s) != n || !kk_utf8_valid(s, n))
		return kk_diag_set(d, KK_EINVAL, path, "must be UTF-8 text without NUL characters");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < ' ' && *p != '\t' && !(multiline && (*p == '\n' || *p == '\r'))) || *p == 0x7f)
			return kk_diag_set(d, KK_EINVAL, path, "has control characters%s",
					   multiline ? "" : " (line breaks are not allowed here)");
	const char *b = s, *e = s + n;
	while (b < e && (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r'))
		b++;
	while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	if (b == e)
		return 0;
	if (!(*dst = kk_strndup(b, (size_t)(e - b))))
		return kk_diag_set(d, KK_ENOMEM, path, "out of memory");
	return 0;
}

static int get_bool(json_t *o, const char *key, const char *path, bool *dst, struct kk_diag *d)
{
	json_t *v = o ? json_object_get(o, key) : NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return kk_diag_set(d, KK_EINVAL, path, "must be true or false");
	*dst = json_is_true(v);
	return 0;
}

static int parse_doc(json_t *root, struct kk_report_input *in, struct kk_diag *d)
{
	static const char *const top[] = {"kind",	 "lang",	"finder",      "product",    "website",
					  "vulnerability", "reported_to", "publication", "policy_ack", NULL};
	static const char *const finder[] = {"name", "email", "pgp_key", "disclose", "credit", "credit_name",
					     "anonymous", NULL};
	static const char *const product[] = {"name", "version", "vendor", NULL};
	static const char *const website[] = {"name", "url", NULL};
	static const char *const vuln[] = {"cwe", "cve", "description", "steps", "impact", NULL};
	static const char *const publ[] = {"intent", "date", NULL};
	if (!json_is_object(root))
		return kk_diag_set(d, KK_EINVAL, "", "a report must be one JSON object");
	json_t *f, *p, *w, *v, *pub;
	int rc;
	if ((rc = only_keys(root, "", top, d)) || (rc = get_obj(root, "finder", &f, d)) ||
	    (rc = get_obj(root, "product", &p, d)) || (rc = get_obj(root, "website", &w, d)) ||
	    (rc = get_obj(root, "vulnerability", &v, d)) || (rc = get_obj(root, "publication", &pub, d)))
		return rc;
	if ((f && (rc = only_keys(f, "finder", finder, d))) || (p && (rc = only_keys(p, "product", product, d))) ||
	    (w && (rc = only_keys(w, "website", website, d))) || (v && (rc = only_keys(v, "vulnerability", vuln, d))) ||
	    (pub && (rc = only_keys(pub, "publication", publ, d))))
		return rc;
	if ((rc = get_str(root, "kind", "kind", 16, false, &in->kind, d)) ||
	    (rc = get_str(root, "lang", "lang", 8, false, &in->lang, d)) ||
	    (rc = get_str(f, "name", "finder.name", KK_NAME_MAX, false, &in->finder_name, d)) ||
	    (rc = get_str(f, "email", "finder.email", KK_EMAIL_MAX, false, &in->finder_email, d)) ||
	    (rc = get_str(f, "pgp_key", "finder.pgp_key", KK_MAIL_PGP_KEY_MAX, true, &in->finder_pgp_key, d)) ||
	    (rc = get_str(f, "disclose", "finder.disclose", 16, false, &in->disclose, d)) ||
	    (rc = get_bool(f, "credit", "finder.credit", &in->credit_wanted, d)) ||
	    (rc = get_str(f, "credit_name", "finder.credit_name", KK_NAME_MAX, false, &in->credit_name, d)) ||
	    (rc = get_bool(f, "anonymous", "finder.anonymous", &in->anonymous, d)) ||
	    (rc = get_str(p, "name", "product.name", 300, false, &in->product_name, d)) ||
	    (rc = get_str(p, "version", "product.version", 200, false, &in->product_version, d)) ||
	    (rc = get_str(p, "vendor", "product.vendor", 300, false, &in->product_vendor, d)) ||
	    (rc = get_str(w, "name", "website.name", 300, false, &in->website_name, d)) ||
	    (rc = get_str(w, "url", "website.url", 2048, false, &in->website_url, d)) ||
	    (rc = get_str(v, "cve", "vulnerability.cve", 40, false, &in->cve, d)) ||
	    (rc = get_str(v, "description", "vulnerability.description", 65536, true, &in->description, d)) ||
	    (rc = get_str(v, "steps", "vulnerability.steps", 65536, true, &in->steps, d)) ||
	    (rc = get_str(v, "impact", "vulnerability.impact", 16384, true, &in->impact, d)) ||
	    (rc = get_str(root, "reported_to", "reported_to", 2000, true, &in->reported_to, d)) ||
	    (rc = get_bool(pub, "intent", "publication.intent", &in->publish_intent, d)) ||
	    (rc = get_bool(root, "policy_ack", "policy_ack", &in->policy_ack, d)))
		return rc;
	json_t *cwe = v ? json_object_get(v, "cwe") : NULL;
	if (json_is_integer(cwe)) {
		json_int_t id = json_integer_value(cwe);
		if (id < 1 || id > KK_CWE_MAX_ID)
			return kk_diag_set(d, KK_EINVAL, "vulnerability.cwe", "CWE id %lld is out of range",
					   (long long)id);
		in->cwe = (int)id;
	} else if (json_is_string(cwe) && json_string_length(cwe)) {
		if (kk_cwe_id_parse(json_string_value(cwe), json_string_length(cwe), &in->cwe, d))
			return kk_diag_set(d, KK_EINVAL, "vulnerability.cwe", "'%.40s' is not a CWE id (CWE-79): %s",
					   json_string_value(cwe), d->msg);
	} else if (cwe && !json_is_null(cwe) && !json_is_string(cwe)) {
		return kk_diag_set(d, KK_EINVAL, "vulnerability.cwe", "must be \"CWE-<number>\" or a number");
	}
	json_t *date = pub ? json_object_get(pub, "date") : NULL;
	if (json_is_string(date) && json_string_length(date)) {
		/* like every date without a zone here: Japan time (a date alone: that day at 00:00 JST) */
		if (kk_time_parse_jst(json_string_value(date), 0, &in->publish_date) || in->publish_date <= 0)
			return kk_diag_set(d, KK_EINVAL, "publication.date", "'%.40s' is not a date (YYYY-MM-DD)",
					   json_string_value(date));
	} else if (date && !json_is_null(date) && !json_is_string(date)) {
		return kk_diag_set(d, KK_EINVAL, "publication.date", "must be a date string YYYY-MM-DD");
	}
	return 0;
}

int kk_intake_parse(const char *json, size_t n, struct kk_report_input *in, struct kk_diag *d)
{
	memset(in, 0, sizeof(*in));
	if (n > KK_REPORT_JSON_MAX)
		return kk_diag_set(d, KK_ETOOBIG, "", "a report is at most %d bytes", KK_REPORT_JSON_MAX);
	json_error_t je;
	json_t *root = json_loadb(json, n, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		char where[64];
		snprintf(where, sizeof(where), "%d:%d", je.line, je.column);
		return kk_diag_set(d, KK_EPARSE, where, "not valid JSON: %s", kk_json_parse_error_text(je.text));
	}
	int rc = parse_doc(root, in, d);
	json_decref(root);
	if (rc)
		kk_intake_input_release(in);
	return rc;
}

/* True for http(s)://host[:port][/...]; host lower-cased into host (n bytes). */
static bool url_host(const char *url, char *host, size_t n)
{
	const char *p;
	if (!strncmp(url, "https://", 8))
		p = url + 8;
	else if (!strncmp(url, "http://", 7))
		p = url + 7;
	else
		return false;
	const char *end = p + strcspn(p, "/?#");
	const char *at = memchr(p, '@', (size_t)(end - p));
	if (at)
		p = at + 1;
	const char *colon = memchr(p, ':', (size_t)(end - p));
	const char *hend = colon ? colon : end;
	if (hend == p || (size_t)(hend - p) >= n)
		return false;
	for (const char *q = p; q < hend; q++) {
		char c = *q;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '.' || (unsigned char)c >= 0x80))
			return false;
		host[q - p] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	host[hend - p] = 0;
	if (colon) {
		if (colon + 1 == end || end - colon > 6)
			return false;
		for (const char *q = colon + 1; q < end; q++)
			if (*q < '0' || *q > '9')
				return false;
	}
	for (const char *q = url; *q; q++)
		if (*q == ' ' || *q == '<' || *q == '>' || *q == '"')
			return false;
	return true;
}

bool kk_intake_url_host(const char *url, char *host, size_t n)
{
	return url && url_host(url, host, n);
}

static int one_of(const char *v, const char *where, const char *choices, struct kk_diag *d)
{
	size_t n = strlen(v);
	for (const char *p = choices; *p;) {
		size_t l = strcspn(p, "|");
		if (l == n && !strncmp(p, v, n))
			return 0;
		p += l + (p[l] == '|');
	}
	return kk_diag_set(d, KK_EINVAL, where, "'%.40s' is not one of %s", v, choices);
}

int kk_intake_missing(const struct kk_report_input *in, void (*fn)(void *arg, const char *field), void *arg)
{
	bool website = in->kind && !strcmp(in->kind, "website");
	const struct {
		const char *field;
		bool absent;
	} items[] = {
		{"finder.name", !in->finder_name},
		{"finder.email", !in->finder_email},
		{website ? "website.url" : "product.name", website ? !in->website_url : !in->product_name},
		{"vulnerability.description", !in->description},
		{"policy_ack", !in->policy_ack},
	};
	int n = 0;
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		if (items[i].absent) {
			n++;
			if (fn)
				fn(arg, items[i].field);
		}
	return n;
}

int kk_intake_validate(struct kk_db *db, const struct kk_report_input *in, bool complete, struct kk_diag *d)
{
	if (!in->kind)
		return kk_diag_set(d, KK_EINVAL, "kind", "say whether this is a 'product' or a 'website' report");
	if (one_of(in->kind, "kind", "product|website", d) || (in->lang && one_of(in->lang, "lang", "ja|en", d)) ||
	    (in->disclose && one_of(in->disclose, "finder.disclose", "none|name|name_contact", d)))
		return KK_EINVAL;
	bool product = !strcmp(in->kind, "product");
	if (complete && !in->finder_name)
		return kk_diag_set(d, KK_EINVAL, "finder.name", "the finder's name is required (it stays sealed)");
	if (complete && !in->finder_email)
		return kk_diag_set(d, KK_EINVAL, "finder.email", "a contact e-mail address is required");
	if (!in->finder_email && !complete)
		return kk_diag_set(d, KK_EINVAL, "finder.email",
				   "a contact e-mail address is required even for an incomplete report (the "
				   "finder must be reachable)");
	if (!kk_mail_addr_valid(in->finder_email))
		return kk_diag_set(d, KK_EINVAL, "finder.email", "'%.80s' is not an e-mail address (name@example.org)",
				   in->finder_email);
	if (in->finder_pgp_key && !kk_mail_pgp_key_plausible(in->finder_pgp_key))
		return kk_diag_set(d, KK_EINVAL, "finder.pgp_key",
				   "not an ASCII-armored OpenPGP public key (-----BEGIN PGP PUBLIC KEY BLOCK-----)");
	if (in->anonymous && ((in->disclose && strcmp(in->disclose, "none")) || in->credit_wanted))
		return kk_diag_set(d, KK_EINVAL, "finder.anonymous",
				   "a fully anonymous finder cannot also allow disclosure or want credit");
	if (in->credit_wanted && !in->credit_name)
		return kk_diag_set(d, KK_EINVAL, "finder.credit_name", "say under which name credit is wanted");
	if (product && (in->website_name || in->website_url))
		return kk_diag_set(d, KK_EINVAL, "website", "a product report has no website; use kind 'website'");
	if (!product && (in->product_name || in->product_version || in->product_vendor))
		return kk_diag_set(d, KK_EINVAL, "product", "a website report has no product; use kind 'product'");
	if (complete && product && !in->product_name)
		return kk_diag_set(d, KK_EINVAL, "product.name", "the product's name is required");
	if (complete && !product && !in->website_url)
		return kk_diag_set(d, KK_EINVAL, "website.url", "the website's URL is required");
	char host[256];
	if (in->website_url && !url_host(in->website_url, host, sizeof(host)))
		return kk_diag_set(d, KK_EINVAL, "website.url", "'%.80s' is not an http:// or https:// URL",
				   in->website_url);
	if (complete && !in->description)
		return kk_diag_set(d, KK_EINVAL, "vulnerability.description",
				   "describe the vulnerability (what is wrong and where)");
	if (in->cve) {
		const char *c = in->cve;
		size_t l = strlen(c), digits = 0;
		bool ok = l >= 13 && !strncmp(c, "CVE-", 4);
		for (size_t i = 4; ok && i < l; i++)
			ok = i == 8 ? c[i] == '-' : (c[i] >= '0' && c[i] <= '9' && ++digits);
		if (!ok || digits < 8)
			return kk_diag_set(d, KK_EINVAL, "vulnerability.cve", "'%.40s' is not a CVE id (CVE-2024-12345)", c);
	}
	if (in->cwe && db) {
		struct kk_stmt *st;
		int rc = kk_db_prepare(db, "SELECT (SELECT count(*) FROM cwe), (SELECT count(*) FROM cwe WHERE id = ?)",
				       &st);
		if (rc)
			return rc;
		kk_stmt_bind_int64(st, 1, in->cwe);
		bool loaded = false, known = false;
		if (kk_stmt_step(st) == KK_ROW) {
			loaded = kk_stmt_int64(st, 0) > 0;
			known = kk_stmt_int64(st, 1) > 0;
		}
		kk_stmt_done(st);
		if (loaded && !known)
			return kk_diag_set(d, KK_EINVAL, "vulnerability.cwe",
					   "CWE-%d is not in the CWE catalog ('keikai cwe search TEXT' finds ids)", in->cwe);
	}
	if (in->publish_date && !in->publish_intent)
		return kk_diag_set(d, KK_EINVAL, "publication.date", "a publication date needs publication.intent true");
	if (complete && !in->policy_ack)
		return kk_diag_set(d, KK_EINVAL, "policy_ack", "the handling policy must be acknowledged");
	return 0;
}

int kk_intake_check_pgp_key(const struct kk_report_input *in, struct kk_diag *d)
{
	if (!in->finder_pgp_key)
		return 0;
	struct kk_buf out = KK_BUF_INIT(0);
	int rc = kk_mail_pgp_encrypt(in->finder_pgp_key, "check", 5, &out, d);
	kk_buf_release(&out);
	if (rc)
		return kk_diag_set(d, KK_EINVAL, "finder.pgp_key",
				   "this key cannot be used to encrypt mail to you (%s); give a current public key "
				   "with an encryption subkey (gpg --armor --export ADDRESS)",
				   d->msg);
	return 0;
}

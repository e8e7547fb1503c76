/*
 * report.c — incident reports: parsing and checking the document, storing it
 * with the reporter sealed, the secret link, the receipt mail through the
 * outbox, evidence files linked by content hash, and the views of the
 * reporter (through the link) and of staff (incident.h).
 */
#include "incident/incident.h"
#include "auth/audit.h"
#include "auth/policy.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/rand.h"
#include "base/str.h"
#include "mail/mail.h"
#include "store/db.h"
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const ind_names[] = {[KK_IND_URL] = "url", [KK_IND_DOMAIN] = "domain", [KK_IND_IP] = "ip"};

const char *kk_indicator_kind_name(enum kk_indicator_kind k)
{
	return (unsigned)k < 3 ? ind_names[k] : "?";
}

static const char *const tlps[] = {"red", "amber", "green", "clear"};

/* ---- parsing ---------------------------------------------------------------- */

void kk_incident_input_release(struct kk_incident_input *in)
{
	char **s[] = {&in->lang, &in->category, &in->tlp, &in->summary, &in->description,
		      &in->name, &in->email,    &in->org, &in->phone};
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		if (*s[i])
			sodium_memzero(*s[i], strlen(*s[i]));
		kk_free(*s[i]);
		*s[i] = NULL;
	}
	for (int i = 0; i < in->nind; i++)
		kk_free(in->ind[i].value);
	kk_free(in->ind);
	in->ind = NULL;
	in->nind = 0;
}

static int take_str(json_t *o, const char *key, const char *where, size_t max, char **out, struct kk_diag *d)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return kk_diag_set(d, KK_EINVAL, where, "%s must be a string", where);
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (n > max)
		return kk_diag_set(d, KK_EINVAL, where, "%s is longer than %zu bytes", where, max);
	if (strlen(s) != n)
		return kk_diag_set(d, KK_EINVAL, where, "%s holds a NUL character", where);
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (!*s)
		return 0;
	*out = kk_strdup(s);
	return *out ? 0 : KK_ENOMEM;
}

static int add_ind(struct kk_incident_input *in, enum kk_indicator_kind k, const char *v)
{
	for (int i = 0; i < in->nind; i++)
		if (in->ind[i].kind == k && !strcmp(in->ind[i].value, v))
			return 0;
	if (in->nind >= KK_INCIDENT_IND_MAX)
		return KK_ETOOBIG;
	struct kk_indicator *n = kk_realloc(in->ind, (size_t)(in->nind + 1) * sizeof(*n));
	if (!n)
		return KK_ENOMEM;
	in->ind = n;
	if (!(n[in->nind].value = kk_strdup(v)))
		return KK_ENOMEM;
	n[in->nind++].kind = k;
	return 0;
}

static int take_list(json_t *root, const char *key, enum kk_indicator_kind k, struct kk_incident_input *in,
		     struct kk_diag *d)
{
	json_t *arr = json_object_get(root, key);
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return kk_diag_set(d, KK_EINVAL, key, "%s must be a list of strings", key);
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		char where[48], out[KK_INCIDENT_VALUE_MAX], host[300];
		snprintf(where, sizeof(where), "%s[%zu]", key, i);
		if (!json_is_string(v) || json_string_length(v) >= KK_INCIDENT_VALUE_MAX)
			return kk_diag_set(d, KK_EINVAL, where, "%s must be a string of at most %d bytes", where,
					   KK_INCIDENT_VALUE_MAX - 1);
		const char *s = json_string_value(v);
		int rc;
		if (k == KK_IND_URL)
			rc = kk_incident_norm_url(s, out, sizeof(out), host, sizeof(host));
		else if (k == KK_IND_DOMAIN)
			rc = kk_incident_norm_domain(s, out, sizeof(out));
		else
			rc = kk_incident_norm_ip(s, out, sizeof(out));
		if (rc)
			return kk_diag_set(d, KK_EINVAL, where, "'%.80s' is not %s", s,
					   k == KK_IND_URL ? "an http(s) URL (http://host/path)"
					   : k == KK_IND_DOMAIN ? "a domain name (www.example.jp)"
								: "an IPv4 or IPv6 address (192.0.2.1, 2001:db8::1)");
		if ((rc = add_ind(in, k, out)))
			return kk_diag_set(d, rc, key, "at most %d URLs, domains and addresses per report",
					   KK_INCIDENT_IND_MAX);
		if (k == KK_IND_URL) {
			char ip[64];
			bool is_ip = !kk_incident_norm_ip(host, ip, sizeof(ip));
			if ((rc = add_ind(in, is_ip ? KK_IND_IP : KK_IND_DOMAIN, is_ip ? ip : host)))
				return kk_diag_set(d, rc, key, "at most %d URLs, domains and addresses per report",
						   KK_INCIDENT_IND_MAX);
		}
	}
	return 0;
}

static int parse_doc(json_t *root, struct kk_incident_input *in, struct kk_diag *d)
{
	if (!json_is_object(root))
		return kk_diag_set(d, KK_EINVAL, "", "an incident report is a JSON object");
	static const char *const known[] = {"lang", "category", "tlp",     "summary", "description", "reporter",
					    "urls", "domains",  "ips",     "received_at"};
	const char *k;
	json_t *v;
	json_object_foreach(root, k, v)
	{
		bool ok = false;
		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			ok |= !strcmp(k, known[i]);
		if (!ok)
			return kk_diag_set(d, KK_EINVAL, k, "unknown item '%.60s'; see 'keikai help incident report'", k);
	}
	int rc;
	if ((rc = take_str(root, "lang", "lang", 8, &in->lang, d)) ||
	    (rc = take_str(root, "category", "category", 31, &in->category, d)) ||
	    (rc = take_str(root, "tlp", "tlp", 16, &in->tlp, d)) ||
	    (rc = take_str(root, "summary", "summary", 500, &in->summary, d)) ||
	    (rc = take_str(root, "description", "description", 64 * 1024, &in->description, d)))
		return rc;
	json_t *rep = json_object_get(root, "reporter");
	if (rep && !json_is_null(rep)) {
		if (!json_is_object(rep))
			return kk_diag_set(d, KK_EINVAL, "reporter", "reporter must be an object {name, email, org, phone}");
		json_object_foreach(rep, k, v)
		{
			if (strcmp(k, "name") && strcmp(k, "email") && strcmp(k, "org") && strcmp(k, "phone"))
				return kk_diag_set(d, KK_EINVAL, "reporter", "unknown item reporter.%.60s", k);
		}
		if ((rc = take_str(rep, "name", "reporter.name", 200, &in->name, d)) ||
		    (rc = take_str(rep, "email", "reporter.email", KK_MAIL_ADDR_MAX, &in->email, d)) ||
		    (rc = take_str(rep, "org", "reporter.org", 200, &in->org, d)) ||
		    (rc = take_str(rep, "phone", "reporter.phone", 40, &in->phone, d)))
			return rc;
	}
	if ((rc = take_list(root, "urls", KK_IND_URL, in, d)) || (rc = take_list(root, "domains", KK_IND_DOMAIN, in, d)) ||
	    (rc = take_list(root, "ips", KK_IND_IP, in, d)))
		return rc;
	char *at = NULL;
	if ((rc = take_str(root, "received_at", "received_at", 40, &at, d)))
		return rc;
	if (at) {
		rc = kk_time_parse_jst(at, 0, &in->received_at);
		kk_free(at);
		if (rc)
			return kk_diag_set(d, KK_EINVAL, "received_at",
					   "received_at is a date and time in JST: YYYY-MM-DD or YYYY-MM-DDTHH:MM");
	}
	for (char *c = in->tlp; c && *c; c++)
		*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
	if (in->tlp && !strcmp(in->tlp, "white"))
		memcpy(in->tlp, "clear", 6);
	return 0;
}

int kk_incident_parse(const char *json, size_t n, struct kk_incident_input *in, struct kk_diag *d)
{
	memset(in, 0, sizeof(*in));
	if (n > KK_INCIDENT_JSON_MAX)
		return kk_diag_set(d, KK_ETOOBIG, "", "an incident report is at most %d bytes", KK_INCIDENT_JSON_MAX);
	json_error_t je;
	json_t *root = json_loadb(json ? json : "", n, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		char where[64];
		snprintf(where, sizeof(where), "%d:%d", je.line, je.column);
		return kk_diag_set(d, KK_EPARSE, where, "not valid JSON: %s", je.text);
	}
	int rc = parse_doc(root, in, d);
	json_decref(root);
	if (rc)
		kk_incident_input_release(in);
	return rc;
}

static bool category_known(struct kk_db *db, const char *code)
{
	struct kk_stmt *st;
	if (kk_db_prepare(db, "SELECT 1 FROM incident_category WHERE code = ?", &st))
		return false;
	kk_stmt_bind_text(st, 1, code, -1);
	bool ok = kk_stmt_step(st) == KK_ROW;
	kk_stmt_done(st);
	return ok;
}

int kk_incident_validate(struct kk_db *db, const struct kk_incident_input *in, struct kk_diag *d)
{
	if (in->lang && strcmp(in->lang, "ja") && strcmp(in->lang, "en"))
		return kk_diag_set(d, KK_EINVAL, "lang", "lang is ja or en");
	if (!in->summary)
		return kk_diag_set(d, KK_EINVAL, "summary", "say in a line what happened (summary)");
	if (!in->category)
		return kk_diag_set(d, KK_EINVAL, "category", "choose a category; 'keikai incident categories' lists them");
	if (db && !category_known(db, in->category))
		return kk_diag_set(d, KK_EINVAL, "category", "unknown category '%.31s'; 'keikai incident categories' lists them",
				   in->category);
	if (in->tlp) {
		bool ok = false;
		for (size_t i = 0; i < 4; i++)
			ok |= !strcmp(in->tlp, tlps[i]);
		if (!ok)
			return kk_diag_set(d, KK_EINVAL, "tlp", "tlp is one of red, amber, green, clear");
	}
	if (!in->email)
		return kk_diag_set(d, KK_EINVAL, "reporter.email", "give an e-mail address so we can answer (reporter.email)");
	if (!kk_mail_addr_valid(in->email))
		return kk_diag_set(d, KK_EINVAL, "reporter.email", "'%.80s' is not an e-mail address (name@example.jp)",
				   in->email);
	return 0;
}

int kk_incident_categories(struct kk_db *db, int (*fn)(void *arg, const struct kk_incident_category *c), void *arg)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT code, name_ja, name_en FROM incident_category ORDER BY ord, code", &st);
	if (rc)
		return rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_incident_category c;
		kk_strlcpy(c.code, kk_stmt_text(st, 0), sizeof(c.code));
		kk_strlcpy(c.name_ja, kk_stmt_text(st, 1), sizeof(c.name_ja));
		kk_strlcpy(c.name_en, kk_stmt_text(st, 2), sizeof(c.name_en));
		if ((rc = fn(arg, &c)) < 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* ---- storing ---------------------------------------------------------------- */

static void token_hash(const char *token, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

static int next_tracking(struct kk_db *db, char *out, size_t n)
{
	time_t now = (time_t)kk_clock_now();
	struct tm tm;
	gmtime_r(&now, &tm);
	int64_t year = tm.tm_year + 1900, serial = 1;
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT next FROM incident_report_serial WHERE year = ?", &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, year);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW)
		serial = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	rc = kk_db_exec(db,
			"INSERT INTO incident_report_serial (year, next) VALUES (?, ?) "
			"ON CONFLICT (year) DO UPDATE SET next = excluded.next",
			"ii", year, serial + 1);
	if (rc < 0)
		return rc;
	snprintf(out, n, "IR-%04lld-%06lld", (long long)year, (long long)serial);
	return 0;
}

static int contact_seal(const unsigned char *key, const struct kk_incident_input *in, struct kk_buf *out)
{
	struct kk_buf plain = KK_BUF_INIT(0);
	struct kk_json j;
	kk_json_init(&j, &plain);
	kk_json_obj_open(&j);
	kk_json_kv_str(&j, "name", in->name);
	kk_json_kv_str(&j, "email", in->email);
	kk_json_kv_str(&j, "org", in->org);
	kk_json_kv_str(&j, "phone", in->phone);
	kk_json_obj_close(&j);
	int rc = kk_json_error(&j);
	if (!rc)
		rc = kk_seal(key, plain.ptr, plain.len, out);
	if (plain.len)
		sodium_memzero(plain.ptr, plain.len);
	kk_buf_release(&plain);
	return rc;
}

static int receipt_mail(struct kk_db *db, const unsigned char *key, const struct kk_incident_input *in,
			const char *tracking, const char *link, struct kk_diag *d)
{
	bool ja = !in->lang || !strcmp(in->lang, "ja");
	char subject[200], label[80];
	snprintf(subject, sizeof(subject), "[%s] インシデント報告を受け付けました / Your incident report was received",
		 tracking);
	snprintf(label, sizeof(label), "reporter of %s", tracking);
	struct kk_buf body = KK_BUF_INIT(KK_MAIL_BODY_MAX);
	for (int pass = 0; pass < 2; pass++) {
		bool j = (pass == 0) == ja;
		kk_buf_printf(&body, "%s\n%s: %s\n\n%s\n%s\n",
			      j ? "インシデント報告を受け付けました。" : "We received your incident report.",
			      j ? "受付番号" : "Tracking number", tracking,
			      j ? "状況の確認（このリンクは他の人に教えないでください）:"
				: "Follow the report (keep this link secret):",
			      link);
		if (!pass)
			kk_buf_puts(&body, "\n----------------------------------------\n\n");
	}
	int rc = kk_buf_error(&body);
	if (!rc) {
		struct kk_mail m = {.to = in->email,
				    .subject = subject,
				    .body = body.ptr,
				    .related_type = "incident_report",
				    .related_id = tracking,
				    .seal_key = key,
				    .label = label};
		rc = kk_mail_queue(db, &m, NULL, d);
	}
	if (body.len)
		sodium_memzero(body.ptr, body.len);
	kk_buf_release(&body);
	return rc;
}

int kk_incident_submit(struct kk_db *db, const struct kk_actor *a, const unsigned char key[KK_KEY_BYTES],
		       const struct kk_incident_input *in, const char *source, const char *base_url,
		       struct kk_incident_receipt *r, struct kk_diag *d)
{
	memset(r, 0, sizeof(*r));
	int rc;
	if (!kk_db_in_tx(db))
		return kk_diag_set(d, KK_EINVAL, NULL, "kk_incident_submit must run inside a transaction");
	if (!source || (strcmp(source, "web") && strcmp(source, "api") && strcmp(source, "mail")))
		return kk_diag_set(d, KK_EINVAL, "source", "source is web, api or mail");
	bool staff = !strcmp(source, "mail");
	if ((rc = kk_policy_check(a, staff ? KK_ACT_INCIDENT_HANDLE : KK_ACT_INCIDENT_REPORT, NULL)))
		return kk_diag_set(d, rc, NULL, "%s may not %s", a ? a->label : "public",
				   staff ? "enter mailed incident reports" : "report incidents");
	if (in->received_at && !staff)
		return kk_diag_set(d, KK_EINVAL, "received_at", "only staff entering a mailed report set received_at");
	if ((rc = kk_incident_validate(db, in, d)))
		return rc;
	if ((rc = next_tracking(db, r->tracking, sizeof(r->tracking))))
		return kk_diag_set(d, rc, NULL, "cannot number the report: %s", kk_db_errmsg(db));
	kk_random_token(r->token, 32);
	char th[65];
	token_hash(r->token, th);
	struct kk_buf sealed = KK_BUF_INIT(0);
	if ((rc = contact_seal(key, in, &sealed))) {
		kk_buf_release(&sealed);
		return kk_diag_set(d, rc, "reporter", "cannot seal the reporter's contact: %s", kk_err_msg(rc));
	}
	int64_t now = kk_clock_now();
	struct kk_stmt *st;
	rc = kk_db_prepare(db,
			   "INSERT INTO incident_report (tracking, token_hash, contact_sealed, source, lang, category, tlp, "
			   "summary, description, received_at, created_at, updated_at) "
			   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			   &st);
	if (!rc) {
		int i = 1;
		kk_stmt_bind_text(st, i++, r->tracking, -1);
		kk_stmt_bind_text(st, i++, th, -1);
		kk_stmt_bind_blob(st, i++, sealed.ptr, sealed.len);
		kk_stmt_bind_text(st, i++, source, -1);
		kk_stmt_bind_text(st, i++, in->lang ? in->lang : "ja", -1);
		kk_stmt_bind_text(st, i++, in->category, -1);
		kk_stmt_bind_text(st, i++, in->tlp ? in->tlp : "amber", -1);
		kk_stmt_bind_text(st, i++, in->summary, -1);
		kk_stmt_bind_text(st, i++, in->description, -1);
		kk_stmt_bind_int64(st, i++, in->received_at ? in->received_at : now);
		kk_stmt_bind_int64(st, i++, now);
		kk_stmt_bind_int64(st, i++, now);
		rc = kk_stmt_step(st);
		kk_stmt_done(st);
		rc = rc < 0 ? rc : 0;
	}
	kk_buf_release(&sealed);
	if (rc)
		return kk_diag_set(d, rc, NULL, "cannot store the incident report: %s", kk_db_errmsg(db));
	r->id = kk_db_last_insert_id(db);
	for (int i = 0; i < in->nind && rc >= 0; i++)
		rc = kk_db_exec(db, "INSERT OR IGNORE INTO incident_indicator (report_id, kind, value) VALUES (?, ?, ?)",
				"iss", r->id, kk_indicator_kind_name(in->ind[i].kind), in->ind[i].value);
	if (rc < 0)
		return kk_diag_set(d, rc, NULL, "cannot store the report's indicators: %s", kk_db_errmsg(db));
	char summary[200], after[160];
	snprintf(summary, sizeof(summary), "incident report %s received (%s, %s)", r->tracking, in->category, source);
	snprintf(after, sizeof(after), "{\"status\":\"received\",\"category\":\"%s\",\"tlp\":\"%s\"}", in->category,
		 in->tlp ? in->tlp : "amber");
	if ((rc = kk_audit(db, a, "incident.report", "incident_report", r->tracking, summary, NULL, after)))
		return kk_diag_set(d, rc, NULL, "cannot audit the report");
	char link[1024];
	snprintf(link, sizeof(link), "%s/incident/r/%s?key=%s",
		 base_url && *base_url ? base_url : "http://127.0.0.1:8080", r->tracking, r->token);
	rc = receipt_mail(db, key, in, r->tracking, link, d);
	sodium_memzero(link, sizeof(link));
	return rc;
}

static int64_t report_id(struct kk_db *db, const char *tracking, char th[65])
{
	struct kk_stmt *st;
	int64_t id = KK_ENOTFOUND;
	if (kk_db_prepare(db, "SELECT id, token_hash FROM incident_report WHERE tracking = ?", &st))
		return KK_EDB;
	kk_stmt_bind_text(st, 1, tracking ? tracking : "", -1);
	if (kk_stmt_step(st) == KK_ROW) {
		id = kk_stmt_int64(st, 0);
		if (th)
			kk_strlcpy(th, kk_stmt_text(st, 1), 65);
	}
	kk_stmt_done(st);
	return id;
}

int kk_incident_attach_link(struct kk_db *db, const struct kk_actor *who, bool from_reporter, const char *tracking,
			    const struct kk_upload *u, const struct kk_stored_file *s, struct kk_diag *d)
{
	if (!kk_db_in_tx(db))
		return kk_diag_set(d, KK_EINVAL, NULL, "kk_incident_attach_link must run inside a transaction");
	int rc;
	if (!from_reporter && (rc = kk_policy_check(who, KK_ACT_INCIDENT_HANDLE, NULL)))
		return kk_diag_set(d, rc, NULL, "%s may not add evidence to incident reports", who ? who->label : "public");
	int64_t id = report_id(db, tracking, NULL);
	if (id < 0)
		return kk_diag_set(d, (int)id, "tracking", "no incident report %.40s", tracking ? tracking : "");
	rc = kk_intake_attachment_record(db, s);
	if (rc >= 0)
		rc = kk_db_exec(db,
				"INSERT INTO incident_report_attachment (report_id, sha256, filename, from_reporter, added_at) "
				"VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
				"issii", id, s->sha256, u->filename, (int64_t)from_reporter, kk_clock_now());
	if (rc < 0)
		return kk_diag_set(d, rc, NULL, "%s", kk_db_errmsg(db));
	char summary[400];
	snprintf(summary, sizeof(summary), "evidence %.64s (%s, %zu bytes) added to %.40s", s->sha256, s->mime, s->size,
		 tracking);
	return kk_audit(db, who, "incident.attach", "incident_report", tracking, summary, NULL, NULL);
}

int kk_incident_link_check(struct kk_db *db, const char *tracking, const char *token)
{
	char th[65] = "", want[65];
	int64_t id = report_id(db, tracking, th);
	token_hash(token ? token : "", want);
	if (id < 0 || !token || !*token || !kk_ct_eq(th, want, 64))
		return id == KK_EDB ? KK_EDB : KK_ENOTFOUND;
	return 0;
}

/* ---- views -------------------------------------------------------------------- */

static int view(struct kk_db *db, const char *tracking, bool staff, struct kk_json *j)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT id, tracking, status, category, tlp, summary, description, received_at, source, lang, "
			       "created_at FROM incident_report WHERE tracking = ?",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, tracking, -1);
	rc = kk_stmt_step(st);
	if (rc != KK_ROW) {
		kk_stmt_done(st);
		return rc < 0 ? rc : KK_ENOTFOUND;
	}
	int64_t id = kk_stmt_int64(st, 0);
	char at[32];
	kk_json_obj_open(j);
	if (staff)
		kk_json_kv_int(j, "id", id);
	kk_json_kv_str(j, "tracking", kk_stmt_text(st, 1));
	kk_json_kv_str(j, "status", kk_stmt_text(st, 2));
	kk_json_kv_str(j, "category", kk_stmt_text(st, 3));
	kk_json_kv_str(j, "tlp", kk_stmt_text(st, 4));
	kk_json_kv_str(j, "summary", kk_stmt_text(st, 5));
	if (!kk_stmt_is_null(st, 6))
		kk_json_kv_str(j, "description", kk_stmt_text(st, 6));
	kk_time_iso(kk_stmt_int64(st, 7), at, sizeof(at));
	kk_json_kv_str(j, "received_at", at);
	if (staff) {
		kk_json_kv_str(j, "source", kk_stmt_text(st, 8));
		kk_json_kv_str(j, "lang", kk_stmt_text(st, 9));
		kk_time_iso(kk_stmt_int64(st, 10), at, sizeof(at));
		kk_json_kv_str(j, "created_at", at);
	}
	kk_stmt_done(st);
	kk_json_key(j, "indicators");
	kk_json_arr_open(j);
	if ((rc = kk_db_prepare(db, "SELECT kind, value FROM incident_indicator WHERE report_id = ? ORDER BY kind, value",
				&st)))
		return rc;
	kk_stmt_bind_int64(st, 1, id);
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		kk_json_obj_open(j);
		kk_json_kv_str(j, "kind", kk_stmt_text(st, 0));
		kk_json_kv_str(j, "value", kk_stmt_text(st, 1));
		kk_json_obj_close(j);
	}
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	kk_json_arr_close(j);
	kk_json_key(j, "files");
	kk_json_arr_open(j);
	if ((rc = kk_db_prepare(db,
				"SELECT l.sha256, l.filename, a.size, a.mime, l.from_reporter FROM incident_report_attachment l "
				"JOIN attachment a ON a.sha256 = l.sha256 WHERE l.report_id = ? AND (? OR l.from_reporter) "
				"ORDER BY l.added_at, l.sha256",
				&st)))
		return rc;
	kk_stmt_bind_int64(st, 1, id);
	kk_stmt_bind_int64(st, 2, staff);
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		kk_json_obj_open(j);
		kk_json_kv_str(j, "sha256", kk_stmt_text(st, 0));
		kk_json_kv_str(j, "filename", kk_stmt_text(st, 1));
		kk_json_kv_int(j, "size", kk_stmt_int64(st, 2));
		kk_json_kv_str(j, "mime", kk_stmt_text(st, 3));
		if (staff)
			kk_json_kv_bool(j, "from_reporter", kk_stmt_int64(st, 4) != 0);
		kk_json_obj_close(j);
	}
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	kk_json_arr_close(j);
	kk_json_obj_close(j);
	return kk_json_error(j);
}

int kk_incident_reporter_json(struct kk_db *db, const char *tracking, const char *token, struct kk_json *j)
{
	int rc = kk_incident_link_check(db, tracking, token);
	return rc ? rc : view(db, tracking, false, j);
}

int kk_incident_staff_json(struct kk_db *db, const struct kk_actor *a, const char *tracking, struct kk_json *j,
			   struct kk_diag *d)
{
	int rc = kk_policy_check(a, KK_ACT_INCIDENT_HANDLE, NULL);
	if (rc)
		return kk_diag_set(d, rc, NULL, "%s may not read incident reports", a ? a->label : "public");
	rc = view(db, tracking, true, j);
	if (rc == KK_ENOTFOUND)
		return kk_diag_set(d, rc, "tracking", "no incident report %.40s; 'keikai incident list' shows them",
				   tracking ? tracking : "");
	return rc;
}

struct reveal_tx {
	const struct kk_actor *a;
	const unsigned char *key;
	const char *tracking;
	struct kk_json *j;
	struct kk_diag *d;
};

static int reveal_tx(struct kk_db *db, void *arg)
{
	struct reveal_tx *x = arg;
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT contact_sealed FROM incident_report WHERE tracking = ?", &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, x->tracking, -1);
	struct kk_buf plain = KK_BUF_INIT(0);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW)
		rc = kk_unseal(x->key, kk_stmt_blob(st, 0), (size_t)kk_stmt_bytes(st, 0), &plain);
	else if (rc == KK_DONE)
		rc = kk_diag_set(x->d, KK_ENOTFOUND, "tracking", "no incident report %.40s", x->tracking);
	kk_stmt_done(st);
	if (!rc) {
		char summary[160];
		snprintf(summary, sizeof(summary), "reporter of %.40s revealed", x->tracking);
		rc = kk_audit(db, x->a, "incident.reveal", "incident_report", x->tracking, summary, NULL, NULL);
	}
	if (!rc)
		kk_json_raw(x->j, plain.ptr, plain.len);
	if (plain.len)
		sodium_memzero(plain.ptr, plain.len);
	kk_buf_release(&plain);
	return rc;
}

int kk_incident_reveal(struct kk_db *db, const struct kk_actor *a, const unsigned char key[KK_KEY_BYTES],
		       const char *tracking, struct kk_json *j, struct kk_diag *d)
{
	int rc = kk_policy_check(a, KK_ACT_INCIDENT_REVEAL, NULL);
	if (rc)
		return kk_diag_set(d, rc, NULL, "%s may not see who reported an incident", a ? a->label : "public");
	struct reveal_tx x = {a, key, tracking, j, d};
	return kk_db_tx(db, reveal_tx, &x);
}

int kk_incident_list(struct kk_db *db, const struct kk_actor *a, const struct kk_incident_query *q,
		     int (*fn)(void *arg, const struct kk_incident_row *r), void *arg, struct kk_diag *d)
{
	int rc = kk_policy_check(a, KK_ACT_INCIDENT_HANDLE, NULL);
	if (rc)
		return kk_diag_set(d, rc, NULL, "%s may not read incident reports", a ? a->label : "public");
	struct kk_stmt *st;
	rc = kk_db_prepare(db,
			   "SELECT r.id, r.tracking, r.category, r.tlp, r.status, r.source, r.summary, r.received_at, "
			   "(SELECT count(*) FROM incident_indicator i WHERE i.report_id = r.id), "
			   "(SELECT count(*) FROM incident_report_attachment f WHERE f.report_id = r.id) "
			   "FROM incident_report r WHERE (?1 IS NULL OR r.category = ?1) AND (?2 IS NULL OR r.status = ?2) "
			   "AND (?3 = 0 OR r.received_at >= ?3) AND (?4 = 0 OR r.received_at < ?4) "
			   "ORDER BY r.received_at DESC, r.id DESC LIMIT ?5",
			   &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, q ? q->category : NULL, -1);
	kk_stmt_bind_text(st, 2, q ? q->status : NULL, -1);
	kk_stmt_bind_int64(st, 3, q ? q->from : 0);
	kk_stmt_bind_int64(st, 4, q ? q->to : 0);
	kk_stmt_bind_int64(st, 5, q && q->limit > 0 ? q->limit : 100);
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_incident_row r = {
			.id = kk_stmt_int64(st, 0),
			.tracking = kk_stmt_text(st, 1),
			.category = kk_stmt_text(st, 2),
			.tlp = kk_stmt_text(st, 3),
			.status = kk_stmt_text(st, 4),
			.source = kk_stmt_text(st, 5),
			.summary = kk_stmt_text(st, 6),
			.received_at = kk_stmt_int64(st, 7),
			.nind = (int)kk_stmt_int64(st, 8),
			.nfiles = (int)kk_stmt_int64(st, 9),
		};
		if ((rc = fn(arg, &r)) < 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

void kk_incident_row_json(const struct kk_incident_row *r, struct kk_json *j)
{
	char at[32];
	kk_time_iso(r->received_at, at, sizeof(at));
	kk_json_obj_open(j);
	kk_json_kv_str(j, "tracking", r->tracking);
	kk_json_kv_str(j, "category", r->category);
	kk_json_kv_str(j, "tlp", r->tlp);
	kk_json_kv_str(j, "status", r->status);
	kk_json_kv_str(j, "source", r->source);
	kk_json_kv_str(j, "summary", r->summary);
	kk_json_kv_str(j, "received_at", at);
	kk_json_kv_int(j, "indicators", r->nind);
	kk_json_kv_int(j, "files", r->nfiles);
	kk_json_obj_close(j);
}

int kk_incident_attachment_find(struct kk_db *db, const struct kk_actor *a, const char *token, const char *tracking,
				const char *sha256, struct kk_attachment *out, struct kk_diag *d)
{
	memset(out, 0, sizeof(*out));
	bool staff = !token;
	if (staff ? !kk_policy_allow(a, KK_ACT_INCIDENT_HANDLE, NULL) : kk_incident_link_check(db, tracking, token) != 0)
		return kk_diag_set(d, KK_ENOTFOUND, "sha256", "no such file");
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT l.sha256, l.filename, a.mime, a.size, l.added_at, l.from_reporter "
			       "FROM incident_report_attachment l JOIN incident_report r ON r.id = l.report_id "
			       "JOIN attachment a ON a.sha256 = l.sha256 WHERE r.tracking = ? AND l.sha256 = ? "
			       "AND (? OR l.from_reporter)",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, tracking ? tracking : "", -1);
	kk_stmt_bind_text(st, 2, sha256 ? sha256 : "", -1);
	kk_stmt_bind_int64(st, 3, staff);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		kk_strlcpy(out->sha256, kk_stmt_text(st, 0), sizeof(out->sha256));
		kk_strlcpy(out->filename, kk_stmt_text(st, 1), sizeof(out->filename));
		kk_strlcpy(out->mime, kk_stmt_text(st, 2), sizeof(out->mime));
		out->size = kk_stmt_int64(st, 3);
		out->added_at = kk_stmt_int64(st, 4);
		out->from_finder = kk_stmt_int64(st, 5) != 0;
		rc = 0;
	} else if (rc == KK_DONE) {
		rc = kk_diag_set(d, KK_ENOTFOUND, "sha256", "no such file");
	}
	kk_stmt_done(st);
	return rc;
}

/*
 * directory.c — the vendor directory: vendor rows beside organizations of
 * kind vendor, their contact points and products, search and matching.
 * The unreachable list is unreachable.c, CSV is csv.c (see directory.h).
 */
#include "coord/directory.h"
#include "auth/audit.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/str.h"
#include "base/utf8.h"
#include "coord/dir_util.h"
#include "mail/mail.h"
#include "std/cpe.h"
#include "std/purl.h"
#include "store/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- field checks (shared with csv.c and unreachable.c through dir_util.h) ---- */

int kk_dir_need_tx(struct kk_db *db)
{
	return kk_db_in_tx(db) ? 0 : KK_EINVAL;
}

int kk_dir_begin(struct kk_db *db, int64_t org_id, struct kk_vendor *v, struct kk_diag *d)
{
	int rc = kk_dir_need_tx(db);
	if (!rc && (rc = kk_vendor_get(db, org_id, v)))
		kk_diag_set(d, rc, "vendor", "no vendor with id %lld in the directory", (long long)org_id);
	return rc;
}

int kk_dir_text(const char *s, size_t max, bool required, const char *field, struct kk_diag *d)
{
	size_t n = s ? strlen(s) : 0;
	if (!n) {
		if (required)
			return kk_diag_set(d, KK_EINVAL, field, "%s is required", field);
		return 0;
	}
	if (n > max)
		return kk_diag_set(d, KK_EINVAL, field, "%s is %zu bytes long; at most %zu are allowed", field, n, max);
	if (!kk_utf8_valid(s, n))
		return kk_diag_set(d, KK_EINVAL, field, "%s is not valid UTF-8", field);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return kk_diag_set(d, KK_EINVAL, field, "%s holds a control character (byte %zu); use one line of text",
					   field, i + 1);
	if (s[0] == ' ' || s[n - 1] == ' ')
		return kk_diag_set(d, KK_EINVAL, field, "%s starts or ends with a space; remove it", field);
	return 0;
}

int kk_dir_lang(const char *s, const char *field, struct kk_diag *d)
{
	if (s && (!strcmp(s, "ja") || !strcmp(s, "en")))
		return 0;
	return kk_diag_set(d, KK_EINVAL, field, "%s '%s' is not a language keikai writes in; use ja or en", field,
			   s ? s : "");
}

int kk_dir_email(const char *s, const char *field, struct kk_diag *d)
{
	size_t n = strlen(s);
	const char *at = strchr(s, '@');
	if (n > KK_EMAIL_MAX)
		return kk_diag_set(d, KK_EINVAL, field, "%s is longer than %d bytes", field, KK_EMAIL_MAX);
	bool ok = at && at != s && !strchr(at + 1, '@') && strchr(at + 1, '.') && at[1] != '.' && s[n - 1] != '.';
	for (size_t i = 0; ok && i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f || s[i] == ',' || s[i] == '<' || s[i] == '>' ||
		    s[i] == '"')
			ok = false;
	if (!ok)
		return kk_diag_set(d, KK_EINVAL, field, "%s '%s' is not an e-mail address (name@example.jp)", field, s);
	return 0;
}

int kk_dir_phone(const char *s, const char *field, struct kk_diag *d)
{
	size_t n = strlen(s), digits = 0;
	if (n > KK_VENDOR_PHONE_MAX)
		return kk_diag_set(d, KK_EINVAL, field, "%s is longer than %d characters", field, KK_VENDOR_PHONE_MAX);
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (!strchr(" +-().", s[i]))
			return kk_diag_set(d, KK_EINVAL, field,
					   "%s '%s' may hold only digits, spaces and + - ( ) . (e.g. +81-3-1234-5678)",
					   field, s);
	}
	if (digits < 3)
		return kk_diag_set(d, KK_EINVAL, field, "%s '%s' has fewer than 3 digits", field, s);
	return 0;
}

/* CPE attribute in bound form: lower-cased copy into out; no ':', space, wildcard or backslash. */
int kk_dir_cpe_attr(const char *s, size_t n, char *out, size_t cap, const char *field, struct kk_diag *d)
{
	if (!n)
		return kk_diag_set(d, KK_EINVAL, field, "%s has an empty CPE attribute", field);
	if (n >= cap)
		return kk_diag_set(d, KK_EINVAL, field, "%s: a CPE attribute is at most %zu bytes", field, cap - 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c >= 0x7f || c == ':' || c == '*' || c == '?' || c == '\\' || c == '"')
			return kk_diag_set(d, KK_EINVAL, field,
					   "%s '%.*s': a CPE attribute is printable ASCII without spaces, ':', '*', '?', "
					   "'\\' or '\"' (e.g. apache:http_server)",
					   field, (int)n, s);
		out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[n] = 0;
	return 0;
}

/* WFN value (quoted with '\') to its plain bound text. */
static int cpe_unquote(const struct kk_cpe_val *v, char *out, size_t cap, const char *field, struct kk_diag *d)
{
	if (v->kind != KK_CPE_VALUE || v->wild)
		return kk_diag_set(d, KK_EINVAL, field, "%s: the CPE name needs a literal vendor and product (no * or -)",
				   field);
	size_t o = 0;
	for (size_t i = 0; i < v->len; i++) {
		if (v->ptr[i] == '\\' && i + 1 < v->len)
			i++;
		if (o + 1 >= cap)
			return kk_diag_set(d, KK_EINVAL, field, "%s: a CPE attribute is at most %zu bytes", field, cap - 1);
		out[o++] = v->ptr[i];
	}
	out[o] = 0;
	return 0;
}

int kk_dir_parse_cpe(const char *s, const char *default_vendor, bool product_optional, char vendor[KK_VENDOR_CPE_MAX + 1],
		     char product[KK_VENDOR_CPE_MAX + 1], const char *field, struct kk_diag *d)
{
	vendor[0] = product[0] = 0;
	if (!s || !*s)
		return 0;
	size_t n = strlen(s);
	if (!strncmp(s, "cpe:", 4)) {
		if (n > KK_CPE_MAX_LEN)
			return kk_diag_set(d, KK_EINVAL, field, "%s is longer than %d bytes", field, KK_CPE_MAX_LEN);
		struct kk_cpe c;
		char *store = kk_malloc(KK_CPE_STORE(n));
		if (!store)
			return KK_ENOMEM;
		struct kk_diag cd = {0};
		int rc = kk_cpe_parse(s, n, &c, store, KK_CPE_STORE(n), &cd);
		if (rc)
			rc = kk_diag_set(d, KK_EINVAL, field, "%s '%s' is not a CPE name: %s", field, s, cd.msg);
		else if (!(rc = cpe_unquote(&c.a[KK_CPE_VENDOR], vendor, KK_VENDOR_CPE_MAX + 1, field, d)) &&
			 !(product_optional && c.a[KK_CPE_PRODUCT].kind == KK_CPE_ANY))
			rc = cpe_unquote(&c.a[KK_CPE_PRODUCT], product, KK_VENDOR_CPE_MAX + 1, field, d);
		kk_free(store);
		return rc;
	}
	const char *colon = strchr(s, ':');
	if (!colon) {
		if (!default_vendor || !*default_vendor)
			return kk_diag_set(d, KK_EINVAL, field,
					   "%s '%s' names only a product; write vendor:product, or set the vendor's CPE "
					   "vendor first",
					   field, s);
		kk_strlcpy(vendor, default_vendor, KK_VENDOR_CPE_MAX + 1);
		return kk_dir_cpe_attr(s, n, product, KK_VENDOR_CPE_MAX + 1, field, d);
	}
	int rc = kk_dir_cpe_attr(s, (size_t)(colon - s), vendor, KK_VENDOR_CPE_MAX + 1, field, d);
	if (!rc)
		rc = kk_dir_cpe_attr(colon + 1, strlen(colon + 1), product, KK_VENDOR_CPE_MAX + 1, field, d);
	return rc;
}

int kk_dir_parse_purl(const char *s, char type[KK_VENDOR_PURL_MAX + 1], char ns[KK_VENDOR_PURL_MAX + 1],
		      char name[KK_VENDOR_PURL_MAX + 1], const char *field, struct kk_diag *d)
{
	type[0] = ns[0] = name[0] = 0;
	if (!s || !*s)
		return 0;
	size_t n = strlen(s);
	if (n > KK_PURL_MAX_LEN)
		return kk_diag_set(d, KK_EINVAL, field, "%s is longer than %d bytes", field, KK_PURL_MAX_LEN);
	if (!strncmp(s, "pkg:", 4)) {
		struct kk_purl p;
		char *store = kk_malloc(n + 1);
		if (!store)
			return KK_ENOMEM;
		struct kk_diag pd = {0};
		int rc = kk_purl_parse(s, n, &p, store, n + 1, &pd);
		if (rc)
			rc = kk_diag_set(d, KK_EINVAL, field, "%s '%s' is not a package URL: %s", field, s, pd.msg);
		else if (p.type.len > KK_VENDOR_PURL_MAX || p.namespace.len > KK_VENDOR_PURL_MAX ||
			 p.name.len > KK_VENDOR_PURL_MAX)
			rc = kk_diag_set(d, KK_EINVAL, field, "%s: each purl part is at most %d bytes", field,
					 KK_VENDOR_PURL_MAX);
		else {
			memcpy(type, p.type.ptr, p.type.len);
			type[p.type.len] = 0;
			if (p.namespace.ptr) {
				memcpy(ns, p.namespace.ptr, p.namespace.len);
				ns[p.namespace.len] = 0;
			}
			memcpy(name, p.name.ptr, p.name.len);
			name[p.name.len] = 0;
		}
		kk_free(store);
		return rc;
	}
	/* "type/namespace": a namespace that is the vendor's as a whole */
	const char *slash = strchr(s, '/');
	if (!slash || slash == s || !slash[1] || slash[strlen(slash) - 1] == '/' || (size_t)(slash - s) > KK_VENDOR_PURL_MAX ||
	    strlen(slash + 1) > KK_VENDOR_PURL_MAX)
		return kk_diag_set(d, KK_EINVAL, field,
				   "%s '%s' is neither a package URL (pkg:npm/%%40scope/name) nor type/namespace "
				   "(maven/org.apache, golang/github.com/example)",
				   field, s);
	for (const char *c = s; c < slash; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '.' ||
		      *c == '+' || *c == '-'))
			return kk_diag_set(d, KK_EINVAL, field, "%s: purl type '%.*s' may hold only letters, digits, . + -",
					   field, (int)(slash - s), s);
		*type++ = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
	}
	*type = 0;
	for (const char *c = slash + 1; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == '?' || *c == '#' || *c == '@')
			return kk_diag_set(d, KK_EINVAL, field, "%s: purl namespace '%s' holds a space, ?, # or @", field,
					   slash + 1);
	kk_strlcpy(ns, slash + 1, KK_VENDOR_PURL_MAX + 1);
	return 0;
}

/* ---- vendors ------------------------------------------------------------- */

#define VENDOR_COLS                                                                                          \
	"o.id, o.name, v.name_ja, v.name_en, v.lang, v.cpe_vendor, v.terms_agreed_at, v.note, v.created_at, "   \
	"v.updated_at, (SELECT count(*) FROM vendor_contact c WHERE c.org_id = v.org_id), "                    \
	"(SELECT count(*) FROM vendor_product p WHERE p.org_id = v.org_id), "                                  \
	"(SELECT u.listed_at FROM vendor_unreachable u WHERE u.org_id = v.org_id AND u.delisted_at IS NULL) "   \
	"FROM vendor v JOIN organizations o ON o.id = v.org_id "

static void vendor_row(struct kk_stmt *st, struct kk_vendor *v)
{
	memset(v, 0, sizeof(*v));
	v->org_id = kk_stmt_int64(st, 0);
	kk_strlcpy(v->name, kk_stmt_text(st, 1), sizeof(v->name));
	kk_strlcpy(v->name_ja, kk_stmt_text(st, 2), sizeof(v->name_ja));
	kk_strlcpy(v->name_en, kk_stmt_text(st, 3), sizeof(v->name_en));
	kk_strlcpy(v->lang, kk_stmt_text(st, 4), sizeof(v->lang));
	kk_strlcpy(v->cpe_vendor, kk_stmt_text(st, 5), sizeof(v->cpe_vendor));
	v->terms_agreed = !kk_stmt_is_null(st, 6);
	v->terms_agreed_at = kk_stmt_int64(st, 6);
	kk_strlcpy(v->note, kk_stmt_text(st, 7), sizeof(v->note));
	v->created_at = kk_stmt_int64(st, 8);
	v->updated_at = kk_stmt_int64(st, 9);
	v->ncontacts = (int)kk_stmt_int64(st, 10);
	v->nproducts = (int)kk_stmt_int64(st, 11);
	v->unreachable = !kk_stmt_is_null(st, 12);
	v->unreachable_since = kk_stmt_int64(st, 12);
}

static int vendor_one(struct kk_db *db, const char *sql, int64_t id, const char *text, struct kk_vendor *out)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, sql, &st);
	if (rc)
		return rc;
	if (text)
		kk_stmt_bind_text(st, 1, text, -1);
	else
		kk_stmt_bind_int64(st, 1, id);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		vendor_row(st, out);
		rc = 0;
	} else if (rc == KK_DONE)
		rc = KK_ENOTFOUND;
	kk_stmt_done(st);
	return rc;
}

int kk_vendor_get(struct kk_db *db, int64_t org_id, struct kk_vendor *out)
{
	return vendor_one(db, "SELECT " VENDOR_COLS "WHERE v.org_id = ?", org_id, NULL, out);
}

int kk_vendor_find(struct kk_db *db, const char *name, struct kk_vendor *out)
{
	if (!name || !*name)
		return KK_ENOTFOUND;
	int rc = vendor_one(db, "SELECT " VENDOR_COLS "WHERE o.name = ?", 0, name, out);
	if (rc == KK_ENOTFOUND)
		rc = vendor_one(db,
				"SELECT " VENDOR_COLS "WHERE v.name_ja = ?1 COLLATE NOCASE OR v.name_en = ?1 COLLATE NOCASE "
				"ORDER BY o.id LIMIT 1",
				0, name, out);
	return rc;
}

static int vendor_in_check(const struct kk_vendor_in *in, bool create, struct kk_diag *d)
{
	int rc;
	if ((rc = kk_dir_text(in->name, KK_NAME_MAX, create, "name", d)) ||
	    (rc = kk_dir_text(in->name_ja, KK_NAME_MAX, false, "name_ja", d)) ||
	    (rc = kk_dir_text(in->name_en, KK_NAME_MAX, false, "name_en", d)))
		return rc;
	if (in->note && strlen(in->note) > KK_VENDOR_NOTE_MAX)
		return kk_diag_set(d, KK_EINVAL, "note", "note is longer than %d bytes", KK_VENDOR_NOTE_MAX);
	if (in->note && !kk_utf8_valid(in->note, strlen(in->note)))
		return kk_diag_set(d, KK_EINVAL, "note", "note is not valid UTF-8");
	if (in->lang && (rc = kk_dir_lang(in->lang, "lang", d)))
		return rc;
	if (in->cpe_vendor && *in->cpe_vendor) {
		char tmp[KK_VENDOR_CPE_MAX + 1];
		if ((rc = kk_dir_cpe_attr(in->cpe_vendor, strlen(in->cpe_vendor), tmp, sizeof(tmp), "cpe_vendor", d)))
			return rc;
	}
	if (in->terms_agreed < -1 || in->terms_agreed > 1)
		return kk_diag_set(d, KK_EINVAL, "terms_agreed", "terms_agreed is -1, 0 or 1");
	return 0;
}

static void lower_copy(char *out, const char *s, size_t cap)
{
	size_t i = 0;
	for (; s && s[i] && i + 1 < cap; i++)
		out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	out[i] = 0;
}

static void vendor_json(const struct kk_vendor *v, struct kk_buf *b)
{
	struct kk_json j;
	kk_json_init(&j, b);
	kk_json_obj_open(&j);
	kk_json_kv_str(&j, "name", v->name);
	kk_json_kv_str(&j, "name_ja", v->name_ja);
	kk_json_kv_str(&j, "name_en", v->name_en);
	kk_json_kv_str(&j, "lang", v->lang);
	kk_json_kv_str(&j, "cpe_vendor", v->cpe_vendor);
	kk_json_kv_int(&j, "terms_agreed_at", v->terms_agreed_at);
	kk_json_obj_close(&j);
}

int kk_dir_audit(struct kk_db *db, const struct kk_actor *by, const char *action, int64_t org_id,
		 const char *summary, const char *before, const char *after)
{
	char id[24];
	snprintf(id, sizeof(id), "%lld", (long long)org_id);
	return kk_audit(db, by, action, "vendor", id, summary, before, after);
}

int kk_vendor_create(struct kk_db *db, const struct kk_actor *by, const struct kk_vendor_in *in,
		     int64_t *org_id_out, struct kk_diag *d)
{
	if (org_id_out)
		*org_id_out = 0;
	int rc;
	if ((rc = kk_dir_need_tx(db)))
		return rc;
	if ((rc = vendor_in_check(in, true, d)))
		return rc;
	struct kk_org org;
	int64_t id = 0;
	rc = kk_org_find(db, in->name, &org);
	if (rc == 0) {
		if (org.kind != KK_ORG_VENDOR)
			return kk_diag_set(d, KK_ECONFLICT, "name",
					   "organization '%s' exists and is a %s, not a vendor; choose another name",
					   in->name, kk_org_kind_name(org.kind));
		struct kk_vendor v;
		if (kk_vendor_get(db, org.id, &v) == 0)
			return kk_diag_set(d, KK_EEXISTS, "name", "vendor '%s' is already in the directory (id %lld)",
					   in->name, (long long)org.id);
		id = org.id;
	} else if (rc == KK_ENOTFOUND) {
		if ((rc = kk_org_create(db, by, in->name, KK_ORG_VENDOR, &id, d)))
			return rc;
	} else
		return rc;
	int64_t now = kk_clock_now();
	char cpe[KK_VENDOR_CPE_MAX + 1];
	lower_copy(cpe, in->cpe_vendor, sizeof(cpe));
	int64_t agreed = in->terms_agreed == 1 ? (in->terms_agreed_at ? in->terms_agreed_at : now) : 0;
	rc = kk_db_exec(db,
			"INSERT INTO vendor (org_id, name_ja, name_en, lang, cpe_vendor, terms_agreed_at, note, created_at, "
			"updated_at) VALUES (?, ?, ?, ?, ?, nullif(?, 0), ?, ?, ?)",
			"issssisii", id, in->name_ja ? in->name_ja : "",
			in->name_en ? in->name_en : "", in->lang ? in->lang : "ja", cpe,
			agreed, in->note ? in->note : "", now, now);
	if (rc < 0)
		return rc;
	struct kk_vendor v;
	if ((rc = kk_vendor_get(db, id, &v)))
		return rc;
	struct kk_buf after = KK_BUF_INIT(64 * 1024);
	vendor_json(&v, &after);
	char sum[KK_NAME_MAX + 64];
	snprintf(sum, sizeof(sum), "added vendor %s to the directory", v.name);
	rc = kk_dir_audit(db, by, "vendor.create", id, sum, NULL, after.ptr);
	kk_buf_release(&after);
	if (rc)
		return rc;
	if (org_id_out)
		*org_id_out = id;
	return 0;
}

int kk_vendor_update(struct kk_db *db, const struct kk_actor *by, int64_t org_id, const struct kk_vendor_in *in,
		     struct kk_diag *d)
{
	int rc;
	if ((rc = kk_dir_need_tx(db)))
		return rc;
	if ((rc = vendor_in_check(in, false, d)))
		return rc;
	struct kk_vendor v, w;
	if ((rc = kk_vendor_get(db, org_id, &v)))
		return kk_diag_set(d, rc, "vendor", "no vendor with id %lld in the directory", (long long)org_id);
	int64_t now = kk_clock_now();
	if (in->name && strcmp(in->name, v.name)) {
		struct kk_org other;
		if (kk_org_find(db, in->name, &other) == 0)
			return kk_diag_set(d, KK_EEXISTS, "name", "another organization is named '%s'", in->name);
		rc = kk_db_exec(db, "UPDATE organizations SET name = ? WHERE id = ?", "si", in->name, org_id);
		if (rc < 0)
			return rc;
	}
	char cpe[KK_VENDOR_CPE_MAX + 1];
	lower_copy(cpe, in->cpe_vendor ? in->cpe_vendor : v.cpe_vendor, sizeof(cpe));
	int64_t agreed = v.terms_agreed_at;
	if (in->terms_agreed == 0)
		agreed = 0;
	else if (in->terms_agreed == 1 && (in->terms_agreed_at || !agreed))
		agreed = in->terms_agreed_at ? in->terms_agreed_at : now;
	rc = kk_db_exec(db,
			"UPDATE vendor SET name_ja = ?, name_en = ?, lang = ?, cpe_vendor = ?, terms_agreed_at = "
			"nullif(?, 0), note = ?, updated_at = ? WHERE org_id = ?",
			"ssssisii", in->name_ja ? in->name_ja : v.name_ja, in->name_en ? in->name_en : v.name_en,
			in->lang ? in->lang : v.lang, cpe, agreed, in->note ? in->note : v.note, now, org_id);
	if (rc < 0)
		return rc;
	if ((rc = kk_vendor_get(db, org_id, &w)))
		return rc;
	struct kk_buf before = KK_BUF_INIT(64 * 1024), after = KK_BUF_INIT(64 * 1024);
	vendor_json(&v, &before);
	vendor_json(&w, &after);
	char sum[KK_NAME_MAX + 64];
	snprintf(sum, sizeof(sum), "changed vendor %s", w.name);
	rc = kk_dir_audit(db, by, "vendor.update", org_id, sum, before.ptr, after.ptr);
	kk_buf_release(&before);
	kk_buf_release(&after);
	return rc;
}

/* LIKE pattern %s% with \ escapes, into out (cap >= 2 * strlen + 3). */
void kk_dir_like(const char *s, char *out, size_t cap)
{
	size_t o = 0;
	out[o++] = '%';
	for (; *s && o + 3 < cap; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			out[o++] = '\\';
		out[o++] = *s;
	}
	out[o++] = '%';
	out[o] = 0;
}

#define SEARCH_WHERE                                                                                         \
	"WHERE (?1 IS NULL OR o.name LIKE ?1 ESCAPE '\\' OR v.name_ja LIKE ?1 ESCAPE '\\' OR v.name_en LIKE ?1 "    \
	"ESCAPE '\\' OR v.cpe_vendor LIKE ?1 ESCAPE '\\' OR EXISTS (SELECT 1 FROM vendor_product p WHERE "          \
	"p.org_id = v.org_id AND (p.name_ja LIKE ?1 ESCAPE '\\' OR p.name_en LIKE ?1 ESCAPE '\\' OR "              \
	"p.cpe_product LIKE ?1 ESCAPE '\\' OR p.purl_namespace LIKE ?1 ESCAPE '\\' OR p.purl_name LIKE ?1 "        \
	"ESCAPE '\\'))) "                                                                                      \
	"AND (?2 IS NULL OR (?3 IS NULL AND v.cpe_vendor = ?2) OR EXISTS (SELECT 1 FROM vendor_product p WHERE "   \
	"p.org_id = v.org_id AND p.cpe_vendor = ?2 AND (?3 IS NULL OR p.cpe_product = ?3))) "                  \
	"AND (?4 = 0 OR (?4 = 1) = EXISTS (SELECT 1 FROM vendor_unreachable u WHERE u.org_id = v.org_id AND "   \
	"u.delisted_at IS NULL)) "

static int search_bind(struct kk_stmt *st, const char *like, const char *cv, const char *cp, int unreach)
{
	kk_stmt_bind_text(st, 1, like, -1);
	kk_stmt_bind_text(st, 2, cv, -1);
	kk_stmt_bind_text(st, 3, cp, -1);
	return kk_stmt_bind_int64(st, 4, unreach);
}

int kk_vendor_search(struct kk_db *db, const struct kk_vendor_query *q,
		     int (*fn)(void *arg, const struct kk_vendor *v), void *arg, int64_t *total)
{
	static const struct kk_vendor_query none = {0};
	if (!q)
		q = &none;
	char like[2 * 512 + 3], cv[KK_VENDOR_CPE_MAX + 1], cp[KK_VENDOR_CPE_MAX + 1];
	const char *likep = NULL, *cvp = NULL, *cpp = NULL;
	if (q->q && *q->q) {
		if (strlen(q->q) > 512)
			return KK_EINVAL;
		kk_dir_like(q->q, like, sizeof(like));
		likep = like;
	}
	if (q->cpe && *q->cpe) {
		struct kk_diag d;
		if (strncmp(q->cpe, "cpe:", 4) && !strchr(q->cpe, ':')) {
			if (kk_dir_cpe_attr(q->cpe, strlen(q->cpe), cv, sizeof(cv), "cpe", &d))
				return KK_EINVAL;
			cp[0] = 0;
		} else if (kk_dir_parse_cpe(q->cpe, NULL, true, cv, cp, "cpe", &d))
			return KK_EINVAL;
		cvp = cv;
		cpp = cp[0] ? cp : NULL;
	}
	int unreach = q->unreachable > 0 ? 1 : q->unreachable < 0 ? -1 : 0;
	int limit = q->limit <= 0 ? 50 : q->limit > 1000 ? 1000 : q->limit;
	struct kk_stmt *st;
	int rc;
	if (total) {
		if ((rc = kk_db_prepare(db, "SELECT count(*) FROM vendor v JOIN organizations o ON o.id = v.org_id "
					    SEARCH_WHERE,
					&st)))
			return rc;
		search_bind(st, likep, cvp, cpp, unreach);
		rc = kk_stmt_step(st);
		*total = rc == KK_ROW ? kk_stmt_int64(st, 0) : 0;
		kk_stmt_done(st);
		if (rc < 0)
			return rc;
	}
	if ((rc = kk_db_prepare(db, "SELECT " VENDOR_COLS SEARCH_WHERE "ORDER BY o.name LIMIT ?5 OFFSET ?6", &st)))
		return rc;
	search_bind(st, likep, cvp, cpp, unreach);
	kk_stmt_bind_int64(st, 5, limit);
	kk_stmt_bind_int64(st, 6, q->offset > 0 ? q->offset : 0);
	struct kk_vendor v;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		vendor_row(st, &v);
		int r = fn(arg, &v);
		if (r) {
			kk_stmt_done(st);
			return r;
		}
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* ---- contacts ------------------------------------------------------------ */

int kk_vendor_pgp_check(const char *armored, const char *where, struct kk_diag *d)
{
	if (!armored || !*armored)
		return 0;
	if (strlen(armored) > KK_MAIL_PGP_KEY_MAX)
		return kk_diag_set(d, KK_EINVAL, where, "%s is longer than %d bytes", where, KK_MAIL_PGP_KEY_MAX);
	if (!kk_mail_pgp_key_plausible(armored))
		return kk_diag_set(d, KK_EINVAL, where,
				   "%s is not an ASCII-armored public key (-----BEGIN PGP PUBLIC KEY BLOCK----- ...)", where);
	struct kk_buf out = KK_BUF_INIT(1 << 20);
	struct kk_diag pd = {0};
	static const char probe[] = "keikai checks that this key can be encrypted to.\n";
	int rc = kk_mail_pgp_encrypt(armored, probe, sizeof(probe) - 1, &out, &pd);
	kk_buf_release(&out);
	if (rc == KK_ENOMEM)
		return rc;
	if (rc)
		return kk_diag_set(d, KK_EINVAL, where, "%s cannot be used to encrypt (%s); give a valid public key", where,
				   pd.msg);
	return 0;
}

static int contact_check(const struct kk_vendor_contact_in *in, struct kk_diag *d)
{
	int rc;
	bool has_email = in->email && *in->email, has_phone = in->phone && *in->phone;
	if (!has_email && !has_phone)
		return kk_diag_set(d, KK_EINVAL, "email", "a contact needs an e-mail address or a phone number");
	if ((rc = kk_dir_text(in->label, KK_NAME_MAX, false, "label", d)))
		return rc;
	if (has_email && (rc = kk_dir_email(in->email, "email", d)))
		return rc;
	if (has_phone && (rc = kk_dir_phone(in->phone, "phone", d)))
		return rc;
	if (in->role && *in->role && strcmp(in->role, "to") && strcmp(in->role, "cc"))
		return kk_diag_set(d, KK_EINVAL, "role", "role '%s' is not to or cc", in->role);
	if (in->lang && *in->lang && (rc = kk_dir_lang(in->lang, "lang", d)))
		return rc;
	if (in->pgp_key && *in->pgp_key) {
		if (strlen(in->pgp_key) > KK_MAIL_PGP_KEY_MAX)
			return kk_diag_set(d, KK_EINVAL, "pgp_key", "pgp_key is longer than %d bytes", KK_MAIL_PGP_KEY_MAX);
		if (!kk_mail_pgp_key_plausible(in->pgp_key))
			return kk_diag_set(d, KK_EINVAL, "pgp_key",
					   "pgp_key is not an ASCII-armored public key (-----BEGIN PGP PUBLIC KEY BLOCK-----)");
		if (!has_email)
			return kk_diag_set(d, KK_EINVAL, "pgp_key", "a PGP key belongs to an e-mail contact; give the email");
	}
	return 0;
}

static int touch_vendor(struct kk_db *db, int64_t org_id)
{
	int rc = kk_db_exec(db, "UPDATE vendor SET updated_at = ? WHERE org_id = ?", "ii", kk_clock_now(), org_id);
	return rc < 0 ? rc : 0;
}

/* After an INSERT of a contact or product: the vendor touched, the audit row, *id_out (may be NULL). */
static int added(struct kk_db *db, const struct kk_actor *by, int64_t org_id, const char *action, const char *sum,
		 int64_t *id_out)
{
	int64_t id = kk_db_last_insert_id(db);
	int rc;
	if ((rc = touch_vendor(db, org_id)) || (rc = kk_dir_audit(db, by, action, org_id, sum, NULL, NULL)))
		return rc;
	if (id_out)
		*id_out = id;
	return 0;
}

static void contact_summary(char *out, size_t n, const char *verb, const struct kk_vendor *v,
			    const struct kk_vendor_contact_in *in)
{
	snprintf(out, n, "%s contact %s%s%s of vendor %s", verb, in->email && *in->email ? in->email : "",
		 in->email && *in->email && in->phone && *in->phone ? " / " : "", in->phone ? in->phone : "", v->name);
}

int kk_vendor_contact_add(struct kk_db *db, const struct kk_actor *by, int64_t org_id,
			  const struct kk_vendor_contact_in *in, int64_t *id_out, struct kk_diag *d)
{
	if (id_out)
		*id_out = 0;
	int rc;
	if ((rc = kk_dir_need_tx(db)) || (rc = contact_check(in, d)))
		return rc;
	struct kk_vendor v;
	if ((rc = kk_vendor_get(db, org_id, &v)))
		return kk_diag_set(d, rc, "vendor", "no vendor with id %lld in the directory", (long long)org_id);
	int64_t now = kk_clock_now();
	const char *key = in->pgp_key && *in->pgp_key ? in->pgp_key : NULL;
	rc = kk_db_exec(db,
			"INSERT INTO vendor_contact (org_id, label, email, role, phone, lang, pgp_key, created_at, "
			"updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"issssssii", org_id, in->label ? in->label : "", in->email ? in->email : "",
			in->role && *in->role ? in->role : "to", in->phone ? in->phone : "",
			in->lang && *in->lang ? in->lang : v.lang, key, now, now);
	if (rc < 0)
		return rc;
	char sum[512];
	contact_summary(sum, sizeof(sum), "added", &v, in);
	return added(db, by, org_id, "vendor.contact.add", sum, id_out);
}

int kk_vendor_contact_update(struct kk_db *db, const struct kk_actor *by, int64_t org_id, int64_t id,
			     const struct kk_vendor_contact_in *in, struct kk_diag *d)
{
	int rc;
	if ((rc = kk_dir_need_tx(db)) || (rc = contact_check(in, d)))
		return rc;
	struct kk_vendor v;
	if ((rc = kk_vendor_get(db, org_id, &v)))
		return kk_diag_set(d, rc, "vendor", "no vendor with id %lld in the directory", (long long)org_id);
	const char *sql = in->pgp_key ? "UPDATE vendor_contact SET label = ?, email = ?, role = ?, phone = ?, lang = ?, "
					"updated_at = ?, pgp_key = nullif(?, '') WHERE id = ? AND org_id = ?"
				      : "UPDATE vendor_contact SET label = ?, email = ?, role = ?, phone = ?, lang = ?, "
					"updated_at = ?, pgp_key = pgp_key WHERE id = ? AND org_id = ?";
	if (in->pgp_key)
		rc = kk_db_exec(db, sql, "sssssisii", in->label ? in->label : "", in->email ? in->email : "",
				in->role && *in->role ? in->role : "to", in->phone ? in->phone : "",
				in->lang && *in->lang ? in->lang : v.lang, kk_clock_now(), in->pgp_key, id, org_id);
	else
		rc = kk_db_exec(db, sql, "sssssiii", in->label ? in->label : "", in->email ? in->email : "",
				in->role && *in->role ? in->role : "to", in->phone ? in->phone : "",
				in->lang && *in->lang ? in->lang : v.lang, kk_clock_now(), id, org_id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return kk_diag_set(d, KK_ENOTFOUND, "contact", "vendor %s has no contact %lld", v.name, (long long)id);
	char sum[512];
	contact_summary(sum, sizeof(sum), "changed", &v, in);
	if ((rc = touch_vendor(db, org_id)))
		return rc;
	return kk_dir_audit(db, by, "vendor.contact.update", org_id, sum, NULL, NULL);
}

/* [in tx] Deletes row id of org_id from the contacts (contact) or products; audited. */
static int remove_item(struct kk_db *db, const struct kk_actor *by, int64_t org_id, int64_t id, bool contact)
{
	int rc;
	struct kk_vendor v;
	if ((rc = kk_dir_begin(db, org_id, &v, NULL)))
		return rc;
	rc = kk_db_exec(db,
			contact ? "DELETE FROM vendor_contact WHERE id = ? AND org_id = ?"
				: "DELETE FROM vendor_product WHERE id = ? AND org_id = ?",
			"ii", id, org_id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return KK_ENOTFOUND;
	char sum[KK_NAME_MAX + 64];
	snprintf(sum, sizeof(sum), "removed %s %lld of vendor %s", contact ? "contact" : "product", (long long)id, v.name);
	if ((rc = touch_vendor(db, org_id)))
		return rc;
	return kk_dir_audit(db, by, contact ? "vendor.contact.remove" : "vendor.product.remove", org_id, sum, NULL, NULL);
}

int kk_vendor_contact_remove(struct kk_db *db, const struct kk_actor *by, int64_t org_id, int64_t id)
{
	return remove_item(db, by, org_id, id, true);
}

static int contacts_walk(struct kk_db *db, int64_t org_id, bool email_only,
			 int (*fn)(void *arg, const struct kk_vendor_contact *c), void *arg, int *count)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT id, org_id, label, email, role, phone, lang, pgp_key, created_at, updated_at "
			       "FROM vendor_contact WHERE org_id = ? AND (? = 0 OR email <> '') "
			       "ORDER BY role = 'cc', id",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, org_id);
	kk_stmt_bind_int64(st, 2, email_only);
	struct kk_vendor_contact c;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		memset(&c, 0, sizeof(c));
		c.id = kk_stmt_int64(st, 0);
		c.org_id = kk_stmt_int64(st, 1);
		kk_strlcpy(c.label, kk_stmt_text(st, 2), sizeof(c.label));
		kk_strlcpy(c.email, kk_stmt_text(st, 3), sizeof(c.email));
		kk_strlcpy(c.role, kk_stmt_text(st, 4), sizeof(c.role));
		kk_strlcpy(c.phone, kk_stmt_text(st, 5), sizeof(c.phone));
		kk_strlcpy(c.lang, kk_stmt_text(st, 6), sizeof(c.lang));
		c.has_pgp_key = !kk_stmt_is_null(st, 7);
		c.pgp_key = c.has_pgp_key ? kk_stmt_text(st, 7) : NULL;
		c.created_at = kk_stmt_int64(st, 8);
		c.updated_at = kk_stmt_int64(st, 9);
		if (count)
			(*count)++;
		int r = fn ? fn(arg, &c) : 0;
		if (r) {
			kk_stmt_done(st);
			return r;
		}
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

int kk_vendor_contacts(struct kk_db *db, int64_t org_id,
		       int (*fn)(void *arg, const struct kk_vendor_contact *c), void *arg)
{
	return contacts_walk(db, org_id, false, fn, arg, NULL);
}

int kk_vendor_notify_targets(struct kk_db *db, int64_t org_id,
			     int (*fn)(void *arg, const struct kk_vendor_contact *c), void *arg, struct kk_diag *d)
{
	struct kk_vendor v;
	int rc = kk_vendor_get(db, org_id, &v);
	if (rc)
		return kk_diag_set(d, rc, "vendor", "no vendor with id %lld in the directory", (long long)org_id);
	int n = 0;
	if ((rc = contacts_walk(db, org_id, true, fn, arg, &n)))
		return rc;
	if (!n)
		return kk_diag_set(d, KK_EUNPROCESSABLE, "contacts",
				   "vendor %s has no e-mail contact; add one (keikai vendor contact add, or /vendors/%lld)",
				   v.name, (long long)org_id);
	return 0;
}

/* ---- products ------------------------------------------------------------ */

struct product_fields {
	char cv[KK_VENDOR_CPE_MAX + 1], cp[KK_VENDOR_CPE_MAX + 1];
	char pt[KK_VENDOR_PURL_MAX + 1], pn[KK_VENDOR_PURL_MAX + 1], pname[KK_VENDOR_PURL_MAX + 1];
};

static int product_check(const struct kk_vendor *v, const struct kk_vendor_product_in *in, struct product_fields *f,
			 struct kk_diag *d)
{
	int rc;
	if ((!in->name_ja || !*in->name_ja) && (!in->name_en || !*in->name_en))
		return kk_diag_set(d, KK_EINVAL, "name_en", "a product needs a name (name_ja or name_en)");
	if ((rc = kk_dir_text(in->name_ja, KK_NAME_MAX, false, "name_ja", d)) ||
	    (rc = kk_dir_text(in->name_en, KK_NAME_MAX, false, "name_en", d)) ||
	    (rc = kk_dir_parse_cpe(in->cpe, v->cpe_vendor, false, f->cv, f->cp, "cpe", d)) ||
	    (rc = kk_dir_parse_purl(in->purl, f->pt, f->pn, f->pname, "purl", d)))
		return rc;
	return 0;
}

/* A product of org_id other than `except` with the same CPE, purl or name: its id, else 0. */
static int64_t product_dup(struct kk_db *db, int64_t org_id, int64_t except, const struct kk_vendor_product_in *in,
			   const struct product_fields *f)
{
	struct kk_stmt *st;
	if (kk_db_prepare(db,
			  "SELECT id FROM vendor_product WHERE org_id = ?1 AND id <> ?2 AND ("
			  "(?3 <> '' AND cpe_vendor = ?3 AND cpe_product = ?4) OR "
			  "(?5 <> '' AND purl_type = ?5 AND purl_namespace = ?6 AND purl_name = ?7) OR "
			  "(?8 <> '' AND name_en = ?8 COLLATE NOCASE) OR (?9 <> '' AND name_ja = ?9)) LIMIT 1",
			  &st))
		return 0;
	kk_stmt_bind_int64(st, 1, org_id);
	kk_stmt_bind_int64(st, 2, except);
	kk_stmt_bind_text(st, 3, f->cv, -1);
	kk_stmt_bind_text(st, 4, f->cp, -1);
	kk_stmt_bind_text(st, 5, f->pt, -1);
	kk_stmt_bind_text(st, 6, f->pn, -1);
	kk_stmt_bind_text(st, 7, f->pname, -1);
	kk_stmt_bind_text(st, 8, in->name_en ? in->name_en : "", -1);
	kk_stmt_bind_text(st, 9, in->name_ja ? in->name_ja : "", -1);
	int64_t id = kk_stmt_step(st) == KK_ROW ? kk_stmt_int64(st, 0) : 0;
	kk_stmt_done(st);
	return id;
}

static void product_summary(char *out, size_t n, const char *verb, const struct kk_vendor *v,
			    const struct kk_vendor_product_in *in)
{
	snprintf(out, n, "%s product %s of vendor %s", verb, in->name_en && *in->name_en ? in->name_en : in->name_ja,
		 v->name);
}

int kk_vendor_product_add(struct kk_db *db, const struct kk_actor *by, int64_t org_id,
			  const struct kk_vendor_product_in *in, int64_t *id_out, struct kk_diag *d)
{
	if (id_out)
		*id_out = 0;
	int rc;
	struct kk_vendor v;
	if ((rc = kk_dir_begin(db, org_id, &v, d)))
		return rc;
	struct product_fields f;
	if ((rc = product_check(&v, in, &f, d)))
		return rc;
	int64_t dup = product_dup(db, org_id, 0, in, &f);
	if (dup)
		return kk_diag_set(d, KK_EEXISTS, "product",
				   "vendor %s already has this product (id %lld: same name, CPE or purl)", v.name,
				   (long long)dup);
	int64_t now = kk_clock_now();
	rc = kk_db_exec(db,
			"INSERT INTO vendor_product (org_id, name_ja, name_en, cpe_vendor, cpe_product, purl_type, "
			"purl_namespace, purl_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"isssssssii", org_id, in->name_ja ? in->name_ja : "", in->name_en ? in->name_en : "", f.cv, f.cp,
			f.pt, f.pn, f.pname, now, now);
	if (rc < 0)
		return rc;
	char sum[KK_NAME_MAX * 2 + 64];
	product_summary(sum, sizeof(sum), "added", &v, in);
	return added(db, by, org_id, "vendor.product.add", sum, id_out);
}

int kk_vendor_product_update(struct kk_db *db, const struct kk_actor *by, int64_t org_id, int64_t id,
			     const struct kk_vendor_product_in *in, struct kk_diag *d)
{
	int rc;
	struct kk_vendor v;
	if ((rc = kk_dir_begin(db, org_id, &v, d)))
		return rc;
	struct product_fields f;
	if ((rc = product_check(&v, in, &f, d)))
		return rc;
	int64_t dup = product_dup(db, org_id, id, in, &f);
	if (dup)
		return kk_diag_set(d, KK_EEXISTS, "product", "vendor %s already has this product as id %lld", v.name,
				   (long long)dup);
	rc = kk_db_exec(db,
			"UPDATE vendor_product SET name_ja = ?, name_en = ?, cpe_vendor = ?, cpe_product = ?, purl_type = ?, "
			"purl_namespace = ?, purl_name = ?, updated_at = ? WHERE id = ? AND org_id = ?",
			"sssssssiii", in->name_ja ? in->name_ja : "", in->name_en ? in->name_en : "", f.cv, f.cp, f.pt,
			f.pn, f.pname, kk_clock_now(), id, org_id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return kk_diag_set(d, KK_ENOTFOUND, "product", "vendor %s has no product %lld", v.name, (long long)id);
	char sum[KK_NAME_MAX * 2 + 64];
	product_summary(sum, sizeof(sum), "changed", &v, in);
	if ((rc = touch_vendor(db, org_id)))
		return rc;
	return kk_dir_audit(db, by, "vendor.product.update", org_id, sum, NULL, NULL);
}

int kk_vendor_product_remove(struct kk_db *db, const struct kk_actor *by, int64_t org_id, int64_t id)
{
	return remove_item(db, by, org_id, id, false);
}

#define PRODUCT_COLS                                                                                         \
	"id, org_id, name_ja, name_en, cpe_vendor, cpe_product, purl_type, purl_namespace, purl_name, created_at, " \
	"updated_at FROM vendor_product "

static void product_row(struct kk_stmt *st, struct kk_vendor_product *p)
{
	memset(p, 0, sizeof(*p));
	p->id = kk_stmt_int64(st, 0);
	p->org_id = kk_stmt_int64(st, 1);
	kk_strlcpy(p->name_ja, kk_stmt_text(st, 2), sizeof(p->name_ja));
	kk_strlcpy(p->name_en, kk_stmt_text(st, 3), sizeof(p->name_en));
	kk_strlcpy(p->cpe_vendor, kk_stmt_text(st, 4), sizeof(p->cpe_vendor));
	kk_strlcpy(p->cpe_product, kk_stmt_text(st, 5), sizeof(p->cpe_product));
	kk_strlcpy(p->purl_type, kk_stmt_text(st, 6), sizeof(p->purl_type));
	kk_strlcpy(p->purl_namespace, kk_stmt_text(st, 7), sizeof(p->purl_namespace));
	kk_strlcpy(p->purl_name, kk_stmt_text(st, 8), sizeof(p->purl_name));
	p->created_at = kk_stmt_int64(st, 9);
	p->updated_at = kk_stmt_int64(st, 10);
}

int kk_vendor_products(struct kk_db *db, int64_t org_id,
		       int (*fn)(void *arg, const struct kk_vendor_product *p), void *arg)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT " PRODUCT_COLS "WHERE org_id = ? ORDER BY coalesce(nullif(name_en, ''), name_ja) "
			       "COLLATE NOCASE, id",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, org_id);
	struct kk_vendor_product p;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		product_row(st, &p);
		int r = fn(arg, &p);
		if (r) {
			kk_stmt_done(st);
			return r;
		}
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* ---- JSON ---------------------------------------------------------------- */

void kk_dir_time_json(struct kk_json *j, const char *key, int64_t t)
{
	if (!t) {
		kk_json_kv_null(j, key);
		return;
	}
	char at[32];
	kk_time_iso(t, at, sizeof(at));
	kk_json_kv_str(j, key, at);
}

void kk_vendor_fields_json(struct kk_json *j, const struct kk_vendor *v, bool with_note)
{
	kk_json_kv_int(j, "id", v->org_id);
	kk_json_kv_str(j, "name", v->name);
	kk_json_kv_str(j, "name_ja", v->name_ja);
	kk_json_kv_str(j, "name_en", v->name_en);
	kk_json_kv_str(j, "lang", v->lang);
	kk_json_kv_str(j, "cpe_vendor", v->cpe_vendor);
	kk_json_kv_bool(j, "terms_agreed", v->terms_agreed);
	kk_dir_time_json(j, "terms_agreed_at", v->terms_agreed_at);
	kk_json_kv_bool(j, "unreachable", v->unreachable);
	kk_dir_time_json(j, "unreachable_since", v->unreachable_since);
	if (with_note)
		kk_json_kv_str(j, "note", v->note);
	kk_json_kv_int(j, "contacts", v->ncontacts);
	kk_json_kv_int(j, "products", v->nproducts);
	kk_dir_time_json(j, "updated_at", v->updated_at);
}

void kk_vendor_contact_json(struct kk_json *j, const struct kk_vendor_contact *c, bool with_key)
{
	kk_json_obj_open(j);
	kk_json_kv_int(j, "id", c->id);
	kk_json_kv_str(j, "label", c->label);
	kk_json_kv_str(j, "email", c->email);
	kk_json_kv_str(j, "role", c->role);
	kk_json_kv_str(j, "phone", c->phone);
	kk_json_kv_str(j, "lang", c->lang);
	if (with_key)
		kk_json_kv_str(j, "pgp_key", c->pgp_key);
	else
		kk_json_kv_bool(j, "pgp_key", c->has_pgp_key);
	kk_json_obj_close(j);
}

void kk_vendor_product_json(struct kk_json *j, const struct kk_vendor_product *p)
{
	kk_json_obj_open(j);
	kk_json_kv_int(j, "id", p->id);
	kk_json_kv_str(j, "name_ja", p->name_ja);
	kk_json_kv_str(j, "name_en", p->name_en);
	kk_json_kv_str(j, "cpe_vendor", p->cpe_vendor);
	kk_json_kv_str(j, "cpe_product", p->cpe_product);
	kk_json_kv_str(j, "purl_type", p->purl_type);
	kk_json_kv_str(j, "purl_namespace", p->purl_namespace);
	kk_json_kv_str(j, "purl_name", p->purl_name);
	kk_json_obj_close(j);
}

void kk_vendor_match_json(struct kk_json *j, const struct kk_vendor_match *m)
{
	kk_json_obj_open(j);
	kk_json_kv_int(j, "vendor_id", m->org_id);
	kk_json_kv_str(j, "vendor", m->vendor_name);
	if (m->product_id) {
		kk_json_kv_int(j, "product_id", m->product_id);
		kk_json_kv_str(j, "product", m->product_name);
	}
	kk_json_kv_str(j, "how", kk_vendor_match_how_name(m->how));
	kk_json_kv_int(j, "score", m->score);
	kk_json_kv_bool(j, "unreachable", m->unreachable);
	kk_json_obj_close(j);
}

/* ---- matching ------------------------------------------------------------ */

const char *kk_vendor_match_how_name(enum kk_vendor_match_how h)
{
	switch (h) {
	case KK_VMATCH_CPE_PRODUCT: return "cpe_product";
	case KK_VMATCH_PURL: return "purl";
	case KK_VMATCH_CPE_VENDOR: return "cpe_vendor";
	case KK_VMATCH_PRODUCT_NAME: return "product_name";
	case KK_VMATCH_VENDOR_NAME: return "vendor_name";
	}
	return "?";
}

struct match_set {
	struct kk_vendor_match *out;
	int n, cap;
};

/*
 * Keeps each vendor's best reason; the array is sorted at the end. A longer
 * product name found is more specific (up to +9); a second, different
 * reason for the same vendor adds 10 (at most 99: only an exact CPE is 100).
 */
static void match_add(struct match_set *m, int64_t org_id, const char *vname, int64_t pid, const char *pname,
		      enum kk_vendor_match_how how, int score, bool unreachable)
{
	if (how == KK_VMATCH_PRODUCT_NAME && pname) {
		size_t len = strlen(pname) / 3;
		score += len > 9 ? 9 : (int)len;
	}
	for (int i = 0; i < m->n; i++)
		if (m->out[i].org_id == org_id) {
			int both = (score > m->out[i].score ? score : m->out[i].score) + 10;
			if (how != m->out[i].how && both > 99)
				both = m->out[i].score > 99 || score > 99 ? 100 : 99;
			if (how == m->out[i].how)
				both = score > m->out[i].score ? score : m->out[i].score;
			if (score > m->out[i].score) {
				m->out[i].score = score;
				m->out[i].how = how;
				m->out[i].product_id = pid;
				kk_strlcpy(m->out[i].product_name, pname ? pname : "", sizeof(m->out[i].product_name));
			}
			m->out[i].score = both;
			return;
		}
	if (m->n == m->cap) {
		int worst = 0;
		for (int i = 1; i < m->n; i++)
			if (m->out[i].score < m->out[worst].score)
				worst = i;
		if (m->n == 0 || m->out[worst].score >= score)
			return;
		m->n--;
		m->out[worst] = m->out[m->n];
	}
	struct kk_vendor_match *x = &m->out[m->n++];
	memset(x, 0, sizeof(*x));
	x->org_id = org_id;
	kk_strlcpy(x->vendor_name, vname, sizeof(x->vendor_name));
	x->product_id = pid;
	kk_strlcpy(x->product_name, pname ? pname : "", sizeof(x->product_name));
	x->how = how;
	x->score = score;
	x->unreachable = unreachable;
}

#define MATCH_P_COLS                                                                                         \
	"SELECT o.id, o.name, p.id, coalesce(nullif(p.name_en, ''), p.name_ja), EXISTS (SELECT 1 FROM "            \
	"vendor_unreachable u WHERE u.org_id = o.id AND u.delisted_at IS NULL) FROM vendor_product p JOIN "     \
	"organizations o ON o.id = p.org_id "
#define MATCH_V_COLS                                                                                         \
	"SELECT o.id, o.name, 0, '', EXISTS (SELECT 1 FROM vendor_unreachable u WHERE u.org_id = o.id AND "        \
	"u.delisted_at IS NULL) FROM vendor v JOIN organizations o ON o.id = v.org_id "

/* Runs sql with up to three text parameters; each row joins the set with how/score. */
static int match_query(struct kk_db *db, struct match_set *m, const char *sql, const char *a, const char *b,
		       const char *c, enum kk_vendor_match_how how, int score)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, sql, &st);
	if (rc)
		return rc;
	const char *v[3] = {a, b, c};
	for (int i = 0; i < 3; i++)
		if (v[i])
			kk_stmt_bind_text(st, i + 1, v[i], -1);
	while ((rc = kk_stmt_step(st)) == KK_ROW)
		match_add(m, kk_stmt_int64(st, 0), kk_stmt_text(st, 1), kk_stmt_int64(st, 2), kk_stmt_text(st, 3), how,
			  score, kk_stmt_int64(st, 4) != 0);
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

static int match_cmp(const void *x, const void *y)
{
	const struct kk_vendor_match *a = x, *b = y;
	if (a->score != b->score)
		return b->score - a->score;
	return strcmp(a->vendor_name, b->vendor_name);
}

int kk_vendor_match(struct kk_db *db, const struct kk_vendor_match_in *in, struct kk_vendor_match *out,
		    int limit, struct kk_diag *d)
{
	if (limit < 1 || limit > 200)
		return kk_diag_set(d, KK_EINVAL, "limit", "limit must be 1..200");
	struct match_set m = {out, 0, limit};
	int rc;
	if (in->cpe && *in->cpe) {
		char cv[KK_VENDOR_CPE_MAX + 1], cp[KK_VENDOR_CPE_MAX + 1];
		if (strncmp(in->cpe, "cpe:", 4) && !strchr(in->cpe, ':')) {
			if ((rc = kk_dir_cpe_attr(in->cpe, strlen(in->cpe), cv, sizeof(cv), "cpe", d)))
				return rc;
			cp[0] = 0;
		} else if ((rc = kk_dir_parse_cpe(in->cpe, NULL, true, cv, cp, "cpe", d)))
			return rc;
		if (cp[0] && (rc = match_query(db, &m, MATCH_P_COLS "WHERE p.cpe_vendor = ?1 AND p.cpe_product = ?2", cv, cp,
					       NULL, KK_VMATCH_CPE_PRODUCT, 100)))
			return rc;
		if ((rc = match_query(db, &m, MATCH_V_COLS "WHERE v.cpe_vendor = ?1", cv, NULL, NULL, KK_VMATCH_CPE_VENDOR,
				      70)) ||
		    (rc = match_query(db, &m,
				      "SELECT o.id, o.name, 0, '', EXISTS (SELECT 1 FROM vendor_unreachable u WHERE "
				      "u.org_id = o.id AND u.delisted_at IS NULL) FROM organizations o WHERE o.id IN "
				      "(SELECT org_id FROM vendor_product WHERE cpe_vendor = ?1)",
				      cv, NULL, NULL, KK_VMATCH_CPE_VENDOR, 70)))
			return rc;
	}
	if (in->purl && *in->purl) {
		char pt[KK_VENDOR_PURL_MAX + 1], pn[KK_VENDOR_PURL_MAX + 1], pname[KK_VENDOR_PURL_MAX + 1];
		if ((rc = kk_dir_parse_purl(in->purl, pt, pn, pname, "purl", d)))
			return rc;
		if ((rc = match_query(db, &m,
				      MATCH_P_COLS "WHERE p.purl_type = ?1 AND p.purl_namespace = ?2 AND p.purl_name = ?3 "
						   "AND p.purl_name <> ''",
				      pt, pn, pname, KK_VMATCH_PURL, 90)) ||
		    (rc = match_query(db, &m,
				      MATCH_P_COLS "WHERE p.purl_type = ?1 AND p.purl_namespace = ?2 AND p.purl_namespace "
						   "<> '' AND p.purl_name = ''",
				      pt, pn, NULL, KK_VMATCH_PURL, 80)))
			return rc;
	}
	char like[2 * KK_NAME_MAX + 3];
	if (in->product && *in->product) {
		if (strlen(in->product) > KK_NAME_MAX)
			return kk_diag_set(d, KK_EINVAL, "product", "product is longer than %d bytes", KK_NAME_MAX);
		kk_dir_like(in->product, like, sizeof(like));
		/* the directory's name inside the text as whole words ("Example Router RX-100 v2"; Japanese names
		 * anywhere), or the text inside the name */
		if ((rc = match_query(db, &m,
				      MATCH_P_COLS "WHERE p.name_en = ?2 COLLATE NOCASE OR p.name_ja = ?2", NULL, in->product,
				      NULL, KK_VMATCH_PRODUCT_NAME, 60)))
			return rc;
		if ((rc = match_query(db, &m,
				      MATCH_P_COLS "WHERE p.name_en LIKE ?1 ESCAPE '\\' OR p.name_ja LIKE ?1 ESCAPE '\\' OR "
						   "(length(p.name_en) >= 3 AND instr(' ' || lower(?2) || ' ', ' ' || lower(p.name_en) || ' ') > 0) OR "
						   "(length(p.name_ja) >= 2 AND instr(?2, p.name_ja) > 0)",
				      like, in->product, NULL, KK_VMATCH_PRODUCT_NAME, 50)))
			return rc;
		/* a vendor named in the product text ("Acme Router") */
		if ((rc = match_query(db, &m,
				      MATCH_V_COLS "WHERE (length(o.name) >= 3 AND instr(' ' || lower(?1) || ' ', ' ' || lower(o.name) || ' ') > 0) OR "
						   "(length(v.name_en) >= 3 AND instr(' ' || lower(?1) || ' ', ' ' || lower(v.name_en) || ' ') > 0) OR "
						   "(length(v.name_ja) >= 2 AND instr(?1, v.name_ja) > 0)",
				      in->product, NULL, NULL, KK_VMATCH_VENDOR_NAME, 35)))
			return rc;
	}
	if (in->vendor && *in->vendor) {
		if (strlen(in->vendor) > KK_NAME_MAX)
			return kk_diag_set(d, KK_EINVAL, "vendor", "vendor is longer than %d bytes", KK_NAME_MAX);
		kk_dir_like(in->vendor, like, sizeof(like));
		if ((rc = match_query(db, &m,
				      MATCH_V_COLS "WHERE o.name = ?2 COLLATE NOCASE OR v.name_en = ?2 COLLATE NOCASE OR "
						   "v.name_ja = ?2 OR v.cpe_vendor = lower(?2)",
				      NULL, in->vendor, NULL, KK_VMATCH_VENDOR_NAME, 65)) ||
		    (rc = match_query(db, &m,
				      MATCH_V_COLS "WHERE o.name LIKE ?1 ESCAPE '\\' OR v.name_en LIKE ?1 ESCAPE '\\' OR "
						   "v.name_ja LIKE ?1 ESCAPE '\\' OR (length(o.name) >= 3 AND "
						   "instr(' ' || lower(?2) || ' ', ' ' || lower(o.name) || ' ') > 0)",
				      like, in->vendor, NULL, KK_VMATCH_VENDOR_NAME, 40)))
			return rc;
	}
	qsort(m.out, (size_t)m.n, sizeof(*m.out), match_cmp);
	return m.n;
}

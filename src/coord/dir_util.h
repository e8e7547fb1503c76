/*
 * dir_util.h — field checks and helpers shared by directory.c, unreachable.c
 * and csv.c (the vendor directory's own files; not for other modules).
 * Each check returns 0 or KK_EINVAL with d->where = field and d->msg the fix.
 */
#ifndef KK_COORD_DIR_UTIL_H
#define KK_COORD_DIR_UTIL_H
#include "coord/directory.h"

/* KK_EINVAL unless inside kk_db_tx. */
int kk_dir_need_tx(struct kk_db *db);
/* kk_dir_need_tx, then the vendor into *v: KK_ENOTFOUND with d saying so. */
int kk_dir_begin(struct kk_db *db, int64_t org_id, struct kk_vendor *v, struct kk_diag *d);
/* One line of UTF-8 text, at most max bytes, no surrounding spaces; "" / NULL ok unless required. */
int kk_dir_text(const char *s, size_t max, bool required, const char *field, struct kk_diag *d);
/* "ja" or "en". */
int kk_dir_lang(const char *s, const char *field, struct kk_diag *d);
int kk_dir_email(const char *s, const char *field, struct kk_diag *d);
int kk_dir_phone(const char *s, const char *field, struct kk_diag *d);
/* s[0..n) as a lower-cased CPE attribute into out[0..cap). */
int kk_dir_cpe_attr(const char *s, size_t n, char *out, size_t cap, const char *field, struct kk_diag *d);
/*
 * "vendor:product", "product" (with default_vendor) or a cpe:2.3:/cpe:/ name
 * into vendor and product (both "" for NULL/"" input). product_optional: a
 * CPE name whose product is ANY gives product "" (a search), else an error.
 */
int kk_dir_parse_cpe(const char *s, const char *default_vendor, bool product_optional, char vendor[KK_VENDOR_CPE_MAX + 1],
		     char product[KK_VENDOR_CPE_MAX + 1], const char *field, struct kk_diag *d);
/* "pkg:type/ns/name" or "type/namespace" into type, ns, name (all "" for NULL/""). */
int kk_dir_parse_purl(const char *s, char type[KK_VENDOR_PURL_MAX + 1], char ns[KK_VENDOR_PURL_MAX + 1],
		      char name[KK_VENDOR_PURL_MAX + 1], const char *field, struct kk_diag *d);
/* "%s%" LIKE pattern with '\' escapes; cap >= 2 * strlen(s) + 3. */
void kk_dir_like(const char *s, char *out, size_t cap);
/* t plus months calendar months counted in Japan time (day clamped to the month's last). */
int64_t kk_dir_add_months(int64_t t, int months);
struct kk_json;
/* "key": ISO 8601 UTC time, or null for 0. */
void kk_dir_time_json(struct kk_json *j, const char *key, int64_t t);
/* [in tx] Audit row on object ("vendor", org_id). */
int kk_dir_audit(struct kk_db *db, const struct kk_actor *by, const char *action, int64_t org_id,
		 const char *summary, const char *before, const char *after);

#endif

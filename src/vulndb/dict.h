/*
 * dict.h — the vendor and product dictionary of the vulnerability database
 * (JVN iPedia's 製品開発者 / 製品 lists; schema 0009-vulndb-dict.sql).
 *
 * A vendor has a Japanese and/or an English name and a CPE vendor value
 * ("microsoft", WFN form: lowercase, punctuation quoted as CPE 2.3 does);
 * a vendor made from packages only has no CPE vendor but a purl type and
 * namespace ("npm" + "@babel", "golang" + "golang.org/x"). A product
 * belongs to one vendor and has names, a CPE vendor:product (and part
 * a/o/h) and/or a purl type/namespace/name.
 *
 * Where rows come from:
 *   - the MyJVN product dictionary (`keikai import --format jvn-products`,
 *     lines {"vid","vname","vcpe","pid","pname","pcpe"}): names and the
 *     MyJVN ids (jvn_vid, jvn_pid), so MyJVN-compatible answers keep the
 *     official ids;
 *   - every imported record: each CPE vendor:product of its configurations
 *     and each package of its affected list adds its vendor and product
 *     when they are new (names then stay NULL until the dictionary names
 *     them). Imports are idempotent: a row is matched by CPE or purl key
 *     first, then by MyJVN id, and only filled in, never duplicated.
 *
 * Names: a JVN name with non-ASCII characters is name_ja, an ASCII one
 * name_en (JVN uses one name for both). Callers that show one name should
 * use kk_dict_display_name(ja, en, cpe, lang).
 *
 * Matching (prefix, keyword) is on the NFKC case-folded names and CPE
 * values, so "ＭＩＣＲＯ", "micro" and "Micro" find the same vendors.
 *
 * Ownership: every string handed to a callback lives only during that
 * callback (copy what you keep). Query strings belong to the caller.
 * Thread-safety: as struct kk_db (one connection per thread).
 *
 * Returns: 0, KK_ENOTFOUND (lookups), KK_EINVAL with d naming the field and
 * the fix (bad CPE, limit out of range), KK_EDB, or the callback's negative
 * return, which stops the listing and is returned as is.
 */
#ifndef KK_VULNDB_DICT_H
#define KK_VULNDB_DICT_H
#include "base/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kk_db;

#define KK_DICT_LIMIT_MAX 10000

struct kk_dict_vendor {
	int64_t id;                             /* keikai's vendor id (stable) */
	int64_t jvn_vid;                        /* MyJVN vendor id, 0 when not from the dictionary */
	const char *cpe_vendor;                 /* "microsoft"; NULL for a package-only vendor */
	const char *purl_type, *purl_namespace; /* package vendors ("npm", "@babel"); else NULL */
	const char *name_ja, *name_en;          /* NULL when unknown */
	long nproducts;                         /* products of this vendor in the dictionary */
};

struct kk_dict_product {
	int64_t id;        /* keikai's product id (stable) */
	int64_t vendor_id; /* keikai's vendor id */
	int64_t jvn_pid;   /* MyJVN product id, 0 when none */
	int64_t jvn_vid;   /* the vendor's MyJVN id, 0 when none */
	const char *part;  /* "a", "o", "h", or NULL (package) */
	const char *cpe_vendor, *cpe_product;               /* NULL for a package-only product */
	const char *purl_type, *purl_namespace, *purl_name; /* NULL when no package is known */
	const char *name_ja, *name_en;                      /* NULL when unknown */
	const char *vendor_name_ja, *vendor_name_en;        /* the vendor's names */
};

/*
 * What to list. Every field is off when zero/NULL; set fields are ANDed.
 * prefix:  a name (ja or en) or the CPE value starts with it (folded)
 * keyword: a name (ja or en) or the CPE value contains it (folded)
 * cpe:     exact CPE key: "vendor" / "vendor:product", or a CPE name
 *          ("cpe:/a:vendor:product", "cpe:2.3:a:vendor:product:...") whose
 *          vendor (and product) are used
 * vendor_id / jvn_vid: products of that vendor (products only)
 * product_id / jvn_pid: that product (products only)
 * offset, limit: paging (limit 0 means 100; at most KK_DICT_LIMIT_MAX)
 * Order: by CPE value then id (stable across pages).
 */
struct kk_dict_query {
	const char *prefix, *keyword, *cpe;
	int64_t vendor_id, jvn_vid, product_id, jvn_pid;
	/*
	 * Lists (MyJVN's "+"-joined values), each off when its count is 0:
	 * pats: a CPE pattern of them matches (kk_dict_cpe_pattern);
	 * vendor_ids / jvn_vids: a vendor among them (either list), and for
	 * products product_ids / jvn_pids likewise. At most KK_DICT_LIST_MAX each.
	 */
	const struct kk_dict_cpe_pat *pats;
	int npats;
	const int64_t *vendor_ids, *jvn_vids, *product_ids, *jvn_pids;
	int nvendor_ids, njvn_vids, nproduct_ids, njvn_pids;
	bool cpe_only;  /* only entries with a CPE name (what MyJVN lists) */
	bool by_vendor; /* products ordered by vendor (CPE value, id), then product: one stretch per vendor */
	long offset;
	int limit;
};

#define KK_DICT_LIST_MAX 10
#define KK_DICT_PAT_MAX 256

/*
 * A CPE name pattern as MyJVN's cpeName takes it: cpe:/{part}:{vendor}[:{product}]
 * with part a, o, h, * or empty, "*" anywhere in vendor and product
 * matching any run of characters, ASCII case ignored, CPE 2.2 percent
 * escapes (%40 for @). vendor and product hold SQL GLOB patterns over the
 * dictionary's formatted-string values ("\@mail"); product "" matches any.
 */
struct kk_dict_cpe_pat {
	char part; /* 'a', 'o', 'h', or 0 for any */
	char vendor[KK_DICT_PAT_MAX], product[KK_DICT_PAT_MAX];
	bool wild; /* vendor or product holds a wildcard */
};

/* Parses s[0..len) into *p. 0, or KK_EINVAL with d (field "cpeName") naming the fault and the form. */
int kk_dict_cpe_pattern(const char *s, size_t len, struct kk_dict_cpe_pat *p, struct kk_diag *d);

/* Vendors matching q: row(arg, v) for each of the page; *total (may be NULL) = all matches. */
int kk_dict_vendors(struct kk_db *db, const struct kk_dict_query *q,
                    int (*row)(void *arg, const struct kk_dict_vendor *v), void *arg, long *total,
                    struct kk_diag *d);

/* Products matching q (see above): row(arg, p) for each of the page; *total (may be NULL). */
int kk_dict_products(struct kk_db *db, const struct kk_dict_query *q,
                     int (*row)(void *arg, const struct kk_dict_product *p), void *arg, long *total,
                     struct kk_diag *d);

/* One vendor by keikai id: row called once, or KK_ENOTFOUND. */
int kk_dict_vendor_get(struct kk_db *db, int64_t id, int (*row)(void *arg, const struct kk_dict_vendor *v),
                       void *arg);

/*
 * The product with CPE vendor:product of cpe ("vendor:product", a CPE 2.2
 * URI or a CPE 2.3 name; the version and later parts are ignored): row
 * called once, KK_ENOTFOUND, or KK_EINVAL when cpe names no vendor and
 * product.
 */
int kk_dict_find_cpe(struct kk_db *db, const char *cpe, int (*row)(void *arg, const struct kk_dict_product *p),
                     void *arg, struct kk_diag *d);

/* The name to show in lang ("ja" or "en"): that language's name, else the other one, else cpe (may be NULL). */
const char *kk_dict_display_name(const char *name_ja, const char *name_en, const char *cpe, const char *lang);

/* Counts of the dictionary: vendors, products (either may be NULL). */
int kk_dict_counts(struct kk_db *db, long *vendors, long *products);

#endif

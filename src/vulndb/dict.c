/*
 * dict.c — reading the vendor and product dictionary (dict.h): listings
 * with prefix/keyword/CPE filters and paging, lookups by id and by CPE.
 */
#include "vulndb/dict.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/err.h"
#include "std/cpe.h"
#include "store/db.h"
#include "vulndb/affected.h"
#include "vulndb/fold.h"
#include <stdio.h>
#include <string.h>

const char *kk_dict_display_name(const char *name_ja, const char *name_en, const char *cpe, const char *lang)
{
	bool en = lang && !strcmp(lang, "en");
	const char *first = en ? name_en : name_ja, *second = en ? name_ja : name_en;
	return first && *first ? first : second && *second ? second : cpe;
}

/* A query's bound values, collected while the WHERE clause is written. */
struct where {
	struct kk_buf sql;
	int n;
	struct {
		char t;
		int64_t i;
		char *s; /* kk_malloc'd */
	} b[12];
};

static void w_int(struct where *w, const char *frag, int64_t v)
{
	kk_buf_add(&w->sql, frag, strlen(frag));
	if (w->n < 12)
		w->b[w->n].t = 'i', w->b[w->n++].i = v;
}

/* frag with one '?' bound to s (copied). */
static int w_str(struct where *w, const char *frag, const char *s, size_t len)
{
	char *c = kk_malloc(len + 1);
	if (!c)
		return KK_ENOMEM;
	memcpy(c, s, len);
	c[len] = 0;
	kk_buf_add(&w->sql, frag, strlen(frag));
	if (w->n < 12)
		w->b[w->n].t = 's', w->b[w->n++].s = c;
	else
		kk_free(c);
	return 0;
}

static void w_release(struct where *w)
{
	for (int i = 0; i < w->n; i++)
		if (w->b[i].t == 's')
			kk_free(w->b[i].s);
	kk_buf_release(&w->sql);
}

static int w_prepare(struct kk_db *db, struct where *w, struct kk_stmt **st)
{
	if (kk_buf_error(&w->sql))
		return KK_ETOOBIG;
	KK_TRY(kk_db_prepare(db, w->sql.ptr, st));
	for (int i = 0; i < w->n; i++)
		if (w->b[i].t == 'i')
			kk_stmt_bind_int64(*st, i + 1, w->b[i].i);
		else
			kk_stmt_bind_text(*st, i + 1, w->b[i].s, -1);
	return 0;
}

/* A LIKE pattern of the folded text: "%kw%" or "kw%" with % _ \ escaped. */
static int like(const char *text, bool prefix, char **out, struct kk_diag *d, const char *field)
{
	char *f;
	int rc = kk_search_fold(text, strlen(text), &f);
	if (rc)
		return rc == KK_EINVAL ? kk_diag_set(d, KK_EINVAL, field, "%s must be UTF-8 text", field) : rc;
	size_t n = strlen(f);
	char *p = kk_malloc(2 * n + 3), *o = p;
	if (!p) {
		kk_free(f);
		return KK_ENOMEM;
	}
	if (!prefix)
		*o++ = '%';
	for (size_t i = 0; i < n; i++) {
		if (f[i] == '%' || f[i] == '_' || f[i] == '\\')
			*o++ = '\\';
		*o++ = f[i];
	}
	*o++ = '%';
	*o = 0;
	kk_free(f);
	*out = p;
	return 0;
}

/*
 * The CPE key of q->cpe: vendor and (when given) product in formatted
 * string form. "vendor" and "vendor:product" are taken as they are.
 */
static int cpe_key(const char *cpe, char *vendor, char *product, size_t cap, struct kk_diag *d)
{
	char fs[4 * KK_AFFECT_CPE_MAX + 256];
	product[0] = 0;
	if (strncmp(cpe, "cpe:", 4)) {
		size_t v = strcspn(cpe, ":");
		if (!v || v >= cap || strlen(cpe + v) >= cap || strchr(cpe + v + (cpe[v] == ':'), ':'))
			return kk_diag_set(d, KK_EINVAL, "cpe",
			                   "cpe must be VENDOR, VENDOR:PRODUCT or a CPE name (cpe:/a:vendor:product)");
		snprintf(vendor, cap, "%.*s", (int)v, cpe);
		snprintf(product, cap, "%s", cpe[v] == ':' ? cpe + v + 1 : "");
		return 0;
	}
	if (strlen(cpe) > KK_AFFECT_CPE_MAX || kk_affect_cpe_fs(cpe, fs, sizeof fs) ||
	    !kk_cpe_fs_field(fs, 1, vendor, cap) || !strcmp(vendor, "*"))
		return kk_diag_set(d, KK_EINVAL, "cpe", "cpe must be a CPE name with a vendor (cpe:/a:vendor:product)");
	if (!kk_cpe_fs_field(fs, 2, product, cap) || !strcmp(product, "*"))
		product[0] = 0;
	return 0;
}

#define KK_TRY_W(x)                                                                                          \
	do {                                                                                                 \
		int rc_ = (x);                                                                               \
		if (rc_ < 0) {                                                                               \
			w_release(&w);                                                                       \
			return rc_;                                                                          \
		}                                                                                            \
	} while (0)

/* Appends the prefix/keyword conditions on alias t's fold column. */
static int add_text(struct where *w, const struct kk_dict_query *q, const char *t, struct kk_diag *d)
{
	char *p, frag[96];
	if (q->prefix && *q->prefix) {
		/* a name or key starts with it: at the start or after a U+001F separator */
		KK_TRY(like(q->prefix, true, &p, d, "prefix"));
		snprintf(frag, sizeof frag, " AND ('\x1f' || %s.fold) LIKE ('%%\x1f' || ?) ESCAPE '\\'", t);
		int rc = w_str(w, frag, p, strlen(p));
		kk_free(p);
		KK_TRY(rc);
	}
	if (q->keyword && *q->keyword) {
		KK_TRY(like(q->keyword, false, &p, d, "keyword"));
		snprintf(frag, sizeof frag, " AND %s.fold LIKE ? ESCAPE '\\'", t);
		int rc = w_str(w, frag, p, strlen(p));
		kk_free(p);
		KK_TRY(rc);
	}
	return 0;
}

static int check_page(const struct kk_dict_query *q, int *limit, struct kk_diag *d)
{
	*limit = q->limit ? q->limit : 100;
	if (*limit < 1 || *limit > KK_DICT_LIMIT_MAX)
		return kk_diag_set(d, KK_EINVAL, "limit", "limit must be 1..%d", KK_DICT_LIMIT_MAX);
	if (q->offset < 0)
		return kk_diag_set(d, KK_EINVAL, "offset", "offset must be 0 or more");
	return 0;
}

static long count(struct kk_db *db, struct where *w, int *rc)
{
	struct kk_stmt *st;
	long n = 0;
	if ((*rc = w_prepare(db, w, &st)))
		return 0;
	if ((*rc = kk_stmt_step(st)) == KK_ROW)
		n = (long)kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	*rc = *rc < 0 ? *rc : 0;
	return n;
}

#define VENDOR_COLS                                                                                          \
	"v.id, coalesce(v.jvn_vid, 0), v.cpe_vendor, v.purl_type, v.purl_namespace, v.name_ja, v.name_en, "  \
	"(SELECT count(*) FROM vuln_product p WHERE p.vendor_id = v.id)"

static const char *nul(struct kk_stmt *st, int col)
{
	return kk_stmt_is_null(st, col) ? NULL : kk_stmt_text(st, col);
}

static int vendor_rows(struct kk_stmt *st, int (*row)(void *, const struct kk_dict_vendor *), void *arg, int *n)
{
	int rc;
	*n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_dict_vendor v = {
		    .id = kk_stmt_int64(st, 0),
		    .jvn_vid = kk_stmt_int64(st, 1),
		    .cpe_vendor = nul(st, 2),
		    .purl_type = nul(st, 3),
		    .purl_namespace = nul(st, 4),
		    .name_ja = nul(st, 5),
		    .name_en = nul(st, 6),
		    .nproducts = (long)kk_stmt_int64(st, 7),
		};
		++*n;
		if (row && (rc = row(arg, &v)) < 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* The WHERE of a vendor listing (after "FROM vuln_vendor v WHERE 1"). */
static int vendor_where(struct where *w, const struct kk_dict_query *q, struct kk_diag *d)
{
	char vendor[512], product[512];
	KK_TRY(add_text(w, q, "v", d));
	if (q->cpe && *q->cpe) {
		KK_TRY(cpe_key(q->cpe, vendor, product, sizeof vendor, d));
		KK_TRY(w_str(w, " AND v.cpe_vendor = ?", vendor, strlen(vendor)));
	}
	if (q->vendor_id)
		w_int(w, " AND v.id = ?", q->vendor_id);
	if (q->jvn_vid)
		w_int(w, " AND v.jvn_vid = ?", q->jvn_vid);
	return 0;
}

/*
 * A paged listing: the count (when total) and the page of `from` filtered
 * by where(), ordered by `order`; the prepared page statement in *st.
 */
static int paged(struct kk_db *db, const struct kk_dict_query *q, const char *cols, const char *from,
                 int (*where)(struct where *, const struct kk_dict_query *, struct kk_diag *), const char *order,
                 long *total, struct kk_stmt **st, struct kk_diag *d)
{
	int limit, rc;
	KK_TRY(check_page(q, &limit, d));
	struct where w = {0};
	kk_buf_init(&w.sql, 4096);
	if (total) {
		kk_buf_printf(&w.sql, "SELECT count(*) FROM %s WHERE 1", from);
		KK_TRY_W(where(&w, q, d));
		*total = count(db, &w, &rc);
		w_release(&w);
		KK_TRY(rc);
		kk_buf_init(&w.sql, 4096);
		w.n = 0;
	}
	kk_buf_printf(&w.sql, "SELECT %s FROM %s WHERE 1", cols, from);
	KK_TRY_W(where(&w, q, d));
	kk_buf_printf(&w.sql, " ORDER BY %s", order);
	w_int(&w, " LIMIT ?", limit);
	w_int(&w, " OFFSET ?", q->offset);
	rc = w_prepare(db, &w, st);
	w_release(&w);
	return rc;
}

int kk_dict_vendors(struct kk_db *db, const struct kk_dict_query *q,
                    int (*row)(void *arg, const struct kk_dict_vendor *v), void *arg, long *total,
                    struct kk_diag *d)
{
	struct kk_stmt *st;
	int rc = paged(db, q, VENDOR_COLS, "vuln_vendor v", vendor_where,
	               "coalesce(v.cpe_vendor, v.purl_type || '/' || v.purl_namespace), v.id", total, &st, d);
	int n;
	return rc ? rc : vendor_rows(st, row, arg, &n);
}

int kk_dict_vendor_get(struct kk_db *db, int64_t id, int (*row)(void *arg, const struct kk_dict_vendor *v),
                       void *arg)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, "SELECT " VENDOR_COLS " FROM vuln_vendor v WHERE v.id = ?", &st));
	kk_stmt_bind_int64(st, 1, id);
	int n, rc = vendor_rows(st, row, arg, &n);
	return rc ? rc : n ? 0 : KK_ENOTFOUND;
}

#define PRODUCT_COLS                                                                                         \
	"p.id, p.vendor_id, coalesce(p.jvn_pid, 0), coalesce(v.jvn_vid, 0), p.part, p.cpe_vendor, "          \
	"p.cpe_product, p.purl_type, p.purl_namespace, p.purl_name, p.name_ja, p.name_en, v.name_ja, "       \
	"v.name_en"

static int product_rows(struct kk_stmt *st, int (*row)(void *, const struct kk_dict_product *), void *arg,
                        int *n)
{
	int rc;
	*n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_dict_product p = {
		    .id = kk_stmt_int64(st, 0),
		    .vendor_id = kk_stmt_int64(st, 1),
		    .jvn_pid = kk_stmt_int64(st, 2),
		    .jvn_vid = kk_stmt_int64(st, 3),
		    .part = nul(st, 4),
		    .cpe_vendor = nul(st, 5),
		    .cpe_product = nul(st, 6),
		    .purl_type = nul(st, 7),
		    .purl_namespace = nul(st, 8),
		    .purl_name = nul(st, 9),
		    .name_ja = nul(st, 10),
		    .name_en = nul(st, 11),
		    .vendor_name_ja = nul(st, 12),
		    .vendor_name_en = nul(st, 13),
		};
		++*n;
		if (row && (rc = row(arg, &p)) < 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

static int product_where(struct where *w, const struct kk_dict_query *q, struct kk_diag *d)
{
	char vendor[512], product[512];
	KK_TRY(add_text(w, q, "p", d));
	if (q->cpe && *q->cpe) {
		KK_TRY(cpe_key(q->cpe, vendor, product, sizeof vendor, d));
		KK_TRY(w_str(w, " AND p.cpe_vendor = ?", vendor, strlen(vendor)));
		if (product[0])
			KK_TRY(w_str(w, " AND p.cpe_product = ?", product, strlen(product)));
	}
	if (q->vendor_id)
		w_int(w, " AND p.vendor_id = ?", q->vendor_id);
	if (q->jvn_vid)
		w_int(w, " AND v.jvn_vid = ?", q->jvn_vid);
	if (q->product_id)
		w_int(w, " AND p.id = ?", q->product_id);
	if (q->jvn_pid)
		w_int(w, " AND p.id IN (SELECT product_id FROM vuln_product_jvn WHERE pid = ?)", q->jvn_pid);
	return 0;
}

int kk_dict_products(struct kk_db *db, const struct kk_dict_query *q,
                     int (*row)(void *arg, const struct kk_dict_product *p), void *arg, long *total,
                     struct kk_diag *d)
{
	struct kk_stmt *st;
	int rc = paged(db, q, PRODUCT_COLS, "vuln_product p JOIN vuln_vendor v ON v.id = p.vendor_id", product_where,
	               "coalesce(p.cpe_product, p.purl_name), p.id", total, &st, d);
	int n;
	return rc ? rc : product_rows(st, row, arg, &n);
}

int kk_dict_find_cpe(struct kk_db *db, const char *cpe, int (*row)(void *arg, const struct kk_dict_product *p),
                     void *arg, struct kk_diag *d)
{
	char vendor[512], product[512];
	KK_TRY(cpe_key(cpe, vendor, product, sizeof vendor, d));
	if (!product[0])
		return kk_diag_set(d, KK_EINVAL, "cpe", "name a product: VENDOR:PRODUCT or cpe:/a:vendor:product");
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db,
	                          "SELECT " PRODUCT_COLS " FROM vuln_product p JOIN vuln_vendor v ON v.id = p.vendor_id "
	                          "WHERE p.cpe_vendor = ? AND p.cpe_product = ?",
	                          &st));
	kk_stmt_bind_text(st, 1, vendor, -1);
	kk_stmt_bind_text(st, 2, product, -1);
	int n, rc = product_rows(st, row, arg, &n);
	return rc ? rc : n ? 0 : KK_ENOTFOUND;
}

int kk_dict_counts(struct kk_db *db, long *vendors, long *products)
{
	static const char *const sql[2] = {"SELECT count(*) FROM vuln_vendor", "SELECT count(*) FROM vuln_product"};
	long *out[2] = {vendors, products};
	for (int i = 0; i < 2; i++) {
		struct kk_stmt *st;
		if (!out[i])
			continue;
		KK_TRY(kk_db_prepare(db, sql[i], &st));
		int rc = kk_stmt_step(st);
		*out[i] = rc == KK_ROW ? (long)kk_stmt_int64(st, 0) : 0;
		kk_stmt_done(st);
		if (rc < 0)
			return rc;
	}
	return 0;
}

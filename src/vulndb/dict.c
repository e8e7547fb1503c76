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
#include <stdlib.h>
#include <string.h>

const char *kk_dict_display_name(const char *name_ja, const char *name_en, const char *cpe, const char *lang)
{
	bool en = lang && !strcmp(lang, "en");
	const char *first = en ? name_en : name_ja, *second = en ? name_ja : name_en;
	return first && *first ? first : second && *second ? second : cpe;
}

/* A query's bound values, collected while the WHERE clause is written (lists: 4 x 10 ids, 10 patterns x 2). */
#define W_BINDS 96
struct where {
	struct kk_buf sql;
	int n;
	struct {
		char t;
		int64_t i;
		char *s; /* kk_malloc'd */
	} b[W_BINDS];
};

static void w_int(struct where *w, const char *frag, int64_t v)
{
	kk_buf_add(&w->sql, frag, strlen(frag));
	if (w->n < W_BINDS)
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
	if (w->n < W_BINDS)
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

/*
 * One field of a CPE 2.2 URI pattern into a GLOB over formatted-string
 * values: %XX decoded, letters lowercased, '*' a wildcard, punctuation
 * quoted as CPE 2.3 does (alnum, '_', '.', '-' bare), GLOB's own [ ] ?
 * taken literally. 0, or -1 when it does not fit or holds a bad escape.
 */
static int pat_field(const char *s, size_t n, char *out, size_t cap, bool *wild)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '%') {
			char hex[3] = {i + 2 < n ? s[i + 1] : 0, i + 2 < n ? s[i + 2] : 0, 0}, *end;
			long v = strtol(hex, &end, 16);
			if (!hex[1] || *end || v < 0x21 || v > 0x7e)
				return -1;
			c = (int)v;
			i += 2;
		} else if (c == '*') {
			if (o + 1 >= cap)
				return -1;
			out[o++] = '*';
			*wild = true;
			continue;
		} else if (c <= 0x20 || c > 0x7e) {
			return -1;
		}
		if (c >= 'A' && c <= 'Z')
			c += 32;
		char tmp[6];
		size_t t = 0;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			tmp[t++] = '\\';
		if (c == '[' || c == ']' || c == '?' || c == '*') {
			tmp[t++] = '[';
			tmp[t++] = (char)c;
			tmp[t++] = ']';
		} else {
			tmp[t++] = (char)c;
		}
		if (o + t >= cap)
			return -1;
		memcpy(out + o, tmp, t);
		o += t;
	}
	out[o] = 0;
	return 0;
}

int kk_dict_cpe_pattern(const char *s, size_t len, struct kk_dict_cpe_pat *p, struct kk_diag *d)
{
	memset(p, 0, sizeof *p);
	static const char form[] = "give cpe:/{a|o|h|*}:{vendor}[:{product}] (\"*\" matches any characters), "
	                           "several joined by '+'";
	if (len < 5 || strncmp(s, "cpe:/", 5))
		return kk_diag_set(d, KK_EINVAL, "cpeName", "'%.*s' is not a CPE 2.2 name: %s", (int)(len > 200 ? 200 : len),
		                   s, form);
	const char *e = s + len, *f = s + 5, *c = memchr(f, ':', (size_t)(e - f));
	size_t n = c ? (size_t)(c - f) : (size_t)(e - f);
	if (n > 1 || (n == 1 && !strchr("aoh*AOH", *f)) || !c)
		return kk_diag_set(d, KK_EINVAL, "cpeName", "'%.*s': the part is a, o, h, * or empty and a vendor follows; %s",
		                   (int)(len > 200 ? 200 : len), s, form);
	p->part = n == 1 && *f != '*' ? (char)(*f | 32) : 0;
	f = c + 1;
	c = memchr(f, ':', (size_t)(e - f));
	const char *ve = c ? c : e;
	const char *pe = c ? memchr(c + 1, ':', (size_t)(e - c - 1)) : NULL;
	if (!pe)
		pe = e;
	if (ve == f || pat_field(f, (size_t)(ve - f), p->vendor, sizeof p->vendor, &p->wild) ||
	    (c && pat_field(c + 1, (size_t)(pe - c - 1), p->product, sizeof p->product, &p->wild)))
		return kk_diag_set(d, KK_EINVAL, "cpeName",
		                   "'%.*s' names no vendor or holds a character a CPE name cannot (escape others as %%XX); %s",
		                   (int)(len > 200 ? 200 : len), s, form);
	if (!strcmp(p->product, "*"))
		p->product[0] = 0; /* any product */
	return 0;
}

/*
 * One "col IN (?, ...)" term of an ORed group: " AND (" before the first,
 * " OR " before the others (a constant term in the group would keep SQLite
 * from using the indexes of the others). *open counts the terms written.
 */
static void w_in(struct where *w, int *open, const char *col, const int64_t *ids, int n)
{
	if (n <= 0)
		return;
	kk_buf_puts(&w->sql, (*open)++ ? " OR " : " AND (");
	kk_buf_printf(&w->sql, "%s IN (", col);
	for (int k = 0; k < n && k < KK_DICT_LIST_MAX; k++)
		w_int(w, k ? ", ?" : "?", ids[k]);
	kk_buf_puts(&w->sql, ")");
}

static void w_close(struct where *w, int open)
{
	if (open)
		kk_buf_puts(&w->sql, ")");
}

/* " AND ((vendor GLOB ? [AND product GLOB ?] [AND part = ?]) OR ...)" over table alias t. */
static int w_pats(struct where *w, const struct kk_dict_query *q, const char *t, bool products)
{
	if (q->npats <= 0)
		return 0;
	kk_buf_puts(&w->sql, " AND (");
	for (int k = 0; k < q->npats && k < KK_DICT_LIST_MAX; k++) {
		const struct kk_dict_cpe_pat *p = &q->pats[k];
		char frag[96];
		snprintf(frag, sizeof frag, "%s(%s.cpe_vendor %s ?", k ? " OR " : "", t, p->wild ? "GLOB" : "=");
		KK_TRY(w_str(w, frag, p->vendor, strlen(p->vendor)));
		if (products && p->product[0]) {
			snprintf(frag, sizeof frag, " AND %s.cpe_product %s ?", t, strchr(p->product, '*') ? "GLOB" : "=");
			KK_TRY(w_str(w, frag, p->product, strlen(p->product)));
		}
		if (products && p->part)
			KK_TRY(w_str(w, " AND p.part = ?", &p->part, 1));
		else if (!products && (p->part || p->product[0])) {
			/* a vendor having such products */
			kk_buf_puts(&w->sql, " AND EXISTS (SELECT 1 FROM vuln_product x WHERE x.vendor_id = v.id");
			if (p->product[0])
				KK_TRY(w_str(w, strchr(p->product, '*') ? " AND x.cpe_product GLOB ?" : " AND x.cpe_product = ?",
				             p->product, strlen(p->product)));
			if (p->part)
				KK_TRY(w_str(w, " AND x.part = ?", &p->part, 1));
			kk_buf_puts(&w->sql, ")");
		}
		kk_buf_puts(&w->sql, ")");
	}
	kk_buf_puts(&w->sql, ")");
	return 0;
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
	if (q->cpe_only)
		kk_buf_puts(&w->sql, " AND v.cpe_vendor IS NOT NULL");
	KK_TRY(w_pats(w, q, "v", false));
	int open = 0;
	w_in(w, &open, "v.id", q->vendor_ids, q->nvendor_ids);
	w_in(w, &open, "v.jvn_vid", q->jvn_vids, q->njvn_vids);
	w_close(w, open);
	return 0;
}

/*
 * "SELECT <what> FROM <from> WHERE 1 <where>" into w. lean: the listed
 * table alone ("vuln_product p"), used instead of from (its join) when the
 * conditions name no column of the joined table ("v.") — a count or an
 * OFFSET then reads one index instead of seeking the join per row.
 */
static int w_select(struct where *w, const struct kk_dict_query *q, const char *what, const char *from,
                    const char *lean, int (*where)(struct where *, const struct kk_dict_query *, struct kk_diag *),
                    struct kk_diag *d)
{
	for (int pass = lean ? 0 : 1; pass < 2; pass++) {
		size_t at = w->sql.len;
		int n = w->n;
		kk_buf_printf(&w->sql, "SELECT %s FROM %s WHERE 1", what, pass ? from : lean);
		size_t cond = w->sql.len;
		KK_TRY(where(w, q, d));
		if (pass || !strstr(w->sql.ptr + cond, "v."))
			return 0;
		for (int i = n; i < w->n; i++) /* again, with the join */
			if (w->b[i].t == 's')
				kk_free(w->b[i].s);
		w->n = n;
		kk_buf_truncate(&w->sql, at);
	}
	return 0;
}

/*
 * A paged listing: the count (when total) and the page of `from` filtered
 * by where(), ordered by `order`; the prepared page statement in *st. The
 * page's keys are chosen first (key: "p.id"), its columns read for them only.
 */
static int paged(struct kk_db *db, const struct kk_dict_query *q, const char *cols, const char *from,
                 const char *lean, const char *key,
                 int (*where)(struct where *, const struct kk_dict_query *, struct kk_diag *), const char *order,
                 long *total, struct kk_stmt **st, struct kk_diag *d)
{
	int limit, rc;
	KK_TRY(check_page(q, &limit, d));
	struct where w = {0};
	kk_buf_init(&w.sql, 4096);
	if (total) {
		KK_TRY_W(w_select(&w, q, "count(*)", from, lean, where, d));
		*total = count(db, &w, &rc);
		w_release(&w);
		KK_TRY(rc);
		kk_buf_init(&w.sql, 4096);
		w.n = 0;
	}
	kk_buf_printf(&w.sql, "SELECT %s FROM %s WHERE %s IN (", cols, from, key);
	KK_TRY_W(w_select(&w, q, key, from, lean, where, d));
	kk_buf_printf(&w.sql, " ORDER BY %s", order);
	w_int(&w, " LIMIT ?", limit);
	w_int(&w, " OFFSET ?", q->offset);
	kk_buf_printf(&w.sql, ") ORDER BY %s", order);
	rc = w_prepare(db, &w, st);
	w_release(&w);
	return rc;
}

int kk_dict_vendors(struct kk_db *db, const struct kk_dict_query *q,
                    int (*row)(void *arg, const struct kk_dict_vendor *v), void *arg, long *total,
                    struct kk_diag *d)
{
	struct kk_stmt *st;
	int rc = paged(db, q, VENDOR_COLS, "vuln_vendor v", NULL, "v.id", vendor_where,
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
	if (q->cpe_only)
		kk_buf_puts(&w->sql, " AND p.cpe_vendor IS NOT NULL AND p.cpe_product IS NOT NULL");
	KK_TRY(w_pats(w, q, "p", true));
	int open = 0;
	w_in(w, &open, "p.vendor_id", q->vendor_ids, q->nvendor_ids);
	w_in(w, &open, "v.jvn_vid", q->jvn_vids, q->njvn_vids);
	w_close(w, open);
	open = 0;
	w_in(w, &open, "p.id", q->product_ids, q->nproduct_ids);
	/* a MyJVN pid names its product through vuln_product_jvn */
	w_in(w, &open, "p.id IN (SELECT j.product_id FROM vuln_product_jvn j WHERE j.pid", q->jvn_pids, q->njvn_pids);
	if (q->njvn_pids > 0)
		kk_buf_puts(&w->sql, ")");
	w_close(w, open);
	return 0;
}

int kk_dict_products(struct kk_db *db, const struct kk_dict_query *q,
                     int (*row)(void *arg, const struct kk_dict_product *p), void *arg, long *total,
                     struct kk_diag *d)
{
	struct kk_stmt *st;
	int rc = paged(db, q, PRODUCT_COLS, "vuln_product p JOIN vuln_vendor v ON v.id = p.vendor_id", "vuln_product p",
	               "p.id", product_where,
	               q->by_vendor ? "p.cpe_vendor, p.vendor_id, p.cpe_product, p.id"
	                            : "coalesce(p.cpe_product, p.purl_name), p.id",
	               total, &st, d);
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

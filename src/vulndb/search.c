/*
 * search.c — keyword search (FTS5 over normalized, CJK-bigram text), its
 * index maintenance, and the full-record JSON the API and pages show.
 */
#include "vulndb/search.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/str.h"
#include "base/utf8.h"
#include "store/db.h"
#include "vulndb/affected.h"
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- normalization ---- */

static bool is_cjk(utf8proc_int32_t c)
{
	return (c >= 0x3040 && c <= 0x30FF) || /* hiragana, katakana */
	       (c >= 0x31F0 && c <= 0x31FF) || /* katakana extensions */
	       (c >= 0x3400 && c <= 0x4DBF) || /* CJK extension A */
	       (c >= 0x4E00 && c <= 0x9FFF) || /* CJK unified */
	       (c >= 0xAC00 && c <= 0xD7AF) || /* Hangul */
	       (c >= 0xF900 && c <= 0xFAFF) || /* compatibility ideographs */
	       (c >= 0x20000 && c <= 0x3FFFF); /* extensions B.. */
}

/* NFKC + case fold into a code point array (kk_malloc); *len code points. */
static int fold(const char *s, size_t n, utf8proc_int32_t **out, size_t *len)
{
	if (!kk_utf8_valid(s, n))
		return KK_EINVAL;
	const int opts = UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE;
	utf8proc_ssize_t m =
	    utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, NULL, 0, opts);
	if (m < 0)
		return KK_EINVAL;
	utf8proc_int32_t *cp = kk_malloc(((size_t)m + 1) * sizeof(*cp));
	if (!cp)
		return KK_ENOMEM;
	m = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, cp, m, opts);
	if (m >= 0)
		m = utf8proc_normalize_utf32(cp, m, opts);
	if (m < 0) {
		kk_free(cp);
		return KK_EINVAL;
	}
	*out = cp;
	*len = (size_t)m;
	return 0;
}

static char *put(char *o, utf8proc_int32_t c)
{
	return o + utf8proc_encode_char(c, (utf8proc_uint8_t *)o);
}

/*
 * Writes cp[0..n) with each CJK run expanded to bigrams; `tail` adds a run's
 * last character after its bigrams (always in the index; in a query only
 * when more of the term follows the run). o needs 10 bytes per code point.
 * Returns the end of the output.
 */
static char *expand(const utf8proc_int32_t *cp, size_t n, char *o, bool query_end_open, bool *lone_at_end)
{
	size_t i = 0;
	if (lone_at_end)
		*lone_at_end = false;
	while (i < n) {
		if (!is_cjk(cp[i])) {
			o = put(o, cp[i++]);
			continue;
		}
		size_t j = i;
		while (j < n && is_cjk(cp[j]))
			j++;
		*o++ = ' ';
		for (size_t k = i; k + 1 < j; k++) {
			o = put(o, cp[k]);
			o = put(o, cp[k + 1]);
			*o++ = ' ';
		}
		bool at_end = j == n;
		if (j - i == 1 || !at_end || !query_end_open) {
			o = put(o, cp[j - 1]);
			*o++ = ' ';
		}
		if (at_end && j - i == 1 && lone_at_end)
			*lone_at_end = true;
		i = j;
	}
	*o = 0;
	return o;
}

int kk_search_normalize(const char *s, size_t n, char **out)
{
	utf8proc_int32_t *cp;
	size_t len;
	int rc = fold(s, n, &cp, &len);
	if (rc)
		return rc;
	char *o = kk_malloc(len * 10 + 1);
	if (!o) {
		kk_free(cp);
		return KK_ENOMEM;
	}
	expand(cp, len, o, false, NULL);
	kk_free(cp);
	*out = o;
	return 0;
}

int kk_search_fold(const char *s, size_t n, char **out)
{
	utf8proc_int32_t *cp;
	size_t len;
	int rc = fold(s, n, &cp, &len);
	if (rc)
		return rc;
	char *o = kk_malloc(len * 4 + 1), *e = o;
	if (o) {
		for (size_t i = 0; i < len; i++)
			e = put(e, cp[i]);
		*e = 0;
	}
	kk_free(cp);
	*out = o;
	return o ? 0 : KK_ENOMEM;
}

/* ---- query parsing ---- */

/*
 * Appends term (n bytes) as an FTS5 phrase to e: normalized, expanded,
 * quoted with "" doubled; a lone CJK character at its end becomes a prefix.
 * Returns 1 when written, 0 when the term holds no token characters.
 */
static int add_phrase(struct kk_buf *e, const char *t, size_t n, int *rc)
{
	utf8proc_int32_t *cp;
	size_t len;
	if ((*rc = fold(t, n, &cp, &len)))
		return 0;
	char *x = kk_malloc(len * 10 + 1);
	if (!x) {
		kk_free(cp);
		*rc = KK_ENOMEM;
		return 0;
	}
	bool lone;
	expand(cp, len, x, true, &lone);
	bool token = false;
	for (size_t i = 0; i < len && !token; i++) {
		int cat = utf8proc_category(cp[i]);
		token = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
		        (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
	}
	kk_free(cp);
	if (token) {
		if (e->len)
			kk_buf_puts(e, " AND ");
		kk_buf_putc(e, '"');
		for (const char *p = x; *p; p++) {
			if (*p == '"')
				kk_buf_putc(e, '"');
			kk_buf_putc(e, *p);
		}
		kk_buf_puts(e, lone ? "\" *" : "\"");
	}
	kk_free(x);
	return token;
}

/* Splits q into the positive expression pos and the excluded one neg (ORed). */
static int parse_query(const char *q, struct kk_buf *pos, struct kk_buf *neg, struct kk_diag *d)
{
	int rc = 0;
	for (const char *p = q; p && *p && !rc;) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			p++;
			continue;
		}
		bool minus = false;
		if (*p == '-' && p[1] && p[1] != ' ') {
			minus = true;
			p++;
		}
		const char *start = p, *end;
		if (*p == '"') {
			start = ++p;
			end = strchr(p, '"');
			if (!end)
				end = p + strlen(p);
			p = *end ? end + 1 : end;
		} else {
			while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
				p++;
			end = p;
		}
		struct kk_buf *e = minus ? neg : pos;
		size_t before = e->len;
		if (minus && e->len) {
			/* exclusions are ORed: "a" OR "b" */
			kk_buf_puts(e, " OR ");
			struct kk_buf tmp;
			kk_buf_init(&tmp, 4096);
			if (add_phrase(&tmp, start, (size_t)(end - start), &rc))
				kk_buf_add(e, tmp.ptr, tmp.len);
			else
				kk_buf_truncate(e, before);
			kk_buf_release(&tmp);
		} else {
			add_phrase(e, start, (size_t)(end - start), &rc);
		}
	}
	if (rc == KK_EINVAL)
		return kk_diag_set(d, rc, "q", "the query is not valid UTF-8; send it UTF-8 encoded");
	if (rc)
		return rc;
	if (kk_buf_error(pos) || kk_buf_error(neg))
		return kk_diag_set(d, KK_EINVAL, "q",
		                   "the query is too long; use at most about 1000 characters");
	return 0;
}

/* ---- SQL assembly from fixed fragments ---- */

#define MAX_BINDS 64 /* every filter at once with 12 vector components and a cursor takes 47 */

struct sqlb {
	struct kk_buf sql;
	int n;
	struct {
		char type; /* i d s */
		int64_t i;
		double d;
		const char *s;
	} b[MAX_BINDS];
};

static void sb_add(struct sqlb *q, const char *frag)
{
	kk_buf_puts(&q->sql, frag);
}
static void sb_int(struct sqlb *q, const char *frag, int64_t v)
{
	sb_add(q, frag);
	if (q->n < MAX_BINDS)
		q->b[q->n].type = 'i', q->b[q->n++].i = v;
}
static void sb_dbl(struct sqlb *q, const char *frag, double v)
{
	sb_add(q, frag);
	if (q->n < MAX_BINDS)
		q->b[q->n].type = 'd', q->b[q->n++].d = v;
}
static void sb_str(struct sqlb *q, const char *frag, const char *v)
{
	sb_add(q, frag);
	if (q->n < MAX_BINDS)
		q->b[q->n].type = 's', q->b[q->n++].s = v;
}

static int sb_prepare(struct kk_db *db, struct sqlb *q, struct kk_stmt **st)
{
	if (kk_buf_error(&q->sql) || q->n >= MAX_BINDS)
		return KK_EINTERNAL;
	int rc = kk_db_prepare(db, q->sql.ptr, st);
	if (rc)
		return rc;
	for (int i = 0; i < q->n; i++) {
		if (q->b[i].type == 'i')
			kk_stmt_bind_int64(*st, i + 1, q->b[i].i);
		else if (q->b[i].type == 'd')
			kk_stmt_bind_double(*st, i + 1, q->b[i].d);
		else
			kk_stmt_bind_text(*st, i + 1, q->b[i].s, -1);
	}
	return 0;
}

static const char *const sev_names[5] = {"none", "low", "medium", "high", "critical"};

const char *kk_search_severity_name(int sev)
{
	return sev >= 0 && sev < 5 ? sev_names[sev] : "none";
}

int kk_search_sort_parse(const char *s, enum kk_search_sort *out)
{
	if (!strcmp(s, "published") || !strcmp(s, "date"))
		*out = KK_SORT_PUBLISHED;
	else if (!strcmp(s, "modified") || !strcmp(s, "updated"))
		*out = KK_SORT_MODIFIED;
	else if (!strcmp(s, "score"))
		*out = KK_SORT_SCORE;
	else if (!strcmp(s, "relevance"))
		*out = KK_SORT_RELEVANCE;
	else
		return KK_EINVAL;
	return 0;
}

/* The sort key expression per sort (all sorted descending, ties by id descending). */
static const char *const sort_key[] = {
    [KK_SORT_PUBLISHED] = "v.published",
    [KK_SORT_MODIFIED] = "v.modified",
    [KK_SORT_SCORE] = "coalesce(v.score, -1.0)",
    [KK_SORT_RELEVANCE] = "(-f.rank)",
};
static const char sort_letter[] = "pmsr";

/*
 * FROM + WHERE (without the cursor) shared by the page and the facets.
 * Child-table filters are `v.id IN (subquery)`, so SQLite reads the child's
 * index on the filtered column once instead of probing per record
 * (vendor=microsoft over 53k NVD records: 450 ms -> 105 ms); the CVSS
 * version has no index of its own and stays a per-record EXISTS.
 */
#define VECTOR_MAX 12
/* LIKE patterns "%/AV:N/%" of the vector filter's components (validated: letters and one colon). */
struct vpat {
	int n;
	char p[VECTOR_MAX][24];
};

static int vector_patterns(const char *v, struct vpat *vp, struct kk_diag *d)
{
	vp->n = 0;
	for (const char *c = v; c && *c;) {
		size_t len = strcspn(c, "/"), m = 0;
		while (m < len && isalpha((unsigned char)c[m]))
			m++;
		size_t k = m + 1;
		while (k < len && isalpha((unsigned char)c[k]))
			k++;
		if (vp->n == VECTOR_MAX || m < 1 || m > 4 || m >= len || c[m] != ':' || k != len ||
		    k == m + 1 || len - m > 4)
			return kk_diag_set(
			    d, KK_EINVAL, "vector",
			    "vector takes up to %d CVSS components METRIC:VALUE joined by '/', such as "
			    "AV:N or AV:N/PR:N",
			    VECTOR_MAX);
		snprintf(vp->p[vp->n++], sizeof vp->p[0], "%%/%.*s/%%", (int)len, c);
		c += len;
		c += *c == '/';
	}
	return 0;
}

static void sb_from_where(struct sqlb *s, const struct kk_search_query *q, const char *pos, const char *neg,
                          const struct vpat *vp, const char *idset)
{
	if (*pos)
		sb_str(s,
		       " FROM vuln v JOIN (SELECT rowid AS fid, bm25(vuln_fts, 10.0, 5.0, 1.0, 3.0) AS rank"
		       " FROM vuln_fts WHERE vuln_fts MATCH ?) f ON f.fid = v.id WHERE 1",
		       pos);
	else
		sb_add(s, " FROM vuln v WHERE 1");
	if (*neg)
		sb_str(s, " AND v.id NOT IN (SELECT rowid FROM vuln_fts WHERE vuln_fts MATCH ?)", neg);
	if (q->severity_mask) {
		sb_add(s, " AND v.severity IN (-1");
		for (int i = 0; i < 5; i++)
			if (q->severity_mask & (1u << i))
				sb_int(s, ", ?", i);
		sb_add(s, ")");
	}
	if (q->has_score_min)
		sb_dbl(s, " AND v.score >= ?", q->score_min);
	if (q->has_score_max)
		sb_dbl(s, " AND v.score <= ?", q->score_max);
	if (q->cwe)
		sb_int(s, " AND v.id IN (SELECT c.vuln_id FROM vuln_cwe c WHERE c.cwe = ?)", q->cwe);
	if (q->vendor || q->product) { /* through the dictionary: a key or a name of either */
		sb_add(s, " AND v.id IN (SELECT a.vuln_id FROM vuln_affect a WHERE a.product_id IN (SELECT p.id FROM "
		          "vuln_product p JOIN vuln_vendor d ON d.id = p.vendor_id WHERE 1");
		if (q->vendor) {
			sb_str(s, " AND (d.cpe_vendor = lower(?)", q->vendor);
			sb_str(s, " OR d.purl_namespace = ?", q->vendor);
			sb_str(s, " OR d.name_en = ? COLLATE NOCASE", q->vendor);
			sb_str(s, " OR d.name_ja = ?)", q->vendor);
		}
		if (q->product) {
			sb_str(s, " AND (p.cpe_product = lower(?)", q->product);
			sb_str(s, " OR p.purl_name = ?", q->product);
			sb_str(s, " OR p.name_en = ? COLLATE NOCASE", q->product);
			sb_str(s, " OR p.name_ja = ?)", q->product);
		}
		sb_add(s, "))");
	}
	if (idset) /* cpe= / purl=: the records affected.c found, as a JSON array */
		sb_str(s, " AND v.id IN (SELECT value FROM json_each(?))", idset);
	if (q->kev)
		sb_add(s, " AND v.id IN (SELECT a.vuln_id FROM vuln_kev k JOIN vuln_alias a ON a.alias = k.cve)");
	if (q->source)
		sb_str(s, " AND v.id IN (SELECT o.vuln_id FROM vuln_source o WHERE o.source = ?)", q->source);
	if (q->cvss_version)
		sb_str(s, " AND EXISTS (SELECT 1 FROM vuln_cvss x WHERE x.vuln_id = v.id AND x.version = ?)",
		       q->cvss_version);
	if (vp->n) {
		sb_add(s, " AND EXISTS (SELECT 1 FROM vuln_cvss x WHERE x.vuln_id = v.id");
		for (int i = 0; i < vp->n; i++)
			sb_str(s, " AND ('/' || x.vector || '/') LIKE ?", vp->p[i]);
		sb_add(s, ")");
	}
	if (q->public_from)
		sb_int(s, " AND v.public_date >= ?", q->public_from);
	if (q->public_to)
		sb_int(s, " AND v.public_date <= ?", q->public_to);
	if (q->published_from)
		sb_int(s, " AND v.published >= ?", q->published_from);
	if (q->published_to)
		sb_int(s, " AND v.published <= ?", q->published_to);
	if (q->updated_from)
		sb_int(s, " AND v.modified >= ?", q->updated_from);
	if (q->updated_to)
		sb_int(s, " AND v.modified <= ?", q->updated_to);
}

/* Cursor: hex of "<sort letter>:<key>:<id>". */
static void cursor_encode(char *out, size_t n, enum kk_search_sort sort, double key, int64_t id)
{
	char plain[KK_SEARCH_CURSOR_MAX / 2];
	int len = snprintf(plain, sizeof plain, "%c:%.17g:%" PRId64, sort_letter[sort], key, id);
	size_t o = 0;
	for (int i = 0; i < len && o + 3 <= n; i++)
		o += (size_t)snprintf(out + o, n - o, "%02x", (unsigned char)plain[i]);
}

static int cursor_decode(const char *c, enum kk_search_sort sort, double *key, int64_t *id)
{
	char plain[KK_SEARCH_CURSOR_MAX / 2];
	size_t n = strlen(c);
	if (n % 2 || n / 2 >= sizeof plain)
		return KK_EINVAL;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;
		if (!isxdigit((unsigned char)c[2 * i]) || !isxdigit((unsigned char)c[2 * i + 1]) ||
		    sscanf(c + 2 * i, "%2x", &v) != 1)
			return KK_EINVAL;
		plain[i] = (char)v;
	}
	plain[n / 2] = 0;
	char letter;
	int used = 0;
	long long i64;
	if (sscanf(plain, "%c:%lg:%lld%n", &letter, key, &i64, &used) != 3 || (size_t)used != n / 2 ||
	    letter != sort_letter[sort])
		return KK_EINVAL;
	*id = i64;
	return 0;
}

/* Cuts a title fallback (a description) at about 200 bytes, on a character boundary. */
static const char *cut(const char *s, char *buf, size_t n)
{
	size_t len = strlen(s);
	if (len < n - 4)
		return s;
	size_t k = n - 4;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	memcpy(buf, s, k);
	memcpy(buf + k, "…", 4);
	return buf;
}

/* Gregorian year of a day number since 1970-01-01 (H. Hinnant's civil_from_days). */
static int year_of_day(int64_t z)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	return (int)(yoe + era * 400 + (mp >= 10));
}

/*
 * Severity and year counts of the whole result, in one pass over it:
 * grouped by one integer key (day * 8 + severity) in SQL and folded into
 * severities and years here: a division groups 3.5 times faster than
 * strftime per row, one key 1.4 times faster than two, and one pass instead
 * of one per facet spares a second full-text match.
 */
static int run_facets(struct kk_db *db, const struct kk_search_query *q, const char *pos, const char *neg,
                      const struct vpat *vp, const char *idset, struct kk_search_result *res)
{
	struct sqlb s = {0};
	kk_buf_init(&s.sql, 8192);
	sb_add(&s, "SELECT v.published / 86400 * 8 + v.severity, count(*)"); /* one key: day and severity */
	sb_from_where(&s, q, pos, neg, vp, idset);
	sb_add(&s, " GROUP BY 1 ORDER BY 1 DESC");
	struct kk_stmt *st;
	int rc = sb_prepare(db, &s, &st);
	kk_buf_release(&s.sql);
	if (rc)
		return rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		int64_t key = kk_stmt_int64(st, 0), sev = key % 8, day = key / 8;
		long c = (long)kk_stmt_int64(st, 1);
		if (sev >= 0 && sev < 5)
			res->severity[sev] += c;
		res->total += c;
		int y = day <= 0 ? 0 : year_of_day(day); /* newest first; not stated (published 0) last */
		if (res->nyears && res->years[res->nyears - 1].year == y)
			res->years[res->nyears - 1].count += c;
		else if (res->nyears < KK_SEARCH_YEARS_MAX) {
			res->years[res->nyears].year = y;
			res->years[res->nyears++].count = c;
		}
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* Ids of the records cpe= and purl= select (both: those in both), as a JSON array in out. */
static int product_ids(struct kk_db *db, const struct kk_search_query *q, struct kk_buf *out, struct kk_diag *d)
{
	struct kk_affect_ids a = {0}, b = {0};
	int rc = 0;
	if (q->cpe && *q->cpe)
		rc = kk_affect_match_cpe(db, q->cpe, &a, d);
	if (!rc && q->purl && *q->purl) {
		rc = kk_affect_match_purl(db, q->purl, &b, d);
		if (!rc && q->cpe && *q->cpe) { /* intersect (both ascending) */
			size_t n = 0;
			for (size_t i = 0, j = 0; i < a.n && j < b.n;)
				if (a.v[i] < b.v[j])
					i++;
				else if (a.v[i] > b.v[j])
					j++;
				else
					a.v[n++] = a.v[i], i++, j++;
			a.n = n;
		} else if (!rc) {
			kk_affect_ids_release(&a);
			a = b;
			b = (struct kk_affect_ids){0};
		}
	}
	if (!rc) {
		kk_buf_putc(out, '[');
		for (size_t i = 0; i < a.n; i++)
			kk_buf_printf(out, i ? ",%lld" : "%lld", (long long)a.v[i]);
		kk_buf_putc(out, ']');
		if (kk_buf_error(out))
			rc = KK_ENOMEM;
	}
	kk_affect_ids_release(&a);
	kk_affect_ids_release(&b);
	return rc;
}

int kk_search_run(struct kk_db *db, const struct kk_search_query *q,
                  int (*row)(void *arg, const struct kk_search_hit *hit), void *arg,
                  struct kk_search_result *res, struct kk_diag *d)
{
	memset(res, 0, sizeof(*res));
	int limit = q->limit ? q->limit : 50;
	if (limit < 1 || limit > KK_SEARCH_LIMIT_MAX)
		return kk_diag_set(d, KK_EINVAL, "limit", "limit must be 1..%d", KK_SEARCH_LIMIT_MAX);
	struct kk_buf pos, neg, idset;
	kk_buf_init(&pos, 8192);
	kk_buf_init(&neg, 8192);
	kk_buf_init(&idset, 64u << 20);
	struct vpat vp;
	int rc = parse_query(q->q, &pos, &neg, d);
	if (!rc)
		rc = vector_patterns(q->vector, &vp, d);
	enum kk_search_sort sort = q->sort;
	if (sort == KK_SORT_RELEVANCE && !pos.len)
		sort = KK_SORT_PUBLISHED;
	double ckey = 0;
	int64_t cid = 0;
	if (!rc && q->cursor && *q->cursor && cursor_decode(q->cursor, sort, &ckey, &cid) < 0)
		rc = kk_diag_set(
		    d, KK_EINVAL, "cursor",
		    "the cursor is not one this search gave out (or the sort changed); start again "
		    "without a cursor");
	if (!rc && ((q->cpe && *q->cpe) || (q->purl && *q->purl)))
		rc = product_ids(db, q, &idset, d);
	if (rc)
		goto out;

	struct sqlb s = {0};
	kk_buf_init(&s.sql, 8192);
	/*
	 * The page is chosen in the inner query; titles and aliases are looked
	 * up in the outer one for its rows only (SQLite computes result columns
	 * before sorting: 6,346 matches cost 54 ms with them inside, 5 ms outside).
	 */
	sb_add(&s,
	       "SELECT p.id, p.jvndb, p.score, p.severity, p.published, p.modified, p.k, "
	       "(SELECT group_concat(alias, ' ') FROM (SELECT alias FROM vuln_alias a WHERE a.vuln_id = p.id "
	       "ORDER BY alias))");
	sb_str(&s,
	       ", (SELECT text FROM vuln_text t WHERE t.vuln_id = p.id AND t.kind IN ('title', 'overview', "
	       "'description') ORDER BY t.lang = ? DESC, t.lang = 'en' DESC, t.kind = 'title' DESC, "
	       "t.kind = 'overview' DESC, t.id LIMIT 1)",
	       q->lang ? q->lang : "ja");
	sb_add(&s, " FROM (SELECT v.id, v.jvndb, v.score, v.severity, v.published, v.modified, ");
	sb_add(&s, sort_key[sort]);
	sb_add(&s, " AS k");
	sb_from_where(&s, q, pos.ptr, neg.ptr, &vp, idset.len ? idset.ptr : NULL);
	if (q->cursor && *q->cursor) {
		const char *k = sort_key[sort];
		sb_add(&s, " AND (");
		sb_add(&s, k);
		sb_dbl(&s, " < ? OR (", ckey);
		sb_add(&s, k);
		sb_dbl(&s, " = ?", ckey);
		sb_int(&s, " AND v.id < ?))", cid);
	}
	sb_add(&s, " ORDER BY ");
	sb_add(&s, sort_key[sort]);
	sb_int(&s, " DESC, v.id DESC LIMIT ?) p ORDER BY p.k DESC, p.id DESC", limit + 1);
	struct kk_stmt *st;
	rc = sb_prepare(db, &s, &st);
	kk_buf_release(&s.sql);
	if (rc)
		goto out;
	int n = 0;
	double last_key = 0;
	int64_t last_id = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		if (n == limit) {
			cursor_encode(res->next_cursor, sizeof res->next_cursor, sort, last_key, last_id);
			break;
		}
		char tbuf[204];
		struct kk_search_hit h = {
		    .id = kk_stmt_int64(st, 0),
		    .jvndb = kk_stmt_text(st, 1),
		    .has_score = !kk_stmt_is_null(st, 2),
		    .score = kk_stmt_double(st, 2),
		    .severity = (int)kk_stmt_int64(st, 3),
		    .published = kk_stmt_int64(st, 4),
		    .modified = kk_stmt_int64(st, 5),
		    .aliases = kk_stmt_text(st, 7),
		    .title = cut(kk_stmt_text(st, 8), tbuf, sizeof tbuf),
		};
		last_key = kk_stmt_double(st, 6);
		last_id = h.id;
		n++;
		if (row && (rc = row(arg, &h)) < 0)
			break;
	}
	kk_stmt_done(st);
	if (rc < 0)
		goto out;
	if (q->no_facets)
		res->total = -1;
	else
		rc = run_facets(db, q, pos.ptr, neg.ptr, &vp, idset.len ? idset.ptr : NULL, res);
out:
	kk_buf_release(&pos);
	kk_buf_release(&neg);
	kk_buf_release(&idset);
	return rc;
}

void kk_search_hit_json(struct kk_json *j, const struct kk_search_hit *h)
{
	char iso[32];
	kk_json_obj_open(j);
	kk_json_kv_str(j, "id", h->jvndb);
	kk_json_key(j, "aliases");
	kk_json_arr_open(j);
	for (const char *p = h->aliases; *p;) {
		size_t n = strcspn(p, " ");
		kk_json_strn(j, p, n);
		p += n;
		p += *p == ' ';
	}
	kk_json_arr_close(j);
	kk_json_kv_str(j, "title", h->title);
	kk_json_key(j, "score");
	if (h->has_score)
		kk_json_fixed(j, h->score, 1);
	else
		kk_json_null(j);
	kk_json_kv_str(j, "severity", kk_search_severity_name(h->severity));
	kk_time_iso(h->published, iso, sizeof iso);
	kk_json_kv_str(j, "published", h->published ? iso : NULL);
	kk_time_iso(h->modified, iso, sizeof iso);
	kk_json_kv_str(j, "modified", h->modified ? iso : NULL);
	kk_json_obj_close(j);
}

/* ---- index maintenance ---- */

/* What a record is indexed from: its sources' content hashes, in order (SQL expression for record ID). */
#define SOURCES_SIG(ID)                                                                                      \
	"coalesce((SELECT group_concat(h, '') FROM (SELECT hex(content_hash) AS h FROM vuln_source "         \
	"WHERE vuln_id = " ID " ORDER BY id)), '')"

/* Appends the normalized rows of a one-column query (bound to id) to b. */
static int gather(struct kk_db *db, const char *sql, int64_t id, struct kk_buf *b)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, sql, &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, id);
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		const char *t = kk_stmt_text(st, 0);
		char *norm;
		int nr = kk_search_normalize(t, strlen(t), &norm);
		if (nr == KK_EINVAL)
			continue; /* stored text is validated on import; skip rather than fail the index */
		if (nr) {
			rc = nr;
			break;
		}
		kk_buf_puts(b, norm);
		kk_buf_putc(b, '\n');
		kk_free(norm);
	}
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	return kk_buf_error(b) ? KK_ENOMEM : 0;
}

int kk_search_reindex(struct kk_db *db, int64_t vuln_id)
{
	static const char *const cols[4] = {
	    "SELECT jvndb FROM vuln WHERE id = ?1 UNION ALL SELECT alias FROM vuln_alias WHERE vuln_id = ?1",
	    "SELECT text FROM vuln_text WHERE vuln_id = ? AND kind = 'title'",
	    "SELECT text FROM vuln_text WHERE vuln_id = ? AND kind IN ('overview', 'description')",
	    ("SELECT DISTINCT coalesce(vendor, '') || ' ' || coalesce(product, '') FROM vuln_cpe WHERE "
	     "vuln_id = ?1 "
	     "UNION SELECT ecosystem || ' ' || name FROM vuln_pkg WHERE vuln_id = ?1"),
	};
	int rc = kk_db_exec(db, "DELETE FROM vuln_fts WHERE rowid = ?", "i", vuln_id);
	if (rc < 0)
		return rc;
	struct kk_buf b[4];
	for (int i = 0; i < 4; i++)
		kk_buf_init(&b[i], 0);
	rc = 0;
	for (int i = 0; i < 4 && !rc; i++)
		rc = gather(db, cols[i], vuln_id, &b[i]);
	if (!rc && b[0].len) /* no ids: the record is gone */
		rc = kk_db_exec(
		    db, "INSERT INTO vuln_fts (rowid, ids, title, body, products) VALUES (?, ?, ?, ?, ?)",
		    "issss", vuln_id, b[0].ptr, b[1].ptr, b[2].ptr, b[3].ptr);
	if (rc >= 0 && b[0].len)
		rc = kk_db_exec(db,
		                "INSERT INTO vuln_search_state (vuln_id, sig) VALUES (?1, " SOURCES_SIG(
		                    "?1") ") "
		                          "ON CONFLICT (vuln_id) DO UPDATE SET sig = excluded.sig",
		                "i", vuln_id);
	for (int i = 0; i < 4; i++)
		kk_buf_release(&b[i]);
	return rc < 0 ? rc : 0;
}

struct batch {
	int64_t *ids;
	size_t n;
};

static int batch_tx(struct kk_db *db, void *arg)
{
	struct batch *bt = arg;
	for (size_t i = 0; i < bt->n; i++) {
		int rc = kk_search_reindex(db, bt->ids[i]);
		if (rc)
			return rc;
	}
	return 0;
}

#define REINDEX_BATCH 500

int kk_search_reindex_stale(struct kk_db *db, long *count)
{
	long total = 0;
	int64_t ids[REINDEX_BATCH];
	int64_t after = 0;
	for (;;) {
		/* records never indexed, or whose sources changed since */
		struct kk_stmt *st;
		int rc = kk_db_prepare(
		    db,
		    "SELECT v.id FROM vuln v LEFT JOIN vuln_search_state s ON s.vuln_id = v.id "
		    "WHERE v.id > ? AND s.sig IS NOT " SOURCES_SIG("v.id") " ORDER BY v.id LIMIT ?",
		    &st);
		if (rc)
			return rc;
		kk_stmt_bind_int64(st, 1, after);
		kk_stmt_bind_int64(st, 2, REINDEX_BATCH);
		size_t n = 0;
		while ((rc = kk_stmt_step(st)) == KK_ROW)
			ids[n++] = kk_stmt_int64(st, 0);
		kk_stmt_done(st);
		if (rc < 0)
			return rc;
		if (!n)
			break;
		struct batch bt = {ids, n};
		if ((rc = kk_db_tx(db, batch_tx, &bt)))
			return rc;
		total += (long)n;
		after = ids[n - 1];
	}
	if (count)
		*count = total;
	return 0;
}

static int drop_tx(struct kk_db *db, void *arg)
{
	(void)arg;
	int rc = kk_db_exec(db, "DELETE FROM vuln_fts", "");
	if (rc >= 0)
		rc = kk_db_exec(db, "DELETE FROM vuln_search_state", "");
	return rc < 0 ? rc : 0;
}

int kk_search_reindex_all(struct kk_db *db, long *n)
{
	int rc = kk_db_tx(db, drop_tx, NULL);
	return rc ? rc : kk_search_reindex_stale(db, n);
}

/* ---- one record ---- */

static int find_exact(struct kk_db *db, const char *id, int64_t *out)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
	                       "SELECT id FROM vuln WHERE jvndb = ?1 UNION ALL "
	                       "SELECT vuln_id FROM vuln_alias WHERE alias = ?1 LIMIT 1",
	                       &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, id, -1);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW)
		*out = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return rc == KK_ROW ? 0 : rc < 0 ? rc : KK_ENOTFOUND;
}

int kk_search_find(struct kk_db *db, const char *id, int64_t *vuln_id)
{
	int rc = find_exact(db, id, vuln_id);
	if (rc != KK_ENOTFOUND)
		return rc;
	char up[128];
	size_t n = strlen(id);
	if (n >= sizeof up)
		return KK_ENOTFOUND;
	for (size_t i = 0; i <= n; i++)
		up[i] = (char)toupper((unsigned char)id[i]);
	return strcmp(up, id) ? find_exact(db, up, vuln_id) : KK_ENOTFOUND;
}

static void time_value(struct kk_json *j, int64_t t)
{
	char iso[32];
	if (!t) {
		kk_json_null(j);
		return;
	}
	kk_time_iso(t, iso, sizeof iso);
	kk_json_str(j, iso);
}

/* Column col as JSON by type: 'S' string, 'I' integer, 'B' bool, 'T' time, 'D' score; NULL as null. */
static void col_value(struct kk_json *j, struct kk_stmt *st, char type, int col)
{
	if (kk_stmt_is_null(st, col))
		kk_json_null(j);
	else if (type == 'S')
		kk_json_str(j, kk_stmt_text(st, col));
	else if (type == 'I')
		kk_json_int(j, kk_stmt_int64(st, col));
	else if (type == 'B')
		kk_json_bool(j, kk_stmt_int64(st, col) != 0);
	else if (type == 'T')
		time_value(j, kk_stmt_int64(st, col));
	else
		kk_json_fixed(j, kk_stmt_double(st, col), 1);
}

/*
 * Writes `key: [..]` for the rows of sql (bound to the id): objects whose
 * members are names[c] typed by types[c] (see col_value), or with names
 * NULL the values of the first column.
 */
static int rows_json(struct kk_db *db, struct kk_json *j, const char *key, const char *sql, int64_t id,
                     const char *types, const char *const *names)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, sql, &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, id);
	kk_json_key(j, key);
	kk_json_arr_open(j);
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		if (!names) {
			col_value(j, st, types[0], 0);
			continue;
		}
		kk_json_obj_open(j);
		for (int c = 0; types[c]; c++) {
			kk_json_key(j, names[c]);
			col_value(j, st, types[c], c);
		}
		kk_json_obj_close(j);
	}
	kk_stmt_done(st);
	kk_json_arr_close(j);
	return rc < 0 ? rc : 0;
}

static int texts_json(struct kk_db *db, struct kk_json *j, int64_t id)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(
	    db, "SELECT lang, kind, text FROM vuln_text WHERE vuln_id = ? ORDER BY lang, kind, id", &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, id);
	kk_json_key(j, "texts");
	kk_json_obj_open(j);
	char lang[16] = "", kind[16] = "";
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		const char *l = kk_stmt_text(st, 0), *k = kk_stmt_text(st, 1);
		if (strcmp(l, lang)) {
			if (lang[0])
				kk_json_arr_close(j), kk_json_obj_close(j);
			kk_strlcpy(lang, l, sizeof lang);
			kind[0] = 0;
			kk_json_key(j, lang);
			kk_json_obj_open(j);
		}
		if (strcmp(k, kind)) {
			if (kind[0])
				kk_json_arr_close(j);
			kk_strlcpy(kind, k, sizeof kind);
			kk_json_key(j, kind);
			kk_json_arr_open(j);
		}
		kk_json_str(j, kk_stmt_text(st, 2));
	}
	kk_stmt_done(st);
	if (lang[0])
		kk_json_arr_close(j), kk_json_obj_close(j);
	kk_json_obj_close(j);
	return rc < 0 ? rc : 0;
}

int kk_search_record_json(struct kk_db *db, int64_t vuln_id, struct kk_json *j, int64_t *modified)
{
	struct kk_stmt *st;
	int rc =
	    kk_db_prepare(db,
	                  "SELECT jvndb, published, modified, first_published, public_date, score, severity, "
	                  "withdrawn FROM vuln WHERE id = ?",
	                  &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, vuln_id);
	if ((rc = kk_stmt_step(st)) != KK_ROW) {
		kk_stmt_done(st);
		return rc < 0 ? rc : KK_ENOTFOUND;
	}
	kk_json_obj_open(j);
	static const char *const head_n[] = {"id",          "published", "modified", "first_published",
	                                     "public_date", "score"};
	for (int c = 0; c < 6; c++) {
		kk_json_key(j, head_n[c]);
		col_value(j, st, "STTTTD"[c], c);
	}
	kk_json_kv_str(j, "severity", kk_search_severity_name((int)kk_stmt_int64(st, 6)));
	kk_json_kv_bool(j, "withdrawn", kk_stmt_int64(st, 7) != 0);
	if (modified)
		*modified = kk_stmt_int64(st, 2);
	kk_stmt_done(st);

	if ((rc = rows_json(db, j, "aliases", "SELECT alias FROM vuln_alias WHERE vuln_id = ? ORDER BY alias",
	                    vuln_id, "S", NULL)) ||
	    (rc = texts_json(db, j, vuln_id)) ||
	    (rc = rows_json(db, j, "cwes", "SELECT DISTINCT cwe FROM vuln_cwe WHERE vuln_id = ? ORDER BY cwe",
	                    vuln_id, "I", NULL)))
		return rc;

	static const char *const cvss_n[] = {"version", "vector", "score", "severity",
	                                     "scorer",  "type",   "source"};
	static const char *const cpe_n[] = {
	    "source",          "cfg",           "node",         "cfg_and", "node_and", "negate",
	    "vulnerable",      "cpe23",         "vendor",       "product", "version",  "start_including",
	    "start_excluding", "end_including", "end_excluding"};
	static const char *const pkg_n[] = {"source",     "ecosystem", "name",          "purl",  "range_type",
	                                    "introduced", "fixed",     "last_affected", "limit", "versions"};
	static const char *const ref_n[] = {"url", "type", "source"};
	static const char *const src_n[] = {"source",   "id",        "format",     "published",
	                                    "modified", "withdrawn", "imported_at"};
	static const char *const his_n[] = {"at", "source", "what"};
	static const char *const kev_n[] = {"cve",     "date_added", "due_date", "known_ransomware_campaign_use",
	                                    "vendor_project", "product", "name", "required_action",
	                                    "short_description", "notes", "cwes"};
	struct {
		const char *key, *sql, *types;
		const char *const *names;
	} parts[] = {
	    {"cvss",
	     "SELECT c.version, c.vector, c.score, CASE c.severity WHEN 1 THEN 'low' WHEN 2 THEN 'medium' "
	     "WHEN 3 "
	     "THEN 'high' WHEN 4 THEN 'critical' ELSE 'none' END, c.scorer, c.type, s.source FROM vuln_cvss "
	     "c "
	     "LEFT JOIN vuln_source s ON s.id = c.src WHERE c.vuln_id = ? ORDER BY c.version DESC, c.id",
	     "SSDSSSS", cvss_n},
	    {"cpe",
	     "SELECT s.source, c.cfg, c.node, c.cfg_and, c.node_and, c.negate, c.vulnerable, c.cpe23, "
	     "c.vendor, "
	     "c.product, c.version, c.start_incl, c.start_excl, c.end_incl, c.end_excl FROM vuln_cpe c LEFT "
	     "JOIN "
	     "vuln_source s ON s.id = c.src WHERE c.vuln_id = ? ORDER BY c.src, c.cfg, c.node, c.id",
	     "SIIBBBBSSSSSSSS", cpe_n},
	    {"packages",
	     "SELECT s.source, p.ecosystem, p.name, p.purl, p.range_type, p.introduced, p.fixed, "
	     "p.last_affected, "
	     "p.range_limit, p.versions FROM vuln_pkg p LEFT JOIN vuln_source s ON s.id = p.src WHERE "
	     "p.vuln_id = ? "
	     "ORDER BY p.id",
	     "SSSSSSSSSS", pkg_n},
	    {"references",
	     "SELECT r.url, r.type, s.source FROM vuln_ref r LEFT JOIN vuln_source s ON s.id = r.src WHERE "
	     "r.vuln_id = ? ORDER BY r.id",
	     "SSS", ref_n},
	    {"sources",
	     "SELECT source, source_id, format, published, modified, withdrawn, imported_at FROM vuln_source "
	     "WHERE "
	     "vuln_id = ? ORDER BY id",
	     "SSSTTBT", src_n},
	    {"history", "SELECT at, source, what FROM vuln_history WHERE vuln_id = ? ORDER BY id", "TSS",
	     his_n},
	    {"kev",
	     "SELECT k.cve, k.date_added, k.due_date, k.ransomware, k.vendor_project, k.product, k.name, "
	     "k.required_action, k.short_description, k.notes, k.cwes FROM vuln_kev k JOIN vuln_alias a ON "
	     "a.alias = k.cve WHERE a.vuln_id = ? ORDER BY k.cve",
	     "SSSSSSSSSSS", kev_n},
	};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		if ((rc = rows_json(db, j, parts[i].key, parts[i].sql, vuln_id, parts[i].types,
		                    parts[i].names)))
			return rc;
	kk_json_obj_close(j);
	return kk_json_error(j) ? KK_ENOMEM : 0;
}

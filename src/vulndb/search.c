/*
 * search.c — keyword search (FTS5 over normalized, CJK-bigram text), its
 * index maintenance, and the full-record JSON the API and pages show.
 */
#include "vulndb/search.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/str.h"
#include "store/db.h"
#include "vulndb/affected.h"
#include "vulndb/cards.h"
#include "vulndb/fold.h"
#include "vulndb/ja.h"
#include "vulndb/record.h"
#include "base/arena.h"
#include <ctype.h>
#include <pthread.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- query parsing ---- */

/*
 * Appends term (n bytes) as an FTS5 phrase to e: normalized, expanded,
 * quoted with "" doubled; a lone CJK character at its end becomes a prefix.
 * Returns 1 when written, 0 when the term holds no token characters.
 */
static int add_phrase(struct kk_buf *e, const char *t, size_t n, int *rc)
{
	char *x;
	bool lone, token;
	if ((*rc = kk_search_normalize_term(t, n, &x, &lone, &token)))
		return 0;
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

/*
 * A glossary term (ja.h) at p, of up to kk_gloss_max_words() unquoted words:
 * the longest one, its line in *g and its end in *end; NULL when none.
 */
static const struct kk_gloss *gloss_at(const char *p, const char **end)
{
	if (*p == '"' || *p == '-')
		return NULL;
	const char *ends[8];
	int n = 0, maxw = kk_gloss_max_words();
	const char *e = p;
	while (n < maxw && n < 8 && *e && *e != '"') {
		while (*e && *e != ' ' && *e != '\t' && *e != '\n' && *e != '\r' && *e != '"')
			e++;
		ends[n++] = e;
		while (*e == ' ' || *e == '\t' || *e == '\n' || *e == '\r')
			e++;
	}
	for (int k = n; k > 0; k--) {
		const struct kk_gloss *g = kk_gloss_find(p, (size_t)(ends[k - 1] - p));
		if (g) {
			*end = ends[k - 1];
			return g;
		}
	}
	return NULL;
}

/* Appends the glossary line g as one group to e: ("term" OR "term" ...). Returns 1 when written. */
static int add_gloss(struct kk_buf *e, const struct kk_gloss *g, int *rc)
{
	struct kk_buf one, grp;
	kk_buf_init(&one, 4096);
	kk_buf_init(&grp, 0);
	int n = 0;
	for (size_t i = 0; i < g->nterms && !*rc; i++) {
		kk_buf_reset(&one);
		if (!add_phrase(&one, g->terms[i], strlen(g->terms[i]), rc))
			continue;
		kk_buf_puts(&grp, n++ ? " OR " : "(");
		kk_buf_add(&grp, one.ptr, one.len);
	}
	if (n && !*rc) {
		kk_buf_putc(&grp, ')');
		if (e->len)
			kk_buf_puts(e, " AND ");
		kk_buf_add(e, grp.ptr, grp.len);
	}
	kk_buf_release(&one);
	kk_buf_release(&grp);
	return n > 0;
}

/*
 * What the glossary did to a query: whether a term was widened to its
 * line, and the line when the positive query is that one term alone (its
 * CWE ids then also find records).
 */
struct gloss_use {
	bool widened;
	const struct kk_gloss *only;
	int npos; /* positive terms */
};

/*
 * Splits q into the positive expression pos and the excluded one neg
 * (ORed). A glossary term becomes its whole line in both; lit (may be NULL)
 * gets the positive expression as typed, for ranking records whose own
 * text matches first.
 */
static int parse_query(const char *q, struct kk_buf *pos, struct kk_buf *neg, struct kk_buf *lit,
                       struct gloss_use *gu, struct kk_diag *d)
{
	int rc = 0;
	struct gloss_use none = {0};
	if (!gu)
		gu = &none;
	*gu = none;
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
		const struct kk_gloss *g = gloss_at(p, &end);
		if (g) {
			p = end;
		} else if (*p == '"') {
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
		struct kk_buf tmp;
		kk_buf_init(&tmp, 4096);
		int wrote = g ? add_gloss(&tmp, g, &rc) : add_phrase(&tmp, start, (size_t)(end - start), &rc);
		if (wrote) {
			/* exclusions are ORed: "a" OR "b"; the rest ANDed */
			if (e->len)
				kk_buf_puts(e, minus ? " OR " : " AND ");
			kk_buf_add(e, tmp.ptr, tmp.len);
			if (!minus) {
				gu->npos++;
				gu->widened |= g != NULL;
				gu->only = gu->npos == 1 ? g : NULL;
				if (lit) {
					kk_buf_reset(&tmp);
					if (add_phrase(&tmp, start, (size_t)(end - start), &rc)) {
						if (lit->len)
							kk_buf_puts(lit, " AND ");
						kk_buf_add(lit, tmp.ptr, tmp.len);
					}
				}
			}
		} else {
			kk_buf_truncate(e, before);
		}
		kk_buf_release(&tmp);
	}
	if (rc == KK_EINVAL)
		return kk_diag_set(d, rc, "q", "the query is not valid UTF-8; send it UTF-8 encoded");
	if (rc)
		return rc;
	if (kk_buf_error(pos) || kk_buf_error(neg) || (lit && kk_buf_error(lit)))
		return kk_diag_set(d, KK_EINVAL, "q",
		                   "the query is too long; use at most about 1000 characters");
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
	else if (!strcmp(s, "oldest"))
		*out = KK_SORT_OLDEST;
	else
		return KK_EINVAL;
	return 0;
}

int kk_search_withdrawn_parse(const char *s, enum kk_search_withdrawn *out)
{
	if (!strcmp(s, "exclude"))
		*out = KK_WITHDRAWN_EXCLUDE;
	else if (!strcmp(s, "include"))
		*out = KK_WITHDRAWN_INCLUDE;
	else if (!strcmp(s, "only"))
		*out = KK_WITHDRAWN_ONLY;
	else
		return KK_EINVAL;
	return 0;
}

static const char sort_letter[] = "pmsro";

#define VECTOR_MAX 12
/* The vector filter's components as "/AV:N/" (validated: letters and one colon; matched ignoring case). */
struct vpat {
	int n;
	char p[VECTOR_MAX][24];
	const char *ptr[VECTOR_MAX];
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
		char *o = vp->p[vp->n];
		o[0] = '/';
		for (size_t i = 0; i < len; i++)
			o[i + 1] = c[i];
		o[len + 1] = '/';
		o[len + 2] = 0;
		vp->ptr[vp->n] = o;
		vp->n++;
		c += len;
		c += *c == '/';
	}
	return 0;
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

/* ---- id sets: bitmaps over the card ids ---- */

struct bits {
	uint64_t *w;
	int64_t max;
};

static int bits_init(struct bits *b, int64_t max)
{
	b->max = max;
	b->w = kk_calloc((size_t)(max / 64 + 1), sizeof *b->w);
	return b->w ? 0 : KK_ENOMEM;
}

static inline void bits_set(struct bits *b, int64_t id)
{
	if (id >= 0 && id <= b->max)
		b->w[id >> 6] |= 1ull << (id & 63);
}

static inline bool bits_has(const struct bits *b, int64_t id)
{
	return id >= 0 && id <= b->max && (b->w[id >> 6] >> (id & 63)) & 1;
}

/* Adds the ids of a one-column query with one text or integer parameter (s NULL: i). */
static int bits_sql(struct kk_db *db, struct bits *b, const char *sql, const char *s, int64_t i)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, sql, &st);
	if (rc)
		return rc;
	if (strchr(sql, '?')) {
		if (s)
			kk_stmt_bind_text(st, 1, s, -1);
		else
			kk_stmt_bind_int64(st, 1, i);
	}
	while ((rc = kk_stmt_step(st)) == KK_ROW)
		bits_set(b, kk_stmt_int64(st, 0));
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* The records ids[0..n) (ids beyond the cards' range are left out). */
static int bits_ids(struct bits *b, const int64_t *ids, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (ids[k] > 0 && ids[k] <= b->max)
			bits_set(b, ids[k]);
	return 0;
}

/* Records of the products vendor and/or product name (affected.h: the one rule). */
static int bits_vendor(struct kk_db *db, struct bits *b, const char *vendor, const char *product)
{
	struct kk_affect_ids ids = {0};
	int rc = kk_affect_match_names(db, vendor, product, &ids);
	for (size_t i = 0; !rc && i < ids.n; i++)
		bits_set(b, ids.v[i]);
	kk_affect_ids_release(&ids);
	return rc;
}

/*
 * ---- full-text match cache ----
 *
 * The ids a full-text expression matches, kept per expression and tagged
 * with the change-log position of the cards they were read with: any change
 * to any record (its row, CVSS or full-text row: schema 0015) moves that
 * position and retires every entry. Popular broad queries ("remote", 148,601
 * ids; a long Japanese phrase) then cost one pass over an array instead of
 * a fresh full-text walk, as Lucene's query cache does for its filters.
 * Bounded by KEIKAI_SEARCH_CACHE_MB (default 64; 0 turns it off),
 * least-recently-used first out; entries in use are never freed under a
 * reader.
 */
#define MC_SLOTS 512

struct mc_entry {
	char *expr;
	int32_t *ids;
	size_t n;
	int64_t seq;
	uint64_t used;
	int refs;
};

static pthread_mutex_t mc_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mc_entry mc[MC_SLOTS];
static size_t mc_bytes;
static uint64_t mc_clock;
static long mc_budget = -1;

static size_t mc_size(const struct mc_entry *e)
{
	return e->n * sizeof *e->ids + strlen(e->expr) + 1 + sizeof *e;
}

static void mc_free(struct mc_entry *e)
{
	mc_bytes -= mc_size(e);
	kk_free(e->expr);
	kk_free(e->ids);
	memset(e, 0, sizeof *e);
}

/* The cached ids of expr at seq (held: mc_release it), or NULL. */
static struct mc_entry *mc_get(const char *expr, int64_t seq)
{
	struct mc_entry *hit = NULL;
	pthread_mutex_lock(&mc_lock);
	if (mc_budget < 0) {
		const char *v = getenv("KEIKAI_SEARCH_CACHE_MB");
		mc_budget = (v && *v ? atol(v) : 64) << 20;
	}
	for (int i = 0; i < MC_SLOTS && !hit; i++)
		if (mc[i].expr && mc[i].seq == seq && !strcmp(mc[i].expr, expr))
			hit = &mc[i];
	if (hit) {
		hit->refs++;
		hit->used = ++mc_clock;
	}
	pthread_mutex_unlock(&mc_lock);
	return hit;
}

static void mc_release(struct mc_entry *e)
{
	pthread_mutex_lock(&mc_lock);
	e->refs--;
	pthread_mutex_unlock(&mc_lock);
}

/* Keeps ids (taken over) as expr's matches at seq, evicting stale and least used entries. */
static void mc_put(const char *expr, int32_t *ids, size_t n, int64_t seq)
{
	struct mc_entry e = {.ids = ids, .n = n, .seq = seq, .expr = kk_strdup(expr)};
	pthread_mutex_lock(&mc_lock);
	size_t need = e.expr ? mc_size(&e) : 0;
	if (!e.expr || (long)need > mc_budget / 4) { /* off, or one entry would crowd out the rest */
		pthread_mutex_unlock(&mc_lock);
		kk_free(e.expr);
		kk_free(ids);
		return;
	}
	for (int i = 0; i < MC_SLOTS; i++) /* entries of older states of the database */
		if (mc[i].expr && !mc[i].refs && mc[i].seq != seq)
			mc_free(&mc[i]);
	int slot = -1;
	for (;;) {
		int lru = -1;
		slot = -1;
		for (int i = 0; i < MC_SLOTS; i++) {
			if (!mc[i].expr) {
				if (slot < 0)
					slot = i;
			} else if (!mc[i].refs && (lru < 0 || mc[i].used < mc[lru].used))
				lru = i;
		}
		if (slot >= 0 && (long)(mc_bytes + need) <= mc_budget)
			break;
		if (lru < 0) {
			slot = -1;
			break;
		}
		mc_free(&mc[lru]);
	}
	if (slot >= 0) {
		e.used = ++mc_clock;
		mc[slot] = e;
		mc_bytes += need;
	}
	pthread_mutex_unlock(&mc_lock);
	if (slot < 0) {
		kk_free(e.expr);
		kk_free(ids);
	}
}

/* Calls fn(arg, id) for every record expr matches: from the cache, or from the index (then cached). */
static int fts_ids(struct kk_db *db, const char *expr, int64_t seq, void (*fn)(void *arg, int64_t id), void *arg)
{
	struct mc_entry *e = mc_get(expr, seq);
	if (e) {
		for (size_t i = 0; i < e->n; i++)
			fn(arg, e->ids[i]);
		mc_release(e);
		return 0;
	}
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT rowid FROM vuln_fts WHERE vuln_fts MATCH ?", &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, expr, -1);
	size_t n = 0, cap = 1024;
	int32_t *ids = mc_budget ? kk_malloc(cap * sizeof *ids) : NULL;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		int64_t id = kk_stmt_int64(st, 0);
		fn(arg, id);
		if (!ids)
			continue;
		if (n == cap) {
			int32_t *g = kk_realloc(ids, (cap *= 2) * sizeof *ids);
			if (!g) {
				kk_free(ids);
				ids = NULL;
				continue;
			}
			ids = g;
		}
		ids[n++] = id >= 0 && id <= INT32_MAX ? (int32_t)id : 0;
	}
	kk_stmt_done(st);
	if (rc < 0 || !ids) {
		kk_free(ids);
		return rc < 0 ? rc : 0;
	}
	mc_put(expr, ids, n, seq);
	return 0;
}

/*
 * Records cpe= and purl= select (both given: those in both), into b; the
 * ids are kept in the match cache under a key no full-text expression can
 * have, so the busiest products' thousands of rows and ranges are read and
 * decided once per change of the database, not once per query.
 */
static int bits_product(struct kk_db *db, const struct kk_search_query *q, int64_t seq, struct bits *b,
                        struct kk_diag *d)
{
	bool cpe = q->cpe && *q->cpe, purl = q->purl && *q->purl;
	struct kk_buf key;
	kk_buf_init(&key, 0);
	kk_buf_printf(&key, "\x01cpe=%s\x01purl=%s", cpe ? q->cpe : "", purl ? q->purl : "");
	struct mc_entry *e = kk_buf_error(&key) ? NULL : mc_get((const char *)key.ptr, seq);
	if (e) {
		for (size_t i = 0; i < e->n; i++)
			bits_set(b, e->ids[i]);
		mc_release(e);
		kk_buf_release(&key);
		return 0;
	}
	struct kk_affect_ids a = {0}, c = {0};
	int rc = cpe ? kk_affect_match_cpe(db, q->cpe, &a, d) : 0;
	if (!rc && purl)
		rc = kk_affect_match_purl(db, q->purl, cpe ? &c : &a, d);
	size_t n = 0;
	int32_t *ids = !rc && mc_budget && !kk_buf_error(&key) ? kk_malloc((a.n ? a.n : 1) * sizeof *ids) : NULL;
	if (!rc) {
		if (cpe && purl) { /* intersect (both ascending) */
			for (size_t i = 0, j = 0; i < a.n && j < c.n;)
				if (a.v[i] < c.v[j])
					i++;
				else if (a.v[i] > c.v[j])
					j++;
				else {
					bits_set(b, a.v[i]);
					if (ids)
						ids[n++] = (int32_t)a.v[i];
					i++, j++;
				}
		} else {
			for (size_t i = 0; i < a.n; i++) {
				bits_set(b, a.v[i]);
				if (ids)
					ids[n++] = (int32_t)a.v[i];
			}
		}
	}
	if (ids)
		mc_put((const char *)key.ptr, ids, n, seq); /* takes ids */
	kk_affect_ids_release(&a);
	kk_affect_ids_release(&c);
	kk_buf_release(&key);
	return rc;
}

/* ---- the page: the best limit+1 records by (key, id), both descending ---- */

struct pick {
	double key;
	int64_t id, published, modified;
	int16_t score10;
	uint8_t severity;
};

static inline bool better(const struct pick *a, const struct pick *b)
{
	return a->key > b->key || (a->key == b->key && a->id > b->id);
}

/* Min-heap on "better": the worst kept record at the root. */
static void heap_push(struct pick *h, int *n, int cap, const struct pick *p)
{
	if (*n == cap) {
		if (!better(p, &h[0]))
			return;
		int i = 0; /* replace the root and sift down */
		for (;;) {
			int l = 2 * i + 1, r = l + 1, m = i;
			const struct pick *mv = p;
			if (l < *n && better(mv, &h[l]))
				m = l, mv = &h[l];
			if (r < *n && better(mv, &h[r]))
				m = r;
			if (m == i)
				break;
			h[i] = h[m];
			i = m;
		}
		h[i] = *p;
		return;
	}
	int i = (*n)++;
	while (i > 0 && better(&h[(i - 1) / 2], p)) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = *p;
}

static int pick_cmp(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;
	return better(x, y) ? -1 : better(y, x) ? 1 : 0;
}

/* What the scan needs besides the query. */
struct scan {
	const struct kk_search_query *q;
	const struct kk_cards *c;
	enum kk_search_sort sort;
	const struct bits *must[11];
	int nmust;
	const struct bits *neg;
	const struct vpat *vp;
	uint8_t fmask, fwant; /* a candidate's card flags masked by fmask must be fwant (present; withdrawn=) */
	bool cursor;
	double ckey;
	int64_t cid;
	struct pick *heap;
	int nheap, cap;
	struct kk_search_result *res;
	long years[256]; /* by year - 1900; [0] not stated */
};

/* One candidate record: filters, counts, and the page. */
static void scan_one(struct scan *s, int64_t id, double rank)
{
	const struct kk_cards *c = s->c;
	const struct kk_search_query *q = s->q;
	if (id <= 0 || id > c->max_id || (c->flags[id] & s->fmask) != s->fwant)
		return;
	for (int i = 0; i < s->nmust; i++)
		if (!bits_has(s->must[i], id))
			return;
	if (s->neg && bits_has(s->neg, id))
		return;
	int sev = c->severity[id];
	if (q->severity_mask && !(sev < 5 && (q->severity_mask & (1u << sev))))
		return;
	int sc = c->score10[id];
	if (q->has_score_min && (sc < 0 || sc / 10.0 < q->score_min))
		return;
	if (q->has_score_max && (sc < 0 || sc / 10.0 > q->score_max))
		return;
	int64_t pub = c->published[id], mod = c->modified[id], pd = c->public_date[id];
	if ((q->public_from && pd < q->public_from) || (q->public_to && pd > q->public_to) ||
	    (q->published_from && pub < q->published_from) || (q->published_to && pub > q->published_to) ||
	    (q->updated_from && mod < q->updated_from) || (q->updated_to && mod > q->updated_to))
		return;
	if (q->cvss_version && !kk_cards_has_version(c, id, q->cvss_version))
		return;
	if (s->vp->n && !kk_cards_has_vector(c, id, s->vp->ptr, s->vp->n))
		return;
	struct kk_search_result *res = s->res;
	res->total++;
	if (sev < 5)
		res->severity[sev]++;
	int64_t day = pub / 86400;
	int y = day <= 0 ? 0 : year_of_day(day);
	s->years[y >= 1901 && y < 1900 + 256 ? y - 1900 : 0]++;
	struct pick p = {.id = id, .published = pub, .modified = mod, .score10 = (int16_t)sc, .severity = (uint8_t)sev};
	switch (s->sort) {
	case KK_SORT_PUBLISHED:
		p.key = (double)pub;
		break;
	case KK_SORT_MODIFIED:
		p.key = (double)mod;
		break;
	case KK_SORT_SCORE:
		p.key = sc < 0 ? -1.0 : sc / 10.0;
		break;
	case KK_SORT_RELEVANCE:
		p.key = -rank;
		break;
	case KK_SORT_OLDEST:
		p.key = -(double)pub;
		break;
	}
	if (s->cursor && !(p.key < s->ckey || (p.key == s->ckey && id < s->cid)))
		return;
	heap_push(s->heap, &s->nheap, s->cap, &p);
}

/*
 * No full-text terms but filters from child tables (cpe=, cwe=, vendor= ...):
 * only the records in every filter's bitmap are candidates, read 64 at a
 * time (a product's few hundred records among 300,000 cost a pass over
 * 4,700 words, not 300,000 cards).
 */
static void scan_bits(struct scan *s)
{
	int64_t words = s->c->max_id / 64 + 1;
	for (int64_t w = 0; w < words; w++) {
		uint64_t m = s->must[0]->w[w];
		for (int i = 1; i < s->nmust && m; i++)
			m &= s->must[i]->w[w];
		if (s->neg)
			m &= ~s->neg->w[w];
		while (m) {
			scan_one(s, w * 64 + __builtin_ctzll(m), 0);
			m &= m - 1;
		}
	}
}

static void set_bit(void *arg, int64_t id)
{
	bits_set(arg, id);
}

/* A text match: remembered in seen (when given), then scanned. */
struct seen_scan {
	struct scan *s;
	struct bits *seen;
};

static void scan_seen(void *arg, int64_t id)
{
	struct seen_scan *x = arg;
	if (x->seen && id > 0 && id <= x->seen->max)
		bits_set(x->seen, id);
	scan_one(x->s, id, 0);
}

/* What ranks a record whose own text matches a widened term above any found only by another language's. */
#define OWN_TEXT_BONUS 1e6

/* Titles and aliases of the page's records, then row() for each. */
static int emit(struct kk_db *db, const struct kk_search_query *q, struct pick *page, int n,
                int (*row)(void *arg, const struct kk_search_hit *hit), void *arg)
{
	struct kk_stmt *st;
	int rc = 0;
	for (int i = 0; i < n && rc >= 0; i++) {
		if ((rc = kk_db_prepare(db,
		                        "SELECT v.jvndb, "
		                        "(SELECT group_concat(alias, ' ') FROM (SELECT alias FROM vuln_alias a "
		                        "WHERE a.vuln_id = v.id ORDER BY alias)), "
		                        "(SELECT text FROM vuln_text t WHERE t.vuln_id = v.id AND t.kind IN ('title', "
		                        "'overview', 'description') ORDER BY t.lang = ?2 DESC, t.lang = 'en' DESC, "
		                        "t.kind = 'title' DESC, t.kind = 'overview' DESC, t.id LIMIT 1), "
		                        "v.withdrawn, v.status, v.withdrawn_at, v.withdrawn_reason "
		                        "FROM vuln v WHERE v.id = ?1",
		                        &st)))
			return rc;
		kk_stmt_bind_int64(st, 1, page[i].id);
		kk_stmt_bind_text(st, 2, q->lang ? q->lang : "ja", -1);
		rc = kk_stmt_step(st);
		if (rc == KK_ROW) {
			char tbuf[204];
			struct kk_search_hit h = {
			    .id = page[i].id,
			    .jvndb = kk_stmt_text(st, 0),
			    .aliases = kk_stmt_text(st, 1),
			    .title = cut(kk_stmt_text(st, 2), tbuf, sizeof tbuf),
			    .has_score = page[i].score10 >= 0,
			    .score = page[i].score10 / 10.0,
			    .severity = page[i].severity,
			    .published = page[i].published,
			    .modified = page[i].modified,
			    .withdrawn = kk_stmt_int64(st, 3) != 0,
			    .status = kk_stmt_text(st, 4),
			    .withdrawn_at = kk_stmt_int64(st, 5),
			    .withdrawn_reason = kk_stmt_text(st, 6),
			};
			rc = row ? row(arg, &h) : 0;
		} else if (rc == KK_DONE)
			rc = 0; /* deleted since the cards were read */
		kk_stmt_done(st);
	}
	return rc < 0 ? rc : 0;
}

/*
 * The search runs over the record cards (cards.h): the full-text index
 * gives the matching ids (no table is joined), child-table filters give id
 * bitmaps from their indexes, and every other filter, the counts and the
 * page come from the cards in one pass; only the page's records are read
 * from the tables, for their ids and titles.
 */
static int search_run(struct kk_db *db, const struct kk_search_query *q,
                      int (*row)(void *arg, const struct kk_search_hit *hit), void *arg,
                      struct kk_search_result *res, struct kk_diag *d);

struct run_args {
	const struct kk_search_query *q;
	int (*row)(void *arg, const struct kk_search_hit *hit);
	void *arg;
	struct kk_search_result *res;
	struct kk_diag *d;
};

static int run_read(struct kk_db *db, void *arg)
{
	struct run_args *a = arg;
	return search_run(db, a->q, a->row, a->arg, a->res, a->d);
}

/* One read transaction: the cards' probe, the matches and the page's rows see one snapshot. */
int kk_search_run(struct kk_db *db, const struct kk_search_query *q,
                  int (*row)(void *arg, const struct kk_search_hit *hit), void *arg,
                  struct kk_search_result *res, struct kk_diag *d)
{
	struct run_args a = {q, row, arg, res, d};
	return kk_db_read(db, run_read, &a);
}

static int search_run(struct kk_db *db, const struct kk_search_query *q,
                      int (*row)(void *arg, const struct kk_search_hit *hit), void *arg,
                      struct kk_search_result *res, struct kk_diag *d)
{
	memset(res, 0, sizeof(*res));
	int limit = q->limit ? q->limit : 50;
	if (limit < 1 || limit > KK_SEARCH_LIMIT_MAX)
		return kk_diag_set(d, KK_EINVAL, "limit", "limit must be 1..%d", KK_SEARCH_LIMIT_MAX);
	struct kk_buf pos, neg, lit;
	kk_buf_init(&pos, 8192);
	kk_buf_init(&neg, 8192);
	kk_buf_init(&lit, 8192);
	struct gloss_use gu = {0};
	struct vpat vp;
	struct bits bset[16] = {{0}};
	int nb = 0;
	struct scan *s = kk_calloc(1, sizeof *s);
	struct pick *heap = NULL;
	const struct kk_cards *c = NULL;
	int rc = !s              ? KK_ENOMEM
	         : q->offset < 0 ? kk_diag_set(d, KK_EINVAL, "offset", "the offset must be 0 or more")
	                         : parse_query(q->q, &pos, &neg, &lit, &gu, d);
	if (!rc)
		rc = vector_patterns(q->vector, &vp, d);
	enum kk_search_sort sort = q->sort;
	if (sort == KK_SORT_RELEVANCE && !pos.len)
		sort = KK_SORT_PUBLISHED;
	double ckey = 0;
	int64_t cid = 0;
	bool cursor = q->cursor && *q->cursor;
	if (!rc && cursor && cursor_decode(q->cursor, sort, &ckey, &cid) < 0)
		rc = kk_diag_set(
		    d, KK_EINVAL, "cursor",
		    "the cursor is not one this search gave out (or the sort changed); start again "
		    "without a cursor");
	if (!rc)
		rc = kk_cards_acquire(db, &c);
	/* the page and the offset's records before it; never more than there are records */
	long skip = !c ? 0 : q->offset < c->max_id + 1 ? q->offset : (long)c->max_id + 1;
	if (!rc && !(heap = kk_malloc((size_t)(skip + limit + 1) * sizeof *heap)))
		rc = KK_ENOMEM;
	if (rc) {
		if (c)
			kk_cards_release();
		goto out;
	}
	*s = (struct scan){.q = q, .c = c, .sort = sort, .vp = &vp, .cursor = cursor, .ckey = ckey, .cid = cid,
	                   .heap = heap, .cap = (int)(skip + limit + 1), .res = res,
	                   .fmask = KK_CARD_PRESENT | (q->withdrawn == KK_WITHDRAWN_INCLUDE ? 0 : KK_CARD_WITHDRAWN),
	                   .fwant = KK_CARD_PRESENT | (q->withdrawn == KK_WITHDRAWN_ONLY ? KK_CARD_WITHDRAWN : 0)};
	/* the child-table filters, as id bitmaps */
#define NEED(cond, fill)                                                                                     \
	if (!rc && (cond)) {                                                                                 \
		struct bits *b = &bset[nb++];                                                                \
		if (!(rc = bits_init(b, c->max_id)))                                                         \
			rc = (fill);                                                                         \
		s->must[s->nmust++] = b;                                                                     \
	}
	NEED(q->cwe, bits_sql(db, b, "SELECT vuln_id FROM vuln_cwe WHERE cwe = ?", NULL, q->cwe))
	NEED(q->vendor || q->product, bits_vendor(db, b, q->vendor, q->product))
	NEED((q->cpe && *q->cpe) || (q->purl && *q->purl), bits_product(db, q, c->seq, b, d))
	NEED(q->kev, bits_sql(db, b, "SELECT a.vuln_id FROM vuln_kev k JOIN vuln_alias a ON a.alias = k.cve", NULL, 0))
	NEED(q->source, bits_sql(db, b, "SELECT vuln_id FROM vuln_source WHERE source = ?", q->source, 0))
	NEED(q->ids, bits_ids(b, q->ids, q->nids))
	NEED(q->cve_only,
	     bits_sql(db, b, "SELECT vuln_id FROM vuln_alias WHERE alias >= 'CVE-' AND alias < 'CVE.'", NULL, 0))
	NEED(q->sev_cvss && q->sev, bits_sql(db, b,
	                                     q->sev_cvss == 2   ? "SELECT vuln_id FROM vuln_cvss WHERE version = '2.0' "
	                                                          "AND severity = ?"
	                                     : q->sev_cvss == 3 ? "SELECT vuln_id FROM vuln_cvss WHERE version IN "
	                                                          "('3.0', '3.1') AND severity = ?"
	                                                        : "SELECT vuln_id FROM vuln_cvss WHERE version = '4.0' "
	                                                          "AND severity = ?",
	                                     NULL, q->sev))
#undef NEED
	if (!rc && neg.len) {
		struct bits *b = &bset[nb++];
		if (!(rc = bits_init(b, c->max_id)))
			rc = fts_ids(db, neg.ptr, c->seq, set_bit, b);
		s->neg = b;
	}
	/*
	 * A glossary term widened the query to its other languages: records
	 * whose own text matches the term as typed rank first (own); a query of
	 * that term alone also finds the records of its CWE ids (cweb) the text
	 * does not name, ranked after every text match (seen: matched by text).
	 */
	struct bits *own = NULL, *cweb = NULL, *seen = NULL;
	if (!rc && gu.widened && lit.len && sort == KK_SORT_RELEVANCE && strcmp(lit.ptr, pos.ptr)) {
		own = &bset[nb++];
		if (!(rc = bits_init(own, c->max_id)))
			rc = fts_ids(db, lit.ptr, c->seq, set_bit, own);
	}
	if (!rc && gu.only && gu.only->ncwes) {
		cweb = &bset[nb++];
		seen = &bset[nb++];
		if (!(rc = bits_init(cweb, c->max_id)) && !(rc = bits_init(seen, c->max_id)))
			for (size_t k = 0; !rc && k < gu.only->ncwes; k++)
				rc = bits_sql(db, cweb, "SELECT vuln_id FROM vuln_cwe WHERE cwe = ?", NULL, gu.only->cwes[k]);
	}
	struct seen_scan ss = {s, seen};
	if (!rc && pos.len && sort != KK_SORT_RELEVANCE) {
		rc = fts_ids(db, pos.ptr, c->seq, scan_seen, &ss);
	} else if (!rc && pos.len) { /* relevance: bm25 of every match, computed by the index */
		struct kk_stmt *st;
		rc = kk_db_prepare(db,
		                   "SELECT rowid, bm25(vuln_fts, 10.0, 5.0, 1.0, 3.0) FROM vuln_fts WHERE vuln_fts MATCH ?",
		                   &st);
		if (!rc) {
			kk_stmt_bind_text(st, 1, pos.ptr, -1);
			while ((rc = kk_stmt_step(st)) == KK_ROW) {
				int64_t id = kk_stmt_int64(st, 0);
				double r = kk_stmt_double(st, 1);
				if (own && id > 0 && id <= c->max_id && bits_has(own, id))
					r -= OWN_TEXT_BONUS;
				if (seen && id > 0 && id <= c->max_id)
					bits_set(seen, id);
				scan_one(s, id, r);
			}
			kk_stmt_done(st);
			rc = rc < 0 ? rc : 0;
		}
	}
	if (!rc && pos.len && cweb) {
		/* by CWE only: after every text match (bm25 ranks are negative) */
		int64_t words = c->max_id / 64 + 1;
		for (int64_t w = 0; w < words; w++)
			for (uint64_t m = cweb->w[w] & ~seen->w[w]; m; m &= m - 1)
				scan_one(s, w * 64 + __builtin_ctzll(m), 0);
	}
	if (!rc && !pos.len && s->nmust) {
		scan_bits(s);
	} else if (!rc && !pos.len) {
		for (int64_t id = 1; id <= c->max_id; id++)
			scan_one(s, id, 0);
	}
	kk_cards_release();
	c = NULL;
	if (rc)
		goto out;
	/* the year facet: newest first, "not stated" last */
	for (int y = 255; y >= 0 && res->nyears < KK_SEARCH_YEARS_MAX; y--) {
		if (!s->years[y])
			continue;
		res->years[res->nyears].year = y ? 1900 + y : 0;
		res->years[res->nyears++].count = s->years[y];
	}
	if (q->no_facets) {
		res->total = -1;
		memset(res->severity, 0, sizeof res->severity);
		res->nyears = 0;
	}
	qsort(heap, (size_t)s->nheap, sizeof *heap, pick_cmp);
	int have = s->nheap > skip ? s->nheap - (int)skip : 0; /* after the offset */
	int n = have > limit ? limit : have;
	if (have > limit)
		cursor_encode(res->next_cursor, sizeof res->next_cursor, sort, heap[skip + n - 1].key,
		              heap[skip + n - 1].id);
	rc = emit(db, q, heap + skip, n, row, arg);
out:
	for (int i = 0; i < nb; i++)
		kk_free(bset[i].w);
	kk_free(heap);
	kk_free(s);
	kk_buf_release(&pos);
	kk_buf_release(&neg);
	kk_buf_release(&lit);
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
	kk_json_kv_bool(j, "withdrawn", h->withdrawn);
	kk_json_kv_str(j, "status", h->status && *h->status ? h->status : "published");
	if (h->withdrawn) {
		kk_time_iso(h->withdrawn_at, iso, sizeof iso);
		kk_json_kv_str(j, "withdrawn_at", h->withdrawn_at ? iso : NULL);
		kk_json_kv_str(j, "withdrawn_reason", h->withdrawn_reason && *h->withdrawn_reason ? h->withdrawn_reason : NULL);
	}
	kk_json_obj_close(j);
}

/* ---- index maintenance ---- */

/*
 * A record's row is four columns of normalized text, one source row per
 * line: ids (the JVNDB id, then every alias), title (every title), body
 * (overviews and descriptions) and products (CPE "vendor product" and
 * "ecosystem name" of packages, distinct, in byte order). kk_search_doc_build
 * makes them from a parsed record the way gather() makes them from the
 * stored rows, so a new record is indexed without reading it back.
 */

/* What a record is indexed from: its sources' content hashes, in order (SQL expression for record ID). */
#define SOURCES_SIG(ID)                                                                                      \
	"coalesce((SELECT group_concat(h, '') FROM (SELECT hex(content_hash) AS h FROM vuln_source "         \
	"WHERE vuln_id = " ID " ORDER BY id)), '')"

/* Appends t normalized and a newline to b; invalid UTF-8 is left out (stored text was validated). */
static int put_line(struct kk_buf *b, const char *t)
{
	char *norm;
	int rc = kk_search_normalize(t, strlen(t), &norm);
	if (rc == KK_EINVAL)
		return 0;
	if (rc)
		return rc;
	kk_buf_puts(b, norm);
	kk_buf_putc(b, '\n');
	kk_free(norm);
	return kk_buf_error(b) ? KK_ENOMEM : 0;
}

/* Appends the normalized rows of a one-column query (bound to id) to b. */
static int gather(struct kk_db *db, const char *sql, int64_t id, struct kk_buf *b)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, sql, &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, id);
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		int pr = put_line(b, kk_stmt_text(st, 0));
		if (pr) {
			rc = pr;
			break;
		}
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Copies b's text into the arena (NULL when empty). */
static const char *to_arena(struct kk_arena *a, const struct kk_buf *b, int *rc)
{
	if (!b->len)
		return NULL;
	char *s = kk_arena_strndup(a, (const char *)b->ptr, b->len);
	if (!s)
		*rc = KK_ENOMEM;
	return s;
}

int kk_search_doc_build(const struct kk_vuln_rec *rec, struct kk_arena *a, struct kk_search_doc *doc)
{
	struct kk_buf b;
	int rc = 0;
	memset(doc, 0, sizeof *doc);
	kk_buf_init(&b, 0);
	/* ids: each alias once, in the record's order (vuln_alias skips repeats) */
	for (size_t i = 0; !rc && i < rec->n_aliases; i++) {
		size_t k = 0;
		while (k < i && strcmp(rec->aliases[k], rec->aliases[i]))
			k++;
		if (k == i)
			rc = put_line(&b, rec->aliases[i]);
	}
	if (!rc)
		doc->ids = to_arena(a, &b, &rc);
	for (int col = 0; col < 2 && !rc; col++) {
		kk_buf_reset(&b);
		for (size_t i = 0; !rc && i < rec->n_texts; i++) {
			const char *k = rec->texts[i].kind;
			bool title = !strcmp(k, "title");
			if (col == 0 ? title : !strcmp(k, "overview") || !strcmp(k, "description"))
				rc = put_line(&b, rec->texts[i].text);
		}
		if (!rc)
			*(col == 0 ? &doc->title : &doc->body) = to_arena(a, &b, &rc);
	}
	/* products: distinct, sorted as the stored rows' query sorts them */
	size_t n = rec->n_cpes + rec->n_pkgs, m = 0;
	const char **p = n && !rc ? kk_malloc(n * sizeof *p) : NULL;
	if (n && !rc && !p)
		rc = KK_ENOMEM;
	for (size_t i = 0; !rc && i < n; i++) {
		const char *x, *y;
		if (i < rec->n_cpes) {
			x = rec->cpes[i].vendor ? rec->cpes[i].vendor : "";
			y = rec->cpes[i].product ? rec->cpes[i].product : "";
		} else {
			x = rec->pkgs[i - rec->n_cpes].ecosystem;
			y = rec->pkgs[i - rec->n_cpes].name;
			if (!x || !y)
				continue;
		}
		size_t lx = strlen(x), ly = strlen(y);
		char *s = kk_arena_alloc(a, lx + ly + 2);
		if (!s) {
			rc = KK_ENOMEM;
			break;
		}
		memcpy(s, x, lx);
		s[lx] = ' ';
		memcpy(s + lx + 1, y, ly + 1);
		p[m++] = s;
	}
	if (!rc && m) {
		qsort(p, m, sizeof *p, cmp_str);
		kk_buf_reset(&b);
		for (size_t i = 0; !rc && i < m; i++)
			if (!i || strcmp(p[i], p[i - 1]))
				rc = put_line(&b, p[i]);
		if (!rc)
			doc->products = to_arena(a, &b, &rc);
	}
	kk_free(p);
	kk_buf_release(&b);
	return rc;
}

/* One record's index row to write: its columns (ids NULL: the record is gone) and signature. */
struct row {
	int64_t id;
	const char *col[4];
	const char *sig;
};

/*
 * Writes index rows: every signature first, then every delete (when
 * replacing), then every insert. FTS5 writes out its pending terms whenever
 * a statement opens a savepoint once the table is in the transaction, and
 * any statement with a trigger does (the signature's does): interleaved,
 * each record would become a segment of its own, to be merged again and
 * again; this way the transaction's commit writes one.
 */
static int put_rows(struct kk_db *db, const struct row *r, size_t n, bool replace)
{
	int rc = 0;
	for (size_t i = 0; rc >= 0 && i < n; i++)
		if (r[i].col[0])
			rc = kk_db_exec(db,
			                "INSERT INTO vuln_search_state (vuln_id, sig) VALUES (?, ?) "
			                "ON CONFLICT (vuln_id) DO UPDATE SET sig = excluded.sig",
			                "is", r[i].id, r[i].sig);
	for (size_t i = 0; replace && rc >= 0 && i < n; i++)
		rc = kk_db_exec(db, "DELETE FROM vuln_fts WHERE rowid = ?", "i", r[i].id);
	for (size_t i = 0; rc >= 0 && i < n; i++)
		if (r[i].col[0])
			rc = kk_db_exec(db,
			                "INSERT INTO vuln_fts (rowid, ids, title, body, products) VALUES (?, ?, ?, ?, ?)",
			                "issss", r[i].id, r[i].col[0], r[i].col[1], r[i].col[2], r[i].col[3]);
	return rc < 0 ? rc : 0;
}

int kk_search_index_new(struct kk_db *db, const struct kk_search_new *v, size_t n)
{
	struct row *r = kk_calloc(n ? n : 1, sizeof *r);
	struct kk_buf ids, sigs;
	int rc = r ? 0 : KK_ENOMEM;
	kk_buf_init(&ids, 0);
	kk_buf_init(&sigs, 0);
	/* offsets first: the buffers move while they grow */
	size_t *at = kk_calloc(n ? 2 * n : 1, sizeof *at);
	if (!at)
		rc = KK_ENOMEM;
	for (size_t i = 0; !rc && i < n; i++) {
		at[2 * i] = ids.len;
		rc = put_line(&ids, v[i].jvndb);
		if (!rc && v[i].doc->ids)
			kk_buf_puts(&ids, v[i].doc->ids);
		kk_buf_putc(&ids, 0);
		at[2 * i + 1] = sigs.len;
		for (int k = 0; k < 16; k++)
			kk_buf_printf(&sigs, "%02X", v[i].hash[k]);
		kk_buf_putc(&sigs, 0);
		if (!rc && (kk_buf_error(&ids) || kk_buf_error(&sigs)))
			rc = KK_ENOMEM;
	}
	for (size_t i = 0; !rc && i < n; i++) {
		const struct kk_search_doc *d = v[i].doc;
		r[i] = (struct row){v[i].vuln_id,
		                    {(const char *)ids.ptr + at[2 * i], d->title, d->body, d->products},
		                    (const char *)sigs.ptr + at[2 * i + 1]};
	}
	if (!rc)
		rc = put_rows(db, r, n, true);
	kk_free(at);
	kk_free(r);
	kk_buf_release(&ids);
	kk_buf_release(&sigs);
	return rc;
}

/* The stored rows of one record, as kk_search_doc_build makes them from a parsed record. */
static const char *const gather_sql[4] = {
    ("SELECT jvndb FROM vuln WHERE id = ?1 UNION ALL SELECT alias FROM vuln_alias WHERE vuln_id = ?1 "
     "UNION ALL SELECT former FROM vuln_former WHERE vuln_id = ?1"),
    "SELECT text FROM vuln_text WHERE vuln_id = ? AND kind = 'title'",
    "SELECT text FROM vuln_text WHERE vuln_id = ? AND kind IN ('overview', 'description')",
    ("SELECT DISTINCT coalesce(vendor, '') || ' ' || coalesce(product, '') FROM vuln_cpe WHERE vuln_id = ?1 "
     "UNION SELECT ecosystem || ' ' || name FROM vuln_pkg WHERE vuln_id = ?1 ORDER BY 1"),
};

/* Reads and rewrites the rows of n records (ids) from what is stored: one transaction's work. */
static int reindex_ids(struct kk_db *db, const int64_t *ids, size_t n)
{
	struct kk_buf *b = kk_calloc(n ? 5 * n : 1, sizeof *b);
	struct row *r = kk_calloc(n ? n : 1, sizeof *r);
	int rc = b && r ? 0 : KK_ENOMEM;
	for (size_t i = 0; b && i < 5 * n; i++)
		kk_buf_init(&b[i], 0);
	for (size_t i = 0; !rc && i < n; i++) {
		struct kk_buf *c = &b[5 * i];
		for (int k = 0; k < 4 && !rc; k++)
			rc = gather(db, gather_sql[k], ids[i], &c[k]);
		struct kk_stmt *st;
		if (!rc && !(rc = kk_db_prepare(db, "SELECT " SOURCES_SIG("?1"), &st))) {
			kk_stmt_bind_int64(st, 1, ids[i]);
			rc = kk_stmt_step(st);
			if (rc == KK_ROW)
				kk_buf_puts(&c[4], kk_stmt_text(st, 0));
			kk_stmt_done(st);
			kk_buf_putc(&c[4], 0);
			rc = rc < 0 ? rc : kk_buf_error(&c[4]) ? KK_ENOMEM : 0;
		}
		for (int k = 0; k < 4 && !rc; k++)
			if (c[k].len && kk_buf_putc(&c[k], 0))
				rc = KK_ENOMEM;
	}
	for (size_t i = 0; !rc && i < n; i++) {
		const struct kk_buf *c = &b[5 * i];
		r[i].id = ids[i];
		for (int k = 0; k < 4; k++)
			r[i].col[k] = c[k].len ? (const char *)c[k].ptr : NULL; /* no ids: the record is gone */
		r[i].sig = (const char *)c[4].ptr;
	}
	if (!rc)
		rc = put_rows(db, r, n, true);
	for (size_t i = 0; b && i < 5 * n; i++)
		kk_buf_release(&b[i]);
	kk_free(b);
	kk_free(r);
	return rc;
}

int kk_search_reindex(struct kk_db *db, int64_t vuln_id)
{
	return reindex_ids(db, &vuln_id, 1);
}

struct batch {
	int64_t *ids;
	size_t n;
};

static int batch_tx(struct kk_db *db, void *arg)
{
	struct batch *bt = arg;
	return reindex_ids(db, bt->ids, bt->n);
}

#define REINDEX_BATCH 500
#define CHANGES_KEPT 10000

static int prune_tx(struct kk_db *db, void *arg)
{
	(void)arg;
	return kk_cards_prune(db, CHANGES_KEPT);
}

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
	/* the cards' change log: what a running server has not read by now it reloads whole */
	return kk_db_tx(db, prune_tx, NULL);
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

/* By id, alias, then former id (vulndb/ids.h): *how 0, 1, 2. */
static int find_exact(struct kk_db *db, const char *id, int64_t *out, int *how)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
	                       "SELECT id, 0 FROM vuln WHERE jvndb = ?1 UNION ALL "
	                       "SELECT vuln_id, 1 FROM vuln_alias WHERE alias = ?1 UNION ALL "
	                       "SELECT vuln_id, 2 FROM vuln_former WHERE former = ?1 LIMIT 1",
	                       &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, id, -1);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		*out = kk_stmt_int64(st, 0);
		*how = (int)kk_stmt_int64(st, 1);
	}
	kk_stmt_done(st);
	return rc == KK_ROW ? 0 : rc < 0 ? rc : KK_ENOTFOUND;
}

int kk_search_resolve(struct kk_db *db, const char *id, int64_t *vuln_id, bool *former)
{
	int how = 0;
	int rc = find_exact(db, id, vuln_id, &how);
	if (rc == KK_ENOTFOUND) {
		char up[128];
		size_t n = strlen(id);
		if (n >= sizeof up)
			return KK_ENOTFOUND;
		for (size_t i = 0; i <= n; i++)
			up[i] = (char)toupper((unsigned char)id[i]);
		rc = strcmp(up, id) ? find_exact(db, up, vuln_id, &how) : KK_ENOTFOUND;
	}
	if (former)
		*former = !rc && how == 2;
	return rc;
}

int kk_search_find(struct kk_db *db, const char *id, int64_t *vuln_id)
{
	return kk_search_resolve(db, id, vuln_id, NULL);
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

/*
 * The record's Japanese texts composed (ja.h) when it has no Japanese
 * title of its own: "texts_composed": {"ja": {"title": {"text": ...,
 * "composed": true}, "overview", "impact", "solution"}}; nothing otherwise.
 */
static int composed_json(struct kk_db *db, struct kk_json *j, int64_t id)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT 1 FROM vuln_text WHERE vuln_id = ? AND lang = 'ja' AND kind = 'title'", &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, id);
	rc = kk_stmt_step(st);
	kk_stmt_done(st);
	if (rc != KK_DONE)
		return rc == KK_ROW ? 0 : rc;
	/* the first affected product, by the dictionary's names where it has them */
	char vendor[256] = "", product[256] = "", vector[256] = "";
	rc = kk_db_prepare(db,
	                   "SELECT coalesce(v.name_ja, v.name_en, c.vendor), coalesce(p.name_ja, p.name_en, c.product) "
	                   "FROM vuln_cpe c LEFT JOIN vuln_vendor v ON v.cpe_vendor = c.vendor AND v.purl_type IS NULL "
	                   "LEFT JOIN vuln_product p ON p.cpe_vendor = c.vendor AND p.cpe_product = c.product "
	                   "WHERE c.vuln_id = ?1 AND c.vulnerable "
	                   "UNION ALL SELECT NULL, name FROM vuln_pkg WHERE vuln_id = ?1 LIMIT 1",
	                   &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, id);
	if ((rc = kk_stmt_step(st)) == KK_ROW) {
		if (!kk_stmt_is_null(st, 0))
			kk_strlcpy(vendor, kk_stmt_text(st, 0), sizeof vendor);
		if (!kk_stmt_is_null(st, 1))
			kk_strlcpy(product, kk_stmt_text(st, 1), sizeof product);
	}
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	for (char *p = vendor; *p; p++) /* CPE values write spaces as '_' */
		*p = *p == '_' ? ' ' : *p;
	for (char *p = product; *p; p++)
		*p = *p == '_' ? ' ' : *p;
	int cwes[8];
	size_t ncwes = 0;
	if ((rc = kk_db_prepare(db, "SELECT cwe FROM vuln_cwe WHERE vuln_id = ? GROUP BY cwe ORDER BY min(rowid) LIMIT 8",
	                        &st)))
		return rc;
	kk_stmt_bind_int64(st, 1, id);
	while ((rc = kk_stmt_step(st)) == KK_ROW)
		cwes[ncwes++] = (int)kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	bool fix = false, advisory = false;
	if ((rc = kk_db_prepare(db,
	                        "SELECT (SELECT vector FROM vuln_cvss WHERE vuln_id = ?1 AND vector IS NOT NULL ORDER BY "
	                        "CASE WHEN version LIKE '3%' THEN 0 WHEN version = '4.0' THEN 1 ELSE 2 END, version DESC, id "
	                        "LIMIT 1), "
	                        "EXISTS (SELECT 1 FROM vuln_ref WHERE vuln_id = ?1 AND type LIKE '%Patch%') OR "
	                        "EXISTS (SELECT 1 FROM vuln_pkg WHERE vuln_id = ?1 AND fixed IS NOT NULL), "
	                        "EXISTS (SELECT 1 FROM vuln_ref WHERE vuln_id = ?1 AND type LIKE '%Vendor Advisory%')",
	                        &st)))
		return rc;
	kk_stmt_bind_int64(st, 1, id);
	if ((rc = kk_stmt_step(st)) == KK_ROW) {
		if (!kk_stmt_is_null(st, 0))
			kk_strlcpy(vector, kk_stmt_text(st, 0), sizeof vector);
		fix = kk_stmt_int64(st, 1) != 0;
		advisory = kk_stmt_int64(st, 2) != 0;
	}
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	struct kk_ja_facts f = {vendor, product, cwes, ncwes, vector[0] ? vector : NULL, fix, advisory};
	struct kk_ja_texts t;
	if ((rc = kk_ja_compose(&f, &t))) {
		kk_ja_texts_release(&t);
		return rc;
	}
	const char *kinds[4] = {"title", "overview", "impact", "solution"};
	const struct kk_buf *texts[4] = {&t.title, &t.overview, &t.impact, &t.solution};
	kk_json_key(j, "texts_composed");
	kk_json_obj_open(j);
	kk_json_key(j, "ja");
	kk_json_obj_open(j);
	for (int k = 0; k < 4; k++) {
		kk_json_key(j, kinds[k]);
		kk_json_obj_open(j);
		kk_json_kv_str(j, "text", texts[k]->ptr);
		kk_json_kv_bool(j, "composed", true);
		kk_json_obj_close(j);
	}
	kk_json_obj_close(j);
	kk_json_obj_close(j);
	kk_ja_texts_release(&t);
	return 0;
}

static int record_json(struct kk_db *db, int64_t vuln_id, struct kk_json *j, int64_t *modified);

struct record_args {
	int64_t id;
	struct kk_json *j;
	int64_t *modified;
};

static int record_read(struct kk_db *db, void *arg)
{
	struct record_args *a = arg;
	return record_json(db, a->id, a->j, a->modified);
}

/*
 * ---- rendered details ----
 *
 * A record's full JSON reads a dozen tables (about 120 us of CPU); the
 * same record asked again is answered from memory until it changes. An
 * entry is tagged with the record's state as the cards know it (the whole
 * load's epoch and the record's change count, cards.h), so any change to
 * the record — its rows, CVSS, full text or KEV entry (schemas 0015, 0016)
 * — retires it. Direct-mapped by id, bounded by KEIKAI_DETAIL_CACHE_MB
 * (default 64; 0 turns it off).
 */
#define DC_SLOTS 16384
#define DC_STRIPES 64

struct dc_entry {
	int64_t id, modified;
	uint64_t epoch;
	uint32_t gen;
	char *body;
	size_t n;
};

static struct dc_entry dc[DC_SLOTS];
static pthread_mutex_t dc_lock[DC_STRIPES];
static pthread_once_t dc_once = PTHREAD_ONCE_INIT;
static size_t dc_budget, dc_bytes;

static void dc_init(void)
{
	for (int i = 0; i < DC_STRIPES; i++)
		pthread_mutex_init(&dc_lock[i], NULL);
	const char *v = getenv("KEIKAI_DETAIL_CACHE_MB");
	dc_budget = (size_t)(v && *v ? atol(v) : 64) << 20;
}

/* Writes the cached JSON of id at (epoch, gen) to j: true when there was one. */
static bool dc_get(int64_t id, uint64_t epoch, uint32_t gen, struct kk_json *j, int64_t *modified)
{
	struct dc_entry *e = &dc[id % DC_SLOTS];
	pthread_mutex_t *l = &dc_lock[id % DC_STRIPES];
	bool hit = false;
	pthread_mutex_lock(l);
	if (e->body && e->id == id && e->epoch == epoch && e->gen == gen) {
		kk_json_raw(j, e->body, e->n);
		if (modified)
			*modified = e->modified;
		hit = true;
	}
	pthread_mutex_unlock(l);
	return hit;
}

static void dc_put(int64_t id, uint64_t epoch, uint32_t gen, const char *body, size_t n, int64_t modified)
{
	struct dc_entry *e = &dc[id % DC_SLOTS];
	pthread_mutex_t *l = &dc_lock[id % DC_STRIPES];
	char *copy = kk_malloc(n);
	if (!copy)
		return;
	memcpy(copy, body, n);
	pthread_mutex_lock(l);
	size_t freed = e->body ? e->n : 0;
	if (__atomic_load_n(&dc_bytes, __ATOMIC_RELAXED) - freed + n > dc_budget) {
		pthread_mutex_unlock(l);
		kk_free(copy);
		return;
	}
	kk_free(e->body);
	*e = (struct dc_entry){id, modified, epoch, gen, copy, n};
	__atomic_add_fetch(&dc_bytes, n - freed, __ATOMIC_RELAXED);
	pthread_mutex_unlock(l);
}

/* One read transaction for the dozen tables a record spans (one snapshot, one read lock). */
int kk_search_record_json(struct kk_db *db, int64_t vuln_id, struct kk_json *j, int64_t *modified)
{
	pthread_once(&dc_once, dc_init);
	const struct kk_cards *c;
	uint64_t epoch = 0;
	uint32_t gen = 0;
	bool tagged = false;
	if (dc_budget && vuln_id > 0 && kk_cards_acquire(db, &c) == 0) {
		if (vuln_id <= c->max_id && (c->flags[vuln_id] & KK_CARD_PRESENT)) {
			epoch = c->epoch;
			gen = c->gen[vuln_id];
			tagged = true;
		}
		kk_cards_release();
	}
	if (tagged && dc_get(vuln_id, epoch, gen, j, modified))
		return 0;
	struct kk_buf b = KK_BUF_INIT(j->out->max);
	struct kk_json one;
	kk_json_init(&one, &b);
	int64_t m = 0;
	struct record_args a = {vuln_id, &one, &m};
	int rc = kk_db_read(db, record_read, &a);
	if (!rc && (rc = kk_buf_error(&b)) == 0) {
		kk_json_raw(j, b.ptr, b.len);
		if (modified)
			*modified = m;
		if (tagged)
			dc_put(vuln_id, epoch, gen, b.ptr, b.len, m);
	}
	kk_buf_release(&b);
	return rc;
}

static int record_json(struct kk_db *db, int64_t vuln_id, struct kk_json *j, int64_t *modified)
{
	struct kk_stmt *st;
	int rc =
	    kk_db_prepare(db,
	                  "SELECT jvndb, published, modified, first_published, public_date, score, severity, "
	                  "withdrawn, status, withdrawn_at, withdrawn_reason FROM vuln WHERE id = ?",
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
	kk_json_kv_str(j, "status", kk_stmt_text(st, 8));
	kk_json_key(j, "withdrawn_at");
	col_value(j, st, 'T', 9);
	kk_json_key(j, "withdrawn_reason");
	col_value(j, st, 'S', 10);
	if (modified)
		*modified = kk_stmt_int64(st, 2);
	kk_stmt_done(st);

	if ((rc = rows_json(db, j, "aliases", "SELECT alias FROM vuln_alias WHERE vuln_id = ? ORDER BY alias",
	                    vuln_id, "S", NULL)) ||
	    (rc = rows_json(db, j, "former_ids", "SELECT former FROM vuln_former WHERE vuln_id = ? ORDER BY former",
	                    vuln_id, "S", NULL)) ||
	    (rc = texts_json(db, j, vuln_id)) || (rc = composed_json(db, j, vuln_id)) ||
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
	static const char *const src_n[] = {"source",    "id",          "format",       "published",       "modified",
	                                    "withdrawn", "imported_at", "withdrawn_at", "withdrawn_reason"};
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
	     "SELECT source, source_id, format, published, modified, withdrawn, imported_at, withdrawn_at, "
	     "withdrawn_reason FROM vuln_source WHERE vuln_id = ? ORDER BY id",
	     "SSSTTBTTS", src_n},
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

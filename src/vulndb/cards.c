/*
 * cards.c — search's in-memory record cards (cards.h): loaded whole on
 * first use or after the change log was pruned, else record by record from
 * the change log (vuln_change, schema 0015).
 */
#include "vulndb/cards.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "store/db.h"
#include <math.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static struct kk_cards cards;
static unsigned char instance[16];
static bool loaded;
static size_t garbage; /* pool bytes of replaced CVSS text */

/* More changed records than this since the last look: reload everything. */
#define INCREMENTAL_MAX 20000

static void drop(void)
{
	kk_free(cards.published);
	kk_free(cards.modified);
	kk_free(cards.public_date);
	kk_free(cards.score10);
	kk_free(cards.severity);
	kk_free(cards.flags);
	kk_free(cards.cvss);
	kk_free(cards.gen);
	kk_free(cards.pool);
	memset(&cards, 0, sizeof cards);
	garbage = 0;
	loaded = false;
}

/* Grows every array to hold id (zero-filled). */
static int reserve(int64_t id)
{
	if (id <= cards.max_id && cards.published)
		return 0;
	int64_t old = cards.published ? cards.max_id + 1 : 0;
	int64_t cap = old ? old : 1024;
	while (cap <= id)
		cap *= 2;
#define GROW(field)                                                                                          \
	do {                                                                                                 \
		void *p = kk_realloc(cards.field, (size_t)cap * sizeof *cards.field);                        \
		if (!p)                                                                                      \
			return KK_ENOMEM;                                                                    \
		cards.field = p;                                                                             \
		memset(cards.field + old, 0, (size_t)(cap - old) * sizeof *cards.field);                     \
	} while (0)
	GROW(published);
	GROW(modified);
	GROW(public_date);
	GROW(score10);
	GROW(severity);
	GROW(flags);
	GROW(cvss);
	GROW(gen);
#undef GROW
	cards.max_id = cap - 1;
	return 0;
}

static int pool_add(const char *s, size_t n)
{
	if (cards.pool_len + n + 1 > cards.pool_cap) {
		size_t cap = cards.pool_cap ? cards.pool_cap : 1u << 16;
		while (cards.pool_len + n + 1 > cap)
			cap *= 2;
		char *p = kk_realloc(cards.pool, cap);
		if (!p)
			return KK_ENOMEM;
		cards.pool = p;
		cards.pool_cap = cap;
	}
	memcpy(cards.pool + cards.pool_len, s, n);
	cards.pool_len += n;
	return 0;
}

/* The card's columns of vuln, as set_row reads them. */
#define CARD_COLS "id, published, modified, public_date, score, severity, withdrawn"

/* Sets the card's fields from a row of CARD_COLS. */
static void set_row(struct kk_stmt *st)
{
	int64_t id = kk_stmt_int64(st, 0);
	cards.published[id] = kk_stmt_int64(st, 1);
	cards.modified[id] = kk_stmt_int64(st, 2);
	cards.public_date[id] = kk_stmt_int64(st, 3);
	cards.score10[id] = kk_stmt_is_null(st, 4) ? -1 : (int16_t)lround(kk_stmt_double(st, 4) * 10);
	cards.severity[id] = (uint8_t)kk_stmt_int64(st, 5);
	if (!(cards.flags[id] & KK_CARD_PRESENT))
		cards.n++;
	cards.flags[id] = (uint8_t)(KK_CARD_PRESENT | (kk_stmt_int64(st, 6) ? KK_CARD_WITHDRAWN : 0));
}

/*
 * Appends the CVSS text of the rows (vuln_id, version, vector) st yields,
 * grouped by vuln_id, and points each record's card at it.
 */
static int add_cvss(struct kk_stmt *st)
{
	int rc;
	int64_t cur = -1;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		int64_t id = kk_stmt_int64(st, 0);
		if (id < 0 || id > cards.max_id)
			continue;
		if (id != cur) {
			if (cur >= 0 && (rc = pool_add("", 1)))
				return rc;
			if (cards.cvss[id])
				garbage += strlen(cards.pool + cards.cvss[id]) + 1;
			cards.cvss[id] = (uint32_t)cards.pool_len;
			cur = id;
		}
		const char *ver = kk_stmt_text(st, 1), *vec = kk_stmt_text(st, 2);
		if ((rc = pool_add(ver, strlen(ver))) || (rc = pool_add("\t/", 2)) ||
		    (rc = pool_add(vec, strlen(vec))) || (rc = pool_add("/\n", 2)))
			return rc;
	}
	if (rc < 0)
		return rc;
	if (cur >= 0 && (rc = pool_add("", 1)))
		return rc;
	if (cards.pool_len > UINT32_MAX - 65536)
		return KK_ETOOBIG;
	return 0;
}

/* The log's bounds and the database's token: 0, or a negative code. */
static int probe(struct kk_db *db, unsigned char token[16], int64_t *min, int64_t *max)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
	                       "SELECT (SELECT token FROM search_instance WHERE id = 1), "
	                       "(SELECT coalesce(min(seq), 0) FROM vuln_change), "
	                       "(SELECT coalesce(max(seq), 0) FROM vuln_change)",
	                       &st);
	if (rc)
		return rc;
	rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		memset(token, 0, 16);
		if (kk_stmt_bytes(st, 0) == 16)
			memcpy(token, kk_stmt_blob(st, 0), 16);
		*min = kk_stmt_int64(st, 1);
		*max = kk_stmt_int64(st, 2);
	}
	kk_stmt_done(st);
	return rc == KK_ROW ? 0 : rc < 0 ? rc : KK_EDB;
}

static int load_all(struct kk_db *db, const unsigned char token[16], int64_t seq)
{
	drop();
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT coalesce(max(id), 0) FROM vuln", &st);
	if (rc)
		return rc;
	rc = kk_stmt_step(st);
	int64_t max = rc == KK_ROW ? kk_stmt_int64(st, 0) : 0;
	kk_stmt_done(st);
	if (rc < 0 || (rc = reserve(max)) || (rc = pool_add("", 1))) /* offset 0 means none */
		return rc < 0 ? rc : KK_EDB;
	if ((rc = kk_db_prepare(db, "SELECT " CARD_COLS " FROM vuln", &st)))
		return rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		int64_t id = kk_stmt_int64(st, 0);
		if (id < 0 || (id > cards.max_id && reserve(id))) {
			rc = KK_ENOMEM;
			break;
		}
		set_row(st);
	}
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	if ((rc = kk_db_prepare(db, "SELECT vuln_id, version, vector FROM vuln_cvss ORDER BY vuln_id, id", &st)))
		return rc;
	rc = add_cvss(st);
	kk_stmt_done(st);
	if (rc)
		return rc;
	static uint64_t epochs;
	memcpy(instance, token, 16);
	cards.seq = seq;
	cards.epoch = ++epochs;
	loaded = true;
	return 0;
}

/* Reloads the records logged after cards.seq, up to seq. */
static int load_changes(struct kk_db *db, int64_t seq)
{
	struct kk_stmt *ids, *row, *cv;
	int rc = kk_db_prepare(db, "SELECT DISTINCT vuln_id FROM vuln_change WHERE seq > ? AND seq <= ?", &ids);
	if (rc)
		return rc;
	kk_stmt_bind_int64(ids, 1, cards.seq);
	kk_stmt_bind_int64(ids, 2, seq);
	while ((rc = kk_stmt_step(ids)) == KK_ROW) {
		int64_t id = kk_stmt_int64(ids, 0);
		if (id < 0 || (rc = reserve(id)))
			break;
		cards.gen[id]++;
		if ((rc = kk_db_prepare(db,
		                        "SELECT " CARD_COLS " FROM vuln WHERE id = ?",
		                        &row)))
			break;
		kk_stmt_bind_int64(row, 1, id);
		rc = kk_stmt_step(row);
		if (rc == KK_ROW)
			set_row(row);
		else if (rc == KK_DONE && (cards.flags[id] & KK_CARD_PRESENT)) { /* deleted */
			cards.flags[id] = 0;
			cards.n--;
		}
		kk_stmt_done(row);
		if (rc < 0)
			break;
		if (cards.cvss[id]) {
			garbage += strlen(cards.pool + cards.cvss[id]) + 1;
			cards.cvss[id] = 0;
		}
		if ((rc = kk_db_prepare(db, "SELECT vuln_id, version, vector FROM vuln_cvss WHERE vuln_id = ? ORDER BY id",
		                        &cv)))
			break;
		kk_stmt_bind_int64(cv, 1, id);
		rc = add_cvss(cv);
		kk_stmt_done(cv);
		if (rc)
			break;
	}
	kk_stmt_done(ids);
	if (rc < 0)
		return rc;
	cards.seq = seq;
	return 0;
}

int kk_cards_acquire(struct kk_db *db, const struct kk_cards **out)
{
	unsigned char token[16];
	int64_t min, max;
	int rc = probe(db, token, &min, &max);
	if (rc)
		return rc;
	pthread_rwlock_rdlock(&lock);
	if (loaded && !memcmp(token, instance, 16) && cards.seq >= max) {
		*out = &cards;
		return 0;
	}
	pthread_rwlock_unlock(&lock);
	pthread_rwlock_wrlock(&lock);
	rc = 0;
	bool same = loaded && !memcmp(token, instance, 16);
	if (!same || cards.seq < max) {
		/*
		 * The log is pruned to its newest entries at the end of an import;
		 * cards that saw nothing of what is left reload whole, and so do
		 * cards far behind or with much dead CVSS text.
		 */
		bool whole = !same || (min > cards.seq + 1 && cards.seq < max) || max - cards.seq > INCREMENTAL_MAX ||
		             garbage > cards.pool_len / 2 + (1u << 20);
		uint64_t t0 = kk_clock_mono_ns();
		rc = whole ? load_all(db, token, max) : load_changes(db, max);
		if (rc)
			drop(); /* never half-loaded cards */
		else if (whole)
			kk_debug("search: loaded %ld record cards in %.0f ms", cards.n,
			         (double)(kk_clock_mono_ns() - t0) / 1e6);
	}
	pthread_rwlock_unlock(&lock);
	if (rc)
		return rc;
	pthread_rwlock_rdlock(&lock);
	if (!loaded) { /* another thread's load failed after ours succeeded */
		pthread_rwlock_unlock(&lock);
		return KK_EDB;
	}
	*out = &cards;
	return 0;
}

void kk_cards_release(void)
{
	pthread_rwlock_unlock(&lock);
}

bool kk_cards_has_version(const struct kk_cards *c, int64_t id, const char *ver)
{
	if (id < 0 || id > c->max_id || !c->cvss[id])
		return false;
	size_t n = strlen(ver);
	for (const char *l = c->pool + c->cvss[id]; *l;) {
		if (!strncmp(l, ver, n) && l[n] == '\t')
			return true;
		const char *e = strchr(l, '\n');
		if (!e)
			break;
		l = e + 1;
	}
	return false;
}

/* memmem ignoring ASCII case. */
static const char *casemem(const char *h, size_t hn, const char *n, size_t nn)
{
	for (size_t i = 0; nn <= hn && i <= hn - nn; i++)
		if (!strncasecmp(h + i, n, nn))
			return h + i;
	return NULL;
}

bool kk_cards_has_vector(const struct kk_cards *c, int64_t id, const char *const *pat, int n)
{
	if (id < 0 || id > c->max_id || !c->cvss[id])
		return false;
	for (const char *l = c->pool + c->cvss[id]; *l;) {
		const char *e = strchr(l, '\n');
		if (!e)
			break;
		const char *v = memchr(l, '\t', (size_t)(e - l));
		bool all = v != NULL;
		for (int i = 0; all && i < n; i++)
			all = casemem(v, (size_t)(e - v), pat[i], strlen(pat[i])) != NULL;
		if (all)
			return true;
		l = e + 1;
	}
	return false;
}

int kk_cards_prune(struct kk_db *db, long keep)
{
	if (keep < 1)
		keep = 1;
	int rc = kk_db_exec(db,
	                    "DELETE FROM vuln_change WHERE seq <= (SELECT coalesce(max(seq), 0) FROM vuln_change) - ?",
	                    "i", (int64_t)keep);
	return rc < 0 ? rc : 0;
}

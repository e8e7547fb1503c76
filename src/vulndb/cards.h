/*
 * cards.h — the search's in-memory record cards (internal to vulndb/).
 *
 * A full-text match at national scale can select half the database
 * ("remote": 148,601 of 300,000 records). Joining every match to its vuln
 * row to sort, filter and count it costs a B-tree seek per match (80 ms for
 * that query); reading the same fields from arrays indexed by record id
 * costs nanoseconds. So search keeps, per process, one card per record:
 * the dates, score and severity it sorts, filters and counts by, whether
 * it was rejected or withdrawn (a flag bit: leaving such records out costs
 * no more than the presence test every candidate already has), and the
 * record's CVSS versions and vectors for the version and vector filters.
 * About 130 bytes per record (40 MB at 300,000).
 *
 * Freshness: schema 0015 logs every insert and update of a vuln row in
 * vuln_change (a trigger; the writer updates the vuln row whenever any of a
 * record's sources or CVSS rows change). kk_cards_acquire compares the log's
 * newest entry with what the cards have seen, reloads just the records
 * logged since, or everything when the log was pruned past that point, and
 * only then hands the cards out. A search therefore sees every committed
 * change, and a reader never waits for a writer's transaction.
 *
 * Threads: the cards are shared by the server's workers under a
 * read-write lock: kk_cards_acquire returns holding it for reading;
 * kk_cards_release drops it. Loading takes it for writing.
 */
#ifndef KK_VULNDB_CARDS_H
#define KK_VULNDB_CARDS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kk_db;

#define KK_CARD_PRESENT 1u   /* a record has this id */
#define KK_CARD_WITHDRAWN 2u /* rejected or withdrawn (vuln.withdrawn): left out of searches unless asked */

struct kk_cards {
	int64_t max_id;                           /* arrays hold ids 0..max_id */
	int64_t *published, *modified, *public_date;
	int16_t *score10;                         /* score * 10, -1 when none */
	uint8_t *severity;                        /* 0 none .. 4 critical */
	uint8_t *flags;                           /* KK_CARD_* */
	uint32_t *cvss;                           /* offset of the record's CVSS text in pool; 0: none */
	/*
	 * CVSS text: one line per CVSS row, "<version>\t/<vector>/\n", then a
	 * NUL ("3.1\t/CVSS:3.1/AV:N/.../\n2.0\t/AV:N/AC:L/.../\n").
	 */
	char *pool;
	size_t pool_len, pool_cap;
	uint32_t *gen;  /* bumped whenever the record is reloaded from the change log */
	uint64_t epoch; /* new on every whole load: (epoch, gen[id]) names one state of record id */
	int64_t seq;    /* last vuln_change entry applied */
	long n;      /* records present */
};

/*
 * Brings the cards up to date with db and returns them held for reading
 * (*out), or a negative KK_E* code (nothing held). Every successful call
 * pairs with kk_cards_release().
 */
int kk_cards_acquire(struct kk_db *db, const struct kk_cards **out);
void kk_cards_release(void);

/*
 * Prunes the change log to its newest `keep` entries, and never below one
 * (the newest tells every process how far the log has gone). Returns 0 or
 * a negative code. `keikai import` calls it at its end.
 */
int kk_cards_prune(struct kk_db *db, long keep);

/* True when the CVSS text at c->pool + c->cvss[id] has a row of version ver (NULL: any). */
bool kk_cards_has_version(const struct kk_cards *c, int64_t id, const char *ver);
/*
 * True when one CVSS row of the record holds every pattern ("/AV:N/",
 * "/PR:N/"; n of them; ASCII case ignored) — the vector filter.
 */
bool kk_cards_has_vector(const struct kk_cards *c, int64_t id, const char *const *pat, int n);

#endif

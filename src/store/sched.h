/*
 * sched.h — deadlines that live in the database (DESIGN.md data flow 3).
 *
 * A job is (kind, subject, due_at): "coord.ack_reminder" for vendor
 * participation 17 at 2026-03-01T00:00Z. Domain code schedules jobs inside
 * the transaction of the change that causes them, so a job exists iff that
 * change committed, and a restart loses none. At most one *pending* job per
 * (kind, subject): scheduling it again moves its due time.
 *
 * The runner (kk_sched_run) is driven from the top layer — the server's
 * scheduler thread and `keikai tick` — with a table of handlers keyed by
 * kind, so store/ never calls up into the domains. Time comes from the
 * caller (`now`), which takes it from kk_clock_now(): tests pin the clock
 * (KEIKAI_TEST_NOW, `keikai tick --at`) and every reminder is reproducible.
 *
 *   static int remind(struct kk_db *db, const struct kk_sched_job *j, int64_t now, struct kk_diag *d);
 *   static const struct kk_sched_handler jobs[] = {{"coord.ack_reminder", remind}};
 *   kk_sched_run(db, jobs, 1, kk_clock_now(), 100, &stats, &d);
 *
 * Kinds are "<module>.<what>" (lower case, at most 63 bytes).
 */
#ifndef KK_STORE_SCHED_H
#define KK_STORE_SCHED_H
#include "base/err.h"
#include <stddef.h>
#include <stdint.h>

struct kk_db;

/*
 * [in tx] Schedules kind/subject at due_at (seconds since the epoch). If a
 * pending job with the same kind and subject exists, its due time becomes
 * due_at and its attempt count is kept. *id_out (may be NULL) gets the id.
 */
int kk_sched_at(struct kk_db *db, const char *kind, int64_t subject, int64_t due_at, int64_t *id_out,
		struct kk_diag *d);
/* [in tx] Cancels the pending job kind/subject, if any (not an error when none). */
int kk_sched_cancel(struct kk_db *db, const char *kind, int64_t subject, struct kk_diag *d);
/* [in tx] Cancels every pending job whose kind starts with prefix ("coord.") for subject. */
int kk_sched_cancel_prefix(struct kk_db *db, const char *prefix, int64_t subject, struct kk_diag *d);
/* Due time of the pending job kind/subject: 0 and *due set, or KK_ENOTFOUND. */
int kk_sched_due(struct kk_db *db, const char *kind, int64_t subject, int64_t *due);

struct kk_sched_job {
	int64_t id;
	const char *kind;
	int64_t subject;
	int64_t due_at;
	int attempts; /* earlier failed runs of this job */
};

/*
 * A handler runs inside one transaction that the runner opens; the job is
 * already marked done in it. To repeat, the handler schedules the same kind
 * and subject again (kk_sched_at) — a new pending job. A negative return
 * rolls everything back; the runner then records the failure (d->msg, which
 * therefore must not hold confidential text) and retries with backoff
 * (1, 2, 4 ... minutes, at most 6 hours); after 20 failures the job is
 * marked failed and logged.
 */
typedef int (*kk_sched_fn)(struct kk_db *db, const struct kk_sched_job *job, int64_t now, struct kk_diag *d);

struct kk_sched_handler {
	const char *kind; /* exact kind */
	kk_sched_fn fn;
};

struct kk_sched_stats {
	int ran;     /* handlers that succeeded */
	int retried; /* failed, will run again */
	int failed;  /* failed for the last time */
	int unknown; /* no handler for the kind (left pending; logged) */
};

/*
 * Runs up to limit jobs due at or before now, oldest first, each in its
 * own transaction. Returns 0 (stats filled; failures are counted, not
 * returned) or a negative code when the database cannot be read.
 */
int kk_sched_run(struct kk_db *db, const struct kk_sched_handler *h, size_t nh, int64_t now, int limit,
		 struct kk_sched_stats *st, struct kk_diag *d);
/* Earliest due time of any pending job: 0 and *due, or KK_ENOTFOUND. */
int kk_sched_next(struct kk_db *db, int64_t *due);

struct kk_sched_entry {
	int64_t id;
	const char *kind;
	int64_t subject;
	int64_t due_at;
	int attempts;
	const char *state; /* pending, done, cancelled, failed */
	const char *last_error;
};
/* Lists jobs (state NULL = pending only; "all" = every state), by due time. fn returning non-zero stops. */
int kk_sched_list(struct kk_db *db, const char *state, int (*fn)(void *arg, const struct kk_sched_entry *e),
		  void *arg);

#endif

/*
 * sched.c — jobs with due times in the job table (sched.h): scheduling
 * inside the caller's transaction, and the runner the top layer drives.
 */
#include "store/sched.h"
#include "base/clock.h"
#include "base/log.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define MAX_FAILURES 20
#define MAX_BACKOFF (6 * 3600)

static int kind_ok(const char *kind, struct kk_diag *d)
{
	size_t n = kind ? strlen(kind) : 0;
	if (n == 0 || n > 63 || !strchr(kind, '.'))
		return kk_diag_set(d, KK_EINVAL, "kind", "job kind '%s' must be \"<module>.<what>\", 1-63 bytes",
				   kind ? kind : "");
	return 0;
}

static int need_tx(struct kk_db *db, const char *fn, struct kk_diag *d)
{
	if (!kk_db_in_tx(db))
		return kk_diag_set(d, KK_EINVAL, NULL, "%s must run inside a transaction", fn);
	return 0;
}

int kk_sched_at(struct kk_db *db, const char *kind, int64_t subject, int64_t due_at, int64_t *id_out,
		struct kk_diag *d)
{
	int rc;
	if ((rc = kind_ok(kind, d)) || (rc = need_tx(db, "kk_sched_at", d)))
		return rc;
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db,
				"INSERT INTO job (kind, subject, due_at, created_at) VALUES (?, ?, ?, ?) "
				"ON CONFLICT (kind, subject) WHERE state = 'pending' DO UPDATE SET due_at = excluded.due_at "
				"RETURNING id",
				&st)))
		return kk_diag_set(d, rc, "job", "cannot schedule %s: %s", kind, kk_db_errmsg(db));
	kk_stmt_bind_text(st, 1, kind, -1);
	kk_stmt_bind_int64(st, 2, subject);
	kk_stmt_bind_int64(st, 3, due_at);
	kk_stmt_bind_int64(st, 4, kk_clock_now());
	rc = kk_stmt_step(st);
	if (rc == KK_ROW && id_out)
		*id_out = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	if (rc < 0)
		return kk_diag_set(d, rc, "job", "cannot schedule %s: %s", kind, kk_db_errmsg(db));
	return 0;
}

static int cancel(struct kk_db *db, const char *sql, const char *kind, int64_t subject, struct kk_diag *d)
{
	int rc = need_tx(db, "kk_sched_cancel", d);
	if (rc)
		return rc;
	rc = kk_db_exec(db, sql, "isi", kk_clock_now(), kind, subject);
	return rc < 0 ? kk_diag_set(d, rc, "job", "cannot cancel %s: %s", kind, kk_db_errmsg(db)) : 0;
}

int kk_sched_cancel(struct kk_db *db, const char *kind, int64_t subject, struct kk_diag *d)
{
	return cancel(db,
		      "UPDATE job SET state = 'cancelled', finished_at = ? "
		      "WHERE kind = ? AND subject = ? AND state = 'pending'",
		      kind, subject, d);
}

int kk_sched_cancel_prefix(struct kk_db *db, const char *prefix, int64_t subject, struct kk_diag *d)
{
	/* substr() rather than LIKE: a prefix may hold '_' or '%' */
	return cancel(db,
		      "UPDATE job SET state = 'cancelled', finished_at = ?1 "
		      "WHERE substr(kind, 1, length(?2)) = ?2 AND subject = ?3 AND state = 'pending'",
		      prefix, subject, d);
}

int kk_sched_due(struct kk_db *db, const char *kind, int64_t subject, int64_t *due)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT due_at FROM job WHERE kind = ? AND subject = ? AND state = 'pending'", &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, kind, -1);
	kk_stmt_bind_int64(st, 2, subject);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW)
		*due = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return rc == KK_ROW ? 0 : rc < 0 ? rc : KK_ENOTFOUND;
}

static kk_sched_fn find(const struct kk_sched_handler *h, size_t nh, const char *kind)
{
	for (size_t i = 0; i < nh; i++)
		if (!strcmp(h[i].kind, kind))
			return h[i].fn;
	return NULL;
}

/* One due job, copied out of the statement so the runner can write. */
struct due {
	int64_t id, subject, due_at;
	int attempts;
	char kind[64];
};

struct run {
	struct due *job;
	kk_sched_fn fn;
	int64_t now;
	struct kk_diag *d;
};

static int run_tx(struct kk_db *db, void *arg)
{
	struct run *r = arg;
	/* claimed in this transaction: a second runner sees it done or not at all */
	int rc = kk_db_exec(db, "UPDATE job SET state = 'done', finished_at = ? WHERE id = ? AND state = 'pending'",
			    "ii", r->now, r->job->id);
	if (rc < 0)
		return kk_diag_set(r->d, rc, "job", "cannot claim job %lld: %s", (long long)r->job->id,
				   kk_db_errmsg(db));
	if (rc == 0)
		return 0; /* another runner took it */
	struct kk_sched_job j = {r->job->id, r->job->kind, r->job->subject, r->job->due_at, r->job->attempts};
	rc = r->fn(db, &j, r->now, r->d);
	if (rc < 0 && !r->d->msg[0])
		kk_diag_set(r->d, rc, NULL, "%s", kk_err_msg(rc));
	return rc < 0 ? rc : 0;
}

struct fail {
	struct due *job;
	int64_t now;
	const char *msg;
	bool last;
};

static int fail_tx(struct kk_db *db, void *arg)
{
	struct fail *f = arg;
	int64_t wait = 60;
	for (int i = 0; i < f->job->attempts && wait < MAX_BACKOFF; i++)
		wait *= 2;
	if (wait > MAX_BACKOFF)
		wait = MAX_BACKOFF;
	int rc = kk_db_exec(db,
			    "UPDATE job SET attempts = attempts + 1, last_error = ?, due_at = ?, "
			    "state = CASE WHEN ? THEN 'failed' ELSE state END, "
			    "finished_at = CASE WHEN ? THEN ? ELSE finished_at END "
			    "WHERE id = ? AND state = 'pending'",
			    "siiiii", f->msg, f->now + wait, (int64_t)f->last, (int64_t)f->last, f->now, f->job->id);
	return rc < 0 ? rc : 0;
}

#define BATCH 64

int kk_sched_run(struct kk_db *db, const struct kk_sched_handler *h, size_t nh, int64_t now, int limit,
		 struct kk_sched_stats *st, struct kk_diag *d)
{
	memset(st, 0, sizeof(*st));
	int64_t after = 0; /* (due_at, id) of the last job looked at: unknown kinds are passed over */
	int64_t after_id = 0;
	while (limit > 0) {
		struct due batch[BATCH];
		int n = 0, rc;
		struct kk_stmt *q;
		if ((rc = kk_db_prepare(db,
					"SELECT id, kind, subject, due_at, attempts FROM job "
					"WHERE state = 'pending' AND due_at <= ? AND (due_at > ? OR (due_at = ? AND id > ?)) "
					"ORDER BY due_at, id LIMIT ?",
					&q)))
			return kk_diag_set(d, rc, "job", "cannot read due jobs: %s", kk_db_errmsg(db));
		kk_stmt_bind_int64(q, 1, now);
		kk_stmt_bind_int64(q, 2, after);
		kk_stmt_bind_int64(q, 3, after);
		kk_stmt_bind_int64(q, 4, after_id);
		kk_stmt_bind_int64(q, 5, BATCH);
		while ((rc = kk_stmt_step(q)) == KK_ROW) {
			struct due *j = &batch[n++];
			j->id = kk_stmt_int64(q, 0);
			snprintf(j->kind, sizeof(j->kind), "%s", kk_stmt_text(q, 1));
			j->subject = kk_stmt_int64(q, 2);
			j->due_at = kk_stmt_int64(q, 3);
			j->attempts = (int)kk_stmt_int64(q, 4);
		}
		kk_stmt_done(q);
		if (rc < 0)
			return kk_diag_set(d, rc, "job", "cannot read due jobs: %s", kk_db_errmsg(db));
		if (n == 0)
			break;
		for (int i = 0; i < n && limit > 0; i++) {
			struct due *j = &batch[i];
			after = j->due_at;
			after_id = j->id;
			kk_sched_fn fn = find(h, nh, j->kind);
			if (!fn) {
				/* said once per job, not on every tick */
				rc = kk_db_exec(db,
						"UPDATE job SET last_error = 'no handler for this kind in this keikai' "
						"WHERE id = ? AND last_error IS NULL",
						"i", j->id);
				if (rc > 0)
					kk_warn("sched: no handler for job kind %s (job %lld); left pending for a keikai "
						"that knows it",
						j->kind, (long long)j->id);
				st->unknown++;
				continue;
			}
			limit--;
			struct kk_diag jd;
			kk_diag_clear(&jd);
			struct run r = {j, fn, now, &jd};
			rc = kk_db_tx(db, run_tx, &r);
			if (rc >= 0) {
				st->ran++;
				continue;
			}
			bool last = j->attempts + 1 >= MAX_FAILURES;
			struct fail f = {j, now, jd.msg[0] ? jd.msg : kk_err_msg(rc), last};
			if (kk_db_tx(db, fail_tx, &f) < 0)
				return kk_diag_set(d, KK_EDB, "job", "cannot record the failure of job %lld: %s",
						   (long long)j->id, kk_db_errmsg(db));
			kk_warn("sched: job %lld (%s %lld) failed%s: %s", (long long)j->id, j->kind,
				(long long)j->subject, last ? " for the last time" : ", will retry", f.msg);
			if (last)
				st->failed++;
			else
				st->retried++;
		}
		if (n < BATCH)
			break;
	}
	return 0;
}

int kk_sched_next(struct kk_db *db, int64_t *due)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT min(due_at) FROM job WHERE state = 'pending'", &st);
	if (rc)
		return rc;
	rc = kk_stmt_step(st);
	bool have = rc == KK_ROW && !kk_stmt_is_null(st, 0);
	if (have)
		*due = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return rc < 0 ? rc : have ? 0 : KK_ENOTFOUND;
}

int kk_sched_list(struct kk_db *db, const char *state, int (*fn)(void *arg, const struct kk_sched_entry *e),
		  void *arg)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT id, kind, subject, due_at, attempts, state, coalesce(last_error, '') FROM job "
			       "WHERE ?1 = 'all' OR state = ?1 ORDER BY due_at, id",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, state ? state : "pending", -1);
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_sched_entry e = {kk_stmt_int64(st, 0),     kk_stmt_text(st, 1),
					   kk_stmt_int64(st, 2),     kk_stmt_int64(st, 3),
					   (int)kk_stmt_int64(st, 4), kk_stmt_text(st, 5),
					   kk_stmt_text(st, 6)};
		if (fn(arg, &e)) {
			rc = KK_DONE;
			break;
		}
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

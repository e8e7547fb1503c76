/* u-sched.c — jobs in the database: schedule, move, cancel, run, retry with backoff, repeat, unknown kinds. */
#include "testutil.h"
#include "base/clock.h"
#include "base/err.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/sched.h"
#include <stdio.h>
#include <string.h>

static struct kk_db *fresh(void)
{
	static int n;
	char path[600];
	snprintf(path, sizeof(path), "%s/s%d.db", tu_tmpdir(), n++);
	struct kk_db *db;
	struct kk_diag d;
	kk_diag_clear(&d);
	assert_int_equal(kk_db_open(path, KK_DB_CREATE, &db), 0);
	assert_true(kk_migrate_run(db, path, NULL, NULL, NULL, &d) > 0);
	return db;
}

struct at {
	const char *kind;
	int64_t subject, due;
};

static int at_tx(struct kk_db *db, void *arg)
{
	struct at *a = arg;
	struct kk_diag d;
	kk_diag_clear(&d);
	return kk_sched_at(db, a->kind, a->subject, a->due, NULL, &d);
}

static void at(struct kk_db *db, const char *kind, int64_t subject, int64_t due)
{
	struct at a = {kind, subject, due};
	assert_int_equal(kk_db_tx(db, at_tx, &a), 0);
}

static int count(struct kk_db *db, const char *state)
{
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, "SELECT count(*) FROM job WHERE state = ?", &st), 0);
	kk_stmt_bind_text(st, 1, state, -1);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	int n = (int)kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return n;
}

static void test_at_moves_and_cancels(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	struct kk_diag d;
	kk_diag_clear(&d);
	/* outside a transaction: refused */
	assert_int_equal(kk_sched_at(db, "t.x", 1, 100, NULL, &d), KK_EINVAL);
	/* a kind without a module part: refused */
	struct at bad = {"nodot", 1, 100};
	assert_int_equal(kk_db_tx(db, at_tx, &bad), KK_EINVAL);
	at(db, "t.x", 1, 100);
	at(db, "t.x", 1, 250); /* moves, does not add */
	at(db, "t.x", 2, 50);
	assert_int_equal(count(db, "pending"), 2);
	int64_t due = 0;
	assert_int_equal(kk_sched_due(db, "t.x", 1, &due), 0);
	assert_int_equal(due, 250);
	assert_int_equal(kk_sched_next(db, &due), 0);
	assert_int_equal(due, 50);
	assert_int_equal(kk_sched_due(db, "t.x", 3, &due), KK_ENOTFOUND);
	struct at c = {"t.x", 1, 0};
	assert_int_equal(kk_db_tx(db, (int (*)(struct kk_db *, void *))at_tx, &c), 0); /* re-add at 0 */
	kk_db_close(db);
}

static int cancel_tx(struct kk_db *db, void *arg)
{
	struct kk_diag d;
	kk_diag_clear(&d);
	(void)arg;
	int rc = kk_sched_cancel(db, "t.x", 1, &d);
	if (!rc)
		rc = kk_sched_cancel_prefix(db, "u_", 7, &d);
	return rc;
}

static void test_cancel(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	at(db, "t.x", 1, 100);
	at(db, "u_.a", 7, 100);
	at(db, "u_.b", 7, 100);
	at(db, "uz.c", 7, 100); /* '_' is not a wildcard */
	assert_int_equal(kk_db_tx(db, cancel_tx, NULL), 0);
	assert_int_equal(count(db, "cancelled"), 3);
	assert_int_equal(count(db, "pending"), 1);
	kk_db_close(db);
}

static int runs, fails_left;
static int64_t seen_now;

static int ok_fn(struct kk_db *db, const struct kk_sched_job *j, int64_t now, struct kk_diag *d)
{
	(void)db, (void)j, (void)d;
	runs++;
	seen_now = now;
	return 0;
}

/* writes a row, then fails: the row must be rolled back */
static int flaky_fn(struct kk_db *db, const struct kk_sched_job *j, int64_t now, struct kk_diag *d)
{
	(void)now;
	runs++;
	kk_db_exec(db, "INSERT INTO job (kind, subject, due_at, created_at, state) VALUES ('t.trace', ?, 0, 0, 'done')",
		   "i", j->subject);
	if (fails_left-- > 0)
		return kk_diag_set(d, KK_EIO, NULL, "smtp said no");
	return 0;
}

/* repeats itself every 100 s, three times */
static int repeat_fn(struct kk_db *db, const struct kk_sched_job *j, int64_t now, struct kk_diag *d)
{
	runs++;
	if (runs < 3)
		return kk_sched_at(db, j->kind, j->subject, now + 100, NULL, d);
	return 0;
}

static void test_run(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	struct kk_sched_handler h[] = {{"t.ok", ok_fn}, {"t.flaky", flaky_fn}, {"t.repeat", repeat_fn}};
	struct kk_sched_stats st;
	struct kk_diag d;
	kk_diag_clear(&d);
	at(db, "t.ok", 1, 100);
	at(db, "t.ok", 2, 200);
	at(db, "t.unknown", 3, 50);
	runs = 0;
	/* nothing due before 100 except the unknown one, which stays pending */
	assert_int_equal(kk_sched_run(db, h, 3, 99, 10, &st, &d), 0);
	assert_int_equal(runs, 0);
	assert_int_equal(st.unknown, 1);
	assert_int_equal(kk_sched_run(db, h, 3, 150, 10, &st, &d), 0);
	assert_int_equal(runs, 1);
	assert_int_equal(st.ran, 1);
	assert_int_equal(seen_now, 150);
	/* already done: not again */
	assert_int_equal(kk_sched_run(db, h, 3, 150, 10, &st, &d), 0);
	assert_int_equal(runs, 1);
	/* limit */
	at(db, "t.ok", 4, 120);
	assert_int_equal(kk_sched_run(db, h, 3, 300, 1, &st, &d), 0);
	assert_int_equal(st.ran, 1);
	assert_int_equal(kk_sched_run(db, h, 3, 300, 10, &st, &d), 0);
	assert_int_equal(st.ran, 1);
	assert_int_equal(runs, 3);
	assert_int_equal(count(db, "pending"), 1); /* the unknown one */

	/* failure: rolled back, retried after 60 s, then 120 s, then succeeds */
	runs = 0;
	fails_left = 2;
	at(db, "t.flaky", 9, 1000);
	assert_int_equal(kk_sched_run(db, h, 3, 1000, 10, &st, &d), 0);
	assert_int_equal(st.retried, 1);
	int64_t due = 0;
	assert_int_equal(kk_sched_due(db, "t.flaky", 9, &due), 0);
	assert_int_equal(due, 1060);
	assert_int_equal(count(db, "done"), 3); /* the flaky row's INSERT was rolled back */
	assert_int_equal(kk_sched_run(db, h, 3, 1059, 10, &st, &d), 0);
	assert_int_equal(runs, 1);
	assert_int_equal(kk_sched_run(db, h, 3, 1060, 10, &st, &d), 0);
	assert_int_equal(kk_sched_due(db, "t.flaky", 9, &due), 0);
	assert_int_equal(due, 1060 + 120);
	assert_int_equal(kk_sched_run(db, h, 3, 1180, 10, &st, &d), 0);
	assert_int_equal(st.ran, 1);
	assert_int_equal(runs, 3);
	assert_int_equal(kk_sched_due(db, "t.flaky", 9, &due), KK_ENOTFOUND);
	struct kk_stmt *q;
	assert_int_equal(kk_db_prepare(db, "SELECT attempts, last_error FROM job WHERE kind = 't.flaky'", &q), 0);
	assert_int_equal(kk_stmt_step(q), KK_ROW);
	assert_int_equal(kk_stmt_int64(q, 0), 2);
	assert_string_equal(kk_stmt_text(q, 1), "smtp said no");
	kk_stmt_done(q);

	/* a handler that schedules itself again */
	runs = 0;
	at(db, "t.repeat", 5, 2000);
	for (int64_t t = 2000; t <= 2400; t += 100)
		assert_int_equal(kk_sched_run(db, h, 3, t, 10, &st, &d), 0);
	assert_int_equal(runs, 3);
	kk_db_close(db);
}

static void test_gives_up(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	struct kk_sched_handler h[] = {{"t.flaky", flaky_fn}};
	struct kk_sched_stats st;
	struct kk_diag d;
	kk_diag_clear(&d);
	fails_left = 1000;
	at(db, "t.flaky", 1, 0);
	int64_t t = 0;
	int failed = 0;
	for (int i = 0; i < 30; i++) {
		assert_int_equal(kk_sched_run(db, h, 1, t, 10, &st, &d), 0);
		failed += st.failed;
		t += 6 * 3600; /* past the longest backoff */
	}
	assert_int_equal(failed, 1);
	assert_int_equal(count(db, "failed"), 1);
	assert_int_equal(count(db, "pending"), 0);
	kk_db_close(db);
}

static int listed;
static int list_fn(void *arg, const struct kk_sched_entry *e)
{
	(void)arg;
	assert_non_null(e->kind);
	listed++;
	return 0;
}

static void test_list(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	at(db, "t.a", 1, 10);
	at(db, "t.b", 1, 20);
	assert_int_equal(kk_db_tx(db, cancel_tx, NULL), 0); /* cancels nothing of these */
	listed = 0;
	assert_int_equal(kk_sched_list(db, NULL, list_fn, NULL), 0);
	assert_int_equal(listed, 2);
	listed = 0;
	assert_int_equal(kk_sched_list(db, "done", list_fn, NULL), 0);
	assert_int_equal(listed, 0);
	kk_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_at_moves_and_cancels),
	    cmocka_unit_test(test_cancel),
	    cmocka_unit_test(test_run),
	    cmocka_unit_test(test_gives_up),
	    cmocka_unit_test(test_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

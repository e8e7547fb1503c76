/* u-db.c — the store API: statements, cache, transactions, busy retry, constraint errors, threads. */
#include "testutil.h"
#include "base/alloc.h"
#include "base/err.h"
#include "store/db.h"
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char path[512];

static struct kk_db *fresh(void)
{
	snprintf(path, sizeof(path), "%s/t.db", tu_tmpdir());
	struct kk_db *db;
	assert_int_equal(kk_db_open(path, KK_DB_CREATE, &db), 0);
	assert_int_equal(kk_db_exec_script(db, "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL,"
					       " n INTEGER CHECK (n >= 0), x REAL, b BLOB);"
					       "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER NOT NULL"
					       " REFERENCES p(id));"),
			 0);
	return db;
}

static void test_open(void **state)
{
	(void)state;
	struct kk_db *db = NULL;
	char p[600];
	snprintf(p, sizeof(p), "%s/missing.db", tu_tmpdir());
	assert_int_equal(kk_db_open(p, 0, &db), KK_ENOTFOUND);
	assert_null(db);
	/* a file that is not a database */
	FILE *f = fopen(p, "w");
	fputs("this is not a database, just some text long enough to fill a header page......................."
	      "......................................................................................",
	      f);
	fclose(f);
	assert_true(kk_db_open(p, 0, &db) < 0);
	assert_null(db);
	db = fresh();
	assert_true(kk_db_size(db) > 0);
	/* WAL and foreign keys are on */
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, "PRAGMA journal_mode", &st), 0);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	assert_string_equal(kk_stmt_text(st, 0), "wal");
	kk_stmt_done(st);
	assert_int_equal(kk_db_prepare(db, "PRAGMA foreign_keys", &st), 0);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	assert_int_equal(kk_stmt_int64(st, 0), 1);
	kk_stmt_done(st);
	kk_db_close(db);
	kk_db_close(NULL);
}

static void test_bind_step(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, "INSERT INTO p (name, n, x, b) VALUES (?, ?, ?, ?)", &st), 0);
	assert_int_equal(kk_stmt_bind_text(st, 1, "alpha-and-more", 5), 0);
	assert_int_equal(kk_stmt_bind_int64(st, 2, 1234567890123LL), 0);
	assert_int_equal(kk_stmt_bind_double(st, 3, 2.5), 0);
	assert_int_equal(kk_stmt_bind_blob(st, 4, "\0\1\2", 3), 0);
	assert_int_equal(kk_stmt_bind_int64(st, 9, 1), KK_EDB); /* no such parameter */
	assert_int_equal(kk_stmt_step(st), KK_DONE);
	kk_stmt_done(st);
	assert_int_equal(kk_db_last_insert_id(db), 1);
	assert_int_equal(kk_db_exec(db, "INSERT INTO p (name, n, x, b) VALUES (?, ?, ?, ?)", "sidn", "beta",
				    (int64_t)7, 0.25),
			 1);
	assert_int_equal(kk_db_exec(db, "INSERT INTO p (name) VALUES (?)", "s", "gamma"), 1);
	assert_int_equal(kk_db_exec(db, "UPDATE p SET n = n + 1 WHERE n IS NOT NULL", ""), 2);
	assert_int_equal(kk_db_exec(db, "INSERT INTO p (name) VALUES (?)", "q", "x"), KK_EINVAL);

	assert_int_equal(kk_db_prepare(db, "SELECT name, n, x, b FROM p ORDER BY id", &st), 0);
	assert_int_equal(kk_stmt_columns(st), 4);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	assert_string_equal(kk_stmt_text(st, 0), "alpha");
	assert_int_equal(kk_stmt_int64(st, 1), 1234567890124LL);
	assert_true(kk_stmt_double(st, 2) == 2.5);
	assert_int_equal(kk_stmt_bytes(st, 3), 3);
	assert_memory_equal(kk_stmt_blob(st, 3), "\0\1\2", 3);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	assert_string_equal(kk_stmt_text(st, 0), "beta");
	assert_true(kk_stmt_is_null(st, 3));
	assert_string_equal(kk_stmt_text(st, 3), "");
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	assert_true(kk_stmt_is_null(st, 1));
	assert_int_equal(kk_stmt_step(st), KK_DONE);
	kk_stmt_done(st);
	/* NULL text binds NULL */
	assert_int_equal(kk_db_prepare(db, "SELECT ? IS NULL", &st), 0);
	kk_stmt_bind_text(st, 1, NULL, -1);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	assert_int_equal(kk_stmt_int64(st, 0), 1);
	kk_stmt_done(st);
	kk_stmt_done(NULL);
	/* bad SQL names the problem */
	assert_int_equal(kk_db_prepare(db, "SELEKT 1", &st), KK_EDB);
	assert_null(st);
	assert_non_null(strstr(kk_db_errmsg(db), "syntax error"));
	kk_db_close(db);
}

static void test_cache(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	const char *sql = "SELECT id FROM p WHERE name = ?";
	struct kk_stmt *a, *b, *c;
	assert_int_equal(kk_db_prepare(db, sql, &a), 0);
	kk_stmt_bind_text(a, 1, "zzz", -1);
	kk_stmt_done(a);
	assert_int_equal(kk_db_prepare(db, sql, &b), 0);
	assert_ptr_equal(a, b); /* the cached statement comes back */
	/* bindings were cleared by done: NULL matches nothing */
	assert_int_equal(kk_db_exec(db, "INSERT INTO p (name) VALUES ('zzz')", NULL), 1);
	assert_int_equal(kk_stmt_step(b), KK_DONE);
	/* while b is in use, the same SQL gets another statement */
	assert_int_equal(kk_db_prepare(db, sql, &c), 0);
	assert_ptr_not_equal(b, c);
	kk_stmt_bind_text(c, 1, "zzz", -1);
	assert_int_equal(kk_stmt_step(c), KK_ROW);
	kk_stmt_done(c);
	kk_stmt_done(b);
	/* many distinct statements: past the cache size they are prepared per use and freed */
	for (int i = 0; i < 400; i++) {
		char q[64];
		snprintf(q, sizeof(q), "SELECT %d", i);
		struct kk_stmt *st;
		assert_int_equal(kk_db_prepare(db, q, &st), 0);
		assert_int_equal(kk_stmt_step(st), KK_ROW);
		assert_int_equal(kk_stmt_int64(st, 0), i);
		kk_stmt_done(st);
	}
	kk_db_close(db);
}

static int tx_insert(struct kk_db *db, void *arg)
{
	assert_true(kk_db_in_tx(db));
	int rc = kk_db_exec(db, "INSERT INTO p (name) VALUES (?)", "s", (const char *)arg);
	return rc < 0 ? rc : 0;
}

static int tx_insert_fail(struct kk_db *db, void *arg)
{
	int rc = tx_insert(db, arg);
	return rc ? rc : KK_ECONFLICT;
}

static int64_t count(struct kk_db *db)
{
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, "SELECT count(*) FROM p", &st), 0);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	int64_t n = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return n;
}

static int tx_nested(struct kk_db *db, void *arg)
{
	(void)arg;
	int rc = tx_insert(db, "outer");
	if (rc)
		return rc;
	assert_int_equal(kk_db_tx(db, tx_insert_fail, "inner-bad"), KK_ECONFLICT);
	assert_true(kk_db_in_tx(db));
	return kk_db_tx(db, tx_insert, "inner-good");
}

static void test_tx(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	assert_false(kk_db_in_tx(db));
	assert_int_equal(kk_db_tx(db, tx_insert, "one"), 0);
	assert_false(kk_db_in_tx(db));
	assert_int_equal(count(db), 1);
	assert_int_equal(kk_db_tx(db, tx_insert_fail, "two"), KK_ECONFLICT);
	assert_int_equal(count(db), 1); /* rolled back */
	/* a constraint error inside rolls back and is returned */
	assert_int_equal(kk_db_tx(db, tx_insert, "one"), KK_EEXISTS);
	assert_int_equal(kk_db_tx(db, tx_nested, NULL), 0);
	assert_int_equal(count(db), 3); /* one, outer, inner-good */
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, "SELECT 1 FROM p WHERE name = 'inner-bad'", &st), 0);
	assert_int_equal(kk_stmt_step(st), KK_DONE);
	kk_stmt_done(st);
	kk_db_close(db);
}

static void test_constraints(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	assert_int_equal(kk_db_exec(db, "INSERT INTO p (id, name) VALUES (1, 'a')", NULL), 1);
	assert_int_equal(kk_db_exec(db, "INSERT INTO p (name) VALUES ('a')", NULL), KK_EEXISTS);	/* UNIQUE */
	assert_int_equal(kk_db_exec(db, "INSERT INTO p (id, name) VALUES (1, 'b')", NULL), KK_EEXISTS); /* PK */
	assert_int_equal(kk_db_exec(db, "INSERT INTO p (name, n) VALUES ('c', -1)", NULL), KK_ECONFLICT); /* CHECK */
	assert_int_equal(kk_db_exec(db, "INSERT INTO p (n) VALUES (1)", NULL), KK_ECONFLICT); /* NOT NULL */
	assert_int_equal(kk_db_exec(db, "INSERT INTO c (p_id) VALUES (99)", NULL), KK_ECONFLICT); /* FK */
	assert_int_equal(kk_db_exec(db, "INSERT INTO c (p_id) VALUES (1)", NULL), 1);
	assert_int_equal(kk_db_exec(db, "DELETE FROM p WHERE id = 1", NULL), KK_ECONFLICT); /* FK */
	kk_db_close(db);
}

struct holder {
	struct kk_db *db;
	int ms;
};

static void *release_later(void *arg)
{
	struct holder *h = arg;
	struct timespec ts = {0, h->ms * 1000000L};
	nanosleep(&ts, NULL);
	if (kk_db_exec(h->db, "COMMIT", NULL) < 0)
		abort(); /* no cmocka asserts off the main thread */
	return NULL;
}

static void test_busy(void **state)
{
	(void)state;
	setenv("KEIKAI_DB_BUSY_TIMEOUT_MS", "20", 1);
	struct kk_db *a = fresh(), *b;
	assert_int_equal(kk_db_open(path, 0, &b), 0);
	/* a holds the write lock: b's transaction retries, then gives up with KK_EBUSY */
	assert_true(kk_db_exec(a, "BEGIN IMMEDIATE", NULL) >= 0);
	assert_int_equal(kk_db_exec(a, "INSERT INTO p (name) VALUES ('from-a')", NULL), 1);
	assert_int_equal(kk_db_tx(b, tx_insert, "from-b"), KK_EBUSY);
	assert_false(kk_db_in_tx(b));
	/* readers are not blocked in WAL mode */
	assert_int_equal(count(b), 0);
	/* a lets go while b is retrying: b's transaction then goes through */
	pthread_t t;
	struct holder h = {a, 60};
	assert_int_equal(pthread_create(&t, NULL, release_later, &h), 0);
	assert_int_equal(kk_db_tx(b, tx_insert, "from-b"), 0);
	pthread_join(t, NULL);
	assert_int_equal(count(b), 2);
	kk_db_close(b);
	kk_db_close(a);
	unsetenv("KEIKAI_DB_BUSY_TIMEOUT_MS");
}

static void test_nomem(void **state)
{
	(void)state;
	struct kk_db *db = fresh(), *other = NULL;
	struct kk_stmt *st = NULL;
	kk_alloc_fail_after(0);
	assert_int_equal(kk_db_prepare(db, "SELECT 42 AS never_prepared_before", &st), KK_ENOMEM);
	assert_int_equal(kk_db_open(path, 0, &other), KK_ENOMEM);
	kk_alloc_fail_after(1); /* the statement struct, not its SQL copy */
	assert_int_equal(kk_db_prepare(db, "SELECT 43 AS never_prepared_before", &st), KK_ENOMEM);
	kk_alloc_fail_after(-1);
	assert_null(st);
	assert_null(other);
	assert_int_equal(kk_db_prepare(db, "SELECT 42 AS never_prepared_before", &st), 0);
	kk_stmt_done(st);
	kk_db_close(db);
}

static void *thread_conn(void *arg)
{
	/* no cmocka asserts off the main thread: report through the return value */
	struct kk_db *db = kk_db_thread(arg);
	if (!db || kk_db_thread(arg) != db) /* the same connection on this thread */
		return NULL;
	if (kk_db_exec(db, "INSERT INTO p (name) VALUES ('thread')", NULL) != 1)
		return NULL;
	return db; /* closed by the key's destructor when the thread ends (ASan would see a leak) */
}

static void test_thread(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	pthread_t t;
	void *theirs;
	assert_int_equal(pthread_create(&t, NULL, thread_conn, path), 0);
	pthread_join(t, &theirs);
	assert_non_null(theirs);
	struct kk_db *mine = kk_db_thread(path);
	assert_non_null(mine);
	assert_ptr_not_equal(mine, db);
	assert_int_equal(count(mine), 1);
	kk_db_thread_close();
	kk_db_thread_close(); /* twice is fine */
	char missing[600];
	snprintf(missing, sizeof(missing), "%s/none.db", tu_tmpdir());
	assert_null(kk_db_thread(missing));
	kk_db_close(db);
}

/* Several threads, each on its own kk_db_thread connection, writing at once: every transaction lands. */
#define WRITERS 4
#define WRITES 40

static void *writer(void *arg)
{
	struct kk_db *db = kk_db_thread(path);
	long failed = 0;
	for (int i = 0; db && i < WRITES; i++) {
		char name[64];
		snprintf(name, sizeof(name), "w%ld-%d", (long)(intptr_t)arg, i);
		if (kk_db_tx(db, tx_insert, name))
			failed++;
	}
	return (void *)(intptr_t)(db ? failed : -1);
}

static void test_concurrent_writers(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	pthread_t t[WRITERS];
	for (intptr_t i = 0; i < WRITERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, writer, (void *)i), 0);
	for (int i = 0; i < WRITERS; i++) {
		void *failed;
		pthread_join(t[i], &failed);
		assert_int_equal((intptr_t)failed, 0);
	}
	assert_int_equal(count(db), WRITERS * WRITES);
	kk_db_close(db);
}

/* kk_db_read: one snapshot for every statement of fn, even while another connection commits. */
struct snap {
	struct kk_db *other;
	int64_t before, after;
};

static int64_t count_p(struct kk_db *db)
{
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, "SELECT count(*) FROM p", &st), 0);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	int64_t n = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return n;
}

static int snap_fn(struct kk_db *db, void *arg)
{
	struct snap *s = arg;
	s->before = count_p(db);
	assert_int_equal(kk_db_exec(s->other, "INSERT INTO p (name, n) VALUES ('late', 1)", ""), 1);
	s->after = count_p(db);
	return 7;
}

static void test_read_snapshot(void **state)
{
	(void)state;
	struct kk_db *db = fresh(), *other;
	assert_int_equal(kk_db_open(path, 0, &other), 0);
	assert_int_equal(kk_db_exec(db, "INSERT INTO p (name, n) VALUES ('a', 1)", ""), 1);
	struct snap s = {other, 0, 0};
	assert_int_equal(kk_db_read(db, snap_fn, &s), 7);
	assert_int_equal(s.before, 1);
	assert_int_equal(s.after, 1); /* the other connection's commit is not seen inside */
	assert_int_equal(count_p(db), 2); /* and is seen after */
	assert_false(kk_db_in_tx(db));
	kk_db_close(other);
	kk_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open),	    cmocka_unit_test(test_bind_step), cmocka_unit_test(test_cache),
		cmocka_unit_test(test_tx),	    cmocka_unit_test(test_constraints), cmocka_unit_test(test_busy),
		cmocka_unit_test(test_nomem),	    cmocka_unit_test(test_thread),
		cmocka_unit_test(test_concurrent_writers), cmocka_unit_test(test_read_snapshot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

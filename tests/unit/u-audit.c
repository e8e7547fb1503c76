/* u-audit.c — the audit log: append-only, same transaction as the change, no secrets, listing and paging. */
#include "testutil.h"
#include "auth/audit.h"
#include "auth/auth.h"
#include "base/clock.h"
#include "store/db.h"
#include "store/migrate.h"
#include <stdio.h>
#include <string.h>

#define T0 1800000000

static struct kk_actor sys;

static struct kk_db *fresh(void)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/audit.db", tu_tmpdir());
	struct kk_db *db;
	assert_int_equal(kk_db_open(path, KK_DB_CREATE, &db), 0);
	struct kk_diag d;
	assert_true(kk_migrate_run(db, path, NULL, NULL, NULL, &d) > 0);
	kk_clock_pin(T0);
	return db;
}

static int64_t rows(struct kk_db *db)
{
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, "SELECT count(*) FROM audit_log", &st), 0);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	int64_t n = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return n;
}

struct write {
	const struct kk_actor *a;
	const char *action, *id, *before, *after;
	int then; /* returned after writing: < 0 rolls the transaction back */
};

static int write_fn(struct kk_db *db, void *arg)
{
	struct write *w = arg;
	int rc = kk_db_exec(db, "INSERT INTO meta (key, value) VALUES (?, ?)", "ss", w->id, w->action);
	if (rc < 0)
		return rc;
	rc = kk_audit(db, w->a, w->action, "meta", w->id, "set a meta key", w->before, w->after);
	return rc ? rc : w->then;
}

static void test_same_transaction(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	struct write w = {&sys, "meta.set", "k1", NULL, "{\"value\":1}", 0};
	assert_int_equal(kk_db_tx(db, write_fn, &w), 0);
	assert_int_equal(rows(db), 1);
	/* the change fails after its audit row was written: both are gone */
	w = (struct write){&sys, "meta.set", "k2", NULL, NULL, KK_ECONFLICT};
	assert_int_equal(kk_db_tx(db, write_fn, &w), KK_ECONFLICT);
	assert_int_equal(rows(db), 1);
	assert_int_equal(kk_db_exec(db, "SELECT 1", NULL) >= 0, 1);
	/* outside a transaction kk_audit refuses */
	assert_int_equal(kk_audit(db, &sys, "meta.set", "meta", "k3", NULL, NULL, NULL), KK_EINVAL);
	assert_int_equal(rows(db), 1);
	kk_db_close(db);
}

static void test_append_only(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	struct write w = {&sys, "meta.set", "k1", NULL, NULL, 0};
	assert_int_equal(kk_db_tx(db, write_fn, &w), 0);
	assert_int_equal(kk_db_exec(db, "UPDATE audit_log SET summary = 'rewritten'", NULL), KK_ECONFLICT);
	assert_non_null(strstr(kk_db_errmsg(db), "append-only"));
	assert_int_equal(kk_db_exec(db, "DELETE FROM audit_log", NULL), KK_ECONFLICT);
	assert_int_equal(kk_db_exec(db, "UPDATE audit_log SET actor_label = 'x' WHERE id = 1", NULL), KK_ECONFLICT);
	assert_int_equal(rows(db), 1);
	kk_db_close(db);
}

static void test_no_secrets(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	const char *bad[] = {"{\"password\":\"x\"}", "{\"a\":1,\"password_hash\":\"$argon2id$\"}",
			     "{\"Token\":\"kk_abc\"}", "{\"nested\":{\"client_secret\" : \"s\"}}", "{\"csrf\":\"t\"}"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct write w = {&sys, "meta.set", "k", bad[i], NULL, 0};
		assert_int_equal(kk_db_tx(db, write_fn, &w), KK_EINVAL);
		w = (struct write){&sys, "meta.set", "k", NULL, bad[i], 0};
		assert_int_equal(kk_db_tx(db, write_fn, &w), KK_EINVAL);
	}
	/* values may mention the words; only keys are refused */
	struct write ok = {&sys, "meta.set", "k", NULL, "{\"note\":\"password was reset\",\"prefix\":\"kk_ab\"}", 0};
	assert_int_equal(kk_db_tx(db, write_fn, &ok), 0);
	assert_int_equal(rows(db), 1);
	/* no action */
	ok = (struct write){&sys, "", "k2", NULL, NULL, 0};
	assert_int_equal(kk_db_tx(db, write_fn, &ok), KK_EINVAL);
	kk_db_close(db);
}

struct seen {
	int n;
	int64_t ids[64];
	char labels[64][64];
	int stop_at;
};

static int collect(void *arg, const struct kk_audit_entry *e)
{
	struct seen *s = arg;
	if (s->n < 64) {
		s->ids[s->n] = e->id;
		snprintf(s->labels[s->n], sizeof(s->labels[0]), "%s|%s|%s|%lld", e->actor_label, e->action,
			 e->object_id, (long long)e->at);
	}
	s->n++;
	return s->stop_at && s->n == s->stop_at ? 42 : 0;
}

static void test_list(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	struct kk_actor user = kk_actor_public;
	user.role = KK_ROLE_RECEIVER;
	user.user_id = 5;
	snprintf(user.label, sizeof(user.label), "user:r@example.org");
	for (int i = 0; i < 25; i++) {
		char id[16];
		snprintf(id, sizeof(id), "k%02d", i);
		kk_clock_pin(T0 + i * 3600);
		struct write w = {i % 2 ? &user : &sys, "meta.set", id, NULL, "{\"n\":1}", 0};
		assert_int_equal(kk_db_tx(db, write_fn, &w), 0);
	}
	/* newest first, default limit 100 */
	struct seen s = {0};
	assert_int_equal(kk_audit_list(db, NULL, collect, &s), 25);
	assert_string_equal(s.labels[0], "cli:unit-test|meta.set|k24|1800086400");
	assert_string_equal(s.labels[24], "cli:unit-test|meta.set|k00|1800000000");
	/* pages of 10 by cursor cover everything once */
	struct kk_audit_query q = {.limit = 10};
	int64_t all[25];
	int got = 0;
	for (;;) {
		memset(&s, 0, sizeof(s));
		int n = kk_audit_list(db, &q, collect, &s);
		assert_true(n >= 0);
		if (!n)
			break;
		for (int i = 0; i < n; i++)
			all[got++] = s.ids[i];
		q.cursor = s.ids[n - 1];
	}
	assert_int_equal(got, 25);
	for (int i = 1; i < 25; i++)
		assert_true(all[i] < all[i - 1]);
	/* since / until, oldest first */
	q = (struct kk_audit_query){.since = T0 + 20 * 3600, .oldest_first = true};
	memset(&s, 0, sizeof(s));
	assert_int_equal(kk_audit_list(db, &q, collect, &s), 5);
	assert_string_equal(s.labels[0], "cli:unit-test|meta.set|k20|1800072000");
	assert_int_equal(kk_audit_count(db, &q), 5);
	q.until = T0 + 22 * 3600;
	assert_int_equal(kk_audit_count(db, &q), 2);
	/* by object */
	q = (struct kk_audit_query){.object_type = "meta", .object_id = "k07"};
	memset(&s, 0, sizeof(s));
	assert_int_equal(kk_audit_list(db, &q, collect, &s), 1);
	assert_string_equal(s.labels[0], "user:r@example.org|meta.set|k07|1800025200");
	q.object_id = NULL;
	assert_int_equal(kk_audit_count(db, &q), 25);
	q.object_type = "user";
	assert_int_equal(kk_audit_count(db, &q), 0);
	assert_int_equal(kk_audit_count(db, NULL), 25);
	/* a callback stops the walk */
	memset(&s, 0, sizeof(s));
	s.stop_at = 3;
	assert_int_equal(kk_audit_list(db, NULL, collect, &s), 42);
	assert_int_equal(s.n, 3);
	/* actor user id is recorded only for users */
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, "SELECT count(*) FROM audit_log WHERE actor_user_id = 5", &st), 0);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	assert_int_equal(kk_stmt_int64(st, 0), 12);
	kk_stmt_done(st);
	kk_db_close(db);
}

int main(void)
{
	kk_actor_system(&sys, "unit-test");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_transaction),
		cmocka_unit_test(test_append_only),
		cmocka_unit_test(test_no_secrets),
		cmocka_unit_test(test_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

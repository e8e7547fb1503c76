/* u-migrate.c — migrations: fresh database, re-run, newer schema refused, failed migration rolled back. */
#include "testutil.h"
#include "base/err.h"
#include "store/db.h"
#include "store/migrate.h"
#include <stdio.h>
#include <string.h>

#define FILE_ROW(name, sql) {name, (const unsigned char *)(sql), sizeof(sql) - 1}

static struct kk_db *fresh(void)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/m.db", tu_tmpdir());
	struct kk_db *db;
	assert_int_equal(kk_db_open(path, KK_DB_CREATE, &db), 0);
	return db;
}

static int64_t one_int(struct kk_db *db, const char *sql)
{
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, sql, &st), 0);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	int64_t v = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return v;
}

static bool table_exists(struct kk_db *db, const char *name)
{
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", &st),
			 0);
	kk_stmt_bind_text(st, 1, name, -1);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	bool yes = kk_stmt_int64(st, 0) > 0;
	kk_stmt_done(st);
	return yes;
}

static void count_progress(void *arg, int version, const char *name)
{
	int *n = arg;
	assert_true(version > 0);
	assert_non_null(strchr(name, '-'));
	++*n;
}

static void test_builtin(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	struct kk_migrate_status st;
	struct kk_diag d;
	assert_int_equal(kk_migrate_status(db, NULL, &st, &d), 0);
	assert_int_equal(st.current, 0);
	assert_true(st.latest >= 1);
	int files = 0;
	while (kk_schema_files[files].name)
		files++;
	assert_int_equal(st.pending, files);
	int seen = 0;
	int n = kk_migrate_run(db, "m.db", NULL, count_progress, &seen, &d);
	assert_int_equal(n, files);
	assert_int_equal(seen, n);
	assert_true(table_exists(db, "users"));
	assert_true(table_exists(db, "audit_log"));
	assert_int_equal(one_int(db, "SELECT count(*) FROM schema_migrations"), n);
	assert_int_equal(one_int(db, "SELECT min(version) FROM schema_migrations"), 1);
	assert_int_equal(one_int(db, "SELECT max(version) FROM schema_migrations"), st.latest);
	/* again: nothing to do, nothing changed */
	int64_t before = one_int(db, "SELECT sum(applied_at) + count(*) FROM schema_migrations");
	assert_int_equal(kk_migrate_run(db, "m.db", NULL, count_progress, &seen, &d), 0);
	assert_int_equal(seen, n);
	assert_int_equal(one_int(db, "SELECT sum(applied_at) + count(*) FROM schema_migrations"), before);
	assert_int_equal(kk_migrate_status(db, NULL, &st, &d), 0);
	assert_int_equal(st.current, st.latest);
	assert_int_equal(st.pending, 0);
	kk_db_close(db);
}

static void test_newer_refused(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	struct kk_diag d;
	assert_true(kk_migrate_run(db, "m.db", NULL, NULL, NULL, &d) > 0);
	assert_int_equal(kk_db_exec(db, "INSERT INTO schema_migrations VALUES (9999, '9999-future', 0)", NULL), 1);
	kk_diag_clear(&d);
	assert_int_equal(kk_migrate_run(db, "/x/m.db", NULL, NULL, NULL, &d), KK_ESCHEMA);
	assert_non_null(strstr(d.msg, "database /x/m.db was written by a newer keikai (schema 9999, this keikai knows "
				      "up to "));
	assert_non_null(strstr(d.msg, "upgrade keikai"));
	kk_db_close(db);
}

static const struct kk_embedded good[] = {
	FILE_ROW("0002-b.sql", "CREATE TABLE b (x INTEGER);"),
	FILE_ROW("0001-a.sql", "CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);"),
	{NULL, NULL, 0},
};
static const struct kk_embedded broken[] = {
	FILE_ROW("0001-a.sql", "CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);"),
	FILE_ROW("0002-b.sql", "CREATE TABLE b (x INTEGER);"),
	FILE_ROW("0003-c.sql", "CREATE TABLE c (x INTEGER); INSERT INTO a VALUES (2); INSERT INTO nowhere VALUES (1);"),
	{NULL, NULL, 0},
};
static const struct kk_embedded fixed[] = {
	FILE_ROW("0001-a.sql", "CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);"),
	FILE_ROW("0002-b.sql", "CREATE TABLE b (x INTEGER);"),
	FILE_ROW("0003-c.sql", "CREATE TABLE c (x INTEGER); INSERT INTO a VALUES (2);"),
	{NULL, NULL, 0},
};

static void test_order_and_rollback(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	struct kk_diag d;
	kk_diag_clear(&d);
	/* files out of order are applied by number */
	assert_int_equal(kk_migrate_run(db, "m.db", good, NULL, NULL, &d), 2);
	assert_int_equal(one_int(db, "SELECT group_concat(name, ',') IS NOT NULL FROM schema_migrations"), 1);
	assert_int_equal(one_int(db, "SELECT version FROM schema_migrations WHERE name = '0001-a'"), 1);
	/* 0003 fails half way: its table and its insert are rolled back, 0001-0002 stay */
	assert_true(kk_migrate_run(db, "m.db", broken, NULL, NULL, &d) < 0);
	assert_non_null(strstr(d.msg, "0003-c.sql failed and was rolled back"));
	assert_non_null(strstr(d.msg, "no such table: nowhere"));
	assert_false(table_exists(db, "c"));
	assert_int_equal(one_int(db, "SELECT count(*) FROM a"), 1);
	assert_int_equal(one_int(db, "SELECT max(version) FROM schema_migrations"), 2);
	struct kk_migrate_status st;
	assert_int_equal(kk_migrate_status(db, broken, &st, &d), 0);
	assert_int_equal(st.current, 2);
	assert_int_equal(st.latest, 3);
	assert_int_equal(st.pending, 1);
	/* with the file fixed, only 0003 runs */
	assert_int_equal(kk_migrate_run(db, "m.db", fixed, NULL, NULL, &d), 1);
	assert_int_equal(one_int(db, "SELECT count(*) FROM a"), 2);
	/* this database is now newer than the two-file set */
	assert_int_equal(kk_migrate_run(db, "m.db", good, NULL, NULL, &d), KK_ESCHEMA);
	kk_db_close(db);
}

static void test_bad_names(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	struct kk_diag d;
	static const struct kk_embedded unnumbered[] = {FILE_ROW("1-a.sql", "SELECT 1;"), {NULL, NULL, 0}};
	static const struct kk_embedded twice[] = {FILE_ROW("0001-a.sql", "SELECT 1;"), FILE_ROW("0001-b.sql", "SELECT 1;"),
						   {NULL, NULL, 0}};
	static const struct kk_embedded not_sql[] = {FILE_ROW("0001-a.txt", "SELECT 1;"), {NULL, NULL, 0}};
	kk_diag_clear(&d);
	assert_int_equal(kk_migrate_run(db, "m.db", unnumbered, NULL, NULL, &d), KK_EINVAL);
	assert_non_null(strstr(d.msg, "'1-a.sql' is not named NNNN-name.sql"));
	assert_int_equal(kk_migrate_run(db, "m.db", twice, NULL, NULL, &d), KK_EINVAL);
	assert_non_null(strstr(d.msg, "share number 0001"));
	assert_int_equal(kk_migrate_run(db, "m.db", not_sql, NULL, NULL, &d), KK_EINVAL);
	assert_false(table_exists(db, "schema_migrations")); /* nothing was touched */
	kk_db_close(db);
}

/* 0022: texts kept under a three-letter code before RFC 5646 reading get the two-letter one. */
static void test_text_lang(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	struct kk_diag d;
	static struct kk_embedded upto21[64];
	int n = 0;
	while (kk_schema_files[n].name && strncmp(kk_schema_files[n].name, "0022-", 5))
		n++;
	assert_non_null(kk_schema_files[n].name); /* 0022 is there */
	assert_true(n < 63);
	memcpy(upto21, kk_schema_files, (size_t)n * sizeof upto21[0]);
	assert_int_equal(kk_migrate_run(db, "m.db", upto21, NULL, NULL, &d), n);
	assert_int_equal(kk_db_exec(db, "INSERT INTO vuln (id, jvndb, created_at) VALUES (1, 'JVNDB-2024-000001', 1)", ""),
	                 1);
	assert_int_equal(kk_db_exec(db,
	                            "INSERT INTO vuln_text (vuln_id, src, lang, kind, text) VALUES "
	                            "(1, 1, 'eng', 'title', 'a'), (1, 1, 'jpn', 'title', 'b'), (1, 1, 'ger', 'title', 'c'), "
	                            "(1, 1, 'en', 'overview', 'd'), (1, 1, 'yue', 'overview', 'e')",
	                            ""),
	                 5);
	assert_true(kk_migrate_run(db, "m.db", NULL, NULL, NULL, &d) >= 1);
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, "SELECT group_concat(lang, ',') FROM (SELECT lang FROM vuln_text ORDER BY text)",
	                               &st),
	                 0);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	assert_string_equal(kk_stmt_text(st, 0), "en,ja,de,en,yue");
	kk_stmt_done(st);
	kk_db_close(db);
}

/* One string a query gives (the test's buffer). */
static const char *one_text(struct kk_db *db, const char *sql)
{
	static char out[512];
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, sql, &st), 0);
	int rc = kk_stmt_step(st);
	snprintf(out, sizeof out, "%s", rc == KK_ROW && kk_stmt_text(st, 0) ? kk_stmt_text(st, 0) : "");
	kk_stmt_done(st);
	return out;
}

/* Applies the migrations before `upto` ("0023-") to a fresh database. */
static struct kk_db *migrated_before(const char *upto)
{
	struct kk_db *db = fresh();
	struct kk_diag d;
	static struct kk_embedded before[64];
	int n = 0;
	while (kk_schema_files[n].name && strncmp(kk_schema_files[n].name, upto, 5))
		n++;
	assert_non_null(kk_schema_files[n].name);
	assert_true(n < 63);
	memcpy(before, kk_schema_files, (size_t)n * sizeof before[0]);
	memset(&before[n], 0, sizeof before[n]);
	assert_int_equal(kk_migrate_run(db, "m.db", before, NULL, NULL, &d), n);
	return db;
}

/*
 * 0023: a database that minted JVNDB ids (as demo databases did, numbers from one) gets them
 * back to their JVN records and its minted ids move to KKDB, old ids kept as former ids.
 */
static void test_vuln_ids(void **state)
{
	(void)state;
	struct kk_db *db = migrated_before("0023-");
	struct kk_diag d;
	static const char *const setup[] = {
	    /* 1: minted the id the JVN record of vuln 2 has; 2: that JVN record, renumbered */
	    "INSERT INTO vuln (id, jvndb, created_at) VALUES (1, 'JVNDB-2022-000097', 1), (2, 'JVNDB-2022-001899', 1), "
	    /* 3: an NVD record a JVN record joined; 4: minted the JVN record's id; 5: a JVN record with its id */
	    "(3, 'JVNDB-2017-011549', 1), (4, 'JVNDB-2017-009608', 1), (5, 'JVNDB-2021-002774', 1), "
	    /* 6: an OSV record's minted id; 7: a JVN record holding the id vuln 8, a JVN record too, wants */
	    "(6, 'JVNDB-2024-000001', 1), (7, 'JVNDB-2025-000001', 1), (8, 'JVNDB-2025-002198', 1)",
	    "INSERT INTO vuln_source (vuln_id, source, source_id, format, content_hash, imported_at) VALUES "
	    "(1, 'nvd', 'CVE-2014-3705', 'nvd', x'00', 1), (2, 'jvn', 'JVNDB-2022-000097', 'jvn', x'00', 1), "
	    "(3, 'nvd', 'CVE-2017-14937', 'nvd', x'00', 1), (3, 'jvn', 'JVNDB-2017-009608', 'jvn', x'00', 1), "
	    "(3, 'jvn-en', 'JVNDB-2017-009608', 'jvn', x'00', 1), (4, 'nvd', 'CVE-2017-11680', 'nvd', x'00', 1), "
	    "(5, 'jvn', 'JVNDB-2021-002774', 'jvn', x'00', 1), (6, 'osv', 'GO-2024-0001', 'osv', x'00', 1), "
	    "(7, 'jvnrss', 'JVNDB-2025-000099', 'jvn', x'00', 1), (8, 'jvn', 'JVNDB-2025-000001', 'jvn', x'00', 1)",
	    "INSERT INTO vuln_alias (alias, vuln_id) VALUES ('JVNDB-2022-000097', 2), ('JVNDB-2017-009608', 3), "
	    "('CVE-2017-14937', 3), ('JVNDB-2021-002774', 5), ('JVNDB-2025-000099', 7), ('JVNDB-2025-000001', 8)",
	    "INSERT INTO vuln_serial (year, next) VALUES (2022, 1900), (2024, 2)",
	    "INSERT INTO vuln_search_state (vuln_id, sig) SELECT id, 'x' FROM vuln",
	};
	for (size_t i = 0; i < sizeof setup / sizeof setup[0]; i++)
		assert_true(kk_db_exec(db, setup[i], "") > 0);
	/* 0023 alone: later migrations (0024 marks every search row stale) have their own tests */
	static struct kk_embedded through[64];
	int n = 0;
	while (kk_schema_files[n].name && strncmp(kk_schema_files[n].name, "0023-", 5) <= 0)
		n++;
	assert_true(n < 63);
	memcpy(through, kk_schema_files, (size_t)n * sizeof through[0]);
	memset(&through[n], 0, sizeof through[n]);
	assert_int_equal(kk_migrate_run(db, "m.db", through, NULL, NULL, &d), 1);
	assert_string_equal(one_text(db, "SELECT group_concat(id || '=' || jvndb, ' ') FROM (SELECT * FROM vuln ORDER BY id)"),
	                    "1=KKDB-2022-000097 2=JVNDB-2022-000097 3=JVNDB-2017-009608 4=KKDB-2017-009608 "
	                    "5=JVNDB-2021-002774 6=KKDB-2024-000001 7=JVNDB-2025-000099 8=JVNDB-2025-000001");
	/* the old ids that no imported record owns still find their records */
	assert_string_equal(one_text(db, "SELECT group_concat(former || '=' || vuln_id, ' ') FROM "
	                                 "(SELECT * FROM vuln_former ORDER BY vuln_id)"),
	                    "JVNDB-2022-001899=2 JVNDB-2017-011549=3 JVNDB-2024-000001=6 JVNDB-2025-002198=8");
	assert_string_equal(one_text(db, "SELECT value FROM meta WHERE key = 'vuln.id_prefix'"), "KKDB");
	assert_string_equal(one_text(db, "SELECT group_concat(prefix || year || ':' || next, ' ') FROM vuln_id_serial"),
	                    "KKDB2022:1900 KKDB2024:2");
	assert_false(table_exists(db, "vuln_serial"));
	assert_false(table_exists(db, "vuln_renumber_0023"));
	/* the renumbered records are indexed again (keikai init), the others not */
	assert_string_equal(one_text(db, "SELECT group_concat(vuln_id) FROM vuln_search_state"), "5");
	assert_string_equal(one_text(db, "SELECT what FROM vuln_history WHERE vuln_id = 3"),
	                    "renumbered: now JVNDB-2017-009608, the id of the JVN iPedia record; JVNDB-2017-011549 still "
	                    "finds it");
	assert_string_equal(one_text(db, "SELECT what FROM vuln_history WHERE vuln_id = 4"),
	                    "renumbered: now KKDB-2017-009608 (ids minted here carry the operator's prefix); "
	                    "JVNDB-2017-009608 is the id of an imported record");
	assert_int_equal(one_int(db, "SELECT count(*) FROM vuln_history"), 7);
	kk_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_newer_refused),
		cmocka_unit_test(test_order_and_rollback),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_text_lang),
		cmocka_unit_test(test_vuln_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

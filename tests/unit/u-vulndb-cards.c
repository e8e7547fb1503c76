/*
 * u-vulndb-cards.c — search's in-memory record cards stay true to the
 * database: a record added, changed or deleted after a search is seen by
 * the next one (through the change log), a pruned log reloads everything,
 * another database file never borrows these cards, and facets and paging
 * come out the same as the tables say.
 */
#include "base/alloc.h"
#include "base/err.h"
#include "base/json.h"
#include "store/db.h"
#include "store/migrate.h"
#include "testutil.h"
#include "vulndb/cards.h"
#include "vulndb/search.h"
#include <stdio.h>
#include <string.h>

static struct kk_db *db;

#define T2024 1704067200

static struct kk_db *open_fresh(const char *name)
{
	char path[600];
	snprintf(path, sizeof path, "%s/%s", tu_tmpdir(), name);
	remove(path);
	struct kk_db *x;
	struct kk_diag d = {0};
	assert_int_equal(kk_db_open(path, KK_DB_CREATE, &x), 0);
	assert_true(kk_migrate_run(x, path, NULL, NULL, NULL, &d) > 0);
	return x;
}

static void add(struct kk_db *x, int64_t id, int64_t published, double score, int sev, const char *title)
{
	char jvndb[32];
	snprintf(jvndb, sizeof jvndb, "JVNDB-2024-%06lld", (long long)id);
	assert_int_equal(kk_db_exec(x,
	                            "INSERT INTO vuln (id, jvndb, published, modified, score, severity, created_at) "
	                            "VALUES (?, ?, ?, ?, ?, ?, 1)",
	                            "isiidi", id, jvndb, published, published, score, (int64_t)sev),
	                 1);
	assert_int_equal(kk_db_exec(x, "INSERT INTO vuln_fts (rowid, ids, title, body, products) VALUES (?, ?, ?, '', '')",
	                            "iss", id, jvndb, title),
	                 1);
}

static char ids[256];
static int collect(void *arg, const struct kk_search_hit *h)
{
	(void)arg;
	size_t n = strlen(ids);
	snprintf(ids + n, sizeof ids - n, "%s%lld", n ? "," : "", (long long)h->id);
	return 0;
}

/* Ids of the search, in order; *total gets the total. */
static const char *run(struct kk_db *x, const struct kk_search_query *q, long *total)
{
	struct kk_search_result res;
	struct kk_diag d = {0};
	ids[0] = 0;
	assert_int_equal(kk_search_run(x, q, collect, NULL, &res, &d), 0);
	if (total)
		*total = res.total;
	return ids;
}

static void test_follows_changes(void **state)
{
	(void)state;
	db = open_fresh("cards.db");
	add(db, 1, T2024 + 100, 9.8, 4, "router one");
	add(db, 2, T2024 + 200, 5.0, 2, "router two");
	long total;
	struct kk_search_query q = {.q = "router"};
	assert_string_equal(run(db, &q, &total), "2,1");
	assert_int_equal(total, 2);

	/* a new record after the cards were loaded */
	add(db, 3, T2024 + 300, 7.0, 3, "router three");
	assert_string_equal(run(db, &q, &total), "3,2,1");
	assert_int_equal(total, 3);

	/* a changed date moves it; a changed score changes the facet and the score sort */
	assert_int_equal(kk_db_exec(db, "UPDATE vuln SET published = ?, score = 3.0, severity = 1 WHERE id = 1", "i",
	                            (int64_t)T2024 + 400),
	                 1);
	assert_string_equal(run(db, &q, NULL), "1,3,2");
	q.sort = KK_SORT_SCORE;
	assert_string_equal(run(db, &q, NULL), "3,2,1");
	q = (struct kk_search_query){.q = "router", .severity_mask = 1u << 1};
	assert_string_equal(run(db, &q, NULL), "1");

	/* CVSS rows alone (no vuln update) reach the version and vector filters */
	assert_int_equal(kk_db_exec(db, "INSERT INTO vuln_cvss (vuln_id, src, version, vector) VALUES (2, 1, '4.0', "
	                                "'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')",
	                            ""),
	                 1);
	q = (struct kk_search_query){.cvss_version = "4.0"};
	assert_string_equal(run(db, &q, NULL), "2");
	q = (struct kk_search_query){.vector = "at:n"};
	assert_string_equal(run(db, &q, NULL), "2");
	assert_int_equal(kk_db_exec(db, "DELETE FROM vuln_cvss WHERE vuln_id = 2", ""), 1);
	assert_string_equal(run(db, &q, NULL), "");

	/* a deleted record leaves the results */
	assert_int_equal(kk_db_exec(db, "DELETE FROM vuln_fts WHERE rowid = 2", ""), 1);
	assert_int_equal(kk_db_exec(db, "DELETE FROM vuln WHERE id = 2", ""), 1);
	q = (struct kk_search_query){0};
	assert_string_equal(run(db, &q, &total), "1,3");
	assert_int_equal(total, 2);
}

static void test_pruned_log_reloads(void **state)
{
	(void)state;
	long total;
	struct kk_search_query q = {0};
	assert_string_equal(run(db, &q, &total), "1,3");
	/* changes, then the log pruned past them: the cards must not miss them */
	add(db, 4, T2024 + 500, 1.0, 1, "switch");
	assert_int_equal(kk_db_exec(db, "UPDATE vuln SET published = 5 WHERE id = 1", ""), 1);
	assert_true(kk_db_exec(db, "DELETE FROM vuln_change WHERE seq < (SELECT max(seq) FROM vuln_change)", "") > 0);
	assert_string_equal(run(db, &q, &total), "4,3,1");
	assert_int_equal(total, 3);
	/* pruned by kk_cards_prune, which keeps the newest entry */
	assert_int_equal(kk_db_exec(db, "UPDATE vuln SET published = 9 WHERE id = 4", ""), 1);
	add(db, 5, T2024 + 900, 2.0, 1, "switch five");
	assert_int_equal(kk_cards_prune(db, 0), 0);
	long left = -1;
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, "SELECT count(*) FROM vuln_change", &st), 0);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	left = (long)kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	assert_int_equal(left, 1);
	assert_string_equal(run(db, &q, NULL), "5,3,4,1");
}

/* The record's JSON as kk_search_record_json writes it (static buffer). */
static const char *detail(struct kk_db *x, int64_t id)
{
	static char out[8192];
	struct kk_buf b = KK_BUF_INIT(1 << 20);
	struct kk_json j;
	kk_json_init(&j, &b);
	int64_t m = 0;
	assert_int_equal(kk_search_record_json(x, id, &j, &m), 0);
	snprintf(out, sizeof out, "%.*s", (int)b.len, b.ptr);
	kk_buf_release(&b);
	return out;
}

static void test_detail_follows_changes(void **state)
{
	(void)state;
	char first[8192];
	snprintf(first, sizeof first, "%s", detail(db, 3));
	assert_string_equal(detail(db, 3), first); /* the second comes from memory, the same */
	assert_int_equal(kk_db_exec(db, "UPDATE vuln SET score = 6.1 WHERE id = 3", ""), 1);
	assert_non_null(strstr(detail(db, 3), "6.1"));
	/* a KEV entry for one of its ids changes it too (schema 0016) */
	assert_int_equal(kk_db_exec(db, "INSERT INTO vuln_alias (alias, vuln_id) VALUES ('CVE-2024-9999', 3)", ""), 1);
	snprintf(first, sizeof first, "%s", detail(db, 3));
	assert_null(strstr(first, "2024-02-02"));
	assert_int_equal(kk_db_exec(db, "INSERT INTO vuln_kev (cve, date_added, hash) VALUES ('CVE-2024-9999', "
	                                "'2024-02-02', x'01')",
	                            ""),
	                 1);
	assert_non_null(strstr(detail(db, 3), "2024-02-02"));
	/* inside an array, separators are the writer's as for any value */
	struct kk_buf b = KK_BUF_INIT(1 << 20);
	struct kk_json j;
	kk_json_init(&j, &b);
	kk_json_arr_open(&j);
	assert_int_equal(kk_search_record_json(db, 3, &j, NULL), 0);
	assert_int_equal(kk_search_record_json(db, 3, &j, NULL), 0);
	kk_json_arr_close(&j);
	assert_non_null(strstr(b.ptr, "},{"));
	assert_int_equal(b.ptr[b.len - 1], ']');
	kk_buf_release(&b);
}

static void test_other_database(void **state)
{
	(void)state;
	struct kk_db *other = open_fresh("cards-other.db");
	add(other, 1, T2024, 5.0, 2, "only here");
	long total;
	struct kk_search_query q = {0};
	assert_string_equal(run(other, &q, &total), "1");
	assert_int_equal(total, 1);
	assert_string_equal(run(db, &q, &total), "5,3,4,1");
	assert_int_equal(total, 4);
	kk_db_close(other);
	kk_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_follows_changes),
	    cmocka_unit_test(test_pruned_log_reloads),
	    cmocka_unit_test(test_detail_follows_changes),
	    cmocka_unit_test(test_other_database),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * fz-search.c — libFuzzer harness for search queries: normalization and the
 * query language against a small FTS5 database. Lines of the input are q,
 * vector and cursor; any query must run (0) or be refused (KK_EINVAL), never
 * reach SQLite as a malformed FTS5 expression (KK_EDB).
 */
#include "base/alloc.h"
#include "base/err.h"
#include "store/db.h"
#include "store/migrate.h"
#include "vulndb/fold.h"
#include "vulndb/search.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct kk_db *db;

static void open_db(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/fz-search-%d.db", (int)getpid());
	remove(path);
	struct kk_diag d;
	kk_diag_clear(&d);
	if (kk_db_open(path, KK_DB_CREATE, &db) || kk_migrate_run(db, path, NULL, NULL, NULL, &d) < 0)
		abort();
	static const char *const texts[][3] = {
	    {"JVNDB-2024-000001", "ja", "認証回避の脆弱性 ｱﾌﾟﾘｹｰｼｮﾝ"},
	    {"JVNDB-2024-000002", "en",
	     "ＡＢＣ Router \"cross-site\" scripting AND OR NOT NEAR(x y) col:term *"},
	    {"JVNDB-2024-000003", "en", "Weak encryption (暗号化) in Example-Mail 2.0"},
	};
	for (int i = 0; i < 3; i++)
		if (kk_db_exec(db,
		               "INSERT INTO vuln (id, jvndb, published, score, severity, created_at) VALUES "
		               "(?, ?, ?, ?, 2, 1)",
		               "isid", (int64_t)i + 1, texts[i][0], (int64_t)1700000000 + i * 86400,
		               5.0 + i) != 1 ||
		    kk_db_exec(
		        db,
		        "INSERT INTO vuln_text (vuln_id, src, lang, kind, text) VALUES (?, 0, ?, 'title', ?)",
		        "iss", (int64_t)i + 1, texts[i][1], texts[i][2]) != 1)
			abort();
	if (kk_search_reindex_all(db, NULL))
		abort();
	remove(path); /* the open connection keeps it */
}

static int row(void *arg, const struct kk_search_hit *h)
{
	(void)arg;
	return h->id > 0 ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db)
		open_db();
	if (size > 4096)
		return 0;
	char buf[4097];
	memcpy(buf, data, size);
	buf[size] = 0;
	char *norm;
	if (kk_search_normalize(buf, strlen(buf), &norm) == 0)
		kk_free(norm);
	char *line[3] = {buf, NULL, NULL};
	for (int i = 1; i < 3 && line[i - 1]; i++) {
		char *nl = strchr(line[i - 1], '\n');
		if (nl)
			*nl = 0, line[i] = nl + 1;
	}
	struct kk_search_query q = {
	    .q = line[0], .vector = line[1], .cursor = line[2], .limit = 2, .lang = "ja"};
	for (int sort = KK_SORT_PUBLISHED; sort <= KK_SORT_RELEVANCE; sort++) {
		q.sort = (enum kk_search_sort)sort;
		struct kk_search_result res;
		struct kk_diag d;
		kk_diag_clear(&d);
		int rc = kk_search_run(db, &q, row, NULL, &res, &d);
		if (rc && rc != KK_EINVAL) {
			fprintf(stderr, "search failed: %s: %s\n", kk_err_msg(rc), kk_db_errmsg(db));
			abort();
		}
		if (!rc && res.total < 0)
			abort();
	}
	return 0;
}

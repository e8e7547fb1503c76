/*
 * u-vulndb-search.c — keyword search: normalization (full-width = ASCII,
 * half-width kana), two-character Japanese words, phrases, exclusion,
 * filters, facets, and cursor paging that visits every record once.
 */
#include "base/alloc.h"
#include "base/err.h"
#include "store/db.h"
#include "store/migrate.h"
#include "testutil.h"
#include "vulndb/fold.h"
#include "vulndb/search.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static struct kk_db *db;
static char path[512];

static void add(int64_t id, const char *jvndb, int64_t published, double score, int sev, int cwe,
                const char *alias, const char *ja, const char *en)
{
	assert_int_equal(
	    kk_db_exec(db,
	               "INSERT INTO vuln (id, jvndb, published, modified, score, severity, created_at) "
	               "VALUES (?, ?, ?, ?, ?, ?, 1)",
	               "isiidi", id, jvndb, published, published + 100, score, (int64_t)sev),
	    1);
	assert_int_equal(
	    kk_db_exec(db,
	               "INSERT INTO vuln_source (vuln_id, source, source_id, format, content_hash, "
	               "imported_at) VALUES (?, 'nvd', ?, 'nvd-api2', x'00', 1)",
	               "is", id, jvndb),
	    1);
	if (alias)
		assert_int_equal(
		    kk_db_exec(db, "INSERT INTO vuln_alias (alias, vuln_id) VALUES (?, ?)", "si", alias, id),
		    1);
	if (cwe)
		assert_int_equal(kk_db_exec(db, "INSERT INTO vuln_cwe (vuln_id, src, cwe) VALUES (?, 1, ?)",
		                            "ii", id, (int64_t)cwe),
		                 1);
	if (ja)
		assert_int_equal(
		    kk_db_exec(db,
		               "INSERT INTO vuln_text (vuln_id, src, lang, kind, text) VALUES (?, 1, 'ja', "
		               "'title', ?)",
		               "is", id, ja),
		    1);
	if (en)
		assert_int_equal(
		    kk_db_exec(db,
		               "INSERT INTO vuln_text (vuln_id, src, lang, kind, text) VALUES (?, 1, 'en', "
		               "'title', ?)",
		               "is", id, en),
		    1);
}

#define DAY 86400
#define T2024 1704067200 /* 2024-01-01 */
#define T2023 1672531200 /* 2023-01-01 */
#define N_FILL 23        /* records 101..123 share one date and score: ties for paging */

static int setup(void **state)
{
	(void)state;
	snprintf(path, sizeof path, "%s/search.db", tu_tmpdir());
	remove(path);
	struct kk_diag d = {0};
	assert_int_equal(kk_db_open(path, KK_DB_CREATE, &db), 0);
	assert_true(kk_migrate_run(db, path, NULL, NULL, NULL, &d) >= 0);
	add(1, "JVNDB-2024-000001", T2024 + 10 * DAY, 9.8, 4, 287, "CVE-2024-0001", "認証回避の脆弱性",
	    "Authentication bypass in ABC Router");
	add(2, "JVNDB-2024-000002", T2024 + 60 * DAY, 5.3, 2, 327, "CVE-2024-0002", "暗号化の不備",
	    "Weak encryption in Example Mail");
	add(3, "JVNDB-2023-000003", T2023 + 5 * DAY, 5.3, 2, 79, NULL, NULL,
	    "ABC Router cross-site scripting");
	add(4, "JVNDB-2023-000004", T2023 + 9 * DAY, 7.5, 3, 79, NULL, "ｱﾌﾟﾘｹｰｼｮﾝの認証",
	    "Ｆｕｌｌ width ＸＳＳ");
	for (int i = 0; i < N_FILL; i++) {
		char id[32];
		snprintf(id, sizeof id, "JVNDB-2022-%06d", 100 + i);
		add(101 + i, id, T2023 - 100 * DAY, 4.0, 2, 0, NULL, NULL, "filler record about widgets");
	}
	long n = 0;
	assert_int_equal(kk_search_reindex_all(db, &n), 0);
	assert_int_equal(n, 4 + N_FILL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kk_db_close(db);
	remove(path);
	return 0;
}

struct ids {
	int64_t id[64];
	int n;
};

static int collect(void *arg, const struct kk_search_hit *h)
{
	struct ids *s = arg;
	if (s->n < 64)
		s->id[s->n++] = h->id;
	return 0;
}

/* Runs q and returns the ids (page 1) as a string "1,3" in ascending order, plus the total. */
static const char *find(struct kk_search_query *q, long *total)
{
	static char out[512];
	struct ids s = {0};
	struct kk_search_result res;
	struct kk_diag d = {0};
	if (!q->limit)
		q->limit = 100;
	int rc = kk_search_run(db, q, collect, &s, &res, &d);
	assert_int_equal(rc, 0);
	for (int i = 0; i < s.n; i++) /* sort ascending for comparison */
		for (int k = i + 1; k < s.n; k++)
			if (s.id[k] < s.id[i]) {
				int64_t t = s.id[i];
				s.id[i] = s.id[k];
				s.id[k] = t;
			}
	out[0] = 0;
	for (int i = 0; i < s.n && i < 10; i++)
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%lld", i ? "," : "",
		         (long long)s.id[i]);
	if (s.n > 10)
		strcat(out, ",...");
	if (total)
		*total = res.total;
	return out;
}

static const char *findq(const char *text)
{
	struct kk_search_query q = {.q = text, .lang = "ja"};
	long total;
	const char *s = find(&q, &total);
	return s;
}

static void test_normalize(void **state)
{
	(void)state;
	char *o;
	assert_int_equal(kk_search_normalize("ＡＢＣ Ｘｓｓ", strlen("ＡＢＣ Ｘｓｓ"), &o), 0);
	assert_string_equal(o, "abc xss");
	kk_free(o);
	assert_int_equal(kk_search_normalize("暗号化", strlen("暗号化"), &o), 0);
	assert_string_equal(o, " 暗号 号化 化 ");
	kk_free(o);
	assert_int_equal(kk_search_normalize("ｱﾌﾟﾘ", strlen("ｱﾌﾟﾘ"), &o), 0);
	assert_string_equal(o, " アプ プリ リ ");
	kk_free(o);
	assert_int_equal(kk_search_normalize("\xff", 1, &o), KK_EINVAL);
	/* the prolonged sound mark ending a katakana word is dropped (JVN iPedia: 長音の有無を同一視) */
	static const char *const prolonged[][2] = {
	    {"サーバー", " サー ーバ バ "},
	    {"ｻｰﾊﾞｰ", " サー ーバ バ "},
	    {"サーバーの設定", " サー ーバ バの の設 設定 定 "},
	    {"サーバー製品", " サー ーバ バ製 製品 品 "},
	    {"コンピューター。", " コン ンピ ピュ ュー ータ タ 。"},
	    {"ユーザーインターフェース", " ユー ーザ ザー ーイ イン ンタ ター ーフ フェ ェー ース ス "},
	    {"サーバーー", " サー ーバ バ "},
	    {"ー", " ー "},
	    {"すごーい", " すご ごー ーい い "},
	};
	for (size_t i = 0; i < sizeof prolonged / sizeof *prolonged; i++) {
		assert_int_equal(kk_search_normalize(prolonged[i][0], strlen(prolonged[i][0]), &o), 0);
		if (strcmp(o, prolonged[i][1]))
			fail_msg("normalize '%s': expected '%s' got '%s'", prolonged[i][0], prolonged[i][1],
			         o);
		kk_free(o);
	}
	assert_int_equal(kk_search_fold("Webサーバー", strlen("Webサーバー"), &o), 0);
	assert_string_equal(o, "webサーバ");
	kk_free(o);
	/* ASCII takes a short cut past the Unicode tables: it must give what they give */
	char ascii[128];
	for (int c = 1; c < 128; c++)
		ascii[c - 1] = (char)c;
	ascii[127] = 0;
	utf8proc_uint8_t *want = NULL;
	utf8proc_map((const utf8proc_uint8_t *)ascii, 127, &want,
	             UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE);
	assert_non_null(want);
	assert_int_equal(kk_search_normalize(ascii, 127, &o), 0);
	assert_string_equal(o, (const char *)want);
	kk_free(o);
	assert_int_equal(kk_search_fold(ascii, 127, &o), 0);
	assert_string_equal(o, (const char *)want);
	kk_free(o);
	free(want);
	/* a query term: a run ending it drops its last character, a lone one is a prefix */
	bool prefix, token;
	assert_int_equal(kk_search_normalize_term("暗号化", strlen("暗号化"), &o, &prefix, &token), 0);
	assert_string_equal(o, " 暗号 号化 ");
	assert_false(prefix);
	assert_true(token);
	kk_free(o);
	assert_int_equal(kk_search_normalize_term("Ｘ鍵", strlen("Ｘ鍵"), &o, &prefix, &token), 0);
	assert_string_equal(o, "x 鍵 ");
	assert_true(prefix);
	kk_free(o);
	assert_int_equal(kk_search_normalize_term("--", 2, &o, &prefix, &token), 0);
	assert_false(token);
	kk_free(o);
	assert_int_equal(kk_search_normalize_term("\xff", 1, &o, &prefix, &token), KK_EINVAL);
}

static void test_terms(void **state)
{
	(void)state;
	assert_string_equal(findq("abc"), "1,3");
	assert_string_equal(findq("ＡＢＣ"), "1,3"); /* full-width query */
	assert_string_equal(findq("xss"), "3,4");    /* full-width text; the glossary adds cross-site scripting */
	/* cross-language (glossary.tsv): Japanese finds English text, variants alike */
	assert_string_equal(findq("クロスサイトスクリプティング"), "3,4");
	assert_string_equal(findq("クロスサイト・スクリプティング"), "3,4");
	assert_string_equal(findq("認証回避"), "1");          /* authentication bypass */
	assert_string_equal(findq("\"xss\""), "4");          /* a quoted phrase is taken as written */
	assert_string_equal(findq("xss -router"), "4");
	assert_string_equal(findq("認証"), "1,4"); /* two-character word, also inside ｱﾌﾟﾘｹｰｼｮﾝの認証 */
	assert_string_equal(findq("暗号"), "2");
	assert_string_equal(findq("号化"), "2");
	assert_string_equal(findq("号"), "2");               /* one character: a prefix of a bigram */
	assert_string_equal(findq("性"), "1");               /* one character at the end of a run */
	assert_string_equal(findq("アプリケーション"), "4"); /* half-width kana in the text */
	assert_string_equal(findq("認証回避"), "1");
	assert_string_equal(findq("証回"), "1");
	assert_string_equal(findq("回証"), "");
	assert_string_equal(findq("abc router"), "1,3");
	assert_string_equal(findq("\"abc router\""), "1,3");
	assert_string_equal(findq("\"router abc\""), "");
	assert_string_equal(findq("abc -scripting"), "1");
	assert_string_equal(findq("abc -scripting -bypass"), "");
	assert_string_equal(findq("router -認証"), "3");
	assert_string_equal(findq("cve-2024-0001"), "1");
	assert_string_equal(findq("JVNDB-2023-000004"), "4");
	assert_string_equal(findq("nothing-like-this"), "");
	assert_string_equal(findq("\"\""), "1,2,3,4,101,102,103,104,105,106,...");
	long total;
	struct kk_search_query q = {.q = "-widgets", .lang = "en"};
	assert_string_equal(find(&q, &total), "1,2,3,4");
	assert_int_equal(total, 4);
}

static void test_filters(void **state)
{
	(void)state;
	long total;
	struct kk_search_query q = {.severity_mask = 1u << 4 | 1u << 3};
	assert_string_equal(find(&q, &total), "1,4");
	q = (struct kk_search_query){.cwe = 79};
	assert_string_equal(find(&q, &total), "3,4");
	q = (struct kk_search_query){
	    .has_score_min = true, .score_min = 5.3, .has_score_max = true, .score_max = 7.5};
	assert_string_equal(find(&q, &total), "2,3,4");
	q = (struct kk_search_query){.published_from = T2024};
	assert_string_equal(find(&q, &total), "1,2");
	q = (struct kk_search_query){.published_to = T2024 - 1, .q = "abc"};
	assert_string_equal(find(&q, &total), "3");
	q = (struct kk_search_query){.updated_from = T2024 + 60 * DAY + 50};
	assert_string_equal(find(&q, &total), "2");
	q = (struct kk_search_query){.source = "osv"};
	assert_string_equal(find(&q, &total), "");
	q = (struct kk_search_query){.q = "abc", .cwe = 287};
	assert_string_equal(find(&q, &total), "1");
	/* child-table filters without words: the candidates are their bitmaps' common records */
	q = (struct kk_search_query){.cwe = 79, .source = "nvd"};
	assert_string_equal(find(&q, &total), "3,4");
	q = (struct kk_search_query){.q = "-scripting", .cwe = 79};
	assert_string_equal(find(&q, &total), "4");
	q = (struct kk_search_query){.source = "nvd", .severity_mask = 1u << 2};
	find(&q, &total);
	assert_int_equal(total, 2 + N_FILL); /* records 2, 3 and the fillers 101..123 (across a 64-id word) */

	/* CVSS vector components: all in one vector */
	assert_int_equal(kk_db_exec(db,
	                            "INSERT INTO vuln_cvss (vuln_id, src, version, vector) VALUES "
	                            "(1, 1, '3.1', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), "
	                            "(3, 1, '3.1', 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N'), "
	                            "(3, 1, '2.0', 'AV:N/AC:M/Au:N/C:P/I:N/A:N')",
	                            ""),
	                 3);
	q = (struct kk_search_query){.vector = "AV:N"};
	assert_string_equal(find(&q, &total), "1,3");
	q = (struct kk_search_query){.vector = "AV:N/PR:N"};
	assert_string_equal(find(&q, &total), "1");
	q = (struct kk_search_query){.vector = "PR:N"};
	assert_string_equal(find(&q, &total), "1,3");
	q = (struct kk_search_query){.vector = "Au:N", .cvss_version = "2.0"};
	assert_string_equal(find(&q, &total), "3");
	q = (struct kk_search_query){.vector = "AV:X"};
	assert_string_equal(find(&q, &total), "");
	struct kk_search_result res;
	struct kk_diag d = {0};
	static const char *const bad[] = {"AV", "AV:N%", ":N", "AV:", "AV:N//PR:N", "CVSS:3.1", "ABCDE:N"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		q = (struct kk_search_query){.vector = bad[i]};
		assert_int_equal(kk_search_run(db, &q, NULL, NULL, &res, &d), KK_EINVAL);
		assert_string_equal(d.where, "vector");
	}
	/* every filter at once (the most bound values a query can have) */
	q = (struct kk_search_query){.q = "abc -xss",
	                             .severity_mask = 31,
	                             .has_score_min = true,
	                             .has_score_max = true,
	                             .score_max = 10,
	                             .cwe = 287,
	                             .vendor = "v",
	                             .product = "p",
	                             .source = "nvd",
	                             .cvss_version = "3.1",
	                             .vector = "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/RL:X/RC:X/CR:X",
	                             .public_from = 1,
	                             .public_to = (int64_t)T2024 * 2,
	                             .published_from = 1,
	                             .published_to = (int64_t)T2024 * 2,
	                             .updated_from = 1,
	                             .updated_to = (int64_t)T2024 * 2,
	                             .cursor = "703a313730343934393330303a39"}; /* p:1704949300:9 */
	assert_int_equal(kk_search_run(db, &q, NULL, NULL, &res, &d), 0);
	assert_int_equal(res.total, 0); /* no CPE rows: vendor and product match nothing */

	/* when it became public */
	assert_int_equal(kk_db_exec(db, "UPDATE vuln SET public_date = ? WHERE id = 2", "i", (int64_t)T2024),
	                 1);
	q = (struct kk_search_query){.public_from = T2024};
	assert_string_equal(find(&q, &total), "2");
	q = (struct kk_search_query){.public_to = T2024 - 1, .q = "abc router"};
	assert_string_equal(find(&q, &total), "1,3");

	/* facets over the whole result */
	q = (struct kk_search_query){.limit = 1};
	assert_int_equal(kk_search_run(db, &q, NULL, NULL, &res, &d), 0);
	assert_int_equal(res.total, 4 + N_FILL);
	assert_int_equal(res.severity[4], 1);
	assert_int_equal(res.severity[3], 1);
	assert_int_equal(res.severity[2], 2 + N_FILL);
	assert_int_equal(res.nyears, 3);
	assert_int_equal(res.years[0].year, 2024);
	assert_int_equal(res.years[0].count, 2);
	assert_int_equal(res.years[2].year, 2022);
	assert_int_equal(res.years[2].count, N_FILL);
	assert_true(res.next_cursor[0] != 0);
}

static void test_sort(void **state)
{
	(void)state;
	struct ids s = {0};
	struct kk_search_result res;
	struct kk_diag d = {0};
	struct kk_search_query q = {.sort = KK_SORT_SCORE, .limit = 3};
	assert_int_equal(kk_search_run(db, &q, collect, &s, &res, &d), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.id[0], 1); /* 9.8 */
	assert_int_equal(s.id[1], 4); /* 7.5 */
	assert_int_equal(s.id[2], 3); /* 5.3, the tie with 2 broken by id descending */
	s.n = 0;
	q = (struct kk_search_query){.q = "abc", .sort = KK_SORT_RELEVANCE};
	assert_int_equal(kk_search_run(db, &q, collect, &s, &res, &d), 0);
	assert_int_equal(s.n, 2);
	s.n = 0;
	q = (struct kk_search_query){.sort = KK_SORT_PUBLISHED, .limit = 2};
	assert_int_equal(kk_search_run(db, &q, collect, &s, &res, &d), 0);
	assert_int_equal(s.id[0], 2);
	assert_int_equal(s.id[1], 1);
}

/* Every sort, page size 4: every record exactly once, though 23 tie on date and score. */
static void test_paging(void **state)
{
	(void)state;
	for (int sort = KK_SORT_PUBLISHED; sort <= KK_SORT_RELEVANCE; sort++) {
		int seen[200] = {0};
		char cursor[KK_SEARCH_CURSOR_MAX] = "";
		long visited = 0, total = -1;
		for (int page = 0; page < 50; page++) {
			struct ids s = {0};
			struct kk_search_result res;
			struct kk_diag d = {0};
			struct kk_search_query q = {.sort = (enum kk_search_sort)sort,
			                            .limit = 4,
			                            .cursor = cursor,
			                            .q = sort == KK_SORT_RELEVANCE ? "-nothing" : NULL};
			assert_int_equal(kk_search_run(db, &q, collect, &s, &res, &d), 0);
			total = res.total;
			for (int i = 0; i < s.n; i++) {
				assert_true(s.id[i] < 200);
				seen[s.id[i]]++;
				visited++;
			}
			if (!res.next_cursor[0])
				break;
			assert_int_equal(s.n, 4);
			strcpy(cursor, res.next_cursor);
		}
		assert_int_equal(total, 4 + N_FILL);
		assert_int_equal(visited, total);
		for (int i = 0; i < 200; i++)
			assert_true(seen[i] <= 1);
	}
	/* relevance with terms: pages of one, both records */
	struct kk_search_query q = {.q = "router", .sort = KK_SORT_RELEVANCE, .limit = 1};
	struct ids s = {0};
	struct kk_search_result res;
	struct kk_diag d = {0};
	assert_int_equal(kk_search_run(db, &q, collect, &s, &res, &d), 0);
	char cursor[KK_SEARCH_CURSOR_MAX];
	strcpy(cursor, res.next_cursor);
	q.cursor = cursor;
	assert_int_equal(kk_search_run(db, &q, collect, &s, &res, &d), 0);
	assert_int_equal(s.n, 2);
	assert_true(s.id[0] != s.id[1]);
	assert_string_equal(res.next_cursor, "");
	/* a cursor of another sort, or not a cursor at all */
	q.sort = KK_SORT_SCORE;
	assert_int_equal(kk_search_run(db, &q, collect, &s, &res, &d), KK_EINVAL);
	assert_string_equal(d.where, "cursor");
	q.cursor = "zz";
	assert_int_equal(kk_search_run(db, &q, collect, &s, &res, &d), KK_EINVAL);
	q = (struct kk_search_query){.limit = 1001};
	assert_int_equal(kk_search_run(db, &q, collect, &s, &res, &d), KK_EINVAL);
	assert_string_equal(d.where, "limit");
}

static void test_reindex_and_find(void **state)
{
	(void)state;
	assert_int_equal(
	    kk_db_exec(db, "UPDATE vuln_text SET text = '鍵管理の欠陥' WHERE vuln_id = 2 AND lang = 'ja'",
	               ""),
	    1);
	assert_string_equal(findq("暗号"), "2"); /* not yet re-indexed */
	assert_int_equal(kk_search_reindex(db, 2), 0);
	assert_string_equal(findq("暗号"), "");
	assert_string_equal(findq("鍵管理"), "2");
	/* stale: only records whose sources changed */
	long n = -1;
	assert_int_equal(kk_search_reindex_stale(db, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(kk_db_exec(db, "UPDATE vuln_source SET content_hash = x'01' WHERE vuln_id = 3", ""),
	                 1);
	assert_int_equal(
	    kk_db_exec(db,
	               "INSERT INTO vuln_source (vuln_id, source, source_id, format, content_hash, "
	               "imported_at) VALUES (4, 'osv', 'X-1', 'osv', x'02', 1)",
	               ""),
	    1);
	assert_int_equal(kk_search_reindex_stale(db, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(kk_search_reindex_stale(db, &n), 0);
	assert_int_equal(n, 0);

	int64_t id = 0;
	assert_int_equal(kk_search_find(db, "JVNDB-2024-000001", &id), 0);
	assert_int_equal(id, 1);
	assert_int_equal(kk_search_find(db, "cve-2024-0002", &id), 0);
	assert_int_equal(id, 2);
	assert_int_equal(kk_search_find(db, "CVE-1999-0000", &id), KK_ENOTFOUND);

	struct kk_buf b;
	struct kk_json j;
	kk_buf_init(&b, 0);
	kk_json_init(&j, &b);
	int64_t modified = 0;
	assert_int_equal(kk_search_record_json(db, 1, &j, &modified), 0);
	assert_int_equal(modified, T2024 + 10 * DAY + 100);
	assert_non_null(strstr(b.ptr, "\"id\":\"JVNDB-2024-000001\""));
	assert_non_null(strstr(b.ptr, "\"ja\":{\"title\":[\"認証回避の脆弱性\"]}"));
	assert_non_null(strstr(b.ptr, "\"cwes\":[287]"));
	assert_non_null(strstr(b.ptr, "\"aliases\":[\"CVE-2024-0001\"]"));
	kk_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_normalize),
	    cmocka_unit_test_setup_teardown(test_terms, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sort, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_paging, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reindex_and_find, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

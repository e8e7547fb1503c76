/*
 * b-detail.c — CPU time of rendering one record's full JSON (what GET
 * /api/v1/vulns/{id} answers) with kk_search_record_json, over ids spread
 * through an existing database: median, p99 and the mean per record, and
 * the mean size. No HTTP, so it is the handler's own cost.
 *
 *   b-detail DB [N]      (N ids, default 2000)
 */
#include "base/buf.h"
#include "base/json.h"
#include "store/db.h"
#include "vulndb/search.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: b-detail DB [N]\n");
		return 2;
	}
	int n = argc > 2 ? atoi(argv[2]) : 2000;
	struct kk_db *db;
	if (kk_db_open(argv[1], KK_DB_READONLY, &db))
		return 1;
	struct kk_stmt *st;
	if (kk_db_prepare(db, "SELECT max(id) FROM vuln", &st) || kk_stmt_step(st) != KK_ROW)
		return 1;
	int64_t max = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	double *t = malloc((size_t)n * sizeof *t), sum = 0, bytes = 0;
	int got = 0;
	for (int pass = 0; pass < 2; pass++) /* the first pass warms the page cache */
		for (int i = 0; i < n; i++) {
			int64_t id = 1 + (int64_t)i * (max / n);
			struct kk_buf b = KK_BUF_INIT(64u << 20);
			struct kk_json j;
			kk_json_init(&j, &b);
			int64_t mod;
			double a = cpu_us();
			int rc = kk_search_record_json(db, id, &j, &mod);
			double e = cpu_us() - a;
			if (pass && rc == 0) {
				t[got++] = e;
				sum += e;
				bytes += (double)b.len;
			}
			kk_buf_release(&b);
		}
	qsort(t, (size_t)got, sizeof *t, dcmp);
	printf("%d records: median %.0f us, p99 %.0f us, max %.0f us, mean %.0f us CPU; mean %.0f bytes\n", got,
	       t[got / 2], t[got * 99 / 100], t[got - 1], sum / got, bytes / got);
	kk_db_close(db);
	return 0;
}

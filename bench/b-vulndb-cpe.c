/*
 * b-vulndb-cpe.c — latency of the cpe= filter (vulndb/affected.h) on a real
 * database: for each CPE name read from standard input (one per line), the
 * index lookup and range decisions alone (kk_affect_match_cpe) and the whole
 * search with it (kk_search_run, limit 50, total and facets), RUNS times
 * each after one warm-up. Prints a markdown row per name and the overall
 * median and p99 of each.
 *
 *   b-vulndb-cpe DB [RUNS] < names.txt
 */
#include "base/alloc.h"
#include "base/clock.h"
#include "store/db.h"
#include "vulndb/affected.h"
#include "vulndb/search.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
	qsort(v, n, sizeof *v, cmp);
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: b-vulndb-cpe DB [RUNS] < names\n");
		return 2;
	}
	int runs = argc > 2 ? atoi(argv[2]) : 21;
	struct kk_db *db;
	if (kk_db_open(argv[1], KK_DB_READONLY, &db)) {
		fprintf(stderr, "cannot open %s\n", argv[1]);
		return 1;
	}
	size_t cap = 4096, na = 0, ns = 0;
	double *all_a = malloc(cap * sizeof *all_a), *all_s = malloc(cap * sizeof *all_s);
	double *ra = malloc((size_t)runs * sizeof *ra), *rs = malloc((size_t)runs * sizeof *rs);
	char line[1024];
	printf("| CPE name | records | match ms (median) | search ms (median) | search ms (max) |\n");
	printf("|---|---:|---:|---:|---:|\n");
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\r\n")] = 0;
		if (!line[0])
			continue;
		struct kk_affect_ids ids = {0};
		struct kk_diag d = {0};
		struct kk_search_query q = {.cpe = line, .limit = 50, .lang = "en"};
		struct kk_search_result res;
		kk_affect_match_cpe(db, line, &ids, &d); /* warm-up */
		kk_search_run(db, &q, NULL, NULL, &res, &d);
		for (int r = 0; r < runs; r++) {
			uint64_t t0 = kk_clock_mono_ns();
			if (kk_affect_match_cpe(db, line, &ids, &d))
				fprintf(stderr, "%s: %s\n", line, d.msg);
			uint64_t t1 = kk_clock_mono_ns();
			kk_search_run(db, &q, NULL, NULL, &res, &d);
			uint64_t t2 = kk_clock_mono_ns();
			ra[r] = (double)(t1 - t0) / 1e6;
			rs[r] = (double)(t2 - t1) / 1e6;
			if (na + 1 >= cap) {
				cap *= 2;
				all_a = realloc(all_a, cap * sizeof *all_a);
				all_s = realloc(all_s, cap * sizeof *all_s);
			}
			all_a[na++] = ra[r];
			all_s[ns++] = rs[r];
		}
		double smax = pct(rs, (size_t)runs, 1.0);
		printf("| `%s` | %zu | %.2f | %.2f | %.2f |\n", line, ids.n, pct(ra, (size_t)runs, 0.5),
		       pct(rs, (size_t)runs, 0.5), smax);
		kk_affect_ids_release(&ids);
	}
	if (na) {
		double a50 = pct(all_a, na, 0.5), a99 = pct(all_a, na, 0.99);
		double s50 = pct(all_s, ns, 0.5), s99 = pct(all_s, ns, 0.99);
		printf("\nall %zu runs: match median %.2f ms, p99 %.2f ms; search median %.2f ms, p99 %.2f ms\n", na,
		       a50, a99, s50, s99);
	}
	free(all_a), free(all_s), free(ra), free(rs);
	kk_db_close(db);
	return 0;
}

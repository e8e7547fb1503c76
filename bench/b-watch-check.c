/*
 * b-watch-check.c — the version checker in process: b-watch-check DB SBOM
 * [RUNS] parses SBOM once, then checks it RUNS times (default 10) against
 * DB and prints the components, matches and the median / best wall time
 * of one check (the first run warms the page cache and is left out).
 */
#include "base/arena.h"
#include "base/clock.h"
#include "store/db.h"
#include "watch/check.h"
#include "watch/sbom.h"
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: b-watch-check DB SBOM [RUNS]\n");
		return 2;
	}
	int runs = argc > 3 ? atoi(argv[3]) : 10;
	if (runs < 1 || runs > 1000)
		runs = 10;
	FILE *f = fopen(argv[2], "rb");
	if (!f)
		return perror(argv[2]), 1;
	static char buf[64 << 20];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	struct kk_db *db;
	if (kk_db_open(argv[1], KK_DB_READONLY, &db))
		return fprintf(stderr, "cannot open %s\n", argv[1]), 1;
	struct kk_arena a;
	struct kk_sbom s;
	struct kk_diag d;
	kk_arena_init(&a, 0);
	if (kk_sbom_parse(buf, n, &a, &s, &d) < 0)
		return fprintf(stderr, "%s: %s: %s\n", argv[2], d.where, d.msg), 1;
	double ms[1001];
	struct kk_check_result r = {0};
	for (int i = 0; i <= runs; i++) {
		struct kk_arena ra;
		kk_arena_init(&ra, 0);
		uint64_t t0 = kk_clock_mono_ns();
		if (kk_check_run(db, &s, NULL, &ra, &r) < 0)
			return fprintf(stderr, "check failed: %s\n", kk_db_errmsg(db)), 1;
		ms[i] = (double)(kk_clock_mono_ns() - t0) / 1e6;
		if (i == runs)
			printf("components %zu, affected %ld, matches %ld\n", r.n, r.affected, r.matches);
		kk_arena_release(&ra);
	}
	qsort(ms + 1, (size_t)runs, sizeof *ms, cmp);
	printf("check: first %.2f ms, median %.2f ms, best %.2f ms over %d runs\n", ms[0], ms[1 + runs / 2], ms[1], runs);
	kk_arena_release(&a);
	kk_db_close(db);
	return 0;
}

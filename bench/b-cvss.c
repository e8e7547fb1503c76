/*
 * b-cvss.c — parse+score throughput of std/cvss on one core: reads vectors
 * (one per line) from a file into memory, then for the CVSS 3.1 and the
 * CVSS 4.0 vectors separately times kk_cvss_parse + kk_cvss_score over all
 * of them, 5 runs, and prints the median vectors per CPU second (per core).
 * RUNS 0 makes one untimed pass over each set instead, for instruction counts:
 *
 *   build/bench/b-cvss FILE [RUNS]
 *   valgrind --tool=callgrind build/bench/b-cvss FILE 0
 *     then callgrind_annotate --inclusive=yes: kk_cvss_parse and kk_cvss_score
 *     divided by the vector count (less build_derived, the one-time tables)
 */
#include "base/alloc.h"
#include "base/clock.h"
#include "std/cvss.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct vec {
	const char *s;
	size_t n;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Parses and scores v[0..n) once; exits on an invalid vector. */
static void parse_score_all(const struct vec *v, size_t n, long *checksum)
{
	for (size_t i = 0; i < n; i++) {
		struct kk_cvss c;
		struct kk_cvss_scores sc;
		if (kk_cvss_parse(v[i].s, v[i].n, &c, NULL) < 0 || kk_cvss_score(&c, &sc) < 0) {
			fprintf(stderr, "b-cvss: invalid vector: %.*s\n", (int)v[i].n, v[i].s);
			exit(1);
		}
		*checksum += sc.score;
	}
}

/*
 * Median vectors per CPU second over `runs` passes of at least ~0.2 s of CPU
 * each. CPU time (clock()) rather than wall time, so that other processes on
 * a shared machine do not count against us: the figure is per core.
 */
static double measure(const struct vec *v, size_t n, int runs, long *checksum, double *wall_rate)
{
	double rate[16], wall[16];
	if (runs > 16)
		runs = 16;
	for (int r = 0; r < runs; r++) {
		size_t done = 0;
		clock_t c0 = clock(), c1;
		uint64_t t0 = kk_clock_mono_ns();
		do {
			parse_score_all(v, n, checksum);
			done += n;
			c1 = clock();
		} while ((double)(c1 - c0) < 0.2 * CLOCKS_PER_SEC);
		rate[r] = (double)done / ((double)(c1 - c0) / CLOCKS_PER_SEC);
		wall[r] = (double)done / ((double)(kk_clock_mono_ns() - t0) / 1e9);
	}
	qsort(rate, (size_t)runs, sizeof(rate[0]), cmp_double);
	qsort(wall, (size_t)runs, sizeof(wall[0]), cmp_double);
	*wall_rate = wall[runs / 2];
	return rate[runs / 2];
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: b-cvss FILE [RUNS]\n");
		return 2;
	}
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	if (runs < 0)
		runs = 1;
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = kk_malloc((size_t)size + 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "b-cvss: cannot read %s\n", argv[1]);
		return 1;
	}
	fclose(f);
	buf[size] = 0;
	size_t cap = 1024, n31 = 0, n40 = 0;
	struct vec *v31 = kk_malloc(cap * sizeof(*v31)), *v40 = kk_malloc(cap * sizeof(*v40));
	for (char *p = buf, *nl; p < buf + size; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(buf + size - p));
		if (!nl)
			nl = buf + size;
		size_t n = (size_t)(nl - p);
		if (n && p[n - 1] == '\r')
			n--;
		if (n31 == cap || n40 == cap) {
			cap *= 2;
			v31 = kk_realloc(v31, cap * sizeof(*v31));
			v40 = kk_realloc(v40, cap * sizeof(*v40));
		}
		if (!v31 || !v40) {
			fprintf(stderr, "b-cvss: out of memory\n");
			return 1;
		}
		if (n > 9 && !memcmp(p, "CVSS:3.1/", 9))
			v31[n31++] = (struct vec){p, n};
		else if (n > 9 && !memcmp(p, "CVSS:4.0/", 9))
			v40[n40++] = (struct vec){p, n};
	}
	long checksum = 0;
	double wall;
	if (runs == 0) {
		parse_score_all(v31, n31, &checksum);
		parse_score_all(v40, n40, &checksum);
		printf("one pass: %zu CVSS 3.1 vectors, %zu CVSS 4.0 vectors\n", n31, n40);
	} else if (n31) {
		double r = measure(v31, n31, runs, &checksum, &wall);
		printf("cvss 3.1: %zu vectors, %.2f million parse+score per CPU second (median of %d; wall "
		       "%.2f M/s)\n",
		       n31, r / 1e6, runs, wall / 1e6);
	}
	if (runs && n40) {
		double r = measure(v40, n40, runs, &checksum, &wall);
		printf("cvss 4.0: %zu vectors, %.2f million parse+score per CPU second (median of %d; wall "
		       "%.2f M/s)\n",
		       n40, r / 1e6, runs, wall / 1e6);
	}
	if (!n31 && !n40)
		printf("b-cvss: no CVSS 3.1 or 4.0 vectors in %s\n", argv[1]);
	fprintf(stderr, "(checksum %ld)\n", checksum);
	kk_free(v31);
	kk_free(v40);
	kk_free(buf);
	return 0;
}

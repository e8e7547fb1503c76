/*
 * b-cpe.c — CPE name matching throughput on one core: parses a set of
 * source names (NVD-configuration style: ANY, exact or wildcard versions)
 * and target names (installed products), then times kk_cpe_compare over
 * every source x target pair; 5 runs of >= 0.2 s each, prints the median
 * pairs per second for two workloads, both per wall-clock second and per
 * second of this thread's CPU time (the per-core figure that stays true
 * when other processes share the cores):
 *   mixed         64 vendor/product pairs, so most pairs differ in vendor or product
 *   same-product  every pair has the same vendor and product: all 11 attributes compared
 * and, as the baseline measured in the same run, the mixed workload done
 * the naive way: parsing both formatted strings for every pair.
 *
 *   build/bench/b-cpe [RUNS]
 */
#include "base/clock.h"
#include "std/cpe.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NS 256
#define NT 256

struct name {
	struct kk_cpe c;
	char store[KK_CPE_STORE(160)];
};

static struct name src[NS], tgt[NT];
static char src_fs[NS][160], tgt_fs[NT][160];

static const char *const vendors[] = {"apache", "microsoft", "oracle", "google", "mozilla", "cisco", "linux", "redhat",
				      "debian", "openssl", "nginx", "php", "python", "adobe", "ibm", "vmware"};
static const char *const products[] = {"http_server", "windows_10", "java_se", "chrome"};
static const char *const tsw[] = {"*", "*", "linux", "windows"};

static void parse(struct name *n, const char *s)
{
	if (kk_cpe_parse(s, strlen(s), &n->c, n->store, sizeof(n->store), NULL)) {
		fprintf(stderr, "b-cpe: cannot parse %s\n", s);
		exit(1);
	}
}

/* same: every name gets vendor 0 / product 0. */
static void build(int same)
{
	char s[256];
	for (int i = 0; i < NS; i++) {
		int v = same ? 0 : i % 16, p = same ? 0 : (i / 16) % 4;
		switch (i % 4) {
		case 0: /* any version */
			snprintf(s, sizeof(s), "cpe:2.3:a:%s:%s:*:*:*:*:*:*:*:*", vendors[v], products[p]);
			break;
		case 1: /* exact version */
			snprintf(s, sizeof(s), "cpe:2.3:a:%s:%s:%d.%d.%d:*:*:*:*:*:*:*", vendors[v], products[p], i % 3,
				 i % 7, i % 11);
			break;
		case 2: /* wildcard version */
			snprintf(s, sizeof(s), "cpe:2.3:a:%s:%s:%d.%d.*:*:*:*:*:%s:*:*", vendors[v], products[p], i % 3,
				 i % 7, tsw[i % 4]);
			break;
		default: /* update and target */
			snprintf(s, sizeof(s), "cpe:2.3:a:%s:%s:%d.%d:sp?:*:*:*:*:x64:*", vendors[v], products[p], i % 3,
				 i % 7);
		}
		parse(&src[i], s);
		snprintf(src_fs[i], sizeof(src_fs[i]), "%s", s);
	}
	for (int i = 0; i < NT; i++) {
		int v = same ? 0 : (i * 7) % 16, p = same ? 0 : (i / 5) % 4;
		snprintf(s, sizeof(s), "cpe:2.3:a:%s:%s:%d.%d.%d:%s:*:*:*:%s:%s:*", vendors[v], products[p], i % 3,
			 i % 7, i % 13, i % 3 ? "-" : "sp1", tsw[(i / 3) % 4], i % 2 ? "x64" : "*");
		parse(&tgt[i], s);
		snprintf(tgt_fs[i], sizeof(tgt_fs[i]), "%s", s);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static uint64_t cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The baseline: parse both names for every pair, then compare. */
static void pass_naive(long counts[5])
{
	static struct name a, b;
	for (int i = 0; i < NS; i++) {
		for (int j = 0; j < NT; j++) {
			parse(&a, src_fs[i]);
			parse(&b, tgt_fs[j]);
			counts[kk_cpe_compare(&a.c, &b.c)]++;
		}
	}
}

static void pass_parsed(long counts[5])
{
	for (int i = 0; i < NS; i++)
		for (int j = 0; j < NT; j++)
			counts[kk_cpe_compare(&src[i].c, &tgt[j].c)]++;
}

/* Median wall-clock rate; *cpu_rate gets the median CPU-time rate. */
static double measure(void (*pass)(long counts[5]), int runs, long counts[5], double *cpu_rate)
{
	double rate[16], crate[16];
	if (runs > 16)
		runs = 16;
	for (int r = 0; r < runs; r++) {
		uint64_t done = 0, t0 = kk_clock_mono_ns(), t1, c0 = cpu_ns();
		do {
			pass(counts);
			done += (uint64_t)NS * NT;
			t1 = kk_clock_mono_ns();
		} while (t1 - t0 < 200000000ull);
		rate[r] = (double)done / ((double)(t1 - t0) / 1e9);
		crate[r] = (double)done / ((double)(cpu_ns() - c0) / 1e9);
	}
	qsort(rate, (size_t)runs, sizeof(rate[0]), cmp_double);
	qsort(crate, (size_t)runs, sizeof(crate[0]), cmp_double);
	*cpu_rate = crate[runs / 2];
	return rate[runs / 2];
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	if (runs < 1)
		runs = 5;
	static const char *const work[] = {"mixed", "same-product"};
	for (int w = 0; w < 2; w++) {
		long counts[5] = {0};
		build(w);
		double cpu, r = measure(pass_parsed, runs, counts, &cpu);
		long total = counts[0] + counts[1] + counts[2] + counts[3] + counts[4];
		printf("b-cpe %-13s %6.1f million pairs per CPU-second (%5.1f million per wall second; median of %d; "
		       "relations: equal %.2f%% superset %.2f%% subset %.2f%% disjoint %.2f%% undefined %.2f%%)\n",
		       work[w], cpu / 1e6, r / 1e6, runs, 100.0 * counts[0] / total, 100.0 * counts[1] / total,
		       100.0 * counts[2] / total, 100.0 * counts[3] / total, 100.0 * counts[4] / total);
	}
	long counts[5] = {0};
	double cpu, r;
	build(0);
	r = measure(pass_naive, runs, counts, &cpu);
	printf("b-cpe baseline      %6.2f million pairs per CPU-second (%5.2f million per wall second; mixed workload, "
	       "parsing both names for every pair)\n",
	       cpu / 1e6, r / 1e6);
	return 0;
}

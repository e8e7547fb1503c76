/*
 * b-search.c — CPU time of each query of a query set (bench/queries/NAME.txt:
 * /api/v1/vulns?... paths) through kk_search_run on an existing database,
 * in-process: no HTTP, no JSON, so it shows the search's own cost. Each
 * query runs RUNS times (default 9) after one warm-up; prints per query the
 * median thread-CPU milliseconds and the total, then the set's median,
 * p90, p99 and max. The first search of the process (loading the record
 * cards) is timed apart.
 *
 *   b-search DB QUERYFILE [RUNS]
 */
#include "base/alloc.h"
#include "base/clock.h"
#include "base/err.h"
#include "store/db.h"
#include "vulndb/search.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (*s == '+')
			*o++ = ' ';
		else if (*s == '%' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
			char h[3] = {s[1], s[2], 0};
			*o++ = (char)strtol(h, NULL, 16);
			s += 2;
		} else
			*o++ = *s;
	}
	*o = 0;
}

static const char *const sev[] = {"none", "low", "medium", "high", "critical"};

/* Fills q from the query string (params the query sets use); 0 or -1. */
static int parse(char *qs, struct kk_search_query *q)
{
	memset(q, 0, sizeof *q);
	q->lang = "en";
	for (char *p = strtok(qs, "&"); p; p = strtok(NULL, "&")) {
		char *v = strchr(p, '=');
		if (!v)
			return -1;
		*v++ = 0;
		unescape(v);
		int64_t t;
		if (!strcmp(p, "q"))
			q->q = v;
		else if (!strcmp(p, "limit"))
			q->limit = atoi(v);
		else if (!strcmp(p, "cwe"))
			q->cwe = atoi(v);
		else if (!strcmp(p, "vector"))
			q->vector = v;
		else if (!strcmp(p, "score_min"))
			q->has_score_min = true, q->score_min = atof(v);
		else if (!strcmp(p, "severity")) {
			for (int i = 0; i < 5; i++)
				if (!strcmp(v, sev[i]))
					q->severity_mask |= 1u << i;
		} else if (!strcmp(p, "sort")) {
			if (kk_search_sort_parse(v, &q->sort))
				return -1;
		} else if (!strcmp(p, "published_from") && !kk_time_parse(v, &t))
			q->published_from = t;
		else if (!strcmp(p, "cpe"))
			q->cpe = v;
		else if (!strcmp(p, "purl"))
			q->purl = v;
		else if (!strcmp(p, "vendor"))
			q->vendor = v;
		else if (!strcmp(p, "kev"))
			q->kev = true;
		else
			return -1;
	}
	return 0;
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: b-search DB QUERYFILE [RUNS]\n");
		return 2;
	}
	int runs = argc > 3 ? atoi(argv[3]) : 9;
	struct kk_db *db;
	if (kk_db_open(argv[1], KK_DB_READONLY, &db)) {
		fprintf(stderr, "cannot open %s\n", argv[1]);
		return 1;
	}
	FILE *f = fopen(argv[2], "r");
	if (!f)
		return 1;
	char line[4096];
	double meds[1024];
	int nq = 0;
	struct kk_search_result res;
	struct kk_diag d = {0};
	struct kk_search_query q0 = {.limit = 1};
	double t0 = cpu_ms();
	uint64_t w0 = kk_clock_mono_ns();
	if (kk_search_run(db, &q0, NULL, NULL, &res, &d)) {
		fprintf(stderr, "search: %s\n", d.msg);
		return 1;
	}
	printf("first search (loads the record cards): %.1f ms CPU, %.1f ms wall; %ld records\n", cpu_ms() - t0,
	       (double)(kk_clock_mono_ns() - w0) / 1e6, res.total);
	while (fgets(line, sizeof line, f) && nq < 1024) {
		line[strcspn(line, "\n")] = 0;
		char *qs = strchr(line, '?');
		if (!qs)
			continue;
		char copy[4096];
		snprintf(copy, sizeof copy, "%s", qs + 1);
		struct kk_search_query q;
		if (parse(copy, &q)) {
			fprintf(stderr, "cannot parse %s\n", line);
			return 1;
		}
		double t[64];
		if (runs > 64)
			runs = 64;
		for (int r = -1; r < runs; r++) {
			double a = cpu_ms();
			if (kk_search_run(db, &q, NULL, NULL, &res, &d)) {
				fprintf(stderr, "%s: %s\n", line, d.msg);
				return 1;
			}
			if (r >= 0)
				t[r] = cpu_ms() - a;
		}
		qsort(t, (size_t)runs, sizeof t[0], dcmp);
		meds[nq++] = t[runs / 2];
		printf("%8.2f ms %7ld  %s\n", t[runs / 2], res.total, line);
	}
	fclose(f);
	qsort(meds, (size_t)nq, sizeof meds[0], dcmp);
	if (nq)
		printf("%d queries: median %.2f ms, p90 %.2f, p99 %.2f, max %.2f (CPU ms per query, median of %d runs)\n",
		       nq, meds[nq / 2], meds[nq * 9 / 10], meds[nq * 99 / 100], meds[nq - 1], runs);
	kk_db_close(db);
	return 0;
}

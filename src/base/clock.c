/* clock.c — wall clock (pinnable for tests) and monotonic clock. */
#include "base/clock.h"
#include "base/err.h"
#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static atomic_llong pinned = -1;
static atomic_int env_read;

int64_t kk_clock_now(void)
{
	if (!atomic_load(&env_read)) {
		const char *e = getenv("KEIKAI_TEST_NOW");
		int64_t t;
		if (e && *e && kk_time_parse(e, &t) == 0)
			atomic_store(&pinned, t);
		atomic_store(&env_read, 1);
	}
	long long p = atomic_load(&pinned);
	if (p >= 0)
		return p;
	return (int64_t)time(NULL);
}

void kk_clock_pin(int64_t t)
{
	atomic_store(&env_read, 1);
	atomic_store(&pinned, t < 0 ? -1 : t);
}

uint64_t kk_clock_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void kk_time_iso(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void kk_time_jst(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)(t + 9 * 3600);
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, n, "%Y-%m-%d %H:%M JST", &tm);
}

int64_t kk_time_add_months_jst(int64_t t, int months)
{
	const int64_t jst = 9 * 3600;
	time_t tt = (time_t)(t + jst);
	struct tm tm;
	gmtime_r(&tt, &tm);
	int day = tm.tm_mday;
	int mon = tm.tm_mon + months;
	int dy = mon >= 0 ? mon / 12 : -((-mon + 11) / 12);
	tm.tm_year += dy;
	tm.tm_mon = mon - dy * 12;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y = tm.tm_year + 1900;
	int last = mdays[tm.tm_mon] + (tm.tm_mon == 1 && ((y % 4 == 0 && y % 100) || y % 400 == 0));
	tm.tm_mday = day > last ? last : day;
	return (int64_t)timegm(&tm) - jst;
}

static int digits(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		*v = *v * 10 + (**p - '0');
	}
	return 0;
}

int kk_time_parse(const char *s, int64_t *t)
{
	const char *p = s;
	size_t len = strlen(s);
	if (len > 0 && strspn(s, "0123456789") == len) {
		*t = strtoll(s, NULL, 10);
		return 0;
	}
	int Y, M, D, h = 0, m = 0, sec = 0, off = 0;
	if (digits(&p, 4, &Y) || *p++ != '-' || digits(&p, 2, &M) || *p++ != '-' || digits(&p, 2, &D))
		return KK_EPARSE;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &m))
			return KK_EPARSE;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				return KK_EPARSE;
			if (*p == '.')
				for (p++; isdigit((unsigned char)*p); p++)
					;
		}
		if (*p == 'Z')
			p++;
		else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1, oh, om;
			if (digits(&p, 2, &oh))
				return KK_EPARSE;
			if (*p == ':')
				p++;
			if (digits(&p, 2, &om))
				return KK_EPARSE;
			off = sign * (oh * 3600 + om * 60);
		}
	}
	if (*p || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60)
		return KK_EPARSE;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
	if (D > mdays[M - 1] + (M == 2 && leap))
		return KK_EPARSE;
	/* days from civil (Howard Hinnant's algorithm) */
	int y = Y - (M <= 2);
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (unsigned)((153 * (M + (M > 2 ? -3 : 9)) + 2) / 5 + D - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = (int64_t)era * 146097 + (int64_t)doe - 719468;
	*t = days * 86400 + h * 3600 + m * 60 + sec - off;
	return 0;
}

int kk_time_parse_jst(const char *s, int hour_jst, int64_t *t)
{
	int rc = kk_time_parse(s, t);
	if (rc || strspn(s, "0123456789") == strlen(s))
		return rc; /* an error, or epoch seconds */
	if (!s[10]) {
		if (hour_jst < 0 || hour_jst > 23)
			return KK_EPARSE;
		*t += (int64_t)(hour_jst - 9) * 3600; /* that day in Japan */
		return 0;
	}
	/* "YYYY-MM-DDTHH:MM..." was parsed; a zone is a Z or a sign after the time */
	if (!strpbrk(s + 11, "Z+-"))
		*t -= 9 * 3600;
	return 0;
}

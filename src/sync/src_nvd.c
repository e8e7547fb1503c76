/*
 * src_nvd.c — the NVD API 2.0 (https://nvd.nist.gov/developers/vulnerabilities).
 *
 * The cursor is {"since":T,"until":U,"index":N} (seconds since the epoch):
 * every CVE last modified up to `since` is in; the window (since, until] is
 * being read, pages before startIndex N are in. A window is at most 120
 * days (the API's limit); until is fixed when the window starts, so the
 * paging of one window stays the same set. No `since` is the first run: the
 * whole catalog page by page (or seed it: `keikai sync --set nvd --since
 * DATE` after importing files). Each page's records commit with the cursor
 * that says the page is done.
 *
 * Requests: resultsPerPage=2000 and startIndex; the apiKey header from
 * $KEIKAI_NVD_API_KEY; at most 5 requests in 30 s without a key and 50 with
 * one (the published limits; $KEIKAI_NVD_RATE "N/SECONDS" overrides).
 */
#include "base/clock.h"
#include "base/str.h"
#include "sync/sources.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WINDOW_MAX (120 * 86400)
#define PAGE 2000

static void nvd_time(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	/* 2024-01-31T00:00:00.000+00:00, the '+' escaped for the query */
	strftime(out, n, "%Y-%m-%dT%H:%M:%S.000%%2B00:00", &tm);
}

struct cur {
	int64_t since, until; /* 0: none */
	long index;
};

static void cur_read(const char *text, struct cur *c)
{
	memset(c, 0, sizeof *c);
	json_t *j = json_loads(text, 0, NULL);
	if (!j)
		return;
	c->since = json_integer_value(json_object_get(j, "since"));
	c->until = json_integer_value(json_object_get(j, "until"));
	c->index = (long)json_integer_value(json_object_get(j, "index"));
	json_decref(j);
}

static void cur_write(const struct cur *c, char *out, size_t n)
{
	if (c->until)
		snprintf(out, n, "{\"since\":%lld,\"until\":%lld,\"index\":%ld}", (long long)c->since,
		         (long long)c->until, c->index);
	else
		snprintf(out, n, "{\"since\":%lld}", (long long)c->since);
}

int kk_sync_nvd(struct kk_sync *s)
{
	const char *key = getenv("KEIKAI_NVD_API_KEY");
	char header[200] = "";
	if (key && *key)
		snprintf(header, sizeof header, "apiKey: %s", key);
	const char *rate = getenv("KEIKAI_NVD_RATE");
	if (!rate || !*rate || kk_rate_parse(&s->http.rate, rate))
		kk_rate_parse(&s->http.rate, header[0] ? "50/30" : "5/30");
	struct cur c;
	cur_read(s->cursor, &c);
	int64_t now = kk_clock_now(); /* the run ends at the window reaching its start */
	for (;;) {
		if (!c.until) {
			if (c.since >= now)
				return 0; /* current */
			c.until = c.since && now - c.since > WINDOW_MAX ? c.since + WINDOW_MAX : now;
			c.index = 0;
		}
		char url[1024], a[64], b[64];
		if (c.since) {
			nvd_time(c.since, a, sizeof a);
			nvd_time(c.until, b, sizeof b);
			snprintf(url, sizeof url,
			         "%s/rest/json/cves/2.0?lastModStartDate=%s&lastModEndDate=%s&resultsPerPage=%d&startIndex=%ld",
			         s->base_url, a, b, PAGE, c.index);
		} else {
			snprintf(url, sizeof url, "%s/rest/json/cves/2.0?resultsPerPage=%d&startIndex=%ld", s->base_url, PAGE,
			         c.index);
		}
		struct kk_http_resp r;
		json_t *page = NULL;
		/* a page that is not JSON (cut by a proxy) is fetched again, twice, before it is passed over */
		for (int tries = 0; tries < 3 && !page; tries++) {
			KK_TRY(kk_sync_fetch(s, url, NULL, NULL, header[0] ? header : NULL, &r));
			page = kk_sync_json_body(s, &r, url);
			if (!page)
				kk_http_resp_release(&r);
			if (!page && tries < 2)
				s->c.skipped--; /* counted once, when it is passed over */
		}
		struct cur next = c;
		if (!page) { /* named and counted: the window goes on after it */
			next.index = c.index + PAGE;
			kk_http_resp_release(&r);
			KK_TRY(kk_sync_set_cursor(s, (cur_write(&next, url, sizeof url), url), NULL, NULL));
			c = next;
			continue;
		}
		long total = (long)json_integer_value(json_object_get(page, "totalResults"));
		json_t *items = json_object_get(page, "vulnerabilities");
		long n = (long)json_array_size(items);
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it)
		{
			const char *st = json_string_value(json_object_get(json_object_get(it, "cve"), "vulnStatus"));
			s->c.withdrawn += st && !strcmp(st, "Rejected");
		}
		json_decref(page);
		if (n == 0 || c.index + n >= total) { /* the window is done */
			next.since = c.until;
			next.until = 0;
			next.index = 0;
		} else {
			next.index = c.index + n;
		}
		char cursor[256];
		cur_write(&next, cursor, sizeof cursor);
		int rc = kk_sync_import(s, r.path, url, cursor, NULL, NULL);
		kk_http_resp_release(&r);
		KK_TRY(rc);
		s->total = total > s->total ? total : s->total;
		s->done += n;
		KK_TRY(kk_sync_progress(s));
		c = next;
	}
}

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
#include "sync/parse.h"
#include "sync/sources.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE 2000

static void nvd_time(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	/* 2024-01-31T00:00:00.000+00:00, the '+' escaped for the query */
	strftime(out, n, "%Y-%m-%dT%H:%M:%S.000%%2B00:00", &tm);
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
	struct kk_nvd_cursor c;
	const char *why = "";
	if (kk_nvd_cursor_read(s->cursor, &c, &why))
		return kk_diag_set(s->d, KK_EPARSE, "cursor",
		                   "sync nvd: the stored cursor %s is broken (%s); start again from a date with 'keikai "
		                   "sync --set nvd --since DATE' (or --reset for the whole catalog)",
		                   s->cursor, why);
	int64_t now = kk_clock_now(); /* the run ends at the window reaching its start */
	for (;;) {
		if (!c.until) {
			if (c.since >= now)
				return 0; /* current */
			c.until = c.since && now - c.since > KK_NVD_WINDOW_MAX ? c.since + KK_NVD_WINDOW_MAX : now;
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
		struct kk_nvd_page pg = {0};
		bool ok = false;
		/* a page that is not JSON (cut by a proxy) or not a page is fetched again, twice, before it is passed over */
		for (int tries = 0; tries < 3 && !ok; tries++) {
			KK_TRY(kk_sync_fetch(s, url, NULL, NULL, header[0] ? header : NULL, &r));
			json_t *page = kk_sync_json_body(s, &r, url);
			const char *field = "";
			if (page && kk_nvd_page_read(page, &pg, &field, &why))
				kk_sync_malformed(s, url, "(page)", field, why);
			else if (page)
				ok = true;
			json_decref(page);
			if (!ok) {
				kk_http_resp_release(&r);
				if (tries < 2)
					s->c.skipped--; /* counted once, when it is passed over */
			}
		}
		struct kk_nvd_cursor next = c;
		if (!ok) { /* named and counted: the window goes on after it */
			next.index = c.index + PAGE;
			KK_TRY(kk_sync_set_cursor(s, (kk_nvd_cursor_write(&next, url, sizeof url), url), NULL, NULL));
			c = next;
			continue;
		}
		s->c.withdrawn += pg.rejected;
		if (pg.n == 0 || c.index + pg.n >= pg.total) { /* the window is done */
			next.since = c.until;
			next.until = 0;
			next.index = 0;
		} else {
			next.index = c.index + pg.n;
		}
		char cursor[256];
		kk_nvd_cursor_write(&next, cursor, sizeof cursor);
		int rc = kk_sync_import(s, r.path, url, cursor, NULL, NULL);
		kk_http_resp_release(&r);
		KK_TRY(rc);
		s->total = pg.total > s->total ? pg.total : s->total;
		s->done += pg.n;
		KK_TRY(kk_sync_progress(s));
		c = next;
	}
}

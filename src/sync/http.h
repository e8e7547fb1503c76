/*
 * http.h — fetching from upstream services (libcurl), done once and
 * properly for every source of sync/:
 *
 *   - TLS verification on (peer and host), http and https only, redirects
 *     followed (at most 5, http/https only);
 *   - proxies from the environment (http_proxy, https_proxy, no_proxy: libcurl);
 *   - compressed transfer (Accept-Encoding: every encoding libcurl knows);
 *   - timeouts: connect 30 s, a transfer slower than 1 byte/s for 60 s is
 *     cut, and a whole request at most KEIKAI_SYNC_TIMEOUT seconds (600);
 *   - User-Agent "keikai/VERSION";
 *   - conditional requests: If-None-Match / If-Modified-Since from the
 *     caller's stored ETag / Last-Modified; a 304 is an answer, not an error;
 *   - a size cap (KEIKAI_SYNC_MAX_BYTES, default 4 GiB): a larger body is
 *     an error naming the URL and the cap;
 *   - retries: 429, 5xx, timeouts, truncated bodies and broken connections
 *     are tried again up to max_tries times, waiting Retry-After (seconds or
 *     an HTTP date, capped at 15 minutes) when the answer gives one, else
 *     backoff_ms, 2x, 4x ... (KEIKAI_SYNC_BACKOFF_MS, default 2000).
 *
 * The body goes to an unlinked temporary file (nothing is left behind by a
 * crash); kk_http_body_path names it for kk_import_open (which undoes gzip
 * and xz files by their magic bytes).
 *
 * The rate limiter is a pure function of the times of the last requests,
 * so tests drive it with their own clock (u-sync).
 */
#ifndef KK_SYNC_HTTP_H
#define KK_SYNC_HTTP_H
#include "base/err.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* At most max requests in any window_ms (max 0: no limit). */
#define KK_RATE_MAX 128
struct kk_rate {
	int max;
	int64_t window_ms;
	int64_t at[KK_RATE_MAX]; /* ring of the last request times (ms) */
	int n, head;
};
/* "5/30" (5 requests per 30 seconds) into r; 0 or KK_EINVAL (max 1..128, seconds 1..3600). */
int kk_rate_parse(struct kk_rate *r, const char *spec);
/* Milliseconds to wait at now_ms before the next request may go (0: at once). */
int64_t kk_rate_delay(const struct kk_rate *r, int64_t now_ms);
/* Records a request sent at now_ms. */
void kk_rate_note(struct kk_rate *r, int64_t now_ms);

struct kk_http {
	void *curl;          /* CURL *, one connection cache for every request */
	int max_tries;       /* default 5 */
	int64_t backoff_ms;  /* first wait after a failure; doubles */
	int64_t max_wait_ms; /* cap on one wait (Retry-After or backoff); default 15 minutes */
	uint64_t max_bytes;
	long timeout_s;
	struct kk_rate rate; /* max 0: unlimited */
	/*
	 * Waits ms milliseconds; returns non-zero when the caller should stop
	 * (the sync was asked to end). Default: sleeps, never stops.
	 */
	int (*wait)(void *arg, int64_t ms);
	void *wait_arg;
	long requests; /* every attempt sent */
	long retries;  /* attempts that were retries */
};

struct kk_http_get {
	const char *url;
	const char *etag;          /* sends If-None-Match when set and not "" */
	const char *last_modified; /* sends If-Modified-Since when set and not "" */
	const char *header;        /* one extra header line ("apiKey: ..."), may be NULL */
};

struct kk_http_resp {
	long status;             /* 200 .. 299, or 304 */
	int fd;                  /* the body: unlinked temporary file, -1 when none */
	uint64_t bytes;
	char etag[256];
	char last_modified[80];
	char path[40];           /* "/proc/self/fd/N", for kk_import_open */
};

/* Defaults and the KEIKAI_SYNC_* environment; 0 or KK_ENOMEM. */
int kk_http_init(struct kk_http *h);
void kk_http_release(struct kk_http *h);
/*
 * GET g->url into r (release it with kk_http_resp_release). Returns 0 with
 * r->status 2xx or 304; KK_ENOTFOUND for 404/410; KK_EIO (after the retries,
 * or at once for other 4xx) / KK_ETOOBIG / KK_EINTERNAL with d naming the
 * URL and what happened; KK_EBUSY when wait() asked to stop.
 */
int kk_http_fetch(struct kk_http *h, const struct kk_http_get *g, struct kk_http_resp *r, struct kk_diag *d);
void kk_http_resp_release(struct kk_http_resp *r);
/* A stdio stream over the body from its start (fclose it); NULL on failure. */
FILE *kk_http_body(const struct kk_http_resp *r);

/* Seconds from a Retry-After value (delta-seconds or an HTTP date) at now; -1 when unreadable. */
int64_t kk_http_retry_after(const char *v, int64_t now);

#endif

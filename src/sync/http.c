/*
 * http.c — libcurl GETs with retries, conditional requests, a size cap and
 * a rate limiter (http.h).
 */
#include "sync/http.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/str.h"
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

int kk_rate_parse(struct kk_rate *r, const char *spec)
{
	char *end;
	memset(r, 0, sizeof *r);
	long max = strtol(spec, &end, 10);
	if (end == spec || *end != '/')
		return KK_EINVAL;
	const char *w = end + 1;
	long secs = strtol(w, &end, 10);
	if (end == w || *end || max < 1 || max > KK_RATE_MAX || secs < 1 || secs > 3600)
		return KK_EINVAL;
	r->max = (int)max;
	r->window_ms = secs * 1000;
	return 0;
}

int64_t kk_rate_delay(const struct kk_rate *r, int64_t now_ms)
{
	if (r->max <= 0 || r->n < r->max)
		return 0;
	/* the oldest of the last max requests must have left the window */
	int64_t oldest = r->at[r->head];
	int64_t free_at = oldest + r->window_ms;
	return free_at > now_ms ? free_at - now_ms : 0;
}

void kk_rate_note(struct kk_rate *r, int64_t now_ms)
{
	if (r->max <= 0)
		return;
	if (r->n < r->max) {
		r->at[(r->head + r->n) % r->max] = now_ms;
		r->n++;
	} else {
		r->at[r->head] = now_ms;
		r->head = (r->head + 1) % r->max;
	}
}

int64_t kk_http_retry_after(const char *v, int64_t now)
{
	while (*v == ' ')
		v++;
	if (!*v)
		return -1;
	if (isdigit((unsigned char)*v)) {
		char *end;
		long long s = strtoll(v, &end, 10);
		while (*end == ' ')
			end++;
		return *end || s < 0 ? -1 : (int64_t)s;
	}
	time_t t = curl_getdate(v, NULL);
	if (t < 0)
		return -1;
	return (int64_t)t > now ? (int64_t)t - now : 0;
}

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static void global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static int64_t env_num(const char *name, int64_t def, int64_t min, int64_t max)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return def;
	char *end;
	long long n = strtoll(v, &end, 10);
	if (*end || n < min || n > max) {
		kk_warn("sync: %s='%s' is not a number in %lld..%lld; using %lld", name, v, (long long)min,
		        (long long)max, (long long)def);
		return def;
	}
	return n;
}

static int sleep_wait(void *arg, int64_t ms)
{
	(void)arg;
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	return 0;
}

int kk_http_init(struct kk_http *h)
{
	memset(h, 0, sizeof *h);
	pthread_once(&global_once, global_init);
	h->curl = curl_easy_init();
	if (!h->curl)
		return KK_ENOMEM;
	h->max_tries = (int)env_num("KEIKAI_SYNC_TRIES", 5, 1, 50);
	h->backoff_ms = env_num("KEIKAI_SYNC_BACKOFF_MS", 2000, 0, 3600000);
	h->max_wait_ms = env_num("KEIKAI_SYNC_MAX_WAIT_MS", 15 * 60 * 1000, 0, 24 * 3600 * 1000LL);
	h->max_bytes = (uint64_t)env_num("KEIKAI_SYNC_MAX_BYTES", 4LL << 30, 1024, 1LL << 40);
	h->timeout_s = (long)env_num("KEIKAI_SYNC_TIMEOUT", 600, 1, 86400);
	h->wait = sleep_wait;
	return 0;
}

void kk_http_release(struct kk_http *h)
{
	if (h->curl)
		curl_easy_cleanup(h->curl);
	h->curl = NULL;
}

void kk_http_resp_release(struct kk_http_resp *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

FILE *kk_http_body(const struct kk_http_resp *r)
{
	int fd = open(r->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "rb");
	if (!f)
		close(fd);
	return f;
}

/* One attempt's state, filled by the callbacks. */
struct attempt {
	int fd;
	uint64_t bytes, max;
	int too_big, write_err;
	long retry_after; /* seconds, -1 none */
	char etag[256];
	char last_modified[80];
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct attempt *a = arg;
	size_t len = size * n;
	if (a->bytes + len > a->max) {
		a->too_big = 1;
		return 0;
	}
	for (size_t off = 0; off < len;) {
		ssize_t w = write(a->fd, p + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			a->write_err = errno ? errno : EIO;
			return 0;
		}
		off += (size_t)w;
	}
	a->bytes += len;
	return len;
}

/* Copies a header's value (trimmed) into out when line is "name: value". */
static void header_value(const char *line, size_t len, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name);
	if (len <= nl || strncasecmp(line, name, nl) || line[nl] != ':')
		return;
	const char *v = line + nl + 1;
	const char *e = line + len;
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' '))
		e--;
	size_t l = (size_t)(e - v) < n - 1 ? (size_t)(e - v) : n - 1;
	memcpy(out, v, l);
	out[l] = 0;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct attempt *a = arg;
	size_t len = size * n;
	if (len > 5 && !strncmp(p, "HTTP/", 5)) { /* a new response (after a redirect): forget the last */
		a->etag[0] = a->last_modified[0] = 0;
		a->retry_after = -1;
	}
	char ra[80] = "";
	header_value(p, len, "ETag", a->etag, sizeof a->etag);
	header_value(p, len, "Last-Modified", a->last_modified, sizeof a->last_modified);
	header_value(p, len, "Retry-After", ra, sizeof ra);
	if (ra[0]) {
		int64_t s = kk_http_retry_after(ra, kk_clock_now());
		a->retry_after = s < 0 ? -1 : (long)(s > 86400 ? 86400 : s);
	}
	return len;
}

static int new_body_file(struct attempt *a, struct kk_diag *d)
{
	const char *dir = getenv("TMPDIR");
	char tmpl[512];
	snprintf(tmpl, sizeof tmpl, "%s/keikai-sync-XXXXXX", dir && *dir ? dir : "/tmp");
	a->fd = mkostemp(tmpl, O_CLOEXEC);
	if (a->fd < 0)
		return kk_diag_set(d, KK_EIO, NULL, "cannot create a temporary file in %s: %s (set TMPDIR)",
		                   dir && *dir ? dir : "/tmp", strerror(errno));
	unlink(tmpl);
	return 0;
}

/* Waits before the next attempt; KK_EBUSY when told to stop. */
static int wait_for(struct kk_http *h, int64_t ms)
{
	if (ms <= 0)
		return 0;
	if (ms > h->max_wait_ms)
		ms = h->max_wait_ms;
	return h->wait(h->wait_arg, ms) ? KK_EBUSY : 0;
}

int kk_http_fetch(struct kk_http *h, const struct kk_http_get *g, struct kk_http_resp *r, struct kk_diag *d)
{
	memset(r, 0, sizeof *r);
	r->fd = -1;
	CURL *c = h->curl;
	char errbuf[CURL_ERROR_SIZE];
	char inm[300], ims[120];
	int64_t wait_ms = h->backoff_ms;
	int rc = KK_EIO;
	for (int attempt = 1; attempt <= h->max_tries; attempt++) {
		/* the rate limit first: every attempt counts against it */
		int64_t delay = kk_rate_delay(&h->rate, (int64_t)(kk_clock_mono_ns() / 1000000u));
		if ((rc = wait_for(h, delay)) < 0)
			return kk_diag_set(d, rc, NULL, "stopped while waiting for the rate limit");
		struct attempt a = {.fd = -1, .max = h->max_bytes, .retry_after = -1};
		if ((rc = new_body_file(&a, d)) < 0)
			return rc;
		struct curl_slist *hdrs = NULL;
		if (g->etag && *g->etag) {
			snprintf(inm, sizeof inm, "If-None-Match: %s", g->etag);
			hdrs = curl_slist_append(hdrs, inm);
		}
		if (g->last_modified && *g->last_modified) {
			snprintf(ims, sizeof ims, "If-Modified-Since: %s", g->last_modified);
			hdrs = curl_slist_append(hdrs, ims);
		}
		if (g->header)
			hdrs = curl_slist_append(hdrs, g->header);
		curl_easy_reset(c);
		errbuf[0] = 0;
		curl_easy_setopt(c, CURLOPT_URL, g->url);
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
		curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
		curl_easy_setopt(c, CURLOPT_USERAGENT, "keikai/" KK_VERSION);
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
		curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, h->timeout_s);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)h->max_bytes);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(c, CURLOPT_HEADERDATA, &a);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
		kk_rate_note(&h->rate, (int64_t)(kk_clock_mono_ns() / 1000000u));
		h->requests++;
		h->retries += attempt > 1;
		CURLcode cc = curl_easy_perform(c);
		curl_slist_free_all(hdrs);
		long status = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		int retry = 0;
		if (a.too_big || cc == CURLE_FILESIZE_EXCEEDED) {
			close(a.fd);
			return kk_diag_set(d, KK_ETOOBIG, NULL, "%s: the answer is larger than %llu bytes (raise KEIKAI_SYNC_MAX_BYTES)",
			                   g->url, (unsigned long long)h->max_bytes);
		}
		if (a.write_err) {
			close(a.fd);
			return kk_diag_set(d, KK_EIO, NULL, "%s: cannot write the answer to a temporary file: %s", g->url,
			                   strerror(a.write_err));
		}
		if (cc != CURLE_OK) {
			/* truncated bodies, resets, timeouts: worth another try */
			kk_diag_set(d, KK_EIO, NULL, "%s: %s", g->url, errbuf[0] ? errbuf : curl_easy_strerror(cc));
			retry = cc != CURLE_UNSUPPORTED_PROTOCOL && cc != CURLE_URL_MALFORMAT &&
			        cc != CURLE_PEER_FAILED_VERIFICATION && cc != CURLE_SSL_CACERT_BADFILE;
		} else if (status == 304 || (status >= 200 && status < 300)) {
			r->status = status;
			r->fd = a.fd;
			r->bytes = a.bytes;
			kk_strlcpy(r->etag, a.etag, sizeof r->etag);
			kk_strlcpy(r->last_modified, a.last_modified, sizeof r->last_modified);
			snprintf(r->path, sizeof r->path, "/proc/self/fd/%d", a.fd);
			return 0;
		} else if (status == 404 || status == 410) {
			close(a.fd);
			return kk_diag_set(d, KK_ENOTFOUND, NULL, "%s: HTTP %ld (not there upstream)", g->url, status);
		} else {
			kk_diag_set(d, KK_EIO, NULL, "%s: HTTP %ld%s", g->url, status,
			            status == 429 ? " (rate limited)" : "");
			retry = status == 429 || status == 408 || status >= 500;
		}
		close(a.fd);
		if (!retry || attempt == h->max_tries)
			break;
		int64_t ms = a.retry_after >= 0 ? (int64_t)a.retry_after * 1000 : wait_ms;
		kk_info("sync: %s; try %d of %d in %lld ms", d->msg, attempt + 1, h->max_tries, (long long)ms);
		if ((rc = wait_for(h, ms)) < 0)
			return kk_diag_set(d, rc, NULL, "stopped while waiting to try %s again", g->url);
		wait_ms *= 2;
		rc = KK_EIO;
	}
	if (d->code == 0)
		kk_diag_set(d, KK_EIO, NULL, "%s: failed", g->url);
	return d->code;
}

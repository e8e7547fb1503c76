/*
 * feeds.c — RSS 1.0 (JVNRSS 3.2) and Atom 1.0 feeds of new and of updated
 * records, overall and per vendor, product and CWE, in Japanese and English;
 * and the HTTP caching (ETag, Last-Modified, 304) of feeds and detail answers.
 *
 *   /feeds/{kind}.{rdf|atom}                       kind: new | updated
 *   /feeds/vendor/{vendor}/{kind}.{rdf|atom}       CPE vendor (apache)
 *   /feeds/product/{vendor}/{product}/{kind}.{rdf|atom}
 *   /feeds/cwe/{cwe}/{kind}.{rdf|atom}             79 or CWE-79
 *   ?lang=ja|en (default ja), ?limit=1..500 (default 50)
 */
#include "auth/auth.h"
#include "base/clock.h"
#include "base/str.h"
#include "vulndb/jvnxml.h"
#include "vulndb/search.h"
#include "vulndb/xmlw.h"
#include "web/feeds.h"
#include "web/handlers.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/web.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FEED_DEFAULT 50
#define FEED_MAX 500

/* ---- caching ---- */

static void http_date(int64_t t, char *out, size_t n)
{
	static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7], tm.tm_mday,
	         months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"): 0 and *t, or -1. */
static int http_date_parse(const char *s, int64_t *t)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char wd[4], mon[4], gmt[4];
	int d, y, hh, mm, ss;
	if (sscanf(s, "%3s, %2d %3s %4d %2d:%2d:%2d %3s", wd, &d, mon, &y, &hh, &mm, &ss, gmt) != 8 ||
	    strcmp(gmt, "GMT"))
		return -1;
	const char *m = strstr(months, mon);
	if (!m || (m - months) % 3 || d < 1 || d > 31 || y < 1970 || hh > 23 || mm > 59 || ss > 60)
		return -1;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = (int)(m - months) / 3, .tm_mday = d,
	                .tm_hour = hh, .tm_min = mm, .tm_sec = ss};
	*t = (int64_t)timegm(&tm);
	return 0;
}

bool kk_web_not_modified(struct kk_req *r, const char *body, size_t len, int64_t modified)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a of the answer: any change of it changes the ETag */
	for (size_t k = 0; k < len; k++)
		h = (h ^ (unsigned char)body[k]) * 0x100000001b3ull;
	const char *etag = kk_arena_printf(&r->arena, "\"%016llx\"", (unsigned long long)h);
	kk_resp_header(r, "ETag", etag);
	if (modified > 0) {
		char date[40];
		http_date(modified, date, sizeof date);
		kk_resp_header(r, "Last-Modified", kk_arena_strdup(&r->arena, date));
	}
	kk_resp_header(r, "Cache-Control",
	               kk_actor_signed_in(&r->actor) ? "private, max-age=0" : "public, max-age=300");
	const char *inm = kk_req_header(r, "If-None-Match");
	bool fresh = false;
	if (inm)
		fresh = (etag && strstr(inm, etag)) || !strcmp(inm, "*");
	else if (modified > 0) {
		const char *ims = kk_req_header(r, "If-Modified-Since");
		int64_t since;
		fresh = ims && http_date_parse(ims, &since) == 0 && modified <= since;
	}
	if (fresh)
		r->resp.status = 304;
	return fresh;
}

const char *kk_web_base_url(struct kk_req *r)
{
	const char *env = getenv("KEIKAI_BASE_URL");
	if (env && *env) {
		size_t n = strlen(env);
		return kk_arena_strndup(&r->arena, env, env[n - 1] == '/' ? n - 1 : n);
	}
	const char *host = kk_req_header(r, "Host");
	if (!host || !*host || strpbrk(host, " \"<>\\^`{|}/"))
		host = "localhost";
	return kk_arena_printf(&r->arena, "%s://%s", r->secure ? "https" : "http", host);
}

/* ---- feeds ---- */

struct feed {
	const char *kind;   /* "new" or "updated" */
	bool atom;
	const char *lang;
	int limit;
	char scope[200];    /* "" or " — apache", the title suffix */
	struct kk_search_query q;
	const char *self;   /* this feed's URL */
};

static const char *tr(const char *lang, const char *msgid)
{
	return kk_i18n_lookup(kk_i18n_catalog(lang), msgid);
}

/* {kind}.{rdf|atom} of the last path segment. 0, or a 404 answered. */
static int feed_file(struct kk_req *r, const char *file, struct feed *f)
{
	const char *dot = strrchr(file, '.');
	if (dot && (!strcmp(dot, ".rdf") || !strcmp(dot, ".atom"))) {
		size_t n = (size_t)(dot - file);
		f->atom = !strcmp(dot, ".atom");
		if (n == 3 && !strncmp(file, "new", 3))
			f->kind = "new";
		else if (n == 7 && !strncmp(file, "updated", 7))
			f->kind = "updated";
	}
	if (!f->kind)
		return kk_req_fail(r, KK_ENOTFOUND, "file",
		                   "there is no feed '%s': give new.rdf, updated.rdf, new.atom or updated.atom", file);
	const char *l = kk_req_query(r, "lang");
	if (l && *l && strcmp(l, "ja") && strcmp(l, "en"))
		return kk_req_fail(r, KK_EINVAL, "lang", "lang takes ja or en");
	f->lang = l && !strcmp(l, "en") ? "en" : "ja";
	f->limit = FEED_DEFAULT;
	const char *lim = kk_req_query(r, "limit");
	if (lim && *lim) {
		char *end;
		long n = strtol(lim, &end, 10);
		if (*end || n < 1 || n > FEED_MAX)
			return kk_req_fail(r, KK_EINVAL, "limit", "limit takes a number 1..%d", FEED_MAX);
		f->limit = (int)n;
	}
	f->q.sort = !strcmp(f->kind, "new") ? KK_SORT_PUBLISHED : KK_SORT_MODIFIED;
	f->q.no_facets = true; /* a feed needs neither the total nor the facets */
	f->q.limit = f->limit;
	f->q.lang = f->lang;
	return 0;
}

struct hits {
	int n;
	int64_t ids[FEED_MAX];
	char jvndb[FEED_MAX][24];
};

static int hit(void *arg, const struct kk_search_hit *h)
{
	struct hits *s = arg;
	if (s->n < FEED_MAX) {
		s->ids[s->n] = h->id;
		kk_strlcpy(s->jvndb[s->n], h->jvndb, sizeof s->jvndb[0]);
		s->n++;
	}
	return 0;
}

static int serve(struct kk_req *r, struct feed *f)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct hits *h = kk_arena_zalloc(&r->arena, sizeof *h);
	if (!h)
		return kk_req_fail(r, KK_ENOMEM, NULL, NULL);
	struct kk_search_result res;
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_search_run(r->db, &f->q, hit, h, &res, &d);
	if (rc < 0)
		return kk_req_fail(r, rc, d.where[0] ? d.where : NULL, "%s", d.msg[0] ? d.msg : kk_err_msg(rc));
	const char *base = kk_web_base_url(r);
	const char *qs = kk_arena_printf(&r->arena, "?lang=%s%s%s", f->lang, f->limit != FEED_DEFAULT ? "&limit=" : "",
	                                 f->limit != FEED_DEFAULT ? kk_arena_printf(&r->arena, "%d", f->limit) : "");
	f->self = kk_arena_printf(&r->arena, "%s%s%s", base, r->path, qs);
	const char *title = kk_arena_printf(
	    &r->arena, "keikai: %s%s",
	    tr(f->lang, !strcmp(f->kind, "new") ? "New vulnerabilities" : "Updated vulnerabilities"), f->scope);
	const char **urls = kk_arena_alloc(&r->arena, (size_t)(h->n ? h->n : 1) * sizeof *urls);
	if (!urls)
		return kk_req_fail(r, KK_ENOMEM, NULL, NULL);
	for (int k = 0; k < h->n; k++)
		urls[k] = kk_arena_printf(&r->arena, "%s/vulns/%s?lang=%s", base, h->jvndb[k], f->lang);

	/* the newest modification is the feed's date, so the same records give the same bytes */
	struct kk_arena a;
	kk_arena_init(&a, 0);
	struct kk_vuln_view *views = kk_arena_alloc(&a, (size_t)(h->n ? h->n : 1) * sizeof *views);
	int64_t newest = 0;
	if (views)
		rc = kk_vuln_views_load(r->db, h->ids, (size_t)h->n, KK_VIEW_SUMMARY, &a, views);
	for (int k = 0; views && k < h->n && !rc; k++)
		if (views[k].modified > newest)
			newest = views[k].modified;
	if (!views || rc < 0) {
		kk_arena_release(&a);
		return kk_req_fail(r, views ? rc : KK_ENOMEM, NULL, NULL);
	}
	struct kk_buf *b = &r->resp.body;
	kk_buf_reset(b);
	struct kk_xmlw w;
	kk_xmlw_init(&w, b);
	const char *page = kk_arena_printf(&r->arena, "%s/vulns?lang=%s", base, f->lang);
	if (f->atom) {
		struct kk_atom_feed af = {.id = f->self, .title = title, .self = f->self, .alternate = page,
		                          .lang = f->lang, .updated = newest};
		kk_atom_begin(&w, &af);
		for (int k = 0; k < h->n; k++)
			if (views[k].jvndb)
				kk_atom_entry(&w, &views[k], urls[k], f->lang);
		kk_atom_end(&w);
	} else {
		struct kk_jvnrss_channel ch = {.about = f->self, .title = title, .link = page, .description = title,
		                               .lang = f->lang, .date = newest};
		kk_jvnrss_begin(&w, &ch, urls, (size_t)h->n);
		for (int k = 0; k < h->n; k++)
			if (views[k].jvndb)
				kk_jvnrss_item(&w, &views[k], urls[k], f->lang);
		kk_jvnrss_end(&w);
	}
	kk_arena_release(&a);
	if ((rc = kk_xmlw_finish(&w)) < 0) {
		kk_buf_reset(b);
		return kk_req_fail(r, rc, NULL, "the feed could not be written: %s", kk_err_msg(rc));
	}
	r->resp.status = 200;
	r->resp.type = f->atom ? "application/atom+xml; charset=utf-8" : "application/rdf+xml; charset=utf-8";
	if (kk_web_not_modified(r, b->ptr, b->len, newest))
		kk_buf_reset(b);
	return 0;
}

static bool name_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 120)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x21 || *s == '/' || *s == '*')
			return false;
	return true;
}

int feed_all(struct kk_req *r)
{
	struct feed f = {0};
	if (feed_file(r, kk_req_param(r, "file"), &f) < 0)
		return KK_ENOTFOUND;
	return serve(r, &f);
}

int feed_vendor(struct kk_req *r)
{
	struct feed f = {0};
	const char *vendor = kk_req_param(r, "vendor");
	if (feed_file(r, kk_req_param(r, "file"), &f) < 0)
		return KK_ENOTFOUND;
	if (!name_ok(vendor))
		return kk_req_fail(r, KK_EINVAL, "vendor", "give a CPE vendor name such as apache");
	f.q.vendor = vendor;
	snprintf(f.scope, sizeof f.scope, " — %s", vendor);
	return serve(r, &f);
}

int feed_product(struct kk_req *r)
{
	struct feed f = {0};
	const char *vendor = kk_req_param(r, "vendor"), *product = kk_req_param(r, "product");
	if (feed_file(r, kk_req_param(r, "file"), &f) < 0)
		return KK_ENOTFOUND;
	if (!name_ok(vendor) || !name_ok(product))
		return kk_req_fail(r, KK_EINVAL, name_ok(vendor) ? "product" : "vendor",
		                   "give a CPE vendor and product such as /feeds/product/apache/log4j/new.rdf");
	f.q.vendor = vendor;
	f.q.product = product;
	snprintf(f.scope, sizeof f.scope, " — %s:%s", vendor, product);
	return serve(r, &f);
}

int feed_cwe(struct kk_req *r)
{
	struct feed f = {0};
	const char *cwe = kk_req_param(r, "cwe");
	if (feed_file(r, kk_req_param(r, "file"), &f) < 0)
		return KK_ENOTFOUND;
	char *end;
	long n = strtol(cwe && !strncmp(cwe, "CWE-", 4) ? cwe + 4 : cwe ? cwe : "", &end, 10);
	if (!cwe || *end || n < 1 || n > 100000)
		return kk_req_fail(r, KK_EINVAL, "cwe", "give a CWE number such as 79 or CWE-79");
	f.q.cwe = (int)n;
	snprintf(f.scope, sizeof f.scope, " — CWE-%ld", n);
	return serve(r, &f);
}

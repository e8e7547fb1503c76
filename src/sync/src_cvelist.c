/*
 * src_cvelist.c — the CVE List V5 (https://github.com/CVEProject/cvelistV5),
 * from its GitHub releases. Every hour a release "cve_DAY_HHMMZ" carries
 * two archives: DAY_all_CVEs_at_midnight.zip.zip, every record at midnight
 * (a zip holding cves.zip), and DAY_delta_CVEs_at_HHMMZ.zip, every record
 * added or changed since that midnight (deltaCves/CVE-*.json); the day's
 * last release "cve_DAY_at_end_of_day" carries DAY_delta_CVEs_at_end_of_day.zip.
 *
 * The cursor is {"day":"2024-06-11","at":"1400Z"}: every record changed up
 * to that release is in ("0000Z": the midnight baseline; "end_of_day": the
 * whole day). A run reads /releases/latest (conditionally: a 304 is the
 * whole run), then
 *   - no cursor, or one older than yesterday: the latest baseline, in
 *     groups of 1,000 records, the last committing {"day":DAY,"at":"0000Z"};
 *   - yesterday's cursor: yesterday's end-of-day delta (its release by
 *     tag), which brings the day to midnight;
 *   - then the latest delta when it is newer than the cursor (records of
 *     the deltas before it come back unchanged and write nothing).
 * Each archive's records commit with the cursor that says it is in.
 * KEIKAI_GITHUB_TOKEN, when set, is sent as a bearer token (GitHub allows
 * 60 unauthenticated requests an hour; a run makes two or three).
 */
#include "base/clock.h"
#include "base/str.h"
#include "sync/sources.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GROUP 1000

struct release {
	char day[16]; /* YYYY-MM-DD */
	char at[16];  /* HHMMZ or end_of_day; "" when the release has no delta */
	char baseline_url[1024], delta_url[1024];
};

/* "2024-06-11_delta_CVEs_at_1400Z.zip" -> day, at; 0 or -1 */
static int asset_name(const char *name, struct release *rel, bool *delta)
{
	size_t n = strlen(name);
	if (n < 11 || name[4] != '-' || name[7] != '-' || name[10] != '_')
		return -1;
	char day[16];
	memcpy(day, name, 10);
	day[10] = 0;
	int64_t t;
	if (kk_time_parse(day, &t))
		return -1;
	const char *rest = name + 11;
	if (!strcmp(rest, "all_CVEs_at_midnight.zip.zip")) {
		*delta = false;
	} else if (kk_starts_with(rest, "delta_CVEs_at_") && n > 4 && !strcmp(name + n - 4, ".zip")) {
		const char *at = rest + strlen("delta_CVEs_at_");
		size_t al = strlen(at) - 4;
		bool hhmm = al == 5 && at[4] == 'Z' && strspn(at, "0123456789") == 4;
		if (!hhmm && (al != 10 || strncmp(at, "end_of_day", 10)))
			return -1;
		memcpy(rel->at, at, al);
		rel->at[al] = 0;
		*delta = true;
	} else {
		return -1;
	}
	memcpy(rel->day, day, sizeof day);
	return 0;
}

/* The release's archives from its JSON (GitHub's release object). 0, or KK_EPARSE named. */
static int read_release(struct kk_sync *s, const struct kk_http_resp *r, const char *url, struct release *rel)
{
	memset(rel, 0, sizeof *rel);
	json_t *j = kk_sync_json_body(s, r, url);
	if (!j)
		return kk_diag_set(s->d, KK_EPARSE, NULL, "%s", s->last_error);
	json_t *assets = json_object_get(j, "assets");
	size_t i;
	json_t *a;
	char bday[16] = "";
	json_array_foreach(assets, i, a)
	{
		const char *name = json_string_value(json_object_get(a, "name"));
		const char *dl = json_string_value(json_object_get(a, "browser_download_url"));
		struct release one = {0};
		bool delta;
		if (!name || !dl || asset_name(name, &one, &delta))
			continue;
		if (!kk_starts_with(dl, "https://") && !kk_starts_with(dl, "http://"))
			continue;
		if (delta) {
			kk_strlcpy(rel->delta_url, dl, sizeof rel->delta_url);
			kk_strlcpy(rel->at, one.at, sizeof rel->at);
			kk_strlcpy(rel->day, one.day, sizeof rel->day);
		} else {
			kk_strlcpy(rel->baseline_url, dl, sizeof rel->baseline_url);
			kk_strlcpy(bday, one.day, sizeof bday);
		}
	}
	json_decref(j);
	if (!rel->day[0])
		kk_strlcpy(rel->day, bday, sizeof rel->day);
	if (!rel->day[0] || (bday[0] && strcmp(bday, rel->day))) {
		kk_sync_malformed(s, url, "(release)", "/assets",
		                  "no DAY_all_CVEs_at_midnight.zip.zip or DAY_delta_CVEs_at_HHMMZ.zip of one day");
		return kk_diag_set(s->d, KK_EPARSE, NULL, "%s", s->last_error);
	}
	return 0;
}

struct walk {
	struct kk_sync *s;
	const char *url;
	json_t *cursor;
	struct kk_sync_group g;
};

static int each(void *arg, const char *name, const char *json, size_t len)
{
	struct walk *w = arg;
	struct kk_sync *s = w->s;
	json_error_t e;
	json_t *j = json_loadb(json, len, 0, &e);
	const char *state = json_string_value(json_object_get(json_object_get(j, "cveMetadata"), "state"));
	if (!j || !state) {
		char where[32];
		snprintf(where, sizeof where, j ? "/cveMetadata/state" : "%d:%d", e.line, e.column);
		kk_sync_malformed(s, w->url, name, where, j ? "the record has no state" : e.text);
		json_decref(j);
		return 0;
	}
	s->c.withdrawn += !strcmp(state, "REJECTED");
	json_decref(j);
	if (!w->g.f)
		KK_TRY(kk_sync_group_open(s, &w->g));
	kk_sync_group_add(&w->g, json, len);
	s->done++;
	if (w->g.n < GROUP)
		return 0;
	json_t *same = json_loads(s->cursor[0] ? s->cursor : "{}", 0, NULL); /* the cursor moves with the last group */
	int rc = same ? kk_sync_group_commit(s, &w->g, w->url, same, NULL) : KK_ENOMEM;
	json_decref(same);
	return rc ? rc : kk_sync_progress(s);
}

/* Imports one archive; its last group commits {"day","at"} (and the release list's ETag). */
static int archive(struct kk_sync *s, const char *url, const char *day, const char *at, const char *etag)
{
	struct kk_http_resp r;
	KK_TRY(kk_sync_fetch(s, url, NULL, NULL, NULL, &r));
	json_t *cursor = json_pack("{s:s,s:s}", "day", day, "at", at);
	struct walk w = {s, url, cursor, {0}};
	int rc = cursor ? kk_sync_zip_each(s, r.path, url, each, &w) : KK_ENOMEM;
	kk_http_resp_release(&r);
	if (rc == 0 && w.g.f)
		rc = kk_sync_group_commit(s, &w.g, url, cursor, etag);
	else if (rc == 0) {
		char *text = json_dumps(cursor, JSON_COMPACT);
		rc = text ? kk_sync_set_cursor(s, text, etag, NULL) : KK_ENOMEM;
		free(text);
	}
	kk_sync_group_drop(&w.g);
	json_decref(cursor);
	KK_TRY(rc);
	return kk_sync_progress(s);
}

/* YYYY-MM-DD of the day before day. */
static void day_before(const char *day, char *out, size_t n)
{
	int64_t t = 0;
	kk_time_parse(day, &t);
	time_t tt = (time_t)(t - 86400);
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, n, "%Y-%m-%d", &tm);
}

int kk_sync_cvelist(struct kk_sync *s)
{
	const char *token = getenv("KEIKAI_GITHUB_TOKEN");
	char header[300] = "";
	if (token && *token)
		snprintf(header, sizeof header, "Authorization: Bearer %s", token);
	char url[700];
	snprintf(url, sizeof url, "%s/releases/latest", s->base_url);
	struct kk_http_resp r;
	KK_TRY(kk_sync_fetch(s, url, s->etag, NULL, header[0] ? header : NULL, &r));
	if (r.status == 304) {
		kk_http_resp_release(&r);
		return 0;
	}
	struct release rel;
	char etag[256];
	kk_strlcpy(etag, r.etag, sizeof etag);
	int rc = read_release(s, &r, url, &rel);
	kk_http_resp_release(&r);
	KK_TRY(rc);
	json_t *c = json_loads(s->cursor[0] ? s->cursor : "{}", 0, NULL);
	char day[16] = "", at[16] = "";
	kk_strlcpy(day, json_string_value(json_object_get(c, "day")) ? json_string_value(json_object_get(c, "day")) : "",
	           sizeof day);
	kk_strlcpy(at, json_string_value(json_object_get(c, "at")) ? json_string_value(json_object_get(c, "at")) : "",
	           sizeof at);
	json_decref(c);
	char yesterday[16];
	day_before(rel.day, yesterday, sizeof yesterday);
	s->total = 0;
	if (!strcmp(day, yesterday) && strcmp(at, "end_of_day")) {
		/* yesterday's end-of-day delta brings the cursor to midnight */
		char turl[700];
		snprintf(turl, sizeof turl, "%s/releases/tags/cve_%s_at_end_of_day", s->base_url, yesterday);
		struct release eod;
		rc = kk_sync_fetch(s, turl, NULL, NULL, header[0] ? header : NULL, &r);
		if (rc == 0) {
			rc = read_release(s, &r, turl, &eod);
			kk_http_resp_release(&r);
		}
		if (rc == 0 && eod.delta_url[0] && !strcmp(eod.at, "end_of_day")) {
			KK_TRY(archive(s, eod.delta_url, yesterday, "end_of_day", NULL));
			kk_strlcpy(day, yesterday, sizeof day);
			kk_strlcpy(at, "end_of_day", sizeof at);
		} else if (rc == KK_EBUSY || rc == KK_ECONFLICT || rc == KK_EDB) {
			return rc;
		} else { /* no end-of-day release: the baseline below covers the day */
			kk_diag_clear(s->d);
			day[0] = 0;
		}
	}
	if (!strcmp(day, yesterday) && !strcmp(at, "end_of_day")) {
		char cursor[64];
		snprintf(cursor, sizeof cursor, "{\"day\":\"%s\",\"at\":\"0000Z\"}", rel.day);
		KK_TRY(kk_sync_set_cursor(s, cursor, NULL, NULL));
		kk_strlcpy(day, rel.day, sizeof day);
		kk_strlcpy(at, "0000Z", sizeof at);
	}
	if (strcmp(day, rel.day)) { /* first run, or behind by more than a day: the day's baseline */
		if (!rel.baseline_url[0]) {
			kk_sync_malformed(s, url, "(release)", "/assets", "the release has no baseline archive");
			return kk_diag_set(s->d, KK_EPARSE, NULL, "%s", s->last_error);
		}
		KK_TRY(archive(s, rel.baseline_url, rel.day, "0000Z", rel.delta_url[0] ? NULL : etag));
		kk_strlcpy(day, rel.day, sizeof day);
		kk_strlcpy(at, "0000Z", sizeof at);
	}
	if (rel.delta_url[0] && strcmp(rel.at, at) > 0)
		return archive(s, rel.delta_url, rel.day, rel.at, etag);
	return kk_sync_set_cursor(s, s->cursor, etag, NULL);
}

/*
 * src_kev.c — the CISA Known Exploited Vulnerabilities catalog, one JSON
 * document (https://www.cisa.gov/known-exploited-vulnerabilities-catalog).
 * Fetched with If-None-Match / If-Modified-Since from the last answer: a
 * 304 is the whole run. A new catalog is imported (an unchanged entry
 * writes nothing) in one transaction with its ETag, Last-Modified and the
 * cursor {"catalogVersion":"...","count":N}.
 */
#include "sync/sources.h"
#include <stdio.h>
#include <string.h>

#define KEV_PATH "/sites/default/files/feeds/known_exploited_vulnerabilities.json"

int kk_sync_kev(struct kk_sync *s)
{
	char url[700];
	snprintf(url, sizeof url, "%s%s", s->base_url, KEV_PATH);
	struct kk_http_resp r;
	KK_TRY(kk_sync_fetch(s, url, s->etag, s->last_modified, NULL, &r));
	s->total = 1;
	if (r.status == 304) {
		kk_http_resp_release(&r);
		s->done = 1;
		return kk_sync_progress(s);
	}
	json_t *cat = kk_sync_json_body(s, &r, url);
	if (!cat) { /* named; the ETag is not kept, so the next run fetches it again */
		kk_http_resp_release(&r);
		return kk_diag_set(s->d, KK_EPARSE, NULL, "%s", s->last_error);
	}
	json_t *vulns = json_object_get(cat, "vulnerabilities");
	if (!json_is_array(vulns)) {
		json_decref(cat);
		kk_http_resp_release(&r);
		kk_sync_malformed(s, url, "(catalog)", "/vulnerabilities", "the catalog has no vulnerabilities array");
		return kk_diag_set(s->d, KK_EPARSE, NULL, "%s", s->last_error);
	}
	char cursor[300];
	json_t *cv = json_pack("{s:s?,s:I}", "catalogVersion", json_string_value(json_object_get(cat, "catalogVersion")),
	                       "count", (json_int_t)json_array_size(vulns));
	char *text = cv ? json_dumps(cv, JSON_COMPACT) : NULL;
	snprintf(cursor, sizeof cursor, "%s", text ? text : "{}");
	free(text);
	json_decref(cv);
	json_decref(cat);
	int rc = kk_sync_import(s, r.path, url, cursor, r.etag, r.last_modified);
	kk_http_resp_release(&r);
	KK_TRY(rc);
	s->done = 1;
	return kk_sync_progress(s);
}

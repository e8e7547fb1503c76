/*
 * src_osv.c — OSV (https://google.github.io/osv.dev/data/), per ecosystem
 * of the source's options ("Go,crates.io"), in the bucket's layout:
 *
 *   /ECOSYSTEM/all.zip            every record, one ID.json each: the first run
 *   /ECOSYSTEM/modified_id.csv    "2024-05-01T12:00:00Z,GO-2024-2801" per record
 *   /ECOSYSTEM/ID.json            one record
 *
 * The cursor is {"ECOSYSTEM":{"m":"MODIFIED","id":"ID","etag":"..."}, ...}:
 * every record up to (m, id) is in. The first run of an ecosystem imports
 * all.zip in groups of 1,000 records; the last group commits the cursor
 * (the newest (modified, id) of the archive). Later runs read
 * modified_id.csv (conditionally: a 304 is the whole run), fetch the
 * records after the cursor oldest first, and commit them in groups of 200
 * with the cursor of the group's last record.
 */
#include "base/alloc.h"
#include "base/buf.h"
#include "base/str.h"
#include "sync/parse.h"
#include "sync/sources.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ZIP_GROUP 1000
#define FETCH_GROUP 200

static int mark_qcmp(const void *a, const void *b)
{
	return kk_osv_mark_cmp(a, b);
}

static void set_mark(json_t *cursor, const char *eco, const struct kk_osv_mark *mk, const char *etag)
{
	json_t *e = json_object_get(cursor, eco);
	if (!json_is_object(e)) {
		e = json_object();
		json_object_set_new(cursor, eco, e);
	}
	if (mk) {
		json_object_set_new(e, "m", json_string(mk->m));
		json_object_set_new(e, "id", json_string(mk->id));
	}
	if (etag)
		json_object_set_new(e, "etag", json_string(etag));
}

/* Reads what one record says of itself: its (modified, id), and whether it is withdrawn. */
static int record_mark(const char *json, size_t len, struct kk_osv_mark *mk, int *withdrawn, char *err, size_t errn)
{
	json_error_t e;
	json_t *j = json_loadb(json, len, 0, &e);
	if (!j) {
		snprintf(err, errn, "%d:%d: not valid JSON: %s", e.line, e.column, e.text);
		return -1;
	}
	const char *m = json_string_value(json_object_get(j, "modified"));
	const char *id = json_string_value(json_object_get(j, "id"));
	int rc = 0;
	if (!m || !id) {
		snprintf(err, errn, "%s: the record has no %s", m ? "/id" : "/modified", m ? "id" : "modified time");
		rc = -1;
	} else {
		kk_strlcpy(mk->m, m, sizeof mk->m);
		kk_strlcpy(mk->id, id, sizeof mk->id);
		*withdrawn = json_object_get(j, "withdrawn") != NULL;
	}
	json_decref(j);
	return rc;
}

struct first {
	struct kk_sync *s;
	const char *url;
	json_t *cursor;
	struct kk_osv_mark best;
	struct kk_sync_group g;
};

static int first_each(void *arg, const char *fname, const char *json, size_t len)
{
	struct first *fr = arg;
	struct kk_sync *s = fr->s;
	struct kk_osv_mark mk;
	int wd = 0, rc = 0;
	char err[300];
	if (record_mark(json, len, &mk, &wd, err, sizeof err)) {
		kk_sync_malformed(s, fr->url, fname, "", err);
		return 0;
	}
	s->c.withdrawn += wd;
	if (kk_osv_mark_cmp(&mk, &fr->best) > 0)
		fr->best = mk;
	if (!fr->g.f)
		KK_TRY(kk_sync_group_open(s, &fr->g));
	kk_sync_group_add(&fr->g, json, len);
	s->done++;
	if (fr->g.n == ZIP_GROUP) { /* the archive's records so far; the cursor moves with the last group */
		json_t *same = json_deep_copy(fr->cursor);
		rc = same ? kk_sync_group_commit(s, &fr->g, fr->url, same, NULL) : KK_ENOMEM;
		json_decref(same);
		if (rc == 0)
			rc = kk_sync_progress(s);
	}
	return rc;
}

static int first_run(struct kk_sync *s, const char *eco, json_t *cursor)
{
	char url[700];
	snprintf(url, sizeof url, "%s/%s/all.zip", s->base_url, eco);
	struct kk_http_resp r;
	KK_TRY(kk_sync_fetch(s, url, NULL, NULL, NULL, &r));
	struct first fr = {s, url, cursor, {"", ""}, {0}};
	int rc = kk_sync_zip_each(s, r.path, url, first_each, &fr);
	kk_http_resp_release(&r);
	if (rc < 0) {
		kk_sync_group_drop(&fr.g);
		return rc;
	}
	set_mark(cursor, eco, fr.best.m[0] ? &fr.best : &(struct kk_osv_mark){"0", ""}, NULL);
	if (fr.g.f)
		rc = kk_sync_group_commit(s, &fr.g, url, cursor, NULL);
	else {
		char *text = json_dumps(cursor, JSON_COMPACT);
		rc = text ? kk_sync_set_cursor(s, text, NULL, NULL) : KK_ENOMEM;
		free(text);
	}
	KK_TRY(rc);
	return kk_sync_progress(s);
}

static int incremental(struct kk_sync *s, const char *eco, json_t *cursor, const struct kk_osv_mark *from, const char *etag)
{
	char url[700];
	snprintf(url, sizeof url, "%s/%s/modified_id.csv", s->base_url, eco);
	struct kk_http_resp r;
	KK_TRY(kk_sync_fetch(s, url, etag, NULL, NULL, &r));
	if (r.status == 304) {
		kk_http_resp_release(&r);
		return 0;
	}
	FILE *f = kk_http_body(&r);
	if (!f) {
		kk_http_resp_release(&r);
		return kk_diag_set(s->d, KK_EIO, NULL, "sync osv: %s: cannot read the answer", url);
	}
	struct kk_osv_mark *todo = NULL;
	size_t n = 0, cap = 0;
	char line[512];
	long lineno = 0;
	int rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = 0;
		if (!line[0])
			continue;
		struct kk_osv_mark mk;
		const char *why = "";
		if (kk_osv_mark_line(line, &mk, &why)) {
			char rec[32];
			snprintf(rec, sizeof rec, "line %ld", lineno);
			kk_sync_malformed(s, url, rec, "", why);
			continue;
		}
		if (kk_osv_mark_cmp(&mk, from) <= 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			struct kk_osv_mark *nt = kk_realloc(todo, cap * sizeof *todo);
			if (!nt) {
				rc = KK_ENOMEM;
				break;
			}
			todo = nt;
		}
		todo[n++] = mk;
	}
	fclose(f);
	char new_etag[256];
	kk_strlcpy(new_etag, r.etag, sizeof new_etag);
	kk_http_resp_release(&r);
	if (rc < 0) {
		kk_free(todo);
		return rc;
	}
	if (n)
		qsort(todo, n, sizeof *todo, mark_qcmp);
	s->total += (long)n;
	struct kk_sync_group g = {0};
	for (size_t i = 0; i < n && rc == 0; i++) {
		char rurl[900];
		snprintf(rurl, sizeof rurl, "%s/%s/%s.json", s->base_url, eco, todo[i].id);
		struct kk_http_resp rr;
		rc = kk_sync_fetch(s, rurl, NULL, NULL, NULL, &rr);
		if (rc == KK_ENOTFOUND) { /* listed but gone: named, the others go on */
			kk_sync_malformed(s, rurl, todo[i].id, "", "listed in modified_id.csv but not there (HTTP 404)");
			rc = 0;
		} else if (rc == 0) {
			FILE *rf = kk_http_body(&rr);
			char *text = NULL;
			size_t len = 0;
			if (rf) {
				struct kk_buf b = KK_BUF_INIT(64u << 20);
				char chunk[65536];
				size_t got;
				while ((got = fread(chunk, 1, sizeof chunk, rf)) > 0 && !kk_buf_add(&b, chunk, got))
					;
				fclose(rf);
				text = b.err ? NULL : kk_buf_detach(&b, &len);
				kk_buf_release(&b);
			}
			struct kk_osv_mark mk;
			int wd = 0;
			char err[300];
			if (!text)
				kk_sync_malformed(s, rurl, todo[i].id, "", "cannot read the answer");
			else if (record_mark(text, len, &mk, &wd, err, sizeof err))
				kk_sync_malformed(s, rurl, todo[i].id, "", err);
			else {
				s->c.withdrawn += wd;
				if (!g.f)
					rc = kk_sync_group_open(s, &g);
				if (rc == 0)
					kk_sync_group_add(&g, text, len);
			}
			kk_free(text);
			kk_http_resp_release(&rr);
		}
		s->done++;
		if (rc == 0 && (i + 1 == n || (g.f && g.n == FETCH_GROUP))) {
			set_mark(cursor, eco, &todo[i], i + 1 == n ? new_etag : NULL);
			char gname[800];
			snprintf(gname, sizeof gname, "%s/%s/", s->base_url, eco);
			if (g.f)
				rc = kk_sync_group_commit(s, &g, gname, cursor, NULL);
			else {
				char *text = json_dumps(cursor, JSON_COMPACT);
				rc = text ? kk_sync_set_cursor(s, text, NULL, NULL) : KK_ENOMEM;
				free(text);
			}
			if (rc == 0)
				rc = kk_sync_progress(s);
		}
	}
	kk_sync_group_drop(&g);
	kk_free(todo);
	KK_TRY(rc);
	if (n == 0 && new_etag[0]) { /* nothing new: remember the list's ETag for a conditional request */
		set_mark(cursor, eco, NULL, new_etag);
		char *text = json_dumps(cursor, JSON_COMPACT);
		rc = text ? kk_sync_set_cursor(s, text, NULL, NULL) : KK_ENOMEM;
		free(text);
	}
	return rc;
}

int kk_sync_osv(struct kk_sync *s)
{
	json_t *cursor = json_loads(s->cursor[0] ? s->cursor : "{}", 0, NULL);
	if (!json_is_object(cursor)) {
		json_decref(cursor);
		cursor = json_object();
	}
	char opts[512];
	kk_strlcpy(opts, s->options, sizeof opts);
	int rc = 0, failed = 0;
	char first_err[256] = "";
	for (char *save = NULL, *eco = strtok_r(opts, ", ", &save); eco; eco = strtok_r(NULL, ", ", &save)) {
		json_t *e = json_object_get(cursor, eco);
		const char *m = json_string_value(json_object_get(e, "m"));
		if (!m)
			rc = first_run(s, eco, cursor);
		else {
			struct kk_osv_mark from;
			kk_strlcpy(from.m, m, sizeof from.m);
			kk_strlcpy(from.id, json_string_value(json_object_get(e, "id")) ? json_string_value(json_object_get(e, "id")) : "",
			           sizeof from.id);
			char etag[256];
			kk_strlcpy(etag, json_string_value(json_object_get(e, "etag")) ? json_string_value(json_object_get(e, "etag")) : "",
			           sizeof etag);
			rc = incremental(s, eco, cursor, &from, etag);
		}
		if (rc == KK_EBUSY || rc == KK_ECONFLICT || rc == KK_EDB || rc == KK_ENOMEM)
			break;
		if (rc < 0) { /* one ecosystem failing (404: not in the bucket) does not stop the others */
			failed++;
			if (!first_err[0])
				kk_strlcpy(first_err, s->d->msg, sizeof first_err);
			kk_sync_malformed(s, s->base_url, eco, "", s->d->msg);
			kk_diag_clear(s->d);
			rc = 0;
		}
	}
	json_decref(cursor);
	if (rc == 0 && failed)
		return kk_diag_set(s->d, KK_EIO, NULL, "%s", first_err);
	return rc;
}

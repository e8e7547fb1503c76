/*
 * api_advisory.c — advisories over JSON: the public reads published
 * revisions only; coordinators (ADVISORY_EDIT / ADVISORY_PUBLISH) create,
 * edit, read drafts, publish and schedule.
 */
#include "auth/policy.h"
#include "base/clock.h"
#include "publish/advisory.h"
#include "publish/formats.h"
#include "store/db.h"
#include "web/api.h"
#include "web/handlers.h"
#include "web/page_advisory.h"
#include "web/page_report.h"
#include "web/web.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void iso_or_null(struct kk_json *j, const char *key, int64_t t)
{
	char s[32];
	kk_json_key(j, key);
	if (!t) {
		kk_json_null(j);
		return;
	}
	kk_time_iso(t, s, sizeof(s));
	kk_json_str(j, s);
}

/* The format URLs of a published advisory. */
static void links(struct kk_json *j, const struct kk_advisory *a)
{
	char url[320], base[256];
	kk_json_key(j, "links");
	kk_json_obj_open(j);
	kk_adv_url(a->ident, "ja", base, sizeof(base));
	kk_json_kv_str(j, "html_ja", base);
	kk_adv_url(a->ident, "en", url, sizeof(url));
	kk_json_kv_str(j, "html_en", url);
	static const char *const f[] = {"csaf", "osv", "jvnrss"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(url, sizeof(url), "%s/%s", base, f[i]);
		kk_json_kv_str(j, f[i], url);
	}
	kk_json_key(j, "cve5");
	kk_json_arr_open(j);
	for (size_t i = 0; i < a->doc.n_vulns; i++)
		if (a->doc.vulns[i].cve) {
			snprintf(url, sizeof(url), "%s/cve/%s", base, a->doc.vulns[i].cve);
			kk_json_str(j, url);
		}
	kk_json_arr_close(j);
	kk_json_obj_close(j);
}

static void advisory_json(struct kk_json *j, const struct kk_advisory *a, bool staff)
{
	kk_json_obj_open(j);
	kk_json_kv_str(j, "id", a->ident);
	kk_json_kv_str(j, "kind", a->kind);
	if (staff) {
		kk_json_kv_str(j, "state", a->state);
		iso_or_null(j, "publish_at", a->publish_at);
		kk_json_kv_str(j, "case", a->case_ref);
	}
	kk_json_kv_int(j, "revision", a->rev);
	iso_or_null(j, "published_at", a->public_rev ? a->published_at : 0);
	iso_or_null(j, "updated_at", a->public_rev ? a->rev_at : 0);
	kk_json_kv_str(j, "jvndb", a->jvndb);
	kk_json_key(j, "history");
	kk_json_arr_open(j);
	for (size_t i = 0; i < a->n_history; i++) {
		kk_json_obj_open(j);
		kk_json_kv_int(j, "revision", a->history[i].rev);
		iso_or_null(j, "at", a->history[i].at);
		kk_json_kv_str(j, "note_ja", a->history[i].note_ja);
		kk_json_kv_str(j, "note_en", a->history[i].note_en);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	if (a->public_rev)
		links(j, a);
	kk_json_key(j, "document");
	if (staff)
		kk_adv_write(j, &a->doc);
	else
		kk_adv_write_public(j, &a->doc); /* no case number, no finder's report number */
	kk_json_obj_close(j);
}

static bool wants_drafts(struct kk_req *r, const char *param)
{
	const char *v = kk_req_query(r, param);
	return v && !strcmp(v, "1");
}

struct list_walk {
	struct kk_json *j;
	bool staff;
};

static int list_row(void *arg, const struct kk_adv_row *row)
{
	struct list_walk *w = arg;
	struct kk_json *j = w->j;
	kk_json_obj_open(j);
	kk_json_kv_str(j, "id", row->ident);
	kk_json_kv_str(j, "kind", row->kind);
	if (w->staff) {
		kk_json_kv_str(j, "state", row->state);
		iso_or_null(j, "publish_at", row->publish_at);
	}
	kk_json_kv_int(j, "revision", row->public_rev);
	iso_or_null(j, "published_at", row->public_rev ? row->published_at : 0);
	kk_json_kv_str(j, "jvndb", row->jvndb[0] ? row->jvndb : NULL);
	kk_json_kv_str(j, "title_ja", row->title_ja);
	kk_json_kv_str(j, "title_en", row->title_en);
	kk_json_obj_close(j);
	return 0;
}

int api_advisories_list(struct kk_req *r)
{
	bool staff = wants_drafts(r, "all");
	if (staff && kk_req_allow_or_reply(r, KK_ACT_ADVISORY_EDIT, NULL) < 0)
		return KK_EPERM;
	const char *kind = kk_req_query(r, "kind");
	if (kind && *kind && kk_adv_kind_valid(kind))
		return kk_req_fail(r, KK_EINVAL, "kind", "'%s' is not an advisory kind: JVN, JVNVU or JVNTA", kind);
	struct kk_json j;
	if (kk_api_list_open(r, &j, "advisories") < 0)
		return KK_EBUSY;
	struct list_walk w = {&j, staff};
	int rc = kk_adv_list(r->db, !staff, kind && *kind ? kind : NULL, 1000, list_row, &w);
	return kk_api_list_close(r, &j, rc < 0 ? rc : 0);
}

int api_advisories_get(struct kk_req *r)
{
	bool draft = wants_drafts(r, "draft");
	if (draft && kk_req_allow_or_reply(r, KK_ACT_ADVISORY_EDIT, NULL) < 0)
		return KK_EPERM;
	struct kk_advisory a;
	int rc = kk_web_advisory_load(r, !draft, &a);
	if (rc)
		return rc;
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	advisory_json(&j, &a, draft);
	return kk_api_done(r, &j);
}

/* ---- writes ------------------------------------------------------------------ */

struct wtx {
	const struct kk_actor *actor;
	const char *param, *kind, *json, *note_ja, *note_en;
	size_t n;
	int64_t id, at;
	bool cancel, schedule;
	int rev;
	char made[KK_ADV_IDENT_MAX];
	const unsigned char *key; /* publishing now: unseals the finders' contact */
	const char *ground, *reason; /* publishing now, before the case's date: the exception */
	struct kk_diag d;
};

static int find_tx(struct kk_db *db, struct wtx *t)
{
	int rc = kk_adv_find(db, t->param, &t->id);
	return rc == KK_ENOTFOUND ? kk_diag_set(&t->d, rc, "id", "no advisory %s", t->param) : rc;
}

static int create_tx(struct kk_db *db, void *arg)
{
	struct wtx *t = arg;
	return kk_adv_create(db, t->actor, t->kind, t->json, t->n, &t->id, t->made, &t->d);
}

static int put_tx(struct kk_db *db, void *arg)
{
	struct wtx *t = arg;
	int rc = find_tx(db, t);
	return rc ? rc : kk_adv_update(db, t->actor, t->id, t->json, t->n, &t->d);
}

static int publish_tx(struct kk_db *db, void *arg)
{
	struct wtx *t = arg;
	int rc = find_tx(db, t);
	if (rc)
		return rc;
	if (t->cancel || t->schedule)
		return kk_adv_schedule(db, t->actor, t->id, t->cancel ? 0 : t->at, t->note_ja, t->note_en, &t->d);
	if (t->ground || t->reason)
		return kk_adv_publish_early(db, t->actor, t->key, t->id, t->ground, t->reason, t->note_ja, t->note_en,
					    &t->rev, &t->d);
	return kk_adv_publish(db, t->actor, t->key, t->id, t->note_ja, t->note_en, &t->rev, &t->d);
}

/* Runs fn in a transaction; replies the error (naming the field) or nothing. */
static int run(struct kk_req *r, int (*fn)(struct kk_db *, void *), struct wtx *t)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	t->actor = &r->actor;
	kk_diag_clear(&t->d);
	int rc = kk_db_tx(db, fn, t);
	if (rc)
		return kk_req_fail(r, rc, t->d.where[0] ? t->d.where : NULL, "%s", t->d.msg[0] ? t->d.msg : kk_err_msg(rc));
	return 0;
}

/* Answers the advisory's working copy after a write. */
static int answer(struct kk_req *r, int status, int64_t id)
{
	struct kk_advisory a;
	struct kk_diag d;
	int rc = kk_adv_get(r->db, id, false, &r->arena, &a, &d);
	if (rc)
		return kk_req_fail(r, rc, NULL, NULL);
	struct kk_json j;
	kk_resp_json(r, status, &j);
	advisory_json(&j, &a, true);
	return kk_api_done(r, &j);
}

int api_advisories_create(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EINVAL;
	struct wtx t = {0};
	const char *kind = kk_req_jstr_or_reply(r, doc, "kind", 1, 8);
	json_t *d = json_object_get(doc, "document");
	char *s = d ? json_dumps(d, JSON_COMPACT) : NULL;
	t.kind = kind ? kk_arena_strdup(&r->arena, kind) : NULL;
	t.json = s ? kk_arena_strdup(&r->arena, s) : NULL;
	t.n = t.json ? strlen(t.json) : 0;
	free(s);
	json_decref(doc);
	if (!kind)
		return KK_EINVAL;
	if (d && !t.json)
		return kk_req_fail(r, KK_ENOMEM, NULL, NULL);
	int rc = run(r, create_tx, &t);
	if (rc)
		return rc;
	char loc[64], slug[KK_ADV_IDENT_MAX];
	kk_adv_ident_slug(t.made, slug, sizeof(slug));
	snprintf(loc, sizeof(loc), "/api/v1/advisories/%s", slug);
	kk_resp_header(r, "Location", kk_arena_strdup(&r->arena, loc));
	return answer(r, 201, t.id);
}

int api_advisories_put(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EINVAL;
	char *s = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!s)
		return kk_req_fail(r, KK_ENOMEM, NULL, NULL);
	struct wtx t = {0};
	t.param = kk_req_param(r, "id");
	t.json = kk_arena_strdup(&r->arena, s);
	t.n = strlen(s);
	free(s);
	int rc = run(r, put_tx, &t);
	return rc ? rc : answer(r, 200, t.id);
}

int api_advisories_publish(struct kk_req *r)
{
	struct wtx t = {0};
	t.param = kk_req_param(r, "id");
	if (r->body && r->body_len) {
		json_t *doc = kk_req_json_or_reply(r);
		if (!doc)
			return KK_EINVAL;
		bool bad = false;
		const char *at = kk_req_jstr_opt(r, doc, "at", 64, &bad);
		const char *nj = bad ? NULL : kk_req_jstr_opt(r, doc, "note_ja", 2000, &bad);
		const char *ne = bad ? NULL : kk_req_jstr_opt(r, doc, "note_en", 2000, &bad);
		json_t *ex = json_object_get(doc, "exception");
		if (ex && !bad) {
			if (!json_is_object(ex)) {
				json_decref(doc);
				return kk_req_fail(r, KK_EINVAL, "exception",
						   "give the exception as {\"ground\": \"already_public\" or \"exploited\", "
						   "\"reason\": \"...\"}");
			}
			const char *g = kk_req_jstr_opt(r, ex, "ground", 32, &bad);
			const char *why = bad ? NULL : kk_req_jstr_opt(r, ex, "reason", 2000, &bad);
			t.ground = kk_arena_strdup(&r->arena, g ? g : "");
			t.reason = why ? kk_arena_strdup(&r->arena, why) : NULL;
		}
		t.cancel = json_is_true(json_object_get(doc, "cancel"));
		t.note_ja = nj ? kk_arena_strdup(&r->arena, nj) : NULL;
		t.note_en = ne ? kk_arena_strdup(&r->arena, ne) : NULL;
		const char *at_copy = at ? kk_arena_strdup(&r->arena, at) : NULL;
		json_decref(doc);
		if (bad)
			return KK_EINVAL;
		if (at_copy) {
			if (kk_time_parse(at_copy, &t.at))
				return kk_req_fail(r, KK_EINVAL, "at",
						   "'%s' is not a time: use 2026-03-01T10:00+09:00 (JST) or ...Z (UTC)", at_copy);
			t.schedule = true;
		}
	}
	unsigned char key[KK_KEY_BYTES];
	if (!t.cancel && !t.schedule) {
		if (kk_page_report_key(r, key) < 0)
			return KK_EINTERNAL;
		t.key = key;
	}
	int rc = run(r, publish_tx, &t);
	sodium_memzero(key, sizeof(key));
	return rc ? rc : answer(r, 200, t.id);
}

static int delete_tx(struct kk_db *db, void *arg)
{
	struct wtx *t = arg;
	int rc = find_tx(db, t);
	return rc ? rc : kk_adv_delete(db, t->actor, t->id, &t->d);
}

int api_advisories_delete(struct kk_req *r)
{
	struct wtx t = {0};
	t.param = kk_req_param(r, "id");
	int rc = run(r, delete_tx, &t);
	if (rc)
		return rc;
	r->resp.status = 204;
	return 0;
}

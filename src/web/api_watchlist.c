/*
 * api_watchlist.c — watchlists (the filtered collection, watch/watchlist.h)
 * over JSON, and their private Atom feeds.
 */
#include "base/clock.h"
#include "base/err.h"
#include "store/db.h"
#include "vulndb/search.h"
#include "watch/check.h"
#include "watch/sheet.h"
#include "watch/watchlist.h"
#include "web/api.h"
#include "web/feeds.h"
#include "web/handlers.h"
#include "web/web.h"
#include <stdio.h>
#include <string.h>

static void wl_json(struct kk_json *j, const struct kk_watchlist *w)
{
	kk_json_obj_open(j);
	kk_json_kv_int(j, "id", w->id);
	kk_json_kv_str(j, "name", w->name);
	kk_json_kv_int(j, "inventory_id", w->inventory_id);
	kk_json_kv_str(j, "inventory", w->inventory);
	kk_json_kv_str(j, "min_severity", kk_search_severity_name(w->min_severity));
	if (w->keywords[0])
		kk_json_kv_str(j, "keywords", w->keywords);
	if (w->cwe[0])
		kk_json_kv_str(j, "cwe", w->cwe);
	kk_json_kv_bool(j, "kev_only", w->kev_only);
	kk_json_kv_str(j, "mail", w->mail);
	if (w->email[0])
		kk_json_kv_str(j, "email", w->email);
	kk_json_kv_str(j, "lang", w->lang);
	if (w->webhook_url[0])
		kk_json_kv_str(j, "webhook_url", w->webhook_url);
	kk_json_kv_bool(j, "feed", w->has_feed);
	kk_json_kv_int(j, "hits", w->hits);
	kk_json_kv_int(j, "new_since_last_visit", w->unseen);
	kk_json_kv_int(j, "created_at", w->created_at);
	kk_json_obj_close(j);
}

static int wl_row(void *arg, const struct kk_watchlist *w)
{
	wl_json(arg, w);
	return 0;
}

static int wl_fail(struct kk_req *r, int rc, const struct kk_diag *d)
{
	if (d && d->msg[0])
		return kk_req_fail(r, rc, d->where[0] ? d->where : NULL, "%s", d->msg);
	return kk_req_fail(r, rc, NULL, rc == KK_ENOTFOUND ? "no such watchlist" : NULL);
}

int api_watchlists_list(struct kk_req *r)
{
	struct kk_json j;
	if (kk_api_list_open(r, &j, "items") < 0)
		return KK_EBUSY;
	return kk_api_list_close(r, &j, kk_wl_list(r->db, &r->actor, wl_row, &j));
}

int api_watchlists_create(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_wl_new w = {.lang = r->lang};
	bool bad = false;
	w.name = kk_req_jstr_or_reply(r, doc, "name", 1, 200);
	json_t *inv = json_object_get(doc, "inventory");
	const char *sev = NULL;
	if (w.name && !json_is_integer(inv)) {
		json_decref(doc);
		return kk_req_fail(r, KK_EINVAL, "inventory", "give the inventory's id (a number)");
	}
	if (w.name) {
		w.inventory_id = json_integer_value(inv);
		sev = kk_req_jstr_opt(r, doc, "min_severity", 16, &bad);
	}
	const char *const keys[] = {"keywords", "cwe", "mail", "email", "lang", "webhook_url"};
	const char **vals[] = {&w.keywords, &w.cwe, &w.mail, &w.email, &w.lang, &w.webhook_url};
	for (size_t i = 0; w.name && !bad && i < sizeof keys / sizeof *keys; i++) {
		const char *v = kk_req_jstr_opt(r, doc, keys[i], 1000, &bad);
		if (v)
			*vals[i] = v;
	}
	if (!w.name || bad) {
		json_decref(doc);
		return KK_EINVAL;
	}
	w.kev_only = json_is_true(json_object_get(doc, "kev_only"));
	w.feed = json_is_true(json_object_get(doc, "feed"));
	if (sev && (w.min_severity = kk_check_severity_parse(sev)) < 0) {
		json_decref(doc);
		return kk_req_fail(r, KK_EINVAL, "min_severity",
		                   "the minimum severity is none, low, medium, high or critical");
	}
	struct kk_diag d;
	kk_diag_clear(&d);
	int64_t id = 0;
	char token[KK_WL_TOKEN_HEX + 1], secret[KK_WL_TOKEN_HEX + 1];
	int rc =
	    kk_req_db_or_reply(r) ? kk_wl_create(r->db, &r->actor, &w, &id, token, secret, &d) : KK_EBUSY;
	json_decref(doc);
	if (rc == KK_EBUSY)
		return rc;
	if (rc)
		return wl_fail(r, rc, &d);
	struct kk_watchlist v;
	if ((rc = kk_wl_get(r->db, &r->actor, id, &v)))
		return wl_fail(r, rc, NULL);
	struct kk_json j;
	kk_resp_json(r, 201, &j);
	kk_json_obj_open(&j);
	kk_json_key(&j, "watchlist");
	wl_json(&j, &v);
	if (token[0]) { /* shown once: only its hash is kept */
		char *url = kk_arena_printf(&r->arena, "%s/feeds/watch/%s", kk_web_base_url(r), token);
		kk_json_kv_str(&j, "feed_url", url);
	}
	if (secret[0])
		kk_json_kv_str(&j, "webhook_secret", secret);
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

static int hit_row(void *arg, const struct kk_wl_hit *h)
{
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kk_json_kv_str(j, "jvndb", h->jvndb);
	if (h->cve[0])
		kk_json_kv_str(j, "cve", h->cve);
	kk_json_kv_str(j, "title", h->title);
	kk_json_kv_str(j, "severity", kk_search_severity_name(h->severity));
	kk_json_kv_bool(j, "kev", h->kev);
	kk_json_kv_str(j, "item", h->item);
	kk_json_kv_bool(j, "updated", h->updated);
	kk_json_kv_bool(j, "new", h->unseen);
	kk_json_kv_int(j, "at", h->at);
	kk_json_obj_close(j);
	return 0;
}

int api_watchlists_get(struct kk_req *r)
{
	int64_t id;
	if (kk_req_id_or_reply(r, "id", &id) < 0)
		return KK_EINVAL;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_watchlist w;
	int rc = kk_wl_get(r->db, &r->actor, id, &w);
	if (rc)
		return wl_fail(r, rc, NULL);
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_json_obj_open(&j);
	kk_json_key(&j, "watchlist");
	wl_json(&j, &w);
	kk_json_key(&j, "records");
	kk_json_arr_open(&j);
	rc = kk_wl_hits(r->db, &r->actor, id, 500, r->lang, hit_row, &j);
	if (rc) {
		kk_buf_reset(&r->resp.body);
		return wl_fail(r, rc, NULL);
	}
	kk_json_arr_close(&j);
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

int api_watchlists_delete(struct kk_req *r)
{
	int64_t id;
	if (kk_req_id_or_reply(r, "id", &id) < 0)
		return KK_EINVAL;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	int rc = kk_wl_delete(r->db, &r->actor, id);
	if (rc)
		return wl_fail(r, rc, NULL);
	r->resp.status = 204;
	return 0;
}

int api_watchlists_seen(struct kk_req *r)
{
	int64_t id;
	if (kk_req_id_or_reply(r, "id", &id) < 0)
		return KK_EINVAL;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	int rc = kk_wl_seen(r->db, &r->actor, id, kk_clock_now());
	if (rc)
		return wl_fail(r, rc, NULL);
	r->resp.status = 204;
	return 0;
}

static int delivery_row(void *arg, const struct kk_wl_delivery *d)
{
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kk_json_kv_int(j, "id", d->id);
	kk_json_kv_str(j, "state", d->state);
	kk_json_kv_int(j, "attempts", d->attempts);
	kk_json_kv_int(j, "status", d->status);
	if (d->error[0])
		kk_json_kv_str(j, "error", d->error);
	kk_json_kv_int(j, "records", d->records);
	kk_json_kv_int(j, "created_at", d->created_at);
	if (d->sent_at)
		kk_json_kv_int(j, "sent_at", d->sent_at);
	else if (!strcmp(d->state, "pending"))
		kk_json_kv_int(j, "next_at", d->next_at);
	kk_json_obj_close(j);
	return 0;
}

int api_watchlists_deliveries(struct kk_req *r)
{
	int64_t id;
	if (kk_req_id_or_reply(r, "id", &id) < 0)
		return KK_EINVAL;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_watchlist w;
	int rc = kk_wl_get(r->db, &r->actor, id, &w);
	if (rc)
		return wl_fail(r, rc, NULL);
	struct kk_json j;
	if (kk_api_list_open(r, &j, "items") < 0)
		return KK_EBUSY;
	return kk_api_list_close(r, &j, kk_wl_deliveries(r->db, &r->actor, id, delivery_row, &j));
}

int feed_watch(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	int rc =
	    kk_wl_feed(r->db, kk_req_param(r, "token"), kk_web_base_url(r), kk_clock_now(), &r->resp.body);
	if (rc) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, NULL, rc == KK_ENOTFOUND ? "no such feed" : NULL);
	}
	r->resp.status = 200;
	r->resp.type = "application/atom+xml; charset=utf-8";
	return 0;
}

int api_inventories_sheet(struct kk_req *r)
{
	int64_t id;
	if (kk_req_id_or_reply(r, "id", &id) < 0)
		return KK_EINVAL;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	const char *lang = kk_req_query(r, "lang");
	int rc = kk_sheet_csv(r->db, &r->actor, id, lang && *lang ? lang : r->lang, &r->arena, &r->resp.body);
	if (rc) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, NULL, rc == KK_ENOTFOUND ? "no such inventory" : NULL);
	}
	r->resp.status = 200;
	r->resp.type = "text/csv; charset=utf-8";
	return 0;
}

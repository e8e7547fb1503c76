/*
 * status.c — a sync source's status as JSON, one writer for the CLI and the
 * admin API (sync.h).
 */
#include "base/clock.h"
#include "base/json.h"
#include "sync/sync.h"

static void kv_time(struct kk_json *j, const char *key, int64_t t)
{
	char iso[32];
	if (!t) {
		kk_json_kv_null(j, key);
		return;
	}
	kk_time_iso(t, iso, sizeof iso);
	kk_json_kv_str(j, key, iso);
}

static void counts(struct kk_json *j, const char *key, const struct kk_sync_counts *c)
{
	kk_json_key(j, key);
	kk_json_obj_open(j);
	kk_json_kv_int(j, "fetches", c->fetches);
	kk_json_kv_int(j, "not_modified", c->not_modified);
	kk_json_kv_int(j, "added", c->added);
	kk_json_kv_int(j, "updated", c->updated);
	kk_json_kv_int(j, "unchanged", c->unchanged);
	kk_json_kv_int(j, "withdrawn", c->withdrawn);
	kk_json_kv_int(j, "skipped", c->skipped);
}

static int one(void *arg, const struct kk_sync_status *s)
{
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kk_json_kv_str(j, "name", s->name);
	kk_json_kv_str(j, "what", s->what);
	kk_json_kv_bool(j, "enabled", s->enabled);
	kk_json_kv_str(j, "url", s->base_url);
	kk_json_kv_int(j, "interval_min", s->interval_min);
	kk_json_kv_str(j, "options", s->options);
	kk_json_kv_str(j, "cursor", s->cursor);
	kv_time(j, "last_run_at", s->last_run_at);
	kv_time(j, "last_success_at", s->last_success_at);
	kv_time(j, "next_run_at", s->next_run_at);
	kv_time(j, "last_error_at", s->last_error_at);
	kk_json_kv_bool(j, "running", s->running);
	if (s->last_error[0])
		kk_json_kv_str(j, "last_error", s->last_error);
	else
		kk_json_kv_null(j, "last_error");
	kk_json_key(j, "totals");
	kk_json_obj_open(j);
	kk_json_kv_int(j, "fetches", s->fetches);
	kk_json_kv_int(j, "records", s->records);
	kk_json_kv_int(j, "errors", s->errors);
	kk_json_obj_close(j);
	counts(j, "last_run", &s->last);
	kk_json_kv_str(j, "status", s->run_status);
	kk_json_kv_int(j, "done", s->done);
	kk_json_kv_int(j, "total", s->total);
	kk_json_obj_close(j);
	counts(j, "last_24h", &s->day);
	kk_json_obj_close(j);
	kk_json_obj_close(j);
	return 0;
}

int kk_sync_status_json(struct kk_db *db, struct kk_json *j)
{
	kk_json_arr_open(j);
	int rc = kk_sync_status_each(db, one, j);
	kk_json_arr_close(j);
	return rc;
}

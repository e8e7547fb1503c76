/*
 * ops.c — operational routes: /healthz, /metrics and the embedded static
 * files under /static/ (long cache + ETag).
 */
#include "base/embed.h"
#include "base/err.h"
#include "store/db.h"
#include "web/handlers.h"
#include "web/metrics.h"
#include "web/server.h"
#include "web/web.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

extern const struct kk_embedded kk_static_files[];

int h_healthz(struct kk_req *r)
{
	struct kk_db *db = kk_db_thread(kk_server_config(r->srv)->db_path);
	struct kk_stmt *st = NULL;
	bool ok = db && kk_db_prepare(db, "SELECT 1", &st) == 0 && kk_stmt_step(st) == KK_ROW;
	kk_stmt_done(st);
	struct kk_json j;
	kk_resp_json(r, ok ? 200 : 503, &j);
	kk_json_obj_open(&j);
	kk_json_kv_str(&j, "status", ok ? "ok" : "error");
	kk_json_kv_str(&j, "db", ok ? "ok" : "error");
	kk_json_obj_close(&j);
	kk_buf_putc(&r->resp.body, '\n');
	return kk_json_error(&j);
}

int h_metrics(struct kk_req *r)
{
	int64_t size = r->db ? kk_db_size(r->db) : -1;
	r->resp.status = 200;
	r->resp.type = "text/plain; version=0.0.4; charset=utf-8";
	int rc = kk_metrics_render(&r->resp.body, size, kk_server_uptime(r->srv));
	if (rc == 0 && r->db)
		rc = kk_metrics_render_sync(&r->resp.body, r->db);
	return rc;
}

/* ETags of the embedded files: FNV-1a 64 of the bytes, computed once. */
#define MAX_STATIC 64
static char etags[MAX_STATIC][24];
static pthread_once_t etag_once = PTHREAD_ONCE_INIT;

static void compute_etags(void)
{
	for (int i = 0; i < MAX_STATIC && kk_static_files[i].name; i++) {
		uint64_t h = 0xcbf29ce484222325ull;
		for (size_t k = 0; k < kk_static_files[i].len; k++)
			h = (h ^ kk_static_files[i].data[k]) * 0x100000001b3ull;
		snprintf(etags[i], sizeof(etags[i]), "\"%016llx\"", (unsigned long long)h);
	}
}

static const char *mime(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return "application/octet-stream";
	if (!strcmp(dot, ".css"))
		return "text/css; charset=utf-8";
	if (!strcmp(dot, ".js"))
		return "text/javascript; charset=utf-8";
	if (!strcmp(dot, ".svg"))
		return "image/svg+xml";
	if (!strcmp(dot, ".png"))
		return "image/png";
	if (!strcmp(dot, ".ico"))
		return "image/x-icon";
	return "application/octet-stream";
}

int h_static(struct kk_req *r)
{
	const char *name = kk_req_param(r, "file");
	pthread_once(&etag_once, compute_etags);
	for (int i = 0; i < MAX_STATIC && kk_static_files[i].name; i++) {
		if (strcmp(kk_static_files[i].name, name))
			continue;
		kk_resp_header(r, "ETag", etags[i]);
		kk_resp_header(r, "Cache-Control", "public, max-age=31536000, immutable");
		const char *inm = kk_req_header(r, "If-None-Match");
		if (inm && strstr(inm, etags[i])) {
			r->resp.status = 304;
			return 0;
		}
		r->resp.status = 200;
		r->resp.type = mime(name);
		r->resp.static_data = kk_static_files[i].data;
		r->resp.static_len = kk_static_files[i].len;
		return 0;
	}
	return kk_req_fail(r, KK_ENOTFOUND, "file", "no static file named '%s'", name);
}

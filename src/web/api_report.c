/*
 * api_report.c — vulnerability reports over JSON: POST /api/v1/reports
 * (anyone; answers the tracking number and the secret link once) and
 * GET /api/v1/reports/{tracking}?key=… (the finder's view through the link).
 */
#include "auth/keyfile.h"
#include "base/log.h"
#include "base/str.h"
#include "intake/intake.h"
#include "store/db.h"
#include "web/api.h"
#include "web/handlers.h"
#include "web/server.h"
#include "web/web.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct submit {
	const struct kk_actor *actor;
	const unsigned char *key;
	struct kk_report_input in;
	const char *base_url;
	struct kk_report_receipt r;
	struct kk_diag d;
};

static int submit_tx(struct kk_db *db, void *arg)
{
	struct submit *s = arg;
	kk_diag_clear(&s->d);
	return kk_intake_submit(db, s->actor, s->key, &s->in, false, s->base_url, &s->r, &s->d);
}

/* The server's secret key (beside the database, or $KEIKAI_KEY_FILE); replies 500 when missing. */
static int load_key(struct kk_req *r, unsigned char key[KK_KEY_BYTES])
{
	char path[1024];
	struct kk_diag d;
	kk_diag_clear(&d);
	const struct kk_server_config *c = kk_server_config(r->srv);
	if (kk_keyfile_path(c->db_path, NULL, path, sizeof(path)) || kk_keyfile_load(path, key, &d)) {
		kk_log(KK_LOG_ERROR, "reports: %s", d.msg[0] ? d.msg : "key file path too long");
		return kk_req_fail(r, KK_EINTERNAL, NULL, "the server cannot seal reports now; try again later");
	}
	return 0;
}

int api_reports_create(struct kk_req *r)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	const char *type = kk_req_header(r, "Content-Type");
	if (!type || strncmp(type, "application/json", 16))
		return kk_req_fail_status(r, 415, "unsupported", NULL, "send the report as application/json");
	struct submit s = {.actor = &r->actor, .base_url = getenv("KEIKAI_BASE_URL")};
	kk_diag_clear(&s.d);
	int rc = kk_intake_parse(r->body ? r->body : "", r->body_len, &s.in, &s.d);
	if (!rc && (rc = kk_intake_check_pgp_key(&s.in, &s.d)))
		kk_intake_input_release(&s.in);
	if (rc)
		return kk_req_fail(r, rc == KK_EPARSE ? KK_EPARSE : KK_EUNPROCESSABLE, s.d.where[0] ? s.d.where : NULL,
				   "%s", s.d.msg);
	unsigned char key[KK_KEY_BYTES];
	if ((rc = load_key(r, key)) < 0) {
		kk_intake_input_release(&s.in);
		return rc;
	}
	s.key = key;
	rc = kk_db_tx(db, submit_tx, &s);
	sodium_memzero(key, sizeof(key));
	kk_intake_input_release(&s.in);
	if (rc == KK_EINVAL || rc == KK_ETOOBIG)
		return kk_req_fail(r, KK_EUNPROCESSABLE, s.d.where[0] ? s.d.where : NULL, "%s", s.d.msg);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	char link[512];
	snprintf(link, sizeof(link), "%s/r/%s?key=%s", s.base_url && *s.base_url ? s.base_url : "http://127.0.0.1:8080",
		 s.r.tracking, s.r.token);
	struct kk_json j;
	kk_resp_json(r, 201, &j);
	kk_resp_header(r, "Cache-Control", "no-store");
	kk_json_obj_open(&j);
	kk_json_kv_str(&j, "tracking", s.r.tracking);
	kk_json_kv_str(&j, "status", "received");
	kk_json_kv_str(&j, "key", s.r.token);
	kk_json_kv_str(&j, "link", link);
	kk_json_obj_close(&j);
	sodium_memzero(link, sizeof(link));
	sodium_memzero(&s.r, sizeof(s.r));
	return kk_api_done(r, &j);
}

int api_reports_finder_get(struct kk_req *r)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	const char *tracking = kk_req_param(r, "tracking"), *token = kk_req_query(r, "key");
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_resp_header(r, "Cache-Control", "no-store");
	int rc = token ? kk_intake_finder_json(db, tracking, token, &j) : KK_ENOTFOUND;
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		/* one answer for a wrong number and a wrong key alike */
		return kk_req_fail(r, rc == KK_ENOTFOUND ? KK_ENOTFOUND : rc, NULL,
				   rc == KK_ENOTFOUND ? "no report matches this link; check the whole link" : NULL);
	}
	return kk_api_done(r, &j);
}

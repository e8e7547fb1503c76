/*
 * api_myjvn.c — GET and POST /myjvn?method=…: the MyJVN API (vulndb/myjvn.h)
 * with parameters from the query string or an urlencoded POST body.
 */
#include "base/clock.h"
#include "vulndb/myjvn.h"
#include "web/feeds.h"
#include "web/handlers.h"
#include "web/web.h"
#include <string.h>

static const char *param(void *arg, const char *name)
{
	struct kk_req *r = arg;
	const char *v = NULL;
	if (!strcmp(r->method, "POST"))
		v = kk_req_form(r, name);
	return v ? v : kk_req_query(r, name);
}

static int answer(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_myjvn_answer ans;
	kk_buf_reset(&r->resp.body);
	int rc = kk_myjvn_answer(r->db, param, r, kk_web_base_url(r), kk_clock_now(), &r->resp.body, &ans);
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, NULL, "the MyJVN answer could not be written: %s", kk_err_msg(rc));
	}
	r->resp.status = ans.http_status;
	r->resp.type = ans.type;
	const char *m = param(r, "method");
	if (ans.http_status == 200 && m && !strcmp(m, "getVulnDetailInfo") && !strcmp(r->method, "GET") &&
	    kk_web_not_modified(r, r->resp.body.ptr, r->resp.body.len, ans.modified))
		kk_buf_reset(&r->resp.body);
	return 0;
}

int api_myjvn_get(struct kk_req *r)
{
	return answer(r);
}

int api_myjvn_post(struct kk_req *r)
{
	return answer(r);
}

/*
 * api_nvd.c — GET /rest/json/cves/2.0, the NVD CVE API 2.0 (vulndb/nvdapi.h),
 * so NVD clients work against keikai unchanged. Refusals are NVD's: HTTP 404
 * with the reason in a `message` header and an empty body.
 */
#include "base/err.h"
#include "vulndb/nvdapi.h"
#include "web/api.h"
#include "web/handlers.h"
#include "web/web.h"
#include <string.h>

#define NVD_ARGS_MAX 64

/* NVD's refusal: 404, `message` header (printable ASCII only), no body. */
static int nvd_refuse(struct kk_req *r, const char *msg)
{
	char *m = kk_arena_strdup(&r->arena, msg && *msg ? msg : "Invalid request");
	for (char *c = m; m && *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
			*c = '?';
	kk_buf_reset(&r->resp.body);
	r->resp.static_data = NULL;
	r->resp.status = 404;
	r->resp.type = NULL;
	kk_resp_header(r, "message", m);
	return KK_EINVAL;
}

int api_nvd_cves(struct kk_req *r)
{
	struct kk_req_arg ra[NVD_ARGS_MAX];
	struct kk_nvd_arg args[NVD_ARGS_MAX];
	size_t seen = 0, n = kk_req_query_all(r, ra, NVD_ARGS_MAX, &seen);
	if (seen > n)
		return nvd_refuse(r, "Too many parameters");
	for (size_t i = 0; i < n; i++)
		args[i] = (struct kk_nvd_arg){ra[i].name, ra[i].value};
	struct kk_nvd_query *nq = kk_arena_alloc(&r->arena, sizeof *nq);
	struct kk_diag d = {0};
	if (!nq)
		return kk_req_fail(r, KK_ENOMEM, NULL, NULL);
	if (kk_nvd_parse(args, n, nq, &d) < 0)
		return nvd_refuse(r, d.msg);
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	int rc = kk_nvd_run(r->db, nq, &j, &d);
	if (rc == KK_EINVAL)
		return nvd_refuse(r, d.msg);
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, NULL, NULL);
	}
	return kk_api_done(r, &j);
}

/*
 * fz-nvdapi.c — libFuzzer harness for the NVD CVE API 2.0 parameter reader
 * (vulndb/nvdapi.h kk_nvd_parse) and the OSV API query reader (vulndb/osvapi.h
 * kk_osv_query_parse). The input is a query string (name=value&..., not
 * decoded) read as NVD parameters, and the same bytes read as an OSV query.
 * What is accepted must keep NVD's limits.
 */
#include "base/err.h"
#include "vulndb/nvdapi.h"
#include "vulndb/osvapi.h"
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)
		return 0;
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	struct kk_nvd_arg args[64];
	size_t n = 0;
	for (char *p = s, *next; p && n < 64; p = next) {
		next = strchr(p, '&');
		if (next)
			*next++ = 0;
		char *eq = strchr(p, '=');
		if (eq)
			*eq++ = 0;
		args[n++] = (struct kk_nvd_arg){p, eq ? eq : ""};
	}
	struct kk_nvd_query *q = malloc(sizeof *q);
	struct kk_diag d = {0};
	if (q && kk_nvd_parse(args, n, q, &d) == 0) {
		if (q->per_page < 0 || q->per_page > KK_NVD_PAGE_MAX || q->start < 0)
			abort();
		if (q->q.published_to - q->q.published_from > (int64_t)KK_NVD_RANGE_DAYS * 86400 ||
		    q->q.updated_to - q->q.updated_from > (int64_t)KK_NVD_RANGE_DAYS * 86400)
			abort();
		if ((q->version_start || q->version_end) && !q->virtual_match)
			abort();
	} else if (q && !d.msg[0]) {
		abort(); /* a refusal always says why */
	}
	free(q);
	json_t *doc = json_loadb((const char *)data, size, 0, NULL);
	if (doc) {
		struct kk_osv_query oq;
		struct kk_diag od = {0};
		if (kk_osv_query_parse(doc, "", &oq, &od) == 0 && oq.version && oq.commit)
			abort();
		json_decref(doc);
	}
	free(s);
	return 0;
}

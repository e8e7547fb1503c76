/*
 * vulns.h — what the vulnerability API (api_vulns.c) shares with the
 * vulnerability pages (page_vulns.c).
 */
#ifndef KK_WEB_VULNS_H
#define KK_WEB_VULNS_H
#include "vulndb/search.h"
#include "web/req.h"

/*
 * Fills q from the request's query string (q, severity, score_min,
 * score_max, cwe, vendor, product, vector, public_from, public_to, published_from, published_to,
 * updated_from, updated_to, source, cvss, sort, limit, cursor) and the
 * request language. On a bad value replies 400 naming the parameter and
 * returns < 0. Strings stay in the request.
 */
int kk_web_search_query(struct kk_req *r, struct kk_search_query *q);

/*
 * Looks up {id} (its id, a CVE id, an alias or a former id) and writes the
 * full record as JSON into out (kk_buf_init'ed by the caller). Replies
 * 404/503 and returns < 0 when there is none; *modified receives its
 * modification time, *former (may be NULL) whether {id} is an id the record
 * was known by before it was renumbered (vulndb/ids.h).
 */
int kk_web_vuln_load(struct kk_req *r, struct kk_buf *out, int64_t *modified, bool *former);

#endif

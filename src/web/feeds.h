/*
 * feeds.h — HTTP caching and links shared by the feeds (feeds.c), the
 * MyJVN API (api_myjvn.c) and the vulnerability detail answers. (The
 * <link rel="alternate"> list of the /vulns pages' head is in page_layout.c.)
 */
#ifndef KK_WEB_FEEDS_H
#define KK_WEB_FEEDS_H
#include "web/req.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Sets ETag (a hash of body[0..len)) and, when modified is not 0,
 * Last-Modified, with Cache-Control: public, max-age=300. Returns true when
 * the client's copy is current — If-None-Match names the ETag (or *), or,
 * without If-None-Match, If-Modified-Since is not older than modified —
 * after setting status 304 (the caller then sends no body).
 */
bool kk_web_not_modified(struct kk_req *r, const char *body, size_t len, int64_t modified);

/* "https://host" for absolute links: $KEIKAI_BASE_URL, else the request's scheme and Host (arena). */
const char *kk_web_base_url(struct kk_req *r);

#endif

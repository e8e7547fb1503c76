/*
 * sources.h — the sources' run functions (src_*.c), listed in sources.c.
 * Each reads s->cursor, fetches from s->base_url through kk_sync_fetch and
 * commits each unit with its new cursor through kk_sync_import.
 */
#ifndef KK_SYNC_SOURCES_H
#define KK_SYNC_SOURCES_H
#include "sync/sync.h"
#include <jansson.h>

int kk_sync_nvd(struct kk_sync *s);
int kk_sync_kev(struct kk_sync *s);
int kk_sync_osv(struct kk_sync *s);
int kk_sync_local(struct kk_sync *s);

/*
 * Reads the body of r as JSON; NULL after naming the page as malformed
 * (source, URL, line:column, what jansson says) and counting it.
 */
json_t *kk_sync_json_body(struct kk_sync *s, const struct kk_http_resp *r, const char *url);

#endif

/*
 * sources.h — the sources' run functions (src_*.c), listed in sources.c.
 * Each reads s->cursor, fetches from s->base_url through kk_sync_fetch and
 * commits each unit with its new cursor through kk_sync_import.
 */
#ifndef KK_SYNC_SOURCES_H
#define KK_SYNC_SOURCES_H
#include "sync/sync.h"
#include <jansson.h>
#include <stdio.h>

int kk_sync_nvd(struct kk_sync *s);
int kk_sync_cvelist(struct kk_sync *s);
int kk_sync_kev(struct kk_sync *s);
int kk_sync_osv(struct kk_sync *s);
int kk_sync_local(struct kk_sync *s);

/*
 * Reads the body of r as JSON; NULL after naming the page as malformed
 * (source, URL, line:column, what jansson says) and counting it.
 */
json_t *kk_sync_json_body(struct kk_sync *s, const struct kk_http_resp *r, const char *url);

/* A group of records gathered into one JSON array in an unlinked temporary file (group.c). */
struct kk_sync_group {
	FILE *f;
	char path[40];
	long n;
};
int kk_sync_group_open(struct kk_sync *s, struct kk_sync_group *g);
void kk_sync_group_add(struct kk_sync_group *g, const char *json, size_t len);
/* Imports the group in one transaction with cursor (and etag when not NULL); closes it. */
int kk_sync_group_commit(struct kk_sync *s, struct kk_sync_group *g, const char *name, json_t *cursor,
                         const char *etag);
/* Closes a group that is not committed. */
void kk_sync_group_drop(struct kk_sync_group *g);

/*
 * Hands every *.json entry of the zip at path to each() (name, bytes) —
 * and those of a zip inside it, one level deep — adding the entries to
 * s->total. An entry that cannot be read is named and skipped; a non-zero
 * return of each() ends the walk with it.
 */
typedef int (*kk_sync_zip_fn)(void *arg, const char *name, const char *json, size_t len);
int kk_sync_zip_each(struct kk_sync *s, const char *path, const char *url, kk_sync_zip_fn each, void *arg);

#endif

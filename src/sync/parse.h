/*
 * parse.h — the small readers of what upstream services and our own cursors
 * say, apart from fetching, so each is one function (fuzzed by
 * fuzz/fz-sync.c; Retry-After is kk_http_retry_after in http.h):
 *
 *   - a line of OSV's modified_id.csv, "2024-05-01T12:00:00Z,GO-2024-2801";
 *   - the NVD source's cursor {"since":T,"until":U,"index":N};
 *   - what an NVD API 2.0 page says of itself (totalResults, how many
 *     items, how many Rejected).
 */
#ifndef KK_SYNC_PARSE_H
#define KK_SYNC_PARSE_H
#include "base/err.h"
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* A record's place in OSV's order: (modified, id). */
struct kk_osv_mark {
	char m[40];
	char id[128];
};
int kk_osv_mark_cmp(const struct kk_osv_mark *a, const struct kk_osv_mark *b);
/*
 * Reads one line of modified_id.csv (without its newline) into *mk: 0, or
 * KK_EPARSE with *why saying what is wrong. The time must be an RFC 3339
 * time; the id only letters, digits, '.', '_', ':' and '-' (not starting
 * with '.'), so it is safe in the record's URL.
 */
int kk_osv_mark_line(const char *line, struct kk_osv_mark *mk, const char **why);

/* The NVD source's cursor (src_nvd.c): seconds since the epoch; until 0: no window in progress. */
#define KK_NVD_WINDOW_MAX (120 * 86400)
struct kk_nvd_cursor {
	int64_t since, until;
	long index;
};
/*
 * Reads the stored cursor ("" is the first run: all zero). 0, or KK_EPARSE
 * with *why naming the field: not JSON, a field that is not a non-negative
 * integer, a window that ends before it starts or is longer than 120 days.
 */
int kk_nvd_cursor_read(const char *text, struct kk_nvd_cursor *c, const char **why);
void kk_nvd_cursor_write(const struct kk_nvd_cursor *c, char *out, size_t n);

/* What an NVD API 2.0 page says of itself. */
struct kk_nvd_page {
	long total;    /* totalResults */
	long n;        /* items on this page */
	long rejected; /* items whose vulnStatus is Rejected */
};
/* 0, or KK_EPARSE with *field (/totalResults, /vulnerabilities) and *why. */
int kk_nvd_page_read(json_t *page, struct kk_nvd_page *p, const char **field, const char **why);

#endif

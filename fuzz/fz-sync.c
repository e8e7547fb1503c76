/*
 * fz-sync.c — libFuzzer harness for what `keikai sync` reads from upstream
 * and from its own cursors (sync/parse.h, sync/http.h): the first byte picks
 * the reader, the rest is its input —
 *   0  a line of OSV's modified_id.csv (kk_osv_mark_line)
 *   1  the NVD source's stored cursor (kk_nvd_cursor_read)
 *   2  a Retry-After header value (kk_http_retry_after)
 *   3  an NVD API 2.0 page (kk_nvd_page_read)
 * What is accepted must keep the readers' promises: an OSV id safe in a
 * URL, a cursor that reads back as written, a wait that is not negative,
 * no more Rejected items than items.
 */
#include "sync/http.h"
#include "sync/parse.h"
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 65536)
		return 0;
	char *s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = 0;
	const char *why = "", *field = "";
	switch (data[0] & 3) {
	case 0: {
		struct kk_osv_mark mk;
		if (kk_osv_mark_line(s, &mk, &why) == 0) {
			if (!mk.id[0] || mk.id[0] == '.' || strpbrk(mk.id, "/?#%& \\") || !mk.m[0])
				abort();
		} else if (!why || !*why) {
			abort();
		}
		break;
	}
	case 1: {
		struct kk_nvd_cursor c, back;
		if (kk_nvd_cursor_read(s, &c, &why) == 0) {
			if (c.since < 0 || c.until < 0 || c.index < 0 || (c.until && c.until <= c.since))
				abort();
			char text[256];
			kk_nvd_cursor_write(&c, text, sizeof text);
			if (c.until && kk_nvd_cursor_read(text, &back, &why))
				abort();
			if (c.until && (back.since != c.since || back.until != c.until || back.index != c.index))
				abort();
		} else if (c.since || c.until || c.index) {
			abort(); /* a broken cursor is never half read */
		}
		break;
	}
	case 2:
		if (kk_http_retry_after(s, 1700000000) < -1)
			abort();
		break;
	default: {
		json_t *j = json_loads(s, 0, NULL);
		struct kk_nvd_page p;
		if (j && kk_nvd_page_read(j, &p, &field, &why) == 0 && (p.n < 0 || p.total < 0 || p.rejected > p.n))
			abort();
		json_decref(j);
		break;
	}
	}
	free(s);
	return 0;
}

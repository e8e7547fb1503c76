/*
 * fz-multipart.c — libFuzzer harness for the multipart/form-data parser (web/req.c): the first
 * input line is the Content-Type, the rest the body. Every part found must lie inside the body.
 */
#include "base/arena.h"
#include "fz-body.h"
#include "web/req.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char ct[201];
	const char *body;
	size_t n;
	if (fz_body_split(data, size, ct, &body, &n))
		return 0;
	struct kk_arena a;
	kk_arena_init(&a, 16u << 20);
	struct kk_part *parts;
	int np;
	struct kk_diag d;
	kk_diag_clear(&d);
	if (kk_multipart_parse(&a, ct, body, n, &parts, &np, &d) == 0) {
		if (np < 0 || np > KK_MULTIPART_MAX_PARTS)
			abort();
		for (int i = 0; i < np; i++) {
			if (!parts[i].name || !*parts[i].name || parts[i].data < body ||
			    parts[i].data + parts[i].len > body + n)
				abort();
			if (parts[i].filename && (strchr(parts[i].filename, '/') || strchr(parts[i].filename, '\\')))
				abort();
		}
	}
	kk_arena_release(&a);
	return 0;
}

/*
 * fz-sbom.c — libFuzzer harness for the SBOM and package-list reader
 * (watch/sbom.h): CycloneDX / SPDX JSON, CSV, dpkg-query -W, rpm -qa.
 * Any input is read or refused with a code and a message; every component
 * read has a non-empty name and a ref, and every string is valid UTF-8 of
 * at most KK_SBOM_FIELD_MAX bytes.
 */
#include "base/arena.h"
#include "base/utf8.h"
#include "watch/sbom.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s, bool required)
{
	if (!s) {
		if (required)
			abort();
		return;
	}
	size_t n = strlen(s);
	if ((required && !n) || !kk_utf8_valid(s, n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kk_arena a;
	struct kk_sbom s;
	struct kk_diag d;
	kk_arena_init(&a, 64u << 20);
	int rc = kk_sbom_parse((const char *)data, size, &a, &s, &d);
	if (rc < 0) {
		if (!d.msg[0] && rc != KK_ENOMEM)
			abort(); /* a refusal always says why */
	} else {
		if (s.n > KK_SBOM_MAX_ITEMS)
			abort();
		for (size_t i = 0; i < s.n; i++) {
			const struct kk_sbom_item *it = &s.v[i];
			check_str(it->name, true);
			check_str(it->ref, true);
			if (it->name && strlen(it->name) > KK_SBOM_FIELD_MAX)
				abort();
			check_str(it->version, false);
			check_str(it->vendor, false);
			check_str(it->purl, false);
			check_str(it->cpe, false);
		}
	}
	kk_arena_release(&a);
	return 0;
}

/*
 * fz-purl.c — libFuzzer harness for std/purl: an input either fails to
 * parse with a diagnostic, or parse -> build -> parse gives the same
 * components and build of that is the same text (the canonical form is a
 * fixpoint) — when the canonical form is within KK_PURL_MAX_LEN.
 */
#include "std/purl.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct kk_purl p1, p2;
static char s1[KK_PURL_MAX_LEN], s2[4 * KK_PURL_MAX_LEN], c1[4 * KK_PURL_MAX_LEN], c2[4 * KK_PURL_MAX_LEN];

static int same(struct kk_str a, struct kk_str b)
{
	return (a.ptr == NULL) == (b.ptr == NULL) && kk_str_eq(a, b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kk_diag d;
	int rc = kk_purl_parse((const char *)data, size, &p1, s1, sizeof(s1), &d);
	if (rc) {
		if ((rc != KK_EPARSE && rc != KK_ETOOBIG) || !d.msg[0])
			abort();
		return 0;
	}
	int n = kk_purl_build(&p1, c1, sizeof(c1));
	if (n < 0)
		abort();
	if (n > KK_PURL_MAX_LEN)
		return 0; /* percent-encoding made it longer than a purl may be; nothing to re-read */
	if (kk_purl_parse(c1, (size_t)n, &p2, s2, sizeof(s2), &d))
		abort();
	if (!same(p1.type, p2.type) || !same(p1.namespace, p2.namespace) || !same(p1.name, p2.name) ||
	    !same(p1.version, p2.version) || !same(p1.subpath, p2.subpath) || p1.nqualifiers != p2.nqualifiers)
		abort();
	for (size_t i = 0; i < p1.nqualifiers; i++)
		if (!same(p1.qualifiers[i].key, p2.qualifiers[i].key) || !same(p1.qualifiers[i].value, p2.qualifiers[i].value))
			abort();
	if (kk_purl_build(&p2, c2, sizeof(c2)) != n || strcmp(c1, c2))
		abort();
	return 0;
}

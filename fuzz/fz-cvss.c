/*
 * fz-cvss.c — libFuzzer harness for std/cvss: any input either fails to parse
 * or parses, scores in 0..100, and its canonical form re-parses to the same
 * metrics and scores (and is its own canonical form). abort() otherwise.
 */
#include "std/cvss.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_range(int version, int s, int may_be_absent)
{
	if (may_be_absent && s == -1)
		return;
	if (s < 0 || s > 100 || !kk_cvss_severity(version, s))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kk_cvss c, c2;
	struct kk_cvss_scores sc, sc2;
	struct kk_diag d;
	if (kk_cvss_parse((const char *)data, size, &c, &d) < 0) {
		if (d.code != KK_EPARSE || !d.msg[0] || d.offset > size)
			abort();
		return 0;
	}
	if (kk_cvss_score(&c, &sc) < 0)
		abort();
	check_range(c.version, sc.base, 0);
	check_range(c.version, sc.score, 0);
	check_range(c.version, sc.temporal, c.version == KK_CVSS_V40);
	check_range(c.version, sc.environmental, c.version == KK_CVSS_V40);
	char buf[256], buf2[256];
	size_t n = kk_cvss_format(&c, buf, sizeof(buf));
	if (n >= sizeof(buf) || n != size || strlen(buf) != n)
		abort(); /* the canonical form only reorders the input */
	if (kk_cvss_parse(buf, n, &c2, &d) < 0 || memcmp(&c, &c2, sizeof(c)))
		abort();
	if (kk_cvss_score(&c2, &sc2) < 0 || memcmp(&sc, &sc2, sizeof(sc)))
		abort();
	size_t n2 = kk_cvss_format(&c2, buf2, sizeof(buf2));
	if (n2 != n || memcmp(buf, buf2, n))
		abort();
	return 0;
}

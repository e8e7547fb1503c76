/*
 * fz-cpe.c — libFuzzer harness for std/cpe. The input is one or two CPE
 * names (split at the first newline). Each name either fails to parse with
 * a diagnostic, or: its formatted-string and URI bindings parse back to the
 * same WFN, the formatted string is a fixpoint, and it is equal to itself
 * (undefined when it carries wildcards, as IR 7696 says for a target with
 * wildcards). For two names without wildcards the relation is consistent
 * both ways (equal<->equal, superset<->subset, disjoint<->disjoint).
 */
#include "std/cpe.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct name {
	struct kk_cpe c;
	char store[KK_CPE_STORE(KK_CPE_MAX_LEN)];
	char wfn[8 * KK_CPE_MAX_LEN], fs[4 * KK_CPE_MAX_LEN], uri[4 * KK_CPE_MAX_LEN];
};

static struct name n[2], back;

static int parse(struct name *x, const char *s, size_t len)
{
	struct kk_diag d;
	int rc = kk_cpe_parse(s, len, &x->c, x->store, sizeof(x->store), &d);
	if (rc) {
		if ((rc != KK_EPARSE && rc != KK_ETOOBIG) || !d.msg[0])
			abort();
		return rc;
	}
	int w = kk_cpe_bind_wfn(&x->c, x->wfn, sizeof(x->wfn)), f = kk_cpe_bind_fs(&x->c, x->fs, sizeof(x->fs)),
	    u = kk_cpe_bind_uri(&x->c, x->uri, sizeof(x->uri));
	size_t bound = 4 * len + 256; /* what cpe.h promises */
	if (w < 0 || f < 0 || u < 0 || (size_t)w >= bound || (size_t)f >= bound || (size_t)u >= bound)
		abort();
	return 0;
}

static void roundtrip(struct name *x)
{
	const char *forms[] = {x->fs, x->uri};
	for (int i = 0; i < 2; i++) {
		if (strlen(forms[i]) > KK_CPE_MAX_LEN)
			continue; /* encoding made it longer than a name may be */
		if (parse(&back, forms[i], strlen(forms[i])))
			abort();
		if (strcmp(back.wfn, x->wfn) || strcmp(back.fs, x->fs))
			abort();
	}
	enum kk_cpe_rel self = kk_cpe_compare(&x->c, &x->c);
	if (self != (x->c.wild ? KK_CPE_UNDEFINED : KK_CPE_EQUAL))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t l0 = nl ? (size_t)(nl - s) : size;
	int ok0 = parse(&n[0], s, l0) == 0;
	if (ok0)
		roundtrip(&n[0]);
	if (!nl)
		return 0;
	int ok1 = parse(&n[1], nl + 1, size - l0 - 1) == 0;
	if (ok1)
		roundtrip(&n[1]);
	if (!ok0 || !ok1 || n[0].c.wild || n[1].c.wild)
		return 0;
	enum kk_cpe_rel ab = kk_cpe_compare(&n[0].c, &n[1].c), ba = kk_cpe_compare(&n[1].c, &n[0].c);
	static const enum kk_cpe_rel inverse[] = {KK_CPE_EQUAL, KK_CPE_SUBSET, KK_CPE_SUPERSET, KK_CPE_DISJOINT,
						  KK_CPE_UNDEFINED};
	if (ba != inverse[ab])
		abort();
	if ((ab == KK_CPE_EQUAL) != !strcmp(n[0].wfn, n[1].wfn))
		abort();
	return 0;
}

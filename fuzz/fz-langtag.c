/*
 * fz-langtag.c — libFuzzer harness for std/langtag: an input either is not
 * well-formed (KK_EPARSE with a message, and canon refuses it too), or it is
 * ASCII letters, digits and '-' only, its parts are slices of it in order,
 * and its canonical form differs from it only in case, parses to the same
 * kind and parts, and is its own canonical form.
 */
#include "std/langtag.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char c1[4096], c2[4096];

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Part p of a tag at s lies inside it, at or after *from; the next part starts after it. */
static void inside(struct kk_str p, const char *s, size_t len, size_t *from)
{
	if (!p.ptr)
		return;
	if (p.ptr < s + *from || p.ptr + p.len > s + len || p.len == 0)
		abort();
	*from = (size_t)(p.ptr - s) + p.len;
}

/* The parts of a and b (tags of the same length at sa and sb) sit at the same offsets. */
static int same(struct kk_str a, const char *sa, struct kk_str b, const char *sb)
{
	if (!a.ptr || !b.ptr)
		return !a.ptr && !b.ptr;
	return a.ptr - sa == b.ptr - sb && a.len == b.len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct kk_langtag t, u;
	struct kk_diag d;
	int rc = kk_langtag_parse(s, size, &t, &d);
	if (rc) {
		if (rc != KK_EPARSE || !d.msg[0] || d.offset > size)
			abort();
		if (kk_langtag_canon(s, size, c1, sizeof c1, NULL) != KK_EPARSE || c1[0])
			abort();
		return 0;
	}
	for (size_t i = 0; i < size; i++)
		if (!(s[i] == '-' || (s[i] >= '0' && s[i] <= '9') ||
		      (lower(s[i]) >= 'a' && lower(s[i]) <= 'z')))
			abort();
	size_t from = 0;
	struct kk_str parts[] = {t.language, t.extlang,    t.script,    t.region,
	                         t.variants, t.extensions, t.privateuse};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		inside(parts[i], s, size, &from);
	if (size >= sizeof c1)
		return 0;
	if (kk_langtag_canon(s, size, c1, sizeof c1, &d) != (int)size)
		abort();
	for (size_t i = 0; i < size; i++)
		if (lower(c1[i]) != lower(s[i]))
			abort();
	if (kk_langtag_parse(c1, size, &u, &d) || u.kind != t.kind || u.repeats != t.repeats)
		abort();
	struct kk_str again[] = {u.language, u.extlang,    u.script,    u.region,
	                         u.variants, u.extensions, u.privateuse};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		if (!same(parts[i], s, again[i], c1))
			abort();
	if (kk_langtag_canon(c1, size, c2, sizeof c2, &d) != (int)size || memcmp(c1, c2, size))
		abort();
	return 0;
}

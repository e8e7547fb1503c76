/* alloc.c — the allocation hook, with failure injection for tests. */
#include "base/alloc.h"
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_long fail_after = -1;

static int should_fail(void)
{
	long n = atomic_load_explicit(&fail_after, memory_order_relaxed);
	if (n < 0)
		return 0;
	if (n == 0)
		return 1;
	atomic_fetch_sub(&fail_after, 1);
	return 0;
}

void kk_alloc_fail_after(long n)
{
	atomic_store(&fail_after, n);
}

void *kk_malloc(size_t n)
{
	return should_fail() ? NULL : malloc(n ? n : 1);
}

void *kk_calloc(size_t count, size_t size)
{
	return should_fail() ? NULL : calloc(count ? count : 1, size ? size : 1);
}

void *kk_realloc(void *p, size_t n)
{
	return should_fail() ? NULL : realloc(p, n ? n : 1);
}

void kk_free(void *p)
{
	free(p);
}

char *kk_strndup(const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *d = kk_malloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

char *kk_strdup(const char *s)
{
	return s ? kk_strndup(s, strlen(s)) : NULL;
}

void *kk_xmalloc(size_t n)
{
	void *p = kk_malloc(n);
	if (!p) {
		fputs("keikai: out of memory\n", stderr);
		abort();
	}
	return p;
}

char *kk_xstrdup(const char *s)
{
	char *d = kk_strdup(s ? s : "");
	if (!d) {
		fputs("keikai: out of memory\n", stderr);
		abort();
	}
	return d;
}

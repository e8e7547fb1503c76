/* arena.c — bump allocator in growing blocks. */
#include "base/arena.h"
#include "base/alloc.h"
#include <stdarg.h>
#include <stdalign.h>
#include <stdio.h>
#include <string.h>

struct kk_arena_block {
	struct kk_arena_block *next;
	size_t size, off;
	alignas(max_align_t) unsigned char data[];
};

void kk_arena_init(struct kk_arena *a, size_t max)
{
	a->head = NULL;
	a->used = 0;
	a->max = max;
}

void kk_arena_release(struct kk_arena *a)
{
	struct kk_arena_block *b = a->head;
	while (b) {
		struct kk_arena_block *n = b->next;
		kk_free(b);
		b = n;
	}
	kk_arena_init(a, a->max);
}

void *kk_arena_alloc(struct kk_arena *a, size_t n)
{
	const size_t al = alignof(max_align_t);
	n = (n + al - 1) & ~(al - 1);
	if (n == 0)
		n = al;
	if (a->max && (n > a->max || a->used > a->max - n))
		return NULL;
	struct kk_arena_block *b = a->head;
	if (!b || b->size - b->off < n) {
		size_t size = b ? b->size * 2 : 4096;
		if (size > (1u << 20))
			size = 1u << 20;
		if (size < n)
			size = n;
		struct kk_arena_block *nb = kk_malloc(sizeof(*nb) + size);
		if (!nb)
			return NULL;
		nb->size = size;
		nb->off = 0;
		nb->next = a->head;
		a->head = b = nb;
	}
	void *p = b->data + b->off;
	b->off += n;
	a->used += n;
	return p;
}

void *kk_arena_zalloc(struct kk_arena *a, size_t n)
{
	void *p = kk_arena_alloc(a, n);
	if (p)
		memset(p, 0, n);
	return p;
}

char *kk_arena_strndup(struct kk_arena *a, const char *s, size_t n)
{
	char *d = kk_arena_alloc(a, n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

char *kk_arena_strdup(struct kk_arena *a, const char *s)
{
	return s ? kk_arena_strndup(a, s, strlen(s)) : NULL;
}

char *kk_arena_printf(struct kk_arena *a, const char *fmt, ...)
{
	va_list ap, cp;
	va_start(ap, fmt);
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	char *d = n < 0 ? NULL : kk_arena_alloc(a, (size_t)n + 1);
	if (d)
		vsnprintf(d, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return d;
}

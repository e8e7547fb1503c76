/* buf.c — growable, capped byte buffer. */
#include "base/buf.h"
#include "base/alloc.h"
#include "base/err.h"
#include <stdio.h>
#include <string.h>

char kk_buf_empty[1];

void kk_buf_init(struct kk_buf *b, size_t max)
{
	b->ptr = kk_buf_empty;
	b->len = b->cap = 0;
	b->max = max;
	b->err = 0;
}

void kk_buf_release(struct kk_buf *b)
{
	if (b->cap)
		kk_free(b->ptr);
	kk_buf_init(b, b->max);
}

void kk_buf_reset(struct kk_buf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->cap)
		b->ptr[0] = 0;
}

char *kk_buf_detach(struct kk_buf *b, size_t *len)
{
	if (b->err)
		return NULL;
	char *p = b->ptr;
	if (!b->cap) {
		p = kk_strdup("");
		if (!p)
			return NULL;
	}
	if (len)
		*len = b->len;
	kk_buf_init(b, b->max);
	return p;
}

int kk_buf_grow(struct kk_buf *b, size_t extra)
{
	if (b->err)
		return b->err;
	if (extra > (size_t)-1 / 2 - b->len || (b->max && b->len + extra > b->max))
		return b->err = KK_ETOOBIG;
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap / 2 * 3 + 16;
	char *p = kk_realloc(b->cap ? b->ptr : NULL, cap);
	if (!p)
		return b->err = KK_ENOMEM;
	if (!b->cap)
		p[0] = 0;
	b->ptr = p;
	b->cap = cap;
	return 0;
}

int kk_buf_add(struct kk_buf *b, const void *data, size_t n)
{
	int rc = kk_buf_grow(b, n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = 0;
	return 0;
}

int kk_buf_puts(struct kk_buf *b, const char *s)
{
	return kk_buf_add(b, s, strlen(s));
}

int kk_buf_putc(struct kk_buf *b, char c)
{
	int rc = kk_buf_grow(b, 1);
	if (rc)
		return rc;
	b->ptr[b->len++] = c;
	b->ptr[b->len] = 0;
	return 0;
}

int kk_buf_vprintf(struct kk_buf *b, const char *fmt, va_list ap)
{
	if (b->err)
		return b->err;
	va_list cp;
	va_copy(cp, ap);
	char tmp[256];
	int n = vsnprintf(tmp, sizeof(tmp), fmt, cp);
	va_end(cp);
	if (n < 0)
		return b->err = KK_EINVAL;
	if ((size_t)n < sizeof(tmp))
		return kk_buf_add(b, tmp, (size_t)n);
	int rc = kk_buf_grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int kk_buf_printf(struct kk_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = kk_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void kk_buf_truncate(struct kk_buf *b, size_t n)
{
	if (n < b->len) {
		b->len = n;
		b->ptr[n] = 0;
	}
}

int kk_i64s_push(struct kk_i64s *a, int64_t x)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		int64_t *v = kk_realloc(a->v, cap * sizeof(*v));
		if (!v)
			return KK_ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = x;
	return 0;
}

void kk_i64s_release(struct kk_i64s *a)
{
	kk_free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
}

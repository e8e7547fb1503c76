/*
 * fixbuf.h — writing text into a caller's fixed-size buffer, for the std
 * modules that promise no allocation (cpe, purl binding).
 *
 *   struct kk_fixbuf o = KK_FIXBUF(out, cap);
 *   kk_fixbuf_puts(&o, "pkg:");
 *   return kk_fixbuf_finish(&o);   // length, or KK_ETOOBIG with out = ""
 *
 * Writes past the capacity are dropped and remembered; finish reports them.
 * One byte is always kept for the terminating NUL.
 */
#ifndef KK_STD_FIXBUF_H
#define KK_STD_FIXBUF_H
#include "base/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct kk_fixbuf {
	char *p;
	size_t cap, len;
	bool full;
};

#define KK_FIXBUF(buf, size) ((struct kk_fixbuf){(buf), (size), 0, false})

static inline void kk_fixbuf_putc(struct kk_fixbuf *o, char c)
{
	if (o->len + 1 < o->cap)
		o->p[o->len++] = c;
	else
		o->full = true;
}

static inline void kk_fixbuf_putn(struct kk_fixbuf *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kk_fixbuf_putc(o, s[i]);
}

static inline void kk_fixbuf_puts(struct kk_fixbuf *o, const char *s)
{
	kk_fixbuf_putn(o, s, strlen(s));
}

/* NUL-terminates; returns the length, or KK_ETOOBIG (the buffer then holds ""). */
static inline int kk_fixbuf_finish(struct kk_fixbuf *o)
{
	if (o->full) {
		if (o->cap)
			o->p[0] = 0;
		return KK_ETOOBIG;
	}
	if (o->cap)
		o->p[o->len] = 0;
	return (int)o->len;
}

#endif

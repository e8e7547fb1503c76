/*
 * buf.h — growable byte buffer with a size cap (git's strbuf, curl's dynbuf).
 *
 *   struct kk_buf b = KK_BUF_INIT(1 << 20);   // at most 1 MiB
 *   kk_buf_puts(&b, "hello");
 *   ... b.ptr is always NUL-terminated, b.len excludes the NUL ...
 *   kk_buf_release(&b);                        // frees, back to empty
 *
 * Every append returns 0, or KK_ENOMEM, or KK_ETOOBIG when the result would
 * exceed `max` (0 means no cap). On failure the buffer keeps its previous
 * contents. After a failure further appends keep failing with the same code
 * until kk_buf_reset, so a writer may append many times and check once with
 * kk_buf_error().
 *
 * Ownership: the buffer owns ptr. kk_buf_detach hands it to the caller (who
 * frees it with kk_free) and leaves the buffer empty.
 */
#ifndef KK_BASE_BUF_H
#define KK_BASE_BUF_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct kk_buf {
	char *ptr;  /* never NULL: points at "" when nothing is allocated */
	size_t len; /* bytes used, excluding the NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* cap on len; 0 = none */
	int err;    /* first failure, sticky until reset */
};

extern char kk_buf_empty[];
#define KK_BUF_INIT(maxlen) {kk_buf_empty, 0, 0, (maxlen), 0}

void kk_buf_init(struct kk_buf *b, size_t max);
void kk_buf_release(struct kk_buf *b);
/* Empties the buffer (keeps its memory) and clears the sticky error. */
void kk_buf_reset(struct kk_buf *b);
/* Returns the bytes (NUL-terminated) and leaves b empty; NULL on error. */
char *kk_buf_detach(struct kk_buf *b, size_t *len);
/* Makes room for `extra` more bytes. */
int kk_buf_grow(struct kk_buf *b, size_t extra);
int kk_buf_add(struct kk_buf *b, const void *data, size_t n);
int kk_buf_puts(struct kk_buf *b, const char *s);
int kk_buf_putc(struct kk_buf *b, char c);
int kk_buf_printf(struct kk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int kk_buf_vprintf(struct kk_buf *b, const char *fmt, va_list ap);
/* Shortens to n bytes (n <= len). */
void kk_buf_truncate(struct kk_buf *b, size_t n);
static inline int kk_buf_error(const struct kk_buf *b)
{
	return b->err;
}

/*
 * A growable array of int64_t (ids, durations): v is owned by the array and
 * freed by kk_i64s_release; {0} is an empty one. Unlike kk_buf it has no
 * cap: the caller bounds what it collects.
 */
struct kk_i64s {
	int64_t *v;
	size_t n, cap;
};
/* Appends x: 0, or KK_ENOMEM (the array unchanged). */
int kk_i64s_push(struct kk_i64s *a, int64_t x);
void kk_i64s_release(struct kk_i64s *a);

#endif

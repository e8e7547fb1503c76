/*
 * str.h — string slices and small helpers used while parsing: a slice
 * points into someone else's bytes and is never freed.
 */
#ifndef KK_BASE_STR_H
#define KK_BASE_STR_H
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct kk_str {
	const char *ptr;
	size_t len;
};

#define KK_STR(lit) ((struct kk_str){(lit), sizeof(lit) - 1})
static inline struct kk_str kk_str_c(const char *s)
{
	return (struct kk_str){s, s ? strlen(s) : 0};
}
static inline bool kk_str_eq(struct kk_str a, struct kk_str b)
{
	return a.len == b.len && (a.len == 0 || !memcmp(a.ptr, b.ptr, a.len));
}
static inline bool kk_str_eqc(struct kk_str a, const char *c)
{
	return kk_str_eq(a, kk_str_c(c));
}
static inline bool kk_starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}
/* ASCII case-insensitive equality. */
bool kk_str_ieq(const char *a, const char *b);
/* Copies at most n-1 bytes and NUL-terminates; returns strlen(src). */
size_t kk_strlcpy(char *dst, const char *src, size_t n);
/* Constant-time comparison of n bytes (for secrets). */
bool kk_ct_eq(const void *a, const void *b, size_t n);
/*
 * Decodes %HH in place in the C string s, except %00, which stays as it is
 * (a NUL would cut the string short) and sets *had_nul. Returns the new
 * length; the result never holds a NUL before its end.
 */
size_t kk_url_unescape(char *s, bool *had_nul);

#endif

/*
 * alloc.h — the one allocation hook. All heap memory in keikai goes through
 * kk_malloc/kk_calloc/kk_realloc/kk_free so a test can make the Nth
 * allocation fail (kk_alloc_fail_after) and check that nothing is lost.
 * They return NULL on failure like their libc namesakes; callers turn that
 * into KK_ENOMEM. kk_xmalloc and friends abort on failure: use them only
 * where there is no way to report an error (start-up).
 */
#ifndef KK_BASE_ALLOC_H
#define KK_BASE_ALLOC_H
#include <stddef.h>

void *kk_malloc(size_t n);
void *kk_calloc(size_t count, size_t size);
void *kk_realloc(void *p, size_t n);
void kk_free(void *p);
/* Copy of s (NULL on failure or when s is NULL). */
char *kk_strdup(const char *s);
/* Copy of the first n bytes of s, NUL-terminated. */
char *kk_strndup(const char *s, size_t n);

void *kk_xmalloc(size_t n);
char *kk_xstrdup(const char *s);

/*
 * Testing: after `n` more successful allocations, every allocation fails
 * until kk_alloc_fail_after(-1) resets it. Counts across all threads.
 */
void kk_alloc_fail_after(long n);

#endif

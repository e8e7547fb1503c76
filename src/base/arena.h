/*
 * arena.h — bump allocator for one request or one import batch (h2o's
 * pool). Everything allocated from an arena is freed at once by
 * kk_arena_release; no pointer into an arena may outlive it.
 * Allocations fail (NULL) when `max` total bytes would be exceeded
 * (0 = no cap) or memory runs out.
 */
#ifndef KK_BASE_ARENA_H
#define KK_BASE_ARENA_H
#include <stddef.h>

struct kk_arena_block;
struct kk_arena {
	struct kk_arena_block *head;
	size_t used; /* bytes handed out, all blocks */
	size_t max;
};

void kk_arena_init(struct kk_arena *a, size_t max);
void kk_arena_release(struct kk_arena *a);
/* n bytes aligned for any type; NULL on failure. */
void *kk_arena_alloc(struct kk_arena *a, size_t n);
void *kk_arena_zalloc(struct kk_arena *a, size_t n);
char *kk_arena_strndup(struct kk_arena *a, const char *s, size_t n);
char *kk_arena_strdup(struct kk_arena *a, const char *s);
char *kk_arena_printf(struct kk_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

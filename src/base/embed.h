/*
 * embed.h — files carried inside the binary (migrations, static assets,
 * message catalogs). Tables are generated at build time by tools/embed.c;
 * each ends with a { NULL, NULL, 0 } row. The bytes are static and
 * NUL-terminated (the NUL is not counted in len).
 */
#ifndef KK_BASE_EMBED_H
#define KK_BASE_EMBED_H
#include <stddef.h>

struct kk_embedded {
	const char *name;
	const unsigned char *data;
	size_t len;
};

/* Returns the row named `name`, or NULL. */
const struct kk_embedded *kk_embed_find(const struct kk_embedded *table, const char *name);

#endif

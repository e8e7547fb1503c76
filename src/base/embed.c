/* embed.c — lookup in the build-time tables of embedded files. */
#include "base/embed.h"
#include <string.h>

const struct kk_embedded *kk_embed_find(const struct kk_embedded *table, const char *name)
{
	for (; table && table->name; table++)
		if (!strcmp(table->name, name))
			return table;
	return NULL;
}

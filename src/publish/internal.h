/*
 * internal.h — helpers shared by the files of src/publish/ only.
 */
#ifndef KK_PUBLISH_INTERNAL_H
#define KK_PUBLISH_INTERNAL_H
#include "base/err.h"
#include "publish/advisory.h"

/* t in lang, else the other language, else "" (never NULL). */
static inline const char *pub_text(const struct kk_adv_text *t, const char *lang)
{
	const char *a = lang[0] == 'j' ? t->ja : t->en, *b = lang[0] == 'j' ? t->en : t->ja;
	return a ? a : b ? b : "";
}

/* OSV ecosystem of a purl type ("npm", "PyPI", ...), NULL when OSV has none (formats.c). */
const char *pub_osv_ecosystem(const char *purl);
/* The package name OSV uses for a purl: namespace/name (Maven: namespace:name), in a; NULL without one. */
const char *pub_osv_name(const char *purl, struct kk_arena *a);

#endif

/*
 * internal.h — helpers shared by the files of src/publish/ only.
 */
#ifndef KK_PUBLISH_INTERNAL_H
#define KK_PUBLISH_INTERNAL_H
#include "publish/advisory.h"

/* Returns the negative result of x from the calling function. */
#define PUB_TRY(x)                                                                                           \
	do {                                                                                                 \
		int pub_rc_ = (x);                                                                           \
		if (pub_rc_ < 0)                                                                             \
			return pub_rc_;                                                                      \
	} while (0)

/* t in lang, else the other language, else "" (never NULL). */
static inline const char *pub_text(const struct kk_adv_text *t, const char *lang)
{
	const char *a = lang[0] == 'j' ? t->ja : t->en, *b = lang[0] == 'j' ? t->en : t->ja;
	return a ? a : b ? b : "";
}

#endif

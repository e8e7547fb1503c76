/*
 * i18n.h — translations for pages, chosen per request.
 *
 * Why not gettext(3) itself: its language choice (setlocale/LANGUAGE) is
 * process-global, while the server answers a Japanese and an English
 * request at the same time on different threads. So keikai reads the GNU
 * .mo catalogs that the build embeds (po/LANG.po -> msgfmt -> kk_catalog_files)
 * with its own small reader: a catalog is parsed once at start-up, never
 * changes afterwards, and a lookup is a binary search over the sorted
 * original strings — safe from any number of threads.
 *
 * The source still reads like gettext: `_("Log in")` with English msgids, so
 * xgettext (scripts/update-po) extracts them into po/keikai.pot. `_()` looks
 * in the catalog the dispatcher selected for the request running on this
 * thread (kk_i18n_use); with none selected, or no translation, the msgid
 * itself is returned. The returned string is static: never free it.
 */
#ifndef KK_WEB_I18N_H
#define KK_WEB_I18N_H
#include <stddef.h>

struct kk_catalog;

#define KK_LANG_DEFAULT "ja"

/* Loads the embedded catalogs; idempotent, thread-safe. Returns 0 or KK_EPARSE. */
int kk_i18n_init(void);
/* The catalog for "ja"/"en" (NULL if none; English needs none). */
const struct kk_catalog *kk_i18n_catalog(const char *lang);
/* Translation of msgid in cat (msgid itself when missing or cat == NULL). */
const char *kk_i18n_lookup(const struct kk_catalog *cat, const char *msgid);
/* Selects the catalog _() uses on this thread (per request). */
void kk_i18n_use(const struct kk_catalog *cat);
const char *kk_i18n_tr(const char *msgid);
#define _(s) kk_i18n_tr(s)
/* Marks a string for extraction without translating it now. */
#define N_(s) (s)

/*
 * Parses a GNU .mo image (len bytes at data, which must outlive the
 * catalog). Returns 0 and *out (free with kk_i18n_free), or KK_EPARSE.
 */
int kk_i18n_parse(const unsigned char *data, size_t len, struct kk_catalog **out);
void kk_i18n_free(struct kk_catalog *cat);

/*
 * Picks the language: ?lang= value, then the `lang` cookie, then the
 * Accept-Language header (highest q among the supported), else "ja".
 * Any argument may be NULL. Returns a static string ("ja" or "en").
 */
const char *kk_i18n_negotiate(const char *query_lang, const char *cookie_lang, const char *accept_language);
/* "ja"/"en" for a supported language tag, NULL otherwise. */
const char *kk_i18n_supported(const char *tag);

#endif

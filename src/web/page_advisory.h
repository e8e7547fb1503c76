/*
 * page_advisory.h — an advisory as HTML, and every export form by name, so
 * the public pages, the editor's preview, the API and `keikai
 * export-advisory` all write the same bytes for the same revision.
 */
#ifndef KK_WEB_PAGE_ADVISORY_H
#define KK_WEB_PAGE_ADVISORY_H
#include "base/buf.h"
#include "publish/advisory.h"
#include <stdbool.h>

struct kk_db;

/*
 * The advisory's article (<article class="advisory">...</article>) in lang
 * ("ja" or "en"): every item of the advisory with Markdown rendered by cmark
 * in safe mode (raw HTML and javascript: links dropped). The public page and
 * the preview are this article inside the site layout.
 */
void kk_advisory_article(struct kk_buf *b, const struct kk_advisory *adv, const char *lang);
/* A complete HTML document holding the article (export). */
void kk_advisory_html_doc(struct kk_buf *b, const struct kk_advisory *adv, const char *lang);

/* The export formats, in the order `keikai export-advisory --format` lists them. */
#define KK_ADV_FORMATS "html, cve5, csaf, osv, jvnrss"
/*
 * Writes adv in format ("html", "cve5", "csaf", "osv", "jvnrss") into b and
 * sets *type to its media type. cve: for cve5, the CVE id of the record to
 * write (NULL: every vulnerability's record, one per line). db is read for
 * CWE names. KK_EINVAL with d naming the format or CVE when unknown.
 */
int kk_advisory_export(struct kk_buf *b, struct kk_db *db, const struct kk_advisory *adv, const char *format,
		       const char *lang, const char *cve, const char **type, struct kk_diag *d);

/*
 * The route's {id} (JVNVU_12345678, the identifier or the row id) as its
 * latest published revision (public) or its working copy, read into the
 * request's arena. 0, or the error already answered (404 when there is
 * none, or none published).
 */
struct kk_req;
int kk_web_advisory_load(struct kk_req *r, bool public, struct kk_advisory *a);

/* The three lists: {kind, prefix, heading (an i18n message id)} for JVN, JVNVU, JVNTA. */
extern const char *const kk_page_advisory_kinds[3][3];
/*
 * A table of advisories of kind (NULL: all), newest first, at most limit
 * rows: the public's (published revisions whose instant has come, linked to
 * /jvn/...) or, with staff, every state linked to the editor.
 */
void kk_page_advisory_list(struct kk_req *r, const char *kind, bool staff, int limit);

#endif

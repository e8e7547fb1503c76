/*
 * html.h — the only way keikai writes HTML. Text is escaped by
 * construction; markup comes only from string literals.
 *
 *   KK_HTML(b, "<p class=\"note\">");      // literal markup: a string constant
 *   kk_html_text(b, user->name);           // any runtime text: escaped
 *   KK_HTML_ATTR(b, "value", csrf);        // writes  value="…escaped…"
 *   KK_HTML(b, "</p>");
 *
 * KK_HTML and KK_HTML_ATTR accept only string literals for their markup
 * arguments: they paste "" around the argument, which does not compile for a
 * pointer variable. So there is no call that puts a runtime string into the
 * page unescaped. All writes go into a kk_buf (capped); errors are sticky in
 * the buffer — check kk_buf_error() once at the end.
 */
#ifndef KK_WEB_HTML_H
#define KK_WEB_HTML_H
#include "base/buf.h"
#include <stddef.h>
#include <stdint.h>

/* Literal markup. `lit` must be a string literal. */
#define KK_HTML(b, lit) kk_html__const((b), "" lit "", sizeof("" lit "") - 1)
/* Literal markup, escaped text, literal markup: KK_HTML_EL(b, "<h1>", title, "</h1>"). */
#define KK_HTML_EL(b, open, text, close)                                                                     \
	do {                                                                                                 \
		KK_HTML((b), open);                                                                          \
		kk_html_text((b), (text));                                                                   \
		KK_HTML((b), close);                                                                         \
	} while (0)
/* Writes ` name="value"` with value escaped; `name` must be a literal. */
#define KK_HTML_ATTR(b, name, value) kk_html__attr((b), " " name "=\"", (value))

/* Appends s with & < > " ' escaped; NULL writes nothing. Invalid UTF-8 becomes U+FFFD. */
void kk_html_text(struct kk_buf *b, const char *s);
void kk_html_textn(struct kk_buf *b, const char *s, size_t n);
/* printf into a temporary, then escaped as text. */
void kk_html_textf(struct kk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kk_html_int(struct kk_buf *b, int64_t v);

/* Implementation details of the macros above: do not call directly. */
void kk_html__const(struct kk_buf *b, const char *lit, size_t n);
void kk_html__attr(struct kk_buf *b, const char *name_eq_quote, const char *value);

#endif

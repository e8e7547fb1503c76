/*
 * html.c — escaping HTML writer: runtime text is always escaped; markup
 * comes from literals only (enforced by the macros in html.h).
 */
#include "web/html.h"
#include "base/utf8.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void kk_html__const(struct kk_buf *b, const char *lit, size_t n)
{
	kk_buf_add(b, lit, n);
}

void kk_html_textn(struct kk_buf *b, const char *s, size_t n)
{
	if (!s)
		return;
	size_t i = 0, run = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		const char *rep = NULL;
		switch (c) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		case 0:
			rep = "\xEF\xBF\xBD";
			break;
		default:
			break;
		}
		if (rep) {
			kk_buf_add(b, s + run, i - run);
			kk_buf_puts(b, rep);
			run = ++i;
			continue;
		}
		if (c < 0x80) {
			i++;
			continue;
		}
		int len = kk_utf8_valid_prefix(s + i, n - i);
		if (len <= 0) {
			kk_buf_add(b, s + run, i - run);
			kk_buf_puts(b, "\xEF\xBF\xBD");
			run = ++i;
			continue;
		}
		i += (size_t)len;
	}
	kk_buf_add(b, s + run, n - run);
}

void kk_html_text(struct kk_buf *b, const char *s)
{
	if (s)
		kk_html_textn(b, s, strlen(s));
}

void kk_html_textf(struct kk_buf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	kk_html_textn(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

void kk_html_int(struct kk_buf *b, int64_t v)
{
	kk_buf_printf(b, "%" PRId64, v);
}

void kk_html__attr(struct kk_buf *b, const char *name_eq_quote, const char *value)
{
	kk_buf_puts(b, name_eq_quote);
	kk_html_text(b, value ? value : "");
	kk_buf_putc(b, '"');
}

/*
 * xmlw.c — streaming XML writer (xmlw.h): escaping, dropping characters XML
 * does not allow, and the element stack.
 */
#include "vulndb/xmlw.h"
#include "base/err.h"
#include <stdio.h>
#include <string.h>

void kk_xml_escape(struct kk_buf *out, const char *s, size_t n, bool attr)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;
	while (p < end) {
		unsigned c = *p;
		const char *rep = NULL;
		size_t skip = 1;
		if (c < 0x80) {
			if (c == '&')
				rep = "&amp;";
			else if (c == '<')
				rep = "&lt;";
			else if (c == '>')
				rep = "&gt;";
			else if (attr && c == '"')
				rep = "&quot;";
			else if (attr && c == '\n')
				rep = "&#10;";
			else if (attr && c == '\t')
				rep = "&#9;";
			else if (attr && c == '\r')
				rep = "&#13;";
			else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				rep = ""; /* not allowed in XML 1.0 */
		} else {
			int len = c >= 0xf5 ? 0 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
			bool ok = len && p + len <= end;
			for (int k = 1; ok && k < len; k++)
				ok = (p[k] & 0xc0) == 0x80;
			if (ok && len == 3) {
				unsigned cp = ((c & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
				ok = cp >= 0x800 && !(cp >= 0xd800 && cp <= 0xdfff);
				if (ok && (cp == 0xfffe || cp == 0xffff)) {
					rep = "";
					skip = 3;
				}
			} else if (ok && len == 4) {
				unsigned cp = ((c & 0x07u) << 18) | ((p[1] & 0x3fu) << 12) | ((p[2] & 0x3fu) << 6) |
				              (p[3] & 0x3fu);
				ok = cp >= 0x10000 && cp <= 0x10ffff;
			}
			if (!ok)
				rep = "\xef\xbf\xbd"; /* U+FFFD for a byte that starts no valid sequence */
			else if (!rep) {
				p += len;
				continue;
			}
		}
		if (!rep) {
			p++;
			continue;
		}
		kk_buf_add(out, run, (size_t)(p - run));
		kk_buf_puts(out, rep);
		p += skip;
		run = p;
	}
	kk_buf_add(out, run, (size_t)(p - run));
}

void kk_xmlw_fragment(struct kk_xmlw *w, struct kk_buf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->indent = true;
}

void kk_xmlw_init(struct kk_xmlw *w, struct kk_buf *out)
{
	kk_xmlw_fragment(w, out);
	kk_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
}

static void end_tag_start(struct kk_xmlw *w)
{
	if (w->in_tag) {
		kk_buf_putc(w->out, '>');
		w->in_tag = false;
	}
}

void kk_xmlw_open(struct kk_xmlw *w, const char *name)
{
	end_tag_start(w);
	if (w->depth >= KK_XMLW_DEPTH) {
		w->overflow = true;
		return;
	}
	if (w->indent && w->depth > 0)
		kk_buf_putc(w->out, '\n');
	kk_buf_putc(w->out, '<');
	kk_buf_puts(w->out, name);
	w->stack[w->depth++] = name;
	w->in_tag = true;
}

void kk_xmlw_attr(struct kk_xmlw *w, const char *name, const char *value)
{
	if (!value || !w->in_tag)
		return;
	kk_buf_putc(w->out, ' ');
	kk_buf_puts(w->out, name);
	kk_buf_puts(w->out, "=\"");
	kk_xml_escape(w->out, value, strlen(value), true);
	kk_buf_putc(w->out, '"');
}

void kk_xmlw_attr_int(struct kk_xmlw *w, const char *name, int64_t v)
{
	char s[24];
	snprintf(s, sizeof s, "%lld", (long long)v);
	kk_xmlw_attr(w, name, s);
}

void kk_xmlw_text(struct kk_xmlw *w, const char *s)
{
	if (!s)
		return;
	end_tag_start(w);
	kk_xml_escape(w->out, s, strlen(s), false);
}

void kk_xmlw_close(struct kk_xmlw *w)
{
	if (w->depth <= 0) {
		w->overflow = true;
		return;
	}
	const char *name = w->stack[--w->depth];
	if (w->in_tag) {
		kk_buf_puts(w->out, "/>");
		w->in_tag = false;
		return;
	}
	kk_buf_puts(w->out, "</");
	kk_buf_puts(w->out, name);
	kk_buf_putc(w->out, '>');
}

void kk_xmlw_leaf(struct kk_xmlw *w, const char *name, const char *text)
{
	if (!text)
		return;
	kk_xmlw_open(w, name);
	if (*text)
		kk_xmlw_text(w, text);
	kk_xmlw_close(w);
}

int kk_xmlw_finish(struct kk_xmlw *w)
{
	if (w->depth == 0 && !w->overflow)
		kk_buf_putc(w->out, '\n');
	int rc = kk_buf_error(w->out);
	if (rc)
		return rc;
	return w->depth || w->overflow ? KK_EINVAL : 0;
}

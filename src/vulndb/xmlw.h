/*
 * xmlw.h — a small streaming XML writer into a struct kk_buf, for the
 * documents keikai publishes (JVNRSS 3.2, VULDEF 3.2, MyJVN Results, Atom).
 *
 *   struct kk_xmlw w;
 *   kk_xmlw_init(&w, &buf);                 // writes the XML declaration
 *   kk_xmlw_open(&w, "rdf:RDF");            // <rdf:RDF
 *   kk_xmlw_attr(&w, "xml:lang", "ja");     //  xml:lang="ja"
 *   kk_xmlw_leaf(&w, "title", title);       // ><title>…</title>
 *   kk_xmlw_close(&w);                      // </rdf:RDF>
 *   rc = kk_xmlw_finish(&w);                // 0, or KK_ENOMEM/KK_ETOOBIG/KK_EINVAL
 *
 * Element and attribute names are the caller's (string literals or strings
 * that outlive the element: the writer keeps the pointer until the element
 * is closed). Every text and attribute value is escaped (& < > " and, in
 * attributes, tab and newline); characters XML 1.0 does not allow (C0
 * controls other than tab/newline/return, U+FFFE/U+FFFF) are dropped and
 * invalid UTF-8 becomes U+FFFD, so the output is always well-formed.
 * Elements with nothing inside are written as <x/>. Errors are sticky in the
 * buffer (kk_buf_error) and reported once by kk_xmlw_finish, which also
 * fails with KK_EINVAL when elements are left open.
 */
#ifndef KK_VULNDB_XMLW_H
#define KK_VULNDB_XMLW_H
#include "base/buf.h"
#include <stdbool.h>
#include <stdint.h>

#define KK_XMLW_DEPTH 24

struct kk_xmlw {
	struct kk_buf *out;
	const char *stack[KK_XMLW_DEPTH];
	int depth;
	bool in_tag;   /* the start tag of the innermost element is not yet closed with '>' */
	bool overflow; /* more than KK_XMLW_DEPTH levels were opened */
	bool indent;   /* a newline before each start tag below the root (readable output) */
};

/* Binds w to out and writes <?xml version="1.0" encoding="UTF-8"?>. */
void kk_xmlw_init(struct kk_xmlw *w, struct kk_buf *out);
/* Binds w to out without a declaration (a fragment: an item for another writer's document). */
void kk_xmlw_fragment(struct kk_xmlw *w, struct kk_buf *out);
void kk_xmlw_open(struct kk_xmlw *w, const char *name);
/* An attribute of the element just opened; NULL value writes nothing. */
void kk_xmlw_attr(struct kk_xmlw *w, const char *name, const char *value);
void kk_xmlw_attr_int(struct kk_xmlw *w, const char *name, int64_t v);
/* Escaped text content; NULL writes nothing. */
void kk_xmlw_text(struct kk_xmlw *w, const char *s);
void kk_xmlw_close(struct kk_xmlw *w);
/* <name>text</name>; with text NULL nothing is written, with "" an empty element. */
void kk_xmlw_leaf(struct kk_xmlw *w, const char *name, const char *text);
/* 0 when the document is complete and was written in full. */
int kk_xmlw_finish(struct kk_xmlw *w);

/* Escapes s (n bytes) as XML text (attr: also for an attribute value) onto out. */
void kk_xml_escape(struct kk_buf *out, const char *s, size_t n, bool attr);

#endif

/*
 * import_jvn.c — MyJVN VULDEF 3.2 and JVNRSS 3.2 documents into records,
 * streamed with libxml2's xmlReader one record element at a time.
 */
#include "vulndb/import_jvn.h"
#include "base/clock.h"
#include "std/cpe.h"
#include "vulndb/jget.h"
#include <libxml/xmlreader.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define NS_VULDEF "http://jvn.jp/vuldef/"
#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_RSS "http://purl.org/rss/1.0/"

/* The state of one document. */
struct doc {
	FILE *in;
	struct kk_diag xml_err; /* the first syntax error libxml2 reported */
	int has_err;
};

static int read_cb(void *ctx, char *buf, int len)
{
	struct doc *doc = ctx;
	size_t n = fread(buf, 1, (size_t)len, doc->in);
	return n == 0 && ferror(doc->in) ? -1 : (int)n;
}

static void error_cb(void *ctx, xmlErrorPtr e)
{
	struct doc *doc = ctx;
	if (doc->has_err || !e || e->level < XML_ERR_ERROR)
		return;
	doc->has_err = 1;
	char where[32];
	snprintf(where, sizeof where, "%d:%d", e->line, e->int2);
	size_t n = e->message ? strlen(e->message) : 0;
	while (n && (e->message[n - 1] == '\n' || e->message[n - 1] == ' '))
		n--;
	kk_diag_set(&doc->xml_err, KK_EPARSE, where, "XML not well-formed%s: %.*s (the rest of the file is skipped)",
	            feof(doc->in) ? " at the end of the input (a truncated file?)" : "", (int)n,
	            e->message ? e->message : "error");
	doc->xml_err.line = e->line;
}

/* The element child of n named `name` (local name), or NULL. */
static xmlNode *child(const xmlNode *n, const char *name)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name))
			return c;
	return NULL;
}

/* The next element sibling after c named `name`, or NULL. */
static xmlNode *next_named(const xmlNode *c, const char *name)
{
	for (c = c->next; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name))
			return (xmlNode *)c;
	return NULL;
}

#define EACH(var, parent, name) for (xmlNode *var = child(parent, name); var; var = next_named(var, name))

/* The trimmed text of n copied into rec's arena (carriage returns dropped); NULL when empty or absent. */
static const char *text_of(struct kk_vuln_rec *rec, const xmlNode *n)
{
	if (!n)
		return NULL;
	xmlChar *s = xmlNodeGetContent(n);
	if (!s)
		return NULL;
	char *p = (char *)s, *w = p;
	for (char *r = p; *r; r++)
		if (*r != '\r')
			*w++ = *r;
	*w = 0;
	while (*p == ' ' || *p == '\n' || *p == '\t')
		p++;
	size_t len = strlen(p);
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\n' || p[len - 1] == '\t'))
		len--;
	char *out = NULL;
	if (len && (out = kk_arena_alloc(rec->arena, len + 1))) {
		memcpy(out, p, len);
		out[len] = 0;
	}
	xmlFree(s);
	return out;
}

/* Attribute `name` (no namespace) copied into rec's arena, or NULL. */
static const char *attr_of(struct kk_vuln_rec *rec, const xmlNode *n, const char *name)
{
	xmlChar *s = xmlGetProp(n, (const xmlChar *)name);
	if (!s)
		return NULL;
	char *out = kk_arena_strdup(rec->arena, (const char *)s);
	xmlFree(s);
	return out && *out ? out : NULL;
}

/* A field error: where = "line N: path". */
static int field_error(struct kk_diag *d, const xmlNode *n, const char *path, const char *fmt, const char *arg)
{
	char where[128];
	long line = n ? xmlGetLineNo(n) : 0;
	snprintf(where, sizeof where, "line %ld: %s", line, path);
	kk_diag_set(d, KK_EPARSE, where, fmt, arg ? arg : "");
	d->line = (int)line;
	return KK_EPARSE;
}

/* A required ISO 8601 date (or optional when required is 0). */
static int date_of(struct kk_vuln_rec *rec, const xmlNode *n, const char *path, int required, int64_t *out,
                   struct kk_diag *d)
{
	const char *s = text_of(rec, n);
	*out = 0;
	if (!s)
		return required ? field_error(d, n, path, "missing date%s", "") : 0;
	if (kk_time_parse(s, out))
		return field_error(d, n, path, "'%s' is not an ISO 8601 date", s);
	return 0;
}

/* "JVNDB-YYYY-NNNNNN" (at least 6 digits). */
static int is_jvndb(const char *s)
{
	if (!s || strncmp(s, "JVNDB-", 6))
		return 0;
	for (int i = 6; i < 10; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	if (s[10] != '-')
		return 0;
	size_t n = strspn(s + 11, "0123456789");
	return n >= 6 && !s[11 + n];
}

/* An id another record may carry: CVE, JVN#, JVNVU#, JVNTA#. */
static int is_alias(const char *s)
{
	return s && (kk_jget_is_cve_id(s) || !strncmp(s, "JVN#", 4) || !strncmp(s, "JVNVU#", 6) ||
	             !strncmp(s, "JVNTA#", 6));
}

/* A CPE 2.2 URI (or 2.3 name) as a product row of cfg 0, node 0, bound to 2.3 (vendor, product
 * and version come from it; the display names beside it and JVN's free-text version notes are
 * not kept). */
static int add_cpe(struct kk_vuln_rec *rec, const xmlNode *n, const char *path, const char *uri,
                   struct kk_diag *d)
{
	struct kk_cpe c;
	char store[1024], fs[1280];
	struct kk_diag cd;
	kk_diag_clear(&cd);
	if (kk_cpe_parse(uri, strlen(uri), &c, store, sizeof store, &cd) < 0)
		return field_error(d, n, path, "'%s' is not a CPE name", uri);
	if (kk_cpe_bind_fs(&c, fs, sizeof fs) < 0)
		return field_error(d, n, path, "CPE '%s' is too long", uri);
	struct kk_vuln_cpe row = {.vulnerable = true, .cpe23 = fs};
	return kk_vuln_rec_cpe(rec, &row);
}

/* One CVSS entry: version, score and vector as strings; severity may be NULL. */
static int add_cvss(struct kk_vuln_rec *rec, const xmlNode *n, const char *path, const char *vkey,
                    const char *version, const char *score, const char *severity, const char *vector,
                    struct kk_diag *d)
{
	struct kk_vuln_cvss c = {.version = version, .vector = vector, .severity = severity, .source = "jvndb",
	                         .type = "Primary", .score = -1};
	if (!version)
		return field_error(d, n, path, "CVSS entry has no version attribute%s", "");
	if (!vector)
		return field_error(d, n, path, "CVSS %s entry has no vector", version);
	if (score) {
		char *end;
		c.score = strtod(score, &end);
		if (end == score || *end || c.score < 0 || c.score > 10)
			return field_error(d, n, path, "score '%s' is not a number from 0 to 10", score);
	}
	char at[128];
	snprintf(at, sizeof at, "line %ld: %s", xmlGetLineNo(n), path);
	int rc = kk_jget_cvss_check(&c, at, vkey, d);
	if (rc < 0) {
		d->line = (int)xmlGetLineNo(n);
		return rc;
	}
	return kk_vuln_rec_cvss(rec, &c);
}

/* An id from a reference: CVE/JVN# ids become aliases, CWE ids CWE rows. */
static int add_related_id(struct kk_vuln_rec *rec, const char *id)
{
	if (!id)
		return 0;
	if (is_alias(id) || is_jvndb(id))
		return kk_vuln_rec_alias(rec, id);
	if (!strncmp(id, "CWE-", 4)) {
		int cwe = kk_vuln_cwe_id(id);
		if (cwe > 0)
			return kk_vuln_rec_cwe(rec, cwe);
	}
	return 0;
}

/* Adds text to rec unless NULL. */
static int add_text(struct kk_vuln_rec *rec, const char *lang, const char *kind, const char *t)
{
	return t ? kk_vuln_rec_text(rec, lang, kind, t) : 0;
}

/*
 * The record's JVNDB id (element `name` of n, shown as `path`) as source id
 * and alias, then its title (element `tname`) in lang. 0 or KK_EPARSE/KK_ENOMEM.
 */
static int id_and_title(const xmlNode *n, const char *name, const char *path, const xmlNode *tparent,
                        const char *tname, const char *tpath, const char *lang, struct kk_vuln_rec *rec,
                        struct kk_diag *d)
{
	const xmlNode *idn = child(n, name);
	const char *id = text_of(rec, idn);
	if (!id)
		return field_error(d, n, path, "missing %s (the JVNDB id)", path);
	if (!is_jvndb(id))
		return field_error(d, idn, path, "'%s' is not a JVNDB-YYYY-NNNNNN id", id);
	rec->source_id = id;
	KK_TRY(kk_vuln_rec_alias(rec, id));
	const xmlNode *tn = child(tparent, tname);
	const char *title = text_of(rec, tn);
	if (!title)
		return field_error(d, tn ? tn : tparent ? tparent : n, tpath, "missing or empty %s", tpath);
	return add_text(rec, lang, "title", title);
}

/* A JVN value kept as JVN wrote it (record.h struct kk_vuln_jvn_item). */
static int jvn_item(struct kk_vuln_rec *rec, const char *kind, const char *lang, const char *a, const char *b,
                    const char *c, const char *dd, const char *e, int64_t t, int64_t t2, int64_t t3)
{
	struct kk_vuln_jvn_item it = {kind, lang, a, b, c, dd, e, t, t2, t3};
	return kk_vuln_rec_jvn(rec, &it);
}

/* An AffectedItem's VersionNumber lines, newline-separated ("operator\tvalue" when JVN states an operator). */
static const char *version_lines(struct kk_vuln_rec *rec, const xmlNode *item)
{
	size_t len = 0;
	char *out = NULL;
	for (int pass = 0; pass < 2; pass++) {
		size_t o = 0;
		EACH(vn, item, "VersionNumber")
		{
			const char *t = text_of(rec, vn), *op = attr_of(rec, vn, "operator");
			if (!t)
				continue;
			size_t n = (o ? 1 : 0) + (op ? strlen(op) + 1 : 0) + strlen(t);
			if (pass)
				snprintf(out + o, len + 1 - o, "%s%s%s%s", o ? "\n" : "", op ? op : "", op ? "\t" : "", t);
			o += n;
		}
		if (!o)
			return NULL;
		if (!pass) {
			len = o;
			if (!(out = kk_arena_alloc(rec->arena, len + 1)))
				return NULL;
		}
	}
	return out;
}

/* vuldef:Vulinfo */
static int parse_vuldef(const xmlNode *v, const char *lang, struct kk_vuln_rec *rec, struct kk_diag *d)
{
	const xmlNode *data = child(v, "VulinfoData"); /* when absent, the title is missing */
	KK_TRY(id_and_title(v, "VulinfoID", "Vulinfo/VulinfoID", data, "Title", "VulinfoData/Title", lang, rec, d));
	KK_TRY(add_text(rec, lang, "overview", text_of(rec, child(child(data, "VulinfoDescription"), "Overview"))));
	EACH(item, child(data, "Affected"), "AffectedItem")
	{
		const char *first_cpe = NULL;
		EACH(c, item, "Cpe")
		{
			const char *uri = text_of(rec, c);
			if (uri)
				KK_TRY(add_cpe(rec, c, "Affected/AffectedItem/Cpe", uri, d));
			if (!first_cpe)
				first_cpe = uri;
		}
		/* the display names and free-text versions beside the CPE, as JVN wrote them */
		KK_TRY(jvn_item(rec, "affected", lang, text_of(rec, child(item, "Name")),
		                text_of(rec, child(item, "ProductName")), first_cpe, version_lines(rec, item), NULL, 0, 0,
		                0));
	}
	const xmlNode *impact = child(data, "Impact");
	EACH(c, impact, "Cvss")
	{
		KK_TRY(add_cvss(rec, c, "Impact/Cvss", "Vector", attr_of(rec, c, "version"), text_of(rec, child(c, "Base")),
		                text_of(rec, child(c, "Severity")), text_of(rec, child(c, "Vector")), d));
	}
	EACH(i, impact, "ImpactItem")
	{
		const char *t = text_of(rec, child(i, "Description"));
		if (t)
			KK_TRY(jvn_item(rec, "impact", lang, NULL, t, NULL, NULL, NULL, 0, 0, 0));
	}
	EACH(s, child(data, "Solution"), "SolutionItem")
	{
		KK_TRY(add_text(rec, lang, "solution", text_of(rec, child(s, "Description"))));
	}
	EACH(r, child(data, "Related"), "RelatedItem")
	{
		const char *type = attr_of(rec, r, "type");
		const char *rid = text_of(rec, child(r, "VulinfoID"));
		const char *url = text_of(rec, child(r, "URL"));
		if (type && !strcmp(type, "cwe") && rid && strncmp(rid, "CWE-", 4))
			return field_error(d, child(r, "VulinfoID"), "Related/RelatedItem/VulinfoID",
			                   "'%s' is not a CWE id", rid);
		KK_TRY(add_related_id(rec, rid));
		if (url)
			KK_TRY(kk_vuln_rec_ref(rec, url, type ? type : "advisory"));
		KK_TRY(jvn_item(rec, "related", lang, type, text_of(rec, child(r, "Name")), rid,
		                text_of(rec, child(r, "Title")), url, 0, 0, 0));
	}
	EACH(h, child(data, "History"), "HistoryItem")
	{
		int64_t at;
		KK_TRY(date_of(rec, child(h, "DateTime"), "History/HistoryItem/DateTime", 0, &at, d));
		KK_TRY(jvn_item(rec, "history", lang, text_of(rec, child(h, "HistoryNo")),
		                text_of(rec, child(h, "Description")), NULL, NULL, NULL, at, 0, 0));
	}
	KK_TRY(date_of(rec, child(data, "DatePublic"), "VulinfoData/DatePublic", 0, &rec->public_date, d));
	KK_TRY(date_of(rec, child(data, "DateFirstPublished"), "VulinfoData/DateFirstPublished", 0,
	               &rec->first_published, d));
	KK_TRY(date_of(rec, child(data, "DateLastUpdated"), "VulinfoData/DateLastUpdated", 0, &rec->modified, d));
	rec->published = rec->first_published ? rec->first_published : rec->public_date;
	if (!rec->modified)
		rec->modified = rec->published;
	return jvn_item(rec, "dates", lang, NULL, NULL, NULL, NULL, NULL, rec->public_date, rec->first_published,
	                rec->modified);
}

/* rss:item with the sec: module */
static int parse_rss_item(const xmlNode *it, const char *lang, struct kk_vuln_rec *rec, struct kk_diag *d)
{
	KK_TRY(id_and_title(it, "identifier", "item/sec:identifier", it, "title", "item/title", lang, rec, d));
	KK_TRY(add_text(rec, lang, "overview", text_of(rec, child(it, "description"))));
	const char *link = text_of(rec, child(it, "link"));
	if (link)
		KK_TRY(kk_vuln_rec_ref(rec, link, "JVNDB"));
	EACH(r, it, "references")
	{
		const char *rid = attr_of(rec, r, "id");
		const char *src = attr_of(rec, r, "source");
		const char *url = text_of(rec, r);
		KK_TRY(add_related_id(rec, rid));
		if (url)
			KK_TRY(kk_vuln_rec_ref(rec, url, src ? src : rid && !strncmp(rid, "CWE-", 4) ? "CWE" : "advisory"));
	}
	EACH(c, it, "cpe")
	{
		const char *uri = text_of(rec, c);
		if (uri)
			KK_TRY(add_cpe(rec, c, "item/sec:cpe", uri, d));
	}
	EACH(c, it, "cvss")
	{
		KK_TRY(add_cvss(rec, c, "item/sec:cvss", "@vector", attr_of(rec, c, "version"), attr_of(rec, c, "score"),
		                attr_of(rec, c, "severity"), attr_of(rec, c, "vector"), d));
	}
	int64_t date;
	KK_TRY(date_of(rec, child(it, "date"), "item/dc:date", 0, &date, d));
	KK_TRY(date_of(rec, child(it, "issued"), "item/dcterms:issued", 0, &rec->published, d));
	KK_TRY(date_of(rec, child(it, "modified"), "item/dcterms:modified", 0, &rec->modified, d));
	if (!rec->published)
		rec->published = date;
	if (!rec->modified)
		rec->modified = date ? date : rec->published;
	rec->first_published = rec->published;
	return 0;
}

/* The language of a record that states none: "ja" when its text holds anything beyond ASCII, else "en". */
static const char *lang_guess(const xmlNode *n)
{
	xmlChar *s = xmlNodeGetContent(n);
	const char *out = "en";
	for (const unsigned char *p = s; p && *p; p++)
		if (*p >= 0x80) {
			out = "ja";
			break;
		}
	xmlFree(s);
	return out;
}

/*
 * The language of record n into out (KK_VULN_LANG_MAX bytes): the xml:lang
 * in scope (on n or an ancestor; JVNRSS states it on rdf:RDF) as
 * kk_vuln_lang makes it ("en-US" -> "en"); guessed from the text when there
 * is none or it is "" (XML's "no language stated"). A malformed xml:lang is
 * KK_EPARSE naming the element that carries it and its line.
 */
static int lang_of(const xmlNode *n, char *out, struct kk_diag *d)
{
	for (const xmlNode *e = n; e && e->type == XML_ELEMENT_NODE; e = e->parent) {
		xmlChar *l = xmlGetNsProp(e, (const xmlChar *)"lang", XML_XML_NAMESPACE);
		if (!l)
			continue;
		int rc = 0;
		if (*l) {
			char where[128];
			long line = xmlGetLineNo(e);
			const char *prefix = e->ns && e->ns->prefix ? (const char *)e->ns->prefix : NULL;
			snprintf(where, sizeof where, "line %ld: %s%s%s/@xml:lang", line, prefix ? prefix : "",
			         prefix ? ":" : "", (const char *)e->name);
			rc = kk_vuln_lang((const char *)l, out, where, d);
			if (rc)
				d->line = (int)line;
		} else {
			memcpy(out, lang_guess(n), 3);
		}
		xmlFree(l);
		return rc;
	}
	memcpy(out, lang_guess(n), 3);
	return 0;
}

/* Parses one expanded record element into a slot and hands it on. */
static int one_record(const struct kk_jvn_sink *s, xmlNode *n, enum kk_vuln_format fmt, long recno)
{
	struct kk_arena *a = NULL;
	struct kk_vuln_rec *rec = s->slot(s->arg, &a);
	struct kk_diag d;
	const char *fname = kk_vuln_format_name(fmt);
	if (!rec)
		return KK_ENOMEM;
	kk_diag_clear(&d);
	kk_vuln_rec_init(rec, a);
	char lang[KK_VULN_LANG_MAX];
	int rc = lang_of(n, lang, &d);
	int en = !rc && !strcmp(lang, "en");
	rec->format = fname;
	rec->source = fmt == KK_VF_JVN_VULDEF ? (en ? "jvn-en" : "jvn") : (en ? "jvnrss-en" : "jvnrss");
	if (rc) /* the record is reported by its id */
		rec->source_id = text_of(rec, child(n, fmt == KK_VF_JVN_VULDEF ? "VulinfoID" : "identifier"));
	else
		rc = fmt == KK_VF_JVN_VULDEF ? parse_vuldef(n, lang, rec, &d) : parse_rss_item(n, lang, rec, &d);
	if (rc == KK_ENOMEM)
		return rc;
	if (rc < 0) {
		char pos[32];
		snprintf(pos, sizeof pos, "#%ld", recno);
		s->bad(s->arg, rec->source_id ? rec->source_id : pos, fname, &d);
		return 0;
	}
	/* the content hash: format, language, the record's XML */
	xmlBuffer *buf = xmlBufferCreate();
	if (!buf)
		return KK_ENOMEM;
	if (xmlNodeDump(buf, n->doc, n, 0, 0) < 0) {
		xmlBufferFree(buf);
		return KK_ENOMEM;
	}
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof(rec->hash));
	crypto_generichash_update(&st, (const unsigned char *)fname, strlen(fname) + 1);
	crypto_generichash_update(&st, (const unsigned char *)lang, strlen(lang) + 1);
	crypto_generichash_update(&st, xmlBufferContent(buf), (unsigned long long)xmlBufferLength(buf));
	crypto_generichash_final(&st, rec->hash, sizeof(rec->hash));
	xmlBufferFree(buf);
	return s->take(s->arg);
}

/* The format of a document by its root element, or KK_VF_AUTO. */
static enum kk_vuln_format root_format(xmlTextReader *r)
{
	const char *name = (const char *)xmlTextReaderConstLocalName(r);
	const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);
	if (name && !strcmp(name, "VULDEF-Document"))
		return KK_VF_JVN_VULDEF;
	if (name && ns && !strcmp(name, "RDF") && !strcmp(ns, NS_RDF))
		return KK_VF_JVNRSS;
	return KK_VF_AUTO;
}

/* Whether the element at the reader is a record of fmt. */
static int is_record(xmlTextReader *r, enum kk_vuln_format fmt)
{
	const char *name = (const char *)xmlTextReaderConstLocalName(r);
	const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);
	if (xmlTextReaderDepth(r) != 1 || !name)
		return 0;
	if (fmt == KK_VF_JVN_VULDEF)
		return !strcmp(name, "Vulinfo") && ns && !strcmp(ns, NS_VULDEF);
	return !strcmp(name, "item") && ns && !strcmp(ns, NS_RSS);
}

static void doc_error(const struct kk_jvn_sink *s, enum kk_vuln_format fmt, struct kk_diag *d)
{
	s->bad(s->arg, "#doc", fmt ? kk_vuln_format_name(fmt) : "auto", d);
}

int kk_jvn_read(FILE *in, enum kk_vuln_format want, const struct kk_jvn_sink *s, long *recno)
{
	struct doc doc = {.in = in};
	struct kk_diag d;
	long n = 0;
	int rc = 0, first = 1;
	enum kk_vuln_format fmt = KK_VF_AUTO;
	kk_diag_clear(&d);
	kk_diag_clear(&doc.xml_err);
	xmlTextReader *r = xmlReaderForIO(read_cb, NULL, &doc, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	if (!r)
		return KK_ENOMEM;
	xmlTextReaderSetStructuredErrorHandler(r, error_cb, &doc);
	int step = xmlTextReaderRead(r);
	while (step > 0) {
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) {
			step = xmlTextReaderRead(r);
			continue;
		}
		if (first) {
			first = 0;
			fmt = root_format(r);
			if (fmt == KK_VF_AUTO || (want && fmt != want)) {
				char where[32];
				snprintf(where, sizeof where, "%d:%d", xmlTextReaderGetParserLineNumber(r),
				         xmlTextReaderGetParserColumnNumber(r));
				kk_diag_set(&d, KK_EUNSUPPORTED, where,
				            "root element <%s> is not %s (VULDEF-Document for jvn-vuldef, rdf:RDF for "
				            "jvnrss)",
				            (const char *)xmlTextReaderConstName(r),
				            want ? kk_vuln_format_name(want) : "a MyJVN document");
				doc_error(s, want, &d);
				step = 0;
				break;
			}
		} else if (is_record(r, fmt)) {
			n++;
			xmlNode *node = xmlTextReaderExpand(r);
			if (!node) {
				step = -1; /* a syntax error inside the record: reported below */
				break;
			}
			rc = one_record(s, node, fmt, n);
			if (rc < 0)
				break;
			step = xmlTextReaderNext(r); /* past the record, which the reader may now free */
			continue;
		}
		step = xmlTextReaderRead(r);
	}
	if (step < 0 && rc >= 0 && !doc.has_err) {
		char where[32];
		snprintf(where, sizeof where, "%d:%d", xmlTextReaderGetParserLineNumber(r),
		         xmlTextReaderGetParserColumnNumber(r));
		kk_diag_set(&doc.xml_err, KK_EPARSE, where, "XML could not be read (the rest of the file is skipped)");
		doc.has_err = 1;
	}
	if (rc >= 0 && doc.has_err)
		doc_error(s, fmt, &doc.xml_err);
	xmlFreeTextReader(r);
	if (recno)
		*recno += n;
	return rc < 0 ? rc : 0;
}

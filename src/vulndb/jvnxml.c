/*
 * jvnxml.c — loads a stored vulnerability (kk_vuln_view) and writes it as
 * JVNRSS 3.2 items, VULDEF 3.2 Vulinfo, MyJVN status:Status and Atom 1.0.
 */
#include "vulndb/jvnxml.h"
#include "std/cpe.h"
#include "store/db.h"
#include "vulndb/search.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- loading ---- */

static const char *sdup(struct kk_arena *a, struct kk_stmt *st, int col, int *err)
{
	if (kk_stmt_is_null(st, col))
		return NULL;
	char *s = kk_arena_strdup(a, kk_stmt_text(st, col));
	if (!s)
		*err = KK_ENOMEM;
	return s;
}

static int row_alias(struct kk_vuln_view *v, struct kk_stmt *st, struct kk_arena *a)
{
	(void)a;
	return kk_vuln_rec_alias(&v->rec, kk_stmt_text(st, 0));
}

static int row_text(struct kk_vuln_view *v, struct kk_stmt *st, struct kk_arena *a)
{
	(void)a;
	/* kk_vuln_rec_text keeps the kind's pointer: give it the static name */
	static const char *const kinds[] = {"title", "overview", "description", "solution", "workaround"};
	const char *kind = kk_stmt_text(st, 1);
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (!strcmp(kind, kinds[k]))
			return kk_vuln_rec_text(&v->rec, kk_stmt_text(st, 0), kinds[k], kk_stmt_text(st, 2));
	return 0;
}

static int row_cvss(struct kk_vuln_view *v, struct kk_stmt *st, struct kk_arena *a)
{
	int err = 0;
	struct kk_vuln_cvss c = {.version = kk_stmt_text(st, 0),
	                         .vector = kk_stmt_text(st, 1),
	                         .score = kk_stmt_is_null(st, 2) ? -1 : kk_stmt_double(st, 2),
	                         .severity = kk_search_severity_name((int)kk_stmt_int64(st, 3)),
	                         .source = sdup(a, st, 4, &err),
	                         .type = sdup(a, st, 5, &err)};
	return err ? err : kk_vuln_rec_cvss(&v->rec, &c);
}

static int row_cwe(struct kk_vuln_view *v, struct kk_stmt *st, struct kk_arena *a)
{
	int rc = kk_vuln_rec_cwe(&v->rec, (int)kk_stmt_int64(st, 0));
	if (rc)
		return rc;
	size_t n = v->rec.n_cwes;
	if (n > 1 && !(n & (n - 1))) { /* grow by doubling at powers of two */
		struct kk_vuln_cwe_name *g = kk_arena_alloc(a, 2 * n * sizeof(*g));
		if (!g)
			return KK_ENOMEM;
		memcpy(g, v->cwe_names, (n - 1) * sizeof(*g));
		v->cwe_names = g;
	} else if (n == 1 && !(v->cwe_names = kk_arena_alloc(a, 2 * sizeof(*v->cwe_names)))) {
		return KK_ENOMEM;
	}
	int err = 0;
	v->cwe_names[n - 1].id = (int)kk_stmt_int64(st, 0);
	v->cwe_names[n - 1].name = sdup(a, st, 1, &err);
	return err;
}

static int row_cpe(struct kk_vuln_view *v, struct kk_stmt *st, struct kk_arena *a)
{
	(void)a;
	struct kk_vuln_cpe c = {.vulnerable = true, .cpe23 = kk_stmt_text(st, 0)};
	const char **f[] = {&c.vendor, &c.product, &c.version, &c.start_incl, &c.start_excl, &c.end_incl, &c.end_excl};
	for (int k = 0; k < 7; k++)
		*f[k] = kk_stmt_is_null(st, k + 1) ? NULL : kk_stmt_text(st, k + 1);
	return kk_vuln_rec_cpe(&v->rec, &c);
}

static int row_ref(struct kk_vuln_view *v, struct kk_stmt *st, struct kk_arena *a)
{
	(void)a;
	return kk_vuln_rec_ref(&v->rec, kk_stmt_text(st, 0), kk_stmt_is_null(st, 1) ? NULL : kk_stmt_text(st, 1));
}

static int row_history(struct kk_vuln_view *v, struct kk_stmt *st, struct kk_arena *a)
{
	size_t n = v->n_history;
	if (!(n & (n - 1))) {
		struct kk_vuln_event *g = kk_arena_alloc(a, (n ? 2 * n : 4) * sizeof(*g));
		if (!g)
			return KK_ENOMEM;
		if (n)
			memcpy(g, v->history, n * sizeof(*g));
		v->history = g;
	}
	int err = 0;
	v->history[n] = (struct kk_vuln_event){kk_stmt_int64(st, 0), sdup(a, st, 1, &err), sdup(a, st, 2, &err)};
	v->n_history = n + 1;
	return err;
}

static int row_jvn(struct kk_vuln_view *v, struct kk_stmt *st, struct kk_arena *a)
{
	(void)a;
	static const char *const kinds[] = {"affected", "impact", "related", "history", "dates"};
	struct kk_vuln_jvn_item it;
	memset(&it, 0, sizeof it);
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (!strcmp(kk_stmt_text(st, 0), kinds[k]))
			it.kind = kinds[k]; /* kk_vuln_rec_jvn keeps the kind's pointer */
	if (!it.kind)
		return 0;
	const char **f[] = {&it.lang, &it.a, &it.b, &it.c, &it.d, &it.e};
	for (int k = 0; k < 6; k++)
		*f[k] = kk_stmt_is_null(st, k + 1) ? NULL : kk_stmt_text(st, k + 1);
	it.t = kk_stmt_int64(st, 7);
	it.t2 = kk_stmt_int64(st, 8);
	it.t3 = kk_stmt_int64(st, 9);
	return kk_vuln_rec_jvn(&v->rec, &it);
}

static int row_head(struct kk_vuln_view *v, struct kk_stmt *st, struct kk_arena *a)
{
	int err = 0;
	v->jvndb = sdup(a, st, 0, &err);
	v->published = kk_stmt_int64(st, 1);
	v->modified = kk_stmt_int64(st, 2);
	v->first_published = kk_stmt_int64(st, 3);
	v->public_date = kk_stmt_int64(st, 4);
	v->has_score = !kk_stmt_is_null(st, 5);
	v->score = v->has_score ? kk_stmt_double(st, 5) : 0;
	v->severity = (int)kk_stmt_int64(st, 6);
	v->withdrawn = kk_stmt_int64(st, 7) != 0;
	if (err || !v->jvndb)
		return KK_ENOMEM;
	v->rec.source_id = v->jvndb;
	return 0;
}

/*
 * Records are loaded VIEW_BATCH at a time: each part is one statement with
 * `vuln_id IN (?, ...)` (unused places bound to -1), its rows handed to the
 * view of the id in its last column. Rows of one record keep the statement's
 * order. 8 statements for a page of 50 instead of 400.
 */
#define VIEW_BATCH 50

struct part {
	const char *sql; /* with %s where the placeholders go; the record's id is the last column */
	int (*fn)(struct kk_vuln_view *, struct kk_stmt *, struct kk_arena *);
	bool full_only;
};

static const struct part summary_cpe = {
    "SELECT min(cpe23), vendor, product, NULL, NULL, NULL, NULL, NULL, vuln_id FROM vuln_cpe "
    "WHERE vuln_id IN (%s) AND vulnerable = 1 AND cpe23 IS NOT NULL AND vendor IS NOT NULL "
    "GROUP BY vuln_id, vendor, product ORDER BY vendor, product",
    row_cpe, false};
static const struct part full_cpe = {
    "SELECT cpe23, vendor, product, version, start_incl, start_excl, end_incl, end_excl, vuln_id FROM vuln_cpe "
    "WHERE vuln_id IN (%s) AND vulnerable = 1 AND cpe23 IS NOT NULL AND vendor IS NOT NULL "
    "GROUP BY vuln_id, cpe23, start_incl, start_excl, end_incl, end_excl ORDER BY vendor, product, min(id)",
    row_cpe, false};
static const struct part parts[] = {
    {"SELECT jvndb, published, modified, first_published, public_date, score, severity, withdrawn, id "
     "FROM vuln WHERE id IN (%s)",
     row_head, false},
    {"SELECT alias, vuln_id FROM vuln_alias WHERE vuln_id IN (%s) ORDER BY alias", row_alias, false},
    {"SELECT lang, kind, text, vuln_id FROM vuln_text WHERE vuln_id IN (%s) AND kind IN ('title', 'overview') "
     "ORDER BY lang, kind, id",
     row_text, false},
    {"SELECT lang, kind, text, vuln_id FROM vuln_text WHERE vuln_id IN (%s) AND kind NOT IN ('title', 'overview') "
     "ORDER BY lang, kind, id",
     row_text, true},
    {"SELECT version, vector, score, severity, scorer, type, vuln_id FROM vuln_cvss WHERE vuln_id IN (%s) "
     "ORDER BY version DESC, id",
     row_cvss, false},
    {"SELECT DISTINCT c.cwe, w.name, c.vuln_id FROM vuln_cwe c LEFT JOIN cwe w ON w.id = c.cwe "
     "WHERE c.vuln_id IN (%s) AND c.cwe > 0 ORDER BY c.cwe",
     row_cwe, false},
    {NULL, NULL, false}, /* CPE rows: summary_cpe or full_cpe */
    {"SELECT url, type, vuln_id FROM vuln_ref WHERE vuln_id IN (%s) GROUP BY vuln_id, url ORDER BY min(id)",
     row_ref, false},
    {"SELECT at, source, what, vuln_id FROM vuln_history WHERE vuln_id IN (%s) ORDER BY at, id", row_history,
     true},
    {"SELECT kind, lang, a, b, c, d, e, t, t2, t3, vuln_id FROM vuln_jvn_item WHERE vuln_id IN (%s) "
     "ORDER BY src, kind, seq",
     row_jvn, true},
};

static int load_batch(struct kk_db *db, const int64_t *ids, size_t n, bool full, struct kk_arena *a,
                      struct kk_vuln_view *v)
{
	char marks[VIEW_BATCH * 2];
	for (int k = 0; k < VIEW_BATCH; k++) {
		marks[2 * k] = '?';
		marks[2 * k + 1] = k + 1 < VIEW_BATCH ? ',' : 0;
	}
	for (size_t k = 0; k < n; k++) {
		memset(&v[k], 0, sizeof v[k]);
		kk_vuln_rec_init(&v[k].rec, a);
		v[k].id = ids[k];
		v[k].rec.source = "keikai";
	}
	for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++) {
		const struct part *pt = parts[p].sql ? &parts[p] : full ? &full_cpe : &summary_cpe;
		if (pt->full_only && !full)
			continue;
		char sql[1024];
		snprintf(sql, sizeof sql, pt->sql, marks);
		struct kk_stmt *st;
		int rc = kk_db_prepare(db, sql, &st);
		if (rc)
			return rc;
		for (int k = 0; k < VIEW_BATCH; k++)
			kk_stmt_bind_int64(st, k + 1, (size_t)k < n ? ids[k] : -1);
		int last = -1;
		size_t at = 0;
		while ((rc = kk_stmt_step(st)) == KK_ROW) {
			if (last < 0)
				last = kk_stmt_columns(st) - 1;
			int64_t id = kk_stmt_int64(st, last);
			if (v[at].id != id) /* rows of one record mostly come together */
				for (at = 0; at < n && v[at].id != id; at++)
					;
			if (at == n) {
				at = 0;
				continue;
			}
			if ((rc = pt->fn(&v[at], st, a)) < 0)
				break;
		}
		kk_stmt_done(st);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int kk_vuln_views_load(struct kk_db *db, const int64_t *ids, size_t n, int flags, struct kk_arena *a,
                       struct kk_vuln_view *views)
{
	for (size_t k = 0; k < n; k += VIEW_BATCH) {
		int rc = load_batch(db, ids + k, n - k < VIEW_BATCH ? n - k : VIEW_BATCH, flags & KK_VIEW_FULL, a,
		                    views + k);
		if (rc)
			return rc;
	}
	return 0;
}

int kk_vuln_view_load(struct kk_db *db, int64_t id, int flags, struct kk_arena *a, struct kk_vuln_view *v)
{
	int rc = kk_vuln_views_load(db, &id, 1, flags, a, v);
	return rc ? rc : v->jvndb ? 0 : KK_ENOTFOUND;
}

const char *kk_vuln_view_text(const struct kk_vuln_view *v, const char *kind, const char *lang)
{
	const char *first = NULL, *en = NULL; /* another language: English before the rest */
	for (size_t k = 0; k < v->rec.n_texts; k++) {
		const struct kk_vuln_text *t = &v->rec.texts[k];
		if (strcmp(t->kind, kind))
			continue;
		if (lang && !strcmp(t->lang, lang))
			return t->text;
		if (!first)
			first = t->text;
		if (!en && !strcmp(t->lang, "en"))
			en = t->text;
	}
	return en ? en : first;
}

const char *kk_vuln_view_title(const struct kk_vuln_view *v, const char *lang)
{
	const char *t = kk_vuln_view_text(v, "title", lang);
	for (size_t k = 0; !t && k < v->rec.n_aliases; k++)
		if (!strncmp(v->rec.aliases[k], "CVE-", 4))
			t = v->rec.aliases[k];
	return t ? t : v->jvndb;
}

void kk_time_w3c_jst(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)(t + 9 * 3600);
	struct tm tm;
	gmtime_r(&tt, &tm);
	/* the fields bounded so the compiler sees the text fits in 26 bytes */
	snprintf(out, n, "%04u-%02u-%02uT%02u:%02u:%02u+09:00", (unsigned)(tm.tm_year + 1900) % 10000u,
	         (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u,
	         (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u);
}

static void leaf_time(struct kk_xmlw *w, const char *name, int64_t t)
{
	if (!t)
		return;
	char s[40];
	kk_time_w3c_jst(t, s, sizeof s);
	kk_xmlw_leaf(w, name, s);
}

/* The CPE 2.2 URI of a 2.3 name, without the version and later parts unless keep_version. */
const char *kk_jvnxml_cpe_uri(const char *cpe23, bool keep_version, char *out, size_t cap)
{
	struct kk_cpe c;
	char store[KK_CPE_STORE(512)];
	struct kk_diag d;
	kk_diag_clear(&d);
	size_t len = strlen(cpe23);
	if (len > 512 || kk_cpe_parse(cpe23, len, &c, store, sizeof store, &d) < 0)
		return NULL;
	for (int k = keep_version ? KK_CPE_UPDATE : KK_CPE_VERSION; k < KK_CPE_NATTR; k++) {
		c.a[k] = (struct kk_cpe_val){.kind = KK_CPE_ANY};
		c.any |= (uint16_t)(1u << k);
		c.na &= (uint16_t) ~(1u << k);
		c.wild &= (uint16_t) ~(1u << k);
	}
	if (kk_cpe_bind_uri(&c, out, cap) < 0)
		return NULL;
	for (char *e = strchr(out, '%'); e; e = strchr(e + 1, '%')) /* %2F as MyJVN writes it, not %2f */
		for (int k = 1; k <= 2 && e[k]; k++)
			if (e[k] >= 'a' && e[k] <= 'f')
				e[k] = (char)(e[k] - 32);
	return out;
}

/* A CPE 2.3 attribute as a name to show, without its backslash escapes. */
static const char *cpe_name(const char *s, char *out, size_t n)
{
	size_t o = 0;
	for (; s && *s && o + 1 < n; s++) {
		if (*s == '\\' && s[1])
			s++;
		out[o++] = *s;
	}
	out[o] = 0;
	return s ? out : NULL;
}

static const char *severity_word(const char *s)
{
	static const char *const w[] = {"None", "Low", "Medium", "High", "Critical"};
	int r = kk_vuln_severity_rank(s);
	return w[r >= 0 && r <= 4 ? r : 0];
}

static bool is_cve(const char *s)
{
	return !strncmp(s, "CVE-", 4);
}

/* ---- JVNRSS 3.2 ---- */

static void rss_namespaces(struct kk_xmlw *w, bool myjvn)
{
	kk_xmlw_attr(w, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
	kk_xmlw_attr(w, "xmlns", "http://purl.org/rss/1.0/");
	kk_xmlw_attr(w, "xmlns:rss", "http://purl.org/rss/1.0/");
	kk_xmlw_attr(w, "xmlns:rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#");
	kk_xmlw_attr(w, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
	kk_xmlw_attr(w, "xmlns:dcterms", "http://purl.org/dc/terms/");
	kk_xmlw_attr(w, "xmlns:sec", "http://jvn.jp/rss/mod_sec/3.0/");
	kk_xmlw_attr(w, "xmlns:marking", "http://data-marking.mitre.org/Marking-1");
	kk_xmlw_attr(w, "xmlns:tlpMarking", "http://data-marking.mitre.org/extensions/MarkingStructure#TLP-1");
	if (myjvn)
		kk_xmlw_attr(w, "xmlns:status", "http://jvndb.jvn.jp/myjvn/Status");
	kk_xmlw_attr(w, "xsi:schemaLocation",
	             myjvn ? "http://purl.org/rss/1.0/ https://jvndb.jvn.jp/schema/jvnrss_3.2.xsd "
	                     "http://jvndb.jvn.jp/myjvn/Status https://jvndb.jvn.jp/schema/status_3.3.xsd"
	                   : "http://purl.org/rss/1.0/ https://jvndb.jvn.jp/schema/jvnrss_3.2.xsd");
}

static void handling(struct kk_xmlw *w)
{
	kk_xmlw_open(w, "sec:handling");
	kk_xmlw_open(w, "marking:Marking");
	kk_xmlw_open(w, "marking:Marking_Structure");
	kk_xmlw_attr(w, "xsi:type", "tlpMarking:TLPMarkingStructureType");
	kk_xmlw_attr(w, "marking_model_name", "TLP");
	kk_xmlw_attr(w, "marking_model_ref", "http://www.us-cert.gov/tlp/");
	kk_xmlw_attr(w, "color", "WHITE");
	kk_xmlw_close(w);
	kk_xmlw_close(w);
	kk_xmlw_close(w);
}

void kk_jvnrss_begin(struct kk_xmlw *w, const struct kk_jvnrss_channel *ch, const char *const *urls, size_t n)
{
	kk_xmlw_open(w, "rdf:RDF");
	rss_namespaces(w, ch->myjvn);
	kk_xmlw_attr(w, "xml:lang", ch->lang);
	kk_xmlw_open(w, "channel");
	kk_xmlw_attr(w, "rdf:about", ch->about);
	kk_xmlw_leaf(w, "title", ch->title);
	kk_xmlw_leaf(w, "link", ch->link);
	kk_xmlw_leaf(w, "description", ch->description);
	leaf_time(w, "dc:date", ch->date);
	kk_xmlw_leaf(w, "dcterms:issued", "");
	leaf_time(w, "dcterms:modified", ch->date);
	handling(w);
	kk_xmlw_open(w, "items");
	kk_xmlw_open(w, "rdf:Seq");
	for (size_t k = 0; k < n; k++) {
		kk_xmlw_open(w, "rdf:li");
		kk_xmlw_attr(w, "rdf:resource", urls[k]);
		kk_xmlw_close(w);
	}
	kk_xmlw_close(w);
	kk_xmlw_close(w);
	kk_xmlw_close(w); /* channel */
}

#define URL_SEEN_MAX 256
struct seen {
	const char *url[URL_SEEN_MAX];
	int n;
};

/* True when url was written already (then nothing is written again); remembers it. */
static bool seen_url(struct seen *s, const char *url)
{
	for (int k = 0; k < s->n; k++)
		if (!strcmp(s->url[k], url))
			return true;
	if (s->n < URL_SEEN_MAX)
		s->url[s->n++] = url;
	return false;
}

static const char *cve_url(char *buf, size_t n, const char *cve)
{
	snprintf(buf, n, "https://www.cve.org/CVERecord?id=%s", cve);
	return buf;
}

static const char *cwe_url(char *buf, size_t n, int id)
{
	snprintf(buf, n, "https://cwe.mitre.org/data/definitions/%d.html", id);
	return buf;
}

static void rss_reference(struct kk_xmlw *w, const char *source, const char *id, const char *title, const char *url)
{
	kk_xmlw_open(w, "sec:references");
	kk_xmlw_attr(w, "source", source);
	kk_xmlw_attr(w, "id", id);
	kk_xmlw_attr(w, "title", title);
	kk_xmlw_text(w, url);
	kk_xmlw_close(w);
}

/* One reference of a record, as each_reference hands it out. */
struct ref {
	enum { REF_CVE, REF_LINK, REF_CWE } kind;
	const char *id;     /* CVE-…, CWE-… (REF_LINK: NULL) */
	const char *type;   /* REF_LINK: the source's type or tags ("Patch,Vendor Advisory"), may be NULL */
	const char *name;   /* REF_CWE: MITRE's name, may be NULL */
	const char *url;
};

/*
 * The references JVN writes for a record, each URL once: its CVE ids (CVE
 * records), the sources' links (without the record's own JVNDB page and the
 * CWE links, which follow), its CWEs (MITRE's definitions).
 */
static void each_reference(const struct kk_vuln_view *v, const char *self,
                           void (*emit)(struct kk_xmlw *w, const struct ref *f), struct kk_xmlw *w)
{
	const struct kk_vuln_rec *r = &v->rec;
	struct seen seen = {.n = 0};
	seen_url(&seen, self);
	char buf[160];
	for (size_t k = 0; k < r->n_aliases; k++) {
		if (!is_cve(r->aliases[k]))
			continue;
		const char *u = cve_url(buf, sizeof buf, r->aliases[k]);
		seen_url(&seen, kk_arena_strdup(r->arena, u));
		emit(w, &(struct ref){REF_CVE, r->aliases[k], NULL, NULL, u});
	}
	for (size_t k = 0; k < r->n_refs; k++) {
		const struct kk_vuln_ref *f = &r->refs[k];
		if ((f->type && (!strcmp(f->type, "JVNDB") || !strcasecmp(f->type, "cwe"))) || seen_url(&seen, f->url))
			continue;
		emit(w, &(struct ref){REF_LINK, NULL, f->type && *f->type ? f->type : NULL, NULL, f->url});
	}
	for (size_t k = 0; k < r->n_cwes; k++) {
		char id[24];
		snprintf(id, sizeof id, "CWE-%d", v->cwe_names[k].id);
		emit(w, &(struct ref){REF_CWE, id, NULL, v->cwe_names[k].name, cwe_url(buf, sizeof buf, v->cwe_names[k].id)});
	}
}

static void rss_ref(struct kk_xmlw *w, const struct ref *f)
{
	char title[320];
	if (f->kind == REF_CWE && f->name)
		snprintf(title, sizeof title, "%s(%s)", f->name, f->id);
	rss_reference(w, f->kind == REF_CVE ? "CVE" : f->kind == REF_LINK ? (f->type ? f->type : "advisory") : NULL,
	              f->id, f->kind == REF_CWE && f->name ? title : NULL, f->url);
}

void kk_jvnrss_item(struct kk_xmlw *w, const struct kk_vuln_view *v, const char *url, const char *lang)
{
	const struct kk_vuln_rec *r = &v->rec;
	kk_xmlw_open(w, "item");
	kk_xmlw_attr(w, "rdf:about", url);
	kk_xmlw_leaf(w, "title", kk_vuln_view_title(v, lang));
	kk_xmlw_leaf(w, "link", url);
	kk_xmlw_leaf(w, "description", kk_vuln_view_text(v, "overview", lang));
	kk_xmlw_leaf(w, "dc:creator", KK_JVNXML_CREATOR);
	kk_xmlw_leaf(w, "sec:identifier", v->jvndb);
	each_reference(v, url, rss_ref, w);
	for (size_t k = 0; k < r->n_cpes; k++) {
		const struct kk_vuln_cpe *c = &r->cpes[k];
		char uri[1200];
		if (!c->vendor || !kk_jvnxml_cpe_uri(c->cpe23, false, uri, sizeof uri))
			continue;
		kk_xmlw_open(w, "sec:cpe");
		kk_xmlw_attr(w, "version", "2.2");
		char vn[256], pn[256];
		kk_xmlw_attr(w, "vendor", cpe_name(c->vendor, vn, sizeof vn));
		kk_xmlw_attr(w, "product", cpe_name(c->product, pn, sizeof pn));
		kk_xmlw_text(w, uri);
		kk_xmlw_close(w);
	}
	const char *done_version = NULL;
	for (size_t k = 0; k < r->n_cvss; k++) {
		const struct kk_vuln_cvss *c = &r->cvss[k];
		if (c->score < 0 || (done_version && !strcmp(done_version, c->version)))
			continue; /* one score per version: the first (NVD's primary, else the CNA's) */
		done_version = c->version;
		char score[16];
		snprintf(score, sizeof score, "%.1f", c->score);
		kk_xmlw_open(w, "sec:cvss");
		kk_xmlw_attr(w, "score", score);
		kk_xmlw_attr(w, "severity", severity_word(c->severity));
		kk_xmlw_attr(w, "vector", c->vector);
		kk_xmlw_attr(w, "version", c->version);
		kk_xmlw_attr(w, "type", "Base");
		kk_xmlw_close(w);
	}
	leaf_time(w, "dc:date", v->modified);
	leaf_time(w, "dcterms:issued", v->first_published ? v->first_published : v->published);
	leaf_time(w, "dcterms:modified", v->modified);
	kk_xmlw_close(w);
}

void kk_jvnrss_end(struct kk_xmlw *w)
{
	kk_xmlw_close(w);
}

/* ---- VULDEF 3.2 ---- */

void kk_vuldef_begin(struct kk_xmlw *w, const char *lang, bool myjvn)
{
	kk_xmlw_open(w, "VULDEF-Document");
	kk_xmlw_attr(w, "version", "3.2");
	kk_xmlw_attr(w, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
	kk_xmlw_attr(w, "xmlns", "http://jvn.jp/vuldef/");
	kk_xmlw_attr(w, "xmlns:vuldef", "http://jvn.jp/vuldef/");
	if (myjvn)
		kk_xmlw_attr(w, "xmlns:status", "http://jvndb.jvn.jp/myjvn/Status");
	kk_xmlw_attr(w, "xmlns:sec", "http://jvn.jp/rss/mod_sec/3.0/");
	kk_xmlw_attr(w, "xmlns:marking", "http://data-marking.mitre.org/Marking-1");
	kk_xmlw_attr(w, "xmlns:tlpMarking", "http://data-marking.mitre.org/extensions/MarkingStructure#TLP-1");
	kk_xmlw_attr(w, "xsi:schemaLocation",
	             myjvn ? "http://jvn.jp/vuldef/ https://jvndb.jvn.jp/schema/vuldef_3.2.xsd "
	                     "http://jvn.jp/rss/mod_sec/3.0/ https://jvndb.jvn.jp/schema/mod_sec_3.0.xsd "
	                     "http://data-marking.mitre.org/extensions/MarkingStructure#TLP-1 "
	                     "https://jvndb.jvn.jp/schema/tlp_marking.xsd "
	                     "http://jvndb.jvn.jp/myjvn/Status https://jvndb.jvn.jp/schema/status_3.3.xsd"
	                   : "http://jvn.jp/vuldef/ https://jvndb.jvn.jp/schema/vuldef_3.2.xsd "
	                     "http://jvn.jp/rss/mod_sec/3.0/ https://jvndb.jvn.jp/schema/mod_sec_3.0.xsd "
	                     "http://data-marking.mitre.org/extensions/MarkingStructure#TLP-1 "
	                     "https://jvndb.jvn.jp/schema/tlp_marking.xsd");
	kk_xmlw_attr(w, "xml:lang", lang);
}

static void related(struct kk_xmlw *w, const char *type, const char *name, const char *id, const char *title,
                    const char *url)
{
	kk_xmlw_open(w, "RelatedItem");
	kk_xmlw_attr(w, "type", type);
	kk_xmlw_leaf(w, "Name", name);
	kk_xmlw_leaf(w, "VulinfoID", id);
	kk_xmlw_leaf(w, "Title", title);
	kk_xmlw_leaf(w, "URL", url);
	kk_xmlw_close(w);
}

static void texts_of(struct kk_xmlw *w, const struct kk_vuln_view *v, const char *kind, const char *lang,
                     const char *item)
{
	const char *pick = kk_vuln_view_text(v, kind, lang);
	if (!pick)
		return;
	const char *use = NULL; /* the language of the chosen text: all its texts of this kind */
	for (size_t k = 0; k < v->rec.n_texts; k++)
		if (v->rec.texts[k].text == pick)
			use = v->rec.texts[k].lang;
	for (size_t k = 0; k < v->rec.n_texts; k++) {
		const struct kk_vuln_text *t = &v->rec.texts[k];
		if (strcmp(t->kind, kind) || strcmp(t->lang, use))
			continue;
		kk_xmlw_open(w, item);
		kk_xmlw_leaf(w, "Description", t->text);
		kk_xmlw_close(w);
	}
}

/* The version and update of a CPE 2.3 name ("2.0 beta9"), unescaped; NULL when the version is * or -. */
static const char *exact_version(const char *cpe23, char *out, size_t n)
{
	const char *f = cpe23;
	for (int k = 0; k < 5 && f; k++) { /* skip cpe, 2.3, part, vendor, product */
		while (*f && *f != ':')
			f += *f == '\\' && f[1] ? 2 : 1;
		f = *f ? f + 1 : NULL;
	}
	size_t o = 0;
	for (int field = 0; f && field < 2 && o + 2 < n; field++) {
		const char *start = f;
		size_t o0 = o;
		if (field)
			out[o++] = ' ';
		for (; *f && *f != ':' && o + 1 < n; f++) {
			if (*f == '\\' && f[1])
				f++;
			out[o++] = *f;
		}
		if ((f - start == 1 && (*start == '*' || *start == '-')) || f == start)
			o = o0; /* ANY or NA: nothing to show */
		if (!field && o == 0)
			return NULL;
		f = *f ? f + 1 : NULL;
	}
	out[o] = 0;
	return o ? out : NULL;
}

static void version_number(struct kk_xmlw *w, const struct kk_vuln_cpe *c)
{
	const char *b = c->start_incl ? c->start_incl : c->start_excl;
	const char *e = c->end_incl ? c->end_incl : c->end_excl;
	if (!b && !e) {
		char ver[256];
		if (exact_version(c->cpe23, ver, sizeof ver)) {
			kk_xmlw_open(w, "VersionNumber");
			kk_xmlw_attr(w, "operator", "eq");
			kk_xmlw_text(w, ver);
			kk_xmlw_close(w);
		}
		return;
	}
	kk_xmlw_open(w, "VersionNumber");
	if (b) {
		kk_xmlw_open(w, "RangeBegin");
		kk_xmlw_attr(w, "operator", c->start_incl ? "ge" : "gt");
		kk_xmlw_text(w, b);
		kk_xmlw_close(w);
	}
	if (e) {
		kk_xmlw_open(w, "RangeEnd");
		kk_xmlw_attr(w, "operator", c->end_incl ? "le" : "lt");
		kk_xmlw_text(w, e);
		kk_xmlw_close(w);
	}
	kk_xmlw_close(w);
}

/*
 * The language of the JVN items to write: lang when the record has items
 * in it, else the first language it has; NULL when it has none (not from JVN).
 */
static const char *jvn_lang(const struct kk_vuln_rec *r, const char *lang)
{
	const char *first = NULL;
	for (size_t k = 0; k < r->n_jvn; k++) {
		if (lang && r->jvn[k].lang && !strcmp(r->jvn[k].lang, lang))
			return lang;
		if (!first)
			first = r->jvn[k].lang;
	}
	return first;
}

/* The JVN items of kind in language jl, one by one: for (k = 0; (it = jvn_next(r, kind, jl, &k));) */
static const struct kk_vuln_jvn_item *jvn_next(const struct kk_vuln_rec *r, const char *kind, const char *jl,
                                                size_t *k)
{
	for (; jl && *k < r->n_jvn; ++*k) {
		const struct kk_vuln_jvn_item *it = &r->jvn[*k];
		if (!strcmp(it->kind, kind) && it->lang && !strcmp(it->lang, jl)) {
			++*k;
			return it;
		}
	}
	return NULL;
}

/* JVN's AffectedItem as JVN wrote it: names, CPE, its VersionNumber lines. */
static void jvn_affected_item(struct kk_xmlw *w, const struct kk_vuln_jvn_item *it)
{
	kk_xmlw_open(w, "AffectedItem");
	kk_xmlw_leaf(w, "Name", it->a ? it->a : "");
	kk_xmlw_leaf(w, "ProductName", it->b ? it->b : "");
	if (it->c) {
		kk_xmlw_open(w, "Cpe");
		kk_xmlw_attr(w, "version", "2.2");
		kk_xmlw_text(w, it->c);
		kk_xmlw_close(w);
	}
	for (const char *l = it->d; l && *l;) {
		size_t n = strcspn(l, "\n");
		const char *tab = memchr(l, '\t', n);
		char buf[1024];
		snprintf(buf, sizeof buf, "%.*s", (int)(tab ? n - (size_t)(tab + 1 - l) : n), tab ? tab + 1 : l);
		kk_xmlw_open(w, "VersionNumber");
		if (tab) {
			char op[16];
			snprintf(op, sizeof op, "%.*s", (int)(tab - l), l);
			kk_xmlw_attr(w, "operator", op);
		}
		kk_xmlw_text(w, buf);
		kk_xmlw_close(w);
		l += n + (l[n] != 0);
	}
	kk_xmlw_close(w);
}

/* Whether JVN's items (language jl) already name the product of CPE row c. */
static bool jvn_names_cpe(const struct kk_vuln_rec *r, const char *jl, const struct kk_vuln_cpe *c)
{
	char uri[1200];
	if (!jl || !kk_jvnxml_cpe_uri(c->cpe23, false, uri, sizeof uri))
		return false;
	const struct kk_vuln_jvn_item *it;
	for (size_t k = 0; (it = jvn_next(r, "affected", jl, &k));)
		if (it->c && !strcasecmp(it->c, uri))
			return true;
	return false;
}

static void affected(struct kk_xmlw *w, const struct kk_vuln_rec *r, const char *jl)
{
	bool any = false;
	const struct kk_vuln_jvn_item *it;
	for (size_t k = 0; (it = jvn_next(r, "affected", jl, &k));) {
		if (!any)
			kk_xmlw_open(w, "Affected");
		any = true;
		jvn_affected_item(w, it);
	}
	for (size_t k = 0; k < r->n_cpes;) {
		const struct kk_vuln_cpe *c = &r->cpes[k];
		size_t j = k + 1;
		for (; j < r->n_cpes && !strcmp(r->cpes[j].vendor, c->vendor) &&
		       !strcmp(r->cpes[j].product ? r->cpes[j].product : "", c->product ? c->product : "");
		     j++)
			;
		if (jvn_names_cpe(r, jl, c)) { /* JVN's own item above says it as JVN does */
			k = j;
			continue;
		}
		if (!any)
			kk_xmlw_open(w, "Affected");
		any = true;
		char uri[1200];
		kk_xmlw_open(w, "AffectedItem");
		char vn[256], pn[256];
		kk_xmlw_leaf(w, "Name", cpe_name(c->vendor, vn, sizeof vn));
		kk_xmlw_leaf(w, "ProductName", cpe_name(c->product, pn, sizeof pn));
		if (kk_jvnxml_cpe_uri(c->cpe23, false, uri, sizeof uri)) {
			kk_xmlw_open(w, "Cpe");
			kk_xmlw_attr(w, "version", "2.2");
			kk_xmlw_text(w, uri);
			kk_xmlw_close(w);
		}
		for (size_t i = k; i < j; i++)
			version_number(w, &r->cpes[i]);
		kk_xmlw_close(w);
		k = j;
	}
	if (any)
		kk_xmlw_close(w);
}

static void impact(struct kk_xmlw *w, const struct kk_vuln_view *v, const char *jl)
{
	const struct kk_vuln_rec *r = &v->rec;
	bool any = false;
	for (size_t k = 0; k < r->n_cvss; k++)
		any |= r->cvss[k].score >= 0;
	size_t at = 0;
	if (!any && !jvn_next(r, "impact", jl, &at))
		return;
	kk_xmlw_open(w, "Impact");
	const char *done_version = NULL;
	for (size_t k = 0; k < r->n_cvss; k++) {
		const struct kk_vuln_cvss *c = &r->cvss[k];
		if (c->score < 0 || (done_version && !strcmp(done_version, c->version)))
			continue;
		done_version = c->version;
		char score[16];
		snprintf(score, sizeof score, "%.1f", c->score);
		kk_xmlw_open(w, "Cvss");
		kk_xmlw_attr(w, "version", c->version);
		kk_xmlw_open(w, "Severity");
		kk_xmlw_attr(w, "type", "Base");
		kk_xmlw_text(w, severity_word(c->severity));
		kk_xmlw_close(w);
		kk_xmlw_leaf(w, "Base", score);
		kk_xmlw_leaf(w, "Vector", c->vector);
		kk_xmlw_close(w);
	}
	/* JVN's impact texts; VULDEF requires an ImpactItem, empty when no source states one */
	const struct kk_vuln_jvn_item *it;
	bool texts = false;
	for (size_t k = 0; (it = jvn_next(r, "impact", jl, &k));) {
		kk_xmlw_open(w, "ImpactItem");
		kk_xmlw_leaf(w, "Description", it->b);
		kk_xmlw_close(w);
		texts = true;
	}
	if (!texts) {
		kk_xmlw_open(w, "ImpactItem");
		kk_xmlw_leaf(w, "Description", "");
		kk_xmlw_close(w);
	}
	kk_xmlw_close(w);
}

static void vuldef_ref(struct kk_xmlw *w, const struct ref *f)
{
	if (f->kind == REF_CVE)
		related(w, "advisory", "Common Vulnerabilities and Exposures (CVE)", f->id, NULL, f->url);
	else if (f->kind == REF_CWE)
		related(w, "cwe", "CWE", f->id, f->name, f->url);
	else
		related(w, f->type && (!strcmp(f->type, "vendor") || strstr(f->type, "Vendor Advisory")) ? "vendor" : "advisory",
		        f->type, NULL, NULL, f->url);
}

static void related_all(struct kk_xmlw *w, const struct kk_vuln_view *v, const char *url, const char *jl)
{
	kk_xmlw_open(w, "Related");
	related(w, "advisory", "keikai", v->jvndb, NULL, url);
	/* JVN's related items as JVN wrote them (names, ids, titles), then the other sources' references */
	const struct kk_vuln_jvn_item *it;
	size_t nj = 0;
	for (size_t k = 0; (it = jvn_next(&v->rec, "related", jl, &k));) {
		related(w, it->a ? it->a : "advisory", it->b, it->c, it->d, it->e);
		nj++;
	}
	if (!nj) {
		each_reference(v, url, vuldef_ref, w);
	} else {
		/* references no JVN item carries (another source's links, CVE records) */
		struct kk_vuln_view rest = *v;
		struct kk_vuln_ref *keep = kk_arena_alloc(v->rec.arena, (v->rec.n_refs + 1) * sizeof *keep);
		size_t n = 0;
		for (size_t k = 0; keep && k < v->rec.n_refs; k++) {
			bool dup = false;
			for (size_t j = 0; (it = jvn_next(&v->rec, "related", jl, &j)) && !dup;)
				dup = it->e && !strcmp(it->e, v->rec.refs[k].url);
			if (!dup)
				keep[n++] = v->rec.refs[k];
		}
		rest.rec.refs = keep;
		rest.rec.n_refs = keep ? n : 0;
		rest.rec.n_cwes = 0; /* JVN's CWE items stand for them */
		each_reference(&rest, url, vuldef_ref, w);
	}
	kk_xmlw_close(w);
}

void kk_vuldef_vulinfo(struct kk_xmlw *w, const struct kk_vuln_view *v, const char *url, const char *lang)
{
	kk_xmlw_open(w, "Vulinfo");
	kk_xmlw_leaf(w, "VulinfoID", v->jvndb);
	kk_xmlw_open(w, "VulinfoData");
	kk_xmlw_leaf(w, "Title", kk_vuln_view_title(v, lang));
	const char *overview = kk_vuln_view_text(v, "overview", lang);
	if (!overview)
		overview = kk_vuln_view_text(v, "description", lang);
	if (overview) {
		kk_xmlw_open(w, "VulinfoDescription");
		kk_xmlw_leaf(w, "Overview", overview);
		const char *detail = kk_vuln_view_text(v, "description", lang);
		if (detail && detail != overview)
			kk_xmlw_leaf(w, "Detail", detail);
		kk_xmlw_close(w);
	}
	const char *jl = jvn_lang(&v->rec, lang);
	affected(w, &v->rec, jl);
	impact(w, v, jl);
	if (kk_vuln_view_text(v, "solution", lang) || kk_vuln_view_text(v, "workaround", lang)) {
		kk_xmlw_open(w, "Solution");
		texts_of(w, v, "solution", lang, "SolutionItem");
		texts_of(w, v, "workaround", lang, "SolutionItem");
		kk_xmlw_close(w);
	}
	related_all(w, v, url, jl);
	const struct kk_vuln_jvn_item *it;
	size_t at = 0;
	if (jvn_next(&v->rec, "history", jl, &at)) { /* JVN's history as JVN wrote it */
		kk_xmlw_open(w, "History");
		for (size_t k = 0; (it = jvn_next(&v->rec, "history", jl, &k));) {
			kk_xmlw_open(w, "HistoryItem");
			kk_xmlw_leaf(w, "HistoryNo", it->a);
			leaf_time(w, "DateTime", it->t);
			kk_xmlw_leaf(w, "Description", it->b);
			kk_xmlw_close(w);
		}
		kk_xmlw_close(w);
	} else if (v->n_history) {
		kk_xmlw_open(w, "History");
		for (size_t k = 0; k < v->n_history; k++) {
			char no[24];
			snprintf(no, sizeof no, "%zu", k + 1);
			kk_xmlw_open(w, "HistoryItem");
			kk_xmlw_leaf(w, "HistoryNo", no);
			leaf_time(w, "DateTime", v->history[k].at);
			char what[512];
			snprintf(what, sizeof what, "%s (%s)", v->history[k].what ? v->history[k].what : "",
			         v->history[k].source ? v->history[k].source : "");
			kk_xmlw_leaf(w, "Description", what);
			kk_xmlw_close(w);
		}
		kk_xmlw_close(w);
	}
	/* JVN's own 登録日 when the record came from JVN; the merged dates otherwise */
	at = 0;
	it = jvn_next(&v->rec, "dates", jl, &at);
	leaf_time(w, "DateFirstPublished",
	          it && it->t2 ? it->t2 : v->first_published ? v->first_published : v->published);
	leaf_time(w, "DateLastUpdated", v->modified);
	leaf_time(w, "DatePublic", v->public_date);
	kk_xmlw_close(w);
	kk_xmlw_close(w);
}

void kk_vuldef_end_records(struct kk_xmlw *w)
{
	handling(w);
}

void kk_vuldef_end(struct kk_xmlw *w)
{
	kk_xmlw_close(w);
}

/* ---- status:Status ---- */

static void attr_long(struct kk_xmlw *w, const char *name, long v)
{
	if (v < 0)
		kk_xmlw_attr(w, name, "");
	else
		kk_xmlw_attr_int(w, name, v);
}

void kk_myjvn_status_write(struct kk_xmlw *w, const struct kk_myjvn_status *st)
{
	kk_xmlw_open(w, "status:Status");
	kk_xmlw_attr(w, "version", "3.3");
	kk_xmlw_attr(w, "method", st->method);
	kk_xmlw_attr(w, "lang", st->lang);
	kk_xmlw_attr_int(w, "retCd", st->ret_cd);
	attr_long(w, "retMax", st->ret_max);
	if (st->ret_max_cnt >= 0)
		kk_xmlw_attr_int(w, "retMaxCnt", st->ret_max_cnt);
	kk_xmlw_attr(w, "errCd", st->err_cd ? st->err_cd : "");
	kk_xmlw_attr(w, "errMsg", st->err_msg ? st->err_msg : "");
	attr_long(w, "totalRes", st->total_res);
	attr_long(w, "totalResRet", st->total_res_ret);
	attr_long(w, "firstRes", st->first_res);
	for (int k = 0; k < st->nparams; k++)
		kk_xmlw_attr(w, st->params[k].name, st->params[k].value);
	kk_xmlw_close(w);
}

/* ---- Atom 1.0 ---- */

void kk_atom_begin(struct kk_xmlw *w, const struct kk_atom_feed *f)
{
	kk_xmlw_open(w, "feed");
	kk_xmlw_attr(w, "xmlns", "http://www.w3.org/2005/Atom");
	kk_xmlw_attr(w, "xml:lang", f->lang);
	kk_xmlw_leaf(w, "id", f->id);
	kk_xmlw_leaf(w, "title", f->title);
	char s[40];
	kk_time_w3c_jst(f->updated, s, sizeof s);
	kk_xmlw_leaf(w, "updated", s);
	kk_xmlw_open(w, "author");
	kk_xmlw_leaf(w, "name", "keikai");
	kk_xmlw_close(w);
	kk_xmlw_open(w, "link");
	kk_xmlw_attr(w, "rel", "self");
	kk_xmlw_attr(w, "type", "application/atom+xml");
	kk_xmlw_attr(w, "href", f->self);
	kk_xmlw_close(w);
	kk_xmlw_open(w, "link");
	kk_xmlw_attr(w, "rel", "alternate");
	kk_xmlw_attr(w, "type", "text/html");
	kk_xmlw_attr(w, "href", f->alternate);
	kk_xmlw_close(w);
}

void kk_atom_entry(struct kk_xmlw *w, const struct kk_vuln_view *v, const char *url, const char *lang)
{
	kk_xmlw_open(w, "entry");
	char id[64];
	snprintf(id, sizeof id, "urn:jvndb:%s", v->jvndb);
	kk_xmlw_leaf(w, "id", id);
	kk_xmlw_leaf(w, "title", kk_vuln_view_title(v, lang));
	kk_xmlw_open(w, "link");
	kk_xmlw_attr(w, "rel", "alternate");
	kk_xmlw_attr(w, "type", "text/html");
	kk_xmlw_attr(w, "href", url);
	kk_xmlw_close(w);
	char s[40];
	kk_time_w3c_jst(v->modified ? v->modified : v->published, s, sizeof s);
	kk_xmlw_leaf(w, "updated", s);
	leaf_time(w, "published", v->first_published ? v->first_published : v->published);
	const char *summary = kk_vuln_view_text(v, "overview", lang);
	if (summary) {
		kk_xmlw_open(w, "summary");
		kk_xmlw_attr(w, "type", "text");
		kk_xmlw_text(w, summary);
		kk_xmlw_close(w);
	}
	for (size_t k = 0; k < v->rec.n_cwes; k++) {
		char term[24];
		snprintf(term, sizeof term, "CWE-%d", v->cwe_names[k].id);
		kk_xmlw_open(w, "category");
		kk_xmlw_attr(w, "term", term);
		kk_xmlw_attr(w, "scheme", "https://cwe.mitre.org/");
		kk_xmlw_attr(w, "label", v->cwe_names[k].name);
		kk_xmlw_close(w);
	}
	if (v->has_score) {
		kk_xmlw_open(w, "category");
		kk_xmlw_attr(w, "term", kk_search_severity_name(v->severity));
		kk_xmlw_attr(w, "scheme", "urn:keikai:severity");
		kk_xmlw_close(w);
	}
	kk_xmlw_close(w);
}

void kk_atom_end(struct kk_xmlw *w)
{
	kk_xmlw_close(w);
}

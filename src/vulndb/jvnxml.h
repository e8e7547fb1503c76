/*
 * jvnxml.h — keikai's records as the XML JVN and MyJVN publish: JVNRSS 3.2
 * (RSS 1.0 with the sec: module, mod_sec 3.0), VULDEF 3.2 (vuldef:Vulinfo),
 * the MyJVN status:Status element (status 3.3), and Atom 1.0 entries. The
 * output validates against the official XSDs (../shared/data/jvn-myjvn-api/
 * schemas/hnd; tests/t/t1200-*, t1210-*).
 *
 * A record is first loaded from the database into a struct kk_vuln_view
 * (every string lives in the arena given to kk_vuln_view_load; nothing is
 * freed on its own), then written with the writers below into a struct
 * kk_xmlw (xmlw.h). RSS 1.0 lists every item's URL in the channel before
 * the items, so a document is written in three steps:
 *
 *   kk_jvnrss_begin(&w, &channel, urls, n);     // rdf:RDF, channel, items/rdf:Seq
 *   for each record: kk_jvnrss_item(&w, &view, urls[i], lang);
 *   kk_myjvn_status_write(&w, &status);          // only for MyJVN answers
 *   kk_jvnrss_end(&w);                           // </rdf:RDF>
 *
 * VULDEF likewise: kk_vuldef_begin, kk_vuldef_vulinfo per record,
 * kk_vuldef_end_records (sec:handling), optional status, kk_vuldef_end.
 *
 * Texts are chosen by language: the record's text in `lang` when it has
 * one, else in another language (JVN's Japanese record may have no English
 * title, NVD's no Japanese one). Times are written as JVN writes them, in
 * JST with the offset ("2025-04-04T14:45:58+09:00").
 */
#ifndef KK_VULNDB_JVNXML_H
#define KK_VULNDB_JVNXML_H
#include "base/arena.h"
#include "base/err.h"
#include "vulndb/record.h"
#include "vulndb/xmlw.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kk_db;

struct kk_vuln_event {
	int64_t at;
	const char *source, *what; /* "nvd:CVE-2021-44228", "created" */
};

struct kk_vuln_cwe_name {
	int id;
	const char *name; /* MITRE's English name, or NULL when the catalog is not loaded */
};

/*
 * One stored vulnerability, merged over its sources. rec holds the aliases,
 * texts, CVSS entries, CWE ids, CPE rows (one per distinct cpe23) and
 * references (one per distinct URL); rec.source_id is the JVNDB id.
 */
struct kk_vuln_view {
	int64_t id;
	const char *jvndb;
	int64_t published, modified, first_published, public_date;
	bool withdrawn, has_score;
	double score;
	int severity; /* 0 none .. 4 critical */
	struct kk_vuln_rec rec;
	struct kk_vuln_cwe_name *cwe_names; /* n = rec.n_cwes, same order */
	struct kk_vuln_event *history;      /* KK_VIEW_FULL only, oldest first */
	size_t n_history;
};

enum kk_view_flags {
	KK_VIEW_SUMMARY = 0, /* what an RSS item / overview needs: no solutions, descriptions, history */
	KK_VIEW_FULL = 1,    /* everything VULDEF carries */
};

/* Loads vulnerability id. 0, KK_ENOTFOUND, KK_ENOMEM, KK_EDB. */
int kk_vuln_view_load(struct kk_db *db, int64_t id, int flags, struct kk_arena *a, struct kk_vuln_view *v);
/*
 * Loads n records at once into views[0..n) (a page of a list: a few
 * statements per 50 records instead of eight per record). A view whose id
 * is not in the database has jvndb NULL. 0, KK_ENOMEM, KK_EDB.
 */
int kk_vuln_views_load(struct kk_db *db, const int64_t *ids, size_t n, int flags, struct kk_arena *a,
                       struct kk_vuln_view *views);
/* The text of kind in lang, else in any language; NULL when the record has none. */
const char *kk_vuln_view_text(const struct kk_vuln_view *v, const char *kind, const char *lang);

/* The title to show: the title text (as above), else the first CVE id, else the JVNDB id. Never NULL. */
const char *kk_vuln_view_title(const struct kk_vuln_view *v, const char *lang);

/*
 * The CPE 2.2 URI ("cpe:/a:vendor:product") of a CPE 2.3 name, its version
 * and later parts dropped unless keep_version: out, or NULL when cpe23 is not
 * a CPE name or does not fit in cap bytes.
 */
const char *kk_jvnxml_cpe_uri(const char *cpe23, bool keep_version, char *out, size_t cap);

/* t as "2025-04-04T14:45:58+09:00" into out (>= 26 bytes). */
void kk_time_w3c_jst(int64_t t, char *out, size_t n);

/* dc:creator of an item: the body that publishes the database (as JVN iPedia's items name IPA) */
#define KK_JVNXML_CREATOR "keikai vulnerability database"

/* --- JVNRSS 3.2 --- */
struct kk_jvnrss_channel {
	const char *about;       /* rdf:about of the channel: the URL of this document */
	const char *title, *link, *description;
	const char *lang;        /* xml:lang of the document: "ja" or "en" */
	int64_t date;            /* dc:date and dcterms:modified (0: omitted) */
	bool myjvn;              /* declare the status: namespace (MyJVN answers) */
};
void kk_jvnrss_begin(struct kk_xmlw *w, const struct kk_jvnrss_channel *ch, const char *const *urls, size_t n);
/* One rss:item: title, link, description, sec:identifier, references, cpe, cvss, dates. */
void kk_jvnrss_item(struct kk_xmlw *w, const struct kk_vuln_view *v, const char *url, const char *lang);
void kk_jvnrss_end(struct kk_xmlw *w);

/* --- VULDEF 3.2 --- */
/* VULDEF-Document with its namespaces (myjvn: also status:). */
void kk_vuldef_begin(struct kk_xmlw *w, const char *lang, bool myjvn);
/* One Vulinfo from a KK_VIEW_FULL view; url is the record's page (a JVNDB RelatedItem). */
void kk_vuldef_vulinfo(struct kk_xmlw *w, const struct kk_vuln_view *v, const char *url, const char *lang);
/* sec:handling (TLP WHITE), after the last Vulinfo. */
void kk_vuldef_end_records(struct kk_xmlw *w);
void kk_vuldef_end(struct kk_xmlw *w);

/* --- MyJVN status:Status (status_3.3.xsd) --- */
#define KK_MYJVN_STATUS_PARAMS 48
struct kk_myjvn_status {
	const char *method; /* getVulnOverviewList ... (schema enumeration) */
	const char *lang;
	int ret_cd;         /* 0 success, 1 failure */
	long ret_max;       /* the method's item limit; < 0 writes "" (errors) */
	const char *err_cd, *err_msg; /* "" on success */
	long total_res, total_res_ret, first_res; /* < 0 writes "" */
	long ret_max_cnt;   /* getStatistics: the largest count; < 0 omitted */
	/* the request's parameters echoed back as attributes (names from the schema) */
	int nparams;
	struct {
		const char *name, *value;
	} params[KK_MYJVN_STATUS_PARAMS];
};
void kk_myjvn_status_write(struct kk_xmlw *w, const struct kk_myjvn_status *st);

/* --- Atom 1.0 (RFC 4287) --- */
struct kk_atom_feed {
	const char *id, *title, *self, *alternate, *lang;
	int64_t updated;
};
void kk_atom_begin(struct kk_xmlw *w, const struct kk_atom_feed *f);
/* One entry: id (urn of the JVNDB id), title, link, updated, published, summary, categories. */
void kk_atom_entry(struct kk_xmlw *w, const struct kk_vuln_view *v, const char *url, const char *lang);
void kk_atom_end(struct kk_xmlw *w);

#endif

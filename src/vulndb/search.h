/*
 * search.h — keyword search over the vulnerability database, in Japanese
 * and English (SQLite FTS5, table vuln_fts of schema 0006-search.sql).
 *
 * Why bigrams on unicode61 and not the trigram tokenizer: Japanese has no
 * spaces and many words are two characters (認証, 暗号); a trigram index
 * cannot match a two-character term, and a LIKE fallback scans every row.
 * So text is normalized (fold.h: utf8proc NFKC + case fold: ＡＢＣ = abc,
 * ｱ = ア) and every run of CJK characters (Han, kana, Hangul) is written as
 * its overlapping bigrams followed by its last character ("暗号化" ->
 * "暗号 号化 化"). The same expansion of a query term is an FTS5 phrase:
 * a two-or-more-character run is its bigrams in sequence, a lone character
 * a prefix query ("鍵" -> 鍵*, which matches any bigram starting with it or
 * the final character of a run). Index lookups only, no table scans.
 *
 * Query language (kk_search_query.q): terms separated by spaces are ANDed;
 * "a quoted phrase" is one term; -term excludes records holding term.
 * Every term is matched as a phrase of its tokens (CVE-2021-44228 matches
 * the id). Values reach SQL only as bound parameters: the WHERE clause is
 * assembled from fixed fragments.
 *
 * Execution: the full-text index gives the matching ids only; the dates,
 * scores, severities and CVSS vectors every other filter, the counts and
 * the order need come from per-process record cards in memory (cards.h),
 * kept current from a change log, and child-table filters (CWE, vendor,
 * product, CPE, purl, KEV, source) from their indexes as id bitmaps. Only
 * the page's records are read from the tables. So a query matching half of
 * 300,000 records costs one pass over its ids, not a join per match.
 *
 * Index maintenance: `keikai import` indexes the records it creates in the
 * same transaction (kk_search_index_new, from text normalized on the parser
 * thread); kk_search_reindex(db, id) rewrites one record's row (call it
 * inside the writer's transaction); kk_search_reindex_stale
 * re-indexes every record whose sources (their content hashes) changed
 * since it was indexed — `keikai import` runs it after importing;
 * kk_search_reindex_all rebuilds everything.
 */
#ifndef KK_VULNDB_SEARCH_H
#define KK_VULNDB_SEARCH_H
#include "base/err.h"
#include "base/json.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kk_db;

#define KK_SEARCH_LIMIT_MAX 1000
#define KK_SEARCH_CURSOR_MAX 96
#define KK_SEARCH_YEARS_MAX 64

enum kk_search_sort {
	KK_SORT_PUBLISHED, /* newest published first (default) */
	KK_SORT_MODIFIED,  /* newest modification first */
	KK_SORT_SCORE,     /* highest score first, unscored last */
	KK_SORT_RELEVANCE, /* best bm25 first; without terms: as published */
	KK_SORT_OLDEST,    /* oldest published first (the NVD API's order) */
};
/* "published"/"date", "modified"/"updated", "score", "relevance": 0 and *out, or KK_EINVAL. */
int kk_search_sort_parse(const char *s, enum kk_search_sort *out);
/*
 * Rejected and withdrawn records (vuln.status, schema 0025: a CVE its
 * authority rejected, an OSV entry withdrawn) are left out of every search
 * by default, and so of everything built on one (lists, feeds, MyJVN
 * overviews, exports); counts and facets count what is listed.
 */
enum kk_search_withdrawn {
	KK_WITHDRAWN_EXCLUDE, /* default */
	KK_WITHDRAWN_INCLUDE, /* with the others, flagged in each hit */
	KK_WITHDRAWN_ONLY,    /* only them */
};
/* "exclude", "include", "only": 0 and *out, or KK_EINVAL. */
int kk_search_withdrawn_parse(const char *s, enum kk_search_withdrawn *out);

/* "none".."critical" for 0..4 */
const char *kk_search_severity_name(int sev);

/* Every filter is off when zero/NULL. Strings belong to the caller. */
struct kk_search_query {
	const char *q;          /* query text (see the top) */
	unsigned severity_mask; /* bit 1<<s for severity s (0 none .. 4 critical) */
	bool has_score_min, has_score_max;
	double score_min, score_max;
	int cwe; /* CWE number */
	const char *vendor, *product, *source, *cvss_version;
	int64_t published_from, published_to, updated_from, updated_to; /* epoch seconds, inclusive */
	int64_t public_from, public_to;                                 /* when it became public */
	const char *vector; /* CVSS components all in one vector: "AV:N" or "AV:N/PR:N" (up to 12) */
	/*
	 * vendor / product (above) match the dictionary (dict.h): a CPE value,
	 * a purl namespace/name or a Japanese or English name of the vendor /
	 * product; records whose vulnerable products are among them.
	 * cpe / purl: records affecting that product, and with a version only
	 * those whose ranges include it (affected.h). kev: listed in CISA KEV.
	 */
	const char *cpe, *purl;
	bool kev;
	enum kk_search_withdrawn withdrawn; /* rejected / withdrawn records: left out unless asked */
	bool no_facets; /* skip total and facets (res->total = -1): for walking every page (export) */
	/*
	 * For the NVD- and OSV-compatible APIs (vulndb/nvdapi.h):
	 * ids: only records among ids[0..nids) (when ids is not NULL; none when nids is 0);
	 * cve_only: records with a CVE id; sev_cvss / sev: records one of whose CVSS
	 * scores of major version sev_cvss (2, 3 or 4) has severity sev (1 low .. 4 critical);
	 * offset: skip that many records of the ordered result (NVD's startIndex).
	 */
	const int64_t *ids;
	size_t nids;
	bool cve_only;
	int sev_cvss, sev;
	long offset;
	enum kk_search_sort sort;
	int limit;          /* 1..KK_SEARCH_LIMIT_MAX; 0 means 50 */
	const char *cursor; /* next_cursor of the previous page, or NULL */
	const char *lang;   /* preferred language of titles: "ja" or "en" */
};

/* One result row; strings valid only during the callback. */
struct kk_search_hit {
	int64_t id;
	const char *jvndb;
	const char *aliases; /* space-separated, sorted */
	const char *title;   /* in q->lang when there is one, else another language; a long text is cut */
	bool has_score;
	double score;
	int severity;
	int64_t published, modified;
	bool withdrawn;               /* rejected or withdrawn (only with KK_WITHDRAWN_INCLUDE / ONLY) */
	const char *status;           /* "published", "rejected" or "withdrawn" */
	int64_t withdrawn_at;         /* when, 0 when not stated */
	const char *withdrawn_reason; /* why, "" when not stated */
};

struct kk_search_result {
	long total; /* matching records (all pages) */
	long severity[5];
	int nyears; /* facet by year published, newest first; year 0 = not stated */
	struct {
		int year;
		long count;
	} years[KK_SEARCH_YEARS_MAX];
	char next_cursor[KK_SEARCH_CURSOR_MAX]; /* "" on the last page */
};

/*
 * Runs q: row(arg, hit) for each record of this page (a negative return
 * stops and is returned), then fills res. Errors: KK_EINVAL with d naming
 * the field (query, cursor) and the fix; KK_EDB.
 */
int kk_search_run(struct kk_db *db, const struct kk_search_query *q,
                  int (*row)(void *arg, const struct kk_search_hit *hit), void *arg,
                  struct kk_search_result *res, struct kk_diag *d);

/*
 * {"id","aliases":[..],"title","score","severity","published","modified","withdrawn","status"}: one item
 * of a result list; a rejected or withdrawn one adds "withdrawn_at" and "withdrawn_reason" (null when
 * not stated).
 */
void kk_search_hit_json(struct kk_json *j, const struct kk_search_hit *h);

struct kk_vuln_rec;
struct kk_arena;

/* A parsed record's index text, normalized (vulndb/record.h): built before its transaction. */
struct kk_search_doc {
	const char *ids, *title, *body, *products; /* one line per source row; NULL when none */
};

/* Builds doc from rec in arena a (the JVNDB id is added when the record is stored). 0 or KK_ENOMEM. */
int kk_search_doc_build(const struct kk_vuln_rec *rec, struct kk_arena *a, struct kk_search_doc *doc);

/* A record kk_vuln_upsert has just created from one source, with its doc and that source's hash. */
struct kk_search_new {
	int64_t vuln_id;
	const char *jvndb;
	const struct kk_search_doc *doc;
	const unsigned char *hash; /* 16 bytes */
};

/*
 * Indexes n new records inside the caller's transaction, without reading
 * them back; call it after the transaction's other writes (search.c says
 * why). Records that joined or changed are left to kk_search_reindex_stale.
 */
int kk_search_index_new(struct kk_db *db, const struct kk_search_new *v, size_t n);

/* Rewrites the index row of vulnerability id (no transaction of its own). */
int kk_search_reindex(struct kk_db *db, int64_t vuln_id);
/* Re-indexes records never indexed or whose sources changed since; *n (may be NULL) counts them. */
int kk_search_reindex_stale(struct kk_db *db, long *n);
/* Drops the index and indexes every record again. */
int kk_search_reindex_all(struct kk_db *db, long *n);

/*
 * Finds a record by its id, a CVE id or any alias, else by an id it was
 * known by before it was renumbered (vulndb/ids.h; exact, then upper-cased):
 * 0 with *vuln_id, or KK_ENOTFOUND. kk_search_resolve also says whether id
 * was a former id (*former may be NULL), so a page can redirect.
 */
int kk_search_find(struct kk_db *db, const char *id, int64_t *vuln_id);
int kk_search_resolve(struct kk_db *db, const char *id, int64_t *vuln_id, bool *former);
/*
 * Writes the full record as one JSON object: jvndb, aliases, published,
 * modified, first_published, public_date, score, severity, withdrawn,
 * status ("published", "rejected", "withdrawn"), withdrawn_at, withdrawn_reason,
 * texts {lang: {kind: [..]}}, cvss [..], cwes [..], cpe [..], packages [..],
 * references [..], sources [..], history [..], kev [..] (CISA KEV entries
 * of its CVE ids: cve, date_added, due_date, known_ransomware_campaign_use,
 * ...). *modified (may be NULL)
 * receives the record's modification time for caching.
 */
int kk_search_record_json(struct kk_db *db, int64_t vuln_id, struct kk_json *j, int64_t *modified);

#endif

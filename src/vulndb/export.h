/*
 * export.h — `keikai export`: every record a search selects (all pages,
 * not one), streamed one per line to a FILE in one of three forms:
 *
 *   jsonl  the record as GET /api/v1/vulns/{id} answers it (search.h
 *          kk_search_record_json), one object per line;
 *   cve5   a CVE JSON 5.1 record (CVE Record Format 5.1.1) per record that
 *          has a CVE id (others are counted in *skipped): cveMetadata from
 *          the record's dates, a CNA container with descriptions, title,
 *          affected products (CPE rows grouped by vendor:product with their
 *          versions and ranges; packages with collectionURL/packageName),
 *          problem types (CWE), CVSS metrics and references. A withdrawn
 *          record becomes a REJECTED record. The container's provider and
 *          the assigner are org_id (a UUID), since keikai re-publishes what
 *          its sources said. CVE 5 has no exclusive lower bound: a range
 *          "starting after V" is written from V.
 *   osv    an OSV record (schema 1.6): id "x_" + the JVNDB id (JVN is not a
 *          registered OSV home database, x_ is OSV's prefix for others),
 *          aliases, summary, details, severity (CVSS vectors), affected
 *          packages with their SEMVER/ECOSYSTEM ranges and listed versions,
 *          references with OSV types. CPE-only products have no OSV form
 *          and GIT ranges need a repository keikai does not keep: both are
 *          left out.
 *
 * Search filters apply as in kk_search_run; the order is the query's sort.
 * Output is written as it is produced (a page of 1000 records at a time).
 */
#ifndef KK_VULNDB_EXPORT_H
#define KK_VULNDB_EXPORT_H
#include "base/err.h"
#include "vulndb/search.h"
#include <stdio.h>

struct kk_db;

enum kk_export_format { KK_EXPORT_JSONL, KK_EXPORT_CVE5, KK_EXPORT_OSV };

/* "jsonl", "cve5", "osv" -> *out; KK_EINVAL otherwise. */
int kk_export_format_parse(const char *s, enum kk_export_format *out);

struct kk_export_opts {
	enum kk_export_format format;
	const char *org_id; /* CVE 5: the provider/assigner UUID (NULL: KK_EXPORT_ORG_ID) */
	int page;           /* records per search page, 1..KK_SEARCH_LIMIT_MAX (0: the maximum) */
};
/* The nil-like version 4 UUID used when no org id is given. */
#define KK_EXPORT_ORG_ID "00000000-0000-4000-8000-000000000000"

/*
 * Writes every record q selects (q->limit, cursor and no_facets are taken
 * over) to out. *written and *skipped (records with no form in this
 * format) may be NULL. 0; KK_EINVAL with d (a bad filter or org id);
 * KK_EIO when out fails; KK_EDB; KK_ENOMEM.
 */
int kk_export_run(struct kk_db *db, const struct kk_search_query *q, const struct kk_export_opts *o, FILE *out,
                  long *written, long *skipped, struct kk_diag *d);

/*
 * One record as an OSV record (the form above) into j. osv_id: the id to
 * write (NULL: "x_" + the JVNDB id), left out of the aliases; src: a
 * vuln_source id of the record whose rows (texts, scores, packages,
 * references, dates, withdrawn) alone are written, or 0 for the whole
 * record. The OSV API (vulndb/osvapi.h) writes through it too.
 */
/* t as RFC 3339 UTC with a four-digit year ("0001-01-01T00:00:00Z" too), as CVE 5 and OSV write it. */
void kk_export_iso(int64_t t, char *out, size_t n);

struct kk_json;
int kk_export_osv_json(struct kk_db *db, int64_t vuln_id, const char *osv_id, int64_t src, struct kk_json *j);

#endif

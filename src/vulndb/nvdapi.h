/*
 * nvdapi.h — the vulnerability database as the NVD CVE API 2.0 answers
 * (GET /rest/json/cves/2.0, web/api_nvd.c), so NVD clients work against
 * keikai unchanged.
 *
 *   struct kk_nvd_arg args[] = {{"cveId", "CVE-2021-44228"}};
 *   struct kk_nvd_query nq;
 *   if (kk_nvd_parse(args, 1, &nq, &d) < 0)
 *           ... d.msg is NVD's kind of message (HTTP 404, `message` header) ...
 *   kk_nvd_run(db, &nq, &j, &d);   // the whole answer into j
 *
 * Parameters follow https://nvd.nist.gov/developers/vulnerabilities: every
 * name is case-sensitive and unknown names are an error, as at NVD. Dates
 * are extended ISO 8601 with seconds ("2021-08-04T13:00:00[.000][Z|±hh:mm]",
 * UTC when no zone is given); a date pair (pubStart/EndDate,
 * lastModStart/EndDate) needs both ends and spans at most 120 days.
 * resultsPerPage is 1..2000 (default 2000); startIndex 0 or more.
 * Results come oldest published first, as NVD orders them.
 *
 * A record is written from the rows of its NVD source for that CVE (else
 * its CVE 5 source, else all its rows), so the answer is NVD's record as
 * keikai imported it; docs/api.md lists what keikai does not keep
 * (sourceIdentifier, NVD's analysis status, matchCriteriaId, reference
 * sources, subscores).
 */
#ifndef KK_VULNDB_NVDAPI_H
#define KK_VULNDB_NVDAPI_H
#include "base/err.h"
#include "base/json.h"
#include "vulndb/search.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kk_db;

#define KK_NVD_PAGE_MAX 2000
#define KK_NVD_RANGE_DAYS 120

/* One query parameter as the request gave it (value "" for a flag such as noRejected). */
struct kk_nvd_arg {
	const char *name, *value;
};

/* A parsed request. Strings point into the args given to kk_nvd_parse. */
struct kk_nvd_query {
	struct kk_search_query q; /* keywords, cwe, kev, dates, severities, cpe, noRejected */
	const char *cve_id;       /* cveId */
	const char *virtual_match; /* virtualMatchString */
	const char *version_start, *version_end;
	bool start_incl, end_incl; /* versionStartType / versionEndType "including" */
	int per_page;              /* resultsPerPage */
	long start;                /* startIndex */
	char keywords[1100];       /* keywordSearch as a search query (q.q points here) */
};

/*
 * Reads n parameters into *out. 0; KK_EINVAL with d->msg (and d->where =
 * the parameter) saying what NVD would refuse and how to fix it.
 */
int kk_nvd_parse(const struct kk_nvd_arg *args, size_t n, struct kk_nvd_query *out, struct kk_diag *d);

/*
 * Writes the answer to nq: {resultsPerPage, startIndex, totalResults,
 * format "NVD_CVE", version "2.0", timestamp, vulnerabilities:[{cve}]}.
 * 0; KK_EINVAL with d (a bad cpeName / virtualMatchString); KK_EDB; KK_ENOMEM.
 */
int kk_nvd_run(struct kk_db *db, const struct kk_nvd_query *nq, struct kk_json *j, struct kk_diag *d);

/*
 * One record as an NVD API 2.0 "cve" object (the value of
 * vulnerabilities[].cve). cve_id names the CVE to answer for (NULL: the
 * record's NVD CVE, else its first CVE id). 1 when written, 0 when the
 * record has no CVE id (nothing written), or a negative KK_E*.
 */
int kk_nvd_cve_json(struct kk_db *db, int64_t vuln_id, const char *cve_id, struct kk_json *j);

#endif

/*
 * osvapi.h — the vulnerability database as the OSV API answers
 * (https://google.github.io/osv.dev/api/; web/api_osv.c): one record by
 * id, the records affecting a package version or a commit, and many such
 * questions at once (ids only).
 *
 * A record is written by export.h's OSV writer. When the record came from
 * an OSV source (GO-, GHSA-, RUSTSEC-...) it is written under that id from
 * that source's rows alone, so GET /v1/vulns/GO-2022-0001 gives back the
 * Go record as keikai imported it; otherwise under the id asked for (a CVE
 * id, an alias) from all the record's rows. docs/api.md lists what keikai
 * does not keep.
 *
 * Query semantics: {"package":{"ecosystem","name"} or {"purl"}, "version"}
 * is search.h's purl= question (the ecosystem's version order, OSV ranges
 * and listed versions, affected.h); without a version every record of the
 * package. {"commit"}: records with a GIT range whose introduced or
 * last_affected event names that commit (keikai keeps no repository, so a
 * commit between two events is not found). Pages hold up to
 * KK_OSV_PAGE records; page_token is the search cursor.
 */
#ifndef KK_VULNDB_OSVAPI_H
#define KK_VULNDB_OSVAPI_H
#include "base/err.h"
#include "base/json.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct kk_db;

#define KK_OSV_PAGE 100        /* full records per /v1/query page */
#define KK_OSV_BATCH_PAGE 1000 /* ids per query of /v1/querybatch */
#define KK_OSV_BATCH_MAX 1000  /* queries per batch */

/* One query; strings point into the JSON document it was read from. */
struct kk_osv_query {
	const char *ecosystem, *name, *purl, *version, *commit, *page_token;
};

/*
 * Reads one query object (q of /v1/query, an item of /v1/querybatch's
 * queries). at is the JSON pointer prefix for messages ("" or
 * "/queries/3"). 0; KK_EINVAL with d saying which member and how to fix it.
 */
int kk_osv_query_parse(const json_t *obj, const char *at, struct kk_osv_query *q, struct kk_diag *d);

/*
 * Answers one query: {"vulns":[full records], "next_page_token"} (full),
 * or {"vulns":[{"id","modified"}], "next_page_token"} (ids only); {} when
 * nothing matches, as OSV does. 0; KK_EINVAL with d (a bad page token, a
 * purl that is not one); KK_EDB; KK_ENOMEM.
 */
int kk_osv_query_run(struct kk_db *db, const struct kk_osv_query *q, bool full, struct kk_json *j,
                     struct kk_diag *d);

/* GET /v1/vulns/{id}: the record id finds, as OSV JSON. 0, KK_ENOTFOUND, KK_EDB. */
int kk_osv_vuln_json(struct kk_db *db, const char *id, struct kk_json *j, int64_t *modified);

#endif

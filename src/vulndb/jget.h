/*
 * jget.h — typed reads from a jansson object for the importers, each
 * naming the field by JSON pointer in a struct kk_diag when it is wrong.
 * Internal to src/vulndb/.
 *
 * `at` is the JSON pointer of the object being read ("" for the root); the
 * field's pointer is at + "/" + key. Optional readers give NULL/0 for a
 * missing or null field and fail only on a wrong type; required readers
 * also fail when it is missing. All return 0 or KK_EPARSE (d filled).
 */
#ifndef KK_VULNDB_JGET_H
#define KK_VULNDB_JGET_H
#include "base/err.h"
#include <jansson.h>
#include <stdint.h>

struct kk_vuln_rec;

int kk_jget_str(const json_t *o, const char *at, const char *key, int required, const char **out,
                struct kk_diag *d);
/* Array (NULL when absent and optional). */
int kk_jget_arr(const json_t *o, const char *at, const char *key, int required, const json_t **out,
                struct kk_diag *d);
/* Object (NULL when absent and optional). */
int kk_jget_obj(const json_t *o, const char *at, const char *key, int required, const json_t **out,
                struct kk_diag *d);
/* Number (integer or real) in [lo, hi]; *out = -1 when absent and optional. */
int kk_jget_num(const json_t *o, const char *at, const char *key, int required, double lo, double hi,
                double *out, struct kk_diag *d);
/* ISO 8601 date/time string -> seconds; 0 when absent and optional. */
int kk_jget_time(const json_t *o, const char *at, const char *key, int required, int64_t *out,
                 struct kk_diag *d);
/* Boolean; *out = dflt when absent. */
int kk_jget_bool(const json_t *o, const char *at, const char *key, int dflt, int *out, struct kk_diag *d);
/* Joins the strings of arr (may be NULL) with commas into buf (truncated at
 * a whole element); returns buf, or NULL when nothing was joined. */
const char *kk_jget_join(const json_t *arr, char *buf, size_t n);
/* Writes at + "/" + key (or at + "/" + index when key is NULL) into buf. */
const char *kk_jget_path(char *buf, size_t n, const char *at, const char *key, size_t index);
struct kk_vuln_cvss;
/*
 * Validates c->vector with the CVSS library (a v2 vector may come in
 * parentheses) and checks it is of version c->version. When the source gave
 * no score (c->score < 0) fills score and severity from the vector; a
 * missing severity is rated from the score. 0 or
 * KK_EPARSE with d->where = at + "/" + vkey. The source's own score, when
 * given, is kept as the source stated it.
 */
int kk_jget_cvss_check(struct kk_vuln_cvss *c, const char *at, const char *vkey, struct kk_diag *d);

/*
 * A CVSS object {version, vectorString, baseScore, baseSeverity} at `at`
 * (NVD cvssV3/cvssData, CVE 5 cvssV3_1 ...) checked and added to rec.
 * c carries source and type, and a severity stated outside the object
 * (used when the object has none).
 */
int kk_jget_cvss(const json_t *cv, const char *at, struct kk_vuln_cvss *c, struct kk_vuln_rec *rec,
                 struct kk_diag *d);
/* "CVE-YYYY-NNNN..." exactly. */
int kk_jget_is_cve_id(const char *s);
/* Checks id is a CVE id (else KK_EPARSE at at/key), makes it rec's source id and an alias. */
int kk_jget_cve_id(const char *id, const char *at, const char *key, struct kk_vuln_rec *rec,
                   struct kk_diag *d);
/* [{lang, value}] at `at` into rec's texts of `kind` (lang an RFC 5646 tag, absent = "en": see
 * kk_vuln_lang; a malformed one is KK_EPARSE at at/N/lang). arr may be NULL. */
int kk_jget_texts(const json_t *arr, const char *at, const char *kind, struct kk_vuln_rec *rec,
                  struct kk_diag *d);
/* One reference {url, tags: [...]} at `at` into rec. */
int kk_jget_ref(const json_t *e, const char *at, struct kk_vuln_rec *rec, struct kk_diag *d);

#endif

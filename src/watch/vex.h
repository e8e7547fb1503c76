/*
 * vex.h — VEX statements (Vulnerability Exploitability eXchange): "this
 * vulnerability does / does not affect this product", read from CycloneDX
 * (1.4–1.6 JSON, vulnerabilities[].analysis + affects[]) and CSAF 2.0 VEX
 * documents (product_tree + vulnerabilities[].product_status / flags),
 * and asked by the version checker for each match.
 *
 * State mapping:
 *   CycloneDX analysis.state  exploitable -> affected; not_affected and
 *     false_positive -> not_affected; resolved, resolved_with_pedigree ->
 *     fixed; in_triage -> under_investigation. justification kept.
 *   CSAF product_status       known_affected / first_affected /
 *     last_affected -> affected; known_not_affected -> not_affected (its
 *     flag label, e.g. vulnerable_code_not_in_execute_path, is the
 *     justification); fixed / first_fixed -> fixed; under_investigation.
 * A statement names the vulnerability by id (CVE, GHSA, JVNDB, any alias of
 * the record) and the product by purl (with or without a version: without,
 * every version), CPE, bom-ref, or name [+ version].
 *
 * Ownership: statements live in the caller's arena.
 */
#ifndef KK_WATCH_VEX_H
#define KK_WATCH_VEX_H
#include "base/arena.h"
#include "base/err.h"
#include "watch/check.h"

struct kk_vex_stmt {
	const char *vuln;           /* CVE-2021-44228 */
	const char *purl, *cpe, *ref, *name, *version; /* the product: any may be NULL, not all */
	enum kk_vex_state state;
	const char *justification; /* may be NULL */
	const char *detail;        /* may be NULL */
};

struct kk_vex {
	struct kk_vex_stmt *v;
	size_t n, cap;
	const char *format; /* "cyclonedx" or "csaf" */
};

/* Reads a CycloneDX or CSAF VEX document: 0, KK_EPARSE / KK_EUNSUPPORTED (d names the field), KK_ENOMEM. */
int kk_vex_parse(const char *data, size_t len, struct kk_arena *a, struct kk_vex *out, struct kk_diag *d);
/* Appends one statement (strings copied into a). 0 or KK_ENOMEM. */
int kk_vex_add(struct kk_vex *v, struct kk_arena *a, const struct kk_vex_stmt *s);
/*
 * The statement on (item, record), the most specific one when several: sets
 * *state and *justification (NULL when none); KK_VEX_NONE when no statement.
 */
void kk_vex_find(const struct kk_vex *v, const struct kk_sbom_item *it, const struct kk_vuln_brief *rec,
                 enum kk_vex_state *state, const char **justification);
/* "affected", "not_affected", "fixed", "under_investigation" (KK_VEX_NONE: ""); parse: KK_EINVAL */
const char *kk_vex_state_str(enum kk_vex_state s);
int kk_vex_state_parse(const char *s, enum kk_vex_state *out);
/* The CycloneDX analysis.state of a state ("exploitable", "not_affected", "resolved", "in_triage") */
const char *kk_vex_cdx_state(enum kk_vex_state s);
/* CycloneDX justification values (1.4–1.6) and CSAF flag labels; true when s is one */
bool kk_vex_justification_ok(const char *s);

#endif

/*
 * check.h — the version checker (MyJVN's vccheck): given installed
 * software (an SBOM, a package list, an inventory; sbom.h), which records
 * of the vulnerability database affect each item, why, what to upgrade to,
 * and whether a newer version is known.
 *
 * Matching is the database's own (vulndb/affected.h), asked per item:
 *   - the item's CPE, with the item's version when the CPE has none;
 *   - the item's purl (OSV ranges), with the item's version;
 *   - when the item has no CPE and its package is not in the index (no
 *     OSV data knows it), CPE names inferred from the package: vendor from
 *     the purl namespace / Maven group / stated vendor (or the name itself
 *     for a package without a namespace), product from the name and the
 *     name without a "-core"/"-java" suffix; the version without a Debian
 *     or RPM revision. Only names in the product dictionary answer.
 * The CPE-collision guard: a package known to the index by its purl is
 * never matched through a guessed CPE (the OSV data for that ecosystem
 * decides), and a guessed CPE needs its vendor to come from the package
 * (namespace, group, stated vendor), so "pkg:npm/git" never matches
 * cpe:2.3:a:git-scm:git. Every match says how it was found (via = "cpe",
 * "purl" or "inferred") and which rows held the version, so a false
 * positive can be judged and dismissed (inventory.h).
 *
 * Results live in the caller's arena.
 */
#ifndef KK_WATCH_CHECK_H
#define KK_WATCH_CHECK_H
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "vulndb/brief.h"
#include "watch/sbom.h"
#include <stdbool.h>
#include <stddef.h>

struct kk_db;
struct kk_vex;

#define KK_CHECK_WHY 4     /* rows kept per match to say why */
#define KK_CHECK_QUERY 1600/* longest CPE or purl asked */

/* VEX states (CycloneDX analysis.state / CSAF product_status), vex.h */
enum kk_vex_state {
	KK_VEX_NONE,                /* no statement */
	KK_VEX_AFFECTED,            /* CycloneDX exploitable; CSAF known_affected */
	KK_VEX_NOT_AFFECTED,        /* CycloneDX not_affected / false_positive; CSAF known_not_affected */
	KK_VEX_FIXED,               /* CycloneDX resolved; CSAF fixed */
	KK_VEX_UNDER_INVESTIGATION, /* CycloneDX in_triage; CSAF under_investigation */
};

struct kk_check_why {
	char text[200]; /* "2.14.1 in [2.13.0, 2.15.0)", "= 2.0-beta9", "every version (*)" */
};

struct kk_check_match {
	struct kk_vuln_brief rec;
	const char *via;   /* "cpe", "purl", "inferred" */
	const char *query; /* the CPE or purl asked */
	int nwhy;
	struct kk_check_why why[KK_CHECK_WHY];
	const char *fixed;          /* the release to upgrade to (the matched range's end), or NULL */
	const char *fixed_versions; /* every fixed release the record names for the product, space-separated; may be NULL */
	enum kk_vex_state state;
	const char *justification; /* of a not_affected statement; may be NULL */
	bool suppressed;           /* a VEX not_affected / fixed statement, or dismissed for the item */
	bool dismissed;
};

struct kk_check_item {
	const struct kk_sbom_item *in;
	struct kk_check_match *m; /* ordered by severity, then id */
	size_t nm, cap;
	const char *newest;  /* the newest version the data names for the product, when newer than installed */
	int max_severity;    /* of the matches not suppressed; -1 when none */
	const char *note;    /* why nothing could be asked ("no version: ..."), or NULL */
};

struct kk_check_result {
	struct kk_check_item *items;
	size_t n;
	long affected;         /* items with a match not suppressed */
	long matches;          /* matches not suppressed */
	long suppressed;       /* matches suppressed (VEX, dismissed) */
	long by_severity[5];   /* matches not suppressed, by severity */
	long kev;              /* matches not suppressed listed in KEV */
};

/* Is (vuln, item) dismissed or stated on by a VEX? Filled by vex.h / inventory.h. */
struct kk_check_opts {
	const char *lang; /* titles: "ja" or "en" (default "en") */
	const struct kk_vex *vex;
	/* optional: asks whether the item's match is dismissed (1), not (0), or an error (< 0) */
	int (*dismissed)(void *arg, size_t item, const struct kk_vuln_brief *rec);
	void *arg;
};

/*
 * Checks every item of s against the database. 0, or KK_EDB / KK_ENOMEM
 * (an item whose CPE or purl is malformed gets a note, not an error).
 */
int kk_check_run(struct kk_db *db, const struct kk_sbom *s, const struct kk_check_opts *o, struct kk_arena *a,
                 struct kk_check_result *r);

/* "none".."critical" -> 0..4; -1 for anything else. */
int kk_check_severity_parse(const char *s);
/* Whether a match not suppressed has at least severity min (0..4). */
bool kk_check_fails(const struct kk_check_result *r, int min);

/* --- writers (check_out.c) --- */
/* {summary:{...}, items:[{name, version, purl, cpe, ref, newest, note, matches:[..]}]} */
void kk_check_json(struct kk_json *j, const struct kk_check_result *r, bool show_suppressed);
/* SARIF 2.1.0, one result per match; artifact names the checked file */
void kk_check_sarif(struct kk_json *j, const struct kk_check_result *r, const char *artifact);
/* A CycloneDX 1.5 document listing the components and their vulnerabilities with analysis states */
void kk_check_cyclonedx_vex(struct kk_json *j, const struct kk_check_result *r, const struct kk_sbom *s,
                            int64_t now);

#endif

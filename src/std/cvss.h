/*
 * cvss.h — CVSS v2.0, v3.0, v3.1 and v4.0 vectors: parse, validate, score,
 * rate, and write back in canonical form.
 *
 *   struct kk_cvss c;
 *   struct kk_diag d;
 *   if (kk_cvss_parse(s, strlen(s), &c, &d) < 0)
 *       ... d.where names the metric ("AV"), d.msg says what is wrong ...
 *   struct kk_cvss_scores sc;
 *   kk_cvss_score(&c, &sc);            // sc.score == 98 means 9.8
 *   kk_cvss_severity(c.version, sc.score)   // "CRITICAL"
 *
 * Pure computation: no I/O, no allocation; every function may be called
 * from any thread. The only state is a set of derived tables (parser
 * dispatch, v3.x scores over the metric space, ~80 KB) built on the first
 * parse or score under pthread_once and read-only afterwards. Scores are integers in tenths (0..100) so
 * they compare and print exactly; divide by 10 for the published number.
 *
 * Syntax accepted, as each specification defines it:
 *   v2.0  "AV:N/AC:L/Au:N/C:C/I:C/A:C[/E:..][/RL:..]..." — no prefix, no
 *         parentheses; metrics in the guide's order (Table 13); base metrics
 *         mandatory, temporal/environmental ones optional (ND = not defined).
 *   v3.x  "CVSS:3.0/..." or "CVSS:3.1/..." — the eight base metrics are
 *         mandatory; the specification says other orderings than Table 15's
 *         are valid, so any order is accepted (each metric at most once).
 *   v4.0  "CVSS:4.0/..." — the eleven base metrics mandatory, then any of the
 *         threat, environmental and supplemental metrics, all in the order of
 *         the specification's table (section 7).
 * Unknown, duplicated, missing, misplaced metrics and unknown values are
 * errors naming the metric. Names and values are case-sensitive.
 */
#ifndef KK_STD_CVSS_H
#define KK_STD_CVSS_H
#include "base/err.h"
#include <stddef.h>

enum kk_cvss_version {
	KK_CVSS_V2 = 1,
	KK_CVSS_V30,
	KK_CVSS_V31,
	KK_CVSS_V40,
};

#define KK_CVSS_MAX_METRICS 32

/*
 * A parsed vector. val[i] is the value of the version's i-th metric in
 * specification order: 0 when the vector does not give it, else 1 + the
 * index of the value in kk_cvss_value_name's list. For optional metrics
 * value 1 is always "X" (v2: "ND"), i.e. given but not defined.
 * Plain data: copy it, compare it with memcmp.
 */
struct kk_cvss {
	unsigned char version; /* enum kk_cvss_version */
	unsigned char val[KK_CVSS_MAX_METRICS];
};

/* Metric groups, also the bits of kk_cvss_scores.groups. */
#define KK_CVSS_G_BASE 1u
#define KK_CVSS_G_TEMPORAL 2u /* v4.0: threat */
#define KK_CVSS_G_ENV 4u
#define KK_CVSS_G_SUPP 8u /* v4.0 supplemental: kept, never scored */

struct kk_cvss_scores {
	int base;          /* tenths. v4.0: the one CVSS-B/BT/BE/BTE score */
	int temporal;      /* v2/v3: always computed (X metrics weigh 1); v4.0: -1 */
	int environmental; /* v2/v3: always computed; v4.0: -1 */
	int score;         /* the most specific group present: env, else temporal, else base */
	unsigned groups;   /* KK_CVSS_G_*: groups with at least one metric other than X/ND */
};

/*
 * Parses s[0..n) (need not be NUL-terminated) into *out. Returns 0, or
 * KK_EPARSE with d (may be NULL) filled: where = the metric name (or
 * "prefix"/"vector"), offset = byte offset of the offending component.
 */
int kk_cvss_parse(const char *s, size_t n, struct kk_cvss *out, struct kk_diag *d);

/* Scores a vector kk_cvss_parse accepted. Returns 0, or KK_EINVAL for a
 * struct that is not a valid vector (e.g. a mandatory metric absent). */
int kk_cvss_score(const struct kk_cvss *c, struct kk_cvss_scores *out);

/* "NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL" (v2, as NVD rates it: LOW
 * 0.0-3.9, MEDIUM 4.0-6.9, HIGH 7.0-10.0); NULL for a score outside 0..100
 * or an unknown version. Static strings. */
const char *kk_cvss_severity(int version, int score);

/*
 * Writes the canonical form of c: the version prefix, then the metrics the
 * vector gives, in specification order (mandatory ones are always given).
 * Like snprintf: returns the length of the full string, writes at most n
 * bytes including the NUL. 200 bytes always suffice.
 */
size_t kk_cvss_format(const struct kk_cvss *c, char *out, size_t n);

/* "2.0", "3.0", "3.1", "4.0"; NULL for an unknown version. */
const char *kk_cvss_version_name(int version);
/* Number of metrics of a version (0 if unknown). */
int kk_cvss_metric_count(int version);
/* Name of the i-th metric ("AV"), NULL when out of range. */
const char *kk_cvss_metric_name(int version, int i);
/* Value v (1-based, as in kk_cvss.val) of metric i ("N"), NULL when out of range. */
const char *kk_cvss_value_name(int version, int i, int v);
/* KK_CVSS_G_* group of metric i, 0 when out of range. */
unsigned kk_cvss_metric_group(int version, int i);

#endif

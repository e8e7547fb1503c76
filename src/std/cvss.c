/*
 * cvss.c — CVSS v2.0/v3.0/v3.1/v4.0 vectors: a table-driven parser (one
 * metric table per version), the scoring equations of each specification
 * (v3.x precomputed over the metric space), and FIRST's v4.0 MacroVector
 * interpolation over the tables in cvss4_table.c.
 */
#include "std/cvss.h"
#include "std/cvss4_table.h"
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- tables */

/* "NAME:" as a number, byte i at bits 8i (independent of the machine's byte order). */
#define KEY(a, b, c, d)                                                                                      \
	((uint32_t)(unsigned char)(a) | (uint32_t)(unsigned char)(b) << 8 |                                  \
	 (uint32_t)(unsigned char)(c) << 16 | (uint32_t)(unsigned char)(d) << 24)

struct metric {
	char name[4];
	uint32_t key; /* KEY of "NAME:" */
	unsigned char nlen;
	unsigned char group; /* KK_CVSS_G_* */
	unsigned char nvals;
	char vals[6][6]; /* NUL-padded, so a compare needs no strlen */
};

#define B KK_CVSS_G_BASE
#define T KK_CVSS_G_TEMPORAL
#define E KK_CVSS_G_ENV
#define S KK_CVSS_G_SUPP

/* CVSS v2 guide, Table 13. Optional metrics list "ND" first. */
static const struct metric v2_metrics[] = {
    {"AV", KEY('A', 'V', ':', 0), 2, B, 3, {"L", "A", "N"}},
    {"AC", KEY('A', 'C', ':', 0), 2, B, 3, {"H", "M", "L"}},
    {"Au", KEY('A', 'u', ':', 0), 2, B, 3, {"M", "S", "N"}},
    {"C", KEY('C', ':', 0, 0), 1, B, 3, {"N", "P", "C"}},
    {"I", KEY('I', ':', 0, 0), 1, B, 3, {"N", "P", "C"}},
    {"A", KEY('A', ':', 0, 0), 1, B, 3, {"N", "P", "C"}},
    {"E", KEY('E', ':', 0, 0), 1, T, 5, {"ND", "U", "POC", "F", "H"}},
    {"RL", KEY('R', 'L', ':', 0), 2, T, 5, {"ND", "OF", "TF", "W", "U"}},
    {"RC", KEY('R', 'C', ':', 0), 2, T, 4, {"ND", "UC", "UR", "C"}},
    {"CDP", KEY('C', 'D', 'P', ':'), 3, E, 6, {"ND", "N", "L", "LM", "MH", "H"}},
    {"TD", KEY('T', 'D', ':', 0), 2, E, 5, {"ND", "N", "L", "M", "H"}},
    {"CR", KEY('C', 'R', ':', 0), 2, E, 4, {"ND", "L", "M", "H"}},
    {"IR", KEY('I', 'R', ':', 0), 2, E, 4, {"ND", "L", "M", "H"}},
    {"AR", KEY('A', 'R', ':', 0), 2, E, 4, {"ND", "L", "M", "H"}},
};
enum { V2_AV, V2_AC, V2_AU, V2_C, V2_I, V2_A, V2_E, V2_RL, V2_RC, V2_CDP, V2_TD, V2_CR, V2_IR, V2_AR };

/*
 * CVSS v3.0/v3.1 specification, Table 15. A modified metric lists "X" and
 * then the values of its base metric in the same order, so its value minus
 * one is the base metric's value.
 */
static const struct metric v3_metrics[] = {
    {"AV", KEY('A', 'V', ':', 0), 2, B, 4, {"N", "A", "L", "P"}},
    {"AC", KEY('A', 'C', ':', 0), 2, B, 2, {"L", "H"}},
    {"PR", KEY('P', 'R', ':', 0), 2, B, 3, {"N", "L", "H"}},
    {"UI", KEY('U', 'I', ':', 0), 2, B, 2, {"N", "R"}},
    {"S", KEY('S', ':', 0, 0), 1, B, 2, {"U", "C"}},
    {"C", KEY('C', ':', 0, 0), 1, B, 3, {"H", "L", "N"}},
    {"I", KEY('I', ':', 0, 0), 1, B, 3, {"H", "L", "N"}},
    {"A", KEY('A', ':', 0, 0), 1, B, 3, {"H", "L", "N"}},
    {"E", KEY('E', ':', 0, 0), 1, T, 5, {"X", "H", "F", "P", "U"}},
    {"RL", KEY('R', 'L', ':', 0), 2, T, 5, {"X", "U", "W", "T", "O"}},
    {"RC", KEY('R', 'C', ':', 0), 2, T, 4, {"X", "C", "R", "U"}},
    {"CR", KEY('C', 'R', ':', 0), 2, E, 4, {"X", "H", "M", "L"}},
    {"IR", KEY('I', 'R', ':', 0), 2, E, 4, {"X", "H", "M", "L"}},
    {"AR", KEY('A', 'R', ':', 0), 2, E, 4, {"X", "H", "M", "L"}},
    {"MAV", KEY('M', 'A', 'V', ':'), 3, E, 5, {"X", "N", "A", "L", "P"}},
    {"MAC", KEY('M', 'A', 'C', ':'), 3, E, 3, {"X", "L", "H"}},
    {"MPR", KEY('M', 'P', 'R', ':'), 3, E, 4, {"X", "N", "L", "H"}},
    {"MUI", KEY('M', 'U', 'I', ':'), 3, E, 3, {"X", "N", "R"}},
    {"MS", KEY('M', 'S', ':', 0), 2, E, 3, {"X", "U", "C"}},
    {"MC", KEY('M', 'C', ':', 0), 2, E, 4, {"X", "H", "L", "N"}},
    {"MI", KEY('M', 'I', ':', 0), 2, E, 4, {"X", "H", "L", "N"}},
    {"MA", KEY('M', 'A', ':', 0), 2, E, 4, {"X", "H", "L", "N"}},
};
enum {
	V3_AV,
	V3_AC,
	V3_PR,
	V3_UI,
	V3_S,
	V3_C,
	V3_I,
	V3_A,
	V3_E,
	V3_RL,
	V3_RC,
	V3_CR,
	V3_IR,
	V3_AR,
	V3_MAV,
	V3_MAC,
	V3_MPR,
	V3_MUI,
	V3_MS,
	V3_MC,
	V3_MI,
	V3_MA,
};

/* CVSS v4.0 specification, section 7 (vector string order). Modified metrics
 * as in v3; MSI/MSA add "S" (Safety) after the base values. */
static const struct metric v4_metrics[] = {
    {"AV", KEY('A', 'V', ':', 0), 2, B, 4, {"N", "A", "L", "P"}},
    {"AC", KEY('A', 'C', ':', 0), 2, B, 2, {"L", "H"}},
    {"AT", KEY('A', 'T', ':', 0), 2, B, 2, {"N", "P"}},
    {"PR", KEY('P', 'R', ':', 0), 2, B, 3, {"N", "L", "H"}},
    {"UI", KEY('U', 'I', ':', 0), 2, B, 3, {"N", "P", "A"}},
    {"VC", KEY('V', 'C', ':', 0), 2, B, 3, {"H", "L", "N"}},
    {"VI", KEY('V', 'I', ':', 0), 2, B, 3, {"H", "L", "N"}},
    {"VA", KEY('V', 'A', ':', 0), 2, B, 3, {"H", "L", "N"}},
    {"SC", KEY('S', 'C', ':', 0), 2, B, 3, {"H", "L", "N"}},
    {"SI", KEY('S', 'I', ':', 0), 2, B, 3, {"H", "L", "N"}},
    {"SA", KEY('S', 'A', ':', 0), 2, B, 3, {"H", "L", "N"}},
    {"E", KEY('E', ':', 0, 0), 1, T, 4, {"X", "A", "P", "U"}},
    {"CR", KEY('C', 'R', ':', 0), 2, E, 4, {"X", "H", "M", "L"}},
    {"IR", KEY('I', 'R', ':', 0), 2, E, 4, {"X", "H", "M", "L"}},
    {"AR", KEY('A', 'R', ':', 0), 2, E, 4, {"X", "H", "M", "L"}},
    {"MAV", KEY('M', 'A', 'V', ':'), 3, E, 5, {"X", "N", "A", "L", "P"}},
    {"MAC", KEY('M', 'A', 'C', ':'), 3, E, 3, {"X", "L", "H"}},
    {"MAT", KEY('M', 'A', 'T', ':'), 3, E, 3, {"X", "N", "P"}},
    {"MPR", KEY('M', 'P', 'R', ':'), 3, E, 4, {"X", "N", "L", "H"}},
    {"MUI", KEY('M', 'U', 'I', ':'), 3, E, 4, {"X", "N", "P", "A"}},
    {"MVC", KEY('M', 'V', 'C', ':'), 3, E, 4, {"X", "H", "L", "N"}},
    {"MVI", KEY('M', 'V', 'I', ':'), 3, E, 4, {"X", "H", "L", "N"}},
    {"MVA", KEY('M', 'V', 'A', ':'), 3, E, 4, {"X", "H", "L", "N"}},
    {"MSC", KEY('M', 'S', 'C', ':'), 3, E, 4, {"X", "H", "L", "N"}},
    {"MSI", KEY('M', 'S', 'I', ':'), 3, E, 5, {"X", "H", "L", "N", "S"}},
    {"MSA", KEY('M', 'S', 'A', ':'), 3, E, 5, {"X", "H", "L", "N", "S"}},
    {"S", KEY('S', ':', 0, 0), 1, S, 3, {"X", "N", "P"}},
    {"AU", KEY('A', 'U', ':', 0), 2, S, 3, {"X", "N", "Y"}},
    {"R", KEY('R', ':', 0, 0), 1, S, 4, {"X", "A", "U", "I"}},
    {"V", KEY('V', ':', 0, 0), 1, S, 3, {"X", "D", "C"}},
    {"RE", KEY('R', 'E', ':', 0), 2, S, 4, {"X", "L", "M", "H"}},
    {"U", KEY('U', ':', 0, 0), 1, S, 5, {"X", "Clear", "Green", "Amber", "Red"}},
};
enum {
	V4_AV,
	V4_AC,
	V4_AT,
	V4_PR,
	V4_UI,
	V4_VC,
	V4_VI,
	V4_VA,
	V4_SC,
	V4_SI,
	V4_SA,
	V4_E,
	V4_CR,
	V4_IR,
	V4_AR,
	V4_MAV,
	V4_MAC,
	V4_MAT,
	V4_MPR,
	V4_MUI,
	V4_MVC,
	V4_MVI,
	V4_MVA,
	V4_MSC,
	V4_MSI,
	V4_MSA,
	V4_COUNT_SCORED
};
#undef B
#undef T
#undef E
#undef S

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct version {
	const char *name;   /* "3.1" */
	const char *prefix; /* "CVSS:3.1/" or "" */
	const struct metric *m;
	int n;
	int ordered; /* the specification fixes the metric order */
	int nbase;   /* mandatory (base) metrics */
	/* Per metric, padded to KK_CVSS_MAX_METRICS with 0: the number of values
	 * and the group (for kk_cvss_score's loop over fixed-size arrays). */
	unsigned char nv[KK_CVSS_MAX_METRICS], grp[KK_CVSS_MAX_METRICS];
};

static const struct version versions[] = {
#define V2_NV                                                                                                \
	{                                                                                                    \
		3, 3, 3, 3, 3, 3, 5, 5, 4, 6, 5, 4, 4, 4                                                     \
	}
#define V2_GRP                                                                                               \
	{                                                                                                    \
		1, 1, 1, 1, 1, 1, 2, 2, 2, 4, 4, 4, 4, 4                                                     \
	}
#define V3_NV                                                                                                \
	{                                                                                                    \
		4, 2, 3, 2, 2, 3, 3, 3, 5, 5, 4, 4, 4, 4, 5, 3, 4, 3, 3, 4, 4, 4                             \
	}
#define V3_GRP                                                                                               \
	{                                                                                                    \
		1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4                             \
	}
#define V4_NV                                                                                                \
	{                                                                                                    \
		4, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 5, 3, 3, 4, 4, 4, 4, 4, 4, 5, 5, 3, 3, 4, 3, 4, \
		    5                                                                                        \
	}
#define V4_GRP                                                                                               \
	{                                                                                                    \
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 8, 8, 8, 8, 8, \
		    8                                                                                        \
	}
    [KK_CVSS_V2] = {"2.0", "", v2_metrics, NELEM(v2_metrics), 1, 6, V2_NV, V2_GRP},
    [KK_CVSS_V30] = {"3.0", "CVSS:3.0/", v3_metrics, NELEM(v3_metrics), 0, 8, V3_NV, V3_GRP},
    [KK_CVSS_V31] = {"3.1", "CVSS:3.1/", v3_metrics, NELEM(v3_metrics), 0, 8, V3_NV, V3_GRP},
    [KK_CVSS_V40] = {"4.0", "CVSS:4.0/", v4_metrics, NELEM(v4_metrics), 1, 11, V4_NV, V4_GRP},
};

static const struct version *version_of(int v)
{
	return v >= KK_CVSS_V2 && v <= KK_CVSS_V40 ? &versions[v] : NULL;
}

const char *kk_cvss_version_name(int version)
{
	const struct version *v = version_of(version);
	return v ? v->name : NULL;
}

int kk_cvss_metric_count(int version)
{
	const struct version *v = version_of(version);
	return v ? v->n : 0;
}

const char *kk_cvss_metric_name(int version, int i)
{
	const struct version *v = version_of(version);
	return v && i >= 0 && i < v->n ? v->m[i].name : NULL;
}

const char *kk_cvss_value_name(int version, int i, int val)
{
	const struct version *v = version_of(version);
	if (!v || i < 0 || i >= v->n || val < 1 || val > v->m[i].nvals)
		return NULL;
	return v->m[i].vals[val - 1];
}

unsigned kk_cvss_metric_group(int version, int i)
{
	const struct version *v = version_of(version);
	return v && i >= 0 && i < v->n ? v->m[i].group : 0;
}

/* ---------------------------------------------------------------- derived tables */

/*
 * Tables derived from the ones above, built once on first use (pthread_once)
 * and read-only afterwards:
 *  - the fast parser's dispatch: slot[version][HASH("NAME:")] = metric index
 *    + 1 (the multiplier makes the keys of each version land in distinct
 *    slots; a clash would only send vectors to the careful path), and
 *    val1[version][metric][byte] = value index + 1 of a one-letter value, else 0;
 *  - v3.x scores over the metric space, computed by the specification's
 *    equations below (build_v3), so an entry is the equation's result bit
 *    for bit: base scores of the 4*2*3*2*2*3*3*3 = 2592 base vectors, the
 *    temporal Roundup of every score 0..100 under each of the 48 distinct
 *    E*RL*RC weights, and the modified impact (729 MC/MI/MA x CR/IR/AR
 *    weight combinations) and exploitability (48) sub-scores;
 *  - the severity levels of the letters of FIRST's v4.0 max vectors.
 */
#define HASH(k) ((uint32_t)((k) * 0xba58c719u) >> 26)

/* The base metrics in specification order, '?' for each one-letter value. */
static const char *const base_template[KK_CVSS_V40 + 1] = {
    [KK_CVSS_V2] = "AV:?/AC:?/Au:?/C:?/I:?/A:?",
    [KK_CVSS_V30] = "AV:?/AC:?/PR:?/UI:?/S:?/C:?/I:?/A:?",
    [KK_CVSS_V31] = "AV:?/AC:?/PR:?/UI:?/S:?/C:?/I:?/A:?",
    [KK_CVSS_V40] = "AV:?/AC:?/AT:?/PR:?/UI:?/VC:?/VI:?/VA:?/SC:?/SI:?/SA:?",
};

/* base_template as 8-byte words to compare under a mask (0 at the values). */
struct base_words {
	uint64_t word[8], mask[8];
	unsigned char nwords, len, off[KK_CVSS_MAX_METRICS]; /* off: of the i-th base value */
};

struct derived {
	struct base_words base[KK_CVSS_V40 + 1];
	uint32_t key[KK_CVSS_V40 + 1][64]; /* the key of slot's metric */
	unsigned char slot[KK_CVSS_V40 + 1][64];
	unsigned char val1[KK_CVSS_V40 + 1][KK_CVSS_MAX_METRICS][256]; /* by byte */
	unsigned char v3_base[2][2592];        /* [v31][v3_base_index] */
	unsigned char v3_temporal[2][101][48]; /* [v31][score][v3_tm_index] */
	double v3_mimpact[2][2][729];          /* [v31][modified scope changed][v3_miss_index] */
	double v3_mexpl[2][48];                /* [modified scope changed][v3_expl_index] */
	/* The severity levels of the letters of FIRST's v4.0 max vectors. */
	struct max_levels {
		unsigned char n, nm, lv[8][6]; /* n vectors of nm metrics */
	} v4_eq1[3], v4_eq2[2], v4_eq3[3][2], v4_eq4[3];
};
static struct derived derived;
static atomic_int derived_ready;
static pthread_once_t derived_once = PTHREAD_ONCE_INIT;
static void build_derived(void);
static void build_v4(struct derived *t);

static inline const struct derived *tables(void)
{
	if (!atomic_load_explicit(&derived_ready, memory_order_acquire))
		pthread_once(&derived_once, build_derived);
	return &derived;
}

/* ---------------------------------------------------------------- parsing */

static int name_is(const struct metric *m, const char *s, size_t n)
{
	return m->nlen == n && m->name[0] == s[0] && (n < 2 || m->name[1] == s[1]) &&
	       (n < 3 || m->name[2] == s[2]);
}

/* Index of metric s[0..n) in v, or -1. */
static int find_metric(const struct version *v, const char *s, size_t n)
{
	if (n == 0 || n > 3)
		return -1;
	for (int i = 0; i < v->n; i++)
		if (name_is(&v->m[i], s, n))
			return i;
	return -1;
}

/* The metric, from index `from` on, whose "NAME:" starts s[pos..n), or -1. */
static inline int expected_metric(const struct version *v, const char *s, size_t n, size_t pos, int from)
{
	for (int i = from; i < v->n; i++) {
		const struct metric *m = &v->m[i];
		size_t l = m->nlen;
		if (pos + l < n && s[pos] == m->name[0] && s[pos + l] == ':' &&
		    (l < 2 || s[pos + 1] == m->name[1]) && (l < 3 || s[pos + 2] == m->name[2]))
			return i;
	}
	return -1;
}

static int find_value(const struct metric *m, const char *s, size_t n)
{
	if (n == 1) {
		for (int i = 0; i < m->nvals; i++)
			if (m->vals[i][0] == s[0] && m->vals[i][1] == 0)
				return i + 1;
		return 0;
	}
	if (n == 0 || n > 5)
		return 0;
	for (int i = 0; i < m->nvals; i++)
		if (m->vals[i][n - 1] != 0 && m->vals[i][n] == 0 &&
		    !memcmp(m->vals[i], s, n)) /* length n exactly */
			return i + 1;
	return 0;
}

/* Copies at most 40 bytes of s[0..n) for a message, replacing control bytes. */
static const char *shown(char *buf, const char *s, size_t n)
{
	size_t k = n > 40 ? 40 : n;
	for (size_t i = 0; i < k; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	if (n > k)
		memcpy(buf + k, "...", 3), k += 3;
	buf[k] = 0;
	return buf;
}

static void list_values(const struct metric *m, char *buf, size_t cap)
{
	size_t k = 0;
	buf[0] = 0;
	for (int i = 0; i < m->nvals; i++) {
		size_t l = strlen(m->vals[i]);
		if (k + l + 3 >= cap)
			break;
		if (i)
			buf[k++] = ',', buf[k++] = ' ';
		memcpy(buf + k, m->vals[i], l);
		k += l;
		buf[k] = 0;
	}
}

static int fail_at(struct kk_diag *d, size_t off, const char *where, const char *fmt, const char *a,
                   const char *b, const char *c)
{
	kk_diag_set(d, KK_EPARSE, where, fmt, a, b, c);
	if (d)
		d->offset = off;
	return KK_EPARSE;
}

static int parse_prefix(const char *s, size_t n, int *version, size_t *pos, struct kk_diag *d)
{
	char tmp[48];
	if (n >= 5 && !memcmp(s, "CVSS:", 5)) {
		if (n >= 9 && s[6] == '.' && s[8] == '/') {
			int v = 0;
			if (s[5] == '3' && s[7] == '0')
				v = KK_CVSS_V30;
			else if (s[5] == '3' && s[7] == '1')
				v = KK_CVSS_V31;
			else if (s[5] == '4' && s[7] == '0')
				v = KK_CVSS_V40;
			if (v) {
				*version = v;
				*pos = 9;
				return 0;
			}
		}
		size_t k = 0;
		while (k < n && k < 12 && s[k] != '/')
			k++;
		return fail_at(d, 0, "prefix",
		               "unknown CVSS version prefix '%s'%s%s (use CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/; "
		               "CVSS v2 vectors have no prefix)",
		               shown(tmp, s, k), "", "");
	}
	if (n > 0 && s[0] == '(')
		return fail_at(
		    d, 0, "prefix", "%s%s%s",
		    "CVSS v2 vector in parentheses: write it without them, as the CVSS v2 guide does "
		    "(AV:N/AC:L/...)",
		    "", "");
	*version = KK_CVSS_V2;
	*pos = 0;
	return 0;
}

/*
 * Matches the base metrics at b against the version's template (nwords
 * words, nbase one-letter values); stores the values in val and returns 1,
 * or returns 0 and leaves val alone. Inlined with constant counts, so the
 * loops unroll.
 */
static inline __attribute__((always_inline)) int match_base(const unsigned char *b, const struct base_words *bw,
                                                            const unsigned char (*val1)[256], int nbase,
                                                            int nwords, unsigned char *val)
{
	uint64_t diff = 0;
	for (int k = 0; k < nwords; k++) {
		uint64_t w;
		memcpy(&w, b + 8 * k, 8);
		diff |= (w & bw->mask[k]) ^ bw->word[k];
	}
	unsigned char tmp[KK_CVSS_MAX_METRICS];
	int ok = diff == 0;
	for (int i = 0; i < nbase; i++) {
		tmp[i] = val1[i][b[bw->off[i]]];
		ok &= tmp[i] != 0;
	}
	if (ok)
		memcpy(val, tmp, (size_t)nbase);
	return ok;
}

/*
 * The fast path for well-formed vectors. The base metrics, when they come
 * first and in specification order with one-letter values (as nearly every
 * published vector has them), are matched as a whole against a template
 * word by word; any other metric is read as one four-byte "NAME:" word of a
 * zero-padded copy and dispatched through a perfect hash, one-letter values
 * through a table. Returns 0, or -1 for anything else (kk_cvss_parse then
 * runs the careful path, which accepts what the specification accepts and
 * explains what it rejects).
 */
static int parse_fast(const char *s, size_t n, struct kk_cvss *out)
{
	static const uint32_t mask[4] = {0, 0xffff, 0xffffff, 0xffffffff}; /* "NAME:" by name length */
	unsigned char b[272];
	int version = KK_CVSS_V2;
	size_t pos = 0;
	if (n < 10 || n > 256)
		return -1;
	memcpy(b, s, n);
	memset(b + n, 0, 8);
	if (b[0] == 'C') {
		if (memcmp(b, "CVSS:", 5) || b[6] != '.' || b[8] != '/')
			return -1;
		if (b[5] == '3' && b[7] == '1')
			version = KK_CVSS_V31;
		else if (b[5] == '4' && b[7] == '0')
			version = KK_CVSS_V40;
		else if (b[5] == '3' && b[7] == '0')
			version = KK_CVSS_V30;
		else
			return -1;
		pos = 9;
	}
	const struct derived *t = tables();
	const struct version *v = &versions[version];
	const unsigned char *slot = t->slot[version];
	const uint32_t *keys = t->key[version];
	const unsigned char(*val1)[256] = t->val1[version];
	memset(out, 0, sizeof(*out));
	out->version = (unsigned char)version;
	int next = 0, nbase = 0;

	const struct base_words *bw = &t->base[version];
	size_t be = pos + bw->len; /* just after the base metrics */
	if (be <= n && (be == n || b[be] == '/')) {
		int ok = version == KK_CVSS_V40  ? match_base(b + pos, bw, val1, 11, 7, out->val)
		         : version == KK_CVSS_V2 ? match_base(b + pos, bw, val1, 6, 4, out->val)
		                                 : match_base(b + pos, bw, val1, 8, 5, out->val);
		if (ok) {
			if (be == n)
				return 0;
			pos = be + 1;
			nbase = next = v->nbase;
		}
	}
	if (pos >= n)
		return -1;
	int ordered = v->ordered ? -1 : 0; /* v3.x allows any order: only duplicates are refused */
	for (;;) {
		const unsigned char *u = b + pos;
		uint32_t w = KEY(u[0], u[1], u[2], u[3]);
		/* The name length = the index of the first ':' among bytes 1..3 of w,
		 * without a branch (name lengths vary, so a branch mispredicts): the
		 * lowest zero byte of w ^ "::::". Higher flagged bytes may be false;
		 * the lowest is exact unless byte 0 is ':', which no key matches. */
		uint32_t x = w ^ 0x3a3a3a3au, zero = (x - 0x01010101u) & ~x & 0x80808000u;
		if (!zero)
			return -1;
		int nlen = __builtin_ctz(zero) >> 3;
		uint32_t key = w & mask[nlen];
		uint32_t h = HASH(key);
		int i = slot[h] - 1;
		if (keys[h] != key || i < next || out->val[i])
			return -1;
		size_t vp = pos + (size_t)nlen + 1, ve = vp + 1; /* b is padded: b[ve] is readable */
		int val;
		if ((ve == n) | (b[ve] == '/')) {
			val = val1[i][b[vp]];
		} else {
			if (vp >= n)
				return -1;
			while (ve < n && b[ve] != '/')
				ve++;
			val = find_value(&v->m[i], (const char *)b + vp, ve - vp);
		}
		if (!val)
			return -1;
		out->val[i] = (unsigned char)val;
		nbase += i < v->nbase; /* the base metrics come first in every version */
		next = (i + 1) & ordered;
		if (ve >= n)
			break;
		pos = ve + 1;
		if (pos >= n)
			return -1;
	}
	return nbase == v->nbase ? 0 : -1;
}

int kk_cvss_parse(const char *s, size_t n, struct kk_cvss *out, struct kk_diag *d)
{
	if (parse_fast(s, n, out) == 0)
		return 0;
	char tmp[48], tmp2[48];
	int version;
	size_t pos;
	memset(out, 0, sizeof(*out));
	if (n == 0)
		return fail_at(d, 0, "vector", "%s%s%s", "empty CVSS vector", "", "");
	if (parse_prefix(s, n, &version, &pos, d) < 0)
		return KK_EPARSE;
	const struct version *v = &versions[version];
	out->version = (unsigned char)version;
	int next = 0; /* ordered versions: the lowest index still allowed */
	int nbase = 0;
	const char *vname = v->name;
	if (pos >= n)
		return fail_at(d, pos, "vector", "CVSS %s vector has no metrics after '%s'%s", vname,
		               v->prefix, "");
	for (;;) {
		size_t start = pos, colon = n, end;
		int i = expected_metric(v, s, n, pos, next);
		if (i >= 0) {
			/* Fast path: "NAME:" of a metric at or after the next one. */
			colon = pos + v->m[i].nlen;
			end = colon + 2;
			if (end > n || (end < n && s[end] != '/'))
				for (end = colon + 1; end < n && s[end] != '/'; end++)
					;
		} else {
			for (end = pos; end < n && s[end] != '/'; end++)
				if (s[end] == ':' && colon == n)
					colon = end;
			if (end == start)
				return fail_at(d, start, "vector",
				               "empty metric at byte %s of CVSS %s vector%s",
				               (snprintf(tmp, sizeof(tmp), "%zu", start), tmp), vname, "");
			if (colon == n || colon > end)
				return fail_at(
				    d, start, shown(tmp2, s + start, end - start),
				    "malformed metric '%s' in CVSS %s vector (expected NAME:VALUE)%s",
				    shown(tmp, s + start, end - start), vname, "");
			const char *name = s + start;
			size_t nlen = colon - start;
			i = find_metric(v, name, nlen);
			if (i < 0)
				return fail_at(d, start, shown(tmp2, name, nlen),
				               "unknown metric '%s' in CVSS %s vector%s",
				               shown(tmp, name, nlen), vname, "");
		}
		const struct metric *m = &v->m[i];
		if (out->val[i])
			return fail_at(d, start, m->name, "metric %s appears twice in CVSS %s vector%s",
			               m->name, vname, "");
		if (v->ordered && i < next)
			return fail_at(d, start, m->name,
			               "metric %s is out of order: CVSS %s requires it before %s", m->name,
			               vname, v->m[next - 1].name);
		int val = find_value(m, s + colon + 1, end - colon - 1);
		if (!val) {
			char allowed[64];
			list_values(m, allowed, sizeof(allowed));
			return fail_at(d, start, m->name, "metric %s has no value '%s' (allowed: %s)",
			               m->name, shown(tmp, s + colon + 1, end - colon - 1), allowed);
		}
		out->val[i] = (unsigned char)val;
		nbase += m->group == KK_CVSS_G_BASE;
		next = i + 1;
		if (end == n)
			break;
		pos = end + 1;
		if (pos == n)
			return fail_at(d, end, "vector", "CVSS %s vector ends with '/'%s%s", vname, "", "");
	}
	for (int i = 0; nbase != v->nbase && i < v->n; i++)
		if (v->m[i].group == KK_CVSS_G_BASE && !out->val[i])
			return fail_at(d, n, v->m[i].name, "CVSS %s vector lacks mandatory metric %s%s",
			               vname, v->m[i].name, "");
	return 0;
}

/* ---------------------------------------------------------------- format */

size_t kk_cvss_format(const struct kk_cvss *c, char *out, size_t n)
{
	const struct version *v = version_of(c->version);
	char buf[256];
	size_t k = 0;
	if (v) {
		size_t pl = strlen(v->prefix);
		memcpy(buf, v->prefix, pl);
		k = pl;
		for (int i = 0; i < v->n; i++) {
			int val = c->val[i];
			if (!val || val > v->m[i].nvals)
				continue;
			if (k > pl)
				buf[k++] = '/';
			memcpy(buf + k, v->m[i].name, v->m[i].nlen);
			k += v->m[i].nlen;
			buf[k++] = ':';
			size_t l = strlen(v->m[i].vals[val - 1]);
			memcpy(buf + k, v->m[i].vals[val - 1], l);
			k += l;
		}
	}
	if (n) {
		size_t w = k < n - 1 ? k : n - 1;
		memcpy(out, buf, w);
		out[w] = 0;
	}
	return k;
}

/* ---------------------------------------------------------------- rating */

const char *kk_cvss_severity(int version, int score)
{
	if (score < 0 || score > 100 || !version_of(version))
		return NULL;
	if (version == KK_CVSS_V2)
		return score < 40 ? "LOW" : score < 70 ? "MEDIUM" : "HIGH";
	if (score == 0)
		return "NONE";
	return score < 40 ? "LOW" : score < 70 ? "MEDIUM" : score < 90 ? "HIGH" : "CRITICAL";
}

/* ---------------------------------------------------------------- rounding */

/* floor(x) for 0 <= x < 2^63, without a libm call. */
static inline double floor_pos(double x)
{
	return (double)(long long)x;
}

/* JavaScript's Math.round for x >= 0 (half up), without the error of x + 0.5. */
static inline double round_half_up(double x)
{
	double f = floor_pos(x);
	return x - f >= 0.5 ? f + 1 : f;
}

/* x^15 and x^13 by multiplication: the Roundups below absorb the last-bit
 * differences from pow() (the differential test checks this). */
static inline double pow15(double x)
{
	double x2 = x * x, x4 = x2 * x2, x8 = x4 * x4;
	return x8 * x4 * x2 * x;
}

static inline double pow13(double x)
{
	double x2 = x * x, x4 = x2 * x2, x8 = x4 * x4;
	return x8 * x4 * x;
}

static inline double min10(double x)
{
	return x < 10 ? x : 10;
}

/*
 * CVSS v2 round_to_1_decimal, in tenths. The exact value of every v2
 * equation has at most 13 decimals, so a tie closer than 1e-9 tenths is
 * a tie that binary floating point blurred: count it as the tie it is.
 */
static int v2_round(double x)
{
	double t = x * 10, f = floor_pos(t);
	return (int)(t - f >= 0.5 - 1e-9 ? f + 1 : f);
}

/*
 * CVSS v3.0 Roundup (section 7.4: the smallest number, to one decimal,
 * equal to or higher than its input), in tenths. The exact results of the
 * equations have few decimals, so a value within 1e-9 tenths of a step is
 * that step (binary noise), not above it.
 */
static inline int v30_roundup(double x)
{
	double t = x * 10, r = round_half_up(t);
	return (int)(fabs(t - r) < 1e-9 ? r : ceil(t));
}

/* CVSS v3.1 Roundup, Appendix A: on an integer of 1/100000 units. */
static inline int v31_roundup(double x)
{
	long long i = (long long)round_half_up(x * 100000.0);
	return i % 10000 == 0 ? (int)(i / 10000) : (int)(i / 10000 + 1);
}

/* ---------------------------------------------------------------- v2 */

static const double v2_av[] = {1, 0.395, 0.646, 1.0};
static const double v2_ac[] = {1, 0.35, 0.61, 0.71};
static const double v2_au[] = {1, 0.45, 0.56, 0.704};
static const double v2_cia[] = {0, 0.0, 0.275, 0.660};
static const double v2_e[] = {1.0, 1.0, 0.85, 0.9, 0.95, 1.0};
static const double v2_rl[] = {1.0, 1.0, 0.87, 0.90, 0.95, 1.0};
static const double v2_rc[] = {1.0, 1.0, 0.90, 0.95, 1.0};
static const double v2_cdp[] = {0, 0, 0, 0.1, 0.3, 0.4, 0.5};
static const double v2_td[] = {1.0, 1.0, 0, 0.25, 0.75, 1.0};
static const double v2_req[] = {1.0, 1.0, 0.5, 1.0, 1.51};

static int v2_base(double impact, double expl)
{
	double f = impact == 0 ? 0 : 1.176;
	double b = ((0.6 * impact) + (0.4 * expl) - 1.5) * f;
	return b <= 0 ? 0 : v2_round(b);
}

static void score_v2(const unsigned char *v, struct kk_cvss_scores *o)
{
	double c = v2_cia[v[V2_C]], i = v2_cia[v[V2_I]], a = v2_cia[v[V2_A]];
	double impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
	double expl = 20 * v2_av[v[V2_AV]] * v2_ac[v[V2_AC]] * v2_au[v[V2_AU]];
	o->base = v2_base(impact, expl);
	o->temporal = v2_round(o->base / 10.0 * v2_e[v[V2_E]] * v2_rl[v[V2_RL]] * v2_rc[v[V2_RC]]);
	double adj = 10.41 * (1 - (1 - c * v2_req[v[V2_CR]]) * (1 - i * v2_req[v[V2_IR]]) *
	                              (1 - a * v2_req[v[V2_AR]]));
	if (adj > 10)
		adj = 10;
	int adj_base = v2_base(adj, expl);
	int adj_temp = v2_round(adj_base / 10.0 * v2_e[v[V2_E]] * v2_rl[v[V2_RL]] * v2_rc[v[V2_RC]]);
	double at = adj_temp / 10.0;
	o->environmental = v2_round((at + (10 - at) * v2_cdp[v[V2_CDP]]) * v2_td[v[V2_TD]]);
}

/* ---------------------------------------------------------------- v3 */

static const double v3_av[] = {0, 0.85, 0.62, 0.55, 0.2};
static const double v3_ac[] = {0, 0.77, 0.44};
static const double v3_pr_u[] = {0, 0.85, 0.62, 0.27};
static const double v3_pr_c[] = {0, 0.85, 0.68, 0.5};
static const double v3_ui[] = {0, 0.85, 0.62};
static const double v3_cia[] = {0, 0.56, 0.22, 0};
static const double v3_e[] = {1, 1, 1, 0.97, 0.94, 0.91};
static const double v3_rl[] = {1, 1, 1, 0.97, 0.96, 0.95};
static const double v3_rc[] = {1, 1, 1, 0.96, 0.92};
static const double v3_req[] = {1, 1, 1.5, 1, 0.5};

/* The value of base metric b, or of its modified metric mb when that is not X. */
static inline int eff(const unsigned char *v, int b, int mb)
{
	return v[mb] > 1 ? v[mb] - 1 : v[b];
}

static inline int roundup(double x, int v31)
{
	return v31 ? v31_roundup(x) : v30_roundup(x);
}

/* Indexes of the derived v3 tables; metric values are 1-based as in kk_cvss.val. */
static inline int v3_expl_index(int av, int ac, int pr, int ui)
{
	return ((av - 1) * 2 + ac - 1) * 3 * 2 + (pr - 1) * 2 + ui - 1;
}

static inline int v3_base_index(const unsigned char *v)
{
	return ((v3_expl_index(v[V3_AV], v[V3_AC], v[V3_PR], v[V3_UI]) * 2 + v[V3_S] - 1) * 3 + v[V3_C] - 1) *
	           9 +
	       (v[V3_I] - 1) * 3 + v[V3_A] - 1;
}

/* Weight classes: the distinct weights of E, RL, RC and CR/IR/AR by value. */
static const unsigned char v3_e_cls[] = {0, 0, 0, 1, 2, 3}, v3_rl_cls[] = {0, 0, 0, 1, 2, 3},
                           v3_rc_cls[] = {0, 0, 0, 1, 2}, v3_req_cls[] = {0, 0, 1, 0, 2};
static const unsigned char v3_e_rep[] = {1, 3, 4, 5}, v3_rl_rep[] = {1, 3, 4, 5}, v3_rc_rep[] = {1, 3, 4},
                           v3_req_rep[] = {1, 2, 4}; /* a value of each class */

static inline int v3_tm_index(const unsigned char *v)
{
	return (v3_e_cls[v[V3_E]] * 4 + v3_rl_cls[v[V3_RL]]) * 3 + v3_rc_cls[v[V3_RC]];
}

/* c, i, a: 1-based MC/MI/MA values; cr, ir, ar: CR/IR/AR values (0 = absent). */
static inline int v3_miss_index(int c, int i, int a, int cr, int ir, int ar)
{
	return (((c - 1) * 3 + v3_req_cls[cr]) * 9 + (i - 1) * 3 + v3_req_cls[ir]) * 9 + (a - 1) * 3 +
	       v3_req_cls[ar];
}

/* The base score equations (specification section 7.1). */
static int v3_base_eq(int av, int ac, int pr, int ui, int s, int c, int i, int a, int v31)
{
	int changed = s == 2;
	double iss = 1 - ((1 - v3_cia[c]) * (1 - v3_cia[i]) * (1 - v3_cia[a]));
	double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow15(iss - 0.02) : 6.42 * iss;
	double expl = 8.22 * v3_av[av] * v3_ac[ac] * (changed ? v3_pr_c : v3_pr_u)[pr] * v3_ui[ui];
	if (impact <= 0)
		return 0;
	if (changed)
		return roundup(min10(1.08 * (impact + expl)), v31);
	return roundup(min10(impact + expl), v31);
}

/* The modified impact sub-score (section 7.3); <= 0 means environmental score 0. */
static double v3_mimpact_eq(int mc, int mi, int ma, int cr, int ir, int ar, int mchanged, int v31)
{
	double c = v3_cia[mc], i = v3_cia[mi], a = v3_cia[ma];
	double miss = 1 - ((1 - v3_req[cr] * c) * (1 - v3_req[ir] * i) * (1 - v3_req[ar] * a));
	if (miss > 0.915)
		miss = 0.915;
	if (!mchanged)
		return 6.42 * miss;
	if (v31)
		return 7.52 * (miss - 0.029) - 3.25 * pow13(miss * 0.9731 - 0.02);
	return 7.52 * (miss - 0.029) - 3.25 * pow15(miss - 0.02);
}

static void build_v3(struct derived *t)
{
	for (int v31 = 0; v31 < 2; v31++) {
		int k = 0;
		for (int av = 1; av <= 4; av++)
			for (int ac = 1; ac <= 2; ac++)
				for (int pr = 1; pr <= 3; pr++)
					for (int ui = 1; ui <= 2; ui++)
						for (int sc = 1; sc <= 2; sc++)
							for (int c = 1; c <= 3; c++)
								for (int i = 1; i <= 3; i++)
									for (int a = 1; a <= 3; a++)
										t->v3_base[v31][k++] = (unsigned char)v3_base_eq(
										    av, ac, pr, ui, sc, c, i, a, v31);
		for (int b = 0; b <= 100; b++)
			for (int e = 0; e < 4; e++)
				for (int rl = 0; rl < 4; rl++)
					for (int rc = 0; rc < 3; rc++)
						t->v3_temporal[v31][b][(e * 4 + rl) * 3 + rc] = (unsigned char)roundup(
						    b / 10.0 * v3_e[v3_e_rep[e]] * v3_rl[v3_rl_rep[rl]] * v3_rc[v3_rc_rep[rc]],
						    v31);
		for (int ch = 0; ch < 2; ch++)
			for (int c = 1; c <= 3; c++)
				for (int cr = 0; cr < 3; cr++)
					for (int i = 1; i <= 3; i++)
						for (int ir = 0; ir < 3; ir++)
							for (int a = 1; a <= 3; a++)
								for (int ar = 0; ar < 3; ar++)
									t->v3_mimpact[v31][ch][v3_miss_index(
									    c, i, a, v3_req_rep[cr], v3_req_rep[ir],
									    v3_req_rep[ar])] =
									    v3_mimpact_eq(c, i, a, v3_req_rep[cr], v3_req_rep[ir],
									                  v3_req_rep[ar], ch, v31);
	}
	for (int ch = 0; ch < 2; ch++)
		for (int av = 1; av <= 4; av++)
			for (int ac = 1; ac <= 2; ac++)
				for (int pr = 1; pr <= 3; pr++)
					for (int ui = 1; ui <= 2; ui++)
						t->v3_mexpl[ch][v3_expl_index(av, ac, pr, ui)] =
						    8.22 * v3_av[av] * v3_ac[ac] * (ch ? v3_pr_c : v3_pr_u)[pr] * v3_ui[ui];
}

/* Always inlined, so each call site gets its version's Roundup. */
static inline __attribute__((always_inline)) void score_v3(const unsigned char *v, int v31,
                                                           struct kk_cvss_scores *o)
{
	const struct derived *t = tables();
	int changed = v[V3_S] == 2;
	o->base = t->v3_base[v31][v3_base_index(v)];
	int tm = v3_tm_index(v);
	/* All temporal weights 1: Roundup of a one-decimal number is itself. */
	o->temporal = o->groups & KK_CVSS_G_TEMPORAL ? t->v3_temporal[v31][o->base][tm] : o->base;
	/* Without environmental metrics the environmental equations repeat the
	 * base ones operation for operation (MISS = ISS <= 0.915), so the score is
	 * the temporal one -- except in 3.1 with scope changed, whose modified
	 * impact has its own formula. */
	if (!(o->groups & KK_CVSS_G_ENV) && (!v31 || !changed)) {
		o->environmental = o->temporal;
		return;
	}
	int mchanged = eff(v, V3_S, V3_MS) == 2;
	double mimpact = t->v3_mimpact[v31][mchanged][v3_miss_index(
	    eff(v, V3_C, V3_MC), eff(v, V3_I, V3_MI), eff(v, V3_A, V3_MA), v[V3_CR], v[V3_IR], v[V3_AR])];
	if (mimpact <= 0) {
		o->environmental = 0;
		return;
	}
	double mexpl = t->v3_mexpl[mchanged][v3_expl_index(eff(v, V3_AV, V3_MAV), eff(v, V3_AC, V3_MAC),
	                                                    eff(v, V3_PR, V3_MPR), eff(v, V3_UI, V3_MUI))];
	/* The modified base score, then the temporal Roundup over it. */
	int inner = mchanged ? roundup(min10(1.08 * (mimpact + mexpl)), v31) : roundup(min10(mimpact + mexpl), v31);
	o->environmental = t->v3_temporal[v31][inner][tm];
}

/* ---------------------------------------------------------------- derived */

static void build_derived(void)
{
	struct derived *t = &derived;
	for (int ver = KK_CVSS_V2; ver <= KK_CVSS_V40; ver++) {
		const struct version *v = &versions[ver];
		for (int i = 0; i < v->n; i++) {
			const struct metric *m = &v->m[i];
			uint32_t h = HASH(m->key);
			if (!t->slot[ver][h]) {
				t->slot[ver][h] = (unsigned char)(i + 1);
				t->key[ver][h] = m->key;
			}
			for (int k = 0; k < m->nvals; k++)
				if (m->vals[k][1] == 0 && m->vals[k][0] >= 'A' && m->vals[k][0] <= 'Z')
					t->val1[ver][i][(unsigned char)m->vals[k][0]] = (unsigned char)(k + 1);
		}
		const char *tp = base_template[ver];
		struct base_words *bw = &t->base[ver];
		unsigned char w[64] = {0}, mk[64] = {0};
		size_t len = strlen(tp);
		for (size_t k = 0, i = 0; k < len; k++) {
			if (tp[k] == '?')
				bw->off[i++] = (unsigned char)k;
			else
				w[k] = (unsigned char)tp[k], mk[k] = 0xff;
		}
		bw->len = (unsigned char)len;
		bw->nwords = (unsigned char)((len + 7) / 8);
		memcpy(bw->word, w, sizeof(bw->word));
		memcpy(bw->mask, mk, sizeof(bw->mask));
	}
	build_v3(t);
	build_v4(t);
	atomic_store_explicit(&derived_ready, 1, memory_order_release);
}

/* ---------------------------------------------------------------- v4 */

/*
 * The fifteen metrics the v4.0 interpolation looks at, in the order FIRST's
 * max vectors list them (EQ1 AV PR UI, EQ2 AC AT, EQ3+EQ6 VC VI VA CR IR AR,
 * EQ4 SC SI SA, EQ5 E), with the letters of each in order of severity
 * level: the index of a letter is its level in steps of 0.1.
 */
enum { Q_AV, Q_PR, Q_UI, Q_AC, Q_AT, Q_VC, Q_VI, Q_VA, Q_CR, Q_IR, Q_AR, Q_SC, Q_SI, Q_SA, Q_E, Q_N };
#define L(c) [(c) - 'A']
static const signed char q_level[Q_N][26] = {
    /* level + 1; 0 = not a value */
    [Q_AV] = {L('N') = 1, L('A') = 2, L('L') = 3, L('P') = 4},
    [Q_PR] = {L('N') = 1, L('L') = 2, L('H') = 3},
    [Q_UI] = {L('N') = 1, L('P') = 2, L('A') = 3},
    [Q_AC] = {L('L') = 1, L('H') = 2},
    [Q_AT] = {L('N') = 1, L('P') = 2},
    [Q_VC] = {L('H') = 1, L('L') = 2, L('N') = 3},
    [Q_VI] = {L('H') = 1, L('L') = 2, L('N') = 3},
    [Q_VA] = {L('H') = 1, L('L') = 2, L('N') = 3},
    [Q_CR] = {L('H') = 1, L('M') = 2, L('L') = 3},
    [Q_IR] = {L('H') = 1, L('M') = 2, L('L') = 3},
    [Q_AR] = {L('H') = 1, L('M') = 2, L('L') = 3},
    [Q_SC] = {L('H') = 2, L('L') = 3, L('N') = 4},
    [Q_SI] = {L('S') = 1, L('H') = 2, L('L') = 3, L('N') = 4},
    [Q_SA] = {L('S') = 1, L('H') = 2, L('L') = 3, L('N') = 4},
    [Q_E] = {L('A') = 1, L('P') = 2, L('U') = 3},
};
#undef L
static const double step_level[4] = {0.0, 0.1, 0.2, 0.3};

/* Severity level (in steps of 0.1) of value letter c of metric q. */
static inline int level_of(int q, char c)
{
	int l = c >= 'A' && c <= 'Z' ? q_level[q][c - 'A'] : 0;
	return l ? l - 1 : 0;
}

/* Effective value letter of a v4 metric: modified metric over base metric,
 * X threat/requirement metrics at their worst case (E:A, CR/IR/AR:H). */
static char v4_letter(const unsigned char *v, int b, int mb)
{
	if (mb >= 0 && v[mb] > 1)
		return v4_metrics[mb].vals[v[mb] - 1][0];
	return v4_metrics[b].vals[v[b] - 1][0];
}

static double lookup(int e1, int e2, int e3, int e4, int e5, int e6)
{
	if (e1 > 2 || e2 > 1 || e3 > 2 || e4 > 2 || e5 > 2 || e6 > 1)
		return -1;
	return kk_cvss4_lookup[e1][e2][e3][e4][e5][e6];
}

/* First max vector of `list` that no metric of the vector exceeds (all
 * severity distances >= 0), or -1; `first` is the metric of its letter 0. */
static int first_dominating(const struct max_levels *list, const int *lv, int first)
{
	for (int k = 0; k < list->n; k++) {
		int ok = 1;
		for (int j = 0; j < list->nm; j++)
			if (lv[first + j] < list->lv[k][j]) {
				ok = 0;
				break;
			}
		if (ok)
			return k;
	}
	return -1;
}

static double distance(const int *lv, const unsigned char *max_lv, int first, int q)
{
	return step_level[lv[q]] - step_level[max_lv[q - first]];
}

static void build_max_levels(struct max_levels *out, const struct kk_cvss4_max_list *list, int first)
{
	out->n = (unsigned char)list->n;
	for (int k = 0; k < list->n && k < 8; k++) {
		const char *val = list->v[k].val;
		out->nm = (unsigned char)strlen(val);
		for (int j = 0; val[j] && j < 6; j++)
			out->lv[k][j] = (unsigned char)level_of(first + j, val[j]);
	}
}

static void build_v4(struct derived *t)
{
	for (int i = 0; i < 3; i++) {
		build_max_levels(&t->v4_eq1[i], &kk_cvss4_eq1_max[i], Q_AV);
		build_max_levels(&t->v4_eq4[i], &kk_cvss4_eq4_max[i], Q_SC);
		for (int j = 0; j < 2; j++)
			build_max_levels(&t->v4_eq3[i][j], &kk_cvss4_eq3_max[i][j], Q_VC);
	}
	for (int i = 0; i < 2; i++)
		build_max_levels(&t->v4_eq2[i], &kk_cvss4_eq2_max[i], Q_AC);
}

static int score_v4(const unsigned char *v)
{
	char q[Q_N];
	q[Q_AV] = v4_letter(v, V4_AV, V4_MAV);
	q[Q_PR] = v4_letter(v, V4_PR, V4_MPR);
	q[Q_UI] = v4_letter(v, V4_UI, V4_MUI);
	q[Q_AC] = v4_letter(v, V4_AC, V4_MAC);
	q[Q_AT] = v4_letter(v, V4_AT, V4_MAT);
	q[Q_VC] = v4_letter(v, V4_VC, V4_MVC);
	q[Q_VI] = v4_letter(v, V4_VI, V4_MVI);
	q[Q_VA] = v4_letter(v, V4_VA, V4_MVA);
	q[Q_SC] = v4_letter(v, V4_SC, V4_MSC);
	q[Q_SI] = v4_letter(v, V4_SI, V4_MSI);
	q[Q_SA] = v4_letter(v, V4_SA, V4_MSA);
	q[Q_CR] = v[V4_CR] > 1 ? v4_metrics[V4_CR].vals[v[V4_CR] - 1][0] : 'H';
	q[Q_IR] = v[V4_IR] > 1 ? v4_metrics[V4_IR].vals[v[V4_IR] - 1][0] : 'H';
	q[Q_AR] = v[V4_AR] > 1 ? v4_metrics[V4_AR].vals[v[V4_AR] - 1][0] : 'H';
	q[Q_E] = v[V4_E] > 1 ? v4_metrics[V4_E].vals[v[V4_E] - 1][0] : 'A';

	if (q[Q_VC] == 'N' && q[Q_VI] == 'N' && q[Q_VA] == 'N' && q[Q_SC] == 'N' && q[Q_SI] == 'N' &&
	    q[Q_SA] == 'N')
		return 0;

	/* The MacroVector (specification section 8.2, Table 24-29). */
	int eq1 = q[Q_AV] == 'N' && q[Q_PR] == 'N' && q[Q_UI] == 'N'                       ? 0
	          : (q[Q_AV] == 'N' || q[Q_PR] == 'N' || q[Q_UI] == 'N') && q[Q_AV] != 'P' ? 1
	                                                                                   : 2;
	int eq2 = q[Q_AC] == 'L' && q[Q_AT] == 'N' ? 0 : 1;
	int eq3 = q[Q_VC] == 'H' && q[Q_VI] == 'H'                     ? 0
	          : q[Q_VC] == 'H' || q[Q_VI] == 'H' || q[Q_VA] == 'H' ? 1
	                                                               : 2;
	int eq4 = q[Q_SI] == 'S' || q[Q_SA] == 'S'                     ? 0
	          : q[Q_SC] == 'H' || q[Q_SI] == 'H' || q[Q_SA] == 'H' ? 1
	                                                               : 2;
	int eq5 = q[Q_E] == 'A' ? 0 : q[Q_E] == 'P' ? 1 : 2;
	int eq6 = (q[Q_CR] == 'H' && q[Q_VC] == 'H') || (q[Q_IR] == 'H' && q[Q_VI] == 'H') ||
	                  (q[Q_AR] == 'H' && q[Q_VA] == 'H')
	              ? 0
	              : 1;

	double value = kk_cvss4_lookup[eq1][eq2][eq3][eq4][eq5][eq6];
	double low1 = lookup(eq1 + 1, eq2, eq3, eq4, eq5, eq6);
	double low2 = lookup(eq1, eq2 + 1, eq3, eq4, eq5, eq6);
	double low36;
	if (eq3 == 0 && eq6 == 0) {
		double l = lookup(eq1, eq2, eq3, eq4, eq5, eq6 + 1),
		       r = lookup(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
		low36 = l > r ? l : r;
	} else if (eq3 == 1 && eq6 == 0) {
		low36 = lookup(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
	} else if (eq3 == 2) {
		low36 = -1; /* 21 -> 32 does not exist */
	} else {
		low36 = lookup(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
	}
	double low4 = lookup(eq1, eq2, eq3, eq4 + 1, eq5, eq6);
	double low5 = lookup(eq1, eq2, eq3, eq4, eq5 + 1, eq6);

	/* The highest severity vector of this MacroVector that the vector does
	 * not exceed; FIRST takes the first in its nested order, and when none
	 * qualifies, keeps the distances of the last one it tried. */
	int lv[Q_N];
	for (int k = 0; k < Q_N; k++)
		lv[k] = level_of(k, q[k]);
	const struct derived *t = tables();
	const struct max_levels *m1 = &t->v4_eq1[eq1], *m2 = &t->v4_eq2[eq2], *m3 = &t->v4_eq3[eq3][eq6],
	                        *m4 = &t->v4_eq4[eq4];
	int k1 = first_dominating(m1, lv, Q_AV), k2 = first_dominating(m2, lv, Q_AC),
	    k3 = first_dominating(m3, lv, Q_VC), k4 = first_dominating(m4, lv, Q_SC);
	if (k1 < 0 || k2 < 0 || k3 < 0 || k4 < 0)
		k1 = m1->n - 1, k2 = m2->n - 1, k3 = m3->n - 1, k4 = m4->n - 1;
	const unsigned char *x1 = m1->lv[k1], *x2 = m2->lv[k2], *x3 = m3->lv[k3], *x4 = m4->lv[k4];

	double d_eq1 =
	    distance(lv, x1, Q_AV, Q_AV) + distance(lv, x1, Q_AV, Q_PR) + distance(lv, x1, Q_AV, Q_UI);
	double d_eq2 = distance(lv, x2, Q_AC, Q_AC) + distance(lv, x2, Q_AC, Q_AT);
	double d_eq36 = distance(lv, x3, Q_VC, Q_VC) + distance(lv, x3, Q_VC, Q_VI) +
	                distance(lv, x3, Q_VC, Q_VA) + distance(lv, x3, Q_VC, Q_CR) +
	                distance(lv, x3, Q_VC, Q_IR) + distance(lv, x3, Q_VC, Q_AR);
	double d_eq4 =
	    distance(lv, x4, Q_SC, Q_SC) + distance(lv, x4, Q_SC, Q_SI) + distance(lv, x4, Q_SC, Q_SA);

	const double step = 0.1;
	int n = 0;
	double sum = 0;
	/* Each existing lower MacroVector adds the maximal scoring difference
	 * times the proportion of the MacroVector's depth the vector is down. */
	double n1 = 0, n2 = 0, n36 = 0, n4 = 0, n5 = 0;
	if (low1 >= 0)
		n++, n1 = (value - low1) * (d_eq1 / (kk_cvss4_eq1_depth[eq1] * step));
	if (low2 >= 0)
		n++, n2 = (value - low2) * (d_eq2 / (kk_cvss4_eq2_depth[eq2] * step));
	if (low36 >= 0)
		n++, n36 = (value - low36) * (d_eq36 / (kk_cvss4_eq3eq6_depth[eq3][eq6] * step));
	if (low4 >= 0)
		n++, n4 = (value - low4) * (d_eq4 / (kk_cvss4_eq4_depth[eq4] * step));
	if (low5 >= 0)
		n++, n5 = (value - low5) * 0; /* EQ5 has depth 0: its proportion is always 0 */
	if (n)
		sum = (n1 + n2 + n36 + n4 + n5) / n;
	double x = value - sum;
	if (x > 10)
		x = 10;
	if (x < 0)
		x = 0;
	/* FIRST rounds half up after adding 1e-6 to absorb binary noise. */
	return (int)round_half_up((x + 1e-6) * 10);
}

/* ---------------------------------------------------------------- score */

int kk_cvss_score(const struct kk_cvss *c, struct kk_cvss_scores *o)
{
	const struct version *v = version_of(c->version);
	if (!v)
		return KK_EINVAL;
	/* Validate and collect the groups sixteen metrics at a time (GCC/Clang
	 * vector extensions; lanes of a comparison are 0 or all ones). The group
	 * codes are single bits, and only base metrics have bit 0. */
	typedef unsigned char u8x16 __attribute__((vector_size(16)));
	u8x16 bad_v = {0}, grp_v = {0};
	for (int k = 0; k < KK_CVSS_MAX_METRICS; k += 16) {
		u8x16 x, nv, grp;
		memcpy(&x, c->val + k, 16);
		memcpy(&nv, v->nv + k, 16);
		memcpy(&grp, v->grp + k, 16);
		bad_v |= (u8x16)(x > nv);                         /* above the metric's count (or >= 128) */
		bad_v |= (u8x16)(x == 0) & (grp & KK_CVSS_G_BASE); /* a base metric absent */
		grp_v |= grp & (u8x16)(x > 1);                     /* given, and not X/ND */
	}
	uint64_t half[2], bad, groups;
	memcpy(half, &bad_v, 16);
	bad = half[0] | half[1];
	memcpy(half, &grp_v, 16);
	groups = half[0] | half[1];
	groups |= groups >> 32, groups |= groups >> 16, groups |= groups >> 8;
	groups = (groups & 0xff) | KK_CVSS_G_BASE;
	if (bad)
		return KK_EINVAL;
	o->groups = (unsigned)groups;
	if (c->version == KK_CVSS_V40) {
		o->base = o->score = score_v4(c->val);
		o->temporal = o->environmental = -1;
		return 0;
	}
	if (c->version == KK_CVSS_V2)
		score_v2(c->val, o);
	else if (c->version == KK_CVSS_V31)
		score_v3(c->val, 1, o);
	else
		score_v3(c->val, 0, o);
	o->score = groups & KK_CVSS_G_ENV        ? o->environmental
	           : groups & KK_CVSS_G_TEMPORAL ? o->temporal
	                                         : o->base;
	return 0;
}

/*
 * version.h — comparing version strings the way each ecosystem does, and
 * deciding whether a version falls in an affected range (NVD, OSV).
 *
 * Schemes:
 *   generic  dotted numbers and letters ("1.2.3", "1.0rc1", "2.4.1a"); see
 *            the rules at kk_version_compare in version.c
 *   semver   Semantic Versioning 2.0.0 (strict: MAJOR.MINOR.PATCH[-pre][+build])
 *   deb      Debian / dpkg ([epoch:]upstream[-revision], '~' before anything)
 *   rpm      RPM rpmvercmp ([epoch:]version[-release], '~' and '^')
 *   pypi     PEP 440 (strict: a string PEP 440 does not accept is an error)
 *   maven    Maven's ComparableVersion (qualifiers, '-' sub-lists, padding)
 *
 * Nothing here allocates or keeps state: every function is thread-safe and
 * reads only the NUL-terminated strings it is given. Numbers of any length
 * compare exactly (they are compared as digit strings, never converted).
 *
 * Errors: KK_EPARSE when a strict scheme rejects a version (d names the
 * version and why), KK_ETOOBIG for a version of more than KK_VERSION_MAX
 * bytes or (maven) more than 64 parts, KK_EINVAL for a bad argument.
 */
#ifndef KK_STD_VERSION_H
#define KK_STD_VERSION_H
#include "base/err.h"
#include <stdbool.h>
#include <stddef.h>

#define KK_VERSION_MAX 256

enum kk_version_scheme {
	KK_VERSION_GENERIC,
	KK_VERSION_SEMVER,
	KK_VERSION_DEB,
	KK_VERSION_RPM,
	KK_VERSION_PYPI,
	KK_VERSION_MAVEN,
	KK_VERSION__COUNT
};

/* "generic", "semver", ... -> scheme; also accepts the OSV ecosystem names
 * "Debian", "PyPI", "Maven", "Red Hat"/"AlmaLinux"/"Rocky Linux" (rpm),
 * "SEMVER", "npm", "crates.io", "Go" (semver). Returns 0 or KK_EINVAL. */
int kk_version_scheme_parse(const char *name, enum kk_version_scheme *out);
/* The scheme's short name ("semver"); "?" for an out-of-range value. */
const char *kk_version_scheme_name(enum kk_version_scheme s);

/* 0 when v is a version of scheme s, else KK_EPARSE/KK_ETOOBIG with d set.
 * The lenient schemes (generic, deb, rpm, maven) reject only what they
 * cannot order: an empty string, a bad epoch, a control character. */
int kk_version_check(enum kk_version_scheme s, const char *v, struct kk_diag *d);

/*
 * Compares a and b under scheme s. On success stores -1, 0 or 1 in *cmp and
 * returns 0; on invalid input returns the kk_version_check error for the
 * first invalid operand.
 */
int kk_version_compare(enum kk_version_scheme s, const char *a, const char *b, int *cmp, struct kk_diag *d);

/*
 * The key of v under the generic scheme into out[0..cap): two generic
 * versions compare equal exactly when their keys are equal ("2.0", "2.0.0",
 * "v2" -> "2"; "1.0RC1" -> "1.0.~5.1"), so an index can find the rows equal
 * to a version by one lookup. '*' and '-' (CPE's ANY and NA) stay as they
 * are; a commit hash (kk_version_is_commit) becomes '#' and its lower case,
 * which no version's key equals. 0; KK_ETOOBIG when out is too small
 * (2 * KK_VERSION_MAX + 2 bytes always suffice) or v is longer than
 * KK_VERSION_MAX; KK_EINVAL for NULL.
 */
int kk_version_key(const char *v, char *out, size_t cap);
#define KK_VERSION_KEY_MAX (2 * KK_VERSION_MAX + 2)

/*
 * Whether v looks like a git commit id rather than a version: 7 to 64
 * hexadecimal digits with at least one letter and one digit ("1da177e4c3f4").
 * CVE JSON 5 "git" (and some "custom") version types bound ranges by
 * commits, which cannot be ordered without the repository.
 */
bool kk_version_is_commit(const char *v);

/*
 * A Go release tag ("go1.20", "go1.20.3", "go1.21rc1", "go1.9beta2") as
 * the semantic version OSV's Go ecosystem uses for the standard library
 * and the toolchain ("1.20.0", "1.20.3", "1.21.0-rc.1", "1.9.0-beta.2")
 * into out. 0; KK_EINVAL when tag is not such a tag; KK_ETOOBIG.
 */
int kk_version_go_tag(const char *tag, char *out, size_t cap);

/*
 * An NVD configuration range. NULL fields are absent. With `exact` set the
 * other fields are ignored and only v == exact is affected. With no field
 * set every version is affected (NVD's "any version").
 */
struct kk_version_range {
	const char *exact;
	const char *start_including;
	const char *start_excluding;
	const char *end_including;
	const char *end_excluding;
};
/* Sets *affected. Errors as kk_version_compare (d names the bad bound). */
int kk_version_in_range(enum kk_version_scheme s, const char *v, const struct kk_version_range *r,
			bool *affected, struct kk_diag *d);

/* One OSV range event: {"introduced": "1.0"} etc. */
enum kk_osv_event_kind {
	KK_OSV_INTRODUCED,
	KK_OSV_FIXED,
	KK_OSV_LAST_AFFECTED,
	KK_OSV_LIMIT,
};
struct kk_osv_event {
	enum kk_osv_event_kind kind;
	const char *version; /* "0" in an introduced event means "from the start" */
};
/*
 * OSV's evaluation of one SEMVER or ECOSYSTEM range: the events are taken
 * in version order ("0" first; equal versions keep their given order) and
 * the last one that applies to v decides — introduced applies when
 * v >= introduced, fixed when v >= fixed (not affected), last_affected when
 * v > last_affected (not affected). Limit events, when present, cap the
 * range: v must be below at least one limit. No sorting buffer is needed.
 */
int kk_version_osv_affected(enum kk_version_scheme s, const char *v, const struct kk_osv_event *ev, size_t n,
			    bool *affected, struct kk_diag *d);

#endif

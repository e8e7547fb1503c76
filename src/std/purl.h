/*
 * purl.h — package URLs (https://github.com/package-url/purl-spec):
 *     pkg:type/namespace/name@version?qualifiers#subpath
 *
 * kk_purl_parse splits and percent-decodes a purl, applies the rules the
 * specification gives for every purl (type and qualifier keys lowercased,
 * qualifiers sorted by key, empty qualifier values dropped, subpath "."
 * and ".." segments removed) and the type-specific ones (bitbucket, github:
 * namespace and name lowercased; pypi: name lowercased and '_' -> '-';
 * conan: namespace and channel qualifier go together; cran: version
 * required; swift: namespace and version required; hackage: version
 * required). kk_purl_build writes the canonical form.
 *
 * Ownership: decoded strings are written into the caller's `store` (at most
 * as many bytes as the input); the struct's slices point into it, so the
 * store must outlive the struct. An absent component has ptr == NULL.
 * Nothing allocates; everything is thread-safe.
 */
#ifndef KK_STD_PURL_H
#define KK_STD_PURL_H
#include "base/err.h"
#include "base/str.h"
#include <stddef.h>

#define KK_PURL_MAX_QUALIFIERS 32
#define KK_PURL_MAX_LEN 4096

struct kk_purl_qualifier {
	struct kk_str key;   /* lowercase */
	struct kk_str value; /* decoded, never empty */
};

struct kk_purl {
	struct kk_str type;	 /* lowercase, required */
	struct kk_str namespace; /* decoded segments joined by '/', or absent */
	struct kk_str name;	 /* decoded, required */
	struct kk_str version;	 /* decoded, or absent */
	struct kk_str subpath;	 /* decoded segments joined by '/', or absent */
	size_t nqualifiers;
	struct kk_purl_qualifier qualifiers[KK_PURL_MAX_QUALIFIERS]; /* sorted by key */
};

/*
 * Parses s[0..len) into p, writing decoded text into store[0..cap)
 * (cap >= len always suffices). Returns 0, KK_EPARSE (d names the
 * component and why), or KK_ETOOBIG (longer than KK_PURL_MAX_LEN, more
 * than KK_PURL_MAX_QUALIFIERS qualifiers, or store too small).
 */
int kk_purl_parse(const char *s, size_t len, struct kk_purl *p, char *store, size_t cap, struct kk_diag *d);

/*
 * Writes the canonical purl of p to out[0..cap), NUL-terminated: components
 * percent-encoded (everything but A-Z a-z 0-9 . - _ ~ is encoded; ':' is
 * kept in namespace, name and version), qualifiers in key order. Encoding
 * can make it up to three times as long as the parsed input, so give out
 * 3 * KK_PURL_MAX_LEN bytes to be safe.
 * p need not come from kk_purl_parse, but its type and name must be set
 * and it is not normalised here. Returns the length, KK_EINVAL (no type or
 * name), or KK_ETOOBIG (out then holds "").
 */
int kk_purl_build(const struct kk_purl *p, char *out, size_t cap);

#endif

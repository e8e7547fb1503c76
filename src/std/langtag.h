/*
 * langtag.h — language tags (RFC 5646, BCP 47: "en", "ja-JP", "zh-Hant-TW",
 * "de-CH-1901", "en-US-u-ca-gregory", "x-whatever", "i-default").
 *
 * kk_langtag_parse decides whether a tag is well-formed, i.e. matches the
 * ABNF of RFC 5646 section 2.1:
 *
 *     Language-Tag = langtag / privateuse / grandfathered
 *     langtag      = language ["-" script] ["-" region] *("-" variant)
 *                    *("-" extension) ["-" privateuse]
 *     language     = 2*3ALPHA ["-" extlang] / 4ALPHA / 5*8ALPHA
 *     extlang      = 3ALPHA *2("-" 3ALPHA)
 *     script = 4ALPHA; region = 2ALPHA / 3DIGIT
 *     variant      = 5*8alphanum / (DIGIT 3alphanum)
 *     extension    = singleton 1*("-" (2*8alphanum))   ; singleton: any alphanum but x
 *     privateuse   = "x" 1*("-" (1*8alphanum))
 *
 * plus the 26 grandfathered tags listed there. Case never matters. Only the
 * syntax is checked: whether the subtags are in the IANA registry (the
 * "valid" of section 2.2.9) is not, since no registry is carried; the one
 * part of validity that needs no registry, a repeated variant or extension
 * singleton, is reported in `repeats` ("ar-a-aaa-b-bbb-a-ccc" is well-formed
 * but can never be valid).
 *
 * Ownership: the parts are slices of the caller's input, as written (not
 * case-folded); an absent part has ptr == NULL. Pure: no I/O, no
 * allocation, thread-safe.
 */
#ifndef KK_STD_LANGTAG_H
#define KK_STD_LANGTAG_H
#include "base/err.h"
#include "base/str.h"
#include <stdbool.h>
#include <stddef.h>

enum kk_langtag_kind {
	KK_LANGTAG_NORMAL,     /* the langtag production */
	KK_LANGTAG_PRIVATEUSE, /* "x-..." alone */
	KK_LANGTAG_IRREGULAR,  /* grandfathered, not of the langtag form: en-GB-oed, i-*, sgn-* */
	KK_LANGTAG_REGULAR,    /* grandfathered of the langtag form: art-lojban, zh-min-nan, ... */
};

struct kk_langtag {
	enum kk_langtag_kind kind;
	/*
	 * The primary language subtag (2 to 8 letters). For a grandfathered tag
	 * its first subtag when that is a language subtag (en of en-GB-oed, sgn
	 * of sgn-BE-FR, zh of zh-min-nan); absent for the i-* tags and for
	 * private use tags, which name no language by a language subtag.
	 */
	struct kk_str language;
	/* The other parts of a NORMAL tag (a grandfathered tag's subtags are
	 * not script, region, ... subtags, so they stay absent): */
	struct kk_str extlang;    /* "yue", or up to three: "aaa-bbb-ccc" */
	struct kk_str script;     /* "Hant" */
	struct kk_str region;     /* "TW", "419" */
	struct kk_str variants;   /* "rozaj-biske" */
	struct kk_str extensions; /* "u-ca-gregory-t-ja" */
	struct kk_str privateuse; /* "x-phonebk" (the whole tag for PRIVATEUSE) */
	bool repeats;             /* a variant or an extension singleton appears twice */
};

/*
 * Parses s[0..len) into *t. Returns 0 when the tag is well-formed, else
 * KK_EPARSE with d->msg saying what is wrong ("'DE' cannot follow the
 * region '419' ..."), d->where naming the subtag ("subtag 3") and
 * d->offset its byte offset.
 */
int kk_langtag_parse(const char *s, size_t len, struct kk_langtag *t, struct kk_diag *d);

/*
 * Writes s[0..len) in the canonical case of RFC 5646 section 2.1.1 to
 * out[0..cap), NUL-terminated: lower case, except two-letter subtags (upper
 * case) and four-letter subtags (title case) that are neither the first
 * subtag nor come after a single-character one: "EN-us" -> "en-US",
 * "ZH-hant-tw" -> "zh-Hant-TW", "sgn-be-fr" -> "sgn-BE-FR",
 * "az-ARAB-x-AZE" -> "az-Arab-x-aze". Returns the length, KK_EPARSE when
 * the tag is not well-formed (d as for kk_langtag_parse; d may be NULL), or
 * KK_ETOOBIG when cap <= len (out then holds "").
 */
int kk_langtag_canon(const char *s, size_t len, char *out, size_t cap, struct kk_diag *d);

/* "langtag", "privateuse", "irregular", "regular" (the RFC's names). */
const char *kk_langtag_kind_name(enum kk_langtag_kind k);

#endif

/*
 * cpe.h — CPE 2.3 names: the well-formed name (WFN) of NISTIR 7695, its two
 * bindings (formatted string "cpe:2.3:..." and the 2.2 URI "cpe:/..."), and
 * name matching as NISTIR 7696 defines it.
 *
 * A parsed name is a struct kk_cpe: eleven attribute values, each ANY, NA
 * or a string in WFN form — lowercase (matching is case-insensitive, so
 * keikai keeps names lowercase as the CPE dictionary does), every
 * non-alphanumeric character other than '_' quoted with '\', and unquoted
 * '*' / '?' as wildcards (only at the beginning or end of a value).
 *
 * Ownership: the value strings live in the `store` buffer the caller passes
 * to kk_cpe_parse; the struct only points into it, so the buffer must
 * outlive the struct. KK_CPE_STORE(n) bytes always suffice for an input of n
 * bytes. Nothing here allocates; every function is thread-safe.
 *
 * Matching reads only the struct: the parse precomputes for each value its
 * kind, whether it carries wildcards, and the literal core between its
 * leading and trailing wildcards, so comparing two names is a few length
 * checks and memcmp calls.
 */
#ifndef KK_STD_CPE_H
#define KK_STD_CPE_H
#include "base/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kk_cpe_attr {
	KK_CPE_PART,
	KK_CPE_VENDOR,
	KK_CPE_PRODUCT,
	KK_CPE_VERSION,
	KK_CPE_UPDATE,
	KK_CPE_EDITION,
	KK_CPE_LANGUAGE,
	KK_CPE_SW_EDITION,
	KK_CPE_TARGET_SW,
	KK_CPE_TARGET_HW,
	KK_CPE_OTHER,
	KK_CPE_NATTR
};

enum kk_cpe_kind { KK_CPE_ANY, KK_CPE_NA, KK_CPE_VALUE };

/* Longest input kk_cpe_parse accepts, and store bytes enough for n input bytes. */
#define KK_CPE_MAX_LEN 2048
#define KK_CPE_STORE(n) (2 * (n) + 16)

struct kk_cpe_val {
	const char *ptr;     /* WFN form, not NUL-terminated; NULL for ANY/NA */
	uint16_t len;	     /* bytes at ptr */
	uint16_t core;	     /* offset of the literal part after leading wildcards */
	uint16_t core_len;   /* length of the literal part */
	uint8_t kind;	     /* enum kk_cpe_kind */
	bool wild;	     /* has unquoted '*' or '?' */
	int8_t begins, ends; /* leading/trailing wildcard: -1 for '*', else count of '?' */
};

struct kk_cpe {
	struct kk_cpe_val a[KK_CPE_NATTR];
	/* bit (1 << attr) set when the value is ANY / NA / has wildcards;
	 * computed by kk_cpe_parse, used by kk_cpe_compare */
	uint16_t any, na, wild;
};

/* The attribute's WFN name ("sw_edition"), or NULL. */
const char *kk_cpe_attr_name(enum kk_cpe_attr a);

/*
 * Parses a formatted string ("cpe:2.3:a:vendor:product:...", all 13
 * components) or a URI ("cpe:/a:vendor:product...", 1 to 7 components,
 * edition possibly packed "~ed~sw_ed~t_sw~t_hw~other"), chosen by prefix.
 * s need not be NUL-terminated. Values go into store[0..cap).
 * Returns 0; KK_EPARSE with d naming the component and offset; KK_ETOOBIG
 * when len > KK_CPE_MAX_LEN or cap is too small.
 */
int kk_cpe_parse(const char *s, size_t len, struct kk_cpe *out, char *store, size_t cap, struct kk_diag *d);

/*
 * Binds to the formatted string / URI / WFN text into out[0..cap),
 * NUL-terminated. The WFN text names every attribute, ANY and NA as such:
 * wfn:[part="a",vendor="microsoft",...,other=ANY]. The URI packs
 * sw_edition, target_sw, target_hw and other into the edition
 * ("~ed~sw~tsw~thw~other") when any of them is not ANY, and drops trailing
 * empty components. A value that is a lone hyphen is written "\-" / "%2d"
 * so that it does not read back as NA. Returns the length, or KK_ETOOBIG
 * if cap is too small (out then holds ""). 4 * the parsed input length +
 * 256 bytes always suffice.
 */
int kk_cpe_bind_fs(const struct kk_cpe *c, char *out, size_t cap);
int kk_cpe_bind_uri(const struct kk_cpe *c, char *out, size_t cap);
int kk_cpe_bind_wfn(const struct kk_cpe *c, char *out, size_t cap);

/* Relations of NISTIR 7696. */
enum kk_cpe_rel {
	KK_CPE_EQUAL,
	KK_CPE_SUPERSET,
	KK_CPE_SUBSET,
	KK_CPE_DISJOINT,
	KK_CPE_UNDEFINED,
};
/* "equal", "superset", "subset", "disjoint", "undefined". */
const char *kk_cpe_rel_name(enum kk_cpe_rel r);

/* Attribute comparison (IR 7696 6.1.2): relation of source value to target value. */
enum kk_cpe_rel kk_cpe_attr_compare(const struct kk_cpe_val *source, const struct kk_cpe_val *target);

/*
 * Name comparison (IR 7696 6.2): DISJOINT if any attribute is disjoint;
 * EQUAL if all are equal; SUPERSET if all are superset or equal; SUBSET if
 * all are subset or equal; otherwise UNDEFINED (an undefined attribute —
 * a target with wildcards — or a mix of superset and subset).
 */
enum kk_cpe_rel kk_cpe_compare(const struct kk_cpe *source, const struct kk_cpe *target);

/* True when source matches target: CPE_SUPERSET or CPE_EQUAL (the usual
 * "does this configuration's CPE cover this product" question). */
bool kk_cpe_match(const struct kk_cpe *source, const struct kk_cpe *target);

/*
 * Component idx (0 part, 1 vendor, 2 product, 3 version, ...) of a
 * formatted string, or of a URI after "cpe:/", as the name writes it
 * (escapes kept; nothing is parsed or checked) into out[0..cap),
 * NUL-terminated. false when name is neither, or the component is absent,
 * empty or does not fit.
 */
bool kk_cpe_fs_field(const char *name, int idx, char *out, size_t cap);

#endif

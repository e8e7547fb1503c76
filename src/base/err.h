/*
 * err.h — error codes and diagnostics.
 *
 * Functions that can fail return int: 0 (or a non-negative count) on
 * success, a negative KK_E* code on failure. The codes come from err.def,
 * which also gives each its API code string, HTTP status and message.
 *
 * Parsers also fill a struct kk_diag so a person sees *which* record and
 * *which* field was wrong: `where` holds a JSON pointer, "line:col", or a
 * field name; `msg` is a static or diag-owned string.
 */
#ifndef KK_BASE_ERR_H
#define KK_BASE_ERR_H
#include <stddef.h>

enum kk_err {
	KK_OK = 0,
	KK_E__FIRST = -1000,
#define X(name, code, http, msg) KK_E##name,
#include "base/err.def"
#undef X
	KK_E__LAST
};

/* "not_found" etc.; "ok" for 0; "unknown" for anything else. */
const char *kk_err_code(int err);
/* Default English message for err. */
const char *kk_err_msg(int err);
/* HTTP status for err (200 for 0, 500 for unknown codes). */
int kk_err_http(int err);

/* Returns from the calling function when x is a negative error (KK_E*). */
#define KK_TRY(x)                                                                                            \
	do {                                                                                                 \
		int kk_try_rc_ = (x);                                                                        \
		if (kk_try_rc_ < 0)                                                                          \
			return kk_try_rc_;                                                                   \
	} while (0)

struct kk_diag {
	int code;	 /* KK_E* */
	char msg[256];	 /* what is wrong and, where it helps, the fix */
	char where[128]; /* JSON pointer, "line:col", or field name */
	size_t offset;	 /* byte offset in the input, when known */
	int line;	 /* 1-based line, 0 when not applicable */
};

/* Clears d (may be NULL). */
void kk_diag_clear(struct kk_diag *d);
/*
 * Fills d (if not NULL) and returns code, so a parser can write
 *     return kk_diag_set(d, KK_EPARSE, "AV", "unknown metric value '%s'", v);
 * `where` may be NULL.
 */
int kk_diag_set(struct kk_diag *d, int code, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif

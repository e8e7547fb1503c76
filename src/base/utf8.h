/*
 * utf8.h — small UTF-8 helpers (validation only; normalization lives with
 * search, on utf8proc).
 */
#ifndef KK_BASE_UTF8_H
#define KK_BASE_UTF8_H
#include <stdbool.h>
#include <stddef.h>

/*
 * Length (1-4) of the well-formed UTF-8 sequence at s (n bytes available),
 * or -1 when it is not well formed (overlong, surrogate, > U+10FFFF, cut).
 */
int kk_utf8_valid_prefix(const char *s, size_t n);
/* True when all n bytes are well-formed UTF-8. */
bool kk_utf8_valid(const char *s, size_t n);

#endif

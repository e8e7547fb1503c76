/*
 * json.h — streaming JSON writer straight into a kk_buf. Output is hot
 * (API answers, exports), so nothing is built in memory first.
 *
 *   struct kk_json j;
 *   kk_json_init(&j, &buf);
 *   kk_json_obj_open(&j);
 *     kk_json_kv_str(&j, "vector", v);
 *     kk_json_key(&j, "scores"); kk_json_arr_open(&j); ... kk_json_arr_close(&j);
 *   kk_json_obj_close(&j);
 *   if (kk_json_error(&j)) ...
 *
 * The writer places commas and colons itself. Strings are escaped, invalid
 * UTF-8 becomes U+FFFD, and '<', '>', '&' are written as \u003c etc. so the
 * output may be embedded in HTML. Errors (buffer cap, nesting deeper than
 * KK_JSON_MAX_DEPTH, misuse) are sticky: check once at the end.
 */
#ifndef KK_BASE_JSON_H
#define KK_BASE_JSON_H
#include "base/buf.h"
#include <stdbool.h>
#include <stdint.h>

#define KK_JSON_MAX_DEPTH 64

struct kk_json {
	struct kk_buf *out;
	int depth;
	int err;
	bool need_comma[KK_JSON_MAX_DEPTH + 1];
	bool after_key;
};

void kk_json_init(struct kk_json *j, struct kk_buf *out);
int kk_json_error(const struct kk_json *j);

void kk_json_obj_open(struct kk_json *j);
void kk_json_obj_close(struct kk_json *j);
void kk_json_arr_open(struct kk_json *j);
void kk_json_arr_close(struct kk_json *j);
void kk_json_key(struct kk_json *j, const char *key);

/* Values. kk_json_str(NULL) writes null. */
void kk_json_str(struct kk_json *j, const char *s);
void kk_json_strn(struct kk_json *j, const char *s, size_t n);
void kk_json_int(struct kk_json *j, int64_t v);
/* Shortest form that reads back as v ("%.17g" trimmed); NaN/inf become null. */
void kk_json_double(struct kk_json *j, double v);
/* Fixed number of decimals, e.g. CVSS scores with 1. */
void kk_json_fixed(struct kk_json *j, double v, int decimals);
void kk_json_bool(struct kk_json *j, bool v);
void kk_json_null(struct kk_json *j);
/* Pre-encoded JSON (trusted: the caller guarantees it is valid). */
void kk_json_raw(struct kk_json *j, const char *json, size_t n);

/* key + value shorthands */
void kk_json_kv_str(struct kk_json *j, const char *key, const char *s);
void kk_json_kv_int(struct kk_json *j, const char *key, int64_t v);
void kk_json_kv_bool(struct kk_json *j, const char *key, bool v);
void kk_json_kv_null(struct kk_json *j, const char *key);

/* Appends s as a JSON string literal (with quotes) to any buffer. */
int kk_json_quote(struct kk_buf *out, const char *s, size_t n);

/*
 * A JSON parser's error text (jansson's json_error_t.text) as a person who
 * sent the JSON reads it: the parser's own option names are replaced by
 * what they mean ("\u0000 is not allowed without JSON_ALLOW_NUL" -> "a
 * string may not contain \u0000 (NUL)"). Returns text or a static string.
 */
const char *kk_json_parse_error_text(const char *text);

#endif

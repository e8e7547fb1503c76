/* json.c — streaming JSON writer. */
#include "base/json.h"
#include "base/err.h"
#include "base/utf8.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kk_json_init(struct kk_json *j, struct kk_buf *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

int kk_json_error(const struct kk_json *j)
{
	return j->err ? j->err : kk_buf_error(j->out);
}

static void fail(struct kk_json *j, int err)
{
	if (!j->err)
		j->err = err;
}

/* Comma before a value or key, as the container needs. */
static void sep(struct kk_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		kk_buf_putc(j->out, ',');
	j->need_comma[j->depth] = true;
}

static void open(struct kk_json *j, char c)
{
	sep(j);
	if (j->depth >= KK_JSON_MAX_DEPTH) {
		fail(j, KK_ETOOBIG);
		return;
	}
	kk_buf_putc(j->out, c);
	j->need_comma[++j->depth] = false;
}

static void close_(struct kk_json *j, char c)
{
	if (j->depth <= 0 || j->after_key) {
		fail(j, KK_EINVAL);
		return;
	}
	j->depth--;
	kk_buf_putc(j->out, c);
}

void kk_json_obj_open(struct kk_json *j) { open(j, '{'); }
void kk_json_obj_close(struct kk_json *j) { close_(j, '}'); }
void kk_json_arr_open(struct kk_json *j) { open(j, '['); }
void kk_json_arr_close(struct kk_json *j) { close_(j, ']'); }

int kk_json_quote(struct kk_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	kk_buf_putc(out, '"');
	size_t i = 0, run = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[7];
		size_t adv = 1;
		if (c >= 0x80) {
			int len = kk_utf8_valid_prefix(s + i, n - i);
			if (len > 0) {
				i += (size_t)len;
				run += (size_t)len;
				continue;
			}
			esc = "\\ufffd";
		} else if (c == '"') {
			esc = "\\\"";
		} else if (c == '\\') {
			esc = "\\\\";
		} else if (c == '\n') {
			esc = "\\n";
		} else if (c == '\r') {
			esc = "\\r";
		} else if (c == '\t') {
			esc = "\\t";
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x7f) {
			u[0] = '\\', u[1] = 'u', u[2] = '0', u[3] = '0';
			u[4] = hex[c >> 4], u[5] = hex[c & 15], u[6] = 0;
			esc = u;
		} else {
			i++;
			run++;
			continue;
		}
		kk_buf_add(out, s + i - run, run);
		run = 0;
		kk_buf_puts(out, esc);
		i += adv;
	}
	kk_buf_add(out, s + i - run, run);
	return kk_buf_putc(out, '"');
}

void kk_json_key(struct kk_json *j, const char *key)
{
	sep(j);
	kk_json_quote(j->out, key, strlen(key));
	kk_buf_putc(j->out, ':');
	j->after_key = true;
}

void kk_json_strn(struct kk_json *j, const char *s, size_t n)
{
	sep(j);
	kk_json_quote(j->out, s, n);
}

void kk_json_str(struct kk_json *j, const char *s)
{
	if (!s)
		kk_json_null(j);
	else
		kk_json_strn(j, s, strlen(s));
}

void kk_json_int(struct kk_json *j, int64_t v)
{
	sep(j);
	kk_buf_printf(j->out, "%lld", (long long)v);
}

void kk_json_double(struct kk_json *j, double v)
{
	if (!isfinite(v)) {
		kk_json_null(j);
		return;
	}
	char tmp[40];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	sep(j);
	kk_buf_puts(j->out, tmp);
}

void kk_json_fixed(struct kk_json *j, double v, int decimals)
{
	if (!isfinite(v)) {
		kk_json_null(j);
		return;
	}
	sep(j);
	kk_buf_printf(j->out, "%.*f", decimals, v);
}

void kk_json_bool(struct kk_json *j, bool v)
{
	sep(j);
	kk_buf_puts(j->out, v ? "true" : "false");
}

void kk_json_null(struct kk_json *j)
{
	sep(j);
	kk_buf_puts(j->out, "null");
}

void kk_json_raw(struct kk_json *j, const char *json, size_t n)
{
	sep(j);
	kk_buf_add(j->out, json, n);
}

void kk_json_kv_str(struct kk_json *j, const char *key, const char *s)
{
	kk_json_key(j, key);
	kk_json_str(j, s);
}

void kk_json_kv_int(struct kk_json *j, const char *key, int64_t v)
{
	kk_json_key(j, key);
	kk_json_int(j, v);
}

void kk_json_kv_bool(struct kk_json *j, const char *key, bool v)
{
	kk_json_key(j, key);
	kk_json_bool(j, v);
}

void kk_json_kv_null(struct kk_json *j, const char *key)
{
	kk_json_key(j, key);
	kk_json_null(j);
}

const char *kk_json_parse_error_text(const char *text)
{
	if (!text || !*text)
		return "not valid JSON";
	if (strstr(text, "JSON_ALLOW_NUL"))
		return "a string may not contain \\u0000 (NUL)";
	if (strstr(text, "JSON_DECODE_ANY") || strstr(text, "JSON_DISABLE_EOF_CHECK"))
		return "the JSON must be one object";
	return text;
}

/*
 * fz-form.c — libFuzzer harness for the web layer's request-body readers (web/req.c): the
 * urlencoded form reader (kk_form_value) and the JSON body reader (kk_body_json, kk_body_text).
 * The first input line is the Content-Type, the rest the body; both readers see every input.
 */
#include "base/arena.h"
#include "base/err.h"
#include "base/utf8.h"
#include "fz-body.h"
#include "web/req.h"
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Fields the pages read from forms. */
static const char *const names[] = {"csrf", "verb", "body", "reason", "note", "report", "email", "password",
				    "next", "thread", "lang", "q", ""};

static void form(const char *body, size_t n)
{
	struct kk_arena a;
	kk_arena_init(&a, 16u << 20);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = kk_form_value(&a, body, n, names[i]);
		if (v && strlen(v) > n) /* decoding never lengthens a value */
			abort();
	}
	/* the first field's name, when it has one, is always found */
	const char *amp = memchr(body, '&', n), *stop = amp ? amp : body + n;
	const char *eq = memchr(body, '=', (size_t)(stop - body));
	if (eq && eq - body < 256 && !memchr(body, 0, (size_t)(eq - body))) {
		char name[256];
		memcpy(name, body, (size_t)(eq - body));
		name[eq - body] = 0;
		if (!kk_form_value(&a, body, n, name))
			abort();
	}
	kk_arena_release(&a);
}

static void json(const char *ct, const char *body, size_t n)
{
	struct kk_diag d;
	kk_diag_clear(&d);
	json_t *doc = kk_body_json(ct, body, n, &d);
	if (!doc) {
		if ((d.code != KK_EUNSUPPORTED && d.code != KK_EPARSE) || !d.msg[0])
			abort();
		return;
	}
	if (!json_is_object(doc) || strncasecmp(ct, "application/json", 16))
		abort();
	static const size_t max[] = {0, 8, 65536};
	const char *key;
	json_t *v;
	json_object_foreach(doc, key, v)
	{
		for (size_t i = 0; i < sizeof(max) / sizeof(max[0]); i++) {
			const char *s = (const char *)1;
			kk_diag_clear(&d);
			int rc = kk_body_text(doc, key, max[i], &s, &d);
			if (rc) {
				if (rc != KK_EUNPROCESSABLE || s || strncmp(d.where, key, sizeof(d.where) - 1))
					abort();
			} else if (s) {
				size_t len = strlen(s);
				if (!json_is_string(v) || len > max[i] || len != json_string_length(v) || !kk_utf8_valid(s, len))
					abort();
			} else if (!json_is_null(v)) {
				abort(); /* only an absent or null member gives no string */
			}
		}
	}
	json_decref(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char ct[201];
	const char *in;
	size_t n;
	if (size > (1u << 20) || fz_body_split(data, size, ct, &in, &n))
		return 0;
	/* a body as the server hands it over: its own allocation, NUL-terminated past its length */
	char *body = malloc(n + 1);
	if (!body)
		return 0;
	memcpy(body, in, n);
	body[n] = 0;
	form(body, n);
	json(ct, body, n);
	free(body);
	return 0;
}

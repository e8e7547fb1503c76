/*
 * fz-intake-mail.c — libFuzzer harness for the outgoing mail of intake:
 * RFC 2047 encoded words must stay within 75 bytes, never split a UTF-8
 * character and decode back to the input; message building must not crash.
 */
#include "base/buf.h"
#include "base/utf8.h"
#include "mail/mail.h"
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Decodes every =?UTF-8?B?...?= word of h into out; aborts on a malformed or overlong word. */
static void decode(const char *h, struct kk_buf *out)
{
	for (const char *p = h; (p = strstr(p, "=?UTF-8?B?"));) {
		const char *b = p + 10, *e = strstr(b, "?=");
		if (!e || e - p + 2 > 75)
			abort();
		unsigned char bin[64];
		size_t n;
		if (sodium_base642bin(bin, sizeof(bin), b, (size_t)(e - b), NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL))
			abort();
		if (!kk_utf8_valid((const char *)bin, n)) /* a character was split across words */
			abort();
		kk_buf_add(out, bin, n);
		p = e + 2;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096 || sodium_init() < 0)
		return 0;
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	size_t n = strlen(s);
	bool text = kk_utf8_valid(s, n);
	for (size_t i = 0; i < n && text; i++)
		text = (unsigned char)s[i] >= ' ' && s[i] != 0x7f;
	if (text) {
		struct kk_buf h = KK_BUF_INIT(0), back = KK_BUF_INIT(0);
		if (kk_mail_header_encode(&h, s) == 0 && strncmp(h.ptr, "=?UTF-8?B?", 10) == 0) {
			decode(h.ptr, &back);
			if (back.len != n || memcmp(back.ptr, s, n))
				abort();
		}
		kk_buf_release(&h);
		kk_buf_release(&back);
		struct kk_buf msg = KK_BUF_INIT(0);
		struct kk_mail_msg m = {.from = "a@example.org", .to = "b@example.org", .subject = s, .body = s,
					.message_id = "<x@y>", .date = (int64_t)n * 86400};
		struct kk_diag d;
		kk_mail_build(&m, &msg, &d);
		kk_buf_release(&msg);
	}
	free(s);
	return 0;
}

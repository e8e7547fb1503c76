/*
 * msg.c — building RFC 5322 messages: dates, RFC 2047 encoded-words for
 * UTF-8 headers, base64 bodies, and PGP/MIME (RFC 3156) envelopes.
 */
#include "base/rand.h"
#include "mail/mail.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static bool printable_ascii(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < ' ' || *p >= 0x7f)
			return false;
	return true;
}

/* 7bit-safe body: ASCII text with lines of at most 998 bytes. */
static bool printable_ascii_lines(const char *s)
{
	size_t line = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n' || *p == '\r') {
			line = 0;
			continue;
		}
		if ((*p < ' ' && *p != '\t') || *p >= 0x7f || ++line > 998)
			return false;
	}
	return true;
}

static int b64(struct kk_buf *out, const void *p, size_t n)
{
	size_t need = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	int rc = kk_buf_grow(out, need);
	if (rc)
		return rc;
	sodium_bin2base64(out->ptr + out->len, need, p, n, sodium_base64_VARIANT_ORIGINAL);
	out->len += need - 1;
	return 0;
}

/* Length of the UTF-8 sequence starting with byte c (1 for stray bytes). */
static size_t seq_len(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

int kk_mail_header_encode(struct kk_buf *out, const char *s)
{
	/* Plain ASCII goes as is — unless a reader would take part of it for an
	 * encoded word ("=?"), or it is too long for one header line. */
	if (printable_ascii(s) && !strstr(s, "=?") && strlen(s) <= 900)
		return kk_buf_puts(out, s);
	/* RFC 2047: a line holding encoded words is at most 76 characters. Words of
	 * at most 39 bytes of text are 64 characters, so even "Subject: " + the
	 * first word fits, and each folded line (" " + word) does. */
	size_t n = strlen(s), i = 0;
	bool first = true;
	while (i < n) {
		size_t take = 0;
		while (i + take < n) {
			size_t l = seq_len((unsigned char)s[i + take]);
			if (take + l > 39)
				break;
			take += l;
		}
		if (!take)
			take = n - i < 4 ? n - i : 4;
		if (i + take > n)
			take = n - i;
		if (!first)
			kk_buf_puts(out, "\r\n ");
		kk_buf_puts(out, "=?UTF-8?B?");
		b64(out, s + i, take);
		kk_buf_puts(out, "?=");
		first = false;
		i += take;
	}
	return kk_buf_error(out);
}

int kk_mail_date(struct kk_buf *out, int64_t t)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const mons[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm))
		return KK_ERANGE;
	return kk_buf_printf(out, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
			     mons[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Appends text with "\n" or "\r\n" line ends as CRLF lines. */
static void put_crlf(struct kk_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\r')
			continue;
		if (*s == '\n')
			kk_buf_putc(out, '\r');
		kk_buf_putc(out, *s);
	}
}

/* The text/plain entity: its headers, a blank line, the body. */
static void text_entity(struct kk_buf *out, const char *body, bool allow_8bit)
{
	kk_buf_puts(out, "Content-Type: text/plain; charset=UTF-8\r\n");
	if (printable_ascii_lines(body)) {
		kk_buf_puts(out, "Content-Transfer-Encoding: 7bit\r\n\r\n");
		put_crlf(out, body);
	} else if (allow_8bit) {
		kk_buf_puts(out, "Content-Transfer-Encoding: 8bit\r\n\r\n");
		put_crlf(out, body);
	} else {
		kk_buf_puts(out, "Content-Transfer-Encoding: base64\r\n\r\n");
		size_t n = strlen(body);
		for (size_t i = 0; i < n; i += 57) {
			b64(out, body + i, n - i < 57 ? n - i : 57);
			kk_buf_puts(out, "\r\n");
		}
	}
	if (out->len < 2 || memcmp(out->ptr + out->len - 2, "\r\n", 2))
		kk_buf_puts(out, "\r\n");
}

int kk_mail_build(const struct kk_mail_msg *m, struct kk_buf *out, struct kk_diag *d)
{
	kk_buf_puts(out, "Date: ");
	kk_mail_date(out, m->date);
	kk_buf_printf(out, "\r\nFrom: %s\r\nTo: %s\r\nSubject: ", m->from, m->to);
	kk_mail_header_encode(out, m->subject);
	kk_buf_printf(out, "\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n", m->message_id);
	if (m->headers) {
		put_crlf(out, m->headers);
		if (out->ptr[out->len - 1] != '\n')
			kk_buf_puts(out, "\r\n");
	}
	if (!m->pgp_key) {
		text_entity(out, m->body, false);
		return kk_buf_error(out);
	}
	struct kk_buf inner = KK_BUF_INIT(0), armored = KK_BUF_INIT(0);
	text_entity(&inner, m->body, true);
	int rc = kk_buf_error(&inner);
	if (!rc)
		rc = kk_mail_pgp_encrypt(m->pgp_key, inner.ptr, inner.len, &armored, d);
	if (inner.len)
		sodium_memzero(inner.ptr, inner.len);
	kk_buf_release(&inner);
	if (rc) {
		kk_buf_release(&armored);
		return rc;
	}
	char boundary[40];
	kk_random_hex(boundary + 8, 12);
	memcpy(boundary, "kk-pgp--", 8);
	kk_buf_printf(out,
		      "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";\r\n"
		      " boundary=\"%s\"\r\n\r\n"
		      "This is an OpenPGP/MIME encrypted message (RFC 3156).\r\n"
		      "--%s\r\nContent-Type: application/pgp-encrypted\r\n"
		      "Content-Description: PGP/MIME version identification\r\n\r\nVersion: 1\r\n\r\n"
		      "--%s\r\nContent-Type: application/octet-stream; name=\"encrypted.asc\"\r\n"
		      "Content-Description: OpenPGP encrypted message\r\n"
		      "Content-Disposition: inline; filename=\"encrypted.asc\"\r\n\r\n",
		      boundary, boundary, boundary);
	put_crlf(out, armored.ptr);
	kk_buf_printf(out, "%s--%s--\r\n", armored.len && armored.ptr[armored.len - 1] == '\n' ? "" : "\r\n",
		      boundary);
	kk_buf_release(&armored);
	return kk_buf_error(out);
}

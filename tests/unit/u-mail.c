/* u-mail.c — the outbox: queued only with the transaction, message format, encoded words, backoff. */
#include "testutil.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/str.h"
#include "mail/mail.h"
#include "store/db.h"
#include "store/migrate.h"
#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1800000000 /* 2027-01-15T08:00:00Z */

static struct kk_db *fresh(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", tu_tmpdir(), name);
	struct kk_db *db;
	assert_int_equal(kk_db_open(path, KK_DB_CREATE, &db), 0);
	struct kk_diag d;
	assert_true(kk_migrate_run(db, path, NULL, NULL, NULL, &d) > 0);
	kk_clock_pin(T0);
	return db;
}

static int64_t count(struct kk_db *db, const char *state)
{
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, "SELECT count(*) FROM mail_outbox WHERE ? IS NULL OR state = ?", &st), 0);
	kk_stmt_bind_text(st, 1, state, -1);
	kk_stmt_bind_text(st, 2, state, -1);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	int64_t n = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return n;
}

struct q {
	struct kk_mail m;
	int then;
	struct kk_diag d;
};

static int queue_fn(struct kk_db *db, void *arg)
{
	struct q *q = arg;
	int rc = kk_mail_queue(db, &q->m, NULL, &q->d);
	return rc ? rc : q->then;
}

static void test_queue_in_tx(void **state)
{
	(void)state;
	struct kk_db *db = fresh("mail-tx.db");
	struct q q = {.m = {.to = "a@example.org", .subject = "hello", .body = "body\n"}};
	assert_int_equal(kk_db_tx(db, queue_fn, &q), 0);
	assert_int_equal(count(db, "queued"), 1);
	q.then = KK_ECONFLICT; /* the change fails after queueing: no mail */
	assert_int_equal(kk_db_tx(db, queue_fn, &q), KK_ECONFLICT);
	assert_int_equal(count(db, NULL), 1);
	/* outside a transaction it refuses */
	assert_int_equal(kk_mail_queue(db, &q.m, NULL, &q.d), KK_EINVAL);
	/* bad fields are named */
	q = (struct q){.m = {.to = "not an address", .subject = "s", .body = "b"}};
	assert_int_equal(kk_db_tx(db, queue_fn, &q), KK_EINVAL);
	assert_string_equal(q.d.where, "to");
	q = (struct q){.m = {.to = "a@example.org", .subject = "a\r\nBcc: x@example.org", .body = "b"}};
	assert_int_equal(kk_db_tx(db, queue_fn, &q), KK_EINVAL);
	assert_string_equal(q.d.where, "subject");
	q = (struct q){.m = {.to = "a@example.org", .subject = "s", .body = "b", .pgp_key = "garbage"}};
	assert_int_equal(kk_db_tx(db, queue_fn, &q), KK_EINVAL);
	assert_string_equal(q.d.where, "pgp_key");
	assert_int_equal(count(db, NULL), 1);
	kk_db_close(db);
}

static void test_addresses(void **state)
{
	(void)state;
	const char *good[] = {"a@example.org", "first.last+tag@sub.example.co.jp", "keikai@localhost"};
	const char *bad[] = {"", "a", "@example.org", "a@", "a@b", "a@@example.org", "a b@example.org",
			     "a@example.org>", "<a@example.org>", "a@example..org", "a@example.org.", "a@.example.org",
			     "a@exa\nmple.org"};
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		assert_true(kk_mail_addr_valid(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (kk_mail_addr_valid(bad[i]))
			fail_msg("address '%s' accepted", bad[i]);
}

static char *decode_words(const char *h)
{
	/* Joins the base64 of every =?UTF-8?B?...?= word and decodes it. */
	static char out[1024];
	size_t used = 0;
	for (const char *p = h; (p = strstr(p, "=?UTF-8?B?"));) {
		p += 10;
		const char *e = strstr(p, "?=");
		assert_non_null(e);
		assert_true(e - p + 10 + 2 <= 75);
		unsigned char part[256];
		size_t n;
		char word[256];
		memcpy(word, p, (size_t)(e - p));
		word[e - p] = 0;
		assert_int_equal(sodium_base642bin(part, sizeof(part), word, strlen(word), NULL, &n, NULL,
						   sodium_base64_VARIANT_ORIGINAL),
				 0);
		memcpy(out + used, part, n);
		used += n;
		p = e + 2;
	}
	out[used] = 0;
	return out;
}

static void test_encoded_words(void **state)
{
	(void)state;
	struct kk_buf b = KK_BUF_INIT(0);
	assert_int_equal(kk_mail_header_encode(&b, "Plain ASCII subject"), 0);
	assert_string_equal(b.ptr, "Plain ASCII subject");
	/* ASCII that a reader would decode as an encoded word is encoded itself */
	kk_buf_reset(&b);
	assert_int_equal(kk_mail_header_encode(&b, "about =?UTF-8?B?YQ==?= tricks"), 0);
	assert_string_equal(decode_words(b.ptr), "about =?UTF-8?B?YQ==?= tricks");
	kk_buf_reset(&b);
	const char *ja = "[KK-2026-000001] 脆弱性関連情報の届出を受け付けました / Your report was received";
	assert_int_equal(kk_mail_header_encode(&b, ja), 0);
	assert_true(strncmp(b.ptr, "=?UTF-8?B?", 10) == 0);
	assert_non_null(strstr(b.ptr, "?=\r\n =?UTF-8?B?")); /* folded into several words */
	assert_string_equal(decode_words(b.ptr), ja);	  /* and no character was split */
	kk_buf_release(&b);
}

static void test_message_format(void **state)
{
	(void)state;
	struct kk_buf b = KK_BUF_INIT(0);
	struct kk_mail_msg m = {.from = "keikai@example.org",
				.to = "finder@example.jp",
				.subject = "【受付】脆弱性関連情報の届出を受け付けました / received",
				.body = "一行目\nsecond line\n",
				.message_id = "<kk.1@keikai>",
				.date = T0};
	struct kk_diag d;
	assert_int_equal(kk_mail_build(&m, &b, &d), 0);
	assert_true(strncmp(b.ptr, "Date: Fri, 15 Jan 2027 08:00:00 +0000\r\n", 39) == 0);
	assert_non_null(strstr(b.ptr, "\r\nFrom: keikai@example.org\r\nTo: finder@example.jp\r\nSubject: =?UTF-8?B?"));
	assert_non_null(strstr(b.ptr, "\r\nMessage-ID: <kk.1@keikai>\r\nMIME-Version: 1.0\r\n"));
	/* header lines with encoded words are at most 76 characters (RFC 2047 section 2) */
	const char *hdr_end = strstr(b.ptr, "\r\n\r\n");
	for (const char *line = b.ptr; line < hdr_end;) {
		const char *eol = strstr(line, "\r\n");
		if (strstr(line, "=?UTF-8?B?") && strstr(line, "=?UTF-8?B?") < eol && eol - line > 76)
			fail_msg("header line of %d characters: %.*s", (int)(eol - line), (int)(eol - line), line);
		line = eol + 2;
	}
	assert_non_null(strstr(b.ptr, "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"));
	const char *body = strstr(b.ptr, "\r\n\r\n") + 4;
	unsigned char dec[256];
	size_t n;
	assert_int_equal(sodium_base642bin(dec, sizeof(dec), body, strlen(body), "\r\n", &n, NULL,
					   sodium_base64_VARIANT_ORIGINAL),
			 0);
	dec[n] = 0;
	assert_string_equal((char *)dec, "一行目\nsecond line\n");
	/* ASCII bodies go as 7bit with CRLF lines */
	kk_buf_reset(&b);
	m.body = "line one\nline two";
	assert_int_equal(kk_mail_build(&m, &b, &d), 0);
	assert_non_null(strstr(b.ptr, "Content-Transfer-Encoding: 7bit\r\n\r\nline one\r\nline two\r\n"));
	kk_buf_release(&b);
}

static void test_backoff_and_maildir(void **state)
{
	(void)state;
	struct kk_db *db = fresh("mail-flush.db");
	char dir[600];
	snprintf(dir, sizeof(dir), "%s/maildir", tu_tmpdir());
	struct kk_mail_config c;
	struct kk_diag d;
	unsetenv("KEIKAI_MAILDIR");
	unsetenv("KEIKAI_SMTP_URL");
	unsetenv("KEIKAI_MAIL_CONFIG");
	assert_int_equal(kk_mail_config_load(&c, NULL, &d), 0);
	struct kk_mail_flush_stats st;
	assert_int_equal(kk_mail_flush(db, &c, NULL, 0, &st, &d), KK_EINVAL); /* no transport */
	assert_int_equal(kk_mail_backoff(&c, 1), 60);
	assert_int_equal(kk_mail_backoff(&c, 2), 120);
	assert_int_equal(kk_mail_backoff(&c, 5), 960);
	assert_int_equal(kk_mail_backoff(&c, 30), 6 * 3600);
	struct q q = {.m = {.to = "a@example.org", .subject = "s", .body = "b"}};
	assert_int_equal(kk_db_tx(db, queue_fn, &q), 0);
	/* SMTP to a closed loopback port fails: retried with backoff, then failed */
	kk_strlcpy(c.smtp_url, "smtp://127.0.0.1:1", sizeof(c.smtp_url));
	kk_strlcpy(c.starttls, "off", sizeof(c.starttls));
	c.max_attempts = 3;
	assert_int_equal(kk_mail_flush(db, &c, NULL, 0, &st, &d), 0);
	assert_int_equal(st.retry, 1);
	struct kk_stmt *s;
	assert_int_equal(kk_db_prepare(db, "SELECT next_attempt_at, attempts, last_error FROM mail_outbox", &s), 0);
	assert_int_equal(kk_stmt_step(s), KK_ROW);
	assert_int_equal(kk_stmt_int64(s, 0), T0 + 60);
	assert_int_equal(kk_stmt_int64(s, 1), 1);
	if (!strstr(kk_stmt_text(s, 2), "smtp://127.0.0.1:1"))
		fail_msg("last_error: %s", kk_stmt_text(s, 2));
	kk_stmt_done(s);
	/* not due yet: nothing happens */
	assert_int_equal(kk_mail_flush(db, &c, NULL, 0, &st, &d), 0);
	assert_int_equal(st.retry + st.sent + st.failed, 0);
	kk_clock_pin(T0 + 60);
	assert_int_equal(kk_mail_flush(db, &c, NULL, 0, &st, &d), 0);
	assert_int_equal(st.retry, 1);
	assert_int_equal(kk_db_prepare(db, "SELECT next_attempt_at FROM mail_outbox", &s), 0);
	assert_int_equal(kk_stmt_step(s), KK_ROW);
	assert_int_equal(kk_stmt_int64(s, 0), T0 + 60 + 120);
	kk_stmt_done(s);
	kk_clock_pin(T0 + 180);
	assert_int_equal(kk_mail_flush(db, &c, NULL, 0, &st, &d), 0);
	assert_int_equal(st.failed, 1);
	assert_int_equal(count(db, "failed"), 1);
	/* a maildir delivers: tmp/ empty, one file in new/ */
	c.smtp_url[0] = 0;
	kk_strlcpy(c.maildir, dir, sizeof(c.maildir));
	assert_int_equal(kk_db_tx(db, queue_fn, &q), 0);
	assert_int_equal(kk_mail_flush(db, &c, NULL, 0, &st, &d), 0);
	if (st.sent != 1)
		fail_msg("sent %d retry %d failed %d: %s %s", st.sent, st.retry, st.failed, d.where, d.msg);
	assert_int_equal(count(db, "sent"), 1);
	char sub[700];
	int files = 0;
	snprintf(sub, sizeof(sub), "%s/new", dir);
	DIR *dd = opendir(sub);
	assert_non_null(dd);
	for (struct dirent *e; (e = readdir(dd));)
		files += e->d_name[0] != '.';
	closedir(dd);
	assert_int_equal(files, 1);
	snprintf(sub, sizeof(sub), "%s/tmp", dir);
	dd = opendir(sub);
	assert_non_null(dd);
	files = 0;
	for (struct dirent *e; (e = readdir(dd));)
		files += e->d_name[0] != '.';
	closedir(dd);
	assert_int_equal(files, 0);
	/* a mail claimed by another flusher (lease ahead) is left alone */
	assert_int_equal(kk_db_tx(db, queue_fn, &q), 0);
	assert_true(kk_db_exec(db, "UPDATE mail_outbox SET next_attempt_at = ? WHERE state = 'queued'", "i",
			       (int64_t)T0 + 180 + 600) == 1);
	assert_int_equal(kk_mail_flush(db, &c, NULL, 0, &st, &d), 0);
	assert_int_equal(st.sent + st.retry + st.failed, 0);
	kk_clock_pin(T0 + 180 + 600);
	assert_int_equal(kk_mail_flush(db, &c, NULL, 0, &st, &d), 0);
	assert_int_equal(st.sent, 1);
	kk_clock_pin(-1);
	kk_db_close(db);
}

/* Every allocation failing in turn during a flush: no leak, and the mail ends sent or queued for a retry. */
static void test_flush_alloc_failures(void **state)
{
	(void)state;
	struct kk_db *db = fresh("mail-alloc.db");
	char dir[600];
	snprintf(dir, sizeof(dir), "%s/maildir", tu_tmpdir());
	struct kk_mail_config c;
	struct kk_diag d;
	unsetenv("KEIKAI_MAIL_CONFIG");
	assert_int_equal(kk_mail_config_load(&c, NULL, &d), 0);
	kk_strlcpy(c.maildir, dir, sizeof(c.maildir));
	c.max_attempts = 100;
	unsigned char key[KK_KEY_BYTES] = {1, 2, 3};
	int sent = 0;
	for (long n = 0; n < 200 && !sent; n++) {
		struct q q = {.m = {.to = "a@example.org", .subject = "件名", .body = "本文\n", .seal_key = key,
				    .label = "finder"}};
		assert_int_equal(kk_db_tx(db, queue_fn, &q), 0);
		struct kk_mail_flush_stats st;
		kk_alloc_fail_after(n);
		int rc = kk_mail_flush(db, &c, key, 0, &st, &d);
		kk_alloc_fail_after(-1);
		assert_true(rc == 0 || rc == KK_ENOMEM);
		sent += st.sent;
		/* nothing is lost: each mail is sent or still queued */
		assert_int_equal(count(db, "sent") + count(db, "queued"), count(db, NULL));
		assert_int_equal(kk_db_exec(db, "UPDATE mail_outbox SET next_attempt_at = 0 WHERE state = 'queued'", NULL) >= 0,
				 1);
	}
	assert_true(sent > 0);
	kk_clock_pin(-1);
	kk_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_in_tx),	   cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_encoded_words),	   cmocka_unit_test(test_message_format),
		cmocka_unit_test(test_backoff_and_maildir), cmocka_unit_test(test_flush_alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

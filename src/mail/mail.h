/*
 * mail.h — the outbox: mail is queued in the database inside the
 * transaction of the change that causes it, and delivered later by
 * kk_mail_flush() to a maildir (development, tests) or over SMTP (libcurl).
 *
 * Queueing. kk_mail_queue() MUST run inside kk_db_tx (it returns KK_EINVAL
 * otherwise), so a mail exists iff the change that caused it committed.
 * When m->seal_key is given, the address, the body and the PGP key are
 * stored only sealed (keyfile.h); use that for finders, whose contact must
 * never sit in the database in plain. A recipient's PGP key (m->pgp_key,
 * ASCII-armored) makes the mail go out PGP/MIME encrypted (RFC 3156).
 *
 * Delivery. kk_mail_flush() takes every queued mail whose next_attempt_at
 * has come (kk_clock_now), builds the RFC 5322 message, delivers it, and
 * records the outcome in its own transaction per mail: sent, or attempts+1
 * and next_attempt_at = now + kk_mail_backoff(attempts), or failed after
 * max_attempts. Delivery is at least once: a crash between delivering and
 * recording sends that mail again once its claim (10 minutes) runs out;
 * concurrent flushers never take the same mail (each claims it first).
 *
 * Configuration (kk_mail_config_load): defaults, then the file (lines
 * "key = value", '#' comments), then the environment, which wins:
 *   smtp_url       KEIKAI_SMTP_URL       smtp://host:587 (STARTTLS) or smtps://host:465 (TLS)
 *   smtp_user      KEIKAI_SMTP_USER      SMTP AUTH user (empty: no AUTH)
 *   smtp_password  KEIKAI_SMTP_PASSWORD
 *   smtp_starttls  KEIKAI_SMTP_STARTTLS  required (default) | try | off  (smtp:// only)
 *   mail_from      KEIKAI_MAIL_FROM      envelope and From: address (default keikai@localhost)
 *   maildir        KEIKAI_MAILDIR        deliver into this maildir instead of SMTP
 *   max_attempts   KEIKAI_MAIL_MAX_ATTEMPTS  attempts before a mail is failed (default 8)
 * The file is --mail-config FILE or $KEIKAI_MAIL_CONFIG.
 */
#ifndef KK_MAIL_MAIL_H
#define KK_MAIL_MAIL_H
#include "auth/keyfile.h"
#include "base/buf.h"
#include "base/err.h"
#include <stdbool.h>
#include <stdint.h>

struct kk_db;

#define KK_MAIL_ADDR_MAX 254
#define KK_MAIL_SUBJECT_MAX 998
#define KK_MAIL_BODY_MAX (256 * 1024)
#define KK_MAIL_PGP_KEY_MAX (64 * 1024)

/* One mail to queue. Strings are copied; only to, subject and body are required. */
struct kk_mail {
	const char *to;		 /* one address: local@domain */
	const char *subject;	 /* UTF-8; encoded-words are made when delivering */
	const char *body;	 /* UTF-8 text; "\n" line ends */
	const char *headers;	 /* extra header lines "Name: value" separated by "\n", or NULL */
	const char *pgp_key;	 /* ASCII-armored OpenPGP public key: encrypt to it; NULL: plain */
	const char *related_type; /* "report", ... or NULL */
	const char *related_id;
	/* Non-NULL: store to, body and pgp_key sealed with this key; to_addr shows `label`. */
	const unsigned char *seal_key;
	const char *label; /* what lists show instead of a sealed address ("finder of KK-2026-000001") */
};

/* True when s is one plain address local@domain.tld (no display name, no spaces, no <>,;:"\ or controls). */
bool kk_mail_addr_valid(const char *s);

/* [in tx] Queues m, due now. *id_out (may be NULL) gets the row id. KK_EINVAL names the field in d. */
int kk_mail_queue(struct kk_db *db, const struct kk_mail *m, int64_t *id_out, struct kk_diag *d);

struct kk_mail_config {
	char smtp_url[512];
	char smtp_user[256];
	char smtp_password[256];
	char starttls[16]; /* "required", "try", "off" */
	char from[KK_MAIL_ADDR_MAX + 1];
	char maildir[1024];
	int max_attempts;
	int64_t backoff_base; /* seconds before the 2nd attempt; default 60 */
	int64_t backoff_max;  /* longest wait; default 6 h */
};

/* Defaults, then `file` (NULL: $KEIKAI_MAIL_CONFIG; missing variable: no file), then environment. */
int kk_mail_config_load(struct kk_mail_config *c, const char *file, struct kk_diag *d);
/*
 * Seconds to wait after the attempts-th failed attempt (attempts >= 1):
 * backoff_base * 2^(attempts-1), at most backoff_max.
 */
int64_t kk_mail_backoff(const struct kk_mail_config *c, int attempts);

struct kk_mail_flush_stats {
	int sent;
	int retry;  /* failed this time, will be tried again */
	int failed; /* gave up */
};
/*
 * [own tx] Delivers every due queued mail (at most `limit`, <= 0: all).
 * key unseals sealed mail (NULL: sealed mail counts as a failed attempt).
 * Returns 0 (stats say what happened to each), KK_EINVAL when no transport
 * is configured (d says which variables to set), or a DB error.
 */
int kk_mail_flush(struct kk_db *db, const struct kk_mail_config *c, const unsigned char *key, int limit,
		  struct kk_mail_flush_stats *st, struct kk_diag *d);

/* One outbox row as given to a kk_mail_list callback (strings valid during the call, "" for NULL). */
struct kk_mail_entry {
	int64_t id, created_at, next_attempt_at, sent_at;
	int attempts;
	bool encrypted, sealed;
	const char *to; /* the address, or the label of a sealed mail */
	const char *subject, *state, *last_error, *message_id, *related_type, *related_id;
};
/* Calls fn per row (state NULL: all) oldest first; returns the row count or a negative error. */
int kk_mail_list(struct kk_db *db, const char *state, int (*fn)(void *arg, const struct kk_mail_entry *e), void *arg);

/* ---- message building (pure; used by flush, exposed for tests) -------- */

/* Appends s as an RFC 2047 header value: as is when printable ASCII (without "=?", at most 900
 * bytes), else =?UTF-8?B?...?= words
 * (each at most 75 bytes, never splitting a character) folded with CRLF SP. */
int kk_mail_header_encode(struct kk_buf *out, const char *s);
/* Appends the RFC 5322 date of t ("Sun, 22 Nov 2026 03:51:37 +0000"). */
int kk_mail_date(struct kk_buf *out, int64_t t);

struct kk_mail_msg {
	const char *from, *to, *subject, *body, *headers, *message_id;
	int64_t date;
	const char *pgp_key; /* NULL: plain text/plain; else PGP/MIME to this key */
};
/*
 * Appends the whole message (CRLF line ends) to out: Date, From, To,
 * Subject, Message-ID, MIME-Version, the extra headers, then a text/plain
 * UTF-8 body (7bit when ASCII, base64 otherwise) — or, with pgp_key, a
 * multipart/encrypted body whose encrypted part is that text entity.
 * KK_ECRYPTO (d says why) when encryption fails.
 */
int kk_mail_build(const struct kk_mail_msg *m, struct kk_buf *out, struct kk_diag *d);

/* PGP (pgp.c): appends the ASCII-armored encryption of plain to key, using a throwaway GNUPGHOME. */
int kk_mail_pgp_encrypt(const char *armored_key, const char *plain, size_t n, struct kk_buf *out,
			struct kk_diag *d);
/* True when s looks like one ASCII-armored public key block (a cheap check before queueing). */
bool kk_mail_pgp_key_plausible(const char *s);

/* Transports (deliver.c): write msg (CRLF) into maildir/new via tmp/; send over SMTP. */
int kk_mail_maildir_write(const char *maildir, const char *msg, size_t n, struct kk_diag *d);
int kk_mail_smtp_send(const struct kk_mail_config *c, const char *to, const char *msg, size_t n,
		      struct kk_diag *d);

#endif

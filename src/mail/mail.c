/*
 * mail.c — the outbox table: queueing inside the caller's transaction,
 * configuration, the retry schedule, flushing due mail and listing.
 */
#include "mail/mail.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/rand.h"
#include "base/str.h"
#include "base/utf8.h"
#include "store/db.h"
#include <sodium.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool kk_mail_addr_valid(const char *s)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	if (n < 3 || n > KK_MAIL_ADDR_MAX)
		return false;
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || (size_t)(at - s) > 64)
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c >= 0x7f || strchr("<>,;:\"\\()[]", c))
			return false;
	}
	const char *dom = at + 1, *dot = strchr(dom, '.');
	if (!strcmp(dom, "localhost"))
		return true;
	if (!dot || dot == dom || dom[strlen(dom) - 1] == '.' || strstr(dom, ".."))
		return false;
	return true;
}

static bool text_ok(const char *s, size_t max, bool multiline)
{
	size_t n = strlen(s);
	if (n > max || !kk_utf8_valid(s, n))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < ' ' && *p != '\t' && !(multiline && (*p == '\n' || *p == '\r')))
			return false;
	return true;
}

static int check_headers(const char *h, struct kk_diag *d)
{
	/* Each line "Name: value", name from the printable set without ':'. */
	const char *p = h;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		const char *colon = memchr(p, ':', len);
		if (!colon || colon == p)
			return kk_diag_set(d, KK_EINVAL, "headers", "header line '%.*s' is not 'Name: value'",
					   (int)(len > 60 ? 60 : len), p);
		for (const char *q = p; q < colon; q++)
			if (*q <= ' ' || *q >= 0x7f)
				return kk_diag_set(d, KK_EINVAL, "headers", "header name '%.*s' has a bad character",
						   (int)(colon - p), p);
		p += len + (e ? 1 : 0);
	}
	return 0;
}

int kk_mail_queue(struct kk_db *db, const struct kk_mail *m, int64_t *id_out, struct kk_diag *d)
{
	if (id_out)
		*id_out = 0;
	if (!kk_db_in_tx(db))
		return kk_diag_set(d, KK_EINVAL, NULL, "kk_mail_queue must run inside kk_db_tx");
	if (!kk_mail_addr_valid(m->to))
		return kk_diag_set(d, KK_EINVAL, "to", "'%s' is not an e-mail address (local@domain)",
				   m->seal_key ? "(sealed)" : (m->to ? m->to : ""));
	if (!m->subject || !text_ok(m->subject, KK_MAIL_SUBJECT_MAX, false))
		return kk_diag_set(d, KK_EINVAL, "subject", "subject missing, too long or has control characters");
	if (!m->body || !text_ok(m->body, KK_MAIL_BODY_MAX, true))
		return kk_diag_set(d, KK_EINVAL, "body", "body missing, over %d bytes or not UTF-8 text",
				   KK_MAIL_BODY_MAX);
	if (m->headers && check_headers(m->headers, d))
		return KK_EINVAL;
	if (m->pgp_key && (strlen(m->pgp_key) > KK_MAIL_PGP_KEY_MAX || !kk_mail_pgp_key_plausible(m->pgp_key)))
		return kk_diag_set(d, KK_EINVAL, "pgp_key",
				   "not an ASCII-armored OpenPGP public key block (gpg --armor --export ADDRESS)");
	char rnd[33], mid[KK_MAIL_ADDR_MAX + 64];
	kk_random_hex(rnd, 16);
	snprintf(mid, sizeof(mid), "<kk.%s@keikai>", rnd);
	int64_t now = kk_clock_now();
	int rc;
	if (m->seal_key) {
		struct kk_buf plain = KK_BUF_INIT(KK_MAIL_BODY_MAX * 7 + KK_MAIL_PGP_KEY_MAX * 2 + 4096);
		struct kk_buf sealed = KK_BUF_INIT(0);
		struct kk_json j;
		kk_json_init(&j, &plain);
		kk_json_obj_open(&j);
		kk_json_kv_str(&j, "to", m->to);
		kk_json_kv_str(&j, "body", m->body);
		kk_json_kv_str(&j, "pgp_key", m->pgp_key);
		kk_json_obj_close(&j);
		rc = kk_json_error(&j);
		if (!rc)
			rc = kk_seal(m->seal_key, plain.ptr, plain.len, &sealed);
		kk_buf_release(&plain);
		if (!rc) {
			struct kk_stmt *st;
			rc = kk_db_prepare(db,
					   "INSERT INTO mail_outbox (created_at, to_addr, subject, body, headers, sealed, "
					   "encrypted, next_attempt_at, message_id, related_type, related_id) "
					   "VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?)",
					   &st);
			if (!rc) {
				kk_stmt_bind_int64(st, 1, now);
				kk_stmt_bind_text(st, 2, m->label ? m->label : "(sealed recipient)", -1);
				kk_stmt_bind_text(st, 3, m->subject, -1);
				kk_stmt_bind_text(st, 4, m->headers, -1);
				kk_stmt_bind_blob(st, 5, sealed.ptr, sealed.len);
				kk_stmt_bind_int64(st, 6, m->pgp_key ? 1 : 0);
				kk_stmt_bind_int64(st, 7, now);
				kk_stmt_bind_text(st, 8, mid, -1);
				kk_stmt_bind_text(st, 9, m->related_type, -1);
				kk_stmt_bind_text(st, 10, m->related_id, -1);
				rc = kk_stmt_step(st);
				kk_stmt_done(st);
				rc = rc < 0 ? rc : 0;
			}
		}
		kk_buf_release(&sealed);
	} else {
		rc = kk_db_exec(db,
				"INSERT INTO mail_outbox (created_at, to_addr, subject, body, headers, pgp_key, encrypted, "
				"next_attempt_at, message_id, related_type, related_id) "
				"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				"isssssiisss", now, m->to, m->subject, m->body, m->headers, m->pgp_key,
				(int64_t)(m->pgp_key ? 1 : 0), now, mid, m->related_type, m->related_id);
		rc = rc < 0 ? rc : 0;
	}
	if (rc)
		return kk_diag_set(d, rc, NULL, "cannot queue mail: %s", rc == KK_EDB ? kk_db_errmsg(db) : kk_err_msg(rc));
	if (id_out)
		*id_out = kk_db_last_insert_id(db);
	return 0;
}

/* ---- configuration ---------------------------------------------------- */

static int config_set(struct kk_mail_config *c, const char *key, const char *val, struct kk_diag *d,
		      const char *where)
{
	struct {
		const char *name;
		char *dst;
		size_t n;
	} s[] = {
		{"smtp_url", c->smtp_url, sizeof(c->smtp_url)},
		{"smtp_user", c->smtp_user, sizeof(c->smtp_user)},
		{"smtp_password", c->smtp_password, sizeof(c->smtp_password)},
		{"smtp_starttls", c->starttls, sizeof(c->starttls)},
		{"mail_from", c->from, sizeof(c->from)},
		{"maildir", c->maildir, sizeof(c->maildir)},
	};
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		if (strcmp(key, s[i].name))
			continue;
		if (kk_strlcpy(s[i].dst, val, s[i].n) >= s[i].n)
			return kk_diag_set(d, KK_EINVAL, where, "%s is too long (at most %zu bytes)", key, s[i].n - 1);
		return 0;
	}
	if (!strcmp(key, "max_attempts")) {
		char *end;
		errno = 0;
		long v = strtol(val, &end, 10);
		if (errno || *end || end == val || v < 1 || v > 100)
			return kk_diag_set(d, KK_EINVAL, where, "max_attempts '%s' must be a number from 1 to 100", val);
		c->max_attempts = (int)v;
		return 0;
	}
	return kk_diag_set(d, KK_EINVAL, where,
			   "unknown setting '%s' (known: smtp_url, smtp_user, smtp_password, smtp_starttls, "
			   "mail_from, maildir, max_attempts)",
			   key);
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = 0;
	return s;
}

int kk_mail_config_load(struct kk_mail_config *c, const char *file, struct kk_diag *d)
{
	memset(c, 0, sizeof(*c));
	kk_strlcpy(c->starttls, "required", sizeof(c->starttls));
	kk_strlcpy(c->from, "keikai@localhost", sizeof(c->from));
	c->max_attempts = 8;
	c->backoff_base = 60;
	c->backoff_max = 6 * 3600;
	if (!file || !*file)
		file = getenv("KEIKAI_MAIL_CONFIG");
	if (file && *file) {
		FILE *f = fopen(file, "r");
		if (!f)
			return kk_diag_set(d, KK_EIO, file, "cannot read mail configuration %s: %s", file,
					   strerror(errno));
		char line[2048];
		int no = 0, rc = 0;
		while (!rc && fgets(line, sizeof(line), f)) {
			no++;
			char *s = trim(line);
			if (!*s || *s == '#')
				continue;
			char *eq = strchr(s, '=');
			char where[64];
			snprintf(where, sizeof(where), "line %d", no);
			if (!eq) {
				rc = kk_diag_set(d, KK_EINVAL, where, "%s:%d: expected 'key = value'", file, no);
				break;
			}
			*eq = 0;
			rc = config_set(c, trim(s), trim(eq + 1), d, where);
		}
		fclose(f);
		if (rc)
			return rc;
	}
	static const char *const env[][2] = {
		{"KEIKAI_SMTP_URL", "smtp_url"},	   {"KEIKAI_SMTP_USER", "smtp_user"},
		{"KEIKAI_SMTP_PASSWORD", "smtp_password"}, {"KEIKAI_SMTP_STARTTLS", "smtp_starttls"},
		{"KEIKAI_MAIL_FROM", "mail_from"},	   {"KEIKAI_MAILDIR", "maildir"},
		{"KEIKAI_MAIL_MAX_ATTEMPTS", "max_attempts"},
	};
	for (size_t i = 0; i < sizeof(env) / sizeof(env[0]); i++) {
		const char *v = getenv(env[i][0]);
		if (v && *v) {
			int rc = config_set(c, env[i][1], v, d, env[i][0]);
			if (rc)
				return rc;
		}
	}
	if (strcmp(c->starttls, "required") && strcmp(c->starttls, "try") && strcmp(c->starttls, "off"))
		return kk_diag_set(d, KK_EINVAL, "smtp_starttls", "smtp_starttls '%s' must be required, try or off",
				   c->starttls);
	if (!kk_mail_addr_valid(c->from))
		return kk_diag_set(d, KK_EINVAL, "mail_from", "mail_from '%s' is not an e-mail address", c->from);
	return 0;
}

int64_t kk_mail_backoff(const struct kk_mail_config *c, int attempts)
{
	int64_t w = c->backoff_base > 0 ? c->backoff_base : 60;
	for (int i = 1; i < attempts && w < c->backoff_max; i++)
		w *= 2;
	return w > c->backoff_max ? c->backoff_max : w;
}

/* ---- flushing ---------------------------------------------------------- */

struct outcome {
	int64_t id;
	int attempts; /* after this one */
	bool sent, give_up;
	int64_t next;
	const char *error;
};

static int outcome_tx(struct kk_db *db, void *arg)
{
	struct outcome *o = arg;
	int64_t now = kk_clock_now();
	int rc;
	if (o->sent)
		rc = kk_db_exec(db,
				"UPDATE mail_outbox SET state = 'sent', attempts = ?, sent_at = ?, last_error = NULL "
				"WHERE id = ? AND state = 'queued'",
				"iii", (int64_t)o->attempts, now, o->id);
	else
		rc = kk_db_exec(db,
				"UPDATE mail_outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ? "
				"WHERE id = ? AND state = 'queued'",
				"siisi", o->give_up ? "failed" : "queued", (int64_t)o->attempts, o->next, o->error, o->id);
	return rc < 0 ? rc : 0;
}

/*
 * Claims a due mail for this flusher by moving its next attempt a lease
 * ahead, so a second flusher (the server and `keikai mail flush` at once)
 * skips it; *claimed says whether this one got it. A flusher that dies
 * holding a claim leaves the mail to be tried again when the lease ends.
 */
#define CLAIM_LEASE 600
struct claim {
	int64_t id;
	bool claimed;
};

static int claim_tx(struct kk_db *db, void *arg)
{
	struct claim *c = arg;
	int64_t now = kk_clock_now();
	int rc = kk_db_exec(db,
			    "UPDATE mail_outbox SET next_attempt_at = ? WHERE id = ? AND state = 'queued' AND "
			    "next_attempt_at <= ?",
			    "iii", now + CLAIM_LEASE, c->id, now);
	c->claimed = rc == 1;
	return rc < 0 ? rc : 0;
}

/* Reads the sealed {to, body, pgp_key} into owned copies. */
static int unseal_envelope(const unsigned char *key, const void *blob, size_t n, char **to, char **body, char **pgp)
{
	struct kk_buf plain = KK_BUF_INIT(0);
	int rc = kk_unseal(key, blob, n, &plain);
	if (rc) {
		kk_buf_release(&plain);
		return rc;
	}
	json_error_t je;
	json_t *o = json_loadb(plain.ptr, plain.len, 0, &je);
	sodium_memzero(plain.ptr, plain.len);
	kk_buf_release(&plain);
	if (!o)
		return KK_EPARSE;
	const char *t = json_string_value(json_object_get(o, "to"));
	const char *b = json_string_value(json_object_get(o, "body"));
	const char *k = json_string_value(json_object_get(o, "pgp_key"));
	*to = t ? kk_strdup(t) : NULL;
	*body = b ? kk_strdup(b) : NULL;
	*pgp = k ? kk_strdup(k) : NULL;
	json_decref(o);
	if (!*to || !*body || (k && !*pgp)) {
		kk_free(*to);
		kk_free(*body);
		kk_free(*pgp);
		*to = *body = *pgp = NULL;
		return t && b ? KK_ENOMEM : KK_EPARSE;
	}
	return 0;
}

static void free_secret(char *s)
{
	if (s) {
		sodium_memzero(s, strlen(s));
		kk_free(s);
	}
}

/* Builds and delivers outbox row id; fills err on failure. Returns 0 when delivered. */
static int deliver_one(struct kk_db *db, const struct kk_mail_config *c, const unsigned char *key, int64_t id,
		       int *attempts, struct kk_diag *err)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT to_addr, subject, body, headers, pgp_key, sealed, attempts, message_id, "
			       "created_at FROM mail_outbox WHERE id = ? AND state = 'queued'",
			       &st);
	if (rc)
		return kk_diag_set(err, rc, NULL, "%s", kk_db_errmsg(db));
	kk_stmt_bind_int64(st, 1, id);
	if ((rc = kk_stmt_step(st)) != KK_ROW) {
		kk_stmt_done(st);
		return kk_diag_set(err, rc < 0 ? rc : KK_ENOTFOUND, NULL, "mail %lld is no longer queued", (long long)id);
	}
	rc = 0;
	char *to = NULL, *body = NULL, *pgp = NULL;
	char *subject = kk_strdup(kk_stmt_text(st, 1)), *headers = kk_strdup(kk_stmt_text(st, 3));
	char *mid = kk_strdup(kk_stmt_text(st, 7));
	int64_t created = kk_stmt_int64(st, 8);
	*attempts = (int)kk_stmt_int64(st, 6);
	if (!kk_stmt_is_null(st, 5)) {
		if (!key)
			rc = kk_diag_set(err, KK_ECRYPTO, "sealed",
					 "sealed mail needs the secret key file (see 'keikai init --key-file')");
		else if ((rc = unseal_envelope(key, kk_stmt_blob(st, 5), kk_stmt_bytes(st, 5), &to, &body, &pgp)))
			kk_diag_set(err, rc, "sealed", "cannot unseal the recipient: %s (wrong key file?)",
				    kk_err_msg(rc));
	} else {
		to = kk_strdup(kk_stmt_text(st, 0));
		body = kk_strdup(kk_stmt_text(st, 2));
		pgp = kk_stmt_is_null(st, 4) ? NULL : kk_strdup(kk_stmt_text(st, 4));
	}
	kk_stmt_done(st);
	if (!rc && (!to || !body || !subject || !headers || !mid))
		rc = kk_diag_set(err, KK_ENOMEM, NULL, "out of memory");
	struct kk_buf msg = KK_BUF_INIT(0);
	if (!rc) {
		struct kk_mail_msg mm = {.from = c->from,
					 .to = to,
					 .subject = subject,
					 .body = body,
					 .headers = *headers ? headers : NULL,
					 .message_id = mid,
					 .date = created,
					 .pgp_key = pgp};
		rc = kk_mail_build(&mm, &msg, err);
	}
	if (!rc) {
		if (c->maildir[0])
			rc = kk_mail_maildir_write(c->maildir, msg.ptr, msg.len, err);
		else
			rc = kk_mail_smtp_send(c, to, msg.ptr, msg.len, err);
	}
	if (msg.len)
		sodium_memzero(msg.ptr, msg.len);
	kk_buf_release(&msg);
	free_secret(to);
	free_secret(body);
	kk_free(pgp);
	kk_free(subject);
	kk_free(headers);
	kk_free(mid);
	return rc;
}

int kk_mail_flush(struct kk_db *db, const struct kk_mail_config *c, const unsigned char *key, int limit,
		  struct kk_mail_flush_stats *stats, struct kk_diag *d)
{
	memset(stats, 0, sizeof(*stats));
	if (!c->maildir[0] && !c->smtp_url[0])
		return kk_diag_set(d, KK_EINVAL, "transport",
				   "no mail transport configured: set KEIKAI_MAILDIR (a maildir for development) or "
				   "KEIKAI_SMTP_URL (smtp://host:587), or give them in the mail configuration file");
	/* Collect the due ids first: delivery happens outside any transaction. */
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT id FROM mail_outbox WHERE state = 'queued' AND next_attempt_at <= ? "
			       "ORDER BY next_attempt_at, id",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, kk_clock_now());
	while ((rc = kk_stmt_step(st)) == KK_ROW && (limit <= 0 || n < (size_t)limit)) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			int64_t *p = kk_realloc(ids, nc * sizeof(*p));
			if (!p) {
				rc = KK_ENOMEM;
				break;
			}
			ids = p;
			cap = nc;
		}
		ids[n++] = kk_stmt_int64(st, 0);
	}
	kk_stmt_done(st);
	if (rc < 0) {
		kk_free(ids);
		return rc;
	}
	rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		struct kk_diag err;
		kk_diag_clear(&err);
		struct claim cl = {ids[i], false};
		if ((rc = kk_db_tx(db, claim_tx, &cl)))
			break;
		if (!cl.claimed)
			continue; /* another flusher has it */
		int attempts = 0;
		int drc = deliver_one(db, c, key, ids[i], &attempts, &err);
		if (drc == KK_ENOTFOUND)
			continue; /* another flusher took it */
		struct outcome o = {.id = ids[i], .attempts = attempts + 1, .sent = drc == 0};
		char msg[sizeof(err.msg) + sizeof(err.where) + 4];
		snprintf(msg, sizeof(msg), "%s%s%s", err.where, err.where[0] ? ": " : "", err.msg);
		o.error = msg;
		if (!o.sent) {
			o.give_up = o.attempts >= c->max_attempts;
			o.next = kk_clock_now() + kk_mail_backoff(c, o.attempts);
		}
		rc = kk_db_tx(db, outcome_tx, &o);
		if (o.sent)
			stats->sent++;
		else if (o.give_up)
			stats->failed++;
		else
			stats->retry++;
	}
	kk_free(ids);
	return rc;
}

int kk_mail_list(struct kk_db *db, const char *state, int (*fn)(void *arg, const struct kk_mail_entry *e), void *arg)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT id, created_at, next_attempt_at, sent_at, attempts, encrypted, sealed IS NOT NULL, "
			       "to_addr, subject, state, last_error, message_id, related_type, related_id "
			       "FROM mail_outbox WHERE (? IS NULL OR state = ?) ORDER BY id",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, state, -1);
	kk_stmt_bind_text(st, 2, state, -1);
	int count = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_mail_entry e = {
			.id = kk_stmt_int64(st, 0),
			.created_at = kk_stmt_int64(st, 1),
			.next_attempt_at = kk_stmt_int64(st, 2),
			.sent_at = kk_stmt_int64(st, 3),
			.attempts = (int)kk_stmt_int64(st, 4),
			.encrypted = kk_stmt_int64(st, 5) != 0,
			.sealed = kk_stmt_int64(st, 6) != 0,
			.to = kk_stmt_text(st, 7),
			.subject = kk_stmt_text(st, 8),
			.state = kk_stmt_text(st, 9),
			.last_error = kk_stmt_text(st, 10),
			.message_id = kk_stmt_text(st, 11),
			.related_type = kk_stmt_text(st, 12),
			.related_id = kk_stmt_text(st, 13),
		};
		count++;
		int r = fn(arg, &e);
		if (r) {
			kk_stmt_done(st);
			return r;
		}
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : count;
}

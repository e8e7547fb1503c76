/*
 * audit.c — writes audit rows inside the caller's transaction and lists
 * them with filters and cursor paging.
 */
#include "auth/audit.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/str.h"
#include "store/db.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const secret_words[] = {"password", "token", "secret", "csrf", "hash", NULL};

/* True when the JSON text has an object key naming a secret. Keys only: values may say anything. */
static bool has_secret_key(const char *json)
{
	for (const char *p = json; p && *p; p++) {
		if (*p != '"')
			continue;
		const char *start = ++p;
		while (*p && *p != '"')
			p += (*p == '\\' && p[1]) ? 2 : 1;
		if (!*p)
			return false;
		size_t len = (size_t)(p - start);
		const char *q = p + 1;
		while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
			q++;
		if (*q != ':')
			continue;
		char key[64];
		if (len >= sizeof(key))
			len = sizeof(key) - 1;
		for (size_t i = 0; i < len; i++)
			key[i] = (char)tolower((unsigned char)start[i]);
		key[len] = 0;
		for (int w = 0; secret_words[w]; w++)
			if (strstr(key, secret_words[w]))
				return true;
	}
	return false;
}

int kk_audit(struct kk_db *db, const struct kk_actor *a, const char *action, const char *object_type,
	     const char *object_id, const char *summary, const char *before_json, const char *after_json)
{
	if (!kk_db_in_tx(db)) {
		kk_error("audit: '%s' written outside a transaction (a bug: call kk_audit inside the kk_db_tx "
			 "of the change it records)",
			 action ? action : "?");
		return KK_EINVAL;
	}
	if (!action || !*action)
		return KK_EINVAL;
	if (has_secret_key(before_json) || has_secret_key(after_json)) {
		kk_error("audit: '%s' refused: before/after holds a key naming a secret", action);
		return KK_EINVAL;
	}
	if (!a)
		a = &kk_actor_public;
	/* the link to the newest row (the write lock of this transaction keeps it the newest) */
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT id, coalesce(hash, '') FROM audit_log ORDER BY id DESC LIMIT 1", &st);
	if (rc)
		return rc;
	int64_t last = 0;
	char prev[72] = "";
	if ((rc = kk_stmt_step(st)) == KK_ROW) {
		last = kk_stmt_int64(st, 0);
		kk_strlcpy(prev, kk_stmt_text(st, 1), sizeof(prev));
	}
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	rc = kk_db_prepare(db,
			   "INSERT INTO audit_log (id, at, actor_user_id, actor_label, action, object_type, object_id,"
			   " summary, before, after, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
			   " kk_audit_hash(?11, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10))",
			   &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, last + 1);
	kk_stmt_bind_int64(st, 2, kk_clock_now());
	if (a->user_id)
		kk_stmt_bind_int64(st, 3, a->user_id);
	kk_stmt_bind_text(st, 4, a->label[0] ? a->label : "public", -1);
	const char *text[] = {action, object_type, object_id, summary, before_json, after_json};
	for (int i = 0; i < 6; i++)
		kk_stmt_bind_text(st, 5 + i, text[i], -1);
	kk_stmt_bind_text(st, 11, prev, -1);
	rc = kk_stmt_step(st);
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

int kk_audit_verify(struct kk_db *db, struct kk_audit_check *out)
{
	memset(out, 0, sizeof(*out));
	struct kk_stmt *st;
	/* each row's link recomputed from the row before it as stored: the first mismatch is where it broke */
	int rc = kk_db_prepare(db,
			       "SELECT id, coalesce(hash, ''), kk_audit_hash(coalesce(lag(hash) OVER (ORDER BY id), ''),"
			       " id, at, actor_user_id, actor_label, action, object_type, object_id, summary, before,"
			       " after) FROM audit_log ORDER BY id",
			       &st);
	if (rc)
		return rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		out->rows++;
		out->last_id = kk_stmt_int64(st, 0);
		if (strcmp(kk_stmt_text(st, 1), kk_stmt_text(st, 2))) {
			out->broken_id = out->last_id;
			break;
		}
		kk_strlcpy(out->head, kk_stmt_text(st, 1), sizeof(out->head));
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

static const char *const select_newest =
	"SELECT id, at, actor_user_id, actor_label, action, object_type, object_id, summary, before, after"
	" FROM audit_log WHERE (? = 0 OR at >= ?) AND (? = 0 OR at < ?) AND (? = 0 OR id < ?)"
	" AND (? IS NULL OR object_type = ?) AND (? IS NULL OR object_id = ?) ORDER BY id DESC LIMIT ?";
static const char *const select_oldest =
	"SELECT id, at, actor_user_id, actor_label, action, object_type, object_id, summary, before, after"
	" FROM audit_log WHERE (? = 0 OR at >= ?) AND (? = 0 OR at < ?) AND (? = 0 OR id > ?)"
	" AND (? IS NULL OR object_type = ?) AND (? IS NULL OR object_id = ?) ORDER BY id ASC LIMIT ?";
/* The cursor's two parameters are kept (and ignored) so all three statements share bind_filters. */
static const char *const select_count =
	"SELECT count(*) FROM audit_log WHERE (? = 0 OR at >= ?) AND (? = 0 OR at < ?) AND (? = ? OR 1 = 1)"
	" AND (? IS NULL OR object_type = ?) AND (? IS NULL OR object_id = ?)";

/* Binds the ten filter parameters shared by the three statements. */
static void bind_filters(struct kk_stmt *st, const struct kk_audit_query *q)
{
	int64_t v[3] = {q->since, q->until, q->cursor};
	for (int i = 0; i < 3; i++) {
		kk_stmt_bind_int64(st, 2 * i + 1, v[i]);
		kk_stmt_bind_int64(st, 2 * i + 2, v[i]);
	}
	const char *ot = q->object_type, *oi = q->object_type ? q->object_id : NULL;
	kk_stmt_bind_text(st, 7, ot, -1);
	kk_stmt_bind_text(st, 8, ot, -1);
	kk_stmt_bind_text(st, 9, oi, -1);
	kk_stmt_bind_text(st, 10, oi, -1);
}

int kk_audit_list(struct kk_db *db, const struct kk_audit_query *q,
		  int (*fn)(void *arg, const struct kk_audit_entry *e), void *arg)
{
	struct kk_audit_query none = {0};
	if (!q)
		q = &none;
	int limit = q->limit <= 0 ? 100 : q->limit > 10000 ? 10000 : q->limit;
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, q->oldest_first ? select_oldest : select_newest, &st);
	if (rc)
		return rc;
	bind_filters(st, q);
	kk_stmt_bind_int64(st, 11, limit);
	int n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_audit_entry e = {
			.id = kk_stmt_int64(st, 0),
			.at = kk_stmt_int64(st, 1),
			.actor_user_id = kk_stmt_int64(st, 2),
			.actor_label = kk_stmt_text(st, 3),
			.action = kk_stmt_text(st, 4),
			.object_type = kk_stmt_text(st, 5),
			.object_id = kk_stmt_text(st, 6),
			.summary = kk_stmt_text(st, 7),
			.before = kk_stmt_text(st, 8),
			.after = kk_stmt_text(st, 9),
		};
		n++;
		int r = fn(arg, &e);
		if (r) {
			kk_stmt_done(st);
			return r;
		}
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : n;
}

int64_t kk_audit_count(struct kk_db *db, const struct kk_audit_query *q)
{
	struct kk_audit_query none = {0};
	if (!q)
		q = &none;
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, select_count, &st);
	if (rc)
		return rc;
	bind_filters(st, q);
	rc = kk_stmt_step(st);
	int64_t n = rc == KK_ROW ? kk_stmt_int64(st, 0) : (rc < 0 ? rc : KK_EDB);
	kk_stmt_done(st);
	return n;
}

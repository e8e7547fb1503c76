/*
 * audit.h — the append-only audit log: who changed what, when, with a short
 * before/after.
 *
 * kk_audit() MUST be called inside the same kk_db_tx as the change it
 * records (it checks kk_db_in_tx and returns KK_EINVAL otherwise), so a
 * change and its audit row commit or roll back together. The auth.h
 * functions that change things already call it; domain modules call it for
 * their own changes.
 *
 * The table refuses UPDATE and DELETE (triggers), so rows are never
 * changed once written through keikai; and each row carries a hash chained
 * to the row before (kk_audit_hash in store/db.c: SHA-256 over the previous
 * row's hash and every column), so a row changed, inserted or removed by
 * other means (the sqlite3 shell) breaks the chain from there on, which
 * kk_audit_verify finds. Removing the newest rows leaves no trace in the
 * chain itself: compare the head with one kept elsewhere (the verify
 * output prints it).
 *
 * Never pass a password, hash, session or API token, or anything sealed:
 * before_json/after_json holding a key named like "password", "token",
 * "secret", "csrf" or "hash" are refused with KK_EINVAL (a guard, not a
 * licence to try).
 *
 * Arguments: action is a dotted verb ("user.create"); object_type and
 * object_id name the object ("user", "42"); summary is one human line
 * ("created user a@example.org (vendor, Acme)"); before_json/after_json are
 * small JSON objects or NULL. All but action may be NULL. The actor's
 * label (a->label, "public" when a is NULL) and user id are recorded.
 */
#ifndef KK_AUTH_AUDIT_H
#define KK_AUTH_AUDIT_H
#include "auth/auth.h"
#include <stdbool.h>
#include <stdint.h>

struct kk_db;

/* 0, KK_EINVAL (not in a transaction, no action, or a secret-looking key), or a DB error. */
int kk_audit(struct kk_db *db, const struct kk_actor *a, const char *action, const char *object_type,
	     const char *object_id, const char *summary, const char *before_json, const char *after_json);

/* What kk_audit_verify found. */
struct kk_audit_check {
	int64_t rows;      /* rows checked (up to and including a broken one) */
	int64_t last_id;   /* the last row checked */
	int64_t broken_id; /* 0: the chain holds; else the first row whose hash does not match */
	char head[72];     /* the hash of the last good row: keep it elsewhere to notice rows cut from the end */
};

/* Recomputes every row's hash in id order. 0 (see out->broken_id) or a DB error. Read-only. */
int kk_audit_verify(struct kk_db *db, struct kk_audit_check *out);

/* One row, as handed to a kk_audit_list callback: strings valid only during the call, "" for NULL. */
struct kk_audit_entry {
	int64_t id;
	int64_t at; /* seconds since the epoch (kk_clock_now) */
	int64_t actor_user_id; /* 0: none (public, system) */
	const char *actor_label;
	const char *action;
	const char *object_type;
	const char *object_id;
	const char *summary;
	const char *before; /* JSON or "" */
	const char *after;  /* JSON or "" */
};

/*
 * Which rows, in which order. Zero-initialise and set what you need.
 * Paging by cursor: pass the last id you got as `cursor` to get the next
 * page (ids strictly below it when newest first, above it when oldest first).
 */
struct kk_audit_query {
	int64_t since;	   /* only rows with at >= since (0: no bound) */
	int64_t until;	   /* only rows with at < until (0: no bound) */
	int64_t cursor;	   /* 0: start at the newest (or oldest) */
	bool oldest_first; /* default newest first */
	int limit;	   /* rows at most; <= 0 means 100; capped at 10000 */
	const char *object_type; /* NULL: any */
	const char *object_id;	 /* NULL: any (only with object_type) */
};

/*
 * Calls fn for each matching row in order. fn returning non-zero stops the
 * walk and that value is returned; otherwise returns the number of rows
 * given to fn (>= 0) or a negative error.
 */
int kk_audit_list(struct kk_db *db, const struct kk_audit_query *q,
		  int (*fn)(void *arg, const struct kk_audit_entry *e), void *arg);
/* Rows matching q's filters (since, until, object) ignoring cursor and limit, or a negative error. */
int64_t kk_audit_count(struct kk_db *db, const struct kk_audit_query *q);

#endif

/*
 * watchlist.h — the filtered collection (MyJVN's フィルタリング条件 and
 * 脆弱性対策情報収集ツール): a watchlist watches one inventory's items
 * (inventory.h) with a minimum severity and optional keywords (any one in
 * the title or an alias), CWE numbers (any one) and "KEV only". When a
 * record that matches is new or updated, its owner is told:
 *   - mail through the outbox (mail.h), at once or as a daily digest, in
 *     the watchlist's language (ja/en);
 *   - a private Atom feed at /feeds/watch/TOKEN (the token is shown once;
 *     only its SHA-256 is stored);
 *   - a webhook: a POST of a JSON body signed with HMAC-SHA256 in the
 *     header X-Keikai-Signature: sha256=HEX (the secret is shown once),
 *     retried with backoff (1, 2, 4 ... minutes, at most 8 attempts),
 *     every delivery listed.
 *
 * Changed records reach the evaluation durably: schema 0033 copies every
 * change of the record log (vuln_change) into watch_pending inside the
 * transaction that made it, whoever made it (import, sync, KEV). The
 * scheduler's tick (kk_wl_tick) evaluates the pending records against
 * every watchlist and empties the table in one transaction: a crash loses
 * nothing. A record is told once per modification time.
 *
 * Who: a watchlist is its inventory's; reading needs WATCH_READ on the
 * inventory, changing WATCH_WRITE. Another organization's watchlist
 * answers KK_ENOTFOUND.
 */
#ifndef KK_WATCH_WATCHLIST_H
#define KK_WATCH_WATCHLIST_H
#include "auth/auth.h"
#include "base/buf.h"
#include "base/err.h"
#include <stdbool.h>
#include <stdint.h>

struct kk_db;

#define KK_WL_TOKEN_HEX 64 /* feed token and webhook secret: 32 random bytes, hex */

struct kk_watchlist {
	int64_t id, inventory_id, user_id, org_id; /* org_id: the inventory's (0: personal) */
	char name[201];
	char inventory[201];
	int min_severity;
	char keywords[512], cwe[256];
	bool kev_only;
	char mail[8]; /* "off", "now", "daily" */
	char email[255];
	char lang[3];
	char webhook_url[1024];
	bool has_feed;
	int64_t seen_at, created_at;
	long hits, unseen; /* records told; told since seen_at */
};

struct kk_wl_new {
	int64_t inventory_id;
	const char *name;
	int min_severity;     /* 0..4 */
	const char *keywords; /* may be NULL */
	const char *cwe;      /* "79 CWE-89": numbers, optionally CWE- prefixed; may be NULL */
	bool kev_only;
	const char *mail;        /* "off" (NULL), "now", "daily" */
	const char *email;       /* the address mail goes to (default: the actor's) */
	const char *lang;        /* "ja" or "en" (NULL: "en") */
	const char *webhook_url; /* http(s)://...; may be NULL */
	bool feed;               /* make a private Atom feed */
};

/*
 * Creates a watchlist. feed_token / secret (KK_WL_TOKEN_HEX + 1 bytes) get
 * the feed's token and the webhook's secret when asked for, else "". 0;
 * KK_ENOTFOUND (the inventory); KK_EPERM; KK_EINVAL with d naming the field.
 */
int kk_wl_create(struct kk_db *db, const struct kk_actor *a, const struct kk_wl_new *w, int64_t *id,
                 char *feed_token, char *secret, struct kk_diag *d);
int kk_wl_get(struct kk_db *db, const struct kk_actor *a, int64_t id, struct kk_watchlist *out);
int kk_wl_list(struct kk_db *db, const struct kk_actor *a,
               int (*row)(void *arg, const struct kk_watchlist *w), void *arg);
int kk_wl_delete(struct kk_db *db, const struct kk_actor *a, int64_t id);
/* Marks the owner's visit: later hits are "new since your last visit". */
int kk_wl_seen(struct kk_db *db, const struct kk_actor *a, int64_t id, int64_t now);

struct kk_wl_hit {
	int64_t id, vuln_id, modified, at;
	const char *jvndb, *cve, *title, *item;
	int severity;
	bool kev, updated, unseen;
};
/* The records told, newest first (at most limit; 0: 100). Strings valid during the call. */
int kk_wl_hits(struct kk_db *db, const struct kk_actor *a, int64_t id, int limit, const char *lang,
               int (*row)(void *arg, const struct kk_wl_hit *h), void *arg);

struct kk_wl_delivery {
	int64_t id, next_at, created_at, sent_at;
	const char *state, *error;
	int attempts, status;
	long records;
};
int kk_wl_deliveries(struct kk_db *db, const struct kk_actor *a, int64_t id,
                     int (*row)(void *arg, const struct kk_wl_delivery *d), void *arg);

/* The Atom feed of the watchlist whose token this is: 0; KK_ENOTFOUND. base: the site's URL or "". */
int kk_wl_feed(struct kk_db *db, const char *token, const char *base, int64_t now, struct kk_buf *out);

struct kk_wl_stats {
	long pending, watchlists, hits, mails, deliveries_queued, sent, retried, failed, digests;
};
/* Evaluates the pending records (one transaction), sends due digests, delivers due webhooks. */
int kk_wl_tick(struct kk_db *db, int64_t now, struct kk_wl_stats *st, struct kk_diag *d);
/* The signature header's value for body: "sha256=" and 64 hex digits (out: 72 bytes). */
void kk_wl_sign(const char *secret, const char *body, size_t n, char out[72]);

#endif

/*
 * watchlist.c — the filtered collection: watchlists, their evaluation
 * after imports and syncs, mail, the Atom feed and signed webhooks
 * (watchlist.h).
 */
#include "watch/watchlist.h"
#include "auth/audit.h"
#include "auth/policy.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/log.h"
#include "base/rand.h"
#include "base/str.h"
#include "mail/mail.h"
#include "store/db.h"
#include "vulndb/search.h"
#include "watch/check.h"
#include "watch/inventory.h"
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WL_MAX_ATTEMPTS 8
#define WL_CLAIM_S 600      /* a delivery in flight is not taken again for 10 minutes */
#define WL_DIGEST_S 86400   /* daily digest */
#define WL_MAIL_RECORDS 200 /* records listed in one mail; the rest counted */

/* JVN iPedia's Japanese severity names (CVSS v3: 緊急 重要 警告 注意 なし) */
static const char *sev_name(int sev, const char *lang)
{
	static const char *const ja[] = {"なし", "注意", "警告", "重要", "緊急"};
	if (lang && !strcmp(lang, "ja") && sev >= 0 && sev <= 4)
		return ja[sev];
	return kk_search_severity_name(sev);
}

static void hash_token(const char *token, unsigned char out[crypto_hash_sha256_BYTES])
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

void kk_wl_sign(const char *secret, const char *body, size_t n, char out[72])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state s;
	crypto_auth_hmacsha256_init(&s, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&s, (const unsigned char *)body, n);
	crypto_auth_hmacsha256_final(&s, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, 65, mac, sizeof mac);
}

/* --- reading ------------------------------------------------------------ */

#define WL_SQL                                                                                               \
	"SELECT w.id, w.inventory_id, coalesce(w.user_id, 0), coalesce(i.org_id, 0), w.name, i.name, "       \
	"w.min_severity, "                                                                                   \
	"coalesce(w.keywords, ''), coalesce(w.cwe, ''), w.kev_only, w.mail, coalesce(w.email, ''), w.lang, " \
	"coalesce(w.webhook_url, ''), w.feed_hash IS NOT NULL, w.seen_at, w.created_at, "                    \
	"coalesce(i.user_id, 0), "                                                                           \
	"(SELECT count(*) FROM watch_hit h WHERE h.watchlist_id = w.id), "                                   \
	"(SELECT count(*) FROM watch_hit h WHERE h.watchlist_id = w.id AND h.at > w.seen_at) "               \
	"FROM watchlist w JOIN inventory i ON i.id = w.inventory_id"

static void fill(struct kk_stmt *st, struct kk_watchlist *w, int64_t *inv_user)
{
	memset(w, 0, sizeof *w);
	w->id = kk_stmt_int64(st, 0);
	w->inventory_id = kk_stmt_int64(st, 1);
	w->user_id = kk_stmt_int64(st, 2);
	w->org_id = kk_stmt_int64(st, 3);
	snprintf(w->name, sizeof w->name, "%s", kk_stmt_text(st, 4));
	snprintf(w->inventory, sizeof w->inventory, "%s", kk_stmt_text(st, 5));
	w->min_severity = (int)kk_stmt_int64(st, 6);
	snprintf(w->keywords, sizeof w->keywords, "%s", kk_stmt_text(st, 7));
	snprintf(w->cwe, sizeof w->cwe, "%s", kk_stmt_text(st, 8));
	w->kev_only = kk_stmt_int64(st, 9) != 0;
	snprintf(w->mail, sizeof w->mail, "%s", kk_stmt_text(st, 10));
	snprintf(w->email, sizeof w->email, "%s", kk_stmt_text(st, 11));
	snprintf(w->lang, sizeof w->lang, "%s", kk_stmt_text(st, 12));
	snprintf(w->webhook_url, sizeof w->webhook_url, "%s", kk_stmt_text(st, 13));
	w->has_feed = kk_stmt_int64(st, 14) != 0;
	w->seen_at = kk_stmt_int64(st, 15);
	w->created_at = kk_stmt_int64(st, 16);
	*inv_user = kk_stmt_int64(st, 17);
	w->hits = (long)kk_stmt_int64(st, 18);
	w->unseen = (long)kk_stmt_int64(st, 19);
}

/* The inventory's owner decides: the same rule as the inventory itself (inventory.c). */
static bool may(const struct kk_actor *a, enum kk_action act, const struct kk_watchlist *w, int64_t inv_user)
{
	struct kk_policy_obj o = {.owner_user_id = inv_user, .org_id = w->org_id};
	return kk_policy_allow(a, act, &o);
}

static int load(struct kk_db *db, const struct kk_actor *a, enum kk_action act, int64_t id,
                struct kk_watchlist *w)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, WL_SQL " WHERE w.id = ?", &st));
	kk_stmt_bind_int64(st, 1, id);
	int64_t inv_user = 0;
	int rc = kk_stmt_step(st);
	if (rc == KK_ROW)
		fill(st, w, &inv_user);
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	if (rc != KK_ROW || !may(a, KK_ACT_WATCH_READ, w, inv_user))
		return KK_ENOTFOUND;
	if (act != KK_ACT_WATCH_READ && !may(a, act, w, inv_user))
		return KK_EPERM;
	return 0;
}

int kk_wl_get(struct kk_db *db, const struct kk_actor *a, int64_t id, struct kk_watchlist *out)
{
	return load(db, a, KK_ACT_WATCH_READ, id, out);
}

int kk_wl_list(struct kk_db *db, const struct kk_actor *a,
               int (*row)(void *arg, const struct kk_watchlist *w), void *arg)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, WL_SQL " ORDER BY w.id", &st));
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_watchlist w;
		int64_t inv_user;
		fill(st, &w, &inv_user);
		if (may(a, KK_ACT_WATCH_READ, &w, inv_user) && (rc = row(arg, &w)) < 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* --- writing ------------------------------------------------------------ */

struct create_tx {
	const struct kk_actor *a;
	const struct kk_wl_new *w;
	char cwe[256];
	const char *mail, *lang, *email;
	unsigned char feed_hash[crypto_hash_sha256_BYTES];
	const char *secret; /* NULL: no webhook */
	int64_t id;
};

static int create_fn(struct kk_db *db, void *arg)
{
	struct create_tx *c = arg;
	const struct kk_wl_new *w = c->w;
	int rc = kk_db_exec(
	    db,
	    "INSERT INTO watchlist (inventory_id, user_id, name, min_severity, keywords, cwe, kev_only, "
	    "mail, email, lang, webhook_url, webhook_secret, created_at, seen_at) "
	    "VALUES (?, nullif(?, 0), ?, ?, nullif(?, ''), nullif(?, ''), ?, ?, nullif(?, ''), ?, "
	    "nullif(?, ''), ?, ?, ?)",
	    "iisississsssii", w->inventory_id, c->a->user_id, w->name, (int64_t)w->min_severity,
	    w->keywords ? w->keywords : "", c->cwe, (int64_t)w->kev_only, c->mail, c->email, c->lang,
	    w->webhook_url ? w->webhook_url : "", c->secret, kk_clock_now(), kk_clock_now());
	if (rc < 0)
		return rc;
	c->id = kk_db_last_insert_id(db);
	if (w->feed) {
		struct kk_stmt *st;
		KK_TRY(kk_db_prepare(db, "UPDATE watchlist SET feed_hash = ? WHERE id = ?", &st));
		kk_stmt_bind_blob(st, 1, c->feed_hash, sizeof c->feed_hash);
		kk_stmt_bind_int64(st, 2, c->id);
		rc = kk_stmt_step(st);
		kk_stmt_done(st);
		if (rc < 0)
			return rc;
	}
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", (long long)c->id);
	return kk_audit(db, c->a, "watchlist.create", "watchlist", oid, w->name, NULL, NULL);
}

/* "79 CWE-89,cwe-20" -> "79 89 20"; KK_EINVAL for anything else */
static int norm_cwe(const char *in, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = 0;
	for (const char *p = in; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		if (!strncasecmp(p, "CWE-", 4))
			p += 4;
		char *end;
		long n = strtol(p, &end, 10);
		if (end == p || n <= 0 || n > 99999 || (*end && *end != ' ' && *end != ','))
			return KK_EINVAL;
		int k = snprintf(out + o, cap - o, "%s%ld", o ? " " : "", n);
		if (k < 0 || (size_t)k >= cap - o)
			return KK_EINVAL;
		o += (size_t)k;
		p = end;
	}
	return 0;
}

int kk_wl_create(struct kk_db *db, const struct kk_actor *a, const struct kk_wl_new *w, int64_t *id,
                 char *feed_token, char *secret, struct kk_diag *d)
{
	feed_token[0] = secret[0] = 0;
	struct kk_inventory inv;
	int rc = kk_inv_get(db, a, w->inventory_id, &inv);
	if (rc)
		return kk_diag_set(d, rc, "inventory", rc == KK_ENOTFOUND ? "no such inventory" : "%s",
		                   kk_err_msg(rc));
	struct kk_policy_obj o = {.owner_user_id = inv.user_id, .org_id = inv.org_id};
	if (!kk_policy_allow(a, KK_ACT_WATCH_WRITE, &o))
		return KK_EPERM;
	if (!w->name || !*w->name || strlen(w->name) > 200)
		return kk_diag_set(d, KK_EINVAL, "name", "give the watchlist a name of 1 to 200 bytes");
	if (w->min_severity < 0 || w->min_severity > 4)
		return kk_diag_set(d, KK_EINVAL, "min_severity",
		                   "the minimum severity is none, low, medium, high or critical");
	if (w->keywords && strlen(w->keywords) > 500)
		return kk_diag_set(d, KK_EINVAL, "keywords", "keywords are at most 500 bytes");
	struct create_tx c = {.a = a, .w = w};
	if (norm_cwe(w->cwe, c.cwe, sizeof c.cwe))
		return kk_diag_set(d, KK_EINVAL, "cwe", "give CWE numbers such as \"79 CWE-89\"");
	c.mail = w->mail && *w->mail ? w->mail : "off";
	if (strcmp(c.mail, "off") && strcmp(c.mail, "now") && strcmp(c.mail, "daily"))
		return kk_diag_set(d, KK_EINVAL, "mail", "mail is off, now (at once) or daily (a digest)");
	c.lang = w->lang && *w->lang ? w->lang : "en";
	if (strcmp(c.lang, "ja") && strcmp(c.lang, "en"))
		return kk_diag_set(d, KK_EINVAL, "lang", "the language is ja or en");
	c.email = w->email && *w->email ? w->email : a->email;
	if (strcmp(c.mail, "off") && !kk_mail_addr_valid(c.email))
		return kk_diag_set(d, KK_EINVAL, "email",
		                   "mail needs one plain address such as name@example.org");
	if (w->webhook_url && *w->webhook_url) {
		size_t n = strlen(w->webhook_url);
		if (n > 1000 ||
		    (strncmp(w->webhook_url, "http://", 7) && strncmp(w->webhook_url, "https://", 8)) ||
		    strpbrk(w->webhook_url, " \t\r\n"))
			return kk_diag_set(d, KK_EINVAL, "webhook_url",
			                   "the webhook is an http:// or https:// URL");
		kk_random_hex(secret, KK_WL_TOKEN_HEX / 2);
		c.secret = secret;
	}
	if (w->feed) {
		kk_random_hex(feed_token, KK_WL_TOKEN_HEX / 2);
		hash_token(feed_token, c.feed_hash);
	}
	rc = kk_db_tx(db, create_fn, &c);
	if (rc < 0) {
		feed_token[0] = secret[0] = 0;
		return rc;
	}
	*id = c.id;
	return 0;
}

struct del_tx {
	const struct kk_actor *a;
	int64_t id;
};

static int delete_fn(struct kk_db *db, void *arg)
{
	struct del_tx *x = arg;
	KK_TRY(kk_db_exec(db, "DELETE FROM watchlist WHERE id = ?", "i", x->id));
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", (long long)x->id);
	return kk_audit(db, x->a, "watchlist.delete", "watchlist", oid, NULL, NULL, NULL);
}

int kk_wl_delete(struct kk_db *db, const struct kk_actor *a, int64_t id)
{
	struct kk_watchlist w;
	KK_TRY(load(db, a, KK_ACT_WATCH_WRITE, id, &w));
	struct del_tx x = {a, id};
	return kk_db_tx(db, delete_fn, &x);
}

int kk_wl_seen(struct kk_db *db, const struct kk_actor *a, int64_t id, int64_t now)
{
	struct kk_watchlist w;
	KK_TRY(load(db, a, KK_ACT_WATCH_READ, id, &w));
	int rc = kk_db_exec(db, "UPDATE watchlist SET seen_at = ? WHERE id = ?", "ii", now, id);
	return rc < 0 ? rc : 0;
}

/* --- hits and deliveries ------------------------------------------------ */

/* a snprintf format (no %) */
#define HIT_SQL                                                                                              \
	"SELECT h.id, h.vuln_id, h.modified, h.at, v.jvndb, '', "                                            \
	"h.item, h.severity, h.kev, h.updated, h.at > ? "                                                    \
	"FROM watch_hit h JOIN vuln v ON v.id = h.vuln_id "

static void hit_fill(struct kk_stmt *st, struct kk_wl_hit *h)
{
	h->id = kk_stmt_int64(st, 0);
	h->vuln_id = kk_stmt_int64(st, 1);
	h->modified = kk_stmt_int64(st, 2);
	h->at = kk_stmt_int64(st, 3);
	h->jvndb = kk_stmt_text(st, 4);
	h->cve = kk_stmt_text(st, 5);
	h->item = kk_stmt_text(st, 6);
	h->severity = (int)kk_stmt_int64(st, 7);
	h->kev = kk_stmt_int64(st, 8) != 0;
	h->updated = kk_stmt_int64(st, 9) != 0;
	h->unseen = kk_stmt_int64(st, 10) != 0;
}

/* The record's title in lang and its first CVE id (brief.h). */
static int title_of(struct kk_db *db, struct kk_wl_hit *h, const char *lang, struct kk_arena *ar)
{
	struct kk_vuln_brief b;
	int rc = kk_vuln_brief_get(db, h->vuln_id, lang, &b);
	h->title = rc == 0 ? kk_arena_strdup(ar, b.title) : "";
	h->cve = rc == 0 ? kk_arena_strdup(ar, b.cve) : "";
	if (!h->title || !h->cve)
		return KK_ENOMEM;
	return rc == KK_ENOTFOUND ? 0 : rc;
}

static int hits_walk(struct kk_db *db, int64_t id, int64_t seen_at, int limit, const char *lang,
                     const char *extra, int (*row)(void *arg, const struct kk_wl_hit *h), void *arg)
{
	struct kk_stmt *st;
	char sql[1024];
	snprintf(sql, sizeof sql, HIT_SQL "WHERE h.watchlist_id = ? %s ORDER BY h.at DESC, h.id DESC LIMIT ?",
	         extra ? extra : "");
	KK_TRY(kk_db_prepare(db, sql, &st));
	kk_stmt_bind_int64(st, 1, seen_at);
	kk_stmt_bind_int64(st, 2, id);
	kk_stmt_bind_int64(st, 3, limit > 0 ? limit : 100);
	struct kk_arena ar;
	kk_arena_init(&ar, 0);
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_wl_hit h;
		hit_fill(st, &h);
		if ((rc = title_of(db, &h, lang, &ar)) < 0 || (rc = row(arg, &h)) < 0)
			break;
	}
	kk_stmt_done(st);
	kk_arena_release(&ar);
	return rc < 0 ? rc : 0;
}

int kk_wl_hits(struct kk_db *db, const struct kk_actor *a, int64_t id, int limit, const char *lang,
               int (*row)(void *arg, const struct kk_wl_hit *h), void *arg)
{
	struct kk_watchlist w;
	KK_TRY(load(db, a, KK_ACT_WATCH_READ, id, &w));
	return hits_walk(db, id, w.seen_at, limit, lang ? lang : w.lang, NULL, row, arg);
}

int kk_wl_deliveries(struct kk_db *db, const struct kk_actor *a, int64_t id,
                     int (*row)(void *arg, const struct kk_wl_delivery *d), void *arg)
{
	struct kk_watchlist w;
	KK_TRY(load(db, a, KK_ACT_WATCH_READ, id, &w));
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(
	    db,
	    "SELECT id, next_at, created_at, coalesce(sent_at, 0), state, coalesce(last_error, ''), "
	    "attempts, last_status, json_array_length(body, '$.records') "
	    "FROM watch_delivery WHERE watchlist_id = ? ORDER BY id DESC LIMIT 200",
	    &st));
	kk_stmt_bind_int64(st, 1, id);
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_wl_delivery d = {
		    .id = kk_stmt_int64(st, 0),
		    .next_at = kk_stmt_int64(st, 1),
		    .created_at = kk_stmt_int64(st, 2),
		    .sent_at = kk_stmt_int64(st, 3),
		    .state = kk_stmt_text(st, 4),
		    .error = kk_stmt_text(st, 5),
		    .attempts = (int)kk_stmt_int64(st, 6),
		    .status = (int)kk_stmt_int64(st, 7),
		    .records = (long)kk_stmt_int64(st, 8),
		};
		if ((rc = row(arg, &d)) < 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* --- the Atom feed ------------------------------------------------------ */

static void xml_text(struct kk_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			kk_buf_puts(b, "&lt;");
			break;
		case '>':
			kk_buf_puts(b, "&gt;");
			break;
		case '&':
			kk_buf_puts(b, "&amp;");
			break;
		case '"':
			kk_buf_puts(b, "&quot;");
			break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
				kk_buf_putc(b, *s);
		}
	}
}

static void atom_time(struct kk_buf *b, int64_t t)
{
	char s[32];
	kk_time_iso(t, s, sizeof s);
	kk_buf_puts(b, s);
}

struct feed_ctx {
	struct kk_buf *out;
	const char *base, *lang;
};

static int feed_row(void *arg, const struct kk_wl_hit *h)
{
	struct feed_ctx *f = arg;
	struct kk_buf *b = f->out;
	kk_buf_puts(b, "<entry><id>urn:keikai:watch-hit:");
	kk_buf_printf(b, "%lld", (long long)h->id);
	kk_buf_puts(b, "</id><title>");
	xml_text(b, h->jvndb);
	if (h->cve[0]) {
		kk_buf_puts(b, " ");
		xml_text(b, h->cve);
	}
	kk_buf_puts(b, " [");
	xml_text(b, sev_name(h->severity, f->lang));
	kk_buf_puts(b, h->kev ? ", KEV] " : "] ");
	xml_text(b, h->title);
	kk_buf_puts(b, "</title><updated>");
	atom_time(b, h->at);
	kk_buf_puts(b, "</updated><link href=\"");
	xml_text(b, f->base);
	kk_buf_puts(b, "/vuln/");
	xml_text(b, h->jvndb);
	kk_buf_puts(b, "\"/><summary>");
	xml_text(b, h->item);
	if (h->updated)
		kk_buf_puts(b, !strcmp(f->lang, "ja") ? " (更新)" : " (updated)");
	kk_buf_puts(b, "</summary></entry>\n");
	return 0;
}

int kk_wl_feed(struct kk_db *db, const char *token, const char *base, int64_t now, struct kk_buf *out)
{
	if (!token || strlen(token) != KK_WL_TOKEN_HEX)
		return KK_ENOTFOUND;
	unsigned char h[crypto_hash_sha256_BYTES];
	hash_token(token, h);
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, "SELECT id, name, lang FROM watchlist WHERE feed_hash = ?", &st));
	kk_stmt_bind_blob(st, 1, h, sizeof h);
	int rc = kk_stmt_step(st);
	int64_t id = 0;
	char name[201] = "", lang[3] = "en";
	if (rc == KK_ROW) {
		id = kk_stmt_int64(st, 0);
		snprintf(name, sizeof name, "%s", kk_stmt_text(st, 1));
		snprintf(lang, sizeof lang, "%s", kk_stmt_text(st, 2));
	}
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	if (rc != KK_ROW)
		return KK_ENOTFOUND;
	kk_buf_printf(
	    out,
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" "
	    "xml:lang=\"%s\">\n<id>urn:keikai:watchlist:%lld</id><title>",
	    lang, (long long)id);
	xml_text(out, name);
	kk_buf_puts(out, "</title><updated>");
	atom_time(out, now);
	kk_buf_puts(out, "</updated><author><name>keikai</name></author>\n");
	struct feed_ctx f = {out, base ? base : "", lang};
	KK_TRY(hits_walk(db, id, 0, 100, lang, NULL, feed_row, &f));
	kk_buf_puts(out, "</feed>\n");
	return kk_buf_error(out) ? KK_ENOMEM : 0;
}

/* --- evaluation --------------------------------------------------------- */

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Any space-separated word of list in s, case-insensitively (ASCII). */
static bool any_word_in(const char *list, const char *s)
{
	char w[128];
	for (const char *p = list; *p;) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (!n)
			break;
		if (n < sizeof w) {
			memcpy(w, p, n);
			w[n] = 0;
			if (strcasestr(s, w))
				return true;
		}
		p += n;
	}
	return false;
}

static bool cwe_in(const char *list, const struct kk_vuln_brief *b)
{
	for (const char *p = list; *p;) {
		char *end;
		long n = strtol(p, &end, 10);
		if (end == p)
			break;
		for (int i = 0; i < b->ncwe; i++)
			if (b->cwe[i] == n)
				return true;
		p = end;
	}
	return false;
}

/* The conditions besides the inventory's items. */
static bool wants(const struct kk_watchlist *w, const struct kk_check_match *m)
{
	if (m->suppressed || m->rec.withdrawn || m->rec.severity < w->min_severity)
		return false;
	if (w->kev_only && !m->rec.kev)
		return false;
	if (w->cwe[0] && !cwe_in(w->cwe, &m->rec))
		return false;
	if (w->keywords[0] && !any_word_in(w->keywords, m->rec.title) &&
	    !any_word_in(w->keywords, m->rec.aliases))
		return false;
	return true;
}

struct told {
	const struct kk_check_match *m;
	const char *item;
	bool updated;
};

static void told_json(struct kk_json *j, const struct told *t)
{
	kk_json_obj_open(j);
	kk_json_kv_str(j, "jvndb", t->m->rec.jvndb);
	if (t->m->rec.cve[0])
		kk_json_kv_str(j, "cve", t->m->rec.cve);
	kk_json_kv_str(j, "aliases", t->m->rec.aliases);
	kk_json_kv_str(j, "title", t->m->rec.title);
	kk_json_kv_str(j, "severity", kk_search_severity_name(t->m->rec.severity));
	if (t->m->rec.has_score) {
		kk_json_key(j, "score");
		kk_json_fixed(j, t->m->rec.score, 1);
	}
	kk_json_kv_bool(j, "kev", t->m->rec.kev);
	kk_json_kv_int(j, "modified", t->m->rec.modified);
	kk_json_kv_str(j, "item", t->item);
	if (t->m->fixed)
		kk_json_kv_str(j, "fixed", t->m->fixed);
	kk_json_kv_bool(j, "updated", t->updated);
	kk_json_obj_close(j);
}

/* One mail listing records (at once or a digest), in lang. */
static int queue_mail(struct kk_db *db, const char *to, const char *lang, const char *name, bool digest,
                      const struct kk_buf *lines, long n, struct kk_diag *d)
{
	bool ja = !strcmp(lang, "ja");
	char subject[400];
	if (ja)
		snprintf(subject, sizeof subject, "[keikai] ウォッチリスト「%s」%s: 脆弱性情報 %ld 件", name,
		         digest ? "の日次まとめ" : "", n);
	else
		snprintf(subject, sizeof subject, "[keikai] watchlist \"%s\"%s: %ld vulnerability record%s",
		         name, digest ? " daily digest" : "", n, n == 1 ? "" : "s");
	struct kk_buf body = KK_BUF_INIT(KK_MAIL_BODY_MAX - 1024);
	kk_buf_puts(&body, ja ? "ウォッチリストの条件に合う脆弱性情報が新しく登録または更新されました。\n\n"
	                      : "Vulnerability records matching your watchlist were added or updated.\n\n");
	kk_buf_add(&body, lines->ptr, lines->len);
	if (kk_buf_error(&body)) {
		kk_buf_reset(&body);
		kk_buf_printf(&body,
		              ja ? "%ld 件。一覧はウォッチリストのページで。\n"
		                 : "%ld records; see the watchlist's page.\n",
		              n);
	}
	struct kk_mail m = {.to = to, .subject = subject, .body = body.ptr, .related_type = "watchlist"};
	int rc = kk_mail_queue(db, &m, NULL, d);
	kk_buf_release(&body);
	return rc;
}

static void mail_line(struct kk_buf *b, const char *lang, const char *jvndb, const char *cve, int sev,
                      bool kev, const char *title, const char *item, bool updated)
{
	bool ja = !strcmp(lang, "ja");
	kk_buf_printf(b, "%s%s%s [%s%s]%s\n  %s\n  %s: %s\n\n", jvndb, cve[0] ? " " : "", cve,
	              sev_name(sev, lang), kev ? ", KEV" : "", updated ? (ja ? " (更新)" : " (updated)") : "",
	              title, ja ? "対象" : "item", item);
}

struct eval {
	int64_t now;
	int64_t *pending;
	size_t npending;
	struct kk_wl_stats *st;
	struct kk_diag *d;
	/* the last inventory checked (eval_one) */
	bool have;
	int64_t inv;
	char lang[3];
	int check_rc;
	struct kk_check_result r;
	struct kk_arena car;
};

/* The last modification told for (watchlist, record): 1 and *mod, 0 none, < 0 error. */
static int last_told(struct kk_db *db, int64_t wl, int64_t vuln, int64_t *mod)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, "SELECT max(modified) FROM watch_hit WHERE watchlist_id = ? AND vuln_id = ?",
	                     &st));
	kk_stmt_bind_int64(st, 1, wl);
	kk_stmt_bind_int64(st, 2, vuln);
	int rc = kk_stmt_step(st);
	int found = 0;
	if (rc == KK_ROW && !kk_stmt_is_null(st, 0)) {
		*mod = kk_stmt_int64(st, 0);
		found = 1;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : found;
}

static int eval_one(struct kk_db *db, struct eval *e, const struct kk_watchlist *w)
{
	struct kk_actor sys;
	kk_actor_system(&sys, "scheduler");
	struct kk_arena ar;
	kk_arena_init(&ar, 0);
	/* watchlists of one inventory and language (ordered so) share one check of it */
	if (!e->have || e->inv != w->inventory_id || strcmp(e->lang, w->lang)) {
		kk_arena_release(&e->car);
		kk_arena_init(&e->car, 0);
		e->have = true;
		e->inv = w->inventory_id;
		snprintf(e->lang, sizeof e->lang, "%s", w->lang);
		struct kk_sbom s;
		int64_t *item_ids;
		e->check_rc = kk_inv_check(db, &sys, w->inventory_id, w->lang, &e->car, &s, &item_ids, &e->r);
	}
	int rc = e->check_rc;
	const struct kk_check_result r = e->r;
	struct told *t = NULL;
	size_t nt = 0, cap = 0;
	for (size_t i = 0; rc == 0 && i < r.n; i++) {
		const struct kk_check_item *it = &r.items[i];
		for (size_t k = 0; rc == 0 && k < it->nm; k++) {
			const struct kk_check_match *m = &it->m[k];
			if (!bsearch(&m->rec.id, e->pending, e->npending, sizeof *e->pending, cmp_i64) ||
			    !wants(w, m))
				continue;
			bool dup = false; /* the same record through two items: told once, first item */
			for (size_t x = 0; x < nt && !dup; x++)
				dup = t[x].m->rec.id == m->rec.id;
			if (dup)
				continue;
			int64_t mod = 0;
			int seen = last_told(db, w->id, m->rec.id, &mod);
			if (seen < 0) {
				rc = seen;
				break;
			}
			if (seen && mod >= m->rec.modified)
				continue;
			const char *v = it->in->version;
			char item[400];
			snprintf(item, sizeof item, "%s%s%s", it->in->name ? it->in->name : "", v ? " " : "",
			         v ? v : "");
			rc = kk_db_exec(db,
			                "INSERT INTO watch_hit (watchlist_id, vuln_id, modified, item, "
			                "severity, kev, updated, "
			                "mailed, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			                "iiisiiiii", w->id, m->rec.id, m->rec.modified, item,
			                (int64_t)m->rec.severity, (int64_t)m->rec.kev, (int64_t)seen,
			                (int64_t)(strcmp(w->mail, "daily") != 0), e->now);
			if (rc < 0)
				break;
			rc = 0;
			if (nt == cap) {
				size_t nc = cap ? cap * 2 : 16;
				struct told *g = kk_arena_alloc(&ar, nc * sizeof *g);
				if (!g) {
					rc = KK_ENOMEM;
					break;
				}
				if (nt)
					memcpy(g, t, nt * sizeof *g);
				t = g;
				cap = nc;
			}
			t[nt++] = (struct told){m, kk_arena_strdup(&ar, item), seen != 0};
		}
	}
	if (rc == 0 && nt) {
		e->st->hits += (long)nt;
		if (!strcmp(w->mail, "now")) {
			struct kk_buf lines = KK_BUF_INIT(KK_MAIL_BODY_MAX / 2);
			for (size_t x = 0; x < nt && x < WL_MAIL_RECORDS; x++)
				mail_line(&lines, w->lang, t[x].m->rec.jvndb, t[x].m->rec.cve,
				          t[x].m->rec.severity, t[x].m->rec.kev, t[x].m->rec.title, t[x].item,
				          t[x].updated);
			rc = queue_mail(db, w->email, w->lang, w->name, false, &lines, (long)nt, e->d);
			kk_buf_release(&lines);
			if (rc == 0)
				e->st->mails++;
		}
		if (rc == 0 && w->webhook_url[0]) {
			struct kk_buf body = KK_BUF_INIT(0);
			struct kk_json j;
			kk_json_init(&j, &body);
			kk_json_obj_open(&j);
			kk_json_key(&j, "watchlist");
			kk_json_obj_open(&j);
			kk_json_kv_int(&j, "id", w->id);
			kk_json_kv_str(&j, "name", w->name);
			kk_json_obj_close(&j);
			kk_json_kv_int(&j, "at", e->now);
			kk_json_key(&j, "records");
			kk_json_arr_open(&j);
			for (size_t x = 0; x < nt; x++)
				told_json(&j, &t[x]);
			kk_json_arr_close(&j);
			kk_json_obj_close(&j);
			rc = kk_json_error(&j)
			         ? KK_ENOMEM
			         : kk_db_exec(
			               db,
			               "INSERT INTO watch_delivery (watchlist_id, body, next_at, created_at) "
			               "VALUES (?, ?, ?, ?)",
			               "isii", w->id, body.ptr, e->now, e->now);
			kk_buf_release(&body);
			if (rc >= 0) {
				rc = 0;
				e->st->deliveries_queued++;
			}
		}
	}
	kk_arena_release(&ar);
	/* an inventory that cannot be read now (deleted meanwhile) is no reason to stop the others */
	return rc == KK_ENOTFOUND ? 0 : rc;
}

static int eval_fn(struct kk_db *db, void *arg)
{
	struct eval *e = arg;
	struct kk_stmt *st;
	struct kk_i64s ids = {0};
	KK_TRY(kk_db_prepare(db, "SELECT vuln_id FROM watch_pending ORDER BY vuln_id", &st));
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW)
		if ((rc = kk_i64s_push(&ids, kk_stmt_int64(st, 0))) < 0)
			break;
	kk_stmt_done(st);
	if (rc < 0 || !ids.n) {
		kk_i64s_release(&ids);
		return rc < 0 ? rc : 0;
	}
	e->pending = ids.v;
	e->npending = ids.n;
	e->st->pending = (long)ids.n;
	struct kk_watchlist *wl = NULL;
	size_t nwl = 0;
	if ((rc = kk_db_prepare(db, WL_SQL " ORDER BY w.inventory_id, w.lang, w.id", &st)) < 0)
		goto out;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_watchlist *g = realloc(wl, (nwl + 1) * sizeof *wl);
		if (!g) {
			rc = KK_ENOMEM;
			break;
		}
		wl = g;
		int64_t inv_user;
		fill(st, &wl[nwl++], &inv_user);
	}
	kk_stmt_done(st);
	if (rc < 0)
		goto out;
	rc = 0;
	kk_arena_init(&e->car, 0);
	for (size_t i = 0; i < nwl && rc == 0; i++) {
		rc = eval_one(db, e, &wl[i]);
		e->st->watchlists++;
	}
	kk_arena_release(&e->car);
	e->have = false;
	/* in this write transaction nothing else adds to the table: every row was evaluated */
	if (rc == 0 && (rc = kk_db_exec(db, "DELETE FROM watch_pending", "")) > 0)
		rc = 0;
out:
	free(wl);
	kk_i64s_release(&ids);
	return rc;
}

/* --- daily digests ------------------------------------------------------ */

struct digest_line {
	struct kk_buf *lines;
	const char *lang;
	long n;
};

static int digest_row(void *arg, const struct kk_wl_hit *h)
{
	struct digest_line *x = arg;
	if (x->n++ < WL_MAIL_RECORDS)
		mail_line(x->lines, x->lang, h->jvndb, h->cve, h->severity, h->kev, h->title, h->item,
		          h->updated);
	return 0;
}

static int digest_fn(struct kk_db *db, void *arg)
{
	struct eval *e = arg;
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(
	    db,
	    WL_SQL " WHERE w.mail = 'daily' AND w.digest_at <= ? AND EXISTS (SELECT 1 FROM watch_hit h "
	           "WHERE h.watchlist_id = w.id AND h.mailed = 0) ORDER BY w.id",
	    &st));
	kk_stmt_bind_int64(st, 1, e->now - WL_DIGEST_S);
	struct kk_watchlist *wl = NULL;
	size_t n = 0;
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_watchlist *g = realloc(wl, (n + 1) * sizeof *wl);
		if (!g) {
			rc = KK_ENOMEM;
			break;
		}
		wl = g;
		int64_t inv_user;
		fill(st, &wl[n++], &inv_user);
	}
	kk_stmt_done(st);
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		struct kk_buf lines = KK_BUF_INIT(KK_MAIL_BODY_MAX / 2);
		struct digest_line x = {&lines, wl[i].lang, 0};
		rc = hits_walk(db, wl[i].id, 0, 100000, wl[i].lang, "AND h.mailed = 0", digest_row, &x);
		if (rc == 0)
			rc = queue_mail(db, wl[i].email, wl[i].lang, wl[i].name, true, &lines, x.n, e->d);
		kk_buf_release(&lines);
		if (rc == 0)
			rc = kk_db_exec(
			    db, "UPDATE watch_hit SET mailed = 1 WHERE watchlist_id = ? AND mailed = 0", "i",
			    wl[i].id);
		if (rc >= 0)
			rc = kk_db_exec(db, "UPDATE watchlist SET digest_at = ? WHERE id = ?", "ii", e->now,
			                wl[i].id);
		if (rc >= 0)
			e->st->digests++;
	}
	free(wl);
	return rc < 0 ? rc : 0;
}

/* --- webhook delivery --------------------------------------------------- */

struct due {
	int64_t id;
	int attempts;
	char *url, *secret, *body;
};

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* POSTs body; the HTTP status, or 0 with err set when nothing was answered. */
static long post(const struct due *x, char *err, size_t cap)
{
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(err, cap, "out of memory");
		return 0;
	}
	char sig[100], hdr[120], idh[64];
	kk_wl_sign(x->secret, x->body, strlen(x->body), sig);
	snprintf(hdr, sizeof hdr, "X-Keikai-Signature: %s", sig);
	snprintf(idh, sizeof idh, "X-Keikai-Delivery: %lld", (long long)x->id);
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	h = curl_slist_append(h, hdr);
	h = curl_slist_append(h, idh);
	h = curl_slist_append(h, "User-Agent: keikai-watch");
	char ebuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(c, CURLOPT_URL, x->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, x->body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(x->body));
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	long status = 0;
	CURLcode cc = curl_easy_perform(c);
	if (cc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	else
		snprintf(err, cap, "%s", ebuf[0] ? ebuf : curl_easy_strerror(cc));
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return status;
}

/* Backoff after the n-th failed attempt: 1, 2, 4 ... minutes, at most 4 hours. */
static int64_t backoff(int attempts)
{
	int64_t s = 60;
	for (int i = 1; i < attempts && s < 4 * 3600; i++)
		s *= 2;
	return s < 4 * 3600 ? s : 4 * 3600;
}

struct claim {
	int64_t now;
	struct due *v;
	size_t n;
};

static int claim_fn(struct kk_db *db, void *arg)
{
	struct claim *c = arg;
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(
	    db,
	    "SELECT d.id, d.attempts, w.webhook_url, w.webhook_secret, d.body FROM watch_delivery d "
	    "JOIN watchlist w ON w.id = d.watchlist_id WHERE d.state = 'pending' AND d.next_at <= ? "
	    "AND w.webhook_url IS NOT NULL ORDER BY d.next_at, d.id LIMIT 50",
	    &st));
	kk_stmt_bind_int64(st, 1, c->now);
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct due *g = realloc(c->v, (c->n + 1) * sizeof *g);
		if (!g) {
			rc = KK_ENOMEM;
			break;
		}
		c->v = g;
		struct due *x = &c->v[c->n++];
		x->id = kk_stmt_int64(st, 0);
		x->attempts = (int)kk_stmt_int64(st, 1);
		x->url = strdup(kk_stmt_text(st, 2));
		x->secret = strdup(kk_stmt_text(st, 3));
		x->body = strdup(kk_stmt_text(st, 4));
		if (!x->url || !x->secret || !x->body) {
			rc = KK_ENOMEM;
			break;
		}
	}
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < c->n; i++)
		KK_TRY(kk_db_exec(db, "UPDATE watch_delivery SET next_at = ? WHERE id = ?", "ii",
		                  c->now + WL_CLAIM_S, c->v[i].id));
	return 0;
}

static int deliver(struct kk_db *db, int64_t now, struct kk_wl_stats *s)
{
	struct claim c = {.now = now};
	int rc = kk_db_tx(db, claim_fn, &c);
	for (size_t i = 0; rc >= 0 && i < c.n; i++) {
		struct due *x = &c.v[i];
		char err[300] = "";
		long status = post(x, err, sizeof err);
		int attempts = x->attempts + 1;
		if (status >= 200 && status < 300) {
			rc = kk_db_exec(
			    db,
			    "UPDATE watch_delivery SET state = 'sent', attempts = ?, last_status = ?, "
			    "last_error = NULL, sent_at = ? WHERE id = ?",
			    "iiii", (int64_t)attempts, (int64_t)status, kk_clock_now(), x->id);
			s->sent++;
		} else {
			if (!err[0])
				snprintf(err, sizeof err, "HTTP %ld", status);
			bool give_up = attempts >= WL_MAX_ATTEMPTS;
			rc = kk_db_exec(db,
			                "UPDATE watch_delivery SET state = ?, attempts = ?, last_status = ?, "
			                "last_error = ?, "
			                "next_at = ? WHERE id = ?",
			                "siisii", give_up ? "failed" : "pending", (int64_t)attempts,
			                (int64_t)status, err, now + backoff(attempts), x->id);
			if (give_up)
				s->failed++;
			else
				s->retried++;
			kk_warn("watch: webhook delivery %lld: %s (attempt %d)", (long long)x->id, err,
			        attempts);
		}
	}
	for (size_t i = 0; i < c.n; i++) {
		free(c.v[i].url);
		sodium_memzero(c.v[i].secret ? c.v[i].secret : (char[1]){0},
		               c.v[i].secret ? strlen(c.v[i].secret) : 0);
		free(c.v[i].secret);
		free(c.v[i].body);
	}
	free(c.v);
	return rc < 0 ? rc : 0;
}

int kk_wl_tick(struct kk_db *db, int64_t now, struct kk_wl_stats *st, struct kk_diag *d)
{
	memset(st, 0, sizeof *st);
	struct eval e = {.now = now, .st = st, .d = d};
	KK_TRY(kk_db_tx(db, eval_fn, &e));
	KK_TRY(kk_db_tx(db, digest_fn, &e));
	return deliver(db, now, st);
}

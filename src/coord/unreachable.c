/*
 * unreachable.c — the public list of unreachable vendors (連絡不能開発者,
 * 004 2.2): listing, the delayed showing of products by the scheduler,
 * delisting when the vendor answers, and the history of every listing.
 */
#include "auth/audit.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/str.h"
#include "coord/dir_util.h"
#include "coord/directory.h"
#include "store/db.h"
#include "store/sched.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JOB_KIND "coord.unreachable_products"
#define META_KEY "coord.unreachable_products_months"
#define DEFAULT_MONTHS 3

/* t plus `months` calendar months, in Japan time (kk_time_add_months_jst). */
int64_t kk_dir_add_months(int64_t t, int months)
{
	return kk_time_add_months_jst(t, months);
}

int kk_unreachable_delay_months(struct kk_db *db)
{
	struct kk_stmt *st;
	int months = DEFAULT_MONTHS;
	if (kk_db_prepare(db, "SELECT value FROM meta WHERE key = ?", &st))
		return months;
	kk_stmt_bind_text(st, 1, META_KEY, -1);
	if (kk_stmt_step(st) == KK_ROW) {
		int v = atoi(kk_stmt_text(st, 0));
		if (v >= 1 && v <= 60)
			months = v;
	}
	kk_stmt_done(st);
	return months;
}

int kk_unreachable_set_delay_months(struct kk_db *db, const struct kk_actor *by, int months, struct kk_diag *d)
{
	int rc;
	if ((rc = kk_dir_need_tx(db)))
		return rc;
	if (months < 1 || months > 60)
		return kk_diag_set(d, KK_EINVAL, "months", "the delay is 1 to 60 months (004 2.2 asks for 3); got %d",
				   months);
	char v[16], before[48], after[48];
	snprintf(v, sizeof(v), "%d", months);
	snprintf(before, sizeof(before), "{\"months\":%d}", kk_unreachable_delay_months(db));
	snprintf(after, sizeof(after), "{\"months\":%d}", months);
	rc = kk_db_exec(db, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
			    "excluded.value",
			"ss", META_KEY, v);
	if (rc < 0)
		return rc;
	char sum[96];
	snprintf(sum, sizeof(sum), "products of unreachable vendors shown %d months after listing", months);
	return kk_audit(db, by, "vendor.unreachable.config", "setting", META_KEY, sum, before, after);
}

#define META_CONTACT "coord.unreachable_contact"

/* The vendor's open listing: *id, or 0 when it is not listed. */
static int open_listing(struct kk_db *db, int64_t org_id, int64_t *id)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT id FROM vendor_unreachable WHERE org_id = ? AND delisted_at IS NULL", &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, org_id);
	*id = 0;
	if ((rc = kk_stmt_step(st)) == KK_ROW)
		*id = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

void kk_unreachable_contact(struct kk_db *db, char *out, size_t n)
{
	struct kk_stmt *st;
	out[0] = 0;
	if (kk_db_prepare(db, "SELECT value FROM meta WHERE key = ?", &st))
		return;
	kk_stmt_bind_text(st, 1, META_CONTACT, -1);
	if (kk_stmt_step(st) == KK_ROW)
		kk_strlcpy(out, kk_stmt_text(st, 0), n);
	kk_stmt_done(st);
}

int kk_unreachable_set_contact(struct kk_db *db, const struct kk_actor *by, const char *contact, struct kk_diag *d)
{
	int rc;
	if ((rc = kk_dir_need_tx(db)))
		return rc;
	if (!contact)
		contact = "";
	if (*contact && strncmp(contact, "https://", 8) && (rc = kk_dir_email(contact, "contact", d)))
		return kk_diag_set(d, KK_EINVAL, "contact", "contact '%s' is neither an e-mail address nor an https:// URL",
				   contact);
	if ((rc = kk_dir_text(contact, 300, false, "contact", d)))
		return rc;
	rc = *contact ? kk_db_exec(db, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
				       "excluded.value",
				   "ss", META_CONTACT, contact)
		      : kk_db_exec(db, "DELETE FROM meta WHERE key = ?", "s", META_CONTACT);
	if (rc < 0)
		return rc;
	char sum[360];
	snprintf(sum, sizeof(sum), "the unreachable list asks people to write to %s", *contact ? contact : "(nobody)");
	return kk_audit(db, by, "vendor.unreachable.config", "setting", META_CONTACT, sum, NULL, NULL);
}

int kk_vendor_set_unreachable(struct kk_db *db, const struct kk_actor *by, int64_t org_id, const char *product,
			      const char *version, int64_t case_id, int64_t *listing_id_out, struct kk_diag *d)
{
	if (listing_id_out)
		*listing_id_out = 0;
	int rc;
	if ((rc = kk_dir_need_tx(db)))
		return rc;
	if ((rc = kk_dir_text(product, KK_NAME_MAX, false, "product", d)) ||
	    (rc = kk_dir_text(version, KK_VENDOR_VERSION_MAX, false, "version", d)))
		return rc;
	if ((!product || !*product) && version && *version)
		return kk_diag_set(d, KK_EINVAL, "product", "a version was given without the product it belongs to");
	struct kk_vendor v;
	if ((rc = kk_vendor_get(db, org_id, &v)))
		return kk_diag_set(d, rc, "vendor", "no vendor with id %lld in the directory", (long long)org_id);
	int64_t now = kk_clock_now(), id = 0;
	if ((rc = open_listing(db, org_id, &id)))
		return rc;
	bool opened = false;
	if (!id) {
		int64_t due = kk_dir_add_months(now, kk_unreachable_delay_months(db));
		rc = kk_db_exec(db, "INSERT INTO vendor_unreachable (org_id, listed_at, products_due_at) VALUES (?, ?, ?)",
				"iii", org_id, now, due);
		if (rc < 0)
			return rc;
		id = kk_db_last_insert_id(db);
		if ((rc = kk_sched_at(db, JOB_KIND, id, due, NULL, d)))
			return rc;
		opened = true;
	}
	if (product && *product) {
		rc = kk_db_exec(db,
				"INSERT INTO vendor_unreachable_product (listing_id, name, version, case_id, added_at) "
				"VALUES (?, ?, ?, nullif(?, 0), ?) ON CONFLICT DO NOTHING",
				"issii", id, product, version ? version : "", case_id, now);
		if (rc < 0)
			return rc;
	}
	char prod[KK_NAME_MAX + KK_VENDOR_VERSION_MAX + 16] = "";
	if (product && *product)
		snprintf(prod, sizeof(prod), " (product %s%s%s)", product, version && *version ? " " : "",
			 version ? version : "");
	char sum[sizeof(prod) + KK_NAME_MAX + 64];
	snprintf(sum, sizeof(sum), "%s vendor %s as unreachable%s", opened ? "listed" : "kept listing", v.name, prod);
	if ((rc = kk_dir_audit(db, by, "vendor.unreachable", org_id, sum, NULL, NULL)))
		return rc;
	if (listing_id_out)
		*listing_id_out = id;
	return 0;
}

int kk_vendor_set_reachable(struct kk_db *db, const struct kk_actor *by, int64_t org_id, struct kk_diag *d)
{
	int rc;
	struct kk_vendor v;
	if ((rc = kk_dir_begin(db, org_id, &v, d)))
		return rc;
	int64_t id = 0;
	if ((rc = open_listing(db, org_id, &id)))
		return rc;
	if (!id)
		return kk_diag_set(d, KK_ENOTFOUND, "vendor", "vendor %s is not on the unreachable list", v.name);
	rc = kk_db_exec(db, "UPDATE vendor_unreachable SET delisted_at = ? WHERE id = ?", "ii", kk_clock_now(), id);
	if (rc < 0)
		return rc;
	if ((rc = kk_sched_cancel(db, JOB_KIND, id, d)))
		return rc;
	char sum[KK_NAME_MAX + 64];
	snprintf(sum, sizeof(sum), "vendor %s answered: removed from the unreachable list", v.name);
	return kk_dir_audit(db, by, "vendor.reachable", org_id, sum, NULL, NULL);
}

int kk_coord_job_unreachable_products(struct kk_db *db, const struct kk_sched_job *job, int64_t now,
				      struct kk_diag *d)
{
	int rc = kk_db_exec(db,
			    "UPDATE vendor_unreachable SET products_shown_at = ? WHERE id = ? AND delisted_at IS NULL AND "
			    "products_shown_at IS NULL",
			    "ii", now, job->subject);
	if (rc < 0)
		return kk_diag_set(d, rc, JOB_KIND, "cannot mark listing %lld's products shown", (long long)job->subject);
	if (rc == 0)
		return 0; /* delisted meanwhile, or already shown */
	int64_t org_id = 0;
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db, "SELECT org_id FROM vendor_unreachable WHERE id = ?", &st)))
		return rc;
	kk_stmt_bind_int64(st, 1, job->subject);
	if (kk_stmt_step(st) == KK_ROW)
		org_id = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	struct kk_actor sys;
	kk_actor_system(&sys, "scheduler");
	char sum[96];
	snprintf(sum, sizeof(sum), "unreachable listing %lld: products now shown on the public list",
		 (long long)job->subject);
	return kk_dir_audit(db, &sys, "vendor.unreachable.products", org_id, sum, NULL, NULL);
}

static int listing_products(struct kk_db *db, struct kk_unreachable *u)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT name, version FROM vendor_unreachable_product WHERE listing_id = ? "
			       "ORDER BY added_at, name, version",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, u->id);
	u->nproducts = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW && u->nproducts < KK_UNREACHABLE_PRODUCTS_MAX) {
		kk_strlcpy(u->products[u->nproducts].name, kk_stmt_text(st, 0), sizeof(u->products[0].name));
		kk_strlcpy(u->products[u->nproducts].version, kk_stmt_text(st, 1), sizeof(u->products[0].version));
		u->nproducts++;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* Walks listings (SQL with ?1 = org_id or 0); public: products only once shown. */
static int listings(struct kk_db *db, const char *sql, int64_t org_id, bool public_view,
		    int (*fn)(void *arg, const struct kk_unreachable *u), void *arg)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, sql, &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, org_id);
	/* Collect first: the callback may use the database. */
	struct kk_unreachable *all = NULL;
	size_t n = 0, cap = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct kk_unreachable *p = kk_realloc(all, nc * sizeof(*all));
			if (!p) {
				rc = KK_ENOMEM;
				break;
			}
			all = p;
			cap = nc;
		}
		struct kk_unreachable *u = &all[n++];
		memset(u, 0, sizeof(*u));
		u->id = kk_stmt_int64(st, 0);
		u->org_id = kk_stmt_int64(st, 1);
		kk_strlcpy(u->name, kk_stmt_text(st, 2), sizeof(u->name));
		kk_strlcpy(u->name_ja, kk_stmt_text(st, 3), sizeof(u->name_ja));
		kk_strlcpy(u->name_en, kk_stmt_text(st, 4), sizeof(u->name_en));
		u->listed_at = kk_stmt_int64(st, 5);
		u->products_due_at = kk_stmt_int64(st, 6);
		u->products_shown_at = kk_stmt_int64(st, 7);
		u->delisted_at = kk_stmt_int64(st, 8);
	}
	kk_stmt_done(st);
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		if ((!public_view || all[i].products_shown_at) && (rc = listing_products(db, &all[i])))
			break;
		if ((rc = fn(arg, &all[i])))
			break;
	}
	kk_free(all);
	return rc == KK_DONE ? 0 : rc;
}

void kk_unreachable_json(struct kk_json *j, const struct kk_unreachable *u, bool history)
{
	char jst[40];
	kk_json_obj_open(j);
	if (history) {
		kk_json_kv_int(j, "id", u->id);
		kk_json_kv_int(j, "vendor_id", u->org_id);
	}
	kk_json_kv_str(j, "vendor", u->name);
	kk_json_kv_str(j, "vendor_ja", u->name_ja);
	kk_json_kv_str(j, "vendor_en", u->name_en);
	kk_dir_time_json(j, "listed_at", u->listed_at);
	kk_time_jst(u->listed_at, jst, sizeof(jst));
	kk_json_kv_str(j, "listed_at_jst", jst);
	kk_dir_time_json(j, "products_shown_at", u->products_shown_at);
	if (history) {
		kk_dir_time_json(j, "products_due_at", u->products_due_at);
		kk_dir_time_json(j, "delisted_at", u->delisted_at);
	}
	kk_json_key(j, "products");
	kk_json_arr_open(j);
	for (int i = 0; i < u->nproducts; i++) {
		kk_json_obj_open(j);
		kk_json_kv_str(j, "name", u->products[i].name);
		kk_json_kv_str(j, "version", u->products[i].version);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_obj_close(j);
}

#define LISTING_COLS                                                                                         \
	"SELECT u.id, u.org_id, o.name, v.name_ja, v.name_en, u.listed_at, u.products_due_at, "                 \
	"coalesce(u.products_shown_at, 0), coalesce(u.delisted_at, 0) FROM vendor_unreachable u JOIN vendor v ON " \
	"v.org_id = u.org_id JOIN organizations o ON o.id = u.org_id "

int kk_unreachable_list(struct kk_db *db, int (*fn)(void *arg, const struct kk_unreachable *u), void *arg)
{
	return listings(db, LISTING_COLS "WHERE u.delisted_at IS NULL AND ?1 = ?1 ORDER BY u.listed_at DESC, u.id DESC", 0,
			true, fn, arg);
}

int kk_unreachable_history(struct kk_db *db, int64_t org_id,
			   int (*fn)(void *arg, const struct kk_unreachable *u), void *arg)
{
	return listings(db, LISTING_COLS "WHERE (?1 = 0 OR u.org_id = ?1) ORDER BY u.listed_at DESC, u.id DESC", org_id,
			false, fn, arg);
}

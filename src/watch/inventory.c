/*
 * inventory.c — inventories of installed software, their items, re-import
 * differences, dismissed matches and VEX statements (inventory.h).
 */
#include "watch/inventory.h"
#include "auth/audit.h"
#include "auth/policy.h"
#include "base/clock.h"
#include "base/str.h"
#include "std/cpe.h"
#include "std/purl.h"
#include "std/version.h"
#include "store/db.h"
#include "vulndb/affected.h"
#include "vulndb/dict.h"
#include "vulndb/search.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *kk_inv_change_name(int kind)
{
	static const char *const n[] = {"added", "removed", "upgraded", "downgraded", "changed"};
	return kind >= 0 && kind < 5 ? n[kind] : "?";
}

/* ---- who may ---- */

static const char *INV_SQL = "SELECT i.id, i.org_id, i.user_id, i.name, coalesce(o.name, ''), "
                             "(SELECT count(*) FROM inventory_item t WHERE t.inventory_id = i.id), "
                             "i.created_at, i.updated_at FROM inventory i "
                             "LEFT JOIN organizations o ON o.id = i.org_id";

static void fill(struct kk_stmt *st, struct kk_inventory *v)
{
	v->id = kk_stmt_int64(st, 0);
	v->org_id = kk_stmt_int64(st, 1);
	v->user_id = kk_stmt_int64(st, 2);
	snprintf(v->name, sizeof v->name, "%s", kk_stmt_text(st, 3));
	snprintf(v->org_name, sizeof v->org_name, "%s", kk_stmt_text(st, 4));
	v->items = (long)kk_stmt_int64(st, 5);
	v->created_at = kk_stmt_int64(st, 6);
	v->updated_at = kk_stmt_int64(st, 7);
}

static bool may(const struct kk_actor *a, enum kk_action act, const struct kk_inventory *v)
{
	struct kk_policy_obj o = {.owner_user_id = v->user_id, .org_id = v->org_id};
	return kk_policy_allow(a, act, &o);
}

/* The inventory when the actor may do act on it; KK_ENOTFOUND otherwise (no id leaks). */
static int load(struct kk_db *db, const struct kk_actor *a, enum kk_action act, int64_t id, struct kk_inventory *v)
{
	struct kk_stmt *st;
	char sql[512];
	snprintf(sql, sizeof sql, "%s WHERE i.id = ?", INV_SQL);
	KK_TRY(kk_db_prepare(db, sql, &st));
	kk_stmt_bind_int64(st, 1, id);
	int rc = kk_stmt_step(st);
	if (rc == KK_ROW)
		fill(st, v);
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	if (rc != KK_ROW || !may(a, KK_ACT_WATCH_READ, v))
		return KK_ENOTFOUND;
	if (act != KK_ACT_WATCH_READ && !may(a, act, v))
		return KK_EPERM;
	return 0;
}

int kk_inv_get(struct kk_db *db, const struct kk_actor *a, int64_t id, struct kk_inventory *out)
{
	return load(db, a, KK_ACT_WATCH_READ, id, out);
}

int kk_inv_list(struct kk_db *db, const struct kk_actor *a, int (*row)(void *arg, const struct kk_inventory *inv),
                void *arg)
{
	struct kk_stmt *st;
	char sql[512];
	snprintf(sql, sizeof sql, "%s ORDER BY i.org_id IS NULL, o.name, i.name, i.id", INV_SQL);
	KK_TRY(kk_db_prepare(db, sql, &st));
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_inventory v;
		fill(st, &v);
		if (may(a, KK_ACT_WATCH_READ, &v) && (rc = row(arg, &v)) < 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* ---- create ---- */

struct create {
	const struct kk_actor *a;
	int64_t org_id;
	const char *name;
	int64_t id;
};

static int create_tx(struct kk_db *db, void *arg)
{
	struct create *c = arg;
	int64_t now = kk_clock_now();
	int rc;
	if (c->org_id)
		rc = kk_db_exec(db, "INSERT INTO inventory (org_id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
		                "isii", c->org_id, c->name, now, now);
	else
		rc = kk_db_exec(db, "INSERT INTO inventory (user_id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
		                "isii", c->a->user_id, c->name, now, now);
	if (rc < 0)
		return rc;
	c->id = kk_db_last_insert_id(db);
	char idb[24];
	snprintf(idb, sizeof idb, "%lld", (long long)c->id);
	return kk_audit(db, c->a, "inventory.create", "inventory", idb, c->name, NULL, NULL);
}

int kk_inv_create(struct kk_db *db, const struct kk_actor *a, int64_t org_id, const char *name, int64_t *id,
                  struct kk_diag *d)
{
	if (!name || !*name || strlen(name) > 200)
		return kk_diag_set(d, KK_EINVAL, "name", "give the inventory a name of 1 to 200 characters");
	if (!org_id && !a->user_id)
		return kk_diag_set(d, KK_EINVAL, "org", "a personal inventory needs a signed-in user; name an organization");
	struct kk_policy_obj o = {.owner_user_id = org_id ? 0 : a->user_id, .org_id = org_id};
	if (!kk_policy_allow(a, KK_ACT_WATCH_WRITE, &o))
		return kk_diag_set(d, KK_EPERM, "org", "you may keep inventories only for your own organization or yourself");
	struct create c = {a, org_id, name, 0};
	int rc = kk_db_tx(db, create_tx, &c);
	if (rc == KK_ECONFLICT)
		return kk_diag_set(d, KK_EINVAL, "org", "no organization %lld", (long long)org_id);
	if (!rc)
		*id = c.id;
	return rc;
}

/* ---- items ---- */

static const char *col(struct kk_arena *ar, struct kk_stmt *st, int c)
{
	return kk_stmt_is_null(st, c) ? NULL : kk_arena_strdup(ar, kk_stmt_text(st, c));
}

#define ITEM_COLS "id, key, name, version, vendor, purl, cpe, ref, owner, due"

static int read_items(struct kk_db *db, int64_t id, struct kk_arena *ar, struct kk_inv_item **items, size_t *n)
{
	struct kk_stmt *st;
	size_t cap = 0;
	*items = NULL;
	*n = 0;
	KK_TRY(kk_db_prepare(db, "SELECT " ITEM_COLS " FROM inventory_item WHERE inventory_id = ? ORDER BY name, id",
	                     &st));
	kk_stmt_bind_int64(st, 1, id);
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			struct kk_inv_item *v = kk_arena_alloc(ar, cap * sizeof *v);
			if (!v) {
				rc = KK_ENOMEM;
				break;
			}
			if (*n)
				memcpy(v, *items, *n * sizeof *v);
			*items = v;
		}
		struct kk_inv_item *it = &(*items)[(*n)++];
		it->id = kk_stmt_int64(st, 0);
		it->key = col(ar, st, 1);
		it->name = col(ar, st, 2);
		it->version = col(ar, st, 3);
		it->vendor = col(ar, st, 4);
		it->purl = col(ar, st, 5);
		it->cpe = col(ar, st, 6);
		it->ref = col(ar, st, 7);
		it->owner = col(ar, st, 8);
		it->due = col(ar, st, 9);
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

int kk_inv_items(struct kk_db *db, const struct kk_actor *a, int64_t id, struct kk_arena *ar,
                 struct kk_inv_item **items, size_t *n)
{
	struct kk_inventory v;
	KK_TRY(load(db, a, KK_ACT_WATCH_READ, id, &v));
	return read_items(db, id, ar, items, n);
}

/* What a re-import recognises an item by (see inventory.h). */
static void item_key(const char *name, const char *vendor, const char *purl, const char *cpe, char *out, size_t cap)
{
	char store[KK_PURL_MAX_LEN + 1], fs[4 * KK_AFFECT_CPE_MAX], v[512], p[512];
	struct kk_purl pu;
	if (purl && strlen(purl) <= KK_PURL_MAX_LEN && !kk_purl_parse(purl, strlen(purl), &pu, store, sizeof store, NULL)) {
		pu.version.ptr = NULL, pu.version.len = 0;
		pu.nqualifiers = 0;
		pu.subpath.ptr = NULL, pu.subpath.len = 0;
		if (kk_purl_build(&pu, out, cap) > 0)
			return;
	}
	if (cpe && !kk_affect_cpe_fs(cpe, fs, sizeof fs) && kk_cpe_fs_field(fs, 1, v, sizeof v) &&
	    kk_cpe_fs_field(fs, 2, p, sizeof p)) {
		snprintf(out, cap, "cpe:%s:%s", v, p);
		return;
	}
	size_t o = (size_t)snprintf(out, cap, "name:%s/%s", vendor ? vendor : "", name ? name : "");
	for (size_t i = 5; i < o && i < cap; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
}

static int audit_id(struct kk_db *db, const struct kk_actor *a, const char *action, int64_t id, const char *summary)
{
	char idb[24];
	snprintf(idb, sizeof idb, "%lld", (long long)id);
	KK_TRY(kk_db_exec(db, "UPDATE inventory SET updated_at = ? WHERE id = ?", "ii", kk_clock_now(), id));
	return kk_audit(db, a, action, "inventory", idb, summary, NULL, NULL);
}

struct import {
	const struct kk_actor *a;
	int64_t id;
	const struct kk_sbom *s;
	bool replace;
	struct kk_arena *ar;
	struct kk_inv_diff *diff;
	struct kk_diag *d;
};

static int change(struct import *im, int kind, const char *key, const char *name, const char *from, const char *to)
{
	struct kk_inv_diff *df = im->diff;
	if (df->n == df->cap) {
		size_t cap = df->cap ? df->cap * 2 : 32;
		struct kk_inv_change *v = kk_arena_alloc(im->ar, cap * sizeof *v);
		if (!v)
			return KK_ENOMEM;
		if (df->n)
			memcpy(v, df->v, df->n * sizeof *v);
		df->v = v;
		df->cap = cap;
	}
	df->v[df->n++] = (struct kk_inv_change){kind,
	                                        kk_arena_strdup(im->ar, key),
	                                        kk_arena_strdup(im->ar, name),
	                                        from ? kk_arena_strdup(im->ar, from) : NULL,
	                                        to ? kk_arena_strdup(im->ar, to) : NULL};
	long *counts[] = {&df->added, &df->removed, &df->upgraded, &df->downgraded, &df->changed};
	(*counts[kind])++;
	return 0;
}

static int import_tx(struct kk_db *db, void *arg)
{
	struct import *im = arg;
	struct kk_inv_item *old;
	size_t nold;
	memset(im->diff, 0, sizeof *im->diff);
	KK_TRY(read_items(db, im->id, im->ar, &old, &nold));
	bool *seen = kk_arena_zalloc(im->ar, nold + 1);
	if (!seen)
		return KK_ENOMEM;
	int64_t now = kk_clock_now();
	for (size_t i = 0; i < im->s->n; i++) {
		const struct kk_sbom_item *it = &im->s->v[i];
		char key[3 * KK_PURL_MAX_LEN];
		item_key(it->name, it->vendor, it->purl, it->cpe, key, sizeof key);
		size_t k = 0;
		while (k < nold && strcmp(old[k].key, key))
			k++;
		if (k < nold && seen[k])
			continue; /* the same component twice in one document */
		if (k == nold) {
			int rc = kk_db_exec(db,
			                    "INSERT INTO inventory_item (inventory_id, key, name, version, vendor, purl, cpe, ref, "
			                    "added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (inventory_id, key) DO NOTHING",
			                    "isssssssi", im->id, key, it->name, it->version, it->vendor, it->purl, it->cpe,
			                    it->ref, now);
			if (rc < 0)
				return rc;
			if (rc > 0)
				KK_TRY(change(im, KK_INV_ADDED, key, it->name, NULL, it->version));
			continue;
		}
		seen[k] = true;
		const char *from = old[k].version, *to = it->version;
		if (!from != !to || (from && strcmp(from, to))) {
			int cmp = 0, kind = KK_INV_CHANGED;
			if (from && to && !kk_version_compare(KK_VERSION_GENERIC, to, from, &cmp, NULL))
				kind = cmp > 0 ? KK_INV_UPGRADED : cmp < 0 ? KK_INV_DOWNGRADED : KK_INV_CHANGED;
			KK_TRY(change(im, kind, key, it->name, from, to));
		} else {
			im->diff->kept++;
		}
		KK_TRY(kk_db_exec(db,
		                  "UPDATE inventory_item SET name = ?, version = ?, vendor = ?, purl = ?, cpe = ?, ref = ? "
		                  "WHERE id = ?",
		                  "ssssssi", it->name, it->version, it->vendor, it->purl, it->cpe, it->ref, old[k].id));
	}
	for (size_t k = 0; im->replace && k < nold; k++) {
		if (seen[k])
			continue;
		KK_TRY(kk_db_exec(db, "DELETE FROM inventory_item WHERE id = ?", "i", old[k].id));
		KK_TRY(change(im, KK_INV_REMOVED, old[k].key, old[k].name, old[k].version, NULL));
	}
	char sum[160];
	snprintf(sum, sizeof sum, "%s: %zu items: %ld added, %ld removed, %ld upgraded, %ld downgraded, %ld changed",
	         kk_sbom_format_name(im->s->format), im->s->n, im->diff->added, im->diff->removed, im->diff->upgraded,
	         im->diff->downgraded, im->diff->changed);
	return audit_id(db, im->a, "inventory.import", im->id, sum);
}

int kk_inv_import(struct kk_db *db, const struct kk_actor *a, int64_t id, const struct kk_sbom *s, bool replace,
                  struct kk_arena *ar, struct kk_inv_diff *diff, struct kk_diag *d)
{
	struct kk_inventory v;
	KK_TRY(load(db, a, KK_ACT_WATCH_WRITE, id, &v));
	struct import im = {a, id, s, replace, ar, diff, d};
	return kk_db_tx(db, import_tx, &im);
}

/* ---- one item by hand or from the dictionary ---- */

struct pick {
	const char *want;
	int n;
	char cpe[600], names[400];
	char vendor[256], name[256];
};

static int pick_row(void *arg, const struct kk_dict_product *p)
{
	struct pick *k = arg;
	bool exact = (p->name_ja && !strcmp(p->name_ja, k->want)) || (p->name_en && kk_str_ieq(p->name_en, k->want)) ||
	             (p->cpe_product && kk_str_ieq(p->cpe_product, k->want));
	if (!exact || !p->cpe_vendor || !p->cpe_product)
		return 0;
	char full[600];
	snprintf(full, sizeof full, "%s:%s", p->cpe_vendor, p->cpe_product);
	if (k->n && !strcmp(full, k->cpe))
		return 0; /* the same CPE product under two MyJVN ids */
	if (!k->n) {
		snprintf(k->cpe, sizeof k->cpe, "%s", full);
		snprintf(k->name, sizeof k->name, "%s",
		         kk_dict_display_name(p->name_ja, p->name_en, p->cpe_product, "en"));
		snprintf(k->vendor, sizeof k->vendor, "%s",
		         kk_dict_display_name(p->vendor_name_ja, p->vendor_name_en, p->cpe_vendor, "en"));
	}
	size_t o = strlen(k->names), n = strlen(full);
	if (o + n + 3 < sizeof k->names) {
		if (o)
			memcpy(k->names + o, ", ", 2), o += 2;
		memcpy(k->names + o, full, n + 1);
	}
	k->n++;
	return 0;
}

/* The dictionary product named want (Japanese or English name, or vendor:product) into k. */
static int pick_product(struct kk_db *db, const char *want, struct pick *k, struct kk_diag *d)
{
	memset(k, 0, sizeof *k);
	k->want = want;
	if (strchr(want, ':') && !strchr(want, ' ')) {
		int rc = kk_dict_find_cpe(db, want, pick_row, k, d);
		if (rc == KK_ENOTFOUND || (!rc && !k->n)) {
			/* the row's names differ from the key: take the key itself */
			struct kk_dict_query q = {.cpe = want, .limit = 1};
			k->want = strchr(want, ':') + 1;
			KK_TRY(kk_dict_products(db, &q, pick_row, k, NULL, d));
		} else if (rc < 0) {
			return rc;
		}
	} else {
		struct kk_dict_query q = {.keyword = want, .cpe_only = true, .limit = 200};
		KK_TRY(kk_dict_products(db, &q, pick_row, k, NULL, d));
	}
	if (!k->n)
		return kk_diag_set(d, KK_ENOTFOUND, "product",
		                   "no product of the dictionary is named '%.100s' (Japanese or English name, or "
		                   "vendor:product); search /api/v1/vulndb/products?keyword=",
		                   want);
	if (k->n > 1)
		return kk_diag_set(d, KK_ECONFLICT, "product",
		                   "several products are named '%.60s' (%.150s): give vendor:product", want, k->names);
	return 0;
}

/* A CPE 2.3 name of vendor:product (FS values) with version v (escaped here). */
static void cpe_of(const char *vp, const char *v, char *out, size_t cap)
{
	char ev[600] = "*";
	size_t o = 0;
	for (const char *s = v; s && *s && o + 3 < sizeof ev; s++) {
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-' && *s != '_')
			ev[o++] = '\\';
		ev[o++] = *s;
		ev[o] = 0;
	}
	snprintf(out, cap, "cpe:2.3:a:%s:%s:*:*:*:*:*:*:*", vp, ev);
}

struct add {
	const struct kk_actor *a;
	int64_t id;
	const struct kk_inv_item_new *it;
	const char *cpe, *name, *vendor;
	int64_t item_id;
};

static int add_tx(struct kk_db *db, void *arg)
{
	struct add *ad = arg;
	char key[3 * KK_PURL_MAX_LEN];
	item_key(ad->name, ad->vendor, ad->it->purl, ad->cpe, key, sizeof key);
	int rc = kk_db_exec(db,
	                    "INSERT INTO inventory_item (inventory_id, key, name, version, vendor, purl, cpe, owner, due, "
	                    "added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (inventory_id, key) DO UPDATE SET "
	                    "version = excluded.version, cpe = excluded.cpe, owner = coalesce(excluded.owner, owner), "
	                    "due = coalesce(excluded.due, due)",
	                    "issssssssi", ad->id, key, ad->name, ad->it->version, ad->vendor, ad->it->purl, ad->cpe,
	                    ad->it->owner, ad->it->due, kk_clock_now());
	if (rc < 0)
		return rc;
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, "SELECT id FROM inventory_item WHERE inventory_id = ? AND key = ?", &st));
	kk_stmt_bind_int64(st, 1, ad->id);
	kk_stmt_bind_text(st, 2, key, -1);
	if ((rc = kk_stmt_step(st)) == KK_ROW)
		ad->item_id = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	return audit_id(db, ad->a, "inventory.item", ad->id, key);
}

int kk_inv_add_item(struct kk_db *db, const struct kk_actor *a, int64_t id, const struct kk_inv_item_new *it,
                    int64_t *item_id, struct kk_diag *d)
{
	struct kk_inventory v;
	KK_TRY(load(db, a, KK_ACT_WATCH_WRITE, id, &v));
	struct add ad = {a, id, it, it->cpe, it->name, it->vendor, 0};
	struct pick k;
	char cpe[1400];
	if (it->due && (strlen(it->due) != 10 || it->due[4] != '-' || it->due[7] != '-'))
		return kk_diag_set(d, KK_EINVAL, "due", "give the due date as YYYY-MM-DD");
	if (it->product && *it->product) {
		KK_TRY(pick_product(db, it->product, &k, d));
		cpe_of(k.cpe, it->version, cpe, sizeof cpe);
		ad.cpe = cpe;
		if (!ad.name)
			ad.name = k.name;
		if (!ad.vendor)
			ad.vendor = k.vendor;
	}
	if (ad.cpe && it->cpe) {
		char fs[4 * KK_AFFECT_CPE_MAX];
		if (kk_affect_cpe_fs(ad.cpe, fs, sizeof fs))
			return kk_diag_set(d, KK_EINVAL, "cpe", "not a CPE name: write cpe:2.3:a:VENDOR:PRODUCT:VERSION");
	}
	if (!ad.name && (ad.cpe || it->purl))
		ad.name = ad.cpe ? ad.cpe : it->purl;
	if (!ad.name || !*ad.name)
		return kk_diag_set(d, KK_EINVAL, "name", "an item needs a product (dictionary name), a name, a CPE or a purl");
	int rc = kk_db_tx(db, add_tx, &ad);
	if (!rc)
		*item_id = ad.item_id;
	return rc;
}

struct rm {
	const struct kk_actor *a;
	int64_t id, item_id;
};

static int rm_tx(struct kk_db *db, void *arg)
{
	struct rm *r = arg;
	int rc = kk_db_exec(db, "DELETE FROM inventory_item WHERE id = ? AND inventory_id = ?", "ii", r->item_id, r->id);
	if (rc < 0)
		return rc;
	if (!rc)
		return KK_ENOTFOUND;
	char s[32];
	snprintf(s, sizeof s, "item %lld removed", (long long)r->item_id);
	return audit_id(db, r->a, "inventory.item", r->id, s);
}

int kk_inv_remove_item(struct kk_db *db, const struct kk_actor *a, int64_t id, int64_t item_id)
{
	struct kk_inventory v;
	KK_TRY(load(db, a, KK_ACT_WATCH_WRITE, id, &v));
	struct rm r = {a, id, item_id};
	return kk_db_tx(db, rm_tx, &r);
}

/* ---- dismissals and VEX ---- */

static int item_of(struct kk_db *db, int64_t id, int64_t item_id)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, "SELECT 1 FROM inventory_item WHERE id = ? AND inventory_id = ?", &st));
	kk_stmt_bind_int64(st, 1, item_id);
	kk_stmt_bind_int64(st, 2, id);
	int rc = kk_stmt_step(st);
	kk_stmt_done(st);
	return rc < 0 ? rc : rc == KK_ROW ? 0 : KK_ENOTFOUND;
}

struct dismiss {
	const struct kk_actor *a;
	int64_t id, item_id, vuln_id;
	const char *vuln, *reason;
};

static int dismiss_tx(struct kk_db *db, void *arg)
{
	struct dismiss *x = arg;
	KK_TRY(item_of(db, x->id, x->item_id));
	int rc = x->reason ? kk_db_exec(db,
	                                "INSERT INTO inventory_dismiss (item_id, vuln_id, reason, by_user, at) VALUES "
	                                "(?, ?, ?, ?, ?) ON CONFLICT (item_id, vuln_id) DO UPDATE SET reason = "
	                                "excluded.reason, by_user = excluded.by_user, at = excluded.at",
	                                "iisii", x->item_id, x->vuln_id, x->reason, x->a->user_id, kk_clock_now())
	                   : kk_db_exec(db, "DELETE FROM inventory_dismiss WHERE item_id = ? AND vuln_id = ?", "ii",
	                                x->item_id, x->vuln_id);
	if (rc < 0)
		return rc;
	char s[200];
	snprintf(s, sizeof s, "item %lld: %s %s", (long long)x->item_id, x->vuln, x->reason ? "dismissed" : "restored");
	return audit_id(db, x->a, "inventory.dismiss", x->id, s);
}

int kk_inv_dismiss(struct kk_db *db, const struct kk_actor *a, int64_t id, int64_t item_id, const char *vuln,
                   const char *reason, struct kk_diag *d)
{
	struct kk_inventory v;
	KK_TRY(load(db, a, KK_ACT_WATCH_WRITE, id, &v));
	struct dismiss x = {a, id, item_id, 0, vuln, reason};
	if (!vuln || kk_search_find(db, vuln, &x.vuln_id))
		return kk_diag_set(d, KK_EINVAL, "vuln", "no record '%.80s': give its JVNDB id, CVE id or another alias",
		                   vuln ? vuln : "");
	if (reason && (!*reason || strlen(reason) > 1000))
		return kk_diag_set(d, KK_EINVAL, "reason", "say in 1 to 1000 characters why the match is wrong");
	int rc = kk_db_tx(db, dismiss_tx, &x);
	if (rc == KK_ENOTFOUND)
		return kk_diag_set(d, KK_ENOTFOUND, "item", "no item %lld in this inventory", (long long)item_id);
	return rc;
}

struct vexset {
	const struct kk_actor *a;
	int64_t id, item_id;
	const struct kk_vex *v; /* statements to store, item_id taken from each's ref ("item-N") or name */
	const struct kk_inv_item *items;
	size_t nitems;
	long stored;
};

static int64_t item_for(const struct vexset *x, const struct kk_vex_stmt *s)
{
	for (size_t i = 0; i < x->nitems; i++) {
		const struct kk_inv_item *it = &x->items[i];
		const char *iref = it->ref;
		if ((s->ref && iref && !strcmp(s->ref, iref)) || (s->purl && it->purl && !strcmp(s->purl, it->purl)) ||
		    (s->cpe && it->cpe && kk_str_ieq(s->cpe, it->cpe)) ||
		    (s->name && kk_str_ieq(s->name, it->name) && (!s->version || (it->version && !strcmp(s->version, it->version)))))
			return it->id;
	}
	return s->name && !strcmp(s->name, "*") ? 0 : -1;
}

static int vex_tx(struct kk_db *db, void *arg)
{
	struct vexset *x = arg;
	x->stored = 0;
	for (size_t i = 0; i < x->v->n; i++) {
		const struct kk_vex_stmt *s = &x->v->v[i];
		int64_t item = x->items ? item_for(x, s) : x->item_id;
		if (item < 0)
			continue; /* about a product this inventory does not hold */
		if (item)
			KK_TRY(item_of(db, x->id, item));
		struct kk_stmt *st;
		KK_TRY(kk_db_prepare(db,
		                     "INSERT INTO inventory_vex (inventory_id, item_id, vuln, state, justification, detail, "
		                     "by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		                     &st));
		kk_stmt_bind_int64(st, 1, x->id);
		if (item)
			kk_stmt_bind_int64(st, 2, item);
		else
			kk_stmt_bind_null(st, 2); /* every item: the product as a whole */
		kk_stmt_bind_text(st, 3, s->vuln, -1);
		kk_stmt_bind_text(st, 4, kk_vex_state_str(s->state), -1);
		kk_stmt_bind_text(st, 5, s->justification, -1);
		kk_stmt_bind_text(st, 6, s->detail, -1);
		if (x->a->user_id)
			kk_stmt_bind_int64(st, 7, x->a->user_id);
		else
			kk_stmt_bind_null(st, 7);
		kk_stmt_bind_int64(st, 8, kk_clock_now());
		int rc = kk_stmt_step(st);
		kk_stmt_done(st);
		if (rc < 0)
			return rc;
		x->stored++;
	}
	char s[64];
	snprintf(s, sizeof s, "%ld VEX statements", x->stored);
	return audit_id(db, x->a, "inventory.vex", x->id, s);
}

int kk_inv_vex_set(struct kk_db *db, const struct kk_actor *a, int64_t id, int64_t item_id, const char *vuln,
                   enum kk_vex_state state, const char *justification, const char *detail, struct kk_diag *d)
{
	struct kk_inventory v;
	KK_TRY(load(db, a, KK_ACT_WATCH_WRITE, id, &v));
	if (!vuln || !*vuln || strlen(vuln) > 64)
		return kk_diag_set(d, KK_EINVAL, "vuln", "name the vulnerability (CVE-2021-44228, a JVNDB id)");
	if (state < KK_VEX_AFFECTED || state > KK_VEX_UNDER_INVESTIGATION)
		return kk_diag_set(d, KK_EINVAL, "state", "state must be affected, not_affected, fixed or under_investigation");
	if (justification && !kk_vex_justification_ok(justification))
		return kk_diag_set(d, KK_EINVAL, "justification",
		                   "justification must be a CycloneDX one (code_not_present, code_not_reachable, "
		                   "requires_configuration, ...) or a CSAF flag label (vulnerable_code_not_present, ...)");
	if (state == KK_VEX_NOT_AFFECTED && !justification && (!detail || !*detail))
		return kk_diag_set(d, KK_EINVAL, "justification", "not_affected needs a justification or a detail saying why");
	struct kk_vex_stmt s = {.vuln = vuln, .state = state, .justification = justification, .detail = detail};
	struct kk_vex one = {&s, 1, 1, "keikai"};
	struct vexset x = {a, id, item_id, &one, NULL, 0, 0};
	int rc = kk_db_tx(db, vex_tx, &x);
	if (rc == KK_ENOTFOUND)
		return kk_diag_set(d, KK_ENOTFOUND, "item", "no item %lld in this inventory", (long long)item_id);
	return rc;
}

int kk_inv_vex_import(struct kk_db *db, const struct kk_actor *a, int64_t id, const char *doc, size_t len,
                      long *n, struct kk_diag *d)
{
	struct kk_inventory v;
	KK_TRY(load(db, a, KK_ACT_WATCH_WRITE, id, &v));
	struct kk_arena ar;
	kk_arena_init(&ar, 0);
	struct kk_vex vex;
	struct kk_inv_item *items;
	size_t nitems;
	int rc = kk_vex_parse(doc, len, &ar, &vex, d);
	if (!rc)
		rc = read_items(db, id, &ar, &items, &nitems);
	if (!rc) {
		struct vexset x = {a, id, 0, &vex, items, nitems, 0};
		if (!nitems)
			x.items = NULL, x.item_id = 0;
		rc = kk_db_tx(db, vex_tx, &x);
		*n = x.stored;
	}
	kk_arena_release(&ar);
	return rc;
}

/* ---- checking ---- */

static const char *item_ref(struct kk_arena *ar, const struct kk_inv_item *it)
{
	return it->ref ? it->ref : kk_arena_printf(ar, "item-%lld", (long long)it->id);
}

int kk_inv_load(struct kk_db *db, const struct kk_actor *a, int64_t id, struct kk_arena *ar, struct kk_sbom *s,
                int64_t **item_ids, struct kk_vex *vex)
{
	struct kk_inventory v;
	struct kk_inv_item *items;
	size_t n;
	KK_TRY(load(db, a, KK_ACT_WATCH_READ, id, &v));
	KK_TRY(read_items(db, id, ar, &items, &n));
	memset(s, 0, sizeof *s);
	memset(vex, 0, sizeof *vex);
	s->format = KK_SBOM_CSV;
	s->v = kk_arena_zalloc(ar, (n ? n : 1) * sizeof *s->v);
	*item_ids = kk_arena_zalloc(ar, (n ? n : 1) * sizeof **item_ids);
	if (!s->v || !*item_ids)
		return KK_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		s->v[i] = (struct kk_sbom_item){items[i].name, items[i].version, items[i].vendor, items[i].purl,
		                                items[i].cpe, item_ref(ar, &items[i])};
		(*item_ids)[i] = items[i].id;
	}
	s->n = s->cap = n;
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db,
	                     "SELECT item_id, vuln, state, justification, detail FROM inventory_vex WHERE inventory_id = ? "
	                     "ORDER BY id",
	                     &st));
	kk_stmt_bind_int64(st, 1, id);
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_vex_stmt t = {.vuln = kk_stmt_text(st, 1)};
		if (kk_vex_state_parse(kk_stmt_text(st, 2), &t.state))
			continue;
		t.justification = kk_stmt_is_null(st, 3) ? NULL : kk_stmt_text(st, 3);
		t.detail = kk_stmt_is_null(st, 4) ? NULL : kk_stmt_text(st, 4);
		if (kk_stmt_is_null(st, 0)) {
			t.name = "*";
		} else {
			int64_t item = kk_stmt_int64(st, 0);
			for (size_t i = 0; i < n; i++)
				if (items[i].id == item)
					t.ref = s->v[i].ref;
			if (!t.ref)
				continue;
		}
		if ((rc = kk_vex_add(vex, ar, &t)) < 0)
			break;
	}
	kk_stmt_done(st);
	vex->format = "keikai";
	return rc < 0 ? rc : 0;
}

struct dismissed_ctx {
	struct kk_db *db;
	const int64_t *item_ids;
};

static int is_dismissed(void *arg, size_t item, const struct kk_vuln_brief *rec)
{
	struct dismissed_ctx *c = arg;
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(c->db, "SELECT 1 FROM inventory_dismiss WHERE item_id = ? AND vuln_id = ?", &st));
	kk_stmt_bind_int64(st, 1, c->item_ids[item]);
	kk_stmt_bind_int64(st, 2, rec->id);
	int rc = kk_stmt_step(st);
	kk_stmt_done(st);
	return rc < 0 ? rc : rc == KK_ROW;
}

int kk_inv_check(struct kk_db *db, const struct kk_actor *a, int64_t id, const char *lang, struct kk_arena *ar,
                 struct kk_sbom *s, int64_t **item_ids, struct kk_check_result *r)
{
	struct kk_vex vex;
	KK_TRY(kk_inv_load(db, a, id, ar, s, item_ids, &vex));
	struct dismissed_ctx c = {db, *item_ids};
	struct kk_check_opts o = {.lang = lang, .vex = vex.n ? &vex : NULL, .dismissed = is_dismissed, .arg = &c};
	return kk_check_run(db, s, &o, ar, r);
}

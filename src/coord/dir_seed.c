/*
 * dir_seed.c — seeds the vendor directory from the vulnerability database's
 * vendor dictionary (vulndb/dict.h): one directory vendor per dictionary
 * vendor not yet there, with its products. Idempotent.
 */
#include "base/alloc.h"
#include "base/str.h"
#include "coord/dir_util.h"
#include "coord/directory.h"
#include "store/db.h"
#include "vulndb/dict.h"
#include <stdio.h>
#include <string.h>

#define PAGE 500

struct dv {
	int64_t id;
	char cpe[KK_VENDOR_CPE_MAX + 1];
	char purl[2 * KK_VENDOR_PURL_MAX + 2]; /* "type/namespace" */
	char ja[KK_NAME_MAX + 1], en[KK_NAME_MAX + 1];
};

struct seed {
	const struct kk_actor *by;
	struct dv *page;
	int n;
	int created, products, skipped; /* totals of committed pages */
	int tx_created, tx_products, tx_skipped; /* this page's transaction (reset when it is retried) */
	struct kk_diag d;
};

static void copy_name(char *out, const char *s)
{
	/* dictionary names may be longer than the directory allows: cut at a UTF-8 boundary */
	size_t n = s ? strlen(s) : 0;
	if (n > KK_NAME_MAX) {
		n = KK_NAME_MAX;
		while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(out, s ? s : "", n);
	out[n] = 0;
	while (n && out[n - 1] == ' ')
		out[--n] = 0;
}

static int collect(void *arg, const struct kk_dict_vendor *v)
{
	struct seed *s = arg;
	struct dv *x = &s->page[s->n++];
	memset(x, 0, sizeof(*x));
	x->id = v->id;
	kk_strlcpy(x->cpe, v->cpe_vendor ? v->cpe_vendor : "", sizeof(x->cpe));
	if (v->purl_type)
		snprintf(x->purl, sizeof(x->purl), "%s/%s", v->purl_type, v->purl_namespace ? v->purl_namespace : "");
	copy_name(x->ja, v->name_ja);
	copy_name(x->en, v->name_en);
	return 0;
}

/* CPE values in WFN form quote punctuation ("node\.js"); the directory keeps the bound text. */
static void unquote(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (*s == '\\' && s[1])
			s++;
		*o++ = *s;
	}
	*o = 0;
}

/* 1 when sql (bound to the non-NULL texts a, b) finds a row, else 0 (also on error: the create then says why). */
static bool exists(struct kk_db *db, const char *sql, const char *a, const char *b)
{
	struct kk_stmt *st;
	if (kk_db_prepare(db, sql, &st))
		return false;
	kk_stmt_bind_text(st, 1, a, -1);
	if (b)
		kk_stmt_bind_text(st, 2, b, -1);
	bool found = kk_stmt_step(st) == KK_ROW;
	kk_stmt_done(st);
	return found;
}

/*
 * Already there: a vendor with this CPE vendor, a product claiming this purl
 * namespace, or this name. Three indexed lookups (one query OR-ing them
 * scanned the whole directory for every dictionary vendor).
 */
static bool in_directory(struct kk_db *db, const struct dv *x, const char *name)
{
	if (x->cpe[0] && exists(db, "SELECT 1 FROM vendor WHERE cpe_vendor = ?", x->cpe, NULL))
		return true;
	const char *slash = strchr(x->purl, '/');
	if (slash) {
		char type[KK_VENDOR_PURL_MAX + 1];
		size_t n = (size_t)(slash - x->purl) < sizeof(type) - 1 ? (size_t)(slash - x->purl) : sizeof(type) - 1;
		memcpy(type, x->purl, n);
		type[n] = 0;
		if (exists(db,
			   "SELECT 1 FROM vendor_product WHERE purl_type = ? AND purl_namespace = ? AND purl_name = ''",
			   type, slash + 1))
			return true;
	}
	return exists(db, "SELECT 1 FROM organizations o JOIN vendor v ON v.org_id = o.id WHERE o.name = ?", name,
		      NULL);
}

struct padd {
	struct kk_db *db;
	struct seed *s;
	int64_t org;
};

static int add_product(void *arg, const struct kk_dict_product *p)
{
	struct padd *a = arg;
	char ja[KK_NAME_MAX + 1], en[KK_NAME_MAX + 1], cpe[2 * KK_VENDOR_CPE_MAX + 2] = "",
						     purl[3 * KK_VENDOR_PURL_MAX + 16] = "";
	copy_name(ja, p->name_ja);
	copy_name(en, p->name_en);
	if (p->cpe_vendor && p->cpe_product) {
		snprintf(cpe, sizeof(cpe), "%s:%s", p->cpe_vendor, p->cpe_product);
		unquote(cpe);
	}
	if (p->purl_type && p->purl_name)
		snprintf(purl, sizeof(purl), "pkg:%s/%s%s%s", p->purl_type, p->purl_namespace ? p->purl_namespace : "",
			 p->purl_namespace ? "/" : "", p->purl_name);
	if (!ja[0] && !en[0])
		copy_name(en, p->cpe_product ? p->cpe_product : p->purl_name);
	if (!en[0] && !ja[0])
		return 0;
	if (p->cpe_product && !p->name_en && !p->name_ja)
		unquote(en);
	struct kk_vendor_product_in in = {.name_ja = ja, .name_en = en, .cpe = cpe, .purl = purl};
	struct kk_diag d = {0};
	int rc = kk_vendor_product_add(a->db, a->s->by, a->org, &in, NULL, &d);
	if (rc == KK_EEXISTS || rc == KK_EINVAL) {
		/* a CPE or purl the directory cannot hold, or two dictionary rows for one product */
		if (rc == KK_EINVAL) {
			in.cpe = NULL;
			in.purl = NULL;
			if (kk_vendor_product_add(a->db, a->s->by, a->org, &in, NULL, &d) == 0)
				a->s->tx_products++;
		}
		return 0;
	}
	if (rc)
		return rc;
	a->s->tx_products++;
	return 0;
}

static int seed_tx(struct kk_db *db, void *arg)
{
	struct seed *s = arg;
	s->tx_created = s->tx_products = s->tx_skipped = 0;
	for (int i = 0; i < s->n; i++) {
		struct dv *x = &s->page[i];
		char cpe[KK_VENDOR_CPE_MAX + 1];
		kk_strlcpy(cpe, x->cpe, sizeof(cpe));
		unquote(cpe);
		char name[KK_NAME_MAX + 1];
		copy_name(name, x->en[0] ? x->en : x->ja[0] ? x->ja : cpe[0] ? cpe : x->purl);
		if (!name[0] || in_directory(db, x, name)) {
			s->tx_skipped++;
			continue;
		}
		struct kk_vendor_in in = {.name = name, .name_ja = x->ja, .name_en = x->en, .cpe_vendor = cpe,
					  .lang = x->ja[0] && !x->en[0] ? "ja" : "en"};
		struct kk_diag d = {0};
		int64_t org = 0;
		int rc = kk_vendor_create(db, s->by, &in, &org, &d);
		if ((rc == KK_EEXISTS || rc == KK_ECONFLICT) && (cpe[0] || x->purl[0])) {
			/* the name is taken by another vendor or organization: tell them apart by the key */
			char alt[KK_NAME_MAX * 4];
			snprintf(alt, sizeof(alt), "%s (%s)", name, cpe[0] ? cpe : x->purl);
			copy_name(name, alt);
			rc = kk_vendor_create(db, s->by, &in, &org, &d);
		}
		if (rc == KK_EINVAL || rc == KK_EEXISTS || rc == KK_ECONFLICT) {
			/* cpe_vendor the directory refuses, or a name still taken */
			in.cpe_vendor = NULL;
			if (rc == KK_EINVAL && kk_vendor_create(db, s->by, &in, &org, &d) == 0)
				rc = 0;
			else {
				s->tx_skipped++;
				continue;
			}
		}
		if (rc)
			return rc;
		s->tx_created++;
		if (x->purl[0] && !cpe[0]) {
			struct kk_vendor_product_in pin = {.name_en = name, .purl = x->purl};
			(void)kk_vendor_product_add(db, s->by, org, &pin, NULL, &d);
		}
		struct padd a = {db, s, org};
		struct kk_dict_query q = {.vendor_id = x->id, .limit = KK_DICT_LIMIT_MAX};
		if ((rc = kk_dict_products(db, &q, add_product, &a, NULL, &s->d)) < 0)
			return rc;
	}
	return 0;
}

int kk_vendor_seed_from_vulndb(struct kk_db *db, const struct kk_actor *by, int *created, int *products,
			       struct kk_diag *d)
{
	struct seed s = {.by = by};
	s.page = kk_calloc(PAGE, sizeof(*s.page));
	if (!s.page)
		return KK_ENOMEM;
	int rc = 0;
	for (long off = 0;; off += PAGE) {
		s.n = 0;
		struct kk_dict_query q = {.offset = off, .limit = PAGE};
		if ((rc = kk_dict_vendors(db, &q, collect, &s, NULL, d)) < 0)
			break;
		if (!s.n)
			break;
		if ((rc = kk_db_tx(db, seed_tx, &s)) < 0) {
			if (!d || !d->msg[0])
				kk_diag_set(d, rc, "vendor", "seeding stopped at dictionary vendor %ld: %s", off,
					    s.d.msg[0] ? s.d.msg : kk_err_msg(rc));
			break;
		}
		s.created += s.tx_created;
		s.products += s.tx_products;
		s.skipped += s.tx_skipped;
		if (s.n < PAGE)
			break;
	}
	kk_free(s.page);
	if (created)
		*created = s.created;
	if (products)
		*products = s.products;
	return rc < 0 ? rc : 0;
}

/*
 * directory.h — the vendor directory (製品開発者リスト, MISSION.md §2) and the
 * public list of unreachable vendors (連絡不能開発者, 004 2.2).
 *
 * A vendor IS an organization of kind "vendor" (auth.h); this module keeps
 * what the coordinator needs beside it in side tables (0011-coord-directory):
 *
 *   vendor            names in Japanese and English, preferred language,
 *                     registration-terms agreement and its date
 *   vendor_contact    contact points: e-mail with role to|cc, phone, an
 *                     ASCII-armored PGP public key (checked by encrypting a
 *                     test text to it), language ja|en
 *   vendor_product    products: names ja/en, CPE vendor:product, purl
 *                     type/namespace(/name)
 *   vendor_unreachable  one row per listing on the public page (history kept:
 *                     listed, products shown, delisted — with dates)
 *
 * Who may do what is the caller's question (policy.h actions VENDOR_DIR_*):
 * these functions trust `by` and only record it in the audit log.
 *
 * Transactions. Functions marked [in tx] change the database and write their
 * audit row; call them inside kk_db_tx (they return KK_EINVAL otherwise).
 * Because kk_db_tx may run fn twice, check PGP keys (slow: gpg) BEFORE the
 * transaction with kk_vendor_pgp_check; the [in tx] functions only check
 * that a key looks like an armored block. Other functions only read.
 *
 * Strings in the structs are fixed arrays (copies), except where a field is
 * marked "valid during the callback". Errors: KK_EINVAL with d->where naming
 * the field (name_en, contacts[0].email, ...) and d->msg the fix;
 * KK_ENOTFOUND (no such vendor / contact / product); KK_EEXISTS (a vendor or
 * organization of that name exists; a product with the same CPE or name for
 * that vendor); KK_ECONFLICT (the organization exists but is not a vendor);
 * KK_EDB/KK_EBUSY/KK_ENOMEM.
 */
#ifndef KK_COORD_DIRECTORY_H
#define KK_COORD_DIRECTORY_H
#include "auth/auth.h"
#include "base/err.h"
#include "store/sched.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kk_db;
struct kk_buf;

#define KK_VENDOR_CPE_MAX 128	/* one CPE attribute (vendor or product), bound form */
#define KK_VENDOR_PHONE_MAX 40
#define KK_VENDOR_PURL_MAX 200	/* purl type or namespace or name */
#define KK_VENDOR_NOTE_MAX 1000
#define KK_VENDOR_VERSION_MAX 200

/* ---- vendors ---------------------------------------------------------- */

struct kk_vendor {
	int64_t org_id;			   /* organizations.id (kind vendor) */
	char name[KK_NAME_MAX + 1];	   /* organizations.name: the directory's key */
	char name_ja[KK_NAME_MAX + 1];	   /* "" when not given */
	char name_en[KK_NAME_MAX + 1];	   /* "" when not given */
	char lang[3];			   /* "ja" or "en": language of notices */
	char cpe_vendor[KK_VENDOR_CPE_MAX + 1]; /* default CPE vendor of its products ("" none) */
	bool terms_agreed;		   /* registration terms (登録規約) accepted */
	int64_t terms_agreed_at;	   /* 0 when not */
	bool unreachable;		   /* listed on the public page right now */
	int64_t unreachable_since;	   /* listed_at of the open listing, 0 otherwise */
	char note[KK_VENDOR_NOTE_MAX + 1]; /* coordinators' note (never public) */
	int ncontacts, nproducts;	   /* counts, filled by get/list */
	int64_t created_at, updated_at;
};

/* Input of kk_vendor_create / kk_vendor_update. NULL fields: "" (create) or unchanged (update). */
struct kk_vendor_in {
	const char *name;	/* organization name, 1..200 bytes (create: required) */
	const char *name_ja;
	const char *name_en;
	const char *lang;	/* "ja" | "en"; create default "ja" */
	const char *cpe_vendor; /* lower case CPE 2.3 vendor attribute, e.g. "apache" */
	int terms_agreed;	/* -1 unchanged, 0 no, 1 yes (the date becomes now when it turns 1) */
	const char *note;
	int64_t terms_agreed_at; /* with terms_agreed 1: this date instead of now (CSV import); 0 now */
};

/*
 * [in tx] Creates the vendor: a new organization of kind vendor plus its
 * vendor row; or, when an organization of that name and kind vendor exists
 * without a vendor row, adds the row to it. *org_id_out gets the id (0 on
 * failure). Audit "vendor.create". KK_EEXISTS when it is already a vendor,
 * KK_ECONFLICT when the name belongs to an organization of another kind.
 */
int kk_vendor_create(struct kk_db *db, const struct kk_actor *by, const struct kk_vendor_in *in,
		     int64_t *org_id_out, struct kk_diag *d);
/* [in tx] Changes the non-NULL fields (name renames the organization). Audit "vendor.update". */
int kk_vendor_update(struct kk_db *db, const struct kk_actor *by, int64_t org_id, const struct kk_vendor_in *in,
		     struct kk_diag *d);
/* 0 or KK_ENOTFOUND (also for an organization that is not in the directory). */
int kk_vendor_get(struct kk_db *db, int64_t org_id, struct kk_vendor *out);
/* By exact organization name, or case-insensitively by name_ja/name_en: 0 or KK_ENOTFOUND. */
int kk_vendor_find(struct kk_db *db, const char *name, struct kk_vendor *out);

/* Search. All fields optional (NULL/0); results ordered by name. */
struct kk_vendor_query {
	const char *q;		/* substring of name, name_ja, name_en, a product's names or CPE/purl */
	const char *cpe;	/* "vendor" or "vendor:product" (CPE 2.3 attributes, or a whole cpe:2.3: name) */
	int unreachable;	/* 0 any, 1 only listed as unreachable, -1 only not listed */
	int limit;		/* default 50, max 1000 */
	int offset;
};
/*
 * Calls fn for each matching vendor (counts filled); fn returning non-zero
 * stops the walk and that value is returned. *total (may be NULL) gets the
 * number of matches without limit. 0 or an error.
 */
int kk_vendor_search(struct kk_db *db, const struct kk_vendor_query *q,
		     int (*fn)(void *arg, const struct kk_vendor *v), void *arg, int64_t *total);

/* ---- contacts --------------------------------------------------------- */

struct kk_vendor_contact {
	int64_t id, org_id;
	char label[KK_NAME_MAX + 1];   /* desk or person: "PSIRT" */
	char email[KK_EMAIL_MAX + 1];  /* "" for a phone-only contact */
	char role[3];		       /* "to" or "cc" (for e-mail) */
	char phone[KK_VENDOR_PHONE_MAX + 1];
	char lang[3];		       /* "ja" | "en" */
	const char *pgp_key;	       /* armored key or NULL: valid during the callback only */
	bool has_pgp_key;
	int64_t created_at, updated_at;
};

struct kk_vendor_contact_in {
	const char *label;
	const char *email;   /* an e-mail or a phone (or both) is required */
	const char *role;    /* "to" (default) | "cc" */
	const char *phone;   /* digits, spaces, + - ( ) only */
	const char *lang;    /* default: the vendor's */
	const char *pgp_key; /* ASCII-armored public key or NULL/"" for none */
};

/*
 * Checks an armored PGP public key by encrypting a test text to it
 * (mail/pgp.c, gpgme). Slow: call before any transaction. 0, or KK_EINVAL
 * with d->where = where (e.g. "pgp_key") and the reason gpg gave.
 */
int kk_vendor_pgp_check(const char *armored, const char *where, struct kk_diag *d);

/* [in tx] Adds a contact point. Audit "vendor.contact.add". *id_out may be NULL. */
int kk_vendor_contact_add(struct kk_db *db, const struct kk_actor *by, int64_t org_id,
			  const struct kk_vendor_contact_in *in, int64_t *id_out, struct kk_diag *d);
/* [in tx] Replaces contact id (all fields; pgp_key NULL keeps the key, "" removes it). Audit. */
int kk_vendor_contact_update(struct kk_db *db, const struct kk_actor *by, int64_t org_id, int64_t id,
			     const struct kk_vendor_contact_in *in, struct kk_diag *d);
/* [in tx] Removes contact id of org_id. Audit "vendor.contact.remove". 0 or KK_ENOTFOUND. */
int kk_vendor_contact_remove(struct kk_db *db, const struct kk_actor *by, int64_t org_id, int64_t id);
/* Each contact of the vendor: "to" before "cc", then by id. Stop rule as kk_vendor_search. */
int kk_vendor_contacts(struct kk_db *db, int64_t org_id,
		       int (*fn)(void *arg, const struct kk_vendor_contact *c), void *arg);
/*
 * The contacts a notice goes to (for "case"): every contact with an e-mail,
 * "to" first, with its PGP key (NULL when none) and language. KK_ENOTFOUND
 * when the vendor does not exist; KK_EUNPROCESSABLE (d says "add a contact
 * with an e-mail to vendor X") when it has no e-mail contact.
 */
int kk_vendor_notify_targets(struct kk_db *db, int64_t org_id,
			     int (*fn)(void *arg, const struct kk_vendor_contact *c), void *arg,
			     struct kk_diag *d);

/* ---- products --------------------------------------------------------- */

struct kk_vendor_product {
	int64_t id, org_id;
	char name_ja[KK_NAME_MAX + 1];
	char name_en[KK_NAME_MAX + 1];
	char cpe_vendor[KK_VENDOR_CPE_MAX + 1];	 /* "" when none */
	char cpe_product[KK_VENDOR_CPE_MAX + 1]; /* "" when none */
	char purl_type[KK_VENDOR_PURL_MAX + 1];	 /* "" when none; "npm" */
	char purl_namespace[KK_VENDOR_PURL_MAX + 1];
	char purl_name[KK_VENDOR_PURL_MAX + 1];	 /* "" when the whole namespace is the vendor's */
	int64_t created_at, updated_at;
};

struct kk_vendor_product_in {
	const char *name_ja; /* at least one of name_ja / name_en */
	const char *name_en;
	const char *cpe;     /* "vendor:product", "product" (vendor's cpe_vendor), or a cpe:2.3: name */
	const char *purl;    /* "pkg:type/namespace[/name]" or "type/namespace" */
};

/* [in tx] Adds a product. Audit "vendor.product.add". KK_EEXISTS: same name or CPE for this vendor. */
int kk_vendor_product_add(struct kk_db *db, const struct kk_actor *by, int64_t org_id,
			  const struct kk_vendor_product_in *in, int64_t *id_out, struct kk_diag *d);
/* [in tx] Replaces product id of org_id (all fields). Audit "vendor.product.update". */
int kk_vendor_product_update(struct kk_db *db, const struct kk_actor *by, int64_t org_id, int64_t id,
			     const struct kk_vendor_product_in *in, struct kk_diag *d);
/* [in tx] Removes product id of org_id. Audit "vendor.product.remove". 0 or KK_ENOTFOUND. */
int kk_vendor_product_remove(struct kk_db *db, const struct kk_actor *by, int64_t org_id, int64_t id);
/* Each product of the vendor by English (else Japanese) name. Stop rule as kk_vendor_search. */
int kk_vendor_products(struct kk_db *db, int64_t org_id,
		       int (*fn)(void *arg, const struct kk_vendor_product *p), void *arg);

/* ---- JSON (the API's and `keikai vendor show --json`'s shape) ---------- */

struct kk_json;
/*
 * A vendor's fields (inside an object the caller opened): id, name, name_ja, name_en, lang, cpe_vendor,
 * terms_agreed, terms_agreed_at, unreachable, unreachable_since (ISO times or null), note (only with
 * with_note: never for the vendor itself), contacts and products (counts), updated_at.
 */
void kk_vendor_fields_json(struct kk_json *j, const struct kk_vendor *v, bool with_note);
/* One contact as an object: id, label, email, role, phone, lang, pgp_key (the armored key, or null,
 * when with_key; else true/false). */
void kk_vendor_contact_json(struct kk_json *j, const struct kk_vendor_contact *c, bool with_key);
/* One product as an object: id, name_ja, name_en, cpe_vendor, cpe_product, purl_type, purl_namespace, purl_name. */
void kk_vendor_product_json(struct kk_json *j, const struct kk_vendor_product *p);

/* ---- matching (suggest vendors for a case) ----------------------------- */

/* What a report or coordinator knows of the product. Any may be NULL. */
struct kk_vendor_match_in {
	const char *product; /* free text product name (ja or en), e.g. "Example Router RX-100" */
	const char *vendor;  /* free text vendor name */
	const char *cpe;     /* cpe:2.3:... or cpe:/... or "vendor:product" */
	const char *purl;    /* pkg:type/namespace/name[@version] */
};

enum kk_vendor_match_how {
	KK_VMATCH_CPE_PRODUCT = 1, /* CPE vendor and product equal */
	KK_VMATCH_PURL = 2,	   /* purl type+namespace(+name) equal */
	KK_VMATCH_CPE_VENDOR = 3,  /* CPE vendor equal (any product) */
	KK_VMATCH_PRODUCT_NAME = 4,/* product name contains / is contained in the text */
	KK_VMATCH_VENDOR_NAME = 5, /* vendor name contains / is contained in the text */
};

struct kk_vendor_match {
	int64_t org_id;
	char vendor_name[KK_NAME_MAX + 1];
	int64_t product_id; /* 0 for a vendor-level match */
	char product_name[KK_NAME_MAX + 1];
	enum kk_vendor_match_how how;
	int score; /* 100 exact CPE product ... 40 name substring; higher is better */
	bool unreachable;
};

/* "cpe_product", "purl", "cpe_vendor", "product_name", "vendor_name". */
const char *kk_vendor_match_how_name(enum kk_vendor_match_how h);
/* One suggestion as an object: vendor_id, vendor, product_id and product (when a product matched), how, score,
 * unreachable. */
void kk_vendor_match_json(struct kk_json *j, const struct kk_vendor_match *m);


/*
 * Suggests directory vendors (one entry per vendor, its best reason), best
 * score first, at most limit (1..200). Returns the number found (>= 0) —
 * written to out[0..n) — or a negative error; a malformed cpe or purl is
 * KK_EINVAL with d->where "cpe" / "purl".
 */
int kk_vendor_match(struct kk_db *db, const struct kk_vendor_match_in *in, struct kk_vendor_match *out,
		    int limit, struct kk_diag *d);

/* ---- unreachable vendors (連絡不能, public list) ------------------------ */

/*
 * [in tx] Lists the vendor as unreachable (idempotent: an open listing is
 * kept and only gains the product). product/version name what is shown
 * after the delay (may be NULL; "case" passes the case's product);
 * case_id (0 none) is kept for the history, never shown publicly.
 * Schedules the job "coord.unreachable_products" (subject = listing id) at
 * listed_at + kk_unreachable_delay_months() calendar months. Audit
 * "vendor.unreachable". *listing_id_out may be NULL.
 */
int kk_vendor_set_unreachable(struct kk_db *db, const struct kk_actor *by, int64_t org_id, const char *product,
			      const char *version, int64_t case_id, int64_t *listing_id_out, struct kk_diag *d);
/*
 * [in tx] The vendor answered: closes its open listing (delisted_at = now)
 * and cancels the pending job. Audit "vendor.reachable". 0, or KK_ENOTFOUND
 * when the vendor is not listed (callers resuming coordination may ignore it).
 */
int kk_vendor_set_reachable(struct kk_db *db, const struct kk_actor *by, int64_t org_id, struct kk_diag *d);

/* Scheduler handler for "coord.unreachable_products": marks the listing's products shown. */
int kk_coord_job_unreachable_products(struct kk_db *db, const struct kk_sched_job *job, int64_t now,
				      struct kk_diag *d);

/* Months after listing before the products appear (default 3); stored in the database (meta). */
int kk_unreachable_delay_months(struct kk_db *db);
/* [in tx] Sets it (1..60). Pending jobs keep their due time. Audit "vendor.unreachable.config". */
int kk_unreachable_set_delay_months(struct kk_db *db, const struct kk_actor *by, int months, struct kk_diag *d);

/* Where the public page asks people to write (an e-mail or an https URL); "" when not set. */
void kk_unreachable_contact(struct kk_db *db, char *out, size_t n);
/* [in tx] Sets it ("" clears; else name@host or https://...). Audit "vendor.unreachable.config". */
int kk_unreachable_set_contact(struct kk_db *db, const struct kk_actor *by, const char *contact, struct kk_diag *d);

struct kk_unreachable_product {
	char name[KK_NAME_MAX + 1];
	char version[KK_VENDOR_VERSION_MAX + 1];
};

#define KK_UNREACHABLE_PRODUCTS_MAX 16

struct kk_unreachable {
	int64_t id; /* listing id */
	int64_t org_id;
	char name[KK_NAME_MAX + 1]; /* vendor: name_ja/name_en per the reader's language is the page's choice */
	char name_ja[KK_NAME_MAX + 1];
	char name_en[KK_NAME_MAX + 1];
	int64_t listed_at;
	int64_t products_due_at;   /* when the products will be / were shown */
	int64_t products_shown_at; /* 0: not yet shown */
	int64_t delisted_at;	   /* 0: still listed */
	int nproducts;		   /* products shown (public) or recorded (history) */
	struct kk_unreachable_product products[KK_UNREACHABLE_PRODUCTS_MAX];
};

/*
 * The public list: open listings, newest first; products only once shown
 * (nproducts 0 before). Stop rule as kk_vendor_search.
 */
int kk_unreachable_list(struct kk_db *db, int (*fn)(void *arg, const struct kk_unreachable *u), void *arg);
/*
 * History: every listing (open and closed), newest first, with every
 * recorded product; org_id 0 = all vendors.
 */
int kk_unreachable_history(struct kk_db *db, int64_t org_id,
			   int (*fn)(void *arg, const struct kk_unreachable *u), void *arg);

/*
 * One listing as an object: vendor, vendor_ja, vendor_en, listed_at, listed_at_jst, products_shown_at,
 * products [{name, version}]; with history also id, vendor_id, products_due_at, delisted_at.
 */
void kk_unreachable_json(struct kk_json *j, const struct kk_unreachable *u, bool history);

/* ---- CSV import/export (csv.c) ---------------------------------------- */

/*
 * The CSV format (RFC 4180, UTF-8, optional BOM, CRLF or LF): a header row,
 * then one row per contact or product of a vendor, grouped by vendor name:
 *
 *   vendor,name_ja,name_en,lang,cpe_vendor,terms_agreed_at,
 *   record,label,email,role,phone,contact_lang,pgp_key,
 *   product_ja,product_en,cpe,purl
 *
 * record is "vendor" (the vendor's own fields only), "contact" or
 * "product". terms_agreed_at is YYYY-MM-DD (JST) or empty. Columns may come
 * in any order; unknown columns are an error naming them.
 */
#define KK_VENDOR_CSV_MAX_LINE (128 * 1024)

struct kk_vendor_csv_stats {
	int rows;		/* data rows read */
	int vendors_created;
	int vendors_updated;
	int contacts_added;
	int products_added;
	int skipped;		/* rows identical to what is stored */
	int errors;		/* rows refused */
};

/*
 * Parses and imports csv[0..n) in one transaction (all or nothing). Every
 * bad row is reported through err(arg, line, field, msg) (line is 1-based,
 * field the column name) and counted; when any row is bad nothing is
 * written and KK_EINVAL is returned. Re-importing an export changes
 * nothing (contacts and products already present are skipped).
 * PGP keys are checked with kk_vendor_pgp_check before the transaction.
 */
int kk_vendor_csv_import(struct kk_db *db, const struct kk_actor *by, const char *csv, size_t n,
			 void (*err)(void *arg, int line, const char *field, const char *msg), void *arg,
			 struct kk_vendor_csv_stats *st);
/* Appends the whole directory as CSV (the format above) to out. */
int kk_vendor_csv_export(struct kk_db *db, struct kk_buf *out);

/* ---- seeding from the vulnerability database's vendor dictionary ------- */

/*
 * [own tx] Creates a directory vendor for each vulnerability-database
 * dictionary vendor not yet in the directory (matched by CPE vendor, then
 * by name), with its products (CPE vendor:product). Idempotent: a second
 * run creates nothing. *created / *products (may be NULL) get the counts.
 */
int kk_vendor_seed_from_vulndb(struct kk_db *db, const struct kk_actor *by, int *created, int *products,
			       struct kk_diag *d);

#endif

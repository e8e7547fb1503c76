/*
 * vendors_web.h — what the vendor directory's API (api_vendors.c) and pages
 * (page_vendors.c, page_unreachable.c) share: one transaction runner for
 * every directory change made on behalf of the request's actor. Policy is
 * the caller's: check it before kk_vweb_run.
 */
#ifndef KK_WEB_VENDORS_WEB_H
#define KK_WEB_VENDORS_WEB_H
#include "coord/directory.h"
#include "web/req.h"

enum kk_vweb_op {
	KK_VWEB_CREATE,
	KK_VWEB_UPDATE,
	KK_VWEB_CONTACT_ADD,
	KK_VWEB_CONTACT_REMOVE,
	KK_VWEB_CONTACT_UPDATE, /* id: the contact; c: all its fields (pgp_key NULL keeps the key) */
	KK_VWEB_PRODUCT_ADD,
	KK_VWEB_PRODUCT_REMOVE,
	KK_VWEB_PRODUCT_UPDATE, /* id: the product; p: all its fields */
	KK_VWEB_UNREACHABLE,
	KK_VWEB_REACHABLE,
	KK_VWEB_ENSURE, /* only give a vendor organization its directory entry when it has none */
};

struct kk_vweb {
	enum kk_vweb_op op;
	int64_t org_id; /* the vendor (all but CREATE) */
	int64_t id;	/* contact/product to remove; out: the new vendor/contact/product/listing id */
	struct kk_vendor_in v;
	struct kk_vendor_contact_in c;
	struct kk_vendor_product_in p;
	const char *product, *version; /* UNREACHABLE */
	struct kk_diag d;	       /* why it failed: field in d.where */
};

/*
 * Runs the change in one transaction as r's actor; a vendor organization
 * without a directory entry gets one first (audited "vendor.create"). A PGP key in c.pgp_key
 * is checked (gpg) first. Returns 0, or KK_EUNPROCESSABLE (was KK_EINVAL:
 * d names the field), KK_ENOTFOUND, KK_EEXISTS, KK_ECONFLICT, KK_EDB...
 * Writes no answer.
 */
int kk_vweb_run(struct kk_req *r, struct kk_vweb *w);

/* 0 when r's actor may do act on vendor org_id (staff: any; a vendor: its own); else replies 401/403. */
int kk_vweb_allow(struct kk_req *r, enum kk_action act, int64_t org_id);

/*
 * For /vendor/profile: 0 when r's actor is a user of a vendor organization
 * (whose directory entry now exists: made on first use); else replies
 * 404 (not a vendor user) or 403 and returns < 0.
 */
int kk_vweb_own_entry(struct kk_req *r);

#endif

/*
 * api_vendors.c — the vendor directory's JSON API (coordinators: CRUD,
 * search, match, CSV import/export; vendors: their own entry) and the
 * public list of unreachable vendors (GET /api/v1/unreachable).
 */
#include "auth/policy.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "coord/directory.h"
#include "store/db.h"
#include "web/api.h"
#include "web/handlers.h"
#include "web/vendors_web.h"
#include "web/web.h"
#include <stdlib.h>
#include <string.h>

/* ---- shared with the pages (vendors_web.h) ---- */

struct vweb_tx {
	struct kk_vweb *w;
	const struct kk_actor *by;
};

/*
 * A vendor organization made by an administrator (org add --kind vendor)
 * has no directory entry yet: its users' first change adds one.
 */
static int ensure_entry(struct kk_db *db, const struct kk_actor *by, int64_t org_id, struct kk_diag *d)
{
	struct kk_vendor v;
	struct kk_org o;
	if (kk_vendor_get(db, org_id, &v) == 0 || kk_org_get(db, org_id, &o) || o.kind != KK_ORG_VENDOR)
		return 0;
	struct kk_vendor_in in = {.name = o.name};
	return kk_vendor_create(db, by, &in, NULL, d);
}

static int vweb_tx(struct kk_db *db, void *arg)
{
	struct vweb_tx *t = arg;
	struct kk_vweb *w = t->w;
	kk_diag_clear(&w->d);
	if (w->op != KK_VWEB_CREATE) {
		int rc = ensure_entry(db, t->by, w->org_id, &w->d);
		if (rc)
			return rc;
	}
	switch (w->op) {
	case KK_VWEB_CREATE: return kk_vendor_create(db, t->by, &w->v, &w->id, &w->d);
	case KK_VWEB_UPDATE: return kk_vendor_update(db, t->by, w->org_id, &w->v, &w->d);
	case KK_VWEB_CONTACT_ADD: return kk_vendor_contact_add(db, t->by, w->org_id, &w->c, &w->id, &w->d);
	case KK_VWEB_CONTACT_REMOVE: return kk_vendor_contact_remove(db, t->by, w->org_id, w->id);
	case KK_VWEB_CONTACT_UPDATE: return kk_vendor_contact_update(db, t->by, w->org_id, w->id, &w->c, &w->d);
	case KK_VWEB_PRODUCT_ADD: return kk_vendor_product_add(db, t->by, w->org_id, &w->p, &w->id, &w->d);
	case KK_VWEB_PRODUCT_REMOVE: return kk_vendor_product_remove(db, t->by, w->org_id, w->id);
	case KK_VWEB_PRODUCT_UPDATE: return kk_vendor_product_update(db, t->by, w->org_id, w->id, &w->p, &w->d);
	case KK_VWEB_UNREACHABLE:
		return kk_vendor_set_unreachable(db, t->by, w->org_id, w->product, w->version, 0, &w->id, &w->d);
	case KK_VWEB_REACHABLE: return kk_vendor_set_reachable(db, t->by, w->org_id, &w->d);
	case KK_VWEB_ENSURE: return 0;
	}
	return KK_EINVAL;
}

int kk_vweb_run(struct kk_req *r, struct kk_vweb *w)
{
	kk_diag_clear(&w->d);
	if ((w->op == KK_VWEB_CONTACT_ADD || w->op == KK_VWEB_CONTACT_UPDATE) && w->c.pgp_key && *w->c.pgp_key &&
	    kk_vendor_pgp_check(w->c.pgp_key, "pgp_key", &w->d))
		return KK_EUNPROCESSABLE;
	struct vweb_tx t = {w, &r->actor};
	int rc = kk_db_tx(r->db, vweb_tx, &t);
	if (rc == KK_ENOTFOUND && (w->op == KK_VWEB_CONTACT_REMOVE || w->op == KK_VWEB_PRODUCT_REMOVE) && !w->d.msg[0])
		kk_diag_set(&w->d, rc, w->op == KK_VWEB_CONTACT_REMOVE ? "contact" : "product",
			    "vendor %lld has no %s %lld", (long long)w->org_id,
			    w->op == KK_VWEB_CONTACT_REMOVE ? "contact" : "product", (long long)w->id);
	return rc == KK_EINVAL ? KK_EUNPROCESSABLE : rc;
}

int kk_vweb_own_entry(struct kk_req *r)
{
	if (!r->actor.org_id || r->actor.org_kind != KK_ORG_VENDOR)
		return kk_req_fail(r, KK_ENOTFOUND, NULL,
				   "you do not belong to a vendor organization; staff use the directory (/vendors)");
	if (kk_vweb_allow(r, KK_ACT_VENDOR_PROFILE, r->actor.org_id) < 0)
		return KK_EPERM;
	struct kk_vendor v;
	struct kk_vweb w = {.op = KK_VWEB_ENSURE, .org_id = r->actor.org_id};
	int rc = kk_vendor_get(r->db, r->actor.org_id, &v) == 0 ? 0 : kk_vweb_run(r, &w);
	return rc < 0 ? kk_req_fail(r, rc, NULL, NULL) : 0;
}

int kk_vweb_allow(struct kk_req *r, enum kk_action act, int64_t org_id)
{
	struct kk_policy_obj o = {.org_id = org_id};
	return kk_req_allow_or_reply(r, act, &o);
}

/* ---- JSON ---- */

static int vendor_row(void *arg, const struct kk_vendor *v)
{
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kk_vendor_fields_json(j, v, true);
	kk_json_obj_close(j);
	return 0;
}

static int contact_row(void *arg, const struct kk_vendor_contact *c)
{
	kk_vendor_contact_json(arg, c, true);
	return 0;
}

static int product_row(void *arg, const struct kk_vendor_product *p)
{
	kk_vendor_product_json(arg, p);
	return 0;
}

/* {"vendor":{...,"contact_points":[...],"product_list":[...]}} with the given status. */
static int vendor_answer(struct kk_req *r, int status, int64_t org_id)
{
	struct kk_vendor v;
	int rc = kk_vendor_get(r->db, org_id, &v);
	if (rc)
		return kk_req_fail(r, rc, "id", rc == KK_ENOTFOUND ? "no vendor with this id in the directory" : NULL);
	bool staff = kk_policy_allow(&r->actor, KK_ACT_VENDOR_DIR_READ, NULL);
	struct kk_json j;
	kk_resp_json(r, status, &j);
	kk_json_obj_open(&j);
	kk_json_key(&j, "vendor");
	kk_json_obj_open(&j);
	kk_vendor_fields_json(&j, &v, staff);
	kk_json_key(&j, "contact_points");
	kk_json_arr_open(&j);
	rc = kk_vendor_contacts(r->db, org_id, contact_row, &j);
	kk_json_arr_close(&j);
	kk_json_key(&j, "product_list");
	kk_json_arr_open(&j);
	if (!rc)
		rc = kk_vendor_products(r->db, org_id, product_row, &j);
	kk_json_arr_close(&j);
	kk_json_obj_close(&j);
	kk_json_obj_close(&j);
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, NULL, NULL);
	}
	return kk_api_done(r, &j);
}

static int fail_w(struct kk_req *r, int rc, const struct kk_vweb *w)
{
	return kk_req_fail(r, rc, w->d.where[0] ? w->d.where : NULL, "%s", w->d.msg[0] ? w->d.msg : kk_err_msg(rc));
}

/* ---- handlers ---- */

int api_vendors_list(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_vendor_query q = {.q = kk_req_query(r, "q"), .cpe = kk_req_query(r, "cpe")};
	const char *u = kk_req_query(r, "unreachable"), *lim = kk_req_query(r, "limit"),
		   *off = kk_req_query(r, "offset");
	if (u)
		q.unreachable = !strcmp(u, "1") || !strcmp(u, "true") ? 1 : -1;
	if (lim && ((q.limit = atoi(lim)) < 1 || q.limit > 1000))
		return kk_req_fail(r, KK_EUNPROCESSABLE, "limit", "limit is 1..1000");
	if (off && (q.offset = atoi(off)) < 0)
		return kk_req_fail(r, KK_EUNPROCESSABLE, "offset", "offset is 0 or more");
	int64_t total = 0;
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_json_obj_open(&j);
	kk_json_key(&j, "vendors");
	kk_json_arr_open(&j);
	int rc = kk_vendor_search(r->db, &q, vendor_row, &j, &total);
	if (rc < 0) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc == KK_EINVAL ? KK_EUNPROCESSABLE : rc, rc == KK_EINVAL ? "cpe" : NULL,
				   rc == KK_EINVAL ? "cpe is vendor, vendor:product or a CPE name; q at most 512 bytes"
						   : NULL);
	}
	kk_json_arr_close(&j);
	kk_json_kv_int(&j, "total", total);
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

/* Reads the vendor fields of doc into w->v; false after replying. */
static bool vendor_in_json(struct kk_req *r, json_t *doc, struct kk_vweb *w, bool create)
{
	bool bad = false;
	if (create) {
		if (!(w->v.name = kk_req_jstr_or_reply(r, doc, "name", 1, KK_NAME_MAX)))
			return false;
	} else
		w->v.name = kk_req_jstr_opt(r, doc, "name", KK_NAME_MAX, &bad);
	if (!bad)
		w->v.name_ja = kk_req_jstr_opt(r, doc, "name_ja", KK_NAME_MAX, &bad);
	if (!bad)
		w->v.name_en = kk_req_jstr_opt(r, doc, "name_en", KK_NAME_MAX, &bad);
	if (!bad)
		w->v.lang = kk_req_jstr_opt(r, doc, "lang", 2, &bad);
	if (!bad)
		w->v.cpe_vendor = kk_req_jstr_opt(r, doc, "cpe_vendor", KK_VENDOR_CPE_MAX, &bad);
	if (!bad)
		w->v.note = kk_req_jstr_opt(r, doc, "note", KK_VENDOR_NOTE_MAX, &bad);
	if (bad)
		return false;
	json_t *t = json_object_get(doc, "terms_agreed");
	w->v.terms_agreed = create ? 0 : -1;
	if (t && !json_is_boolean(t)) {
		kk_req_fail(r, KK_EUNPROCESSABLE, "terms_agreed", "terms_agreed is true or false");
		return false;
	}
	if (t)
		w->v.terms_agreed = json_is_true(t);
	return true;
}

int api_vendors_create(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_vweb w = {.op = KK_VWEB_CREATE};
	int rc = KK_EUNPROCESSABLE;
	if (vendor_in_json(r, doc, &w, true)) {
		if ((rc = kk_vweb_run(r, &w)))
			fail_w(r, rc, &w);
		else
			rc = vendor_answer(r, 201, w.id);
	}
	json_decref(doc);
	return rc;
}

/* The {id} of the path, with the policy asked about that vendor. */
static int vendor_param(struct kk_req *r, enum kk_action act, int64_t *id)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	if (kk_req_id_or_reply(r, "id", id) < 0)
		return KK_ENOTFOUND;
	return kk_vweb_allow(r, act, *id);
}

int api_vendors_get(struct kk_req *r)
{
	int64_t id;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	if (kk_req_id_or_reply(r, "id", &id) < 0)
		return KK_ENOTFOUND;
	/* staff read any vendor; a vendor user only its own organization's */
	if (!kk_policy_allow(&r->actor, KK_ACT_VENDOR_DIR_READ, NULL) && kk_vweb_allow(r, KK_ACT_VENDOR_PROFILE, id) < 0)
		return KK_EPERM;
	return vendor_answer(r, 200, id);
}

int api_vendor_profile(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	int rc = kk_vweb_own_entry(r);
	return rc < 0 ? rc : vendor_answer(r, 200, r->actor.org_id);
}

int api_vendors_patch(struct kk_req *r)
{
	int64_t id;
	int rc = vendor_param(r, KK_ACT_VENDOR_DIR_ADMIN, &id);
	if (rc < 0)
		return rc;
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_vweb w = {.op = KK_VWEB_UPDATE, .org_id = id};
	rc = KK_EUNPROCESSABLE;
	if (vendor_in_json(r, doc, &w, false)) {
		if ((rc = kk_vweb_run(r, &w)))
			fail_w(r, rc, &w);
		else
			rc = vendor_answer(r, 200, id);
	}
	json_decref(doc);
	return rc;
}

/* One optional string member of the body and where it goes. */
struct jfield {
	const char *key;
	size_t max;
	const char **dst;
};

/*
 * Adds (or, for the *_UPDATE ops, replaces {item}) a contact or product of
 * vendor {id} from the JSON body's members (fields, NULL-terminated).
 */
static int add_from_json(struct kk_req *r, struct kk_vweb *w, const struct jfield *fields)
{
	int rc = vendor_param(r, KK_ACT_VENDOR_PROFILE, &w->org_id);
	if (rc < 0)
		return rc;
	bool update = w->op == KK_VWEB_CONTACT_UPDATE || w->op == KK_VWEB_PRODUCT_UPDATE;
	if (update && kk_req_id_or_reply(r, "item", &w->id) < 0)
		return KK_ENOTFOUND;
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	bool bad = false;
	for (const struct jfield *f = fields; f->key && !bad; f++)
		*f->dst = kk_req_jstr_opt(r, doc, f->key, f->max, &bad);
	rc = KK_EUNPROCESSABLE;
	if (!bad) {
		if ((rc = kk_vweb_run(r, w)))
			fail_w(r, rc, w);
		else
			rc = vendor_answer(r, update ? 200 : 201, w->org_id);
	}
	json_decref(doc);
	return rc;
}

static int contact_from_json(struct kk_req *r, enum kk_vweb_op op)
{
	struct kk_vweb w = {.op = op};
	const struct jfield f[] = {{"label", KK_NAME_MAX, &w.c.label},  {"email", KK_EMAIL_MAX, &w.c.email},
				   {"role", 2, &w.c.role},		{"phone", KK_VENDOR_PHONE_MAX, &w.c.phone},
				   {"lang", 2, &w.c.lang},		{"pgp_key", 64 * 1024, &w.c.pgp_key},
				   {NULL, 0, NULL}};
	return add_from_json(r, &w, f);
}

int api_vendor_contacts_add(struct kk_req *r)
{
	return contact_from_json(r, KK_VWEB_CONTACT_ADD);
}

int api_vendor_contacts_put(struct kk_req *r)
{
	return contact_from_json(r, KK_VWEB_CONTACT_UPDATE);
}

static int product_from_json(struct kk_req *r, enum kk_vweb_op op)
{
	struct kk_vweb w = {.op = op};
	const struct jfield f[] = {{"name_ja", KK_NAME_MAX, &w.p.name_ja},
				   {"name_en", KK_NAME_MAX, &w.p.name_en},
				   {"cpe", 2048, &w.p.cpe},
				   {"purl", 4096, &w.p.purl},
				   {NULL, 0, NULL}};
	return add_from_json(r, &w, f);
}

int api_vendor_products_add(struct kk_req *r)
{
	return product_from_json(r, KK_VWEB_PRODUCT_ADD);
}

int api_vendor_products_put(struct kk_req *r)
{
	return product_from_json(r, KK_VWEB_PRODUCT_UPDATE);
}

static int remove_sub(struct kk_req *r, enum kk_vweb_op op)
{
	int64_t id, sub;
	int rc = vendor_param(r, KK_ACT_VENDOR_PROFILE, &id);
	if (rc < 0)
		return rc;
	if (kk_req_id_or_reply(r, "item", &sub) < 0)
		return KK_ENOTFOUND;
	struct kk_vweb w = {.op = op, .org_id = id, .id = sub};
	if ((rc = kk_vweb_run(r, &w)))
		return fail_w(r, rc, &w);
	return vendor_answer(r, 200, id);
}

int api_vendor_contacts_delete(struct kk_req *r)
{
	return remove_sub(r, KK_VWEB_CONTACT_REMOVE);
}

int api_vendor_products_delete(struct kk_req *r)
{
	return remove_sub(r, KK_VWEB_PRODUCT_REMOVE);
}

int api_vendors_unreachable(struct kk_req *r)
{
	int64_t id;
	int rc = vendor_param(r, KK_ACT_VENDOR_DIR_ADMIN, &id);
	if (rc < 0)
		return rc;
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	json_t *u = json_object_get(doc, "unreachable");
	struct kk_vweb w = {.org_id = id};
	bool bad = false;
	rc = KK_EUNPROCESSABLE;
	if (!json_is_boolean(u))
		kk_req_fail(r, rc, "unreachable", "unreachable is true (list the vendor) or false (it answered)");
	else {
		w.op = json_is_true(u) ? KK_VWEB_UNREACHABLE : KK_VWEB_REACHABLE;
		w.product = kk_req_jstr_opt(r, doc, "product", KK_NAME_MAX, &bad);
		if (!bad)
			w.version = kk_req_jstr_opt(r, doc, "version", KK_VENDOR_VERSION_MAX, &bad);
		if (!bad) {
			if ((rc = kk_vweb_run(r, &w)))
				fail_w(r, rc, &w);
			else
				rc = vendor_answer(r, 200, id);
		}
	}
	json_decref(doc);
	return rc;
}

int api_vendors_match(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_vendor_match_in in = {kk_req_query(r, "product"), kk_req_query(r, "vendor"), kk_req_query(r, "cpe"),
					kk_req_query(r, "purl")};
	if (!in.product && !in.vendor && !in.cpe && !in.purl)
		return kk_req_fail(r, KK_EUNPROCESSABLE, "product", "give at least one of product, vendor, cpe, purl");
	struct kk_vendor_match *m = kk_arena_alloc(&r->arena, 50 * sizeof(*m));
	if (!m)
		return kk_req_fail(r, KK_ENOMEM, NULL, NULL);
	struct kk_diag d = {0};
	int n = kk_vendor_match(r->db, &in, m, 50, &d);
	if (n < 0)
		return kk_req_fail(r, n == KK_EINVAL ? KK_EUNPROCESSABLE : n, d.where[0] ? d.where : NULL, "%s",
				   d.msg[0] ? d.msg : kk_err_msg(n));
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_json_obj_open(&j);
	kk_json_key(&j, "matches");
	kk_json_arr_open(&j);
	for (int i = 0; i < n; i++) {
		kk_vendor_match_json(&j, &m[i]);
	}
	kk_json_arr_close(&j);
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

int api_vendors_export(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	int rc = kk_vendor_csv_export(r->db, &r->resp.body);
	if (rc) {
		kk_buf_reset(&r->resp.body);
		return kk_req_fail(r, rc, NULL, NULL);
	}
	r->resp.status = 200;
	r->resp.type = "text/csv; charset=utf-8";
	kk_resp_header(r, "Content-Disposition", "attachment; filename=\"vendors.csv\"");
	return 0;
}

static void import_err(void *arg, int line, const char *field, const char *msg)
{
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kk_json_kv_int(j, "line", line);
	kk_json_kv_str(j, "field", field);
	kk_json_kv_str(j, "message", msg);
	kk_json_obj_close(j);
}

/* The import's counts. */
static void stats_json(struct kk_json *j, const struct kk_vendor_csv_stats *st)
{
	kk_json_kv_int(j, "rows", st->rows);
	kk_json_kv_int(j, "vendors_created", st->vendors_created);
	kk_json_kv_int(j, "vendors_updated", st->vendors_updated);
	kk_json_kv_int(j, "contacts_added", st->contacts_added);
	kk_json_kv_int(j, "products_added", st->products_added);
	kk_json_kv_int(j, "unchanged", st->skipped);
}

int api_vendors_import(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	const char *type = kk_req_header(r, "Content-Type");
	if (!type || strncmp(type, "text/csv", 8))
		return kk_req_fail_status(r, 415, "unsupported_media_type", "Content-Type",
					  "send the CSV file as the body with Content-Type: text/csv");
	struct kk_buf errs = KK_BUF_INIT(4u << 20);
	struct kk_json ej;
	kk_json_init(&ej, &errs);
	kk_json_arr_open(&ej);
	struct kk_vendor_csv_stats st;
	int rc = kk_vendor_csv_import(r->db, &r->actor, r->body ? r->body : "", r->body_len, import_err, &ej, &st);
	kk_json_arr_close(&ej);
	if (rc && rc != KK_EINVAL) {
		kk_buf_release(&errs);
		return kk_req_fail(r, rc, NULL, NULL);
	}
	struct kk_json j;
	kk_resp_json(r, rc ? 422 : 200, &j);
	kk_json_obj_open(&j);
	if (rc) {
		kk_json_key(&j, "error");
		kk_json_obj_open(&j);
		kk_json_kv_str(&j, "code", "unprocessable");
		kk_json_kv_str(&j, "message", "rows were refused; nothing was imported (see errors: line, field, message)");
		kk_json_kv_str(&j, "field", "csv");
		kk_json_obj_close(&j);
		kk_json_key(&j, "errors");
		kk_json_raw(&j, errs.ptr, errs.len);
	}
	stats_json(&j, &st);
	kk_json_obj_close(&j);
	kk_buf_release(&errs);
	return kk_api_done(r, &j);
}

/* ---- unreachable vendors ---- */

struct ulist {
	struct kk_json *j;
	bool history;
};

static int unreachable_row(void *arg, const struct kk_unreachable *u)
{
	struct ulist *l = arg;
	kk_unreachable_json(l->j, u, l->history);
	return 0;
}

int api_unreachable_list(struct kk_req *r)
{
	struct kk_json j;
	if (kk_api_list_open(r, &j, "unreachable") < 0)
		return KK_EBUSY;
	struct ulist l = {&j, false};
	int rc = kk_unreachable_list(r->db, unreachable_row, &l);
	if (rc < 0)
		return kk_api_list_close(r, &j, rc);
	kk_json_arr_close(&j);
	char contact[320];
	kk_unreachable_contact(r->db, contact, sizeof(contact));
	kk_json_kv_str(&j, "contact", contact[0] ? contact : NULL);
	kk_json_kv_str(&j, "request", "If you can reach one of these vendors, please tell the coordinator (contact).");
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

int api_unreachable_history(struct kk_req *r)
{
	struct kk_json j;
	if (kk_api_list_open(r, &j, "listings") < 0)
		return KK_EBUSY;
	const char *v = kk_req_query(r, "vendor_id");
	struct ulist l = {&j, true};
	return kk_api_list_close(r, &j, kk_unreachable_history(r->db, v ? atoll(v) : 0, unreachable_row, &l));
}

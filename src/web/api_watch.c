/*
 * api_watch.c — the MyJVN tools over JSON: POST /api/v1/check (the version
 * checker on an SBOM or package list), and the operation the check page
 * shares with it (watch_web.h).
 */
#include "base/clock.h"
#include "base/err.h"
#include "store/db.h"
#include "web/api.h"
#include "web/handlers.h"
#include "watch/inventory.h"
#include "web/watch_web.h"
#include "web/web.h"
#include <stdio.h>
#include <string.h>

int kk_web_check_inputs(struct kk_req *r, struct kk_web_check *c, const char **field)
{
	*field = "sbom";
	if (kk_req_is_multipart(r)) {
		const struct kk_part *parts;
		struct kk_diag d;
		int n = kk_req_parts(r, &parts, &d);
		if (n < 0)
			return KK_EINVAL;
		for (int i = 0; i < n; i++) {
			if (!strcmp(parts[i].name, "sbom") && parts[i].len && !c->sbom) {
				c->sbom = parts[i].data;
				c->sbom_len = parts[i].len;
			} else if (!strcmp(parts[i].name, "vex") && parts[i].len && c->nvex < 8) {
				c->vex[c->nvex] = parts[i].data;
				c->vex_len[c->nvex++] = parts[i].len;
			}
		}
	} else if (r->body && r->body_len) {
		const char *form = kk_req_form(r, "sbom"); /* a page's urlencoded textarea */
		const char *type = kk_req_header(r, "Content-Type");
		if (form && type && strstr(type, "x-www-form-urlencoded")) {
			c->sbom = form;
			c->sbom_len = strlen(form);
		} else {
			c->sbom = r->body;
			c->sbom_len = r->body_len;
		}
	}
	return c->sbom ? 0 : KK_EINVAL;
}

/* "sbom: /components/3/name": which document, then where in it */
static void prefix_where(struct kk_diag *d, const char *doc)
{
	char where[sizeof d->where + 16];
	snprintf(where, sizeof where, "%s%s%s", doc, d->where[0] ? ": " : "", d->where);
	memcpy(d->where, where, sizeof d->where - 1);
	d->where[sizeof d->where - 1] = 0;
}

int kk_web_check_run(struct kk_req *r, struct kk_web_check *c, struct kk_diag *d)
{
	int rc = kk_sbom_parse(c->sbom, c->sbom_len, &r->arena, &c->s, d);
	if (rc < 0) {
		prefix_where(d, "sbom");
		return rc;
	}
	for (int i = 0; i < c->nvex; i++) {
		struct kk_vex one;
		if ((rc = kk_vex_parse(c->vex[i], c->vex_len[i], &r->arena, &one, d)) < 0) {
			prefix_where(d, "vex");
			return rc;
		}
		for (size_t k = 0; k < one.n; k++)
			KK_TRY(kk_vex_add(&c->v, &r->arena, &one.v[k]));
	}
	if (!r->db)
		return kk_diag_set(d, KK_EBUSY, NULL, "the database is unreachable; try again");
	struct kk_check_opts o = {.lang = r->lang, .vex = c->nvex ? &c->v : NULL};
	return kk_check_run(r->db, &c->s, &o, &r->arena, &c->res);
}

int api_check(struct kk_req *r)
{
	struct kk_web_check c = {0};
	struct kk_diag d;
	const char *field;
	const char *format = kk_req_query(r, "format");
	if (!format || !*format)
		format = "json";
	if (strcmp(format, "json") && strcmp(format, "sarif") && strcmp(format, "cyclonedx-vex"))
		return kk_req_fail(r, KK_EINVAL, "format", "format must be json, sarif or cyclonedx-vex");
	if (kk_web_check_inputs(r, &c, &field) < 0)
		return kk_req_fail(r, KK_EINVAL, field,
		                   "send the SBOM (CycloneDX or SPDX 2.3 JSON, CSV, dpkg-query -W or rpm -qa output) as "
		                   "the body, or as the multipart field sbom (with optional vex fields)");
	kk_diag_clear(&d);
	int rc = kk_web_check_run(r, &c, &d);
	if (rc < 0)
		return kk_req_fail(r, rc, d.where[0] ? d.where : NULL, "%s", d.msg[0] ? d.msg : kk_err_msg(rc));
	const char *all = kk_req_query(r, "all");
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	if (!strcmp(format, "sarif"))
		kk_check_sarif(&j, &c.res, "sbom");
	else if (!strcmp(format, "cyclonedx-vex"))
		kk_check_cyclonedx_vex(&j, &c.res, &c.s, kk_clock_now());
	else
		kk_check_json(&j, &c.res, all && !strcmp(all, "1"));
	return kk_api_done(r, &j);
}

/* ---- inventories (watch/inventory.h) ---- */

static void inv_json(struct kk_json *j, const struct kk_inventory *v)
{
	kk_json_obj_open(j);
	kk_json_kv_int(j, "id", v->id);
	kk_json_kv_str(j, "name", v->name);
	if (v->org_id) {
		kk_json_kv_int(j, "org_id", v->org_id);
		kk_json_kv_str(j, "organization", v->org_name);
		kk_json_kv_bool(j, "personal", false);
	} else {
		kk_json_kv_bool(j, "personal", true);
	}
	kk_json_kv_int(j, "items", v->items);
	kk_json_kv_int(j, "updated_at", v->updated_at);
	kk_json_obj_close(j);
}

static int inv_row(void *arg, const struct kk_inventory *v)
{
	inv_json(arg, v);
	return 0;
}

int api_inventories_list(struct kk_req *r)
{
	struct kk_json j;
	if (kk_api_list_open(r, &j, "items") < 0)
		return KK_EBUSY;
	return kk_api_list_close(r, &j, kk_inv_list(r->db, &r->actor, inv_row, &j));
}

/* Replies an inventory error: a diag when there is one, 404 for what the actor may not see. */
static int inv_fail(struct kk_req *r, int rc, const struct kk_diag *d)
{
	if (d && d->msg[0])
		return kk_req_fail(r, rc, d->where[0] ? d->where : NULL, "%s", d->msg);
	return kk_req_fail(r, rc, NULL, rc == KK_ENOTFOUND ? "no such inventory" : NULL);
}

int api_inventories_create(struct kk_req *r)
{
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	const char *name = kk_req_jstr_or_reply(r, doc, "name", 1, 200);
	if (!name) {
		json_decref(doc);
		return KK_EINVAL;
	}
	bool personal = json_is_true(json_object_get(doc, "personal")) || !r->actor.org_id;
	struct kk_diag d;
	kk_diag_clear(&d);
	int64_t id;
	int rc = kk_req_db_or_reply(r) ? kk_inv_create(r->db, &r->actor, personal ? 0 : r->actor.org_id, name, &id, &d)
	                               : KK_EBUSY;
	json_decref(doc);
	if (rc == KK_EBUSY)
		return rc;
	if (rc)
		return inv_fail(r, rc, &d);
	struct kk_inventory v;
	if ((rc = kk_inv_get(r->db, &r->actor, id, &v)))
		return inv_fail(r, rc, NULL);
	struct kk_json j;
	kk_resp_json(r, 201, &j);
	inv_json(&j, &v);
	return kk_api_done(r, &j);
}

int api_inventories_get(struct kk_req *r)
{
	int64_t id;
	if (kk_req_id_or_reply(r, "id", &id) < 0)
		return KK_EINVAL;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_inventory v;
	struct kk_inv_item *items;
	size_t n;
	int rc = kk_inv_get(r->db, &r->actor, id, &v);
	if (!rc)
		rc = kk_inv_items(r->db, &r->actor, id, &r->arena, &items, &n);
	if (rc)
		return inv_fail(r, rc, NULL);
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_json_obj_open(&j);
	kk_json_key(&j, "inventory");
	inv_json(&j, &v);
	kk_json_key(&j, "items");
	kk_json_arr_open(&j);
	for (size_t i = 0; i < n; i++) {
		kk_json_obj_open(&j);
		kk_json_kv_int(&j, "id", items[i].id);
		kk_json_kv_str(&j, "name", items[i].name);
		const char *k[] = {"version", "vendor", "purl", "cpe", "ref", "owner", "due"};
		const char *v2[] = {items[i].version, items[i].vendor, items[i].purl, items[i].cpe,
		                    items[i].ref,     items[i].owner,  items[i].due};
		for (size_t f = 0; f < sizeof k / sizeof *k; f++)
			if (v2[f])
				kk_json_kv_str(&j, k[f], v2[f]);
		kk_json_obj_close(&j);
	}
	kk_json_arr_close(&j);
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

int api_inventories_import(struct kk_req *r)
{
	int64_t id;
	if (kk_req_id_or_reply(r, "id", &id) < 0)
		return KK_EINVAL;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_inventory v;
	int rc = kk_inv_get(r->db, &r->actor, id, &v); /* 404 before the body is looked at */
	if (rc)
		return inv_fail(r, rc, NULL);
	struct kk_web_check c = {0};
	const char *field;
	if (kk_web_check_inputs(r, &c, &field) < 0)
		return kk_req_fail(r, KK_EINVAL, field, "send the SBOM or package list as the body (or multipart field sbom)");
	struct kk_diag d;
	struct kk_sbom s;
	struct kk_inv_diff diff;
	kk_diag_clear(&d);
	if ((rc = kk_sbom_parse(c.sbom, c.sbom_len, &r->arena, &s, &d)) < 0) {
		prefix_where(&d, "sbom");
		return inv_fail(r, rc, &d);
	}
	const char *add = kk_req_query(r, "add");
	if ((rc = kk_inv_import(r->db, &r->actor, id, &s, !(add && !strcmp(add, "1")), &r->arena, &diff, &d)))
		return inv_fail(r, rc, &d);
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_json_obj_open(&j);
	kk_json_kv_str(&j, "format", kk_sbom_format_name(s.format));
	kk_json_kv_int(&j, "added", diff.added);
	kk_json_kv_int(&j, "removed", diff.removed);
	kk_json_kv_int(&j, "upgraded", diff.upgraded);
	kk_json_kv_int(&j, "downgraded", diff.downgraded);
	kk_json_kv_int(&j, "changed", diff.changed);
	kk_json_kv_int(&j, "kept", diff.kept);
	kk_json_key(&j, "changes");
	kk_json_arr_open(&j);
	for (size_t i = 0; i < diff.n; i++) {
		kk_json_obj_open(&j);
		kk_json_kv_str(&j, "change", kk_inv_change_name(diff.v[i].kind));
		kk_json_kv_str(&j, "key", diff.v[i].key);
		kk_json_kv_str(&j, "name", diff.v[i].name);
		if (diff.v[i].from)
			kk_json_kv_str(&j, "from", diff.v[i].from);
		if (diff.v[i].to)
			kk_json_kv_str(&j, "to", diff.v[i].to);
		kk_json_obj_close(&j);
	}
	kk_json_arr_close(&j);
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

int api_inventories_item_add(struct kk_req *r)
{
	int64_t id, item;
	if (kk_req_id_or_reply(r, "id", &id) < 0)
		return KK_EINVAL;
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	struct kk_inv_item_new it = {0};
	const char *keys[] = {"product", "name", "version", "vendor", "purl", "cpe", "owner", "due"};
	const char **dst[] = {&it.product, &it.name, &it.version, &it.vendor, &it.purl, &it.cpe, &it.owner, &it.due};
	for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
		bool bad;
		*dst[k] = kk_req_jstr_opt(r, doc, keys[k], 1024, &bad);
		if (bad) {
			json_decref(doc);
			return KK_EINVAL;
		}
		if (*dst[k] && !**dst[k])
			*dst[k] = NULL;
	}
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_req_db_or_reply(r) ? kk_inv_add_item(r->db, &r->actor, id, &it, &item, &d) : KK_EBUSY;
	json_decref(doc);
	if (rc == KK_EBUSY)
		return rc;
	if (rc)
		return inv_fail(r, rc, &d);
	struct kk_json j;
	kk_resp_json(r, 201, &j);
	kk_json_obj_open(&j);
	kk_json_kv_int(&j, "id", item);
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

int api_inventories_check(struct kk_req *r)
{
	int64_t id;
	if (kk_req_id_or_reply(r, "id", &id) < 0)
		return KK_EINVAL;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	const char *format = kk_req_query(r, "format");
	if (!format || !*format)
		format = "json";
	if (strcmp(format, "json") && strcmp(format, "sarif") && strcmp(format, "cyclonedx-vex"))
		return kk_req_fail(r, KK_EINVAL, "format", "format must be json, sarif or cyclonedx-vex");
	struct kk_sbom s;
	int64_t *item_ids;
	struct kk_check_result res;
	int rc = kk_inv_check(r->db, &r->actor, id, r->lang, &r->arena, &s, &item_ids, &res);
	if (rc)
		return inv_fail(r, rc, NULL);
	const char *all = kk_req_query(r, "all");
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	if (!strcmp(format, "sarif"))
		kk_check_sarif(&j, &res, "inventory");
	else if (!strcmp(format, "cyclonedx-vex"))
		kk_check_cyclonedx_vex(&j, &res, &s, kk_clock_now());
	else
		kk_check_json(&j, &res, all && !strcmp(all, "1"));
	return kk_api_done(r, &j);
}

int api_inventories_dismiss(struct kk_req *r)
{
	int64_t id;
	if (kk_req_id_or_reply(r, "id", &id) < 0)
		return KK_EINVAL;
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	json_t *item = json_object_get(doc, "item");
	bool bad;
	const char *vuln = kk_req_jstr_opt(r, doc, "vuln", 64, &bad);
	const char *reason = bad ? NULL : kk_req_jstr_opt(r, doc, "reason", 1000, &bad);
	if (bad) {
		json_decref(doc);
		return KK_EINVAL;
	}
	if (!json_is_integer(item)) {
		json_decref(doc);
		return kk_req_fail(r, KK_EUNPROCESSABLE, "item", "item must be the item's id (a number)");
	}
	struct kk_diag d;
	kk_diag_clear(&d);
	bool restore = json_is_true(json_object_get(doc, "restore"));
	int rc = !restore && !reason ? kk_diag_set(&d, KK_EUNPROCESSABLE, "reason", "say why the match is wrong")
	         : kk_req_db_or_reply(r) ? kk_inv_dismiss(r->db, &r->actor, id, json_integer_value(item), vuln,
	                                                  restore ? NULL : reason, &d)
	                                 : KK_EBUSY;
	json_decref(doc);
	if (rc == KK_EBUSY)
		return rc;
	if (rc)
		return inv_fail(r, rc, &d);
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_json_obj_open(&j);
	kk_json_kv_bool(&j, "dismissed", !restore);
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

int api_inventories_vex(struct kk_req *r)
{
	int64_t id;
	if (kk_req_id_or_reply(r, "id", &id) < 0)
		return KK_EINVAL;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_diag d;
	kk_diag_clear(&d);
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	long n = 1;
	int rc;
	if (json_object_get(doc, "bomFormat") || json_object_get(doc, "document")) {
		rc = kk_inv_vex_import(r->db, &r->actor, id, r->body, r->body_len, &n, &d); /* a VEX document */
	} else {
		bool bad = false;
		const char *vuln = kk_req_jstr_opt(r, doc, "vuln", 64, &bad);
		const char *state = bad ? NULL : kk_req_jstr_opt(r, doc, "state", 32, &bad);
		const char *just = bad ? NULL : kk_req_jstr_opt(r, doc, "justification", 64, &bad);
		const char *detail = bad ? NULL : kk_req_jstr_opt(r, doc, "detail", 2000, &bad);
		if (bad) {
			json_decref(doc);
			return KK_EINVAL;
		}
		enum kk_vex_state st;
		json_t *item = json_object_get(doc, "item");
		if (kk_vex_state_parse(state, &st))
			rc = kk_diag_set(&d, KK_EUNPROCESSABLE, "state",
			                 "state must be affected, not_affected, fixed or under_investigation");
		else
			rc = kk_inv_vex_set(r->db, &r->actor, id, json_is_integer(item) ? json_integer_value(item) : 0, vuln,
			                    st, just, detail, &d);
	}
	json_decref(doc);
	if (rc)
		return inv_fail(r, rc, &d);
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_json_obj_open(&j);
	kk_json_kv_int(&j, "stored", n);
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

/*
 * api_admin.c — users, organizations and the audit log over JSON:
 * /api/v1/users, /api/v1/orgs, /api/v1/audit, and the sync sources'
 * status (/api/v1/admin/sync). Lists are filtered by the
 * policy object by object; single objects are checked before they are shown.
 */
#include "auth/audit.h"
#include "auth/auth.h"
#include "auth/policy.h"
#include "base/err.h"
#include "base/str.h"
#include "store/db.h"
#include "sync/sync.h"
#include "web/api.h"
#include "web/handlers.h"
#include "web/web.h"
#include <stdlib.h>
#include <string.h>

void kk_api_user_json(struct kk_json *j, const struct kk_user *u)
{
	kk_json_obj_open(j);
	kk_api_person_fields(j, u->id, u->email, u->name, u->role, u->org_id, u->org_name, u->org_kind);
	kk_json_kv_bool(j, "disabled", u->disabled);
	kk_json_kv_int(j, "created_at", u->created_at);
	kk_json_kv_int(j, "updated_at", u->updated_at);
	kk_json_obj_close(j);
}

static struct kk_policy_obj user_obj(const struct kk_user *u)
{
	return (struct kk_policy_obj){.owner_user_id = u->id, .org_id = u->org_id};
}

struct list_walk {
	struct kk_req *r;
	struct kk_json *j;
};

static int user_row(void *arg, const struct kk_user *u)
{
	struct list_walk *w = arg;
	struct kk_policy_obj o = user_obj(u);
	if (kk_policy_allow(&w->r->actor, KK_ACT_USER_READ, &o))
		kk_api_user_json(w->j, u);
	return 0;
}

int api_users_list(struct kk_req *r)
{
	struct kk_json j;
	if (kk_api_list_open(r, &j, "users") < 0)
		return KK_EBUSY;
	struct list_walk w = {r, &j};
	return kk_api_list_close(r, &j, kk_user_list(r->db, user_row, &w));
}

/* Reads user {id}, checks act on it; replies 404/403 on failure. */
static int load_user(struct kk_req *r, enum kk_action act, struct kk_user *u)
{
	int64_t id = 0;
	if (kk_req_id_or_reply(r, "id", &id) < 0)
		return KK_ENOTFOUND;
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	int rc = kk_user_get(r->db, id, u);
	if (rc == KK_ENOTFOUND)
		return kk_req_fail(r, rc, "id", "there is no user %lld", (long long)id);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	struct kk_policy_obj o = user_obj(u);
	return kk_req_allow_or_reply(r, act, &o);
}

int api_users_get(struct kk_req *r)
{
	struct kk_user u;
	if (load_user(r, KK_ACT_USER_READ, &u) < 0)
		return KK_EPERM;
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_api_user_json(&j, &u);
	return kk_api_done(r, &j);
}

struct user_new_tx {
	const struct kk_actor *by;
	struct kk_user_new u;
	int64_t id;
	struct kk_diag *d;
};

static int user_new_tx(struct kk_db *db, void *arg)
{
	struct user_new_tx *t = arg;
	return kk_user_create(db, t->by, &t->u, &t->id, t->d);
}

int kk_web_user_create(struct kk_req *r, const struct kk_web_user_form *f, int64_t *id, struct kk_diag *d)
{
	struct user_new_tx t = {.by = &r->actor, .d = d};
	char hash[KK_PASSWORD_HASH_MAX];
	t.u.email = f->email;
	t.u.name = f->name;
	if (!f->role || kk_role_parse(f->role, &t.u.role) < 0)
		return kk_diag_set(d, KK_EUNPROCESSABLE, "role", "role must be one of %s", kk_role_choices());
	if (f->org && *f->org) {
		struct kk_org o;
		char *end;
		long long oid = strtoll(f->org, &end, 10);
		int rc = *end == 0 && oid > 0 ? kk_org_get(r->db, oid, &o) : kk_org_find(r->db, f->org, &o);
		if (rc < 0)
			return kk_diag_set(d, KK_EUNPROCESSABLE, "org",
			                   "there is no organization '%s'; create it first", f->org);
		t.u.org_id = o.id;
	}
	if (f->password && *f->password) {
		if (kk_password_check(f->password, d) < 0) {
			kk_strlcpy(d->where, "password", sizeof(d->where));
			return KK_EUNPROCESSABLE;
		}
		int rc = kk_password_hash(f->password, hash);
		if (rc < 0)
			return rc;
		t.u.password_hash = hash;
	}
	int rc = kk_db_tx(r->db, user_new_tx, &t);
	memset(hash, 0, sizeof(hash));
	if (rc == KK_EINVAL)
		rc = KK_EUNPROCESSABLE;
	if (rc == KK_EEXISTS && !d->msg[0])
		kk_diag_set(d, rc, "email", "a user with the email '%s' exists already", f->email);
	if (rc == KK_ENOTFOUND)
		rc = kk_diag_set(d, KK_EUNPROCESSABLE, "org", "the organization does not exist");
	*id = t.id;
	return rc;
}

/* Answers a failed admin change: status from the code, field and message from the diag. */
static int fail_diag(struct kk_req *r, int rc, const struct kk_diag *d)
{
	return kk_req_fail(r, rc, d->where[0] ? d->where : NULL, "%s", d->msg[0] ? d->msg : kk_err_msg(rc));
}

int api_users_create(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	int rc = KK_EUNPROCESSABLE;
	bool bad = false;
	struct kk_web_user_form f = {0};
	char orgbuf[32];
	f.email = kk_req_jstr_or_reply(r, doc, "email", 1, KK_EMAIL_MAX);
	if (f.email)
		f.name = kk_req_jstr_or_reply(r, doc, "name", 1, KK_NAME_MAX);
	if (f.name)
		f.role = kk_req_jstr_or_reply(r, doc, "role", 1, 32);
	if (f.role)
		f.password = kk_req_jstr_opt(r, doc, "password", KK_PASSWORD_MAX, &bad);
	json_t *org = json_object_get(doc, "org_id");
	if (f.role && !bad && org && !json_is_null(org)) {
		if (!json_is_integer(org)) {
			bad = true;
			kk_req_fail(r, KK_EUNPROCESSABLE, "org_id",
			            "org_id must be an organization id (a number)");
		} else {
			snprintf(orgbuf, sizeof(orgbuf), "%lld", (long long)json_integer_value(org));
			f.org = orgbuf;
		}
	}
	if (f.role && !bad) {
		struct kk_diag d;
		kk_diag_clear(&d);
		int64_t id = 0;
		struct kk_user u;
		rc = kk_web_user_create(r, &f, &id, &d);
		if (rc < 0)
			fail_diag(r, rc, &d);
		else if ((rc = kk_user_get(r->db, id, &u)) < 0)
			kk_req_fail(r, rc, NULL, NULL);
		else {
			struct kk_json j;
			kk_resp_json(r, 201, &j);
			kk_api_user_json(&j, &u);
			rc = kk_api_done(r, &j);
		}
	}
	json_decref(doc);
	return rc;
}

struct user_patch_tx {
	const struct kk_actor *by;
	int64_t id;
	int disabled; /* -1 unchanged */
	const char *hash;
	bool set_role;
	enum kk_role role;
	int64_t org_id;
	struct kk_diag d;
};

static int user_patch_tx(struct kk_db *db, void *arg)
{
	struct user_patch_tx *t = arg;
	int rc = 0;
	if (t->set_role)
		rc = kk_user_set_role(db, t->by, t->id, t->role, t->org_id, &t->d);
	if (rc == 0 && t->disabled >= 0)
		rc = kk_user_set_disabled(db, t->by, t->id, t->disabled);
	if (rc == 0 && t->hash)
		rc = kk_user_set_password(db, t->by, t->id, t->hash);
	return rc;
}

int api_users_patch(struct kk_req *r)
{
	struct kk_user u;
	if (load_user(r, KK_ACT_USER_ADMIN, &u) < 0)
		return KK_EPERM;
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	int rc = KK_EUNPROCESSABLE;
	bool bad = false;
	struct user_patch_tx t = {.by = &r->actor, .id = u.id, .disabled = -1};
	char hash[KK_PASSWORD_HASH_MAX];
	json_t *dis = json_object_get(doc, "disabled");
	const char *pw = kk_req_jstr_opt(r, doc, "password", KK_PASSWORD_MAX, &bad);
	const char *k;
	json_t *v;
	json_object_foreach(doc, k, v)
	{
		if (!bad && strcmp(k, "disabled") && strcmp(k, "password") && strcmp(k, "role") && strcmp(k, "org_id")) {
			bad = true;
			kk_req_fail(r, KK_EUNPROCESSABLE, k,
			            "'%s' cannot be changed here (only disabled, password, role, org_id)", k);
		}
	}
	if (!bad && dis && !json_is_boolean(dis)) {
		bad = true;
		kk_req_fail(r, KK_EUNPROCESSABLE, "disabled", "disabled must be true or false");
	}
	json_t *role = json_object_get(doc, "role"), *org = json_object_get(doc, "org_id");
	if (!bad && org && !role) {
		bad = true;
		kk_req_fail(r, KK_EUNPROCESSABLE, "role", "org_id changes with the role: send role too");
	}
	if (!bad && role) {
		if (!json_is_string(role) || kk_role_parse(json_string_value(role), &t.role) < 0 ||
		    t.role == KK_ROLE_PUBLIC) {
			bad = true;
			kk_req_fail(r, KK_EUNPROCESSABLE, "role", "role must be one of %s", kk_role_choices());
		} else if (org && !json_is_null(org) && (!json_is_integer(org) || json_integer_value(org) <= 0)) {
			bad = true;
			kk_req_fail(r, KK_EUNPROCESSABLE, "org_id", "org_id must be an organization id (a number) or null");
		} else {
			t.set_role = true;
			t.org_id = org && json_is_integer(org) ? (int64_t)json_integer_value(org) : 0;
		}
	}
	if (!bad && !dis && !pw && !role) {
		bad = true;
		kk_req_fail(r, KK_EUNPROCESSABLE, NULL, "send disabled, password and/or role (with org_id)");
	}
	if (!bad && pw) {
		struct kk_diag d;
		kk_diag_clear(&d);
		if (kk_password_check(pw, &d) < 0) {
			bad = true;
			kk_req_fail(r, KK_EUNPROCESSABLE, "password", "%s", d.msg);
		} else if ((rc = kk_password_hash(pw, hash)) < 0) {
			bad = true;
			kk_req_fail(r, rc, NULL, NULL);
		} else
			t.hash = hash;
	}
	if (!bad) {
		if (dis)
			t.disabled = json_is_true(dis);
		kk_diag_clear(&t.d);
		rc = kk_db_tx(r->db, user_patch_tx, &t);
		if (rc < 0 && t.d.msg[0])
			fail_diag(r, rc == KK_EINVAL || rc == KK_ENOTFOUND ? KK_EUNPROCESSABLE : rc, &t.d);
		else if (rc < 0 || (rc = kk_user_get(r->db, u.id, &u)) < 0)
			kk_req_fail(r, rc, NULL, NULL);
		else {
			struct kk_json j;
			kk_resp_json(r, 200, &j);
			kk_api_user_json(&j, &u);
			rc = kk_api_done(r, &j);
		}
	}
	memset(hash, 0, sizeof(hash));
	json_decref(doc);
	return rc;
}

static void org_json(struct kk_json *j, const struct kk_org *o)
{
	kk_json_obj_open(j);
	kk_json_kv_int(j, "id", o->id);
	kk_json_kv_str(j, "name", o->name);
	kk_json_kv_str(j, "kind", kk_org_kind_name(o->kind));
	kk_json_kv_int(j, "created_at", o->created_at);
	kk_json_obj_close(j);
}

static int org_row(void *arg, const struct kk_org *o)
{
	struct list_walk *w = arg;
	struct kk_policy_obj po = {.org_id = o->id};
	if (kk_policy_allow(&w->r->actor, KK_ACT_ORG_READ, &po))
		org_json(w->j, o);
	return 0;
}

int api_orgs_list(struct kk_req *r)
{
	struct kk_json j;
	if (kk_api_list_open(r, &j, "organizations") < 0)
		return KK_EBUSY;
	struct list_walk w = {r, &j};
	return kk_api_list_close(r, &j, kk_org_list(r->db, org_row, &w));
}

struct org_new_tx {
	const struct kk_actor *by;
	const char *name;
	enum kk_org_kind kind;
	int64_t id;
	struct kk_diag *d;
};

static int org_new_tx(struct kk_db *db, void *arg)
{
	struct org_new_tx *t = arg;
	return kk_org_create(db, t->by, t->name, t->kind, &t->id, t->d);
}

int kk_web_org_create(struct kk_req *r, const char *name, const char *kind, int64_t *id, struct kk_diag *d)
{
	struct org_new_tx t = {.by = &r->actor, .name = name, .d = d};
	if (!kind || kk_org_kind_parse(kind, &t.kind) < 0)
		return kk_diag_set(d, KK_EUNPROCESSABLE, "kind", "kind must be one of %s",
		                   kk_org_kind_choices());
	int rc = kk_db_tx(r->db, org_new_tx, &t);
	if (rc == KK_EINVAL)
		rc = KK_EUNPROCESSABLE;
	if (rc == KK_EEXISTS && !d->msg[0])
		kk_diag_set(d, rc, "name", "an organization named '%s' exists already", name);
	*id = t.id;
	return rc;
}

int api_orgs_create(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	int rc = KK_EUNPROCESSABLE;
	const char *name = kk_req_jstr_or_reply(r, doc, "name", 1, KK_NAME_MAX);
	const char *kind = name ? kk_req_jstr_or_reply(r, doc, "kind", 1, 32) : NULL;
	if (kind) {
		struct kk_diag d;
		kk_diag_clear(&d);
		int64_t id = 0;
		struct kk_org o;
		rc = kk_web_org_create(r, name, kind, &id, &d);
		if (rc < 0)
			fail_diag(r, rc, &d);
		else if ((rc = kk_org_get(r->db, id, &o)) < 0)
			kk_req_fail(r, rc, NULL, NULL);
		else {
			struct kk_json j;
			kk_resp_json(r, 201, &j);
			org_json(&j, &o);
			rc = kk_api_done(r, &j);
		}
	}
	json_decref(doc);
	return rc;
}

static int audit_row(void *arg, const struct kk_audit_entry *e)
{
	struct kk_json *j = arg;
	char at[32];
	kk_time_iso(e->at, at, sizeof(at));
	kk_json_obj_open(j);
	kk_json_kv_int(j, "id", e->id);
	kk_json_kv_str(j, "at", at);
	kk_json_kv_str(j, "actor", e->actor_label);
	if (e->actor_user_id)
		kk_json_kv_int(j, "actor_user_id", e->actor_user_id);
	kk_json_kv_str(j, "action", e->action);
	kk_json_kv_str(j, "object_type", e->object_type);
	kk_json_kv_str(j, "object_id", e->object_id);
	kk_json_kv_str(j, "summary", e->summary);
	kk_json_key(j, "before");
	if (*e->before)
		kk_json_raw(j, e->before, strlen(e->before));
	else
		kk_json_null(j);
	kk_json_key(j, "after");
	if (*e->after)
		kk_json_raw(j, e->after, strlen(e->after));
	else
		kk_json_null(j);
	kk_json_obj_close(j);
	return 0;
}

/* ?since=DATE&limit=N into q; replies 400 on a bad value. */
int kk_web_audit_query(struct kk_req *r, struct kk_audit_query *q)
{
	memset(q, 0, sizeof(*q));
	const char *since = kk_req_query(r, "since");
	if (since && *since && kk_time_parse(since, &q->since) < 0)
		return kk_req_fail(r, KK_EINVAL, "since",
		                   "since must be a date like 2026-01-31 or 2026-01-31T09:00:00Z");
	const char *limit = kk_req_query(r, "limit");
	q->limit = 100;
	if (limit && *limit) {
		char *end;
		long n = strtol(limit, &end, 10);
		if (*end || n < 1 || n > 1000)
			return kk_req_fail(r, KK_EINVAL, "limit", "limit must be a number from 1 to 1000");
		q->limit = (int)n;
	}
	return 0;
}

int api_audit_list(struct kk_req *r)
{
	struct kk_audit_query q;
	struct kk_json j;
	if (!kk_req_db_or_reply(r) || kk_web_audit_query(r, &q) < 0 || kk_api_list_open(r, &j, "entries") < 0)
		return KK_EINVAL;
	return kk_api_list_close(r, &j, kk_audit_list(r->db, &q, audit_row, &j));
}

/* ---- keeping the vulnerability database current ---- */

int api_admin_sync(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_json_obj_open(&j);
	kk_json_key(&j, "sources");
	int rc = kk_sync_status_json(r->db, &j);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

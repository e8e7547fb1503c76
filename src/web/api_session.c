/*
 * api_session.c — JSON sign-in/out and the signed-in user's own account:
 * /api/v1/session, /api/v1/me, /api/v1/me/password, /api/v1/me/tokens.
 */
#include "auth/auth.h"
#include "auth/policy.h"
#include "base/err.h"
#include "store/db.h"
#include "web/api.h"
#include "web/handlers.h"
#include "web/web.h"
#include <string.h>

void kk_api_person_fields(struct kk_json *j, int64_t id, const char *email, const char *name,
                          enum kk_role role, int64_t org_id, const char *org_name, enum kk_org_kind org_kind)
{
	kk_json_kv_int(j, "id", id);
	kk_json_kv_str(j, "email", email);
	kk_json_kv_str(j, "name", name);
	kk_json_kv_str(j, "role", kk_role_name(role));
	kk_json_key(j, "organization");
	if (org_id) {
		kk_json_obj_open(j);
		kk_json_kv_int(j, "id", org_id);
		kk_json_kv_str(j, "name", org_name);
		kk_json_kv_str(j, "kind", kk_org_kind_name(org_kind));
		kk_json_obj_close(j);
	} else
		kk_json_null(j);
}

void kk_api_actor_json(struct kk_json *j, const struct kk_actor *a)
{
	kk_json_obj_open(j);
	kk_api_person_fields(j, a->user_id, a->email, a->name, a->role, a->org_id, a->org_name, a->org_kind);
	kk_json_obj_close(j);
}

int kk_api_list_open(struct kk_req *r, struct kk_json *j, const char *key)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	kk_resp_json(r, 200, j);
	kk_json_obj_open(j);
	kk_json_key(j, key);
	kk_json_arr_open(j);
	return 0;
}

int kk_api_list_close(struct kk_req *r, struct kk_json *j, int rc)
{
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	kk_json_arr_close(j);
	kk_json_obj_close(j);
	return kk_api_done(r, j);
}

int kk_api_done(struct kk_req *r, struct kk_json *j)
{
	kk_buf_putc(&r->resp.body, '\n');
	return kk_json_error(j) ? kk_req_fail(r, kk_json_error(j), NULL, NULL) : 0;
}

int api_session_create(struct kk_req *r)
{
	struct kk_db *db = kk_req_db_or_reply(r);
	if (!db)
		return KK_EBUSY;
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	int rc = KK_EUNPROCESSABLE;
	const char *email = kk_req_jstr_or_reply(r, doc, "email", 1, KK_EMAIL_MAX);
	const char *password = email ? kk_req_jstr_or_reply(r, doc, "password", 1, KK_PASSWORD_MAX) : NULL;
	if (email && password) {
		struct kk_login in = {.email = email, .password = password, .address = r->client_addr};
		struct kk_session_new s;
		rc = kk_auth_login(db, &in, &s);
		if (rc == KK_EAUTH)
			kk_req_fail(r, rc, NULL, "wrong email or password");
		else if (rc == KK_ERATE) {
			kk_resp_header(r, "Retry-After",
			               kk_arena_printf(&r->arena, "%lld", (long long)s.retry_after));
			kk_req_fail(
			    r, rc, NULL,
			    "too many failed sign-ins for this account or address; wait and try again");
		}
		else if (rc < 0)
			kk_req_fail(r, rc, NULL, NULL);
		else {
			kk_web_session_cookie(r, s.token, (long)(s.expires_at - kk_clock_now()));
			struct kk_json j;
			kk_resp_json(r, 201, &j);
			kk_json_obj_open(&j);
			kk_json_key(&j, "user");
			kk_api_actor_json(&j, &s.actor);
			kk_json_kv_str(&j, "csrf", s.csrf);
			kk_json_kv_int(&j, "expires_at", s.expires_at);
			kk_json_obj_close(&j);
			rc = kk_api_done(r, &j);
		}
		memset(&s, 0, sizeof(s));
	}
	json_decref(doc);
	return rc;
}

struct session_end {
	const struct kk_actor *by;
	const char *token;
};

static int session_end_tx(struct kk_db *db, void *arg)
{
	struct session_end *e = arg;
	return kk_session_destroy(db, e->by, e->token);
}

/* Ends the session whose cookie came with r (if any) and clears the cookie. */
int kk_web_end_session(struct kk_req *r)
{
	const char *cookie = kk_req_cookie(r, KK_SESSION_COOKIE);
	if (cookie && *cookie && r->db) {
		struct session_end e = {&r->actor, cookie};
		int rc = kk_db_tx(r->db, session_end_tx, &e);
		if (rc < 0)
			return rc;
	}
	kk_web_session_cookie(r, "", 0);
	return 0;
}

int api_session_delete(struct kk_req *r)
{
	if (!r->via_cookie)
		return kk_req_fail(r, KK_EINVAL, NULL,
		                   "no session cookie came with this request (API tokens are revoked with "
		                   "DELETE /api/v1/me/tokens/{id})");
	int rc = kk_web_end_session(r);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	r->resp.status = 204;
	return 0;
}

static struct kk_policy_obj self_obj(const struct kk_req *r)
{
	return (struct kk_policy_obj){.owner_user_id = r->actor.user_id, .org_id = r->actor.org_id};
}

int api_me(struct kk_req *r)
{
	struct kk_policy_obj o = self_obj(r);
	if (kk_req_allow_or_reply(r, KK_ACT_SELF_READ, &o) < 0)
		return KK_EPERM;
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	kk_json_obj_open(&j);
	kk_json_key(&j, "user");
	kk_api_actor_json(&j, &r->actor);
	if (r->via_cookie)
		kk_json_kv_str(&j, "csrf", r->actor.csrf);
	kk_json_kv_str(&j, "auth", r->via_cookie ? "session" : "token");
	kk_json_obj_close(&j);
	return kk_api_done(r, &j);
}

struct pw_change {
	const struct kk_actor *by;
	char hash[KK_PASSWORD_HASH_MAX];
};

static int pw_change_tx(struct kk_db *db, void *arg)
{
	struct pw_change *p = arg;
	return kk_user_set_password(db, p->by, p->by->user_id, p->hash);
}

int kk_web_change_password(struct kk_req *r, const char *current, const char *fresh, const char **field,
                           struct kk_diag *d)
{
	*field = "current";
	int rc = kk_user_check_password(r->db, r->actor.user_id, current);
	if (rc < 0)
		return rc == KK_EAUTH
		           ? kk_diag_set(d, KK_EUNPROCESSABLE, "current", "the current password is wrong")
		           : rc;
	*field = "new";
	if ((rc = kk_password_check(fresh, d)) < 0)
		return KK_EUNPROCESSABLE;
	struct pw_change p = {.by = &r->actor};
	if ((rc = kk_password_hash(fresh, p.hash)) < 0)
		return rc;
	*field = NULL;
	rc = kk_db_tx(r->db, pw_change_tx, &p);
	memset(p.hash, 0, sizeof(p.hash));
	return rc;
}

int api_me_password(struct kk_req *r)
{
	struct kk_policy_obj o = self_obj(r);
	if (kk_req_allow_or_reply(r, KK_ACT_SELF_WRITE, &o) < 0 || !kk_req_db_or_reply(r))
		return KK_EPERM;
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	int rc = KK_EUNPROCESSABLE;
	const char *cur = kk_req_jstr_or_reply(r, doc, "current", 1, KK_PASSWORD_MAX);
	const char *fresh = cur ? kk_req_jstr_or_reply(r, doc, "new", 1, KK_PASSWORD_MAX) : NULL;
	if (cur && fresh) {
		struct kk_diag d;
		kk_diag_clear(&d);
		const char *field;
		rc = kk_web_change_password(r, cur, fresh, &field, &d);
		if (rc < 0)
			kk_req_fail(r, rc, field, "%s", d.msg[0] ? d.msg : kk_err_msg(rc));
		else
			r->resp.status = 204;
	}
	json_decref(doc);
	return rc;
}

static int token_json(void *arg, const struct kk_token_info *t)
{
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kk_json_kv_int(j, "id", t->id);
	kk_json_kv_str(j, "name", t->name);
	kk_json_kv_str(j, "prefix", t->prefix);
	kk_json_kv_int(j, "created_at", t->created_at);
	if (t->last_used)
		kk_json_kv_int(j, "last_used", t->last_used);
	else
		kk_json_kv_null(j, "last_used");
	if (t->revoked_at)
		kk_json_kv_int(j, "revoked_at", t->revoked_at);
	else
		kk_json_kv_null(j, "revoked_at");
	kk_json_obj_close(j);
	return 0;
}

int api_tokens_list(struct kk_req *r)
{
	struct kk_policy_obj o = self_obj(r);
	struct kk_json j;
	if (kk_req_allow_or_reply(r, KK_ACT_SELF_READ, &o) < 0 || kk_api_list_open(r, &j, "tokens") < 0)
		return KK_EPERM;
	return kk_api_list_close(r, &j, kk_token_list(r->db, r->actor.user_id, token_json, &j));
}

struct token_new {
	const struct kk_actor *by;
	const char *name;
	char secret[KK_API_TOKEN_MAX];
	int64_t id;
};

static int token_new_tx(struct kk_db *db, void *arg)
{
	struct token_new *t = arg;
	return kk_token_create(db, t->by, t->by->user_id, t->name, t->secret, &t->id);
}

int kk_web_token_create(struct kk_req *r, const char *name, char secret[KK_API_TOKEN_MAX], int64_t *id)
{
	struct token_new t = {.by = &r->actor, .name = name};
	int rc = kk_db_tx(r->db, token_new_tx, &t);
	if (rc == 0) {
		memcpy(secret, t.secret, KK_API_TOKEN_MAX);
		*id = t.id;
	}
	memset(t.secret, 0, sizeof(t.secret));
	return rc;
}

int api_tokens_create(struct kk_req *r)
{
	struct kk_policy_obj o = self_obj(r);
	if (kk_req_allow_or_reply(r, KK_ACT_TOKEN_MANAGE, &o) < 0 || !kk_req_db_or_reply(r))
		return KK_EPERM;
	json_t *doc = kk_req_json_or_reply(r);
	if (!doc)
		return KK_EPARSE;
	int rc = KK_EUNPROCESSABLE;
	const char *name = kk_req_jstr_or_reply(r, doc, "name", 1, KK_NAME_MAX);
	if (name) {
		char secret[KK_API_TOKEN_MAX];
		int64_t id = 0;
		rc = kk_web_token_create(r, name, secret, &id);
		if (rc < 0)
			kk_req_fail(r, rc, "name", NULL);
		else {
			struct kk_json j;
			kk_resp_json(r, 201, &j);
			kk_json_obj_open(&j);
			kk_json_kv_int(&j, "id", id);
			kk_json_kv_str(&j, "name", name);
			kk_json_kv_str(&j, "token", secret);
			kk_json_kv_str(&j, "note", "shown only in this answer: store it now");
			kk_json_obj_close(&j);
			rc = kk_api_done(r, &j);
		}
		memset(secret, 0, sizeof(secret));
	}
	json_decref(doc);
	return rc;
}

struct token_rev {
	const struct kk_actor *by;
	int64_t id;
};

static int token_rev_tx(struct kk_db *db, void *arg)
{
	struct token_rev *t = arg;
	return kk_token_revoke(db, t->by, t->by->user_id, t->id);
}

int kk_web_token_revoke(struct kk_req *r, int64_t id)
{
	struct kk_policy_obj o = self_obj(r);
	if (!kk_policy_allow(&r->actor, KK_ACT_TOKEN_MANAGE, &o))
		return KK_EPERM;
	struct token_rev t = {&r->actor, id};
	return kk_db_tx(r->db, token_rev_tx, &t);
}

int api_tokens_revoke(struct kk_req *r)
{
	int64_t id = 0;
	if (kk_req_id_or_reply(r, "id", &id) < 0 || !kk_req_db_or_reply(r))
		return KK_ENOTFOUND;
	int rc = kk_web_token_revoke(r, id);
	if (rc < 0)
		return kk_req_fail(r, rc, "id",
		                   rc == KK_ENOTFOUND ? "you have no active API token %lld" : NULL,
		                   (long long)id);
	r->resp.status = 204;
	return 0;
}

/*
 * api.h — helpers shared by the JSON handlers and the pages that do the
 * same work (sign-out, password change, tokens). Each returns 0 or a
 * negative KK_E* code and does NOT write an answer: the caller decides
 * between JSON and HTML.
 */
#ifndef KK_WEB_API_H
#define KK_WEB_API_H
#include "auth/auth.h"
#include "base/clock.h"
#include "base/json.h"
#include "web/req.h"

/* {"id","email","name","role","organization":{id,name,kind}|null} */
void kk_api_actor_json(struct kk_json *j, const struct kk_actor *a);
void kk_api_user_json(struct kk_json *j, const struct kk_user *u);
/* The fields the two above share (inside an object the caller opened). */
void kk_api_person_fields(struct kk_json *j, int64_t id, const char *email, const char *name,
                          enum kk_role role, int64_t org_id, const char *org_name, enum kk_org_kind org_kind);
/* A list answer {"KEY":[...]}: open replies 503 without a database; close
 * takes the walk's result and replies its error, or ends the answer. */
int kk_api_list_open(struct kk_req *r, struct kk_json *j, const char *key);
int kk_api_list_close(struct kk_req *r, struct kk_json *j, int rc);
/* Ends a JSON answer (newline; a 500 if the writer failed). */
int kk_api_done(struct kk_req *r, struct kk_json *j);

/* Ends the request's session (if a cookie came) and clears the cookie. */
int kk_web_end_session(struct kk_req *r);
/* Checks `current`, validates `fresh`, stores its hash. On failure *field names the culprit and d says why.
 */
int kk_web_change_password(struct kk_req *r, const char *current, const char *fresh, const char **field,
                           struct kk_diag *d);
/* Creates an API token for the actor; the secret is written to `secret` (show it once). */
int kk_web_token_create(struct kk_req *r, const char *name, char secret[KK_API_TOKEN_MAX], int64_t *id);
/* Revokes one of the actor's tokens (object-level policy check included). */
int kk_web_token_revoke(struct kk_req *r, int64_t id);

/* Admin work shared by API and pages. */
struct kk_web_user_form {
	const char *email, *name, *role, *org, *password; /* org: id as text or name; may be NULL/"" */
};
int kk_web_user_create(struct kk_req *r, const struct kk_web_user_form *f, int64_t *id, struct kk_diag *d);
int kk_web_org_create(struct kk_req *r, const char *name, const char *kind, int64_t *id, struct kk_diag *d);

struct kk_audit_query;
/* Fills q from ?since= and ?limit=; replies 400 and returns < 0 on a bad value. */
int kk_web_audit_query(struct kk_req *r, struct kk_audit_query *q);

#endif

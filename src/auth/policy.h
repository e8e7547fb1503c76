/*
 * policy.h — the ONE place that decides who may do what.
 *
 * Every handler (web route, API call, page) names an action from
 * auth/actions.def and asks kk_policy_allow() before it reads or writes.
 * The answer comes from one table, action x role, in policy.c; each cell
 * is one of
 *
 *   DENY   never
 *   ALLOW  always
 *   OWN    only on objects the actor owns (obj->owner_user_id == a->user_id)
 *   ORG    only on objects of the actor's organization (obj->org_id == a->org_id != 0)
 *   OWN|ORG either
 *
 * Two-level use. With obj == NULL the question is "may this actor use this
 * action at all?" — the router's gate for a route: OWN and ORG cells answer
 * yes (a signed-in user may read *their own* account), DENY no. A handler
 * that then touches a particular object (another user's record, a token,
 * later a case) MUST ask again with obj filled in. A route about the actor
 * itself (/api/v1/me) passes obj with owner_user_id = a->user_id.
 *
 * The CLI's system actor (kk_actor_system) has role admin and is treated as
 * one. Disabled users never become actors (auth.c refuses them), so the
 * policy does not look at that.
 *
 * Later issues add object fields (case id, embargo, the actor's
 * participation) to struct kk_policy_obj and actions with their rules.
 */
#ifndef KK_AUTH_POLICY_H
#define KK_AUTH_POLICY_H
#include "auth/auth.h"
#include <stdbool.h>
#include <stdint.h>

enum kk_action {
#define X(name, desc) KK_ACT_##name,
#include "auth/actions.def"
#undef X
	KK_ACT__COUNT
};

/* What the action is done to. Zero fields mean "unknown / none". */
struct kk_policy_obj {
	int64_t owner_user_id; /* the user the object belongs to (a user record: its own id) */
	int64_t org_id;	       /* the organization the object belongs to (a user: their org) */
};

/* True when actor a may do act on obj (obj NULL: route-level gate, see above). a NULL = public. */
bool kk_policy_allow(const struct kk_actor *a, enum kk_action act, const struct kk_policy_obj *obj);
/*
 * The same as an error code for handlers: 0 when allowed; KK_EAUTH (401)
 * when denied to the anonymous public (signing in might help); KK_EPERM
 * (403) when denied to a signed-in actor.
 */
int kk_policy_check(const struct kk_actor *a, enum kk_action act, const struct kk_policy_obj *obj);

/* "user_admin" (lower-case row name); "?" when out of range. */
const char *kk_action_name(enum kk_action act);
/* The row's description. */
const char *kk_action_desc(enum kk_action act);
/* Parses "user_admin" or "USER_ADMIN": 0 or KK_EINVAL. */
int kk_action_parse(const char *s, enum kk_action *out);

#endif

/*
 * policy.c — the table of who may do what (action x role) and the one
 * function that reads it. See policy.h for the meaning of each cell.
 */
#include "auth/policy.h"
#include "base/str.h"
#include <pthread.h>
#include <string.h>

enum { UNSET = 0, DENY = 1, ALLOW = 2, OWN = 4, ORG = 8 };

/*
 * Columns: public admin receiver coordinator vendor operator reporter infrastructure.
 * A cell left out is UNSET (denied, and reported by tests/unit/u-policy.c).
 */
#define ROW(pub, adm, rcv, crd, vnd, opr, rep, inf)                                                          \
	{                                                                                                    \
		[KK_ROLE_PUBLIC] = pub, [KK_ROLE_ADMIN] = adm, [KK_ROLE_RECEIVER] = rcv,                     \
		[KK_ROLE_COORDINATOR] = crd, [KK_ROLE_VENDOR] = vnd, [KK_ROLE_OPERATOR] = opr,               \
		[KK_ROLE_REPORTER] = rep, [KK_ROLE_INFRASTRUCTURE] = inf                                     \
	}

static const unsigned char rules[KK_ACT__COUNT][KK_ROLE__COUNT] = {
	/*                       public admin  receiver coord  vendor operator reporter infra */
	[KK_ACT_PUBLIC] = ROW(ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW),
	[KK_ACT_SIGNED_IN] = ROW(DENY, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW),
	[KK_ACT_SELF_READ] = ROW(DENY, OWN, OWN, OWN, OWN, OWN, OWN, OWN),
	[KK_ACT_SELF_WRITE] = ROW(DENY, OWN, OWN, OWN, OWN, OWN, OWN, OWN),
	[KK_ACT_TOKEN_MANAGE] = ROW(DENY, ALLOW, OWN, OWN, OWN, OWN, OWN, OWN),
	[KK_ACT_USER_READ] = ROW(DENY, ALLOW, ALLOW, ALLOW, ORG | OWN, ORG | OWN, OWN, ORG | OWN),
	[KK_ACT_USER_ADMIN] = ROW(DENY, ALLOW, DENY, DENY, DENY, DENY, DENY, DENY),
	[KK_ACT_ORG_READ] = ROW(DENY, ALLOW, ALLOW, ALLOW, ORG, ORG, ORG, ORG),
	[KK_ACT_ORG_ADMIN] = ROW(DENY, ALLOW, DENY, DENY, DENY, DENY, DENY, DENY),
	[KK_ACT_AUDIT_READ] = ROW(DENY, ALLOW, DENY, DENY, DENY, DENY, DENY, DENY),
	[KK_ACT_METRICS_READ] = ROW(DENY, ALLOW, DENY, DENY, DENY, DENY, DENY, DENY),
	[KK_ACT_REPORT_SUBMIT] = ROW(ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW),
	[KK_ACT_REPORT_TRIAGE] = ROW(DENY, ALLOW, ALLOW, DENY, DENY, DENY, DENY, DENY),
	[KK_ACT_FINDER_REVEAL] = ROW(DENY, ALLOW, ALLOW, DENY, DENY, DENY, DENY, DENY),
	[KK_ACT_CASE_READ] = ROW(DENY, ALLOW, ALLOW, ALLOW, ORG, DENY, DENY, DENY),
	[KK_ACT_CASE_DETAILS_READ] = ROW(DENY, ALLOW, ALLOW, ALLOW, ORG, DENY, DENY, DENY),
	[KK_ACT_CASE_RESPOND] = ROW(DENY, ALLOW, DENY, ALLOW, ORG, DENY, DENY, DENY),
	[KK_ACT_CASE_COORDINATE] = ROW(DENY, ALLOW, DENY, ALLOW, DENY, DENY, DENY, DENY),
	[KK_ACT_INFRA_PORTAL] = ROW(DENY, ALLOW, DENY, DENY, DENY, DENY, DENY, ORG),
	[KK_ACT_WEBSITE_HANDLE] = ROW(DENY, ALLOW, ALLOW, DENY, DENY, DENY, DENY, DENY),
	[KK_ACT_WEBSITE_OPERATE] = ROW(DENY, ALLOW, DENY, DENY, DENY, ORG, DENY, DENY),
	[KK_ACT_WEBSITE_LINK] = ROW(ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW),
	[KK_ACT_VENDOR_DIR_READ] = ROW(DENY, ALLOW, ALLOW, ALLOW, DENY, DENY, DENY, DENY),
	[KK_ACT_VENDOR_DIR_ADMIN] = ROW(DENY, ALLOW, DENY, ALLOW, DENY, DENY, DENY, DENY),
	[KK_ACT_VENDOR_PROFILE] = ROW(DENY, ALLOW, DENY, ALLOW, ORG, DENY, DENY, DENY),
	[KK_ACT_ADVISORY_EDIT] = ROW(DENY, ALLOW, DENY, ALLOW, DENY, DENY, DENY, DENY),
	[KK_ACT_ADVISORY_PUBLISH] = ROW(DENY, ALLOW, DENY, ALLOW, DENY, DENY, DENY, DENY),
	[KK_ACT_VERSION_CHECK] = ROW(ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW),
	/* an organization's software is its own business: staff roles too see only theirs (admins run the system) */
	[KK_ACT_WATCH_READ] = ROW(DENY, ALLOW, OWN | ORG, OWN | ORG, OWN | ORG, OWN | ORG, OWN | ORG, OWN | ORG),
	[KK_ACT_WATCH_WRITE] = ROW(DENY, ALLOW, OWN | ORG, OWN | ORG, OWN | ORG, OWN | ORG, OWN | ORG, OWN | ORG),
	/* V.2 (6): the receiving organization or the coordinator pre-notifies */
	[KK_ACT_CASE_PRENOTIFY] = ROW(DENY, ALLOW, ALLOW, ALLOW, DENY, DENY, DENY, DENY),
	/* incident handling is the coordinators' work (receivers take reports in); nothing of it is public but the figures */
	[KK_ACT_INCIDENT_REPORT] = ROW(ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW),
	[KK_ACT_INCIDENT_HANDLE] = ROW(DENY, ALLOW, ALLOW, ALLOW, DENY, DENY, DENY, DENY),
	[KK_ACT_INCIDENT_REVEAL] = ROW(DENY, ALLOW, DENY, ALLOW, DENY, DENY, DENY, DENY),
	[KK_ACT_SYNC_ADMIN] = ROW(DENY, ALLOW, DENY, DENY, DENY, DENY, DENY, DENY),
};

bool kk_policy_allow(const struct kk_actor *a, enum kk_action act, const struct kk_policy_obj *obj)
{
	if (!a)
		a = &kk_actor_public;
	if ((unsigned)act >= KK_ACT__COUNT || (unsigned)a->role >= KK_ROLE__COUNT)
		return false;
	unsigned cell = rules[act][a->role];
	if (cell & ALLOW)
		return true;
	if (!(cell & (OWN | ORG)))
		return false; /* DENY or UNSET */
	if (a->role == KK_ROLE_PUBLIC || (!a->user_id && !a->system))
		return false; /* owner rules need someone to own things */
	if (!obj)
		return true; /* route-level gate: the handler asks again with the object */
	if ((cell & OWN) && obj->owner_user_id && obj->owner_user_id == a->user_id)
		return true;
	if ((cell & ORG) && obj->org_id && obj->org_id == a->org_id)
		return true;
	return false;
}

int kk_policy_check(const struct kk_actor *a, enum kk_action act, const struct kk_policy_obj *obj)
{
	if (kk_policy_allow(a, act, obj))
		return 0;
	return kk_actor_signed_in(a) ? KK_EPERM : KK_EAUTH;
}

static const char *const action_names[] = {
#define X(name, desc) #name,
#include "auth/actions.def"
#undef X
};
static const char *const action_descs[] = {
#define X(name, desc) desc,
#include "auth/actions.def"
#undef X
};

static char lower_names[KK_ACT__COUNT][32];
static pthread_once_t lower_once = PTHREAD_ONCE_INIT;

static void make_lower(void)
{
	for (int a = 0; a < KK_ACT__COUNT; a++)
		for (size_t i = 0; action_names[a][i] && i < sizeof(lower_names[a]) - 1; i++) {
			char c = action_names[a][i];
			lower_names[a][i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
}

const char *kk_action_name(enum kk_action act)
{
	if ((unsigned)act >= KK_ACT__COUNT)
		return "?";
	pthread_once(&lower_once, make_lower);
	return lower_names[act];
}

const char *kk_action_desc(enum kk_action act)
{
	return (unsigned)act < KK_ACT__COUNT ? action_descs[act] : "?";
}

int kk_action_parse(const char *s, enum kk_action *out)
{
	for (int i = 0; s && i < KK_ACT__COUNT; i++)
		if (kk_str_ieq(s, action_names[i])) {
			*out = (enum kk_action)i;
			return 0;
		}
	return KK_EINVAL;
}

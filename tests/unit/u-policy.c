/*
 * u-policy.c — walks every action x every role x four kinds of object
 * against a matrix written here, independently of policy.c's table.
 */
#include "testutil.h"
#include "auth/auth.h"
#include "auth/policy.h"
#include <stdio.h>
#include <string.h>

/*
 * Expected cells: A allow, - deny, O own objects only, G own organization's
 * objects only, B own objects or own organization's.
 * Role columns:  public admin receiver coordinator vendor operator reporter infrastructure
 */
static const struct {
	const char *action;
	const char cells[9];
} expected[] = {
	{"public", "AAAAAAAA"},
	{"signed_in", "-AAAAAAA"},
	{"self_read", "-OOOOOOO"},
	{"self_write", "-OOOOOOO"},
	{"token_manage", "-AOOOOOO"},
	{"user_read", "-AAABBOB"},
	{"user_admin", "-A------"},
	{"org_read", "-AAAGGGG"},
	{"org_admin", "-A------"},
	{"audit_read", "-A------"},
	{"metrics_read", "-A------"},
	{"report_submit", "AAAAAAAA"},
	{"report_triage", "-AA-----"},
	{"finder_reveal", "-AA-----"},
	{"case_read", "-AAAG---"},
	{"case_details_read", "-AAAG---"},
	{"case_respond", "-A-AG---"},
	{"case_coordinate", "-A-A----"},
	{"infra_portal", "-A-----G"},
	{"website_handle", "-AA-----"},
	{"website_operate", "-A---G--"},
	{"website_link", "AAAAAAAA"},
	{"vendor_dir_read", "-AAA----"},
	{"vendor_dir_admin", "-A-A----"},
	{"vendor_profile", "-A-AG---"},
	{"advisory_edit", "-A-A----"},
	{"advisory_publish", "-A-A----"},
	{"version_check", "AAAAAAAA"},
	{"watch_read", "-ABBBBBB"},
	{"watch_write", "-ABBBBBB"},
	{"case_prenotify", "-AAA----"},
	{"incident_report", "AAAAAAAA"},
	{"incident_handle", "-AAA----"},
	{"incident_reveal", "-A-A----"},
	{"sync_admin", "-A------"},
};

static const char *const role_order[] = {"public", "admin",    "receiver", "coordinator",
					 "vendor", "operator", "reporter", "infrastructure"};

#define ME 10
#define MY_ORG 20

static struct kk_actor actor_for(enum kk_role r)
{
	struct kk_actor a = kk_actor_public;
	if (r != KK_ROLE_PUBLIC) {
		a.role = r;
		a.user_id = ME;
		a.org_id = MY_ORG;
		snprintf(a.label, sizeof(a.label), "user:%s@example.org", kk_role_name(r));
	}
	return a;
}

/* The objects every cell is tried on, and what each cell letter allows on them. */
static const struct kk_policy_obj own = {ME, 0}, colleague = {99, MY_ORG}, stranger = {99, 30},
				  own_in_org = {ME, MY_ORG};

static bool expect(char cell, const struct kk_policy_obj *o, bool signed_in)
{
	switch (cell) {
	case 'A':
		return true;
	case '-':
		return false;
	case 'O':
		return signed_in && (!o || o->owner_user_id == ME);
	case 'G':
		return signed_in && (!o || o->org_id == MY_ORG);
	case 'B':
		return signed_in && (!o || o->owner_user_id == ME || o->org_id == MY_ORG);
	}
	fail_msg("bad cell letter '%c'", cell);
	return false;
}

static void test_matrix(void **state)
{
	(void)state;
	assert_int_equal(sizeof(expected) / sizeof(expected[0]), KK_ACT__COUNT);
	assert_int_equal(sizeof(role_order) / sizeof(role_order[0]), KK_ROLE__COUNT);
	const struct kk_policy_obj *objs[] = {NULL, &own, &colleague, &stranger, &own_in_org};
	const char *obj_names[] = {"no object", "own", "colleague's", "stranger's", "own (in org)"};
	int checked = 0, wrong = 0;
	for (int ai = 0; ai < KK_ACT__COUNT; ai++) {
		enum kk_action act;
		assert_int_equal(kk_action_parse(expected[ai].action, &act), 0);
		assert_string_equal(kk_action_name(act), expected[ai].action);
		assert_true(strlen(kk_action_desc(act)) > 10);
		for (int ri = 0; ri < KK_ROLE__COUNT; ri++) {
			enum kk_role role;
			if (ri == 0)
				role = KK_ROLE_PUBLIC;
			else
				assert_int_equal(kk_role_parse(role_order[ri], &role), 0);
			assert_string_equal(kk_role_name(role), role_order[ri]);
			struct kk_actor a = actor_for(role);
			for (size_t oi = 0; oi < sizeof(objs) / sizeof(objs[0]); oi++) {
				bool want = expect(expected[ai].cells[ri], objs[oi], ri != 0);
				bool got = kk_policy_allow(&a, act, objs[oi]);
				checked++;
				if (got != want) {
					wrong++;
					print_error("policy: %s by %s on %s object: expected %s got %s\n",
						    expected[ai].action, role_order[ri], obj_names[oi],
						    want ? "allow" : "deny", got ? "allow" : "deny");
				}
				/* the error form agrees: 401 for the public, 403 for others */
				int rc = kk_policy_check(&a, act, objs[oi]);
				assert_int_equal(rc, want ? 0 : ri == 0 ? KK_EAUTH : KK_EPERM);
			}
		}
	}
	assert_int_equal(wrong, 0);
	assert_int_equal(checked, KK_ACT__COUNT * KK_ROLE__COUNT * 5);
}

static void test_edges(void **state)
{
	(void)state;
	/* NULL actor is the public */
	assert_true(kk_policy_allow(NULL, KK_ACT_PUBLIC, NULL));
	assert_false(kk_policy_allow(NULL, KK_ACT_SELF_READ, NULL));
	assert_int_equal(kk_policy_check(NULL, KK_ACT_USER_ADMIN, NULL), KK_EAUTH);
	/* out-of-range action or role: denied */
	struct kk_actor a = actor_for(KK_ROLE_ADMIN);
	assert_false(kk_policy_allow(&a, KK_ACT__COUNT, NULL));
	assert_false(kk_policy_allow(&a, (enum kk_action)-1, NULL));
	a.role = KK_ROLE__COUNT;
	assert_false(kk_policy_allow(&a, KK_ACT_PUBLIC, NULL));
	/* an actor claiming a role but with no user id owns nothing */
	a = actor_for(KK_ROLE_VENDOR);
	a.user_id = 0;
	assert_false(kk_policy_allow(&a, KK_ACT_SELF_READ, NULL));
	/* org rules need a real organization on both sides */
	a = actor_for(KK_ROLE_VENDOR);
	a.org_id = 0;
	struct kk_policy_obj no_org = {99, 0};
	assert_false(kk_policy_allow(&a, KK_ACT_ORG_READ, &no_org));
	/* the CLI's system actor is an admin */
	struct kk_actor sys;
	kk_actor_system(&sys, "ops");
	assert_string_equal(sys.label, "cli:ops");
	assert_true(sys.system);
	for (int i = 0; i < KK_ACT__COUNT; i++)
		if (i != KK_ACT_SELF_READ && i != KK_ACT_SELF_WRITE)
			assert_true(kk_policy_allow(&sys, (enum kk_action)i, &own));
	enum kk_action act;
	assert_int_equal(kk_action_parse("USER_ADMIN", &act), 0);
	assert_int_equal(act, KK_ACT_USER_ADMIN);
	assert_int_equal(kk_action_parse("root", &act), KK_EINVAL);
	assert_string_equal(kk_action_name(KK_ACT__COUNT), "?");
	enum kk_role r;
	assert_int_equal(kk_role_parse("public", &r), KK_EINVAL); /* never stored on a user */
	assert_int_equal(kk_role_parse("Admin", &r), KK_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

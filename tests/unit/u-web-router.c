/* u-web-router.c — route matching, parameters, 405 with Allow, and the route table's sanity. */
#include "auth/policy.h"
#include "base/buf.h"
#include "base/err.h"
#include "testutil.h"
#include "web/router.h"
#include <string.h>

static int find(const char *method, const char *pattern)
{
	for (int i = 0; i < kk_route_count; i++)
		if (!strcmp(kk_routes[i].method, method) && !strcmp(kk_routes[i].pattern, pattern))
			return i;
	return -1;
}

static void test_match(void **state)
{
	(void)state;
	struct kk_route_match m;
	char allow[64];
	assert_int_equal(kk_router_match("GET", "/healthz", &m, allow, sizeof(allow)), 0);
	assert_int_equal(m.index, find("GET", "/healthz"));
	assert_int_equal(m.nparams, 0);
	assert_int_equal(kk_router_match("HEAD", "/healthz", &m, NULL, 0), 0);
	assert_int_equal(kk_router_match("DELETE", "/api/v1/me/tokens/42", &m, NULL, 0), 0);
	assert_int_equal(m.index, find("DELETE", "/api/v1/me/tokens/{id}"));
	assert_int_equal(m.nparams, 1);
	assert_memory_equal(m.params[0].name, "id", 2);
	assert_int_equal(m.params[0].name_len, 2);
	assert_int_equal(m.params[0].value_len, 2);
	assert_memory_equal(m.params[0].value, "42", 2);
	assert_int_equal(kk_router_match("POST", "/account/tokens/7/revoke", &m, NULL, 0), 0);
	assert_memory_equal(m.params[0].value, "7", 1);
}

static void test_no_match(void **state)
{
	(void)state;
	struct kk_route_match m;
	char allow[64];
	assert_int_equal(kk_router_match("GET", "/nope", &m, allow, sizeof(allow)), KK_ENOTFOUND);
	assert_int_equal(kk_router_match("GET", "/api/v1/me/tokens/", &m, NULL, 0),
	                 KK_ENOTFOUND); /* empty param */
	assert_int_equal(kk_router_match("GET", "/api/v1/me/tokens/1/x", &m, NULL, 0), KK_ENOTFOUND);
	assert_int_equal(kk_router_match("GET", "/healthz/", &m, NULL, 0), KK_ENOTFOUND);
	assert_int_equal(kk_router_match("PUT", "/api/v1/session", &m, allow, sizeof(allow)),
	                 KK_EUNSUPPORTED);
	assert_string_equal(allow, "POST, DELETE");
	assert_int_equal(kk_router_match("DELETE", "/healthz", &m, allow, sizeof(allow)), KK_EUNSUPPORTED);
	assert_string_equal(allow, "GET, HEAD");
}

static void test_table(void **state)
{
	(void)state;
	assert_true(kk_route_count > 20);
	for (int i = 0; i < kk_route_count; i++) {
		const struct kk_route *r = &kk_routes[i];
		assert_true(r->pattern[0] == '/');
		assert_true((int)r->perm >= 0 && r->perm < KK_ACT__COUNT);
		assert_non_null(r->fn);
		assert_true(strlen(r->summary) > 5);
		assert_int_equal(find(r->method, r->pattern), i); /* no duplicates */
		assert_true(!strcmp(r->method, "GET") || !strcmp(r->method, "POST") ||
		            !strcmp(r->method, "PUT") || !strcmp(r->method, "PATCH") ||
		            !strcmp(r->method, "DELETE"));
	}
	struct kk_buf b = KK_BUF_INIT(0);
	assert_int_equal(kk_router_markdown(&b), 0);
	assert_non_null(strstr(b.ptr, "| GET | `/api/v1/me` | self_read |"));
	kk_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_match),
	    cmocka_unit_test(test_no_match),
	    cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

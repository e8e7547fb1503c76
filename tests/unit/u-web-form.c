/* u-web-form.c — urlencoded form fields: lookup, %XX and '+' decoding, malformed escapes. */
#include "base/arena.h"
#include "testutil.h"
#include "web/req.h"
#include <string.h>

static const char *field(struct kk_arena *a, const char *body, const char *name)
{
	return kk_form_value(a, body, strlen(body), name);
}

static void test_form(void **state)
{
	(void)state;
	struct kk_arena a;
	kk_arena_init(&a, 1 << 20);
	const char *body = "email=a%40example.org&password=p+w%2Bx&csrf=&next=%2Faccount&x=%zz%4";
	assert_string_equal(field(&a, body, "email"), "a@example.org");
	assert_string_equal(field(&a, body, "password"), "p w+x");
	assert_string_equal(field(&a, body, "csrf"), "");
	assert_string_equal(field(&a, body, "next"), "/account");
	assert_string_equal(field(&a, body, "x"), "%zz%4"); /* malformed escapes kept as they are */
	assert_null(field(&a, body, "emai"));
	assert_null(field(&a, body, "mail"));
	assert_null(field(&a, "", "a"));
	assert_null(field(&a, "novalue&other", "novalue"));
	assert_string_equal(field(&a, "a=1&a=2", "a"), "1"); /* the first wins */
	assert_string_equal(field(&a, "n=%00z", "n"), "");   /* an encoded NUL ends the C string */
	/* the body need not be NUL-terminated */
	assert_string_equal(kk_form_value(&a, "k=abcdef", 5, "k"), "abc");
	kk_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* u-html.c — the escaping HTML builder: every runtime text is escaped. */
#include "testutil.h"
#include "web/html.h"
#include <string.h>

static void test_text_escapes(void **state)
{
	(void)state;
	struct kk_buf b = KK_BUF_INIT(0);
	kk_html_text(&b, "<script>alert(\"x\" & 'y')</script>");
	assert_string_equal(b.ptr, "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
	kk_buf_reset(&b);
	kk_html_text(&b, "日本語 ok");
	assert_string_equal(b.ptr, "日本語 ok");
	kk_buf_reset(&b);
	kk_html_text(&b, NULL);
	assert_string_equal(b.ptr, "");
	kk_buf_release(&b);
}

static void test_invalid_utf8_and_nul(void **state)
{
	(void)state;
	struct kk_buf b = KK_BUF_INIT(0);
	kk_html_textn(&b, "a\xC0\xAF<b\0c", 7); /* overlong '/' and an embedded NUL */
	assert_string_equal(b.ptr, "a\xEF\xBF\xBD\xEF\xBF\xBD&lt;b\xEF\xBF\xBD"
	                           "c");
	kk_buf_release(&b);
}

static void test_markup_and_attr(void **state)
{
	(void)state;
	struct kk_buf b = KK_BUF_INIT(0);
	KK_HTML(&b, "<input");
	KK_HTML_ATTR(&b, "value", "\" onfocus=\"alert(1)");
	KK_HTML(&b, ">");
	assert_string_equal(b.ptr, "<input value=\"&quot; onfocus=&quot;alert(1)\">");
	kk_buf_reset(&b);
	KK_HTML_ATTR(&b, "title", NULL);
	assert_string_equal(b.ptr, " title=\"\"");
	kk_buf_reset(&b);
	kk_html_textf(&b, "%s=%d", "<a>", 5);
	kk_html_int(&b, -42);
	assert_string_equal(b.ptr, "&lt;a&gt;=5-42");
	kk_buf_release(&b);
}

static void test_cap_is_sticky(void **state)
{
	(void)state;
	struct kk_buf b = KK_BUF_INIT(8);
	kk_html_text(&b, "<<<<"); /* 16 bytes escaped: over the cap */
	assert_int_not_equal(kk_buf_error(&b), 0);
	kk_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_text_escapes),
	    cmocka_unit_test(test_invalid_utf8_and_nul),
	    cmocka_unit_test(test_markup_and_attr),
	    cmocka_unit_test(test_cap_is_sticky),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* u-vulndb-xmlw.c — the XML writer of the JVNRSS/VULDEF output: escaping, characters XML forbids,
 * element nesting, and the JST dates JVN writes. */
#include "testutil.h"
#include "vulndb/jvnxml.h"
#include "vulndb/xmlw.h"
#include <string.h>

static void test_escape(void **state)
{
	(void)state;
	struct kk_buf b = KK_BUF_INIT(0);
	kk_xml_escape(&b, "a<b>&\"c\"\n", 10, false);
	assert_string_equal(b.ptr, "a&lt;b&gt;&amp;\"c\"\n");
	kk_buf_reset(&b);
	kk_xml_escape(&b, "a<b>&\"c\"\n\t", 11, true);
	assert_string_equal(b.ptr, "a&lt;b&gt;&amp;&quot;c&quot;&#10;&#9;");
	kk_buf_reset(&b);
	kk_xml_escape(&b, "暗号 ok", strlen("暗号 ok"), false);
	assert_string_equal(b.ptr, "暗号 ok");
	kk_buf_release(&b);
}

static void test_forbidden_characters(void **state)
{
	(void)state;
	struct kk_buf b = KK_BUF_INIT(0);
	/* C0 controls dropped (tab/newline/return kept); U+FFFE dropped; bad UTF-8 -> U+FFFD */
	const char in[] = "a\x01\x1f\tb\xef\xbf\xbe" "c\xc0\xaf" "d\xfc\x85" "e\xed\xa0\x80" "f\xf0\x9f\x98\x80";
	kk_xml_escape(&b, in, sizeof in - 1, false);
	assert_string_equal(b.ptr, "a\tbc\xef\xbf\xbd\xef\xbf\xbd"
	                           "d\xef\xbf\xbd\xef\xbf\xbd"
	                           "e\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	                           "f\xf0\x9f\x98\x80");
	kk_buf_release(&b);
}

static void test_elements(void **state)
{
	(void)state;
	struct kk_buf b = KK_BUF_INIT(0);
	struct kk_xmlw w;
	kk_xmlw_fragment(&w, &b);
	w.indent = false;
	kk_xmlw_open(&w, "a");
	kk_xmlw_attr(&w, "x", "1<2");
	kk_xmlw_attr(&w, "skipped", NULL);
	kk_xmlw_leaf(&w, "b", "t&u");
	kk_xmlw_leaf(&w, "c", "");
	kk_xmlw_leaf(&w, "d", NULL);
	kk_xmlw_open(&w, "e");
	kk_xmlw_attr_int(&w, "n", -42);
	kk_xmlw_close(&w);
	kk_xmlw_close(&w);
	assert_int_equal(kk_xmlw_finish(&w), 0);
	assert_string_equal(b.ptr, "<a x=\"1&lt;2\"><b>t&amp;u</b><c/><e n=\"-42\"/></a>\n");
	kk_buf_reset(&b);
	kk_xmlw_init(&w, &b);
	kk_xmlw_open(&w, "open");
	assert_int_equal(kk_xmlw_finish(&w), KK_EINVAL); /* an element left open */
	kk_buf_release(&b);
}

static void test_cap(void **state)
{
	(void)state;
	struct kk_buf b = KK_BUF_INIT(64);
	struct kk_xmlw w;
	kk_xmlw_init(&w, &b);
	kk_xmlw_open(&w, "root");
	for (int k = 0; k < 10; k++)
		kk_xmlw_leaf(&w, "item", "0123456789");
	kk_xmlw_close(&w);
	assert_int_equal(kk_xmlw_finish(&w), KK_ETOOBIG);
	kk_buf_release(&b);
}

static void test_jst(void **state)
{
	(void)state;
	char s[40];
	kk_time_w3c_jst(1743745558, s, sizeof s); /* 2025-04-04T05:45:58Z */
	assert_string_equal(s, "2025-04-04T14:45:58+09:00");
	kk_time_w3c_jst(1735657200, s, sizeof s); /* 2024-12-31T15:00:00Z: already the new year in Japan */
	assert_string_equal(s, "2025-01-01T00:00:00+09:00");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_forbidden_characters),
	    cmocka_unit_test(test_elements),
	    cmocka_unit_test(test_cap),
	    cmocka_unit_test(test_jst),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

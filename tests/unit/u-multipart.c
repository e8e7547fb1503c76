/*
 * u-multipart.c — the multipart/form-data parser (web/req.c): fields and files, quoting, paths
 * in file names, preamble and epilogue, binary data, and every malformed body refused.
 */
#include "testutil.h"
#include "base/arena.h"
#include "web/req.h"
#include <string.h>

static struct kk_arena a;

static int parse(const char *ct, const char *body, size_t n, struct kk_part **p, int *np)
{
	struct kk_diag d;
	kk_diag_clear(&d);
	return kk_multipart_parse(&a, ct, body, n, p, np, &d);
}

static void test_good(void **state)
{
	(void)state;
	kk_arena_init(&a, 1 << 20);
	static const char body[] = "preamble to ignore\r\n--XyZ\r\n"
	                           "Content-Disposition: form-data; name=\"key\"\r\n\r\n"
	                           "abc\r\n"
	                           "--XyZ\r\n"
	                           "content-disposition: form-data; name=\"files\"; filename=\"C:\\\\dir\\\\p\\\"q.txt\"\r\n"
	                           "Content-Type: text/plain\r\n\r\n"
	                           "line1\r\n--XyZx not a boundary\r\n\0bin\r\n"
	                           "--XyZ\r\n"
	                           "Content-Disposition: form-data; name=files; filename=\"\"\r\n\r\n"
	                           "\r\n--XyZ--\r\nepilogue";
	struct kk_part *p;
	int np;
	assert_int_equal(parse("multipart/form-data; boundary=XyZ", body, sizeof(body) - 1, &p, &np), 0);
	assert_int_equal(np, 3);
	assert_string_equal(p[0].name, "key");
	assert_null(p[0].filename);
	assert_int_equal(p[0].len, 3);
	assert_memory_equal(p[0].data, "abc", 3);
	assert_string_equal(p[1].name, "files");
	assert_string_equal(p[1].filename, "p\"q.txt"); /* the path dropped, the escape undone */
	assert_string_equal(p[1].type, "text/plain");
	static const char data1[] = "line1\r\n--XyZx not a boundary\r\n\0bin";
	assert_int_equal(p[1].len, sizeof(data1) - 1);
	assert_memory_equal(p[1].data, data1, sizeof(data1) - 1);
	assert_string_equal(p[2].filename, "");
	assert_int_equal(p[2].len, 0);
	/* a quoted boundary with spaces and ';', the first boundary at the very start */
	static const char q[] = "--a b;c\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--a b;c--";
	assert_int_equal(parse("Multipart/Form-Data; charset=utf-8; boundary=\"a b;c\"", q, sizeof(q) - 1, &p, &np), 0);
	assert_int_equal(np, 1);
	assert_memory_equal(p[0].data, "1", 1);
	kk_arena_release(&a);
}

static void test_bad(void **state)
{
	(void)state;
	kk_arena_init(&a, 1 << 20);
	static const struct {
		const char *ct, *body;
	} bad[] = {
	    {"multipart/form-data", "--x\r\n\r\n--x--"},                                        /* no boundary */
	    {"multipart/form-data; boundary=", "--\r\n"},                                        /* empty */
	    {"application/json; boundary=x", "--x\r\n"},                                         /* not multipart */
	    {"multipart/form-data; boundary=x", "no boundary here"},                             /* none in body */
	    {"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nopen"},
	    {"multipart/form-data; boundary=x", "--x\r\n\r\nno headers\r\n--x--"},               /* no name */
	    {"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: attachment; name=a\r\n\r\n\r\n--x--"},
	    {"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"a\r\n\r\n\r\n--x--"},
	    {"multipart/form-data; boundary=x", "--x\r\nno colon\r\n\r\n\r\n--x--"},
	    {"multipart/form-data; boundary=x", "--xjunk"},                                      /* no CRLF */
	    {"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n\r\n--x--"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kk_part *p;
		int np;
		if (parse(bad[i].ct, bad[i].body, strlen(bad[i].body), &p, &np) != KK_EPARSE)
			fail_msg("multipart-bad-%zu accepted", i);
	}
	/* too many parts, a header block too large */
	struct kk_buf b = KK_BUF_INIT(1 << 20);
	for (int i = 0; i <= KK_MULTIPART_MAX_PARTS; i++)
		kk_buf_printf(&b, "--x\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nv\r\n", i);
	kk_buf_printf(&b, "--x--");
	struct kk_part *p;
	int np;
	assert_int_equal(parse("multipart/form-data; boundary=x", b.ptr, b.len, &p, &np), KK_EPARSE);
	kk_buf_reset(&b);
	kk_buf_printf(&b, "--x\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: ");
	for (int i = 0; i < KK_MULTIPART_MAX_HEADER; i++)
		kk_buf_putc(&b, 'p');
	kk_buf_printf(&b, "\r\n\r\nv\r\n--x--");
	assert_int_equal(parse("multipart/form-data; boundary=x", b.ptr, b.len, &p, &np), KK_EPARSE);
	kk_buf_release(&b);
	kk_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_good), cmocka_unit_test(test_bad)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

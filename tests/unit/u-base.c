/* u-base.c — buffer, JSON writer, clock, UTF-8, errors, arena, alloc hook. */
#include "testutil.h"
#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "base/utf8.h"
#include <string.h>

static void test_buf(void **state)
{
	(void)state;
	struct kk_buf b = KK_BUF_INIT(16);
	assert_string_equal(b.ptr, "");
	assert_int_equal(kk_buf_puts(&b, "hello"), 0);
	assert_int_equal(kk_buf_printf(&b, " %d", 42), 0);
	assert_string_equal(b.ptr, "hello 42");
	assert_int_equal(kk_buf_puts(&b, " and much more"), KK_ETOOBIG);
	assert_string_equal(b.ptr, "hello 42"); /* unchanged */
	assert_int_equal(kk_buf_puts(&b, "x"), KK_ETOOBIG); /* sticky */
	kk_buf_reset(&b);
	assert_int_equal(kk_buf_puts(&b, "x"), 0);
	size_t n;
	char *s = kk_buf_detach(&b, &n);
	assert_string_equal(s, "x");
	assert_int_equal(n, 1);
	assert_int_equal(b.len, 0);
	kk_free(s);
	struct kk_buf big = KK_BUF_INIT(0);
	for (int i = 0; i < 1000; i++)
		kk_buf_printf(&big, "%04d", i);
	assert_int_equal(big.len, 4000);
	assert_memory_equal(big.ptr + 3996, "0999", 4);
	kk_buf_release(&big);
}

static void test_buf_nomem(void **state)
{
	(void)state;
	struct kk_buf b = KK_BUF_INIT(0);
	kk_alloc_fail_after(0);
	assert_int_equal(kk_buf_puts(&b, "abc"), KK_ENOMEM);
	kk_alloc_fail_after(-1);
	assert_int_equal(kk_buf_error(&b), KK_ENOMEM);
	kk_buf_release(&b);
}

static void test_i64s(void **state)
{
	(void)state;
	struct kk_i64s a = {0};
	for (int64_t i = 0; i < 200; i++)
		assert_int_equal(kk_i64s_push(&a, i * 3), 0);
	assert_int_equal(a.n, 200);
	assert_true(a.cap >= 200);
	assert_int_equal(a.v[0], 0);
	assert_int_equal(a.v[199], 597);
	/* a failed growth leaves the array as it was */
	while (a.n < a.cap)
		assert_int_equal(kk_i64s_push(&a, 1), 0);
	size_t n = a.n;
	kk_alloc_fail_after(0);
	assert_int_equal(kk_i64s_push(&a, 7), KK_ENOMEM);
	kk_alloc_fail_after(-1);
	assert_int_equal(a.n, n);
	assert_int_equal(a.v[n - 1], 1);
	kk_i64s_release(&a);
	assert_null(a.v);
	assert_int_equal(a.n, 0);
}

static void test_json(void **state)
{
	(void)state;
	struct kk_buf b = KK_BUF_INIT(0);
	struct kk_json j;
	kk_json_init(&j, &b);
	kk_json_obj_open(&j);
	kk_json_kv_str(&j, "a", "x\"y\\z\n<b>");
	kk_json_kv_int(&j, "n", -5);
	kk_json_key(&j, "list");
	kk_json_arr_open(&j);
	kk_json_fixed(&j, 9.8, 1);
	kk_json_double(&j, 0.1);
	kk_json_null(&j);
	kk_json_bool(&j, true);
	kk_json_str(&j, "\xe8\xad\xa6\xe6\x88\x92"); /* 警戒 */
	kk_json_strn(&j, "bad\xff", 4);
	kk_json_arr_close(&j);
	kk_json_kv_str(&j, "nil", NULL);
	kk_json_obj_close(&j);
	assert_int_equal(kk_json_error(&j), 0);
	assert_string_equal(b.ptr, "{\"a\":\"x\\\"y\\\\z\\n\\u003cb\\u003e\",\"n\":-5,"
				   "\"list\":[9.8,0.1,null,true,\"\xe8\xad\xa6\xe6\x88\x92\",\"bad\\ufffd\"],"
				   "\"nil\":null}");
	kk_buf_release(&b);
}

static void test_json_misuse(void **state)
{
	(void)state;
	struct kk_buf b = KK_BUF_INIT(0);
	struct kk_json j;
	kk_json_init(&j, &b);
	kk_json_obj_close(&j);
	assert_int_equal(kk_json_error(&j), KK_EINVAL);
	kk_buf_release(&b);
}

static void test_clock(void **state)
{
	(void)state;
	int64_t t;
	assert_int_equal(kk_time_parse("1970-01-01", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(kk_time_parse("2026-11-22T09:30:00+09:00", &t), 0);
	char iso[32];
	kk_time_iso(t, iso, sizeof(iso));
	assert_string_equal(iso, "2026-11-22T00:30:00Z");
	kk_time_jst(t, iso, sizeof(iso));
	assert_string_equal(iso, "2026-11-22 09:30 JST");
	/* months on the calendar in Japan: 2026-11-30 05:00 JST (11-29 in UTC) + 3 -> 2027-02-28 05:00 JST */
	int64_t a, b;
	assert_int_equal(kk_time_parse("2026-11-29T20:00:00Z", &a), 0);
	assert_int_equal(kk_time_parse("2027-02-27T20:00:00Z", &b), 0);
	assert_int_equal(kk_time_add_months_jst(a, 3), b);
	assert_int_equal(kk_time_parse("2027-01-30T16:00:00Z", &a), 0); /* 01-31 01:00 JST */
	assert_int_equal(kk_time_parse("2027-04-29T16:00:00Z", &b), 0); /* 04-30 01:00 JST */
	assert_int_equal(kk_time_add_months_jst(a, 3), b);
	assert_int_equal(kk_time_parse("2027-12-31T00:00:00Z", &a), 0);
	assert_int_equal(kk_time_parse("2028-02-29T00:00:00Z", &b), 0);
	assert_int_equal(kk_time_add_months_jst(a, 2), b);
	assert_int_equal(kk_time_add_months_jst(b, -2), kk_time_add_months_jst(a, 0) - 2 * 86400);
	assert_int_equal(kk_time_parse("2024-02-29T00:00:00.123Z", &t), 0);
	assert_int_equal(kk_time_parse("2023-02-29", &t), KK_EPARSE);
	assert_int_equal(kk_time_parse("2023-13-01", &t), KK_EPARSE);
	assert_int_equal(kk_time_parse("yesterday", &t), KK_EPARSE);
	kk_clock_pin(1000);
	assert_int_equal(kk_clock_now(), 1000);
	kk_clock_pin(-1);
	assert_true(kk_clock_now() > 1700000000);
}

/* kk_time_parse_jst: what a person in Japan means; every row input, hour, expected UTC (or "" for an error). */
static void test_clock_jst(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int hour;
		const char *utc;
	} rows[] = {
		{"2026-12-24", 11, "2026-12-24T02:00:00Z"},	   /* a date: that day at 11:00 JST */
		{"2026-12-24", 0, "2026-12-23T15:00:00Z"},	   /* midnight in Japan */
		{"2027-01-01", 8, "2026-12-31T23:00:00Z"},	   /* the day before in UTC */
		{"2026-12-24T11:00", 0, "2026-12-24T02:00:00Z"},   /* a time without a zone is JST */
		{"2026-12-24 11:00:30", 0, "2026-12-24T02:00:30Z"}, /* a space instead of T */
		{"2026-12-24T11:00Z", 0, "2026-12-24T11:00:00Z"},  /* a zone is taken as given */
		{"2026-12-24T11:00:00+09:00", 0, "2026-12-24T02:00:00Z"},
		{"2026-12-24T11:00:00-05:00", 0, "2026-12-24T16:00:00Z"},
		{"1798070400", 11, "2026-12-24T00:00:00Z"}, /* epoch seconds */
		{"2026-12-24", 24, ""},
		{"2026-02-30", 11, ""},
		{"2026-12-24T25:00", 0, ""},
		{"24/12/2026", 11, ""},
		{"", 11, ""},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int64_t t = 0;
		int rc = kk_time_parse_jst(rows[i].in, rows[i].hour, &t);
		char got[40] = "";
		if (!rc)
			kk_time_iso(t, got, sizeof(got));
		if (strcmp(got, rows[i].utc))
			fail_msg("time-jst-%zu: '%s' (hour %d): expected '%s' got '%s'", i + 1, rows[i].in, rows[i].hour,
				 rows[i].utc, got);
	}
}

static void test_utf8(void **state)
{
	(void)state;
	assert_true(kk_utf8_valid("abc", 3));
	assert_true(kk_utf8_valid("\xe8\xad\xa6", 3));
	assert_false(kk_utf8_valid("\xc0\xaf", 2));	/* overlong */
	assert_false(kk_utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
	assert_false(kk_utf8_valid("\xe8\xad", 2));	/* cut */
	assert_false(kk_utf8_valid("\xf4\x90\x80\x80", 4));
}

static void test_err(void **state)
{
	(void)state;
	assert_string_equal(kk_err_code(KK_ENOTFOUND), "not_found");
	assert_int_equal(kk_err_http(KK_ENOTFOUND), 404);
	assert_int_equal(kk_err_http(KK_ETOOBIG), 413);
	assert_int_equal(kk_err_http(KK_ERATE), 429);
	assert_string_equal(kk_err_code(12345), "ok");
	assert_string_equal(kk_err_code(-5), "unknown");
	struct kk_diag d;
	kk_diag_clear(&d);
	assert_int_equal(kk_diag_set(&d, KK_EPARSE, "/a/0", "bad %s", "x"), KK_EPARSE);
	assert_string_equal(d.msg, "bad x");
	assert_string_equal(d.where, "/a/0");
}

static void test_arena(void **state)
{
	(void)state;
	struct kk_arena a;
	kk_arena_init(&a, 100000);
	char *s = kk_arena_printf(&a, "%s-%d", "x", 7);
	assert_string_equal(s, "x-7");
	for (int i = 0; i < 100; i++)
		assert_non_null(kk_arena_alloc(&a, 500));
	assert_null(kk_arena_alloc(&a, 100000)); /* over the cap */
	kk_arena_release(&a);
}

static void test_str(void **state)
{
	(void)state;
	assert_true(kk_str_ieq("Hello", "hELLO"));
	assert_false(kk_str_ieq("Hello", "Hell"));
	char d[4];
	assert_int_equal(kk_strlcpy(d, "abcdef", sizeof(d)), 6);
	assert_string_equal(d, "abc");
	assert_true(kk_ct_eq("abc", "abc", 3));
	assert_false(kk_ct_eq("abc", "abd", 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf),   cmocka_unit_test(test_buf_nomem), cmocka_unit_test(test_i64s), cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_misuse), cmocka_unit_test(test_clock), cmocka_unit_test(test_clock_jst), cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_err),   cmocka_unit_test(test_arena),	cmocka_unit_test(test_str),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * u-sync.c — the pure parts of sync/http.h: the rate limiter driven by a
 * clock of the test's own (no sleeping), and Retry-After values.
 */
#include "testutil.h"
#include "sync/http.h"
#include <string.h>

static void test_rate_parse(void **state)
{
	(void)state;
	struct kk_rate r;
	assert_int_equal(kk_rate_parse(&r, "5/30"), 0);
	assert_int_equal(r.max, 5);
	assert_int_equal(r.window_ms, 30000);
	assert_int_equal(kk_rate_parse(&r, "50/30"), 0);
	assert_int_equal(kk_rate_parse(&r, "0/30"), KK_EINVAL);
	assert_int_equal(kk_rate_parse(&r, "5"), KK_EINVAL);
	assert_int_equal(kk_rate_parse(&r, "5/"), KK_EINVAL);
	assert_int_equal(kk_rate_parse(&r, "5/30x"), KK_EINVAL);
	assert_int_equal(kk_rate_parse(&r, "129/30"), KK_EINVAL);
	assert_int_equal(kk_rate_parse(&r, "5/3601"), KK_EINVAL);
}

/* The NVD's 5 requests in any 30 s: the sixth waits for the first to leave the window. */
static void test_rate_window(void **state)
{
	(void)state;
	struct kk_rate r;
	kk_rate_parse(&r, "5/30");
	int64_t t = 1000000;
	for (int i = 0; i < 5; i++) {
		assert_int_equal(kk_rate_delay(&r, t + i * 1000), 0);
		kk_rate_note(&r, t + i * 1000);
	}
	assert_int_equal(kk_rate_delay(&r, t + 5000), 25000);  /* the first leaves at t + 30 s */
	assert_int_equal(kk_rate_delay(&r, t + 30000), 0);
	kk_rate_note(&r, t + 30000);
	assert_int_equal(kk_rate_delay(&r, t + 30000), 1000);  /* now the second (t + 1 s) is the oldest */
	assert_int_equal(kk_rate_delay(&r, t + 31000), 0);
	kk_rate_note(&r, t + 31000);
	/* over many requests never more than 5 in any 30 s */
	int64_t sent[200];
	int n = 0;
	int64_t now = t + 31000;
	while (n < 200) {
		int64_t d = kk_rate_delay(&r, now);
		now += d;
		kk_rate_note(&r, now);
		sent[n++] = now;
	}
	for (int i = 5; i < n; i++)
		assert_true(sent[i] - sent[i - 5] >= 30000);
	/* no limit */
	struct kk_rate none;
	memset(&none, 0, sizeof none);
	for (int i = 0; i < 1000; i++)
		kk_rate_note(&none, i);
	assert_int_equal(kk_rate_delay(&none, 1000), 0);
}

static void test_retry_after(void **state)
{
	(void)state;
	assert_int_equal(kk_http_retry_after("120", 0), 120);
	assert_int_equal(kk_http_retry_after(" 7 ", 0), 7);
	assert_int_equal(kk_http_retry_after("0", 0), 0);
	assert_int_equal(kk_http_retry_after("-1", 0), -1);
	assert_int_equal(kk_http_retry_after("", 0), -1);
	assert_int_equal(kk_http_retry_after("soon", 0), -1);
	/* an HTTP date: seconds from now, 0 when it is past */
	int64_t at = 1445412480; /* Wed, 21 Oct 2015 07:28:00 GMT */
	assert_int_equal(kk_http_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", at - 90), 90);
	assert_int_equal(kk_http_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", at + 10), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate_parse),
		cmocka_unit_test(test_rate_window),
		cmocka_unit_test(test_retry_after),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

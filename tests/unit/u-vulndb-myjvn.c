/* u-vulndb-myjvn.c — MyJVN parameters into a search: JST day bounds, Y/M/D and ISO dates, the
 * "past week/month" ranges (a month back from the 31st), ids, and the errCd of bad values. */
#include "testutil.h"
#include "vulndb/myjvn.h"
#include <string.h>

struct kv {
	const char *k, *v;
};

static const char *get(void *arg, const char *name)
{
	for (const struct kv *p = arg; p->k; p++)
		if (!strcmp(p->k, name))
			return p->v;
	return NULL;
}

#define NOW 1743422400 /* 2025-03-31T12:00:00Z */

static void test_ymd_days_in_jst(void **state)
{
	(void)state;
	struct kv in[] = {{"method", "getVulnOverviewList"}, {"feed", "hnd"}, {"datePublicStartY", "2024"},
	                  {"datePublicStartM", "2"}, {"datePublicStartD", "29"}, {"datePublicEndY", "2024"},
	                  {"datePublicEndM", "02"}, {"rangeDatePublished", "n"}, {"rangeDateFirstPublished", "n"},
	                  {NULL, NULL}};
	struct kk_myjvn_params p;
	assert_int_equal(kk_myjvn_parse(get, in, NOW, &p), 0);
	assert_int_equal(p.q.public_from, 1709132400); /* 2024-02-29T00:00:00+09:00 */
	assert_int_equal(p.q.public_to, 1709218799);   /* 2024-02-29T23:59:59+09:00: the month's last day */
	assert_int_equal(p.q.updated_from, 0);
	assert_int_equal(p.q.published_from, 0);
	assert_int_equal(p.max, 50);
	assert_string_equal(p.lang, "ja");
}

static void test_iso_dates_and_default_range(void **state)
{
	(void)state;
	struct kv in[] = {{"method", "getVulnOverviewList"}, {"feed", "hnd"}, {"datePublishedStart", "2025-01"},
	                  {"datePublishedEnd", "2025"}, {"maxCountItem", "1000"}, {"lang", "en"}, {NULL, NULL}};
	struct kk_myjvn_params p;
	assert_int_equal(kk_myjvn_parse(get, in, NOW, &p), 0);
	assert_int_equal(p.q.updated_from, 1735657200); /* 2025-01-01T00:00:00+09:00 */
	assert_int_equal(p.q.updated_to, 1767193199);   /* 2025-12-31T23:59:59+09:00 */
	/* no range and no dates of their kind: the past week, as MyJVN does */
	assert_int_equal(p.q.public_from, NOW - 7 * 86400);
	assert_int_equal(p.q.published_from, NOW - 7 * 86400);
	assert_int_equal(p.max, 1000);
	assert_string_equal(p.q.lang, "en");
}

static void test_month_range_clamps_the_day(void **state)
{
	(void)state;
	struct kv in[] = {{"method", "getVulnOverviewList"}, {"feed", "hnd"}, {"rangeDatePublic", "m"},
	                  {"rangeDatePublished", "n"}, {"rangeDateFirstPublished", "w"}, {NULL, NULL}};
	struct kk_myjvn_params p;
	assert_int_equal(kk_myjvn_parse(get, in, NOW, &p), 0);
	assert_int_equal(p.q.public_from, 1740744000); /* 2025-02-28T12:00:00Z: March 31 less a month */
	assert_int_equal(p.q.updated_from, 0);
	assert_int_equal(p.q.published_from, NOW - 7 * 86400);
}

static void test_filters(void **state)
{
	(void)state;
	struct kv in[] = {{"method", "getVulnOverviewList"}, {"feed", "hnd"}, {"severity", "h"},
	                  {"vector", "CVSS:3.0/AV:N/AC:L"}, {"cpeName", "cpe:/a:Apache:Log4j"}, {"keyword", "認証"},
	                  {"rangeDatePublic", "n"}, {"vendorId", "10000000042"}, {NULL, NULL}};
	struct kk_myjvn_params p;
	assert_int_equal(kk_myjvn_parse(get, in, NOW, &p), 0);
	assert_int_equal(p.q.severity_mask, 1u << 3);
	assert_string_equal(p.q.vector, "AV:N/AC:L");
	assert_int_equal(p.npats, 1);
	assert_string_equal(p.pats[0].vendor, "apache");
	assert_string_equal(p.pats[0].product, "log4j");
	assert_int_equal(p.pats[0].part, 'a');
	assert_string_equal(p.q.q, "認証");
	assert_int_equal(p.nvendor_ids, 1);
	assert_int_equal(p.vendor_ids[0], 10000000042LL);
}

/* cpeName as MyJVN documents it: several joined by '+' (a URL's '+' arrives as a space), '*', %XX */
static void test_cpe_lists_and_wildcards(void **state)
{
	(void)state;
	struct kv in[] = {{"method", "getVulnOverviewList"},
	                  {"feed", "hnd"},
	                  {"cpeName", "cpe:/a:apache:*+cpe:/:MICRO*ft cpe:/*:%40mail:x%2b%2B+cpe:/o:a[b]:c?d"},
	                  {"productId", "1+2"},
	                  {NULL, NULL}};
	struct kk_myjvn_params p;
	assert_int_equal(kk_myjvn_parse(get, in, NOW, &p), 0);
	assert_int_equal(p.npats, 4);
	assert_string_equal(p.pats[0].vendor, "apache");
	assert_string_equal(p.pats[0].product, ""); /* "*" alone: any product */
	assert_string_equal(p.pats[1].vendor, "micro*ft");
	assert_true(p.pats[1].wild);
	assert_int_equal(p.pats[1].part, 0);
	assert_string_equal(p.pats[2].vendor, "\\@mail"); /* as the dictionary writes it */
	assert_string_equal(p.pats[2].product, "x\\+\\+");
	assert_false(p.pats[2].wild);
	assert_string_equal(p.pats[3].vendor, "a\\[[]b\\[]]"); /* GLOB's own characters taken literally */
	assert_string_equal(p.pats[3].product, "c\\[?]d");
	assert_int_equal(p.nproduct_ids, 2);
	assert_int_equal(p.product_ids[1], 2);
}

static void test_detail_ids(void **state)
{
	(void)state;
	struct kv in[] = {{"method", "getVulnDetailInfo"}, {"feed", "hnd"},
	                  {"vulnId", "JVNDB-2017-009608+CVE-2021-44228 JVNDB-2022-000097"}, {NULL, NULL}};
	struct kk_myjvn_params p;
	assert_int_equal(kk_myjvn_parse(get, in, NOW, &p), 0);
	assert_int_equal(p.nids, 3);
	assert_string_equal(p.ids[1], "CVE-2021-44228");
	assert_int_equal(p.max, 10);
}

static void test_errors(void **state)
{
	(void)state;
	static const struct {
		struct kv in[6]; /* the last one {NULL, NULL} */
		const char *cd, *word;
	} rows[] = {
	    {{{"feed", "hnd"}}, KK_MYJVN_E_METHOD, "method"},
	    {{{"method", "getVulnOverviewList"}}, KK_MYJVN_E_FEED, "feed"},
	    {{{"method", "getVulnOverviewList"}, {"feed", "hnd"}, {"datePublicStartY", "2025"}, {"datePublicStartM", "0"}},
	     KK_MYJVN_E_INVALID, "month"},
	    {{{"method", "getVulnOverviewList"}, {"feed", "hnd"}, {"datePublicStartY", "2025"}, {"datePublicStartM", "2"},
	      {"datePublicStartD", "29"}},
	     KK_MYJVN_E_INVALID, "no day 29"},
	    {{{"method", "getVulnOverviewList"}, {"feed", "hnd"}, {"datePublicStart", "2025-00"}}, KK_MYJVN_E_INVALID,
	     "month"},
	    {{{"method", "getVulnOverviewList"}, {"feed", "hnd"}, {"datePublicStart", "2025"}, {"datePublicStartY", "2025"}},
	     KK_MYJVN_E_INVALID, "both"},
	    {{{"method", "getVulnOverviewList"}, {"feed", "hnd"}, {"datePublicStartY", "2025"}, {"datePublicEndY", "2024"}},
	     KK_MYJVN_E_INVALID, "after"},
	    {{{"method", "getVulnOverviewList"}, {"feed", "hnd"}, {"maxCountItem", "1001"}}, KK_MYJVN_E_INVALID,
	     "maxCountItem"},
	    {{{"method", "getVulnOverviewList"}, {"feed", "hnd"}, {"cpeName", "cpe:/x:a:b"}}, KK_MYJVN_E_INVALID,
	     "part"},
	    {{{"method", "getVulnOverviewList"}, {"feed", "hnd"}, {"cpeName", "cpe:/a:a%zz"}}, KK_MYJVN_E_INVALID,
	     "%XX"},
	    {{{"method", "getProductList"}, {"feed", "hnd"}, {"vendorId", "1"}, {"productId", "2"}}, KK_MYJVN_E_INVALID,
	     "only one"},
	    {{{"method", "getAlertList"}, {"feed", "hnd"}, {"datePublished", "abcd"}}, KK_MYJVN_E_INVALID,
	     "datePublished"},
	    {{{"method", "getStatistics"}, {"feed", "hnd"}, {"theme", "sumCwe"}}, KK_MYJVN_E_MISSING, "cweId"},
	    {{{"method", "getVulnDetailInfo"}, {"feed", "hnd"}, {"vulnId", "+ +"}}, KK_MYJVN_E_MISSING, "vulnId"},
	};
	for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
		struct kk_myjvn_params p;
		assert_int_equal(kk_myjvn_parse(get, (void *)rows[k].in, NOW, &p), KK_EINVAL);
		assert_string_equal(p.err_cd, rows[k].cd);
		if (!strstr(p.err_msg, rows[k].word))
			fail_msg("row %zu: '%s' does not name '%s'", k, p.err_msg, rows[k].word);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ymd_days_in_jst),
	    cmocka_unit_test(test_iso_dates_and_default_range),
	    cmocka_unit_test(test_month_range_clamps_the_day),
	    cmocka_unit_test(test_filters),
	    cmocka_unit_test(test_cpe_lists_and_wildcards),
	    cmocka_unit_test(test_detail_ids),
	    cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

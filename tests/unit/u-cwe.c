/* u-cwe.c — CWE ids and catalog CSV records, including every record of ../shared/data/cwe. */
#include "testutil.h"
#include "base/alloc.h"
#include "std/cwe.h"
#include <stdio.h>
#include <string.h>

static void test_ids(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int id; /* -1: invalid */
	} t[] = {
		{"CWE-79", 79},	 {"cwe-79", 79},   {"79", 79},	     {" CWE-1004 ", 1004}, {"CWE-999999", 999999},
		{"CWE-", -1},	 {"CWE-0", -1},	   {"CWE-079", -1},  {"CWE-79a", -1},	   {"CWE 79", -1},
		{"", -1},	 {"NVD-CWE-Other", -1}, {"CWE-1000000", -1}, {"-79", -1},   {"CWE--79", -1},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int id = -7;
		struct kk_diag d;
		int rc = kk_cwe_id_parse(t[i].s, strlen(t[i].s), &id, &d);
		if (t[i].id < 0 ? rc != KK_EPARSE : (rc || id != t[i].id))
			fail_msg("cwe-id-%zu: '%s': expected %d got rc %d id %d", i, t[i].s, t[i].id, rc, id);
		if (rc)
			assert_non_null(strstr(d.msg, "CWE id"));
	}
}

static void test_records(void **state)
{
	(void)state;
	char store[512];
	struct kk_cwe_record r;
	struct kk_diag d;
	const char *q = "150,Weakness,\"Improper Neutralization of Escape, Meta, or Control Sequences\",Variant,Incomplete";
	assert_int_equal(kk_cwe_csv_record(q, strlen(q), &r, store, sizeof(store), &d), 0);
	assert_int_equal(r.id, 150);
	assert_int_equal(r.kind, KK_CWE_WEAKNESS);
	assert_true(kk_str_eqc(r.name, "Improper Neutralization of Escape, Meta, or Control Sequences"));
	assert_true(kk_str_eqc(r.abstraction, "Variant"));
	const char *dq = "7,Category,\"say \"\"hi\"\"\",,Draft";
	assert_int_equal(kk_cwe_csv_record(dq, strlen(dq), &r, store, sizeof(store), &d), 0);
	assert_true(kk_str_eqc(r.name, "say \"hi\""));
	assert_int_equal(r.abstraction.len, 0);
	static const struct {
		const char *line, *where;
	} bad[] = {
		{"79,Weakness,Name,Base", "Status"},
		{"79,Weakness,Name,Base,Stable,extra", "Status"},
		{"x79,Weakness,Name,Base,Stable", "CWE-ID"},
		{"79,Bug,Name,Base,Stable", "Type"},
		{"79,Weakness,,Base,Stable", "Name"},
		{"79,Weakness,\"open,Base,Stable", "Name"},
		{"79,Weakness,\"a\"b,Base,Stable", "Name"},
		{"79,Weakness,Name,Base,", "Status"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = kk_cwe_csv_record(bad[i].line, strlen(bad[i].line), &r, store, sizeof(store), &d);
		if (rc != KK_EPARSE || strcmp(d.where, bad[i].where))
			fail_msg("cwe-csv-bad-%zu: '%s': expected error in %s got rc %d where '%s'", i, bad[i].line,
				 bad[i].where, rc, d.where);
	}
	char tiny[4];
	assert_int_equal(kk_cwe_csv_record(q, strlen(q), &r, tiny, sizeof(tiny), &d), KK_ETOOBIG);
	assert_string_equal(kk_cwe_kind_name(KK_CWE_VIEW), "view");
}

/* Every record of the real catalog parses; the counts are those of its PROVENANCE.md. */
static void test_catalog(void **state)
{
	(void)state;
	char *text = tu_slurp(tu_shared("cwe/cwe_v4.15_ids.csv"), NULL);
	int n = 0, kinds[3] = {0}, line = 0, found79 = 0;
	char store[1024];
	for (char *p = text, *nl; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len && p[len - 1] == '\r')
			len--;
		if (++line == 1)
			continue; /* header */
		struct kk_cwe_record r;
		struct kk_diag d;
		if (kk_cwe_csv_record(p, len, &r, store, sizeof(store), &d))
			fail_msg("cwe_v4.15_ids.csv:%d: %s: %s", line, d.where, d.msg);
		n++;
		kinds[r.kind]++;
		if (r.id == 79)
			found79 = kk_str_eqc(r.name, "Improper Neutralization of Input During Web Page Generation "
						     "('Cross-site Scripting')");
	}
	kk_free(text);
	assert_int_equal(n, 1427);
	assert_int_equal(kinds[KK_CWE_WEAKNESS], 964);
	assert_int_equal(kinds[KK_CWE_CATEGORY], 409);
	assert_int_equal(kinds[KK_CWE_VIEW], 54);
	assert_true(found79);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_catalog),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* u-cpe.c — CPE bindings (tests/data/cpe/binding.tsv) and IR 7696 matching (tests/data/cpe/match.tsv). */
#include "testutil.h"
#include "tsv.h"
#include "base/alloc.h"
#include "std/cpe.h"
#include <stdio.h>
#include <string.h>

struct name {
	struct kk_cpe c;
	char store[KK_CPE_STORE(KK_CPE_MAX_LEN)];
};

static int parse(struct name *n, const char *s, struct kk_diag *d)
{
	return kk_cpe_parse(s, strlen(s), &n->c, n->store, sizeof(n->store), d);
}

static int binding_row(int line, char **f, int nf, void *arg)
{
	(void)arg;
	static struct name n, back;
	struct kk_diag d;
	char wfn[4096], fs[4096], uri[4096];
	assert_true(nf >= 3);
	int rc = parse(&n, f[0], &d);
	if (!strcmp(f[1], "error")) {
		if (rc == 0) {
			printf("cpe-binding-%d: %s: expected an error (%s) got none\n", line, f[0], f[2]);
			return 1;
		}
		return 0;
	}
	if (rc) {
		printf("cpe-binding-%d: %s: expected %s got error: %s\n", line, f[0], f[1], d.msg);
		return 1;
	}
	assert_true(kk_cpe_bind_wfn(&n.c, wfn, sizeof(wfn)) > 0);
	assert_true(kk_cpe_bind_fs(&n.c, fs, sizeof(fs)) > 0);
	assert_true(kk_cpe_bind_uri(&n.c, uri, sizeof(uri)) > 0);
	int bad = 0;
	if (strcmp(wfn, f[1]))
		printf("cpe-binding-%d: %s: expected WFN %s got %s\n", line, f[0], f[1], wfn), bad = 1;
	if (strcmp(fs, f[2]))
		printf("cpe-binding-%d: %s: expected formatted string %s got %s\n", line, f[0], f[2], fs), bad = 1;
	if (nf > 3 && strcmp(uri, f[3]))
		printf("cpe-binding-%d: %s: expected URI %s got %s\n", line, f[0], f[3], uri), bad = 1;
	/* both bindings read back to the same WFN */
	const char *again[] = {fs, uri};
	for (int i = 0; i < 2; i++) {
		char w2[4096];
		if (parse(&back, again[i], &d) || kk_cpe_bind_wfn(&back.c, w2, sizeof(w2)) < 0 || strcmp(w2, wfn)) {
			printf("cpe-binding-%d: %s does not read back to %s\n", line, again[i], wfn);
			bad = 1;
		}
	}
	return bad;
}

static void test_binding(void **state)
{
	(void)state;
	int failed = 0;
	int rows = tu_tsv_each("tests/data/cpe/binding.tsv", 5, binding_row, NULL, &failed);
	assert_true(rows >= 40);
	assert_int_equal(failed, 0);
}

static int match_row(int line, char **f, int nf, void *arg)
{
	(void)arg;
	static struct name s, t;
	struct kk_diag d;
	assert_true(nf >= 3);
	if (parse(&s, f[0], &d) || parse(&t, f[1], &d)) {
		printf("cpe-match-%d: %s vs %s: parse error: %s\n", line, f[0], f[1], d.msg);
		return 1;
	}
	enum kk_cpe_rel r = kk_cpe_compare(&s.c, &t.c);
	if (strcmp(kk_cpe_rel_name(r), f[2])) {
		printf("cpe-match-%d: %s vs %s: expected %s got %s (%s)\n", line, f[0], f[1], f[2],
		       kk_cpe_rel_name(r), nf > 3 ? f[3] : "");
		return 1;
	}
	/* a name without wildcards is equal to itself */
	bool wild = false;
	for (int a = 0; a < KK_CPE_NATTR; a++)
		wild |= t.c.a[a].wild;
	if (kk_cpe_compare(&t.c, &t.c) != (wild ? KK_CPE_UNDEFINED : KK_CPE_EQUAL)) {
		printf("cpe-match-%d: %s is not equal to itself\n", line, f[1]);
		return 1;
	}
	if (kk_cpe_match(&s.c, &t.c) != (r == KK_CPE_SUPERSET || r == KK_CPE_EQUAL)) {
		printf("cpe-match-%d: kk_cpe_match disagrees with kk_cpe_compare\n", line);
		return 1;
	}
	return 0;
}

static void test_match(void **state)
{
	(void)state;
	int failed = 0;
	int rows = tu_tsv_each("tests/data/cpe/match.tsv", 5, match_row, NULL, &failed);
	assert_true(rows >= 50);
	assert_int_equal(failed, 0);
}

static void test_limits(void **state)
{
	(void)state;
	struct name n;
	struct kk_diag d;
	const char *s = "cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*";
	char small[8];
	assert_int_equal(kk_cpe_parse(s, strlen(s), &n.c, small, sizeof(small), &d), KK_ETOOBIG);
	assert_int_equal(parse(&n, s, &d), 0);
	char out[10];
	assert_int_equal(kk_cpe_bind_fs(&n.c, out, sizeof(out)), KK_ETOOBIG);
	assert_string_equal(out, "");
	assert_int_equal(parse(&n, "cpe:2.3:a:vendor:product:1.*.2:*:*:*:*:*:*:*", &d), KK_EPARSE);
	assert_string_equal(d.where, "version");
	assert_non_null(strstr(d.msg, "wildcard"));
	assert_int_equal(parse(&n, "cpe:2.3:q:vendor:product:*:*:*:*:*:*:*:*", &d), KK_EPARSE);
	assert_string_equal(d.where, "part");
	assert_string_equal(kk_cpe_attr_name(KK_CPE_TARGET_SW), "target_sw");
}

/* Components as a name writes them, escapes kept: what a record stores from its cpe23. */
static void test_fs_field(void **state)
{
	(void)state;
	char f[16];
	assert_true(kk_cpe_fs_field("cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*", 1, f, sizeof f));
	assert_string_equal(f, "apache");
	assert_true(kk_cpe_fs_field("cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*", 3, f, sizeof f));
	assert_string_equal(f, "2.14.1");
	assert_true(kk_cpe_fs_field("cpe:2.3:a:x\\:y:prod:*", 1, f, sizeof f)); /* a quoted ':' */
	assert_string_equal(f, "x\\:y");
	assert_true(kk_cpe_fs_field("cpe:2.3:a:x\\:y:prod:*", 2, f, sizeof f));
	assert_string_equal(f, "prod");
	assert_true(kk_cpe_fs_field("cpe:/o:microsoft:windows_10", 2, f, sizeof f));
	assert_string_equal(f, "windows_10");
	assert_true(kk_cpe_fs_field("cpe:/o:microsoft:windows_10", 0, f, sizeof f));
	assert_string_equal(f, "o");
	assert_false(kk_cpe_fs_field("cpe:/o:microsoft:windows_10", 3, f, sizeof f)); /* absent */
	assert_false(kk_cpe_fs_field("cpe:2.3:a::prod", 1, f, sizeof f));           /* empty */
	assert_false(kk_cpe_fs_field("cpe:2.3:a:averylongvendorname:p", 1, f, sizeof f)); /* too long */
	assert_false(kk_cpe_fs_field("pkg:npm/x", 0, f, sizeof f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_binding),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_fs_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

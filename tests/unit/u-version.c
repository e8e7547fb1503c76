/* u-version.c — version comparison per scheme from tests/data/version/<scheme>.tsv, NVD and OSV ranges. */
#include "testutil.h"
#include "tsv.h"
#include "base/alloc.h"
#include "std/version.h"
#include <stdio.h>
#include <string.h>

static const char opch[] = "<=>";

/* One row: "a op b" or "a ok|err". */
static int row(int line, char **f, int nf, void *arg)
{
	enum kk_version_scheme s = *(enum kk_version_scheme *)arg;
	struct kk_diag d;
	assert_int_equal(nf, 3);
	const char *a = f[0], *op = f[1], *b = f[2];
	if (!strcmp(op, "ok") || !strcmp(op, "err")) {
		int rc = kk_version_check(s, a, &d);
		if ((rc == 0) != (op[0] == 'o')) {
			printf("version-%s-%d: '%s': expected %s got %s (%s)\n", kk_version_scheme_name(s), line, a, op,
			       rc ? "err" : "ok", rc ? d.msg : "");
			return 1;
		}
		return 0;
	}
	const char *at = strchr(opch, op[0]);
	assert_non_null(at);
	int want = (int)(at - opch) - 1, got = 9, back = 9, self = 9;
	int rc = kk_version_compare(s, a, b, &got, &d);
	if (!rc)
		rc = kk_version_compare(s, b, a, &back, &d);
	if (!rc)
		rc = kk_version_compare(s, a, a, &self, &d);
	if (rc) {
		printf("version-%s-%d: %s vs %s: expected %s got error: %s\n", kk_version_scheme_name(s), line, a, b, op,
		       d.msg);
		return 1;
	}
	if (got != want || back != -want || self != 0) {
		printf("version-%s-%d: %s vs %s: expected %s got %c (reversed %c, self %c)\n", kk_version_scheme_name(s),
		       line, a, b, op, opch[got + 1], opch[back + 1], opch[self + 1]);
		return 1;
	}
	return 0;
}

static void test_tables(void **state)
{
	(void)state;
	int failed = 0;
	for (int s = 0; s < KK_VERSION__COUNT; s++) {
		char path[256];
		enum kk_version_scheme sc = (enum kk_version_scheme)s;
		snprintf(path, sizeof(path), "tests/data/version/%s.tsv", kk_version_scheme_name(sc));
		int rows = tu_tsv_each(path, 3, row, &sc, &failed);
		if (rows < 40)
			fail_msg("tests/data/version/%s.tsv has only %d rows", kk_version_scheme_name(s), rows);
	}
	assert_int_equal(failed, 0);
}

static void test_errors_name_the_version(void **state)
{
	(void)state;
	struct kk_diag d;
	int c;
	assert_int_equal(kk_version_compare(KK_VERSION_SEMVER, "1.2", "1.2.3", &c, &d), KK_EPARSE);
	assert_non_null(strstr(d.msg, "'1.2'"));
	assert_non_null(strstr(d.msg, "MAJOR.MINOR.PATCH"));
	assert_int_equal(kk_version_compare(KK_VERSION_PYPI, "1.0", "1.0.x", &c, &d), KK_EPARSE);
	assert_non_null(strstr(d.msg, "'1.0.x'"));
	char longv[KK_VERSION_MAX + 8];
	memset(longv, '1', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = 0;
	assert_int_equal(kk_version_check(KK_VERSION_GENERIC, longv, &d), KK_ETOOBIG);
	char many[200] = "1";
	for (int i = 0; i < 70; i++)
		strcat(many, ".1");
	assert_int_equal(kk_version_check(KK_VERSION_MAVEN, many, &d), KK_ETOOBIG);
	enum kk_version_scheme s;
	assert_int_equal(kk_version_scheme_parse("PyPI", &s), 0);
	assert_int_equal(s, KK_VERSION_PYPI);
	assert_int_equal(kk_version_scheme_parse("Debian", &s), 0);
	assert_int_equal(s, KK_VERSION_DEB);
	assert_int_equal(kk_version_scheme_parse("cobol", &s), KK_EINVAL);
}

static void test_nvd_range(void **state)
{
	(void)state;
	static const struct {
		const char *v, *si, *se, *ei, *ee, *exact;
		bool want;
	} t[] = {
		{"2.4.49", "2.4.0", NULL, "2.4.49", NULL, NULL, true},
		{"2.4.50", "2.4.0", NULL, "2.4.49", NULL, NULL, false},
		{"2.4.0", "2.4.0", NULL, NULL, "2.4.50", NULL, true},
		{"2.4.0", NULL, "2.4.0", NULL, "2.4.50", NULL, false},
		{"2.4.50", NULL, "2.4.0", NULL, "2.4.50", NULL, false},
		{"2.3.9", "2.4.0", NULL, NULL, "2.4.50", NULL, false},
		{"1.0", NULL, NULL, NULL, NULL, NULL, true},
		{"1.0", NULL, NULL, NULL, NULL, "1.0.0", true},
		{"1.0.1", NULL, NULL, NULL, NULL, "1.0.0", false},
		{"1.0.0rc1", NULL, NULL, NULL, "1.0.0", NULL, true},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct kk_version_range r = {t[i].exact, t[i].si, t[i].se, t[i].ei, t[i].ee};
		bool aff = !t[i].want;
		assert_int_equal(kk_version_in_range(KK_VERSION_GENERIC, t[i].v, &r, &aff, NULL), 0);
		if (aff != t[i].want)
			fail_msg("nvd range row %zu: %s expected %d", i, t[i].v, t[i].want);
	}
	struct kk_version_range bad = {.end_excluding = "1.x"};
	struct kk_diag d;
	bool aff;
	assert_int_equal(kk_version_in_range(KK_VERSION_SEMVER, "1.0.0", &bad, &aff, &d), KK_EPARSE);
	assert_non_null(strstr(d.msg, "versionEndExcluding"));
}

static void test_osv(void **state)
{
	(void)state;
	const struct kk_osv_event two[] = {
		{KK_OSV_INTRODUCED, "0"},     {KK_OSV_FIXED, "1.0.5"},
		{KK_OSV_INTRODUCED, "2.0.0"}, {KK_OSV_FIXED, "2.1.3"},
	};
	const struct kk_osv_event last[] = {{KK_OSV_INTRODUCED, "1.2.0"}, {KK_OSV_LAST_AFFECTED, "1.4.0"}};
	const struct kk_osv_event lim[] = {{KK_OSV_INTRODUCED, "0"}, {KK_OSV_LIMIT, "3.0.0"}};
	/* events out of order: OSV sorts them */
	const struct kk_osv_event shuffled[] = {{KK_OSV_FIXED, "2.1.3"}, {KK_OSV_INTRODUCED, "2.0.0"},
						{KK_OSV_FIXED, "1.0.5"}, {KK_OSV_INTRODUCED, "0"}};
	static const struct {
		int set;
		const char *v;
		bool want;
	} t[] = {
		{0, "0.0.1", true},  {0, "1.0.4", true},  {0, "1.0.5", false}, {0, "1.9.9", false},
		{0, "2.0.0", true},  {0, "2.1.2", true},  {0, "2.1.3", false}, {0, "9.0.0", false},
		{1, "1.1.9", false}, {1, "1.2.0", true},  {1, "1.4.0", true},  {1, "1.4.1", false},
		{2, "2.9.9", true},  {2, "3.0.0", false}, {3, "1.0.4", true},  {3, "2.0.1", true},
		{3, "2.2.0", false}, {3, "1.5.0", false},
	};
	const struct kk_osv_event *sets[] = {two, last, lim, shuffled};
	const size_t n[] = {4, 2, 2, 4};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		bool aff = !t[i].want;
		assert_int_equal(kk_version_osv_affected(KK_VERSION_SEMVER, t[i].v, sets[t[i].set], n[t[i].set], &aff,
							 NULL),
				 0);
		if (aff != t[i].want)
			fail_msg("osv row %zu: %s in set %d expected %d", i, t[i].v, t[i].set, t[i].want);
	}
	const struct kk_osv_event eco[] = {{KK_OSV_INTRODUCED, "0"}, {KK_OSV_FIXED, "1.0.0rc2"}};
	bool aff;
	assert_int_equal(kk_version_osv_affected(KK_VERSION_PYPI, "1.0.0rc1", eco, 2, &aff, NULL), 0);
	assert_true(aff);
	assert_int_equal(kk_version_osv_affected(KK_VERSION_PYPI, "1.0.0", eco, 2, &aff, NULL), 0);
	assert_false(aff);
}

/* Collects the generic table's versions: every pair must have equal keys exactly when they compare equal. */
struct vset {
	char v[512][64];
	int n;
};

static int collect_row(int line, char **f, int nf, void *arg)
{
	(void)line;
	struct vset *vs = arg;
	for (int i = 0; i < nf; i += 2)
		if (strcmp(f[i], "ok") && strcmp(f[i], "err") && vs->n < 512 && strlen(f[i]) < 64) {
			int k = 0;
			while (k < vs->n && strcmp(vs->v[k], f[i]))
				k++;
			if (k == vs->n)
				snprintf(vs->v[vs->n++], 64, "%s", f[i]);
		}
	return 0;
}

static void test_generic_key(void **state)
{
	(void)state;
	static const char *const rows[][2] = {
	    {"2.0", "2"},
	    {"2.0.0", "2"},
	    {"10.0", "10"},
	    {"1.6.0", "1.6"},
	    {"v1.2", "1.2"},
	    {"0", "0"},
	    {"0.0.0", "0"},
	    {"01.002", "1.2"},
	    {"1.0RC1", "1.0.~5.1"},
	    {"1.0-rc1", "1.0.~5.1"},
	    {"1.0a", "1.0.a"},
	    {"2a", "2.a"},
	    {"1.0_Beta", "1.0.~2"},
	    {"1.0_Gamma", "1.0.gamma"},
	    {"*", "*"},
	    {"-", "-"},
	    {"1DA177E4c3f4", "#1da177e4c3f4"},
	    {"2021.10.0", "2021.10"},
	};
	char k[KK_VERSION_KEY_MAX];
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		assert_int_equal(kk_version_key(rows[i][0], k, sizeof k), 0);
		if (strcmp(k, rows[i][1]))
			fail_msg("key of '%s': expected '%s' got '%s'", rows[i][0], rows[i][1], k);
	}
	/* every pair of the generic table: equal keys <=> equal versions */
	static struct vset vs;
	int failed = 0;
	vs.n = 0;
	tu_tsv_each("tests/data/version/generic.tsv", 3, collect_row, &vs, &failed);
	assert_true(vs.n > 40);
	for (int a = 0; a < vs.n; a++)
		for (int b = 0; b < vs.n; b++) {
			char ka[KK_VERSION_KEY_MAX], kb[KK_VERSION_KEY_MAX];
			int c;
			if (kk_version_compare(KK_VERSION_GENERIC, vs.v[a], vs.v[b], &c, NULL))
				continue;
			assert_int_equal(kk_version_key(vs.v[a], ka, sizeof ka), 0);
			assert_int_equal(kk_version_key(vs.v[b], kb, sizeof kb), 0);
			if ((c == 0) != !strcmp(ka, kb) && !kk_version_is_commit(vs.v[a]) &&
			    !kk_version_is_commit(vs.v[b]))
				fail_msg("'%s' vs '%s' compare %d but keys '%s' '%s'", vs.v[a], vs.v[b], c,
				         ka, kb);
		}
	char small[4];
	assert_int_equal(kk_version_key("1.2.3.4", small, sizeof small), KK_ETOOBIG);
}

static void test_commit(void **state)
{
	(void)state;
	assert_true(kk_version_is_commit("1da177e4c3f4"));
	assert_true(kk_version_is_commit("a7d91625863d"));
	assert_true(kk_version_is_commit("0123456789abcdef0123456789abcdef01234567"));
	assert_false(kk_version_is_commit("20230101")); /* a date, no letter */
	assert_false(kk_version_is_commit("1.2.3"));
	assert_false(kk_version_is_commit("abc123"));       /* too short */
	assert_false(kk_version_is_commit("deadbeefcafe")); /* no digit: a word */
	assert_false(kk_version_is_commit("1.0rc1abcdef"));
	assert_false(kk_version_is_commit(""));
}

static void test_go_tag(void **state)
{
	(void)state;
	static const char *const ok[][2] = {
	    {"go1.20", "1.20.0"},
	    {"go1.20.3", "1.20.3"},
	    {"go1.21rc1", "1.21.0-rc.1"},
	    {"go1.9beta2", "1.9.0-beta.2"},
	    {"go1", "1.0.0"},
	    {"go1.22.0", "1.22.0"},
	    {"go1.8alpha1", "1.8.0-alpha.1"},
	};
	char out[64];
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		assert_int_equal(kk_version_go_tag(ok[i][0], out, sizeof out), 0);
		assert_string_equal(out, ok[i][1]);
	}
	static const char *const bad[] = {
	    "1.20",       "v1.20.0", "go",     "gox",     "go1.20.3.4", "go1.21rc", "go1.21gamma1",
	    "go1.20-rc1", "go1..2",  "go0.00", "go1.021", "go1.21rc01", ""};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (kk_version_go_tag(bad[i], out, sizeof out) != KK_EINVAL)
			fail_msg("'%s' accepted as a Go tag", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tables),      cmocka_unit_test(test_errors_name_the_version),
	    cmocka_unit_test(test_nvd_range),   cmocka_unit_test(test_osv),
	    cmocka_unit_test(test_generic_key), cmocka_unit_test(test_commit),
	    cmocka_unit_test(test_go_tag),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

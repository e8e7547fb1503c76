/* u-purl.c — package URLs against the purl specification's test suite (tests/data/purl/test-suite.tsv). */
#include "testutil.h"
#include "tsv.h"
#include "base/alloc.h"
#include "std/purl.h"
#include <stdio.h>
#include <string.h>

struct parsed {
	struct kk_purl p;
	char store[KK_PURL_MAX_LEN];
};

static int parse(struct parsed *x, const char *s, struct kk_diag *d)
{
	return kk_purl_parse(s, strlen(s), &x->p, x->store, sizeof(x->store), d);
}

/* "-" means absent. */
static int check(int line, const char *what, struct kk_str got, const char *want)
{
	bool absent = !strcmp(want, "-");
	if (absent ? got.ptr == NULL : (got.ptr && kk_str_eqc(got, want)))
		return 0;
	printf("purl-%d: %s: expected %s got %.*s\n", line, what, want, got.ptr ? (int)got.len : 6,
	       got.ptr ? got.ptr : "absent");
	return 1;
}

static int qualifiers_text(const struct kk_purl *p, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = 0;
	for (size_t i = 0; i < p->nqualifiers; i++)
		n += (size_t)snprintf(out + n, cap - n, "%s%.*s=%.*s", i ? "&" : "", (int)p->qualifiers[i].key.len,
				      p->qualifiers[i].key.ptr, (int)p->qualifiers[i].value.len,
				      p->qualifiers[i].value.ptr);
	if (!p->nqualifiers)
		snprintf(out, cap, "-");
	return 0;
}

static int row(int line, char **f, int nf, void *arg)
{
	(void)arg;
	assert_int_equal(nf, 11);
	static struct parsed x, y;
	struct kk_diag d;
	char canon[KK_PURL_MAX_LEN], again[KK_PURL_MAX_LEN], quals[1024];
	int rc = parse(&x, f[1], &d);
	if (!strcmp(f[9], "true")) {
		if (!rc) {
			printf("purl-%d: %s: expected invalid (%s) got valid\n", line, f[1], f[0]);
			return 1;
		}
		return 0;
	}
	if (rc) {
		printf("purl-%d: %s: expected valid got error: %s\n", line, f[1], d.msg);
		return 1;
	}
	int bad = check(line, "type", x.p.type, f[3]) + check(line, "namespace", x.p.namespace, f[4]) +
		  check(line, "name", x.p.name, f[5]) + check(line, "version", x.p.version, f[6]) +
		  check(line, "subpath", x.p.subpath, f[8]);
	qualifiers_text(&x.p, quals, sizeof(quals));
	if (strcmp(quals, f[7]))
		printf("purl-%d: qualifiers: expected %s got %s\n", line, f[7], quals), bad++;
	const char *want = strcmp(f[10], "-") ? f[10] : f[2];
	assert_true(kk_purl_build(&x.p, canon, sizeof(canon)) > 0);
	if (strcmp(canon, want))
		printf("purl-%d: %s: expected canonical %s got %s\n", line, f[1], want, canon), bad++;
	/* the canonical form is a fixpoint, and the spec's canonical form reads the same */
	const char *forms[] = {canon, f[2]};
	for (int i = 0; i < 2; i++) {
		if (parse(&y, forms[i], &d) || kk_purl_build(&y.p, again, sizeof(again)) < 0 || strcmp(again, canon)) {
			printf("purl-%d: %s does not read back to %s\n", line, forms[i], canon);
			bad++;
		}
	}
	return bad;
}

static void test_suite(void **state)
{
	(void)state;
	int failed = 0;
	int rows = tu_tsv_each("tests/data/purl/test-suite.tsv", 11, row, NULL, &failed);
	assert_true(rows >= 40);
	assert_int_equal(failed, 0);
}

static void test_build(void **state)
{
	(void)state;
	struct kk_purl p = {
		.type = KK_STR("npm"),
		.namespace = KK_STR("@scope"),
		.name = KK_STR("a b"),
		.version = KK_STR("1.0.0+build/1"),
		.subpath = KK_STR("lib/x y"),
		.nqualifiers = 2,
		.qualifiers = {{KK_STR("z"), KK_STR("1&2")}, {KK_STR("arch"), KK_STR("x86_64")}},
	};
	char out[256];
	assert_true(kk_purl_build(&p, out, sizeof(out)) > 0);
	assert_string_equal(out, "pkg:npm/%40scope/a%20b@1.0.0%2Bbuild%2F1?arch=x86_64&z=1%262#lib/x%20y");
	char small[10];
	assert_int_equal(kk_purl_build(&p, small, sizeof(small)), KK_ETOOBIG);
	assert_string_equal(small, "");
	struct kk_purl none = {0};
	assert_int_equal(kk_purl_build(&none, out, sizeof(out)), KK_EINVAL);

	struct parsed x;
	struct kk_diag d;
	assert_int_equal(parse(&x, "pkg:npm/a?k=1&k=2", &d), KK_EPARSE);
	assert_non_null(strstr(d.msg, "twice"));
	assert_int_equal(parse(&x, "pkg:npm/a@1%zz", &d), KK_EPARSE);
	assert_string_equal(d.where, "version");
	assert_int_equal(parse(&x, "pkg:npm/a#../x/./y", &d), 0);
	assert_true(kk_str_eqc(x.p.subpath, "x/y"));
	assert_int_equal(parse(&x, "pkg:npm/a?empty=&k=v", &d), 0);
	assert_int_equal(x.p.nqualifiers, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suite),
		cmocka_unit_test(test_build),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

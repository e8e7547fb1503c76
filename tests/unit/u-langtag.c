/* u-langtag.c — RFC 5646 language tags against tests/data/langtag/rfc5646.tsv (Appendix A and more). */
#include "std/langtag.h"
#include "testutil.h"
#include "tsv.h"
#include <stdio.h>
#include <string.h>

/* "-" means absent; otherwise the part must be exactly that text of the tag. */
static int part(int line, const char *what, struct kk_str got, const char *want)
{
	bool absent = !strcmp(want, "-");
	if (absent ? got.ptr == NULL : (got.ptr && kk_str_eqc(got, want)))
		return 0;
	printf("langtag-%d: %s: expected %s got %.*s\n", line, what, want, got.ptr ? (int)got.len : 6,
	       got.ptr ? got.ptr : "absent");
	return 1;
}

static int row(int line, char **f, int nf, void *arg)
{
	(void)arg;
	struct kk_langtag t;
	struct kk_diag d;
	char canon[128];
	kk_diag_clear(&d);
	int rc = kk_langtag_parse(f[0], strlen(f[0]), &t, &d);
	if (!strcmp(f[1], "!")) {
		assert_int_equal(nf, 4);
		if (rc != KK_EPARSE) {
			printf("langtag-%d: '%s': expected malformed got well-formed\n", line, f[0]);
			return 1;
		}
		int bad = 0;
		if (!strstr(d.msg, f[2]))
			printf("langtag-%d: '%s': expected message with \"%s\" got \"%s\"\n", line, f[0],
			       f[2], d.msg),
			    bad++;
		if (strcmp(d.where, f[3]))
			printf("langtag-%d: '%s': expected where %s got %s\n", line, f[0], f[3], d.where),
			    bad++;
		if (kk_langtag_canon(f[0], strlen(f[0]), canon, sizeof canon, NULL) != KK_EPARSE || canon[0])
			printf("langtag-%d: '%s': canon of a malformed tag must fail\n", line, f[0]), bad++;
		return bad;
	}
	assert_int_equal(nf, 11);
	if (rc) {
		printf("langtag-%d: '%s': expected well-formed got error: %s (%s)\n", line, f[0], d.msg,
		       d.where);
		return 1;
	}
	int bad = part(line, "language", t.language, f[3]) + part(line, "extlang", t.extlang, f[4]) +
	          part(line, "script", t.script, f[5]) + part(line, "region", t.region, f[6]) +
	          part(line, "variants", t.variants, f[7]) + part(line, "extensions", t.extensions, f[8]) +
	          part(line, "privateuse", t.privateuse, f[9]);
	if (strcmp(kk_langtag_kind_name(t.kind), f[2]))
		printf("langtag-%d: kind: expected %s got %s\n", line, f[2], kk_langtag_kind_name(t.kind)),
		    bad++;
	if (t.repeats != !strcmp(f[10], "yes"))
		printf("langtag-%d: repeats: expected %s\n", line, f[10]), bad++;
	int n = kk_langtag_canon(f[0], strlen(f[0]), canon, sizeof canon, &d);
	if (n != (int)strlen(f[0]) || strcmp(canon, f[1]))
		printf("langtag-%d: canonical: expected %s got %s\n", line, f[1], canon), bad++;
	/* the canonical form is well-formed, of the same kind, and its own canonical form */
	char again[128];
	struct kk_langtag u;
	if (kk_langtag_parse(canon, strlen(canon), &u, &d) || u.kind != t.kind ||
	    kk_langtag_canon(canon, strlen(canon), again, sizeof again, &d) != n || strcmp(again, canon))
		printf("langtag-%d: canonical form %s does not read back\n", line, canon), bad++;
	return bad;
}

static void test_rfc5646_table(void **state)
{
	(void)state;
	int failed = 0;
	int rows = tu_tsv_each("tests/data/langtag/rfc5646.tsv", 11, row, NULL, &failed);
	assert_true(rows >= 80);
	assert_int_equal(failed, 0);
}

static void test_edges(void **state)
{
	(void)state;
	struct kk_langtag t;
	struct kk_diag d;
	char out[8];
	/* length-delimited: a NUL byte is a bad character, not the end */
	assert_int_equal(kk_langtag_parse("en\0US", 5, &t, &d), KK_EPARSE);
	assert_non_null(strstr(d.msg, "byte 0x00"));
	assert_int_equal(d.offset, 2);
	/* the parts are slices of the input */
	const char *s = "sr-Latn-RS-x-a";
	assert_int_equal(kk_langtag_parse(s, strlen(s), &t, NULL), 0);
	assert_ptr_equal(t.script.ptr, s + 3);
	assert_ptr_equal(t.privateuse.ptr, s + 11);
	assert_int_equal(t.privateuse.len, 3);
	/* a prefix of a longer buffer */
	assert_int_equal(kk_langtag_parse("en-US-", 5, &t, NULL), 0);
	assert_true(kk_str_eqc(t.region, "US"));
	/* canon: too small a buffer, NULL diag */
	assert_int_equal(kk_langtag_canon("zh-Hant-TW", 10, out, sizeof out, NULL), KK_ETOOBIG);
	assert_string_equal(out, "");
	assert_int_equal(kk_langtag_canon("en-us", 5, out, 6, NULL), 5);
	assert_string_equal(out, "en-US");
	assert_int_equal(kk_langtag_canon("en_us", 5, out, sizeof out, NULL), KK_EPARSE);
	/* d->offset names the offending byte */
	assert_int_equal(kk_langtag_parse("de-419-DE", 9, &t, &d), KK_EPARSE);
	assert_int_equal(d.offset, 7);
	assert_string_equal(kk_langtag_kind_name(KK_LANGTAG_REGULAR), "regular");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc5646_table),
	    cmocka_unit_test(test_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

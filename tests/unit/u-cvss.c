/*
 * u-cvss.c — std/cvss: every vector of ../shared/data/cvss-vectors-redhat
 * scores exactly, real-world published scores agree (or are explained), our
 * own tables (tests/data/cvss/ tables) of invalid vectors, canonical forms and
 * scores, and the compiled v4.0 tables equal FIRST's JSON.
 */
#include "testutil.h"
#include "tsv.h"

#include "base/alloc.h"
#include "std/cvss.h"
#include "std/cvss4_table.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

/* "9.8" -> 98; "None"/"-" -> -1; "-0.0" -> 0. */
static int tenths_of(const char *s)
{
	while (*s == ' ' || *s == '(')
		s++;
	if (!strncmp(s, "None", 4) || !strcmp(s, "-"))
		return -1;
	double v = fabs(strtod(s, NULL));
	return (int)lround(v * 10);
}

static void fmt_tenths(char *buf, size_t n, int t)
{
	if (t < 0)
		snprintf(buf, n, "null");
	else
		snprintf(buf, n, "%d.%d", t / 10, t % 10);
}

static int check_score(const char *id, const char *what, int want, int got)
{
	if (want == got)
		return 0;
	char a[16], b[16];
	fmt_tenths(a, sizeof(a), want);
	fmt_tenths(b, sizeof(b), got);
	printf("%s: %s: expected %s got %s\n", id, what, a, b);
	return 1;
}

/* Parses and scores v; prints and returns 1 when it is rejected. */
static int parse_score(const char *id, const char *v, struct kk_cvss *c, struct kk_cvss_scores *sc)
{
	struct kk_diag d;
	if (kk_cvss_parse(v, strlen(v), c, &d) < 0) {
		printf("%s: %s: rejected: %s (at %s)\n", id, v, d.msg, d.where);
		return 1;
	}
	if (kk_cvss_score(c, sc) < 0) {
		printf("%s: %s: score failed\n", id, v);
		return 1;
	}
	return 0;
}

/* format(parse(v)) must parse to the same metrics and score. */
static int check_roundtrip(const char *id, const struct kk_cvss *c, const struct kk_cvss_scores *sc)
{
	char buf[256];
	size_t n = kk_cvss_format(c, buf, sizeof(buf));
	struct kk_cvss c2;
	struct kk_cvss_scores sc2;
	struct kk_diag d;
	if (n >= sizeof(buf) || kk_cvss_parse(buf, n, &c2, &d) < 0) {
		printf("%s: canonical form '%s' does not parse: %s\n", id, buf, d.msg);
		return 1;
	}
	if (memcmp(c, &c2, sizeof(c2)) || kk_cvss_score(&c2, &sc2) < 0 || memcmp(sc, &sc2, sizeof(sc2))) {
		printf("%s: canonical form '%s' parses to other metrics or scores\n", id, buf);
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------ Red Hat vectors */

static const char *const redhat_files[] = {
    "vectors_calculator2",   "vectors_calculator3", "vectors_cvsslib2", "vectors_cvsslib3",
    "vectors_simple2",       "vectors_simple3",     "vectors_simple31", "vectors_simple4",
    "vectors_supplemental4", "vectors_security4",   "vectors_threat4",
};

static void test_redhat(void **state)
{
	(void)state;
	int fails = 0, total = 0;
	for (size_t k = 0; k < sizeof(redhat_files) / sizeof(redhat_files[0]); k++) {
		char rel[128];
		snprintf(rel, sizeof(rel), "cvss-vectors-redhat/%s", redhat_files[k]);
		size_t len;
		char *buf = tu_slurp(tu_shared(rel), &len), *cur = buf, *line;
		int lineno = 0, in_file = 0;
		while ((line = tu_tsv_line(&cur))) {
			lineno++;
			if (!*line)
				continue;
			char id[160];
			snprintf(id, sizeof(id), "cvss-redhat-%s:%d", redhat_files[k] + 8, lineno);
			char *sep = strstr(line, " - ");
			if (!sep) {
				printf("%s: no ' - ' in '%s'\n", id, line);
				fails++;
				continue;
			}
			*sep = 0;
			char *exp = sep + 3;
			struct kk_cvss c;
			struct kk_cvss_scores sc;
			total++, in_file++;
			if (parse_score(id, line, &c, &sc)) {
				fails++;
				continue;
			}
			if (c.version == KK_CVSS_V40) {
				fails += check_score(id, "score", tenths_of(exp), sc.score);
				fails += check_score(id, "base", tenths_of(exp), sc.base);
			} else {
				/* "(base, temporal, environmental)"; None where not computed. */
				char *f2 = strchr(exp, ','), *f3 = f2 ? strchr(f2 + 1, ',') : NULL;
				if (!f3) {
					printf("%s: cannot read '%s'\n", id, exp);
					fails++;
					continue;
				}
				int b = tenths_of(exp), t = tenths_of(f2 + 1), e = tenths_of(f3 + 1);
				fails += check_score(id, "base", b, sc.base);
				if (t >= 0)
					fails += check_score(id, "temporal", t, sc.temporal);
				if (e >= 0)
					fails += check_score(id, "environmental", e, sc.environmental);
			}
			fails += check_roundtrip(id, &c, &sc);
		}
		if (in_file == 0) {
			printf("cvss-redhat-%s: no vectors read\n", redhat_files[k]);
			fails++;
		}
		kk_free(buf);
	}
	printf("red hat vectors: %d checked, %d failures\n", total, fails);
	assert_true(total >= 7667);
	assert_int_equal(fails, 0);
}

/* ------------------------------------------------------------ real-world vectors */

struct exception {
	char vector[256];
	int published, correct;
};

static void test_realworld(void **state)
{
	(void)state;
	struct exception ex[32];
	int nex = 0;
	size_t len;
	char *eb = tu_slurp("tests/data/cvss/realworld-exceptions.tsv", &len), *cur = eb, *line;
	while ((line = tu_tsv_line(&cur))) {
		if (!*line || *line == '#')
			continue;
		char *f[5];
		assert_int_equal(tu_tsv_split(line, f, 5), 5);
		assert_true(nex < 32);
		snprintf(ex[nex].vector, sizeof(ex[nex].vector), "%s", f[1]);
		ex[nex].published = tenths_of(f[2]);
		ex[nex].correct = tenths_of(f[3]);
		nex++;
	}
	kk_free(eb);

	char *buf = tu_slurp(tu_shared("cvss-vectors-realworld/cvss_realworld_vectors.tsv"), &len);
	cur = buf;
	int lineno = 0, fails = 0, rows = 0, as_temporal = 0, conflicts = 0, excepted = 0, used_ex = 0;
	while ((line = tu_tsv_line(&cur))) {
		lineno++;
		if (lineno == 1 || !*line)
			continue; /* header */
		char *f[6];
		int nf = tu_tsv_split(line, f, 6);
		char id[64];
		snprintf(id, sizeof(id), "cvss-realworld:%d", lineno);
		if (nf < 5) {
			printf("%s: %d fields\n", id, nf);
			fails++;
			continue;
		}
		rows++;
		struct kk_cvss c;
		struct kk_cvss_scores sc;
		if (parse_score(id, f[1], &c, &sc)) {
			fails++;
			continue;
		}
		if (strcmp(kk_cvss_version_name(c.version), f[0])) {
			printf("%s: version %s, file says %s\n", id, kk_cvss_version_name(c.version), f[0]);
			fails++;
		}
		int want = tenths_of(f[2]);
		if (want == sc.base)
			continue;
		/* Many CNAs publish the temporal score in the baseScore field when the
		 * vector has temporal metrics: accept the vector's most specific score. */
		if (want == sc.score) {
			as_temporal++;
			continue;
		}
		/* Rows PROVENANCE flags as conflicting (e.g. "8.4:9|8.5:1") are not ground
		 * truth: one of the reported values must be ours. */
		if (nf >= 6 && *f[5]) {
			int found = 0;
			for (char *p = f[5]; p && *p; p = strchr(p, '|') ? strchr(p, '|') + 1 : NULL) {
				int v = tenths_of(p);
				found |= v == sc.base || v == sc.score;
			}
			if (found) {
				conflicts++;
				continue;
			}
			printf("%s: %s: none of the conflicting published scores %s is ours (base %d, score "
			       "%d)\n",
			       id, f[1], f[5], sc.base, sc.score);
			fails++;
			continue;
		}
		int k;
		for (k = 0; k < nex; k++)
			if (!strcmp(ex[k].vector, f[1]))
				break;
		if (k < nex && ex[k].published == want && ex[k].correct == sc.score) {
			excepted++, used_ex++;
			continue;
		}
		fails += check_score(id, f[1], want, sc.base);
	}
	kk_free(buf);
	printf("real-world: %d rows, %d published the temporal score as base, %d conflicting rows, "
	       "%d explained exceptions, %d failures\n",
	       rows, as_temporal, conflicts, excepted, fails);
	assert_true(rows >= 3499);
	assert_int_equal(used_ex, nex); /* every exception is still needed */
	assert_int_equal(fails, 0);
}

/* ------------------------------------------------------------ our tables */

/*
 * Calls row(f, id, arg) for each row of tests/data/cvss/NAME.tsv (comments
 * and blank lines skipped) with its nf tab-separated fields, id
 * "cvss-<prefix><first field>"; returns the sum of row()'s failure counts and
 * fails the test unless there are at least min rows.
 */
static int each_row(const char *name, int nf, int min, const char *prefix,
                    int (*row)(char **f, const char *id, void *arg), void *arg)
{
	char path[128];
	snprintf(path, sizeof(path), "tests/data/cvss/%s.tsv", name);
	size_t len;
	char *buf = tu_slurp(path, &len), *cur = buf, *line;
	int fails = 0, rows = 0;
	while ((line = tu_tsv_line(&cur))) {
		if (!*line || *line == '#')
			continue;
		char *f[8];
		assert_int_equal(tu_tsv_split(line, f, nf), nf);
		rows++;
		char id[96];
		snprintf(id, sizeof(id), "cvss-%s%s", prefix, f[0]);
		fails += row(f, id, arg);
	}
	kk_free(buf);
	assert_true(rows >= min);
	return fails;
}

/* invalid.tsv: id, vector, diag.where, diag.msg */
static int invalid_row(char **f, const char *id, void *arg)
{
	(void)arg;
	struct kk_cvss c;
	struct kk_diag d;
	int fails = 0;
	kk_diag_clear(&d);
	int rc = kk_cvss_parse(f[1], strlen(f[1]), &c, &d);
	if (rc != KK_EPARSE) {
		printf("%s: '%s' accepted (rc %d)\n", id, f[1], rc);
		return 1;
	}
	if (strcmp(d.where, f[2])) {
		printf("%s: where: expected '%s' got '%s'\n", id, f[2], d.where);
		fails++;
	}
	if (strcmp(d.msg, f[3])) {
		printf("%s: message: expected '%s' got '%s'\n", id, f[3], d.msg);
		fails++;
	}
	/* Without a diag the answer is the same. */
	if (kk_cvss_parse(f[1], strlen(f[1]), &c, NULL) != KK_EPARSE) {
		printf("%s: accepted without a diag\n", id);
		fails++;
	}
	return fails;
}

static void test_invalid(void **state)
{
	(void)state;
	assert_int_equal(each_row("invalid", 4, 30, "invalid-", invalid_row, NULL), 0);
}

/* canonical.tsv: id, vector, canonical form */
static int canonical_row(char **f, const char *id, void *arg)
{
	(void)arg;
	char out[256];
	struct kk_cvss c;
	struct kk_cvss_scores sc;
	if (parse_score(id, f[1], &c, &sc))
		return 1;
	size_t n = kk_cvss_format(&c, out, sizeof(out));
	int fails = 0;
	if (strcmp(out, f[2]) || n != strlen(f[2])) {
		printf("%s: expected %s got %s\n", id, f[2], out);
		fails++;
	}
	return fails + check_roundtrip(id, &c, &sc);
}

static void test_canonical(void **state)
{
	(void)state;
	assert_int_equal(each_row("canonical", 3, 5, "canonical-", canonical_row, NULL), 0);
}

/* scores.tsv: id, vector, base, temporal, environmental, score, severity */
static int scores_row(char **f, const char *id, void *arg)
{
	(void)arg;
	struct kk_cvss c;
	struct kk_cvss_scores sc;
	if (parse_score(id, f[1], &c, &sc))
		return 1;
	int t = sc.groups & KK_CVSS_G_TEMPORAL && c.version != KK_CVSS_V40 ? sc.temporal : -1;
	int e = sc.groups & KK_CVSS_G_ENV && c.version != KK_CVSS_V40 ? sc.environmental : -1;
	int fails = check_score(id, "base", tenths_of(f[2]), sc.base);
	fails += check_score(id, "temporal", tenths_of(f[3]), t);
	fails += check_score(id, "environmental", tenths_of(f[4]), e);
	fails += check_score(id, "score", tenths_of(f[5]), sc.score);
	const char *sev = kk_cvss_severity(c.version, sc.score);
	if (!sev || strcmp(sev, f[6])) {
		printf("%s: severity: expected %s got %s\n", id, f[6], sev ? sev : "NULL");
		fails++;
	}
	return fails;
}

static void test_scores(void **state)
{
	(void)state;
	assert_int_equal(each_row("scores", 7, 10, "", scores_row, NULL), 0);
}

/* ------------------------------------------------------------ API edges */

static void test_api(void **state)
{
	(void)state;
	struct kk_cvss c;
	struct kk_cvss_scores sc;
	struct kk_diag d;
	assert_int_equal(kk_cvss_parse("", 0, &c, &d), KK_EPARSE);
	assert_string_equal(d.msg, "empty CVSS vector");
	/* The length bounds the input: a valid prefix of a longer buffer parses. */
	const char *v = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Hxyz";
	assert_int_equal(kk_cvss_parse(v, strlen(v) - 3, &c, &d), 0);
	assert_int_equal(kk_cvss_score(&c, &sc), 0);
	assert_int_equal(sc.base, 98);
	assert_int_equal(sc.groups, KK_CVSS_G_BASE);
	/* NUL bytes are data, not padding: "A:H\0" is not "A:H" (found by fz-cvss). */
	static const char nul[] = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\0\0/E:F";
	struct kk_cvss c3;
	assert_int_equal(kk_cvss_parse(nul, sizeof(nul) - 1, &c3, &d), KK_EPARSE);
	assert_string_equal(d.where, "A");
	assert_int_equal(kk_cvss_parse(nul, strlen(nul) + 1, &c3, &d), KK_EPARSE);
	/* Truncating format behaves like snprintf. */
	char small[10];
	size_t n = kk_cvss_format(&c, small, sizeof(small));
	assert_int_equal(n, strlen("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
	assert_string_equal(small, "CVSS:3.1/");
	assert_int_equal(kk_cvss_format(&c, NULL, 0), n);
	/* A struct that is not a vector does not score. */
	struct kk_cvss bad;
	memset(&bad, 0, sizeof(bad));
	assert_int_equal(kk_cvss_score(&bad, &sc), KK_EINVAL);
	bad.version = KK_CVSS_V31;
	assert_int_equal(kk_cvss_score(&bad, &sc), KK_EINVAL);
	/* Severity bands. */
	assert_string_equal(kk_cvss_severity(KK_CVSS_V2, 0), "LOW");
	assert_string_equal(kk_cvss_severity(KK_CVSS_V2, 39), "LOW");
	assert_string_equal(kk_cvss_severity(KK_CVSS_V2, 40), "MEDIUM");
	assert_string_equal(kk_cvss_severity(KK_CVSS_V2, 70), "HIGH");
	assert_string_equal(kk_cvss_severity(KK_CVSS_V2, 100), "HIGH");
	assert_string_equal(kk_cvss_severity(KK_CVSS_V31, 0), "NONE");
	assert_string_equal(kk_cvss_severity(KK_CVSS_V31, 1), "LOW");
	assert_string_equal(kk_cvss_severity(KK_CVSS_V30, 69), "MEDIUM");
	assert_string_equal(kk_cvss_severity(KK_CVSS_V40, 89), "HIGH");
	assert_string_equal(kk_cvss_severity(KK_CVSS_V40, 90), "CRITICAL");
	assert_null(kk_cvss_severity(KK_CVSS_V31, 101));
	assert_null(kk_cvss_severity(KK_CVSS_V31, -1));
	assert_null(kk_cvss_severity(9, 50));
	/* Every metric of every version: its last value scores (and counts its
	 * group as given), one past it does not, and a base metric is mandatory. */
	static const char *const any[] = {
	    [KK_CVSS_V2] = "AV:N/AC:L/Au:N/C:C/I:C/A:C",
	    [KK_CVSS_V30] = "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
	    [KK_CVSS_V31] = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
	    [KK_CVSS_V40] = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
	};
	for (int ver = KK_CVSS_V2; ver <= KK_CVSS_V40; ver++) {
		struct kk_cvss b;
		assert_int_equal(kk_cvss_parse(any[ver], strlen(any[ver]), &b, &d), 0);
		for (int i = 0; i < kk_cvss_metric_count(ver); i++) {
			int nv = 0;
			while (kk_cvss_value_name(ver, i, nv + 1))
				nv++;
			unsigned g = kk_cvss_metric_group(ver, i);
			struct kk_cvss t = b;
			t.val[i] = (unsigned char)nv;
			assert_int_equal(kk_cvss_score(&t, &sc), 0);
			assert_true(sc.groups & g);
			t.val[i] = (unsigned char)(nv + 1);
			assert_int_equal(kk_cvss_score(&t, &sc), KK_EINVAL);
			t.val[i] = 0;
			assert_int_equal(kk_cvss_score(&t, &sc), g == KK_CVSS_G_BASE ? KK_EINVAL : 0);
		}
		struct kk_cvss t = b;
		t.val[kk_cvss_metric_count(ver) < KK_CVSS_MAX_METRICS ? kk_cvss_metric_count(ver) : 0] = 200;
		assert_int_equal(kk_cvss_score(&t, &sc), KK_EINVAL);
	}
	/* Metric tables. */
	assert_int_equal(kk_cvss_metric_count(KK_CVSS_V2), 14);
	assert_int_equal(kk_cvss_metric_count(KK_CVSS_V31), 22);
	assert_int_equal(kk_cvss_metric_count(KK_CVSS_V40), 32);
	assert_string_equal(kk_cvss_metric_name(KK_CVSS_V40, 31), "U");
	assert_string_equal(kk_cvss_value_name(KK_CVSS_V40, 31, 5), "Red");
	assert_null(kk_cvss_value_name(KK_CVSS_V40, 31, 6));
	assert_int_equal(kk_cvss_metric_group(KK_CVSS_V40, 11), KK_CVSS_G_TEMPORAL);
}

/* ------------------------------------------------------------ v4.0 tables vs FIRST's JSON */

/*
 * A small JSON walker for the three FIRST files (objects, arrays, strings,
 * numbers): calls leaf(path, value) for every scalar, path like "eq3/1/0/2".
 */
struct walk {
	const char *p;
	int err;
	void (*leaf)(const char *path, const char *val, size_t n, void *arg);
	void *arg;
};

static void ws(struct walk *w)
{
	while (*w->p == ' ' || *w->p == '\n' || *w->p == '\t' || *w->p == '\r')
		w->p++;
}

static void walk_value(struct walk *w, char *path, size_t plen);

static void walk_string(struct walk *w, const char **s, size_t *n)
{
	if (*w->p != '"') {
		w->err = 1;
		return;
	}
	*s = ++w->p;
	while (*w->p && *w->p != '"')
		w->p++;
	if (!*w->p) {
		w->err = 1;
		return;
	}
	*n = (size_t)(w->p - *s);
	w->p++;
}

static void walk_value(struct walk *w, char *path, size_t plen)
{
	ws(w);
	if (w->err)
		return;
	if (*w->p == '{' || *w->p == '[') {
		char close = *w->p == '{' ? '}' : ']';
		int obj = *w->p == '{', idx = 0;
		w->p++;
		ws(w);
		while (!w->err && *w->p != close) {
			size_t l = plen;
			if (plen)
				path[l++] = '/';
			if (obj) {
				const char *k;
				size_t kn;
				walk_string(w, &k, &kn);
				if (w->err || l + kn >= 200) {
					w->err = 1;
					return;
				}
				memcpy(path + l, k, kn);
				l += kn;
				ws(w);
				if (*w->p != ':') {
					w->err = 1;
					return;
				}
				w->p++;
			} else {
				l += (size_t)snprintf(path + l, 200 - l, "%d", idx++);
			}
			path[l] = 0;
			walk_value(w, path, l);
			path[plen] = 0;
			ws(w);
			if (*w->p == ',')
				w->p++, ws(w);
			else if (*w->p != close)
				w->err = 1;
		}
		if (*w->p == close)
			w->p++;
		return;
	}
	const char *s;
	size_t n;
	if (*w->p == '"') {
		walk_string(w, &s, &n);
	} else {
		s = w->p;
		while (*w->p && strchr("-+.eE0123456789", *w->p))
			w->p++;
		n = (size_t)(w->p - s);
		if (!n)
			w->err = 1;
	}
	if (!w->err)
		w->leaf(path, s, n, w->arg);
}

static int walk_file(const char *rel, void (*leaf)(const char *, const char *, size_t, void *), void *arg)
{
	size_t len;
	char *buf = tu_slurp(tu_shared(rel), &len);
	char path[256] = "";
	struct walk w = {buf, 0, leaf, arg};
	walk_value(&w, path, 0);
	kk_free(buf);
	return w.err;
}

struct tally {
	int leaves, fails;
};

static double num(const char *s, size_t n)
{
	char t[32];
	snprintf(t, sizeof(t), "%.*s", (int)n, s);
	return strtod(t, NULL);
}

static void lookup_leaf(const char *path, const char *val, size_t n, void *arg)
{
	struct tally *t = arg;
	t->leaves++;
	int d[6];
	if (strlen(path) != 6 ||
	    sscanf(path, "%1d%1d%1d%1d%1d%1d", &d[0], &d[1], &d[2], &d[3], &d[4], &d[5]) != 6 || d[0] > 2 ||
	    d[1] > 1 || d[2] > 2 || d[3] > 2 || d[4] > 2 || d[5] > 1) {
		printf("cvss4-lookup: key %s outside the EQ dimensions\n", path);
		t->fails++;
		return;
	}
	double want = num(val, n), got = kk_cvss4_lookup[d[0]][d[1]][d[2]][d[3]][d[4]][d[5]];
	if (want != got) {
		printf("cvss4-lookup-%s: expected %g got %g\n", path, want, got);
		t->fails++;
	}
}

/* The values FIRST's text names, in order: "AV:N/PR:L/UI:N/" -> "NLN". */
static void values_of(const char *text, size_t n, char *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (text[i] == ':')
			out[k++] = text[i + 1];
	out[k] = 0;
}

static const struct kk_cvss4_max_list *max_list(const char *path, int *idx)
{
	int a = -1, b = -1, c = -1;
	if (sscanf(path, "eq3/%d/%d/%d", &a, &b, &c) == 3 && a >= 0 && a < 3 && b >= 0 && b < 2) {
		*idx = c;
		return &kk_cvss4_eq3_max[a][b];
	}
	int eq;
	if (sscanf(path, "eq%d/%d/%d", &eq, &a, &b) != 3 || a < 0 || a > 2)
		return NULL;
	*idx = b;
	switch (eq) {
	case 1:
		return &kk_cvss4_eq1_max[a];
	case 2:
		return a < 2 ? &kk_cvss4_eq2_max[a] : NULL;
	case 4:
		return &kk_cvss4_eq4_max[a];
	case 5:
		return &kk_cvss4_eq5_max[a];
	}
	return NULL;
}

static void composed_leaf(const char *path, const char *val, size_t n, void *arg)
{
	struct tally *t = arg;
	t->leaves++;
	int idx;
	const struct kk_cvss4_max_list *l = max_list(path, &idx);
	if (!l || idx < 0 || idx >= l->n) {
		printf("cvss4-max-composed-%s: not in the compiled table\n", path);
		t->fails++;
		return;
	}
	char vals[16];
	values_of(val, n, vals);
	if (strlen(l->v[idx].text) != n || memcmp(l->v[idx].text, val, n) || strcmp(l->v[idx].val, vals)) {
		printf("cvss4-max-composed-%s: expected %.*s got %s (%s)\n", path, (int)n, val,
		       l->v[idx].text, l->v[idx].val);
		t->fails++;
	}
}

static void severity_leaf(const char *path, const char *val, size_t n, void *arg)
{
	struct tally *t = arg;
	t->leaves++;
	int a = -1, b = -1, got = -2;
	if (sscanf(path, "eq3eq6/%d/%d", &a, &b) == 2 && a >= 0 && a < 3 && b >= 0 && b < 2)
		got = kk_cvss4_eq3eq6_depth[a][b];
	else if (sscanf(path, "eq1/%d", &a) == 1 && a >= 0 && a < 3)
		got = kk_cvss4_eq1_depth[a];
	else if (sscanf(path, "eq2/%d", &a) == 1 && a >= 0 && a < 2)
		got = kk_cvss4_eq2_depth[a];
	else if (sscanf(path, "eq4/%d", &a) == 1 && a >= 0 && a < 3)
		got = kk_cvss4_eq4_depth[a];
	else if (sscanf(path, "eq5/%d", &a) == 1 && a >= 0 && a < 3)
		got = kk_cvss4_eq5_depth[a];
	if (got != (int)num(val, n)) {
		printf("cvss4-max-severity-%s: expected %.*s got %d\n", path, (int)n, val, got);
		t->fails++;
	}
}

static void test_v4_tables(void **state)
{
	(void)state;
	struct tally t = {0, 0};
	assert_int_equal(walk_file("cvss-v4-first-lookup/cvss4_macrovector_lookup.json", lookup_leaf, &t), 0);
	int present = 0;
	const double *flat = &kk_cvss4_lookup[0][0][0][0][0][0];
	for (int i = 0; i < 3 * 2 * 3 * 3 * 3 * 2; i++)
		present += flat[i] >= 0;
	printf("lookup: %d JSON entries, %d compiled\n", t.leaves, present);
	assert_int_equal(t.leaves, 270);
	assert_int_equal(present, t.leaves); /* nothing compiled that FIRST lacks */
	assert_int_equal(t.fails, 0);

	struct tally c = {0, 0};
	assert_int_equal(walk_file("cvss-v4-first-lookup/cvss4_max_composed.json", composed_leaf, &c), 0);
	int compiled = 0;
	for (int i = 0; i < 3; i++)
		compiled += kk_cvss4_eq1_max[i].n + kk_cvss4_eq4_max[i].n + kk_cvss4_eq5_max[i].n +
		            kk_cvss4_eq3_max[i][0].n + kk_cvss4_eq3_max[i][1].n +
		            (i < 2 ? kk_cvss4_eq2_max[i].n : 0);
	assert_int_equal(c.leaves, compiled);
	assert_int_equal(c.fails, 0);

	struct tally s = {0, 0};
	assert_int_equal(walk_file("cvss-v4-first-lookup/cvss4_max_severity.json", severity_leaf, &s), 0);
	assert_int_equal(s.leaves, 3 + 2 + 5 + 3 + 3);
	assert_int_equal(s.fails, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_redhat),    cmocka_unit_test(test_realworld),
	    cmocka_unit_test(test_invalid),   cmocka_unit_test(test_canonical),
	    cmocka_unit_test(test_scores),    cmocka_unit_test(test_api),
	    cmocka_unit_test(test_v4_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

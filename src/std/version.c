/*
 * version.c — version comparison for generic, semver, dpkg, rpm, PEP 440 and
 * Maven versions, and NVD / OSV range checks. Pure: no allocation, no state.
 */
#include "std/version.h"
#include "base/str.h"
#include <stdio.h>
#include <string.h>

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}
static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static bool is_alnum(int c)
{
	return is_digit(c) || is_alpha(c);
}
static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}
static int sign(int x)
{
	return (x > 0) - (x < 0);
}

/* Compares two digit strings as numbers of any size. */
static int numcmp(const char *a, size_t an, const char *b, size_t bn)
{
	while (an && *a == '0')
		a++, an--;
	while (bn && *b == '0')
		b++, bn--;
	if (an != bn)
		return an < bn ? -1 : 1;
	return sign(an ? memcmp(a, b, an) : 0);
}
static bool num_is_zero(const char *a, size_t an)
{
	for (size_t i = 0; i < an; i++)
		if (a[i] != '0')
			return false;
	return true;
}
/* Case-insensitive compare of two letter runs. */
static int icmp(const char *a, size_t an, const char *b, size_t bn)
{
	for (size_t i = 0; i < an && i < bn; i++)
		if (lower(a[i]) != lower(b[i]))
			return lower(a[i]) < lower(b[i]) ? -1 : 1;
	return an == bn ? 0 : an < bn ? -1 : 1;
}
static bool ieq(const char *a, size_t an, const char *lit)
{
	size_t n = strlen(lit);
	return an == n && !icmp(a, an, lit, n);
}

static const char *scheme_names[KK_VERSION__COUNT] = {"generic", "semver", "deb", "rpm", "pypi", "maven"};

const char *kk_version_scheme_name(enum kk_version_scheme s)
{
	return (unsigned)s < KK_VERSION__COUNT ? scheme_names[s] : "?";
}

int kk_version_scheme_parse(const char *name, enum kk_version_scheme *out)
{
	static const struct {
		const char *name;
		enum kk_version_scheme s;
	} alias[] = {
		{"generic", KK_VERSION_GENERIC}, {"semver", KK_VERSION_SEMVER},	     {"deb", KK_VERSION_DEB},
		{"debian", KK_VERSION_DEB},	 {"ubuntu", KK_VERSION_DEB},	     {"rpm", KK_VERSION_RPM},
		{"red hat", KK_VERSION_RPM},	 {"almalinux", KK_VERSION_RPM},	     {"rocky linux", KK_VERSION_RPM},
		{"suse", KK_VERSION_RPM},	 {"opensuse", KK_VERSION_RPM},	     {"pypi", KK_VERSION_PYPI},
		{"maven", KK_VERSION_MAVEN},	 {"npm", KK_VERSION_SEMVER},	     {"crates.io", KK_VERSION_SEMVER},
		{"go", KK_VERSION_SEMVER},	 {"ecosystem", KK_VERSION_GENERIC},
	};
	if (!name)
		return KK_EINVAL;
	for (size_t i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (kk_str_ieq(name, alias[i].name)) {
			*out = alias[i].s;
			return 0;
		}
	return KK_EINVAL;
}

/* ---------------------------------------------------------------- generic */

/*
 * Generic versions are split into numbers and letter runs; '.', '-', '_',
 * '+', '~' and any other punctuation only separate. A leading 'v' is
 * dropped. The token lists are compared position by position, the shorter
 * padded with "end", and tokens order as
 *     pre-release tag < end = 0 < other letters < number >= 1
 * where the pre-release tags are dev < alpha < beta < milestone < pre <
 * rc (also "a", "b", "c", "m" when a number follows, "preview", "cr"), so
 * 1.0rc1 < 1.0 = 1.0.0 < 1.0a < 1.0.1 and 1.0-beta < 1.0-beta.2. Letters
 * compare case-insensitively. One total order on tokens keeps the
 * comparison transitive.
 */
enum { G_PRE, G_END, G_ALPHA, G_NUM };
struct gtok {
	int cls, rank;
	const char *p;
	size_t n;
};

static int pre_rank(const char *p, size_t n, bool digit_follows)
{
	static const struct {
		const char *w;
		int rank;
	} tags[] = {{"dev", 0},	    {"snapshot", 0}, {"alpha", 1}, {"beta", 2}, {"milestone", 3},
		    {"pre", 4},	    {"preview", 4},  {"rc", 5},	   {"cr", 5}};
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (ieq(p, n, tags[i].w))
			return tags[i].rank;
	if (n == 1 && digit_follows) {
		switch (lower(*p)) {
		case 'a': return 1;
		case 'b': return 2;
		case 'm': return 3;
		case 'c': return 5;
		}
	}
	return -1;
}

static const char *gnext(const char *s, struct gtok *t)
{
	while (*s && !is_alnum(*s))
		s++;
	if (!*s) {
		*t = (struct gtok){G_END, 0, s, 0};
		return s;
	}
	const char *b = s;
	if (is_digit(*s)) {
		while (is_digit(*s))
			s++;
		*t = (struct gtok){G_NUM, 0, b, (size_t)(s - b)};
		return s;
	}
	while (is_alpha(*s))
		s++;
	int r = pre_rank(b, (size_t)(s - b), is_digit(*s));
	*t = (struct gtok){r >= 0 ? G_PRE : G_ALPHA, r, b, (size_t)(s - b)};
	return s;
}

static int generic_cmp(const char *a, const char *b)
{
	if ((*a == 'v' || *a == 'V') && is_digit(a[1]))
		a++;
	if ((*b == 'v' || *b == 'V') && is_digit(b[1]))
		b++;
	for (;;) {
		struct gtok x, y;
		a = gnext(a, &x);
		b = gnext(b, &y);
		if (x.cls == G_END && y.cls == G_END)
			return 0;
		/* a missing number is 0: the end and a 0 are the same token */
		if (x.cls == G_NUM && num_is_zero(x.p, x.n))
			x.cls = G_END;
		if (y.cls == G_NUM && num_is_zero(y.p, y.n))
			y.cls = G_END;
		if (x.cls != y.cls)
			return x.cls < y.cls ? -1 : 1;
		int c = 0;
		if (x.cls == G_NUM)
			c = numcmp(x.p, x.n, y.p, y.n);
		else if (x.cls == G_PRE)
			c = x.rank == y.rank ? 0 : x.rank < y.rank ? -1 : 1;
		else if (x.cls == G_ALPHA)
			c = icmp(x.p, x.n, y.p, y.n);
		if (c)
			return c;
	}
}

/*
 * The key of a generic version: its tokens as generic_cmp sees them, one
 * rendering per class of equal tokens (a number without leading zeros, a
 * pre-release tag as '~' and its rank, letters in lower case), joined by
 * '.', with the trailing zeros dropped (a missing number is 0). So two
 * versions compare equal exactly when their keys are equal.
 */
static int generic_key(const char *v, char *out, size_t cap)
{
	size_t o = 0, keep = 0; /* keep: the length up to the last token that is not 0 */
	if ((*v == 'v' || *v == 'V') && is_digit(v[1]))
		v++;
	for (;;) {
		struct gtok t;
		v = gnext(v, &t);
		if (t.cls == G_END)
			break;
		const char *p = t.p;
		size_t n = t.n;
		char rank[3] = {'~', (char)('0' + t.rank), 0};
		if (t.cls == G_NUM) {
			while (n > 1 && *p == '0')
				p++, n--;
		} else if (t.cls == G_PRE) {
			p = rank, n = 2;
		}
		if (o + (o > 0) + n + 1 > cap)
			return KK_ETOOBIG;
		if (o)
			out[o++] = '.';
		for (size_t i = 0; i < n; i++)
			out[o++] = (char)lower(p[i]);
		if (!(t.cls == G_NUM && num_is_zero(p, n)))
			keep = o;
	}
	if (!keep) { /* "0", "0.0", "v0": all zeros */
		if (cap < 2)
			return KK_ETOOBIG;
		out[0] = '0', keep = 1;
	}
	out[keep] = 0;
	return 0;
}

bool kk_version_is_commit(const char *v)
{
	size_t n = 0;
	bool letter = false, digit = false;
	for (; v && v[n]; n++) {
		char c = (char)lower(v[n]);
		if (is_digit(c))
			digit = true;
		else if (c >= 'a' && c <= 'f')
			letter = true;
		else
			return false;
	}
	return n >= 7 && n <= 64 && letter && digit;
}

int kk_version_key(const char *v, char *out, size_t cap)
{
	if (!v || !cap)
		return KK_EINVAL;
	size_t n = strlen(v);
	if (!strcmp(v, "*") || !strcmp(v, "-") || kk_version_is_commit(v) || !n) {
		bool commit = n && kk_version_is_commit(v);
		if (n + commit + 1 > cap)
			return KK_ETOOBIG;
		size_t o = 0;
		if (commit)
			out[o++] = '#';
		for (size_t i = 0; i <= n; i++)
			out[o++] = (char)lower(v[i]);
		return 0;
	}
	if (n > KK_VERSION_MAX)
		return KK_ETOOBIG;
	return generic_key(v, out, cap);
}

int kk_version_go_tag(const char *tag, char *out, size_t cap)
{
	/* goMAJOR[.MINOR[.PATCH]][(alpha|beta|rc)N] */
	if (!tag || strncmp(tag, "go", 2) || !is_digit(tag[2]))
		return KK_EINVAL;
	const char *s = tag + 2, *num[3] = {"0", "0", "0"};
	size_t len[3] = {1, 1, 1};
	int k = 0;
	for (;; s++) {
		if (k == 3 || !is_digit(*s))
			return KK_EINVAL;
		num[k] = s;
		while (is_digit(*s))
			s++;
		len[k] = (size_t)(s - num[k]);
		if (len[k] > 1 && *num[k] == '0')
			return KK_EINVAL; /* no leading zeros, as in semver */
		k++;
		if (*s != '.')
			break;
	}
	const char *pre = s;
	while (is_alpha(*s))
		s++;
	size_t pn = (size_t)(s - pre);
	if (pn && !ieq(pre, pn, "alpha") && !ieq(pre, pn, "beta") && !ieq(pre, pn, "rc"))
		return KK_EINVAL;
	const char *pnum = s;
	while (is_digit(*s))
		s++;
	if (*s || (pn && s == pnum) || (!pn && s != pnum) || (s - pnum > 1 && *pnum == '0'))
		return KK_EINVAL;
	int w = snprintf(out, cap, "%.*s.%.*s.%.*s%s%.*s%s%s", (int)len[0], num[0], (int)len[1], num[1],
	                 (int)len[2], num[2], pn ? "-" : "", (int)pn, pre, pn ? "." : "", pn ? pnum : "");
	return w < 0 || (size_t)w >= cap ? KK_ETOOBIG : 0;
}

/* ----------------------------------------------------------------- semver */

struct semver {
	const char *major, *minor, *patch;
	size_t majn, minn, patn;
	const char *pre; /* NULL when absent */
	size_t pren;
};

/* "'1.2' is not a <what> version: <why> (at offset N)" for the strict schemes. */
static int strict_fail(struct kk_diag *d, const char *what, const char *v, size_t at, const char *why)
{
	int rc = kk_diag_set(d, KK_EPARSE, "version", "'%s' is not a %s version: %s (at offset %zu)", v, what, why,
			     at);
	if (d)
		d->offset = at;
	return rc;
}

static int semver_fail(struct kk_diag *d, const char *v, size_t at, const char *why)
{
	return strict_fail(d, "Semantic Versioning 2.0", v, at, why);
}

static int semver_num(const char *v, size_t *i, const char **p, size_t *n, const char *what, struct kk_diag *d)
{
	size_t b = *i;
	while (is_digit(v[*i]))
		(*i)++;
	if (*i == b)
		return semver_fail(d, v, b, what);
	if (v[b] == '0' && *i - b > 1)
		return semver_fail(d, v, b, "numbers may not have leading zeros");
	*p = v + b;
	*n = *i - b;
	return 0;
}

/* Dot-separated identifiers [0-9A-Za-z-]+ ; numeric ones without leading zeros when `numeric_rule`. */
static int semver_idents(const char *v, size_t *i, bool numeric_rule, const char *what, struct kk_diag *d)
{
	for (;;) {
		size_t b = *i;
		bool all_digits = true;
		while (is_alnum(v[*i]) || v[*i] == '-') {
			if (!is_digit(v[*i]))
				all_digits = false;
			(*i)++;
		}
		if (*i == b)
			return semver_fail(d, v, b, what);
		if (numeric_rule && all_digits && v[b] == '0' && *i - b > 1)
			return semver_fail(d, v, b, "numeric pre-release identifiers may not have leading zeros");
		if (v[*i] != '.')
			return 0;
		(*i)++;
	}
}

static int semver_parse(const char *v, struct semver *s, struct kk_diag *d)
{
	size_t i = 0;
	int rc;
	memset(s, 0, sizeof(*s));
	if ((rc = semver_num(v, &i, &s->major, &s->majn, "needs MAJOR.MINOR.PATCH, e.g. 1.4.2", d)))
		return rc;
	if (v[i++] != '.')
		return semver_fail(d, v, i - 1, "needs MAJOR.MINOR.PATCH, e.g. 1.4.2");
	if ((rc = semver_num(v, &i, &s->minor, &s->minn, "needs MAJOR.MINOR.PATCH, e.g. 1.4.2", d)))
		return rc;
	if (v[i++] != '.')
		return semver_fail(d, v, i - 1, "needs MAJOR.MINOR.PATCH, e.g. 1.4.2");
	if ((rc = semver_num(v, &i, &s->patch, &s->patn, "needs MAJOR.MINOR.PATCH, e.g. 1.4.2", d)))
		return rc;
	if (v[i] == '-') {
		size_t b = ++i;
		if ((rc = semver_idents(v, &i, true, "empty pre-release identifier", d)))
			return rc;
		s->pre = v + b;
		s->pren = i - b;
	}
	if (v[i] == '+') {
		i++;
		if ((rc = semver_idents(v, &i, false, "empty build-metadata identifier", d)))
			return rc;
	}
	if (v[i])
		return semver_fail(d, v, i, "unexpected character");
	return 0;
}

static int semver_pre_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;
	for (;;) {
		if (i >= an && j >= bn)
			return 0;
		if (i >= an)
			return -1; /* fewer identifiers: lower */
		if (j >= bn)
			return 1;
		size_t ie = i, je = j;
		bool an_num = true, bn_num = true;
		while (ie < an && a[ie] != '.')
			an_num &= is_digit(a[ie++]);
		while (je < bn && b[je] != '.')
			bn_num &= is_digit(b[je++]);
		int c;
		if (an_num && bn_num)
			c = numcmp(a + i, ie - i, b + j, je - j);
		else if (an_num != bn_num)
			c = an_num ? -1 : 1;
		else {
			size_t la = ie - i, lb = je - j;
			c = memcmp(a + i, b + j, la < lb ? la : lb);
			c = c ? sign(c) : la == lb ? 0 : la < lb ? -1 : 1;
		}
		if (c)
			return c;
		i = ie + 1, j = je + 1;
	}
}

static int semver_cmp(const struct semver *x, const struct semver *y)
{
	int c;
	if ((c = numcmp(x->major, x->majn, y->major, y->majn)) || (c = numcmp(x->minor, x->minn, y->minor, y->minn)) ||
	    (c = numcmp(x->patch, x->patn, y->patch, y->patn)))
		return c;
	if (!x->pre || !y->pre)
		return x->pre ? -1 : y->pre ? 1 : 0;
	return semver_pre_cmp(x->pre, x->pren, y->pre, y->pren);
}

/* ------------------------------------------------------------------- dpkg */

struct evr {
	const char *epoch, *ver, *rel; /* rel NULL when absent */
	size_t epn, vern, reln;
};

/* [epoch:]version[-release]; epoch digits only. */
static int evr_split(const char *v, struct evr *e, const char *scheme, struct kk_diag *d)
{
	memset(e, 0, sizeof(*e));
	const char *colon = strchr(v, ':');
	const char *rest = v;
	if (colon) {
		for (const char *p = v; p < colon; p++)
			if (!is_digit(*p))
				return kk_diag_set(d, KK_EPARSE, "version",
						   "'%s' is not a %s version: the epoch before ':' must be a number", v,
						   scheme);
		if (colon == v)
			return kk_diag_set(d, KK_EPARSE, "version", "'%s' is not a %s version: empty epoch", v,
					   scheme);
		e->epoch = v;
		e->epn = (size_t)(colon - v);
		rest = colon + 1;
	}
	const char *dash = strrchr(rest, '-');
	e->ver = rest;
	e->vern = dash ? (size_t)(dash - rest) : strlen(rest);
	if (dash) {
		e->rel = dash + 1;
		e->reln = strlen(dash + 1);
	}
	if (!e->vern)
		return kk_diag_set(d, KK_EPARSE, "version", "'%s' is not a %s version: empty version part", v,
				   scheme);
	return 0;
}

static int deb_order(const char *p, size_t i, size_t n)
{
	if (i >= n)
		return 0;
	int c = (unsigned char)p[i];
	if (is_digit(c))
		return 0;
	if (is_alpha(c))
		return c;
	if (c == '~')
		return -1;
	return c + 256;
}

/* dpkg's verrevcmp over two slices. */
static int deb_verrevcmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;
	while (i < an || j < bn) {
		int first_diff = 0;
		while ((i < an && !is_digit(a[i])) || (j < bn && !is_digit(b[j]))) {
			int ac = deb_order(a, i, an), bc = deb_order(b, j, bn);
			if (ac != bc)
				return sign(ac - bc);
			i++, j++;
		}
		while (i < an && a[i] == '0')
			i++;
		while (j < bn && b[j] == '0')
			j++;
		while (i < an && j < bn && is_digit(a[i]) && is_digit(b[j])) {
			if (!first_diff)
				first_diff = a[i] - b[j];
			i++, j++;
		}
		if (i < an && is_digit(a[i]))
			return 1;
		if (j < bn && is_digit(b[j]))
			return -1;
		if (first_diff)
			return sign(first_diff);
	}
	return 0;
}

static int deb_cmp(const struct evr *x, const struct evr *y)
{
	int c = numcmp(x->epoch ? x->epoch : "0", x->epoch ? x->epn : 1, y->epoch ? y->epoch : "0",
		       y->epoch ? y->epn : 1);
	if (c || (c = deb_verrevcmp(x->ver, x->vern, y->ver, y->vern)))
		return c;
	return deb_verrevcmp(x->rel ? x->rel : "", x->reln, y->rel ? y->rel : "", y->reln);
}

/* -------------------------------------------------------------------- rpm */

/* rpmvercmp over two slices, with '~' (before everything, even the end) and
 * '^' (after the end, before anything else). */
static int rpm_vercmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;
	if (an == bn && !memcmp(a, b, an))
		return 0;
	while (i < an || j < bn) {
		while (i < an && !is_alnum(a[i]) && a[i] != '~' && a[i] != '^')
			i++;
		while (j < bn && !is_alnum(b[j]) && b[j] != '~' && b[j] != '^')
			j++;
		bool at = i < an && a[i] == '~', bt = j < bn && b[j] == '~';
		if (at || bt) {
			if (!at)
				return 1;
			if (!bt)
				return -1;
			i++, j++;
			continue;
		}
		bool ac = i < an && a[i] == '^', bc = j < bn && b[j] == '^';
		if (ac || bc) {
			if (i >= an)
				return -1;
			if (j >= bn)
				return 1;
			if (!ac)
				return 1;
			if (!bc)
				return -1;
			i++, j++;
			continue;
		}
		if (i >= an || j >= bn)
			break;
		size_t si = i, sj = j;
		bool isnum = is_digit(a[i]);
		if (isnum) {
			while (i < an && is_digit(a[i]))
				i++;
			while (j < bn && is_digit(b[j]))
				j++;
		} else {
			while (i < an && is_alpha(a[i]))
				i++;
			while (j < bn && is_alpha(b[j]))
				j++;
		}
		if (j == sj) /* different segment types: number is newer */
			return isnum ? 1 : -1;
		int c;
		if (isnum)
			c = numcmp(a + si, i - si, b + sj, j - sj);
		else {
			size_t la = i - si, lb = j - sj;
			c = memcmp(a + si, b + sj, la < lb ? la : lb);
			c = c ? sign(c) : la == lb ? 0 : la < lb ? -1 : 1;
		}
		if (c)
			return c;
	}
	if (i >= an && j >= bn)
		return 0;
	return i >= an ? -1 : 1;
}

/* A missing release sorts as an empty one, i.e. before any release. */
static int rpm_cmp(const struct evr *x, const struct evr *y)
{
	int c = numcmp(x->epoch ? x->epoch : "0", x->epoch ? x->epn : 1, y->epoch ? y->epoch : "0",
		       y->epoch ? y->epn : 1);
	if (c || (c = rpm_vercmp(x->ver, x->vern, y->ver, y->vern)))
		return c;
	return rpm_vercmp(x->rel ? x->rel : "", x->reln, y->rel ? y->rel : "", y->reln);
}

/* ---------------------------------------------------------------- PEP 440 */

struct pep440 {
	const char *epoch, *release, *pre_n, *post_n, *dev_n, *local;
	size_t epn, reln, pre_nn, post_nn, dev_nn, localn;
	int pre; /* -1 none, 0 a, 1 b, 2 rc */
	bool post, dev;
};

static bool pep_sep(int c)
{
	return c == '-' || c == '_' || c == '.';
}
static size_t alpha_run(const char *s)
{
	size_t n = 0;
	while (is_alpha(s[n]))
		n++;
	return n;
}
static size_t digit_run(const char *s)
{
	size_t n = 0;
	while (is_digit(s[n]))
		n++;
	return n;
}

/* [sep] word [sep] [digits] where word is one of `words`; advances *i. */
static bool pep_tag(const char *v, size_t *i, const char *const *words, int *which, const char **np, size_t *nn)
{
	size_t k = *i;
	if (pep_sep(v[k]))
		k++;
	size_t wn = alpha_run(v + k);
	int w = -1;
	for (int x = 0; words[x]; x++)
		if (ieq(v + k, wn, words[x])) {
			w = x;
			break;
		}
	if (w < 0 || !wn)
		return false;
	k += wn;
	size_t save = k;
	if (pep_sep(v[k]))
		k++;
	size_t dn = digit_run(v + k);
	if (dn) {
		*np = v + k;
		*nn = dn;
		k += dn;
	} else {
		k = save; /* a separator with no number after it is not ours */
		*np = "0";
		*nn = 1;
	}
	*which = w;
	*i = k;
	return true;
}

static int pep_fail(struct kk_diag *d, const char *v, size_t at, const char *why)
{
	return strict_fail(d, "PEP 440", v, at, why);
}

static int pep_parse(const char *v, struct pep440 *p, struct kk_diag *d)
{
	static const char *const pre_words[] = {"a", "alpha", "b", "beta", "c", "rc", "pre", "preview", NULL};
	static const int pre_kind[] = {0, 0, 1, 1, 2, 2, 2, 2};
	static const char *const post_words[] = {"post", "rev", "r", NULL};
	static const char *const dev_words[] = {"dev", NULL};
	memset(p, 0, sizeof(*p));
	p->pre = -1;
	size_t i = 0, end = strlen(v);
	while (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r')
		i++;
	while (end > i && (v[end - 1] == ' ' || v[end - 1] == '\t' || v[end - 1] == '\n' || v[end - 1] == '\r'))
		end--;
	if (v[i] == 'v' || v[i] == 'V')
		i++;
	size_t n = digit_run(v + i);
	if (!n)
		return pep_fail(d, v, i, "must start with a release number such as 1.0");
	if (v[i + n] == '!') {
		p->epoch = v + i;
		p->epn = n;
		i += n + 1;
		n = digit_run(v + i);
		if (!n)
			return pep_fail(d, v, i, "a release number must follow the epoch '!'");
	}
	p->release = v + i;
	for (;;) {
		i += n;
		if (v[i] != '.' || !is_digit(v[i + 1]))
			break;
		i++;
		n = digit_run(v + i);
	}
	p->reln = (size_t)(v + i - p->release);
	int w;
	if (pep_tag(v, &i, pre_words, &w, &p->pre_n, &p->pre_nn))
		p->pre = pre_kind[w];
	if (v[i] == '-' && is_digit(v[i + 1])) {
		p->post = true;
		p->post_n = v + i + 1;
		p->post_nn = digit_run(v + i + 1);
		i += 1 + p->post_nn;
	} else if (pep_tag(v, &i, post_words, &w, &p->post_n, &p->post_nn)) {
		p->post = true;
	}
	if (pep_tag(v, &i, dev_words, &w, &p->dev_n, &p->dev_nn))
		p->dev = true;
	if (v[i] == '+') {
		size_t b = ++i;
		for (;;) {
			size_t k = i;
			while (is_alnum(v[i]))
				i++;
			if (i == k)
				return pep_fail(d, v, i, "empty local version segment after '+', '.', '-' or '_'");
			if (!pep_sep(v[i]))
				break;
			i++;
		}
		p->local = v + b;
		p->localn = i - b;
	}
	if (i != end)
		return pep_fail(d, v, i, "unexpected text; PEP 440 allows [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]");
	return 0;
}

/* Next dot-separated number of a release slice; false at the end. */
static bool rel_next(const char **p, const char *end, const char **np, size_t *nn)
{
	if (*p >= end)
		return false;
	*np = *p;
	while (*p < end && **p != '.')
		(*p)++;
	*nn = (size_t)(*p - *np);
	if (*p < end)
		(*p)++;
	return true;
}

/* Compares dotted number slices with missing parts as 0. */
static int release_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	const char *pa = a, *ea = a + an, *pb = b, *eb = b + bn;
	for (;;) {
		const char *x = "0", *y = "0";
		size_t xn = 1, yn = 1;
		bool ha = rel_next(&pa, ea, &x, &xn), hb = rel_next(&pb, eb, &y, &yn);
		if (!ha && !hb)
			return 0;
		int c = numcmp(x, xn, y, yn);
		if (c)
			return c;
	}
}

static int local_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;
	for (;;) {
		if (i >= an || j >= bn)
			return (i >= an) == (j >= bn) ? 0 : i >= an ? -1 : 1;
		size_t ie = i, je = j;
		bool xa = true, xb = true;
		while (ie < an && !pep_sep(a[ie]))
			xa &= is_digit(a[ie++]);
		while (je < bn && !pep_sep(b[je]))
			xb &= is_digit(b[je++]);
		int c;
		if (xa && xb)
			c = numcmp(a + i, ie - i, b + j, je - j);
		else if (xa != xb)
			c = xa ? 1 : -1; /* numeric segments sort after alphanumeric ones */
		else
			c = icmp(a + i, ie - i, b + j, je - j);
		if (c)
			return c;
		i = ie + 1, j = je + 1;
	}
}

static int pep_cmp(const struct pep440 *x, const struct pep440 *y)
{
	int c = numcmp(x->epoch ? x->epoch : "0", x->epoch ? x->epn : 1, y->epoch ? y->epoch : "0",
		       y->epoch ? y->epn : 1);
	if (c || (c = release_cmp(x->release, x->reln, y->release, y->reln)))
		return c;
	/* pre: a dev release of a final sorts before its pre-releases (1.0.dev0 < 1.0a0) */
	int px = x->pre >= 0 ? x->pre : (!x->post && x->dev) ? -2 : 3;
	int py = y->pre >= 0 ? y->pre : (!y->post && y->dev) ? -2 : 3;
	if (px != py)
		return px < py ? -1 : 1;
	if (x->pre >= 0 && (c = numcmp(x->pre_n, x->pre_nn, y->pre_n, y->pre_nn)))
		return c;
	if (x->post != y->post)
		return x->post ? 1 : -1;
	if (x->post && (c = numcmp(x->post_n, x->post_nn, y->post_n, y->post_nn)))
		return c;
	if (x->dev != y->dev)
		return x->dev ? -1 : 1;
	if (x->dev && (c = numcmp(x->dev_n, x->dev_nn, y->dev_n, y->dev_nn)))
		return c;
	if (!x->local || !y->local)
		return x->local ? 1 : y->local ? -1 : 0;
	return local_cmp(x->local, x->localn, y->local, y->localn);
}

/* ------------------------------------------------------------------ maven */

/*
 * Maven's ComparableVersion builds a tree of lists; here every new list
 * opens at the end of its parent, so the tree is a chain stored flat:
 * level k holds items[lv[k] .. lv[k+1]) and level k+1 is its last element.
 */
#define MV_MAX 64
enum { MV_INT, MV_STR };
struct mv_item {
	unsigned char kind, dead;
	signed char qual; /* MV_STR: index in the qualifier list, or -1 (unknown) */
	const char *p;
	size_t n;
};
struct mv {
	struct mv_item it[MV_MAX];
	int lv[MV_MAX + 1]; /* start of each level; lv[nlv] == nit */
	int nit, nlv;
	int top; /* levels >= top were removed by normalisation */
};

static const char *const mv_quals[] = {"alpha", "beta", "milestone", "rc", "snapshot", "", "sp"};
#define MV_RELEASE 5

static int mv_add(struct mv *m, int kind, const char *p, size_t n, bool followed_by_digit)
{
	if (m->nit >= MV_MAX)
		return KK_ETOOBIG;
	struct mv_item *it = &m->it[m->nit++];
	*it = (struct mv_item){(unsigned char)kind, 0, -1, p, n};
	if (kind == MV_INT) {
		while (it->n > 1 && *it->p == '0')
			it->p++, it->n--;
		return 0;
	}
	if (followed_by_digit && n == 1) {
		int c = lower(*p);
		it->qual = c == 'a' ? 0 : c == 'b' ? 1 : c == 'm' ? 2 : -1;
		if (it->qual >= 0)
			return 0;
	}
	if (ieq(p, n, "ga") || ieq(p, n, "final") || ieq(p, n, "release"))
		it->qual = MV_RELEASE;
	else if (ieq(p, n, "cr"))
		it->qual = 3;
	else
		for (int q = 0; q < 7; q++)
			if (ieq(p, n, mv_quals[q]))
				it->qual = (signed char)q;
	return 0;
}

static int mv_open_level(struct mv *m)
{
	if (m->nlv >= MV_MAX)
		return KK_ETOOBIG;
	m->lv[m->nlv++] = m->nit;
	return 0;
}

static bool mv_item_null(const struct mv_item *it)
{
	return it->kind == MV_INT ? (it->n == 1 && *it->p == '0') : it->qual == MV_RELEASE;
}

static int mv_parse(const char *v, struct mv *m)
{
	memset(m, 0, sizeof(*m));
	m->nlv = 1;
	m->lv[0] = 0;
	size_t start = 0, i;
	bool digit = false;
	int rc = 0;
	for (i = 0; v[i] && !rc; i++) {
		char c = v[i];
		if (c == '.' || c == '-') {
			if (i == start)
				rc = mv_add(m, MV_INT, "0", 1, false);
			else
				rc = mv_add(m, digit ? MV_INT : MV_STR, v + start, i - start, false);
			start = i + 1;
			if (c == '-' && !rc)
				rc = mv_open_level(m);
		} else if (is_digit(c)) {
			if (!digit && i > start) {
				rc = mv_add(m, MV_STR, v + start, i - start, true);
				start = i;
				if (!rc)
					rc = mv_open_level(m);
			}
			digit = true;
		} else {
			if (digit && i > start) {
				rc = mv_add(m, MV_INT, v + start, i - start, false);
				start = i;
				if (!rc)
					rc = mv_open_level(m);
			}
			digit = false;
		}
	}
	if (!rc && i > start)
		rc = mv_add(m, digit ? MV_INT : MV_STR, v + start, i - start, false);
	if (rc)
		return rc;
	m->lv[m->nlv] = m->nit;
	/* normalise from the innermost list out: drop trailing null items, and
	 * a child list left empty */
	m->top = m->nlv;
	for (int k = m->nlv - 1; k >= 0; k--) {
		int live = 0;
		for (int x = m->lv[k + 1] - 1; x >= m->lv[k]; x--) {
			if (!live && mv_item_null(&m->it[x]))
				m->it[x].dead = 1;
			else
				live = 1;
		}
		if (!live && m->top == k + 1 && k > 0)
			m->top = k;
	}
	return 0;
}

/* Element e of level k: e < own count -> item, e == own count -> child list. */
struct mv_el {
	int kind; /* 0 none (null), 1 item, 2 list */
	const struct mv_item *it;
	int level;
};

static struct mv_el mv_at(const struct mv *m, int k, int e)
{
	int own = 0;
	for (int x = m->lv[k]; x < m->lv[k + 1]; x++) {
		if (m->it[x].dead)
			continue;
		if (own++ == e)
			return (struct mv_el){1, &m->it[x], 0};
	}
	if (e == own && k + 1 < m->top)
		return (struct mv_el){2, NULL, k + 1};
	return (struct mv_el){0, NULL, 0};
}

static int mv_qual_cmp(const struct mv_item *a, const struct mv_item *b)
{
	/* known qualifiers sort by index; unknown ones after all of them, by text */
	if (a->qual >= 0 || b->qual >= 0) {
		int qa = a->qual >= 0 ? a->qual : 7, qb = b->qual >= 0 ? b->qual : 7;
		return qa == qb ? 0 : qa < qb ? -1 : 1;
	}
	return icmp(a->p, a->n, b->p, b->n);
}

static int mv_el_cmp(const struct mv *ma, struct mv_el a, const struct mv *mb, struct mv_el b);

static int mv_list_vs_null(const struct mv *m, int k)
{
	for (int e = 0;; e++) {
		struct mv_el x = mv_at(m, k, e);
		if (!x.kind)
			return 0;
		int c = mv_el_cmp(m, x, NULL, (struct mv_el){0, NULL, 0});
		if (c)
			return c;
	}
}

static int mv_el_cmp(const struct mv *ma, struct mv_el a, const struct mv *mb, struct mv_el b)
{
	if (!a.kind)
		return b.kind ? -mv_el_cmp(mb, b, ma, a) : 0;
	if (a.kind == 1 && a.it->kind == MV_INT) {
		if (!b.kind)
			return mv_item_null(a.it) ? 0 : 1;
		if (b.kind == 1 && b.it->kind == MV_INT)
			return numcmp(a.it->p, a.it->n, b.it->p, b.it->n);
		return 1; /* 1.1 > 1-sp, 1.1 > 1-1 */
	}
	if (a.kind == 1) { /* string */
		if (!b.kind) {
			int q = a.it->qual >= 0 ? a.it->qual : 7;
			return q == MV_RELEASE ? 0 : q < MV_RELEASE ? -1 : 1;
		}
		if (b.kind == 1 && b.it->kind == MV_STR)
			return mv_qual_cmp(a.it, b.it);
		return -1; /* 1.any < 1.1, 1.any < 1-1 */
	}
	/* list */
	if (!b.kind)
		return mv_list_vs_null(ma, a.level);
	if (b.kind == 1)
		return b.it->kind == MV_INT ? -1 : 1;
	for (int e = 0;; e++) {
		struct mv_el x = mv_at(ma, a.level, e), y = mv_at(mb, b.level, e);
		if (!x.kind && !y.kind)
			return 0;
		int c = mv_el_cmp(ma, x, mb, y);
		if (c)
			return c;
	}
}

static int maven_cmp(const struct mv *a, const struct mv *b)
{
	return mv_el_cmp(a, (struct mv_el){2, NULL, 0}, b, (struct mv_el){2, NULL, 0});
}

/* ---------------------------------------------------------------- dispatch */

struct parsed {
	union {
		struct semver sv;
		struct evr evr;
		struct pep440 pep;
		struct mv mv;
	} u;
};

static int parse_one(enum kk_version_scheme s, const char *v, struct parsed *p, struct kk_diag *d)
{
	if (!v)
		return kk_diag_set(d, KK_EINVAL, "version", "no version given");
	size_t n = strnlen(v, KK_VERSION_MAX + 1);
	if (n > KK_VERSION_MAX)
		return kk_diag_set(d, KK_ETOOBIG, "version", "version '%.40s...' is longer than %d bytes", v,
				   KK_VERSION_MAX);
	if (!n)
		return kk_diag_set(d, KK_EPARSE, "version", "empty version; give one such as 1.2.3");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return kk_diag_set(d, KK_EPARSE, "version",
					   "version contains a control character at offset %zu", i);
	switch (s) {
	case KK_VERSION_GENERIC:
		return 0;
	case KK_VERSION_SEMVER:
		return semver_parse(v, &p->u.sv, d);
	case KK_VERSION_DEB:
		return evr_split(v, &p->u.evr, "Debian", d);
	case KK_VERSION_RPM:
		return evr_split(v, &p->u.evr, "RPM", d);
	case KK_VERSION_PYPI:
		return pep_parse(v, &p->u.pep, d);
	case KK_VERSION_MAVEN:
		if (mv_parse(v, &p->u.mv))
			return kk_diag_set(d, KK_ETOOBIG, "version",
					   "Maven version '%s' has more than %d parts", v, MV_MAX);
		return 0;
	default:
		return kk_diag_set(d, KK_EINVAL, "scheme", "unknown version scheme %d", (int)s);
	}
}

int kk_version_check(enum kk_version_scheme s, const char *v, struct kk_diag *d)
{
	struct parsed p;
	return parse_one(s, v, &p, d);
}

int kk_version_compare(enum kk_version_scheme s, const char *a, const char *b, int *cmp, struct kk_diag *d)
{
	struct parsed x, y;
	int rc;
	if ((rc = parse_one(s, a, &x, d)) || (rc = parse_one(s, b, &y, d)))
		return rc;
	int c = 0;
	switch (s) {
	case KK_VERSION_GENERIC: c = generic_cmp(a, b); break;
	case KK_VERSION_SEMVER: c = semver_cmp(&x.u.sv, &y.u.sv); break;
	case KK_VERSION_DEB: c = deb_cmp(&x.u.evr, &y.u.evr); break;
	case KK_VERSION_RPM: c = rpm_cmp(&x.u.evr, &y.u.evr); break;
	case KK_VERSION_PYPI: c = pep_cmp(&x.u.pep, &y.u.pep); break;
	case KK_VERSION_MAVEN: c = maven_cmp(&x.u.mv, &y.u.mv); break;
	default: return KK_EINVAL;
	}
	*cmp = sign(c);
	return 0;
}

/* ----------------------------------------------------------------- ranges */

static int cmp_bound(enum kk_version_scheme s, const char *v, const char *bound, const char *name, int *c,
		     struct kk_diag *d)
{
	int rc = kk_version_compare(s, v, bound, c, d);
	if (rc && d) {
		char msg[sizeof(d->msg)];
		memcpy(msg, d->msg, sizeof(msg));
		kk_diag_set(d, rc, name, "%s: %s", name, msg);
	}
	return rc;
}

int kk_version_in_range(enum kk_version_scheme s, const char *v, const struct kk_version_range *r,
			bool *affected, struct kk_diag *d)
{
	int c, rc;
	*affected = false;
	if (r->exact) {
		if ((rc = cmp_bound(s, v, r->exact, "version", &c, d)))
			return rc;
		*affected = c == 0;
		return 0;
	}
	if ((rc = kk_version_check(s, v, d)))
		return rc;
	bool in = true;
	if (r->start_including) {
		if ((rc = cmp_bound(s, v, r->start_including, "versionStartIncluding", &c, d)))
			return rc;
		in &= c >= 0;
	}
	if (r->start_excluding) {
		if ((rc = cmp_bound(s, v, r->start_excluding, "versionStartExcluding", &c, d)))
			return rc;
		in &= c > 0;
	}
	if (r->end_including) {
		if ((rc = cmp_bound(s, v, r->end_including, "versionEndIncluding", &c, d)))
			return rc;
		in &= c <= 0;
	}
	if (r->end_excluding) {
		if ((rc = cmp_bound(s, v, r->end_excluding, "versionEndExcluding", &c, d)))
			return rc;
		in &= c < 0;
	}
	*affected = in;
	return 0;
}

/* Order of two events: "0" introduced is the lowest version of all. */
static int event_cmp(enum kk_version_scheme s, const struct kk_osv_event *a, const struct kk_osv_event *b,
		     int *c, struct kk_diag *d)
{
	bool za = a->kind == KK_OSV_INTRODUCED && !strcmp(a->version, "0");
	bool zb = b->kind == KK_OSV_INTRODUCED && !strcmp(b->version, "0");
	if (za || zb) {
		*c = za == zb ? 0 : za ? -1 : 1;
		return 0;
	}
	return kk_version_compare(s, a->version, b->version, c, d);
}

int kk_version_osv_affected(enum kk_version_scheme s, const char *v, const struct kk_osv_event *ev, size_t n,
			    bool *affected, struct kk_diag *d)
{
	int rc, c;
	*affected = false;
	if ((rc = kk_version_check(s, v, d)))
		return rc;
	const struct kk_osv_event *last = NULL; /* the deciding event: the greatest that applies */
	bool has_limit = false, under_limit = false;
	for (size_t i = 0; i < n; i++) {
		const struct kk_osv_event *e = &ev[i];
		if (!e->version)
			return kk_diag_set(d, KK_EINVAL, "events", "event %zu has no version", i);
		bool applies;
		if (e->kind == KK_OSV_INTRODUCED && !strcmp(e->version, "0")) {
			applies = true;
		} else {
			if ((rc = kk_version_compare(s, v, e->version, &c, d)))
				return rc;
			switch (e->kind) {
			case KK_OSV_INTRODUCED:
			case KK_OSV_FIXED: applies = c >= 0; break;
			case KK_OSV_LAST_AFFECTED: applies = c > 0; break;
			case KK_OSV_LIMIT:
				has_limit = true;
				under_limit |= c < 0;
				continue;
			default: return kk_diag_set(d, KK_EINVAL, "events", "event %zu has an unknown kind", i);
			}
		}
		if (!applies)
			continue;
		if (last) {
			if ((rc = event_cmp(s, e, last, &c, d)))
				return rc;
			if (c < 0)
				continue;
		}
		last = e; /* equal versions: the later event wins, as a stable sort would */
	}
	*affected = last && last->kind == KK_OSV_INTRODUCED && (!has_limit || under_limit);
	return 0;
}

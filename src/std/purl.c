/*
 * purl.c — package URL parsing (the purl specification's "how to parse"
 * steps, right to left) and canonical building. No allocation.
 */
#include "std/purl.h"
#include "std/fixbuf.h"
#include <stdbool.h>
#include <string.h>

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}
static bool is_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int hexval(int c)
{
	c = lower(c);
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

struct parser {
	const char *in;
	size_t len;
	char *store;
	size_t cap, used;
	struct kk_diag *d;
};

static int fail(struct parser *ps, const char *where, const char *at, const char *msg)
{
	size_t off = at ? (size_t)(at - ps->in) : 0;
	int rc = kk_diag_set(ps->d, KK_EPARSE, where, "purl '%.*s': %s", (int)(ps->len > 200 ? 200 : ps->len), ps->in, msg);
	if (ps->d)
		ps->d->offset = off;
	return rc;
}

/* Percent-decodes [b, e) onto the end of the store. */
static int decode(struct parser *ps, const char *b, const char *e, const char *where)
{
	for (const char *p = b; p < e; p++) {
		int c = (unsigned char)*p;
		if (c == '%') {
			int h = e - p >= 3 ? hexval(p[1]) : -1, l = e - p >= 3 ? hexval(p[2]) : -1;
			if (h < 0 || l < 0)
				return fail(ps, where, p, "bad percent-encoding; write a '%' as %25");
			c = h * 16 + l;
			p += 2;
		}
		if (ps->used >= ps->cap)
			return kk_diag_set(ps->d, KK_ETOOBIG, where, "purl store buffer too small");
		ps->store[ps->used++] = (char)c;
	}
	return 0;
}

static int put_sep(struct parser *ps)
{
	if (ps->used >= ps->cap)
		return kk_diag_set(ps->d, KK_ETOOBIG, "purl", "purl store buffer too small");
	ps->store[ps->used++] = '/';
	return 0;
}

/* Decodes '/'-separated segments of [b, e), dropping empty ones (and "." /
 * ".." when `dots`), joined by '/'. Returns the slice; ptr NULL if none. */
static int segments(struct parser *ps, const char *b, const char *e, bool dots, const char *where,
		    struct kk_str *out)
{
	size_t start = ps->used;
	bool any = false;
	int rc;
	*out = (struct kk_str){NULL, 0};
	while (b < e) {
		const char *s = b;
		while (b < e && *b != '/')
			b++;
		size_t mark = ps->used;
		if (s != b) {
			if (any && (rc = put_sep(ps)))
				return rc;
			size_t seg = ps->used;
			if ((rc = decode(ps, s, b, where)))
				return rc;
			const char *t = ps->store + seg;
			size_t n = ps->used - seg;
			if (memchr(t, '/', n))
				return fail(ps, where, s, "a segment may not contain an encoded '/' (%2F)");
			if (dots && ((n == 1 && t[0] == '.') || (n == 2 && t[0] == '.' && t[1] == '.')))
				ps->used = mark; /* "." and ".." segments are dropped */
			else
				any = true;
		}
		if (b < e)
			b++;
	}
	if (any)
		*out = (struct kk_str){ps->store + start, ps->used - start};
	return 0;
}

static const char *rfind(const char *b, const char *e, char c)
{
	while (e > b)
		if (*--e == c)
			return e;
	return NULL;
}

static void lower_slice(struct kk_str s)
{
	for (size_t i = 0; i < s.len; i++)
		((char *)s.ptr)[i] = (char)lower((unsigned char)s.ptr[i]);
}

static int qual_cmp(const struct kk_purl_qualifier *a, const struct kk_purl_qualifier *b)
{
	size_t n = a->key.len < b->key.len ? a->key.len : b->key.len;
	int c = memcmp(a->key.ptr, b->key.ptr, n);
	return c ? c : (a->key.len > b->key.len) - (a->key.len < b->key.len);
}

static int parse_qualifiers(struct parser *ps, const char *b, const char *e, struct kk_purl *p)
{
	while (b < e) {
		const char *s = b;
		while (b < e && *b != '&')
			b++;
		const char *eq = s;
		while (eq < b && *eq != '=')
			eq++;
		if (s == b) { /* empty pair "&&" */
			b++;
			continue;
		}
		if (eq == b || eq == s)
			return fail(ps, "qualifiers", s, "a qualifier must be key=value");
		/* key: ASCII letters, digits, '.', '-', '_'; not starting with a digit */
		if (s[0] >= '0' && s[0] <= '9')
			return fail(ps, "qualifiers", s, "a qualifier key may not start with a digit");
		for (const char *k = s; k < eq; k++)
			if (!is_alnum(*k) && *k != '.' && *k != '-' && *k != '_')
				return fail(ps, "qualifiers", k,
					    "a qualifier key may hold only letters, digits, '.', '-' and '_'");
		size_t vstart = ps->used;
		int rc = decode(ps, eq + 1, b, "qualifiers");
		if (rc)
			return rc;
		if (ps->used > vstart) { /* empty values are dropped */
			if (p->nqualifiers >= KK_PURL_MAX_QUALIFIERS)
				return kk_diag_set(ps->d, KK_ETOOBIG, "qualifiers", "more than %d qualifiers",
						   KK_PURL_MAX_QUALIFIERS);
			size_t kstart = ps->used;
			if (ps->cap - ps->used < (size_t)(eq - s))
				return kk_diag_set(ps->d, KK_ETOOBIG, "qualifiers", "purl store buffer too small");
			for (const char *k = s; k < eq; k++)
				ps->store[ps->used++] = (char)lower((unsigned char)*k);
			struct kk_purl_qualifier q = {{ps->store + kstart, (size_t)(eq - s)},
						      {ps->store + vstart, kstart - vstart}};
			/* insertion sort, rejecting duplicates */
			size_t i = p->nqualifiers;
			while (i > 0 && qual_cmp(&p->qualifiers[i - 1], &q) > 0) {
				p->qualifiers[i] = p->qualifiers[i - 1];
				i--;
			}
			if (i > 0 && !qual_cmp(&p->qualifiers[i - 1], &q))
				return fail(ps, "qualifiers", s, "a qualifier key appears twice");
			p->qualifiers[i] = q;
			p->nqualifiers++;
		}
		if (b < e)
			b++;
	}
	return 0;
}

static bool has_qualifier(const struct kk_purl *p, const char *key)
{
	for (size_t i = 0; i < p->nqualifiers; i++)
		if (kk_str_eqc(p->qualifiers[i].key, key))
			return true;
	return false;
}

/* Rules of the purl types the specification's test suite covers. */
static int type_rules(struct parser *ps, struct kk_purl *p)
{
	struct kk_str t = p->type;
	if (kk_str_eqc(t, "github") || kk_str_eqc(t, "bitbucket")) {
		lower_slice(p->namespace);
		lower_slice(p->name);
	} else if (kk_str_eqc(t, "pypi")) {
		lower_slice(p->name);
		for (size_t i = 0; i < p->name.len; i++)
			if (p->name.ptr[i] == '_')
				((char *)p->name.ptr)[i] = '-';
	} else if (kk_str_eqc(t, "conan")) {
		if (p->namespace.ptr && !has_qualifier(p, "channel"))
			return fail(ps, "qualifiers", NULL,
				    "a conan purl with a namespace (user) needs the channel qualifier");
		if (!p->namespace.ptr && has_qualifier(p, "channel"))
			return fail(ps, "namespace", NULL,
				    "a conan purl with a channel qualifier needs a namespace (user)");
	} else if (kk_str_eqc(t, "cran") || kk_str_eqc(t, "hackage")) {
		if (!p->version.ptr)
			return fail(ps, "version", NULL, "this purl type requires a version");
	} else if (kk_str_eqc(t, "swift")) {
		if (!p->namespace.ptr)
			return fail(ps, "namespace", NULL, "a swift purl requires a namespace (the source host and owner)");
		if (!p->version.ptr)
			return fail(ps, "version", NULL, "a swift purl requires a version");
	}
	return 0;
}

int kk_purl_parse(const char *s, size_t len, struct kk_purl *p, char *store, size_t cap, struct kk_diag *d)
{
	struct parser ps = {s, len, store, cap, 0, d};
	int rc;
	memset(p, 0, sizeof(*p));
	if (len > KK_PURL_MAX_LEN)
		return kk_diag_set(d, KK_ETOOBIG, "purl", "purl longer than %d bytes", KK_PURL_MAX_LEN);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return fail(&ps, "purl", s + i, "spaces and control characters must be percent-encoded");
	const char *b = s, *e = s + len, *x;
	/* 1. subpath after the last '#' */
	if ((x = rfind(b, e, '#'))) {
		if ((rc = segments(&ps, x + 1, e, true, "subpath", &p->subpath)))
			return rc;
		e = x;
	}
	/* 2. qualifiers after the last '?' */
	const char *qb = NULL, *qe = NULL;
	if ((x = rfind(b, e, '?'))) {
		qb = x + 1;
		qe = e;
		e = x;
	}
	/* 3. scheme */
	const char *colon = memchr(b, ':', (size_t)(e - b));
	if (!colon || colon - b != 3 || lower(b[0]) != 'p' || lower(b[1]) != 'k' || lower(b[2]) != 'g')
		return fail(&ps, "scheme", b, "a purl starts with pkg:, e.g. pkg:npm/lodash@4.17.21");
	b = colon + 1;
	while (b < e && *b == '/')
		b++;
	/* 4. type */
	const char *tb = b;
	while (b < e && *b != '/')
		b++;
	if (b == tb)
		return fail(&ps, "type", tb, "a type is required, e.g. pkg:npm/...");
	if (tb[0] >= '0' && tb[0] <= '9')
		return fail(&ps, "type", tb, "a type may not start with a digit");
	for (const char *t = tb; t < b; t++)
		if (!is_alnum(*t) && *t != '.' && *t != '+' && *t != '-')
			return fail(&ps, "type", t, "a type may hold only letters, digits, '.', '+' and '-'");
	if (b >= e)
		return fail(&ps, "name", b, "a name is required after the type, e.g. pkg:npm/lodash");
	size_t ts = ps.used;
	if (ps.cap - ps.used < (size_t)(b - tb))
		return kk_diag_set(d, KK_ETOOBIG, "type", "purl store buffer too small");
	for (const char *t = tb; t < b; t++)
		store[ps.used++] = (char)lower((unsigned char)*t);
	p->type = (struct kk_str){store + ts, (size_t)(b - tb)};
	b++;
	/* 5. version after the last '@' of the last segment */
	while (e > b && e[-1] == '/')
		e--;
	const char *last = rfind(b, e, '/');
	last = last ? last + 1 : b;
	if ((x = rfind(last, e, '@'))) {
		size_t vs = ps.used;
		if ((rc = decode(&ps, x + 1, e, "version")))
			return rc;
		if (ps.used > vs)
			p->version = (struct kk_str){store + vs, ps.used - vs};
		e = x;
	}
	/* 6. name, then namespace */
	if (e == last)
		return fail(&ps, "name", e, "a name is required, e.g. pkg:maven/org.apache.commons/io");
	size_t ns = ps.used;
	if ((rc = decode(&ps, last, e, "name")))
		return rc;
	p->name = (struct kk_str){store + ns, ps.used - ns};
	if (last > b && (rc = segments(&ps, b, last, false, "namespace", &p->namespace)))
		return rc;
	if (qb && (rc = parse_qualifiers(&ps, qb, qe, p)))
		return rc;
	return type_rules(&ps, p);
}

/* ---------------------------------------------------------------- build */

static void put_raw(struct kk_fixbuf *o, struct kk_str s)
{
	kk_fixbuf_putn(o, s.ptr, s.len);
}

/* Percent-encodes s; '/' kept when `slash`, ':' kept when `colon`. */
static void put_enc(struct kk_fixbuf *o, struct kk_str s, bool slash, bool colon)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		if (is_alnum(c) || c == '.' || c == '-' || c == '_' || c == '~' || (slash && c == '/') ||
		    (colon && c == ':')) {
			kk_fixbuf_putc(o, (char)c);
		} else {
			kk_fixbuf_putc(o, '%');
			kk_fixbuf_putc(o, hex[c >> 4]);
			kk_fixbuf_putc(o, hex[c & 15]);
		}
	}
}

int kk_purl_build(const struct kk_purl *p, char *out, size_t cap)
{
	struct kk_fixbuf o = KK_FIXBUF(out, cap);
	if (cap)
		out[0] = 0;
	if (!p->type.len || !p->name.len)
		return KK_EINVAL;
	put_raw(&o, KK_STR("pkg:"));
	put_raw(&o, p->type);
	kk_fixbuf_putc(&o, '/');
	if (p->namespace.len) {
		put_enc(&o, p->namespace, true, true);
		kk_fixbuf_putc(&o, '/');
	}
	put_enc(&o, p->name, false, true);
	if (p->version.ptr) {
		kk_fixbuf_putc(&o, '@');
		put_enc(&o, p->version, false, true);
	}
	/* qualifiers in key order, whatever order p holds them in */
	const struct kk_purl_qualifier *prev = NULL;
	for (size_t n = 0; n < p->nqualifiers; n++) {
		const struct kk_purl_qualifier *next = NULL;
		for (size_t i = 0; i < p->nqualifiers; i++) {
			const struct kk_purl_qualifier *q = &p->qualifiers[i];
			if ((!prev || qual_cmp(q, prev) > 0) && (!next || qual_cmp(q, next) < 0))
				next = q;
		}
		if (!next)
			break;
		kk_fixbuf_putc(&o, n ? '&' : '?');
		put_raw(&o, next->key);
		kk_fixbuf_putc(&o, '=');
		put_enc(&o, next->value, false, false);
		prev = next;
	}
	if (p->subpath.len) {
		kk_fixbuf_putc(&o, '#');
		put_enc(&o, p->subpath, true, false);
	}
	return kk_fixbuf_finish(&o);
}

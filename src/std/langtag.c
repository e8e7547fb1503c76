/*
 * langtag.c — RFC 5646 language tags: well-formedness (the ABNF of section
 * 2.1 and its grandfathered tags) and the canonical case of section 2.1.1.
 */
#include "std/langtag.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_alpha(c) || is_digit(c);
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

static char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - ('a' - 'A')) : c;
}

static bool all(struct kk_str s, bool (*is)(char))
{
	for (size_t i = 0; i < s.len; i++)
		if (!is(s.ptr[i]))
			return false;
	return s.len > 0;
}

/* Equal ignoring ASCII case. */
static bool ieq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

/* The grandfathered tags of RFC 5646 section 2.1: irregular, then regular. */
static const struct {
	const char *tag;
	bool regular;
} grandfathered[] = {
    {"en-GB-oed", false},  {"i-ami", false},     {"i-bnn", false},      {"i-default", false},
    {"i-enochian", false}, {"i-hak", false},     {"i-klingon", false},  {"i-lux", false},
    {"i-mingo", false},    {"i-navajo", false},  {"i-pwn", false},      {"i-tao", false},
    {"i-tay", false},      {"i-tsu", false},     {"sgn-BE-FR", false},  {"sgn-BE-NL", false},
    {"sgn-CH-DE", false},  {"art-lojban", true}, {"cel-gaulish", true}, {"no-bok", true},
    {"no-nyn", true},      {"zh-guoyu", true},   {"zh-hakka", true},    {"zh-min", true},
    {"zh-min-nan", true},  {"zh-xiang", true},
};

const char *kk_langtag_kind_name(enum kk_langtag_kind k)
{
	switch (k) {
	case KK_LANGTAG_NORMAL:
		return "langtag";
	case KK_LANGTAG_PRIVATEUSE:
		return "privateuse";
	case KK_LANGTAG_IRREGULAR:
		return "irregular";
	case KK_LANGTAG_REGULAR:
		return "regular";
	}
	return "?";
}

/* Fills d for the subtag numbered n (1-based) at offset off. */
__attribute__((format(printf, 4, 5))) static int fail(struct kk_diag *d, int n, size_t off, const char *fmt,
                                                      ...)
{
	char msg[sizeof(d->msg)], where[32];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(where, sizeof where, "subtag %d", n);
	kk_diag_set(d, KK_EPARSE, where, "%s", msg);
	if (d)
		d->offset = off;
	return KK_EPARSE;
}

/* Every tag: ASCII letters and digits in subtags of 1 to 8, joined by single '-'. */
static int lexical(const char *s, size_t len, struct kk_diag *d)
{
	if (!len)
		return fail(d, 1, 0,
		            "the tag is empty (a language tag is at least a language subtag: en, ja)");
	size_t start = 0;
	int n = 1;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && is_alnum(s[i]))
			continue;
		if (i < len && s[i] != '-') {
			unsigned char c = (unsigned char)s[i];
			if (c == '_')
				return fail(d, n, i,
				            "'_' is not a subtag separator: use '-' (en-US, not en_US)");
			if (c >= ' ' && c < 0x7f)
				return fail(
				    d, n, i,
				    "'%c' is not allowed: subtags are ASCII letters and digits joined by '-'",
				    c);
			return fail(
			    d, n, i,
			    "byte 0x%02X is not allowed: subtags are ASCII letters and digits joined by '-'",
			    c);
		}
		if (i == start)
			return fail(d, n, i, "empty subtag: a '-' at the start or the end, or two in a row");
		if (i - start > 8)
			return fail(d, n, start,
			            "'%.*s' is longer than 8 characters, the most a subtag may have",
			            (int)(i - start), s + start);
		start = i + 1;
		n++;
	}
	return 0;
}

/* Subtags of a lexically checked tag, one at a time. */
struct cursor {
	const char *s;
	size_t len, pos; /* pos: where the next subtag starts (> len at the end) */
	int n;           /* subtags taken */
};

/* The next subtag without taking it; ptr NULL at the end. */
static struct kk_str peek(const struct cursor *c)
{
	if (c->pos > c->len)
		return (struct kk_str){NULL, 0};
	const char *p = c->s + c->pos, *e = memchr(p, '-', c->len - c->pos);
	return (struct kk_str){p, e ? (size_t)(e - p) : c->len - c->pos};
}

static void take(struct cursor *c, struct kk_str sub)
{
	c->pos += sub.len + 1;
	c->n++;
}

/* Widens *part (a run of subtags) to end with sub. */
static void span(struct kk_str *part, struct kk_str sub)
{
	if (!part->ptr)
		*part = sub;
	else
		part->len = (size_t)(sub.ptr + sub.len - part->ptr);
}

/* variant = 5*8alphanum / (DIGIT 3alphanum) */
static bool is_variant(struct kk_str s)
{
	return s.len >= 5 || (s.len == 4 && is_digit(s.ptr[0]));
}

/* Whether sub already occurs (any case) among the variants in run. */
static bool repeated(struct kk_str run, struct kk_str sub)
{
	const char *p = run.ptr, *end = run.ptr + run.len;
	while (p && p < end) {
		const char *e = memchr(p, '-', (size_t)(end - p));
		size_t n = e ? (size_t)(e - p) : (size_t)(end - p);
		if (n == sub.len && ieq(p, sub.ptr, n))
			return true;
		p = e ? e + 1 : end;
	}
	return false;
}

/* "x" 1*("-" (1*8alphanum)) at the cursor, to the end of the tag. */
static int privateuse(struct cursor *c, struct kk_langtag *t, struct kk_diag *d)
{
	struct kk_str x = peek(c);
	take(c, x);
	if (!peek(c).ptr)
		return fail(d, c->n, (size_t)(x.ptr - c->s),
		            "'x' (private use) must be followed by at least one subtag");
	t->privateuse = (struct kk_str){x.ptr, c->len - (size_t)(x.ptr - c->s)};
	c->pos = c->len + 1;
	return 0;
}

/* What may still come after the parts of t seen so far, in the RFC's words. */
static void expected(const struct kk_langtag *t, int n_extlang, char *out, size_t cap)
{
	const char *w[6];
	int n = 0;
	bool before_script = !t->script.ptr && !t->region.ptr && !t->variants.ptr;
	if (before_script && t->language.len <= 3 && n_extlang < 3)
		w[n++] = "extlang";
	if (before_script)
		w[n++] = "script";
	if (!t->region.ptr && !t->variants.ptr)
		w[n++] = "region";
	w[n++] = "variant";
	w[n++] = "extension";
	w[n++] = "private use";
	size_t k = 0;
	out[0] = 0;
	for (int i = 0; i < n && k < cap; i++)
		k += (size_t)snprintf(out + k, cap - k, "%s%s",
		                      i == 0       ? ""
		                      : i == n - 1 ? " or "
		                                   : ", ",
		                      w[i]);
}

int kk_langtag_parse(const char *s, size_t len, struct kk_langtag *t, struct kk_diag *d)
{
	memset(t, 0, sizeof(*t));
	int rc = lexical(s, len, d);
	if (rc)
		return rc;
	for (size_t i = 0; i < sizeof grandfathered / sizeof grandfathered[0]; i++) {
		size_t n = strlen(grandfathered[i].tag);
		if (n == len && ieq(s, grandfathered[i].tag, n)) {
			t->kind = grandfathered[i].regular ? KK_LANGTAG_REGULAR : KK_LANGTAG_IRREGULAR;
			size_t first = (size_t)((const char *)memchr(s, '-', len) - s);
			if (first >= 2)
				t->language = (struct kk_str){s, first};
			return 0;
		}
	}
	struct cursor c = {s, len, 0, 0};
	struct kk_str sub = peek(&c);
	if (sub.len == 1) {
		if (lower(sub.ptr[0]) != 'x')
			return fail(
			    d, 1, 0,
			    "a tag cannot begin with the single-character subtag '%c' (only x- private use "
			    "tags and the grandfathered i- tags do)",
			    sub.ptr[0]);
		t->kind = KK_LANGTAG_PRIVATEUSE;
		return privateuse(&c, t, d);
	}
	if (!all(sub, is_alpha))
		return fail(d, 1, 0, "the language subtag '%.*s' must be 2 to 8 letters", (int)sub.len,
		            sub.ptr);
	t->language = sub;
	take(&c, sub);
	int n_extlang = 0;
	while (t->language.len <= 3 && n_extlang < 3 && (sub = peek(&c)).len == 3 && all(sub, is_alpha)) {
		span(&t->extlang, sub);
		take(&c, sub);
		n_extlang++;
	}
	sub = peek(&c);
	if (sub.len == 4 && all(sub, is_alpha)) {
		t->script = sub;
		take(&c, sub);
		sub = peek(&c);
	}
	if ((sub.len == 2 && all(sub, is_alpha)) || (sub.len == 3 && all(sub, is_digit))) {
		t->region = sub;
		take(&c, sub);
		sub = peek(&c);
	}
	while (sub.ptr && is_variant(sub)) {
		if (t->variants.ptr && repeated(t->variants, sub))
			t->repeats = true;
		span(&t->variants, sub);
		take(&c, sub);
		sub = peek(&c);
	}
	if (sub.len > 1) {
		char want[96];
		const char *e = sub.ptr - 1, *p = e; /* e: the '-' before sub; p: the subtag before it */
		while (p > s && p[-1] != '-')
			p--;
		expected(t, n_extlang, want, sizeof want);
		return fail(d, c.n + 1, (size_t)(sub.ptr - s),
		            "'%.*s' cannot follow '%.*s': expected %s subtag", (int)sub.len, sub.ptr,
		            (int)(e - p), p, want);
	}
	unsigned long long singletons = 0; /* bit per 0-9 a-z */
	while (sub.len == 1 && lower(sub.ptr[0]) != 'x') {
		char k = lower(sub.ptr[0]);
		unsigned long long bit = 1ULL << (is_digit(k) ? k - '0' : 10 + k - 'a');
		if (singletons & bit)
			t->repeats = true;
		singletons |= bit;
		struct kk_str ext = sub;
		take(&c, sub);
		if ((sub = peek(&c)).len < 2)
			return fail(
			    d, c.n, (size_t)(ext.ptr - s),
			    "the extension '%c' must be followed by at least one subtag of 2 to 8 characters",
			    ext.ptr[0]);
		while ((sub = peek(&c)).len >= 2) {
			span(&ext, sub);
			take(&c, sub);
		}
		span(&t->extensions, ext);
	}
	t->kind = KK_LANGTAG_NORMAL;
	return sub.ptr ? privateuse(&c, t, d) : 0; /* only a single 'x' can be left here */
}

int kk_langtag_canon(const char *s, size_t len, char *out, size_t cap, struct kk_diag *d)
{
	struct kk_langtag t;
	if (cap)
		out[0] = 0;
	int rc = kk_langtag_parse(s, len, &t, d);
	if (rc)
		return rc;
	if (cap <= len)
		return KK_ETOOBIG;
	bool first = true, after_singleton = false;
	for (size_t i = 0; i < len;) {
		size_t n = 0;
		while (i + n < len && s[i + n] != '-')
			n++;
		bool keep_lower = first || after_singleton;
		for (size_t k = 0; k < n; k++) {
			char c = lower(s[i + k]);
			if (!keep_lower && (n == 2 || (n == 4 && k == 0)))
				c = upper(c);
			out[i + k] = c;
		}
		if (n == 1)
			after_singleton = true;
		first = false;
		i += n;
		if (i < len)
			out[i++] = '-';
	}
	out[len] = 0;
	return (int)len;
}

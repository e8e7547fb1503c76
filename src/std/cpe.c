/*
 * cpe.c — CPE 2.3 (NISTIR 7695 naming: unbind/bind of formatted strings and
 * URIs) and NISTIR 7696 name matching over a precomputed struct kk_cpe.
 */
#include "std/cpe.h"
#include "std/fixbuf.h"
#include <stdio.h>
#include <string.h>

static const char *const attr_names[KK_CPE_NATTR] = {
	"part",	    "vendor",	  "product",   "version",   "update", "edition",
	"language", "sw_edition", "target_sw", "target_hw", "other",
};

const char *kk_cpe_attr_name(enum kk_cpe_attr a)
{
	return (unsigned)a < KK_CPE_NATTR ? attr_names[a] : NULL;
}

static const char *const rel_names[] = {"equal", "superset", "subset", "disjoint", "undefined"};

const char *kk_cpe_rel_name(enum kk_cpe_rel r)
{
	return (unsigned)r <= KK_CPE_UNDEFINED ? rel_names[r] : "?";
}

static bool is_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* --------------------------------------------------------------- parsing */

struct parser {
	const char *in; /* whole input, for offsets in messages */
	char *store;
	size_t cap, used;
	struct kk_diag *d;
};

static int fail(struct parser *ps, const char *at, int attr, const char *fmt, const char *detail)
{
	size_t off = (size_t)(at - ps->in);
	int rc = kk_diag_set(ps->d, KK_EPARSE, attr >= 0 ? attr_names[attr] : "cpe", fmt, detail, off);
	if (ps->d)
		ps->d->offset = off;
	return rc;
}

static int store_put(struct parser *ps, char c)
{
	if (ps->used >= ps->cap)
		return KK_ETOOBIG;
	ps->store[ps->used++] = c;
	return 0;
}

/*
 * Checks a WFN value just written to the store and fills the precomputed
 * fields: wildcards only as a leading '*' or run of '?', and a trailing
 * '*' or run of '?'; no lone trailing backslash.
 */
static int finalize(struct parser *ps, struct kk_cpe_val *v, const char *at, int attr)
{
	const char *p = v->ptr;
	size_t n = v->len, i = 0, b = 0, e = n;
	if (!n)
		return fail(ps, at, attr, "empty value%s at offset %zu; use * for ANY or - for NA", "");
	if (n == 1 && p[0] == '*') { /* a URI's lone %02 is ANY */
		*v = (struct kk_cpe_val){.kind = KK_CPE_ANY};
		return 0;
	}
	v->begins = 0;
	v->ends = 0;
	if (p[0] == '*') {
		v->begins = -1;
		b = 1;
	} else {
		while (b < n && p[b] == '?' && v->begins < 100)
			b++, v->begins++;
	}
	/* walk the middle; find where trailing wildcards start */
	size_t last_lit = b; /* end of the literal core */
	for (i = b; i < n; i++) {
		if (p[i] == '\\') {
			if (i + 1 >= n)
				return fail(ps, at, attr, "value ends in a lone backslash%s (at offset %zu)", "");
			i++;
			last_lit = i + 1;
			continue;
		}
		if (p[i] == '*' || p[i] == '?') {
			/* must be the trailing wildcard part: '*' alone, or only '?' */
			size_t k = i;
			if (p[k] == '*' && k + 1 == n) {
				v->ends = -1;
			} else {
				while (k < n && p[k] == '?')
					k++;
				if (k != n)
					return fail(ps, at, attr,
						    "wildcard%s inside a value at offset %zu; '*' and '?' may only "
						    "begin or end a value (quote them as \\* or \\? otherwise)",
						    "");
				v->ends = (int8_t)(k - i > 100 ? 100 : k - i);
			}
			if (i == b && b > 0 && v->begins == -1)
				return fail(ps, at, attr, "value%s at offset %zu is only wildcards", "");
			break;
		}
		last_lit = i + 1;
	}
	e = last_lit < b ? b : last_lit;
	v->core = (uint16_t)b;
	v->core_len = (uint16_t)(e - b);
	v->wild = v->begins || v->ends;
	if (attr == KK_CPE_PART && !(n == 1 && (p[0] == 'a' || p[0] == 'o' || p[0] == 'h'))) {
		int rc = kk_diag_set(ps->d, KK_EPARSE, "part",
				     "part must be a (application), o (operating system) or h (hardware), not '%.*s'",
				     (int)(n > 40 ? 40 : n), p);
		if (ps->d)
			ps->d->offset = (size_t)(at - ps->in);
		return rc;
	}
	return 0;
}

/* Appends c to the value in WFN form: letters lowercased, punctuation quoted. */
static int store_wfn_char(struct parser *ps, int c)
{
	if (is_alnum(c) || c == '_')
		return store_put(ps, (char)lower(c));
	int rc = store_put(ps, '\\');
	return rc ? rc : store_put(ps, (char)c);
}

/* Sets v to NA for "-" and to ANY for `any` ("*" in a formatted string, ""
 * in a URI); otherwise starts a value and returns false. */
static bool logical_value(const char *s, const char *e, const char *any, struct kk_cpe_val *v)
{
	size_t n = (size_t)(e - s);
	*v = (struct kk_cpe_val){.kind = KK_CPE_VALUE};
	if (n == strlen(any) && !memcmp(s, any, n))
		v->kind = KK_CPE_ANY;
	else if (n == 1 && *s == '-')
		v->kind = KK_CPE_NA;
	return v->kind != KK_CPE_VALUE;
}

/* Ends the value begun at store offset start: slices it and checks it. */
static int end_value(struct parser *ps, struct kk_cpe_val *v, size_t start, const char *at, int attr)
{
	v->ptr = ps->store + start;
	v->len = (uint16_t)(ps->used - start);
	return finalize(ps, v, at, attr);
}

/* Unbinds one formatted-string component [s, e) into the store (IR 7695 6.2.3). */
static int unbind_fs(struct parser *ps, const char *s, const char *e, struct kk_cpe_val *v, int attr)
{
	if (e == s)
		return fail(ps, s, attr, "empty component%s at offset %zu; use * for ANY", "");
	if (logical_value(s, e, "*", v))
		return 0;
	size_t start = ps->used;
	for (const char *p = s; p < e; p++) {
		int c = (unsigned char)*p, rc;
		if (c <= 0x20 || c >= 0x7f)
			return fail(ps, p, attr, "character not allowed in a CPE%s (offset %zu); CPE values are "
						 "printable ASCII without spaces",
				    "");
		if (c == '*' || c == '?') {
			rc = store_put(ps, (char)c);
		} else if (c == '\\') {
			if (p + 1 >= e)
				return fail(ps, p, attr, "lone backslash%s at offset %zu", "");
			c = (unsigned char)*++p;
			if (c <= 0x20 || c >= 0x7f)
				return fail(ps, p, attr, "character not allowed in a CPE%s (offset %zu)", "");
			rc = store_wfn_char(ps, c);
		} else {
			rc = store_wfn_char(ps, c);
		}
		if (rc)
			return kk_diag_set(ps->d, KK_ETOOBIG, "cpe", "CPE store buffer too small");
	}
	return end_value(ps, v, start, s, attr);
}

static int hexval(int c)
{
	c = lower(c);
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes one URI component [s, e) into the store (IR 7695 6.1.3.3). */
static int unbind_uri(struct parser *ps, const char *s, const char *e, struct kk_cpe_val *v, int attr)
{
	if (logical_value(s, e, "", v))
		return 0;
	size_t start = ps->used;
	for (const char *p = s; p < e; p++) {
		int c = (unsigned char)*p, rc;
		if (c <= 0x20 || c >= 0x7f)
			return fail(ps, p, attr, "character not allowed in a CPE URI%s (offset %zu)", "");
		if (c == '%') {
			int h = e - p >= 3 ? hexval(p[1]) : -1, l = e - p >= 3 ? hexval(p[2]) : -1;
			if (h < 0 || l < 0)
				return fail(ps, p, attr, "bad percent-encoding%s at offset %zu; use %%XX", "");
			c = h * 16 + l;
			p += 2;
			if (c == 1 || c == 2) {
				rc = store_put(ps, c == 1 ? '?' : '*');
			} else if (c > 0x20 && c < 0x7f) {
				/* IR 7695 Table 6-1 lists the punctuation a URI encodes; keikai
				 * also reads needless encodings such as %5f, and %2d, which it
				 * writes for a value that is a lone hyphen (a bare "-" is NA) */
				rc = store_wfn_char(ps, c);
			} else {
				return fail(ps, p - 2, attr,
					    "percent-encoded character%s at offset %zu is not one CPE allows "
					    "(%%01, %%02 or an encoded punctuation character)",
					    "");
			}
		} else {
			rc = store_wfn_char(ps, c);
		}
		if (rc)
			return kk_diag_set(ps->d, KK_ETOOBIG, "cpe", "CPE store buffer too small");
	}
	return end_value(ps, v, start, s, attr);
}

static bool prefix_ieq(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);
	if (len < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)s[i]) != lit[i])
			return false;
	return true;
}

static int parse_fs(struct parser *ps, const char *s, const char *end, struct kk_cpe *out)
{
	const char *p = s + 8; /* after "cpe:2.3:" */
	bool trailing_colon = false;
	for (int a = 0; a < KK_CPE_NATTR; a++) {
		const char *b = p;
		while (p < end && *p != ':') {
			if (*p == '\\' && p + 1 < end)
				p++;
			p++;
		}
		if (p >= end && a < KK_CPE_NATTR - 1) {
			char msg[256];
			snprintf(msg, sizeof(msg),
				 "formatted string ends after %d of 11 attributes%%s (offset %%zu); a CPE 2.3 name "
				 "has all 11: cpe:2.3:part:vendor:product:version:update:edition:language:"
				 "sw_edition:target_sw:target_hw:other",
				 a + 1);
			return fail(ps, p, a, msg, "");
		}
		int rc = unbind_fs(ps, b, p, &out->a[a], a);
		if (rc)
			return rc;
		if (p >= end)
			break;
		p++;
		trailing_colon = a == KK_CPE_NATTR - 1;
	}
	if (p < end || trailing_colon)
		return fail(ps, p, -1, "text after the 11th attribute%s (offset %zu); quote ':' in a value as \\:",
			    "");
	return 0;
}

static int parse_uri(struct parser *ps, const char *s, const char *end, struct kk_cpe *out)
{
	const char *p = s + 5; /* after "cpe:/" */
	for (int a = 0; a < KK_CPE_NATTR; a++)
		out->a[a] = (struct kk_cpe_val){.kind = KK_CPE_ANY};
	for (int a = 0; a <= KK_CPE_LANGUAGE && p <= end; a++) {
		const char *b = p;
		while (p < end && *p != ':')
			p++;
		int rc;
		if (a == KK_CPE_EDITION && p > b && *b == '~') {
			/* packed: ~edition~sw_edition~target_sw~target_hw~other */
			static const int packed[] = {KK_CPE_EDITION, KK_CPE_SW_EDITION, KK_CPE_TARGET_SW,
						     KK_CPE_TARGET_HW, KK_CPE_OTHER};
			const char *q = b + 1;
			for (int k = 0; k < 5; k++) {
				const char *qb = q;
				while (q < p && *q != '~')
					q++;
				if (k < 4 && q >= p)
					return fail(ps, q, KK_CPE_EDITION,
						    "packed edition%s at offset %zu needs five fields: "
						    "~edition~sw_edition~target_sw~target_hw~other",
						    "");
				if ((rc = unbind_uri(ps, qb, q, &out->a[packed[k]], packed[k])))
					return rc;
				if (k < 4)
					q++;
			}
			if (q != p)
				return fail(ps, q, KK_CPE_EDITION, "packed edition has more than five fields%s (offset %zu)",
					    "");
		} else if ((rc = unbind_uri(ps, b, p, &out->a[a], a))) {
			return rc;
		}
		if (p >= end)
			return 0;
		p++;
	}
	if (p <= end)
		return fail(ps, p, -1, "a CPE URI has at most 7 components%s (text at offset %zu)", "");
	return 0;
}

int kk_cpe_parse(const char *s, size_t len, struct kk_cpe *out, char *store, size_t cap, struct kk_diag *d)
{
	struct parser ps = {s, store, cap, 0, d};
	int rc;
	memset(out, 0, sizeof(*out));
	if (len > KK_CPE_MAX_LEN)
		return kk_diag_set(d, KK_ETOOBIG, "cpe", "CPE name longer than %d bytes", KK_CPE_MAX_LEN);
	if (prefix_ieq(s, len, "cpe:2.3:"))
		rc = parse_fs(&ps, s, s + len, out);
	else if (prefix_ieq(s, len, "cpe:/"))
		rc = parse_uri(&ps, s, s + len, out);
	else
		return kk_diag_set(d, KK_EPARSE, "cpe",
				   "'%.*s' is not a CPE name; it must start with cpe:2.3: (formatted string) or cpe:/ "
				   "(URI)",
				   (int)(len > 60 ? 60 : len), s);
	if (rc)
		return rc;
	for (int a = 0; a < KK_CPE_NATTR; a++) {
		out->any |= (uint16_t)((out->a[a].kind == KK_CPE_ANY) << a);
		out->na |= (uint16_t)((out->a[a].kind == KK_CPE_NA) << a);
		out->wild |= (uint16_t)(out->a[a].wild << a);
	}
	return 0;
}

/* ---------------------------------------------------------------- binding */

static void bind_fs_value(struct kk_fixbuf *o, const struct kk_cpe_val *v)
{
	if (v->kind == KK_CPE_ANY) {
		kk_fixbuf_putc(o, '*');
		return;
	}
	if (v->kind == KK_CPE_NA) {
		kk_fixbuf_putc(o, '-');
		return;
	}
	bool lone_hyphen = v->len == 2 && v->ptr[0] == '\\' && v->ptr[1] == '-'; /* "-" alone is NA */
	for (size_t i = 0; i < v->len; i++) {
		char c = v->ptr[i];
		if (c == '\\' && i + 1 < v->len) {
			char nx = v->ptr[++i];
			if ((nx != '.' && nx != '-' && nx != '_') || lone_hyphen)
				kk_fixbuf_putc(o, '\\');
			kk_fixbuf_putc(o, nx);
		} else {
			kk_fixbuf_putc(o, c);
		}
	}
}

int kk_cpe_bind_fs(const struct kk_cpe *c, char *out, size_t cap)
{
	struct kk_fixbuf o = KK_FIXBUF(out, cap);
	kk_fixbuf_puts(&o, "cpe:2.3");
	for (int a = 0; a < KK_CPE_NATTR; a++) {
		kk_fixbuf_putc(&o, ':');
		bind_fs_value(&o, &c->a[a]);
	}
	return kk_fixbuf_finish(&o);
}

static void bind_uri_value(struct kk_fixbuf *o, const struct kk_cpe_val *v)
{
	static const char hex[] = "0123456789abcdef";
	if (v->kind == KK_CPE_ANY)
		return;
	if (v->kind == KK_CPE_NA) {
		kk_fixbuf_putc(o, '-');
		return;
	}
	for (size_t i = 0; i < v->len; i++) {
		char c = v->ptr[i];
		if (c == '?') {
			kk_fixbuf_puts(o, "%01");
		} else if (c == '*') {
			kk_fixbuf_puts(o, "%02");
		} else if (c == '\\' && i + 1 < v->len) {
			char nx = v->ptr[++i];
			if (nx == '.' || (nx == '-' && v->len > 2)) { /* a lone "-" would read as NA */
				kk_fixbuf_putc(o, nx);
			} else {
				kk_fixbuf_putc(o, '%');
				kk_fixbuf_putc(o, hex[(unsigned char)nx >> 4]);
				kk_fixbuf_putc(o, hex[nx & 15]);
			}
		} else {
			kk_fixbuf_putc(o, c);
		}
	}
}

int kk_cpe_bind_uri(const struct kk_cpe *c, char *out, size_t cap)
{
	struct kk_fixbuf o = KK_FIXBUF(out, cap);
	kk_fixbuf_puts(&o, "cpe:/");
	size_t trim = o.len;
	for (int a = 0; a <= KK_CPE_LANGUAGE; a++) {
		if (a)
			kk_fixbuf_putc(&o, ':');
		if (a == KK_CPE_EDITION && (c->a[KK_CPE_SW_EDITION].kind != KK_CPE_ANY ||
					    c->a[KK_CPE_TARGET_SW].kind != KK_CPE_ANY ||
					    c->a[KK_CPE_TARGET_HW].kind != KK_CPE_ANY || c->a[KK_CPE_OTHER].kind != KK_CPE_ANY)) {
			static const int packed[] = {KK_CPE_EDITION, KK_CPE_SW_EDITION, KK_CPE_TARGET_SW,
						     KK_CPE_TARGET_HW, KK_CPE_OTHER};
			for (int k = 0; k < 5; k++) {
				kk_fixbuf_putc(&o, '~');
				bind_uri_value(&o, &c->a[packed[k]]);
			}
		} else {
			bind_uri_value(&o, &c->a[a]);
		}
		if (!o.full && o.len > 0 && o.p[o.len - 1] != ':')
			trim = o.len;
	}
	if (!o.full)
		o.len = trim; /* drop trailing colons */
	return kk_fixbuf_finish(&o);
}

int kk_cpe_bind_wfn(const struct kk_cpe *c, char *out, size_t cap)
{
	struct kk_fixbuf o = KK_FIXBUF(out, cap);
	kk_fixbuf_puts(&o, "wfn:[");
	for (int a = 0; a < KK_CPE_NATTR; a++) {
		if (a)
			kk_fixbuf_putc(&o, ',');
		kk_fixbuf_puts(&o, attr_names[a]);
		kk_fixbuf_putc(&o, '=');
		const struct kk_cpe_val *v = &c->a[a];
		if (v->kind != KK_CPE_VALUE) {
			kk_fixbuf_puts(&o, v->kind == KK_CPE_ANY ? "ANY" : "NA");
			continue;
		}
		kk_fixbuf_putc(&o, '"');
		for (size_t i = 0; i < v->len; i++)
			kk_fixbuf_putc(&o, v->ptr[i]);
		kk_fixbuf_putc(&o, '"');
	}
	kk_fixbuf_putc(&o, ']');
	return kk_fixbuf_finish(&o);
}

/* --------------------------------------------------------------- matching */

/* Escape characters (quoting backslashes) in t[from, to). */
static size_t count_escapes(const char *t, size_t from, size_t to)
{
	size_t n = 0;
	for (size_t i = from; i < to; i++)
		if (t[i] == '\\') {
			n++;
			i++;
		}
	return n;
}

/* True when position i of t starts a character (is not a quoted byte). */
static bool at_char_start(const char *t, size_t i)
{
	size_t k = 0;
	while (k < i && t[i - 1 - k] == '\\')
		k++;
	return !(k & 1);
}

/* IR 7696 compareStrings: source has wildcards, target none. */
static enum kk_cpe_rel compare_strings(const struct kk_cpe_val *s, const struct kk_cpe_val *t)
{
	const char *core = s->ptr + s->core;
	size_t cn = s->core_len, tn = t->len;
	if (cn > tn)
		return KK_CPE_DISJOINT;
	for (size_t idx = 0; idx + cn <= tn; idx++) {
		if (cn && (t->ptr[idx] != core[0] || memcmp(t->ptr + idx, core, cn)))
			continue;
		if (!at_char_start(t->ptr, idx))
			continue;
		size_t before = idx - count_escapes(t->ptr, 0, idx);
		if (s->begins != -1 && (size_t)s->begins < before)
			break;
		size_t after = tn - idx - cn - count_escapes(t->ptr, idx + cn, tn);
		if (after > 0 && s->ends != -1 && after > (size_t)s->ends)
			continue;
		return KK_CPE_SUPERSET;
	}
	return KK_CPE_DISJOINT;
}

enum kk_cpe_rel kk_cpe_attr_compare(const struct kk_cpe_val *s, const struct kk_cpe_val *t)
{
	if (t->wild)
		return KK_CPE_UNDEFINED;
	if (s->kind == t->kind &&
	    (s->kind != KK_CPE_VALUE || (s->len == t->len && !memcmp(s->ptr, t->ptr, s->len))))
		return KK_CPE_EQUAL;
	if (s->kind == KK_CPE_ANY)
		return KK_CPE_SUPERSET;
	if (t->kind == KK_CPE_ANY)
		return KK_CPE_SUBSET;
	if (s->kind == KK_CPE_NA || t->kind == KK_CPE_NA || !s->wild)
		return KK_CPE_DISJOINT;
	return compare_strings(s, t);
}

/*
 * Attribute by attribute as IR 7696 says, but the masks settle most
 * attributes at once: a target with wildcards is UNDEFINED, ANY against
 * ANY is EQUAL, ANY on one side only is SUPERSET or SUBSET. The rest
 * (values and NA on both sides) are compared one by one, product and
 * vendor first since they decide most pairs.
 */
enum kk_cpe_rel kk_cpe_compare(const struct kk_cpe *source, const struct kk_cpe *target)
{
	static const unsigned char order[KK_CPE_NATTR] = {
		KK_CPE_PRODUCT, KK_CPE_VENDOR,	   KK_CPE_PART,	     KK_CPE_VERSION,   KK_CPE_UPDATE, KK_CPE_EDITION,
		KK_CPE_LANGUAGE, KK_CPE_SW_EDITION, KK_CPE_TARGET_SW, KK_CPE_TARGET_HW, KK_CPE_OTHER,
	};
	unsigned tw = target->wild, sa = source->any, ta = target->any;
	unsigned rest = ~(sa | ta | tw) & ((1u << KK_CPE_NATTR) - 1);
	unsigned seen = 0;
	if (tw)
		seen |= 1u << KK_CPE_UNDEFINED;
	if (sa & ta)
		seen |= 1u << KK_CPE_EQUAL;
	if (sa & ~ta & ~tw)
		seen |= 1u << KK_CPE_SUPERSET;
	if (ta & ~sa)
		seen |= 1u << KK_CPE_SUBSET;
	for (int i = 0; rest && i < KK_CPE_NATTR; i++) {
		unsigned a = order[i];
		if (!(rest & (1u << a)))
			continue;
		rest &= ~(1u << a);
		enum kk_cpe_rel r = kk_cpe_attr_compare(&source->a[a], &target->a[a]);
		if (r == KK_CPE_DISJOINT)
			return KK_CPE_DISJOINT;
		seen |= 1u << r;
	}
	if (seen == 1u << KK_CPE_EQUAL)
		return KK_CPE_EQUAL;
	if (seen & (1u << KK_CPE_UNDEFINED))
		return KK_CPE_UNDEFINED;
	if (!(seen & (1u << KK_CPE_SUBSET)))
		return KK_CPE_SUPERSET;
	if (!(seen & (1u << KK_CPE_SUPERSET)))
		return KK_CPE_SUBSET;
	return KK_CPE_UNDEFINED;
}

bool kk_cpe_match(const struct kk_cpe *source, const struct kk_cpe *target)
{
	enum kk_cpe_rel r = kk_cpe_compare(source, target);
	return r == KK_CPE_SUPERSET || r == KK_CPE_EQUAL;
}

bool kk_cpe_fs_field(const char *name, int idx, char *out, size_t cap)
{
	const char *p;
	if (!strncmp(name, "cpe:2.3:", 8))
		p = name + 8;
	else if (!strncmp(name, "cpe:/", 5))
		p = name + 5;
	else
		return false;
	for (int i = 0; i < idx && *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == ':')
			i++;
	}
	const char *e = p;
	while (*e && *e != ':') {
		if (*e == '\\' && e[1])
			e++;
		e++;
	}
	size_t n = (size_t)(e - p);
	if (n == 0 || n >= cap)
		return false;
	memcpy(out, p, n);
	out[n] = 0;
	return true;
}

/*
 * fold.c — the text normalization of the search index, its queries and
 * name matching: utf8proc NFKC + case fold (an ASCII fast path), a
 * katakana word's final prolonged sound mark dropped, CJK runs written as
 * bigrams.
 */
#include "vulndb/fold.h"
#include "base/alloc.h"
#include "base/utf8.h"
#include <utf8proc.h>

static bool is_cjk(utf8proc_int32_t c)
{
	return (c >= 0x3040 && c <= 0x30FF) || /* hiragana, katakana */
	       (c >= 0x31F0 && c <= 0x31FF) || /* katakana extensions */
	       (c >= 0x3400 && c <= 0x4DBF) || /* CJK extension A */
	       (c >= 0x4E00 && c <= 0x9FFF) || /* CJK unified */
	       (c >= 0xAC00 && c <= 0xD7AF) || /* Hangul */
	       (c >= 0xF900 && c <= 0xFAFF) || /* compatibility ideographs */
	       (c >= 0x20000 && c <= 0x3FFFF); /* extensions B.. */
}

static bool is_katakana(utf8proc_int32_t c)
{
	return (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC || (c >= 0x31F0 && c <= 0x31FF);
}

/*
 * Drops the prolonged sound mark ー (U+30FC; NFKC makes halfwidth ｰ one)
 * that ends a katakana word, as JVN iPedia's search does (長音の有無を同一
 * 視: サーバー = サーバ, コンピューター = コンピュータ); the mark inside a
 * word (サーバ's first) stays. Returns the new length.
 */
static size_t drop_final_prolonged(utf8proc_int32_t *cp, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		if (cp[i] != 0x30FC || !o || !is_katakana(cp[o - 1]) || cp[o - 1] == 0x30FC) {
			cp[o++] = cp[i++];
			continue;
		}
		size_t j = i;
		while (j < n && cp[j] == 0x30FC)
			j++;
		if (j < n && is_katakana(cp[j])) /* more of the word follows */
			while (i < j)
				cp[o++] = cp[i++];
		i = j;
	}
	return o;
}

/* NFKC + case fold (+ drop_final_prolonged) into a code point array (kk_malloc); *len code points. */
static int fold(const char *s, size_t n, utf8proc_int32_t **out, size_t *len)
{
	if (!kk_utf8_valid(s, n))
		return KK_EINVAL;
	const int opts = UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE;
	utf8proc_ssize_t m =
	    utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, NULL, 0, opts);
	if (m < 0)
		return KK_EINVAL;
	utf8proc_int32_t *cp = kk_malloc(((size_t)m + 1) * sizeof(*cp));
	if (!cp)
		return KK_ENOMEM;
	m = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, cp, m, opts);
	if (m >= 0)
		m = utf8proc_normalize_utf32(cp, m, opts);
	if (m < 0) {
		kk_free(cp);
		return KK_EINVAL;
	}
	*out = cp;
	*len = drop_final_prolonged(cp, (size_t)m);
	return 0;
}

static char *put(char *o, utf8proc_int32_t c)
{
	return o + utf8proc_encode_char(c, (utf8proc_uint8_t *)o);
}

/*
 * Writes cp[0..n) with each CJK run expanded to bigrams and the run's last
 * character (always in the index; in a query term, query_end_open, only
 * when more of the term follows the run or the run is that one character:
 * *lone_at_end then says so). o needs 10 bytes per code point.
 * Returns the end of the output.
 */
static char *expand(const utf8proc_int32_t *cp, size_t n, char *o, bool query_end_open, bool *lone_at_end)
{
	size_t i = 0;
	if (lone_at_end)
		*lone_at_end = false;
	while (i < n) {
		if (!is_cjk(cp[i])) {
			o = put(o, cp[i++]);
			continue;
		}
		size_t j = i;
		while (j < n && is_cjk(cp[j]))
			j++;
		*o++ = ' ';
		for (size_t k = i; k + 1 < j; k++) {
			o = put(o, cp[k]);
			o = put(o, cp[k + 1]);
			*o++ = ' ';
		}
		bool at_end = j == n;
		if (j - i == 1 || !at_end || !query_end_open) {
			o = put(o, cp[j - 1]);
			*o++ = ' ';
		}
		if (at_end && j - i == 1 && lone_at_end)
			*lone_at_end = true;
		i = j;
	}
	*o = 0;
	return o;
}

/*
 * ASCII text (most of NVD's) needs no Unicode tables: NFKC leaves it as it
 * is and case folding lowers A-Z. 1 when s was ASCII and *out is set (or
 * *rc says why not), 0 when s needs the full path.
 */
static int ascii_fold(const char *s, size_t n, char **out, int *rc)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80 || !s[i])
			return 0;
	char *o = kk_malloc(n + 1);
	*rc = o ? 0 : KK_ENOMEM;
	for (size_t i = 0; o && i < n; i++)
		o[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
	if (o)
		o[n] = 0;
	*out = o;
	return 1;
}

/*
 * The full path of kk_search_normalize and of a query term (term: see
 * kk_search_normalize_term; token may be NULL when not wanted).
 */
static int normalize(const char *s, size_t n, bool term, char **out, bool *prefix, bool *token)
{
	utf8proc_int32_t *cp;
	size_t len;
	int rc = fold(s, n, &cp, &len);
	if (rc)
		return rc;
	char *o = kk_malloc(len * 10 + 1);
	if (!o) {
		kk_free(cp);
		return KK_ENOMEM;
	}
	expand(cp, len, o, term, prefix);
	for (size_t i = 0; token && i < len && !*token; i++) {
		int cat = utf8proc_category(cp[i]);
		*token = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
		         (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
	}
	kk_free(cp);
	*out = o;
	return 0;
}

int kk_search_normalize(const char *s, size_t n, char **out)
{
	int arc;
	if (ascii_fold(s, n, out, &arc))
		return arc;
	return normalize(s, n, false, out, NULL, NULL);
}

int kk_search_fold(const char *s, size_t n, char **out)
{
	int arc;
	if (ascii_fold(s, n, out, &arc))
		return arc;
	utf8proc_int32_t *cp;
	size_t len;
	int rc = fold(s, n, &cp, &len);
	if (rc)
		return rc;
	char *o = kk_malloc(len * 4 + 1), *e = o;
	if (o) {
		for (size_t i = 0; i < len; i++)
			e = put(e, cp[i]);
		*e = 0;
	}
	kk_free(cp);
	*out = o;
	return o ? 0 : KK_ENOMEM;
}

int kk_search_normalize_term(const char *s, size_t n, char **out, bool *prefix, bool *token)
{
	*token = false;
	return normalize(s, n, true, out, prefix, token);
}

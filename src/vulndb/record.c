/*
 * record.c — building a struct kk_vuln_rec (arena-backed arrays, copied
 * strings) and its content hash.
 */
#include "vulndb/record.h"
#include "base/alloc.h"
#include "base/str.h"
#include "std/cpe.h"
#include "std/langtag.h"
#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void kk_vuln_rec_init(struct kk_vuln_rec *rec, struct kk_arena *a)
{
	memset(rec, 0, sizeof(*rec));
	rec->arena = a;
}

int kk_vuln_rec_start(struct kk_vuln_rec *rec, struct kk_arena *a, const char *source, const char *format,
		      const json_t *obj, const char *what, struct kk_diag *d)
{
	kk_vuln_rec_init(rec, a);
	rec->source = source;
	rec->format = format;
	if (!json_is_object(obj))
		return kk_diag_set(d, KK_EPARSE, "", "%s must be an object", what);
	return 0;
}

/* Makes room for one more element of size sz in *arr (arena-backed, doubling). */
static int grow(struct kk_arena *a, void **arr, size_t n, size_t *cap, size_t sz)
{
	if (n < *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 4;
	void *p = kk_arena_alloc(a, nc * sz);
	if (!p)
		return KK_ENOMEM;
	if (n)
		memcpy(p, *arr, n * sz);
	*arr = p;
	*cap = nc;
	return 0;
}

#define PUSH(rec, name, val)                                                                                 \
	do {                                                                                                 \
		void *arr_ = (void *)(rec)->name;                                                            \
		if (grow((rec)->arena, &arr_, (rec)->n_##name, &(rec)->cap_##name, sizeof(*(rec)->name)))    \
			return KK_ENOMEM;                                                                    \
		(rec)->name = arr_;                                                                          \
		(rec)->name[(rec)->n_##name++] = (val);                                                      \
	} while (0)

/* Copies s into the arena; NULL stays NULL. Sets *err on failure. */
static const char *dup(struct kk_vuln_rec *rec, const char *s, int *err)
{
	if (!s)
		return NULL;
	char *c = kk_arena_strdup(rec->arena, s);
	if (!c)
		*err = KK_ENOMEM;
	return c;
}

int kk_vuln_rec_alias(struct kk_vuln_rec *rec, const char *id)
{
	if (!id || !*id)
		return 0;
	for (size_t i = 0; i < rec->n_aliases; i++)
		if (!strcmp(rec->aliases[i], id))
			return 0;
	int err = 0;
	const char *c = dup(rec, id, &err);
	if (err)
		return err;
	PUSH(rec, aliases, c);
	return 0;
}

int kk_vuln_rec_text(struct kk_vuln_rec *rec, const char *lang, const char *kind, const char *text)
{
	if (!text || !*text)
		return 0;
	int err = 0;
	struct kk_vuln_text t = {dup(rec, lang ? lang : "en", &err), kind, dup(rec, text, &err)};
	if (err)
		return err;
	PUSH(rec, texts, t);
	return 0;
}

/*
 * Three-letter ISO 639-2 codes (terminology and bibliographic) with the
 * two-letter ISO 639-1 code RFC 5646 4.1 says to use instead: the languages
 * found in the sources' lang values (../shared/data: en, de, es, eo in CVE
 * JSON 5 and NVD, ja from JVN, fr in CSAF). Add a row when a source is seen
 * writing another one.
 */
static const char iso639_2to1[][2][4] = {
    {"eng", "en"}, {"jpn", "ja"}, {"deu", "de"}, {"ger", "de"},
    {"spa", "es"}, {"epo", "eo"}, {"fra", "fr"}, {"fre", "fr"},
};

int kk_vuln_lang(const char *tag, char out[KK_VULN_LANG_MAX], const char *where, struct kk_diag *d)
{
	struct kk_langtag t;
	struct kk_diag why;
	if (!tag) {
		memcpy(out, "en", 3);
		return 0;
	}
	size_t len = strlen(tag);
	char dash[64]; /* "en_US" read as "en-US" (record.h) */
	const char *read = tag;
	if (len < sizeof dash && strchr(tag, '_')) {
		for (size_t i = 0; i <= len; i++)
			dash[i] = tag[i] == '_' ? '-' : tag[i];
		read = dash;
	}
	if (kk_langtag_parse(read, len, &t, &why)) {
		/* shown whole up to 40 bytes, else cut between characters */
		size_t cut = len > 40 ? 40 : len;
		while (cut < len && cut > 0 && ((unsigned char)tag[cut] & 0xC0) == 0x80)
			cut--;
		return kk_diag_set(
		    d, KK_EPARSE, where,
		    "lang must be an RFC 5646 language tag such as en or ja-JP, got \"%.*s%s\" (%s)",
		    (int)cut, tag, cut < len ? "..." : "", why.msg);
	}
	if (!t.language.ptr) {
		memcpy(out, "und", 4);
		return 0;
	}
	size_t n = t.language.len; /* 2 to 8 letters */
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)t.language.ptr[i]);
	out[n] = 0;
	for (size_t i = 0; n == 3 && i < sizeof iso639_2to1 / sizeof iso639_2to1[0]; i++)
		if (!strcmp(out, iso639_2to1[i][0]))
			memcpy(out, iso639_2to1[i][1], 3);
	return 0;
}

int kk_vuln_rec_text_tagged(struct kk_vuln_rec *rec, const char *tag, const char *kind, const char *text,
                            const char *where, struct kk_diag *d)
{
	char lang[KK_VULN_LANG_MAX];
	int rc = kk_vuln_lang(tag, lang, where, d);
	return rc ? rc : kk_vuln_rec_text(rec, lang, kind, text);
}

int kk_vuln_rec_cvss(struct kk_vuln_rec *rec, const struct kk_vuln_cvss *c)
{
	int err = 0;
	struct kk_vuln_cvss v = {dup(rec, c->version, &err),  dup(rec, c->vector, &err),
	                         dup(rec, c->severity, &err), dup(rec, c->source, &err),
	                         dup(rec, c->type, &err),     c->score};
	if (err)
		return err;
	PUSH(rec, cvss, v);
	return 0;
}

int kk_vuln_rec_cwe(struct kk_vuln_rec *rec, int cwe)
{
	for (size_t i = 0; i < rec->n_cwes; i++)
		if (rec->cwes[i] == cwe)
			return 0;
	PUSH(rec, cwes, cwe);
	return 0;
}

/*
 * Field `idx` (0-based, after the "cpe:2.3:" or "cpe:/" prefix: 0 part,
 * 1 vendor, 2 product, 3 version) of a CPE name, escapes kept, copied into
 * the arena; NULL when absent or empty.
 */
static const char *cpe_field(struct kk_vuln_rec *rec, const char *cpe, int idx, int *err)
{
	char f[KK_CPE_MAX_LEN + 1];
	if (!kk_cpe_fs_field(cpe, idx, f, sizeof f))
		return NULL;
	char *c = kk_arena_strdup(rec->arena, f);
	if (!c)
		*err = KK_ENOMEM;
	return c;
}

int kk_vuln_rec_cpe(struct kk_vuln_rec *rec, const struct kk_vuln_cpe *c)
{
	int err = 0;
	struct kk_vuln_cpe v = *c;
	v.cpe23 = dup(rec, c->cpe23, &err);
	v.vendor = c->vendor || !c->cpe23 ? dup(rec, c->vendor, &err) : cpe_field(rec, c->cpe23, 1, &err);
	v.product = c->product || !c->cpe23 ? dup(rec, c->product, &err) : cpe_field(rec, c->cpe23, 2, &err);
	v.version = c->version || !c->cpe23 ? dup(rec, c->version, &err) : cpe_field(rec, c->cpe23, 3, &err);
	v.start_incl = dup(rec, c->start_incl, &err);
	v.start_excl = dup(rec, c->start_excl, &err);
	v.end_incl = dup(rec, c->end_incl, &err);
	v.end_excl = dup(rec, c->end_excl, &err);
	if (err)
		return err;
	PUSH(rec, cpes, v);
	return 0;
}

int kk_vuln_rec_pkg(struct kk_vuln_rec *rec, const struct kk_vuln_pkg *p)
{
	int err = 0;
	struct kk_vuln_pkg v = {
	    dup(rec, p->ecosystem, &err),     dup(rec, p->name, &err),       dup(rec, p->purl, &err),
	    dup(rec, p->range_type, &err),    dup(rec, p->introduced, &err), dup(rec, p->fixed, &err),
	    dup(rec, p->last_affected, &err), dup(rec, p->limit, &err),      dup(rec, p->versions, &err)};
	if (err)
		return err;
	PUSH(rec, pkgs, v);
	return 0;
}

int kk_vuln_rec_ref(struct kk_vuln_rec *rec, const char *url, const char *type)
{
	if (!url || !*url)
		return 0;
	int err = 0;
	struct kk_vuln_ref r = {dup(rec, url, &err), dup(rec, type, &err)};
	if (err)
		return err;
	PUSH(rec, refs, r);
	return 0;
}

int kk_vuln_rec_jvn(struct kk_vuln_rec *rec, const struct kk_vuln_jvn_item *it)
{
	int err = 0;
	struct kk_vuln_jvn_item v = {it->kind, dup(rec, it->lang, &err), dup(rec, it->a, &err), dup(rec, it->b, &err),
	                             dup(rec, it->c, &err), dup(rec, it->d, &err), dup(rec, it->e, &err),
	                             it->t, it->t2, it->t3};
	if (err)
		return err;
	PUSH(rec, jvn, v);
	return 0;
}

static int hash_chunk(const char *buf, size_t size, void *data)
{
	crypto_generichash_update(data, (const unsigned char *)buf, size);
	return 0;
}

int kk_vuln_rec_hash(struct kk_vuln_rec *rec, const json_t *obj)
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof(rec->hash));
	/* the parser's format name is part of the hash: an NVD record read
	 * from a 1.1 feed and from the API are different inputs */
	crypto_generichash_update(&st, (const unsigned char *)rec->format, strlen(rec->format) + 1);
	if (json_dump_callback(obj, hash_chunk, &st, JSON_COMPACT))
		return KK_ENOMEM;
	crypto_generichash_final(&st, rec->hash, sizeof(rec->hash));
	return 0;
}

int kk_vuln_cwe_id(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "NVD-CWE-noinfo") || !strcmp(s, "NVD-CWE-Other"))
		return 0;
	if (strncasecmp(s, "CWE-", 4))
		return -1;
	char *end;
	long v = strtol(s + 4, &end, 10);
	if (end == s + 4 || *end || v <= 0 || v > 1000000)
		return -1;
	return (int)v;
}

int kk_vuln_severity_rank(const char *s)
{
	static const char *const names[] = {"NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"};
	for (int i = 0; s && i < 5; i++)
		if (kk_str_ieq(s, names[i]))
			return i;
	return 0;
}

/* After "**", spaces, word (case ignored), an optional "ED" when word is "REJECT", spaces, "**": the rest, or NULL. */
static const char *star_marker(const char *s)
{
	if (strncmp(s, "**", 2))
		return NULL;
	s += 2;
	while (*s == ' ')
		s++;
	if (strncasecmp(s, "REJECT", 6))
		return NULL;
	s += 6;
	if (!strncasecmp(s, "ED", 2))
		s += 2;
	while (*s == ' ')
		s++;
	return strncmp(s, "**", 2) ? NULL : s + 2;
}

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

bool kk_vuln_rejected_text(const char *text, const char **reason)
{
	if (!text)
		return false;
	const char *s = skip_space(text), *rest;
	if (!strncasecmp(s, "Rejected reason:", 16)) {
		rest = skip_space(s + 16);
		const char *inner = star_marker(rest); /* "Rejected reason: ** REJECT ** ..." */
		if (inner)
			rest = skip_space(inner);
	} else if ((rest = star_marker(s))) {
		rest = skip_space(rest);
	} else {
		return false;
	}
	if (reason)
		*reason = rest;
	return true;
}

/*
 * i18n.c — thread-safe reader of the embedded GNU .mo catalogs and the
 * per-request language choice (see i18n.h for why not gettext(3)).
 */
#include "web/i18n.h"
#include "base/alloc.h"
#include "base/embed.h"
#include "base/err.h"
#include "base/str.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

extern const struct kk_embedded kk_catalog_files[];

struct kk_catalog {
	const unsigned char *data;
	size_t len;
	uint32_t n;
	uint32_t orig_off, trans_off;
	int swap;
};

static uint32_t rd32(const struct kk_catalog *c, size_t off)
{
	uint32_t v;
	memcpy(&v, c->data + off, 4);
	if (c->swap)
		v = __builtin_bswap32(v);
	return v;
}

/* String i of the table at `table` (orig or trans): pointer and length. */
static const char *entry(const struct kk_catalog *c, uint32_t table, uint32_t i, uint32_t *len)
{
	*len = rd32(c, table + (size_t)i * 8);
	return (const char *)c->data + rd32(c, table + (size_t)i * 8 + 4);
}

int kk_i18n_parse(const unsigned char *data, size_t len, struct kk_catalog **out)
{
	*out = NULL;
	if (len < 28)
		return KK_EPARSE;
	struct kk_catalog c = {.data = data, .len = len};
	uint32_t magic;
	memcpy(&magic, data, 4);
	if (magic == 0x950412deu)
		c.swap = 0;
	else if (magic == 0xde120495u)
		c.swap = 1;
	else
		return KK_EPARSE;
	c.n = rd32(&c, 8);
	c.orig_off = rd32(&c, 12);
	c.trans_off = rd32(&c, 16);
	/* every table entry and every string (with its NUL) must lie inside */
	if ((uint64_t)c.orig_off + (uint64_t)c.n * 8 > len || (uint64_t)c.trans_off + (uint64_t)c.n * 8 > len)
		return KK_EPARSE;
	for (uint32_t i = 0; i < c.n; i++)
		for (int t = 0; t < 2; t++) {
			uint32_t base = t ? c.trans_off : c.orig_off;
			uint64_t l = rd32(&c, base + (size_t)i * 8), o = rd32(&c, base + (size_t)i * 8 + 4);
			if (o + l + 1 > len || data[o + l] != 0)
				return KK_EPARSE;
		}
	struct kk_catalog *p = kk_malloc(sizeof(*p));
	if (!p)
		return KK_ENOMEM;
	*p = c;
	*out = p;
	return 0;
}

void kk_i18n_free(struct kk_catalog *cat)
{
	kk_free(cat);
}

const char *kk_i18n_lookup(const struct kk_catalog *c, const char *msgid)
{
	if (!c || !msgid || !*msgid)
		return msgid;
	uint32_t lo = 0, hi = c->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2, l;
		const char *s = entry(c, c->orig_off, mid, &l);
		int cmp = strcmp(msgid, s);
		if (cmp == 0) {
			const char *t = entry(c, c->trans_off, mid, &l);
			return l ? t : msgid;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return msgid;
}

static struct kk_catalog *cat_ja, *cat_en;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_rc;

static void load(void)
{
	const struct kk_embedded *e;
	if ((e = kk_embed_find(kk_catalog_files, "ja.mo")))
		init_rc = kk_i18n_parse(e->data, e->len, &cat_ja);
	if (!init_rc && (e = kk_embed_find(kk_catalog_files, "en.mo")))
		init_rc = kk_i18n_parse(e->data, e->len, &cat_en);
}

int kk_i18n_init(void)
{
	pthread_once(&once, load);
	return init_rc;
}

const struct kk_catalog *kk_i18n_catalog(const char *lang)
{
	kk_i18n_init();
	if (lang && !strcmp(lang, "ja"))
		return cat_ja;
	if (lang && !strcmp(lang, "en"))
		return cat_en;
	return NULL;
}

static _Thread_local const struct kk_catalog *current;

void kk_i18n_use(const struct kk_catalog *cat)
{
	current = cat;
}

const char *kk_i18n_tr(const char *msgid)
{
	return kk_i18n_lookup(current, msgid);
}

const char *kk_i18n_supported(const char *tag)
{
	if (!tag)
		return NULL;
	/* "ja", "ja-JP", "JA_jp", "en", "en-US"... */
	if ((tag[0] | 0x20) == 'j' && (tag[1] | 0x20) == 'a' &&
	    (tag[2] == 0 || tag[2] == '-' || tag[2] == '_'))
		return "ja";
	if ((tag[0] | 0x20) == 'e' && (tag[1] | 0x20) == 'n' &&
	    (tag[2] == 0 || tag[2] == '-' || tag[2] == '_'))
		return "en";
	return NULL;
}

/* Accept-Language: "en-US,en;q=0.9,ja;q=0.8" — the supported tag with the highest q (first wins ties). */
static const char *from_accept(const char *h)
{
	const char *best = NULL;
	double best_q = 0;
	while (h && *h) {
		while (*h == ' ' || *h == ',')
			h++;
		char tag[32];
		size_t n = 0;
		while (*h && *h != ',' && *h != ';' && *h != ' ' && n < sizeof(tag) - 1)
			tag[n++] = *h++;
		tag[n] = 0;
		double q = 1.0;
		while (*h && *h != ',') {
			if (*h == ';') {
				h++;
				while (*h == ' ')
					h++;
				if (h[0] == 'q' && h[1] == '=')
					q = strtod(h + 2, NULL);
				continue;
			}
			h++;
		}
		const char *l = kk_i18n_supported(tag);
		if (l && q > best_q) {
			best = l;
			best_q = q;
		}
	}
	return best;
}

const char *kk_i18n_negotiate(const char *query_lang, const char *cookie_lang, const char *accept_language)
{
	const char *l;
	if ((l = kk_i18n_supported(query_lang)))
		return l;
	if ((l = kk_i18n_supported(cookie_lang)))
		return l;
	if ((l = from_accept(accept_language)))
		return l;
	return KK_LANG_DEFAULT;
}

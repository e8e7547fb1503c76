/*
 * ja.c — the Japanese CWE names and the glossary (parsed once from the
 * embedded tables), and the composition of a record's Japanese texts.
 */
#include "vulndb/ja.h"
#include "base/alloc.h"
#include "base/embed.h"
#include "vulndb/fold.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

extern const struct kk_embedded kk_vulndb_data_files[];

struct cwe_name {
	int id; /* -1 NVD-CWE-Other, -2 NVD-CWE-noinfo */
	const char *name;
};

struct gkey {
	char *key; /* folded, separators left out */
	size_t line;
};

static struct {
	char *cwe_text, *gloss_text; /* copies of the tables, cut into strings in place */
	struct cwe_name *cwes;
	size_t ncwes;
	struct kk_gloss *lines;
	size_t nlines;
	struct gkey *keys;
	size_t nkeys;
	int max_words;
} T;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int cmp_cwe(const void *a, const void *b)
{
	const struct cwe_name *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(((const struct gkey *)a)->key, ((const struct gkey *)b)->key);
}

static char *copy_table(const char *name)
{
	const struct kk_embedded *e = kk_embed_find(kk_vulndb_data_files, name);
	if (!e)
		abort(); /* built into the binary: missing means a broken build */
	char *s = kk_malloc(e->len + 1);
	if (!s)
		abort();
	memcpy(s, e->data, e->len + 1);
	return s;
}

/* Next non-comment line of *cur, NUL-terminated in place; NULL at the end. */
static char *next_line(char **cur)
{
	while (**cur) {
		char *s = *cur, *nl = strchr(s, '\n');
		*cur = nl ? nl + 1 : s + strlen(s);
		if (nl)
			*nl = 0;
		if (*s && *s != '#')
			return s;
	}
	return NULL;
}

/* s folded with separators left out (kk_malloc); NULL when s is not valid UTF-8 or memory ran out. */
static char *gloss_key(const char *s, size_t n)
{
	char *f;
	if (kk_search_fold(s, n, &f))
		return NULL;
	char *o = f;
	for (const char *p = f; *p;) {
		if (*p == ' ' || *p == '-' || *p == '_' || *p == '\t') {
			p++;
		} else if (!strncmp(p, "\xE3\x83\xBB", 3) || !strncmp(p, "\xE3\x83\xBC", 3) ||
		           !strncmp(p, "\xE2\x80\x90", 3)) { /* ・ ー ‐ */
			p += 3;
		} else {
			*o++ = *p++;
		}
	}
	*o = 0;
	return f;
}

static void load(void)
{
	char *cur = T.cwe_text = copy_table("cwe_ja.tsv"), *line;
	size_t cap = 0;
	while ((line = next_line(&cur))) {
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = 0;
		if (T.ncwes == cap && !(T.cwes = kk_realloc(T.cwes, (cap = cap ? 2 * cap : 256) * sizeof *T.cwes)))
			abort();
		int id = !strcmp(line, "NVD-CWE-Other") ? -1 : !strcmp(line, "NVD-CWE-noinfo") ? -2 : atoi(line);
		T.cwes[T.ncwes++] = (struct cwe_name){id, tab + 1};
	}
	qsort(T.cwes, T.ncwes, sizeof *T.cwes, cmp_cwe);

	cur = T.gloss_text = copy_table("glossary.tsv");
	size_t lcap = 0, kcap = 0;
	while ((line = next_line(&cur))) {
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = 0;
		if (T.nlines == lcap && !(T.lines = kk_realloc(T.lines, (lcap = lcap ? 2 * lcap : 64) * sizeof *T.lines)))
			abort();
		struct kk_gloss *g = &T.lines[T.nlines];
		*g = (struct kk_gloss){0};
		for (char *p = line; *p;) {
			int id = atoi(p);
			if (id > 0) {
				if (!(g->cwes = kk_realloc(g->cwes, (g->ncwes + 1) * sizeof *g->cwes)))
					abort();
				g->cwes[g->ncwes++] = id;
			}
			p += strcspn(p, ",");
			p += *p == ',';
		}
		for (char *p = tab + 1; *p;) {
			size_t n = strcspn(p, "|");
			char *t = p;
			p += n;
			if (*p)
				*p++ = 0;
			if (!(g->terms = kk_realloc(g->terms, (g->nterms + 1) * sizeof *g->terms)))
				abort();
			g->terms[g->nterms++] = t;
			int words = 1;
			for (const char *q = t; *q; q++)
				words += *q == ' ';
			if (words > T.max_words)
				T.max_words = words;
			char *k = gloss_key(t, n);
			if (!k)
				abort();
			if (T.nkeys == kcap && !(T.keys = kk_realloc(T.keys, (kcap = kcap ? 2 * kcap : 256) * sizeof *T.keys)))
				abort();
			T.keys[T.nkeys++] = (struct gkey){k, T.nlines};
		}
		T.nlines++;
	}
	qsort(T.keys, T.nkeys, sizeof *T.keys, cmp_key);
}

const char *kk_cwe_ja_name_int(int cwe)
{
	pthread_once(&once, load);
	struct cwe_name k = {cwe, NULL}, *e = bsearch(&k, T.cwes, T.ncwes, sizeof *T.cwes, cmp_cwe);
	return e ? e->name : NULL;
}

const char *kk_cwe_ja_name(const char *id)
{
	if (!id)
		return NULL;
	if (!strcmp(id, "NVD-CWE-Other"))
		return kk_cwe_ja_name_int(-1);
	if (!strcmp(id, "NVD-CWE-noinfo"))
		return kk_cwe_ja_name_int(-2);
	if (!strncmp(id, "CWE-", 4))
		id += 4;
	char *end;
	long n = strtol(id, &end, 10);
	return *id >= '1' && *id <= '9' && !*end && n < 1000000 ? kk_cwe_ja_name_int((int)n) : NULL;
}

const struct kk_gloss *kk_gloss_find(const char *s, size_t n)
{
	pthread_once(&once, load);
	char *k = gloss_key(s, n);
	if (!k)
		return NULL;
	struct gkey key = {k, 0}, *e = *k ? bsearch(&key, T.keys, T.nkeys, sizeof *T.keys, cmp_key) : NULL;
	kk_free(k);
	return e ? &T.lines[e->line] : NULL;
}

int kk_gloss_max_words(void)
{
	pthread_once(&once, load);
	return T.max_words;
}

/* ---- composition ---- */

/* The value of metric m ("AV", "VC") in vector v ("CVSS:3.1/AV:N/..."), or 0. */
static char metric(const char *v, const char *m)
{
	size_t n = strlen(m);
	for (const char *p = v; p && *p; p = strchr(p, '/'), p = p ? p + 1 : NULL)
		if (!strncmp(p, m, n) && p[n] == ':')
			return p[n + 1];
	return 0;
}

/* The first CWE with a specific Japanese name (not その他 / 情報不足), or NULL. */
static const char *vuln_type(const struct kk_ja_facts *f)
{
	for (size_t i = 0; i < f->ncwes; i++) {
		const char *n = f->cwes[i] > 0 ? kk_cwe_ja_name_int(f->cwes[i]) : NULL;
		if (n)
			return n;
	}
	return NULL;
}

int kk_ja_compose(const struct kk_ja_facts *f, struct kk_ja_texts *t)
{
	kk_buf_init(&t->title, 0);
	kk_buf_init(&t->overview, 0);
	kk_buf_init(&t->impact, 0);
	kk_buf_init(&t->solution, 0);
	const char *type = vuln_type(f);
	const char *vendor = f->vendor && *f->vendor ? f->vendor : NULL;
	const char *product = f->product && *f->product ? f->product : NULL;
	/* title: <ベンダ> <製品> における<脆弱性の種類>の脆弱性 */
	if (vendor && product && strcmp(vendor, product))
		kk_buf_printf(&t->title, "%s %s における", vendor, product);
	else if (product || vendor)
		kk_buf_printf(&t->title, "%s における", product ? product : vendor);
	/* JVN writes a space between Japanese and a following Latin word */
	if (type && (unsigned char)*type < 0x80 && t->title.len)
		kk_buf_putc(&t->title, ' ');
	kk_buf_printf(&t->title, "%s%s脆弱性", type ? type : "", type ? "の" : "");
	/* overview: <ベンダ> の <製品> には、<種類>の脆弱性が存在します。 */
	if (vendor && product && strcmp(vendor, product))
		kk_buf_printf(&t->overview, "%s の %s には、", vendor, product);
	else if (product || vendor)
		kk_buf_printf(&t->overview, "%s には、", product ? product : vendor);
	kk_buf_printf(&t->overview, "%s%s脆弱性が存在します。", type ? type : "", type ? "に関する" : "");
	/* impact: the attack vector, then what the CVSS impact metrics say */
	const char *v = f->vector;
	bool v4 = v && !strncmp(v, "CVSS:4", 6);
	char av = metric(v, "AV"), c = metric(v, v4 ? "VC" : "C"), i = metric(v, v4 ? "VI" : "I"),
	     a = metric(v, v4 ? "VA" : "A");
	const char *who = av == 'N' ? "リモートの第三者によって" : av == 'A' ? "隣接ネットワーク上の第三者によって"
	                  : av == 'L'                                        ? "ローカルユーザによって"
	                  : av == 'P'                                        ? "物理的にアクセスできる攻撃者によって"
	                                                                     : NULL;
	const char *eff[3];
	int ne = 0;
	if (c && c != 'N')
		eff[ne++] = "情報を取得される";
	if (i && i != 'N')
		eff[ne++] = "情報を改ざんされる";
	if (a && a != 'N')
		eff[ne++] = "サービス運用妨害 (DoS) 状態にされる";
	if (!v) {
		kk_buf_puts(&t->impact, "想定される影響の詳細は公表されていません。");
	} else if (!ne) {
		kk_buf_puts(&t->impact, "機密性、完全性、可用性への影響は報告されていません。");
	} else {
		if (who)
			kk_buf_printf(&t->impact, "%s、", who);
		for (int k = 0; k < ne; k++)
			kk_buf_printf(&t->impact, "%s%s", k == 0 ? "" : k == ne - 1 ? "、および" : "、", eff[k]);
		kk_buf_puts(&t->impact, "可能性があります。");
	}
	/* countermeasure: the fix state */
	if (f->has_fix)
		kk_buf_puts(&t->solution, "ベンダより正式な対策が公開されています。ベンダ情報を参照して適切な対策を実施してください。");
	else if (f->has_advisory)
		kk_buf_puts(&t->solution, "ベンダよりアドバイザリが公開されています。ベンダ情報を参照して適切な対策を実施してください。");
	else
		kk_buf_puts(&t->solution, "正式な対策が公開されているかは確認されていません。参考情報を確認し、適切な対策を実施してください。");
	bool err = kk_buf_error(&t->title) || kk_buf_error(&t->overview) || kk_buf_error(&t->impact) ||
	           kk_buf_error(&t->solution);
	return err ? KK_ENOMEM : 0;
}

void kk_ja_texts_release(struct kk_ja_texts *t)
{
	kk_buf_release(&t->title);
	kk_buf_release(&t->overview);
	kk_buf_release(&t->impact);
	kk_buf_release(&t->solution);
}

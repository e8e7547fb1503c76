/*
 * ja.h — Japanese for records that have none, and the cross-language
 * glossary of vulnerability terms.
 *
 * Two tables carried in the binary (base/embed): cwe_ja.tsv, the Japanese
 * name of every CWE entry that occurs in the data (JVN iPedia's names are
 * the model), and glossary.tsv, vulnerability terms in Japanese, English and
 * abbreviations tied to CWE ids. Both are parsed once per process and never
 * change after, so every function here is safe from any thread.
 *
 * Composition (kk_ja_compose) writes a record's Japanese title, overview,
 * impact and countermeasure the way JVN iPedia writes its entries for
 * foreign vulnerabilities. It runs when a record is read (search.c's record
 * JSON, itself cached per record state), never at import, so the import
 * costs nothing more, and a record that gets a real Japanese text stops
 * being composed on its next read. Composed text is never stored as a
 * vuln_text row: exports, which read those rows, never pass it off as
 * written by a person.
 */
#ifndef KK_VULNDB_JA_H
#define KK_VULNDB_JA_H
#include "base/buf.h"
#include <stdbool.h>
#include <stddef.h>

/*
 * The Japanese name of a CWE: id "CWE-79", "79", "NVD-CWE-Other" or
 * "NVD-CWE-noinfo"; NULL when the table has none.
 */
const char *kk_cwe_ja_name(const char *id);
/* The same by number (NULL when none). */
const char *kk_cwe_ja_name_int(int cwe);

/* A glossary line: its terms (as written in the table) and CWE ids. */
struct kk_gloss {
	const char **terms;
	size_t nterms;
	int *cwes;
	size_t ncwes;
};

/*
 * The glossary line one of whose terms s (n bytes) is, compared folded
 * (NFKC, case) with spaces, '・', '-', '_' and 'ー' left out; NULL when none
 * (or s is not valid UTF-8).
 */
const struct kk_gloss *kk_gloss_find(const char *s, size_t n);
/* The most words (space-separated) a glossary term has: how far a query parser needs to look. */
int kk_gloss_max_words(void);

/* What a composed text is made from; strings may be NULL. */
struct kk_ja_facts {
	const char *vendor, *product; /* as shown: the dictionary's Japanese names, else the CPE values */
	const int *cwes;
	size_t ncwes;
	const char *vector;           /* the CVSS vector the record is scored by (v3.x, v4.0 or v2) */
	bool has_fix;                 /* a reference is tagged Patch (or a package names a fixed version) */
	bool has_advisory;            /* a reference is tagged Vendor Advisory */
};

/* The composed texts; each is NUL-terminated in its buffer. */
struct kk_ja_texts {
	struct kk_buf title, overview, impact, solution;
};

/* Composes the four texts into t (its buffers initialised here; release with kk_ja_texts_release). */
int kk_ja_compose(const struct kk_ja_facts *f, struct kk_ja_texts *t);
void kk_ja_texts_release(struct kk_ja_texts *t);

#endif

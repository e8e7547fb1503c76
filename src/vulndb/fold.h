/*
 * fold.h — text as the search index and name matching compare it: utf8proc
 * NFKC + case fold (ＡＢＣ = abc, ｱ = ア; ASCII only lowers A-Z), the
 * prolonged sound mark that ends a katakana word dropped (サーバー = サーバ,
 * as JVN iPedia treats 長音の有無; a change here needs the index rebuilt,
 * see schema 0024), and for the
 * index every run of CJK characters (Han, kana, Hangul) written as its
 * overlapping bigrams followed by its last character ("暗号化" -> "暗号 号化 化";
 * why: search.h). Used by search.c (index rows and query terms), and by
 * affected.c, dict.c and import_dict.c for the fold columns of vendor and
 * product names.
 *
 * Each function writes a NUL-terminated string from kk_malloc (free with
 * kk_free) into *out and returns 0, KK_EINVAL for invalid UTF-8, or
 * KK_ENOMEM.
 */
#ifndef KK_VULNDB_FOLD_H
#define KK_VULNDB_FOLD_H
#include "base/err.h"
#include <stdbool.h>
#include <stddef.h>

/* Normalized, CJK-expanded form of s (n bytes) for the index. */
int kk_search_normalize(const char *s, size_t n, char **out);

/* NFKC + case fold of s only (no CJK expansion): for LIKE matching of names (dict.h). */
int kk_search_fold(const char *s, size_t n, char **out);

/*
 * One query term (n bytes) as kk_search_normalize writes it, except that a
 * CJK run ending the term leaves out its last character unless the run is
 * that one character, which *prefix then says (search.h: a prefix query).
 * *token says whether the term holds a letter or digit at all.
 */
int kk_search_normalize_term(const char *s, size_t n, char **out, bool *prefix, bool *token);

#endif

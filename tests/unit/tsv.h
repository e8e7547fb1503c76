/*
 * tsv.h — the loop of the table-driven tests (u-cpe, u-version, u-purl):
 * reads a TSV file under tests/data, skips empty lines and '#' comments,
 * splits each line at tabs into at most `maxf` fields and calls
 * row(line number, fields, count, arg). row returns how many checks of the
 * line failed (having printed them as "<table>-<line>: ... expected X got Y").
 * Returns the number of data lines; adds the failures to *failed.
 * tu_tsv_line and tu_tsv_split are its pieces, for tests with their own loop (u-cvss).
 */
#ifndef KK_TESTS_TSV_H
#define KK_TESTS_TSV_H
#include "testutil.h"
#include "base/alloc.h"
#include <string.h>

#define TU_TSV_MAXF 16

/* Next line of a slurped buffer, NUL-terminated in place (a trailing '\r'
 * dropped), advancing *cur past it; NULL at the end of the buffer. */
static inline char *tu_tsv_line(char **cur)
{
	char *s = *cur;
	if (!s || !*s)
		return NULL;
	char *nl = strchr(s, '\n');
	if (nl) {
		*nl = 0;
		*cur = nl + 1;
	} else {
		*cur = s + strlen(s);
	}
	size_t n = strlen(s);
	if (n && s[n - 1] == '\r')
		s[n - 1] = 0;
	return s;
}

/* Splits s at tabs in place into at most max fields (the last keeps any
 * further tabs); returns the count, at least 1. f[count..max) are NULL. */
static inline int tu_tsv_split(char *s, char **f, int max)
{
	int n = 0;
	for (int k = 0; k < max; k++)
		f[k] = NULL;
	while (n < max) {
		f[n++] = s;
		char *t = strchr(s, '\t');
		if (!t)
			break;
		*t = 0;
		s = t + 1;
	}
	return n;
}

static inline int tu_tsv_each(const char *path, int maxf, int (*row)(int line, char **f, int nf, void *arg),
			      void *arg, int *failed)
{
	char *text = tu_slurp(path, NULL), *cur = text, *p;
	int line = 0, rows = 0;
	if (maxf > TU_TSV_MAXF)
		maxf = TU_TSV_MAXF;
	while ((p = tu_tsv_line(&cur))) {
		line++;
		if (*p == '#' || !*p)
			continue;
		char *f[TU_TSV_MAXF] = {0};
		int nf = tu_tsv_split(p, f, maxf);
		rows++;
		*failed += row(line, f, nf, arg);
	}
	kk_free(text);
	return rows;
}

#endif

/*
 * tsv.h — the loop of the table-driven tests (u-cpe, u-version, u-purl):
 * reads a TSV file under tests/data, skips empty lines and '#' comments,
 * splits each line at tabs into at most `maxf` fields and calls
 * row(line number, fields, count, arg). row returns how many checks of the
 * line failed (having printed them as "<table>-<line>: ... expected X got Y").
 * Returns the number of data lines; adds the failures to *failed.
 */
#ifndef KK_TESTS_TSV_H
#define KK_TESTS_TSV_H
#include "testutil.h"
#include "base/alloc.h"
#include <string.h>

#define TU_TSV_MAXF 16

static inline int tu_tsv_each(const char *path, int maxf, int (*row)(int line, char **f, int nf, void *arg),
			      void *arg, int *failed)
{
	char *text = tu_slurp(path, NULL);
	int line = 0, rows = 0;
	if (maxf > TU_TSV_MAXF)
		maxf = TU_TSV_MAXF;
	for (char *p = text, *nl; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		line++;
		if (*p == '#' || !*p)
			continue;
		char *f[TU_TSV_MAXF] = {0};
		int nf = 0;
		for (char *s = p; nf < maxf;) {
			f[nf++] = s;
			char *t = strchr(s, '\t');
			if (!t)
				break;
			*t = 0;
			s = t + 1;
		}
		rows++;
		*failed += row(line, f, nf, arg);
	}
	kk_free(text);
	return rows;
}

#endif

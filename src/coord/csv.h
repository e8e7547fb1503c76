/*
 * csv.h — an RFC 4180 reader and writer, used by the vendor directory's
 * import and export (directory.h kk_vendor_csv_*) and its fuzz harness.
 *
 * Reading: fields are separated by ',', records end at LF or CRLF (a lone
 * CR too); a field in double quotes may hold ',', line breaks and "" for a
 * quote. A UTF-8 BOM at the start is skipped; every field must be valid
 * UTF-8 without NUL. Blank lines are skipped. Anything else — a quote inside
 * an unquoted field, text after a closing quote, a quote never closed, more
 * than KK_CSV_MAX_FIELDS fields, a record longer than KK_VENDOR_CSV_MAX_LINE
 * — is KK_EPARSE with d->line (where the record started) and d->msg; the
 * reader cannot continue after it.
 *
 *   struct kk_csv c; struct kk_csv_record r;
 *   kk_csv_init(&c, text, len);
 *   while ((rc = kk_csv_next(&c, &arena, &r, &d)) == 1) ... r.f[0..r.n) ...
 *
 * Ownership: the field strings are NUL-terminated copies in the caller's
 * arena; they live as long as it does. The reader keeps no other memory.
 */
#ifndef KK_COORD_CSV_H
#define KK_COORD_CSV_H
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include <stddef.h>

#define KK_CSV_MAX_FIELDS 64

struct kk_csv {
	const char *p, *end;
	int line; /* line of the next character */
};

struct kk_csv_record {
	int line; /* 1-based line where the record starts */
	int n;	  /* fields */
	char *f[KK_CSV_MAX_FIELDS];
};

void kk_csv_init(struct kk_csv *c, const char *s, size_t n);
/* 1 and *r filled; 0 at the end; KK_EPARSE (d filled) or KK_ENOMEM. */
int kk_csv_next(struct kk_csv *c, struct kk_arena *a, struct kk_csv_record *r, struct kk_diag *d);
/* Appends s as one field, quoted when it holds , " CR or LF, begins/ends with a space or begins with a BOM. */
int kk_csv_put(struct kk_buf *b, const char *s);

#endif

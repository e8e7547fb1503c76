/*
 * fz-vendor-csv.c — libFuzzer harness for the vendor directory's CSV reader
 * (coord/csv.h). Any input either reads to the end or stops with KK_EPARSE
 * and a line number inside the input; every field read is valid UTF-8
 * without NUL. What was read, written back with kk_csv_put, reads again as
 * the same records (a round trip), and a second write is byte-identical.
 */
#include "base/arena.h"
#include "base/buf.h"
#include "base/utf8.h"
#include "coord/csv.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RECORDS 4096

struct doc {
	struct kk_csv_record *r;
	int n;
};

/* Reads all of s; returns the reader's last code (0 end, < 0 error). */
static int read_all(struct kk_arena *a, const char *s, size_t n, struct doc *doc, struct kk_diag *d)
{
	struct kk_csv c;
	kk_csv_init(&c, s, n);
	int rc;
	doc->n = 0;
	while (doc->n < MAX_RECORDS && (rc = kk_csv_next(&c, a, &doc->r[doc->n], d)) == 1)
		doc->n++;
	return doc->n == MAX_RECORDS ? 0 : rc;
}

static void write_all(const struct doc *doc, struct kk_buf *b)
{
	for (int i = 0; i < doc->n; i++) {
		const struct kk_csv_record *r = &doc->r[i];
		/* a record of one empty field would read back as a blank line: quote it */
		if (r->n == 1 && !r->f[0][0])
			kk_buf_puts(b, "\"\"");
		for (int k = 0; k < r->n; k++) {
			if (k)
				kk_buf_putc(b, ',');
			if (!(r->n == 1 && !r->f[0][0]))
				kk_csv_put(b, r->f[k]);
		}
		kk_buf_puts(b, "\r\n");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1u << 20))
		return 0;
	static struct kk_csv_record r1[MAX_RECORDS], r2[MAX_RECORDS];
	struct kk_arena a;
	kk_arena_init(&a, 64u << 20);
	struct kk_diag d = {0};
	struct doc one = {r1, 0}, two = {r2, 0};
	int rc = read_all(&a, (const char *)data, size, &one, &d);
	if (rc < 0 && rc != KK_EPARSE && rc != KK_ENOMEM)
		abort();
	if (rc == KK_EPARSE) {
		/* the line named is one of the input's */
		int lines = 1;
		for (size_t i = 0; i < size; i++)
			lines += data[i] == '\n' || (data[i] == '\r' && !(i + 1 < size && data[i + 1] == '\n'));
		if (d.line < 1 || d.line > lines || !d.msg[0])
			abort();
	}
	for (int i = 0; i < one.n; i++) {
		if (one.r[i].n < 1 || one.r[i].n > KK_CSV_MAX_FIELDS)
			abort();
		for (int k = 0; k < one.r[i].n; k++)
			if (!kk_utf8_valid(one.r[i].f[k], strlen(one.r[i].f[k])))
				abort();
	}
	if (rc == 0 && one.n < MAX_RECORDS) {
		struct kk_buf b1 = KK_BUF_INIT(0), b2 = KK_BUF_INIT(0);
		write_all(&one, &b1);
		struct kk_diag d2 = {0};
		int rc2 = read_all(&a, b1.ptr, b1.len, &two, &d2);
		if (rc2 == KK_ENOMEM)
			goto out;
		/* a record over the length limit once quoted may be refused; anything else must read back */
		if (rc2 == 0) {
			if (two.n != one.n)
				abort();
			for (int i = 0; i < one.n; i++) {
				if (two.r[i].n != one.r[i].n)
					abort();
				for (int k = 0; k < one.r[i].n; k++)
					if (strcmp(one.r[i].f[k], two.r[i].f[k]))
						abort();
			}
			write_all(&two, &b2);
			if (b1.len != b2.len || memcmp(b1.ptr, b2.ptr, b1.len))
				abort();
		} else if (rc2 != KK_EPARSE || !strstr(d2.msg, "longer"))
			abort();
	out:
		kk_buf_release(&b1);
		kk_buf_release(&b2);
	}
	kk_arena_release(&a);
	return 0;
}

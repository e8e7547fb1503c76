/* fz-import-jvn.c — libFuzzer harness: one MyJVN XML document (VULDEF 3.2 or
 * JVNRSS 3.2) through import_jvn.c's streaming reader; no database. */
#include "base/arena.h"
#include "vulndb/import_jvn.h"
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz {
	struct kk_arena a;
	struct kk_vuln_rec rec;
	long taken, bad;
};

static struct kk_vuln_rec *fz_slot(void *arg, struct kk_arena **a)
{
	struct fz *f = arg;
	*a = &f->a;
	return &f->rec;
}

static int fz_take(void *arg)
{
	struct fz *f = arg;
	/* an accepted record always has its JVNDB id, as an alias too, and a title */
	if (!f->rec.source_id || strncmp(f->rec.source_id, "JVNDB-", 6) || !f->rec.n_aliases || !f->rec.n_texts)
		__builtin_trap();
	f->taken++;
	return 0;
}

static void fz_bad(void *arg, const char *id, const char *format, const struct kk_diag *d)
{
	struct fz *f = arg;
	if (!id || !format || !d->msg[0] || !d->where[0])
		__builtin_trap(); /* every rejection names the record and the place */
	f->bad++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = {.taken = 0};
	FILE *in = fmemopen((void *)data, size, "r");
	if (!in)
		return 0;
	kk_arena_init(&f.a, 0);
	struct kk_jvn_sink s = {fz_slot, fz_take, fz_bad, &f};
	long n = 0;
	int rc = kk_jvn_read(in, KK_VF_AUTO, &s, &n);
	if (rc < 0 && rc != KK_ENOMEM)
		__builtin_trap(); /* only the sink or memory can stop a read */
	if (f.taken > n)
		__builtin_trap();
	fclose(in);
	kk_arena_release(&f.a);
	return 0;
}

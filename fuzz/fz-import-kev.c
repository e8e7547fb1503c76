/* fz-import-kev.c — libFuzzer harness: CISA KEV input (the JSON catalog or
 * its CSV) through the importer's splitters, the CSV reader and
 * import_kev.c's parsers; no database (a parse-only sink). */
#include "base/arena.h"
#include "vulndb/import.h"
#include "vulndb/import_side.h"
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sink(void *arg, const struct kk_vuln_rec *recs, size_t n)
{
	(void)arg, (void)recs, (void)n;
	return 0;
}

static void report(void *arg, const char *file, const char *id, const struct kk_diag *d)
{
	(void)arg;
	if (!file || !id || !d->msg[0])
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *obj = json_loadb((const char *)data, size, 0, NULL);
	if (obj) {
		struct kk_arena a;
		struct kk_kev_entry e;
		struct kk_diag d;
		kk_arena_init(&a, 0);
		kk_diag_clear(&d);
		int rc = kk_kev_parse_json(obj, &a, &e, &d);
		if (rc == 0 && (!e.cve || strncmp(e.cve, "CVE-", 4) || !e.date_added || strlen(e.date_added) != 10))
			__builtin_trap(); /* an accepted entry has its CVE id and date */
		kk_arena_release(&a);
		json_decref(obj);
	}
	/* the CSV reader: every record it returns has 1..64 fields */
	FILE *in = fmemopen((void *)data, size, "r");
	if (!in)
		return 0;
	struct kk_arena a;
	kk_arena_init(&a, 0);
	char *f[64];
	size_t n;
	long lines = 0;
	int rc;
	while ((rc = kk_csv_record(in, &a, f, 64, &n, &lines)) != 0) {
		if (rc == 1 && (n < 1 || n > 64))
			__builtin_trap();
		if (rc == KK_EPARSE && feof(in))
			break;
	}
	kk_arena_release(&a);
	rewind(in);
	struct kk_import_opts o = {.format = KK_VF_KEV, .sink = sink, .report = report, .batch = 4};
	struct kk_import imp;
	kk_import_init(&imp, NULL, &o);
	if (kk_import_stream(&imp, in, "fuzz") < 0 || kk_import_finish(&imp) < 0)
		__builtin_trap();
	kk_import_release(&imp);
	fclose(in);
	return 0;
}

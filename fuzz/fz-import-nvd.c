/* fz-import-nvd.c — libFuzzer harness: bytes through the importer's stream
 * splitter (feeds, arrays, JSON Lines) and the NVD/CVE 5/OSV parsers; no database. */
#include "vulndb/import.h"
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sink(void *arg, const struct kk_vuln_rec *recs, size_t n)
{
	(void)arg;
	for (size_t i = 0; i < n; i++)
		if (!recs[i].source_id || !recs[i].format)
			__builtin_trap(); /* an accepted record always has its id */
		else if (!recs[i].withdrawn && (recs[i].withdrawn_at || recs[i].withdrawn_reason))
			__builtin_trap(); /* a date or reason of withdrawal only for a withdrawn record */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	struct kk_import_opts o = {.sink = sink, .batch = 3};
	struct kk_import imp;
	kk_import_init(&imp, NULL, &o);
	if (kk_import_stream(&imp, f, "fuzz") == 0)
		kk_import_finish(&imp);
	kk_import_release(&imp);
	fclose(f);
	return 0;
}

/* fz-import-dict.c — libFuzzer harness: MyJVN product dictionary lines
 * (JSON Lines) through the importer's splitter and import_dict.c's parser;
 * no database (a parse-only sink). */
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
		__builtin_trap(); /* every report names the file, the line and the reason */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the parser alone on the input as one JSON object */
	json_t *obj = json_loadb((const char *)data, size, 0, NULL);
	if (obj) {
		struct kk_arena a;
		struct kk_dict_entry e;
		struct kk_diag d;
		kk_arena_init(&a, 0);
		kk_diag_clear(&d);
		int rc = kk_dict_parse_jvn(obj, &a, &e, &d);
		if (rc == 0 && (!e.vendor || !e.product || !e.part || !strchr("aoh", e.part[0]) || e.vid <= 0 ||
		                e.pid <= 0))
			__builtin_trap(); /* an accepted line has its keys */
		if (rc < 0 && rc != KK_ENOMEM && !d.msg[0])
			__builtin_trap(); /* a rejection says why (where is "" for the line itself) */
		kk_arena_release(&a);
		json_decref(obj);
	}
	/* and the whole input as a file through the importer, forced to this format */
	FILE *in = fmemopen((void *)data, size, "r");
	if (!in)
		return 0;
	struct kk_import_opts o = {.format = KK_VF_JVN_PRODUCTS, .sink = sink, .report = report, .batch = 4};
	struct kk_import imp;
	kk_import_init(&imp, NULL, &o);
	if (kk_import_stream(&imp, in, "fuzz") < 0 || kk_import_finish(&imp) < 0)
		__builtin_trap(); /* bad input is reported, never an error */
	kk_import_release(&imp);
	fclose(in);
	return 0;
}

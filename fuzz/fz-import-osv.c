/* fz-import-osv.c — libFuzzer harness: one osv record (JSON) through its parser; no database. */
#include "base/arena.h"
#include "vulndb/record.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t err;
	json_t *obj = json_loadb((const char *)data, size, 0, &err);
	if (!obj)
		return 0;
	struct kk_arena a;
	struct kk_vuln_rec rec;
	struct kk_diag d;
	kk_arena_init(&a, 0);
	kk_diag_clear(&d);
	int rc = kk_vuln_parse(KK_VF_OSV, obj, (const char *)data, size, &a, &rec, &d);
	if (rc == 0 && (!rec.source_id || !rec.n_aliases))
		__builtin_trap(); /* an accepted record always has its id */
	kk_arena_release(&a);
	json_decref(obj);
	return 0;
}

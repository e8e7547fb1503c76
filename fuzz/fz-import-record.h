/* fz-import-record.h — the body the single-record import harnesses share:
 * one JSON record through the parser of one format; no database. */
#ifndef FZ_IMPORT_RECORD_H
#define FZ_IMPORT_RECORD_H
#include "base/arena.h"
#include "vulndb/parse.h"
#include <stddef.h>
#include <stdint.h>

static int fz_import_record(enum kk_vuln_format fmt, const uint8_t *data, size_t size)
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
	int rc = kk_vuln_parse(fmt, obj, (const char *)data, size, &a, &rec, &d);
	if (rc == 0 && (!rec.source_id || !rec.n_aliases))
		__builtin_trap(); /* an accepted record always has its id */
	if (rc == 0 && !rec.withdrawn && (rec.withdrawn_at || rec.withdrawn_reason))
		__builtin_trap(); /* a date or reason of withdrawal only for a withdrawn record */
	kk_arena_release(&a);
	json_decref(obj);
	return 0;
}

#endif

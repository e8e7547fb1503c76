/* fz-import-osv.c — libFuzzer harness: one osv record (JSON) through its parser; no database. */
#include "fz-import-record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_import_record(KK_VF_OSV, data, size);
}

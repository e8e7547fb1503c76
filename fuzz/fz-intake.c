/* fz-intake.c — libFuzzer harness for the report JSON parser and validator (no database). */
#include "intake/intake.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kk_report_input in;
	struct kk_diag d;
	kk_diag_clear(&d);
	if (kk_intake_parse((const char *)data, size, &in, &d) == 0) {
		kk_intake_validate(NULL, &in, true, &d);
		kk_intake_validate(NULL, &in, false, &d);
		kk_intake_input_release(&in);
	}
	char host[256];
	if (size < 4096) {
		char url[4097];
		for (size_t i = 0; i < size; i++)
			url[i] = data[i] ? (char)data[i] : ' ';
		url[size] = 0;
		kk_intake_url_host(url, host, sizeof(host));
	}
	kk_intake_sniff(data, size);
	return 0;
}

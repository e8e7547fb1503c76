/*
 * fz-intake.c — libFuzzer harness for the intake parsers (no database): the report JSON parser
 * and validator, the website URL's host, content sniffing, the "N/SECONDS" rate limits and
 * an upload's file name check (a name it accepts has no path separator or quote).
 */
#include "intake/intake.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kk_report_input in;
	struct kk_diag d;
	kk_diag_clear(&d);
	if (kk_intake_parse((const char *)data, size, &in, &d) == 0) {
		/* a report the complete check passes lacks no required item */
		if (kk_intake_validate(NULL, &in, true, &d) == 0 && kk_intake_missing(&in, NULL, NULL) != 0)
			abort();
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
	if (size < 256) {
		/* the same bytes as a rate ("N/SECONDS") and as an upload's file name */
		char s[257];
		memcpy(s, data, size);
		s[size] = 0;
		struct kk_rate_limit lim;
		if (kk_intake_rate_parse(s, &lim) == 0 &&
		    (lim.max < 0 || lim.max > 1000000 || lim.window < 1 || lim.window > 31 * 86400))
			abort();
		struct kk_upload u = {s, data, size};
		const char *mime = NULL;
		if (kk_intake_upload_check(&u, 1024, &mime, &d) == 0 &&
		    (!mime || strchr(s, '/') || strchr(s, '\\') || strchr(s, '"') || !*s))
			abort();
	}
	return 0;
}

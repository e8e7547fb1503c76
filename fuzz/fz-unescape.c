/*
 * fz-unescape.c — libFuzzer harness for base/str's kk_url_unescape (the
 * server's decoder of paths and query strings): the result is never longer,
 * holds no NUL before its end, says "had a NUL" exactly when the input holds
 * "%00", and decoding a string without '%' leaves it as it is.
 */
#include "base/str.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char in[8192], buf[8192];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= sizeof(in))
		size = sizeof(in) - 1;
	memcpy(in, data, size);
	in[size] = 0;
	size_t len = strlen(in);
	memcpy(buf, in, len + 1);
	bool nul;
	size_t n = kk_url_unescape(buf, &nul);
	if (n > len || strlen(buf) != n)
		abort();
	if (nul != (strstr(in, "%00") != NULL))
		abort();
	if (!strchr(in, '%') && strcmp(in, buf))
		abort();
	return 0;
}

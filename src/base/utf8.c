/* utf8.c — UTF-8 well-formedness (Unicode 15, table 3-7). */
#include "base/utf8.h"

int kk_utf8_valid_prefix(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	if (n == 0)
		return -1;
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	int len;
	unsigned lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return -1;
	if (n < (size_t)len)
		return -1;
	if (s[1] < lo || s[1] > hi)
		return -1;
	for (int i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return -1;
	return len;
}

bool kk_utf8_valid(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		int l = kk_utf8_valid_prefix(s + i, n - i);
		if (l < 0)
			return false;
		i += (size_t)l;
	}
	return true;
}

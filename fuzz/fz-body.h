/* fz-body.h — the input form the request-body harnesses share (fz-multipart, fz-form): the first
 * line is the Content-Type (at most 200 bytes, no NUL), the rest the body. */
#ifndef FZ_BODY_H
#define FZ_BODY_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Splits data into ct (NUL-terminated) and *body, *n; -1 when the input has no such first line. */
static int fz_body_split(const uint8_t *data, size_t size, char ct[201], const char **body, size_t *n)
{
	const char *s = (const char *)data, *nl = memchr(s, '\n', size);
	if (!nl || (size_t)(nl - s) > 200)
		return -1;
	memcpy(ct, s, (size_t)(nl - s));
	ct[nl - s] = 0;
	if (strlen(ct) != (size_t)(nl - s))
		return -1;
	*body = nl + 1;
	*n = size - (size_t)(*body - s);
	return 0;
}

#endif

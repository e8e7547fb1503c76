/*
 * fz-incident.c — libFuzzer harness for incident reports (incident.h): the
 * report document parser and the URL / domain / IP normalisers. A value
 * that normalises must normalise again to itself (one text per site), and
 * nothing may crash or leak.
 */
#include "incident/incident.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void idempotent(int (*fn)(const char *, char *, size_t), const char *s)
{
	char a[KK_INCIDENT_VALUE_MAX], b[KK_INCIDENT_VALUE_MAX];
	if (fn(s, a, sizeof(a)))
		return;
	if (fn(a, b, sizeof(b)) || strcmp(a, b))
		abort();
}

static int url(const char *s, char *out, size_t n)
{
	char host[300], h2[300];
	int rc = kk_incident_norm_url(s, out, n, host, sizeof(host));
	/* the host is itself a domain or an address */
	if (!rc && kk_incident_norm_domain(host, h2, sizeof(h2)) && kk_incident_norm_ip(host, h2, sizeof(h2)))
		abort();
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kk_incident_input in;
	struct kk_diag d;
	kk_diag_clear(&d);
	if (!kk_incident_parse((const char *)data, size, &in, &d))
		kk_incident_input_release(&in);
	if (size >= KK_INCIDENT_VALUE_MAX)
		return 0;
	char s[KK_INCIDENT_VALUE_MAX];
	memcpy(s, data, size);
	s[size] = 0;
	idempotent(kk_incident_norm_domain, s);
	idempotent(kk_incident_norm_ip, s);
	idempotent(url, s);
	return 0;
}

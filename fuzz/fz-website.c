/*
 * fz-website.c — libFuzzer harness for the website module's text inputs:
 * the contact address list of stage 1 (kk_website_addresses: every address
 * it returns is valid, unique and inside the input; errors name the field),
 * handling numbers, stage/outcome/checklist names, and target dates.
 */
#include "base/alloc.h"
#include "mail/mail.h"
#include "website/website.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char out[10][KK_EMAIL_MAX + 1];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = kk_malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	struct kk_diag d;
	kk_diag_clear(&d);
	size_t n = 99;
	int rc = kk_website_addresses(s, out, 10, &n, &d);
	if (rc) {
		if (rc != KK_EINVAL || strcmp(d.where, "addresses") || !d.msg[0])
			abort();
	} else {
		if (n < 1 || n > 10)
			abort();
		for (size_t i = 0; i < n; i++) {
			if (!kk_mail_addr_valid(out[i]) || !strstr(s, out[i]))
				abort();
			for (size_t k = 0; k < i; k++)
				if (!strcasecmp(out[i], out[k]))
					abort();
		}
	}
	/* the same bytes as a handling number and as names: never a false positive */
	if (kk_website_handling_valid("IPA#", s) && (strlen(s) != 12 || memcmp(s, "IPA#", 4)))
		abort();
	enum kk_website_stage st;
	if (!kk_website_stage_parse(s, &st) && strcmp(kk_website_stage_name(st), s))
		abort();
	enum kk_website_outcome o;
	if (!kk_website_outcome_parse(s, &o) && strcmp(kk_website_outcome_name(o), s))
		abort();
	enum kk_website_check c;
	if (!kk_website_check_parse(s, &c) && strcmp(kk_website_check_name(c), s))
		abort();
	if (size >= 5) {
		/* a target is always later than its start, by 28 to 31 days a month */
		uint32_t t;
		memcpy(&t, data, 4);
		int months = 1 + data[4] % 60;
		int64_t start = (int64_t)t % 4102444800LL; /* before 2100 */
		int64_t end = kk_website_target(start, months);
		if (end < start + (int64_t)months * 28 * 86400 || end > start + (int64_t)months * 31 * 86400)
			abort();
	}
	kk_free(s);
	return 0;
}

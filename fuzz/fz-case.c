/*
 * fz-case.c — libFuzzer harness for the coordination case's text inputs
 * (coord/case.h): the publication date as people type it (kk_time_parse_jst,
 * shared by the API, the case pages and the CLI), the names of states, steps,
 * verifications and sectors, and the state machine and cancel rule driven by
 * input bytes. The first line is the text; the bytes after it pick numbers.
 *   - a date reads as KK_EPARSE or a time that agrees with kk_time_parse:
 *     the same with a zone or as epoch seconds, 9 hours earlier without a
 *     zone, and a date alone at the hour asked for in Japan; the time written
 *     back (ISO, UTC) reads again as the same time
 *   - a name parses only to a value whose name is the input
 *   - the state machine answers 0 with a state in range, KK_ECONFLICT or KK_EINVAL
 */
#include "base/alloc.h"
#include "base/clock.h"
#include "coord/case.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_date(const char *s, int hour)
{
	int64_t t = 0, u = 0;
	int rc = kk_time_parse_jst(s, hour, &t);
	int base = kk_time_parse(s, &u);
	if (rc && rc != KK_EPARSE)
		abort();
	if (base) {
		if (!rc)
			abort(); /* the JST reading accepts nothing the plain one refuses */
		return;
	}
	size_t n = strlen(s);
	bool epoch = strspn(s, "0123456789") == n;
	if (epoch || (n > 10 && strpbrk(s + 11, "Z+-"))) {
		if (rc || t != u)
			abort();
	} else if (n == 10) {
		if ((hour < 0 || hour > 23) ? !rc : (rc || t != u + (int64_t)(hour - 9) * 3600))
			abort();
	} else if (rc || t != u - 9 * 3600) {
		abort();
	}
	if (rc || t < -30610224000LL || t > 253402300799LL)
		return; /* years 1000..9999 only are written back with four digits */
	char iso[40];
	kk_time_iso(t, iso, sizeof(iso));
	int64_t back = 0;
	if (kk_time_parse_jst(iso, hour, &back) || back != t)
		abort();
}

#define NAMES(parse, namef, type)                                                                            \
	do {                                                                                                 \
		type v;                                                                                      \
		if (!parse(s, &v) && strcmp(namef(v), s))                                                    \
			abort();                                                                             \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	const uint8_t *nl = memchr(data, '\n', size);
	size_t len = nl ? (size_t)(nl - data) : size;
	const uint8_t *rest = nl ? nl + 1 : data + size;
	size_t nrest = (size_t)(data + size - rest);
	char *s = kk_malloc(len + 1);
	if (!s)
		return 0;
	memcpy(s, data, len);
	s[len] = 0;
	if (strlen(s) == len) { /* no NUL inside: what a form, a JSON string or argv can carry */
		int hour = nrest ? (int)rest[0] % 30 - 3 : 11; /* -3..26: out-of-range hours too */
		check_date(s, hour);
		NAMES(kk_pstate_parse, kk_pstate_name, enum kk_pstate);
		NAMES(kk_pverb_parse, kk_pverb_name, enum kk_pverb);
		NAMES(kk_verification_parse, kk_verification_name, enum kk_verification);
		if (kk_infra_sector_valid(s)) {
			static const char list[] = KK_INFRA_SECTORS;
			const char *p = strstr(list, s);
			size_t k = strlen(s);
			if (!k || !p || (p != list && p[-1] != '|') || (p[k] && p[k] != '|'))
				abort();
		}
	}
	if (nrest >= 4) {
		enum kk_pstate from = (enum kk_pstate)(rest[0] % (KK_PS__COUNT + 1));
		enum kk_verification cur = (enum kk_verification)(rest[1] % 5);
		enum kk_pverb verb = (enum kk_pverb)(rest[2] % (KK_PV__COUNT + 1));
		enum kk_verification v = (enum kk_verification)(rest[3] % 5);
		enum kk_pstate to = KK_PS__COUNT;
		int rc = kk_participant_next(from, cur, verb, v, &to);
		if (rc == 0 ? (unsigned)to >= KK_PS__COUNT : rc != KK_ECONFLICT && rc != KK_EINVAL)
			abort();
	}
	if (nrest >= 7) {
		size_t n = rest[4], known = rest[5], notaff = rest[6];
		const char *why = kk_case_cancel_reason(n, known, notaff);
		if (why && strcmp(why, "all_already_known") && strcmp(why, "all_not_affected"))
			abort();
		if (why && (!n || (strcmp(why, "all_already_known") ? notaff != n : known != n)))
			abort();
	}
	kk_free(s);
	return 0;
}

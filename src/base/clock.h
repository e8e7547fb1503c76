/*
 * clock.h — the only source of time. Wall-clock time comes from
 * kk_clock_now(); tests pin it with the environment variable
 * KEIKAI_TEST_NOW (an ISO 8601 UTC time such as 2026-01-31T09:00:00Z, or
 * seconds since the epoch) or with kk_clock_pin(). Durations use the
 * monotonic kk_clock_mono_ns(), which is never pinned.
 */
#ifndef KK_BASE_CLOCK_H
#define KK_BASE_CLOCK_H
#include <stddef.h>
#include <stdint.h>

/* Seconds since the Unix epoch (UTC). */
int64_t kk_clock_now(void);
/* Pins the clock to t (seconds); t < 0 unpins. */
void kk_clock_pin(int64_t t);
/* Monotonic nanoseconds, for measuring durations. */
uint64_t kk_clock_mono_ns(void);

/* Formats t as "2026-01-31T09:00:00Z" into out (>= 21 bytes). */
void kk_time_iso(int64_t t, char *out, size_t n);
/* Formats t in JST (UTC+9) as "2026-01-31 18:00 JST". */
void kk_time_jst(int64_t t, char *out, size_t n);
/*
 * t plus `months` calendar months counted on the calendar in Japan, the same
 * JST time of day; a day the month lacks becomes its last day (11-30 + 3 ->
 * 02-28 or 02-29, 01-31 + 3 -> 04-30). The one month arithmetic of keikai's
 * deadlines (website fix targets, the unreachable list's product delay).
 */
int64_t kk_time_add_months_jst(int64_t t, int months);
/*
 * Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS][.fff](Z|±HH:MM)" (no zone = UTC)
 * or all-digit epoch seconds. Returns 0 and sets *t, or KK_EPARSE.
 */
int kk_time_parse(const char *s, int64_t *t);
/*
 * The same forms read as a person in Japan means them (coordination dates
 * are shown and taken in JST, stored in UTC): a date alone is that day at
 * hour_jst:00 JST (0..23), a date and time without a zone are JST; a zone
 * (Z, ±HH:MM) or epoch seconds are taken as given. 0 and *t, or KK_EPARSE.
 */
int kk_time_parse_jst(const char *s, int hour_jst, int64_t *t);

#endif

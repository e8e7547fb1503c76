/*
 * stats.h — the public statistics (MISSION.md §4; seed 004 2.1–2.4; the
 * handling standard's appendix B V.2 (8)): aggregate figures over the
 * reports (intake), the coordination and website cases, the advisories, the
 * vendor directory and the unreachable list, per quarter and in total.
 *
 * Quarters are calendar quarters in Japan Standard Time (UTC+9): 2012Q3 is
 * 2012-07-01 00:00 JST up to 2012-10-01 00:00 JST, the period of seed 004's
 * quarterly report. Japan's fiscal quarters have the same boundaries (fiscal
 * 2012 Q2 = 2012Q3); only the label differs.
 *
 * What counts, per quarter (each event in the quarter it happened):
 *   received   reports submitted, per kind (software product, website)
 *   accepted   reports accepted (their hand-off to a case was recorded)
 *   closed     handling ended: not accepted, stopped, duplicate; a software
 *              report whose advisory went public or whose case's
 *              publication was cancelled; a website report whose case closed
 *   published  software reports whose advisory went public
 *   fixed      website cases completed with the site fixed
 *   advisories published advisories per identifier kind (JVN#, JVNVU#,
 *              JVNTA) and their running totals
 *   vendors    vendors registered in the directory (running total) and
 *              vendors on the public unreachable list at the quarter's end
 * and in total the medians of days from a report's reception to its
 * advisory's publication and to a website's fix.
 *
 * Embargo: an advisory counts only once its first revision is public
 * (public_rev > 0 and published_at <= now), so a scheduled advisory changes
 * no figure before its instant. Only counts and medians leave here.
 *
 * Memory: kk_stats_compute fills a struct kk_stats whose quarters array is
 * owned by it; kk_stats_release frees it.
 */
#ifndef KK_PUBLISH_STATS_H
#define KK_PUBLISH_STATS_H
#include "base/buf.h"
#include "base/err.h"
#include <stddef.h>
#include <stdint.h>

struct kk_db;
struct kk_json;

#define KK_STATS_QUARTERS_MAX 200 /* the most recent quarters kept (50 years) */

enum { KK_STATS_SOFTWARE, KK_STATS_WEBSITE };
enum { KK_STATS_JVN, KK_STATS_JVNVU, KK_STATS_JVNTA };

struct kk_stats_quarter {
	int year, q;          /* 2012, 3 = 2012Q3 */
	int64_t start, end;   /* [start, end) in seconds */
	long received[2], accepted[2], closed[2];
	long published;       /* software reports whose advisory went public */
	long fixed;           /* website cases fixed */
	long adv[3], adv_total[3]; /* advisories per kind in the quarter, and up to its end */
	long vendors;         /* registered vendors at the quarter's end */
	long unreachable;     /* vendors on the unreachable list at the quarter's end (or now) */
};

struct kk_stats {
	int64_t as_of;                  /* the instant the figures hold for */
	struct kk_stats_quarter *quarters; /* oldest first; owned */
	size_t n;
	long adv_total[3];              /* advisories published so far per kind */
	long vendors, unreachable, unreachable_ever;
	double median_publish_days; /* < 0 when nothing was measured */
	long publish_measured;
	double median_fix_days;
	long fix_measured;
};

/*
 * Computes the figures as of `now` (kk_clock_now()). The quarters run from
 * the first one holding any figure (or now's) to now's. 0, or a negative
 * error with d saying what could not be read.
 */
int kk_stats_compute(struct kk_db *db, int64_t now, struct kk_stats *s, struct kk_diag *d);
void kk_stats_release(struct kk_stats *s);

/* "2012Q3" into out (>= 8 bytes); the quarter's first and last day "2012-07-01" / "2012-09-30". */
void kk_stats_quarter_label(const struct kk_stats_quarter *q, char *out, size_t n);
void kk_stats_quarter_days(const struct kk_stats_quarter *q, char first[11], char last[11]);
/* The JST calendar quarter holding t: year, q (1..4) and its [start, end) in seconds (the figures' one rule). */
void kk_stats_quarter_at(int64_t t, int *year, int *q, int64_t *start, int64_t *end);
/* "2012Q3" into year, q and [start, end); KK_EINVAL for anything else. */
int kk_stats_quarter_parse(const char *s, int *year, int *q, int64_t *start, int64_t *end);

/*
 * The figures as JSON: {as_of, quarters: "calendar quarters in JST (UTC+9)",
 * totals: {...}, by_quarter: [{quarter, first_day, last_day, software: {...},
 * website: {...}, advisories: {...}, advisories_total: {...},
 * vendors_registered, vendors_unreachable}]}.
 */
void kk_stats_json(struct kk_json *j, const struct kk_stats *s);
/* The per-quarter table as CSV (header line first; the columns of KK_STATS_CSV_HEADER). */
int kk_stats_csv(struct kk_buf *b, const struct kk_stats *s);

#endif

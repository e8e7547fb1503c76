/*
 * stats.c — the public statistics (stats.h): a handful of GROUP BY queries
 * over the tables of intake, coordination, website cases, publication and
 * the vendor directory, each one pass, folded into per-quarter rows (JST).
 * The medians of days to a website fix come from website's own figures.
 */
#include "auth/auth.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/json.h"
#include "publish/internal.h"
#include "publish/stats.h"
#include "store/db.h"
#include "website/website.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The JST day (days since 1970-01-01 in Japan) of an epoch-seconds column:
 * the queries group by it (integer arithmetic, cheap per row) and C folds
 * the days into quarters (qkey_of_day).
 */
#define JSTDAY(col) "((" col " + 32400) / 86400)"

/*
 * firstpub(report_id, at): each report behind a public advisory (its
 * coordination case's reports, and the report its first revision credits)
 * with the instant its first advisory went public. ?1 is now.
 */
#define FIRSTPUB                                                                                             \
	"WITH pub(report_id, at) AS ("                                                                       \
	" SELECT cr.report_id, a.published_at FROM advisory a JOIN coord_case c ON c.ref = a.case_ref"      \
	"  JOIN coord_case_report cr ON cr.case_id = c.id WHERE a.public_rev > 0 AND a.published_at <= ?1"  \
	" UNION ALL"                                                                                         \
	" SELECT p.id, a.published_at FROM advisory a JOIN advisory_rev v ON v.advisory_id = a.id AND v.rev = 1" \
	"  JOIN report p ON p.tracking = json_extract(v.doc, '$.report')"                                   \
	"  WHERE a.public_rev > 0 AND a.published_at <= ?1), "                                               \
	"firstpub(report_id, at) AS (SELECT report_id, MIN(at) FROM pub GROUP BY report_id) "

enum what { W_RECEIVED, W_ACCEPTED, W_CLOSED, W_PUBLISHED_FIXED };

/* Every report event: (kind, what, quarter key, count). */
static const char events_sql[] =
    FIRSTPUB ", ev(kind, what, at) AS ("
    " SELECT kind, 0, created_at FROM report"
    " UNION ALL SELECT kind, 1, created_at FROM case_handoff"
    " UNION ALL SELECT kind, 2, updated_at FROM report WHERE status IN ('not_accepted', 'handling_stopped', 'duplicate')"
    " UNION ALL SELECT p.kind, 2, w.closed_at FROM website_case w JOIN report p ON p.id = w.report_id"
    "  WHERE w.closed_at IS NOT NULL AND p.status = 'accepted'"
    " UNION ALL SELECT p.kind, 2, f.at FROM firstpub f JOIN report p ON p.id = f.report_id"
    "  WHERE p.status = 'accepted' AND p.kind = 'product'"
    " UNION ALL SELECT p.kind, 2, c.updated_at FROM coord_case c JOIN coord_case_report cr ON cr.case_id = c.id"
    "  JOIN report p ON p.id = cr.report_id WHERE c.state = 'cancelled' AND p.status = 'accepted'"
    "  AND cr.report_id NOT IN (SELECT report_id FROM firstpub)"
    " UNION ALL SELECT p.kind, 3, f.at FROM firstpub f JOIN report p ON p.id = f.report_id WHERE p.kind = 'product'"
    " UNION ALL SELECT 'website', 3, completed_at FROM website_case"
    "  WHERE completed_at IS NOT NULL AND (outcome IS NULL OR outcome = 'fixed')) "
    "SELECT kind, what, " JSTDAY("at") ", count(*) FROM ev WHERE at <= ?1 GROUP BY 1, 2, 3";

static const char adv_sql[] = "SELECT kind, " JSTDAY("published_at") ", count(*) FROM advisory "
			      "WHERE public_rev > 0 AND published_at <= ?1 GROUP BY 1, 2";

static const char vendor_sql[] = "SELECT " JSTDAY("created_at") ", count(*) FROM vendor WHERE created_at <= ?1 GROUP BY 1";

static const char unreachable_sql[] =
    "SELECT listed_at, CASE WHEN delisted_at <= ?1 THEN delisted_at END FROM vendor_unreachable WHERE listed_at <= ?1";

/* The earliest instant of any figure: every other event follows a report, an advisory or a vendor. */
static const char first_sql[] =
    "SELECT MIN(t) FROM (SELECT MIN(created_at) AS t FROM report UNION ALL SELECT MIN(published_at) FROM advisory "
    "WHERE public_rev > 0 AND published_at <= ?1 UNION ALL SELECT MIN(created_at) FROM vendor)";

static const char publish_days_sql[] = FIRSTPUB "SELECT f.at - p.created_at FROM firstpub f "
					      "JOIN report p ON p.id = f.report_id WHERE p.kind = 'product' ORDER BY 1";

/* ---- quarters ------------------------------------------------------------------- */

/* The quarter key year * 4 + (0..3) of a JST day number (civil date from days: H. Hinnant's algorithm). */
static int qkey_of_day(int64_t day)
{
	int64_t z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	int64_t m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
	return (int)(y * 4 + (m - 1) / 3);
}

static int qkey_of(int64_t t)
{
	int64_t s = t + 9 * 3600;
	return qkey_of_day(s >= 0 ? s / 86400 : (s - 86399) / 86400);
}

static int64_t qstart(int key)
{
	char s[40];
	int64_t t = 0;
	snprintf(s, sizeof(s), "%04d-%02d-01T00:00:00+09:00", key / 4, (key % 4) * 3 + 1);
	kk_time_parse(s, &t);
	return t;
}

void kk_stats_quarter_label(const struct kk_stats_quarter *q, char *out, size_t n)
{
	snprintf(out, n, "%04dQ%d", q->year, q->q);
}

void kk_stats_quarter_days(const struct kk_stats_quarter *q, char first[11], char last[11])
{
	static const char *const starts[] = {"01-01", "04-01", "07-01", "10-01"};
	static const char *const ends[] = {"03-31", "06-30", "09-30", "12-31"};
	unsigned y = (unsigned)q->year % 10000u, i = (unsigned)(q->q - 1) & 3u;
	snprintf(first, 11, "%04u-%s", y, starts[i]);
	snprintf(last, 11, "%04u-%s", y, ends[i]);
}

/* One aggregate row: key and up to three more integer columns. */
typedef int (*row_fn)(struct kk_stats *s, int first, struct kk_stmt *st);

static struct kk_stats_quarter *quarter(struct kk_stats *s, int first, int key)
{
	long i = (long)key - first;
	return i >= 0 && (size_t)i < s->n ? &s->quarters[i] : NULL;
}

static int run(struct kk_db *db, const char *sql, int64_t now, struct kk_stats *s, int first, row_fn fn,
	       struct kk_diag *d, const char *what)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, sql, &st);
	if (rc)
		return kk_diag_set(d, rc, NULL, "statistics: cannot count %s: %s", what, kk_db_errmsg(db));
	kk_stmt_bind_int64(st, 1, now);
	while ((rc = kk_stmt_step(st)) == KK_ROW)
		if ((rc = fn(s, first, st)) < 0)
			break;
	kk_stmt_done(st);
	if (rc < 0)
		return kk_diag_set(d, rc, NULL, "statistics: cannot count %s: %s", what, kk_db_errmsg(db));
	return 0;
}

static int event_row(struct kk_stats *s, int first, struct kk_stmt *st)
{
	int k = !strcmp(kk_stmt_text(st, 0), "website") ? KK_STATS_WEBSITE : KK_STATS_SOFTWARE;
	struct kk_stats_quarter *q = quarter(s, first, qkey_of_day(kk_stmt_int64(st, 2)));
	long n = (long)kk_stmt_int64(st, 3);
	if (!q)
		return 0;
	switch ((enum what)kk_stmt_int64(st, 1)) {
	case W_RECEIVED:
		q->received[k] += n;
		break;
	case W_ACCEPTED:
		q->accepted[k] += n;
		break;
	case W_CLOSED:
		q->closed[k] += n;
		break;
	case W_PUBLISHED_FIXED:
		if (k == KK_STATS_WEBSITE)
			q->fixed += n;
		else
			q->published += n;
		break;
	}
	return 0;
}

static int adv_kind(const char *kind)
{
	return !strcmp(kind, "JVNVU") ? KK_STATS_JVNVU : !strcmp(kind, "JVNTA") ? KK_STATS_JVNTA : KK_STATS_JVN;
}

static int adv_row(struct kk_stats *s, int first, struct kk_stmt *st)
{
	int k = adv_kind(kk_stmt_text(st, 0));
	long n = (long)kk_stmt_int64(st, 2);
	s->adv_total[k] += n;
	struct kk_stats_quarter *q = quarter(s, first, qkey_of_day(kk_stmt_int64(st, 1)));
	if (q)
		q->adv[k] += n;
	return 0;
}

static int vendor_row(struct kk_stats *s, int first, struct kk_stmt *st)
{
	long n = (long)kk_stmt_int64(st, 1);
	s->vendors += n;
	struct kk_stats_quarter *q = quarter(s, first, qkey_of_day(kk_stmt_int64(st, 0)));
	if (q)
		q->vendors += n; /* made a running total below */
	return 0;
}

static int unreachable_row(struct kk_stats *s, int first, struct kk_stmt *st)
{
	(void)first;
	int64_t listed = kk_stmt_int64(st, 0), delisted = kk_stmt_is_null(st, 1) ? 0 : kk_stmt_int64(st, 1);
	s->unreachable_ever++;
	if (!delisted)
		s->unreachable++;
	for (size_t i = 0; i < s->n; i++) {
		struct kk_stats_quarter *q = &s->quarters[i];
		int64_t at = q->end < s->as_of ? q->end : s->as_of + 1; /* the current quarter: as of now */
		if (listed < at && (!delisted || delisted >= at))
			q->unreachable++;
	}
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Median of n sorted values in days (seconds / 86400), one decimal's worth. */
static double median_days(const int64_t *v, size_t n)
{
	double m = n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2.0;
	return m / 86400.0;
}

static int publish_days(struct kk_db *db, int64_t now, struct kk_stats *s, struct kk_diag *d)
{
	struct kk_stmt *st;
	struct kk_i64s x = {0};
	int rc = kk_db_prepare(db, publish_days_sql, &st);
	if (rc)
		return kk_diag_set(d, rc, NULL, "statistics: cannot measure days to publication: %s", kk_db_errmsg(db));
	kk_stmt_bind_int64(st, 1, now);
	while ((rc = kk_stmt_step(st)) == KK_ROW)
		if ((rc = kk_i64s_push(&x, kk_stmt_int64(st, 0))) < 0)
			break;
	kk_stmt_done(st);
	if (rc >= 0) {
		rc = 0;
		s->publish_measured = (long)x.n;
		s->median_publish_days = x.n ? median_days(x.v, x.n) : -1;
	}
	kk_i64s_release(&x);
	return rc;
}

static int fix_row(void *arg, const struct kk_website_figure *f)
{
	return f->days_to_fix >= 0 ? kk_i64s_push(arg, (int64_t)f->days_to_fix * 86400) : 0;
}

static int fix_days(struct kk_db *db, struct kk_stats *s, struct kk_diag *d)
{
	struct kk_actor sys;
	kk_actor_system(&sys, "statistics");
	struct kk_i64s x = {0};
	int rc = kk_website_figures(db, &sys, 0, 0, fix_row, &x);
	if (rc >= 0) {
		rc = 0;
		if (x.n)
			qsort(x.v, x.n, sizeof(*x.v), cmp_i64);
		s->fix_measured = (long)x.n;
		s->median_fix_days = x.n ? median_days(x.v, x.n) : -1;
	} else {
		kk_diag_set(d, rc, NULL, "statistics: cannot measure days to a website fix: %s", kk_err_msg(rc));
	}
	kk_i64s_release(&x);
	return rc;
}

int kk_stats_compute(struct kk_db *db, int64_t now, struct kk_stats *s, struct kk_diag *d)
{
	memset(s, 0, sizeof(*s));
	s->as_of = now;
	/* the range: from the earliest quarter of any figure to now's */
	int last = qkey_of(now), first = last;
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, first_sql, &st);
	if (rc)
		return kk_diag_set(d, rc, NULL, "statistics: cannot read the first date: %s", kk_db_errmsg(db));
	kk_stmt_bind_int64(st, 1, now);
	if (kk_stmt_step(st) == KK_ROW && !kk_stmt_is_null(st, 0) && qkey_of(kk_stmt_int64(st, 0)) < last)
		first = qkey_of(kk_stmt_int64(st, 0));
	kk_stmt_done(st);
	if (last - first >= KK_STATS_QUARTERS_MAX)
		first = last - KK_STATS_QUARTERS_MAX + 1;
	s->n = (size_t)(last - first + 1);
	if (!(s->quarters = kk_calloc(s->n, sizeof(*s->quarters))))
		return KK_ENOMEM;
	for (size_t i = 0; i < s->n; i++) {
		struct kk_stats_quarter *q = &s->quarters[i];
		int key = first + (int)i;
		q->year = key / 4;
		q->q = key % 4 + 1;
		q->start = qstart(key);
		q->end = qstart(key + 1);
	}
	if ((rc = run(db, events_sql, now, s, first, event_row, d, "reports")) ||
	    (rc = run(db, adv_sql, now, s, first, adv_row, d, "advisories")) ||
	    (rc = run(db, vendor_sql, now, s, first, vendor_row, d, "vendors")) ||
	    (rc = run(db, unreachable_sql, now, s, first, unreachable_row, d, "unreachable vendors")) ||
	    (rc = publish_days(db, now, s, d)) || (rc = fix_days(db, s, d))) {
		kk_stats_release(s);
		return rc;
	}
	/* running totals: what came before the first quarter kept, then each quarter's */
	long adv_before[3], vendors_before = s->vendors;
	for (int k = 0; k < 3; k++)
		adv_before[k] = s->adv_total[k];
	for (size_t i = 0; i < s->n; i++) {
		vendors_before -= s->quarters[i].vendors;
		for (int k = 0; k < 3; k++)
			adv_before[k] -= s->quarters[i].adv[k];
	}
	for (size_t i = 0; i < s->n; i++) {
		struct kk_stats_quarter *q = &s->quarters[i];
		vendors_before += q->vendors;
		q->vendors = vendors_before;
		for (int k = 0; k < 3; k++)
			q->adv_total[k] = (adv_before[k] += q->adv[k]);
	}
	return 0;
}

void kk_stats_release(struct kk_stats *s)
{
	kk_free(s->quarters);
	s->quarters = NULL;
	s->n = 0;
}

/* ---- writing --------------------------------------------------------------------- */

static const char *const adv_names[3] = {"JVN", "JVNVU", "JVNTA"};

/* "key": {"JVN": n, "JVNVU": n, "JVNTA": n} */
static void adv_kv(struct kk_json *j, const char *key, const long v[3])
{
	kk_json_key(j, key);
	kk_json_obj_open(j);
	for (int k = 0; k < 3; k++)
		kk_json_kv_int(j, adv_names[k], v[k]);
	kk_json_obj_close(j);
}

static void median_kv(struct kk_json *j, const char *key, double v)
{
	kk_json_key(j, key);
	if (v < 0)
		kk_json_null(j);
	else
		kk_json_fixed(j, v, 1);
}

void kk_stats_json(struct kk_json *j, const struct kk_stats *s)
{
	char at[32];
	kk_time_iso(s->as_of, at, sizeof(at));
	kk_json_obj_open(j);
	kk_json_kv_str(j, "as_of", at);
	kk_json_kv_str(j, "quarters", "calendar quarters in JST (UTC+9); the same boundaries as Japan's fiscal quarters");
	kk_json_key(j, "totals");
	kk_json_obj_open(j);
	adv_kv(j, "advisories", s->adv_total);
	kk_json_kv_int(j, "vendors_registered", s->vendors);
	kk_json_kv_int(j, "vendors_unreachable", s->unreachable);
	kk_json_kv_int(j, "vendors_unreachable_ever", s->unreachable_ever);
	median_kv(j, "median_days_to_publication", s->median_publish_days);
	kk_json_kv_int(j, "publications_measured", s->publish_measured);
	median_kv(j, "median_days_to_website_fix", s->median_fix_days);
	kk_json_kv_int(j, "website_fixes_measured", s->fix_measured);
	kk_json_obj_close(j);
	kk_json_key(j, "by_quarter");
	kk_json_arr_open(j);
	for (size_t i = 0; i < s->n; i++) {
		const struct kk_stats_quarter *q = &s->quarters[i];
		char label[16], first[11], last[11];
		kk_stats_quarter_label(q, label, sizeof(label));
		kk_stats_quarter_days(q, first, last);
		kk_json_obj_open(j);
		kk_json_kv_str(j, "quarter", label);
		kk_json_kv_str(j, "first_day", first);
		kk_json_kv_str(j, "last_day", last);
		for (int k = 0; k < 2; k++) {
			kk_json_key(j, k ? "website" : "software");
			kk_json_obj_open(j);
			kk_json_kv_int(j, "received", q->received[k]);
			kk_json_kv_int(j, "accepted", q->accepted[k]);
			kk_json_kv_int(j, "closed", q->closed[k]);
			kk_json_kv_int(j, k ? "fixed" : "published", k ? q->fixed : q->published);
			kk_json_obj_close(j);
		}
		adv_kv(j, "advisories", q->adv);
		adv_kv(j, "advisories_total", q->adv_total);
		kk_json_kv_int(j, "vendors_registered", q->vendors);
		kk_json_kv_int(j, "vendors_unreachable", q->unreachable);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_obj_close(j);
}

int kk_stats_csv(struct kk_buf *b, const struct kk_stats *s)
{
	kk_buf_puts(b, "quarter,first_day,last_day,software_received,software_accepted,software_closed,"
		       "software_published,website_received,website_accepted,website_closed,website_fixed,"
		       "jvn,jvnvu,jvnta,jvn_total,jvnvu_total,jvnta_total,vendors_registered,vendors_unreachable\r\n");
	for (size_t i = 0; i < s->n; i++) {
		const struct kk_stats_quarter *q = &s->quarters[i];
		char label[16], first[11], last[11];
		kk_stats_quarter_label(q, label, sizeof(label));
		kk_stats_quarter_days(q, first, last);
		kk_buf_printf(b, "%s,%s,%s,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld\r\n", label,
			      first, last, q->received[0], q->accepted[0], q->closed[0], q->published, q->received[1],
			      q->accepted[1], q->closed[1], q->fixed, q->adv[0], q->adv[1], q->adv[2], q->adv_total[0],
			      q->adv_total[1], q->adv_total[2], q->vendors, q->unreachable);
	}
	return kk_buf_error(b);
}

void kk_stats_quarter_at(int64_t t, int *year, int *q, int64_t *start, int64_t *end)
{
	int key = qkey_of(t);
	*year = key / 4;
	*q = key % 4 + 1;
	*start = qstart(key);
	*end = qstart(key + 1);
}

int kk_stats_quarter_parse(const char *s, int *year, int *q, int64_t *start, int64_t *end)
{
	int y, n, used = 0;
	if (!s || sscanf(s, "%4dQ%1d%n", &y, &n, &used) != 2 || used != 6 || s[used] || y < 1970 || n < 1 || n > 4)
		return KK_EINVAL;
	*year = y;
	*q = n;
	*start = qstart(y * 4 + n - 1);
	*end = qstart(y * 4 + n);
	return 0;
}

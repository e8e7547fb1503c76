/*
 * metrics.c — lock-free counters behind /metrics (Prometheus text format),
 * and the sync sources' counters read from the database.
 */
#include "web/metrics.h"
#include "sync/sync.h"
#include "web/router.h"
#include <stdatomic.h>
#include <string.h>

/* statuses we count separately; anything else lands in "other" */
static const int statuses[] = {200, 201, 204, 301, 302, 303, 304, 400, 401, 403,
                               404, 405, 409, 413, 415, 422, 429, 431, 500, 503};
#define NSTATUS ((int)(sizeof(statuses) / sizeof(statuses[0])) + 1)
#define MAX_ROUTES 128
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
#define NBUCKET ((int)(sizeof(bounds) / sizeof(bounds[0])))

/* row 0: unmatched; row i+1: kk_routes[i] */
static atomic_ullong requests[MAX_ROUTES + 1][NSTATUS];
static atomic_ullong buckets[NBUCKET + 1]; /* non-cumulative; last = +Inf */
static atomic_ullong sum_ns, count;

static int status_slot(int status)
{
	for (int i = 0; i < NSTATUS - 1; i++)
		if (statuses[i] == status)
			return i;
	return NSTATUS - 1;
}

void kk_metrics_observe(int route_index, int status, uint64_t ns)
{
	int row = route_index >= 0 && route_index < MAX_ROUTES ? route_index + 1 : 0;
	atomic_fetch_add_explicit(&requests[row][status_slot(status)], 1, memory_order_relaxed);
	double s = (double)ns / 1e9;
	int b = 0;
	while (b < NBUCKET && s > bounds[b])
		b++;
	atomic_fetch_add_explicit(&buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&sum_ns, ns, memory_order_relaxed);
	atomic_fetch_add_explicit(&count, 1, memory_order_relaxed);
}

int kk_metrics_render(struct kk_buf *out, int64_t db_size, double uptime_s)
{
	kk_buf_puts(out,
	            "# HELP keikai_http_requests_total HTTP requests answered, by route pattern and status.\n"
	            "# TYPE keikai_http_requests_total counter\n");
	for (int row = 0; row <= kk_route_count && row <= MAX_ROUTES; row++)
		for (int s = 0; s < NSTATUS; s++) {
			unsigned long long n = atomic_load_explicit(&requests[row][s], memory_order_relaxed);
			if (!n)
				continue;
			const char *method = row ? kk_routes[row - 1].method : "";
			const char *route = row ? kk_routes[row - 1].pattern : "unmatched";
			if (s < NSTATUS - 1)
				kk_buf_printf(out,
				              "keikai_http_requests_total{method=\"%s\",route=\"%s\",status="
				              "\"%d\"} %llu\n",
				              method, route, statuses[s], n);
			else
				kk_buf_printf(out,
				              "keikai_http_requests_total{method=\"%s\",route=\"%s\",status="
				              "\"other\"} %llu\n",
				              method, route, n);
		}
	kk_buf_puts(
	    out, "# HELP keikai_http_request_duration_seconds Time from request start to response queued.\n"
	         "# TYPE keikai_http_request_duration_seconds histogram\n");
	unsigned long long cum = 0;
	for (int b = 0; b < NBUCKET; b++) {
		cum += atomic_load_explicit(&buckets[b], memory_order_relaxed);
		kk_buf_printf(out, "keikai_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", bounds[b],
		              cum);
	}
	cum += atomic_load_explicit(&buckets[NBUCKET], memory_order_relaxed);
	kk_buf_printf(out, "keikai_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", cum);
	kk_buf_printf(out, "keikai_http_request_duration_seconds_sum %.9f\n",
	              (double)atomic_load_explicit(&sum_ns, memory_order_relaxed) / 1e9);
	kk_buf_printf(out, "keikai_http_request_duration_seconds_count %llu\n",
	              atomic_load_explicit(&count, memory_order_relaxed));
	if (db_size >= 0)
		kk_buf_printf(out,
		              "# HELP keikai_db_size_bytes Size of the database file.\n"
		              "# TYPE keikai_db_size_bytes gauge\nkeikai_db_size_bytes %lld\n",
		              (long long)db_size);
	kk_buf_printf(out,
	              "# HELP keikai_uptime_seconds Seconds since the server started.\n"
	              "# TYPE keikai_uptime_seconds gauge\nkeikai_uptime_seconds %.3f\n",
	              uptime_s);
	return kk_buf_error(out);
}

/* ---- sync sources: from the database, so syncs of every process count ---- */

struct sync_metric {
	const char *name, *type, *help;
	long (*value)(const struct kk_sync_status *s);
};

/* A run in progress has not been added to the totals yet: its counts so far are. */
static bool live(const struct kk_sync_status *s)
{
	return !strcmp(s->run_status, "running");
}
static long m_fetches(const struct kk_sync_status *s)
{
	return s->fetches + (live(s) ? s->last.fetches : 0);
}
static long m_records(const struct kk_sync_status *s)
{
	return s->records + (live(s) ? s->last.added + s->last.updated : 0);
}
static long m_errors(const struct kk_sync_status *s)
{
	return s->errors + (live(s) ? s->last.skipped : 0);
}
static long m_running(const struct kk_sync_status *s)
{
	return s->running;
}
static long m_success(const struct kk_sync_status *s)
{
	return (long)s->last_success_at;
}

static const struct sync_metric sync_metrics[] = {
    {"keikai_sync_fetches_total", "counter", "HTTP requests each sync source sent upstream (retries included).",
     m_fetches},
    {"keikai_sync_records_total", "counter", "Records each sync source added or changed.", m_records},
    {"keikai_sync_errors_total", "counter", "Malformed records each sync source skipped, and its failed runs.",
     m_errors},
    {"keikai_sync_running", "gauge", "1 while a run of the source holds its lease.", m_running},
    {"keikai_sync_last_success_timestamp_seconds", "gauge", "When the source was last current (0: never).",
     m_success},
};
#define NSYNC ((int)(sizeof sync_metrics / sizeof sync_metrics[0]))

struct sync_render {
	struct kk_buf *out;
	int metric;
};

static int sync_line(void *arg, const struct kk_sync_status *s)
{
	struct sync_render *sr = arg;
	kk_buf_printf(sr->out, "%s{source=\"%s\"} %ld\n", sync_metrics[sr->metric].name, s->name,
	              sync_metrics[sr->metric].value(s));
	return 0;
}

int kk_metrics_render_sync(struct kk_buf *out, struct kk_db *db)
{
	for (int m = 0; m < NSYNC; m++) {
		kk_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", sync_metrics[m].name, sync_metrics[m].help,
		              sync_metrics[m].name, sync_metrics[m].type);
		struct sync_render sr = {out, m};
		int rc = kk_sync_status_each(db, sync_line, &sr);
		if (rc < 0)
			return rc;
	}
	return kk_buf_error(out);
}

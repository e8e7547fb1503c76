/*
 * metrics.h — request counters and latency histogram for /metrics, kept in
 * atomics so every worker thread records without a lock.
 */
#ifndef KK_WEB_METRICS_H
#define KK_WEB_METRICS_H
#include "base/buf.h"
#include <stdint.h>

/* Records one answered request: route index (-1 when none matched), HTTP status, duration. */
void kk_metrics_observe(int route_index, int status, uint64_t duration_ns);
/*
 * Appends the Prometheus text exposition (format 0.0.4): keikai_http_requests_total
 * {route,method,status}, keikai_http_request_duration_seconds histogram,
 * keikai_db_size_bytes (when db_size >= 0), keikai_uptime_seconds.
 */
int kk_metrics_render(struct kk_buf *out, int64_t db_size, double uptime_s);
/*
 * Appends the sync sources' counters, read from the database (sync/sync.h),
 * so runs of every process count: keikai_sync_fetches_total,
 * keikai_sync_records_total, keikai_sync_errors_total {source} (the totals
 * plus a run in progress), keikai_sync_running and
 * keikai_sync_last_success_timestamp_seconds.
 */
struct kk_db;
int kk_metrics_render_sync(struct kk_buf *out, struct kk_db *db);

#endif

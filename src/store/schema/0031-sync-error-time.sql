-- 0031-sync-error-time: a sync source keeps its last error until another
-- comes, with the time it came (last_error_at), so an error of a night run
-- stays visible to `keikai sync --status`, /admin/sync and the admin API
-- after later runs succeeded (their last_success_at tells it is past).
-- Existing rows: an error kept so far came with the last run.

ALTER TABLE sync_source ADD COLUMN last_error_at INTEGER;
UPDATE sync_source SET last_error_at = last_run_at WHERE last_error IS NOT NULL;

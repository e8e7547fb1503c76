-- 0017-stats-indexes: covering indexes for the public statistics
-- (src/publish/stats.c). Counting reports received per kind and day, and
-- reports whose handling ended per kind and day, then reads these small
-- indexes instead of every row of report (whose rows carry the reports'
-- texts), so the statistics page stays fast with many reports.

CREATE INDEX report_kind_created ON report(kind, created_at);
CREATE INDEX report_ended ON report(status, kind, updated_at);

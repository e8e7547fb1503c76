-- 0008-intake-limits: per-address rate limits of the public report intake
-- (report submissions, follow-ups through the secret link). One row per
-- counted request; intake/rate.c counts the rows of (scope, address) in the
-- sliding window inside one BEGIN IMMEDIATE transaction, so every worker
-- thread, process and restart agrees. Rows older than the window are
-- deleted as new ones arrive. Times are seconds since the epoch.

CREATE TABLE rate_hit (
	id       INTEGER PRIMARY KEY,
	scope    TEXT NOT NULL CHECK (length(scope) BETWEEN 1 AND 40),  -- "report.submit", "report.followup"
	address  TEXT NOT NULL,                                          -- client address as text, '' when unknown
	at       INTEGER NOT NULL
);
CREATE INDEX rate_hit_key ON rate_hit(scope, address, at);
CREATE INDEX rate_hit_at ON rate_hit(at);

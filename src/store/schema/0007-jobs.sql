-- 0007-jobs: deadlines kept in the database (store/sched.h). A job is
-- scheduled in the transaction of the change that causes it; the server's
-- scheduler thread and `keikai tick` run what is due. At most one pending
-- job per (kind, subject). Times are seconds since the epoch.

CREATE TABLE job (
	id          INTEGER PRIMARY KEY,
	kind        TEXT NOT NULL,          -- "<module>.<what>", e.g. coord.ack_reminder
	subject     INTEGER NOT NULL,       -- id of the row the job is about
	due_at      INTEGER NOT NULL,
	state       TEXT NOT NULL DEFAULT 'pending'
	            CHECK (state IN ('pending', 'done', 'cancelled', 'failed')),
	attempts    INTEGER NOT NULL DEFAULT 0,
	last_error  TEXT,                   -- never confidential (sched.h)
	created_at  INTEGER NOT NULL,
	finished_at INTEGER
);
CREATE UNIQUE INDEX job_pending ON job(kind, subject) WHERE state = 'pending';
CREATE INDEX job_due ON job(due_at) WHERE state = 'pending';

-- The case an accepted report opened (coordination or website), once opened.
ALTER TABLE case_handoff ADD COLUMN case_ref TEXT;

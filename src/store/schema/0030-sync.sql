-- 0030-sync: the database keeps itself current from upstream services
-- (src/sync/). One row per source (nvd, kev, osv, local, ...): its settings
-- (a NULL setting means the built-in default of sync/sources.c, so a new
-- keikai's defaults reach old rows), its cursor — what it has brought in
-- so far, written only in the transaction that commits the records it
-- covers — its lease (one sync of a source at a time, across processes)
-- and its totals. sync_run keeps the last runs for `keikai sync --status`
-- and the admin page. Times are seconds since the epoch.

CREATE TABLE sync_source (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	enabled       INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
	base_url      TEXT,                  -- NULL: the real service (sources.c)
	interval_min  INTEGER CHECK (interval_min IS NULL OR interval_min > 0),
	options       TEXT,                  -- source-specific, e.g. osv ecosystems "Go,crates.io"
	cursor        TEXT NOT NULL DEFAULT '',  -- source-specific (JSON): last modified time, archive, page
	etag          TEXT NOT NULL DEFAULT '',  -- of the last full document fetched (kev, cwe)
	last_modified TEXT NOT NULL DEFAULT '',
	lease_owner   TEXT,                  -- "host pid nonce" of the process syncing it
	lease_until   INTEGER,
	requested_at  INTEGER,               -- the scheduler asked for a run (sync.source job), not yet begun
	last_run_at   INTEGER,
	last_success_at INTEGER,
	last_error    TEXT,                  -- source, URL, record, field: never confidential
	fetches       INTEGER NOT NULL DEFAULT 0,  -- totals since the row was made
	records       INTEGER NOT NULL DEFAULT 0,
	errors        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sync_run (
	id          INTEGER PRIMARY KEY,
	source_id   INTEGER NOT NULL REFERENCES sync_source(id) ON DELETE CASCADE,
	started_at  INTEGER NOT NULL,
	finished_at INTEGER,
	status      TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'ok', 'failed', 'interrupted')),
	fetches     INTEGER NOT NULL DEFAULT 0,
	not_modified INTEGER NOT NULL DEFAULT 0,   -- conditional requests answered 304
	added       INTEGER NOT NULL DEFAULT 0,
	updated     INTEGER NOT NULL DEFAULT 0,
	unchanged   INTEGER NOT NULL DEFAULT 0,
	withdrawn   INTEGER NOT NULL DEFAULT 0,   -- records upstream marks withdrawn or rejected
	skipped     INTEGER NOT NULL DEFAULT 0,   -- malformed records, each named in the log
	done        INTEGER NOT NULL DEFAULT 0,   -- progress: units (pages, files, records) done ...
	total       INTEGER NOT NULL DEFAULT 0,   -- ... of this many, 0 when not known yet
	error       TEXT
);
CREATE INDEX sync_run_source ON sync_run(source_id, id);

-- 0041-incidents: incidents apart from reports (issue 22, part 2). Several
-- reports of one incident count once: a report links to at most one incident
-- (incident_report.incident_id); counts of reports and of incidents are kept
-- apart. Coordination entries (調整) record whom was asked what and the answer;
-- phishing incidents carry the imitated brand (domestic/foreign/unknown) and
-- the takedown confirmation.

CREATE TABLE IF NOT EXISTS incident_brand (
	id      INTEGER PRIMARY KEY,
	name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
	origin  TEXT NOT NULL CHECK (origin IN ('domestic', 'foreign', 'unknown'))
);

CREATE TABLE IF NOT EXISTS incident (
	id             INTEGER PRIMARY KEY,
	ident          TEXT NOT NULL UNIQUE,      -- IN-2026-000001
	category       TEXT NOT NULL REFERENCES incident_category(code),
	state          TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'coordinating', 'resolved', 'closed')),
	title          TEXT NOT NULL,
	tlp            TEXT NOT NULL DEFAULT 'amber' CHECK (tlp IN ('red', 'amber', 'green', 'clear')),
	brand_id       INTEGER REFERENCES incident_brand(id),
	taken_down_at  INTEGER,                   -- a staff's confirmation that the phishing site is down
	opened_at      INTEGER NOT NULL,          -- the first report's receipt: the incident counts there
	closed_at      INTEGER,
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS incident_opened ON incident(opened_at);

CREATE TABLE IF NOT EXISTS incident_serial (
	year  INTEGER PRIMARY KEY,
	next  INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS incident_link (
	report_id    INTEGER PRIMARY KEY REFERENCES incident_report(id),  -- one incident per report
	incident_id  INTEGER NOT NULL REFERENCES incident(id),
	linked_at    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS incident_link_incident ON incident_link(incident_id);

CREATE TABLE IF NOT EXISTS incident_coordination (
	id           INTEGER PRIMARY KEY,
	incident_id  INTEGER NOT NULL REFERENCES incident(id),
	party        TEXT NOT NULL,               -- site administrator, hosting provider, ISP, registrar, CSIRT
	contact      TEXT,                        -- abuse address or how reached
	scope        TEXT NOT NULL CHECK (scope IN ('domestic', 'overseas', 'csirt')),
	asked        TEXT NOT NULL,               -- what was asked
	asked_at     INTEGER NOT NULL,
	answer       TEXT,
	answered_at  INTEGER,
	status       TEXT NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'acknowledged', 'resolved', 'no_answer'))
);
CREATE INDEX IF NOT EXISTS incident_coordination_asked ON incident_coordination(asked_at);

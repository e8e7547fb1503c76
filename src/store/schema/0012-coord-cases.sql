-- 0012-coord-cases: coordination of software product cases (調整; MISSION.md
-- §2, 003 5.1, appendix B V.3-4). A case gathers accepted reports, the
-- vulnerabilities they describe, the vendors taking part (each with its own
-- two-stage notice state), one publication date with its history, message
-- threads and critical-infrastructure pre-notification. Times are integer
-- seconds since the epoch (kk_clock_now).

CREATE TABLE coord_case (
	id                   INTEGER PRIMARY KEY,
	ref                  TEXT NOT NULL UNIQUE,      -- KKC-2026-0001, never changes
	title                TEXT NOT NULL,
	overview             TEXT NOT NULL,             -- 脆弱性概要情報: what every notified vendor sees
	details              TEXT NOT NULL,             -- 脆弱性詳細情報: only vendors that asked
	product              TEXT,                      -- product name and version, for the unreachable list
	product_version      TEXT,
	state                TEXT NOT NULL DEFAULT 'open'
	                     CHECK (state IN ('open', 'ready', 'cancelled', 'merged', 'published')),
	started_at           INTEGER NOT NULL,          -- start of coordination (the 45 days count from here)
	publish_at           INTEGER NOT NULL,          -- the one publication date of the case
	cancel_reason        TEXT CHECK (cancel_reason IN ('all_already_known', 'all_not_affected')),
	merged_into          INTEGER REFERENCES coord_case(id),
	coordinator_user_id  INTEGER REFERENCES users(id),
	vendor_consulted_at  INTEGER,                   -- pre-notification: the vendor consultation recorded
	vendor_consult_note  TEXT,
	finder_told_at       INTEGER,                   -- pre-notification: the finder was told
	last_activity_at     INTEGER NOT NULL,
	created_at           INTEGER NOT NULL,
	updated_at           INTEGER NOT NULL
);
CREATE INDEX coord_case_state ON coord_case(state, last_activity_at);

CREATE TABLE coord_case_serial (
	year  INTEGER PRIMARY KEY,
	next  INTEGER NOT NULL
);

-- The accepted reports of a case (several after a merge).
CREATE TABLE coord_case_report (
	case_id    INTEGER NOT NULL REFERENCES coord_case(id),
	report_id  INTEGER NOT NULL UNIQUE REFERENCES report(id),
	tracking   TEXT NOT NULL,
	added_at   INTEGER NOT NULL,
	PRIMARY KEY (case_id, report_id)
);

-- The vulnerabilities of a case; vendor statements are per vulnerability.
CREATE TABLE coord_vuln (
	id        INTEGER PRIMARY KEY,
	case_id   INTEGER NOT NULL REFERENCES coord_case(id),
	seq       INTEGER NOT NULL,                     -- 1, 2, ... within the case
	title     TEXT NOT NULL,
	cwe       INTEGER,
	cve       TEXT,
	UNIQUE (case_id, seq)
);

-- One vendor taking part in one case: the two-stage notice state machine.
CREATE TABLE coord_participant (
	id                    INTEGER PRIMARY KEY,
	case_id               INTEGER NOT NULL REFERENCES coord_case(id),
	org_id                INTEGER NOT NULL REFERENCES organizations(id),
	state                 TEXT NOT NULL DEFAULT 'added'
	                      CHECK (state IN ('added', 'notified', 'acknowledged', 'details_requested', 'details_sent',
	                                       'verified', 'fix_reported', 'ready')),
	verification          TEXT CHECK (verification IN ('affected', 'not_affected', 'already_known')),
	terms_accepted_at     INTEGER,                  -- confidentiality terms, with the details request
	fix_text              TEXT,                     -- fix and workaround as reported
	added_at              INTEGER NOT NULL,
	notified_at           INTEGER,
	acknowledged_at       INTEGER,
	details_requested_at  INTEGER,
	details_sent_at       INTEGER,
	verified_at           INTEGER,
	fix_reported_at       INTEGER,
	ready_at              INTEGER,
	unreachable_at        INTEGER,                  -- 連絡不能 now (NULL: reachable)
	attempts              INTEGER NOT NULL DEFAULT 0, -- reminders sent since the vendor last answered
	last_vendor_at        INTEGER,                  -- the vendor's last answer
	identity_shared       INTEGER NOT NULL DEFAULT 0 CHECK (identity_shared IN (0, 1)),
	UNIQUE (case_id, org_id)
);
CREATE INDEX coord_participant_org ON coord_participant(org_id, case_id);
CREATE INDEX coord_participant_state ON coord_participant(case_id, state);

-- Reminders and notices sent to a participant, per contact channel (the escalation's evidence).
CREATE TABLE coord_contact_attempt (
	id              INTEGER PRIMARY KEY,
	participant_id  INTEGER NOT NULL REFERENCES coord_participant(id),
	at              INTEGER NOT NULL,
	kind            TEXT NOT NULL,                  -- notice, ack_reminder, verify_reminder, date_reminder
	channel         TEXT NOT NULL                   -- the address written to
);
CREATE INDEX coord_contact_attempt_p ON coord_contact_attempt(participant_id, at);

-- A vendor statement on one vulnerability, in Japanese and English.
CREATE TABLE coord_statement (
	participant_id  INTEGER NOT NULL REFERENCES coord_participant(id),
	vuln_id         INTEGER NOT NULL REFERENCES coord_vuln(id),
	status          TEXT NOT NULL CHECK (status IN ('affected', 'not_affected', 'fixed', 'investigating')),
	text_ja         TEXT,
	text_en         TEXT,
	updated_at      INTEGER NOT NULL,
	PRIMARY KEY (participant_id, vuln_id)
);

-- Every move of the publication date, and vendors' requests to move it.
CREATE TABLE coord_date_change (
	id              INTEGER PRIMARY KEY,
	case_id         INTEGER NOT NULL REFERENCES coord_case(id),
	participant_id  INTEGER REFERENCES coord_participant(id), -- the vendor that asked (NULL: coordinator)
	old_at          INTEGER NOT NULL,
	new_at          INTEGER NOT NULL,
	reason          TEXT NOT NULL,
	state           TEXT NOT NULL CHECK (state IN ('applied', 'requested', 'accepted', 'declined')),
	decision_note   TEXT,
	by_user_id      INTEGER,
	at              INTEGER NOT NULL,
	decided_at      INTEGER
);
CREATE INDEX coord_date_change_case ON coord_date_change(case_id, at);

-- Message threads: coordinators only, coordinator <-> one vendor, all vendors.
CREATE TABLE coord_message (
	id              INTEGER PRIMARY KEY,
	case_id         INTEGER NOT NULL REFERENCES coord_case(id),
	thread          TEXT NOT NULL CHECK (thread IN ('coordinators', 'vendor', 'all')),
	participant_id  INTEGER REFERENCES coord_participant(id), -- the vendor of a 'vendor' thread
	author_user_id  INTEGER,
	author_label    TEXT NOT NULL,                  -- "coordinator" or the vendor organization's name
	from_vendor     INTEGER NOT NULL DEFAULT 0 CHECK (from_vendor IN (0, 1)),
	body            TEXT NOT NULL,
	at              INTEGER NOT NULL,
	CHECK ((thread = 'vendor') = (participant_id IS NOT NULL))
);
CREATE INDEX coord_message_case ON coord_message(case_id, thread, participant_id, at);

-- Critical-infrastructure organizations and their sector.
CREATE TABLE infra_org (
	org_id   INTEGER PRIMARY KEY REFERENCES organizations(id),
	sector   TEXT NOT NULL CHECK (sector IN ('telecoms', 'finance', 'aviation', 'rail', 'power', 'gas', 'medical',
	                                         'water', 'logistics', 'government')),
	updated_at INTEGER NOT NULL
);

-- What was shared with an infrastructure organization before publication.
CREATE TABLE infra_share (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL REFERENCES coord_case(id),
	org_id      INTEGER NOT NULL REFERENCES organizations(id),
	draft       TEXT NOT NULL,                      -- the advisory draft
	fix         TEXT NOT NULL,                      -- the fix or workaround
	by_user_id  INTEGER,
	shared_at   INTEGER NOT NULL
);
CREATE INDEX infra_share_org ON infra_share(org_id, shared_at);

-- 0005-intake: vulnerability reports (届出) and their triage (003 appendix B
-- V.1-2, VI.1-2). The finder's name, contact, PGP key and credit name live
-- only in finder_sealed (keyfile.h secretbox); the secret link's token only
-- as its hash. Times are integer seconds since the epoch (kk_clock_now).

CREATE TABLE report (
	id               INTEGER PRIMARY KEY,
	tracking         TEXT NOT NULL UNIQUE,   -- KK-2026-000123, never changes
	kind             TEXT NOT NULL CHECK (kind IN ('product', 'website')),
	status           TEXT NOT NULL CHECK (status IN ('received', 'info_requested', 'accepted', 'not_accepted',
	                                                 'handling_stopped', 'duplicate')),
	token_hash       TEXT NOT NULL UNIQUE,   -- hex BLAKE2b-256 of the secret link's token
	finder_sealed    BLOB NOT NULL,          -- {"name","email","pgp_key","credit_name"} sealed
	has_pgp_key      INTEGER NOT NULL DEFAULT 0 CHECK (has_pgp_key IN (0, 1)),
	disclose         TEXT NOT NULL CHECK (disclose IN ('none', 'name', 'name_contact')),
	credit_wanted    INTEGER NOT NULL DEFAULT 0 CHECK (credit_wanted IN (0, 1)),
	anonymous        INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
	lang             TEXT NOT NULL DEFAULT 'ja' CHECK (lang IN ('ja', 'en')),
	product_name     TEXT,
	product_version  TEXT,
	product_vendor   TEXT,
	website_name     TEXT,
	website_url      TEXT,
	website_host     TEXT,                   -- lower-cased host of website_url, for duplicates
	cwe              INTEGER,                -- 79 for CWE-79; NULL when not given
	cve              TEXT,                   -- an already assigned id the finder knows of
	description      TEXT,
	steps            TEXT,
	impact           TEXT,
	reported_to      TEXT,                   -- whom else the finder told, free text
	publish_intent   INTEGER NOT NULL DEFAULT 0 CHECK (publish_intent IN (0, 1)),
	publish_date     INTEGER,
	policy_ack       INTEGER NOT NULL DEFAULT 0 CHECK (policy_ack IN (0, 1)),
	stop_reason      TEXT CHECK (stop_reason IN ('already_known', 'coordinator_says_known', 'not_a_vulnerability',
	                                             'coordinator_says_not', 'possibly_illegal')),
	reason           TEXT,                   -- the reason or question last sent to the finder
	duplicate_of     INTEGER REFERENCES report(id),
	assignee_user_id INTEGER REFERENCES users(id),
	created_at       INTEGER NOT NULL,
	updated_at       INTEGER NOT NULL
);
CREATE INDEX report_status ON report(status, created_at);
CREATE INDEX report_product ON report(product_name COLLATE NOCASE);
CREATE INDEX report_host ON report(website_host);

-- next tracking serial per year
CREATE TABLE report_serial (
	year  INTEGER PRIMARY KEY,
	next  INTEGER NOT NULL
);

-- The thread between the finder and the receivers on one report.
CREATE TABLE report_message (
	id              INTEGER PRIMARY KEY,
	report_id       INTEGER NOT NULL REFERENCES report(id),
	at              INTEGER NOT NULL,
	from_finder     INTEGER NOT NULL CHECK (from_finder IN (0, 1)),
	author_user_id  INTEGER,                 -- staff author; NULL for the finder and the CLI
	kind            TEXT NOT NULL CHECK (kind IN ('message', 'question', 'answer', 'reason')),
	body            TEXT NOT NULL
);
CREATE INDEX report_message_report ON report_message(report_id, at);

-- Attachment contents live on disk under their SHA-256 (intake.h), never here.
CREATE TABLE attachment (
	sha256      TEXT PRIMARY KEY,
	size        INTEGER NOT NULL,
	mime        TEXT NOT NULL,
	created_at  INTEGER NOT NULL
);
CREATE TABLE report_attachment (
	report_id    INTEGER NOT NULL REFERENCES report(id),
	sha256       TEXT NOT NULL REFERENCES attachment(sha256),
	filename     TEXT NOT NULL,
	from_finder  INTEGER NOT NULL CHECK (from_finder IN (0, 1)),
	added_at     INTEGER NOT NULL,
	PRIMARY KEY (report_id, sha256)
);

-- The coordination (product) or website case an accepted report is to open;
-- the coordination and website issues turn 'pending' rows into cases.
CREATE TABLE case_handoff (
	id          INTEGER PRIMARY KEY,
	report_id   INTEGER NOT NULL UNIQUE REFERENCES report(id),
	kind        TEXT NOT NULL CHECK (kind IN ('product', 'website')),
	state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'opened')),
	created_at  INTEGER NOT NULL
);

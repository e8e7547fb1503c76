-- 0040-incident-reports: incident reports (インシデント報告) from the public and
-- from mail taken in by staff (issue 22; 004 §1.1). The reporter's contact
-- lives only in contact_sealed (keyfile.h secretbox), the secret link's token
-- only as its hash, like a finder's (0005-intake). Evidence files are stored
-- by content hash in intake's attachment table and linked here. Categories
-- are data: a row added here is a category everywhere (forms, figures).

CREATE TABLE IF NOT EXISTS incident_category (
	code     TEXT PRIMARY KEY,
	name_ja  TEXT NOT NULL,
	name_en  TEXT NOT NULL,
	ord      INTEGER NOT NULL
);
INSERT OR IGNORE INTO incident_category (code, name_ja, name_en, ord) VALUES
	('phishing',       'フィッシングサイト',       'Phishing site',        1),
	('defacement',     'Webサイト改ざん',          'Website defacement',   2),
	('malware_site',   'マルウエアサイト',         'Malware site',         3),
	('scan',           'スキャン',                 'Scan',                 4),
	('dos',            'DoS/DDoS',                 'DoS/DDoS',             5),
	('control_system', '制御システム関連',         'Control system',       6),
	('targeted',       '標的型攻撃',               'Targeted attack',      7),
	('other',          'その他',                   'Other',                8);

CREATE TABLE IF NOT EXISTS incident_report (
	id              INTEGER PRIMARY KEY,
	tracking        TEXT NOT NULL UNIQUE,     -- IR-2026-000123, never changes
	token_hash      TEXT NOT NULL UNIQUE,     -- hex BLAKE2b-256 of the secret link's token
	contact_sealed  BLOB NOT NULL,            -- {"name","email","org","phone"} sealed
	source          TEXT NOT NULL CHECK (source IN ('web', 'api', 'mail')),
	lang            TEXT NOT NULL DEFAULT 'ja' CHECK (lang IN ('ja', 'en')),
	category        TEXT NOT NULL REFERENCES incident_category(code),
	tlp             TEXT NOT NULL DEFAULT 'amber' CHECK (tlp IN ('red', 'amber', 'green', 'clear')),
	summary         TEXT NOT NULL,
	description     TEXT,
	status          TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'linked', 'closed')),
	received_at     INTEGER NOT NULL,         -- when the report came (the mail's date for mail)
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS incident_report_received ON incident_report(received_at);

CREATE TABLE IF NOT EXISTS incident_report_serial (
	year  INTEGER PRIMARY KEY,
	next  INTEGER NOT NULL
);

-- The URLs, domains and IP addresses a report names, normalised (incident.h).
CREATE TABLE IF NOT EXISTS incident_indicator (
	report_id  INTEGER NOT NULL REFERENCES incident_report(id),
	kind       TEXT NOT NULL CHECK (kind IN ('url', 'domain', 'ip')),
	value      TEXT NOT NULL,
	PRIMARY KEY (report_id, kind, value)
);
CREATE INDEX IF NOT EXISTS incident_indicator_value ON incident_indicator(kind, value);

CREATE TABLE IF NOT EXISTS incident_report_attachment (
	report_id      INTEGER NOT NULL REFERENCES incident_report(id),
	sha256         TEXT NOT NULL REFERENCES attachment(sha256),
	filename       TEXT NOT NULL,
	from_reporter  INTEGER NOT NULL CHECK (from_reporter IN (0, 1)),
	added_at       INTEGER NOT NULL,
	PRIMARY KEY (report_id, sha256)
);

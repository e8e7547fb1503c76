-- 0014-publish.sql — advisories (JVN#, JVNVU#, JVNTA#), their published
-- revisions, the parties told at publication, and the CNA's pool of
-- reserved CVE ids. See src/publish/advisory.h.

CREATE TABLE advisory (
	id           INTEGER PRIMARY KEY,
	ident        TEXT NOT NULL UNIQUE,     -- JVNVU#12345678
	kind         TEXT NOT NULL CHECK (kind IN ('JVN', 'JVNVU', 'JVNTA')),
	state        TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'scheduled', 'published')),
	doc          TEXT NOT NULL,            -- the editor's working copy (JSON, advisory.h)
	publish_at   INTEGER,                  -- scheduled instant (seconds), NULL when none
	note_ja      TEXT NOT NULL DEFAULT '', -- history note of the scheduled revision
	note_en      TEXT NOT NULL DEFAULT '',
	published_at INTEGER,                  -- first publication, NULL until then
	public_rev   INTEGER NOT NULL DEFAULT 0, -- latest published revision, 0 = never published
	jvndb        TEXT,                     -- the vulnerability database record, once published
	case_ref     TEXT,                     -- coordination case (plain reference until coord has an API)
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL
);
CREATE INDEX advisory_state ON advisory(state, published_at);

-- One row per publication: the document exactly as it went public (frozen).
CREATE TABLE advisory_rev (
	advisory_id  INTEGER NOT NULL REFERENCES advisory(id),
	rev          INTEGER NOT NULL,
	doc          TEXT NOT NULL,
	note_ja      TEXT NOT NULL DEFAULT '',
	note_en      TEXT NOT NULL DEFAULT '',
	published_at INTEGER NOT NULL,
	PRIMARY KEY (advisory_id, rev)
);
CREATE INDEX advisory_rev_time ON advisory_rev(published_at);

-- Who is told when the advisory goes public (vendors, coordinators); never shown publicly.
CREATE TABLE advisory_party (
	advisory_id  INTEGER NOT NULL REFERENCES advisory(id),
	email        TEXT NOT NULL,
	label        TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (advisory_id, email)
);

-- Reserved CVE ids loaded by the CNA; taken one per vulnerability.
CREATE TABLE cve_pool (
	cve          TEXT PRIMARY KEY,
	added_at     INTEGER NOT NULL,
	advisory_id  INTEGER REFERENCES advisory(id),
	vuln_index   INTEGER,
	taken_at     INTEGER
);
CREATE INDEX cve_pool_free ON cve_pool(taken_at, cve);

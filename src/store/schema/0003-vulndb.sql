-- 0003-vulndb: the vulnerability database (JVN iPedia model). One row per
-- vulnerability in vuln with its own JVNDB-YYYY-NNNNNN id; each source's
-- contribution (an NVD item, a CVE 5 record, an OSV entry) is one row in
-- vuln_source, and every child row carries the vuln_source id (src) it came
-- from, so a newer version of one source replaces exactly its own rows.
-- Times are integer seconds since the epoch (0 = not stated).
-- Kept lean for 300,000 records in <= 3 GB: no per-row timestamps in child
-- tables, 0/1 flags (stored in the record header only), one index per query.

CREATE TABLE vuln (
	id               INTEGER PRIMARY KEY,
	jvndb            TEXT NOT NULL UNIQUE,       -- JVNDB-2024-000123, never changes
	published        INTEGER NOT NULL DEFAULT 0, -- earliest date a source published it
	first_published  INTEGER NOT NULL DEFAULT 0, -- first published in this database
	modified         INTEGER NOT NULL DEFAULT 0, -- latest modification of any source
	public_date      INTEGER NOT NULL DEFAULT 0, -- when the vulnerability became public
	score            REAL,                        -- base score of the newest CVSS version given (max)
	severity         INTEGER NOT NULL DEFAULT 0 CHECK (severity BETWEEN 0 AND 4), -- 0 none .. 4 critical
	withdrawn        INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),      -- every source rejected/withdrew it
	created_at       INTEGER NOT NULL
);
CREATE INDEX vuln_modified ON vuln(modified);
CREATE INDEX vuln_published ON vuln(published);
CREATE INDEX vuln_public ON vuln(public_date);
CREATE INDEX vuln_score ON vuln(score);
CREATE INDEX vuln_severity ON vuln(severity, score);

-- next JVNDB serial per year
CREATE TABLE vuln_serial (
	year  INTEGER PRIMARY KEY,
	next  INTEGER NOT NULL
);

-- One source's version of a record. content_hash (BLAKE2b-128 of the
-- source JSON and its format) makes a re-import of the same data a no-op.
CREATE TABLE vuln_source (
	id            INTEGER PRIMARY KEY,
	vuln_id       INTEGER NOT NULL REFERENCES vuln(id) ON DELETE CASCADE,
	source        TEXT NOT NULL,    -- nvd, cve5, osv
	source_id     TEXT NOT NULL,    -- CVE-2021-44228, GO-2022-0001
	format        TEXT NOT NULL,    -- nvd-json1.1, nvd-api2, cve5, osv
	published     INTEGER NOT NULL DEFAULT 0,
	modified      INTEGER NOT NULL DEFAULT 0,
	withdrawn     INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
	content_hash  BLOB NOT NULL,
	imported_at   INTEGER NOT NULL,
	UNIQUE (source, source_id)
);
CREATE INDEX vuln_source_vuln ON vuln_source(vuln_id);

-- Every external id (CVE, GHSA, GO-, RUSTSEC-, JVN#, JVNVU#, vendor ids):
-- any of them finds the record. Never deleted once known.
CREATE TABLE vuln_alias (
	alias    TEXT PRIMARY KEY,
	vuln_id  INTEGER NOT NULL REFERENCES vuln(id) ON DELETE CASCADE
);
CREATE INDEX vuln_alias_vuln ON vuln_alias(vuln_id);

-- kind: title, overview, description, solution, workaround; lang: en, ja, ...
CREATE TABLE vuln_text (
	id       INTEGER PRIMARY KEY,
	vuln_id  INTEGER NOT NULL REFERENCES vuln(id) ON DELETE CASCADE,
	src      INTEGER NOT NULL,
	lang     TEXT NOT NULL,
	kind     TEXT NOT NULL CHECK (kind IN ('title', 'overview', 'description', 'solution', 'workaround')),
	text     TEXT NOT NULL
);
CREATE INDEX vuln_text_vuln ON vuln_text(vuln_id);

CREATE TABLE vuln_cvss (
	id        INTEGER PRIMARY KEY,
	vuln_id   INTEGER NOT NULL REFERENCES vuln(id) ON DELETE CASCADE,
	src       INTEGER NOT NULL,
	version   TEXT NOT NULL CHECK (version IN ('2.0', '3.0', '3.1', '4.0')),
	vector    TEXT NOT NULL,
	score     REAL,                -- base score; NULL when unknown
	severity  INTEGER NOT NULL DEFAULT 0 CHECK (severity BETWEEN 0 AND 4),
	scorer    TEXT,                -- who scored: nvd@nist.gov, a CNA, CISA-ADP, an OSV id
	type      TEXT                 -- Primary, Secondary, cna, adp, osv
);
CREATE INDEX vuln_cvss_vuln ON vuln_cvss(vuln_id);

CREATE TABLE vuln_cwe (
	vuln_id  INTEGER NOT NULL REFERENCES vuln(id) ON DELETE CASCADE,
	src      INTEGER NOT NULL,
	cwe      INTEGER NOT NULL      -- 79 for CWE-79
);
CREATE INDEX vuln_cwe_cwe ON vuln_cwe(cwe);
CREATE INDEX vuln_cwe_vuln ON vuln_cwe(vuln_id);

-- Affected products as CPE configurations: rows of one (src, cfg, node) are
-- one node (node_and: all needed, else any); the nodes of one (src, cfg) are
-- combined by cfg_and. vulnerable 0 marks a platform the product must run on.
-- version is the exact version when no range bound is given.
CREATE TABLE vuln_cpe (
	id          INTEGER PRIMARY KEY,
	vuln_id     INTEGER NOT NULL REFERENCES vuln(id) ON DELETE CASCADE,
	src         INTEGER NOT NULL,
	cfg         INTEGER NOT NULL,
	node        INTEGER NOT NULL,
	cfg_and     INTEGER NOT NULL DEFAULT 0,
	node_and    INTEGER NOT NULL DEFAULT 0,
	negate      INTEGER NOT NULL DEFAULT 0,
	vulnerable  INTEGER NOT NULL DEFAULT 1,
	cpe23       TEXT,               -- formatted string; NULL when the source names no CPE
	vendor      TEXT,
	product     TEXT,
	version     TEXT,
	start_incl  TEXT,
	start_excl  TEXT,
	end_incl    TEXT,
	end_excl    TEXT
);
CREATE INDEX vuln_cpe_product ON vuln_cpe(vendor, product);
CREATE INDEX vuln_cpe_vuln ON vuln_cpe(vuln_id);

-- Affected packages (OSV): one row per interval of a range; range_type
-- 'versions' rows list versions (JSON array) instead.
CREATE TABLE vuln_pkg (
	id             INTEGER PRIMARY KEY,
	vuln_id        INTEGER NOT NULL REFERENCES vuln(id) ON DELETE CASCADE,
	src            INTEGER NOT NULL,
	ecosystem      TEXT NOT NULL,
	name           TEXT NOT NULL,
	purl           TEXT,
	range_type     TEXT NOT NULL,   -- SEMVER, ECOSYSTEM, GIT, versions
	introduced     TEXT,
	fixed          TEXT,
	last_affected  TEXT,
	range_limit    TEXT,
	versions       TEXT
);
CREATE INDEX vuln_pkg_name ON vuln_pkg(ecosystem, name);
CREATE INDEX vuln_pkg_vuln ON vuln_pkg(vuln_id);

-- type: tags joined by commas (NVD, CVE 5) or the OSV reference type
CREATE TABLE vuln_ref (
	id       INTEGER PRIMARY KEY,
	vuln_id  INTEGER NOT NULL REFERENCES vuln(id) ON DELETE CASCADE,
	src      INTEGER NOT NULL,
	url      TEXT NOT NULL,
	type     TEXT
);
CREATE INDEX vuln_ref_vuln ON vuln_ref(vuln_id);

-- What happened to a record, newest last: created, merged, updated.
CREATE TABLE vuln_history (
	id       INTEGER PRIMARY KEY,
	vuln_id  INTEGER NOT NULL REFERENCES vuln(id) ON DELETE CASCADE,
	at       INTEGER NOT NULL,
	source   TEXT NOT NULL,        -- nvd:CVE-2021-44228
	what     TEXT NOT NULL
);
CREATE INDEX vuln_history_vuln ON vuln_history(vuln_id);

-- 0009-vulndb-dict: vendor/product dictionary (vulndb/dict.h), the index
-- from a product to the records that affect it and their version ranges
-- (CPE and purl filters of search, vulndb/affected.h), and CISA KEV.

-- A vendor: one MyJVN vendor (jvn_vid), or one CPE vendor value (WFN,
-- lowercase) or package namespace (purl type + namespace, '' when the type
-- has none: pkg:npm/lodash) first seen in a record. MyJVN gives some CPE
-- vendors to several of its vendors (cpe:/:misc to hundreds), so
-- cpe_vendor is not unique; a record's product joins the first vendor of
-- its CPE vendor. fold: NFKC case-folded names and key joined by U+001F,
-- for prefix and keyword matching.
CREATE TABLE vuln_vendor (
	id              INTEGER PRIMARY KEY,
	cpe_vendor      TEXT,
	purl_type       TEXT,
	purl_namespace  TEXT,
	name_ja         TEXT,
	name_en         TEXT,
	jvn_vid         INTEGER UNIQUE,
	fold            TEXT NOT NULL DEFAULT '',
	UNIQUE (purl_type, purl_namespace),
	CHECK (cpe_vendor IS NOT NULL OR purl_type IS NOT NULL)
);
CREATE INDEX vuln_vendor_cpe ON vuln_vendor(cpe_vendor);
-- search's vendor= matches a key or either name
CREATE INDEX vuln_vendor_name_en ON vuln_vendor(name_en COLLATE NOCASE);
CREATE INDEX vuln_vendor_name_ja ON vuln_vendor(name_ja);
CREATE INDEX vuln_vendor_ns ON vuln_vendor(purl_namespace);

-- A product: CPE vendor:product (unique) and/or a package (unique).
CREATE TABLE vuln_product (
	id              INTEGER PRIMARY KEY,
	vendor_id       INTEGER NOT NULL REFERENCES vuln_vendor(id) ON DELETE CASCADE,
	part            TEXT CHECK (part IN ('a', 'o', 'h')),
	cpe_vendor      TEXT,
	cpe_product     TEXT,
	purl_type       TEXT,
	purl_namespace  TEXT,
	purl_name       TEXT,
	name_ja         TEXT,
	name_en         TEXT,
	jvn_pid         INTEGER,
	fold            TEXT NOT NULL DEFAULT '',
	UNIQUE (cpe_vendor, cpe_product),
	UNIQUE (purl_type, purl_namespace, purl_name),
	CHECK (cpe_product IS NOT NULL OR purl_name IS NOT NULL)
);

CREATE INDEX vuln_product_cpe ON vuln_product(cpe_product);
CREATE INDEX vuln_product_vendor ON vuln_product(vendor_id);
CREATE INDEX vuln_product_purl_name ON vuln_product(purl_name);
CREATE INDEX vuln_product_name_en ON vuln_product(name_en COLLATE NOCASE);
CREATE INDEX vuln_product_name_ja ON vuln_product(name_ja);

-- MyJVN ids of a product (a few CPE products have two)
CREATE TABLE vuln_product_jvn (
	pid         INTEGER PRIMARY KEY,
	product_id  INTEGER NOT NULL REFERENCES vuln_product(id) ON DELETE CASCADE
);
CREATE INDEX vuln_product_jvn_product ON vuln_product_jvn(product_id);

-- One row per affected (vulnerable, not negated) CPE range or package range
-- of a source, clustered by product so that a CPE or purl query reads one
-- contiguous stretch and decides the ranges in C. seq is the vuln_cpe id
-- (CPE rows) or minus the vuln_pkg id (packages). scheme: enum
-- kk_version_scheme (std/version.h). kind: 0 CPE range, 1 OSV range
-- (SEMVER/ECOSYSTEM), 2 listed versions (JSON array in versions), 3 GIT
-- (commits: never matches a version). Bounds: lo (excluded when lo_excl),
-- hi (included when hi_incl), lim (OSV limit: below it). tail: the
-- formatted CPE when it sets attributes after the version (update, ...).
-- A CPE row with an exact version ('*' any, '-' none; four of five NVD
-- rows) is in vuln_affect_exact instead, keyed by that version, so a query
-- finds its exact matches by index and scans only the ranges.
CREATE TABLE vuln_affect (
	product_id  INTEGER NOT NULL,
	vuln_id     INTEGER NOT NULL,
	seq         INTEGER NOT NULL,
	src         INTEGER NOT NULL,
	kind        INTEGER NOT NULL,
	scheme      INTEGER NOT NULL DEFAULT 0,
	part        TEXT,
	version     TEXT,
	lo          TEXT,
	lo_excl     INTEGER NOT NULL DEFAULT 0,
	hi          TEXT,
	hi_incl     INTEGER NOT NULL DEFAULT 0,
	lim         TEXT,
	versions    TEXT,
	tail        TEXT,
	PRIMARY KEY (product_id, vuln_id, seq)
) WITHOUT ROWID;
CREATE INDEX vuln_affect_src ON vuln_affect(src);

CREATE TABLE vuln_affect_exact (
	product_id  INTEGER NOT NULL,
	version     TEXT NOT NULL,     -- without CPE escapes ("1.0-beta", not "1.0\-beta")
	vuln_id     INTEGER NOT NULL,
	seq         INTEGER NOT NULL,
	src         INTEGER NOT NULL,
	part        TEXT,
	tail        TEXT,
	PRIMARY KEY (product_id, version, vuln_id, seq)
) WITHOUT ROWID;
CREATE INDEX vuln_affect_exact_src ON vuln_affect_exact(src);

-- CISA Known Exploited Vulnerabilities, per CVE (kept even before the CVE's
-- record is imported; joined through vuln_alias).
CREATE TABLE vuln_kev (
	cve              TEXT PRIMARY KEY,
	vendor_project   TEXT,
	product          TEXT,
	name             TEXT,
	date_added       TEXT NOT NULL,  -- YYYY-MM-DD
	due_date         TEXT,
	ransomware       TEXT,           -- knownRansomwareCampaignUse: Known, Unknown
	required_action  TEXT,
	short_description TEXT,
	notes            TEXT,
	cwes             TEXT,           -- "CWE-59 CWE-436"
	hash             BLOB NOT NULL   -- of the entry, so a re-import changes nothing
);

-- Backfill for a database that already holds records: CPE vendors and
-- products, and the affected index of vulnerable CPE rows (packages are
-- indexed by `keikai import`, which maps ecosystems to purl types in C:
-- vulndb/affected.c kk_affect_backfill).
INSERT INTO vuln_vendor (cpe_vendor, fold)
	SELECT DISTINCT vendor, vendor FROM vuln_cpe WHERE vendor IS NOT NULL AND vendor <> '' AND product IS NOT NULL AND product <> '';
INSERT OR IGNORE INTO vuln_product (vendor_id, part, cpe_vendor, cpe_product, fold)
	SELECT v.id, CASE WHEN substr(c.cpe23, 9, 1) IN ('a', 'o', 'h') THEN substr(c.cpe23, 9, 1) END, c.vendor, c.product, c.product
	FROM (SELECT DISTINCT vendor, product, min(cpe23) AS cpe23 FROM vuln_cpe WHERE vendor IS NOT NULL AND product IS NOT NULL AND product <> '' GROUP BY vendor, product) c
	JOIN vuln_vendor v ON v.cpe_vendor = c.vendor;
INSERT OR IGNORE INTO vuln_affect (product_id, vuln_id, seq, src, kind, scheme, part, lo, lo_excl, hi, hi_incl)
	SELECT p.id, c.vuln_id, c.id, c.src, 0, 0,
	       CASE WHEN substr(c.cpe23, 9, 1) IN ('a', 'o', 'h') THEN substr(c.cpe23, 9, 1) END,
	       coalesce(c.start_incl, c.start_excl), c.start_excl IS NOT NULL AND c.start_incl IS NULL,
	       coalesce(c.end_excl, c.end_incl), c.end_excl IS NULL
	FROM vuln_cpe c JOIN vuln_product p ON p.cpe_vendor = c.vendor AND p.cpe_product = c.product
	WHERE c.vulnerable = 1 AND c.negate = 0 AND coalesce(c.start_incl, c.start_excl, c.end_incl, c.end_excl) IS NOT NULL;
INSERT OR IGNORE INTO vuln_affect_exact (product_id, version, vuln_id, seq, src, part)
	SELECT p.id, replace(coalesce(c.version, '*'), '\', ''), c.vuln_id, c.id, c.src,
	       CASE WHEN substr(c.cpe23, 9, 1) IN ('a', 'o', 'h') THEN substr(c.cpe23, 9, 1) END
	FROM vuln_cpe c JOIN vuln_product p ON p.cpe_vendor = c.vendor AND p.cpe_product = c.product
	WHERE c.vulnerable = 1 AND c.negate = 0 AND coalesce(c.start_incl, c.start_excl, c.end_incl, c.end_excl) IS NULL;

-- 0002-cwe: the CWE catalog (MITRE Common Weakness Enumeration), loaded by
-- `keikai init` from ../shared/data/cwe (vulndb/cwe_catalog.c). Re-loading
-- upserts: an unchanged catalog changes nothing.

CREATE TABLE cwe (
	id           INTEGER PRIMARY KEY,   -- 79 for CWE-79
	name         TEXT NOT NULL,
	kind         TEXT NOT NULL CHECK (kind IN ('weakness', 'category', 'view')),
	abstraction  TEXT NOT NULL DEFAULT '', -- Pillar/Class/Base/Variant/Compound; '' for categories and views
	status       TEXT NOT NULL           -- Stable, Draft, Incomplete, Obsolete, Deprecated
);

-- ChildOf relations, one row per view that states them (cwec_vX.xml:
-- Related_Weakness Nature="ChildOf" View_ID=...). view is 0 when only
-- cwe-hierarchy.json was given, which pools the relations of every view.
CREATE TABLE cwe_parent (
	child   INTEGER NOT NULL REFERENCES cwe(id),
	parent  INTEGER NOT NULL REFERENCES cwe(id),
	view    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (child, parent, view)
);
CREATE INDEX cwe_parent_parent ON cwe_parent(parent);

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

-- ChildOf relations. view is the CWE view the relation belongs to when the
-- catalog says so; cwe-hierarchy.json pools the relations of every view, so
-- keikai stores NULL for those.
CREATE TABLE cwe_parent (
	child   INTEGER NOT NULL REFERENCES cwe(id),
	parent  INTEGER NOT NULL REFERENCES cwe(id),
	view    INTEGER,
	PRIMARY KEY (child, parent)
);
CREATE INDEX cwe_parent_parent ON cwe_parent(parent);

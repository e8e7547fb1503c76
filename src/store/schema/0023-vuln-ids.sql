-- 0023-vuln-ids: ids that never collide (vulndb/ids.h). Until now every
-- record not imported from JVN iPedia got a JVNDB-YYYY-NNNNNN id in JVN
-- iPedia's own number space, so a real JVN record imported later found its
-- id taken (it was given another, and its id opened another vulnerability).
-- From now on minted ids carry the operator's prefix (meta
-- 'vuln.id_prefix', KKDB unless `keikai init --id-prefix` chose another),
-- an imported id always wins, and an id a record was known by before it was
-- renumbered is kept in vuln_former: it still finds the record (pages
-- redirect), it never joins records, and it yields to an import bringing it.
--
-- This database minted its JVNDB ids without any authority over that space,
-- so the repair renumbers them all, once, into KKDB with the same year and
-- serial (JVNDB-2022-000097 -> KKDB-2022-000097), and each record holding a
-- JVN iPedia record takes that record's JVNDB id. Every old id stays a former
-- id of its record unless an imported record owns it. `keikai init` re-indexes
-- the records renumbered here (their search rows are marked stale).

INSERT INTO meta (key, value) VALUES ('vuln.id_prefix', 'KKDB') ON CONFLICT (key) DO NOTHING;

CREATE TABLE vuln_former (
	former   TEXT PRIMARY KEY,   -- an id the record was known by before it was renumbered
	vuln_id  INTEGER NOT NULL REFERENCES vuln(id) ON DELETE CASCADE
);
CREATE INDEX vuln_former_vuln ON vuln_former(vuln_id);

-- next serial of minted ids per prefix and year (replaces vuln_serial, the
-- JVNDB serials, which go on as KKDB's: the renumbering keeps the numbers)
CREATE TABLE vuln_id_serial (
	prefix  TEXT NOT NULL,
	year    INTEGER NOT NULL,
	next    INTEGER NOT NULL,
	PRIMARY KEY (prefix, year)
);
INSERT INTO vuln_id_serial (prefix, year, next)
	SELECT (SELECT value FROM meta WHERE key = 'vuln.id_prefix'), year, next FROM vuln_serial;
DROP TABLE vuln_serial;

CREATE TABLE vuln_renumber_0023 (
	vuln_id  INTEGER PRIMARY KEY,
	old      TEXT NOT NULL,
	new      TEXT NOT NULL UNIQUE,
	own      INTEGER NOT NULL   -- 1: the record takes the JVNDB id of a JVN record it holds
);

-- 1. A record with a minted id (no source of it has that id) that holds a JVN
-- record takes that record's JVNDB id (the lowest when it holds several),
-- unless another record owns that id already.
INSERT OR IGNORE INTO vuln_renumber_0023 (vuln_id, old, new, own)
	SELECT v.id, v.jvndb, j.own, 1
	FROM (SELECT vuln_id, min(source_id) AS own FROM vuln_source
	      WHERE source >= 'jvn' AND source < 'jvo' AND source_id GLOB 'JVNDB-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]*'
	      GROUP BY vuln_id) j
	JOIN vuln v ON v.id = j.vuln_id
	WHERE NOT EXISTS (SELECT 1 FROM vuln_source s WHERE s.vuln_id = v.id AND s.source_id = v.jvndb)
	  AND NOT EXISTS (SELECT 1 FROM vuln w JOIN vuln_source s ON s.vuln_id = w.id AND s.source_id = w.jvndb
	                  WHERE w.jvndb = j.own)
	ORDER BY v.id;

-- 2. Every other minted JVNDB id moves to the operator's prefix, same year and serial.
INSERT OR IGNORE INTO vuln_renumber_0023 (vuln_id, old, new, own)
	SELECT v.id, v.jvndb, (SELECT value FROM meta WHERE key = 'vuln.id_prefix') || substr(v.jvndb, 6), 0
	FROM vuln v
	WHERE v.jvndb GLOB 'JVNDB-*'
	  AND NOT EXISTS (SELECT 1 FROM vuln_source s WHERE s.vuln_id = v.id AND s.source_id = v.jvndb);

-- The moves into the prefix take ids nobody holds; then the JVN ids, which
-- those moves (or each other) may have freed: through a placeholder first.
UPDATE vuln SET jvndb = (SELECT new FROM vuln_renumber_0023 r WHERE r.vuln_id = vuln.id)
	WHERE id IN (SELECT vuln_id FROM vuln_renumber_0023 WHERE own = 0);
UPDATE vuln SET jvndb = '~0023-' || id
	WHERE id IN (SELECT vuln_id FROM vuln_renumber_0023 WHERE own = 1);
UPDATE vuln SET jvndb = (SELECT new FROM vuln_renumber_0023 r WHERE r.vuln_id = vuln.id)
	WHERE id IN (SELECT vuln_id FROM vuln_renumber_0023 WHERE own = 1);

-- 3. The old ids still find their records, unless an imported record owns them
-- (its id or an alias: a JVN record's id is an alias of the record holding it).
INSERT OR IGNORE INTO vuln_former (former, vuln_id)
	SELECT r.old, r.vuln_id FROM vuln_renumber_0023 r
	WHERE NOT EXISTS (SELECT 1 FROM vuln WHERE jvndb = r.old)
	  AND NOT EXISTS (SELECT 1 FROM vuln_alias WHERE alias = r.old);

INSERT INTO vuln_history (vuln_id, at, source, what)
	SELECT r.vuln_id, CAST(strftime('%s', 'now') AS INTEGER), 'keikai:0023-vuln-ids',
	       CASE WHEN r.own = 1 THEN 'renumbered: now ' || r.new || ', the id of the JVN iPedia record'
	            ELSE 'renumbered: now ' || r.new || ' (ids minted here carry the operator''s prefix)' END ||
	       CASE WHEN EXISTS (SELECT 1 FROM vuln_former f WHERE f.former = r.old)
	            THEN '; ' || r.old || ' still finds it'
	            ELSE '; ' || r.old || ' is the id of an imported record' END
	FROM vuln_renumber_0023 r;

-- 4. Their search rows name the old ids: indexed again by `keikai init`.
DELETE FROM vuln_search_state WHERE vuln_id IN (SELECT vuln_id FROM vuln_renumber_0023);

DROP TABLE vuln_renumber_0023;

-- 0024-version-keys: the product index compares exact versions by the
-- version rules and keeps commit hashes apart from versions
-- (vulndb/affected.h), and search folds the prolonged sound mark
-- (vulndb/fold.c); this brings the stored rows of earlier databases there.
--
-- 1. vuln_affect_exact.version holds the version's key (std/version.h
--    kk_version_key: "2.0", "2.0.0" and "v2" are all "2"; a commit is
--    '#' and its hash), not its text, so a query finds 2.0 when it asks
--    for 2.0.0 by one index lookup. Two rows of one record whose versions
--    now share a key become one.
CREATE TABLE vuln_affect_exact_keyed (
	product_id  INTEGER NOT NULL,
	version     TEXT NOT NULL,     -- kk_version_key of the version without CPE escapes
	vuln_id     INTEGER NOT NULL,
	seq         INTEGER NOT NULL,
	src         INTEGER NOT NULL,
	part        TEXT,
	tail        TEXT,
	PRIMARY KEY (product_id, version, vuln_id, seq)
) WITHOUT ROWID;
INSERT OR IGNORE INTO vuln_affect_exact_keyed (product_id, version, vuln_id, seq, src, part, tail)
	SELECT product_id, kk_version_key(version), vuln_id, seq, src, part, tail FROM vuln_affect_exact;
DROP TABLE vuln_affect_exact;
ALTER TABLE vuln_affect_exact_keyed RENAME TO vuln_affect_exact;
CREATE INDEX vuln_affect_exact_src ON vuln_affect_exact(src);

-- 2. A CPE range bounded by a commit (CVE 5 ADP entries of version type
--    "git": 1da177e4c3f4 <= v < a7d91625863d) is a commit range (kind 3),
--    which no version query matches; OSV GIT ranges keep their commits
--    (introduced, fixed or last affected) for commit queries.
UPDATE vuln_affect SET kind = 3
	WHERE kind = 0 AND (substr(kk_version_key(lo), 1, 1) = '#' OR substr(kk_version_key(hi), 1, 1) = '#');
UPDATE vuln_affect SET
	lo = (SELECT CASE WHEN p.introduced = '0' THEN NULL ELSE p.introduced END FROM vuln_pkg p WHERE p.id = -vuln_affect.seq),
	hi = (SELECT coalesce(p.fixed, p.last_affected) FROM vuln_pkg p WHERE p.id = -vuln_affect.seq),
	hi_incl = (SELECT p.fixed IS NULL AND p.last_affected IS NOT NULL FROM vuln_pkg p WHERE p.id = -vuln_affect.seq)
	WHERE kind = 3 AND seq < 0;

-- 3. Every record's search row was written with the old folding: marked
--    stale, it is written again by `keikai init` after this migration (or
--    by the next `keikai import`, or `keikai search --reindex`).
UPDATE vuln_search_state SET sig = '';

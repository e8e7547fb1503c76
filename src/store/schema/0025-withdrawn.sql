-- 0025-withdrawn: rejected and withdrawn records (issue 14).
--
-- Each source row says whether its source took the record back
-- (vuln_source.withdrawn, since 0003), and now when (withdrawn_at, 0 = not
-- stated) and why (withdrawn_reason, NULL = not stated):
--   cve5  cveMetadata.state REJECTED; dateRejected; rejectedReasons (English first)
--   nvd   vulnStatus "Rejected" (API 2.0) or a rejection description, as
--         kk_vuln_rejected_text (vulndb/record.c) reads it: "** REJECT **",
--         "** REJECTED **", "Rejected reason: ..." (not "** DISPUTED **");
--         the date is lastModified; the reason the description's text
--   osv   `withdrawn` (a time); OSV gives no reason
--
-- The record (vuln) carries the verdict of its sources, decided by the view
-- vuln_verdict below: the one place of the rule, used by the importer's
-- recompute (vulndb/upsert.c) and by the repair at the end of this file.
--   1. A CVE authority source (cve5, nvd) decides when the record has one:
--      the newest of them (modified; on a tie the one that rejects) says
--      'rejected' or 'published'. A CVE the CVE Program rejected is no
--      vulnerability, whatever else still names it.
--   2. Without one, the record is 'withdrawn' when every source withdrew it
--      (an OSV-only record; the latest withdrawal gives the date), else
--      'published'.
-- vuln.withdrawn stays (status <> 'published') for the queries that read it.
-- Search, feeds, MyJVN lists and exports leave such records out unless
-- asked (withdrawn=include); their detail pages stay, with a banner.

ALTER TABLE vuln_source ADD COLUMN withdrawn_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE vuln_source ADD COLUMN withdrawn_reason TEXT;
ALTER TABLE vuln ADD COLUMN status TEXT NOT NULL DEFAULT 'published'
	CHECK (status IN ('published', 'rejected', 'withdrawn'));
ALTER TABLE vuln ADD COLUMN withdrawn_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE vuln ADD COLUMN withdrawn_reason TEXT;

-- One row per record that has sources: the source row that decides, and its verdict.
CREATE VIEW vuln_verdict AS
SELECT s.vuln_id AS vuln_id,
       s.withdrawn AS withdrawn,
       CASE WHEN s.withdrawn = 0 THEN 'published'
            WHEN s.source IN ('cve5', 'nvd') THEN 'rejected'
            ELSE 'withdrawn' END AS status,
       CASE WHEN s.withdrawn = 0 THEN 0 ELSE s.withdrawn_at END AS withdrawn_at,
       CASE WHEN s.withdrawn = 0 THEN NULL ELSE s.withdrawn_reason END AS withdrawn_reason
FROM vuln_source s
WHERE s.id = (SELECT t.id FROM vuln_source t WHERE t.vuln_id = s.vuln_id
              ORDER BY t.source IN ('cve5', 'nvd') DESC,
                       CASE WHEN t.source IN ('cve5', 'nvd') THEN t.modified ELSE -t.withdrawn END DESC,
                       t.withdrawn DESC, t.withdrawn_at DESC, t.id DESC
              LIMIT 1);

-- ---- repair: what the stored rows allow ----

-- NVD: the 1.1 feeds' "Rejected reason: ..." descriptions (7,263 of the 8,345
-- rejections in the NVD feeds) and "** REJECTED **" were not recognised.
UPDATE vuln_source SET withdrawn = 1
WHERE source = 'nvd' AND withdrawn = 0 AND EXISTS (
	SELECT 1 FROM vuln_text t
	WHERE t.vuln_id = vuln_source.vuln_id AND t.src = vuln_source.id AND t.kind = 'overview'
	  AND (ltrim(t.text) LIKE 'Rejected reason:%'
	       OR replace(substr(ltrim(t.text), 1, 24), ' ', '') LIKE '**REJECT**%'
	       OR replace(substr(ltrim(t.text), 1, 24), ' ', '') LIKE '**REJECTED**%'));

-- NVD and CVE 5: when (the stored modification: lastModified; CVE 5's
-- max(dateUpdated, dateRejected)) and why (the stored description: NVD's
-- rejection text, CVE 5's rejectedReasons, English first).
UPDATE vuln_source SET
	withdrawn_at = modified,
	withdrawn_reason = (SELECT t.text FROM vuln_text t
	                    WHERE t.vuln_id = vuln_source.vuln_id AND t.src = vuln_source.id AND t.kind = 'overview'
	                    ORDER BY t.lang <> 'en', t.id LIMIT 1)
WHERE source IN ('nvd', 'cve5') AND withdrawn = 1;

-- NVD's reason is the text after its markers (kk_vuln_rejected_text).
UPDATE vuln_source SET withdrawn_reason = ltrim(substr(ltrim(withdrawn_reason), 17))
WHERE source = 'nvd' AND withdrawn = 1 AND ltrim(withdrawn_reason) LIKE 'Rejected reason:%';
UPDATE vuln_source SET withdrawn_reason = ltrim(substr(ltrim(withdrawn_reason), 13))
WHERE source = 'nvd' AND withdrawn = 1 AND ltrim(withdrawn_reason) LIKE '** REJECT **%';
UPDATE vuln_source SET withdrawn_reason = ltrim(substr(ltrim(withdrawn_reason), 15))
WHERE source = 'nvd' AND withdrawn = 1 AND ltrim(withdrawn_reason) LIKE '** REJECTED **%';
UPDATE vuln_source SET withdrawn_reason = NULL WHERE withdrawn = 1 AND withdrawn_reason = '';

-- OSV: the `withdrawn` time was not kept; until the record is imported
-- again its last modification stands in. The content hash is cleared so
-- that importing the same OSV data again rewrites these rows with the exact
-- time (a re-import is otherwise a no-op).
UPDATE vuln_source SET withdrawn_at = modified, content_hash = X'00'
WHERE source = 'osv' AND withdrawn = 1;

-- Every record with a withdrawn source, or marked withdrawn before: its verdict.
-- (The view gives one row per record with sources; max() over it is that row, or the defaults.)
UPDATE vuln SET (withdrawn, status, withdrawn_at, withdrawn_reason) = (
	SELECT coalesce(max(w.withdrawn), 0), coalesce(max(w.status), 'published'), coalesce(max(w.withdrawn_at), 0),
	       max(w.withdrawn_reason)
	FROM vuln_verdict w WHERE w.vuln_id = vuln.id)
WHERE withdrawn = 1 OR id IN (SELECT vuln_id FROM vuln_source WHERE withdrawn = 1);

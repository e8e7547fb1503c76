-- 0034-standard-coord: the handling standard's coordination rules (issue 15).
--
-- Pre-notification: telling the finder of a critical-infrastructure
-- pre-notification (003 appendix B V.2 (6)) is now a real message through
-- the report's sealed thread (kk_case_record_finder_told), not a flag. Before
-- this migration finder_told_at was only a flag: nothing had reached the
-- finder. Existing databases are repaired: a case still before its
-- publication (open or ready) loses that flag, so nothing more is shared
-- until the finder was really told.
UPDATE coord_case SET finder_told_at = NULL
WHERE state IN ('open', 'ready') AND stopped_at IS NULL AND finder_told_at IS NOT NULL;

-- Stopping an accepted website report (取扱い終了) stops its website case
-- (kk_website_report_stopped): the case closes with stopped_at and the
-- report's kk_stop_reason name (receivers only); readers show the outcome
-- "stopped" (the outcome CHECK of 0013 cannot change in place). Existing
-- databases are repaired: an open website case whose report was stopped
-- is closed as stopped and its pending jobs end.
ALTER TABLE website_case ADD COLUMN stopped_at INTEGER;
ALTER TABLE website_case ADD COLUMN stop_reason TEXT;

UPDATE website_case SET stage = 'closed',
	stopped_at = (SELECT r.updated_at FROM report r WHERE r.id = website_case.report_id),
	stop_reason = (SELECT r.stop_reason FROM report r WHERE r.id = website_case.report_id),
	closed_at = (SELECT r.updated_at FROM report r WHERE r.id = website_case.report_id)
WHERE stage <> 'closed'
  AND EXISTS (SELECT 1 FROM report r WHERE r.id = website_case.report_id AND r.status = 'handling_stopped');

UPDATE job SET state = 'cancelled'
WHERE state = 'pending' AND kind LIKE 'website.%'
  AND subject IN (SELECT id FROM website_case WHERE stopped_at IS NOT NULL);

-- Vendors naming other affected vendors (V.4 (3)): a vendor of a case says
-- which other vendor may be affected (kk_case_name_vendor); the
-- coordinators see it among the case's suggestions (matched against the
-- directory by name), never another vendor. dismissed_at: a coordinator set
-- it aside.
CREATE TABLE coord_named_vendor (
	id              INTEGER PRIMARY KEY,
	case_id         INTEGER NOT NULL REFERENCES coord_case(id),
	participant_id  INTEGER NOT NULL REFERENCES coord_participant(id),
	name            TEXT NOT NULL,              -- the vendor named
	product         TEXT NOT NULL DEFAULT '',   -- its product, as the naming vendor knows it
	contact         TEXT NOT NULL DEFAULT '',   -- an address or URL to reach it, when known
	reason          TEXT NOT NULL DEFAULT '',   -- why it may be affected (shared code, OEM, ...)
	by_user_id      INTEGER REFERENCES users(id),
	at              INTEGER NOT NULL,
	dismissed_at    INTEGER
);
CREATE INDEX coord_named_vendor_case ON coord_named_vendor(case_id, id);

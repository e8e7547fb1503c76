-- 0029-case-stop: stopping an accepted report (取扱い終了, 003 appendix B
-- V.2 (2)) stops the coordination case opened from it
-- (kk_coord_report_stopped). The stored state of a stopped case is
-- 'cancelled' (the state CHECK of 0012 cannot change in place); stopped_at
-- says it was stopped rather than cancelled, and readers show it as
-- 'stopped'. stop_reason is the report's kk_stop_reason name, for
-- coordinators only. Existing databases are repaired: an open or ready case
-- whose every report was stopped or marked a duplicate is stopped, and its
-- pending reminders end.
ALTER TABLE coord_case ADD COLUMN stopped_at INTEGER;
ALTER TABLE coord_case ADD COLUMN stop_reason TEXT;

UPDATE coord_case SET state = 'cancelled',
	stopped_at = (SELECT max(r.updated_at) FROM coord_case_report x JOIN report r ON r.id = x.report_id
	              WHERE x.case_id = coord_case.id),
	stop_reason = (SELECT r.stop_reason FROM coord_case_report x JOIN report r ON r.id = x.report_id
	               WHERE x.case_id = coord_case.id AND r.stop_reason IS NOT NULL ORDER BY r.updated_at DESC LIMIT 1)
WHERE state IN ('open', 'ready')
  AND EXISTS (SELECT 1 FROM coord_case_report x WHERE x.case_id = coord_case.id)
  AND NOT EXISTS (SELECT 1 FROM coord_case_report x JOIN report r ON r.id = x.report_id
                  WHERE x.case_id = coord_case.id AND r.status NOT IN ('handling_stopped', 'duplicate'));

UPDATE job SET state = 'cancelled'
WHERE state = 'pending' AND ((kind = 'coord.date_reminder' AND subject IN (SELECT id FROM coord_case WHERE stopped_at IS NOT NULL))
	OR (kind IN ('coord.ack_reminder', 'coord.verify_reminder') AND subject IN
		(SELECT p.id FROM coord_participant p JOIN coord_case c ON c.id = p.case_id WHERE c.stopped_at IS NOT NULL)));

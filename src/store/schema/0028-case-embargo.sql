-- 0028-case-embargo: one publication date per case (003 5.1.3 (2)).
-- A date change may be an exception to the agreed date (the vulnerability
-- is already public or exploited: kk_case_date_exception), recorded with
-- its ground. Existing databases are repaired: an advisory scheduled for a
-- case that is still open or ready goes out at the case's date (the date
-- may have moved after the advisory was scheduled), its job moves with it,
-- and a case one of whose advisories is already public is published.
ALTER TABLE coord_date_change ADD COLUMN exception TEXT
	CHECK (exception IS NULL OR exception IN ('already_public', 'exploited'));

UPDATE advisory SET publish_at = (SELECT c.publish_at FROM coord_case c WHERE c.ref = advisory.case_ref)
WHERE state = 'scheduled' AND public_rev = 0 AND case_ref IN
	(SELECT ref FROM coord_case WHERE state IN ('open', 'ready'));

UPDATE job SET due_at = (SELECT a.publish_at FROM advisory a WHERE a.id = job.subject)
WHERE kind = 'publish.advisory' AND state = 'pending' AND subject IN
	(SELECT a.id FROM advisory a JOIN coord_case c ON c.ref = a.case_ref
	 WHERE a.state = 'scheduled' AND a.public_rev = 0 AND c.state IN ('open', 'ready'));

UPDATE coord_case SET state = 'published',
	publish_at = (SELECT min(a.published_at) FROM advisory a WHERE a.case_ref = coord_case.ref AND a.public_rev > 0)
WHERE state IN ('open', 'ready') AND ref IN (SELECT case_ref FROM advisory WHERE public_rev > 0 AND case_ref IS NOT NULL);

UPDATE coord_date_change SET state = 'declined', decision_note = '公表済み / already published'
WHERE state = 'requested' AND case_id IN (SELECT id FROM coord_case WHERE state = 'published');

UPDATE job SET state = 'cancelled'
WHERE state = 'pending' AND ((kind = 'coord.date_reminder' AND subject IN (SELECT id FROM coord_case WHERE state = 'published'))
	OR (kind IN ('coord.ack_reminder', 'coord.verify_reminder') AND subject IN
		(SELECT p.id FROM coord_participant p JOIN coord_case c ON c.id = p.case_id WHERE c.state = 'published')));

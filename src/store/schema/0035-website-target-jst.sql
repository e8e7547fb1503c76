-- 0035-website-target-jst: a website case's fix target (stage 3 + N
-- months, kk_website_target) is counted on the calendar in Japan; it was
-- counted on the UTC calendar, so details sent at 00:00-08:59 JST (the
-- previous day in UTC) were due a day off, and month ends clamped to the
-- wrong month. Existing databases are repaired: each case with a target
-- gets it again from its stage 3 time, N being the months the old target
-- was away on the UTC calendar, and its pending target jobs (the reminder
-- before, the overdue notice) move by the same amount while no estimate
-- (which is given as a date and stays) sets the due date.
CREATE TEMP TABLE website_target_fix AS
SELECT id, target_at AS old_at, estimate_at, t AS tod, day,
	CAST(strftime('%s', printf('%04d-%02d-%02d', ym / 12, ym % 12 + 1,
		min(day, CAST(strftime('%d', printf('%04d-%02d-01', ym / 12, ym % 12 + 1), '+1 month', '-1 day') AS INTEGER))))
		AS INTEGER) + t - 32400 AS new_at
FROM (SELECT id, target_at, estimate_at,
		(stage3_at + 32400) % 86400 AS t,
		CAST(strftime('%d', stage3_at + 32400, 'unixepoch') AS INTEGER) AS day,
		CAST(strftime('%Y', stage3_at + 32400, 'unixepoch') AS INTEGER) * 12
			+ CAST(strftime('%m', stage3_at + 32400, 'unixepoch') AS INTEGER) - 1
			+ (CAST(strftime('%Y', target_at, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', target_at, 'unixepoch') AS INTEGER))
			- (CAST(strftime('%Y', stage3_at, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', stage3_at, 'unixepoch') AS INTEGER))
			AS ym
	FROM website_case WHERE target_at IS NOT NULL AND stage3_at IS NOT NULL);

UPDATE job SET due_at = due_at + (SELECT f.new_at - f.old_at FROM website_target_fix f WHERE f.id = job.subject)
WHERE state = 'pending' AND kind IN ('website.remind_before', 'website.overdue')
  AND subject IN (SELECT id FROM website_target_fix WHERE new_at <> old_at AND coalesce(estimate_at, 0) <= new_at);

UPDATE website_case SET target_at = (SELECT new_at FROM website_target_fix f WHERE f.id = website_case.id)
WHERE id IN (SELECT id FROM website_target_fix WHERE new_at <> old_at);

DROP TABLE website_target_fix;

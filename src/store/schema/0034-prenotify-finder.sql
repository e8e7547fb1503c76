-- 0034-prenotify-finder: telling the finder of a critical-infrastructure
-- pre-notification (003 appendix B V.2 (6)) is now a real message through
-- the report's sealed thread (kk_case_record_finder_told), not a flag. Before
-- this migration finder_told_at was only a flag: nothing had reached the
-- finder. Existing databases are repaired: a case still before its
-- publication (open or ready) loses that flag, so nothing more is shared
-- until the finder was really told.
UPDATE coord_case SET finder_told_at = NULL
WHERE state IN ('open', 'ready') AND stopped_at IS NULL AND finder_told_at IS NOT NULL;

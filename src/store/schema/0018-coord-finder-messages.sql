-- 0018-coord-finder-messages: the finder talks with the coordinator (MISSION.md
-- §2; issue 6 item 8), never with vendors. A coordinator's message goes to the
-- finder through intake (the report's thread, read through the secret link, and
-- mail to the sealed address); the finder's answers through the secret link come
-- back. A copy of both lives in the case's coordinators-only thread, marked with
-- the report it is about. The finder's identity never enters coord tables.
ALTER TABLE coord_message ADD COLUMN report_id INTEGER REFERENCES report(id);
ALTER TABLE coord_message ADD COLUMN from_finder INTEGER NOT NULL DEFAULT 0 CHECK (from_finder IN (0, 1));

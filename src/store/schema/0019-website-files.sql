-- 0019-website-files: files the operator (or a receiver) adds to a website
-- case with a progress note or the completion report (a screenshot of the
-- fixed page, a diagnosis). Contents live on disk under their SHA-256 like
-- a report's attachments (attachment table of 0005, intake.h); only the
-- operator of the case and the receivers ever get them, as downloads.

CREATE TABLE website_file (
	case_id   INTEGER NOT NULL REFERENCES website_case(id),
	sha256    TEXT NOT NULL REFERENCES attachment(sha256),
	filename  TEXT NOT NULL,                 -- as the uploader named it
	side      TEXT NOT NULL CHECK (side IN ('receiver', 'operator')),
	event_id  INTEGER REFERENCES website_event(id),  -- the note or completion report it came with
	added_at  INTEGER NOT NULL,
	PRIMARY KEY (case_id, sha256)
);

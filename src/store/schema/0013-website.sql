-- 0013-website: website vulnerability cases (003 4.2.3-4.2.4, appendix B VI;
-- MISSION.md §3). One case per accepted website report, handled by the
-- receiving organization with the site's operator in three stages. The
-- finder is never stored here: only report_id, through which intake reaches
-- them. Secret links are stored only as hashes. Times are epoch seconds.

CREATE TABLE website_case (
	id               INTEGER PRIMARY KEY,
	handling         TEXT NOT NULL UNIQUE,   -- handling number IPA#12345678 (random, never reused)
	report_id        INTEGER NOT NULL UNIQUE REFERENCES report(id),
	tracking         TEXT NOT NULL,          -- the report's tracking number (staff and the finder's link)
	url              TEXT NOT NULL,
	host             TEXT NOT NULL,
	stage            TEXT NOT NULL DEFAULT 'opened'
	                 CHECK (stage IN ('opened', 'stage1', 'stage2', 'stage3', 'completed', 'closed')),
	org_id           INTEGER REFERENCES organizations(id),  -- the operator organization, when known
	contact_email    TEXT,                   -- the contact point the operator gave (stage 2 on)
	contact_name     TEXT,
	pgp_key          TEXT,                   -- the operator's armored public key (stage 3 mail encrypted)
	portal_only      INTEGER NOT NULL DEFAULT 0 CHECK (portal_only IN (0, 1)),
	link_hash        TEXT UNIQUE,            -- hex hash of the operator's secret link token
	flaw_type        TEXT NOT NULL DEFAULT '',
	risk             TEXT NOT NULL DEFAULT '',
	reproduce        TEXT NOT NULL DEFAULT '',
	description      TEXT NOT NULL DEFAULT '',
	attempts         INTEGER NOT NULL DEFAULT 0,  -- notices of the current stage left unanswered
	unreachable_at   INTEGER,                -- set after the last unanswered notice
	target_at        INTEGER,                -- fix target (stage 3 + target months)
	estimate_at      INTEGER,                -- the operator's estimated fix date, when later
	overdue_at       INTEGER,
	completion       TEXT,                   -- the operator's completion report: what was done
	outcome          TEXT CHECK (outcome IN ('fixed', 'not_reproducible', 'site_closed', 'operator_unreachable')),
	finder_direct    INTEGER NOT NULL DEFAULT 0 CHECK (finder_direct IN (0, 1)),
	operator_direct  INTEGER NOT NULL DEFAULT 0 CHECK (operator_direct IN (0, 1)),
	reported_at      INTEGER NOT NULL,       -- when the finder's report came in
	opened_at        INTEGER NOT NULL,
	stage1_at        INTEGER,
	stage2_at        INTEGER,
	stage3_at        INTEGER,
	ack_at           INTEGER,
	-- the operator's checklist (4.2.4): when each item was ticked
	chk_receipt_at       INTEGER,
	chk_investigation_at INTEGER,
	chk_plan_at          INTEGER,
	chk_execution_at     INTEGER,
	chk_completion_at    INTEGER,
	completed_at     INTEGER,
	finder_confirmed_at INTEGER,
	closed_at        INTEGER,
	updated_at       INTEGER NOT NULL
);
CREATE INDEX website_case_stage ON website_case(stage, opened_at);
CREATE INDEX website_case_org ON website_case(org_id);

-- Addresses found on the site for the stage 1 notice (entered by a receiver).
CREATE TABLE website_contact (
	case_id   INTEGER NOT NULL REFERENCES website_case(id),
	address   TEXT NOT NULL,
	added_at  INTEGER NOT NULL,
	PRIMARY KEY (case_id, address)
);

-- What happened on a case: notices, progress notes, estimates, the direct
-- exchange between finder and operator (copies kept here), closing.
-- side: who wrote it; body never holds the finder's identity.
CREATE TABLE website_event (
	id        INTEGER PRIMARY KEY,
	case_id   INTEGER NOT NULL REFERENCES website_case(id),
	at        INTEGER NOT NULL,
	side      TEXT NOT NULL CHECK (side IN ('receiver', 'operator', 'finder', 'system')),
	kind      TEXT NOT NULL,
	body      TEXT NOT NULL DEFAULT '',
	operator_visible INTEGER NOT NULL DEFAULT 1 CHECK (operator_visible IN (0, 1))
);
CREATE INDEX website_event_case ON website_event(case_id, at);

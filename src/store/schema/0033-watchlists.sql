-- 0033-watchlists: the filtered collection (watch/watchlist.h). A
-- watchlist watches one inventory's items with a minimum severity and
-- optional keywords, CWE and KEV conditions; its owner is told of new or
-- updated matching records by mail (at once or a daily digest), a private
-- Atom feed (the token is stored only as its SHA-256) and a signed webhook.
--
-- Which records changed since the last evaluation is kept durably: a
-- trigger on the change log (vuln_change, 0015) copies each changed record
-- id into watch_pending inside the import's own transaction, only while a
-- watchlist exists; the scheduler's tick evaluates and empties it in one
-- transaction, so a crash loses nothing and evaluates at most twice.

CREATE TABLE IF NOT EXISTS watchlist (
	id              INTEGER PRIMARY KEY,
	inventory_id    INTEGER NOT NULL REFERENCES inventory(id) ON DELETE CASCADE,
	user_id         INTEGER REFERENCES users(id) ON DELETE SET NULL, -- who made it (the mail goes to email)
	name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	min_severity    INTEGER NOT NULL DEFAULT 0 CHECK (min_severity BETWEEN 0 AND 4),
	keywords        TEXT,     -- space-separated; any one in the title or an alias matches
	cwe             TEXT,     -- space-separated CWE numbers; any one matches
	kev_only        INTEGER NOT NULL DEFAULT 0 CHECK (kev_only IN (0, 1)),
	mail            TEXT NOT NULL DEFAULT 'off' CHECK (mail IN ('off', 'now', 'daily')),
	email           TEXT,
	lang            TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('ja', 'en')),
	webhook_url     TEXT,
	webhook_secret  TEXT,     -- the HMAC-SHA256 key: must be kept to sign
	feed_hash       BLOB,     -- SHA-256 of the Atom feed's secret token
	digest_at       INTEGER NOT NULL DEFAULT 0, -- when the last daily digest went out
	seen_at         INTEGER NOT NULL DEFAULT 0, -- the owner's last visit ("new since your last visit")
	created_at      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS watchlist_inventory ON watchlist(inventory_id);
CREATE UNIQUE INDEX IF NOT EXISTS watchlist_feed ON watchlist(feed_hash) WHERE feed_hash IS NOT NULL;

-- Records changed since the last evaluation.
CREATE TABLE IF NOT EXISTS watch_pending (
	vuln_id INTEGER PRIMARY KEY
);

CREATE TRIGGER IF NOT EXISTS watch_pending_change AFTER INSERT ON vuln_change
WHEN EXISTS (SELECT 1 FROM watchlist)
BEGIN
	INSERT OR IGNORE INTO watch_pending (vuln_id) VALUES (NEW.vuln_id);
END;

-- What each watchlist told of: a record (at its modification time) once;
-- a later modification is told again. mailed: the digest took it.
CREATE TABLE IF NOT EXISTS watch_hit (
	id            INTEGER PRIMARY KEY,
	watchlist_id  INTEGER NOT NULL REFERENCES watchlist(id) ON DELETE CASCADE,
	vuln_id       INTEGER NOT NULL,
	modified      INTEGER NOT NULL,
	item          TEXT NOT NULL,   -- the inventory item's name and version
	severity      INTEGER NOT NULL,
	kev           INTEGER NOT NULL DEFAULT 0,
	updated       INTEGER NOT NULL DEFAULT 0, -- 1: told before, the record changed
	mailed        INTEGER NOT NULL DEFAULT 0,
	at            INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS watch_hit_list ON watch_hit(watchlist_id, vuln_id);
CREATE INDEX IF NOT EXISTS watch_hit_at ON watch_hit(watchlist_id, at);

-- Webhook deliveries: one POST per evaluation that found something,
-- retried with backoff until 2xx or max attempts.
CREATE TABLE IF NOT EXISTS watch_delivery (
	id            INTEGER PRIMARY KEY,
	watchlist_id  INTEGER NOT NULL REFERENCES watchlist(id) ON DELETE CASCADE,
	body          TEXT NOT NULL,
	state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
	attempts      INTEGER NOT NULL DEFAULT 0,
	next_at       INTEGER NOT NULL,
	last_status   INTEGER NOT NULL DEFAULT 0,
	last_error    TEXT,
	created_at    INTEGER NOT NULL,
	sent_at       INTEGER
);
CREATE INDEX IF NOT EXISTS watch_delivery_due ON watch_delivery(state, next_at);
CREATE INDEX IF NOT EXISTS watch_delivery_list ON watch_delivery(watchlist_id, id);

-- 0004-mail: the outbox. A mail is queued inside the transaction of the
-- change that causes it (mail/mail.h), so it exists iff that change
-- committed; `keikai mail flush` (or the server) delivers what is due.
-- Mail to a sealed recipient (a finder) keeps the address, body and PGP key
-- only inside `sealed` (keyfile.h secretbox); to_addr then holds a label
-- such as "finder of KK-2026-000001" and body is ''.
-- Times are integer seconds since the epoch (kk_clock_now).

CREATE TABLE mail_outbox (
	id               INTEGER PRIMARY KEY,
	created_at       INTEGER NOT NULL,
	to_addr          TEXT NOT NULL,         -- address, or a label when sealed
	subject          TEXT NOT NULL,
	body             TEXT NOT NULL,         -- UTF-8 text; '' when sealed
	headers          TEXT,                  -- extra "Name: value" lines (CRLF separated) or NULL
	pgp_key          TEXT,                  -- armored public key to encrypt to (not sealed mail) or NULL
	sealed           BLOB,                  -- secretbox of {"to","body","pgp_key"} or NULL
	encrypted        INTEGER NOT NULL DEFAULT 0 CHECK (encrypted IN (0, 1)), -- goes out PGP/MIME
	state            TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
	attempts         INTEGER NOT NULL DEFAULT 0,
	next_attempt_at  INTEGER NOT NULL,
	last_error       TEXT,
	sent_at          INTEGER,
	message_id       TEXT NOT NULL UNIQUE,  -- <...@...> as written in the Message-ID header
	related_type     TEXT,                  -- e.g. 'report'
	related_id       TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox(state, next_attempt_at);
CREATE INDEX mail_outbox_related ON mail_outbox(related_type, related_id);

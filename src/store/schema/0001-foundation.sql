-- 0001-foundation: organizations, users, sessions, API tokens, login
-- attempts, the append-only audit log, and meta. Times are integer seconds
-- since the epoch written by keikai (kk_clock_now), never CURRENT_TIMESTAMP.

CREATE TABLE organizations (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
	kind        TEXT NOT NULL CHECK (kind IN ('vendor', 'operator', 'receiver', 'coordinator', 'infrastructure')),
	created_at  INTEGER NOT NULL
);

CREATE TABLE users (
	id             INTEGER PRIMARY KEY,
	email          TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(email) BETWEEN 3 AND 254),
	name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	role           TEXT NOT NULL CHECK (role IN ('admin', 'receiver', 'coordinator', 'vendor', 'operator',
	                                             'reporter', 'infrastructure')),
	org_id         INTEGER REFERENCES organizations(id) ON DELETE RESTRICT,
	password_hash  TEXT,          -- argon2id string; NULL: cannot log in with a password
	disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL
);
CREATE INDEX users_org ON users(org_id);

-- id is the hex hash of the cookie value; the value itself is never stored.
CREATE TABLE sessions (
	id          TEXT PRIMARY KEY,
	user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf        TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	expires_at  INTEGER NOT NULL,  -- absolute end
	last_seen   INTEGER NOT NULL,  -- idle end = last_seen + idle timeout
	ip          TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE api_tokens (
	id          INTEGER PRIMARY KEY,
	user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	token_hash  TEXT NOT NULL UNIQUE,
	prefix      TEXT NOT NULL,     -- first characters, for recognising a token in lists
	created_at  INTEGER NOT NULL,
	last_used   INTEGER,
	revoked_at  INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- One row per login attempt, for rate limiting per account and per address.
CREATE TABLE login_attempts (
	id       INTEGER PRIMARY KEY,
	at       INTEGER NOT NULL,
	email    TEXT NOT NULL COLLATE NOCASE,  -- as typed (lower-cased), even when no such user
	address  TEXT NOT NULL,                 -- client address, '' when unknown
	ok       INTEGER NOT NULL CHECK (ok IN (0, 1))
);
CREATE INDEX login_attempts_email ON login_attempts(email, at);
CREATE INDEX login_attempts_address ON login_attempts(address, at);
CREATE INDEX login_attempts_at ON login_attempts(at);

CREATE TABLE audit_log (
	id             INTEGER PRIMARY KEY,
	at             INTEGER NOT NULL,
	actor_user_id  INTEGER,          -- no foreign key: the log outlives what it names
	actor_label    TEXT NOT NULL,
	action         TEXT NOT NULL,
	object_type    TEXT,
	object_id      TEXT,
	summary        TEXT,
	before         TEXT,             -- small JSON object
	after          TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be changed');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be deleted');
END;

CREATE TABLE meta (
	key    TEXT PRIMARY KEY,
	value  TEXT NOT NULL
);

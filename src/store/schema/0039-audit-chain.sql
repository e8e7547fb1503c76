-- 0039-audit-chain: the audit log becomes tamper-evident. Each row carries
-- `hash`, kk_audit_hash() (store/db.c: SHA-256 over the previous row's hash
-- and every column of this row) — so changing, inserting or removing a row
-- in the middle breaks every link after it, and `keikai audit verify`
-- names the first broken row. Rows written before get their links here, in
-- id order from '' (the first row's previous link). The append-only
-- triggers stay; the update trigger is set aside only for this filling.

ALTER TABLE audit_log ADD COLUMN hash TEXT;

DROP TRIGGER audit_log_no_update;

CREATE TEMP TABLE audit_chain (id INTEGER PRIMARY KEY, h TEXT NOT NULL);
INSERT INTO audit_chain (id, h)
WITH RECURSIVE chain(id, h) AS (
	SELECT a.id, kk_audit_hash('', a.id, a.at, a.actor_user_id, a.actor_label, a.action, a.object_type,
	                           a.object_id, a.summary, a.before, a.after)
	  FROM audit_log a WHERE a.id = (SELECT min(id) FROM audit_log)
	UNION ALL
	SELECT a.id, kk_audit_hash(c.h, a.id, a.at, a.actor_user_id, a.actor_label, a.action, a.object_type,
	                           a.object_id, a.summary, a.before, a.after)
	  FROM chain c JOIN audit_log a ON a.id = (SELECT min(id) FROM audit_log WHERE id > c.id)
)
SELECT id, h FROM chain;

UPDATE audit_log SET hash = (SELECT h FROM audit_chain WHERE audit_chain.id = audit_log.id);

DROP TABLE audit_chain;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be changed');
END;

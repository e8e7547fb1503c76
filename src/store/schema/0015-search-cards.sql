-- 0015-search-cards: what keeps search's in-memory record cards current
-- (vulndb/cards.h). Every insert, update or delete of a vuln row or of a
-- CVSS row is logged with the record's id; a process holding cards reloads
-- just the records logged since it last looked. `keikai import` prunes the
-- log at its end, always keeping its newest entry (kk_cards_prune); a
-- process that had not looked since the pruned entries reloads all its
-- cards.

CREATE TABLE vuln_change (
	seq     INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, even after pruning
	vuln_id INTEGER NOT NULL
);

CREATE TRIGGER vuln_change_ins AFTER INSERT ON vuln
BEGIN
	INSERT INTO vuln_change (vuln_id) VALUES (NEW.id);
END;

CREATE TRIGGER vuln_change_upd AFTER UPDATE ON vuln
BEGIN
	INSERT INTO vuln_change (vuln_id) VALUES (NEW.id);
END;

CREATE TRIGGER vuln_change_del AFTER DELETE ON vuln
BEGIN
	INSERT INTO vuln_change (vuln_id) VALUES (OLD.id);
END;

-- The CVSS versions and vectors are on the cards too (version and vector filters).
CREATE TRIGGER vuln_change_cvss_ins AFTER INSERT ON vuln_cvss
BEGIN
	INSERT INTO vuln_change (vuln_id) VALUES (NEW.vuln_id);
END;

CREATE TRIGGER vuln_change_cvss_upd AFTER UPDATE ON vuln_cvss
BEGIN
	INSERT INTO vuln_change (vuln_id) VALUES (NEW.vuln_id);
END;

CREATE TRIGGER vuln_change_cvss_del AFTER DELETE ON vuln_cvss
BEGIN
	INSERT INTO vuln_change (vuln_id) VALUES (OLD.vuln_id);
END;

-- Which database this is: cards loaded from another file (a test's, a
-- restored copy) are never taken for this one's.
CREATE TABLE search_instance (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	token BLOB NOT NULL
);
INSERT INTO search_instance (id, token) VALUES (1, randomblob(16));

-- Rebuilding the full-text row of a record (reindex) is a change too: a
-- process caching full-text matches (search.c) must see it.
CREATE TRIGGER vuln_change_fts_ins AFTER INSERT ON vuln_search_state
BEGIN
	INSERT INTO vuln_change (vuln_id) VALUES (NEW.vuln_id);
END;

CREATE TRIGGER vuln_change_fts_upd AFTER UPDATE ON vuln_search_state
BEGIN
	INSERT INTO vuln_change (vuln_id) VALUES (NEW.vuln_id);
END;

CREATE TRIGGER vuln_change_fts_del AFTER DELETE ON vuln_search_state
BEGIN
	INSERT INTO vuln_change (vuln_id) VALUES (OLD.vuln_id);
END;

-- The CWE filter reads ids straight from the index (no row per match).
CREATE INDEX vuln_cwe_cwe_vuln ON vuln_cwe(cwe, vuln_id);
DROP INDEX vuln_cwe_cwe;

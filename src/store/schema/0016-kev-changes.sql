-- 0016-kev-changes: a record's detail shows its CISA KEV entry, and the
-- server keeps rendered details in memory until the record changes
-- (vulndb/search.c): a KEV entry added, changed or removed is a change of
-- the records that carry its CVE id, logged as 0015 logs the others.

CREATE TRIGGER vuln_change_kev_ins AFTER INSERT ON vuln_kev
BEGIN
	INSERT INTO vuln_change (vuln_id) SELECT vuln_id FROM vuln_alias WHERE alias = NEW.cve;
END;

CREATE TRIGGER vuln_change_kev_upd AFTER UPDATE ON vuln_kev
BEGIN
	INSERT INTO vuln_change (vuln_id) SELECT vuln_id FROM vuln_alias WHERE alias = NEW.cve;
END;

CREATE TRIGGER vuln_change_kev_del AFTER DELETE ON vuln_kev
BEGIN
	INSERT INTO vuln_change (vuln_id) SELECT vuln_id FROM vuln_alias WHERE alias = OLD.cve;
END;

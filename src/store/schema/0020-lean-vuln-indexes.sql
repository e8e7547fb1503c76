-- 0020-lean-vuln-indexes: indexes no query reads any more, dropped. Search
-- filters and sorts by date, score and severity on its in-memory record
-- cards (0015), and finds records by product through the product index
-- (0009: vuln_affect, vuln_affect_exact); every one of these was still
-- written for each record and CPE row imported (a fifth of an import's
-- time at 300,000 records).
DROP INDEX IF EXISTS vuln_modified;
DROP INDEX IF EXISTS vuln_published;
DROP INDEX IF EXISTS vuln_public;
DROP INDEX IF EXISTS vuln_score;
DROP INDEX IF EXISTS vuln_severity;
DROP INDEX IF EXISTS vuln_cpe_product;

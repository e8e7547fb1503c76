-- 0021-packed-refs: a source's references in one row, a JSON array of
-- [url, type] in the source's order, instead of a row each: NVD lists
-- about nine per record, and 2.6 million one-row inserts (each with its
-- index entry) were the largest write of an import. vuln_ref stays, as a
-- view with the table's columns (id orders a source's references).
CREATE TABLE vuln_refs (
	src      INTEGER PRIMARY KEY,                                       -- vuln_source.id
	vuln_id  INTEGER NOT NULL REFERENCES vuln(id) ON DELETE CASCADE,
	refs     TEXT NOT NULL                                              -- [["https://...", "Patch,Vendor Advisory"], ...]
);
CREATE INDEX vuln_refs_vuln ON vuln_refs(vuln_id);

INSERT INTO vuln_refs (src, vuln_id, refs)
SELECT src, vuln_id, json_group_array(json_array(url, type))
FROM (SELECT src, vuln_id, url, type FROM vuln_ref ORDER BY src, id)
GROUP BY src;

DROP TABLE vuln_ref;

CREATE VIEW vuln_ref (id, vuln_id, src, url, type) AS
SELECT r.src * 1048576 + j.key, r.vuln_id, r.src, j.value ->> 0, j.value ->> 1
FROM vuln_refs r, json_each(r.refs) j;

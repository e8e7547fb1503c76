-- 0006-search: keyword search over the vulnerability database (vulndb/search.c).
-- One FTS5 row per vulnerability (rowid = vuln.id). The text is stored
-- already normalized by keikai (NFKC + case fold, utf8proc) with every run
-- of CJK characters written as overlapping bigrams plus its last character,
-- so the plain unicode61 tokenizer finds two-character Japanese words
-- (認証, 暗号), which the trigram tokenizer cannot. A regular (not
-- contentless) table: SQLite 3.40 has no contentless_delete, and a record's
-- row must be replaceable when its text changes.
-- Columns: ids (JVNDB id, aliases), title (all languages), body (overviews,
-- descriptions), products (CPE vendor/product, package names).
CREATE VIRTUAL TABLE vuln_fts USING fts5(ids, title, body, products, tokenize = 'unicode61');

-- What each record was indexed from: the content hashes of its sources in
-- order (hex). A record whose sources changed since (added, merged, updated)
-- no longer matches and is indexed again (kk_search_reindex_stale).
CREATE TABLE vuln_search_state (
	vuln_id  INTEGER PRIMARY KEY REFERENCES vuln(id) ON DELETE CASCADE,
	sig      TEXT NOT NULL
);

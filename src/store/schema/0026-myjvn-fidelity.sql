-- 0026-myjvn-fidelity: what MyJVN answers need beyond the merged record
-- (vulndb/myjvn.h, vulndb/jvnxml.h).
--
-- vuln_jvn_item: the values of a JVN iPedia VULDEF record that the merged
-- record has no column for, kept per source so getVulnDetailInfo gives them
-- back as JVN wrote them: each AffectedItem (vendor and product display
-- names, CPE, free-text VersionNumber lines), each ImpactItem text, each
-- RelatedItem (type, Name, VulinfoID, Title, URL), each HistoryItem (number,
-- time, text) and the record's own dates. A source's rows are replaced with
-- its other child rows (ON DELETE CASCADE from vuln_source; import deletes
-- them when the source changes). kind: affected, impact, related, history,
-- dates. seq orders the items of a kind as the document did.
CREATE TABLE vuln_jvn_item (
	src      INTEGER NOT NULL REFERENCES vuln_source(id) ON DELETE CASCADE,
	vuln_id  INTEGER NOT NULL REFERENCES vuln(id) ON DELETE CASCADE,
	kind     TEXT NOT NULL CHECK (kind IN ('affected', 'impact', 'related', 'history', 'dates')),
	seq      INTEGER NOT NULL,
	lang     TEXT NOT NULL,
	a        TEXT, -- affected: vendor name; related: type; history: number
	b        TEXT, -- affected: product name; related: Name; history: text; impact: text
	c        TEXT, -- affected: CPE 2.2; related: VulinfoID
	d        TEXT, -- affected: version lines (newline-separated, with "operator\t" when set); related: Title
	e        TEXT, -- related: URL
	t        INTEGER, -- history: time; dates: DatePublic
	t2       INTEGER, -- dates: DateFirstPublished
	t3       INTEGER, -- dates: DateLastUpdated
	PRIMARY KEY (src, kind, seq)
) WITHOUT ROWID;
CREATE INDEX vuln_jvn_item_vuln ON vuln_jvn_item(vuln_id);

-- A source's own public date (JVN's DatePublic, NVD's and CVE's published):
-- the record's public_date is the earliest of them, not the earliest
-- publication. 0: the source states none (then its published date counts).
ALTER TABLE vuln_source ADD COLUMN public_date INTEGER NOT NULL DEFAULT 0;

-- first_published was the import time for records from NVD/CVE/OSV; a
-- record's first publication is its sources' earliest publication date.
UPDATE vuln SET first_published = published WHERE published > 0 AND first_published > published;

-- withdrawn records, found without a scan (MyJVN statistics leave them out)
CREATE INDEX vuln_withdrawn ON vuln(id) WHERE withdrawn = 1;

-- MyJVN's getProductList lists products vendor by vendor: walk them in that order
CREATE INDEX vuln_product_by_vendor ON vuln_product(cpe_vendor, vendor_id, cpe_product);

-- getAlertList's source (注意警戒情報, the alerts of the alerts issue): an
-- alert and its related items, as MyJVN's Atom answer carries them. Empty
-- until alerts are added; getAlertList answers from these tables.
CREATE TABLE myjvn_alert (
	id         INTEGER PRIMARY KEY,
	alert_id   TEXT NOT NULL UNIQUE, -- MYJVN-ALT-2025-0011
	lang       TEXT NOT NULL DEFAULT 'ja',
	title      TEXT NOT NULL,
	summary    TEXT,
	link       TEXT,
	category   TEXT NOT NULL DEFAULT 'Info' CHECK (category IN ('Info', 'Low', 'Medium', 'High', 'Critical')),
	published  INTEGER NOT NULL,
	updated    INTEGER NOT NULL
);
CREATE INDEX myjvn_alert_published ON myjvn_alert(published);
CREATE TABLE myjvn_alert_item (
	id           INTEGER PRIMARY KEY,
	alert        INTEGER NOT NULL REFERENCES myjvn_alert(id) ON DELETE CASCADE,
	item_id      TEXT NOT NULL,        -- MYJVN-ALT-2025-0011-0001
	title        TEXT NOT NULL,
	summary      TEXT,
	link         TEXT,
	cpe          TEXT,                 -- CPE 2.2 (cpe:/a:wordpress:wordpress)
	cpe_vendor   TEXT,                 -- its vendor and product as the dictionary writes them (for cpeName)
	cpe_product  TEXT,
	published    INTEGER,
	updated      INTEGER
);
CREATE INDEX myjvn_alert_item_alert ON myjvn_alert_item(alert);

-- Repair: JVN records stored before this migration have no vuln_jvn_item
-- rows and no source public date. Forgetting their content hash makes the
-- next `keikai import` of the same VULDEF documents store them again
-- (an import otherwise skips a record whose content did not change).
UPDATE vuln_source SET content_hash = x'' WHERE source IN ('jvn', 'jvn-en');

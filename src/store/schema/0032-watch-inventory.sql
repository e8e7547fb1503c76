-- 0032-watch-inventory: inventories of installed software (the MyJVN tools,
-- watch/inventory.h): one per organization or per user, their items (name,
-- version, CPE, purl; the management sheet's owner and due date), matches
-- dismissed per item (a CPE collision judged false), and VEX statements the
-- organization made or imported. Times are integer seconds (kk_clock_now).

CREATE TABLE IF NOT EXISTS inventory (
	id          INTEGER PRIMARY KEY,
	org_id      INTEGER REFERENCES organizations(id) ON DELETE CASCADE,
	user_id     INTEGER REFERENCES users(id) ON DELETE CASCADE,
	name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	CHECK ((org_id IS NULL) <> (user_id IS NULL))
);
CREATE INDEX IF NOT EXISTS inventory_org ON inventory(org_id);
CREATE INDEX IF NOT EXISTS inventory_user ON inventory(user_id);

-- key: what a re-import recognises the item by (the purl without its
-- version, else the CPE's vendor:product, else vendor/name folded), so a new
-- version of an SBOM shows what was added, removed and upgraded.
CREATE TABLE IF NOT EXISTS inventory_item (
	id            INTEGER PRIMARY KEY,
	inventory_id  INTEGER NOT NULL REFERENCES inventory(id) ON DELETE CASCADE,
	key           TEXT NOT NULL,
	name          TEXT NOT NULL,
	version       TEXT,
	vendor        TEXT,
	purl          TEXT,
	cpe           TEXT,
	ref           TEXT,
	owner         TEXT,     -- the person in charge (management sheet)
	due           TEXT,     -- YYYY-MM-DD the countermeasure is due
	added_at      INTEGER NOT NULL,
	UNIQUE (inventory_id, key)
);

-- A match judged a false positive for one item (a CPE naming other software).
CREATE TABLE IF NOT EXISTS inventory_dismiss (
	item_id     INTEGER NOT NULL REFERENCES inventory_item(id) ON DELETE CASCADE,
	vuln_id     INTEGER NOT NULL,
	reason      TEXT NOT NULL,
	by_user     INTEGER,
	at          INTEGER NOT NULL,
	PRIMARY KEY (item_id, vuln_id)
) WITHOUT ROWID;

-- VEX statements on an inventory's items: vuln is the id the statement
-- names (CVE, GHSA, JVNDB); item_id NULL: every item (the product as a whole).
CREATE TABLE IF NOT EXISTS inventory_vex (
	id             INTEGER PRIMARY KEY,
	inventory_id   INTEGER NOT NULL REFERENCES inventory(id) ON DELETE CASCADE,
	item_id        INTEGER REFERENCES inventory_item(id) ON DELETE CASCADE,
	vuln           TEXT NOT NULL,
	state          TEXT NOT NULL CHECK (state IN ('affected', 'not_affected', 'fixed', 'under_investigation')),
	justification  TEXT,
	detail         TEXT,
	by_user        INTEGER,
	at             INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS inventory_vex_inv ON inventory_vex(inventory_id);

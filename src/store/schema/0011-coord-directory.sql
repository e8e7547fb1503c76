-- 0011-coord-directory: the vendor directory (製品開発者リスト) beside the
-- organizations of kind vendor, their contact points and products, and the
-- public list of unreachable vendors (連絡不能開発者) with its history.
-- Times are integer seconds since the epoch (kk_clock_now).

CREATE TABLE vendor (
	org_id           INTEGER PRIMARY KEY REFERENCES organizations(id) ON DELETE RESTRICT,
	name_ja          TEXT NOT NULL DEFAULT '',
	name_en          TEXT NOT NULL DEFAULT '',
	lang             TEXT NOT NULL DEFAULT 'ja' CHECK (lang IN ('ja', 'en')),
	cpe_vendor       TEXT NOT NULL DEFAULT '',
	terms_agreed_at  INTEGER,                -- NULL: registration terms not agreed
	note             TEXT NOT NULL DEFAULT '',
	created_at       INTEGER NOT NULL,
	updated_at       INTEGER NOT NULL
);
CREATE INDEX vendor_name_ja ON vendor(name_ja COLLATE NOCASE);
CREATE INDEX vendor_name_en ON vendor(name_en COLLATE NOCASE);
CREATE INDEX vendor_cpe ON vendor(cpe_vendor);

CREATE TABLE vendor_contact (
	id          INTEGER PRIMARY KEY,
	org_id      INTEGER NOT NULL REFERENCES vendor(org_id) ON DELETE CASCADE,
	label       TEXT NOT NULL DEFAULT '',
	email       TEXT NOT NULL DEFAULT '',
	role        TEXT NOT NULL DEFAULT 'to' CHECK (role IN ('to', 'cc')),
	phone       TEXT NOT NULL DEFAULT '',
	lang        TEXT NOT NULL DEFAULT 'ja' CHECK (lang IN ('ja', 'en')),
	pgp_key     TEXT,                        -- ASCII-armored public key, NULL: none
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	CHECK (email <> '' OR phone <> '')
);
CREATE INDEX vendor_contact_org ON vendor_contact(org_id);

CREATE TABLE vendor_product (
	id              INTEGER PRIMARY KEY,
	org_id          INTEGER NOT NULL REFERENCES vendor(org_id) ON DELETE CASCADE,
	name_ja         TEXT NOT NULL DEFAULT '',
	name_en         TEXT NOT NULL DEFAULT '',
	cpe_vendor      TEXT NOT NULL DEFAULT '',
	cpe_product     TEXT NOT NULL DEFAULT '',
	purl_type       TEXT NOT NULL DEFAULT '',
	purl_namespace  TEXT NOT NULL DEFAULT '',
	purl_name       TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	CHECK (name_ja <> '' OR name_en <> '')
);
CREATE INDEX vendor_product_org ON vendor_product(org_id);
CREATE INDEX vendor_product_cpe ON vendor_product(cpe_vendor, cpe_product);
CREATE INDEX vendor_product_purl ON vendor_product(purl_type, purl_namespace, purl_name);

-- One row per time a vendor was listed; delisted_at NULL = listed now.
CREATE TABLE vendor_unreachable (
	id                 INTEGER PRIMARY KEY,
	org_id             INTEGER NOT NULL REFERENCES vendor(org_id),
	listed_at          INTEGER NOT NULL,
	products_due_at    INTEGER NOT NULL,
	products_shown_at  INTEGER,
	delisted_at        INTEGER
);
CREATE UNIQUE INDEX vendor_unreachable_open ON vendor_unreachable(org_id) WHERE delisted_at IS NULL;
CREATE INDEX vendor_unreachable_listed ON vendor_unreachable(listed_at);

-- The products (name, version) a listing names once shown; case_id for history only.
CREATE TABLE vendor_unreachable_product (
	listing_id  INTEGER NOT NULL REFERENCES vendor_unreachable(id),
	name        TEXT NOT NULL,
	version     TEXT NOT NULL DEFAULT '',
	case_id     INTEGER,
	added_at    INTEGER NOT NULL,
	PRIMARY KEY (listing_id, name, version)
);

-- Site selection (在线选地): parks described for investors, land parcels with their
-- positions and boundaries, and each parcel's status history.

-- 规划面积 is the existing area_mu; prices are yuan per 亩, exact.
ALTER TABLE parks ADD COLUMN built_area_mu BIGINT;
ALTER TABLE parks ADD COLUMN lon REAL;
ALTER TABLE parks ADD COLUMN lat REAL;
-- 水电路网气暖讯: a JSON object {"water": {"readiness": "ready", "capacity": "5万吨/日"}, …}.
ALTER TABLE parks ADD COLUMN infrastructure TEXT NOT NULL DEFAULT '';
ALTER TABLE parks ADD COLUMN land_price_min BIGINT;
ALTER TABLE parks ADD COLUMN land_price_max BIGINT;
ALTER TABLE parks ADD COLUMN policies TEXT NOT NULL DEFAULT '';
ALTER TABLE parks ADD COLUMN contacts TEXT NOT NULL DEFAULT '';

CREATE TABLE parcels (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    park_id INTEGER REFERENCES parks(id),
    region_code TEXT NOT NULL REFERENCES regions(code),
    land_use TEXT NOT NULL,
    area_mu REAL NOT NULL,
    -- 万元/亩 as yuan per 亩.
    price_per_mu BIGINT,
    status TEXT NOT NULL,
    plot_ratio REAL,
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    -- GeoJSON or WKT as given; empty when none.
    boundary TEXT NOT NULL DEFAULT ''
);
-- The nearest-first search scans a band of latitudes, then longitudes.
CREATE INDEX parcels_position ON parcels(lat, lon);
CREATE INDEX parcels_region ON parcels(region_code, code);
CREATE INDEX parcels_status ON parcels(status, code);
CREATE INDEX parcels_park ON parcels(park_id, code);

CREATE TABLE parcel_status_changes (
    id INTEGER PRIMARY KEY,
    parcel_id INTEGER NOT NULL REFERENCES parcels(id) ON DELETE CASCADE,
    -- Empty for the status a parcel was registered with.
    from_status TEXT NOT NULL DEFAULT '',
    to_status TEXT NOT NULL,
    changed_on TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    actor_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX parcel_status_changes_parcel ON parcel_status_changes(parcel_id, id);

-- 综合评价 (issue 24): indicator schemes as numbered versions of a name (a version is
-- never changed: editing saves the next one), and each published quarter with the scheme
-- version and the figures it was scored from, so that it can be scored again exactly.
CREATE TABLE evaluation_schemes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    -- core::evaluation::scheme::Scheme as JSON.
    definition TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (name, version)
);

CREATE TABLE evaluation_publications (
    id INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    quarter INTEGER NOT NULL,
    -- NULL: SPEC's scheme.
    scheme_id INTEGER REFERENCES evaluation_schemes(id),
    -- The sub-regions' indicator values of the quarter and the one before, as JSON.
    snapshot TEXT NOT NULL,
    -- The items as `zhaoshang stats evaluation --json` prints them.
    result TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at TEXT NOT NULL,
    UNIQUE (region_code, year, quarter)
);

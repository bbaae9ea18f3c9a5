-- The assessment of chambers (先进商会): each version of its weights as the administrator
-- set them (ten-thousandths, together 10000; the newest is in force, none means SPEC's
-- defaults), and each published year's result with the weights version it used.
CREATE TABLE chamber_weight_versions (
    id INTEGER PRIMARY KEY,
    leads INTEGER NOT NULL,
    signed_count INTEGER NOT NULL,
    signed_investment INTEGER NOT NULL,
    funds_in_place INTEGER NOT NULL,
    activities INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE chamber_assessments (
    year INTEGER PRIMARY KEY,
    -- NULL: published under the default weights.
    weights_version INTEGER REFERENCES chamber_weight_versions(id),
    -- The published items as `zhaoshang stats chambers --json` prints them.
    result TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at TEXT NOT NULL
);

-- 营商环境监督评价 (core::appeals::supervision): the members' qualitative ratings of each
-- city's dimensions per quarter (one per member, city, dimension and quarter, updated in
-- place), and each version of the evaluation's weights as the administrator set them
-- (ten-thousandths; the four indicators together 10000; the newest is in force, none
-- means the defaults).
CREATE TABLE supervision_ratings (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    region_code TEXT NOT NULL REFERENCES regions(code),
    dimension TEXT NOT NULL CHECK (dimension IN ('government', 'market', 'rule_of_law', 'innovation', 'factors')),
    member_id INTEGER NOT NULL REFERENCES users(id),
    score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    comment TEXT NOT NULL DEFAULT '',
    rated_at TEXT NOT NULL,
    UNIQUE (year, quarter, region_code, dimension, member_id)
);

CREATE TABLE supervision_weight_versions (
    id INTEGER PRIMARY KEY,
    on_time_rate INTEGER NOT NULL,
    satisfaction_rate INTEGER NOT NULL,
    answer_days INTEGER NOT NULL,
    reopen_rate INTEGER NOT NULL,
    quantitative INTEGER NOT NULL CHECK (quantitative BETWEEN 0 AND 10000),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

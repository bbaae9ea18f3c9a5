-- Business-environment appeals (营商环境诉求, core::appeals). The due date is stored
-- (computed from received_on and limit_days by the official calendar when written) so
-- that lists and `stats appeals` filter and count on it; due_by_weekends_only says it
-- was reckoned past the last holiday notice held (the export's 时限说明).
CREATE TABLE appeals (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    enterprise TEXT NOT NULL DEFAULT '',
    credit_code TEXT NOT NULL DEFAULT '',
    region_code TEXT NOT NULL REFERENCES regions(code),
    dimension TEXT NOT NULL CHECK (dimension IN ('government', 'market', 'rule_of_law', 'innovation', 'factors')),
    category TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL,
    received_on DATE NOT NULL,
    department TEXT NOT NULL DEFAULT '',
    limit_days INTEGER NOT NULL CHECK (limit_days BETWEEN 1 AND 60),
    due_on DATE NOT NULL,
    due_by_weekends_only BOOLEAN NOT NULL DEFAULT FALSE,
    answered_on DATE,
    closed_on DATE,
    rating TEXT NOT NULL DEFAULT '' CHECK (rating IN ('', 'satisfied', 'fairly_satisfied', 'dissatisfied')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (due_on > received_on),
    CHECK (answered_on IS NULL OR answered_on >= received_on),
    CHECK (closed_on IS NULL OR closed_on >= COALESCE(answered_on, received_on))
);

-- A region's appeals received in a period (lists, stats); the province's by period.
CREATE INDEX appeals_region_received ON appeals (region_code, received_on);
CREATE INDEX appeals_received ON appeals (received_on);
-- Open appeals by due date (the overdue filter).
CREATE INDEX appeals_open_due ON appeals (due_on) WHERE answered_on IS NULL;

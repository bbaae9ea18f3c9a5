-- 六必访: a member's or cadre's visit to an enterprise, recorded with the problems it
-- brought up; each problem is registered as an appeal of the enterprise's region, which
-- names the visit it came from.
CREATE TABLE visits (
    id INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions(code),
    enterprise TEXT NOT NULL,
    credit_code TEXT NOT NULL DEFAULT '',
    visited_on DATE NOT NULL,
    -- Who went, as the record names them.
    visitor TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX visits_region ON visits(region_code, visited_on);
ALTER TABLE appeals ADD COLUMN visit_id INTEGER REFERENCES visits(id);
CREATE INDEX appeals_visit ON appeals(visit_id) WHERE visit_id IS NOT NULL;

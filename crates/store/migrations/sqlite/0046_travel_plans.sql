-- The travel planner (出行招商, core::travel): a leader's trip to a province or city of
-- China, with the visits chosen in order (an enterprise of the library or a chamber, on
-- a day of the trip). `region_code` is the travelling leader's region (the province's
-- code for the province's leaders): who reads and plans it follows it. After the trip
-- the plan becomes an activity (外出招商), which it links to.
CREATE TABLE travel_plans (
    id INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions(code),
    leader TEXT NOT NULL,
    destination_code TEXT NOT NULL REFERENCES regions(code),
    start_on DATE NOT NULL,
    end_on DATE NOT NULL,
    purpose TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    activity_id INTEGER REFERENCES activities(id) ON DELETE SET NULL
);
CREATE INDEX travel_plans_region ON travel_plans(region_code, start_on);

CREATE TABLE travel_plan_visits (
    plan_id INTEGER NOT NULL REFERENCES travel_plans(id) ON DELETE CASCADE,
    -- The order of the visits over the whole trip.
    position INTEGER NOT NULL,
    visit_on DATE NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('enterprise', 'chamber')),
    enterprise_id INTEGER REFERENCES enterprises(id) ON DELETE CASCADE,
    chamber_id INTEGER REFERENCES chambers(id) ON DELETE CASCADE,
    PRIMARY KEY (plan_id, position),
    CHECK ((kind = 'enterprise') = (enterprise_id IS NOT NULL) AND (kind = 'chamber') = (chamber_id IS NOT NULL))
);
CREATE INDEX travel_plan_visits_enterprise ON travel_plan_visits(enterprise_id) WHERE enterprise_id IS NOT NULL;
CREATE INDEX travel_plan_visits_chamber ON travel_plan_visits(chamber_id) WHERE chamber_id IS NOT NULL;
